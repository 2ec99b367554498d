"""What every command shares: one-line errors, the store a command opens, progress, plurals.

Commands are plain functions ``(args) -> exit status`` decorated with ``uses_store``: it
opens the database named by ``--db`` (or ``NEWSREADER_DB``, or the user data directory)
once, passes it in, closes it, and turns every expected failure into one line on standard
error with the contract's exit code. Nothing here knows any particular command.
"""

from __future__ import annotations

import argparse
import functools
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from reader.config import Config, ConfigError, default_db_path, load_config
from reader.textutil import clean_line
from reader.textutil import plural as plural

if TYPE_CHECKING:
    from reader.model import Extractor
    from reader.store import FeedStore

T = TypeVar("T")

WAIT_TOLD_AFTER = 1.0  # seconds a command waits for another writer before it says so
NAMES_ONE = ("show", "remove", "unsave")  # commands about one thing they name
EMPTY_HINT = (
    "no articles yet: index a folder with `newsreader index FOLDER` or subscribe with "
    "`newsreader add URL`"
)


_fast_exit = False


def exit_fast() -> None:
    """Let the console script leave with ``os._exit`` once the command is done: it has no
    store or worker to clean up, and the interpreter would spend about 60 ms freeing the
    entity word lists' quarter of a million strings one by one."""
    global _fast_exit
    _fast_exit = True


def exits_fast() -> bool:
    """Whether the finished command asked for ``exit_fast``."""
    return _fast_exit


class Failure(Exception):
    """A command's expected failure: one line and an exit status."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def err(message: str) -> None:
    """One line on standard error, prefixed with the program's name. Control characters are
    taken out: a message may quote a server, a feed or a file name (an escape sequence there
    would reach the terminal)."""
    print(f"newsreader: {clean_line(message)}", file=sys.stderr)


def warn(where: str, message: str) -> None:
    """A warning about one file or address; the work goes on (cleaned as ``err``)."""
    print(f"warning: {clean_line(where)}: {clean_line(message)}", file=sys.stderr)


# -- arguments shared by several commands -----------------------------------------------------
def db_arg(p: argparse.ArgumentParser) -> None:
    """``--db FILE``."""
    p.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="FILE",
        help="database file (default: $NEWSREADER_DB, else newsreader.db in the user data "
        "directory)",
    )


def rebuild_arg(p: argparse.ArgumentParser) -> None:
    """``--rebuild``: rebuild a damaged database before the command runs."""
    p.add_argument(
        "--rebuild",
        action="store_true",
        help="rebuild the database first: the file is moved aside, everything that can "
        "still be read is copied into a new one (articles, read and starred state, "
        "subscriptions), then the command runs",
    )


def backend_arg(p: argparse.ArgumentParser) -> None:
    """``--backend``: the entity extractor (default: config ``[entities] backend``)."""
    from reader.entities import BACKENDS

    p.add_argument(
        "--backend",
        choices=BACKENDS,
        default=None,
        help="entity extractor: rules (default) or spacy (pip install '.[nlp]' in the source)",
    )


def config() -> Config:
    """The user's config file (``Failure`` with exit 2 when it is malformed)."""
    try:
        return load_config()
    except ConfigError as exc:
        raise Failure(str(exc), 2) from None


def db_path(args: argparse.Namespace) -> tuple[Path, bool]:
    """The database path and whether the user named it (``--db`` or ``NEWSREADER_DB``)."""
    given = getattr(args, "db", None)
    if given is not None:
        return Path(given), True
    return default_db_path(), bool(os.environ.get("NEWSREADER_DB"))


def named_db_path(args: argparse.Namespace) -> Path:
    """``db_path``, refused (exit 2) when the user named a file whose folder does not exist:
    a mistyped ``--db`` must not create folders. The default's folder is created."""
    path, named = db_path(args)
    if named and not path.exists() and not path.parent.is_dir():
        raise Failure(
            f"{path}: its folder {path.parent} does not exist (create it first, or check the path)",
            2,
        )
    return path


def extractor(args: argparse.Namespace) -> Extractor:
    """The entity extractor named by ``--backend``, else by the config file."""
    name = getattr(args, "backend", None) or config().entities_backend
    from reader.entities import get_extractor

    try:
        return get_extractor(name)
    except (RuntimeError, ValueError) as exc:
        raise Failure(str(exc), 2) from None


