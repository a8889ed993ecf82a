"""Extractive multi-document summaries of an event cluster (``ev-…``) or a storyline (``st-…``).

:func:`summarize` reads the story's documents from the store and picks a few of their sentences,
each kept with its source (document id and character offsets into that document's text, language,
publication date, outlet), so that every line of a summary can be checked against what was
published.

Method:

1. **candidates**: the sentences of the story's current documents (for a storyline: all the
   documents of all its event clusters), at most :data:`SENTENCES_PER_DOCUMENT` per document. Left
   out: sentences shorter than :data:`MIN_CHARS` or longer than :data:`MAX_CHARS` characters, a
   title that the body repeats, and sentences that repeat one of an earlier document in the same
   language (the same words, or a vector cosine of :data:`NEAR_IDENTICAL`: exact and near
   duplicates). The language of a sentence is the language of its paragraph.
2. **vectors**: the multilingual sentence vectors (USE, :func:`litopys.stages.dedup.encode`) stored
   with each document's fingerprint are reused for its first sentences; the others are encoded in
   one batch per language, up to :data:`ENCODE_CHARS` characters per summary (beyond that only the
   stored sentences of the remaining documents are candidates, so a large storyline stays fast).
3. **relevance**: the cosine of a sentence to the story's centroid (the mean of its documents'
   mean vectors, so that a long document does not outweigh the others), plus a position prior,
   :data:`POSITION_WEIGHT` / (1 + the sentence's index in its document's body; the title counts
   as the lead): news put the main facts first.
4. **language**: with ``lang``, only the candidates in that language are chosen when there are any;
   otherwise every language is used and ``lang_fallback`` says so.
5. **selection** by maximal marginal relevance (MMR): the next sentence maximises
   ``(1 - diversity) * relevance - diversity * redundancy``, where redundancy is the highest
   similarity to a sentence already chosen. Similarity is the cosine of the vectors (USE is
   cross-lingual) plus the Dice overlap of Latin-folded word stems (USE has no Ukrainian, so the
   cosine of a uk sentence and its ru translation is often low, 0.2-0.6 on the seeds, while their
   stems meet: "артилерію" / "артиллерию" → "arti"). Sentences of two documents linked as
   duplicates or translations are aligned in order (from :data:`TWIN_MIN`); a sentence whose
   counterpart is chosen is never chosen, nor one with a similarity of :data:`REDUNDANT` to a
   chosen one.
6. **order**: the chosen sentences are printed for reading: by publication date (undated last),
   document, then position in the document.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from litopys.stages.dedup import _TERM_FOLD, MAX_SENTENCE_CHARS, MAX_SENTENCES, encode, normal_words
from litopys.store.db import Store

#: sentences in a summary by default: a paragraph one reads at a glance
SENTENCES = 5
#: MMR trade-off (λ) by default: 0 ranks by relevance alone, 1 by novelty alone; at 0.3 the storyline
#: summary of the seeds takes its five sentences from four of its five documents, at 0.0 from two
DIVERSITY = 0.3
#: shortest candidate (characters): below it are subheadings, bylines, photo credits and one-word
#: "sentences"; on the seeds it leaves out "Україна." (8), "Співпраця між РФ та КНДР" (24) and
#: "Сотрудничество РФ и КНДР - детали" (33), and keeps every full sentence (44 and more)
MIN_CHARS = 40
#: longest candidate (characters): longer "sentences" are run-ons or lists the splitter could not cut;
#: the longest seed sentence has 301
MAX_CHARS = 400
#: candidates read per document: the lead holds the facts, the tail background and boilerplate
SENTENCES_PER_DOCUMENT = 40
#: documents read for one summary: a storyline of thousands of documents is sampled evenly over its
#: publication order (the similarity matrix grows with the square of the candidates)
MAX_DOCUMENTS = 40
#: characters encoded afresh per summary, beyond the stored vectors of each document's first sentences
#: (USE reads ~27,000 per second on one core: about 1 s; the seeds' storyline needs ~9,000)
ENCODE_CHARS = 27_000
#: weight of the position prior 1 / (1 + index): the cosines of the storyline's candidate sentences to
#: its centroid spread over 0.1-0.7 (10th-90th percentile 0.32-0.65), so the lead gains 0.1, the third
#: sentence 0.03: a tie-breaker among sentences about as central, not a lead-only summary
POSITION_WEIGHT = 0.1
#: cosine from which two sentences in one language are the same sentence (a copy with a changed word
#: or punctuation); paraphrases of one fact in other words stay below it (seed pairs: at most 0.69)
NEAR_IDENTICAL = 0.95
#: letters of a Latin-folded word stem compared across uk and ru ("пілот"/"пилот" → "pilo"); on the
#: seeds 000 (uk) and 003 (ru), translated sentence pairs have a stem Dice of 0.21-0.50 at four letters
#: (0.07-0.25 at six), uk/ru pairs of other sentences of the storyline 0 (median; 95th percentile 0.13)
STEM_LETTERS = 4
#: similarity (cosine + stem Dice) from which sentences of two linked documents align (in order): seeds
#: 000/003 align all their 5 translated pairs (0.50-1.06) and no other; the best match of a sentence in
#: the other document, in any order, is another sentence for one of the five (0.54 against 0.50)
TWIN_MIN = 0.45
#: similarity (cosine + stem Dice, capped at 1) from which a candidate repeats a chosen sentence
#: outright; on the seeds' storyline, sentences of different documents that are not aligned reach 0.98
#: at most (two uk ones: respelled Ukrainian runs high), an aligned uk/ru pair 1.06
REDUNDANT = 1.0

#: what the CLI accepts for ``--lang``
LANGS = ("uk", "ru", "en")


class UnknownStory(LookupError):
    """No event cluster or storyline has this id."""

    def __init__(self, story_id: str) -> None:
        self.story_id = story_id
        super().__init__(
            f"no event cluster or storyline {story_id!r}; see `litopys stories` for the ids (ev-…, st-…)"
        )

    def __str__(self) -> str:  # LookupError would quote the message like a key
        return str(self.args[0])


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """A chosen sentence: ``text`` is ``documents.text[start:end]`` of ``document``."""

    document: str
    start: int
    end: int
    text: str
    lang: str
    published: str | None
    #: the outlet: the document's source, or its URL's host when it names none
    source: str | None
    #: relevance: cosine to the story's centroid plus the position prior
    score: float


@dataclass(frozen=True, slots=True)
class Summary:
    """An extractive summary of a story, its sentences in reading order."""

    story: str
    #: "event" (an event cluster) or "storyline"
    level: str
    #: the language the sentences were restricted to, or None: every language
    lang: str | None
    #: a language was asked for, but no candidate sentence of the story is in it
    lang_fallback: bool
    #: current documents in the story
    documents: int
    sentences: tuple[SummarySentence, ...] = field(default=())

    def record(self) -> dict[str, Any]:
        """The summary as a JSON-ready dict."""
        return asdict(self)


@dataclass(slots=True)
class _Candidate:
    doc: int  # index into the story's documents
    start: int
    end: int
    text: str
    lang: str
    position: int  # index among the document's body sentences (the title's count as 0)
    vector: np.ndarray | None = None
    stems: frozenset[str] = frozenset()


def summarize(
    store: Store,
    story_id: str,
    *,
    lang: str | None = None,
    sentences: int = SENTENCES,
    diversity: float = DIVERSITY,
) -> Summary:
    """Summarise the event cluster or storyline ``story_id`` in at most ``sentences`` sentences.

    ``lang`` ("uk", "ru", "en"): choose only sentences in that language when the story has some
    (otherwise all languages, with ``lang_fallback`` set); None: any language. ``diversity`` is the
    MMR trade-off λ between relevance (0) and novelty (1). See the module docs for the method.
    Raises :class:`UnknownStory` for an unknown id and ValueError for a bad option.
    """
    if sentences < 1:
        raise ValueError(f"sentences must be at least 1, not {sentences}")
    if not 0.0 <= diversity <= 1.0:
        raise ValueError(f"diversity must be between 0 and 1, not {diversity}")
    level, docs = _story_documents(store, story_id)
    total = len(docs)
    docs = _sample(docs, lang)
    candidates, mean_vectors = _candidates(docs)
    chosen_lang = lang
    fallback = False
    pool = candidates
    if lang is not None:
        pool = [c for c in candidates if c.lang == lang]
        if not pool:
            pool, chosen_lang, fallback = candidates, None, True
    if not pool:
        return Summary(story_id, level, chosen_lang, fallback, total)

    centroid = _unit(np.mean(mean_vectors, axis=0)) if mean_vectors else None
    vectors = _vectors(pool)
    relevance = (vectors @ centroid if centroid is not None else np.zeros(len(pool))) + np.array(
        [POSITION_WEIGHT / (1 + c.position) for c in pool]
    )
    similarity = np.minimum(vectors @ vectors.T + _dice_matrix(pool, pool), 1.0)
    twins = _twins(store, docs, pool)
    picked = _mmr(relevance, similarity, twins, sentences, diversity)

    chosen = []
    for i in picked:
        c, doc = pool[i], docs[pool[i].doc]
        chosen.append(
            SummarySentence(
                document=doc["id"],
                start=c.start,
                end=c.end,
                text=c.text,
                lang=c.lang,
                published=doc["published"],
                source=_outlet(doc),
                score=round(float(relevance[i]), 4),
            )
        )
    order = {d["id"]: n for n, d in enumerate(docs)}
    chosen.sort(key=lambda s: (s.published is None, s.published or "", order[s.document], s.start))
    return Summary(story_id, level, chosen_lang, fallback, total, tuple(chosen))


# --- reading the story -----------------------------------------------------------------------------


def _story_documents(store: Store, story_id: str) -> tuple[str, list[dict[str, Any]]]:
    """``(level, documents)``: the story's current documents in publication order, with fingerprints."""
    for level, column in (("event", "event"), ("storyline", "storyline")):
        rows = store.db.execute(
            "SELECT d.id, d.lang, d.published, d.source, d.url, d.text, d.paragraphs, d.sentences, "
            "f.vectors, f.dim FROM story_members m JOIN documents d ON d.id = m.doc_id "
            f"LEFT JOIN fingerprints f ON f.doc_id = d.id WHERE m.{column} = ? AND d.current = 1 "
            "ORDER BY coalesce(d.published, ''), m.seq",
            (story_id,),
        ).fetchall()
        if rows:
            return level, [dict(r) for r in rows]
    raise UnknownStory(story_id)


