"""Corrections applied to the recogniser's spans: name conventions the training sources disagree on.

The model learns from several corpora with different guidelines (NER-UK puts the legal form inside an
organisation name, "ПАТ «Укрнафта»"; BSNLP/SlavicNER leave it out) and it sees few Latin names inside
Cyrillic text. These rules bring its output to one convention, the BSNLP one the evaluation and the
linker use. Each table and threshold below says what it was measured on; the counts come from the
training split (``eval.ner_data.training_docs``), never from the held-out topics.

* :func:`refine` (per run of one language, before document consistency):

  - a mention that joins a Cyrillic and a Latin word is cut at the script boundary: gold names
    almost never mix scripts (40 of 14,168 uk and 131 of 28,345 ru training mentions, nearly all
    with a Roman numeral "Бенедикт XVI" or a domain "Страна.ua", which stay whole); a Cyrillic
    descriptor in front of a Latin name ("пілоти Ryanair", "авіакомпанія Ryanair") is dropped, a
    capitalised Cyrillic name beside it ("Brexit Мішель Барньє") is kept as its own mention;
  - a legal form in front of an organisation name (:data:`LEGAL_FORMS`) is dropped;
  - in Ukrainian text an all-Latin mention typed LOC or PER becomes ORG (:data:`LATIN_ORG_LANGS`).

* :func:`drop_sentence_initial_nouns` (after document consistency): a one-word mention at a sentence
  start whose word occurs in lower case elsewhere in the document is a common noun capitalised by
  position ("Пілоти оголосили страйк … пілоти вимагають").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from litopys.stages.nlp import morph

Span = tuple[int, int, str, float]

#: legal forms written before an organisation's name; BSNLP leaves them out of the name, NER-UK puts
#: them in (644 of 14,168 uk training mentions start with one), so the model copies NER-UK
LEGAL_FORMS = frozenset(
    {
        # uk: публічне / приватне акціонерне товариство, національна акціонерна компанія,
        # товариство з обмеженою відповідальністю, державне / казенне / комунальне підприємство
        "ПАТ", "ПрАТ", "ВАТ", "ЗАТ", "АТ", "НАК", "ТОВ", "ТзОВ", "ДП", "КП", "ДК", "ПП",
        # ru: the same forms in Russian
        "ОАО", "ПАО", "ЗАО", "ООО", "АО", "ГП", "ФГУП", "ГУП", "МУП", "НК",
    }
)  # fmt: skip
#: languages where an all-Latin name is an organisation unless the model says EVT/PRO: in the uk training
#: split 735 Latin-script gold mentions are ORG, 201 EVT, 152 PRO, and only 8 LOC and 6 PER (people and
#: places are transliterated into Cyrillic); in ru the share of PER is much larger (250 of 2,668:
#: NEREL keeps foreign names in Latin), so the rule is left out there
LATIN_ORG_LANGS = frozenset({"uk"})
#: lower-case words that belong inside a name ("Урсула фон дер Ляєн", "Ludwig van Beethoven")
NAME_PARTICLES = frozenset(
    {"фон", "ван", "дер", "де", "ді", "да", "ла", "ле", "дю", "аль", "ель", "бен", "ібн", "ибн"}
    | {"von", "van", "der", "den", "de", "di", "da", "la", "le", "du", "al", "el", "bin", "ibn"}
)

_WORD = re.compile(r"\S+")
_CYRILLIC_WORD = re.compile(r"^[«\"„“(]?[а-яёіїєґА-ЯЁІЇЄҐʼ'’-]+[»\"“”),.:;]?$")
_LATIN_WORD = re.compile(r"^[«\"„“(]?[A-Za-z][A-Za-z0-9&'’.-]*[»\"“”),:;]?$")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_QUOTES = "«»\"„“”'’"
#: a sentence starts after a line break or after . ! ? … followed by space (quotes and dashes may follow)
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+|\n)[\s«\"„“—–-]*$")
_LOWER_WORD = re.compile(r"(?<!\w)[а-яёіїєґa-z][\w'’ʼ-]*")


def _script(word: str) -> str:
    if _ROMAN.match(word.strip(_QUOTES + "(),.")):
        return ""  # a Roman numeral goes with either script
    if _CYRILLIC_WORD.match(word):
        return "cyr"
    if _LATIN_WORD.match(word):
        return "lat"
    return ""


def _words(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(start + m.start(), start + m.end(), m.group()) for m in _WORD.finditer(text[start:end])]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding spaces, quotes and trailing punctuation."""
    while start < end and (text[start].isspace() or text[start] in _QUOTES):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _QUOTES + ",.:;"):
        end -= 1
    return start, end


def _is_name_part(word: str) -> bool:
    bare = word.strip(_QUOTES + "(),.:;")
    return bool(bare) and (bare[:1].isupper() or bare[:1].isdigit() or bare.lower() in NAME_PARTICLES)


