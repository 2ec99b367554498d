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
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import fields
from functools import cache
from typing import Final

from reader.entities.lexicon import Lexicon, default_lexicon
from reader.entities.sports import _in_bmp, _spelled_out

Span = tuple[int, int]
Run = tuple[list[Span], bool, str, str]  # token spans, opens a sentence, word before, after

_ELISION: Final = (  # (the lookahead only lets the elisions be tried where one may start)
    r"(?=[dDlLjJmMnNsStTcCQqPp]['’uo])"
    r"(?:[dDlLjJmMnNsStTcC]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)['’](?= ?[^\W\d_])"
)
# Joiners only between word characters ("O'Brien", "C.D").
TOKEN: Final = re.compile(_ELISION + r"|[^\W_]\w*(?:[-'’.&]\w+)*")


@cache
def _bmp_token() -> re.Pattern[str]:
    """The same tokens as TOKEN, its word classes spelled out for the Basic Multilingual Plane
    (as sports' words are, see ``_bmp_word``): for a text with no character beyond it
    (``_in_bmp``), which is nearly every text; any other is read with TOKEN."""
    inner = _spelled_out(r"\w")
    return re.compile(_ELISION + "|" + _spelled_out(r"[^\W_]") + f"{inner}*(?:[-'’.&]{inner}+)*")


