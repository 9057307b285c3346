"""Dated permalinks: `/v/<version>/<path>?<state>` shows `<path>` as it was in that store version.

- `PinnedVersions` (WSGI, outermost) takes `/v/<version>` off the path before Flask routes the
  request and records the version in the request's environ; pages, the API and downloads then
  read through `app.context.reader()`, which builds the Reader of that version.
- The page a pinned address opens tells Dash's front end that its requests prefix is
  `/v/<version>/` (`pinned_config`), so `_dash-layout`, `_dash-update-component` and every
  other request the page makes come back under the same prefix: the version is in the address
  of each request, not in a header or the Referer, which a proxy or a privacy setting may drop.
- `layouts.views.urls.use_pinned_version` keeps every link of a pinned page pinned.
- A version the store does not have (never, or pruned and not pinned) answers 404: a short
  page that says so and links to the current figures, or a JSON error for the API.
- The shell's permalink button (layouts/permalink.py, callbacks/permalinks.py) pins the
  version it makes a link to: the store never prunes it.
"""

from __future__ import annotations

from html import escape

from flask import Flask, Response, jsonify, request

from app.context import PINNED_KEY, runtime
from data import releases
from data.store import VERSION_ID
from layouts.i18n import normalize_lang, t
from layouts.permalink import PREFIX, split_pinned
from layouts.release_notes import version_date


class PinnedVersions:
    """WSGI middleware: `/v/<version>/rest` is served as `/rest`, pinned to `<version>`."""

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        version, rest = split_pinned(environ.get("PATH_INFO", ""))
        if version is not None:
            environ[PINNED_KEY] = version
            environ["PATH_INFO"] = rest
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + PREFIX + version
        return self.app(environ, start_response)


def pinned_config(config: dict, version: str | None) -> dict:
    """Dash's front-end config for a page pinned to `version`: its requests go under the pin."""
    if not version:
        return config
    base = config.get("requests_pathname_prefix") or "/"
    return {**config, "requests_pathname_prefix": f"{base}v/{version}/"}


def _unknown_version_page(version: str, rest: str, lang: str) -> str:
    """A short page: no such version (or no longer kept: then what it changed), and a link to
    the same page with the current figures."""
    from layouts.views.urls import href

    current = escape(href(rest, lang=lang), quote=True)
    title = escape(t("releases.unknown.title", lang))
    body = escape(t("releases.unknown.body", lang, version=version))
    link = escape(t("releases.unknown.current", lang))
    pruned = ""
    if VERSION_ID.fullmatch(version) and releases.release(runtime().store, version) is not None:
        notes = escape(href(f"/versies/{version}", lang=lang), quote=True)
        words = escape(t("releases.unknown.pruned", lang, date=version_date(version, lang)))
        pruned = f'<p><a href="{notes}">{words}</a></p>'
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} | MMmeter</title></head><body><main>"
        f'<h1>{title}</h1><p>{body}</p>{pruned}<p><a href="{current}">{link}</a></p>'
        "</main></body></html>"
    )


def not_found(version: str):
    """404 for an address pinned to a version the store does not have."""
    rest = request.path
    is_file = "." in rest.rsplit("/", 1)[-1]  # a download: /data/<id>.zip, /feeds/x.atom
    if rest.startswith(("/api/", "/_dash-")) or is_file or request.method != "GET":
        message = f"store version {version!r} does not exist or is no longer kept"
        return jsonify({"error": message, "status": 404, "parameter": "version"}), 404
    lang = normalize_lang(request.args.get("lang"))
    page = _unknown_version_page(version if VERSION_ID.fullmatch(version) else "?", rest, lang)
    return Response(page, status=404, mimetype="text/html")


def init_permalinks(server: Flask) -> None:
    """Serve `/v/<version>/...`: strip the prefix, pin links, 404 for an unknown version."""
    from layouts.views.urls import use_pinned_version

    server.wsgi_app = PinnedVersions(server.wsgi_app)

    def _pin_request():
        version = request.environ.get(PINNED_KEY)
        if version is not None and not runtime().store.has_version(version):
            use_pinned_version(None)  # the 404 page links to the current figures
            return not_found(version)
        use_pinned_version(version)  # set on every request: threads are reused
        return None

    # First of all before_request functions: nothing may build a Reader of a missing version.
    server.before_request_funcs.setdefault(None, []).insert(0, _pin_request)

    @server.after_request
    def _pinned_headers(response):
        version = request.environ.get(PINNED_KEY)
        if version:
            # A pinned page repeats the current one as it was: search engines index the current.
            response.headers.setdefault("X-Robots-Tag", "noindex")
            if response.status_code == 200:
                response.headers.setdefault("X-MMmeter-Version", version)
        return response
