"""Counts kept across read marks (reader.store.counts): always what counting again gives.

A long-lived store (as the reader's feed list) and a second one on the same file (as another
process) answer every query after each change; a fresh store, which has nothing remembered,
says what the answer must be.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.store import FeedStore
from reader.store import counts as counts_module
from reader.store import query as q

from .conftest import FEEDS, write

QUERIES = [
    "musk",
    "tes*",
    "tesla OR xiaomi",
    "-euros",
    "police -musk",
    "source:numerama",
    "after:2021-03",
    "before:2021 musk",
    'entity:"Elon Musk"',
    'entity:"Elon Musk" -tesla',
    'feed:"EV Briefing"',
    'feed:"Carnet auto" OR battery',
    "is:unread musk",  # counted from musk's counts
    "is:read tesla",
    "is:unread",
    "is:starred OR musk",  # asks for marks: always counted again
    "is:ignored",
    "",
]
Stores = tuple[Path, FeedStore, FeedStore, FeedStore]  # the file; two with IGNORE, one without
IGNORE = ("source:reuters-wire", "battery")  # a source, and some articles of every kind


def truth(path: Path, query: str, ignore: tuple[str, ...] = IGNORE) -> tuple[int, int]:
    """What one counting statement finds, in a store that remembers nothing."""
    with FeedStore(path, ignore=ignore) as fresh:
        sql, params = q.count_query(q.parse(query), fresh._context())
        total, unread, *_ = fresh.db.conn.execute(sql, params).fetchone()
        return int(total), int(unread)


WIRE = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire</title><link>https://wire.example.org/</link>
<item><title>Police et batteries</title><guid>https://wire.example.org/1</guid>
<pubDate>Mon, 23 Nov 2026 08:00:00 +0000</pubDate><description>Xiaomi à Pékin.</description>
</item>
</channel></rss>
"""


def item(guid: str, title: str, text: str, day: int) -> str:
    """An RSS item (a URL guid: the same guid in two feeds is one article)."""
    return (
        f"<item><title>{title}</title><guid>{guid}</guid>"
        f"<pubDate>{day:02d} Nov 2026 09:00:00 +0000</pubDate>"
        f"<description>{text}</description></item>\n"
    )


def add_item(feed: Path, entry: str) -> None:
    """Put an item in a local RSS feed (the reader sees it at its next refresh)."""
    feed.write_text(feed.read_text().replace("</channel>", entry + "</channel>", 1))


@pytest.fixture
def stores(tmp_path: Path):
    path = tmp_path / "c.db"
    with FeedStore(path, ignore=IGNORE) as first:
        first.index([str(FEEDS)])
        for feed in sorted((FEEDS / "syndicated").iterdir()):  # the same items, subscribed
            copy = write(tmp_path / "feeds" / feed.name, feed.read_bytes())
            # One named: its title can change alone (feed: finds it by either).
            first.subscribe(str(copy), name="ev" if feed.suffix == ".rss" else None)
        first.subscribe(str(write(tmp_path / "feeds" / "wire.rss", WIRE)))
        first.refresh()
        first.extract_entities(workers=0)
        for i, query in enumerate(QUERIES[:-1]):  # saved: their counts are kept on disk too
            first.save_search(f"q{i:02d}", query)
    with (
        FeedStore(path, ignore=IGNORE) as a,
        FeedStore(path, ignore=IGNORE) as b,
        FeedStore(path) as c,  # no ignore rules: everything is two index counts
    ):
        yield path, a, b, c


def groups(store: FeedStore) -> tuple[list[tuple[str, int, int]], list[tuple[int, int, int]]]:
    """Per source and per subscription: total and unread."""
    return (
        [(s.name, s.total, s.unread) for s in store.sources()],
        [(f.id, f.total, f.unread) for f in store.subscriptions()],
    )


def check(path: Path, a: FeedStore, b: FeedStore, c: FeedStore) -> None:
    """Stores ``a`` and ``b`` have the ignore rules, ``c`` none."""
    for query in QUERIES:
        expected = truth(path, query)
        for s in (a, b):
            assert s.count_matches(query) == expected, query
    assert c.count_matches("") == truth(path, "", ())
    expected_saved = [(query, *truth(path, query)) for query in QUERIES[:-1]]
    for s in (a, b):  # counts kept in memory and on disk, written after
        assert [(x.query, x.total, x.unread) for x in s.saved_searches()] == expected_saved
    with FeedStore(path, ignore=IGNORE) as fresh:  # counts another process kept on disk
        assert [(x.query, x.total, x.unread) for x in fresh.saved_searches()] == expected_saved
    with FeedStore(path) as fresh:  # kept apart from those under ignore rules
        assert [(x.query, x.total, x.unread) for x in fresh.saved_searches()] == [
            (query, *truth(path, query, ())) for query in QUERIES[:-1]
        ]
    for ignore, stores in ((IGNORE, (a, b)), ((), (c,))):
        with FeedStore(path, ignore=ignore) as fresh:
            expected_groups = groups(fresh)
        assert expected_groups[1] and all(f[1] for f in expected_groups[1])  # feeds with articles
        for s in stores:
            assert groups(s) == expected_groups, ignore


