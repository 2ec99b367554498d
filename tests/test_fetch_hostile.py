"""Hostile servers and addresses, against real servers on 127.0.0.1: compression bombs (stacked
or not) stop at the cap in bounded memory, a page cannot name a local file as its feed, a
malformed address fails alone, and no server text drives the terminal."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import socketserver
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reader.store import FeedStore
from reader.store.fetch import FetchSettings
from reader.store.sources import SourceError

from .conftest import REPO

FAST = FetchSettings(connect_timeout=2, total_timeout=5.0, max_bytes=64 * 1024)
CONTROL = "\x1b\x07\x9b\x9d"


def rss(*titles: str) -> bytes:
    items = "".join(
        f"<item><title>{t}</title><guid>https://items.example/{t}</guid>"
        f"<link>https://items.example/{t}</link>"
        "<pubDate>2026-11-10T10:00:00Z</pubDate></item>"
        for t in titles
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Hostile</title>{items}</channel></rss>"
    ).encode()


def response(
    body: bytes = b"",
    status: str = "200 OK",
    headers: dict[str, str] | None = None,
) -> bytes:
    """A raw HTTP/1.1 response, status line and headers exactly as given (latin-1)."""
    head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


@contextmanager
def raw_server(answer: Callable[[str], bytes]) -> Iterator[str]:
    """A threaded server on 127.0.0.1 writing ``answer(path)`` verbatim for each request
    (a status line or headers no framework would send); yields its address."""

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            line = self.rfile.readline().decode("latin-1")
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            path = line.split(" ")[1] if line.count(" ") >= 2 else "/"
            with contextlib.suppress(OSError):  # the client stopped reading at the cap
                self.wfile.write(answer(path))

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


@pytest.fixture(scope="module")
def zeros_gz() -> bytes:
    """gzip of 1 GiB of zeros (about 1 MB), made in steps."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zero = bytes(1 << 20)
    return b"".join(packer.compress(zero) for _ in range(1024)) + packer.flush()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[FeedStore]:
    with FeedStore(tmp_path / "s.db") as s:
        yield s


def first_failure(store: FeedStore, url: str) -> str:
    store.subscribe(url)
    report = store.refresh(settings=FAST)
    (failure,) = report.failed
    return failure[1]


# -- compression --------------------------------------------------------------------------
PEAK = """
import json, resource, sys
from reader.store import FeedStore
from reader.store.sources import SourceError
with FeedStore(sys.argv[1]) as store:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    warnings = []
    try:
        done = store.subscribe(sys.argv[2], fetch=True, full_text=sys.argv[3] == "full")
        reason, warnings = None, done.report.warnings
    except SourceError as exc:
        reason = str(exc)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"grew_kib": after - before, "reason": reason, "warnings": warnings}))
"""


