"""Quality of mention recognition (``litopys.stages.ner``) on held-out data, beside natasha and pullenti.

Datasets (splits in :mod:`eval.ner_data`): ``slavicner-heldout`` (topics nord_stream and ryanair,
uk and ru, never trained on) and ``ner-uk-test`` (every 7th ner-uk document). Both tasks count
PER, LOC and ORG only:

* ``ner:doc-set``: BSNLP-style document-level recognition. Per document, the set of distinct
  (form, type) pairs, the form lower-cased with quotes and extra spaces removed and ё read as е
  (:func:`form_key`); gold and system sets are compared per document and micro-averaged. A form
  counts once per document however often it occurs, as BSNLP scores the distinct surface forms.
* ``ner:exact``: exact (start, end, type) spans, micro-averaged.

litopys runs as the pipeline does (:func:`litopys_system`): the nlp stage, the model with its
rule corrections (:mod:`litopys.stages.ner_rules`), then known names (:mod:`litopys.stages.known_names`).

``[natasha]`` and ``[pullenti]`` rows run the same data through those libraries (the ``eval``
extra; skipped with a note when not installed). Both are Russian systems, run as they are on
Ukrainian text too. pullenti reads ~600 chars/s, so it sees a fixed subsample: every k-th document
up to :data:`PULLENTI_DOCS` per dataset and language; documents it crashes on (its date parser
raises on some) are left out of its rows, with a note.

:func:`evaluate_slice` scores ``eval/slices/ner_seeds.jsonl`` (gold hand-annotated on the five
seeds in examples/seeds) as dataset ``ner-seeds``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from eval.common import EvalRow
from eval.ner_data import NerDoc, heldout_docs
from litopys.records import Article, Paragraph
from litopys.stages.known_names import recognize_known
from litopys.stages.ner import guess_lang, recognize
from litopys.stages.nlp import analyse

#: the types both tasks score
SCORED = ("PER", "LOC", "ORG")
PULLENTI_DOCS = 60
SEEDS_SLICE = "ner_seeds.jsonl"
_QUOTES = re.compile(r"[«»\"“”„‘’'`]")

Span = tuple[int, int, str]
#: a system's spans in a document, or None when it failed on it (the document is left out of its rows)
System = Callable[[NerDoc], list[Span] | None]


def form_key(text: str, label: str) -> tuple[str, str]:
    """A mention form for document-level set matching: lower-cased, quotes and extra spaces gone."""
    form = _QUOTES.sub("", text).lower().replace("ё", "е")
    return " ".join(form.split()), label


def as_article(doc: NerDoc) -> Article:
    """A cleaned-article stand-in: one paragraph per line, all in the document's language."""
    paragraphs, start = [], 0
    for line in doc.text.split("\n"):
        paragraphs.append(Paragraph(start, start + len(line), doc.lang))
        start += len(line) + 1
    return Article(
        id=doc.id, path=doc.id, fmt="txt", text=doc.text, lang=doc.lang, paragraphs=tuple(paragraphs)
    )


def litopys_system(doc: NerDoc) -> list[Span]:
    """The shipped mention stages in pipeline order: tokens and lemmas, the model, known names."""
    article = recognize_known(recognize(analyse(as_article(doc))))
    return [(m.start, m.end, m.type) for m in article.mentions]


def natasha_system() -> System | None:
    try:
        from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter
    except ImportError:
        return None
    segmenter, tagger = Segmenter(), NewsNERTagger(NewsEmbedding())

    def run(doc: NerDoc) -> list[Span]:
        found = Doc(doc.text)
        found.segment(segmenter)
        found.tag_ner(tagger)
        return [(s.start, s.stop, s.type) for s in found.spans]

    return run


PULLENTI_TYPES = {"PERSON": "PER", "GEO": "LOC", "ORGANIZATION": "ORG"}


