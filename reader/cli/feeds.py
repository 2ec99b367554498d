"""Subscription commands: add, remove, feeds, refresh, import-opml, export-opml."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.common import (
    Failure,
    backend_arg,
    db_arg,
    err,
    extract_entities,
    plural,
    rebuild_arg,
    uses_store,
    warn,
    with_progress,
    write_json,
)
from reader.store.fetch import FetchSettings, NotReadable, read_local
from reader.store.subscriptions import given_name, normalise_category
from reader.textutil import clean_line, os_reason

if TYPE_CHECKING:
    from reader.store import FeedStore


def given(text: str) -> str:
    """An address or a name on the command line: one that is empty or blank (nothing left
    once control characters and spaces are taken out) is a usage error, said before any
    database is opened. Blank, it named whichever feed had no name of its own: `remove ''`
    unsubscribed one."""
    if not clean_line(text):
        raise argparse.ArgumentTypeError(f"{text!r} is empty")
    return text


def register(sub: Any) -> None:
    """Add the subscription commands to the command parser."""
    p = sub.add_parser("add", help="subscribe to a feed (http(s), file:// or a path)")
    p.add_argument("url", metavar="URL", type=given)
    p.add_argument("--name", type=given, help="your name for it (default: the feed's title)")
    p.add_argument("--category", help="a folder for the feed list and OPML, '/'-separated")
    p.add_argument(
        "--no-fetch",
        action="store_true",
        help="subscribe without fetching (by default the feed is fetched first and "
        "subscribed only if that works)",
    )
    p.add_argument(
        "--full-text",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="for a feed that carries only teasers: fetch each new item's page and keep the "
        "article found there (--no-full-text switches it off again)",
    )
    backend_arg(p)
    db_arg(p)
    p.set_defaults(handler=cmd_add)

    p = sub.add_parser("remove", help="unsubscribe (by address, name or feed title)")
    p.add_argument("url", metavar="URL|NAME", type=given)
    db_arg(p)
    p.set_defaults(handler=cmd_remove)

    p = sub.add_parser("feeds", help="subscriptions with counts, last refresh and last error")
    p.add_argument("--json", action="store_true", help="one JSON object per subscription")
    db_arg(p)
    p.set_defaults(handler=cmd_feeds)

    p = sub.add_parser("refresh", help="fetch subscriptions (all, or those named)")
    p.add_argument("urls", nargs="*", metavar="URL|NAME", type=given)
    p.add_argument("--no-entities", action="store_true", help="skip entity extraction")
    backend_arg(p)
    rebuild_arg(p)
    db_arg(p)
    p.set_defaults(handler=cmd_refresh)

    p = sub.add_parser("import-opml", help="subscribe to the feeds of an OPML file (- reads stdin)")
    p.add_argument("file", metavar="FILE|-")
    db_arg(p)
    p.set_defaults(handler=cmd_import_opml)

    p = sub.add_parser("export-opml", help="write subscriptions as OPML (to FILE or stdout)")
    p.add_argument("file", nargs="?", metavar="FILE")
    db_arg(p)
    p.set_defaults(handler=cmd_export_opml)


def _report(store: FeedStore, report: Any, entities: bool) -> int:
    """Print a refresh's problems and summary; extract entities; the exit status."""
    for name, reason in report.unknown:
        err(f"{name}: {reason}")
    if report.unknown and not report.feeds:
        return 1  # nothing was fetched: no summary to give
    for old, new in report.followed:
        print(_moved_line(old, new, "refreshed at its new address"))
    extra = extract_entities(store) if entities else ""
    for url, reason in report.warnings:
        warn(url, reason)
    for url, reason in report.failed:
        err(f"{url}: {reason}")
    for url in report.removed:
        warn(url, "unsubscribed while it was being refreshed; nothing fetched was stored")
    for url, until in report.waiting:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(until))
        warn(url, f"not fetched: its server asked not to be asked again before {when}")
    for url, until in report.insisted:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(until))
        warn(
            url,
            f"fetched although its server asked not to be asked again before {when} (you named it)",
        )
    print(report.summary() + extra)
    return 1 if report.failed or report.unknown else 0


