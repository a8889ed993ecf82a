"""Base forms (lemmas) of multiword names, agreement-aware.

A name is not lemmatised word by word ("Курській області" is not "курський область"): the head
noun of the name is found with its case, the head goes to the nominative and the adjectives that
agree with it follow it, keeping its gender and number (pymorphy3's ``inflect``); what comes after
the head (a genitive complement: "Міністерства оборони РФ", "Ради Безпеки ООН") stays as written.
Person names are a sequence of name parts: the case is read off the rightmost part that shows one
("Кім Чен Ина": "Ина" is genitive, "Кім" and "Чен" do not decline), and every part that has a
reading in that case and the person's gender goes to the nominative ("Володимира Путіна" →
"Володимир Путін", "Марка Рютте" → "Марк Рютте"). Acronyms, Latin words, numbers and initials stay.

English names are left as they are, less a possessive 's ("Putin's" → "Putin"). Quotes around a
name are dropped ("«Газпрому»" → "Газпром"), as in the BSNLP lemmas.

``name_lemma`` is cached per (text, type, lang) in a bounded LRU cache; ``normalize`` sets
``Mention.lemma`` on every mention of an article, in the language of the paragraph that holds it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from functools import lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple

from litopys.records import Article
from litopys.stages.nlp import FREQUENT_UK_LEMMAS, morph

#: name_lemma results kept per process (~3.7 KB each with new names): the names a stream keeps
#: repeating, not all it ever met; the benchmark's pages bring ~6,000. 4,096 like the word caches
#: (nlp.LEMMA_CACHE's comment): with all of them at 4,096 a worker's caches held 11.6 MiB instead
#: of 32.9 over 3,000 documents, and its time did not change (558 vs 555 s)
#: (bench/caches.py measures the budget: every stage cache filled to its size with new word forms)
NAME_CACHE = 1 << 12
#: analysed word forms kept per process (readings hold pymorphy parses: ~5 KB each for unknown
#: words; the benchmark's pages bring ~5,600)
WORD_CACHE = 1 << 12

#: a word: letters joined by apostrophes or hyphens ("Жан-Клодом", "Об'єднаних"); digits and
#: other marks between words are kept as written ("потока-2" → "поток-2")
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ\-‐‑][^\W\d_]+)*")
#: an acronym with a case ending, which the base form drops ("МИДа" → "МИД", "ГУМе" → "ГУМ")
_INFLECTED_ACRONYM = re.compile(r"([A-ZА-ЯІЇЄҐЁ]{2,})(?:а|у|е|ом|ові|і|ы|и|ой|ою)")
#: quote marks dropped around a name; quotes inside it stay ('ГНЦ "Вектор"')
OPENING_QUOTES = "«„“\"'‘`"
CLOSING_QUOTES = "»“”\"'’`"
_APOSTROPHES = MappingProxyType(str.maketrans({"’": "'", "ʼ": "'", "‐": "-", "‑": "-"}))
#: an English possessive at the end of a name: "Putin's", "Reuters'"
_POSSESSIVE = re.compile(r"(?<=\w)['’](?:s|S)?$")

#: pymorphy3 grammemes of person-name parts: first names, surnames, patronymics
PERSON_GRAMMEMES = frozenset({"Name", "Surn", "Patr"})
#: readings rare in names: vocative, archaic, slang, informal, dialectal forms and spelling
#: variants ("Анґела"); used only when a word has no other reading
MARKED_GRAMMEMES = frozenset({"voct", "Arch", "Slng", "Infr", "Dist", "alt"})
#: the grammeme a head reading of each mention type should carry, when the word has several
#: readings ("Чен" as a place for LOC, as a surname for PER)
TYPE_GRAMMEMES = MappingProxyType({"LOC": "Geox", "ORG": "Orgn"})
#: lemmas that win over a homograph as the head of a name: the uk dictionary has no frequencies
#: ("Нового року" is рік, not рок; "Близького Сходу" схід, not сход; "Раді ЄС" рада, not рад)
PREFERRED_HEAD_LEMMAS = FREQUENT_UK_LEMMAS | frozenset({"рада", "схід", "захід", "союз", "штат", "партія"})
#: parts of speech that agree with a head noun (adjectives, participles, ordinal numerals)
ADJECTIVES = frozenset({"ADJF", "PRTF"})
#: conjunctions that join two heads in one name ("Боснії і Герцеговини" → "Боснія і Герцеговина")
CONJUNCTIONS = frozenset({"і", "й", "та", "и", "да"})
#: languages whose words in capitals that are not acronyms become capitalised: the BSNLP uk gold
#: writes dateline "КИЇВ" as "Київ" (18 of 18), the ru gold keeps "МОСКВА" (11 of 17)
RECASE_CAPITALS = frozenset({"uk"})
#: pymorphy3's secondary cases, mapped to the main ones (ru "в лесу" loc2, "чаю" gen2)
_CASE_ALIASES = MappingProxyType(
    {"gen1": "gent", "gen2": "gent", "acc2": "accs", "loc1": "loct", "loc2": "loct"}
)
_CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct"})
#: case endings of name parts that pymorphy3 cannot read in the person's gender (ru "Ына" of Ким
#: Чен Ын is UNKN, "Рааба" only a place): (gender, ending, replacement, cases), first match wins.
#: An ending after a vowel + "я"/"ю"/"ем" is a й-stem (Андрея → Андрей), after a consonant a
#: ь-stem (Скрипаля → Скрипаль).
GUESSED_ENDINGS = (
    ("masc", "ом", "", ("ablt",)),
    ("masc", "ові", "", ("datv", "loct")),
    ("masc", "еві", "ь", ("datv", "loct")),
    ("masc", "ем", "ь", ("ablt",)),
    ("masc", "ю", "ь", ("datv",)),
    ("masc", "я", "ь", ("gent", "accs")),
    ("masc", "а", "", ("gent", "accs")),
    ("masc", "у", "", ("datv",)),
    ("femn", "ой", "а", ("gent", "datv", "ablt", "loct")),
    ("femn", "ою", "а", ("ablt",)),
    ("femn", "єю", "я", ("ablt",)),
    ("femn", "ію", "ія", ("accs",)),
    ("femn", "ию", "ия", ("accs",)),
    ("femn", "ии", "ия", ("gent", "datv", "loct")),
    ("femn", "ії", "ія", ("gent", "datv", "loct")),
    ("femn", "ы", "а", ("gent",)),
    ("femn", "у", "а", ("accs",)),
    ("femn", "ю", "я", ("accs",)),
)
_VOWELS = frozenset("аеєиіїоуыэюяё")
_HARD = frozenset("цжшчщ")
#: unknown name parts (not in the dictionary) ending in these letters do not decline: uk "Фаучі",
#: "Барклі", "Бібі", ru "Фаучи", "Гоццо"; ("у", "е" end masculine cases: "Сакибу", "Макроне")
INDECLINABLE_ENDINGS = MappingProxyType({"uk": ("і", "о", "е"), "ru": ("и", "о", "э")})


class Reading(NamedTuple):
    """One morphological reading of a word form (a pymorphy3 parse, or a guess for unknown names)."""

    pos: str
    case: str
    number: str  # "sing" or "plur"
    gender: str  # "masc", "femn", "neut", "ms-f" or ""
    grammemes: frozenset[str]
    parse: Any  # the pymorphy3 Parse, or None for a guessed reading
    lemma: str  # the normal form (for a guessed reading: the nominative)
    known: bool = True  # from the dictionary, not predicted from the ending

    @property
    def person(self) -> bool:
        return bool(self.grammemes & PERSON_GRAMMEMES)

    @property
    def score(self) -> float:
        return float(self.parse.score) if self.parse is not None else 0.0

    @property
    def fixed(self) -> bool:
        return "Fixd" in self.grammemes


def _reading(parse: Any) -> Reading | None:
    tag = parse.tag
    if tag.POS not in ("NOUN", "ADJF", "PRTF"):
        return None
    case = _CASE_ALIASES.get(str(tag.case), str(tag.case or ""))
    if not case and parse.word == parse.normal_form:
        case = "nomn"  # the uk dictionary leaves the case off some base forms ("Супутник")
    if case not in _CASES:
        return None
    number = "plur" if "plur" in tag else "sing"
    known = type(parse.methods_stack[0][0]).__name__ == "DictionaryAnalyzer"
    grammemes = frozenset(tag.grammemes)
    return Reading(
        str(tag.POS), case, number, str(tag.gender or ""), grammemes, parse, parse.normal_form, known
    )


@lru_cache(maxsize=WORD_CACHE)
def _readings(word: str, lang: str) -> tuple[Reading, ...]:
    """Noun, adjective and participle readings of a uk/ru word form, rare readings only as a last resort."""
    found = [r for p in morph(lang).parse(word.translate(_APOSTROPHES)) if (r := _reading(p))]
    usual = [r for r in found if not r.grammemes & MARKED_GRAMMEMES]
    return tuple(usual or found)


@lru_cache(maxsize=WORD_CACHE)
def _is_acronym(word: str, lang: str) -> bool:
    """An acronym ("РФ", "НАТО", "СПбПУ"), not an ordinary word in capitals ("КИЇВ")."""
    capitals = sum(ch.isupper() for ch in word)
    if len(word) < 2 or capitals < 2 or capitals * 2 < len(word):
        return False
    if not word.isupper():
        return True  # mostly capitals: "СПбПУ", "МинЗдрав"
    lower = word.lower().translate(_APOSTROPHES)
    analyser = morph(lang)
    if lang not in RECASE_CAPITALS or not analyser.word_is_known(lower):
        return True
    return any("Abbr" in p.tag or "Fixd" in p.tag for p in analyser.parse(lower))


def _guessed(word: str, gender: str) -> tuple[Reading, ...]:
    """Readings of a name part in ``gender`` from its ending (GUESSED_ENDINGS)."""
    lower = word.lower()
    for g, ending, new, cases in GUESSED_ENDINGS:
        if g == gender and lower.endswith(ending) and len(lower) > len(ending) + 1:
            stem = lower[: -len(ending)]
            if new == "ь" and stem[-1] in _VOWELS:
                new = "й"
            elif new == "ь" and stem[-1] in _HARD:
                new = ""  # "Курцем" → "Курц"
            return tuple(Reading("NOUN", c, "sing", g, _GUESSED, None, stem + new, False) for c in cases)
    return (Reading("NOUN", "nomn", "sing", gender, _GUESSED, None, lower, False),)


_GUESSED = frozenset({"Name"})


def _nominative(reading: Reading) -> str | None:
    """The nominative of the word read as ``reading`` (same gender and number), lower case."""
    if reading.parse is None:
        return reading.lemma
    if reading.case == "nomn":
        return str(reading.parse.word)
    inflected = reading.parse.inflect({"nomn"})
    if inflected is not None and reading.number == "sing" and "plur" in inflected.tag:
        # the uk dictionary leaves the case off some singular base forms, so inflect finds the
        # plural ("арбітражу" → "арбітражі"): a noun's base form is its nominative singular
        return str(reading.parse.normal_form) if reading.pos == "NOUN" else None
    return None if inflected is None else str(inflected.word)


def _restore_case(original: str, new: str, *, proper: bool = False) -> str:
    """``new`` spelled with the capitals of ``original``, hyphen part by part ("МакКейна" → "МакКейн")."""
    if "ё" not in original.lower():
        new = new.replace("ё", "е")
    if original.isupper() and len(original) > 1:
        return new[:1].upper() + new[1:]  # a word in capitals, not an acronym: "КИЇВ" → "Київ"
    olds, news = original.split("-"), new.split("-")
    if len(olds) != len(news):
        olds, news = [original], [new]
    parts = []
    for old, part in zip(olds, news, strict=True):
        parts.append(
            "".join(n.upper() if k < len(old) and old[k].isupper() else n for k, n in enumerate(part))
        )
    out = "-".join(parts)
    return out[:1].upper() + out[1:] if proper else out


# --- person names --------------------------------------------------------------------------------


def _fits(reading: Reading, gender: str) -> bool:
    if reading.number != "sing":
        return False
    return not gender or reading.fixed or reading.gender in (gender, "", "ms-f")


def _personal(reading: Reading) -> bool:
    """A reading of a word as (part of) a person's name, or as an animate noun ("Папа")."""
    return reading.person or (reading.pos == "NOUN" and "anim" in reading.grammemes and not reading.fixed)