def peak(tmp_path: Path, url: str, full: bool = False) -> dict:
    """``add`` (the store's subscribe with its first fetch) in a fresh process: how much its
    peak memory grew, and the reason it gave."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", PEAK, str(tmp_path / "p.db"), url, "full" if full else "feed"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=True,
    )
    return json.loads(done.stdout)


LIMIT_GROWTH_KIB = 80 * 1024  # the cap is 16 MiB: the body, its join, the parser's copy


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/stacked", "compressed 2 times over (Content-Encoding: gzip, gzip); not read"),
        ("/bomb", "larger than the 16 MiB limit"),
        ("/deflate-bomb", "larger than the 16 MiB limit"),
        ("/redirect", "larger than the 16 MiB limit"),
        # gzip data without a Content-Encoding: inflated when parsed, to the same cap
        ("/bare-bomb", "larger than the 16 MiB limit once decompressed"),
    ],
)
def test_compression_bombs_stop_at_the_cap_in_bounded_memory(
    tmp_path: Path, zeros_gz: bytes, path: str, expected: str
) -> None:
    """The audit's bombs: gzip(gzip(1 GiB of zeros)), 1,827 bytes, held 2.1 GB; a 1 MB gzip
    bomb peaked at 177 MB. A redirect's body is never read (httpx read it whole). A gzip body
    sent without saying so is inflated only to the cap."""
    deflated = zlib.compress(bytes(1 << 30), 9) if path == "/deflate-bomb" else b""
    answers = {
        "/stacked": response(gz(zeros_gz), headers={"Content-Encoding": "gzip, gzip"}),
        "/bomb": response(zeros_gz, headers={"Content-Encoding": "gzip"}),
        "/bare-bomb": response(zeros_gz),
        "/deflate-bomb": response(deflated, headers={"Content-Encoding": "deflate"}),
        "/redirect": response(
            gz(zeros_gz),
            "302 Found",
            {"Content-Encoding": "gzip, gzip", "Location": "/bomb"},
        ),
    }
    with raw_server(lambda p: answers[p]) as base:
        got = peak(tmp_path, base + path)
    assert got["reason"] == f"{base}{path}: {expected}; not subscribed"
    assert got["grew_kib"] < LIMIT_GROWTH_KIB, got


def test_a_full_text_page_bomb_stops_at_the_cap_in_bounded_memory(
    tmp_path: Path, zeros_gz: bytes
) -> None:
    stacked = gz(zeros_gz)
    with raw_server(
        lambda p: (
            response(rss("bomb").replace(b"https://items.example", base.encode()))
            if p == "/feed"
            else response(stacked, headers={"Content-Encoding": "gzip,gzip"})
        )
    ) as base:
        got = peak(tmp_path, base + "/feed", full=True)
    assert got["reason"] is None
    assert got["grew_kib"] < LIMIT_GROWTH_KIB, got
    assert [w[1] for w in got["warnings"]] == [
        "full text not fetched (compressed 2 times over (Content-Encoding: gzip,gzip); not "
        "read); the feed's text stays"
    ]


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", gz(rss("Zipped"))),
        ("x-gzip", gz(rss("Zipped"))),
        ("GZIP, identity", gz(rss("Zipped"))),
        ("gzip", gz(rss("Zipped")[:100]) + gz(rss("Zipped")[100:])),  # two gzip members
        ("gzip", gz(rss("Zipped")) + b"\0\0\0\0"),  # trailing bytes, ignored
        ("deflate", zlib.compress(rss("Zipped"))),  # with the zlib header, as RFC 9110 says
        ("deflate", zlib.compress(rss("Zipped"))[2:-4]),  # raw deflate, as some servers send
        ("identity", rss("Zipped")),
        # no coding's name: read as none, as httpx did (the retest: refused since 89e005e)
        ("none", rss("Zipped")),
        ("UTF-8", rss("Zipped")),
    ],
    ids=[
        "gzip",
        "x-gzip",
        "gzip-identity",
        "members",
        "trailing",
        "zlib",
        "raw-deflate",
        "id",
        "none",
        "utf-8",
    ],
)
def test_compressed_feeds_are_read(store: FeedStore, encoding: str, body: bytes) -> None:
    with raw_server(lambda p: response(body, headers={"Content-Encoding": encoding})) as base:
        store.subscribe(base + "/feed")
        report = store.refresh(settings=FAST)
    assert (report.failed, report.items.added) == ([], 1)
    assert [a.title for a in store.search("")] == ["Zipped"]


@pytest.mark.parametrize(
    ("encoding", "body", "expected"),
    [
        ("br", b"\x1b\x00", "compressed as br (Content-Encoding), which newsreader does not read"),
        ("zstd", b"(\xb5/\xfd", "compressed as zstd (Content-Encoding), which newsreader does"),
        ("gzip, br", b"", "compressed 2 times over (Content-Encoding: gzip, br); not read"),
        ("gzip", b"not gzip at all", "the compressed response is corrupt"),
        ("deflate", b"not deflate at all", "the compressed response is corrupt"),
        ("br, x\x1b]52;c;aGk=\x07", b"", "compressed as br, x (Content-Encoding), which"),
        # cut short (the review: taken whole, a third of the feed stored as the feed)
        ("gzip", gz(rss(*["Cut"] * 50))[:-40], "the compressed response ended early"),
        ("deflate", zlib.compress(rss(*["Cut"] * 50))[:-40], "the compressed response ended"),
    ],
    ids=["br", "zstd", "stacked", "corrupt-gzip", "corrupt-deflate", "escapes", "cut-gz", "cut-z"],
)
def test_unknown_stacked_or_corrupt_encodings_are_one_clean_line(
    store: FeedStore, encoding: str, body: bytes, expected: str
) -> None:
    with raw_server(lambda p: response(body, headers={"Content-Encoding": encoding})) as base:
        reason = first_failure(store, base + "/feed")
    assert reason.startswith(expected)
    assert not any(c in reason for c in CONTROL)


def test_the_cap_holds_for_gzip_with_a_small_limit(store: FeedStore) -> None:
    body = gz(rss("Big") + b" " * (FAST.max_bytes * 50))
    with raw_server(lambda p: response(body, headers={"Content-Encoding": "gzip"})) as base:
        assert first_failure(store, base + "/feed") == "larger than the 0.0625 MiB limit"


BIG = rss(*[f"Big{n}" + "x" * 300 for n in range(300)])  # over 64 KiB once inflated


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "body",
    [gz(BIG) + b"\0\0\0\0", gz(BIG) + gz(rss("Tail")), gz(BIG) + b"\n"],
    ids=["trailing-bytes", "second-member", "newline"],
)
def test_a_gzip_member_ending_after_64_kib_with_bytes_after_it(
    store: FeedStore, body: bytes
) -> None:
    """A member whose end is reached in a step that was cut at 64 KiB keeps the bytes after
    it in zlib's ``unconsumed_tail`` too: they were fed to the ended member again and again,
    for nothing, the event loop busy for good (the refresh never ended, the reader froze)."""
    settings = FetchSettings(connect_timeout=2, total_timeout=10.0, max_bytes=1 << 20)
    with raw_server(lambda p: response(body, headers={"Content-Encoding": "gzip"})) as base:
        store.subscribe(base + "/feed")
        report = store.refresh(settings=settings)
    assert report.failed == [] and report.items.added >= 300


def test_accept_encoding_names_only_what_is_read(store: FeedStore) -> None:
    seen: list[str] = []

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            while (line := self.rfile.readline()) not in (b"\r\n", b""):
                seen.append(line.decode().strip())
            self.wfile.write(response(rss("One")))

    server = socketserver.TCPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        store.subscribe(f"http://127.0.0.1:{server.server_address[1]}/feed")
        assert not store.refresh(settings=FAST).failed
    finally:
        server.shutdown()
        server.server_close()
    assert "Accept-Encoding: gzip, deflate" in seen


# -- local files --------------------------------------------------------------------------
def cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    """The command in a fresh process (a hang would end at the timeout, not hold the tests)."""
    return subprocess.run(
        [sys.executable, "-m", "reader", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def add_page_naming(href: str, db: Path) -> tuple[str, subprocess.CompletedProcess[str]]:
    """``newsreader add`` of a web page (served on 127.0.0.1) whose feed link is ``href``:
    the server's address and the finished command."""
    page = (
        "<!doctype html><html><head><link rel='alternate' type='application/rss+xml' "
        f"href='{href}'></head></html>"
    ).encode()
    with raw_server(lambda p: response(page, headers={"Content-Type": "text/html"})) as base:
        return base, cli("add", base + "/blog", db=db)


