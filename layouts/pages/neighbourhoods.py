"""Neighbourhood map (/buurten): Emmen's wijken or buurten coloured by any indicator with
values at that level, with a year choice, a legend, a search box, and a compare section (ranking
chart, sortable table, CSV) with the same numbers as the map. A click or the search box opens
the area profile (/buurten/<code>).

Areas with figures but no polygon, or a polygon but no figures, are named on the page. With the
shared mirror there are no buurt figures: the buurt level shows its (schematic) boundaries and
says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from data.catalog import Indicator
from data.reader import Reader, memoized
from geo.registry import MissingReport, missing_report
from layouts.downloads import DownloadQuery
from layouts.figure_block import BlockIds, figure_block, source_line
from layouts.figures.choropleth import choropleth_figure
from layouts.figures.map_poster import map_poster
from layouts.figures.ranking import (
    TableSort,
    html_table,
    ranking_figure,
    ranking_table,
    ranking_table_html,
)
from layouts.i18n import normalize_lang, t
from layouts.map_geometry import geometry_url
from layouts.map_state import (
    LEVELS,
    NeighbourhoodMapState,
    neighbourhood_map_query,
    parse_neighbourhood_map,
)
from layouts.no_data import no_data_notice
from layouts.pages import ReaderSource, with_reader
from layouts.pages.corona_map import radio_group, search_box
from layouts.views.area_pages import area_path
from layouts.views.area_search import find_area
from layouts.views.maps import (
    GEOMETRY_DATASETS,
    AreaMap,
    ShowsAreaMap,
    load_area_map,
    map_sources,
    values_of,
)
from layouts.views.maps import figure_datasets as views_figure_datasets
from layouts.views.urls import href
from layouts.wire import as_sent

PATH = "/buurten"
IDS = BlockIds("nbh-map")
RANKING_IDS = BlockIds("nbh-ranking")
LEVEL_ID = "nbh-level"
INDICATOR_ID = "nbh-indicator"
YEAR_ID = "nbh-year"
YEAR_BOX_ID = "nbh-year-box"
LEGEND_ID = "nbh-legend"
NOTES_ID = "nbh-notes"
SEARCH_ID = "nbh-search"
SEARCH_BOX_ID = "nbh-search-box"
OPEN_ID = "nbh-open"
NAVIGATE_ID = "nbh-navigate"
STATE_ID = "nbh-state"
SOURCE_ID = "nbh-source"
COMPARE_ID = "nbh-compare"
SORTED_TABLE_ID = "nbh-sorted-table"
SORTED_BOX_ID = "nbh-sorted-box"
SORT_TYPE = "nbh-sort"
SORT_STORE_ID = "nbh-sort-state"
DOWNLOAD_ID = "nbh-download"
DOWNLOAD_BUTTON_ID = "nbh-download-button"
GRAPH_HEIGHT = 520


@dataclass(frozen=True)
class NeighbourhoodMap(ShowsAreaMap):
    """One view of the map: the resolved state, the topics and years it offers, and the map
    view (layouts/views/maps.py) that the map, legend, summary and tables all read."""

    state: NeighbourhoodMapState  # with the year actually shown
    indicators: list[str]
    years: list[int]
    area: AreaMap
    missing: MissingReport

    @property
    def level(self) -> str:
        return self.state.level


def profile_href(code: str, lang: str) -> str:
    return href(area_path(code, ""), None, lang)


def area_codes(reader: Reader, level: str) -> list[str]:
    """The areas of `level` in the home municipality, from the registry."""
    version = reader.version
    return _area_codes(reader, level) if version else []


@memoized()
def _area_codes(reader: Reader, level: str) -> list[str]:
    registry = reader.areas()
    codes = registry.loc[registry["level"] == level, "code"].astype(str)
    # WK0114xx and BU0114xxxx: the code itself says the municipality (geo.registry).
    return sorted(code for code in codes if reader.in_home(code))


def available_indicators(reader: Reader, level: str) -> list[str]:
    """Catalog indicators (in catalog order) that have values at `level` in the store."""
    levels = reader.indicator_levels()
    catalog = reader.catalog
    return [i for i in catalog.indicators if level in levels.get(i, [])]


def shown_indicators(reader: Reader) -> list[str]:
    """Every indicator the map can show, at either level."""
    return list(dict.fromkeys(i for lv in ("wk", "bu") for i in available_indicators(reader, lv)))


def periods_by_year(reader: Reader, indicator: str, level: str) -> dict[int, pd.Timestamp]:
    """The latest period of each year with values, by year."""
    by_year: dict[int, pd.Timestamp] = {}
    for period in reader.periods(indicator, level):
        stamp = pd.Timestamp(period)
        if stamp.year not in by_year or stamp > by_year[stamp.year]:
            by_year[stamp.year] = stamp
    return dict(sorted(by_year.items()))


def load(reader: Reader, state: NeighbourhoodMapState, lang: str) -> NeighbourhoodMap:
    """The map for `state`, memoized on the store version like the queries it comes from."""
    return _content(reader, state.level, state.indicator, state.year, lang)


@memoized()
def _content(
    reader: Reader, level: str, indicator_id: str, year: int | None, lang: str
) -> NeighbourhoodMap:
    state = NeighbourhoodMapState(level, indicator_id, year)
    codes = reader.home_geometry_codes(state.level)
    indicators = available_indicators(reader, state.level)
    years: list[int] = []
    values: dict[str, float] = {}
    indicator = period = None
    if indicators:
        state = state.with_indicator_from(indicators)
        by_year = periods_by_year(reader, state.indicator, state.level)
        years = list(by_year)
        state = state.with_year_from(years)
        indicator = reader.catalog.indicator(state.indicator)
        if state.year is not None:
            period = by_year[state.year]
            ours = set(area_codes(reader, state.level)) | set(codes)
            values = values_of(reader.snapshot(state.indicator, state.level, period))
            values = {code: value for code, value in values.items() if code in ours}
    # Without boundaries the figures still go into the summary, the table and the ranking.
    area = load_area_map(
        reader,
        indicator,
        state.level,
        lang,
        str(state.year),
        codes=codes,
        values=values,
        period=period,
    )
    registry = reader.areas()
    registry = registry[registry["level"] == state.level]  # the report reads names from it
    with_values = [code for code, value in values.items() if math.isfinite(value)]
    return NeighbourhoodMap(
        state=state,
        indicators=indicators,
        years=years,
        area=area,
        missing=missing_report(registry, codes, with_values, state.level),
    )


# Texts ----------------------------------------------------------------------------------


def areas_word(level: str, lang: str, plural: bool = True) -> str:
    return t(f"maps.areas.{level}.{'other' if plural else 'one'}", lang)


def title(content: NeighbourhoodMap) -> str:
    lang = content.lang
    if not content.has_figures:
        return t("neighbourhood_map.boundaries_title", lang, areas=areas_word(content.level, lang))
    return t(
        "neighbourhood_map.map_title",
        lang,
        indicator=content.indicator.title.get(lang),
        area=areas_word(content.level, lang, plural=False),
        year=content.state.year,
    )


def summary(content: NeighbourhoodMap) -> str:
    lang = content.lang
    if not content.has_figures:
        return t(
            "neighbourhood_map.boundaries_summary",
            lang,
            count=len(content.codes),
            areas=areas_word(content.level, lang),
            area=areas_word(content.level, lang, plural=False),
        )
    return content.area.summary(content.indicator.title.get(lang))


def legend(content: NeighbourhoodMap) -> html.Div:
    return content.area.legend(f"{LEGEND_ID}-content")


def _named(pairs: list[tuple[str, str | None]]) -> str:
    return ", ".join(f"{name} ({code})" if name else code for code, name in pairs)


def notes(reader: Reader, content: NeighbourhoodMap) -> list:
    """What the map cannot show, said plainly: no figures at this level, schematic boundaries,
    areas with figures but no polygon, polygons without figures."""
    lang, level = content.lang, content.level
    out = []
    if not content.has_figures:
        out.append(
            dbc.Alert(
                t("neighbourhood_map.no_figures", lang, areas=areas_word(level, lang)),
                color="info",
                className="mb-2",
            )
        )
    if content.has_figures and not content.codes:
        out.append(
            dbc.Alert(
                t("neighbourhood_map.no_boundaries", lang, areas=areas_word(level, lang)),
                color="info",
                className="mb-2",
            )
        )
    if is_schematic(reader, level):
        out.append(dbc.Alert(t("maps.schematic", lang), color="warning", className="mb-2"))
    if content.has_figures and content.codes and content.missing.values_without_polygon:
        out.append(
            html.P(
                t(
                    "maps.missing_polygon",
                    lang,
                    areas=_named(content.missing.values_without_polygon),
                ),
                className="small mb-1",
            )
        )
    if content.has_figures and content.missing.polygons_without_values:
        out.append(
            html.P(
                t(
                    "maps.missing_values",
                    lang,
                    areas=_named(content.missing.polygons_without_values),
                ),
                className="small mb-1",
            )
        )
    return out


def is_schematic(reader: Reader, level: str) -> bool:
    """Whether the boundaries of `level` come from a schematic mirror file."""
    dataset = reader.catalog.datasets.get(GEOMETRY_DATASETS.get(level, ""))
    return bool(reader.site.mirror and dataset is not None and dataset.schematic_in_mirror)


def figure_datasets(reader: Reader, indicator: Indicator, year: int | None) -> list[str]:
    """The datasets with figures per wijk or buurt behind `indicator` (layouts/views/maps.py)."""
    return views_figure_datasets(reader.catalog, indicator, "wk", year)


def meta(reader: Reader, content: NeighbourhoodMap) -> html.P:
    sources = map_sources(reader.catalog, content.area, content.state.year)
    date = pd.Timestamp(f"{content.state.year}-01-01") if content.has_figures else None
    download = (
        DownloadQuery((content.indicator.id,), level=content.level, start=date, end=date)
        if content.indicator is not None
        else None
    )
    return source_line(sources, date, content.lang, None, None, title(content), download=download)


def table_caption(content: NeighbourhoodMap) -> str:
    lang = content.lang
    if content.indicator is None:
        return title(content)
    return t(
        "neighbourhood_map.table_caption",
        lang,
        indicator=content.indicator.title.get(lang),
        area=areas_word(content.level, lang, plural=False),
        year=content.state.year,
    )


def value_header(content: NeighbourhoodMap) -> str:
    return content.area.value_header()


def sortable_table(content: NeighbourhoodMap, sort: TableSort) -> html.Div:
    """The areas with rank and value; the column headers sort the table."""
    lang = content.lang
    return ranking_table(
        content.view.rows,
        caption=table_caption(content),
        area_header=areas_word(content.level, lang, plural=False).capitalize(),
        value_header=value_header(content),
        lang=lang,
        sort=sort,
        sort_id_type=SORT_TYPE,
        href=lambda code: profile_href(code, lang),
        table_id=SORTED_TABLE_ID,
    )


def table(content: NeighbourhoodMap, caption_id: str) -> html.Div:
    """The table alternative of a chart: the same rows, as one HTML string."""
    lang = content.lang
    markup = ranking_table_html(
        content.view.rows,
        caption=table_caption(content),
        caption_id=caption_id,
        area_header=areas_word(content.level, lang, plural=False).capitalize(),
        value_header=value_header(content),
        lang=lang,
        href=lambda code: profile_href(code, lang),
    )
    return html_table(markup, caption_id=caption_id)


def map_table(content: NeighbourhoodMap) -> html.Div:
    return table(content, f"{IDS.table}-caption")


def ranking_title(content: NeighbourhoodMap) -> str:
    lang = content.lang
    if content.indicator is None:
        return t("neighbourhood_map.compare_heading", lang, areas=areas_word(content.level, lang))
    return t(
        "neighbourhood_map.ranking_title",
        lang,
        indicator=content.indicator.title.get(lang),
        year=content.state.year,
    )


def ranking(content: NeighbourhoodMap):
    area = content.area
    return ranking_figure(area.rows, area.view.colour_by_code, unit=area.unit, lang=area.lang)


def compare_section(reader: Reader, content: NeighbourhoodMap, sort: TableSort) -> list:
    """Ranking chart and the sortable table with its CSV download (or why there are none)."""
    lang = content.lang
    heading = html.H2(
        t("neighbourhood_map.compare_heading", lang, areas=areas_word(content.level, lang)),
        className="h4 mt-4",
    )
    if not content.has_figures:
        return [
            heading,
            html.P(t("neighbourhood_map.no_figures", lang, areas=areas_word(content.level, lang))),
        ]
    figure = ranking(content)
    return [
        heading,
        figure_block(
            RANKING_IDS,
            ranking_title(content),
            figure,
            summary(content),
            table(content, f"{RANKING_IDS.table}-caption"),
            html.Div(meta(reader, content)),
            lang,
            heading_level=3,
            graph_height=int(figure.layout.height or 400),
        ),
        html.Div(sortable_table(content, sort), id=SORTED_BOX_ID),
    ]


def download_style(content: NeighbourhoodMap) -> dict:
    return {} if content.has_figures else {"display": "none"}


def state_data(content: NeighbourhoodMap) -> dict:
    other = "en" if content.lang == "nl" else "nl"
    return {
        "lang": content.lang,
        "level": content.state.level,
        "indicator": content.state.indicator,
        "year": content.state.year,
        "url": href(PATH) + neighbourhood_map_query(content.state, content.lang),
        "url_other_lang": href(PATH) + neighbourhood_map_query(content.state, other),
    }


# Controls -------------------------------------------------------------------------------


def indicator_options(reader: Reader, content: NeighbourhoodMap) -> list[dict]:
    catalog = reader.catalog
    return [
        {"label": catalog.indicator(i).title.get(content.lang), "value": i}
        for i in content.indicators
    ]


def indicator_placeholder(content: NeighbourhoodMap) -> str:
    """Shown in the disabled topic list when no topic has figures at this level."""
    if content.indicators:
        return ""
    area = areas_word(content.level, content.lang, plural=False)
    return t("neighbourhood_map.no_indicator", content.lang, area=area)


def year_options(content: NeighbourhoodMap) -> list[dict]:
    return [{"label": str(year), "value": year} for year in content.years]


def year_box_style(content: NeighbourhoodMap) -> dict:
    return {} if len(content.years) > 1 else {"display": "none"}


def controls(reader: Reader, content: NeighbourhoodMap) -> dbc.Row:
    lang = content.lang
    return dbc.Row(
        [
            dbc.Col(
                radio_group(
                    t("neighbourhood_map.level_legend", lang),
                    LEVEL_ID,
                    [
                        {"label": t(f"neighbourhood_map.level.{lv}", lang), "value": lv}
                        for lv in LEVELS
                    ],
                    content.level,
                ),
                md=3,
            ),
            dbc.Col(
                html.Div(
                    [
                        html.Label(
                            t("map.choose_indicator", lang),
                            htmlFor=INDICATOR_ID,
                            className="form-label fw-bold mb-1",
                        ),
                        dbc.Select(
                            id=INDICATOR_ID,
                            options=indicator_options(reader, content),
                            value=content.state.indicator if content.indicator else None,
                            disabled=not content.indicators,
                            placeholder=indicator_placeholder(content),
                        ),
                    ],
                    className="mb-3",
                ),
                md=6,
            ),
            dbc.Col(
                html.Div(
                    radio_group(
                        t("map.choose_year", lang),
                        YEAR_ID,
                        year_options(content),
                        content.state.year,
                    ),
                    id=YEAR_BOX_ID,
                    style=year_box_style(content),
                ),
                md=3,
            ),
        ]
    )


def search_names(content: NeighbourhoodMap) -> list[str]:
    return sorted({content.names.get(code) or code for code in content.codes}, key=str.casefold)


def search(content: NeighbourhoodMap) -> html.Div:
    lang, level = content.lang, content.level
    return search_box(
        SEARCH_ID,
        t("maps.search_label", lang, area=areas_word(level, lang, plural=False)),
        search_names(content),
        "",
        OPEN_ID,
        "",
        None,
    )


def open_text(reader: Reader, code: str, lang: str) -> str:
    return t("neighbourhood_map.open_profile", lang, name=reader.area_names().get(code, code))


def open_link(reader: Reader, text: str | None, level: str, lang: str) -> tuple[str, str] | None:
    """The link to the profile of the area of `level` named `text` (None: no such area)."""
    names = reader.area_names()
    code = find_area(text, names, reader.home_geometry_codes(level) or area_codes(reader, level))
    if code is None:
        return None
    return profile_href(code, lang), open_text(reader, code, lang)


def map_figure(reader: Reader, content: NeighbourhoodMap, geometry: dict | None):
    if not geometry:  # nothing to draw: no empty axes either (the notes say why)
        hidden = {"visible": False}
        return {"data": [], "layout": {"xaxis": hidden, "yaxis": hidden, "height": 60}}
    return choropleth_figure(
        geometry,
        content.view,
        content.names,
        basemap=reader.site.basemap,
        border_width=1,
        geojson_url=geometry_url(reader, content.level),
    )


@dataclass(frozen=True)
class Panel:
    """Everything the map callback sends for a view, the same for every user of a (level,
    indicator, year, language): built once per store version. `figure` is the whole map with
    its geometry (sent when the level changes); otherwise the values are patched in.
    Components are kept as sent (layouts.wire), so reusing them costs no Python walk."""

    figure: dict
    legend: dict
    summary: str
    title: str
    table: dict
    meta: dict
    notes: list
    indicator_options: list[dict]
    indicator_placeholder: str
    year_options: list[dict]
    year_box_style: dict
    search: dict


def panel(reader: Reader, content: NeighbourhoodMap) -> Panel:
    state = content.state
    return _panel(reader, state.level, state.indicator, state.year, content.lang)


@memoized()
def _panel(reader: Reader, level: str, indicator_id: str, year: int | None, lang: str) -> Panel:
    content = _content(reader, level, indicator_id, year, lang)
    return Panel(
        figure=as_sent(map_figure(reader, content, reader.geometry(level))),
        legend=as_sent(legend(content)),
        summary=summary(content),
        title=title(content),
        table=as_sent(map_table(content)),
        meta=as_sent(meta(reader, content)),
        notes=as_sent(notes(reader, content)),
        indicator_options=indicator_options(reader, content),
        indicator_placeholder=indicator_placeholder(content),
        year_options=year_options(content),
        year_box_style=year_box_style(content),
        search=as_sent(search(content)),
    )


def layout(reader: Reader, lang: str = "nl", **query) -> html.Div:
    lang = normalize_lang(lang)
    heading = html.H1(t("neighbourhoods.title", lang))
    if reader.version is None:
        return html.Div([heading, no_data_notice(reader, lang)])
    state = parse_neighbourhood_map(query)
    geometry = reader.geometry(state.level)
    content = load(reader, state, lang)
    block = figure_block(
        IDS,
        title(content),
        map_figure(reader, content, geometry),
        summary(content),
        map_table(content),
        html.Div(meta(reader, content), id=SOURCE_ID),
        lang,
        graph_height=GRAPH_HEIGHT,
        poster=map_poster(geometry, content.view, basemap=reader.site.basemap, border_width=1),
    )
    return html.Div(
        [
            heading,
            html.P(t("neighbourhoods.intro", lang), className="mm-prose"),
            controls(reader, content),
            html.Div(notes(reader, content), id=NOTES_ID),
            dbc.Row(
                [
                    dbc.Col(block, lg=8),
                    dbc.Col(
                        [
                            html.Div(legend(content), id=LEGEND_ID),
                            html.Div(search(content), id=SEARCH_BOX_ID),
                        ],
                        lg=4,
                    ),
                ]
            ),
            html.Section(compare_section(reader, content, TableSort()), id=COMPARE_ID),
            html.Button(
                t("common.download_csv", lang),
                id=DOWNLOAD_BUTTON_ID,
                type="button",
                className="btn btn-outline-primary btn-sm mt-2",
                style=download_style(content),
            ),
            dcc.Store(id=STATE_ID, data=state_data(content)),
            dcc.Store(id=SORT_STORE_ID, data={"key": "rank", "descending": False}),
            dcc.Location(id=NAVIGATE_ID, refresh="callback-nav"),
            dcc.Download(id=DOWNLOAD_ID),
        ],
        className="mm-map",
    )


def register(reader_of: ReaderSource) -> None:
    dash.register_page(
        "neighbourhoods",
        path=PATH,
        layout=with_reader(layout, reader_of, memo="neighbourhoods"),
        name="Buurten",
        titles={"nl": "Wijken en buurten", "en": "Districts and neighbourhoods"},
        title="Wijken en buurten | MMmeter",
        nav=True,
        order=3,
        indicators=shown_indicators,  # for the dataset pages (layouts/views/usage.py)
    )
