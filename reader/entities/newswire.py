"""Wire-story conventions the rules would misread: capitals for emphasis and results tables.

- Lines in capitals (headlines, datelines such as ``LONDON 1996-08-30``) are read as if written
  in ordinary case: each word is given the case it usually has (``SOCCER - JAPAN GET LUCKY
  WIN`` reads ``soccer - Japan get lucky win``), so that runs of capitals are names again.
  A word in capitals inside an ordinary line that the lists know in ordinary case (``LONDON
  (Reuters) -``) is read the same way; acronyms the lists know (``NATO``, ``US``) stay.
  The recased text has the same length as the original, so offsets do not move.
- English headlines in title case (``Mzoudi Verdict Postponed Amid New Testimony``, ``German
  Seniors Say No to Nursing Homes``) are read the same way, their capitalised words only:
  ``Mzoudi verdict postponed amid new testimony``. A line counts as one when every word of
  four letters or more is capitalised and one of them besides the first is an ordinary word
  (so a line of names, ``Angela Merkel, Emmanuel Macron``, is left alone).
- News-agency credits after a byline or a dateline, ``(AFP, Reuters)``, ``Paris (AFP) -``, are
  sources rather than mentions: not highlighted, not counted (``credits``). So are the people a
  byline or a credit line names as the story's makers (``Author: Jane Doe / jd Editor: John
  Roe``, ``(Reporting by Jane Doe in Paris; Editing by John Roe)``): what a story is about is
  in its text, who wrote it is not (``bylines``).
- A dateline names a place, even in a sports report (``LONDON 1996-08-30``).
- Results lines (``Leeds 2 Arsenal 1``) and standings rows (``Ajax Amsterdam 3 2 1 0 8 4 7``)
  name teams: a place or an untyped name there is a club, and in a results line so is a name
  the rules took for a person without a title ("Aston Villa 1 Port Vale 0").
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from typing import Final

from reader.entities.lexicon import Lexicon

_WORD: Final = re.compile(r"[^\W\d_][\w'’.&-]*")
# (The capital first, then "no word character before it" looked back at: the same matches as
# a leading \b, but the search can skip to the capitals, three times faster.)
_CAPS_WORD: Final = re.compile(r"[A-ZÀ-ÖØ-Þ](?<!\w.)[A-ZÀ-ÖØ-Þ'’.&-]{3,}\b")
# A word of four letters or more in lowercase, other than the prepositions and conjunctions
# some styles leave in lowercase in titles ("Merkel Meets with Putin over Gas"): a line that
# has one is not in title case.
_TITLE_SMALL: Final = (
    "with from into onto over upon than that amid after about before under until without "
    "against between through during toward towards"
).split()
_LOWER: Final = "a-zß-öø-ÿ"
_LOWER_WORD: Final = re.compile(
    rf"(?<![\w'’-])(?!(?:{'|'.join(_TITLE_SMALL)})(?![\w'’-]))[{_LOWER}][{_LOWER}'’-]{{3,}}"
)
# "LONDON 1996-08-30", "Paris, 30 août 2024", "BONN (Reuters) -": where a dispatch was written.
# "DUESSELDORF , Germany 1996-09-05": the town, then its country or state.
_DATELINE: Final = re.compile(
    r"^[ \t]*([^\W\d_][^\d\n(,]*?)[ \t]*(?:,[ \t]*[^\W\d_][^\d\n(,]{0,30}?[ \t]*)?"
    r"(?:,[ \t]*)?(?:\d{4}-\d\d-\d\d|\d{1,2} \w+ \d{4}|\(\w+\))",
    re.M,
)
# News agencies that credit a dispatch (written by the team).
AGENCIES: Final = frozenset(
    (
        "AFP AP Reuters dpa DPA dapd KNA epd SID AFX ANSA EFE Xinhua TASS Kyodo Yonhap UPI "
        "Belga ATS APA PAP CTK MTI Anadolu IRNA Interfax RIA AAP CP PA Bloomberg PTI IANS ANI "
        "SDA ANP NTB TT STT Lusa Efe"
    ).split()
)
# A parenthesised list of short codes: "(AFP, Reuters)", "(glp, dpa, Reuters, AFP)".
_CREDIT: Final = re.compile(r"\(\s*([^\W\d_]{2,8}(?:\s*[,/;&]\s*[^\W\d_]{2,8}){0,7})\s*\)")
_CREDIT_SPLIT: Final = re.compile(r"\s*[,/;&]\s*")
# "Leeds 2 Arsenal 1", "Aston Villa 1 Port Vale 0": name, score, name, score.
_SCORE_LINE: Final = re.compile(
    r"^[ \t]*([^\W\d_][^\d\n]*?)[ \t]+\d{1,3}[ \t]+([^\W\d_][^\d\n]*?)[ \t]+\d{1,3}[ \t]*$", re.M
)
# "Ajax Amsterdam 3 2 1 0 8 4 7": a standings row, a name and at least three numbers.
# ("NEW YORK 80 58 .580 -", "BOSTON 70 69 .504 10 1/2": percentages, fractions, a dash.)
_TABLE_ROW: Final = re.compile(
    r"^[ \t]*([^\W\d_][^\d\n]*?)(?:[ \t]+\d{1,3}){2,}(?:[ \t]+(?:\d{1,3}|\.\d{3}|\d/\d|-))+"
    r"[ \t]*$",
    re.M,
)


def _cased(word: str, lex: Lexicon, title: bool = False) -> str:
    """The case a word in capitals usually has: kept for known acronyms ("NATO", "US"), a
    capital for names ("Japan", "Kohl"), lowercase for words ("get", "lucky"). ``title``: a
    word of an English headline in title case, where a demonym keeps its capital ("German")."""
    if word in lex.bodies or word in lex.known_orgs or word in lex.countries:
        return word
    cap = _cap(word)
    if title and cap in lex.demonyms:
        return cap
    if (
        cap in lex.countries
        or cap in lex.major_places
        or cap in lex.known_orgs
        or cap in lex.regions
    ):
        return cap
    if cap in lex.titles or cap in lex.org_words or cap in lex.club_words:
        return cap  # "CHANCELLOR KOHL", "PREMIER LEAGUE": cues the rules read
    low = word.lower()
    if low in lex.frequent:
        return low
    if cap in lex.places or cap in lex.first_names or cap in lex.last_names:
        return cap
    if cap in lex.demonyms:
        return cap
    if low in lex.common or (title and _inflected(low, lex)):
        return low
    return cap


def _inflected(low: str, lex: Lexicon) -> bool:
    """Whether a word the lists do not hold is an ordinary word inflected ("unveils",
    "touted", "hiking": "unveil", "tout", "hike"), in a headline in title case."""
    stems = []
    if low.endswith("ies"):
        stems.append(low[:-3] + "y")
    elif low.endswith("es"):
        stems += [low[:-2], low[:-1]]
    elif low.endswith("s") and not low.endswith("ss"):
        stems.append(low[:-1])
    elif low.endswith("ed"):
        stems += [low[:-2], low[:-1]]
    elif low.endswith("ing"):
        stems += [low[:-3], low[:-3] + "e"]
    return any(len(stem) >= 3 and stem in lex.common for stem in stems)


def _cap(word: str) -> str:
    return "-".join(part[:1] + part[1:].lower() for part in word.split("-"))


_TITLE_MAX: Final = 200  # a headline is shorter than this


def _capitalised(word: str) -> bool:
    """Whether each part of a word is a capital, then lowercase ("Verdict", "Know-How"; not
    "EU", "iPhone", "McCain")."""
    return word[:1].isupper() and all(
        p[:1].isupper() and p[1:] == p[1:].lower() for p in word.split("-") if p
    )


def _title_case(line: str, lex: Lexicon) -> bool:
    """Whether a line with no word of four letters or more in lowercase (``_LOWER_WORD``) is a
    headline in title case: at least three such words, one besides the first an ordinary word
    ("Verdict", "Postponed"; a line of names is not one), no full stop at its end, no byline."""
    if line.rstrip().endswith("."):
        return False  # a sentence ("The New York-based Human Rights Watch."), not a headline
    if _BYLINE.search(line):
        return False  # "Author: Jane Doe Editor: John Smith" (``bylines`` reads its labels)
    long = [w for w in _WORD.findall(line) if len(w) >= 4]
    if len(long) < 3:
        return False
    return any(_cased(word, lex, True) == word.lower() for word in long[1:])


def _recase_line(line: str, lex: Lexicon, title: bool = False) -> str:
    """A line in capitals in ordinary case: names of two or three words the lists know first
    ("NEW YORK", "SOUTH AFRICA"), then each word by itself (``_cased``). ``title``: a headline
    in title case, whose capitalised words only are recased ("EU", "iPhone" stay)."""
    words = list(_WORD.finditer(line))
    out = [m.group(0) for m in words]
    done = [False] * len(words)
    for size in (3, 2):
        for i in range(len(words) - size + 1):
            if any(done[i : i + size]):
                continue
            group = words[i : i + size]
            if any(line[a.end() : b.start()] != " " for a, b in itertools.pairwise(group)):
                continue
            name = " ".join(_cap(m.group(0)) for m in group)
            if (
                name in lex.places
                or name in lex.countries
                or name in lex.known_orgs
                or name in lex.bodies
                or name in lex.regions
            ):
                for k in range(i, i + size):
                    out[k], done[k] = _cap(words[k].group(0)), True
    if title:  # "Tim Cook": a first name the lists know, then a last name ("Cook", not "cook")
        for k in range(len(words) - 1):
            first, last = words[k], words[k + 1]
            if (
                not done[k]
                and line[first.end() : last.start()] == " "
                and first.group(0) in lex.first_names
                and first.group(0).lower() not in lex.frequent  # not "In Paris"
                and last.group(0) in lex.last_names
            ):
                done[k] = done[k + 1] = True
    for k, m in enumerate(words):
        if not done[k] and (not title or _capitalised(m.group(0))):
            out[k] = _cased(m.group(0), lex, title)
    pieces, pos = [], 0
    for m, word in zip(words, out, strict=True):
        pieces.append(line[pos : m.start()])
        pieces.append(word)
        pos = m.end()
    pieces.append(line[pos:])
    return "".join(pieces)


def _known_cased(match: re.Match[str], lex: Lexicon) -> str:
    word = match.group(0)
    if word in lex.bodies or word in lex.known_orgs or word in lex.countries:
        return word
    cap = word[:1] + word[1:].lower()
    if cap in lex.major_places or cap in lex.places or cap in lex.countries:
        return cap if len(cap) == len(word) else word
    return word


# A label in capitals opening a line, before a colon or a dash ("MISE À JOUR : la forêt…",
# "UPDATE: the vote…", "VIDÉO - Le maire…"): read as a line in capitals is.
_KICKER: Final = re.compile(r"[^\W\d_a-zß-öø-ÿ][^a-zß-öø-ÿ\n:–—-]{2,60}?(?= ?: | [–—-] )")


def recase(text: str, lex: Lexicon, english: bool = False) -> str:
    """``text`` with its lines in capitals, and the known names in capitals of other lines,
    in ordinary case; ``english``: its headlines in title case too; the same text (the same
    object) when there are none."""
    if english:
        text = _recase_titles(text, lex)
    pieces: list[str] = []
    pos = 0  # text[:pos] is in pieces
    mixed_until = -1  # the end of the last line seen not to be in capitals
    for m in _CAPS_WORD.finditer(text):  # only the lines with a word of four capitals or more
        if m.start() < pos:
            continue  # inside a line already recased
        if m.start() < mixed_until:
            caps = False
        else:
            start = text.rfind("\n", 0, m.start()) + 1
            end = text.find("\n", m.end())
            end = len(text) if end < 0 else end
            line = text[start:end]
            caps = line.upper() == line
            if not caps:
                mixed_until = end
        if caps:
            new = _recase_line(line, lex)
            if len(new) != len(line):
                continue
            pieces.append(text[pos:start])
            pieces.append(new)
            pos = end
        elif (
            (at := text.rfind("\n", 0, m.start()) + 1) == m.start()
            and (kicker := _KICKER.match(text, at)) is not None
            and m.end() <= kicker.end()
        ):
            new = _recase_line(kicker.group(), lex)
            if len(new) == kicker.end() - at:
                pieces.append(text[pos:at])
                pieces.append(new)
                pos = kicker.end()
        else:
            new_word = _known_cased(m, lex)
            if new_word != m.group(0):
                pieces.append(text[pos : m.start()])
                pieces.append(new_word)
                pos = m.end()
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)


def _recase_titles(text: str, lex: Lexicon) -> str:
    """``text`` with its headlines in title case in ordinary case (``_title_case``)."""
    pieces: list[str] = []
    pos = start = 0  # text[:pos] is in pieces; start: where the line begins
    for line in text.split("\n"):
        if len(line) <= _TITLE_MAX and not _LOWER_WORD.search(line) and _title_case(line, lex):
            new = _recase_line(line, lex, title=True)
            if len(new) == len(line) and new != line:
                pieces.append(text[pos:start])
                pieces.append(new)
                pos = start + len(line)
        start += len(line) + 1
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)


def _numbered_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) of the lines that end with a number, or hold a date or a parenthesis."""
    out, pos = [], 0
    for line in text.split("\n"):
        tail = line.rstrip(" \t")[-1:]
        if tail.isdigit() or "(" in line[:60] or "-" in line[:60]:
            out.append((pos, line))
        pos += len(line) + 1
    return out


