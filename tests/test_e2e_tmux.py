"""End to end: the installed `newsreader` command in a real terminal under tmux."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
NEWSREADER = shutil.which("newsreader")
pytestmark = pytest.mark.skipif(
    not (TMUX and NEWSREADER), reason="needs tmux and the installed newsreader command"
)


def tmux(*args: str) -> str:
    return subprocess.run([TMUX, *args], capture_output=True, text=True, check=True).stdout


def wait_for(session: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


def test_a_person_reads_searches_and_remaps(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"headlines.down" = "n,down"\n', encoding="utf-8")
    session = f"nr-{tmp_path.name}"[:40]
    command = (
        f"NEWSREADER_DB={tmp_path / 'e2e.db'} NEWSREADER_CONFIG={config} {NEWSREADER} ; sleep 30"
    )
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "30", command)
    subprocess.run(
        [TMUX, "resize-window", "-t", session, "-x", "120", "-y", "30"], capture_output=True
    )
    try:
        wait_for(session, "of 49 articles")  # the bundled sample, indexed in the background
        tmux("send-keys", "-t", session, "/")
        time.sleep(0.3)
        tmux("send-keys", "-t", session, "-l", "defi")
        screen = wait_for(session, "query: defi")
        assert "Au terme de deux conférences" in screen
        tmux("send-keys", "-t", session, "Enter")  # leave the search bar
        time.sleep(0.3)
        tmux("send-keys", "-t", session, "Enter")  # open the article
        screen = wait_for(session, "Next article")  # the article screen's footer
        assert "Lei Jun" in screen and "Mar 2021" in screen and "Xiaomi" in screen
        seen = screen
        for _ in range(6):  # page down through the article
            if "Great Wall Motor" in seen:
                break
            tmux("send-keys", "-t", session, "Space")
            time.sleep(0.4)
            seen += tmux("capture-pane", "-p", "-t", session)
        assert "Elon Musk" in seen and "Great Wall Motor" in seen
        tmux("send-keys", "-t", session, "Escape")
        time.sleep(0.3)
        tmux("send-keys", "-t", session, "?")
        screen = wait_for(session, "headlines.down")
        line = next(ln for ln in screen.splitlines() if "headlines.down" in ln)
        assert " n" in line  # the remapped key shows in the help screen
        tmux("send-keys", "-t", session, "Escape")
        time.sleep(0.3)
        tmux("send-keys", "-t", session, "q")
        time.sleep(1.0)
        assert "of 49 articles" not in tmux("capture-pane", "-p", "-t", session)
    finally:
        subprocess.run([TMUX, "kill-session", "-t", session], capture_output=True)


def test_subscriptions_open_by_default_and_refresh_with_R(tmp_path: Path) -> None:
    feed = tmp_path / "wire.xml"

    def write(titles: list[str]) -> None:
        items = "".join(
            f"<item><title>{t}</title><guid>https://wire.example/{i}</guid>"
            f"<pubDate>2026-11-2{i}T08:00:00Z</pubDate></item>"
            for i, t in enumerate(titles)
        )
        feed.write_text(
            f'<rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>',
            encoding="utf-8",
        )

    write(["Xiaomi opens a plant", "BYD cuts prices"])
    env = f"NEWSREADER_DB={tmp_path / 'subs.db'} NEWSREADER_CONFIG={tmp_path / 'none.toml'}"
    added = subprocess.run(
        f"{env} {NEWSREADER} add {feed}", shell=True, capture_output=True, text=True
    )
    assert added.returncode == 0 and "2 articles added" in added.stdout
    session = f"nrs-{tmp_path.name}"[:40]
    tmux(
        "new-session", "-d", "-s", session, "-x", "120", "-y", "30", f"{env} {NEWSREADER}; sleep 30"
    )
    try:
        screen = wait_for(session, "of 2 articles")  # the subscription, not the sample
        assert "Xiaomi opens a plant" in screen and "Wire" in screen
        write(["Xiaomi opens a plant", "BYD cuts prices", "Tesla recalls cars"])
        tmux("send-keys", "-t", session, "R")
        screen = wait_for(session, "of 3 articles")
        assert "Tesla recalls cars" in screen
        tmux("send-keys", "-t", session, "q")
    finally:
        subprocess.run([TMUX, "kill-session", "-t", session], capture_output=True)
