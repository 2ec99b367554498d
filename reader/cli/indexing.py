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
    """Index SOURCEs, unless none of them exists (then no database is created either)."""
    missing = [s for s in args.sources if "://" not in s and not os.path.lexists(s)]
    if missing and len(missing) == len(args.sources):
        more = f" (and {len(missing) - 1} more missing)" if len(missing) > 1 else ""
        raise Failure(f"{missing[0]}: no such file or directory{more}", 2)
    return _index(args)


@uses_store(create=True)
def _index(args: argparse.Namespace, store: FeedStore) -> int:
    """Index SOURCEs; progress on a terminal, one line per problem, one summary line."""
    sources = list(args.sources) or (store.roots() if args.rebuild else [])
    if not sources:
        raise Failure("index needs a SOURCE (a folder or a file)", 2)
    report = with_progress("indexing", lambda progress: store.index(sources, progress))
    for path, reason in report.warnings:
        warn(path, reason)
    for path, reason in report.skips:  # not articles (no `date` line…): said once, when first met
        print(f"skipped: {path}: {reason}", file=sys.stderr)
    for path, reason in report.failed:
        print(f"failed: {path}: {reason}", file=sys.stderr)
    extra = "" if args.no_entities else extract_entities(store)
    print(report.summary() + extra)
    return 1 if report.failed else 0
