"""Table block: one or more indicators for every area of a level (wijk, buurt, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dash import html

from layouts.blocks.common import (
    BlockContext,
    level_download,
    level_values,
    level_word,
    meta_line,
    no_data_note,
    period_label,
    title_of,
)
from layouts.figure_block import data_table
from layouts.i18n import format_number, t

if TYPE_CHECKING:  # the model builds itself with this module's build()
    from layouts.themes.models import TableBlock


def build(block: TableBlock, context: BlockContext) -> html.Section:
    lang, catalog = context.lang, context.catalog
    indicators = [catalog.indicators[i] for i in block.indicator_ids]
    columns = [
        level_values(context.reader, i.id, block.level_code, block.within, block.period, lang)
        for i in indicators
    ]
    level = level_word(block.level_code, lang)
    title = (
        block.title.get(lang)
        if block.title
        else t("themes.table_title", lang, title=title_of(block, indicators[0], lang), level=level)
        if len(indicators) == 1
        else t("themes.table_title_many", lang, level=level)
    )
    heading_id = context.element_id("title")
    dates = [c.period for c in columns if c.period is not None]
    header = [level.capitalize()] + [
        t(
            "themes.column",
            lang,
            title=indicator.title.get(lang),
            unit=indicator.unit.get(lang),
            period=period_label(column.period, indicator.frequency, lang),
        )
        for indicator, column in zip(indicators, columns, strict=True)
    ]
    codes = columns[0].codes
    names = columns[0].names
    rows = [
        [names[code]]
        + [
            format_number(column.values.get(code), lang, decimals=indicator.decimals)
            for indicator, column in zip(indicators, columns, strict=True)
        ]
        for code in sorted(codes, key=lambda c: names[c])
        if any(code in column.values for column in columns)
    ]
    if rows:
        body = data_table(
            header,
            rows,
            title,
            table_id=context.element_id("table"),
            numeric=[False] + [True] * len(indicators),
        )
    else:
        body = no_data_note(lang, "themes.no_data_level", level=level)
    return html.Section(
        [
            html.H2(title, id=heading_id, className="h5 mb-2"),
            body,
            meta_line(
                catalog,
                block.indicator_ids,
                max(dates) if dates else None,
                lang,
                title,
                download=level_download(
                    block.indicator_ids, block.level_code, block.within, list(codes), block.period
                ),
            ),
        ],
        className="mm-block mb-4",
        **{"aria-labelledby": heading_id},
    )
