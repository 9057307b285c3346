"""Page modules; `register_all` registers them with Dash's page registry."""

from __future__ import annotations

from data.catalog import Catalog


def register_all(catalog: Catalog) -> None:
    from layouts.pages import accessibility, help, home, not_found, status

    home.register()
    status.register()
    accessibility.register()
    help.register()
    not_found.register()
