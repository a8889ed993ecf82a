"""`make bench`: ingest speed and memory on ../shared/data (brown-uk-press + slavicner raw texts).

Runs the real ingest (parse, clean, language, nlp, SQLite write) in one process on one core, into
a fresh temporary database. Prints documents per second (after a warm-up document that loads the
models) and resident memory sampled along the run: flat means the runner streams.
Target (issue 2): at least 200 documents per second.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from litopys.errors import LitopysError
from litopys.pipeline import FOUNDATION_STAGES, STAGES, ingest, process
from litopys.records import RawDoc
from litopys.stages.ingest import iter_inputs, parse
from litopys.store import Store

TARGET_DOCS_PER_SECOND = 200


def rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def stage_speeds(inputs: list[Path], *, limit: int = 400) -> None:
    """Seconds and characters per second of each per-document stage on the first ``limit`` documents."""
    articles = []
    for item in iter_inputs([str(p) for p in inputs]):
        if isinstance(item, RawDoc):
            articles.append(parse(item))
        if len(articles) >= limit:
            break
    spent: dict[str, float] = {}
    chars = sum(len(a.text) for a in articles)
    sentences = 0
    for article in articles:
        for stage in STAGES:
            started = time.perf_counter()
            try:
                article = stage(article)
            except LitopysError:
                break
            spent[stage.__module__] = spent.get(stage.__module__, 0.0) + time.perf_counter() - started
        sentences += len(article.sentences)
    print(f"per stage on {len(articles)} documents ({chars / 1e6:.2f} M chars, {sentences:,} sentences):")
    for name, seconds in spent.items():
        print(
            f"  {name:32} {seconds:6.2f} s  {chars / seconds:12,.0f} chars/s  {sentences / seconds:10,.0f} sentences/s"
        )
    print("targets: entity stage (ner) >= 20,000 chars/s; event stage (events) >= 50 sentences/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--repeat", type=int, default=1, help="ingest the corpus this many times (copies)")
    args = parser.parse_args()
    data = args.shared / "data"
    inputs = [data / "brown-uk-press", data / "slavicner" / "raw"]
    if not all(p.is_dir() for p in inputs):
        print(f"{data} not found: nothing to benchmark.")
        return 0
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    work = Path(tempfile.mkdtemp(prefix="litopys-bench-"))
    try:
        paths = []
        for copy in range(args.repeat):  # copies make distinct documents (content differs by a line)
            for source in inputs:
                if copy == 0:
                    paths.append(source)
                    continue
                target = work / f"copy{copy}" / source.name
                for file in sorted(source.rglob("*.txt")):
                    dest = target / file.relative_to(source)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(file.read_bytes() + f"\n(copy {copy})\n".encode())
                paths.append(target)
        warm = next(item for item in iter_inputs([inputs[0]]) if isinstance(item, RawDoc))
        process(warm)  # load the models once, outside the timing

        samples: list[tuple[int, float]] = []
        count = 0

        def on_item(nbytes: int) -> None:
            nonlocal count
            count += 1
            if count % 100 == 0:
                samples.append((count, rss_mib()))

        rates = {}
        for name, stages in (("foundation", FOUNDATION_STAGES), ("full pipeline + reduce steps", STAGES)):
            samples.clear()
            count = 0
            with Store(work / f"bench-{len(stages)}.db") as store:
                started = time.perf_counter()
                full = stages is STAGES  # the foundation alone runs no reduce step that needs a model
                report = ingest(
                    [str(p) for p in paths],
                    store=store,
                    on_item=on_item,
                    stages=stages,
                    link=full,
                    stories=full,
                )
                elapsed = time.perf_counter() - started
            rates[name] = rate = report.seen / elapsed
            print(f"ingest, {name} ({', '.join(s.__module__.rsplit('.', 1)[1] for s in stages)}):")
            print(f"  {report.seen} documents ({report.ingested} ingested, {len(report.rejected)} rejected)")
            print(f"  {elapsed:.2f} s  ->  {rate:.0f} documents/s on one core")
            step = max(1, len(samples) // 6)
            along = ", ".join(f"{n} docs {m:.0f} MiB" for n, m in samples[::step])
            print(f"  peak RSS {max(m for _, m in samples):.0f} MiB; along the run: {along}")
            for rejected in report.rejected[:10]:
                print(f"  rejected {rejected.path}: {rejected.reason}")
        print(f"target: foundation >= {TARGET_DOCS_PER_SECOND} documents/s")
        stage_speeds(inputs)
        return 0 if rates["foundation"] >= TARGET_DOCS_PER_SECOND else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
