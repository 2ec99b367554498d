"""Full texts for teaser feeds: fetch an article's page, extract the article, replace the teaser.

The page is fetched by the same polite fetcher as feeds (``reader.store.fetch``: timeouts,
the 16 MiB cap, per-host limits, conditional GET while the body holds that page's text), at
most ``PAGES_PER_HOST`` at once per site. trafilatura (Apache-2.0) finds the article among the
navigation, sidebars and footers and gives it as HTML; our converter lays it out like feed
HTML (code blocks, numbered links and images), after the item's enclosure lines. The chosen
library and its measurement: ``docs/feeds.md`` and ``benchmarks/bench_fulltext.py``.

Nothing here holds the write lock while fetching or extracting: pages are fetched and
extracted first, then the results are written in short transactions (every
``GROUP_RESULTS`` results or ``GROUP_SECONDS``). A result is written only if the article
still holds the text it was fetched for; otherwise the feed changed it meanwhile, and that
change queued it again. A failure leaves the teaser and records why, in one line.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from reader.model import FullTextState
from reader.store.articles import parse_enclosures
from reader.store.changes import Changes, WriteGroup
from reader.store.database import Database, fetch_all, marks
from reader.store.fetch import Fetched, FetchJob, FetchSettings
from reader.store.fetch import fetch_all as fetch_pages
from reader.store.sources.htmltext import html_to_text
from reader.store.sources.layout import compose_body
from reader.textutil import fold

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
PAGES_PER_HOST = 2  # an article page per host at a time, beside a second: feeds list dozens
PAGES_PER_REFRESH = 100  # newest first; the rest stay queued for the next refreshes
GROUP_RESULTS = 50
GROUP_SECONDS = 0.5
_HTML = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
_INLINE_PRE = re.compile(r"(?<!<pre>)<pre>([^<\n]*)</pre>(?!</pre>)")
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)


class FullTextJob(NamedTuple):
    """An article whose page is to be fetched, as it stood when the job was made."""

    uid: str
    link: str | None
    title: str
    hash: str
    enclosures: str | None
    state: str | None  # its full_texts state; 'done': the body holds the page's text
    etag: str | None
    last_modified: str | None


_JOB = (
    "SELECT a.uid, a.link, a.title, a.hash, a.enclosures, t.state, t.etag, t.last_modified "
    "FROM articles a LEFT JOIN full_texts t ON t.uid = a.uid"
)


@dataclass(frozen=True, slots=True)
class FullTextResult:
    """What fetching one article's full text did.

    ``state`` DONE: the body is the page's article now (``changed`` False when the page was
    not modified since it was last fetched); FAILED: the body is still the feed's text and
    ``note`` says why in one line.
    """

    uid: str
    state: FullTextState
    note: str | None = None
    changed: bool = False


@dataclass
class FullTextReport:
    """What one run fetched."""

    fetched: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (page address, reason)
    results: list[FullTextResult] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        """Pages asked for."""
        return self.fetched + self.unchanged + len(self.failed)


def jobs_for_feeds(
    conn: sqlite3.Connection, feed_ids: Sequence[int], limit: int | None = None
) -> list[FullTextJob]:
    """The queued full texts of these feeds' articles, newest first, at most ``limit``
    (default ``PAGES_PER_REFRESH``: a feed of 500 teasers is fetched over several refreshes,
    not in one burst)."""
    if not feed_ids:
        return []
    origins = [f"feed:{i}" for i in feed_ids]
    return fetch_all(
        conn,
        FullTextJob,
        f"{_JOB} WHERE t.state = ? AND a.id IN (SELECT article FROM origins "
        f"WHERE origin IN ({marks(len(origins))})) ORDER BY a.id DESC LIMIT ?",
        [str(FullTextState.PENDING), *origins, limit or PAGES_PER_REFRESH],
    )


def job_for(conn: sqlite3.Connection, ref: int | str) -> FullTextJob | None:
    """The job for one article, by id or uid (None: no such article)."""
    column = "uid" if isinstance(ref, str) else "id"
    rows = fetch_all(conn, FullTextJob, f"{_JOB} WHERE a.{column} = ?", (ref,))
    return rows[0] if rows else None


def _decode(body: bytes, content_type: str | None) -> str | bytes:
    """The page as text when the server names its charset; else bytes, which the extractor
    decodes from the page's own declaration (or by detection)."""
    m = _CHARSET.search(content_type or "")
    if m:
        try:
            return body.decode(m.group(1), "replace")
        except LookupError:
            pass
    return body


