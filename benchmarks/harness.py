"""Runs every figure of one size, several times each, and returns the raw results.

Each command is a real process (``newsreader`` from this interpreter's environment, newsboat
from the system, ``cat``/``grep``/``rg``), measured by ``benchmarks.procs`` (wall, CPU, peak
memory of the largest process and of the whole tree). Databases and caches are fresh files for
each run unless the figure is about a filled one. Nothing is mocked: HTTP goes to a real server
on 127.0.0.1 (``benchmarks.server``).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import procs, workload
from benchmarks.server import FeedServer, feed_files

GROUPS = (
    "limits",
    "index",
    "rss",
    "entities",
    "search",
    "refresh",
    "state",
    "ui",
    "background",
    "newsboat",
)
REPO = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    """Progress on standard error (standard output carries the tables)."""
    print(message, file=sys.stderr, flush=True)


@dataclass
class Options:
    """What one benchmark run does."""

    size: int
    runs: int = 3
    seed: int = 7
    work: Path = Path("/tmp/newsreader-bench")
    keys: int = 100
    skip: frozenset[str] = frozenset()
    keep: bool = False
    timeout: float = 6 * 3600.0


@dataclass
class Results:
    """Raw figures of one run: lists of per-run values, memory, what was skipped."""

    size: int
    runs: int
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    def add(self, key: str, value: float, m: procs.Measured | None = None, **extra: Any) -> None:
        """Record one run of a figure (and the process measurements behind it)."""
        fig = self.figures.setdefault(key, {"values": []})
        fig["values"].append(value)
        if m is not None:
            for name in ("peak_largest", "peak_tree", "cpu", "wall"):
                fig.setdefault(name, []).append(getattr(m, name))
            fig["processes"] = max(fig.get("processes", 0), m.processes)
        fig.update(extra)

    def skip(self, line: str) -> None:
        log(f"skipped: {line}")
        self.skipped.append(line)


class Bench:
    """One size: the corpus, the tools found, and the steps that fill ``Results``."""

    def __init__(self, opts: Options, argv: Sequence[str]) -> None:
        self.opts = opts
        self.argv = list(argv)
        self.res = Results(opts.size, opts.runs)
        opts.work.mkdir(parents=True, exist_ok=True)
        self.scratch = opts.work / f"run-{opts.size}"
        if self.scratch.exists():
            shutil.rmtree(self.scratch)
        self.scratch.mkdir()
        bindir = Path(sys.executable).parent
        self.newsreader = (
            str(bindir / "newsreader")
            if (bindir / "newsreader").exists()
            else (shutil.which("newsreader") or "")
        )
        self.newsboat = shutil.which("newsboat")
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "NEWSREADER_CONFIG"},
            "XDG_CONFIG_HOME": str(self.scratch / "no-config"),  # no config file there
            "NEWSREADER_DB": str(self.scratch / "default.db"),
        }
        self.commands = self._commands()
        self.corpus: workload.Corpus

    # -- helpers ----------------------------------------------------------------------------
    def _commands(self) -> set[str]:
        """The sub-commands the installed ``newsreader`` offers (from its --help)."""
        if not self.newsreader:
            return set()
        out = subprocess.run([self.newsreader, "--help"], capture_output=True, text=True).stdout
        names = set()
        listing = False
        for line in out.splitlines():
            word = line.strip().split(" ", 1)[0]
            if line.startswith("commands"):  # "commands (newsreader COMMAND --help for each):"
                listing = True
            elif listing and not line.strip():
                listing = False
            elif (listing or line.startswith("    ")) and word and word[0].isalpha():
                names.add(word)
        return names

    def nr(self, *args: str, timeout: float | None = None) -> procs.Measured:
        """Run ``newsreader ARGS`` measured; exit with the error when it fails."""
        m = procs.run([self.newsreader, *args], env=self.env, timeout=timeout or self.opts.timeout)
        if m.returncode not in (0, 1):
            raise SystemExit(f"newsreader {' '.join(args)} failed ({m.returncode}):\n{m.stderr}")
        return m

    def fresh_db(self, name: str) -> Path:
        db = self.scratch / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        return db

    @staticmethod
    def db_size(db: Path) -> int:
        """Bytes of a database after a checkpoint (the file a user keeps)."""
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        return sum(
            Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists()
        )

    def copy_db(self, src: Path, name: str) -> Path:
        dst = self.fresh_db(name)
        self.db_size(src)  # checkpoint first: the copy is one file
        shutil.copyfile(src, dst)
        return dst

    def repeat(self, label: str, times: int, once: Callable[[int], str]) -> None:
        for i in range(times):
            note = once(i)
            log(f"  {label} {i + 1}/{times}: {note}")

    def wanted(self, group: str) -> bool:
        return group not in self.opts.skip

    # -- the run ----------------------------------------------------------------------------
    def run(self) -> Results:
        started = time.time()
        self.res.info = machine_info(self.newsreader, self.newsboat)
        self.res.info["load_start"] = os.getloadavg()
        self.res.info["started"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        self.res.info["command"] = "python -m benchmarks " + " ".join(self.argv)
        if not self.newsreader:
            raise SystemExit("newsreader is not installed in this environment (pip install -e .)")
        self.corpus = workload.ensure(self.opts.work, self.opts.size, self.opts.seed, log)
        self.res.info["corpus"] = self.corpus.manifest()
        queries = self.scratch / "queries.json"
        queries.write_text(json.dumps(workload.ui_queries(self.corpus.terms)))
        self.queries = queries
        steps: list[tuple[str, Callable[[], None]]] = [
            ("limits", self.limits),
            ("index", self.index),
            ("rss", self.rss),
            ("entities", self.entities),
            ("search", self.search),
            ("refresh", self.refresh),
            ("state", self.state),
            ("ui", self.ui),
            ("background", self.background),
            ("newsboat", self.newsboat_runs),
        ]
        for group, step in steps:
            if self.wanted(group):
                log(f"[{group}]")
                step()
        self.res.info["load_end"] = os.getloadavg()
        self.res.info["seconds"] = time.time() - started
        if not self.opts.keep:
            shutil.rmtree(self.scratch, ignore_errors=True)
        return self.res

    # -- raw limits -------------------------------------------------------------------------
    def limits(self) -> None:
        c, runs = self.corpus, self.opts.runs
        for key, folder in (("lim.cat_text", c.text), ("lim.cat_rss", c.rss)):
            cmd = ["sh", "-c", f"find '{folder}' -type f -print0 | xargs -0 cat > /dev/null"]

            def once(_: int, key: str = key, cmd: list[str] = cmd) -> str:
                m = procs.run(cmd)
                self.res.add(key, m.wall, m)
                return f"{m.wall:.3f} s"

            self.repeat(key, runs, once)
        tools = [("grep", ["grep", "-rilF"])]
        if shutil.which("rg"):
            tools.append(("rg", ["rg", "-ilF"]))
        else:
            self.res.skip("rg (ripgrep) is not installed: no `rg -il` limit")
        for shape, (_, fixed) in workload.search_queries(c.terms).items():
            for tool, base in tools:
                key = f"lim.{tool}.{shape}"

                def once(_: int, key: str = key, base: list[str] = base, fixed: str = fixed) -> str:
                    m = procs.run([*base, fixed, str(c.text)])
                    hits = len(m.stdout.splitlines())
                    self.res.add(key, m.wall, m, hits=hits)
                    return f"{m.wall:.3f} s, {hits} files"

                self.repeat(key, runs, once)

    # -- newsreader: indexing -----------------------------------------------------------------
    def index(self) -> None:
        c, runs = self.corpus, self.opts.runs

        def text(i: int) -> str:
            db = self.fresh_db("text")
            m = self.nr("index", str(c.text), "--db", str(db), "--no-entities")
            size = self.db_size(db)
            self.res.add("nr.index_text", m.wall, m, summary=m.stdout.strip(), db_bytes=size)
            return f"{m.wall:.2f} s, {m.peak_largest:.0f} MiB, {m.stdout.strip()}"

        self.repeat("index text --no-entities", runs, text)
        self.db_text = self.scratch / "text.db"

        def again(i: int) -> str:
            m = self.nr("index", str(c.text), "--db", str(self.db_text), "--no-entities")
            self.res.add("nr.reindex", m.wall, m, summary=m.stdout.strip())
            return f"{m.wall:.2f} s, {m.stdout.strip()}"

        self.repeat("re-index unchanged", runs, again)

    def rss(self) -> None:
        c, runs = self.corpus, self.opts.runs

        def rss(i: int) -> str:
            db = self.fresh_db("rss")
            m = self.nr("index", str(c.rss), "--db", str(db), "--no-entities")
            size = self.db_size(db)
            self.res.add("nr.index_rss", m.wall, m, summary=m.stdout.strip(), db_bytes=size)
            return f"{m.wall:.2f} s, {m.peak_largest:.0f} MiB, {m.stdout.strip()}"

        self.repeat("index RSS --no-entities", runs, rss)

    def _text_db(self) -> Path:
        """The text corpus's store, no entities (indexed here if the index step was skipped)."""
        db = self.scratch / "text.db"
        if not db.exists():
            self.nr("index", str(self.corpus.text), "--db", str(db), "--no-entities")
        return db

    def _full_db(self) -> Path:
        """The text corpus's store with entities (indexed here if that step was skipped; when
        the entities group is skipped, the store without them)."""
        db = self.scratch / "full.db"
        if not db.exists():
            if not self.wanted("entities"):
                return self._text_db()
            self.nr("index", str(self.corpus.text), "--db", str(db))
        return db

    def entities(self) -> None:
        c, runs = self.corpus, self.opts.runs

        def whole(i: int) -> str:
            db = self.fresh_db("full")
            m = self.nr("index", str(c.text), "--db", str(db))
            size = self.db_size(db)
            self.res.add("nr.index_entities", m.wall, m, summary=m.stdout.strip(), db_bytes=size)
            return f"{m.wall:.2f} s, {m.peak_largest:.0f} MiB, {m.stdout.strip()}"

        self.repeat("index with entities", runs, whole)
        source = self._text_db()

        def extract(i: int) -> str:
            db = self.copy_db(source, "extract")
            m = self.nr("index", str(c.text), "--db", str(db))
            self.res.add("nr.extract", m.wall, m, words=c.words, summary=m.stdout.strip())
            return f"{m.wall:.2f} s, {c.words / m.wall:,.0f} words/s, {m.peak_largest:.0f} MiB"

        self.repeat("extract entities of an indexed store", runs, extract)

    # -- newsreader: search, state ------------------------------------------------------------
    def search(self) -> None:
        db = self._full_db()
        for shape, (query, _) in workload.search_queries(self.corpus.terms).items():
            key = f"nr.search.{shape}"

            def once(_: int, key: str = key, query: str = query) -> str:
                m = self.nr("search", query, "--db", str(db))
                hits = len(m.stdout.splitlines())
                self.res.add(key, m.wall, m, query=query, hits=hits)
                return f"{m.wall:.3f} s, {hits} lines"

            self.repeat(f"search {query}", self.opts.runs, once)
        for i in range(self.opts.runs):
            data, m = self._store_probe("search", db)
            if data is None:
                return
            per = data["per_query"]
            self.res.add("nr.store.search_median", statistics.median(per.values()), m)
            worst = max(per, key=per.__getitem__)
            self.res.add("nr.store.search_worst", per[worst], worst=worst)
            fig = self.res.figures.setdefault("nr.store.search_per_query", {"values": [0.0]})
            for query, value in per.items():
                fig.setdefault("queries", {}).setdefault(query, []).append(value)
            fig["hits"] = data["hits"]
            log(f"  newest 100 {i + 1}: median {statistics.median(per.values()):.1f} ms, "
                f"worst {per[worst]:.1f} ms ({worst})")  # fmt: skip

    def _store_probe(self, mode: str, db: Path) -> tuple[dict[str, Any] | None, procs.Measured]:
        m = procs.run(
            [sys.executable, "-m", "benchmarks.store_probe", mode, str(db), str(self.queries)],
            env=self.env,
            cwd=REPO,
            timeout=self.opts.timeout,
        )
        lines = [line for line in m.stdout.splitlines() if line.startswith("{")]
        if m.returncode != 0 or not lines:
            self.res.skip(f"store probe {mode} failed ({m.returncode}): {m.stderr[-400:]}")
            return None, m
        return json.loads(lines[-1]), m

    def state(self) -> None:
        if "mark-read" not in self.commands:
            self.res.skip("newsreader mark-read: no such command yet (mark-all-read not measured)")
        else:
            db = self.copy_db(self._full_db(), "state")

            def mark(_: int) -> str:
                m = self.nr("mark-read", "--db", str(db))
                self.res.add("nr.mark_read", m.wall, m)
                self.nr("mark-read", "--unread", "--db", str(db))  # back to unread, not timed
                return f"{m.wall:.3f} s"

            self.repeat("mark-read (every article)", self.opts.runs, mark)
        feeds_db = self.scratch / "feeds.db"
        if "feeds" not in self.commands:
            self.res.skip("newsreader feeds: no such command (feed list counts not measured)")
        elif not feeds_db.exists():
            self.res.skip(
                "newsreader feeds --json: needs the refresh step's subscriptions; the feed "
                "list's counts are measured on the indexed store (no subscriptions)"
            )
            self.feed_list(self._full_db())
        else:

            def feeds(_: int) -> str:
                m = self.nr("feeds", "--json", "--db", str(feeds_db))
                self.res.add("nr.feeds_json", m.wall, m, lines=len(m.stdout.splitlines()))
                return f"{m.wall:.3f} s"

            self.repeat("feeds --json", self.opts.runs, feeds)
            self.feed_list(feeds_db)

    def feed_list(self, feeds_db: Path) -> None:
        """The feed list's counts, after-write counts and mark-all-read, in one process."""
        for i in range(self.opts.runs):
            db = self.copy_db(feeds_db, "feedlist")
            data, m = self._store_probe("feeds", db)
            if data is None:
                return
            totals = [o["total"] for o in data["opened"]]
            self.res.add("nr.feedlist", statistics.median(totals), m, feeds=data["feeds"],
                         articles=data["articles"], saved=data["saved"])  # fmt: skip
            self.res.add("nr.feedlist_worst", max(totals))
            self.res.add("nr.feedlist_first", data["first"]["total"])
            for part in ("subscriptions", "saved_searches", "sources", "all_counts"):
                self.res.add(
                    f"nr.feedlist.{part}", statistics.median(o[part] for o in data["after_change"])
                )
            after = [o["total"] for o in data["after_change"]]  # every count computed again
            self.res.add("nr.feedlist_after_write", statistics.median(after))
            self.res.add("nr.feedlist_after_write_worst", max(after))
            marks = [o["total"] for o in data["after_marks"]]  # brought up to date from the log
            self.res.add("nr.feedlist_after_marks", statistics.median(marks))
            self.res.add("nr.feedlist_after_marks_worst", max(marks))
            new = [o["total"] for o in data.get("after_new", [])]  # new articles: the log
            if new:
                self.res.add("nr.feedlist_after_new", statistics.median(new))
                self.res.add("nr.feedlist_after_new_worst", max(new))
            extracted = [o["total"] for o in data.get("after_extraction", [])]
            if extracted:
                self.res.add("nr.feedlist_after_extraction", statistics.median(extracted))
            self.res.add("nr.store.mark_read", statistics.median(data["mark_read"]))
            log(f"  feed list {i + 1}: {statistics.median(totals):.1f} ms ({data['feeds']} feeds, "
                f"{data['saved']} saved), after read marks {statistics.median(marks):.1f} ms, "
                f"after another change {statistics.median(after):.1f} ms, "
                f"mark all read {statistics.median(data['mark_read']):.0f} ms")  # fmt: skip

    # -- newsreader: refresh over HTTP ----------------------------------------------------------
    def _opml(self, server: FeedServer) -> Path:
        opml = self.scratch / "subscriptions.opml"
        outlines = "".join(
            f'<outline type="rss" text="{p.stem}" xmlUrl="{server.url(p)}"/>'
            for p in feed_files(self.corpus.rss)
        )
        opml.write_text(f'<opml version="2.0"><body>{outlines}</body></opml>')
        return opml

    def refresh(self) -> None:
        if not {"import-opml", "refresh"} <= self.commands:
            self.res.skip("newsreader refresh/import-opml: missing (HTTP refresh not measured)")
            return
        with FeedServer(self.corpus.rss) as server:
            opml = self._opml(server)

            def once(_: int) -> str:
                db = self.fresh_db("feeds")
                self.nr("import-opml", str(opml), "--db", str(db))
                server.reset_counts()
                first = self.nr("refresh", "--no-entities", "--db", str(db))
                got = server.reset_counts()
                self.res.add("nr.refresh_first", first.wall, first, answers=got)
                again = self.nr("refresh", "--no-entities", "--db", str(db))
                got2 = server.reset_counts()
                self.res.add("nr.refresh_304", again.wall, again, answers=got2)
                self.res.figures["nr.refresh_first"]["db_bytes"] = self.db_size(db)
                return f"first {first.wall:.2f} s {got}, again {again.wall:.2f} s {got2}"

            self.repeat("refresh over HTTP", self.opts.runs, once)

    # -- the reader -----------------------------------------------------------------------------
    def _probe(self, *args: str) -> tuple[dict[str, Any] | None, procs.Measured]:
        m = procs.run(
            [sys.executable, "-m", "benchmarks.ui_probe", *args],
            env=self.env,
            cwd=REPO,
            timeout=self.opts.timeout,
        )
        lines = [line for line in m.stdout.splitlines() if line.startswith("{")]
        if m.returncode != 0 or not lines:
            self.res.skip(f"reader probe {args[0]} failed ({m.returncode}): {m.stderr[-400:]}")
            return None, m
        data = json.loads(lines[-1])
        if "skipped" in data:
            self.res.skip(f"reader probe {args[0]}: {data['skipped']}")
            return None, m
        return data, m

    def ui(self) -> None:
        db = self._full_db()
        for i in range(max(5, self.opts.runs)):
            launched = time.time()
            data, m = self._probe("paint", str(db))
            if data is None:
                return
            paint = data["painted_at"] - launched
            self.res.add("nr.first_paint", paint, m, rows=data["rows"])
            log(f"  first paint {i + 1}: {paint:.3f} s, {data['rows']} rows")
        for i in range(self.opts.runs):
            data, m = self._probe(
                "interact", str(db), str(self.queries), "--keys", str(self.opts.keys)
            )
            if data is None:
                return
            self._typed("nr.keys", data["typed"], m)
            self.res.add("nr.cursor_cpu", data["cpu_down"], m)
            self.res.add("nr.page_cpu", data["cpu_page"])
            self.res.add("nr.reader_peak", data["peak_rss"], m)
            log(f"  reader {i + 1}: down {data['cpu_down']:.2f} ms, page {data['cpu_page']:.2f} ms")

    def _typed(self, prefix: str, typed: list[dict[str, Any]], m: procs.Measured) -> None:
        firsts = [t for q in typed for t in q["first"]]
        fulls = [t for q in typed for t in q["full"]]
        firsts_sorted = sorted(firsts)
        self.res.add(
            f"{prefix}.first_median", firsts_sorted[len(firsts) // 2], keystrokes=len(firsts)
        )
        self.res.add(f"{prefix}.first_worst", max(firsts), m)
        self.res.add(f"{prefix}.full_worst", max(fulls))
        per_query = self.res.figures.setdefault(
            f"{prefix}.per_query", {"values": [], "queries": {}}
        )
        for q in typed:
            row = per_query["queries"].setdefault(
                q["query"], {"hits": q["hits"], "first": [], "full": []}
            )
            row["first"].append(max(q["first"]))
            row["full"].append(max(q["full"]))

    def background(self) -> None:
        db = self.copy_db(self._text_db(), "background")
        data, m = self._probe("background", str(db), str(self.queries))
        if data is None:
            return
        self._typed("nr.bg", data["typed"], m)
        self.res.add("nr.bg_extract", data["extract_seconds"], m, passes=data["passes"])
        self.res.add("nr.bg_peak", data["peak_rss"], m)
        log(f"  background extraction {data['extract_seconds']:.1f} s, peak {m.peak_tree:.0f} MiB")

    # -- newsboat ---------------------------------------------------------------------------------
    def newsboat_runs(self) -> None:
        if not self.newsboat:
            self.res.skip(
                "newsboat is not installed (apt-get install newsboat): no newsboat figures"
            )
            return
        files = feed_files(self.corpus.rss)
        home = self.scratch / "newsboat-home"
        home.mkdir(exist_ok=True)
        env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
               "XDG_DATA_HOME": str(home / ".local/share")}  # fmt: skip
        config = self.scratch / "newsboat.config"
        config.write_text("")  # newsboat's defaults (reload-threads 1, as a user gets it)

        def nb(urls: Path, cache: Path, *args: str) -> procs.Measured:
            cmd = [self.newsboat, "-u", str(urls), "-c", str(cache), "-C", str(config), *args]
            m = procs.run(cmd, env=env, timeout=self.opts.timeout)
            if m.returncode != 0:
                raise SystemExit(f"{' '.join(cmd)} failed ({m.returncode}):\n{m.stderr[-2000:]}")
            return m

        def fresh_cache(name: str) -> Path:
            cache = self.scratch / f"{name}.cache.db"
            for extra in ("", ".lock", "-journal"):
                Path(f"{cache}{extra}").unlink(missing_ok=True)
            return cache

        file_urls = self.scratch / "urls-file"
        file_urls.write_text("".join(f"file://{p.resolve()}\n" for p in files))

        def from_files(_: int) -> str:
            cache = fresh_cache("nb-file")
            m = nb(file_urls, cache, "-x", "reload")
            self.res.add("nb.reload_file", m.wall, m, cache_bytes=cache.stat().st_size)
            again = nb(file_urls, cache, "-x", "reload")
            self.res.add("nb.reload_file_again", again.wall, again)
            unread = nb(file_urls, cache, "-x", "print-unread")
            self.res.add("nb.print_unread", unread.wall, unread, output=unread.stdout.strip())
            return (
                f"reload {m.wall:.2f} s ({m.peak_largest:.0f} MiB), again {again.wall:.2f} s, "
                f"print-unread {unread.wall:.2f} s: {unread.stdout.strip()}"
            )

        self.repeat("newsboat file://", self.opts.runs, from_files)
        with FeedServer(self.corpus.rss) as server:
            http_urls = self.scratch / "urls-http"
            http_urls.write_text("".join(f"{server.url(p)}\n" for p in files))

            def over_http(_: int) -> str:
                cache = fresh_cache("nb-http")
                notes = []
                for n in (1, 2, 3):
                    server.reset_counts()
                    m = nb(http_urls, cache, "-x", "reload")
                    got = server.reset_counts()
                    self.res.add(f"nb.reload_http_{n}", m.wall, m, answers=got)
                    notes.append(f"{m.wall:.2f} s {got}")
                return ", ".join(notes)

            self.repeat("newsboat http", self.opts.runs, over_http)


def machine_info(newsreader: str, newsboat: str | None) -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass

    def first_line(cmd: list[str]) -> str:
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "unknown"

    try:
        from importlib.metadata import version

        textual = version("textual")
    except Exception:
        textual = "unknown"
    commit = first_line(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = first_line(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_bytes": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "textual": textual,
        "newsreader": first_line([newsreader, "--version"]) if newsreader else "missing",
        "commit": commit + (" (uncommitted changes)" if dirty not in ("", "unknown") else ""),
        "newsboat": first_line([newsboat, "--version"]) if newsboat else "not installed",
        "grep": first_line(["grep", "--version"]),
        "rg": first_line(["rg", "--version"]) if shutil.which("rg") else "not installed",
    }
