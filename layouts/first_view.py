"""A Dash component tree as HTML: the first view of a page, painted before any script runs.

`to_html(tree)` writes what React will render for the plain parts of a layout: every
`dash.html` element with its attributes and inline style, `dcc.Link` as the link it is, the
dash-bootstrap-components the shell and pages use as Bootstrap's markup (container, row, col,
card, alert, navbar), and a chart as its empty box of fixed height. A component it does not
know (a dropdown, a slider, an upload) is left out with its children; what it writes is only
shown until Dash has rendered the page itself (app/first_paint.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from html import escape

HTML = "dash_html_components"
DCC = "dash_core_components"
DBC = "dash_bootstrap_components"
STATIC = "mmmeter_components"  # layouts/islands.py's StaticHtml
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
# Dash html element names that are not the tag's name.
TAG_NAMES = {"ObjectEl": "object", "MapEl": "map"}
# Props of Dash's components that are not HTML attributes.
NOT_ATTRIBUTES = frozenset(
    {
        "children",
        "style",
        "n_clicks",
        "n_clicks_timestamp",
        "disable_n_clicks",
        "key",
        "loading_state",
        "setProps",
    }
)
ATTRIBUTE_NAMES = {"className": "class", "htmlFor": "for"}
# CSS properties React writes without a unit (everything else numeric gets "px").
UNITLESS = frozenset(
    {
        "flex",
        "flexGrow",
        "flexShrink",
        "fontWeight",
        "lineHeight",
        "opacity",
        "order",
        "zIndex",
        "zoom",
        "gridRow",
        "gridColumn",
    }
)
BREAKPOINTS = ("xs", "sm", "md", "lg", "xl", "xxl")
MAX_DEPTH = 200


def _kebab(name: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "-" + m.group(0).lower(), name)


def style_text(style: dict | None) -> str:
    """React's inline style string of a style dict ({"minHeight": 320} -> "min-height:320px")."""
    parts = []
    for name, value in (style or {}).items():
        if value is None or value == "" or isinstance(value, bool):
            continue
        if isinstance(value, int | float) and name not in UNITLESS and value != 0:
            value = f"{value}px"
        parts.append(f"{_kebab(name)}:{value}")
    return ";".join(parts)


def _attribute(name: str, value) -> str | None:
    if value is None or value is False or name in NOT_ATTRIBUTES:
        return None
    if name == "id" and not isinstance(value, str):
        return None  # a pattern-matching id is Dash's, not the element's
    html_name = ATTRIBUTE_NAMES.get(name)
    if html_name is None:
        html_name = name if name.startswith(("aria-", "data-")) else name.lower()
    if value is True:
        if html_name.startswith(("aria-", "data-")):
            return f'{html_name}="true"'
        return html_name
    if isinstance(value, dict | list):
        value = json.dumps(value)
    return f'{html_name}="{escape(str(value), quote=True)}"'


def element(tag: str, props: dict, children: str = "", *, classes: str | None = None) -> str:
    """`<tag ...>children</tag>` from a component's props (`classes` in front of className)."""
    props = dict(props)
    class_name = " ".join(c for c in (classes, props.pop("className", None)) if c)
    if class_name:
        props["className"] = class_name
    attributes = [a for a in (_attribute(k, v) for k, v in props.items()) if a]
    style = style_text(props.get("style"))
    if style:
        attributes.append(f'style="{escape(style, quote=True)}"')
    opening = f"<{tag}{' ' if attributes else ''}{' '.join(attributes)}>"
    if tag in VOID_TAGS:
        return opening
    return f"{opening}{children}</{tag}>"


ID_REFERENCES = ("aria-labelledby", "aria-describedby", "aria-controls", "htmlFor", "html_for")


def with_id_prefix(props: dict, prefix: str) -> dict:
    """`props` with every id, and every attribute that names ids (aria-labelledby, a link
    to #id, ...), under `prefix`, so that a copy of the page does not repeat its ids."""
    if not prefix:
        return props
    props = dict(props)
    if isinstance(props.get("id"), str):
        props["id"] = prefix + props["id"]
    for name in ID_REFERENCES:
        if isinstance(props.get(name), str):
            props[name] = " ".join(prefix + ref for ref in props[name].split())
    href = props.get("href")
    if isinstance(href, str) and href.startswith("#") and len(href) > 1:
        props["href"] = "#" + prefix + href[1:]
    return props


