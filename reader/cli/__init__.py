"""The ``newsreader`` command: the reader by default, plus non-interactive commands.

One module per group of commands (``indexing``, ``articles``, ``show``, ``entities``,
``feeds``, ``reader``); each registers its sub-commands and their handlers. ``common`` holds
what they share (the store opener, one-line errors). Only the module of the command given is
imported (``newsreader entities`` loads no store), and nothing imports the UI until the reader
opens.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

LAUNCHED = time.time()  # about when this process started: before its imports, which vary
INTERRUPTED = b"newsreader: interrupted; everything committed so far is kept\n"


def _interrupted_early(signum: int, frame: object) -> None:
    """Ctrl-C while the command is still starting (importing): nothing is written yet."""
    os.write(2, INTERRUPTED)
    os._exit(130)


signal.signal(signal.SIGINT, _interrupted_early)  # until run() hands over to KeyboardInterrupt


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP (the terminal closed) during a command: ended as Ctrl-C ends it,
    with what was committed kept, the worker processes shut down and one line."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminated(signum: int, frame: object) -> None:
    raise Terminated(signum)


STOPPED_BY = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))


import argparse  # noqa: E402
import importlib  # noqa: E402
from collections.abc import Sequence  # noqa: E402

from reader import __version__  # noqa: E402
from reader.cli.common import Failure, err, exits_fast, guarded, is_utf8  # noqa: E402
from reader.cli.parser import Parser  # noqa: E402

# command → the module that registers it, in the order `--help` lists them
COMMANDS = {
    "index": "indexing",
    "search": "articles",
    "mark-read": "articles",
    "save": "articles",
    "unsave": "articles",
    "show": "show",
    "entities": "entities",
    "add": "feeds",
    "remove": "feeds",
    "feeds": "feeds",
    "refresh": "feeds",
    "import-opml": "feeds",
    "export-opml": "feeds",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every sub-command (or only of those of the module ``only``)."""
    parser = Parser(prog="newsreader", description="A keyboard-driven terminal news reader.")
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in dict.fromkeys(COMMANDS.values()):
        if only is None or name == only:
            importlib.import_module(f"reader.cli.{name}").register(sub)
    return parser


def commands(parser: argparse.ArgumentParser) -> list[tuple[str, str]]:
    """(name, one-line help) of every sub-command, in the order they were registered."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return [(c.dest, c.help or "") for c in action._choices_actions]
    return []


def subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    """The parser of one sub-command."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices[name]
    return parser


# the reader's options (`newsreader --help`) and how many values each takes
READER_OPTIONS = {"--db": 1, "--theme": 1, "--backend": 1, "--rebuild": 0, "--print-keymap": 0}


def command_first(argv: list[str]) -> list[str]:
    """The reader's options may come before a command (``newsreader --db x.db feeds``), as
    ``--help`` lists them among the reader's: those the command takes too (``--db``,
    ``--backend``, ``--rebuild``) are moved after it. One it does not take (``newsreader
    --theme dark feeds``) is a usage error saying so, unless the command's name is also a
    path (the reader then opens on it): it read "no such command or path: feeds (did you mean
    `newsreader feeds`?)"."""
    lead: list[str] = []
    rest = argv
    while rest and (name := rest[0].split("=", 1)[0]) in READER_OPTIONS:
        take = 1 if "=" in rest[0] or not READER_OPTIONS[name] else 2
        lead, rest = lead + rest[:take], rest[take:]
    if not lead or not rest or rest[0] not in COMMANDS:
        return argv
    command = rest[0]
    takes = subparser(build_parser(COMMANDS[command]), command)._option_string_actions
    given = [a.split("=", 1)[0] for a in lead if a.split("=", 1)[0] in READER_OPTIONS]
    foreign = [name for name in dict.fromkeys(given) if name not in takes]
    if not foreign:  # (right after it: behind a `--` they would be taken for the QUERY)
        return [command, *lead, *rest[1:]]
    if os.path.exists(command):
        return argv
    names = " and ".join(foreign)
    raise Failure(
        f"{names} {'goes' if len(foreign) == 1 else 'go'} with the reader, not with "
        f"`{command}` (see `newsreader {command} --help`)",
        2,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``newsreader`` command line; return the exit status.

    The command's ``args.started`` is when it was asked for: the process's start for its own
    command line (``argv`` None), else now. Two refreshes started at the same moment differ
    by their imports by up to half a second on a busy machine, which is longer than a
    refresh of a fast feed takes (see ``Refresher._moved``)."""
    started = LAUNCHED if argv is None else time.time()
    try:
        argv = command_first(list(sys.argv[1:] if argv is None else argv))
    except Failure as exc:
        err(str(exc))
        return exc.code
    if argv and argv[0] in COMMANDS:
        parser = build_parser(COMMANDS[argv[0]])
        args, extra = parser.parse_known_args(argv)
        if extra:  # said by the command's own parser, so the pointer names its --help
            subparser(parser, argv[0]).error(f"unrecognized arguments: {' '.join(extra)}")
        args.started = started
        if threading.current_thread() is threading.main_thread():
            for signum in STOPPED_BY:
                signal.signal(signum, _terminated)
        return guarded(args.handler, args)
    if argv and argv[0] == "--version":
        print(f"newsreader {__version__}")
        return 0
    from reader.cli.reader import cmd_reader

    return cmd_reader(argv, commands(build_parser()))


def usable_streams() -> None:
    """Standard output and error that printing cannot fail on: a closed one (`>&-`) is
    /dev/null (print() on None was an AttributeError traceback), and text the locale's
    encoding cannot hold (Latin-1, ASCII) is written with ``?`` for what it lacks (a
    UnicodeEncodeError traceback at the first ’). JSON is UTF-8 whatever the locale
    (``common.write_json``)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
        elif not is_utf8(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace" if name == "stdout" else "backslashreplace")


def run() -> None:
    """The ``newsreader`` console script: ``main``, then exit with its status.

    Ctrl-C ends any command with one line and status 130; everything committed stays.
    """
    signal.signal(signal.SIGINT, signal.default_int_handler)  # KeyboardInterrupt from here
    usable_streams()
    try:
        code = main()
    except Terminated as exc:
        for signum in (signal.SIGINT, *STOPPED_BY):  # (a second one must not cut the exit)
            signal.signal(signum, signal.SIG_IGN)
        name = signal.Signals(exc.signum).name
        err(f"stopped by {name}; everything committed so far is kept")
        code = 128 + exc.signum
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the exit
        err("interrupted; everything committed so far is kept")
        code = 130
    except BrokenPipeError:  # `newsreader search … | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except Failure as exc:
        err(str(exc))
        code = exc.code
    if exits_fast():
        # Nothing left to clean up: leave at once (see common.exit_fast).
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (BrokenPipeError, OSError):
            pass
        os._exit(code)
    sys.exit(code)
