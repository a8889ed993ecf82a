"""Sentences, tokens and lemmas for uk/ru/en text.

Sentence splitting is rule-based: a sentence ends at . ! ? … (with any closing quotes or
brackets after it) when the next character starts a sentence (a capital, a digit, an opening
quote or bracket, a dash before a capital), unless the word before the period is an
abbreviation or an initial from the tables below. Sentences never cross a line (a paragraph), and
every non-space character of a line belongs to exactly one sentence.

Lemmas come from pymorphy3 for uk and ru (chosen by the paragraph's language), simplemma for en
and for Latin-script words inside uk/ru text, and the lower-cased form otherwise. Analysers load
once per process through cached loaders; lemmas are cached per (language, word form) in bounded
LRU caches, which only make repeated words cheap and never change a result.
"""

from __future__ import annotations

import re
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from litopys.records import Article, Sentence, Token

if TYPE_CHECKING:
    from collections.abc import Callable


def _words(text: str) -> frozenset[str]:
    """A word table from a space-separated string (easier to read and extend than a list)."""
    return frozenset(text.split())


# --- abbreviation tables (lower-case, without the final period) ----------------------------------

#: abbreviations that (almost) never end a sentence: titles, "named after", street and place words,
#: figure references, month names: the word after them is part of the same sentence even when it
#: is a capital ("ім. Шевченка", "вул. Хрещатик", "мал. 8", "Mr. Smith", "Jan. 5", "U.S. Army").
#: Only a typical English sentence opener after them (EN_SENTENCE_STARTERS) ends the sentence:
#: "... the West Coast of the U.S. As Rosa approaches ...".
NON_FINAL_ABBREVIATIONS = _words(
    # uk
    "ім вул просп пров пл бул м с смт обл див напр п ч абз гл проф акад доц д-р канд ген полк "
    "підполк ред упор зав заст гр св т.зв т.б техн екон філол юрид пед політ істор мал рис табл іл "
    "англ нім франц лат укр рос"
    # ru
    " им ул пер пр-т пос дер стр рис табл илл тов г-н г-жа т.е т.к т.н экон филол полит ист ум ок род "
    "нем франц"
    # en
    " mr mrs ms dr prof st mt gen col lt sgt capt sen sens rep reps gov pres rev det vs fig "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e"
)
#: abbreviations that often end a sentence ("... 5 млн.", "у 2016 р.", "та ін.", "т.д."): they end
#: it only when a capital follows, never before a digit ("ст. 15", "No. 5"); a lower-case word after
#: any period never starts a sentence ("5 млн. грн").
MAYBE_FINAL_ABBREVIATIONS = _words(
    # uk
    "тис млн млрд трлн грн коп р рр ст стор ін т.д т.п т.ч тощо кв км га см"
    # ru
    " тыс руб долл г гг в вв др пр фр мл"
    # en
    " etc inc ltd co corp jr sr no a.m p.m"
)

#: words that open English sentences and are never part of a name: after an abbreviation they
#: mark a new sentence ("U.S. The", "etc. It")
EN_SENTENCE_STARTERS = _words(
    "the a an as in it its he she they we i you but and this that these those there then on at for "
    "if when while after before however meanwhile"
)

#: characters that end a sentence
_TERMINATOR = r"(?:\.{2,}|…+|[.!?][.!?…]*)"
#: closing quotes and brackets that stay with the sentence they close
_CLOSERS = "»\"”’')]}"
#: a candidate boundary: a terminator, closers, then white space or the end of the line
_CANDIDATE = re.compile(_TERMINATOR + "[" + re.escape(_CLOSERS) + "]*(?=\\s|$)")
#: after a candidate boundary: the next non-space character, and the next one that is not a dash
#: (to see whether a dash introduces the speaker, "— спитав він", or a new sentence)
_NEXT = re.compile(r"\s*(\S)[-—–\s]*(\S?)")
_NEXT_WORD = re.compile(r"\s*([^\W\d_]+)")
#: a terminator glued to the next sentence in scraped text ("закінчився.Наступного"): Cyrillic
#: only, so that "Ukr.Net" and "Node.JS" stay whole
_GLUED = re.compile(r"[.!?]+(?=[А-ЯІЇЄҐЁ][а-яіїєґё])")
_TWO_LOWER_CYRILLIC = re.compile(r"[а-яіїєґё]{2}")
_DASHES = "—–-"
_OPENERS = "«\"„“'`([{"

