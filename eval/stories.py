"""Quality of duplicates, event clusters and storylines (``litopys.stages.stories``).

Datasets, each ingested into a temporary store by the real pipeline (all stages, then the
entities and stories reduce steps):

* ``ntrex``: the same 60 news documents in en, ru and uk (``../shared/data/ntrex``; CC BY-SA 4.0).
  ``stories:translation`` scores the translation links against the gold pairs (the same file in
  two languages), per language pair; ``stories:event-bcubed`` scores event clusters against the
  gold clusters (one per document, its three languages), B-cubed. ``stories:merged`` counts
  event clusters that hold two different documents (the issue asks for none): tp = clusters
  without such a merge, fp = clusters with one.
* ``raw-news``: the raw news of the five slavicner topics and the two bsnlp-only topics (ec, trump),
  uk and ru, clustered together; ``stories:storyline-bcubed`` scores storylines against the
  topics (B-cubed), per language and over both. The topics are distinct threads (Asia Bibi,
  Brexit, COVID-19, the European Commission, Trump, Nord Stream, Ryanair), so a storyline should
  hold one topic and a topic one storyline. :data:`~litopys.stages.stories.STORYLINE_K` and
  ``STORYLINE_MIN`` were calibrated on asia_bibi, brexit, covid-19, ec and trump
  (``--calibrate``, row ``raw-news-calibration``); nord_stream and ryanair are the rows
  ``raw-news-heldout``. A subset row scores its documents against the clusters of the whole run,
  so a storyline that mixes a held-out topic with a calibration topic costs precision in both.

B-cubed values are averages; rows carry scaled counts that give back P and R exactly
(``eval.entities.bcubed_row``), so their n is not an item count.

:func:`evaluate_slice` runs the five seeds of ``examples/seeds`` (shipped): 000 and 003 are one
CBS News report in uk and ru (a translation pair, one event), 001, 002 and 004 are other events,
all five one storyline.

``python -m eval.stories --fit`` refits :data:`litopys.stages.dedup.TRANSLATION_WEIGHTS` (logistic
regression on the first 30 NTREX documents) and reports the other 30 with the fitted weights.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path

import numpy as np

from eval.common import EvalRow
from eval.entities import BCUBED_SCALE, bcubed
from litopys.pipeline import ingest
from litopys.stages import stories
from litopys.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
NTREX_LANGS = ("en", "ru", "uk")
SLAVICNER_TOPICS = ("asia_bibi", "brexit", "covid-19", "nord_stream", "ryanair")
BSNLP_TOPICS = ("ec", "trump")
CALIBRATION_TOPICS = ("asia_bibi", "brexit", "covid-19", "ec", "trump")
#: seed gold: file-name prefix -> event cluster
SEED_EVENTS = {"000": "artillery", "003": "artillery", "001": "belousov", "002": "summit", "004": "kursk"}


def scaled_row(dataset: str, lang: str, task: str, p: float, r: float, items: int) -> EvalRow:
    m = BCUBED_SCALE * items
    return EvalRow(dataset, lang, task, round(m * p * r), round(m * (1 - p) * r), round(m * p * (1 - r)))


def _members(store: Store) -> list[dict[str, str]]:
    return [
        dict(r)
        for r in store.db.execute(
            "SELECT d.id, d.path, d.lang, m.event, m.storyline FROM documents d "
            "JOIN story_members m ON m.doc_id = d.id WHERE d.current = 1"
        )
    ]


def _translations(store: Store) -> set[frozenset[str]]:
    return {
        frozenset((r[0], r[1]))
        for r in store.db.execute("SELECT a, b FROM duplicates WHERE kind = 'translation'")
    }


def translation_rows(
    dataset: str, docs: list[dict[str, str]], found: set[frozenset[str]], gold_of: dict[str, str]
) -> list[EvalRow]:
    by_pair: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for a, b in combinations(docs, 2):
        if a["lang"] == b["lang"]:
            continue
        pair = "-".join(sorted((a["lang"], b["lang"])))
        gold = gold_of[a["id"]] == gold_of[b["id"]]
        predicted = frozenset((a["id"], b["id"])) in found
        counts = by_pair[pair]
        counts[0] += gold and predicted
        counts[1] += predicted and not gold
        counts[2] += gold and not predicted
    rows = [EvalRow(dataset, pair, "stories:translation", *c) for pair, c in sorted(by_pair.items())]
    total = [sum(c[i] for c in by_pair.values()) for i in range(3)]
    return [*rows, EvalRow(dataset, "all", "stories:translation", *total)]


def cluster_rows(
    dataset: str, docs: list[dict[str, str]], gold_of: dict[str, str], level: str, langs: Iterable[str]
) -> list[EvalRow]:
    rows = []
    for lang in langs:
        mine = [d for d in docs if lang == "all" or d["lang"] == lang]
        if not mine:
            continue
        p, r = bcubed([(gold_of[d["id"]], d[level]) for d in mine])
        rows.append(scaled_row(dataset, lang, f"stories:{level}-bcubed", p, r, len(mine)))
    return rows


def merged_row(dataset: str, docs: list[dict[str, str]], gold_of: dict[str, str]) -> EvalRow:
    golds: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        golds[d["event"]].add(gold_of[d["id"]])
    merged = sum(len(g) > 1 for g in golds.values())
    return EvalRow(dataset, "all", "stories:merged", len(golds) - merged, merged, 0)


def _ingest(paths: list[Path], db: Path) -> Store:
    store = Store(db)
    ingest([str(p) for p in paths], store=store)
    return store


def evaluate_ntrex(shared: Path, work: Path) -> list[EvalRow]:
    root = shared / "data" / "ntrex"
    if not root.is_dir():
        return []
    with _ingest([root / lang for lang in NTREX_LANGS], work / "ntrex.db") as store:
        docs = _members(store)
        gold_of = {d["id"]: Path(d["path"]).name for d in docs}
        rows = translation_rows("ntrex", docs, _translations(store), gold_of)
        rows += cluster_rows("ntrex", docs, gold_of, "event", ("all",))
        rows.append(merged_row("ntrex", docs, gold_of))
    return rows


def _topic(path: str) -> str:
    """The topic of a raw news file: slavicner/raw/<topic>/<lang>/… or bsnlp/<topic>/raw/<lang>/…"""
    parts = Path(path).parts
    i = parts.index("raw")
    return parts[i + 1] if parts[i - 1] == "slavicner" else parts[i - 1]


def raw_news_folders(shared: Path, topics: Iterable[str]) -> list[Path]:
    data, wanted = shared / "data", set(topics)
    folders = [
        data / "slavicner" / "raw" / t / lang
        for t in SLAVICNER_TOPICS
        for lang in ("uk", "ru")
        if t in wanted
    ]
    folders += [
        data / "bsnlp" / t / "raw" / lang for t in BSNLP_TOPICS for lang in ("uk", "ru") if t in wanted
    ]
    return [f for f in folders if f.is_dir()]


def raw_news_store(shared: Path, work: Path) -> Store | None:
    folders = raw_news_folders(shared, SLAVICNER_TOPICS + BSNLP_TOPICS)
    return _ingest(folders, work / "raw-news.db") if folders else None


def storyline_rows(store: Store) -> list[EvalRow]:
    docs = _members(store)
    gold_of = {d["id"]: _topic(d["path"]) for d in docs}
    rows = cluster_rows("raw-news", docs, gold_of, "storyline", ("uk", "ru", "all"))
    pairs = [(gold_of[d["id"]], d["storyline"]) for d in docs]
    heldout = set(gold_of.values()) - set(CALIBRATION_TOPICS)
    for name, keep in (("raw-news-calibration", set(CALIBRATION_TOPICS)), ("raw-news-heldout", heldout)):
        n = sum(g in keep for g, _ in pairs)
        p, r = bcubed(pairs, keep)
        if n:
            rows.append(scaled_row(name, "all", "stories:storyline-bcubed", p, r, n))
    return rows


def evaluate(shared: Path) -> list[EvalRow]:
    with tempfile.TemporaryDirectory() as tmp:
        rows = evaluate_ntrex(shared, Path(tmp))
        store = raw_news_store(shared, Path(tmp))
        if store is not None:
            with store:
                rows += storyline_rows(store)
    return rows


def evaluate_slice(slices_dir: Path) -> list[EvalRow]:
    del slices_dir  # the seeds ship in examples/seeds
    if not SEEDS.is_dir():
        return []
    with tempfile.TemporaryDirectory() as tmp, _ingest([SEEDS], Path(tmp) / "seeds.db") as store:
        docs = _members(store)
        gold_of = {d["id"]: SEED_EVENTS[Path(d["path"]).name[:3]] for d in docs}
        rows = translation_rows("seeds", docs, _translations(store), gold_of)[-1:]
        rows += cluster_rows("seeds", docs, gold_of, "event", ("all",))
        one = {d["id"]: "storyline" for d in docs}
        rows += cluster_rows("seeds", docs, one, "storyline", ("all",))
    return rows


# --- calibration -----------------------------------------------------------------------------------


def reset(store: Store) -> None:
    store.db.execute("DELETE FROM story_members")
    store.db.execute("DELETE FROM duplicates")


def calibrate(shared: Path) -> None:
    """Storyline B-cubed F1 on the calibration topics for a grid of term weights and ``STORYLINE_MIN``.

    Only the calibration topics are ingested, so the held-out topics play no part in the choice.
    """
    folders = raw_news_folders(shared, CALIBRATION_TOPICS)
    with tempfile.TemporaryDirectory() as tmp, _ingest(folders, Path(tmp) / "cal.db") as store:
        for weight in (0.0, 0.5, 1.0):
            for value in (0.2, 0.25, 0.3, 0.35, 0.4):
                stories.STORYLINE_WEIGHTS = (*stories.STORYLINE_WEIGHTS[:2], weight)
                stories.STORYLINE_MIN = value
                reset(store)
                stories.update(store)
                p, r = bcubed([(_topic(d["path"]), d["storyline"]) for d in _members(store)])
                f = 2 * p * r / (p + r) if p + r else 0.0
                print(
                    f"term weight {weight:.1f} STORYLINE_MIN={value:.2f}  P {p:.3f}  R {r:.3f}  F1 {f:.3f}",
                    flush=True,
                )


def fit(shared: Path) -> None:
    """Refit the translation weights on NTREX documents 0-29 and score documents 30-59 with them."""
    from litopys.pipeline import FOUNDATION_STAGES, process
    from litopys.records import Article
    from litopys.stages.dedup import TRANSLATION_MARGIN, align, fingerprint
    from litopys.stages.ingest import iter_inputs

    root = shared / "data" / "ntrex"
    names = sorted(p.name for p in (root / "en").iterdir())
    docs: list[tuple[str, Article]] = []
    for name in names:
        for lang in NTREX_LANGS:
            article = process(next(iter_inputs([root / lang / name])), stages=FOUNDATION_STAGES)
            assert isinstance(article, Article)
            docs.append((name, fingerprint(article)))

    def features(part: set[str]) -> tuple[list[tuple[int, int]], np.ndarray, np.ndarray]:
        pairs, xs, ys = [], [], []
        for i, j in combinations(range(len(docs)), 2):
            (ni, a), (nj, b) = docs[i], docs[j]
            if a.lang == b.lang or ni not in part or nj not in part:
                continue
            assert a.fingerprint and b.fingerprint
            al = align(a.fingerprint, b.fingerprint, a.lang, b.lang)
            pairs.append((i, j))
            xs.append((al.ordered, al.mutual, al.anchors, al.cosine, 1.0))
            ys.append(float(ni == nj))
        return pairs, np.array(xs), np.array(ys)

    _, x, y = features(set(names[:30]))
    w = np.zeros(x.shape[1])
    balance = np.where(y == 1, len(y) / (2 * y.sum()), len(y) / (2 * (len(y) - y.sum())))
    for _ in range(3000):
        p = 1 / (1 + np.exp(-x @ w))
        w -= 5.0 * (x.T @ ((p - y) * balance) / len(y) + 1e-2 * w)
    print("TRANSLATION_WEIGHTS =", tuple(round(float(v), 2) for v in w))
    pairs, x2, y2 = features(set(names[30:]))
    scores = x2 @ w
    best: dict[tuple[int, str], float] = {}
    for (i, j), s in zip(pairs, scores, strict=True):
        for a, b in ((i, j), (j, i)):
            key = (a, docs[b][1].lang)
            best[key] = max(best.get(key, -np.inf), s)
    for threshold in (-1.0, 0.0, 0.5, 1.0):
        tp = fp = fn = 0
        for (i, j), s, gold in zip(pairs, scores, y2, strict=True):
            ok = (
                s >= threshold
                and s >= best[(i, docs[j][1].lang)] - TRANSLATION_MARGIN
                and s >= best[(j, docs[i][1].lang)] - TRANSLATION_MARGIN
            )
            tp += ok and gold == 1
            fp += ok and gold == 0
            fn += (not ok) and gold == 1
        print(
            f"documents 30-59, threshold {threshold:+.1f}: P {tp / max(1, tp + fp):.3f}  R {tp / max(1, tp + fn):.3f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--fit", action="store_true", help="refit the translation weights on NTREX")
    parser.add_argument("--calibrate", action="store_true", help="sweep STORYLINE_MIN on slavicner topics")
    args = parser.parse_args()
    if args.fit:
        fit(args.shared)
    if args.calibrate:
        calibrate(args.shared)
    if not (args.fit or args.calibrate):
        for row in evaluate(args.shared) + evaluate_slice(ROOT / "eval" / "slices"):
            print(
                f"{row.dataset:18} {row.lang:6} {row.task:28} P {row.precision:.3f} R {row.recall:.3f} F1 {row.f1:.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
