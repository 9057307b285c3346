"""layouts/islands.py: the static parts of a page as StaticHtml, the live ones as components."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts.first_view import to_html
from layouts.islands import RUN_CLASS, StaticHtml, islands, live_ids


def _kinds(node) -> list[str]:
    """The component types in the tree, depth first."""
    if isinstance(node, list | tuple):
        return [kind for child in node for kind in _kinds(child)]
    if not hasattr(node, "to_plotly_json"):
        return []
    return [type(node).__name__, *_kinds(getattr(node, "children", None))]


def test_a_static_subtree_is_one_element_with_its_children_as_html():
    table = html.Table(
        [html.Tr([html.Th("Wijk"), html.Td("12 & 3")]), html.Tr(html.Td("4"))],
        className="table",
        **{"aria-describedby": "note"},
    )
    status = html.P("live", id="status")
    page = html.Div([html.H1(["Titel ", html.Small("2024")], id="title"), status, table], id="page")
    written = islands(page, live={"page", "status"})
    assert _kinds(written) == ["Div", "StaticHtml", "P", "StaticHtml"]
    heading, _status, rows = written.children
    assert (heading.tag, heading.id) == ("h1", "title")
    assert heading.html == "Titel <small>2024</small>"
    assert rows.tag == "table"
    assert rows.attributes == {"className": "table", "aria-describedby": "note"}
    assert rows.html == "<tr><th>Wijk</th><td>12 &amp; 3</td></tr><tr><td>4</td></tr>"


def test_what_a_callback_names_stays_a_component_and_the_tree_is_not_changed():
    summary = html.P(["Laatste week: ", html.Strong("12")], id="cases-summary")
    notes = html.Ul([html.Li("RIVM"), html.Li("CBS")])
    page = html.Section([summary, notes])
    written = islands(page, live={"cases-summary"})
    assert _kinds(written) == ["Section", "P", "Strong", "StaticHtml"]
    assert written is not page and page.children[1] is notes  # the memoized tree stays
    assert written.children[0] is summary


def test_charts_pattern_ids_and_single_components_stay_components():
    page = html.Div(
        [
            dcc.Graph(id="cases-graph"),
            html.Div([html.P(["x", html.B("y")])], id={"type": "block", "index": 1}),
            html.Span("alone"),
        ]
    )
    written = islands(page, live={"cases-graph"})
    assert _kinds(written) == ["Div", "Graph", "Div", "StaticHtml", "Span"]
    assert written.children[1].children[0].html == "x<b>y</b>"


def test_bootstrap_columns_keep_their_component_so_the_grid_holds():
    row = dbc.Row([dbc.Col(html.P(["a", html.Em("b")]), md=6), dbc.Col(dcc.Graph(id="g"))])
    written = islands(html.Div([row, dcc.Store(id="s")]), live={"g", "s"})
    assert _kinds(written) == ["Div", "Row", "Col", "StaticHtml", "Col", "Graph", "Store"]


def test_a_static_link_is_marked_for_the_router():
    written = islands(
        html.Div(html.Nav([dcc.Link("Status", href="/status"), html.A("CSV", href="/x.csv")])),
        live=set(),
    )
    assert isinstance(written, StaticHtml)
    assert written.html == (
        '<nav><a href="/status" data-dash-link="1">Status</a><a href="/x.csv">CSV</a></nav>'
    )


def test_the_first_view_writes_a_static_part_with_its_ids_prefixed():
    page = html.Section([html.H2("Kop", id="kop"), html.P("tekst")], **{"aria-labelledby": "kop"})
    written = islands(html.Div([page, dcc.Graph(id="g")]), live={"g"})
    assert to_html(written, id_prefix="fv-") == (
        '<div><section aria-labelledby="fv-kop"><h2 id="fv-kop">Kop</h2><p>tekst</p></section>'
        '<div id="fv-g" class="dash-graph"></div></div>'
    )
    assert to_html(written) == to_html(html.Div([page, dcc.Graph(id="g")]))


def test_live_ids_are_every_output_input_and_state_of_the_callback_map():
    callback_map = {
        "..corona-graph.figure...corona-table.children..": {
            "inputs": [{"id": "corona-period", "property": "value"}],
            "state": [{"id": {"type": "block", "index": "ALL"}, "property": "value"}],
        },
        "nav-collapse.is_open": {"inputs": [{"id": "nav-toggler", "property": "n_clicks"}]},
    }
    assert live_ids(callback_map) == {
        "corona-graph",
        "corona-table",
        "corona-period",
        "nav-collapse",
        "nav-toggler",
    }


def test_a_run_of_static_siblings_in_a_container_is_one_wrapper_that_takes_no_box():
    page = html.Div(
        [
            html.H2("Besmettingen"),
            html.P(["Bron: ", html.A("RIVM", href="https://www.rivm.nl")]),
            dcc.Graph(id="cases-graph"),
            html.Span("archief"),
            " tot 2023",
        ]
    )
    written = islands(page, live={"cases-graph"})
    run, graph, single, text = written.children
    assert (run.tag, run.attributes) == ("div", {"className": RUN_CLASS})
    assert run.html == '<h2>Besmettingen</h2><p>Bron: <a href="https://www.rivm.nl">RIVM</a></p>'
    assert run.source == page.children[:2]  # the first view writes the same markup
    assert graph is page.children[2]
    assert (single, text) == (page.children[3], " tot 2023")  # one component: as it was


def test_children_that_must_stay_direct_children_are_not_wrapped():
    details = html.Details([html.Summary("Tabel"), html.Span("a"), html.Div(id="cases-table")])
    items = html.Ul([html.Li("RIVM"), html.Li("CBS"), html.Li(html.Span(id="live-item"))])
    fields = html.Fieldset([html.Legend("Periode"), html.Span("b"), dcc.Input(id="period")])
    written = islands(html.Div([details, items, fields]), live={"cases-table", "live-item"})
    kinds = _kinds(written)
    assert "Summary" in kinds and "Legend" in kinds and kinds.count("Li") == 3
    assert all(getattr(n, "attributes", {}).get("className") != RUN_CLASS for n in _walk(written))


def _walk(node):
    if isinstance(node, list | tuple):
        for child in node:
            yield from _walk(child)
    elif hasattr(node, "to_plotly_json"):
        yield node
        yield from _walk(getattr(node, "children", None))
