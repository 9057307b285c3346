"""Page modules; `register_all` registers them with Dash's page registry.

A page's layout takes the request's Reader as its first argument. Dash calls a layout with the
path variables and the query only, so app/ hands in `reader_of` (a function that returns the
request's Reader) and each page is registered through `with_reader`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from data.catalog import Catalog
from data.reader import Reader

ReaderSource = Callable[[], Reader]


def with_reader(function: Callable, reader_of: ReaderSource) -> Callable:
    """`function(reader, *args, **kwargs)` as Dash calls it: `(*args, **kwargs)`."""

    @functools.wraps(function)
    def call(*args, **kwargs):
        return function(reader_of(), *args, **kwargs)

    del call.__wrapped__  # Dash must not see the `reader` parameter
    return call


def register_all(catalog: Catalog, reader_of: ReaderSource, settings_of: Callable) -> None:
    from layouts.pages import (
        accessibility,
        admin,
        area_profile,
        corona,
        corona_map,
        help,
        home,
        neighbourhoods,
        not_found,
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
    area_profile.register(reader_of)
    themes.register(reader_of)
    admin.register(reader_of, settings_of)
    not_found.register()
