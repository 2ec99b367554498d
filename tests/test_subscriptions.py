"""The subscription commands end to end: add, feeds, refresh, remove, OPML in and out."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from reader.cli import main
from reader.store import FeedStore
from reader.store.subscriptions import NotSubscribed

from .test_fetch import threaded_server

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>mine</title></head><body>
  <outline text="News">
    <outline text="Tech">
      <outline type="rss" text="My wire" xmlUrl="https://wire.example/rss"/>
    </outline>
    <outline type="rss" text="https://plain.example/atom" xmlUrl="https://plain.example/atom"/>
  </outline>
  <outline type="rss" text="Top" title="Top" xmlUrl="https://top.example/feed.json"/>
  <outline type="rss" title="Title only" xmlUrl="https://titled.example/rss"/>
  <outline type="rss" text="Renamed" title="Its own title" xmlUrl="https://renamed.example/rss"/>
</body></opml>
"""


def feed(title: str) -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<item><title>{title} story about Xiaomi</title><guid>https://s/{title}</guid>"
        "<pubDate>2026-11-20T10:00:00Z</pubDate></item></channel></rss>"
    ).encode()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "s.db"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_feeds_refresh_remove(db: Path, httpserver: HTTPServer, capsys) -> None:
    httpserver.expect_request("/one").respond_with_data(feed("One"))
    url = httpserver.url_for("/one")
    code, out, _ = run(capsys, "add", url, "--name", "First", "--db", str(db))
    assert code == 0 and "subscribed to" in out and "1 article added" in out
    code, out, _ = run(capsys, "search", "entity:Xiaomi", "--json", "--db", str(db))
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["source"] == "First" and record["date"] == "2026-11-20T10:00:00Z"
    assert record["dated_by"] == "published" and record["path"] is None
    code, out, _ = run(capsys, "feeds", "--json", "--db", str(db))
    (sub,) = [json.loads(line) for line in out.splitlines()]
    assert (sub["url"], sub["name"], sub["articles"], sub["error"]) == (url, "First", 1, None)
    assert sub["last_refresh"]
    code, out, _ = run(capsys, "refresh", "--db", str(db))
    assert code == 0 and "1 ok (1 unchanged)" in out
    code, out, _ = run(capsys, "remove", "First", "--db", str(db))
    assert code == 0 and "1 article removed" in out
    code, out, err = run(capsys, "remove", url, "--db", str(db))
    assert code == 1 and "not subscribed" in err
    code, out, err = run(capsys, "refresh", "nosuchfeed", "--db", str(db))
    assert code == 1 and out == ""  # no "1 feed: 0 ok, 1 failed": it is no feed
    assert err == "newsreader: nosuchfeed: not subscribed (see `newsreader feeds`)\n"


def test_naming_a_known_feed_renames_its_articles_source(
    db: Path, httpserver: HTTPServer, capsys
) -> None:
    """`add URL --name X` on a feed already there says what it changed, and the feed's
    articles stored under its title move to the new name: source: and the sources list did
    not follow, and split the feed in two (the old articles under the title, new ones
    under the name)."""
    httpserver.expect_request("/atom").respond_with_data(feed("Atome"))
    url = httpserver.url_for("/atom")
    assert run(capsys, "add", url, "--db", str(db))[0] == 0
    code, out, _ = run(
        capsys, "add", url, "--name", "Renamed", "--category", "X/Y", "--db", str(db)
    )
    assert code == 0
    assert out.splitlines()[0] == f"already subscribed to {url}; now named Renamed, in X/Y"
    with FeedStore(db) as store:
        assert store.count_matches("source:Renamed") == (1, 1)
        assert store.count_matches("source:Atome") == (0, 0)
        assert [s.name for s in store.sources()] == ["Renamed"]
        (sub,) = store.subscriptions()
        assert (sub.label, sub.category) == ("Renamed", "X/Y")
    httpserver.clear()
    two = feed("Atome").replace(
        b"</channel>",
        b"<item><title>Second</title><guid>https://s/2</guid>"
        b"<pubDate>2026-11-21T10:00:00Z</pubDate></item></channel>",
    )
    httpserver.expect_request("/atom").respond_with_data(two)
    assert run(capsys, "refresh", "--db", str(db))[0] == 0
    with FeedStore(db) as store:
        assert store.count_matches("source:Renamed") == (2, 2)
        assert [s.name for s in store.sources()] == ["Renamed"]


def rss_file(path: Path, title: str, items: list[tuple[str, str]]) -> str:
    body = "".join(
        f"<item><title>{t}</title><guid>https://x.example/{g}</guid>"
        "<pubDate>Mon, 01 Mar 2021 10:00:00 GMT</pubDate></item>"
        for g, t in items
    )
    path.write_text(f'<rss version="2.0"><channel><title>{title}</title>{body}</channel></rss>')
    return str(path)


def test_renaming_a_feed_keeps_what_other_feeds_carry(tmp_path: Path) -> None:
    """An article two feeds carry keeps the source it came with; the renamed feed's origin
    takes the new name, found by source: through the shared sources."""
    beta = rss_file(tmp_path / "beta.xml", "Beta", [("2", "Shared story")])
    alpha = rss_file(tmp_path / "alpha.xml", "Alpha", [("1", "Own story"), ("2", "Shared story")])
    with FeedStore(tmp_path / "shared.db") as store:
        store.subscribe(beta, fetch=True)  # first: the shared article's source is Beta
        store.subscribe(alpha, fetch=True)
        assert store.count_matches("source:Alpha") == (2, 2)
        store.subscribe(alpha, name="Renamed")
        assert store.count_matches("source:Renamed") == (2, 2)  # was (1, 1)
        assert store.count_matches("source:Alpha") == (0, 0)
        assert store.count_matches("source:Beta") == (1, 1)
        assert "Alpha" not in store._sources()  # no stale name left
    news_a = rss_file(tmp_path / "a.xml", "News", [("1", "A only"), ("3", "Shared")])
    news_b = rss_file(tmp_path / "b.xml", "News", [("2", "B only"), ("3", "Shared")])
    with FeedStore(tmp_path / "same.db") as store:
        store.subscribe(news_b, fetch=True)
        store.subscribe(news_a, fetch=True)
        assert store.count_matches("source:News") == (3, 3)
        store.subscribe(news_a, name="Mine")  # two feeds titled News: B keeps its two
        assert store.count_matches("source:News") == (2, 2)  # was (1, 1)
        assert store.count_matches("source:Mine") == (2, 2)