# --- tokens --------------------------------------------------------------------------------------

_APOSTROPHES = "'’ʼ`"
_HYPHENS = "-‐‑"
#: a word: letters/digits/_ (and the combining acute of stressed vowels) joined by apostrophes and
#: hyphens ("зв'язки", "б’ються", "військово-політичним", "COVID-19"); a number with decimal, thousand
#: or time separators ("1.5", "2,4", "12:30", "29.11.2024"); "..."; any other single symbol.
_TOKEN = re.compile(
    r"\d+(?:[.,:]\d+)+(?!\w)"
    r"|[\w\u0301]+(?:[" + re.escape(_APOSTROPHES + _HYPHENS) + r"][\w\u0301]+)*"
    r"|\.{3}|[?!]+|[^\w\s]"
)
#: a token that is a number: its own lemma, no POS
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_APOSTROPHE_TABLE = MappingProxyType(
    str.maketrans({"’": "'", "ʼ": "'", "`": "'", "\u0301": None, "‐": "-", "‑": "-"})
)
_HAS_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

#: pymorphy tags of proper names: a capitalised word takes its first parse with one of them, so
#: "Кіма" is the name "кім" (not a form of a common noun) and "Путина" is "путин", not "путина"
NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
#: pymorphy3 grammemes of readings that are rare in news text: vocative, imperative, dialectal,
#: variant, informal, slang and archaic forms, plural-only nouns ("мостів" is of "міст", not "мости")
MARKED_GRAMMEMES = frozenset({"voct", "impr", "Dist", "alt", "Infr", "Slng", "Arch", "Pltm"})
#: parts of speech of the few, very frequent function words: their readings beat homographs
CLOSED_CLASS = frozenset({"NPRO", "PREP", "CONJ", "PRCL", "NUMR"})
#: frequent Ukrainian news words whose forms the uk dictionary also reads as a rarer word
#: ("року" рік/рок, "роботи" робота/робот, "кризи" криза/криз, "була" бути/булий, "міг" могти/МіГ)
FREQUENT_UK_LEMMAS = _words(
    "рік робота криза галузь бути могти новий людина жити стати країна влада справа сила область "
    "район місто питання закон кошти"
)
#: lemma cache size per language: the frequent forms of the news, not its whole vocabulary (the
#: benchmark's 1,078 real pages hold 30,673 ru forms). Calibrated by replaying the lookups of
#: 3,000 benchmark documents (session 9): a miss costs 9-15 µs of pymorphy3; at 4,096 entries per
#: cache the misses add ~0.6% to a worker's time over 32,768, while a worker rests 36 MiB lower
#: (709 vs 745 MiB) and grows +25 instead of +42 MiB from 500 to 3,000 documents. A cache holds
#: small tuples of str, but their pages stay fragmented among the stages' transient objects:
#: ~2x its size in RSS.
#: (bench/caches.py measures the budget: every stage cache filled to its size with new word forms)
LEMMA_CACHE = 1 << 12


class Word(NamedTuple):
    """A token of :func:`tokenize`: offsets into the text, the text, and its kind."""

    start: int
    end: int
    text: str
    kind: str  # "word", "number" or "punct"


# --- sentences -----------------------------------------------------------------------------------


def _word_before(line: str, start: int, end: int) -> str:
    """The word glued to the terminator at ``end`` (from the last space), without opening marks."""
    space = max(line.rfind(" ", start, end), line.rfind("\u00a0", start, end), line.rfind("\t", start, end))
    return line[max(space + 1, start) : end].lstrip(_OPENERS)


def _next_word(line: str, after: int) -> str:
    """The lower-cased word that follows position ``after`` ("" if a non-letter comes first)."""
    m = _NEXT_WORD.match(line, after)
    return m.group(1).lower() if m else ""


