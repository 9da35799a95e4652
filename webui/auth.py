"""Staff login, roles, server-side sessions, API tokens, CSRF protection and login throttling.

Every route says the least role it needs (`role_required`, webui.roles): reading needs the
reader role, or nobody signed in when the app allows anonymous readers (ANONYMOUS_READERS, the
default: searching is open to the office network); uploading needs a clerk, accounts an admin.
Scripts send `Authorization: Bearer <token>` (`congvan user token NAME`) instead of a cookie.
Passwords are
hashed with Argon2id. The signed, HttpOnly, SameSite=Lax cookie carries only a random session
token (and the CSRF token): the catalog keeps the token's SHA-256 with the user and the session's
times, so logging out (or an admin) ends a session for good, and a session dies after its
lifetime or when idle too long. Every POST carries a CSRF token tied to the session. Failed
logins are counted in the catalog, per address and per account, so the limit holds across
server processes and restarts.
"""

from __future__ import annotations

import functools
import hmac
import logging
import secrets
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from ingest.errors import ArchiveWriteError
from ingest.store.catalog import CatalogStore, SessionRecord, UserRecord, now_iso

from .passwords import USERNAME_MAX, password_matches, token_hash
from .resources import ArchiveMissing, get_catalog
from .roles import allows, role_for

log = logging.getLogger(__name__)

bp = Blueprint("auth", __name__)

MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 300
SESSION_LIFETIME_SECONDS = 12 * 3600  # signed in for at most a working day ...
SESSION_IDLE_SECONDS = 2 * 3600  # ... and signed out after two hours without a request
TOUCH_INTERVAL_SECONDS = 60  # last_seen is written at most once a minute, not per request
CSRF_MESSAGE = "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang."
THROTTLED_MESSAGE = "Quá nhiều lần đăng nhập sai. Hãy thử lại sau ít phút."
DISABLED_MESSAGE = "Tài khoản này đã bị khoá. Hãy liên hệ quản trị viên."
LOGIN_NEEDED_MESSAGE = "Cần đăng nhập."
BAD_TOKEN_MESSAGE = "Mã truy cập (token) không hợp lệ hoặc đã bị thu hồi."


def now() -> float:
    """Epoch seconds: the one clock of sessions and throttling (tests move it)."""
    return time.time()


@dataclass(frozen=True)
class SessionPolicy:
    """How long a session lives (app config SESSION_LIFETIME_SECONDS, SESSION_IDLE_SECONDS)."""

    lifetime: float = SESSION_LIFETIME_SECONDS
    idle: float = SESSION_IDLE_SECONDS

    @classmethod
    def of_app(cls) -> SessionPolicy:
        config = current_app.config
        return cls(
            lifetime=float(config.get("SESSION_LIFETIME_SECONDS", SESSION_LIFETIME_SECONDS)),
            idle=float(config.get("SESSION_IDLE_SECONDS", SESSION_IDLE_SECONDS)),
        )

    def alive(self, record: SessionRecord, at: float) -> bool:
        # A lifetime shortened in the config applies to sessions already open too.
        ends = min(record.expires_at, record.created_at + self.lifetime)
        return at < ends and at - record.last_seen <= self.idle


@dataclass(frozen=True)
class LoginThrottle:
    """Blocks logins after `limit` failures within `window` seconds from one address (any
    account) or against one account (from any address). The failures live in the catalog."""

    limit: int = MAX_FAILURES
    window: float = FAILURE_WINDOW_SECONDS

    @classmethod
    def of_app(cls) -> LoginThrottle:
        config = current_app.config
        return cls(
            limit=int(config.get("LOGIN_MAX_FAILURES", MAX_FAILURES)),
            window=float(config.get("LOGIN_FAILURE_WINDOW_SECONDS", FAILURE_WINDOW_SECONDS)),
        )

    def blocked(self, catalog: CatalogStore, address: str, username: str) -> bool:
        counts = catalog.login_failures_since(now() - self.window, address=address,
                                              username=username)
        return counts.by_address >= self.limit or counts.by_account >= self.limit

    def failed(self, catalog: CatalogStore, address: str, username: str) -> None:
        at = now()
        catalog.add_login_failure(address, username, at, forget_before=at - self.window)

    def succeeded(self, catalog: CatalogStore, username: str) -> None:
        """Forget the account's failures, from every address (its owner got in). Failures from
        this address against other accounts stay: one's own account must not reset the count
        of someone guessing other passwords."""
        catalog.clear_login_failures(username)


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def check_csrf() -> None:
    """Refuse any state-changing request without the session's CSRF token. A script's request
    signed with an API token carries no cookie, so no other site can forge it."""
    if request.method in ("GET", "HEAD", "OPTIONS") or g.get("via_token"):
        return
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf")
    if not expected or not hmac.compare_digest(str(expected), sent):
        abort(400, description=CSRF_MESSAGE)


