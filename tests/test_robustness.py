"""Misuse, interruption and concurrent use, in real processes on real SQLite files.

Each test here reproduces a failure a new user met (a traceback, a silent failure, a lost
update) and checks the contract instead: one line on standard error, the right exit status,
nothing already stored lost, nothing written where it should not be.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from reader.store import FeedStore

from .conftest import FEEDS, SAMPLE_ARTICLES, write

WORDS = (
    "le la les de des Xiaomi Tesla Pékin marché voiture électrique batterie usine prix Lei Jun "
    "annonce défi Shanghai Berlin Stellantis"
).split()


def newsreader(
    *args: str, env: dict[str, str] | None = None, stdin: int | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The real command in a real process."""
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
    )


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reader", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # signals reach the command and its workers, as Ctrl-C does
    )


def one_line(stderr: str) -> bool:
    return stderr.count("\n") == 1 and "Traceback" not in stderr


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 dated articles of about 250 words: a few seconds of indexing."""
    root = tmp_path_factory.mktemp("corpus") / "wire"
    rng = random.Random(7)
    for i in range(3000):
        body = " ".join(rng.choice(WORDS) for _ in range(250))
        write(
            root / f"{i:05d}.txt",
            f"date 2021-{i % 12 + 1:02d}-{i % 28 + 1:02d}\n\nArticle {i}. {body}.\n",
        )
    return root.parent


def fresh_home(tmp_path: Path) -> dict[str, str]:
    """An environment with an empty home and no newsreader settings."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSREADER_", "XDG_"))}
    env["HOME"] = str(home)
    return env


# -- 1. a folder or a non-database as --db --------------------------------------------------
@pytest.mark.parametrize("command", [["search", "x"], ["index", str(FEEDS)], ["add", "x.xml"], []])
def test_a_folder_or_a_non_database_is_refused_and_left_untouched(
    tmp_path: Path, command: list[str]
) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    proc = newsreader(*command, "--db", str(folder))
    assert proc.returncode == 2 and one_line(proc.stderr) and "is a folder" in proc.stderr
    assert list(folder.iterdir()) == []
    text = write(tmp_path / "notes.txt", "my notes, not a database\n" * 100)
    before = digest(text)
    proc = newsreader(*command, "--db", str(text))
    assert proc.returncode == 2 and one_line(proc.stderr) and "not a database" in proc.stderr
    assert digest(text) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "notes.txt"]  # no -wal/-shm


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    before = digest(other)
    proc = newsreader("index", str(FEEDS), "--db", str(other))
    assert proc.returncode == 2 and "another program" in proc.stderr and one_line(proc.stderr)
    assert digest(other) == before


# -- 2. two index runs at once ----------------------------------------------------------------
@pytest.mark.parametrize("delay", [0.0, 0.7, 2.0])
def test_two_index_runs_at_once_both_succeed(corpus: Path, tmp_path: Path, delay: float) -> None:
    db = tmp_path / "same.db"
    first = start("index", str(corpus), "--no-entities", "--db", str(db))
    time.sleep(delay)
    second = start("index", str(corpus), "--no-entities", "--db", str(db))
    outs = [p.communicate(timeout=180) for p in (first, second)]
    for proc, (_, err) in zip((first, second), outs, strict=True):
        assert proc.returncode == 0, err
        assert err == ""
    with FeedStore(db) as store:
        assert store.count() == 3000
        assert store.db.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        store.db.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    added = sum(int(out.split(" article")[0].replace(",", "")) for out, _ in outs)
    assert added == 3000  # every article once: the second run skipped what the first wrote


