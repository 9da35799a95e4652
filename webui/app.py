"""The Flask application factory: configuration, resources, errors, headers and blueprints."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask

from index import engine_name

from . import (
    api,
    auth,
    document_views,
    errors,
    list_views,
    resources,
    search_views,
    security,
    upload_views,
)
from .formatting import init_app as init_formatting

log = logging.getLogger(__name__)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the web UI for the archive named by CONGVAN_ARCHIVE (or `test_config["ARCHIVE"]`),
    searched with the engine CONGVAN_ENGINE names (or `test_config["ENGINE"]`; Whoosh if none).
    CONGVAN_BASE_URL (BASE_URL) is the public address links are built on; CONGVAN_SECURE_COOKIES
    (SESSION_COOKIE_SECURE) sends the session cookie over HTTPS only; SESSION_LIFETIME_SECONDS
    and SESSION_IDLE_SECONDS bound a login (webui.auth)."""
    app = Flask(__name__)
    app.config["ARCHIVE"] = os.environ.get("CONGVAN_ARCHIVE", "archive")
    app.config["ENGINE"] = os.environ.get("CONGVAN_ENGINE")
    app.config["BASE_URL"] = os.environ.get("CONGVAN_BASE_URL")  # links on it, not on Host
    secure = os.environ.get("CONGVAN_SECURE_COOKIES", "").strip().lower()
    app.config["SESSION_COOKIE_SECURE"] = secure in ("1", "true", "yes", "on")  # HTTPS only
    if test_config:
        app.config.update(test_config)
    # Absolute once, here: send_file resolves a relative path against the package folder.
    app.config["ARCHIVE"] = os.path.abspath(app.config["ARCHIVE"])
    app.config["ENGINE"] = engine_name(app.config["ENGINE"])  # a wrong name fails here, once
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = security.secret_key_for(Path(app.config["ARCHIVE"]))
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    for module in (resources, errors, security):
        module.init_app(app)
    init_formatting(app)
    for blueprint_module in (search_views, document_views, list_views, api):
        app.register_blueprint(blueprint_module.bp)
    auth.init_app(app)
    upload_views.init_app(app)
    return app
