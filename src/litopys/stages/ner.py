"""Named-entity mentions (PER, LOC, ORG, EVT, PRO) in uk/ru text, with a model shipped in the package.

The model (``litopys/models/ner``, see its ``MODEL_CARD.md``) is a spaCy CNN entity recogniser
trained by ``make train-ner``. Before the network sees a token, :func:`word_features` writes the
token's pymorphy3 analysis into it: ``lemma_`` is the base form and ``tag_`` a compact code of
part of speech, name grammemes (Name, Surn, Patr, Geox, Orgn, Abbr), case, and whether the
dictionary knows the word ("NOUN|Name|gent|D"); the tok2vec layer embeds both next to the usual
norm, prefix, suffix and shape. The analyser is chosen by the paragraph's language.

:func:`recognize` runs the model over each run of uk/ru paragraphs (English and other paragraphs
are skipped: the model is trained on Cyrillic news and only sees Latin names inside it), then
makes the result consistent across the document (:func:`harmonise`).

Other back ends plug in through :func:`load_backend`: ``"litopys"`` (the default) or the path of
a spaCy pipeline or of a Hugging Face token-classification directory (``pip install litopys[hf]``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from litopys.errors import LitopysError
from litopys.records import ENTITY_TYPES, Article, Mention
from litopys.stages.ner_rules import drop_sentence_initial_nouns, refine
from litopys.stages.nlp import morph

#: the shipped model (package data)
MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "ner"
#: languages the model reads; other paragraphs get no mentions
MODEL_LANGS = ("uk", "ru")
#: the name grammemes written into the tag feature
NAME_FLAGS = ("Name", "Surn", "Patr", "Geox", "Orgn", "Abbr")
#: feature tuples cached per process and language (~250 B each): the frequent forms of the news,
#: not its whole vocabulary; sized with the lemma caches (nlp.LEMMA_CACHE's comment has the
#: calibration: replayed over 3,000 benchmark documents, ru feature misses cost 1.9 s at 4,096
#: entries, 0.4 s at 32,768)
#: (bench/caches.py measures the budget: every stage cache filled to its size with new word forms)
FEATURE_CACHE = 1 << 12
#: the model reads long texts in pieces of at most this many characters, cut where a line, else a
#: sentence, else a word ends (:data:`PIECE_ENDS`). spaCy's memory while it reads grows with the
#: piece: on the 60 longest of the benchmark's real pages (up to 29k characters) a worker's peak
#: rose by up to 94 MiB over its resting size with pieces of 100,000 and by up to 8 MiB with
#: 10,000, and their 4,038 mentions were the same (a hard cut mid-sentence changed one)
MAX_PIECE = 10_000
#: where a piece may end, best first: after a line break, a sentence end, a space
PIECE_ENDS = (re.compile(r"\n"), re.compile(r"[.!?…][»\"”’)\]]*\s"), re.compile(r"\s"))
#: score of a mention the model found, and of one added by document-level propagation
MODEL_SCORE = 1.0
PROPAGATED_SCORE = 0.8

#: a mention must hold a capital letter or a digit; lower-case spans are common nouns the model or
#: the document-consistency step took for names (held-out slavicner ryanair uk: "пілоти", "страйк")
_NAME_LIKE = re.compile(r"[A-ZА-ЯЁІЇЄҐ0-9]")
_CYRILLIC = re.compile(r"[а-яёіїєґА-ЯЁІЇЄҐ]")
_LATIN = re.compile(r"[A-Za-z]")
_UK_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_RU_LETTERS = re.compile(r"[ыэъёЫЭЪЁ]")


# --- features ------------------------------------------------------------------------------------


def _analyse(word: str, lang: str) -> tuple[str, str]:
    if not _CYRILLIC.search(word):
        if _LATIN.search(word):
            return word.lower(), "LATN"
        if any(ch.isdigit() for ch in word):
            return word, "NUMB"
        return word, "PNCT"
    parses = morph(lang).parse(word)
    first = parses[0]
    tag = first.tag
    pos = tag.POS or str(tag).split(",", 1)[0].split(" ", 1)[0]
    flags = "+".join(f for f in NAME_FLAGS if any(f in p.tag.grammemes for p in parses[:8]))
    known = "D" if type(first.methods_stack[0][0]).__name__ == "DictionaryAnalyzer" else "P"
    return first.normal_form, f"{pos}|{flags}|{tag.case or ''}|{known}"


@lru_cache(maxsize=FEATURE_CACHE)
def _features_uk(word: str) -> tuple[str, str]:
    return _analyse(word, "uk")


@lru_cache(maxsize=FEATURE_CACHE)
def _features_ru(word: str) -> tuple[str, str]:
    return _analyse(word, "ru")


def word_features(word: str, lang: str) -> tuple[str, str]:
    """``(lemma, tag)`` of one token for the model: pymorphy3's base form and a compact tag."""
    return _features_ru(word) if lang == "ru" else _features_uk(word)


