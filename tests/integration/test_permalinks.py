"""Dated permalinks: /v/<version>/... keeps showing that version's numbers after a refresh from
a mirror in which they changed; pinned versions survive pruning; unknown versions are a 404."""

from __future__ import annotations

import json
import re
import shutil
import time
from dataclasses import replace

import feedparser
import pytest
from lxml import etree

from app.context import CONFIG_KEY
from app.main import build_runtime
from app.settings import Settings
from data.pipeline import refresh
from data.store import Store
from tests.conftest import SHARED_DATA, FileServer, unavailable
from tests.integration.test_hardening import _callback_body, _dependency

KWB = "cbs/kwb_2024_85984NED_wijk_GM0114_Emmen.csv"
WIJK, OLD_POPULATION, NEW_POPULATION = "WK011401", 3370, 3999
PERMALINK_CALLBACK = "permalink-panel.children"
POPULATION_API = f"/api/v1/observations?indicator=population&area={WIJK}"


def _value(response) -> float:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["observations"][-1]["value"]


@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    """A copy of the shared data (never committed), served over HTTP; tests change it."""
    if not (SHARED_DATA / KWB).exists():
        unavailable("shared data not available")
    folder = tmp_path_factory.mktemp("mirror") / "data"
    shutil.copytree(SHARED_DATA, folder)
    with FileServer(folder) as server:
        yield folder, server


@pytest.fixture(scope="module")
def two_versions(mirror, tmp_path_factory):
    """Settings of a store refreshed from the mirror, then again after WK011401's population
    changed upstream; (settings, old version, new version)."""
    folder, server = mirror
    settings = replace(
        Settings(),
        data_dir=tmp_path_factory.mktemp("pinned-store"),
        mirror=server.url,
        run_scheduler=False,
        refresh_on_start=False,
        fetch_retries=0,
        keep_versions=1,
        keep_versions_hours=0.0,
    )
    first = refresh(settings)
    assert not first.failed
    kwb = folder / KWB
    text = kwb.read_text(encoding="utf-8")
    old_row = next(line for line in text.splitlines() if line.startswith(f"{WIJK};"))
    assert old_row.split(";")[1] == str(OLD_POPULATION)
    new_row = old_row.replace(f"{WIJK};{OLD_POPULATION};", f"{WIJK};{NEW_POPULATION};", 1)
    kwb.write_text(text.replace(old_row, new_row), encoding="utf-8")
    return settings, first.version


@pytest.fixture(scope="module")
def second_version(two_versions) -> str:
    """The version of the refresh after the upstream change (made once per module)."""
    settings, old = two_versions
    store = Store(settings.store_dir)
    if store.current_version() == old:
        report = refresh(settings)  # prunes all but the current version, except the pinned
        assert report.version != old and not report.failed
    return store.current_version()


@pytest.fixture()
def app_client(dash_app, two_versions, monkeypatch):
    """The session's app serving this module's store (Dash's page registry is one per process)."""
    settings, _ = two_versions
    monkeypatch.setitem(dash_app.server.config, CONFIG_KEY, build_runtime(settings))
    return dash_app.server.test_client()


def _make_permalink(client, prefix: str, pathname: str, search: str, shown: str) -> dict:
    dep = _dependency(client, PERMALINK_CALLBACK)
    body = _callback_body(dep, [1], [pathname, search, shown])
    started = time.perf_counter()
    response = client.post(f"{prefix}/_dash-update-component", json=body)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    print(f"permalink made in {elapsed * 1000:.0f} ms")
    return response.get_json()["response"]


def _link_in(panel: dict) -> str:
    found = []

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == "permalink-output":
                found.append(props["value"])
            for value in props.values() if "props" in node else node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(panel)
    return found[0]


