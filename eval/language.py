"""Quality of language identification (``litopys.stages.language``).

Rows (dataset, lang, task) with per-language precision/recall/F1 of :func:`detect`:

* ``ud`` / ``lang-id``: every sentence of the UD dev sets (uk: Ukrainian-IU, ru: Russian-GSD);
* ``ntrex`` / ``lang-id``: every line of the 60 NTREX news documents in en, ru and uk;
* ``*`` / ``lang-id-short``: the same, only texts of at most :data:`SHORT_WORDS` words (headlines,
  captions: where telling uk from ru is hard);
* ``ntrex`` / ``lang-id-doc``: :func:`identify` on whole NTREX documents (one paragraph a line).

A language's false positives are the texts of the other gold languages of the same dataset and
slice that were labelled with it. :func:`evaluate_slice` recomputes the rows on
``eval/slices/language.tsv``, a 50-line cut that ships with the repository (sources in its header).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from eval.common import EvalRow
from litopys.records import Article
from litopys.stages.language import detect, identify

#: a text of at most this many words is "short"
SHORT_WORDS = 5
#: UD dev files and the language they are written in
UD_FILES = (("uk", "uk_iu-ud-dev.conllu"), ("ru", "ru_gsd-ud-dev.conllu"))
NTREX_LANGS = ("en", "ru", "uk")
SLICE_FILE = "language.tsv"


def data_dir(shared: Path) -> Path:
    """``shared/data`` when it exists (the Makefile passes ../shared), else ``shared`` itself."""
    return shared / "data" if (shared / "data").is_dir() else shared


def ud_texts(path: Path) -> Iterator[str]:
    """The ``# text =`` line of every sentence of a CoNLL-U file."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("# text = "):
                yield line[len("# text = ") :].rstrip("\n")


def ntrex_documents(folder: Path) -> Iterator[tuple[str, list[str]]]:
    """(file name, non-empty lines) of every NTREX document of one language."""
    for path in sorted(folder.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        yield path.name, [line for line in lines if line]


def score(
    pairs: Iterable[tuple[str, str]], *, dataset: str, task: str, langs: Iterable[str]
) -> list[EvalRow]:
    """One row per gold language from (gold, predicted) pairs."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for gold, predicted in pairs:
        if gold == predicted:
            tp[gold] += 1
        else:
            fn[gold] += 1
            fp[predicted] += 1
    return [EvalRow(dataset, lang, task, tp[lang], fp[lang], fn[lang]) for lang in langs]


def _rows(labelled: list[tuple[str, str]], *, dataset: str, langs: tuple[str, ...]) -> list[EvalRow]:
    """lang-id and lang-id-short rows of :func:`detect` on (gold language, text) pairs."""
    predicted = [(gold, detect(text), text) for gold, text in labelled]
    rows = score([(g, p) for g, p, _ in predicted], dataset=dataset, task="lang-id", langs=langs)
    short = [(g, p) for g, p, text in predicted if len(text.split()) <= SHORT_WORDS]
    rows += score(short, dataset=dataset, task="lang-id-short", langs=langs)
    return rows


def evaluate(shared: Path) -> list[EvalRow]:
    """All language rows on ``shared`` (UD dev, NTREX); [] for what is absent."""
    data = data_dir(shared)
    rows: list[EvalRow] = []
    ud = [(lang, data / "ud" / name) for lang, name in UD_FILES]
    if all(path.is_file() for _, path in ud):
        labelled = [(lang, text) for lang, path in ud for text in ud_texts(path)]
        rows += _rows(labelled, dataset="ud", langs=tuple(lang for lang, _ in UD_FILES))
    ntrex = data / "ntrex"
    if all((ntrex / lang).is_dir() for lang in NTREX_LANGS):
        docs = [(lang, name, lines) for lang in NTREX_LANGS for name, lines in ntrex_documents(ntrex / lang)]
        labelled = [(lang, line) for lang, _, lines in docs for line in lines]
        rows += _rows(labelled, dataset="ntrex", langs=NTREX_LANGS)
        articles = [
            (lang, identify(Article(id=name, path=name, fmt="txt", text="\n".join(lines))).lang)
            for lang, name, lines in docs
        ]
        rows += score(articles, dataset="ntrex", task="lang-id-doc", langs=NTREX_LANGS)
    return rows


def read_slice(path: Path) -> list[tuple[str, str, str]]:
    """(dataset, gold language, text) rows of a slice file (tab-separated; # starts a comment)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            dataset, lang, text = line.split("\t", 2)
            rows.append((dataset, lang, text))
    return rows


def evaluate_slice(slices_dir: Path) -> list[EvalRow]:
    """The lang-id rows on the shipped slice (``slices_dir/language.tsv``); [] when it is absent."""
    path = slices_dir / SLICE_FILE
    if not path.is_file():
        return []
    rows: list[EvalRow] = []
    items = read_slice(path)
    for dataset in sorted({d for d, _, _ in items}):
        labelled = [(lang, text) for d, lang, text in items if d == dataset]
        langs = tuple(sorted({lang for lang, _ in labelled}))
        rows += _rows(labelled, dataset=f"slice-{dataset}", langs=langs)
    return rows


def write_slice(shared: Path, slices_dir: Path, *, per_language: int = 8) -> Path:
    """(Re)build the shipped slice from ``shared``: short and long UD sentences and NTREX lines.

    Deterministic: per source, the first ``per_language`` short texts (<= 5 words) and two longer
    ones taken a third of the way apart.
    """
    data = data_dir(shared)
    lines = [
        "# Language-identification slice for eval.language.evaluate_slice: dataset<TAB>gold<TAB>text.",
        "# ud uk: UD Ukrainian-IU dev (CC BY-NC-SA 4.0); ud ru: UD Russian-GSD dev (CC BY-SA 4.0);",
        "# ntrex: NTREX-128 news test references (CC BY-SA 4.0). Rebuild: eval.language.write_slice.",
    ]
    sources = [("ud", lang, list(ud_texts(data / "ud" / name))) for lang, name in UD_FILES]
    sources += [
        ("ntrex", lang, [line for _, doc in ntrex_documents(data / "ntrex" / lang) for line in doc])
        for lang in NTREX_LANGS
    ]
    for dataset, lang, texts in sources:
        short = [t for t in texts if len(t.split()) <= SHORT_WORDS][:per_language]
        longer = [t for t in texts if len(t.split()) > SHORT_WORDS][:: max(1, len(texts) // 3)][:2]
        lines += [f"{dataset}\t{lang}\t{text}" for text in short + longer]
    slices_dir.mkdir(parents=True, exist_ok=True)
    path = slices_dir / SLICE_FILE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
