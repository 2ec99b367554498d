"""The ``newsreader`` command: the TUI by default, plus non-interactive sub-commands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from reader import __version__
from reader.config import bundled_feeds, default_db_path

COMMANDS = (
    "index",
    "search",
    "entities",
    "add",
    "remove",
    "feeds",
    "refresh",
    "import-opml",
    "export-opml",
)


def backend_arg(p: argparse.ArgumentParser) -> None:
    """``--backend``: the entity extractor (default: config ``[entities] backend``, else rules)."""
    from reader.entities import BACKENDS

    p.add_argument(
        "--backend",
        choices=BACKENDS,
        default=None,
        help="entity extractor: rules (default) or spacy (needs newsreader[nlp])",
    )


def use_backend(args: argparse.Namespace, configured: str | None = None) -> bool:
    """Select the entity backend from the flag, else ``configured``, else the config file;
    False (after saying why) when it cannot be used."""
    name = getattr(args, "backend", None) or configured
    if name is None:
        from reader.config import ConfigError, load_config

        try:
            name = load_config().entities_backend
        except ConfigError as exc:
            err(str(exc))
            return False
    from reader.entities import set_backend

    try:
        set_backend(name)
    except RuntimeError as exc:
        err(str(exc))
        return False
    return True


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        type=Path,
        default=None,
        help="database file (default: $NEWSREADER_DB or the user data directory)",
    )


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description="Keyboard-driven terminal news reader with named entities and instant search.",
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("index", help="index files and folders without the UI")
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    p.add_argument(
        "--no-entities",
        action="store_true",
        help="skip entity extraction (it runs later, or when an article is opened)",
    )
    backend_arg(p)
    _db_arg(p)

    p = sub.add_parser("search", help="search the store; one line (or JSON object) per article")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=int, default=100, help="at most N results (0: all)")
    p.add_argument("--sort", choices=("date", "relevance"), default="date")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    _db_arg(p)

    p = sub.add_parser("entities", help="named entities of a UTF-8 text, one JSON line each")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-")
    p.add_argument("--lang", choices=("auto", "fr", "en"), default="auto")
    p.add_argument("--json", action="store_true", help="one JSON object per mention")
    p.add_argument("--all", action="store_true", help="also print MISC (untyped) names")
    p.add_argument(
        "--top",
        action="store_true",
        help="list the store's most mentioned entities instead of reading a text",
    )
    p.add_argument("--after", help="with --top: from this date (any precision)")
    p.add_argument("--before", help="with --top: before this date")
    p.add_argument("--limit", type=int, default=20, help="with --top: how many")
    backend_arg(p)
    _db_arg(p)

    from reader.cli_feeds import register

    register(sub, _db_arg)
    return parser


def _tui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsreader",
        description="Open the reader (indexing SOURCEs first, in the background). "
        f"Commands: {', '.join(COMMANDS)}; see `newsreader COMMAND --help`.",
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE")
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    parser.add_argument("--theme", help="a Textual theme name, e.g. textual-light")
    parser.add_argument(
        "--print-keymap", action="store_true", help="print the live keymap as TOML and exit"
    )
    backend_arg(parser)
    _db_arg(parser)
    return parser


def open_store(db: Path | None):
    from reader.store import FeedStore

    return FeedStore(db or default_db_path())


def err(message: str) -> None:
    print(f"newsreader: {message}", file=sys.stderr)


def cmd_index(args: argparse.Namespace) -> int:
    """Index SOURCEs; progress on a TTY, one line per failure, one summary line."""
    if not args.no_entities and not use_backend(args):
        return 2
    with open_store(args.db) as store:
        report = with_progress("indexing", lambda progress: store.index(args.sources, progress))
        entities = 0
        if not args.no_entities:
            entities = with_progress("entities", store.extract_entities)
    for path, reason in report.warnings:
        print(f"warning: {path}: {reason}", file=sys.stderr)
    for path, reason in report.failed:
        print(f"failed: {path}: {reason}", file=sys.stderr)
    extra = f"; entities extracted for {entities} articles" if entities else ""
    print(report.summary() + extra)
    return 1 if report.failed else 0


def with_progress(label: str, run):
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


def cmd_search(args: argparse.Namespace) -> int:
    """Print matching articles, newest first (or by relevance)."""
    from reader.store import QueryError

    with open_store(args.db) as store:
        try:
            found = store.search(args.query, order=args.sort, limit=args.limit or None)
        except QueryError as exc:
            err(f"query error: {exc}")
            return 2
    out = sys.stdout
    for a in found:
        if args.json:
            record = {
                "id": a.uid,
                "date": a.date.iso(),
                "title": a.title,
                "source": a.source,
                "link": a.link,
                "path": a.path,
                "language": a.language,
                "read": a.read,
                "starred": a.starred,
            }
            if a.dated_by:
                record["dated_by"] = a.dated_by
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            out.write(f"{a.date.iso():<17} {a.source[:16]:<16} {a.title}\n")
    return 0


def cmd_top_entities(args: argparse.Namespace) -> int:
    """Print the store's most mentioned entities in a date range."""
    from reader.store import QueryError

    with open_store(args.db) as store:
        try:
            top = store.top_entities(args.after, args.before, args.limit)
        except QueryError as exc:
            err(str(exc))
            return 2
    for info, count in top:
        if args.json:
            record = {
                "name": info.name,
                "type": info.kind,
                "articles": count,
                "total_articles": info.articles,
            }
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(f"{count:>6}  {info.kind:<7} {info.name}\n")
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    """Print the entity mentions of a text (file or standard input)."""
    if args.top:
        return cmd_top_entities(args)
    if not use_backend(args):
        return 2
    from reader.entities import extract

    try:
        if args.file == "-":
            text = sys.stdin.buffer.read().decode("utf-8")
        else:
            text = Path(args.file).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        err(f"{args.file}: {exc}")
        return 2
    lang = None if args.lang == "auto" else args.lang
    write = sys.stdout.write
    quote = json.JSONEncoder(ensure_ascii=False).encode  # the text as a JSON string
    for m in extract(text, lang):
        if m.kind == "MISC" and not args.all:
            continue
        if args.json:  # one object per line, in the contract's key order; kinds need no escaping
            write(
                f'{{"start": {m.start}, "end": {m.end}, '
                f'"text": {quote(text[m.start : m.end])}, "type": "{m.kind}"}}\n'
            )
        else:
            write(f"{m.start}\t{m.end}\t{m.kind}\t{text[m.start : m.end]}\n")
    global _fast_exit
    _fast_exit = True
    return 0


