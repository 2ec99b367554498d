"""Each named rule of the rule extractor, tied to sentences it decides (written by the team).

The typing rules are checked by the rule the extractor reports for a name (``explain``); the
trimming and rejecting rules by removing the rule and seeing the output change. A rule added
without a row here fails ``test_every_rule_has_a_row``.
"""

from __future__ import annotations

import dataclasses

import pytest

from reader.entities import rules as R
from reader.entities.lexicon import Lexicon, default_lexicon
from reader.entities.rules import RuleExtractor
from reader.entities.runs import Lists

# (rule, text, name, kind the document gives it)
TYPED = [
    ("place_with_its_article", "Le port de La Rochelle s'agrandit.", "La Rochelle", "PLACE"),
    ("known_organisation_run", "New York Times reporters left.", "New York Times", "ORG"),
    ("known_organisation", "The court fined Google again.", "Google", "ORG"),
    ("ruler_with_epithet", "Il admirait Pline l'Ancien.", "Pline l'Ancien", "PERSON"),
    ("product_or_number", "The Tesla Model Y sold.", "Tesla Model Y", "MISC"),
    ("event_or_award", "He fought in the Battle of Anzio.", "Battle of Anzio", "MISC"),
    (
        "lowercase_org_noun",
        "Elle enseigne à l'université de Montréal.",
        "université de Montréal",
        "ORG",
    ),
    ("french_compass_state", "Ils vont en Caroline du Nord.", "Caroline du Nord", "PLACE"),
    ("first_name_and_initial", "George M. Church spoke.", "George M. Church", "PERSON"),
    ("first_and_last_name", "It was Adam West.", "Adam West", "PERSON"),
    ("geo_noun_or_major_place", "They flew to Brussels.", "Brussels", "PLACE"),
    ("titled_person", "The speech by President Barack Obama was short.", "Barack Obama", "PERSON"),
    ("planet", "The rover landed on Mars in August.", "Mars", "PLACE"),
    ("road", "The crash closed Interstate 93 near Boston.", "Interstate 93", "PLACE"),
    ("organisation_cue_after", "Zorbix shares fell sharply.", "Zorbix", "ORG"),
    ("listed_city", "Prices in Salt Lake City rose.", "Salt Lake City", "PLACE"),
    ("organisation_word_alone", "Then the League met.", "League", "MISC"),
    ("organisation_word", "She joined Acme Corp. last year.", "Acme Corp.", "ORG"),
    ("known_organisation_first", "An SUV from Fiat Chrysler.", "Fiat Chrysler", "ORG"),
    ("listed_place", "She spoke in Strasbourg.", "Strasbourg", "PLACE"),
    ("place_word", "They filled Tahrir Square again.", "Tahrir Square", "PLACE"),
    ("site_word", "The game at Target Field drew 40,000.", "Target Field", "PLACE"),
    ("new_or_upper_place", "They visited Upper Austria.", "Upper Austria", "PLACE"),
    ("compass_word", "Farms in Northern France flooded.", "Northern France", "PLACE"),
    (
        "acronym_of_lowercase_words",
        "Debt rose to 4 % of gross national product ( GNP ).",
        "GNP",
        "MISC",
    ),
    # spelled with letters from inside the words too
    (
        "acronym_of_lowercase_words",
        "He was the capsule communicator ( CAPCOM ) for Apollo 9.",
        "CAPCOM",
        "MISC",
    ),
    ("acronym_of_lowercase_words", "A leak in the liquid oxygen ( LOX ) line.", "LOX", "MISC"),
    ("acronym", "The report by the NRDC came out.", "NRDC", "ORG"),
    ("club_word", "He moved to Werder Bremen.", "Werder Bremen", "ORG"),
    ("city_team", "The Houston Astros won again.", "Houston Astros", "ORG"),
    ("city_team", "He joined the Portland Trail Blazers.", "Portland Trail Blazers", "ORG"),
    ("city_team", "The Los Angeles Lakers won.", "Los Angeles Lakers", "ORG"),
    ("site_word", "They played at the Boston Gardens.", "Boston Gardens", "PLACE"),
    ("regnal_numeral", "Il cite Zorbax III et Quimbo IV.", "Zorbax III", "PERSON"),
    ("french_team", "Il a joué pour les Celtics de Boston.", "Celtics de Boston", "ORG"),
    # A city with a place word in it ("Bay"): the team, not a place.
    ("french_team", "Il affronte les Packers de Green Bay.", "Packers de Green Bay", "ORG"),
    ("state_with_adjectives", "Il visite la République tchèque.", "République tchèque", "PLACE"),
    ("first_name_opens", "Jean-Marie Le Pen parle.", "Jean-Marie Le Pen", "PERSON"),
    ("initials_or_bin", "J. R. R. Tolkien wrote.", "J. R. R. Tolkien", "PERSON"),
    ("acronym_inside", "Investors at Zorbco NRDC left.", "Zorbco NRDC", "ORG"),
    ("name_and_big_city", "They watched Zorbax London play.", "Zorbax London", "ORG"),
    ("said_after", "Zorblan Quibble said the deal was off.", "Zorblan Quibble", "PERSON"),
    ("named_after_the", "They used the Zorbel transform again.", "Zorbel", "PERSON"),
    ("named_after_the", "The Quimbly clan kept the castle.", "Quimbly", "PERSON"),
    ("facility_word", "The plane landed at Zorbax Airport.", "Zorbax Airport", "PLACE"),
    ("facility_word", "He saw the Museum of Zorbax Art.", "Museum of Zorbax Art", "PLACE"),
    ("organisation_cue_before", "Le groupe Zeekr recrute.", "Zeekr", "ORG"),
    ("place_cue_before", "La flotte a quitté le port du Zanthor.", "Zanthor", "PLACE"),
    ("person_cue_before", "Selon Plutarque, il part.", "Plutarque", "PERSON"),
    ("two_or_three_names", "The film starred Rajesh Khanna in 1983.", "Rajesh Khanna", "PERSON"),
    ("two_or_three_names", "The Muslim Brotherhood met in Cairo.", "Muslim Brotherhood", "ORG"),
    ("name_with_particle", "Il lit Zorbo de Quimbly.", "Zorbo de Quimbly", "PERSON"),
    ("three_names", "I met Grobbel Wimmel Zunder there.", "Grobbel Wimmel Zunder", "PERSON"),
    ("several_words_no_cue", "She holds a Diploma of Teaching.", "Diploma of Teaching", "MISC"),
    ("several_words_no_cue", "The New York-based Human Rights Watch.", "Human Rights Watch", "ORG"),
    ("lone_first_name", "Belinda came home.", "Belinda", "PERSON"),
    ("article_back", "He later joined The Rolling Stones.", "The Rolling Stones", "ORG"),
    ("organisation_role_before", "Il est le patron de Zorblax.", "Zorblax", "ORG"),
    ("organisation_role_before", "He quoted economists at Zorblax.", "Zorblax", "ORG"),
    ("organisation_role_before", "Selon les analystes de Zorblax, non.", "Zorblax", "ORG"),
    ("geographic_noun_before", "Elle habite sur l'île de Sumatra.", "Sumatra", "PLACE"),
]

