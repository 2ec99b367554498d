"""``newsreader [SOURCE ...]``: the reader itself."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader import __version__
from reader.cli.common import (
    Failure,
    backend_arg,
    db_arg,
    err,
    extractor,
    guarded,
    named_db_path,
    rebuild_arg,
)
from reader.cli.parser import Parser

if TYPE_CHECKING:
    from reader.model import Extractor
    from reader.store import FeedStore


def reader_parser(commands: Sequence[tuple[str, str]]) -> argparse.ArgumentParser:
    """The reader's own options; ``--help`` also lists the commands."""
    listing = "\n".join(f"  {name:<13} {summary}" for name, summary in commands)
    parser = Parser(
        prog="newsreader",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="A keyboard-driven terminal news reader. With no COMMAND it opens the "
        "reader: on the SOURCEs given (indexed in the background), else on your "
        "subscriptions and indexed folders, else on the bundled sample.",
        epilog=f"commands (newsreader COMMAND --help for each):\n{listing}\n\n"
        "keys: ? in the reader lists them; --print-keymap prints them as TOML.",
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="folders and files to read")
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    parser.add_argument("--theme", help="a Textual theme, e.g. textual-light (see config.toml)")
    parser.add_argument(
        "--print-keymap", action="store_true", help="print the live keymap as TOML and exit"
    )
    backend_arg(parser)
    rebuild_arg(parser)
    db_arg(parser)
    return parser


def _check_theme(name: str | None) -> None:
    if name is None:
        return
    from textual.theme import BUILTIN_THEMES

    if name not in BUILTIN_THEMES:
        raise Failure(
            f"no theme called {name!r}; the themes are {', '.join(sorted(BUILTIN_THEMES))}", 2
        )


def sample_store(chosen: Extractor | None = None, ignore: Sequence[str] = ()) -> FeedStore:
    """The bundled sample's own cached store (never the user's database)."""
    from reader.config import sample_db_path, sample_digest
    from reader.store import FeedStore, StoreError

    try:
        return FeedStore(sample_db_path(), extractor=chosen, ignore=ignore)
    except StoreError:  # no writable cache folder: a private temporary file instead
        name = f"newsreader-sample-{os.getuid()}-{sample_digest()}.db"
        return FeedStore(Path(tempfile.gettempdir()) / name, extractor=chosen, ignore=ignore)


def choose_store(
    path: Path,
    sources: list[str],
    rebuilt: bool,
    chosen: Extractor | None = None,
    ignore: Sequence[str] = (),
) -> tuple[FeedStore, list[str], bool, bool]:
    """What the reader opens: (store, SOURCEs to index, refresh subscriptions?, sample?).

    SOURCEs given: the user's database (created if needed), indexing them. Else the user's
    database when it holds articles or subscriptions (refreshing the subscriptions), or,
    after ``--rebuild``, indexing the SOURCEs it was built from. Else the bundled sample,
    from its own store: the sample never enters the user's database.
    """
    from reader.config import bundled_feeds
    from reader.store import FeedStore, NoDatabase

    if sources:
        return FeedStore(path, extractor=chosen, ignore=ignore), sources, False, False
    if rebuilt:
        store = FeedStore(path, extractor=chosen, ignore=ignore)
        return store, store.roots(), bool(store.subscriptions()), False
    try:
        store = FeedStore(path, create=False, extractor=chosen, ignore=ignore)
    except NoDatabase:
        pass
    else:
        if not store.is_empty():
            return store, [], bool(store.subscriptions()), False
        store.close()
    return sample_store(chosen, ignore), [str(bundled_feeds())], False, True


def _address_line(given: str) -> str:
    """What to say of an address given to the reader: ``add`` subscribes to it, if it takes
    its scheme (``subscriptions.normalise_url``: http, https, file)."""
    scheme = given.split("://", 1)[0]
    if scheme.lower() in ("http", "https", "file"):
        return (
            f"{given}: not a file or folder; a feed's address is subscribed with "
            "`newsreader add URL` (the reader then shows it)"
        )
    what = f"the scheme {scheme}:" if scheme else "an address without a scheme"
    return (
        f"{given}: not a file or folder, and {what} is not supported (feeds are read from "
        "http(s) and file:// addresses, and paths)"
    )


def cmd_reader(argv: Sequence[str], commands: Sequence[tuple[str, str]]) -> int:
    """Parse the reader's command line, then open it (every failure is one line)."""
    args = reader_parser(commands).parse_args(argv)
    missing = [s for s in args.sources if not os.path.exists(s)]
    if missing:
        names = [name for name, _ in commands]
        if missing[0] in names:  # after an option of the reader (`--the x feeds`)
            err(
                f"`{missing[0]}` is a command, and the options before it are the reader's "
                f"(see `newsreader {missing[0]} --help` for its own)"
            )
            return 2
        if "://" in missing[0]:  # an address: the reader opens files and folders
            err(_address_line(missing[0]))
            return 2
        close = difflib.get_close_matches(missing[0], names, n=1)
        hint = f" (did you mean `newsreader {close[0]}`?)" if close else ""
        err(f"no such command or path: {missing[0]}{hint}; the commands are {', '.join(names)}")
        return 2
    return guarded(open_reader, args)


def open_reader(args: argparse.Namespace) -> int:
    """Open the reader."""
    from reader.config import ConfigError, load_config

    try:
        config = load_config()
    except ConfigError as exc:
        raise Failure(str(exc), 2) from None
    from reader.ui.keymap import KeymapError, keymap_problems, keymap_toml, validate_keymap

    try:
        keymap = validate_keymap(config.keymap)
    except KeymapError as exc:
        raise Failure(f"{config.path}: {exc}", 2) from None
    theme = args.theme or config.theme
    _check_theme(theme)
    problems = [f"{config.path}: {problem}" for problem in keymap_problems(keymap)]
    if args.print_keymap:
        print(keymap_toml(keymap), end="")
        for problem in problems:
            err(problem)
        return 0
    path = named_db_path(args)
    from reader.store.database import check_path

    check_path(path, create=True)  # a folder or a non-database is refused before anything
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise Failure(
            "the reader needs a terminal (standard input and output); in scripts use "
            "`newsreader search`, `show` or `feeds`",
            2,
        )
    if os.environ.get("TERM") == "dumb":  # (Textual would draw on it regardless)
        raise Failure(
            "the reader needs a terminal that can move its cursor (TERM is dumb); "
            "`newsreader search`, `show` and `feeds` print plain text",
            2,
        )
    for problem in problems:
        err(problem)
    chosen = extractor(args)
    if args.rebuild:
        from reader.store.rebuild import rebuild

        print(rebuild(path).summary(), file=sys.stderr)
    store, sources, refresh, sample = choose_store(
        path, list(args.sources), args.rebuild, chosen, config.ignore
    )
    from reader.ui.app import NewsReader

    while True:
        app = NewsReader(
            store=store,
            sources=sources,
            keymap=keymap,
            theme_name=theme,
            refresh=refresh,
            sample=sample,
            user_db=path,
            refresh_minutes=config.refresh_minutes,
            warnings=problems,
        )
        app.run()
        if app.fatal:
            err(app.fatal)
            return app.return_code or 1
        if not app.reopen:
            return app.return_code or 0
        # R on the sample once the user's database has something: open it instead.
        store, sources, refresh, sample = choose_store(path, [], False, chosen, config.ignore)
        problems = []
