"""Sign-in, sign-out, language and the gate in front of every page, callback and API route.

The gate is server-side: Dash's layout, dependency and callback endpoints answer 401 to
anyone not signed in, whatever the browser shows.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import (  # type: ignore[import-untyped]  # Flask-Login 0.6 ships no type hints
    LoginManager,
    UserMixin,
    current_user,
    login_required,
    login_user,
    logout_user,
)
from flask_wtf import FlaskForm  # type: ignore[import-untyped]  # Flask-WTF ships no type hints
from flask_wtf.csrf import (  # type: ignore[import-untyped]
    CSRFError,
    CSRFProtect,
    generate_csrf,
    validate_csrf,
)
from sqlalchemy import text
from werkzeug.wrappers.response import Response as WerkzeugResponse
from wtforms import BooleanField, PasswordField, StringField  # type: ignore[import-untyped]  # stubs: types-WTForms
from wtforms.validators import DataRequired, Length, ValidationError  # type: ignore[import-untyped]

from components.i18n import DEFAULT_LANG, Lang, normalise_lang, t
from data_access import get_session
from data_access.tokens import token_is_valid
from data_access.users import Viewer, audit, authenticate, end_sessions, load_viewer

log = logging.getLogger("housing.auth")

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()

# Paths anyone may fetch: the sign-in page, health check, and static files the sign-in page needs.
PUBLIC_PATHS = ("/login", "/healthz", "/lang/zh", "/lang/en", "/_favicon.ico", "/api/v1/openapi.json")
PUBLIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/notices/")  # notices: published outcomes only
# Dash's renderer sends this cookie's value back as the X-CSRFToken header on every callback request;
# callbacks that write check it (require_csrf), so a cross-site post cannot change anything.
CSRF_COOKIE = "_csrf_token"


class SignedInUser(UserMixin):
    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer

    def get_id(self) -> str:
        """What the session and remember cookies carry: the account and its session generation, so raising the
        generation (sign-out, password change, disabling) refuses every cookie issued before."""
        return f"{self.viewer.id}.{self.viewer.session_generation}"


class LoginForm(FlaskForm):
    username = StringField(validators=[DataRequired(), Length(max=60)])
    password = PasswordField(validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(default=False)


def current_lang() -> Lang:
    return normalise_lang(session.get("lang", DEFAULT_LANG))


def current_viewer() -> Viewer | None:
    """The signed-in account, or None: every page and callback asks this itself."""
    if current_user and current_user.is_authenticated:
        return current_user.viewer
    return None


@login_manager.user_loader
def _load_user(cookie_id: str) -> SignedInUser | None:
    """Called on every request that carries a session or remember cookie: the account must still be active and
    the cookie's generation current (a cookie without one, from before generations, is refused too)."""
    user_id, _, generation = cookie_id.partition(".")
    if not (user_id.isdigit() and generation.isdigit()):
        return None
    viewer = load_viewer(get_session(), int(user_id), int(generation))
    return SignedInUser(viewer) if viewer else None


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths: never an open redirect."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _login_page(form: LoginForm, message: str | None = None, status: int = 200) -> tuple[str, int]:
    lang = current_lang()
    return (
        render_template(
            "login.html",
            form=form,
            lang=lang,
            t=lambda key, **kw: t(key, lang, **kw),
            message=message,
            next=_safe_next(request.args.get("next")),
            demo_accounts=current_app.config["SHOW_DEMO_ACCOUNTS"],
        ),
        status,
    )


@bp.route("/login", methods=["GET", "POST"])
def login() -> tuple[str, int] | WerkzeugResponse:
    form = LoginForm()
    if request.method == "GET":
        if current_viewer() is not None:
            return redirect(_safe_next(request.args.get("next")))
        message = t("login.need", current_lang()) if request.args.get("next") else None
        if request.args.get("signed_out"):
            message = t("login.signed_out", current_lang())
        return _login_page(form, message)
    if not form.validate_on_submit():
        return _login_page(form, t("login.required", current_lang()), 400)
    db = get_session()
    user = authenticate(db, form.username.data or "", form.password.data or "")
    if user is None:
        log.warning("failed sign-in for %r from %s", form.username.data, request.remote_addr)
        audit(
            db,
            "sign_in_failed",
            "user_account",
            username=(form.username.data or "")[:60],
            detail={"ip": request.remote_addr},
        )
        db.commit()
        return _login_page(form, t("login.failed", current_lang()), 401)
    viewer = load_viewer(db, user.id)
    assert viewer is not None
    lang = current_lang()
    session.clear()  # a fresh session on sign-in: no fixation
    session["lang"] = lang  # but the language chosen on the sign-in page stays
    login_user(SignedInUser(viewer), remember=bool(form.remember.data))
    audit(
        db,
        "sign_in",
        "user_account",
        entity_id=user.id,
        user_id=user.id,
        username=user.username,
        detail={"ip": request.remote_addr},
    )
    db.commit()
    return redirect(_safe_next(request.form.get("next") or request.args.get("next")))


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> WerkzeugResponse:
    """End the account's sessions on the server (every copy of its cookies, on every device), then this one."""
    lang = current_lang()
    viewer = current_viewer()
    if viewer is not None:
        db = get_session()
        end_sessions(db, viewer.id)
        audit(db, "sign_out", "user_account", entity_id=viewer.id, user_id=viewer.id, username=viewer.username)
        db.commit()
    logout_user()
    session.clear()
    session["lang"] = lang
    return redirect(url_for("auth.login", signed_out=1))


