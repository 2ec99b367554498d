"""Which program opens a link, and whether it needs the terminal (pure: nothing is run here).

The user's opener is ``$BROWSER`` (a ``os.pathsep``-separated list of commands, the first one
installed wins; ``%s`` stands for the address, else the address is appended), as Python's
``webbrowser`` and most Unix programs read it. A terminal browser (``w3m``, ``lynx``…) takes
over the terminal: the reader must suspend itself while it runs (``App.suspend()``) and run it
in the foreground; a graphical one runs in the background; with no ``$BROWSER`` the system's
default (``webbrowser.open``) is used.
"""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

TERMINAL_BROWSERS = frozenset(
    "w3m lynx links links2 elinks browsh carbonyl netrik retawq edbrowse cha chawan "
    "amfora bombadillo".split()
)
"""Programs that draw in the terminal they are started from."""

OPENABLE = ("http://", "https://", "mailto:", "ftp://", "gopher://", "gemini://")


class OpenerKind(StrEnum):
    """How a link is opened."""

    TERMINAL = "terminal"  # run argv in the foreground, the reader suspended
    GRAPHICAL = "graphical"  # run argv in the background
    SYSTEM = "system"  # no $BROWSER: webbrowser.open(url)


@dataclass(frozen=True, slots=True)
class Opener:
    """The command that opens one address (``argv`` empty for the system default)."""

    kind: OpenerKind
    argv: tuple[str, ...] = ()

    @property
    def terminal(self) -> bool:
        """Whether the reader must suspend itself while the command runs."""
        return self.kind == OpenerKind.TERMINAL


def is_terminal_program(command: str) -> bool:
    """Whether a command (``w3m``, ``/usr/bin/lynx -accept_all_cookies``) is a terminal
    browser."""
    try:
        words = shlex.split(command)
    except ValueError:
        return False
    return bool(words) and os.path.basename(words[0]) in TERMINAL_BROWSERS


def opener_for(
    url: str,
    environ: Mapping[str, str] | None = None,
    browser: str | None = None,
) -> Opener:
    """The opener of ``url``: ``browser`` if given, else the first installed command of
    ``$BROWSER``, else the system default.

    The address is one argument of the command (no shell), so nothing in it is interpreted.
    Raises ``ValueError`` for an address that is not a web, mail, FTP, Gopher or Gemini
    one (a ``file:`` or ``javascript:`` address from a feed, or one that would read as an
    option).
    """
    if not url.lower().startswith(OPENABLE) or any(ch.isspace() for ch in url):
        raise ValueError(f"not an address to open: {url[:80]!r}")
    spec = browser if browser is not None else (environ or os.environ).get("BROWSER", "")
    for entry in spec.split(os.pathsep):
        try:
            words = shlex.split(entry)
        except ValueError:
            continue
        if not words or shutil.which(words[0]) is None:
            continue
        if any("%s" in w for w in words):
            argv = [w.replace("%s", url) for w in words]
        else:
            argv = [*words, url]
        kind = OpenerKind.TERMINAL if is_terminal_program(entry) else OpenerKind.GRAPHICAL
        return Opener(kind, tuple(argv))
    return Opener(OpenerKind.SYSTEM)
