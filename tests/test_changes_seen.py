"""What another connection's writes changed, as the reader sees it (``FeedStore.changed_since``),
and the reader reading again only what those changes reach.

Each write is made by a second store on the same file (another process, or the reader's
extraction worker); the first one looks before and after.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path

import pytest

from reader.store import Change, FeedStore
from reader.ui.app import NewsReader
from reader.ui.widgets.headline_list import HeadlineList
from reader.ui.writer import WriteDone, WriteFailed

from .conftest import FEEDS, SAMPLE_ARTICLES, settle, write

MORE = "date 2021-04-02 Un article de plus sur Tesla.\n\nTesla ouvre une usine.\n"


@pytest.fixture
def two(tmp_path: Path):
    """The reader's store and another on the same file, the sample indexed, no entities."""
    path = tmp_path / "seen.db"
    with FeedStore(path) as other:
        other.index([str(FEEDS)])
        with FeedStore(path) as reader:
            yield reader, other, tmp_path


def test_each_kind_of_write_is_told_apart(two) -> None:
    reader, other, tmp_path = two
    seen = reader.checkpoint()

    def look() -> Change:
        nonlocal seen
        change, seen = reader.changed_since(seen)
        return change

    assert look() == Change.NONE
    uid = other.search("tesla")[0].uid
    other.set_read([uid])
    assert look() == Change.MARKS
    other.set_starred([uid])  # starred marks are not logged, but they are seen
    assert look() == Change.MARKS
    other.extract_entities(workers=1, bulk=False)
    assert look() == Change.ENTITIES
    write(tmp_path / "more" / "a.txt", MORE)
    other.index([str(tmp_path / "more")])
    assert look() == Change.ADDED
    other.set_read([uid], False)
    other.extract_entities(workers=1, bulk=False)
    assert look() == Change.MARKS | Change.ENTITIES
    other.save_search("cars", "tesla")
    assert look() == Change.CONTENT
    assert look() == Change.NONE


def test_a_history_that_is_not_the_one_seen_is_a_content_change(two) -> None:
    """The file replaced under the reader by one whose numbers match (a backup restored):
    told by the generation's token, never taken for "nothing changed"."""
    reader, other, _ = two
    seen = reader.checkpoint()
    with other.db.transaction(Change.NONE) as tx:
        tx.execute("UPDATE steps SET token = token + 1")
    change, _ = reader.changed_since(seen)
    assert change == Change.CONTENT


def test_which_changes_reach_which_queries(tmp_path: Path) -> None:
    with FeedStore(tmp_path / "q.db") as store:
        reach = store.matches_change
        for change in (Change.ADDED, Change.CONTENT, Change.ADDED | Change.ENTITIES):
            assert reach("", change) and reach("tesla", change)
        assert not reach("", Change.NONE)
        assert not reach("tesla", Change.ENTITIES) and not reach("tesla", Change.MARKS)
        assert reach('entity:"Elon Musk"', Change.ENTITIES)
        assert not reach('entity:"Elon Musk"', Change.MARKS)
        assert reach("is:unread tesla", Change.MARKS) and reach("-is:starred", Change.MARKS)
        assert reach("source:", Change.ENTITIES)  # does not parse: run again, say why
    with FeedStore(tmp_path / "q.db", ignore=("is:starred",)) as marks_rule:
        assert marks_rule.matches_change("tesla", Change.MARKS)
    with FeedStore(tmp_path / "q.db", ignore=('entity:"Elon Musk"',)) as entity_rule:
        assert entity_rule.matches_change("tesla", Change.ENTITIES)