def startup_sources(db_path: Path, given: Sequence[str]) -> tuple[list[str], bool]:
    """What the reader opens: the SOURCEs given; else the subscriptions (refreshed in the
    background) when there are any; else the bundled sample. Returns (sources, refresh)."""
    if given:
        return list(given), False
    with open_store(db_path) as store:
        if store.subscriptions():
            return [], True
    return [str(bundled_feeds())], False


def cmd_tui(argv: Sequence[str]) -> int:
    """Open the reader."""
    args = _tui_parser().parse_args(argv)
    from reader.config import ConfigError, load_config

    try:
        config = load_config()
    except ConfigError as exc:
        err(str(exc))
        return 2
    from reader.ui.app import NewsReader
    from reader.ui.keymap import KeymapError, validate_keymap

    try:
        keymap = validate_keymap(config.keymap)
    except KeymapError as exc:
        err(f"{config.path}: {exc}")
        return 2
    if not use_backend(args, config.entities_backend):
        return 2
    if args.print_keymap:
        from reader.ui.keymap import keymap_toml

        print(keymap_toml(keymap), end="")
        return 0
    db_path = args.db or default_db_path()
    sources, refresh = startup_sources(db_path, args.sources)
    app = NewsReader(
        db_path=db_path,
        sources=sources,
        keymap=keymap,
        theme_name=args.theme or config.theme,
        refresh=refresh,
    )
    app.run()
    return app.return_code or 0


# Set by a command that loaded the entity word lists and has nothing left to clean up (no store,
# no workers): the console script then leaves with os._exit, which skips the 60 ms or so the
# interpreter would spend freeing a quarter of a million strings one by one.
_fast_exit = False


def run() -> None:
    """The ``newsreader`` console script: ``main``, then exit with its status."""
    code = main()
    if _fast_exit:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:
            pass
        os._exit(code)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``newsreader`` command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help", "--version"):
        return cmd_tui(argv)
    args = _build_parser().parse_args(argv)
    from reader.cli_feeds import HANDLERS

    handlers = {"index": cmd_index, "search": cmd_search, "entities": cmd_entities, **HANDLERS}
    handler = handlers[args.command]
    try:
        return handler(args)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        err("interrupted; everything committed so far is kept")
        return 130
