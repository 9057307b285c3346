"""The download links under a chart, map or table: exactly the view's indicators, areas or
level and period, in every format of the observations API (/api/v1/observations, see
docs/architecture.md), as a compact <details> list. Also the downloads of a whole dataset."""

from __future__ import annotations

import datetime as dt
from dataclasses import KW_ONLY, dataclass

import pandas as pd
from dash import html

from layouts.i18n import t
from layouts.views.data_links import dataset_zip_href, observations_href

# Formats of the API's `format` parameter, in the order offered; GeoJSON only for views of a
# whole level (a map, a ranking, a table of areas), where every row is an area with a shape.
FORMATS = ("csv", "csv-nl", "xlsx", "json", "parquet")
AREA_FORMATS = (*FORMATS, "geojson")
MEDIA_TYPES = {
    "zip": "application/zip",
    "csv": "text/csv",
    "csv-nl": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "parquet": "application/vnd.apache.parquet",
    "geojson": "application/geo+json",
}


def _iso(day) -> str | None:
    return None if day is None else pd.Timestamp(day).date().isoformat()


@dataclass(frozen=True)
class DownloadQuery:
    """What a view shows, as the API is asked for it."""

    indicators: tuple[str, ...]
    areas: tuple[str, ...] = ()
    _: KW_ONLY
    level: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    main: str | None = None  # the indicator the view is about, when it shows several

    @property
    def about(self) -> str | None:
        """The indicator whose page explains the view: its main one, or its only one."""
        return self.main or (self.indicators[0] if len(self.indicators) == 1 else None)

    def query(self, fmt: str | None = None) -> dict[str, str | None]:
        return {
            "indicator": ",".join(self.indicators),
            "area": ",".join(self.areas) or None,
            "level": None if self.areas else self.level,
            "from": _iso(self.start),
            "to": _iso(self.end),
            "format": fmt,
        }

    @property
    def formats(self) -> tuple[str, ...]:
        return AREA_FORMATS if self.level else FORMATS

    def href(self, fmt: str | None = None) -> str:
        return observations_href(self.query(fmt))


def _hidden(text: str) -> html.Span:
    return html.Span(f": {text}", className="visually-hidden")


def format_links(hrefs: list[tuple[str, str]], lang: str, title: str) -> html.Ul:
    """A list of links, one per (format, address); the visible format name starts each
    accessible name, `title` (hidden) tells the lists of a page apart."""
    return html.Ul(
        [
            html.Li(
                html.A(
                    [t(f"downloads.format.{fmt}", lang), _hidden(title)],
                    href=href,
                    download="",
                    **{"data-type": MEDIA_TYPES[fmt]},
                )
            )
            for fmt, href in hrefs
        ],
        className="mm-download-list small mb-0",
    )


def download_links(download: DownloadQuery, lang: str, title: str) -> html.Details:
    """'Download' opening the list of formats of exactly `download`."""
    return html.Details(
        [
            html.Summary([t("downloads.summary", lang), _hidden(title)]),
            format_links([(fmt, download.href(fmt)) for fmt in download.formats], lang, title),
        ],
        className="mm-downloads small",
    )


def dataset_downloads(dataset_id: str, lang: str, title: str) -> html.Ul:
    """The zip of a dataset (data, metadata.json, README) and the dataset in each format."""
    hrefs = [("zip", dataset_zip_href(dataset_id))]
    hrefs += [(fmt, observations_href({"dataset": dataset_id, "format": fmt})) for fmt in FORMATS]
    return format_links(hrefs, lang, title)
