"""Own area selection (/buurten/selectie?gebieden=WK011401,WK011402): a visitor picks several
wijken or buurten of the home municipality, from a list with a search box or on the map, and
gets their combined figures next to the gemeente's, each computed by the indicator's catalog
rule (data/aggregation.py). The selection is the address, so it can be shared and pinned.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from data.aggregation import Combined, combine, inputs_of
from data.catalog import Indicator
from data.reader import Reader, memoized
from layouts.embed import embed_dialog
from layouts.figure_block import BlockIds, Source, data_table, figure_block, source_line
from layouts.figures.choropleth import choropleth_figure, highlight_view
from layouts.figures.map_poster import map_poster
from layouts.figures.ranking import format_values
from layouts.i18n import format_number, normalize_lang, t
from layouts.map_geometry import geometry_url
from layouts.no_data import no_data_notice
from layouts.pages import ReaderSource, with_reader
from layouts.pages.neighbourhoods import (
    GEOMETRY_DATASETS,
    area_codes,
    areas_word,
    available_indicators,
    figure_datasets,
    periods_by_year,
    profile_href,
)
from layouts.views.selection import (
    MAX_AREAS,
    SELECTABLE_LEVELS,
    SelectionRequest,
    parse_selection,
    selection_query,
)
from layouts.views.urls import href

PATH = "/buurten/selectie"
MAP_IDS = BlockIds("sel-map")
RESULT_ID = "sel-result"
RESULT_TABLE_ID = "sel-result-table"
LIST_ID = "sel-areas"
FILTER_ID = "sel-filter"
SHOW_ID = "sel-show"
COUNT_ID = "sel-count"
STATE_ID = "sel-state"
NOTICE_ID = "sel-notice"
MAP_HEIGHT = 420


@dataclass(frozen=True)
class SelectionRow:
    """One indicator of the selection: its combined figure and the gemeente's own."""

    indicator: Indicator
    year: int
    combined: Combined
    municipality: float | None
    # True: the source has no gemeente figure for the year; `municipality` is all the
    # gemeente's areas of the level combined by the same rule
    municipality_from_parts: bool = False


def levels_of(reader: Reader) -> dict[str, str]:
    """Code -> level ("wk"/"bu") of the home municipality's wijken and buurten."""
    return {code: level for level in SELECTABLE_LEVELS for code in area_codes(reader, level)}


def _values_at(reader: Reader, indicator: str, level: str, period) -> dict[str, float]:
    """The values of `indicator` at `period`, or at its latest earlier period (a yearly weight
    for a figure of another date)."""
    earlier = [p for p in reader.periods(indicator, level) if pd.Timestamp(p) <= period]
    if not earlier:
        return {}
    frame = reader.snapshot(indicator, level, max(earlier))
    return dict(zip(frame["area"].astype(str), frame["value"].astype("float64"), strict=True))


def _home_value(reader: Reader, indicator: str, period) -> float | None:
    frame = reader.snapshot(indicator, "gm", period)
    hits = frame.loc[frame["area"] == reader.home, "value"]
    return float(hits.iloc[0]) if not hits.empty and pd.notna(hits.iloc[0]) else None


def selection_rows(reader: Reader, codes: tuple[str, ...], level: str) -> list[SelectionRow]:
    """Every indicator with values at `level`, combined over `codes` for its latest year."""
    return _selection_rows(reader, tuple(codes), level) if reader.version else []


@memoized()
def _selection_rows(reader: Reader, codes: tuple[str, ...], level: str) -> list[SelectionRow]:
    catalog = reader.catalog
    rows = []
    for indicator_id in available_indicators(reader, level):
        by_year = periods_by_year(reader, indicator_id, level)
        if not by_year:
            continue
        year, period = list(by_year.items())[-1]
        indicator = catalog.indicator(indicator_id)
        values = {i: _values_at(reader, i, level, period) for i in inputs_of(indicator)}
        area_unit = catalog.indicator(indicator.per_area).unit.nl if indicator.per_area else "ha"
        municipality = _home_value(reader, indicator_id, period)
        whole = None
        if municipality is None:
            whole = combine(indicator, area_codes(reader, level), values, area_unit)
        rows.append(
            SelectionRow(
                indicator=indicator,
                year=year,
                combined=combine(indicator, codes, values, area_unit),
                municipality=whole.value if whole is not None else municipality,
                municipality_from_parts=whole is not None and whole.value is not None,
            )
        )
    return rows


# Texts ---------------------------------------------------------------------------------------


def how_combined(reader: Reader, indicator: Indicator, lang: str) -> str:
    catalog = reader.catalog

    def name(ref: str | None) -> str:
        return catalog.indicator(ref).title.get(lang).lower() if ref else ""

    return t(
        f"selection.how.{indicator.aggregation}",
        lang,
        weight=name(indicator.weight),
        numerator=name(indicator.numerator),
        area=name(indicator.per_area),
    )


