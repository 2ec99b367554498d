"""Kills, concurrent writers, damaged and full databases: nothing committed is lost, the next run
finishes the work, and every problem is one line with a way out."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from reader.store import FeedStore
from reader.store.database import translate

from .conftest import write
from .test_robustness import newsreader, one_line, start

WORDS = "Xiaomi Tesla Pékin voiture batterie usine prix marché défi annonce Shanghai".split()


def make_corpus(root: Path, count: int, seed: int = 3, edition: str = "") -> Path:
    rng = random.Random(seed)
    for i in range(count):
        body = " ".join(rng.choice(WORDS) for _ in range(120))
        write(
            root / "wire" / f"{i:05d}.txt",
            f"date 2022-{i % 12 + 1:02d}-{i % 28 + 1:02d}\n\nArticle {i}{edition}. {body}.\n",
        )
    return root


def check_intact(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        orphans = conn.execute(
            "SELECT count(*) FROM articles WHERE doc NOT IN (SELECT doc FROM bodies)"
        ).fetchone()[0]
        assert orphans == 0
    finally:
        conn.close()


def states(db: Path) -> dict[str, tuple[int, int]]:
    conn = sqlite3.connect(db)
    try:
        return {
            uid: (read, starred)
            for uid, read, starred in conn.execute("SELECT uid, read, starred FROM articles")
        }
    finally:
        conn.close()


# -- kill -9 -----------------------------------------------------------------------------------
def test_index_killed_at_random_points_loses_nothing(tmp_path: Path) -> None:
    src = make_corpus(tmp_path / "src", 1500)
    db = tmp_path / "k.db"
    assert newsreader("index", str(src), "--no-entities", "--db", str(db)).returncode == 0
    with FeedStore(db) as store:
        ids = store.search_ids("")
        store.set_read(ids[::3])
        store.set_starred(ids[::7])
    before = states(db)
    rng = random.Random(11)
    kills = 0
    for edition in range(2, 8):  # each round edits every file again: work to interrupt
        make_corpus(src, 2500, edition=f" (édition {edition})")  # 1,500 edited, 1,000 new
        proc = start("index", str(src), "--db", str(db))  # with entity extraction
        time.sleep(rng.uniform(0.3, 2.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        kills += proc.returncode == -signal.SIGKILL
        check_intact(db)
        now = states(db)
        for uid, state in before.items():
            assert now.get(uid, state) == state  # committed state stays with its article
    assert kills >= 4
    final = newsreader("index", str(src), "--db", str(db))
    assert final.returncode == 0, final.stderr
    check_intact(db)
    with FeedStore(db) as store:
        assert store.count() == 2500
        assert len(store.search_ids("édition")) == 2500
        assert store.db.conn.execute(
            "SELECT count(*) FROM articles WHERE entities_done = 0"
        ).fetchone() == (0,)
    assert {uid: states(db)[uid] for uid in before} == before


def rss(feed: int, items: int, edition: int = 0) -> bytes:
    entries = "".join(
        f"<item><title>Feed {feed} item {i} v{edition}</title><guid>https://f{feed}.example/{i}"
        f"</guid><pubDate>Mon, {i % 28 + 1:02d} Jun 2026 10:00:00 GMT</pubDate>"
        f"<description>Xiaomi and Tesla in Beijing, item {i}, edition {edition}.</description>"
        "</item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}</title>'
        f"{entries}</channel></rss>"
    ).encode()


@pytest.fixture
def feeds(httpserver: HTTPServer) -> Iterator[list[str]]:
    editions = {"n": 0}
    urls = []
    for f in range(40):
        path = f"/feed{f}.xml"
        httpserver.expect_request(path).respond_with_handler(
            lambda request, f=f: __import__("werkzeug").Response(
                rss(f, 60, editions["n"]), content_type="application/rss+xml"
            )
        )
        urls.append(httpserver.url_for(path))
    yield urls


def test_refresh_killed_at_random_points_loses_nothing(tmp_path: Path, feeds: list[str]) -> None:
    db = tmp_path / "r.db"
    with FeedStore(db) as store:
        for url in feeds:
            store.subscribe(url)
    rng = random.Random(5)
    for _ in range(5):
        proc = start("refresh", "--db", str(db))
        time.sleep(rng.uniform(0.3, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        check_intact(db)
    with FeedStore(db) as store:
        ids = store.search_ids("")
        store.set_read(ids[::2])
        store.set_starred(ids[::5])
    before = states(db)
    for _ in range(3):
        proc = start("refresh", "--db", str(db))
        time.sleep(rng.uniform(0.2, 1.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        check_intact(db)
        now = states(db)
        assert all(now.get(uid, s) == s for uid, s in before.items())
    final = newsreader("refresh", "--db", str(db))
    assert final.returncode == 0, final.stderr
    with FeedStore(db) as store:
        assert store.count() == 40 * 60
    assert {uid: states(db)[uid] for uid in before} == before


# -- concurrent writers -----------------------------------------------------------------------
def test_two_refreshes_and_an_index_at_once(tmp_path: Path, feeds: list[str]) -> None:
    db = tmp_path / "c.db"
    src = make_corpus(tmp_path / "src", 1200)
    with FeedStore(db) as store:
        for url in feeds:
            store.subscribe(url)
    procs = [
        start("refresh", "--db", str(db)),
        start("index", str(src), "--db", str(db)),
        start("refresh", "--no-entities", "--db", str(db)),
    ]
    marks = 0
    with FeedStore(db) as store:  # the reader marking articles while they work
        while any(p.poll() is None for p in procs):
            ids = store.search_ids("", limit=50)
            if ids:
                store.set_read(ids[:10])
                store.set_starred(ids[10:12])
                marks += 1
            time.sleep(0.05)
    for proc in procs:
        _, err = proc.communicate()
        assert proc.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err
    check_intact(db)
    with FeedStore(db) as store:
        assert store.count() == 40 * 60 + 1200
    assert marks > 0


# -- damaged, read-only and full databases ----------------------------------------------------
@pytest.fixture
def filled(tmp_path: Path) -> Path:
    src = make_corpus(tmp_path / "src", 3000)
    db = tmp_path / "filled.db"
    assert newsreader("index", str(src), "--no-entities", "--db", str(db)).returncode == 0
    with FeedStore(db) as store:
        ids = store.search_ids("")
        store.set_read(ids[::3])
        store.set_starred(ids[::5])
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def test_a_corrupted_database_is_one_line_and_rebuild_keeps_what_it_can(filled: Path) -> None:
    """Garbage over the pages that hold the newest articles, which any search reads first.
    (Random bytes at a third of the file, as before, fell in 2 runs out of 8 on pages this
    search does not read, or on FTS5 data read as no match: exit 0, nothing said.)"""
    before = states(filled)
    with contextlib.closing(sqlite3.connect(filled)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        leaves = [
            page
            for (page,) in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'articles' AND pagetype = 'leaf' "
                "ORDER BY path"
            )
        ]
    assert len(leaves) > 20
    with open(filled, "r+b") as fh:
        for page in leaves[-2:]:  # the newest ids: the last leaves of the table
            garbage = bytearray(random.Random(page).randbytes(page_size))
            garbage[0] = 0  # no page type SQLite knows
            fh.seek((page - 1) * page_size)
            fh.write(garbage)
    proc = newsreader("search", "", "--db", str(filled))  # the newest articles first
    assert proc.returncode == 1 and one_line(proc.stderr) and "--rebuild" in proc.stderr
    src = filled.parent / "src"
    proc = newsreader("index", str(src), "--rebuild", "--no-entities", "--db", str(filled))
    assert proc.returncode == 0, proc.stderr
    assert "rebuild: kept" in proc.stderr and "before-rebuild-" in proc.stderr
    check_intact(filled)
    after = states(filled)
    assert len(after) == 3000  # what was lost came back from the files
    kept = sum(after[uid] == state for uid, state in before.items())
    assert kept / len(before) > 0.9  # read and starred state survived outside the damage
    assert list(filled.parent.glob("filled.db.before-rebuild-*"))  # the old file is kept


def test_a_truncated_database_is_one_line(filled: Path) -> None:
    with open(filled, "r+b") as fh:
        fh.truncate(filled.stat().st_size // 2)
    proc = newsreader("search", "tesla", "--limit", "0", "--db", str(filled))
    assert proc.returncode == 1 and one_line(proc.stderr) and "damaged" in proc.stderr
    proc = newsreader("index", "--rebuild", "--no-entities", "--db", str(filled))
    assert proc.returncode == 0, proc.stderr  # the SOURCE it was built from, indexed again
    check_intact(filled)
    with FeedStore(filled) as store:
        assert store.count() == 3000


def stored(db: Path) -> dict[str, tuple[int, int, int, str]]:
    """Each article's id, read and starred marks and body, by uid."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return {
            uid: (rowid, read, starred, body)
            for uid, rowid, read, starred, body in conn.execute(
                "SELECT a.uid, a.id, a.read, a.starred, b.body FROM articles a "
                "LEFT JOIN bodies b ON b.doc = a.doc"
            )
        }


