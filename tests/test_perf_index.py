"""Indexing in bounded memory: the walk is lazy, batches are bounded in bytes, moves are found
by hash when written, removals come in chunks; FTS5's automerge and the WAL's checkpoint
interval are back to their defaults after a run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.store import FeedStore
from reader.store import index as ix

from .conftest import write


def rss(feed: int, items: int) -> str:
    entries = "".join(
        f"<item><title>Feed {feed} item {i}</title><guid>urn:f{feed}:{i}</guid>"
        f"<pubDate>Mon, {i % 28 + 1:02d} Jun 2026 10:00:00 GMT</pubDate>"
        f"<description>{'Xiaomi et Tesla à Pékin. ' * 20}</description></item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}</title>'
        f"{entries}</channel></rss>"
    )


def texts(root: Path, count: int, tag: str = "") -> Path:
    for i in range(count):
        write(root / "wire" / f"{i:05d}.txt", f"date 2022-03-{i % 28 + 1:02d} Article {i}{tag}.")
    return root


def test_feed_files_are_batched_by_bytes(
    tmp_path: Path, store: FeedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    for f in range(12):
        write(tmp_path / "feeds" / f"f{f:02d}.xml", rss(f, 30))
    size = (tmp_path / "feeds" / "f00.xml").stat().st_size
    monkeypatch.setattr(ix, "BATCH_BYTES", 2 * size)  # two files a batch, not a thousand
    calls: list[tuple[int, int]] = []
    report = store.index([str(tmp_path / "feeds")], lambda done, total: calls.append((done, total)))
    assert report.added == 12 * 30 and report.failed == []
    assert calls[-1] == (12, 12)
    assert len(calls) == 1 + 6  # before the first write, then once per batch of two files


def test_the_walk_is_lazy(
    tmp_path: Path, store: FeedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = texts(tmp_path / "src", 400)
    monkeypatch.setattr(ix, "SCAN_CHUNK", 50)
    walked = 0
    walk = ix._walk

    def counting(*args: object) -> object:
        nonlocal walked
        for entry in walk(*args):  # type: ignore[arg-type]
            walked += 1
            yield entry

    monkeypatch.setattr(ix, "_walk", counting)
    at_first_write: list[int] = []
    write_batch = ix.Indexer._write

    def first(self: ix.Indexer, batch: list[ix.Loaded]) -> None:
        if not at_first_write:
            at_first_write.append(walked)
        write_batch(self, batch)

    monkeypatch.setattr(ix.Indexer, "_write", first)
    report = FeedStore(store.path).index([str(src)], batch_size=10)
    assert report.added == 400
    assert at_first_write[0] < 200  # written while the folder is still being walked


def test_moves_and_copies_found_by_hash_and_removals_in_chunks(
    tmp_path: Path, store: FeedStore
) -> None:
    src = texts(tmp_path / "src", 2500)
    assert store.index([str(src)]).added == 2500
    moved = src / "wire" / "00007.txt"
    uid = store.search("")[0].uid
    target = store.search_ids("")[-1]
    store.set_starred([target])
    starred_path = store.article(target).path  # type: ignore[union-attr]
    data = Path(starred_path).read_bytes()
    Path(starred_path).unlink()
    write(src / "aaa" / "one.txt", data)  # the first of these found is the moved file,
    write(src / "zzz" / "two.txt", data)  # the other one (the same bytes) a new article
    for i in range(1000, 2200):
        (src / "wire" / f"{i:05d}.txt").unlink()
    report = store.index([str(src)])
    assert (report.moved, report.added, report.removed) == (1, 1, 1200)
    assert store.count() == 2500 - 1200 + 1
    assert store.article(target).starred  # type: ignore[union-attr]
    assert store.article(target).path.endswith(("one.txt", "two.txt"))  # type: ignore[union-attr]
    assert moved.exists() and store.article(uid) is not None
    again = store.index([str(src)])
    assert (again.added, again.updated, again.moved, again.removed) == (0, 0, 0, 0)


def test_automerge_is_back_to_the_default_after_a_run(tmp_path: Path, store: FeedStore) -> None:
    store.index([str(texts(tmp_path / "src", 30))])
    conn = sqlite3.connect(store.path)
    try:
        value = conn.execute("SELECT v FROM articles_fts_config WHERE k = 'automerge'").fetchone()
    finally:
        conn.close()
    assert value == (4,)


def test_the_wal_checkpoints_less_often_only_while_indexing(
    tmp_path: Path, store: FeedStore
) -> None:
    def pages() -> int:
        return int(store.db.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])

    during: list[int] = []
    store.index([str(texts(tmp_path / "src", 30))], lambda done, total: during.append(pages()))
    assert during and set(during) == {ix.WAL_PAGES}  # FTS5's merges rewrite the same pages
    assert pages() == 1000  # SQLite's default again for the writes that follow


def test_the_wal_is_cut_back_after_an_index_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The larger checkpoint interval lets the WAL grow during a run (about 80 MiB on a large
    one); a reader open for hours must not keep that: the next write cuts it back."""
    import reader.store.database as database

    monkeypatch.setattr(database, "WAL_KEEP_BYTES", 64 << 10)
    db = tmp_path / "w.db"
    wal = Path(str(db) + "-wal")
    with FeedStore(db) as store:
        store.index([str(texts(tmp_path / "src", 2000))])
        grown = wal.stat().st_size
        store.set_read([store.search_ids("")[0]])  # the next write, the store still open
        assert grown > 1 << 20 and wal.stat().st_size < 256 << 10