def bearer_token() -> str | None:
    """The API token of `Authorization: Bearer <token>`, if the request carries one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def authenticate_token() -> None:
    """A request with an API token is that token's account's, or refused (401): a revoked
    token must not quietly read as anonymous. The cookie is then ignored."""
    token = bearer_token()
    if token is None:
        return
    try:
        username = get_catalog().api_token_user(token_hash(token), now_iso())
    except ArchiveMissing:
        username = None
    record = _enabled_user(username)
    if record is None:
        abort(401, description=BAD_TOKEN_MESSAGE)
    g.via_token = True
    g.session_user = record.username
    g.user_record = record


def current_user() -> str | None:
    """The signed-in user of this request: the cookie's token must name a live session of an
    enabled account (or an API token name one, see authenticate_token)."""
    if "session_user" not in g:
        record = _live_session()
        g.user_record = _enabled_user(record.username) if record else None
        if record is not None and g.user_record is None:  # disabled since: the session ends
            session.pop("sid", None)
            try:
                get_catalog().delete_user_sessions(record.username)
            except ArchiveWriteError as error:  # refused all the same, by the check above
                log.warning("sessions of a disabled account not deleted: %s", error)
        g.session_user = g.user_record.username if g.user_record else None
    return g.session_user


def current_role() -> str | None:
    """The role of the signed-in user, or None when nobody is signed in."""
    return g.user_record.role if current_user() is not None else None


def anonymous_readers() -> bool:
    """Whether people who are not signed in may search and read (app config ANONYMOUS_READERS,
    serve --anonymous-readers; on by default)."""
    return bool(current_app.config.get("ANONYMOUS_READERS", True))


def has_role(role: str) -> bool:
    """Whether this request may do what `role` may (anonymous readers count as readers)."""
    if current_user() is None:
        return role == "reader" and anonymous_readers()
    return allows(current_role(), role)


def can(action: str) -> bool:
    """Whether this request may do `action` (webui.roles.PERMISSIONS): pages hide the buttons
    a role cannot use."""
    return has_role(role_for(action))


def _enabled_user(username: str | None) -> UserRecord | None:
    if username is None:
        return None
    record = get_catalog().get_user(username)
    return record if record is not None and record.enabled else None


def _live_session() -> SessionRecord | None:
    token = session.get("sid")
    if not isinstance(token, str):
        return None
    try:
        catalog = get_catalog()
    except ArchiveMissing:
        return None
    record = catalog.get_session(token_hash(token))
    at = now()
    if record is None or not SessionPolicy.of_app().alive(record, at):
        if record is not None:
            catalog.delete_session(record.token_hash)
        session.pop("sid", None)  # the browser forgets the dead token
        return None
    if at - record.last_seen >= TOUCH_INTERVAL_SECONDS:
        try:
            catalog.touch_session(record.token_hash, at)
        except ArchiveWriteError as error:  # a busy or read-only catalog must not stop reading
            log.warning("session last_seen not updated: %s", error)
    return record


def audit(action: str, target: str | None = None, detail: dict[str, Any] | None = None,
          *, actor: str | None = None) -> None:
    """Write an audit entry for this request: by `actor`, else the signed-in user, from the
    client's address (CatalogStore.audit)."""
    get_catalog().audit(action, actor if actor is not None else current_user(), target, detail,
                        address=request.remote_addr)


