"""NER datasets from ../shared/data as character-offset documents, their splits, and spaCy DocBins.

Every reader yields :class:`NerDoc` (text, language, ``(start, end, type)`` spans in our five
types). The tag mapping (also in ``src/litopys/models/ner/MODEL_CARD.md``):

* slavicner (ner/<topic>/<lang>/*.tsv over raw/<topic>/<lang>/*.txt): PER LOC ORG EVT PRO as is.
* bsnlp (only the topics slavicner lacks, ``ec`` and ``trump``): annotated/*.out lists distinct
  (lower-cased) forms per document without offsets; each form is searched in the text
  (case-insensitively, longest first, whole words); a PER/LOC/ORG hit must hold a capital.
* ner-uk (brat): PERS→PER, LOC→LOC, ORG→ORG, ART→PRO; MISC, DOC, JOB, DATE, TIME, PERIOD, MON,
  PCT, QUANT dropped (plain text to the model). ner-uk puts a company's legal form inside its name
  ("ТОВ «Кузь»"), BSNLP and litopys leave it out (:func:`litopys.stages.ner_rules.strip_legal_form`),
  so the ``ner-uk-test`` gold is scored without it. Training reads ner-uk as it is (the shipped
  model was trained so); the recogniser strips the legal form after the model.
* factRuEval-2016 devset: objects Person→PER (extent of its name/surname/patronymic/nickname
  spans), Org→ORG (its org_name spans; an Org without one, "мэрии", is dropped), Location and
  LocOrg→LOC (loc_name spans, plus a loc_descr right after the name: "Тверской площади").
* NEREL (brat, nested): PERSON→PER; ORGANIZATION→ORG; COUNTRY, CITY, STATE_OR_PROVINCE,
  DISTRICT, LOCATION, FACILITY→LOC; EVENT→EVT and PRODUCT→PRO; everything else dropped. Only
  name-like spans count (a capital or a Latin letter or digit beyond a sentence-initial first
  letter: "Правоохранительные органы Киргизии" is not one, "МВД" is); of nested spans the
  outermost wins.

Overlaps left after mapping are resolved longest-first. Splits (the hold-out protocol):
slavicner ``nord_stream`` and ``ryanair`` (and the same bsnlp topics) are never read for
training; ner-uk holds out every 7th document by sorted file name (``ner-uk-test``); the dev set
for early stopping is the whole slavicner training topic ``brexit`` (uk and ru), not trained on.

``python -m eval.ner_data [--shared ../shared]`` writes ``build/ner/{train,dev}.spacy``.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from litopys.stages.ner_rules import strip_legal_form

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "ner"
TEST_TOPICS = ("nord_stream", "ryanair")
SLAVICNER_TOPICS = ("asia_bibi", "covid-19")
#: a whole training topic held out for early stopping, so that the checkpoint is chosen on a topic
#: the model has not seen, as the test topics are (an in-topic dev set rewards memorised names)
DEV_TOPICS = ("brexit",)
#: bsnlp topics missing from slavicner (the others are consolidated there)
BSNLP_ONLY_TOPICS = ("ec", "trump")
LANGS = ("uk", "ru")
NER_UK_TEST_EVERY = 7
#: training documents are cut at line breaks into chunks of about this many characters
CHUNK_CHARS = 2000

NER_UK_MAP = {"PERS": "PER", "LOC": "LOC", "ORG": "ORG", "ART": "PRO"}
NEREL_MAP = {
    "PERSON": "PER",
    "ORGANIZATION": "ORG",
    "COUNTRY": "LOC",
    "CITY": "LOC",
    "STATE_OR_PROVINCE": "LOC",
    "DISTRICT": "LOC",
    "LOCATION": "LOC",
    "FACILITY": "LOC",
    "EVENT": "EVT",
    "PRODUCT": "PRO",
}
FACTRU_MAP = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}
FACTRU_PARTS = {
    "PER": ("name", "surname", "patronymic", "nickname"),
    "ORG": ("org_name",),
    "LOC": ("loc_name",),
}

Span = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class NerDoc:
    id: str
    source: str
    lang: str
    text: str
    spans: tuple[Span, ...]


def data_dir(shared: Path) -> Path:
    return shared / "data" if (shared / "data").is_dir() else shared


def resolve(text: str, spans: Iterable[Span]) -> tuple[Span, ...]:
    """Spans trimmed of white space, valid, and without overlaps (longer ones win)."""
    clean: list[Span] = []
    for start, end, label in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if 0 <= start < end <= len(text):
            clean.append((start, end, label))
    kept: list[Span] = []
    for span in sorted(set(clean), key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(span[1] <= k[0] or span[0] >= k[1] for k in kept):
            kept.append(span)
    return tuple(sorted(kept))


# --- slavicner and bsnlp -------------------------------------------------------------------------


def read_slavicner(shared: Path, topics: Iterable[str], langs: Iterable[str] = LANGS) -> Iterator[NerDoc]:
    root = data_dir(shared) / "slavicner"
    for topic in topics:
        for lang in langs:
            for tsv in sorted((root / "ner" / topic / lang).glob("*.tsv")):
                raw = root / "raw" / topic / lang / (tsv.stem + ".txt")
                if not raw.is_file():
                    continue
                text = raw.read_text(encoding="utf-8")
                spans = []
                for line in tsv.read_text(encoding="utf-8").splitlines():
                    fields = line.split("\t")
                    if len(fields) >= 5 and fields[0].isdigit():
                        spans.append((int(fields[0]), int(fields[1]), fields[4]))
                yield NerDoc(f"{topic}/{lang}/{tsv.stem}", "slavicner", lang, text, resolve(text, spans))


def _bsnlp_id(path: Path) -> str:
    with path.open(encoding="utf-8-sig") as lines:
        return lines.readline().strip()


def read_bsnlp(shared: Path, topics: Iterable[str] = BSNLP_ONLY_TOPICS) -> Iterator[NerDoc]:
    """bsnlp documents labelled by searching their listed forms in the text (see the module doc)."""
    root = data_dir(shared) / "bsnlp"
    for topic in topics:
        for lang in LANGS:
            raws = {_bsnlp_id(p): p for p in sorted((root / topic / "raw" / lang).glob("*.txt"))}
            for out in sorted((root / topic / "annotated" / lang).glob("*")):
                lines = out.read_text(encoding="utf-8-sig").splitlines()
                raw = raws.get(lines[0].strip()) if lines else None
                if raw is None:
                    continue
                text = "\n".join(raw.read_text(encoding="utf-8-sig").splitlines()[4:])
                forms = []
                for line in lines[1:]:
                    fields = line.split("\t")
                    if len(fields) >= 3 and fields[2] in ("PER", "LOC", "ORG", "EVT", "PRO"):
                        forms.append((fields[0].strip().strip('"'), fields[2]))
                spans: list[Span] = []
                for form, label in sorted(forms, key=lambda f: -len(f[0])):
                    if len(form) < 2:
                        continue
                    pattern = r"(?<!\w)" + re.escape(form) + r"(?!\w)"
                    for hit in re.finditer(pattern, text, flags=re.IGNORECASE):
                        surface = hit.group()
                        if label in ("PER", "LOC", "ORG") and not any(c.isupper() for c in surface):
                            continue
                        spans.append((hit.start(), hit.end(), label))
                yield NerDoc(f"{topic}/{lang}/{out.stem}", "bsnlp", lang, text, resolve(text, spans))


# --- ner-uk, factRuEval, NEREL -------------------------------------------------------------------


def _brat(path: Path) -> Iterator[tuple[str, int, int]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("T"):
            continue
        fields = line.split("\t")
        head = fields[1].split() if len(fields) >= 3 and " " in fields[1] else fields[1:4]
        if len(head) != 3 or not head[1].isdigit() or not head[2].isdigit():
            continue  # discontinuous spans ("12 15;20 25") are skipped
        yield head[0], int(head[1]), int(head[2])


def ner_uk_files(shared: Path, part: str) -> list[Path]:
    """ner-uk documents of ``part`` "train" or "test" (every 7th by sorted name is test)."""
    files = sorted((data_dir(shared) / "ner-uk" / "train").glob("*.ann"))
    if part == "test":
        return files[::NER_UK_TEST_EVERY]
    return [f for i, f in enumerate(files) if i % NER_UK_TEST_EVERY]


def read_ner_uk(shared: Path, part: str = "train") -> Iterator[NerDoc]:
    """ner-uk documents; in the ``test`` part ORG spans follow the BSNLP convention (no legal form)."""
    for ann in ner_uk_files(shared, part):
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        spans = [(s, e, NER_UK_MAP[t]) for t, s, e in _brat(ann) if t in NER_UK_MAP]
        if part == "test":
            spans = [strip_legal_form(text, (s, e, t, 1.0))[:3] for s, e, t in spans]
        yield NerDoc(ann.stem, "ner-uk", "uk", text, resolve(text, spans))


_SENTENCE_END = re.compile(r"(?:^|[.!?…:;\n«\"“—–-])\s*$")


def name_like(text: str, start: int, end: int) -> bool:
    """Whether a span looks like a name: a capital, Latin letter or digit past a sentence-initial capital."""
    surface = text[start:end]
    first = 1 if _SENTENCE_END.search(text[max(0, start - 3) : start]) else 0
    return any(c.isupper() or c.isdigit() or ("a" <= c.lower() <= "z") for c in surface[first:])


def read_nerel(shared: Path, splits: Iterable[str] = ("train", "dev")) -> Iterator[NerDoc]:
    for split in splits:
        for ann in sorted((data_dir(shared) / "nerel" / split).glob("*.ann")):
            text = ann.with_suffix(".txt").read_text(encoding="utf-8")
            spans = [
                (s, e, NEREL_MAP[t]) for t, s, e in _brat(ann) if t in NEREL_MAP and name_like(text, s, e)
            ]
            yield NerDoc(f"{split}/{ann.stem}", "nerel", "ru", text, resolve(text, spans))


def read_factrueval(shared: Path) -> Iterator[NerDoc]:
    root = data_dir(shared) / "factRuEval-2016" / "devset"
    for txt in sorted(root.glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        parts: dict[str, tuple[str, int, int]] = {}
        for line in txt.with_suffix(".spans").read_text(encoding="utf-8").splitlines():
            fields = line.split()
            if len(fields) >= 4:
                parts[fields[0]] = (fields[1], int(fields[2]), int(fields[2]) + int(fields[3]))
        spans: list[Span] = []
        for line in txt.with_suffix(".objects").read_text(encoding="utf-8").splitlines():
            fields = line.split("#")[0].split()
            if len(fields) < 3 or fields[1] not in FACTRU_MAP:
                continue
            label = FACTRU_MAP[fields[1]]
            mine = [parts[i] for i in fields[2:] if i in parts]
            names = [p for p in mine if p[0] in FACTRU_PARTS[label]]
            if not names:
                continue
            start, end = min(p[1] for p in names), max(p[2] for p in names)
            if label == "LOC":  # a descriptor right after the name: "Тверской площади"
                for kind, s, e in mine:
                    if kind == "loc_descr" and 0 <= s - end <= 1:
                        end = e
            spans.append((start, end, label))
        yield NerDoc(txt.stem, "factrueval", "ru", text, resolve(text, spans))


# --- splits --------------------------------------------------------------------------------------


def training_docs(shared: Path) -> tuple[list[NerDoc], list[NerDoc]]:
    """``(train, dev)``: every allowed source; dev is the slavicner topic(s) :data:`DEV_TOPICS`."""
    dev = list(read_slavicner(shared, DEV_TOPICS))
    train = list(read_slavicner(shared, SLAVICNER_TOPICS))
    train += read_bsnlp(shared)
    train += read_ner_uk(shared, "train")
    train += read_factrueval(shared)
    train += read_nerel(shared)
    return train, dev


def heldout_docs(shared: Path) -> dict[str, list[NerDoc]]:
    """The held-out evaluation sets: ``slavicner-heldout`` and ``ner-uk-test``."""
    return {
        "slavicner-heldout": list(read_slavicner(shared, TEST_TOPICS)),
        "ner-uk-test": list(read_ner_uk(shared, "test")),
    }


# --- spaCy ---------------------------------------------------------------------------------------


def chunks(doc: NerDoc, size: int = CHUNK_CHARS) -> Iterator[tuple[str, list[Span]]]:
    """The document cut at line breaks into pieces of about ``size`` characters, spans shifted."""
    start = 0
    text = doc.text
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + 1, end)
            end = cut + 1 if cut > start else end
            while any(s < end < e for s, e, _ in doc.spans):
                end += 1
        piece = [(s - start, e - start, t) for s, e, t in doc.spans if s >= start and e <= end]
        if text[start:end].strip():
            yield text[start:end], piece
        start = end


def to_spacy(nlp: object, docs: Iterable[NerDoc], *, whole: bool = False) -> Iterator[object]:
    """spaCy Docs with entities and the model's features (lemma, tag) set."""
    from spacy.util import filter_spans

    from litopys.stages.ner import add_features

    for doc in docs:
        pieces = [(doc.text, list(doc.spans))] if whole else chunks(doc)
        for text, spans in pieces:
            sdoc = nlp.make_doc(text)  # type: ignore[attr-defined]
            ents = []
            for start, end, label in spans:
                span = sdoc.char_span(start, end, label, alignment_mode="contract")
                span = span or sdoc.char_span(start, end, label, alignment_mode="expand")
                if span is not None and len(span):
                    ents.append(span)
            sdoc.ents = filter_spans(ents)
            sdoc.user_data["lang"] = doc.lang
            sdoc.user_data["source"] = doc.source
            yield add_features(sdoc, doc.lang)


def build(shared: Path, out: Path = BUILD) -> dict[str, int]:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("uk")
    train, dev = training_docs(shared)
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, docs in (("train", train), ("dev", dev)):
        bin_ = DocBin(store_user_data=True)
        for sdoc in to_spacy(nlp, docs, whole=name == "dev"):
            bin_.add(sdoc)
        bin_.to_disk(out / f"{name}.spacy")
        counts[name] = len(bin_)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    train, dev = training_docs(args.shared)
    by_source: dict[str, list[int]] = {}
    for d in train:
        n = by_source.setdefault(f"{d.source}/{d.lang}", [0, 0])
        n[0] += 1
        n[1] += len(d.spans)
    for key, (docs, spans) in sorted(by_source.items()):
        print(f"  train {key:18} {docs:5d} docs {spans:6d} spans")
    print(f"  dev   {len(dev)} docs")
    print(build(args.shared))


if __name__ == "__main__":
    main()