def guess_lang(text: str) -> str:
    """uk or ru by the letters only one of them uses (for text without a language)."""
    uk, ru = len(_UK_LETTERS.findall(text)), len(_RU_LETTERS.findall(text))
    return "ru" if ru > uk else "uk"


def add_features(doc: Any, lang: str) -> Any:
    """Write :func:`word_features` into every token of a spaCy ``Doc`` (in place; returns it)."""
    features = _features_ru if lang == "ru" else _features_uk
    for token in doc:
        if not token.is_space:
            token.lemma_, token.tag_ = features(token.text)
    return doc


# --- back ends -----------------------------------------------------------------------------------


class Backend(Protocol):
    """Finds ``(start, end, type)`` spans in a text of one language."""

    def __call__(self, text: str, lang: str, /) -> list[tuple[int, int, str]]: ...


class SpacyBackend:
    """A spaCy pipeline trained by ``eval/train_ner.py`` (features added before it runs)."""

    def __init__(self, path: Path) -> None:
        import spacy

        self.nlp = spacy.load(path)

    def __call__(self, text: str, lang: str, /) -> list[tuple[int, int, str]]:
        spans = []
        for offset, piece in _pieces(text, MAX_PIECE):
            doc = self.nlp(add_features(self.nlp.make_doc(piece), lang))
            spans += [(offset + e.start_char, offset + e.end_char, e.label_) for e in doc.ents]
        return spans


def _pieces(text: str, size: int) -> Iterable[tuple[int, str]]:
    """``text`` cut into pieces of at most ``size`` characters, with their offsets: each ends after
    the last line break within the size, else after the last sentence end, else after the last
    space, else at ``size`` characters (one very long word)."""
    start = 0
    while len(text) - start > size:
        end = start + size
        for pattern in PIECE_ENDS:
            found = list(pattern.finditer(text, start + 1, start + size))
            if found:
                end = found[-1].end()
                break
        yield start, text[start:end]
        start = end
    if start < len(text):
        yield start, text[start:]


#: labels of other tag sets mapped to ours (a Hugging Face model's labels without B-/I-)
FOREIGN_LABELS = {"PERS": "PER", "PERSON": "PER", "GPE": "LOC", "LOCATION": "LOC", "ORGANIZATION": "ORG"}


class HuggingFaceBackend:
    """A Hugging Face token-classification model directory (needs the ``hf`` extra)."""

    def __init__(self, path: Path) -> None:
        try:
            from transformers import pipeline
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise LitopysError(
                "E190", f"{path} is a Hugging Face model: install litopys[hf] to use it"
            ) from error
        self.pipe = pipeline("token-classification", model=str(path), aggregation_strategy="first")

    def __call__(self, text: str, lang: str, /) -> list[tuple[int, int, str]]:
        spans = []
        for found in self.pipe(text):
            label = str(found["entity_group"]).upper()
            label = FOREIGN_LABELS.get(label, label)
            if label in ENTITY_TYPES:
                start, end = int(found["start"]), int(found["end"])
                while start < end and text[start].isspace():
                    start += 1
                spans.append((start, end, label))
        return spans


def load_backend(name_or_path: str | Path = "litopys") -> Backend:
    """A recogniser: ``"litopys"`` (the shipped model) or a spaCy / Hugging Face model directory."""
    path = MODEL_DIR if str(name_or_path) == "litopys" else Path(name_or_path)
    if (path / "config.cfg").is_file() and (path / "meta.json").is_file():
        return SpacyBackend(path)
    if (path / "config.json").is_file():
        return HuggingFaceBackend(path)
    if str(name_or_path) == "litopys":
        raise LitopysError(
            "E190",
            f"the NER model is missing from {path}: reinstall litopys, or rebuild it with `make train-ner`",
        )
    raise LitopysError("E190", f"{path} is neither a spaCy pipeline nor a Hugging Face model directory")


@lru_cache(maxsize=4)
def _cached_backend(name: str) -> Backend:
    return load_backend(name)


# --- document-level consistency ------------------------------------------------------------------

_WORD = re.compile(r"\w[\w'’ʼ.-]*\w|\w")
#: closing letters that inflection changes in uk/ru names (stem = word minus these)
_ENDINGS = re.compile(
    r"(?:ами|ями|ого|ому|ему|ими|ыми|ій|ий|ый|ой|ою|ею|ом|ем|ям|ам|ах|ях|ів|ов|ев|[аяуюеиіоыь])$"
)