def combined_text(reader: Reader, row: SelectionRow, names: dict[str, str], lang: str) -> str:
    combined, indicator = row.combined, row.indicator
    if combined.status == "not_combinable":
        return t("selection.not_combinable", lang)
    if combined.status == "no_data":
        return t("selection.no_data", lang)
    if combined.status == "suppressed":
        base = indicator.weight or indicator.numerator or indicator.id
        unit = reader.catalog.indicator(base).unit.get(lang)
        return t("selection.suppressed", lang, limit=indicator.disclosure_limit, unit=unit)
    text = format_number(combined.value, lang, decimals=indicator.decimals)
    if combined.missing:
        missing = ", ".join(names.get(c, c) for c in combined.missing)
        text += f" ({t('selection.without', lang, names=missing)})"
    return text


def result_table(
    reader: Reader, rows: list[SelectionRow], count: int, level: str, lang: str
) -> html.Div:
    names = reader.area_names()
    home = names.get(reader.home, reader.home)
    columns = [
        t("selection.column_indicator", lang),
        t("selection.column_selection", lang),
        home,
        t("selection.column_how", lang),
        t("selection.column_year", lang),
    ]
    body = []
    for row in rows:
        title_cell = [
            row.indicator.title.get(lang),
            html.Br(),
            html.Span(row.indicator.unit.get(lang), className="small text-muted"),
        ]
        municipality = format_values([row.municipality], lang, row.indicator.decimals)[0]
        if row.municipality_from_parts:
            municipality += " *"
        body.append(
            [
                title_cell,
                combined_text(reader, row, names, lang),
                municipality,
                how_combined(reader, row.indicator, lang),
                str(row.year),
            ]
        )
    caption = t("selection.result_caption", lang, count=count, areas=areas_word(level, lang))
    return data_table(
        columns,
        body,
        caption,
        table_id=RESULT_TABLE_ID,
        numeric=[False, True, True, False, False],
    )


def result_source(reader: Reader, rows: list[SelectionRow], lang: str, title: str) -> html.P:
    catalog = reader.catalog
    seen: dict[str, Source] = {}
    for row in rows:
        for dataset_id in figure_datasets(reader, row.indicator, row.year):
            seen.setdefault(dataset_id, Source.of(catalog.datasets[dataset_id], lang))
    latest = max((row.year for row in rows), default=None)
    date = pd.Timestamp(f"{latest}-01-01") if latest else None
    return source_line(list(seen.values()), date, lang, None, None, title)


# Parts of the page -------------------------------------------------------------------------


def selection_href(codes, level: str, lang: str) -> str:
    return href(PATH, selection_query(codes, level), lang)


def notices(request: SelectionRequest, lang: str) -> list:
    found = []
    if request.unknown:
        found.append(t("selection.unknown", lang, codes=", ".join(request.unknown[:20])))
    if request.other_level:
        found.append(
            t(
                "selection.other_level",
                lang,
                areas=areas_word(request.level, lang),
                codes=", ".join(request.other_level[:20]),
            )
        )
    if request.dropped:
        found.append(t("selection.dropped", lang, max=MAX_AREAS, count=request.dropped))
    return [dbc.Alert(text, color="warning", className="mb-2") for text in found]


def level_links(level: str, lang: str) -> html.Nav:
    items = []
    for other in SELECTABLE_LEVELS:
        label = t(f"neighbourhood_map.level.{other}", lang)
        current = other == level
        items.append(
            html.Li(
                html.A(
                    label,
                    href=selection_href((), other, lang),
                    className="btn btn-sm btn-primary"
                    if current
                    else "btn btn-sm btn-outline-primary",
                    **({"aria-current": "page"} if current else {}),
                ),
                className="list-inline-item",
            )
        )
    return html.Nav(
        html.Ul(items, className="list-inline mb-3"),
        **{"aria-label": t("selection.level_legend", lang)},
    )


def area_options(codes: list[str], names: dict[str, str]) -> list[dict]:
    return [{"label": f"{names.get(c, c)} ({c})", "value": c} for c in codes]


def picker(codes: list[str], chosen: tuple[str, ...], names, level: str, lang: str) -> html.Div:
    areas = areas_word(level, lang)
    return html.Div(
        [
            html.Label(
                [
                    t("selection.filter_label", lang),
                    html.Span(t("selection.filter_hint", lang), className="d-block small"),
                ],
                htmlFor=FILTER_ID,
                className="form-label",
            ),
            dcc.Input(
                id=FILTER_ID,
                type="search",
                debounce=False,
                maxLength=100,
                className="form-control mb-2",
                autoComplete="off",
            ),
            html.Fieldset(
                [
                    html.Legend(t("selection.pick_legend", lang, areas=areas), className="h6"),
                    html.Div(
                        # native checkboxes with their labels (dcc.Checklist draws a
                        # listbox of options that hold inputs: nested interactive controls)
                        dbc.Checklist(
                            id=LIST_ID, options=area_options(codes, names), value=list(chosen)
                        ),
                        className="mm-selection-list",
                        style={"maxHeight": "22rem", "overflowY": "auto"},
                    ),
                ]
            ),
            html.P(
                t("selection.chosen_count", lang, count=len(chosen), max=MAX_AREAS),
                id=COUNT_ID,
                className="small mt-2",
                role="status",
            ),
            html.P(
                [
                    dcc.Link(
                        t("selection.show", lang),
                        id=SHOW_ID,
                        href=selection_href(chosen, level, lang),
                        className="btn btn-primary me-2",
                    ),
                    dcc.Link(
                        t("selection.clear", lang),
                        href=selection_href((), level, lang),
                        className="btn btn-outline-primary",
                    ),
                ]
            ),
        ]
    )


