"""/api/v1/openapi.json (app/openapi.py) and /api, the documentation page rendered from that
same document on the server: plain HTML, no script, nothing from another site."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template_string, request

from app.context import reader
from app.openapi import openapi_document
from layouts.i18n import normalize_lang, t
from layouts.views.urls import api_href

api_docs = Blueprint("api_docs", __name__)
DOCUMENT_PATH = "/api/v1/openapi.json"


def _document() -> dict:
    return openapi_document(reader().catalog.site.title.nl, api_href("/"))


@api_docs.get(DOCUMENT_PATH)
def openapi_json():
    response = jsonify(_document())
    response.cache_control.max_age = 300
    return response


def describe_schema(schema: dict) -> str:
    """A parameter's type in a few words: `string (date)`, `one of: a, b`, `integer 1-50000`."""
    if "anyOf" in schema:
        parts = [describe_schema(s) for s in schema["anyOf"] if s.get("type") != "null"]
        return " | ".join(parts)
    if "enum" in schema:
        return "one of: " + ", ".join(str(v) for v in schema["enum"])
    kind = schema.get("type", "")
    if "format" in schema:
        kind += f" ({schema['format']})"
    if "minimum" in schema or "maximum" in schema:
        kind += f" {schema.get('minimum', '')}–{schema.get('maximum', '')}"
    return kind


def examples(catalog, home: str) -> dict[str, list[tuple[str, str]]]:
    """Addresses to try per path, as (link, text), with the catalog's first indicator and its
    dataset and the home municipality."""
    indicator = next(iter(catalog.indicators.values()), None)
    if indicator is None:
        return {}
    dataset = indicator.dataset[0]
    observations = [
        {"indicator": indicator.id, "area": home},
        {"indicator": indicator.id, "area": home, "format": "csv"},
        {"indicator": indicator.id, "level": "gm", "format": "geojson", "limit": 400},
        {"dataset": dataset, "area": home, "format": "csv-nl"},
        {"indicator": indicator.id, "level": "gm", "format": "ndjson"},
    ]
    found = {
        "/api/v1/observations": [("/api/v1/observations", q) for q in observations],
        "/api/v1/areas": [("/api/v1/areas", {"level": "pv"})],
        "/api/v1/datasets/{dataset_id}": [(f"/api/v1/datasets/{dataset}", None)],
        "/api/v1/geometry/{level}": [("/api/v1/geometry/pv", None)],
        "/data/{dataset_id}.zip": [(f"/data/{dataset}.zip", None), ("/data/catalogus.zip", None)],
    }
    return {
        path: [(api_href(p, q), p + (("?" + urlencode(q)) if q else "")) for p, q in items]
        for path, items in found.items()
    }


PAGE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ words.title }} | MMmeter</title>
<style>
body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0 auto; max-width: 60rem;
       padding: 1rem; color: #1a1a1a; }
code { background: #f1f1f1; padding: 0 .2em; }
main { overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
th, td { border: 1px solid #767676; padding: .3rem .5rem; text-align: left; vertical-align: top; }
a { color: #00529b; }
section { border-top: 1px solid #767676; margin-top: 1.5rem; }
</style>
</head>
<body>
<main>
<h1>{{ words.title }}</h1>
<p>{{ words.intro }}</p>
<p>{{ words.document }} <a href="{{ document_link }}">{{ document_path }}</a></p>
{% for path, operation in operations %}
<section aria-labelledby="{{ operation.operationId }}">
<h2 id="{{ operation.operationId }}"><code>GET {{ path }}</code></h2>
<p>{{ operation.summary }}</p>
{% if operation.description %}<p>{{ operation.description }}</p>{% endif %}
<h3>{{ words.parameters }}</h3>
{% if operation.parameters %}
<table>
<thead><tr><th scope="col">{{ words.name }}</th><th scope="col">{{ words.type }}</th>
<th scope="col">{{ words.description }}</th></tr></thead>
<tbody>
{% for p in operation.parameters %}
<tr><td><code>{{ p.name }}</code>
{%- if p["in"] == "path" %} ({{ words.path_parameter }}){% endif %}</td>
<td>{{ describe(p.schema) }}</td><td>{{ p.description or "" }}</td></tr>
{% endfor %}
</tbody>
</table>
{% else %}<p>{{ words.none }}</p>{% endif %}
<h3>{{ words.responses }}</h3>
<ul>
{% for status, answer in operation.responses.items() %}
<li><code>{{ status }}</code> {{ answer.description }}{% if answer.content %}:
{{ answer.content | join(", ") }}{% endif %}</li>
{% endfor %}
</ul>
{% if examples.get(path) %}
<h3>{{ words.examples }}</h3>
<ul>
{% for link, text in examples[path] %}<li><a href="{{ link }}">{{ text }}</a></li>
{% endfor %}
</ul>
{% endif %}
</section>
{% endfor %}
</main>
</body>
</html>
"""

WORDS = (
    "title",
    "intro",
    "document",
    "parameters",
    "name",
    "type",
    "description",
    "responses",
    "examples",
    "path_parameter",
    "none",
)


@api_docs.get("/api")
def docs_page():
    lang = normalize_lang(request.args.get("lang"))
    document = _document()
    html = render_template_string(
        PAGE,
        lang=lang,
        words={w: t(f"api_docs.{w}", lang) for w in WORDS},
        document_link=api_href(DOCUMENT_PATH),
        document_path=DOCUMENT_PATH,
        operations=[(path, item["get"]) for path, item in document["paths"].items()],
        describe=describe_schema,
        examples=examples(reader().catalog, reader().home),
    )
    response = Response(html, mimetype="text/html")
    response.cache_control.max_age = 300
    return response