def _sample(docs: list[dict[str, Any]], lang: str | None) -> list[dict[str, Any]]:
    """At most :data:`MAX_DOCUMENTS` of a story's documents, spread evenly over its publication order
    (its whole span, not its first weeks), those in ``lang`` first when there are enough of them."""
    if len(docs) <= MAX_DOCUMENTS:
        return docs
    preferred = [d for d in docs if d["lang"] == lang] if lang else []
    pool = preferred if len(preferred) >= MAX_DOCUMENTS else docs
    step = len(pool) / MAX_DOCUMENTS
    return [pool[int(i * step)] for i in range(MAX_DOCUMENTS)]


def _candidates(docs: list[dict[str, Any]]) -> tuple[list[_Candidate], list[np.ndarray]]:
    """The candidate sentences with their vectors, and each document's mean vector."""
    per_doc: list[list[_Candidate]] = []
    missing: list[_Candidate] = []
    budget = ENCODE_CHARS
    for n, doc in enumerate(docs):
        text: str = doc["text"]
        spans = [(s["start"], s["end"]) for s in json.loads(doc["sentences"])]
        paragraphs = json.loads(doc["paragraphs"])
        starts = [p["start"] for p in paragraphs]
        stored = _stored_vectors(doc, len(spans))
        cost = sum(min(e - s, MAX_SENTENCE_CHARS) for s, e in spans[len(stored) : SENTENCES_PER_DOCUMENT])
        take = SENTENCES_PER_DOCUMENT if cost <= budget else len(stored)
        if take > len(stored):
            budget -= cost
        title_end = text.find("\n")
        in_title = sum(1 for start, _ in spans if start < title_end)
        found = []
        for i, (start, end) in enumerate(spans[:take]):
            at = bisect.bisect_right(starts, start) - 1
            lang = (paragraphs[at].get("lang") if at >= 0 else "") or doc["lang"]
            c = _Candidate(n, start, end, text[start:end], lang, max(0, i - in_title))
            if i < len(stored):
                c.vector = stored[i]
            else:
                missing.append(c)
            found.append(c)
        per_doc.append(found)

    by_lang: dict[str, list[_Candidate]] = {}
    for c in missing:
        by_lang.setdefault(c.lang, []).append(c)
    for lang, group in by_lang.items():
        for c, vector in zip(group, encode([c.text[:MAX_SENTENCE_CHARS] for c in group], lang), strict=True):
            c.vector = vector

    means = []
    kept: list[_Candidate] = []
    for n, found in enumerate(per_doc):
        rows = [c.vector for c in found if c.vector is not None]
        if rows:
            means.append(_unit(np.mean(rows, axis=0)))
        title_end = docs[n]["text"].find("\n")
        body = [c for c in found if title_end < 0 or c.start > title_end]
        for c in found:
            if not MIN_CHARS <= len(c.text.strip()) <= MAX_CHARS or c.vector is None:
                continue
            if c.start < title_end and _repeated_title(c, body):
                continue
            c.stems = _stems(c.text)
            if not any(_same_sentence(c, k) for k in kept):
                kept.append(c)
    return kept, means