def test_many_connections_creating_one_database_at_once_all_succeed(tmp_path: Path) -> None:
    """Two processes opening a new file at once both switch it to WAL; SQLite answers one of
    them "database is locked" at once, without waiting (seen as 1 run in 50 of the test
    above, 4 new files in 200 here before the switch was retried)."""
    import threading

    from reader.store.database import Database

    errors: list[BaseException] = []

    def open_close(path: Path, barrier: threading.Barrier) -> None:
        barrier.wait()
        try:
            Database(path).close()
        except BaseException as exc:  # every failure is reported below
            errors.append(exc)

    for i in range(150):
        barrier = threading.Barrier(4)
        threads = [
            threading.Thread(target=open_close, args=(tmp_path / f"{i}.db", barrier), daemon=True)
            for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []


# -- 3. reading while another process writes --------------------------------------------------
def test_searches_never_fail_while_index_and_extraction_write(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    assert newsreader("index", str(FEEDS), "--db", str(db)).returncode == 0
    writer = start("index", str(corpus), "--db", str(db))  # with entity extraction
    runs = 0
    try:
        while writer.poll() is None or runs < 3:
            proc = newsreader("search", "xiaomi", "--limit", "5", "--db", str(db))
            assert proc.returncode == 0 and proc.stderr == "", proc.stderr
            assert proc.stdout.count("\n") == 5
            runs += 1
    finally:
        _, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err
    assert runs >= 3


# -- 4. Ctrl-C --------------------------------------------------------------------------------
@pytest.mark.parametrize("after", [0.4, 1.1, 2.3])
def test_ctrl_c_during_index_is_one_line_and_exit_130(
    corpus: Path, tmp_path: Path, after: float
) -> None:
    db = tmp_path / "interrupted.db"
    proc = start("index", str(corpus), "--db", str(db))
    deadline = time.monotonic() + 30
    while not db.exists() and time.monotonic() < deadline:  # started, not still importing
        time.sleep(0.02)
    time.sleep(after)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does: the whole process group
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the run finished before the interruption")
    assert proc.returncode == 130
    assert err == "newsreader: interrupted; everything committed so far is kept\n"
    again = newsreader("index", str(corpus), "--no-entities", "--db", str(db))
    assert again.returncode == 0
    with FeedStore(db) as store:
        assert store.count() == 3000


@pytest.mark.parametrize("group", [False, True])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_or_sighup_during_index_ends_it_as_ctrl_c_does(
    corpus: Path, tmp_path: Path, signum: int, group: bool
) -> None:
    """`kill PID` or a closed terminal ended `index` with no word (exit 143 or 129) and, with
    its workers cut off, Python's "leaked semaphore objects" warning. Sent to the whole
    group (a closed terminal, a service stopped), the workers raised it too (tracebacks),
    and SIGHUP killed multiprocessing's resource tracker ("died unexpectedly")."""
    db = tmp_path / "terminated.db"
    proc = start("index", str(corpus), "--db", str(db))
    deadline = time.monotonic() + 30
    while not db.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.8)
    if group:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)  # the command alone, as `kill` sends it
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the run finished before the signal")
    name = signal.Signals(signum).name
    assert proc.returncode == 128 + signum, err
    assert err == f"newsreader: stopped by {name}; everything committed so far is kept\n"
    again = newsreader("index", str(corpus), "--no-entities", "--db", str(db))
    assert again.returncode == 0
    with FeedStore(db) as store:
        assert store.count() == 3000


# -- 5. no terminal, unknown commands ---------------------------------------------------------
def test_the_reader_on_a_dumb_terminal_exits_2(tmp_path: Path) -> None:
    """TERM=dumb got Textual's colour and cursor escapes all the same."""
    import pty

    main, tty = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "reader"],
            stdin=tty, stdout=tty, stderr=subprocess.PIPE, text=True, timeout=30,
            env={**fresh_home(tmp_path), "TERM": "dumb"},
        )  # fmt: skip
    finally:
        os.close(tty)
        os.close(main)
    assert proc.returncode == 2 and one_line(proc.stderr)
    assert "needs a terminal that can move its cursor (TERM is dumb)" in proc.stderr


def test_the_reader_without_a_terminal_exits_2_at_once(tmp_path: Path) -> None:
    started = time.perf_counter()
    proc = newsreader(env=fresh_home(tmp_path), timeout=30)
    assert proc.returncode == 2 and one_line(proc.stderr) and "needs a terminal" in proc.stderr
    assert time.perf_counter() - started < 20  # did not spin until the timeout


def test_an_unknown_command_is_not_taken_for_a_path(tmp_path: Path) -> None:
    proc = newsreader("serch", "x", env=fresh_home(tmp_path))
    assert proc.returncode == 2 and one_line(proc.stderr)
    assert "no such command or path: serch" in proc.stderr and "newsreader search" in proc.stderr


