"""Snapshot tests of each screen (pytest-textual-snapshot), on the bundled sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.store import FeedStore
from reader.ui.app import NewsReader

from .conftest import REPO

SIZE = (110, 30)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> NewsReader:
    monkeypatch.chdir(REPO)  # paths shown as "feeds/…", the same on every machine
    with FeedStore(tmp_path / "snap.db") as store:
        store.index(["feeds"])
    reader = NewsReader(tmp_path / "snap.db", theme_name="textual-dark")
    return reader


class TestHeadlines:
    def test_headlines(self, snap_compare, app: NewsReader) -> None:
        assert snap_compare(app, terminal_size=SIZE)

    def test_search_results(self, snap_compare, app: NewsReader) -> None:
        async def run_before(pilot) -> None:
            await pilot.press("slash", *"xiaomi tesla")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

        assert snap_compare(app, run_before=run_before, terminal_size=SIZE)

    def test_sources_panel(self, snap_compare, app: NewsReader) -> None:
        assert snap_compare(app, press=["p"], terminal_size=SIZE)


class TestArticle:
    def test_seed_article(self, snap_compare, app: NewsReader) -> None:
        async def run_before(pilot) -> None:
            await pilot.press("slash", *"conferences lei", "enter", "enter")
            await pilot.pause()

        assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


class TestHelp:
    def test_help(self, snap_compare, app: NewsReader) -> None:
        assert snap_compare(app, press=["question_mark"], terminal_size=SIZE)


class TestEntity:
    def test_entity_panel_and_screen(self, snap_compare, app: NewsReader) -> None:
        async def run_before(pilot) -> None:
            await pilot.app.workers.wait_for_complete()
            await pilot.press("slash", *"conferences lei", "enter", "enter", "e", "enter")
            await pilot.pause()

        assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
