"""The built-in extractor: capitalisation, context cues, gazetteers, document consistency.

Two passes over one text:
1. find candidate names (runs of capitalised words, joined by particles such as ``de``,
   ``van`` or ``of``, and by ``for``/``on``/``and`` inside an institution's name), split runs
   that hold two names (``Cairo's Tahrir Square``, ``US President Barack Obama``, ``Brent
   Hinds of Mastodon``), strip titles and sentence-initial common words, and type each from
   the strongest evidence (organisation, club, site and event words, known organisations,
   place gazetteer, titles, first names, acronyms, surrounding words);
2. make the document consistent: the same name gets one type throughout, a lone surname
   (``Musk``) takes the type of the full name it belongs to (``Elon Musk``), and in a sports
   report a city not named as a location is its club (``Mainz won 2-1``; see ``sports``).

Spans it cannot type with confidence are returned as ``MISC`` (not highlighted, not scored),
because a wrong highlight costs the reader more than a missing one.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import itemgetter

from reader.entities.gazetteer import (
    BODIES,
    CLUB_WORDS,
    COMPASS,
    CONNECTORS,
    DEMONYMS,
    EPITHETS,
    EVENT_WORDS,
    GEO_NOUNS,
    KNOWN_ORGS,
    LOWER_TAIL_HEADS,
    ORG_NOUNS,
    ORG_WORDS,
    PLACE_WORDS,
    PRODUCT_WORDS,
    REGIONS,
    SITE_WORDS,
    STOP,
    TITLES,
)
from reader.entities.runs import DOTTED, PARTICLES, POSSESSIVE, RunFinder, is_title
from reader.entities.sports import inside, sports_windows
from reader.lang import detect_language

_DOTTED_ENDS = frozenset("Jr Sr Bros Inc Corp Ltd Co".split())
_DIGIT = re.compile(r"\d")
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z][A-Z0-9&]+$")
NAME_ARTICLES = frozenset("The La Le Les El Los Las Il Die Der Das".split())
_ROMAN = re.compile(r"(?=[IVXLC]{2})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")


# Place words that are common surnames: "Jonah Hill", "Rosemary Wood".
_SURNAME_PLACE_WORDS = frozenset("Hill Hills Wood Woods Ford Brook Brooks Moore Marsh".split())


# Words that open a state's name followed by lowercase adjectives ("République tchèque").
_STATE_HEADS = frozenset("République Royaume Empire Principauté Sultanat Émirat".split())
# Particles inside a person's name that allow it to run long ("Charles Marie de La Condamine").
_NAME_PARTICLES = frozenset("de du d' d’ l' l’ la le von van der den di da dos del y".split())


# Last words of newspaper names that take "The" ("The Washington Post").
_PAPER_WORDS = frozenset(
    "Times Post Journal Herald Tribune Telegraph Guardian Observer Economist Independent "
    "Globe Chronicle Gazette Mail Sun".split()
)


def _initial(text: str, span: tuple[int, int]) -> bool:
    """A one-letter capital followed by a period: an initial ("A. R. Rahman"), not "A"."""
    return span[1] - span[0] == 1 and text[span[1] : span[1] + 1] == "."


# Words that end a name when they close a run of capitals: bylines and dates.
TRAILING_STOP = frozenset(
    """Author Authors Editor Editors Reporter Reporting Correspondent Photographer Photo Photos
    Auteur Auteurs Rédacteur Rédactrice Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche January February March April June July
    August September October November December""".split()
)
PERSON_AFTER = frozenset(
    "said says told added explained wrote argued insisted declared who whose "
    "déclare explique affirme estime souligne ajoute précise raconte confie assure".split()
)
# Words before a city that keep it a place even in a sports report.
PLACE_PREPOSITIONS = frozenset("in at near outside around à près".split())
GEO_KINDS = frozenset("city town village region state ville région".split())
PLACE_BEFORE = frozenset("in à en au aux near près vers du".split())
# Words after which a lone unknown name is most often a person: "selon Plutarque".
PERSON_BEFORE = frozenset("par selon".split())
ORG_BEFORE = frozenset(
    """company firm group maker carmaker automaker retailer bank agency broadcaster newspaper
    daily label startup start-up brand airline société groupe firme agence constructeur
    fabricant enseigne banque marque opérateur chez quotidien hebdomadaire journal band bands
    duo trio quartet orchestra orchestre club party parti companies firms groups brands banks
    marques sociétés groupes constructeurs banques""".split()
)


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    text: str
    kind: str  # PERSON | ORG | PLACE | MISC
    strong: bool  # typed by strong evidence (gazetteer word, title, context)
    tokens: list[str] = field(default_factory=list)
    owner: bool = False  # an untyped single name followed by a possessive


class RuleExtractor(RunFinder):
    """Fast French/English named-entity extractor with no model to load."""

    # -- pass 1: runs of capitals are found by RunFinder (runs.py) ---------------------

    def _candidate(
        self,
        text: str,
        spans: list[tuple[int, int]],
        at_start: bool,
        before: str,
        after: str,
        mid: frozenset[str] = frozenset(),
        english: bool = False,
    ) -> _Candidate | None:
        words = [text[s:e] for s, e in spans]
        if words[-1].endswith(("-based", "-born")):  # "New York-based": the place it names
            cut = 6 if words[-1].endswith("-based") else 5
            words[-1] = words[-1][:-cut]
            spans = [*spans[:-1], (spans[-1][0], spans[-1][1] - cut)]
        if at_start and len(spans) > 1 and text[spans[0][0] : spans[-1][1]] in mid:
            at_start = False  # the same name appears mid-sentence: its first word is no stop
        role = before.startswith("role:")
        geo = before == "geo:"
        before = before.removeprefix("role:")
        titled = before.capitalize() in TITLES or before in ("m", "mme", "mr", "dr")
        # Strip leading titles and stop words, unless they belong to a place's name (La Rochelle).
        whole = text[spans[0][0] : spans[-1][1]]
        if (
            len(words) > 1
            and whole in self.places
            and (words[0] in STOP or (at_start and words[0].lower() in self.frequent))
            and not is_title(words[0])
        ):  # "La Rochelle", "Salt Lake City" at the start of a sentence
            return _Candidate(spans[0][0], spans[-1][1], whole, "PLACE", True, words)
        if len(words) > 1 and (whole in KNOWN_ORGS or whole in BODIES):
            return _Candidate(spans[0][0], spans[-1][1], whole, "ORG", True, words)
        # An article written with a capital inside a sentence belongs to the name:
        # "joined The Rolling Stones", "won La Liga".
        article = (
            not at_start
            and len(words) > 1
            and words[0] in NAME_ARTICLES
            and words[1] not in STOP
            and not is_title(words[1])
            and not _ACRONYM.match(words[1])
            and not self.certain_kind(text[spans[1][0] : spans[-1][1]])
            and text[spans[1][0] : spans[-1][1]] not in self.places
        )
        article_start = spans[0][0]
        if (
            words[0] in ("The", "the")
            and len(words) > 1
            and words[-1] in _PAPER_WORDS
            and (len(words) > 2 or words[-1] in ("Economist", "Guardian", "Independent"))
        ):
            article = True  # "The New York Times", "The Economist": the article is in the name
        placed = len(words) > 1 and (
            words[-1] in ORG_WORDS or words[-1] in PLACE_WORDS or words[-1] in SITE_WORDS
        )
        while words and (
            (is_title(words[0]) and not (placed and len(words) <= 4))
            or (words[0] in STOP and not (len(words) > 1 and _initial(text, spans[0])))
        ):
            if is_title(words[0]):
                titled = True
            else:
                before = words[0].lower()  # "Selon Plutarque", "At Anfield"
            words.pop(0)
            spans = spans[1:]
            at_start = False
        if titled and words and words[0].lower() in CONNECTORS:
            titled = False  # "CEO de Xiaomi", "president of Acme": what follows is no person
            org_cue = True
        else:
            org_cue = False
        while words and words[0] in CONNECTORS and words[0] not in PARTICLES:
            words.pop(0)
            spans = spans[1:]

        if (
            at_start
            and len(words) > 1
            and not _initial(text, spans[0])
            and (
                words[0].lower() in self.frequent
                or (  # "Reprenant Aristote", "Starring Ben Affleck": a participle
                    words[0].endswith(("ant", "ing")) and words[0].lower() in self.common
                )
                or (  # "Geologist Farouk El-Baz", "Teammate Russell Ingall"
                    self._first_name(words[1])
                    and 3 <= len(words) <= 4
                    and words[0] not in self.last_names
                    and words[0] not in self.first_names
                    and words[0] not in self.places
                )
            )
            and not self._is_name(words[0])
            and not self._first_name(words[0])
            and words[0] not in LOWER_TAIL_HEADS
            and words[0] not in ORG_WORDS
            and not (len(words) == 2 and words[1] in ORG_WORDS)  # "European Parliament"
        ):
            if self._first_name(words[1]) and words[0] not in self.frequent:
                titled = True
            before = words[0].lower()  # "Selon Plutarque": the cue opens the sentence
            words.pop(0)
            spans = spans[1:]
            at_start = False
            while len(words) > 1 and is_title(words[0]):  # "Foreign Minister Joschka Fischer"
                titled = True
                words.pop(0)
                spans = spans[1:]
            while len(words) > 1 and words[0] in CONNECTORS and words[0] not in PARTICLES:
                words.pop(0)  # "Fan des Lakers de Los Angeles"
                spans = spans[1:]
        while words and (
            words[-1].lower() in CONNECTORS
            or words[-1] in ("for", "on", "and", "pour", "et", "l'", "l’", "d’")
            or words[-1] in TRAILING_STOP
            or (
                words[-1] in STOP
                and (words[-1].istitle() or words[-1].isupper())
                and len(words[-1]) > 1
                and len(words) > 1
            )
        ):
            words.pop()  # "Nick Amies Editor: …", "Berlin Monday", "Merkel At" in a headline
            spans = spans[:-1]
        if not words:
            return None
        if len(words) == 1:
            word = POSSESSIVE.sub("", words[0])  # "It's", "Tuesday's"
            if (
                (word in DEMONYMS and word not in KNOWN_ORGS)  # "the Taliban" is a group
                or word in STOP
                or word.isdigit()
                or len(word) == 1
                or word[-1] in "'’"  # an elided article or pronoun: "L’ ", "C'"
            ):
                return None
            if (
                at_start
                and word.lower() in self.common
                and not self._is_name(word)
                and not (word.isupper() and len(word) > 1)  # "EU", not "Le" or "A"
            ):
                return None
            if (
                at_start
                and word.endswith(("ly", "ment"))
                and word not in self.places
                and word not in ORG_WORDS
                and word not in KNOWN_ORGS
            ):
                return None  # "Additionally,", "Finalement,": a sentence-opening adverb
            if _ROMAN.fullmatch(word):
                return None  # "XV", "II" on their own
        start, end = spans[0][0], spans[-1][1]
        last = words[-1]
        if text[end : end + 1] == "." and (
            re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", last)
            or (len(last) == 1 and len(words) > 1)
            or (last in _DOTTED_ENDS and len(words) > 1)
        ):
            end += 1  # "U.S.", "Detlef S.", "Warner Bros.", "Arthur Rankin Jr."
            words[-1] += "."
        span_text = text[start:end]
        if m := POSSESSIVE.search(span_text):
            end -= len(m.group(0))
            span_text = span_text[: -len(m.group(0))]
            words[-1] = POSSESSIVE.sub("", words[-1])
        kind, strong = self._type(words, span_text, titled, before, after.lower(), english)
        owner = (
            kind == "MISC"
            and len(words) == 1
            and text[end : end + 3].lstrip(" ")[:2] in ("'s", "’s")
            and words[0].isalpha()
            and not words[0].isupper()
            and words[0].lower() not in self.common
        )  # "Gossard's guitar": an unknown name that owns something, likely a person
        if article and start > article_start:
            start, span_text = article_start, text[article_start:end]
            if words[-1].endswith("s") and words[-1] not in self.places and kind != "PERSON":
                kind, strong = "ORG", False  # "The Beach Boys", "Les Échos"
        if (org_cue or role) and kind in ("MISC", "PERSON") and not strong:
            kind, strong = "ORG", False
        elif geo and not (kind == "ORG" and strong):
            kind, strong = "PLACE", True
        return _Candidate(start, end, span_text, kind, strong, words, owner)

    def certain_kind(self, name: str) -> str | None:
        """The kind of a name the gazetteers are sure of (known organisations, major places)."""
        if name in BODIES or name in KNOWN_ORGS:
            return "ORG"
        if name in self.major_places or name in REGIONS:
            return "PLACE"
        return None

    def _first_name(self, word: str) -> bool:
        """A first name, or hyphenated first names ("Jean-Marie"), and no demonym."""
        if word in DEMONYMS:
            return False
        if word in self.first_names:
            return True
        parts = word.split("-")
        return len(parts) > 1 and all(p in self.first_names for p in parts)

    def _is_name(self, word: str) -> bool:
        return word in self.first_names or word in self.places or word in KNOWN_ORGS

    def _type(
        self,
        words: list[str],
        span: str,
        titled: bool,
        before: str,
        after: str,
        english: bool = False,
    ) -> tuple[str, bool]:
        n = len(words)
        if span in BODIES or span in KNOWN_ORGS or "&" in span:
            return "ORG", True
        if (
            n >= 2
            and (
                (n >= 3 and words[-2] in ("le", "la", "the", "l'", "l’") and words[-1] in EPITHETS)
                or (words[-1][:2] in ("l'", "l’") and words[-1][2:] in EPITHETS)
            )
            and words[0] not in self.countries
        ):
            return "PERSON", True  # "Alexandre le Grand", "Pline l'Ancien", "Alfred the Great"
        if any(w in PRODUCT_WORDS for w in words) or _DIGIT.search(span):
            return "MISC", False  # "Tesla Model Y", "Galaxy S24"
        if n > 1 and (words[-1] in EVENT_WORDS or words[0] in EVENT_WORDS):
            return "MISC", True  # "World War II", "Cannes Film Festival", "Battle of Anzio"
        if words[0] in ORG_NOUNS:
            return "ORG", True  # "université de Montréal"
        if n == 3 and words[1] in ("du", "de") and words[2] in ("Nord", "Sud", "Est", "Ouest"):
            return "PLACE", True  # "Caroline du Nord", "Dakota du Sud"
        if (
            n == 3
            and self._first_name(words[0])
            and len(words[1]) == 1
            and words[1].isupper()
            and words[2][:1].isupper()
            and len(words[2]) > 2
        ):
            return "PERSON", True  # "George M. Church": a first name and an initial
        if (
            2 <= n <= 3
            and words[0] in self.first_names
            and words[-1] in self.last_names
            and words[0] not in self.places
            and span not in self.major_places
            and not any(w in ORG_WORDS for w in words)
            and (
                words[-1] not in PLACE_WORDS
                or (words[-1] in _SURNAME_PLACE_WORDS and span not in self.places)
            )
            and words[-1] not in SITE_WORDS
        ):
            return "PERSON", True  # "Adam West", "Jonah Hill", "Karl Marx": not places
        if words[0].lower() in GEO_NOUNS or span in self.major_places or span in REGIONS:
            return "PLACE", True
        if titled:
            return "PERSON", True  # "President Obama", though Obama is also a town in Japan
        if words[-1] == "City" and span in self.places:
            return "PLACE", True  # "Salt Lake City"; "Manchester City" is not in the list
        if n == 1 and words[0] in ORG_WORDS:
            return "MISC", False  # "the League", "Parliament", "l'Association": a noun alone
        if any(w in ORG_WORDS for w in words):
            return "ORG", True
        if n > 1 and words[0] in KNOWN_ORGS and words[0] not in self.places:
            return "ORG", False  # "Fiat Chrysler", "Xiaomi EV"
        if span in self.places:
            return "PLACE", n > 1
        if any(w in PLACE_WORDS for w in words) and n > 1:
            return "PLACE", True
        if n > 1 and words[-1] in SITE_WORDS and words[0] not in self.first_names:
            return "PLACE", False  # "Target Field", "Gielgud Theatre"; not "Sally Field"
        if (
            n == 2
            and words[0] in ("New", "Upper", "Lower", "Greater")
            and (words[1] in self.places or words[1] in REGIONS)
        ):
            return "PLACE", False  # "New England", "Upper Austria"
        if n > 1 and any(w in COMPASS for w in words):
            return "PLACE", False
        if n == 1 and len(words[0]) >= 3 and _ACRONYM.match(words[0]):
            return "ORG", True
        if n >= 2 and (
            words[0].replace(".", "") in CLUB_WORDS or words[-1].replace(".", "") in CLUB_WORDS
        ):
            return "ORG", True  # "Dynamo Kiev", "Werder Bremen", "Hertha BSC"
        if (
            n == 2
            and words[0] in self.places
            and words[1].endswith("s")
            and (words[0] not in self.first_names or words[1] not in self.last_names)
        ):
            return "ORG", False  # "Houston Astros", "Atlanta Falcons": a city's team
        if n == 2 and _ROMAN.fullmatch(words[1]) and words[0].lower() not in self.common:
            return "PERSON", False  # "Auguste II", "Louis XIV"
        link = next((k for k, w in enumerate(words) if w in ("de", "du", "d'", "d’")), 0)
        if (
            link
            and link < n - 1
            and words[link - 1].endswith("s")
            and " ".join(words[link + 1 :]) in self.places
            and words[link - 1].lower() not in self.common
            and words[link - 1] not in self.first_names
        ):
            return "ORG", False  # "Celtics de Boston", "Maple Leafs de Toronto": a French team
        if (
            n >= 2
            and all(w.islower() for w in words[1:])
            and (words[0] in self.places or words[0] in REGIONS or words[0] in _STATE_HEADS)
        ):
            return "PLACE", False  # "République tchèque", "Gaule cisalpine", "Europe occidentale"
        if (
            2 <= n <= 4 or (n <= 6 and any(w in _NAME_PARTICLES for w in words[1:-1]))
        ) and self._first_name(words[0]):
            return "PERSON", True  # "Louis Brière de l'Isle", "Jean-Marie Le Pen"
        if (
            2 <= n <= 5
            and words[0][:1].isupper()
            and (words[0].lower() not in self.common or len(words[0]) == 1)
        ):
            if any(w in ("bin", "ibn", "ben") for w in words[1:-1]):
                return "PERSON", False  # "Osama bin Laden"
            if (
                any((len(w) == 1 and w.isupper()) or DOTTED.match(w) for w in words[:-1])
                and len(words[-1]) > 2
            ):
                return "PERSON", False  # "J. R. R. Tolkien", "George W. Bush"
        if n >= 2 and any(len(w) >= 2 and w.isupper() and w.isalpha() for w in words):
            return "ORG", False  # "PSV Eindhoven", "CSKA Sofia": an acronym in a name
        if n == 2 and words[1] in self.major_places and words[0] not in self.places:
            return "ORG", False  # "Ajax Amsterdam": a name and its (big) city
        if after in PERSON_AFTER and n <= 3:
            return "PERSON", False
        if before in ORG_BEFORE:
            return "ORG", False
        if n == 1 and before in PLACE_BEFORE:
            return "PLACE", False
        if n == 1 and before in PERSON_BEFORE and words[0].lower() not in self.common:
            return "PERSON", False
        name_like = all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)
        if 2 <= n <= 3 and name_like and (words[-1] in self.last_names or n == 2):
            last, first = words[-1], words[0]
            plural_noun = last.endswith("s") and last.lower() in self.common
            common_lead = (
                first.lower() in self.common
                and first not in self.first_names
                and first not in self.last_names
            )
            wordy = any(w.lower() in self.frequent and w not in self.first_names for w in words)
            if wordy and not plural_noun:
                return "MISC", False  # "Weekly Shōnen", "Adult Swim", "Last Dance": no person
            if (
                english
                and n == 2
                and last not in self.last_names
                and first not in self.last_names
                and not (plural_noun or common_lead)
                and (first.lower() in self.common or last.lower() in self.common)
            ):  # English capitalises titles of works and names of things ("Dracula Untold",
                return "MISC", False  # "Copa Libertadores"); French capitalises people's names
            if last in self.last_names or not (plural_noun or common_lead):
                return "PERSON", False
            return "ORG", False  # "Social Democrats", "Dallas Cowboys": a plural noun ends it
        if (
            n == 3
            and words[1] in ("de", "von", "van", "di", "da", "del", "du", "d'")
            and words[0][:1].isupper()
            and words[0].lower() not in self.common
            and words[0] not in self.places
        ):
            return "PERSON", False  # "Grégoire de Tours", "Leopold von Ranke"
        if n == 3 and name_like and not any(w.lower() in self.common for w in words):
            return "PERSON", False  # "Gottfried Wilhelm Leibniz": three names, no words
        if n >= 2:
            links = [i for i, w in enumerate(words) if w in ("de", "du", "des", "d'", "d’", "of")]
            if links:
                tail = " ".join(words[links[-1] + 1 :])
                if tail not in self.places:
                    return "MISC", False  # "Diploma of Teaching", "Cauchemar de l'…"
            elif not english:  # French writes organisations in sentence case ("Banque
                return "MISC", False  # mondiale"): runs of capitals with no cue are titles
            return "ORG", False
        if (
            words[0] in self.first_names
            and words[0].lower() not in self.frequent
            and words[0] not in self.places
            and before != "'s"  # "Renault's Zoe": a maker's model, not a person
        ):
            return "PERSON", False  # a first name alone: "Belinda"
        return "MISC", False

    def _club(self, text: str, c: _Candidate, kind: str, windows: list[tuple[int, int]]) -> bool:
        """A club in a sports report: a city not named as a location ("Mainz won 2-1"), or an
        unknown name that is no word ("Schalke", "Hoffenheim")."""
        if len(c.tokens) != 1 or not inside(windows, c.start):
            return False
        if kind == "MISC":
            word = c.text
            return (
                len(word) >= 4
                and word.isalpha()
                and not word.isupper()
                and word.lower() not in self.common
                and word not in DEMONYMS
            )
        if c.text in self.countries or c.text not in self.places:
            return False
        before = text[max(0, c.start - 16) : c.start].split()
        if before and before[-1].lower() in PLACE_PREPOSITIONS:
            return False  # "a draw in Monaco", "the final at Berlin"
        return not (len(before) >= 2 and before[-1] == "of" and before[-2].lower() in GEO_KINDS)

    # -- pass 2 -----------------------------------------------------------------------------
    def extract(
        self, text: str, known: Mapping[str, str] | None = None, lang: str | None = None
    ) -> list[tuple[int, int, str]]:
        """Typed spans ``(start, end, kind)`` of ``text``; ``known`` maps names to kinds;
        ``lang`` ("fr", "en", None: detected) decides how far capitals alone make a name.

        The cyclic garbage collector is paused meanwhile: extraction makes tens of thousands
        of small tuples and lists, none in a cycle, and the collections they trigger cost
        about a tenth of the time (refcounting still frees everything)."""
        paused = gc.isenabled()
        gc.disable()
        try:
            return self._extract(text, known, (lang or detect_language(text)) == "en")
        finally:
            if paused:
                gc.enable()

    def _extract(
        self, text: str, known: Mapping[str, str] | None, english: bool
    ) -> list[tuple[int, int, str]]:
        candidates = []
        groups = self.split(text, self.runs(text))
        mid = frozenset(text[g[0][0][0] : g[0][-1][1]] for g in groups if not g[1])
        for spans, at_start, before, after in groups:
            cand = self._candidate(text, spans, at_start, before, after, mid, english)
            if cand is not None:
                candidates.append(cand)
        votes: dict[str, Counter[str]] = {}
        untyped: Counter[str] = Counter()
        person_parts: dict[str, str] = {}
        surnames: set[str] = set()  # of people named in full with a first name or a title
        org_prefixes: set[str] = set()
        windows = sports_windows(text)
        for c in candidates:
            if c.kind == "ORG" and c.strong and len(c.tokens) >= 2:
                for k in range(1, len(c.tokens)):
                    org_prefixes.add(" ".join(c.tokens[:k]))
            if c.kind != "MISC":
                votes.setdefault(c.text, Counter())[c.kind] += 2 if c.strong else 1
            elif c.owner and not inside(windows, c.start):
                votes.setdefault(c.text, Counter())["PERSON"] += 1  # "Rodin's work"
            else:
                untyped[c.text] += 1
            if c.kind == "PERSON" and len(c.tokens) >= 2:
                for w in c.tokens:
                    if w[:1].isupper() and w not in self.first_names:
                        person_parts.setdefault(w, c.text)
                person_parts.setdefault(c.tokens[-1], c.text)
                if c.strong:
                    surnames.add(c.tokens[-1])
        out: list[tuple[int, int, str]] = []
        for c in candidates:
            kind = c.kind
            if known and c.text in known and not c.strong:
                kind = known[c.text]
            elif c.text in votes and (
                c.kind != "MISC" or sum(votes[c.text].values()) * 3 > untyped[c.text]
            ):  # one weak clue ("Schalke, who…") does not type ten untyped mentions
                kind = max(votes[c.text].items(), key=itemgetter(1))[0]  # first most voted
            if (
                len(c.tokens) == 1
                and c.tokens[0] in person_parts
                and (not c.strong or c.kind == "PERSON")  # "President Obama" stays a person
                and (
                    c.text not in self.places  # "Anthony England" does not make England a person
                    or (c.text in surnames and not self.certain_kind(c.text))
                )  # "Lewis Hamilton … Hamilton won": the person, not the town
            ):
                kind = "PERSON"
            elif (
                not c.strong
                and c.text in org_prefixes
                and c.text not in self.places
                and not (len(c.tokens) == 1 and c.text.lower() in self.frequent)
            ):  # "Great Wall" near "Great Wall Motor"; "Boston" stays a city; "the West" is
                kind = "ORG"  # no "West Bank", "Defense" no "Defense Ministry"
            if kind in ("PLACE", "MISC") and windows and self._club(text, c, kind, windows):
                kind = "ORG"
            elif kind == "MISC" and c.owner:
                kind = "PERSON"
            out.append((c.start, c.end, kind))
        return out
