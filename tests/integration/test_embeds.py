"""Embeds (app/embeds.py, layouts/embed.py): `?embed=1` pages, the oEmbed endpoint and its
discovery links, and the CSP frame-ancestors setting. The app in-process; axe on an embedded
page is in tests/browser/test_embeds_and_selection.py."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from flask import Flask

from app.embeds import frame_ancestors_setting
from app.security import init_security
from app.settings import load_settings
from layouts.embed import EMBED_CLASS, figure_id, figures
from layouts.pages import neighbourhoods, selection, with_reader
from tests.integration.pages import find, kind, prop, text, walk

HOST = "http://localhost"


# frame-ancestors -----------------------------------------------------------------------------


def _framed_by(dash_app, refreshed_settings, setting: str | None) -> dict[str, str]:
    """The frame-ancestors of a public and of the admin page, with MMMETER_FRAME_ANCESTORS."""
    env = {} if setting is None else {"MMMETER_FRAME_ANCESTORS": setting}
    settings = replace(refreshed_settings, frame_ancestors=load_settings(env).frame_ancestors)
    server = Flask("framing")
    init_security(server, dash_app, settings)
    server.add_url_rule("/buurten", "page", lambda: "page")
    server.add_url_rule("/beheer", "admin", lambda: "admin")
    client = server.test_client()
    found = {}
    for path in ("/buurten", "/beheer"):
        csp = client.get(path).headers["Content-Security-Policy"]
        found[path] = next(d for d in csp.split("; ") if d.startswith("frame-ancestors "))
    return found


def test_frame_ancestors_follows_the_setting_and_the_admin_is_never_framed(
    dash_app, refreshed_settings
):
    assert _framed_by(dash_app, refreshed_settings, None) == {
        "/buurten": "frame-ancestors *",
        "/beheer": "frame-ancestors 'none'",
    }
    chosen = _framed_by(dash_app, refreshed_settings, " https://raad.example.nl  'self' ")
    assert chosen["/buurten"] == "frame-ancestors https://raad.example.nl 'self'"
    assert chosen["/beheer"] == "frame-ancestors 'none'"


@pytest.mark.parametrize(
    "bad", ["https://a.nl; script-src *", "https://a.nl\r\nX-Evil: 1", "javascript:alert(1)/x"]
)
def test_a_frame_ancestors_setting_that_is_no_source_list_is_refused(bad):
    with pytest.raises(ValueError, match="MMMETER_FRAME_ANCESTORS"):
        frame_ancestors_setting(bad)


def test_frame_ancestors_accepts_origins_wildcards_and_keywords():
    value = "https://*.emmen.nl http://localhost:8050 'self' https:"
    assert frame_ancestors_setting(value) == value
    assert frame_ancestors_setting("'none'") == "'none'"


# oEmbed --------------------------------------------------------------------------------------


def _oembed(client, url: str, **params):
    query = "&".join([f"url={quote(url, safe='')}", *(f"{k}={v}" for k, v in params.items())])
    return client.get(f"/oembed?{query}")


def test_oembed_answers_a_rich_iframe_for_an_app_address(client):
    page = f"{HOST}/buurten?level=wk&indicator=population&lang=en"
    response = _oembed(client, page, format="json", maxwidth=600)
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    # oEmbed 1.0, 2.3.4: type rich needs html, width and height; version is "1.0"
    assert body["version"] == "1.0" and body["type"] == "rich"
    assert body["width"] == 600 and isinstance(body["height"], int)
    assert body["provider_name"] == "MMmeter" and body["title"]
    src = unescape(re.search(r'<iframe src="([^"]+)"', body["html"]).group(1))
    query = parse_qs(urlsplit(src).query)
    assert urlsplit(src).path == "/buurten"
    assert query == {"level": ["wk"], "indicator": ["population"], "lang": ["en"], "embed": ["1"]}
    assert 'title="' in body["html"]  # an iframe needs an accessible name


@pytest.mark.parametrize(
    "url", ["https://www.example.com/buurten", "http://localhost.evil.nl/buurten"]
)
def test_oembed_refuses_another_sites_address_with_404(client, url):
    response = _oembed(client, url)
    assert response.status_code == 404 and response.get_json()["status"] == 404


def test_oembed_answers_404_for_an_address_that_is_no_page(client):
    assert _oembed(client, f"{HOST}/geen-pagina").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "",
        "url=",
        "url=%2Fbuurten",
        "url=ftp%3A%2F%2Flocalhost%2F",
        "url=http%3A%2F%2Flocalhost%2F&maxwidth=wide",
    ],
)
def test_oembed_answers_400_for_a_malformed_request(client, query):
    response = client.get(f"/oembed?{query}")
    assert response.status_code == 400 and "error" in response.get_json()


def test_oembed_answers_501_for_a_format_other_than_json(client):
    assert _oembed(client, f"{HOST}/buurten", format="xml").status_code == 501


def test_every_page_names_its_oembed_address(client):
    html = client.get("/buurten?level=wk").get_data(as_text=True)
    link = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', html)
    assert link, "no oEmbed discovery link"
    found = urlsplit(unescape(link.group(1)))
    assert found.path == "/oembed"
    assert parse_qs(found.query) == {"url": [f"{HOST}/buurten?level=wk"], "format": ["json"]}
    assert client.get(unescape(link.group(1))).status_code == 200


# ?embed=1 ------------------------------------------------------------------------------------


def test_an_embedded_page_has_the_minimal_shell_and_a_link_back(client):
    html = client.get("/buurten?level=wk&embed=1").get_data(as_text=True)
    assert '<body class="mm-embedded">' in html and '<meta name="robots" content="noindex">' in html
    back = re.search(r'<nav class="mm-embed-back"[^>]*><a href="([^"]+)"', html)
    assert back and unescape(back.group(1)) == f"{HOST}/buurten?level=wk"
    plain = client.get("/buurten?level=wk").get_data(as_text=True)
    assert "mm-embedded" not in plain and "mm-embed-back" not in plain


def test_embed_shows_only_the_chosen_figure_with_title_and_source(emmen_reader):
    layout = with_reader(neighbourhoods.layout, lambda: emmen_reader)
    page = layout(lang="nl", level="wk")
    assert set(figures(page)) >= {"nbh-map", "nbh-ranking"}
    embedded = layout(lang="nl", level="wk", embed="1", figuur=neighbourhoods.IDS.prefix)
    assert prop(embedded, "className") == EMBED_CLASS
    assert list(figures(embedded)) == [neighbourhoods.IDS.prefix]
    assert text(find(embedded, neighbourhoods.IDS.title)) == text(
        find(page, neighbourhoods.IDS.title)
    )
    assert "Bron: CBS" in text(find(embedded, neighbourhoods.IDS.meta))
    legend = find(embedded, f"{neighbourhoods.LEGEND_ID}-content")  # the map's legend comes too
    assert text(legend) == text(find(page, f"{neighbourhoods.LEGEND_ID}-content"))
    assert not [c for c in walk(embedded) if kind(c) == "H1"]  # no page heading, no controls
    assert not [c for c in walk(embedded) if prop(c, "id") == neighbourhoods.LEVEL_ID]


def test_embed_of_an_unknown_figure_shows_the_first_and_says_so(emmen_reader):
    layout = with_reader(neighbourhoods.layout, lambda: emmen_reader)
    embedded = layout(lang="en", embed="1", figuur="nope")
    assert list(figures(embedded)) == [neighbourhoods.IDS.prefix]
    assert "does not exist" in text(embedded)


def test_the_selection_table_can_be_embedded(emmen_reader):
    layout = with_reader(selection.layout, lambda: emmen_reader)
    embedded = layout(gebieden="WK011401,WK011402", embed="1", figuur=selection.RESULT_ID)
    # the whole embed is static (a StaticHtml); the test helpers read what it was written from
    assert [figure_id(c) for c in walk(embedded) if figure_id(c)] == [selection.RESULT_ID]
    find(embedded, selection.RESULT_TABLE_ID)


def test_every_figure_offers_its_embed_code(emmen_reader):
    page = neighbourhoods.layout(emmen_reader, lang="nl", level="wk")
    codes = [c for c in walk(page) if kind(c) == "Textarea"]
    assert {prop(c, "data-figure") for c in codes} >= {"nbh-map", "nbh-ranking"}
    assert all(prop(c, "readOnly") for c in codes)
