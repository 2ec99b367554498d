"""The feed store: loaders, SQLite schema, indexing and queries. No UI imports here.

The names below are loaded on first use (PEP 562), so that importing one module of the store
(``reader.store.sources.dated_text`` to decode a text, ``reader.store.query`` to check a
query) does not load all of it: ``newsreader entities`` starts faster.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "ArticleGone": "reader.store.database",
    "Change": "reader.store.database",
    "DamagedDatabase": "reader.store.database",
    "DatabaseBusy": "reader.store.database",
    "DiskFull": "reader.store.database",
    "NewerDatabase": "reader.store.database",
    "NoDatabase": "reader.store.database",
    "NotADatabase": "reader.store.database",
    "ReadOnlyDatabase": "reader.store.database",
    "Stopped": "reader.store.database",
    "StoreError": "reader.store.database",
    "Superseded": "reader.store.database",
    "QueryError": "reader.store.query",
    "FeedStore": "reader.store.store",
    "Subscribed": "reader.store.store",
    "AmbiguousName": "reader.store.subscriptions",
    "background_priority": "reader.store.workers",
    "NotSubscribed": "reader.store.subscriptions",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'reader.store' has no attribute {name!r}")


if TYPE_CHECKING:
    from reader.store.database import (
        ArticleGone as ArticleGone,
    )
    from reader.store.database import (
        Change as Change,
    )
    from reader.store.database import (
        DamagedDatabase as DamagedDatabase,
    )
    from reader.store.database import (
        DatabaseBusy as DatabaseBusy,
    )
    from reader.store.database import (
        DiskFull as DiskFull,
    )
    from reader.store.database import (
        NewerDatabase as NewerDatabase,
    )
    from reader.store.database import (
        NoDatabase as NoDatabase,
    )
    from reader.store.database import (
        NotADatabase as NotADatabase,
    )
    from reader.store.database import (
        ReadOnlyDatabase as ReadOnlyDatabase,
    )
    from reader.store.database import (
        Stopped as Stopped,
    )
    from reader.store.database import (
        StoreError as StoreError,
    )
    from reader.store.database import (
        Superseded as Superseded,
    )
    from reader.store.query import QueryError as QueryError
    from reader.store.store import FeedStore as FeedStore
    from reader.store.store import Subscribed as Subscribed
    from reader.store.subscriptions import (
        AmbiguousName as AmbiguousName,
    )
    from reader.store.subscriptions import (
        NotSubscribed as NotSubscribed,
    )
    from reader.store.workers import background_priority as background_priority
