"""The stories stage's reduce step: duplicates, event clusters and storylines, built online.

Each document gets a fingerprint in the per-document map step (:func:`litopys.stages.dedup.fingerprint`).
:func:`update` then takes the documents of the store that have no place yet, in publication order,
and for each one:

1. finds candidates without scanning the corpus: the same exact hash (an index), the same LSH
   band of its MinHash (an index over 32 band keys), and the nearest mean vectors per language
   (usearch ANN indexes, :data:`NEIGHBOURS` per language);
2. tests them: **exact** and **near** duplicates in the same language (estimated shingle Jaccard
   ≥ :data:`~litopys.stages.dedup.NEAR_JACCARD`), **translations** across languages (sentence
   alignment, :func:`~litopys.stages.dedup.translation_score`, best candidate both ways), and
   **rewrites** in the same language (many sentences aligned in order at a high cosine, published
   within :data:`REWRITE_DAYS` days);
3. joins the event cluster of its strongest link, or opens a new one;
4. a new event cluster joins the storyline whose canonical entities (idf-weighted, so that
   "Україна" weighs less than "Білоусов") and, in its own language, mean vector are closest, if the
   similarity reaches :data:`STORYLINE_MIN`; otherwise it opens a new storyline.

Nothing already placed is revisited, so a new batch costs what its own documents cost, plus
loading the indexes once. Ids are stable: an event cluster and a storyline are named after their
first document (``ev-``/``st-`` + its id).
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from litopys.records import Article, Fingerprint, Paragraph, Sentence
from litopys.stages.dates import parse_published
from litopys.stages.dedup import (
    NEAR_JACCARD,
    TRANSLATION_MARGIN,
    TRANSLATION_MIN,
    align,
    band_keys,
    fingerprint,
    jaccard,
    mean_vector,
)
from litopys.store import Store
from litopys.store.db import save_fingerprint

#: nearest documents asked from each language's vector index
NEIGHBOURS = 10
#: a rewrite (same language, other wording of the same report): sentences aligned in order at this cosine,
#: at least this share of the shorter document and this many; on NTREX no two different documents in one
#: language reach 0.5 of their sentences at 0.7 (99.9th percentile 0.22), nor do seeds 000/001/002/004
REWRITE_COSINE = 0.70
REWRITE_SHARE = 0.5
REWRITE_SENTENCES = 3
#: a rewrite is published within this many days of the report it rewrites (when both dates are known)
REWRITE_DAYS = 3
#: fingerprints kept in memory while placing (≈ 20 KB each: float16 sentence vectors); placing 270
#: documents read 5,255 fingerprints for ~20 neighbours each, mostly the same recent documents
FINGERPRINTS_KEPT = 256
#: weights of the storyline similarity of two documents: idf-weighted entity cosine, mean-vector cosine
#: above the language pair's baseline as a share of the range left above it (uk pairs start high), and
#: tf-idf cosine of the term stems (Latin-folded, so uk and ru share many: "pilot", "ryanai", "brexit"). On slavicner raw news (uk, ru) the vectors separate topics
#: better than the entities (same topic: median cosine 0.43 across uk-ru, 0.64 within a language;
#: other topics: 0.14 and 0.17) and also work across languages
STORYLINE_WEIGHTS = (0.5, 1.0, 1.0)
#: median mean-vector cosine of two unrelated documents, per language pair (NTREX: 60 documents in each
#: of en, ru, uk, all other-document pairs); uk is high because USE reads respelled Ukrainian poorly
VECTOR_BASELINE = {
    frozenset({"en"}): 0.155,
    frozenset({"ru"}): 0.141,
    frozenset({"uk"}): 0.453,
    frozenset({"en", "ru"}): 0.139,
    frozenset({"en", "uk"}): 0.153,
    frozenset({"ru", "uk"}): 0.154,
}
VECTOR_BASELINE_OTHER = 0.15
#: a storyline's score for a new event is the mean of its STORYLINE_K best document similarities (a few
#: close documents, not one, so that a single bridging report does not merge two threads)
STORYLINE_K = 5
#: similarity from which an event cluster joins a storyline. Calibrated on raw news of five topics, uk and
#: ru, ingested alone (slavicner asia_bibi, brexit, covid-19; bsnlp ec, trump; `python -m eval.stories
#: --calibrate`), storyline B-cubed F1 at 0.20, 0.25, 0.30, 0.35, 0.40 by the weight of shared term stems:
#:   0.0: 0.849 0.854 0.847 0.829 0.758   0.5: 0.886 0.870 0.870 0.866 0.824   1.0: 0.715 0.903 0.894 0.880 0.862
#: Weight 1.0 at 0.30 (P 0.962): the best score at least 0.1 above the cliff where threads merge (0.20).
#: Earlier calibrations (entities and vectors only) chose k = 5 over k = 3, which merges threads once more
#: topics share the store. Placement order moves F1 by about 0.03.
STORYLINE_MIN = 0.30
#: candidates for the storyline test: documents sharing one of the new document's CANDIDATE_ENTITIES
#: heaviest entities (the latest CANDIDATES_PER_ENTITY of each) and its nearest vectors
CANDIDATE_ENTITIES = 8
CANDIDATES_PER_ENTITY = 200
#: entities in more than this share of the documents say nothing about the storyline (once the store
#: holds MIN_DOCS_FOR_COMMON documents: in a small store every entity is "common")
COMMON_ENTITY_SHARE = 0.5
MIN_DOCS_FOR_COMMON = 20
#: the order of link kinds when a document links to several event clusters
LINK_ORDER = {"exact": 0, "near": 1, "translation": 2, "rewrite": 3}


@dataclass
class StoryReport:
    """What :func:`update` did."""

    placed: int = 0
    fingerprinted: int = 0
    duplicates: int = 0
    events: int = 0
    storylines: int = 0


@dataclass(frozen=True)
class _Link:
    doc: str
    kind: str
    score: float


class _VectorIndex:
    """Per-language ANN indexes over documents' mean vectors (usearch, cosine)."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.indexes: dict[str, Any] = {}
        self.keys: list[str] = []

    def add(self, doc: str, lang: str, vector: np.ndarray) -> None:
        from usearch.index import Index

        index = self.indexes.get(lang)
        if index is None:
            index = self.indexes[lang] = Index(ndim=self.dim, metric="cos", dtype="f32")
        index.add(len(self.keys), vector.astype(np.float32))
        self.keys.append(doc)

    def near(self, lang: str, vector: np.ndarray, k: int = NEIGHBOURS) -> list[str]:
        index = self.indexes.get(lang)
        if index is None or len(index) == 0:
            return []
        found = index.search(vector.astype(np.float32), min(k, len(index)))
        return [self.keys[int(key)] for key in found.keys]