@pytest.mark.parametrize("target", ["secret", "/dev/zero"])
def test_a_web_page_cannot_name_a_local_file_as_its_feed(tmp_path: Path, target: str) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss("Private"))
    named = secret.as_uri() if target == "secret" else "file:///dev/zero"
    base, done = add_page_naming(named, tmp_path / "s.db")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"newsreader: {base}/blog is a web page naming the feed {named}, which is not an http(s) "
        "address; not subscribed"
    ]
    with FeedStore(tmp_path / "s.db") as store:
        assert (store.subscriptions(), store.count()) == ([], 0)


def test_a_redirect_to_a_file_address_is_not_followed(store: FeedStore, tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss("Private"))
    moved = response(status="302 Found", headers={"Location": secret.as_uri()})
    with raw_server(lambda p: moved) as base:
        reason = first_failure(store, base + "/feed")
    assert reason == f"redirected to a file: address ({secret.as_uri()}); not followed"
    assert store.count() == 0


@pytest.mark.parametrize(
    ("location", "why"),
    [
        ("http://[zz/x", "not a valid address (the '[' that opens its host is never closed)"),
        ("http://exa mple.org/x", "not a valid address (the host 'exa mple.org' cannot be one)"),
    ],
)
def test_a_redirect_to_a_malformed_address_says_so(
    store: FeedStore, location: str, why: str
) -> None:
    """It said the DNS lookup of the feed's own (good) host failed (the retest)."""
    moved = response(status="301 Moved Permanently", headers={"Location": location})
    with raw_server(lambda p: moved) as base:
        reason = first_failure(store, base + "/feed")
    assert reason == f"redirected to {location}, which is {why}; not followed"


