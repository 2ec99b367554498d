"""Entity extraction (on texts the team wrote and labelled) and entities in the store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.entities import extract
from reader.store import FeedStore
from reader.textutil import clean

from .conftest import FEEDS, SEED, write


def typed(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for m in extract(text):
        out.setdefault(text[m.start : m.end], set()).add(m.kind)
    return out


def test_seed_expectations() -> None:
    text = SEED.read_text(encoding="utf-8")
    found = [(text[m.start : m.end], m.kind) for m in extract(text) if m.kind != "MISC"]
    kinds = {name: {k for n, k in found if n == name} for name, _ in found}
    assert kinds["Lei Jun"] == {"PERSON"}
    assert kinds["Elon Musk"] == {"PERSON"}
    for org in ("Xiaomi", "Tesla", "Great Wall Motor", "Reuters"):
        assert kinds[org] == {"ORG"}, org
    assert sum(1 for n, _ in found if n == "Xiaomi") == text.count("Xiaomi")  # every mention


LABELLED = [
    # (text, {span: kind}) written and labelled by the team
    (
        "M. Emmanuel Macron a reçu Olaf Scholz à Berlin.",
        {"Emmanuel Macron": "PERSON", "Olaf Scholz": "PERSON", "Berlin": "PLACE"},
    ),
    (
        "The European Commission fined Google in Brussels on Tuesday.",
        {"European Commission": "ORG", "Google": "ORG", "Brussels": "PLACE"},
    ),
    (
        "Ursula von der Leyen spoke in Strasbourg.",
        {"Ursula von der Leyen": "PERSON", "Strasbourg": "PLACE"},
    ),
    ("Le constructeur Renault ouvre une usine au Maroc.", {"Renault": "ORG", "Maroc": "PLACE"}),
    (
        "Dr. Sarah Jones joined Acme Corp. last year.",
        {"Sarah Jones": "PERSON", "Acme Corp.": "ORG"},
    ),
    ("La Banque centrale européenne relève ses taux.", {"Banque centrale européenne": "ORG"}),
    (
        "Des navires croisent dans l'océan Indien et en mer Rouge.",
        {"océan Indien": "PLACE", "mer Rouge": "PLACE"},
    ),
    ("The U.S. and the EU disagree.", {"U.S.": "PLACE", "EU": "ORG"}),
    (
        "Wang Chuanfu, patron de BYD, vit à Shenzhen.",
        {"Wang Chuanfu": "PERSON", "BYD": "ORG", "Shenzhen": "PLACE"},
    ),
    # Cases fixed in session 2 (each found by error analysis, written here in our own words).
    ("The Muslim Brotherhood met in Cairo.", {"Muslim Brotherhood": "ORG", "Cairo": "PLACE"}),
    ("PSV Eindhoven beat Dynamo Kiev at home.", {"PSV Eindhoven": "ORG", "Dynamo Kiev": "ORG"}),
    ("The Houston Astros won again.", {"Houston Astros": "ORG"}),
    ("Grégoire de Tours écrit l'histoire des Francs.", {"Grégoire de Tours": "PERSON"}),
    ("Le port de La Rochelle s'agrandit.", {"La Rochelle": "PLACE"}),
    ("The group al-Qaeda claimed it; al Qaeda denied.", {"al-Qaeda": "ORG", "al Qaeda": "ORG"}),
    ("Salt Lake City hosted the Games.", {"Salt Lake City": "PLACE"}),
    ("A. R. Rahman wrote the score.", {"A. R. Rahman": "PERSON"}),
    ("Crédit Suisse a fusionné avec UBS en Suisse.", {"Suisse": "PLACE", "UBS": "ORG"}),
]


@pytest.mark.parametrize(("text", "expected"), LABELLED)
def test_labelled_sentences(text: str, expected: dict[str, str]) -> None:
    found = typed(text)
    for span, kind in expected.items():
        assert kind in found.get(span, set()), (span, found)


def test_no_entities_in_common_capitalised_words() -> None:
    found = typed("The company said. Le groupe a dit. However, In 2020 prices rose. French TV.")
    assert not {k for kinds in found.values() for k in kinds} - {"MISC"}


def test_one_weak_clue_does_not_type_many_untyped_mentions() -> None:
    text = "Zorblatt, who won, is top. " + " ".join(f"Fans of Zorblatt sang {i}." for i in range(4))
    kinds = [m.kind for m in extract(text) if text[m.start : m.end] == "Zorblatt"]
    assert kinds.count("PERSON") == 1  # the mention with the clue, not the four others


def test_stop_words_hidden_by_possessives_and_adverbs_are_no_names() -> None:
    found = typed("It's late. Tuesday's talks failed. Additionally, prices rose. Louis XV ruled.")
    assert found == {"Louis XV": {"PERSON"}}  # the numeral stays with its king


def test_lone_surname_joins_the_full_name() -> None:
    found = typed("Elon Musk visited Berlin. Later, Musk said the plant would open.")
    assert found["Musk"] == {"PERSON"}


def test_contract_offsets_from_stdin() -> None:
    text = "Xiaomi — Lei Jun « a dit » à Pékin.\nÉlon testé 😀 Tesla.\n"
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "entities", "--json"],
        input=text.encode(),
        capture_output=True,
        check=True,
    )
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert rows
    for row in rows:
        assert text[row["start"] : row["end"]] == row["text"]
        assert row["type"] in {"PERSON", "ORG", "PLACE"}


def test_entities_reads_a_text_cleaned_as_index_cleans_it(tmp_path: Path) -> None:
    """An OSC title sequence between two names made them three entities (PERSON Emmanuel,
    ORG PWN, MISC Macron) where index, which cleans the text first, found Emmanuel Macron.
    The offsets stay offsets into the text as given."""
    text = (
        "date 2021-03-09\nLe président Emmanuel\x1b]0;PWN\x07 Macron a rencontré "
        "Angela\x1b[31m Merkel à Berlin.\r\n\tIl a dit\x00 merci.\n"
    )
    path = tmp_path / "f.txt"
    path.write_text(text, encoding="utf-8", newline="")
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "entities", str(path), "--json", "--all"],
        capture_output=True, check=True,
    )  # fmt: skip
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    found = {(row["text"], row["type"]) for row in rows}
    assert found == {("Emmanuel Macron", "PERSON"), ("Angela Merkel", "PERSON"),
                     ("Berlin", "PLACE")}  # fmt: skip
    for row in rows:  # the span in the text as given: the name, and what was taken out of it
        assert clean(text[row["start"] : row["end"]]) == row["text"]
    store_path = tmp_path / "i.db"
    with FeedStore(store_path) as store:  # index reads the same names
        store.index([str(path)])
        store.extract_entities()
        names = {n for (n,) in store.db.conn.execute("SELECT name FROM entities")}
    assert {"Emmanuel Macron", "Angela Merkel", "Berlin"} <= names and "PWN" not in names
    plain = subprocess.run(
        [sys.executable, "-m", "reader", "entities", str(path)], capture_output=True, check=True
    ).stdout.decode()
    assert "\x1b" not in plain and plain.splitlines()[0] == "29\t52\tPERSON\tEmmanuel Macron"


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("ab \n\r\t\x1b\x07\x9b[]0;m\\\x00\u202e\ud800P")), max_size=40))
def test_the_cleaned_text_maps_back_to_the_text_as_given(text: str) -> None:
    from reader.cli.entities import Cleaned

    cleaned = Cleaned(text)
    assert cleaned.text == clean(text)  # the same cleaning as index's
    n = len(cleaned.text)
    for i in range(n):
        for j in range(i + 1, n + 1):
            a, b = cleaned.span(i, j)
            assert 0 <= a < b <= len(text)
            assert clean(text[a:b]) == cleaned.text[i:j], (i, j)


@pytest.fixture
def estore(tmp_path: Path) -> FeedStore:
    with FeedStore(tmp_path / "e.db") as store:
        store.index([str(FEEDS)])
        store.extract_entities()
        yield store


def test_store_entities_and_navigation(estore: FeedStore) -> None:
    xiaomi = estore.entity("xiaomi")
    assert xiaomi is not None and xiaomi.kind == "ORG"
    mentioning = estore.search_ids('"xiaomi"')
    assert estore.search_ids("entity:Xiaomi") == mentioning  # every sample article
    assert estore.articles_with_entity(xiaomi.id) == mentioning  # newest first
    timeline = estore.entity_timeline(xiaomi.id)
    assert timeline == sorted(timeline) and sum(n for _, n in timeline) == len(mentioning)
    assert ("2021-03", 3) in timeline  # the seed, Les Echos and Reuters
    names = [e.name for e, _ in estore.cooccurring(xiaomi.id)]
    assert "Lei Jun" in names
    seed = estore.search("conferences lei")[0]
    of_seed = {e.name: (e.kind, n) for e, n in estore.entities_of(seed.rowid)}
    assert of_seed["Xiaomi"] == ("ORG", 8)
    assert of_seed["Lei Jun"][0] == "PERSON" and of_seed["Elon Musk"][0] == "PERSON"
    top = [e.name for e, _ in estore.top_entities(after="2024", limit=5)]
    assert "Tesla" in top
    musk = estore.entity("ELON MUSK")
    assert musk.first <= musk.last


def test_entities_are_computed_on_demand(tmp_path: Path) -> None:
    with FeedStore(tmp_path / "d.db") as store:
        write(tmp_path / "src" / "s" / "a.txt", "date 2021 Elon Musk visite Berlin chez Tesla.")
        store.index([str(tmp_path / "src")])
        [article] = store.search("")
        mentions = store.mentions(article.rowid)  # not extracted yet: computed now
        assert [article_text(store, article.rowid, m) for m in mentions] == [
            "Elon Musk",
            "Berlin",
            "Tesla",
        ]
        assert store.extract_entities() == 0  # nothing left to do


def article_text(store: FeedStore, rowid: int, m) -> str:
    return store.article(rowid).body[m.start : m.end]


def test_edits_and_deletes_update_entity_counts(tmp_path: Path) -> None:
    with FeedStore(tmp_path / "c.db") as store:
        a = write(tmp_path / "src" / "s" / "a.txt", "date 2021 Lei Jun dirige Xiaomi à Pékin.")
        write(tmp_path / "src" / "s" / "b.txt", "date 2022 Xiaomi vend des voitures à Pékin.")
        store.index([str(tmp_path / "src")])
        store.extract_entities()
        assert store.entity("Xiaomi").articles == 2
        a.unlink()
        store.index([str(tmp_path / "src")])
        assert store.entity("Xiaomi").articles == 1
        assert store.entity("Lei Jun") is None


SPORTS_REPORT = (
    "Mainz beat Freiburg 2-1 on Saturday to climb to fourth in the league table. The home "
    "team took the lead after ten minutes when their striker Jonas Keller headed in a corner, "
    "and Freiburg's coach watched his defender concede a penalty soon after half-time. "
    "Zorbington, unbeaten in five matches, drew 1-1 against Augsburg in the late game, while "
    "Mainz fans celebrated the victory outside the stadium. The goalkeeper made two saves in "
    "the final minute to keep the points. Freiburg have now lost three matches in a row and "
    "sit just above the relegation places. Their coach said the squad would work hard before "
    "the derby next week. The club's new midfielder, signed in the summer, did not play. "
    "Augsburg travel to Mainz next weekend, and the match will be played in Mainz at the "
    "city's old stadium, where the season started with a win for the visitors in front of "
    "their own supporters and a full house of fans who sang until the last whistle."
)


def test_cities_in_a_sports_report_are_clubs() -> None:
    mentions = [(SPORTS_REPORT[m.start : m.end], m.kind) for m in extract(SPORTS_REPORT)]
    assert ("Mainz", "ORG") in mentions and ("Freiburg", "ORG") in mentions
    assert ("Augsburg", "ORG") in mentions
    assert ("Zorbington", "ORG") in mentions  # unknown name, no word: a club here
    assert ("Jonas Keller", "PERSON") in mentions
    assert mentions.count(("Mainz", "PLACE")) == 1  # "played in Mainz": the city


def test_cities_outside_sports_reports_stay_places() -> None:
    text = "The regional parliament met in Mainz. " + "Wine growers near Freiburg sold more. " * 5
    found = typed(text)
    assert found["Mainz"] == {"PLACE"} and found["Freiburg"] == {"PLACE"}


def test_byline_roles_end_names() -> None:
    found = typed("The prize went to Jane Miller Editor at the Post.")
    assert found["Jane Miller"] == {"PERSON"}
    # in a byline the names are the story's makers, not mentions (newswire.bylines)
    found = typed("Prices rose. Author: Jane Miller Editor: Tom Baker")
    assert found == {"Jane Miller": {"MISC"}, "Tom Baker": {"MISC"}}


def test_surname_of_a_named_person_is_the_person_even_if_a_town() -> None:
    text = "Abraham Lincoln spoke in Ohio. Later, Lincoln said the war was over."
    found = [(text[m.start : m.end], m.kind) for m in extract(text)]
    assert ("Lincoln", "PERSON") in found and ("Lincoln", "PLACE") not in found


def test_a_role_inside_a_run_of_capitals_separates_place_and_person() -> None:
    found = typed("The Louisiana Governor Thomas Moore resigned.")
    assert found == {"Louisiana": {"PLACE"}, "Thomas Moore": {"PERSON"}}


def test_a_single_sports_sentence_makes_cities_clubs() -> None:
    text = "Smith scored twice as Burnley beat Watford to climb the league table.\n"
    text += "Smith grew up in Burnley and studied in Leeds."
    found = [(text[m.start : m.end], m.kind) for m in extract(text)]
    assert ("Burnley", "ORG") in found and ("Watford", "ORG") in found
    assert ("Burnley", "PLACE") in found and ("Leeds", "PLACE") in found


def test_an_occupation_opening_a_sentence_is_not_part_of_the_name() -> None:
    found = typed("Biographer Forrest McDonald wrote it.")
    assert found == {"Forrest McDonald": {"PERSON"}}


def test_of_between_a_person_and_a_band_or_a_place_and_a_country() -> None:
    found = typed(
        "Brent Hinds of Mastodon played. Fans came from Buenos Aires Province of Argentina."
    )
    assert found["Brent Hinds"] == {"PERSON"}
    assert found["Argentina"] == {"PLACE"} and "Buenos Aires Province" in found


def test_products_makers_and_common_acronyms() -> None:
    found = typed(
        "Buyers compared the Tesla Model Y with an SUV from Fiat Chrysler and Li Auto. "
        "He praised Google's Android."
    )
    assert found.get("Tesla Model Y", {"MISC"}) == {"MISC"}
    assert found["Fiat Chrysler"] == {"ORG"} and found["Li Auto"] == {"ORG"}
    assert found["Google"] == {"ORG"} and "SUV" not in found


# Sentences whose every highlighted name is labelled: nothing more may be found (session 3).
EXACT = [
    # Runs that hold two names are split; institutions joined over for/on/and.
    (
        "Protesters filled Cairo's Tahrir Square again.",
        {"Cairo": "PLACE", "Tahrir Square": "PLACE"},
    ),
    (
        "The speech by US President Barack Obama was short.",
        {"US": "PLACE", "Barack Obama": "PERSON"},
    ),
    ("Analysts at Standard & Poor's cut the rating.", {"Standard & Poor": "ORG"}),
    (
        "A report by the Federal Institute for Risk Assessment came out.",
        {"Federal Institute for Risk Assessment": "ORG"},
    ),
    (
        "She joined the German Chamber of Industry and Commerce in May.",
        {"German Chamber of Industry and Commerce": "ORG"},
    ),
    (
        "The Security Council and France disagreed. Foreign Minister Anna Berg left.",
        {"Security Council": "ORG", "France": "PLACE", "Anna Berg": "PERSON"},
    ),
    # Geographic nouns, demonyms, empires.
    ("Elle habite sur l'île de Sumatra.", {"Sumatra": "PLACE"}),
    ("Ils ont visité l'île Maurice.", {"île Maurice": "PLACE"}),
    ("L'Autrichien Toni Sailer a gagné.", {"Toni Sailer": "PERSON"}),
    (
        "The Ottoman Empire fell. The Soviet Union followed.",
        {"Ottoman Empire": "PLACE", "Soviet Union": "PLACE"},
    ),
    ("Farms in Northern France flooded.", {"Northern France": "PLACE"}),
    # Articles and abbreviations inside names.
    ("He later joined The Rolling Stones on tour.", {"The Rolling Stones": "ORG"}),
    ("He said the IMF and the WTO agreed.", {"IMF": "ORG", "WTO": "ORG"}),
    ("New York Times reporters left.", {"New York Times": "ORG"}),
    ("He signed for C.D. Guadalajara in 2010.", {"C.D. Guadalajara": "ORG"}),
    ("Prices rose in the U.S. Prices fell in Canada.", {"U.S.": "PLACE", "Canada": "PLACE"}),
    # Sites, clubs and people.
    ("The game at Target Field drew 40,000.", {"Target Field": "PLACE"}),
    ("The actress Sally Field won again.", {"Sally Field": "PERSON"}),
    (
        "He moved from Werder Bremen to Hertha BSC.",
        {"Werder Bremen": "ORG", "Hertha BSC": "ORG"},
    ),
    ("The film starred Rajesh Khanna in 1983.", {"Rajesh Khanna": "PERSON"}),
    # Capitalised particles open names; a centre for something is an organisation.
    (
        "The film starred Al Pacino and Van Morrison sang.",
        {"Al Pacino": "PERSON", "Van Morrison": "PERSON"},
    ),
    ("He worked at the Center for Global Development.", {"Center for Global Development": "ORG"}),
    # French nouns that open names.
    ("Il est enterré au cimetière de Montmartre.", {"cimetière de Montmartre": "PLACE"}),
    ("Elle enseigne à l'université de Montréal.", {"université de Montréal": "ORG"}),
    ("Ils ont visité le château de Versailles.", {"château de Versailles": "PLACE"}),
    ("Le vent souffle sur l' Afrique de l' Est.", {"Afrique de l' Est": "PLACE"}),
    # Lowercase words that go on a name: country names, French adjectives after a head noun.
    (
        "Il vit aux Émirats arabes unis, pas en Guinée équatoriale.",
        {"Émirats arabes unis": "PLACE", "Guinée équatoriale": "PLACE"},
    ),
    ("Le Parlement européen a voté.", {"Parlement européen": "ORG"}),
    (
        "Le Comité international olympique les reconnaît, selon l'Agence internationale "
        "de l'énergie.",
        {"Comité international olympique": "ORG", "Agence internationale de l'énergie": "ORG"},
    ),
    ("La Ligue majeure de baseball reprend.", {"Ligue majeure de baseball": "ORG"}),
    # Epithets make a ruler or writer one name.
    (
        "Alexandre le Grand admirait Pline l'Ancien et Alfred the Great.",
        {"Alexandre le Grand": "PERSON", "Pline l'Ancien": "PERSON", "Alfred the Great": "PERSON"},
    ),
    # A French team name is "<plural> de <city>"; its league after it is another name.
    (
        "Les Maple Leafs de Toronto battent les Red Wings de Detroit de la Ligue nationale.",
        {
            "Maple Leafs de Toronto": "ORG",
            "Red Wings de Detroit": "ORG",
            "Ligue nationale": "ORG",
        },
    ),
    # A title inside a run separates who holds it from what they represent.
    (
        "EU Employment Commissioner Laszlo Andor met Bank of Japan Governor Masaaki Shirakawa.",
        {
            "EU": "ORG",
            "Laszlo Andor": "PERSON",
            "Bank of Japan": "ORG",
            "Masaaki Shirakawa": "PERSON",
        },
    ),
    (
        "US Secretary of State John Kerry heard German Transport Minister Peter Ramsauer.",
        {"US": "PLACE", "John Kerry": "PERSON", "Peter Ramsauer": "PERSON"},
    ),
    # Context: "selon"/"par" before an unknown name, "at"/"du" before a place, and an owner.
    (
        "Selon Plutarque, la flotte a quitté le port du Zanthor.",
        {"Plutarque": "PERSON", "Zanthor": "PLACE"},
    ),
    (
        "Rodin's studio was small. Later Rodin moved to Meudon.",
        {"Rodin": "PERSON", "Meudon": "PLACE"},
    ),
    ("They reached New England by ship.", {"New England": "PLACE"}),
    # French states with adjectives; long French names with particles.
    (
        "Il visite la République tchèque et la Gaule cisalpine.",
        {"République tchèque": "PLACE", "Gaule cisalpine": "PLACE"},
    ),
    (
        "Jean-Marie Le Pen a cité Louis Brière de l'Isle.",
        {"Jean-Marie Le Pen": "PERSON", "Louis Brière de l'Isle": "PERSON"},
    ),
    ("Le disque sort chez Columbia Records on May 24.", {"Columbia Records": "ORG"}),
    # A known group that is also a demonym; time zones; middle initials; "Ex-" titles.
    (
        "Pakistan freed Afghan Taliban prisoners at 10:00 UTC. The Taliban said so.",
        {"Pakistan": "PLACE", "Taliban": "ORG"},
    ),
    (
        "Sean M. Carroll met George M. Church and Ex-Prime Minister Anna Berg.",
        {"Sean M. Carroll": "PERSON", "George M. Church": "PERSON", "Anna Berg": "PERSON"},
    ),
    # A person "of" a country, an acronym before a place, time zones after a city.
    (
        "Vladimir Putin of Russia met UN Geneva staff in Berlin UTC.",
        {
            "Vladimir Putin": "PERSON",
            "Russia": "PLACE",
            "UN": "ORG",
            "Geneva": "PLACE",
            "Berlin": "PLACE",
        },
    ),
    (
        "Sacha Baron Cohen a tourné en Caroline du Nord.",
        {"Sacha Baron Cohen": "PERSON", "Caroline du Nord": "PLACE"},
    ),
    # A participle or a common word opening the sentence is no part of the name.
    (
        "Reprenant Aristote, il parle. Fan des Lakers de Los Angeles, il y va.",
        {"Lakers de Los Angeles": "ORG"},  # Aristote alone stays untyped, not "Reprenant Aristote"
    ),
    # English capitalises titles of works: two unknown words, one of them a word, are no person.
    ("The studio released Dracula Untold and it was a hit in the end.", {}),
    # "X of Y" with no cue and Y no place is no organisation.
    ("She holds a Diploma of Teaching from them.", {}),
    (
        "The New York-based Human Rights Watch heard Mullah Abdul Ghani Baradar.",
        {"New York": "PLACE", "Human Rights Watch": "ORG", "Abdul Ghani Baradar": "PERSON"},
    ),
    # A maker's model after a possessive is no person; plural brand nouns are cues.
    ("In Europe, Renault's Zoe sold well.", {"Europe": "PLACE", "Renault": "ORG"}),
    # (round 3: a name coordinated with a typed one takes its kind: Wey is a brand too)
    ("Le constructeur, connu pour ses marques Ora et Wey, peine.", {"Ora": "ORG", "Wey": "ORG"}),
    # A title makes a person even of a name that is also a town (Obama, Japan); a title
    # before an organisation or place word is part of that name; newspapers keep "The".
    (
        "He met President Obama at Duke University. Obama then left for Prince Edward Island.",
        {"Obama": "PERSON", "Duke University": "ORG", "Prince Edward Island": "PLACE"},
    ),
    (
        "European Parliament members read The New York Times.",
        {"European Parliament": "ORG", "The New York Times": "ORG"},
    ),
    # Two unknown capitalised words, one of them a common word, are no person.
    ("The show aired on Adult Swim at night.", {}),
    # A lone organisation noun is no name; a first name and a surname are a person.
    (
        "The League met. Adam West and Jonah Hill arrived.",
        {"Adam West": "PERSON", "Jonah Hill": "PERSON"},
    ),
]


@pytest.mark.parametrize(("text", "expected"), EXACT)
def test_exactly_labelled_sentences(text: str, expected: dict[str, str]) -> None:
    found = {text[m.start : m.end]: m.kind for m in extract(text) if m.kind != "MISC"}
    assert found == expected


def test_extractors_by_name() -> None:
    from reader.entities import BACKENDS, get_extractor

    assert "rules" in BACKENDS
    rules = get_extractor("rules")
    assert rules.name == "rules"
    text = "Elon Musk visited Berlin."
    assert [(m.start, m.end, m.kind) for m in rules.extract(text, "en")] == [
        (m.start, m.end, m.kind) for m in extract(text, "en")
    ]
    with pytest.raises(ValueError):
        get_extractor("nonesuch")


def test_a_club_is_what_a_player_signs_for() -> None:
    text = "He signed for Southampton in 2005 and was loaned to Gillingham.\n"
    text += "He grew up in Southampton. Il a été prêté à Nice, puis a vécu à Nice."
    found = [(text[m.start : m.end], m.kind) for m in extract(text, "en")]
    assert found.count(("Southampton", "ORG")) == 1 and ("Southampton", "PLACE") in found
    assert ("Gillingham", "ORG") in found
    assert ("Nice", "ORG") in found and ("Nice", "PLACE") in found


def test_an_acronym_takes_the_kind_its_text_spells_out() -> None:
    text = (
        "Exports fell 3 % of gross regional product (GRP) this year. The GRP figure is due.\n"
        "Talks with the United Arab Emirates (UAE) resumed. UAE officials met in Abu Dhabi.\n"
        "The Zorbland Monitoring Council (ZMC) said the ZMC would report. The NRDC agreed."
    )
    found = {(text[m.start : m.end], m.kind) for m in extract(text, "en")}
    assert ("GRP", "ORG") not in found  # a measure, not an organisation (both mentions)
    assert ("UAE", "PLACE") in found and ("UAE", "ORG") not in found
    assert ("ZMC", "ORG") in found and ("NRDC", "ORG") in found


def test_a_town_a_team_plays_is_the_club() -> None:
    text = (
        "He was released by Sunderland in the summer and scored in a 3 – 0 win at Brentford.\n"
        "The striker scored twice in the final , a loss to Valencia on penalties after the draw.\n"
        "Il a remporté une victoire sur Dinara Safina. He lived in Brentford."
    )
    found = [(text[m.start : m.end], m.kind) for m in extract(text, "en")]
    assert ("Sunderland", "ORG") in found and ("Brentford", "ORG") in found
    assert ("Valencia", "ORG") in found  # a match in a sports report: the club
    assert ("Dinara Safina", "PERSON") in found  # a player beaten stays a person
    assert ("Brentford", "PLACE") in found  # where he lived


def test_organisations_beside_a_demonym_a_title_or_in_lowercase() -> None:
    text = (
        "European Central Bank President Mario Draghi spoke first.\n"
        "Earlier this month, the German ADFC cyclist club said so.\n"
        "The spokesman told the news agency dpa that the talks would go on."
    )
    found = {(text[m.start : m.end], m.kind) for m in extract(text, "en")}
    assert ("European Central Bank", "ORG") in found and ("Mario Draghi", "PERSON") in found
    assert ("ADFC", "ORG") in found and ("German ADFC", "ORG") not in found
    assert ("dpa", "ORG") in found


def test_long_organisation_names_hold_of_the_and_and() -> None:
    text = (
        "A spokesman for the Party of the Regions said the Organization for the Prohibition "
        "of Chemical Weapons would help.\n"
        "His ruling Justice and Development Party won, but Fatah and Hamas leaders met.\n"
        "The Edmonton Police Service and Calgary Police Service agreed."
    )
    found = {(text[m.start : m.end], m.kind) for m in extract(text, "en")}
    assert ("Party of the Regions", "ORG") in found
    assert ("Organization for the Prohibition of Chemical Weapons", "ORG") in found
    assert ("Justice and Development Party", "ORG") in found
    assert ("Fatah", "ORG") in found and ("Hamas", "ORG") in found
    assert ("Edmonton Police Service", "ORG") in found
    assert ("Calgary Police Service", "ORG") in found


def test_a_run_cut_with_nothing_after_it_does_not_crash() -> None:
    """ "Paris du Europe de les": a run of capitals cut so that nothing was left after the cut
    raised IndexError, and `newsreader index` stopped with a traceback (found by two index
    runs over generated French text)."""
    from reader.entities import get_extractor

    mentions = get_extractor("rules").extract("Paris du Europe de les", "fr", {})
    assert all(0 <= m.start < m.end <= len("Paris du Europe de les") for m in mentions)


PEOPLE = {
    "merkel.txt": "Angela Merkel a rencontré Emmanuel Macron à Berlin mardi.",
    "gaulle.txt": "Le général Charles de Gaulle a parlé à Londres en 1940.",
    "york.txt": "Le maire de New York a visité le port jeudi.",
    "angela.txt": "Angela Davis a donné une conférence à Oakland.",
}


@pytest.fixture
def people(tmp_path: Path):
    """A store of PEOPLE's texts, entities extracted, and a query → file names."""
    for i, (name, text) in enumerate(PEOPLE.items()):
        write(tmp_path / "src" / name, f"date 2021-03-0{i + 1}\n\n{text}\n")
    with FeedStore(tmp_path / "p.db") as store:
        store.index([str(tmp_path / "src")])
        store.extract_entities()

        def paths(query: str) -> set[str]:
            return {Path(a.path or "").name for a in store.search(query)}

        yield store, paths


