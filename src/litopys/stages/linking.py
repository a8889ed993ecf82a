"""Entities: one identity for the mentions of a name within a document, then across the corpus.

* :func:`resolve_document` (per document, pure): every mention gets ``key``, the type and the
  normalised lemma of the fullest form of its name in the document. A short person mention joins the
  full name that holds its words ("Рютте" → "Марк Рютте", "Кіма" → "Кім Чен Ин"); an acronym joins
  the name it abbreviates when both occur ("КНДР" → "Корейська Народно-Демократична Республіка").
* :func:`link` (corpus-wide): document keys become canonical :class:`~litopys.records.Entity`
  records across documents, scripts and languages, by
  1. the alias table ``data/aliases.tsv`` plus country, region and city names in uk/ru/en from
     Babel's CLDR data (``Північна Корея`` = ``КНДР`` = ``Северная Корея`` = ``North Korea``);
  2. a language-independent Latin key: uk and ru letters mapped onto one alphabet (і, ї, ы → и;
     є, э, ё → е; ґ → г; no soft signs), transliterated by translitua, then simplified, so that
     "Кім Чен Ин" and "Ким Чен Ын" share the key "kim chen in" and "Путін", "Путин", "Putin" "putin";
  3. fuzzy equality (rapidfuzz ratio) inside blocks of keys with the same consonants, for spelling
     variants ("Білоусов" ~ "Белоусов"), and surname-only names joined to the most frequent full
     name that carries them, adjectives and demonyms to their place ("російський" → Russia),
     acronyms to their expansions. Types must agree, except LOC/ORG for alias-table entries.
  Only keys in one block are ever compared, so the cost grows about linearly with the corpus.
  Human :class:`Decision` records (merge or split) are applied last, in order, so they survive
  re-processing. An entity id is the content hash of its type and canonical key (the alias-table id,
  or the Latin key of its fullest name), the same in every run.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from litopys.records import Article, Entity, Name, content_id
from litopys.stages.gazetteer import INTERCHANGEABLE, LANGS, gazetteer, latin_key, lookup, normal_name
from litopys.stages.names import normalize

#: fuzzy equality (rapidfuzz ratio, 0-100) of the words of two names of one type, word by word.
#: Calibrated on the BSNLP dev topics (SlavicNER asia_bibi, brexit, covid-19; BSNLP ec, trump;
#: nord_stream and ryanair held out): mean B-cubed F1 0.912 at 80-84, 0.907 at 86-93. 84 joins
#: "brekzit"/"breksit" (86); "avstria"/"avstralia" (88) never meet: their consonants differ (blocking).
NAME_THRESHOLD = 84
#: fuzzy equality of the surnames of two full person names ("bilousov" ~ "belousov" = 88); on the
#: same dev topics F1 is 0.908 at 75-80 and 0.907 at 85-90
SURNAME_THRESHOLD = 80
#: first names of two person names with alike surnames must be at least this alike, or one an
#: initial ("volodimir" ~ "vladimir" = 82, "andrii" ~ "andrei" = 80, "ens" ~ "iens" = 86); dev F1
#: 0.907 at 50-70, 0.900 at 80
FIRST_NAME_THRESHOLD = 70
#: keys compared within one block at most (the most frequent first): bounds the cost of a huge block
MAX_BLOCK = 400
#: lower-case words skipped when an acronym is matched to the name it abbreviates
ACRONYM_SKIP = frozenset("і й та з зі із у в на до для по of and the for de du и с со о об".split())  # noqa: SIM905
#: a one-word name joins a bigger candidate entity only if it has this many times the mentions of the next
DOMINANCE = 2
#: types whose one-word names may stand for a longer name of the same type ("Sinovac", "Вектор")
PART_TYPES = frozenset({"ORG", "PRO", "EVT"})
#: endings (of Latin keys) of adjectives and demonyms made from place names: "rosiski" (російський,
#: российский) → "ros", "kitaitsi" (китайцы) → "kit", "rosiane" (россияне) → "ros"
DERIVED_ENDINGS = ("skaia", "skoe", "skie", "ski", "ska", "ske", "tsi", "ets", "iane", "ane", "ani")
#: the shortest place stem an adjective may share ("ros" of Росія); a stem that is only a prefix of
#: the adjective's stem ("amerik" of "amerikan") needs 5 letters
MIN_DERIVED_STEM = 3

_SPACE = re.compile(r"\s+")
_VOWELS = frozenset("aeiou")
_ENTITY_ID = re.compile("[0-9a-f]{16}")
_DEVOICE = MappingProxyType(str.maketrans("zdbgvx", "stpkfs"))
_QUOTES = MappingProxyType(str.maketrans("’ʼ`", "'''"))


@dataclass(frozen=True, slots=True)
class MentionRecord:
    """What linking needs of one mention: its document, language, type, lemma and document key."""

    doc_id: str
    lang: str
    type: str
    lemma: str
    key: str
    text: str = ""
    #: how many mentions this record stands for (the reduce step reads them grouped)
    count: int = 1


@dataclass(frozen=True, slots=True)
class Decision:
    """A reviewed decision: ``merge`` the entities of ``a`` and ``b``, or ``split`` ``b`` off ``a``.

    ``a`` and ``b`` are entity ids or names (a lemma, a document key or an observed form).
    """

    kind: str
    a: str
    b: str

    def __post_init__(self) -> None:
        if self.kind not in ("merge", "split"):
            raise ValueError(f"Decision.kind must be 'merge' or 'split', not {self.kind!r}")


@dataclass(frozen=True, slots=True)
class Linking:
    """The canonical entities and, for every document key, the id of its entity."""

    entities: tuple[Entity, ...]
    entity_of: Mapping[str, str] = field(default_factory=dict)

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def entity_for(self, key: str) -> Entity | None:
        return self.entity(self.entity_of.get(key, ""))


def _consonants(word: str) -> str:
    """The blocking key of a word: its consonants, voiced ones as voiceless ("brekzit" and "breksit": "brksst")."""
    return "".join(ch for ch in word if ch not in _VOWELS).translate(_DEVOICE) or word


def _similar(a: str, b: str, threshold: float) -> bool:
    from rapidfuzz.fuzz import ratio

    return a == b or ratio(a, b) >= threshold


# --- per document --------------------------------------------------------------------------------------


def _acronym(lemma: str) -> bool:
    word = lemma.strip()
    capitals = sum(ch.isupper() for ch in word)
    return " " not in word and 2 <= len(word) <= 8 and capitals >= 2 and capitals * 2 >= len(word)


def _initials(lemma: str) -> str:
    words = [p for w in lemma.split() for p in w.split("-") if p]
    return "".join(w[0] for w in words if w.casefold() not in ACRONYM_SKIP and w[0].isalpha()).casefold()


def _token_match(a: str, b: str) -> bool:
    """Two words of person names are one: equal, equal Latin keys, or one the other plus an ending."""
    if a == b or latin_key(a) == latin_key(b):
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 3 and long_.startswith(short) and len(long_) - len(short) <= 2


def _covers(short: list[str], full: list[str]) -> bool:
    free = list(full)
    for word in short:
        hit = next((w for w in free if _token_match(word, w)), None)
        if hit is None:
            return False
        free.remove(hit)
    return True


def resolve_document(article: Article, /) -> Article:
    """The article with ``key`` set on every mention: its type and the normalised lemma of its fullest form."""
    if not article.mentions:
        return article
    if not all(m.lemma for m in article.mentions):
        article = normalize(article)
    lemmas = [m.lemma for m in article.mentions]
    words = [normal_name(lemma).split() for lemma in lemmas]
    counts = Counter((m.type, normal_name(lemma)) for m, lemma in zip(article.mentions, lemmas, strict=True))
    target = list(range(len(lemmas)))
    for i, m in enumerate(article.mentions):
        if m.type == "PER":
            own = counts[(m.type, " ".join(words[i]))]
            found = [
                j
                for j, n in enumerate(article.mentions)
                if n.type == "PER"
                and len(words[j]) > len(words[i])
                and _covers(words[i], words[j])
                # a full name joins a longer one only if that is as frequent: seed 002's slip
                # "Кім Чен Чен Ин" (once) must not swallow "Кім Чен Ин" (three times)
                and (len(words[i]) == 1 or counts[(n.type, " ".join(words[j]))] >= own)
            ]
        elif _acronym(lemmas[i]):
            found = [
                j
                for j, n in enumerate(article.mentions)
                if n.type != "PER" and len(words[j]) > 1 and _initials(lemmas[j]) == lemmas[i].casefold()
            ]
        else:
            continue
        if found:  # the most frequent, then the fullest, then the first of the candidates
            target[i] = min(
                found,
                key=lambda j: (-counts[(article.mentions[j].type, " ".join(words[j]))], -len(words[j]), j),
            )
    mentions = []
    for m, lemma, j in zip(article.mentions, lemmas, target, strict=True):
        full = article.mentions[j]
        mentions.append(replace(m, lemma=lemma, key=f"{full.type}:{' '.join(words[j])}"))
    return article.evolve(mentions=tuple(mentions))


def records(article: Article, /) -> list[MentionRecord]:
    """The mention records of a resolved article, each in the language of its paragraph."""
    out = []
    for m in article.mentions:
        lang = next(
            (p.lang for p in article.paragraphs if p.start <= m.start < p.end + 1 and p.lang), article.lang
        )
        out.append(
            MentionRecord(
                article.id, lang, m.type, m.lemma, m.key or f"{m.type}:{normal_name(m.lemma)}", m.text
            )
        )
    return out


# --- corpus-wide -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Node:
    """All mentions that share one document key."""

    key: str
    type: str
    name: str
    mentions: int = 0
    lemmas: Counter[tuple[str, str]] = field(default_factory=Counter)  # (lang, lemma) → count
    forms: set[str] = field(default_factory=set)
    entry: str = ""
    latin: str = ""


class _Clusters:
    """Union-find over node keys."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {k: k for k in keys}

    def find(self, k: str) -> str:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return self.parent[k]

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for k in self.parent:
            out[self.find(k)].append(k)
        return out


