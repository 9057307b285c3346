"""Municipality map (/corona/kaart): a corona indicator per 100,000 for every municipality in a
chosen week, for the Netherlands or zoomed to Drenthe; a click or the search list opens the
municipality's corona page.

The page sends the map's geometry once; callbacks/maps.py patches only the values when the
week or topic changes (see layouts/figures/choropleth.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from html import escape

import dash
import dash_bootstrap_components as dbc
from dash import Patch, dcc, html

from data.reader import Reader, memoized
from layouts import components
from layouts.components import archived_badge
from layouts.datalist import datalist
from layouts.downloads import DownloadQuery
from layouts.figure_block import BlockIds, figure_block, source_line
from layouts.figures.choropleth import (
    Bounds,
    bounds,
    choropleth_figure,
    tile_view_patch,
    view_patch,
)
from layouts.figures.map_poster import map_poster
from layouts.i18n import format_date, normalize_lang, t
from layouts.map_geometry import geometry_url
from layouts.map_state import (
    CORONA_MAP_INDICATORS,
    COUNTRY,
    CoronaMapState,
    Week,
    corona_map_query,
    parse_corona_map,
    week_index,
)
from layouts.markup import components_from_markup
from layouts.no_data import no_data_notice
from layouts.pages import ReaderSource, with_reader
from layouts.views.area_pages import area_path
from layouts.views.area_search import find_area
from layouts.views.map_weeks import week_range, week_words, weeks_with_figures
from layouts.views.maps import (
    AreaMap,
    ShowsAreaMap,
    capitalised,
    load_area_map,
    map_sources,
    values_of,
)
from layouts.views.urls import href
from layouts.wire import as_sent

PATH = "/corona/kaart"
LEVEL = "gm"
IDS = BlockIds("corona-map")
INDICATOR_ID = "corona-map-indicator"
WEEK_ID = "corona-map-week"
WEEK_TEXT_ID = "corona-map-week-text"
PREVIOUS_ID = "corona-map-previous"
NEXT_ID = "corona-map-next"
ZOOM_ID = "corona-map-zoom"
LEGEND_ID = "corona-map-legend"
SEARCH_ID = "corona-map-search"
OPEN_ID = "corona-map-open"
NAVIGATE_ID = "corona-map-navigate"
STATE_ID = "corona-map-state"
TABLE_INFO_ID = "corona-map-table-info"
DOWNLOAD_ID = "corona-map-download"
DOWNLOAD_BUTTON_ID = "corona-map-download-button"
BADGE_ID = "corona-map-badge"
WEEK_RANGE_ID = "corona-map-week-range"
SOURCE_ID = "corona-map-source"
TABLE_HTML_ID = "corona-map-table-html"
TABLE_BOX_ID = "corona-map-table-box"
TABLE_CAPTION_ID = "corona-map-table-caption"
GRAPH_HEIGHT = 520


@dataclass(frozen=True)
class CoronaMap(ShowsAreaMap):
    """One view of the map: the resolved state, its weeks, and the map view
    (layouts/views/maps.py) that the map, legend, summary and table all read."""

    state: CoronaMapState  # with the week actually shown
    weeks: list[Week]
    week: Week
    area: AreaMap
    home: str  # the home municipality, marked in the legend
    province: str  # its province, which the map can zoom to
    province_name: str

    @cached_property
    def week_position(self) -> int:
        return next(i for i, week in enumerate(self.weeks) if week.key == self.week.key)


def municipality_codes(reader: Reader) -> list[str]:
    """The municipalities on the map, in the order of the geometry's features."""
    return reader.geometry_codes(LEVEL)


def map_weeks(reader: Reader, indicator: str) -> list[Week]:
    """The weeks the indicator has values for at municipality level, oldest first."""
    version = reader.version
    if version is None:
        return []
    return _weeks(reader, indicator)


# Memoized on the store version like the queries it comes from, so a switch of week reads a
# short list instead of a thousand dates.
@memoized()
def _weeks(reader: Reader, indicator: str) -> list[Week]:
    return weeks_with_figures(reader.periods(indicator, LEVEL))


