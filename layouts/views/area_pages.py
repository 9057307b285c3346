"""The page that shows one area, by the kind of code: a gemeente's corona page
(/corona for the home municipality, /corona/GM0106 for another), a wijk's or buurt's profile
(/buurten/WK011401). One rule for the map pages' clicks, search boxes and tables and for the
theme map block's `open_area`."""

from __future__ import annotations

from urllib.parse import parse_qs

from layouts.corona_state import page_path
from layouts.views.area_search import find_area
from layouts.views.urls import href

PROFILE_PATH = "/buurten"
AREA_PARAMETER = "gebied"  # ?gebied=GM0106 or ?gebied=assen: the area of blocks that follow it


def area_path(code: str, home: str) -> str | None:
    """The app path of the page of `code`; None for areas without a page of their own."""
    if code.startswith("GM"):
        return page_path(code, home)
    if code.startswith(("WK", "BU")):
        return f"{PROFILE_PATH}/{code}"
    return None


def area_href(code: str, home: str, lang: str) -> str | None:
    path = area_path(code, home)
    return href(path, None, lang) if path else None


def area_in_query(query: dict | None, names: dict[str, str | None]) -> str | None:
    """The area a page address names with ?gebied= (a code or a name; None: none or unknown)."""
    value = (query or {}).get(AREA_PARAMETER)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    if not isinstance(value, str) or len(value) > 100:
        return None
    return find_area(value, names)


def area_in_search(search: str | None, names: dict[str, str | None]) -> str | None:
    """area_in_query for the browser's `location.search` ('?gebied=assen&lang=en')."""
    return area_in_query(parse_qs((search or "").lstrip("?")), names)
