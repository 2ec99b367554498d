"""Markdown tables from the raw results: one section per size, and BENCHMARKS.md from all sizes."""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import workload

MIB = 1024 * 1024

# (label, newsreader key, newsboat key, newsboat label, limit key, limit label)
Row = tuple[str, str, str | None, str, str | None, str]


def main_rows(terms: dict[str, str], have_rg: bool) -> list[Row]:
    """The rows of the side-by-side table."""
    tool = "rg" if have_rg else "grep"
    flag = "`rg -il`" if have_rg else "`grep -ril`"
    rows: list[Row] = [
        ("index dated text, no entities", "nr.index_text", "nb.reload_file",
         "`-x reload`, file://", "lim.cat_text", "`cat` of the text files"),
        ("index RSS files, no entities", "nr.index_rss", "nb.reload_file",
         "`-x reload`, file://", "lim.cat_rss", "`cat` of the RSS files"),
        ("index dated text with entities", "nr.index_entities", "nb.reload_file",
         "`-x reload`, file://", "lim.cat_text", "`cat` of the text files"),
        ("extract entities of a store indexed without them", "nr.extract", None, "", None, ""),
        ("index again, nothing changed", "nr.reindex", "nb.reload_file_again",
         "`-x reload` again, file://", None, ""),
        ("refresh over HTTP, first", "nr.refresh_first", "nb.reload_http_1",
         "`-x reload`, HTTP, first", None, ""),
        ("refresh over HTTP, all 304", "nr.refresh_304", "nb.reload_http_3",
         "`-x reload`, HTTP, third (304s)", None, ""),
        ("cold start to first paint (reader)", "nr.first_paint", "nb.print_unread",
         "`-x print-unread` on the filled cache", None, ""),
    ]  # fmt: skip
    for shape, (query, fixed) in workload.search_queries(terms).items():
        rows.append(
            (f"one-shot `newsreader search '{query}'` ({shape})", f"nr.search.{shape}", None, "",
             f"lim.{tool}.{shape}", f"{flag} '{fixed}'")
        )  # fmt: skip
    rows += [
        ("mark every article read (`mark-read`)", "nr.mark_read", None, "", None, ""),
        ("feed list with counts (`feeds --json`)", "nr.feeds_json", None, "", None, ""),
    ]
    return rows


def stats(values: Sequence[float]) -> tuple[float, float, float]:
    """Median, min and max."""
    return statistics.median(values), min(values), max(values)


def secs(value: float) -> str:
    """Seconds, or milliseconds below one second."""
    if value >= 100:
        return f"{value:.0f} s"
    if value >= 1:
        return f"{value:.2f} s"
    return f"{value * 1000:.3g} ms" if value * 1000 < 100 else f"{value * 1000:.0f} ms"


def ms(value: float) -> str:
    if value < 1:
        return f"{value:.2f} ms"
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def mib(value: float) -> str:
    return f"{value:.0f} MiB"


def size_text(n: float) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", MIB), ("KiB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n:.0f} B"


def cell(fig: dict[str, Any] | None, unit=secs, bold: bool = False) -> str:
    """``median (min–max)`` of a figure, or a dash."""
    if not fig or not fig.get("values"):
        return "–"
    med, lo, hi = stats(fig["values"])
    main = f"**{unit(med)}**" if bold else unit(med)
    if len(fig["values"]) == 1:
        return f"{main} (1 run)"
    return f"{main} ({unit(lo)}–{unit(hi)})"


def ratio(a: dict[str, Any] | None, b: dict[str, Any] | None) -> str:
    if not a or not b or not a.get("values") or not b.get("values"):
        return "–"
    den = statistics.median(b["values"])
    if den <= 0:
        return "–"
    r = statistics.median(a["values"]) / den
    return f"{r:.2f}×" if r < 10 else f"{r:.3g}×" if r < 100 else f"{r:.0f}×"


