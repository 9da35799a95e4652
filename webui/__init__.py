"""The web UI (Vietnamese) and JSON API over the archive's catalog and search index.

`create_app` loads on first use (PEP 562), so that `congvan user add` can hash a password
(webui.passwords) without loading Flask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name != "create_app":
        raise AttributeError(f"module 'webui' has no attribute {name!r}")
    from .app import create_app

    return create_app