def test_add_refuses_devices_pipes_and_folders(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    for given, kind in [
        ("/dev/zero", "is not a regular file (a device, a pipe?), not a feed file"),
        ("file:///dev/zero", "is not a regular file (a device, a pipe?), not a feed file"),
        (str(fifo), "is not a regular file (a device, a pipe?), not a feed file"),
        (str(tmp_path), "is a folder, not a feed file"),
    ]:
        for extra in ([], ["--no-fetch"]):
            done = cli("add", given, *extra, db=tmp_path / "s.db")
            assert (done.returncode, done.stderr) == (2, f"newsreader: {given}: {kind}\n")


def test_a_feed_file_replaced_by_a_device_or_pipe_fails_alone(
    store: FeedStore, tmp_path: Path
) -> None:
    good, zero, pipe = tmp_path / "good.xml", tmp_path / "zero.xml", tmp_path / "pipe.xml"
    for path in (good, zero, pipe):
        path.write_bytes(rss(path.stem))
        store.subscribe(str(path))
    zero.unlink()
    zero.symlink_to("/dev/zero")
    pipe.unlink()
    os.mkfifo(pipe)
    report = store.refresh(settings=FAST)
    assert sorted(report.failed) == [
        (pipe.as_uri(), "is not a regular file (a device, a pipe?), not a feed file"),
        (zero.as_uri(), "is not a regular file (a device, a pipe?), not a feed file"),
    ]
    assert report.items.added == 1


def test_a_feed_file_over_the_cap_is_read_no_further(store: FeedStore, tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(rss("Big") + b" " * FAST.max_bytes)
    store.subscribe(str(big))
    assert store.refresh(settings=FAST).failed == [
        (big.as_uri(), "larger than the 0.0625 MiB limit")
    ]


# -- malformed addresses ------------------------------------------------------------------
BAD_ADDRESSES = ["http://127.0.0.1:18080/a\tb", "http://[::1", "http://127.0.0.1:99999/feed"]


def test_import_opml_refuses_malformed_addresses_and_keeps_the_others(tmp_path: Path) -> None:
    with raw_server(lambda p: response(rss("Good"))) as base:
        outlines = "".join(
            f'<outline type="rss" text="x" xmlUrl="{url.replace(chr(9), "&#9;")}"/>'
            for url in [*BAD_ADDRESSES, base + "/good"]
        )
        opml = tmp_path / "in.opml"
        opml.write_text(f'<opml version="2.0"><body>{outlines}</body></opml>', encoding="utf-8")
        done = cli("import-opml", str(opml), db=tmp_path / "s.db")
        assert done.returncode == 1
        assert done.stderr.splitlines() == [
            f"newsreader: {opml}: http://127.0.0.1:18080/a b: not a valid address (it holds "
            "control characters or line breaks); not subscribed",
            f"newsreader: {opml}: http://[::1: not a valid address (the '[' that opens its host "
            "is never closed); not subscribed",
            f"newsreader: {opml}: http://127.0.0.1:99999/feed: not a valid address (Port out of "
            "range 0-65535); not subscribed",
        ]
        assert done.stdout.startswith("1 subscription added, 0 already there (kept as they "
                                      "are), 3 refused;")  # fmt: skip
        done = cli("refresh", db=tmp_path / "s.db")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("1 feed: 1 ok (0 unchanged), 0 failed; 1 article added")


def test_a_malformed_address_stored_earlier_fails_alone(tmp_path: Path) -> None:
    """Subscriptions an earlier version imported: each fails with one line, the others are
    refreshed (every refresh printed a traceback and refreshed no feed)."""
    with raw_server(lambda p: response(rss("Good"))) as base:
        with FeedStore(tmp_path / "s.db") as store:
            store.subscribe(base + "/good")
            with store.db.transaction() as tx:
                tx.executemany(
                    "INSERT INTO feeds (url, added) VALUES (?, 0)", [(u,) for u in BAD_ADDRESSES]
                )
        done = cli("refresh", db=tmp_path / "s.db")
    assert done.returncode == 1
    assert sorted(done.stderr.splitlines()) == [
        "newsreader: http://127.0.0.1:18080/a b: not a valid address (it holds control "
        "characters or line breaks)",
        "newsreader: http://127.0.0.1:99999/feed: not a valid address (Port out of range 0-65535)",
        "newsreader: http://[::1: not a valid address (the '[' that opens its host is never "
        "closed)",
    ]
    assert done.stdout.startswith("4 feeds: 1 ok (0 unchanged), 3 failed; 1 article added")


@pytest.mark.parametrize("given", BAD_ADDRESSES)
def test_add_refuses_a_malformed_address(tmp_path: Path, given: str) -> None:
    done = cli("add", given, db=tmp_path / "s.db")
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"newsreader: {given.replace(chr(9), ' ')}: not a valid address (")


@pytest.mark.parametrize("given", ["http://exa mple.org/feed", "http://exa_mple..org/feed"])
def test_add_refuses_a_host_that_cannot_be_one(tmp_path: Path, given: str) -> None:
    """A host with a space or an empty label is refused, even with --no-fetch (it was
    subscribed, then failed at every refresh as a DNS lookup: the retest)."""
    done = cli("add", given, "--no-fetch", db=tmp_path / "s.db")
    assert done.returncode == 2
    assert (
        done.stderr
        == f"newsreader: {given}: not a valid address (the host '{given[7:-5]}' cannot be one)\n"
    )


@pytest.mark.parametrize("href", ["/feed\x01x", "http://[::1/feed", "/feed\x1b[31mx"])
def test_a_page_naming_a_malformed_feed_address_is_one_line(tmp_path: Path, href: str) -> None:
    base, done = add_page_naming(href, tmp_path / "s.db")
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"newsreader: {base}/blog")
    assert "not a valid address" in line and line.endswith("; not subscribed")
    assert not any(c in line for c in CONTROL + "\x01")
    with FeedStore(tmp_path / "s.db") as store:
        assert store.subscriptions() == []