def section(res: dict[str, Any]) -> str:
    """The markdown section of one size."""
    f: dict[str, dict[str, Any]] = res["figures"]
    info, c = res["info"], res["info"]["corpus"]
    have_rg = any(k.startswith("lim.rg.") for k in f)
    out: list[str] = [f"## {res['size']:,} articles", ""]
    out.append(
        f"Run {info['started']}, `{info['command']}`, {info['seconds'] / 60:.0f} min; "
        f"{res['runs']} runs of each figure (the reader's first paint: at least 5). "
        f"Load average (1 min) {info['load_start'][0]:.2f} at the start, "
        f"{info['load_end'][0]:.2f} at the end."
    )
    out.append("")
    out.append(
        f"Corpus (seed {c['seed']}): {c['count']:,} dated-text files, {c['words']:,} words, "
        f"{size_text(c['text_bytes'])} ({c['text_bytes'] / max(c['count'], 1) / 1024:.1f} KiB "
        f"an article); the same items in {c['rss_files']:,} RSS files of up to 100 items, "
        f"{size_text(c['rss_bytes'])}, served for the HTTP rows by a server on 127.0.0.1 with "
        f"ETag, Last-Modified and 304. Query words picked by document frequency: "
        + ", ".join(f"{k} `{v}`" for k, v in c["terms"].items())
        + "."
    )
    out.append("")
    out.append("Wall time of the whole process, median (min–max):")
    out.append("")
    out.append(
        "| what | newsreader | newsboat | newsboat run | newsreader / newsboat | limit | "
        "limit run | newsreader / limit |"
    )
    out.append("|---|---|---|---|---|---|---|---|")
    for label, nr, nb, nb_label, lim, lim_label in main_rows(c["terms"], have_rg):
        a, b, lo = f.get(nr), f.get(nb) if nb else None, f.get(lim) if lim else None
        if not a and not b:
            continue
        out.append(
            f"| {label} | {cell(a, bold=True)} | {cell(b)} | {nb_label if b else '–'} | "
            f"{ratio(a, b)} | {cell(lo)} | {lim_label if lo else '–'} | {ratio(a, lo)} |"
        )
    if "nb.reload_http_2" in f:
        out.append(
            f"| newsboat's second HTTP reload (it sends no validators yet: 200s) | – | "
            f"{cell(f['nb.reload_http_2'])} | `-x reload`, HTTP, second | – | – | – | – |"
        )
    out.append("")
    if "nr.extract" in f:
        med = statistics.median(f["nr.extract"]["values"])
        words = f["nr.extract"]["words"]
        out.append(
            f"Entity extraction: {words:,} words in {secs(med)} (median, whole command: start-up "
            f"and the unchanged-file scan included) = **{words / med:,.0f} words/s**."
        )
        out.append("")
    out += reader_table(f)
    out += store_table(f)
    out += memory_table(f)
    out += sizes_table(f, c)
    if res.get("skipped"):
        out.append("Skipped in this run:")
        out.append("")
        out += [f"- {line}" for line in res["skipped"]]
        out.append("")
    return "\n".join(out)


def reader_table(f: dict[str, dict[str, Any]]) -> list[str]:
    if "nr.cursor_cpu" not in f and "nr.bg_extract" not in f:
        return []
    out = ["The reader (in its own process, headless 120×40; median (min–max) over runs):", ""]
    out.append("| what | measured |")
    out.append("|---|---|")
    rows = [
        ("CPU per cursor key (down), repaint included; median of the keys of a run",
         "nr.cursor_cpu", ms),
        ("CPU per page key (page down)", "nr.page_cpu", ms),
        ("keystroke to the first screenful of results: median keystroke", "nr.keys.first_median",
         ms),
        ("keystroke to the first screenful: worst keystroke of a run", "nr.keys.first_worst", ms),
        ("keystroke to the full list of matches: worst keystroke of a run", "nr.keys.full_worst",
         ms),
        ("peak memory of the reader process", "nr.reader_peak", mib),
        ("while it extracts every article's entities in the background: median keystroke",
         "nr.bg.first_median", ms),
        ("… worst keystroke (first screenful)", "nr.bg.first_worst", ms),
        ("… the extraction, start to end", "nr.bg_extract", secs),
        ("… peak memory of the reader process", "nr.bg_peak", mib),
    ]  # fmt: skip
    for label, key, unit in rows:
        if key in f:
            out.append(f"| {label} | {cell(f[key], unit, bold=True)} |")
    out.append("")
    pq = f.get("nr.keys.per_query")
    if pq:
        out.append("Worst keystroke of each query typed letter by letter (median over runs):")
        out.append("")
        out.append("| query | hits | first screenful | full list |")
        out.append("|---|---|---|---|")
        for query, row in pq["queries"].items():
            out.append(
                f"| `{query}` | {row['hits']:,} | {ms(statistics.median(row['first']))} | "
                f"{ms(statistics.median(row['full']))} |"
            )
        out.append("")
    return out


