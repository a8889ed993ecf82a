"""Reading canonical events and their sources from the store (written by ``stages/timeline.py``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from litopys.store.db import Store

_SOURCES_SQL = (
    "SELECT e.canonical, e.doc_id, e.start, e.end, e.trigger_start, e.trigger_end, e.status, e.attributed_to, "
    "substr(d.text, e.start + 1, e.end - e.start) AS sentence, d.published, d.lang, d.title "
    "FROM event_mentions e JOIN documents d ON d.id = e.doc_id "
)


def _source(r: Any) -> dict[str, Any]:
    return {
        "document": r["doc_id"],
        "start": r["start"],
        "end": r["end"],
        "trigger": [r["trigger_start"], r["trigger_end"]],
        "sentence": r["sentence"],
        "attributed_to": json.loads(r["attributed_to"]),
        "status": r["status"],
        "published": r["published"],
        "lang": r["lang"],
        "title": r["title"],
    }


def event_sources(store: Store, event_id: str) -> list[dict[str, Any]]:
    """The event mentions behind a canonical event: document, sentence offsets and text, attribution."""
    rows = store.db.execute(
        _SOURCES_SQL + "WHERE e.canonical = ? ORDER BY coalesce(d.published, ''), e.doc_id, e.trigger_start",
        (event_id,),
    )
    return [_source(r) for r in rows]


def sources_of(store: Store, event_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """:func:`event_sources` of several events in one query: ``{event id: sources}`` (each event's
    in the same order; an event without sources maps to [])."""
    found: dict[str, list[dict[str, Any]]] = {i: [] for i in event_ids}
    if not found:
        return found
    rows = store.db.execute(
        _SOURCES_SQL + "WHERE e.canonical IN (SELECT value FROM json_each(?)) "
        "ORDER BY e.canonical, coalesce(d.published, ''), e.doc_id, e.trigger_start",
        (json.dumps(list(found)),),
    )
    for r in rows:
        found[r["canonical"]].append(_source(r))
    return found


def _events(store: Store, rows: Sequence[Any], *, sources: bool = True) -> list[dict[str, Any]]:
    """``events`` rows as dicts (:func:`_event`), the sources of all of them read in one query."""
    if not sources:
        return [_event(store, r, sources=False) for r in rows]
    found = sources_of(store, [r["id"] for r in rows])
    return [_event(store, r, sources=found[r["id"]]) for r in rows]


def _event(store: Store, row: Any, *, sources: bool | list[dict[str, Any]] = True) -> dict[str, Any]:
    """An ``events`` row as a dict; ``sources`` false: its number of sources instead of the list
    (a list: those sources, read already)."""
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
        "sources": (
            sources
            if isinstance(sources, list)
            else event_sources(store, row["id"])
            if sources
            else row["sources"]
        ),
    }


def _where(
    entity: str | Sequence[str] | None,
    story: str | None,
    date_from: str | None,
    date_to: str | None,
    type: str | None,
) -> tuple[str, list[Any]]:
    """The WHERE clause (or "") and its parameters of the :func:`list_events` filters."""
    where: list[str] = []
    params: list[Any] = []
    if isinstance(entity, str):
        entity = [entity] if entity else None
    ids = list(entity or ())
    if ids:
        where.append(
            "(" + " OR ".join("(e.actors LIKE ? OR e.targets LIKE ? OR e.location = ?)" for _ in ids) + ")"
        )
        for one in ids:
            params += [f'%"{one}"%', f'%"{one}"%', one]
    elif entity is not None:  # an empty list of entities: nothing matches
        where.append("0")
    if story:
        where.append(
            "e.id IN (SELECT m.canonical FROM event_mentions m JOIN story_members s ON s.doc_id = m.doc_id "
            "WHERE s.event = ? OR s.storyline = ?)"
        )
        params += [story, story]
    if date_from:
        where.append("e.date_end >= ?")
        params.append(date_from)
    if date_to:
        where.append("e.date_start <= ?")
        params.append(date_to)
    if type:
        where.append("e.type = ?")
        params.append(type.upper())
    return ("WHERE " + " AND ".join(where)) if where else "", params


def list_events(
    store: Store,
    *,
    entity: str | Sequence[str] | None = None,
    story: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    type: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    sources: bool = True,
) -> list[dict[str, Any]]:
    """Canonical events in occurrence order (undated ones by first report, after the dated).

    ``entity`` is an entity id, or several (any of them), as actor, target or location; ``story`` an
    event cluster or storyline id; ``date_from``/``date_to`` (ISO dates, inclusive) filter on the
    occurrence date; ``type`` keeps one event type (VISIT, ARMS_TRANSFER…). ``limit`` and ``offset``
    page through the result (:func:`count_events` counts it). ``sources`` false gives each event's
    number of sources instead of the list (one query in all, not one per event).
    """
    clause, params = _where(entity, story, date_from, date_to, type)
    page = ""
    if limit is not None or offset:
        page = " LIMIT ? OFFSET ?"
        params = [*params, -1 if limit is None else limit, offset]
    rows = store.db.execute(
        f"SELECT e.* FROM events e {clause} "
        "ORDER BY e.date_start IS NULL, e.date_start, coalesce(e.first_reported, ''), e.id" + page,
        params,
    ).fetchall()
    return _events(store, rows, sources=sources)


def latest_events(store: Store, *, limit: int, sources: bool = True) -> list[dict[str, Any]]:
    """The dated canonical events that happened last, latest first (as :func:`list_events` gives them)."""
    rows = store.db.execute(
        "SELECT * FROM events WHERE date_start IS NOT NULL "
        "ORDER BY date_end DESC NULLS LAST, date_start DESC NULLS LAST, sources DESC, id LIMIT ?",
        (limit,),
    ).fetchall()
    return _events(store, rows, sources=sources)


def count_events(
    store: Store,
    *,
    entity: str | Sequence[str] | None = None,
    story: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    type: str | None = None,
) -> int:
    """How many canonical events :func:`list_events` gives for the same filters (without a limit)."""
    clause, params = _where(entity, story, date_from, date_to, type)
    return int(store.db.execute(f"SELECT count(*) FROM events e {clause}", params).fetchone()[0])


def get_event(store: Store, event_id: str) -> dict[str, Any] | None:
    """One canonical event (as :func:`list_events` gives it), or None."""
    row = store.db.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
    return _event(store, row) if row is not None else None


def document_events(store: Store, doc_id: str) -> list[dict[str, Any]]:
    """The canonical events that a document reports (it is one of their sources), in occurrence order."""
    rows = store.db.execute(
        "SELECT e.* FROM events e WHERE e.id IN (SELECT canonical FROM event_mentions WHERE doc_id = ?) "
        "ORDER BY e.date_start IS NULL, e.date_start, coalesce(e.first_reported, ''), e.id",
        (doc_id,),
    ).fetchall()
    return _events(store, rows)
