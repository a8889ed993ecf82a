"""Known names: mentions of curated entities that the statistical recogniser missed.

The recogniser learns from the shared corpora and misses names it has not seen in a context like
this one (seed 002: "…сказав: Пєсков заявив…"). Every name and alias of the curated alias table
(``data/aliases.tsv``) and every country name CLDR gives in uk/ru/en is indexed by the lemmas of
its words, the same lemmas the nlp stage gives the article's tokens, so inflected forms match
("Північної Кореї" → північний корея → North Korea). A known name is added only where the
recogniser found nothing and only when it is capitalised in the text, so common words never
become names.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from functools import lru_cache
from importlib import resources

from litopys.records import Article, Mention, Token
from litopys.stages.gazetteer import gazetteer
from litopys.stages.nlp import lemmatize, tokenize

#: the longest indexed name, in words
MAX_WORDS = 6
#: a surname alone is indexed for people ("Пєсков" for "Дмитро Пєсков") when it has this many letters
MIN_SURNAME = 4
#: recognised mentions are retyped only to places: CLDR is authoritative on country and city names, while
#: the type of an organisation-like name follows the guidelines ("ЄС" is LOC in slavicner, ORG here)
RETYPE_TO = "LOC"
#: recogniser-independent mentions are marked with this score (the model's own are 1.0)
KNOWN_SCORE = 0.9


def _langs(text: str) -> tuple[str, ...]:
    return ("uk", "ru") if any("\u0400" <= ch <= "\u04ff" for ch in text) else ("en",)


def _curated_ids() -> set[str]:
    table = resources.files("litopys").joinpath("data/aliases.tsv").read_text(encoding="utf-8")
    return {
        line.split("\t", 1)[0] for line in table.splitlines() if line.strip() and not line.startswith("#")
    }


@lru_cache(maxsize=1)
def known_names() -> dict[tuple[str, ...], str]:
    """Lemma sequence → entity type for every curated name and CLDR country (built once per process)."""
    return _index(cities=False)


@lru_cache(maxsize=1)
def known_types() -> dict[tuple[str, ...], str]:
    """:func:`known_names` and the CLDR city names: the type of a name already recognised."""
    return _index(cities=True)


def _index(*, cities: bool) -> dict[tuple[str, ...], str]:
    index: dict[tuple[str, ...], set[str]] = {}
    curated = _curated_ids()
    for entry in gazetteer().entries.values():
        if not cities and entry.id not in curated and not (len(entry.id) == 2 and entry.id.isalpha()):
            continue  # CLDR cities and regions: too many short, ambiguous names to add unseen
        texts = [n.text for n in entry.names] + list(entry.aliases)
        if entry.type == "PER":
            texts += [
                t.split()[-1] for t in texts if len(t.split()) > 1 and len(t.split()[-1]) >= MIN_SURNAME
            ]
        for text in texts:
            words = [w.text for w in tokenize(text) if w.kind == "word"]
            if not words or len(words) > MAX_WORDS or not words[0][:1].isupper():
                continue
            for lang in _langs(text):
                key = tuple(lemmatize(w, lang=lang) for w in words)
                index.setdefault(key, set()).add(entry.type)
    return {key: next(iter(types)) for key, types in index.items() if len(types) == 1}


def _retyped(article: Article, tokens: list[Token]) -> tuple[Mention, ...]:
    """The article's mentions, each whose lemmas name a known entity given that entity's type.

    The recogniser confuses types where a name looks like another kind of name ("Лондон" is also a
    surname in pymorphy3 and came out PER on the slavicner dev topic brexit; "Ірландією" ORG).
    """
    index = known_types()
    starts = {t.start: i for i, t in enumerate(tokens)}
    out = []
    for m in article.mentions:
        i = starts.get(m.start)
        if i is not None:
            window = []
            while i < len(tokens) and tokens[i].end <= m.end:
                window.append(tokens[i])
                i += 1
            known = index.get(tuple(t.lemma for t in window))
            if known == RETYPE_TO and known != m.type and window and window[-1].end == m.end:
                m = replace(m, type=known)
        out.append(m)
    return tuple(out)


def recognize_known(article: Article, /) -> Article:
    """Give recognised mentions of known names their known type; add known names the recogniser missed."""
    index = known_names()
    taken = [False] * len(article.text)
    for m in article.mentions:
        taken[m.start : m.end] = [True] * (m.end - m.start)
    tokens = [t for t in article.tokens if article.text[t.start : t.end][:1].isalnum()]
    article = article.evolve(mentions=_retyped(article, tokens))
    added: list[Mention] = []
    i = 0
    while i < len(tokens):
        first = article.text[tokens[i].start : tokens[i].end]
        match = 0
        if first[:1].isupper() and not taken[tokens[i].start]:
            for n in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
                window = tokens[i : i + n]
                gap = any(article.text[a.end : b.start].strip(" -") for a, b in itertools.pairwise(window))
                if gap or any(taken[t.start] for t in window):
                    continue
                type_ = index.get(tuple(t.lemma for t in window))
                if type_:
                    start, end = window[0].start, window[-1].end
                    added.append(Mention(start, end, article.text[start:end], type_, score=KNOWN_SCORE))
                    match = n
                    break
        i += max(match, 1)
    if not added:
        return article
    return article.evolve(mentions=tuple(sorted(article.mentions + tuple(added), key=lambda m: m.start)))