def _person_like(words: Sequence[str], lang: str) -> bool:
    """Whether pymorphy3 reads one of ``words`` as a first name (the rest capitalised)."""
    analyser = morph(lang)
    return any(
        any("Name" in p.tag.grammemes for p in analyser.parse(w.strip(_QUOTES + "(),.:;"))[:4]) for w in words
    )


#: pymorphy3 grammemes of proper names ("Джонсон" Surn; uk has only Name/Surn/Patr)
PROPER_GRAMMEMES = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn"})


def _proper_like(word: str, lang: str) -> bool:
    """A proper-name grammeme among the first parses, or a word the dictionary does not know."""
    parses = morph(lang).parse(word.strip(_QUOTES + "(),.:;"))[:4]
    if not parses or type(parses[0].methods_stack[0][0]).__name__ != "DictionaryAnalyzer":
        return True
    return any(PROPER_GRAMMEMES & p.tag.grammemes for p in parses)


def split_scripts(text: str, span: Span, lang: str) -> list[Span]:
    """``span`` cut where its words change between Cyrillic and Latin (see the module docs).

    A part that is a descriptor (lower-case words) is dropped. When both parts are names, the
    Cyrillic one keeps the mention (typed PER if it holds a first name, else the model's type) and
    the Latin one is left to document consistency: the model's type belonged to the glued span.
    """
    start, end, label, score = span
    words = _words(text, start, end)
    scripts = [_script(w) for _, _, w in words]
    if not ("cyr" in scripts and "lat" in scripts):
        return [span]
    groups: list[tuple[str, list[tuple[int, int, str]]]] = []
    for word, script in zip(words, scripts, strict=True):
        if groups and (not script or script == groups[-1][0] or not groups[-1][0]):
            groups[-1] = (groups[-1][0] or script, groups[-1][1] + [word])
        else:
            groups.append((script, [word]))
    names = []
    for script, part in groups:
        # a descriptor ("пілоти", "ірландська авіакомпанія-лоукостер"): its words after the first are
        # lower case; the first may be capitalised only because it opens the sentence. A single
        # capitalised word is a name when it is Latin or pymorphy3 reads it as a proper name.
        if not all(_is_name_part(w) for _, _, w in part):
            continue
        if len(part) > 1 or script == "lat" or _proper_like(part[0][2], lang):
            names.append((script, part))
    if len(names) > 1:
        names = [(script, part) for script, part in names if script == "cyr"]
    out: list[Span] = []
    for script, part in names:
        s, e = _trim(text, part[0][0], part[-1][1])
        if e <= s:
            continue
        typed = label
        if script == "cyr" and _person_like([w for _, _, w in part], lang):
            typed = "PER"
        out.append((s, e, typed, score))
    return out


def strip_legal_form(text: str, span: Span) -> Span:
    """``span`` without a leading legal form ("ПАТ «Газпром»" → "Газпром")."""
    start, end, label, score = span
    if label != "ORG":
        return span
    words = _words(text, start, end)
    i = 0
    while i < len(words) - 1 and words[i][2].strip(_QUOTES) in LEGAL_FORMS:
        i += 1
    if i == 0:
        return span
    s, e = _trim(text, words[i][0], end)
    return (s, e, label, score) if e > s else span


def refine(text: str, spans: Sequence[Span], lang: str) -> list[Span]:
    """The model's spans in one run of ``lang`` text brought to the BSNLP convention (module docs)."""
    out: list[Span] = []
    for span in spans:
        for part in split_scripts(text, span, lang):
            start, end, label, score = strip_legal_form(text, part)
            surface = text[start:end]
            if (
                lang in LATIN_ORG_LANGS
                and label in ("LOC", "PER")
                and not re.search(r"[а-яёіїєґА-ЯЁІЇЄҐ]", surface)
                and re.search(r"[A-Za-z]", surface)
            ):
                label = "ORG"
            out.append((start, end, label, score))
    return out


def _sentence_initial(text: str, start: int) -> bool:
    return bool(_SENTENCE_START.search(text[max(0, start - 8) : start])) or start == 0


def drop_sentence_initial_nouns(
    text: str, spans: Sequence[Span], *, stem: Callable[[str], str]
) -> list[Span]:
    """``spans`` without one-word mentions that are common nouns capitalised by sentence position.

    ``stem`` maps a word to the stem used to compare its forms (``litopys.stages.ner._stem``).
    """
    lower_stems = {stem(m.group()) for m in _LOWER_WORD.finditer(text)}
    out: list[Span] = []
    for span in spans:
        start, end = span[0], span[1]
        surface = text[start:end]
        if (
            " " not in surface
            and surface[:1].isupper()
            and not surface.isupper()
            and _sentence_initial(text, start)
            and stem(surface) in lower_stems
        ):
            continue
        out.append(span)
    return out
