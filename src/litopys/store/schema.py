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
)

SCHEMA_VERSION = len(MIGRATIONS)
