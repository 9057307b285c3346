"""A <datalist> of suggestions (the names a search box offers), as one attribute.

Hundreds of `html.Option` components cost React more to render than the rest of a page
together; the browser writes the same `<option>`s from the list in `data-options` instead
(app/assets/2-site/datalist.js).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from dash import html

OPTIONS_ATTRIBUTE = "data-options"


def datalist(list_id: str, values: Iterable[str]) -> html.Datalist:
    options = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))
    return html.Datalist(id=list_id, **{OPTIONS_ATTRIBUTE: options})


def datalist_values(component: html.Datalist) -> list[str]:
    """The suggestions of a datalist made by `datalist`."""
    return json.loads(getattr(component, OPTIONS_ATTRIBUTE))
