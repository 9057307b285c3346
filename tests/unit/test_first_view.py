"""layouts/first_view.py: a Dash component tree as the HTML React writes for it."""

from __future__ import annotations

import re

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts.datalist import datalist, datalist_values
from layouts.first_view import style_text, to_html


def test_html_elements_keep_their_attributes_and_escape_their_text():
    tree = html.Section(
        [html.H1("Wijk <A> & B", id="title"), html.P("lead", className="lead", hidden=True)],
        role="region",
        **{"aria-labelledby": "title", "data-kind": "x"},
    )
    written = to_html(tree)
    assert written.startswith("<section ") and written.endswith("</p></section>")
    opening = written[: written.index(">") + 1]
    for attribute in ('role="region"', 'aria-labelledby="title"', 'data-kind="x"'):
        assert attribute in opening
    assert '<h1 id="title">Wijk &lt;A&gt; &amp; B</h1><p hidden class="lead">lead</p>' in written


def test_style_is_written_as_react_writes_it():
    assert style_text({"minHeight": 320, "maxWidth": "30rem", "zIndex": 2, "margin": 0}) == (
        "min-height:320px;max-width:30rem;z-index:2;margin:0"
    )


def test_void_elements_have_no_end_tag_and_labels_name_their_control():
    tree = html.Div([html.Label("Naam", htmlFor="q"), dcc.Input(id="q", type="text")])
    assert to_html(tree) == '<div><label for="q">Naam</label><input type="text" id="q"></div>'


def test_links_and_bootstrap_layout_components_are_written_as_bootstrap_markup():
    tree = dbc.Container(
        dbc.Row([dbc.Col(dcc.Link("Kaart", href="/kaart"), md=6, lg=3), dbc.Col("b")]),
        fluid="lg",
    )
    assert to_html(tree) == (
        '<div class="container-lg"><div class="row"><div class="col-md-6 col-lg-3">'
        '<a href="/kaart" data-dash-link="1">Kaart</a></div><div class="col">b</div></div></div>'
    )
    alert = to_html(dbc.Alert("Let op", color="warning"))
    assert alert == '<div role="alert" class="alert alert-warning">Let op</div>'


def test_a_chart_is_its_empty_box_and_unknown_components_are_left_out():
    tree = html.Div(
        [
            dcc.Graph(id="g", figure={"data": [{"type": "bar"}]}, style={"height": "320px"}),
            dcc.Store(id="s", data=[1, 2]),
            dcc.Dropdown(id="d", options=["a"]),
        ]
    )
    assert to_html(tree) == '<div><div id="g" class="dash-graph" style="height:320px"></div></div>'


def test_children_of_replaces_a_components_children_without_changing_the_tree():
    container = html.Div(id="content")
    tree = html.Main(container)
    assert to_html(tree, {"content": html.P("page")}) == (
        '<main><div id="content"><p>page</p></div></main>'
    )
    assert container.children is None


def test_id_prefix_applies_to_ids_and_every_reference_to_them():
    tree = html.Div(
        [
            html.A("skip", href="#main"),
            html.A("out", href="/x#y"),
            html.Button("menu", id="toggle", **{"aria-controls": "menu"}),
            html.Section(id="s", **{"aria-labelledby": "t", "aria-describedby": "u v"}),
            html.Label("x", htmlFor="q"),
        ]
    )
    written = to_html(tree, id_prefix="fv-")
    assert 'href="#fv-main"' in written and 'href="/x#y"' in written
    assert 'id="fv-toggle"' in written and 'aria-controls="fv-menu"' in written
    assert 'aria-labelledby="fv-t"' in written and 'aria-describedby="fv-u fv-v"' in written
    assert 'for="fv-q"' in written


def test_datalist_keeps_its_suggestions_in_one_attribute():
    names = ["Assen", "Súdwest-Fryslân", 'De "Wolden"']
    component = datalist("names", names)
    assert component.children is None
    assert datalist_values(component) == names
    assert "Súdwest-Fryslân" in to_html(component)


def test_radio_items_and_selects_are_written_as_bootstrap_form_controls():
    radios = dbc.RadioItems(
        id="level",
        name="level",
        options=[{"label": "Wijken", "value": "wk"}, {"label": "Buurten", "value": "bu"}],
        value="wk",
        inline=True,
    )
    written = to_html(radios)
    assert written.count('class="form-check form-check-inline"') == 2
    inputs = re.findall(r"<input [^>]*>", written)
    assert len(inputs) == 2
    for attribute in ('id="level-wk"', 'name="level"', 'type="radio"', 'class="form-check-input"'):
        assert attribute in inputs[0]
    assert " checked" in inputs[0] and " checked" not in inputs[1]
    assert '<label for="level-bu" class="form-check-label">Buurten</label>' in written
    select = to_html(dbc.Select(id="ind", options=[{"label": "A & B", "value": "a"}], value="a"))
    assert select == (
        '<select id="ind" class="form-select">'
        '<option value="a" selected>A &amp; B</option></select>'
    )
    label = to_html(dbc.Label("Thema", html_for="ind"), id_prefix="fv-")
    assert label == '<label for="fv-ind" class="form-label">Thema</label>'
