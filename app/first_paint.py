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

# Started once the deferred scripts (React, the component libraries, the renderer) have run.
DEFERRED_RENDERER = (
    "var renderer;"
    'document.addEventListener("DOMContentLoaded",function(){renderer=new DashRenderer();});'
)
_SCRIPT_SRC = re.compile(r"<script (?=src=)")


def defer_scripts(scripts_html: str) -> str:
    """Dash's `<script src=...>` tags with `defer` (inline scripts are left as they are)."""
    return _SCRIPT_SRC.sub("<script defer ", scripts_html)