# -- server text reaching the terminal ----------------------------------------------------
HOSTILE_STATUS = "404 Not\x1b]52;c;aGVsbG8=\x07 Found \x9b2J\x1b[31m"


def test_a_reason_phrase_with_escapes_reaches_no_terminal(tmp_path: Path) -> None:
    """The audit's status line: a clipboard write (OSC 52), a screen clear, a colour."""
    with raw_server(lambda p: response(b"gone", HOSTILE_STATUS)) as base:
        added = cli("add", base + "/feed", db=tmp_path / "s.db")
        cli("add", base + "/feed", "--no-fetch", db=tmp_path / "s.db")
        refreshed = cli("refresh", db=tmp_path / "s.db")
        listed = cli("feeds", "--json", db=tmp_path / "s.db")
    assert added.returncode == 1 and refreshed.returncode == 1
    assert added.stderr == f"newsreader: {base}/feed: HTTP 404 Not Found 2J; not subscribed\n"
    assert refreshed.stderr == f"newsreader: {base}/feed: HTTP 404 Not Found 2J\n"
    assert json.loads(listed.stdout)["error"] == "HTTP 404 Not Found 2J"


def test_a_page_feed_link_with_escapes_reaches_no_terminal(tmp_path: Path) -> None:
    page = (
        b"<!doctype html><html><head><link rel='alternate' type='application/rss+xml' "
        b"href='/rss\x1b]52;c;aGVsbG8=\x07\x1b[2J'></head></html>"
    )
    with raw_server(lambda p: response(page, headers={"Content-Type": "text/html"})) as base:
        cli("add", base + "/blog", "--no-fetch", db=tmp_path / "s.db")
        done = cli("refresh", db=tmp_path / "s.db")
    assert done.stderr == (
        f"newsreader: {base}/blog: not a feed but a web page; the feed address it names is not "
        "a valid address (it holds control characters or line breaks): /rss\n"
    )


def test_header_values_in_messages_are_cleaned(store: FeedStore) -> None:
    """A content type in a full-text reason, a Location, a Content-Encoding."""
    answers = {
        "/moved": response(status="302 Found", headers={"Location": "gopher://x/\x9b2J"}),
        "/enc": response(b"x", headers={"Content-Encoding": "br, \x9b2Jx"}),
    }
    with raw_server(lambda p: answers[p]) as base:
        for path in answers:
            store.subscribe(base + path)
        report = store.refresh(settings=FAST)
    assert sorted(reason for _, reason in report.failed) == [
        "compressed as br, x (Content-Encoding), which newsreader does not read",
        "redirected to an address that is not http(s) (gopher://x/); not followed",
    ]
    states = {s.url: s.error for s in store.subscriptions()}
    assert not any(c in str(states) for c in CONTROL)


# -- 304 to a request that asked for no comparison ------------------------------------------
NOT_MODIFIED_UNASKED = (
    "HTTP 304 Not Modified to a request without If-None-Match or If-Modified-Since "
    "(a server error; nothing to read)"
)


