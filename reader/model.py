"""Plain records shared by every layer (no I/O, no UI)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Protocol


class DatePrecision(IntEnum):
    """How much of an article's date is known."""

    YEAR = 1
    MONTH = 2
    DAY = 3
    MINUTE = 4
    SECOND = 5


class EntityKind(StrEnum):
    """Types of named entities. MISC: a name the extractor could not type with confidence;
    stored so that other articles can type it, never shown or scored."""

    PERSON = "PERSON"
    ORG = "ORG"
    PLACE = "PLACE"
    MONEY = "MONEY"
    DATE = "DATE"
    MISC = "MISC"


SHOWN_KINDS = (EntityKind.PERSON, EntityKind.ORG, EntityKind.PLACE)
"""The kinds the reader highlights and lists (MISC is kept for consolidation only)."""


class DatedBy(StrEnum):
    """Where a feed article's date came from."""

    PUBLISHED = "published"
    UPDATED = "updated"
    FEED = "feed"  # the feed's own date
    FIRST_SEEN = "first-seen"  # no date anywhere: when we first saw the item


class FullTextState(StrEnum):
    """Where an article's full text stands (feeds whose items carry only a teaser)."""

    PENDING = "pending"  # to be fetched (a refresh of its feed fetches it)
    DONE = "done"  # the body is the article extracted from its page
    FAILED = "failed"  # the body is the feed's teaser; ``full_text_note`` says why


@dataclass(frozen=True, slots=True)
class Enclosure:
    """A file attached to a feed item (a podcast episode, a video, a PDF, an image).

    ``length`` is in bytes and ``duration`` in seconds, None when the feed does not say.
    """

    url: str
    type: str | None = None
    length: int | None = None
    duration: int | None = None

    def record(self) -> dict[str, str | int | None]:
        """The JSON form: ``{url, type, length, duration}``."""
        return {
            "url": self.url,
            "type": self.type,
            "length": self.length,
            "duration": self.duration,
        }


class FileStatus(StrEnum):
    """What the last indexing run made of a file."""

    OK = "ok"
    SKIPPED = "skipped"  # holds no dated article (empty, no date line): not an error
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class DatedValue:
    """An aware UTC datetime and the precision it was given at."""

    when: datetime
    precision: DatePrecision

    def iso(self) -> str:
        """ISO 8601 truncated to the known precision, e.g. ``2021-03``."""
        w = self.when
        match self.precision:
            case DatePrecision.YEAR:
                return f"{w.year:04d}"
            case DatePrecision.MONTH:
                return f"{w.year:04d}-{w.month:02d}"
            case DatePrecision.DAY:
                return f"{w.year:04d}-{w.month:02d}-{w.day:02d}"
            case DatePrecision.MINUTE:
                return f"{w.year:04d}-{w.month:02d}-{w.day:02d}T{w.hour:02d}:{w.minute:02d}Z"
            case _:
                return (
                    f"{w.year:04d}-{w.month:02d}-{w.day:02d}"
                    f"T{w.hour:02d}:{w.minute:02d}:{w.second:02d}Z"
                )


@dataclass(frozen=True, slots=True)
class Mention:
    """A typed span of an article's body: ``body[start:end]``."""

    start: int
    end: int
    kind: EntityKind | str
    entity_id: int | None = None


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """What a loader produces, before the store gives it an identity."""

    title: str
    body: str
    date: DatedValue
    language: str
    link: str | None = None
    source: str | None = None
    guid: str | None = None
    author: str | None = None  # names, comma-separated
    enclosures: tuple[Enclosure, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article."""

    rowid: int
    uid: str
    source: str
    title: str
    date: DatedValue
    language: str
    path: str | None
    link: str | None
    read: bool = False
    starred: bool = False
    body: str = ""
    dated_by: DatedBy | None = None  # feed articles only
    also: tuple[str, ...] = ()  # other sources that carry the same item
    author: str | None = None  # names, comma-separated (feeds only)
    enclosures: tuple[Enclosure, ...] = ()  # loaded with the body, not with headlines
    full_text: FullTextState | None = None  # None: the body is what the feed gave
    full_text_note: str | None = None  # why the last full-text fetch failed


@dataclass(frozen=True, slots=True)
class EntityInfo:
    """A stored entity with the number of articles that mention it and their date range."""

    id: int
    name: str
    kind: EntityKind
    articles: int
    first: int | None  # epoch seconds of the first and last article's period
    last: int | None


class Extractor(Protocol):
    """What the store needs of an entity extractor."""

    name: str

    def extract(
        self, text: str, lang: str | None = None, known: Mapping[str, str] | None = None
    ) -> list[Mention]:
        """Typed mentions in ``text`` (``lang``: a language code, or None to detect it;
        ``known``: names already typed elsewhere in the store, with their kinds)."""
        ...
