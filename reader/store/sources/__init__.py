"""Loaders: one module per input format, each turning bytes into ParsedArticle records."""

from __future__ import annotations

import itertools
import re
import zlib

MAX_FILE_BYTES = 16 * 1024 * 1024  # the same cap as for a fetched feed
_FEED_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml|<rss|<feed|<rdf:RDF|<!--|\{)", re.I)


class SourceError(Exception):
    """A file or URL that could not be read or parsed; the message is the one-line reason."""

    exit_code = 1


class BadAddress(SourceError):
    """An address that cannot be subscribed at all (another scheme, no such file): a usage
    error."""

    exit_code = 2


GZIP_MAGIC = b"\x1f\x8b"
GZIP_STEP = 64 * 1024  # the most bytes one inflating step gives (as the fetcher's)


def gunzipped(data: bytes, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes a gzip file holds, when ``data`` is one (it starts with gzip's magic bytes);
    else ``data`` itself. A ``.xml.gz`` file, or a feed a server compressed without saying so
    (no ``Content-Encoding``), is otherwise taken for malformed XML or binary data.

    Inflated ``GZIP_STEP`` bytes at a time, and no further than ``max_bytes`` (the cap of a
    fetched body or of a file): a gzip bomb stops there, having held no more than the cap.
    Members that follow one another are joined (RFC 1952); bytes after the last that are no
    gzip member are ignored, as the fetcher ignores them. SourceError: over the cap, corrupt
    or cut short."""
    if not data.startswith(GZIP_MAGIC):
        return data
    pieces: list[bytes] = []
    size = 0
    rest = data
    for member in itertools.count():
        if not rest:
            break
        z = zlib.decompressobj(zlib.MAX_WBITS | 16)
        before = size
        try:
            while True:
                piece = z.decompress(rest, GZIP_STEP)
                pieces.append(piece)
                size += len(piece)
                if size > max_bytes:
                    mib = f"{max_bytes / 1048576:g} MiB"
                    raise SourceError(f"larger than the {mib} limit once decompressed")
                rest = z.unconsumed_tail
                if z.eof or (not rest and len(piece) < GZIP_STEP):
                    break  # (at its end a member's bytes after it stay in unconsumed_tail too)
        except zlib.error:
            if member and size == before:
                break  # trailing bytes after the last member, no member of their own
            raise SourceError("gzip-compressed, but the compressed data is corrupt") from None
        if not z.eof:
            if member and size == before:
                break  # trailing bytes that gave nothing: not a member cut short
            raise SourceError("gzip-compressed, but cut short (the compressed data ends early)")
        rest = z.unused_data
    return b"".join(pieces)


class Skipped(Exception):
    """A file that holds no dated article (empty, or no date line); not an error."""


_WIDE = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)


def looks_like_feed(data: bytes) -> bool:
    """Does this file start like XML or JSON (in any Unicode encoding) rather than dated text?"""
    head = data[:512]
    for mark, encoding in _WIDE:
        if head.startswith(mark):
            head = head.decode(encoding, "ignore").lstrip("\ufeff").encode()
            break
    return bool(_FEED_START.match(head))


_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def sniff(data: bytes) -> None:
    """Refuse, cheaply, bytes that cannot be a feed before a parser spends time on them.

    A feed starts (after a byte-order mark and blank space) with ``<`` or ``{``, in some
    Unicode encoding; binary data (an image, random bytes) is named as such.
    """
    if looks_like_feed(data):
        return
    head = data[:4096]
    if not head.strip():
        raise SourceError("not a feed: the file is empty")
    for mark, _ in _WIDE:
        if head.startswith(mark):
            raise SourceError("not a feed: it does not start with XML or JSON")
    if _BINARY.search(head):
        raise SourceError("not a feed: binary data, not text")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"<", b"{"):
        return  # XML or JSON that does not start the usual way (a doctype, a comment…)
    raise SourceError("not a feed: it does not start with XML or JSON")