def _nodes(mentions: Iterable[MentionRecord]) -> dict[str, _Node]:
    nodes: dict[str, _Node] = {}
    for r in mentions:
        key = r.key or f"{r.type}:{normal_name(r.lemma or r.text)}"
        node = nodes.get(key)
        if node is None:
            type_, _, name = key.partition(":")
            node = nodes[key] = _Node(key, type_ or r.type, name or normal_name(r.lemma))
        node.mentions += r.count
        node.lemmas[(r.lang, r.lemma or r.text)] += r.count
        node.forms.update(x for x in (r.lemma, r.text) if x)
    for node in nodes.values():
        node.latin = latin_key(node.name)
        node.entry = lookup([node.name, *(lemma for _, lemma in node.lemmas)], node.type)
    return nodes


def _block(items: list[_Node]) -> list[_Node]:
    return sorted(items, key=lambda n: (-n.mentions, n.key))[:MAX_BLOCK]


def _same_person(a: list[str], b: list[str]) -> bool:
    if not _similar(a[-1], b[-1], SURNAME_THRESHOLD):
        return False
    first_a, first_b = a[0], b[0]
    if min(len(first_a), len(first_b)) == 1:
        return first_a[0] == first_b[0]
    return _similar(first_a, first_b, FIRST_NAME_THRESHOLD)