def test_a_permalink_keeps_its_numbers_after_a_refresh_that_changed_them(
    app_client, two_versions, request
):
    settings, old = two_versions
    answer = _make_permalink(app_client, "", f"/buurten/{WIJK}", "?lang=en", old)
    link = _link_in(answer["permalink-panel"]["children"])
    assert link.endswith(f"/v/{old}/buurten/{WIJK}?lang=en")
    assert answer["permalink-panel"]["hidden"] is False
    assert old in json.loads((settings.store_dir / "pins.json").read_text())

    request.getfixturevalue("second_version")  # the refresh after the upstream change
    assert Store(settings.store_dir).has_version(old)  # pinned: not pruned
    assert _value(app_client.get(POPULATION_API)) == NEW_POPULATION
    assert _value(app_client.get(f"/v/{old}{POPULATION_API}")) == OLD_POPULATION
    csv = app_client.get(f"/v/{old}{POPULATION_API}&format=csv").get_data(as_text=True)
    assert str(OLD_POPULATION) in csv and str(NEW_POPULATION) not in csv

    # the page, through Dash's own requests under the pin: layout and page router callback
    layout = app_client.get(f"/v/{old}/_dash-layout").get_json()
    assert old in json.dumps(layout)
    pages = _dependency(app_client, "_pages_content.children")
    pinned_path = f"/v/{old}/buurten/{WIJK}"
    body = _callback_body(pages, [pinned_path, ""])
    pinned_page = json.dumps(app_client.post(f"/v/{old}/_dash-update-component", json=body).json)
    current_page = json.dumps(
        app_client.post(
            "/_dash-update-component", json=_callback_body(pages, [f"/buurten/{WIJK}", ""])
        ).json
    )
    assert "3.370" in pinned_page and "3.999" not in pinned_page
    assert "3.999" in current_page
    assert f"/v/{old}/" in pinned_page  # its links stay on the version
    assert f"/v/{old}/" not in current_page

    # the notice on the pinned page: its date and a link to the current figures
    notice_dep = _dependency(app_client, "pin-notice.children")
    notice = app_client.post(
        f"/v/{old}/_dash-update-component",
        json=_callback_body(notice_dep, [pinned_path, "?view=x"]),
    ).json
    words = json.dumps(notice, ensure_ascii=False)
    assert "Stand per" in words and "nieuwere cijfers" in words
    assert f'"href": "/buurten/{WIJK}?view=x"' in words


def _dash_config(response) -> dict:
    page = response.get_data(as_text=True)
    found = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1))


def test_the_index_of_a_pinned_page_sends_dash_its_requests_under_the_pin(app_client, two_versions):
    _, old = two_versions
    page = app_client.get(f"/v/{old}/buurten/{WIJK}")
    assert page.status_code == 200
    assert page.headers["X-Robots-Tag"] == "noindex"
    assert _dash_config(page)["requests_pathname_prefix"] == f"/v/{old}/"
    current = app_client.get(f"/buurten/{WIJK}")
    assert _dash_config(current)["requests_pathname_prefix"] == "/"


@pytest.mark.parametrize("version", ["19990101T000000000000Z", "nonsense", "..", "%2e%2e"])
def test_an_unknown_version_is_a_clear_404_page(app_client, version):
    response = app_client.get(f"/v/{version}/corona/GM0114")
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "Deze versie van de cijfers bestaat niet" in text and '<html lang="nl">' in text
    assert 'href="/corona/GM0114"' in text


def test_an_unknown_version_in_the_api_or_a_callback_is_a_json_404(app_client):
    api = app_client.get(f"/v/19990101T000000000000Z{POPULATION_API}")
    assert api.status_code == 404 and api.get_json()["parameter"] == "version"
    dash_request = app_client.post("/v/19990101T000000000000Z/_dash-update-component", json={})
    assert dash_request.status_code == 404


def test_a_permalink_to_a_version_that_is_gone_says_so(app_client):
    answer = _make_permalink(app_client, "", "/corona/GM0114", "", "19990101T000000000000Z")
    assert answer["permalink-panel"]["hidden"] is True
    assert "niet meer" in answer["permalink-status"]["children"]


def test_the_release_of_the_refresh_says_which_dataset_area_and_indicator_changed(
    app_client, two_versions, second_version
):
    _, old = two_versions
    answer = app_client.get(f"/api/v1/releases/{second_version}")
    assert answer.status_code == 200
    release = answer.get_json()
    assert release["previous"] == old and release["current"] and release["kept"]
    assert release["changed_datasets"] == ["cbs_kwb_2024"]
    kwb = release["datasets"]["cbs_kwb_2024"]
    assert (kwb["added"], kwb["changed"], kwb["removed"]) == (0, 1, 0)
    assert WIJK in kwb["areas"] and "population" in kwb["indicators"]
    assert release["datasets"]["rivm_cases"]["status"] == "unchanged"
    listed = app_client.get("/api/v1/releases").get_json()["releases"]
    assert [r["version"] for r in listed] == [second_version, old]
    assert listed[1]["pinned"] and listed[1]["permalink"].endswith(f"/v/{old}/")
    assert app_client.get("/api/v1/releases/19990101T000000000000Z").status_code == 404
    assert app_client.get("/api/v1/releases?limit=0").status_code == 400


