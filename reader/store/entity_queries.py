"""Reading entities: one entity, an article's entities, the articles of an entity, counts."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from reader.dates import parse_date, period_start
from reader.model import EntityInfo, EntityKind, Mention
from reader.store.database import columns, fetch_all, fetch_one
from reader.store.query import HIDDEN, QueryError, entity_key
from reader.store.schema import SLOTS, TITLE

MISC = EntityKind.MISC.value


class EntityRow(NamedTuple):
    """An ``entities`` row as the reader shows it."""

    id: int
    name: str
    kind: str
    articles: int
    first_date: int | None
    last_date: int | None

    def info(self) -> EntityInfo:
        """The model record."""
        return EntityInfo(
            self.id,
            self.name,
            EntityKind(self.kind),
            self.articles,
            self.first_date,
            self.last_date,
        )


class CountedRow(NamedTuple):
    """An entity and a count (mentions in an article, or articles in a range)."""

    id: int
    name: str
    kind: str
    articles: int
    first_date: int | None
    last_date: int | None
    n: int

    def pair(self) -> tuple[EntityInfo, int]:
        """The entity record and the count."""
        return EntityRow(*self[:6]).info(), self.n


_ENTITY = columns(EntityRow)
_E = columns(EntityRow, "e")


def entity(conn: sqlite3.Connection, ref: int | str, kind: str | None = None) -> EntityInfo | None:
    """An entity by id, or by name (case/accent-insensitive; the most mentioned kind)."""
    if isinstance(ref, int):
        row = fetch_one(conn, EntityRow, f"SELECT {_ENTITY} FROM entities WHERE id = ?", (ref,))
    else:
        row = fetch_one(
            conn,
            EntityRow,
            f"SELECT {_ENTITY} FROM entities WHERE key = ? AND (?2 IS NULL OR kind = ?2) "
            f"ORDER BY kind = '{MISC}', articles DESC LIMIT 1",
            (entity_key(ref), kind),
        )
    if row is not None and row.articles == 0:
        # Counted at the end of a long extraction (the reader's runs in the background for
        # minutes on a large store): meanwhile its own mentions say, from the index.
        n, first, last = conn.execute(
            f"SELECT count(DISTINCT article), min(article) / {SLOTS}, max(article) / {SLOTS} "
            "FROM mentions WHERE entity = ?",
            (row.id,),
        ).fetchone()
        row = row._replace(articles=n, first_date=first, last_date=last)
    return None if row is None else row.info()


def counts_pending(conn: sqlite3.Connection) -> bool:
    """Whether some entities' article counts wait for the end of an extraction (running, or
    stopped before its count)."""
    return bool(
        conn.execute(
            "SELECT (SELECT entities_dirty FROM generation) "
            "OR EXISTS (SELECT 1 FROM entities WHERE articles = 0)"
        ).fetchone()[0]
    )


def entities_of(conn: sqlite3.Connection, rowid: int) -> list[tuple[EntityInfo, int]]:
    """An article's entities with their mention counts, most mentioned first."""
    rows = fetch_all(
        conn,
        CountedRow,
        f"SELECT {_E}, count(*) AS n FROM mentions m JOIN entities e ON e.id = m.entity "
        f"WHERE m.article = ? AND e.kind != '{MISC}' GROUP BY e.id ORDER BY n DESC, e.name",
        (rowid,),
    )
    return [r.pair() for r in rows]


def articles_with_entity(
    conn: sqlite3.Connection, entity_id: int, limit: int | None = None, hidden: bool = False
) -> list[int]:
    """Ids of the articles mentioning an entity, newest first (without the articles the
    ignore rules hide, when ``hidden``)."""
    skip = f"AND article NOT IN ({HIDDEN})" if hidden else ""
    rows = conn.execute(
        f"SELECT DISTINCT article FROM mentions WHERE entity = ? {skip} "
        "ORDER BY article DESC LIMIT ?",
        (entity_id, -1 if limit is None else limit),
    )
    return [r[0] for r in rows]


