"""What a page says while the store is empty: still fetching, or why the first fetch failed.

Pages call `no_data_notice(reader, lang)` where they have no data to show. While the first refresh
has not failed it says the data is being fetched; once sources failed it names them and why
(no network, timeout, server error ...), when MMmeter tries again, how to use a mirror
(MMMETER_MIRROR), and links to /status.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from data.reader import Reader
from layouts.i18n import normalize_lang, t
from layouts.refresh_status import SourceState, source_states

SHOWN = 6  # sources listed by name; the rest are counted


def failed_sources(reader: Reader, lang: str) -> list[SourceState]:
    states = source_states(reader.catalog, reader.store.status().get("datasets", {}), lang)
    return [s for s in states if s.failing]


def notice_children(failed: list[SourceState], lang: str) -> list:
    """The text of the notice for these failed sources (pure: no store access)."""
    from layouts.shell import with_lang

    items = [html.Li(t("no_data.source", lang, title=s.title, kind=s.kind)) for s in failed[:SHOWN]]
    if len(failed) > SHOWN:
        items.append(html.Li(t("no_data.more", lang, count=len(failed) - SHOWN)))
    children = [
        html.H2(t("no_data.title", lang), className="h5 alert-heading"),
        html.P(t("no_data.failed_intro", lang), className="mb-1"),
        html.Ul(items, className="mb-2"),
    ]
    if any(s.next_attempt_at for s in failed):
        children.append(html.P(t("no_data.next_attempt", lang, when=_earliest(failed))))
    children += [
        html.P(t("no_data.mirror", lang)),
        dcc.Link(t("no_data.status_link", lang), href=with_lang("/status", None, lang)),
    ]
    return children


def _earliest(failed: list[SourceState]) -> str:
    moments = [(s.next_attempt_at, s.next_attempt) for s in failed if s.next_attempt_at]
    return min(moments)[1] if moments else "–"


def no_data_notice(reader: Reader, lang: str) -> dbc.Alert:
    """The alert a page shows instead of its figures while the store is empty."""
    lang = normalize_lang(lang)
    failed = failed_sources(reader, lang)
    if not failed:
        return dbc.Alert(t("home.no_data_yet", lang), color="info")
    return dbc.Alert(notice_children(failed, lang), color="warning", id="no-data-notice")
