"""What the app sends: compressed, cached for good when fingerprinted, the partial plotly
bundle, and what search engines and link previews read. Flask test client, real store."""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET

import brotli
import flask_compress.flask_compress as fc
import pytest

from app.delivery import IMMUTABLE, SHORT

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _resources(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/[^"]+)"', html)


def _meta(html: str, attr: str, name: str) -> str | None:
    found = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', html)
    return found.group(1) if found else None


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [("gzip, deflate, br, zstd", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress)],
)
def test_pages_and_every_script_and_stylesheet_are_compressed(client, accept, encoding, decode):
    page = client.get("/corona/GM0114", headers={"Accept-Encoding": accept})
    assert page.headers["Content-Encoding"] == encoding
    html = decode(page.data).decode()
    assert html.startswith("<!DOCTYPE html>")
    assert "Accept-Encoding" in page.headers["Vary"]
    for url in _resources(html):
        response = client.get(url, headers={"Accept-Encoding": accept})
        assert response.status_code == 200, url
        assert response.headers.get("Content-Encoding") == encoding, url
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        assert decode(response.data) == plain.data, url


def test_every_fingerprinted_file_is_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    resources = _resources(html)
    assert len(resources) > 10
    for url in resources:
        assert client.get(url).headers["Cache-Control"] == IMMUTABLE, url


def test_a_static_file_is_compressed_once_not_on_every_request(client, monkeypatch):
    calls = []
    original = fc._compress_data

    def counting(app, data, algorithm):
        calls.append(len(data))
        return original(app, data, algorithm)

    monkeypatch.setattr(fc, "_compress_data", counting)
    html = client.get("/", headers={"Accept-Encoding": "identity"}).get_data(as_text=True)
    css = next(url for url in _resources(html) if url.endswith(".css") or ".css?" in url)
    suite = next(url for url in _resources(html) if "dash_core_components." in url)
    for url in (css, suite):
        first = client.get(url, headers={"Accept-Encoding": "br"})
        before = len(calls)
        again = client.get(url, headers={"Accept-Encoding": "br"})
        assert again.data == first.data
        assert len(calls) == before, f"{url} was compressed again"
    page_calls = len(calls)
    client.get("/", headers={"Accept-Encoding": "br"})
    assert len(calls) == page_calls + 1  # pages are compressed per request (they differ)


def test_an_unversioned_static_file_gets_a_short_lifetime_and_an_etag(client):
    first = client.get("/assets/2-site/mmmeter.css")
    assert first.headers["Cache-Control"] == SHORT
    etag = first.headers["ETag"]
    again = client.get("/assets/2-site/mmmeter.css", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_pages_load_the_partial_plotly_bundle_and_no_dash_table_or_inline_table_code(client):
    html = client.get("/corona/GM0114").get_data(as_text=True)
    assert "/dash_table/" not in html  # no script of it (the config still names it)
    assert "plotly.min.js" not in html
    assert "figureTable" not in html  # the table code is in an asset, not inlined
    assert len(re.findall(r"<script>", html)) < 12
    bundle = _meta(html, "name", "mmmeter-plotly")
    assert bundle.startswith("/assets/plotly/plotly-mmmeter.min.js?v=")
    response = client.get(bundle, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert b"partial bundle" in brotli.decompress(response.data)[:400]


def test_pages_load_the_regenerator_runtime_instead_of_dash_polyfill_before_the_renderer(client):
    html = client.get("/corona/GM0114").get_data(as_text=True)
    listed = re.search(r'<template id="mm-scripts">(.*?)</template>', html, re.S).group(1)
    scripts = re.findall(r'<script src="([^"]+)"', listed)  # in the order they run
    assert not [src for src in scripts if "polyfill@" in src], scripts
    runtime = [i for i, src in enumerate(scripts) if "regenerator-runtime.min.js" in src]
    renderer = [i for i, src in enumerate(scripts) if "dash_renderer" in src]
    assert runtime and renderer and runtime[0] < renderer[0], scripts
    served = client.get(scripts[runtime[0]]).get_data(as_text=True)
    assert "regeneratorRuntime=runtime" in served and "regenerator-runtime 0.14.1" in served


def test_each_page_describes_itself_with_its_own_lead(client):
    home = client.get("/").get_data(as_text=True)
    emmen = client.get("/corona/GM0114").get_data(as_text=True)
    assen = client.get("/corona/GM0106?lang=en").get_data(as_text=True)
    descriptions = [_meta(page, "name", "description") for page in (home, emmen, assen)]
    assert all(descriptions) and len(set(descriptions)) == 3
    assert "Emmen" in descriptions[1] and "Assen" in descriptions[2]
    assert "coronavirus developed" in descriptions[2]
    start = client.get("/thema/start")  # the home page's theme: its lead describes the home page
    assert _meta(start.get_data(as_text=True), "name", "description") == descriptions[0]
    for page in (home, emmen):
        assert _meta(page, "property", "og:title")
        assert _meta(page, "property", "og:description") == _meta(page, "name", "description")
        assert _meta(page, "property", "og:url").startswith("http://")
        image = _meta(page, "property", "og:image")
        assert image.startswith("http://")
        response = client.get(image.split("localhost", 1)[1])
        assert response.status_code == 200 and response.mimetype == "image/png"


def test_robots_txt_points_at_a_sitemap_of_every_public_page(client):
    robots = client.get("/robots.txt")
    assert robots.status_code == 200 and robots.mimetype == "text/plain"
    assert "Sitemap: http://localhost/sitemap.xml" in robots.get_data(as_text=True)
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    locs = [el.text for el in ET.fromstring(sitemap.data).findall("s:url/s:loc", NS)]
    paths = [loc.removeprefix("http://localhost") for loc in locs]
    assert len(paths) == len(set(paths))
    for expected in (
        "/",
        "/corona/kaart",
        "/buurten",
        "/thema/bevolking",
        "/corona",  # the home municipality's page (Emmen) by its own address
        "/corona/GM0106",
        "/buurten/WK011401",
    ):
        assert expected in paths
    assert "/admin" not in paths and "/404" not in paths
    assert "/thema/start" not in paths  # the home page's theme is the home page, at /
    assert "/corona/GM0114" not in paths  # the same page as /corona, listed once
    assert sum(p.startswith("/corona/GM") for p in paths) == 341
    for path in paths[::40]:
        assert client.get(path).status_code == 200, path


def test_an_address_that_is_no_page_answers_404(client):
    for path in ("/bestaat-niet", "/corona/kaart/extra", "/corona/XX", "/buurten/BU99", "/thema/x"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.mimetype == "text/html"  # still the app, which says what is missing
    for path in ("/", "/corona", "/corona/assen", "/buurten/WK011401", "/thema/bevolking"):
        assert client.get(path).status_code == 200, path


def test_a_malformed_accept_encoding_is_not_an_error(client):
    response = client.get("/", headers={"Accept-Encoding": "br;q=abc, gzip;q=, *;q=x"})
    assert response.status_code == 200
