"""End to end: the installed `newsreader` command in a real terminal under tmux."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

TMUX = shutil.which("tmux")
NEWSREADER = shutil.which("newsreader")
pytestmark = pytest.mark.skipif(
    not (TMUX and NEWSREADER), reason="needs tmux and the installed newsreader command"
)


def tmux(*args: str) -> str:
    return subprocess.run([TMUX, *args], capture_output=True, text=True, check=True).stdout


def screen_of(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


def wait_for(session: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = screen_of(session)
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


def keys(session: str, *pressed: str, pause: float = 0.3) -> None:
    for key in pressed:
        tmux("send-keys", "-t", session, key)
        time.sleep(pause)


def fresh_env(tmp_path: Path, **extra: str) -> str:
    """A fresh home for the command: its own database, config, cache and state."""
    values = {
        "HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "NEWSREADER_DB": str(tmp_path / "e2e.db"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "NEWSREADER_STATE": str(tmp_path / "state.json"),
        **extra,
    }
    if (tmp_path / "config.toml").exists():  # named only when there is one (missing: an error)
        values["NEWSREADER_CONFIG"] = str(tmp_path / "config.toml")
    return " ".join(f"{k}={shlex.quote(v)}" for k, v in values.items())


def start(tmp_path: Path, name: str, env: str, width: int = 120) -> str:
    session = f"{name}-{tmp_path.name}"[:40]
    tmux(
        "new-session", "-d", "-s", session, "-x", str(width), "-y", "30",
        # COLUMNS and LINES from the test runner's environment would override the pane's size.
        f"env -u COLUMNS -u LINES -u NEWSREADER_CONFIG {env} {NEWSREADER}; sleep 30",
    )  # fmt: skip
    subprocess.run(
        [TMUX, "resize-window", "-t", session, "-x", str(width), "-y", "30"], capture_output=True
    )
    return session


def test_a_person_reads_searches_and_remaps(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"headlines.down" = "d,down"\n', encoding="utf-8")
    session = start(tmp_path, "nr", fresh_env(tmp_path))
    try:
        wait_for(session, "of 50 articles")  # the bundled sample, from its own store
        keys(session, "/")
        tmux("send-keys", "-t", session, "-l", "defi")
        screen = wait_for(session, "query: defi")
        assert "Au terme de deux conférences" in screen
        keys(session, "Enter", "Enter")  # leave the search bar, open the article
        screen = wait_for(session, "Entities")  # the article screen's footer
        assert "Lei Jun" in screen and "Mar 2021" in screen and "Xiaomi" in screen
        seen = screen
        for _ in range(6):  # page down through the article
            if "Great Wall Motor" in seen:
                break
            keys(session, "Space", pause=0.4)
            seen += screen_of(session)
        assert "Elon Musk" in seen and "Great Wall Motor" in seen
        keys(session, "q")  # back, as in newsboat
        keys(session, "?")
        screen = wait_for(session, "headlines.down")
        line = next(ln for ln in screen.splitlines() if "headlines.down" in ln)
        assert line.split()[1] == "d,"  # the remapped key shows in the help screen
        keys(session, "Escape", "q", pause=0.5)
        time.sleep(0.5)
        assert "of 50 articles" not in screen_of(session)
        assert not (tmp_path / "e2e.db").exists()  # the sample never entered the user's db
    finally:
        subprocess.run([TMUX, "kill-session", "-t", session], capture_output=True)


def rss(title: str, items: int) -> str:
    entries = "".join(
        f"<item><title>{title} story {i}</title><guid>https://{title.lower()}.example/{i}</guid>"
        f"<pubDate>Mon, {i + 1:02d} Jun 2026 10:00:00 GMT</pubDate></item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"{entries}</channel></rss>"
    )


def test_two_feeds_the_feed_list_and_mark_one_read(tmp_path: Path, httpserver: HTTPServer) -> None:
    served = {"Alpha": 3, "Bravo": 2}
    for name in served:
        httpserver.expect_request(f"/{name}.xml").respond_with_handler(
            lambda request, name=name: __import__("werkzeug").Response(rss(name, served[name]))
        )
    env = fresh_env(tmp_path)
    for name in served:
        added = subprocess.run(
            f"env {env} {NEWSREADER} add {httpserver.url_for(f'/{name}.xml')}",
            shell=True,
            capture_output=True,
            text=True,
        )
        assert added.returncode == 0, added.stderr
        assert f"{served[name]} articles added" in added.stdout
    session = start(tmp_path, "nrf", env)
    try:
        wait_for(session, "of 5 articles")  # the subscriptions, not the sample
        keys(session, "f")
        screen = wait_for(session, "unread/total")
        assert "Alpha" in screen and "Bravo" in screen
        row = next(ln for ln in screen.splitlines() if "Alpha" in ln)
        assert "3/3" in row
        time.sleep(0.5)
        keys(session, "Down")  # from all articles to Alpha
        assert "Alpha" in screen_of(session).splitlines()[-2]  # the detail line names it
        keys(session, "A")  # mark the feed read
        screen = wait_for(session, "0/3")
        assert next(ln for ln in screen.splitlines() if "all articles" in ln).count("2/5") == 1
        keys(session, "Enter")  # its headlines
        screen = wait_for(session, "3 of 3 articles  ·  0 unread  ·  Alpha")  # the feed's
        assert "Alpha story 2" in screen and "Bravo" not in screen.split("3 of 3")[0]
        served["Bravo"] = 4
        keys(session, "R")  # refresh: new articles appear
        keys(session, "Escape")  # every article
        wait_for(session, "of 7 articles")
        keys(session, "q")
    finally:
        subprocess.run([TMUX, "kill-session", "-t", session], capture_output=True)


def test_a_terminal_browser_takes_the_terminal_and_gives_it_back(tmp_path: Path) -> None:
    browser = tmp_path / "bin" / "w3m"  # named like a terminal browser: the reader suspends
    browser.parent.mkdir()
    browser.write_text('#!/bin/sh\necho "FAKE W3M SHOWS $1"\nsleep 2\n', encoding="utf-8")
    browser.chmod(0o755)
    env = fresh_env(tmp_path, BROWSER="w3m", PATH=f"{browser.parent}:/usr/bin:/bin")
    session = start(tmp_path, "nrb", env)
    try:
        wait_for(session, "of 50 articles")
        keys(session, "/")
        tmux("send-keys", "-t", session, "-l", "yizhuang factory")
        wait_for(session, "query: yizhuang")
        keys(session, "Enter", "Enter")
        wait_for(session, "Xiaomi opens a second car plant")
        keys(session, "o")
        wait_for(session, "open a link")  # the numbered chooser
        keys(session, "1")
        screen = wait_for(session, "FAKE W3M SHOWS https://ev-briefing.example.org/2026/03/")
        assert "Lei Jun" not in screen  # the browser has the whole terminal
        screen = wait_for(session, "Lei Jun", timeout=15)  # the reader is back, redrawn
        assert "FAKE W3M" not in screen and "Entities" in screen
        keys(session, "q", "q")
    finally:
        subprocess.run([TMUX, "kill-session", "-t", session], capture_output=True)
