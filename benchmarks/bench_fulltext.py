"""Main-text extraction for ``add --full-text``: trafilatura against readability-lxml.

    pip install -e '.[bench]'      # readability-lxml, only for this comparison
    python benchmarks/bench_fulltext.py [--repeat 20] [--items 50]

Each extractor's HTML goes through our own layout (``html_to_text``), as in the reader; the
text is scored against the page's gold text by word counts (precision: share of the words
we kept that belong to the article; recall: share of the article's words we kept; F1), with
our markers (``[3]``, ``[image: …]``, fences, the ``Links`` list) left out, and a first line
that repeats the title dropped, as the reader does. It also checks
that code blocks keep their lines, that a table keeps its header row, and that images keep
a numbered address, and times the extraction alone and with the layout. Last, it times a
first fetch of a feed of ``--items`` teasers whose pages (the tests' teaser page) are served
from 127.0.0.1, with and without ``--full-text``.

The pages are ``benchmarks/fulltext_pages.py`` (articles the team wrote inside eight site
layouts built like real ones; there is no network here) plus the test suite's teaser page.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fulltext_pages import pages
from reader.store.fulltext import drop_title, extract_article
from reader.store.sources.htmltext import html_to_text
from reader.store.sources.layout import compose_body
from reader.textutil import code_blocks, listed_links

TEASER_PAGE = Path(__file__).resolve().parent.parent / "tests/data/articles/teaser-page.html"
URL = "https://site.example.org/2026/03/article"
_MARKERS = re.compile(r"\[\d+\]|\[(?:image|video|audio): [^\]]*\]|^`{3,}$|^[─ ]+$", re.M)
_WORDS = re.compile(r"\w+")


def teaser_page() -> tuple[str, str, str, str, tuple[str, ...]]:
    """The test suite's page: its gold is the article body's paragraphs, headings, quote."""
    page = TEASER_PAGE.read_text(encoding="utf-8")
    root = lxml.html.fromstring(page)
    body = root.find_class("article-body")[0]
    gold = "\n".join(el.text_content() for el in body if el.tag in ("p", "h2", "blockquote"))
    title = "Xiaomi opens its second car plant in Beijing"
    return "news-with-comments", title, page, gold, ("image",)


def trafilatura_html(page: str) -> str | None:
    return extract_article(page, URL)


def readability_html(page: str) -> str | None:
    from readability import Document

    return Document(page).summary(html_partial=True)


EXTRACTORS: dict[str, Callable[[str], str | None]] = {
    "trafilatura": trafilatura_html,
    "readability-lxml": readability_html,
}


def words(text: str) -> Counter[str]:
    text = text.split("\n\nLinks\n\n", 1)[0]
    return Counter(w.lower() for w in _WORDS.findall(_MARKERS.sub(" ", text)))


def score(body: str, gold: str) -> tuple[float, float, float]:
    got, want = words(body), words(gold)
    common = sum((got & want).values())
    p = common / max(sum(got.values()), 1)
    r = common / max(sum(want.values()), 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def structures(body: str, gold: str, expects: tuple[str, ...]) -> dict[str, bool]:
    out = {}
    if "code" in expects:
        blocks = code_blocks(body)
        out["code"] = bool(blocks) and all(body[b.code_start : b.code_end] in gold for b in blocks)
    if "table" in expects:
        out["table"] = re.search(r"(?m)^─+ +─+", body) is not None
    if "image" in expects:
        out["image"] = re.search(r"\[image: [^\]]*\] \[\d+\]", body) is not None and bool(
            listed_links(body)
        )
    return out


def time_first_fetch(items: int) -> None:
    """``subscribe(fetch=True)`` of a feed of teasers, with and without full texts."""
    import tempfile
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from reader.store import FeedStore

    page = TEASER_PAGE.read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/feed":
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                entries = "".join(
                    f"<item><title>Story {i}</title><guid>urn:s:{i}</guid>"
                    f"<link>{base}/p/{i}</link><description>Xiaomi opened the second phase "
                    "of its car factory.</description></item>"
                    for i in range(items)
                )
                body = f"<rss version='2.0'><channel><title>T</title>{entries}</channel></rss>"
                data, kind = body.encode(), "application/rss+xml"
            else:
                data, kind = page, "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/feed"
    try:
        for full in (False, True):
            with tempfile.TemporaryDirectory() as tmp, FeedStore(Path(tmp) / "b.db") as store:
                started = time.perf_counter()
                done = store.subscribe(url, fetch=True, full_text=full)
                seconds = time.perf_counter() - started
                assert done.report is not None
                texts = done.report.full_texts
                print(
                    f"first fetch of {items} teasers, full text {'on ' if full else 'off'}: "
                    f"{seconds:.2f} s ({texts.fetched} pages fetched and extracted, "
                    f"{len(texts.failed)} failed)"
                )
    finally:
        server.shutdown()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=20, help="timing runs per page")
    ap.add_argument("--items", type=int, default=50, help="teasers in the timed feed")
    args = ap.parse_args()
    corpus = [*pages(), teaser_page()]
    print(f"{len(corpus)} pages; F1 / precision / recall per page, then structures kept\n")
    totals: dict[str, list[tuple[float, float, float]]] = {n: [] for n in EXTRACTORS}
    kept: dict[str, Counter[str]] = {n: Counter() for n in EXTRACTORS}
    wanted: Counter[str] = Counter()
    times: dict[str, list[float]] = {n: [] for n in EXTRACTORS}
    layout_times: dict[str, list[float]] = {n: [] for n in EXTRACTORS}
    header = f"{'page':<20}" + "".join(f"{n:>34}" for n in EXTRACTORS)
    print(header)
    for name, title, page, gold, expects in corpus:
        wanted.update(expects)
        row = f"{name:<20}"
        for ex_name, extract in EXTRACTORS.items():
            extracted = extract(page)
            text, links = html_to_text(extracted or "", URL)
            body = compose_body(drop_title(text, title), links)  # as the reader does
            p, r, f = score(body, gold)
            totals[ex_name].append((p, r, f))
            found = structures(body, gold, expects)
            kept[ex_name].update(k for k, ok in found.items() if ok)
            marks = "".join(k[0] if ok else "-" for k, ok in found.items())
            row += f"{f:>14.3f} {p:>5.2f} {r:>5.2f}  {marks:<6}"
            started = time.perf_counter()
            for _ in range(args.repeat):
                extract(page)
            times[ex_name].append((time.perf_counter() - started) / args.repeat)
            started = time.perf_counter()
            for _ in range(args.repeat):
                compose_body(*html_to_text(extract(page) or "", URL))
            layout_times[ex_name].append((time.perf_counter() - started) / args.repeat)
        print(row)
    print()
    for ex_name in EXTRACTORS:
        ps, rs, fs = zip(*totals[ex_name], strict=True)
        structure = ", ".join(f"{k} {kept[ex_name][k]}/{n}" for k, n in sorted(wanted.items()))
        print(
            f"{ex_name:<17} mean F1 {statistics.mean(fs):.3f} (P {statistics.mean(ps):.3f}, "
            f"R {statistics.mean(rs):.3f}), worst F1 {min(fs):.3f}; kept {structure}; "
            f"{statistics.mean(times[ex_name]) * 1000:.1f} ms a page "
            f"({statistics.mean(layout_times[ex_name]) * 1000:.1f} ms with our layout)"
        )
    print()
    time_first_fetch(args.items)


if __name__ == "__main__":
    main()
