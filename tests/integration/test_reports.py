"""Area reports (/rapport/<code>, /rapport/<code>.pdf) from the refreshed store: the PDF's text
(poppler's pdftotext) against the Reader's own values, its accessibility (pikepdf and the
`pdfua` checker), the gemeente and buurt reports, the bounds and the cache. The page's axe and
print media are in tests/browser/test_report.py."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time

import pikepdf
import pytest

import app.reports as reports_route
from layouts.i18n import format_number
from layouts.pages import area_profile
from layouts.pages.neighbourhoods import area_codes
from layouts.report.content import build_report
from layouts.report.pdf import html_to_pdf
from layouts.report.render import report_html
from tests.conftest import unavailable
from tests.integration.pages import kind, prop, walk

WIJK = "WK011401"
SITE = "http://localhost"  # the test client's host
# Indicators a wijk report of Emmen shows, checked against the Reader (not hard-coded values).
WIJK_FIGURES = ("population", "dwellings", "household_size", "age_65_plus_pct")


def pdf_text(pdf: bytes, tmp_path, *, layout: bool = False) -> str:
    """The PDF's text as poppler's pdftotext reads it (`layout`: table rows stay lines)."""
    if shutil.which("pdftotext") is None:
        unavailable("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    options = ["-layout"] if layout else []
    done = subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout.decode("utf-8")


def table_row(text: str, title: str) -> list[str]:
    """The cells of the table row whose first cell is `title` (or its first words, when the
    title wraps onto a second line), from pdftotext's layout text."""
    best: list[str] = [""]
    for line in text.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        label = cells[0]
        if (label == title or title.startswith(label + " ")) and len(label) > len(best[0]):
            best = cells
    assert best[0], f"no table row for {title!r}"
    return best


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def wijk_pdf(dash_app) -> bytes:
    response = dash_app.server.test_client().get(f"/rapport/{WIJK}.pdf")
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    assert f"rapport-{WIJK}.pdf" in response.headers["Content-Disposition"]
    return response.data


def _reader(dash_app):
    from app.context import runtime

    with dash_app.server.app_context():
        return runtime().reader()


def test_wijk_pdf_holds_its_name_key_figures_and_permalink(dash_app, wijk_pdf, tmp_path):
    reader = _reader(dash_app)
    text = pdf_text(wijk_pdf, tmp_path, layout=True)
    flat = words(text)
    name = reader.area_names()[WIJK]
    assert f"Rapport: {name}" in flat
    for indicator_id in WIJK_FIGURES:
        indicator = reader.catalog.indicator(indicator_id)
        period, value = reader.latest(indicator_id, WIJK)
        cells = table_row(text, indicator.title.get("nl"))
        assert cells[1] == format_number(value, "nl", indicator.decimals), (indicator_id, cells)
        assert cells[-1] == str(period.year)
        whole = reader.snapshot(indicator_id, "gm", period)  # the gemeente's, same period
        hits = whole.loc[whole["area"] == reader.home, "value"]
        expected = format_number(hits.iloc[0], "nl", indicator.decimals) if len(hits) else "–"
        assert cells[2] == expected, (indicator_id, cells)
    permalink = f"{SITE}/v/{reader.version}/rapport/{WIJK}"
    assert permalink in "".join(text.split())  # pdftotext may break a long line anywhere
    links = {
        str(annotation.A.URI)
        for page in pikepdf.open(_file(wijk_pdf, tmp_path)).pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation and "/URI" in annotation.A
    }
    assert permalink in links


def _file(pdf: bytes, tmp_path):
    path = tmp_path / "checked.pdf"
    path.write_bytes(pdf)
    return path


