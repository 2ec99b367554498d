"""``newsreader entities``: the named entities of a text, or the store's most mentioned ones."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from reader.cli.common import (
    Failure,
    backend_arg,
    count,
    db_arg,
    exit_fast,
    extractor,
    uses_store,
    warn,
    write_json,
)
from reader.model import EntityKind

if TYPE_CHECKING:
    from reader.store import FeedStore


def _language(value: str) -> str:
    """``auto``, or the ISO 639-1 code of a language (``FR``, ``fra``, ``fr-CA`` and ``french``
    read as ``fr``; ``und``, undetermined, as the detector answers for no language): the
    extractor reads French and English with rules of their own, German, Italian, Spanish,
    Portuguese and Dutch with word lists of their own, any other language conservatively.
    A code that names no language (``xx``) is refused: it was read as some other language."""
    from reader.lang import ISO_639_1, LANGUAGES, language_tag

    word = value.strip().lower()
    if word in ("auto", "und"):
        return word
    code = language_tag(word)
    if code in ISO_639_1:
        return code
    raise argparse.ArgumentTypeError(
        f"{value!r} is not a language code (auto, {', '.join(LANGUAGES)} or any other "
        "ISO 639-1 code, such as sv or pl)"
    )


def register(sub: Any) -> None:
    """Add ``entities`` to the command parser."""
    p = sub.add_parser("entities", help="named entities of a text, one line (or JSON) each")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-")
    p.add_argument(
        "--lang",
        type=_language,
        default="auto",
        help="auto (default), fr, en, de, it, es, pt, nl or another ISO 639-1 code",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per mention")
    p.add_argument("--all", action="store_true", help="also print MISC (untyped) names")
    p.add_argument(
        "--top",
        action="store_true",
        help="list the store's most mentioned entities instead of reading a text",
    )
    p.add_argument("--after", help="with --top: from this date (any precision)")
    p.add_argument("--before", help="with --top: before this date")
    p.add_argument("--limit", type=count, default=20, help="with --top: how many (0: all)")
    backend_arg(p)
    db_arg(p)
    p.set_defaults(handler=cmd_entities)


@uses_store(create=False)
def cmd_top_entities(args: argparse.Namespace, store: FeedStore) -> int:
    """Print the store's most mentioned entities in a date range."""
    for info, articles in store.top_entities(args.after, args.before, args.limit or -1):
        if args.json:
            write_json(
                {
                    "name": info.name,
                    "type": str(info.kind),
                    "articles": articles,
                    "total_articles": info.articles,
                }
            )
        else:
            sys.stdout.write(f"{articles:>6}  {info.kind:<7} {info.name}\n")
    return 0


def read_text(name: str) -> str:
    """The text of a file, a pipe or standard input: UTF-8, else the same fallback as
    ``index`` (Windows-1252), with a warning. At most ``MAX_FILE_BYTES``, as ``index`` reads
    a file; a device (``/dev/zero``) or a folder is refused, unread."""
    import stat

    from reader.store.sources import MAX_FILE_BYTES
    from reader.textutil import decode, os_reason

    where = "standard input" if name == "-" else name
    try:
        if name == "-":
            data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        else:
            mode = os.stat(name).st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):  # `entities <(cmd)`: a pipe
                what = "a folder" if stat.S_ISDIR(mode) else "a device or a socket"
                raise Failure(f"{name}: {what}, not a file to read", 2)
            with open(name, "rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise Failure(f"{name}: {os_reason(exc)}", 2) from None
    if len(data) > MAX_FILE_BYTES:
        raise Failure(f"{where}: larger than {MAX_FILE_BYTES >> 20} MiB; split it", 2)
    text, warning = decode(data)
    if warning:
        warn(where, warning)
    return text


def cmd_entities(args: argparse.Namespace) -> int:
    """Print the entity mentions of a text (file or standard input)."""
    if args.top:
        return cmd_top_entities(args)
    chosen = extractor(args)
    text = read_text(args.file)
    lang = None if args.lang == "auto" else args.lang
    write = sys.stdout.write
    quote = json.JSONEncoder(ensure_ascii=False).encode  # a JSON string
    for m in chosen.extract(text, lang):
        if m.kind == EntityKind.MISC and not args.all:
            continue
        if args.json:  # one object per line, in the contract's key order; kinds need no escaping
            write(
                f'{{"start": {m.start}, "end": {m.end}, '
                f'"text": {quote(text[m.start : m.end])}, "type": "{m.kind}"}}\n'
            )
        else:
            write(f"{m.start}\t{m.end}\t{m.kind}\t{text[m.start : m.end]}\n")
    exit_fast()  # the word lists are loaded and nothing else needs cleaning up
    return 0
