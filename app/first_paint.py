"""The first paint of a page, before any script has run.

- Dash's script tags are in a `<template>` (SCRIPTS_ID), where they neither load nor run, and
  the renderer's inline script adds them to the page, in order (`async = false`), once
  the browser has painted the page's HTML. On a slow line the page's HTML and stylesheets
  then have the line to themselves (the browser's preload scanner would otherwise fetch some
  300 KB of scripts at the same time), so the first view is on screen sooner; the renderer is
  started when the last script has run. A tab in the background, which paints no frames,
  adds them after FALLBACK_MS.
- The first view (layouts/first_view.py): the shell and the page's own content rendered to
  HTML on the server, shown until Dash has rendered the same page, so the heading and lead text
  are on screen without waiting for React (app/assets/2-site/first-view.js swaps them).
"""

from __future__ import annotations

import re

SCRIPTS_ID = "mm-scripts"
FALLBACK_MS = 1500
DEFERRED_RENDERER = (
    "var renderer;"
    "(function(){"
    "var started=false,added=false;"
    "function start(){if(!started){started=true;renderer=new DashRenderer();}}"
    "function add(){if(added){return;}added=true;"
    f'var listed=document.getElementById("{SCRIPTS_ID}"),last=null;'
    'Array.prototype.forEach.call(listed.content.querySelectorAll("script"),function(tag){'
    'last=document.createElement("script");last.src=tag.getAttribute("src");last.async=false;'
    "document.body.appendChild(last);});"
    'if(last){last.addEventListener("load",start);}else{start();}}'
    "requestAnimationFrame(function(){setTimeout(add,0);});"
    f"setTimeout(add,{FALLBACK_MS});"
    "})();"
)
_SCRIPT_SRC = re.compile(r'(<script src="[^"]+"></script>)')


def scripts_after_first_paint(scripts_html: str) -> str:
    """Dash's `<script src=...>` tags moved into the template from which DEFERRED_RENDERER
    adds them after the first paint (inline scripts are left as they are, after it)."""
    tags = "".join(_SCRIPT_SRC.findall(scripts_html))
    inline = _SCRIPT_SRC.sub("", scripts_html)
    return f'<template id="{SCRIPTS_ID}">{tags}</template>{inline}'


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
