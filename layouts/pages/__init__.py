"""Page modules; `register_all` registers them with Dash's page registry.

A page's layout takes the request's Reader as its first argument. Dash calls a layout with the
path variables and the query only, so app/ hands in `reader_of` (a function that returns the
request's Reader) and each page is registered through `with_reader`.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path

from data.cache import LocalMemo
from data.catalog import Catalog
from data.reader import Reader
from layouts.islands import static_page

ReaderSource = Callable[[], Reader]

# A memoized page keeps at most this many query variants per store version and address: a
# request with a query past them (made-up parameters, `?n=1`, `?n=2`, ...) is built and not
# kept, so it cannot fill a worker's memory with copies of one page.
MAX_QUERY_VARIANTS = 16


class QueryVariants:
    """The query variants memoized so far of each (page, version, address), bounded."""

    def __init__(self, limit: int = MAX_QUERY_VARIANTS, pages: int = 512) -> None:
        self.limit = limit
        self._seen = LocalMemo(pages)
        self._lock = threading.Lock()

    def admit(self, page: tuple, query: tuple) -> bool:
        """Whether `query` of `page` may be memoized: it is, or there is room for it."""
        with self._lock:
            seen = self._seen.get(page)
            if seen is None:
                seen = set()
                self._seen.put(page, seen)
            if query in seen:
                return True
            if len(seen) >= self.limit:
                return False
            seen.add(query)
            return True


def with_reader(
    function: Callable,
    reader_of: ReaderSource,
    *,
    memo: str | None = None,
    memo_extra: Callable[[Reader], tuple] | None = None,
) -> Callable:
    """`function(reader, *args, **kwargs)` as Dash calls it: `(*args, **kwargs)`.

    The static parts of the page are written as HTML (layouts/islands.py). With `memo` (a
    name), the result is built once per store version, site settings, address
    and query (the language among them) and then served from the cache: for layouts that
    depend on nothing else. `memo_extra` adds what else they depend on (a theme folder). At
    most MAX_QUERY_VARIANTS queries of an address are kept per version; others are built anew.
    """
    variants = QueryVariants()

    @functools.wraps(function)
    def call(*args, **kwargs):
        embed, figure = kwargs.pop("embed", None), kwargs.pop("figuur", None)
        if embed == "1":  # ?embed=1: only one figure of the page (layouts/embed.py)
            from layouts.embed import embed_view

            page = built(lambda reader: function(reader, *args, **kwargs), args, kwargs, ".source")
            chosen = figure if isinstance(figure, str) else None
            return static_page(embed_view(page, chosen, lang_of(kwargs)))
        return built(
            lambda reader: static_page(function(reader, *args, **kwargs)), args, kwargs, ""
        )

    def built(make: Callable[[Reader], object], args: tuple, kwargs: dict, variant: str):
        reader = reader_of()
        if memo is None:
            return make(reader)
        query = tuple(sorted((str(k), str(v)) for k, v in kwargs.items()))
        extra = memo_extra(reader) if memo_extra else ()
        if not variants.admit((reader.version, variant, args, extra), query):
            return make(reader)
        return reader.memo(f"page.{memo}{variant}", (args, query, extra), lambda: make(reader))

    del call.__wrapped__  # Dash must not see the `reader` parameter
    call.memoized_as = memo  # app/answers.py: a memoized layout's page answer is kept as sent
    return call


def lang_of(query: dict) -> str:
    from layouts.i18n import normalize_lang

    return normalize_lang(query.get("lang"))


def theme_files(reader: Reader) -> tuple:
    """What a page built from theme files depends on besides the data: the files themselves."""
    from layouts.themes.loader import DEFAULT_THEMES_DIR, folder_signature

    return folder_signature(Path(reader.site.themes_dir or DEFAULT_THEMES_DIR))


def register_all(catalog: Catalog, reader_of: ReaderSource, settings_of: Callable) -> None:
    from layouts.pages import (
        accessibility,
        admin,
        area_profile,
        corona,
        corona_map,
        data_catalogue,
        data_dataset,
        data_indicator,
        help,
        home,
        neighbourhoods,
        not_found,
        releases,
        selection,
        status,
        themes,
    )

    home.register(reader_of)
    status.register(reader_of)
    accessibility.register(reader_of)
    help.register(reader_of)
    corona_map.register(reader_of)  # before the /corona/<code> template, which would catch 'kaart'
    corona.register(reader_of)
    neighbourhoods.register(reader_of)
    selection.register(reader_of)  # order 3.5: matched before the /buurten/<code> template
    area_profile.register(reader_of)
    themes.register(reader_of)
    data_catalogue.register(reader_of)
    data_indicator.register(reader_of)  # before /data/<dataset_id>, which would catch it
    data_dataset.register(reader_of)
    admin.register(reader_of, settings_of)
    releases.register(reader_of)  # /versies, /versies/<version>
    not_found.register()
