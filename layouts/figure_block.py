"""An accessible figure: title, chart, text summary (aria-describedby), table alternative, source.

Every chart and map on every page goes through `figure_block`, so each one carries its source,
the date of its data, an API link, downloads in every format of the API (layouts/downloads.py),
a link to the indicator's definition, a generated summary and the same numbers as a
table. Ids are plain strings so that aria attributes can refer to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
from dash import dcc, html

from data.catalog import Dataset
from layouts.downloads import DownloadQuery, download_links
from layouts.embed import embed_dialog
from layouts.i18n import format_date, format_number, t
from layouts.views.data_links import indicator_href

# Plotly's mode bar is a row of unnamed, mouse-only links (no keyboard access, English
# tooltips), so it is off: period controls on the pages do the zooming, the table and the CSV
# download give the numbers. Hover labels stay for mouse users.
GRAPH_CONFIG = {
    "displayModeBar": False,
    "displaylogo": False,
    "responsive": True,
    "scrollZoom": False,
    "doubleClick": False,
}
# Dutch month and day names for Plotly's date axes and hover labels (Plotly ships English only).
PLOTLY_LOCALE_NL = {
    "format": {
        "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
        "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
        "months": [
            "januari", "februari", "maart", "april", "mei", "juni",
            "juli", "augustus", "september", "oktober", "november", "december",
        ],
        "shortMonths": [
            "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
        ],
        "date": "%d-%m-%Y",
        "decimal": ",",
        "thousands": ".",
    }
}  # fmt: skip
CARTESIAN_TRACES = frozenset(
    {"bar", "scatter", "scattergl", "histogram", "box", "violin", "heatmap"}
)
# Decimal and thousands separators for Plotly's own number formatting (ticks, hover labels).
SEPARATORS = {"nl": ",.", "en": ".,"}


@dataclass(frozen=True)
class Source:
    publisher: str
    title: str
    licence: str
    landing_page: str

    @classmethod
    def of(cls, dataset: Dataset, lang: str) -> Source:
        """The source line entry of a catalog dataset, its title in `lang`."""
        return cls(
            dataset.publisher, dataset.title.get(lang), dataset.licence, dataset.landing_page
        )


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
            **({"id": table_id} if table_id else {}),  # Dash 4 refuses id=None
        ),
        className="mm-table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": caption},
    )


def publishers(sources: Sequence[Source]) -> list[str]:
    """Each publisher once, in order: "CBS" and "CBS, Kadaster" give CBS, Kadaster."""
    names = (name.strip() for s in sources for name in s.publisher.split(","))
    return list(dict.fromkeys(name for name in names if name))


def source_line(
    sources: Sequence[Source],
    date,
    lang: str,
    api_url: str | None,
    csv_url: str | None,
    title: str,
    *,
    download: DownloadQuery | None = None,
) -> html.P | html.Div:
    """Source, date, licence links; with `download` (what the view shows) also a link to the
    indicator's page, the API link and the download list in every format (layouts/downloads.py),
    which take the place of `api_url` and `csv_url`."""
    if download is not None:
        api_url, csv_url = download.href(), None
    parts: list = [
        t(
            "common.source_named",
            lang,
            source=", ".join(publishers(sources)),
        )
    ]
    if date is not None:
        parts += [" · ", t("common.updated_on", lang, date=format_date(date, lang))]

    # The link text stays visible and starts the accessible name (WCAG 2.5.3 label in name);
    # what follows is for screen readers, so links with the same text say where they differ.
    def which(name: str = title) -> html.Span:
        return html.Span(f": {name}", className="visually-hidden")

    # One licence link per dataset page: two blocks of the same dataset give one link.
    for source in dict.fromkeys(sources):
        parts += [
            " · ",
            html.A(
                [source.licence, which(source.title)],
                href=source.landing_page,
                rel="license noopener",
            ),
        ]

    if download is not None and download.about:
        about = indicator_href(download.about, lang)
        parts += [" · ", html.A([t("downloads.about", lang), which()], href=about)]
    if api_url:
        parts += [" · ", html.A([t("common.api_link", lang), which()], href=api_url)]
    if csv_url:
        parts += [
            " · ",
            html.A([t("common.download_csv", lang), which()], href=csv_url, download=""),
        ]
    line = html.P(parts, className="small text-muted mb-0")
    if download is None:
        return line
    return html.Div([line, download_links(download, lang, title)])


def graph_config(lang: str) -> dict:
    """dcc.Graph config for `lang`: GRAPH_CONFIG plus Plotly's locale (month names)."""
    if lang == "nl":
        return {**GRAPH_CONFIG, "locale": "nl", "locales": {"nl": PLOTLY_LOCALE_NL}}
    return dict(GRAPH_CONFIG)


def prepare_figure(figure: go.Figure, lang: str) -> go.Figure:
    """`figure` ready for the page: number separators of `lang`; charts with x/y axes do not
    pan or zoom (dragging would trap touch scrolling on phones and cannot be done by keyboard).
    Maps keep their own interaction. Returns a new figure; `figure` is not changed.
    """
    prepared = go.Figure(figure)
    prepared.update_layout(separators=SEPARATORS.get(lang, SEPARATORS["nl"]))
    if any(trace.type in CARTESIAN_TRACES for trace in prepared.data):
        prepared.update_layout(dragmode=False)
        prepared.update_xaxes(fixedrange=True)
        prepared.update_yaxes(fixedrange=True)
    return prepared


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
    poster=None,
) -> html.Section:
    """A chart with its heading, summary, table, source line and embed dialog. `poster` (a
    map's first state as a drawing: layouts/figures/map_poster.py) is shown in the chart's box
    until plotly.js has drawn there; plotly.js is then loaded only when the reader starts to
    use the page, not because the box is on screen (app/assets/2-site/plotly-loader.js)."""
    heading = getattr(html, f"H{heading_level}")(title, id=ids.title, className="h5 mb-1")
    graph = dcc.Graph(
        id=ids.graph,
        figure=prepare_figure(figure, lang),
        config=graph_config(lang),
        style={"height": f"{graph_height}px"},
    )
    return html.Section(
        [
            heading,
            badge,
            controls,
            html.Div(
                # The drawing itself is hidden from assistive technology: its SVG is a heap of
                # unlabelled shapes and tick labels. The figure is named by its heading and
                # described by the summary below; the table holds every number.
                # The box keeps the chart's height while plotly.js and Dash's graph code are
                # still loading (the graph renders nothing until then), so the page below it
                # does not move when the chart appears.
                html.Div(
                    graph if poster is None else [poster, graph],
                    className="mm-graph-box" if poster is None else "mm-graph-box mm-has-poster",
                    style={"minHeight": f"{graph_height}px"},
                    **{"aria-hidden": "true"},
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
            embed_dialog(ids.prefix, title, lang),
        ],
        className="mm-block mb-4",
        **{"aria-labelledby": ids.title},
    )


def value_cell(value, decimals: int, lang: str) -> str:
    return format_number(value, lang, decimals=decimals)
