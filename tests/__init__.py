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

# Temporary trees on a RAM disk when the machine has one with room. The tests make and delete
# tens of thousands of small files (archives, indexes, catalogs); on the build machine's disk
# (ext4 with online discard) deleting them was most of the fast loop's wall time: pytest's
# clean-up of an old run took ~60 s, and 2,000 files of 20 KB took 6.1 s to delete there against
# 0.06 s on /dev/shm. TMPDIR carries it to the processes the tests start.
_RAM_DISK = "/dev/shm"
_ROOM = 6 * 2**30


def _use_ram_disk() -> None:
    import shutil
    import tempfile

    if os.environ.get("CONGVAN_TEST_TMPDIR") == "disk" or not os.path.isdir(_RAM_DISK):
        return
    if not os.access(_RAM_DISK, os.W_OK) or shutil.disk_usage(_RAM_DISK).free < _ROOM:
        return
    root = os.path.join(_RAM_DISK, "congvan-tests")
    os.makedirs(root, exist_ok=True)
    os.environ["TMPDIR"] = root
    tempfile.tempdir = root


_use_ram_disk()
