"""Reading duplicates, event clusters and storylines from the store (written by ``stages/stories.py``)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from litopys.records import Duplicate, Story
from litopys.store.db import Store

#: entities named in a storyline's title
TITLE_ENTITIES = 3


def duplicates_of(store: Store, doc_id: str) -> list[Duplicate]:
    """Documents that repeat ``doc_id`` or that it repeats, strongest first."""
    rows = store.db.execute(
        "SELECT b AS other, kind, score FROM duplicates WHERE a = ? "
        "UNION SELECT a AS other, kind, score FROM duplicates WHERE b = ? ORDER BY 3 DESC, 1",
        (doc_id, doc_id),
    )
    return [Duplicate(id=r["other"], kind=r["kind"], score=r["score"]) for r in rows]


def duplicate_pairs(store: Store, *, kind: str | None = None) -> list[dict[str, Any]]:
    """Every duplicate link with both documents' language and title."""
    where, params = ("WHERE k.kind = ?", (kind,)) if kind else ("", ())
    rows = store.db.execute(
        "SELECT k.a, k.b, k.kind, k.score, x.lang AS a_lang, x.title AS a_title, y.lang AS b_lang, "
        "y.title AS b_title FROM duplicates k JOIN documents x ON x.id = k.a JOIN documents y ON y.id = k.b "
        f"{where} ORDER BY k.kind, k.score DESC, k.a",
        params,
    )
    return [dict(r) for r in rows]


def membership(store: Store, doc_id: str) -> tuple[str | None, str | None]:
    """``(event cluster, storyline)`` of a document, or ``(None, None)`` before clustering."""
    row = store.db.execute(
        "SELECT event, storyline FROM story_members WHERE doc_id = ?", (doc_id,)
    ).fetchone()
    return (row["event"], row["storyline"]) if row else (None, None)


def _members(store: Store) -> list[Any]:
    return store.db.execute(
        "SELECT m.doc_id, m.event, m.storyline, m.seq, d.lang, d.published, d.title "
        "FROM story_members m JOIN documents d ON d.id = m.doc_id WHERE d.current = 1 ORDER BY m.seq"
    ).fetchall()


def title_entities(store: Store, storyline: str) -> list[tuple[str, dict[str, str]]]:
    """The :data:`TITLE_ENTITIES` entities in most of a storyline's current documents (PER, ORG, LOC,
    EVT; ties: the most mentioned, then by name): ``(canonical name, names by language)`` each."""
    # documents per entity first (from the index on mentions(doc_id, entity) alone), then the
    # entities' rows for the few hundred entities found, not for each of tens of thousands of mentions
    rows = store.db.execute(
        "SELECT e.name, e.names, x.n FROM (SELECT m.entity, count(DISTINCT m.doc_id) AS n "
        "FROM story_members s JOIN documents d ON d.id = s.doc_id JOIN mentions m ON m.doc_id = s.doc_id "
        "WHERE s.storyline = ? AND d.current = 1 AND m.entity IS NOT NULL GROUP BY m.entity) x "
        "JOIN entities e ON e.id = x.entity WHERE e.type IN ('PER', 'ORG', 'LOC', 'EVT') "
        "ORDER BY x.n DESC, e.mentions DESC, e.name LIMIT ?",
        (storyline, TITLE_ENTITIES),
    ).fetchall()
    return [(r["name"], json.loads(r["names"])) for r in rows]


def join_title(entities: list[tuple[str, dict[str, str]]], lang: str | None) -> str:
    """A storyline's title from its :func:`title_entities`: their names in ``lang`` where known, else
    their canonical names, joined by " · "."""
    return " · ".join((names.get(lang) if lang else None) or name for name, names in entities)


def storyline_title(store: Store, storyline: str, *, lang: str | None = None) -> str:
    """The :data:`TITLE_ENTITIES` entities in most of a storyline's current documents, joined by
    " · " ("" when it has none); their names in ``lang`` where known, else their canonical names."""
    return join_title(title_entities(store, storyline), lang)


def first_title(store: Store, storyline: str) -> str | None:
    """The title of a storyline's first current document (by publication date), None without one."""
    row = store.db.execute(
        "SELECT d.title FROM story_members m JOIN documents d ON d.id = m.doc_id "
        "WHERE m.storyline = ? AND d.current = 1 ORDER BY coalesce(d.published, ''), m.seq LIMIT 1",
        (storyline,),
    ).fetchone()
    return str(row[0]) if row else None


def storyline_name(store: Store, storyline: str, *, lang: str | None = None) -> str:
    """A storyline's title as :func:`list_stories` gives it (:func:`storyline_title`, else its first
    current document's title; its id when it has none), without reading all its documents."""
    return storyline_title(store, storyline, lang=lang) or first_title(store, storyline) or storyline


def list_stories(store: Store, *, level: str | None = None) -> list[Story]:
    """Storylines and event clusters, the largest first; documents in publication order."""
    groups: dict[tuple[str, str], list[Any]] = {}
    storyline_of: dict[str, str] = {}
    for row in _members(store):
        groups.setdefault(("event", row["event"]), []).append(row)
        groups.setdefault(("storyline", row["storyline"]), []).append(row)
        storyline_of[row["event"]] = row["storyline"]
    stories = []
    for (kind, story_id), rows in groups.items():
        if level and kind != level:
            continue
        rows = sorted(rows, key=lambda r: (r["published"] or "", r["seq"]))
        dates = [r["published"] for r in rows if r["published"]]
        languages = Counter(r["lang"] for r in rows)
        docs = tuple(r["doc_id"] for r in rows)
        title = (
            rows[0]["title"] if kind == "event" else (storyline_title(store, story_id) or rows[0]["title"])
        )
        stories.append(
            Story(
                id=story_id,
                level=kind,
                title=title,
                documents=docs,
                languages=tuple(lang for lang, _ in languages.most_common()),
                first_seen=min(dates) if dates else None,
                last_seen=max(dates) if dates else None,
                storyline=storyline_of.get(story_id) if kind == "event" else None,
            )
        )
    return sorted(
        stories, key=lambda s: (s.level != "storyline", -len(s.documents), s.first_seen or "", s.id)
    )
