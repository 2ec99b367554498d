"""The floor under the store: one SQLite file, its connections, transactions and migrations.

Everything that touches SQLite goes through a ``Database``: indexing, refresh, entity
extraction and the ``FeedStore`` API alike. Pitfalls this module handles, so nobody else has to:

- **Never damage what is not ours.** A path is checked before SQLite sees it: a folder, or a
  file that does not start with SQLite's header, is refused with a one-line error and left
  byte-for-byte untouched (SQLite would otherwise create ``-wal``/``-shm`` files beside it or,
  for an empty file, turn it into a database).
- **Only writers create.** Opening with ``create=False`` (search, show, feeds…) never makes a
  file or a folder; a missing database is ``NoDatabase``.
- **Autocommit, explicit transactions.** Connections use ``isolation_level=None``; writes go
  through ``transaction()``, which starts with ``BEGIN IMMEDIATE``: the write lock is taken at
  the start, so two writers queue on the busy timeout instead of deadlocking when a read
  transaction tries to upgrade (SQLite answers that with an immediate ``SQLITE_BUSY``).
- **WAL.** Readers never block the writer and the writer never blocks readers; writers wait
  for each other up to ``BUSY_TIMEOUT``. Write transactions are kept short (a batch of files,
  a group of feeds, one batch of extracted entities) so that a reader that writes a little
  (marking an article read) waits a fraction of a second at most.
- **Rollback only what is open.** An interruption (Ctrl-C, ``close()``) can land after
  ``COMMIT`` succeeded; rolling back then fails with "no transaction is active". ``transaction``
  rolls back only when one is open.
- **Closing under a worker.** Closing a connection while another thread is inside it crashes
  the process; ``close()`` asks background operations to stop, interrupts their statements and
  waits for them before closing anything. A statement waiting for another process's write lock
  is deaf to an interrupt: ``transaction`` waits for the lock in short slices and gives up
  (``Stopped``, nothing begun) as soon as the store is closing, its thread's connection was
  left out of the close (``abandon``), or a worker process's stop flag is raised
  (``stop_with``), so a close never waits for another process's transaction.
- **Read-only places.** A read-only database in a read-only folder cannot create the WAL's
  ``-shm`` file; it is then opened immutable (read-only, nothing written).
- **Errors in words.** SQLite's exceptions become ``StoreError`` subclasses whose message is
  one line naming the file (damaged, read-only, disk full, busy), see ``translate``.
"""

from __future__ import annotations

import contextlib
import enum
import os
import sqlite3
import stat
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from reader.store.schema import MIGRATIONS
from reader.textutil import os_reason

HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT = 30.0  # seconds a writer waits for another writer before giving up
CLOSE_WAIT = 30.0  # seconds close() waits for a background operation to notice and stop
# A writer waits for another connection's write lock in slices of SQLite's busy wait this long,
# asking between two whether to stop: SQLite's wait heeds neither an interrupt nor anything
# else, and the reader quitting waited up to BUSY_TIMEOUT for its extraction (blank screen).
LOCK_POLL = 0.1
# Page cache per connection; bulk writers raise it for their run. The reader holds one
# connection per thread of its pool (up to six): at 8 MiB each, typing over 100,000 articles
# filled them to 65 MiB more than at 2 MiB, for no measurable gain in a search or a count
# (the file's pages stay in the system's cache).
CACHE_KIB = 2048
APPLICATION_ID = 0x6E727372  # "nrsr": marks a file as a newsreader database

R = TypeVar("R", bound=NamedTuple)


class Change(enum.Flag):
    """What a write transaction changes, for the counts kept across changes
    (``reader.store.counts``). A transaction's kinds add up as its parts say them."""

    NONE = 0
    """Nothing a count depends on (a fetch's state); the writer says more with ``note``."""
    MARKS = enum.auto()
    """Read and starred marks; the caller logs the read marks it changed."""
    ADDED = enum.auto()
    """New articles only; the caller logs them (``counts.log_added``)."""
    ENTITIES = enum.auto()
    """Mentions and entities only: counts of ``entity:`` queries start again."""
    CONTENT = enum.auto()
    """Anything else: articles, their text, feeds. Every kept count starts again."""