def test_a_schema_11_database_is_upgraded_and_its_marks_counted(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with FeedStore(path) as store:
        store.index([str(FEEDS)])
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE generation DROP COLUMN marks")
    conn.execute("ALTER TABLE feeds DROP COLUMN retry_after")  # (schema 13's)
    conn.execute("ALTER TABLE feeds DROP COLUMN moved_to")
    conn.execute("ALTER TABLE feeds DROP COLUMN moved_seen")  # (schema 15's)
    conn.execute("ALTER TABLE generation DROP COLUMN titles_below")  # (schema 16's)
    conn.execute("ALTER TABLE origins DROP COLUMN owner")
    conn.execute("PRAGMA user_version = 11")
    conn.commit()
    conn.close()
    with FeedStore(path) as reader, FeedStore(path) as other:
        seen = reader.checkpoint()
        other.set_starred([other.search("tesla")[0].uid])
        assert reader.changed_since(seen)[0] == Change.MARKS


# -- the reader ------------------------------------------------------------------------------
@contextlib.asynccontextmanager
async def writes_held(path: Path):
    """Another process holds the write lock meanwhile: the reader's writes wait for it."""
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        blocker.execute("COMMIT")
        blocker.close()


def headlines(app: NewsReader) -> HeadlineList:
    return app.headlines.query_one(HeadlineList)


def sample_file(path: Path, refuse: str | None = None) -> Path:
    """The sample indexed into ``path`` (no entities); with ``refuse``, a trigger that makes
    every write of that mark column fail (a write that cannot be stored)."""
    with FeedStore(path) as store:
        store.index([str(FEEDS)])
        if refuse:
            store.db.conn.execute(
                f"CREATE TRIGGER refuse BEFORE UPDATE OF {refuse} ON articles "
                f"BEGIN SELECT RAISE(ABORT, '{refuse} refused'); END"
            )
    return path


def quiet_reader(path: Path, store: FeedStore | None = None) -> NewsReader:
    """A reader with no background work of its own: the test's writes are the only ones."""
    app = NewsReader(path, [], store=store)
    app.background_work = lambda **_: None  # type: ignore[method-assign]
    return app


async def test_the_reader_reads_again_only_what_a_change_reaches(tmp_path: Path) -> None:
    """New mentions leave the list of headlines as it was (at a million articles reading it
    again after every batch of the extraction beside the reader made its slowest
    keystrokes); an `entity:` search is run again; a read mark from another process shows
    in the row without the list being read again."""
    path = sample_file(tmp_path / "seen.db")
    app = quiet_reader(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        hl = headlines(app)
        listed = hl.ids
        assert len(listed) == SAMPLE_ARTICLES
        with FeedStore(path) as other:
            other.extract_entities(workers=1, bulk=False)
            app._changed()
            await settle(app, pilot)
            assert hl.ids is listed  # not read again
            first = hl.article_at(0)
            assert first is not None and not first.read
            other.set_read([first.uid])
            app._changed()
            await settle(app, pilot)
            assert hl.ids is listed
            article = hl.article_at(0)
            assert article is not None and article.read
            app.headlines.search_text = "entity:Tesla"
            app.headlines.rerun()
            await settle(app, pilot)
            found = hl.ids
            write(tmp_path / "more" / "a.txt", MORE)
            other.index([str(tmp_path / "more")])
            other.extract_entities(workers=1, bulk=False)
            app._changed()
            await settle(app, pilot)
            assert hl.ids is not found and len(hl.ids) == len(found) + 1


async def test_a_mark_written_while_the_list_was_read_again_shows_its_new_state(
    tmp_path: Path,
) -> None:
    """The page of rows read while a mark waited for the write lock holds the state before
    the mark; once written, the row shows the mark (it showed the old state until the next
    change, and a CI run failed on it)."""
    path = sample_file(tmp_path / "race.db")
    app = quiet_reader(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        hl = headlines(app)
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # another process's write: the mark waits
        try:
            await pilot.press("r")  # toggle read on the first row
            assert hl.article_at(0).read  # shown at once
            hl.forget_rows()  # the list read again meanwhile (a change elsewhere)
            hl.article_at(1)  # a page of rows read from the store, the first among them
            assert hl.article_at(0).read  # the pending mark still wins
        finally:
            blocker.execute("COMMIT")
            blocker.close()
        await settle(app, pilot)
        row = hl.article_at(0)
        assert row is not None and row.read  # the written mark, not the page read before it
        with FeedStore(path) as fresh:
            assert fresh.article(row.rowid).read


async def test_a_mark_that_could_not_be_written_goes_back(tmp_path: Path) -> None:
    """A write that fails is said, and the row shows the store's state again (it kept
    showing the mark that was never stored)."""
    path = sample_file(tmp_path / "refused.db", refuse="read")
    app = quiet_reader(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        hl = headlines(app)
        await pilot.press("r")
        await settle(app, pilot)
        row = hl.article_at(0)
        assert row is not None and not row.read
        assert any("read refused" in str(n.message) for n in app._notifications)


async def test_the_sources_panel_follows_an_ignore_rule_naming_an_entity(tmp_path: Path) -> None:
    """With a rule that hides articles by entity, new mentions change what is hidden: the list
    and the sources panel's counts both follow (the panel kept its old counts)."""
    from reader.ui.widgets.sources_panel import SourcesPanel

    path = sample_file(tmp_path / "hide.db")
    app = quiet_reader(path, FeedStore(path, ignore=("entity:Tesla",)))
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        panel = app.headlines.query_one(SourcesPanel)
        assert len(headlines(app).ids) == SAMPLE_ARTICLES
        with FeedStore(path) as other:
            other.extract_entities(workers=1, bulk=False)
        app._changed()
        await settle(app, pilot)
        shown = len(headlines(app).ids)
        assert 0 < shown < SAMPLE_ARTICLES
        first = str(panel.get_option_at_index(0).prompt)
        assert first == f"All  {shown}/{shown} unread", first


async def test_a_failed_mark_then_a_written_one_shows_what_is_stored(tmp_path: Path) -> None:
    """A star that could not be written, then a read mark that was, on the same row: the row
    shows the store's state (read, not starred), not the star asked for first."""
    path = sample_file(tmp_path / "mixed.db", refuse="starred")
    app = quiet_reader(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        hl = headlines(app)
        async with writes_held(path):
            await pilot.press("s", "r")  # both asked before either is written
        await settle(app, pilot)
        row = hl.article_at(0)
        assert row is not None and row.read and not row.starred
        # The article screen: a refused star, then a toggle of read, both in flight; once
        # both are done, the article's state is the stored one (not starred).
        await pilot.press("enter")
        screen = app.screen
        await settle(app, pilot)
        async with writes_held(path):
            await pilot.press("s", "r")
        await settle(app, pilot)
        assert not screen.article.starred
        stored = app.store.article(screen.article.rowid)
        assert stored is not None and screen.article.read == stored.read


def subscribed_feed(tmp_path: Path) -> tuple[Path, Path]:
    """A store subscribed to a three-item RSS file, refreshed: (database, feed file)."""
    items = "".join(
        f"<item><title>Item {i}</title><guid>urn:gone:{i}</guid>"
        f"<pubDate>Mon, 0{i} Mar 2021 10:00:00 GMT</pubDate><description>Texte {i}.</description>"
        "</item>"
        for i in range(1, 4)
    )
    feed = write(
        tmp_path / "feed.xml",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Gone</title>{items}'
        "</channel></rss>",
    )
    path = tmp_path / "gone.db"
    with FeedStore(path) as store:
        store.subscribe(str(feed))
        store.refresh()
    return path, feed


@pytest.mark.parametrize("where", ["article", "list"])
async def test_a_mark_on_an_article_whose_feed_was_removed_meanwhile_is_said(
    tmp_path: Path, where: str
) -> None:
    """Another process removes the feed of the article on screen; a star or a read mark then
    says the article is gone (it said "Starred" and stored nothing)."""
    path, feed = subscribed_feed(tmp_path)
    app = quiet_reader(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        if where == "article":
            await pilot.press("enter")
            await settle(app, pilot)
        with FeedStore(path) as other:
            other.unsubscribe(str(feed))
            assert other.count() == 0
        await pilot.press("s")  # the row or the article as it was read before
        await settle(app, pilot)
        said = [str(n.message) for n in app._notifications]
        assert any("no longer in the store" in m for m in said), said
        assert "Starred" not in said  # (it said "Starred", then that it was not)


@pytest.mark.parametrize("new", [100, 600])
async def test_the_cursor_stays_on_its_article_when_many_arrive_above_it(
    tmp_path: Path, new: int
) -> None:
    """More new articles above the cursor than the first page of a list read again: the
    cursor stays on the article it was on (it went to the first row, and the next `r` marked
    an article never chosen)."""
    path = sample_file(tmp_path / "many.db")
    app = quiet_reader(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        hl = headlines(app)
        await pilot.press(*"jjjjjjj")
        chosen = hl.current
        assert chosen is not None and hl.cursor == 7
        for i in range(new):
            write(tmp_path / "new" / f"{i:04d}.txt", f"date 2099-01-01\n\nNouvel article {i}.\n")
        with FeedStore(path) as other:
            other.index([str(tmp_path / "new")])
        app._changed()
        await settle(app, pilot)
        assert len(hl.ids) == SAMPLE_ARTICLES + new
        assert hl.current is not None and hl.current.rowid == chosen.rowid
        assert hl.cursor == 7 + new


async def test_quitting_while_a_mark_waits_for_the_write_lock_says_it_was_not_saved(
    tmp_path: Path,
) -> None:
    """Another process holds the write lock: `q` waits a few seconds with a message, then
    quits and the mark not written is said (the screen stayed blank for 30 s and the mark was
    lost without a word)."""
    from reader.ui.app import QUIT_WAIT

    path = sample_file(tmp_path / "held.db")
    app = quiet_reader(path)
    async with writes_held(path):
        started = 0.0
        async with app.run_test(size=(110, 30)) as pilot:
            await settle(app, pilot)
            await pilot.press("r", "q")
            started = time.monotonic()
            await pilot.pause(0.3)
            said = [str(n.message) for n in app._notifications]
            assert any("Saving your marks" in m for m in said), said
        left = time.monotonic() - started
        assert left < QUIT_WAIT + 5, left  # (it waited for the 30 s busy timeout and more)
        assert app.fatal == f"1 article's mark not saved: another process kept {path} busy"
        with FeedStore(path) as fresh:  # (a reader: it does not wait for the lock)
            assert fresh.count_matches("is:read")[0] == 0
        # (the process would end here; this one goes on, and the left-behind write with it)


async def test_quitting_waits_for_a_mark_whose_lock_comes_free(tmp_path: Path) -> None:
    path = sample_file(tmp_path / "freed.db")
    app = quiet_reader(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        await pilot.press("r", "q")
        await pilot.pause(0.5)
        blocker.execute("COMMIT")  # within the wait
        blocker.close()
    assert app.fatal is None
    with FeedStore(path) as fresh:
        assert fresh.count_matches("is:read")[0] == 1


async def test_a_write_finishing_as_the_reader_quits_updates_no_screen(tmp_path: Path) -> None:
    """A mark whose write ends as the quit wait ends: its follow-up (the list's row, the
    counts) arrives after the exit began, when the headlines screen has lost its list. It is
    not run (it raised NoMatches, and the reader ended on a traceback)."""
    path = sample_file(tmp_path / "late.db")
    app = quiet_reader(path)
    ran: list[object] = []

    def then(result: object) -> None:
        ran.append(result)
        app.screen.query_one(HeadlineList)

    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        app.exit()
        app.post_message(WriteDone(then, 1))  # after the exit, as from the writer's thread
        app.post_message(WriteFailed("database is locked", lambda: ran.append("failed")))
    assert ran == []
    assert app.fatal is None


async def test_an_extraction_another_process_did_leaves_no_progress_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader's extraction found 7,000 articles pending, then an `index` beside it
    extracted them all: nothing was left for the reader to extract, and its status line
    kept "entities 0/7,000" for the rest of the session."""
    path = sample_file(tmp_path / "beside.db")

    def done_elsewhere(self: FeedStore, progress=None, workers=None, bulk=True) -> int:
        if progress is not None:
            progress(0, 7000)
        time.sleep(0.3)  # (shown meanwhile)
        return 0  # every batch found done by the other process

    monkeypatch.setattr(FeedStore, "extract_entities", done_elsewhere)
    app = NewsReader(store=FeedStore(path))
    async with app.run_test(size=(110, 30)) as pilot:
        deadline = time.monotonic() + 5
        while "entities 0/7,000" not in app.headlines.progress:
            assert time.monotonic() < deadline, app.headlines.progress
            await pilot.pause(0.02)
        await settle(app, pilot)
        await pilot.pause(0.1)
        assert app.headlines.progress == ""


async def test_the_sample_says_when_the_users_database_fills_and_r_opens_it(
    tmp_path: Path,
) -> None:
    """The reader opened on the bundled sample (the user's database empty); another shell
    then adds articles to the user's database: the reader says so once, and `R` quits to
    reopen on it (the reader stayed on the sample and `R` did nothing)."""
    user = tmp_path / "user.db"
    sample = sample_file(tmp_path / "sample.db")
    app = NewsReader(store=FeedStore(sample), sample=True, user_db=user)
    app.background_work = lambda **_: None  # type: ignore[method-assign]
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("R")  # the user's database is not even made yet
        await settle(app, pilot)
        said = [str(n.message) for n in app._notifications]
        assert any("still empty" in m for m in said), said
        assert not app.reopen
        write(tmp_path / "mine" / "a.txt", "date 2099-01-01\n\nMon article.\n")
        with FeedStore(user) as other:
            other.index([str(tmp_path / "mine")])
        app._watch_user_db()
        app._watch_user_db()  # said once
        await settle(app, pilot)
        said = [str(n.message) for n in app._notifications]
        assert sum("has articles now: press R" in m for m in said) == 1, said
        await pilot.press("R")
        await settle(app, pilot)
    assert app.reopen


async def test_r_while_a_refresh_runs_does_not_start_another(tmp_path: Path) -> None:
    """`R` twice: the second says a refresh is running (a thread worker cannot be cancelled,
    and the second one fetched every feed again)."""
    path = sample_file(tmp_path / "r.db")
    app = quiet_reader(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        app.fetching = True  # what background_work sets while it indexes or refreshes
        await pilot.press("R")
        await settle(app, pilot)
        said = [str(n.message) for n in app._notifications]
        assert said == ["Already refreshing: the feeds are being fetched."], said


@pytest.mark.parametrize("kind", ["feed", "folder", "search"])
async def test_a_list_removed_by_another_process_gives_way_to_all_articles(
    tmp_path: Path, kind: str
) -> None:
    """The headlines show a feed (or a folder, or a saved search) that another process then
    removes: the reader says so and shows all articles (it showed "0 of 0" under the removed
    name until escape)."""
    from reader.ui.scope import Scope, ScopeKind

    path, _ = subscribed_feed(tmp_path)
    with FeedStore(path) as store:
        (url,) = [s.url for s in store.subscriptions()]
        store.save_search("Texte", "texte")
    scope = {
        "feed": Scope.feed(url, "Gone"),
        "folder": Scope.folder("Folder", [url]),
        "search": Scope.search("Texte", "texte"),
    }[kind]
    app = quiet_reader(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        app.headlines.scope = scope
        await settle(app, pilot)
        assert len(headlines(app).ids) == 3
        with FeedStore(path) as other:
            other.save_search("Other", "autre")  # a change that removes nothing
        app._changed()
        await settle(app, pilot)
        assert app.headlines.scope == scope
        with FeedStore(path) as other:
            if kind == "search":
                other.unsave_search("Texte")
            else:
                other.unsubscribe(url)
        app._changed()
        await settle(app, pilot)
        assert app.headlines.scope.kind == ScopeKind.ALL
        said = [str(n.message) for n in app._notifications]
        assert f"{scope.label} was removed: all articles are shown." in said, said


async def test_the_sample_says_it_is_the_sample(tmp_path: Path) -> None:
    """The status line of the sample said only "50 of 50 articles"; with no start-up work
    to report (none here), it said nothing at all."""
    from textual.widgets import Static

    app = NewsReader(store=FeedStore(sample_file(tmp_path / "s.db")), sample=True)
    app.background_work = lambda **_: None  # type: ignore[method-assign]
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        status = str(app.headlines.query_one("#status", Static).render())
    n = SAMPLE_ARTICLES
    assert status == f"{n} of {n} articles  ·  {n} unread  ·  the bundled sample"


async def test_r_is_free_again_once_the_feeds_are_fetched(tmp_path: Path) -> None:
    """The flag that makes a second `R` say "Already refreshing" is up from the key press to
    the end of the fetch, not through the entity extraction after it (minutes on a large
    store, when R kept saying the feeds were being fetched)."""
    path, _ = subscribed_feed(tmp_path)
    app = NewsReader(path, [])
    during: list[bool] = []
    extract = app.store.extract_entities

    def spy(*args: object, **kwargs: object) -> int:
        during.append(app.fetching)
        return extract(*args, **kwargs)  # type: ignore[arg-type]

    app.store.extract_entities = spy  # type: ignore[method-assign]
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        await app.workers.wait_for_complete()
        during.clear()
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await settle(app, pilot)
        assert during == [False] and not app.fetching
        await pilot.press("R")
        await app.workers.wait_for_complete()
        said = [str(n.message) for n in app._notifications]
        assert said.count("Refreshing feeds…") == 2 and not any("Already" in m for m in said)


async def test_the_sample_sees_a_database_filled_by_a_process_that_keeps_it_open(
    tmp_path: Path,
) -> None:
    """A process that keeps the user's database open (a long `index`, a second reader)
    commits into its write-ahead log alone: the main file's size and time stayed the same,
    and the sample kept saying the database was empty."""
    user = tmp_path / "user.db"
    with FeedStore(user) as made:  # made, empty, before the reader opens on the sample
        assert made.is_empty()
    app = NewsReader(store=FeedStore(sample_file(tmp_path / "s.db")), sample=True, user_db=user)
    app.background_work = lambda **_: None  # type: ignore[method-assign]
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        assert not app._user_db_filled()
        feed = write(tmp_path / "feed.xml", '<rss version="2.0"><channel></channel></rss>')
        with FeedStore(user) as other:  # open throughout, as a long-running process
            before = user.stat().st_size, user.stat().st_mtime_ns
            other.subscribe(str(feed), fetch=False)
            assert (user.stat().st_size, user.stat().st_mtime_ns) == before  # (in the log)
            assert app._user_db_filled()


async def test_ctrl_q_waits_for_marks_as_q_does(tmp_path: Path) -> None:
    """ctrl+q went straight to Textual's exit: a blank wait, then the mark lost unsaid."""
    path = sample_file(tmp_path / "ctrlq.db")
    app = quiet_reader(path)
    async with writes_held(path), app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("r", "ctrl+q")
        await pilot.pause(0.3)
        said = [str(n.message) for n in app._notifications]
        assert any("Saving your marks" in m for m in said), said
    assert app.fatal == f"1 article's mark not saved: another process kept {path} busy"


async def test_marks_waiting_for_another_process_lock_are_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`A y` while another process holds the write lock: nothing on screen changed until the
    write was done (the rows stay unread, the toast comes after). Once the write has waited
    SLOW_SECONDS, a toast says so, once; written, the marks are said as before."""
    from reader.ui import app as app_module

    monkeypatch.setattr(app_module, "SLOW_SECONDS", 0.5)
    path = sample_file(tmp_path / "wait.db")
    app = quiet_reader(path)
    waiting = "Your changes are waiting for another process's write to the database…"
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        async with writes_held(path):
            await pilot.press("A")
            await settle(app, pilot)
            await pilot.press("y")
            await pilot.pause(2.0)
            said = [str(n.message) for n in app._notifications]
            assert said.count(waiting) == 1, said
            shown = [headlines(app).article_at(i) for i in range(5)]
            assert not any(a is not None and a.read for a in shown)  # not yet written
        started = time.monotonic()
        while not any("marked read" in str(n.message) for n in app._notifications):
            assert time.monotonic() - started < 10
            await pilot.pause(0.1)
        # (said once a wait; the toast may have gone by now on a slow machine)
        assert [str(n.message) for n in app._notifications].count(waiting) <= 1
    with FeedStore(path) as fresh:
        assert fresh.count_matches("is:read")[0] == SAMPLE_ARTICLES
