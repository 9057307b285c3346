"""Ready answers: a response that depends only on the request's Reader and the request itself
is kept as the bytes sent and sent again without running the view, Dash's dispatch, JSON
serialization or compression.

What qualifies (`answer_kind`): the pages' HTML, `/_dash-layout`, `/_dash-dependencies`, the
API answers of ANSWERED_ENDPOINTS, Dash's pages callback for a page whose layout is memoized
(`layouts.pages.with_reader(memo=...)`), and the callbacks of `callbacks.pure`. Never an answer
for staff (theirs are private), one that sets a cookie, has another status than 200, streams,
or says `no-store`/`private`; never the admin page.

The key (`answer_key`) is what the answer depends on: the Reader's store version, site
settings (audience and pin among them), catalog fingerprint and theme files, the code
fingerprint (the shared cache's namespace), the path with its prefix, for a GET the host and
query string, for a callback the parts of the body Dash reads (canonical JSON), and the
encoding flask-compress picks from Accept-Encoding. A new store version is a new key: an
answer of an old version is never sent for a new one.

Two layers, like data/cache.py's QueryCache: this process keeps up to ANSWER_BYTES of answers
(least recently used out first; those of a version no longer current leave as soon as the
process sees the new one, with the QueryCache's entries), the shared backend (Redis or the
cache folder) all of them, so an answer one worker or the writer's warming (app/warm.py)
made is a read for the others.
Each answer is kept once as the view made it (uncompressed) and once per encoding as sent; a
request in an encoding not kept yet compresses the kept plain body instead of running the view.
A GET answer carries an ETag (the view's, else a hash of the body) and answers 304 to a
matching If-None-Match.

Hooks: `_serve` is the last before_request function, so the pin, staff, size, Origin and
malformed-request checks before it still apply; `_keep_plain` runs before flask-compress and
`_keep_sent` after every other after_request function. The other after_request functions
(security headers, metrics, staff headers, pinned headers) run on a ready answer as on any.
"""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from collections import Counter
from dataclasses import dataclass

from dash import Dash, _pages
from flask import Flask, Response, g, request
from flask_compress import Compress
from flask_compress.flask_compress import _choose_algorithm  # the choice compression makes

from app.context import reader, runtime
from app.security import is_admin_path
from callbacks.pure import PURE_OUTPUTS, first_output
from data.cache import LocalMemo, QueryCache
from layouts.pages import theme_files

ANSWER_BYTES = 64 * 1024 * 1024  # answers kept per process
MAKING_WAIT_S = 15.0  # a request waits this long for another thread making the same answer
# Threads of a process that make answers at once (the others wait, up to MAKING_WAIT_S): the GIL
# runs one at a time anyway, and each answer being made holds its transient memory (the
# view's objects, JSON, compression), so eight at once set a worker's peak (app/memory.py).
MAKERS = 2
PAGES_OUTPUT = "_pages_content.children"
PAGES_LOCATION = "_pages_location"
INDEX_RULES = ("/", "/<path:path>")
LAYOUT_RULES = ("/_dash-layout", "/_dash-dependencies")
CALLBACK_RULE = "/_dash-update-component"
ANSWERED_ENDPOINTS = frozenset(
    {
        "api.indicators",
        "api.areas",
        "api.geometry",
        "api.observations_api.observations",
    }
)
BODY_FIELDS = ("output", "outputs", "inputs", "state", "changedPropIds")  # what Dash reads
DROPPED_HEADERS = frozenset({"content-length", "date", "server", "set-cookie"})
PLAIN = "identity"


@dataclass(frozen=True)
class Answer:
    """A response as sent: status, headers (but the per-connection ones) and body bytes."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @classmethod
    def of(cls, response: Response) -> Answer:
        headers = tuple(
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in DROPPED_HEADERS
        )
        return cls(response.status_code, headers, response.get_data())

    def response(self) -> Response:
        return Response(self.body, status=self.status, headers=list(self.headers))


def _version_of(local_key: tuple[str | None, str]) -> str | None:
    return local_key[0]  # kept in this process as (store version, shared key)


def _weight(answer: Answer) -> int:
    return len(answer.body) + 64 * (len(answer.headers) + 4)


class Answers:
    """Ready answers of one app: a process LRU (by bytes) per query cache (one per runtime)
    in front of that cache's shared backend."""

    def __init__(self, max_bytes: int = ANSWER_BYTES) -> None:
        self.max_bytes = max_bytes
        self._local: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()  # "sent" (ready), "kept" (made and stored)
        self._making: dict[str, threading.Event] = {}
        self.makers = threading.BoundedSemaphore(MAKERS)

    def claim(self, key: str) -> threading.Event | None:
        """None: this thread makes the answer of `key` (call `made` when done); else the event
        another thread of this process sets when it has made it."""
        with self._lock:
            if key in self._making:
                return self._making[key]
            self._making[key] = threading.Event()
            return None

    def made(self, key: str) -> None:
        with self._lock:
            event = self._making.pop(key, None)
        if event is not None:
            event.set()

    def local(self, cache: QueryCache | None = None) -> LocalMemo:
        cache = cache or runtime().cache
        with self._lock:
            if cache not in self._local:
                memo = LocalMemo(
                    1 << 20, max_bytes=self.max_bytes, weigh=_weight, version_of=_version_of
                )
                cache.attach(memo)  # answers of an old version leave with its queries
                self._local[cache] = memo
            return self._local[cache]

    def get(self, key: str) -> Answer | None:
        local = self.local()
        found = local.get((reader().version, key))
        if found is None:
            found = runtime().cache.shared.get(key)
            if not isinstance(found, Answer):
                return None
            local.put((reader().version, key), found)
        return found

    def put(self, key: str, answer: Answer) -> None:
        self.local().put((reader().version, key), answer)
        runtime().cache.shared.set(key, answer)
        self.counts["kept"] += 1


