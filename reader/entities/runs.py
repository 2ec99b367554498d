"""Runs of capitalised words: the candidate names the rule extractor types.

``RunFinder.runs`` tokenises a text and groups capitalised words into runs, joined by particles
(``de``, ``van``, ``of``, ``&``), French lowercase name tails (``Union européenne``), geographic
nouns (``océan Indien``, ``cimetière de Montmartre``) and the lowercase words inside an
institution's name (``Institute for Risk Assessment``); ``RunFinder.split`` then separates runs
that hold two names (``Cairo's Tahrir Square``, ``US President Barack Obama``).
Each run comes with whether it opens a sentence and the words just before and after it.
"""

from __future__ import annotations

import itertools
import re

from reader.entities.gazetteer import (
    BODIES,
    CONNECTORS,
    DEMONYMS,
    EPITHETS,
    GEO_NOUNS,
    KNOWN_ORGS,
    LOWER_TAIL_HEADS,
    ORG_NOUNS,
    ORG_WORDS,
    PLACE_WORDS,
    STOP,
    TITLES,
    load,
)

Span = tuple[int, int]
Run = tuple[list[Span], bool, str, str]  # token spans, opens a sentence, word before, after

TOKEN = re.compile(
    r"(?:[dDlLjJmMnNsStTcC]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)['’](?= ?[^\W\d_])"
    r"|[^\W_]\w*(?:[-'’.&]\w+)*"  # joiners only between word characters ("O'Brien", "C.D")
)
_SENTENCE_GAP = re.compile(r"[.!?:;\n«»\"“”—–•()\[\]]")
POSSESSIVE = re.compile(r"['’]s$")
# Endings of French adjectives that continue a name in lowercase ("centrale européenne").
_ADJ_ENDINGS = tuple(
    "enne ais aise ain aine ien ique al ale aux ois oise iste ier ière if ive el elle and ande "
    "ite sse ste ée é ux aire éen an in ine ane èque eure eur".split()
)
_DEMONYM = re.compile(r"(?:ien|ienne|ais|aise|ois|oise|ain|aine|and|ande|ol|ole|ec|ecque)$")
DOTTED = re.compile(r"^(?:[A-Z]\.)+[A-Z]$")

# Geographic nouns that stay outside a name they introduce with "de" ("l'île de Sumatra",
# but "l'île Maurice").
GEO_OUTSIDE = frozenset("île îles vallée archipel plaine presqu'île".split())
PARTICLES = frozenset("al el van von bin ibn ben abu".split())


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
    if one in PARTICLES:
        return tokens[i - 1 : i]
    return None


_ABBREVIATED_LEADS = frozenset("St Ste Mt Ft".split())  # "St. Louis", "Mt. Hood"


# Nouns for what people do, which may stand before a name inside a run of capitals.
ROLE_NOUNS = frozenset(
    """actor actress actors singer singers teammate teammates coach author writer director
    producer guitarist drummer bassist composer painter poet novelist player players
    secretary treasurer spokesman spokeswoman minister governor senator mayor chairman
    président ministre secrétaire gouverneur maire sénateur""".split()
)
# Roles followed by de/of name an organisation: "patron de Tesla", "chief executive of Acme".
ORG_ROLES = frozenset(
    """patron patronne directeur directrice président présidente fondateur fondatrice pdg ceo
    dirigeant dirigeants actionnaires salariés filiale head chief executive founder chairman
    employees shares shareholders subsidiary spokesman spokeswoman spokesperson
    porte-parole""".split()
)


# "de" and its forms, which join the parts of a French name.
_DE = frozenset("de du des d' d’".split())
# Verbs that look like French adjectives and end a name: "le Comité olympique indique".
_TAIL_VERBS = frozenset("indique explique applique implique communique revendique".split())
# Connectors after which a lowercase word goes on a name ("Ligue nationale de hockey"), unlike
# articles ("le Comité international olympique les reconnaît").
_TAIL_LINKS = _DE | {"l'", "l’", "of"}
# Lowercase words that may open a name before its first capital (see _geo_lead, _particle_lead).
_LEAD_WORDS = GEO_NOUNS | ORG_NOUNS | PARTICLES | _DE | {"der", "den"}


