"""Sports reports, where a city's name usually stands for its club ("Dortmund beat Mainz 2-1")."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from typing import Final

# Words that sports reports use and other news rarely does (written by the team).
SPORTS_WORDS: Final = frozenset(
    """match matches goal goals scored scorer striker midfielder defender goalkeeper keeper
    coach season league bundesliga derby penalty championship cup tournament playoffs playoff
    nba nfl nhl stadium fans points draw victory win won beat beaten defeat lost minute
    half-time halftime kick-off kickoff squad team teams club clubs player players title final
    semifinal semi-final quarterfinal quarter-final relegation promoted fixture equalizer
    equaliser header pitch referee buts buteur attaquant milieu défenseur gardien
    entraîneur saison championnat ligue coupe finale victoire défaite nul équipe joueur joueurs
    supporters stade arbitre relegated appearances transfer loan debut trophy champions
    premiership relégué relégation transfert prêt""".split()
)
_WORD: Final = re.compile(r"[^\W\d_][\w'’-]*")


@cache
def _every_character(top: int) -> str:
    """The characters below ``top``, in order (made once: the classes spelled out share it)."""
    return "".join([chr(i) for i in range(top)])


def _spelled_out(pattern: str, top: int = 0x10000) -> str:
    """The characters below ``top`` that the one-character ``pattern`` matches, as a class of
    ranges (a class of Unicode categories is tested character by character through them)."""
    ranges: list[str] = []
    # Each run of consecutive characters it matches, found at once in the string of them all.
    for m in re.finditer(f"(?:{pattern})+", _every_character(top)):
        start, end = m.start(), m.end() - 1
        a, b = re.escape(chr(start)), re.escape(chr(end))
        ranges.append(a if start == end else f"{a}-{b}")
    return "[" + "".join(ranges) + "]"


@cache
def _bmp_word() -> re.Pattern[str]:
    """The same words as _WORD, its classes spelled out for the Basic Multilingual Plane
    (made once, in 30 ms; read in 0.77 s instead of 1.28 s over 10,000 generated articles):
    for a text with no character beyond it (``_in_bmp``), which is nearly every text; any
    other is read with _WORD."""
    return re.compile(_spelled_out(r"[^\W\d_]") + _spelled_out(r"[\w'’-]") + "*")


def _in_bmp(text: str) -> bool:
    """Whether every character of ``text`` is below U+10000 (two bytes each in UTF-16)."""
    return len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text)


_BLOCK: Final = re.compile(r"\n[ \t]*\n")
# A wire story's dateline ("LONDON 1996-08-30"), with its headline in capitals before it:
# where a new story starts when stories are not separated by blank lines.
_DATE: Final = re.compile(r"\d{4}-\d\d-\d\d")
_DATE_TAIL: Final = re.compile(r"-\d\d-\d\d")  # (a literal first: found far faster)


def has_iso_date(text: str) -> bool:
    """Whether ``text`` holds a date such as 1996-08-30 (what a dispatch's dateline has)."""
    return any(
        _DATE.match(text, m.start() - 4) for m in _DATE_TAIL.finditer(text) if m.start() >= 4
    )


# (The text may have been recased: "soccer - Japan get lucky win" for the headline.)
_STORY: Final = re.compile(r"(?:^([^\n]{1,200})\n)?^[^\n]{2,60}?[ \t]\d{4}-\d\d-\d\d[ \t]*$", re.M)
# A headline that names its sport: "SOCCER - JAPAN GET LUCKY WIN", "RUGBY UNION - ...".
_SPORT_HEADLINE: Final = re.compile(
    r"^\s*(?:\w+ )*(?:soccer|football|rugby|cricket|tennis|golf|baseball|basketball|hockey"
    r"|athletics|cycling|boxing|skiing|swimming|racing|formula one|squash|badminton|volleyball"
    r"|handball|rowing|sailing|judo|wrestling|snooker|darts|motorcycling|triathlon|sports?)"
    r"(?: \w+)* - ",
    re.I,
)
MIN_WORDS: Final = 150  # a window is at least this long: paragraphs are read together
MIN_KINDS: Final = 6  # distinct sports words in a window
MIN_SHARE: Final = 0.03  # and their share of its words
MIN_LINE_KINDS: Final = 2  # a single line (a sentence) with this many distinct sports words
MAX_LINE_WORDS: Final = 40  # and no longer than this is a sports line


def sports_windows(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` that report sport: runs of paragraphs at least MIN_WORDS long, or,
    outside them, single short lines ("He joined Burnley's squad for the league season")."""
    out: list[tuple[int, int]] = []
    lines = _Lines(text)
    # Without a date no story has a sports headline, and a window or a line needs two sports
    # words at least: the lines are read until two are found (most news has none), and the
    # words read are kept for the windows.
    dated = has_iso_date(text)
    if not dated:
        seen: set[str] = set()
        for _, line_words in lines.between(0, len(text)):  # (the words are kept for below)
            seen.update(SPORTS_WORDS.intersection(line_words))
            if len(seen) >= MIN_LINE_KINDS:
                break
        else:
            return out
    start, words, hits = 0, 0, 0
    kinds: set[str] = set()
    pos = 0
    # (start, end, a new story starts there): paragraphs are read together up to MIN_WORDS,
    # but a window never runs on from one wire story into the next.
    # A story whose headline names its sport is a sports report however short it is.
    breaks: list[tuple[int, int, bool, bool]] = [
        (m.start(), m.end(), False, False) for m in _BLOCK.finditer(text)
    ]
    sport = False  # the story being read has a sports headline
    if dated:
        stories = [
            (m.start(), m.start(), True, bool(m.group(1) and _SPORT_HEADLINE.match(m.group(1))))
            for m in _STORY.finditer(text)
        ]
        if stories and stories[0][0] == 0:
            sport = stories.pop(0)[3]
        if stories:
            breaks = sorted({*breaks, *stories})
    for m in [*breaks, None]:
        end = m[0] if m else len(text)
        for count, found in lines.between(pos, end):
            words += count
            hits += sum(map(SPORTS_WORDS.__contains__, found))
            kinds.update(SPORTS_WORDS.intersection(found))
        pos = m[1] if m else len(text)
        if words >= MIN_WORDS or m is None or m[2]:
            if words and (sport or (len(kinds) >= MIN_KINDS and hits >= MIN_SHARE * words)):
                out.append((start, end))
            else:
                out.extend(_sports_lines(lines, start, end))
            start, words, hits, kinds = pos, 0, 0, set()
            if m is not None and m[2]:
                sport = m[3]
    return out


class _Lines:
    """The words of each line of a text, lowercased, read once."""

    def __init__(self, text: str) -> None:
        self.text = text
        lower = text.lower()
        # Lowercased once when that keeps every offset ("İ" lowercases to two characters):
        # the words found in it are the same as the lowercased words found in the text.
        self.lower = lower if len(lower) == len(text) else None
        self.word = _bmp_word() if _in_bmp(text if self.lower is None else lower) else _WORD
        self.cache: dict[int, tuple[int, int, list[str]]] = {}

    def line(self, pos: int, end: int) -> tuple[int, int, list[str]]:
        """(end of the line starting at ``pos``, its word count, its lowercased words)."""
        if (hit := self.cache.get(pos)) is not None:
            return hit
        stop = self.text.find("\n", pos, end)
        stop = end if stop < 0 else stop
        if self.lower is not None:
            found = self.word.findall(self.lower, pos, stop)
        else:
            found = list(map(str.lower, self.word.findall(self.text, pos, stop)))
        self.cache[pos] = hit = (stop, len(found), found)
        return hit

    def between(self, pos: int, end: int) -> Iterator[tuple[int, list[str]]]:
        """(word count, lowercased words) of each line from ``pos`` to ``end``."""
        while pos < end:
            stop, count, found = self.line(pos, end)
            yield count, found
            pos = stop + 1


def _sports_lines(lines: _Lines, start: int, end: int) -> list[tuple[int, int]]:
    """Single lines (sentences, short paragraphs) inside ``start:end`` that report sport."""
    out = []
    pos = start
    while pos < end:
        stop, count, found = lines.line(pos, end)
        if count <= MAX_LINE_WORDS and len(SPORTS_WORDS.intersection(found)) >= MIN_LINE_KINDS:
            out.append((pos, stop))
        pos = stop + 1
    return out


def _start(window: tuple[int, int]) -> int:
    return window[0]


def inside(windows: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` falls in one of ``windows`` (sorted, disjoint)."""
    i = bisect_right(windows, offset, key=_start) - 1
    return i >= 0 and offset < windows[i][1]