def timeline(conn: sqlite3.Connection, entity_id: int) -> list[tuple[str, int]]:
    """Articles mentioning an entity per month: ``[("2021-03", 4), …]``, oldest first."""
    rows = conn.execute(
        f"SELECT strftime('%Y-%m', article / {SLOTS}, 'unixepoch') AS month, "
        "count(DISTINCT article) FROM mentions WHERE entity = ? GROUP BY month ORDER BY month",
        (entity_id,),
    )
    return [(month, n) for month, n in rows]


def cooccurring(
    conn: sqlite3.Connection, entity_id: int, limit: int = 10, recent: int = 1000
) -> list[tuple[EntityInfo, int]]:
    """The entities that most often appear with this one, in its latest ``recent`` articles.

    Bounded so that a name found in tens of thousands of articles still answers at once.
    """
    rows = fetch_all(
        conn,
        CountedRow,
        "WITH latest AS (SELECT DISTINCT article FROM mentions WHERE entity = ?1 "
        "ORDER BY article DESC LIMIT ?2) "
        f"SELECT {_E}, count(DISTINCT m.article) AS n FROM latest "
        "JOIN mentions m ON m.article = latest.article AND m.entity != ?1 "
        f"JOIN entities e ON e.id = m.entity WHERE e.kind != '{MISC}' "
        "GROUP BY e.id ORDER BY n DESC, e.name LIMIT ?3",
        (entity_id, recent, limit),
    )
    return [r.pair() for r in rows]


def top_entities(
    conn: sqlite3.Connection, after: str | None = None, before: str | None = None, limit: int = 20
) -> list[tuple[EntityInfo, int]]:
    """The entities mentioned in the most articles within a date range.

    Without a range the stored counts answer at once (unless an extraction has not counted
    yet: they are then counted as with a range); with one, the mentions of the articles in
    the range are counted.
    """
    if after is None and before is None and not counts_pending(conn):
        rows = fetch_all(
            conn,
            CountedRow,
            f"SELECT {_ENTITY}, articles FROM entities WHERE kind != '{MISC}' "
            "ORDER BY articles DESC, name LIMIT ?",
            (limit,),
        )
        return [r.pair() for r in rows]
    lo, hi = _range(after, before)
    rows = fetch_all(
        conn,
        CountedRow,
        f"SELECT {_E}, count(DISTINCT m.article) AS n FROM mentions m "
        "JOIN entities e ON e.id = m.entity WHERE m.article >= ? AND m.article < ? "
        f"AND e.kind != '{MISC}' GROUP BY e.id ORDER BY n DESC, e.name LIMIT ?",
        (lo, hi, limit),
    )
    return [r.pair() for r in rows]


class MentionRow(NamedTuple):
    """A stored mention with its entity's kind."""

    start: int
    end: int
    kind: str
    entity: int


def mentions(
    conn: sqlite3.Connection, rowid: int, length: int | None = None, title: bool = False
) -> list[Mention]:
    """An article's typed mentions in its body (``title``: in its title, as offsets into
    ``clean_line(title)``), sorted, without overlaps, inside ``length`` if given."""
    # (a title's mentions are stored below 0, at TITLE + offset: see reader.store.entities)
    where, shift = ("m.start < 0", -TITLE) if title else ("m.start >= 0", 0)
    rows = fetch_all(
        conn,
        MentionRow,
        f'SELECT m.start + {shift}, m."end" + {shift}, e.kind, e.id FROM mentions m '
        f"JOIN entities e ON e.id = m.entity WHERE m.article = ? AND {where} ORDER BY m.start",
        (rowid,),
    )
    out: list[Mention] = []
    last_end = -1
    for r in rows:
        if r.kind == MISC or r.start < last_end or r.start >= r.end:
            continue  # untyped, overlapping or empty
        if length is not None and r.end > length:
            continue
        out.append(Mention(r.start, r.end, EntityKind(r.kind), r.entity))
        last_end = r.end
    return out


def _range(after: str | None, before: str | None) -> tuple[int, int]:
    """Article-id bounds for an ``after``/``before`` pair of dates at any precision."""
    bounds = []
    for value, default in ((after, -(1 << 62)), (before, 1 << 62)):
        if value is None:
            bounds.append(default)
            continue
        parsed = parse_date(value)
        if parsed is None:
            raise QueryError(f"{value!r} is not a date; try 2021-03")
        bounds.append(period_start(parsed) * SLOTS)
    return bounds[0], bounds[1]
