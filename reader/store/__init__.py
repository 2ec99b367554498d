"""The feed store: loaders, SQLite schema, indexing and queries. No UI imports here."""

from reader.store.db import FeedStore
from reader.store.query import QueryError

__all__ = ["FeedStore", "QueryError"]