def _moved_line(old: str, new: str, done: str) -> str:
    """One line for a feed named by an address it left: a permanent redirect moved it."""
    return f"{clean_line(old)}: the feed moved permanently to {clean_line(new)}; {done}"


@uses_store(create=True)
def cmd_add(args: argparse.Namespace, store: FeedStore) -> int:
    """Subscribe; the feed is fetched first, and nothing is stored if that fails."""
    done = with_progress(
        "fetching",
        lambda _: store.subscribe(
            args.url, args.name, args.category, fetch=not args.no_fetch, full_text=args.full_text
        ),
    )
    if done.note:
        print(done.note)
    if not done.new:
        category = normalise_category(args.category)
        name = given_name(args.name)  # (as stored: control characters taken out)
        changed = [f"named {name}"] if name else []
        changed += [f"in {category}"] if category else []
        now = f"; now {', '.join(changed)}" if changed else ""
        if done.moved_from is not None:  # an address the feed left (a permanent redirect)
            print(_moved_line(done.moved_from, done.url, f"already subscribed there{now}"))
        else:
            print(f"already subscribed to {done.url}{now}")
        if args.full_text is not None:
            state = "on: new items are fetched whole" if args.full_text else "off"
            print(f"full text {state}")
        if args.no_fetch:
            return 0
        started = getattr(args, "started", None)  # when the command began (reader.cli.main)
        report = with_progress(  # asked for by name: fetched even if its server asked to wait
            "refreshing",
            lambda progress: store.refresh([done.url], progress, started=started, insist=True),
        )
        return _report(store, report, entities=True)
    if done.report is None:
        print(f"subscribed to {done.url} (not fetched yet: `newsreader refresh` fetches it)")
        return 0
    print(f"subscribed to {done.url}")
    return _report(store, done.report, entities=True)


@uses_store(create=False)
def cmd_remove(args: argparse.Namespace, store: FeedStore) -> int:
    """Unsubscribe; articles carried by no other feed or file go too."""
    found = store.locate_subscription(args.url)  # NotSubscribed / AmbiguousName: one line
    label = next((s.label for s in store.subscriptions() if s.id == found.id), args.url)
    removed = store.unsubscribe(args.url)
    if found.moved_to is not None:
        print(_moved_line(args.url, found.moved_to, "unsubscribed there"))
    kept = f" ({plural(removed.starred, 'starred article')} kept)" if removed.starred else ""
    gone = plural(removed.articles, "article")
    print(f"unsubscribed from {clean_line(label)}; {gone} removed{kept}")
    return 0


def _when(epoch: int | None) -> str:
    if not epoch:
        return "never"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(epoch))


def _iso(epoch: int | None) -> str | None:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch)) if epoch else None


