"""The Content-Security-Policy and the upload limit as pure functions."""

from __future__ import annotations

from app.security import content_security_policy, upload_request_bytes
from data.staff import MAX_CSV_BYTES


def _directives(policy: str) -> dict[str, str]:
    return dict(part.split(" ", 1) for part in policy.split("; "))


def test_scripts_only_from_the_site_and_the_hashed_inline_scripts():
    policy = _directives(content_security_policy(["'sha256-abc'"], "*", []))
    assert policy["script-src"] == "'self' 'sha256-abc'"
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "*"


def test_a_basemap_origin_is_allowed_for_tiles_only():
    tiles = "https://service.pdok.nl"
    policy = _directives(content_security_policy([], "'none'", [tiles]))
    assert tiles in policy["img-src"] and tiles in policy["connect-src"]
    assert tiles not in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'"


def test_the_upload_limit_fits_a_full_csv_in_base64_and_no_more_than_a_third_over():
    limit = upload_request_bytes()
    assert MAX_CSV_BYTES * 4 / 3 < limit < MAX_CSV_BYTES * 1.4
