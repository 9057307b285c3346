"""What every theme block shares: its ids, its context, titles, sources and areas."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from dash import html

from data.catalog import Catalog, Indicator
from data.reader import Reader
from layouts.downloads import DownloadQuery
from layouts.figure_block import BlockIds, Source, source_line
from layouts.figures.summary import period_text
from layouts.i18n import t

KEY_PATTERN = re.compile(r"^(?P<theme>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<number>\d+(?:\.\d+)?)$")


def block_key(theme_id: str, number: str) -> str:
    """The value of the `block` key in pattern-matching ids: 'bevolking-3', 'bevolking-3.1'."""
    return f"{theme_id}-{number}"


def parse_block_key(key: str) -> tuple[str, str] | None:
    match = KEY_PATTERN.match(key or "")
    return (match["theme"], match["number"]) if match else None


def pattern_id(part: str, key: str) -> dict:
    """A pattern-matching id, e.g. {"type": "theme-trend-graph", "block": "bevolking-3"}.

    callbacks/themes.py has one callback per interactive block type, matching on `type` and
    MATCHing `block`, so every block of every theme is served by the same callbacks.
    """
    return {"type": f"theme-{part}", "block": key}


@dataclass(frozen=True)
class ThemeBlockIds(BlockIds):
    """Plain string ids for aria references; pattern-matching ids for what callbacks update."""

    key: str = ""
    kind: str = ""

    @property
    def graph(self) -> dict:  # type: ignore[override]
        return pattern_id(f"{self.kind}-graph", self.key)

    def part(self, name: str) -> dict:
        return pattern_id(f"{self.kind}-{name}", self.key)


@dataclass(frozen=True)
class BlockContext:
    theme_id: str
    number: str
    lang: str
    reader: Reader
    url_area: str | None = None  # the area the page address names (?gebied=), if any

    @property
    def catalog(self) -> Catalog:
        return self.reader.catalog

    @property
    def key(self) -> str:
        return block_key(self.theme_id, self.number)

    @property
    def prefix(self) -> str:
        return f"theme-{self.theme_id}-{self.number.replace('.', '-')}"

    def ids(self, kind: str) -> ThemeBlockIds:
        return ThemeBlockIds(self.prefix, self.key, kind)

    def element_id(self, part: str) -> str:
        return f"{self.prefix}-{part}"

    def inner(self, index: int) -> BlockContext:
        """The context of the `index`-th block inside this (row) block."""
        return BlockContext(
            self.theme_id, f"{self.number}.{index}", self.lang, self.reader, self.url_area
        )


COUNTRY = "NL01"


def shown_areas(areas: list[str], follows_url: bool, url_area: str | None) -> list[str]:
    """The areas a block shows: with `area_from_url` the area of the address comes first,
    in place of the first configured one."""
    if not follows_url or url_area is None:
        return list(areas)
    return [url_area, *(a for a in areas[1:] if a != url_area)]


def area_names(reader: Reader, lang: str) -> dict[str, str]:
    """Area names from the registry; the country in the page's language ('the Netherlands')."""
    return {**reader.area_names(), COUNTRY: t("areas.netherlands", lang)}


def level_word(level: str, lang: str) -> str:
    """'wk' -> 'wijk' / 'district'."""
    return t(f"themes.level.{level}", lang)


def title_of(block, indicator: Indicator | None, lang: str) -> str:
    if getattr(block, "title", None) is not None:
        return block.title.get(lang)
    return indicator.title.get(lang) if indicator is not None else ""


def sources_of(catalog: Catalog, indicator_ids: list[str], lang: str) -> list[Source]:
    """One source per licence, naming every publisher under it (no licence link twice)."""
    by_licence: dict[str, tuple[list[str], Source]] = {}
    for ind_id in indicator_ids:
        indicator = catalog.indicators.get(ind_id)
        if indicator is None:
            continue
        dataset = catalog.datasets[indicator.dataset[0]]
        publishers, _ = by_licence.setdefault(
            dataset.licence,
            ([], Source.of(dataset, lang)),
        )
        for publisher in dataset.publisher.split(", "):
            if publisher not in publishers:
                publishers.append(publisher)
    return [
        Source(", ".join(publishers), first.title, first.licence, first.landing_page)
        for publishers, first in by_licence.values()
    ]


