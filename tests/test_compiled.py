"""The entity modules compiled into the wheel (``hatch_build.py``, mypyc) find what their
sources find.

The test suite imports the source tree; the package a user runs is the installed one, where
``reader/entities``' hot modules are C extensions when a compiler was there at install time.
This compares the two candidate by candidate (``benchmarks/entities_same.py``) on the bundled
articles, with and without known names. The full comparison, on every labelled text beside the
project and the benchmark corpus (23,319 texts), is run by hand: ``docs/entities.md``, *Speed*.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.entities.rules import RuleExtractor
from tests.conftest import FEEDS, REPO

COMPILED = ["rules", "runs", "sports", "typer", "newswire"]  # hatch_build.COMPILED


def _installed(cwd: Path) -> Path | None:
    """The site directory of the installed package when its entity modules are compiled
    (None: an editable or pure install, or the source tree itself)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    script = "import reader.entities.rules as r; print(r.__file__)"
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True, text=True
    )
    if out.returncode != 0:
        return None
    found = Path(out.stdout.strip())
    # (the source tree's own reader/ is never it; a venv inside the clone, as .ci/run makes, is)
    if not found.name.endswith((".so", ".pyd")) or REPO / "reader" in found.parents:
        return None
    return found.parents[2]


def _hook_list() -> list[str]:
    """``COMPILED`` as hatch_build.py writes it (read, not imported: hatchling is build-time)."""
    tree = ast.parse((REPO / "hatch_build.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "COMPILED":
            return list(ast.literal_eval(node.value))
    raise AssertionError("hatch_build.py names no COMPILED modules")


def test_the_build_hook_names_modules_that_exist() -> None:
    listed = _hook_list()
    assert [Path(p).stem for p in listed] == COMPILED
    for path in listed:
        assert (REPO / path).is_file(), path
    assert RuleExtractor.__module__ == "reader.entities.rules"


def test_compiled_entity_modules_find_what_the_sources_find(tmp_path: Path) -> None:
    site = _installed(tmp_path)
    if site is None:
        pytest.skip("the installed entity modules are not compiled (editable or pure install)")
    for name in COMPILED:
        assert list((site / "reader" / "entities").glob(f"{name}.*.so")) or list(
            (site / "reader" / "entities").glob(f"{name}.*.pyd")
        ), name
    out = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "entities_same.py"),
            str(REPO),
            str(site),
            "--dev-data",
            str(tmp_path / "no-dev-data"),
            "--corpus",
            str(FEEDS),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "texts compared" in out.stdout and "identical" in out.stdout, out.stdout
    compared = int(out.stdout.split(" texts compared")[0].replace(",", ""))
    assert compared >= 80  # the bundled articles, with and without known names