def _person_gender(readings: list[tuple[Reading, ...]]) -> str:
    """The person's gender: the likelier over the name parts, masculine when they do not tell.

    Each part votes with its likeliest reading of each gender (pymorphy3's P(tag | word) for ru,
    1.0 for every uk reading), normalised per part: "Юлия" is a woman (Юлия 0.71, Юлий 0.21),
    "Саджида Джавида" a man. A surname alone is read as a man's ("Білоусова": the man Білоусов in
    the genitive): in news on politics and war most people named by surname alone are men.
    """
    votes = {"masc": 0.0, "femn": 0.0}
    for rs in readings:
        best = {g: max((r.score for r in rs if r.gender == g and _personal(r)), default=0.0) for g in votes}
        total = sum(best.values())
        for g in votes:
            votes[g] += best[g] / total if total else 0.0
    return "femn" if votes["femn"] > votes["masc"] else "masc"


def _person_readings(word: str, lang: str, gender: str) -> tuple[Reading, ...]:
    """Readings of a name part in the person's gender (guessed from the ending when pymorphy3 has none)."""
    if _is_acronym(word, lang):
        return ()
    found = _readings(word, lang)
    if (
        found
        and not any(r.known for r in found)
        and word.lower().endswith(INDECLINABLE_ENDINGS.get(lang, ()))
    ):
        return ()  # an unknown foreign name in a vowel: "Фаучі" does not decline
    fitting = [r for r in found if _fits(r, gender) and _personal(r)]
    return tuple(r for r in fitting if r.person) or tuple(fitting) or _guessed(word, gender)


