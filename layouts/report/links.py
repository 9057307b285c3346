"""Addresses of the area reports: which codes have one, and links for the pages that link to
them (light: no charts or PDF code here, so any page and the route may import it)."""

from __future__ import annotations

import re

from dash import html

from layouts.i18n import t
from layouts.views.urls import href

PATH = "/rapport"
LINKS_CLASS = "mm-report-links"  # hidden in print (app/assets/2-site/print.css)
# GM + 4 digits, WK + 6, BU + 8: anything else is no area code (a 404 before any lookup).
CODE_PATTERN = re.compile(r"(GM\d{4}|WK\d{6}|BU\d{8})")


def parse_code(text: str | None) -> str | None:
    """The area code in `text` (upper-cased), or None when it cannot be one."""
    code = (text or "").strip().upper()
    return code if len(code) <= 10 and CODE_PATTERN.fullmatch(code) else None


def report_path(code: str, pdf: bool = False) -> str:
    return f"{PATH}/{code}{'.pdf' if pdf else ''}"


def report_href(code: str, lang: str, pdf: bool = False) -> str:
    return href(report_path(code, pdf), lang=lang)


def report_links(code: str, lang: str) -> html.P:
    """The profile page's links to its report: the printable page and the PDF (plain links:
    the report is no Dash page)."""
    return html.P(
        [
            html.A(t("report.link", lang), href=report_href(code, lang)),
            " · ",
            html.A(t("report.link_pdf", lang), href=report_href(code, lang, pdf=True), download=""),
        ],
        className=LINKS_CLASS,
    )
