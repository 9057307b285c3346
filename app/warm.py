"""Warming: the main pages of a new store version are built into the cache before the version
is published, so the first visitors after a refresh read the cache instead of waiting.

The writer (the clock, `python -m app`'s scheduler, `python -m app refresh`) passes
`warmer(settings)` to the pipeline as `before_publish`: when the new version is stored in full
but not yet current, it sends the app, in this process through Flask's test client, what a
browser sends on a first visit of each main page (in Dutch and in English): the page (HTML),
`/_dash-layout`, Dash's pages callback, the map geometry the page names and the API answers it
links to, with the request's Reader on the new version (`app.context.reading_version`).
Everything those answers memoize (data/reader.py `memoized`, page layouts) and the answers
themselves as sent, plain and compressed (app/answers.py), go to the shared cache
(filesystem or Redis), keyed on the new version, where every web worker finds them.

Warming is best effort and bounded in time: a page that fails is logged, and the version is
published all the same.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import unescape

log = logging.getLogger("mmmeter.warm")

UPDATE = "/_dash-update-component"
PAGES_OUTPUT = "_pages_content.children"
LANGS = ("nl", "en")
ENCODINGS = ("br", "gzip")  # compressed once here, not by the first visitor of each worker
WARM_SECONDS = 300.0  # at most this long per version
MAX_LINKS_PER_PAGE = 12  # API answers per page
SKIPPED_PAGES = ("/beheer", "/404", "/status")  # not data pages, or per-visitor
_app = None  # the Dash app of this process, when it serves (create_app registers it)


def use_app(app) -> None:
    """The app this process serves: warming uses it instead of building another one."""
    global _app
    _app = app


@dataclass(frozen=True)
class Callback:
    """A Dash callback as `/_dash-dependencies` describes it, to build what the browser POSTs."""

    output: str
    inputs: list[dict]
    state: list[dict]

    @classmethod
    def find(cls, dependencies: list[dict], output_contains: str) -> Callback:
        for dependency in dependencies:
            if output_contains in dependency["output"]:
                return cls(dependency["output"], dependency["inputs"], dependency["state"])
        raise LookupError(f"no callback with output {output_contains!r}")

    @property
    def outputs(self) -> list[dict] | dict:
        parts = [
            dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
            for part in self.output.strip(".").split("...")
        ]
        return parts if self.output.startswith("..") else parts[0]

    def payload(self, values: dict[str, object], changed: list[str]) -> dict:
        """The JSON the browser POSTs: every input and state with its current value."""

        def filled(items: list[dict]) -> list[dict]:
            return [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

        return {
            "output": self.output,
            "outputs": self.outputs,
            "inputs": filled(self.inputs),
            "changedPropIds": changed,
            "state": filled(self.state),
        }


def pages_payload(dependencies: list[dict], path: str, lang: str) -> dict:
    """What the browser POSTs for Dash's pages callback when it opens `path` in `lang`."""
    search = "" if lang == "nl" else f"?lang={lang}"
    return Callback.find(dependencies, PAGES_OUTPUT).payload(
        {"_pages_location.pathname": path, "_pages_location.search": search},
        ["_pages_location.pathname"],
    )


def main_pages(home: str) -> list[str]:
    """The paths of the main pages: every registered page without path variables (but the
    admin, status and 404 pages), and the home municipality's corona page."""
    import dash

    paths = [
        page["path"]
        for page in dash.page_registry.values()
        if not page.get("path_template") and page["path"] not in SKIPPED_PAGES
    ]
    return [*paths, f"/corona/{home}"]


HTML_LINK = re.compile(r'\bhref="([^"]*)"')


def linked(content, prefixes: tuple[str, ...]) -> Iterator[str]:
    """Addresses in a page's layout (JSON) that start with one of `prefixes`, also those
    in the HTML of its static parts (layouts/islands.py)."""
    if isinstance(content, dict):
        for value in content.values():
            yield from linked(value, prefixes)
    elif isinstance(content, list):
        for value in content:
            yield from linked(value, prefixes)
    elif isinstance(content, str) and content.startswith(prefixes):
        yield content
    elif isinstance(content, str) and 'href="' in content:
        for address in HTML_LINK.findall(content):
            if unescape(address).startswith(prefixes):
                yield unescape(address)


