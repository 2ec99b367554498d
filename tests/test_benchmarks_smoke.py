"""The benchmark command runs end to end on 200 articles, so that it cannot rot.

Real processes throughout (newsreader, newsboat when installed, cat, grep, an HTTP server on
127.0.0.1). Asserts that the tables were produced with sane contents, never on timings.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SIZE = 200


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str, str]:
    if not (Path(sys.executable).parent / "newsreader").exists() and not shutil.which("newsreader"):
        pytest.skip("newsreader is not installed in this environment")
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "BENCHMARKS.md"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--size", str(SIZE), "--runs", "1", "--keys", "10",
         "--work", str(tmp / "work"), "--out", str(out), "--results", str(tmp / "results")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "NEWSREADER_DB": str(tmp / "unused.db")},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((tmp / "results" / f"size-{SIZE}.json").read_text())
    return results, out.read_text(), proc.stdout


def values(results: dict, key: str) -> list[float]:
    return results["figures"][key]["values"]


def test_tables_written(bench: tuple[dict, str, str]) -> None:
    _, markdown, stdout = bench
    assert f"## {SIZE} articles" in markdown
    assert "| what | newsreader | newsboat |" in markdown
    assert "Machine: " in markdown and "SQLite" in markdown
    assert f"## {SIZE} articles" in stdout  # the same section is printed
    for row in ("index dated text, no entities", "refresh over HTTP, all 304", "first paint"):
        assert row in markdown


def test_newsreader_figures_are_sane(bench: tuple[dict, str, str]) -> None:
    results, _, _ = bench
    figs = results["figures"]
    assert results["info"]["corpus"]["count"] == SIZE
    for key in ("nr.index_text", "nr.index_rss", "nr.index_entities", "nr.extract",
                "nr.refresh_first", "nr.refresh_304", "nr.first_paint", "nr.search.common word",
                "lim.cat_text", "lim.grep.common word"):  # fmt: skip
        assert key in figs, key
        assert all(v > 0 for v in values(results, key)), key
    assert f"{SIZE} articles added" in figs["nr.index_text"]["summary"]
    assert (
        f"{SIZE} articles added" in figs["nr.index_rss"]["summary"]
    )  # the RSS items are the same items
    assert f"entities extracted for {SIZE}" in figs["nr.extract"]["summary"]
    assert figs["nr.index_text"]["db_bytes"] > results["info"]["corpus"]["text_bytes"] / 2
    assert 10 < max(figs["nr.index_text"]["peak_largest"]) < 2048  # MiB
    assert figs["nr.refresh_first"]["answers"]["200"] == results["info"]["corpus"]["rss_files"]
    assert figs["nr.refresh_304"]["answers"]["304"] == results["info"]["corpus"]["rss_files"]
    assert figs["nr.first_paint"]["rows"] == SIZE
    assert figs["nr.search.common word"]["hits"] > 0
    assert figs["lim.grep.common word"]["hits"] > 0


def test_reader_or_a_skip_line(bench: tuple[dict, str, str]) -> None:
    results, _, _ = bench
    if "nr.cursor_cpu" in results["figures"]:
        assert values(results, "nr.keys.first_worst")[0] > 0
        assert values(results, "nr.reader_peak")[0] > 10
    else:
        assert any("reader probe" in line for line in results["skipped"])


def test_newsboat_or_a_skip_line(bench: tuple[dict, str, str]) -> None:
    results, markdown, _ = bench
    if shutil.which("newsboat"):
        assert values(results, "nb.reload_file")[0] > 0
        assert "unread" in results["figures"]["nb.print_unread"]["output"]
        assert results["figures"]["nb.reload_http_3"]["answers"]["304"] > 0
        assert "newsreader / newsboat" in markdown
    else:
        assert any(line.startswith("newsboat is not installed") for line in results["skipped"])


def test_the_manual_probes_run(tmp_path: Path) -> None:
    """The probe modes the harness does not run (quoted in the docs) still run: each step of
    each query as typed, and typing beside the extraction for a set number of passes."""
    from reader.store import FeedStore

    db = tmp_path / "probe.db"
    with FeedStore(db) as store:
        store.index([str(REPO / "feeds")])
    queries = tmp_path / "queries.json"
    queries.write_text(json.dumps(["tesla", "-musk", 'entity:"Elon Musk" pol']))

    def probe(*args: str) -> dict:
        proc = subprocess.run(
            [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        return json.loads([ln for ln in proc.stdout.splitlines() if ln.startswith("{")][-1])

    typed = probe("benchmarks.store_probe", "typed", str(db), str(queries), "--repeat", "1")
    assert typed["per_query"]["tesla"]["typed"] in ("tes*", "tesl*", "tesla*", "t", "te")
    assert len(typed["per_query"]["-musk"]["steps"]) == len("-musk")
    background = probe("benchmarks.ui_probe", "background", str(db), str(queries), "--passes", "1")
    assert background["passes"] == 1  # (50 articles may be extracted before the typing)
    assert [q["query"] for q in background["typed"]] == json.loads(queries.read_text())


def test_the_write_floor_script_runs(tmp_path: Path) -> None:
    """``benchmarks/write_floor.py`` on 30 generated articles: it parses all 30 and prints a
    row for each variant (newsboat's when installed) and the ratios."""
    if not (Path(sys.executable).parent / "newsreader").exists() and not shutil.which("newsreader"):
        pytest.skip("newsreader is not installed in this environment")
    text, rss = tmp_path / "text", tmp_path / "rss"
    subprocess.run(
        [sys.executable, "-m", "benchmarks.corpus", str(text), "--count", "30", "--rss", str(rss)],
        cwd=REPO, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run(
        [sys.executable, "benchmarks/write_floor.py", str(text), "--runs", "1", "--newsboat",
         str(rss)],
        cwd=REPO, capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("30 articles, ")
    names = [line.split()[0] for line in lines[1:] if " s  (" in line]
    expected = ["fts", "bodies", "fts+bodies", "index"]
    if shutil.which("newsboat"):
        expected.append("newsboat")
    assert names == expected
    assert "fts+bodies / index: " in proc.stdout
