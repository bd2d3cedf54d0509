"""Browser security headers on every response, and where the client's address and scheme come from.

Every response — the sign-in page, Dash's index and callbacks, public notices, the API, errors — carries a
Content-Security-Policy, frame-ancestors/X-Frame-Options (no other site may frame the signed-in pages with their
save, publish and delete buttons), X-Content-Type-Options and a Referrer-Policy; no Server header names versions.
flask-talisman writes the headers; the policy is ours.

Scripts run only from this origin or when they are Dash's own inline renderer script, admitted by its hash
(`Dash.csp_hashes`, as Dash documents): no 'unsafe-inline' or 'unsafe-eval' for scripts. AG Grid's
`{"function": ...}` formatters are read by dash-ag-grid's own expression parser, not `eval`. Styles keep
'unsafe-inline': React writes style attributes and plotly.js inserts <style> rules at run time.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from flask import Flask, Response, request
from flask_talisman import Talisman  # type: ignore[import-untyped]  # flask-talisman ships no type hints
from werkzeug.middleware.proxy_fix import ProxyFix

SERVER_NAME = "housing-dashboard"


def content_security_policy(script_hashes: list[str]) -> dict[str, str | list[str]]:
    """The policy, given the hashes of the inline scripts the pages may run (Dash's renderer start-up)."""
    return {
        "default-src": "'self'",
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],  # plotly's PNG download and AG Grid's icons are data/blob URLs
        "font-src": ["'self'", "data:"],
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def init_app(server: Flask, dash_app: Any) -> None:
    """Headers for every response; call after the Dash app is built (its hooks must run before ours)."""
    hops = int(server.config["TRUSTED_PROXY_HOPS"])
    if hops:
        # Behind the README's HTTPS proxy: the client's address (for the sign-in throttle and the audit log) and
        # scheme (for the Secure cookie flag and HSTS) come from the last `hops` X-Forwarded-* entries, and only
        # those: a client cannot forge them past a proxy that appends its own.
        server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            server.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=0
        )
    talisman = Talisman(
        server,
        content_security_policy=content_security_policy(list(dash_app.csp_hashes())),
        force_https=False,  # TLS ends at the proxy; plain http on loopback stays usable
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        strict_transport_security=True,  # sent only on requests that arrived over HTTPS
        session_cookie_secure=False,  # auth.SecureCookiesOverHttps marks cookies Secure over HTTPS instead
        session_cookie_http_only=True,
        permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()", "browsing-topics": "()"},
    )

    hashed = {"count": -1}

    @server.before_request
    def _hash_inline_scripts() -> None:
        """Dash Pages adds its inline script (the tab title) on the first request, after Dash's own set-up hook,
        which runs before this one: the policy is brought up to date whenever Dash's list of inline scripts grew."""
        scripts = len(dash_app._inline_scripts)  # Dash keeps them here; csp_hashes() hashes exactly these
        if scripts != hashed["count"]:
            hashes = list(dash_app.csp_hashes())
            talisman.content_security_policy = OrderedDict(content_security_policy(hashes))
            hashed["count"] = len(dash_app._inline_scripts)

    @server.after_request
    def _no_version_banner(response: Response) -> Response:
        """Werkzeug's server announces its and Python's versions unless the app names itself; gunicorn sends a
        bare "gunicorn" of its own, so a second Server header is not added there."""
        if not request.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn"):
            response.headers["Server"] = SERVER_NAME
        return response