def _stored_vectors(doc: dict[str, Any], sentences: int) -> list[np.ndarray]:
    """The fingerprint's sentence vectors, when they are the document's first sentences in order."""
    if not doc["vectors"] or not doc["dim"]:
        return []
    rows = np.frombuffer(doc["vectors"], dtype=np.float16).astype(np.float32).reshape(-1, doc["dim"])
    if len(rows) != min(sentences, MAX_SENTENCES):  # fingerprinted from lines, not sentences
        return []
    return [_unit(row) for row in rows]


def _repeated_title(title: _Candidate, body: Sequence[_Candidate]) -> bool:
    """The title's words are (nearly) all in one body sentence: the lead repeats the headline."""
    words = set(normal_words(title.text))
    return any(len(words - set(normal_words(c.text))) <= len(words) // 10 for c in body)


def _same_sentence(a: _Candidate, b: _Candidate) -> bool:
    """``a`` repeats ``b`` in the same language: the same words or a near-identical vector."""
    if a.lang != b.lang:
        return False
    if normal_words(a.text) == normal_words(b.text):
        return True
    assert a.vector is not None and b.vector is not None
    return float(a.vector @ b.vector) >= NEAR_IDENTICAL


# --- similarity and selection ----------------------------------------------------------------------


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _vectors(candidates: Sequence[_Candidate]) -> np.ndarray:
    """The candidates' vectors as rows (every candidate has one)."""
    return np.stack([c.vector for c in candidates if c.vector is not None])


def _stems(text: str) -> frozenset[str]:
    """Latin-folded word stems (uk and ru spellings of one word meet: "Росії"/"России" → "ross")."""
    return frozenset(
        w.translate(_TERM_FOLD)[:STEM_LETTERS] for w in normal_words(text) if len(w) >= 4 and not w.isdigit()
    )


def _dice_matrix(a: Sequence[_Candidate], b: Sequence[_Candidate]) -> np.ndarray:
    out = np.zeros((len(a), len(b)), dtype=np.float32)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if x.stems and y.stems:
                out[i, j] = 2 * len(x.stems & y.stems) / (len(x.stems) + len(y.stems))
    return out


def _twins(store: Store, docs: list[dict[str, Any]], pool: list[_Candidate]) -> dict[int, set[int]]:
    """Sentences of linked documents (duplicates, translations) aligned as each other's best match."""
    index = {d["id"]: n for n, d in enumerate(docs)}
    ids = list(index)
    marks = ",".join("?" * len(ids))
    links = store.db.execute(
        f"SELECT a, b FROM duplicates WHERE a IN ({marks}) AND b IN ({marks})", (*ids, *ids)
    ).fetchall()
    twins: dict[int, set[int]] = {}
    for link in links:
        left = [i for i, c in enumerate(pool) if c.doc == index[link["a"]]]
        right = [i for i, c in enumerate(pool) if c.doc == index[link["b"]]]
        if not left or not right:
            continue
        a, b = [pool[i] for i in left], [pool[i] for i in right]
        sims = _vectors(a) @ _vectors(b).T + _dice_matrix(a, b)
        for i, j in _monotone_alignment(sims, TWIN_MIN):
            twins.setdefault(left[i], set()).add(right[j])
            twins.setdefault(right[j], set()).add(left[i])
    return twins


def _monotone_alignment(sims: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, increasing in both, that maximise the summed ``sims - threshold`` (each >= 0).

    Translations and copies keep the order of sentences; the order settles pairs that a best match
    alone gets wrong (a uk lead closer to the ru title than to the ru lead).
    """
    n, m = sims.shape
    gain = np.where(sims >= threshold, sims - threshold, -np.inf)
    best = np.zeros((n + 1, m + 1))
    for i in range(n):
        for j in range(m):
            best[i + 1, j + 1] = max(best[i, j + 1], best[i + 1, j], best[i, j] + gain[i, j])
    pairs = []
    i, j = n, m
    while i and j:
        if best[i, j] == best[i - 1, j]:
            i -= 1
        elif best[i, j] == best[i, j - 1]:
            j -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    return pairs[::-1]


def _mmr(
    relevance: np.ndarray, similarity: np.ndarray, twins: dict[int, set[int]], k: int, diversity: float
) -> list[int]:
    """Indices chosen by maximal marginal relevance, best first."""
    chosen: list[int] = []
    blocked = np.zeros(len(relevance), dtype=bool)
    redundancy = np.zeros(len(relevance), dtype=np.float32)
    while len(chosen) < k:
        score = (1 - diversity) * relevance - diversity * redundancy
        score[blocked] = -np.inf
        best = int(np.argmax(score))
        if not np.isfinite(score[best]):
            break
        chosen.append(best)
        blocked[best] = True
        blocked[list(twins.get(best, ()))] = True
        blocked |= similarity[best] >= REDUNDANT
        redundancy = np.maximum(redundancy, similarity[best])
    return chosen


def _outlet(doc: dict[str, Any]) -> str | None:
    if doc["source"]:
        return str(doc["source"])
    host = urlsplit(doc["url"]).hostname if doc["url"] else None
    return host.removeprefix("www.") if host else None