def province_codes(reader: Reader, province: str) -> set[str]:
    registry = reader.areas()
    chosen = registry[(registry["level"] == LEVEL) & (registry["parent"] == province)]
    return set(chosen["code"].astype(str))


def zoom_bounds(reader: Reader, zoom: str) -> Bounds | None:
    """The lon/lat box of the zoom: the whole country, or the gemeenten of a province (None
    without geometry)."""
    geometry = reader.geometry(LEVEL)
    if not geometry:
        return None
    if zoom == COUNTRY:
        return bounds(geometry)
    codes = province_codes(reader, zoom)
    return bounds(geometry, codes) if codes else None


def zoom_patch(reader: Reader, zoom: str) -> Patch:
    """The patch that zooms the map to the Netherlands or Drenthe (also over a basemap)."""
    if not reader.site.basemap:
        return view_patch(zoom_bounds(reader, zoom))
    box = zoom_bounds(reader, zoom) or zoom_bounds(reader, COUNTRY)
    return tile_view_patch(box) if box else Patch()


def load(
    reader: Reader, state: CoronaMapState, lang: str, position: int | None = None
) -> CoronaMap | None:
    """The map for `state` (or for the week at `position` among the indicator's weeks),
    or None when the store holds no values for the indicator.

    The view of a (topic, week, language) is memoized on the store version like the queries
    it comes from: the next user who moves to that week costs one cache read.
    """
    version = reader.version
    weeks = map_weeks(reader, state.indicator)
    if version is None or not weeks:
        return None
    if position is None:
        week = weeks[week_index(weeks, state.week)]
    else:
        week = weeks[min(max(position, 0), len(weeks) - 1)]
    content = _content(reader, state.indicator, week.key, lang)
    return replace(content, state=replace(content.state, zoom=state.zoom))


@memoized()
def _content(reader: Reader, indicator_id: str, week_key: str, lang: str) -> CoronaMap:
    indicator = reader.catalog.indicator(indicator_id)
    weeks = map_weeks(reader, indicator_id)
    week = next(w for w in weeks if w.key == week_key)
    area = load_area_map(
        reader,
        indicator,
        LEVEL,
        lang,
        f"{week_words(week, lang)} ({format_date(week.end, lang)})",
        codes=municipality_codes(reader),
        values=values_of(reader.snapshot(indicator_id, LEVEL, week.end)),
        period=week.end,
    )
    return CoronaMap(
        state=CoronaMapState(indicator=indicator_id, week=week.key),
        weeks=weeks,
        week=week,
        area=area,
        home=reader.home,
        province=reader.home_province or COUNTRY,
        province_name=reader.home_province_name,
    )


@dataclass(frozen=True)
class Panel:
    """What changes around the map with the view, the same for every user of a (topic, week,
    language): built once per store version, so a switch of week costs one memo lookup.
    Components are kept as sent (layouts.wire), so reusing them costs no Python walk."""

    legend: dict
    summary: str
    title: str
    week_text: str
    meta: dict
    badge: dict | None
    week_range: list[dict]


def panel(reader: Reader, content: CoronaMap) -> Panel:
    return _panel(reader, content.indicator.id, content.week.key, content.lang)


@memoized()
def _panel(reader: Reader, indicator_id: str, week_key: str, lang: str) -> Panel:
    content = _content(reader, indicator_id, week_key, lang)
    return Panel(
        legend=as_sent(legend(content)),
        summary=summary(content),
        title=title(content),
        week_text=week_text(content),
        meta=as_sent(meta(reader, content)),
        badge=as_sent(badge(content)),
        week_range=as_sent(week_range_text(content)),
    )


# Texts ----------------------------------------------------------------------------------


def title(content: CoronaMap) -> str:
    return t(
        "corona_map.map_title",
        content.lang,
        indicator=content.indicator.title.get(content.lang),
        week=week_words(content.week, content.lang),
    )


