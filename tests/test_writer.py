"""The reader's writer thread keeps what each write not saved held, for the quit line."""

from __future__ import annotations

import threading
import time
from array import array
from pathlib import Path

from reader.store import FeedStore
from reader.ui.snapshot import IdSnapshot
from reader.ui.writer import AN_OTHER, StoreWriter, Unsaved, a_mark, marks_of

from .conftest import FEEDS, SAMPLE_ARTICLES


def test_what_failed_and_what_was_given_up_are_kept_apart(tmp_path: Path) -> None:
    """A failing write's weight goes to the failures, a cancelled one's to the dropped,
    each once; two marks of one article are one article."""
    with FeedStore(tmp_path / "w.db") as store:
        posted: list[object] = []
        writer = StoreWriter(store, posted.append)
        gate = threading.Event()

        def fail(_store: FeedStore) -> None:
            raise RuntimeError("refused")

        writer.submit(fail, weight=a_mark(1))
        writer.submit(lambda _store: gate.wait(5), weight=Unsaved())  # holds the queue
        writer.submit(lambda _store: None, weight=a_mark(2))
        writer.submit(lambda _store: None, weight=a_mark(2))
        writer.submit(lambda _store: None, weight=AN_OTHER)
        deadline = time.monotonic() + 5
        while not writer.failures:  # (the failing write runs first)
            assert time.monotonic() < deadline
            time.sleep(0.01)
        left = writer.unsaved()
        assert left.failed == Unsaved(1) and left.reasons == ["RuntimeError: refused"]
        assert str(left.unfinished) == "1 article's mark and 1 other change"
        writer.cancel()
        gate.set()
        assert writer.stop(5)
        left = writer.unsaved()
        assert not left.unfinished
        assert str(left.dropped) == "1 article's mark and 1 other change"
        assert writer.unsaved(since=1).failed == Unsaved()  # (the first failure was said)
        assert str(Unsaved(516) + a_mark(1)) == "517 articles' marks"
        # the same articles marked twice (`A y` twice, then `r` on one of them): once each
        both = marks_of(array("q", range(100))) + marks_of(array("q", range(100)))
        assert str(both + a_mark(5)) == "100 articles' marks"
        assert str((both + a_mark(500)).counted()) == "101 articles' marks"


def test_a_snapshots_weight_is_its_ids_once_read(tmp_path: Path) -> None:
    """A mark of many articles weighs the ids read, or the count the question showed while
    they are not, or an unknown number: never nothing."""
    with FeedStore(tmp_path / "s.db") as store:
        store.index([str(FEEDS)])
        snapshot = IdSnapshot(store, "is:unread")
        snapshot.ids()
        assert snapshot.weight(3)().count == SAMPLE_ARTICLES
        pending = IdSnapshot.__new__(IdSnapshot)  # (one whose read has not ended)
        pending._done, pending._error, pending._ids = threading.Event(), None, ()
        assert pending.weight(7)() == Unsaved(7)
        unknown = pending.weight(None)()
        assert unknown and not unknown.single
        assert str(unknown) == "the marks of the articles being marked read"
