"""Reads for the REST API (``litopys serve``): a page of documents with filters, one story with its
event clusters, the versions of a document, counts. Each is one or a few indexed queries, so that a
request stays fast on a large store (the other read functions build whole lists)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from litopys.records import Story
from litopys.store.db import Store
from litopys.store.stories import storyline_title

#: the fields of a document in a list (no text: GET /api/documents/{id} has the whole record)
SUMMARY_FIELDS = (
    "id",
    "path",
    "url",
    "title",
    "lang",
    "published",
    "source",
    "version",
    "event_cluster",
    "storyline",
)
_SUMMARY_SQL = (
    "SELECT d.id, d.path, d.url, d.title, d.lang, d.published, d.source, d.version, "
    "m.event AS event_cluster, m.storyline FROM documents d LEFT JOIN story_members m ON m.doc_id = d.id"
)


def document_page(
    store: Store,
    *,
    lang: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    story: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """A page of current documents (:data:`SUMMARY_FIELDS`), the latest published first (undated
    last), and how many pass the filters.

    ``date_from``/``date_to`` compare with the publication date as search does (ISO prefixes:
    "2024", "2024-11", "2024-11-29"; a document dated "2024-11" is in ``date_to="2024-11"``);
    ``story`` is an event cluster or storyline id.
    """
    where, args = document_filters(lang=lang, date_from=date_from, date_to=date_to)
    if story:
        where.append("(m.event = ? OR m.storyline = ?)")
        args += [story, story]
    clause = " WHERE " + " AND ".join(where)
    total = store.db.execute(
        "SELECT count(*) FROM documents d LEFT JOIN story_members m ON m.doc_id = d.id" + clause, args
    ).fetchone()[0]
    rows = store.db.execute(
        _SUMMARY_SQL + clause + " ORDER BY d.published IS NULL, d.published DESC, d.path LIMIT ? OFFSET ?",
        [*args, limit, offset],
    ).fetchall()
    return [dict(r) for r in rows], int(total)


def document_filters(
    *, lang: str | None, date_from: str | None, date_to: str | None
) -> tuple[list[str], list[Any]]:
    """The conditions on current documents ``d`` (and their parameters) of a language and a range of
    publication dates, as :func:`document_page` and :func:`litopys.search.search` filter: ISO
    prefixes, ``date_to`` comparing as a prefix (a document dated "2024-11" is in "2024-11")."""
    where = ["d.current = 1"]
    args: list[Any] = []
    if lang:
        where.append("d.lang = ?")
        args.append(lang)
    if date_from:
        where.append("d.published >= ?")
        args.append(date_from)
    if date_to:
        where.append("substr(d.published, 1, ?) <= ?")
        args += [len(date_to), date_to]
    return where, args


def document_summaries(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """:data:`SUMMARY_FIELDS` of the documents ``ids``, in that order (unknown ids left out)."""
    rows = {
        r["id"]: dict(r)
        for r in store.db.execute(
            _SUMMARY_SQL + " WHERE d.id IN (SELECT value FROM json_each(?))", (json.dumps(ids),)
        )
    }
    return [rows[i] for i in ids if i in rows]


def versions(store: Store, path: str) -> list[dict[str, Any]]:
    """Every stored version of the input at ``path``: id, version, current, ingested_at, oldest first."""
    rows = store.db.execute(
        "SELECT id, version, current, ingested_at FROM documents WHERE path = ? ORDER BY version", (path,)
    )
    return [{**dict(r), "current": bool(r["current"])} for r in rows]


def has_story(store: Store, story_id: str) -> bool:
    """Whether ``story_id`` is an event cluster or a storyline."""
    row = store.db.execute(
        "SELECT 1 FROM story_members WHERE event = ? UNION ALL "
        "SELECT 1 FROM story_members WHERE storyline = ? LIMIT 1",
        (story_id, story_id),
    ).fetchone()
    return row is not None


def get_story(
    store: Store,
    story_id: str,
    *,
    lang: str | None = None,
    title_of: Callable[[str, str | None], str] | None = None,
) -> tuple[Story, list[Story]] | None:
    """An event cluster or storyline as :func:`litopys.store.stories.list_stories` gives it, and for a
    storyline its event clusters (largest first, as there); None for an unknown id. ``lang``: a
    storyline's title names its entities in that language where known; ``title_of(storyline, lang)``
    makes that title (default: :func:`litopys.store.stories.storyline_title`; a cache's instead)."""
    rows = store.db.execute(
        "SELECT m.doc_id, m.event, m.storyline, m.seq, d.lang, d.published, d.title "
        "FROM story_members m JOIN documents d ON d.id = m.doc_id "
        "WHERE (m.event = ? OR m.storyline = ?) AND d.current = 1 ORDER BY m.seq",
        (story_id, story_id),
    ).fetchall()
    if not rows:
        return None
    if rows[0]["storyline"] != story_id:
        return _story("event", story_id, rows, rows[0]["storyline"]), []
    title = title_of(story_id, lang) if title_of else storyline_title(store, story_id, lang=lang)
    clusters: dict[str, list[Any]] = {}
    for row in rows:
        clusters.setdefault(row["event"], []).append(row)
    members = [_story("event", event, members, story_id) for event, members in clusters.items()]
    members.sort(key=lambda s: (-len(s.documents), s.first_seen or "", s.id))
    return _story("storyline", story_id, rows, None, title), members


def story_index(store: Store, *, level: str | None = None) -> list[tuple[str, str]]:
    """``(level, id)`` of every story in the order of :func:`litopys.store.stories.list_stories`:
    storylines first, each level the largest first, then by first publication date and id."""
    parts = [
        f"SELECT '{kind}' AS level, m.{kind} AS id, count(*) AS n, min(d.published) AS first "
        f"FROM story_members m JOIN documents d ON d.id = m.doc_id WHERE d.current = 1 GROUP BY m.{kind}"
        for kind in ("storyline", "event")
        if level in (None, kind)
    ]
    rows = store.db.execute(
        f"SELECT level, id FROM ({' UNION ALL '.join(parts)}) AS listed "
        "ORDER BY level != 'storyline', n DESC, coalesce(first, ''), id"
    )
    return [(r["level"], r["id"]) for r in rows]


def storyline_index(store: Store, *, top_clusters: int = 3) -> list[dict[str, Any]]:
    """Every storyline with current documents, the largest first (then by first publication date and
    id): ``id``, ``documents`` (how many), ``clusters`` (event clusters), ``first_seen`` /
    ``last_seen`` (publication dates), ``languages`` (the most documents first) and
    ``top_clusters``, its ``top_clusters`` largest event clusters (``id``, ``documents``, and the
    ``title`` and ``lang`` of the first document published). Two queries in all, whatever the number
    of storylines: the members with their documents' language and date, then the titles needed."""
    storylines: dict[str, dict[str, Any]] = {}
    clusters: dict[str, dict[str, Any]] = {}
    # story_members first (all of them are read), then each one's document by id
    rows = store.db.execute(
        "SELECT m.doc_id, m.event, m.storyline, m.seq, d.lang, d.published "
        "FROM story_members m CROSS JOIN documents d ON d.id = m.doc_id WHERE d.current = 1"
    )
    for doc_id, event, storyline, seq, lang, published in rows:
        line = storylines.get(storyline)
        if line is None:
            line = storylines[storyline] = {"n": 0, "dates": [], "langs": Counter(), "events": set()}
        line["n"] += 1
        line["langs"][lang] += 1
        line["events"].add(event)
        if published is not None:
            line["dates"].append(published)
        cluster = clusters.get(event)
        first = (published or "", seq)
        if cluster is None:
            clusters[event] = {"n": 1, "storyline": storyline, "first": first, "doc": doc_id}
        else:
            cluster["n"] += 1
            if first < cluster["first"]:
                cluster["first"], cluster["doc"] = first, doc_id
    by_storyline: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for event, cluster in clusters.items():
        by_storyline.setdefault(cluster["storyline"], []).append((event, cluster))
    out = []
    for storyline, line in storylines.items():
        dates = line["dates"]
        ranked = sorted(
            by_storyline.get(storyline, []), key=lambda kv: (-kv[1]["n"], kv[1]["first"][0], kv[0])
        )
        out.append(
            {
                "id": storyline,
                "documents": line["n"],
                "clusters": len(line["events"]),
                "first_seen": min(dates) if dates else None,
                "last_seen": max(dates) if dates else None,
                "languages": [
                    lang for lang, _ in sorted(line["langs"].items(), key=lambda kv: (-kv[1], kv[0]))
                ],
                "top_clusters": [
                    {"id": event, "documents": c["n"], "doc": c["doc"]} for event, c in ranked[:top_clusters]
                ],
            }
        )
    out.sort(key=lambda s: (-s["documents"], s["first_seen"] or "", s["id"]))
    firsts = [c["doc"] for s in out for c in s["top_clusters"]]
    titles = {
        r[0]: (r[1], r[2])
        for r in store.db.execute(
            "SELECT id, title, lang FROM documents WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(firsts),),
        )
    }
    for s in out:
        s["top_clusters"] = [
            {
                "id": c["id"],
                "documents": c["documents"],
                "title": titles[c["doc"]][0],
                "lang": titles[c["doc"]][1],
            }
            for c in s["top_clusters"]
        ]
    return out


def _story(level: str, story_id: str, rows: list[Any], storyline: str | None, title: str = "") -> Story:
    """A story of ``rows`` (its members in placement order), built as ``list_stories`` does."""
    ordered = sorted(rows, key=lambda r: (r["published"] or "", r["seq"]))
    languages = Counter(r["lang"] for r in ordered)  # ties in publication order, as list_stories
    dates = [r["published"] for r in ordered if r["published"]]
    return Story(
        id=story_id,
        level=level,
        title=title or ordered[0]["title"],
        documents=tuple(r["doc_id"] for r in ordered),
        languages=tuple(lang for lang, _ in languages.most_common()),
        first_seen=min(dates) if dates else None,
        last_seen=max(dates) if dates else None,
        storyline=storyline,
    )


def counts(store: Store) -> dict[str, int]:
    """Entities, canonical events, storylines and event clusters in the store."""
    row = store.db.execute(
        "SELECT (SELECT count(*) FROM entities), (SELECT count(*) FROM events), "
        "(SELECT count(DISTINCT storyline) FROM story_members), (SELECT count(DISTINCT event) FROM story_members)"
    ).fetchone()
    return {"entities": row[0], "events": row[1], "storylines": row[2], "event_clusters": row[3]}
