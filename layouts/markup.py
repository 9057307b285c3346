"""Table markup built by our own figure code -> `dash.html` components.

Tables that are cheapest to build as one escaped HTML string (layouts/figures/ranking.py,
layouts/pages/corona_map.py) reach the page as Dash HTML components, not through
dcc.Markdown(dangerously_allow_html=True): that would load Dash's markdown and highlight chunks
(466 KB) for a table. Only the tags and attributes those builders write are known here; anything
else is an error, so this never becomes a way for other HTML into the page.
"""

from __future__ import annotations

from html.parser import HTMLParser

from dash import html

COMPONENTS = {
    "table": html.Table, "caption": html.Caption, "thead": html.Thead, "tbody": html.Tbody,
    "tr": html.Tr, "th": html.Th, "td": html.Td, "a": html.A, "time": html.Time,
    "span": html.Span,
}  # fmt: skip
ATTRIBUTES = {
    "class": "className", "id": "id", "scope": "scope", "href": "href",
    "datetime": "dateTime", "title": "title",
}  # fmt: skip
NO_TEXT_INSIDE = {"table", "thead", "tbody", "tr"}


class MarkupError(ValueError):
    """Markup with a tag or attribute the table builders never write."""


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict, list]] = [("", {}, [])]

    def handle_starttag(self, tag, attrs):
        if tag not in COMPONENTS:
            raise MarkupError(f"unexpected tag <{tag}> in table markup")
        props = {}
        for name, value in attrs:
            if name not in ATTRIBUTES:
                raise MarkupError(f"unexpected attribute {name!r} on <{tag}> in table markup")
            props[ATTRIBUTES[name]] = value or ""
        self.stack.append((tag, props, []))

    def handle_endtag(self, tag):
        if len(self.stack) < 2 or self.stack[-1][0] != tag:
            raise MarkupError(f"unbalanced </{tag}> in table markup")
        name, props, children = self.stack.pop()
        if len(children) == 1 and isinstance(children[0], str):
            content = children[0]
        else:
            content = children or None
        self.stack[-1][2].append(COMPONENTS[name](content, **props))

    def handle_data(self, data):
        if self.stack[-1][0] in NO_TEXT_INSIDE and not data.strip():
            return
        self.stack[-1][2].append(data)


def components_from_markup(markup: str) -> list:
    """The components of `markup` (a table string from our builders), in order."""
    builder = _Builder()
    builder.feed(markup)
    builder.close()
    if len(builder.stack) != 1:
        raise MarkupError(f"unclosed <{builder.stack[-1][0]}> in table markup")
    return builder.stack[0][2]
