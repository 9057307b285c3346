"""Area profile (/buurten/<code>): one wijk or buurt of Emmen with a small map locating it,
its wijk or its buurten, and every indicator with values at its level, next to the average of
the areas of that level, Emmen, Drenthe and the Netherlands where those are known.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from data.catalog import Indicator
from data.reader import Reader
from geo.registry import children, parent_chain
from layouts import release_notes
from layouts.downloads import DownloadQuery
from layouts.figure_block import BlockIds, Source, data_table, figure_block, source_line
from layouts.figures.choropleth import choropleth_figure, highlight_view
from layouts.figures.map_poster import map_poster
from layouts.figures.ranking import format_values, rank_areas, ranked_count
from layouts.i18n import normalize_lang, t
from layouts.map_geometry import geometry_url
from layouts.map_state import NeighbourhoodMapState, neighbourhood_map_query
from layouts.no_data import no_data_notice
from layouts.pages import ReaderSource, with_reader
from layouts.pages.neighbourhoods import (
    PATH,
    area_codes,
    areas_word,
    available_indicators,
    is_schematic,
    periods_by_year,
    profile_href,
)
from layouts.report.links import report_links
from layouts.shell import with_lang
from layouts.views.maps import GEOMETRY_DATASETS, capitalised, figure_datasets
from layouts.views.references import COUNTRY
from layouts.views.urls import href

IDS = BlockIds("area-locator")
LEVELS = ("wk", "bu")
LOCATOR_HEIGHT = 320


@dataclass(frozen=True)
class ProfileRow:
    """One indicator of the area, with its comparisons (None: not known)."""

    indicator: Indicator
    year: int
    value: float | None
    rank: int | None
    ranked: int
    mean: float | None
    municipality: float | None
    province: float | None
    country: float | None


def _value_of(reader: Reader, indicator: str, level: str, period, code: str) -> float | None:
    frame = reader.snapshot(indicator, level, period)
    hits = frame.loc[frame["area"] == code, "value"]
    if hits.empty:
        return None
    value = float(hits.iloc[0])
    return value if math.isfinite(value) else None


def profile_rows(reader: Reader, code: str, level: str, lang: str) -> list[ProfileRow]:
    """Every indicator with values at `level`, for the latest year that has them."""
    catalog = reader.catalog
    peers = set(area_codes(reader, level))
    rows = []
    for indicator_id in available_indicators(reader, level):
        by_year = periods_by_year(reader, indicator_id, level)
        if not by_year:
            continue
        year, period = list(by_year.items())[-1]
        frame = reader.snapshot(indicator_id, level, period)
        values = {
            str(a): float(v)
            for a, v in zip(frame["area"], frame["value"], strict=True)
            if str(a) in peers
        }
        indicator = catalog.indicator(indicator_id)
        ranked = rank_areas(values, {}, indicator.decimals, lang)
        mine = next((r for r in ranked if r.code == code), None)
        present = [v for v in values.values() if math.isfinite(v)]
        rows.append(
            ProfileRow(
                indicator=indicator,
                year=year,
                value=mine.value if mine else None,
                rank=mine.rank if mine else None,
                ranked=ranked_count(ranked),
                mean=sum(present) / len(present) if present else None,
                municipality=_value_of(reader, indicator_id, "gm", period, reader.home),
                province=_value_of(reader, indicator_id, "pv", period, reader.home_province),
                country=_value_of(reader, indicator_id, "nl", period, COUNTRY),
            )
        )
    return rows


def map_href(indicator: str, level: str, lang: str) -> str:
    state = NeighbourhoodMapState(level=level, indicator=indicator)
    return href(PATH) + neighbourhood_map_query(state, lang)


def indicators_table(name: str, level: str, rows: list[ProfileRow], lang: str) -> html.Div:
    caption = t("area_profile.indicators_caption", lang, name=name, areas=areas_word(level, lang))
    columns = [
        t("area_profile.column_indicator", lang),
        name,
        t("area_profile.column_rank", lang),
        t("maps.mean_of", lang, areas=areas_word(level, lang)),
        t("areas.home", lang),
        t("areas.home_province", lang),
        capitalised(t("areas.netherlands", lang)),
        t("area_profile.column_year", lang),
    ]
    body = []
    for row in rows:
        decimals = row.indicator.decimals
        texts = format_values(
            [row.value, row.mean, row.municipality, row.province, row.country], lang, decimals
        )
        rank = (
            t("maps.rank", lang, rank=row.rank, total=row.ranked) if row.rank is not None else "–"
        )
        title_cell = [
            html.A(
                row.indicator.title.get(lang),
                href=map_href(row.indicator.id, level, lang),
            ),
            html.Br(),
            html.Span(row.indicator.unit.get(lang), className="small text-muted"),
        ]
        body.append([title_cell, texts[0], rank, *texts[1:], str(row.year)])
    return data_table(
        columns,
        body,
        caption,
        table_id="area-profile-indicators",
        numeric=[False, True, False, True, True, True, True, False],
    )


def locator_block(reader: Reader, code: str, name: str, level: str, lang: str, related: list[str]):
    geometry = reader.geometry(level)
    names = reader.area_names()
    if not geometry:
        return None
    codes = reader.home_geometry_codes(level)
    locator = highlight_view(codes, code)
    figure = choropleth_figure(
        geometry,
        locator,
        names,
        basemap=reader.site.basemap,
        geojson_url=geometry_url(reader, level),  # the same file the map page drew: from the cache
    )
    dataset = reader.catalog.datasets[GEOMETRY_DATASETS[level]]
    registry = reader.areas()
    levels = dict(zip(registry["code"].astype(str), registry["level"], strict=True))
    table = data_table(
        [t("common.area", lang), t("area_profile.code", lang), t("area_profile.level", lang)],
        [
            [names.get(c, c), c, t(f"maps.areas.{levels.get(c, level)}.one", lang)]
            for c in [code, *related]
        ],
        t("area_profile.locator_table_caption", lang, name=name),
    )
    return figure_block(
        IDS,
        t("area_profile.locator_title", lang, name=name),
        figure,
        t("area_profile.locator_summary", lang, areas=areas_word(level, lang), name=name),
        table,
        source_line(
            [Source.of(dataset, lang)],
            None,
            lang,
            None,
            None,
            t("area_profile.locator_title", lang, name=name),
        ),
        lang,
        graph_height=LOCATOR_HEIGHT,
        poster=map_poster(geometry, locator, basemap=reader.site.basemap),
    )


def breadcrumb(trail: list[tuple[str, str | None]], lang: str) -> html.Nav:
    """Links up to the map; the last entry is the current page."""
    items = []
    for index, (label, link) in enumerate(trail):
        last = index == len(trail) - 1
        items.append(
            html.Li(
                label if last or link is None else dcc.Link(label, href=link),
                className="breadcrumb-item active" if last else "breadcrumb-item",
                **({"aria-current": "page"} if last else {}),
            )
        )
    return html.Nav(
        html.Ol(items, className="breadcrumb"), **{"aria-label": t("nav.breadcrumb", lang)}
    )


def not_found(code: str, lang: str) -> html.Div:
    return html.Div(
        [
            html.H1(t("area_profile.not_found_title", lang)),
            html.P(t("area_profile.not_found", lang, code=code)),
            dcc.Link(t("area_profile.back_to_map", lang), href=with_lang(PATH, None, lang)),
        ]
    )


def layout(reader: Reader, code: str | None = None, lang: str = "nl", **_query) -> html.Div:
    lang = normalize_lang(lang)
    code = (code or "").strip().upper()
    if reader.version is None:
        return html.Div(
            [
                html.H1(t("neighbourhoods.title", lang)),
                no_data_notice(reader, lang),
            ]
        )
    registry = reader.areas()
    hits = registry[registry["code"] == code]
    if (
        hits.empty
        or hits.iloc[0]["level"] not in LEVELS
        or code not in area_codes(reader, hits.iloc[0]["level"])
    ):
        return not_found(code, lang)
    level = str(hits.iloc[0]["level"])
    names = reader.area_names()
    name = names.get(code, code)
    chain = parent_chain(registry, code)
    wijk = chain[0] if level == "bu" and chain else None
    buurten = children(registry, code) if level == "wk" else []
    map_link = with_lang(
        href(PATH) + neighbourhood_map_query(NeighbourhoodMapState(level=level), "nl"), None, lang
    )
    trail = [(t("neighbourhoods.title", lang), map_link)]
    if wijk:
        trail.append((names.get(wijk, wijk), profile_href(wijk, lang)))
    trail.append((name, None))

    parts: list = [
        breadcrumb(trail, lang),
        html.H1(name),
        html.P([t(f"area_profile.kind.{level}", lang), f" ({code})"], className="lead"),
        report_links(code, lang),
    ]
    if wijk:
        parts.append(
            html.P(
                [
                    f"{t('area_profile.lies_in', lang)}: ",
                    dcc.Link(names.get(wijk, wijk), href=profile_href(wijk, lang)),
                ]
            )
        )
    if is_schematic(reader, level):
        parts.append(dbc.Alert(t("maps.schematic", lang), color="warning"))
    related = ([wijk] if wijk else []) + buurten
    block = locator_block(reader, code, name, level, lang, related)
    side = []
    if buurten:
        side = [
            html.H2(t("area_profile.children_heading", lang), className="h5"),
            html.Ul(
                [html.Li(dcc.Link(names.get(b, b), href=profile_href(b, lang))) for b in buurten]
            ),
        ]
    side.append(selection_link(code, level, lang))
    parts.append(dbc.Row([dbc.Col(block, lg=7), dbc.Col(side, lg=5)]))
    parts.append(
        html.H2(t("area_profile.indicators_heading", lang, name=name), className="h4 mt-3")
    )
    rows = profile_rows(reader, code, level, lang)
    if any(row.value is not None for row in rows):
        parts.append(indicators_table(name, level, rows, lang))
        parts.append(indicators_source(reader, code, rows, lang))
    else:
        parts.append(
            html.P(t("area_profile.no_figures", lang, area=areas_word(level, lang, plural=False)))
        )
    parts.append(release_notes.area_feed_link(code, name, lang))
    return html.Div(parts, className="mm-map")


def selection_link(code: str, level: str, lang: str) -> html.P:
    """To the own selection (/buurten/selectie), starting with this area."""
    from layouts.pages.selection import selection_href

    text = t("selection.link_from_profile", lang, areas=areas_word(level, lang))
    return html.P(dcc.Link(text, href=selection_href((code,), level, lang)), className="mt-2")


def indicators_source(reader: Reader, code: str, rows: list[ProfileRow], lang: str):
    catalog = reader.catalog
    seen: dict[str, Source] = {}
    for row in rows:
        for dataset_id in figure_datasets(catalog, row.indicator, "wk", row.year):
            dataset = catalog.datasets[dataset_id]
            seen.setdefault(dataset_id, Source.of(dataset, lang))
    latest = max((row.year for row in rows), default=None)
    date = pd.Timestamp(f"{latest}-01-01") if latest else None
    download = DownloadQuery(tuple(row.indicator.id for row in rows), (code,))
    title = t("area_profile.indicators_heading", lang, name=reader.area_names().get(code, code))
    return source_line(list(seen.values()), date, lang, None, None, title, download=download)


def register(reader_of: ReaderSource) -> None:
    dash.register_page(
        "area_profile",
        path_template="/buurten/<code>",
        layout=with_reader(layout, reader_of, memo="area_profile"),
        name="Gebied",
        titles={"nl": "Wijk of buurt", "en": "District or neighbourhood"},
        title="Wijk of buurt | MMmeter",
        nav=False,
    )