def store_table(f: dict[str, dict[str, Any]]) -> list[str]:
    """The store calls behind the reader's screens, timed in one process."""
    if "nr.store.search_median" not in f and "nr.feedlist" not in f:
        return []
    out = [
        "The store calls behind the reader's screens, timed inside one process "
        "(`benchmarks/store_probe.py`; milliseconds, median (min–max) over runs):",
        "",
        "| what | measured |",
        "|---|---|",
    ]
    worst = f.get("nr.store.search_worst", {})
    shapes = len(f.get("nr.store.search_per_query", {}).get("queries", {}))
    fl = f.get("nr.feedlist", {})
    feeds = (
        f" ({fl['feeds']:,} feeds, {fl['saved']} saved searches, {fl['articles']:,} articles)"
        if "feeds" in fl
        else ""
    )
    rows = [
        (f"newest 100 matches (`search_ids(q, limit=100)`), median over the {shapes} query "
         "shapes", "nr.store.search_median"),
        (f"… the slowest shape (`{worst.get('worst', '?')}` in the last run)",
         "nr.store.search_worst"),
        (f"feed list opened the first time, every count computed{feeds}", "nr.feedlist_first"),
        ("feed list opened again, nothing changed (counts remembered): median of 5",
         "nr.feedlist"),
        ("feed list right after another connection marked 20 articles read (counts brought "
         "up to date from the read log): median of 5", "nr.feedlist_after_marks"),
        ("… the slowest of the 5", "nr.feedlist_after_marks_worst"),
        ("feed list right after another connection indexed 20 new articles (counts brought "
         "up to date from the log, schema 9): median of 5", "nr.feedlist_after_new"),
        ("… the slowest of the 5", "nr.feedlist_after_new_worst"),
        ("feed list right after another connection extracted those articles' entities "
         "(`entity:` searches counted again): median of 5", "nr.feedlist_after_extraction"),
        ("feed list right after another connection wrote, every count computed again (a "
         "write other than read marks; in runs before schema 8, 20 read marks): median of 5",
         "nr.feedlist_after_write"),
        ("… the slowest of the 5", "nr.feedlist_after_write_worst"),
        ("… of which `subscriptions()` (per-feed total and unread), median",
         "nr.feedlist.subscriptions"),
        ("… `saved_searches()` (one `count_matches` per saved search)",
         "nr.feedlist.saved_searches"),
        ("… `sources()`", "nr.feedlist.sources"),
        ("… `count_matches(\"\")` (everything)", "nr.feedlist.all_counts"),
        ("mark every article read (`mark_read(\"\")`), median of 5", "nr.store.mark_read"),
    ]  # fmt: skip
    for label, key in rows:
        if key in f:
            out.append(f"| {label} | {cell(f[key], ms, bold=True)} |")
    out.append("")
    pq = f.get("nr.store.search_per_query")
    if pq and pq.get("queries"):
        out.append("Newest 100 matches per query shape (median over runs):")
        out.append("")
        out.append("| query | shown | ms |")
        out.append("|---|---|---|")
        for query, values in pq["queries"].items():
            hits = pq.get("hits", {}).get(query, 0)
            out.append(f"| `{query}` | {hits} | {ms(statistics.median(values))} |")
        out.append("")
    return out


