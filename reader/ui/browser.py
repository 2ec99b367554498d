"""Opening a link from the reader with the user's browser (``$BROWSER``, else the system's).

A terminal browser (w3m, lynx…) needs the terminal: the reader suspends itself while it runs
and comes back clean; a graphical one runs on its own; with no ``$BROWSER`` the system's
default opens the address.
"""

from __future__ import annotations

import subprocess
import webbrowser

from textual.app import App, SuspendNotSupported

from reader.opener import OpenerKind, opener_for
from reader.textutil import os_reason


def open_link(app: App[object], url: str) -> str | None:
    """Open ``url``; return why not, in one line, when it cannot be opened."""
    try:
        opener = opener_for(url)
    except ValueError as exc:
        return str(exc)
    try:
        if opener.kind == OpenerKind.TERMINAL:
            with app.suspend():
                subprocess.run(opener.argv, check=False)
        elif opener.kind == OpenerKind.GRAPHICAL:
            subprocess.Popen(
                opener.argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        elif not webbrowser.open(url):
            return "no browser to open it (set $BROWSER)"
    except SuspendNotSupported:
        return f"{opener.argv[0]} needs the terminal, which this reader cannot hand over here"
    except OSError as exc:
        return f"{opener.argv[0] if opener.argv else 'the browser'}: {os_reason(exc)}"
    return None
