"""Table markup from our builders becomes Dash HTML components (no dcc.Markdown)."""

from __future__ import annotations

import pytest
from dash import html

from layouts.figures.ranking import html_table, rank_areas, ranking_table_html
from layouts.markup import MarkupError, components_from_markup


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    if isinstance(children, list):
        for child in children:
            yield from _walk(child)
    elif children is not None and not isinstance(children, str):
        yield from _walk(children)


def test_ranking_table_markup_becomes_the_same_table_as_components():
    names = {"A": "Wijk <1> & Co", "C": "Centrum", "B": "Bargeres"}
    rows = rank_areas({"A": 3.0, "B": None, "C": 7.0}, names, 0, "nl")
    markup = ranking_table_html(
        rows,
        caption="Inwoners per wijk",
        caption_id="x-caption",
        area_header="Wijk",
        value_header="Waarde",
        lang="nl",
        href=lambda code: f"/buurten/{code}",
    )
    box = html_table(markup, caption_id="x-caption", component_id="box")
    parts = list(_walk(box))
    assert not any(type(p).__name__ == "Markdown" for p in parts)
    (table,) = [p for p in parts if isinstance(p, html.Table)]
    assert table.className == "table table-sm table-striped mb-0"
    (caption,) = [p for p in parts if isinstance(p, html.Caption)]
    assert (caption.id, caption.children) == ("x-caption", "Inwoners per wijk")
    links = [p for p in parts if isinstance(p, html.A)]
    assert [(a.href, a.children) for a in links] == [
        ("/buurten/C", "Centrum"),
        ("/buurten/A", "Wijk <1> & Co"),  # unescaped text: Dash escapes it again
        ("/buurten/B", "Bargeres"),
    ]
    row_headers = [p for p in parts if isinstance(p, html.Th) and p.scope == "row"]
    assert len(row_headers) == 3
    assert len([p for p in parts if isinstance(p, html.Tr)]) == 4
    assert box.to_plotly_json()["props"]["aria-labelledby"] == "x-caption"


def test_whitespace_between_rows_is_not_a_child():
    markup = "<table>\n  <tbody>\n <tr><td> 1 </td></tr>\n</tbody></table>"
    (table,) = components_from_markup(markup)
    (body,) = table.children
    (row,) = body.children
    (cell,) = row.children
    assert cell.children == " 1 "  # text inside a cell stays as it is


@pytest.mark.parametrize(
    "markup",
    [
        "<table><script>alert(1)</script></table>",
        '<table onclick="x()"></table>',
        "<table><tr></table>",
        "<table>",
        "</td>",
    ],
)
def test_markup_with_anything_the_builders_never_write_is_refused(markup):
    with pytest.raises(MarkupError):
        components_from_markup(markup)
