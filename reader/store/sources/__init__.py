"""Loaders: one module per input format, each turning bytes into ParsedArticle records."""

from __future__ import annotations


class SourceError(Exception):
    """A file or URL that could not be read or parsed; the message is the one-line reason."""


class Skipped(Exception):
    """A file that holds no dated article (empty, or no date line); not an error."""
