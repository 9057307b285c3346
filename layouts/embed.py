"""`?embed=1`: a page cut down to one of its figures (a chart, map or table block with its
title, summary, table and source line), for an <iframe> on another site.

A figure is a block section (class `mm-block`) named by its heading (`aria-labelledby`
"<figure id>-title"): every `figure_block`, and the blocks pages build the same way. The
`figuur` query names one by its id; without it, the page's first figure. Works on component
trees and on components as Dash sends them (layouts.wire.as_sent).
"""

from __future__ import annotations

from collections.abc import Iterator

from dash import html
from dash.development.base_component import Component

from layouts.i18n import t

EMBED_CLASS = "mm-embed"
TITLE_SUFFIX = "-title"
MAX_FIGURE_ID = 80


def _is_sent(node) -> bool:
    return isinstance(node, dict) and "props" in node and "type" in node


def _prop(node, name: str):
    return node["props"].get(name) if _is_sent(node) else getattr(node, name, None)


def _walk(node) -> Iterator:
    if isinstance(node, list | tuple):
        for child in node:
            yield from _walk(child)
    elif isinstance(node, Component) or _is_sent(node):
        yield node
        yield from _walk(_prop(node, "children"))


def figure_id(node) -> str | None:
    """The id of the figure block `node`, or None when it is none."""
    if "mm-block" not in str(_prop(node, "className") or "").split():
        return None
    label = _prop(node, "aria-labelledby")
    if not isinstance(label, str) or not label.endswith(TITLE_SUFFIX):
        return None
    return label[: -len(TITLE_SUFFIX)]


def figures(page) -> dict[str, object]:
    """Figure id -> block section, in page order."""
    found: dict[str, object] = {}
    for node in _walk(page):
        key = figure_id(node)
        if key is not None:
            found.setdefault(key, node)
    return found


def _classes(node) -> list[str]:
    return str(_prop(node, "className") or "").split()


def _with_ancestors(node, ancestors: tuple = ()) -> Iterator[tuple[object, tuple]]:
    if isinstance(node, list | tuple):
        for child in node:
            yield from _with_ancestors(child, ancestors)
    elif isinstance(node, Component) or _is_sent(node):
        yield node, ancestors
        yield from _with_ancestors(_prop(node, "children"), (*ancestors, node))


def legends_of(page, section) -> list:
    """The map legends (class `mm-legend`) a page shows beside `section`, outside it: those in
    the largest part of the page that holds no other figure."""
    ancestors = next((a for node, a in _with_ancestors(page) if node is section), ())
    own = figure_id(section)
    for ancestor in ancestors:  # outermost first: the first with only this figure
        if set(figures(ancestor)) == {own}:
            inside = {id(n) for n in _walk(section)}
            return [
                n for n in _walk(ancestor) if "mm-legend" in _classes(n) and id(n) not in inside
            ]
    return []


def embed_view(page, figure: str | None, lang: str):
    """Only the figure `figure` (or the first) of `page`, with its legend; the page itself
    when it has no figure."""
    found = figures(page)
    if not found:
        return page
    wanted = (figure or "")[:MAX_FIGURE_ID]
    chosen = found.get(wanted) or next(iter(found.values()))
    notice = None
    if wanted and wanted not in found:
        notice = html.P(t("embed.unknown_figure", lang), className="small text-muted")
    return html.Div([notice, chosen, *legends_of(page, chosen)], className=EMBED_CLASS)


def embed_dialog(prefix: str, title: str, lang: str) -> html.Details:
    """Under a figure: the <iframe> code that embeds it (filled in by app/assets/2-site/
    embed.js from the address the browser shows, so it keeps the page's state)."""
    code_id = f"{prefix}-embed-code"
    return html.Details(
        [
            html.Summary(t("embed.heading", lang)),
            html.Label(t("embed.intro", lang), htmlFor=code_id, className="form-label small"),
            html.Textarea(
                id=code_id,
                readOnly=True,
                rows=3,
                className="form-control mm-embed-code",
                **{"data-figure": prefix, "data-title": title},
            ),
            html.Button(
                t("embed.copy", lang),
                type="button",
                className="btn btn-sm btn-outline-primary mt-1 mm-embed-copy",
                **{"data-target": code_id},
            ),
        ],
        className="mm-embed-dialog mb-2",
    )