def _fingerprint_row(row: Any) -> Fingerprint:
    return Fingerprint(
        exact=row["exact"],
        minhash=tuple(int(v) for v in np.frombuffer(row["minhash"], dtype=np.uint64)),
        vectors=row["vectors"],
        dim=row["dim"],
        anchors=tuple(json.loads(row["anchors"])),
        terms=tuple(json.loads(row["terms"])) if "terms" in row.keys() else (),  # noqa: SIM118 (sqlite3.Row)
    )


_day = parse_published  # the report date of a document


def _term_counts(items: Iterable[str]) -> dict[str, int]:
    counts = {}
    for item in items:
        stem, _, count = item.rpartition(":")
        if stem and count.isdigit():
            counts[sys.intern(stem)] = int(count)  # one string per stem, not one per document
    return counts


def fill_fingerprints(store: Store) -> int:
    """Fingerprint current documents stored without one (ingested with another stage list)."""
    rows = store.db.execute(
        "SELECT d.id, d.path, d.fmt, d.text, d.lang, d.paragraphs, d.sentences FROM documents d "
        "LEFT JOIN fingerprints f ON f.doc_id = d.id WHERE d.current = 1 AND f.doc_id IS NULL"
    ).fetchall()
    for row in rows:
        article = Article(
            id=row["id"],
            path=row["path"],
            fmt=row["fmt"],
            text=row["text"],
            lang=row["lang"],
            paragraphs=tuple(Paragraph(**p) for p in json.loads(row["paragraphs"])),
            sentences=tuple(Sentence(**s) for s in json.loads(row["sentences"])),
        )
        fp = fingerprint(article).fingerprint
        assert fp is not None
        with store.lock:
            store.db.execute("BEGIN IMMEDIATE")
            try:
                save_fingerprint(store.db, row["id"], fp)
                store.db.execute("COMMIT")
            except BaseException:
                store.db.execute("ROLLBACK")
                raise
    return len(rows)


