"""Components in the form Dash sends them: plain JSON data."""

from __future__ import annotations

import json
from typing import Any

from plotly.io.json import to_json_plotly


def as_sent(value: Any) -> Any:
    """`value` (components, figures, lists of them) as the JSON Dash puts on the wire for it:
    dicts ({"type", "namespace", "props"} for a component), lists and scalars.

    The renderer builds the same components from it. A memoized view stores its pieces in this
    form, so a request that reuses them only runs the C JSON encoder over plain data instead
    of walking the component tree in Python again.
    """
    return json.loads(to_json_plotly(value))
