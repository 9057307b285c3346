"""Addresses of the area reports, for the pages that link to them (no report code here, so
any page may import it)."""

from __future__ import annotations

from dash import html

from layouts.i18n import t
from layouts.views.urls import href

PATH = "/rapport"
LINKS_CLASS = "mm-report-links"  # hidden in print (app/assets/2-site/print.css)


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