@pytest.mark.parametrize("url", ["http://host/feed.rss", "https://example.org/atom", "file:///x"])
def test_an_address_given_to_the_reader_points_at_add(tmp_path: Path, url: str) -> None:
    """`newsreader http://host/feed.rss` said "no such command or path": an address is
    subscribed with `add`, and the reader says so (a usage error, as before)."""
    proc = newsreader(url, env=fresh_home(tmp_path))
    assert proc.returncode == 2 and one_line(proc.stderr) and proc.stdout == ""
    assert proc.stderr.startswith(f"newsreader: {url}: not a file or folder")
    assert "`newsreader add URL`" in proc.stderr and "no such command" not in proc.stderr


@pytest.mark.parametrize("url", ["feed://example.org/x", "ftp://example.org/x"])
def test_an_address_add_refuses_is_said_unsupported(tmp_path: Path, url: str) -> None:
    """`newsreader feed://…` pointed at `newsreader add URL`, which refuses any scheme but
    http(s) and file://: the scheme is said to be unsupported instead."""
    proc = newsreader(url, env=fresh_home(tmp_path))
    assert proc.returncode == 2 and one_line(proc.stderr) and proc.stdout == ""
    scheme = url.split(":")[0]
    assert proc.stderr.startswith(f"newsreader: {url}: not a file or folder")
    assert f"the scheme {scheme}: is not supported" in proc.stderr
    assert "newsreader add" not in proc.stderr
    refused = newsreader("add", url, "--no-fetch", env=fresh_home(tmp_path))
    assert refused.returncode == 2 and "only http(s), file://" in refused.stderr  # (add's)


def test_usage_errors_are_one_line(tmp_path: Path) -> None:
    for args in (["search"], ["index", "--nope"], ["search", "x", "--limit", "many"]):
        proc = newsreader(*args, env=fresh_home(tmp_path))
        assert proc.returncode == 2 and one_line(proc.stderr), (args, proc.stderr)
    # an unknown flag after a command points at that command's help; a negative limit is no
    # "everything"
    proc = newsreader("search", "x", "--jsn", env=fresh_home(tmp_path))
    assert proc.returncode == 2 and "--jsn" in proc.stderr
    assert "`newsreader search --help`" in proc.stderr and one_line(proc.stderr)
    proc = newsreader("search", "x", "--limit", "-1", env=fresh_home(tmp_path))
    assert proc.returncode == 2 and "0 (all) or more" in proc.stderr and one_line(proc.stderr)


# -- 6 and 10. a fresh home: the sample stays apart; read commands create nothing -------------
def test_a_fresh_home_gets_a_hint_and_no_database(tmp_path: Path) -> None:
    env = fresh_home(tmp_path)
    proc = newsreader("search", "xiaomi", env=env)
    assert proc.returncode == 0 and proc.stdout == ""
    assert one_line(proc.stderr) and "newsreader index" in proc.stderr
    assert list((tmp_path / "home").iterdir()) == []  # nothing created
    proc = newsreader("search", "x", "--db", str(tmp_path / "no" / "such" / "x.db"), env=env)
    assert proc.returncode == 2 and one_line(proc.stderr)
    assert not (tmp_path / "no").exists()


def test_index_of_only_missing_paths_creates_no_database(tmp_path: Path) -> None:
    env = fresh_home(tmp_path)
    db = tmp_path / "new.db"
    proc = newsreader("index", str(tmp_path / "typo"), str(tmp_path / "other"), "--db", str(db),
                      env=env)  # fmt: skip
    assert proc.returncode == 2 and one_line(proc.stderr)
    assert "typo: no such file or directory (and 1 more)" in proc.stderr
    assert not db.exists()
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    for source in (str(tmp_path / "dangling"), "https://example.org/feed.xml", "file:///x"):
        proc = newsreader("index", source, "--db", str(db), env=env)
        assert proc.returncode == 2 and one_line(proc.stderr), source
        assert "not a file or folder" in proc.stderr and not db.exists(), source
    proc = newsreader("index", "--db", str(db), env=env)
    assert proc.returncode == 2 and "needs a SOURCE" in proc.stderr and not db.exists()
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text("date 2021-03-01\nUn article.\n")
    proc = newsreader("index", str(tmp_path / "typo"), str(tmp_path / "real"), "--db", str(db),
                      "--no-entities", env=env)  # fmt: skip
    assert proc.returncode == 1 and "failed: " in proc.stderr and "1 article added" in proc.stdout
    # a database named in a folder that does not exist: said, and no folder is made
    typo = tmp_path / "no" / "such" / "x.db"
    for command in (["index", str(tmp_path / "real"), "--no-entities"], ["search", "x"]):
        proc = newsreader(*command, "--db", str(typo), env=env)
        assert proc.returncode == 2 and one_line(proc.stderr), command
        assert "does not exist" in proc.stderr and not (tmp_path / "no").exists(), command


