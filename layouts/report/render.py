"""The area report as one HTML document (pure, from a Report): the same text for the page
(/rapport/<code>) and for the PDF (/rapport/<code>.pdf, layouts/report/pdf.py), with its
own stylesheet inlined and the charts as SVG images, so the document needs nothing else.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, select_autoescape

from layouts.i18n import t
from layouts.report.links import report_href, report_path
from layouts.views.urls import href, pinned_version, use_pinned_version

if TYPE_CHECKING:  # the content (matplotlib) loads with the first report, not with the app
    from layouts.report.content import Report

HERE = Path(__file__).parent
PROFILE_PATH = "/buurten"
CORONA_PATH = "/corona"


@dataclass(frozen=True)
class Link:
    text: str
    href: str
    lang: str | None = None  # the language of the link's text when it is not the page's
    download: bool = False


def permalink_href(version: str, code: str, lang: str) -> str:
    """The report's address pinned to `version` (/v/<version>/rapport/<code>), whatever
    version this request is pinned to."""
    previous = pinned_version()
    use_pinned_version(version)
    try:
        return href(report_path(code), lang=lang)
    finally:
        use_pinned_version(previous)


def profile_link(report: Report, lang: str) -> Link:
    if report.level == "gm":
        return Link(
            t("report.back_gm", lang, name=report.name),
            href(f"{CORONA_PATH}/{report.code}", lang=lang),
        )
    return Link(
        t("report.back_area", lang, name=report.name),
        href(f"{PROFILE_PATH}/{report.code}", lang=lang),
    )


def navigation(report: Report, lang: str) -> list[Link]:
    other = "en" if lang == "nl" else "nl"
    return [
        Link(t("report.home", lang), href("/", lang=lang)),
        profile_link(report, lang),
        Link(
            t("report.download_pdf", lang), report_href(report.code, lang, pdf=True), download=True
        ),
        Link(t("lang.switch.label", lang), report_href(report.code, other), lang=other),
    ]


def _svg_data(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["svg_data"] = _svg_data
    return environment


@cache
def fingerprint() -> str:
    """A digest of the report's code, templates and stylesheet: part of the cache key of a
    made PDF, so a new release of the app never serves a PDF made by the old one."""
    digest = hashlib.sha256()
    for path in sorted(HERE.rglob("*")):
        if path.suffix in (".py", ".html", ".css"):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def stylesheet() -> str:
    return (HERE / "report.css").read_text(encoding="utf-8")


def report_title(report: Report) -> str:
    return f"{t('report.heading', report.lang, name=report.name)} | MMmeter"


def report_html(report: Report, site_url: str) -> str:
    """The whole report page; `site_url` (scheme and host, no slash at the end) makes the
    permalink absolute, so it still works when printed or saved as a file."""
    lang = report.lang
    names = [place.name for place in report.columns[1:]]
    comparison = (
        t("common.list_and", lang, items=", ".join(names[:-1]), last=names[-1])
        if len(names) > 1
        else "".join(names)
    )
    parts_key = "report.parts_wk" if report.level == "gm" else "report.parts_bu"
    return (
        _environment()
        .get_template("report.html")
        .render(
            lang=lang,
            t=lambda key, **params: t(key, lang, **params),
            title=report_title(report),
            description=t("report.description", lang, name=report.name),
            css=stylesheet(),
            report=report,
            nav=navigation(report, lang),
            permalink=site_url + permalink_href(report.version, report.code, lang),
            comparison_names=comparison,
            parts=[Link(p.name, report_href(p.code, lang)) for p in report.parts],
            # the wijk and gemeente it lies in have reports of their own
            parents=[
                Link(p.name, report_href(p.code, lang))
                for p in report.columns[1:]
                if p.code[:2] in ("GM", "WK")
            ],
            parts_heading=t(parts_key, lang, name=report.name),
        )
    )


def not_found_html(code: str, lang: str) -> str:
    """The page of a report address that names no area (served with 404)."""
    return (
        _environment()
        .get_template("not_found.html")
        .render(
            lang=lang,
            t=lambda key, **params: t(key, lang, **params),
            title=f"{t('report.not_found_title', lang)} | MMmeter",
            css=stylesheet(),
            code=code,
            home=href("/", lang=lang),
        )
    )