@bp.route("/lang/<code>")
def set_lang(code: str) -> WerkzeugResponse:
    session["lang"] = normalise_lang(code)
    back = request.args.get("next") or _referrer_path()
    return redirect(_safe_next(back))


def _referrer_path() -> str:
    ref = request.referrer
    if not ref:
        return "/"
    parts = urlsplit(ref)
    if parts.netloc and parts.netloc != request.host:
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        get_session().execute(text("SELECT 1"))
    except Exception as exc:  # the health check reports, it does not raise
        log.error("health check failed: %s", exc)
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200


def bearer_token_ok() -> bool:
    """A valid, unrevoked API token admits an API request without a session (province-wide read)."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return False
    ok = token_is_valid(get_session(), header.removeprefix("Bearer ").strip())
    g.api_token = ok
    return ok


def _gate() -> WerkzeugResponse | tuple[Response, int] | None:
    path = request.path
    if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
        return None
    if current_viewer() is not None:
        return None
    if path.startswith("/api/") and bearer_token_ok():
        return None
    if path.startswith(("/_dash-", "/api/", "/_reload-hash")):
        return jsonify(error="authentication required"), 401
    if request.method != "GET":
        abort(401)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def require_csrf() -> None:
    """For callbacks that write: the request must carry this session's CSRF token in X-CSRFToken."""
    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except ValidationError as exc:
        log.warning("refused a write without a valid CSRF token from %s: %s", request.remote_addr, exc)
        raise CSRFError(str(exc)) from exc


def _csrf_cookie(response: Response) -> Response:
    """Hand the page's CSRF token to Dash's renderer (readable by the page's script, never sent cross-site)."""
    # Cheap checks first: an error answer (a database outage among them) must not reach for the account again.
    page = response.status_code == 200 and response.mimetype == "text/html" and request.method == "GET"
    if page and current_viewer() is not None:
        response.set_cookie(
            CSRF_COOKIE, generate_csrf(), httponly=False, samesite="Strict", secure=request.is_secure, path="/"
        )
    return response


def _account_from_address_key() -> str:
    return f"user:{(request.form.get('username') or '').strip().lower()}@{get_remote_address()}"


def _failed_sign_in(response: Response) -> bool:
    return response.status_code == 401


class SecureCookiesOverHttps:
    """WSGI middleware: mark every cookie Secure when the request came over HTTPS.

    Flask sets the session cookie, and flask-login the remember cookie, after every
    after_request hook has run, so the flag is added at the outermost layer instead.
    """

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def secure_start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            fixed = [
                (k, v + "; Secure") if k.lower() == "set-cookie" and "; secure" not in v.lower() else (k, v)
                for k, v in headers
            ]
            return start_response(status, fixed, exc_info)

        return self.wsgi_app(environ, secure_start_response)


def init_app(server: Flask) -> None:
    login_manager.init_app(server)
    login_manager.session_protection = "basic"
    csrf.init_app(server)
    server.register_blueprint(bp)

    # Failed sign-ins only (a 401 answer) count, per client address and per account *from that address*: a correct
    # sign-in costs nothing, and nobody can lock an account out from everywhere by failing on purpose. The address
    # is the client's behind TRUSTED_PROXY_HOPS proxies (security.py), not the proxy's.
    limiter = Limiter(
        key_func=get_remote_address,
        app=server,
        storage_uri=server.config["RATELIMIT_STORAGE_URI"],
        default_limits=[],
    )
    view = limiter.limit(
        server.config["LOGIN_ADDRESS_RATE_LIMIT"], methods=["POST"], deduct_when=_failed_sign_in, scope="login-address"
    )(login)  # the view the blueprint just registered as auth.login
    view = limiter.limit(
        server.config["LOGIN_RATE_LIMIT"],
        methods=["POST"],
        key_func=_account_from_address_key,
        deduct_when=_failed_sign_in,
        scope="login-account",
    )(view)
    server.view_functions["auth.login"] = view
    server.extensions["housing_limiter"] = limiter

    @server.before_request
    def _csrf_on_forms() -> None:
        if request.method == "POST" and request.path in ("/login", "/logout"):
            csrf.protect()

    server.before_request(_gate)
    server.after_request(_csrf_cookie)
    server.wsgi_app = SecureCookiesOverHttps(server.wsgi_app)  # type: ignore[method-assign]

    @server.errorhandler(429)
    def _throttled(_e: Exception) -> tuple[str, int] | tuple[Response, int]:
        if request.path == "/login":
            return _login_page(LoginForm(), t("login.throttled", current_lang()), 429)
        return jsonify(error="too many requests"), 429

    @server.errorhandler(CSRFError)
    def _csrf_failed(_e: CSRFError) -> tuple[str, int] | tuple[Response, int]:
        if request.path == "/login":
            return _login_page(LoginForm(), t("login.csrf", current_lang()), 400)
        return jsonify(error="invalid or missing CSRF token"), 400
