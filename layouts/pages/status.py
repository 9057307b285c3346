"""Status page: each dataset's version, last success, last failure and its reason."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from data.reader import Reader
from layouts.i18n import normalize_lang, t
from layouts.pages import ReaderSource, with_reader
from layouts.refresh_status import format_moment, source_states, state_words


def _cell(value) -> str:
    return "–" if value in (None, "") else str(value)


def _reason(state) -> list:
    if not state.reason:
        return ["–"]
    return [html.Strong(state.kind), html.Br(), html.Span(state.reason, className="small")]


def layout(reader: Reader, lang: str = "nl", **_query) -> html.Div:
    lang = normalize_lang(lang)
    rt = reader
    manifest = rt.store.manifest() or {}
    status = rt.store.status().get("datasets", {})
    rows = []
    for dataset, state in zip(
        rt.catalog.datasets.values(), source_states(rt.catalog, status, lang), strict=False
    ):
        source_state = manifest.get("datasets", {}).get(dataset.id, {}).get("status")
        rows.append(
            html.Tr(
                [
                    html.Th(dataset.title.get(lang), scope="row"),
                    html.Td(dataset.publisher),
                    html.Td(state_words("failed" if state.failing else source_state, lang)),
                    html.Td(state.last_success),
                    html.Td(state.last_failure),
                    html.Td(_reason(state)),
                    html.Td(state.next_attempt if state.failing else "–"),
                ]
            )
        )
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(f"status.{key}", lang), scope="col")
                for key in (
                    "dataset",
                    "publisher",
                    "state",
                    "last_success",
                    "last_failure",
                    "reason",
                    "next_attempt",
                )
            ]
        )
    )
    return html.Div(
        [
            html.H1(t("status.title", lang)),
            html.P(t("status.intro", lang)),
            html.P(
                t(
                    "status.version_line",
                    lang,
                    version=_cell(rt.store.current_version()),
                    created=format_moment(manifest.get("created_at"), lang),
                ),
                id="status-version",
            ),
            html.Div(
                dbc.Table([head, html.Tbody(rows)], bordered=True, size="sm", className="mb-0"),
                className="mm-table-scroll",
                tabIndex="0",
                role="region",
                **{"aria-label": t("status.title", lang)},
            ),
        ]
    )


def register(reader_of: ReaderSource) -> None:
    dash.register_page(
        "status",
        path="/status",
        layout=with_reader(layout, reader_of),
        name="Status",
        titles={"nl": "Status", "en": "Status"},
        title="MMmeter – status",
        nav=False,
        order=90,
    )
