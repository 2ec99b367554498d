"""The query parser and compiler, including hostile input, against a real store."""

from __future__ import annotations

import pytest

from reader.store import FeedStore, QueryError
from reader.store.query import Term, highlight_terms, parse

from .conftest import write

ARTICLES = {
    "wire/a.txt": "date 2021-03-10 Le défi de Xiaomi commence à Pékin. Lei Jun parle.",
    "wire/b.txt": "date 2022-01 Tesla ouvre une usine près de Berlin. Elon Musk danse.",
    "daily/c.txt": "date 2023-05-02T10:00 The police said the Tesla factory was closed. "
    "Exact phrase here.",
    "daily/d.txt": "date 2020 Xiaomi sells phones; the challenge is in Europe.",
    "daily/e.txt": 'date 2024-07-14 Un article sur rien, avec des guillemets " et * étoiles.',
}


@pytest.fixture
def qstore(tmp_path, store: FeedStore) -> FeedStore:
    for rel, text in ARTICLES.items():
        write(tmp_path / "src" / rel, text)
    store.index([str(tmp_path / "src")])
    return store


def titles(store: FeedStore, query: str, **kw) -> list[str]:
    return [a.path.rsplit("/", 1)[-1] for a in store.search(query, **kw)]


def test_empty_query_lists_everything_newest_first(qstore: FeedStore) -> None:
    assert titles(qstore, "") == ["e.txt", "c.txt", "b.txt", "a.txt", "d.txt"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("defi", ["a.txt"]),
        ("DÉFI", ["a.txt"]),
        ("xiao*", ["a.txt", "d.txt"]),
        ("tesla", ["c.txt", "b.txt"]),
        ("tesla -police", ["b.txt"]),
        ("-tesla -xiaomi", ["e.txt"]),
        ("xiaomi OR police", ["c.txt", "a.txt", "d.txt"]),
        ('"exact phrase"', ["c.txt"]),
        ('"phrase exact"', []),
        ("source:daily", ["e.txt", "c.txt", "d.txt"]),
        ("source:DAI", ["e.txt", "c.txt", "d.txt"]),
        ("source:nowhere", []),
        ("after:2021-03", ["e.txt", "c.txt", "b.txt", "a.txt"]),
        ("after:2021-04", ["e.txt", "c.txt", "b.txt"]),
        ("before:2021-03", ["d.txt"]),
        ("before:2021", ["d.txt"]),
        ("xiaomi after:2021", ["a.txt"]),
        ("(xiaomi OR tesla) source:daily", ["c.txt", "d.txt"]),
        ("tesla OR source:wire", ["c.txt", "b.txt", "a.txt"]),
        ("tesla AND berlin", ["b.txt"]),
        ("Pékin", ["a.txt"]),
        ("pekin", ["a.txt"]),
    ],
)
def test_query_language(qstore: FeedStore, query: str, expected: list[str]) -> None:
    assert titles(qstore, query) == expected


def test_state_filters(qstore: FeedStore) -> None:
    a = qstore.search("defi")[0]
    qstore.set_read([a.rowid])
    qstore.set_starred([a.rowid])
    assert "a.txt" not in titles(qstore, "is:unread")
    assert titles(qstore, "is:starred") == ["a.txt"]
    assert titles(qstore, "is:read xiaomi") == ["a.txt"]


def test_relevance_order_puts_title_hits_first(qstore: FeedStore) -> None:
    assert titles(qstore, "tesla", order="relevance")[0] in {"b.txt", "c.txt"}
    assert titles(qstore, "tesla", order="relevance", limit=1)


HOSTILE = [
    '"',
    '""',
    "*",
    "-",
    "--",
    "(",
    ")",
    "((a",
    "a)",
    ":",
    "::",
    "NEAR",
    "NEAR(a b)",
    "a AND",
    "AND",
    "OR",
    "a OR",
    "OR a",
    "NOT",
    "a NOT b",
    "'",
    "';DROP TABLE articles;--",
    "x' OR 1=1 --",
    "title:foo",
    "^a",
    "a^",
    "{a b}",
    "a:b",
    "\\",
    "%",
    "_",
    "\x00",
    '"unterminated phrase',
    "-(a)",
    "- a",
    "é*",
    "**",
    "xiao**",
    "a - b",
    '-"a"',
    "col:x",
    "rowid",
    "articles_fts",
    "1=1",
    "a OR OR b",
    "((()))",
    "()",
    "-()",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise_sqlite_errors(qstore: FeedStore, query: str) -> None:
    try:
        qstore.search(query)
    except QueryError as exc:
        assert "\n" not in str(exc) and str(exc)
    assert qstore.count() == 5  # nothing was dropped


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("entité:", "unknown filter"),
        ("soruce:daily", "unknown filter"),
        ("source:", "needs a value"),
        ("after:hier", "not a date"),
        ("is:maybe", "is:unread"),
    ],
)
def test_malformed_queries_have_clear_messages(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse(query)


def test_highlight_terms() -> None:
    terms = highlight_terms(parse('défi "lei jun" -tesla xiao* source:x'))
    assert terms == [Term(("défi",)), Term(("lei", "jun")), Term(("xiao",), prefix=True)]


@pytest.mark.parametrize(
    ("typed", "runs"),
    [
        ("tesla m", "tesla"),  # searched as typed, the list emptied at each new word
        ("tesla mu", "tesla"),
        ("tesla mus", "tesla mus*"),
        ("euros -tesla b", "euros -tesla"),
        ("tesla OR m", "tesla"),
        ("xi", "xi"),  # alone: as typed
        ("OR m", "OR m"),
        ("tesla (m", "tesla (m"),
        ("tesla m ", "tesla m "),  # finished: as typed
    ],
)
def test_a_short_unfinished_word_after_others_waits(typed: str, runs: str) -> None:
    from reader.store.query import as_you_type

    assert as_you_type(typed) == runs