def test_rebuild_keeps_articles_whose_bodies_are_lost_and_indexing_brings_the_text_back(
    tmp_path: Path,
) -> None:
    """The root page of ``bodies`` overwritten (no body can be read): the rebuild dropped
    every article with its marks while saying "kept 50 articles", and the next `index` added
    them again unread. They are kept with an empty text, found by a search, and the next
    `index` (text files, a feed file) and `refresh` (a subscribed feed) put their text back
    in place: same ids and uids, marks kept, no article twice."""
    from reader.store.rebuild import rebuild

    src = make_corpus(tmp_path / "src", 60)
    write(src / "wire" / "feed.rss", rss(0, 10))
    subscribed = write(tmp_path / "sub.xml", rss(1, 8))
    db = tmp_path / "b.db"
    with FeedStore(db) as store:
        store.index([str(src)])
        store.subscribe(str(subscribed))
        store.refresh()
        ids = store.search_ids("")
        store.set_read(ids[::2])
        store.set_starred(ids[::3])
        store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = stored(db)
    assert len(before) == 78 and all(body for *_, body in before.values())
    with contextlib.closing(sqlite3.connect(db)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'bodies'"
        ).fetchone()
    with open(db, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xff" * page_size)

    summary = rebuild(db).summary()
    check_intact(db)
    kept = stored(db)
    assert {uid: (r[:3], r[3]) for uid, r in kept.items()} == {
        uid: (r[:3], "") for uid, r in before.items()
    }
    with FeedStore(db) as store:
        assert {a.uid for a in store.search("")} == set(before)
        assert len(store.search_ids("Article")) == 60  # titles are still searched
    assert "78 articles lost their text" in summary  # ...and the rebuild says so
    with FeedStore(db) as store:
        indexed = store.index([str(src)])
        assert (indexed.added, indexed.updated) == (0, 70), indexed.summary()
        refreshed = store.refresh()
        assert (refreshed.items.added, refreshed.items.updated) == (0, 8), refreshed.summary()
        assert len(store.search_ids("batterie")) > 0  # the bodies' words are found again
    check_intact(db)
    assert stored(db) == before


def test_a_full_database_keeps_what_was_committed(tmp_path: Path) -> None:
    db = tmp_path / "full.db"
    make_corpus(tmp_path / "a", 200)
    with FeedStore(db) as store:
        store.index([str(tmp_path / "a")])
        pages = store.db.conn.execute("PRAGMA page_count").fetchone()[0]
        store.db.conn.execute(f"PRAGMA max_page_count = {pages + 20}")
        make_corpus(tmp_path / "b", 2000, seed=9)
        with pytest.raises(sqlite3.OperationalError) as caught:
            store.index([str(tmp_path / "b")])
        message = str(translate(caught.value, db))
        assert "disk is full" in message and "\n" not in message
    check_intact(db)
    with FeedStore(db) as store:
        assert store.count() >= 200


@contextlib.contextmanager
def small_filesystem(path: Path, size: str) -> Iterator[Path]:
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytest.mark.skipif(not shutil.which("mount") or os.geteuid() != 0, reason="needs mount")
def test_a_full_disk_and_a_read_only_disk_are_one_line(tmp_path: Path) -> None:
    src = make_corpus(tmp_path / "src", 3000)
    with small_filesystem(tmp_path / "small", "2m") as small:
        db = small / "news.db"
        proc = newsreader("index", str(src), "--no-entities", "--db", str(db))
        assert proc.returncode == 1 and one_line(proc.stderr) and "disk is full" in proc.stderr
        check_intact(db)
        shutil.rmtree(src / "wire", ignore_errors=True)
        make_corpus(src, 100)
        proc = newsreader("index", str(src), "--no-entities", "--db", str(db))
        assert proc.returncode == 0, proc.stderr  # with room again, it works
        remount = subprocess.run(["mount", "-o", "remount,ro", str(small)], capture_output=True)
        if remount.returncode != 0:
            pytest.skip("cannot remount read-only here")
        proc = newsreader("search", "xiaomi", "--limit", "3", "--db", str(db))
        assert proc.returncode == 0 and proc.stdout.count("\n") == 3  # reading still works
        proc = newsreader("index", str(src), "--no-entities", "--db", str(db))
        assert proc.returncode == 1 and one_line(proc.stderr) and "read-only" in proc.stderr
        new = small / "new.db"  # SQLite alone would say "unable to open database file"
        proc = newsreader("index", str(src), "--no-entities", "--db", str(new))
        assert proc.returncode == 1 and one_line(proc.stderr), proc.stderr
        assert "cannot create the database: its folder is not writable" in proc.stderr


def test_kill_during_first_migration_leaves_a_usable_file(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-m", "reader", "index", str(tmp_path / "none"), "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(random.uniform(0.05, 0.3))
        proc.kill()
        proc.wait()
    with FeedStore(db) as store:
        assert store.count() == 0
    check_intact(db)


async def test_the_reader_stays_usable_while_other_processes_write(
    tmp_path: Path, feeds: list[str]
) -> None:
    """The reader open on a database that an `index` and a `refresh` (say from cron) write to:
    its own marks land, no "locked" reaches the person, and the new articles appear."""
    from textual.worker import WorkerCancelled

    from reader.ui.app import NewsReader
    from reader.ui.widgets.headline_list import HeadlineList

    db = tmp_path / "shared.db"
    src = make_corpus(tmp_path / "src", 1500)
    with FeedStore(db) as store:
        for url in feeds[:20]:
            store.subscribe(url)
    assert newsreader("refresh", "--no-entities", "--db", str(db)).returncode == 0
    app = NewsReader(db)
    async with app.run_test(size=(120, 34)) as pilot:
        listed = app.headlines.query_one(HeadlineList)
        others = [start("index", str(src), "--db", str(db)), start("refresh", "--db", str(db))]
        marked: list[str] = []
        while any(p.poll() is None for p in others):
            await pilot.press("r", "j")  # mark read, move on, while the others write
            marked.append(listed.article_at(listed.cursor - 1).uid)
            await pilot.pause(0.1)
        for proc in others:
            _, err = proc.communicate()
            assert proc.returncode == 0, err
        assert app.writer.idle()
        deadline = time.monotonic() + 20
        while len(listed.ids) < 20 * 60 + 1500 and time.monotonic() < deadline:
            with contextlib.suppress(WorkerCancelled):
                await app.workers.wait_for_complete()
            await pilot.pause(0.3)
        assert len(listed.ids) == 20 * 60 + 1500  # the new articles appeared by themselves
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors == []
    assert marked
    with FeedStore(db) as store:
        states = {a.uid: a.read for a in store.search("")}
        assert all(states[uid] for uid in marked if uid in states)
    check_intact(db)


def test_rebuild_alone_of_a_store_with_no_indexed_folder(tmp_path: Path) -> None:
    """The damaged-database message says `newsreader index --rebuild --db FILE`: it must also
    work when no folder was indexed (feeds only, or the list of folders lost with the
    damage); it ended in 'index needs a SOURCE' and exit 2 after rebuilding."""
    db = tmp_path / "feeds-only.db"
    feed = write(
        tmp_path / "f.xml",
        '<rss version="2.0"><channel><title>F</title><item><title>Kept</title>'
        "<link>https://f.example/1</link><pubDate>Mon, 01 Mar 2021 10:00:00 GMT</pubDate>"
        "</item></channel></rss>",
    )
    assert newsreader("add", str(feed), "--db", str(db)).returncode == 0
    proc = newsreader("index", "--rebuild", "--no-entities", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "rebuild: kept" in proc.stderr and one_line(proc.stdout)
    assert "nothing to index again" in proc.stdout
    with FeedStore(db) as store:
        assert store.count() == 1 and len(store.subscriptions()) == 1


@contextlib.contextmanager
def held_open(db: Path) -> Iterator[None]:
    """Another process with a connection open on ``db`` (a reader, say) meanwhile."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('SELECT count(*) FROM articles').fetchone(); print('open', flush=True); "
         "time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        yield
    finally:
        holder.kill()
        holder.wait()


LINUX_64 = sys.platform.startswith("linux") and sys.maxsize > 2**32


@pytest.mark.skipif(not LINUX_64, reason="other processes' connections are seen on Linux only")
@pytest.mark.parametrize("named", ["file", "link"])
def test_rebuild_is_refused_while_another_process_has_the_database_open(
    tmp_path: Path, named: str
) -> None:
    """The rebuild moves the file aside: a reader still open on it would go on writing to
    the old file, and its marks would be lost without a word. Through a link too (SQLite
    puts the -shm file beside the file the link names); the link is kept."""
    db = tmp_path / "open.db"
    src = make_corpus(tmp_path / "src", 20)
    with FeedStore(db) as store:
        store.index([str(src)])
    given = db
    if named == "link":
        given = tmp_path / "link.db"
        given.symlink_to(db)
    with held_open(given):
        proc = newsreader("index", str(src), "--rebuild", "--no-entities", "--db", str(given))
        assert proc.returncode == 1 and one_line(proc.stderr), proc.stderr
        assert "open in another process" in proc.stderr
        assert not list(tmp_path.glob("*.before-rebuild-*"))  # nothing moved
    proc = newsreader("index", str(src), "--rebuild", "--no-entities", "--db", str(given))
    assert proc.returncode == 0, proc.stderr  # once it is closed
    assert list(tmp_path.glob("open.db.before-rebuild-*"))  # the file, not the link
    assert named == "file" or (given.is_symlink() and given.resolve() == db.resolve())
    with FeedStore(given) as store:  # ...and in this process too
        from reader.store import DatabaseBusy
        from reader.store.rebuild import rebuild

        with pytest.raises(DatabaseBusy, match="open in this process"):
            rebuild(given)
        assert store.count() == 20


def marked_store(db: Path, count: int, every: int) -> tuple[Path, dict[str, tuple[int, int]]]:
    """A store of ``count`` articles, every ``every``-th read, and its marks."""
    with FeedStore(db) as store:
        store.index([str(make_corpus(db.parent / "src", count))])
        store.set_read(store.search_ids("")[::every])
    return db, states(db)


def test_an_interrupted_rebuild_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new database is made under another name and takes the file's only when complete:
    a rebuild stopped halfway (Ctrl-C here; kill -9 leaves the same files) left a database
    with half the articles and no subscriptions, which later commands went on using."""
    from reader.store import rebuild as R

    db, before = marked_store(tmp_path / "r.db", 1200, every=4)
    copy_all = R._copy_all

    def halfway(old: sqlite3.Connection, new: object, report: R.RebuildReport) -> None:
        R.PAGE, page = 100, R.PAGE
        try:
            original = R._copy_table
            calls = {"n": 0}

            def copy_table(*args: object) -> int:
                calls["n"] += 1
                if calls["n"] == 2:  # the articles copied, then the files' turn
                    raise KeyboardInterrupt
                return original(*args)  # type: ignore[arg-type]

            monkeypatch.setattr(R, "_copy_table", copy_table)
            copy_all(old, new, report)  # type: ignore[arg-type]
        finally:
            R.PAGE = page

    monkeypatch.setattr(R, "_copy_all", halfway)
    with pytest.raises(KeyboardInterrupt):
        R.rebuild(db)
    assert not [p.name for p in tmp_path.iterdir() if "rebuild" in p.name]
    assert states(db) == before
    check_intact(db)
    # What kill -9 leaves: the half-made copy and an unlocked marker. Neither is in the way.
    write(tmp_path / "r.db.rebuild-new", b"half a database")
    write(tmp_path / "r.db.rebuilding", b"")
    proc = newsreader("search", "Xiaomi", "--limit", "1", "--db", str(db))
    assert proc.returncode == 0 and proc.stdout, proc.stderr
    assert not [p.name for p in tmp_path.iterdir() if "rebuild" in p.name]  # cleared away
    write(tmp_path / "r.db.rebuild-new", b"half a database")
    monkeypatch.setattr(R, "_copy_all", copy_all)
    R.rebuild(db)
    assert states(db) == before
    left = [p.name for p in tmp_path.iterdir() if "rebuild" in p.name]
    assert len(left) == 1 and ".before-rebuild-" in left[0], left


SWAP_PROBE = """
import os, signal, sys, threading
from pathlib import Path
from reader.store import rebuild as R

db = Path(sys.argv[1])
stop = threading.Event()
threading.Thread(target=stop.wait, daemon=True).start()  # (a signal may go to any thread)
replace = os.replace
seen = []

def watched(a, b):
    seen.append(db.exists())
    if Path(str(a)).name == db.name + ".rebuild-new":
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C in the middle of the swap
    replace(a, b)
    seen.append(db.exists())

R.os.replace = watched
try:
    R.rebuild(db)
except KeyboardInterrupt:
    print("interrupted", all(seen), len(seen))
"""


def test_a_rebuild_never_leaves_its_file_missing_and_a_signal_waits_for_the_swap(
    tmp_path: Path,
) -> None:
    """Killed between moving the old file aside and renaming the new one in, a rebuild left
    no database at its name, and the next command then removed the finished copy; SIGTERM
    or Ctrl-C there made the rebuild itself remove it. The old file now gets its second
    name as a hard link, the new one replaces it in one step, and signals wait for that
    (in a process of its own: the Ctrl-C is real)."""
    db, before = marked_store(tmp_path / "s.db", 300, every=3)
    proc = subprocess.run(
        [sys.executable, "-c", SWAP_PROBE, str(db)], capture_output=True, text=True, timeout=120
    )
    assert proc.stdout.split()[:2] == ["interrupted", "True"], (proc.stdout, proc.stderr)
    assert not (tmp_path / "s.db.rebuild-new").exists()
    assert states(db) == before
    check_intact(db)
    asides = [
        p for p in tmp_path.glob("s.db.before-rebuild-*") if p.name[-4:] not in ("-wal", "-shm")
    ]
    assert len(asides) == 1 and states(asides[0]) == before, asides


def test_no_other_process_opens_the_database_while_it_is_rebuilt(tmp_path: Path) -> None:
    """A command started during a rebuild wrote to the file the rebuild then moved aside, or
    read the half-made new one (duplicates, lost marks, `feeds` empty): it is refused in one
    line now, and so is a second rebuild. The marker is locked by the rebuild (here by the
    test), so one left by a rebuild that was killed is no obstacle."""
    import fcntl

    from reader.store import DatabaseBusy
    from reader.store.rebuild import rebuild

    db = tmp_path / "m.db"
    src = make_corpus(tmp_path / "src", 30)
    with FeedStore(db) as store:
        store.index([str(src)])
    marker = tmp_path / "m.db.rebuilding"
    with open(marker, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        for args in (("search", "Tesla"), ("mark-read", "Tesla"), ("index", str(src))):
            proc = newsreader(*args, "--db", str(db))
            assert proc.returncode == 1 and one_line(proc.stderr), (args, proc.stderr)
            assert "being rebuilt by another process" in proc.stderr
        proc = newsreader("index", str(src), "--rebuild", "--db", str(db))
        assert proc.returncode == 1 and "another process is rebuilding it" in proc.stderr
        with pytest.raises(DatabaseBusy, match="being rebuilt"):
            FeedStore(db)
        with pytest.raises(DatabaseBusy, match="rebuilding it"):
            rebuild(db)
    with FeedStore(db) as store:  # the marker's lock gone: a leftover file is ignored
        assert store.count() == 30
        assert not store.search_ids("is:read")


def test_rebuild_refuses_a_file_a_newer_newsreader_wrote(tmp_path: Path) -> None:
    """Every command refuses such a file; `--rebuild` made it into this version's schema,
    losing what the newer one added."""
    db = tmp_path / "new.db"
    with FeedStore(db) as store:
        store.index([str(make_corpus(tmp_path / "src", 5))])
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    proc = newsreader("index", str(tmp_path / "src"), "--rebuild", "--db", str(db))
    assert proc.returncode == 2 and one_line(proc.stderr), proc.stderr
    assert "newer newsreader" in proc.stderr and "--rebuild" in proc.stderr
    assert not list(tmp_path.glob("new.db.*rebuild*"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_device_or_a_pipe_is_no_database(tmp_path: Path) -> None:
    """Refused like a folder (exit 2), never opened (a pipe would block) and never replaced by
    a regular file (`--rebuild` on /dev/null moved the device aside; tried here on a pipe
    only, so that a regression cannot take this machine's /dev/null)."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    src = str(make_corpus(tmp_path / "src", 2))
    for args in (
        ("search", "x", "--db", os.devnull),
        ("index", src, "--db", os.devnull),
        ("search", "x", "--db", str(pipe)),
        ("index", src, "--rebuild", "--db", str(pipe)),
    ):
        proc = newsreader(*args, timeout=30)
        assert proc.returncode == 2 and one_line(proc.stderr), (args, proc.stderr)
        assert "is not a regular file" in proc.stderr
    assert pipe.is_fifo() and not list(tmp_path.glob("pipe.*"))


@pytest.mark.skipif(not shutil.which("mount") or os.geteuid() != 0, reason="needs mount")
async def test_the_readers_refresh_on_a_read_only_disk_says_why_it_stopped(
    tmp_path: Path,
) -> None:
    """The status line said "refreshing 1/1" for good and nothing else: it now says that the
    refresh stopped, and why, in the status line and in a toast. The refresh at start is not
    tried (it fetched every feed, then said the same); `R` tries it."""
    from reader.ui.app import NewsReader

    feed = write(
        tmp_path / "feed.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item>'
        "<title>One</title><guid>urn:one</guid><pubDate>Mon, 01 Jun 2026 10:00:00 GMT</pubDate>"
        "<description>Xiaomi à Pékin.</description></item></channel></rss>",
    )
    with small_filesystem(tmp_path / "small", "4m") as small:
        db = small / "news.db"
        with FeedStore(db) as store:
            store.subscribe(str(feed))
        remount = subprocess.run(["mount", "-o", "remount,ro", str(small)], capture_output=True)
        if remount.returncode != 0:
            pytest.skip("cannot remount read-only here")
        app = NewsReader(db, refresh=True)
        async with app.run_test(size=(110, 20)) as pilot:
            await pilot.pause(0.5)
            assert any("feeds are not refreshed" in n.message for n in app._notifications)
            assert "refreshing" not in app.headlines.progress
            await pilot.press("R")
            deadline = time.monotonic() + 30
            while "stopped" not in app.headlines.progress and time.monotonic() < deadline:
                await pilot.pause(0.1)
            assert app.headlines.progress.startswith("refreshing stopped: ")
            assert "read-only" in app.headlines.progress
            assert any("read-only" in n.message for n in app._notifications)


async def test_background_work_that_fails_says_so_without_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same promise where no file system can be remounted (no root): SQLite's error,
    raised by the refresh, reaches the status line and a toast in the store's words."""
    from reader.ui.app import NewsReader

    db = tmp_path / "f.db"
    with FeedStore(db) as store:
        store.subscribe(str(write(tmp_path / "feed.xml", "<rss/>")))

    def refresh(self: FeedStore, *args: object, **kwargs: object) -> object:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(FeedStore, "refresh", refresh)
    app = NewsReader(db, refresh=True)
    async with app.run_test(size=(110, 20)) as pilot:
        deadline = time.monotonic() + 30
        while "stopped" not in app.headlines.progress and time.monotonic() < deadline:
            await pilot.pause(0.05)
        # (the status line without the database's path: the toast names it)
        assert app.headlines.progress == (
            "refreshing stopped: the database is read-only; nothing was changed"
        )
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors == [
            f"refreshing stopped: {db}: the database is read-only; nothing was changed"
        ]