def test_the_sample_never_enters_the_users_database(tmp_path: Path) -> None:
    from reader.cli.reader import choose_store

    env = fresh_home(tmp_path)
    db = tmp_path / "mine.db"
    store, sources, _, sample = choose_store(db, [], False)
    with store:
        assert sample and store.index(sources).added == SAMPLE_ARTICLES
    assert not db.exists()
    feed = write(tmp_path / "mine.xml", _rss("Mine", 2))
    assert newsreader("add", str(feed), "--db", str(db), env=env).returncode == 0
    found = newsreader("search", "", "--json", "--db", str(db), env=env)
    assert [json.loads(line)["source"] for line in found.stdout.splitlines()] == ["Mine"] * 2
    store, sources, refresh, sample = choose_store(db, [], False)
    with store:
        assert (store.path, sources, refresh, sample) == (db, [], True, False)


# -- 7. names ---------------------------------------------------------------------------------
def test_remove_and_refresh_take_the_name_feeds_shows(tmp_path: Path) -> None:
    db = tmp_path / "names.db"
    heated = write(tmp_path / "heated.xml", _rss("HEATED", 2))
    other = write(tmp_path / "other.xml", _rss("Other", 1))
    twin = write(tmp_path / "twin.xml", _rss("Other", 1, guid="twin"))
    for path in (heated, other, twin):
        assert newsreader("add", str(path), "--db", str(db)).returncode == 0
    proc = newsreader("refresh", "heated", "--no-entities", "--db", str(db))
    assert proc.returncode == 0 and proc.stdout.startswith("1 feed: 1 ok")
    proc = newsreader("remove", "other", "--db", str(db))
    assert proc.returncode == 1 and one_line(proc.stderr)
    assert "2 subscriptions have that name" in proc.stderr and "twin.xml" in proc.stderr
    proc = newsreader("remove", "Heated", "--db", str(db))
    assert proc.returncode == 0 and "unsubscribed from HEATED; 2 articles removed" in proc.stdout


