"""Issue #15 in the store: authors and enclosures kept, searched, migrated and rebuilt."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reader.model import Enclosure
from reader.store import FeedStore
from reader.store.query import QueryError, author_key, author_matches
from reader.store.rebuild import rebuild
from reader.store.schema import MIGRATIONS
from reader.store.sources.feed import parse_feed

from .conftest import DATA

ARTICLES = DATA / "articles"


def items(name: str) -> dict[str, object]:
    feed = parse_feed((ARTICLES / name).read_bytes(), f"https://feeds.example.org/{name}")
    return {it.article.title: it.article for it in feed.items}


def test_authors_of_each_kind() -> None:
    podcast, atom, js = items("podcast.xml"), items("atom.xml"), items("feed.json")
    assert podcast["Episode 42: solid-state cells"].author == "Ada Host"  # RSS author
    assert podcast["Video: the factory tour"].author == "Bob Crew, Carol Crew"  # dc:creator
    assert podcast["Show notes only"].author is None  # RSS items do not inherit the channel's
    assert items("code.xml")["Proving a secret without sending it"].author == "Jane Doe"
    assert atom["Rapport annuel"].author == "Élodie Martin, Bruno Leroy"  # Atom authors
    assert atom["Note sans auteur"].author == "Équipe Carnet"  # inherited from the Atom feed
    assert js["Interview in audio"].author == "Dana Writer"  # 1.1 authors, repeat dropped
    assert js["Desk note"].author == "Cell Notes desk"  # inherited from the JSON feed
    assert js["Old style author"].author == "Eve Red"  # 1.0 author, escape sequence cleaned


def test_enclosures_of_each_kind() -> None:
    podcast, atom, js = items("podcast.xml"), items("atom.xml"), items("feed.json")
    episode = podcast["Episode 42: solid-state cells"]
    assert episode.enclosures == (
        Enclosure("https://cdn.talk.example.org/ep42.mp3", "audio/mpeg", 24_100_000, 2537),
    )
    assert episode.body.startswith("Enclosure: ep42.mp3 (audio/mpeg, 24.1 MB, 42:17) [1]\n\n")
    assert "[1] https://cdn.talk.example.org/ep42.mp3\n[2] https://guest.example.org/" in (
        episode.body
    )
    tour = podcast["Video: the factory tour"]  # Media RSS, thumbnails are not enclosures
    assert [e.url.rsplit("/", 1)[1] for e in tour.enclosures] == ["tour.mp4", "tour.webm"]
    assert tour.enclosures[0] == Enclosure(
        "https://cdn.talk.example.org/tour.mp4", "video/mp4", 73_400_320, 3723
    )
    assert "Enclosure: tour.mp4 (video/mp4, 73.4 MB, 1:02:03) [1]" in tour.body
    assert podcast["Show notes only"].enclosures == ()  # a javascript: enclosure is refused
    assert atom["Rapport annuel"].enclosures == (
        Enclosure("https://carnet.example.org/rapport.pdf", "application/pdf", 3000),
    )
    assert js["Interview in audio"].enclosures == (
        Enclosure("https://cells.example.org/1.m4a", "audio/mp4", 5_000_000, 600),
    )


@pytest.fixture
def filled(tmp_path: Path):
    with FeedStore(tmp_path / "s.db") as store:
        report = store.index([str(ARTICLES)])
        assert not report.failed and report.added == 9
        yield store


def test_stored_articles_carry_author_and_enclosures(filled: FeedStore) -> None:
    (hit,) = filled.search('"solid-state cells"')
    assert hit.author == "Ada Host" and hit.enclosures == ()  # headlines: no enclosures
    whole = filled.article(hit.uid)
    assert whole is not None and whole.author == "Ada Host"
    assert whole.enclosures[0].duration == 2537 and whole.full_text is None


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("author:ada", {"Episode 42: solid-state cells"}),
        ('author:"Ada Host"', {"Episode 42: solid-state cells"}),
        ("author:ELODIE", {"Rapport annuel"}),  # case and accents folded
        ("author:leroy", {"Rapport annuel"}),  # a word of a name
        ("author:crew", {"Video: the factory tour"}),
        ('author:"carol crew"', {"Video: the factory tour"}),
        ("author:équipe", {"Note sans auteur"}),
        ("author:nobody", set()),
        ("author:dana battery", set()),  # the filter and a word must both match
        ("author:dana listen", {"Interview in audio"}),
        ("-author:crew author:c", {"Desk note", "Note sans auteur"}),
    ],
)
def test_author_filter(filled: FeedStore, query: str, titles: set[str]) -> None:
    assert {a.title for a in filled.search(query)} == titles


def test_author_filter_exact_name_wins_over_prefix() -> None:
    keys = ["ann", "anna smith", "bob"]
    assert author_matches("Ann", keys) == ["ann"]
    assert author_matches("an", keys) == ["ann", "anna smith"]
    assert author_matches("smi", keys) == ["anna smith"]
    assert author_key("Élodie Martin, Bruno  Leroy") == "elodie martin\nbruno leroy"
    assert author_key(None) is None and author_key("") is None


def test_author_filter_needs_a_value(filled: FeedStore) -> None:
    with pytest.raises(QueryError, match="author:"):
        filled.search("author:")


def test_old_database_migrates_and_keeps_its_articles(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    for script in MIGRATIONS[:4]:
        conn.executescript(script)
    conn.execute("PRAGMA user_version = 4")
    conn.execute("PRAGMA application_id = 1852994418")
    conn.execute("INSERT INTO bodies VALUES (1, 'old text')")
    conn.execute(
        "INSERT INTO articles (id, uid, doc, source, title, date, precision, language, hash, "
        "added) VALUES (65536, 'u1', 1, 's', 'Old', 1, 3, 'en', 'h', 0)"
    )
    conn.execute("INSERT INTO feeds (url, added) VALUES ('https://x.example/rss', 0)")
    conn.commit()
    conn.close()
    with FeedStore(db) as store:
        old = store.article("u1")
        assert old is not None and old.author is None and old.enclosures == ()
        (sub,) = store.subscriptions()
        assert sub.full_text is False
        assert store.search("author:x") == []


def test_rebuild_keeps_authors_enclosures_and_the_full_text_switch(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with FeedStore(db) as store:
        store.index([str(ARTICLES)])
        store.subscribe("https://x.example/rss", full_text=True)
    rebuild(db)
    with FeedStore(db) as store:
        (hit,) = store.search("author:ada")
        whole = store.article(hit.uid)
        assert whole is not None and whole.enclosures[0].length == 24_100_000
        assert [s.full_text for s in store.subscriptions()] == [True]


def test_rebuild_of_a_damaged_file_from_before_the_migration_keeps_its_feeds(
    tmp_path: Path,
) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    for script in MIGRATIONS[:4]:
        conn.executescript(script)
    conn.execute("PRAGMA user_version = 4")
    conn.execute("INSERT INTO feeds (url, name, added) VALUES ('https://x.example/rss', 'X', 0)")
    conn.commit()
    conn.close()
    report = rebuild(db)
    assert report.copied.get("feeds") == 1
    with FeedStore(db) as store:
        assert [s.name for s in store.subscriptions()] == ["X"]


def test_enclosures_stored_as_json_survive_odd_values(filled: FeedStore) -> None:
    conn = filled.db.conn
    (uid,) = conn.execute(
        "SELECT uid FROM articles WHERE enclosures IS NOT NULL LIMIT 1"
    ).fetchone()
    with filled.db.transaction() as tx:
        tx.execute(
            "UPDATE articles SET enclosures = ? WHERE uid = ?",
            (json.dumps([{"url": "https://a/b", "length": "x"}, 5, {"type": "t"}]), uid),
        )
    whole = filled.article(uid)
    assert whole is not None and whole.enclosures == (Enclosure("https://a/b"),)
    with filled.db.transaction() as tx:
        tx.execute("UPDATE articles SET enclosures = '{not json' WHERE uid = ?", (uid,))
    whole = filled.article(uid)
    assert whole is not None and whole.enclosures == ()