def _is_boundary(line: str, term_start: int, term: str, after: int, *, sentence_start: int) -> bool:
    """Does the sentence end at ``after`` (just past a terminator and its closers)?"""
    nxt_match = _NEXT.match(line, after)
    if nxt_match is None:
        return True
    nxt, following = nxt_match.group(1), nxt_match.group(2)
    if nxt in _DASHES:
        # «Куди?» — спитав він.  (the speaker's words continue the sentence)
        return bool(following) and not following.islower()
    if nxt.islower():
        return False
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    if term.startswith(("..", "…")):
        return not nxt.isdigit()  # "в районі ... 2023 року": an ellipsis before a number goes on
    if term != ".":
        return True  # "!", "?", or a period followed by closers (never an abbreviation's period)
    prev = _word_before(line, sentence_start, term_start)
    low = prev.lower()
    if len(prev) == 1 and prev.isupper():
        return not nxt.isupper()  # an initial: "Дмитро С. Кулеба", "J. Smith"
    if low in NON_FINAL_ABBREVIATIONS:
        return nxt.isascii() and _next_word(line, after) in EN_SENTENCE_STARTERS
    if low in MAYBE_FINAL_ABBREVIATIONS:
        return not nxt.isdigit()
    if prev.isdigit() and len(prev) <= 2 and not line[sentence_start : term_start - len(prev)].strip():
        return False  # a list item number at the start: "1. Перший пункт"
    if "." in prev and len(prev) <= 6 and prev.replace(".", "").isalpha():
        # dotted acronyms and initials: "т.зв.", "Й.В. Гете"
        return not nxt.isupper() or _next_word(line, after) in EN_SENTENCE_STARTERS
    return True


