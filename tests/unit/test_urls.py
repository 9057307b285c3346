"""The URL builder: one place for every link, aware of Dash's path prefix and a pinned version."""

from __future__ import annotations

import contextvars

import dash
import dash._get_paths
import dash._pages
import pytest

from layouts.views import urls


def in_fresh_context(function, *args, **kwargs):
    return contextvars.copy_context().run(function, *args, **kwargs)


def test_href_adds_lang_unless_dutch_and_drops_empty_values():
    assert urls.href("/corona/GM0114", {"view": "per100k", "compare": None}) == (
        "/corona/GM0114?view=per100k"
    )
    assert urls.href("/corona", {"lang": "nl"}, lang="en") == "/corona?lang=en"
    assert urls.href("/", lang="nl") == "/"


def test_href_refuses_a_relative_path():
    with pytest.raises(ValueError, match="start with '/'"):
        urls.href("corona")


def test_a_pinned_request_keeps_every_link_on_its_version():
    def pinned():
        urls.use_pinned_version("20261201T194613248575Z")
        return (
            urls.href("/corona/GM0114", lang="en"),
            urls.api_href(urls.OBSERVATIONS_API, {"indicator": "covid_cases", "area": "GM0114"}),
        )

    page, api = in_fresh_context(pinned)
    assert page == "/v/20261201T194613248575Z/corona/GM0114?lang=en"
    assert api == (
        "/v/20261201T194613248575Z/api/v1/observations?indicator=covid_cases&area=GM0114"
    )
    # another request (context) is not pinned
    assert in_fresh_context(urls.href, "/corona") == "/corona"


def test_links_go_under_dashs_requests_pathname_prefix():
    # Dash keeps the config of the last app made in a module global: put the old one back
    saved = dash._get_paths.CONFIG, dash._pages.CONFIG
    dash.Dash(__name__, requests_pathname_prefix="/mmmeter/", routes_pathname_prefix="/")
    try:
        assert urls.href("/corona", lang="en") == "/mmmeter/corona?lang=en"

        def pinned():
            urls.use_pinned_version("V1")
            return urls.api_href("/api/v1/indicators")

        assert in_fresh_context(pinned) == "/mmmeter/v/V1/api/v1/indicators"
    finally:
        dash._get_paths.CONFIG, dash._pages.CONFIG = saved


def test_same_view_keeps_the_browsers_pathname_and_query_but_switches_language():
    assert urls.same_view("/v/V1/corona/GM0114", "?view=per100k&lang=en", "nl") == (
        "/v/V1/corona/GM0114?view=per100k"
    )
    assert urls.same_view(None, None, "en") == "/?lang=en"


def test_no_layout_or_callback_builds_an_address_by_concatenation():
    """Links go through the builder: no f-string or `+` glued onto an API or page path."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    glued = re.compile(r"""f["']/(api|data|corona|buurten|thema|v)/[^"'\s]*\{|PATH \+ """)
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("layouts", "callbacks")
        for path in (root / folder).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if glued.search(line) and "href(" not in line
    ]
    assert offenders == []