def test_counts_follow_every_kind_of_change(
    stores: Stores, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Random read and starred marks (one article, a few, more than the log takes), marks by
    query, marks from another process, new articles from files and from feeds (by this store,
    another, another process), an item seen in a second feed, a changed item, a feed's new
    title, extraction: after each, every query's counts on both long-lived stores equal a
    fresh count."""
    monkeypatch.setattr(counts_module, "LOG_MAX", 7)  # reach the new-generation path too
    monkeypatch.setattr(counts_module, "LOG_KEEP", 30)  # and the log's emptying
    path, a, b, c = stores
    ev, wire = tmp_path / "feeds" / "ev-briefing.rss", tmp_path / "feeds" / "wire.rss"
    rng = random.Random(5)
    words = ["Elon Musk", "Tesla", "battery", "police", "Xiaomi", "euros", "Pékin"]
    guids: list[tuple[Path, str]] = []  # (feed, item)
    check(path, a, b, c)
    for step in range(60):
        ids = [row[0] for row in a.db.conn.execute("SELECT id FROM articles")]  # hidden too
        op = rng.randrange(12)
        elsewhere = False  # written by another process
        chosen = rng.sample(ids, rng.choice((1, 2, 5, 9)))
        if op == 0:
            a.set_read(chosen, rng.random() < 0.7)
        elif op == 1:
            b.set_read(chosen, rng.random() < 0.5)
        elif op == 2:
            a.set_starred(chosen, rng.random() < 0.5)
        elif op == 3:
            a.mark_read(rng.choice(QUERIES[:10]), read=rng.random() < 0.6)
        elif op == 4:
            elsewhere = True
            subprocess.run(
                [sys.executable, "-m", "reader", "mark-read", "--db", str(path)]
                + (["--unread"] if rng.random() < 0.5 else [])
                + ["--", rng.choice(QUERIES[:10])],
                check=True, capture_output=True,
            )  # fmt: skip
        elif op == 5:
            source = ("more", "reuters-wire")[step % 2]  # the second one is ignored
            folder = write(
                tmp_path / source / f"{step}.txt",
                f"date 2021-03-{step % 28 + 1:02d}\n{' et '.join(rng.sample(words, 2))}, "
                f"étape {step}\n",
            ).parent
            a.index([str(folder)])
        elif op == 6:  # new items in a feed, fetched by one store, the other, or a process
            for _ in range(rng.choice((1, 3, 9))):
                guid = f"https://news.example.org/{step}/{len(guids)}"
                entry = item(guid, f"Brève {step}", " ".join(rng.sample(words, 3)), step % 28 + 1)
                feed = rng.choice((ev, wire))
                add_item(feed, entry)
                guids.append((feed, entry))
            refresher = rng.randrange(3)
            if refresher == 2:
                elsewhere = True
                subprocess.run(
                    [sys.executable, "-m", "reader", "refresh", "--db", str(path)],
                    check=True, capture_output=True,
                )  # fmt: skip
            else:
                (a, b)[refresher].refresh()
        elif op == 7 and guids:  # an item already stored, seen the same in the other feed
            feed, entry = rng.choice(guids)
            add_item(wire if feed == ev else ev, entry)
            b.refresh()
        elif op == 8:  # a feed's item changed, or its title
            if rng.random() < 0.5:  # a word of the queries comes or goes
                swap = ("Tesla", "Xiaomi") if step % 2 else ("Xiaomi", "Tesla")
                ev.write_text(ev.read_text().replace(*swap, 1))
            else:
                name = ("EV Briefing", f"EV Letter {step}")[step % 2]
                ev.write_text(re.sub(r"<title>EV [^<]*</title>", f"<title>{name}</title>",
                                     ev.read_text(), count=1))  # fmt: skip
            a.refresh()
        elif op == 9:
            (a, b)[step % 2].extract_entities(workers=0)
        elif op == 10 and (texts := sorted((tmp_path / "more").glob("*.txt"))):
            # A file moves to another folder: its article keeps its marks, takes that source.
            (tmp_path / "moved").mkdir(exist_ok=True)
            moved = rng.choice(texts)
            moved.rename(tmp_path / "moved" / moved.name)
            b.index([str(tmp_path / "more"), str(tmp_path / "moved")])
        else:
            a.set_read(chosen, rng.random() < 0.7)
        if not elsewhere:  # (another process has the real limits)
            assert a.db.conn.execute("SELECT count(*) FROM read_log").fetchone()[0] <= 30
        check(path, a, b, c)


def test_a_read_mark_is_counted_from_the_log(stores: Stores) -> None:
    """After one read mark, a kept count is brought up to date without walking the matches
    again (no counting statement runs), and is right."""
    path, a, _, _ = stores
    for query in QUERIES:
        a.count_matches(query)
    musk = a.search_ids("musk")
    statements: list[str] = []
    a.db.conn.set_trace_callback(statements.append)
    try:
        a.set_read(musk[:1])
        total, unread = a.count_matches("musk")
        a.count_matches("tesla OR xiaomi")
    finally:
        a.db.conn.set_trace_callback(None)
    assert (total, unread) == truth(path, "musk")
    assert not [s for s in statements if s.startswith("WITH m(id)")]
    assert sum("FROM read_log l" in s for s in statements) == 2


def test_new_articles_are_counted_from_the_log(stores: Stores, tmp_path: Path) -> None:
    """After a refresh that only brings new items, kept counts, the per-source and per-feed
    counts are brought up to date without counting again (no counting statement runs), and
    are right; a new source is counted again."""
    path, a, b, c = stores
    for query in QUERIES:
        a.count_matches(query)
    groups(a)
    add_item(tmp_path / "feeds" / "wire.rss", item("https://w.example.org/n", "Musk", "Tesla", 3))
    b.refresh()
    statements: list[str] = []
    a.db.conn.set_trace_callback(statements.append)
    try:
        for query in ("musk", "tesla OR xiaomi", 'feed:"Carnet auto" OR battery', ""):
            assert a.count_matches(query) == truth(path, query), query
        fresh = groups(a)
    finally:
        a.db.conn.set_trace_callback(None)
    assert not [s for s in statements if s.startswith("WITH m(id)") or "count(*)" in s]
    assert ("Wire", 2, 2) in fresh[0]
    check(path, a, b, c)
    write(tmp_path / "newsource" / "a.txt", "date 2021-03-02\nTesla\n")
    b.index([str(tmp_path / "newsource")])
    assert ("newsource", 1, 1) in groups(a)[0]
    check(path, a, b, c)


def test_counts_hidden_by_entity_rules_follow_extraction(tmp_path: Path) -> None:
    """An ignore rule naming an entity hides a new article only once its mentions are
    written: counts kept across the new article are counted again after extraction."""
    path = tmp_path / "e.db"
    ignore = ('entity:"Elon Musk"',)
    with FeedStore(path) as first:
        first.index([str(FEEDS / "numerama")])
        first.extract_entities(workers=0)
    with FeedStore(path, ignore=ignore) as reader, FeedStore(path) as writer:
        queries = ["", "tesla", "source:numerama", "is:ignored"]
        before = [reader.count_matches(query) for query in queries]
        sources = [(s.name, s.total) for s in reader.sources()]
        # In a source the store has: its per-source counts are kept too.
        folder = write(tmp_path / "numerama" / "a.txt", "date 2021-03-02\nElon Musk et Tesla\n")
        writer.index([str(folder.parent)])
        for query in queries:
            assert reader.count_matches(query) == truth(path, query, ignore), query
        assert reader.sources()[0].total == sources[0][1] + 1  # not hidden yet
        writer.extract_entities(workers=0)
        after = [reader.count_matches(query) for query in queries]
        assert after == [truth(path, query, ignore) for query in queries]
        assert after == [*before[:3], (before[3][0] + 1, before[3][1] + 1)]
        assert [(s.name, s.total) for s in reader.sources()] == sources


def counting(store: FeedStore, call) -> tuple[object, list[str]]:
    """``call()`` and the counting statements (walking every match) it ran."""
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        result = call()
    finally:
        store.db.conn.set_trace_callback(None)
    return result, [s for s in statements if s.startswith("WITH m(id)")]


def saved_counts(store: FeedStore) -> list[tuple[str, int, int]]:
    return [(s.query, s.total, s.unread) for s in store.saved_searches()]


def test_a_new_process_brings_kept_counts_up_to_date(stores: Stores, tmp_path: Path) -> None:
    """Saved searches' counts kept in the database by one store are used by the next one
    (as `newsreader feeds` run again): brought up to date from the log after read marks and
    new articles, with no counting statement; counted again after another change, or by
    another version."""
    path, a, b, _ = stores
    saved_counts(a)  # counted, and kept on disk
    b.set_read(b.search_ids("musk")[:2])
    add_item(tmp_path / "feeds" / "wire.rss", item("https://w.example.org/k", "Tesla", "musk", 4))
    b.refresh()
    expected = [(query, *truth(path, query)) for query in QUERIES[:-1]]
    with FeedStore(path, ignore=IGNORE) as fresh:
        found, statements = counting(fresh, lambda: saved_counts(fresh))
    assert found == expected
    assert len(statements) == 1  # is:starred OR musk (asks for marks): counted every time
    b.save_search("z new", "police")  # any other change: counted again
    with FeedStore(path, ignore=IGNORE) as fresh:
        found, statements = counting(fresh, lambda: saved_counts(fresh))
    assert found == [*expected, ("police", *truth(path, "police"))]
    assert len(statements) > 10
    with FeedStore(path, ignore=IGNORE) as fresh:  # what the last one kept
        assert len(counting(fresh, lambda: saved_counts(fresh))[1]) == 1


def test_kept_counts_of_another_version_are_counted_again(
    stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, a, _, _ = stores
    saved_counts(a)
    monkeypatch.setattr(counts_module, "__version__", "99.0")
    with FeedStore(path, ignore=IGNORE) as fresh:
        found, statements = counting(fresh, lambda: saved_counts(fresh))
    assert len(statements) > 10
    assert found == [(query, *truth(path, query)) for query in QUERIES[:-1]]


def test_keeping_counts_never_waits_for_another_writer(stores: Stores) -> None:
    """While another process holds the write lock, counting is not held up by keeping the
    counts (the database's wait for a writer is 30 s): they are written at the next chance."""
    path, a, _, _ = stores
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        found = saved_counts(a)
        assert time.monotonic() - started < 10  # not the 30 s wait
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert found == [(query, *truth(path, query)) for query in QUERIES[:-1]]
    kept = sqlite3.connect(path)
    assert kept.execute("SELECT count(*) FROM kept_counts").fetchone()[0] == 0
    a.save_counts()  # the next chance
    assert kept.execute("SELECT count(*) FROM kept_counts").fetchone()[0] == len(QUERIES) - 2
    kept.close()


def compare(path: Path, store: FeedStore, queries: list[str], ignore: tuple[str, ...]) -> None:
    """``store`` answers every query, and lists sources, as a fresh store does."""
    for query in queries:
        assert store.count_matches(query) == truth(path, query, ignore), query
    with FeedStore(path, ignore=ignore) as fresh:
        assert groups(store) == groups(fresh)


def test_a_new_source_named_as_a_filter_is_not_followed_from_the_log(tmp_path: Path) -> None:
    """`source:foo` selects sources starting with "foo" until a source is named "foo"
    exactly; a new article bringing that name changes what the older articles match (here and
    in an ignore rule), so counts kept before are counted again."""
    path = tmp_path / "s.db"
    write(tmp_path / "foo-news" / "a.txt", "date 2021-03-01\nTesla à Pékin\n")
    with FeedStore(path) as first:
        first.index([str(tmp_path / "foo-news")])
    queries = ["source:foo", "source:foo tesla", "tesla", "", "is:ignored"]
    for ignore in ((), ("source:foo",)):
        with FeedStore(path, ignore=ignore) as kept, FeedStore(path) as other:
            compare(path, kept, queries, ignore)
            folder = write(
                tmp_path / f"foo{len(ignore)}" / "foo" / "b.txt", "date 2021-03-02\nTesla\n"
            )
            other.index([str(folder.parent)])  # new articles only, of a source named "foo"
            compare(path, kept, queries, ignore)
            other.set_read(other.search_ids("tesla"))
            compare(path, kept, queries, ignore)


def rss_by(items: list[tuple[str, str]]) -> str:
    """A local feed of items (guid, author) about Tesla."""
    entries = "".join(
        f"<item><title>Tesla {guid}</title><guid>https://t.example/{guid}</guid>"
        f"<dc:creator>{author}</dc:creator><pubDate>0{n + 1} Nov 2026 09:00:00 +0000</pubDate>"
        "<description>Tesla</description></item>"
        for n, (guid, author) in enumerate(items)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>T</title>{entries}</channel></rss>"
    )


def test_a_new_author_named_as_a_filter_is_not_followed_from_the_log(tmp_path: Path) -> None:
    """`author:doe` finds "Jane Doe" until an author is named "Doe" exactly."""
    for ignore in ((), ("author:doe",)):
        path = tmp_path / f"a{len(ignore)}.db"
        feed = write(
            tmp_path / f"t{len(ignore)}.rss", rss_by([("1", "Jane Doe"), ("2", "Ann Roe")])
        )
        queries = ["author:doe", "author:doe tesla", "tesla", "", "is:ignored"]
        with FeedStore(path, ignore=ignore) as kept:
            kept.subscribe(str(feed))
            kept.refresh()
            compare(path, kept, queries, ignore)
            feed.write_text(rss_by([("1", "Jane Doe"), ("2", "Ann Roe"), ("3", "Doe")]))
            kept.refresh()  # one new item, by "Doe"
            compare(path, kept, queries, ignore)


def test_a_change_by_an_older_version_is_not_followed_from_the_log(stores: Stores) -> None:
    """A process of a version before schema 10 (still open after the upgrade) moves the
    generation alone and empties the log when it changes content: counts are counted again."""
    path, a, b, c = stores
    check(path, a, b, c)
    (article, *_) = a.search_ids("tesla")
    late = FeedStore(path, ignore=IGNORE)  # looks again only after this version's next change
    for query in QUERIES:
        late.count_matches(query)
    older = sqlite3.connect(path, isolation_level=None)
    older.execute("BEGIN IMMEDIATE")  # what its Database.transaction did for a change
    older.execute("UPDATE articles SET source = 'numerama' WHERE id = ?", (article,))
    older.execute("UPDATE generation SET n = n + 1 WHERE id = 1")
    older.execute("DELETE FROM read_log")
    older.execute("COMMIT")
    older.close()
    b.index([str(write(Path(str(path) + "-new") / "n.txt", "date 2021-03-04\nMusk\n").parent)])
    with late:
        for query in QUERIES:
            assert late.count_matches(query) == truth(path, query), query
    check(path, a, b, c)
    b.set_read(b.search_ids("musk")[:3])  # marks of this version after it: still right
    check(path, a, b, c)
    a.index([str(write(Path(str(path) + "-more") / "x.txt", "date 2021-03-05\nTesla\n").parent)])
    check(path, a, b, c)


def test_a_file_restored_from_a_backup_under_an_open_store_is_counted_again(
    tmp_path: Path,
) -> None:
    """A backup put back (renamed over the file) while a store stays open: its counts from
    the newer file are of another history, though the restored file's numbers come again as
    it is written; neither that store nor a new one may take them (before, such a store
    followed the newer file's count in the restored one, and kept it there for the next)."""
    path, backup = tmp_path / "live.db", tmp_path / "backup.db"
    with FeedStore(path) as first:
        first.index([str(FEEDS)])
        first.save_search("m", "-musk")
        first.saved_searches()
        live, copy = sqlite3.connect(path), sqlite3.connect(backup)
        live.backup(copy)
        live.close()
        copy.close()
    kept = FeedStore(path)
    try:
        for i in range(3):
            write(tmp_path / "extra" / f"x{i}.txt", f"date 2026-11-0{i + 1}\nXiaomi {i}\n")
        kept.index([str(tmp_path / "extra")])
        for i in range(3):  # changes that take the newer file's numbers past the backup's
            kept.save_search(f"o{i}", "tesla")
            kept.unsave_search(f"o{i}")
        assert saved_counts(kept) == [("-musk", *truth(path, "-musk", ()))]
        kept.db.close()  # (its connections; the store opens new ones on the restored file)
        os.replace(backup, path)
        with FeedStore(path) as other:  # the restored file is written on, its numbers go up
            for i in range(12):  # new articles: past the newer file's generation, same base
                folder = write(tmp_path / f"later{i}" / "a.txt", "date 2026-11-09\nOui\n").parent
                other.index([str(folder)])
            assert saved_counts(kept) == [("-musk", *truth(path, "-musk", ()))]
            ids = other.search_ids("-musk")
            for i in range(0, len(ids), 10):
                other.set_read(ids[i : i + 10])
                assert saved_counts(kept) == [("-musk", *truth(path, "-musk", ()))]
        kept.save_counts()
    finally:
        kept.close()
    with FeedStore(path) as fresh:
        assert saved_counts(fresh) == [("-musk", *truth(path, "-musk", ()))]


def test_content_changes_start_a_new_generation(tmp_path: Path) -> None:
    """Every write that is not only marks moves the generation and empties the log."""
    path = tmp_path / "g.db"
    with FeedStore(path) as s:
        s.index([str(FEEDS)])
        conn = sqlite3.connect(path)
        generation = conn.execute("SELECT n FROM generation").fetchone()[0]
        s.set_read(s.search_ids("")[:3])
        s.set_starred(s.search_ids("")[:3])
        assert conn.execute("SELECT n FROM generation").fetchone()[0] == generation
        assert conn.execute("SELECT count(*) FROM read_log WHERE total = 0").fetchone()[0] == 3
        s.save_search("m", "musk")
        assert conn.execute("SELECT n FROM generation").fetchone()[0] == generation + 1
        assert conn.execute("SELECT count(*) FROM read_log").fetchone()[0] == 0
        conn.close()


def test_a_change_landing_while_a_count_is_compiled_is_not_kept_stale(tmp_path: Path) -> None:
    """Compiling reads the source names; a new source committed between that and the count
    must not leave the count kept under the newer generation (it stayed (0, 0))."""
    path = tmp_path / "race.db"
    with FeedStore(path) as first:
        first.index([str(FEEDS / "techdaily")])
    new_source = write(tmp_path / "newsrc" / "a.txt", "date 2021-03-01\nXiaomi à Pékin\n").parent
    query = "source:newsrc xiaomi"
    with FeedStore(path) as reader, FeedStore(path) as writer:
        names = reader._sources

        def names_then_a_change() -> list[str]:
            found = names()
            writer.index([str(new_source)])  # lands after the names were read
            return found

        reader._sources = names_then_a_change  # type: ignore[method-assign]
        reader.count_matches(query)
        reader._sources = names  # type: ignore[method-assign]
        assert reader.count_matches(query) == truth(path, query, ()) == (1, 1)
        writer.set_read(writer.search_ids("xiaomi"))
        assert reader.count_matches(query) == truth(path, query, ()) == (1, 0)


def test_an_interrupted_load_of_the_logged_text_keeps_nothing_stale(tmp_path: Path) -> None:
    """An interruption while the logged articles' text is loaded rolls the temporary table
    back; what the store remembers of it must not say it was emptied (an article then matched
    on its text of the previous generation: unread 1 of total 0)."""
    feed = write(tmp_path / "ev.rss", (FEEDS / "syndicated" / "ev-briefing.rss").read_text())
    path = tmp_path / "i.db"
    with FeedStore(path) as first:
        first.subscribe(str(feed))
        first.refresh()
    query = "grunheide"
    with FeedStore(path) as reader, FeedStore(path) as writer:
        (article,) = writer.search_ids(query)
        reader.count_matches(query)
        writer.set_read([article])
        assert reader.count_matches(query) == (1, 0)  # the article's text is in the table now
        feed.write_text(feed.read_text().replace("Grünheide", "Hamburg"))
        writer.refresh()  # its text changes: a new generation
        assert reader.count_matches(query) == truth(path, query, ()) == (0, 0)
        writer.set_read([article], False)
        conn = reader.db.conn

        def interrupt_the_load(statement: str) -> None:
            if statement.startswith("INSERT INTO temp.logged_fts"):
                conn.set_progress_handler(lambda: 1, 1)

        conn.set_trace_callback(interrupt_the_load)
        with pytest.raises(sqlite3.OperationalError):
            reader.count_matches(query)
        conn.set_trace_callback(None)
        conn.set_progress_handler(None, 1)
        assert reader.count_matches(query) == truth(path, query, ()) == (0, 0)


def test_the_logged_text_stays_bounded_in_a_long_session(
    stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading article after article with no other change: the temporary table of logged
    text holds the articles of at most twice the log's limit, and every count stays right."""
    monkeypatch.setattr(counts_module, "LOG_MAX", 3)
    path, a, b, _ = stores
    ids = [row[0] for row in a.db.conn.execute("SELECT id FROM articles ORDER BY id")]
    a.count_matches("tes*")  # kept from now on
    for article in ids[:30]:
        b.set_read([article])
        assert a.count_matches("tes*") == truth(path, "tes*")
        held = a.db.conn.execute("SELECT count(*) FROM temp.logged_fts").fetchone()[0]
        assert held <= 2 * 3
