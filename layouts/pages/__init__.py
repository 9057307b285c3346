"""Page modules; `register_all` registers them with Dash's page registry."""

from __future__ import annotations

from data.catalog import Catalog


def register_all(catalog: Catalog) -> None:
    from layouts.pages import accessibility, corona_map, help, home, not_found, status
    from layouts.pages import area_profile, neighbourhoods

    home.register()
    status.register()
    accessibility.register()
    help.register()
    corona_map.register()  # before the /corona/<code> template, which would catch 'kaart'
    neighbourhoods.register()
    area_profile.register()
    not_found.register()
