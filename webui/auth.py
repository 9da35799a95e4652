"""Staff login, CSRF protection and login rate limiting.

Searching is open to the office network; uploading needs a signed-in account. Passwords are
hashed with Argon2id; the session cookie is signed, HttpOnly and SameSite=Lax; every POST carries
a CSRF token tied to the session; repeated failed logins from one address are slowed down.
"""

from __future__ import annotations

import functools
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from .resources import get_catalog

bp = Blueprint("auth", __name__)
hasher = PasswordHasher()

MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 300
USERNAME_MAX = 64
PASSWORD_MIN = 8
CSRF_MESSAGE = "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang."
THROTTLED_MESSAGE = "Quá nhiều lần đăng nhập sai. Hãy thử lại sau ít phút."


def hash_password(password: str) -> str:
    return hasher.hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    if stored_hash is None:
        hasher.hash(password)  # spend the same time whether or not the account exists
        return False
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


class LoginThrottle:
    """Counts failed logins per client address in a sliding window (per server process)."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = FAILURE_WINDOW_SECONDS) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked(self, client: str) -> bool:
        with self._lock:
            recent = self._recent(client)
            return len(recent) >= self.limit

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(time.monotonic())

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)

    def _recent(self, client: str) -> deque[float]:
        recent = self._failures[client]
        while recent and time.monotonic() - recent[0] > self.window:
            recent.popleft()
        return recent


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def check_csrf() -> None:
    """Refuse any state-changing request without the session's CSRF token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf")
    if not expected or not hmac.compare_digest(str(expected), sent):
        abort(400, description=CSRF_MESSAGE)


def current_user() -> str | None:
    return session.get("user")


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return redirect(url_for("auth.login", next=request.path))
        return view(*args, **kwargs)

    return wrapped


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login() -> Any:
    error = None
    client = request.remote_addr or "?"
    throttle: LoginThrottle = current_app.extensions["congvan_throttle"]
    if request.method == "POST":
        username = request.form.get("username", "")[:USERNAME_MAX]
        password = request.form.get("password", "")
        if throttle.blocked(client):
            return render_template("login.html", error=THROTTLED_MESSAGE), 429
        if password_matches(get_catalog().password_hash(username), password):
            throttle.succeeded(client)
            session.clear()
            session["user"] = username
            csrf_token()
            return redirect(_safe_next(request.args.get("next")))
        throttle.failed(client)
        error = "Tên đăng nhập hoặc mật khẩu không đúng."
    return render_template("login.html", error=error), 401 if error else 200


@bp.post("/dang-xuat")
def logout() -> Any:
    session.clear()
    return redirect(url_for("search.search"))


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect a signed-in user to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("search.search")


def init_app(app: Flask) -> None:
    # Flask's defaults hold these keys already (SameSite None), so set them unless configured.
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.extensions["congvan_throttle"] = LoginThrottle()
    app.before_request(check_csrf)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["current_user"] = current_user
    app.register_blueprint(bp)
