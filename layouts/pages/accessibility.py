"""Accessibility statement (toegankelijkheidsverklaring), after the Dutch government model:
status, measures taken, known limitations, how to report a problem, and the date.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import dash
from dash import html

from data.reader import Reader
from layouts.i18n import format_date, normalize_lang, t
from layouts.pages import ReaderSource, with_reader

PATH = "/toegankelijkheid"
STATEMENT_DATE = dt.date(2026, 11, 29)
MEASURES = ("tests", "keyboard", "figures", "colour", "language", "phone", "data")
LIMITS = ("charts", "pointer", "geometry", "archived", "external")


def _host(url: str) -> str:
    """'https://www.emmen.nl/contact' -> 'emmen.nl'."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def _section(section_id: str, heading: str, *body) -> html.Section:
    heading_id = f"{section_id}-heading"
    return html.Section(
        [html.H2(heading, id=heading_id, className="h4 mt-4"), *body],
        id=section_id,
        **{"aria-labelledby": heading_id},
    )


def layout(reader: Reader, lang: str = "nl", **_query) -> html.Div:
    lang = normalize_lang(lang)
    return html.Div(
        [
            html.H1(t("accessibility.heading", lang)),
            html.P(t("accessibility.intro", lang), className="lead"),
            html.P(t("accessibility.scope", lang)),
            _section(
                "a11y-status",
                t("accessibility.status_heading", lang),
                html.P(
                    [
                        html.Strong(t("accessibility.status_label", lang)),
                        " ",
                        t("accessibility.status", lang),
                    ]
                ),
            ),
            _section(
                "a11y-measures",
                t("accessibility.measures_heading", lang),
                html.Ul([html.Li(t(f"accessibility.measure_{m}", lang)) for m in MEASURES]),
            ),
            _section(
                "a11y-limits",
                t("accessibility.limits_heading", lang),
                html.Ul([html.Li(t(f"accessibility.limit_{m}", lang)) for m in LIMITS]),
            ),
            _section(
                "a11y-contact",
                t("accessibility.contact_heading", lang),
                html.P(t("accessibility.contact", lang)),
                html.P(
                    html.A(
                        t("accessibility.contact_link", lang, website=_host(reader.site.website)),
                        href=reader.site.website,
                        hrefLang="nl",
                        rel="noopener",
                    )
                ),
            ),
            _section(
                "a11y-date",
                t("accessibility.date_heading", lang),
                html.P(
                    t("accessibility.date", lang, date=format_date(STATEMENT_DATE, lang)),
                    id="a11y-statement-date",
                ),
            ),
        ],
        className="mm-prose",
    )


def register(reader_of: ReaderSource) -> None:
    dash.register_page(
        "accessibility",
        path=PATH,
        layout=with_reader(layout, reader_of, memo="accessibility"),
        name=t("accessibility.title", "nl"),
        titles={"nl": t("accessibility.title", "nl"), "en": t("accessibility.title", "en")},
        title=f"{t('accessibility.heading', 'nl')} | MMmeter",
        nav=False,
        order=91,
    )