def _adjectival(word: str, lang: str) -> bool:
    """A capitalised adjective tagged as a person ("Немецкая"): lemmatised as a phrase, not a name."""
    readings = _readings(word, lang)
    return any(r.pos in ADJECTIVES for r in readings) and not any(r.pos == "NOUN" for r in readings)


def _person(words: list[str], lang: str) -> list[str | None]:
    """Nominatives of the declinable parts of a person's name (None: keep the part as written)."""
    gender = _person_gender([_readings(w, lang) for w in words])
    readings = [_person_readings(w, lang, gender) for w in words]
    cases: set[str] = set()
    first = readings[0]
    if not (first and all(r.case == "nomn" for r in first)):  # a declinable first name in the nominative
        for rs in reversed(readings):  # else the rightmost part that cannot be nominative gives the case
            if rs and not any(r.case == "nomn" for r in rs):
                cases = {r.case for r in rs}
                break
    if not cases:
        return [None] * len(words)
    out: list[str | None] = []
    for rs in readings:
        fitting = sorted((r for r in rs if r.case in cases), key=lambda r: (not r.person, r.pos != "NOUN"))
        out.append(_nominative(fitting[0]) if fitting else None)
    return out


# --- other names: an agreeing adjective group around a head noun ----------------------------------


def _agrees(adjective: Reading, head: Reading) -> bool:
    if adjective.case != head.case or adjective.number != head.number:
        return False
    return head.number == "plur" or head.gender in ("", "ms-f") or adjective.gender in (head.gender, "")