_SENTENCE_GAP: Final = re.compile(r"[.!?:;\n«»\"“”—–•()\[\]]")
# A quotation closed by a comma goes on with who said it: '"…," Ban said' opens no sentence
# (not "Officials said": a plural there is the common noun).
_ATTRIBUTION_GAPS: Final = frozenset((',"', '," ', ",”", ",” "))
POSSESSIVE: Final = re.compile(r"['’]s$")
# How a string POSSESSIVE matches ends ("$" matches before a final newline too): a string
# that does not end so needs no search.
POSSESSIVE_ENDS: Final = ("s", "s\n")
# Days and months, whose possessive opens no name ("Saturday's Bundesliga", "June's EU").
_WHEN: Final = frozenset(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    May June July August September October November December""".split()
)
# Endings of French adjectives that continue a name in lowercase ("centrale européenne").
_ADJ_ENDINGS: Final = tuple(
    "enne ais aise ain aine ien ique al ale aux ois oise iste ier ière if ive el elle and ande "
    "ite sse ste ée é ux aire éen an in ine ane èque eure eur".split()
)
_DEMONYM: Final = re.compile(r"(?:ien|ienne|ais|aise|ois|oise|ain|aine|and|ande|ol|ole|ec|ecque)$")
_DEMONYM_ENDS: Final = ("n", "s", "e", "d", "l", "c", "\n")  # (the last characters it matches)
DOTTED: Final = re.compile(r"^(?:[A-Z]\.)+[A-Z]$")
# A state's departments: a country's abbreviation before one is the country ("US Justice
# Department").
_STATE_BODIES: Final = frozenset(
    "Department Ministry Bureau Agency Embassy Consulate Administration Army Navy".split()
)
_ORG_LINKS: Final = frozenset(("for", "on", "pour", "and", "et"))  # the words _org_link may take


class Lists:
    """A ``Lexicon``'s word lists as the fields of a compiled class, for the compiled rules: the
    lexicon stays Python (tests replace its methods), and reading one of its attributes from
    compiled code is a generic attribute lookup where this is a field read. The same objects;
    its questions are the lexicon's own, asked of it."""

    lexicon: Lexicon
    places: Mapping[str, None]
    countries: Mapping[str, None]
    major_places: Mapping[str, None]
    first_names: Mapping[str, None]
    last_names: Mapping[str, None]
    common: Mapping[str, None]
    frequent: Mapping[str, None]
    titles: frozenset[str]
    org_words: frozenset[str]
    club_words: frozenset[str]
    place_words: frozenset[str]
    site_words: frozenset[str]
    facility_words: frozenset[str]
    event_words: frozenset[str]
    connectors: frozenset[str]
    epithets: frozenset[str]
    stop: frozenset[str]
    things: frozenset[str]
    demonyms: frozenset[str]
    geo_nouns: frozenset[str]
    org_nouns: frozenset[str]
    lower_tail_heads: frozenset[str]
    bodies: frozenset[str]
    compass: frozenset[str]
    product_words: frozenset[str]
    known_orgs: frozenset[str]
    regions: frozenset[str]
    planets: frozenset[str]
    name_articles: frozenset[str]
    surname_place_words: frozenset[str]
    state_heads: frozenset[str]
    name_particles: frozenset[str]
    paper_words: frozenset[str]
    dotted_ends: frozenset[str]
    trailing_stop: frozenset[str]
    person_after: frozenset[str]
    org_after: frozenset[str]
    eponym_heads: frozenset[str]
    family_heads: frozenset[str]
    place_prepositions: frozenset[str]
    geo_kinds: frozenset[str]
    place_before: frozenset[str]
    person_before: frozenset[str]
    org_before: frozenset[str]
    particles: frozenset[str]
    geo_outside: frozenset[str]
    abbreviated_leads: frozenset[str]
    role_nouns: frozenset[str]
    org_roles: frozenset[str]
    org_staff: frozenset[str]
    de_forms: frozenset[str]
    tail_verbs: frozenset[str]
    own_common: Mapping[str, None]
    own_place_before: frozenset[str]
    place_needs_preposition: bool
    country_links: frozenset[str]
    tail_links: frozenset[str]
    lead_words: frozenset[str]
    lower_orgs: frozenset[str]

    def __init__(self, lex: Lexicon) -> None:
        self.lexicon = lex
        for f in fields(lex):  # (declared above, one by one, for the compiler)
            setattr(self, f.name, getattr(lex, f.name))

    def is_title(self, word: str) -> bool:
        return self.lexicon.is_title(word)

    def first_name(self, word: str) -> bool:
        return self.lexicon.first_name(word)

    def is_name(self, word: str) -> bool:
        return self.lexicon.is_name(word)

    def common_noun(self, word: str) -> bool:
        return self.lexicon.common_noun(word)

    def certain_kind(self, name: str) -> str | None:
        return self.lexicon.certain_kind(name)


def _particle_lead(
    text: str, tokens: list[tuple[int, int]], i: int, particles: frozenset[str]
) -> list[tuple[int, int]] | None:
    """Lowercase particles that open a name: "al Qaeda", "van Gogh", "von der Leyen"."""

    def word(k: int) -> str | None:
        if k < 0 or text[tokens[k][1] : tokens[k + 1][0]] != " ":
            return None
        return text[tokens[k][0] : tokens[k][1]]

    one, two = word(i - 1), word(i - 2)
    if one in ("der", "den", "de") and two in ("van", "von"):
        return tokens[i - 2 : i]
    if one in particles:
        return tokens[i - 1 : i]
    return None


def _find_all(text: str, part: str) -> list[int]:
    """Where ``part`` occurs in ``text`` (a plain search: "al-", "el-" cannot overlap)."""
    out = []
    at = text.find(part)
    while at >= 0:
        out.append(at)
        at = text.find(part, at + 1)
    return out


_STANCE_PREFIXES: Final = ("anti-", "pro-", "ex-", "then-", "Anti-", "Pro-", "Ex-")


def _drop_stance_prefixes(text: str, tokens: list[Span]) -> None:
    """A name after a lowercase prefix is a token of its own: "anti-China", "pro-Ouattara",
    "ex-CIA", "the then-US President"."""
    for prefix in _STANCE_PREFIXES:
        for at in _find_all(text, prefix):
            name = at + len(prefix)
            if text[name : name + 1].isupper():
                k = bisect_left(tokens, (at, -1))
                if k < len(tokens) and tokens[k][0] == at:
                    tokens[k] = (name, tokens[k][1])


def _lower(text: str, tokens: list[Span], i: int) -> str:
    """Token ``i`` in lowercase ("" for none)."""
    return text[tokens[i][0] : tokens[i][1]].lower() if i >= 0 else ""


class RunFinder:
    """Finds and splits runs of capitals, with the word lists of ``lexicon``."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lex = lexicon or default_lexicon()
        self.lists = Lists(self.lex)  # (what the compiled rules read)
        # The first token of each country's name: only a run opened by one may be a country
        # whose name goes on in lowercase ("Émirats arabes unis", see _country_tail).
        self._country_firsts = frozenset(
            m.group() for name in self.lists.countries if (m := TOKEN.match(name))
        )

    def runs(self, text: str, english: bool = False) -> list[Run]:
        """Runs of capitalised tokens: (token spans, sentence start, word before, word after).

        In English no name goes on in lowercase after its head ("the European Union of
        having contributed", "Europe of late"): those tails are French ("Union européenne").
        """
        lex = self.lists
        titles, countries, connectors = lex.titles, lex.countries, lex.connectors
        lower_tail_heads = frozenset() if english else lex.lower_tail_heads
        country_links = lex.country_links
        lead_words = lex.lead_words
        token = _bmp_token() if _in_bmp(text) else TOKEN
        tokens = [m.span() for m in token.finditer(text)]
        if "-" in text:
            _drop_stance_prefixes(text, tokens)
        groups = []
        group: list[tuple[int, int]] = []
        pending: list[tuple[int, int]] = []
        start_flag = False
        prev_end = 0
        sentence_start = True
        before = ""
        last1 = last2 = -1  # the last two lowercase tokens seen (indices), for the word before
        absorb = 0
        # Only capitalised tokens open a name: the lowercase ones between a closed run and the
        # next capital are skipped at once, remembering the two last (the word before a name).
        caps = [i for i, (s, _) in enumerate(tokens) if text[s].isupper()]
        # Tokens that open a name in lowercase: "al-Assad", "el-Sisi", and organisations that
        # write their name so ("told the news agency dpa"). Found where they occur in the text.
        extra = [at for at in _find_all(text, "al-") if text[at + 3 : at + 4].isupper()]
        extra += [at for at in _find_all(text, "el-") if text[at + 3 : at + 4].isupper()]
        found = frozenset(w for w in lex.lower_orgs if w in text)
        for org in found:
            at = text.find(org)
            while at >= 0:
                extra.append(at)
                at = text.find(org, at + 1)
        if extra:
            more = set()
            for at in extra:
                k = bisect_left(tokens, (at, -1))  # the token that starts there, if any
                if k < len(tokens) and tokens[k][0] == at:
                    s, e = tokens[k]
                    if (text[s] in "ae" and text[s + 1 : s + 3] == "l-") or text[s:e] in found:
                        more.add(k)
            if more:
                caps = sorted({*caps, *more})
        n = len(tokens)
        i = 0  # the first token not read yet
        for cap in caps:
            if cap < i:
                continue  # read inside the run before
            if cap > i:  # lowercase tokens with no name open
                last2 = cap - 2 if cap - 2 >= i else last1
                last1 = cap - 1
                sentence_start = False
                prev_end = tokens[cap - 1][1]
            i = cap
            while i < n:
                s, e = tokens[i]
                gap = text[prev_end:s]
                if absorb:  # the rest of a country's name ("Émirats arabes unis")
                    absorb -= 1
                    group.append((s, e))
                    prev_end = e
                    i += 1
                    continue
                continues = (  # the period closes an abbreviation, not the sentence
                    group
                    and gap in (". ", ".")
                    and (
                        group[-1][1] - group[-1][0] == 1
                        or text[group[-1][0] : group[-1][1]] in titles
                        or text[group[-1][0] : group[-1][1]] in lex.abbreviated_leads
                        or (
                            DOTTED.match(text[group[-1][0] : group[-1][1]])
                            and text[group[-1][0] : group[-1][1] + 1] not in countries
                        )  # "C.D. Guadalajara", "R.S.C. Anderlecht", not "the U.S. Prices"
                    )
                )
                if (
                    gap != " "
                    and gap != ", "  # (no sentence gap in it: the commonest after " ")
                    and i
                    and _SENTENCE_GAP.search(gap)
                    and not continues
                    and not (
                        gap in _ATTRIBUTION_GAPS
                        and i + 1 < n
                        and text[tokens[i + 1][0] : tokens[i + 1][1]] in lex.person_after
                        and text[e - 1] != "s"
                    )
                ):
                    sentence_start = True
                first = text[s]
                if (
                    first.isupper()
                    or (
                        first in "ae"
                        and text[s : s + 3] in ("al-", "el-")
                        and text[s + 3 : s + 4].isupper()
                    )
                    or (found and text[s:e] in found)
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
                        last_word = (
                            text[tokens[last1][0] : tokens[last1][1]].lower()
                            if last1 >= 0 and not (sentence_start and i - 1 > last1)
                            else ""
                        )  # (not the word before the last sentence's closing name)
                        before = last_word
                        if (
                            last_word in ("de", "d'", "d’", "of", "du")
                            and _lower(text, tokens, last2) in lex.org_roles
                        ) or (last_word == "at" and _lower(text, tokens, last2) in lex.org_staff):
                            before = "role:" + last_word  # "patron de Tesla", "analysts at X"
                        # "océan Indien", "détroit de Béring", "baie d'Hudson": the lowercase
                        # geographic noun belongs to the name.
                        lead = None
                        if (
                            i
                            and (last_word if last1 == i - 1 else _lower(text, tokens, i - 1))
                            in lead_words
                        ):
                            lead = self._geo_lead(text, tokens, i) or _particle_lead(
                                text, tokens, i, lex.particles
                            )
                        if (
                            lead
                            and len(lead) == 2
                            and text[lead[0][0] : lead[0][1]].lower() in lex.geo_outside
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
                        and not pending
                        and word in country_links
                        and gap == " "
                        and text[group[0][0] : group[0][1]] in self._country_firsts
                    ):  # (a country's name begins with one of its first tokens)
                        absorb = self._country_tail(text, tokens, i, group[0][0])
                        if absorb:
                            group.append((s, e))
                            absorb -= 1
                            prev_end = e
                            i += 1
                            continue
                    if (  # (the words' tests first: the run's, with any(), are dearer)
                        group
                        and len(gap) <= 2
                        and not gap.strip(" \u00a0")
                        and (
                            lower in connectors
                            or (
                                len(lower) >= 5
                                and lower.endswith(_ADJ_ENDINGS)
                                and lower not in lex.tail_verbs
                            )
                            or (pending and _lower(text, tokens, i - 1) in lex.tail_links)
                        )
                        and (
                            text[group[-1][0] : group[-1][1]] in lower_tail_heads
                            or (
                                len(group) + len(pending) < 5
                                and len(group) > 1  # (else the same test as above)
                                and any(text[a:b] in lower_tail_heads for a, b in group)
                            )
                        )
                    ):
                        group.extend(pending)
                        pending = []
                        if lower in connectors or lower in ("l'", "l’"):
                            pending.append((s, e))
                        else:
                            group.append((s, e))
                        last1 = i
                        sentence_start = False
                        prev_end = e
                        i += 1
                        continue
                    if (
                        group
                        and (
                            lower in connectors
                            or (  # "von der Leyen" where "der" is an article ("Ausbau der Netze")
                                lower in ("der", "den")
                                and pending
                                and _lower(text, tokens, i - 1) in ("von", "van")
                            )
                            or (  # "Alfred the Great"
                                lower == "the"
                                and i + 1 < len(tokens)
                                and text[tokens[i + 1][0] : tokens[i + 1][1]] in lex.epithets
                            )
                            or lower[:2] in ("d'", "d’", "l'", "l’")
                            or (
                                not pending
                                and lower in _ORG_LINKS
                                and self._org_link(text, group, lower)
                            )
                            or (
                                lower == "and"  # "Justice and Development Party"
                                and not pending
                                and len(group) == 1
                                and self._plain_word(text[group[0][0] : group[0][1]])
                                and self._org_after(text, tokens, i + 1)
                            )
                            or (  # "Party of the Regions", "Organization for the Prohibition"
                                lower == "the"
                                and len(pending) == 1
                                and _lower(text, tokens, i - 1) in ("of", "for")
                                and any(text[a:b] in lex.org_words for a, b in group)
                            )
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
                i += 1
                if not group:
                    break  # the run closed: on to the next capital
        if group:
            groups.append((group, start_flag, before, ""))
        return groups

    def _title_inside(self, every: list[str]) -> tuple[int, int, str, str] | None:
        """A title inside a run, then a person: "EU Employment Commissioner Laszlo Andor",
        "Bank of Japan Governor Masaaki Shirakawa", "Secretary of State John Kerry". The words
        before the title stay a name when they are one (a body, a country, an institution)."""
        lex = self.lists
        is_title = lex.is_title
        office = is_title(every[0]) and len(every) >= 5 and every[1] == "of"
        for k in range(1, len(every) - 1):
            if office and k >= 3 and every[k] in lex.first_names and len(every) - k <= 3:
                return 0, k, every[k - 1], every[k - 1].lower()  # "Secretary of State" + name
            if (
                len(every[k]) <= 2
                or not is_title(every[k])
                or every[k - 1] in ("of", "de", "du")
                or every[k - 1] in lex.first_names
            ):
                continue  # "Sean M. Carroll", "Sacha Baron Cohen": a name, not a title
            tail = every[k + 1 :]
            if not (
                len(tail) <= 4
                and all(
                    (w[:1].isupper() or w in lex.particles or w in lex.name_particles)
                    and w not in lex.org_words
                    for w in tail
                )  # ("Interior Minister Thomas de Maiziere")
                and tail[0][:1].isupper()
                and tail[-1][:1].isupper()
                and (tail[0] in lex.first_names or len(tail) >= 2)
                and " ".join(tail) not in lex.places
                and " ".join(tail) not in lex.known_orgs
            ):
                continue
            if every[0] in lex.countries or every[0] in lex.bodies:
                return 1, k + 1, every[k], every[k].lower()  # "EU" and the person
            if (every[0] in lex.demonyms or office) and lex.org_words.isdisjoint(every[1:k]):
                return 0, k + 1, every[k], every[k].lower()  # "German Transport Minister"
            return k, k + 1, every[k], every[k].lower()
        return None

    def _country_tail(self, text: str, tokens: list[Span], i: int, start: int) -> int:
        """How many tokens from ``i`` end a country's name begun at ``start``, or 0."""
        for k in (3, 2, 1):
            end = tokens[min(i + k, len(tokens)) - 1][1]
            if i + k <= len(tokens) and text[start:end] in self.lists.countries:
                return k
        return 0

    def _plain_word(self, word: str) -> bool:
        """A capitalised word that is no name by itself (no organisation, place or first name
        the lists know, no organisation word): "Justice", "Trade"."""
        lex = self.lists
        return not (
            word in lex.org_words
            or word in lex.known_orgs
            or word in lex.places
            or word in lex.first_names
        )

    def _org_after(self, text: str, tokens: list[Span], i: int) -> bool:
        """Whether the tokens from ``i`` are one to three capitalised words that end with an
        organisation word: "Justice and Development Party", "Trade and Industry Ministry"."""
        org_words = self.lists.org_words
        for k in range(i, min(i + 3, len(tokens))):
            s, e = tokens[k]
            if not text[s].isupper() or text[tokens[k - 1][1] : s] != " ":
                return False
            nxt = tokens[k + 1][0] if k + 1 < len(tokens) else len(text)
            if text[s:e] in org_words and (
                k + 1 == len(tokens) or text[e:nxt] != " " or not text[nxt].isupper()
            ):
                return True
        return False

    def _org_link(self, text: str, group: list[tuple[int, int]], lower: str) -> bool:
        """Lowercase words that go on an organisation's name: "Institute for Risk Assessment",
        "Committee on World Food Security", "Chamber of Industry and Commerce"."""
        if lower in ("for", "on", "pour"):
            a, b = group[-1]
            return text[a:b] in self.lists.org_words or text[a:b] in ("Center", "Centre")
        if lower in ("and", "et"):
            words = [text[a:b] for a, b in group]
            return any(
                w in self.lists.org_words and nxt in ("of", "for", "on", "de", "pour")
                for w, nxt in itertools.pairwise(words)
            )
        return False

    def _geo_lead(
        self, text: str, tokens: list[tuple[int, int]], i: int
    ) -> list[tuple[int, int]] | None:
        for back in (1, 2):
            if i - back < 0:
                return None
            s, e = tokens[i - back]
            word = text[s:e].lower()
            nxt = tokens[i - back + 1][0]
            if text[e:nxt].strip(" \u00a0"):
                return None
            if word in self.lists.geo_nouns or word in self.lists.org_nouns:
                return tokens[i - back : i]
            if word not in self.lists.de_forms:
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
            if spans:  # a cut may leave nothing after it ("Paris des Lyon des")
                out.append((spans, at_start, before, after))
        return out

    def _cut(self, text: str, spans: list[Span]) -> tuple[int, int, str, str] | None:
        """Where a run holds two names: (end of the first, start of the second, the word after
        the first, the word before the second), or None."""
        lex = self.lists
        is_title = lex.is_title
        every = [text[a:b] for a, b in spans]
        for k, word in enumerate(every[:-1]):
            if word.endswith(("-based", "-born")):  # "New York-based Human Rights Watch"
                return k + 1, k + 1, every[k + 1], word
            if word.endswith(POSSESSIVE_ENDS) and POSSESSIVE.search(word):  # "Cairo's Tahrir"
                head, then = word[:-2], every[k + 1]
                if (
                    head.lower() not in lex.common
                    or head in lex.places
                    or head in lex.known_orgs
                    or (len(head) >= 2 and head.isupper())  # "the UN's Special Rapporteur"
                    or head in _WHEN
                    or (lex.first_name(then) and then not in lex.org_words)  # "Real's Gonzalo"
                ):
                    return k + 1, k + 1, then, "'s"
                break
        lead = 0  # leading stop words ("L'Autrichien", "The US") are looked past
        while lead < len(every) - 2 and every[lead] in lex.stop:
            lead += 1
        first, second = every[lead], every[lead + 1]
        if (
            (
                (
                    first in lex.demonyms
                    or (first.endswith(_DEMONYM_ENDS) and _DEMONYM.search(first))
                )
                and first not in lex.first_names
                and (
                    second in lex.first_names
                    or is_title(second)
                    or (  # "Afghan Taliban", not "European Parliament"
                        text[spans[lead + 1][0] : spans[-1][1]] in lex.known_orgs
                        and text[spans[lead + 1][0] : spans[-1][1]] not in lex.org_words
                    )
                )
                and second not in lex.places
                and second != "Premier"
            )
            or (
                first in lex.demonyms  # "the German ADFC", "the British EU presidency"
                and len(every) == lead + 2
                and len(second) >= 2
                and second.isupper()
                and second not in lex.places
            )
        ):  # "l'Autrichien Toni Sailer", "German Chancellor Olaf Scholz"
            return lead + 1, lead + 1, second, "'s"
        rest = " ".join(every[lead + 1 :])
        if (
            first.isupper()
            and (first in lex.bodies or first in lex.known_orgs)
            and (rest in lex.countries or rest in lex.major_places)
        ):
            return lead + 1, lead + 1, second, first  # "VW Saxony", "EU Germany"
        if first in lex.countries or first in lex.bodies:  # "US President Barack Obama"
            rest = text[spans[lead + 1][0] : spans[-1][1]]
            if (
                (
                    is_title(second)
                    or second in lex.first_names
                    or rest in lex.known_orgs
                    or rest in lex.bodies
                    or (  # "US Justice Department", "US Federal Bureau of Investigation"
                        len(every) - lead >= 3
                        and first.isupper()  # (not "Georgia Department of Natural Resources")
                        and first in lex.countries
                        and not _STATE_BODIES.isdisjoint(every[lead + 1 :])
                    )
                )
                and text[spans[lead][0] : spans[-1][1]] not in lex.places
            ):
                return lead + 1, lead + 1, second, "'s"
        if len(every) < 3:
            return None
        if "of" in every[lead + 2 : -1]:  # (not the stop words': "The Republic of Ireland")
            k = every.index("of", lead + 2)
            front, tail = every[:k], " ".join(every[k + 1 :])
            if (
                # "Brent Hinds of Mastodon": a person, then what they belong to
                (
                    (front[0] in lex.first_names or (tail in lex.countries and k >= 2))
                    and front[0] not in lex.demonyms
                    and front[-1] not in lex.org_words
                    and k <= 3
                )  # "Vladimir Putin of Russia"
                # "Buenos Aires Province of Argentina": a place in a country
                or (tail in lex.countries and front[-1] in lex.place_words)
            ):
                return k, k + 1, "of", "of"
        if cut := self._title_inside(every):
            return cut
        links = [k for k, w in enumerate(every) if w in ("de", "du", "d'", "d’")]
        if (
            len(links) >= 2
            and links[0] >= 1
            and every[links[0] - 1].endswith("s")
            and " ".join(every[links[0] + 1 : links[1]]).removesuffix(" d'") in lex.places
        ):  # "Red Wings de Détroit de la Ligue nationale": the team, then its league
            return links[1], links[1] + 1, every[links[1]], every[links[1]]
        for k in range(2, len(every) - 1):
            role = every[k - 1]
            if (
                every[k] in lex.first_names
                and len(every) - k <= 3
                and every[-1][:1].isupper()
                and all(w[:1].isupper() or w in lex.name_particles for w in every[k:])
                and (is_title(role) or role.lower() in lex.role_nouns)
            ):  # "Louisiana Governor Thomas Moore", "Interior Minister Thomas de Maiziere"
                return k - 1, k, role, role.lower()
        return None
