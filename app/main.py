"""Dash app factory. `server` (for gunicorn: `app.main:server`) is created on first access."""

from __future__ import annotations

import logging
import re
import threading
from html import escape

import plotly.io
from dash import Dash
from flask import Flask, has_request_context, request

from app.context import CONFIG_KEY, Runtime, reader
from app.delivery import init_delivery
from app.first_paint import DEFERRED_RENDERER, first_view_html, scripts_after_first_paint
from app.plotly_bundle import BUNDLE_FOLDER, bundle_for
from app.plotly_bundle import META_NAME as PLOTLY_META
from app.seo import describe_pages, seo
from app.settings import PROJECT_ROOT, Settings, load_settings
from app.visibility import init_visibility
from data.cache import QueryCache, filesystem_backend, redis_backend
from data.catalog import Catalog, load_catalog
from data.reader import SiteSettings
from data.stores import open_store
from layouts.i18n import use_site_names

log = logging.getLogger(__name__)
ASSETS_FOLDER = PROJECT_ROOT / "app" / "assets"

INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="nl">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <footer class="mm-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


# Dash writes dash_table's bundle into every page; MMmeter has no DataTable.
DASH_TABLE_SCRIPT = re.compile(
    r'<script src="[^"]*/_dash-component-suites/dash/dash_table/[^"]*"></script>\n?'
)


# Dash's polyfill@7 (core-js 2): ES2015+ polyfills that every browser React 18 runs in has
# natively, plus the `regeneratorRuntime` global, which app/assets/0-runtime provides instead
# (frontend/build_runtime.mjs). Its evaluation was 100-300 ms of a phone's main thread.
POLYFILL_SCRIPT = re.compile(
    r'<script src="[^"]*/_dash-component-suites/dash/deps/polyfill@[^"]*"></script>\n?'
)


class MMmeterDash(Dash):
    """Dash whose page shell carries the language of the request (?lang=en) in <html lang>,
    so a screen reader reads the first paint in the right language, before any script runs;
    names the plotly bundle charts load (app/plotly_bundle.py); and has no dash_table script
    and no polyfill script."""

    plotly_src: str | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._setup_lock = threading.Lock()

    def _setup_server(self) -> None:
        """Dash sets itself up on the first request (assets, scripts, callbacks) and marks
        that done as it begins, so under gunicorn's threads a request arriving meanwhile was
        served by a half set-up app (a rare 500 on a fresh worker). Here it waits instead."""
        with self._setup_lock:
            super()._setup_server()

    def interpolate_index(self, **kwargs) -> str:
        from layouts.i18n import DEFAULT_LANG, normalize_lang

        extra = []
        if self.plotly_src:
            extra.append(f'<meta name="{PLOTLY_META}" content="{escape(self.plotly_src)}">')
        if has_request_context():
            extra.append(f'<meta property="og:url" content="{escape(request.base_url)}">')
            extra.append('<meta property="og:site_name" content="MMmeter">')
        kwargs["metas"] = "\n      ".join([kwargs.get("metas", ""), *extra])
        if has_request_context():
            kwargs["app_entry"] = self._first_view() + kwargs.get("app_entry", "")
        page = super().interpolate_index(**kwargs)
        lang = normalize_lang(request.args.get("lang")) if has_request_context() else None
        if lang and lang != DEFAULT_LANG:
            page = page.replace(f'<html lang="{DEFAULT_LANG}">', f'<html lang="{lang}">', 1)
        if has_request_context():
            from app.embeds import decorate_index

            page = decorate_index(page, lang or DEFAULT_LANG)  # oEmbed discovery, ?embed=1
        return page

    def _first_view(self) -> str:
        try:
            return first_view_html(self, reader(), request.path, request.query_string.decode())
        except Exception:  # the first view is a head start; Dash renders the page anyway
            log.exception("no first view for %s", request.path)
            return ""

    def _config(self):
        from app.context import pinned_version
        from app.permalinks import pinned_config

        return pinned_config(super()._config(), pinned_version())

    def strip_relative_path(self, path: str) -> str | None:
        """The page path of a browser pathname, a permalink's /v/<version> taken off."""
        from layouts.permalink import strip_pinned

        if path is None:
            return None
        return super().strip_relative_path(strip_pinned(path, self.config.requests_pathname_prefix))

    def _generate_scripts_html(self) -> str:
        scripts = super()._generate_scripts_html()
        return scripts_after_first_paint(
            POLYFILL_SCRIPT.sub("", DASH_TABLE_SCRIPT.sub("", scripts))
        )


def site_settings(settings: Settings, catalog: Catalog) -> SiteSettings:
    return SiteSettings(
        home=catalog.site.home,
        basemap=settings.basemap,
        themes_dir=settings.themes_dir,
        mirror=settings.mirror,
        website=settings.website or catalog.site.website,
    )