def test_entity_filter_finds_a_person_by_the_last_words_of_the_name(tmp_path: Path, people) -> None:
    store, paths = people
    assert store.entity("angela merkel") is not None  # the names as the extractor saw them
    assert paths("entity:Merkel") == {"merkel.txt"}
    assert paths("entity:merkél") == {"merkel.txt"}  # folded as every name is
    assert paths('entity:"de Gaulle"') == {"gaulle.txt"}
    assert paths("entity:Gaulle") == {"gaulle.txt"}
    assert paths('entity:"Angela Merkel"') == {"merkel.txt"}
    assert paths("entity:Angela") == set()  # a first name is not a last name
    assert paths("entity:Davis -entity:Merkel") == {"angela.txt"}
    assert paths("entity:York") == set()  # places go by their whole name
    assert paths("entity:erkel") == set()  # whole words only
    store.save_search("Merkel", "entity:Merkel")
    assert [(s.total, s.unread) for s in store.saved_searches()] == [(1, 1)]
    write(tmp_path / "more" / "m2.txt", "date 2021-04-01\n\nAngela Merkel est à Paris.\n")
    store.index([str(tmp_path / "more")])
    store.extract_entities()
    assert [(s.total, s.unread) for s in store.saved_searches()] == [(2, 2)]


def test_a_schema_13_database_gets_the_last_name_index(tmp_path: Path) -> None:
    import sqlite3

    write(tmp_path / "src" / "a.txt", "date 2021-03-01\n\nAngela Merkel est à Berlin.\n")
    path = tmp_path / "old.db"
    with FeedStore(path) as store:
        store.index([str(tmp_path / "src")])
        store.extract_entities()
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX entities_last_name")
    conn.execute("ALTER TABLE feeds DROP COLUMN moved_seen")  # (schema 15's)
    conn.execute("ALTER TABLE generation DROP COLUMN titles_below")  # (schema 16's)
    conn.execute("PRAGMA user_version = 13")
    conn.commit()
    conn.close()
    with FeedStore(path) as store:
        assert [Path(a.path or "").name for a in store.search("entity:merkel")] == ["a.txt"]
        plan = store.db.conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM entities WHERE kind = 'PERSON' AND "
            "substr(key, length(rtrim(key, replace(key, ' ', ''))) + 1) = 'merkel'"
        ).fetchall()
        assert "entities_last_name" in str(plan)