def _lower(text: str, tokens: list[Span], i: int) -> str:
    """Token ``i`` in lowercase ("" for none)."""
    return text[tokens[i][0] : tokens[i][1]].lower() if i >= 0 else ""


def is_title(word: str) -> bool:
    word = word.removeprefix("Ex-").removeprefix("ex-")  # "Ex-Prime Minister Keita"
    return word in TITLES or word + "." in TITLES or word.rstrip(".") in TITLES


class RunFinder:
    """Finds and splits runs of capitals; holds the word lists both steps and typing read."""

    def __init__(self) -> None:
        self.places = load("places")
        self.countries = load("countries")
        self.major_places = load("major_places")
        self.first_names = load("first_names")
        self.last_names = load("last_names")
        self.common = load("common_words")
        self.frequent = load("frequent_words")
        # Lowercase words that go on a country's name: "Guinée équatoriale", "Corée du Sud".
        self._country_links = frozenset(
            w for name in self.countries for w in name.split()[1:] if w.islower()
        )

    def runs(self, text: str) -> list[Run]:
        """Runs of capitalised tokens: (token spans, sentence start, word before, word after)."""
        tokens = [m.span() for m in TOKEN.finditer(text)]
        groups = []
        group: list[tuple[int, int]] = []
        pending: list[tuple[int, int]] = []
        start_flag = False
        prev_end = 0
        sentence_start = True
        before = ""
        last1 = last2 = -1  # the last two lowercase tokens seen (indices), for the word before
        absorb = 0
        for i, (s, e) in enumerate(tokens):
            if not group:  # fast path: a lowercase token with no name open
                first = text[s]
                if not first.isupper() and first not in "ae":
                    last2, last1 = last1, i
                    sentence_start = False
                    prev_end = e
                    continue
            gap = text[prev_end:s]
            if absorb:  # the rest of a country's name ("Émirats arabes unis")
                absorb -= 1
                group.append((s, e))
                prev_end = e
                continue
            continues = (  # the period closes an abbreviation, not the sentence
                group
                and gap in (". ", ".")
                and (
                    group[-1][1] - group[-1][0] == 1
                    or text[group[-1][0] : group[-1][1]] in TITLES
                    or text[group[-1][0] : group[-1][1]] in _ABBREVIATED_LEADS
                    or (
                        DOTTED.match(text[group[-1][0] : group[-1][1]])
                        and text[group[-1][0] : group[-1][1] + 1] not in self.countries
                    )  # "C.D. Guadalajara", "R.S.C. Anderlecht", not "the U.S. Prices"
                )
            )
            if gap != " " and i and _SENTENCE_GAP.search(gap) and not continues:
                sentence_start = True
            first = text[s]
            if first.isupper() or (
                first in "ae"
                and text[s : s + 3] in ("al-", "el-")
                and text[s + 3 : s + 4].isupper()
            ):
                simple_gap = (
                    continues
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
                    last_word = _lower(text, tokens, last1)
                    before = last_word
                    if (
                        last_word in ("de", "d'", "d’", "of", "du")
                        and _lower(text, tokens, last2) in ORG_ROLES
                    ):
                        before = "role:" + last_word  # "patron de Tesla", "head of Acme"
                    # "océan Indien", "détroit de Béring", "baie d'Hudson": the lowercase
                    # geographic noun belongs to the name.
                    lead = None
                    if i and _lower(text, tokens, i - 1) in _LEAD_WORDS:
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
                if group and not pending and word in self._country_links and gap == " ":
                    absorb = self._country_tail(text, tokens, i, group[0][0])
                    if absorb:
                        group.append((s, e))
                        absorb -= 1
                        prev_end = e
                        continue
                if (
                    group
                    and len(gap) <= 2
                    and not gap.strip(" \u00a0")
                    and (
                        text[group[-1][0] : group[-1][1]] in LOWER_TAIL_HEADS
                        or (
                            len(group) + len(pending) < 5
                            and any(text[a:b] in LOWER_TAIL_HEADS for a, b in group)
                        )
                    )
                    and (
                        lower in CONNECTORS
                        or (
                            len(lower) >= 5
                            and lower.endswith(_ADJ_ENDINGS)
                            and lower not in _TAIL_VERBS
                        )
                        or (pending and _lower(text, tokens, i - 1) in _TAIL_LINKS)
                    )
                ):
                    group.extend(pending)
                    pending = []
                    if lower in CONNECTORS or lower in ("l'", "l’"):
                        pending.append((s, e))
                    else:
                        group.append((s, e))
                    last1 = i
                    sentence_start = False
                    prev_end = e
                    continue
                if (
                    group
                    and (
                        lower in CONNECTORS
                        or (  # "Alfred the Great"
                            lower == "the"
                            and i + 1 < len(tokens)
                            and text[tokens[i + 1][0] : tokens[i + 1][1]] in EPITHETS
                        )
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
                last2, last1 = last1, i
            sentence_start = False
            prev_end = e
        if group:
            groups.append((group, start_flag, before, ""))
        return groups

    def _title_inside(self, every: list[str]) -> tuple[int, int, str, str] | None:
        """A title inside a run, then a person: "EU Employment Commissioner Laszlo Andor",
        "Bank of Japan Governor Masaaki Shirakawa", "Secretary of State John Kerry". The words
        before the title stay a name when they are one (a body, a country, an institution)."""
        office = is_title(every[0]) and len(every) >= 5 and every[1] == "of"
        for k in range(1, len(every) - 1):
            if office and k >= 3 and every[k] in self.first_names and len(every) - k <= 3:
                return 0, k, every[k - 1], every[k - 1].lower()  # "Secretary of State" + name
            if (
                len(every[k]) <= 2
                or not is_title(every[k])
                or every[k - 1] in ("of", "de", "du")
                or every[k - 1] in self.first_names
            ):
                continue  # "Sean M. Carroll", "Sacha Baron Cohen": a name, not a title
            tail = every[k + 1 :]
            if not (
                len(tail) <= 4
                and all((w[:1].isupper() or w in PARTICLES) and w not in ORG_WORDS for w in tail)
                and (tail[0] in self.first_names or len(tail) >= 2)
                and " ".join(tail) not in self.places
                and " ".join(tail) not in KNOWN_ORGS
            ):
                continue
            if every[0] in self.countries or every[0] in BODIES:
                return 1, k + 1, every[k], every[k].lower()  # "EU" and the person
            if every[0] in DEMONYMS or office:
                return 0, k + 1, every[k], every[k].lower()  # "German Transport Minister"
            return k, k + 1, every[k], every[k].lower()
        return None

    def _country_tail(self, text: str, tokens: list[Span], i: int, start: int) -> int:
        """How many tokens from ``i`` end a country's name begun at ``start``, or 0."""
        for k in (3, 2, 1):
            end = tokens[min(i + k, len(tokens)) - 1][1]
            if i + k <= len(tokens) and text[start:end] in self.countries:
                return k
        return 0

    @staticmethod
    def _org_link(text: str, group: list[tuple[int, int]], lower: str) -> bool:
        """Lowercase words that go on an organisation's name: "Institute for Risk Assessment",
        "Committee on World Food Security", "Chamber of Industry and Commerce"."""
        if lower in ("for", "on", "pour"):
            a, b = group[-1]
            return text[a:b] in ORG_WORDS or text[a:b] in ("Center", "Centre")
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
            if word not in _DE:
                return None
        return None

    def split(self, text: str, groups: list[Run]) -> list[Run]:
        """Split runs of capitals that hold two names (see ``_cut``), as often as they do."""
        out = []
        for spans, at_start, before, after in groups:
            while len(spans) > 1 and (cut := self._cut(text, spans)):
                head_end, tail_start, head_after, tail_before = cut
                if head_end:
                    out.append((spans[:head_end], at_start, before, head_after))
                spans, at_start, before = spans[tail_start:], False, tail_before
            out.append((spans, at_start, before, after))
        return out

    def _cut(self, text: str, spans: list[Span]) -> tuple[int, int, str, str] | None:
        """Where a run holds two names: (end of the first, start of the second, the word after
        the first, the word before the second), or None."""
        every = [text[a:b] for a, b in spans]
        for k, word in enumerate(every[:-1]):
            if word.endswith(("-based", "-born")):  # "New York-based Human Rights Watch"
                return k + 1, k + 1, every[k + 1], word
            if POSSESSIVE.search(word):  # "Cairo's Tahrir Square"
                head = word[:-2]
                if head.lower() not in self.common or head in self.places or head in KNOWN_ORGS:
                    return k + 1, k + 1, every[k + 1], "'s"
                break
        lead = 0  # leading stop words ("L'Autrichien", "The US") are looked past
        while lead < len(every) - 2 and every[lead] in STOP:
            lead += 1
        first, second = every[lead], every[lead + 1]
        if (
            (first in DEMONYMS or _DEMONYM.search(first))
            and first not in self.first_names
            and (
                second in self.first_names
                or is_title(second)
                or (  # "Afghan Taliban", not "European Parliament"
                    text[spans[lead + 1][0] : spans[-1][1]] in KNOWN_ORGS
                    and text[spans[lead + 1][0] : spans[-1][1]] not in ORG_WORDS
                )
            )
            and second not in self.places
            and second != "Premier"
        ):  # "l'Autrichien Toni Sailer", "German Chancellor Olaf Scholz"
            return lead + 1, lead + 1, second, "'s"
        rest = " ".join(every[lead + 1 :])
        if (
            first.isupper()
            and (first in BODIES or first in KNOWN_ORGS)
            and (rest in self.countries or rest in self.major_places)
        ):
            return lead + 1, lead + 1, second, first  # "VW Saxony", "EU Germany"
        if first in self.countries or first in BODIES:  # "US President Barack Obama"
            rest = text[spans[lead + 1][0] : spans[-1][1]]
            if (
                is_title(second)
                or second in self.first_names
                or rest in KNOWN_ORGS
                or rest in BODIES
            ) and text[spans[lead][0] : spans[-1][1]] not in self.places:
                return lead + 1, lead + 1, second, "'s"
        if len(every) < 3:
            return None
        if "of" in every[2:-1]:
            k = every.index("of", 2)
            head, tail = every[:k], " ".join(every[k + 1 :])
            if (
                # "Brent Hinds of Mastodon": a person, then what they belong to
                (
                    (head[0] in self.first_names or (tail in self.countries and k >= 2))
                    and head[0] not in DEMONYMS
                    and head[-1] not in ORG_WORDS
                    and k <= 3
                )  # "Vladimir Putin of Russia"
                # "Buenos Aires Province of Argentina": a place in a country
                or (tail in self.countries and head[-1] in PLACE_WORDS)
            ):
                return k, k + 1, "of", "of"
        if cut := self._title_inside(every):
            return cut
        links = [k for k, w in enumerate(every) if w in ("de", "du", "d'", "d’")]
        if (
            len(links) >= 2
            and links[0] >= 1
            and every[links[0] - 1].endswith("s")
            and " ".join(every[links[0] + 1 : links[1]]).removesuffix(" d'") in self.places
        ):  # "Red Wings de Détroit de la Ligue nationale": the team, then its league
            return links[1], links[1] + 1, every[links[1]], every[links[1]]
        for k in range(2, len(every) - 1):
            role = every[k - 1]
            if (
                every[k] in self.first_names
                and len(every) - k <= 3
                and all(w[:1].isupper() for w in every[k:])
                and (is_title(role) or role.lower() in ROLE_NOUNS)
            ):  # "Louisiana Governor Thomas Moore": the place, then the person
                return k - 1, k, role, role.lower()
        return None
