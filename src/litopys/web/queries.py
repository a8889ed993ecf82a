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
from litopys.records import Story
from litopys.store import Store
from litopys.store.pages import document_summaries
from litopys.store.stories import storyline_name

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
    """A page of storylines, the largest first, and how many there are."""
    total = store.db.execute(
        "SELECT count(DISTINCT m.storyline) FROM story_members m JOIN documents d ON d.id = m.doc_id "
        "WHERE d.current = 1"
    ).fetchone()[0]
    rows = store.db.execute(
        "SELECT m.storyline AS id, count(*) AS documents, count(DISTINCT m.event) AS clusters, "
        "min(d.published) AS first_seen, max(d.published) AS last_seen FROM story_members m "
        "JOIN documents d ON d.id = m.doc_id WHERE d.current = 1 GROUP BY m.storyline "
        "ORDER BY documents DESC, coalesce(first_seen, ''), id LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    out = []
    for row in rows:
        story = dict(row)
        story["languages"] = [
            r[0]
            for r in store.db.execute(
                "SELECT d.lang, count(*) FROM story_members m JOIN documents d ON d.id = m.doc_id "
                "WHERE m.storyline = ? AND d.current = 1 GROUP BY d.lang ORDER BY 2 DESC, 1",
                (row["id"],),
            )
        ]
        story["title"] = storyline_name(store, row["id"], lang=ui)
        story["top_clusters"] = [
            dict(r)
            for r in store.db.execute(
                "SELECT m.event AS id, count(*) AS documents, (SELECT d2.title FROM story_members m2 "
                "JOIN documents d2 ON d2.id = m2.doc_id WHERE m2.event = m.event AND d2.current = 1 "
                "ORDER BY coalesce(d2.published, ''), m2.seq LIMIT 1) AS title, (SELECT d3.lang FROM "
                "story_members m3 JOIN documents d3 ON d3.id = m3.doc_id WHERE m3.event = m.event "
                "AND d3.current = 1 ORDER BY coalesce(d3.published, ''), m3.seq LIMIT 1) AS lang "
                "FROM story_members m JOIN documents d ON d.id = m.doc_id WHERE m.storyline = ? "
                "AND d.current = 1 GROUP BY m.event ORDER BY documents DESC, min(coalesce(d.published, '')), "
                "m.event LIMIT ?",
                (row["id"], TOP_CLUSTERS),
            )
        ]
        out.append(story)
    return out, total


def story(store: Store, story_id: str, *, ui: str) -> dict[str, Any] | None:
    """A storyline (``st-…``) or event cluster (``ev-…``) with its documents, or None: the story and
    its event clusters as the API gives them (:func:`litopys.api.cache.story`), their documents'
    metadata, and the documents by language."""
    found = cache.story(store, story_id, lang=ui)
    if found is None:
        return None
    record, members = found
    docs = documents(store, record.documents)

    def rows(s: Story) -> list[dict[str, Any]]:
        return [docs[d] for d in s.documents if d in docs]

    by_lang: dict[str, list[dict[str, Any]]] = {}
    for row in rows(record):
        by_lang.setdefault(row["lang"], []).append(row)
    event_level = record.level == "event"
    return {
        "id": story_id,
        "level": record.level,
        "title": record.title,
        "title_lang": docs[record.documents[0]]["lang"] if event_level else None,
        "documents": rows(record),
        "languages": list(record.languages),
        "first_seen": record.first_seen,
        "last_seen": record.last_seen,
        "storyline": record.storyline,
        "storyline_title": storyline_name(store, record.storyline, lang=ui) if record.storyline else None,
        "clusters": [
            {
                "id": c.id,
                "title": c.title,
                "lang": docs[c.documents[0]]["lang"],
                "documents": rows(c),
                "languages": list(c.languages),
                "first_seen": c.first_seen,
                "last_seen": c.last_seen,
            }
            for c in (members or [record])
        ],
        "by_lang": sorted(by_lang.items(), key=lambda kv: (-len(kv[1]), kv[0])),
    }


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