def to_html(
    node,
    children_of: Mapping[str, object] | None = None,
    id_prefix: str = "",
    depth: int = 0,
) -> str:
    """The HTML of a component tree (components, lists, strings and numbers); the component
    whose id is a key of `children_of` is written with those children instead of its own (the
    tree itself is not changed); ids and the references to them get `id_prefix`."""
    children_of = children_of or {}
    if depth > MAX_DEPTH or node is None or isinstance(node, bool):
        return ""
    if isinstance(node, str):
        return escape(node, quote=False)
    if isinstance(node, int | float):
        return escape(str(node))
    if isinstance(node, list | tuple):
        return "".join(to_html(child, children_of, id_prefix, depth + 1) for child in node)
    to_json = getattr(node, "to_plotly_json", None)
    if to_json is None:
        return ""
    described = to_json()
    props = {k: v for k, v in described.get("props", {}).items() if k != "children"}
    node_id = props.get("id")
    if isinstance(node_id, str) and node_id in children_of:
        children = children_of[node_id]
    else:
        children = getattr(node, "children", None)
    namespace, kind = described.get("namespace"), described.get("type")
    props = with_id_prefix(props, id_prefix)
    if namespace == STATIC:
        return _static_html(node, props, children_of, id_prefix, depth)

    def inner() -> str:
        return to_html(children, children_of, id_prefix, depth + 1)

    if namespace == HTML:
        return element(TAG_NAMES.get(kind, kind.lower()), props, inner())
    writers = DCC_WRITERS if namespace == DCC else DBC_WRITERS if namespace == DBC else {}
    writer = writers.get(kind)
    return "" if writer is None else writer(props, inner)


def _static_html(node, props: dict, children_of, id_prefix: str, depth: int) -> str:
    """A StaticHtml: its element, with the HTML of the children it was made from when it has
    them (so that their ids get the prefix too), else its own HTML."""
    attributes = with_id_prefix(
        {**(props.get("attributes") or {}), "id": props.get("id")}, id_prefix
    )
    source = getattr(node, "source", None)
    if source is None:
        inner = props.get("html") or ""
    else:
        inner = to_html(source, children_of, id_prefix, depth + 1)
    return element(props.get("tag") or "div", attributes, inner)


Writer = Callable[[dict, Callable[[], str]], str]


def _keep(names: tuple[str, ...]) -> Callable[[dict], dict]:
    def pick(props: dict) -> dict:
        return {k: v for k, v in props.items() if k in names or k.startswith(("aria-", "data-"))}

    return pick


_LINK_PROPS = _keep(("id", "href", "className", "style", "title", "target"))
_BOX_PROPS = _keep(("id", "className", "style", "role", "title", "hidden"))
_INPUT_PROPS = _keep(
    ("id", "type", "placeholder", "value", "name", "className", "style", "autoComplete")
)


def _graph(props: dict, children: Callable[[], str]) -> str:
    return element("div", _BOX_PROPS(props), classes="dash-graph")


DCC_WRITERS: dict[str, Writer] = {
    "Link": lambda props, children: element(
        "a",  # marked for layouts/islands.py: followed without a reload, as dcc.Link does
        {**_LINK_PROPS(props), "data-dash-link": None if props.get("refresh") else "1"},
        children(),
    ),
    "Loading": lambda props, children: children(),
    "Graph": _graph,
    "Input": lambda props, children: element("input", _INPUT_PROPS(props)),
}


def _col_classes(props: dict) -> str:
    classes = []
    for size in BREAKPOINTS:
        width = props.get(size)
        if isinstance(width, dict):
            width = width.get("size")
        if width is True:
            classes.append("col" if size == "xs" else f"col-{size}")
        elif width not in (None, False):
            classes.append(f"col-{width}" if size == "xs" else f"col-{size}-{width}")
    width = props.get("width")
    if width not in (None, False, True):
        classes.append(f"col-{width}")
    return " ".join(classes) or "col"


def _container(props: dict, children: Callable[[], str]) -> str:
    fluid = props.get("fluid")
    kind = "container-fluid" if fluid is True else f"container-{fluid}" if fluid else "container"
    return element(props.get("tag") or "div", _BOX_PROPS(props), children(), classes=kind)


