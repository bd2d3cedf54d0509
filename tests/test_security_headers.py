"""Every kind of response carries the browser security headers, and Dash runs under the policy.

The policy admits inline scripts only by hash: the test reads the index page as the browser gets it and checks that
every inline script on it is named in the policy (the browser tests then run every page under it with an empty
console).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest
from flask import Flask

from tests.test_auth import PAGE_CALLBACK, server, sign_in  # noqa: F401  (server is a fixture)

HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy")


def _assert_headers(response, what: str) -> None:  # type: ignore[no-untyped-def]
    for name in HEADERS:
        assert response.headers.get(name), f"{what}: no {name}"
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp, what
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, what
    assert response.headers["X-Frame-Options"] == "DENY", what
    assert response.headers["X-Content-Type-Options"] == "nosniff", what
    server_header = response.headers.get("Server", "")
    assert not re.search(r"\d", server_header) and "Werkzeug" not in server_header, f"{what}: Server {server_header}"


def test_signed_out_responses_carry_the_headers(server: Flask) -> None:  # noqa: F811
    client = server.test_client()
    responses = {
        "sign-in page": client.get("/login"),
        "redirect to sign-in": client.get("/funds"),
        "callback refused": client.post(
            "/_dash-update-component", data=json.dumps(PAGE_CALLBACK), content_type="application/json"
        ),
        "API refused": client.get("/api/v1/indicators?year=2024"),
        "API schema": client.get("/api/v1/openapi.json"),
        "health": client.get("/healthz"),
        "static asset": client.get("/assets/theme.css"),
        "unknown notice": client.get("/notices/999999"),
        "bad sign-in": sign_in(client, "lead_a", "wrong-password"),
    }
    for what, response in responses.items():
        _assert_headers(response, what)
    assert responses["unknown notice"].status_code == 404


def test_signed_in_responses_carry_the_headers_and_hash_every_inline_script(server: Flask) -> None:  # noqa: F811
    client = server.test_client()
    sign_in(client, "lead_a")
    index = client.get("/funds")
    assert index.status_code == 200
    responses = {
        "app page": index,
        "layout": client.get("/_dash-layout"),
        "dependencies": client.get("/_dash-dependencies"),
        "callback": client.post(
            "/_dash-update-component", data=json.dumps(PAGE_CALLBACK), content_type="application/json"
        ),
        "API": client.get("/api/v1/indicators?year=2024&city=a"),
        "API out of scope": client.get("/api/v1/indicators?year=2024&city=b"),
    }
    for what, response in responses.items():
        _assert_headers(response, what)
    assert responses["callback"].status_code == 200 and responses["API out of scope"].status_code == 403

    # Every inline script the index runs is admitted by its hash, and nothing else inline is.
    html = re.sub(r"<!--.*?-->", "", client.get("/funds").get_data(as_text=True), flags=re.S)  # IE's, inert
    csp = client.get("/funds").headers["Content-Security-Policy"]
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, flags=re.S)
    executable = [body for attrs, body in inline if "application/json" not in attrs]
    assert len(executable) >= 2  # Dash Pages' tab-title script and the renderer's start-up
    for body in executable:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp, f"inline script not admitted by the policy: {body[:80]!r}"


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_hsts_only_over_https(server: Flask, scheme: str) -> None:  # noqa: F811
    response = server.test_client().get("/login", base_url=f"{scheme}://localhost")
    assert ("Strict-Transport-Security" in response.headers) is (scheme == "https")