class _State:
    """What the online assignment keeps in memory: indexes, clusters, storyline profiles."""

    def __init__(self, store: Store) -> None:
        self.store = store
        #: fingerprints read back for rewrite/translation tests, the most recent kept (a new
        #: document is compared with ~20 neighbours, mostly the same recent ones)
        self._fingerprints: OrderedDict[str, Fingerprint] = OrderedDict()
        db = store.db
        self.total = max(1, db.execute("SELECT count(*) FROM documents WHERE current = 1").fetchone()[0])
        self.df = {r[0]: r[1] for r in db.execute("SELECT id, documents FROM entities")}
        self.meta: dict[str, tuple[str, date | None]] = {}
        self.event_of: dict[str, str] = {}
        self.storyline_of_event: dict[str, str] = {}
        self.storyline_of_doc: dict[str, str] = {}
        self.vectors: dict[str, np.ndarray] = {}
        self.by_entity: dict[str, list[str]] = defaultdict(list)
        self.entities = self._load_entities()
        self.best_translation: dict[tuple[str, str], float] = {}
        self.index = _VectorIndex(512)
        self.seq = db.execute("SELECT coalesce(max(seq), 0) FROM story_members").fetchone()[0]
        self.term_df: Counter[str] = Counter()
        self.term_docs = 0
        self.doc_terms: dict[str, dict[str, float]] = {}
        placed_counts: dict[str, dict[str, int]] = {}
        # row by row: each document's sentence vectors (≈ 20 KB) are reduced to their mean as they
        # arrive, never all held at once
        for row in store.stream(
            "SELECT m.doc_id, m.event, m.storyline, d.lang, d.published, f.vectors, f.dim, f.terms "
            "FROM story_members m JOIN documents d ON d.id = m.doc_id JOIN fingerprints f ON f.doc_id = m.doc_id "
            "WHERE d.current = 1 ORDER BY m.seq"
        ):
            doc, lang = row["doc_id"], row["lang"]
            placed_counts[doc] = _term_counts(json.loads(row["terms"]))
            self.meta[doc] = (lang, _day(row["published"]))
            self.event_of[doc] = row["event"]
            self.storyline_of_event[row["event"]] = row["storyline"]
            vector = mean_vector(Fingerprint("", (), row["vectors"], row["dim"]))
            self.index.add(doc, lang, vector)
            self._remember(doc, lang, row["storyline"], vector)
        for counts in placed_counts.values():
            self._count_terms(counts)
        for doc in list(placed_counts):  # counts give way to their vector one by one
            self.doc_terms[doc] = self._term_vector(placed_counts.pop(doc))
        for row in db.execute("SELECT a, b, score FROM duplicates WHERE kind = 'translation'"):
            for x, y in ((row["a"], row["b"]), (row["b"], row["a"])):
                if y in self.meta:
                    key = (x, self.meta[y][0])
                    self.best_translation[key] = max(self.best_translation.get(key, -math.inf), row["score"])

    # -- entities ---------------------------------------------------------------------------------
    def _load_entities(self) -> dict[str, dict[str, float]]:
        counts: dict[str, dict[str, int]] = defaultdict(dict)
        for doc, entity, count in self.store.db.execute(
            "SELECT m.doc_id, m.entity, count(*) FROM mentions m JOIN documents d ON d.id = m.doc_id "
            "WHERE d.current = 1 AND m.entity IS NOT NULL GROUP BY m.doc_id, m.entity"
        ):
            counts[doc][entity] = count
        return {doc: self._weights(found) for doc, found in counts.items()}

    def _weights(self, counts: dict[str, int]) -> dict[str, float]:
        """idf-weighted, unit-length entity vector; entities in most documents are left out."""
        vector: dict[str, float] = {}
        for entity, count in counts.items():
            df = self.df.get(entity, 1)
            if df / self.total > COMMON_ENTITY_SHARE and self.total >= MIN_DOCS_FOR_COMMON:
                continue
            vector[entity] = (1 + math.log(count)) * math.log(1 + self.total / df)
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {k: v / norm for k, v in vector.items()}

    def _remember(self, doc: str, lang: str, storyline: str, vector: np.ndarray) -> None:
        self.storyline_of_doc[doc] = storyline
        self.vectors[doc] = vector
        for entity in self.entities.get(doc, {}):
            self.by_entity[entity].append(doc)

    def _count_terms(self, counts: dict[str, int]) -> None:
        if counts:
            self.term_df.update(counts.keys())
            self.term_docs += 1

    def _term_vector(self, counts: dict[str, int]) -> dict[str, float]:
        """tf-idf over the store's documents so far, unit length ("україн" in every report weighs little)."""
        total = max(1, self.term_docs)
        vector = {
            t: (1 + math.log(c)) * math.log(1 + total / (1 + self.term_df.get(t, 0)))
            for t, c in counts.items()
        }
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def similarity(self, doc: str, lang: str, vector: np.ndarray, other: str) -> float:
        """Storyline evidence between two documents: shared entities, vectors, shared term stems."""
        mine, theirs = self.entities.get(doc, {}), self.entities.get(other, {})
        entity_cos = sum(w * theirs.get(e, 0.0) for e, w in mine.items())
        base = VECTOR_BASELINE.get(frozenset({lang, self.meta[other][0]}), VECTOR_BASELINE_OTHER)
        vector_cos = (float(vector @ self.vectors[other]) - base) / (1.0 - base)
        my_terms, their_terms = self.doc_terms.get(doc, {}), self.doc_terms.get(other, {})
        term_cos = sum(w * their_terms.get(t, 0.0) for t, w in my_terms.items())
        weights = STORYLINE_WEIGHTS
        return weights[0] * entity_cos + weights[1] * vector_cos + weights[2] * term_cos

    def storyline_for(self, doc: str, lang: str, vector: np.ndarray) -> tuple[str | None, float]:
        """The storyline whose closest documents are closest to ``doc`` (mean of its top
        :data:`STORYLINE_K` similarities), if it reaches :data:`STORYLINE_MIN`."""
        mine = self.entities.get(doc, {})
        candidates = set(self.index.near(lang, vector))
        for entity, _ in sorted(mine.items(), key=lambda item: -item[1])[:CANDIDATE_ENTITIES]:
            candidates.update(self.by_entity.get(entity, [])[-CANDIDATES_PER_ENTITY:])
        by_storyline: dict[str, list[float]] = defaultdict(list)
        for other in candidates:
            if other in self.storyline_of_doc:
                by_storyline[self.storyline_of_doc[other]].append(self.similarity(doc, lang, vector, other))
        best, best_score = None, 0.0
        for storyline, sims in sorted(by_storyline.items()):
            top = sorted(sims, reverse=True)[:STORYLINE_K]
            score = sum(top) / len(top)
            if score > best_score:
                best, best_score = storyline, score
        return (best, best_score) if best_score >= STORYLINE_MIN else (None, best_score)

    # -- links -----------------------------------------------------------------------------------
    def links(
        self, doc: str, lang: str, day: date | None, fp: Fingerprint, vector: np.ndarray
    ) -> list[_Link]:
        db = self.store.db
        found: dict[str, _Link] = {}
        for (other,) in db.execute(
            "SELECT doc_id FROM fingerprints WHERE exact = ? AND doc_id != ? ORDER BY doc_id", (fp.exact, doc)
        ):
            if other in self.meta and self.meta[other][0] == lang:
                found[other] = _Link(other, "exact", 1.0)
        keys = band_keys(fp.minhash)
        # one query for all bands (an OR of (band, key) pairs, each answered from the index lsh_key):
        # one round trip per document instead of one per band, which a server store feels
        bands = " OR ".join(["(band = ? AND key = ?)"] * len(keys))
        candidates: set[str] = {
            r[0]
            for r in db.execute(
                f"SELECT doc_id FROM lsh WHERE ({bands}) AND doc_id != ?",
                (*(v for pair in enumerate(keys) for v in pair), doc),
            )
        }
        for other in sorted(candidates - set(found)):
            if other not in self.meta or self.meta[other][0] != lang:
                continue
            row = db.execute("SELECT * FROM fingerprints WHERE doc_id = ?", (other,)).fetchone()
            score = jaccard(fp.minhash, _fingerprint_row(row).minhash)
            if score >= NEAR_JACCARD:
                found[other] = _Link(other, "near", round(score, 3))
        for other_lang in sorted(self.index.indexes):
            near = [d for d in self.index.near(other_lang, vector) if d not in found]
            if other_lang == lang:
                for other in near:
                    link = self._rewrite(doc, other, lang, day, fp)
                    if link:
                        found[other] = link
                continue
            best: _Link | None = None
            for other in near:
                other_fp = self._fingerprint(other)
                score = align(fp, other_fp, lang, other_lang).score()
                if score >= TRANSLATION_MIN and (best is None or score > best.score):
                    best = _Link(other, "translation", round(score, 3))
            if (
                best
                and best.score >= self.best_translation.get((best.doc, lang), -math.inf) - TRANSLATION_MARGIN
            ):
                found[best.doc] = best
        return sorted(found.values(), key=lambda link: (LINK_ORDER[link.kind], -link.score, link.doc))

    def _fingerprint(self, doc: str) -> Fingerprint:
        found = self._fingerprints.get(doc)
        if found is not None:
            self._fingerprints.move_to_end(doc)
            return found
        row = self.store.db.execute("SELECT * FROM fingerprints WHERE doc_id = ?", (doc,)).fetchone()
        return self.keep_fingerprint(doc, _fingerprint_row(row))

    def keep_fingerprint(self, doc: str, fp: Fingerprint) -> Fingerprint:
        """Keep ``fp`` among the recent fingerprints (a new document's neighbours are mostly the
        documents placed just before it, whose fingerprints were read to place them)."""
        self._fingerprints[doc] = fp
        self._fingerprints.move_to_end(doc)
        if len(self._fingerprints) > FINGERPRINTS_KEPT:
            self._fingerprints.popitem(last=False)
        return fp

    def _rewrite(self, doc: str, other: str, lang: str, day: date | None, fp: Fingerprint) -> _Link | None:
        other_day = self.meta[other][1]
        if day and other_day and abs((day - other_day).days) > REWRITE_DAYS:
            return None
        other_fp = self._fingerprint(other)
        alignment = align(fp, other_fp, lang, lang, threshold=REWRITE_COSINE)
        shorter = min(len(fp.vectors), len(other_fp.vectors)) // (2 * fp.dim)
        if alignment.ordered >= REWRITE_SHARE and alignment.ordered * shorter >= REWRITE_SENTENCES:
            return _Link(other, "rewrite", round(alignment.ordered, 3))
        return None

    # -- placing ---------------------------------------------------------------------------------
    def _prepare_terms(self, doc: str, fp: Fingerprint) -> dict[str, int]:
        counts = _term_counts(fp.terms)
        self.doc_terms[doc] = self._term_vector(counts)
        return counts

    def place(
        self, doc: str, lang: str, published: str | None, fp: Fingerprint
    ) -> tuple[list[_Link], str, str]:
        day = _day(published)
        vector = mean_vector(fp)
        counts = self._prepare_terms(doc, fp)
        links = self.links(doc, lang, day, fp, vector)
        if links:
            event = self.event_of[links[0].doc]
            storyline = self.storyline_of_event[event]
        else:
            event = f"ev-{doc}"
            joined, _ = self.storyline_for(doc, lang, vector)
            storyline = joined or f"st-{doc}"
        self.meta[doc] = (lang, day)
        self.event_of[doc] = event
        self.storyline_of_event[event] = storyline
        self.index.add(doc, lang, vector)
        self._remember(doc, lang, storyline, vector)
        self._count_terms(counts)
        for link in links:
            if link.kind == "translation":
                other_lang = self.meta[link.doc][0]
                for key in ((doc, other_lang), (link.doc, lang)):
                    self.best_translation[key] = max(self.best_translation.get(key, -math.inf), link.score)
        return links, event, storyline


