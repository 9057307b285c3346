"""Rankings of areas for one indicator: ranks, a bar chart, a sortable table and a CSV (pure).

The map, its hover labels, the ranking chart, the table and the CSV download all take their
numbers from `rank_areas`, so they always agree. Rank 1 is the highest value; areas with the
same value share the best rank among them ("gedeeld 3e"); areas without a value have no rank
and come last.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from html import escape
from typing import Literal

import plotly.graph_objects as go
from dash import dcc, html

from layouts.i18n import NO_DATA, normalize_lang, t
from layouts.markup import components_from_markup

SortKey = Literal["rank", "name", "value"]
SORT_KEYS: tuple[SortKey, ...] = ("rank", "name", "value")
BAR_HEIGHT_PX = 24
BAR_OUTLINE = "#4d4d4d"

# Thousands and decimal separators per language, as babel writes them for nl_NL and en_GB.
_SEPARATORS = {"nl": str.maketrans({",": ".", ".": ","}), "en": str.maketrans({})}


def _finite(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_values(values: Iterable[object], lang: str, decimals: int = 0) -> list[str]:
    """Many numbers formatted exactly as `layouts.i18n.format_number` does, but fast.

    A map of 342 municipalities formats 342 values on every change of week; babel takes
    about 60 µs a number, this about 3 µs. Rounds half up; missing values give '–'.
    """
    table = _SEPARATORS[normalize_lang(lang)]
    quantum = Decimal(1).scaleb(-decimals)
    out: list[str] = []
    for value in values:
        number = _finite(value)
        if number is None:
            out.append(NO_DATA)
            continue
        try:
            rounded = Decimal(str(number)).quantize(quantum, rounding=ROUND_HALF_UP)
        except InvalidOperation:
            out.append(NO_DATA)
            continue
        if not rounded:
            rounded = abs(rounded)  # no "-0"
        out.append(f"{rounded:,.{decimals}f}".translate(table))
    return out


@dataclass(frozen=True)
class RankedArea:
    code: str
    name: str
    value: float | None
    value_text: str
    rank: int | None  # 1 = highest value; None = no value
    tied: bool = False


def rank_areas(
    values: Mapping[str, object], names: Mapping[str, str | None], decimals: int, lang: str
) -> list[RankedArea]:
    """Every area of `values` (code -> value) with its formatted value and rank, best first.

    Ties share the best rank among them; areas without a value come last, by name.
    """
    numbers = {code: _finite(value) for code, value in values.items()}
    present = sorted((v for v in numbers.values() if v is not None), reverse=True)
    first_rank: dict[float, int] = {}
    for position, value in enumerate(present, start=1):
        first_rank.setdefault(value, position)
    counts: dict[float, int] = {}
    for value in present:
        counts[value] = counts.get(value, 0) + 1
    codes = list(numbers)
    texts = dict(zip(codes, format_values(numbers.values(), lang, decimals), strict=True))
    rows = [
        RankedArea(
            code=code,
            name=names.get(code) or code,
            value=value,
            value_text=texts[code],
            rank=None if value is None else first_rank[value],
            tied=value is not None and counts[value] > 1,
        )
        for code, value in numbers.items()
    ]
    return sort_areas(rows, "rank")


def _name_key(row: RankedArea) -> tuple[str, str]:
    return (row.name.casefold(), row.code)


def sort_areas(
    rows: Sequence[RankedArea], key: SortKey, descending: bool = False
) -> list[RankedArea]:
    """Rows sorted by rank (1 first), name (A first) or value (lowest first); `descending`
    turns the order round. Areas without a value stay last either way.
    """
    with_value = [r for r in rows if r.value is not None]
    without = sorted((r for r in rows if r.value is None), key=_name_key)
    if key == "name":
        ordered = sorted(rows, key=_name_key, reverse=descending)
        return ordered
    if key == "rank":
        ordered = sorted(with_value, key=lambda r: (r.rank, *_name_key(r)))
    elif key == "value":
        ordered = sorted(with_value, key=lambda r: (r.value, *_name_key(r)))
    else:
        raise ValueError(f"unknown sort key {key!r}; use one of {SORT_KEYS}")
    if descending:
        ordered.reverse()
    return ordered + without


def rank_text(row: RankedArea, total: int, lang: str) -> str:
    """'rang 3 van 27', 'gedeeld 3e van 27', or '' when the area has no value."""
    if row.rank is None:
        return ""
    key = "maps.rank_tied" if row.tied else "maps.rank"
    return t(key, lang, rank=row.rank, total=total)


def ranked_count(rows: Sequence[RankedArea]) -> int:
    return sum(1 for r in rows if r.rank is not None)


def ranking_figure(
    rows: Sequence[RankedArea],
    colours: Mapping[str, str],
    *,
    unit: str,
    lang: str,
) -> go.Figure:
    """Horizontal bars, highest on top, each bar in its map class colour with its value."""
    ranked = [r for r in sort_areas(rows, "rank") if r.value is not None]
    total = len(ranked)
    figure = go.Figure(
        go.Bar(
            x=[r.value for r in ranked],
            y=[r.name for r in ranked],
            orientation="h",
            marker={
                "color": [colours.get(r.code, "#9e9e9e") for r in ranked],
                "line": {"color": BAR_OUTLINE, "width": 1},
            },
            text=[r.value_text for r in ranked],
            textposition="outside",
            cliponaxis=False,
            customdata=[[r.value_text, rank_text(r, total, lang)] for r in ranked],
            hovertemplate=(
                f"<b>%{{y}}</b><br>%{{customdata[0]}} {unit}<br>%{{customdata[1]}}<extra></extra>"
            ),
        )
    )
    figure.update_layout(
        margin={"l": 8, "r": 48, "t": 8, "b": 32},
        height=max(160, BAR_HEIGHT_PX * total + 56),
        yaxis={"autorange": "reversed", "automargin": True, "title": None},
        xaxis={"title": {"text": unit}, "rangemode": "tozero", "automargin": True},
        plot_bgcolor="#ffffff",
        showlegend=False,
        font={"size": 12},
    )
    return figure


def ranking_csv(rows: Sequence[RankedArea], *, indicator: str, period: str) -> str:
    """CSV with one line per area: code, name, period, value (full precision), rank."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["indicator", "area", "name", "period", "value", "rank"])
    for row in sort_areas(rows, "rank"):
        writer.writerow(
            [
                indicator,
                row.code,
                row.name,
                period,
                "" if row.value is None else repr(row.value),
                "" if row.rank is None else row.rank,
            ]
        )
    return buffer.getvalue()