# -- 8. add keeps nothing when the first fetch fails ------------------------------------------
def test_add_subscribes_only_when_the_first_fetch_works(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    db = tmp_path / "add.db"
    httpserver.expect_request("/missing").respond_with_data("no", status=404)
    httpserver.expect_request("/page").respond_with_data(
        "<html><body>a page</body></html>", content_type="text/html"
    )
    refused = "http://127.0.0.1:9/feed.xml"  # the discard port: nothing listens
    cases = {
        httpserver.url_for("/missing"): "HTTP 404",
        httpserver.url_for("/page"): "not a feed but a web page",
        refused: "cannot connect to 127.0.0.1:9 (connection refused)",
        "not a url": "no such file",
    }
    for url, reason in cases.items():
        proc = newsreader("add", url, "--db", str(db))
        usage = url == "not a url"  # a mistyped address: a usage error
        assert proc.returncode == (2 if usage else 1) and one_line(proc.stderr), proc.stderr
        assert reason in proc.stderr
    proc = newsreader("feeds", "--db", str(db))
    assert proc.stdout.startswith("no subscriptions")
    proc = newsreader("add", httpserver.url_for("/missing"), "--no-fetch", "--db", str(db))
    assert proc.returncode == 0
    assert len(newsreader("feeds", "--json", "--db", str(db)).stdout.splitlines()) == 1


# -- 9. entities of a Latin-1 text ------------------------------------------------------------
def test_entities_reads_latin1_like_index(tmp_path: Path) -> None:
    text = write(
        tmp_path / "latin1.txt", "Élisabeth Borne a rencontré Lei Jun à Pékin.".encode("latin-1")
    )
    proc = newsreader("entities", str(text), "--json")
    assert proc.returncode == 0
    assert "read as Windows-1252" in proc.stderr and one_line(proc.stderr)
    names = {json.loads(line)["text"] for line in proc.stdout.splitlines()}
    assert {"Lei Jun", "Pékin"} <= names


# -- 11. a large random file is refused cheaply -----------------------------------------------
def test_a_large_random_feed_file_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    folder = tmp_path / "junk"
    # Seeded, not os.urandom: about one random file in 200 starts with "{" or "<" and is then
    # refused as invalid JSON or XML (also one clear line, but not the one checked here).
    noise = random.Random(11)
    write(folder / "big.xml", noise.randbytes(40 * 1024 * 1024))
    write(folder / "noise.xml", noise.randbytes(1024 * 1024))
    write(folder / "ok.txt", "date 2021 Un article.")
    script = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run([sys.executable, '-m', 'reader', 'index', sys.argv[1], '--db', "
        "sys.argv[2]], capture_output=True, text=True)\n"
        "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.stderr.write(p.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(folder), str(tmp_path / "j.db")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    code, peak_kib = map(int, proc.stdout.split())
    assert code == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 2
    assert any("big.xml: larger than 16 MiB" in line for line in lines)
    assert any("noise.xml: not a feed: binary data" in line for line in lines)
    assert peak_kib < 200 * 1024  # not the 40 MB file parsed into hundreds of MB


# -- 12. plain words ---------------------------------------------------------------------------
def test_failures_are_described_in_plain_words(tmp_path: Path) -> None:
    bad = write(tmp_path / "f" / "bad.xml", b'<?xml version="1.0"?>\n<rss><channel><')
    proc = newsreader("index", str(bad.parent), "--db", str(tmp_path / "w.db"))
    assert proc.returncode == 1
    assert "malformed XML at line 2" in proc.stderr and "<unknown>" not in proc.stderr


def test_plain_text_served_as_a_feed_is_called_plain_text(tmp_path: Path) -> None:
    """Not "malformed XML at line 2, column 0" for a file of one line of text."""
    from reader.store.sources import SourceError
    from reader.store.sources.feed import parse_feed

    for data in (b"just a line of notes\n", "\ufeff  some words, no markup".encode()):
        with pytest.raises(SourceError, match=r"^not a feed: plain text \(no XML, JSON or HTML\)$"):
            parse_feed(data, "https://example.org/notes.txt")
    broken = '<?xml version="1.0"?>\n<rss><channel><'
    for data in (broken.encode(), broken.encode("utf-16")):  # XML that breaks: said where
        with pytest.raises(SourceError, match="malformed XML"):
            parse_feed(data, "https://example.org/f.xml")
    for data, said in ((b"", "empty"), (b" \n\t", "empty"), (b'[{"a": 1}]', "JSON, but a list")):
        with pytest.raises(SourceError, match=f"^not a feed: {said}"):
            parse_feed(data, "https://example.org/f")


def _rss(title: str, items: int, guid: str = "") -> str:
    entries = "".join(
        f"<item><title>{title} {i}</title><guid>{guid}{title}-{i}</guid>"
        f"<pubDate>Mon, 0{i + 1} Jun 2026 10:00:00 GMT</pubDate></item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"{entries}</channel></rss>"
    )


def test_a_second_store_on_the_same_file_in_one_process_keeps_the_first_ones_locks(
    tmp_path: Path,
) -> None:
    """Opening the database again in a process that has it open (a second store, as tests and
    library users do) must not read its header by hand: closing that file released SQLite's
    locks, and another process's `mark-read` then deleted the -wal and -shm under the first
    store (its next reads failed with "disk I/O error")."""
    db = tmp_path / "held.db"
    with FeedStore(db) as first:
        first.index([str(FEEDS)])
    with FeedStore(db) as held:
        assert held.count_matches("musk")[1] > 0
        with FeedStore(db) as again:
            again.count_matches("tesla")
        done = newsreader("mark-read", "musk", "--db", str(db))
        assert done.returncode == 0, done.stderr
        assert Path(f"{db}-wal").exists() and Path(f"{db}-shm").exists()
        assert held.count_matches("musk")[1] == 0
        assert held.count_matches("tesla")[0] > 0


def test_a_busy_database_names_no_culprit_it_cannot_know(tmp_path: Path) -> None:
    """The lock may be held by any program with the file open (a backup, a script, sqlite3),
    not only by another newsreader: the message says so."""
    from reader.store.database import DatabaseBusy, translate

    error = translate(sqlite3.OperationalError("database is locked"), tmp_path / "x.db")
    assert isinstance(error, DatabaseBusy)
    assert "another process" in str(error) and "another program" in str(error)


def test_usage_mistakes_with_files_are_exit_2_in_our_words(tmp_path: Path) -> None:
    """A mistyped address or file is a usage error like any other (exit 2), and the system's
    reason reads as newsreader's own ("no such file or directory", not "No such file…")."""
    db = str(tmp_path / "u.db")
    proc = newsreader("add", "not-a-url", "--db", db)
    assert proc.returncode == 2 and one_line(proc.stderr), proc.stderr
    assert "no such file, and not an http(s) address" in proc.stderr
    proc = newsreader("entities", str(tmp_path / "nope.txt"))
    assert proc.returncode == 2 and one_line(proc.stderr), proc.stderr
    assert proc.stderr.endswith("nope.txt: no such file or directory\n")
    proc = newsreader("import-opml", str(tmp_path / "nope.opml"), "--db", db)
    assert proc.returncode == 2 and one_line(proc.stderr), proc.stderr
    assert proc.stderr.endswith("nope.opml: no such file or directory\n")


# -- 12. numbers past SQLite's integers, queries too deep, a query that starts with '-' ------
def test_out_of_range_numbers_and_oversized_queries_are_one_line(tmp_path: Path) -> None:
    """A --limit or an id past 2**63 was an OverflowError traceback; 300 nested parentheses
    a RecursionError; 3,000 negated words SQLite's "Expression tree is too large" as a
    database error (exit 1). Limits mean "all"; the rest are usage errors (exit 2)."""
    db = str(tmp_path / "n.db")
    write(tmp_path / "a" / "one.txt", "date 2021-03-01\n\nTesla et Xiaomi à Pékin.\n")
    assert newsreader("index", str(tmp_path / "a"), "--db", db).returncode == 0
    huge = "9" * 30
    proc = newsreader("search", "tesla", "--limit", huge, "--db", db)
    assert proc.returncode == 0 and len(proc.stdout.splitlines()) == 1, proc.stderr
    proc = newsreader("entities", "--top", "--limit", huge, "--db", db)
    assert proc.returncode == 0 and "Pékin" in proc.stdout, proc.stderr
    for ref in (huge, "²"):
        proc = newsreader("show", ref, "--db", db)
        assert proc.returncode == 1 and one_line(proc.stderr) and "no article" in proc.stderr
    proc = newsreader("show", " ", "--db", db)
    assert proc.returncode == 2 and one_line(proc.stderr), proc.stderr
    for query, why in (
        ("(" * 300 + "tesla" + ")" * 300, "nested more than 32 deep"),
        ("-" + "(-" * 40 + "tesla", "nested more than 32 deep"),
        (" ".join(f"-w{i}" for i in range(3000)), "more than 512 terms (3,000)"),
        ("tesla " + " ".join(f"-w{i}" for i in range(96)), "excludes more than 64 terms (96)"),
    ):
        proc = newsreader("search", "--db", db, "--", query)
        assert proc.returncode == 2 and one_line(proc.stderr), proc.stderr
        assert why in proc.stderr
    proc = newsreader("search", "(" * 30 + "tesla" + ")" * 30, "--db", db)
    assert proc.returncode == 0 and proc.stdout
    proc = newsreader("search", "-musk", "--db", db)
    assert proc.returncode == 2 and one_line(proc.stderr)
    assert "newsreader search [options] -- -musk" in proc.stderr
