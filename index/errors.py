"""Errors of the search index (messages in Vietnamese: the UI shows them as they are)."""

from __future__ import annotations

from ingest.errors import MachineError, UsageError


class QueryError(UsageError):
    """A malformed query; `str()` tells the user what to fix."""


class IndexOutdated(MachineError):
    """The index was built with another schema version and must be rebuilt from the catalog."""
