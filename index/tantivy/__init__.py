"""The tantivy engine (index.backend.SearchBackend)."""

from .engine import TantivyIndex

__all__ = ["TantivyIndex"]
