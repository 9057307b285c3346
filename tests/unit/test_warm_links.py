"""app/warm.py `linked`: the API addresses a page names, in its props and in its static HTML."""

from __future__ import annotations

from app.warm import linked

PREFIXES = ("/api/v1/observations?",)


def test_addresses_are_found_in_props_and_in_the_html_of_static_parts():
    content = {
        "props": {
            "href": "/api/v1/observations?indicator=a",
            "children": [
                {
                    "type": "StaticHtml",
                    "props": {
                        "html": '<li><a href="/api/v1/observations?indicator=b&amp;area=GM0114">'
                        'API</a></li><li><a href="/data/x">x</a></li>'
                    },
                },
                "/api/v1/other",
            ],
        }
    }
    assert list(linked(content, PREFIXES)) == [
        "/api/v1/observations?indicator=a",
        "/api/v1/observations?indicator=b&area=GM0114",
    ]
