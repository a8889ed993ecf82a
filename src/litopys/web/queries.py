"""What the pages read from the store, beyond the public read functions of :mod:`litopys.store`: one
story, one event, one entity, a page of storylines, entity names in a UI language, documents' metadata."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from litopys.store import Store
from litopys.store.events import _event
from litopys.store.stories import storyline_title

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
        story["title"] = storyline_name(store, row["id"], ui=ui)
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


def storyline_name(store: Store, storyline: str, *, ui: str) -> str:
    """A storyline's title: its main entities in the UI language, else its first document's title."""
    return storyline_title(store, storyline, lang=ui) or _first_title(store, storyline)


def _first_title(store: Store, storyline: str) -> str:
    row = store.db.execute(
        "SELECT d.title FROM story_members m JOIN documents d ON d.id = m.doc_id "
        "WHERE m.storyline = ? AND d.current = 1 ORDER BY coalesce(d.published, ''), m.seq LIMIT 1",
        (storyline,),
    ).fetchone()
    return str(row[0]) if row else storyline


def story(store: Store, story_id: str, *, ui: str) -> dict[str, Any] | None:
    """A storyline (``st-…``) or event cluster (``ev-…``) with its documents, or None."""
    rows = [
        dict(r)
        for r in store.db.execute(
            "SELECT m.doc_id AS id, m.event, m.storyline, m.seq, d.lang, d.published, d.title, d.source, d.url "
            "FROM story_members m JOIN documents d ON d.id = m.doc_id "
            "WHERE (m.event = ? OR m.storyline = ?) AND d.current = 1 "
            "ORDER BY coalesce(d.published, ''), m.seq",
            (story_id, story_id),
        )
    ]
    if not rows:
        return None
    level = "storyline" if rows[0]["storyline"] == story_id else "event"
    for row in rows:
        row["outlet"] = outlet(row)
    dates = [r["published"] for r in rows if r["published"]]
    languages = [lang for lang, _ in Counter(r["lang"] for r in rows).most_common()]
    if level == "storyline":
        title = storyline_title(store, story_id, lang=ui) or rows[0]["title"]
    else:
        title = rows[0]["title"]
    clusters: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        clusters.setdefault(row["event"], []).append(row)
    by_lang: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_lang.setdefault(row["lang"], []).append(row)
    return {
        "id": story_id,
        "level": level,
        "title": title,
        "title_lang": None if level == "storyline" else rows[0]["lang"],
        "documents": rows,
        "languages": languages,
        "first_seen": min(dates) if dates else None,
        "last_seen": max(dates) if dates else None,
        "storyline": rows[0]["storyline"] if level == "event" else None,
        "storyline_title": storyline_name(store, rows[0]["storyline"], ui=ui) if level == "event" else None,
        "clusters": sorted(
            (
                {
                    "id": event,
                    "title": docs[0]["title"],
                    "lang": docs[0]["lang"],
                    "documents": docs,
                    "languages": [lang for lang, _ in Counter(d["lang"] for d in docs).most_common()],
                    "first_seen": min((d["published"] for d in docs if d["published"]), default=None),
                    "last_seen": max((d["published"] for d in docs if d["published"]), default=None),
                }
                for event, docs in clusters.items()
            ),
            key=lambda c: (-len(c["documents"]), c["first_seen"] or "", c["id"]),
        ),
        "by_lang": sorted(by_lang.items(), key=lambda kv: (-len(kv[1]), kv[0])),
    }


def has_story(store: Store, story_id: str) -> bool:
    return (
        store.db.execute(
            "SELECT 1 FROM story_members WHERE event = ? OR storyline = ? LIMIT 1", (story_id, story_id)
        ).fetchone()
        is not None
    )


def event(store: Store, event_id: str) -> dict[str, Any] | None:
    """A canonical event as :func:`litopys.store.events.list_events` gives it, or None."""
    row = store.db.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
    return _event(store, row) if row is not None else None


def events(store: Store, ids: Iterable[str]) -> list[dict[str, Any]]:
    """Canonical events by id, without their sources (``sources`` is their number), in time order."""
    rows = store.db.execute(
        "SELECT * FROM events WHERE id IN (SELECT value FROM json_each(?)) "
        "ORDER BY date_start IS NULL, date_start, coalesce(first_reported, ''), id",
        (json.dumps(sorted(set(ids))),),
    ).fetchall()
    return [_event_row(r) for r in rows]


def latest_events(store: Store, *, limit: int) -> list[dict[str, Any]]:
    """The dated canonical events that happened last, latest first (``sources`` is their number)."""
    rows = store.db.execute(
        "SELECT * FROM events WHERE date_start IS NOT NULL "
        "ORDER BY date_end DESC, date_start DESC, sources DESC, id LIMIT ?",
        (limit,),
    ).fetchall()
    return [_event_row(r) for r in rows]


def _event_row(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "type": row["type"],
        "plover": row["plover"],
        "mode": row["mode"],
        "date": {
            "start": row["date_start"],
            "end": row["date_end"],
            "granularity": row["granularity"] or None,
        },
        "actors": json.loads(row["actors"]),
        "targets": json.loads(row["targets"]),
        "location": row["location"],
        "object": row["object"],
        "status": row["status"],
        "summary": row["summary"],
        "first_reported": row["first_reported"],
        "last_reported": row["last_reported"],
        "languages": json.loads(row["languages"]),
        "sources": row["sources"],
    }


def event_ids(store: Store, *, story: str | None = None, entity: str | None = None) -> list[str]:
    """The ids of the canonical events told by a story's documents, or with an entity as a participant."""
    if story is not None:
        rows = store.db.execute(
            "SELECT DISTINCT e.canonical FROM event_mentions e JOIN story_members s ON s.doc_id = e.doc_id "
            "WHERE (s.event = ? OR s.storyline = ?) AND e.canonical IS NOT NULL",
            (story, story),
        )
    else:
        rows = store.db.execute(
            "SELECT id FROM events WHERE location = ? OR id IN (SELECT e.id FROM events e, "
            "json_each(e.actors) a WHERE a.value = ?) OR id IN (SELECT e.id FROM events e, "
            "json_each(e.targets) t WHERE t.value = ?)",
            (entity, entity, entity),
        )
    return [r[0] for r in rows]


def entity(store: Store, entity_id: str) -> dict[str, Any] | None:
    row = store.db.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        return None
    found = dict(row)
    found["names"] = json.loads(found["names"])
    found["aliases"] = json.loads(found["aliases"])
    return found


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
    """Document metadata (no text) by id."""
    rows = store.db.execute(
        "SELECT id, title, lang, published, source, url, current FROM documents "
        "WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(ids))),),
    )
    out = {}
    for r in rows:
        doc = dict(r)
        doc["outlet"] = outlet(doc)
        out[doc["id"]] = doc
    return out


def stories_of(store: Store, doc_ids: Iterable[str]) -> list[dict[str, Any]]:
    """The storylines and event clusters of some documents: ``{"storyline", "event", "documents"}``."""
    rows = store.db.execute(
        "SELECT storyline, event, count(*) AS documents FROM story_members "
        "WHERE doc_id IN (SELECT value FROM json_each(?)) GROUP BY storyline, event ORDER BY 3 DESC, 1, 2",
        (json.dumps(sorted(set(doc_ids))),),
    )
    return [dict(r) for r in rows]


def document_events(store: Store, doc_id: str) -> list[dict[str, Any]]:
    """The event mentions of a document: trigger offsets, type, status, canonical event id."""
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