@pytest.mark.parametrize(
    ("typed", "runs"),
    [
        ("entity:Merk", "entity:Merk*"),
        ("tesla -entity:Merk", "tesla -entity:Merk*"),
        ("entity:Me", "entity:Me"),  # too short to narrow anything
        ('entity:"Angela Mer', 'entity:"Angela Mer*"'),
        ('entity:"Angela Merkel"', 'entity:"Angela Merkel"'),  # closed: as typed
        ('"Angela Mer', '"Angela Mer'),  # a phrase being typed stays a phrase
        ("source:lemo", "source:lemo"),  # (a prefix there already)
        ("berl", "berl*"),
    ],
)
def test_an_entity_name_being_typed_is_a_prefix(typed: str, runs: str) -> None:
    from reader.store.query import as_you_type

    assert as_you_type(typed) == runs


def test_entity_prefixes_find_names_and_last_names(people) -> None:
    from reader.store.query import _entity_names

    store, paths = people
    assert paths("entity:Merk*") == {"merkel.txt"}  # a last name's start
    assert paths("entity:Ange*") == {"merkel.txt", "angela.txt"}  # a name's start
    assert paths('entity:"Angela M*"') == {"merkel.txt"}
    assert paths("entity:New*") == {"york.txt"}
    assert paths("entity:Yor*") == set()  # places by the start of the whole name only
    assert paths("entity:Zzz*") == set()
    plan = str(
        store.db.conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM entities WHERE " + _entity_names("merk*")[0],
            ["merk", "merk\U0010ffff"] * 2,
        ).fetchall()
    )
    assert "entities_last_name" in plan and "SCAN" not in plan