def extract_article(page: str | bytes, url: str | None) -> str | None:
    """The main article of a web page as HTML (headings, paragraphs, lists, quotes, tables,
    code, links and images), found by trafilatura; None when it finds none."""
    import trafilatura
    from trafilatura.utils import decode_file

    text = decode_file(page) if isinstance(page, bytes) else page
    found = trafilatura.extract(
        _code_in_pre(text),
        url=url,
        output_format="html",
        include_comments=False,
        include_tables=True,
        include_images=True,
        include_formatting=True,
        include_links=True,
        deduplicate=False,
    )
    # trafilatura writes inline code as a <pre> of its own and a code block as <pre><pre>;
    # HTML would close the paragraph before an inline one
    return _INLINE_PRE.sub(r"<code>\1</code>", found) if found else None


_PRE_OPEN = re.compile(r"<pre\b[^>]*>", re.I)
_PRE_CLOSE = re.compile(r"</pre\s*>", re.I)
_CODE_NEXT = re.compile(r"\s*<code\b", re.I)


def _code_in_pre(page: str) -> str:
    """Every ``<pre>`` holds a ``<code>``: trafilatura keeps such blocks as code, while a bare
    ``<pre>`` without code-like characters becomes a quote and loses its lines."""
    if "<pre" not in page and "<PRE" not in page:
        return page
    out, pos = [], 0
    while (m := _PRE_OPEN.search(page, pos)) is not None:
        end = _PRE_CLOSE.search(page, m.end())
        if end is None:
            break
        out.append(page[pos : m.end()])
        inner = page[m.end() : end.start()]
        out.append(inner if _CODE_NEXT.match(inner) else f"<code>{inner}</code>")
        out.append(end.group(0))
        pos = end.end()
    out.append(page[pos:])
    return "".join(out)


def drop_title(text: str, title: str) -> str:
    """The text without a first line that repeats the article's title (the reader shows it)."""
    first, _, rest = text.lstrip("\n").partition("\n")
    if fold(" ".join(first.split())) == fold(" ".join(title.split())):
        return rest.lstrip("\n")
    return text


def _words(text: str) -> int:
    return len(text.split())


def page_body(job: FullTextJob, fetched: Fetched) -> str:
    """The stored body made of a fetched page: enclosure lines, the article, its addresses.

    Raises ``ValueError`` with a one-line reason when the page holds no usable article.
    """
    kind = (fetched.content_type or "text/html").split(";")[0].strip().lower()
    if kind and not kind.startswith(_HTML):
        raise ValueError(f"not a web page but {kind[:60]}")
    assert fetched.body is not None
    url = fetched.final_url or job.link
    try:
        article = extract_article(_decode(fetched.body, fetched.content_type), url)
    except Exception as exc:  # the extractor must not stop a refresh: say what happened
        raise ValueError(f"the extraction failed ({type(exc).__name__})") from None
    if not article:
        raise ValueError("no article found on the page")
    enclosures = parse_enclosures(job.enclosures)
    text, links = html_to_text(article, url, [e.url for e in enclosures])
    text = drop_title(text, job.title)
    if not text.strip():
        raise ValueError("no article text found on the page")
    return compose_body(text, links, enclosures)


class _Outcome(NamedTuple):
    job: FullTextJob
    fetched: Fetched
    body: str | None
    reason: str | None