def pullenti_system() -> System | None:
    try:
        from pullenti.ner.ProcessorService import ProcessorService
        from pullenti.ner.SourceOfAnalysis import SourceOfAnalysis
        from pullenti.Sdk import Sdk
    except ImportError:
        return None
    Sdk.initialize_all()
    processor = ProcessorService.create_processor()

    def run(doc: NerDoc) -> list[Span]:
        spans: list[Span] = []
        try:
            entities = processor.process(SourceOfAnalysis(doc.text)).entities
        except Exception as error:  # pullenti's own bugs (its date parser, say): no output
            print(
                f"  eval.ner: pullenti failed on {doc.id}: {type(error).__name__}: {error}", file=sys.stderr
            )
            return spans
        for entity in entities:
            label = PULLENTI_TYPES.get(entity.type_name)
            if label:  # pullenti's end_char is inclusive
                spans += [(o.begin_char, o.end_char + 1, label) for o in entity.occurrence]
        return spans

    return run


def score(docs: Iterable[NerDoc], system: System) -> tuple[list[int], list[int]]:
    """``([tp, fp, fn] of doc-set, [tp, fp, fn] of exact spans)`` of ``system`` on ``docs``."""
    doc_set, exact = [0, 0, 0], [0, 0, 0]
    for doc in docs:
        output = system(doc)
        if output is None:
            continue
        gold = {s for s in doc.spans if s[2] in SCORED}
        found = {s for s in output if s[2] in SCORED}
        for counts, g, f in (
            (exact, gold, found),
            (doc_set, _forms(doc.text, gold), _forms(doc.text, found)),
        ):
            counts[0] += len(g & f)
            counts[1] += len(f - g)
            counts[2] += len(g - f)
    return doc_set, exact


def _forms(text: str, spans: Iterable[Span]) -> set[tuple[str, str]]:
    return {form_key(text[s:e], t) for s, e, t in spans}


def rows_for(
    dataset: str, docs: list[NerDoc], system: System, suffix: str = "", limit: int | None = None
) -> list[EvalRow]:
    rows = []
    for lang in sorted({d.lang for d in docs}, reverse=True):
        mine = [d for d in docs if d.lang == lang]
        if limit is not None and len(mine) > limit:
            step = len(mine) / limit
            mine = [mine[int(i * step)] for i in range(limit)]
        doc_set, exact = score(mine, system)
        rows.append(EvalRow(dataset, lang, f"ner:doc-set{suffix}", *doc_set))
        rows.append(EvalRow(dataset, lang, f"ner:exact{suffix}", *exact))
    return rows


def evaluate(shared: Path) -> list[EvalRow]:
    sets = heldout_docs(shared)
    if not any(sets.values()):
        return []
    rows: list[EvalRow] = []
    for dataset, docs in sets.items():
        rows += rows_for(dataset, docs, litopys_system)
    natasha = natasha_system()
    if natasha is None:
        print(
            "  eval.ner: natasha not installed (pip install -e '.[eval]'): its rows skipped", file=sys.stderr
        )
    else:
        for dataset, docs in sets.items():
            rows += rows_for(dataset, docs, natasha, "[natasha]")
    pullenti = pullenti_system()
    if pullenti is None:
        print(
            "  eval.ner: pullenti not installed (pip install -e '.[eval]'): its rows skipped", file=sys.stderr
        )
    else:
        print(
            f"  eval.ner: pullenti rows on a fixed subsample of {PULLENTI_DOCS} docs per dataset and language"
        )
        for dataset, docs in sets.items():
            rows += rows_for(dataset, docs, pullenti, "[pullenti]", limit=PULLENTI_DOCS)
    return rows


def read_slice(path: Path) -> list[NerDoc]:
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        text = item["text"]
        spans = tuple(sorted((m["start"], m["end"], m["type"]) for m in item["mentions"]))
        docs.append(NerDoc(item["file"], "seeds", guess_lang(text), text, spans))
    return docs


def evaluate_slice(slices_dir: Path) -> list[EvalRow]:
    path = slices_dir / SEEDS_SLICE
    if not path.is_file():
        return []
    return rows_for("ner-seeds", read_slice(path), litopys_system)
