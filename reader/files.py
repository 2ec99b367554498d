"""Reading a file a stranger may have put where a file was expected: a regular file only,
never more than asked for, and never an open that waits."""

from __future__ import annotations

import os
import stat


class NotRegular(Exception):
    """A file that is not read because it is not a regular file (the message says what)."""


def kind_problem(mode: int) -> str | None:
    """Why a file of this ``st_mode`` is not read (None: a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        kind = " (a named pipe)"
    elif stat.S_ISSOCK(mode):
        kind = " (a socket)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = " (a device)"
    elif stat.S_ISDIR(mode):
        kind = " (a folder)"
    else:
        kind = ""
    return f"not a regular file{kind}; not read"


# Opening never waits: a named pipe's open would wait for a writer forever (and a thread
# blocked there cannot be interrupted: the reader could not quit). Never a controlling tty.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def read_regular(path: str, limit: int) -> bytes:
    """At most ``limit`` bytes of the regular file at ``path``.

    Anything else (a named pipe, a socket, a device, also behind a symbolic link) is refused
    with NotRegular before it is opened, and again after (it may have been put in the file's
    place in between: opened without waiting, then asked what it is). Raises OSError with the
    system's reason when the file cannot be read.
    """
    problem = kind_problem(os.stat(path).st_mode)
    if problem is not None:
        raise NotRegular(problem)
    fd = os.open(path, _OPEN_FLAGS)
    with open(fd, "rb") as fh:  # closes fd
        problem = kind_problem(os.fstat(fd).st_mode)
        if problem is not None:
            raise NotRegular(problem)
        os.set_blocking(fd, True)  # a regular file after all: read it plainly
        return fh.read(limit)
