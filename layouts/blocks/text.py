"""Text block: Markdown written by staff, sanitized, turned into Dash components.

Markdown becomes HTML (the `markdown` package), the HTML is cleaned by `nh3` to a short list of
tags and attributes, and the result is rebuilt as `dash.html` components: no raw HTML reaches the
browser, so no script, style or event handler can come in through a theme file. Headings move
one level down (a `#` becomes an h2), because the page title is the only h1.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import TYPE_CHECKING

import markdown
import nh3
from dash import html

from layouts.blocks.common import BlockContext

if TYPE_CHECKING:  # the model builds itself with this module's build()
    from layouts.themes.models import TextBlock

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}
VOID_TAGS = {"br", "hr"}
COMPONENTS = {
    "p": html.P, "br": html.Br, "strong": html.Strong, "em": html.Em, "a": html.A,
    "ul": html.Ul, "ol": html.Ol, "li": html.Li, "blockquote": html.Blockquote,
    "code": html.Code, "pre": html.Pre, "table": html.Table, "thead": html.Thead,
    "tbody": html.Tbody, "tr": html.Tr, "th": html.Th, "td": html.Td, "hr": html.Hr,
    "h2": html.H2, "h3": html.H3, "h4": html.H4, "h5": html.H5, "h6": html.H6,
}  # fmt: skip
ATTRIBUTE_NAMES = {"href": "href", "title": "title", "scope": "scope"}
NO_TEXT_INSIDE = {"table", "thead", "tbody", "tr", "ul", "ol"}


def sanitized_html(text: str) -> str:
    """Markdown -> HTML with only ALLOWED_TAGS and ALLOWED_ATTRIBUTES left."""
    raw = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _heading_down(tag: str) -> str:
    if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
        return f"h{min(int(tag[1]) + 1, 6)}"
    return tag


def _element(tag: str, props: dict, children: list):
    if tag == "table":  # wide tables scroll in their own box, as every table on the site
        table = html.Table(children, className="table table-sm table-striped", **props)
        return html.Div(table, className="mm-table-scroll", tabIndex="0")
    return COMPONENTS[tag](children, **props)


class _Builder(HTMLParser):
    """Sanitized HTML -> a list of dash.html components."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: list = []
        self.stack: list[tuple[str, dict, list]] = []

    def _children(self) -> list:
        return self.stack[-1][2] if self.stack else self.root

    def handle_starttag(self, tag: str, attrs) -> None:
        tag = _heading_down(tag)
        if tag not in COMPONENTS:
            return
        props = {ATTRIBUTE_NAMES[k]: v for k, v in attrs if k in ATTRIBUTE_NAMES and v}
        if tag in VOID_TAGS:
            self._children().append(COMPONENTS[tag](**props))
            return
        self.stack.append((tag, props, []))

    def handle_endtag(self, tag: str) -> None:
        tag = _heading_down(tag)
        if tag not in COMPONENTS or tag in VOID_TAGS:
            return
        while self.stack:
            open_tag, props, children = self.stack.pop()
            self._children().append(_element(open_tag, props, children))
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1][0] if self.stack else None
        if data.strip() or (parent is not None and parent not in NO_TEXT_INSIDE):
            self._children().append(data)

    def result(self) -> list:
        while self.stack:
            self.handle_endtag(self.stack[-1][0])
        return self.root


def markdown_components(text: str) -> list:
    builder = _Builder()
    builder.feed(sanitized_html(text))
    builder.close()
    return builder.result()


def build(block: TextBlock, context: BlockContext) -> html.Section | html.Div:
    body = markdown_components(block.body.get(context.lang))
    if block.title is None:
        return html.Div(body, className="mm-block mm-text mb-4", id=context.element_id("text"))
    heading_id = context.element_id("title")
    return html.Section(
        [html.H2(block.title.get(context.lang), id=heading_id, className="h5"), *body],
        className="mm-block mm-text mb-4",
        id=context.element_id("text"),
        **{"aria-labelledby": heading_id},
    )
