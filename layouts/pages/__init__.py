"""Page modules; `register_all` registers them with Dash's page registry."""

from __future__ import annotations

from data.catalog import Catalog


def register_all(catalog: Catalog) -> None:
    from layouts.pages import (
        accessibility,
        area_profile,
        corona,
        corona_map,
        help,
        home,
        neighbourhoods,
        not_found,
        status,
    )

    home.register()
    status.register()
    accessibility.register()
    help.register()
    corona_map.register()  # before the /corona/<code> template, which would catch 'kaart'
    corona.register()
    neighbourhoods.register()
    area_profile.register()
    from layouts.pages import admin, themes

    themes.register(catalog)
    admin.register()
    not_found.register()