def _stem(word: str) -> str:
    lower = word.lower()
    stem = _ENDINGS.sub("", lower)
    return stem if len(stem) >= 3 else lower


def harmonise(text: str, spans: Sequence[tuple[int, int, str, float]]) -> list[tuple[int, int, str, float]]:
    """Make mentions consistent across a document.

    * one type per name: every mention of a form (and of forms with the same stems, "Кіма" /
      "Кім") takes the type most of them have, votes weighted by length;
    * a name found once is found everywhere: other occurrences of the same capitalised form
      that overlap no mention are added (score :data:`PROPAGATED_SCORE`);
    * surnames: the last word of a multi-word PER ("Володимир Путін") found alone, in any inflection
      ("Путін", "Путіна"), is a PER too.
    """
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for start, end, label, _ in spans:
        votes[tuple(_stem(w) for w in text[start:end].split())][label] += end - start + 1
    typed = [
        (s, e, votes[tuple(_stem(w) for w in text[s:e].split())].most_common(1)[0][0], p)
        for s, e, label, p in spans
    ]
    # forms to look for: the mentions themselves, and single-word stems of person names
    forms: dict[str, str] = {}
    stems: dict[str, str] = {}
    for start, end, label, _ in typed:
        surface = text[start:end]
        if len(surface) >= 3 and surface[:1].isupper():
            forms.setdefault(surface, label)
        words = surface.split()
        if label == "PER" and len(words) >= 2 and len(words[-1]) >= 4 and words[-1][:1].isupper():
            stems.setdefault(_stem(words[-1]), "PER")
    taken = sorted((s, e) for s, e, _, _ in typed)
    added: list[tuple[int, int, str, float]] = []

    def free(start: int, end: int) -> bool:
        return all(e <= start or s >= end for s, e in taken)

    for surface, label in sorted(forms.items(), key=lambda item: -len(item[0])):
        for found in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text):
            if free(found.start(), found.end()):
                added.append((found.start(), found.end(), label, PROPAGATED_SCORE))
                taken.append((found.start(), found.end()))
    if stems:
        for found in _WORD.finditer(text):
            word = found.group()
            if word[:1].isupper() and _stem(word) in stems and free(found.start(), found.end()):
                added.append((found.start(), found.end(), "PER", PROPAGATED_SCORE))
                taken.append((found.start(), found.end()))
    return sorted(typed + added)


# --- the stage -----------------------------------------------------------------------------------


def _runs(article: Article) -> Iterable[tuple[int, int, str]]:
    """``(start, end, lang)`` of the runs of consecutive paragraphs in one language ("" unknown)."""
    paragraphs = article.paragraphs
    if not paragraphs:
        yield 0, len(article.text), article.lang
        return
    run_start, run_end, run_lang = paragraphs[0].start, paragraphs[0].end, paragraphs[0].lang
    for paragraph in paragraphs[1:]:
        if paragraph.lang == run_lang:
            run_end = paragraph.end
            continue
        yield run_start, run_end, run_lang
        run_start, run_end, run_lang = paragraph.start, paragraph.end, paragraph.lang
    yield run_start, run_end, run_lang


def find_mentions(
    text: str, runs: Iterable[tuple[int, int, str]], backend: Callable[[str, str], list[tuple[int, int, str]]]
) -> list[Mention]:
    """Mentions in ``text`` from ``backend`` over each uk/ru run, made consistent by :func:`harmonise`."""
    spans: list[tuple[int, int, str, float]] = []
    for run_start, run_end, lang in runs:
        chunk = text[run_start:run_end]
        if not lang and _CYRILLIC.search(chunk):
            lang = guess_lang(chunk)  # no language identified: uk or ru by their letters
        if lang not in MODEL_LANGS or not chunk.strip():
            continue
        found = [
            (run_start + start, run_start + end, label, MODEL_SCORE)
            for start, end, label in backend(chunk, lang)
            if label in ENTITY_TYPES and end > start
        ]
        spans += refine(text, found, lang)
    mentions: list[Mention] = []
    last_end = -1
    for start, end, label, score in drop_sentence_initial_nouns(text, harmonise(text, spans), stem=_stem):
        if not _NAME_LIKE.search(text[start:end]):
            continue  # "пілоти", "страйк": a name holds a capital or a digit (slavicner ryanair uk)
        if start >= last_end:
            mentions.append(Mention(start, end, text[start:end], label, score=score))
            last_end = end
    return mentions


def recognize(article: Article, /) -> Article:
    """The article with ``mentions``: names in its uk/ru paragraphs, sorted and non-overlapping."""
    backend = _cached_backend("litopys")
    return article.evolve(mentions=tuple(find_mentions(article.text, _runs(article), backend)))