def test_refresh_exit_code_is_1_when_a_feed_fails(db: Path, httpserver: HTTPServer, capsys):
    httpserver.expect_request("/ok").respond_with_data(feed("Ok"))
    httpserver.expect_request("/gone").respond_with_data("", status=410)
    assert main(["add", httpserver.url_for("/ok"), "--no-fetch", "--db", str(db)]) == 0
    assert main(["add", httpserver.url_for("/gone"), "--no-fetch", "--db", str(db)]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "refresh", "--db", str(db))
    assert code == 1
    assert "2 feeds: 1 ok (0 unchanged), 1 failed; 1 article added" in out
    assert err.count("\n") == 1 and "/gone: HTTP 410" in err
    code, out, _ = run(capsys, "feeds", "--db", str(db))
    assert "error: HTTP 410" in out


def test_add_rejects_other_schemes(db: Path, capsys) -> None:
    code, _, err = run(capsys, "add", "ftp://x.example/feed", "--db", str(db))
    assert code == 2 and "only http(s), file:// addresses and paths" in err


def test_opml_import_export_round_trip(db: Path, tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.opml"
    source.write_text(OPML, encoding="utf-8")
    code, out, _ = run(capsys, "import-opml", str(source), "--db", str(db))
    assert code == 0 and out.startswith("5 subscriptions added, 0 already there")
    assert run(capsys, "import-opml", str(source), "--db", str(db))[1].startswith(
        "0 subscriptions added, 5 already there"
    )
    with FeedStore(db) as store:
        subs = {s.url: (s.name, s.title, s.category) for s in store.subscriptions()}
        labels = {s.url: s.label for s in store.subscriptions()}
    assert subs == {  # a text equal to the title, or a title alone, is the feed's own title
        "https://wire.example/rss": ("My wire", None, "News/Tech"),
        "https://plain.example/atom": (None, None, "News"),
        "https://top.example/feed.json": (None, "Top", None),
        "https://titled.example/rss": (None, "Title only", None),
        "https://renamed.example/rss": ("Renamed", "Its own title", None),
    }
    assert labels["https://top.example/feed.json"] == "Top"  # shown before any refresh
    assert labels["https://titled.example/rss"] == "Title only"
    exported = tmp_path / "out.opml"
    code, out, _ = run(capsys, "export-opml", str(exported), "--db", str(db))
    assert code == 0 and out == f"{len(subs)} subscriptions written to {exported}\n"
    again = tmp_path / "again.db"
    assert run(capsys, "import-opml", str(exported), "--db", str(again))[0] == 0
    with FeedStore(again) as store:
        assert {s.url: (s.name, s.title, s.category) for s in store.subscriptions()} == {
            **subs,
            "https://renamed.example/rss": ("Renamed", None, None),  # export keeps the name
        }
    exported_again = tmp_path / "out-again.opml"
    assert run(capsys, "export-opml", str(exported_again), "--db", str(again))[0] == 0
    assert exported_again.read_text() == exported.read_text()
    code, out, _ = run(capsys, "export-opml", "--db", str(db))
    assert '<outline text="Tech">' in out and 'text="My wire"' in out
    # a file whose folder does not exist: a usage error, like a missing path to read
    code, _, err = run(capsys, "export-opml", str(tmp_path / "no" / "out.opml"), "--db", str(db))
    assert code == 2 and err.count("\n") == 1
    assert err.endswith(f"out.opml: no such folder ({tmp_path / 'no'})\n")


def test_bad_opml_is_one_line(db: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_text("<html><body>nope</body></html>")
    code, _, err = run(capsys, "import-opml", str(bad), "--db", str(db))
    assert code == 1 and "not OPML" in err and err.count("\n") == 1
    # a device or a pipe: refused at once (it read /dev/zero into 8.8 GB, and waited on a
    # pipe for good: the retest)
    fifo = tmp_path / "list.opml"
    os.mkfifo(fifo)
    for path in ("/dev/zero", str(fifo)):
        code, _, err = run(capsys, "import-opml", path, "--db", str(db))
        assert (
            code == 2
            and err
            == f"newsreader: {path}: is not a regular file (a device, a pipe?), not an OPML file\n"
        )
    code, _, err = run(capsys, "import-opml", str(tmp_path / "missing.opml"), "--db", str(db))
    assert code == 2 and "missing.opml" in err  # a usage error, as for index


def test_feeds_with_no_subscriptions(db: Path, capsys) -> None:
    code, _, err = run(capsys, "feeds", "--db", str(db))  # a named database that is not there
    assert code == 2 and "no database there yet" in err and not db.exists()
    FeedStore(db).close()
    assert run(capsys, "feeds", "--db", str(db))[1].startswith("no subscriptions")
    assert run(capsys, "refresh", "--db", str(db))[1].startswith("no subscriptions")


def test_the_reader_opens_subscriptions_else_the_sample(db: Path, tmp_path: Path) -> None:
    from reader.cli.reader import choose_store
    from reader.config import bundled_feeds

    def choice(sources: list[str]) -> tuple[bool, list[str], bool, bool]:
        store, chosen, refresh, sample = choose_store(db, sources, False)
        store.close()
        return store.path == db, chosen, refresh, sample

    assert choice([]) == (False, [str(bundled_feeds())], False, True)
    assert not db.exists()  # the sample never touches the user's database
    assert choice(["x"]) == (True, ["x"], False, False)
    assert choice([]) == (False, [str(bundled_feeds())], False, True)  # empty: the sample
    feed = tmp_path / "feed.xml"
    feed.write_bytes(b"<rss/>")
    with FeedStore(db) as store:
        store.subscribe(str(feed))
    assert choice([]) == (True, [], True, False)


def test_add_a_web_page_subscribes_to_the_feed_it_names(
    db: Path, httpserver: HTTPServer, capsys
) -> None:
    page = (
        b"<html><head><link rel='alternate' type='application/rss+xml' href='/rss'></head></html>"
    )
    httpserver.expect_request("/blog").respond_with_data(page, content_type="text/html")
    httpserver.expect_request("/rss").respond_with_data(feed("Blog"))
    blog = httpserver.url_for("/blog")
    code, out, _ = run(capsys, "add", blog, "--name", "B", "--db", str(db))
    assert code == 0 and f"naming the feed {httpserver.url_for('/rss')}" in out
    assert "1 article added" in out
    with FeedStore(db) as store:
        assert [(s.url, s.name) for s in store.subscriptions()] == [
            (httpserver.url_for("/rss"), "B")
        ]
    # The page again, with another name and a category: the known feed takes them, as
    # `add` says (it said so without doing it).
    code, out, _ = run(capsys, "add", blog, "--name", "C", "--category", "X", "--db", str(db))
    assert code == 0 and "now named C, in X" in out
    with FeedStore(db) as store:
        (sub,) = store.subscriptions()
        assert (sub.name, sub.category) == ("C", "X")
        assert store.count_matches("source:C") == (1, 1)


def test_opml_import_keeps_the_name_and_folder_of_a_feed_already_there(
    db: Path, tmp_path: Path, capsys
) -> None:
    """Counted as "already there", so left as it is: the list's name and folder would have
    renamed and moved it (and its articles' source with it)."""
    assert main(["add", "https://wire.example/rss", "--no-fetch", "--name", "Mine",
                 "--category", "Local", "--db", str(db)]) == 0  # fmt: skip
    source = tmp_path / "in.opml"
    source.write_text(OPML, encoding="utf-8")
    capsys.readouterr()
    code, out, _ = run(capsys, "import-opml", str(source), "--db", str(db))
    assert code == 0 and out.startswith("4 subscriptions added, 1 already there (kept as they")
    with FeedStore(db) as store:
        subs = {s.url: (s.name, s.category) for s in store.subscriptions()}
    assert subs["https://wire.example/rss"] == ("Mine", "Local")
    assert subs["https://renamed.example/rss"] == ("Renamed", None)  # new ones as listed


def usage(capsys, *argv: str) -> tuple[int, str, str]:
    """``run`` for a command line argparse refuses (it exits rather than returns)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_empty_or_blank_names_are_usage_errors_before_any_database(
    db: Path, tmp_path: Path, capsys
) -> None:
    """`remove ''` unsubscribed the one feed without a name of its own ("1 article removed",
    exit 0: the empty name matched its missing name), `refresh ''` fetched it, and `add
    --name ''` or `--name '   '` left a blank row in the feed list. Each is a usage error:
    one line, exit 2, before any database is made."""
    one = rss_file(tmp_path / "one.xml", "One", [("1", "First story")])
    fresh = tmp_path / "fresh.db"
    blanks = [
        ["add", one, "--name", ""],
        ["add", one, "--name", "   "],
        ["add", ""],
        ["add", "  "],
        ["remove", ""],
        ["remove", " \t"],
        ["refresh", ""],
        ["refresh", "One", "  "],
    ]
    for argv in blanks:
        code, out, err = usage(capsys, *argv, "--db", str(fresh))
        assert (code, out, err.count("\n")) == (2, "", 1), (argv, err)
        assert err.startswith(f"newsreader: {argv[0]}: argument ") and "is empty" in err
        assert not fresh.exists()
    assert main(["add", one, "--db", str(db)]) == 0  # known by its title only
    for argv in blanks:
        assert usage(capsys, *argv, "--db", str(db))[0] == 2
    with FeedStore(db) as store:
        (sub,) = store.subscriptions()
        assert (sub.name, sub.label, sub.total) == (None, "One", 1)
        # the store itself: an empty name names no feed, and a blank one given is none
        with pytest.raises(NotSubscribed):
            store.unsubscribe("")
        report = store.refresh(["", "  "])
        assert report.feeds == 0 and len(report.unknown) == 2
        two = rss_file(tmp_path / "two.xml", "Two", [("2", "Second story")])
        store.subscribe(two, name="   ", fetch=True)
        store.subscribe(one, name="")
        assert [(s.name, s.label) for s in store.subscriptions()] == [
            (None, "One"),
            (None, "Two"),
        ]


def test_categories_lose_empty_parts_on_the_way_in(db: Path, tmp_path: Path, capsys) -> None:
    """`add --category /` hid the feed in `newsreader feeds` (a "//" header) though --json and
    the reader showed it; `--category a//b` showed as "a//b/" there but as a/ and b/ in the
    reader. Slashes at the ends and empty parts go; nothing left is no folder. The same for
    an OPML list's folders, and for a category stored before."""
    feeds = [rss_file(tmp_path / f"{n}.xml", n, [(n, f"Story {n}")]) for n in "ABCD"]
    for path, category in zip(feeds[:3], ["/", "a//b", " /x/ y //"], strict=True):
        name = Path(path).stem
        argv = ["add", path, "--name", name, "--category", category, "--no-fetch"]
        assert main([*argv, "--db", str(db)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "add", feeds[0], "--category", "//", "--no-fetch", "--db", str(db))
    assert (code, out) == (0, f"already subscribed to {Path(feeds[0]).as_uri()}\n")  # no "in //"
    code, out, _ = run(capsys, "feeds", "--json", "--db", str(db))
    assert [json.loads(line)["category"] for line in out.splitlines()] == [None, "a/b", "x/y"]
    code, out, _ = run(capsys, "feeds", "--db", str(db))
    lines = out.splitlines()
    assert lines[0].startswith("A ") and "a/b/" in lines and "x/y/" in lines
    assert not any(line.startswith("/") or "//" in line.split()[0] for line in lines)
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="/"><outline text="News/">'
        f'<outline text="D" xmlUrl="{Path(feeds[3]).as_uri()}"/></outline></outline>'
        '<outline text="E" category="/e//f/" xmlUrl="https://e.example/rss"/>'
        '<outline text="F" category="///" xmlUrl="https://f.example/rss"/></body></opml>'
    )
    assert run(capsys, "import-opml", str(opml), "--db", str(db))[0] == 0
    with FeedStore(db) as store:
        store.db.conn.execute("UPDATE feeds SET category = '//old//one/' WHERE name = 'F'")
        assert [(s.label, s.category) for s in store.subscriptions()] == [
            ("A", None),
            ("B", "a/b"),
            ("C", "x/y"),
            ("D", "News"),
            ("E", "e/f"),
            ("F", "old/one"),
        ]
        assert '<outline text="old">' in store.export_opml()


def test_scheme_and_host_are_case_insensitive_paths_are_not(
    db: Path, tmp_path: Path, httpserver: HTTPServer, capsys
) -> None:
    """`add HTTP://127.0.0.1:8765/f/monde.xml` beside `http://127.0.0.1:8765/f/monde.xml`
    made a second subscription to the same feed. Scheme and host are lower-cased on the way
    in (the path is not: /F/ is another feed); a database whose rows were stored with
    capitals before still finds them."""
    httpserver.expect_request("/f/monde.xml").respond_with_data(feed("Monde"))
    url = httpserver.url_for("/f/monde.xml")
    shouted = url.replace("http://localhost", "HTTP://LocalHost")
    assert shouted != url
    assert run(capsys, "add", url, "--db", str(db))[0] == 0
    code, out, _ = run(capsys, "add", shouted, "--no-fetch", "--db", str(db))
    assert (code, out) == (0, f"already subscribed to {url}\n")
    code, out, _ = run(capsys, "add", shouted.replace("/f/", "/F/"), "--no-fetch", "--db", str(db))
    assert code == 0 and out.startswith(f"subscribed to {url.replace('/f/', '/F/')} (not fetched")
    code, out, _ = run(capsys, "remove", url.replace("/f/", "/F/"), "--db", str(db))
    assert code == 0 and out.startswith("unsubscribed from ")
    # A row stored before addresses were normalised, capitals and all: still found by add,
    # import-opml, remove and refresh, in either spelling.
    with FeedStore(db) as store:
        store.db.conn.execute("UPDATE feeds SET url = ?", (shouted,))
    opml = tmp_path / "in.opml"
    opml.write_text(f'<opml version="2.0"><body><outline text="M" xmlUrl="{url}"/></body></opml>')
    code, out, _ = run(capsys, "import-opml", str(opml), "--db", str(db))
    assert code == 0 and out.startswith("0 subscriptions added, 1 already there")
    for given in (url, shouted, url.upper().replace("/F/MONDE.XML", "/f/monde.xml")):
        code, out, _ = run(capsys, "add", given, "--no-fetch", "--db", str(db))
        assert code == 0 and out.startswith("already subscribed to "), given
    code, out, _ = run(capsys, "refresh", url, "--db", str(db))
    assert code == 0 and "1 ok (1 unchanged)" in out
    with FeedStore(db) as store:
        assert [s.url for s in store.subscriptions()] == [shouted]
    code, out, _ = run(capsys, "remove", url, "--db", str(db))
    assert code == 0 and "1 article removed" in out


def test_a_fragment_or_dot_segments_name_the_same_feed(
    db: Path, httpserver: HTTPServer, capsys
) -> None:
    """`add …/b.xml#x` and `add …/./b.xml` beside `…/b.xml` each subscribed again (three
    rows titled the same, the headlines carrying its articles twice): the fragment is never
    sent and the dot segments are resolved by every client."""
    httpserver.expect_request("/f/b.xml").respond_with_data(feed("Beta"))
    url = httpserver.url_for("/f/b.xml")
    assert run(capsys, "add", url, "--db", str(db))[0] == 0
    for given in (url + "#x", url.replace("/f/", "/f/./"), url.replace("/f/", "/g/../f/")):
        code, out, _ = run(capsys, "add", given, "--no-fetch", "--db", str(db))
        assert (code, out) == (0, f"already subscribed to {url}\n"), given
    with FeedStore(db) as store:
        assert [s.url for s in store.subscriptions()] == [url]


def test_opml_import_takes_http_and_local_files_only(db: Path, tmp_path: Path, capsys) -> None:
    """An OPML list's `javascript:alert(1)` became file:///CWD/javascript%3Aalert%281%29,
    `/relative/feed.xml` file:///relative/feed.xml, and file: addresses of anything were
    taken. Now: http(s), and file:// addresses of a regular file here (what export-opml
    writes for a local subscription, so that a list round-trips); every other entry is
    refused in one line naming it, the rest imported, exit 1."""
    local = rss_file(tmp_path / "local feed.xml", "Local", [("1", "A local story")])
    uri = Path(local).as_uri()
    assert "%20" in uri
    entries = {
        "javascript:alert(1)": "the scheme javascript:",
        "data:text/xml,&lt;rss/&gt;": "the scheme data:",
        "ftp://x.example/rss": "the scheme ftp:",
        "/relative/feed.xml": "a relative address",
        "feeds/local.xml": "a relative address",
        "file:///nonexistent/feed.xml": "no such file",
        f"file://{tmp_path}": "is a folder, not a feed file",
        "file:///dev/zero": "is not a regular file",
        "file://files.example/feed.xml": "a file of another machine (files.example)",
        "https://ok.example/rss": None,
        uri: None,
        uri.replace("file:///", "file://localhost/"): None,  # the same file again
    }
    outlines = "".join(f'<outline text="E{i}" xmlUrl="{u}"/>' for i, u in enumerate(entries))
    opml = tmp_path / "list.opml"
    opml.write_text(f'<opml version="2.0"><body>{outlines}</body></opml>')
    code, out, err = run(capsys, "import-opml", str(opml), "--db", str(db))
    refused = {u.replace("&lt;", "<").replace("&gt;", ">"): r for u, r in entries.items() if r}
    assert code == 1 and out.startswith("2 subscriptions added, 1 already there")
    assert f", {len(refused)} refused;" in out
    lines = err.splitlines()
    assert len(lines) == len(refused)
    for line, (address, reason) in zip(lines, refused.items(), strict=True):
        assert line.startswith(f"newsreader: {opml}: {address}: {reason}"), line
        assert line.endswith("; not subscribed")
    with FeedStore(db) as store:
        assert [s.url for s in store.subscriptions()] == ["https://ok.example/rss", uri]
    # export → import: the same subscriptions, the local one included
    assert run(capsys, "refresh", uri, "--db", str(db))[0] == 0  # (its title, exported)
    exported = tmp_path / "out.opml"
    assert run(capsys, "export-opml", str(exported), "--db", str(db))[0] == 0
    again = tmp_path / "again.db"
    code, out, err = run(capsys, "import-opml", str(exported), "--db", str(again))
    assert (code, err) == (0, "") and out.startswith("2 subscriptions added, 0 already there")
    with FeedStore(db) as one, FeedStore(again) as other:
        assert [(s.url, s.label) for s in one.subscriptions()] == [
            (s.url, s.label) for s in other.subscriptions()
        ]


HOSTILE = "[@click=app.quit]N\x1b]0;TITLE\x07 \x1b[31mred\x1b[0m\x00\x08\u202eevil"


def test_hostile_names_and_titles_round_trip_through_opml(db: Path, tmp_path: Path, capsys) -> None:
    """Control characters in a name are taken out as they are from a category: the OPML
    written from them was not well-formed (raw ESC and BEL), a backup no import could read.
    Whatever the database holds (a name stored before, U+FFFE), the export is well-formed
    XML, and importing it gives the same subscriptions."""
    import sqlite3
    import xml.etree.ElementTree as ET

    named, titled, old = (tmp_path / f"{n}.xml" for n in ("named", "titled", "old"))
    named.write_bytes(feed("Named"))
    titled.write_text(  # a JSON feed's title may hold any character
        json.dumps({"version": "https://jsonfeed.org/version/1.1",
                    "title": f"J {HOSTILE} \ufffe\uffff end", "items": []}),
        encoding="utf-8",
    )  # fmt: skip
    old.write_bytes(feed("Old"))
    code, out, _ = run(capsys, "add", str(named), "--no-fetch", "--name", HOSTILE,
                       "--category", "A\x1b]0;X\x07/B", "--db", str(db))  # fmt: skip
    assert code == 0 and "\x1b" not in out
    assert run(capsys, "add", str(titled), "--db", str(db))[0] == 0
    assert run(capsys, "add", str(old), "--no-fetch", "--name", "Old", "--db", str(db))[0] == 0
    code, out, _ = run(capsys, "add", str(named), "--no-fetch", "--name", HOSTILE, "--db", str(db))
    assert code == 0 and "\x1b" not in out and "now named [@click=app.quit]N redevil" in out
    code, out, _ = run(capsys, "feeds", "--json", "--db", str(db))
    assert "\\u001b" not in out and "\\u0007" not in out
    with sqlite3.connect(db) as conn:  # a name stored before names were cleaned
        conn.execute("UPDATE feeds SET name = ? WHERE name = 'Old'", (f"Old {HOSTILE}\ufffe",))
        conn.execute("UPDATE feeds SET title = title || '\uffff' WHERE title LIKE 'J %'")
    exported = tmp_path / "out.opml"
    assert run(capsys, "export-opml", str(exported), "--db", str(db))[0] == 0
    document = exported.read_text(encoding="utf-8")
    ET.fromstring(document)  # well-formed
    assert not any(ch in document for ch in "\x1b\x07\x00\x08\ufffe\uffff\u202e")
    again = tmp_path / "again.db"
    code, out, err = run(capsys, "import-opml", str(exported), "--db", str(again))
    assert (code, err) == (0, "") and out.startswith("3 subscriptions added")
    with FeedStore(db) as one, FeedStore(again) as other:
        before = {s.url: (s.name, s.title, s.category) for s in one.subscriptions()}
        after = {s.url: (s.name, s.title, s.category) for s in other.subscriptions()}
    clean = "[@click=app.quit]N redevil"
    assert before[named.as_uri()] == (clean, None, "A/B")
    assert before[titled.as_uri()] == (None, f"J {clean} end\uffff", None)  # (as read, + U+FFFF)
    assert after == {
        **before,
        titled.as_uri(): (None, f"J {clean} end", None),  # what XML cannot hold is left out
        old.as_uri(): (f"Old {clean}", None, None),  # cleaned as a name now is
    }


@contextmanager
def gated_server(body: bytes) -> Iterator[tuple[str, threading.Event, threading.Event]]:
    """A threaded server on 127.0.0.1 answering every GET with ``body`` once ``go`` is set;
    ``asked`` is set when a request has come. Yields (address, asked, go)."""
    asked, go = threading.Event(), threading.Event()

    def answer(path: str) -> bytes:
        asked.set()
        go.wait(60)
        return body

    with threaded_server(answer) as address:
        try:
            yield address, asked, go
        finally:
            go.set()  # (a request still held is let go before the server shuts down)


def test_a_feed_removed_while_it_is_refreshed_is_not_stored(db: Path, capsys) -> None:
    """`newsreader remove NAME` while `newsreader refresh NAME` fetched a slow feed: the
    refresh then wrote its articles back with no subscription to carry them (`remove` said
    "not subscribed", and they could never be removed). The store's write checks, in the
    transaction that would store the items, that the subscription is still there; the
    refresh says the feed was unsubscribed meanwhile (a warning, exit 0)."""
    items = [(str(i), f"Story {i}") for i in range(30)]
    body = rss_file(db.parent / "slow.xml", "Slow", items)
    with gated_server(Path(body).read_bytes()) as (base, asked, go):
        url = f"{base}/slow.xml"
        assert main(["add", url, "--name", "Slow", "--no-fetch", "--db", str(db)]) == 0
        capsys.readouterr()
        refresh = subprocess.Popen(
            [sys.executable, "-m", "reader", "refresh", "Slow", "--db", str(db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert asked.wait(60)  # the refresh is fetching: remove it from another process
            code, out, _ = run(capsys, "remove", "Slow", "--db", str(db))
            assert (code, out) == (0, "unsubscribed from Slow; 0 articles removed\n")
            go.set()
            out, err = refresh.communicate(timeout=120)
        finally:
            refresh.kill()
    assert refresh.returncode == 0, err
    assert (
        err == f"warning: {url}: unsubscribed while it was being refreshed; nothing fetched "
        "was stored\n"
    )
    assert out.startswith("1 feed: 0 ok (0 unchanged), 0 failed, 1 unsubscribed meanwhile; 0 ")
    with FeedStore(db) as store:
        assert store.count() == 0 and store.subscriptions() == []
        assert store.db.conn.execute("SELECT count(*) FROM origins").fetchone() == (0,)
    # the reader's refresh goes through the same store: two connections, one file
    with gated_server(Path(body).read_bytes()) as (base, asked, go):
        url = f"{base}/slow.xml"
        with FeedStore(db) as reader, FeedStore(db) as other:
            reader.subscribe(url)
            done: list[Any] = []
            thread = threading.Thread(target=lambda: done.append(reader.refresh()))
            thread.start()
            assert asked.wait(60)
            assert other.unsubscribe(url).articles == 0
            go.set()
            thread.join(120)
            (report,) = done
            assert (report.removed, report.failed, report.items.added) == ([url], [], 0)
            assert reader.count() == 0 and other.count() == 0


def test_a_redirect_seen_by_two_refreshes_started_together_is_one_sighting(
    db: Path, httpserver: HTTPServer, capsys
) -> None:
    """Two `refresh` runs started at the same moment both saw a 301, and the one that read
    the feed's row after the other had recorded the redirect moved the subscription "at two
    refreshes in a row". A second sighting counts only from a refresh started after the
    first was recorded. Here the second process starts, is held after its imports (as a
    busy machine holds it), and goes on once the first has recorded the redirect."""
    from werkzeug import Response

    httpserver.expect_request("/old.xml").respond_with_response(
        Response(status=301, headers={"Location": httpserver.url_for("/new.xml")})
    )
    httpserver.expect_request("/new.xml").respond_with_data(feed("Moving"))
    old, new = httpserver.url_for("/old.xml"), httpserver.url_for("/new.xml")
    assert main(["add", old, "--no-fetch", "--db", str(db)]) == 0
    held = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, signal, reader.cli; os.kill(os.getpid(), signal.SIGSTOP); reader.cli.run()",
            "refresh",
            "--no-entities",
            "--db",
            str(db),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _, status = os.waitpid(held.pid, os.WUNTRACED)
        assert os.WIFSTOPPED(status)
        capsys.readouterr()
        code, out, err = run(capsys, "refresh", "--no-entities", "--db", str(db))
        assert (code, err) == (0, "") and "1 ok" in out  # the first sighting, recorded
        os.kill(held.pid, signal.SIGCONT)
        out, err = held.communicate(timeout=120)
    finally:
        held.kill()
    assert held.returncode == 0 and err == "", err  # started before it: no second sighting
    with FeedStore(db) as store:
        assert [s.url for s in store.subscriptions()] == [old]
    code, out, err = run(capsys, "refresh", "--no-entities", "--db", str(db))
    assert code == 0 and err == (
        f"warning: {old}: moved permanently to {new} (at two refreshes in a row): "
        "subscribed at the new address now\n"
    )
    with FeedStore(db) as store:
        assert [s.url for s in store.subscriptions()] == [new]


@pytest.mark.parametrize("status", [301, 308])
def test_a_moved_feed_is_found_by_the_address_it_left(db: Path, capsys, status: int) -> None:
    """A subscription that a permanent redirect moved (at two refreshes in a row) took the new
    address and kept the old one nowhere: `refresh OLD` then said "not subscribed", and so
    did `remove OLD`. The address it left still names it, and one line says where it went."""

    def answer(path: str) -> bytes | tuple[int, dict[str, str], bytes]:
        return (status, {"Location": "/new.xml"}, b"") if path == "/old.xml" else feed("Moving")

    with threaded_server(answer) as base:
        old, new = f"{base}/old.xml", f"{base}/new.xml"
        assert main(["add", old, "--no-fetch", "--db", str(db)]) == 0
        for _ in range(2):  # seen at two refreshes in a row: the subscription moves
            assert main(["refresh", "--no-entities", "--db", str(db)]) == 0
        assert f"warning: {old}: moved permanently to {new}" in capsys.readouterr().err
        with FeedStore(db) as store:
            assert [s.url for s in store.subscriptions()] == [new]
        code, out, err = run(capsys, "refresh", "--no-entities", old, "--db", str(db))
        assert (code, err) == (0, "")
        moved, summary = out.splitlines()
        assert moved == f"{old}: the feed moved permanently to {new}; refreshed at its new address"
        assert summary.startswith("1 feed: 1 ok (1 unchanged), 0 failed")
        code, out, err = run(capsys, "refresh", "--no-entities", new, "--db", str(db))
        assert (code, err) == (0, "") and out.startswith("1 feed: 1 ok")  # no line: its address
        code, out, err = run(capsys, "remove", old, "--db", str(db))
        assert (code, err) == (0, "")
        assert out == (
            f"{old}: the feed moved permanently to {new}; unsubscribed there\n"
            "unsubscribed from Moving; 1 article removed\n"
        )
        code, out, err = run(capsys, "refresh", old, "--db", str(db))
        assert code == 1 and err == f"newsreader: {old}: not subscribed (see `newsreader feeds`)\n"
    with FeedStore(db) as store:  # the address it left went with it
        assert store.db.conn.execute("SELECT count(*) FROM feed_moves").fetchone() == (0,)


def test_adding_an_address_a_feed_left_is_adding_the_feed_where_it_went(db: Path, capsys) -> None:
    """After a permanent redirect moved a subscription, `add OLD` made a second subscription
    at the address the feed had left (and `import-opml` of a list naming it, a third). It is
    the feed already subscribed: `add` says so, naming the new address, as for an address
    already subscribed (with --no-fetch, or fetched there; a name given renames it)."""
    hits: list[str] = []

    def answer(path: str) -> bytes | tuple[int, dict[str, str], bytes]:
        hits.append(path)
        return (301, {"Location": "/new.xml"}, b"") if path == "/old.xml" else feed("Moving")

    with threaded_server(answer) as base:
        old, new = f"{base}/old.xml", f"{base}/new.xml"
        assert main(["add", old, "--no-fetch", "--db", str(db)]) == 0
        for _ in range(2):  # seen at two refreshes in a row: the subscription moves
            assert main(["refresh", "--no-entities", "--db", str(db)]) == 0
        capsys.readouterr()
        code, out, err = run(capsys, "add", old, "--no-fetch", "--db", str(db))
        moved = f"{old}: the feed moved permanently to {new}; already subscribed there"
        assert (code, out, err) == (0, f"{moved}\n", "")
        hits.clear()
        code, out, err = run(capsys, "add", old, "--name", "Mine", "--db", str(db))
        assert (code, err) == (0, "")
        already, summary = out.splitlines()
        assert already == f"{moved}; now named Mine"
        assert summary.startswith("1 feed: 1 ok")
        assert hits == ["/new.xml"]  # fetched where it is, not at the address it left
        opml = (
            '<?xml version="1.0"?><opml version="2.0"><body>'
            f'<outline type="rss" text="Theirs" xmlUrl="{old}"/></body></opml>'
        )
        with FeedStore(db) as store:
            found = store.subscribe(old.upper().replace("/OLD.XML", "/old.xml"), fetch=True)
            assert (found.url, found.new, found.moved_from) == (new, False, old)
            assert store.import_opml(opml.encode(), "list.opml") == (0, 1, [])
            subscribed = store.subscriptions()
            assert [(s.url, s.label) for s in subscribed] == [(new, "Mine")]
            assert found.id == subscribed[0].id


def test_each_address_a_feed_left_names_it_until_another_subscription_has_it(
    tmp_path: Path,
) -> None:
    """A feed that moves twice answers to both addresses it left (and to none it came back
    to); a subscription made at a left address is that address's own; the addresses are kept
    by a rebuild and made by the migration of a schema 16 database."""
    import sqlite3

    from reader.store.rebuild import rebuild

    from .test_fetch import FAST

    target = ["/b.xml"]

    def answer(path: str) -> bytes | tuple[int, dict[str, str], bytes]:
        if path == "/a.xml" or (path == "/b.xml" and target[0] != "/b.xml"):
            return (301, {"Location": target[0]}, b"")
        return feed("Moving")

    path = tmp_path / "moves.db"
    with threaded_server(answer) as base:
        a, b, c = (f"{base}/{x}.xml" for x in "abc")
        with FeedStore(path) as store:
            feed_id = store.subscribe(a).id
            for _ in range(2):
                store.refresh(settings=FAST)
            target[0] = "/c.xml"
            for _ in range(2):
                store.refresh(settings=FAST)
            assert [s.url for s in store.subscriptions()] == [c]
            for given in (a, b, c, "Moving"):
                assert store.locate_subscription(given).id == feed_id
            assert store.locate_subscription(a).moved_to == c
            assert store.locate_subscription(b).moved_to == c
            assert store.locate_subscription(c).moved_to is None
            assert store.search_ids(f'feed:"{b}"') == store.search_ids(f'feed:"{c}"') != []
            report = store.refresh([a, b], settings=FAST)
            assert report.followed == [(a, c), (b, c)] and report.feeds == 1
            with store.db.transaction() as tx:  # subscribed at a (before `add` knew a): a's own
                again = int(
                    tx.execute("INSERT INTO feeds (url, added) VALUES (?, 0)", (a,)).lastrowid or 0
                )
            assert store.locate_subscription(a) == (again, None)
            assert store.locate_subscription(b).id == feed_id
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE feed_moves")
    conn.execute("PRAGMA user_version = 16")
    conn.commit()
    conn.close()
    with FeedStore(path) as store:  # migrated: the table is there again (empty)
        with pytest.raises(NotSubscribed):
            store.locate_subscription(b)
        with store.db.transaction() as tx:
            tx.execute("INSERT INTO feed_moves VALUES (?, ?)", (b, feed_id))
    rebuild(path)
    with FeedStore(path) as store:
        assert store.locate_subscription(b) == (feed_id, c)


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("http://h.example//a/./b", "http://h.example//a/b"),  # (urljoin took //a for a host)
        ("http://h.example/g/../f/b.xml#top", "http://h.example/f/b.xml"),
        ("http://h.example/a/b/..", "http://h.example/a/"),
        ("http://h.example/../x", "http://h.example/x"),
        ("http://h.example/.well-known/feed", "http://h.example/.well-known/feed"),
        ("http://h.example/a;p/./b?q=1", "http://h.example/a;p/b?q=1"),
    ],
)
def test_an_address_as_a_client_sends_it(given: str, sent: str) -> None:
    from reader.store.subscriptions import as_sent

    assert as_sent(given) == sent


def test_importing_a_long_opml_list_costs_in_proportion_to_its_length(tmp_path: Path) -> None:
    """Each new address was looked up with `lower(url) = lower(?)` over every subscription
    (an address stored with capitals is the same feed), so importing n feeds cost n²: 16,000
    took 30 s, 100,000 ran for minutes. Counted in SQLite's own steps, not in seconds: four
    times the feeds must cost about four times the work, not sixteen."""

    def work(n: int) -> int:
        body = "".join(
            f'<outline text="F{i}" xmlUrl="http://127.0.0.1:9/f{i}.xml"/>' for i in range(n)
        )
        opml = f'<opml version="2.0"><body>{body}</body></opml>'.encode()
        steps = [0]

        def count() -> int:
            steps[0] += 1
            return 0

        with FeedStore(tmp_path / f"{n}.db") as store:
            store.db.conn.set_progress_handler(count, 100)
            assert store.import_opml(opml, "list.opml").new == n
            store.db.conn.set_progress_handler(None, 0)
        return steps[0]

    small, large = work(400), work(1600)
    assert large < 6 * small, (small, large)


def test_opml_feeds_nested_in_a_feed_or_deep_in_folders_are_imported_in_order() -> None:
    """A feed inside another feed's outline was dropped without a word; 5,000 nested folders
    gave a RecursionError traceback. Feeds come in the list's order, a nested feed in the
    folder of the feed around it."""
    from reader.store.subscriptions import read_opml

    opml = (
        b'<opml version="2.0"><body>'
        b'<outline text="News"><outline text="Parent" xmlUrl="https://p.example/rss">'
        b'<outline text="Child" xmlUrl="https://c.example/rss"/></outline></outline>'
        b'<outline text="Last" xmlUrl="https://l.example/rss"/>'
        b"</body></opml>"
    )
    assert [(f.url, f.category) for f in read_opml(opml, "l.opml")] == [
        ("https://p.example/rss", "News"),
        ("https://c.example/rss", "News"),
        ("https://l.example/rss", None),
    ]
    deep = (
        '<opml version="2.0"><body>'
        + '<outline text="f">' * 5000
        + '<outline text="x" xmlUrl="https://x.example/rss"/>'
        + "</outline>" * 5000
        + "</body></opml>"
    ).encode()
    (feed,) = read_opml(deep, "deep.opml")
    assert feed.category is not None and feed.category.count("/") == 31  # 32 levels kept


def test_a_folder_nested_past_32_levels_is_cut_there(db: Path, capsys) -> None:
    """1,000 nested folders (an OPML list, or `--category`) were stored, then the feed list
    and `export-opml` ended in a RecursionError traceback."""
    deep = "/".join(f"d{i}" for i in range(1000))
    code, _, err = run(
        capsys, "add", "http://127.0.0.1:9/f.xml", "--no-fetch", "--category", deep, "--db", str(db)
    )
    assert code == 0, err
    code, out, err = run(capsys, "export-opml", "--db", str(db))
    assert code == 0 and err == "" and out.count("<outline") == 33
    with FeedStore(db) as store:
        (sub,) = store.subscriptions()
        assert sub.category == "/".join(f"d{i}" for i in range(32))


def test_a_feed_that_changes_its_title_keeps_its_articles_under_one_source(
    tmp_path: Path,
) -> None:
    """A feed stored under its title (no name given) that changed it showed its old articles
    under the old title and its new ones under the new: two sources for one subscription,
    and `refresh OLD` said "not subscribed"."""

    def rss(title: str, items: range) -> str:
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            + "".join(
                f"<item><title>Story {i}</title><guid>https://t.example/{i}</guid>"
                "<pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>"
                for i in items
            )
            + "</channel></rss>"
        )

    path = tmp_path / "feed.xml"
    path.write_text(rss("Feed A", range(2)))
    named = tmp_path / "named.xml"
    named.write_text(rss("Other", range(10, 11)))
    with FeedStore(tmp_path / "s.db") as store:
        store.subscribe(str(path))
        store.subscribe(str(named), name="Mine")
        store.refresh()
        path.write_text(rss("Renamed Feed & Co", range(3)))
        named.write_text(rss("Other, renamed", range(10, 12)))
        store.refresh()
        assert {s.name: s.total for s in store.sources()} == {"Renamed Feed & Co": 3, "Mine": 2}
        assert store.count_matches('source:"Renamed Feed & Co"')[0] == 3
        path.write_text(rss("", range(4)))  # no title any more: its address, as listed
        store.refresh()
        (address,) = [s.url for s in store.subscriptions() if s.name is None]
        assert {s.name: s.total for s in store.sources()} == {address: 4, "Mine": 2}


def test_adding_an_address_that_redirects_to_a_feed_of_yours_subscribes_nothing_new(
    db: Path, httpserver: HTTPServer, capsys
) -> None:
    """`add OLD`, where OLD redirects to a feed subscribed already, made a second subscription
    to it: every refresh then warned, and its name matched two subscriptions."""
    httpserver.expect_request("/moved.xml").respond_with_data(feed("Moved"))
    httpserver.expect_request("/old.xml").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/moved.xml")}
    )
    url = httpserver.url_for("/moved.xml")
    assert run(capsys, "add", url, "--db", str(db))[0] == 0
    code, out, err = run(capsys, "add", httpserver.url_for("/old.xml"), "--db", str(db))
    assert code == 0, err
    assert out.startswith(
        f"{httpserver.url_for('/old.xml')} redirects to {url}, which you are subscribed to\n"
        f"already subscribed to {url}\n"
    )
    with FeedStore(db) as store:
        assert [s.url for s in store.subscriptions()] == [url]


def test_import_opml_reads_standard_input_given_a_dash(db: Path, tmp_path: Path) -> None:
    """`export-opml -` wrote to standard output, but `import-opml -` said "-: no such file
    or directory": a list piped from one database to another needed a file between."""
    opml = OPML.encode()
    done = subprocess.run(
        [sys.executable, "-m", "reader", "import-opml", "-", "--db", str(db)],
        input=opml, capture_output=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().startswith("5 subscriptions added, 0 already there")