def test_a_304_to_an_unconditional_request_is_a_failure(tmp_path: Path) -> None:
    """A server answering 304 Not Modified to a GET that carried no validators: `add`
    subscribed with 0 articles and said nothing, and each refresh counted it "unchanged".
    It is a failure like any other HTTP error: `add` subscribes nothing (exit 1), a refresh
    names it, and `feeds` shows it."""
    asked: list[str] = []

    def answer(path: str) -> bytes:
        asked.append(path)
        if path == "/later" and asked.count(path) == 1:  # first a feed, with no validators
            return response(rss("Premier"))
        return response(b"", "304 Not Modified")

    db = tmp_path / "s.db"
    with raw_server(answer) as base:
        added = cli("add", base + "/always", db=db)
        assert (added.returncode, added.stdout) == (1, "")
        assert added.stderr == (
            f"newsreader: {base}/always: {NOT_MODIFIED_UNASKED}; not subscribed\n"
        )
        assert json.loads(cli("feeds", "--json", db=db).stdout or "null") is None

        assert cli("add", base + "/later", db=db).returncode == 0  # 1 article
        assert cli("add", base + "/always", "--no-fetch", db=db).returncode == 0
        refreshed = cli("refresh", "--no-entities", db=db)
        listed = [json.loads(line) for line in cli("feeds", "--json", db=db).stdout.splitlines()]
    assert refreshed.returncode == 1
    assert sorted(refreshed.stderr.splitlines()) == [
        f"newsreader: {base}/always: {NOT_MODIFIED_UNASKED}",
        f"newsreader: {base}/later: {NOT_MODIFIED_UNASKED}",
    ]
    assert refreshed.stdout.startswith("2 feeds: 0 ok (0 unchanged), 2 failed;")
    assert [(f["articles"], f["error"]) for f in listed] == [
        (1, NOT_MODIFIED_UNASKED),
        (0, NOT_MODIFIED_UNASKED),
    ]


# -- Retry-After ----------------------------------------------------------------------------
def _busy_once(asked: list[str]) -> Callable[[str], bytes]:
    """A server's answers: ``/busy`` says 429 with an hour's Retry-After the first time it is
    asked, every other request gets a feed; each path asked is appended to ``asked``."""

    def answer(path: str) -> bytes:
        asked.append(path)
        if path == "/busy" and asked.count(path) == 1:
            return response(b"slow down", "429 Too Many Requests", {"Retry-After": "3600"})
        return response(rss(path.strip("/")))

    return answer


def test_retry_after_of_a_429_is_honoured_for_that_feed(tmp_path: Path) -> None:
    asked: list[str] = []
    answer = _busy_once(asked)

    db = tmp_path / "s.db"
    with raw_server(answer) as base:
        for path in ("/busy", "/calm"):
            assert cli("add", base + path, "--no-fetch", db=db).returncode == 0
        first = cli("refresh", db=db)
        assert first.stderr == (
            f"newsreader: {base}/busy: HTTP 429 Too Many Requests; asked to wait 60 min "
            "(Retry-After)\n"
        )
        second = cli("refresh", db=db)
        assert asked.count("/busy") == 1 and asked.count("/calm") == 2
        assert second.returncode == 0
        assert second.stdout.startswith(
            "2 feeds: 1 ok (1 unchanged), 0 failed, 1 not asked (their servers asked to wait)"
        )
        (line,) = second.stderr.splitlines()
        assert line.startswith(
            f"warning: {base}/busy: not fetched: its server asked not to be asked again before "
        )
        with FeedStore(db) as store, store.db.transaction() as tx:  # an hour later
            tx.execute("UPDATE feeds SET retry_after = retry_after - 3600")
        third = cli("refresh", db=db)
    assert asked.count("/busy") == 2
    assert (third.returncode, third.stderr) == (0, "")
    assert third.stdout.startswith("2 feeds: 2 ok (1 unchanged), 0 failed; 1 article added")
    with FeedStore(db) as store:
        waiting = "SELECT count(*) FROM feeds WHERE retry_after IS NOT NULL"
        assert store.db.conn.execute(waiting).fetchone() == (0,)
        assert [s.error for s in store.subscriptions()] == [None, None]