@dataclass(frozen=True)
class TableSort:
    key: SortKey = "rank"
    descending: bool = False

    def toggled(self, key: str) -> TableSort:
        """The sort after a click on the header of `key`: same column flips, new one starts."""
        wanted: SortKey = key if key in SORT_KEYS else "rank"  # type: ignore[assignment]
        if wanted == self.key:
            return TableSort(wanted, not self.descending)
        return TableSort(wanted, wanted == "value")


def _aria_sort(sort: TableSort, key: SortKey) -> str:
    if sort.key != key:
        return "none"
    return "descending" if sort.descending else "ascending"


def ranking_table(
    rows: Sequence[RankedArea],
    *,
    caption: str,
    area_header: str,
    value_header: str,
    lang: str,
    sort: TableSort = TableSort(),
    sort_id_type: str | None = None,
    href: Callable[[str], str] | None = None,
    table_id: str | None = None,
) -> html.Div:
    """An HTML table (rank, area, value) in its own scroll box.

    With `sort_id_type`, the column headers are buttons with ids
    {"type": sort_id_type, "column": key} and the header cells carry aria-sort. With `href`,
    area names link to href(code).
    """
    total = ranked_count(rows)
    headers: list[tuple[SortKey, str]] = [
        ("rank", t("maps.rank_header", lang)),
        ("name", area_header),
        ("value", value_header),
    ]

    def header_cell(key: SortKey, label: str) -> html.Th:
        props = {"scope": "col", "className": "text-end" if key != "name" else None}
        if sort_id_type is None:
            return html.Th(label, **props)
        arrow = {"ascending": " ▲", "descending": " ▼", "none": ""}[_aria_sort(sort, key)]
        return html.Th(
            html.Button(
                [label, html.Span(arrow, **{"aria-hidden": "true"})],
                id={"type": sort_id_type, "column": key},
                type="button",
                className="btn btn-link p-0 fw-bold text-decoration-none mm-sort",
                title=t("maps.sort_by", lang, column=label),
            ),
            **props,
            **{"aria-sort": _aria_sort(sort, key)},
        )

    def name_cell(row: RankedArea):
        return html.A(row.name, href=href(row.code)) if href else row.name

    body = [
        html.Tr(
            [
                html.Td(
                    rank_text(row, total, lang) if row.tied else (row.rank or NO_DATA),
                    className="text-end",
                ),
                html.Th(name_cell(row), scope="row"),
                html.Td(
                    row.value_text if row.value is not None else t("common.no_data", lang),
                    className="text-end",
                ),
            ]
        )
        for row in sort_areas(rows, sort.key, sort.descending)
    ]
    return html.Div(
        html.Table(
            [
                html.Caption(caption),
                html.Thead(html.Tr([header_cell(k, label) for k, label in headers])),
                html.Tbody(body),
            ],
            className="table table-sm table-striped mb-0",
            **({"id": table_id} if table_id else {}),
        ),
        className="mm-table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": caption},
    )


