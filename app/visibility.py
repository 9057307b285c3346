"""HTTP caching for staff: what a logged-in staff member is sent is never stored or reused.

The request's Reader shows staff the internal datasets, indicators and themes (app/context.py,
`Catalog.visible`, `ThemeSet.visible`); its cache entries carry the audience in their key
(`SiteSettings.audience`). Here the same holds for HTTP: a staff answer is
`Cache-Control: private, no-store`, its ETag differs from the public answer's, and a staff
request is never answered 304 from a validator the browser kept from before the login.
Fingerprinted static files are the same for everyone and keep their own headers.
"""

from __future__ import annotations

from flask import Flask, Response, g, request

from app.context import staff_request
from app.delivery import is_static

STAFF_CACHE_CONTROL = "private, no-store"
STAFF_ETAG_SUFFIX = "-staff"
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
)


def init_visibility(server: Flask) -> None:
    """Register the hooks (before any other before_request hook reads the validators)."""

    @server.before_request
    def _staff_answers_are_unconditional() -> None:
        g.mmmeter_staff = not is_static(request.path) and staff_request()
        if g.mmmeter_staff:
            for name in CONDITIONAL_HEADERS:
                request.environ.pop(name, None)

    @server.after_request
    def _staff_answers_are_private(response: Response) -> Response:
        if not g.get("mmmeter_staff"):
            return response
        response.headers["Cache-Control"] = STAFF_CACHE_CONTROL
        response.headers.pop("Expires", None)
        response.vary.add("Cookie")
        etag, weak = response.get_etag()
        if etag and not etag.endswith(STAFF_ETAG_SUFFIX):
            response.set_etag(etag + STAFF_ETAG_SUFFIX, weak)
        return response