def query_cache(settings: Settings) -> QueryCache:
    """The cache of query results: Redis when REDIS_URL is set, else a folder in the data dir."""
    if settings.redis_url:
        # Entries expire: a version is kept (and may be shown) for keep_versions_hours; one
        # that is still current after that only costs a recompute of what expired.
        ttl = int(max(settings.keep_versions_hours, 1.0) * 2 * 3600)
        return QueryCache(redis_backend(settings.redis_url, timeout_s=ttl))
    return QueryCache(filesystem_backend(settings.cache_dir))


def build_runtime(settings: Settings) -> Runtime:
    """Settings, catalog, store and cache of one app (also for the command line, no Flask)."""
    catalog = load_catalog(settings.catalog_path, settings.home)
    return Runtime(
        settings,
        catalog,
        open_store(settings),
        query_cache(settings),
        site_settings(settings, catalog),
    )


def create_app(settings: Settings | None = None, *, start_background: bool = True) -> Dash:
    """Build the Dash app; with `start_background`, also the scheduler / first refresh."""
    settings = settings or load_settings()
    runtime = build_runtime(settings)
    catalog = runtime.catalog
    # Dash serializes callback responses with plotly's JSON encoder. Its "auto" engine picks
    # orjson when that happens to be installed, which first walks every list in Python; the
    # standard-library engine is faster for our responses (bench/map_bench.py) and is the
    # same on every machine.
    plotly.io.json.config.default_engine = "json"
    server = Flask("mmmeter")
    server.config[CONFIG_KEY] = runtime
    if settings.secret_key:
        server.secret_key = settings.secret_key
    compress = init_delivery(server, ASSETS_FOLDER)
    init_visibility(server)  # staff answers are private (before anything reads the validators)

    @server.before_request
    def _site_names() -> None:
        current = reader()
        use_site_names(current.home_name, current.home_province_name)

    from app.api import api
    from app.api_docs import api_docs
    from app.data_packages import data_packages
    from app.open_data import register_open_data
    from app.reports import reports

    server.register_blueprint(api)
    server.register_blueprint(data_packages)
    server.register_blueprint(api_docs)
    from app.releases_api import releases_api

    server.register_blueprint(releases_api)  # /api/v1/releases, /feeds/*.atom
    from layouts.pages.admin import oidc_enabled

    if oidc_enabled(settings):  # Authlib and its cryptography (some 16 MB a worker): only then
        from app.oidc import init_oidc

        init_oidc(server, settings)  # staff login through the identity provider
    server.register_blueprint(seo)
    server.register_blueprint(reports)  # /rapport/<code>[.pdf]
    register_open_data(server)  # DCAT-AP-DONL, CKAN action API, /api/v1/datasets
    app = MMmeterDash(
        "mmmeter",
        server=server,
        use_pages=True,
        pages_folder="",
        # Dash turns async mode on whenever asgiref is installed (a dependency of other
        # packages); its callbacks and page router then run each request through a new event
        # loop in a new thread (some 4 ms). No MMmeter callback is a coroutine.
        use_async=False,
        assets_folder=str(ASSETS_FOLDER),
        # The plotly bundle is loaded by the first chart of a page, not by every page.
        assets_path_ignore=[f"^{BUNDLE_FOLDER}$"],
        serve_locally=True,
        title="MMmeter",
        update_title=None,
        suppress_callback_exceptions=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
        external_stylesheets=[],
    )
    app.index_string = INDEX_TEMPLATE
    app.renderer = DEFERRED_RENDERER  # adds the scripts after the first paint (app/first_paint.py)

    from layouts import pages, shell

    with server.app_context():
        pages.register_all(catalog, reader, settings_of=lambda: server.config[CONFIG_KEY].settings)
    describe_pages()
    app.plotly_src = app.get_asset_url(bundle_for(settings.basemap).asset_path())
    app.layout = lambda: shell.layout(reader())

    import callbacks  # noqa: F401  (registers the callbacks with dash.callback)
    from app.errors import init_errors
    from app.metrics import init_metrics
    from app.security import init_security

    init_metrics(server)  # first: it times everything after it
    init_security(server, app, settings)  # before anything reads a request body
    init_errors(server, app)
    from app.permalinks import init_permalinks

    init_permalinks(server)  # /v/<version>/...: a dated permalink (outermost WSGI layer)

    from app.embeds import init_embeds

    init_embeds(server)  # /oembed
    from app.answers import init_answers

    init_answers(server, app, compress)  # last: ready answers after every check of a request

    from app.warm import use_app

    use_app(app)  # a refresh in this process warms its pages with this app
    if start_background:
        from app.scheduler import start_in_process

        start_in_process(settings, catalog)
    return app


_app: Dash | None = None


def get_app() -> Dash:
    """The app of `gunicorn app.main:server`: a web worker, which never runs the schedule
    (the clock process writes the store; `python -m app` runs it in its one worker)."""
    global _app
    if _app is None:
        _app = create_app(start_background=False)
    return _app


def __getattr__(name: str):
    if name == "app":
        return get_app()
    if name == "server":
        return get_app().server
    raise AttributeError(name)


__all__ = ["create_app", "get_app"]
