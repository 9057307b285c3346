"""Release notes: `/versies` (every store version, newest first) and `/versies/<version>` (what
that version changed per dataset), and the release history section of a dataset page."""

from __future__ import annotations

from collections.abc import Mapping

import dash
import dash_bootstrap_components as dbc
from dash import html

from data import releases
from data.reader import Reader
from layouts import release_notes
from layouts.i18n import format_date, format_number, normalize_lang, t
from layouts.pages import ReaderSource, with_reader
from layouts.permalink import pinned_href
from layouts.refresh_status import format_moment, state_words
from layouts.views.urls import api_href, href

FEED_PATH = "/feeds/versies.atom"
LIST_PATH = "/versies"


def _table(caption: str, head: list[str], rows: list, label: str) -> html.Div:
    return html.Div(
        dbc.Table(
            [
                html.Caption(caption),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                html.Tbody(rows),
            ],
            bordered=True,
            size="sm",
            className="mb-0",
        ),
        className="mm-table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": label},
    )


def _number(value, lang: str) -> str:
    return format_number(value, lang) if value is not None else "–"


def _last_period(entry: Mapping, lang: str) -> str:
    if not entry.get("last_period"):
        return "–"
    words = format_date(entry["last_period"], lang)
    if entry.get("new_last_period") and entry.get("added"):
        words += f" ({t('releases.page.new', lang)})"
    return words


def _short(checksum: str | None) -> html.Code | str:
    if not checksum:
        return "–"
    return html.Code(checksum.removeprefix("sha256:")[:12], title=checksum)


def release_table(reader: Reader, record: Mapping, lang: str) -> html.Div:
    date = release_notes.version_date(record["version"], lang)
    rows = []
    for dataset_id, entry in sorted(record.get("datasets", {}).items()):
        if dataset_id not in reader.catalog.datasets:
            continue
        rows.append(
            html.Tr(
                [
                    html.Th(release_notes.dataset_title(reader, dataset_id, lang), scope="row"),
                    html.Td(state_words(entry.get("status"), lang)),
                    *change_cells(entry, lang),
                ]
            )
        )
    head = [
        t(f"releases.page.{k}", lang)
        for k in ("dataset", "status", "rows", "added", "changed", "removed", "last_period")
    ] + [t("releases.page.checksum", lang)]
    caption = t("releases.page.table_caption", lang, date=date)
    return _table(caption, head, rows, caption)


def release_layout(reader: Reader, version: str | None = None, lang: str = "nl", **_query):
    lang = normalize_lang(lang)
    record = releases.release(reader.store, version) if version else None
    if record is None:
        return html.Div(
            [
                html.H1(t("releases.page.list_title", lang)),
                html.P(t("releases.page.not_found", lang, version=str(version)[:64])),
                html.A(t("releases.page.all_versions", lang), href=href(LIST_PATH, lang=lang)),
            ]
        )
    store = reader.store
    date = release_notes.version_date(version, lang)
    facts = [
        t(
            "releases.page.lead",
            lang,
            version=version,
            moment=format_moment(record.get("created_at"), lang),
        ),
        " ",
        t("releases.page.previous", lang, version=record["previous"])
        if record.get("previous")
        else t("releases.page.first", lang),
    ]
    kept = store.has_version(version)
    notes = []
    if version == store.current_version():
        notes.append(t("releases.page.current", lang))
    if version in store.pins():
        notes.append(t("releases.page.pinned", lang))
    see = (
        html.A(t("releases.page.kept", lang), href=pinned_href(version, "/", lang=lang))
        if kept
        else t("releases.page.not_kept", lang)
    )
    return html.Div(
        [
            html.H1(t("releases.page.title", lang, date=date)),
            html.P(facts, className="lead"),
            html.P([" ".join(notes), " " if notes else "", see]),
            html.H2(t("releases.page.changes", lang), className="h4"),
            html.Ul([html.Li(line) for line in release_notes.release_lines(reader, record, lang)]),
            release_table(reader, record, lang),
            html.P(
                [
                    html.A(t("releases.page.all_versions", lang), href=href(LIST_PATH, lang=lang)),
                    " · ",
                    html.A(
                        t("releases.page.json", lang),
                        href=api_href(f"/api/v1/releases/{version}"),
                    ),
                ],
                className="mt-3",
            ),
        ]
    )


