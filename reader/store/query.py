"""The query language: a recursive-descent parser and a compiler to SQL + FTS5.

Grammar (``OR`` binds looser than juxtaposition; ``AND`` is optional)::

    query  := or EOF
    or     := and ("OR" and)*
    and    := (unary ["AND"])*
    unary  := "-" unary | atom
    atom   := "(" or ")" | FILTER | PHRASE | WORD

User text never reaches SQL (only ``?`` parameters) and reaches FTS5 only as double-quoted
tokens made of letters and digits, so no input can produce an FTS5 or SQLite syntax error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from reader.dates import parse_date, period_start
from reader.model import EntityKind
from reader.store.schema import LAST_WORD, SLOTS
from reader.textutil import INVISIBLE, fold

PERSON = EntityKind.PERSON.value
FILTERS = ("source", "feed", "after", "before", "entity", "author", "is")
IS_VALUES = {
    "unread": "a.read = 0",
    "read": "a.read = 1",
    "starred": "a.starred = 1",
    "unstarred": "a.starred = 0",
    "ignored": "",  # the articles the config's ignore rules hide (see Context.hidden)
}
HIDDEN = "SELECT id FROM temp.hidden"  # the ids the ignore rules hide, kept by the store


class QueryError(ValueError):
    """A malformed query; the message is one line meant for the person typing."""


# -- syntax tree ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Term:
    """Words that must appear in sequence; ``prefix`` makes the last one a prefix."""

    tokens: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Filter:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


Node = Term | Filter | Not | And | Or

# -- lexer ------------------------------------------------------------------------------------
_TOKEN_CHARS = re.compile(r"[^\W_]+")
_FILTER = re.compile(r"([^\W\d_]+):")


@dataclass(frozen=True, slots=True)
class _Lex:
    kind: str  # word | phrase | filter | lparen | rparen | or | and | not
    text: str = ""
    value: str = ""


def _read_quoted(s: str, i: int) -> tuple[str, int]:
    """Text up to the closing quote (or the end, for a lone quote), and the index after it."""
    end = s.find('"', i)
    return (s[i:], len(s)) if end < 0 else (s[i:end], end + 1)


def _lex(s: str) -> list[_Lex]:
    out: list[_Lex] = []
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            text, i = _read_quoted(s, i + 1)
            out.append(_Lex("phrase", text))
        elif ch in "()":
            out.append(_Lex("lparen" if ch == "(" else "rparen"))
            i += 1
        elif ch == "-" and i + 1 < n and not s[i + 1].isspace():
            out.append(_Lex("not"))
            i += 1
        else:
            m = _FILTER.match(s, i)
            if m:
                name, i = m.group(1), m.end()
                if i < n and s[i] == '"':
                    value, i = _read_quoted(s, i + 1)
                else:
                    j = i
                    while j < n and not s[j].isspace() and s[j] not in "()":
                        j += 1
                    value, i = s[i:j], j
                out.append(_Lex("filter", name, value))
                continue
            j = i
            while j < n and not s[j].isspace() and s[j] not in '()"':
                j += 1
            word, i = s[i:j], j
            if word == "OR":
                out.append(_Lex("or"))
            elif word == "AND":
                out.append(_Lex("and"))
            else:
                out.append(_Lex("word", word))
    return out


# -- parser -----------------------------------------------------------------------------------
class _Parser:
    def __init__(self, lexemes: list[_Lex]) -> None:
        self.lx = lexemes
        self.i = 0

    def peek(self) -> _Lex | None:
        return self.lx[self.i] if self.i < len(self.lx) else None

    def parse(self) -> Node:
        node = self.or_()
        while self.peek() is not None:  # stray ")": skip it and go on
            self.i += 1
            more = self.or_()
            node = _and([node, more])
        return node

    def or_(self) -> Node:
        parts = [self.and_()]
        while (lx := self.peek()) is not None and lx.kind == "or":
            self.i += 1
            parts.append(self.and_())
        parts = [p for p in parts if p != And(())]
        if not parts:
            return And(())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_(self) -> Node:
        parts: list[Node] = []
        while (lx := self.peek()) is not None and lx.kind not in ("or", "rparen"):
            if lx.kind == "and":
                self.i += 1
                continue
            node = self.unary()
            if node is not None:
                parts.append(node)
        return _and(parts)

    def unary(self) -> Node | None:
        lx = self.lx[self.i]
        if lx.kind == "not":
            self.i += 1
            if self.peek() is None or self.peek().kind in ("or", "rparen", "and"):  # type: ignore[union-attr]
                return None
            child = self.unary()
            return None if child is None else Not(child)
        return self.atom()

    def atom(self) -> Node | None:
        lx = self.lx[self.i]
        self.i += 1
        if lx.kind == "lparen":
            node = self.or_()
            if (nxt := self.peek()) is not None and nxt.kind == "rparen":
                self.i += 1
            return None if node == And(()) else node
        if lx.kind == "filter":
            return _filter(lx.text, lx.value)
        if lx.kind in ("word", "phrase"):
            return _term(lx.text, allow_prefix=lx.kind == "word")
        return None


def _and(parts: list[Node]) -> Node:
    parts = [p for p in parts if p != And(())]
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def _term(text: str, allow_prefix: bool) -> Term | None:
    text = unicodedata.normalize("NFC", text)
    tokens = tuple(_TOKEN_CHARS.findall(text))
    if not tokens:
        return None
    prefix = allow_prefix and text.rstrip().endswith("*") and bool(_TOKEN_CHARS.search(text[-2:]))
    return Term(tokens, prefix)


def _filter(name: str, value: str) -> Filter:
    key = name.lower()
    if key not in FILTERS:
        known = ", ".join(f"{f}:" for f in FILTERS)
        raise QueryError(f"unknown filter '{name}:'; the filters are {known}")
    value = value.strip()
    if not value:
        raise QueryError(f"'{key}:' needs a value, e.g. {_EXAMPLES[key]}")
    if key in ("after", "before") and parse_date(value) is None:
        raise QueryError(f"'{key}:{value}' is not a date; try {_EXAMPLES[key]}")
    if key == "is" and value.lower() not in IS_VALUES:
        raise QueryError(f"'is:{value}' is unknown; use " + ", ".join(f"is:{v}" for v in IS_VALUES))
    return Filter(key, value)


_EXAMPLES = {
    "source": "source:lemonde",
    "feed": "feed:lemonde (a subscription's name, title or address)",
    "after": "after:2021-03",
    "before": "before:2022",
    "entity": 'entity:"Elon Musk"',
    "author": 'author:"Jane Doe"',
    "is": "is:unread",
}


_TRAILING_OPERATOR = re.compile(r"(?:\s+(?:OR|AND))+$")


def as_you_type(text: str) -> str:
    """The query to run while ``text`` is being typed: the unfinished last word is a prefix.

    ``"xia"`` searches ``xia*``, ``entity:Merk`` ``entity:Merk*`` (and ``entity:"Angela Mer``
    ``entity:"Angela Mer*"``); a trailing space, a closed phrase, another filter or an
    operator leave the text as it is. A word of fewer than three letters (whose prefix would
    match most of a large store) is searched as it is alone, and left out after other words
    (``tesla m`` searches ``tesla``).
    """
    if not text or not text[-1].isalnum():
        return text
    if text.count('"') % 2:  # a phrase or a quoted name being typed
        opened = text.rfind('"')
        name = text[opened + 1 :]
        if text[:opened].endswith("entity:") and len(name.strip()) >= 3:
            return text + '*"'  # `entity:"Angela Mer` lists Angela Merkel's articles already
        return text
    last = text.split()[-1]
    value = last.lstrip("-(").removeprefix("entity:")
    if value != last.lstrip("-(") and len(value) >= 3 and '"' not in value:
        return text + "*"  # `entity:Merk`: the names that start so, people's last names too
    if ":" in last or '"' in last or last in ("OR", "AND"):
        return text
    if len(last.lstrip("-(")) < 3:
        # After other words, an unfinished word of one or two letters is left out until it
        # is longer: searched as typed, `tesla m` emptied the list at each new word.
        head = _TRAILING_OPERATOR.sub("", text[: len(text) - len(last)].rstrip())
        return head if head not in ("", "OR", "AND") and "(" not in last else text
    return text + "*"


_INVISIBLE = re.compile(f"[{INVISIBLE}]")  # taken out of stored text too (``clean``)


def parse(text: str, strict: bool = False) -> Node:
    """Parse a query; raise QueryError with a one-line message when it is malformed.

    A bad filter is always an error. ``strict`` (the command line, saved searches, ignore
    rules) also refuses what the reader lets pass while a query is being typed: an unclosed
    or stray parenthesis, an operator with nothing on one side, a query with nothing to
    search for.
    """
    lexemes = _lex(_INVISIBLE.sub("", text))  # (as the text was stored: ``textutil.clean``)
    _check_size(lexemes)
    node = _Parser(lexemes).parse()
    if strict:
        _check(lexemes, text, node)
    return node


_OPERATOR = {"or": "OR", "and": "AND"}
MAX_DEPTH = 32  # parentheses and '-' inside one another
MAX_TERMS = 512  # words, phrases and filters: SQLite's expression depth ends at 1,000
MAX_EXCLUDED = 64  # '-' terms: FTS5's parser overflowed at 96 after a word


def _check_size(lexemes: list[_Lex]) -> None:
    """Refuse a query too deep or too long to be run (it would exhaust the parser's stack or
    SQLite's expression depth) in one line, before it is parsed."""
    depth = deepest = terms = 0
    for lx in lexemes:
        if lx.kind == "lparen":
            depth += 1
        elif lx.kind == "rparen":
            depth = max(0, depth - 1)
        elif lx.kind == "not":
            deepest = max(deepest, depth + 1)  # (a '-' counts till the term it negates)
            continue
        else:
            terms += lx.kind in ("word", "phrase", "filter")
        deepest = max(deepest, depth)
    nots = run = 0
    for lx in lexemes:
        run = run + 1 if lx.kind in ("not", "lparen") else 0
        nots = max(nots, run)
    if max(deepest, nots) > MAX_DEPTH:
        raise QueryError(f"the query is nested more than {MAX_DEPTH} deep")
    if terms > MAX_TERMS:
        raise QueryError(f"the query has more than {MAX_TERMS} terms ({terms:,})")
    excluded = sum(lx.kind == "not" for lx in lexemes)
    if excluded > MAX_EXCLUDED:
        raise QueryError(f"the query excludes more than {MAX_EXCLUDED} terms ({excluded:,})")


def _check(lexemes: list[_Lex], text: str, node: Node) -> None:
    depth = 0
    for k, lx in enumerate(lexemes):
        before = lexemes[k - 1].kind if k else None
        after = lexemes[k + 1].kind if k + 1 < len(lexemes) else None
        if lx.kind == "lparen":
            depth += 1
            if after == "rparen":
                raise QueryError("empty parentheses '()'")
        elif lx.kind == "rparen":
            depth -= 1
            if depth < 0:
                raise QueryError("')' without an opening '('")
        elif lx.kind in _OPERATOR:
            word = _OPERATOR[lx.kind]
            alone_before = before in (None, "or", "and", "lparen", "not")
            if alone_before or after in (None, "or", "and", "rparen"):
                raise QueryError(f"'{word}' needs a term on each side, e.g. tesla {word} byd")
        elif lx.kind == "not" and after in (None, "or", "and", "rparen"):
            raise QueryError("'-' needs a word after it, e.g. tesla -musk")
    if depth > 0:
        raise QueryError("'(' is never closed")
    if node == And(()) and text.strip():
        raise QueryError(f"nothing to search for in {text.strip()!r}: no letter or digit")


# -- compiler ---------------------------------------------------------------------------------
@dataclass
class _Sql:
    clause: str
    params: list[object]


def _fts_term(t: Term) -> str:
    return '"' + " ".join(t.tokens) + '"' + ("*" if t.prefix else "")


_FTS_IN = "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
_FTS_OUT = "a.id NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
# For the articles of the read log only (``logged``): their text is in ``temp.logged_fts``,
# indexed as articles_fts is (reader.store.counts.load_logged).
LOGGED_TEXT = "temp.logged_fts"
_FTS_IN_LOGGED = f"a.id IN (SELECT rowid FROM {LOGGED_TEXT} WHERE logged_fts MATCH ?)"
_FTS_OUT_LOGGED = f"a.id NOT IN (SELECT rowid FROM {LOGGED_TEXT} WHERE logged_fts MATCH ?)"


@dataclass(frozen=True)
class Context:
    """What compiling needs from the store, asked only when a query uses it."""

    sources: Callable[[], Iterable[str]] = list
    """The stored source names (for ``source:``)."""
    shared: Callable[[], Iterable[str]] = tuple
    """Sources that also carry articles first seen under another source (feeds sharing items)."""
    feeds: Callable[[str], list[int]] = lambda name: []
    """The subscription ids a ``feed:`` name means (QueryError when it is ambiguous)."""
    authors: Callable[[], Iterable[str]] = tuple
    """The stored author keys (for ``author:``)."""
    hidden: bool = False
    """Ignore rules are in force: their matches (``HIDDEN``) are left out unless the query
    says ``is:ignored``."""


class _Compiler:
    def __init__(self, context: Context, logged: bool = False) -> None:
        self.logged = logged
        self.fts_in, self.fts_out = (
            (_FTS_IN_LOGGED, _FTS_OUT_LOGGED) if logged else (_FTS_IN, _FTS_OUT)
        )
        self.context = context
        self._sources = context.sources
        self._shared = context.shared
        self._authors = context.authors

    @property
    def sources(self) -> list[str]:
        """Source names, fetched only when a ``source:`` filter needs them."""
        if not hasattr(self, "_names"):
            self._names = list(self._sources())
        return self._names

    def fts_or_sql(self, node: Node) -> str | _Sql:
        """An FTS5 expression for pure text nodes, else an SQL clause."""
        match node:
            case Term():
                return _fts_term(node)
            case Filter():
                return self.filter(node)
            case Not(child):
                inner = self.fts_or_sql(child)
                if isinstance(inner, str):
                    return _Sql(self.fts_out, [inner])
                return _Sql(f"NOT ({inner.clause})", inner.params)
            case Or(children):
                parts = [self.fts_or_sql(c) for c in children]
                if all(isinstance(p, str) for p in parts):
                    return " OR ".join(f"({p})" for p in parts)
                sqls = [self.as_sql(p) for p in parts]
                return _Sql(
                    "(" + " OR ".join(s.clause for s in sqls) + ")",
                    [x for s in sqls for x in s.params],
                )
            case And(children):
                fts, sql = self.split_and(children)
                if not sql and fts is not None:
                    return fts
                if fts is not None:
                    sql.insert(0, _Sql(self.fts_in, [fts]))
                if not sql:
                    return _Sql("1", [])
                return _Sql(
                    "(" + " AND ".join(s.clause for s in sql) + ")",
                    [x for s in sql for x in s.params],
                )
        raise AssertionError(node)

    def split_and(self, children: Iterable[Node]) -> tuple[str | None, list[_Sql]]:
        """Positive text in one FTS5 expression, negated text as NOT, the rest as SQL."""
        positive: list[str] = []
        negative: list[str] = []
        sql: list[_Sql] = []
        for child in children:
            if isinstance(child, Not) and isinstance(inner := self.fts_or_sql(child.child), str):
                negative.append(inner)
                continue
            part = self.fts_or_sql(child)
            (positive if isinstance(part, str) else sql).append(part)  # type: ignore[arg-type]
        if not positive:
            sql.extend(_Sql(self.fts_out, [n]) for n in negative)
            return None, sql
        expr = " AND ".join(f"({p})" for p in positive)
        for n in negative:
            expr = f"({expr}) NOT ({n})"
        return expr, sql

    def as_sql(self, part: str | _Sql) -> _Sql:
        return _Sql(self.fts_in, [part]) if isinstance(part, str) else part

    def filter(self, f: Filter) -> _Sql:
        if f.name == "is":
            state = f.value.lower()
            if state == "ignored":
                return _Sql(f"a.id IN ({HIDDEN})" if self.context.hidden else "0", [])
            return _Sql(IS_VALUES[state], [])
        if f.name == "feed":
            ids: list[object] = list(self.context.feeds(f.value))
            if not ids:
                return _Sql("0", [])
            origins = [f"feed:{i}" for i in ids]
            if self.logged:  # a lookup in origins(article, origin) per logged article
                return _Sql(
                    f"EXISTS (SELECT 1 FROM origins WHERE article = a.id AND origin IN "
                    f"({','.join('?' * len(origins))}))",
                    list(origins),
                )
            return _Sql(
                f"a.id IN (SELECT article FROM origins WHERE origin IN "
                f"({','.join('?' * len(origins))}))",
                list(origins),
            )
        if f.name in ("after", "before"):
            value = parse_date(f.value)
            assert value is not None  # checked by the parser
            bound = period_start(value) * SLOTS
            return _Sql("a.id >= ?" if f.name == "after" else "a.id < ?", [bound])
        if f.name == "source":
            names: list[object] = list(source_matches(f.value, self.sources))
            if not names:
                return _Sql("0", [])
            marks = ",".join("?" * len(names))
            shared = set(self._shared())
            also: list[object] = [n for n in names if n in shared]
            if not also:
                return _Sql(f"a.source IN ({marks})", names)
            return _Sql(  # articles whose other feeds carry this source too
                f"(a.source IN ({marks}) OR a.id IN (SELECT article FROM origins "
                f"WHERE source IN ({','.join('?' * len(also))})))",
                names + also,
            )
        if f.name == "author":
            keys: list[object] = list(author_matches(f.value, self._authors()))
            if not keys:
                return _Sql("0", [])
            return _Sql(f"a.author_key IN ({','.join('?' * len(keys))})", keys)
        named, params = _entity_names(f.value)
        if self.logged:  # one lookup in mentions(entity, article) per logged article
            return _Sql(
                "EXISTS (SELECT 1 FROM mentions WHERE article = a.id AND entity IN "
                f"(SELECT id FROM entities WHERE {named}))",
                params,
            )
        return _Sql(
            "a.id IN (SELECT m.article FROM mentions m WHERE m.entity IN "
            f"(SELECT id FROM entities WHERE {named}))",
            params,
        )


_PAST = "\U0010ffff"  # after every character: ``key < prefix + _PAST`` ends a prefix's range


def _entity_names(value: str) -> tuple[str, list[object]]:
    """The entities an ``entity:`` value names, as a condition on the entities table: the
    name itself, or a person whose name ends with it ("Merkel": "Angela Merkel", "de Gaulle":
    "Charles de Gaulle"); with a trailing ``*`` (typed, or added while typing), the names
    that start with it, and people whose last name does. Each is a range of an index (the
    keys', or migration 14's of people's last words)."""
    if value.endswith("*") and value.rstrip("*"):
        key = entity_key(value.rstrip("*"))
        if " " in key:
            return "key >= ? AND key < ?", [key, key + _PAST]
        return (
            f"(key >= ? AND key < ?) OR (kind = '{PERSON}' AND {LAST_WORD} >= ? "
            f"AND {LAST_WORD} < ?)",
            [key, key + _PAST, key, key + _PAST],
        )
    key = entity_key(value)
    named = (
        f"key = ? OR (kind = '{PERSON}' AND {LAST_WORD} = ? "
        "AND substr(key, -length(?) - 1) = ' ' || ?)"
    )
    return named, [key, key.rsplit(" ", 1)[-1], key, key]


def author_key(author: str | None) -> str | None:
    """The folded form ``author:`` looks names up by: one name a line (``Ann, Ben`` →
    ``ann\nben``); None for no author."""
    if not author:
        return None
    names = [" ".join(fold(n).split()) for n in author.split(",")]
    return "\n".join(n for n in names if n) or None


def source_matches(wanted: str, names: Iterable[str]) -> list[str]:
    """The source names ``source:wanted`` selects: those equal to it (case- and
    accent-insensitively), else those that start with it."""
    wanted = fold(wanted)
    names = list(names)
    return [s for s in names if fold(s) == wanted] or [
        s for s in names if fold(s).startswith(wanted)
    ]


def resolutions(node: Node, context: Context | None = None) -> str:
    """What the query's ``source:`` and ``author:`` filters select among the names stored
    now. A new article can change it for the older ones (the first source named exactly as
    a filter that matched others by their start): a count kept under another resolution is
    counted again (``reader.store.counts``)."""
    context = context or Context()
    found: list[tuple[str, str, tuple[str, ...]]] = []

    def walk(n: Node) -> None:
        match n:
            case Filter(name="source", value=value):
                found.append(("source", value, tuple(source_matches(value, context.sources()))))
            case Filter(name="author", value=value):
                found.append(("author", value, tuple(author_matches(value, context.authors()))))
            case Not(child):
                walk(child)
            case And(children) | Or(children):
                for c in children:
                    walk(c)

    walk(node)
    return repr(found) if found else ""


def author_matches(wanted: str, keys: Iterable[str]) -> list[str]:
    """The stored author keys that ``author:wanted`` selects: those with a name equal to it
    (case- and accent-insensitively), else those with a name or a word of a name that
    starts with it (``author:doe`` finds ``Jane Doe``)."""
    wanted = " ".join(fold(wanted).split())
    keys = list(keys)
    exact = [k for k in keys if wanted in k.split("\n")]
    if exact:
        return exact
    return [
        k
        for k in keys
        if any(
            name.startswith(wanted) or any(w.startswith(wanted) for w in name.split())
            for name in k.split("\n")
        )
    ]


def entity_key(name: str) -> str:
    """The folded key entities are stored and looked up by."""
    if name.isascii():
        # What ``fold`` gives an ASCII name (no compatibility forms, no combining marks,
        # casefold is lower there), without its character by character filter: 95 % of the
        # names of 10,000 generated articles, whose keys took 4 % of the extraction workers.
        return " ".join(name.lower().split())
    return " ".join(fold(name).replace("’", "'").split())


def mentions_ignored(node: Node) -> bool:
    """Whether a query asks for ``is:ignored`` anywhere."""
    match node:
        case Filter(name="is", value=value):
            return value.lower() == "ignored"
        case Not(child):
            return mentions_ignored(child)
        case And(children) | Or(children):
            return any(mentions_ignored(c) for c in children)
    return False


def compile_query(
    node: Node,
    context: Context | None = None,
    order: str = "date",
    limit: int | None = None,
) -> tuple[str, list[object]]:
    """SQL selecting matching article ids, newest first (or by relevance)."""
    context = context or Context()
    comp = _Compiler(context)
    children = node.children if isinstance(node, And) else (node,)
    fts, sql = comp.split_and(children)
    if context.hidden and not mentions_ignored(node):
        sql.append(_Sql(f"a.id NOT IN ({HIDDEN})", []))
    where = " AND ".join(s.clause for s in sql)
    params: list[object] = [x for s in sql for x in s.params]
    lim = -1 if limit is None else int(limit)
    if fts is None:
        return (
            f"SELECT a.id FROM articles a {'WHERE ' + where if where else ''} "
            f"ORDER BY a.id DESC LIMIT ?",
            [*params, lim],
        )
    rank = "bm25(articles_fts, 4.0, 1.0)" if order == "relevance" else "f.rowid DESC"
    if not where:
        return (
            f"SELECT f.rowid FROM articles_fts f WHERE articles_fts MATCH ? "
            f"ORDER BY {rank} LIMIT ?",
            [fts, lim],
        )
    # Date bounds and the hidden set go to FTS5's side (a rowid range it walks, a lookup per
    # row); id lists stay on the articles side, or FTS5 would look each one up and lose its
    # newest-first order.
    where = (
        where.replace("a.id >= ?", "f.rowid >= ?")
        .replace("a.id < ?", "f.rowid < ?")
        .replace(f"a.id NOT IN ({HIDDEN})", f"f.rowid NOT IN ({HIDDEN})")
    )
    if not re.search(r"\ba\.", where):
        return (
            f"SELECT f.rowid FROM articles_fts f WHERE articles_fts MATCH ? AND {where} "
            f"ORDER BY {rank} LIMIT ?",
            [fts, *params, lim],
        )
    return (
        f"SELECT f.rowid FROM articles_fts f CROSS JOIN articles a ON a.id = f.rowid "
        f"WHERE articles_fts MATCH ? AND {where} ORDER BY {rank} LIMIT ?",
        [fts, *params, lim],
    )


def count_query(node: Node, context: Context | None = None) -> tuple[str, list[object]]:
    """SQL counting the matches of a query: ``(total, unread)`` (the caller reads where the
    database's history is, ``counts.basis``, in the same snapshot).

    The matches are walked once and each looked up by id (``IN (…)`` first collected them in
    a temporary index: the 22 benchmark shapes at 100,000 articles counted in 413-448 ms
    rather than 585-655). The search's own order is kept: without it the planner picked
    slower plans for ``is:unread`` and negations."""
    sql, params = compile_query(node, context)
    return (
        f"WITH m(id) AS ({sql}) SELECT count(*), count(*) - coalesce(sum(a.read), 0) "
        "FROM m CROSS JOIN articles a ON a.id = m.id",
        params,
    )


def logged_query(node: Node, context: Context | None = None) -> tuple[str, list[object]]:
    """SQL for bringing a query's counts up to date from the log: how its total and unread
    counts moved with the articles logged after number ``?1`` (the first parameter), new
    ones and read marks (``reader.store.counts``).

    Only the logged articles are tested, their words looked for in ``temp.logged_fts``
    (which the caller fills in the same snapshot: ``reader.store.counts.load_logged``). Only
    for queries that do not ask for read or starred marks (``asks_marks``).
    """
    context = context or Context()
    comp = _Compiler(context, logged=True)
    children = node.children if isinstance(node, And) else (node,)
    fts, sql = comp.split_and(children)
    if fts is not None:
        sql.insert(0, _Sql(comp.fts_in, [fts]))
    if context.hidden and not mentions_ignored(node):
        sql.append(_Sql(f"a.id NOT IN ({HIDDEN})", []))
    where = "".join(f" AND {s.clause}" for s in sql)
    return (
        "SELECT coalesce(sum(l.total), 0), coalesce(sum(l.unread), 0) FROM read_log l "
        f"CROSS JOIN articles a ON a.id = l.article WHERE l.seq > ?1{where}",
        [x for s in sql for x in s.params],
    )


def asks_marks(node: Node) -> bool:
    """Whether a query asks for read or starred marks anywhere (``is:unread``…)."""
    match node:
        case Filter(name="is", value=value):
            return value.lower() != "ignored"
        case Not(child):
            return asks_marks(child)
        case And(children) | Or(children):
            return any(asks_marks(c) for c in children)
    return False


def asks_entities(node: Node) -> bool:
    """Whether a query names an entity anywhere (``entity:``): its matches change when
    mentions are written."""
    match node:
        case Filter(name="entity"):
            return True
        case Not(child):
            return asks_entities(child)
        case And(children) | Or(children):
            return any(asks_entities(c) for c in children)
    return False


def highlight_terms(node: Node) -> list[Term]:
    """The positive text terms of a query, for highlighting matches."""
    match node:
        case Term():
            return [node]
        case And(children) | Or(children):
            return [t for c in children for t in highlight_terms(c)]
    return []
