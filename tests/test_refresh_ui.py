"""The reader's refresh as the user sees it: failures said once (not at every start), and a
slow feed named while the refresh waits for it. Real HTTP servers on 127.0.0.1, a real
store, the app driven by Pilot."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from reader.store import FeedStore
from reader.ui.app import NewsReader, failure_kind

from .conftest import settle
from .test_fetch import rss, threaded_server


def warnings_said(app: NewsReader) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "warning"]


async def refreshed(db: Path) -> tuple[list[str], str]:
    """A session that refreshes at start, then quits: its warning toasts and its status
    line once the refresh is done."""
    app = NewsReader(db, refresh=True)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(app, pilot)
        return warnings_said(app), app.headlines.progress


async def test_a_failure_already_said_is_not_said_again(tmp_path: Path) -> None:
    """Feeds that always fail were toasted at every start ("refreshing: 2 failures: Five
    hundred, Garbage") and the status line kept "failed: …" all session. A failure said once
    (in this session or an earlier one) is not said again; a feed that fails another way,
    or again after working, is; the feed list keeps every error."""
    answers = {"/500": (500, {}, b"oops"), "/garbage": b"\x00\x01garbage", "/ok": rss("Fine")}
    db = tmp_path / "t.db"
    with threaded_server(lambda path: answers[path]) as base:
        with FeedStore(db) as store:
            store.subscribe(f"{base}/500", name="Five hundred")
            store.subscribe(f"{base}/garbage", name="Garbage")
            store.subscribe(f"{base}/ok", name="Fine")

        said, _ = await refreshed(db)
        why = "  (f: the feed list says why)"
        assert said == [f"refreshing: 2 failures: Five hundred, Garbage{why}"]

        said, line = await refreshed(db)  # the next start: nothing new
        assert (said, line) == ([], "")
        with FeedStore(db) as store:
            errors = {s.name: s.error for s in store.subscriptions()}
        assert errors["Fine"] is None and errors["Five hundred"] and errors["Garbage"]

        # R in the same session: nothing new either
        app = NewsReader(db)
        async with app.run_test(size=(120, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("R")
            await settle(app, pilot)
            assert warnings_said(app) == [] and app.headlines.progress == ""

        answers["/garbage"] = rss("Mended")  # works once...
        answers["/500"] = (404, {}, b"gone")  # ...and fails another way
        said, _ = await refreshed(db)
        assert said == [f"refreshing: 1 failure: Five hundred{why}"]
        answers["/garbage"] = b"\x00\x01garbage"  # ...then fails again: said again
        said, _ = await refreshed(db)
        assert said == [f"refreshing: 1 new failure: Garbage{why}"]


async def test_the_status_line_lets_a_failure_go_with_its_toast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The status line kept the truncated "failed: Five hundred (HTTP 500 …" for the whole
    session; it goes with the toast (the feed list keeps saying why)."""
    from reader.ui import app as app_module

    monkeypatch.setattr(app_module, "FAILURE_SECONDS", 1.0, raising=False)
    db = tmp_path / "t.db"
    with threaded_server(lambda _path: (500, {}, b"oops")) as base:
        with FeedStore(db) as store:
            store.subscribe(f"{base}/500", name="Five hundred")
        app = NewsReader(db, refresh=True)
        async with app.run_test(size=(120, 24)) as pilot:
            await settle(app, pilot)
            assert app.headlines.progress.startswith("failed: Five hundred (HTTP 500")
            await pilot.pause(1.3)
            assert app.headlines.progress == ""


def test_failures_said_are_kept_by_two_readers_at_once(tmp_path: Path) -> None:
    """The failures said are merged as the rest of the state is: each reader keeps what the
    other said, and a failure one of them forgot (the feed worked) stays forgotten."""
    from reader.ui.state import UiState

    path = tmp_path / "state.json"
    first = UiState.load(path)
    first.failures["a.db"] = {"u1": "HTTP 500", "u2": "HTTP 404"}
    first.save(path)
    one, two = UiState.load(path), UiState.load(path)
    two.failures["b.db"] = {"u3": "timed out after # s"}
    two.failures["a.db"]["u4"] = "HTTP 410"
    two.save(path)
    del one.failures["a.db"]["u1"]  # worked again
    one.failures["a.db"]["u2"] = "HTTP 500"  # fails another way
    one.save(path)
    assert json.loads(path.read_text())["failures"] == {
        "a.db": {"u2": "HTTP 500", "u4": "HTTP 410"},
        "b.db": {"u3": "timed out after # s"},
    }
    assert os.listdir(tmp_path) == ["state.json"]


def test_a_theme_picked_is_kept_by_two_readers_at_once(tmp_path: Path) -> None:
    """The reader that picked no theme does not put back the one it found when it quits."""
    from reader.ui.state import UiState

    path = tmp_path / "state.json"
    one, two = UiState.load(path), UiState.load(path)
    two.theme = "nord"
    two.save(path)
    one.save(path)
    assert UiState.load(path).theme == "nord"


def test_a_failure_kind_leaves_out_what_varies() -> None:
    assert failure_kind("HTTP 503 Service Unavailable; asked to wait 2 min (Retry-After)") == (
        failure_kind("HTTP 503 Service Unavailable; asked to wait 5 min (Retry-After)")
    )
    assert failure_kind("HTTP 500 Internal Server Error") != failure_kind("HTTP 502 Bad Gateway")
    assert failure_kind("malformed XML at line 2, column 5: x") == failure_kind(
        "malformed XML at line 9, column 1: x"
    )


async def test_a_refresh_waiting_for_a_slow_feed_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One hanging feed left "refreshing 2/3" on screen for 30 s, and R said only "Already
    refreshing". R says which feeds the refresh waits for, and the status line names them
    once the refresh has not moved for a few seconds."""
    from reader.ui import app as app_module

    monkeypatch.setattr(app_module, "SLOW_SECONDS", 0.5, raising=False)
    answer = threading.Event()

    def body_for(path: str) -> bytes:
        if path == "/slow":
            answer.wait(20)
        return rss(path)

    db = tmp_path / "t.db"
    with threaded_server(body_for) as base:
        with FeedStore(db) as store:
            for name in ("Quick", "Slow feed", "Swift"):
                store.subscribe(f"{base}/{name.split()[0].lower()}", name=name)
        app = NewsReader(db, refresh=True)
        try:
            async with app.run_test(size=(120, 24)) as pilot:
                deadline = time.monotonic() + 10
                while app.headlines.progress != "refreshing 2/3":
                    assert time.monotonic() < deadline, app.headlines.progress
                    await pilot.pause(0.05)
                await pilot.press("R")
                said = [str(n.message) for n in app._notifications]
                assert said == ["Already refreshing: waiting for Slow feed (30 s limit)"], said
                await pilot.pause(1.6)  # SLOW_SECONDS, and the once-a-second look
                assert app.headlines.progress == (
                    "refreshing 2/3  ·  waiting for Slow feed (30 s limit)"
                )
                answer.set()
                await settle(app, pilot)
                assert not app.fetching and "waiting" not in app.headlines.progress
        finally:
            answer.set()


async def test_a_refresh_held_by_another_process_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every feed fetched, the refresh's write waiting for another process's write lock: the
    status line said "refreshing 3/3" for 30 s and R "the feeds are being fetched". Both
    say what it waits for; the reason it stops with is not cut off by the database's path."""
    import sqlite3

    from reader.ui import app as app_module
    from reader.ui.messages import WorkFailed

    monkeypatch.setattr(app_module, "SLOW_SECONDS", 0.5, raising=False)
    db = tmp_path / "t.db"
    with threaded_server(rss) as base:
        with FeedStore(db) as store:
            for name in ("Quick", "Swift"):
                store.subscribe(f"{base}/{name.lower()}", name=name)
        blocker = sqlite3.connect(db, isolation_level=None)
        app = NewsReader(db, refresh=True)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            async with app.run_test(size=(120, 24)) as pilot:
                deadline = time.monotonic() + 10
                while "another process" not in app.headlines.progress:
                    assert time.monotonic() < deadline, app.headlines.progress
                    await pilot.pause(0.1)
                assert app.headlines.progress.endswith(
                    "waiting for another process's write to the database"
                )
                await pilot.press("R")
                said = [str(n.message) for n in app._notifications]
                assert said[-1] == (
                    "Already refreshing: waiting for another process's write to the database."
                )
                blocker.execute("COMMIT")
                await settle(app, pilot)
                assert "waiting" not in app.headlines.progress
                app.post_message(WorkFailed("refreshing", f"{db}: kept busy; try again"))
                await pilot.pause(0.1)
                assert app.headlines.progress == "refreshing stopped: kept busy; try again"
        finally:
            if blocker.in_transaction:
                blocker.execute("COMMIT")
            blocker.close()


def test_the_feeds_waited_for_are_named_shortly() -> None:
    from reader.ui.app import _names

    assert _names(["Slow feed"], 3) == "Slow feed"
    assert _names(["A", "B", "C"], 3) == "A, B and C"
    assert _names(["A", "B", "C", "D", "E"], 2) == "A, B and 3 more"
    assert _names(["x" * 40], 2) == "x" * 29 + "…"