def _pages_callback_cacheable(app: Dash, body: dict) -> bool:
    """Whether the pages callback opens a page whose layout is memoized (per version)."""
    pathname = next(
        (
            item.get("value")
            for item in body.get("inputs", [])
            if isinstance(item, dict)
            and item.get("id") == PAGES_LOCATION
            and item.get("property") == "pathname"
        ),
        None,
    )
    if not isinstance(pathname, str):
        return False
    if is_admin_path(pathname):
        return False
    page, _ = _pages._path_to_page(app.strip_relative_path(pathname) or "")
    return bool(page) and getattr(page.get("layout"), "memoized_as", None) is not None


def answer_kind(app: Dash) -> str | None:
    """Which kind of ready answer this request may get ("get", "callback"), or None."""
    if g.get("mmmeter_staff") or request.url_rule is None:
        return None
    rule = request.url_rule.rule
    if request.method == "GET":
        if request.endpoint in ANSWERED_ENDPOINTS or rule in LAYOUT_RULES:
            return "get"
        if rule in INDEX_RULES and not is_admin_path(request.path):
            return "get"
        return None
    if request.method != "POST" or rule != CALLBACK_RULE:
        return None
    body = request.get_json(silent=True, cache=True)  # checked by app/errors.py already
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return None
    first = first_output(body["output"])
    if first in PURE_OUTPUTS:
        return "callback"
    if first == PAGES_OUTPUT and _pages_callback_cacheable(app, body):
        return "callback"
    return None


def answer_key(kind: str) -> str:
    """The shared-cache key of this request's answer (without the encoding)."""
    current = reader()
    address: tuple
    if kind == "get":
        address = (request.host, request.query_string.decode("latin-1"))
    else:
        body = request.get_json(silent=True, cache=True)
        wanted = {name: body.get(name) for name in BODY_FIELDS}
        canonical = json.dumps(wanted, sort_keys=True, separators=(",", ":"), default=str)
        address = (hashlib.sha256(canonical.encode()).hexdigest(),)
    key = (
        kind,
        current.version,
        current.site.key(),
        current.catalog.fingerprint,
        theme_files(current),
        request.script_root,
        request.path,
        *address,
    )
    return runtime().cache.shared_key("answer", key)


def _storable(response: Response) -> bool:
    if response.status_code != 200 or response.is_streamed or response.direct_passthrough:
        return False
    if "Set-Cookie" in response.headers:
        return False
    control = response.headers.get("Cache-Control", "")
    return "no-store" not in control and "private" not in control


def init_answers(server: Flask, app: Dash, compress: Compress) -> Answers:
    """Register the hooks (call after every other before_request function is registered)."""
    answers = Answers()
    server.extensions["mmmeter_answers"] = answers

    @server.before_request
    def _serve():
        kind = answer_kind(app)
        if kind is None or reader().version is None:
            return None
        encoding = _choose_algorithm(
            compress.enabled_algorithms, request.headers.get("Accept-Encoding", "")
        )
        key = answer_key(kind)
        g.mmmeter_answer = (key, encoding or PLAIN)
        ready = _ready(key, encoding)
        if ready is None:
            making = answers.claim(key)
            if making is None:
                g.mmmeter_making = key  # released in `_made`, when the answer is kept
                g.mmmeter_maker = answers.makers.acquire(timeout=MAKING_WAIT_S)
                return None
            making.wait(MAKING_WAIT_S)  # the same answer is being made by another thread
            ready = _ready(key, encoding)
        return ready

    def _ready(key: str, encoding: str | None) -> Response | None:
        sent = answers.get(f"{key};{encoding or PLAIN}")
        if sent is not None:
            g.mmmeter_answer = None  # nothing to keep
            g.mmmeter_ready = True
            answers.counts["sent"] += 1
            response = sent.response()
            return response.make_conditional(request) if request.method == "GET" else response
        plain = answers.get(f"{key};{PLAIN}") if encoding else None
        if plain is not None:  # flask-compress compresses it; `_keep_sent` keeps the result
            g.mmmeter_ready = True
            return plain.response()
        return None

    @server.teardown_request
    def _made(_error=None) -> None:
        if g.pop("mmmeter_maker", False):
            answers.makers.release()
        key = g.pop("mmmeter_making", None)
        if key is not None:
            answers.made(key)

    @server.after_request
    def _keep_plain(response: Response) -> Response:
        pending = g.get("mmmeter_answer")
        if not pending or g.get("mmmeter_ready") or not _storable(response):
            return response
        if request.method == "GET" and not response.get_etag()[0]:
            response.add_etag()
        answers.put(f"{pending[0]};{PLAIN}", Answer.of(response))
        return response

    def _keep_sent(response: Response) -> Response:
        pending = g.get("mmmeter_answer")
        if pending and pending[1] != PLAIN and _storable(response):
            answers.put(f"{pending[0]};{pending[1]}", Answer.of(response))
        return response

    # after_request functions run in reverse order of registration: `_keep_plain` right
    # before flask-compress (after the 404 and header hooks), `_keep_sent` after everything.
    hooks = server.after_request_funcs.setdefault(None, [])
    hooks.remove(_keep_plain)
    hooks.insert(hooks.index(compress.after_request) + 1, _keep_plain)
    hooks.insert(0, _keep_sent)
    return answers
