"""Wire stories: headlines and datelines in capitals, results tables (written by the team in
the style of agency dispatches, one sentence a line, tokens separated by spaces)."""

from __future__ import annotations

from reader.entities import extract
from reader.entities.lexicon import default_lexicon
from reader.entities.newswire import bylines, credits, recase, results_names

DISPATCH = (
    "SOCCER - LEEDS HOLD ARSENAL AS NEWCASTLE GO TOP .\n"
    "LONDON 1996-08-30\n"
    "Leeds United held Arsenal to a goalless draw on Saturday , while Newcastle beat "
    "Sheffield Wednesday 2-1 to go top of the table .\n"
    "Results of English league matches on Saturday :\n"
    "Leeds 0 Arsenal 0\n"
    "Aston Villa 1 Port Vale 0\n"
    "Newcastle 2 Sheffield Wednesday 1\n"
    "Standings ( tabulate under played , won , drawn , lost , goals for , against , points ) :\n"
    "Newcastle 3 2 1 0 6 3 7\n"
    "Leeds 3 1 2 0 4 2 5\n"
)
POLITICS = (
    "GERMAN CHANCELLOR KOHL TO MEET YELTSIN IN MOSCOW .\n"
    "BONN 1996-08-30\n"
    "German Chancellor Helmut Kohl will fly to Moscow next week to meet Russian President "
    "Boris Yeltsin , a government spokesman said on Friday .\n"
    "NEW YORK 1996-08-30\n"
    "The United Nations said it would send observers .\n"
)


def mentions(text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.kind) for m in extract(text) if m.kind != "MISC"]


def test_recasing_keeps_offsets_and_acronyms() -> None:
    lex = default_lexicon()
    text = "TENNIS - SAMPRAS BEATS HENMAN AT U.S. OPEN .\nNEW YORK 1996-08-30\nPrices rose ."
    recased = recase(text, lex)
    assert len(recased) == len(text)
    assert recased.split("\n")[1] == "New York 1996-08-30"
    assert "U.S." in recased and "Prices rose ." in recased
    plain = "Nothing in capitals here , only Paris ."
    assert recase(plain, lex) is plain


def test_datelines_and_headlines() -> None:
    found = mentions(POLITICS)
    assert ("LONDON", "PLACE") not in found  # not in this dispatch
    for name, kind in [
        ("BONN", "PLACE"),
        ("MOSCOW", "PLACE"),
        ("KOHL", "PERSON"),
        ("NEW YORK", "PLACE"),
        ("Helmut Kohl", "PERSON"),
        ("Boris Yeltsin", "PERSON"),
        ("United Nations", "ORG"),
    ]:
        assert (name, kind) in found, (name, found)
    assert not any(name in ("GERMAN CHANCELLOR", "CHANCELLOR KOHL") for name, _ in found)


def test_results_tables_name_clubs() -> None:
    found = mentions(DISPATCH)
    assert ("LONDON", "PLACE") in found
    for club in ("Leeds", "Arsenal", "Aston Villa", "Port Vale", "Newcastle"):
        assert (club, "ORG") in found, (club, found)
    assert ("LEEDS", "ORG") in found and ("ARSENAL", "ORG") in found
    assert not any(kind == "PLACE" and name in ("Leeds", "Newcastle") for name, kind in found)


def test_results_lines_are_found() -> None:
    text = "Leeds 0 Arsenal 0\nThe match ended 0-0 .\nNewcastle 3 2 1 0 6 3 7\n"
    scores, rows = results_names(text)
    assert [text[a:b] for a, b in scores] == ["Leeds", "Arsenal"]
    assert [text[a:b] for a, b in rows] == ["Newcastle"]


def test_agency_credits_are_sources_not_mentions() -> None:
    text = (
        "The talks in Geneva failed, a spokesman for Siemens said.\n"
        "Author: Jane Doe (AFP, Reuters, dpa) Editor: John Smith\n"
    )
    assert [text[a:b] for a, b in credits(text)] == ["(AFP, Reuters, dpa)"]
    found = mentions(text)
    assert ("Siemens", "ORG") in found and ("Geneva", "PLACE") in found
    assert not any(name in ("Jane Doe", "John Smith") for name, _ in found)  # bylines
    assert not any(name in ("AFP", "Reuters", "dpa") for name, _ in found)
    assert ("Reuters", "ORG") in mentions("Reuters reported the deal on Monday .")
    coded = "Talks ended . jr/ipj (glp, dpa, Reuters) Later (Paris, London) ."
    assert [coded[a:b] for a, b in credits(coded)] == ["(glp, dpa, Reuters)"]