def week_text(content: CoronaMap) -> str:
    return t(
        "corona_map.week_shown",
        content.lang,
        week=week_words(content.week, content.lang),
        date=format_date(content.week.end, content.lang),
    )


def summary(content: CoronaMap) -> str:
    return content.area.summary(content.indicator.title.get(content.lang))


def legend(content: CoronaMap) -> html.Div:
    return content.area.legend(f"{LEGEND_ID}-content")


def meta(reader: Reader, content: CoronaMap) -> html.P:
    sources = map_sources(reader.catalog, content.area)
    # the map shows the values of the week's last day
    day = content.week.end
    download = DownloadQuery((content.indicator.id,), level=LEVEL, start=day, end=day)
    return source_line(
        sources, content.week.end, content.lang, None, None, title(content), download=download
    )


def meta_line(reader: Reader, content: CoronaMap) -> html.Div:
    """The source line (updated with the view) and the CSV download button under the map."""
    return html.Div(
        [
            html.Div(meta(reader, content), id=SOURCE_ID),
            html.Button(
                t("common.download_csv", content.lang),
                id=DOWNLOAD_BUTTON_ID,
                type="button",
                className="btn btn-link btn-sm p-0",
            ),
        ]
    )


def badge(content: CoronaMap):
    return archived_badge(content.indicator, content.lang)


def open_link(reader: Reader, text: str | None, lang: str) -> tuple[str, str] | None:
    """The href and text of the link to the corona page of the municipality named `text`."""
    names = reader.area_names()
    code = find_area(text, names, municipality_codes(reader))
    if code is None:
        return None
    return area_href(code, reader.home, lang), t(
        "corona_map.open_link", lang, name=names.get(code, code)
    )


def area_href(code: str, home: str, lang: str) -> str:
    return href(area_path(code, home), None, lang)


def table_info(content: CoronaMap) -> dict:
    """What the browser needs, besides the map's own data, to rebuild the table after a patch:
    the row order (by name) and the link of each municipality. Sent once with the page."""
    codes = content.view.codes
    return {
        "order": sorted(
            range(len(codes)), key=lambda i: (content.names.get(codes[i]) or codes[i]).casefold()
        ),
        "hrefs": [area_href(code, content.home, content.lang) for code in codes],
        "caption_id": TABLE_CAPTION_ID,
    }


def table_headers(content: CoronaMap) -> list[str]:
    """Municipality, value (with the unit), rank."""
    lang = content.lang
    return [
        t("maps.areas.gm.one", lang).capitalize(),
        t("maps.value_header", lang, unit=content.indicator.unit.get(lang)),
        t("maps.rank_header", lang),
    ]


def table_caption(content: CoronaMap) -> str:
    return t(
        "corona_map.table_caption",
        content.lang,
        indicator=content.indicator.title.get(content.lang),
        week=week_words(content.week, content.lang),
    )


def table_html(content: CoronaMap) -> str:
    """The table of every municipality with the value and rank the map shows, as HTML.

    One string instead of ~1,400 Dash components: Dash renders a table of 342 rows slowly.
    The browser rebuilds the same markup after each patch (see callbacks/maps.py), from the
    map's own data, so the numbers stay those of the map.
    """
    info = table_info(content)
    names = [content.names.get(code) or code for code in content.view.codes]
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table_headers(content))
    rows = "".join(
        f'<tr><th scope="row"><a href="{escape(info["hrefs"][i])}">{escape(names[i])}</a></th>'
        f'<td class="text-end">{escape(content.view.customdata[i][0])}</td>'
        f"<td>{escape(content.view.customdata[i][1])}</td></tr>"
        for i in info["order"]
    )
    return (
        '<table class="table table-sm table-striped mb-0">'
        f'<caption id="{TABLE_CAPTION_ID}">{escape(table_caption(content))}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def table(content: CoronaMap) -> html.Div:
    return html.Div(
        html.Div(components_from_markup(table_html(content)), id=TABLE_HTML_ID),
        id=TABLE_BOX_ID,
        className="mm-table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-labelledby": TABLE_CAPTION_ID},
    )


