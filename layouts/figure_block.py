"""An accessible figure: title, chart, text summary (aria-describedby), table alternative, source.

Every chart and map on every page goes through `figure_block`, so each one carries its source,
the date of its data, an API link, a CSV download, a generated summary and the same numbers as a
table. Ids are plain strings so that aria attributes can refer to them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import plotly.graph_objects as go
from dash import dcc, html

from layouts.i18n import describe_change, format_date, format_number, format_week, t

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
Frequency = Literal["day", "week", "year", "measurement"]


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
            **({"id": table_id} if table_id else {}),  # Dash 4 refuses id=None
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

    # The link text stays visible and starts the accessible name (WCAG 2.5.3 label in name);
    # the figure's title follows for screen readers, so each link says which data it gives.
    def which() -> html.Span:
        return html.Span(f": {title}", className="visually-hidden")

    if api_url:
        parts += [" · ", html.A([t("common.api_link", lang), which()], href=api_url)]
    if csv_url:
        parts += [
            " · ",
            html.A([t("common.download_csv", lang), which()], href=csv_url, download=""),
        ]
    return html.P(parts, className="small text-muted mb-0")


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
) -> html.Section:
    heading = getattr(html, f"H{heading_level}")(title, id=ids.title, className="h5 mb-1")
    return html.Section(
        [
            heading,
            badge,
            controls,
            html.Div(
                # The drawing itself is hidden from assistive technology: its SVG is a heap of
                # unlabelled shapes and tick labels. The figure is named by its heading and
                # described by the summary below; the table holds every number.
                html.Div(
                    dcc.Graph(
                        id=ids.graph,
                        figure=prepare_figure(figure, lang),
                        config=graph_config(lang),
                        style={"height": f"{graph_height}px"},
                    ),
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
        ],
        className="mm-block mb-4",
        **{"aria-labelledby": ids.title},
    )


def value_cell(value, decimals: int, lang: str) -> str:
    return format_number(value, lang, decimals=decimals)


def _with_unit(value: float, unit: str, decimals: int, lang: str) -> str:
    number = format_number(value, lang, decimals=decimals)
    return f"{number} {unit}".strip() if unit else number


def _is_value(value: object) -> bool:
    try:
        return value is not None and math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def period_text(period: object, frequency: Frequency, lang: str) -> str:
    """A period in words: 'week 6 van 2022' for weekly data, else the date ('10 februari 2022')."""
    return format_week(period, lang) if frequency == "week" else format_date(period, lang)


# Frequencies whose latest value is compared with the value one week earlier.
_WEEKLY_CHANGE = frozenset({"day", "week"})
WEEK = dt.timedelta(days=7)


def series_summary(
    title: str,
    area: str,
    periods: Sequence[dt.date],
    values: Sequence[float | None],
    *,
    unit: str,
    decimals: int,
    lang: str,
    frequency: Frequency = "day",
    archived_since: dt.date | None = None,
) -> str:
    """A text summary of one series for people who cannot see the chart: what, where, when,
    the latest value, the change against a week before (or the previous value for yearly
    data) and the highest value. `periods` are oldest first; missing values are skipped.

    >>> series_summary("Inwoners", "Emmen", [dt.date(2023, 1, 1), dt.date(2024, 1, 1)],
    ...                [108000, 109346], unit="inwoners", decimals=0, lang="nl",
    ...                frequency="year")  # doctest: +NORMALIZE_WHITESPACE
    'Inwoners in Emmen, van 1 januari 2023 tot en met 1 januari 2024. Laatste waarde,
     1 januari 2024: 109.346 inwoners. Dat is 1.346 meer dan op 1 januari 2023.
     Hoogste waarde: 109.346 inwoners, 1 januari 2024.'
    """
    points = [(p, float(v)) for p, v in zip(periods, values, strict=True) if _is_value(v)]
    if not points:
        return t("a11y.summary_no_data", lang, title=title, area=area)
    when = {p: period_text(p, frequency, lang) for p, _ in points}
    (first, _), (last, last_value) = points[0], points[-1]
    sentences = [
        t("a11y.summary_range", lang, title=title, area=area, start=when[first], end=when[last]),
        t(
            "a11y.summary_latest",
            lang,
            date=when[last],
            value=_with_unit(last_value, unit, decimals, lang),
        ),
    ]
    by_period = dict(points)
    if frequency in _WEEKLY_CHANGE:
        week_before = by_period.get(last - WEEK)
        if week_before is not None:
            _, words = describe_change(last_value - week_before, lang, decimals)
            sentences.append(t("a11y.summary_change", lang, change=words))
    elif len(points) > 1:
        previous, previous_value = points[-2]
        delta = round(last_value - previous_value, decimals)
        key = "same" if delta == 0 else ("more" if delta > 0 else "less")
        sentences.append(
            t(
                f"a11y.summary_previous_{key}",
                lang,
                value=format_number(abs(delta), lang, decimals=decimals),
                date=when[previous],
            )
        )
    if len(points) > 1:
        peak, peak_value = max(points, key=lambda point: point[1])
        sentences.append(
            t(
                "a11y.summary_peak",
                lang,
                value=_with_unit(peak_value, unit, decimals, lang),
                date=when[peak],
            )
        )
    if archived_since is not None:
        sentences.append(t("a11y.summary_archived", lang, date=format_date(archived_since, lang)))
    return " ".join(sentences)


def ranking_summary(
    title: str,
    level: str,
    period: str,
    values: Mapping[str, float | None],
    *,
    unit: str,
    decimals: int,
    lang: str,
) -> str:
    """A text summary of a map or ranking: which area is highest and lowest, and how many
    areas have no data. `values` maps area names to values; `level` is e.g. 'wijk';
    `period` is already in words.
    """
    present = {name: float(v) for name, v in values.items() if _is_value(v)}
    if not present:
        return t("a11y.ranking_no_data", lang, title=title, level=level, period=period)
    highest = max(present, key=lambda name: present[name])
    lowest = min(present, key=lambda name: present[name])
    sentences = [
        t("a11y.ranking_intro", lang, title=title, level=level, period=period),
        t(
            "a11y.ranking_highest",
            lang,
            area=highest,
            value=_with_unit(present[highest], unit, decimals, lang),
        ),
    ]
    if lowest != highest:
        sentences.append(
            t(
                "a11y.ranking_lowest",
                lang,
                area=lowest,
                value=_with_unit(present[lowest], unit, decimals, lang),
            )
        )
    missing = len(values) - len(present)
    if missing:
        sentences.append(t("a11y.ranking_missing", lang, count=missing, total=len(values)))
    return " ".join(sentences)
