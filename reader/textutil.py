"""Pure text helpers shared by loaders, store and UI: cleaning, folding, sentences, blocks."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Literal

from reader.model import Article

# Escape sequences (CSI, OSC and other string commands, two-byte escapes) and every C0/C1
# control character except newline and tab.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, DCS, SOS, PM, APC (+ terminator)
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|[\x9d\x90\x98\x9e\x9f][^\x07\x9c]*[\x07\x9c]?"  # 8-bit string commands
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_DIRTY = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Remove terminal escape sequences and control characters from untrusted text."""
    if not _DIRTY.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text)


def clean_line(text: str) -> str:
    """`clean` plus newlines folded to spaces: for titles and source names."""
    return " ".join(clean(text).split())


def fold(text: str) -> str:
    """Case- and accent-insensitive key: ``"Défi"`` → ``"defi"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_body(text: str, keep_indent: bool = False) -> str:
    """Clean, strip lines, and keep paragraphs separated by exactly one blank line.

    With ``keep_indent`` a line keeps its leading spaces (list items and block quotes laid out
    from HTML).
    """
    text = clean(text).replace("\u00a0\n", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    blank = False
    for line in lines:
        if not line.strip():
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line if keep_indent else line.strip())
    return "\n".join(out)


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


BlockKind = Literal["paragraph", "heading"]
_CLOSING = tuple('.!?:;,…»"”’)]')


def blocks(body: str) -> list[tuple[BlockKind, int, int]]:
    """Split a stored body into paragraphs and sub-headings, as ``(kind, start, end)`` offsets.

    A sub-heading is a short single line with no closing punctuation that is not the lead.
    """
    out: list[tuple[BlockKind, int, int]] = []
    pos = 0
    for chunk in body.split("\n\n"):
        start, end = pos, pos + len(chunk)
        pos = end + 2
        if not chunk.strip():
            continue
        kind: BlockKind = "paragraph"
        if (
            out
            and "\n" not in chunk
            and len(chunk) <= 100
            and not chunk.rstrip().endswith(_CLOSING)
            and (chunk[0].isupper() or chunk[0].isdigit())
        ):
            kind = "heading"
        out.append((kind, start, end))
    return out


def _fold_char(ch: str) -> str:
    folded = fold(ch)
    return folded[0] if folded else ch


def fold_same_length(text: str) -> str:
    """`fold` one character for one character, so offsets into the result fit the original."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(ch) for ch in text)


def match_spans(text: str, terms: Sequence[tuple[Sequence[str], bool]]) -> list[tuple[int, int]]:
    """Where query terms occur in text, case- and accent-insensitively, as sorted spans.

    Each term is ``(tokens, prefix)``: the tokens must follow each other (a phrase), and with
    ``prefix`` the last one may continue. Tokens match whole words, as the full-text index does.
    """
    if not terms or not text:
        return []
    parts = []
    for tokens, prefix in terms:
        words = [re.escape(fold_same_length(t)) for t in tokens if t]
        if not words:
            continue
        tail = r"\w*" if prefix else r"(?!\w)"
        parts.append(r"(?<!\w)" + r"\W+".join(words) + tail)
    if not parts:
        return []
    pattern = re.compile("|".join(f"(?:{p})" for p in parts))
    return [m.span() for m in pattern.finditer(fold_same_length(text)) if m.end() > m.start()]


_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"«»{}|\\^`]+", re.IGNORECASE)


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
