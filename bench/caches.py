"""`make bench`, the workers' cache budget (issue 8): how much a worker's memory can grow on a stream
whose vocabulary keeps growing.

A worker's memory depends on the corpus mostly through the per-document stages' bounded lru caches
(word features, lemmas, name readings, name lemmas, name keys): they fill with the word forms the
stream brings. The benchmark's real pages fill the uk/ru word caches (4,096 forms each) within
their first 300 documents (name readings: 2,715 after 400) and then only replace entries; what a
full cache can weigh on a stream of new names is measured here: this fills every cache to its
size with distinct new forms (real stems with random endings, as unknown names and inflections
look to pymorphy: its guesses give them several readings, so this is an upper estimate) in a
fresh process and reports the RSS each adds.

    .venv/bin/python -m bench.caches [--json build/caches.json]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

from bench.run import rss_mib
from litopys.stages import gazetteer, names, ner, nlp

STEMS = (
    "кім", "путін", "шойгу", "белоусов", "пхеньян", "курськ", "ракет", "снаряд",
    "військов", "договор", "зустріч", "посл", "міністр", "генерал", "солдат", "кордон",
)  # fmt: skip
LETTERS = "абвгдежзиклмнопрстуфхцчшщьюяіїє"


def forms(n: int, rng: random.Random, *, title: bool = False) -> list[str]:
    """``n`` distinct Cyrillic word forms: a stem and 2-5 random letters."""
    seen: dict[str, None] = {}
    while len(seen) < n:
        word = rng.choice(STEMS) + "".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 5)))
        seen[word.capitalize() if title else word] = None
    return list(seen)


def latin(n: int, rng: random.Random) -> list[str]:
    seen: dict[str, None] = {}
    while len(seen) < n:
        seen["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8))] = None
    return list(seen)


def fills(rng: random.Random) -> list[tuple[str, int, Callable[[], object]]]:
    """(cache, size, fill it): every bounded cache of the per-document stages."""
    langs = itertools.cycle(("uk", "ru"))
    words, name_words = nlp.LEMMA_CACHE, names.WORD_CACHE
    return [
        ("ner features uk", ner.FEATURE_CACHE, lambda: [ner._features_uk(w) for w in forms(ner.FEATURE_CACHE, rng)]),
        ("ner features ru", ner.FEATURE_CACHE, lambda: [ner._features_ru(w) for w in forms(ner.FEATURE_CACHE, rng)]),
        ("lemmas uk", words, lambda: [nlp._lemma_uk(w) for w in forms(words, rng)]),
        ("lemmas ru", words, lambda: [nlp._lemma_ru(w) for w in forms(words, rng)]),
        ("lemmas en", words, lambda: [nlp._lemma_en(w) for w in latin(words, rng)]),
        ("name readings", name_words, lambda: [names._readings(w, next(langs)) for w in forms(name_words, rng, title=True)]),
        ("acronym tests", name_words, lambda: [names._is_acronym(w, "uk") for w in forms(name_words, rng, title=True)]),
        ("phrase readings", name_words, lambda: [names._phrase_readings(w, next(langs)) for w in forms(name_words, rng, title=True)]),
        (
            "name lemmas",
            names.NAME_CACHE,
            lambda: [
                names.name_lemma(f"{a} {b}", type="PER", lang="uk")
                for a, b in zip(forms(names.NAME_CACHE, rng, title=True), forms(names.NAME_CACHE, rng, title=True), strict=True)
            ],
        ),
        ("normal names", gazetteer.KEY_CACHE, lambda: [gazetteer.normal_name(w) for w in forms(gazetteer.KEY_CACHE, rng, title=True)]),
        ("latin keys", gazetteer.KEY_CACHE, lambda: [gazetteer.latin_key(w) for w in forms(gazetteer.KEY_CACHE, rng, title=True)]),
    ]  # fmt: skip


def measure() -> dict[str, object]:
    nlp.morph("uk"), nlp.morph("ru")  # the models, loaded before the first measure
    rng = random.Random(0)
    gc.collect()
    start = rss_mib()
    parts: dict[str, dict[str, float]] = {}
    for name, size, fill in fills(rng):
        before = rss_mib()
        fill()
        gc.collect()
        parts[name] = {"entries": size, "mib": rss_mib() - before}
    return {"parts": parts, "total_mib": rss_mib() - start}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", type=Path, help="write the numbers here too")
    args = parser.parse_args()
    result = measure()
    parts: dict[str, dict[str, float]] = result["parts"]  # type: ignore[assignment]
    print("workers' cache budget: each stage cache filled to its size with new word forms")
    for name, part in parts.items():
        print(f"  {name:16} {int(part['entries']):>7,} entries  +{part['mib']:6.1f} MiB")
    print(f"  all full: +{result['total_mib']:.1f} MiB per worker process")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
