"""Wheel build hook: the entity extractor's hot modules compiled to C with mypyc.

The rule extractor (``reader/entities``) is plain, type-checked Python. mypyc (part of mypy,
MIT) compiles the same source into C extension modules that run it about 1.5 times faster
(``docs/entities.md``, *Speed*); the wheel carries them beside the sources, and Python imports
a compiled module before its source. Nothing else changes: the same code, the same output
(``benchmarks/entities_same.py`` compares the two, text by text).

Compiling needs a C compiler and the Python headers. When it fails, the wheel is built pure
Python with a warning and works the same, only slower. ``NEWSREADER_PURE=1`` skips it (mypy
is then not fetched for the build), and an editable install never compiles (an edited rule
must take effect at once).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# The modules that run per word or per candidate. The word lists (lexicon, gazetteer) stay
# Python: they are read once, and tests replace their methods.
COMPILED = [
    "reader/entities/rules.py",
    "reader/entities/runs.py",
    "reader/entities/sports.py",
    "reader/entities/typer.py",
    "reader/entities/newswire.py",
]
GROUP = "newsreader_entities"  # the shared library's name: newsreader_entities__mypyc.*.so

_SETUP = """\
from mypyc.build import mypycify
from setuptools import setup

setup(
    name="newsreader-compiled",
    ext_modules=mypycify({files!r}, opt_level="3", group_name={group!r}),
    script_args=["build_ext", "--inplace"],
)
"""
# How mypy reads the sources while mypyc compiles them (third-party imports untyped).
_MYPY_INI = "[mypy]\nignore_missing_imports = True\n"


def _pure() -> bool:
    """``NEWSREADER_PURE`` set to anything but empty, 0, false or no."""
    return os.environ.get("NEWSREADER_PURE", "").strip().lower() not in ("", "0", "false", "no")


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compiles ``COMPILED`` into the wheel, or leaves it pure when that fails."""

    _work: Path | None = None

    def dependencies(self) -> list[str]:
        """Build-time only, and only when compiling: mypyc comes with mypy (pinned: the
        compiled code is checked against the sources with this version); setuptools drives
        the C compiler."""
        return [] if _pure() else ["mypy==2.4.1", "setuptools>=70"]

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        if _pure():
            self.app.display_info("newsreader: NEWSREADER_PURE set, entity modules not compiled")
            return
        self._work = Path(tempfile.mkdtemp(prefix="newsreader-mypyc-"))
        try:
            built = self._compile(self._work)
        except Exception as e:  # any failure: the pure wheel works the same, slower
            detail = getattr(e, "stderr", "") or str(e)
            last = [line[:300] for line in detail.strip().splitlines()[-1:]] or [type(e).__name__]
            self.app.display_warning(
                f"newsreader: entity modules left pure Python (compiling failed: {last[0]})"
            )
            self.finalize(version, build_data, "")
            return
        except BaseException:  # interrupted: leave no temporary folder behind
            self.finalize(version, build_data, "")
            raise
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        for relative in built:
            build_data["force_include"][str(self._work / relative)] = relative
        self.app.display_info(f"newsreader: compiled {len(built)} extension modules with mypyc")

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = None

    def _compile(self, work: Path) -> list[str]:
        """Compile in a copy of the package (the source tree gets no build files); return
        the built modules' paths relative to ``work``, which are their paths in the wheel."""
        root = Path(self.root)
        shutil.copytree(
            root / "reader",
            work / "reader",
            ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd", "data", "_feeds"),
        )
        (work / "mypy.ini").write_text(_MYPY_INI)
        script = _SETUP.format(files=COMPILED, group=GROUP)
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=work,
            check=True,
            capture_output=True,
            text=True,
            errors="replace",
        )
        suffixes = (".so", ".pyd")
        built = [
            p.relative_to(work).as_posix()
            for p in work.rglob("*")
            if p.suffix in suffixes and "build" not in p.relative_to(work).parts
        ]
        expected = {Path(f).with_suffix("").as_posix() for f in COMPILED}
        found = {b.split(".")[0] for b in built}
        if not expected <= found:
            raise OSError(f"mypyc built {sorted(found)}, not {sorted(expected)}")
        return built
