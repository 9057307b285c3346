"""/robots.txt, /sitemap.xml, the per-page description and image of Dash's meta tags, and which
addresses of the corona and area page templates exist.

Dash pages writes <meta name="description">, Open Graph and Twitter tags from each registered
page's `description` and `image`; here every page gets its own lead text (layouts/seo.py) in
the language of the request, and the site's preview image.
"""

from __future__ import annotations

from functools import partial
from html import escape

import dash
from flask import Blueprint, Response, request

from app.context import reader
from layouts.i18n import normalize_lang
from layouts.seo import KNOWN_BY_DATA, PRIVATE_PAGES, description, page_is_known, public_paths

OG_IMAGE = "images/mmmeter-og.png"  # inside app/assets, 1200 × 630
SHORT_CACHE = "public, max-age=300"

seo = Blueprint("seo", __name__)


def _request_description(module: str, **path_variables) -> str:
    lang = normalize_lang(request.args.get("lang"))
    return description(reader(), module, lang, **path_variables)


def describe_pages() -> None:
    """Give every registered page its description (a callable Dash calls per request) and
    the preview image, and the corona and area templates the check of which of their
    addresses exist (app/errors.py answers 404 for the others)."""
    for module, page in dash.page_registry.items():
        page["description"] = partial(_request_description, module)
        page["image"] = OG_IMAGE
        if module in KNOWN_BY_DATA:
            page.setdefault("exists", partial(_request_known, module))


def _request_known(module: str, **path_variables) -> bool:
    return page_is_known(reader(), module, **path_variables)


def robots_txt(root: str) -> str:
    disallowed = ["/admin", "/api/"]
    lines = ["User-agent: *", "Allow: /", *(f"Disallow: {path}" for path in disallowed)]
    return "\n".join([*lines, f"Sitemap: {root.rstrip('/')}/sitemap.xml", ""])


def sitemap_xml(root: str, paths: list[str]) -> str:
    base = root.rstrip("/")
    urls = "".join(f"<url><loc>{escape(base + path)}</loc></url>\n" for path in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    )


def _text(body: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = SHORT_CACHE
    response.add_etag()
    return response.make_conditional(request)


@seo.get("/robots.txt")
def robots() -> Response:
    return _text(robots_txt(request.url_root), "text/plain")


@seo.get("/sitemap.xml")
def sitemap() -> Response:
    return _text(sitemap_xml(request.url_root, public_paths(reader())), "application/xml")


__all__ = ["PRIVATE_PAGES", "describe_pages", "robots_txt", "seo", "sitemap_xml"]
