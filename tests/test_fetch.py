"""Refreshing subscriptions against a real HTTP server on 127.0.0.1 (pytest-httpserver)."""

from __future__ import annotations

import asyncio
import gzip
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from reader.store import FeedStore
from reader.store.fetch import USER_AGENT, Fetched, FetchJob, FetchSettings, fetch_all

FAST = FetchSettings(connect_timeout=2, total_timeout=1.0, max_bytes=64 * 1024)


def rss(*titles: str, charset: str = "utf-8") -> bytes:
    items = "".join(
        f"<item><title>{t}</title><guid>https://items.example/{i}</guid>"
        f"<pubDate>2026-11-{10 + i:02d}T10:00:00Z</pubDate></item>"
        for i, t in enumerate(titles)
    )
    return (
        f'<?xml version="1.0" encoding="{charset}"?><rss version="2.0"><channel>'
        f"<title>Local feed</title>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def store(tmp_path: Path):
    with FeedStore(tmp_path / "s.db") as s:
        yield s


def refresh(store: FeedStore, *urls: str):
    return store.refresh(urls, settings=FAST)


def subscribe(store: FeedStore, url: str) -> str:
    store.subscribe(url)
    return url


def sub_state(store: FeedStore, url: str):
    (sub,) = [s for s in store.subscriptions() if s.url == url]
    return sub


@contextmanager
def threaded_server(
    body_for: Callable[[str], bytes | tuple[int, dict[str, str], bytes]],
) -> Iterator[str]:
    """A threaded stdlib server on 127.0.0.1 (pytest-httpserver answers one request at a
    time) answering every GET with ``body_for(path)``: a body (status 200), or a status, its
    headers and a body; yields its address."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            answer = body_for(self.path)
            status, headers, body = answer if isinstance(answer, tuple) else (200, {}, answer)
            self.send_response(status)
            for header, value in headers.items():
                self.send_header(header, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_etag_then_304_costs_no_download_and_keeps_articles(
    store: FeedStore, httpserver: HTTPServer
) -> None:
    body = rss("First", "Second")
    seen: list[dict[str, str]] = []

    def handler(request: Request) -> Response:
        seen.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(body, headers={"ETag": '"v1"'}, content_type="application/rss+xml")

    httpserver.expect_request("/feed").respond_with_handler(handler)
    url = subscribe(store, httpserver.url_for("/feed"))
    first = refresh(store)
    assert (first.items.added, first.failed) == (2, [])
    second = refresh(store)
    assert second.not_modified == 1 and second.items.added == 0 and not second.failed
    assert seen[1]["If-None-Match"] == '"v1"'
    assert seen[0]["User-Agent"] == USER_AGENT
    assert "gzip" in seen[0]["Accept-Encoding"]
    assert store.count() == 2
    state = sub_state(store, url)
    assert (state.http_status, state.error, state.articles) == (304, None, 2)


def test_last_modified_is_sent_back(store: FeedStore, httpserver: HTTPServer) -> None:
    stamp = "Wed, 25 Nov 2026 10:00:00 GMT"

    def handler(request: Request) -> Response:
        if request.headers.get("If-Modified-Since") == stamp:
            return Response(status=304)
        return Response(rss("Dated"), headers={"Last-Modified": stamp})

    httpserver.expect_request("/lm").respond_with_handler(handler)
    subscribe(store, httpserver.url_for("/lm"))
    assert refresh(store).items.added == 1
    assert refresh(store).not_modified == 1


def test_changed_feed_updates_items_and_keeps_read_state(
    store: FeedStore, httpserver: HTTPServer
) -> None:
    versions = [rss("Old title"), rss("New title", "Another")]
    httpserver.expect_request("/f").respond_with_handler(lambda r: Response(versions[0]))
    subscribe(store, httpserver.url_for("/f"))
    refresh(store)
    (article,) = store.search("")
    store.set_read([article.rowid])
    versions.pop(0)
    report = refresh(store)
    assert (report.items.added, report.items.updated) == (1, 1)
    updated = store.article(article.uid)
    assert updated is not None and updated.title == "New title" and updated.read


def test_same_bytes_without_validators_are_not_parsed_again(
    store: FeedStore, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/plain").respond_with_data(rss("Same"))
    subscribe(store, httpserver.url_for("/plain"))
    refresh(store)
    report = refresh(store)
    assert report.unchanged == 1 and report.items.added == report.items.updated == 0


def test_redirect_chain_is_followed(store: FeedStore, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/older")}
    )
    httpserver.expect_request("/older").respond_with_data(
        "", status=302, headers={"Location": "/feed"}
    )
    httpserver.expect_request("/feed").respond_with_data(rss("Moved"))
    subscribe(store, httpserver.url_for("/old"))
    report = refresh(store)
    assert report.items.added == 1 and not report.failed


def test_redirect_loop_is_a_clear_error(store: FeedStore, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/loop").respond_with_data(
        "", status=302, headers={"Location": "/loop"}
    )
    url = subscribe(store, httpserver.url_for("/loop"))
    (failure,) = refresh(store).failed
    assert failure == (url, "redirect loop or more than 5 redirects")


@pytest.mark.parametrize(
    ("status", "expected"),
    [(404, "HTTP 404 NOT FOUND"), (410, "the feed is gone"), (500, "HTTP 500")],
)
def test_http_errors_are_reported_and_stored_articles_stay(
    store: FeedStore, httpserver: HTTPServer, status: int, expected: str
) -> None:
    answers = [Response(rss("Kept")), Response("oops", status=status)]
    httpserver.expect_request("/e").respond_with_handler(lambda r: answers.pop(0))
    url = subscribe(store, httpserver.url_for("/e"))
    refresh(store)
    (failure,) = refresh(store).failed
    assert expected.lower() in failure[1].lower()
    state = sub_state(store, url)
    assert state.http_status == status and state.error == failure[1] and state.succeeded
    assert [a.title for a in store.search("")] == ["Kept"]


def test_a_server_slower_than_the_timeout(store: FeedStore, httpserver: HTTPServer) -> None:
    answer = threading.Event()

    def slow(request: Request) -> Response:
        answer.wait(10)  # (the test server answers one request at a time: not a moment longer)
        return Response(rss("Late"))

    httpserver.expect_request("/slow").respond_with_handler(slow)
    subscribe(store, httpserver.url_for("/slow"))
    started = time.perf_counter()
    try:
        (failure,) = refresh(store).failed
        took = time.perf_counter() - started
    finally:
        answer.set()
    assert "timed out after 1 s" in failure[1]
    assert took < 5  # gave up at the timeout, not when the answer came


def test_a_body_over_the_cap_is_refused(store: FeedStore, httpserver: HTTPServer) -> None:
    big = rss(*[f"Item {i} " + "x" * 200 for i in range(400)])
    assert len(big) > FAST.max_bytes
    httpserver.expect_request("/big").respond_with_data(big)
    subscribe(store, httpserver.url_for("/big"))
    (failure,) = refresh(store).failed
    assert "larger than the 0.0625 MiB limit" in failure[1]
    assert store.count() == 0


def test_a_gzip_bomb_is_stopped_by_the_cap(store: FeedStore, httpserver: HTTPServer) -> None:
    bomb = gzip.compress(rss("Bomb") + b" " * (FAST.max_bytes * 4))
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    subscribe(store, httpserver.url_for("/bomb"))
    (failure,) = refresh(store).failed
    assert "larger than" in failure[1]


def test_gzip_responses_are_decoded(store: FeedStore, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(rss("Compressed")), headers={"Content-Encoding": "gzip"}
    )
    subscribe(store, httpserver.url_for("/gz"))
    assert refresh(store).items.added == 1
    assert store.search("compressed")


def test_gzip_bodies_without_content_encoding_are_read(
    store: FeedStore, httpserver: HTTPServer, tmp_path: Path
) -> None:
    """A server that sends gzip data without saying so (a ``.xml.gz`` file served as it is)
    and a local ``.xml.gz`` subscription: recognised by gzip's magic bytes and inflated. They
    failed as malformed XML."""
    httpserver.expect_request("/feed.xml.gz").respond_with_data(
        gzip.compress(rss("Served compressed")), content_type="application/gzip"
    )
    local = tmp_path / "local.xml.gz"
    local.write_bytes(gzip.compress(rss("Stored compressed").replace(b"items.example", b"l.x")))
    subscribe(store, httpserver.url_for("/feed.xml.gz"))
    subscribe(store, str(local))
    report = refresh(store)
    assert (report.failed, report.warnings, report.items.added) == ([], [], 2)
    assert sorted(a.title for a in store.search("compressed")) == [
        "Served compressed",
        "Stored compressed",
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # a bomb without a Content-Encoding: inflated no further than the fetcher's cap
            gzip.compress(rss("Big") + b" " * (FAST.max_bytes * 50)),
            "larger than the 0.0625 MiB limit once decompressed",
        ),
        (gzip.compress(rss("Cut", "Short"))[:-20], "gzip-compressed, but cut short"),
        (b"\x1f\x8b" + b"not gzip at all", "gzip-compressed, but the compressed data is"),
    ],
    ids=["bomb", "cut", "corrupt"],
)
def test_gzip_bodies_that_cannot_be_read_are_one_line(
    store: FeedStore, httpserver: HTTPServer, body: bytes, expected: str
) -> None:
    httpserver.expect_request("/feed.xml.gz").respond_with_data(body)
    url = subscribe(store, httpserver.url_for("/feed.xml.gz"))
    (failure,) = refresh(store).failed
    assert failure == (url, failure[1]) and failure[1].startswith(expected)
    assert "\n" not in failure[1] and store.count() == 0


def test_charset_header_contradicting_the_declaration(
    store: FeedStore, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/cs").respond_with_data(
        rss("Déjà vu à Pékin"), content_type="text/xml; charset=iso-8859-1"
    )
    subscribe(store, httpserver.url_for("/cs"))
    report = refresh(store)
    assert [a.title for a in store.search("")] == ["Déjà vu à Pékin"]
    assert report.warnings and "iso-8859-1" in report.warnings[0][1]


def test_latin1_feed_with_matching_header(store: FeedStore, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/l1").respond_with_data(
        rss("Été", charset="iso-8859-1").decode().encode("latin-1"),
        content_type="text/xml; charset=iso-8859-1",
    )
    subscribe(store, httpserver.url_for("/l1"))
    refresh(store)
    assert [a.title for a in store.search("ete")] == ["Été"]


def test_an_html_page_instead_of_a_feed(store: FeedStore, httpserver: HTTPServer) -> None:
    page = b"<!doctype html><html><head><link rel='alternate' type='application/atom+xml' href='/atom'></head><body>Blog</body></html>"  # noqa: E501
    httpserver.expect_request("/blog").respond_with_data(page, content_type="text/html")
    subscribe(store, httpserver.url_for("/blog"))
    (failure,) = refresh(store).failed
    assert failure[1] == "not a feed but a web page; it names a feed: /atom"


def test_malformed_xml_still_yields_items(store: FeedStore, httpserver: HTTPServer) -> None:
    broken = rss("One", "Two").replace(b"</channel></rss>", b"<item><title>unclosed")
    httpserver.expect_request("/broken").respond_with_data(broken)
    subscribe(store, httpserver.url_for("/broken"))
    report = refresh(store)
    assert report.items.added >= 2 and not report.failed
    assert report.warnings and "read anyway" in report.warnings[0][1]


def test_an_empty_feed_is_fine(store: FeedStore, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/empty").respond_with_data(rss())
    url = subscribe(store, httpserver.url_for("/empty"))
    report = refresh(store)
    assert not report.failed and report.items.added == 0
    assert sub_state(store, url).error is None


def test_connection_refused(store: FeedStore) -> None:
    subscribe(store, "http://127.0.0.1:9/feed")
    (failure,) = refresh(store).failed
    assert failure[1].startswith("cannot connect")


def test_files_and_paths_take_the_same_route(store: FeedStore, tmp_path: Path) -> None:
    feed = tmp_path / "local.xml"
    feed.write_bytes(rss("From a file"))
    store.subscribe(str(feed))
    store.subscribe(feed.as_uri())  # the same subscription
    assert len(store.subscriptions()) == 1
    first = refresh(store)
    assert first.items.added == 1
    assert refresh(store).unchanged == 1
    (article,) = store.search("")
    assert article.path == str(feed)
    feed.unlink()
    (failure,) = refresh(store).failed
    assert "no such file or directory" in failure[1]
    assert store.count() == 1


def test_many_feeds_refresh_concurrently_with_worker_processes(
    store: FeedStore, httpserver: HTTPServer
) -> None:
    for n in range(12):  # above POOL_FROM: parsed in worker processes
        body = rss(*(f"feed{n} item{i}" for i in range(3))).replace(
            b"https://items.example/", f"https://items.example/{n}/".encode()
        )
        httpserver.expect_request(f"/f{n}").respond_with_data(body)
        store.subscribe(httpserver.url_for(f"/f{n}"))
    seen: list[tuple[int, int]] = []
    report = store.refresh(progress=lambda d, t: seen.append((d, t)), settings=FAST)
    assert report.items.added == 36 and not report.failed
    assert seen[0] == (0, 12) and seen[-1] == (12, 12)
    assert store.count() == 36


def test_refresh_of_named_feeds_only(store: FeedStore, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data(rss("A"))
    store.subscribe(httpserver.url_for("/a"), name="Alpha")
    store.subscribe("http://127.0.0.1:9/never")
    report = store.refresh(["Alpha", "https://not.subscribed/"], settings=FAST)
    assert report.items.added == 1
    assert report.failed == [] and report.feeds == 1  # an unknown name is no feed
    reason = "not subscribed (see `newsreader feeds`)"
    assert report.unknown == [("https://not.subscribed/", reason)]


def test_concurrency_is_bounded_per_host(store: FeedStore) -> None:
    """A threaded server counts requests in flight: never more than per_host at once."""
    state = {"now": 0, "max": 0}
    lock = threading.Lock()

    def slow(path: str) -> bytes:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.15)
        body = rss(f"Item at {path}").replace(
            b"https://items.example/", f"https://items.example{path}/".encode()
        )
        with lock:  # before the body goes out: the client may ask again once it has it
            state["now"] -= 1
        return body

    with threaded_server(slow) as address:
        for n in range(9):
            store.subscribe(f"{address}/f{n}")
        settings = FetchSettings(total_timeout=5, concurrency=16, per_host=3)
        report = store.refresh(settings=settings)
    assert report.items.added == 9 and not report.failed
    assert state["max"] == 3


def test_bodies_waiting_to_be_handled_are_bounded(tmp_path: Path) -> None:
    """Feeds that arrive faster than they are handled (parsed, written) wait for their turn
    to be fetched: at most ``concurrency`` bodies are held at once, files and HTTP alike."""
    held = {"now": 0, "max": 0, "bodies": 0}

    async def slow_handler(fetched: Fetched) -> None:
        held["now"] += 1
        held["max"] = max(held["max"], held["now"])
        held["bodies"] += fetched.body is not None
        await asyncio.sleep(0.01)  # a parse in another process
        held["now"] -= 1

    with threaded_server(lambda path: rss(f"Item at {path}")) as address:
        jobs = []
        for n in range(30):
            (tmp_path / f"f{n}.xml").write_bytes(rss(f"File {n}"))
            jobs.append(FetchJob(n, str(tmp_path / f"f{n}.xml")))
            jobs.append(FetchJob(100 + n, f"{address}/f{n}"))
        asyncio.run(fetch_all(jobs, slow_handler, FetchSettings(concurrency=4, per_host=4)))
    assert held["bodies"] == 60
    assert held["max"] == 4


def test_a_feed_that_does_not_answer_holds_back_no_other_feeds_articles(tmp_path: Path) -> None:
    """A group of results was written when the next result came or at the end: the other
    feeds' articles, fetched in a second, waited the 30 s a feed that never answered took
    (and a refresh killed meanwhile stored none of them). A group is written once it is half
    a second old, whether or not another result comes."""
    answer = threading.Event()

    def body_for(path: str) -> bytes:
        if path == "/hang.xml":
            answer.wait(60)
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{path}</title><item>'
            f"<title>Story of {path}</title><guid>https://items.example{path}</guid>"
            "<pubDate>2026-11-10T10:00:00Z</pubDate></item></channel></rss>"
        ).encode()

    db = tmp_path / "s.db"
    with threaded_server(body_for) as base:
        with FeedStore(db) as store:
            store.subscribe(f"{base}/hang.xml")
            for i in range(5):
                store.subscribe(f"{base}/quick{i}.xml")
        done: list[object] = []

        def refresh() -> None:
            with FeedStore(db) as store:
                done.append(store.refresh())

        thread = threading.Thread(target=refresh)
        thread.start()
        try:
            stored = 0
            deadline = time.monotonic() + 10
            while stored < 5 and time.monotonic() < deadline:
                time.sleep(0.2)
                with FeedStore(db) as reader:
                    stored = reader.count_matches("")[0]
            assert stored == 5 and not done  # stored while the refresh still waits
        finally:
            answer.set()
            thread.join(60)
        assert done


def test_a_feed_that_takes_over_a_shared_article_gives_it_its_text(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    """Two feeds carry one item (the same address as guid); the first one's text is shown.
    Unsubscribed from it, the other took the article over but its server answered "not
    modified", so the gone feed's text stayed until the other feed changed."""

    def feed(who: str) -> bytes:
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{who}</title>'
            f"<item><title>Shared from {who}</title><guid>https://shared.example/1</guid>"
            "<pubDate>2026-11-10T10:00:00Z</pubDate></item></channel></rss>"
        ).encode()

    def answer(who: str) -> Callable[[Request], Response]:
        def handler(request: Request) -> Response:
            if request.headers.get("If-None-Match") == f'"{who}"':
                return Response(status=304)
            return Response(feed(who), headers={"ETag": f'"{who}"'})

        return handler

    for who in ("A", "B"):
        httpserver.expect_request(f"/{who}.xml").respond_with_handler(answer(who))
    with FeedStore(tmp_path / "s.db") as store:
        store.subscribe(httpserver.url_for("/A.xml"))
        store.refresh()
        store.subscribe(httpserver.url_for("/B.xml"))
        store.refresh()
        assert [a.title for a in store.search("")] == ["Shared from A"]
        store.unsubscribe(httpserver.url_for("/A.xml"))
        store.refresh()
        assert [a.title for a in store.search("")] == ["Shared from B"]
