"""The reader's writes (read, star, mark all read, save a search) on one background thread.

A write may wait for another process's write transaction (an index or a refresh from cron
holds the lock for a fraction of a second per batch): on the UI thread that wait would freeze
the screen. Writes go through one thread, in the order they were asked, so pressing ``r``
twice leaves the article as it was. Results come back as messages (posting never blocks, so a
write finishing while the reader quits cannot deadlock it).
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from textual.message import Message

from reader.store import FeedStore, StoreError
from reader.store.database import translate
from reader.textutil import plural


@dataclass(frozen=True, slots=True)
class Unsaved:
    """What writes hold, for saying what quitting left unsaved: the articles whose read or
    star marks they set, and other changes (a saved search, a feed's full-text switch).
    Articles are counted once however many writes mark them (``r r``, `A y` twice): by
    their ids where known (``ids``: single marks; ``lists``: the id lists of marks of many,
    not copied), else by number (``articles``; ``unknown`` when not even that is known)."""

    articles: int = 0
    ids: frozenset[int] = frozenset()
    lists: tuple[Sequence[int], ...] = ()
    others: int = 0
    unknown: bool = False

    def __add__(self, other: Unsaved) -> Unsaved:
        return Unsaved(
            self.articles + other.articles,
            self.ids | other.ids,
            self.lists + other.lists,
            self.others + other.others,
            self.unknown or other.unknown,
        )

    def __bool__(self) -> bool:
        return bool(self.articles or self.ids or any(self.lists) or self.others or self.unknown)

    @property
    def count(self) -> int:
        """The articles, each once (the known ids merged: a million take about 0.1 s)."""
        if not self.lists:
            return self.articles + len(self.ids)
        if len(self.lists) == 1 and not self.ids:
            return self.articles + len(self.lists[0])
        return self.articles + len(self.ids.union(*self.lists))

    def counted(self) -> Unsaved:
        """The same by number only (kept for the session without the id lists)."""
        return Unsaved(self.count, others=self.others, unknown=self.unknown)

    @property
    def single(self) -> bool:
        """One article's mark or one other change."""
        return not self.unknown and self.count + self.others == 1

    def __str__(self) -> str:
        """What they hold: "516 articles' marks and 1 other change"."""
        parts = []
        n = self.count
        if self.unknown:
            parts.append("the marks of the articles being marked read")
        elif n:
            parts.append("1 article's mark" if n == 1 else f"{n:,} articles' marks")
        if self.others:
            parts.append(plural(self.others, "other change"))
        return " and ".join(parts)


def a_mark(rowid: int) -> Unsaved:
    """The weight of a read or star mark of one article."""
    return Unsaved(ids=frozenset([rowid]))


def marks_of(ids: Sequence[int]) -> Unsaved:
    """The weight of a mark of the articles ``ids`` (kept, not copied)."""
    return Unsaved(lists=(ids,))


A_MARK = Unsaved(articles=1)  # an article's mark, which one not said (``a_mark`` says it)
AN_OTHER = Unsaved(others=1)
# A callable weight is asked when needed (its ids may still be being read): it must answer
# at once, without raising.
Weight = Unsaved | Callable[[], Unsaved]


def weighed(weight: Weight) -> Unsaved:
    """A weight's value."""
    return weight() if callable(weight) else weight


class Left(NamedTuple):
    """What the writes not saved held, by what became of them."""

    unfinished: Unsaved  # not done yet (waiting, or queued behind one that waits)
    dropped: Unsaved  # given up by ``cancel``: never run, or interrupted (rolled back)
    failed: Unsaved  # failed, from the failure asked about on
    reasons: list[str]  # why those failed, in order


@dataclass
class WriteDone(Message):
    """A write finished: ``then(result)`` is to run on the UI thread."""

    then: Callable[[Any], None]
    result: Any


@dataclass
class WriteFailed(Message):
    """A write failed; ``reason`` is one line, ``then()`` (if any) is to run on the UI
    thread."""

    reason: str
    then: Callable[[], None] | None = None


Job = tuple[
    Callable[[FeedStore], Any], Callable[[Any], None] | None, Callable[[], None] | None, int
]


class StoreWriter:
    """A thread that runs store writes one after another and posts their outcome."""

    def __init__(self, store: FeedStore, post: Callable[[Message], object]) -> None:
        self.store = store
        self._post = post
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._unfinished: dict[int, Weight] = {}  # writes asked for and not done, by number
        self._asked = 0  # writes asked for so far (numbers them)
        self._count = threading.Lock()
        self._failures: list[tuple[str, Unsaved]] = []  # why each failed write did, in order
        self._cancelled = threading.Event()
        self._dropped = Unsaved()  # what the writes given up by ``cancel`` held
        self._thread = threading.Thread(target=self._run, name="newsreader-writer", daemon=True)
        self._thread.start()

    def submit(
        self,
        work: Callable[[FeedStore], Any],
        then: Callable[[Any], None] | None = None,
        failed: Callable[[], None] | None = None,
        weight: Weight = A_MARK,
    ) -> None:
        """Run ``work(store)`` after the writes asked before it; then ``then(result)`` on the
        UI thread, or ``failed()`` there if it failed (the failure is said either way).
        ``weight`` is what the write holds, should quitting leave it unsaved."""
        with self._count:
            self._asked += 1
            number = self._asked
            self._unfinished[number] = weight
        self._jobs.put((work, then, failed, number))

    @property
    def unfinished(self) -> int:
        """Writes asked for that are not done yet (waiting for another process's write, or
        queued behind one that is)."""
        return len(self._unfinished)

    def unsaved(self, since: int = 0) -> Left:
        """What the writes not saved held: unfinished, given up, and failed from the
        ``since``-th failure on (those before it were said)."""
        with self._count:
            unfinished = list(self._unfinished.values())
            dropped, failed = self._dropped, self._failures[since:]
        return Left(
            sum(map(weighed, unfinished), Unsaved()),
            dropped,
            sum((weight for _, weight in failed), Unsaved()),
            [reason for reason, _ in failed],
        )

    def lock_wait(self) -> float | None:
        """Seconds the write running now has been waiting for another connection's write
        lock; None when no write waits (none runs, or the one running holds the lock: a
        long write of the reader's own)."""
        thread = self._thread.ident
        return None if thread is None else self.store.db.lock_wait(thread)

    @property
    def failures(self) -> list[str]:
        """Why each write that failed so far did (one line each), in order."""
        with self._count:
            return [reason for reason, _ in self._failures]

    def cancel(self) -> None:
        """Give up the writes not done (the user quits without them): the queued ones are
        not run, and the one running is interrupted, which rolls it back. A write waiting
        for another process's lock is out of reach (SQLite's busy wait does not heed an
        interrupt): ``stop`` then leaves it behind."""
        self._cancelled.set()
        thread = self._thread.ident
        if thread is not None and self.lock_wait() is None:
            self.store.db.interrupt(thread)

    def idle(self, timeout: float = 10.0) -> bool:
        """Wait until every write asked so far is done (tests, and quitting)."""
        done = threading.Event()
        self.submit(lambda _store: done.set(), weight=Unsaved())
        return done.wait(timeout)

    def stop(self, timeout: float = 10.0) -> bool:
        """Finish the queued writes, then end the thread; False if that took longer than
        ``timeout`` (``unfinished`` writes are then left behind: the thread is a daemon)."""
        self._jobs.put(None)
        self._thread.join(timeout)
        if self._thread.is_alive() and self._thread.ident is not None:
            self.store.db.abandon(self._thread.ident)  # the store closes without waiting for it
            return False
        return True

    def _run(self) -> None:
        try:
            while (job := self._jobs.get()) is not None:
                work, then, failed, number = job
                if self._cancelled.is_set():
                    self._done(number, dropped=True)
                    continue
                try:
                    result = work(self.store)
                except Exception as exc:  # a bug must not end the thread either
                    if self._cancelled.is_set():  # interrupted by cancel(): rolled back
                        self._done(number, dropped=True)
                        continue
                    reason = failure_reason(exc, self.store.path)
                    self._done(number, failed=reason)
                    self._post(WriteFailed(reason, failed))
                else:
                    self._done(number)
                    if then is not None:
                        self._post(WriteDone(then, result))
        finally:
            self.store.db.release()

    def _done(self, number: int, dropped: bool = False, failed: str | None = None) -> None:
        """The write ``number`` is no longer unfinished: done, given up or failed (at once,
        so that nothing counts it twice; what it held is kept as a value)."""
        with self._count:
            weight = self._unfinished.pop(number)
            if dropped:
                self._dropped += weighed(weight)
            elif failed is not None:  # (kept by number: no id list kept alive for it)
                self._failures.append((failed, weighed(weight).counted()))


def failure_reason(exc: Exception, path: Path) -> str:
    """One line for an error of the store's work: the store's own words (SQLite's errors
    translated), or a bug's type and message, said rather than hidden."""
    if isinstance(exc, sqlite3.Error):
        exc = translate(exc, path)
    if isinstance(exc, StoreError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