def test_entities_reads_a_file_or_a_pipe_and_refuses_devices_and_giants(tmp_path: Path) -> None:
    """`entities /dev/zero` read without end (memory without bound, then a MemoryError
    traceback under a limit); a text larger than index's cap is refused the same way."""
    from reader.store.sources import MAX_FILE_BYTES

    def run(*args: str, data: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "reader", "entities", *args],
            input=data, capture_output=True, timeout=60,
        )  # fmt: skip

    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_FILE_BYTES + 1))
    for args, data, said in [
        (("/dev/zero",), b"", "/dev/zero: a device or a socket, not a file to read"),
        ((str(tmp_path),), b"", f"{tmp_path}: a folder, not a file to read"),
        ((str(big),), b"", f"{big}: larger than 16 MiB; split it"),
        (("-",), big.read_bytes(), "standard input: larger than 16 MiB; split it"),
    ]:
        proc = run(*args, data=data)
        assert proc.returncode == 2
        assert proc.stderr.decode() == f"newsreader: {said}\n"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    feeder = subprocess.Popen(["sh", "-c", f"echo 'Angela Merkel est à Berlin.' > {fifo}"])
    proc = run(str(fifo))
    feeder.wait(timeout=10)
    assert proc.returncode == 0
    assert "Angela Merkel" in proc.stdout.decode()


