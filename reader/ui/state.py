"""What the reader remembers between runs: search history and the last article per database.

A small JSON file in the user state directory (``NEWSREADER_STATE`` names another). Losing it
loses nothing that matters, so a missing, unreadable or malformed file means a fresh start,
and a failed write is silent.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_state_dir

HISTORY = 100  # queries kept


def state_path() -> Path:
    """``NEWSREADER_STATE``, else ``state.json`` in the user state directory."""
    env = os.environ.get("NEWSREADER_STATE")
    return Path(env) if env else Path(user_state_dir("newsreader", appauthor=False)) / "state.json"


@dataclass
class UiState:
    """Search history (oldest first) and, per database file, the last article's uid."""

    history: list[str] = field(default_factory=list)
    positions: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> UiState:
        """The saved state, or a fresh one."""
        try:
            data = json.loads((path or state_path()).read_text(encoding="utf-8"))
            history = [q for q in data.get("history", []) if isinstance(q, str)]
            positions = {str(k): str(v) for k, v in dict(data.get("positions", {})).items() if v}
        except (OSError, ValueError, TypeError, AttributeError):
            return cls()
        return cls(history[-HISTORY:], positions)

    def save(self, path: Path | None = None) -> None:
        """Write the state (atomically); problems are ignored."""
        path = path or state_path()
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".tmp")
            temporary.write_text(
                json.dumps({"history": self.history[-HISTORY:], "positions": self.positions}),
                encoding="utf-8",
            )
            os.replace(temporary, path)

    def remember(self, query: str) -> None:
        """Add a query to the history (most recent last, no duplicates)."""
        query = query.strip()
        if not query:
            return
        if query in self.history:
            self.history.remove(query)
        self.history.append(query)
        del self.history[:-HISTORY]