def start_session(catalog: CatalogStore, username: str, address: str) -> None:
    """A fresh token for a fresh login (never one the browser brought along)."""
    policy, at = SessionPolicy.of_app(), now()
    catalog.prune_sessions(at, idle_before=at - policy.idle)
    token = secrets.token_urlsafe(32)
    catalog.add_session(SessionRecord(token_hash=token_hash(token), username=username,
                                      address=address, created_at=at, last_seen=at,
                                      expires_at=at + policy.lifetime))
    session.clear()
    session["sid"] = token
    csrf_token()


def role_required(role: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let the view run only for `role` or a higher one (admin ⊇ clerk ⊇ reader); a reader
    route also for anonymous readers when the app allows them. Nobody signed in: the login page
    (401 JSON under /api/); signed in without the role: 403."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not has_role(role):
                return _refuse()
            return view(*args, **kwargs)

        wrapped.required_role = role  # type: ignore[attr-defined]  # tests check every route
        return wrapped

    return decorate


def _refuse() -> Any:
    if current_user() is not None:
        abort(403)
    if request.path.startswith("/api/"):
        abort(401, description=LOGIN_NEEDED_MESSAGE)
    return redirect(url_for("auth.login", next=request.path))


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login() -> Any:
    error, status = None, 200
    if request.method == "POST":
        address = request.remote_addr or "?"
        username = request.form.get("username", "")[:USERNAME_MAX]
        password = request.form.get("password", "")
        catalog, throttle = get_catalog(), LoginThrottle.of_app()
        if throttle.blocked(catalog, address, username):
            _login_failed(catalog, username, "throttled")
            return render_template("login.html", error=THROTTLED_MESSAGE), 429
        if password_matches(catalog.password_hash(username), password):
            account = catalog.get_user(username)
            if account is not None and account.enabled:
                throttle.succeeded(catalog, username)
                start_session(catalog, username, address)
                catalog.record_login(username, now_iso())
                audit("login", target=username, actor=username)
                return redirect(safe_next(request.args.get("next")))
            _login_failed(catalog, username, "disabled")
            error, status = DISABLED_MESSAGE, 403
        else:
            throttle.failed(catalog, address, username)
            _login_failed(catalog, username, "password")
            error, status = "Tên đăng nhập hoặc mật khẩu không đúng.", 401
    return render_template("login.html", error=error), status


def _login_failed(catalog: CatalogStore, username: str, reason: str) -> None:
    """Audit a refused login: no actor (nobody got in), the account tried as the target."""
    catalog.audit("login_failed", None, username, {"reason": reason}, address=request.remote_addr)


@bp.post("/dang-xuat")
def logout() -> Any:
    token = session.get("sid")
    if isinstance(token, str):
        catalog = get_catalog()
        record = catalog.get_session(token_hash(token))
        catalog.delete_session(token_hash(token))
        if record is not None:
            audit("logout", target=record.username, actor=record.username)
    session.clear()
    return redirect(url_for("search.search"))


def safe_next(target: str | None) -> str:
    """Where to go after login: a local path only, else the search page. Browsers drop tabs
    and newlines from URLs and read a backslash as a slash (`next=/%09/evil.example` would lead
    to `//evil.example`), so any such character refuses the target outright."""
    fallback = url_for("search.search")
    if not target or "\\" in target:
        return fallback
    if any(char.isspace() or unicodedata.category(char).startswith("C") for char in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def init_app(app: Flask) -> None:
    # Flask's defaults hold these keys already (SameSite None), so set them unless configured.
    # SESSION_COOKIE_SECURE (serve --secure-cookies) is left to the configuration.
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config.setdefault("ANONYMOUS_READERS", True)
    app.before_request(authenticate_token)  # before the CSRF check, which it may waive
    app.before_request(check_csrf)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.globals["current_role"] = current_role
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["anonymous_readers"] = anonymous_readers
    app.register_blueprint(bp)