class FullTexts:
    """Fetches and stores the full texts of some articles (one run)."""

    def __init__(self, db: Database, settings: FetchSettings | None = None) -> None:
        self.db = db
        settings = settings or FetchSettings()
        self.settings = replace(settings, per_host=min(settings.per_host, PAGES_PER_HOST))
        self.report = FullTextReport()
        self._groups: WriteGroup[_Outcome] = WriteGroup(
            self._write_group, GROUP_RESULTS, GROUP_SECONDS
        )
        self._changes = Changes()

    def run(
        self, jobs: Sequence[FullTextJob], progress: Callable[[int, int], None] | None = None
    ) -> FullTextReport:
        """Fetch, extract and store the full text of each job's article."""
        jobs = list(jobs)
        if not jobs:
            return self.report
        self._jobs, self._done, self._progress = jobs, 0, progress
        if progress:
            progress(0, len(jobs))
        asyncio.run(self._run(jobs))
        return self.report

    async def _run(self, jobs: list[FullTextJob]) -> None:
        self._groups.write_when_old(asyncio.get_running_loop().call_later)
        fetch_jobs = []
        for i, job in enumerate(jobs):
            link = (job.link or "").strip()
            if not link.lower().startswith(("http://", "https://")):
                reason = "its address is not an http(s) one" if link else "it has no address"
                self._add(_Outcome(job, Fetched(FetchJob(i, link)), None, reason))
                continue
            done = job.state == FullTextState.DONE
            fetch_jobs.append(
                FetchJob(
                    i,
                    link,
                    job.etag if done else None,
                    job.last_modified if done else None,
                    accept=PAGE_ACCEPT,
                )
            )

        async def on_result(fetched: Fetched) -> None:
            self.db.check_open()  # the reader is quitting: keep what is stored
            job = self._jobs[fetched.job.key]
            body = reason = None
            if fetched.error is not None:
                reason = fetched.error
            elif not fetched.not_modified:
                try:
                    body = await asyncio.to_thread(page_body, job, fetched)
                except ValueError as exc:
                    reason = str(exc)
            self._add(_Outcome(job, fetched, body, reason))

        try:
            await fetch_pages(fetch_jobs, on_result, self.settings, self.db.check_open)
        finally:
            self._groups.flush()

    def _add(self, outcome: _Outcome) -> None:
        self._done += 1
        if self._progress:
            self._progress(self._done, len(self._jobs))
        self._groups.add(outcome)

    def _write_group(self, group: list[_Outcome]) -> None:
        with self.db.transaction() as conn:
            self._changes.clear()
            for outcome in group:
                self._write(conn, outcome)
            self._changes.flush(conn)

    def _write(self, conn: sqlite3.Connection, outcome: _Outcome) -> None:
        job, fetched, body, reason = outcome
        report, now = self.report, int(time.time())
        row = conn.execute(
            "SELECT a.id, a.title, a.hash, b.body, a.doc FROM articles a "
            "JOIN bodies b ON b.doc = a.doc WHERE a.uid = ?",
            (job.uid,),
        ).fetchone()
        if row is None or row[2] != job.hash:
            return  # gone, or changed by its feed meanwhile (which queued it again)
        rowid, title, _, old_body, doc = row
        page = fetched.final_url or job.link
        if body is not None and job.state != FullTextState.DONE:
            found, teaser = _words(body), _words(old_body)
            if found < teaser:
                body, reason = (
                    None,
                    (
                        f"the page's article ({found} words) is shorter than the feed's text "
                        f"({teaser} words)"
                    ),
                )
        if reason is not None:
            report.failed.append((job.link or "", reason))
            report.results.append(FullTextResult(job.uid, FullTextState.FAILED, reason))
            _set_state(conn, job.uid, FullTextState.FAILED, reason, None, None, None, now)
            return
        if body is None:  # not modified: the body already holds this page's text
            report.unchanged += 1
            report.results.append(FullTextResult(job.uid, FullTextState.DONE))
            _set_state(conn, job.uid, FullTextState.DONE, None, page,
                       fetched.etag, fetched.last_modified, now)  # fmt: skip
            return
        report.fetched += 1
        report.results.append(FullTextResult(job.uid, FullTextState.DONE, changed=True))
        _set_state(conn, job.uid, FullTextState.DONE, None, page,
                   fetched.etag, fetched.last_modified, now)  # fmt: skip
        if body == old_body:
            return
        self._changes.forget_mentions(conn, [rowid])
        self._changes.delete(rowid, title, old_body)
        self._changes.insert(rowid, title, body)
        conn.execute("UPDATE bodies SET body = ? WHERE doc = ?", (body, doc))
        conn.execute("UPDATE articles SET entities_done = 0 WHERE id = ?", (rowid,))


def _set_state(
    conn: sqlite3.Connection,
    uid: str,
    state: FullTextState,
    note: str | None,
    url: str | None,
    etag: str | None,
    last_modified: str | None,
    checked: int,
) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO full_texts (uid, state, note, url, etag, last_modified, checked) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (uid, str(state), note, url, etag, last_modified, checked),
    )
