"""Staff metadata is checked like upstream data: web addresses only, no spreadsheet formulas."""

from __future__ import annotations

import pytest

from data import staff

BASE = (
    "title: {{nl: {title}, en: House value}}\n"
    "source: Gemeente Emmen\n"
    "licence: CC BY 4.0\n"
    "level: wijk\n"
    "unit: {{nl: euro, en: euro}}\n"
    "definition: {{nl: Gemiddelde WOZ-waarde, en: Average value}}\n"
)


def meta(title: str = "Woningwaarde", extra: str = "") -> bytes:
    return (BASE.format(title=title) + extra).encode()


def test_plain_metadata_passes():
    assert staff.parse_meta(meta(), "woz.yaml").title.nl == "Woningwaarde"


@pytest.mark.parametrize("title", ["'=HYPERLINK(\"http://x\")'", "'+1'", "'-2+3'", "'@SUM(A1)'"])
def test_a_title_that_looks_like_a_formula_is_rejected(title):
    with pytest.raises(staff.StaffProblems) as rejected:
        staff.parse_meta(meta(title), "woz.yaml")
    assert "looks like a spreadsheet formula" in rejected.value.problems[0]
    assert rejected.value.problems[0].startswith("woz.yaml:1 title")


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org/x", "//example.org"]
)
def test_a_landing_page_must_be_a_web_address(url):
    with pytest.raises(staff.StaffProblems) as rejected:
        staff.parse_meta(meta(extra=f"landing_page: '{url}'\n"), "woz.yaml")
    assert "is not a web address" in rejected.value.problems[0]


def test_a_licence_url_over_https_passes():
    extra = "licence_url: https://creativecommons.org/licenses/by/4.0/\n"
    assert staff.parse_meta(meta(extra=extra), "woz.yaml").licence_url.startswith("https://")


def test_control_characters_in_a_unit_are_rejected():
    text = meta().replace(b"{nl: euro,", b'{nl: "eu\\x07ro",')
    with pytest.raises(staff.StaffProblems, match="control characters"):
        staff.parse_meta(text, "woz.yaml")