def test_bylines_name_the_makers_not_the_subject() -> None:
    """The people a byline or a credit line names wrote or edited the story: not mentions
    (an editor would otherwise be "mentioned" by every story she edited)."""
    cases = {
        'relations." Author: Nick Amies Editor: Rob Mudge  Would-be killer': [
            "Nick Amies",
            "Rob Mudge",
        ],
        "Author: Nathan Morley, Nicosia, Cyprus / dfm Editor: Nancy Isenson": [
            "Nathan Morley, Nicosia, Cyprus / dfm",
            "Nancy Isenson",
        ],
        "Author: Matthias von Hein / al Editor: Cyrus Farivar": [
            "Matthias von Hein / al",
            "Cyrus Farivar",
        ],
        "(Reporting by Jane Doe in Kyiv and Tom Roe; Editing by Mark Heinrich)": [
            "Jane Doe in Kyiv and Tom Roe",
            "Mark Heinrich",
        ],
        "Auteur : Claire Dubois": ["Claire Dubois"],
        # not bylines: no name after the label, or reporting by an organisation
        "The Editor: a magazine of ideas, said it was closing.": [],
        "Reporting by the BBC showed that Britain was warned.": [],
        "Reporting by Reuters showed that Britain was warned.": [],
    }
    for text, names in cases.items():
        assert [text[a:b] for a, b in bylines(text)] == names, text
    story = (
        "Angela Merkel met Emmanuel Macron in Berlin on Monday.\n"
        "(Reporting by Jane Doe in Berlin; Editing by Mark Heinrich)\n"
    )
    found = mentions(story)
    assert ("Angela Merkel", "PERSON") in found and ("Berlin", "PLACE") in found
    assert not any(name in ("Jane Doe", "Mark Heinrich") for name, _ in found)
    # a maker named in the story itself is a mention there
    told = "Jane Doe said the talks had failed.\nAuthor: Jane Doe\n"
    assert sum(name == "Jane Doe" for name, _ in mentions(told)) == 1


# Stories one after the other with no blank line between them, as in a file of dispatches.
STORIES = (
    "SOCCER - BARCELONA BEAT VALENCIA TO GO TOP .\n"
    "MADRID 1996-09-02\n"
    "Barcelona beat Valencia 3-1 on Sunday to go top of the Spanish first division .\n"
    "CRICKET - PAKISTAN BEAT ENGLAND .\n"
    "LONDON 1996-09-02\n"
    "Pakistan beat England by nine wickets on Monday to win the series 2-0 .\n"
    "Coach Intikhab Alam said the team had played well all season , and won the cup .\n"
    "MARKETS - BUNDESBANK HOLDS RATES .\n"
    "FRANKFURT 1996-09-02\n"
    "Shares of Deutsche Bank rose as the Bundesbank left rates unchanged .\n"
    "Traders in Frankfurt and Valencia said the mark was steady .\n"
)


def test_each_story_is_read_by_itself() -> None:
    """A headline that names its sport makes a short story a sports report (a city is its
    club); the report ends where the next dateline starts one on markets (a city is a city);
    a nation's team keeps the nation's name, as a state's does."""
    found = mentions(STORIES)
    folded = [(name.lower(), kind) for name, kind in found]  # headlines are in capitals
    assert folded.count(("valencia", "ORG")) == 2 and folded.count(("barcelona", "ORG")) == 2
    assert ("England", "PLACE") in found and ("England", "ORG") not in found
    assert ("Frankfurt", "PLACE") in found and ("Valencia", "PLACE") in found
    assert ("Deutsche Bank", "ORG") in found and ("Bundesbank", "ORG") in found


def test_a_dateline_with_its_country_and_baseball_standings() -> None:
    text = (
        "GOLF - ZORBEK LEADS IN GERMAN OPEN .\n"
        "QUIMBLEDORF , Germany 1996-09-05\n"
        "Leading scores after the first round on Thursday :\n"
        "66 Ernie Els ( South Africa )\n"
        "BASEBALL - MAJOR LEAGUE STANDINGS .\n"
        "NEW YORK 1996-09-05\n"
        "NEW YORK 80 58 .580 -\n"
        "BOSTON 70 69 .504 10 1/2\n"
    )
    found = mentions(text)
    assert ("QUIMBLEDORF", "PLACE") in found  # a town no list knows, in a dateline
    assert ("Germany", "PLACE") in found and ("Ernie Els", "PERSON") in found
    assert found.count(("NEW YORK", "PLACE")) == 1  # the dateline
    assert ("NEW YORK", "ORG") in found and ("BOSTON", "ORG") in found  # standings rows