def list_layout(reader: Reader, lang: str = "nl", **_query) -> html.Div:
    lang = normalize_lang(lang)
    records = releases.releases(reader.store)[::-1]
    rows = []
    for record in records:
        shown = releases.visible(record, reader.catalog.datasets, reader.catalog.indicators)
        version = record["version"]
        rows.append(
            html.Tr(
                [
                    html.Th(
                        html.A(
                            release_notes.version_date(version, lang),
                            href=href(f"{LIST_PATH}/{version}", lang=lang),
                        ),
                        scope="row",
                    ),
                    html.Td(html.Code(version)),
                    html.Td("; ".join(release_notes.release_lines(reader, shown, lang))),
                ]
            )
        )
    head = [t(f"releases.page.{k}", lang) for k in ("date", "version", "changes")]
    caption = t("releases.page.list_caption", lang)
    return html.Div(
        [
            html.H1(t("releases.page.list_title", lang)),
            html.P(t("releases.page.list_lead", lang), className="lead"),
            release_notes.feed_link(FEED_PATH, t("releases.feed.subscribe", lang), lang),
            _table(caption, head, rows, caption),
        ]
    )


def release_history_section(
    reader: Reader, dataset_id: str, lang: str = "nl"
) -> html.Section | None:
    """The release history of a dataset page (issue 10 item 2): every store version it was in,
    with date, row count, checksum and what changed; None while the store has no release."""
    lang = normalize_lang(lang)
    history = releases.release_history(reader.store, dataset_id)
    if not history:
        return None
    rows = []
    for entry in history:
        version = entry["version"]
        rows.append(
            html.Tr(
                [
                    html.Th(
                        html.A(
                            release_notes.version_date(version, lang),
                            href=href(f"{LIST_PATH}/{version}", lang=lang),
                        ),
                        scope="row",
                    ),
                    *change_cells(entry, lang),
                ]
            )
        )
    head = [
        t(f"releases.page.{k}", lang)
        for k in ("version", "rows", "added", "changed", "removed", "last_period", "checksum")
    ]
    caption = t("releases.page.history_caption", lang)
    return html.Section(
        [
            html.H2(t("releases.page.history_title", lang), className="h4"),
            _table(caption, head, rows, caption),
        ],
        className="mm-release-history mt-4",
    )


def release_exists(reader: Reader, version: str | None = None) -> bool:
    return bool(version) and releases.release(reader.store, version) is not None


def register(reader_of: ReaderSource) -> None:
    dash.register_page(
        "releases",
        path=LIST_PATH,
        layout=with_reader(list_layout, reader_of),
        name="Versies",
        titles={"nl": "Versies van de cijfers", "en": "Versions of the figures"},
        title="Versies van de cijfers | MMmeter",
        nav=False,
    )
    dash.register_page(
        "release",
        path_template=f"{LIST_PATH}/<version>",
        layout=with_reader(release_layout, reader_of),
        exists=with_reader(release_exists, reader_of),
        name="Versie",
        titles={"nl": "Versie van de cijfers", "en": "Version of the figures"},
        title="Versie van de cijfers | MMmeter",
        nav=False,
    )


def change_cells(entry: dict, lang: str) -> list[html.Td]:
    """A dataset's release entry as table cells: rows, added, changed, removed, last period,
    checksum (one column order for the release notes and the dataset's history)."""
    return [
        html.Td(_number(entry.get("rows"), lang)),
        html.Td(_number(entry.get("added"), lang)),
        html.Td(_number(entry.get("changed"), lang)),
        html.Td(_number(entry.get("removed"), lang)),
        html.Td(_last_period(entry, lang)),
        html.Td(_short(entry.get("checksum"))),
    ]