# -- errors -----------------------------------------------------------------------------------
class StoreError(Exception):
    """A problem with the store (its file, or what was asked of it), as one line for the
    user."""

    exit_code = 1


class NotADatabase(StoreError):
    """The path is a folder, or a file that is not a newsreader database."""

    exit_code = 2


class NoDatabase(StoreError):
    """No database at that path, and the command only reads."""

    exit_code = 2


class DamagedDatabase(StoreError):
    """SQLite reports the file as malformed or truncated."""


class ReadOnlyDatabase(StoreError):
    """The file or its folder cannot be written."""


class DiskFull(StoreError):
    """The disk (or the database's size limit) is full."""


class DatabaseBusy(StoreError):
    """Another process kept the write lock for longer than the busy timeout."""


class ArticleGone(StoreError):
    """The article asked for is no longer in the store (its feed was removed meanwhile)."""


class NewerDatabase(StoreError):
    """The file was written by a newer newsreader."""

    exit_code = 2


class Stopped(Exception):
    """A background operation gave up because the store is closing; what it committed stays."""


class Superseded(Exception):
    """A read was interrupted (``Database.interrupt``): its caller no longer wants it."""


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    """Put the database in WAL mode, waiting up to ``BUSY_TIMEOUT`` for other connections.

    Two processes opening a new file at once both switch it: SQLite answers the second
    switch with an immediate ``database is locked`` (the busy handler is not called for a
    change of journal mode), so the switch is retried here.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT
    pause = 0.005
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            if conn.execute("PRAGMA journal_mode=WAL").fetchone()[0] != "wal":
                return  # declined without an error (a VFS without shared memory): carry on
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)


def translate(exc: sqlite3.Error, path: Path) -> StoreError:
    """The ``StoreError`` for an SQLite exception, with a message in plain words."""
    text = str(exc).lower()
    if "malformed" in text or "not a database" in text or "disk i/o error" in text:
        return DamagedDatabase(
            f"{path}: the database is damaged ({exc}); `newsreader index --rebuild --db {path}` "
            "rebuilds it, keeping what can still be read (articles, read and starred state, "
            "subscriptions)"
        )
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDatabase(f"{path}: the database is read-only; nothing was changed")
    if "disk is full" in text or "database or disk is full" in text or "full" in text:
        return DiskFull(
            f"{path}: the disk is full; free some space and run again "
            "(everything committed so far is kept)"
        )
    if "locked" in text or "busy" in text:
        return DatabaseBusy(
            f"{path}: another process (a newsreader, or another program with the file "
            f"open) kept the database busy for more than {BUSY_TIMEOUT:g} s; try again"
        )
    if "unable to open" in text:
        return ReadOnlyDatabase(f"{path}: cannot open the database file ({exc})")
    return StoreError(f"{path}: database error: {exc}")


# -- rows -------------------------------------------------------------------------------------
def columns(row_type: type[NamedTuple], alias: str = "") -> str:
    """The SELECT list for a row type whose fields are named after columns."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(f'{prefix}"{name}"' for name in row_type._fields)


def fetch_all(
    conn: sqlite3.Connection, row_type: type[R], sql: str, params: Sequence[Any] = ()
) -> list[R]:
    """Rows of a query as named tuples of ``row_type`` (field order = column order)."""
    make = row_type._make
    return [make(row) for row in conn.execute(sql, params)]


def fetch_one(
    conn: sqlite3.Connection, row_type: type[R], sql: str, params: Sequence[Any] = ()
) -> R | None:
    """The first row of a query as a ``row_type``, or None."""
    row = conn.execute(sql, params).fetchone()
    return None if row is None else row_type._make(row)


def chunks(seq: Sequence[Any], size: int = 500) -> Iterator[list[Any]]:
    """``seq`` in lists of at most ``size`` (SQLite caps the number of ``?`` per statement)."""
    for i in range(0, len(seq), size):
        yield list(seq[i : i + size])


STEPS_KEEP = 10_000  # generations since the log's base; more start a new log (a content change)


