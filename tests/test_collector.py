"""The reader's garbage-collector settings (reader.ui.collector) come back as they were found."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from reader.store import FeedStore
from reader.ui.app import NewsReader
from reader.ui.collector import FULL_THRESHOLD, Collector

from .conftest import FEEDS


def test_the_last_collector_out_gives_back_the_thresholds() -> None:
    """Two readers open at once (tests do that): the second must not take the first one's
    setting for Python's, nor the first one leaving undo the second's."""
    before = gc.get_threshold()
    first, second = Collector(), Collector()
    first.start()
    second.start()
    assert gc.get_threshold()[2] == FULL_THRESHOLD
    first.stop()
    assert gc.get_threshold()[2] == FULL_THRESHOLD  # the second reader still runs
    second.stop()
    assert gc.get_threshold() == before
    second.stop()  # a second stop changes nothing
    assert gc.get_threshold() == before


async def test_a_reader_failing_while_it_closes_gives_back_the_thresholds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FeedStore(tmp_path / "ui.db") as store:
        store.index([str(FEEDS)])
    before = gc.get_threshold()
    app = NewsReader(tmp_path / "ui.db", [])

    def fails(timeout: float = 10.0) -> bool:
        raise RuntimeError("the writer failed to stop")

    with pytest.raises(RuntimeError):
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert gc.get_threshold()[2] == FULL_THRESHOLD
            monkeypatch.setattr(app.writer, "stop", fails)
    assert gc.get_threshold() == before
