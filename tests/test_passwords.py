"""Staff passwords are hashed at a real Argon2id cost (the other tests lower it: conftest)."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters

from webui import passwords

pytestmark = pytest.mark.real_password_cost


def test_passwords_are_hashed_at_least_at_owasp_s_argon2id_minimum():
    stored = passwords.hash_password("mat-khau-du-dai")
    parameters = extract_parameters(stored)
    assert stored.startswith("$argon2id$")
    # OWASP's floor for Argon2id: 19 MiB of memory with 2 passes (or more memory, 1 pass).
    assert parameters.memory_cost >= 19 * 1024 and parameters.time_cost >= 2
    assert passwords.password_matches(stored, "mat-khau-du-dai")
    assert not passwords.password_matches(stored, "mat-khau-khac")


def test_the_lowered_cost_stays_inside_the_tests(request):
    # This module keeps the real hasher: the conftest fixture must not have replaced it.
    assert passwords.hasher.memory_cost >= 19 * 1024
