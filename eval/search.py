"""Quality of search (``litopys.search``).

* ``slavicner-search`` (uk, ru): the SlavicNER raw news of all five topics (uk and ru) ingested by the
  real pipeline (stories skipped: search does not use them). Each cross-lingual entity id of the gold
  (``ner/<topic>/<lang>/*.tsv``) that occurs in documents of both languages is queried by its
  commonest gold lemma in one language, with ``--lang`` set to the other: ``search:crosslingual``
  counts the other language's documents that mention the entity (gold) and were returned (tp),
  returned documents without it (fp) and missed ones (fn); the row's language is the documents'
  language (``uk``: a Russian query finding Ukrainian documents). ``search:lemma`` does the same
  within one language (the query is the base form, the documents have inflected forms).
  Search has no parameter fitted on these topics (the ranking weights do not change what is found).
* ``seeds-search`` (shipped slice ``eval/slices/search_seeds.tsv``): queries on the five seeds and the
  seed documents each must return.
"""

from __future__ import annotations

import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from eval.common import EvalRow, slice_lines
from litopys.pipeline import ingest
from litopys.search import search
from litopys.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
TOPICS = ("asia_bibi", "brexit", "covid-19", "nord_stream", "ryanair")
#: more than any entity's documents in one language: recall is measured, not ranking
LIMIT = 10_000


def _gold(shared: Path) -> tuple[dict[str, dict[str, set[str]]], dict[str, dict[str, Counter[str]]]]:
    """id → lang → raw file paths mentioning it; id → lang → gold lemma counts."""
    docs: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    lemmas: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    root = shared / "data" / "slavicner"
    for tsv in sorted(root.glob("ner/*/*/*.tsv")):
        topic, lang = tsv.parts[-3], tsv.parts[-2]
        raw = root / "raw" / topic / lang / (tsv.stem + ".txt")
        for line in tsv.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if len(fields) < 6 or not fields[5]:
                continue
            docs[fields[5]][lang].add(str(raw))
            lemmas[fields[5]][lang][fields[3]] += 1
    return docs, lemmas


def evaluate(shared: Path) -> list[EvalRow]:
    root = shared / "data" / "slavicner"
    folders = [root / "raw" / t / lang for t in TOPICS for lang in ("uk", "ru")]
    folders = [f for f in folders if f.is_dir()]
    if not folders:
        return []
    gold_docs, gold_lemmas = _gold(shared)
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "search.db") as store:
        ingest([str(f) for f in folders], store=store, stories=False)
        doc_of = {
            r["path"]: r["id"] for r in store.db.execute("SELECT id, path FROM documents WHERE current = 1")
        }
        for entity, by_lang in sorted(gold_docs.items()):
            if not {"uk", "ru"} <= set(by_lang):
                continue
            for source, target in (("ru", "uk"), ("uk", "ru"), ("uk", "uk"), ("ru", "ru")):
                query = gold_lemmas[entity][source].most_common(1)[0][0]
                relevant = {doc_of[p] for p in by_lang[target] if p in doc_of}
                found = {hit.id for hit in search(store, query, lang=target, limit=LIMIT)}
                task = "search:lemma" if source == target else "search:crosslingual"
                row = counts[(target, task)]
                row[0] += len(found & relevant)
                row[1] += len(found - relevant)
                row[2] += len(relevant - found)
    return [EvalRow("slavicner-search", lang, task, *c) for (lang, task), c in sorted(counts.items())]


def evaluate_slice(slices_dir: Path) -> list[EvalRow]:
    path = slices_dir / "search_seeds.tsv"
    if not path.is_file() or not SEEDS.is_dir():
        return []
    tp = fp = fn = 0
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "seeds.db") as store:
        ingest([str(SEEDS)], store=store, stories=False)
        seed_of = {
            r["id"]: Path(r["path"]).name[:3] for r in store.db.execute("SELECT id, path FROM documents")
        }
        for query, lang, expected in slice_lines(path):
            wanted = set(expected.split(","))
            found = {seed_of[h.id] for h in search(store, query, lang=None if lang == "-" else lang)}
            tp += len(found & wanted)
            fp += len(found - wanted)
            fn += len(wanted - found)
    return [EvalRow("seeds-search", "uk+ru", "search:documents", tp, fp, fn)]
