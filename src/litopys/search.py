"""Search: full text over lemmas, cross-lingual through canonical entities (``litopys search``).

* **Lemmas.** The store keeps each current document's word lemmas in an SQLite FTS5 table (written
  with the document, :func:`litopys.store.db.lemma_text`). A query word is looked up by every base
  form it can have in uk, ru and en, so "Північна Корея" finds "Північної Кореї" and "Северной
  Кореи" finds "Северная Корея". Ranking is FTS5's BM25 (title weighted above body).
* **Names across languages.** A run of capitalised query words that names a canonical entity (its
  base form, a form seen in the text, or an alias, in any language) also matches every document
  that mentions that entity, whatever its language: "Ким Чен Ын" finds the Ukrainian reports on
  Кім Чен Ин. Such documents score by their mentions (:data:`ENTITY_WEIGHT`).
* **Filters**: publication date range, language, outlet (source line or URL), an entity, an event
  type. **Snippets**: the sentence with the most hits, hits marked by offsets.

The name table is rebuilt by :func:`refresh` after each ingest (linking may change entity ids);
documents stored by an older litopys without index rows are indexed then too.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from litopys.records import Article, Paragraph
from litopys.stages.nlp import analyse, lemmatize
from litopys.store import Store
from litopys.store.db import lemma_text
from litopys.store.pages import document_filters

__all__ = ["Hit", "refresh", "resolve_entity", "search"]

#: languages a query word is lemmatised in (the query's own language is not known)
QUERY_LANGS = ("uk", "ru", "en")
#: FTS5 bm25() column weights: title, body (a word in the headline says more than one in the body)
BM25_WEIGHTS = (2.0, 1.0)
#: score of a document per query entity: ENTITY_WEIGHT * log(1 + its mentions there); on the same
#: scale as a BM25 score of one rare word (≈ 2–8 in a 10k-document store)
ENTITY_WEIGHT = 2.0
#: PostgreSQL's ts_rank of a one-word match is ≈ 0.06–0.6; ×10 brings it to BM25's scale, so that
#: text and entity scores add up as they do on SQLite (rankings may still differ a little)
PG_RANK_SCALE = 10.0
#: longest run of query words tried as a name ("Корейська Народно-Демократична Республіка")
NAME_MAX_WORDS = 4
#: the longest snippet, in characters (a sentence longer than this is cut around its first hit)
SNIPPET_CHARS = 280
#: how many first letters a text word must share with a query lemma to be lemmatised for highlighting
#: (skips the dictionary look-up for almost every word of a document)
PREFIX = 3
DEFAULT_LIMIT = 10

_WORD = re.compile(r"[\w][\w'’ʼ-]*")


@dataclass(frozen=True, slots=True)
class _Part:
    """One query word, or a run of words naming entities: the FTS5 expression and the entity ids."""

    text: str
    fts: str
    lemmas: frozenset[str]
    entities: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hit:
    """A found document: its metadata, score, and a snippet with the hits marked by offsets
    (``highlights`` are (start, end) in ``snippet``; ``snippet_start`` is the snippet's offset
    in the document text)."""

    id: str
    title: str
    lang: str
    published: str | None
    source: str | None
    url: str | None
    score: float
    snippet: str
    snippet_start: int
    highlights: tuple[tuple[int, int], ...]
    entities: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "lang": self.lang,
            "published": self.published,
            "source": self.source,
            "url": self.url,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "snippet_start": self.snippet_start,
            "highlights": [list(h) for h in self.highlights],
            "entities": list(self.entities),
        }


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _word_part(word: str) -> _Part:
    lemmas = {word.lower()} | {lemmatize(word, lang=lang) for lang in QUERY_LANGS}
    lemmas = {lemma for lemma in lemmas if lemma and lemma[:1].isalnum()}
    return _Part(word, "(" + " OR ".join(sorted(_quoted(lemma) for lemma in lemmas)) + ")", frozenset(lemmas))


def _entities_named(store: Store, name: str) -> tuple[str, ...]:
    rows = store.db.execute("SELECT entity FROM search_names WHERE name = ?", (name.casefold(),))
    return tuple(sorted(r[0] for r in rows))


def _parse(store: Store, query: str) -> list[_Part]:
    """Query words as parts; the longest runs of capitalised words that name entities become one part."""
    words = _WORD.findall(query)
    parts: list[_Part] = []
    i = 0
    while i < len(words):
        found = None
        if words[i][:1].isupper():
            for n in range(min(NAME_MAX_WORDS, len(words) - i), 0, -1):
                run = words[i : i + n]
                if not all(w[:1].isupper() or w.isupper() for w in run):
                    continue
                entities = _entities_named(store, " ".join(run))
                if entities:
                    found = (n, entities)
                    break
        if found is None:
            parts.append(_word_part(words[i]))
            i += 1
            continue
        n, entities = found
        run_parts = [_word_part(w) for w in words[i : i + n]]
        parts.append(
            _Part(
                " ".join(words[i : i + n]),
                "(" + " AND ".join(p.fts for p in run_parts) + ")",
                frozenset().union(*(p.lemmas for p in run_parts)),
                entities,
            )
        )
        i += n
    return parts


def tsquery(expression: str) -> str:
    """An FTS5 expression of :func:`_parse` (quoted lemmas, OR, AND, brackets) as PostgreSQL's
    ``to_tsquery`` text: each lemma goes through the same parser as the indexed text, so a lemma
    that the parser splits ("об'єкт") becomes a phrase, as FTS5 makes it."""
    out = []
    for token in _FTS_TOKEN.findall(expression):
        if token.startswith('"'):
            lemma = token[1:-1].replace('""', '"')
            out.append("'" + lemma.replace("\\", "\\\\").replace("'", "''") + "'")
        else:
            out.append({"OR": "|", "AND": "&"}.get(token, token))
    return " ".join(out)


_FTS_TOKEN = re.compile(r'"(?:[^"]|"")*"|\(|\)|\bOR\b|\bAND\b')


def _fts_rowids(store: Store, expression: str) -> dict[int, float]:
    """rowid → score (−BM25, higher is better) of the documents matching an FTS5 expression; on
    PostgreSQL, ts_rank over the tsvector with the same column weights, scaled to BM25's range."""
    if store.dialect == "postgresql":
        top = max(BM25_WEIGHTS)  # ts_rank's weights lie in [0, 1]: D, C, B (body), A (title)
        weights = f"{{0, 0, {BM25_WEIGHTS[1] / top:g}, {BM25_WEIGHTS[0] / top:g}}}"
        rows = store.db.execute(
            f"SELECT s.rowid, ts_rank('{weights}', s.tsv, q) FROM search s, to_tsquery('simple', ?) q "
            "WHERE s.tsv @@ q",
            (tsquery(expression),),
        )
        return {rowid: PG_RANK_SCALE * score for rowid, score in rows}
    rows = store.db.execute(
        f"SELECT rowid, bm25(search, {BM25_WEIGHTS[0]}, {BM25_WEIGHTS[1]}) FROM search WHERE search MATCH ?",
        (expression,),
    )
    return {rowid: -score for rowid, score in rows}


