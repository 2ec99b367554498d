"""``newsreader index``: files and folders into the store, without the reader."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from reader.cli.common import (
    Failure,
    backend_arg,
    db_arg,
    extract_entities,
    rebuild_arg,
    uses_store,
    warn,
    with_progress,
)
from reader.textutil import clean_line

if TYPE_CHECKING:
    from reader.store import FeedStore


def register(sub: Any) -> None:
    """Add ``index`` to the command parser."""
    p = sub.add_parser("index", help="index files and folders without the reader")
    p.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="folders (walked recursively) and files; with --rebuild and none given, the "
        "SOURCEs indexed before",
    )
    p.add_argument(
        "--no-entities",
        action="store_true",
        help="skip entity extraction (it runs later, or when an article is opened)",
    )
    backend_arg(p)
    rebuild_arg(p)
    db_arg(p)
    p.set_defaults(handler=cmd_index)


def cmd_index(args: argparse.Namespace) -> int:
    """Index SOURCEs. When none of them is a file or a folder, or there is none, one line and
    exit 2, and no database is created."""
    if not args.sources:
        if not args.rebuild:
            raise Failure("index needs a SOURCE (a folder or a file)", 2)
        return _reindex(args)  # the folders indexed before, in an existing database
    usable = [s for s in args.sources if os.path.isdir(s) or os.path.isfile(s)]
    if not usable:
        first = args.sources[0]
        if "://" in first:
            why = "not a file or folder (`newsreader add URL` subscribes to a feed)"
        elif os.path.lexists(first):
            why = "not a file or folder"
        else:
            why = "no such file or directory"
        more = f" (and {len(args.sources) - 1} more)" if len(args.sources) > 1 else ""
        raise Failure(f"{first}: {why}{more}", 2)
    return _index(args)


@uses_store(create=False)
def _reindex(args: argparse.Namespace, store: FeedStore) -> int:
    roots = store.roots()
    if not roots:  # feeds only, or the list of folders was lost with the damage
        extra = "" if args.no_entities else extract_entities(store)
        print(f"no folder indexed before: nothing to index again{extra}")
        return 0
    return _run(args, store, roots)


@uses_store(create=True)
def _index(args: argparse.Namespace, store: FeedStore) -> int:
    return _run(args, store, list(args.sources))


def _run(args: argparse.Namespace, store: FeedStore, sources: list[str]) -> int:
    """Index SOURCEs; progress on a terminal, one line per problem, one summary line."""
    if not sources:
        raise Failure("index needs a SOURCE (a folder or a file)", 2)
    report = with_progress("indexing", lambda progress: store.index(sources, progress))
    for path, reason in report.warnings:
        warn(path, reason)
    for path, reason in report.skips:  # not articles (no `date` line…): said once, when first met
        print(f"skipped: {clean_line(path)}: {clean_line(reason)}", file=sys.stderr)
    for path, reason in report.failed:
        print(f"failed: {clean_line(path)}: {clean_line(reason)}", file=sys.stderr)
    extra = "" if args.no_entities else extract_entities(store)
    print(report.summary() + extra)
    return 1 if report.failed else 0
