"""Entity counts after a small extraction (a refresh's few articles): only the entities the
run wrote are counted again, and they equal a count of every entity."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from reader.store import FeedStore
from reader.store.entities import recount_all

from .conftest import FEEDS, write

ENTITIES = "SELECT id, key, kind, articles, first_date, last_date FROM entities ORDER BY id"


def test_a_small_extraction_counts_its_entities_as_a_full_count_would(tmp_path: Path) -> None:
    path = tmp_path / "e.db"
    with FeedStore(path) as store:
        store.index([str(FEEDS)])
        store.extract_entities(workers=0)
        before = dict(
            store.db.conn.execute("SELECT key, articles FROM entities WHERE kind = 'PERSON'")
        )
        folder = write(
            tmp_path / "more" / "a.txt",
            "date 2026-12-01 Elon Musk à Pékin\n\nElon Musk a rencontré Zorbaline Quintavalle "
            "à Pékin, dit l'agence.\n",
        ).parent
        store.index([str(folder)])
        statements: list[str] = []
        store.db.conn.set_trace_callback(statements.append)
        store.extract_entities(workers=0)
        store.db.conn.set_trace_callback(None)
        after = store.db.conn.execute(ENTITIES).fetchall()
        recount_all(store.db)  # every entity counted: the same
        assert store.db.conn.execute(ENTITIES).fetchall() == after
    # Not every entity (recount_all's chunks), only the run's.
    assert not [s for s in statements if re.search(r"WHERE id >= \d+ AND id < \d+", s)]
    assert [s for s in statements if s.startswith("UPDATE entities SET articles")]
    counts = {key: n for _, key, kind, n, _, _ in after if kind == "PERSON"}
    assert counts["elon musk"] == before["elon musk"] + 1
    assert counts["zorbaline quintavalle"] == 1
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM entities WHERE articles = 0").fetchone()[0] == 0
    conn.close()


def stopped_in_second_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Extraction stops (Ctrl-C, the reader quitting) while it reads its second batch."""
    from reader.store import entities

    real = entities.extract_batch
    calls = [0]

    def batch(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        if calls[0] == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(entities, "extract_batch", batch)


def test_a_stopped_extraction_leaves_no_count_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entities known before, mentioned again by a small run stopped after its first batch:
    the batch written counted its entities with it (before, the count came at the run's end,
    and the next small run counted only its own)."""
    for i in range(520):  # more than a batch (500)
        day = f"{i % 28 + 1:02d}"
        write(tmp_path / "old" / f"o{i}.txt", f"date 2026-10-{day} A\n\nQuintavalle{i} à Lyon.\n")
        write(tmp_path / "new" / f"n{i}.txt", f"date 2026-11-{day} B\n\nQuintavalle{i} à Lyon.\n")
    path = tmp_path / "s.db"
    with FeedStore(path) as store:
        store.index([str(tmp_path / "old")])
        store.extract_entities(workers=0)
        store.index([str(tmp_path / "new")])
        with monkeypatch.context() as patch:
            stopped_in_second_batch(patch)
            with pytest.raises(KeyboardInterrupt):
                store.extract_entities(workers=0)
        conn = store.db.conn
        assert conn.execute("SELECT count(*) FROM articles WHERE entities_done = 0").fetchone() == (
            20,
        )  # one batch of the new articles written
        after = conn.execute(ENTITIES).fetchall()
        recount_all(store.db)
        assert conn.execute(ENTITIES).fetchall() == after


def test_batches_written_by_workers_are_counted_by_the_next_run(tmp_path: Path) -> None:
    """Batches written without their count (as the worker processes write them) mark the
    database; a run stopped before its full count leaves the mark, and the next run, however
    small, counts every entity."""
    from reader.store.entities import EntityWriter, extract_batch, memory, read_pending

    for i in range(20):
        write(
            tmp_path / "old" / f"o{i}.txt",
            f"date 2026-10-{i % 28 + 1:02d} A\n\nQuintavalle{i} à Lyon.\n",
        )
        write(
            tmp_path / "new" / f"n{i}.txt",
            f"date 2026-11-{i % 28 + 1:02d} B\n\nQuintavalle{i} à Lyon.\n",
        )
    path = tmp_path / "w.db"
    with FeedStore(path) as store:
        store.index([str(tmp_path / "old")])
        store.extract_entities(workers=0)
        store.index([str(tmp_path / "new")])
        conn = store.db.conn
        ids = [r[0] for r in conn.execute("SELECT id FROM articles WHERE entities_done = 0")]
        results = extract_batch(store.extractor, read_pending(conn, ids), memory(conn))
        EntityWriter(store.db).write(results)  # a worker's batch; the run dies before its count
        assert conn.execute("SELECT entities_dirty FROM generation").fetchone() == (1,)
        write(tmp_path / "more" / "m.txt", "date 2026-12-01 C\n\nElon Musk à Pékin.\n")
        store.index([str(tmp_path / "more")])
        store.extract_entities(workers=0)
        after = conn.execute(ENTITIES).fetchall()
        assert conn.execute("SELECT entities_dirty FROM generation").fetchone() == (0,)
        recount_all(store.db)
        assert conn.execute(ENTITIES).fetchall() == after


def test_a_writer_with_a_small_entity_cache_writes_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache of entity ids is bounded (``CACHE_MAX``): emptied between batches, it is
    looked up again, and the same entities and mentions are written."""
    from reader.store import entities

    def mentions(db: Path) -> list[tuple[object, ...]]:
        with FeedStore(db) as store:
            return store.db.conn.execute(
                'SELECT a.uid, m.start, m."end", e.key, e.kind, e.articles FROM mentions m '
                "JOIN articles a ON a.id = m.article JOIN entities e ON e.id = m.entity "
                "ORDER BY 1, 2, 3"
            ).fetchall()

    runs = []
    for cap in (entities.CACHE_MAX, 3):
        monkeypatch.setattr(entities, "CACHE_MAX", cap)
        db = tmp_path / f"cap{cap}.db"
        with FeedStore(db) as store:
            store.index([str(FEEDS)])
            # batches of 5: the small cache is emptied between them
            assert entities.extract_pending(store.db, store.extractor, batch=5) == 50
        runs.append(mentions(db))
    assert runs[0] and runs[0] == runs[1]
