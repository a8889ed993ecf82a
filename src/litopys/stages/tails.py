"""The related-news tail that comes without a header.

Scraped pages often end in teasers for other stories with no "Інші новини" line before them
(seed 000 after its third paragraph, seed 004 after "Він також поінформував…"). What gives them away
is that they are about something else: they share almost no names or content words with the
headline and the lead, while the article's own paragraphs keep coming back to them.

Words are compared by a crude stem (lower case, final vowels dropped, first five letters: "Кореї",
"Корея" → "кор"; "Курській", "Курська" → "курсь"), cheap enough for the cleaner, which runs before
the morphological analyser. Stems that occur in many news texts ("україн", "заяв", "сказ") carry no
topic and are ignored: they are listed in ``data/common_stems.txt``, built from the shared news
corpora by ``python -m eval.build_common_stems``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

# --- thresholds (calibrated on the seeds and brown-uk-press; see eval/cleaning.py) ---------------
#: headline + this many first body paragraphs form the article's "core" vocabulary
CORE_PARAGRAPHS = 2
#: a tail has at least this many paragraphs, the anchor included
MIN_TAIL_PARAGRAPHS = 2
#: a tail paragraph shares at most this many informative stems with the headline and lead (seed 004:
#: a Zelensky teaser shares "Курськ"; the article's own paragraphs share three and more)
MAX_SHARED_STEMS = 1
#: ...and is teaser-sized; long paragraphs are article prose
MAX_TEASER_CHARS = 420
#: stems shorter than this say little ("у", "на", "за")
MIN_STEM = 3
#: a bullet item shorter than this is a list item, not a news teaser
TEASER_MIN_CHARS = 40
#: a teaser is a whole sentence
TEASER_ENDINGS = frozenset('.!…"»”')
#: bulleted lines with a first/second person word are dialogue or an interview, not teasers
PERSONAL_PRONOUNS = frozenset(
    [
        "я",
        "ми",
        "ти",
        "ви",
        "мене",
        "мені",
        "нас",
        "нам",
        "тебе",
        "тобі",
        "вас",
        "вам",
        "мій",
        "моя",
        "наш",
        "наша",
        "ваш",
        "ваша",
        "мы",
        "ты",
        "вы",
        "меня",
        "мне",
        "тебя",
        "тебе",
        "мой",
        "наши",
        "ваши",
        "i",
        "we",
        "you",
        "me",
        "us",
        "my",
        "our",
        "your",
    ]
)
#: bullet marks of teaser lists; en and em dashes are left out: they open dialogue lines in uk/ru
#: typography (slavicner covid ru interviews)
BULLET = re.compile(r"^[-•►▪*]\s+\S")

_WORD = re.compile(r"[^\W\d_][\w'’ʼ-]*", re.UNICODE)
_VOWELS = "аеєиіїоуюяьйыэёaeiouy'’ʼ-"


def stem(word: str) -> str:
    """Crude, language-agnostic stem for topical overlap (not a lemma)."""
    if len(word) >= 2 and word.isupper():  # acronyms: КНДР, США, НАТО, CBS
        return word.lower()
    return word.lower().rstrip(_VOWELS)[:5]


@lru_cache(maxsize=1)
def common_stems() -> frozenset[str]:
    """Stems too frequent in news to say what a paragraph is about (shipped data file)."""
    text = resources.files("litopys").joinpath("data/common_stems.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def informative_stems(text: str) -> set[str]:
    common = common_stems()
    out = set()
    for match in _WORD.finditer(text):
        s = stem(match.group())
        if (len(s) >= MIN_STEM or (len(s) == 2 and match.group().isupper())) and s not in common:
            out.add(s)
    return out


def is_teaser_bullet(line: str) -> bool:
    """A bulleted whole news sentence in the third person (seed 000: "- Лідер Північної Кореї …")."""
    if not (BULLET.match(line) and len(line) >= TEASER_MIN_CHARS and line[-1] in TEASER_ENDINGS):
        return False
    words = {w.lower() for w in _WORD.findall(line)}
    return "?" not in line and not words & PERSONAL_PRONOUNS


def teaser_runs(body: list[str]) -> list[int]:
    """Starts of runs of at least two teaser bullets not introduced by a line ending in ":"."""
    starts = []
    i = 0
    while i < len(body):
        j = i
        while j < len(body) and is_teaser_bullet(body[j]):
            j += 1
        # a run preceded by a colon lead-in or by another list item belongs to a list of the article
        if j - i >= 2 and not (i > 0 and (body[i - 1].endswith(":") or BULLET.match(body[i - 1]))):
            starts.append(i)
        i = max(j, i + 1)
    return starts


def find_offtopic_tail(title: str, body: list[str], *, anchors: set[int]) -> int:
    """Index where the page's related-news tail starts in ``body`` (``len(body)`` if none).

    A tail needs an anchor, a sign of page furniture: a run of teaser bullets (seed 000), or the
    first copy of a block the page repeats (seed 004). From the anchor to the end every paragraph
    must be teaser-sized and off-topic (share few informative stems with headline and lead), and a
    bullet run must be followed by at least one such paragraph. Off-topic paragraphs alone are no
    evidence: in clean press texts (brown-uk-press) the closing paragraphs of a column often share
    no words with its lead.
    """
    n = len(body)
    core = informative_stems(title)
    for paragraph in body[:CORE_PARAGRAPHS]:
        core |= informative_stems(paragraph)
    for anchor in sorted(a for a in anchors if CORE_PARAGRAPHS <= a <= n - MIN_TAIL_PARAGRAPHS):
        rest = body[anchor:]
        bullets = 0
        while bullets < len(rest) and is_teaser_bullet(rest[bullets]):
            bullets += 1
        prose = rest[bullets:]
        if bullets and not prose:
            continue
        if all(
            len(p) <= MAX_TEASER_CHARS and len(informative_stems(p) & core) <= MAX_SHARED_STEMS for p in prose
        ):
            return anchor
    return n