def first_visit(
    send: Callable[[str, str, dict | None], tuple[int, object]],
    dependencies: list[dict],
    path: str,
    lang: str,
    prefix: str = "/",
) -> list[tuple[str, str, int]]:
    """Send what a browser sends on a first visit of `path` in `lang` (after the shared
    bundles): `send(method, address, json)` returns (status, parsed JSON or None). Returns
    (kind, address, status) per request."""
    base = prefix.rstrip("/")
    query = "" if lang == "nl" else f"?lang={lang}"
    done = []
    for kind, address in (("html", path + query), ("layout", "/_dash-layout")):
        status, _ = send("GET", base + address, None)
        done.append((kind, address, status))
    status, answer = send("POST", base + UPDATE, pages_payload(dependencies, path, lang))
    done.append(("pages callback", path + query, status))
    if status != 200 or not isinstance(answer, dict):
        return done
    content = answer.get("response", {}).get("_pages_content", {}).get("children")
    geometry = sorted(set(linked(content, (f"{base}/api/v1/geometry/",))))
    answers = sorted(set(linked(content, (f"{base}/api/v1/observations?",))))
    for kind, addresses in (("geometry", geometry), ("api", answers[:MAX_LINKS_PER_PAGE])):
        for address in addresses:
            status, _ = send("GET", address, None)
            done.append((kind, address, status))
    return done


def warm(app, version: str, deadline_s: float = WARM_SECONDS) -> list[tuple[str, str, int]]:
    """Warm the main pages of store `version` with `app` (see the module docstring)."""
    from app.context import CONFIG_KEY, reading_version

    server = app.server
    client = server.test_client()
    runtime = server.config[CONFIG_KEY]
    prefix = app.config.requests_pathname_prefix or "/"

    def send(method: str, address: str, body: dict | None) -> tuple[int, object]:
        response = client.open(address, method=method, json=body)
        parsed = response.get_json(silent=True) if response.is_json else None
        if response.status_code == 200:  # the ready answer as browsers take it (app/answers.py)
            for encoding in ENCODINGS:
                client.open(
                    address, method=method, json=body, headers={"Accept-Encoding": encoding}
                )
        return response.status_code, parsed

    started = time.monotonic()
    done: list[tuple[str, str, int]] = []
    with reading_version(version):
        status, dependencies = send("GET", prefix.rstrip("/") + "/_dash-dependencies", None)
        if status != 200:
            log.warning("warming %s: /_dash-dependencies answered %s", version, status)
            return done
        for path in main_pages(runtime.site.home):
            for lang in LANGS:
                if time.monotonic() - started > deadline_s:
                    log.warning("warming %s stopped after %.0f s", version, deadline_s)
                    return done
                try:
                    done += first_visit(send, dependencies, path, lang, prefix)
                except Exception:  # one page must not stop the others, nor the publish
                    log.exception("warming %s %s failed", path, lang)
    failed = [entry for entry in done if entry[2] >= 400]
    log.info(
        "warmed version %s: %d requests in %.1f s%s",
        version,
        len(done),
        time.monotonic() - started,
        f", {len(failed)} failed: {json.dumps(failed[:5])}" if failed else "",
    )
    return done


def warmer(settings) -> Callable[[str], None] | None:
    """The pipeline's `before_publish` hook for `settings` (None when warming is off)."""
    if not getattr(settings, "warm", True):
        return None

    def before_publish(version: str) -> None:
        try:
            warm(_app_for(settings), version, settings.warm_seconds)
        except Exception:  # warming is best effort: the version is published all the same
            log.exception("warming version %s failed", version)

    return before_publish


def warm_current(settings) -> list[tuple[str, str, int]]:
    """Warm the store's current version (`python -m app warm`)."""
    from data.stores import open_store

    version = open_store(settings).current_version()
    if version is None:
        return []
    return warm(_app_for(settings), version, settings.warm_seconds)


def _app_for(settings):
    """This process's app, or (in the clock, which serves nothing) one built once for it."""
    if _app is None:
        from app.main import create_app

        use_app(create_app(settings, start_background=False))
    return _app
