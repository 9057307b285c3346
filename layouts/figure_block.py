"""An accessible figure: title, chart, text summary (aria-describedby), table alternative, source.

Every chart and map on every page goes through `figure_block`, so each one carries its source,
the date of its data, an API link, a CSV download, a generated summary and the same numbers as a
table. Ids are plain strings so that aria attributes can refer to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
from dash import dcc, html

from layouts.i18n import format_date, format_number, t

GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toImage"],
    "scrollZoom": False,
}


@dataclass(frozen=True)
class Source:
    publisher: str
    title: str
    licence: str
    landing_page: str


@dataclass(frozen=True)
class BlockIds:
    """Element ids of one block, derived from one prefix (also usable in callbacks)."""

    prefix: str

    @property
    def title(self) -> str:
        return f"{self.prefix}-title"

    @property
    def graph(self) -> str:
        return f"{self.prefix}-graph"

    @property
    def summary(self) -> str:
        return f"{self.prefix}-summary"

    @property
    def table(self) -> str:
        return f"{self.prefix}-table"

    @property
    def meta(self) -> str:
        return f"{self.prefix}-meta"


def data_table(
    columns: Sequence[str],
    rows: Sequence[Sequence],
    caption: str,
    *,
    table_id: str | None = None,
    numeric: Sequence[bool] | None = None,
) -> html.Div:
    """A plain HTML table (caption, header cells with scope) that scrolls inside its own box."""
    numeric = numeric or [False] * len(columns)
    head = html.Thead(html.Tr([html.Th(c, scope="col") for c in columns]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Th(cell, scope="row")
                    if i == 0
                    else html.Td(cell, className="text-end" if numeric[i] else None)
                    for i, cell in enumerate(row)
                ]
            )
            for row in rows
        ]
    )
    return html.Div(
        html.Table(
            [html.Caption(caption), head, body],
            className="table table-sm table-striped mb-0",
            id=table_id,
        ),
        className="mm-table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": caption},
    )


def source_line(
    sources: Sequence[Source], date, lang: str, api_url: str | None, csv_url: str | None, title: str
) -> html.P:
    parts: list = [
        t(
            "common.source_named",
            lang,
            source=", ".join(dict.fromkeys(s.publisher for s in sources)),
        )
    ]
    if date is not None:
        parts += [" · ", t("common.updated_on", lang, date=format_date(date, lang))]
    for source in sources:
        parts += [" · ", html.A(source.licence, href=source.landing_page, rel="license noopener")]
    if api_url:
        parts += [
            " · ",
            html.A(
                t("common.api_link", lang),
                href=api_url,
                **{"aria-label": t("common.api_link_aria", lang, title=title)},
            ),
        ]
    if csv_url:
        parts += [
            " · ",
            html.A(
                t("common.download_csv", lang),
                href=csv_url,
                download="",
                **{"aria-label": t("common.download_csv_aria", lang, title=title)},
            ),
        ]
    return html.P(parts, className="small text-muted mb-0")


def figure_block(
    ids: BlockIds,
    title: str,
    figure: go.Figure,
    summary: str,
    table: html.Div,
    meta: html.P,
    lang: str,
    *,
    heading_level: int = 2,
    badge=None,
    controls=None,
    graph_height: int = 320,
) -> html.Section:
    heading = getattr(html, f"H{heading_level}")(title, id=ids.title, className="h5 mb-1")
    return html.Section(
        [
            heading,
            badge,
            controls,
            html.Div(
                dcc.Graph(
                    id=ids.graph,
                    figure=figure,
                    config=GRAPH_CONFIG,
                    style={"height": f"{graph_height}px"},
                ),
                role="figure",
                className="mm-figure",
                **{"aria-labelledby": ids.title, "aria-describedby": ids.summary},
            ),
            html.P(summary, id=ids.summary, className="mm-summary mt-2"),
            html.Details(
                [html.Summary(t("common.show_table", lang)), html.Div(table, id=ids.table)],
                className="mb-2",
            ),
            html.Div(meta, id=ids.meta),
        ],
        className="mm-block mb-4",
        **{"aria-labelledby": ids.title},
    )


def value_cell(value, decimals: int, lang: str) -> str:
    return format_number(value, lang, decimals=decimals)
