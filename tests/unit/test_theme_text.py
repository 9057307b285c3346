"""Text blocks: Markdown from staff, sanitized, rebuilt as Dash components (no raw HTML)."""

from __future__ import annotations

import json

import plotly
from dash import html

from layouts.blocks.text import markdown_components, sanitized_html


def as_json(components) -> str:
    return json.dumps(components, cls=plotly.utils.PlotlyJSONEncoder)


def test_markdown_becomes_paragraphs_emphasis_links_and_lists():
    out = markdown_components(
        "Tekst met **vet**, *schuin* en [CBS](https://www.cbs.nl).\n\n- a\n- b"
    )
    paragraph, items = out
    assert isinstance(paragraph, html.P)
    assert isinstance(paragraph.children[1], html.Strong)
    assert isinstance(paragraph.children[3], html.Em)
    link = paragraph.children[5]
    assert isinstance(link, html.A) and link.href == "https://www.cbs.nl"
    assert isinstance(items, html.Ul) and [li.children for li in items.children] == [["a"], ["b"]]


def test_script_style_and_event_handlers_never_reach_the_page():
    text = (
        "Hallo <script>alert(1)</script><style>p{}</style>"
        '<img src=x onerror="alert(2)"><a href="#" onclick="alert(3)">x</a>'
    )
    serialized = as_json(markdown_components(text))
    for forbidden in ("script", "alert", "onerror", "onclick", "style", "img"):
        assert forbidden not in serialized
    assert "Hallo" in serialized


def test_javascript_and_data_links_lose_their_address():
    cleaned = sanitized_html("[a](javascript:alert(1)) [b](data:text/html,x) [c](mailto:o@s.nl)")
    assert "javascript" not in cleaned and "data:" not in cleaned
    assert 'href="mailto:o@s.nl"' in cleaned


def test_headings_move_one_level_down_below_the_page_title():
    out = markdown_components("# Kop\n\n## Onderkop\n\n###### Kleinste")
    assert [type(c).__name__ for c in out] == ["H2", "H3", "H6"]


def test_a_markdown_table_scrolls_in_its_own_box_with_header_cells():
    (box,) = markdown_components("| Wijk | Inwoners |\n|---|---|\n| Erica | 4.750 |")
    assert box.className == "mm-table-scroll" and box.tabIndex == "0"
    table = box.children
    assert isinstance(table, html.Table)
    head, body = table.children
    assert [type(c).__name__ for c in head.children[0].children] == ["Th", "Th"]
    assert body.children[0].children[1].children == ["4.750"]
