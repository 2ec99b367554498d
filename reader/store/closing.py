"""How a long store operation learns that the store is being closed under it."""

from __future__ import annotations


class Stopped(Exception):
    """A background operation (index, refresh, entity extraction) gave up because the store
    is closing; what it had committed stays."""
