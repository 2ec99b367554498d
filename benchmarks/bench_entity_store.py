"""CPU of the entity store's own work around the extractor, two trees interleaved.

    python benchmarks/bench_entity_store.py STORE.db --trees OLD NEW [--rounds 3]

STORE.db: a store indexed without entities (``newsreader index DIR --no-entities``). The
extractor's answers for every pending article are recorded once (in this process, with the
installed or importable extractor, no known names: a fresh store's first run), then each
round runs each tree in a process of its own (``PYTHONPATH=TREE``) on a fresh copy of the
store, with the extractor replaced by a lookup of those answers: a worker's path batch by
batch (``extract_batch``: the extractor's spans resolved to names and keys; ``EntityWriter``:
the mentions and new entities written, one transaction a batch), then the caller's
``recount_all`` and ``consolidate``. Prints the CPU seconds of each part, per tree and round,
and the medians; each run's output (entities and mentions, ids included) is hashed so that
a difference shows.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BATCH = 500

_CHILD = r"""
import json, pickle, sys, time
tree, answers_path, db = sys.argv[1:4]
sys.path.insert(0, tree)
import reader.entities as entities
import reader.store.entities as E
assert E.__file__.startswith(tree), E.__file__
from reader.store.database import Database
from reader.textutil import without_code
with open(answers_path, "rb") as f:
    order, answers = pickle.load(f)

class Recorded:
    def extract(self, text, known, lang):
        return list(answers[text])

entities._rules = lambda: Recorded()
extractor = entities.get_extractor("rules")
d = Database(db, create=False)
d.conn.execute(f"PRAGMA cache_size=-{E.WORKER_CACHE_KIB}")
writer = E.EntityWriter(d)
cpu = time.process_time
parts = {"extract_batch": 0.0, "write": 0.0}
for i in range(0, len(order), BATCH):
    pending = E.read_pending(d.conn, order[i : i + BATCH])
    t = cpu()
    results = E.extract_batch(extractor, pending, {})
    parts["extract_batch"] += cpu() - t
    t = cpu()
    writer.write(results)
    parts["write"] += cpu() - t
t = cpu(); E.recount_all(d); parts["recount_all"] = cpu() - t
t = cpu()
with d.transaction(E.Change.ENTITIES) as tx:
    E.consolidate(tx)
parts["consolidate"] = cpu() - t
print(json.dumps(parts))
""".replace("BATCH", str(BATCH))


def record(store: Path, out: Path) -> None:
    """The extractor's answers for every pending article of ``store``, by text."""
    from reader.entities import _rules
    from reader.store.database import Database
    from reader.store.entities import read_pending
    from reader.textutil import without_code

    db = Database(store, create=False)
    order = [
        r[0]
        for r in db.conn.execute("SELECT id FROM articles WHERE entities_done = 0 ORDER BY id DESC")
    ]
    rules = _rules()
    answers = {}
    for i in range(0, len(order), BATCH):
        for a in read_pending(db.conn, order[i : i + BATCH]):
            text = without_code(a.body)
            answers[text] = rules.extract(text, {}, a.language)
    db.close()
    with open(out, "wb") as f:
        pickle.dump((order, answers), f)


def digest(db: Path) -> str:
    conn = sqlite3.connect(db)
    h = hashlib.sha256()
    for sql in (
        "SELECT id, key, kind, name, articles, first_date, last_date FROM entities ORDER BY id",
        'SELECT article, start, "end", entity FROM mentions ORDER BY article, start',
    ):
        for row in conn.execute(sql):
            h.update(repr(row).encode())
    conn.close()
    return h.hexdigest()[:16]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--trees", nargs="+", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        answers = Path(tmp) / "answers.pkl"
        record(args.store, answers)
        runs: dict[str, list[dict[str, float]]] = {t: [] for t in args.trees}
        for r in range(args.rounds):
            for tree in args.trees:
                db = Path(tmp) / f"r{r}-{len(runs[tree])}-{abs(hash(tree))}.db"
                shutil.copy(args.store, db)
                env = {**os.environ, "PYTHONPATH": tree}
                out = subprocess.run(
                    [sys.executable, "-c", _CHILD, tree, str(answers), str(db)],
                    capture_output=True,
                    text=True,
                    env=env,
                    check=True,
                )
                parts = json.loads(out.stdout)
                parts["total"] = sum(parts.values())
                runs[tree].append(parts)
                shown = "  ".join(f"{k} {v:.3f}" for k, v in parts.items())
                print(f"round {r + 1} {tree}: {shown}  output {digest(db)}", flush=True)
                db.unlink()
        for tree, rows in runs.items():
            shown = "  ".join(
                f"{k} {statistics.median(x[k] for x in rows):.3f}"
                f" ({min(x[k] for x in rows):.3f}-{max(x[k] for x in rows):.3f})"
                for k in rows[0]
            )
            print(f"median {tree}: {shown}")


if __name__ == "__main__":
    main()
