"""The Flask application factory: configuration, resources, errors, headers and blueprints."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from index import engine_name

from . import (
    admin_views,
    api,
    auth,
    correction_views,
    document_views,
    errors,
    exchange_views,
    list_views,
    register_views,
    resources,
    review_views,
    search_views,
    security,
    task_views,
    upload_views,
)
from .formatting import init_app as init_formatting

log = logging.getLogger(__name__)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the web UI with `config`, which the command builds from its settings
    (congvan.settings.Settings.web_config) and tests write by hand; the app never reads the
    environment. ARCHIVE is the archive (./archive if none), ENGINE the search engine (Whoosh if
    none), BASE_URL the public address links are built on (never the Host header),
    SESSION_COOKIE_SECURE sends the session cookie over HTTPS only, SECRET_KEY signs it (else a
    key kept in the archive); SESSION_LIFETIME_SECONDS and SESSION_IDLE_SECONDS bound a login
    (webui.auth); UPLOAD_QUEUE_SIZE and UPLOAD_RUNNER shape the uploads' background queue
    (webui.upload_views), unless QUEUE, a job queue's PostgreSQL URL, sends uploads to
    `congvan worker`s (webui.queue_views)."""
    app = Flask(__name__)
    app.config["ARCHIVE"] = "archive"
    app.config["ENGINE"] = None
    app.config["BASE_URL"] = None
    app.config["SESSION_COOKIE_SECURE"] = False
    app.config.update(config or {})
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
    for blueprint_module in (search_views, document_views, list_views, review_views, api,
                             exchange_views, admin_views):
        app.register_blueprint(blueprint_module.bp)
    auth.init_app(app)
    correction_views.init_app(app)
    register_views.init_app(app)
    task_views.init_app(app)
    upload_views.init_app(app)
    app.register_blueprint(review_views.api_bp)
    return app
