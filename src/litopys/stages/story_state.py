"""The stories reduce step's working state, bounded in memory whatever the size of the store.

Online story placement compares each new document with documents placed before it: its nearest
mean vectors (an ANN index per language) and the latest documents of its heaviest entities. It
needs, for any placed document, a small *profile*: language, day, event cluster, storyline, mean
vector, entity and term weights, best translation score per language. Held as Python objects for
every document that was ~16 KB each (1.9 GB for 100,000 documents), so both parts live in a
temporary folder for the length of one :func:`litopys.stages.stories.update`:

- :class:`Profiles`: a mapping doc → :class:`Profile`; the :data:`PROFILES_KEPT` most recently
  used in memory, the others marshalled into a temporary SQLite file and read back by batch;
- :class:`VectorIndex`: per-language usearch indexes; the one being filled is in memory and, once
  it holds :data:`SHARD_SIZE` vectors, is saved to the folder; the saved shards are searched for
  :data:`READ_AHEAD` documents at a time, each shard memory-mapped read-only (``view=True``) only
  while it is searched.

Both are rebuilt from the store at the start of each update (the store is the truth; the folder
is deleted at the end). The folder is made by :mod:`tempfile` (``TMPDIR`` chooses where).
"""

from __future__ import annotations

import marshal
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

#: profiles held in memory (≈ 10 KB each with their term weights): a new document's candidates are
#: mostly recent documents; the others cost one batched read of the temporary file per document.
#: 1,024 keeps a small store's profiles all in memory; 2,048 held 21.5 MiB of profiles at 30k
#: documents, 512 held 5.1 MiB (bench.scale's driver path, docs/scaling.md)
PROFILES_KEPT = 1024
#: vectors in the in-memory part of a language's ANN index before it is saved to the folder
#: (≈ 2.3 KB each with the graph); below this size a language has one index, as before sharding.
#: It bounds memory twice (the shard being filled, per language, and a saved one while it is
#: searched) against the number of saved shards a read-ahead searches: 8,192 (session 5) let the
#: driver path's peak grow 311 → 437 MiB from 1k to 100k documents
SHARD_SIZE = 2048
#: documents whose nearest vectors in the saved shards are searched together (see VectorIndex)
READ_AHEAD = 256
#: SQLite's page cache for the temporary profile file, in KiB (the OS caches the file as well)
PAGE_CACHE_KIB = 4096
#: profiles read from the temporary file per statement (SQLite allows 32,766 ``?`` per statement)
READ_BATCH = 500


@dataclass(slots=True)
class Profile:
    """What story placement needs to know about one document (placed, or not yet: entities only)."""

    entities: dict[str, float] = field(default_factory=dict)
    lang: str | None = None
    day: date | None = None
    event: str | None = None
    storyline: str | None = None
    vector: np.ndarray | None = None
    #: unit tf-idf weights of the term stems (or, while the state loads, their counts)
    terms: dict[str, float] = field(default_factory=dict)
    #: the best translation score found so far between this document and one in another language
    translations: dict[str, float] = field(default_factory=dict)

    @property
    def placed(self) -> bool:
        return self.storyline is not None

    def dumps(self) -> bytes:
        return marshal.dumps(
            (
                self.entities,
                self.lang,
                self.day.toordinal() if self.day else 0,
                self.event,
                self.storyline,
                None if self.vector is None else self.vector.astype(np.float32).tobytes(),
                self.terms,
                self.translations,
            )
        )

    @classmethod
    def loads(cls, data: bytes) -> Profile:
        entities, lang, day, event, storyline, vector, terms, translations = marshal.loads(data)
        return cls(
            entities=entities,
            lang=lang,
            day=date.fromordinal(day) if day else None,
            event=event,
            storyline=storyline,
            vector=None if vector is None else np.frombuffer(vector, dtype=np.float32),
            terms=terms,
            translations=translations,
        )


