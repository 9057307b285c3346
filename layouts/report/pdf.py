"""HTML to an accessible PDF on the server, without a browser (WeasyPrint).

`pdf/ua-1` makes WeasyPrint write a tagged PDF (structure tree, /MarkInfo /Marked), the
document's language from <html lang>, its title from <title> shown as the window title
(/DisplayDocTitle) and the PDF/UA identification in its XMP metadata; text stays text.
"""

from __future__ import annotations

import logging

from weasyprint import HTML

PDF_VARIANT = "pdf/ua-1"

# WeasyPrint logs every CSS property it does not support at warning level; the report's
# stylesheet also serves browsers.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def html_to_pdf(document: str, base_url: str | None = None) -> bytes:
    """The PDF of one self-contained HTML document (its images inline as data: URIs)."""
    return HTML(string=document, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)
