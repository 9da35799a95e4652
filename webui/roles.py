"""What each role may do: reader (search and read), clerk (văn thư: upload, correct, review),
admin (accounts, delete, settings). Each role may do all that the roles before it may.

Flask-free, like webui.passwords, so that the command can name roles without the web app."""

from __future__ import annotations

from ingest.store.catalog import DEFAULT_ROLE, ROLES

__all__ = ["DEFAULT_ROLE", "PERMISSIONS", "ROLES", "ROLE_LABELS", "allows", "role_for"]

ROLE_LABELS = {"reader": "Người đọc", "clerk": "Văn thư", "admin": "Quản trị viên"}

# The least role each action needs; pages ask `can(action)` to hide what a role cannot use.
PERMISSIONS = {
    "read": "reader",
    "export": "reader",
    "upload": "clerk",
    "edit": "clerk",
    "correct": "clerk",
    "review": "clerk",
    "note": "clerk",
    "register": "clerk",
    "link": "clerk",
    "delete": "admin",
    "restore": "admin",
    "purge": "admin",
    "users": "admin",
    "audit": "admin",
    "settings": "admin",
}


def allows(role: str | None, needed: str) -> bool:
    """Whether `role` (None: nobody signed in) may do what `needed` may."""
    if role not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(needed)


def role_for(action: str) -> str:
    """The least role an action needs (KeyError for an action no one declared)."""
    return PERMISSIONS[action]