@uses_store(create=False)
def cmd_feeds(args: argparse.Namespace, store: FeedStore) -> int:
    """List subscriptions by folder (unread/total, last refresh, address, error), then saved
    searches."""
    subs = store.subscriptions()
    searches = store.saved_searches()
    if args.json:
        for s in subs:
            write_json(
                {
                    "url": s.url,
                    "name": s.name,
                    "title": s.title,
                    "category": s.category,
                    "unread": s.unread,
                    "total": s.total,
                    "articles": s.total,
                    "last_refresh": _iso(s.succeeded),
                    "last_attempt": _iso(s.checked),
                    "http_status": s.http_status,
                    "error": s.error,
                    "full_text": s.full_text,
                }
            )
        for search in searches:
            write_json(
                {
                    "name": search.name,
                    "query": search.query,
                    "unread": search.unread,
                    "total": search.total,
                }
            )
        return 0
    if not subs and not searches:
        print("no subscriptions (add one with `newsreader add URL`)")
        return 0
    labels = [clean_line(s.label) for s in subs] + [clean_line(x.name) for x in searches]
    width = min(max(map(len, labels)), 40)
    by_folder: dict[str, list[Any]] = {}
    for s in subs:
        by_folder.setdefault(clean_line(s.category or ""), []).append(s)
    out = sys.stdout.write
    for folder in sorted(by_folder, key=lambda f: (f != "", f.casefold())):
        indent = "  " if folder else ""
        if folder:
            out(f"{folder}/\n")
        for s in by_folder[folder]:
            label = _cut(clean_line(s.label), width)
            counts = f"{s.unread}/{s.total}"
            url = clean_line(s.url)  # (an address stored before addresses were checked)
            out(f"{indent}{label:<{width}}  {counts:>11}  {_when(s.succeeded):<16}  {url}\n")
            if s.full_text:
                out(f"{indent}{'':<{width}}  full text: each new item's page is fetched\n")
            if s.error:
                out(f"{indent}{'':<{width}}  error: {clean_line(s.error)}\n")
            elif not s.succeeded:
                out(f"{indent}{'':<{width}}  not fetched yet\n")
    if searches:
        out("saved searches\n")
        for search in searches:
            counts = f"{search.unread}/{search.total}"
            out(
                f"  {_cut(clean_line(search.name), width):<{width}}  {counts:>11}  {search.query}\n"
            )
    return 0


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@uses_store(create=False)
def cmd_refresh(args: argparse.Namespace, store: FeedStore) -> int:
    """Fetch subscriptions; progress on a terminal, one line per failure, a summary line."""
    if not args.urls and not store.subscriptions():
        print("no subscriptions (add one with `newsreader add URL`)")
        return 0
    started = getattr(args, "started", None)  # when the command began (reader.cli.main)
    report = with_progress(  # feeds named by the user are fetched even if asked to wait
        "refreshing",
        lambda progress: store.refresh(
            args.urls, progress, started=started, insist=bool(args.urls)
        ),
    )
    return _report(store, report, entities=not args.no_entities)


@uses_store(create=True)
def cmd_import_opml(args: argparse.Namespace, store: FeedStore) -> int:
    """Subscribe to every feed of an OPML list (fetched at the next refresh)."""
    limit = FetchSettings().max_bytes
    if args.file == "-":  # (as export-opml - writes to standard output)
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise Failure(f"standard input: larger than {limit >> 20} MiB; not an OPML list", 2)
        return _imported(store, data, "standard input")
    try:
        data = read_local(args.file, limit, "an OPML file")
    except OSError as exc:  # a file to read that is not there: a usage error, as for index
        raise Failure(f"{args.file}: {os_reason(exc)}", 2) from None
    except NotReadable as exc:  # a device, a pipe (read forever, or waited on): the same
        raise Failure(f"{args.file}: {exc}", 2) from None
    return _imported(store, data, args.file)


def _imported(store: FeedStore, data: bytes, where: str) -> int:
    """Import an OPML list's bytes (read from ``where``) and say what it did."""
    new, old, refused = store.import_opml(data, where)
    for reason in refused:
        err(f"{where}: {reason}; not subscribed")
    print(
        f"{plural(new, 'subscription')} added, {old:,} already there (kept as they are)"
        + (f", {len(refused):,} refused" if refused else "")
        + "; `newsreader refresh` fetches them"
    )
    return 1 if refused else 0


@uses_store(create=False)
def cmd_export_opml(args: argparse.Namespace, store: FeedStore) -> int:
    """Write the subscriptions as OPML 2.0."""
    document = store.export_opml()
    if not args.file or args.file == "-":
        sys.stdout.write(document)
        return 0
    try:
        Path(args.file).write_text(document, encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError) as exc:
        # a path that cannot be one (its folder missing, a folder): a usage error
        folder = Path(args.file).parent
        if isinstance(exc, FileNotFoundError) and not folder.exists():
            raise Failure(f"{args.file}: no such folder ({folder})", 2) from None
        raise Failure(f"{args.file}: {os_reason(exc)}", 2) from None
    except OSError as exc:
        raise Failure(f"{args.file}: {os_reason(exc)}") from None
    print(f"{plural(len(store.subscriptions()), 'subscription')} written to {args.file}")
    return 0