def test_refresh_naming_a_feed_fetches_it_although_its_server_asked_to_wait(
    tmp_path: Path,
) -> None:
    """`refresh NAME` is the user asking for that feed now: it was not fetched ("not asked
    (their servers asked to wait)") until the Retry-After ran out, up to a day. Named, it is
    fetched, with a warning that says until when its server had asked to wait; a refresh of
    every feed (the command's, the reader's in the background) still waits."""
    asked: list[str] = []
    answer = _busy_once(asked)

    db = tmp_path / "s.db"
    with raw_server(answer) as base:
        for path in ("/busy", "/calm"):
            assert cli("add", base + path, "--no-fetch", db=db).returncode == 0
        assert cli("refresh", "--no-entities", db=db).returncode == 1  # the 429
        every = cli("refresh", "--no-entities", db=db)
        assert every.returncode == 0 and asked.count("/busy") == 1
        assert "1 not asked (their servers asked to wait)" in every.stdout
        named = cli("refresh", base + "/busy", "--no-entities", db=db)
        assert asked.count("/busy") == 2
        assert named.returncode == 0, named.stderr
        assert named.stdout.startswith("1 feed: 1 ok (0 unchanged), 0 failed; 1 article added")
        (line,) = named.stderr.splitlines()
        assert re.fullmatch(
            f"warning: {re.escape(base)}/busy: fetched although its server asked not to be "
            r"asked again before \d{4}-\d\d-\d\d \d\d:\d\d \(you named it\)",
            line,
        ), line
        with FeedStore(db) as store:  # the wait is over: fetched, it answered
            waiting = "SELECT count(*) FROM feeds WHERE retry_after IS NOT NULL"
            assert store.db.conn.execute(waiting).fetchone() == (0,)
        again = cli("refresh", "--no-entities", db=db)
    assert (again.returncode, again.stderr) == (0, "")
    assert asked.count("/busy") == 3


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120),
        ("99999999", 24 * 3600),  # capped: a server cannot silence its feed for good
        ("Wed, 21 Oct 2026 07:28:00 GMT", 3600),
        ("Wed, 21 Oct 2026 05:00:00 GMT", 0),  # past
        ("soon", None),
        ("", None),
        ("²", None),  # a digit to str.isdigit, not to int (the review)
        ("9" * 5000, 24 * 3600),  # past int()'s digit limit
    ],
)
def test_retry_after_values(value: str, seconds: int | None) -> None:
    from datetime import UTC, datetime

    from reader.store.fetch import retry_seconds

    now = datetime(2026, 10, 21, 6, 28, tzinfo=UTC).timestamp()
    assert retry_seconds(value, now) == seconds


# -- permanent redirects --------------------------------------------------------------------
def test_a_permanent_redirect_seen_twice_in_a_row_moves_the_subscription(
    store: FeedStore,
) -> None:
    asked: list[str] = []
    moves = {"/old": "301 Moved Permanently", "/temp": "302 Found", "/once": "308 Permanent"}
    redirected: set[str] = set()

    def answer(path: str) -> bytes:
        asked.append(path)
        if path in moves and not (path == "/once" and path in redirected):
            redirected.add(path)  # /once: a permanent redirect once, then not again
            return response(status=moves[path], headers={"Location": "/new" + path})
        return response(rss(path.rsplit("/", 1)[-1]))  # the same feed at either address

    with raw_server(answer) as base:
        for path in moves:
            store.subscribe(base + path)
        first = store.refresh(settings=FAST)
        assert (first.failed, first.warnings, first.items.added) == ([], [], 3)
        second = store.refresh(settings=FAST)
        assert second.warnings == [
            (
                base + "/old",
                f"moved permanently to {base}/new/old (at two refreshes in a row): subscribed "
                "at the new address now",
            )
        ]
        asked.clear()
        store.refresh(settings=FAST)
    assert sorted(asked) == ["/new/old", "/new/temp", "/once", "/temp"]
    subs = store.subscriptions()
    assert [s.url for s in subs] == [base + "/new/old", base + "/temp", base + "/once"]
    assert [s.total for s in subs] == [1, 1, 1]  # its articles stay with it
    assert store.count() == 3


def test_a_permanent_redirect_to_an_address_subscribed_already_is_said(
    store: FeedStore,
) -> None:
    def answer(path: str) -> bytes:
        if path == "/old":
            return response(status="301 Moved", headers={"Location": "/new"})
        return response(rss("same"))

    with raw_server(answer) as base:
        store.subscribe(base + "/old")
        store.subscribe(base + "/new")
        store.refresh(settings=FAST)
        report = store.refresh(settings=FAST)
    assert report.warnings == [
        (
            base + "/old",
            f"moved permanently to {base}/new, which you are subscribed to as well: this "
            "subscription keeps its address (remove one of them?)",
        )
    ]
    assert [s.url for s in store.subscriptions()] == [base + "/old", base + "/new"]


