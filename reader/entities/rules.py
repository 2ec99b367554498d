"""The built-in extractor: capitalisation, context cues, word lists, document consistency.

Two passes over one text:
1. find candidate names (runs of capitalised words, joined by particles such as ``de``,
   ``van`` or ``of``, and by ``for``/``on``/``and`` inside an institution's name: ``runs.py``),
   then turn each run into a candidate with three ordered lists of small named rules:
   - ``TRIMS`` take titles, stop words, sentence-opening common words and trailing bylines off
     the run (``Dr. Sarah Jones``, ``Selon Plutarque``, ``Jane Miller Editor``);
   - ``REJECTS`` drop a single word that is no name (``It's``, ``Additionally``, ``XV``);
   - ``TYPE_RULES`` type it: the first rule that answers decides, from the strongest evidence
     (known organisations, epithets, products and events, first names, places, titles,
     organisation/place/site/club words, acronyms, then the words around it);
   - ``ADJUSTMENTS`` then weigh what the run finder saw around it (a capitalised article,
     ``patron de``, ``l'île de``).
2. make the document consistent: the same name gets one type throughout, a lone surname
   (``Musk``) takes the type of the full name it belongs to (``Elon Musk``), and in a sports
   report a city not named as a location is its club (``Mainz won 2-1``; see ``sports``).

Every rule reads its words from a ``Lexicon`` (``lexicon.py``; through ``runs.Lists``, its
lists as a compiled class's fields) and is named in the tests
(``tests/test_entity_rules.py`` maps each rule to sentences it decides).
Spans it cannot type with confidence are returned as ``MISC`` (not highlighted, not scored),
because a wrong highlight costs the reader more than a missing one.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Final

from reader.entities.lexicon import Lexicon, default_lexicon
from reader.entities.newswire import (
    bylines,
    credits,
    datelines,
    recase,
    results_names,
    within,
)
from reader.entities.runs import DOTTED, POSSESSIVE, POSSESSIVE_ENDS, Lists, RunFinder, Span
from reader.entities.sports import has_iso_date, inside, sports_windows
from reader.entities.typer import Typer, features, shipped_typer
from reader.lang import detect_language
from reader.model import EntityKind

# The kinds as plain strings (EntityKind's values): enum members hash through a Python method,
# which costs the extractor's dicts and sets about a tenth of its time.
PERSON: Final = EntityKind.PERSON.value
ORG: Final = EntityKind.ORG.value
PLACE: Final = EntityKind.PLACE.value
MISC: Final = EntityKind.MISC.value

_DIGIT: Final = re.compile(r"\d")
_ROAD_WORDS: Final = frozenset(("Interstate", "Route", "Highway", "Autobahn", "Autoroute"))
_ROAD_NUMBER: Final = re.compile(r" (\d{1,4}[A-Z]?)\b")  # after a road word: "Route 66", "Route 9W"
_INTERSTATE: Final = re.compile(r"I-\d{1,3}$")
_ACRONYM: Final = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z][A-Z0-9&]+$")
_ROMAN: Final = re.compile(r"(?=[IVXLC]{2})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_DOTTED_INITIALS: Final = re.compile(r"(?:[A-Z]\.)+[A-Z]")

Typed = tuple[str, bool]  # (kind, strong)
# What a player does with a club ("signed for Southampton", "on loan at Fulham", "prêté à Nice").
_CLUB_BEFORE: Final = re.compile(
    r"(?:\b(?:signed (?:for|with)|played (?:for|with)|plays for|playing for|on loan (?:to|at|from)"
    r"|loaned (?:to|out to)|transferred to|debut for|scored for|joined|rejoined|returned to"
    r"|signe (?:à|pour|avec)|signé (?:à|pour|avec)|joue (?:pour|avec)|jouait pour"
    r"|prêté (?:à|au)|transféré (?:à|au))) $"
)
# What a club does with a player, and matches: before a town or an untyped name, the club
# ("released by Sunderland", "a 3-0 win at Brentford"; not before a person: "victoire sur
# Dinara Safina" is a tennis match).
_CLUB_OR_MATCH_BEFORE: Final = re.compile(
    r"(?:\b(?:released by|signed by|appearances? (?:for|at)|(?:goals?|games|matches|times) for"
    r"|spell (?:at|with)|debut (?:against|with)|(?:coach|manager) (?:of|at)|scout for"
    r"|(?:loss|lost|defeat) to|defeat by|(?:win|victory|draw) (?:at|over|against|with)"
    r"|beat|defeated|victoire (?:sur|contre)|défaite (?:contre|face à))) $"
)
# Matches, before a major place in a sports report ("a loss to Arizona", "beat Valencia
# 2-1"): the club, not the city or the state.
_MATCH_BEFORE: Final = re.compile(
    r"(?:\b(?:(?:loss|lost|defeat) to|defeat by|(?:win|victory|draw) (?:at|over|against|with)"
    r"|beat|defeated|against|victoire (?:sur|contre)|défaite (?:contre|face à))) $"
)
# The last words of those phrases: a name after none of them needs no search.
_CLUB_CUE_ENDS: Final = tuple(
    f"{w} "
    for w in """for with to at from joined rejoined à pour avec au by against of over beat
    defeated sur contre""".split()
)
# A result before a first name alone ("a win against Chelsea", "lost to Aris"): the club.
_RESULT_BEFORE: Final = re.compile(
    r"(?:\b(?:(?:loss|lost|defeat) to|defeat by|(?:win|victory|draw) (?:at|over|against|with)"
    r"|beat|defeated)) $"
)
# Nations that field teams without being states: their teams keep the nation's name.
_HOME_NATIONS: Final = frozenset(("England", "Scotland", "Wales", "Northern Ireland"))
# What joins two names of one kind in a list ("Ora et Wey", "Leeds and Arsenal").
_COORDINATION: Final = frozenset((" et ", " and ", ", ", " , ", " ou ", " or ", " & "))
_VOTES: Final = itemgetter(1)  # (a kind's votes, made once: not per name)


@dataclass(slots=True, init=False)  # (an __init__ of its own: compiled, where a generated
class Words:  # one stays interpreted, and a run of capitals makes one of these each)
    """A run of capitals on its way to a candidate: its words and what surrounds them.

    The trimming rules change ``words``/``spans`` and the context flags; typing reads them.
    """

    text: str
    words: list[str]
    spans: list[Span]
    at_start: bool  # the run opens a sentence
    before: str  # the lowercase word before it (or a cue taken off its front: "selon")
    after: str  # the word after it, lowercased
    english: bool
    titled: bool = False  # a title stood before the name ("President", "M.")
    role: bool = False  # "patron de", "head of" stood before it
    geo: bool = False  # a geographic noun that stays outside stood before it ("l'île de")
    org_cue: bool = False  # a title followed by a connector ("CEO de Xiaomi")
    article: bool = False  # a capitalised article that belongs to the name ("The Who")
    article_start: int = 0
    placed: bool = False  # the run ends with an organisation, place or site word
    bare: str = ""  # a single word without its possessive (for REJECTS)
    span: str = ""  # the name's text, once trimmed (for TYPE_RULES)
    n: int = 0  # how many words it has, once trimmed

    def __init__(
        self,
        text: str,
        words: list[str],
        spans: list[Span],
        at_start: bool,
        before: str,
        after: str,
        english: bool,
        span: str = "",
        n: int = 0,
    ) -> None:
        self.text, self.words, self.spans, self.at_start = text, words, spans, at_start
        self.before, self.after, self.english = before, after, english
        self.titled = self.role = self.geo = self.org_cue = self.article = False
        self.article_start = 0
        self.placed = False
        self.bare = ""
        self.span, self.n = span, n


@dataclass(slots=True, init=False)  # (compiled __init__, as for Words)
class _Candidate:
    start: int
    end: int
    text: str
    kind: str  # PERSON | ORG | PLACE | MISC
    strong: bool  # typed by strong evidence (gazetteer word, title, context)
    tokens: list[str]
    owner: bool  # an untyped single name followed by a possessive
    rule: str  # the name of the rule that typed it
    before: str  # the word before it (lowercase)
    after: str  # the word after it (lowercase)
    at_start: bool  # it opens a sentence

    def __init__(
        self,
        start: int,
        end: int,
        text: str,
        kind: str,
        strong: bool,
        tokens: list[str] | None = None,
        owner: bool = False,
        rule: str = "",
        before: str = "",
        after: str = "",
        at_start: bool = False,
    ) -> None:
        self.start, self.end, self.text, self.kind, self.strong = start, end, text, kind, strong
        self.tokens = [] if tokens is None else tokens
        self.owner, self.rule, self.before, self.after = owner, rule, before, after
        self.at_start = at_start


# The tails of an English compound that say how a name stands to what follows ("the US-led
# war", "a Berlin-based firm"); other tails may belong to the name ("Ban Ki-moon") or make a
# word of it ("Blu-ray", "Oscar-nominated").
_COMPOUND_TAILS: Final = frozenset(
    """led based born run wide like friendly owned backed linked controlled sanctioned funded
    financed dominated affiliated allied endorsed supported brokered occupied held ruled""".split()
)


def _compound_tail(word: str, english: bool) -> int:
    """How many characters end ``word`` that are a compound's tail naming no one ("New
    York-based", "the US-led war", "Al Qaeda-linked"; in other languages only "-based" and
    "-born"); 0 for none."""
    head, _, tail = word.rpartition("-")
    if not head or tail not in (_COMPOUND_TAILS if english else ("based", "born")):
        return 0
    return len(tail) + 1 if len(head) > 1 else 0


def _after_place_preposition(text: str, start: int, lex: Lists) -> bool:
    """The word right before ``start`` is a preposition of place ("in", "à"), in the text
    itself (a candidate's ``before`` may come from across a sentence end)."""
    words = text[max(0, start - 12) : start].split()
    return bool(words) and words[-1].lower() in lex.place_prepositions


def _keep_particle(text: str, c: _Candidate, full: str, lex: Lists) -> None:
    """In English, a surname alone keeps the particle of the full name it stands for where
    it has it: "de Maiziere" after "Thomas de Maiziere" (in French "de" is also "of")."""
    words = full.split()
    particle = words[-2] if len(words) >= 3 and words[-1] == c.text else ""
    start = c.start - len(particle) - 1
    if (
        particle.islower()
        and particle in lex.name_particles
        and start >= 0
        and text.startswith(particle + " ", start)
        and not (start and text[start - 1].isalnum())
    ):
        c.start, c.text, c.tokens = start, f"{particle} {c.text}", [particle, *c.tokens]


def _initial(text: str, span: Span) -> bool:
    """A one-letter capital followed by a period: an initial ("A. R. Rahman"), not "A"."""
    return span[1] - span[0] == 1 and text[span[1] : span[1] + 1] == "."


def _drop_first(w: Words) -> None:
    w.words.pop(0)
    w.spans = w.spans[1:]


# -- decisions on the whole run, before anything is trimmed -----------------------------------


def place_with_its_article(w: Words, lex: Lists) -> str | None:
    """ "La Rochelle", "Salt Lake City" at a sentence start: a listed place keeps its first word."""
    words = w.words
    if (
        len(words) > 1
        and w.span in lex.places
        and (words[0] in lex.stop or (w.at_start and words[0].lower() in lex.frequent))
        and not lex.is_title(words[0])
    ):
        return PLACE
    return None


def known_organisation_run(w: Words, lex: Lists) -> str | None:
    """ "European Union", "Deutsche Bank": a listed organisation of several words, whole."""
    if len(w.words) > 1 and (w.span in lex.known_orgs or w.span in lex.bodies):
        return ORG
    return None


WHOLE_RUN_RULES: tuple[Callable[[Words, Lists], str | None], ...] = (
    place_with_its_article,
    known_organisation_run,
)


def article_in_name(w: Words, lex: Lists) -> bool:
    """ "joined The Rolling Stones", "won La Liga", "The New York Times", "The Economist":
    a capitalised article inside a sentence (or before a newspaper's name) is the name's."""
    words, text, spans = w.words, w.text, w.spans
    if (
        not w.at_start
        and len(words) > 1
        and words[0] in lex.name_articles
        and words[1] not in lex.stop
        and not lex.is_title(words[1])
        and not _ACRONYM.match(words[1])
        and not lex.certain_kind(text[spans[1][0] : spans[-1][1]])
        and text[spans[1][0] : spans[-1][1]] not in lex.places
    ):
        return True
    return (
        words[0] in ("The", "the")
        and len(words) > 1
        and words[-1] in lex.paper_words
        and (len(words) > 2 or words[-1] in ("Economist", "Guardian", "Independent"))
    )


# -- TRIMS: words taken off the run, in order ---------------------------------------------------


def strip_leading_titles_and_stops(w: Words, lex: Lists) -> None:
    """ "Dr. Sarah Jones", "At Anfield", "Selon Plutarque": titles and stop words in front go,
    unless a short name ends with an organisation or place word ("Duke University")."""
    words = w.words
    while words and (
        (lex.is_title(words[0]) and not (w.placed and len(words) <= 4))
        or (words[0] in lex.stop and not (len(words) > 1 and _initial(w.text, w.spans[0])))
    ):
        if lex.is_title(words[0]):
            w.titled = True
        else:
            w.before = words[0].lower()
        _drop_first(w)
        w.at_start = False


def title_before_connector(w: Words, lex: Lists) -> None:
    """ "CEO de Xiaomi", "president of Acme": what follows a title and a connector is no person."""
    if w.titled and w.words and w.words[0].lower() in lex.connectors:
        w.titled = False
        w.org_cue = True


def strip_leading_connectors(w: Words, lex: Lists) -> None:
    """Connectors left in front ("of", "de"), except particles that open names ("van Gogh")."""
    while w.words and w.words[0] in lex.connectors and w.words[0] not in lex.particles:
        _drop_first(w)


def strip_sentence_opener(w: Words, lex: Lists) -> None:
    """A common word, a participle or an occupation opening a sentence is no part of the name:
    "Reprenant Aristote", "Starring Ben Affleck", "Geologist Farouk El-Baz"; a title or a
    connector after it goes too ("Foreign Minister Joschka Fischer", "Fan des Lakers")."""
    words = w.words
    if not (
        w.at_start
        and len(words) > 1
        and not _initial(w.text, w.spans[0])
        and (
            words[0].lower() in lex.frequent
            or (words[0].endswith(("ant", "ing")) and words[0].lower() in lex.common)
            or (
                lex.first_name(words[1])
                and 3 <= len(words) <= 4
                and words[0] not in lex.last_names
                and words[0] not in lex.first_names
                and words[0] not in lex.places
            )
        )
        and not lex.is_name(words[0])
        and not lex.first_name(words[0])
        and words[0] not in lex.lower_tail_heads
        and words[0] not in lex.org_words
        and not (len(words) == 2 and words[1] in lex.org_words)  # "European Parliament"
    ):
        return
    if lex.first_name(words[1]) and words[0] not in lex.frequent:
        w.titled = True
    w.before = words[0].lower()  # "Selon Plutarque": the cue opens the sentence
    _drop_first(w)
    w.at_start = False
    while len(words) > 1 and lex.is_title(words[0]):
        w.titled = True
        _drop_first(w)
    while len(words) > 1 and words[0] in lex.connectors and words[0] not in lex.particles:
        _drop_first(w)


def strip_plural_noun_of(w: Words, lex: Lists) -> None:
    """ "Shares of General Motors rose", "Officials of the Zorbland Agency": a plural common
    noun and "of" opening a sentence are no part of the name after them."""
    words = w.words
    if (
        w.at_start
        and len(words) >= 3
        and words[1] == "of"
        and words[0].endswith("s")
        and words[0].lower() in lex.common
        and words[0] not in lex.org_words
        and words[0] not in lex.place_words
        and words[0] not in lex.site_words
        and words[0] not in lex.event_words
        and not lex.is_name(words[0])
        and not lex.is_title(words[0])
    ):
        w.before = "of"
        _drop_first(w)
        _drop_first(w)
        w.at_start = False


# Stop words that are also surnames: after a listed first name they end the name ("Theresa
# May", "Jack Ma"), where a stop word would otherwise be cut off.
_SURNAME_STOPS: Final = frozenset(("May", "Ma", "Son", "An", "Du"))


def strip_trailing_words(w: Words, lex: Lists) -> None:
    """ "Nick Amies Editor: …", "Berlin Monday", "Merkel At" in a headline, a connector at the
    end: bylines, dates and stop words close no name."""
    words = w.words
    while words and (
        words[-1].lower() in lex.connectors
        or words[-1] in ("for", "on", "and", "pour", "et", "l'", "l’", "d’")
        or words[-1] in lex.trailing_stop
        or (
            words[-1] in lex.stop
            and (words[-1].istitle() or words[-1].isupper())
            and len(words[-1]) > 1
            and len(words) > 1
            and not (len(words) == 2 and words[1] in _SURNAME_STOPS and lex.first_name(words[0]))
        )
    ):
        words.pop()
        w.spans = w.spans[:-1]


def strip_headline_verb(w: Words, lex: Lists) -> None:
    """ "EU Returns to Work", "Germany Chooses Finalists": in a headline's capitals, a common
    word ending in "s" after a known country or organisation's one word is no part of its
    name."""
    words = w.words
    if len(words) != 2:  # (not a team: "Puerto Rico Islanders")
        return
    head, last = words
    if (
        last.endswith("s")
        and last.lower() in lex.common
        and last not in lex.org_words
        and last not in lex.place_words
        and last[:-1] not in lex.place_words  # "Taiwan Straits"
        and (head in lex.countries or head in lex.known_orgs or head in lex.bodies)
        and w.text[w.spans[0][0] : w.spans[1][1]] not in lex.known_orgs
    ):
        words.pop()
        w.spans = w.spans[:-1]


TRIMS: tuple[Callable[[Words, Lists], None], ...] = (
    strip_leading_titles_and_stops,
    title_before_connector,
    strip_leading_connectors,
    strip_sentence_opener,
    strip_plural_noun_of,
    strip_trailing_words,
    strip_headline_verb,
)


# -- REJECTS: a single word that is no name --------------------------------------------------


def no_name_alone(w: Words, lex: Lists) -> bool:
    """A demonym (not "the Taliban"), a stop word, the abbreviation of a thing ("API"), a
    number, a letter, an elided article, "I" contracted ("I'm", "I've")."""
    word = w.bare
    return (
        (word in lex.demonyms and word not in lex.known_orgs)
        or word in lex.stop
        or word in lex.things
        or word.isdigit()
        or len(word) == 1
        or word[-1] in "'’"
        or (word[0] == "I" and word[1:2] in ("'", "’") and word[2:].lower() in _I_CONTRACTED)
    )


_I_CONTRACTED: Final = frozenset(("m", "ve", "d", "ll"))
_MONTHS_SHORT: Final = frozenset("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split())


def month_before_number(w: Words, lex: Lists) -> bool:
    """ "Jan. 20", "Aug 3": a month's abbreviation before a day or a year, not "Jan" the
    first name; "8 Mars 2021", the French month capitalised, not the planet."""
    if w.bare == "Mars":
        return w.before.isdigit() or w.after.isdigit()
    return w.bare in _MONTHS_SHORT and w.after.isdigit() and len(w.after) <= 4


def common_word_opening_sentence(w: Words, lex: Lists) -> bool:
    """ "Le", "However" opening a sentence: a common word, not "EU"."""
    word = w.bare
    return (
        w.at_start
        and word.lower() in lex.common
        and not lex.is_name(word)
        and not (word.isupper() and len(word) > 1)
    )


def adverb_opening_sentence(w: Words, lex: Lists) -> bool:
    """ "Additionally,", "Finalement,": a sentence-opening adverb."""
    word = w.bare
    return (
        w.at_start
        and word.endswith(("ly", "ment"))
        and word not in lex.places
        and word not in lex.org_words
        and word not in lex.known_orgs
    )


def roman_numeral_alone(w: Words, lex: Lists) -> bool:
    """ "XV", "II" on their own."""
    word = w.bare  # (the pattern opens with two of these letters)
    return len(word) >= 2 and word[0] in "IVXLC" and _ROMAN.fullmatch(word) is not None


# Endings of a doctrine ("Stoicism", "Gaullisme") and of a taxon's name ("Hymenoptera",
# "Tapinocephalidae", "Asphodelaceae"): words no person, place or organisation is named by.
_NO_NAME_ENDINGS: Final = ("ism", "isme", "idae", "inae", "aceae", "optera", "iformes", "oidea")


def doctrine_or_taxon(w: Words, lex: Lists) -> bool:
    """ "Satanism", "Hymenoptera" alone: a doctrine or a taxon, no name."""
    word = w.bare
    return len(word) > 5 and word[1:].islower() and word.endswith(_NO_NAME_ENDINGS)


REJECTS: tuple[Callable[[Words, Lists], bool], ...] = (
    no_name_alone,
    common_word_opening_sentence,
    adverb_opening_sentence,
    roman_numeral_alone,
    month_before_number,
    doctrine_or_taxon,
)
# Rejections that read the words around the name ("Jan 20", "8 Mars"): not remembered for
# the word alone (``RuleExtractor._no_name``), or the next text's "Jan" and "Mars" are lost.
_BY_NEIGHBOURS: Final = frozenset((month_before_number,))


# -- TYPE_RULES: the first that answers types the name ----------------------------------------


def known_organisation(w: Words, lex: Lists) -> Typed | None:
    """A listed organisation or international body, or a name with "&" ("Procter & Gamble")."""
    if w.span in lex.bodies or w.span in lex.known_orgs or "&" in w.span:
        return ORG, True
    return None


def ruler_with_epithet(w: Words, lex: Lists) -> Typed | None:
    """ "Alexandre le Grand", "Pline l'Ancien", "Alfred the Great"."""
    words, n = w.words, w.n
    if (
        n >= 2
        and (
            (n >= 3 and words[-2] in ("le", "la", "the", "l'", "l’") and words[-1] in lex.epithets)
            or (words[-1][:2] in ("l'", "l’") and words[-1][2:] in lex.epithets)
        )
        and words[0] not in lex.countries
    ):
        return PERSON, True
    return None


def road(w: Words, lex: Lists) -> Typed | None:
    """ "Interstate 93", "Highway 61", "State Route 9", "I-95": a road and its number."""
    words = w.words
    if (w.n >= 2 and words[-2] in _ROAD_WORDS and words[-1][:1].isdigit()) or (
        w.span.startswith("I-") and _INTERSTATE.match(w.span)
    ):
        return PLACE, True
    return None


def product_or_number(w: Words, lex: Lists) -> Typed | None:
    """ "Tesla Model Y", "Galaxy S24": a product word or a digit makes a thing."""
    if not lex.product_words.isdisjoint(w.words) or _DIGIT.search(w.span):
        return MISC, False
    return None


def event_or_award(w: Words, lex: Lists) -> Typed | None:
    """ "World War II", "Cannes Film Festival", "Battle of Anzio"."""
    if w.n > 1 and (w.words[-1] in lex.event_words or w.words[0] in lex.event_words):
        return MISC, True
    return None


def lowercase_org_noun(w: Words, lex: Lists) -> Typed | None:
    """ "université de Montréal": a French organisation opened by a lowercase noun."""
    return (ORG, True) if w.words[0] in lex.org_nouns else None


def french_compass_state(w: Words, lex: Lists) -> Typed | None:
    """ "Caroline du Nord", "Dakota du Sud"."""
    words = w.words
    if w.n == 3 and words[1] in ("du", "de") and words[2] in ("Nord", "Sud", "Est", "Ouest"):
        return PLACE, True
    return None


def first_name_and_initial(w: Words, lex: Lists) -> Typed | None:
    """ "George M. Church": a first name, an initial and a surname."""
    words = w.words
    if (
        w.n == 3
        and lex.first_name(words[0])
        and len(words[1]) == 1
        and words[1].isupper()
        and words[2][:1].isupper()
        and len(words[2]) > 2
    ):
        return PERSON, True
    return None


def first_and_last_name(w: Words, lex: Lists) -> Typed | None:
    """ "Adam West", "Jonah Hill", "Karl Marx": listed first and last names, not a place."""
    words = w.words
    if (
        2 <= w.n <= 3
        and words[0] in lex.first_names
        and words[-1] in lex.last_names
        and words[0] not in lex.places
        and w.span not in lex.major_places
        and lex.org_words.isdisjoint(words)
        and (
            words[-1] not in lex.place_words
            or (words[-1] in lex.surname_place_words and w.span not in lex.places)
        )
        and words[-1] not in lex.site_words
    ):
        return PERSON, True
    return None


def geo_noun_or_major_place(w: Words, lex: Lists) -> Typed | None:
    """ "océan Indien", "Paris", "Bavaria": a geographic noun, a major place or a region."""
    if w.words[0].lower() in lex.geo_nouns or w.span in lex.major_places or w.span in lex.regions:
        return PLACE, True
    return None


def _planet(w: Words, lex: Lists) -> bool:
    """A planet alone, not next to a number ("8 Mars 2021" is a French date capitalised)."""
    return w.n == 1 and w.span in lex.planets and not (w.before.isdigit() or w.after.isdigit())


def planet(w: Words, lex: Lists) -> Typed | None:
    """ "landed on Mars", "orbits Jupiter": a planet alone is a place."""
    return (PLACE, False) if _planet(w, lex) else None


def titled_person(w: Words, lex: Lists) -> Typed | None:
    """ "President Obama", though Obama is also a town in Japan."""
    return (PERSON, True) if w.titled else None


def listed_city(w: Words, lex: Lists) -> Typed | None:
    """ "Salt Lake City"; "Manchester City" is not in the list."""
    return (PLACE, True) if w.words[-1] == "City" and w.span in lex.places else None


def organisation_word_alone(w: Words, lex: Lists) -> Typed | None:
    """ "the League", "Parliament", "l'Association": an organisation noun alone is no name."""
    return (MISC, False) if w.n == 1 and w.words[0] in lex.org_words else None


def facility_word(w: Words, lex: Lists) -> Typed | None:
    """ "Ashmolean Museum", "Geneva Airport", "Museum of World Treasures": a building or a site
    named by an organisation word of its own and by no other organisation word."""
    facility, words = lex.facility_words, w.words
    if (
        w.n > 1
        and not facility.isdisjoint(words)
        and all(x in facility or x not in lex.org_words for x in words)
    ):
        return PLACE, True
    return None


def organisation_word(w: Words, lex: Lists) -> Typed | None:
    """ "Acme Corp.", "Federal Institute for Risk Assessment": an organisation word inside."""
    return (ORG, True) if not lex.org_words.isdisjoint(w.words) else None


def known_organisation_first(w: Words, lex: Lists) -> Typed | None:
    """ "Fiat Chrysler", "Xiaomi EV": a listed organisation opens the name."""
    if w.n > 1 and w.words[0] in lex.known_orgs and w.words[0] not in lex.places:
        return ORG, False
    return None


# Endings of a nation's adjective and of a taxon's name, which no family has.
_NOT_A_FAMILY: Final = ("an", "ese", "ish", "idae", "aceae", "inae")


def named_after_the(w: Words, lex: Lists) -> Typed | None:
    """ "the Fourier transform", "the Takeda clan", "the Aquino government": in English, one
    name between "the" and a noun that takes a person's name (a family's only when the name
    is no listed place: "the Kerala government")."""
    name = w.span
    if not (w.english and w.n == 1 and w.before == "the") or name.lower() in lex.common:
        return None
    if "-" in name and not name.rsplit("-", 1)[1][:1].isupper():  # "the Fatah-led government"
        return None
    if w.after in lex.eponym_heads:
        return PERSON, False
    if (
        w.after in lex.family_heads
        and name not in lex.places
        and not name.endswith(_NOT_A_FAMILY)  # "the Malian government", "the Dasyuridae family"
    ):
        return PERSON, False
    return None


def listed_place(w: Words, lex: Lists) -> Typed | None:
    """A place in the gazetteer (strong when it has several words)."""
    return (PLACE, w.n > 1) if w.span in lex.places else None


def place_word(w: Words, lex: Lists) -> Typed | None:
    """ "Tahrir Square", "Prince Edward Island": a place word inside."""
    if w.n > 1 and not lex.place_words.isdisjoint(w.words):
        return PLACE, True
    return None


def site_word(w: Words, lex: Lists) -> Typed | None:
    """ "Target Field", "Gielgud Theatre", "Ted Williams Tunnel"; not "Sally Field"."""
    if w.n > 1 and w.words[-1] in lex.site_words and (w.n > 2 or w.words[0] not in lex.first_names):
        return PLACE, False
    return None


def new_or_upper_place(w: Words, lex: Lists) -> Typed | None:
    """ "New England", "Upper Austria"."""
    words = w.words
    if (
        w.n == 2
        and words[0] in ("New", "Upper", "Lower", "Greater")
        and (words[1] in lex.places or words[1] in lex.regions)
    ):
        return PLACE, False
    return None


_CARDINALS: Final = frozenset(("North", "South", "East", "West"))


def compass_word(w: Words, lex: Lists) -> Typed | None:
    """ "Northern France", "Middle East": a compass word in a name of several words; in
    English "the West" alone, a region of the world."""
    if w.n > 1 and not lex.compass.isdisjoint(w.words):
        return PLACE, False
    if w.english and w.n == 1 and w.before == "the" and w.span in _CARDINALS:
        return PLACE, False
    return None


# Small words an acronym's letters may skip ("Bank of England", "product and services").
_ACRONYM_SKIPS: Final = frozenset("of and the for de des du la le et à in on to".split())
_EXPANSION: Final = re.compile(r"((?:[^\W\d_][\w'’-]* ){1,10})\( ?$")


def spelled_out(text: str, start: int, acronym: str) -> bool | None:
    """Whether the words just before "(" at ``start`` spell the acronym: True when they are
    capitalised ("Federal Bureau of Investigation (FBI)"), False when lowercase ("gross national
    product (GNP)"), None when they do not spell it."""
    if not text.endswith(("(", "( "), 0, start):
        return None  # (what _EXPANSION needs first)
    m = _EXPANSION.search(text, max(0, start - 160), start)
    if m is None:
        return None
    letters = acronym.replace(".", "").replace("&", "").lower()
    words = m.group(1).split()
    k = len(letters)
    used: list[str] = []
    for word in reversed(words):
        if not k:
            break
        if word[0].lower() == letters[k - 1]:
            k -= 1
            used.append(word)
        elif word.lower() not in _ACRONYM_SKIPS:
            break
    if k or not used:
        # "capsule communicator ( CAPCOM )", "liquid oxygen ( LOX )": lowercase words that
        # spell it with letters from inside them too (an acronym of a dozen letters at most)
        if len(letters) > MAX_SPELLED:
            return None
        for n in range(2, min(len(words), len(letters)) + 1):
            tail = words[-n:]
            if all(w.islower() for w in tail) and _spelled_inside(tail, 0, letters, 0, set()):
                return False
        return None
    if all(u[0].islower() for u in used):
        return False
    return True if all(u[0].isupper() for u in used) else None


MAX_SPELLED: Final = 12  # the longest acronym looked for inside words


def _spelled_inside(
    words: list[str], i: int, letters: str, k: int, failed: set[tuple[int, int]]
) -> bool:
    """Whether ``words[i:]`` spell ``letters[k:]``: each word gives its first letter, then as
    few of its later letters, in order, as leave the rest to the words after it (``failed``:
    the (word, letter) pairs already tried, so that the search stays polynomial)."""
    if i == len(words):
        return k == len(letters)
    if (i, k) in failed:
        return False
    failed.add((i, k))
    word = words[i]
    if k == len(letters) or word[0] != letters[k]:
        return False
    k += 1
    pos = 1
    while True:
        if _spelled_inside(words, i + 1, letters, k, failed):
            return True
        if k == len(letters):
            return False
        pos = word.find(letters[k], pos) + 1
        if not pos:
            return False
        k += 1


def acronym_of_lowercase_words(w: Words, lex: Lists) -> Typed | None:
    """ "gross national product ( GNP )": an acronym spelled out by lowercase words just
    before it is the name of a thing, not of an organisation (its other mentions too)."""
    word = w.words[0]
    if (
        len(word) >= 3
        and _ACRONYM.match(word)
        and spelled_out(w.text, w.spans[0][0], word) is False
    ):
        return MISC, True
    return None


def acronym(w: Words, lex: Lists) -> Typed | None:
    """ "IMF", "BYD": an acronym of three letters or more."""
    if w.n == 1 and len(w.words[0]) >= 3 and _ACRONYM.match(w.words[0]):
        return ORG, True
    return None


def club_word(w: Words, lex: Lists) -> Typed | None:
    """ "Dynamo Kiev", "Werder Bremen", "Hertha BSC"."""
    words = w.words
    if w.n >= 2 and (
        words[0].replace(".", "") in lex.club_words or words[-1].replace(".", "") in lex.club_words
    ):
        return ORG, True
    return None


def city_team(w: Words, lex: Lists) -> Typed | None:
    """ "Houston Astros", "Los Angeles Lakers", "Portland Trail Blazers": a city and a plural
    (not a place's, a site's or an event's word: "Palm Springs", "Boston Gardens"; after a
    city of two words or a team of two, not a common word: "Hong Kong Protests")."""
    words, n = w.words, w.n
    last = words[-1]
    if n < 2 or n > 4 or not last.endswith("s"):
        return None
    if last in lex.place_words or last in lex.site_words or last in lex.event_words:
        return None
    if n == 2:
        if words[0] in lex.places and (
            words[0] not in lex.first_names or last not in lex.last_names
        ):
            return ORG, False
        return None
    if last.lower() in lex.common:  # "Hong Kong Protests", "Rhode Island Beaches"
        return None
    for k in (1, 2):  # the city's words, then one or two of the team's
        if 1 <= n - k <= 2 and " ".join(words[:k]) in lex.places:
            return ORG, False
    return None


def regnal_numeral(w: Words, lex: Lists) -> Typed | None:
    """ "Auguste II", "Louis XIV"."""
    words = w.words
    if w.n == 2 and _ROMAN.fullmatch(words[1]) and words[0].lower() not in lex.common:
        return PERSON, False
    return None


def french_team(w: Words, lex: Lists) -> Typed | None:
    """ "Celtics de Boston", "Maple Leafs de Toronto": a plural, "de" and a city."""
    words, n = w.words, w.n
    link = next((k for k, x in enumerate(words) if x in ("de", "du", "d'", "d’")), 0)
    if (
        link
        and link < n - 1
        and words[link - 1].endswith("s")
        and " ".join(words[link + 1 :]) in lex.places
        and words[link - 1].lower() not in lex.common
        and words[link - 1] not in lex.first_names
    ):
        return ORG, False
    return None


def state_with_adjectives(w: Words, lex: Lists) -> Typed | None:
    """ "République tchèque", "Gaule cisalpine", "Europe occidentale"."""
    words = w.words
    if (
        w.n >= 2
        and all(x.islower() for x in words[1:])
        and (words[0] in lex.places or words[0] in lex.regions or words[0] in lex.state_heads)
    ):
        return PLACE, False
    return None


def first_name_opens(w: Words, lex: Lists) -> Typed | None:
    """ "Jean-Marie Le Pen", "Louis Brière de l'Isle": a first name and up to three more."""
    words, n = w.words, w.n
    if (
        2 <= n <= 4 or (n <= 6 and any(x in lex.name_particles for x in words[1:-1]))
    ) and lex.first_name(words[0]):
        return PERSON, True
    return None


def initials_or_bin(w: Words, lex: Lists) -> Typed | None:
    """ "Osama bin Laden", "J. R. R. Tolkien", "George W. Bush"."""
    words = w.words
    if (
        2 <= w.n <= 5
        and words[0][:1].isupper()
        and (words[0].lower() not in lex.common or len(words[0]) == 1)
    ):
        if any(x in ("bin", "ibn", "ben") for x in words[1:-1]):
            return PERSON, False
        if (
            any((len(x) == 1 and x.isupper()) or DOTTED.match(x) for x in words[:-1])
            and len(words[-1]) > 2
        ):
            return PERSON, False
    return None


def acronym_inside(w: Words, lex: Lists) -> Typed | None:
    """ "PSV Eindhoven", "CSKA Sofia": an acronym in a name."""
    if w.n >= 2 and any(
        len(x) >= 2 and x.isupper() and x.isalpha() and _ROMAN.fullmatch(x) is None for x in w.words
    ):  # (not "World War II", "Creed II": a numeral)
        return ORG, False
    return None


def name_and_big_city(w: Words, lex: Lists) -> Typed | None:
    """ "Ajax Amsterdam": a name and its (big) city."""
    words = w.words
    if w.n == 2 and words[1] in lex.major_places and words[0] not in lex.places:
        return ORG, False
    return None


def said_after(w: Words, lex: Lists) -> Typed | None:
    """ "Smith said", "Dupont déclare"."""
    return (PERSON, False) if w.after in lex.person_after and w.n <= 3 else None


def organisation_cue_after(w: Words, lex: Lists) -> Typed | None:
    """ "the Golden Dawn party", "Haribo boss", "a Gladbach keeper": a name no list knows,
    before a word for what organisations have."""
    return (ORG, False) if w.after in lex.org_after and w.n <= 3 else None


def organisation_cue_before(w: Words, lex: Lists) -> Typed | None:
    """ "the carmaker Zeekr", "chez Renault", "la marque Ora"."""
    return (ORG, False) if w.before in lex.org_before else None


def place_cue_before(w: Words, lex: Lists) -> Typed | None:
    """ "in Meudon", "du Zanthor": a preposition of place before a single word."""
    return (PLACE, False) if w.n == 1 and w.before in lex.place_before else None


def person_cue_before(w: Words, lex: Lists) -> Typed | None:
    """ "selon Plutarque", "par Dupont"."""
    if w.n == 1 and w.before in lex.person_before and w.words[0].lower() not in lex.common:
        return PERSON, False
    return None


def two_or_three_names(w: Words, lex: Lists) -> Typed | None:
    """Two or three capitalised words, the last a surname or two words: a person, unless
    common words make it a title ("Weekly Shōnen", English "Dracula Untold") or a plural noun
    ends it ("Social Democrats", "Dallas Cowboys": an organisation)."""
    words, n = w.words, w.n
    name_like = all(x[:1].isupper() and x.replace("-", "").isalpha() for x in words)
    if not (2 <= n <= 3 and name_like and (words[-1] in lex.last_names or n == 2)):
        return None
    last, first = words[-1], words[0]
    plural_noun = last.endswith("s") and last.lower() in lex.common
    common_lead = (
        first.lower() in lex.common and first not in lex.first_names and first not in lex.last_names
    )
    wordy = any(x.lower() in lex.frequent and x not in lex.first_names for x in words)
    if wordy and not plural_noun:
        return MISC, False
    if (
        w.english
        and n == 2
        and last not in lex.last_names
        and first not in lex.last_names
        and not (plural_noun or common_lead)
        and (first.lower() in lex.common or last.lower() in lex.common)
    ):  # English capitalises titles of works and names of things ("Copa Libertadores");
        return MISC, False  # French capitalises people's names
    if last in lex.last_names or not (plural_noun or common_lead):
        return PERSON, False
    return ORG, False


def name_with_particle(w: Words, lex: Lists) -> Typed | None:
    """ "Grégoire de Tours", "Leopold von Ranke"."""
    words = w.words
    if (
        w.n == 3
        and words[1] in ("de", "von", "van", "di", "da", "del", "du", "d'")
        and words[0][:1].isupper()
        and words[0].lower() not in lex.common
        and words[0] not in lex.places
    ):
        return PERSON, False
    return None


def three_names(w: Words, lex: Lists) -> Typed | None:
    """ "Gottfried Wilhelm Leibniz": three names, no common word."""
    words = w.words
    name_like = all(x[:1].isupper() and x.replace("-", "").isalpha() for x in words)
    if w.n == 3 and name_like and not any(x.lower() in lex.common for x in words):
        return PERSON, False
    return None


def several_words_no_cue(w: Words, lex: Lists) -> Typed | None:
    """Several words and no cue: "X of Y" with Y no place is a title ("Diploma of Teaching"),
    French runs of capitals are titles (French writes organisations in sentence case),
    English ones organisations."""
    words = w.words
    if w.n < 2:
        return None
    links = [i for i, x in enumerate(words) if x in ("de", "du", "des", "d'", "d’", "of")]
    if links:
        if " ".join(words[links[-1] + 1 :]) not in lex.places:
            return MISC, False
    elif not w.english:
        return MISC, False
    return ORG, False


def lone_first_name(w: Words, lex: Lists) -> Typed | None:
    """ "Belinda": a first name alone; not "Renault's Zoe", a maker's model."""
    word = w.words[0]
    if (
        word in lex.first_names
        and len(word) > 2
        and word.lower() not in lex.frequent
        and word not in lex.places
        and w.before != "'s"
    ):
        return PERSON, False
    return None


TYPE_RULES: tuple[Callable[[Words, Lists], Typed | None], ...] = (
    known_organisation,
    ruler_with_epithet,
    road,
    product_or_number,
    event_or_award,
    lowercase_org_noun,
    french_compass_state,
    first_name_and_initial,
    first_and_last_name,
    geo_noun_or_major_place,
    titled_person,
    planet,
    listed_city,
    organisation_word_alone,
    facility_word,
    organisation_word,
    known_organisation_first,
    named_after_the,
    listed_place,
    french_team,  # before place_word: "Packers de Green Bay" ("Bay" is a place word)
    city_team,  # and "Portland Trail Blazers" ("Trail")
    place_word,
    site_word,
    new_or_upper_place,
    compass_word,
    acronym_of_lowercase_words,
    acronym,
    club_word,
    regnal_numeral,
    state_with_adjectives,
    first_name_opens,
    initials_or_bin,
    acronym_inside,
    name_and_big_city,
    said_after,
    organisation_cue_after,
    organisation_cue_before,
    place_cue_before,
    person_cue_before,
    two_or_three_names,
    name_with_particle,
    three_names,
    several_words_no_cue,
    lone_first_name,
)


# Rules that never answer for a single word (each tests n >= 2 or more), and rules that answer
# only for one: a name of one word skips the first, a longer one the second (same answers,
# fewer calls).
_SEVERAL_WORDS_ONLY: Final = frozenset(
    (
        ruler_with_epithet,
        facility_word,
        event_or_award,
        french_compass_state,
        first_name_and_initial,
        first_and_last_name,
        known_organisation_first,
        place_word,
        site_word,
        new_or_upper_place,
        club_word,
        city_team,
        regnal_numeral,
        french_team,
        state_with_adjectives,
        first_name_opens,
        initials_or_bin,
        acronym_inside,
        name_and_big_city,
        two_or_three_names,
        name_with_particle,
        three_names,
        several_words_no_cue,
    )
)
_ONE_WORD_ONLY: Final = frozenset(
    (
        organisation_word_alone,
        acronym_of_lowercase_words,
        acronym,
        place_cue_before,
        person_cue_before,
        named_after_the,
        lone_first_name,
        planet,
    )
)
_RULES_FOR_ONE: Final = tuple(r for r in TYPE_RULES if r not in _SEVERAL_WORDS_ONLY)
_RULES_FOR_SEVERAL: Final = tuple(r for r in TYPE_RULES if r not in _ONE_WORD_ONLY)


def type_name(w: Words, lex: Lists, conservative: bool = False) -> tuple[str, bool, str]:
    """(kind, strong, rule name) from the first TYPE_RULES rule that answers; MISC if none.

    ``conservative``: the rules after the last of CONSERVATIVE_RULES are not asked (whatever
    they answer, a conservative reading leaves the name untyped)."""
    if conservative:
        rules = _CONSERVATIVE_FOR_ONE if w.n == 1 else _CONSERVATIVE_FOR_SEVERAL
    else:
        rules = _RULES_FOR_ONE if w.n == 1 else _RULES_FOR_SEVERAL
    for rule in rules:
        if (typed := rule(w, lex)) is not None:
            return typed[0], typed[1], rule.__name__
    return MISC, False, ""


# -- ADJUSTMENTS: what the run finder saw around the name -----------------------------------


def article_back(w: Words, lex: Lists, c: _Candidate) -> None:
    """The article goes back on the name ("The Rolling Stones"); a plural after it that is no
    person or place makes a group ("The Beach Boys", "Les Échos")."""
    if w.article and c.start > w.article_start:
        c.start, c.text = w.article_start, w.text[w.article_start : c.end]
        last = c.tokens[-1]
        if last.endswith("s") and last not in lex.places and c.kind != PERSON:
            c.kind, c.strong, c.rule = ORG, False, "article_back"


def organisation_role_before(w: Words, lex: Lists, c: _Candidate) -> None:
    """ "patron de Tesla", "CEO de Xiaomi": a weak person or untyped name is an organisation."""
    if (w.org_cue or w.role) and c.kind in (MISC, PERSON) and not c.strong:
        c.kind, c.strong, c.rule = ORG, False, "organisation_role_before"


def geographic_noun_before(w: Words, lex: Lists, c: _Candidate) -> None:
    """ "l'île de Sumatra": a place, unless an organisation is sure."""
    if w.geo and c.rule != "organisation_role_before" and not (c.kind == ORG and c.strong):
        c.kind, c.strong, c.rule = PLACE, True, "geographic_noun_before"


ADJUSTMENTS: tuple[Callable[[Words, Lists, _Candidate], None], ...] = (
    article_back,
    organisation_role_before,
    geographic_noun_before,
)


# Languages with rules of their own ("und": no function word found, a list of names or a
# headline, read as before). Text in any other language is read conservatively.
FULL_RULE_LANGUAGES: Final = frozenset(("fr", "en", "und"))
# The rules whose evidence holds in any language written in Latin script: word lists (names,
# places, organisations), titles, acronyms and organisation or club words. In a language with
# no rules of its own only these type a name; a capitalised word no list knows is no name
# ("Das Bundesdigitalministerium", "Ausbau von Glasfaser" in German).
CONSERVATIVE_RULES: Final = frozenset(
    rule.__name__
    for rule in (
        place_with_its_article,
        known_organisation_run,
        known_organisation,
        ruler_with_epithet,
        first_name_and_initial,
        first_and_last_name,
        geo_noun_or_major_place,
        titled_person,
        listed_city,
        organisation_word,
        known_organisation_first,
        listed_place,
        place_word,
        new_or_upper_place,
        acronym,
        club_word,
        regnal_numeral,
        first_name_opens,
        initials_or_bin,
    )
)


_TypeRules = tuple[Callable[[Words, Lists], Typed | None], ...]


def _through_last_conservative(rules: _TypeRules) -> _TypeRules:
    """``rules`` up to the last one a conservative reading keeps: a later rule's answer would
    be dropped, and its silence gives the same untyped name."""
    last = max(i for i, rule in enumerate(rules) if rule.__name__ in CONSERVATIVE_RULES)
    return rules[: last + 1]


_CONSERVATIVE_FOR_ONE = _through_last_conservative(_RULES_FOR_ONE)
_CONSERVATIVE_FOR_SEVERAL = _through_last_conservative(_RULES_FOR_SEVERAL)

# Weak rules whose decisions the learned step reviews (it may retype or drop the name): those
# whose review raised typed F1 on every set when trained on S and measured on A. Rules with
# list evidence the team's sentences pin ("Fiat Chrysler", "Afrique de l'Est") are not here.
REVIEWED_RULES: Final = frozenset(
    rule.__name__
    for rule in (
        two_or_three_names,
        place_cue_before,
        listed_place,
        name_and_big_city,
        city_team,
        several_words_no_cue,
    )
)
# Rules (and "": a name the document typed) whose English names the learned step may drop when
# it scores no name (MISC) at least as high as their kind: on the validation run (trained on S,
# measured on A) at least three in four of the names it dropped there were no gold name of
# that kind. Rules where it dropped none, or as many right names as wrong ones, are not asked
# (most names: "Paris", "Jean Dupont"), which keeps the cost to the names where it helps.
VETOED_RULES: Final = frozenset(
    (
        "",
        *(
            rule.__name__
            for rule in (
                lone_first_name,
                first_name_opens,
                titled_person,
                compass_word,
                organisation_role_before,
                said_after,
                three_names,
            )
        ),
    )
)


class RuleExtractor(RunFinder):
    """Fast French/English named-entity extractor with no model to load; conservative in
    other languages (``for_language``)."""

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        conservative: bool = False,
        typer: Typer | bool | None = True,
    ) -> None:
        """``typer``: the learned typing step for French and English (True: the shipped
        weights if present; False or None: the rules alone; or a Typer)."""
        super().__init__(lexicon or default_lexicon())
        self.conservative = conservative
        self.typer: Typer | None = (
            None if conservative or not typer else shipped_typer() if typer is True else typer
        )
        self._languages: dict[str, RuleExtractor] = {}
        # Single words found to be no name, with whether they open a sentence: that decision
        # reads nothing else ("The", "However" at a start), so it is made once per word.
        self._no_name: set[tuple[str, bool]] = set()

    def for_language(self, lang: str) -> RuleExtractor:
        """The extractor for text in ``lang``: this one for French and English, else a
        conservative one with that language's stop words and titles (built once)."""
        if lang in FULL_RULE_LANGUAGES or self.conservative:
            return self
        other = self._languages.get(lang)
        if other is None:
            other = RuleExtractor(self.lex.for_language(lang), conservative=True)
            self._languages[lang] = other
        return other

    # -- pass 1: runs of capitals are found by RunFinder (runs.py) ---------------------

    def _candidate(
        self,
        text: str,
        spans: list[Span],
        at_start: bool,
        before: str,
        after: str,
        mid: frozenset[str] = frozenset(),
        english: bool = False,
        known: Mapping[str, str] | None = None,
    ) -> _Candidate | None:
        lex = self.lists
        if len(spans) == 1:
            key = (text[spans[0][0] : spans[0][1]], at_start)
            if key in self._no_name:
                return None
            if self.conservative and lex.common_noun(key[0]) and key[0] not in (known or ()):
                return None  # German "Jahr", "Vertrag": read no further (unless the store
                # knows the word as a name: "Welt", "Bild", newspapers)
        words = [text[s:e] for s, e in spans]
        if words[-1] in _ROAD_WORDS and (number := _ROAD_NUMBER.match(text, spans[-1][1])):
            words.append(number.group(1))  # "Interstate 93": the number is the road's
            spans = [*spans, number.span(1)]
        if cut := _compound_tail(words[-1], english):  # "New York-based": the name it holds
            words[-1] = words[-1][:-cut]
            spans = [*spans[:-1], (spans[-1][0], spans[-1][1] - cut)]
        if at_start and len(spans) > 1 and text[spans[0][0] : spans[-1][1]] in mid:
            at_start = False  # the same name appears mid-sentence: its first word is no stop
        w = Words(
            text, words, spans, at_start, before.removeprefix("role:"), after.lower(), english
        )
        w.role = before.startswith("role:")
        w.geo = before == "geo:"
        w.titled = w.before.capitalize() in lex.titles or w.before in ("m", "mme", "mr", "dr")
        w.span = text[spans[0][0] : spans[-1][1]]
        for decide in WHOLE_RUN_RULES:
            if (kind := decide(w, lex)) is not None:
                return _Candidate(
                    spans[0][0],
                    spans[-1][1],
                    w.span,
                    kind,
                    True,
                    words,
                    rule=decide.__name__,
                    before=w.before,
                    after=w.after,
                    at_start=w.at_start,
                )
        w.article = article_in_name(w, lex)
        w.article_start = spans[0][0]
        w.placed = len(words) > 1 and (
            words[-1] in lex.org_words
            or words[-1] in lex.place_words
            or words[-1] in lex.site_words
        )
        for trim in TRIMS:
            trim(w, lex)
        words = w.words
        if not words:
            if len(spans) == 1:
                self._remember_no_name(key)
            return None
        if len(words) == 1:
            bare = words[0]  # "It's", "Tuesday's"
            w.bare = POSSESSIVE.sub("", bare) if bare.endswith(POSSESSIVE_ENDS) else bare
            for reject in REJECTS:
                if reject(w, lex):
                    if len(spans) == 1 and reject not in _BY_NEIGHBOURS:
                        self._remember_no_name(key)
                    return None
        spans = w.spans
        start, end = spans[0][0], spans[-1][1]
        last = words[-1]
        if text[end : end + 1] == "." and (
            _DOTTED_INITIALS.fullmatch(last)
            or (len(last) == 1 and len(words) > 1 and last.isalpha())
            or (last in lex.dotted_ends and len(words) > 1)
        ):
            end += 1  # "U.S.", "Detlef S.", "Warner Bros.", "Arthur Rankin Jr."
            words[-1] += "."
        span_text = text[start:end]
        if span_text.endswith(POSSESSIVE_ENDS) and (m := POSSESSIVE.search(span_text)):
            end -= len(m.group(0))
            span_text = span_text[: -len(m.group(0))]
            words[-1] = POSSESSIVE.sub("", words[-1])
        w.span, w.n = span_text, len(words)
        kind, strong, rule = type_name(w, lex, self.conservative)
        owner = (
            kind == MISC
            and len(words) == 1
            and text[end : end + 3].lstrip(" ")[:2] in ("'s", "’s")
            and words[0].isalpha()
            and not words[0].isupper()
            and words[0].lower() not in lex.common
        )  # "Gossard's guitar": an unknown name that owns something, likely a person
        c = _Candidate(
            start, end, span_text, kind, strong, words, owner, rule, w.before, w.after, w.at_start
        )
        for adjust in ADJUSTMENTS:
            adjust(w, lex, c)
        return c

    @staticmethod
    def _spelled_acronyms(text: str, candidates: list[_Candidate]) -> None:
        """Acronyms the text spells out, with the kind that gives them: "gross national product
        ( GNP )" no name, "Federal Bureau of Investigation ( FBI )" the kind of the full name
        ("United Arab Emirates ( UAE )" a place). Every mention of the acronym takes it."""
        spelled: dict[str, str] = {}
        for k, c in enumerate(candidates):
            if c.rule == "acronym_of_lowercase_words":
                spelled[c.text] = MISC
            elif c.rule == "acronym" and k and text[c.start - 2 : c.start] in ("( ", " ("):
                full = candidates[k - 1]
                if (
                    full.kind == PLACE  # an organisation's acronym is one already
                    and full.strong  # ("Monitoring Centre ( IDMC )" is a weak place)
                    and text[full.end : c.start].strip() == "("
                    and spelled_out(text, c.start, c.text)
                ):
                    spelled[c.text] = full.kind
        if spelled:
            for c in candidates:
                if c.rule == "acronym" and c.text in spelled:
                    c.kind = spelled[c.text]
                    c.strong = c.kind != MISC
                    c.rule = "acronym_spelled_out"

    def _remember_no_name(self, key: tuple[str, bool]) -> None:
        if len(self._no_name) >= 50_000:  # a long-running process reads many texts
            self._no_name.clear()
        self._no_name.add(key)

    def certain_kind(self, name: str) -> str | None:
        """The kind of a name the gazetteers are sure of (known organisations, major places)."""
        return self.lex.certain_kind(name)

    def _club(self, text: str, c: _Candidate, kind: str, windows: list[tuple[int, int]]) -> bool:
        """A club in a sports report: a city not named as a location ("Mainz won 2-1"), or an
        unknown name that is no word ("Schalke", "Hoffenheim")."""
        lex = self.lists
        if len(c.tokens) != 1 or not inside(windows, c.start):
            return False
        if kind == MISC:
            word = c.text
            return (
                len(word) >= 4
                and word.isalpha()
                and not word.isupper()
                and word.lower() not in lex.common
                and word not in lex.demonyms
            )
        if c.text in lex.countries or c.text in _HOME_NATIONS or c.text not in lex.places:
            return False
        before = text[max(0, c.start - 16) : c.start].split()
        if before and before[-1].lower() in lex.place_prepositions:
            return False  # "a draw in Monaco", "the final at Berlin"
        return not (len(before) >= 2 and before[-1] == "of" and before[-2].lower() in lex.geo_kinds)

    # -- pass 2 -----------------------------------------------------------------------------
    def extract(
        self, text: str, known: Mapping[str, str] | None = None, lang: str | None = None
    ) -> list[tuple[int, int, str]]:
        """Typed spans ``(start, end, kind)`` of ``text``; ``known`` maps names to kinds;
        ``lang`` ("fr", "en", None: detected) decides how far capitals alone make a name.

        The cyclic garbage collector is paused meanwhile: extraction makes tens of thousands
        of small tuples and lists, none in a cycle, and the collections they trigger cost
        about a tenth of the time (refcounting still frees everything)."""
        return [(c.start, c.end, kind) for c, kind in self.explain(text, known, lang)]

    def explain(
        self, text: str, known: Mapping[str, str] | None = None, lang: str | None = None
    ) -> list[tuple[_Candidate, str]]:
        """Each candidate (with the rule that typed it) and the kind the document gave it."""
        paused = gc.isenabled()
        gc.disable()
        try:
            lang = lang or detect_language(text)
            extractor = self.for_language(lang)
            english = lang == "en"
            return extractor._extract(recase(text, extractor.lex, english), known, english)
        finally:
            if paused:
                gc.enable()

    def featurise(
        self, text: str, lang: str | None = None
    ) -> list[tuple[_Candidate, str, list[str]]]:
        """Each candidate, the kind the rules and the document gave it, and its features for
        the learned typing step (for training it: ``benchmarks/train_typer.py``)."""
        lang = lang or detect_language(text)
        collect: list[tuple[_Candidate, str, list[str]]] = []
        extractor = self.for_language(lang)
        english = lang == "en"
        extractor._extract(recase(text, extractor.lex, english), None, english, collect)
        return collect

    def _extract(
        self,
        text: str,
        known: Mapping[str, str] | None,
        english: bool,
        collect: list[tuple[_Candidate, str, list[str]]] | None = None,
    ) -> list[tuple[_Candidate, str]]:
        lex = self.lists
        candidates = []
        groups = self.split(text, self.runs(text, english))
        mid = frozenset(text[g[0][0][0] : g[0][-1][1]] for g in groups if not g[1])
        for spans, at_start, before, after in groups:
            cand = self._candidate(text, spans, at_start, before, after, mid, english, known)
            if cand is not None:
                candidates.append(cand)
        if self.conservative:  # only the rules that hold in any language type a name,
            for c in candidates:  # and a single frequent word of the language is none
                if (
                    c.rule not in CONSERVATIVE_RULES
                    or (
                        len(c.tokens) == 1
                        and c.text.lower() in lex.own_common  # "Essen", "Ende", "Regie"
                        and c.text not in lex.major_places  # "Berlin", "Roma"
                        and c.text not in lex.known_orgs
                        and not (c.kind == PLACE and c.before in lex.own_place_before)
                    )
                    or (  # a German town of the lists after no preposition ("den Titel")
                        lex.place_needs_preposition
                        and c.rule == "listed_place"
                        and len(c.tokens) == 1
                        and c.before not in lex.own_place_before
                    )
                ):
                    c.kind, c.strong, c.owner, c.rule = MISC, False, False, ""
        self._spelled_acronyms(text, candidates)
        # (plain dicts: a Counter is made and updated in Python, these are not)
        votes: dict[str, dict[str, int]] = {}  # name -> kind -> votes, kinds in first-seen order
        untyped: dict[str, int] = {}
        person_parts: dict[str, str] = {}
        surnames: set[str] = set()  # of people named in full with a first name or a title
        org_prefixes: set[str] = set()
        windows = sports_windows(text)
        dated = datelines(text) if windows or has_iso_date(text) else []
        credited = sorted(credits(text) + bylines(text))  # disjoint: a byline stops at a '('
        scores, rows = results_names(text)  # teams of results lines ("Leeds 2 Arsenal 1")
        for c in candidates:
            if c.kind == ORG and c.strong and len(c.tokens) >= 2:
                for k in range(1, len(c.tokens)):
                    org_prefixes.add(" ".join(c.tokens[:k]))
            if c.kind != MISC:
                vote = votes.get(c.text)
                if vote is None:
                    vote = votes[c.text] = {}
                vote[c.kind] = vote.get(c.kind, 0) + (2 if c.strong else 1)
            elif c.owner and not inside(windows, c.start):
                vote = votes.get(c.text)
                if vote is None:
                    vote = votes[c.text] = {}
                vote[PERSON] = vote.get(PERSON, 0) + 1  # "Rodin's work"
            else:
                untyped[c.text] = untyped.get(c.text, 0) + 1
            if c.kind == PERSON and len(c.tokens) >= 2:
                for x in c.tokens if not self.conservative else ():  # there: the surname only
                    if x[:1].isupper() and x not in lex.first_names:
                        person_parts.setdefault(x, c.text)
                if not (self.conservative and c.tokens[-2] in lex.connectors):
                    # (there "Ruggero di Sicilia" does not make Sicilia a surname)
                    person_parts.setdefault(c.tokens[-1], c.text)
                    if c.strong:
                        surnames.add(c.tokens[-1])
        out: list[tuple[_Candidate, str]] = []
        conservative = self.conservative
        typer = self.typer
        learn = (typer is not None or collect is not None) and not conservative
        if learn:
            seen = Counter(c.text for c in candidates)
        for c in candidates:
            kind = c.kind
            if known and c.text in known and not c.strong:
                kind = known[c.text]
            elif c.text in votes and (
                c.kind != MISC or sum(votes[c.text].values()) * 3 > untyped.get(c.text, 0)
            ):  # one weak clue ("Schalke, who…") does not type ten untyped mentions
                kind = max(votes[c.text].items(), key=_VOTES)[0]  # first most voted
            if (
                len(c.tokens) == 1
                and c.tokens[0] in person_parts
                and (not c.strong or c.kind == PERSON)  # "President Obama" stays a person
                and c.text.lower() not in lex.own_common  # German "Ende" near "Michael Ende"
                and (
                    c.text not in lex.places  # "Anthony England" does not make England a person
                    or (
                        c.text in surnames
                        and not lex.certain_kind(c.text)
                        and not _after_place_preposition(text, c.start, lex)  # "né à Brest"
                    )
                )  # "Lewis Hamilton … Hamilton won": the person, not the town
            ):
                kind = PERSON
            elif (
                not c.strong
                and not (conservative and not c.rule)
                and c.text in org_prefixes
                and c.text not in lex.places
                and not (len(c.tokens) == 1 and c.text.lower() in lex.frequent)
            ):  # "Great Wall" near "Great Wall Motor"; "Boston" stays a city; "the West" is
                kind = ORG  # no "West Bank", "Defense" no "Defense Ministry"
            documented = kind  # the kind before the context of sports and datelines
            if conservative and not c.rule:
                if kind != MISC:  # typed by the document: a full name's surname, a known name
                    out.append((c, kind))
                continue  # a capitalised word no list knows: no name in this language
            cue = (  # (asked only where a test below may read it)
                (not c.strong and kind in (PLACE, MISC, PERSON))
                or (kind == PERSON and c.rule == "lone_first_name")
                or (kind == PLACE and bool(windows))
            ) and text.endswith(_CLUB_CUE_ENDS, 0, c.start)
            if (
                (
                    kind in (PLACE, MISC)
                    and windows
                    and self._club(text, c, kind, windows)
                    and not within(dated, c.start, c.end)  # "LONDON 1996-08-30": the city
                )
                or (
                    kind in (PLACE, MISC, PERSON)
                    and not c.strong
                    and c.text not in lex.countries
                    and cue
                    and _CLUB_BEFORE.search(text, max(0, c.start - 24), c.start)
                )
                or (
                    kind in (PLACE, MISC)
                    and not c.strong
                    and c.text not in lex.countries
                    and cue
                    and _CLUB_OR_MATCH_BEFORE.search(text, max(0, c.start - 24), c.start)
                )
                or (
                    kind == PERSON
                    and c.rule == "lone_first_name"
                    and cue
                    and _RESULT_BEFORE.search(text, max(0, c.start - 24), c.start)
                )  # a first name alone after a result: "a 2-1 win against Chelsea"
                or (
                    kind == PLACE
                    and windows
                    and c.text not in lex.countries
                    and c.text not in _HOME_NATIONS
                    and inside(windows, c.start)
                    and cue
                    and _MATCH_BEFORE.search(text, max(0, c.start - 24), c.start)
                )
            ):  # "signed for Southampton", "prêté à Nice", "a loss to Arizona": the club
                kind = ORG
            elif kind == MISC and c.owner:
                kind = PERSON
            on_dateline = (
                bool(dated)
                and (c.rule in ("acronym", "") or c.kind == PLACE)
                and within(dated, c.start, c.end)
            )
            if on_dateline:  # "DUESSELDORF , Germany 1996-09-05": a town no list knows, and
                kind = PLACE  # "BONN 1996-08-30", a listed one, which no review undoes
            if (scores or rows) and (
                (
                    (kind in (PLACE, MISC) or (kind == PERSON and not c.strong))
                    and (within(scores, c.start, c.end) or within(rows, c.start, c.end))
                )
                or (kind == PERSON and c.rule != "titled_person" and within(scores, c.start, c.end))
            ):  # "Leeds 2 Arsenal 1", "Aston Villa 1 Port Vale 0": the clubs
                kind = ORG
            if (
                kind == MISC
                and not c.rule
                and out
                and out[-1][1] != MISC
                and text[out[-1][0].end : c.start] in _COORDINATION
                and len(c.tokens) <= len(out[-1][0].tokens)
            ):  # "ses marques Ora et Wey", "Leeds and Arsenal": the kind of the first
                kind = out[-1][1]
            if credited and within(credited, c.start, c.end):
                out.append((c, MISC))  # "Author: Jane Doe (AFP, Reuters)": the makers, sources
                continue
            weak = (
                c.rule in REVIEWED_RULES
                and not c.strong
                and kind == c.kind != MISC
                and not on_dateline
            )
            vetoed = (
                english
                and kind == documented != MISC  # not a club a result or a sports cue made
                and c.rule in VETOED_RULES
                and not weak
                and not on_dateline
            )
            if learn and (collect is not None or (not c.rule and kind == MISC) or weak or vetoed):
                feats = features(
                    c.text,
                    c.tokens,
                    c.rule,
                    c.kind,
                    c.strong,
                    kind,
                    c.before,
                    c.after,
                    c.at_start,
                    english,
                    lex,
                    seen[c.text],
                    len(votes.get(c.text, ())) > 1,
                    c.tokens[-1] in person_parts,
                    bool(windows) and inside(windows, c.start),
                )
                if collect is not None:
                    collect.append((c, kind, feats))
                if typer is not None and not c.rule and kind == MISC:
                    kind = typer.predict(feats, kind)  # a name no rule and no mention typed
                elif typer is not None and weak:
                    kind = typer.review(feats, kind)  # a name only weak evidence typed
                elif typer is not None and vetoed:
                    kind = typer.veto(feats, kind)  # English: no name where MISC wins
            if english and kind == PERSON and len(c.tokens) == 1 and c.tokens[0] in person_parts:
                _keep_particle(text, c, person_parts[c.tokens[0]], lex)
            out.append((c, kind))
        return out
