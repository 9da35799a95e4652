"""Security headers on every response, the secret key, and links that never trust the Host
header a request claims."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, url_for

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'self'",
        "frame-src 'self'",
        "frame-ancestors 'self'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)


def add_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def init_app(app: Flask) -> None:
    app.config["BASE_URL"] = base_url_setting(app.config.get("BASE_URL"))
    app.after_request(add_security_headers)
    app.jinja_env.globals["public_url"] = public_url


def secret_key_for(archive_root: Path) -> str:
    """The key kept in the archive (shared by every server process), made on first use; a
    configured SECRET_KEY (CONGVAN_SECRET_KEY, read by the command) goes before it."""
    path = archive_root / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(48)
    if not archive_root.is_dir():
        return key  # no archive yet: a key for this process only
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as stream:
        stream.write(key + "\n")
    return key


def base_url_setting(value: str | None) -> str | None:
    """The configured public address (serve --base-url, CONGVAN_BASE_URL), checked once:
    `https://host[:port][/prefix]`, without query or fragment; None or "" for none."""
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"BASE_URL must look like https://host[/prefix], not {value!r}")
    return value.rstrip("/")


def public_url(endpoint: str, *, absolute: bool = False, **values: Any) -> str:
    """A link to hand out: on BASE_URL when one is configured, else relative (`/van-ban/<id>`),
    never built on the Host header a client sent. `absolute` (the help page's curl examples,
    shown only to the one who asked) falls back on the request's own address instead."""
    path = url_for(endpoint, **values)
    base = current_app.config.get("BASE_URL")
    if base:
        return base + path
    return url_for(endpoint, _external=True, **values) if absolute else path
