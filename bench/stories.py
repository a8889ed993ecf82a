"""`make bench`, stories part: translation detection speed and online clustering cost as the store grows.

1. **Translation detection** (one core): the fingerprint stage (USE sentence vectors, MinHash,
   anchors) over real uk/ru/en pages, and the pairwise translation test, in documents per second.
   Target (issue 4): at least 20 documents per second.
2. **Online clustering, 1k → 10k documents**: ~1,200 real pages (slavicner raw news uk/ru, NTREX
   en/ru/uk) go through the whole pipeline once; the store is then filled in batches of 1,000
   perturbed copies of them (another publication date, one sentence dropped, every 20th word of the
   body dropped, so each copy is a near duplicate of its source, not an exact one; the copy keeps
   its source's sentence vectors for the sentences it keeps and its canonical entities). After each
   batch the stories reduce step places the new documents: the time per new document should stay
   flat as the store grows (its candidates come from indexes, not from a scan).
3. **Search and export** on the 10,000-document store (``bench.chronicle``): search p95 latency
   (target < 50 ms) and the time of each export format (target < 30 s).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from bench import chronicle
from litopys.pipeline import STAGES, process
from litopys.records import Article, RawDoc, content_id
from litopys.stages import stories, timeline
from litopys.stages.dedup import align, encoder, fingerprint, minhash, normal_words
from litopys.stages.entities import relink
from litopys.stages.ingest import iter_inputs
from litopys.store import Store

TARGET_TRANSLATION_DOCS_PER_SECOND = 20
BATCH = 1000
SEED = 0


def sources(shared: Path) -> list[Path]:
    data = shared / "data"
    folders = [
        data / "slavicner" / "raw" / t / lang
        for t in ("brexit", "covid-19", "nord_stream", "ryanair", "asia_bibi")
        for lang in ("uk", "ru")
    ]
    folders += [data / "ntrex" / lang for lang in ("en", "ru", "uk")]
    return [f for f in folders if f.is_dir()]


def translation_speed(articles: list[Article]) -> float:
    """Fingerprint documents and test each against one other-language document; documents/s."""
    stripped = [a.evolve(fingerprint=None) for a in articles]
    started = time.perf_counter()
    done = [fingerprint(a) for a in stripped]
    for a, b in zip(done, done[1:] + done[:1], strict=True):
        if a.fingerprint and b.fingerprint:
            align(a.fingerprint, b.fingerprint, a.lang, b.lang).score()
    return len(done) / (time.perf_counter() - started)


def perturbed(article: Article, copy: int, rng: random.Random) -> Article:
    """A near-duplicate copy of ``article`` with its own id, path and date (module docs)."""
    fp = article.fingerprint
    assert fp is not None
    rows = np.frombuffer(fp.vectors, dtype=np.float16).reshape(-1, fp.dim)
    if len(rows) > 2:
        drop = rng.randrange(1, len(rows))
        rows = np.delete(rows, drop, axis=0)
    words = [w for i, w in enumerate(normal_words(article.body or article.text)) if i % 20 != copy % 20]
    day = date(2018, 1, 1) + timedelta(days=rng.randrange(0, 730))
    new_fp = replace(
        fp, exact=content_id(" ".join(words).encode()), minhash=minhash(words), vectors=rows.tobytes()
    )
    doc_id = content_id(f"{article.id}/{copy}".encode())
    return article.evolve(
        id=doc_id, path=f"bench/{copy}/{article.path}", published=day.isoformat(), fingerprint=new_fp
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--size", type=int, default=10_000, help="documents in the store at the end")
    parser.add_argument("--keep", type=Path, help="copy the final store to this file (for profiling)")
    args = parser.parse_args()
    folders = sources(args.shared)
    if not folders:
        print("shared data not found: stories benchmark skipped.")
        return 0
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    encoder()
    articles = []
    for item in iter_inputs(folders):
        if isinstance(item, RawDoc):
            result = process(item, stages=STAGES)
            if isinstance(result, Article) and result.fingerprint is not None:
                articles.append(result)
    rate = translation_speed(articles[:300])
    print(
        f"translation detection: fingerprint + alignment, {rate:.1f} documents/s on one core (target >= {TARGET_TRANSLATION_DOCS_PER_SECOND})"
    )

    rng = random.Random(SEED)
    with (
        tempfile.TemporaryDirectory(prefix="litopys-bench-stories-") as tmp,
        Store(Path(tmp) / "bench.db") as store,
    ):
        for article in articles:  # the originals first, placed like any batch
            store.add(article)
        relink(store)
        stories.update(store)
        print(
            f"online clustering ({len(articles)} real documents, then batches of {BATCH} perturbed copies):"
        )
        print("  store size   ms per new document (placing)   index load s   event clusters   storylines")
        copy = 0
        while store.db.execute("SELECT count(*) FROM documents").fetchone()[0] < args.size:
            batch = []
            for _ in range(BATCH):
                copy += 1
                source = articles[rng.randrange(len(articles))]
                batch.append((perturbed(source, copy, rng), source.id))
            for article, source_id in batch:
                store.add(article)
                store.db.execute(
                    "UPDATE mentions SET entity = (SELECT s.entity FROM mentions s WHERE s.doc_id = ? "
                    "AND s.start = mentions.start) WHERE doc_id = ?",
                    (source_id, article.id),
                )
            started = time.perf_counter()
            with tempfile.TemporaryDirectory() as folder:  # what one update pays once to load its indexes
                stories._State(store, Path(folder)).close()
            loaded = time.perf_counter() - started
            started = time.perf_counter()
            report = stories.update(store)
            elapsed = time.perf_counter() - started - loaded
            size = store.db.execute("SELECT count(*) FROM documents").fetchone()[0]
            events = store.db.execute("SELECT count(DISTINCT event) FROM story_members").fetchone()[0]
            lines = store.db.execute("SELECT count(DISTINCT storyline) FROM story_members").fetchone()[0]
            print(
                f"  {size:>10}   {1000 * elapsed / max(1, report.placed):>30.2f}   {loaded:>12.2f}   {events:>14}   {lines:>10}"
            )
        started = time.perf_counter()
        canonical = timeline.rebuild(store)
        mentions = store.db.execute("SELECT count(*) FROM event_mentions").fetchone()[0]
        print(
            f"timeline reduce step: {mentions:,} event mentions -> {canonical:,} canonical events "
            f"in {time.perf_counter() - started:.1f} s"
        )
        chronicle_ok = chronicle.measure(store)  # search and export on the same 10k store
        if args.keep:
            store.db.execute("VACUUM INTO ?", (str(args.keep),))
    return 0 if rate >= TARGET_TRANSLATION_DOCS_PER_SECOND and chronicle_ok else 1


if __name__ == "__main__":
    sys.exit(main())
