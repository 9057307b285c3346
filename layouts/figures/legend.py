"""The HTML legend of a choropleth map: classes with their bounds, how many areas each holds,
the "no data" entry and where reference values (Emmen, the average, the Netherlands) fall.

Bounds follow geo.classify: a class runs from its lower bound up to, not including, the next
one; the last class includes its upper bound; fixed breaks have open-ended first and last
classes ("minder dan 5", "200 of meer"). Colour is never the only carrier: every row says its
bounds and count in words, reference values are named, and "no data" is hatched and named.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from dash import html

from data.catalog import Indicator
from layouts.figures.choropleth import MapView
from layouts.figures.ranking import format_values
from layouts.i18n import t

MARKER = "◆"


@dataclass(frozen=True)
class Reference:
    """A value to mark in the legend, e.g. ("Emmen", 7.3) or ("Gemiddelde van de wijken", ...)."""

    label: str
    value: float | None


@dataclass(frozen=True)
class LegendRow:
    colour: str | None  # None: the hatched "no data" swatch
    label: str
    count: int
    count_text: str
    markers: tuple[str, ...] = ()

    @property
    def no_data(self) -> bool:
        return self.colour is None


def area_count_text(count: int, level: str, lang: str) -> str:
    """'1 gemeente', '23 gemeenten', '4 wijken'."""
    form = "one" if count == 1 else "other"
    return t(f"maps.count_{form}", lang, count=count, areas=t(f"maps.areas.{level}.{form}", lang))


def _decimals_needed(value: float | None, most: int) -> int:
    """The decimals a bound needs, at most `most`: 5.0 -> 0, 0.05 -> 2, 2.8 -> 1."""
    if value is None or not math.isfinite(value):
        return 0
    for places in range(most + 1):
        if abs(round(value, places) - value) < 1e-9:
            return places
    return most


def format_bound(value: float | None, decimals: int, lang: str) -> str:
    """A class bound with no more decimals than it has: fixed breaks read '5', not '5,0'."""
    return format_values([value], lang, _decimals_needed(value, decimals))[0]


def class_label(
    lower: float | None, upper: float | None, *, last: bool, decimals: int, lang: str
) -> str:
    """The bounds of one class in words: 'minder dan 5', '5 tot 10', '10 tot en met 12',
    '200 of meer', or one value when lower == upper."""
    low, high = format_bound(lower, decimals, lang), format_bound(upper, decimals, lang)
    if lower is None and upper is None:
        return t("maps.class_all", lang)
    if lower is None:
        return t("maps.class_below", lang, upper=high)
    if upper is None:
        return t("maps.class_from", lang, lower=low)
    if lower == upper:
        return low
    key = "maps.class_range_last" if last else "maps.class_range"
    return t(key, lang, lower=low, upper=high)


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def reference_class(view: MapView, value: float | None) -> int | None:
    """The class a reference value falls in; None when it is missing or outside the classes
    (a municipality's total is not in the range of its districts' values, for example)."""
    bounds = view.classification.bounds
    if not _finite(value) or not bounds:
        return None
    if not bounds[0][0] <= value <= bounds[-1][1]:  # type: ignore[operator]
        return None
    return view.classification.class_of(value)


def legend_rows(
    view: MapView,
    indicator: Indicator,
    level: str,
    lang: str,
    references: Sequence[Reference] = (),
) -> list[LegendRow]:
    """One row per class, lowest first, then "no data" when some areas have none."""
    decimals = indicator.decimals
    marks: dict[int, list[str]] = {}
    for reference in references:
        index = reference_class(view, reference.value)
        if index is not None:
            value = format_values([reference.value], lang, decimals)[0]
            marks.setdefault(index, []).append(f"{reference.label}: {value}")
    k = view.classification.k
    rows = []
    for index, ((lower, upper), count) in enumerate(
        zip(view.classification.bounds, view.classification.counts, strict=True)
    ):
        rows.append(
            LegendRow(
                colour=view.colours[index],
                label=class_label(
                    lower if math.isfinite(lower) else None,
                    upper if math.isfinite(upper) else None,
                    last=index == k - 1,
                    decimals=decimals,
                    lang=lang,
                ),
                count=count,
                count_text=area_count_text(count, level, lang),
                markers=tuple(marks.get(index, ())),
            )
        )
    missing = view.classification.no_data
    if missing:
        rows.append(
            LegendRow(
                colour=None,
                label=t("maps.no_data", lang),
                count=missing,
                count_text=area_count_text(missing, level, lang),
            )
        )
    return rows


def method_text(indicator: Indicator, view: MapView, level: str, lang: str) -> str:
    """How the classes were made, in one sentence."""
    if not view.classification.k:
        return ""
    method = indicator.map.method
    areas = t(f"maps.areas.{level}.other", lang)
    return t(f"maps.method.{method}", lang, areas=areas)


def unplaced_references(view: MapView, references: Sequence[Reference]) -> list[Reference]:
    """References with a value that falls in no class (shown under the legend instead)."""
    return [r for r in references if _finite(r.value) and reference_class(view, r.value) is None]


def _swatch(row: LegendRow) -> html.Span:
    """A colour sample (styled by app/assets/2-site/maps.css); hatched grey for "no data"."""
    if row.no_data:
        return html.Span(className="mm-swatch mm-swatch-none", **{"aria-hidden": "true"})
    return html.Span(
        className="mm-swatch", style={"backgroundColor": row.colour}, **{"aria-hidden": "true"}
    )


def map_legend(
    view: MapView,
    indicator: Indicator,
    level: str,
    lang: str,
    *,
    legend_id: str,
    references: Sequence[Reference] = (),
) -> html.Div:
    """The legend as HTML: a heading with the unit, one list item per class, the method."""
    title_id = f"{legend_id}-title"
    items = []
    for row in legend_rows(view, indicator, level, lang, references):
        parts: list = [
            _swatch(row),
            html.Span(
                [html.Span(row.label, className="fw-semibold"), f" ({row.count_text})"],
            ),
        ]
        for marker in row.markers:
            parts += [
                html.Br(),
                html.Span(
                    [html.Span(f"{MARKER} ", **{"aria-hidden": "true"}), marker],
                    className="mm-legend-marker ms-4",
                ),
            ]
        items.append(html.Li(html.Div(parts), className="mb-1"))
    notes = []
    method = method_text(indicator, view, level, lang)
    if method:
        notes.append(html.P(method, className="small mb-1"))
    for reference in unplaced_references(view, references):
        value = format_values([reference.value], lang, indicator.decimals)[0]
        notes.append(
            html.P(
                t("maps.reference_outside", lang, label=reference.label, value=value),
                className="small mb-1",
            )
        )
    return html.Div(
        [
            html.P(
                [t("map.legend", lang), html.Br(), html.Span(indicator.unit.get(lang))],
                id=title_id,
                className="fw-bold mb-1",
            ),
            html.Ul(
                items,
                className="list-unstyled mb-2",
                **{"aria-labelledby": title_id},
            ),
            *notes,
        ],
        id=legend_id,
        className="mm-legend",
    )


def empty_legend(level: str, count: int, lang: str, *, legend_id: str) -> html.Div:
    """The legend of a map without figures: only the "no data" entry."""
    title_id = f"{legend_id}-title"
    row = LegendRow(None, t("maps.no_data", lang), count, area_count_text(count, level, lang))
    return html.Div(
        [
            html.P(t("map.legend", lang), id=title_id, className="fw-bold mb-1"),
            html.Ul(
                html.Li(
                    html.Div(
                        [
                            _swatch(row),
                            html.Span(
                                [
                                    html.Span(row.label, className="fw-semibold"),
                                    f" ({row.count_text})",
                                ]
                            ),
                        ]
                    )
                ),
                className="list-unstyled mb-2",
                **{"aria-labelledby": title_id},
            ),
        ],
        id=legend_id,
        className="mm-legend",
    )
