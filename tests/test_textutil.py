"""Sentence splitting, sub-headings, cleaning of untrusted text, folding, language."""

from __future__ import annotations

import pytest

from reader.lang import detect_language
from reader.textutil import blocks, clean, clean_line, first_sentence, fold, normalise_body


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("M. Dupont est arrivé. Il a dit bonjour.", "M. Dupont est arrivé."),
        ("Mr. Smith went to Washington. He stayed.", "Mr. Smith went to Washington."),
        ("The U.S. economy grew. Then it fell.", "The U.S. economy grew."),
        (
            "La croissance atteint 10,5 % cette année. Les prix suivent.",
            "La croissance atteint 10,5 % cette année.",
        ),
        ("Le taux passe à 3.5 points. Ensuite.", "Le taux passe à 3.5 points."),
        ("J. R. R. Tolkien a écrit des livres. Oui.", "J. R. R. Tolkien a écrit des livres."),
        ("« C'est fini. » Il part.", "« C'est fini. »"),
        (
            "Il a dit « bonjour ! » puis il est parti. Fin.",
            "Il a dit « bonjour ! » puis il est parti.",
        ),
        ('He said "it is over." Then he left.', 'He said "it is over."'),
        ("Pourquoi ? Parce que.", "Pourquoi ?"),
        ("Mme Lagarde parle. Fin.", "Mme Lagarde parle."),
        ("No punctuation at all", "No punctuation at all"),
        ("Ends here.\n\nSecond paragraph.", "Ends here."),
    ],
)
def test_first_sentence(text: str, first: str) -> None:
    assert first_sentence(text) == first


def test_first_sentence_is_shortened_at_a_word() -> None:
    long = "mot " * 200
    title = first_sentence(long, limit=50)
    assert len(title) <= 51 and title.endswith("…") and "mo…" not in title


def test_blocks_find_sub_headings_but_not_the_lead() -> None:
    body = normalise_body(
        "Short lead without stop\n\nA paragraph. It ends.\n\nA sub-heading\n\n"
        "Another one\n\nLast paragraph here."
    )
    kinds = [(k, body[s:e]) for k, s, e in blocks(body)]
    assert kinds == [
        ("paragraph", "Short lead without stop"),
        ("paragraph", "A paragraph. It ends."),
        ("heading", "A sub-heading"),
        ("heading", "Another one"),
        ("paragraph", "Last paragraph here."),
    ]


def test_clean_strips_escape_sequences_and_controls() -> None:
    hostile = "a\x1b]52;c;SGVsbG8=\x07b\x1b[31mred\x1b[0m\x07\x00 c\r\nd\x9b31m"
    assert clean(hostile) == "abred c\nd"
    assert clean_line("  title\nwith\tbreaks ") == "title with breaks"
    assert clean("[@click=app.quit]x[/]") == "[@click=app.quit]x[/]"  # not markup's job here
    # noncharacters (a plain-text title keeps what HTML parsing dropped): no XML holds one
    assert clean_line("J ￾￿ end ﷐x") == "J end x"


def test_a_c1_control_is_removed_alone_not_with_the_rest_of_the_field() -> None:
    # Mojibake quotes: UTF-8 "“no”" read as Latin-1 holds U+009D (an 8-bit string command).
    assert clean("Minister says \u00e2\u20ac\x9cno\u00e2\u20ac\x9d to budget cuts") == (
        "Minister says \u00e2\u20acno\u00e2\u20ac to budget cuts"
    )
    body = "said \u00e2\u20ac\x9cno\u00e2\u20ac\x9d on Monday.\n\nSecond paragraph."
    assert clean(body) == "said \u00e2\u20acno\u00e2\u20ac on Monday.\n\nSecond paragraph."
    for c1 in "\x90\x98\x9d\x9e\x9f":
        assert clean(f"a{c1}payload\x9c b") == "apayload b"
    assert clean("x\x1b]0;title\x07y\x1bPdcs\x1b\\z") == "xyz"  # 7-bit sequences still go


def test_fold() -> None:
    assert fold("Défi ÉLAN Großé") == fold("defi elan grosse")


def test_language() -> None:
    assert detect_language("Le groupe a confirmé son entrée sur le marché des voitures.") == "fr"
    assert detect_language("The company said it would enter the car market this year.") == "en"
    assert detect_language("12 345") == "und"


def test_matches_in_any_normal_form() -> None:
    """Text in NFD (an ``e`` and a combining accent) matches as text in NFC does, whatever
    the form typed, and the span takes in the accents: offsets are the text's as shown."""
    from reader.textutil import match_spans

    nfd = "Combi e\u0301te\u0301 cafe\u0301."
    for typed in ("ete", "été", "e\u0301te\u0301", "ÉTÉ"):
        assert [nfd[a:b] for a, b in match_spans(nfd, [((typed,), False)])] == ["e\u0301te\u0301"]
    spans = match_spans(nfd, [(("cafe",), False), (("ete",), False)])
    assert [nfd[a:b] for a, b in spans] == ["e\u0301te\u0301", "cafe\u0301"]
    assert match_spans(nfd, [(("et",), False)]) == []  # whole words, as the index
    assert [nfd[a:b] for a, b in match_spans(nfd, [(("et",), True)])] == ["e\u0301te\u0301"]
    nfc = "Un été, un café."
    assert [nfc[a:b] for a, b in match_spans(nfc, [(("e\u0301te\u0301",), False)])] == ["été"]
    mixed = "Großé Straße: grosse strasse"  # ß folds to two letters, offsets still the text's
    spans = match_spans(mixed, [(("strasse",), False)])
    assert [mixed[a:b] for a, b in spans] == ["Straße", "strasse"]
    phrase = "le de\u0301fi de\u0301cisif"
    spans = match_spans(phrase, [(("defi", "decisif"), False)])
    assert [phrase[a:b] for a, b in spans] == ["de\u0301fi de\u0301cisif"]


def test_bodies_are_stored_in_nfc() -> None:
    assert normalise_body("Combi e\u0301te\u0301\n\n\ncafe\u0301.") == "Combi été\n\ncafé."


def test_invisible_characters_inside_words_are_dropped(tmp_path) -> None:
    """`soft\\u00adhyphen` and `zero\\u200bwidth` were shown "softhyphen" and "zerowidth" but
    stored as they came, so a search for what was shown found nothing."""
    from reader.store import FeedStore

    assert clean("soft\u00adhyphen zero\u200bwidth join\u2060ed \ufeffbom") == (
        "softhyphen zerowidth joined bom"
    )
    assert clean("line\u2028next\u2029para\x0cfeed\x85nel") == "line\nnext\npara\nfeed\nnel"
    assert clean("👨\u200d👩\u200d👧") == "👨\u200d👩\u200d👧"  # (a joiner is part of the emoji)
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text("date 2026-11-20\n\nA soft\u00adhyphen and a zero\u200bwidth.\n")
    with FeedStore(tmp_path / "s.db") as store:
        store.index([str(news)])
        assert store.count_matches("softhyphen")[0] == store.count_matches("zerowidth")[0] == 1
        # a query pasted with them finds what they were taken out of
        assert store.count_matches("soft\u00adhyphen")[0] == 1
        assert store.count_matches("zero\u200bwidth")[0] == 1