def _same_name(a: list[str], b: list[str]) -> bool:
    """Word by word alike: "evropeiski soiuz" ~ "ievropeiski soiuz", not "evropeiski sud"."""
    return len(a) == len(b) and all(
        x == y or (min(len(x), len(y)) > 3 and _similar(x, y, NAME_THRESHOLD))
        for x, y in zip(a, b, strict=True)
    )


def _cluster(nodes: dict[str, _Node]) -> _Clusters:
    clusters = _Clusters(nodes)
    by_exact: dict[tuple[str, str], str] = {}
    blocks: dict[tuple[str, str], list[_Node]] = defaultdict(list)
    for node in nodes.values():
        group = "LOC/ORG" if node.entry and node.type in INTERCHANGEABLE else node.type
        for exact in (("gaz", node.entry) if node.entry else None, (node.type, node.latin)):
            if exact and exact[1]:
                if exact in by_exact:
                    clusters.union(by_exact[exact], node.key)
                else:
                    by_exact[exact] = node.key
        words = node.latin.split()
        if words:
            block = words[-1] if node.type == "PER" else node.latin
            blocks[(group if node.type != "PER" else "PER", _consonants(block.replace(" ", "")))].append(node)
    for (group, _), members in blocks.items():
        members = _block(members)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a.entry and b.entry and a.entry != b.entry:
                    continue
                if group == "PER":
                    wa, wb = a.latin.split(), b.latin.split()
                    one = len(wa) == len(wb) == 1 and _similar(wa[0], wb[0], NAME_THRESHOLD)
                    if one or (len(wa) > 1 and len(wb) > 1 and _same_person(wa, wb)):
                        clusters.union(a.key, b.key)
                elif a.type == b.type and _same_name(a.latin.split(), b.latin.split()):
                    clusters.union(a.key, b.key)
    _attach_short_names(nodes, clusters)
    _attach_derived(nodes, clusters)
    _attach_acronyms_and_parts(nodes, clusters)
    return clusters