def _head_order(reading: Reading, type_: str) -> tuple[bool, ...]:
    """Sort key of head readings: singular, not a person's name, nominative, of the mention's type."""
    wanted = TYPE_GRAMMEMES.get(type_)
    return (
        reading.number != "sing",
        reading.person and type_ != "PER",
        reading.lemma not in PREFERRED_HEAD_LEMMAS,
        reading.case != "nomn",
        bool(wanted) and wanted not in reading.grammemes,
        not reading.known,
    )


@lru_cache(maxsize=WORD_CACHE)
def _phrase_readings(word: str, lang: str) -> tuple[Reading, ...]:
    """Readings of a word of a name; an acronym agrees in every case ("британского МИД") but never changes."""
    if not _is_acronym(word, lang):
        return _readings(word, lang)
    kinds = {(r.number, r.gender) for r in _readings(word, lang) if r.pos == "NOUN"}
    fixed = frozenset({"NOUN", "Fixd"})
    return tuple(
        Reading("NOUN", c, n, g, fixed, None, word) for n, g in sorted(kinds) for c in sorted(_CASES)
    )


def _phrase(words: list[str], lang: str, type_: str) -> tuple[list[str | None], str]:
    """Nominatives of the head group of a non-person name, and the case it was in ("" if unknown)."""
    out: list[str | None] = [None] * len(words)
    readings = [_phrase_readings(w, lang) for w in words]
    head = -1
    for i, rs in enumerate(readings):
        if not rs or (i and words[i].lower() in CONJUNCTIONS):
            break
        adjectives = [r for r in rs if r.pos in ADJECTIVES]
        following = readings[i + 1] if i + 1 < len(words) else ()
        if adjectives and any(_agrees(a, r) for a in adjectives for r in following):
            continue
        if any(r.pos == "NOUN" for r in rs) or adjectives:
            head = i
        break
    if head < 0:
        return out, ""
    nouns = [r for r in readings[head] if r.pos == "NOUN"]
    if not nouns and len(words) == 1:
        # an adjective alone ("китайской"): the dictionary form, as the BSNLP gold mostly has it
        adjective = min(readings[head], key=lambda r: _head_order(r, type_))
        out[0] = adjective.lemma if adjective.parse is not None else None
        return out, adjective.case
    chosen: list[Reading] = []
    for h in sorted(nouns or readings[head], key=lambda r: _head_order(r, type_)):
        group = [
            next((a for a in readings[i] if a.pos in ADJECTIVES and _agrees(a, h)), None) for i in range(head)
        ]
        if all(group):
            chosen = [*(g for g in group if g), h]
            break
    for i, reading in enumerate(chosen):
        if not _is_acronym(words[i], lang):
            out[i] = _nominative(reading)
    case = chosen[-1].case if chosen else ""
    rest = head + 1
    if case not in ("", "nomn") and rest + 1 < len(words) and words[rest].lower() in CONJUNCTIONS:
        tail, tail_case = _phrase(words[rest + 1 :], lang, type_)
        if tail_case == case:
            out[rest + 1 :] = tail
    return out, case


