"""Internal datasets, indicators and themes never reach an anonymous visitor: a crawl of every
address a visitor can find (pages and their content, navigation, sitemap, DCAT, the CKAN
action API, API v1, downloads) finds no internal id or title, while the same crawl as logged-in
staff finds them all; staff answers are private, and an anonymous request after a staff one
(one process, one cache) gets the public answer.

`python -m app` (one worker) serves a copy of the refreshed store with two staff datasets of
tests/fixtures/visibility: `jeugdzorg_intern` (internal) and `wijkpeiling` (public, with the
internal indicator `peiling_klachten_geheim`), and the shipped themes plus an internal theme,
a public theme on the public indicator and a public theme that uses the internal one.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace

import pytest
import requests
from werkzeug.security import generate_password_hash

from data.pipeline import refresh
from tests.conftest import FIXTURES, REPO_ROOT, copy_data_dir
from tests.crawl import Crawl, callback_body, find_component
from tests.servers import running_app

VISIBILITY = FIXTURES / "visibility"
STAFF_IDS = ["jeugdzorg_intern", "wijkpeiling"]
INTERNAL_DATASET = "jeugdzorg_intern"
INTERNAL_INDICATORS = ["jeugdzorg_intern", "peiling_klachten_geheim"]
INTERNAL_THEME = "zorgmonitor-intern"
# Every id and every word of an internal title or text (nl and en) of the fixtures.
NEEDLES = [
    *INTERNAL_INDICATORS,
    INTERNAL_THEME,
    "Zwanenveld",
    "Swanfield",  # the internal dataset (and its one indicator)
    "Reigerbos",
    "Heronwood",  # the internal indicator of the public dataset
    "Kievitsnest",
    "Lapwingnest",  # the internal theme
    "Ooievaarshof",
    "Storkyard",  # a text block of the internal theme
]
PUBLIC_MARKERS = ["peiling_tevreden", "wijkpeiling"]  # public staff data: in both crawls
# Never sampled out: the addresses of the fixtures' data (where an internal part sits beside
# public ones) and every dataset's record (it lists its indicators; each dataset page,
# /data/<id>, is an address of its own anyway).
ALWAYS = ("peiling", "jeugdzorg", "/api/v1/datasets/", "package_show")
SEEDS = [
    "/",
    "/sitemap.xml",
    "/catalog.jsonld",
    "/catalog.ttl",
    "/api/3/action/package_list",
    "/api/3/action/package_search?q=&rows=1000",
    "/api/3/action/package_search?q=peiling&rows=1000",
    "/api/v1/datasets",
    "/api/v1/indicators",
    "/api/v1/status",
    "/thema",
    "/data",
    "/api/v1/openapi.json",
    "/_dash-layout",
    "/metrics",  # open (no MMMETER_METRICS_TOKEN): the public datasets only
    "/robots.txt",
]
USER, PASSWORD = "onderzoek", "visibility test password"


@pytest.fixture(scope="module")
def served(refreshed_settings, tmp_path_factory):
    root = tmp_path_factory.mktemp("visibility")
    copy_data_dir(refreshed_settings.data_dir, root / "data")
    shutil.copytree(VISIBILITY / "staff", root / "staff")
    themes = root / "themes"
    shutil.copytree(
        REPO_ROOT / "layouts" / "themes",
        themes,
        ignore=shutil.ignore_patterns("*.py", "__pycache__"),
    )
    for path in (VISIBILITY / "themes").iterdir():
        shutil.copy(path, themes)
    settings = replace(
        refreshed_settings, data_dir=root / "data", staff_data_dir=root / "staff", themes_dir=themes
    )
    report = refresh(settings, only=STAFF_IDS)
    assert not report.failed, [(r.dataset, r.reason) for r in report.failed]
    with running_app(
        root / "data",
        root / "app.log",
        refreshed_settings.mirror,
        MMMETER_THEMES_DIR=str(themes),
        MMMETER_STAFF_DATA_DIR=str(root / "staff"),
        MMMETER_ADMIN_USER=USER,
        MMMETER_ADMIN_PASSWORD_HASH=generate_password_hash(PASSWORD),
        MMMETER_SECRET_KEY="visibility-test-secret",
    ) as app:
        yield app


def logged_in_session(url: str) -> requests.Session:
    """A session logged in through the admin page, as a browser does it (CSRF token included)."""
    session = requests.Session()
    crawl = Crawl(url, session)
    admin_page = crawl.page_content("/beheer")
    csrf = find_component(json.loads(admin_page.text), "admin-csrf")["data"]
    deps = session.get(f"{url}/_dash-dependencies", timeout=30).json()
    login = next(d for d in deps if any(i["id"] == "admin-login" for i in d["inputs"]))
    response = session.post(
        f"{url}/_dash-update-component",
        json=callback_body(login, [1, 0], [USER, PASSWORD, csrf, ""]),
        timeout=60,
    )
    assert response.status_code == 200 and "admin-logout" in response.text, response.text[:500]
    return session


def found_needles(text: str) -> list[str]:
    lowered = text.lower()
    return [n for n in NEEDLES if n.lower() in lowered]


@pytest.fixture(scope="module")
def staff_crawl(served):
    """The crawl as staff, first: the anonymous crawl after it shares its process and cache."""
    return Crawl(served.url, logged_in_session(served.url), always=ALWAYS).run(SEEDS)


@pytest.fixture(scope="module")
def anonymous_crawl(served, staff_crawl):
    return Crawl(served.url, always=ALWAYS).run(SEEDS)


def test_the_crawl_reaches_pages_open_data_and_api(anonymous_crawl):
    asked = {a.address for a in anonymous_crawl}
    for expected in (
        "/sitemap.xml",
        "/catalog.ttl",
        "/api/v1/datasets",
        "callback /thema/wijkpeiling",
    ):
        assert expected in asked, sorted(asked)
    assert any(a.startswith("/api/3/action/package_show?id=") for a in asked)
    assert any(a.startswith("/gebied/") or a.startswith("/corona/") for a in asked)
    assert any(a.startswith("/data/indicator/") for a in asked)  # the data pages
    assert any(a.startswith("/api/v1/observations?") for a in asked)  # downloads
    assert len(asked) > 40


def test_an_anonymous_crawl_finds_no_internal_id_or_title(anonymous_crawl):
    leaks = {a.address: found_needles(a.text) for a in anonymous_crawl if found_needles(a.text)}
    assert not leaks
    everything = "\n".join(a.text for a in anonymous_crawl)
    for marker in PUBLIC_MARKERS:  # the public staff data is there: the crawl can see it
        assert marker in everything


def test_a_staff_crawl_finds_every_internal_id_and_title(staff_crawl):
    everything = "\n".join(a.text for a in staff_crawl).lower()
    missing = [n for n in NEEDLES if n.lower() not in everything]
    assert not missing


def test_no_crawled_address_answers_a_server_error(anonymous_crawl, staff_crawl):
    errors = [(a.address, a.status) for a in anonymous_crawl + staff_crawl if a.status >= 500]
    assert not errors


def test_staff_answers_are_private_and_not_stored(staff_crawl):
    pages = [a for a in staff_crawl if not a.address.startswith("callback")]
    assert pages
    for answer in pages:
        assert answer.headers.get("Cache-Control") == "private, no-store", answer.address


def test_anonymous_answers_stay_cacheable(anonymous_crawl):
    sitemap = next(a for a in anonymous_crawl if a.address == "/sitemap.xml")
    assert "no-store" not in sitemap.headers.get("Cache-Control", "")


# --- internal addresses, asked for by name --------------------------------------------------


def _same_as_unknown(session, address: str, internal: str) -> None:
    """`address` naming `internal` is answered exactly like one naming an id that never was."""
    unknown = "nooit_bestaan_x"
    asked = session.get(address, timeout=60)
    never = session.get(address.replace(internal, unknown), timeout=60)
    assert asked.status_code == never.status_code == 404, address
    assert _unsalted(asked.text.replace(internal, unknown)) == _unsalted(never.text), address


# A page carries a token of its own per answer (Dash's CSRF-style id): not part of the content.
PER_ANSWER_TOKEN = re.compile(r"[A-Za-z0-9]{24}~[0-9a-f]{64}")


def _unsalted(text: str) -> str:
    return PER_ANSWER_TOKEN.sub("<token>", text)


@pytest.mark.parametrize(
    ("address", "internal"),
    [(f"/api/v1/observations?indicator={i}&area=WK011401", i) for i in INTERNAL_INDICATORS]
    + [
        (f"/api/v1/datasets/{INTERNAL_DATASET}", INTERNAL_DATASET),
        (f"/api/3/action/package_show?id={INTERNAL_DATASET}", INTERNAL_DATASET),
        (f"/thema/{INTERNAL_THEME}", INTERNAL_THEME),
        (f"/data/{INTERNAL_DATASET}", INTERNAL_DATASET),
        *[(f"/data/indicator/{i}", i) for i in INTERNAL_INDICATORS],
    ],
)
def test_an_internal_address_is_not_found_for_anonymous_visitors(
    served, staff_crawl, address, internal
):
    _same_as_unknown(requests.Session(), served.url + address, internal)


def test_staff_get_the_internal_addresses(served):
    session = logged_in_session(served.url)
    for address in (
        "/api/v1/observations?indicator=jeugdzorg_intern&area=WK011401",
        "/api/v1/observations?indicator=peiling_klachten_geheim&area=WK011401",
        f"/api/v1/datasets/{INTERNAL_DATASET}",
        f"/api/3/action/package_show?id={INTERNAL_DATASET}",
        f"/thema/{INTERNAL_THEME}",
        f"/data/{INTERNAL_DATASET}",
        "/data/indicator/peiling_klachten_geheim",
    ):
        assert session.get(served.url + address, timeout=60).status_code == 200, address


def test_an_anonymous_request_after_a_staff_request_gets_the_public_answer(served):
    """Same process, same cache: staff first fill every cache entry, then anonymous ask."""
    staff = Crawl(served.url, logged_in_session(served.url))
    anonymous = Crawl(served.url)
    for crawl in (staff, anonymous):
        for address in ("/sitemap.xml", "/catalog.jsonld", "/api/v1/indicators", "/_dash-layout"):
            crawl.get(address)
        for path in ("/", "/thema", f"/thema/{INTERNAL_THEME}", "/thema/peiling-lek"):
            crawl.page_content(path)
    assert all(found_needles(a.text) for a in staff.answers if "sitemap" in a.address)
    internal_page = f"callback /thema/{INTERNAL_THEME}"
    leaks = {
        a.address: found_needles(a.text)
        for a in anonymous.answers
        if found_needles(a.text) and a.address != internal_page
    }
    assert not leaks
    # the internal theme's address: the page any unknown theme gets (which repeats the address)
    [asked] = [a for a in anonymous.answers if a.address == internal_page]
    never = anonymous.page_content("/thema/nooit-bestaan-x")
    assert asked.text.replace(INTERNAL_THEME, "nooit-bestaan-x") == never.text
    # a validator kept from a staff answer never makes an anonymous answer a 304, nor the reverse
    staff_tag = staff.session.get(f"{served.url}/sitemap.xml", timeout=30).headers.get("ETag")
    public = requests.get(
        f"{served.url}/sitemap.xml", headers={"If-None-Match": staff_tag or "x"}, timeout=30
    )
    assert public.status_code == 200 and not found_needles(public.text)
    assert public.headers["ETag"] != staff_tag
    again = staff.session.get(
        f"{served.url}/sitemap.xml", headers={"If-None-Match": public.headers["ETag"]}, timeout=30
    )
    assert again.status_code == 200 and found_needles(again.text)


def test_the_broken_public_theme_says_what_is_wrong_without_naming_the_indicator(served):
    content = Crawl(served.url).page_content("/thema/peiling-lek")
    assert "this indicator is internal" in content.text
    assert not found_needles(content.text)


def test_the_internal_theme_is_in_the_staff_navigation_only(served):
    staff = Crawl(served.url, logged_in_session(served.url)).get("/_dash-layout")
    public = Crawl(served.url).get("/_dash-layout")
    assert "/thema/zorgmonitor-intern" in staff.text
    assert "zorgmonitor-intern" not in public.text
