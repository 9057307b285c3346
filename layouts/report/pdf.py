"""HTML to an accessible PDF on the server, without a browser (WeasyPrint, then pikepdf).

`pdf/ua-1` makes WeasyPrint write a tagged PDF (structure tree, /MarkInfo /Marked), the
document's language from <html lang>, its title from <title> shown as the window title
(/DisplayDocTitle) and the PDF/UA identification in its XMP metadata; text stays text.
WeasyPrint does not write the scope of table header cells; `with_header_scopes` adds it
(a TH in the head of a table heads its column, one in the body its row), so a screen reader
can tell which header a number belongs to.
"""

from __future__ import annotations

import io
import logging

import pikepdf
from weasyprint import HTML

PDF_VARIANT = "pdf/ua-1"
MAX_DEPTH = 200  # of the structure tree walked (WeasyPrint's trees are a few dozen deep)

# WeasyPrint logs every CSS property it does not support at warning level; the report's
# stylesheet also serves browsers.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def _set_scopes(node, section: str | None, depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    if isinstance(node, pikepdf.Array):
        for child in node:
            _set_scopes(child, section, depth + 1)
        return
    if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
        return
    kind = str(node.S)
    if kind in ("/THead", "/TBody", "/TFoot"):
        section = kind
    elif kind == "/TH" and section is not None:
        scope = pikepdf.Name.Column if section == "/THead" else pikepdf.Name.Row
        attributes = node.get("/A")
        if isinstance(attributes, pikepdf.Dictionary) and attributes.get("/O") == "/Table":
            attributes.Scope = scope
        else:
            node.A = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=scope)
    if "/K" in node:
        _set_scopes(node.K, section, depth + 1)


def with_header_scopes(pdf: bytes) -> bytes:
    """`pdf` with a /Scope on every table header cell of its structure tree."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        tree = document.Root.get("/StructTreeRoot")
        if tree is None or "/K" not in tree:
            return pdf
        _set_scopes(tree.K, None, 0)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def html_to_pdf(document: str, base_url: str | None = None) -> bytes:
    """The PDF of one self-contained HTML document (its images inline as data: URIs)."""
    pdf = HTML(string=document, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)
    return with_header_scopes(pdf)