def _alone(nodes: dict[str, _Node], clusters: _Clusters) -> set[str]:
    """Keys of nodes not (yet) joined to any other node."""
    roots = Counter(clusters.find(k) for k in nodes)
    return {k for k in nodes if roots[clusters.find(k)] == 1}


def _top_lemma(node: _Node) -> str:
    return max(node.lemmas.items(), key=lambda x: (x[1], x[0][1]))[0][1]


def _dominant(candidates: Iterable[_Node], clusters: _Clusters) -> str:
    """The root of the cluster holding most of ``candidates``' mentions, if it holds DOMINANCE times the next."""
    sizes: Counter[str] = Counter()
    for n in candidates:
        sizes[clusters.find(n.key)] += n.mentions
    ranked = sizes.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] < DOMINANCE * ranked[1][1]):
        return ""
    return ranked[0][0]


def _attach_acronyms_and_parts(nodes: dict[str, _Node], clusters: _Clusters) -> None:
    """Across documents: an acronym joins the name it abbreviates ("ВООЗ" → "Всесвітня організація
    охорони здоров'я"); a one-word organisation, product or event joins the name that holds it
    ("Sinovac" → "Sinovac Biotech"), when one candidate entity dominates."""
    by_initials: dict[tuple[str, str], list[_Node]] = defaultdict(list)
    by_word: dict[tuple[str, str], list[_Node]] = defaultdict(list)
    for node in nodes.values():
        if node.type != "PER" and " " in node.name:
            by_initials[(node.type, _initials(_top_lemma(node)))].append(node)
            for w in set(node.latin.split()):
                by_word[(node.type, w)].append(node)
    alone = _alone(nodes, clusters)
    for node in nodes.values():
        if node.type == "PER" or node.entry or " " in node.name or node.key not in alone:
            continue
        lemma = _top_lemma(node)
        if _acronym(lemma):
            found = by_initials.get((node.type, lemma.casefold()), [])
        elif node.type in PART_TYPES:
            found = by_word.get((node.type, node.latin), [])
        else:
            continue
        root = _dominant(_block(found), clusters)
        if root:
            clusters.union(node.key, root)


def _stem(latin: str) -> str:
    return latin.rstrip("aeiou")


def _attach_derived(nodes: dict[str, _Node], clusters: _Clusters) -> None:
    """Join adjectives and demonyms of a place to the place: "російський", "россияне" → Russia."""
    places: dict[str, str] = {}  # stem → node key or "gaz:" entry id
    gaz = gazetteer()
    for entry in gaz.entries.values():
        if entry.type == "LOC":
            for text in [n.text for n in entry.names] + list(entry.aliases):
                if " " not in text.strip() and not _acronym(text):
                    places.setdefault(_stem(latin_key(text)), f"gaz:{entry.id}")
    for node in nodes.values():
        if node.type == "LOC" and " " not in node.name and not _acronym(_top_lemma(node)):
            places.setdefault(_stem(node.latin), node.key)
    by_entry = {n.entry: n.key for n in nodes.values() if n.entry}
    alone = _alone(nodes, clusters)
    for node in nodes.values():
        ending = next((e for e in DERIVED_ENDINGS if node.latin.endswith(e)), "")
        if (
            not ending
            or " " in node.latin
            or node.entry
            or node.key not in alone
            or (node.type == "PER" and _top_lemma(node)[:1].isupper())
        ):
            continue
        stem = _stem(node.latin[: -len(ending)])
        target = next(
            (
                places[stem[:k]]
                for k in range(len(stem), MIN_DERIVED_STEM - 1, -1)
                if stem[:k] in places and (k == len(stem) or k >= 5)
            ),
            "",
        )
        if target.startswith("gaz:"):
            entry_id = target[4:]
            if entry_id not in by_entry:  # the place itself is not mentioned: this node stands for it
                node.entry, by_entry[entry_id] = entry_id, node.key
            target = by_entry[entry_id]
        if target:
            clusters.union(node.key, target)


def _attach_short_names(nodes: dict[str, _Node], clusters: _Clusters) -> None:
    """Join a one-word person name to the most frequent full name with that word (surname first)."""
    by_word: dict[str, list[_Node]] = defaultdict(list)
    for node in nodes.values():
        words = node.latin.split()
        if node.type == "PER" and len(words) > 1:
            for w in set(words):
                by_word[_consonants(w)].append(node)
    sizes: Counter[str] = Counter()
    for node in nodes.values():
        sizes[clusters.find(node.key)] += node.mentions
    for node in nodes.values():
        words = node.latin.split()
        if node.type != "PER" or len(words) != 1 or node.entry:
            continue
        word = words[0]
        found = [
            n
            for n in _block(by_word.get(_consonants(word), []))
            if any(_similar(word, w, NAME_THRESHOLD) for w in n.latin.split())
        ]
        if found:
            best = max(found, key=lambda n: (n.latin.split()[-1] == word, sizes[clusters.find(n.key)], n.key))
            clusters.union(node.key, best.key)


