"""Corona overview of one municipality: tiles, trends, sewage, comparison and vaccination.

`/corona` shows Emmen; `/corona/<code or name>` any municipality with corona figures
(`/corona/GM0106`, `/corona/assen`, `/corona/Aa%20en%20Hunze`). The rest of the view
(per 100,000, period, comparison, language) is in the query and read here when the page is
rendered; callbacks/corona.py updates the charts in place and writes the view back into the URL.

The `*_parts` builders are what both this layout and the callbacks call: they read memoized
queries and hand the observations to the pure figure functions in layouts/figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import dash
import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from data.catalog import Indicator, shown_unit
from data.reader import Reader, memoized
from layouts import release_notes
from layouts.components import archived_badge, radio_group, tile_card
from layouts.corona_state import (
    MAX_COMPARE,
    METRICS,
    PRESETS,
    CoronaState,
    month_number,
    parse_state,
    resolve_municipality,
    window,
)
from layouts.datalist import datalist
from layouts.downloads import DownloadQuery
from layouts.figure_block import BlockIds, Source, figure_block, source_line
from layouts.figures import trend
from layouts.i18n import format_date, format_number, month_names, normalize_lang, t
from layouts.no_data import no_data_notice
from layouts.pages import ReaderSource, with_reader
from layouts.shell import with_lang
from layouts.views.area_search import name_key
from layouts.views.families import Family, family, is_seven_day_mean
from layouts.views.tiles import load_week_tile
from layouts.views.trends import (
    Trend,
    comparison_trend,
    count_trend,
    first_day,
    last_day,
    measurement_trend,
)

NETHERLANDS = "NL01"
SEWAGE = "sewage_rna_per_100k"
POPULATION = "population"


# The daily counts shown as trends, by metric; their families come from the catalog.
METRIC_COUNTS = {
    "cases": "covid_cases",
    "hospital": "covid_hospital_admissions",
    "deaths": "covid_deaths",
}


def metric_family(reader: Reader, metric: str) -> Family:
    return family(reader.catalog, METRIC_COUNTS[metric])


# Vaccination coverage in display order: age group, then dose.
VACCINATION = (
    "vaccination_partly_12_17",
    "vaccination_completed_12_17",
    "vaccination_partly_18plus",
    "vaccination_completed_18plus",
    "vaccination_partly_12plus",
    "vaccination_completed_12plus",
)


def shown_indicators(reader: Reader) -> list[str]:
    """Every indicator this page shows."""
    catalog = reader.catalog
    families = [metric_family(reader, metric) for metric in METRIC_COUNTS]
    ids = [i for f in families for i in (f.daily, f.average, f.daily_per_100k, f.average_per_100k)]
    return [*ids, SEWAGE, *VACCINATION, *(i for i in (POPULATION,) if i in catalog.indicators)]


TREND_IDS = {key: BlockIds(f"corona-{key}") for key in METRICS}
SEWAGE_IDS = BlockIds("corona-sewage")
COMPARE_IDS = BlockIds("corona-compare")
VACCINATION_IDS = BlockIds("corona-vaccination")
ALL_BLOCK_IDS = (*TREND_IDS.values(), SEWAGE_IDS, COMPARE_IDS, VACCINATION_IDS)
# Element ids (plain strings: labels, aria attributes and callbacks refer to them).
NAMES_LIST = "corona-municipality-names"  # <datalist> of all municipality names
SEARCH_INPUT = "corona-search"
SEARCH_BUTTON = "corona-search-button"
SEARCH_MESSAGE = "corona-search-message"
VIEW_INPUT = "corona-view"
PERIOD_INPUT = "corona-period"
RANGE_INPUT = "corona-range"
RANGE_TEXT = "corona-range-text"
RANGE_LABELS = "corona-range-labels"  # words the slider's handles are announced with
COMPARE_METRIC_INPUT = "corona-compare-metric"
COMPARE_INPUT = "corona-compare-input"
COMPARE_BUTTON = "corona-compare-button"
COMPARE_MESSAGE = "corona-compare-message"
COMPARE_CHOSEN = "corona-compare-chosen"
COMPARE_STORE = "corona-compare-store"  # the added municipality codes, in order
COMPARE_REMOVE = "corona-compare-remove"  # pattern-matching id type of the remove buttons
PAGE_STORE = "corona-page"  # {"area": code, "lang": lang} of the rendered page
URL = "corona-url"  # writes the view into the address bar (refresh=False: no page load)
NAVIGATION = "corona-navigation"  # opens another municipality's page


@dataclass(frozen=True)
class BlockParts:
    """What a callback replaces in a figure block (the browser writes the table)."""

    figure: go.Figure
    summary: str
    meta: html.P


# --- areas -------------------------------------------------------------------------------


@memoized()  # asked by the page, its title and description, and the check of its address
def municipalities(reader: Reader) -> dict[str, str]:
    """Code -> name of the municipalities with corona figures, sorted by name."""
    registry = reader.areas()
    with_figures = set(reader.snapshot(metric_family(reader, "cases").average, "gm")["area"])
    rows = registry[(registry["level"] == "gm") & registry["code"].isin(with_figures)]
    names = dict(zip(rows["code"], rows["name"].fillna(rows["code"]), strict=True))
    return dict(sorted(names.items(), key=lambda item: name_key(item[1])))


def area_name(reader: Reader, code: str, lang: str) -> str:
    if code == NETHERLANDS:
        return t("areas.netherlands", lang)
    return reader.area_names().get(code, code)


def comparison_areas(reader: Reader, code: str, extra: tuple[str, ...]) -> list[str]:
    """The municipality, its province, Drenthe, the Netherlands, then the added ones."""
    province = reader.areas().set_index("code")["parent"].get(code)
    fixed = [code, province, reader.home_province, NETHERLANDS]
    ordered = [a for a in fixed if isinstance(a, str)] + list(extra)
    return list(dict.fromkeys(ordered))


def sewage_plants(reader: Reader, code: str) -> list[str]:
    """The treatment plants (rwzi) that the area registry places in the municipality."""
    registry = reader.areas()
    plants = registry[(registry["level"] == "rwzi") & (registry["parent"] == code)]
    return sorted(plants["code"].tolist())


# --- helpers -----------------------------------------------------------------------------


def _indicator(reader: Reader, indicator_id: str) -> Indicator:
    return reader.catalog.indicator(indicator_id)


def _sources(reader: Reader, indicator_ids, lang: str) -> list[Source]:
    """The datasets behind `indicator_ids`; for the population only the municipal figures
    (CBS 70072NED) that the rates per 100,000 are computed from."""
    catalog = reader.catalog
    datasets = dict.fromkeys(
        d
        for i in indicator_ids
        for d in (
            [catalog.primary_dataset(i).id] if i == POPULATION else catalog.indicator(i).dataset
        )
    )
    return [Source.of(catalog.datasets[d], lang) for d in datasets]


def _meta(
    reader: Reader, indicator_ids, area: str, lang: str, title: str, shown: pd.DataFrame
) -> html.P:
    """Source, date of the data, and the downloads of the indicators and period shown."""
    first, last = first_day(shown), last_day(shown)
    # what the chart draws (the population of a rate is a source, not drawn)
    shown_ids = tuple(i for i in indicator_ids if i != POPULATION)
    # a count with its 7-day average is about the count
    with_average = len(shown_ids) == 2 and is_seven_day_mean(reader.catalog, shown_ids[1])
    return source_line(
        _sources(reader, indicator_ids, lang),
        last,
        lang,
        None,
        None,
        title,
        download=DownloadQuery(
            shown_ids, (area,), start=first, end=last, main=shown_ids[0] if with_average else None
        ),
    )


def _trend_meta(reader: Reader, shown: Trend, lang: str, title: str) -> html.P:
    """The source line of a trend view: its sources, last day and download query."""
    return source_line(
        _sources(reader, shown.sources, lang),
        None if shown.last_period is None else shown.last_period.date(),
        lang,
        None,
        None,
        title,
        download=shown.download,
    )


def _no_data(reader: Reader, title: str, area: str, lang: str) -> str:
    return t(
        "corona.overview.no_data_sentence", lang, title=title, area=area_name(reader, area, lang)
    )


# --- blocks ------------------------------------------------------------------------------


def trend_title(reader: Reader, metric: str, view: str, lang: str) -> str:
    daily, _ = metric_family(reader, metric).indicators(view)
    return _indicator(reader, daily).title.get(lang)


def trend_parts(reader: Reader, metric: str, area: str, state: CoronaState) -> BlockParts:
    """Daily bars and the 7-day average of `metric` in `area` for the state's view and period
    (the trend view model: layouts/views/trends.count_trend)."""
    lang = state.lang
    daily_id, average_id = metric_family(reader, metric).indicators(state.view)
    daily_all = reader.series(daily_id, (area,))
    average_all = reader.series(average_id, (area,))
    title = _indicator(reader, daily_id).title.get(lang)
    shown = count_trend(
        reader.catalog,
        daily_id,
        average_id,
        area,
        daily_all,
        average_all,
        window(state, last_day(average_all) or last_day(daily_all)),
        lang,
        legend={
            "value": t("corona.overview.legend_daily", lang),
            "average": t("corona.overview.legend_average", lang),
        },
        caption=t("corona.overview.caption_day", lang, title=title),
        phrase=t(f"corona.overview.summary_{metric}", lang),
        no_data=_no_data(reader, title, area, lang),
        sources=[POPULATION] if state.view == "per100k" else [],
        words={
            "area": area_name(reader, area, lang),
            "rate": t(f"corona.overview.rate_{state.view}", lang),
        },
    )
    return BlockParts(shown.figure, shown.summary, _trend_meta(reader, shown, lang, title))


def sewage_parts(reader: Reader, area: str, state: CoronaState) -> BlockParts:
    """Measurements of the plants in `area` as markers, the municipal mean as a line (the trend
    view model: layouts/views/trends.measurement_trend)."""
    lang = state.lang
    indicator = _indicator(reader, SEWAGE)
    plants = sewage_plants(reader, area)
    frame = reader.series(SEWAGE, (area, *plants))
    names = {p: t("corona.overview.plant", lang, name=area_name(reader, p, lang)) for p in plants}
    names[area] = t("corona.overview.sewage_mean", lang, area=area_name(reader, area, lang))
    title = indicator.title.get(lang)
    shown = measurement_trend(
        reader.catalog,
        SEWAGE,
        area,
        plants,
        frame,
        names,
        window(state, last_day(frame)),
        lang,
        caption=t("corona.overview.caption_measurement", lang, title=title),
        phrase=t("corona.overview.summary_sewage", lang),
        no_data=_no_data(reader, title, area, lang),
        words={"area": area_name(reader, area, lang), "unit": shown_unit(indicator, lang)},
    )
    return BlockParts(shown.figure, shown.summary, _trend_meta(reader, shown, lang, title))


def comparison_title(reader: Reader, metric: str, lang: str) -> str:
    return _indicator(reader, metric_family(reader, metric).average_per_100k).title.get(lang)


def comparison_parts(reader: Reader, area: str, state: CoronaState) -> BlockParts:
    """The 7-day average per 100,000 of the chosen metric: the municipality against its
    province, Drenthe, the Netherlands and the municipalities the reader added (the trend view
    model: layouts/views/trends.comparison_trend)."""
    lang = state.lang
    indicator_id = metric_family(reader, state.metric).average_per_100k
    areas = comparison_areas(reader, area, state.compare)
    frame = reader.series(indicator_id, tuple(areas))
    title = _indicator(reader, indicator_id).title.get(lang)
    shown = comparison_trend(
        reader.catalog,
        indicator_id,
        areas,
        frame,
        {a: area_name(reader, a, lang) for a in areas},
        window(state, last_day(frame[frame["area"] == area])),
        lang,
        caption=t("corona.overview.caption_day", lang, title=title),
        summary_key="corona.overview.summary_compare",
        no_data=_no_data(reader, title, area, lang),
        sources=[POPULATION],
    )
    return BlockParts(shown.figure, shown.summary, _trend_meta(reader, shown, lang, title))


def vaccination_parts(reader: Reader, area: str, lang: str) -> BlockParts:
    """Coverage per age group and dose in each published edition."""
    frames = [reader.series(i, (area,)).assign(indicator=i) for i in VACCINATION]
    frame = pd.concat(frames, ignore_index=True).dropna(subset=["value"])
    labels = {i: t(f"corona.overview.{i}", lang) for i in VACCINATION}
    title = t("corona.overview.vaccination_title", lang)
    figure = trend.editions_bar_figure(
        frame,
        labels,
        lang,
        category=t("corona.overview.vaccination_group", lang),
        decimals=0,
        suffix="%",
    )
    trend.with_table_caption(figure, title)
    day = last_day(frame)
    latest = frame[frame["period"] == pd.Timestamp(day)] if day else frame.iloc[0:0]
    by_indicator = latest.groupby("indicator")["value"].last()
    adults = by_indicator.get("vaccination_completed_18plus")
    young = by_indicator.get("vaccination_completed_12_17")
    if day is None or adults is None or young is None:
        sentence = _no_data(reader, title, area, lang)
    else:
        sentence = t(
            "corona.overview.summary_vaccination",
            lang,
            date=format_date(day, lang),
            area=area_name(reader, area, lang),
            adults=format_number(adults, lang),
            young=format_number(young, lang),
        )
    return BlockParts(figure, sentence, _meta(reader, list(VACCINATION), area, lang, title, latest))


# --- tiles -------------------------------------------------------------------------------


def tiles(reader: Reader, area: str, lang: str) -> dbc.Row:
    """The latest week of positive tests, admissions, deaths and sewage, with the change
    against the week before (the tile view model: layouts/views/tiles.py)."""
    views = [
        load_week_tile(
            reader,
            metric_family(reader, key).average,
            area,
            lang,
            title=_indicator(reader, metric_family(reader, key).daily).title.get(lang),
            date_key="corona.overview.tile_week",
        )
        for key in METRIC_COUNTS
    ]
    views.append(
        load_week_tile(
            reader,
            SEWAGE,
            area,
            lang,
            title=t("corona.overview.sewage_tile", lang),
            date_key="corona.overview.tile_sewage_week",
        )
    )
    ids = [*(f"corona-tile-{key}" for key in METRIC_COUNTS), "corona-tile-sewage"]
    cols = [
        dbc.Col(tile_card(view, lang, tile_id), xs=12, sm=6, lg=3, className="mb-3")
        for view, tile_id in zip(views, ids, strict=True)
    ]
    return dbc.Row(cols, id="corona-tiles")


# --- controls ----------------------------------------------------------------------------


def month_domain(reader: Reader, area: str) -> tuple[int, int]:
    """First and last month (month numbers) with figures in any trend of `area`."""
    days = []
    for indicator_id in [*METRIC_COUNTS.values(), SEWAGE]:
        frame = reader.series(indicator_id, (area,))
        if not frame.empty:
            days += [frame["period"].min(), frame["period"].max()]
    if not days:
        today = dt.date.today()
        return month_number(today), month_number(today)
    return month_number(min(days).date()), month_number(max(days).date())


def range_value(state: CoronaState, domain: tuple[int, int]) -> list[int]:
    """The slider handles for `state`: the whole domain unless a custom range is chosen."""
    if state.months is None:
        return list(domain)
    low, high = (month_number(dt.date.fromisoformat(f"{m}-01")) for m in state.months)
    return [min(max(low, domain[0]), domain[1]), max(min(high, domain[1]), domain[0])]


def month_words(day: dt.date, lang: str) -> str:
    """'maart 2021' / 'March 2021'."""
    return format_date(day, lang).split(" ", 1)[1]


def range_text(state: CoronaState, lang: str) -> str:
    """The chosen period in words, shown under the slider."""
    if state.months is not None:
        first, last = (dt.date.fromisoformat(f"{m}-01") for m in state.months)
        return t("time.from_to", lang, start=month_words(first, lang), end=month_words(last, lang))
    if state.period in (None, "all"):
        return t("corona.overview.range_all", lang)
    return t("corona.overview.range_preset", lang, period=t(f"time.{state.period}", lang))


def _month_marks(domain: tuple[int, int]) -> dict[int, str]:
    first_january = domain[0] + (-domain[0]) % 12
    return {m: str(m // 12) for m in range(first_january, domain[1] + 1, 12)}


def _radio_group(legend: str, radio_id: str, options: list[dict], value) -> html.Fieldset:
    return radio_group(legend, radio_id, options, value, "fs-6 fw-semibold mb-1")


def trend_controls(reader: Reader, area: str, state: CoronaState, lang: str) -> html.Div:
    domain = month_domain(reader, area)
    return html.Div(
        [
            _radio_group(
                t("common.show_as", lang),
                VIEW_INPUT,
                [
                    {"label": t("common.absolute", lang), "value": "absolute"},
                    {"label": t("common.per_100k", lang), "value": "per100k"},
                ],
                state.view,
            ),
            _radio_group(
                t("time.label", lang),
                PERIOD_INPUT,
                [{"label": t(f"time.{p}", lang), "value": p} for p in PRESETS],
                state.period,
            ),
            html.P(t("corona.overview.preset_hint", lang), className="small text-muted mb-2"),
            html.Div(
                [
                    html.Label(
                        t("corona.overview.range_label", lang),
                        htmlFor=RANGE_INPUT,
                        id=f"{RANGE_INPUT}-label",
                        className="fw-semibold mb-1",
                    ),
                    dcc.RangeSlider(
                        id=RANGE_INPUT,
                        min=domain[0],
                        max=domain[1],
                        step=1,
                        value=range_value(state, domain),
                        marks=_month_marks(domain),
                        allowCross=False,
                        allow_direct_input=False,
                        updatemode="mouseup",
                    ),
                    dcc.Store(
                        id=RANGE_LABELS,
                        data={
                            "start": t("corona.overview.range_start", lang),
                            "end": t("corona.overview.range_end", lang),
                            "months": month_names(lang),
                        },
                    ),
                    html.P(
                        range_text(state, lang),
                        id=RANGE_TEXT,
                        className="small mb-0",
                        role="status",
                    ),
                ],
            ),
        ],
        className="border rounded p-2 mb-3",
        id="corona-trend-controls",
    )


def _name_input(
    input_id: str, button_id: str, message_id: str, label: str, button: str, placeholder: str
) -> html.Div:
    """A text box with the municipality names as suggestions (a native <datalist>), a button,
    and a line for messages."""
    return html.Div(
        [
            html.Label(label, htmlFor=input_id, className="fw-semibold mb-1 d-block"),
            html.Div(
                [
                    dcc.Input(
                        id=input_id,
                        type="text",
                        list=NAMES_LIST,
                        autoComplete="off",
                        placeholder=placeholder,
                        className="form-control",
                        debounce=True,
                    ),
                    html.Button(button, id=button_id, type="button", className="btn btn-primary"),
                ],
                className="input-group",
            ),
            html.P(id=message_id, className="small mb-0", role="status"),
        ],
        className="mb-2",
        style={"maxWidth": "30rem"},
    )


def names_datalist(options: dict[str, str]) -> html.Datalist:
    return datalist(NAMES_LIST, options.values())


def municipality_search(lang: str) -> html.Div:
    return html.Div(
        [
            _name_input(
                SEARCH_INPUT,
                SEARCH_BUTTON,
                SEARCH_MESSAGE,
                t("corona.overview.search_label", lang),
                t("corona.overview.search_button", lang),
                t("corona.overview.search_placeholder", lang),
            ),
            html.P(t("corona.overview.search_hint", lang), className="small text-muted"),
        ],
        className="mm-search",
    )


def chosen_list(reader: Reader, codes, lang: str) -> list:
    """The added municipalities, each with a button that removes it."""
    names = reader.area_names()
    return [
        html.Li(
            html.Button(
                [
                    html.Span(f"{t('corona.overview.remove', lang)} ", className="visually-hidden"),
                    names.get(code, code),
                    html.Span(" ×", **{"aria-hidden": "true"}),
                ],
                id={"type": COMPARE_REMOVE, "code": code},
                type="button",
                className="btn btn-outline-primary btn-sm",
            ),
            className="list-inline-item mb-1",
        )
        for code in codes
    ]


def comparison_controls(reader: Reader, state: CoronaState, lang: str) -> html.Div:
    return html.Div(
        [
            _radio_group(
                t("corona.overview.compare_metric", lang),
                COMPARE_METRIC_INPUT,
                [{"label": t(f"corona.overview.metric_{m}", lang), "value": m} for m in METRICS],
                state.metric,
            ),
            _name_input(
                COMPARE_INPUT,
                COMPARE_BUTTON,
                COMPARE_MESSAGE,
                t("corona.overview.compare_add", lang, count=MAX_COMPARE),
                t("corona.overview.compare_button", lang),
                t("corona.overview.compare_placeholder", lang),
            ),
            html.Ul(
                chosen_list(reader, state.compare, lang),
                id=COMPARE_CHOSEN,
                className="list-inline mb-0",
                **{"aria-label": t("corona.overview.compare_chosen", lang)},
            ),
            dcc.Store(id=COMPARE_STORE, data=list(state.compare)),
        ],
        className="border rounded p-2 mb-3",
    )


# --- page --------------------------------------------------------------------------------


def _block(ids: BlockIds, title: str, parts: BlockParts, lang: str, *, badge=None, height=320):
    return figure_block(
        ids,
        title,
        parts.figure,
        parts.summary,
        None,  # the browser writes the table from the figure (callbacks/corona.py)
        parts.meta,
        lang,
        heading_level=3,
        badge=badge,
        graph_height=height,
    )


def _with_note(indicator: Indicator, note: str, lang: str) -> html.Div:
    return html.Div([archived_badge(indicator, lang), html.P(note, className="small mt-1 mb-1")])


def _stores(area: str | None, lang: str, options: dict[str, str]) -> html.Div:
    return html.Div(
        [
            names_datalist(options),
            dcc.Store(id=PAGE_STORE, data={"area": area, "lang": lang}),
            dcc.Location(id=URL, refresh=False),
            dcc.Location(id=NAVIGATION, refresh="callback-nav"),
        ]
    )


def _not_found(text: str, lang: str, options: dict[str, str]) -> html.Div:
    return html.Div(
        [
            html.H1(t("corona.overview.not_found_title", lang)),
            html.P(t("corona.overview.not_found_body", lang, text=text)),
            municipality_search(lang),
            _stores(None, lang, options),
        ]
    )


def layout(reader: Reader, code: str | None = None, lang: str = "nl", **query) -> html.Div:
    lang = normalize_lang(lang)
    if reader.version is None:
        return html.Div([html.H1(t("corona.title", lang)), no_data_notice(reader, lang)])
    options = municipalities(reader)
    area = resolve_municipality(code, options, reader.home)
    if area is None:
        return _not_found(str(code), lang, options)
    state = parse_state({**query, "lang": lang})
    state = replace(state, compare=tuple(c for c in state.compare if c in options and c != area))
    name = area_name(reader, area, lang)
    sewage = _indicator(reader, SEWAGE)
    trend_blocks = [
        _block(
            TREND_IDS[key],
            trend_title(reader, key, state.view, lang),
            trend_parts(reader, key, area, state),
            lang,
            badge=archived_badge(_indicator(reader, METRIC_COUNTS[key]), lang),
        )
        for key in METRICS
    ]
    return html.Div(
        [
            html.H1(t("corona.overview.title", lang, area=name), id="corona-heading"),
            html.P(t("corona.overview.intro", lang, area=name)),
            municipality_search(lang),
            html.P(
                dcc.Link(
                    t("corona.overview.map_link", lang), href=with_lang("/corona/kaart", None, lang)
                )
            ),
            html.H2(t("corona.overview.latest", lang), className="h4 mt-4"),
            tiles(reader, area, lang),
            html.H2(t("corona.overview.trends", lang), className="h4 mt-4"),
            html.P(t("corona.overview.trends_intro", lang)),
            trend_controls(reader, area, state, lang),
            *trend_blocks,
            _block(
                SEWAGE_IDS,
                sewage.title.get(lang),
                sewage_parts(reader, area, state),
                lang,
                badge=_with_note(
                    sewage,
                    t(
                        "corona.overview.sewage_intro"
                        if sewage_plants(reader, area)
                        else "corona.overview.sewage_intro_no_plant",
                        lang,
                    ),
                    lang,
                ),
            ),
            html.H2(t("corona.overview.compare", lang), className="h4 mt-4"),
            html.P(t("corona.overview.compare_intro", lang)),
            comparison_controls(reader, state, lang),
            _block(
                COMPARE_IDS,
                comparison_title(reader, state.metric, lang),
                comparison_parts(reader, area, state),
                lang,
                height=380,
            ),
            html.H2(t("corona.overview.vaccination", lang), className="h4 mt-4"),
            _block(
                VACCINATION_IDS,
                t("corona.overview.vaccination_title", lang),
                vaccination_parts(reader, area, lang),
                lang,
                badge=_with_note(
                    _indicator(reader, VACCINATION[0]),
                    t("corona.overview.vaccination_intro", lang),
                    lang,
                ),
                height=360,
            ),
            release_notes.area_feed_link(area, name, lang),
            _stores(area, lang, options),
        ]
    )


def page_title(reader: Reader, code: str | None = None) -> str:
    """The browser tab title before the page's script sets it from the <h1>."""
    names = municipalities(reader) if reader.version else {}
    area = resolve_municipality(code, names, reader.home)
    return f"Corona in {names[area]} | MMmeter" if area else "Corona | MMmeter"


def register(reader_of: ReaderSource) -> None:
    dash.register_page(
        "corona",
        path="/corona",
        path_template="/corona/<code>",
        layout=with_reader(layout, reader_of, memo="corona"),
        name="Corona",
        titles={"nl": "Corona", "en": "Corona"},
        title=with_reader(page_title, reader_of),
        nav=True,
        order=1,
        indicators=shown_indicators,  # for the dataset pages (layouts/views/usage.py)
    )
