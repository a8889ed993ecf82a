"""Schema and migrations. ``PRAGMA user_version`` holds the version a file is at.

A migration is appended, never edited: a database made by an older litopys is brought up to date
when it is opened, inside one transaction per step.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: documents (one row per version of an input), rejected inputs
    """
    CREATE TABLE documents (
        id          TEXT PRIMARY KEY,          -- content hash of the input bytes
        path        TEXT NOT NULL,             -- input path as given (+ '#N' for a .jsonl line)
        version     INTEGER NOT NULL DEFAULT 1,
        supersedes  TEXT REFERENCES documents(id),
        current     INTEGER NOT NULL DEFAULT 1, -- 0 once a newer version of the same path arrives
        fmt         TEXT NOT NULL,
        encoding    TEXT NOT NULL DEFAULT '',
        url         TEXT,
        title       TEXT NOT NULL,
        lang        TEXT NOT NULL,
        published   TEXT,
        source      TEXT,
        text        TEXT NOT NULL,
        removed     TEXT NOT NULL,             -- JSON [{"text", "rule"}]
        paragraphs  TEXT NOT NULL,             -- JSON [{"start", "end", "lang"}]
        sentences   TEXT NOT NULL,             -- JSON [{"start", "end"}]
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX documents_path ON documents(path, current);
    CREATE TABLE rejected (
        path        TEXT PRIMARY KEY,
        id          TEXT NOT NULL DEFAULT '',
        reason      TEXT NOT NULL,
        rejected_at TEXT NOT NULL
    );
    """,
    # 2: mentions (names in documents), canonical entities, reviewed merge/split decisions
    """
    CREATE TABLE mentions (
        doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start   INTEGER NOT NULL,           -- character offsets into documents.text
        end     INTEGER NOT NULL,
        text    TEXT NOT NULL,
        type    TEXT NOT NULL,              -- PER LOC ORG EVT PRO
        lemma   TEXT NOT NULL,              -- base form of the whole name
        key     TEXT NOT NULL,              -- document-level identity (see stages/linking.py)
        lang    TEXT NOT NULL,              -- language of the paragraph holding the mention
        score   REAL NOT NULL DEFAULT 1.0,
        entity  TEXT,                       -- canonical entity id, set by linking
        PRIMARY KEY (doc_id, start)
    );
    CREATE INDEX mentions_entity ON mentions(entity);
    CREATE TABLE entities (
        id        TEXT PRIMARY KEY,
        type      TEXT NOT NULL,
        name      TEXT NOT NULL,
        names     TEXT NOT NULL,            -- JSON {"uk", "ru", "en"}
        aliases   TEXT NOT NULL,            -- JSON [...]
        mentions  INTEGER NOT NULL,
        documents INTEGER NOT NULL
    );
    CREATE INDEX entities_name ON entities(name);
    CREATE TABLE decisions (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        kind    TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
        a       TEXT NOT NULL,              -- entity ids or names, as the reviewer gave them
        b       TEXT NOT NULL,
        made_at TEXT NOT NULL
    );
    """,
    # 3: fingerprints and LSH bands (stages/dedup.py), duplicate links, event clusters and storylines
    """
    CREATE TABLE fingerprints (
        doc_id   TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        exact    TEXT NOT NULL,             -- hash of the normalised body
        minhash  BLOB NOT NULL,             -- uint64 MinHash signature
        vectors  BLOB NOT NULL,             -- float16 sentence embeddings, `dim` per row
        dim      INTEGER NOT NULL,
        anchors  TEXT NOT NULL              -- JSON [...] language-independent keys
    );
    CREATE INDEX fingerprints_exact ON fingerprints(exact);
    CREATE TABLE lsh (
        band    INTEGER NOT NULL,
        key     INTEGER NOT NULL,
        doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE
    );
    CREATE INDEX lsh_key ON lsh(band, key);
    CREATE INDEX lsh_doc ON lsh(doc_id);
    CREATE TABLE duplicates (
        a      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,  -- the later document
        b      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,  -- the earlier one it repeats
        kind   TEXT NOT NULL CHECK (kind IN ('exact', 'near', 'translation')),
        score  REAL NOT NULL,
        PRIMARY KEY (a, b)
    );
    CREATE INDEX duplicates_b ON duplicates(b);
    CREATE TABLE story_members (
        doc_id     TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        event      TEXT NOT NULL,           -- event cluster id
        storyline  TEXT NOT NULL,           -- storyline id
        seq        INTEGER NOT NULL         -- order of placement
    );
    CREATE INDEX story_members_event ON story_members(event);
    CREATE INDEX story_members_storyline ON story_members(storyline);
    """,
    # 4: event mentions (stages/events.py) and canonical events (stages/timeline.py)
    """
    CREATE TABLE event_mentions (
        doc_id         TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        trigger_start  INTEGER NOT NULL,    -- character offsets into documents.text
        trigger_end    INTEGER NOT NULL,
        start          INTEGER NOT NULL,    -- the sentence
        end            INTEGER NOT NULL,
        type           TEXT NOT NULL,
        plover         TEXT NOT NULL,
        mode           TEXT NOT NULL,
        actors         TEXT NOT NULL,       -- JSON [{"start", "end", "text", "key"}]
        targets        TEXT NOT NULL,
        location       TEXT,                -- JSON {"start", "end", "text", "key"} or NULL
        object         TEXT NOT NULL,
        date_start     TEXT,                -- occurrence date as the text gives it (not the report date)
        date_end       TEXT,
        granularity    TEXT NOT NULL,
        date_text      TEXT NOT NULL,
        status         TEXT NOT NULL,
        attributed_to  TEXT NOT NULL,       -- JSON [...] outer first
        canonical      TEXT,                -- canonical event id, set by the timeline reduce step
        PRIMARY KEY (doc_id, trigger_start)
    );
    CREATE INDEX event_mentions_canonical ON event_mentions(canonical);
    CREATE TABLE events (
        id           TEXT PRIMARY KEY,
        type         TEXT NOT NULL,
        plover       TEXT NOT NULL,
        mode         TEXT NOT NULL,
        date_start   TEXT,
        date_end     TEXT,
        granularity  TEXT NOT NULL,
        actors       TEXT NOT NULL,         -- JSON [entity ids]
        targets      TEXT NOT NULL,
        location     TEXT,                  -- entity id
        object       TEXT NOT NULL,
        status       TEXT NOT NULL,
        summary      TEXT NOT NULL,
        first_reported TEXT,
        last_reported  TEXT,
        languages    TEXT NOT NULL,         -- JSON [...]
        sources      INTEGER NOT NULL
    );
    CREATE INDEX events_date ON events(date_start);
    """,
    # 5: term stems of a fingerprint (topic similarity of storylines)
    """
    ALTER TABLE fingerprints ADD COLUMN terms TEXT NOT NULL DEFAULT '[]';  -- JSON ["stem:count", ...]
    """,
    # 6: full-text search over lemmas (current documents), and entity names for cross-lingual queries
    """
    CREATE VIRTUAL TABLE search USING fts5(   -- rowid = documents.rowid
        title,                              -- the title's lemmas, space-separated
        body,                               -- the body's lemmas
        tokenize = "unicode61 remove_diacritics 0"
    );
    CREATE TABLE search_names (
        name    TEXT NOT NULL,              -- a casefolded name, base form or form as written
        entity  TEXT NOT NULL,
        PRIMARY KEY (name, entity)
    ) WITHOUT ROWID;
    """,
    # 7: indexes for the server's reads (litopys serve): the counts of /api/stats by language and
    # source read this index instead of the documents' rows (led by `source`, which no query compares
    # with =, so that the planner never prefers it to a story's or a search's own index, as it does
    # one led by `current` or `lang`); a storyline's title counts its documents per entity from the
    # index on mentions alone
    """
    CREATE INDEX documents_source_lang ON documents(source, lang, current);
    CREATE INDEX mentions_doc_entity ON mentions(doc_id, entity);
    """,
    # 8: RSS/Atom feeds polled by `litopys feeds poll` (litopys.feeds); times are UTC "YYYY-MM-DDTHH:MM:SSZ"
    """
    CREATE TABLE feeds (
        url            TEXT PRIMARY KEY,
        title          TEXT,
        etag           TEXT,                -- validators of the last answer, sent back on the next poll
        last_modified  TEXT,
        last_polled    TEXT,
        next_poll      TEXT,                -- not polled again before this (unless forced)
        interval_s     INTEGER NOT NULL DEFAULT 900,
        errors         INTEGER NOT NULL DEFAULT 0,  -- failed polls in a row
        last_error     TEXT
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
