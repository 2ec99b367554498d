"""The entity store's quicker paths give what the general ones give: the built-in
extractor's plain spans, the ASCII keys, new entities' ids given in one statement."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.entities import get_extractor
from reader.model import EntityKind, Mention
from reader.store import FeedStore
from reader.store.entities import EntityWriter, Extracted, Pending, extract_batch
from reader.store.query import entity_key
from reader.textutil import fold

from .conftest import FEEDS, write

TEXTS = [
    ("Elon Musk a rencontré Lei Jun à Pékin. Musk et la Commission européenne.", "fr"),
    ("Angela Merkel met Emmanuel Macron in Berlin. Merkel thanked the United Nations.", "en"),
    ("Dortmund beat Mainz 2-1 in the Bundesliga; the coach praised the striker's goal.", "en"),
]


def test_the_rules_spans_are_the_mentions_extract_gives() -> None:
    rules = get_extractor("rules")
    for text, lang in TEXTS:
        spans = rules.spans(text, lang, {})  # type: ignore[attr-defined]
        assert spans == [(m.start, m.end, m.kind) for m in rules.extract(text, lang, {})]
        assert spans


class MentionsOnly:
    """An extractor with ``extract`` alone, giving EntityKind members (as spaCy's does)."""

    name = "mentions-only"

    def extract(self, text: str, lang: str | None = None, known: object = None) -> list[Mention]:
        rules = get_extractor("rules")
        return [
            Mention(s, e, EntityKind(k))
            for s, e, k in rules.spans(text, lang, known)  # type: ignore[attr-defined]
        ]


def test_an_extractor_of_mentions_is_resolved_as_the_rules_spans_are() -> None:
    pending = [Pending(i, f"h{i}", lang, text) for i, (text, lang) in enumerate(TEXTS, 1)]
    plain = extract_batch(get_extractor("rules"), pending, {})
    assert extract_batch(MentionsOnly(), pending, {}) == plain
    assert any(kind == "PERSON" and name == "Elon Musk" for _, _, kind, name, _ in plain[0][2])
    for _, _, kind, _, _ in plain[0][2]:
        assert type(kind) is str


def test_ascii_keys_are_the_folded_keys() -> None:
    ascii = [chr(i) for i in range(128)]
    for a in ascii:
        for b in ascii:
            name = f"{a}Ab{b} C"
            assert entity_key(name) == " ".join(fold(name).replace("’", "'").split())
    assert entity_key("  Élysée  Palace ") == "elysee palace"
    assert entity_key("L’Oréal") == "l'oreal"


def test_new_entities_get_the_ids_single_inserts_would(tmp_path: Path) -> None:
    """Each new entity one more than the largest id (a deleted largest id is given again), in
    the order the batch first names them; known ones keep theirs."""
    with FeedStore(tmp_path / "s.db") as store:
        store.index([str(FEEDS)])
        store.extract_entities(workers=0)
        conn = store.db.conn
        top, key = conn.execute("SELECT id, key FROM entities ORDER BY id DESC").fetchone()
        with store.db.transaction() as tx:
            tx.execute("DELETE FROM mentions WHERE entity = ?", (top,))
            tx.execute("DELETE FROM entities WHERE id = ?", (top,))
        known_id, known_key, known_kind = conn.execute(
            "SELECT id, key, kind FROM entities ORDER BY id LIMIT 1"
        ).fetchone()
        folder = write(tmp_path / "new" / "a.txt", "date 2026-12-01 T\n\nQuelque chose.\n").parent
        store.index([str(folder)])
        (rowid, digest) = conn.execute(
            "SELECT id, hash FROM articles WHERE entities_done = 0"
        ).fetchone()
        mentions = [
            (0, 3, "PERSON", "Zed Quarto", "zed quarto"),
            (4, 7, known_kind, "Known", known_key),
            (8, 11, "PLACE", "Vexlar", "vexlar"),
            (12, 15, "PERSON", "Zed Quarto", "zed quarto"),
            (16, 19, "ORG", "Zed Quarto", "zed quarto"),
        ]
        EntityWriter(store.db).write([Extracted(rowid, digest, mentions)])
        ids = dict(
            conn.execute("SELECT key || '/' || kind, id FROM entities WHERE id >= ?", (top,))
        )
        assert ids == {"zed quarto/PERSON": top, "vexlar/PLACE": top + 1, "zed quarto/ORG": top + 2}
        got = conn.execute(
            "SELECT start, entity FROM mentions WHERE article = ? ORDER BY start", (rowid,)
        ).fetchall()
        assert got == [(0, top), (4, known_id), (8, top + 1), (12, top), (16, top + 2)]
        assert key not in ids
    conn2 = sqlite3.connect(tmp_path / "s.db")
    assert conn2.execute("SELECT count(*) FROM entities WHERE id > ?", (top + 2,)).fetchone() == (
        0,
    )
    conn2.close()


def test_the_last_batches_handed_to_workers_are_smaller(tmp_path: Path) -> None:
    """Full batches until the last two per worker, then shares of what is left, down to a
    tenth of a batch; every pending article handed out once, newest first."""
    from concurrent.futures import Future

    from reader.store.entities import _Batches, _feed_workers, tail_batch

    assert [tail_batch(500, left, 2) for left in (10_000, 2000, 1999, 1000, 300, 10)] == [
        500,
        500,
        499,
        250,
        75,
        50,
    ]
    for i in range(60):
        write(tmp_path / "f" / f"{i}.txt", f"date 2026-10-{i % 28 + 1:02d} T{i}\n\nTexte {i}.\n")
    with FeedStore(tmp_path / "b.db") as store:
        store.index([str(tmp_path / "f")])
        conn = store.db.conn
        pending = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id DESC")]
        handed: list[list[int]] = []

        class Pool:
            def submit(self, job: object, ids: list[int]) -> Future[int]:
                handed.append(ids)
                with store.db.transaction() as tx:
                    tx.executemany(
                        "UPDATE articles SET entities_done = 1 WHERE id = ?", [(i,) for i in ids]
                    )
                done: Future[int] = Future()
                done.set_result(len(ids))
                return done

        out = _Batches()
        _feed_workers(store.db, Pool(), out, 2, len(pending), None, 10)
    assert [len(ids) for ids in handed] == [10, 10, 10, 7, 5, 4, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1]
    assert [i for ids in handed for i in ids] == pending
    assert out.done == 60