def _entity(members: list[_Node]) -> tuple[str, str, Entity]:
    """(canonical key, type, entity) of one cluster of nodes; the id is set by :func:`_entities`."""
    entries: Counter[str] = Counter()
    lemmas: Counter[tuple[str, str]] = Counter()
    types: Counter[str] = Counter()
    for n in members:
        entries[n.entry] += n.mentions if n.entry else 0
        lemmas.update(n.lemmas)
        types[n.type] += n.mentions
    ranked = sorted(lemmas.items(), key=lambda x: (-x[1], -len(x[0][1]), x[0][1]))
    names = {
        lang: next(lemma for (lg, lemma), _ in ranked if lg == lang) for lang in {lg for lg, _ in lemmas}
    }
    entry_id = min((e for e in entries if e), key=lambda e: (-entries[e], e), default="")
    if entry_id:
        entry = gazetteer().entries[entry_id]
        canonical, type_ = f"gaz:{entry.id}", entry.type
        names |= {n.lang: n.text for n in reversed(entry.names)}  # the table's names before CLDR's
    else:
        type_ = min(types, key=lambda t: (-types[t], t))
        canonical = max(members, key=lambda n: (len(n.latin.split()), n.mentions, n.key)).latin
    aliases = tuple(sorted({x for n in members for x in n.forms} | {lemma for _, lemma in lemmas}))
    in_langs = tuple(Name(lg, names[lg]) for lg in LANGS if lg in names)
    return canonical, type_, Entity("", type_, names.get("en", ranked[0][0][1]), in_langs, aliases)


def _entities(nodes: dict[str, _Node], clusters: _Clusters) -> tuple[list[Entity], dict[str, str]]:
    built = []
    for members in clusters.groups().values():
        canonical, type_, entity = _entity([nodes[k] for k in members])
        built.append((canonical, type_, entity, sorted(members)))
    built.sort(key=lambda b: (b[0], b[1], -sum(nodes[k].mentions for k in b[3]), b[3]))
    used: Counter[str] = Counter()
    entities, entity_of = [], {}
    for canonical, type_, entity, members in built:
        used[f"{type_}:{canonical}"] += 1
        n = used[f"{type_}:{canonical}"]
        entity_id = content_id(f"{type_}:{canonical}{'' if n == 1 else f'#{n}'}".encode())
        entities.append(replace(entity, id=entity_id))
        entity_of.update(dict.fromkeys(members, entity_id))
    return entities, entity_of


def _side(text: str, nodes: dict[str, _Node], clusters: _Clusters) -> set[str]:
    """The node keys a decision side names: an entity id, a document key, or a lemma or form."""
    if text in nodes:
        return {text}
    if _ENTITY_ID.fullmatch(text):
        by_id = {k for k, e in _entities(nodes, clusters)[1].items() if e == text}
        if by_id:
            return by_id
    wanted = normal_name(text)
    return {k for k, n in nodes.items() if n.name == wanted or any(normal_name(f) == wanted for f in n.forms)}


def _apply(decision: Decision, nodes: dict[str, _Node], clusters: _Clusters) -> None:
    a, b = _side(decision.a, nodes, clusters), _side(decision.b, nodes, clusters)
    if not a or not b:
        return
    if decision.kind == "merge":
        for k in a | b:
            clusters.union(next(iter(sorted(a))), k)
        return
    roots_a = {clusters.find(k) for k in a}
    moving = sorted(k for k in b - a if clusters.find(k) in roots_a)
    groups = clusters.groups()
    for root in roots_a:
        stay = [k for k in groups[root] if k not in moving]
        for k in groups[root]:
            clusters.parent[k] = k
        for k in stay[1:]:
            clusters.union(stay[0], k)
    for k in moving[1:]:
        clusters.union(moving[0], k)


def link(mentions: Iterable[MentionRecord], *, decisions: Iterable[Decision] = ()) -> Linking:
    """Canonical entities for mention records (from :func:`records`) and each document key's entity id."""
    nodes = _nodes(mentions)
    clusters = _cluster(nodes)
    for decision in decisions:
        _apply(decision, nodes, clusters)
    entities, entity_of = _entities(nodes, clusters)
    return Linking(tuple(entities), entity_of)