# (rule, text, names found with the rule; removing the rule changes them)
TRIMMED = [
    ("strip_leading_titles_and_stops", "Dr. Zorbo Quimbly joined.", {"Zorbo Quimbly": "PERSON"}),
    ("title_before_connector", "The CEO of Zorblax quit.", {"Zorblax": "ORG"}),
    ("strip_leading_connectors", "Le PDG de Zorblax part.", {"Zorblax": "ORG"}),
    (
        "strip_sentence_opener",
        "Biographer Forrest McDonald wrote it.",
        {"Forrest McDonald": "PERSON"},
    ),
    (
        "strip_plural_noun_of",
        "Shares of Zorblax Corp rose on Monday.",
        {"Zorblax Corp": "ORG", "Shares of Zorblax Corp": None},
    ),
    ("strip_trailing_words", "He met Jane Miller Monday in Paris.", {"Jane Miller": "PERSON"}),
    (
        "strip_headline_verb",
        "Headaches Loom as EU Returns to Work. The Puerto Rico Islanders won.",
        {"EU": "ORG", "EU Returns": None},
    ),
    ("no_name_alone", "They met the Americans there.", {"Americans": None}),
    ("common_word_opening_sentence", "Protesters filled the square.", {"Protesters": None}),
    ("adverb_opening_sentence", "Additionally, prices rose.", {"Additionally": None}),
    ("roman_numeral_alone", "Il a fini XV et III.", {"XV": None}),
    ("no_name_alone", "\"If I'm tired, I'll stop,\" he said.", {"I'm": None, "I'll": None}),
    (
        "month_before_number",
        "He took office on Jan. 20, and Jan Smith left in Oct 2009.",
        {"Jan": None, "Oct": None, "Jan Smith": "PERSON"},
    ),
    (
        "doctrine_or_taxon",
        "He believed in Zorbism, and the beetle lives in Quimbidae.",
        {"Zorbism": None, "Quimbidae": None},
    ),
]


