"""The ``newsreader`` command: the reader by default, plus non-interactive commands.

One module per group of commands (``indexing``, ``articles``, ``feeds``, ``entities``,
``reader``); each registers its sub-commands and their handlers. ``common`` holds what they
share (the store opener, one-line errors). Nothing here imports the UI until the reader opens.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence

from reader import __version__
from reader.cli import articles, entities, feeds, indexing, show
from reader.cli.common import Failure, err, exits_fast, guarded
from reader.cli.parser import Parser

GROUPS = (indexing, articles, show, entities, feeds)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every sub-command."""
    parser = Parser(prog="newsreader", description="A keyboard-driven terminal news reader.")
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for group in GROUPS:
        group.register(sub)
    return parser


def commands(parser: argparse.ArgumentParser) -> list[tuple[str, str]]:
    """(name, one-line help) of every sub-command, in the order they were registered."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return [(c.dest, c.help or "") for c in action._choices_actions]
    return []


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``newsreader`` command line; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    names = [name for name, _ in commands(parser)]
    if argv and argv[0] in names:
        args = parser.parse_args(argv)
        return guarded(args.handler, args)
    if argv and argv[0] == "--version":
        print(f"newsreader {__version__}")
        return 0
    from reader.cli.reader import cmd_reader

    return cmd_reader(argv, commands(parser))


def run() -> None:
    """The ``newsreader`` console script: ``main``, then exit with its status.

    Ctrl-C ends any command with one line and status 130; everything committed stays.
    """
    signal.signal(signal.SIGINT, signal.default_int_handler)  # KeyboardInterrupt from here
    try:
        code = main()
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
