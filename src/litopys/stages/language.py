"""Language identification: one of "uk", "ru", "en", "other" per paragraph and per article.

Why not lingua alone: lingua is good on sentences but guesses on 2-5 word lines ("Видео дня"), and
one call costs 0.1-1 ms, too slow to make per paragraph at 200 documents/second. Ukrainian and
Russian, the pair that matters most, are told apart almost for free by their alphabets: і ї є ґ
are Ukrainian-only, ы э ё Russian-only among the languages we care about. So :func:`detect`
looks at script evidence first (letters, then frequent function words, from small tables below)
and asks lingua only when that evidence is missing or conflicting. :func:`identify` then lets
short, weakly-evidenced paragraphs take the language of the article they are in.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from litopys.records import Article, Paragraph

if TYPE_CHECKING:
    from lingua import LanguageDetector

#: the languages the pipeline labels; everything else is "other"
LANGS = ("uk", "ru", "en")


def _words(text: str) -> frozenset[str]:
    """A word table from a space-separated string (easier to read and extend than a list)."""
    return frozenset(text.split())


# --- script evidence ------------------------------------------------------------------------------

#: Ukrainian-only letters: absent from Russian and Bulgarian; Belarusian shares і but not ї є ґ.
UK_LETTERS = frozenset("іїєґІЇЄҐ")
#: Russian-only letters among uk/ru (ы э ё also occur in Belarusian, which we catch by ў and і).
#: ъ is left out: it is rare in Russian and frequent in Bulgarian, so it points away from both.
RU_LETTERS = frozenset("ыэёЫЭЁ")
#: letters of other Cyrillic languages (be ў; sr ј љ њ ћ ђ џ; mk ѓ ќ ѕ; kk/mn/Turkic ә ғ қ ң ө ұ ү һ):
#: any of them sends the text to lingua with those languages in the running, so it can say "other".
OTHER_CYRILLIC_LETTERS = frozenset("ўЎјЈљЉњЊћЋђЂџЏѓЃќЌѕЅәӘғҒқҚңҢөӨұҰүҮһҺ")

#: frequent Ukrainian words that carry none of UK_LETTERS, so the letter count misses them; none of
#: them is a Russian word (Russian has "и", "что", "как", "уже", "она" ... instead).
UK_WORDS = _words(
    "та що як або але вже щоб коли чи ще це цей ця цього цю його вона вони воно було буде будуть "
    "має мали можна треба дуже також зараз саме де з зі й"
)
#: frequent Russian words without RU_LETTERS; none is a Ukrainian word (uk: і, що, як, або, вже ...).
RU_WORDS = _words(
    "и что как или уже чтобы когда ли еще он она они оно его ее был была будет только где нет если "
    "от из к с со во об надо очень может можно также который которая которое которые после года "
    "году лет сегодня сказал заявил время"
)

#: frequent English words that are not words of the Latin neighbours below: a Latin-script text
#: where they are a quarter of the words is English without asking lingua.
EN_WORDS = _words(
    "the of and to that this with from which have has were would said their they been his her "
    "who its is are was for on by at it"
)
#: how many EN_WORDS (and what share of the words) make a Latin text English without lingua
EN_WORDS_ENOUGH = 3

#: lingua's candidates next to uk/ru for Cyrillic text without distinguishing letters: Bulgarian,
#: the one Cyrillic neighbour that needs no letter of its own (be has ў, sr/mk ј љ њ ѓ ...). Kept
#: small because lingua's high-accuracy models cost ~40 MB per language, and this detector decides
#: the short uk/ru lines, so it gets high accuracy.
CYRILLIC_NEIGHBOURS = ("bg",)
#: lingua's candidates for Cyrillic text with OTHER_CYRILLIC_LETTERS: be, bg, mk, sr share most
#: letters and many words with uk/ru; kk shares і with Ukrainian. Without them lingua would force
#: such text into uk/ru. Low-accuracy (trigram) models: the letters themselves are strong evidence.
OTHER_CYRILLIC_NEIGHBOURS = ("be", "bg", "mk", "sr", "kk")
#: lingua's candidates next to en for Latin text: the European languages most often met in uk/ru/en
#: news (names, quotes), plus pl and cs whose transliterated words look Slavic. Low-accuracy models
#: (~15 MB instead of ~270 MB): English is mostly settled by EN_WORDS before lingua is asked.
LATIN_NEIGHBOURS = ("de", "fr", "es", "it", "pt", "nl", "pl", "cs")

# Evidence thresholds (letters and lingua confidence), tuned on UD dev and NTREX lines (eval/).
#: from this many letters on, lingua's answer counts as strong evidence whatever its confidence
#: (lingua's confidences are relative and stay low for uk vs ru on sentences without і/ы letters)
LONG_LETTERS = 30
#: lingua's confidence above which a short text's guess counts as strong evidence
LINGUA_STRONG = 0.8
#: below this many letters a text is "short": evidence from it is weak unless decisive
SHORT_LETTERS = 12

_CYRILLIC = re.compile(r"[\u0400-\u04ff]+")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")
#: every letter that is evidence by itself (one regex pass finds them all)
_MARKERS = re.compile("[" + "".join(sorted(UK_LETTERS | RU_LETTERS | OTHER_CYRILLIC_LETTERS)) + "]")
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+(?:['’ʼ][\u0400-\u04ff]+)*")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
#: a Latin i/I touching a Cyrillic letter: a Ukrainian і typed on the wrong keyboard layout
_LATIN_I_IN_CYRILLIC = re.compile(r"(?<=[\u0400-\u04ff])[iI]|[iI](?=[\u0400-\u04ff])")
#: an apostrophe inside a Cyrillic word ("п’ятдесят", "м'ясо"): Ukrainian (and Belarusian) spelling;
#: Russian writes ъ or nothing there
_APOSTROPHE_IN_CYRILLIC = re.compile(r"(?<=[\u0400-\u04ff])['’ʼ](?=[\u0400-\u04ff])")


@dataclass(frozen=True, slots=True)
class Guess:
    """A language guess for a piece of text: the language, whether the evidence is strong, and
    how many letters of which script it rests on (the script lets a weak guess defer to the article)."""

    lang: str
    strong: bool
    letters: int
    script: str  # "cyrillic", "latin", "other" or "" (no letters)


@lru_cache(maxsize=4)
def _detector(script: str) -> LanguageDetector:
    """Build (once per process and script) a lingua detector restricted to that script's languages.

    ``script`` is "cyrillic", "cyrillic-other" or "latin". Restricting the candidates makes lingua
    faster and smaller and stops it from answering with languages we never see; lingua loads each
    language model lazily on first use, so nothing is loaded before the first call.
    """
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes: tuple[str, ...]
    if script == "cyrillic":
        codes, high_accuracy = ("uk", "ru", *CYRILLIC_NEIGHBOURS), True
    elif script == "cyrillic-other":
        codes, high_accuracy = ("uk", "ru", *OTHER_CYRILLIC_NEIGHBOURS), False
    else:
        codes, high_accuracy = ("en", *LATIN_NEIGHBOURS), False
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*[getattr(IsoCode639_1, c.upper()) for c in codes])
    return builder.build() if high_accuracy else builder.with_low_accuracy_mode().build()


def _lingua(text: str, *, script: str) -> tuple[str, float]:
    """lingua's best language for ``text`` among ``script``'s candidates, mapped to LANGS or "other".

    A neighbour language (bg, de ...) wins only with confidence >= LINGUA_STRONG: in uk/ru/en
    news a short line that lingua finds "a bit Bulgarian" is far more likely Ukrainian or Russian,
    and a plain-ASCII line that is "a bit Spanish" ("Volcano spews ash on Mexico City") is English;
    then the best of our own languages is taken. Latin text with other letters (ü, é, ł ...) keeps
    lingua's answer: those letters are evidence against English.
    """
    values = _detector(script).compute_language_confidence_values(text)
    if not values or values[0].value <= 0.0:
        return ("other", 0.0)
    code = values[0].language.iso_code_639_1.name.lower()
    if code in LANGS:
        return (code, values[0].value)
    if values[0].value >= LINGUA_STRONG or (script == "latin" and not text.isascii()):
        return ("other", values[0].value)
    for value in values[1:]:
        code = value.language.iso_code_639_1.name.lower()
        if code in LANGS and value.value > 0.0:
            return (code, value.value)
    return ("other", values[0].value)


def _guess_cyrillic(text: str, letters: int) -> Guess:
    """Ukrainian, Russian or other for text whose letters are mostly Cyrillic."""
    markers = _MARKERS.findall(text)
    if any(ch in OTHER_CYRILLIC_LETTERS for ch in markers):
        lang, conf = _lingua(text, script="cyrillic-other")
        return Guess(lang, conf >= LINGUA_STRONG, letters, "cyrillic")
    uk = sum(ch in UK_LETTERS for ch in markers)
    ru = len(markers) - uk
    if not uk:
        if "i" in text or "I" in text:
            uk = len(_LATIN_I_IN_CYRILLIC.findall(text))
        if "'" in text or "’" in text or "ʼ" in text:
            uk += len(_APOSTROPHE_IN_CYRILLIC.findall(text))
    if uk and not ru:
        return Guess("uk", True, letters, "cyrillic")
    if ru and not uk:
        return Guess("ru", True, letters, "cyrillic")
    words = [w.lower() for w in _CYRILLIC_WORD.findall(text)]
    uk_words = sum(w in UK_WORDS for w in words)
    ru_words = sum(w in RU_WORDS for w in words)
    uk_score, ru_score = uk + uk_words, ru + ru_words
    if (uk_score and not ru_score) or (uk_score >= 2 * ru_score + 1 and uk_score >= 2):
        return Guess("uk", uk_score >= 2 or letters >= SHORT_LETTERS, letters, "cyrillic")
    if (ru_score and not uk_score) or (ru_score >= 2 * uk_score + 1 and ru_score >= 2):
        if "ъ" in text or "Ъ" in text:
            # Bulgarian shares "и", "от", "с" with Russian and writes ъ in many words; let lingua
            # tell them apart (a Russian ъ, as in "объявил", costs one lingua call, no error)
            lang, conf = _lingua(text, script="cyrillic")
            if lang == "other" and conf >= LINGUA_STRONG:
                return Guess("other", True, letters, "cyrillic")
        return Guess("ru", ru_score >= 2 or letters >= SHORT_LETTERS, letters, "cyrillic")
    # no evidence, or conflicting evidence: ask lingua
    lang, conf = _lingua(text, script="cyrillic")
    strong = (conf >= LINGUA_STRONG and len(words) >= 3) or letters >= LONG_LETTERS
    return Guess(lang, strong, letters, "cyrillic")


def _guess_latin(text: str, letters: int) -> Guess:
    """English or other for text whose letters are mostly Latin."""
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    en_words = sum(w in EN_WORDS for w in words)
    if en_words >= EN_WORDS_ENOUGH and en_words * 4 >= len(words) and text.isascii():
        return Guess("en", True, letters, "latin")
    if letters < SHORT_LETTERS and en_words == 0:
        lang, conf = _lingua(text, script="latin")
        if text.isascii() and not (lang == "other" and conf >= LINGUA_STRONG):
            # a short ASCII line ("CBS News", "Reuters") in uk/ru/en news is a name or English
            return Guess("en", False, letters, "latin")
        return Guess(lang, False, letters, "latin")
    lang, conf = _lingua(text, script="latin")
    if lang != "en" and en_words >= 2 and en_words * 4 >= len(words):
        lang, conf = "en", 1.0
    strong = conf >= LINGUA_STRONG or en_words >= 2 or letters >= LONG_LETTERS
    return Guess(lang, strong, letters, "latin")


def guess(text: str) -> Guess:
    """The language of ``text`` with the strength of the evidence (see :class:`Guess`)."""
    cyrillic = sum(map(len, _CYRILLIC.findall(text)))
    # with a third of all characters Cyrillic, Latin letters cannot outnumber them twice: skip the count
    latin = 0 if cyrillic * 3 >= len(text) else sum(map(len, _LATIN.findall(text)))
    if cyrillic and cyrillic * 2 >= latin:
        # Cyrillic text often embeds Latin names and brands ("в шоу Saturday Night Live"), so
        # a third of Cyrillic letters is enough for the Cyrillic languages to decide
        return _guess_cyrillic(text, cyrillic)
    if latin:
        return _guess_latin(text, latin)
    others = sum(ch.isalpha() for ch in text)
    if others:
        return Guess("other", True, others, "other")
    return Guess("", False, 0, "")


def detect(text: str) -> str:
    """The language of ``text``: "uk", "ru", "en", "other", or "" when it has no letters."""
    return guess(text).lang


def _script_of(lang: str) -> str:
    return {"uk": "cyrillic", "ru": "cyrillic", "en": "latin"}.get(lang, "")


def _line_paragraphs(text: str) -> tuple[Paragraph, ...]:
    """One Paragraph per non-empty line, for an article that came without paragraph spans."""
    paragraphs = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            paragraphs.append(Paragraph(start, end))
        start = end + 1
    return tuple(paragraphs)


def article_language(guesses: list[Guess], *, hint: str | None = None) -> str:
    """The language covering most letters; the hint (uk/ru/en) wins when that is uncertain.

    Uncertain means: no strong paragraph at all, or the winner covers less than half the letters.
    """
    letters: Counter[str] = Counter()
    strong_letters = 0
    for g in guesses:
        if g.lang:
            letters[g.lang] += g.letters
            strong_letters += g.letters if g.strong else 0
    total = sum(letters.values())
    if not total:
        return hint if hint in LANGS else ""
    lang, covered = letters.most_common(1)[0]
    uncertain = strong_letters == 0 or covered * 2 < total
    if hint in LANGS and uncertain:
        return hint
    return lang


def identify(article: Article, /) -> Article:
    """Set ``lang`` on every paragraph and on the article.

    Each paragraph is guessed on its own; then paragraphs with weak evidence (a few words, no
    distinguishing letters) take the article's language when it is written in the same script, so
    "Джерело: CBS News" on a Ukrainian page is Ukrainian while "Average Rating" stays English.
    A "lang" hint (uk/ru/en) decides when the evidence for the article language is uncertain.
    """
    text = article.text
    paragraphs = article.paragraphs or _line_paragraphs(text)
    guesses = [guess(text[p.start : p.end]) for p in paragraphs]
    hint = article.hint("lang")
    if any(g.strong for g in guesses):
        base = article_language(guesses, hint=hint)
    else:
        # nothing decisive line by line: the whole text together has more evidence
        whole = guess(text)
        base = hint if hint in LANGS and not whole.strong else whole.lang
    script = _script_of(base)
    final = [g.lang if g.strong or not script or g.script != script else base for g in guesses]
    relabelled = [Guess(f, g.strong, g.letters, g.script) for f, g in zip(final, guesses, strict=True)]
    lang = article_language(relabelled, hint=hint) or base
    return article.evolve(
        paragraphs=tuple(Paragraph(p.start, p.end, f) for p, f in zip(paragraphs, final, strict=True)),
        lang=lang,
    )