def test_a_schema_12_database_is_upgraded_with_its_subscriptions(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.db"
    with FeedStore(path) as store:
        store.subscribe("https://feeds.example/rss")
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE feeds DROP COLUMN retry_after")
    conn.execute("ALTER TABLE feeds DROP COLUMN moved_to")
    conn.execute("ALTER TABLE feeds DROP COLUMN moved_seen")  # (schema 15's)
    conn.execute("ALTER TABLE generation DROP COLUMN titles_below")  # (schema 16's)
    conn.execute("ALTER TABLE origins DROP COLUMN owner")
    conn.execute("PRAGMA user_version = 12")
    conn.commit()
    conn.close()
    with FeedStore(path) as store:
        assert [s.url for s in store.subscriptions()] == ["https://feeds.example/rss"]
        row = store.db.conn.execute("SELECT retry_after, moved_to FROM feeds").fetchone()
        assert row == (None, None)


@pytest.mark.parametrize(
    ("old", "new", "moves"),
    [
        ("http://a.example/rss", "http://a.example/feed", True),
        ("http://a.example/rss", "https://a.example/rss", True),  # an upgrade
        ("https://a.example/rss", "https://b.example/rss", True),
        ("https://a.example/rss", "http://a.example/rss", False),  # never a downgrade
        # from plain http to another host: anyone on the way could answer so, for good
        ("http://a.example/rss", "https://b.example/rss", False),
    ],
)
def test_what_a_permanent_redirect_may_move_a_subscription_to(
    old: str, new: str, moves: bool
) -> None:
    from reader.store.refresh import _may_move

    assert _may_move(old, new) is moves


def test_a_redirect_keeps_its_connection_for_the_next_hop(store: FeedStore) -> None:
    """A redirect's body is read (and dropped) so that its keep-alive connection serves the
    next hop: one connection for a 301 and the feed (two before, the review)."""
    import http.server

    connections: list[object] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive

        def setup(self) -> None:
            connections.append(self.client_address)
            super().setup()

        def do_GET(self) -> None:
            if self.path == "/old":
                body, status, extra = b"<html>moved</html>" * 10, 301, {"Location": "/new"}
            else:
                body, status, extra = rss("Kept"), 200, {}
            self.send_response(status)
            for key, value in {"Content-Length": str(len(body)), **extra}.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        store.subscribe(f"http://127.0.0.1:{server.server_address[1]}/old")
        report = store.refresh(settings=FAST)
    finally:
        server.shutdown()
        server.server_close()
    assert (report.failed, report.items.added, len(connections)) == ([], 1, 1)


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (  # httpx refused the Location in its own words, as if the feed's address were bad
            response(status="302 Found", headers={"Location": "javascript:alert(1)"}),
            "redirected to an address that is not valid (For absolute URLs, path must be",
        ),
        (  # it said "closed the connection before sending the whole feed"
            response(status="302 Found", headers={"Location": "http://127.0.0.1/\x1b[31mx"}),
            "redirected to an address that is not valid (Invalid URL in location header",
        ),
        (response(status="301 Moved Permanently"), "HTTP 301, a redirect to nowhere"),  # "empty"
        (b"HELLO THIS IS NOT HTTP\r\n\r\n", "answered something that is not HTTP (illegal"),
        (  # "malformed XML at line 2", where `index` says "binary data"
            response(
                b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
                headers={"Content-Type": "image/png"},
            ),
            "not a feed: binary data, not text",
        ),
    ],
)
def test_odd_answers_name_their_real_cause(store: FeedStore, answer: bytes, why: str) -> None:
    with raw_server(lambda p: answer) as base:
        reason = first_failure(store, base + "/feed")
    assert why in reason, reason


def test_a_page_naming_a_dead_feed_is_named_in_the_refusal(tmp_path: Path) -> None:
    """`add PAGE` where the page names a feed that answers 404 said only "FEED: HTTP 404":
    the address typed was not in the line."""
    page = b'<html><head><link rel="alternate" type="application/rss+xml" href="/dead.xml">'

    def answer(path: str) -> bytes:
        if path == "/page.html":
            return response(page + b"</head></html>", headers={"Content-Type": "text/html"})
        return response(b"gone", status="404 Not Found")

    with (
        raw_server(answer) as base,
        FeedStore(tmp_path / "s.db") as store,
        pytest.raises(SourceError) as caught,
    ):
        store.subscribe(base + "/page.html", fetch=True, settings=FAST)
    assert str(caught.value) == (
        f"{base}/page.html is a web page naming the feed {base}/dead.xml: "
        "HTTP 404 Not Found; not subscribed"
    )
