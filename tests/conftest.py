"""Shared fixtures: every test gets its own database and config file in tmp_path."""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.worker import WorkerCancelled

from reader.store import FeedStore

REPO = Path(__file__).resolve().parent.parent
FEEDS = REPO / "feeds"
SEED = FEEDS / "numerama" / "000_8d6083a8515aed8c.txt"
DATA = REPO / "tests" / "data"
AWKWARD = DATA / "awkward"  # what a real dump holds besides articles: no date, empty, Latin-1
SAMPLE_ARTICLES = 50


@pytest.fixture(autouse=True)
def _unfrozen() -> object:
    """The reader freezes the garbage collector's objects after its first paint (one app per
    process in real use); tests start many apps in one process, so each test unfreezes."""
    yield
    gc.unfreeze()


@pytest.fixture(autouse=True, scope="session")
def _isolated_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The same isolation for what runs before a test's own (module fixtures: the benchmark
    smoke run started a reader that saved its place in the user's real state file)."""
    home = tmp_path_factory.mktemp("session-home")
    names = ("NEWSREADER_DB", "NEWSREADER_CONFIG", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
             "XDG_DATA_HOME", "XDG_STATE_HOME", "NEWSREADER_STATE")  # fmt: skip
    saved = {name: os.environ.get(name) for name in names}
    os.environ.pop("NEWSREADER_CONFIG", None)
    os.environ["NEWSREADER_DB"] = str(home / "env.db")
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        os.environ[name] = str(home / name.lower())
    os.environ["NEWSREADER_STATE"] = str(home / "state.json")
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's real database, config or cache (the sample's store)."""
    monkeypatch.setenv("NEWSREADER_DB", str(tmp_path / "env.db"))
    # no config file: the default location in a config folder of the test's own (a missing
    # file named by NEWSREADER_CONFIG is an error; a test that wants one names it)
    monkeypatch.delenv("NEWSREADER_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("NEWSREADER_STATE", str(tmp_path / "state.json"))
    monkeypatch.setenv("TZ", "UTC")  # local times shown as UTC: the same on every machine
    time.tzset()


@pytest.fixture
def store(tmp_path: Path):
    """An empty store in a real SQLite file."""
    with FeedStore(tmp_path / "store.db") as s:
        yield s


@pytest.fixture
def sample_store(tmp_path: Path):
    """A store holding the bundled sample."""
    with FeedStore(tmp_path / "sample.db") as s:
        s.index([str(FEEDS)])
        yield s


def write(path: Path, text: str | bytes) -> Path:
    """Write a test file, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


async def settle(app: Any, pilot: Any) -> None:
    """Wait for a reader's workers, its writes and the messages they post (twice: a worker's
    message may start another)."""
    for _ in range(2):
        with contextlib.suppress(WorkerCancelled):  # a newer search replaced an older one
            await app.workers.wait_for_complete()
        assert app.writer.idle()
        await pilot.pause()