def test_the_release_page_lists_the_change_per_dataset(app_client, second_version):
    pages = _dependency(app_client, "_pages_content.children")
    body = _callback_body(pages, [f"/versies/{second_version}", ""])
    page = json.dumps(
        app_client.post("/_dash-update-component", json=body).json, ensure_ascii=False
    )
    assert "1 gewijzigd" in page and "Wijzigingen per dataset" in page
    listing = _callback_body(pages, ["/versies", ""])
    assert second_version in json.dumps(
        app_client.post("/_dash-update-component", json=listing).json
    )
    assert app_client.get(f"/versies/{second_version}").status_code == 200
    assert app_client.get("/versies/19990101T000000000000Z").status_code == 404


def _atom(response) -> feedparser.FeedParserDict:
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    etree.fromstring(response.data)  # well-formed XML
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def test_the_feeds_of_the_wijk_and_the_indicator_name_the_new_figures(app_client, second_version):
    area = _atom(app_client.get(f"/feeds/gebied/{WIJK}.atom"))
    assert "Nieuw-Weerdinge" in area.feed.title
    newest = area.entries[0]
    assert newest.id.endswith(second_version)
    assert "Nieuwe cijfers voor Wijk 01 Nieuw-Weerdinge" in newest.summary
    assert newest.link.endswith(f"/versies/{second_version}")
    indicator = _atom(app_client.get("/feeds/indicator/population.atom?lang=en"))
    assert "0 rows added, 1 changed" in indicator.entries[0].summary
    releases_feed = _atom(app_client.get("/feeds/versies.atom"))
    assert len(releases_feed.entries) == 2
    other = _atom(app_client.get("/feeds/gebied/WK011402.atom"))
    assert [e.id for e in other.entries if e.id.endswith(second_version)] == []
    assert app_client.get("/feeds/gebied/XX999.atom").status_code == 404
    assert app_client.get("/feeds/indicator/nope.atom").status_code == 404


def test_the_dataset_release_history_lists_every_version_with_rows_and_checksum(
    app_client, two_versions, second_version
):
    from app.context import runtime
    from data.releases import release_history
    from layouts.pages.releases import release_history_section
    from tests.integration.pages import text, walk

    _, old = two_versions
    with app_client.application.test_request_context("/data/cbs_kwb_2024"):
        reader = runtime().reader()
        section = release_history_section(reader, "cbs_kwb_2024", "nl")
        assert release_history_section(reader, "no_such_dataset", "nl") is None
    history = release_history(reader.store, "cbs_kwb_2024")
    assert [h["version"] for h in history] == [second_version, old]  # newest first
    assert history[0]["checksum"] != history[1]["checksum"]
    assert (history[0]["changed"], history[1]["added"], history[0]["rows"]) == (1, 224, 224)
    body = next(n for n in walk(section) if type(n).__name__ == "Tbody")
    rows = [text(n) for n in walk(body) if type(n).__name__ == "Tr"]
    assert len(rows) == 2
    assert rows[0].split()[-1] == history[0]["checksum"].removeprefix("sha256:")[:12]
    assert "224 0 1 0" in rows[0]  # rows, added, changed, removed
    pages = _dependency(app_client, "_pages_content.children")
    body = _callback_body(pages, ["/data/cbs_kwb_2024", ""])
    page = json.dumps(app_client.post("/_dash-update-component", json=body).json)
    assert "Versiegeschiedenis" in page and f"/versies/{second_version}" in page


def test_a_pruned_version_is_a_404_that_links_its_release_notes(
    app_client, two_versions, second_version
):
    """Last in this module: it publishes a third version, which prunes the second (unpinned)."""
    settings, old = two_versions
    third = refresh(settings, force=True)
    assert third.version not in (old, second_version)
    store = Store(settings.store_dir)
    assert not store.has_version(second_version) and store.has_version(old)  # old is pinned
    response = app_client.get(f"/v/{second_version}/buurten/{WIJK}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert f'href="/versies/{second_version}"' in page and "versiegeschiedenis" in page
    download = app_client.get(f"/v/{second_version}/data/cbs_kwb_2024.zip")
    assert download.status_code == 404 and download.get_json()["parameter"] == "version"
    notes = app_client.get(f"/api/v1/releases/{second_version}").get_json()
    assert notes["kept"] is False and notes["permalink"] is None
