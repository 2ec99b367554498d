"""A feed shown in the headlines whose subscription moves to a new address (a permanent
redirect seen at two refreshes in a row): the list follows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.store import FeedStore
from reader.ui.scope import Scope, ScopeKind
from reader.ui.screens.feeds import FeedsScreen
from reader.ui.screens.headlines import HeadlinesScreen
from reader.ui.widgets.feed_tree import FeedTree

from .conftest import settle
from .test_changes_seen import headlines, quiet_reader
from .test_fetch_hostile import FAST, raw_server, response, rss
from .test_triage import _nodes


def test_a_scope_follows_its_feeds_to_their_new_addresses() -> None:
    feed = Scope.feed("http://h/old", "News", 7)
    assert feed.moved({7: "http://h/old"}) is None
    assert feed.moved({7: "http://h/new"}) == Scope.feed("http://h/new", "News", 7)
    unnamed = Scope.feed("http://h/old", "http://h/old", 7)  # labelled by its address
    assert unnamed.moved({7: "http://h/new"}) == Scope.feed("http://h/new", "http://h/new", 7)
    folder = Scope.folder("Tech", ["http://h/a", "http://h/b"], [1, 2])
    assert folder.moved({1: "http://h/a", 2: "http://h/c"}) == Scope.folder(
        "Tech", ["http://h/a", "http://h/c"], [1, 2]
    )
    assert folder.moved({1: "http://h/a"}) is None  # one removed: not a move
    assert Scope.search("s", "x").moved({}) is None


@pytest.mark.parametrize("kind", ["feed", "folder"])
async def test_a_feed_shown_that_moves_is_followed(tmp_path: Path, kind: str) -> None:
    """The feed (or its folder) chosen in the feed list is shown; another process's refresh
    then moves its subscription to the address it is permanently redirected to: the list
    stays on that feed (it said "… was removed: all articles are shown")."""

    def answer(path: str) -> bytes:
        if path == "/old.xml":
            return response(status="301 Moved Permanently", headers={"Location": "/new.xml"})
        if path == "/other.xml":
            return response(rss("other"))
        return response(rss("one", "two"))

    path = tmp_path / "moved.db"
    with raw_server(answer) as base:
        with FeedStore(path) as store:
            store.subscribe(base + "/old.xml", "Moving", "News", fetch=False)
            store.subscribe(base + "/other.xml", fetch=False)
            store.refresh(settings=FAST)  # the redirect seen once: remembered, not followed
            assert {s.url for s in store.subscriptions()} >= {base + "/old.xml"}
        app = quiet_reader(path)
        async with app.run_test(size=(110, 30)) as pilot:
            await settle(app, pilot)
            await pilot.press("f")
            await settle(app, pilot)
            assert isinstance(app.screen, FeedsScreen)
            tree = app.screen.query_one(FeedTree)
            label = "News" if kind == "folder" else "Moving"
            wanted = ScopeKind.FOLDER if kind == "folder" else ScopeKind.FEED
            node = next(
                n
                for n in _nodes(tree)
                if n.data and n.data.scope.kind == wanted and n.data.scope.label == label
            )
            tree.move_cursor(node)
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, HeadlinesScreen)
            assert len(headlines(app).ids) == 2
            with FeedStore(path) as other:
                moved = other.refresh(settings=FAST)
                assert [why[:17] for _, why in moved.moved] == ["moved permanently"]
                assert base + "/new.xml" in {s.url for s in other.subscriptions()}
            app._changed()
            await settle(app, pilot)
            said = [str(n.message) for n in app._notifications]
            assert not any("was removed" in m for m in said), said
            scope = app.headlines.scope
            assert (scope.kind, scope.label) == (wanted, label)
            assert scope.urls == (base + "/new.xml",)
            assert len(headlines(app).ids) == 2
