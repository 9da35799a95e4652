"""congvan's tests.

This machine (and CI on it) sets PYTHONDONTWRITEBYTECODE. Without a bytecode cache every run
compiles every module and rewrites every test module's asserts again (about half of the
collection's CPU), and so does each `python -m congvan` a test starts. The tests keep one, in
__pycache__ folders that git ignores. This package is imported before any conftest or test
module, so the setting covers them all."""

import os
import sys

sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
