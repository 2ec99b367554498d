"""Sub-commands for subscriptions: add, remove, feeds, refresh, import-opml, export-opml."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def register(sub: Any, db_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the subscription commands to the ``newsreader`` argument parser."""
    p = sub.add_parser("add", help="subscribe to a feed (http(s), file:// or a path) and fetch it")
    p.add_argument("url", metavar="URL")
    p.add_argument("--name", help="your name for it (default: the feed's title)")
    p.add_argument("--category", help="a folder for OPML export, '/'-separated")
    p.add_argument("--no-fetch", action="store_true", help="subscribe only; fetch at refresh")
    db_arg(p)

    p = sub.add_parser("remove", help="unsubscribe (by address or name)")
    p.add_argument("url", metavar="URL")
    db_arg(p)

    p = sub.add_parser("feeds", help="subscriptions with counts, last refresh and last error")
    p.add_argument("--json", action="store_true", help="one JSON object per subscription")
    db_arg(p)

    p = sub.add_parser("refresh", help="fetch subscriptions (all, or those named)")
    p.add_argument("urls", nargs="*", metavar="URL")
    p.add_argument("--no-entities", action="store_true", help="skip entity extraction")
    from reader.cli import backend_arg

    backend_arg(p)
    db_arg(p)

    p = sub.add_parser("import-opml", help="subscribe to the feeds of an OPML file")
    p.add_argument("file", metavar="FILE")
    db_arg(p)

    p = sub.add_parser("export-opml", help="write subscriptions as OPML (to FILE or stdout)")
    p.add_argument("file", nargs="?", metavar="FILE")
    db_arg(p)


def _when(epoch: int | None) -> str:
    if not epoch:
        return "never"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(epoch))


def _refresh(
    store: Any, urls: list[str], entities: bool, added: argparse.Namespace | None = None
) -> int:
    """Refresh and report; ``added``: the `add` arguments of a new subscription."""
    from reader.cli import err, with_progress

    report = with_progress("refreshing", lambda progress: store.refresh(urls, progress))
    if added is not None and len(urls) == 1 and len(report.failed) == 1:
        found = _named_feed(urls[0], report.failed[0][1])
        if found:  # `add` was given a web page that names its feed: subscribe to the feed
            store.unsubscribe(urls[0])
            store.subscribe(found, added.name, added.category)
            print(f"{urls[0]} is a web page naming the feed {found}: subscribed to that instead")
            return _refresh(store, [found], entities)
    extracted = with_progress("entities", store.extract_entities) if entities else 0
    for url, reason in report.warnings:
        print(f"warning: {url}: {reason}", file=sys.stderr)
    for url, reason in report.failed:
        err(f"{url}: {reason}")
    extra = f"; entities extracted for {extracted} articles" if extracted else ""
    print(report.summary() + extra)
    return 1 if report.failed else 0


def _named_feed(page: str, reason: str) -> str | None:
    """The feed address a web page names, from the refresh's one-line reason."""
    from urllib.parse import urljoin

    from reader.store.sources.feed import NAMES_A_FEED

    if not reason.startswith(NAMES_A_FEED) or "://" not in page:
        return None
    return urljoin(page, reason.removeprefix(NAMES_A_FEED).strip())


def cmd_add(args: argparse.Namespace) -> int:
    """Subscribe, then fetch the feed once so the user sees at once whether it works."""
    from reader.cli import err, open_store, use_backend
    from reader.store.sources import SourceError

    if not use_backend(args):
        return 2
    with open_store(args.db) as store:
        try:
            _, new = store.subscribe(args.url, args.name, args.category)
        except SourceError as exc:
            err(str(exc))
            return 2
        print(f"{'subscribed to' if new else 'already subscribed to'} {args.url}")
        if args.no_fetch:
            return 0
        return _refresh(store, [args.url], entities=True, added=args if new else None)


def cmd_remove(args: argparse.Namespace) -> int:
    """Unsubscribe; articles carried by no other feed or file go too."""
    from reader.cli import err, open_store

    with open_store(args.db) as store:
        removed = store.unsubscribe(args.url)
    if removed is None:
        err(f"{args.url}: not subscribed (see `newsreader feeds`)")
        return 1
    print(f"unsubscribed from {args.url}; {removed} articles removed")
    return 0


def cmd_feeds(args: argparse.Namespace) -> int:
    """List subscriptions."""
    from reader.cli import open_store

    with open_store(args.db) as store:
        subs = store.subscriptions()
    for s in subs:
        if args.json:
            record = {
                "url": s.url,
                "name": s.name,
                "title": s.title,
                "category": s.category,
                "articles": s.articles,
                "last_refresh": _iso(s.succeeded),
                "last_attempt": _iso(s.checked),
                "http_status": s.http_status,
                "error": s.error,
            }
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            continue
        state = f"error: {s.error}" if s.error else "ok" if s.succeeded else "not fetched yet"
        sys.stdout.write(
            f"{s.articles:>6}  {_when(s.succeeded):<16}  {s.label}\n"
            f"        {s.url}\n        {state}\n"
        )
    if not subs and not args.json:
        print("no subscriptions (add one with `newsreader add URL`)")
    return 0


def _iso(epoch: int | None) -> str | None:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch)) if epoch else None


def cmd_refresh(args: argparse.Namespace) -> int:
    """Fetch subscriptions; progress on a terminal, one line per failure, a summary line."""
    from reader.cli import open_store, use_backend

    if not args.no_entities and not use_backend(args):
        return 2
    with open_store(args.db) as store:
        if not args.urls and not store.subscriptions():
            print("no subscriptions (add one with `newsreader add URL`)")
            return 0
        return _refresh(store, list(args.urls), entities=not args.no_entities)


def cmd_import_opml(args: argparse.Namespace) -> int:
    """Subscribe to every feed of an OPML list (fetched at the next refresh)."""
    from reader.cli import err, open_store
    from reader.store.sources import SourceError

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        err(f"{args.file}: {exc.strerror or exc}")
        return 1
    with open_store(args.db) as store:
        try:
            new, old = store.import_opml(data, args.file)
        except SourceError as exc:
            err(str(exc))
            return 1
    print(f"{new} subscriptions added, {old} already there; `newsreader refresh` fetches them")
    return 0


def cmd_export_opml(args: argparse.Namespace) -> int:
    """Write the subscriptions as OPML 2.0."""
    from reader.cli import err, open_store

    with open_store(args.db) as store:
        document = store.export_opml()
    if not args.file or args.file == "-":
        sys.stdout.write(document)
        return 0
    try:
        Path(args.file).write_text(document, encoding="utf-8")
    except OSError as exc:
        err(f"{args.file}: {exc.strerror or exc}")
        return 1
    return 0


HANDLERS = {
    "add": cmd_add,
    "remove": cmd_remove,
    "feeds": cmd_feeds,
    "refresh": cmd_refresh,
    "import-opml": cmd_import_opml,
    "export-opml": cmd_export_opml,
}
