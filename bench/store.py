"""`make bench`, store part: what the single writer costs on SQLite and on PostgreSQL.

The driver of an ingest (local, or on Dask) is the only writer: every processed document is one
transaction (:meth:`litopys.store.Store.add`), then the corpus-wide reduce steps run once
(:func:`litopys.pipeline.reduce`: relinking, stories, the timeline, search names). Their rate
bounds what any number of workers can feed (docs/scaling.md).

The same real documents (slavicner raw news uk/ru, NTREX en/ru/uk) are processed once, outside the
timing, then written into a fresh SQLite file and, when a server is given (``--pg URL`` or
``LITOPYS_BENCH_PG``, a role that may create databases), a fresh PostgreSQL database on it.
Printed per engine: documents written per second, the reduce step's seconds, both together.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.stories import sources
from litopys.pipeline import IngestReport, process, reduce
from litopys.records import Article, RawDoc
from litopys.stages.ingest import iter_inputs
from litopys.store import Store

PG_ENV = "LITOPYS_BENCH_PG"


def documents(shared: Path, limit: int) -> list[Article]:
    """About ``limit`` processed real documents, an even sample of :func:`bench.stories.sources`
    (every topic and language)."""
    raws = [item for item in iter_inputs(sources(shared)) if isinstance(item, RawDoc)]
    sample = raws[:: max(1, len(raws) // limit)][:limit]
    return [a for a in map(process, sample) if isinstance(a, Article)]


def measure(db: str | Path, articles: list[Article]) -> dict[str, float]:
    with Store(db) as store:
        started = time.perf_counter()
        for article in articles:
            store.add(article)
        written = time.perf_counter() - started
        report = IngestReport(ingested=len(articles))
        started = time.perf_counter()
        reduce(store, report)
        reduced = time.perf_counter() - started
    return {
        "documents": len(articles),
        "write_s": round(written, 2),
        "write_docs_per_s": round(len(articles) / written, 1),
        "reduce_s": round(reduced, 2),
        "total_docs_per_s": round(len(articles) / (written + reduced), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument(
        "--pg", default=os.environ.get(PG_ENV), help="a PostgreSQL server URL (role with CREATEDB)"
    )
    parser.add_argument("--out", type=Path, default=Path("build/bench_store.json"))
    args = parser.parse_args()
    if not (args.shared / "data").is_dir():
        print(f"{args.shared / 'data'} not found: nothing to benchmark.")
        return 0
    started = time.perf_counter()
    articles = documents(args.shared, args.documents)
    print(
        f"store: {len(articles)} documents processed once in {time.perf_counter() - started:.1f} s (not timed below)"
    )
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="litopys-bench-store-") as work:
        results["sqlite"] = measure(Path(work) / "bench.db", articles)
    if args.pg:
        import psycopg

        name = f"litopys_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            results["postgresql"] = measure(f"{args.pg.rpartition('/')[0]}/{name}", articles)
        finally:
            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        print(f"store: no PostgreSQL server given (--pg or {PG_ENV}); SQLite only")
    print(
        f"  {'engine':<11} {'docs':>5} {'write s':>8} {'writes/s':>9} {'reduce s':>9} {'docs/s (both)':>14}"
    )
    for engine, r in results.items():
        print(
            f"  {engine:<11} {r['documents']:>5.0f} {r['write_s']:>8.2f} {r['write_docs_per_s']:>9.1f} "
            f"{r['reduce_s']:>9.2f} {r['total_docs_per_s']:>14.1f}"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"store: numbers in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
