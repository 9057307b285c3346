"""Releases in words people read, and as Atom feeds: what a store version changed per dataset,
per indicator ("Positieve tests: 342 rijen erbij; laatste periode 1 december 2026") and per area
("Nieuwe cijfers voor Wijk 01 Nieuw-Weerdinge: ...").

Pure functions of release records (data/releases.py), the Reader's catalog and area names;
app/releases_api.py serves them. Atom is written by feedgen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from dash import html

from data import releases
from data.reader import Reader
from data.store import version_time
from layouts.i18n import format_date, format_number, t
from layouts.views.urls import api_href

MAX_ENTRIES = 50  # entries per feed
FEED_KINDS = ("releases", "indicator", "area")

if TYPE_CHECKING:  # feedgen (with lxml) is imported when a feed is written
    from feedgen.feed import FeedGenerator


def feed_link(path: str, text: str, lang: str) -> html.P:
    """A link to an Atom feed (`/feeds/...`) in `lang`."""
    query = {"lang": lang} if lang != "nl" else None
    return html.P(
        html.A(text, href=api_href(path, query), rel="alternate"),
        className="mm-feed-link small",
    )


def area_feed_link(code: str, name: str, lang: str) -> html.P:
    return feed_link(
        f"/feeds/gebied/{code}.atom", t("releases.feed.subscribe_area", lang, area=name), lang
    )


def indicator_feed_link(reader: Reader, indicator_id: str, lang: str) -> html.P:
    """For the indicator page: 'Volg nieuwe cijfers voor <indicator> (Atom-feed)'."""
    title = indicator_title(reader, indicator_id, lang)
    text = t("releases.feed.subscribe_indicator", lang, indicator=title)
    return feed_link(f"/feeds/indicator/{indicator_id}.atom", text, lang)


def dataset_title(reader: Reader, dataset_id: str, lang: str) -> str:
    dataset = reader.catalog.datasets.get(dataset_id)
    return dataset.title.get(lang) if dataset else dataset_id


def indicator_title(reader: Reader, indicator_id: str, lang: str) -> str:
    indicator = reader.catalog.indicators.get(indicator_id)
    return indicator.title.get(lang) if indicator else indicator_id


def change_words(change: Mapping, lang: str) -> str:
    """'342 rijen erbij, 2 gewijzigd, 0 vervallen; laatste periode 1 december 2026 (nieuw)'."""
    words = t(
        "releases.counts",
        lang,
        added=format_number(change.get("added", 0), lang),
        changed=format_number(change.get("changed", 0), lang),
        removed=format_number(change.get("removed", 0), lang),
    )
    last = change.get("last_period")
    if last:
        new = change.get("new_last_period") and change.get("added")
        key = "releases.last_period_new" if new else "releases.last_period"
        words += "; " + t(key, lang, date=format_date(last, lang))
    return words


def has_changes(entry: Mapping) -> bool:
    counts = (entry.get(k) for k in ("added", "changed", "removed", "indicators"))
    return any(counts)


def release_lines(reader: Reader, record: Mapping, lang: str) -> list[str]:
    """One line per dataset that changed in `record` (only datasets the catalog shows)."""
    lines = []
    for dataset_id, entry in sorted(record.get("datasets", {}).items()):
        if dataset_id in reader.catalog.datasets and has_changes(entry):
            lines.append(f"{dataset_title(reader, dataset_id, lang)}: {change_words(entry, lang)}")
    return lines or [t("releases.nothing_changed", lang)]


def version_date(version: str, lang: str) -> str:
    return format_date(version_time(version), lang)


def _feed(feed_id: str, title: str, self_url: str, alternate: str, lang: str) -> FeedGenerator:
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=alternate, rel="alternate", type="text/html")
    feed.language(lang)
    feed.author({"name": t("site.owner", lang)})
    feed.generator("MMmeter")
    return feed


def _entry(feed: FeedGenerator, entry_id: str, title: str, link: str, record: Mapping, text: str):
    entry = feed.add_entry(order="append")
    entry.id(entry_id)
    entry.title(title)
    entry.link(href=link, rel="alternate", type="text/html")
    entry.updated(version_time(record["version"]))
    entry.published(version_time(record["version"]))
    entry.summary(text)


def _visible(reader: Reader, records: list[Mapping]) -> list[Mapping]:
    shown = [
        releases.visible(r, reader.catalog.datasets, reader.catalog.indicators) for r in records
    ]
    return sorted(shown, key=lambda r: r["version"], reverse=True)


def releases_feed(reader: Reader, records: list[Mapping], urls: Mapping, lang: str) -> bytes:
    """Atom: one entry per store version. `urls`: self, alternate, release(version) -> link."""
    feed = _feed(
        urls["self"], t("releases.feed.releases_title", lang), urls["self"], urls["alternate"], lang
    )
    shown = _visible(reader, records)[:MAX_ENTRIES]
    for record in shown:
        date = version_date(record["version"], lang)
        _entry(
            feed,
            f"{urls['self']}#{record['version']}",
            t("releases.feed.entry_title", lang, date=date),
            urls["release"](record["version"]),
            record,
            " ".join(f"{line}." for line in release_lines(reader, record, lang)),
        )
    _updated(feed, shown)
    return feed.atom_str(pretty=True)


def indicator_feed(
    reader: Reader, records: list[Mapping], indicator_id: str, urls: Mapping, lang: str
) -> bytes:
    """Atom: one entry per version that changed `indicator_id`."""
    title = indicator_title(reader, indicator_id, lang)
    feed = _feed(
        urls["self"],
        t("releases.feed.indicator_title", lang, indicator=title),
        urls["self"],
        urls["alternate"],
        lang,
    )
    changes = releases.indicator_changes(_visible(reader, records), indicator_id)[:MAX_ENTRIES]
    for record, change in changes:
        date = version_date(record["version"], lang)
        _entry(
            feed,
            f"{urls['self']}#{record['version']}",
            t("releases.feed.indicator_entry_title", lang, indicator=title, date=date),
            urls["release"](record["version"]),
            record,
            f"{title}: {change_words(change, lang)}.",
        )
    _updated(feed, [record for record, _ in changes])
    return feed.atom_str(pretty=True)


def area_feed(reader: Reader, records: list[Mapping], code: str, urls: Mapping, lang: str) -> bytes:
    """Atom: one entry per version with new or changed figures for the area `code`."""
    name = reader.area_names().get(code, code)
    feed = _feed(
        urls["self"],
        t("releases.feed.area_title", lang, area=name),
        urls["self"],
        urls["alternate"],
        lang,
    )
    changes = releases.area_changes(_visible(reader, records), code)[:MAX_ENTRIES]
    for record, touched in changes:
        date = version_date(record["version"], lang)
        parts = []
        for dataset_id, entry in sorted(touched.items()):
            indicators = ", ".join(
                indicator_title(reader, i, lang) for i in sorted(entry.get("indicators", {}))
            )
            parts.append(f"{dataset_title(reader, dataset_id, lang)} ({indicators})")
        _entry(
            feed,
            f"{urls['self']}#{record['version']}",
            t("releases.feed.area_entry_title", lang, area=name, date=date),
            urls["release"](record["version"]),
            record,
            t("releases.feed.area_summary", lang, area=name, datasets="; ".join(parts)),
        )
    _updated(feed, [record for record, _ in changes])
    return feed.atom_str(pretty=True)


def _updated(feed: FeedGenerator, records: list[Mapping]) -> None:
    if records:
        feed.updated(version_time(max(r["version"] for r in records)))
    else:
        feed.updated(version_time("19700101T000000000000Z"))
