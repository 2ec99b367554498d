"""Pure text helpers shared by loaders, store and UI: cleaning, folding, sentences, blocks,
code blocks and the marks the reader styles."""

from __future__ import annotations

import bisect
import codecs
import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from reader.model import Article

# Escape sequences (CSI, OSC and other string commands, two-byte escapes) and every C0/C1
# control character except newline and tab. An 8-bit string command (U+0090, U+0098, U+009D,
# U+009E, U+009F) is not taken to run to a terminator: in feeds these characters are mostly
# mojibake (``â€\x9d``, a closing quote read as Latin-1), and removing them one by one leaves
# harmless text where a sequence would have deleted the rest of the field.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, DCS, SOS, PM, APC (+ terminator)
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI (a few characters at most)
)
# (and the noncharacters U+FDD0–U+FDEF, U+FFFE, U+FFFF: never text, and no XML can hold one)
# Taken out of text (with the escape sequences): control characters, bidirectional
# overrides, and the invisible characters inside words (a soft hyphen, a zero-width space, a
# word joiner, a byte-order mark): shown, `soft\u00adhyphen` reads "softhyphen", which a
# search for it did not find.
INVISIBLE = "\u00ad\u200b\u2060\ufeff"
_CONTROLS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
    rf"\ufdd0-\ufdef\ufffe\uffff{INVISIBLE}]"
)
_DIRTY = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
    r"\ufdd0-\ufdef\ufffe\uffff\u00ad\u200b\u2060\ufeff\u2028\u2029]"
)
# Line breaks in other forms (a vertical tab, a form feed, NEL, Unicode's line and paragraph
# separators) are newlines, one for one (taken out, two sentences ran into one).
LINE_BREAKS = str.maketrans(dict.fromkeys("\x0b\x0c\x85\u2028\u2029", "\n"))
# A lone surrogate (JSON's "\\ud800", a file name that is not UTF-8): no text can be stored or
# printed with one, so it becomes U+FFFD like any other unreadable character.
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode bytes as UTF-8, else Windows-1252; return (text, warning).

    Text that is UTF-8 but for a few invalid bytes (a line pasted from a Latin-1 file) stays
    UTF-8, each invalid byte read as Windows-1252 alone (see ``repaired_utf8``). The five bytes
    Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) become U+FFFD: one such byte
    must not turn the whole file into Latin-1, whose 0x80–0x9F are control characters (the
    file's curly quotes and dashes would vanish).
    """
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        where = exc.start
    repaired = repaired_utf8(data)
    if repaired is not None:
        text, bad = repaired
        them = "that byte" if bad == 1 else f"those {bad:,} bytes"
        return text, f"not valid UTF-8 (byte {where}); read as UTF-8, {them} as Windows-1252"
    warning = f"not valid UTF-8 (byte {where}); read as Windows-1252"
    try:
        return data.decode("cp1252"), warning
    except UnicodeDecodeError:
        text = data.decode("cp1252", "replace")
        undefined = text.count("\ufffd")
        return text, f"{warning} ({undefined:,} undefined byte{'s' * (undefined != 1)} replaced)"


# A well-formed UTF-8 sequence of two to four bytes (no surrogate, nothing over U+10FFFF).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


_HIGH = bytes(range(0x80, 0x100))


def _byte_as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    """A codec error handler: the first invalid byte read as Windows-1252 (U+FFFD for the
    five it leaves undefined), decoding going on after it."""
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start : exc.start + 1].decode("cp1252", "replace"), exc.start + 1


codecs.register_error("newsreader-cp1252", _byte_as_cp1252)


def repaired_utf8(data: bytes) -> tuple[str, int] | None:
    """The text of bytes that are UTF-8 but for a few invalid bytes, each of those read as
    Windows-1252 on its own, and their count; None when the bytes are not mostly UTF-8 (no
    more well-formed UTF-8 sequences than invalid bytes: a Latin-1 or Windows-1252 file, which
    is read whole as Windows-1252)."""
    sequences = _UTF8_SEQUENCE.findall(data)
    # The decoder takes the same sequences, left to right: every other byte over 0x7F is bad.
    bad = len(data) - len(data.translate(None, _HIGH)) - sum(map(len, sequences))
    if not bad or len(sequences) <= bad:
        return None
    return data.decode("utf-8-sig", "newsreader-cp1252"), bad


def os_reason(exc: OSError) -> str:
    """An operating-system error as the rest of a one-line message: "no such file or
    directory", "permission denied" (lowercase, as newsreader's own reasons are)."""
    reason = exc.strerror or str(exc)
    return reason[:1].lower() + reason[1:]


def clean(text: str) -> str:
    """Remove terminal escape sequences and control characters from untrusted text; a lone
    surrogate becomes U+FFFD."""
    if not _DIRTY.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _ESCAPES.sub("", text.translate(LINE_BREAKS))
    return no_surrogates(_CONTROLS.sub("", text))


def no_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (it can then be encoded)."""
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def clean_line(text: str) -> str:
    """`clean` plus newlines folded to spaces, in NFC: for titles and source names (a title in
    NFD, "e" + U+0301, was shown a column short and read for entities as "Gene" + "ve")."""
    return nfc(" ".join(clean(text).split()))


def fold(text: str) -> str:
    """Case- and accent-insensitive key: ``"Défi"`` → ``"defi"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def nfc(text: str) -> str:
    """``text`` in Unicode normal form C (accents composed with their letters)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def normalise_body(text: str, keep_indent: bool = False) -> str:
    """Clean, strip lines, and keep paragraphs separated by exactly one blank line.

    With ``keep_indent`` a line keeps its leading spaces (list items and block quotes laid out
    from HTML). A fenced code block (see ``code_blocks``) keeps its lines as they are, blank
    ones and indentation included, with one blank line before and after it.

    The text is stored in NFC: ``été`` written as ``e`` and a combining accent becomes the
    one character, as typed and as most feeds write it.
    """
    text = nfc(clean(text)).replace("\u00a0\n", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    fenced = _fenced_lines(lines)
    out: list[str] = []
    blank = False
    i = 0
    while i < len(lines):
        line = lines[i]
        close = fenced.get(i)
        if close is not None:
            if out:
                out.append("")
            out.extend(lines[i : close + 1])
            blank = True
            i = close + 1
            continue
        i += 1
        if not line.strip():
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line if keep_indent else line.strip())
    return "\n".join(out)


# -- code blocks ------------------------------------------------------------------------------
_FENCE = re.compile(r"`{3,}")


def fence_for(code: str) -> str:
    """A fence for ``code``: three backticks, or one more than the longest run of backticks
    that starts a line of it (so no line of the code can close the block)."""
    longest = max((len(m.group(0)) for m in re.finditer(r"(?m)^\s*(`+)", code)), default=0)
    return "`" * max(3, longest + 1)


def _fenced_lines(lines: Sequence[str]) -> dict[int, int]:
    """Opening fence line index → closing fence line index, for every closed code block.

    A fence is a line of three or more backticks alone; the block ends at the next line that
    is the same fence. An opening fence with no closing one is plain text.
    """
    where: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if line.startswith("```") and _FENCE.fullmatch(line):
            where.setdefault(line, []).append(i)
    if not where:
        return {}
    out: dict[int, int] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        positions = where.get(line)
        if positions is not None:
            after = bisect.bisect_right(positions, i)
            if after < len(positions):
                out[i] = positions[after]
                i = positions[after] + 1
                continue
        i += 1
    return out


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A fenced code block of a body, as offsets: the whole block (fences included) and its
    code lines (``body[code_start:code_end]``; empty for an empty block)."""

    start: int
    end: int
    code_start: int
    code_end: int


def code_blocks(body: str) -> list[CodeBlock]:
    """The fenced code blocks of a stored body, in order.

    Feed HTML's ``<pre>`` becomes such a block: its lines and indentation as they were,
    between two fence lines of backticks. The reader shows the code in its own style and
    never wraps it; ``show`` prints it as it is.
    """
    if "```" not in body:
        return []
    lines = body.split("\n")
    starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    out = []
    for open_at, close_at in _fenced_lines(lines).items():
        code_start = starts[open_at + 1]
        code_end = max(starts[close_at] - 1, code_start)
        out.append(CodeBlock(starts[open_at], starts[close_at] + len(lines[close_at]),
                             code_start, code_end))  # fmt: skip
    return out


def without_code(body: str) -> str:
    """The body with each fenced code block blanked (spaces, newlines kept): same length and
    offsets, so what is found in it applies to the body as it is. Entity extraction reads
    this: `SELECT … FROM … WHERE` in a code block is no organisation."""
    blocks = code_blocks(body)
    if not blocks:
        return body
    parts = []
    pos = 0
    for block in blocks:
        parts.append(body[pos : block.start])
        parts.append(re.sub(r"[^\n]", " ", body[block.start : block.end]))
        pos = block.end
    parts.append(body[pos:])
    return "".join(parts)


class SegmentKind(StrEnum):
    """A run of a body: prose to wrap, or code or a table to show line by line."""

    PROSE = "prose"
    CODE = "code"
    TABLE = "table"  # a table laid out from HTML: its header, the rule under it, its rows


def segments(body: str) -> list[tuple[SegmentKind, int, int]]:
    """The body as runs of prose, code and tables ``(kind, start, end)``, fence lines and the
    blank lines around code and tables left out; offsets are the body's (entity and match
    spans apply as they are). A body without code or table is one prose run."""
    out: list[tuple[SegmentKind, int, int]] = []
    pos = 0
    for block in code_blocks(body):
        prose_end = block.start
        while prose_end > pos and body[prose_end - 1] == "\n":
            prose_end -= 1
        if prose_end > pos:
            _prose_and_tables(body, pos, prose_end, out)
        out.append((SegmentKind.CODE, block.code_start, block.code_end))
        pos = block.end
        while pos < len(body) and body[pos] == "\n":
            pos += 1
    if pos < len(body) or not out:
        _prose_and_tables(body, pos, len(body), out)
    return out


# A table's rule: ``─`` under each header cell, two cells or more (one rule alone under a
# line is a heading's underline in a plain text, not a table).
_TABLE_RULE = re.compile(r"(?m)^ *─+(?: +─+)+ *$")


def _prose_and_tables(
    body: str, start: int, end: int, out: list[tuple[SegmentKind, int, int]]
) -> None:
    """The prose run ``body[start:end]`` as prose and table runs: a table is the paragraph
    holding a header line and the rule under it (``reader.store.sources.htmltext`` lays a
    table out as one paragraph)."""
    pos = start
    for m in _TABLE_RULE.finditer(body, start, end):
        header = max(body.rfind("\n", pos, m.start() - 1) + 1, pos)
        if m.start() <= pos or not body[header : m.start() - 1].strip():
            continue  # no header line above it (or in a table already cut)
        cut = body.rfind("\n\n", pos, m.start())
        table_start = pos if cut < 0 else cut + 2
        table_end = body.find("\n\n", m.end(), end)
        table_end = end if table_end < 0 else table_end
        if table_start > pos:
            while cut > pos and body[cut - 1] == "\n":
                cut -= 1
            out.append((SegmentKind.PROSE, pos, cut))
        out.append((SegmentKind.TABLE, table_start, table_end))
        pos = table_end
        while pos < end and body[pos] == "\n":
            pos += 1
    if pos < end or start == end:
        out.append((SegmentKind.PROSE, pos, end))


# A line's indent (a block quote's, a list item's) and its list marker: ``* ``, ``+ ``, ``o ``,
# ``- ``, ``• `` (the bullets of HTML's lists as laid out) or a number, ``12. ``, ``3) ``.
_HANG = re.compile(r"( *)((?:[*+o•◦‣-]|\d{1,9}[.)]) +)?(?=\S)")
_ROMAN = r"m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
# A letter or roman-numeral label after an indent (``a. ``, ``iv. ``, ``XII. ``): an ordered
# list of HTML's as laid out (``reader.store.sources.htmltext`` keeps a space before one).
_LETTERED = re.compile(
    rf"(?:[a-z]|[A-Z]|(?=[ivxlcdm]){_ROMAN}|(?=[IVXLCDM]){_ROMAN.upper()})[.)] +(?=\S)"
)


def hanging_indent(line: str) -> int:
    """Where the text of a quote's or list item's line starts: its leading spaces and list
    marker (``"  * Bullet"`` → 4). Wrapped, the line's next rows start at that column (a
    hanging indent). 0 for a line that is not indented and has no marker, or is blank; an
    ``o`` at the start of a line is a word, not a bullet. A letter or roman label (``iv. ``)
    counts only after an indent: at the start of a line it is a sentence's initial ("A. Smith
    said", "I. Kant wrote"), and the layout indents the labels of its lists. (An indented
    paragraph that starts with an initial, in a quote, hangs under the word after it.)"""
    m = _HANG.match(line)
    if m is None:
        return 0
    spaces, marker = m.group(1), m.group(2) or ""
    if marker.startswith("o") and not spaces:
        marker = ""
    elif not marker and spaces and (label := _LETTERED.match(line, len(spaces))):
        marker = label.group()
    return len(spaces) + len(marker)


_ABBREVIATIONS = frozenset(
    (
        "m mm mme mmes mlle mr mrs ms dr drs pr prof st ste sr jr gen gov sen rep col capt lt "
        "sgt mt vs etc cf p pp no nos n° vol fig ed eds approx av bd inc ltd co corp dept est "
        "jan feb mar apr jun jul aug sep sept oct nov dec janv févr avr juil déc"
    ).split()
)
_END = re.compile(r"[.!?…]+[\"'»”’)\]]*(?:[ \u00a0\u202f]*[»”])?(?=\s|$)")
_NEXT_START = re.compile(r"\s+[\"'«“‘(\[\u00a0\u202f]*\s*[A-ZÀ-ÖØ-Þ0-9]")
_CLOSERS = "\"'»”’)] \u00a0\u202f"
_WORD_BEFORE = re.compile(r"(\S+)$")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Is the period at ``dot`` part of an abbreviation or an initial?"""
    m = _WORD_BEFORE.search(text, 0, dot)
    if not m:
        return False
    word = m.group(1).lstrip("\"'«“‘([")
    if len(word) == 1 and word.isalpha():
        return True  # initials: J. R. Tolkien
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
        return True  # U.S., e.g.
    return word.lower() in _ABBREVIATIONS


def sentence_ends(text: str) -> Iterator[int]:
    """Offsets just past the end of each sentence of one paragraph (the last one included)."""
    for m in _END.finditer(text):
        end = m.end()
        tail = text[end:]
        if tail and not _NEXT_START.match(tail):
            continue
        lone_dot = m.group(0)[0] == "." and len(m.group(0).rstrip(_CLOSERS)) == 1
        if lone_dot and _is_abbreviation(text, m.start()):
            continue
        yield end
    yield len(text)


def first_sentence(text: str, limit: int = 240) -> str:
    """The first sentence of the first paragraph, shortened at a word if over ``limit``."""
    para = text.strip().split("\n\n", 1)[0]
    para = " ".join(para.split())
    end = next(sentence_ends(para))
    sentence = para[:end].strip()
    if len(sentence) > limit:
        cut = sentence.rfind(" ", 0, limit)
        sentence = sentence[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"
    return sentence


class BlockKind(StrEnum):
    """What a block of a stored body is."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    CODE = "code"  # a fenced code block, fences included


_CLOSING = tuple('.!?:;,…»"”’)]')


def blocks(body: str, lead: bool = True) -> list[tuple[BlockKind, int, int]]:
    """Split a stored body into paragraphs, sub-headings and code blocks, as
    ``(kind, start, end)`` offsets.

    A sub-heading is a short single line with no closing punctuation that is not the lead
    (``lead``: the first block is one, as a dated text's, whose title is its first sentence;
    a feed item's text may open with a heading); a code block is one block however many
    blank lines it holds.
    """
    out: list[tuple[BlockKind, int, int]] = []
    pos = 0
    for code in [*code_blocks(body), None]:
        stop = code.start if code is not None else len(body)
        _prose_blocks(body, pos, stop, out, lead)
        if code is not None:
            out.append((BlockKind.CODE, code.start, code.end))
            pos = code.end
    return out


def _prose_blocks(
    body: str, pos: int, stop: int, out: list[tuple[BlockKind, int, int]], lead: bool
) -> None:
    for chunk in body[pos:stop].split("\n\n"):
        start, end = pos, pos + len(chunk)
        pos = end + 2
        stripped = chunk.strip("\n")
        if not stripped.strip():
            continue
        start += len(chunk) - len(chunk.lstrip("\n"))
        end = start + len(stripped)
        chunk = stripped
        kind = BlockKind.PARAGRAPH
        if (
            (out or not lead)
            and "\n" not in chunk
            and len(chunk) <= 100
            and not chunk.rstrip().endswith(_CLOSING)
            and (chunk[0].isupper() or chunk[0].isdigit())
            and not _ENCLOSURE_LINE.fullmatch(chunk)
        ):
            kind = BlockKind.HEADING
        out.append((kind, start, end))


# -- marks the reader styles ------------------------------------------------------------------
class MarkKind(StrEnum):
    """A line or a marker of a stored body that the reader shows in its own style."""

    IMAGE = "image"  # ``[image: alt] [3]``
    MEDIA = "media"  # ``[video: name] [4]``, ``[audio: name] [5]``
    ENCLOSURE = "enclosure"  # ``Enclosure: episode.mp3 (audio/mpeg, 24.1 MB, 42:17) [1]``
    TABLE_HEADER = "table-header"  # a table's header row
    TABLE_RULE = "table-rule"  # the ``────`` line under it
    LINKS = "links"  # the ``Links`` heading over the numbered addresses


_IMAGE_MARK = re.compile(r"\[(image|video|audio): [^\]\n]*\](?: \[\d+\])?")
_ENCLOSURE_LINE = re.compile(r"Enclosure: [^\n]* \[\d+\]")
_RULE_LINE = re.compile(r"(?m)^ *─+(?: +─+)* *$")


def marks(body: str) -> list[tuple[MarkKind, int, int]]:
    """The styled marks of a stored body ``(kind, start, end)``, sorted, outside code blocks.

    Enclosure lines open the body (one per enclosure); images and media are markers in the
    text; a table's header row is the line above a rule of ``─``; ``Links`` heads the
    numbered addresses at the end.
    """
    out: list[tuple[MarkKind, int, int]] = []
    code = code_blocks(body)

    def in_code(at: int) -> bool:
        return any(c.start <= at < c.end for c in code)

    pos = 0
    for line in body.split("\n"):
        if not _ENCLOSURE_LINE.fullmatch(line):
            break
        out.append((MarkKind.ENCLOSURE, pos, pos + len(line)))
        pos += len(line) + 1
    for m in _IMAGE_MARK.finditer(body):
        if not in_code(m.start()):
            kind = MarkKind.IMAGE if m.group(1) == "image" else MarkKind.MEDIA
            out.append((kind, m.start(), m.end()))
    for m in _RULE_LINE.finditer(body):
        if in_code(m.start()) or m.start() < 2:
            continue
        header_start = body.rfind("\n", 0, m.start() - 1) + 1
        if body[header_start : m.start() - 1].strip():
            out.append((MarkKind.TABLE_HEADER, header_start, m.start() - 1))
            out.append((MarkKind.TABLE_RULE, m.start(), m.end()))
    links = _LINKS_SECTION.search(body)
    if links is not None:
        heading = body.index("Links", links.start())
        out.append((MarkKind.LINKS, heading, heading + len("Links")))
    return sorted(out, key=lambda m: (m[1], m[2]))


def format_size(length: int | None) -> str | None:
    """``24.1 MB`` for a byte count (decimal units, as podcast apps show them); None if
    unknown."""
    if length is None or length <= 1:
        return None
    size = float(length)
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return None  # unreachable


def format_duration(seconds: int | None) -> str | None:
    """``42:17`` or ``1:02:03`` for a number of seconds; None if unknown."""
    if seconds is None or seconds <= 0:
        return None
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table: each character's `fold`, worked out the first time it is
    met. Most characters fold to one (``é`` → ``e``); a combining mark folds to nothing (the
    accent of ``e`` + U+0301, text in NFD) and a few to two (``ß`` → ``ss``)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold(chr(code))
        if len(folded) != 1:
            _UNEVEN.add(chr(code))
        return folded


_FOLDS = _FoldTable()
_UNEVEN: set[str] = set()  # the characters met whose fold is not one character


def fold_offsets(text: str) -> tuple[str, list[int] | None]:
    """`fold` of ``text`` and, for each folded character, the offset in ``text`` of the
    character it comes from; None when they are the same offsets (each character folded to
    one), as for any text in NFC without ``ß`` or ligatures."""
    if text.isascii():
        return text.lower(), None
    folded = text.translate(_FOLDS)
    if _UNEVEN.isdisjoint(text):
        return folded, None
    owners = [i for i, ch in enumerate(text) for _ in range(len(_FOLDS[ord(ch)]))]
    return folded, owners


def match_spans(text: str, terms: Sequence[tuple[Sequence[str], bool]]) -> list[tuple[int, int]]:
    """Where query terms occur in text, case- and accent-insensitively, as sorted spans.

    Each term is ``(tokens, prefix)``: the tokens must follow each other (a phrase), and with
    ``prefix`` the last one may continue. Tokens match whole words, as the full-text index does.
    Text and tokens may be in any normal form (``été`` precomposed or an ``e`` and a combining
    accent): spans are offsets into ``text`` as it is, a word's accents included.
    """
    if not terms or not text:
        return []
    parts = []
    for tokens, prefix in terms:
        words = [re.escape(w) for w in map(fold, tokens) if w]
        if not words:
            continue
        tail = r"\w*" if prefix else r"(?!\w)"
        parts.append(r"(?<!\w)" + r"\W+".join(words) + tail)
    if not parts:
        return []
    pattern = re.compile("|".join(f"(?:{p})" for p in parts))
    folded, owners = fold_offsets(text)
    spans = [m.span() for m in pattern.finditer(folded) if m.end() > m.start()]
    if owners is None:
        return spans
    out = []
    for start, end in spans:
        start, end = owners[start], owners[end - 1] + 1
        while end < len(text) and not _FOLDS[ord(text[end])]:
            end += 1  # the accents over the last letter (a character of their own in NFD)
        out.append((start, end))
    return out


# Square brackets end an address (markup written around it, "[link=http://x]…[/link]"),
# except an IPv6 host's own ("http://[::1]:8080/").
_URL_TAIL = r"[^\s<>\"«»{}|\\^`\[\]]"
_URL = re.compile(
    rf"\b(?:https?://\[[0-9a-f:.]+\]{_URL_TAIL}*|(?:https?://|www\.){_URL_TAIL}+)", re.IGNORECASE
)


def find_links(text: str) -> list[tuple[int, int, str]]:
    """Web addresses in text, as ``(start, end, url)``; trailing punctuation is left out."""
    out = []
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".,;:!?'’)]")
        if url.count("(") > url.count(")") and m.group(0)[len(url) : len(url) + 1] == ")":
            url += ")"
        out.append((m.start(), m.start() + len(url), url))
    return out


