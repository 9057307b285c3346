"""The reduced Bootstrap build keeps every Bootstrap class the app's code names, and charts
keep their room before they draw (no layout shift)."""

from __future__ import annotations

import ast
import re

import plotly.graph_objects as go
from dash import dcc

from layouts.figure_block import BlockIds, figure_block
from tests.conftest import REPO_ROOT, unavailable

PURGED = REPO_ROOT / "app" / "assets" / "1-vendor" / "bootstrap.purged.css"
FULL = REPO_ROOT / "node_modules" / "bootstrap" / "dist" / "css" / "bootstrap.min.css"
CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
CODE = ("app", "callbacks", "layouts")


def selectors(css: str) -> list[set[str]]:
    """The classes of each selector of a stylesheet ('.a .b, .c' gives {a, b} and {c})."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\{[^{}]*\}", "{}", css)  # declarations (values such as .5rem) out
    preludes = re.findall(r"([^{}]+)\{", css)
    return [set(CLASS.findall(sel)) for prelude in preludes for sel in prelude.split(",")]


def css_classes(css: str) -> set[str]:
    return set().union(*selectors(css))


def words_in_strings() -> set[str]:
    words = set()
    for folder in CODE:
        for path in (REPO_ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    words.update(node.value.split())
    for path in (REPO_ROOT / "layouts" / "themes").glob("*.yaml"):
        words.update(re.findall(r"[\w-]+", path.read_text(encoding="utf-8")))
    return words


def test_css_class_reader_skips_values_and_comments():
    css = "/* .comment */ .a, .b-c:hover > .d{margin:.5rem} @media (x){.e{x:1}}"
    assert css_classes(css) == {"a", "b-c", "d", "e"}


def test_reduced_bootstrap_keeps_every_bootstrap_class_the_code_names():
    if not FULL.exists():
        unavailable("node_modules/bootstrap not installed (npm ci)")
    full = selectors(FULL.read_text(encoding="utf-8"))
    kept = css_classes(PURGED.read_text(encoding="utf-8"))
    used = words_in_strings() & set().union(*full)
    assert {"navbar-toggler-icon", "visually-hidden", "table-striped"} <= used
    # Every rule whose classes the code names must still be there (".nav-fill .nav-item" may
    # go while no code names nav-fill).
    missing = {c for classes in full if classes and classes <= used for c in classes} - kept
    assert not missing, f"run `node frontend/build_css.mjs`: {sorted(missing)} are not in it"
    assert len(PURGED.read_bytes()) < len(FULL.read_bytes()) / 3


def test_chart_box_keeps_the_chart_height_before_the_chart_draws():
    block = figure_block(
        BlockIds("x"), "Titel", go.Figure(), "", None, None, "nl", graph_height=437
    )
    found = []

    def walk(component):
        children = getattr(component, "children", None)
        if isinstance(children, dcc.Graph):
            found.append(component)
        for child in children if isinstance(children, list) else [children]:
            if hasattr(child, "children"):
                walk(child)

    walk(block)
    (box,) = found
    assert box.style == {"minHeight": "437px"}
    assert box.children.style == {"height": "437px"}


def test_site_css_reserves_room_for_the_page_and_the_scrollbar():
    css = (REPO_ROOT / "app" / "assets" / "2-site" / "mmmeter.css").read_text(encoding="utf-8")
    assert re.search(r"html\s*\{\s*scrollbar-gutter:\s*stable;", css)
    assert re.search(r"main\s*\{\s*min-height:\s*100vh;", css)
