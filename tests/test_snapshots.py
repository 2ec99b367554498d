"""Snapshot tests of each screen (pytest-textual-snapshot), on the bundled sample."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from textual.widgets import Input
from textual.worker import WorkerCancelled

from reader.store import FeedStore
from reader.ui.app import NewsReader

from .conftest import REPO

SIZE = (110, 30)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> NewsReader:
    monkeypatch.chdir(REPO)  # paths shown as "feeds/…", the same on every machine
    with FeedStore(tmp_path / "snap.db") as store:
        store.index(["feeds"])
        store.extract_entities()
    return NewsReader(tmp_path / "snap.db", theme_name="textual-dark")


@pytest.fixture
def feeds_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> NewsReader:
    """The sample with its three feed files subscribed in folders, and two saved searches."""
    monkeypatch.chdir(REPO)
    with FeedStore(tmp_path / "feeds.db") as store:
        store.index(["feeds"])
        store.subscribe("feeds/syndicated/ev-briefing.rss", category="English")
        store.subscribe("feeds/syndicated/battery-notes.json", category="English/Batteries")
        store.subscribe("feeds/syndicated/carnet-auto.atom", name="Le carnet", category="Français")
        store.refresh()
        store.extract_entities()
        store.save_search("Elon Musk", 'entity:"Elon Musk"')
        store.save_search("Xiaomi in 2026", "xiaomi after:2026")
        store.mark_read("source:numerama")
    return NewsReader(tmp_path / "feeds.db", theme_name="textual-dark")


def steady_cursor(pilot) -> None:
    """The search field's cursor shown without blinking: on a loaded machine the snapshot
    could be taken while a blink had it hidden (a flaky mismatch in CI)."""
    for field in pilot.app.query(Input):
        field.cursor_blink = False


async def settle(pilot) -> None:
    for _ in range(2):
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        pilot.app.writer.idle()
        await pilot.pause()


class TestHeadlines:
    def test_headlines(self, snap_compare, app: NewsReader) -> None:
        assert snap_compare(app, terminal_size=SIZE)

    def test_headlines_at_80_columns(self, snap_compare, app: NewsReader) -> None:
        assert snap_compare(app, terminal_size=(80, 24))

    def test_search_results(self, snap_compare, app: NewsReader) -> None:
        async def run_before(pilot) -> None:
            await pilot.press("slash", *"xiaomi tesla")
            steady_cursor(pilot)
            await settle(pilot)

        assert snap_compare(app, run_before=run_before, terminal_size=SIZE)

    def test_sources_panel(self, snap_compare, app: NewsReader) -> None:
        assert snap_compare(app, press=["p", "j"], terminal_size=SIZE)


class TestFeedList:
    @pytest.mark.parametrize("width", [80, 140])
    def test_feed_list(self, snap_compare, feeds_app: NewsReader, width: int) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await pilot.press("f")
            await settle(pilot)

        assert snap_compare(feeds_app, run_before=run_before, terminal_size=(width, 28))


class TestArticle:
    def test_seed_article(self, snap_compare, app: NewsReader) -> None:
        async def run_before(pilot) -> None:
            await pilot.press("slash", *"conferences lei", "enter", "enter")
            await settle(pilot)

        assert snap_compare(app, run_before=run_before, terminal_size=SIZE)

    def test_article_at_80_columns(self, snap_compare, app: NewsReader) -> None:
        async def run_before(pilot) -> None:
            await pilot.press("slash", *"conferences lei", "enter", "enter")
            await settle(pilot)

        assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))

    def test_code_image_and_enclosure(self, snap_compare, app: NewsReader) -> None:
        async def run_before(pilot) -> None:
            await pilot.press("slash", *"charging sessions berlin", "enter", "enter")
            await settle(pilot)

        assert snap_compare(app, run_before=run_before, terminal_size=(100, 40))

    def test_podcast_item(self, snap_compare, tmp_path: Path) -> None:
        with FeedStore(tmp_path / "podcast.db") as store:
            store.index([str(REPO / "tests" / "data" / "articles" / "podcast.xml")])
            store.extract_entities()
        podcast = NewsReader(tmp_path / "podcast.db", theme_name="textual-dark")

        async def run_before(pilot) -> None:
            await pilot.press("slash", *"factory tour", "enter", "enter")
            await settle(pilot)

        assert snap_compare(podcast, run_before=run_before, terminal_size=SIZE)


class TestHelp:
    def test_help(self, snap_compare, app: NewsReader) -> None:
        assert snap_compare(app, press=["question_mark"], terminal_size=SIZE)


class TestEntity:
    def test_entity_panel_and_screen(self, snap_compare, app: NewsReader) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await pilot.press("slash", *"conferences lei", "enter", "enter", "e", "enter")
            await settle(pilot)

        assert snap_compare(app, run_before=run_before, terminal_size=SIZE)

    def test_entity_screen_at_80_columns(self, snap_compare, app: NewsReader) -> None:
        async def run_before(pilot) -> None:
            await settle(pilot)
            await pilot.press("slash", *"conferences lei", "enter", "enter", "e", "enter")
            await settle(pilot)

        assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