# --- the API ---------------------------------------------------------------------------------------


def _strip_quotes(text: str) -> str:
    """``text`` without quotes around the whole of it, or an unpaired one at either end."""
    name = text.strip()
    while len(name) > 1 and name[0] in OPENING_QUOTES and not any(q in name[1:] for q in CLOSING_QUOTES[:-1]):
        name = name[1:].strip()  # an opening quote whose closing one is outside the mention
    while (
        len(name) > 1 and name[-1] in CLOSING_QUOTES and not any(q in name[:-1] for q in OPENING_QUOTES[:-1])
    ):
        name = name[:-1].strip()
    if len(name) > 2 and name[0] in OPENING_QUOTES and name[-1] in CLOSING_QUOTES:
        inner = name[1:-1]
        if not any(q in inner for q in OPENING_QUOTES + CLOSING_QUOTES):
            name = inner.strip()
    return name or text.strip()


@lru_cache(maxsize=NAME_CACHE)
def name_lemma(text: str, *, type: str, lang: str) -> str:
    """The base form of a name as it appears in text of language ``lang`` ("uk", "ru", "en", ...).

    Person names (``type`` "PER") go to the nominative part by part in the person's gender; other
    names have their head noun and its adjectives put in the nominative (see the module docstring).
    Text in other languages, and Latin-script names in any language, keep their spelling.
    """
    name = _strip_quotes(text)
    if lang not in ("uk", "ru") or not any("\u0400" <= ch <= "\u04ff" for ch in name):
        return _POSSESSIVE.sub("", name) if lang == "en" or name.isascii() else name
    spans = [m.span() for m in _WORD.finditer(name)]
    words = [name[s:e] for s, e in spans]
    # person names: capitalised words, not initials; "ван", "де" and the like stay
    parts = [k for k, w in enumerate(words) if w[0].isupper() and len(w) > 1]
    replaced: list[str | None] = [None] * len(words)
    if type == "PER" and parts and not _adjectival(words[parts[0]], lang):
        for k, new in zip(parts, _person([words[k] for k in parts], lang), strict=True):
            replaced[k] = new
    elif words:
        replaced, _ = _phrase(words, lang, type)
    for k, word in enumerate(words):
        if replaced[k] is None and (m := _INFLECTED_ACRONYM.fullmatch(word)):
            replaced[k] = m.group(1)
    pieces = []
    last = 0
    for (s, e), word, new in zip(spans, words, replaced, strict=True):
        pieces.append(name[last:s])
        if new is None or new.isupper():
            pieces.append(word if new is None else new)
        else:
            proper = (
                type == "LOC"
                and word[0].islower()
                and any("Geox" in r.grammemes for r in _readings(word, lang)[:1])
            )
            pieces.append(_restore_case(word, new, proper=proper))
        last = e
    pieces.append(name[last:])
    return "".join(pieces)


def normalize(article: Article, /) -> Article:
    """The article with ``lemma`` set on every mention (in the language of its paragraph)."""
    if not article.mentions:
        return article
    starts = [p.start for p in article.paragraphs]
    mentions = []
    for m in article.mentions:
        k = bisect_right(starts, m.start) - 1
        lang = (article.paragraphs[k].lang if k >= 0 else "") or article.lang
        mentions.append(replace(m, lemma=name_lemma(m.text, type=m.type, lang=lang)))
    return article.evolve(mentions=tuple(mentions))
