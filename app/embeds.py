"""Embedding MMmeter's figures in other sites.

- `?embed=1` on a page (with `figuur=<figure id>` for one of several figures) shows only that
  figure with its title and source line (layouts/embed.py cuts it out of the page), in a
  minimal shell, with a link back to the page: the page's <body> gets the class `mm-embedded`
  (CSS hides the site's header and footer from the first paint) and the link.
- Every page names its oEmbed address in <head> (discovery), and `/oembed?url=...&format=json`
  answers with a `rich` embed (an <iframe> of the page with `embed=1`) for addresses of this
  app; 404 for another site's address or an address that is no page, 400 for a malformed
  request, 501 for a format other than JSON (oEmbed 1.0, section 2.3.4.3).
- Who may frame the pages is the CSP `frame-ancestors` of app/security.py
  (`MMMETER_FRAME_ANCESTORS`, default `*`); the admin page never.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, Flask, jsonify, request

EMBED_PARAM = "embed"
FIGURE_PARAM = "figuur"
OEMBED_PATH = "/oembed"
DEFAULT_WIDTH, DEFAULT_HEIGHT = 720, 640
MIN_SIZE, MAX_SIZE = 200, 4000
MAX_URL_CHARS = 2048
BODY_CLASS = "mm-embedded"
# A CSP source list: `*`, 'self', 'none', schemes and origins (with an optional port and a
# leading wildcard label), separated by spaces; nothing that could end the header or directive.
_SOURCE = re.compile(
    r"^(\*|'self'|'none'|[a-z][a-z0-9+.-]*:|"
    r"(https?://)?(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:(\d{1,5}|\*))?)$",
    re.IGNORECASE,
)

oembed_routes = Blueprint("oembed", __name__)


def frame_ancestors_setting(raw: str | None, default: str = "*") -> str:
    """The value of MMMETER_FRAME_ANCESTORS, checked: a space-separated list of CSP sources."""
    if raw and re.search(r"[\x00-\x08\x0a-\x1f\x7f;,]", raw):
        raise ValueError(
            "MMMETER_FRAME_ANCESTORS: one line of sources separated by spaces, "
            "without ; , or control characters"
        )
    value = " ".join((raw or "").split()) or default
    bad = [source for source in value.split(" ") if not _SOURCE.match(source)]
    if bad:
        raise ValueError(
            f"MMMETER_FRAME_ANCESTORS: {', '.join(bad)} is no CSP source; give origins such as "
            "https://www.example.nl separated by spaces, * (any site) or 'none'"
        )
    return value


def embed_requested(args) -> bool:
    return args.get(EMBED_PARAM) == "1"


def embed_url(page_url: str, figure: str | None = None) -> str:
    """`page_url` with `embed=1` (and the figure), its other query kept."""
    parts = urlsplit(page_url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in (EMBED_PARAM, FIGURE_PARAM)]
    query.append((EMBED_PARAM, "1"))
    if figure:
        query.append((FIGURE_PARAM, figure))
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def page_url_without_embed(page_url: str) -> str:
    parts = urlsplit(page_url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in (EMBED_PARAM, FIGURE_PARAM)]
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def iframe_html(src: str, title: str, width: int, height: int) -> str:
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="{width}" '
        f'height="{height}" style="border:0;max-width:100%" loading="lazy"></iframe>'
    )


def discovery_link(page_url: str, title: str) -> str:
    """The <link> that lets a CMS find the oEmbed answer for `page_url`."""
    base = urlsplit(page_url)
    query = urlencode({"url": page_url_without_embed(page_url), "format": "json"})
    href = urlunsplit((base.scheme, base.netloc, _prefix() + OEMBED_PATH, query, ""))
    return (
        f'<link rel="alternate" type="application/json+oembed" href="{escape(href)}" '
        f'title="{escape(title)}">'
    )


def back_link_html(page_url: str, lang: str) -> str:
    """The link from an embedded figure to its page on MMmeter (outside Dash's React root)."""
    from layouts.i18n import t

    text = t("embed.source_site", lang)
    return (
        f'<nav class="mm-embed-back" aria-label="MMmeter"><a href="'
        f'{escape(page_url_without_embed(page_url))}" target="_blank" rel="noopener">'
        f"{escape(text)}</a></nav>"
    )


def _prefix() -> str:
    try:
        import dash

        return dash.get_relative_path("/").rstrip("/")
    except AttributeError:
        return ""


def page_title(path: str, lang: str) -> str | None:
    """The title of the registered page `path` opens, or None: no page."""
    import dash

    from app.errors import page_of

    found = page_of(path)
    if found is None:
        return None
    for page in dash.page_registry.values():
        if found in (page.get("path_template"), page.get("path")):
            titles = page.get("titles") or {}
            return titles.get(lang) or titles.get("nl") or page.get("name") or "MMmeter"
    return "MMmeter"


def _size(name: str, default: int) -> int:
    """`maxwidth` / `maxheight`: the consumer's limit, the embed is at most that large."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or len(raw) > 6:
        raise ValueError(f"{name} is a whole number of pixels")
    return max(MIN_SIZE, min(int(raw), default))


def _error(status: int, message: str):
    return jsonify({"error": message, "status": status}), status


@oembed_routes.get(OEMBED_PATH)
def oembed():
    url = request.args.get("url", "")
    fmt = request.args.get("format", "json")
    if fmt != "json":
        return _error(501, "only format=json is served")
    if not url or len(url) > MAX_URL_CHARS:
        return _error(400, f"give url= (an address of this site, at most {MAX_URL_CHARS} chars)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return _error(400, "url must be an absolute http(s) address")
    own = urlsplit(request.host_url)
    if parts.netloc.lower() != own.netloc.lower():
        return _error(404, "not an address of this site")
    try:
        width = _size("maxwidth", DEFAULT_WIDTH)
        height = _size("maxheight", DEFAULT_HEIGHT)
    except ValueError as exc:
        return _error(400, str(exc))
    query = dict(parse_qsl(parts.query))
    lang = "en" if query.get("lang") == "en" else "nl"
    title = page_title(parts.path or "/", lang)
    if title is None:
        return _error(404, "no page at this address")
    src = embed_url(urlunsplit((own.scheme, own.netloc, parts.path, parts.query, "")))
    return jsonify(
        {
            "version": "1.0",
            "type": "rich",
            "title": title,
            "provider_name": "MMmeter",
            "provider_url": request.host_url,
            "html": iframe_html(src, title, width, height),
            "width": width,
            "height": height,
            "cache_age": 3600,
        }
    )


def decorate_index(page: str, lang: str) -> str:
    """The page's HTML with the oEmbed discovery link and, for `?embed=1`, the minimal shell
    (body class, link back). Called in a request for a page."""
    url = request.url
    if len(url) > MAX_URL_CHARS:
        return page
    title = page_title(request.path, lang) or "MMmeter"
    page = page.replace("</head>", f"    {discovery_link(url, title)}\n    </head>", 1)
    if embed_requested(request.args):  # a copy of a figure for other sites: not for search
        page = page.replace("</head>", '    <meta name="robots" content="noindex">\n    </head>', 1)
        page = page.replace("<body>", f'<body class="{BODY_CLASS}">', 1)
        page = page.replace(
            '<footer class="mm-scripts">',
            back_link_html(url, lang) + '\n<footer class="mm-scripts">',
            1,
        )
    return page


def init_embeds(server: Flask) -> None:
    server.register_blueprint(oembed_routes)