def ranking_table_html(
    rows: Sequence[RankedArea],
    *,
    caption: str,
    caption_id: str,
    area_header: str,
    value_header: str,
    lang: str,
    href: Callable[[str], str] | None = None,
) -> str:
    """The same table as `ranking_table` (unsorted headers), as one HTML string.

    A table alternative that is sent again on every switch of topic or level: as markup it is
    a few KB and costs nothing to build, where Dash components cost ~0.5 KB and ~0.2 ms a row.
    Show it with `html_table`.
    """
    total = ranked_count(rows)
    no_data = escape(t("common.no_data", lang))
    headers = (t("maps.rank_header", lang), area_header, value_header)
    aligned = (
        '<th scope="col" class="text-end">',
        '<th scope="col">',
        '<th scope="col" class="text-end">',
    )
    head = "".join(
        f"{opening}{escape(label)}</th>" for opening, label in zip(aligned, headers, strict=True)
    )
    body = []
    for row in sort_areas(rows, "rank"):
        rank = rank_text(row, total, lang) if row.tied else (row.rank or NO_DATA)
        name = escape(row.name)
        if href:
            name = f'<a href="{escape(href(row.code))}">{name}</a>'
        value = escape(row.value_text) if row.value is not None else no_data
        body.append(
            f'<tr><td class="text-end">{escape(str(rank))}</td><th scope="row">{name}</th>'
            f'<td class="text-end">{value}</td></tr>'
        )
    return (
        '<table class="table table-sm table-striped mb-0">'
        f'<caption id="{escape(caption_id)}">{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def html_table(markup: str, *, caption_id: str, component_id: str | None = None) -> html.Div:
    """An HTML table string (from `ranking_table_html`) as Dash components in its own scroll
    box, named by its caption."""
    return html.Div(
        html.Div(components_from_markup(markup), **({"id": component_id} if component_id else {})),
        className="mm-table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-labelledby": caption_id},
    )


def csv_download(content: str, filename: str) -> dict:
    """What a dcc.Download needs for a CSV file."""
    return dcc.send_string(content, filename, type="text/csv")
