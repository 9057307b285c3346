"""What a page's HTML paints before any script runs (app/first_paint.py): the page's heading and
lead text written by the server, a map's first state, scripts that are added after the first
paint, no plotly.js."""

from __future__ import annotations

import re

from app.first_paint import FIRST_VIEW_ID, ID_PREFIX
from layouts.i18n import t

ENTRY = '<div id="react-entry-point">'


def _first_view(html: str) -> str:
    start = html.index(f'<div id="{FIRST_VIEW_ID}">')
    assert start < html.index(ENTRY), "the first view comes before Dash's own root"
    return html[start : html.index(ENTRY)]


def test_the_page_html_holds_the_heading_lead_and_main_landmark_of_the_page(client):
    html = client.get("/corona/kaart").get_data(as_text=True)
    view = _first_view(html)
    assert f'<main id="{ID_PREFIX}main-content"' in view
    assert re.search(r"<h1[^>]*>[^<]+</h1>", view)
    assert t("corona_map.intro", "nl")[:60] in view
    assert 'class="mm-graph-box mm-has-poster"' in view  # the chart's room is kept
    poster = re.search(r'<div class="mm-map-poster">(<svg .*?</svg></svg>)</div>', view)
    assert poster, "the map's first state is drawn in the page"
    assert poster.group(1).count("<path ") == 342  # every gemeente


def test_a_chart_without_a_poster_keeps_its_room_empty(client):
    view = _first_view(client.get("/corona/GM0114").get_data(as_text=True))
    assert 'class="mm-graph-box"' in view
    assert "mm-map-poster" not in view


def test_the_first_view_is_in_the_language_of_the_address(client):
    view = _first_view(client.get("/corona/kaart?lang=en").get_data(as_text=True))
    assert t("corona_map.intro", "en")[:60] in view
    assert t("corona_map.intro", "nl")[:60] not in view


def test_the_first_view_repeats_none_of_the_ids_dash_renders(client):
    view = _first_view(client.get("/corona/GM0114").get_data(as_text=True))
    ids = re.findall(r'\bid="([^"]+)"', view)
    assert ids and all(i == FIRST_VIEW_ID or i.startswith(ID_PREFIX) for i in ids)
    assert len(ids) == len(set(ids))


def test_an_unknown_page_paints_the_not_found_page(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "<h1" in _first_view(response.get_data(as_text=True))


def test_scripts_do_not_block_the_first_paint_and_no_page_loads_plotly_by_itself(client):
    html = client.get("/corona/GM0114").get_data(as_text=True)
    assert not re.search(r"<script\b[^>]*\bsrc=", html.replace(_listed(html), ""))
    tags = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", _listed(html))
    assert len(tags) > 5
    assert not [tag for tag in tags if "/assets/plotly/" in tag or "plotly.min.js" in tag], tags
    renderer = re.search(r'<script id="_dash-renderer"[^>]*>(.*?)</script>', html, re.S).group(1)
    assert html.index(_listed(html)) < html.index(renderer)
    # the renderer's script adds the listed scripts after the first frame, then starts Dash
    assert "requestAnimationFrame" in renderer and "async=false" in renderer
    assert 'last.addEventListener("load",start)' in renderer  # Dash starts after the last
    assert re.search(r'<meta name="mmmeter-plotly" content="[^"]+plotly-mmmeter', html)


def _listed(html: str) -> str:
    """The template that holds Dash's script tags (app/first_paint.py)."""
    return re.search(r'<template id="mm-scripts">.*?</template>', html, re.S).group(0)
