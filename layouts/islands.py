"""Static parts of a page as HTML, so that React renders only the parts that change.

Dash renders every component of a page as its own React component (with its own store
subscription), and that work grows with the page: the 343 rows of the corona map's ranking
were about 1,850 components. Most of a page never changes after it arrives: headings, lead
text, lists of links, the tables behind the charts. `islands(tree, live)` writes each largest
subtree that no callback reads or writes as one `StaticHtml` component: its root element with
its attributes, and the HTML of its children (layouts/first_view.py's `to_html`, the same
markup React would make), which the browser parses in one go. The parts with a callback id,
a pattern-matching id or a component that is more than markup (a chart, a dropdown) stay
Dash components, and so do their ancestors.

A `dcc.Link` in a static part is written as a link marked `data-dash-link`; the component
(app/assets/2-site/static-html.js) follows it without reloading the page, as `dcc.Link`
does.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Collection
from typing import ClassVar

from dash.development.base_component import Component

from layouts.first_view import DBC, DCC, HTML, STATIC, to_html

MIN_COMPONENTS = 2  # a subtree of one component is not worth a StaticHtml
# dash-bootstrap-components written as Bootstrap's markup by to_html (the same as dbc's)
STATIC_DBC = frozenset({"Row", "Col", "Card", "CardBody"})
# Props of Dash's html components that React does not write as attributes.
NOT_ATTRIBUTES = frozenset(
    {"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "key", "loading_state"}
)
MAX_DEPTH = 200
# Parents whose runs of static children may be written as one StaticHtml, a <div
# class="mm-run"> with `display: contents` (mmmeter.css): generic containers only, where no
# child must be a direct child (a list's items, a table's rows, a details' summary, a
# fieldset's legend, a .row's columns).
RUN_PARENTS = frozenset(
    {(HTML, kind) for kind in ("Div", "Section", "Article", "Aside", "Header", "Footer", "Main")}
    | {(DBC, kind) for kind in ("Col", "Card", "CardBody", "Container")}
)
RUN_CLASS = "mm-run"


class StaticHtml(Component):
    """An element (`tag` with `attributes`, React's names) whose children are `html`."""

    _namespace = STATIC
    _type = "StaticHtml"
    _prop_names: ClassVar[list[str]] = ["id", "tag", "attributes", "html"]
    _valid_wildcard_attributes: ClassVar[list[str]] = []
    available_properties: ClassVar[list[str]] = _prop_names
    available_wildcard_properties: ClassVar[list[str]] = []
    _base_nodes: ClassVar[list[str]] = []

    def __init__(
        self,
        html: str = "",
        tag: str = "div",
        attributes: dict | None = None,
        id=None,
        source=None,
    ):
        props = {"html": html, "tag": tag, "attributes": attributes or {}}
        if id is not None:
            props["id"] = id
        super().__init__(**props)
        self.source = source  # the children it was written from (not sent; for the first view)

    def __bool__(self) -> bool:
        return True  # a Component without children has len() 0, but this one has content


def _is_markup(node: Component) -> bool:
    """A component that is only its markup (to_html writes what React renders)."""
    namespace = getattr(node, "_namespace", None)
    kind = getattr(node, "_type", None)
    if namespace == HTML:
        return True
    if namespace == DCC:
        return kind == "Link"
    return namespace == DBC and kind in STATIC_DBC


def _is_quiet(node: Component, live: Collection[str]) -> bool:
    """No callback reads or writes it (no id, or a plain id no callback names)."""
    node_id = getattr(node, "id", None)
    return node_id is None or (isinstance(node_id, str) and node_id not in live)


def islands(tree, live: Collection[str], min_components: int = MIN_COMPONENTS):
    """`tree` with each largest static subtree of at least `min_components` components as a
    StaticHtml; the tree itself is not changed (changed components are copies)."""
    result, static, count = _visit(tree, live, min_components, 0)
    return _rooted(result, count, min_components) if static else result


def _visit(node, live, min_components, depth) -> tuple[object, bool, int]:
    """(the node as written, whether it is static, its number of components); a static node
    is returned as it is, for its parent to write."""
    if depth > MAX_DEPTH:
        return node, False, 0
    if node is None or isinstance(node, str | int | float | bool):
        return node, True, 0
    if isinstance(node, list | tuple):
        visited = [_visit(child, live, min_components, depth + 1) for child in node]
        if all(s for _n, s, _c in visited):
            return node, True, sum(c for _n, _s, c in visited)
        return _written(node, visited, min_components), False, 0
    if not isinstance(node, Component):
        return node, False, 0
    children = getattr(node, "children", None)
    visited = [_visit(child, live, min_components, depth + 1) for child in _as_list(children)]
    count = 1 + sum(c for _n, _s, c in visited)
    if _is_markup(node) and _is_quiet(node, live) and all(s for _n, s, _c in visited):
        return node, True, count
    runs = (node._namespace, node._type) in RUN_PARENTS
    written = _written(children, visited, min_components, runs=runs)
    return _with_children(node, written), False, count


def _as_list(children) -> list:
    if children is None:
        return []
    return list(children) if isinstance(children, list | tuple) else [children]


def _with_children(node: Component, children) -> Component:
    if children is getattr(node, "children", None):
        return node
    changed = copy.copy(node)
    changed.children = children
    return changed


def _written(children, visited, min_components, *, runs: bool = False):
    """Children as written: the static ones through `_rooted` (with `runs`, each run of at
    least two static components as one StaticHtml), the others as visited (the same object
    when nothing changed)."""
    if runs and isinstance(children, list | tuple):
        visited = _merge_runs(visited, min_components)
    written = [_rooted(n, c, min_components) if s else n for n, s, c in visited]
    if len(written) == len(_as_list(children)) and all(
        w is o for w, o in zip(written, _as_list(children), strict=True)
    ):
        return children
    return written if isinstance(children, list | tuple) else written[0]


def _merge_runs(visited, min_components):
    """`visited` with each run of static siblings holding at least two components replaced by
    one StaticHtml (marked as not static, so it is taken as it is)."""
    merged, run = [], []

    def flush():
        components = [n for n, _s, _c in run if isinstance(n, Component)]
        if len(components) >= 2 and sum(c for _n, _s, c in run) >= min_components:
            nodes = [n for n, _s, _c in run]
            merged.append(
                (StaticHtml(to_html(nodes), "div", {"className": RUN_CLASS}, None, nodes), False, 0)
            )
        else:
            merged.extend(run)
        run.clear()

    for entry in visited:
        if entry[1]:
            run.append(entry)
        else:
            flush()
            merged.append(entry)
    flush()
    return merged


def _rooted(node, count: int, min_components: int):
    """A static node as written: an html element of enough components as a StaticHtml; a
    dcc.Link or dbc component keeps its React component, with its children written so."""
    if not isinstance(node, Component) or count < min_components:
        return node
    if node._namespace == HTML:
        return as_static_html(node)
    children = getattr(node, "children", None)
    # its children are static under any set of live ids: visited again only for their counts
    visited = [_visit(child, (), min_components, 0) for child in _as_list(children)]
    return _with_children(node, _written(children, visited, min_components))


def as_static_html(node: Component) -> StaticHtml:
    """An html element as a StaticHtml: its tag and attributes, its children's HTML."""
    props = node.to_plotly_json()["props"]
    attributes = {k: v for k, v in props.items() if k not in NOT_ATTRIBUTES and k != "id"}
    html = to_html(getattr(node, "children", None))
    return StaticHtml(html, node._type.lower(), attributes, props.get("id"), node.children)


def live_ids(callback_map: dict) -> frozenset[str]:
    """The plain ids that Dash's callbacks name (outputs, inputs and states)."""
    ids: set[str] = set()
    for output, spec in callback_map.items():
        for part in output.strip(".").split("..."):
            ids.add(part.rsplit(".", 1)[0])
        for dependency in (*spec.get("inputs", ()), *spec.get("state", ())):
            if isinstance(dependency.get("id"), str):
                ids.add(dependency["id"])
    return frozenset(ids)


def app_live_ids() -> frozenset[str] | None:
    """live_ids of Dash's callbacks: the running app's map and those registered but not yet
    handed to an app (Dash moves them at its first request); None when there are none."""
    import dash
    from dash import _callback
    from dash.exceptions import AppNotFoundError

    callback_map = dict(_callback.GLOBAL_CALLBACK_MAP)
    with contextlib.suppress(AppNotFoundError):  # no app yet: the registered callbacks
        callback_map.update(dash.get_app().callback_map)
    if not callback_map:
        return None
    key = frozenset(callback_map)
    if _LIVE_CACHE.get("key") != key:
        _LIVE_CACHE.update(key=key, ids=live_ids(callback_map))
    return _LIVE_CACHE["ids"]


_LIVE_CACHE: dict[str, frozenset[str]] = {}


def static_page(tree, live: Callable[[], Collection[str] | None] = app_live_ids):
    """A page layout with its static parts as StaticHtml (islands with the app's ids); the
    tree as it is when no callback is known yet (nothing may be written as static then)."""
    ids = live()
    return tree if ids is None else islands(tree, ids)
