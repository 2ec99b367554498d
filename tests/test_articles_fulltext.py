"""Issue #15, full texts of teaser feeds: pages served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from reader.model import FullTextState
from reader.store import FeedStore
from reader.store.subscriptions import NotSubscribed

from .conftest import DATA

PAGE = (DATA / "articles" / "teaser-page.html").read_bytes()
PLANT = "Xiaomi opens its second car plant in Beijing"  # the page's own headline
TEASER = "Xiaomi opened the second phase of its car factory in Beijing."
IN_FULL_ONLY = "die-casting presses"
BOILERPLATE = ("Most read", "cookies", "Newsletter", "All rights reserved", "volt_fan", "Careers")


def feed(server: HTTPServer, *items: tuple[str, str]) -> bytes:
    """An RSS feed whose items (guid/title, path) link to pages of the server."""
    entries = "".join(
        f"<item><title>{title}</title><guid>urn:t:{title}</guid>"
        f"<link>{server.url_for(path) if path.startswith('/') else path}</link>"
        f"<pubDate>Tue, 03 Mar 2026 08:00:00 GMT</pubDate>"
        f"<description>{TEASER} &lt;a href='/more'&gt;Read more&lt;/a&gt;</description></item>"
        for title, path in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>EV Briefing</title>'
        f"<link>{server.url_for('/')}</link>{entries}</channel></rss>"
    ).encode()


def serve_page(server: HTTPServer, path: str = "/news/plant") -> None:
    server.expect_request(path).respond_with_data(
        PAGE, content_type="text/html; charset=utf-8", headers={"ETag": '"v1"'}
    )


def page_requests(server: HTTPServer, path: str) -> list[Request]:
    return [r for r, _ in server.log if r.path == path]


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TZ": "UTC"},
    )


def test_add_full_text_replaces_teasers_and_says_why_when_it_cannot(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    serve_page(httpserver)
    httpserver.expect_request("/news/gone").respond_with_data("gone", status=404)
    httpserver.expect_request("/feed").respond_with_data(
        feed(httpserver, (PLANT, "/news/plant"), ("Gone", "/news/gone")),
        content_type="application/rss+xml",
    )
    db = tmp_path / "f.db"
    proc = run("add", httpserver.url_for("/feed"), "--full-text", db=db)
    assert proc.returncode == 0, proc.stderr
    assert "1 full text fetched, 1 not" in proc.stdout
    (warning,) = [line for line in proc.stderr.splitlines() if "/news/gone" in line]
    assert "full text not fetched (HTTP 404" in warning and "the feed's text stays" in warning
    assert proc.stderr.count("\n") == 1

    rows = {
        r["title"]: r
        for r in map(json.loads, run("search", "", "--json", db=db).stdout.split("\n")[:-1])
    }
    full = json.loads(run("show", rows[PLANT]["id"], "--json", db=db).stdout)
    assert full["full_text"] == "done"
    text = full["text"]
    assert IN_FULL_ONLY in text and "A factory built in record time" in text
    assert "    We learned more in these eleven months" in text  # the quote keeps its indent
    assert "[image: The Yizhuang plant from the air] [1]" in text
    assert full["links"][0] == httpserver.url_for("/img/yizhuang-plant.jpg")
    assert "https://broker.example.com/notes/xiaomi" in full["links"]
    assert not any(junk in text for junk in BOILERPLATE), text
    assert not text.startswith(PLANT)  # the title is not repeated
    teaser = json.loads(run("show", rows["Gone"]["id"], "--json", db=db).stdout)
    assert teaser["full_text"] == "failed" and TEASER in teaser["text"]
    assert teaser["full_text_note"].startswith("HTTP 404")
    shown = run("show", rows["Gone"]["id"], db=db).stdout
    assert "Text:   the feed's; full text not fetched: HTTP 404" in shown
    feeds = json.loads(run("feeds", "--json", db=db).stdout)
    assert feeds["full_text"] is True
    # the full text is searchable; entities come from it
    assert [r["title"] for r in map(json.loads, run("search", "die-casting", "--json", db=db)
                                    .stdout.splitlines())] == [PLANT]  # fmt: skip


def test_pages_per_refresh_are_capped_newest_first(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.store import fulltext

    for i in range(3):
        serve_page(httpserver, f"/p/{i}")
    httpserver.expect_request("/feed").respond_with_data(
        feed(httpserver, ("A", "/p/0"), ("B", "/p/1"), ("C", "/p/2"))
    )
    monkeypatch.setattr(fulltext, "PAGES_PER_REFRESH", 2)

    def states(store: FeedStore) -> list[str]:
        found = [store.article(a.uid) for a in store.search("")]
        return sorted(str(a.full_text) for a in found if a is not None)

    with FeedStore(tmp_path / "c.db") as store:
        store.subscribe(httpserver.url_for("/feed"), fetch=True, full_text=True)
        assert states(store) == ["done", "done", "pending"]
        store.refresh()
        assert states(store) == ["done", "done", "done"]


def test_refresh_fetches_only_new_items_pages(tmp_path: Path, httpserver: HTTPServer) -> None:
    serve_page(httpserver)
    serve_page(httpserver, "/news/second")
    feeds = [
        feed(httpserver, ("Plant", "/news/plant")),
        feed(httpserver, ("Second", "/news/second"), ("Plant", "/news/plant")),
    ]
    httpserver.expect_request("/feed").respond_with_handler(
        lambda _: Response(feeds.pop(0) if len(feeds) > 1 else feeds[0])
    )
    with FeedStore(tmp_path / "r.db") as store:
        store.subscribe(httpserver.url_for("/feed"), fetch=True, full_text=True)
        report = store.refresh()
        assert report.full_texts.fetched == 1 and not report.full_texts.failed
    assert len(page_requests(httpserver, "/news/plant")) == 1
    assert len(page_requests(httpserver, "/news/second")) == 1
    for req in page_requests(httpserver, "/news/second"):
        assert "text/html" in req.headers["Accept"] and "newsreader" in req.headers["User-Agent"]


def test_the_reader_key_fetches_one_article_now_then_asks_conditionally(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    def page(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(PAGE, content_type="text/html", headers={"ETag": '"v1"'})

    httpserver.expect_request("/news/plant").respond_with_handler(page)
    httpserver.expect_request("/feed").respond_with_data(feed(httpserver, ("Plant", "/news/plant")))
    with FeedStore(tmp_path / "k.db") as store:
        store.subscribe(httpserver.url_for("/feed"), fetch=True)  # switch off: teasers only
        (hit,) = store.search("")
        assert page_requests(httpserver, "/news/plant") == []
        assert store.search(IN_FULL_ONLY) == []
        result = store.fetch_full_text(hit.uid)
        assert result.state == FullTextState.DONE and result.changed and result.note is None
        article = store.article(hit.uid)
        assert article is not None and IN_FULL_ONLY in article.body
        assert article.full_text == FullTextState.DONE
        assert [a.uid for a in store.search(IN_FULL_ONLY)] == [hit.uid]
        assert store.mentions(article.rowid)  # entities of the new text, computed on demand
        again = store.fetch_full_text(hit.rowid)
        assert again.state == FullTextState.DONE and not again.changed
        assert page_requests(httpserver, "/news/plant")[-1].headers["If-None-Match"] == '"v1"'
        # a refresh that brings the same item leaves the full text in place
        store.refresh()
        article = store.article(hit.uid)
        assert article is not None and IN_FULL_ONLY in article.body
        with pytest.raises(KeyError):
            store.fetch_full_text("no-such-uid")


@pytest.mark.parametrize(
    ("path", "reply", "reason"),
    [
        ("/doc.pdf", (b"%PDF-1.4", "application/pdf"), "not a web page but application/pdf"),
        ("/empty", (b"<html><body><nav>Home</nav></body></html>", "text/html"), "no article"),
        (
            "/short",
            (b"<html><body><article><p>Too short.</p></article></body></html>", "text/html"),
            "no article",
        ),
        ("file:///etc/passwd", None, "its address is not an http(s) one"),
        ("javascript:alert(1)", None, "not an http(s) one"),
    ],
)
def test_failures_leave_the_teaser_with_a_reason(
    tmp_path: Path, httpserver: HTTPServer, path: str, reply: tuple[bytes, str] | None, reason: str
) -> None:
    if reply is not None:
        httpserver.expect_request(path).respond_with_data(reply[0], content_type=reply[1])
    httpserver.expect_request("/feed").respond_with_data(feed(httpserver, ("Item", path)))
    with FeedStore(tmp_path / "x.db") as store:
        store.subscribe(httpserver.url_for("/feed"), fetch=True)
        (hit,) = store.search("")
        before = store.article(hit.uid)
        result = store.fetch_full_text(hit.uid)
        assert result.state == FullTextState.FAILED
        note = result.note or ""
        assert "\n" not in note
        assert reason in note or (reason == "no article" and "shorter than the feed's" in note)
        after = store.article(hit.uid)
        assert after is not None and before is not None and after.body == before.body
        assert after.full_text == FullTextState.FAILED and after.full_text_note == result.note


def test_a_page_shorter_than_the_teaser_is_refused(tmp_path: Path, httpserver: HTTPServer) -> None:
    long_teaser = " ".join(["word"] * 400)
    page = (
        "<html><body><article><h1>T</h1>"
        + "".join(
            f"<p>Sentence number {i} of a fairly short page about cars.</p>" for i in range(8)
        )
        + "</article></body></html>"
    ).encode()
    httpserver.expect_request("/p").respond_with_data(page, content_type="text/html")
    httpserver.expect_request("/feed").respond_with_data(
        feed(httpserver, ("Item", "/p")).replace(TEASER.encode(), long_teaser.encode())
    )
    with FeedStore(tmp_path / "s.db") as store:
        store.subscribe(httpserver.url_for("/feed"), fetch=True)
        (hit,) = store.search("")
        result = store.fetch_full_text(hit.uid)
        assert result.state == FullTextState.FAILED
        assert result.note is not None and "shorter than the feed's text" in result.note


def test_no_write_lock_is_held_while_a_page_is_fetched(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    started, release = threading.Event(), threading.Event()

    def slow(request: Request) -> Response:
        started.set()
        release.wait(10)
        return Response(PAGE, content_type="text/html")

    httpserver.expect_request("/news/plant").respond_with_handler(slow)
    httpserver.expect_request("/feed").respond_with_data(feed(httpserver, ("Plant", "/news/plant")))
    db = tmp_path / "l.db"
    with FeedStore(db) as store:
        store.subscribe(httpserver.url_for("/feed"), fetch=True)
        (hit,) = store.search("")
        results = []
        worker = threading.Thread(
            target=lambda: results.append(store.fetch_full_text(hit.uid)), daemon=True
        )
        worker.start()
        assert started.wait(10)
        with FeedStore(db) as other:  # another process's view: a writer of its own
            t0 = time.perf_counter()
            assert other.set_read([hit.uid]) == 1
            assert time.perf_counter() - t0 < 5.0  # not held until the fetch ends (30 s)
        release.set()
        worker.join(20)
        assert results and results[0].state == FullTextState.DONE
        article = store.article(hit.uid)
        assert article is not None and article.read and IN_FULL_ONLY in article.body


def test_the_switch_by_name_and_its_errors(tmp_path: Path) -> None:
    with FeedStore(tmp_path / "w.db") as store:
        store.subscribe("https://feeds.example.org/a.xml", name="Teasers")
        assert store.set_full_text("teasers") is True
        assert store.set_full_text("Teasers", True) is False  # already on
        assert [s.full_text for s in store.subscriptions()] == [True]
        assert store.set_full_text("https://feeds.example.org/a.xml", False) is True
        with pytest.raises(NotSubscribed):
            store.set_full_text("nope")
        with pytest.raises(NotSubscribed):
            store.set_full_text(999)
