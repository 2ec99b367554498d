"""The daily driver: the feed list, saved searches, ignore rules, mark-read, automatic refresh."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from reader.store import FeedStore, NoDatabase, QueryError
from reader.store.saved import NoSuchSearch, SavedSearch
from reader.store.subscriptions import SharedCount
from reader.ui.app import NewsReader
from reader.ui.screens.confirm import Confirm
from reader.ui.screens.feeds import FeedsScreen
from reader.ui.screens.headlines import HeadlinesScreen
from reader.ui.screens.prompt import Prompt
from reader.ui.widgets.feed_tree import EntryKind, FeedTree
from reader.ui.widgets.headline_list import HeadlineList

from .conftest import FEEDS, settle, write


def rss(title: str, items: int, start: int = 0) -> str:
    entries = "".join(
        f"<item><title>{title} story {i}</title><guid>https://{title.lower()}.example/{i}</guid>"
        f"<pubDate>Mon, {i % 28 + 1:02d} Jun 2026 10:00:00 GMT</pubDate>"
        f"<description>Xiaomi and Elon Musk, {title} number {i}.</description></item>"
        for i in range(start, start + items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"{entries}</channel></rss>"
    )


@pytest.fixture
def subscribed(tmp_path: Path, httpserver: HTTPServer) -> Path:
    """Two feeds served on 127.0.0.1 in a folder, one local feed, one failing feed."""
    httpserver.expect_request("/alpha.xml").respond_with_data(rss("Alpha", 4))
    httpserver.expect_request("/beta.xml").respond_with_data(rss("Beta", 3))
    httpserver.expect_request("/gone.xml").respond_with_data("gone", status=404)
    local = write(tmp_path / "gamma.xml", rss("Gamma", 2))
    db = tmp_path / "t.db"
    with FeedStore(db) as store:
        store.subscribe(httpserver.url_for("/alpha.xml"), category="News/Tech")
        store.subscribe(httpserver.url_for("/beta.xml"), name="Beta wire", category="News")
        store.subscribe(str(local))
        store.subscribe(httpserver.url_for("/gone.xml"))
        store.refresh()
        store.save_search("Musk", 'entity:"Elon Musk"')
        store.save_search("Gamma only", "source:gamma")
        store.extract_entities()
    return db


# -- the store --------------------------------------------------------------------------------
def test_saved_searches_and_counts(subscribed: Path) -> None:
    with FeedStore(subscribed) as store:
        searches = {s.name: (s.query, s.total, s.unread) for s in store.saved_searches()}
        assert searches == {
            "Gamma only": ("source:gamma", 2, 2),
            "Musk": ('entity:"Elon Musk"', 9, 9),
        }
        assert store.save_search("musk", "musk") is False  # names are case-insensitive
        with pytest.raises(QueryError):
            store.save_search("bad", "soruce:x")
        assert store.unsave_search("MUSK") == "Musk"
        with pytest.raises(NoSuchSearch):
            store.unsave_search("Musk")


def test_unsubscribing_keeps_starred_articles(subscribed: Path) -> None:
    """`remove` takes the articles only that feed carried, except the starred ones."""
    with FeedStore(subscribed) as store:
        alpha = store.search_ids("feed:alpha")
        store.set_starred(alpha[:1], True)
        removed = store.unsubscribe("alpha")
        assert (removed.articles, removed.starred) == (3, 1)
        assert store.search_ids("is:starred") == alpha[:1]
        assert store.article(alpha[0]) is not None
        assert store.count() == 9 - 3
        # unstarred, it goes with the next removal (here of a feed with nothing starred)
        store.set_starred(alpha[:1], False)
        assert store.unsubscribe("gamma").articles == 2 + 1
        assert store.article(alpha[0]) is None and store.count() == 9 - 3 - 3
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "remove", "beta wire", "--db", str(subscribed)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.stdout == "unsubscribed from Beta wire; 3 articles removed\n"


def test_mark_read_by_query_and_feed_filter(subscribed: Path) -> None:
    with FeedStore(subscribed) as store:
        assert store.count_matches('feed:"beta wire"') == (3, 3)  # by the name given
        assert store.count_matches("feed:alpha") == (4, 4)  # by the feed's title
        assert store.count_matches("feed:beta") == (3, 3)  # the start of a name, as source:
        assert store.count_matches("feed:ALP") == (4, 4)  # ... or of a title
        assert store.count_matches("feed:zzz") == (0, 0)
        assert store.mark_read("feed:alpha") == 4
        assert store.mark_read("feed:alpha") == 0  # nothing left to change
        subs = {s.label: (s.unread, s.total) for s in store.subscriptions()}
        assert subs["Alpha"] == (0, 4) and subs["Beta wire"] == (3, 3)
        assert store.mark_read("", read=False) == 4
        assert store.count_matches("is:unread")[0] == 9


def test_ignore_rules_hide_everywhere_but_is_ignored(subscribed: Path) -> None:
    with FeedStore(subscribed, ignore=["feed:beta", "story 0"]) as store:
        hidden = set(store.search_ids("is:ignored"))
        assert len(hidden) == 3 + 2  # Beta's three, and story 0 of Alpha and Gamma
        assert not hidden & set(store.search_ids(""))
        assert store.count() == 9 - 5 and store.count_matches("") == (4, 4)
        subs = {s.label: s.total for s in store.subscriptions()}
        assert subs["Beta wire"] == 0 and subs["Alpha"] == 3
        assert sum(c.total for c in store.sources()) == 4
        assert store.mark_read("") == 4  # hidden articles are not touched
        assert store.count_matches("is:ignored is:unread") == (5, 5)
        musk = store.entity("Elon Musk")
        assert musk is not None and len(store.articles_with_entity(musk.id)) == 4
    with FeedStore(subscribed) as store:  # nothing was deleted
        assert store.count() == 9 and store.search_ids("is:ignored") == []


# -- the command line -------------------------------------------------------------------------
def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args], capture_output=True, text=True, timeout=60, env=env
    )


def test_cli_save_unsave_feeds_and_mark_read(subscribed: Path) -> None:
    db = str(subscribed)
    proc = cli("save", "Tesla", "tesla OR byd", "--db", db)
    assert proc.returncode == 0 and proc.stdout.startswith("saved search 'Tesla'")
    lines = [json.loads(x) for x in cli("feeds", "--json", "--db", db).stdout.splitlines()]
    searches = {x["name"]: x for x in lines if "query" in x}
    assert set(searches) == {"Musk", "Gamma only", "Tesla"}
    assert searches["Musk"] == {
        "name": "Musk",
        "query": 'entity:"Elon Musk"',
        "unread": 9,
        "total": 9,
    }
    feeds = {x["url"].rsplit("/", 1)[1]: x for x in lines if "url" in x}
    assert feeds["gone.xml"]["error"].startswith("HTTP 404")
    assert feeds["alpha.xml"]["category"] == "News/Tech" and feeds["alpha.xml"]["unread"] == 4
    text = cli("feeds", "--db", db).stdout
    assert "News/\n" in text and "  Beta wire" in text and "error: HTTP 404" in text
    assert "saved searches\n" in text
    proc = cli("mark-read", "feed:alpha", "--db", db)
    assert proc.returncode == 0 and proc.stdout == "4 articles marked read\n"
    proc = cli("mark-read", "story 1", "--db", db)
    assert proc.stdout == "2 articles marked read\n"  # Beta and Gamma's (Alpha's already read)
    proc = cli("mark-read", "--unread", "--db", db)
    assert proc.stdout == "6 articles marked unread\n"
    proc = cli("unsave", "tesla", "--db", db)
    assert proc.returncode == 0 and "forgot" in proc.stdout
    proc = cli("unsave", "tesla", "--db", db)
    assert proc.returncode == 1 and "no saved search" in proc.stderr


def mark_all_on_a_terminal(db: Path, answer: bytes | None, *args: str) -> tuple[int, str, str]:
    """``newsreader mark-read ARGS`` with standard input and error on a terminal (standard
    output piped): (exit status, output, what the terminal showed), ``answer`` typed once
    the question shows (or at once, when none is asked); None: Ctrl-C then (SIGINT)."""
    import os
    import pty
    import select

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "mark-read", *args, "--db", str(db)],
        stdin=slave, stdout=subprocess.PIPE, stderr=slave, text=True,
    )  # fmt: skip
    os.close(slave)
    shown = b""
    deadline = time.monotonic() + 60
    try:
        while proc.poll() is None and b"[y/N] " not in shown and time.monotonic() < deadline:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    shown += os.read(master, 4096)
                except OSError:  # the child closed the terminal
                    break
        if proc.poll() is None and answer is None:
            proc.send_signal(signal.SIGINT)
        elif proc.poll() is None:
            os.write(master, answer)
        out, _ = proc.communicate(timeout=60)
        while select.select([master], [], [], 0.2)[0]:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return proc.returncode, out, shown.decode(errors="replace")


@pytest.mark.parametrize("query", [(), ("",), ("  ",)])
def test_cli_mark_read_of_everything_asks_first_on_a_terminal(
    tmp_path: Path, query: tuple[str, ...]
) -> None:
    """`mark-read` with no QUERY (or an empty one) marked every article at once: a
    forgotten argument erased the whole reading history. On a terminal it asks first (as
    the reader's `A` does); anything but y/yes marks nothing, exit 1."""
    db = twelve(tmp_path)
    with FeedStore(db) as store:
        assert store.mark_read("1 OR 2 OR 3") == 3  # read: `--unread` would lose them
    code, out, shown = mark_all_on_a_terminal(db, b"\n", *query, "--unread")
    assert "Mark all 12 articles unread? [y/N] " in shown
    assert (code, out) == (1, "")
    assert "nothing marked" in shown
    for answer in (b"n\n", b"whatever\n", b"\x04"):  # \x04: Ctrl-D, the end of input
        code, out, _ = mark_all_on_a_terminal(db, answer, *query, "--unread")
        assert (code, out) == (1, "")
    with FeedStore(db) as store:
        assert store.count_matches("is:read") == (3, 0)  # nothing was marked
    code, out, shown = mark_all_on_a_terminal(db, b"YES\n", *query)
    assert "Mark all 12 articles read? [y/N] " in shown
    assert (code, out) == (0, "9 articles marked read\n")
    code, out, shown = mark_all_on_a_terminal(db, b"", *query, "--unread", "--yes")
    assert "[y/N]" not in shown and (code, out) == (0, "12 articles marked unread\n")
    code, out, shown = mark_all_on_a_terminal(db, b"", *query, "-y")
    assert "[y/N]" not in shown and (code, out) == (0, "12 articles marked read\n")
    # Ctrl-C at the question: on a line of its own, and nothing marked (it said "[y/N]
    # ^Cnewsreader: interrupted; everything committed so far is kept")
    code, out, shown = mark_all_on_a_terminal(db, None, *query, "--unread")
    assert (code, out) == (130, "")
    assert shown.endswith("[y/N] \r\nnewsreader: interrupted; nothing marked\r\n"), shown
    with FeedStore(db) as store:
        assert store.count_matches("is:read") == (12, 0)
    # a query is never asked about, on a terminal or not
    code, out, shown = mark_all_on_a_terminal(db, b"", "story", "--unread")
    assert "[y/N]" not in shown and (code, out) == (0, "12 articles marked unread\n")


def test_cli_mark_read_of_everything_is_not_asked_without_a_terminal(tmp_path: Path) -> None:
    """Scripts keep the contract: no terminal, no question; every article is marked."""
    db = twelve(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "reader", "mark-read", "--db", str(db)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (0, "12 articles marked read\n", "")
    done = subprocess.run(
        [sys.executable, "-m", "reader", "mark-read", "", "--unread", "--db", str(db)],
        input="n\n", capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (0, "12 articles marked unread\n", "")


@pytest.mark.parametrize("name", ["", "   ", "\t\x1b[31m"])
def test_cli_a_saved_search_without_a_name_is_a_usage_error(tmp_path: Path, name: str) -> None:
    """An empty or blank name (or one of control characters only, which cleaning empties)
    was a traceback from the store's ValueError, exit 1."""
    db = tmp_path / "new.db"
    for command in (["save", name, "x"], ["unsave", name]):
        proc = cli(*command, "--db", str(db))
        assert proc.returncode == 2 and proc.stdout == ""
        assert proc.stderr == (
            f"newsreader: {command[0]}: argument NAME: a saved search needs a name "
            f"(see `newsreader {command[0]} --help`)\n"
        )
    assert not db.exists()  # refused before a database is made


def test_cli_unsave_finds_a_name_as_save_cleaned_it(tmp_path: Path) -> None:
    """`save` stores a name cleaned of tabs and escape sequences ("a b"); `unsave` given the
    same string looked for it uncleaned and found nothing."""
    db = str(tmp_path / "s.db")
    name = "a\tb\x1b[31m"
    proc = cli("save", name, "x", "--db", db)
    assert proc.returncode == 0 and proc.stdout.startswith("saved search 'a b'")
    proc = cli("unsave", name, "--db", db)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "forgot the saved search 'a b'\n", "")
    with FeedStore(Path(db)) as store:
        assert store.saved_searches() == []
        store.save_search(" Two\nlines ", "x")
        assert store.unsave_search("two \x1b[1mlines") == "Two lines"  # the store's own lookup


def test_cli_ignore_rules_from_the_config(subscribed: Path, tmp_path: Path) -> None:
    import os

    config = write(tmp_path / "c.toml", 'ignore = ["feed:beta"]\n')
    env = {**os.environ, "NEWSREADER_CONFIG": str(config)}
    proc = cli("search", "", "--json", "--db", str(subscribed), env=env)
    assert len(proc.stdout.splitlines()) == 6
    # what the rules hid is said (on standard error: the output stays the articles)
    assert (
        proc.stderr == "newsreader: 3 more articles hidden by your ignore rules "
        "(the query `is:ignored` lists them)\n"
    )
    found = cli("search", "is:ignored", "--json", "--db", str(subscribed), env=env)
    assert len(found.stdout.splitlines()) == 3 and found.stderr == ""
    write(config, 'ignore = ["soruce:x"]\n')
    proc = cli("search", "", "--db", str(subscribed), env=env)
    assert proc.returncode == 2 and "ignore rule" in proc.stderr and proc.stderr.count("\n") == 1


def test_cli_mark_read_says_what_the_ignore_rules_left_alone(tmp_path: Path) -> None:
    """`mark-read 'feed:echos' --unread` with `ignore = ["feed:echos"]` said "0 articles
    marked unread" and nothing more, where `search` says what the rules hid."""
    import os

    db = twelve(tmp_path)
    config = write(tmp_path / "c.toml", 'ignore = ["2 OR 3"]\n')
    env = {**os.environ, "NEWSREADER_CONFIG": str(config)}
    proc = cli("mark-read", "3", "--unread", "--db", str(db), env=env)
    assert (proc.returncode, proc.stdout) == (0, "0 articles marked unread\n")
    assert proc.stderr == (
        "newsreader: 1 more article hidden by your ignore rules, not marked "
        "(the query `(3) is:ignored` finds them)\n"
    )
    proc = cli("mark-read", "--db", str(db), env=env)  # no terminal: not asked
    assert (proc.returncode, proc.stdout) == (0, "10 articles marked read\n")
    assert "2 more articles hidden by your ignore rules, not marked" in proc.stderr
    assert "the query `is:ignored` finds them" in proc.stderr
    with FeedStore(db, ignore=["2 OR 3"]) as store:  # the hidden ones were not marked
        assert store.count_matches("is:ignored is:unread") == (2, 2)
    for query in ("is:ignored", "story -2 -3"):  # nothing hidden from these: nothing said
        proc = cli("mark-read", query, "--db", str(db), env=env)
        assert proc.returncode == 0 and proc.stderr == ""
    assert cli("search", "3", "--db", str(db), env=env).stderr == (
        "newsreader: 1 more article hidden by your ignore rules (the query `(3) is:ignored` "
        "lists them)\n"
    )


# -- the reader -------------------------------------------------------------------------------
def tree_rows(app: NewsReader) -> dict[str, tuple[int, int, str]]:
    """The feed list's rows: label → (unread, total, kind)."""
    tree = app.screen.query_one(FeedTree)
    rows = {}
    stack = list(tree.root.children)
    while stack:
        node = stack.pop(0)
        if node.data is not None:
            rows[node.data.scope.label] = (node.data.unread, node.data.total, str(node.data.kind))
        stack.extend(node.children)
    return rows


async def test_the_feed_list(subscribed: Path) -> None:
    app = NewsReader(subscribed)
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, FeedsScreen)
        rows = tree_rows(app)
        assert rows["all articles"][:2] == (9, 9)
        assert rows["Alpha"] == (4, 4, "feed") and rows["Beta wire"] == (3, 3, "feed")
        assert rows["News"][:2] == (7, 7) and rows["News/Tech"][:2] == (4, 4)
        assert rows["Musk"] == (9, 9, "search") and rows["Gamma only"][:2] == (2, 2)
        tree = app.screen.query_one(FeedTree)
        gone = next(n for n in _nodes(tree) if n.data and n.data.scope.label.endswith("gone.xml"))
        tree.move_cursor(gone)
        await pilot.pause()
        detail = str(app.screen.query_one("#feed-detail").render())
        assert "error: HTTP 404" in detail
        alpha = next(n for n in _nodes(tree) if n.data and n.data.scope.label == "Alpha")
        tree.move_cursor(alpha)
        await pilot.press("A")  # mark the feed read
        await settle(app, pilot)
        rows = tree_rows(app)
        assert rows["Alpha"][:2] == (0, 4) and rows["all articles"][:2] == (5, 9)
        assert rows["News"][:2] == (3, 7)
        await pilot.press("enter")  # its headlines
        assert isinstance(app.screen, HeadlinesScreen)
        await settle(app, pilot)
        listed = app.screen.query_one(HeadlineList)
        shown = str(app.screen.query_one("#status").render())
        assert len(listed.ids) == 4  # the feed's
        assert shown.startswith("4 of 4 articles  ·  0 unread  ·  Alpha")
        tree = await feed_list_counted(app, pilot)
        musk = next(n for n in _nodes(tree) if n.data and n.data.kind == EntryKind.SEARCH
                    and n.data.scope.label == "Musk")  # fmt: skip
        tree.move_cursor(musk)
        await pilot.press("enter")  # a saved search opens like a feed
        await settle(app, pilot)
        assert len(app.screen.query_one(HeadlineList).ids) == 9
        await pilot.press("escape")  # back to every article
        await settle(app, pilot)
        assert len(app.screen.query_one(HeadlineList).ids) == 9
        await feed_list_counted(app, pilot)
        before = tree_rows(app)["all articles"][:2]
        await pilot.press("C")  # everything read, after a question
        assert isinstance(app.screen, Confirm)
        assert app.screen.question == (
            f"Mark all {before[0]} unread articles read, in every feed and indexed folder?"
        )
        await pilot.press("enter")  # out of habit: not an answer to this one
        await settle(app, pilot)
        assert isinstance(app.screen, Confirm)
        assert app.store.count_matches("is:unread")[0] == before[0] > 0
        await pilot.press("y")
        await settle(app, pilot)
        assert tree_rows(app)["all articles"][:2] == (0, 9)
        await pilot.press("escape")
        assert isinstance(app.screen, HeadlinesScreen)


@pytest.fixture
def held_counts(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Saved searches are counted only once the returned gate is set (the counts are real),
    and the feed list shows itself before counting them (SHOW_AFTER 0)."""
    from reader.store.store import FeedStore as Store
    from reader.ui.screens import feeds

    monkeypatch.setattr(feeds, "SHOW_AFTER", 0.0)
    gate = threading.Event()
    count_saved = Store.count_saved

    def gated(self: Store, search: SavedSearch) -> SavedSearch:
        gate.wait(10)
        return count_saved(self, search)

    monkeypatch.setattr(Store, "count_saved", gated)
    return gate


async def feed_list_counted(app: NewsReader, pilot) -> FeedTree:
    """Press f and wait until every count is read; the feed list's tree."""
    await pilot.press("f")
    await settle(app, pilot)
    return app.screen.query_one(FeedTree)


async def on_news_folder(app: NewsReader, pilot) -> FeedTree:
    """Open the feed list (every count read) with the cursor on the News folder."""
    await settle(app, pilot)
    tree = await feed_list_counted(app, pilot)
    tree.move_cursor(next(n for n in _nodes(tree) if n.data and n.data.key == "folder:News"))
    return tree


async def open_feed_list(app: NewsReader, pilot) -> None:
    """Press f and wait (up to 2 s) for the feed list's first rows."""
    await pilot.press("f")
    for _ in range(100):
        await pilot.pause(0.02)
        if isinstance(app.screen, FeedsScreen) and tree_rows(app):
            return


async def test_slow_saved_search_counts_do_not_hold_the_feed_list_back(
    subscribed: Path, held_counts: threading.Event
) -> None:
    """When counting takes longer than SHOW_AFTER, the list shows at once, saved searches as
    …; their counts follow. Counting is held back here by a gate, the counts are real."""
    gate = held_counts
    app = NewsReader(subscribed)
    async with app.run_test(size=(120, 34)) as pilot:
        await open_feed_list(app, pilot)
        rows = tree_rows(app)
        assert rows["Alpha"] == (4, 4, "feed")  # feeds are counted and shown
        tree = app.screen.query_one(FeedTree)
        musk = next(n for n in _nodes(tree) if n.data and n.data.scope.label == "Musk")
        assert not musk.data.counted and "…/…" in str(musk.label)
        gate.set()
        await settle(app, pilot)
        assert tree_rows(app)["Musk"] == (9, 9, "search")
        musk = next(n for n in _nodes(tree) if n.data and n.data.scope.label == "Musk")
        assert musk.data.counted and "…" not in str(musk.label)
        # Counted again after a change: the last counts stay shown meanwhile (no flicker).
        gate.clear()
        app.screen.store_changed()
        labels = []
        for _ in range(20):
            await pilot.pause(0.02)
            tree = app.screen.query_one(FeedTree)
            musk = next(n for n in _nodes(tree) if n.data and n.data.scope.label == "Musk")
            labels.append(str(musk.label))
        gate.set()
        await settle(app, pilot)
        assert not any("…" in label for label in labels) and "9" in labels[-1]


async def test_the_feed_list_keeps_saved_search_counts_for_the_next_start(
    subscribed: Path,
) -> None:
    """Once the feed list has counted the saved searches, their counts are kept in the
    database: the next process (here `saved_searches()` in a new store) walks no match."""
    app = NewsReader(subscribed)
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(app, pilot)
        await feed_list_counted(app, pilot)
        assert tree_rows(app)["Musk"] == (9, 9, "search")
    kept = sqlite3.connect(subscribed)
    assert kept.execute("SELECT count(*) FROM kept_counts").fetchone()[0] == 2
    kept.close()
    statements: list[str] = []
    with FeedStore(subscribed) as store:
        store.db.conn.set_trace_callback(statements.append)
        counted = {s.name: (s.total, s.unread) for s in store.saved_searches()}
    assert counted == {"Musk": (9, 9), "Gamma only": (2, 2)}
    assert not [s for s in statements if s.startswith("WITH m(id)")]


async def test_marking_a_feed_list_row_read_asks_when_it_is_more_than_a_screenful(
    subscribed: Path,
) -> None:
    """`A` on a row of the feed list asks first, as the headlines do, when the row has more
    unread articles than the screen has lines (9 here, on an 8-line terminal)."""
    app = NewsReader(subscribed)
    async with app.run_test(size=(100, 8)) as pilot:
        await on_all_articles(app, pilot)
        await pilot.press("A")
        assert isinstance(app.screen, Confirm)
        assert app.screen.question == "Mark the 9 unread articles of every feed read?"
        await pilot.press("n")
        await settle(app, pilot)
        with FeedStore(subscribed) as store:
            assert store.count_matches("is:unread")[0] == 9
        await pilot.press("A", "y")
        await settle(app, pilot)
        with FeedStore(subscribed) as store:
            assert store.count_matches("is:unread")[0] == 0


async def test_marking_a_saved_search_not_counted_yet_still_asks(
    subscribed: Path, held_counts: threading.Event
) -> None:
    """A saved search shown as … (its count held back here by a gate) has no count on its
    row: `A` counts it before deciding whether to ask (9 unread on an 8-line screen)."""
    gate = held_counts
    app = NewsReader(subscribed)
    async with app.run_test(size=(100, 8)) as pilot:
        await open_feed_list(app, pilot)
        tree = app.screen.query_one(FeedTree)
        musk = next(n for n in _nodes(tree) if n.data and n.data.scope.label == "Musk")
        assert not musk.data.counted
        tree.move_cursor(musk)
        await pilot.press("A")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        gate.set()
        await settle(app, pilot)
    with FeedStore(subscribed) as store:
        assert store.count_matches("is:unread")[0] == 9


def _nodes(tree: FeedTree) -> list:
    out, stack = [], list(tree.root.children)
    while stack:
        node = stack.pop(0)
        out.append(node)
        stack.extend(node.children)
    return out


def _shown(tree: FeedTree) -> list[str]:
    """The rows on screen (a folded folder's rows are not), by their keys."""
    return [line.path[-1].data.key for line in tree._tree_lines if line.path[-1].data]


async def test_folded_folders_stay_folded_in_the_next_session(subscribed: Path) -> None:
    """Folds were forgotten when the reader quit: they are kept per database in the state
    file, whether folded by the key or by a click on the folder's arrow; another database's
    feed list is not folded by them."""
    from reader.ui.state import UiState

    def folded(tree: FeedTree) -> set[str]:
        return {n.data.key for n in _nodes(tree) if n.data and n.allow_expand
                and not n.is_expanded}  # fmt: skip

    app = NewsReader(subscribed)
    async with app.run_test(size=(120, 34)) as pilot:
        tree = await on_news_folder(app, pilot)
        await pilot.press("space")
        tech = next(n for n in _nodes(tree) if n.data and n.data.key == "folder:News/Tech")
        tech.collapse()  # as a click on its arrow does
        await settle(app, pilot)
        assert folded(tree) == {"folder:News", "folder:News/Tech"}
    again = NewsReader(subscribed, state=UiState.load())
    async with again.run_test(size=(120, 34)) as pilot:
        await settle(again, pilot)
        tree = await feed_list_counted(again, pilot)
        assert folded(tree) == {"folder:News", "folder:News/Tech"}
        news = next(n for n in _nodes(tree) if n.data and n.data.key == "folder:News")
        tree.move_cursor(news)
        await pilot.press("space")  # unfolded: so it is in the session after
        await settle(again, pilot)
    third = NewsReader(subscribed, state=UiState.load())
    async with third.run_test(size=(120, 34)) as pilot:
        await settle(third, pilot)
        tree = await feed_list_counted(third, pilot)
        assert folded(tree) == {"folder:News/Tech"}
    import os

    cwd = os.getcwd()
    os.chdir(subscribed.parent)
    try:  # the same file by a relative path: the same folds
        fifth = NewsReader(Path(subscribed.name), state=UiState.load())
        async with fifth.run_test(size=(120, 34)) as pilot:
            await settle(fifth, pilot)
            tree = await feed_list_counted(fifth, pilot)
            assert folded(tree) == {"folder:News/Tech"}
    finally:
        os.chdir(cwd)
    other = subscribed.with_name("other.db")
    with FeedStore(subscribed) as source, FeedStore(other) as copy:
        for sub in source.subscriptions():
            copy.subscribe(sub.url, sub.name, sub.category)
    fourth = NewsReader(other, state=UiState.load())
    async with fourth.run_test(size=(120, 34)) as pilot:
        await settle(fourth, pilot)
        tree = await feed_list_counted(fourth, pilot)
        assert folded(tree) == set()


async def test_a_folder_folds_and_stays_folded(subscribed: Path) -> None:
    """The folders showed ▼ but no key folded them: `space` (feeds.toggle_folder, in the
    footer) folds or unfolds the folder under the cursor, or the one of the feed under it,
    the cursor left on the folder; new counts keep it folded; enter opens without folding."""
    from reader.store import Change

    app = NewsReader(subscribed, keymap={"feeds.toggle_folder": "space,z"})
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(app, pilot)
        tree = await feed_list_counted(app, pilot)
        screen = app.screen
        assert isinstance(screen, FeedsScreen)
        folding = {k: b.binding for k, b in screen.active_bindings.items()
                   if b.binding.id == "feeds.toggle_folder"}  # fmt: skip
        assert folding.keys() == {"space", "z"} and folding["space"].show  # (in the footer)
        news = next(n for n in _nodes(tree) if n.data and n.data.key == "folder:News")
        tree.move_cursor(news)
        await pilot.press("space")
        assert not news.is_expanded and tree.cursor_node is news
        assert "folder:News" in _shown(tree) and "folder:News/Tech" not in _shown(tree)
        screen.store_changed(Change.MARKS)  # counts read again, the tree rebuilt
        await settle(app, pilot)
        news = next(n for n in _nodes(tree) if n.data and n.data.key == "folder:News")
        assert not news.is_expanded and tree.cursor_node is news
        await pilot.press("z")  # the keymap's other key: unfolded
        assert news.is_expanded and tree.cursor_node is news
        alpha = next(n for n in _nodes(tree) if n.data and n.data.scope.label == "Alpha")
        tree.move_cursor(alpha)
        await pilot.press("space")  # on a feed: its folder folds, the cursor goes to it
        tech = tree.cursor_node
        assert tech.data.key == "folder:News/Tech" and not tech.is_expanded
        assert news.is_expanded and not any(k.startswith("feed:") and "alpha" in k
                                            for k in _shown(tree))  # fmt: skip
        searches = next(n for n in tree.root.children if n.data is None)  # "Saved searches"
        tree.move_cursor(searches)
        await pilot.press("space")
        assert not searches.is_expanded and not any(k.startswith("search:") for k in _shown(tree))
        screen.store_changed(Change.MARKS)
        await settle(app, pilot)
        searches = next(n for n in tree.root.children if n.data is None)
        assert not searches.is_expanded and tree.cursor_node is searches  # (its key kept too)
        tree.move_cursor(next(n for n in _nodes(tree) if n.data and n.data.key == "folder:News"))
        await pilot.press("enter")  # opens the folder's headlines, leaves it unfolded
        await settle(app, pilot)
        assert isinstance(app.screen, HeadlinesScreen)
        await pilot.press("f")
        await settle(app, pilot)
        tree = app.screen.query_one(FeedTree)
        assert next(n for n in _nodes(tree) if n.data and n.data.key == "folder:News").is_expanded


async def test_saving_a_search_from_the_search_bar(subscribed: Path) -> None:
    app = NewsReader(subscribed)
    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.press("slash", *'entity:"Xiaomi"', "ctrl+s")
        assert isinstance(app.screen, Prompt)
        app.screen.query_one("Input").value = "Xiaomi everywhere"
        await pilot.press("enter")
        await settle(app, pilot)
        names = {s.name: s.query for s in app.store.saved_searches()}
        assert names["Xiaomi everywhere"] == 'entity:"Xiaomi"'
        # what is saved is what the list shows: the last word typed is a prefix
        await pilot.press("escape", "slash", *"alph", "ctrl+s")
        app.screen.query_one("Input").value = "xiaomi  EVERYWHERE"
        await pilot.press("enter")
        await settle(app, pilot)
        # the same name, any case: asked first (it was replaced at once, the old query lost)
        assert isinstance(app.screen, Confirm)
        assert app.screen.question == (
            "Replace the saved search 'xiaomi EVERYWHERE' (entity:\"Xiaomi\")?"
        )
        await pilot.press("n")
        await settle(app, pilot)
        assert app.store.saved_query("Xiaomi everywhere") == 'entity:"Xiaomi"'  # kept
        await pilot.press("ctrl+s")
        app.screen.query_one("Input").value = "xiaomi  EVERYWHERE"
        await pilot.press("enter", "y")
        await settle(app, pilot)
        names = {s.name: s.query for s in app.store.saved_searches()}
        queries = list(names.values())  # replaced
        assert queries.count("alph*") == 1 and 'entity:"Xiaomi"' not in queries
        assert any("Replaced search" in str(n.message) for n in app._notifications)


async def test_automatic_refresh_and_changes_from_other_processes(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    served = {"items": 2}
    httpserver.expect_request("/live.xml").respond_with_handler(
        lambda request: __import__("werkzeug").Response(rss("Live", served["items"]))
    )
    db = tmp_path / "live.db"
    with FeedStore(db) as store:
        store.subscribe(httpserver.url_for("/live.xml"))
    app = NewsReader(db, refresh=True, refresh_minutes=0.02)  # every 1.2 s
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(app, pilot)
        listed = app.screen.query_one(HeadlineList)
        assert len(listed.ids) == 2
        served["items"] = 5
        deadline = time.monotonic() + 20
        while len(listed.ids) < 5 and time.monotonic() < deadline:
            await pilot.pause(0.3)  # no key pressed: the interval refreshes
        assert len(listed.ids) == 5
        # Another process indexes a folder: the reader notices within seconds.
        write(tmp_path / "src" / "wire" / "a.txt", "date 2026-06-30 Un article venu d'ailleurs.")
        proc = subprocess.run(
            [sys.executable, "-m", "reader", "index", str(tmp_path / "src"), "--db", str(db)],
            capture_output=True,
            timeout=60,
        )
        assert proc.returncode == 0
        deadline = time.monotonic() + 20
        while len(listed.ids) < 6 and time.monotonic() < deadline:
            await pilot.pause(0.3)
        assert len(listed.ids) == 6


async def test_a_refresh_names_its_failing_feeds_briefly(subscribed: Path) -> None:
    """The reader's refresh names the feeds that failed: the status line with the reasons,
    the toast by name only (it stayed five lines at 80 columns with every reason in it)."""
    app = NewsReader(subscribed, refresh=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        toasts = [str(n.message) for n in app._notifications if n.severity == "warning"]
        assert toasts == ["refreshing: 1 failure: gone.xml  (f: the feed list says why)"]
        # first in the status line, which is cut (not wrapped out of sight) at its width
        assert app.headlines.progress.startswith("failed: gone.xml (HTTP 404")
        shown = app.screen.query_one("#status").render_line(0).text
        assert "failed: gone.xml (HTTP 404" in shown and shown.rstrip().endswith("…")


async def test_a_failure_mended_by_another_process_leaves_the_status_line(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    """The status line's "failed: …" stays while the feed still fails, and goes by itself once
    another process (``newsreader refresh``) fetched it: it is not left until the next R."""
    app = _refreshing_a_gone_feed(tmp_path, httpserver, "/back.xml", "Back soon")
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(app, pilot)
        assert app.headlines.progress.startswith("failed: Back soon (HTTP 404 ")
        proc = subprocess.run(  # still failing: the line stays
            [sys.executable, "-m", "reader", "refresh", "--db", str(tmp_path / "t.db")],
            capture_output=True, timeout=60,
        )  # fmt: skip
        assert proc.returncode == 1
        await pilot.pause(2.5)  # WATCH_SECONDS and a little
        assert app.headlines.progress.startswith("failed: Back soon")
        httpserver.clear()
        httpserver.expect_request("/back.xml").respond_with_data(rss("Back", 2))
        proc = subprocess.run(
            [sys.executable, "-m", "reader", "refresh", "--db", str(tmp_path / "t.db")],
            capture_output=True, timeout=60,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        deadline = time.monotonic() + 10
        while app.headlines.progress and time.monotonic() < deadline:
            await pilot.pause(0.3)
        assert app.headlines.progress == ""


def _refreshing_a_gone_feed(
    tmp_path: Path, httpserver: HTTPServer, path: str, name: str
) -> NewsReader:
    """A reader that refreshes, at start, one feed called ``name`` whose address answers 404."""
    httpserver.expect_request(path).respond_with_data("gone", status=404)
    db = tmp_path / "t.db"
    with FeedStore(db) as store:
        store.subscribe(httpserver.url_for(path), name=name)
    return NewsReader(db, refresh=True)


async def test_a_failing_feed_is_named_by_its_name(tmp_path: Path, httpserver: HTTPServer) -> None:
    """A feed the user named "Broken 404" is called that when it fails, not "404" (the last
    part of its address, which read like an HTTP code: the new-user test)."""
    app = _refreshing_a_gone_feed(tmp_path, httpserver, "/feeds/404", "Broken 404")
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(app, pilot)
        toasts = [str(n.message) for n in app._notifications if n.severity == "warning"]
        assert toasts == ["refreshing: 1 failure: Broken 404  (f: the feed list says why)"]
        assert app.headlines.progress.startswith("failed: Broken 404 (HTTP 404 ")


async def test_toasts_are_plain_text(tmp_path: Path, httpserver: HTTPServer) -> None:
    """A failing feed named in markup (`[@click=app.quit]`: an action in a toast) is named as
    written: every toast is plain text (the failure toast names feeds by name since 350c27e)."""
    app = _refreshing_a_gone_feed(tmp_path, httpserver, "/evil.xml", "[@click=app.quit]Evil[/]")
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(app, pilot)
        toasts = [n for n in app._notifications if n.severity == "warning"]
        assert [str(n.message) for n in toasts] == [
            "refreshing: 1 failure: [@click=app.quit]Evil[/]  (f: the feed list says why)"
        ]
        assert not any(n.markup for n in app._notifications)
        assert app.is_running


async def test_the_reader_says_a_feed_moved(tmp_path: Path, httpserver: HTTPServer) -> None:
    """A subscription moved to its new address by the reader's refresh is said in a toast
    (its warning reached only the command line: the review)."""
    from werkzeug import Response

    httpserver.expect_request("/old.xml").respond_with_response(
        Response(status=301, headers={"Location": httpserver.url_for("/new.xml")})
    )
    httpserver.expect_request("/new.xml").respond_with_data(rss("Moved", 2))
    db = tmp_path / "t.db"
    with FeedStore(db) as store:
        store.subscribe(httpserver.url_for("/old.xml"), name="Movers", fetch=True)
    app = NewsReader(db, refresh=True)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(app, pilot)
        notes = [str(n.message) for n in app._notifications if n.severity == "information"]
        assert any(
            note.startswith("refreshing: Movers: moved permanently to ")
            and note.endswith(
                "/new.xml (at two refreshes in a row): subscribed at the new address now"
            )
            for note in notes
        ), notes
    with FeedStore(db) as store:
        assert [s.url for s in store.subscriptions()] == [httpserver.url_for("/new.xml")]


def test_read_commands_create_nothing(tmp_path: Path) -> None:
    with pytest.raises(NoDatabase):
        FeedStore(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


def test_sample_feeds_fixture_is_untouched() -> None:
    assert (FEEDS / "numerama").is_dir()


async def test_last_and_first_rows_of_a_long_feed_list_are_in_view(tmp_path: Path) -> None:
    db = tmp_path / "many.db"
    with FeedStore(db) as store:
        store.index([str(FEEDS)])
        for i in range(45):
            store.subscribe(f"https://feed{i:02d}.example/rss", fetch=False)
    app = NewsReader(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        tree = await feed_list_counted(app, pilot)
        await pilot.press("G")
        await pilot.pause()
        top, height = tree.scroll_offset.y, tree.scrollable_content_region.height
        assert tree.cursor_line == tree.last_line > height
        assert top <= tree.cursor_line < top + height
        await pilot.press("g")
        await pilot.pause()
        assert tree.cursor_line == 0 and tree.scroll_offset.y == 0


async def test_the_feed_list_lays_itself_out_again_when_the_terminal_is_resized(
    subscribed: Path,
) -> None:
    """Names were cut to the width the list was opened at (12 columns at 40), and counts
    fell off the right edge when the terminal shrank, until the list was opened again."""
    long_name = "Alpha, the feed with a rather long name"
    with FeedStore(subscribed) as store:
        alpha = next(s for s in store.subscriptions() if s.label == "Alpha")
        store.subscribe(alpha.url, name=long_name)
    app = NewsReader(subscribed)

    def label() -> str:
        tree = app.screen.query_one(FeedTree)
        return next(str(n.label) for n in _nodes(tree) if n.data and n.data.key == alpha_key)

    async with app.run_test(size=(40, 12)) as pilot:
        await settle(app, pilot)
        await feed_list_counted(app, pilot)
        tree = app.screen.query_one(FeedTree)
        alpha_key = next(
            n.data.key for n in _nodes(tree) if n.data and n.data.scope.label == long_name
        )
        narrow = label()
        assert long_name not in narrow and "4/4" in narrow  # cut, its counts in view
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        assert long_name in label() and "4/4" in label()
        await pilot.resize_terminal(40, 12)
        await settle(app, pilot)
        assert label() == narrow


def dated(root: Path, count: int, start: int = 0) -> Path:
    """Dated-text articles ``start`` to ``start + count`` in a folder of their own."""
    for i in range(start, start + count):
        write(
            root / f"batch{start}" / f"{i:03d}.txt",
            f"date 2026-06-{i % 28 + 1:02d}\n\nStory {i}.\n",
        )
    return root / f"batch{start}"


def twelve(tmp_path: Path) -> Path:
    """A store of 12 dated articles (more than an 8-line screen shows: `A` asks first)."""
    db = tmp_path / "m.db"
    with FeedStore(db) as store:
        store.index([str(dated(tmp_path, 12))])
    return db


async def on_all_articles(app: NewsReader, pilot) -> None:
    """Open the feed list, every count read, with the cursor on "all articles"."""
    await settle(app, pilot)
    tree = await feed_list_counted(app, pilot)
    everything = next(n for n in _nodes(tree) if n.data and n.data.kind == EntryKind.ALL)
    tree.move_cursor(everything)


async def test_mark_all_read_marks_only_what_was_listed_when_asked(tmp_path: Path) -> None:
    """Articles that come in while the question is on screen are not marked with the rest."""
    db = twelve(tmp_path)
    app = NewsReader(db)
    async with app.run_test(size=(100, 8)) as pilot:
        await settle(app, pilot)
        await pilot.press("A")
        assert isinstance(app.screen, Confirm)
        assert app.screen.question == "Mark the 12 articles listed read?"
        with FeedStore(db) as other:  # another process indexes meanwhile
            other.index([str(dated(tmp_path, 5, start=100))])
        await pilot.pause(1.5)  # the reader sees them (its list grows behind the question)
        await pilot.press("y")
        await settle(app, pilot)
    with FeedStore(db) as store:
        assert store.count_matches("is:unread")[0] == 5
        assert store.count_matches("is:read")[0] == 12


async def test_marking_the_feed_list_read_spares_what_came_in_meanwhile(tmp_path: Path) -> None:
    """`A` on "all articles" and `C` (everything): only articles stored when asked."""
    db = twelve(tmp_path)
    app = NewsReader(db)
    async with app.run_test(size=(100, 8)) as pilot:
        await on_all_articles(app, pilot)
        await pilot.press("A")
        assert isinstance(app.screen, Confirm)
        assert app.writer.idle()  # the question has been on screen for a moment
        with FeedStore(db) as other:
            other.index([str(dated(tmp_path, 5, start=100))])
        await pilot.press("y")
        await settle(app, pilot)
        with FeedStore(db) as store:
            assert store.count_matches("is:unread")[0] == 5
        await pilot.press("C")
        assert isinstance(app.screen, Confirm)
        assert app.writer.idle()
        with FeedStore(db) as other:
            other.index([str(dated(tmp_path, 3, start=200))])
        await pilot.press("y")
        await settle(app, pilot)
    with FeedStore(db) as store:
        assert store.count_matches("is:unread")[0] == 3
        assert store.count_matches("is:read")[0] == 17


def test_marking_a_long_list_of_ids_changes_each_once(tmp_path: Path) -> None:
    """Mark all read hands the store the whole list: above ``MANY`` ids it goes through a
    temporary table, with the same result as one statement an id."""
    from reader.store.articles import MANY

    db = tmp_path / "m.db"
    with FeedStore(db) as store:
        store.index([str(dated(tmp_path, MANY + 50))])
        ids = list(store.search_id_array(""))
        assert store.set_read(ids[:10]) == 10  # a few, one by one
        assert store.set_read(ids + ids[:5]) == MANY + 40  # the rest; duplicates once
        assert store.set_read(ids) == 0
        assert store.count_matches("is:unread")[0] == 0
        assert store.set_starred(ids[: MANY + 1]) == MANY + 1
        assert store.count_matches("is:starred")[0] == MANY + 1
        assert store.set_read(ids, read=False) == MANY + 50
        assert store.count_matches("is:unread")[0] == MANY + 50


async def test_mark_read_counts_what_was_there_even_with_the_writer_busy(tmp_path: Path) -> None:
    """The ids are read when the question is asked, not when the writer gets to it: a write
    still waiting (here held on purpose, as one waits for another process's lock) does not
    let the articles stored meanwhile into the marking."""
    db = twelve(tmp_path)
    app = NewsReader(db)
    async with app.run_test(size=(100, 8)) as pilot:
        await on_all_articles(app, pilot)
        gate = threading.Event()
        app.writer.submit(lambda store: gate.wait(20))  # a write in progress
        await pilot.press("A")
        assert isinstance(app.screen, Confirm)
        await pilot.pause(0.5)  # the question on screen for a moment
        with FeedStore(db) as other:
            other.index([str(dated(tmp_path, 5, start=100))])
        gate.set()
        await pilot.press("y")
        await settle(app, pilot)
    with FeedStore(db) as store:
        assert store.count_matches("is:unread")[0] == 5


async def test_a_failed_read_of_the_ids_is_said_once_and_marks_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = twelve(tmp_path)
    app = NewsReader(db)
    async with app.run_test(size=(100, 8)) as pilot:
        await on_all_articles(app, pilot)

        def locked(self: FeedStore, *args: object, **kwargs: object) -> object:
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(FeedStore, "search_id_array", locked)
        await pilot.press("A")
        await pilot.press("n")  # asked and declined: nothing said
        await settle(app, pilot)
        assert not [n for n in app._notifications if n.severity == "error"]
        await pilot.press("A", "y")
        await settle(app, pilot)
        await pilot.pause(0.2)
        messages = [(n.severity, n.message) for n in app._notifications]
        assert [s for s, _ in messages].count("error") == 1, messages
        assert not [m for _, m in messages if "marked read" in m]
    with FeedStore(db) as store:
        assert store.count_matches("is:unread")[0] == 12


async def test_mark_all_read_while_the_full_list_is_still_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With only the first screenful listed ("200+"), the query's ids are read when `A` is
    pressed: articles stored before the answer are not marked."""
    db = tmp_path / "m.db"
    with FeedStore(db) as store:
        store.index([str(dated(tmp_path, 250))])
    gate = threading.Event()  # holds the headlines' full list back
    search = FeedStore.search_id_array

    def held(self: FeedStore, text: str, order: str = "date", limit: int | None = None) -> object:
        if limit is None and threading.current_thread().name != "newsreader-snapshot":
            gate.wait(20)
        return search(self, text, order, limit)

    monkeypatch.setattr(FeedStore, "search_id_array", held)
    app = NewsReader(db)
    async with app.run_test(size=(100, 8)) as pilot:
        try:
            for _ in range(200):
                if app.headlines.found == (200, False):
                    break
                await pilot.pause(0.05)
            assert app.headlines.found == (200, False)
            await pilot.press("A")
            assert isinstance(app.screen, Confirm)
            assert app.screen.question == "Mark the 200+ articles listed read?"
            await pilot.pause(0.5)  # the question on screen for a moment
            with FeedStore(db) as other:
                other.index([str(dated(tmp_path, 5, start=300))])
            await pilot.press("y")
        finally:
            gate.set()
        await settle(app, pilot)
    with FeedStore(db) as store:
        assert store.count_matches("is:unread")[0] == 5
        assert store.count_matches("is:read")[0] == 250


def test_two_readers_keep_each_others_searches_and_positions(tmp_path: Path) -> None:
    """Two readers open at once: the last to quit wrote its history and positions over the
    other's ("merkel", searched in the reader that quit first, was gone)."""
    from reader.ui.state import UiState

    path = tmp_path / "state.json"
    first = UiState(["tesla"], {"a.db": "u1"})
    first.save(path)
    one, two = UiState.load(path), UiState.load(path)
    two.remember("merkel")
    two.positions["b.db"] = "u2"
    two.save(path)
    one.remember("google")
    one.remember("tesla")  # searched again: the most recent
    one.positions["a.db"] = "u3"
    one.save(path)
    again = UiState.load(path)
    assert again.history == ["merkel", "google", "tesla"]
    assert again.positions == {"a.db": "u3", "b.db": "u2"}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temporary file left


async def test_a_damaged_state_file_is_said_and_kept_aside(
    tmp_path: Path, subscribed: Path
) -> None:
    """A state file that is no JSON (a disk full mid-write by another program, an edit gone
    wrong) was replaced at the next quit without a word: the reader says so in a toast,
    and the next save keeps the old file as ``state.json.bad`` before writing a new one."""
    from reader.ui.state import UiState

    path = tmp_path / "state.json"  # (NEWSREADER_STATE, as conftest sets it)
    path.write_text('{"history": ["tesla", ')
    app = NewsReader(subscribed, [])
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause(0.3)
        said = [str(n.message) for n in app._notifications]
        assert any(m.startswith(f"The reader's state file {path} was damaged") for m in said), said
    assert (tmp_path / "state.json.bad").read_text() == '{"history": ["tesla", '
    again = UiState.load(path)
    assert again.problem is None
    assert again.positions  # this session's position was saved in the new file


def test_an_unreadable_state_file_is_said(tmp_path: Path) -> None:
    """A state file that cannot be read (a folder where the file should be) is said, and
    nothing is moved; a missing file is a fresh start without a word."""
    from reader.ui.state import UiState

    assert UiState.load(tmp_path / "none.json").problem is None
    folder = tmp_path / "state.json"
    folder.mkdir()
    state = UiState.load(folder)
    assert state.problem == f"The reader's state file {folder} could not be read (is a directory)"
    state.save(folder)
    assert folder.is_dir() and not (tmp_path / "state.json.bad").exists()


def test_a_state_file_that_cannot_be_read_is_not_written_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading fails (permissions, an I/O error): said, and the save leaves the file as it
    is (it wrote a new one over it, which needs only the folder to be writable)."""
    from reader.ui.state import UiState

    path = tmp_path / "state.json"
    path.write_text('{"history": ["kept"]}')
    real = Path.read_text

    def refused(self: Path, *args: object, **kwargs: object) -> str:
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", refused)
    state = UiState.load(path)
    assert state.problem == f"The reader's state file {path} could not be read (permission denied)"
    state.remember("lost")
    state.save(path)
    monkeypatch.undo()
    assert path.read_text() == '{"history": ["kept"]}'


def test_a_damaged_state_file_mended_meanwhile_is_not_kept_aside(tmp_path: Path) -> None:
    """Another reader replaced the damaged file with a good one before this one saved:
    the good file is merged, not moved aside as the damaged one."""
    from reader.ui.state import UiState

    path = tmp_path / "state.json"
    path.write_text("not json")
    one, two = UiState.load(path), UiState.load(path)
    assert one.problem and two.problem
    two.remember("merkel")
    two.save(path)
    assert (tmp_path / "state.json.bad").read_text() == "not json"
    one.remember("tesla")
    one.save(path)
    assert (tmp_path / "state.json.bad").read_text() == "not json"
    assert UiState.load(path).history == ["merkel", "tesla"]


def test_a_state_file_that_is_a_named_pipe_is_said_not_read(tmp_path: Path) -> None:
    """A named pipe as the state file (NEWSREADER_STATE=FIFO): reading it waited for a writer
    before the reader drew anything; now it is said and left alone."""
    import os

    from reader.ui.state import UiState

    fifo = tmp_path / "state.fifo"
    os.mkfifo(fifo)
    state = UiState.load(fifo)
    assert state.problem == f"The reader's state file {fifo} could not be read (not a regular file)"
    state.save(fifo)  # (returns: nothing written, nothing left beside it)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.fifo"]


def test_a_state_file_damaged_while_the_reader_ran_keeps_the_sessions_view(
    tmp_path: Path,
) -> None:
    """The file was damaged after the reader read it: the save kept only this session's
    searches (the history read at the start was lost) and dropped the theme."""
    from reader.ui.state import UiState

    path = tmp_path / "state.json"
    first = UiState()
    first.remember("defi")
    first.remember("tesla")
    first.positions["a.db"], first.theme = "u1", "nord"
    first.save(path)
    state = UiState.load(path)
    state.remember("macron")
    path.write_text("GARBAGE{")
    state.save(path)
    again = UiState.load(path)
    assert again.history == ["defi", "tesla", "macron"]
    assert again.positions == {"a.db": "u1"} and again.theme == "nord"
    assert (tmp_path / "state.json.bad").read_text() == "GARBAGE{"


def test_two_readers_keep_each_others_folds(tmp_path: Path) -> None:
    """Folds are merged per database and folder: what this reader folded or unfolded, else
    the file's (another reader's); unfolding everything is a change too. One reader
    unfolding a folder while the other folded another kept only the last to quit's."""
    from reader.ui.state import UiState

    path = tmp_path / "state.json"
    UiState(folds={"a.db": ["folder:News"], "c.db": ["folder:X"]}).save(path)
    one, two = UiState.load(path), UiState.load(path)
    two.folds["b.db"] = ["folder:Sport"]
    two.folds["c.db"] = []  # unfolded there
    two.save(path)
    one.folds["a.db"] = ["folder:News", "folder:News/Tech"]
    one.save(path)
    assert UiState.load(path).folds == {
        "a.db": ["folder:News", "folder:News/Tech"],
        "b.db": ["folder:Sport"],
    }
    three, four = UiState.load(path), UiState.load(path)
    three.folds["a.db"] = ["folder:News/Tech"]  # News unfolded here
    four.folds["a.db"] = ["folder:Autos", "folder:News", "folder:News/Tech"]  # Autos folded
    three.save(path)
    four.save(path)
    assert UiState.load(path).folds["a.db"] == ["folder:Autos", "folder:News/Tech"]


def _items_feed(title: str, numbers: range | list[int]) -> str:
    """A feed whose items have global guids (addresses): two feeds naming one carry the same
    article."""
    items = "".join(
        f"<item><title>Story {i}</title><guid>https://s.example/{i}</guid>"
        f"<pubDate>Mon, {i + 1:02d} Jun 2026 10:00:00 GMT</pubDate>"
        f"<description>Story number {i}.</description></item>"
        for i in numbers
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"{items}</channel></rss>"
    )


async def test_a_folder_counts_an_article_two_of_its_feeds_carry_once(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    """A folder's counts were its feeds' counts added up: an article carried by two of its
    feeds (a paper's front page and its world section) counted twice, so the folder said 11
    where opening it listed 8."""
    feeds = {
        "une": ("Une", range(0, 5), "Sections"),
        "monde": ("Monde", range(3, 7), "Sections"),
        "unebis": ("Une", [0, 6, 7], "Sections/Sub"),  # same name as another: same source
        "solo": ("Solo", [3], "Other"),
    }
    db = tmp_path / "t.db"
    with FeedStore(db) as store:
        for path, (title, numbers, folder) in feeds.items():
            httpserver.expect_request(f"/{path}.xml").respond_with_data(_items_feed(title, numbers))
            store.subscribe(httpserver.url_for(f"/{path}.xml"), category=folder)
        store.refresh()
        assert store.mark_read("Story 3") == 1
    app = NewsReader(db)
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(app, pilot)
        await feed_list_counted(app, pilot)
        rows = tree_rows(app)
        assert rows["all articles"][:2] == (7, 8)
        assert rows["Sections"][:2] == (7, 8)  # 0-7 once each (the sums: 9/11)
        assert rows["Sections/Sub"][:2] == (3, 3)
        assert rows["Other"][:2] == (0, 1)
        tree = app.screen.query_one(FeedTree)
        sections = next(n for n in _nodes(tree) if n.data and n.data.key == "folder:Sections")
        tree.move_cursor(sections)
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(app.screen.query_one(HeadlineList).ids) == 8


def test_feeds_of_the_same_name_that_carry_one_article_are_found(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    """Feeds stored under the same name give their articles the same source, which
    ``shared_sources`` does not record: they are looked at too."""
    db = tmp_path / "t.db"
    with FeedStore(db) as store:
        for path, numbers in (("a", [1, 2]), ("b", [2, 3])):
            httpserver.expect_request(f"/{path}.xml").respond_with_data(
                _items_feed("Same", numbers)
            )
            store.subscribe(httpserver.url_for(f"/{path}.xml"), category="Twins")
        store.refresh()
        assert not store.db.conn.execute("SELECT name FROM shared_sources").fetchall()
        ids = tuple(sorted(s.id for s in store.subscriptions()))
        assert store.shared_articles() == [SharedCount(ids, 1, 1)]
        store.mark_read("")
        assert store.shared_articles() == [SharedCount(ids, 1, 0)]


async def test_an_indexed_folder_named_as_a_feed_is_titled_stays_in_the_feed_list(
    tmp_path: Path,
) -> None:
    """Sources a subscription names were left out of "Other sources": an indexed folder
    `foo/` beside a feed titled "foo" was in no row of the feed list (16,667 of a user's
    21,500 articles were out of reach from it)."""
    news = tmp_path / "news"
    for name, day in (("a", 1), ("b", 2)):
        write(news / "foo" / f"{name}.txt", f"date 2026-11-0{day}\n\nStory {name} of foo.\n")
    write(news / "bar" / "c.txt", "date 2026-11-03\n\nStory c of bar.\n")
    feed = write(tmp_path / "foo.xml", _items_feed("foo", [1]))
    db = tmp_path / "t.db"
    with FeedStore(db) as store:
        store.index([str(news)])
        store.subscribe(str(feed))
        store.refresh()
    app = NewsReader(db)
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(app, pilot)
        await feed_list_counted(app, pilot)
        nodes = [n.data for n in _nodes(app.screen.query_one(FeedTree)) if n.data]
        feeds = {e.scope.label: e.total for e in nodes if e.kind == EntryKind.FEED}
        sources = {e.scope.label: e.total for e in nodes if e.kind == EntryKind.SOURCE}
        assert (feeds, sources) == ({"foo": 1}, {"foo": 3, "bar": 1})


async def test_enter_on_other_sources_folds_it(tmp_path: Path) -> None:
    """Enter on "Other sources" (a folder with no list of its own) did nothing, without a
    word, where the README says enter opens a folder: it folds and unfolds it now."""
    news = tmp_path / "news"
    write(news / "foo" / "a.txt", "date 2026-11-01\n\nStory a of foo.\n")
    db = tmp_path / "t.db"
    with FeedStore(db) as store:
        store.index([str(news)])
    app = NewsReader(db)
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(app, pilot)
        tree = await feed_list_counted(app, pilot)
        other = next(n for n in tree.root.children if n.data is None)
        tree.move_cursor(other)
        await pilot.press("enter")
        await settle(app, pilot)
        other = next(n for n in tree.root.children if n.data is None)
        assert not other.is_expanded and isinstance(app.screen, FeedsScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        assert next(n for n in tree.root.children if n.data is None).is_expanded


async def test_the_feed_list_shown_again_starts_on_the_row_last_opened(subscribed: Path) -> None:
    """Back in the feed list after opening a folder, the cursor was on "all articles" again:
    a reader going through folders one by one had to find their place each time."""
    app = NewsReader(subscribed)
    async with app.run_test(size=(120, 34)) as pilot:
        await on_news_folder(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HeadlinesScreen)
        tree = await feed_list_counted(app, pilot)
        assert tree.cursor_node is not None and tree.cursor_node.data is not None
        assert tree.cursor_node.data.key == "folder:News"
