"""``python -m reader``: the same as the ``newsreader`` command."""

from reader.cli import run

run()
