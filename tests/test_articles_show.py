"""``newsreader show`` and ``search --json``'s author, in real processes (issue #15)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA, write

ARTICLES = DATA / "articles"


def run(*args: str, db: Path, tz: str = "UTC") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": tz}
    return subprocess.run(
        [sys.executable, "-m", "reader", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("show") / "show.db"
    proc = run("index", str(ARTICLES), "--no-entities", db=path)
    assert proc.returncode == 0, proc.stderr
    return path


def find(db: Path, query: str) -> dict:
    proc = run("search", query, "--json", db=db)
    assert proc.returncode == 0, proc.stderr
    (row,) = [json.loads(line) for line in proc.stdout.splitlines()]
    return row


def test_search_json_has_author_or_null(db: Path) -> None:
    proc = run("search", "", "--json", "--limit", "0", db=db)
    rows = {r["title"]: r for r in map(json.loads, proc.stdout.splitlines())}
    assert rows["Episode 42: solid-state cells"]["author"] == "Ada Host"
    assert rows["Show notes only"]["author"] is None
    assert all("author" in r for r in rows.values())


def test_show_json_adds_text_links_and_enclosures(db: Path) -> None:
    row = find(db, '"solid-state cells"')
    proc = run("show", row["id"], "--json", db=db)
    assert proc.returncode == 0, proc.stderr
    (line,) = proc.stdout.splitlines()
    shown = json.loads(line)
    for key in ("id", "date", "title", "source", "link", "path", "author"):
        assert shown[key] == row[key]
    assert shown["date"] == "2026-03-02T06:00:00Z"  # ISO 8601 UTC at the known precision
    assert shown["links"] == ["https://cdn.talk.example.org/ep42.mp3", "https://guest.example.org/"]
    assert shown["enclosures"] == [
        {
            "url": "https://cdn.talk.example.org/ep42.mp3",
            "type": "audio/mpeg",
            "length": 24100000,
            "duration": 2537,
        }
    ]
    assert shown["text"].startswith("Enclosure: ep42.mp3 (audio/mpeg, 24.1 MB, 42:17) [1]")
    assert "with a guest [2]." in shown["text"]


def test_show_text_is_the_reader_layout_with_local_dates(db: Path) -> None:
    row = find(db, "verify")
    paris = run("show", row["id"], db=db, tz="Europe/Paris")
    assert paris.returncode == 0, paris.stderr
    out = paris.stdout
    lines = out.splitlines()
    assert lines[0] == "Proving a secret without sending it"
    assert "Date:   2026-03-03 10:20 CET" in out  # 09:20 UTC, shown in the local zone
    assert "Source: Systems Blog" in out and "Author: Jane Doe" in out
    assert "Link:   https://blog.example.org/opaque" in out
    assert "```\nInput: Secret sk // Server secret key\n       String u  // Username\n" in out
    assert "Step        Median\n────        ──────\n" in out
    assert "[image: Dashboard] [1] and [image: Dashboard] [2]" in out
    assert "Links\n\n[1] https://blog.example.org/img/before.png" in out
    tokyo = run("show", row["id"], db=db, tz="Asia/Tokyo")
    assert "Date:   2026-03-03 18:20 JST" in tokyo.stdout
    as_json = json.loads(run("show", row["id"], "--json", db=db).stdout)
    assert as_json["text"] in out  # the same body, code blocks kept


def test_show_unknown_id_is_one_line(db: Path) -> None:
    proc = run("show", "no-such-id", db=db)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "no article with id" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_show_strips_terminal_control_sequences(tmp_path: Path) -> None:
    feed = write(
        tmp_path / "evil.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Evil\x1b]0;pwned\x07</title>'
        "<item><title>Title \x1b[2J here</title><guid>https://e/1</guid>"
        "<author>x@e (Mallory \x1b[31mRed)</author>"
        "<description>&lt;p&gt;Body \x1b[5m blink &amp;#x1b;[1m &amp;#155;1m&lt;/p&gt;"
        "&lt;pre&gt;code \x1b[0m line&lt;/pre&gt;</description>"
        "<pubDate>Tue, 03 Mar 2026 09:20:00 GMT</pubDate></item></channel></rss>",
    )
    db = tmp_path / "e.db"
    assert run("index", str(feed), "--no-entities", db=db).returncode == 0
    (row,) = [json.loads(line) for line in run("search", "", "--json", db=db).stdout.splitlines()]
    for args in (("show", row["id"]), ("show", row["id"], "--json")):
        proc = run(*args, db=db)
        assert proc.returncode == 0, proc.stderr
        assert "\x1b" not in proc.stdout and "\x9b" not in proc.stdout and "\x07" not in proc.stdout
    assert "Mallory Red)" in run("show", row["id"], db=db).stdout


@pytest.mark.parametrize(
    ("query", "expected"),
    [('"solid-state cells"', "show-podcast.txt"), ("verify", "show-code-block.txt")],
)
def test_show_matches_the_reviewed_layout(db: Path, query: str, expected: str) -> None:
    """Text snapshots of a podcast item and of a code block, reviewed by hand; regenerate with
    `TZ=Europe/Paris newsreader show ID` after reviewing a deliberate change."""
    proc = run("show", find(db, query)["id"], db=db, tz="Europe/Paris")
    assert proc.stdout == (DATA / "show-expected" / expected).read_text(encoding="utf-8")
