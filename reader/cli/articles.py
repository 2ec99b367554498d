"""``newsreader search``: articles matching a query, as lines or JSON."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from reader.cli.common import (
    EMPTY_HINT,
    Failure,
    count,
    db_arg,
    err,
    plural,
    uses_store,
    write_json,
)
from reader.model import Article
from reader.store.query import mentions_ignored, parse
from reader.textutil import clean_line

if TYPE_CHECKING:
    from reader.store import FeedStore


def register(sub: Any) -> None:
    """Add the article commands to the command parser."""
    p = sub.add_parser("search", help="search the store; one line (or JSON object) per article")
    p.add_argument("query", metavar="QUERY", help='e.g. "elon musk" after:2024 -tesla ("" for all)')
    p.add_argument("--limit", type=count, default=100, help="at most N results (0: all)")
    p.add_argument("--sort", choices=("date", "relevance"), default="date",
                   help="newest first (default), or best match first")  # fmt: skip
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    db_arg(p)
    p.set_defaults(handler=cmd_search)
    register_triage(sub)


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
    """Print matching articles, newest first (or by relevance): id, date, source, title."""
    parse(args.query, strict=True)
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
                f"{a.uid}  {date:<{date_width}}  {shown:<{source_width}}  {clean_line(a.title)}\n"
            )
    if not found and store.is_empty():
        err(EMPTY_HINT)
    elif hidden := ignored(store, args.query):  # on standard error: the output stays articles
        number, query = hidden
        err(
            f"{plural(number, 'more article')} hidden by your ignore rules (the query `{query}` "
            "lists them)"
        )
    return 0


def ignored(store: FeedStore, query: str) -> tuple[int, str] | None:
    """How many more articles ``query`` would find but for the ignore rules, and the query
    that finds them; None when none (or the query already says ``is:ignored``)."""
    if not store.ignore or mentions_ignored(parse(query)):
        return None
    hidden_query = f"({query}) is:ignored" if query.strip() else "is:ignored"
    hidden = store.count_matches(hidden_query)[0]
    return (hidden, hidden_query) if hidden else None


def search_name(text: str) -> str:
    """A saved search's name: refused (a usage error) when nothing is left of it once
    cleaned as the store cleans it (empty, blanks, control characters)."""
    if not clean_line(text):
        raise argparse.ArgumentTypeError("a saved search needs a name")
    return text


def register_triage(sub: Any) -> None:
    """Add ``mark-read``, ``save`` and ``unsave`` to the command parser."""
    p = sub.add_parser("mark-read", help="mark every article a query finds read (or unread)")
    p.add_argument("query", nargs="?", default="", metavar="QUERY", help='("" or none: all)')
    p.add_argument("--unread", action="store_true", help="mark them unread instead")
    p.add_argument(
        "-y",
        "--yes",
        action="store_true",
        help="with no QUERY, do not ask first (asked only on a terminal)",
    )
    db_arg(p)
    p.set_defaults(handler=cmd_mark_read)

    p = sub.add_parser("save", help="save a search under a name (listed with the feeds)")
    p.add_argument("name", type=search_name, metavar="NAME")
    p.add_argument("query", metavar="QUERY", help='e.g. entity:"Elon Musk"')
    db_arg(p)
    p.set_defaults(handler=cmd_save)

    p = sub.add_parser("unsave", help="forget a saved search")
    p.add_argument("name", type=search_name, metavar="NAME")
    db_arg(p)
    p.set_defaults(handler=cmd_unsave)


def confirmed(question: str) -> bool:
    """Ask ``question`` on standard error and read the answer from standard input: only
    ``y`` or ``yes`` (any case) is a yes; an empty line or end of input is a no."""
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer.endswith("\n"):  # end of input (Ctrl-D): the prompt's line is ended
        sys.stderr.write("\n")
    return answer.strip().lower() in ("y", "yes")


@uses_store(create=False)
def cmd_mark_read(args: argparse.Namespace, store: FeedStore) -> int:
    """Mark the articles of a query read or unread; say how many changed.

    With no QUERY (or a blank one) every article is marked: on a terminal (standard input
    and error) that is asked first, as the reader's own mark-all asks, unless ``--yes``; a
    no marks nothing (exit 1). Scripts (no terminal) are never asked."""
    parse(args.query, strict=True)
    verb = "unread" if args.unread else "read"
    if not args.query.strip() and not args.yes and sys.stdin.isatty() and sys.stderr.isatty():
        total = store.count_matches("")[0]
        try:
            yes = not total or confirmed(f"Mark all {plural(total, 'article')} {verb}?")
        except KeyboardInterrupt:  # Ctrl-C at the question: its line ended, nothing marked
            sys.stderr.write("\n")
            raise Failure("interrupted; nothing marked", 130) from None
        if not yes:
            err("nothing marked (--yes marks them all without asking)")
            return 1
    changed = store.mark_read(args.query, read=not args.unread)
    print(f"{plural(changed, 'article')} marked {verb}")
    if hidden := ignored(store, args.query):  # as `search` says it: they were left alone
        number, query = hidden
        err(
            f"{plural(number, 'more article')} hidden by your ignore rules, not marked (the "
            f"query `{query}` finds them)"
        )
    return 0


@uses_store(create=True)
def cmd_save(args: argparse.Namespace, store: FeedStore) -> int:
    """Save a search; it appears in `feeds` and in the reader's feed list."""
    new = store.save_search(args.name, args.query)
    total, unread = store.count_matches(args.query)
    verb = "saved" if new else "replaced"
    name = clean_line(args.name)
    print(f"{verb} search {name!r}: {unread:,} unread of {plural(total, 'article')}")
    return 0


@uses_store(create=False)
def cmd_unsave(args: argparse.Namespace, store: FeedStore) -> int:
    """Forget a saved search."""
    name = store.unsave_search(args.name)
    print(f"forgot the saved search {clean_line(name)!r}")
    return 0