def new_generation(conn: sqlite3.Connection, change: Change = Change.CONTENT) -> None:
    """Start a new generation for a write transaction that made ``change`` (inside it; see
    ``reader.store.counts``): any content change empties the log, kept counts start again;
    added articles stay in the log; new mentions restart the counts of entity queries. A
    generation moved by an older version (``own`` behind ``n``) counts as a content change.
    Each generation gets a random token in ``steps``. Marks move no generation, only the
    ``marks`` counter (``counts.changed_between``)."""
    if Change.MARKS in change:
        conn.execute("UPDATE generation SET marks = marks + 1")
    if Change.CONTENT not in change:
        n, own, base = conn.execute("SELECT n, own, base FROM generation").fetchone()
        if own != n or n - base >= STEPS_KEEP:  # an older version's change; a long history
            change = Change.CONTENT
    if Change.CONTENT in change:
        conn.execute("UPDATE generation SET n = n + 1, base = n + 1, entities = n + 1, own = n + 1")
        conn.execute("DELETE FROM read_log")
        conn.execute("DELETE FROM steps")
    elif Change.ENTITIES in change:
        conn.execute("UPDATE generation SET n = n + 1, entities = n + 1, own = n + 1")
    elif Change.ADDED in change:
        conn.execute("UPDATE generation SET n = n + 1, own = n + 1")
    else:
        return
    conn.execute("INSERT OR REPLACE INTO steps SELECT n, random() FROM generation")


def marks(n: int) -> str:
    """``?, ?, ?`` for ``n`` parameters."""
    return ",".join("?" * n)


# -- the database -----------------------------------------------------------------------------
# The database files this process has connections to, by (device, inode), and how many.
# Closing any descriptor of a file releases every POSIX lock the process holds on it, SQLite's
# included; another process closing its last connection then takes the file for unused and
# deletes its -wal and -shm under ours ("disk I/O error"). So a file held here is never opened
# by hand (``check_path``): SQLite has already read its header.
_HELD: Counter[tuple[int, int]] = Counter()
_HELD_LOCK = threading.Lock()


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def held_here(path: Path) -> bool:
    """Whether a connection of this process has the file open."""
    key = _file_key(path)
    with _HELD_LOCK:
        return key is not None and _HELD[key] > 0


def check_file_kind(path: Path) -> None:
    """Refuse a folder, a device, a pipe or a socket as a database file (a missing path is
    no concern here)."""
    if path.is_dir():
        raise NotADatabase(f"{path}: is a folder, not a database file (--db names a file)")
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing, or not readable: the caller says which
    if not stat.S_ISREG(mode):  # /dev/null: never rebuilt into a regular file in its place
        raise NotADatabase(f"{path}: is not a regular file (a device, a pipe?), not a database")


WAL_KEEP_BYTES = 8 << 20  # the size a WAL file is kept at between writes (journal_size_limit)
_SHM_DMS = 128  # the byte of the -shm file every SQLite connection to a WAL database locks


