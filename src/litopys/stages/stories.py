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
loading the indexes once. The working state (vector indexes, per-document profiles) is bounded in
memory whatever the size of the store: what does not fit lives in a temporary folder for the length
of the update (:mod:`litopys.stages.story_state`). Ids are stable: an event cluster and a storyline are named after their
first document (``ev-``/``st-`` + its id).
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
from array import array
from collections import Counter, OrderedDict, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
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
    matrix,
    mean_vector,
)
from litopys.stages.story_state import READ_AHEAD, Profile, Profiles, VectorIndex
from litopys.store import Store
from litopys.store.db import batched, save_fingerprint

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
#: placed documents written to the store per transaction
WRITE_EVERY = 1000
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


def _fingerprint_row(row: Any) -> Fingerprint:
    return Fingerprint(
        exact=row["exact"],
        minhash=tuple(np.frombuffer(row["minhash"], dtype=np.uint64).tolist()),
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
    ids = [
        r[0]
        for r in store.db.execute(
            "SELECT d.id FROM documents d LEFT JOIN fingerprints f ON f.doc_id = d.id "
            "WHERE d.current = 1 AND f.doc_id IS NULL ORDER BY d.id"
        )
    ]
    for doc in ids:  # one document's text at a time
        row = store.db.execute(
            "SELECT id, path, fmt, text, lang, paragraphs, sentences FROM documents WHERE id = ?", (doc,)
        ).fetchone()
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
    return len(ids)


class _State:
    """The online assignment's working state: indexes and per-document profiles
    (:mod:`litopys.stages.story_state`: bounded in memory, the rest in a temporary folder)."""

    def __init__(self, store: Store, folder: Path) -> None:
        self.store = store
        #: fingerprints read back for rewrite/translation tests, the most recent kept (a new
        #: document is compared with ~20 neighbours, mostly the same recent ones)
        self._fingerprints: OrderedDict[str, Fingerprint] = OrderedDict()
        db = store.db
        self.total = max(1, db.execute("SELECT count(*) FROM documents WHERE current = 1").fetchone()[0])
        self.df = {r[0]: r[1] for r in db.execute("SELECT id, documents FROM entities")}
        self.profiles = Profiles(folder)
        self.index = VectorIndex(512, folder, self.profiles)
        #: the latest placed documents mentioning each entity (the storyline test's candidates)
        self.by_entity: dict[str, deque[str]] = defaultdict(lambda: deque(maxlen=CANDIDATES_PER_ENTITY))
        self.seq = db.execute("SELECT coalesce(max(seq), 0) FROM story_members").fetchone()[0]
        self.term_df: Counter[str] = Counter()
        self.term_docs = 0
        self._load_entities()
        # row by row: each document's sentence vectors (≈ 20 KB) are reduced to their mean as they
        # arrive, its term counts kept in its profile until the store's term frequencies are known
        for row in store.stream(
            "SELECT m.doc_id, m.event, m.storyline, d.lang, d.published, f.vectors, f.dim, f.terms "
            "FROM story_members m JOIN documents d ON d.id = m.doc_id JOIN fingerprints f ON f.doc_id = m.doc_id "
            "WHERE d.current = 1 ORDER BY m.seq"
        ):
            doc = sys.intern(row["doc_id"])
            profile = self.profiles.get(doc) or Profile()
            profile.lang, profile.day = row["lang"], _day(row["published"])
            profile.event, profile.storyline = row["event"], row["storyline"]
            profile.vector = mean_vector(Fingerprint("", (), row["vectors"], row["dim"]))
            profile.terms = dict(_term_counts(json.loads(row["terms"])))
            self._count_terms(profile.terms)
            self.profiles.put(doc, profile)
            self.index.add(doc, profile.lang, profile.vector)
            self._remember(doc, profile)
        for doc in self.profiles.docs():  # counts give way to their tf-idf vector
            stored = self.profiles.get(doc)
            if stored is not None and stored.placed:
                stored.terms = self._term_vector({t: int(c) for t, c in stored.terms.items()})
                self.profiles.put(doc, stored)
        for row in store.stream("SELECT a, b, score FROM duplicates WHERE kind = 'translation'"):
            for x, y in ((row["a"], row["b"]), (row["b"], row["a"])):
                other = self.profiles.get(y)
                if other is not None and other.placed:
                    assert other.lang is not None
                    self._better_translation(x, other.lang, row["score"])

    def close(self) -> None:
        self.profiles.close()

    # -- entities ---------------------------------------------------------------------------------
    def _load_entities(self) -> None:
        """Every current document's entity weights, streamed document by document into its profile."""
        doc: str | None = None
        counts: dict[str, int] = {}
        for row in self.store.stream(
            "SELECT m.doc_id, m.entity, count(*) FROM mentions m JOIN documents d ON d.id = m.doc_id "
            "WHERE d.current = 1 AND m.entity IS NOT NULL GROUP BY m.doc_id, m.entity ORDER BY m.doc_id, m.entity"
        ):
            if row[0] != doc:
                if doc is not None:
                    self.profiles.put(doc, Profile(entities=self._weights(counts)))
                doc, counts = sys.intern(row[0]), {}
            counts[row[1]] = row[2]
        if doc is not None:
            self.profiles.put(doc, Profile(entities=self._weights(counts)))

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

    def _remember(self, doc: str, profile: Profile) -> None:
        for entity in profile.entities:
            self.by_entity[entity].append(doc)

    def _better_translation(self, doc: str, lang: str, score: float) -> None:
        profile = self.profiles.get(doc) or Profile()
        profile.translations[lang] = max(profile.translations.get(lang, -math.inf), score)
        self.profiles.put(doc, profile)

    def _count_terms(self, counts: dict[str, Any]) -> None:
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

    @staticmethod
    def similarity(mine: Profile, theirs: Profile) -> float:
        """Storyline evidence between two documents: shared entities, vectors, shared term stems."""
        assert mine.vector is not None and theirs.vector is not None
        # over the shared keys only (a set intersection in C); fsum: exactly rounded, so the order
        # of a set does not change the sum
        entity_cos = math.fsum(
            mine.entities[e] * theirs.entities[e] for e in mine.entities.keys() & theirs.entities.keys()
        )
        base = VECTOR_BASELINE.get(frozenset({mine.lang or "", theirs.lang or ""}), VECTOR_BASELINE_OTHER)
        vector_cos = (float(mine.vector @ theirs.vector) - base) / (1.0 - base)
        term_cos = math.fsum(mine.terms[t] * theirs.terms[t] for t in mine.terms.keys() & theirs.terms.keys())
        weights = STORYLINE_WEIGHTS
        return weights[0] * entity_cos + weights[1] * vector_cos + weights[2] * term_cos

    def storyline_for(self, doc: str, mine: Profile) -> tuple[str | None, float]:
        """The storyline whose closest documents are closest to ``mine`` (mean of its top
        :data:`STORYLINE_K` similarities), if it reaches :data:`STORYLINE_MIN`."""
        assert mine.lang is not None and mine.vector is not None
        candidates = set(self.index.near(mine.lang, mine.vector, NEIGHBOURS, doc=doc))
        for entity, _ in sorted(mine.entities.items(), key=lambda item: -item[1])[:CANDIDATE_ENTITIES]:
            candidates.update(self.by_entity.get(entity, ()))
        by_storyline: dict[str, list[float]] = defaultdict(list)
        for other in self.profiles.get_many(candidates).values():
            if other.storyline is not None:
                by_storyline[other.storyline].append(self.similarity(mine, other))
        best, best_score = None, 0.0
        for storyline, sims in sorted(by_storyline.items()):
            top = sorted(sims, reverse=True)[:STORYLINE_K]
            score = sum(top) / len(top)
            if score > best_score:
                best, best_score = storyline, score
        return (best, best_score) if best_score >= STORYLINE_MIN else (None, best_score)

    # -- links -----------------------------------------------------------------------------------
    def _placed(self, doc: str, lang: str | None = None) -> Profile | None:
        """The profile of ``doc`` if it is placed (and in ``lang``, when given)."""
        profile = self.profiles.get(doc)
        if profile is None or not profile.placed or (lang is not None and profile.lang != lang):
            return None
        return profile

    def links(self, doc: str, mine: Profile, fp: Fingerprint, rows: np.ndarray) -> list[_Link]:
        """``doc``'s duplicates, translations and rewrites among the placed documents (``rows``: its
        sentence vectors, :func:`~litopys.stages.dedup.matrix` of ``fp``)."""
        db = self.store.db
        lang, vector = mine.lang, mine.vector
        assert lang is not None and vector is not None
        found: dict[str, _Link] = {}
        for (other,) in db.execute(
            "SELECT doc_id FROM fingerprints WHERE exact = ? AND doc_id != ? ORDER BY doc_id", (fp.exact, doc)
        ).fetchall():
            if self._placed(other, lang):
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
            if not self._placed(other, lang):
                continue
            row = db.execute("SELECT * FROM fingerprints WHERE doc_id = ?", (other,)).fetchone()
            score = jaccard(fp.minhash, _fingerprint_row(row).minhash)
            if score >= NEAR_JACCARD:
                found[other] = _Link(other, "near", round(score, 3))
        for other_lang in self.index.languages:
            near = [d for d in self.index.near(other_lang, vector, NEIGHBOURS, doc=doc) if d not in found]
            if other_lang == lang:
                for other in near:
                    link = self._rewrite(other, mine, fp, rows)
                    if link:
                        found[other] = link
                continue
            best: _Link | None = None
            for other in near:
                other_fp, theirs = self._fingerprint(other), self.profiles.get(other)
                assert theirs is not None
                score = align(
                    fp, other_fp, lang, other_lang, rows_a=rows, mean_a=vector, mean_b=theirs.vector
                ).score()
                if score >= TRANSLATION_MIN and (best is None or score > best.score):
                    best = _Link(other, "translation", round(score, 3))
            if best:
                theirs = self.profiles.get(best.doc)
                known = theirs.translations.get(lang, -math.inf) if theirs else -math.inf
                if best.score >= known - TRANSLATION_MARGIN:
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

    def _rewrite(self, other: str, mine: Profile, fp: Fingerprint, rows: np.ndarray) -> _Link | None:
        theirs = self.profiles.get(other)
        assert theirs is not None and mine.lang is not None
        if mine.day and theirs.day and abs((mine.day - theirs.day).days) > REWRITE_DAYS:
            return None
        other_fp = self._fingerprint(other)
        alignment = align(
            fp,
            other_fp,
            mine.lang,
            mine.lang,
            threshold=REWRITE_COSINE,
            rows_a=rows,
            mean_a=mine.vector,
            mean_b=theirs.vector,
        )
        shorter = min(len(fp.vectors), len(other_fp.vectors)) // (2 * fp.dim)
        if alignment.ordered >= REWRITE_SHARE and alignment.ordered * shorter >= REWRITE_SENTENCES:
            return _Link(other, "rewrite", round(alignment.ordered, 3))
        return None

    # -- placing ---------------------------------------------------------------------------------
    def place(
        self, doc: str, lang: str, published: str | None, fp: Fingerprint
    ) -> tuple[list[_Link], str, str]:
        doc = sys.intern(doc)
        mine = self.profiles.get(doc) or Profile()
        rows = matrix(fp)
        mine.lang, mine.day, mine.vector = lang, _day(published), mean_vector(fp, rows=rows)
        counts = _term_counts(fp.terms)
        mine.terms = self._term_vector(counts)
        links = self.links(doc, mine, fp, rows)
        if links:
            first = self.profiles.get(links[0].doc)
            assert first is not None and first.event is not None and first.storyline is not None
            event, storyline = first.event, first.storyline
        else:
            event = f"ev-{doc}"
            joined, _ = self.storyline_for(doc, mine)
            storyline = joined or f"st-{doc}"
        mine.event, mine.storyline = event, storyline
        self.profiles.put(doc, mine)
        self.index.add(doc, lang, mine.vector)
        self._remember(doc, mine)
        self._count_terms(counts)
        for link in links:
            if link.kind == "translation":
                theirs = self.profiles.get(link.doc)
                assert theirs is not None and theirs.lang is not None
                self._better_translation(doc, theirs.lang, link.score)
                self._better_translation(link.doc, lang, link.score)
        return links, event, storyline


def _unplaced(store: Store) -> Iterator[Any]:
    """The current documents with no event cluster yet, in publication order, with their
    fingerprints: the row numbers are read first (8 bytes each, in an array), each fingerprint
    (≈ 20 KB) when its turn comes, so a batch of 100,000 new documents is not held in memory."""
    rows = array(
        "q",
        (
            r[0]
            for r in store.db.execute(
                "SELECT d.rowid FROM documents d JOIN fingerprints f ON f.doc_id = d.id "
                "LEFT JOIN story_members m ON m.doc_id = d.id WHERE d.current = 1 AND m.doc_id IS NULL "
                "ORDER BY coalesce(d.published, ''), d.ingested_at, d.rowid"
            )
        ),
    )
    for rowid in rows:
        yield store.db.execute(
            "SELECT d.id, d.lang, d.published, f.* FROM documents d JOIN fingerprints f ON f.doc_id = d.id "
            "WHERE d.rowid = ?",
            (rowid,),
        ).fetchone()


def _counts(store: Store) -> tuple[int, int]:
    """Event clusters and storylines of the current documents."""
    row = store.db.execute(
        "SELECT count(DISTINCT m.event), count(DISTINCT m.storyline) FROM story_members m "
        "JOIN documents d ON d.id = m.doc_id WHERE d.current = 1"
    ).fetchone()
    return row[0], row[1]


def _write(store: Store, placed: list[tuple[str, list[_Link], str, str, int]], report: StoryReport) -> None:
    """Store a run of placed documents (one transaction)."""
    with store.lock:
        store.db.execute("BEGIN IMMEDIATE")
        try:
            for doc, links, event, storyline, seq in placed:
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
    placed.clear()


def update(store: Store, *, on_item: Callable[[], None] | None = None) -> StoryReport:
    """Place every current document of ``store`` that has no event cluster yet (module docs).

    Placements are written in runs of :data:`WRITE_EVERY` documents: placing reads only
    fingerprints and LSH keys from the store, never what it wrote, so a run stored early changes
    nothing, and an interrupted update leaves the rest to be placed by the next one."""
    report = StoryReport(fingerprinted=fill_fingerprints(store))
    events_before, storylines_before = _counts(store)
    with tempfile.TemporaryDirectory(prefix="litopys-stories-") as folder:
        state = _State(store, Path(folder))
        try:
            pending: list[tuple[str, list[_Link], str, str, int]] = []
            for window in batched(_unplaced(store), READ_AHEAD):
                fps = {row["id"]: _fingerprint_row(row) for row in window}
                state.index.read_ahead({doc: mean_vector(fp) for doc, fp in fps.items()}, NEIGHBOURS)
                for row in window:
                    fp = state.keep_fingerprint(row["id"], fps[row["id"]])
                    links, event, storyline = state.place(row["id"], row["lang"], row["published"], fp)
                    state.seq += 1
                    pending.append((row["id"], links, event, storyline, state.seq))
                    report.placed += 1
                    if len(pending) >= WRITE_EVERY:
                        _write(store, pending, report)
                    if on_item:
                        on_item()
            _write(store, pending, report)
        finally:
            state.close()
    events_after, storylines_after = _counts(store)
    report.events = events_after - events_before
    report.storylines = storylines_after - storylines_before
    return report