_LINKS_SECTION = re.compile(r"(?:\A|\n\n)Links\n\n((?:\[\d+\] \S+(?:\n|\Z))+)\Z")


def listed_links(body: str) -> list[str] | None:
    """The addresses of a feed article's trailing ``Links`` section, in their numbered order."""
    m = _LINKS_SECTION.search(body)
    if m is None:
        return None
    return [line.split(" ", 1)[1] for line in m.group(1).splitlines() if line]


def article_links(article: Article) -> list[str]:
    """An article's links, numbered as the reader shows them.

    A feed article lists its links at the end of its text, ``[1]`` onwards, and its own link
    follows them; otherwise the article's own link comes first, then the web addresses in its
    text. No repeats.
    """
    listed = listed_links(article.body)
    if listed is not None:
        return [*listed, article.link] if article.link and article.link not in listed else listed
    links: list[str] = [article.link] if article.link else []
    for _, _, url in find_links(article.body):
        if url.lower().startswith("www."):
            url = "https://" + url
        if url not in links:
            links.append(url)
    return links


_WORD = re.compile(r"[^\W_]+")


def literal_terms(text: str) -> list[tuple[tuple[str, ...], bool]]:
    """Find terms for text typed as it is (no query syntax: ``Input:`` finds "Input"): its
    words in sequence, the last one a prefix while it is being typed."""
    words = tuple(_WORD.findall(text))
    return [(words, not text[-1:].isspace())] if words else []


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 article``, ``2,000 articles`` (``many``: an irregular plural)."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {many or noun + 's'}"
