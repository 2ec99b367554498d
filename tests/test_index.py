"""Incremental, resumable indexing against real SQLite files."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import termios
import textwrap
import time
from pathlib import Path

import pytest

from reader.store import FeedStore, index

from .conftest import AWKWARD, FEEDS, REPO, SAMPLE_ARTICLES, write

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def _bump_mtime(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


def test_sample_indexes_with_awkward_files_reported(store: FeedStore) -> None:
    report = store.index([str(FEEDS), str(AWKWARD)])
    assert report.failed == []
    assert report.added == SAMPLE_ARTICLES + 1  # the Latin-1 article
    skipped = {Path(p).name for p, _ in report.skips}
    assert {"empty.txt", "brouillon-sans-date.txt"} <= skipped
    assert any("latin1" in p for p, _ in report.warnings)
    sources = {s.name for s in store.sources()}
    assert len(sources) >= 4
    assert store.search("défi parlement") or store.search("parlement")


def test_unchanged_reindex_costs_only_a_stat(tmp_path: Path, store: FeedStore) -> None:
    for i in range(5):
        write(tmp_path / "src" / "s" / f"{i}.txt", f"date 2021-0{i + 1} Article {i}.")
    first = store.index([str(tmp_path / "src")])
    assert first.added == 5
    again = store.index([str(tmp_path / "src")])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5)


def test_touch_edit_delete_rename_keep_state(tmp_path: Path, store: FeedStore) -> None:
    src = tmp_path / "src"
    a = write(src / "s" / "a.txt", "date 2021-01-01 Premier article sur Xiaomi.")
    b = write(src / "s" / "b.txt", "date 2021-01-02 Second article sur Tesla.")
    c = write(src / "s" / "c.txt", "date 2021-01-03 Troisième article sur BYD.")
    store.index([str(src)])
    ids = {x.path.rsplit("/", 1)[1]: x for x in store.search("")}
    store.set_read([ids["a.txt"].rowid, ids["b.txt"].rowid])
    store.set_starred([ids["b.txt"].rowid, ids["c.txt"].rowid])

    _bump_mtime(a)  # touch: same bytes
    b.write_text("date 2021-06-30 Second article sur Tesla, corrigé.", encoding="utf-8")
    _bump_mtime(b)
    c.rename(src / "s" / "c-renamed.txt")  # move: same bytes, new path
    report = store.index([str(src)])
    assert (report.added, report.updated, report.moved, report.removed) == (0, 1, 1, 0)
    assert report.unchanged == 1

    after = {x.uid: x for x in store.search("")}
    assert after[ids["a.txt"].uid].read
    edited = after[ids["b.txt"].uid]
    assert edited.read and edited.starred and edited.date.iso() == "2021-06-30"
    assert edited.title == "Second article sur Tesla, corrigé."
    moved = after[ids["c.txt"].uid]
    assert moved.starred and moved.path.endswith("c-renamed.txt")
    assert [x.uid for x in store.search("corrigé")] == [edited.uid]
    assert store.search("troisieme")[0].uid == moved.uid

    (src / "s" / "a.txt").unlink()
    report = store.index([str(src)])
    assert report.removed == 1
    assert store.search("premier") == []
    assert store.count() == 2


def test_edit_that_removes_the_date_drops_the_article(tmp_path: Path, store: FeedStore) -> None:
    f = write(tmp_path / "src" / "s" / "a.txt", "date 2021 Un article.")
    store.index([str(tmp_path / "src")])
    f.write_text("Plus de date.", encoding="utf-8")
    _bump_mtime(f)
    report = store.index([str(tmp_path / "src")])
    assert report.skipped == 1 and store.count() == 0 and store.search("article") == []


def test_bad_files_are_reported_and_the_rest_goes_on(tmp_path: Path, store: FeedStore) -> None:
    write(tmp_path / "src" / "s" / "good.txt", "date 2021 Bon article.")
    write(tmp_path / "src" / "s" / "bad.txt", "date n'importe quand Mauvais.")
    report = store.index([str(tmp_path / "src"), str(tmp_path / "missing")])
    reasons = dict(report.failed)
    assert set(reasons) == {str(tmp_path / "src" / "s" / "bad.txt"), str(tmp_path / "missing")}
    assert "unreadable date" in reasons[str(tmp_path / "src" / "s" / "bad.txt")]
    assert store.count() == 1
    # Still reported on the next run, even though nothing changed.
    assert len(store.index([str(tmp_path / "src")]).failed) == 1


def test_gzipped_feed_files_are_read(tmp_path: Path, store: FeedStore) -> None:
    """A ``.xml.gz`` file (given, or found in a folder) and a feed file gzipped under its
    plain name are inflated (bounded by the file cap) and read; they were skipped as dated
    text without a date line, or failed as binary data. A ``.gz`` file of another kind in a
    folder is not picked up."""
    import gzip

    def feed(title: str) -> bytes:
        item = f"<title>{title}</title><guid>tag:z,{title}</guid>"
        item += "<pubDate>Tue, 10 Nov 2026 10:00:00 GMT</pubDate>"
        rss = f'<rss version="2.0"><channel><title>Z</title><item>{item}</item></channel></rss>'
        return gzip.compress(rss.encode())

    given = write(tmp_path / "given.xml.gz", feed("Given gzipped"))
    write(tmp_path / "src" / "wire" / "walked.rss.gz", feed("Walked gzipped"))
    write(tmp_path / "src" / "wire" / "plain.xml", feed("Plain name gzipped"))
    write(tmp_path / "src" / "wire" / "backup.tar.gz", b"\x1f\x8b not read")
    write(tmp_path / "src" / "wire" / "cut.xml.gz", feed("Cut")[:-20])
    report = store.index([str(given), str(tmp_path / "src")])
    assert sorted(a.title for a in store.search("gzipped")) == [
        "Given gzipped",
        "Plain name gzipped",
        "Walked gzipped",
    ]
    assert report.failed == [
        (str(tmp_path / "src" / "wire" / "cut.xml.gz"), "gzip-compressed, but cut short "
         "(the compressed data ends early)")
    ]  # fmt: skip
    assert report.skipped == 0 and report.warnings == []


def test_paths_are_as_given_on_the_command_line(
    tmp_path: Path, store: FeedStore, monkeypatch
) -> None:
    write(tmp_path / "src" / "wire" / "x.txt", "date 2021 Un article.")
    monkeypatch.chdir(tmp_path)
    store.index(["src"])
    [a] = store.search("")
    assert a.path == os.path.join("src", "wire", "x.txt") and a.source == "wire"


def test_a_run_killed_mid_batch_loses_nothing_committed(tmp_path: Path) -> None:
    src = tmp_path / "src"
    for i in range(200):
        write(src / "s" / f"{i:03d}.txt", f"date 2020-01-{i % 28 + 1:02d} Article numéro {i}.")
    db = tmp_path / "killed.db"
    script = textwrap.dedent(f"""
        import os, signal
        from reader.store import FeedStore, changes
        calls = 0
        original = changes.Changes.flush
        def flush(self, conn):
            global calls
            calls += 1
            original(self, conn)
            if calls == 2:  # second batch written but not committed
                os.kill(os.getpid(), signal.SIGKILL)
        changes.Changes.flush = flush
        FeedStore({str(db)!r}).index([{str(src)!r}], batch_size=50)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert proc.returncode == -9, proc.stderr.decode()
    with FeedStore(db) as store:
        assert store.count() == 50
        store.db.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        report = store.index([str(src)])
        assert (report.added, report.unchanged, report.failed) == (150, 50, [])
        assert store.count() == 200
        assert len(store.search("numéro")) == 200
        store.db.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def test_large_runs_parse_in_a_worker_process(tmp_path: Path, store: FeedStore) -> None:
    for i in range(130):
        write(tmp_path / "src" / "s" / f"{i}.txt", f"date 2019-02-{i % 28 + 1:02d} Texte {i}.")
    started = time.perf_counter()
    report = store.index([str(tmp_path / "src")], batch_size=20)
    assert report.added == 130 and time.perf_counter() - started < 60
    ids = [a.rowid for a in store.search("")]
    assert ids == sorted(ids, reverse=True)
    dates = [a.date.iso() for a in store.search("")]
    assert dates == sorted(dates, reverse=True)
    store.db.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def test_what_a_new_file_finds_in_the_store(tmp_path: Path, store: FeedStore) -> None:
    """What a new file may meet in the store: an article that lost its file row is adopted
    (with its read mark), a uid already taken gets a salt, the same bytes at two new paths
    are two articles, a file id an article already points to is that article's file, a file
    given twice in one run is one article."""
    src = tmp_path / "src"
    write(src / "a.txt", "date 2021-01-01 Premier article sur Xiaomi.")
    store.index([str(src)])
    [first] = store.search("")
    store.set_read([first.rowid])
    conn = store.db.conn
    with store.db.transaction() as c:  # as a rebuilt database leaves it: the file row lost
        c.execute("DELETE FROM files")
        c.execute("UPDATE articles SET file_id = NULL")
    report = store.index([str(src)])
    assert (report.added, report.unchanged) == (0, 1)
    [again] = store.search("")
    assert again.uid == first.uid and again.read

    # b.txt's uid is taken by an article a feed keeps (not to be adopted): b gets a salt
    b_key = str((src / "b.txt").resolve())
    with store.db.transaction() as c:
        c.execute("UPDATE articles SET uid = ?, file_id = NULL WHERE id = ?",
                  (index._uid(b_key, 0), first.rowid))  # fmt: skip
        c.execute("INSERT INTO origins (origin, article, source) VALUES ('feed:x', ?, 'x')",
                  (first.rowid,))  # fmt: skip
    write(src / "b.txt", "date 2021-01-02 Second article sur Tesla.")
    store.index([str(src)])
    [b] = store.search("tesla")
    assert b.uid == index._uid(b_key, 1)
    assert len(store.search("xiaomi")) == 1

    # the same bytes at two new paths, in one batch: two articles, no move
    write(src / "c.txt", "date 2021-01-03 Même texte.")
    write(src / "d.txt", "date 2021-01-03 Même texte.")
    report = store.index([str(src)])
    assert (report.added, report.moved) == (2, 0)
    assert len(store.search("meme")) == 2

    # an article points at the file id the next new file gets: it is that file's article
    top = conn.execute("SELECT max(id) FROM files").fetchone()[0]
    with store.db.transaction() as c:
        c.execute("UPDATE articles SET file_id = ? WHERE id = ?", (top + 1, b.rowid))
    write(src / "e.txt", "date 2021-01-02 Le fichier suivant.")
    report = store.index([str(src)])
    assert (report.added, report.updated) == (0, 1)
    assert [x.uid for x in store.search("suivant")] == [b.uid]

    # a file given twice in one run (as itself and inside its folder) is one article
    write(src / "f.txt", "date 2021-01-05 Donné deux fois.")
    report = store.index([str(src / "f.txt"), str(src)])
    assert report.added == 1
    assert len(store.search("donne deux fois")) == 1


