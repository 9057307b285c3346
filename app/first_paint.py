"""The first paint of a page, before any script has run.

- Dash's scripts load with `defer`: the browser paints the page's HTML (the first view below)
  as soon as its stylesheets are there, and evaluates the scripts after parsing, in order; the
  renderer is started on DOMContentLoaded, after the deferred scripts.
- The first view (layouts/first_view.py): the shell and the page's own content rendered to
  HTML on the server, shown until Dash has rendered the same page, so the heading and lead text
  are on screen without waiting for React (app/assets/2-site/first-view.js swaps them).
"""

from __future__ import annotations

import re

# Started once the deferred scripts (React, the component libraries, the renderer) have run,
# after the browser has painted the first view (the task after the next frame), so React's
# first render does not hold up the first paint; a tab in the background, which paints no
# frames, starts it after FALLBACK_MS.
FALLBACK_MS = 1500
DEFERRED_RENDERER = (
    "var renderer;"
    'document.addEventListener("DOMContentLoaded",function(){'
    "var started=false;"
    "function start(){if(!started){started=true;renderer=new DashRenderer();}}"
    "requestAnimationFrame(function(){setTimeout(start,0);});"
    f"setTimeout(start,{FALLBACK_MS});"
    "});"
)
_SCRIPT_SRC = re.compile(r"<script (?=src=)")


def defer_scripts(scripts_html: str) -> str:
    """Dash's `<script src=...>` tags with `defer` (inline scripts are left as they are)."""
    return _SCRIPT_SRC.sub("<script defer ", scripts_html)


FIRST_VIEW_ID = "mm-first-view"
ID_PREFIX = "mm-fv-"  # the first view's copies of the page's ids
MAX_FIRST_VIEW_CHARS = 400_000  # a larger page is left to Dash alone


def page_layout(app, path: str, query_string: str):
    """The layout Dash's page router gives the browser for `path` and query (the not-found
    page for an unknown path), the same function call with the same arguments."""
    from dash import _pages

    page, variables = _pages._path_to_page((app.strip_relative_path(path) or "").strip("/"))
    if not page:
        page = next(
            (p for m, p in _pages.PAGE_REGISTRY.items() if m.split(".")[-1] == "not_found_404"),
            {},
        )
    layout = page.get("layout", "")
    query = _pages._parse_query_string("?" + query_string) if query_string else {}
    return layout(**(variables or {}), **query) if callable(layout) else layout


def first_view_html(app, reader, path: str, query_string: str) -> str:
    """The page's shell and content as HTML under FIRST_VIEW_ID (empty when it cannot be
    written or is too large): header and footer in the request's language, the page's own
    layout in the page container."""
    from layouts import shell
    from layouts.first_view import to_html
    from layouts.i18n import t

    search = f"?{query_string}" if query_string else ""
    lang = shell.lang_from_search(search)
    children_of = {
        "site-header": shell.header(reader, path, lang, search),
        "site-footer": shell.footer(lang),
        "skip-link": t("a11y.skip_link", lang),
        "_pages_content": page_layout(app, path, query_string),
    }
    body = to_html(shell.layout(reader), children_of, ID_PREFIX)
    if len(body) > MAX_FIRST_VIEW_CHARS:
        return ""
    return f'<div id="{FIRST_VIEW_ID}">{body}</div>'
