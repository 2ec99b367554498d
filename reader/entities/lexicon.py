"""The word lists the rule extractor reads, gathered in one object built once per process.

A ``Lexicon`` holds the shipped lists (places, names, common words: ``data/*.txt``) and the cue
lists written by the team (``gazetteer.py``). The run finder and every typing rule read their
words from the lexicon they are given, never from module globals, so a benchmark can build a
smaller one (``Lexicon.load(drop=...)``) and a test can build its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from functools import cache
from typing import Any

from reader.entities import gazetteer as g
from reader.model import EntityKind

# The kinds as plain strings (EntityKind's values): enum members hash through a Python method,
# which costs the extractor's dicts and sets about a tenth of its time.
PERSON, ORG, PLACE, MISC = (
    k.value for k in (EntityKind.PERSON, EntityKind.ORG, EntityKind.PLACE, EntityKind.MISC)
)

Words = frozenset[str]


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity
class Lexicon:
    """Every word list the extractor reads (see gazetteer.py for what each one is)."""

    # Shipped lists (dicts with None values: the garbage collector does not track them).
    places: Mapping[str, None]
    countries: Mapping[str, None]
    major_places: Mapping[str, None]
    first_names: Mapping[str, None]
    last_names: Mapping[str, None]
    common: Mapping[str, None]
    frequent: Mapping[str, None]
    # Cue lists written by the team.
    titles: Words
    org_words: Words
    club_words: Words
    place_words: Words
    site_words: Words
    facility_words: Words
    event_words: Words
    connectors: Words
    epithets: Words
    stop: Words
    things: Words
    demonyms: Words
    geo_nouns: Words
    org_nouns: Words
    lower_tail_heads: Words
    bodies: Words
    compass: Words
    product_words: Words
    known_orgs: Words
    regions: Words
    planets: Words
    name_articles: Words
    surname_place_words: Words
    state_heads: Words
    name_particles: Words
    paper_words: Words
    dotted_ends: Words
    trailing_stop: Words
    person_after: Words
    org_after: Words
    eponym_heads: Words
    family_heads: Words
    place_prepositions: Words
    geo_kinds: Words
    place_before: Words
    person_before: Words
    org_before: Words
    particles: Words
    geo_outside: Words
    abbreviated_leads: Words
    role_nouns: Words
    org_roles: Words
    org_staff: Words
    de_forms: Words
    tail_verbs: Words
    # Words of the text's language when the extractor reads it conservatively (none for
    # French and English): its most frequent words, lowercase ("ende", "mann").
    own_common: Mapping[str, None]
    own_place_before: Words  # its prepositions before a town ("in", "aus")
    place_needs_preposition: bool  # German: a one-word town is a place only after one
    # Derived lists.
    country_links: Words  # lowercase words inside countries' names ("Guinée équatoriale")
    tail_links: Words  # connectors after which a lowercase word goes on a name
    lead_words: Words  # lowercase words that may open a name before its first capital
    lower_orgs: Words  # listed organisations written in lowercase ("dpa", "easyJet", "eBay")

    @classmethod
    def load(cls, drop: Mapping[str, str] | None = None) -> Lexicon:
        """The shipped and written lists; ``drop`` maps a field name to words left out of it."""
        shipped = {
            "places": "places",
            "countries": "countries",
            "major_places": "major_places",
            "first_names": "first_names",
            "last_names": "last_names",
            "common": "common_words",
            "frequent": "frequent_words",
        }
        values: dict[str, Any] = {name: g.load(file) for name, file in shipped.items()}
        values["last_names"] = {**values["last_names"], **dict.fromkeys(g.MORE_SURNAMES)}
        values["own_common"] = {}
        values["own_place_before"] = frozenset()
        values["place_needs_preposition"] = False
        derived = {"country_links", "tail_links", "lead_words", "lower_orgs"}
        for f in fields(cls):
            if f.name not in values and f.name not in derived:  # a list of gazetteer.py
                values[f.name] = getattr(g, f.name.upper())
        for name, words in (drop or {}).items():
            values[name] = frozenset(values[name]) - frozenset(words.split())
        countries: Mapping[str, None] = values["countries"]
        values["country_links"] = frozenset(
            w for name in countries for w in name.split()[1:] if w.islower()
        )
        de: Words = values["de_forms"]
        values["tail_links"] = de | {"l'", "l’", "of"}
        values["lower_orgs"] = frozenset(
            w for w in values["known_orgs"] if w[:1].islower() and " " not in w and "-" not in w
        )
        values["lead_words"] = (
            values["geo_nouns"] | values["org_nouns"] | values["particles"] | de | {"der", "den"}
        )
        return cls(**values)

    def for_language(self, lang: str) -> Lexicon:
        """This lexicon for text in ``lang``, a language with no rules of its own: its function
        words, sentence openers and titles are stop words and titles, the French/English
        connectors that are articles in it ("der", "la") join no name, country names in the
        other languages are places and its frequent words are known."""
        from reader.lang import FUNCTION_WORDS

        own = frozenset(w.capitalize() for w in FUNCTION_WORDS.get(lang, "").split())
        other_names = g.load("countries_other")  # "Deutschland", "Italia", "Países Bajos"
        return replace(
            self,
            countries={**self.countries, **other_names},
            major_places={**self.major_places, **other_names},
            own_common=g.load(f"common_{lang}") if (g.DATA / f"common_{lang}.txt").exists() else {},
            own_place_before=g.FOREIGN_PLACE_BEFORE.get(lang, frozenset()),
            place_needs_preposition=lang in g.PLACE_NEEDS_PREPOSITION,
            stop=self.stop | own | g.FOREIGN_STOP.get(lang, frozenset()),
            titles=self.titles | g.FOREIGN_TITLES.get(lang, frozenset()),
            connectors=self.connectors - g.ARTICLE_CONNECTORS.get(lang, frozenset()),
        )

    # -- questions several rules ask --------------------------------------------------------

    def is_title(self, word: str) -> bool:
        """A title or role before a name ("Mr", "President", "Ex-Prime")."""
        word = word.removeprefix("Ex-").removeprefix("ex-")  # "Ex-Prime Minister Keita"
        titles = self.titles
        return word in titles or word + "." in titles or word.rstrip(".") in titles

    def first_name(self, word: str) -> bool:
        """A first name, or hyphenated first names ("Jean-Marie"), and no demonym."""
        if word in self.demonyms:
            return False
        if word in self.first_names:
            return True
        parts = word.split("-")
        return len(parts) > 1 and all(p in self.first_names for p in parts)

    def is_name(self, word: str) -> bool:
        """A word the lists know as a first name, a place or an organisation."""
        return word in self.first_names or word in self.places or word in self.known_orgs

    def common_noun(self, word: str) -> bool:
        """One of the most frequent words of the text's own language that no list knows as a
        place or an organisation ("Jahr", "Vertrag"): alone, no name in a conservative reading."""
        return (
            word.lower() in self.own_common
            and word not in self.places
            and word not in self.major_places
            and word not in self.known_orgs
            and word not in self.bodies
            and word not in self.regions
        )

    def certain_kind(self, name: str) -> str | None:
        """The kind of a name the lists are sure of (known organisations, major places)."""
        if name in self.bodies or name in self.known_orgs:
            return ORG
        if name in self.major_places or name in self.regions:
            return PLACE
        return None


@cache
def default_lexicon() -> Lexicon:
    """The lexicon of the shipped lists, built once per process."""
    return Lexicon.load()