MEMORY = [
    ("newsreader index, dated text, no entities", "nr.index_text"),
    ("newsreader index, RSS files, no entities", "nr.index_rss"),
    ("newsreader index with entities", "nr.index_entities"),
    ("newsreader extraction of an indexed store", "nr.extract"),
    ("newsreader refresh, first", "nr.refresh_first"),
    ("newsreader refresh, all 304", "nr.refresh_304"),
    ("newsreader search (common word)", "nr.search.common word"),
    ("reader, first paint", "nr.first_paint"),
    ("reader, keys and searches", "nr.cursor_cpu"),
    ("reader, extracting in the background", "nr.bg_extract"),
    ("newsboat -x reload, file://", "nb.reload_file"),
    ("newsboat -x reload, HTTP, first", "nb.reload_http_1"),
    ("newsboat -x print-unread", "nb.print_unread"),
    ("rg -il (common word)", "lim.rg.common word"),
]


def memory_table(f: dict[str, dict[str, Any]]) -> list[str]:
    out = [
        "Memory and CPU of each process tree (peak resident memory, the largest over runs; "
        "largest single process exact from `wait4`, whole tree sampled every 20 ms; CPU = "
        "user + system of the tree, median):",
        "",
        "| run | largest process | whole tree | processes | CPU | CPU / wall |",
        "|---|---|---|---|---|---|",
    ]
    for label, key in MEMORY:
        fig = f.get(key)
        if not fig or "peak_largest" not in fig:
            continue
        cpu = statistics.median(fig["cpu"])
        wall = statistics.median(fig["wall"])
        out.append(
            f"| {label} | {mib(max(fig['peak_largest']))} | {mib(max(fig['peak_tree']))} | "
            f"{fig['processes']} | {secs(cpu)} | {cpu / wall:.2f} |"
        )
    out.append("")
    return out


def sizes_table(f: dict[str, dict[str, Any]], c: dict[str, Any]) -> list[str]:
    rows = [
        ("newsreader database, dated text, no entities",
         f.get("nr.index_text", {}).get("db_bytes")),
        ("newsreader database, dated text with entities",
         f.get("nr.index_entities", {}).get("db_bytes")),
        ("newsreader database, RSS files, no entities", f.get("nr.index_rss", {}).get("db_bytes")),
        ("newsreader database, refreshed over HTTP", f.get("nr.refresh_first", {}).get("db_bytes")),
        ("newsboat cache, file://", f.get("nb.reload_file", {}).get("cache_bytes")),
        ("the dated-text files", c["text_bytes"]),
        ("the RSS files", c["rss_bytes"]),
    ]  # fmt: skip
    out = ["Sizes on disk:", "", "| what | bytes | per article |", "|---|---|---|"]
    for label, n in rows:
        if n:
            out.append(f"| {label} | {size_text(n)} | {size_text(n / max(c['count'], 1))} |")
    out.append("")
    return out


def per_article(value: float) -> str:
    """Seconds per article as microseconds."""
    return f"{value * 1e6:.0f} µs"


# (label, key, unit, divide by the size)
GROWTH = [
    ("index dated text, no entities, per article", "nr.index_text", per_article, True),
    ("index RSS files, no entities, per article", "nr.index_rss", per_article, True),
    ("index with entities, per article", "nr.index_entities", per_article, True),
    ("newsboat -x reload, file://, per article", "nb.reload_file", per_article, True),
    ("refresh over HTTP, first, per article", "nr.refresh_first", per_article, True),
    ("index again, nothing changed", "nr.reindex", secs, False),
    ("refresh over HTTP, all 304", "nr.refresh_304", secs, False),
    ("first paint", "nr.first_paint", secs, False),
    ("one-shot search, common word", "nr.search.common word", secs, False),
    ("newest 100 matches, median over the shapes (ms)", "nr.store.search_median", ms, False),
    ("newest 100 matches, slowest shape (ms)", "nr.store.search_worst", ms, False),
    ("keystroke, worst (first screenful, ms)", "nr.keys.first_worst", ms, False),
    ("feed list, first opening (ms)", "nr.feedlist_first", ms, False),
    ("feed list after read marks elsewhere (ms)", "nr.feedlist_after_marks", ms, False),
    ("feed list after new articles elsewhere (ms)", "nr.feedlist_after_new", ms, False),
    (
        "feed list after a write elsewhere, every count again (ms)",
        "nr.feedlist_after_write",
        ms,
        False,
    ),
    ("mark every article read (ms)", "nr.store.mark_read", ms, False),
]


