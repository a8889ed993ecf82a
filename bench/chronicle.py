"""`make bench`, chronicle part: search latency and export time on a 10,000-document store.

Run by ``bench.stories`` on the store it grows to 10,000 documents (real pages and perturbed copies,
with entities, event clusters and canonical events), so the store is realistic in size and shape.

* **Search** (issue 6 target: p95 < 50 ms): queries of four kinds, each run once after one warm-up
  query: entity names in uk/ru/en (cross-lingual through the name table), common lemmas, two-word
  queries, and filtered queries (language, date range, event type). Snippets included, limit 10.
* **Export** (target: < 30 s for 10,000 documents): JSON Lines, CSV, GraphML and the HTML report.
"""

from __future__ import annotations

import io
import itertools
import json
import statistics
import tempfile
import time
from pathlib import Path

from litopys import search
from litopys.exports import export_jsonl
from litopys.exports.graph import export_graph
from litopys.exports.tables import export_csv
from litopys.store import Store

TARGET_SEARCH_P95_MS = 50.0
TARGET_EXPORT_S = 30.0
#: common words of the slavicner/NTREX topics, uk and ru (lemma queries)
WORDS = (
    "угода",
    "газопровід",
    "вакцина",
    "пілот",
    "страйк",
    "сделка",
    "газопровод",
    "вакцина",
    "суд",
    "міністр",
)


def queries(store: Store) -> list[tuple[str, dict[str, str]]]:
    """The benchmark's queries: (query, filters)."""
    found: list[tuple[str, dict[str, str]]] = []
    rows = store.db.execute("SELECT name, names FROM entities ORDER BY documents DESC LIMIT 40").fetchall()
    for row in rows:
        found.append((row["name"], {}))
        for name in json.loads(row["names"]).values():
            if name != row["name"]:
                found.append((name, {}))
    found += [(word, {}) for word in WORDS]
    found += [(f"{a} {b}", {}) for a, b in itertools.pairwise(WORDS)]
    found += [(rows[i]["name"], {"lang": "uk"}) for i in range(min(10, len(rows)))]
    found += [
        (rows[i]["name"], {"date_from": "2018-06-01", "date_to": "2019-06-30"})
        for i in range(min(10, len(rows)))
    ]
    found += [(word, {"event_type": "ACCUSE"}) for word in WORDS[:5]]
    return found


def search_latency(store: Store) -> float:
    """Print the search latency percentiles; returns the p95 in ms."""
    started = time.perf_counter()
    search.refresh(store)
    print(f"search: name table rebuilt in {time.perf_counter() - started:.2f} s")
    todo = queries(store)
    search.search(store, todo[0][0])  # warm-up: lemmatiser dictionaries, SQLite page cache
    times, hits = [], 0
    for query, options in todo:
        started = time.perf_counter()
        hits += len(search.search(store, query, **options))  # type: ignore[arg-type]
        times.append(1000 * (time.perf_counter() - started))
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"search: {len(times)} queries, {hits} hits; p50 {statistics.median(times):.1f} ms, "
        f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms (target p95 < {TARGET_SEARCH_P95_MS:.0f} ms)"
    )
    return p95


def export_times(store: Store) -> float:
    """Print the time of each export format; returns the slowest, in seconds."""
    documents = store.db.execute("SELECT count(*) FROM documents WHERE current = 1").fetchone()[0]
    slowest = 0.0
    with tempfile.TemporaryDirectory(prefix="litopys-bench-export-") as tmp:
        out = Path(tmp)
        steps = {
            "jsonl": lambda: export_jsonl(store, io.StringIO()),
            "csv": lambda: export_csv(store, out / "csv"),
            "graphml": lambda: export_graph(store, out / "graph.graphml", fmt="graphml"),
        }
        try:
            from litopys.exports.report import write_report

            steps["html"] = lambda: write_report(store, out / "report.html", fmt="html")
        except ImportError:  # the report module arrives with issue 6
            pass
        for name, step in steps.items():
            started = time.perf_counter()
            step()
            elapsed = time.perf_counter() - started
            slowest = max(slowest, elapsed)
            print(
                f"export {name}: {documents:,} documents in {elapsed:.1f} s (target < {TARGET_EXPORT_S:.0f} s)"
            )
    return slowest


def measure(store: Store) -> bool:
    """Both benchmarks; True when both targets hold."""
    p95 = search_latency(store)
    slowest = export_times(store)
    return p95 < TARGET_SEARCH_P95_MS and slowest < TARGET_EXPORT_S


def main() -> int:
    """Measure an existing store (``python -m bench.chronicle --db PATH``, e.g. one kept by
    ``python -m bench.stories --keep PATH``)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    args = parser.parse_args()
    with Store(args.db) as store:
        return 0 if measure(store) else 1


if __name__ == "__main__":
    import sys

    sys.exit(main())
