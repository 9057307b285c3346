"""robots.txt, sitemap.xml and page descriptions (app/seo.py, layouts/seo.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.seo import robots_txt, sitemap_xml
from layouts import seo

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_robots_txt_names_the_absolute_sitemap_and_keeps_admin_out():
    text = robots_txt("https://mmmeter.example/")
    lines = text.splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin" in lines
    assert lines[-1] == "Sitemap: https://mmmeter.example/sitemap.xml"


def test_sitemap_lists_each_path_once_as_an_escaped_absolute_url():
    text = sitemap_xml("https://mmmeter.example/", ["/", "/corona/GM0114", "/a?x=1&y=2"])
    root = ET.fromstring(text)
    locs = [loc.text for loc in root.findall("s:url/s:loc", NS)]
    assert locs == [
        "https://mmmeter.example/",
        "https://mmmeter.example/corona/GM0114",
        "https://mmmeter.example/a?x=1&y=2",
    ]


def test_long_descriptions_are_cut_at_a_word():
    text = "woord " * 100
    short = seo._short(text)
    assert len(short) <= seo.MAX_DESCRIPTION
    assert short.endswith("woord…")


def test_fixed_page_description_is_its_lead_in_the_language_asked():
    # Fixed pages read no data: no Reader needed.
    from layouts.i18n import t

    assert seo.description(None, "status", "nl") == t("status.intro", "nl")
    assert seo.description(None, "corona_map", "en") == t("corona_map.intro", "en")
    assert seo.description(None, "corona_map", "xx") == t("corona_map.intro", "nl")