def growth_table(results: list[dict[str, Any]]) -> list[str]:
    """How each cost grows with the size, when more than one size has been run."""
    if len(results) < 2:
        return []
    sizes = [r["size"] for r in results]
    out = ["## Growth", "", "Medians of each size's latest run.", ""]
    out.append("| what | " + " | ".join(f"{s:,}" for s in sizes) + " |")
    out.append("|---|" + "---|" * len(sizes))
    for label, key, unit, divide in GROWTH:
        cells = []
        for r in results:
            fig = r["figures"].get(key)
            value = statistics.median(fig["values"]) / (r["size"] if divide else 1) if fig else 0
            cells.append(unit(value) if fig else "–")
        if any(x != "–" for x in cells):
            out.append(f"| {label} | " + " | ".join(cells) + " |")
    for label, key, field in (
        ("peak memory, index dated text (largest process / whole tree)", "nr.index_text", None),
        ("peak memory, index RSS files (largest process / whole tree)", "nr.index_rss", None),
        ("peak memory, index with entities (largest process / whole tree)", "nr.index_entities",
         None),
        ("peak memory, the reader (keys and searches)", "nr.reader_peak", "values"),
    ):  # fmt: skip
        cells = []
        for r in results:
            fig = r["figures"].get(key)
            if not fig:
                cells.append("–")
            elif field:
                cells.append(mib(max(fig[field])))
            else:
                cells.append(f"{mib(max(fig['peak_largest']))} / {mib(max(fig['peak_tree']))}")
        if any(x != "–" for x in cells):
            out.append(f"| {label} | " + " | ".join(cells) + " |")
    for label, key in (
        ("database per article, dated text without entities", "nr.index_text"),
        ("database per article, with entities", "nr.index_entities"),
    ):
        cells = []
        for r in results:
            n = r["figures"].get(key, {}).get("db_bytes")
            cells.append(size_text(n / r["size"]) if n else "–")
        if any(x != "–" for x in cells):
            out.append(f"| {label} | " + " | ".join(cells) + " |")
    out.append("")
    return out


def machine(info: dict[str, Any]) -> str:
    return (
        f"{info['cpu']}, {info['cores']} cores, {info['memory_bytes'] / 2**30:.0f} GiB; "
        f"{info['os']}; Python {info['python']}, SQLite {info['sqlite']}, Textual "
        f"{info['textual']}; {info['newsreader']} at {info['commit']}; {info['newsboat']}; "
        f"{info['grep']}; {info['rg']}"
    )


HEADER = """# Benchmarks

Written by `python -m benchmarks --size N` (from the repository root, in the environment where
`newsreader` is installed; `docs/performance.md` says what each figure measures and where the
time goes). Every figure is measured several times in one run, on one machine, against newsboat
and the raw limits (`cat`, `grep`, `rg`) in the same run; ratios are of those medians. Each
size's section is replaced by its latest run. The machine is shared (2 cores, other people's
tests and benchmarks run beside these): read spreads of 10–20 % as noise.
"""


def write(results_dir: Path, out: Path) -> str:
    """Rebuild ``out`` from every ``size-*.json`` in ``results_dir``; return its text."""
    results = sorted(
        (json.loads(p.read_text()) for p in results_dir.glob("size-*.json")),
        key=lambda r: r["size"],
    )
    parts = [HEADER]
    notes = Path(__file__).with_name("NOTES.md")  # why each slow line is slow (hand-written)
    if notes.exists():
        parts.append(notes.read_text().rstrip() + "\n")
    parts += growth_table(results)
    for r in results:
        parts.append(section(r))
        parts.append(f"Machine: {machine(r['info'])}.\n")
    text = "\n".join(parts).rstrip() + "\n"
    out.write_text(text)
    return text
