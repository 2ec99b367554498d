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
        hint = f"see `{self.prog} --help`"
        negated = [
            a for a in sys.argv[1:] if len(a) > 2 and a[0] == "-" and a[1] not in "-0123456789"
        ]
        if negated and any(a.dest == "query" for a in self._actions):  # `search -musk`
            hint = (
                "options go before --, the QUERY after it"
                if "--" in sys.argv
                else f"a QUERY that starts with '-' goes last, after --: "
                f"{self.prog} [options] -- {negated[0]}"
            )
        print(f"newsreader: {where}{message} ({hint})", file=sys.stderr)
        sys.exit(2)
