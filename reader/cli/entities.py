"""``newsreader entities``: the named entities of a text, or the store's most mentioned ones."""

from __future__ import annotations

import argparse
import bisect
import json
import os
import re
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
    utf8_stdout,
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
    """The text of a file, a pipe or standard input, decoded as ``index`` decodes a dated
    text (UTF-16 with its byte-order mark, UTF-8, else Windows-1252 with a warning). At most
    ``MAX_FILE_BYTES``, as ``index`` reads a file; a device (``/dev/zero``) or a folder is
    refused, unread."""
    import stat

    from reader.store.sources import MAX_FILE_BYTES, SourceError
    from reader.store.sources.dated_text import decode_text, refuse_binary
    from reader.textutil import os_reason

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
    text, warning = decode_text(data)
    try:
        refuse_binary(text)  # (an ELF program's "ELF" was an organisation)
    except SourceError as exc:
        raise Failure(f"{where}: {exc}", 2) from None
    if warning:
        warn(where, warning)
    if data.startswith(b"\xef\xbb\xbf") and not text.startswith("\ufeff"):
        # Offsets index the input as given: decoded as UTF-8 it holds the byte-order mark, and
        # every span was one character short of it. A space in its place keeps them there.
        text = " " + text
    return text


class Cleaned:
    """A text cleaned as ``index`` cleans an article's (``reader.textutil.clean``: terminal
    escape sequences and control characters out, newlines made ``\\n``, tabs spaces), with
    the way back from an offset into the cleaned text to one into the text as given."""

    def __init__(self, text: str) -> None:
        from reader.textutil import _CONTROLS, _ESCAPES, _SURROGATES, LINE_BREAKS

        # as clean() does it, in two steps: newlines and tabs, then what is taken out
        step1, self._first = _deleting(text, re.compile(r"\r(?=\n)"))
        step1 = step1.replace("\r", "\n").replace("\t", " ").translate(LINE_BREAKS)
        step2, self._second = _deleting(
            step1, re.compile(f"(?:{_ESCAPES.pattern})|{_CONTROLS.pattern}")
        )
        self.text = _SURROGATES.sub("\ufffd", step2)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The offsets in the given text of the cleaned text's ``[start:end]`` (an empty span
        stays empty; one that ends before something taken out does not take it in)."""
        first = _back(self._first, _back(self._second, start))
        if end <= start:
            return first, first
        return first, _back(self._first, _back(self._second, end - 1)) + 1


# Where a text lost characters: offsets in the shorter text where a run starts, and the
# offsets in the longer text where the same run starts.
Anchors = tuple[list[int], list[int]]


def _deleting(text: str, pattern: re.Pattern[str]) -> tuple[str, Anchors]:
    """The text without the pattern's matches, and the anchors to map offsets back."""
    pieces: list[str] = []
    short, long = [0], [0]
    pos = kept = 0
    for m in pattern.finditer(text):
        if m.end() == m.start():
            continue
        pieces.append(text[pos : m.start()])
        kept += m.start() - pos
        pos = m.end()
        short.append(kept)
        long.append(pos)
    if pos == 0:
        return text, (short, long)
    pieces.append(text[pos:])
    return "".join(pieces), (short, long)


def _back(anchors: Anchors, offset: int) -> int:
    short, long = anchors
    k = bisect.bisect_right(short, offset) - 1
    return long[k] + offset - short[k]


def cmd_entities(args: argparse.Namespace) -> int:
    """Print the entity mentions of a text (file or standard input)."""
    if args.top:
        if args.file != "-":  # (it was read as nothing at all: the store's list came out)
            raise Failure(f"--top lists the store's entities; it reads no FILE ({args.file})", 2)
        return cmd_top_entities(args)
    chosen = extractor(args)
    # Read as index reads an article: cleaned of escape sequences and control characters
    # (an OSC title between two names made them three entities); offsets into the text as
    # given, the mention's text as read (the same, unless the span held control characters).
    cleaned = Cleaned(read_text(args.file))
    text = cleaned.text
    lang = None if args.lang == "auto" else args.lang
    if args.json:
        utf8_stdout()
    write = sys.stdout.write
    quote = json.JSONEncoder(ensure_ascii=False).encode  # a JSON string
    for m in chosen.extract(text, lang):
        if m.kind == EntityKind.MISC and not args.all:
            continue
        start, end = cleaned.span(m.start, m.end)
        if args.json:  # one object per line, in the contract's key order; kinds need no escaping
            write(
                f'{{"start": {start}, "end": {end}, '
                f'"text": {quote(text[m.start : m.end])}, "type": "{m.kind}"}}\n'
            )
        else:
            write(f"{start}\t{end}\t{m.kind}\t{text[m.start : m.end]}\n")
    exit_fast()  # the word lists are loaded and nothing else needs cleaning up
    return 0