def _elements(node, kind: str, found: list) -> list:
    """Every element of type `kind` ("/Figure", "/TH") of a structure tree."""
    if isinstance(node, pikepdf.Array):
        for child in node:
            _elements(child, kind, found)
    elif isinstance(node, pikepdf.Dictionary):
        if node.get("/S") == kind:
            found.append(node)
        if "/K" in node:
            _elements(node.K, kind, found)
    return found


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_report_pdf_is_tagged_with_language_title_alt_texts_and_selectable_text(
    dash_app, tmp_path, lang
):
    response = dash_app.server.test_client().get(f"/rapport/{WIJK}.pdf?lang={lang}")
    path = _file(response.data, tmp_path)
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True  # a tagged PDF
        assert len(root.StructTreeRoot.K) > 0  # with a structure tree
        assert str(root.Lang) == lang
        title = str(pdf.docinfo["/Title"])
        assert title.startswith("Rapport: " if lang == "nl" else "Report: ")
        assert root.ViewerPreferences.DisplayDocTitle is True  # the title, not the file name
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
            assert xmp.get("dc:title") == title
        figures = _elements(root.StructTreeRoot.K, "/Figure", [])
        assert figures and all(str(f.get("/Alt", "")).strip() for f in figures)
        headers = _elements(root.StructTreeRoot.K, "/TH", [])
        scopes = {str(h.A.Scope) for h in headers}
        assert headers and scopes == {"/Column", "/Row"}  # every header cell says what it heads
    assert title.split(" | ")[0] in words(pdf_text(response.data, tmp_path))  # selectable
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts.stdout  # embedded (emb column)
    # The machine-checkable part of PDF/UA-1 that `pdfua` implements (no JVM, unlike veraPDF):
    # exit 0 is no finding (1-3: findings, 4: an unreadable file).
    check = subprocess.run(
        [sys.executable, "-m", "pdfua", "check", str(path)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "PASS (no findings)" in check.stdout


def test_gemeente_report_compares_with_its_province_and_the_netherlands(home_reader, tmp_path):
    code = home_reader.home
    report = build_report(home_reader, code, "nl")
    assert [place.code for place in report.columns] == [code, home_reader.home_province, "NL01"]
    population = next(f for f in report.figures if f.indicator_id == "population")
    _period, value = home_reader.latest("population", code)
    assert population.texts[0] == format_number(value, "nl")
    assert report.maps and report.trends  # the province's gemeenten on a map, trends
    html = report_html(report, SITE)
    assert f"Rapport: {home_reader.home_name}" in html
    assert home_reader.home_province_name in html
    text = words(pdf_text(html_to_pdf(html), tmp_path))
    assert f"Rapport: {home_reader.home_name}" in text
    assert population.texts[0] in text


def test_buurt_report_shows_its_wijk_and_the_figures_of_that_wijk(emmen_reader, tmp_path):
    buurt = area_codes(emmen_reader, "bu")[0]
    report = build_report(emmen_reader, buurt, "nl")
    wijk = emmen_reader.parents()[buurt]
    assert [p.code for p in report.columns[:3]] == [buurt, wijk, emmen_reader.home]
    assert report.wijk.code == wijk
    population = next(f for f in report.figures if f.indicator_id == "population")
    _period, value = emmen_reader.latest("population", wijk)
    assert population.texts[1] == format_number(value, "nl")
    html = report_html(report, SITE)
    assert f'href="/rapport/{wijk}"' in html and f'href="/rapport/{emmen_reader.home}"' in html
    text = words(pdf_text(html_to_pdf(html), tmp_path))
    assert emmen_reader.area_names()[buurt] in text
    assert emmen_reader.area_names()[wijk] in text


@pytest.mark.parametrize(
    "path",
    [
        "/rapport/WK999999",  # well-formed, no such wijk
        "/rapport/WK999999.pdf",
        "/rapport/GM9999.pdf",
        "/rapport/WK010601",  # a wijk of another municipality: no profile, no report
        "/rapport/nowhere",
        "/rapport/WK01<script>",
        "/rapport/a/b/c.pdf",
        "/rapport/" + "9" * 5000,
        "/rapport/.pdf",
    ],
)
def test_unknown_or_malformed_area_code_answers_the_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Rapport niet gevonden" in body
    assert "<script>" not in body


def test_area_profile_links_to_its_report_and_pdf(emmen_reader):
    page = area_profile.layout(emmen_reader, code=WIJK, lang="en")
    links = {prop(c, "href") for c in walk(page) if kind(c) == "A"}
    assert {f"/rapport/{WIJK}?lang=en", f"/rapport/{WIJK}.pdf?lang=en"} <= links


def test_report_page_in_english_links_to_its_pdf_and_back_to_the_profile(client):
    page = client.get(f"/rapport/{WIJK}?lang=en")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert '<html lang="en">' in body and "Report: Wijk 01 Nieuw-Weerdinge" in body
    assert f'href="/rapport/{WIJK}.pdf?lang=en"' in body
    assert f'href="/buurten/{WIJK}?lang=en"' in body


def test_pdf_is_made_once_per_version_code_and_language(client, monkeypatch):
    made = []

    def counting(document: str, base_url=None) -> bytes:
        made.append(document)
        return html_to_pdf(document, base_url)

    monkeypatch.setattr(reports_route, "html_to_pdf", counting)
    first = client.get("/rapport/WK011402.pdf?lang=en")
    second = client.get("/rapport/WK011402.pdf?lang=en")
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and len(made) == 1
    assert client.get("/rapport/WK011402.pdf").status_code == 200  # another language
    assert len(made) == 2


def test_slow_report_answers_503_with_retry_after_not_an_error(client, monkeypatch):
    def slow(document: str, base_url=None) -> bytes:
        time.sleep(1.0)
        return b"%PDF-"

    monkeypatch.setattr(reports_route, "html_to_pdf", slow)
    monkeypatch.setattr(reports_route, "REPORT_TIMEOUT_S", 0.05)
    response = client.get("/rapport/WK011403.pdf")
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