class Profiles:
    """doc → :class:`Profile`: the recently used ones in memory, all of them in a temporary SQLite file.

    A profile changed in place must be given back with :meth:`put` (it is written when it leaves
    memory)."""

    def __init__(self, folder: Path, *, kept: int | None = None) -> None:
        self.kept = PROFILES_KEPT if kept is None else kept
        self.db = sqlite3.connect(folder / "profiles.db", isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", f"cache_size = -{PAGE_CACHE_KIB}"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.execute("CREATE TABLE profile (doc TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID")
        self.db.execute("CREATE TABLE doc_key (key INTEGER PRIMARY KEY, doc TEXT NOT NULL)")
        self.cache: OrderedDict[str, Profile] = OrderedDict()
        self.dirty: set[str] = set()

    def close(self) -> None:
        self.db.close()

    def _keep(self, doc: str, profile: Profile) -> None:
        self.cache[doc] = profile
        self.cache.move_to_end(doc)
        while len(self.cache) > self.kept:
            old, evicted = self.cache.popitem(last=False)
            if old in self.dirty:
                self.dirty.discard(old)
                self._write(old, evicted)

    def _write(self, doc: str, profile: Profile) -> None:
        self.db.execute("INSERT OR REPLACE INTO profile (doc, data) VALUES (?, ?)", (doc, profile.dumps()))

    def put(self, doc: str, profile: Profile) -> None:
        self.dirty.add(doc)
        self._keep(doc, profile)

    def get(self, doc: str) -> Profile | None:
        found = self.cache.get(doc)
        if found is not None:
            self.cache.move_to_end(doc)
            return found
        row = self.db.execute("SELECT data FROM profile WHERE doc = ?", (doc,)).fetchone()
        if row is None:
            return None
        profile = Profile.loads(row[0])
        self._keep(doc, profile)
        return profile

    def get_many(self, docs: Iterable[str]) -> dict[str, Profile]:
        """The profiles of ``docs`` that exist; the ones not in memory read in batches."""
        found: dict[str, Profile] = {}
        missing: list[str] = []
        for doc in docs:
            profile = self.cache.get(doc)
            if profile is None:
                missing.append(doc)
            else:
                found[doc] = profile
        for start in range(0, len(missing), READ_BATCH):
            chunk = missing[start : start + READ_BATCH]
            marks = ",".join("?" * len(chunk))
            for doc, data in self.db.execute(f"SELECT doc, data FROM profile WHERE doc IN ({marks})", chunk):
                found[doc] = Profile.loads(data)
        for doc in found:  # the ones read join the recent ones
            self._keep(doc, found[doc])
        return found

    def flush(self) -> None:
        """Write every changed profile still in memory."""
        self.db.execute("BEGIN")
        for doc in sorted(self.dirty):
            self._write(doc, self.cache[doc])
        self.db.execute("COMMIT")
        self.dirty.clear()

    def docs(self) -> Iterator[str]:
        """Every document with a profile, in id order (read a page at a time)."""
        self.flush()
        last = ""
        while True:
            page = [
                r[0]
                for r in self.db.execute(
                    "SELECT doc FROM profile WHERE doc > ? ORDER BY doc LIMIT 1000", (last,)
                )
            ]
            if not page:
                return
            yield from page
            last = page[-1]

    # -- the vector index's keys (usearch keys are integers) ----------------------------------------
    def new_key(self, doc: str) -> int:
        cursor = self.db.execute("INSERT INTO doc_key (doc) VALUES (?)", (doc,))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def docs_of_keys(self, keys: list[int]) -> dict[int, str]:
        marks = ",".join("?" * len(keys))
        return dict(self.db.execute(f"SELECT key, doc FROM doc_key WHERE key IN ({marks})", keys).fetchall())


class VectorIndex:
    """Per-language ANN indexes over documents' mean vectors (usearch, cosine), in shards of
    :data:`SHARD_SIZE` vectors.

    The shard being filled is in memory; a full one is saved to the folder. Placing reads the
    documents to place :data:`READ_AHEAD` at a time, and :meth:`read_ahead` searches the saved
    shards for all of them at once, mapping one shard at a time (a memory-mapped shard is soon
    resident as a whole, so mapping them all would make memory grow with the store again);
    :meth:`near` adds what the in-memory shards hold. A search asks every shard and keeps the
    nearest, as one index would (exactly so while a language has one shard)."""

    def __init__(self, dim: int, folder: Path, profiles: Profiles, *, shard_size: int | None = None) -> None:
        self.dim = dim
        self.folder = folder
        self.profiles = profiles
        self.shard_size = SHARD_SIZE if shard_size is None else shard_size
        self.live: dict[str, Any] = {}
        #: shards filled since the last read-ahead: saved, but not in what it found, so kept in memory
        self.sealed: dict[str, list[Any]] = {}
        self.paths: dict[str, list[str]] = {}
        #: (document, language) → (distance, key) of its nearest vectors in the saved shards
        self.ahead: dict[tuple[str, str], list[tuple[float, int]]] = {}
        #: language → how many of its saved shards the last read-ahead searched (the later ones are sealed)
        self.covered: dict[str, int] = {}

    @property
    def languages(self) -> list[str]:
        return sorted(self.live)

    def add(self, doc: str, lang: str, vector: np.ndarray) -> None:
        from usearch.index import Index

        index = self.live.get(lang)
        if index is None:
            index = self.live[lang] = Index(ndim=self.dim, metric="cos", dtype="f32")
        index.add(self.profiles.new_key(doc), vector.astype(np.float32))
        if len(index) >= self.shard_size:
            paths = self.paths.setdefault(lang, [])
            paths.append(str(self.folder / f"vectors-{lang}-{len(paths)}.usearch"))
            index.save(paths[-1])
            self.sealed.setdefault(lang, []).append(index)
            self.live[lang] = Index(ndim=self.dim, metric="cos", dtype="f32")

    def read_ahead(self, queries: dict[str, np.ndarray], k: int) -> None:
        """Search every saved shard for the ``k`` nearest vectors of each of ``queries`` (document
        → mean vector: the next documents to place), one shard mapped at a time."""
        self.sealed, self.ahead = {}, {}
        self.covered = {lang: len(paths) for lang, paths in self.paths.items()}
        if not queries:
            return
        docs = list(queries)
        matrix = np.stack([queries[doc] for doc in docs]).astype(np.float32)
        for lang, paths in self.paths.items():
            for doc, found in zip(docs, self._search_files(paths, matrix, k), strict=True):
                self.ahead[(doc, lang)] = found

    @staticmethod
    def _search_files(paths: list[str], matrix: np.ndarray, k: int) -> list[list[tuple[float, int]]]:
        """(distance, key) of the ``k`` nearest vectors in the shards saved at ``paths``, for each row of ``matrix``."""
        from usearch.index import Index

        found: list[list[tuple[float, int]]] = [[] for _ in range(len(matrix))]
        for path in paths:
            view: Any = Index.restore(path, view=True)
            count = min(k, len(view))
            if len(matrix) == 1:
                one = view.search(matrix[0], count)
                rows = [(one.keys.tolist(), one.distances.tolist(), len(one.keys))]
            else:
                batch = view.search(matrix, count)
                rows = list(
                    zip(batch.keys.tolist(), batch.distances.tolist(), batch.counts.tolist(), strict=True)
                )
            for row, (keys, distances, n) in enumerate(rows):
                found[row].extend(zip(distances[:n], keys[:n], strict=True))
            del view  # unmapped: its pages leave this process
        # one shard answers in its own order, nearest first; several: the nearest of them all
        return [sorted(f)[:k] for f in found] if len(paths) > 1 else found

    def near(self, lang: str, vector: np.ndarray, k: int, *, doc: str) -> list[str]:
        """The ``k`` documents of language ``lang`` whose mean vectors are nearest to ``vector``
        (``doc``'s mean vector, read ahead: see :meth:`read_ahead`)."""
        query = vector.astype(np.float32)
        parts: list[list[tuple[float, int]]] = []
        covered = self.covered.get(lang, 0)  # the saved shards the read-ahead searched
        if covered:
            ahead = self.ahead.get((doc, lang))
            if ahead is None:  # a document that was not read ahead
                ahead = self._search_files(self.paths[lang][:covered], query[None, :], k)[0]
            parts.append(ahead)
        for index in (*self.sealed.get(lang, ()), self.live.get(lang)):
            if index is not None and len(index):
                matches = index.search(query, min(k, len(index)))
                parts.append(list(zip(matches.distances.tolist(), matches.keys.tolist(), strict=True)))
        parts = [part for part in parts if part]
        if not parts:
            return []
        # one index answers in its own order, nearest first; several: the nearest of them all
        nearest = [
            int(key) for _, key in (parts[0] if len(parts) == 1 else sorted(chain.from_iterable(parts))[:k])
        ]
        docs = self.profiles.docs_of_keys(nearest)
        return [docs[key] for key in nearest]
