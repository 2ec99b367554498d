"""Entity counts after a small extraction (a refresh's few articles): only the entities the
run wrote are counted again, and they equal a count of every entity."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

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