def state_data(content: CoronaMap) -> dict:
    """The page's state store: the view, its language and its URL in both languages."""
    other = "en" if content.lang == "nl" else "nl"
    return {
        "lang": content.lang,
        "indicator": content.state.indicator,
        "week": content.state.week,
        "zoom": content.state.zoom,
        "position": content.week_position,
        "caption": table_caption(content),
        "headers": table_headers(content),
        "url": href(PATH) + corona_map_query(content.state, content.lang),
        "url_other_lang": href(PATH) + corona_map_query(content.state, other),
    }


def state_data_for_zoom(stored: dict, zoom: str) -> dict:
    """The parts of the state store that change when only the zoom changes."""
    state = CoronaMapState(stored["indicator"], stored["week"], zoom)
    other = "en" if stored["lang"] == "nl" else "nl"
    return {
        "zoom": zoom,
        "url": href(PATH) + corona_map_query(state, stored["lang"]),
        "url_other_lang": href(PATH) + corona_map_query(state, other),
    }


# Layout ---------------------------------------------------------------------------------


def radio_group(legend: str, component_id: str, options: list[dict], value) -> html.Fieldset:
    return components.radio_group(
        legend, component_id, options, value, "form-label fw-bold fs-6 mb-1", "mb-3"
    )


def search_box(
    input_id: str,
    label: str,
    names: list[str],
    value: str,
    link_id: str,
    link_text: str,
    href: str | None,
) -> html.Div:
    """A text box that suggests area names as you type (a native <datalist>), and a link that
    opens the chosen area: the keyboard path next to clicking the map. Without `href` the link
    stays hidden until a name is chosen."""
    return html.Div(
        [
            html.Label(label, htmlFor=input_id, className="form-label fw-bold mb-1"),
            dcc.Input(
                id=input_id,
                type="text",
                list=f"{input_id}-names",
                value=value,
                autoComplete="off",
                className="form-control",
            ),
            datalist(f"{input_id}-names", names),
            html.A(
                link_text,
                id=link_id,
                href=href or "#",
                className="btn btn-primary mt-2",
                style=link_style(href),
            ),
        ],
        className="mt-3",
    )


def link_style(href: str | None) -> dict:
    return {} if href else {"display": "none"}


def controls(content: CoronaMap) -> html.Div:
    lang = content.lang
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(
                        radio_group(
                            t("corona_map.indicator_legend", lang),
                            INDICATOR_ID,
                            [
                                {"label": t(f"corona_map.indicator.{i}", lang), "value": i}
                                for i in CORONA_MAP_INDICATORS
                            ],
                            content.state.indicator,
                        ),
                        md=8,
                    ),
                    dbc.Col(
                        radio_group(
                            t("corona_map.zoom_legend", lang),
                            ZOOM_ID,
                            [
                                {
                                    "label": capitalised(t("areas.netherlands", lang)),
                                    "value": COUNTRY,
                                },
                                {"label": content.province_name, "value": content.province},
                            ],
                            content.state.zoom,
                        ),
                        md=4,
                    ),
                ]
            ),
            html.Div(
                [
                    html.Label(
                        t("corona_map.week_label", lang),
                        htmlFor=WEEK_ID,
                        id=f"{WEEK_ID}-label",
                        className="form-label fw-bold mb-1",
                    ),
                    html.P(
                        week_text(content),
                        id=WEEK_TEXT_ID,
                        className="mb-1",
                        **{"aria-live": "polite"},
                    ),
                    dbc.Input(
                        id=WEEK_ID,
                        type="range",
                        min=0,
                        max=len(content.weeks) - 1,
                        step=1,
                        value=content.week_position,
                        debounce=250,  # ms: dragging sends one update when it pauses
                        class_name="form-range",
                    ),
                    html.Div(
                        week_range_text(content),
                        id=WEEK_RANGE_ID,
                        className="d-flex justify-content-between small text-muted",
                    ),
                    html.Div(
                        [
                            html.Button(
                                t("corona_map.previous_week", lang),
                                id=PREVIOUS_ID,
                                type="button",
                                className="btn btn-outline-primary btn-sm me-2",
                            ),
                            html.Button(
                                t("corona_map.next_week", lang),
                                id=NEXT_ID,
                                type="button",
                                className="btn btn-outline-primary btn-sm",
                            ),
                        ],
                        className="mt-2",
                    ),
                ],
                className="mb-3",
            ),
        ]
    )


