"""What only the pages read from the store, beyond the public read functions of :mod:`litopys.store`
that they share with the API: a page of storylines, a story with its documents, entity names in a UI
language, documents' metadata by id, the stories of some documents, a document's event mentions, its
newer version, the event types; and the outlet of a document."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from litopys.api import cache
from litopys.store import Store
from litopys.store.pages import document_summaries

#: event clusters named under each storyline of the home page
TOP_CLUSTERS = 3


def outlet(doc: dict[str, Any]) -> str | None:
    """The outlet of a document: its source line, else its URL's host."""
    if doc.get("source"):
        return str(doc["source"])
    url = doc.get("url")
    if url:
        host = urlsplit(str(url)).hostname
        return host.removeprefix("www.") if host else None
    return None


def is_web_link(url: str | None) -> bool:
    return bool(url) and urlsplit(str(url)).scheme in ("http", "https")


def storyline_page(store: Store, *, ui: str, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """A page of storylines, the largest first, and how many there are
    (:func:`litopys.store.pages.storyline_index`; titles in the UI language)."""
    every = cache.storylines(store, top_clusters=TOP_CLUSTERS)
    out = []
    for line in every[offset : offset + limit]:
        story = {key: value for key, value in line.items() if key != "top_clusters"}
        story["languages"] = list(line["languages"])
        story["title"] = cache.storyline_name(store, line["id"], lang=ui)
        story["top_clusters"] = [dict(c) for c in line["top_clusters"]]
        out.append(story)
    return out, len(every)


def story(
    store: Store,
    story_id: str,
    *,
    ui: str,
    max_clusters: int,
    max_cluster_docs: int,
    max_lang_docs: int,
) -> dict[str, Any] | None:
    """A storyline (``st-…``) or event cluster (``ev-…``) with its documents, or None: the story and
    its event clusters as the API gives them (:func:`litopys.api.cache.story`), and its documents by
    language. Only the documents a page lists are read (the first ``max_cluster_docs`` of the first
    ``max_clusters`` clusters, the first ``max_lang_docs`` of each language): ``documents`` of a
    cluster and of a language are those, ``n_documents`` says how many there are in all."""
    found = cache.story(store, story_id, lang=ui)
    if found is None:
        return None
    record, members = found
    langs = document_langs(store, record.documents)
    ids = [d for d in record.documents if d in langs]  # in publication order
    by_lang: dict[str, list[str]] = {}
    for d in ids:
        by_lang.setdefault(langs[d], []).append(d)
    clusters = members or [record]
    listed = {ids[0]} if ids else set()
    listed.update(d for c in clusters[:max_clusters] for d in c.documents[:max_cluster_docs])
    listed.update(d for same in by_lang.values() for d in same[:max_lang_docs])
    docs = documents(store, listed)

    def rows(doc_ids: tuple[str, ...] | list[str], cap: int) -> list[dict[str, Any]]:
        return [docs[d] for d in doc_ids[:cap] if d in docs]

    event_level = record.level == "event"
    return {
        "id": story_id,
        "level": record.level,
        "title": record.title,
        "title_lang": langs[record.documents[0]] if event_level else None,
        "n_documents": len(ids),
        "languages": list(record.languages),
        "first_seen": record.first_seen,
        "last_seen": record.last_seen,
        "storyline": record.storyline,
        "storyline_title": cache.storyline_name(store, record.storyline, lang=ui)
        if record.storyline
        else None,
        "clusters": [
            {
                "id": c.id,
                "title": c.title,
                "lang": langs[c.documents[0]],
                "documents": rows(c.documents, max_cluster_docs) if n < max_clusters else [],
                "n_documents": sum(1 for d in c.documents if d in langs),
                "languages": list(c.languages),
                "first_seen": c.first_seen,
                "last_seen": c.last_seen,
            }
            for n, c in enumerate(clusters)
        ],
        "by_lang": [
            (lang, rows(same, max_lang_docs), len(same))
            for lang, same in sorted(by_lang.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ],
    }


def document_langs(store: Store, ids: Iterable[str]) -> dict[str, str]:
    """The language of each of the documents ``ids`` (unknown ids left out)."""
    rows = store.db.execute(
        "SELECT id, lang FROM documents WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(ids))),),
    )
    return {r[0]: r[1] for r in rows}


def entity_names(store: Store, ids: Iterable[str], *, ui: str) -> dict[str, dict[str, str]]:
    """``{id: {"name", "type"}}``: each entity's name in the UI language (else its canonical name)."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    rows = store.db.execute(
        "SELECT id, type, name, names FROM entities WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(wanted),),
    )
    return {r["id"]: {"name": json.loads(r["names"]).get(ui) or r["name"], "type": r["type"]} for r in rows}


def documents(store: Store, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Document metadata (:data:`litopys.store.pages.SUMMARY_FIELDS`) by id, with its outlet."""
    return {d["id"]: {**d, "outlet": outlet(d)} for d in document_summaries(store, sorted(set(ids)))}


def stories_of(store: Store, doc_ids: Iterable[str]) -> list[dict[str, Any]]:
    """The storylines and event clusters of some documents: ``{"storyline", "event", "documents"}``."""
    rows = store.db.execute(
        "SELECT storyline, event, count(*) AS documents FROM story_members "
        "WHERE doc_id IN (SELECT value FROM json_each(?)) GROUP BY storyline, event ORDER BY 3 DESC, 1, 2",
        (json.dumps(sorted(set(doc_ids))),),
    )
    return [dict(r) for r in rows]


def event_mentions(store: Store, doc_id: str) -> list[dict[str, Any]]:
    """The event mentions of a document: trigger offsets, type, status, canonical event id (the
    canonical events themselves: :func:`litopys.store.events.document_events`)."""
    rows = store.db.execute(
        "SELECT trigger_start, trigger_end, start, end, type, status, canonical FROM event_mentions "
        "WHERE doc_id = ? ORDER BY trigger_start",
        (doc_id,),
    )
    return [dict(r) for r in rows]


def newer_version(store: Store, doc_id: str) -> str | None:
    row = store.db.execute("SELECT id FROM documents WHERE supersedes = ?", (doc_id,)).fetchone()
    return str(row[0]) if row else None


def event_types(store: Store) -> list[str]:
    """The event types found in the store, alphabetically."""
    return [r[0] for r in store.db.execute("SELECT DISTINCT type FROM event_mentions ORDER BY 1")]
