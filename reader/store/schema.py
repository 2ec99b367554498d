"""The SQLite schema and its migrations, keyed by ``PRAGMA user_version``.

Article ids (the integer primary key, which is also the FTS5 rowid) encode the date:
``period_start_seconds * 65536 + slot``. Ordering by rowid is therefore ordering by date, which
lets FTS5 answer "newest N matching X" by walking its index backwards instead of sorting
every hit (measured in benchmarks/bench_store.py).

The FTS5 index is external-content and kept in step by ``reader.store.fts`` rather than by
triggers: a trigger's statement savepoint makes FTS5 flush its pending buffer on every row,
which doubled bulk indexing time here.
"""

from __future__ import annotations

SLOTS = 1 << 16
# Where a mention in an article's title is stored (mentions.start and "end"): a feed item's
# title is not part of its body (a dated text's is its first sentence), so its mentions are at
# TITLE + their offset in the cleaned title (``clean_line``); a body's are at 0 or more.
TITLE = -(1 << 40)
# How articles_fts splits text into words (migration 1); a temporary index that must find
# what it finds (reader.store.counts) uses the same.
FTS_TOKENIZE = "unicode61 remove_diacritics 2"
# The last word of an entity's key ("angela merkel" → "merkel"; a one-word key is itself),
# built from deterministic core functions so that an index can hold it (migration 14):
# ``rtrim`` with every character but the space strips the last word, leaving its start.
LAST_WORD = "substr(key, length(rtrim(key, replace(key, ' ', ''))) + 1)"