def _unplaced(store: Store) -> Iterator[Any]:
    """The current documents with no event cluster yet, in publication order, with their
    fingerprints: the ids are read first, each fingerprint (≈ 20 KB) when its turn comes, so a
    batch of 100,000 new documents is not held in memory at once."""
    ids = [
        r[0]
        for r in store.db.execute(
            "SELECT d.id FROM documents d JOIN fingerprints f ON f.doc_id = d.id "
            "LEFT JOIN story_members m ON m.doc_id = d.id WHERE d.current = 1 AND m.doc_id IS NULL "
            "ORDER BY coalesce(d.published, ''), d.ingested_at, d.rowid"
        )
    ]
    for doc in ids:
        yield store.db.execute(
            "SELECT d.id, d.lang, d.published, f.* FROM documents d JOIN fingerprints f ON f.doc_id = d.id "
            "WHERE d.id = ?",
            (doc,),
        ).fetchone()


def update(store: Store, *, on_item: Callable[[], None] | None = None) -> StoryReport:
    """Place every current document of ``store`` that has no event cluster yet (module docs)."""
    report = StoryReport(fingerprinted=fill_fingerprints(store))
    state = _State(store)
    events_before = len(set(state.event_of.values()))
    storylines_before = len(set(state.storyline_of_doc.values()))
    pending: list[tuple[str, list[_Link], str, str, int]] = []
    for row in _unplaced(store):
        fp = state.keep_fingerprint(row["id"], _fingerprint_row(row))
        links, event, storyline = state.place(row["id"], row["lang"], row["published"], fp)
        state.seq += 1
        pending.append((row["id"], links, event, storyline, state.seq))
        report.placed += 1
        if on_item:
            on_item()
    with store.lock:
        store.db.execute("BEGIN IMMEDIATE")
        try:
            for doc, links, event, storyline, seq in pending:
                store.db.execute(
                    "INSERT OR REPLACE INTO story_members (doc_id, event, storyline, seq) VALUES (?, ?, ?, ?)",
                    (doc, event, storyline, seq),
                )
                for link in links:
                    if link.kind in ("exact", "near", "translation"):
                        store.db.execute(
                            "INSERT OR REPLACE INTO duplicates (a, b, kind, score) VALUES (?, ?, ?, ?)",
                            (doc, link.doc, link.kind, link.score),
                        )
                        report.duplicates += 1
            store.db.execute("COMMIT")
        except BaseException:
            store.db.execute("ROLLBACK")
            raise
    report.events = len(set(state.event_of.values())) - events_before
    report.storylines = len(set(state.storyline_of_doc.values())) - storylines_before
    return report