def selected_view(codes: list[str], chosen) -> object:
    """A locator map with every chosen area dark."""
    view = highlight_view(codes, "")
    marked = set(chosen)
    return dataclasses.replace(
        view,
        z=[1 if c in marked else 0 for c in codes],
        class_by_code={c: (1 if c in marked else 0) for c in codes},
    )


def map_block(reader: Reader, chosen, names, level: str, lang: str):
    geometry = reader.geometry(level)
    codes = reader.home_geometry_codes(level)
    if not geometry or not codes:
        return None
    areas = areas_word(level, lang)
    title = t("selection.map_title", lang, areas=areas)
    shown = selected_view(codes, chosen)
    figure = choropleth_figure(
        geometry,
        shown,
        names,
        basemap=reader.site.basemap,
        geojson_url=geometry_url(reader, level),
    )
    table = data_table(
        [t("common.area", lang)],
        [[names.get(c, c)] for c in chosen] or [[t("selection.none_chosen", lang, areas=areas)]],
        t("selection.map_table_caption", lang, areas=areas),
    )
    dataset = reader.catalog.datasets[GEOMETRY_DATASETS[level]]
    meta = source_line([Source.of(dataset, lang)], None, lang, None, None, title)
    return figure_block(
        MAP_IDS,
        title,
        figure,
        t("selection.map_summary", lang, areas=areas),
        table,
        meta,
        lang,
        graph_height=MAP_HEIGHT,
        poster=map_poster(geometry, shown, basemap=reader.site.basemap),
    )


def result_section(reader: Reader, request: SelectionRequest, names, lang: str) -> html.Section:
    level, codes = request.level, request.codes
    areas = areas_word(level, lang, plural=len(codes) != 1)
    heading = t("selection.result_heading", lang, count=len(codes), areas=areas)
    rows = selection_rows(reader, codes, level)
    chosen = [html.A(names.get(c, c), href=profile_href(c, lang)) for c in codes]
    listed: list = []
    for index, link in enumerate(chosen):
        listed += ([", "] if index else []) + [link]
    return html.Section(
        [
            html.H2(heading, id=f"{RESULT_ID}-title", className="h4 mt-3"),
            html.P([t("selection.result_areas", lang), ": ", *listed, "."], className="mb-2"),
            result_table(reader, rows, len(codes), level, lang),
            html.P(t("selection.secret_note", lang), className="small mt-2 mb-1"),
            html.P(t("selection.rounding_note", lang), className="small mb-1"),
            html.P(
                t("selection.from_parts_note", lang, areas=areas_word(level, lang)),
                className="small mb-1",
            )
            if any(row.municipality_from_parts for row in rows)
            else None,
            html.Div(result_source(reader, rows, lang, heading), id=f"{RESULT_ID}-meta"),
            embed_dialog(RESULT_ID, heading, lang),
        ],
        id=RESULT_ID,
        className="mm-block mb-4",
        **{"aria-labelledby": f"{RESULT_ID}-title"},
    )


def layout(
    reader: Reader,
    gebieden=None,
    niveau: str | None = None,
    lang: str = "nl",
    **_query,
) -> html.Div:
    lang = normalize_lang(lang)
    title = html.H1(t("selection.title", lang))
    if reader.version is None:
        return html.Div([title, no_data_notice(reader, lang)])
    request = parse_selection(gebieden, levels_of(reader), niveau)
    level = request.level
    names = reader.area_names()
    codes = area_codes(reader, level)
    parts: list = [
        title,
        html.P(t("selection.lead", lang), className="lead"),
        html.Div(notices(request, lang), id=NOTICE_ID),
        level_links(level, lang),
        dcc.Store(id=STATE_ID, data={"level": level, "lang": lang}),
    ]
    if request.codes:
        parts.append(result_section(reader, request, names, lang))
    block = map_block(reader, request.codes, names, level, lang)
    parts.append(
        dbc.Row(
            [
                dbc.Col(picker(codes, request.codes, names, level, lang), lg=5),
                dbc.Col(block, lg=7),
            ]
        )
    )
    return html.Div(parts, className="mm-map")


def register(reader_of: ReaderSource) -> None:
    dash.register_page(
        "selection",
        path=PATH,
        layout=with_reader(layout, reader_of, memo="selection"),
        name="Selectie",
        titles={"nl": "Eigen selectie van wijken of buurten", "en": "Own selection of areas"},
        title="Eigen selectie | MMmeter",
        nav=False,
        # Dash matches pages in `order`: before the area profile, whose template
        # /buurten/<code> would otherwise take "selectie".
        order=3.5,
    )
