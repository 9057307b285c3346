"""Crawl a running app over HTTP the way a visitor (or a harvester) can reach it: from a few
seed addresses, following the links of pages, the sitemap and the open-data documents.

Dash pages are fetched twice: the HTML shell (GET) and their content as the browser gets it
(the pages callback, in Dutch and English). Addresses that differ only in an area code or
an id are sampled (`per_shape`), so a crawl stays bounded however many buurten there are.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests

PAGES_CALLBACK = ".._pages_content.children..._pages_store.data.."
# (the shell's layout, /_dash-layout, is crawled: it carries the navigation)
SKIPPED_PREFIXES = (
    "/_dash-",
    "/_dash/",
    "/assets/",
    "/_favicon",
    "/_reload",
    "/beheer",
)
MAX_BODY_BYTES = 30 * 1024 * 1024
STREAMED_EXPORTS = "/api/v1/observations"  # CSV, NDJSON and Parquet stream every row
# Of a streamed export only the start is read: the fixtures' internal figures sit in small
# staff datasets (read whole); the national series are public and only cost time.
STREAMED_SAMPLE_BYTES = 2 * 1024 * 1024
LINK_PATTERNS = (
    re.compile(r'"href":\s*"([^"]+)"'),  # Dash components (json)
    re.compile(r'href="([^"]+)"'),  # HTML
    re.compile(r"<loc>([^<]+)</loc>"),  # sitemap
    re.compile(r'"(?:@id|url|accessURL|downloadURL|access_url|download_url|next)":\s*"([^"]+)"'),
    re.compile(r"<(https?://[^>\s]+)>"),  # Turtle
)


@dataclass
class Answer:
    address: str  # what was asked (a path, or "callback <path><search>")
    status: int
    headers: dict
    text: str


@dataclass
class Crawl:
    base: str
    session: requests.Session = field(default_factory=requests.Session)
    per_shape: int = 2
    limit: int = 160
    always: tuple[str, ...] = ()  # addresses with one of these in them are never sampled out
    answers: list[Answer] = field(default_factory=list)
    _seen: set = field(default_factory=set)
    _shapes: dict = field(default_factory=dict)
    _pages_dep: dict | None = None

    # --- the pages callback --------------------------------------------------------------

    def pages_dependency(self) -> dict:
        if self._pages_dep is None:
            deps = self.session.get(f"{self.base}/_dash-dependencies", timeout=30).json()
            self._pages_dep = next(d for d in deps if PAGES_CALLBACK in d["output"])
        return self._pages_dep

    def callback(self, dep: dict, inputs: list, state: list | None = None) -> requests.Response:
        return self.session.post(
            f"{self.base}/_dash-update-component",
            json=callback_body(dep, inputs, state),
            timeout=120,
        )

    def page_content(self, path: str, search: str = "") -> Answer:
        response = self.callback(self.pages_dependency(), [path, search])
        answer = Answer(
            f"callback {path}{search}",
            response.status_code,
            dict(response.headers),
            unescaped(response.text),
        )
        self.answers.append(answer)
        return answer

    # --- fetching ------------------------------------------------------------------------

    def get(self, address: str) -> Answer:
        response = self.session.get(self.base + address, timeout=120, stream=True)
        streamed = urlsplit(address).path == STREAMED_EXPORTS
        cap = STREAMED_SAMPLE_BYTES if streamed else MAX_BODY_BYTES
        body = response.raw.read(cap + 1, decode_content=True)
        response.close()
        if len(body) > cap:
            # a streamed full export (every row of a dataset) may be larger: its start is read
            assert streamed, f"{address}: over {MAX_BODY_BYTES}"
            body = body[:cap]
        answer = Answer(
            address,
            response.status_code,
            dict(response.headers),
            unescaped(_text(body)),
        )
        self.answers.append(answer)
        return answer

    def _shape(self, address: str) -> str:
        parts = urlsplit(address)
        path = re.sub(r"(GM|WK|BU|PV|NL)\d+", "<code>", parts.path)
        query = sorted(k for k, _ in parse_qsl(parts.query) if k != "lang")
        if parts.path.startswith(("/api/3/action/package_show", "/api/v1/datasets/")):
            path = re.sub(r"[^/]+$", "<id>", path)
        if parts.path.startswith("/data/indicator/"):  # one page per indicator: a sample
            path = "/data/indicator/<id>"
        if parts.path.startswith("/data/") and parts.path.endswith(".zip"):  # big: a sample
            path = "/data/<id>.zip"
        return f"{path}?{'&'.join(query)}"

    def _wanted(self, address: str) -> bool:
        if address in self._seen or len(self._seen) >= self.limit:
            return False
        if address.startswith(SKIPPED_PREFIXES) and address != "/_dash-layout":
            return False
        shape = self._shape(address)
        sampled = not any(word in address for word in self.always)
        if sampled and self._shapes.get(shape, 0) >= self.per_shape:
            return False
        self._shapes[shape] = self._shapes.get(shape, 0) + 1
        self._seen.add(address)
        return True

    def _local(self, link: str) -> str | None:
        link = link.replace("&amp;", "&")
        if link.startswith(self.base):
            link = link[len(self.base) :] or "/"
        if not link.startswith("/") or link.startswith("//"):
            return None
        parts = urlsplit(link)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "lang"]
        return parts.path + (f"?{urlencode(query)}" if query else "")

    def links(self, text: str) -> list[str]:
        found = []
        for pattern in LINK_PATTERNS:
            for link in pattern.findall(text):
                local = self._local(link)
                if local:
                    found.append(local)
        return found

    def run(self, seeds: list[str]) -> list[Answer]:
        queue = list(seeds)
        while queue:
            address = queue.pop(0)
            if not self._wanted(address):
                continue
            answer = self.get(address)
            queue += self.links(answer.text)
            if answer.status == 200 and answer.headers.get("Content-Type", "").startswith(
                "text/html"
            ):
                path = urlsplit(address).path
                for search in ("", "?lang=en"):
                    content = self.page_content(path, search)
                    queue += self.links(content.text)
            if address.startswith("/api/3/action/package_list") and answer.status == 200:
                queue += [
                    f"/api/3/action/package_show?id={i}" for i in json.loads(answer.text)["result"]
                ]
        return self.answers


def callback_body(dep: dict, inputs: list, state: list | None = None) -> dict:
    """The JSON body Dash's renderer posts for callback `dep` with these input/state values."""
    output = dep["output"]
    if output.startswith(".."):
        parts = output.strip(".").split("...")
        outputs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]
    else:
        outputs = {"id": output.rsplit(".", 1)[0], "property": output.rsplit(".", 1)[1]}
    state = state if state is not None else [None] * len(dep["state"])
    first = dep["inputs"][0]
    return {
        "output": output,
        "outputs": outputs,
        "inputs": [{**spec, "value": v} for spec, v in zip(dep["inputs"], inputs, strict=True)],
        "state": [{**spec, "value": v} for spec, v in zip(dep["state"], state, strict=True)],
        "changedPropIds": [f"{first['id']}.{first['property']}"],
    }


JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def unescaped(text: str) -> str:
    """`text` with JSON's \\uXXXX escapes written out (Dash writes "/" as \\u002f)."""
    return JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _text(body: bytes) -> str:
    """The text of an answer; of a zip (a dataset or catalogue download), all its members, of
    each the first STREAMED_SAMPLE_BYTES: the descriptions and the fixtures' small staff data
    whole, the start of a national table (rivm_cases unpacks to 137 MB of public rows)."""
    if body[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            members = []
            for name in archive.namelist():
                with archive.open(name) as member:
                    members.append(member.read(STREAMED_SAMPLE_BYTES).decode("utf-8", "replace"))
            return "\n".join(members)
    return body.decode("utf-8", "replace")


def find_component(tree, component_id: str) -> dict | None:
    """The props of the component with `component_id` in a Dash JSON tree."""
    if isinstance(tree, dict):
        props = tree.get("props")
        if isinstance(props, dict) and props.get("id") == component_id:
            return props
        for value in tree.values():
            found = find_component(value, component_id)
            if found is not None:
                return found
    elif isinstance(tree, list):
        for value in tree:
            found = find_component(value, component_id)
            if found is not None:
                return found
    return None