def meta_line(
    catalog: Catalog,
    indicator_ids: list[str],
    date,
    lang: str,
    title: str,
    area: str | None = None,
    *,
    download: DownloadQuery | None = None,
) -> html.P | html.Div:
    """Source, licence and date; the downloads of `download` (what the block shows), or of
    the one indicator in `area` when the block shows one area."""
    if download is None and area is not None and indicator_ids:
        download = DownloadQuery(tuple(indicator_ids), (area,))
    return source_line(
        sources_of(catalog, indicator_ids, lang), date, lang, None, None, title, download=download
    )


def level_download(
    indicator_ids: list[str], level: str, within: str | None, codes: list[str], period=None
) -> DownloadQuery:
    """The download of a level block: the whole level, or its areas inside `within`."""
    areas = tuple(codes) if within is not None else ()
    return DownloadQuery(tuple(indicator_ids), areas, level=level, start=period, end=period)


def areas_within(registry: pd.DataFrame, level: str, within: str | None) -> list[str]:
    """Codes of `level` (inside `within`, following parents, when given), sorted."""
    of_level = registry[registry["level"] == level]
    if within is None:
        return sorted(of_level["code"].astype(str))
    parents = dict(zip(registry["code"].astype(str), registry["parent"], strict=True))
    inside = []
    for code in of_level["code"].astype(str):
        current, seen = parents.get(code), 0
        while isinstance(current, str) and seen < 6:
            if current == within:
                inside.append(code)
                break
            current, seen = parents.get(current), seen + 1
    return sorted(inside)


def no_data_note(lang: str, message_key: str = "themes.no_data", **params) -> html.P:
    return html.P(t(message_key, lang, **params), className="mm-no-data text-muted")


def period_label(period, frequency: str, lang: str) -> str:
    """A period as people say it: '2024' for yearly figures, else a week or a date."""
    if period is None or pd.isna(period):
        return t("common.no_data", lang)
    if frequency == "year":
        return str(pd.Timestamp(period).year)
    return period_text(period, frequency, lang)  # type: ignore[arg-type]


@dataclass(frozen=True)
class LevelValues:
    """Values of one indicator for the areas of a level block, at one period."""

    period: pd.Timestamp | None
    values: dict[str, float]  # code -> value (areas without a value are absent)
    codes: list[str]  # every area of the block, with or without a value
    names: dict[str, str]


def level_values(
    reader: Reader,
    indicator_id: str,
    level: str,
    within: str | None,
    period=None,
    lang: str = "nl",
) -> LevelValues:
    """Snapshot of `indicator_id` at `period` (default: latest) for the areas of the block.

    The areas are those on the map of the level (today's division: no dissolved gemeenten),
    plus any area that has a value without a polygon, so none is dropped silently. Wijken and
    buurten are those of the home municipality unless `within` says otherwise.
    """
    registry = reader.areas()
    if within is None and level in ("wk", "bu"):
        within = reader.home
    codes = areas_within(registry, level, within)
    frame = reader.snapshot(indicator_id, level, period)
    frame = frame[frame["area"].isin(codes)].dropna(subset=["value"])
    shaped = set(reader.geometry_codes(level))
    if shaped:
        with_value = set(frame["area"].astype(str))
        codes = [code for code in codes if code in shaped or code in with_value]
    when = None if frame.empty else pd.Timestamp(frame["period"].iloc[0])
    names = area_names(reader, lang)
    values = dict(zip(frame["area"].astype(str), frame["value"].astype(float), strict=True))
    return LevelValues(when, values, codes, {c: names.get(c) or c for c in codes})
