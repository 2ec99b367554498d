"""What the reader remembers between runs: search history, the last article per database,
the feed failures already said and the feed list's folded folders (per database) and the
theme picked in the reader.

A small JSON file in the user state directory (``NEWSREADER_STATE`` names another). Losing it
loses nothing that matters, so a missing, unreadable or malformed file means a fresh start,
and a failed write is silent. An unreadable or malformed one is said (``problem``, shown once
by the reader), and a malformed one is kept beside as ``state.json.bad`` before the next save
writes over it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_state_dir

from reader.textutil import os_reason

HISTORY = 100  # queries kept


def state_path() -> Path:
    """``NEWSREADER_STATE``, else ``state.json`` in the user state directory."""
    env = os.environ.get("NEWSREADER_STATE")
    return Path(env) if env else Path(user_state_dir("newsreader", appauthor=False)) / "state.json"


@dataclass
class UiState:
    """Search history (oldest first) and, per database file, the last article's uid and the
    failing feeds the user was told of (address → the kind of failure, ``failure_kind``)
    and the feed list's folded folders (their row keys); the theme last picked in the
    reader (the command palette), if any.

    Saving merges what this session changed into the file as it is then: two readers open at
    once (on one database or two) each keep the other's searches, positions, failures said
    and theme, where the last to quit used to write its own over the other's."""

    history: list[str] = field(default_factory=list)
    positions: dict[str, str] = field(default_factory=dict)
    failures: dict[str, dict[str, str]] = field(default_factory=dict)
    theme: str | None = None
    folds: dict[str, list[str]] = field(default_factory=dict)
    _searched: list[str] = field(default_factory=list, init=False, repr=False)
    _loaded: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _loaded_failures: dict[str, dict[str, str]] = field(
        default_factory=dict, init=False, repr=False
    )
    _loaded_theme: str | None = field(default=None, init=False, repr=False)
    _loaded_folds: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False)
    # per database file, the feed list's row last opened, for the cursor when the list is
    # shown again in this session (not saved)
    feed_rows: dict[str, str] = field(default_factory=dict, compare=False)
    problem: str | None = field(default=None, compare=False)  # why the file was not read
    # the damaged file read (device, inode, size, mtime), to be kept aside, not written over
    _damaged: tuple[int, int, int, int] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        # (what this session found: changes are the rest)
        self._loaded = dict(self.positions)
        self._loaded_failures = {db: dict(told) for db, told in self.failures.items()}
        self._loaded_theme = self.theme
        self._loaded_folds = {db: list(keys) for db, keys in self.folds.items()}

    @classmethod
    def load(cls, path: Path | None = None) -> UiState:
        """The saved state, or a fresh one (with the ``problem`` when the file exists but
        could not be read)."""
        path = path or state_path()
        try:
            mode = path.stat().st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(errno.EISDIR, "Is a directory")
            if not stat.S_ISREG(mode):  # (reading a named pipe waits for a writer: a hang)
                raise OSError(errno.EINVAL, "Not a regular file")
            data = json.loads(path.read_text(encoding="utf-8"))
            history = [q for q in data.get("history", []) if isinstance(q, str)]
            positions = {str(k): str(v) for k, v in dict(data.get("positions", {})).items() if v}
            failures = {
                str(db): {str(url): str(kind) for url, kind in dict(told).items()}
                for db, told in dict(data.get("failures", {})).items()
            }
            theme = data.get("theme")
            folds = {
                str(db): [str(key) for key in keys]
                for db, keys in dict(data.get("folds", {})).items()
                if isinstance(keys, list)
            }
        except FileNotFoundError:
            return cls()
        except OSError as exc:
            why = os_reason(exc)
            return cls(problem=f"The reader's state file {path} could not be read ({why})")
        except (ValueError, TypeError, AttributeError):
            fresh = cls(
                problem=f"The reader's state file {path} was damaged: search history, last "
                f"positions and folds start afresh (the old file is kept as {path.name}.bad)"
            )
            with contextlib.suppress(OSError):
                fresh._damaged = _identity(path)
            return fresh
        failures = {db: told for db, told in failures.items() if told}
        return cls(
            history[-HISTORY:],
            positions,
            failures,
            theme if isinstance(theme, str) else None,
            {db: keys for db, keys in folds.items() if keys},
        )

    def save(self, path: Path | None = None) -> None:
        """Write the state (atomically), this session's searches, positions and failures
        said merged into the file's; problems are ignored. A file that could not be read is
        left as it is; a damaged one is kept as ``NAME.bad`` (the file stays in place until
        the new one replaces it)."""
        path = path or state_path()
        now = UiState.load(path)
        if now.problem and now._damaged is None:
            return  # unreadable (permissions, an I/O error): not ours to write over
        if now._damaged is None:  # (damaged since it was read: this session's view is kept)
            self._merge(now)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # one per process
            temporary.write_text(
                json.dumps(
                    {
                        "history": self.history[-HISTORY:],
                        "positions": self.positions,
                        "failures": self.failures,
                        "theme": self.theme,
                        "folds": self.folds,
                    }
                ),
                encoding="utf-8",
            )
            if now._damaged is not None:
                _keep_aside(path, now._damaged)
            os.replace(temporary, path)

    def _merge(self, now: UiState) -> None:
        """This session's changes merged into ``now``, the file as another reader may have
        left it."""
        searched = self._searched
        # (in place: the search bar holds the same list)
        self.history[:] = [q for q in now.history if q not in searched] + searched
        del self.history[:-HISTORY]
        moved = {k: v for k, v in self.positions.items() if self._loaded.get(k) != v}
        self.positions.update({**now.positions, **moved})
        self._merge_failures(now.failures)
        if self.theme == self._loaded_theme:  # not picked here: as another reader left it
            self.theme = now.theme
        self._merge_folds(now.folds)

    def _merge_failures(self, theirs: dict[str, dict[str, str]]) -> None:
        """Per database and feed: what this session changed (told, or forgotten once the
        feed worked), else what the file says now (another reader's changes)."""
        mine, loaded = self.failures, self._loaded_failures
        merged: dict[str, dict[str, str]] = {}
        for db in {*mine, *loaded, *theirs}:
            now, was, other = mine.get(db, {}), loaded.get(db, {}), theirs.get(db, {})
            told = {}
            for url in {*now, *was, *other}:
                kind = now.get(url) if now.get(url) != was.get(url) else other.get(url)
                if kind is not None:
                    told[url] = kind
            if told:
                merged[db] = told
        self.failures.clear()
        self.failures.update(merged)

    def _merge_folds(self, theirs: dict[str, list[str]]) -> None:
        """Per database and folder: folded or unfolded here, else as the file says now
        (another reader folded one folder while this one unfolded another: both are kept)."""
        mine, loaded = self.folds, self._loaded_folds
        merged: dict[str, list[str]] = {}
        for db in {*mine, *loaded, *theirs}:
            now, was = set(mine.get(db, [])), set(loaded.get(db, []))
            keys = (set(theirs.get(db, [])) - (was - now)) | (now - was)
            if keys:
                merged[db] = sorted(keys)
        self.folds.clear()
        self.folds.update(merged)

    def remember(self, query: str) -> None:
        """Add a query to the history (most recent last, no duplicates)."""
        query = query.strip()
        if not query:
            return
        for queries in (self.history, self._searched):
            if query in queries:
                queries.remove(query)
            queries.append(query)
            del queries[:-HISTORY]


def _identity(path: Path) -> tuple[int, int, int, int]:
    st = path.stat()
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _keep_aside(path: Path, damaged: tuple[int, int, int, int]) -> None:
    """Keep the damaged file as ``NAME.bad`` (a link: the file itself stays in place), if
    it is still the one read: another reader may have replaced it with a good one since."""
    with contextlib.suppress(OSError):
        if _identity(path) != damaged:
            return
        bad = path.with_name(f"{path.name}.bad")
        bad.unlink(missing_ok=True)
        try:
            os.link(path, bad)
        except OSError:  # a file system without hard links
            shutil.copyfile(path, bad)
