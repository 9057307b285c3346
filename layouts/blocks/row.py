"""Row block: up to four blocks side by side on wide screens, one below the other on a phone."""

from __future__ import annotations

from typing import TYPE_CHECKING

import dash_bootstrap_components as dbc

from layouts.blocks.common import BlockContext

if TYPE_CHECKING:  # the model builds itself with this module's build()
    from layouts.themes.models import RowBlock


def build(block: RowBlock, context: BlockContext) -> dbc.Row:
    from layouts.themes.render import render_block

    width = 12 // len(block.blocks)
    columns = [
        dbc.Col(
            render_block(inner, context.inner(j)),
            xs=12,
            lg=width,
            className="mm-row-cell",
        )
        for j, inner in enumerate(block.blocks)
    ]
    return dbc.Row(columns, className="mm-row", id=context.element_id("row"))