def _line_sentences(line: str, offset: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one line, shifted by ``offset``."""
    cuts: list[int] = []
    start = 0
    size = len(line)
    for m in _CANDIDATE.finditer(line):
        after = m.end()
        if after < size and _is_boundary(line, m.start(), m.group(), after, sentence_start=start):
            cuts.append(after)
            start = after
    glued = [
        m.end()
        for m in _GLUED.finditer(line)
        if m.start() >= 2 and _TWO_LOWER_CYRILLIC.fullmatch(line, m.start() - 2, m.start())
    ]
    if glued:
        cuts = sorted(cuts + glued)
    spans = []
    begin = 0
    for cut in [*cuts, size]:
        piece = line[begin:cut]
        stripped = piece.strip()
        if stripped:
            lead = begin + len(piece) - len(piece.lstrip())
            spans.append((offset + lead, offset + lead + len(stripped)))
        begin = cut
    return spans


def split_sentences(text: str, *, lang: str) -> list[Sentence]:
    """Sentences of ``text`` (offsets relative to it); a line break always ends a sentence.

    ``lang`` is accepted so callers need not care, but the abbreviation tables are shared by uk,
    ru and en: the languages' abbreviations do not clash, and mixed text is common.
    """
    del lang
    sentences: list[Sentence] = []
    offset = 0
    for line in text.split("\n"):
        sentences.extend(Sentence(s, e) for s, e in _line_sentences(line, offset))
        offset += len(line) + 1
    return sentences


# --- tokens and lemmas ---------------------------------------------------------------------------


def tokenize(text: str) -> list[Word]:
    """Words, numbers and punctuation marks of ``text`` with offsets relative to it."""
    return [Word(m.start(), m.end(), m.group(), _kind(m.group())) for m in _TOKEN.finditer(text)]


@lru_cache(maxsize=2)
def morph(lang: str) -> Any:
    """The pymorphy3 analyser for "uk" or "ru", built once per process (~0.1 s, ~15 MB each).

    The one loader of the project: ner, names and linking use it too."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


def _dictionary_reading(morph: Any, lower: str, *, name: bool) -> tuple[str, str] | None:
    """(lemma, POS) of a known word from pymorphy3's dictionary; None when the word is unknown.

    This reads pymorphy3's dictionary directly (its first analyser unit) instead of calling
    ``MorphAnalyzer.parse``, which builds a Parse object, tag and normal form for every reading:
    about 2x faster, and known words are ~97% of news text. Where the dictionary has
    P(tag | word) (ru) the readings are ordered by it as ``parse`` does, and with ``name`` the
    first proper-name reading wins; where it has none (uk) :func:`_rank_readings` ranks them.
    ``tests/test_nlp.py`` checks the choice against ``parse`` so that an upgrade cannot drift.
    """
    dictionary = morph.dictionary
    readings = [
        (fixed, para_id, idx)
        for fixed, parses in dictionary.words.similar_items(lower, morph.char_substitutes)
        for para_id, idx in parses
    ]
    if not readings:
        return None
    build_tag = dictionary.build_tag_info
    if len(readings) == 1:
        best = readings[0]
        return _lemma_pos(dictionary, best, build_tag(best[1], best[2]))
    estimator = morph.prob_estimator
    if estimator is None:
        return _rank_readings(dictionary, readings, name=name)
    # as pymorphy does for ru: order the readings by P(tag | word) when it knows the word
    tags = [build_tag(r[1], r[2]) for r in readings]
    probs = [estimator.p_t_given_w.prob(lower, tag) for tag in tags]
    order = sorted(range(len(readings)), key=lambda k: -probs[k]) if sum(probs) else range(len(readings))
    first = next(iter(order))
    if name:
        first = next((k for k in order if NAME_GRAMMEMES & tags[k].grammemes), first)
    return _lemma_pos(dictionary, readings[first], tags[first])


def _lemma_pos(dictionary: Any, reading: tuple[str, int, int], tag: Any) -> tuple[str, str]:
    fixed, para_id, idx = reading
    return (dictionary.build_normal_form(para_id, idx, fixed).lower(), str(tag.POS or ""))


def _rank_readings(dictionary: Any, readings: list[tuple[str, int, int]], *, name: bool) -> tuple[str, str]:
    """The likeliest of several readings where pymorphy3 has no P(tag | word) (the uk dictionary).

    Penalties (lower wins, ties keep the dictionary's order): +1 per MARKED_GRAMMEMES; proper-name
    readings -2 for a capitalised word ("Кіма" is Kim) and +3 otherwise ("чорної" is not the
    surname Чорна); -1 when the word is its own base form ("вона", "три"), except for names
    ("Білоусова" is more often the man Білоусов in the genitive); -2 for function words ("Вона"
    opening a sentence is the pronoun, not the surname Вон); -2 for a FREQUENT_UK_LEMMAS word when
    the readings belong to different words ("року": рік, not рок).
    """
    # the lemma of each word (paradigm), built only when the readings belong to several words
    words = {(f, p): i for f, p, i in readings}
    frequent = (
        {(f, p) for (f, p), i in words.items() if dictionary.build_normal_form(p, i, f) in FREQUENT_UK_LEMMAS}
        if len(words) > 1
        else set()
    )
    best, best_tag, best_penalty = readings[0], None, 1 << 30
    for reading in readings:
        fixed, para_id, idx = reading
        tag = dictionary.build_tag_info(para_id, idx)
        grammemes = tag.grammemes
        penalty = len(grammemes & MARKED_GRAMMEMES)
        if grammemes & NAME_GRAMMEMES:
            penalty += -2 if name else 3
        elif idx == 0:
            penalty -= 1
        if grammemes & CLOSED_CLASS:
            penalty -= 2
        if frequent and (fixed, para_id) in frequent:
            penalty -= 2
        if penalty < best_penalty:
            best, best_tag, best_penalty = reading, tag, penalty
    return _lemma_pos(dictionary, best, best_tag)


def _pymorphy(word: str, lang: str) -> tuple[str, str]:
    """(lemma, POS) of a uk/ru word form (with Cyrillic letters) by pymorphy3.

    Capitalised words prefer name readings. Apostrophes are normalised to U+0027 first, as in the
    pymorphy3 dictionaries, so "зв’язки" (U+2019) and "зв'язки" get the same lemma "зв'язка".
    """
    norm = word.translate(_APOSTROPHE_TABLE)
    if lang == "uk" and ("i" in norm or "I" in norm):
        norm = norm.replace("i", "і").replace("I", "І")  # Latin i typed inside a Ukrainian word
    analyser = morph(lang)
    capitalised = word[:1].isupper()
    lower = norm.lower()
    if len(lower) > 1:  # a one-letter word may be an initial: only the full analysis knows
        known = _dictionary_reading(analyser, lower, name=capitalised)
        if known is not None:
            return known
    parses = analyser.parse(norm)
    if not parses:
        return (lower, "")
    first = parses[0]
    if capitalised:
        first = next((p for p in parses if NAME_GRAMMEMES & p.tag.grammemes), first)
    return (first.normal_form.lower(), str(first.tag.POS or ""))


def _kind(form: str) -> str:
    """The kind of a token found by ``_TOKEN``: "number", "punct" or "word"."""
    first = form[0]
    if first.isalpha():
        return "word"
    if first.isdigit() and _NUMBER.fullmatch(form):
        return "number"
    return "word" if first.isalnum() or first in "_\u0301" else "punct"


def _english(word: str) -> tuple[str, str]:
    import simplemma

    return (simplemma.lemmatize(word.translate(_APOSTROPHE_TABLE), lang="en").lower(), "")


def _analyse_form(form: str, lang: str) -> tuple[str, str]:
    """(lemma, POS) of any token in a paragraph of language ``lang``.

    Numbers and punctuation are their own lemma; ASCII words in uk/ru/en text are English (or
    names spelled in Latin letters) and go to simplemma; uk/ru words go to pymorphy3; other
    languages get the lower-cased form.
    """
    kind = _kind(form)
    if kind != "word":
        return (form, "")
    if lang not in ("uk", "ru", "en"):
        return (form.lower(), "")
    if lang == "en" or form.isascii():
        return _english(form)
    if not _HAS_CYRILLIC.search(form):
        return (form.lower(), "")  # Latin with diacritics, Greek ...: pymorphy would guess wildly
    return _pymorphy(form, lang)


# One bounded cache per language, keyed by the token's exact form (a single str key is the
# cheapest lru_cache look-up): (lemma, POS) depends only on (language, form), so caching never
# changes a result.
@lru_cache(maxsize=LEMMA_CACHE)
def _lemma_uk(form: str) -> tuple[str, str]:
    return _analyse_form(form, "uk")


@lru_cache(maxsize=LEMMA_CACHE)
def _lemma_ru(form: str) -> tuple[str, str]:
    return _analyse_form(form, "ru")


@lru_cache(maxsize=LEMMA_CACHE)
def _lemma_en(form: str) -> tuple[str, str]:
    return _analyse_form(form, "en")


@lru_cache(maxsize=LEMMA_CACHE)
def _lemma_other(form: str) -> tuple[str, str]:
    return _analyse_form(form, "other")


def _lemmatizer(lang: str) -> Callable[[str], tuple[str, str]]:
    """The cached (lemma, POS) function for tokens of a paragraph in ``lang``."""
    if lang == "uk":
        return _lemma_uk
    if lang == "ru":
        return _lemma_ru
    if lang == "en":
        return _lemma_en
    return _lemma_other


def lemmatize(word: str, *, lang: str) -> str:
    """The lower-cased base form of ``word`` (a token) in a text of language ``lang``."""
    return _lemmatizer(lang)(word)[0]


def pos_tag(word: str, *, lang: str) -> str:
    """pymorphy3's part of speech of ``word`` for uk/ru words, "" where unknown or not uk/ru."""
    return _lemmatizer(lang)(word)[1]


def _paragraph_tokens(text: str, start: int, end: int, lang: str, out: list[Token]) -> None:
    """Append the tokens of ``text[start:end]`` (absolute offsets) to ``out``: analyse's hot loop."""
    analyse_form = _lemmatizer(lang)
    append = out.append
    for m in _TOKEN.finditer(text, start, end):
        lemma, pos = analyse_form(m.group())
        s, e = m.span()
        append(Token(s, e, lemma, pos))


def analyse(article: Article, /) -> Article:
    """Add sentences and tokens (with lemmas and POS) to an article whose paragraphs have a language.

    Offsets point into ``article.text``; the title line is paragraph 0 and gets its own sentences.
    An article without paragraph spans is treated as one paragraph per non-empty line.
    """
    text = article.text
    spans = [(p.start, p.end, p.lang or article.lang) for p in article.paragraphs]
    if not spans:
        offset = 0
        for line in text.split("\n"):
            if line.strip():
                spans.append((offset, offset + len(line), article.lang))
            offset += len(line) + 1
    sentences: list[Sentence] = []
    tokens: list[Token] = []
    for start, end, lang in spans:
        sentences.extend([Sentence(s, e) for s, e in _line_sentences(text[start:end], start)])
        _paragraph_tokens(text, start, end, lang, tokens)
    return article.evolve(sentences=tuple(sentences), tokens=tuple(tokens))
