"""Clientside callback functions, defined once in app/assets/2-site/clientside.js.

A clientside callback given as a JavaScript string is written into every page's HTML, once per
callback; named functions from an asset are loaded once and cached with the other assets.
"""

from __future__ import annotations

from dash import ClientsideFunction

NAMESPACE = "mmmeter"

# Writes a figure's "show as table" alternative into its box (Input figure, State box id).
TABLE_FROM_FIGURE = ClientsideFunction(NAMESPACE, "tableFromFigure")
# The same for a box with a pattern-matching id.
TABLE_FOR_PATTERN_ID = ClientsideFunction(NAMESPACE, "tableForPatternId")
# The corona map's table of all municipalities, from the patched figure.
CORONA_MAP_TABLE = ClientsideFunction(NAMESPACE, "coronaMapTable")
