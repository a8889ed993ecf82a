"""The store: a SQLite file in WAL mode with a single writer.

Each document is written in its own transaction, so an ingest that is killed half-way leaves
every finished document in place and none half-written; run again, it skips what is there
(content-hash ids) and goes on.
"""

from __future__ import annotations

import enum
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from litopys.records import Article, Fingerprint, Rejected
from litopys.store import backend
from litopys.store.schema import MIGRATIONS, SCHEMA_VERSION


class IngestOutcome(enum.Enum):
    INGESTED = "ingested"
    NEW_VERSION = "new version"
    UNCHANGED = "unchanged"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """One SQLite file, or a PostgreSQL database when ``db`` is a ``postgresql://`` URL
    (:mod:`litopys.store.backend`). Open with ``Store(db)``; use as a context manager to close it."""

    def __init__(self, db: str | Path) -> None:
        #: what the store was opened with: a SQLite file (Path) or a PostgreSQL URL (str); open
        #: another connection to the same store with ``Store(store.target)``
        self.target = backend.target(db)
        self.url: str | None = self.target if isinstance(self.target, str) else None
        #: the store as messages and reports name it: the file's name, or the URL without its password
        self.name = backend.redact(self.url) if self.url is not None else Path(db).name
        # one connection, one writer; the lock serialises the runner's feeder thread and main thread
        self.lock = threading.RLock()
        self.db: Any
        if self.url is not None:
            self.db = backend.PgConnection(self.url)
        else:
            self.db = sqlite3.connect(self.target, isolation_level=None, timeout=30, check_same_thread=False)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return "sqlite" if self.url is None else "postgresql"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- schema ---------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        if self.url is not None:
            if not self.db.execute("SELECT to_regclass('litopys_schema') IS NOT NULL").fetchone()[0]:
                return 0
            row = self.db.execute("SELECT max(version) FROM litopys_schema").fetchone()
            return int(row[0] or 0)
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise RuntimeError(
                f"{self.name} has schema version {current}, newer than this litopys ({SCHEMA_VERSION}); "
                "upgrade litopys to open it"
            )
        if current == SCHEMA_VERSION:
            return
        if self.url is not None:
            self._migrate_pg()
            return
        for version in range(current, SCHEMA_VERSION):
            try:  # one transaction per step: the schema change and the new version land together
                self.db.executescript(
                    f"BEGIN IMMEDIATE;\n{MIGRATIONS[version]};\nPRAGMA user_version = {version + 1};\nCOMMIT;"
                )
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise

    def _migrate_pg(self) -> None:
        """The same migrations in PostgreSQL's types, one transaction per step, under the writers'
        lock (two processes opening a new database migrate it once)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("CREATE TABLE IF NOT EXISTS litopys_schema (version INTEGER NOT NULL)")
            if self.db.execute("SELECT count(*) FROM litopys_schema").fetchone()[0] == 0:
                self.db.execute("INSERT INTO litopys_schema (version) VALUES (0)")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        while True:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                version = int(self.db.execute("SELECT version FROM litopys_schema").fetchone()[0])
                if version >= SCHEMA_VERSION:
                    self.db.execute("COMMIT")
                    return
                self.db.executescript(backend.pg_migration(version, MIGRATIONS[version]))
                self.db.execute("UPDATE litopys_schema SET version = ?", (version + 1,))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def stream(self, sql: str, parameters: Sequence[Any] = ()) -> Iterator[Any]:
        """The rows of a read that may be large (every mention, every fingerprint), one at a time:
        SQLite's cursor steps through them; PostgreSQL's client would otherwise hold the whole
        result. Run no other statement on this store until the rows are read."""
        if self.url is not None:
            yield from self.db.stream(sql, parameters)
        else:
            yield from self.db.execute(sql, parameters)

    # -- writing ----------------------------------------------------------------------------------
    def has(self, doc_id: str) -> bool:
        with self.lock:
            return self.db.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def add(self, article: Article) -> IngestOutcome:
        """Write one article atomically; a new version of a known path supersedes the old one."""
        with self.lock:
            return self._add(article)

    def _add(self, article: Article) -> IngestOutcome:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            if self.has(article.id):
                self.db.execute("DELETE FROM rejected WHERE path = ?", (article.path,))
                self.db.execute("COMMIT")
                return IngestOutcome.UNCHANGED
            previous = self.db.execute(
                "SELECT id, version FROM documents WHERE path = ? AND current = 1", (article.path,)
            ).fetchone()
            version = 1
            if previous is not None:
                version = previous["version"] + 1
                self.db.execute("UPDATE documents SET current = 0 WHERE id = ?", (previous["id"],))
                self.db.execute(
                    "DELETE FROM search WHERE rowid = (SELECT rowid FROM documents WHERE id = ?)",
                    (previous["id"],),
                )
            inserted = self.db.execute(
                "INSERT INTO documents (id, path, version, supersedes, current, fmt, encoding, url, title, "
                "lang, published, source, text, removed, paragraphs, sentences, ingested_at) "
                "VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING rowid",
                (
                    article.id,
                    article.path,
                    version,
                    previous["id"] if previous is not None else None,
                    article.fmt,
                    article.encoding,
                    article.url,
                    article.title,
                    article.lang,
                    article.published,
                    article.source,
                    article.text,
                    _json([_flat(r) for r in article.removed]),
                    _json([_flat(p) for p in article.paragraphs]),
                    _json([_flat(s) for s in article.sentences]),
                    _now(),
                ),
            )
            rowid = inserted.fetchone()[0]
            self.db.executemany(
                "INSERT INTO mentions (doc_id, start, end, text, type, lemma, key, lang, score) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _mention_rows(article),
            )
            if article.tokens:
                self.db.execute(
                    "INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                    (rowid, *lemma_text(article)),
                )
            if article.fingerprint is not None:
                save_fingerprint(self.db, article.id, article.fingerprint)
            if article.events:
                save_event_mentions(self.db, article)
            self.db.execute("DELETE FROM rejected WHERE path = ?", (article.path,))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return IngestOutcome.NEW_VERSION if previous is not None else IngestOutcome.INGESTED

    def reject(self, rejected: Rejected) -> None:
        with self.lock:
            self._reject(rejected)

    def _reject(self, rejected: Rejected) -> None:
        self.db.execute(
            "INSERT INTO rejected (path, id, reason, rejected_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(path) DO UPDATE SET id = excluded.id, reason = excluded.reason, "
            "rejected_at = excluded.rejected_at",
            (rejected.path, rejected.id, rejected.reason, _now()),
        )

    # -- reading ----------------------------------------------------------------------------------
    def documents(self, *, all_versions: bool = False) -> Iterator[dict[str, Any]]:
        """Documents as plain dicts (JSON fields decoded), ordered by path."""
        where = "" if all_versions else "WHERE current = 1"
        for row in self.db.execute(f"SELECT * FROM documents {where} ORDER BY path, version"):
            yield _document(row)

    def rejected(self) -> Iterator[dict[str, Any]]:
        for row in self.db.execute("SELECT path, id, reason, rejected_at FROM rejected ORDER BY path"):
            yield dict(row)

    def get(self, doc_id: str) -> dict[str, Any] | None:
        """A document by id or unique id prefix (at least 4 characters)."""
        if len(doc_id) < 4:
            return None
        rows = self.db.execute(
            "SELECT * FROM documents WHERE id >= ? AND id < ? LIMIT 2", (doc_id, doc_id + "\uffff")
        ).fetchall()
        return _document(rows[0]) if len(rows) == 1 else None

    def stats(self) -> dict[str, Any]:
        one = self.db.execute
        return {
            "documents": one("SELECT count(*) FROM documents WHERE current = 1").fetchone()[0],
            "versions": one("SELECT count(*) FROM documents").fetchone()[0],
            "rejected": one("SELECT count(*) FROM rejected").fetchone()[0],
            "by_lang": dict(
                one("SELECT lang, count(*) FROM documents WHERE current = 1 GROUP BY lang ORDER BY 2 DESC")
            ),
            "by_source": dict(
                one(
                    "SELECT coalesce(source, '(unknown)'), count(*) FROM documents WHERE current = 1 "
                    "GROUP BY 1 ORDER BY 2 DESC LIMIT 20"
                )
            ),
            "rejected_by_reason": dict(
                one("SELECT substr(reason, 1, 4), count(*) FROM rejected GROUP BY 1 ORDER BY 2 DESC")
            ),
        }


def _mention_rows(article: Article) -> list[tuple[Any, ...]]:
    """Mentions as rows, each with the language of the paragraph that holds it."""
    rows = []
    paragraphs = article.paragraphs
    for m in article.mentions:
        lang = next((p.lang for p in paragraphs if p.start <= m.start < p.end or p.start == m.start), "")
        rows.append(
            (
                article.id,
                m.start,
                m.end,
                m.text,
                m.type,
                m.lemma or m.text,
                m.key,
                lang or article.lang,
                m.score,
            )
        )
    return rows


def lemma_text(article: Article) -> tuple[str, str]:
    """The title's and the body's word lemmas, space-separated: what the full-text index holds, so
    that "Північної Кореї" is found by "Північна Корея" (both are "північний корея")."""
    title_end = article.paragraphs[0].end if article.paragraphs else 0
    title = " ".join(t.lemma for t in article.tokens if t.end <= title_end and t.lemma[:1].isalnum())
    body = " ".join(t.lemma for t in article.tokens if t.start >= title_end and t.lemma[:1].isalnum())
    return title, body


def save_fingerprint(db: Any, doc_id: str, fp: Fingerprint) -> None:
    """Write a document's fingerprint and its LSH band keys (inside the caller's transaction)."""
    import numpy as np

    from litopys.stages.dedup import band_keys

    db.execute(
        "INSERT OR REPLACE INTO fingerprints (doc_id, exact, minhash, vectors, dim, anchors, terms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            doc_id,
            fp.exact,
            np.asarray(fp.minhash, dtype=np.uint64).tobytes(),
            fp.vectors,
            fp.dim,
            _json(list(fp.anchors)),
            _json(list(fp.terms)),
        ),
    )
    db.execute("DELETE FROM lsh WHERE doc_id = ?", (doc_id,))
    db.executemany(
        "INSERT INTO lsh (band, key, doc_id) VALUES (?, ?, ?)",
        [(band, key, doc_id) for band, key in enumerate(band_keys(fp.minhash))],
    )


def save_event_mentions(db: Any, article: Article) -> None:
    """Write an article's event mentions (inside the caller's transaction)."""
    db.executemany(
        "INSERT OR REPLACE INTO event_mentions (doc_id, trigger_start, trigger_end, start, end, type, plover, mode, "
        "actors, targets, location, object, date_start, date_end, granularity, date_text, status, attributed_to) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                article.id,
                e.trigger_start,
                e.trigger_end,
                e.start,
                e.end,
                e.type,
                e.plover,
                e.mode,
                _json([_flat(r) for r in e.actors]),
                _json([_flat(r) for r in e.targets]),
                _json(_flat(e.location)) if e.location else None,
                e.object,
                e.date_start,
                e.date_end,
                e.granularity,
                e.date_text,
                e.status,
                _json(list(e.attributed_to)),
            )
            for e in article.events
        ],
    )


T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter): rows per statement or transaction, reads
    ahead (``itertools.batched`` from Python 3.12)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _flat(record: Any) -> dict[str, Any]:
    """``asdict()`` of a record whose fields are plain values (Removed, Paragraph, Sentence, Role),
    without its recursive copy: asdict looked up ``fields()`` for every sentence of every document
    the single writer stores."""
    return {name: getattr(record, name) for name in record.__slots__}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _document(row: sqlite3.Row) -> dict[str, Any]:
    doc = dict(row)
    doc.pop("rowid", None)  # PostgreSQL's explicit column (SQLite's is implicit)
    for key in ("removed", "paragraphs", "sentences"):
        doc[key] = json.loads(doc[key])
    return doc