MIGRATIONS: list[str] = [
    # 1: articles, files, full-text index, entities
    """
    CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,          -- absolute path or URL
        display TEXT NOT NULL,             -- path as given on the command line
        root TEXT NOT NULL,                -- the SOURCE it was found under
        size INTEGER NOT NULL DEFAULT -1,
        mtime_ns INTEGER NOT NULL DEFAULT -1,
        hash TEXT,
        status TEXT NOT NULL DEFAULT 'ok', -- ok | skipped | failed
        reason TEXT
    );
    CREATE INDEX files_hash ON files(hash);
    CREATE INDEX files_root ON files(root);

    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,            -- date-ordered, see module docstring
        uid TEXT NOT NULL UNIQUE,          -- stable public id
        file_id INTEGER,                   -- files.id
        doc INTEGER NOT NULL,              -- bodies.doc
        guid TEXT,
        source TEXT NOT NULL,
        title TEXT NOT NULL,
        date INTEGER NOT NULL,             -- epoch seconds of the period start
        precision INTEGER NOT NULL,        -- reader.model.DatePrecision
        language TEXT NOT NULL,
        link TEXT,
        path TEXT,
        hash TEXT NOT NULL,
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        entities_done INTEGER NOT NULL DEFAULT 0,
        added INTEGER NOT NULL
    );
    CREATE INDEX articles_file ON articles(file_id);
    CREATE INDEX articles_source ON articles(source);
    CREATE INDEX articles_pending ON articles(entities_done) WHERE entities_done = 0;

    -- Bodies live apart so that scans of headline columns stay small and fast.
    -- Keyed by an append-only number: bulk inserts of large rows stay sequential.
    CREATE TABLE bodies (
        doc INTEGER PRIMARY KEY,
        body TEXT NOT NULL
    );
    CREATE VIEW article_text AS
        SELECT a.id AS id, a.title AS title, b.body AS body
        FROM articles a JOIN bodies b ON b.doc = a.doc;

    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body,
        content='article_text', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2',
        detail=full
    );

    CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,                 -- folded canonical name
        name TEXT NOT NULL,                -- display form
        kind TEXT NOT NULL,
        articles INTEGER NOT NULL DEFAULT 0,
        first_date INTEGER,
        last_date INTEGER,
        UNIQUE (key, kind)
    );
    CREATE TABLE mentions (
        article INTEGER NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        entity INTEGER NOT NULL REFERENCES entities(id),
        PRIMARY KEY (article, start)
    ) WITHOUT ROWID;
    CREATE INDEX mentions_entity ON mentions(entity, article);
    CREATE INDEX entities_articles ON entities(articles);

    -- A 16 MiB pending-terms buffer: fewer, larger segments when indexing in bulk.
    INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', 16777216);

    """,
    # 2: feeds — subscriptions, items shared between feeds and files, per-feed fetch state
    """
    ALTER TABLE articles ADD COLUMN dated_by TEXT;   -- feeds: published|updated|feed|first-seen

    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,          -- http(s) or file:// address
        name TEXT,                         -- the user's name for it (add --name, OPML text)
        title TEXT,                        -- the feed's own title
        site TEXT,                         -- the feed's web site
        category TEXT,                     -- OPML folder, '/'-separated
        etag TEXT,
        last_modified TEXT,
        hash TEXT,                         -- of the last body parsed
        checked INTEGER,                   -- epoch seconds of the last attempt
        succeeded INTEGER,                 -- ... and of the last success
        http_status INTEGER,
        error TEXT,                        -- last error, NULL after a success
        added INTEGER NOT NULL
    );

    -- Where each feed item was seen: 'feed:ID' or 'file:ID', with the source name it had there.
    -- An article lives as long as one of its origins does.
    CREATE TABLE origins (
        article INTEGER NOT NULL,
        origin TEXT NOT NULL,
        source TEXT NOT NULL,
        PRIMARY KEY (article, origin)
    ) WITHOUT ROWID;
    CREATE INDEX origins_origin ON origins(origin);
    CREATE INDEX origins_source ON origins(source);
    """,
    # 3: sources that carry articles another source came first with; only for these does a
    # source: filter also look in origins (measured: 0.05 ms instead of 3.3 ms on 100,000)
    """
    CREATE TABLE shared_sources (name TEXT PRIMARY KEY) WITHOUT ROWID;
    INSERT OR IGNORE INTO shared_sources
        SELECT DISTINCT o.source FROM origins o JOIN articles a ON a.id = o.article
        WHERE o.source != a.source;
    """,
    # 4: the SOURCEs given to `index`, so that --rebuild can index them again
    """
    CREATE TABLE roots (
        path TEXT PRIMARY KEY,             -- absolute path of a SOURCE given to `index`
        added INTEGER NOT NULL
    ) WITHOUT ROWID;
    """,
    # 5: saved searches, listed with the feeds; the reader's list of unread articles
    """
    CREATE TABLE saved_searches (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        query TEXT NOT NULL,
        added INTEGER NOT NULL
    );
    CREATE INDEX articles_unread ON articles(id) WHERE read = 0;
    """,
    # 6: authors, enclosures and full texts of feed articles
    """
    ALTER TABLE articles ADD COLUMN author TEXT;       -- names, ', '-joined, as shown
    ALTER TABLE articles ADD COLUMN author_key TEXT;   -- folded names, one per line: author:
    ALTER TABLE articles ADD COLUMN enclosures TEXT;   -- JSON [{url, type, length, duration}]
    CREATE INDEX articles_author ON articles(author_key) WHERE author_key IS NOT NULL;

    ALTER TABLE feeds ADD COLUMN full_text INTEGER NOT NULL DEFAULT 0;  -- fetch items' pages

    -- The full text of an article, fetched from its page; keyed by the article's stable uid.
    CREATE TABLE full_texts (
        uid TEXT PRIMARY KEY,              -- articles.uid
        state TEXT NOT NULL,               -- reader.model.FullTextState
        note TEXT,                         -- why the last attempt failed
        url TEXT,                          -- the page the text came from (after redirects)
        etag TEXT,                         -- validators of that page, while the body holds it
        last_modified TEXT,
        checked INTEGER                    -- epoch seconds of the last attempt
    ) WITHOUT ROWID;
    CREATE INDEX full_texts_pending ON full_texts(state) WHERE state = 'pending';
    """,
    # 7: each source's counts read from an index alone (the sources panel, the feed list):
    # 5 ms instead of 58 ms over 100,000 articles
    """
    CREATE INDEX IF NOT EXISTS articles_source_read ON articles(source, read);
    DROP INDEX IF EXISTS articles_source;
    """,
    # 8: counts brought up to date after read marks rather than counted again (a saved
    # search's counts over 100,000 articles take 20-60 ms each; see reader.store.counts).
    # ``generation`` changes with every write that is not only read or starred marks; the
    # read marks made since are logged, ``unread`` +1 or -1, the log emptied at each change.
    """
    CREATE TABLE IF NOT EXISTS generation (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        n INTEGER NOT NULL
    );
    INSERT OR IGNORE INTO generation VALUES (1, 0);
    CREATE TABLE IF NOT EXISTS read_log (
        seq INTEGER PRIMARY KEY,
        article INTEGER NOT NULL,
        unread INTEGER NOT NULL
    );
    """,
    # 9: counts kept across new articles and entity extraction too. A write that only adds
    # articles logs them (``total`` +1) and leaves the log; ``base`` is the generation the log
    # starts at (the last change of anything else), ``entities`` the last generation that
    # wrote mentions (counts of ``entity:`` queries older than it are counted again).
    """
    ALTER TABLE generation ADD COLUMN base INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE generation ADD COLUMN entities INTEGER NOT NULL DEFAULT 0;
    UPDATE generation SET base = n, entities = n;
    ALTER TABLE read_log ADD COLUMN total INTEGER NOT NULL DEFAULT 0;
    """,
    # 10: saved searches' counts kept between processes: a new process (`newsreader feeds`,
    # the reader opened again) brings them up to date from the log rather than counting every
    # match again (seconds at a million articles). Emptied by every migration. ``own`` is
    # the generation as this version last set it: a version before this one (a process still
    # open from before the upgrade) moves ``n`` alone, and its change is then taken as a
    # content change.
    """
    CREATE TABLE IF NOT EXISTS kept_counts (
        key TEXT PRIMARY KEY,
        generation INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        total INTEGER NOT NULL,
        unread INTEGER NOT NULL,
        resolved TEXT NOT NULL
    ) WITHOUT ROWID;
    ALTER TABLE generation ADD COLUMN own INTEGER NOT NULL DEFAULT 0;
    UPDATE generation SET own = n, base = n, entities = n;
    """,
    # 11: a kept count names the point of the database's history it was taken at, not only
    # numbers: ``steps`` gives each generation since the log's base a random token, and each
    # log row has a random nonce. A file restored from a backup under an open process goes
    # back to smaller numbers that later come again with another history; the tokens tell.
    # ``entities_dirty``: an extraction in batches whose counts are not all brought up to date
    # yet (an interrupted run's are, at the next run).
    """
    CREATE TABLE IF NOT EXISTS steps (
        generation INTEGER PRIMARY KEY,
        token INTEGER NOT NULL
    );
    DROP TABLE IF EXISTS read_log;
    CREATE TABLE read_log (
        seq INTEGER PRIMARY KEY,
        article INTEGER NOT NULL,
        unread INTEGER NOT NULL,
        total INTEGER NOT NULL DEFAULT 0,
        nonce INTEGER NOT NULL DEFAULT (random())
    );
    ALTER TABLE generation ADD COLUMN entities_dirty INTEGER NOT NULL DEFAULT 0;
    UPDATE generation SET n = n + 1, base = n + 1, entities = n + 1, own = n + 1;
    DELETE FROM steps;
    INSERT INTO steps SELECT n, random() FROM generation;
    ALTER TABLE kept_counts ADD COLUMN token INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE kept_counts ADD COLUMN nonce INTEGER NOT NULL DEFAULT 0;
    """,
    # 12: ``marks`` counts the transactions of read or starred marks, so that a reader can
    # tell what another connection's commit changed (``counts.changed_between``): a run of
    # entity extraction beside it leaves its list of headlines as it was, a read mark its
    # matches (unless it asks for marks), and neither is read again in full.
    """
    ALTER TABLE generation ADD COLUMN marks INTEGER NOT NULL DEFAULT 0;
    """,
    # 13: a feed whose server answered 429 or 503 with Retry-After is not fetched before then;
    # the address a feed was permanently redirected to at its last refresh (a second time in a
    # row, and the subscription takes it); the origin an article came from, which alone
    # rewrites it (another feed naming its guid only carries it too). An article stored
    # before is owned by an origin that carries it under its source's name.
    """
    ALTER TABLE feeds ADD COLUMN retry_after INTEGER;  -- epoch seconds
    ALTER TABLE feeds ADD COLUMN moved_to TEXT;
    ALTER TABLE origins ADD COLUMN owner INTEGER NOT NULL DEFAULT 0;
    UPDATE origins SET owner = 1 WHERE origin = (
        SELECT min(o.origin) FROM origins o JOIN articles a ON a.id = o.article
        WHERE o.article = origins.article AND o.source = a.source
    );
    """,
    # 14: people by their last name alone (`entity:Merkel` also finds "Angela Merkel"): an
    # index on the last word of people's keys.
    f"""
    CREATE INDEX IF NOT EXISTS entities_last_name ON entities({LAST_WORD}) WHERE kind = 'PERSON';
    """,
    # 15: when a feed's permanent redirect (``moved_to``) was first recorded (epoch seconds,
    # fractional): a second sighting counts only from a refresh that started after it, so
    # that two refreshes started at the same moment are not "two refreshes in a row".
    """
    ALTER TABLE feeds ADD COLUMN moved_seen REAL;
    """,
    # 16: a feed item's title is read for entities too (its mentions at TITLE + offset). The
    # articles extracted before, all below ``titles_below``, have theirs read by a pass of
    # their own (``reader.store.entities.read_titles``), newest first; NULL once it is done.
    """
    ALTER TABLE generation ADD COLUMN titles_below INTEGER;
    UPDATE generation SET titles_below = (SELECT max(id) + 1 FROM articles WHERE entities_done = 1);
    """,
    # 17: the addresses a subscription had before a permanent redirect moved it (``moved_to``
    # taken at two refreshes in a row), so that `refresh OLD` and `remove OLD` still find it
    # and can say where it went. A feed that moves again keeps each address it left; one
    # subscribed again as a feed of its own is found as that feed first.
    """
    CREATE TABLE IF NOT EXISTS feed_moves (
        url TEXT PRIMARY KEY,              -- an address the feed was subscribed at
        feed INTEGER NOT NULL              -- feeds.id, at its new address now
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS feed_moves_feed ON feed_moves(feed);
    """,
    # 18: an address is looked up also with capitals in its scheme or host
    # (``subscriptions.lookup``, ``_moved_from``: ``lower(url) = lower(?)``); without these
    # indexes each lookup read every subscription, and importing an OPML list of n new feeds
    # took time in n² (16,000 feeds: 30 s).
    """
    CREATE INDEX IF NOT EXISTS feeds_url_lower ON feeds(lower(url));
    CREATE INDEX IF NOT EXISTS feed_moves_url_lower ON feed_moves(lower(url));
    """,
]
