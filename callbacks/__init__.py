"""Callback modules, registered with dash.callback on import (no module imports the app)."""

from callbacks import (
    admin,  # noqa: F401
    corona,  # noqa: F401
    maps,  # noqa: F401
    neighbourhoods,  # noqa: F401
    permalinks,  # noqa: F401
    selection,  # noqa: F401
    shell,  # noqa: F401
    themes,  # noqa: F401
)
