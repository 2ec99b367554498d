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

import itertools
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from reader.entities.gazetteer import (
    BODIES,
    CLUB_WORDS,
    COMPASS,
    CONNECTORS,
    DEMONYMS,
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
    load,
)
from reader.entities.sports import inside, sports_windows

TOKEN = re.compile(
    r"(?:[dDlLjJmMnNsStTcC]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)['’](?= ?[^\W\d_])"
    r"|[^\W_](?:\w|[-'’.&](?=\w))*"
)
_SENTENCE_GAP = re.compile(r"[.!?:;\n«»\"“”—–•()\[\]]")
_POSSESSIVE = re.compile(r"['’]s$")
# Endings of French adjectives that continue a name in lowercase ("centrale européenne").
_ADJ_ENDINGS = tuple(
    "enne ais aise ain aine ien ique al ale aux ois oise iste ier ière if ive el elle and ande "
    "ite sse ste ée é ux".split()
)
_DEMONYM = re.compile(r"(?:ien|ienne|ais|aise|ois|oise|ain|aine|and|ande|ol|ole|ec|ecque)$")
_DOTTED_ENDS = frozenset("Jr Sr Bros Inc Corp Ltd Co".split())
_DOTTED = re.compile(r"^(?:[A-Z]\.)+[A-Z]$")
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z][A-Z0-9&]+$")

NAME_ARTICLES = frozenset("The La Le Les El Los Las Il Die Der Das".split())
# Geographic nouns that stay outside a name they introduce with "de" ("l'île de Sumatra",
# but "l'île Maurice").
GEO_OUTSIDE = frozenset("île îles vallée archipel plaine presqu'île".split())
_PARTICLES = frozenset("al el van von bin ibn ben abu".split())


def _particle_lead(
    text: str, tokens: list[tuple[int, int]], i: int
) -> list[tuple[int, int]] | None:
    """Lowercase particles that open a name: "al Qaeda", "van Gogh", "von der Leyen"."""

    def word(k: int) -> str | None:
        if k < 0 or text[tokens[k][1] : tokens[k + 1][0]] != " ":
            return None
        return text[tokens[k][0] : tokens[k][1]]

    one, two = word(i - 1), word(i - 2)
    if one in ("der", "den", "de") and two in ("van", "von"):
        return tokens[i - 2 : i]
    if one in _PARTICLES:
        return tokens[i - 1 : i]
    return None