def _rule_names() -> list[str]:
    groups = (R.WHOLE_RUN_RULES, R.TYPE_RULES, R.ADJUSTMENTS, R.TRIMS, R.REJECTS)
    return [rule.__name__ for group in groups for rule in group]


def test_every_rule_has_a_row() -> None:
    covered = {row[0] for row in TYPED} | {row[0] for row in TRIMMED}
    assert set(_rule_names()) <= covered, set(_rule_names()) - covered


@pytest.mark.parametrize(("rule", "text", "name", "kind"), TYPED, ids=[r[0] for r in TYPED])
def test_typing_rule(rule: str, text: str, name: str, kind: str) -> None:
    found = {c.text: (c.rule, k) for c, k in RuleExtractor(typer=False).explain(text)}
    assert found.get(name) == (rule, kind), found


def _names(text: str) -> dict[str, str]:
    return {text[s:e]: k for s, e, k in RuleExtractor(typer=False).extract(text)}


@pytest.mark.parametrize(("rule", "text", "expected"), TRIMMED, ids=[r[0] for r in TRIMMED])
def test_trimming_rule(
    rule: str, text: str, expected: dict[str, str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_rule = _names(text)
    for name, kind in expected.items():
        assert with_rule.get(name) == kind, with_rule
    group = "TRIMS" if any(r.__name__ == rule for r in R.TRIMS) else "REJECTS"
    kept = tuple(r for r in getattr(R, group) if r.__name__ != rule)
    monkeypatch.setattr(R, group, kept)
    assert _names(text) != with_rule  # the rule is what makes the difference


def test_single_word_rules_are_skipped_only_where_they_cannot_answer() -> None:
    """The arity split of TYPE_RULES keeps their order and drops no rule for both arities."""
    assert [r for r in R.TYPE_RULES if r in R._RULES_FOR_ONE] == list(R._RULES_FOR_ONE)
    assert [r for r in R.TYPE_RULES if r in R._RULES_FOR_SEVERAL] == list(R._RULES_FOR_SEVERAL)
    assert set(R._RULES_FOR_ONE) | set(R._RULES_FOR_SEVERAL) == set(R.TYPE_RULES)
    lex = Lists(default_lexicon())  # (the rules read a lexicon's lists so)
    one = R.Words("Zorbax", ["Zorbax"], [(0, 6)], False, "in", "", True, span="Zorbax", n=1)
    for rule in R._SEVERAL_WORDS_ONLY:
        assert rule(one, lex) is None, rule.__name__


def test_the_compiled_rules_read_every_list_of_the_lexicon() -> None:
    """``Lists`` holds each field of the lexicon it is made from: the same objects."""
    lex = Lexicon.load(drop={"known_orgs": "Google"})
    lists = Lists(lex)
    for f in dataclasses.fields(Lexicon):
        assert getattr(lists, f.name) is getattr(lex, f.name), f.name
    assert lists.lexicon is lex


def test_a_smaller_lexicon_changes_the_answer() -> None:
    """Rules read their words from the lexicon they are given, not from module globals."""
    smaller = Lexicon.load(drop={"known_orgs": "Google"})
    text = "The court fined Google again."
    assert {text[s:e]: k for s, e, k in RuleExtractor(smaller, typer=False).extract(text)}.get(
        "Google"
    ) != "ORG"
    assert _names(text)["Google"] == "ORG"


def test_abbreviations_of_things_are_not_organisations() -> None:
    """In a technology or baseball story, `API` and `ERA` are things; the acronym rule still
    takes an unknown organisation's letters, and known ones stay organisations."""
    ex = RuleExtractor()
    text = (
        "The API and the SQL database were moved, and the pitcher kept an ERA of 2.10. "
        "Officials of NATO, the IMF and the little-known ZQX met on Monday."
    )
    found = {c.text: kind for c, kind in ex.explain(text)}
    assert not {"API", "SQL", "ERA"} & set(found)
    assert found["NATO"] == found["IMF"] == found["ZQX"] == "ORG"


def test_things_and_teams_do_not_break_or_make_other_names() -> None:
    """An abbreviation of a thing still begins or ends an organisation's name; a city and a
    common plural past two words is not a team."""
    found = {
        c.text: kind
        for c, kind in RuleExtractor().explain(
            "ICU Medical bought shares. La Confédération des PME a parlé. "
            "Hong Kong Protests grew, and the Rhode Island Beaches closed."
        )
    }
    assert found.get("ICU Medical") == found.get("Confédération des PME") == "ORG"
    assert found.get("Hong Kong Protests") != "ORG" and found.get("Rhode Island Beaches") != "ORG"


def test_a_first_name_of_two_letters_is_none_alone() -> None:
    """ "Fe", "Al", "Jo" alone are chemical symbols or abbreviations far more often than people;
    a town named after a person stays the person ("Karl Marx", "Benito Juárez")."""
    text = "The unit cell is a Fe sublattice. The works of Karl Marx and Benito Juárez."
    found = {c.text: (c.rule, k) for c, k in RuleExtractor(typer=False).explain(text)}
    assert found.get("Fe", ("", "MISC"))[1] != "PERSON", found
    assert found["Karl Marx"] == ("first_and_last_name", "PERSON"), found
    assert found["Benito Juárez"] == ("first_and_last_name", "PERSON"), found
    assert _names("Belinda and Carlo Ponti came.") == {"Belinda": "PERSON", "Carlo Ponti": "PERSON"}


def test_a_surname_that_is_a_stop_word_ends_a_name_after_a_first_name() -> None:
    """ "Theresa May", "Jack Ma": a month or a French possessive that is also a surname stays
    on a first name; alone or opening a sentence it is still no name ("Ma mère", "May 2019")."""
    text = "Theresa May met Jack Ma in May. Ma mère est partie."
    kinds = {text[s:e]: k for s, e, k in RuleExtractor(typer=False).extract(text) if k != "MISC"}
    assert kinds == {"Theresa May": "PERSON", "Jack Ma": "PERSON"}, kinds


def test_surnames_the_census_lacks() -> None:
    """ "Xi Jinping" (the surname first, and "xi" a common word) is a person."""
    text = "Chinese leader Xi Jinping met Fumio Kishida in Beijing."
    kinds = {text[s:e]: k for s, e, k in RuleExtractor(typer=False).extract(text) if k != "MISC"}
    assert kinds.get("Xi Jinping") == "PERSON" and kinds.get("Fumio Kishida") == "PERSON", kinds


def test_at_after_a_role_is_no_organisation_cue_unless_staff_work_there() -> None:
    """ "analysts at Bernstein": where they work; "shares at Christmas": a time."""
    kinds = {c.text: kind for c, kind in RuleExtractor().explain("It sold shares at Christmas.")}
    assert kinds.get("Christmas") != "ORG"


def test_spelling_an_acronym_inside_words_stays_polynomial() -> None:
    """The search for an acronym spelled with letters from inside words tries each (word,
    letter) pair once: ten words of 'aaaa…' before a 12-letter acronym that never matches
    took seconds (a 30-letter one 17 s) before it remembered what failed (the review)."""
    words = ["aaaaaaaaaaaaaa"] * 10
    letters = "a" * 11 + "b"
    tried: set[tuple[int, int]] = set()
    assert not R._spelled_inside(words, 0, letters, 0, tried)
    assert len(tried) <= len(words) * (len(letters) + 1)
    text = " ".join(words) + " ( " + "A" * 29 + "B )"  # too long to be looked for inside words
    assert R.spelled_out(text, text.index("AAA"), "A" * 29 + "B") is None


def _kinds(text: str, lang: str = "en") -> dict[str, str]:
    """Each name the rules alone find in ``text`` and the kind the document gives it."""
    return {c.text: kind for c, kind in RuleExtractor(typer=False).explain(text, lang=lang)}


def test_a_name_before_a_noun_that_honours_someone() -> None:
    """ "the Fourier transform", "the Aquino government" name people; a listed place, a
    nation's adjective, a taxon and a common word before "government" or "family" do not."""
    found = _kinds(
        "They used the Fourier transform and the Leibniz formula. The Aquino government "
        "fell. The Kerala government and the Malian government met. The beetle joined the "
        "Dasyuridae family, and the Fatah-led government spoke.",
    )
    assert found["Fourier"] == found["Leibniz"] == found["Aquino"] == "PERSON"
    assert found["Kerala"] == "PLACE"
    assert found.get("Malian") != "PERSON" and found.get("Dasyuridae") != "PERSON"
    assert found.get("Fatah-led") != "PERSON"


def test_a_building_named_by_an_organisation_word_is_a_place() -> None:
    """A museum, an airport, a station or a hospital is a place; the same word beside another
    organisation word stays an organisation."""
    found = _kinds(
        "They flew from Geneva Airport to see the Ashmolean Museum. The Zorbax Hospital "
        "Trust and the Museum Association met.",
    )
    assert found["Geneva Airport"] == found["Ashmolean Museum"] == "PLACE"
    assert found.get("Zorbax Hospital Trust") == found.get("Museum Association") == "ORG"


def test_a_site_named_after_someone_is_a_place_past_two_words() -> None:
    """ "Ted Williams Tunnel", "Stephen Joseph Theatre": a first name opens them, but a site
    word ends three words; "Sally Field" stays a person."""
    found = _kinds(
        "They drove through the Ted Williams Tunnel to the Stephen Joseph Theatre, where "
        "Sally Field was waiting.",
    )
    assert found["Ted Williams Tunnel"] == found["Stephen Joseph Theatre"] == "PLACE"
    assert found["Sally Field"] == "PERSON"


def test_a_first_name_alone_after_a_result_is_the_club() -> None:
    """ "a 2-1 win against Chelsea": the club; "signed by Monet" is no result."""
    found = _kinds(
        "He scored twice in a 2-1 win against Chelsea. The letter was signed by Monet.",
    )
    assert found["Chelsea"] == "ORG"
    assert found["Monet"] == "PERSON"


def test_the_word_before_a_name_is_not_taken_across_a_sentence_end() -> None:
    """ "…in Wisconsin. Quimbly Zorbel spoke": "in" is before Wisconsin, not before the next
    sentence's first name (the place cues read it); inside one sentence a list keeps its
    preposition ("to Paris, Zorbgrad")."""
    found = {
        c.text: c.before
        for c, _ in RuleExtractor(typer=False).explain(
            "They met in Wisconsin. Quimbly Zorbel spoke first. They moved to Paris, Zorbgrad "
            "and Rome.",
            lang="en",
        )
    }
    assert found["Quimbly Zorbel"] == ""
    assert found["Zorbgrad"] == "to"


def test_a_town_after_a_preposition_of_place_stays_a_town_beside_its_namesake() -> None:
    """A person named like a town makes the town's lone mentions him, but not "né à Brest"."""
    found = [
        (c.text, kind)
        for c, kind in RuleExtractor(typer=False).explain(
            "Le chanteur Jean Brest a parlé. Il est né à Brest, dans le Finistère. "
            "Brest a chanté ensuite.",
            lang="fr",
        )
    ]
    assert found.count(("Brest", "PLACE")) == 1 and found.count(("Brest", "PERSON")) == 1, found


def test_lists_america_and_company_endings() -> None:
    """ "America" alone is a place (GeoNames has only "Americas" and the first names had it);
    a company ending makes two capitalised words an organisation, not a person."""
    found = _kinds(
        "Her album sold well in Europe and America. The drama was made by Euston Films and "
        "sold by Virgin Interactive."
    )
    assert found["America"] == "PLACE"
    assert found["Euston Films"] == found["Virgin Interactive"] == "ORG"


def _spans(text: str, lang: str = "en") -> list[tuple[str, str]]:
    """Each name the rules alone find in ``text`` (as written there) and its kind, in order."""
    return [(text[s:e], kind) for s, e, kind in RuleExtractor(typer=False).extract(text, lang=lang)]


def test_a_name_inside_a_compound_is_the_name_alone() -> None:
    """ "the US-led war", "anti-China protests", "ex-CIA": the name without the compound's
    tail or stance prefix; a tail that may be part of a name stays ("Ban Ki-moon",
    "Blu-ray"), and a one-letter head keeps its tail ("U-boat")."""
    found = _spans(
        "The US-led war and the EU-wide freeze angered anti-China and pro-Ouattara groups, "
        "an ex-CIA officer and Al Qaeda-linked militants. Ban Ki-moon watched it on Blu-ray "
        "from a U-boat."
    )
    names = [name for name, _ in found]
    assert ("US", "PLACE") in found and ("EU", "ORG") in found and ("CIA", "ORG") in found
    assert ("China", "PLACE") in found and ("Al Qaeda", "ORG") in found
    assert "Ouattara" in names and "Ban Ki-moon" in names
    assert not any(n.startswith(("anti", "pro", "ex-")) or n.endswith("-led") for n in names)
    assert "Blu" not in names and "U" not in names
    # The stance prefixes are cut in French too.
    assert "Birmanie" in [n for n, _ in _spans("Le Myanmar, l'ex-Birmanie, vote.", "fr")]


def test_a_title_before_a_name_with_a_particle() -> None:
    """ "Interior Minister Thomas de Maiziere": the person, without the title (the particle
    inside the name had kept the run whole); in English his surname alone later keeps its
    particle ("de Maiziere said"), in French "de" before a surname is mostly "of"."""
    found = _spans(
        "German Interior Minister Thomas de Maiziere spoke. Later de Maiziere said it was "
        "fine, and for de Maiziere that was enough."
    )
    assert found == [("Thomas de Maiziere", "PERSON")] + [("de Maiziere", "PERSON")] * 2, found
    french = _spans(
        "Le naturaliste Jean-Baptiste de Lamarck publie. Le transformisme de Lamarck plaît.", "fr"
    )
    assert ("Lamarck", "PERSON") in french and ("de Lamarck", "PERSON") not in french


def test_a_name_rejected_by_its_neighbours_is_not_remembered_as_no_name() -> None:
    """ "le 8 Mars 2021" is a date, and "Jan 20" one; the extractor remembers the words it
    rejects, but not these, or the next text's planet and person would be lost."""
    extractor = RuleExtractor(typer=False)
    assert extractor.extract("Le 8 Mars 2021, il pleut.", lang="fr") == []
    assert [k for *_, k in extractor.extract("The rover landed on Mars.", lang="en")] == ["PLACE"]
    extractor.extract("The vote is on Jan 20.", lang="en")
    text = "The mayor, Jan, said no."
    assert "Jan" in [text[s:e] for s, e, _ in extractor.extract(text, lang="en")]


def test_the_west_alone_is_a_region_in_english() -> None:
    """ "condemned by the West": a region of the world; "West" after no article stays as
    the other rules leave it (a surname: "Adam West")."""
    assert _spans("The vote was condemned by the West.") == [("West", "PLACE")]
    assert _spans("Adam West spoke, and West left.") == [
        ("Adam West", "PERSON"),
        ("West", "PERSON"),
    ]


def test_a_country_abbreviation_before_a_state_department_is_the_country() -> None:
    """ "the US Justice Department": the country, then the department (as the news sets
    label it); a formal name opened by a country's full name stays whole, and a stance
    prefix opening a sentence is cut too ("Anti-China protesters")."""
    found = _spans(
        "The US Justice Department and the US Federal Bureau of Investigation spoke. The "
        "Georgia Department of Natural Resources agreed. Anti-China protesters marched."
    )
    assert found[:4] == [
        ("US", "PLACE"),
        ("Justice Department", "ORG"),
        ("US", "PLACE"),
        ("Federal Bureau of Investigation", "ORG"),
    ], found
    assert ("Georgia Department of Natural Resources", "ORG") in found
    assert ("China", "PLACE") in found


def test_envoys_representatives_and_prosecutors_are_titles() -> None:
    """ "US Trade Representative Ron Kirk", "UN Special Envoy Lakhdar Brahimi": the body,
    then the person, as with "Minister"."""
    found = _spans(
        "US Trade Representative Ron Kirk met UN Special Envoy Lakhdar Brahimi and "
        "Prosecutor Fatou Bensouda."
    )
    assert ("Ron Kirk", "PERSON") in found and ("Lakhdar Brahimi", "PERSON") in found
    assert ("Fatou Bensouda", "PERSON") in found and ("US", "PLACE") in found


def test_nazi_alone_is_the_party_as_nazis_is() -> None:
    """ "a Nazi official": the party, as "the Nazis" (both sets label it so); it was a
    nation's adjective, no name."""
    assert _spans("A Nazi official met the Nazis.") == [("Nazi", "ORG"), ("Nazis", "ORG")]


def test_a_party_named_by_its_adjective() -> None:
    """ "the Republican nomination", "a Democrat": the party; "Democratic" opens a country's
    name too often to be one ("the Democratic Republic of Congo")."""
    found = _spans("A Democrat won the Republican nomination in the Democratic Republic of Congo.")
    assert found == [
        ("Democrat", "ORG"),
        ("Republican", "ORG"),
        ("Democratic Republic of Congo", "PLACE"),
    ], found


def test_an_article_opening_a_sentence_does_not_split_a_name_of_a_country() -> None:
    """ "The Republic of Ireland won": one place, as mid-sentence; "Vladimir Putin of Russia"
    is still two names."""
    assert _spans("The Republic of Ireland won.") == [("Republic of Ireland", "PLACE")]
    assert _spans("President Vladimir Putin of Russia spoke.") == [
        ("Vladimir Putin", "PERSON"),
        ("Russia", "PLACE"),
    ]


def test_a_name_after_a_quotation_and_its_comma_is_inside_the_sentence() -> None:
    """'"It may take long," Ban said': the speaker, though "ban" is a word (a word opening
    a sentence is not taken when it is a common one); "Officials said" stays no name."""
    found = _spans('"It may take long to heal," Ban said. "We are sad," Officials said.')
    assert found == [("Ban", "PERSON")], found


def test_a_road_ends_with_its_number_and_a_number_is_no_initial() -> None:
    """ "State Route 9." ends at the number (a one-character last word before a period was
    taken for an initial: "George W."); "I-95" is a road, "A380" stays a thing."""
    found = _spans("They took State Route 9. Then I-95 and an A380.")
    assert found[:2] == [("State Route 9", "PLACE"), ("I-95", "PLACE")], found
    assert ("A380", "PLACE") not in found


def test_newspapers_and_polls_are_organisations_and_so_are_what_makers_are_called() -> None:
    """ "the Zorbington Gazette newspaper", "a Quimbly poll", "the US giant Zorblart", "the
    manufacturer Quonk": organisations no list knows, by the words beside them."""
    found = _spans(
        "He wrote in the Zorbington newspaper, cited a Quimbly poll and praised the US giant "
        "Zorblart and the manufacturer Quonk."
    )
    assert ("Zorbington", "ORG") in found and ("Quimbly", "ORG") in found, found
    assert ("Zorblart", "ORG") in found and ("Quonk", "ORG") in found, found
