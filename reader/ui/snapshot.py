"""The ids a question is about, read when it is asked (mark all read: "Mark the 50 articles
listed read?"), so that articles that come in while it is on screen are not marked with them.

The read runs at once on a thread of its own, with its own connection: not on the UI thread
(a million ids take most of a second) and not behind the writes queued on the writer's
thread (one of them may wait up to the busy timeout for another process's lock, and the
articles that process adds meanwhile would be read too).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from reader.store import FeedStore
from reader.ui.writer import Unsaved, marks_of

WAIT = 120.0  # seconds the marking waits for the read (a million ids: under a second)


class IdSnapshot:
    """The ids ``store`` finds for ``query``, being read from the moment it is made."""

    def __init__(self, store: FeedStore, query: str) -> None:
        self._ids: Sequence[int] = ()
        self._error: Exception | None = None
        self._done = threading.Event()
        threading.Thread(
            target=self._read, args=(store, query), name="newsreader-snapshot", daemon=True
        ).start()

    def _read(self, store: FeedStore, query: str) -> None:
        try:
            self._ids = store.search_id_array(query)
        except Exception as exc:  # raised to whoever uses the ids (the writer says it)
            self._error = exc
        finally:
            store.db.release()  # this thread's connection
            self._done.set()

    def ids(self) -> Sequence[int]:
        """The ids, once read; raises what the read raised."""
        if not self._done.wait(WAIT):
            raise TimeoutError(f"reading the articles to mark took over {WAIT:g} s")
        if self._error is not None:
            raise self._error
        return self._ids

    def weight(self, counted: int | None) -> Callable[[], Unsaved]:
        """What a write of marks on these ids holds: as many articles as were read, else
        ``counted`` (the count the question showed), else an unknown number."""

        def weigh() -> Unsaved:
            if self._done.is_set() and self._error is None:
                return marks_of(self._ids)
            return Unsaved(counted) if counted is not None else Unsaved(unknown=True)

        return weigh