def cli(*args: str, db: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``newsreader`` in a fresh process: a hang ends at the timeout, not the test run."""
    return subprocess.run(
        [sys.executable, "-m", "reader", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def failures(stderr: str) -> list[tuple[str, str]]:
    """The ``failed: PATH: reason`` lines (every line must be one): file names and reasons,
    sorted."""
    found = []
    for line in stderr.splitlines():
        assert line.startswith("failed: "), line
        path, reason = line.removeprefix("failed: ").split(": ", 1)
        found.append((os.path.basename(path), reason))
    return sorted(found)


@needs_fifo
def test_what_is_not_a_regular_file_in_a_folder_is_named_and_never_opened(
    tmp_path: Path,
) -> None:
    """`index DIR` with a named pipe in DIR waited forever on its open (the reader given DIR
    could not be quit). A named pipe, a socket, a device, also behind a link, is one failed
    line and is not opened; a name indexing does not read (pipe.bin) is passed over as any."""
    news = tmp_path / "news"
    write(news / "s" / "good.txt", "date 2021-03-01 Un article sur Tesla.")
    os.mkfifo(news / "pipe.xml")
    os.mkfifo(news / "pipe.bin")
    (news / "zero.txt").symlink_to("/dev/zero")  # refused for its size before: now unopened
    (news / "s" / "to-pipe.txt").symlink_to(news / "pipe.xml")
    expected = {
        "pipe.xml": "not a regular file (a named pipe); not read",
        "to-pipe.txt": "not a regular file (a named pipe); not read",
        "zero.txt": "not a regular file (a device); not read",
    }
    sock = socket.socket(socket.AF_UNIX)
    if len(str(news / "sock.txt")) < 100:  # the longest name a socket may have
        sock.bind(str(news / "sock.txt"))
        expected["sock.txt"] = "not a regular file (a socket); not read"
    db = tmp_path / "x.db"
    with sock:
        for _ in range(2):  # and again, with the failures now stored
            done = cli("index", str(news), "--no-entities", db=db)
            assert done.returncode == 1, done.stderr
            assert failures(done.stderr) == sorted(expected.items())
        assert done.stdout.startswith(
            f"0 articles added, 0 updated; 1 file unchanged, {len(expected)} failed"
        )
        # given by name beside a file: refused as such, the file indexed
        done = cli("index", str(news / "s" / "good.txt"), str(news / "pipe.xml"),
                   "--no-entities", db=db)  # fmt: skip
        assert done.returncode == 1 and done.stdout.startswith(
            "0 articles added, 0 updated; 1 file unchanged"
        )
        assert failures(done.stderr) == [("pipe.xml", "not a file or folder")]
        # --rebuild indexes again the folders and files indexed before (not the pipe given
        # by name): a pipe made since is not opened either
        os.mkfifo(news / "s" / "new.xml")
        done = cli("index", "--rebuild", "--no-entities", db=db)
        assert done.returncode == 1, done.stderr
        rebuilt, failed = done.stderr.split("\n", 1)
        assert rebuilt.startswith("rebuild: kept ")
        expected["new.xml"] = "not a regular file (a named pipe); not read"
        assert failures(failed) == sorted(expected.items())


@needs_fifo
def test_a_file_replaced_by_a_pipe_while_it_is_read_is_refused(tmp_path: Path) -> None:
    """Between the stat that finds a regular file and its opening, a named pipe may take its
    place: it is opened without waiting and refused. A file swapped with a pipe as fast as
    can be, read for two seconds: every read is the file or a refusal, none waits."""
    script = textwrap.dedent(f"""
        import os, threading, time
        from reader.store import index
        path, reg, fifo = (os.path.join({str(tmp_path)!r}, n) for n in ("a.txt", "r", "f"))
        done = False
        def swap():
            while not done:
                with open(reg, "w") as fh:
                    fh.write("date 2021 Un article.")
                os.replace(reg, path)
                os.mkfifo(fifo)
                os.replace(fifo, path)
        with open(path, "w") as fh:
            fh.write("date 2021 Un article.")
        threading.Thread(target=swap, daemon=True).start()
        entry = index.FileEntry(path, path, "s", 0, 0)
        seen = set()
        started = time.monotonic()
        while time.monotonic() - started < 2:
            seen.add(index.load(entry, None).reason)
        done = True
        print(sorted(seen))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "['', 'not a regular file (a named pipe); not read']\n"


CSI = re.compile(r"\x1b\[[0-9;?<>=$]*[a-zA-Z]")  # a terminal's control sequences


def _shown(seen: list[bytes]) -> str:
    """What a program wrote to its terminal, as text (control sequences left out)."""
    return CSI.sub("", b"".join(seen).decode(errors="replace"))


def _read_terminal(fd: int, seconds: float, seen: list[bytes], until: str = "") -> bool:
    """Read a terminal's output into ``seen`` until ``until`` shows (True) or ``seconds``
    pass (or the program ends)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if until and until in _shown(seen):
            return True
        if select.select([fd], [], [], 0.1)[0]:
            try:
                seen.append(os.read(fd, 65536))
            except OSError:  # the program ended
                return False
    return False


@needs_fifo
def test_the_reader_given_a_folder_with_a_pipe_quits(tmp_path: Path) -> None:
    """The reader indexes its SOURCEs in a thread: blocked in a named pipe's open, it held
    the process after `q` (and Ctrl-C). In a real terminal: the article shows, the pipe is
    named, `q` ends the process."""
    news = tmp_path / "news"
    write(news / "s" / "good.txt", "date 2021-03-01 Un article sur Tesla.")
    os.mkfifo(news / "pipe.xml")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(PYTHONPATH=str(REPO), TERM="xterm-256color", HOME=str(tmp_path / "home"))
    pid, fd = pty.fork()
    if pid == 0:  # the child: the reader on the folder, in a terminal of 100 x 30
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
            db = str(tmp_path / "x.db")
            os.execve(sys.executable, [sys.executable, "-m", "reader", str(news), "--db", db], env)
        finally:
            os._exit(127)
    seen: list[bytes] = []
    status = None
    try:
        assert _read_terminal(fd, 60, seen, until="Quit"), _shown(seen)  # the reader is up
        _read_terminal(fd, 30, seen, until="Tesla")
        os.write(fd, b"q")
        deadline = time.monotonic() + 30
        while status is None and time.monotonic() < deadline:
            _read_terminal(fd, 0.2, seen)
            done, code = os.waitpid(pid, os.WNOHANG)
            status = code if done else None
    finally:
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    assert status is not None, "the reader was still running 30 s after q"
    assert os.waitstatus_to_exitcode(status) == 0
    assert "Un article sur Tesla." in _shown(seen) and "pipe.xml" in _shown(seen)


def _feed(title: str, *items: tuple[str, str]) -> str:
    """An RSS document of (guid, title) items."""
    rows = "".join(
        f"<item><title>{t}</title><guid>{g}</guid>"
        "<pubDate>Tue, 10 Nov 2026 10:00:00 GMT</pubDate></item>"
        for g, t in items
    )
    return f'<rss version="2.0"><channel><title>{title}</title>{rows}</channel></rss>'


def test_the_summary_counts_duplicates_apart_and_says_files(tmp_path: Path) -> None:
    """A folder of feed files on a fresh database said "…, 58 unchanged, 1 skipped, 9
    failed": nothing can be unchanged in an empty database (they were items met again in
    another file of the same run), and nothing said that "skipped" and "failed" count files
    where "added" counts articles."""
    src = tmp_path / "src"
    for name in ("a", "b", "c"):  # the same item in three files: one article
        write(src / f"{name}.xml", _feed(name, ("tag:x,shared", "Shared"), (f"tag:{name}", name)))
    write(src / "t.txt", "date 2021 Un article.")
    write(src / "no-date.txt", "Pas de date.")
    write(src / "bad-date.txt", "date jamais Mal.")
    with FeedStore(tmp_path / "x.db") as store:
        first = store.index([str(src)])
        assert first.summary().startswith(
            "5 articles added, 0 updated, 2 duplicates; 1 file skipped, 1 failed in "
        )
        assert (first.added, first.updated, first.unchanged_articles) == (5, 0, 0)
        assert (first.duplicates, first.unchanged, first.skipped, len(first.failed)) == (2, 0, 1, 1)
        again = store.index([str(src)])  # nothing read again
        assert again.summary().startswith(
            "0 articles added, 0 updated; 4 files unchanged, 1 skipped, 1 failed in "
        )
        write(src / "a.xml", _feed("a", ("tag:x,shared", "Shared"), ("tag:a", "a, edited")))
        _bump_mtime(src / "a.xml")
        edited = store.index([str(src)])  # a's items: one edited, one the same as stored
        assert (edited.updated, edited.unchanged_articles, edited.duplicates) == (1, 1, 0)
        assert edited.summary().startswith(
            "0 articles added, 1 updated, 1 unchanged; 3 files unchanged, 1 skipped, 1 failed in "
        )
        write(src / "d.xml", _feed("d", ("tag:x,shared", "Shared"), ("tag:a", "a, edited")))
        new = store.index([str(src)])  # one new file of articles stored before: unchanged
        assert (new.added, new.unchanged_articles, new.duplicates) == (0, 2, 0)
    done = subprocess.run(
        [sys.executable, "-m", "reader", "index", str(src), "--no-entities",
         "--db", str(tmp_path / "fresh.db")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1  # d's two items were both met before
    assert done.stdout.startswith(
        "5 articles added, 0 updated, 4 duplicates; 1 file skipped, 1 failed in "
    )


def test_linked_folders_are_followed_and_each_folder_walked_once(tmp_path: Path) -> None:
    """A link to a folder said "failed: DIR/linked: is a directory" (exit 1). Links are
    followed; a folder is walked once however many ways lead to it (a loop ends at once);
    paths are the ways walked, and a real folder keeps its real path."""
    news, other = tmp_path / "news", tmp_path / "other"
    write(news / "s" / "a.txt", "date 2021-03-01 Un article sur Tesla.")
    write(other / "c.txt", "date 2021-03-02 Un article sur BYD.")
    write(other / "o" / "b.txt", "date 2021-03-03 Un article sur Xiaomi.")
    (news / "linked").symlink_to("../other")  # the first way to other/
    (news / "zz-same").symlink_to(other)  # a second way: not walked while the first is there
    (news / "x-link").symlink_to("s")  # a link to a real folder of the walk: its real path
    (news / "s" / "up").symlink_to("..")  # loops
    (news / "s" / "self").symlink_to(".")
    (news / "s" / "deep").symlink_to(other / "o")  # inside a folder already reached
    # (a link to nothing is a failed line: test_a_link_to_nothing_in_a_folder_is_a_failed_line)
    db = tmp_path / "x.db"

    def run_index() -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "reader", "index", "news", "--no-entities", "--db", str(db)],
            capture_output=True, text=True, timeout=60, cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )  # fmt: skip
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        return done

    def stored() -> dict[str, tuple[str, bool]]:
        done = cli("search", "", "--json", db=db)
        found = [json.loads(line) for line in done.stdout.splitlines()]
        return {a["path"]: (a["source"], a["read"]) for a in found}

    assert run_index().stdout.startswith("3 articles added, 0 updated; 0 files failed")
    assert stored() == {
        os.path.join("news", "s", "a.txt"): ("s", False),
        os.path.join("news", "linked", "c.txt"): ("linked", False),
        os.path.join("news", "linked", "o", "b.txt"): ("linked", False),
    }
    # the progress total follows the same ways (it reads names only)
    assert index.count_files([str(news)]) == 3
    assert cli("mark-read", "", db=db).returncode == 0
    # a link made since to a real folder of the walk changes nothing
    (news / "t-link").symlink_to("s")
    assert run_index().stdout.startswith("0 articles added, 0 updated; 3 files unchanged, 0 failed")
    # the first way to other/ gone, the second one leads to the same files: moved, with
    # their read marks
    (news / "linked").unlink()
    assert run_index().stdout.startswith(
        "0 articles added, 0 updated; 1 file unchanged, 2 moved, 0 failed"
    )
    assert stored() == {
        os.path.join("news", "s", "a.txt"): ("s", True),
        os.path.join("news", "zz-same", "c.txt"): ("zz-same", True),
        os.path.join("news", "zz-same", "o", "b.txt"): ("zz-same", True),
    }


RSS_ONE_ITEM = """<?xml version="1.0"?><rss version="2.0"><channel><title>Le fil</title>
<item><guid>g1</guid><title>Un article du fil</title><pubDate>Mon, 01 Mar 2021 10:00:00 GMT
</pubDate><description>Sur Renault.</description></item></channel></rss>"""


def test_a_new_link_that_sorts_first_keeps_the_articles_of_its_folder(
    tmp_path: Path, store: FeedStore
) -> None:
    """A folder reached through ``b-link``, indexed, then also through a new ``a-link``: the
    walk now goes through a-link (links by depth, then name), and its files were added again
    as new articles beside b-link's (which still exist, so were no move). A file met again
    under another path to the same folder entry is the same file: its articles move, with
    their marks, whichever link appears or goes, in any order."""
    parent, real = tmp_path / "news", tmp_path / "real"
    write(real / "x.txt", "date 2021-03-01 Un article sur Tesla.")
    write(real / "y.txt", "date 2021-03-02 Un article sur BYD.")
    write(real / "sub" / "z.txt", "date 2021-03-03 Un article sur Xiaomi.")
    write(real / "feed.xml", RSS_ONE_ITEM)
    parent.mkdir()
    (parent / "b-link").symlink_to(real)

    def stored() -> dict[str, tuple[str, bool, bool]]:
        found = store.search("")
        return {os.path.relpath(a.path, parent): (a.source, a.read, a.starred) for a in found}

    assert store.index([str(parent)]).added == 4
    [item] = store.search("renault")
    store.set_starred([item.rowid])
    first = {a.path: a for a in store.search("")}
    store.set_read([first[str(parent / "b-link" / "x.txt")].rowid])
    store.set_starred([first[str(parent / "b-link" / "sub" / "z.txt")].rowid])
    uids = {a.uid for a in first.values()}

    (parent / "a-link").symlink_to(real)  # sorts before b-link: the walk goes through it now
    report = store.index([str(parent)])
    assert (report.added, report.moved, report.removed) == (0, 4, 0), report.summary()
    assert stored() == {
        os.path.join("a-link", "feed.xml"): ("Le fil", False, True),
        os.path.join("a-link", "x.txt"): ("a-link", True, False),
        os.path.join("a-link", "y.txt"): ("a-link", False, False),
        os.path.join("a-link", "sub", "z.txt"): ("a-link", False, True),
    }
    assert {a.uid for a in store.search("")} == uids
    again = store.index([str(parent)])
    assert (again.added, again.moved, again.unchanged) == (0, 0, 4)

    (parent / "b-link").unlink()  # the old link goes: nothing changes
    report = store.index([str(parent)])
    assert (report.added, report.moved, report.removed, report.unchanged) == (0, 0, 0, 4)

    (parent / "b-link").symlink_to(real)  # back, sorting after: nothing changes
    assert store.index([str(parent)]).unchanged == 4
    (parent / "a-link").unlink()  # the link walked goes: the files move back to b-link
    report = store.index([str(parent)])
    assert (report.added, report.moved, report.removed) == (0, 4, 0)
    assert stored() == {
        os.path.join("b-link", "feed.xml"): ("Le fil", False, True),
        os.path.join("b-link", "x.txt"): ("b-link", True, False),
        os.path.join("b-link", "y.txt"): ("b-link", False, False),
        os.path.join("b-link", "sub", "z.txt"): ("b-link", False, True),
    }
    assert {a.uid for a in store.search("")} == uids and store.count() == 4
    # a second name for the same bytes (a hard link, even of the same name) is no move
    (real / "copy").mkdir()
    os.link(real / "x.txt", real / "copy" / "x.txt")
    report = store.index([str(parent)])
    assert (report.added, report.moved, report.unchanged) == (1, 0, 4)


def test_a_link_to_nothing_in_a_folder_is_a_failed_line(tmp_path: Path) -> None:
    """A symbolic link to a missing file was left out without a word (design.md: a file
    that cannot be read is reported, one line each)."""
    src = tmp_path / "src"
    write(src / "a.txt", "date 2026-11-20\n\nHello there.\n")
    (src / "b.txt").symlink_to(tmp_path / "nowhere.txt")
    with FeedStore(tmp_path / "s.db") as store:
        report = store.index([str(src)])
    assert report.added == 1
    assert report.failed == [
        (str(src / "b.txt"), f"a link to nothing ({tmp_path / 'nowhere.txt'})")
    ]


def test_binary_data_saved_as_text_is_refused(tmp_path: Path) -> None:
    """A program or random bytes saved as `.txt` were decoded as Windows-1252 and read for a
    date line (stored as an article when one came first), and `entities` named "ELF" an
    organisation; README: binary data is refused before a parser sees it."""
    import random

    src = tmp_path / "src"
    noise = random.Random(5).randbytes(3000)
    write(src / "prog.txt", b"date 2026-11-20\n\n\x7fELF\x02\x01\x01" + bytes(64) + noise)
    write(src / "noise.txt", noise)
    write(src / "ok.txt", "date 2026-11-20\n\nA text with one stray \x00 byte is a text.\n")
    with FeedStore(tmp_path / "s.db") as store:
        report = store.index([str(src)])
    assert report.added == 1
    assert sorted(report.failed) == [
        (str(src / "noise.txt"), "binary data, not text"),
        (str(src / "prog.txt"), "binary data, not text"),
    ]
    done = subprocess.run(
        [sys.executable, "-m", "reader", "entities", str(src / "prog.txt")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"newsreader: {src / 'prog.txt'}: binary data, not text\n"
