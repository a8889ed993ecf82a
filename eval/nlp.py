"""Quality of sentence splitting and lemmatisation (``litopys.stages.nlp``) on UD dev treebanks.

* ``ud`` / ``sentence-boundary``: the raw text of each UD paragraph is rebuilt by joining its
  sentences' ``# text =`` lines with a space (Ukrainian-IU marks paragraphs with ``# newpar``;
  Russian-GSD marks none, so runs of :data:`GSD_BLOCK` consecutive sentences stand in for
  paragraphs). A boundary is a sentence end inside a paragraph (paragraph ends are free, so they
  are not counted); P/R/F1 compare :func:`split_sentences`' boundaries with UD's.
* ``ntrex`` / ``sentence-boundary``: the same on NTREX news documents (en, ru, uk), whose lines
  are sentence-aligned translation segments: runs of lines that end with . ! ? … (or a closing
  quote) are joined by a space; headings (lines without such an end, litopys keeps them on their
  own line anyway) split the runs. A few segments hold two sentences, so precision is a slight
  under-estimate there.
* ``ud`` / ``lemma``: accuracy of :func:`lemmatize` on UD's own tokens (so tokenisation does not
  count), punctuation left out, as a row with tp = correct, fn = wrong, fp = 0. Lemmas are compared
  lower-cased, with apostrophes (’ ʼ ') and ё/е taken as the same letter: typographic variants.

:func:`evaluate_slice` recomputes both on ``eval/slices/sentences.tsv`` and ``lemmas.tsv``, small
cuts of the same treebanks that ship with the repository (sources and licenses in their headers).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from eval.common import EvalRow, slice_lines
from litopys.stages.nlp import lemmatize, split_sentences

#: UD dev files and their language
UD_FILES = (("uk", "uk_iu-ud-dev.conllu"), ("ru", "ru_gsd-ud-dev.conllu"))
NTREX_LANGS = ("en", "ru", "uk")
#: sentences per pseudo-paragraph for treebanks without paragraph marks (Russian-GSD)
GSD_BLOCK = 10
SENTENCES_SLICE = "sentences.tsv"
LEMMAS_SLICE = "lemmas.tsv"
_SAME_LETTERS = MappingProxyType(str.maketrans({"’": "'", "ʼ": "'", "ё": "е"}))
_SENTENCE_ENDS = (".", "!", "?", "…", "»", '"', "”", "'")


@dataclass(frozen=True, slots=True)
class UdSentence:
    """One UD sentence: its text, whether it starts a paragraph, and (form, lemma, UPOS) per word."""

    text: str
    new_paragraph: bool
    words: tuple[tuple[str, str, str], ...]


def data_dir(shared: Path) -> Path:
    """``shared/data`` when it exists (the Makefile passes ../shared), else ``shared`` itself."""
    return shared / "data" if (shared / "data").is_dir() else shared


def read_conllu(path: Path) -> Iterator[UdSentence]:
    """The sentences of a CoNLL-U file (multi-word ranges and empty nodes skipped)."""
    text, new_paragraph, words = "", False, []
    with path.open(encoding="utf-8") as lines:
        for raw in lines:
            line = raw.rstrip("\n")
            if not line:
                if text or words:
                    yield UdSentence(text, new_paragraph, tuple(words))
                text, new_paragraph, words = "", False, []
            elif line.startswith("# text = "):
                text = line[len("# text = ") :]
            elif line.startswith(("# newpar", "# newdoc")):
                new_paragraph = True
            elif not line.startswith("#"):
                cols = line.split("\t")
                if len(cols) == 10 and cols[0].isdigit():
                    words.append((cols[1], cols[2], cols[3]))
    if text or words:
        yield UdSentence(text, new_paragraph, tuple(words))


def paragraphs(sentences: Iterable[UdSentence], *, block: int = 0) -> list[list[str]]:
    """Sentence texts grouped by paragraph (UD marks), or in runs of ``block`` when there are none."""
    groups: list[list[str]] = []
    for k, sentence in enumerate(sentences):
        starts = sentence.new_paragraph if not block else k % block == 0
        if starts or not groups:
            groups.append([])
        groups[-1].append(sentence.text)
    return groups


def sentence_runs(path: Path) -> list[list[str]]:
    """Runs of consecutive lines of an NTREX document that end a sentence (headings split runs)."""
    runs: list[list[str]] = [[]]
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.endswith(_SENTENCE_ENDS):
            runs[-1].append(line)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def boundary_row(groups: Iterable[list[str]], *, dataset: str, lang: str) -> EvalRow:
    """Boundary P/R/F1 of split_sentences on paragraphs given as lists of gold sentences."""
    tp = fp = fn = 0
    for group in groups:
        text = " ".join(group)
        gold: set[int] = set()
        offset = 0
        for sentence in group[:-1]:
            offset += len(sentence)
            gold.add(offset)
            offset += 1
        predicted = {s.end for s in split_sentences(text, lang=lang)[:-1]}
        tp += len(gold & predicted)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
    return EvalRow(dataset, lang, "sentence-boundary", tp, fp, fn)


def lemma_row(words: Iterable[tuple[str, str, str]], *, dataset: str, lang: str) -> EvalRow:
    """Lemma accuracy on (form, gold lemma, UPOS) words, punctuation left out."""
    correct = wrong = 0
    for form, gold, upos in words:
        if upos == "PUNCT":
            continue
        predicted = lemmatize(form, lang=lang)
        if predicted.lower().translate(_SAME_LETTERS) == gold.lower().translate(_SAME_LETTERS):
            correct += 1
        else:
            wrong += 1
    return EvalRow(dataset, lang, "lemma", correct, 0, wrong)


def evaluate(shared: Path) -> list[EvalRow]:
    """Sentence-boundary and lemma rows on UD dev and NTREX in ``shared``; [] when they are absent."""
    folder = data_dir(shared) / "ud"
    rows: list[EvalRow] = []
    for lang, name in UD_FILES:
        path = folder / name
        if not path.is_file():
            continue
        sentences = list(read_conllu(path))
        marked = any(s.new_paragraph for s in sentences)
        groups = paragraphs(sentences, block=0 if marked else GSD_BLOCK)
        rows.append(boundary_row(groups, dataset="ud", lang=lang))
        rows.append(lemma_row((w for s in sentences for w in s.words), dataset="ud", lang=lang))
    ntrex = data_dir(shared) / "ntrex"
    for lang in NTREX_LANGS:
        if (ntrex / lang).is_dir():
            runs = [run for path in sorted((ntrex / lang).glob("*.txt")) for run in sentence_runs(path)]
            rows.append(boundary_row(runs, dataset="ntrex", lang=lang))
    return rows


def evaluate_slice(slices_dir: Path) -> list[EvalRow]:
    """The same rows on the shipped slices in ``slices_dir``; [] for a slice that is absent."""
    rows: list[EvalRow] = []
    sentences_path = slices_dir / SENTENCES_SLICE
    if sentences_path.is_file():
        by_lang: dict[str, list[list[str]]] = {}
        for lang, *group in slice_lines(sentences_path):
            by_lang.setdefault(lang, []).append(group)
        rows += [boundary_row(g, dataset="slice-ud", lang=lang) for lang, g in sorted(by_lang.items())]
    lemmas_path = slices_dir / LEMMAS_SLICE
    if lemmas_path.is_file():
        words: dict[str, list[tuple[str, str, str]]] = {}
        for lang, forms, lemmas, upos in slice_lines(lemmas_path):
            triples = zip(forms.split(" "), lemmas.split(" "), upos.split(" "), strict=True)
            words.setdefault(lang, []).extend(triples)
        rows += [lemma_row(w, dataset="slice-ud", lang=lang) for lang, w in sorted(words.items())]
    return rows


def write_slices(shared: Path, slices_dir: Path, *, per_language: int = 12) -> None:
    """(Re)build the shipped slices from the UD dev sets in ``shared`` (deterministic picks).

    sentences.tsv: the first ``per_language`` multi-sentence paragraphs (uk) or blocks of three
    sentences (ru); lemmas.tsv: every 40th sentence with at most 25 words, ``per_language`` each.
    """
    header = (
        "# {what}: cut from UD dev treebanks for eval.nlp.evaluate_slice ({fmt}).\n"
        "# uk: UD Ukrainian-IU dev (CC BY-NC-SA 4.0); ru: UD Russian-GSD dev (CC BY-SA 4.0).\n"
        "# Rebuild with eval.nlp.write_slices.\n"
    )
    folder = data_dir(shared) / "ud"
    sentence_lines, lemma_lines = [], []
    for lang, name in UD_FILES:
        sentences = list(read_conllu(folder / name))
        marked = any(s.new_paragraph for s in sentences)
        groups = [g for g in paragraphs(sentences, block=0 if marked else 3) if len(g) > 1]
        sentence_lines += ["\t".join([lang, *g]) for g in groups[:per_language]]
        picked = [s for s in sentences[::40] if len(s.words) <= 25 and not any(" " in w[0] for w in s.words)][
            :per_language
        ]
        lemma_lines += [
            "\t".join([lang, *(" ".join(w[k] for w in s.words) for k in range(3))]) for s in picked
        ]
    slices_dir.mkdir(parents=True, exist_ok=True)
    (slices_dir / SENTENCES_SLICE).write_text(
        header.format(what="Sentence boundaries", fmt="lang<TAB>sentence<TAB>sentence...: one paragraph")
        + "\n".join(sentence_lines)
        + "\n",
        encoding="utf-8",
    )
    (slices_dir / LEMMAS_SLICE).write_text(
        header.format(what="Lemmas", fmt="lang<TAB>forms<TAB>lemmas<TAB>UPOS, space-separated")
        + "\n".join(lemma_lines)
        + "\n",
        encoding="utf-8",
    )