def _entity_rowids(store: Store, entities: tuple[str, ...]) -> dict[int, int]:
    """rowid → mentions of the entities, for current documents that mention them."""
    marks = ",".join("?" * len(entities))
    rows = store.db.execute(
        f"SELECT d.rowid, count(*) FROM mentions m JOIN documents d ON d.id = m.doc_id "
        f"WHERE m.entity IN ({marks}) AND d.current = 1 GROUP BY d.rowid",
        entities,
    )
    return dict(rows.fetchall())


def resolve_entity(store: Store, name: str) -> tuple[str, ...]:
    """Entity ids for an entity id, or for a name in any language (base form, form or alias)."""
    if store.db.execute("SELECT 1 FROM entities WHERE id = ?", (name,)).fetchone():
        return (name,)
    return _entities_named(store, name)


def search(
    store: Store,
    query: str,
    *,
    lang: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    outlet: str | None = None,
    entity: str | None = None,
    event_type: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Hit]:
    """Current documents matching every word (or named entity) of ``query``, best first (module docs).

    ``date_from``/``date_to`` compare with the publication date (ISO prefixes: "2024", "2024-11");
    ``outlet`` is a substring of the source line or URL; ``entity`` an entity id or name (documents
    mentioning it); ``event_type`` a type such as ARMS_TRANSFER (documents with such an event).
    """
    parts = _parse(store, query)
    if not parts:
        return []
    with store.lock:
        matched: set[int] | None = None
        scores: dict[int, float] = defaultdict(float)
        found_entities: dict[int, set[str]] = defaultdict(set)
        for part in parts:
            text_hits = _fts_rowids(store, part.fts)
            docs = set(text_hits)
            if part.entities:
                mentioned = _entity_rowids(store, part.entities)
                docs |= set(mentioned)
                for rowid, count in mentioned.items():
                    found_entities[rowid].update(part.entities)
                    # a document found by its text and its mentions scores the better of the two
                    text_hits[rowid] = max(text_hits.get(rowid, 0.0), ENTITY_WEIGHT * math.log1p(count))
            matched = docs if matched is None else matched & docs
            if not matched:
                return []
            for rowid in docs:
                scores[rowid] += text_hits.get(rowid, 0.0)
        assert matched is not None
        if any((lang, date_from, date_to, outlet, entity, event_type)):
            matched = _filtered(store, matched, lang, date_from, date_to, outlet, entity, event_type)
        # only the best documents are read in full (text and sentences, for their snippets)
        ranked = sorted(matched, key=lambda rowid: (-scores[rowid], rowid))[:limit]
        rows = {
            r["rowid"]: r
            for r in store.db.execute(
                "SELECT rowid, id, title, lang, published, source, url, text, paragraphs, sentences "
                "FROM documents WHERE rowid IN (SELECT CAST(value AS INTEGER) FROM json_each(?))",
                (json.dumps(ranked),),
            )
        }
        lemmas = frozenset().union(*(p.lemmas for p in parts))
        entities = tuple(sorted({e for p in parts for e in p.entities}))
        return [
            _hit(store, rows[r], scores[r], lemmas, entities, found_entities[r]) for r in ranked if r in rows
        ]


