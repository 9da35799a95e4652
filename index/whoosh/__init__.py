"""The Whoosh engine (index.backend.SearchBackend). Importing it corrects Whoosh's posting
reader (fixes.py), so the correction comes with the engine and with nothing else."""

from . import fixes
from .engine import WhooshIndex

fixes.apply()

__all__ = ["WhooshIndex"]
