"""The data catalogue as a list of entries (every dataset and every indicator of the Reader's
catalog) and the rule that searches and filters it (pure): words match titles, definitions,
keywords, publishers and ids whatever their case or accents (area_search.name_key, the one
normalization of typed text), and each filter keeps the entries with that value."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from data.catalog import Catalog, Dataset, Indicator
from layouts.views.area_search import name_key

MAX_QUERY = 200  # characters of the search text that count
FILTERS = ("kind", "theme", "source", "level", "frequency", "status", "visibility")
FIELDS = ("q", *FILTERS)
KINDS = ("dataset", "indicator")
STATUSES = ("live", "archived")
VISIBILITIES = ("public", "internal")
LEVEL_ORDER = ("nl", "pv", "gm", "wk", "bu", "rwzi")
FREQUENCY_ORDER = ("day", "week", "year", "measurement", "irregular")
# The DCAT frequency of a dataset (its last URI segment) as the frequency words of indicators.
DCAT_FREQUENCIES = {"DAILY": "day", "WEEKLY": "week", "ANNUAL": "year"}


@dataclass(frozen=True)
class Entry:
    kind: str  # "dataset" or "indicator"
    id: str
    titles: tuple[str, str]  # nl, en
    key: str  # everything searchable, normalized (name_key)
    themes: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    levels: tuple[str, ...] = ()
    frequency: str = "irregular"
    archived: bool = False
    visibility: str = "public"
    datasets: tuple[str, ...] = ()  # of an indicator: its datasets

    def title(self, lang: str) -> str:
        return self.titles[1] if lang == "en" else self.titles[0]

    def value(self, name: str) -> frozenset[str]:
        """The entry's values for filter `name`."""
        if name == "kind":
            return frozenset({self.kind})
        if name == "theme":
            return self.themes
        if name == "source":
            return self.sources
        if name == "level":
            return frozenset(self.levels)
        if name == "frequency":
            return frozenset({self.frequency})
        if name == "status":
            return frozenset({"archived" if self.archived else "live"})
        if name == "visibility":
            return frozenset({self.visibility})
        raise KeyError(name)


@dataclass(frozen=True)
class CatalogueQuery:
    q: str = ""
    filters: tuple[tuple[str, str], ...] = field(default=())

    def get(self, name: str) -> str | None:
        return dict(self.filters).get(name)

    def as_query(self) -> dict[str, str]:
        """The query as URL parameters (for links that keep it)."""
        return {**({"q": self.q} if self.q else {}), **dict(self.filters)}

    @property
    def is_empty(self) -> bool:
        return not self.q and not self.filters


def visibility_of(thing) -> str:
    """'public' or 'internal' (catalog entries without the field are public)."""
    value = getattr(thing, "visibility", "public")
    return value if value in VISIBILITIES else "public"


def publishers_of(dataset: Dataset) -> frozenset[str]:
    return frozenset(p.strip() for p in dataset.publisher.split(",") if p.strip())


def dataset_frequency(dataset: Dataset) -> str:
    tail = (dataset.frequency or "").rstrip("/").rsplit("/", 1)[-1]
    return DCAT_FREQUENCIES.get(tail, "irregular")


def _key(*texts: str | None) -> str:
    return " ".join(name_key(text) for text in texts if text)


def _ordered(values: Iterable[str], order: tuple[str, ...]) -> tuple[str, ...]:
    present = set(values)
    return tuple(v for v in order if v in present) + tuple(sorted(present - set(order)))


def indicator_entry(
    catalog: Catalog, indicator: Indicator, levels: Iterable[str], themes: frozenset[str]
) -> Entry:
    datasets = [catalog.datasets[d] for d in indicator.dataset]
    keywords = [k for d in datasets for k in (d.keywords or [])]
    return Entry(
        kind="indicator",
        id=indicator.id,
        titles=(indicator.title.nl, indicator.title.en),
        key=_key(
            indicator.id,
            indicator.title.nl,
            indicator.title.en,
            indicator.definition.nl,
            indicator.definition.en,
            *keywords,
        ),
        themes=themes,
        sources=publishers_of(datasets[0]),
        levels=_ordered(levels, LEVEL_ORDER),
        frequency=indicator.frequency,
        archived=indicator.archived_since is not None,
        visibility=visibility_of(indicator),
        datasets=tuple(indicator.dataset),
    )


def dataset_entry(dataset: Dataset, indicators: list[Entry]) -> Entry:
    """A dataset's entry: its levels and themes are those of its own indicators."""
    own = [e for e in indicators if dataset.id in e.datasets]
    levels = {lv for e in own for lv in e.levels} | ({dataset.level} if dataset.level else set())
    description = getattr(dataset, "description", None)
    return Entry(
        kind="dataset",
        id=dataset.id,
        titles=(dataset.title.nl, dataset.title.en),
        key=_key(
            dataset.id,
            dataset.title.nl,
            dataset.title.en,
            dataset.publisher,
            *((description.nl, description.en) if description is not None else ()),
            *(dataset.keywords or []),
        ),
        themes=frozenset(t for e in own for t in e.themes),
        sources=publishers_of(dataset),
        levels=_ordered(levels, LEVEL_ORDER),
        frequency=dataset_frequency(dataset),
        archived=dataset.archived_since is not None,
        visibility=visibility_of(dataset),
    )


def catalogue_entries(
    catalog: Catalog,
    levels: Mapping[str, list[str]],
    themes_of: Mapping[str, frozenset[str]],
) -> list[Entry]:
    """Every dataset, then every indicator, in catalog order. `levels`: the levels with values
    per indicator (the store's; the catalog's where the store has none); `themes_of`: the theme
    ids per indicator."""
    indicators = [
        indicator_entry(
            catalog,
            ind,
            levels.get(ind.id) or ind.levels,
            themes_of.get(ind.id, frozenset()),
        )
        for ind in catalog.indicators.values()
    ]
    datasets = [dataset_entry(ds, indicators) for ds in catalog.datasets.values()]
    return [*datasets, *indicators]


def options(entries: Iterable[Entry]) -> dict[str, tuple[str, ...]]:
    """The values each filter can take among `entries`, in a stable order."""
    entries = list(entries)
    order = {
        "kind": KINDS,
        "level": LEVEL_ORDER,
        "frequency": FREQUENCY_ORDER,
        "status": STATUSES,
        "visibility": VISIBILITIES,
    }
    return {
        name: _ordered((v for e in entries for v in e.value(name)), order.get(name, ()))
        for name in FILTERS
    }


def parse_query(query: Mapping[str, object], known: Mapping[str, Iterable[str]]) -> CatalogueQuery:
    """The search of a URL query: the text (cut to MAX_QUERY characters) and each filter whose
    value is one of `known` (anything else is ignored, never an error)."""
    raw = query.get("q")
    text = " ".join(str(raw)[:MAX_QUERY].split()) if isinstance(raw, str) else ""
    filters = []
    for name in FILTERS:
        value = query.get(name)
        if isinstance(value, str) and value in set(known.get(name, ())):
            filters.append((name, value))
    return CatalogueQuery(text, tuple(filters))


def matches(entry: Entry, query: CatalogueQuery) -> bool:
    for name, value in query.filters:
        if value not in entry.value(name):
            return False
    words = name_key(query.q).split()
    return all(word in entry.key for word in words)


def search(entries: Iterable[Entry], query: CatalogueQuery) -> list[Entry]:
    """The entries that match every word of the text and every filter, in their order."""
    return [entry for entry in entries if matches(entry, query)]