def open_elsewhere(path: Path) -> bool:
    """Whether another process has this WAL database open (POSIX: SQLite's unix VFS holds a
    shared lock on one byte of the ``-shm`` file for as long as a connection is open).

    Only asked when this process has no connection to it (closing the descriptor opened here
    would release this process's own SQLite locks on that file). False where it cannot be
    told (other systems than 64-bit Linux, no ``-shm`` file).
    """
    if not (sys.platform.startswith("linux") and sys.maxsize > 2**32):
        return False  # the layout of struct flock below is 64-bit Linux's
    import fcntl
    import struct

    try:  # (SQLite puts the -shm file beside the file a link names)
        fd = os.open(os.path.realpath(path) + "-shm", os.O_RDONLY)
    except OSError:
        return False
    try:
        # F_GETLK: would a write lock on that byte be refused, and by whom (no lock taken)
        query = struct.pack("hhllhh", fcntl.F_WRLCK, os.SEEK_SET, _SHM_DMS, 1, 0, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
        return struct.unpack("hhllhh", answer)[0] != fcntl.F_UNLCK
    except OSError:
        return False
    finally:
        os.close(fd)


def rebuild_marker(path: Path) -> Path:
    """The file a rebuild of ``path`` holds locked (``flock``) while it runs: beside the
    database, named after the file a link names."""
    return Path(os.path.realpath(path) + ".rebuilding")


def rebuild_copy(path: Path) -> Path:
    """Where a rebuild of ``path`` makes the new database before it takes the file's name."""
    return Path(os.path.realpath(path) + ".rebuild-new")


def rebuilding(path: Path) -> bool:
    """Whether a rebuild of this database is running in some process: its marker exists and
    is locked. What a rebuild that was killed left (its unlocked marker, its half-made copy)
    is removed, under the marker's lock."""
    try:
        import fcntl
    except ImportError:  # not POSIX: rebuilds are not marked
        return False
    marker = rebuild_marker(path)
    try:
        fd = os.open(marker, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # (a rebuild holds it exclusively)
    except OSError:
        os.close(fd)
        return True
    try:
        # (another process opening it holds it shared a moment: then its leftovers stay)
        with contextlib.suppress(OSError):  # (or a read-only folder: left as it is)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            copy = rebuild_copy(path)
            for suffix in ("-wal", "-shm", ""):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
            marker.unlink()
    finally:
        os.close(fd)  # (the lock goes with it)
    return False


def check_path(path: Path, create: bool) -> bool:
    """Refuse a path that is not (and must not become) a database; True if the file exists.

    Nothing is written here. A zero-length file counts as a new database (SQLite's own view).
    """
    check_file_kind(path)
    if held_here(path):
        return True  # open here already: reading it by hand would release SQLite's locks
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(HEADER))
    except FileNotFoundError:
        if not create:
            raise NoDatabase(f"{path}: no database there yet") from None
        return False
    except IsADirectoryError:
        raise NotADatabase(f"{path}: is a folder, not a database file") from None
    except PermissionError:
        raise ReadOnlyDatabase(f"{path}: permission denied") from None
    except OSError as exc:
        raise NotADatabase(f"{path}: cannot read it ({os_reason(exc)})") from None
    if head and head != HEADER:
        raise NotADatabase(f"{path}: not a database (it does not start like an SQLite file)")
    return bool(head)


class Database:
    """One newsreader SQLite file, shared by the threads of one process.

    Each thread gets its own connection on first use. ``create=False`` opens only an existing
    database. Migrations run on open, each in its own transaction.
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = Path(path)
        exists = check_path(self.path, create)
        if not exists:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ReadOnlyDatabase(
                    f"{self.path}: cannot create its folder ({os_reason(exc)})"
                ) from None
            if not os.access(self.path.parent, os.W_OK | os.X_OK):  # SQLite would only say
                raise ReadOnlyDatabase(  # "unable to open database file"
                    f"{self.path}: cannot create the database: its folder is not writable"
                )
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._by_thread: dict[int, sqlite3.Connection] = {}
        self._interrupted: set[int] = set()  # threads whose reads were interrupted
        self._lock_waits: dict[int, float] = {}  # thread → when its BEGIN IMMEDIATE began
        self._serial = 0  # connections made so far
        self._stopping = threading.Event()
        self._active = 0  # background operations running (index, refresh, extraction)
        self._idle = threading.Condition(self._lock)
        self._stop_flag: Callable[[], bool] | None = None  # see stop_with
        self._on_wait: tuple[float, Callable[[], None]] | None = None  # see when_waiting
        self.immutable = False
        self._generations = False  # the schema has them (after the migrations)
        self._key: tuple[int, int] | None = None  # the file's, in _HELD
        try:
            self._check_ours(exists)
            self._check_not_rebuilding(exists)
            self._migrate()
            self._generations = True
        except sqlite3.Error as exc:
            self.close()
            raise translate(exc, self.path) from None
        except StoreError:
            self.close()
            raise

    # -- connections -------------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (autocommit; writes go through ``transaction``)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            self._hold(1)
            with self._lock:
                self._interrupted.discard(threading.get_ident())
                self._serial += 1
                self._local.serial = self._serial
                self._connections.append(conn)
                self._by_thread[threading.get_ident()] = conn
        return conn

    def _hold(self, change: int) -> None:
        """Count a connection opened (1) or closed (-1) in ``_HELD``."""
        if self._key is None:
            self._key = _file_key(self.path)
            if self._key is None:
                return
        with _HELD_LOCK:
            _HELD[self._key] += change
            if _HELD[self._key] <= 0:
                del _HELD[self._key]

    def serial(self) -> int:
        """This thread's connection's serial number (a new connection gets a new one)."""
        _ = self.conn  # opens it if needed: the serial is given on opening
        return int(getattr(self._local, "serial", 0))

    def stamp(self) -> tuple[int, int, int]:
        """What this thread's connection has seen: (the connection's serial number, its
        ``data_version``, its own changes). Equal stamps mean no change, on that connection;
        the serial tells a new connection from a closed one that had the same address."""
        conn = self.conn
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        return (self.serial(), version, conn.total_changes)

    def forget_interrupt(self) -> None:
        """A new read starts on this thread: an interruption meant for an earlier one (its
        thread reused from a pool) says nothing about it."""
        with self._lock:
            self._interrupted.discard(threading.get_ident())

    def was_interrupted(self) -> bool:
        """True if ``interrupt`` reached this thread's connection (its reads are no longer
        wanted): whatever error its statements raised is that interruption."""
        with self._lock:
            return threading.get_ident() in self._interrupted

    def _connect(self) -> sqlite3.Connection:
        if self.immutable:
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT
        )
        try:
            conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
            _switch_to_wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")
            # a WAL grown by a long write (an index run lets it reach about 80 MiB) is cut
            # back to this when it starts again from the beginning
            conn.execute(f"PRAGMA journal_size_limit={WAL_KEEP_BYTES}")
            conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            conn.execute("PRAGMA temp_store=MEMORY")
            conn.execute("PRAGMA foreign_keys=OFF")
        except sqlite3.OperationalError as exc:
            conn.close()
            if "unable to open" in str(exc) or "readonly" in str(exc):
                # A read-only folder cannot hold the WAL index: read the file as it is.
                self.immutable = True
                return self._connect()
            raise
        return conn

    def _check_ours(self, existed: bool) -> None:
        """Refuse an SQLite file that another program made, before anything writes to it
        (switching it to WAL would already change its header)."""
        if not existed:
            return
        try:
            probe = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            return  # cannot even be read this way: the real connection will say why
        try:
            if probe.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
                return
            names = {
                r[0] for r in probe.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.Error:
            return
        finally:
            probe.close()
        if names and not {"articles", "files"} <= names:
            raise NotADatabase(
                f"{self.path}: an SQLite database of another program, not newsreader's"
            )

    def _check_not_rebuilding(self, existed: bool) -> None:
        """Refuse a file another process is rebuilding (``--rebuild``): what this one wrote
        would go to the file the rebuild then moves aside. Asked after this connection has
        the file open (SQLite's lock on its ``-shm``), while the rebuild asks whether anyone
        has it open after locking its marker: one of the two always sees the other."""
        if not existed or self.immutable:
            return
        _ = self.conn
        if rebuilding(self.path):
            raise DatabaseBusy(
                f"{self.path}: being rebuilt by another process (--rebuild); run this again "
                "when it has finished"
            )

    def _migrate(self) -> None:
        conn = self.conn
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise NewerDatabase(
                f"{self.path}: written by a newer newsreader (schema {version}; this one knows "
                f"{len(MIGRATIONS)}); upgrade newsreader"
            )
        if version == len(MIGRATIONS):
            return
        if self.immutable:
            raise ReadOnlyDatabase(
                f"{self.path}: written by an older newsreader and read-only, so it cannot be "
                "upgraded"
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction() as tx:
                # Another process may have migrated while we waited for the lock.
                if tx.execute("PRAGMA user_version").fetchone()[0] >= number:
                    continue
                for statement in _statements(script):
                    tx.execute(statement)
                tx.execute(f"PRAGMA user_version = {number}")
                tx.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                if number >= 10:  # counts kept by an older version are not trusted
                    tx.execute("DELETE FROM kept_counts")

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction on this thread's connection: every statement inside it sees
        the database as it was at the first (WAL). Nested use joins the open one."""
        conn = self.conn
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("COMMIT")

    @contextmanager
    def transaction(self, change: Change = Change.CONTENT) -> Iterator[sqlite3.Connection]:
        """A write transaction on this thread's connection: BEGIN IMMEDIATE … COMMIT.

        It waits up to ``BUSY_TIMEOUT`` for another writer. Any exception (an interruption
        included) rolls back what this transaction did and propagates. Nested use joins the
        open transaction. ``change`` says what it changes (``note`` adds to it); unless that is
        only marks, it starts a new generation (``new_generation``).
        """
        conn = self.conn
        if conn.in_transaction:
            self._local.change |= change
            yield conn
            return
        # BEGIN IMMEDIATE is where a writer waits for another connection's write lock (WAL:
        # nothing after it does): marked, so that a wait is told from a long write
        # (``lock_wait``).
        thread = threading.get_ident()
        with self._lock:
            self._lock_waits[thread] = time.monotonic()
        given_up = False
        try:
            if getattr(self._local, "no_wait", False):
                conn.execute("BEGIN IMMEDIATE")  # (try_transaction: no busy wait at all)
            else:
                self._begin(conn)
        finally:
            with self._lock:
                self._lock_waits.pop(thread, None)
                # The lock came free within the last slice of the wait, after the wait was
                # given up (``abandon`` decides under this lock): nothing is written.
                given_up = conn.in_transaction and self._told_to_stop(conn)
        if given_up:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise Stopped
        self._local.change = change
        try:
            yield conn
            if self._generations:
                new_generation(conn, self._local.change)
        except BaseException:
            if conn.in_transaction:
                # An interrupted or closed connection has rolled back already.
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def try_transaction(self, change: Change = Change.CONTENT) -> Iterator[sqlite3.Connection]:
        """``transaction``, but without waiting for another writer: ``sqlite3.OperationalError``
        at once when the database is busy (or read-only) — for writes that may be skipped."""
        if self.immutable:
            raise sqlite3.OperationalError("read-only")
        conn = self.conn
        conn.execute("PRAGMA busy_timeout = 0")
        self._local.no_wait = True
        try:
            with self.transaction(change) as tx:
                self._local.no_wait = False  # (a transaction nested in it waits as usual)
                yield tx
        finally:
            self._local.no_wait = False
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")

    def _begin(self, conn: sqlite3.Connection) -> None:
        """``BEGIN IMMEDIATE``, waiting up to ``BUSY_TIMEOUT`` for another connection's write
        lock in slices of ``LOCK_POLL``; ``Stopped`` (no transaction begun) as soon as
        ``_told_to_stop`` between two slices. The connection's own busy timeout stays
        ``BUSY_TIMEOUT`` for every other statement."""
        started = time.monotonic()
        deadline = started + BUSY_TIMEOUT
        on_wait = self._on_wait
        conn.execute(f"PRAGMA busy_timeout = {int(LOCK_POLL * 1000)}")
        try:
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or conn.in_transaction:
                        raise
                    with self._lock:
                        stop = self._told_to_stop(conn)
                    if stop:
                        raise Stopped from None
                    now = time.monotonic()
                    if now >= deadline:
                        raise
                    if on_wait is not None and now - started >= on_wait[0]:
                        on_wait[1]()
                        on_wait = None
        finally:
            with contextlib.suppress(sqlite3.Error):
                conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")

    def _told_to_stop(self, conn: sqlite3.Connection) -> bool:
        """Whether a wait for the write lock on ``conn`` is to end (asked holding ``_lock``):
        the store is closing, the connection is no longer the store's (``abandon``, or a
        ``close`` that went on without it), or the flag of ``stop_with`` is raised."""
        if self._stopping.is_set() or (self._stop_flag is not None and self._stop_flag()):
            return True
        return conn not in self._connections

    def stop_with(self, flag: Callable[[], bool]) -> None:
        """Also end waits for the write lock once ``flag()`` is true: a worker process's
        database, whose parent stops it by a flag (``close()`` of the parent cannot reach it).
        Its long operations check the flag themselves."""
        self._stop_flag = flag

    def when_waiting(self, after: float, tell: Callable[[], None]) -> None:
        """Call ``tell()`` once a wait for another connection's write lock has lasted
        ``after`` seconds (once per wait; the wait goes on): the command line says why it
        has gone quiet."""
        self._on_wait = (after, tell)

    def note(self, change: Change) -> None:
        """Add ``change`` to what the open write transaction of this thread changes."""
        if not self.conn.in_transaction:
            raise RuntimeError("note() outside a transaction")
        self._local.change |= change

    def lock_wait(self, thread: int) -> float | None:
        """Seconds that thread has been waiting to begin a write transaction (another
        connection holds the write lock); None when it is not beginning one, so a long
        write of its own, which holds the lock, is never taken for a wait."""
        with self._lock:
            since = self._lock_waits.get(thread)
        return None if since is None else time.monotonic() - since

    def longest_lock_wait(self) -> float | None:
        """Seconds the longest-waiting thread of this store has been waiting to begin a
        write transaction; None when none is waiting."""
        with self._lock:
            since = min(self._lock_waits.values(), default=None)
        return None if since is None else time.monotonic() - since

    def release(self) -> None:
        """Close the calling thread's connection (a worker thread about to end): connections
        are per thread, and a thread that will not come back must not leave one behind."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            with self._lock:
                self._interrupted.discard(threading.get_ident())
            return
        self._local.conn = None
        with self._lock:
            if conn in self._connections:
                self._connections.remove(conn)
                self._hold(-1)
            if self._by_thread.get(threading.get_ident()) is conn:
                del self._by_thread[threading.get_ident()]
            self._interrupted.discard(threading.get_ident())
        with contextlib.suppress(sqlite3.Error):
            conn.close()

    def interrupt(self, thread: int) -> None:
        """Interrupt the statement running on that thread's connection, if any (a search
        that a newer one replaced): it raises ``sqlite3.OperationalError`` there, which the
        store's reads turn into ``Superseded``. Only reads may be interrupted this way."""
        with self._lock:
            conn = self._by_thread.get(thread)
            if conn is not None:
                self._interrupted.add(thread)
                with contextlib.suppress(sqlite3.Error):
                    conn.interrupt()

    # -- stopping and closing ----------------------------------------------------------------
    @property
    def stopping(self) -> bool:
        """True once ``close()`` has asked background operations to stop."""
        return self._stopping.is_set()

    def check_open(self) -> None:
        """Raise ``Stopped`` when the store is being closed (long operations call this often)."""
        if self._stopping.is_set():
            raise Stopped

    @contextmanager
    def background(self) -> Iterator[None]:
        """Run a long operation that ``close()`` waits for; it ends quietly when stopped."""
        with self._lock:
            self._active += 1
        try:
            yield
        except (Stopped, sqlite3.OperationalError, sqlite3.ProgrammingError):
            if not self._stopping.is_set():
                raise
        finally:
            with self._lock:
                self._active -= 1
                self._idle.notify_all()

    def abandon(self, thread: int) -> None:
        """Leave a thread's connection out of ``close()``: the thread is stuck waiting for
        another process's write lock (closing its connection would wait as long), and the
        process is ending. SQLite rolls back what it had not committed."""
        with self._lock:
            conn = self._by_thread.pop(thread, None)
            if conn is not None and conn in self._connections:
                self._connections.remove(conn)
                self._hold(-1)

    @property
    def writable(self) -> bool:
        """Whether this process may write the file (False: a read-only file or folder)."""
        if self.immutable:
            return False
        return os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK | os.X_OK)

    def close(self) -> None:
        """Stop background operations (interrupting their statements), then close every
        connection. The database can be used again afterwards: connections reopen."""
        self._stopping.set()
        with self._lock:
            mine = getattr(self._local, "conn", None)
            for conn in self._connections:
                if conn is not mine:
                    conn.interrupt()
            self._idle.wait_for(lambda: self._active == 0, timeout=CLOSE_WAIT)
            for conn in self._connections:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
                self._hold(-1)
            self._connections.clear()
            self._by_thread.clear()
            self._interrupted.clear()
        self._local = threading.local()
        self._stopping.clear()

    def changes_elsewhere(self, since: int | None) -> tuple[bool, int]:
        """Whether another connection committed since the ``data_version`` ``since``.

        Writers keep caches (free article ids, entity ids) across their own transactions and
        drop them when another process wrote in between.
        """
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        return since is not None and version != since, version


def _statements(script: str) -> Iterable[str]:
    """The statements of a migration script (``;``-separated, no ``;`` inside literals)."""
    buffer = ""
    for line in script.splitlines():
        stripped = line.split("--", 1)[0]
        buffer += stripped + "\n"
        if stripped.rstrip().endswith(";") and sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()
