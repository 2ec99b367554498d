"""``newsreader search``: articles matching a query, as lines or JSON."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from reader.cli.common import EMPTY_HINT, db_arg, err, uses_store, write_json
from reader.model import Article
from reader.store import FeedStore
from reader.textutil import clean_line


def register(sub: Any) -> None:
    """Add the article commands to the command parser."""
    p = sub.add_parser("search", help="search the store; one line (or JSON object) per article")
    p.add_argument("query", metavar="QUERY", help='e.g. "elon musk" after:2024 -tesla ("" for all)')
    p.add_argument("--limit", type=int, default=100, help="at most N results (0: all)")
    p.add_argument("--sort", choices=("date", "relevance"), default="date")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    db_arg(p)
    p.set_defaults(handler=cmd_search)


def article_record(a: Article) -> dict[str, Any]:
    """The JSON fields of an article (the contract's, then ours)."""
    record: dict[str, Any] = {
        "id": a.uid,
        "date": a.date.iso(),
        "title": a.title,
        "source": a.source,
        "link": a.link,
        "path": a.path,
        "author": a.author,
        "language": a.language,
        "read": a.read,
        "starred": a.starred,
    }
    if a.dated_by:
        record["dated_by"] = str(a.dated_by)
    return record


@uses_store(create=False)
def cmd_search(args: argparse.Namespace, store: FeedStore) -> int:
    """Print matching articles, newest first (or by relevance)."""
    found = store.search(args.query, order=args.sort, limit=args.limit or None)
    if args.json:
        for a in found:
            write_json(article_record(a))
    else:
        dates = [a.date.iso() for a in found]
        date_width = max(map(len, dates), default=0)
        sources = [clean_line(a.source) for a in found]
        source_width = min(max(map(len, sources), default=0), 24)
        for a, date, source in zip(found, dates, sources, strict=True):
            shown = source if len(source) <= source_width else source[: source_width - 1] + "…"
            sys.stdout.write(
                f"{date:<{date_width}}  {shown:<{source_width}}  {clean_line(a.title)}\n"
            )
    if not found and store.is_empty():
        err(EMPTY_HINT)
    return 0
