"""The theme file format (schema_version 3): one pydantic model per block type.

Unknown keys are errors (`extra="forbid"`). Blocks are told apart by their `type`. These models
check the shape of a file; `layouts/themes/checks.py` checks it against the catalog and the
area registry. Every field is documented for staff in docs/themes.md (a test keeps it so).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from data.catalog import PUBLIC, Text, Visibility
from data.staff import LEVELS, LevelWord
from layouts.blocks import map as map_block
from layouts.blocks import ranking, row, table, text, tiles, trend
from layouts.blocks.common import BlockContext

CURRENT_SCHEMA_VERSION = 3
HOME_AREA = "home"  # the home municipality (layouts/themes/home.py fills in its code)
ThemeId = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
TrendRange = Literal["all", "1y", "3m", "1m"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _period(value: object) -> object:
    """A year (2021) or a date (2021-01-01) -> a date; anything else is left for pydantic."""
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100:
        return dt.date(value, 1, 1)
    if isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip()):
        return dt.date(int(value), 1, 1)
    return value


class Block(Strict):
    """Fields every block has."""

    title: Text | None = None


class IndicatorBlock(Block):
    indicator: str

    @property
    def indicator_ids(self) -> list[str]:
        return [self.indicator]


class LevelBlock(IndicatorBlock):
    level: LevelWord
    within: str | None = None
    period: dt.date | None = None

    @field_validator("period", mode="before")
    @classmethod
    def _year_or_date(cls, value):
        return _period(value)

    @property
    def level_code(self) -> str:
        return LEVELS[self.level]


class TilesBlock(Block):
    type: Literal["tiles"]

    def build(self, context: BlockContext):
        """The block's Dash components (layouts/blocks/tiles.py)."""
        return tiles.build(self, context)

    indicators: list[str] = Field(min_length=1, max_length=12)
    area: str = HOME_AREA
    area_from_url: bool = False  # ?gebied=<code or name> in the page address replaces `area`

    @property
    def indicator_ids(self) -> list[str]:
        return list(self.indicators)


class TrendBlock(IndicatorBlock):
    type: Literal["trend"]

    def build(self, context: BlockContext):
        """The block's Dash components (layouts/blocks/trend.py)."""
        return trend.build(self, context)

    areas: list[str] = Field(default=[HOME_AREA], min_length=1, max_length=8)
    range: TrendRange = "all"
    area_from_url: bool = False  # ?gebied=<code or name> replaces the first of `areas`
    per_100k_toggle: bool = False  # the reader switches between counts and per 100,000

    @field_validator("areas")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        repeated = sorted({a for a in value if value.count(a) > 1})
        if repeated:
            raise ValueError(f"area(s) listed twice: {', '.join(repeated)}")
        return value


class MapBlock(LevelBlock):
    type: Literal["map"]

    def build(self, context: BlockContext):
        """The block's Dash components (layouts/blocks/map.py)."""
        return map_block.build(self, context)

    open_area: bool = False  # a click on an area, or its name in the table, opens its page
    # the reader switches the map between these levels (`level` among them, shown first)
    level_switch: list[LevelWord] | None = Field(default=None, min_length=2, max_length=5)
    week_slider: bool = False  # gemeente map of a daily/weekly indicator: a slider over weeks

    @field_validator("level_switch")
    @classmethod
    def _switch_levels(cls, value: list[str] | None, info: ValidationInfo):
        if value is None:
            return value
        repeated = sorted({w for w in value if value.count(w) > 1})
        if repeated:
            raise ValueError(f"level(s) listed twice: {', '.join(repeated)}")
        level = info.data.get("level")
        if level is not None and level not in value:
            raise ValueError(f"must include the block's level '{level}'")
        return value

    @field_validator("week_slider")
    @classmethod
    def _slider_fits(cls, value: bool, info: ValidationInfo) -> bool:
        if not value:
            return value
        if info.data.get("level") not in (None, "gemeente"):
            raise ValueError("works on a map with level: gemeente only")
        if info.data.get("period") is not None or info.data.get("level_switch"):
            raise ValueError("cannot be combined with 'period' or 'level_switch'")
        return value

    def at_level(self, word: str) -> MapBlock | None:
        """This block drawn at level `word` of its level switch (None: not one of them)."""
        if not self.level_switch or word not in self.level_switch:
            return None
        return self.model_copy(update={"level": word})


class RankingBlock(LevelBlock):
    type: Literal["ranking"]

    def build(self, context: BlockContext):
        """The block's Dash components (layouts/blocks/ranking.py)."""
        return ranking.build(self, context)

    limit: int | None = Field(default=None, ge=1, le=500)


class TableBlock(LevelBlock):
    type: Literal["table"]

    def build(self, context: BlockContext):
        """The block's Dash components (layouts/blocks/table.py)."""
        return table.build(self, context)

    indicator: str | None = None  # type: ignore[assignment]
    indicators: list[str] | None = Field(default=None, min_length=1, max_length=12)

    @model_validator(mode="after")
    def _one_of(self) -> TableBlock:
        if (self.indicator is None) == (self.indicators is None):
            raise ValueError("give either 'indicator' (one) or 'indicators' (a list), not both")
        return self

    @property
    def indicator_ids(self) -> list[str]:
        return [self.indicator] if self.indicator else list(self.indicators or [])


class TextBlock(Block):
    type: Literal["text"]

    def build(self, context: BlockContext):
        """The block's Dash components (layouts/blocks/text.py)."""
        return text.build(self, context)

    body: Text

    @property
    def indicator_ids(self) -> list[str]:
        return []


SingleBlock = Annotated[
    TilesBlock | TrendBlock | MapBlock | RankingBlock | TableBlock | TextBlock,
    Field(discriminator="type"),
]


class RowBlock(Strict):
    type: Literal["row"]

    def build(self, context: BlockContext):
        """The block's Dash components (layouts/blocks/row.py)."""
        return row.build(self, context)

    blocks: list[SingleBlock] = Field(min_length=1, max_length=4)

    @property
    def indicator_ids(self) -> list[str]:
        return [i for block in self.blocks for i in block.indicator_ids]


AnyBlock = Annotated[
    TilesBlock | TrendBlock | MapBlock | RankingBlock | TableBlock | TextBlock | RowBlock,
    Field(discriminator="type"),
]
BLOCK_MODELS: dict[str, type[BaseModel]] = {
    "tiles": TilesBlock,
    "trend": TrendBlock,
    "map": MapBlock,
    "ranking": RankingBlock,
    "table": TableBlock,
    "text": TextBlock,
    "row": RowBlock,
}
BLOCK_TYPES = tuple(BLOCK_MODELS)


class Theme(Strict):
    schema_version: Literal[3]
    id: ThemeId
    title: Text
    order: int = Field(default=100, ge=0, le=10_000)
    nav: bool = True  # in the menu; false for a theme shown elsewhere (start: the home page)
    # internal: only staff who are logged in see the page and its menu entry; for anyone else
    # the address is a page not found. A public theme may use public indicators only.
    visibility: Visibility = PUBLIC
    lead: Text | None = None
    blocks: list[AnyBlock] = Field(min_length=1, max_length=40)

    def numbered_blocks(self) -> list[tuple[str, tuple, object]]:
        """(number, location, block) for every block, those inside rows included: '3', '3-1'."""
        out: list[tuple[str, tuple, object]] = []
        for i, block in enumerate(self.blocks):
            out.append((str(i), ("blocks", i), block))
            if isinstance(block, RowBlock):
                for j, inner in enumerate(block.blocks):
                    out.append((f"{i}-{j}", ("blocks", i, "blocks", j), inner))
        return out
