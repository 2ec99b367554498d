"""An argument parser whose errors are one line, as every newsreader error is."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn


class Parser(argparse.ArgumentParser):
    """``argparse`` with one-line usage errors (exit 2) that point at ``--help``."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("newsreader").strip()  # "" for the reader itself
        where = f"{command}: " if command else ""
        print(f"newsreader: {where}{message} (see `{self.prog} --help`)", file=sys.stderr)
        sys.exit(2)