def _alert(props: dict, children: Callable[[], str]) -> str:
    if props.get("is_open") is False:
        return ""
    color = props.get("color") or "secondary"
    box = {"role": "alert", **_BOX_PROPS(props)}
    return element("div", box, children(), classes=f"alert alert-{color}")


def _navbar(props: dict, children: Callable[[], str]) -> str:
    classes = ["navbar"]
    expand = props.get("expand", "md")
    if isinstance(expand, str):  # the breakpoint the menu expands at (the app uses "lg")
        classes.append(f"navbar-expand-{expand}")
    classes.append("navbar-dark" if props.get("dark") else "navbar-light")
    color = props.get("color")
    if color:
        classes.append(f"bg-{color}")
    tag = props.get("tag") or "nav"
    return element(tag, _BOX_PROPS(props), children(), classes=" ".join(classes))


def _collapse(props: dict, children: Callable[[], str]) -> str:
    classes = "collapse navbar-collapse" if props.get("navbar") else "collapse"
    if props.get("is_open"):
        classes += " show"
    return element("div", _BOX_PROPS(props), children(), classes=classes)


def _options(props: dict) -> list[tuple[str, str]]:
    """(value, label) of a dbc control's options (dicts, or plain values)."""
    pairs = []
    for option in props.get("options") or []:
        if isinstance(option, dict):
            label = option.get("label", option.get("value"))
            pairs.append((str(option.get("value")), label if isinstance(label, str) else ""))
        else:
            pairs.append((str(option), str(option)))
    return pairs


def _choices(kind: str) -> Writer:
    """dbc.RadioItems / dbc.Checklist: Bootstrap's form-check per option, as dbc writes it."""

    def write(props: dict, children: Callable[[], str]) -> str:
        own_id = props.get("id") if isinstance(props.get("id"), str) else ""
        value = props.get("value")
        chosen = {str(v) for v in value} if isinstance(value, list) else {str(value)}
        check = "form-check form-check-inline" if props.get("inline") else "form-check"
        items = []
        for option_value, label in _options(props):
            input_id = f"{own_id}-{option_value}" if own_id else None
            control = {
                "id": input_id,
                "name": props.get("name") or own_id or None,
                "className": "form-check-input",
                "type": kind,
                "value": option_value,
                "checked": option_value in chosen,
            }
            text = element(
                "label", {"className": "form-check-label", "htmlFor": input_id}, escape(label)
            )
            items.append(element("div", {"className": check}, element("input", control) + text))
        return element("div", _BOX_PROPS(props), "".join(items))

    return write


def _select(props: dict, children: Callable[[], str]) -> str:
    chosen = props.get("value")
    options = "".join(
        element("option", {"value": value, "selected": value == str(chosen)}, escape(label))
        for value, label in _options(props)
    )
    attributes = {**_BOX_PROPS(props), "name": props.get("name"), "disabled": props.get("disabled")}
    return element("select", attributes, options, classes="form-select")


def _boxed(classes: str, tag: str = "div") -> Writer:
    return lambda props, children: element(tag, _BOX_PROPS(props), children(), classes=classes)


DBC_WRITERS: dict[str, Writer] = {
    "Container": _container,
    "Row": lambda props, children: element("div", _BOX_PROPS(props), children(), classes="row"),
    "Col": lambda props, children: element(
        "div", _BOX_PROPS(props), children(), classes=_col_classes(props)
    ),
    "Card": _boxed("card"),
    "CardBody": _boxed("card-body"),
    "Alert": _alert,
    "Navbar": _navbar,
    "NavbarBrand": lambda props, children: element(
        "a", _LINK_PROPS(props), children(), classes="navbar-brand"
    ),
    "Collapse": _collapse,
    "Label": lambda props, children: element(
        "label",
        {**_BOX_PROPS(props), "htmlFor": props.get("html_for")},
        children(),
        classes="form-label",
    ),
    "Input": lambda props, children: element("input", _INPUT_PROPS(props), classes="form-control"),
    "RadioItems": _choices("radio"),
    "Checklist": _choices("checkbox"),
    "Select": _select,
}
