"""Security headers, request limits, and real 400 / 404 answers (the app in-process)."""

from __future__ import annotations

import pytest

from app.errors import page_of

PAGES_CALLBACK = ".._pages_content.children..._pages_store.data.."


def _dependency(client, output_part: str) -> dict:
    deps = client.get("/_dash-dependencies").get_json()
    return next(d for d in deps if output_part in d["output"])


def _callback_body(dep: dict, inputs: list, state: list | None = None) -> dict:
    output = dep["output"]
    if output.startswith(".."):
        parts = output.strip(".").split("...")
        outputs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]
    else:
        outputs = {"id": output.rsplit(".", 1)[0], "property": output.rsplit(".", 1)[1]}
    state = state if state is not None else [None] * len(dep["state"])
    return {
        "output": output,
        "outputs": outputs,
        "inputs": [{**spec, "value": v} for spec, v in zip(dep["inputs"], inputs, strict=True)],
        "state": [{**spec, "value": v} for spec, v in zip(dep["state"], state, strict=True)],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }


@pytest.mark.parametrize("path", ["/", "/corona/GM0114", "/api/v1/indicators", "/healthz"])
def test_every_response_carries_the_security_headers(client, dash_app, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src "))
    assert script_src.split()[1:] == ["'self'", *dash_app.csp_hashes()]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors *" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # plain http here


def test_the_csp_hashes_match_the_inline_scripts_of_the_page(client, dash_app):
    import base64
    import hashlib
    import re

    page = client.get("/").get_data(as_text=True)
    inline = re.findall(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", page, re.S
    )
    assert inline, "the page has inline scripts (Dash's renderer)"
    allowed = set(dash_app.csp_hashes())
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed


def test_the_admin_page_cannot_be_framed_and_is_not_cached(client):
    response = client.get("/beheer")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "body",
    ["null", "[]", '"text"', "1", "{}", '{"output": 1}', '{"output": "nope.children"}'],
)
def test_a_malformed_callback_body_gets_400(client, body):
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "malformed callback request" in response.get_json()["error"]


def test_a_callback_request_that_is_not_json_gets_400(client):
    response = client.post("/_dash-update-component", data="{}", content_type="text/plain")
    assert response.status_code == 400


@pytest.mark.parametrize("pathname", [5, True, ["/"], {"a": 1}, "x" * 5000])
def test_a_pathname_that_is_not_a_short_string_gets_400(client, pathname):
    dep = _dependency(client, PAGES_CALLBACK)
    response = client.post("/_dash-update-component", json=_callback_body(dep, [pathname, ""]))
    assert response.status_code == 400


def test_a_pathname_outside_the_app_gets_400(client):
    dep = _dependency(client, PAGES_CALLBACK)
    response = client.post("/_dash-update-component", json=_callback_body(dep, ["zz", ""]))
    assert response.status_code == 400


def test_the_pages_callback_still_answers_a_real_request(client):
    dep = _dependency(client, PAGES_CALLBACK)
    response = client.post(
        "/_dash-update-component", json=_callback_body(dep, ["/corona/GM0114", ""])
    )
    assert response.status_code == 200
    assert "Emmen" in response.get_data(as_text=True)


def test_no_callback_answers_500_to_values_no_page_sends(client):
    """Every server-side callback, each input and state set to values of the wrong type or
    unknown ones (a week, an area, an indicator that do not exist): never a 500."""
    deps = client.get("/_dash-dependencies").get_json()
    server_side = [d for d in deps if not d.get("clientside_function")]
    assert len(server_side) >= 20, "the app lost its dash.callback callbacks"
    odd_values = (None, 5, "zz-unknown", "2099-W99", {"a": 1}, [1, 2], True, -1)
    answers = {}
    for dep in deps:
        if dep.get("clientside_function") or "MATCH" in dep["output"]:
            continue
        for value in odd_values:
            body = _callback_body(dep, [value] * len(dep["inputs"]), [value] * len(dep["state"]))
            status = client.post("/_dash-update-component", json=body).status_code
            answers.setdefault(status, []).append((dep["output"][:60], value))
    assert 500 not in answers, answers[500][:10]
    assert set(answers) <= {200, 204, 400}, set(answers)


def test_a_wrong_number_of_inputs_gets_400(client):
    dep = _dependency(client, PAGES_CALLBACK)
    body = _callback_body(dep, ["/", ""])
    body["inputs"] = body["inputs"][:1]
    assert client.post("/_dash-update-component", json=body).status_code == 400


@pytest.mark.parametrize("path", ["/bestaat-niet", "/thema/bestaat-niet", "/a/b/c", "/404"])
def test_an_unknown_page_is_the_not_found_page_with_status_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "_dash-config" in response.get_data(as_text=True)  # Dash shows "niet gevonden"


def test_the_not_found_page_says_niet_gevonden(client):
    from layouts.pages import not_found

    with client.application.test_request_context("/bestaat-niet"):
        text = str(not_found.layout("nl"))
    assert "niet gevonden" in text


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/corona/GM0114",
        "/thema/bevolking",
        "/beheer",
        "/status",
        "/data",
        "/data/rivm_cases",
        "/data/indicator/population",
    ],
)
def test_known_pages_answer_200(client, path):
    assert client.get(path).status_code == 200
    with client.application.test_request_context(path):  # a page may ask the data (exists=)
        assert page_of(path) is not None


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v2/observations", "/_dash-nope"])
def test_an_unknown_api_path_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.is_json and "no such address" in response.get_json()["error"]


def test_robots_txt_is_not_a_soft_404(client):
    response = client.get("/robots.txt")
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert response.mimetype == "text/plain"


def test_a_body_over_the_limit_is_refused_with_413(client):
    response = client.post(
        "/_dash-update-component",
        data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
        content_type="application/json",
    )
    assert response.status_code == 413


def test_a_post_from_another_site_is_refused(client):
    dep = _dependency(client, PAGES_CALLBACK)
    body = _callback_body(dep, ["/", ""])
    other = client.post(
        "/_dash-update-component", json=body, headers={"Origin": "https://evil.example"}
    )
    assert other.status_code == 403
    same = client.post("/_dash-update-component", json=body, headers={"Origin": "http://localhost"})
    assert same.status_code == 200
    fetch = client.post(
        "/_dash-update-component", json=body, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert fetch.status_code == 403


def test_readyz_says_ready_with_the_loaded_version(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["version"] == client.get("/healthz").get_json()["version"]


def test_metrics_give_latency_per_route_and_the_age_of_the_store(client):
    for _ in range(3):
        client.get("/api/v1/indicators")
    client.get("/corona/GM0114")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'mmmeter_request_duration_seconds_count{method="GET",route="/api/v1/indicators"}' in text
    assert 'route="page /corona/<code>"' in text
    age = next(line for line in text.splitlines() if line.startswith("mmmeter_store_version_age"))
    assert float(age.split()[-1]) > 0
    assert 'mmmeter_dataset_last_success_timestamp_seconds{dataset="rivm_cases"}' in text
