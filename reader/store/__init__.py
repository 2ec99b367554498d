"""The feed store: loaders, SQLite schema, indexing and queries. No UI imports here."""

from reader.store.database import (
    DamagedDatabase,
    DatabaseBusy,
    DiskFull,
    NewerDatabase,
    NoDatabase,
    NotADatabase,
    ReadOnlyDatabase,
    Stopped,
    StoreError,
)
from reader.store.query import QueryError
from reader.store.store import FeedStore, Subscribed
from reader.store.subscriptions import AmbiguousName, NotSubscribed

__all__ = [
    "AmbiguousName",
    "DamagedDatabase",
    "DatabaseBusy",
    "DiskFull",
    "FeedStore",
    "NewerDatabase",
    "NoDatabase",
    "NotADatabase",
    "NotSubscribed",
    "QueryError",
    "ReadOnlyDatabase",
    "Stopped",
    "StoreError",
    "Subscribed",
]