def test_headlines_in_title_case_are_read_in_ordinary_case() -> None:
    lex = default_lexicon()
    head = "Zarkowi Verdict Postponed Amid New Testimony"
    assert recase(head, lex, english=True) == "Zarkowi verdict postponed amid new testimony"
    # Demonyms, acronyms, words in mixed case and a known first and last name keep their case.
    head = "German Seniors Say No to Nursing Homes as Tim Cook Touts iPhone AI"
    assert recase(head, lex, english=True).startswith("German seniors say no to nursing ")
    assert recase(head, lex, english=True).endswith("as Tim Cook touts iPhone AI")
    assert recase(head, lex, english=True).count("Tim Cook") == 1
    # Not headlines: a sentence, a line of names, a line with a lowercase word, French.
    for line in (
        "The New York-based Human Rights Watch Reported Missing Files.",
        "Angela Merkel, Emmanuel Macron and Joe Biden",
        "Germany chooses Culture Capital Finalists",
    ):
        assert recase(line, lex, english=True) == line
    assert recase(head, lex) == head  # title case is an English habit
    text = "Merkel Under Attack for Remarks\nAngela Merkel said she would not resign ."
    assert mentions(text) == [("Merkel", "PERSON"), ("Angela Merkel", "PERSON")]
    # an inflected word the lists hold only as its stem ("Unveils", "Touts") is a word too
    text = "Apple Unveils New Phone in Cupertino as Tim Cook Touts Its Camera\nIt ships in May ."
    assert mentions(text) == [("Apple", "ORG"), ("Cupertino", "PLACE"), ("Tim Cook", "PERSON")]
    text = "Biden Meets Macron In Paris To Discuss Ukraine Aid\nThe talks lasted two hours ."
    assert ("Paris", "PLACE") in mentions(text)  # "In" is a first name, and a word
    text = "German Seniors Say No to Nursing Homes\nThe study was published on Monday ."
    assert [kind for name, kind in mentions(text) if "Seniors" in name] == []


def test_a_possessive_after_an_acronym_or_a_day_ends_a_name() -> None:
    """ "the UN's Special Rapporteur" made `UN's Special` a place, "Saturday's Bundesliga" and
    "the EU's Foreign Affairs Council" one name each: the possessive of an acronym, a day or a
    month, or one before a first name ("Real's Gonzalo"), closes the name it ends."""
    text = (
        "The talks were led by the UN's Special Rapporteur Juan Mendez in Geneva.\n"
        "Saturday's Bundesliga match ended in a draw.\n"
        "In June, the EU's Foreign Affairs Council met in Brussels.\n"
    )
    found = {text[m.start : m.end]: m.kind for m in extract(text, "en")}
    assert found["UN"] == found["EU"] == found["Bundesliga"] == "ORG"
    assert found["Foreign Affairs Council"] == "ORG"
    assert found["Juan Mendez"] == "PERSON"
    assert not any("'s" in name for name in found)


def test_a_director_or_a_chief_before_a_name_is_a_title() -> None:
    """ "EU Foreign Policy Chief Catherine Ashton" was one organisation, "Police
    Superintendent Ravi Kumar" one person with his rank."""
    text = (
        "EU Foreign Policy Chief Catherine Ashton said so.\n"
        "FBI Director James Comey testified.\n"
        "Police Superintendent Ravi Kumar said the search went on.\n"
    )
    found = {text[m.start : m.end]: m.kind for m in extract(text, "en")}
    assert found["EU"] == found["FBI"] == "ORG"
    assert found["Catherine Ashton"] == found["James Comey"] == found["Ravi Kumar"] == "PERSON"


def test_an_english_name_does_not_go_on_in_lowercase() -> None:
    """French names go on in lowercase after some heads ("Union européenne"); English ones do
    not: "the European Union of having contributed" was one organisation."""
    text = (
        "Researchers have accused the European Union of having contributed to the crisis.\n"
        "Retailers saw angry reactions throughout Europe of late.\n"
    )
    found = {text[m.start : m.end]: m.kind for m in extract(text, "en")}
    assert found["European Union"] == "ORG" and found["Europe"] == "PLACE"
    french = "La Commission a rappelé que l'Union européenne avait décidé."
    names = {french[m.start : m.end] for m in extract(french, "fr")}
    assert "Union européenne" in names


def test_a_label_in_capitals_opening_a_line_is_no_name() -> None:
    """ "MISE À JOUR : …" made `À JOUR` a person (an initial and a name); a label in capitals
    before a colon or a dash is read as a line in capitals is, its known names kept."""
    lines = {
        "MISE À JOUR : la forêt de Fontainebleau rouvre": "fr",
        "VIDÉO - Le maire de Lyon parle.": "fr",
        "UPDATE: the vote in Paris was delayed.": "en",
        "NATO : les alliés se retrouvent à Paris.": "fr",
    }
    found = {
        text[m.start : m.end]: m.kind for text, lang in lines.items() for m in extract(text, lang)
    }
    assert "À JOUR" not in found and "JOUR" not in found and "VIDÉO" not in found
    assert "UPDATE" not in found
    assert found["NATO"] == "ORG"
    assert found["Paris"] == found["Lyon"] == "PLACE"
