"""Reading pages built from a Reader as a visitor would, and calling callbacks as Dash does,
without a browser: the component tree is walked for ids and text."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from dash._callback_context import context_value
from dash._utils import AttributeDict
from dash.development.base_component import Component
from flask import g

# Components whose children a visitor does not read as text on the page.
NOT_READ = ("Datalist", "Store", "Location", "Graph", "Download")


def walk(component) -> Iterator[Component]:
    """Every component in the tree under `component` (itself included)."""
    if isinstance(component, list | tuple):
        for child in component:
            yield from walk(child)
    elif isinstance(component, Component):
        yield component
        yield from walk(getattr(component, "children", None))


def find(component, component_id) -> Component:
    """The one component with this id; fails naming the id when there is none."""
    found = [c for c in walk(component) if getattr(c, "id", None) == component_id]
    assert len(found) == 1, f"{len(found)} components with id {component_id!r}"
    return found[0]


def text(component) -> str:
    """The text a visitor reads in `component` (words joined by single spaces)."""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(t for t in (text(c) for c in component) if t)
    if isinstance(component, Component):
        if type(component).__name__ in NOT_READ:
            return ""
        return text(getattr(component, "children", None) or [])
    return ""


def chosen(component, group_id) -> object:
    """The value a radio group or select with this id shows as chosen."""
    return find(component, group_id).value


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