def test_counts_an_extraction_has_not_made_yet_are_read_from_the_mentions(
    estore: FeedStore,
) -> None:
    """A long extraction (the reader's, in the background) counts its entities at the end:
    meanwhile an entity's screen said "0 articles · ? → ?" and `entities --top` listed zeros
    in alphabetical order."""
    xiaomi = estore.entity("xiaomi")
    top = estore.top_entities(limit=5)
    assert xiaomi is not None and xiaomi.articles > 1
    with estore.db.transaction() as tx:
        tx.execute("UPDATE entities SET articles = 0, first_date = NULL, last_date = NULL")
    assert estore.entity("xiaomi") == xiaomi
    assert estore.entity(xiaomi.id) == xiaomi
    assert [(e.name, n) for e, n in estore.top_entities(limit=5)] == [(e.name, n) for e, n in top]


TITLED_FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<language>en</language>
<item><title>Angela Merkel Visits Paris</title><guid>urn:t:1</guid>
<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate>
<description>The chancellor spoke about trade and energy for an hour.</description></item>
<item><title>Trade talks resume</title><guid>urn:t:2</guid>
<pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate>
<description>Merkel said the talks in Paris would go on.</description></item>
</channel></rss>"""


def test_a_feed_items_title_is_read_for_entities(tmp_path: Path) -> None:
    """A feed item's title is not part of its body: its names are found and stored apart
    (`entity:` finds an article naming someone in its title alone); a dated text's title is its
    first sentence, read once."""
    from reader.store.entities import title_apart

    write(tmp_path / "src" / "wire.xml", TITLED_FEED)
    write(tmp_path / "src" / "d" / "a.txt", "date 2026-03-04\nAngela Merkel met Olaf Scholz.")
    with FeedStore(tmp_path / "t.db") as store:
        store.index([str(tmp_path / "src")])
        store.extract_entities()
        titled, other, dated = (
            store.search_ids('"Visits Paris"')[0],
            store.search_ids('"talks resume"')[0],
            store.search_ids("Scholz")[0],
        )
        article = store.article(titled)
        assert article is not None and title_apart(article.title, article.body)
        in_title = store.mentions(titled, title=True)
        assert [(article.title[m.start : m.end], m.kind) for m in in_title] == [
            ("Angela Merkel", "PERSON"),
            ("Paris", "PLACE"),
        ]
        assert store.mentions(titled) == []  # the body names no one
        # found with the other articles' "Merkel" (by the last name) and "Angela Merkel"
        assert set(store.search_ids("entity:Merkel")) == {titled, other, dated}
        merkel = store.entity("Angela Merkel", "PERSON")
        assert merkel is not None and merkel.articles == 2  # counted: the title's and the text's
        assert store.mentions(other, title=True) == []
        assert store.mentions(dated, title=True) == []  # its title is its body's first sentence
        body = store.mentions(dated)
        assert [(m.start, m.end) for m in body][:1] == [(0, 13)]


def test_a_schema_15_database_has_its_feed_titles_read(tmp_path: Path) -> None:
    """A store whose articles were extracted before titles were read (schema 15) gets their
    titles read by a pass of their own, newest first, the bodies' mentions kept."""
    import sqlite3

    from reader.store import entities

    write(tmp_path / "src" / "wire.xml", TITLED_FEED)
    path = tmp_path / "old.db"
    with FeedStore(path) as store:
        store.index([str(tmp_path / "src")])
        store.extract_entities()
        body = {i: store.mentions(i) for i in store.search_ids("")}
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM mentions WHERE start < 0")  # (what schema 15 stored)
    conn.execute("UPDATE entities SET articles = 0")  # (counted again by the pass)
    conn.execute("ALTER TABLE generation DROP COLUMN titles_below")
    conn.execute("PRAGMA user_version = 15")
    conn.commit()
    conn.close()
    with FeedStore(path) as store:
        assert store.db.conn.execute("SELECT titles_below FROM generation").fetchone()[0]
        assert store.search_ids("entity:Merkel") == [store.search_ids('"talks resume"')[0]]
        old_batch = entities.BATCH
        entities.BATCH = 1  # one article a transaction: the pass goes on from where it was
        try:
            store.extract_entities()
        finally:
            entities.BATCH = old_batch
        assert store.db.conn.execute("SELECT titles_below FROM generation").fetchone()[0] is None
        titled = store.search_ids('"Visits Paris"')[0]
        assert len(store.search_ids("entity:Merkel")) == 2
        assert [m.kind for m in store.mentions(titled, title=True)] == ["PERSON", "PLACE"]
        assert {i: store.mentions(i) for i in store.search_ids("")} == body
        merkel = store.entity("Angela Merkel", "PERSON")
        assert merkel is not None and merkel.articles == 1
        assert store.extract_entities() == 0  # done: nothing read again


