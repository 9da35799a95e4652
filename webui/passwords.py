"""Staff passwords: Argon2id hashes, and the limits on names and passwords; the digest that
session and API tokens are kept by. Apart from webui.auth so that `congvan user` needs neither
Flask nor the web app."""

from __future__ import annotations

import hashlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

hasher = PasswordHasher()

USERNAME_MAX = 64
PASSWORD_MIN = 8


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


def token_hash(token: str) -> str:
    """What the catalog keeps of a session or API token: its SHA-256, so that a copy of the
    catalog hands out no live token (a token is random: no salt or slow hash needed)."""
    return hashlib.sha256(token.encode()).hexdigest()