def results_names(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Spans of the team names of results lines ("Leeds 2 Arsenal 1") and of standings rows
    ("Newcastle 3 2 0 1 5 3 6"), each list sorted."""
    scores: list[tuple[int, int]] = []
    rows: list[tuple[int, int]] = []
    for at, line in _numbered_lines(text):
        last = line.rstrip(" \t")[-1:]
        if not (last.isdigit() or last == "-"):
            continue
        if m := _SCORE_LINE.match(line):
            scores += [(at + m.start(1), at + m.end(1)), (at + m.start(2), at + m.end(2))]
        elif m := _TABLE_ROW.match(line):
            rows.append((at + m.start(1), at + m.end(1)))
    return scores, rows


def datelines(text: str) -> list[tuple[int, int]]:
    """Spans of the places of datelines ("LONDON 1996-08-30"), sorted: places, never clubs."""
    out = []
    for at, line in _numbered_lines(text):
        m = _DATELINE.match(line)
        if m and m.end(1) - m.start(1) <= 40:
            out.append((at + m.start(1), at + m.end(1)))
    return out


def credits(text: str) -> list[tuple[int, int]]:
    """Spans of agency credits in parentheses ("(AFP, Reuters)", "(glp, dpa, AFP)"), sorted:
    at least one known agency, and the rest short codes."""
    if "(" not in text:
        return []
    out = []
    for m in _CREDIT.finditer(text):
        items = _CREDIT_SPLIT.split(m.group(1))
        if any(i in AGENCIES for i in items) and all(i in AGENCIES or len(i) <= 5 for i in items):
            out.append(m.span())  # an agency, and nothing longer than a code besides
    return out


# The labels of a byline or a credit line, and what ends the names after one.
_COLON_LABELS: tuple[str, ...] = (
    "Author",
    "Authors",
    "Editor",
    "Editors",
    "Reporter",
    "Reporters",
    "Auteur",
    "Auteurs",
    "Rédaction",
)
_BYLINE: Final = re.compile(
    r"(?<![\w-])(?:(?:Authors?|Editors?|Reporters?|Auteurs?|Rédaction)[ \t]*:"
    r"|(?:(?:Additional|additional)[ \t]+)?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled)"
    r"[ \t]+by\b)[ \t]*"
)
_BYLINE_STOP: Final = re.compile(r"[\n;()\[\]\"“”]|[ \t]{2}|(?<![\s.][A-Z])\.(?=\s|$)")
_BYLINE_ITEM: Final = re.compile(r"[ \t]*(?:,|/|&|\band\b)[ \t]*|[ \t]*$")
# Lowercase words that belong to a name ("Matthias von Hein"), or join a place ("in Paris").
_NAME_PARTICLES: Final = frozenset("de van von der den da di du del bin al le la in".split())


def bylines(text: str) -> list[tuple[int, int]]:
    """Spans of the names a byline or a credit line gives after its label, sorted: capitalised
    names (a town and a desk's code may follow: "Jane Doe, Nicosia / jd"), up to the next
    label, a parenthesis, a semicolon, a line's end or a sentence's."""
    if not _has_byline_label(text):
        return []
    labels = list(_BYLINE.finditer(text))
    out = []
    for k, m in enumerate(labels):
        limit = labels[k + 1].start() if k + 1 < len(labels) else len(text)
        stop = _BYLINE_STOP.search(text, m.end(), limit)
        end = stop.start() if stop else limit
        pos = last = m.end()
        while pos < end:
            sep = _BYLINE_ITEM.search(text, pos, end)
            cut = sep.start() if sep else end
            words = text[pos:cut].split()
            if words and not _credited_item(words):
                break
            if words:
                last = cut
            pos = sep.end() if sep and sep.end() > pos else end
        if last > m.end():
            out.append((m.end(), last))
    return out


def _has_byline_label(text: str) -> bool:
    """Whether ``text`` may hold a byline: a label before a colon, or "Reporting by" and the
    like (substring tests and the few colons: no regular expression over every text)."""
    at = text.find(":")
    while at >= 0:
        if text[max(0, at - 12) : at].rstrip().endswith(_COLON_LABELS):
            return True
        at = text.find(":", at + 1)
    return "ing by" in text or "ompiled by" in text


def _credited_item(words: list[str]) -> bool:
    """Whether the words between two separators of a byline are a name (or a name "in" a
    town) or a desk's code ("jd", "glb")."""
    if len(words) == 1 and words[0].isalpha() and words[0].islower() and len(words[0]) <= 5:
        return True
    return (
        len(words) <= 6
        and words[0][:1].isupper()
        and all(w[:1].isupper() or w in _NAME_PARTICLES for w in words)
    )


def within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``start:end`` lies inside one of ``spans`` (sorted, disjoint)."""
    i = bisect_right(spans, (start, 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]