def test_the_title_pass_leaves_titles_read_with_their_body(tmp_path: Path) -> None:
    """An article extracted since titles are read may have an id below the pass's bound (ids
    follow dates): the pass must not add a second reading of its title beside the first."""
    write(tmp_path / "src" / "wire.xml", TITLED_FEED)
    with FeedStore(tmp_path / "t.db") as store:
        store.index([str(tmp_path / "src")])
        store.extract_entities()
        conn = store.db.conn
        with store.db.transaction() as tx:  # a reading that differs from the title's alone
            tx.execute('UPDATE mentions SET start = start + 1 WHERE start < 0 AND "end" > start+1')
            tx.execute("UPDATE generation SET titles_below = (SELECT max(id) + 1 FROM articles)")
        before = conn.execute("SELECT * FROM mentions WHERE start < 0 ORDER BY 1, 2").fetchall()
        assert before
        store.extract_entities()
        assert conn.execute("SELECT titles_below FROM generation").fetchone()[0] is None
        assert conn.execute("SELECT * FROM mentions WHERE start < 0 ORDER BY 1, 2").fetchall() == (
            before
        )


def test_a_title_in_nfd_is_read_and_shown_in_nfc(tmp_path: Path) -> None:
    """A feed item's title in NFD ("e" + U+0301) gave "Gene" and "Jose" as people beside
    "Genève" (the accent cut the name), and was shown a column short; bodies were in NFC
    already."""
    import unicodedata

    from reader.store.subscriptions import given_name

    title = unicodedata.normalize("NFD", "Le défi de José Pérez à Genève")
    feed = TITLED_FEED.replace("Angela Merkel Visits Paris", title)
    write(tmp_path / "src" / "wire.xml", feed)
    with FeedStore(tmp_path / "t.db") as store:
        store.index([str(tmp_path / "src")])
        store.extract_entities()
        (rowid,) = store.search_ids("defi")
        article = store.article(rowid)
        assert article is not None and article.title == unicodedata.normalize("NFC", title)
        found = [(article.title[m.start : m.end], m.kind) for m in store.mentions(rowid, True)]
        assert found == [("José Pérez", "PERSON"), ("Genève", "PLACE")]
    assert given_name(unicodedata.normalize("NFD", "Café")) == "Café"