def search(content: CoronaMap) -> html.Div:
    lang = content.lang
    home_name = content.names.get(content.home, content.home)
    return search_box(
        SEARCH_ID,
        t("corona_map.search_label", lang),
        sorted({content.names.get(c) or c for c in content.view.codes}, key=str.casefold),
        home_name,
        OPEN_ID,
        t("corona_map.open_link", lang, name=home_name),
        area_href(content.home, content.home, lang),
    )


def week_range_text(content: CoronaMap) -> list[html.Span]:
    """The first and last week under the week slider."""
    return [html.Span(words) for words in week_range(content.weeks, content.lang)]


def map_poster_of(reader: Reader, content: CoronaMap):
    """The map's first state as a drawing, shown until plotly.js draws (figure_block)."""
    return map_poster(
        reader.geometry(LEVEL),
        content.view,
        view=zoom_bounds(reader, content.state.zoom),
        basemap=reader.site.basemap,
    )


def map_figure(reader: Reader, content: CoronaMap):
    geometry = reader.geometry(LEVEL)
    return choropleth_figure(
        geometry,
        content.view,
        content.names,
        view=zoom_bounds(reader, content.state.zoom),
        basemap=reader.site.basemap,
        geojson_url=geometry_url(reader, LEVEL),
    )


def layout(reader: Reader, lang: str = "nl", **query) -> html.Div:
    lang = normalize_lang(lang)
    heading = html.H1(t("corona_map.title", lang))
    if reader.version is None:
        return html.Div([heading, no_data_notice(reader, lang)])
    content = load(reader, parse_corona_map(query), lang)
    if content is None:
        return html.Div([heading, dbc.Alert(t("corona_map.no_data", lang), color="info")])
    block = figure_block(
        IDS,
        title(content),
        map_figure(reader, content),
        summary(content),
        table(content),
        meta_line(reader, content),
        lang,
        badge=html.Div(badge(content), id=BADGE_ID),
        graph_height=GRAPH_HEIGHT,
        poster=map_poster_of(reader, content),
    )
    return html.Div(
        [
            heading,
            html.P(t("corona_map.intro", lang), className="mm-prose"),
            controls(content),
            dbc.Row(
                [
                    dbc.Col(block, lg=8),
                    dbc.Col(
                        [html.Div(legend(content), id=LEGEND_ID), search(content)],
                        lg=4,
                    ),
                ]
            ),
            dcc.Store(id=STATE_ID, data=state_data(content)),
            dcc.Store(id=TABLE_INFO_ID, data=table_info(content)),
            dcc.Location(id=NAVIGATE_ID, refresh="callback-nav"),
            dcc.Download(id=DOWNLOAD_ID),
        ],
        className="mm-map",
    )


def register(reader_of: ReaderSource) -> None:
    dash.register_page(
        "corona_map",
        path=PATH,
        layout=with_reader(layout, reader_of, memo="corona_map"),
        name="Coronakaart",
        titles={"nl": "Coronakaart", "en": "Corona map"},
        title="Coronakaart | MMmeter",
        nav=True,
        # Dash matches pages in `order`, templates before paths: this page must come before
        # the corona page, whose template /corona/<code> would otherwise take "kaart".
        order=0.9,
        indicators=CORONA_MAP_INDICATORS,  # for the dataset pages (layouts/views/usage.py)
    )
