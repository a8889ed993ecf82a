"""Names every entity has in uk, ru and en: the curated alias table and CLDR's place names.

``data/aliases.tsv`` (curated, each row with its reason) is merged with country, region and city
names from Babel's CLDR data; :func:`lookup` finds the entry of a name by its normalised form or
its language-independent Latin key (:func:`latin_key`: "Кім Чен Ин", "Ким Чен Ын" → "kim chen in").
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import NamedTuple

from litopys.records import Name

#: name keys cached per process (normalised forms and Latin keys; ~50–300 B each; the benchmark's
#: pages bring ~13,400 normalised names): 4,096 like the word caches (nlp.LEMMA_CACHE's comment;
#: with all of them at 4,096 a worker's caches held 11.6 MiB instead of 32.9 over 3,000 documents)
KEY_CACHE = 1 << 12
#: types that may name one alias-table entity: a country or a bloc is a place (LOC) and an actor (ORG)
INTERCHANGEABLE = frozenset({"LOC", "ORG"})
#: CLDR region codes added as places (continents and big regions); other numeric codes are too vague
CLDR_REGIONS = frozenset({"002", "009", "019", "142", "150", "151", "155", "419"})
#: CLDR territory codes that are not places, or not countries (EU, UN, eurozone, pseudo-locales)
CLDR_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
#: the languages an entity has names in
LANGS = ("uk", "ru", "en")
#: uk and ru letters onto one alphabet before transliteration (ikavism and и/ы: Кім/Ким, Ин/Ын)
_CYRILLIC_FOLD = MappingProxyType(
    str.maketrans(
        {"і": "и", "ї": "и", "ы": "и", "є": "е", "э": "е", "ё": "е", "ґ": "г"} | dict.fromkeys("ьъ'’ʼ`", "")
    )
)
#: Latin spelling variants of the same sounds ("dzhonson" ~ "johnson", "kh" = "h", "y" = "i")
_LATIN_RULES = (("dzh", "j"), ("kh", "h"), ("w", "v"), ("y", "i"), ("ph", "f"), ("ck", "k"), ("x", "ks"))
_REPEAT = re.compile(r"(.)\1+")
_NON_WORD = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
_QUOTES = MappingProxyType(str.maketrans("’ʼ`", "'''"))


# --- names and keys --------------------------------------------------------------------------------


@lru_cache(maxsize=KEY_CACHE)
def normal_name(text: str) -> str:
    """A name as a comparable string: lower case, ё = е, one kind of apostrophe, no quotes or extra spaces."""
    folded = text.casefold().replace("ё", "е").translate(_QUOTES)
    return _SPACE.sub(" ", folded.strip(" \t«»\"„“”'.,;:()")).strip()


@lru_cache(maxsize=KEY_CACHE)
def latin_key(text: str) -> str:
    """A language-independent Latin key of a name: the same for its uk, ru and (mostly) en spellings."""
    from translitua import RussianInternationalPassport, translit

    folded = normal_name(text).translate(_CYRILLIC_FOLD)
    latin = translit(folded, RussianInternationalPassport) if re.search("[а-я]", folded) else folded
    latin = unicodedata.normalize("NFKD", latin.lower())
    latin = "".join(ch for ch in latin if not unicodedata.combining(ch))
    for old, new in _LATIN_RULES:
        latin = latin.replace(old, new)
    latin = _NON_WORD.sub(" ", _REPEAT.sub(r"\1", latin))
    return _SPACE.sub(" ", latin).strip()


# --- the alias table and CLDR names -----------------------------------------------------------------


class GazetteerEntry(NamedTuple):
    id: str
    type: str
    names: tuple[Name, ...]
    aliases: tuple[str, ...]


class Gazetteer(NamedTuple):
    entries: Mapping[str, GazetteerEntry]
    #: normal_name and latin_key of every name and alias → entry id (only names of one entry)
    by_name: Mapping[str, str]


def _cldr_names() -> dict[str, dict[str, str]]:
    """Country, region and city names per CLDR id and language, from Babel's locale data."""
    from babel import Locale

    names: dict[str, dict[str, str]] = defaultdict(dict)
    for lang in LANGS:
        locale = Locale(lang)
        for code, name in locale.territories.items():
            if (code.isalpha() and len(code) == 2 and code not in CLDR_NOT_COUNTRIES) or code in CLDR_REGIONS:
                names[code][lang] = name
        for zone, info in locale.time_zones.items():
            city = info.get("city") if hasattr(info, "get") else None
            if city:
                names[zone][lang] = city
    for zone, by_lang in names.items():  # English city names are the time zone ids themselves
        if "/" in zone and "en" not in by_lang and len(by_lang) >= 2:
            by_lang["en"] = zone.rsplit("/", 1)[1].replace("_", " ")
    return {k: v for k, v in names.items() if "/" not in k or len(v) == 3}


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The alias table merged with CLDR's names, and its look-up index (loaded once per process)."""
    entries: dict[str, GazetteerEntry] = {}
    for code, by_lang in _cldr_names().items():
        names = tuple(Name(lang, by_lang[lang]) for lang in LANGS if lang in by_lang)
        entries[code] = GazetteerEntry(code, "LOC", names, ())
    table = resources.files("litopys").joinpath("data/aliases.tsv").read_text(encoding="utf-8")
    for line in table.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        entry_id, type_, en, uk, ru, aliases = (line.split("\t") + [""] * 6)[:6]
        names = tuple(Name(lang, text) for lang, text in zip(LANGS, (uk, ru, en), strict=True) if text)
        old = tuple(n for n in entries.get(entry_id, GazetteerEntry("", "", (), ())).names if n not in names)
        extra = tuple(a.strip() for a in aliases.split("|") if a.strip())
        entries[entry_id] = GazetteerEntry(entry_id, type_, names + old, extra)
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in entries.values():
        for text in [n.text for n in entry.names] + list(entry.aliases):
            owners[normal_name(text)].add(entry.id)
            if len(text) >= 4:
                owners[latin_key(text)].add(entry.id)
    return Gazetteer(entries, {k: next(iter(v)) for k, v in owners.items() if len(v) == 1 and k})


def lookup(names: Iterable[str], type_: str) -> str:
    """The alias-table/CLDR entry of the first of ``names`` found there with a compatible type ("" if none)."""
    gaz = gazetteer()
    for name in names:
        for k in (normal_name(name), latin_key(name)):
            entry = gaz.entries.get(gaz.by_name.get(k, ""))
            if entry and (entry.type == type_ or {type_, entry.type} <= INTERCHANGEABLE):
                return entry.id
    return ""
