"""Reading pages built from a Reader as a visitor would, and calling callbacks as Dash does,
without a browser: the component tree is walked for ids and text."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser

from dash._callback_context import context_value
from dash._utils import AttributeDict
from dash.development.base_component import Component
from flask import g

# Components whose children a visitor does not read as text on the page.
NOT_READ = ("Datalist", "Store", "Location", "Graph", "Download")


def is_sent(node) -> bool:
    """A component as Dash sends it to the browser (layouts.wire.as_sent): a plain dict."""
    return isinstance(node, dict) and "props" in node and "type" in node


def kind(node) -> str:
    """The component's type name ('Div', 'Tr', ...), also of a sent component."""
    return node["type"] if is_sent(node) else type(node).__name__


def prop(node, name: str, default=None):
    if is_sent(node):
        return node["props"].get(name, default)
    return getattr(node, name, default)


def children_of(node):
    """A component's children. A StaticHtml (layouts/islands.py) has the components it was
    written from; as sent, only its HTML, read here as the text it shows."""
    if kind(node) == "StaticHtml":
        source = getattr(node, "source", None)
        return source if source is not None else html_text(prop(node, "html", ""))
    return prop(node, "children")


def html_text(markup: str) -> str:
    """The text of an HTML fragment, a space between elements."""
    parts: list[str] = []
    parser = HTMLParser()
    parser.handle_data = parts.append
    parser.handle_starttag = lambda *_: parts.append(" ")
    parser.handle_endtag = lambda *_: parts.append(" ")
    parser.feed(markup)
    parser.close()
    return "".join(parts)


def walk(component) -> Iterator:
    """Every component in the tree under `component` (itself included)."""
    if isinstance(component, list | tuple):
        for child in component:
            yield from walk(child)
    elif isinstance(component, Component) or is_sent(component):
        yield component
        yield from walk(children_of(component))


def find(component, component_id):
    """The one component with this id; fails naming the id when there is none."""
    found = [c for c in walk(component) if prop(c, "id") == component_id]
    assert len(found) == 1, f"{len(found)} components with id {component_id!r}"
    return found[0]


def text(component) -> str:
    """The text a visitor reads in `component` (words joined by single spaces)."""
    return " ".join(_words(component).split())


def _words(component) -> str:
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(_words(c) for c in component)
    if isinstance(component, Component) or is_sent(component):
        if kind(component) in NOT_READ:
            return ""
        return _words(children_of(component) or [])
    return ""


def chosen(component, group_id) -> object:
    """The value a radio group or select with this id shows as chosen."""
    return prop(find(component, group_id), "value")


def trigger_id(component_id) -> str:
    """The prop id Dash sends for an input: 'id.prop', with a dict id as sorted JSON."""
    if isinstance(component_id, dict):
        import json

        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return component_id


@contextmanager
def in_callback(dash_app, reader, triggered: str | dict | None = None, prop: str = "value"):
    """A request of `dash_app` that reads `reader`, with Dash's callback context saying that
    `triggered` (a component id) fired: callbacks can then be called as plain functions."""
    prop_id = f"{trigger_id(triggered)}.{prop}" if triggered is not None else "."
    value = AttributeDict(
        triggered_inputs=[{"prop_id": prop_id, "value": None}] if triggered is not None else [],
        inputs_list=[],
        states_list=[],
        outputs_list=[],
    )
    with dash_app.server.test_request_context("/_dash-update-component", method="POST"):
        g.mmmeter_reader = reader
        token = context_value.set(value)
        try:
            yield
        finally:
            context_value.reset(token)
