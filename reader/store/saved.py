"""Saved searches: a query under a name, listed with the feeds and opened like one."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from typing import NamedTuple

from reader.store.database import StoreError, columns, fetch_all
from reader.store.query import parse
from reader.textutil import clean_line


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A saved search with the number of articles it finds, and how many are unread."""

    name: str
    query: str
    total: int = 0
    unread: int = 0
    counted: bool = True  # False: listed without counting (``saved_searches(counts=False)``)


class SavedRow(NamedTuple):
    """A ``saved_searches`` row."""

    name: str
    query: str


class NoSuchSearch(StoreError):
    """No saved search has that name."""


def save(conn: sqlite3.Connection, name: str, query: str) -> bool:
    """Save (or replace) a search (inside the caller's transaction); True if the name is new.

    The query is parsed first: a malformed one raises QueryError and nothing is saved.
    """
    name = clean_line(name)
    if not name:
        raise ValueError("a saved search needs a name")
    parse(query, strict=True)
    new = conn.execute("SELECT 1 FROM saved_searches WHERE name = ?", (name,)).fetchone() is None
    conn.execute(
        "INSERT INTO saved_searches (name, query, added) VALUES (?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET query = excluded.query",
        (name, query, int(time.time())),
    )
    return new


def unsave(conn: sqlite3.Connection, name: str) -> str:
    """Forget a saved search (inside the caller's transaction); return its stored name.

    The name is cleaned as ``save`` cleans it, so the string that saved a search finds it.
    """
    row = conn.execute(
        "SELECT name FROM saved_searches WHERE name = ?", (clean_line(name),)
    ).fetchone()
    if row is None:
        raise NoSuchSearch(f"{name}: no saved search has that name (see `newsreader feeds`)")
    conn.execute("DELETE FROM saved_searches WHERE name = ?", (row[0],))
    return str(row[0])


def query_of(conn: sqlite3.Connection, name: str) -> str | None:
    """The query saved under ``name`` (as ``save`` would store the name: cleaned, any case),
    or None."""
    row = conn.execute(
        "SELECT query FROM saved_searches WHERE name = ?", (clean_line(name),)
    ).fetchone()
    return None if row is None else str(row[0])


def saved_searches(conn: sqlite3.Connection) -> list[SavedRow]:
    """Every saved search, by name."""
    return fetch_all(
        conn, SavedRow, f"SELECT {columns(SavedRow)} FROM saved_searches ORDER BY name"
    )