def test_entities_offsets_index_a_file_with_a_byte_order_mark_as_given(tmp_path: Path) -> None:
    """The byte-order mark of a UTF-8 file was dropped before extraction: decoded as UTF-8
    (`open(path, encoding="utf-8")`), every span was one character short of its name. And
    `--top FILE` read no FILE and printed the store's list."""
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfEmmanuel Macron est \xc3\xa0 Paris.\n")
    text = path.read_text(encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "entities", str(path), "--json"],
        capture_output=True, check=True,
    )  # fmt: skip
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [(r["text"], text[r["start"] : r["end"]]) for r in rows] == [
        ("Emmanuel Macron", "Emmanuel Macron"),
        ("Paris", "Paris"),
    ]
    nel = "Angela Merkel est à Berlin.\x85Tim Cook visite Paris.\x0cEmmanuel Macron parle.\n"
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "entities", "--json"],
        input=nel.encode(), capture_output=True, check=True,
    )  # fmt: skip
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["text"] for r in rows] == [  # a NEL or a form feed ran two sentences into one
        "Angela Merkel", "Berlin", "Tim Cook", "Paris", "Emmanuel Macron"
    ]  # fmt: skip
    assert all(nel[r["start"] : r["end"]] == r["text"] for r in rows)
    top = subprocess.run(
        [sys.executable, "-m", "reader", "entities", "--top", str(path)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert top.returncode == 2 and top.stderr.startswith("newsreader: --top lists the store")