def _filtered(
    store: Store,
    rowids: set[int],
    lang: str | None,
    date_from: str | None,
    date_to: str | None,
    outlet: str | None,
    entity: str | None,
    event_type: str | None,
) -> set[int]:
    """The rowids among ``rowids`` of the documents that pass the filters (see :func:`search`)."""
    where, args = document_filters(lang=lang, date_from=date_from, date_to=date_to)
    where.insert(0, "d.rowid IN (SELECT CAST(value AS INTEGER) FROM json_each(?))")
    args.insert(0, json.dumps(sorted(rowids)))
    if outlet:
        where.append("(d.source LIKE ? OR d.url LIKE ?)")
        args += [f"%{outlet}%", f"%{outlet}%"]
    if entity:
        ids = resolve_entity(store, entity)
        marks = ",".join("?" * len(ids)) or "NULL"
        where.append(f"d.id IN (SELECT doc_id FROM mentions WHERE entity IN ({marks}))")
        args += ids
    if event_type:
        where.append("d.id IN (SELECT doc_id FROM event_mentions WHERE type = ?)")
        args.append(event_type.upper())
    return {
        r[0] for r in store.db.execute(f"SELECT d.rowid FROM documents d WHERE {' AND '.join(where)}", args)
    }


def _hit(
    store: Store, row: Any, score: float, lemmas: frozenset[str], entities: tuple[str, ...], found: set[str]
) -> Hit:
    text: str = row["text"]
    spans: list[tuple[int, int]] = []
    if entities:
        marks = ",".join("?" * len(entities))
        spans += [
            (r[0], r[1])
            for r in store.db.execute(
                f"SELECT start, end FROM mentions WHERE doc_id = ? AND +entity IN ({marks})",
                (row["id"], *entities),
            )
        ]
    prefixes = {lemma[:PREFIX] for lemma in lemmas}
    for m in _WORD.finditer(text):
        lower = m.group().lower()
        if lower[:PREFIX] in prefixes and (
            lower in lemmas or lemmatize(m.group(), lang=row["lang"]) in lemmas
        ):
            spans.append(m.span())
    spans = sorted(set(spans))
    sentences = [(s["start"], s["end"]) for s in json.loads(row["sentences"])] or [(0, len(text))]
    title_end = json.loads(row["paragraphs"])[0]["end"] if row["paragraphs"] != "[]" else 0

    def hits_in(sentence: tuple[int, int]) -> int:
        return sum(1 for s, e in spans if sentence[0] <= s and e <= sentence[1])

    body = [s for s in sentences if s[0] >= title_end] or sentences
    best = max(body, key=lambda s: (hits_in(s), -s[0]))
    start, end = best
    inside = [(s, e) for s, e in spans if start <= s and e <= end]
    if end - start > SNIPPET_CHARS:
        first = inside[0][0] if inside else start
        start = max(start, min(first - SNIPPET_CHARS // 3, end - SNIPPET_CHARS))
        end = start + SNIPPET_CHARS
        inside = [(s, e) for s, e in inside if start <= s and e <= end]
    return Hit(
        id=row["id"],
        title=row["title"],
        lang=row["lang"],
        published=row["published"],
        source=row["source"],
        url=row["url"],
        score=score,
        snippet=text[start:end],
        snippet_start=start,
        highlights=tuple((s - start, e - start) for s, e in inside),
        entities=tuple(sorted(found)),
    )


def refresh(store: Store) -> int:
    """Rebuild the entity-name table of search, and index current documents that have no index row
    (stored by an older litopys); returns how many documents were indexed."""
    with store.lock:
        names: set[tuple[str, str]] = set()
        for lemma, text, entity in store.db.execute(
            "SELECT DISTINCT lemma, text, entity FROM mentions WHERE entity IS NOT NULL"
        ):
            names.add((lemma.casefold(), entity))
            names.add((text.casefold(), entity))
        for entity, name, localized, aliases in store.db.execute(
            "SELECT id, name, names, aliases FROM entities"
        ):
            for value in (name, *json.loads(localized).values(), *json.loads(aliases)):
                if value:
                    names.add((value.casefold(), entity))
        missing = store.db.execute(
            "SELECT rowid, id, path, fmt, text, lang, paragraphs FROM documents "
            "WHERE current = 1 AND rowid NOT IN (SELECT rowid FROM search)"
        ).fetchall()
        rows = []
        for row in missing:
            article = Article(
                id=row["id"],
                path=row["path"],
                fmt=row["fmt"],
                text=row["text"],
                lang=row["lang"],
                paragraphs=tuple(Paragraph(**p) for p in json.loads(row["paragraphs"])),
            )
            rows.append((row["rowid"], *lemma_text(analyse(article))))
        store.db.execute("BEGIN IMMEDIATE")
        try:
            store.db.execute("DELETE FROM search_names")
            store.db.executemany("INSERT INTO search_names (name, entity) VALUES (?, ?)", sorted(names))
            store.db.executemany("INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)", rows)
            store.db.execute("COMMIT")
        except BaseException:
            store.db.execute("ROLLBACK")
            raise
    return len(rows)