_ROMAN = re.compile(r"(?=[IVXLC]{2})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ABBREVIATED_LEADS = frozenset("St Ste Mt Ft".split())  # "St. Louis", "Mt. Hood"


def _initial(text: str, span: tuple[int, int]) -> bool:
    """A one-letter capital followed by a period: an initial ("A. R. Rahman"), not "A"."""
    return span[1] - span[0] == 1 and text[span[1] : span[1] + 1] == "."


# Words that end a name when they close a run of capitals: bylines and dates.
TRAILING_STOP = frozenset(
    """Author Authors Editor Editors Reporter Reporting Correspondent Photographer Photo Photos
    Auteur Auteurs Rédacteur Rédactrice Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche""".split()
)
# Nouns for what people do, which may stand before a name inside a run of capitals.
ROLE_NOUNS = frozenset(
    """actor actress actors singer singers teammate teammates coach author writer director
    producer guitarist drummer bassist composer painter poet novelist player players
    secretary treasurer spokesman spokeswoman minister governor senator mayor chairman
    président ministre secrétaire gouverneur maire sénateur""".split()
)
PERSON_AFTER = frozenset(
    "said says told added explained wrote argued insisted declared who whose "
    "déclare explique affirme estime souligne ajoute précise raconte confie assure".split()
)
# Words before a city that keep it a place even in a sports report.
PLACE_PREPOSITIONS = frozenset("in at near outside around à près".split())
GEO_KINDS = frozenset("city town village region state ville région".split())
PLACE_BEFORE = frozenset("in à en au aux near à près vers from".split())
ORG_BEFORE = frozenset(
    """company firm group maker carmaker automaker retailer bank agency broadcaster newspaper
    daily label startup start-up brand airline société groupe firme agence constructeur
    fabricant enseigne banque marque opérateur chez quotidien hebdomadaire journal""".split()
)
# Roles followed by de/of name an organisation: "patron de Tesla", "chief executive of Acme".
ORG_ROLES = frozenset(
    """patron patronne directeur directrice président présidente fondateur fondatrice pdg ceo
    dirigeant dirigeants actionnaires salariés filiale head chief executive founder chairman
    employees shares shareholders subsidiary spokesman spokeswoman spokesperson
    porte-parole""".split()
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


def _is_title(word: str) -> bool:
    return word in TITLES or word + "." in TITLES or word.rstrip(".") in TITLES


class RuleExtractor:
    """Fast French/English named-entity extractor with no model to load."""

    def __init__(self) -> None:
        self.places = load("places")
        self.countries = load("countries")
        self.major_places = load("major_places")
        self.first_names = load("first_names")
        self.last_names = load("last_names")
        self.common = load("common_words")
        self.frequent = load("frequent_words")

    # -- pass 1 -----------------------------------------------------------------------------
    def _groups(self, text: str) -> list[tuple[list[tuple[int, int]], bool, str, str]]:
        """Runs of capitalised tokens: (token spans, sentence start, word before, word after)."""
        tokens = [m.span() for m in TOKEN.finditer(text)]
        groups = []
        group: list[tuple[int, int]] = []
        pending: list[tuple[int, int]] = []
        start_flag = False
        prev_end = 0
        sentence_start = True
        before = ""
        last_word = ""
        last_word2 = ""
        for i, (s, e) in enumerate(tokens):
            gap = text[prev_end:s]
            initial = (
                gap in (". ", ".")
                and group
                and (
                    group[-1][1] - group[-1][0] == 1
                    or text[group[-1][0] : group[-1][1]] in TITLES
                    or text[group[-1][0] : group[-1][1]] in _ABBREVIATED_LEADS
                    or (
                        _DOTTED.match(text[group[-1][0] : group[-1][1]])
                        and text[group[-1][0] : group[-1][1] + 1] not in self.countries
                    )  # "C.D. Guadalajara", "R.S.C. Anderlecht", not "the U.S. Prices"
                )
            )
            if i and _SENTENCE_GAP.search(gap) and not initial:
                sentence_start = True
            first = text[s]
            if first.isupper() or (
                text[s : s + 3] in ("al-", "el-") and text[s + 3 : s + 4].isupper()
            ):
                simple_gap = (
                    initial
                    or (len(gap) <= 2 and not gap.strip(" \u00a0-"))
                    or gap in (" & ", "&")  # "Standard & Poor's", "Procter & Gamble"
                )
                if group and simple_gap and (not pending or len(pending) <= 2):
                    group.extend(pending)
                    group.append((s, e))
                else:
                    if group:
                        groups.append((group, start_flag, before, text[s:e]))
                    group = [(s, e)]
                    start_flag = sentence_start
                    before = last_word
                    if last_word in ("de", "d'", "d’", "of", "du") and last_word2 in ORG_ROLES:
                        before = "role:" + last_word  # "patron de Tesla", "head of Acme"
                    # "océan Indien", "détroit de Béring", "baie d'Hudson": the lowercase
                    # geographic noun belongs to the name.
                    lead = self._geo_lead(text, tokens, i) or _particle_lead(text, tokens, i)
                    if (
                        lead
                        and len(lead) == 2
                        and text[lead[0][0] : lead[0][1]].lower() in GEO_OUTSIDE
                    ):
                        before, lead = "geo:", None  # "île de Sumatra": Sumatra, a place
                    if lead:
                        group = [*lead, (s, e)]
                        start_flag = False
                pending = []
            else:
                word = text[s:e]
                lower = word.lower()
                if (
                    group
                    and any(text[a:b] in LOWER_TAIL_HEADS for a, b in group)
                    and len(group) + len(pending) < 5
                    and len(gap) <= 2
                    and not gap.strip(" \u00a0")
                    and (
                        lower in CONNECTORS
                        or (len(lower) >= 5 and lower.endswith(_ADJ_ENDINGS))
                        or pending
                    )
                ):
                    group.extend(pending)
                    pending = []
                    if lower in CONNECTORS:
                        pending.append((s, e))
                    else:
                        group.append((s, e))
                    last_word = lower
                    sentence_start = False
                    prev_end = e
                    continue
                if (
                    group
                    and (
                        lower in CONNECTORS
                        or lower[:2] in ("d'", "d’", "l'", "l’")
                        or (not pending and self._org_link(text, group, lower))
                    )
                    and (len(pending) < 2 and len(gap) <= 2 and not gap.strip(" \u00a0"))
                ):
                    pending.append((s, e))
                else:
                    if group:
                        groups.append((group, start_flag, before, word))
                        group = []
                    pending = []
                last_word2, last_word = last_word, lower
            sentence_start = False
            prev_end = e
        if group:
            groups.append((group, start_flag, before, ""))
        return groups

    @staticmethod
    def _org_link(text: str, group: list[tuple[int, int]], lower: str) -> bool:
        """Lowercase words that go on an organisation's name: "Institute for Risk Assessment",
        "Committee on World Food Security", "Chamber of Industry and Commerce"."""
        if lower in ("for", "on", "pour"):
            a, b = group[-1]
            return text[a:b] in ORG_WORDS
        if lower in ("and", "et"):
            words = [text[a:b] for a, b in group]
            return any(
                w in ORG_WORDS and nxt in ("of", "for", "on", "de", "pour")
                for w, nxt in itertools.pairwise(words)
            )
        return False

    @staticmethod
    def _geo_lead(text: str, tokens: list[tuple[int, int]], i: int) -> list[tuple[int, int]] | None:
        for back in (1, 2):
            if i - back < 0:
                return None
            s, e = tokens[i - back]
            word = text[s:e].lower()
            nxt = tokens[i - back + 1][0]
            if text[e:nxt].strip(" \u00a0"):
                return None
            if word in GEO_NOUNS or word in ORG_NOUNS:
                return tokens[i - back : i]
            if word not in ("de", "du", "des", "d'", "d’"):
                return None
        return None

    def _candidate(
        self,
        text: str,
        spans: list[tuple[int, int]],
        at_start: bool,
        before: str,
        after: str,
        mid: frozenset[str] = frozenset(),
    ) -> _Candidate | None:
        words = [text[s:e] for s, e in spans]
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
            and not _is_title(words[1])
            and not _ACRONYM.match(words[1])
            and not self.certain_kind(text[spans[1][0] : spans[-1][1]])
            and text[spans[1][0] : spans[-1][1]] not in self.places
        )
        article_start = spans[0][0]
        while words and (
            _is_title(words[0])
            or (words[0] in STOP and not (len(words) > 1 and _initial(text, spans[0])))
        ):
            if _is_title(words[0]):
                titled = True
            words.pop(0)
            spans = spans[1:]
            at_start = False
        if titled and words and words[0].lower() in CONNECTORS:
            titled = False  # "CEO de Xiaomi", "president of Acme": what follows is no person
            org_cue = True
        else:
            org_cue = False
        while words and words[0].lower() in CONNECTORS and words[0] not in _PARTICLES:
            words.pop(0)
            spans = spans[1:]

        if (
            at_start
            and len(words) > 1
            and not _initial(text, spans[0])
            and (
                words[0].lower() in self.frequent
                or (  # "Geologist Farouk El-Baz", "Teammate Russell Ingall"
                    words[1] in self.first_names
                    and 3 <= len(words) <= 4
                    and words[0] not in self.last_names
                    and words[0] not in self.first_names
                    and words[0] not in self.places
                )
            )
            and not self._is_name(words[0])
            and words[0] not in LOWER_TAIL_HEADS
            and words[0] not in ORG_WORDS
        ):
            if words[1] in self.first_names and words[0] not in self.frequent:
                titled = True
            words.pop(0)
            spans = spans[1:]
            at_start = False
            while len(words) > 1 and _is_title(words[0]):  # "Foreign Minister Joschka Fischer"
                titled = True
                words.pop(0)
                spans = spans[1:]
        while words and (
            words[-1].lower() in CONNECTORS
            or words[-1] in TRAILING_STOP
            or (words[-1] in STOP and words[-1].istitle() and len(words[-1]) > 1 and len(words) > 1)
        ):
            words.pop()  # "Nick Amies Editor: …", "Berlin Monday", "Merkel At" in a headline
            spans = spans[:-1]
        if not words:
            return None
        if len(words) == 1:
            word = _POSSESSIVE.sub("", words[0])  # "It's", "Tuesday's"
            if (
                word in DEMONYMS
                or word in STOP
                or word.isdigit()
                or len(word) == 1
                or word[-1] in "'’"  # an elided article or pronoun: "L’ ", "C'"
            ):
                return None
            if at_start and word.lower() in self.common and not self._is_name(word):
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
        if m := _POSSESSIVE.search(span_text):
            end -= len(m.group(0))
            span_text = span_text[: -len(m.group(0))]
            words[-1] = _POSSESSIVE.sub("", words[-1])
        kind, strong = self._type(words, span_text, titled, before, after.lower())
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

    def _is_name(self, word: str) -> bool:
        return word in self.first_names or word in self.places or word in KNOWN_ORGS

    def _type(
        self, words: list[str], span: str, titled: bool, before: str, after: str
    ) -> tuple[str, bool]:
        if span in BODIES or span in KNOWN_ORGS or "&" in span:
            return "ORG", True
        if any(w in PRODUCT_WORDS for w in words) or any(ch.isdigit() for ch in span):
            return "MISC", False  # "Tesla Model Y", "Galaxy S24"
        if len(words) > 1 and (words[-1] in EVENT_WORDS or words[0] in EVENT_WORDS):
            return "MISC", True  # "World War II", "Cannes Film Festival", "Battle of Anzio"
        if words[0] in ORG_NOUNS:
            return "ORG", True  # "université de Montréal"
        if words[0].lower() in GEO_NOUNS or span in self.major_places or span in REGIONS:
            return "PLACE", True
        if words[-1] == "City" and span in self.places:
            return "PLACE", True  # "Salt Lake City"; "Manchester City" is not in the list
        if any(w in ORG_WORDS for w in words):
            return "ORG", True
        if len(words) > 1 and words[0] in KNOWN_ORGS and words[0] not in self.places:
            return "ORG", False  # "Fiat Chrysler", "Xiaomi EV"
        if span in self.places:
            return "PLACE", len(words) > 1
        if any(w in PLACE_WORDS for w in words) and len(words) > 1:
            return "PLACE", True
        if len(words) > 1 and words[-1] in SITE_WORDS and words[0] not in self.first_names:
            return "PLACE", False  # "Target Field", "Gielgud Theatre"; not "Sally Field"
        if titled:
            return "PERSON", True
        n = len(words)
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
        if (
            n >= 3
            and words[0].endswith("s")
            and words[1] in ("de", "du", "des", "d'")
            and " ".join(words[2:]) in self.places
            and words[0].lower() not in self.common
        ):
            return "ORG", False  # "Celtics de Boston", "Rockies du Colorado": a French team name
        if n == 2 and _ROMAN.fullmatch(words[1]) and words[0].lower() not in self.common:
            return "PERSON", False  # "Auguste II", "Louis XIV"
        if 2 <= n <= 4 and words[0] in self.first_names and words[0] not in DEMONYMS:
            return "PERSON", True
        if 2 <= n <= 5 and words[0][:1].isupper() and words[0].lower() not in self.common:
            if any(w in ("bin", "ibn", "ben") for w in words[1:-1]):
                return "PERSON", False  # "Osama bin Laden"
            if (
                any((len(w) == 1 and w.isupper()) or _DOTTED.match(w) for w in words[:-1])
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
        name_like = all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)
        if 2 <= n <= 3 and name_like and (words[-1] in self.last_names or n == 2):
            last, first = words[-1], words[0]
            plural_noun = last.endswith("s") and last.lower() in self.common
            common_lead = (
                first.lower() in self.common
                and first not in self.first_names
                and first not in self.last_names
            )
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
            return "ORG", False
        if (
            words[0] in self.first_names
            and words[0].lower() not in self.common
            and words[0] not in self.places
        ):
            return "PERSON", False  # a first name alone: "Belinda"
        return "MISC", False

    def _split(
        self, text: str, groups: list[tuple[list[tuple[int, int]], bool, str, str]]
    ) -> list[tuple[list[tuple[int, int]], bool, str, str]]:
        """Split runs of capitals that hold two names: a possessive ("Cairo's Tahrir Square"),
        or a country or body before a title, a person or an organisation ("US President
        Barack Obama", "UN Security Council")."""
        out = []
        for spans, at_start, before, after in groups:
            while len(spans) > 1:
                lead = 0  # leading stop words ("L'Autrichien", "The US") are looked past
                while lead < len(spans) - 2 and text[spans[lead][0] : spans[lead][1]] in STOP:
                    lead += 1
                words = [text[a:b] for a, b in spans[lead : lead + 2]]
                cut = 0
                for k, (a, b) in enumerate(spans[:-1]):
                    word = text[a:b]
                    if _POSSESSIVE.search(word):
                        head = word[:-2]
                        if (
                            head.lower() not in self.common
                            or head in self.places
                            or head in KNOWN_ORGS
                        ):
                            cut = k + 1
                        break
                if (
                    not cut
                    and (words[0] in DEMONYMS or _DEMONYM.search(words[0]))
                    and words[0] not in self.first_names
                    and (words[1] in self.first_names or _is_title(words[1]))
                    and words[1] not in self.places
                    and words[1] != "Premier"
                ):
                    cut = lead + 1  # "l'Autrichien Toni Sailer", "German Chancellor Olaf Scholz"
                if not cut and (words[0] in self.countries or words[0] in BODIES):
                    rest = text[spans[lead + 1][0] : spans[-1][1]]
                    if (
                        _is_title(words[1])
                        or words[1] in self.first_names
                        or rest in KNOWN_ORGS
                        or rest in BODIES
                    ) and text[spans[lead][0] : spans[-1][1]] not in self.places:
                        cut = lead + 1
                if not cut and len(spans) >= 3:
                    every = [text[a:b] for a, b in spans]
                    if "of" in every[2:-1]:
                        k = every.index("of", 2)
                        head, tail = every[:k], " ".join(every[k + 1 :])
                        if (
                            # "Brent Hinds of Mastodon": a person, then what they belong to
                            (
                                head[0] in self.first_names
                                and head[0] not in DEMONYMS
                                and head[-1] not in ORG_WORDS
                                and k <= 3
                            )
                            # "Buenos Aires Province of Argentina": a place in a country
                            or (tail in self.countries and head[-1] in PLACE_WORDS)
                        ):
                            out.append((spans[:k], at_start, before, "of"))
                            spans, at_start, before = spans[k + 1 :], False, "of"
                            continue
                    for k in range(2, len(every) - 1):
                        role = every[k - 1]
                        if not (
                            every[k] in self.first_names
                            and len(every) - k <= 3
                            and all(w[:1].isupper() for w in every[k:])
                        ):
                            continue
                        if _is_title(role) or role.lower() in ROLE_NOUNS:
                            # "Louisiana Governor Thomas Moore": the place, then the person
                            out.append((spans[: k - 1], at_start, before, role))
                            spans, at_start, before = spans[k:], False, role.lower()
                            break
                    else:
                        break
                    continue
                if not cut:
                    break
                out.append((spans[:cut], at_start, before, text[spans[cut][0] : spans[cut][1]]))
                spans, at_start, before = spans[cut:], False, "'s"
            out.append((spans, at_start, before, after))
        return out

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
        self, text: str, known: Mapping[str, str] | None = None
    ) -> list[tuple[int, int, str]]:
        """Typed spans ``(start, end, kind)`` of ``text``; ``known`` maps names to kinds."""
        candidates = []
        groups = self._split(text, self._groups(text))
        mid = frozenset(text[g[0][0][0] : g[0][-1][1]] for g in groups if not g[1])
        for spans, at_start, before, after in groups:
            cand = self._candidate(text, spans, at_start, before, after, mid)
            if cand is not None:
                candidates.append(cand)
        votes: dict[str, Counter[str]] = {}
        untyped: Counter[str] = Counter()
        person_parts: dict[str, str] = {}
        surnames: set[str] = set()  # of people named in full with a first name or a title
        org_prefixes: set[str] = set()
        for c in candidates:
            if c.kind == "ORG" and c.strong and len(c.tokens) >= 2:
                for k in range(1, len(c.tokens)):
                    org_prefixes.add(" ".join(c.tokens[:k]))
            if c.kind != "MISC":
                votes.setdefault(c.text, Counter())[c.kind] += 2 if c.strong else 1
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
        windows = sports_windows(text)
        for c in candidates:
            kind = c.kind
            if known and c.text in known and not c.strong:
                kind = known[c.text]
            elif c.text in votes and (
                c.kind != "MISC" or sum(votes[c.text].values()) * 3 > untyped[c.text]
            ):  # one weak clue ("Schalke, who…") does not type ten untyped mentions
                kind = votes[c.text].most_common(1)[0][0]
            if (
                len(c.tokens) == 1
                and c.tokens[0] in person_parts
                and not c.strong
                and (
                    c.text not in self.places  # "Anthony England" does not make England a person
                    or (c.text in surnames and not self.certain_kind(c.text))
                )  # "Lewis Hamilton … Hamilton won": the person, not the town
            ):
                kind = "PERSON"
            elif not c.strong and c.text in org_prefixes and c.text not in self.places:
                kind = "ORG"  # "Great Wall" near "Great Wall Motor"; "Boston" stays a city
            if kind in ("PLACE", "MISC") and windows and self._club(text, c, kind, windows):
                kind = "ORG"
            elif kind == "MISC" and c.owner:
                kind = "PERSON"
            out.append((c.start, c.end, kind))
        return out