@contextmanager
def open_store(args: argparse.Namespace, *, create: bool) -> Iterator[FeedStore]:
    """The store the command line names (``--db``), rebuilt first with ``--rebuild``."""
    from reader.store import FeedStore
    from reader.store.database import BUSY_TIMEOUT

    path = named_db_path(args)
    if getattr(args, "rebuild", False):
        from reader.store.rebuild import rebuild

        report = rebuild(path)
        print(report.summary(), file=sys.stderr)
    chosen = extractor(args) if hasattr(args, "backend") else None  # commands that extract
    with FeedStore(path, create=create, extractor=chosen, ignore=config().ignore) as store:
        told: list[bool] = []

        def waiting() -> None:
            if not told:  # once a command: a long index may wait more than once
                told.append(True)
                err(
                    f"{path}: waiting for another process that is writing to it "
                    f"(up to {BUSY_TIMEOUT:g} s)…"
                )

        store.db.when_waiting(WAIT_TOLD_AFTER, waiting)
        yield store


def uses_store(
    *, create: bool
) -> Callable[[Callable[..., int]], Callable[[argparse.Namespace], int]]:
    """Decorate a command ``(args, store) -> status``: open the store (creating it only when
    ``create``), pass it in, close it afterwards."""

    def decorate(command: Callable[..., int]) -> Callable[[argparse.Namespace], int]:
        @functools.wraps(command)
        def run(args: argparse.Namespace) -> int:
            with open_store(args, create=create) as store:
                return command(args, store)

        return run

    return decorate


def guarded(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command; every expected failure becomes one line and its exit status."""
    try:
        return command(args)
    except Failure as exc:
        err(str(exc))
        return exc.code
    except Exception as exc:
        # the store's exceptions are imported only here: a command that never
        # opens the store (``entities``) does not pay for the store's imports
        code = explain(exc, args)
        if code is None:
            raise
        return code


def explain(exc: BaseException, args: argparse.Namespace) -> int | None:
    """Report an expected failure in one line and return its exit status (None: not expected)."""
    from reader.store import NoDatabase, QueryError, StoreError
    from reader.store.database import translate
    from reader.store.sources import SourceError

    if isinstance(exc, NoDatabase):
        _, named = db_path(args)
        if named:
            err(f"{exc}; `newsreader index` or `newsreader add` creates one")
            return exc.exit_code
        err(EMPTY_HINT)  # a fresh home: an empty list is no error…
        # …but the article, feed or search a command names is not there
        command = getattr(args, "command", None)
        one = command in NAMES_ONE or (command == "refresh" and bool(getattr(args, "urls", None)))
        return 1 if one else 0
    if isinstance(exc, StoreError):
        err(str(exc))
        return exc.exit_code
    if isinstance(exc, QueryError):
        err(f"query error: {exc}")
        return 2
    if isinstance(exc, SourceError):
        err(str(exc))
        return exc.exit_code
    if isinstance(exc, sqlite3.Error):
        path, _ = db_path(args)
        error = translate(exc, path)
        err(str(error))
        return error.exit_code
    if isinstance(exc, OSError) and exc.errno == 28:  # ENOSPC, writing outside the database
        err(f"the disk is full ({exc.filename or 'output'}); everything committed is kept")
        return 1
    return None


def with_progress(label: str, run: Callable[[Callable[[int, int], None] | None], T]) -> T:
    """Run ``run(progress)`` with a progress bar on a terminal, silently otherwise."""
    if not sys.stderr.isatty():
        return run(None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)
        return run(lambda done, total: bar.update(task, completed=done, total=total))


def extract_entities(store: FeedStore) -> str:
    """Extract the entities not done yet (a progress bar on a terminal); the summary line's
    ending that says how many and how long ("" when none)."""
    started = time.perf_counter()
    extracted = with_progress("entities", store.extract_entities)
    took = time.perf_counter() - started
    if not extracted:
        return ""
    return f"; entities extracted for {plural(extracted, 'article')} in {took:.1f} s"


def write_json(record: dict[str, Any]) -> None:
    """One JSON object per line on standard output, in UTF-8 whatever the locale."""
    import json

    utf8_stdout()
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def utf8_stdout() -> None:
    """Standard output in UTF-8 from now on (JSON's encoding, which a program reading it
    expects; under a Latin-1 locale it was Latin-1)."""
    if not is_utf8(sys.stdout) and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="strict")


def is_utf8(stream: Any) -> bool:
    """Whether a text stream writes UTF-8 (``utf-8``, ``UTF8``, ``utf_8``…)."""
    encoding = getattr(stream, "encoding", None) or ""
    return encoding.lower().replace("-", "").replace("_", "") == "utf8"


MAX_COUNT = 2**63 - 1


def count(text: str) -> int:
    """An argument that counts results: 0 or more (0: all)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (all) or more, not {value}")
    return min(value, MAX_COUNT)  # (SQLite's integers end at 2**63 - 1: more is all anyway)
