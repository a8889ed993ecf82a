"""A report people can read: the corpus, its storylines, a timeline, the top entities and the
canonical events with their quoted sources, as one self-contained HTML file or as Markdown.

Everything is read with a few aggregate queries (no per-document work), and what is listed is
capped (see the ``MAX_*`` constants; the report says when it is), so a store of 10,000 documents
is reported in seconds. Charts are hand-written SVG (:mod:`litopys.exports.charts`): inlined in the
HTML, written beside the Markdown file. Nothing is fetched: no fonts, scripts or styles from the
network, and no JavaScript.

This module reads the store into the report's model (:func:`build`) and writes it
(:func:`write_report`); the renderings are :mod:`litopys.exports.report_html` and
:mod:`litopys.exports.report_md`, the words and formatting they share
:mod:`litopys.exports.report_format`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from litopys.exports.report_format import LABELS, MAX_CLUSTER_DOCS, render_charts
from litopys.exports.report_html import render_html
from litopys.exports.report_md import render_markdown
from litopys.store import Store
from litopys.store.stories import storyline_title

#: report formats
FORMATS = ("html", "md")
#: storylines listed (the largest)
MAX_STORYLINES = 30
#: event clusters listed per storyline (the largest, shown in publication order)
MAX_CLUSTERS = 10
#: entities listed (in most documents)
MAX_ENTITIES = 50
#: canonical events listed (dated first, in occurrence order)
MAX_EVENTS = 500
#: sources quoted per event
MAX_SOURCES = 6
#: outlets listed in the corpus section
MAX_OUTLETS = 15
#: SQLite host parameters per query (well under its limit)
CHUNK = 500


# -- the model: everything the report shows, read from the store -------------------------------


@dataclass
class Doc:
    id: str
    title: str
    lang: str
    published: str | None
    source: str | None
    url: str | None
    path: str
    seq: int


@dataclass
class Cluster:
    id: str
    docs: list[Doc]

    @property
    def first_seen(self) -> str | None:
        return min((d.published for d in self.docs if d.published), default=None)


@dataclass
class Storyline:
    id: str
    title: str
    documents: int
    languages: list[str]
    first_seen: str | None
    last_seen: str | None
    clusters: list[Cluster]
    more_clusters: int


@dataclass
class Source:
    doc: str
    sentence: str
    trigger: tuple[int, int]  # offsets into ``sentence``
    attributed_to: list[str]
    published: str | None
    lang: str
    title: str
    outlet: str | None
    url: str | None


@dataclass
class Event:
    id: str
    type: str
    date_start: str | None
    date_end: str | None
    granularity: str
    status: str
    summary: str
    languages: list[str]
    first_reported: str | None = None
    sources: list[Source] = field(default_factory=list)
    more_sources: int = 0


@dataclass
class Report:
    db: str
    generated: str
    documents: int
    by_lang: list[tuple[str, int]]
    outlets: list[tuple[str, int]]
    outlet_total: int
    no_outlet: int
    first_published: str | None
    last_published: str | None
    undated_docs: int
    rejected: int
    published_counts: list[tuple[str, str, int]]
    storylines: list[Storyline]
    storyline_total: int
    entities: list[dict[str, Any]]
    entity_total: int
    events: list[Event]
    event_total: int
    event_dated: int
    event_first: str | None
    event_last: str | None
    event_counts: list[tuple[str, str, int]]
    listed_docs: set[str] = field(default_factory=set)


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def _corpus(store: Store) -> dict[str, Any]:
    q = store.db.execute
    where = "FROM documents WHERE current = 1"
    documents, first, last, undated = q(
        f"SELECT count(*), min(published), max(published), count(*) - count(published) {where}"
    ).fetchone()
    outlets = [
        (r[0], r[1])
        for r in q(
            f"SELECT source, count(*) {where} AND coalesce(source, '') != '' GROUP BY source ORDER BY 2 DESC, 1"
        )
    ]
    return {
        "documents": documents,
        "first_published": first,
        "last_published": last,
        "undated_docs": undated,
        "by_lang": [
            (r[0], r[1]) for r in q(f"SELECT lang, count(*) {where} GROUP BY lang ORDER BY 2 DESC, 1")
        ],
        "outlets": outlets[:MAX_OUTLETS],
        "outlet_total": len(outlets),
        "no_outlet": documents - sum(n for _, n in outlets),
        "rejected": q("SELECT count(*) FROM rejected").fetchone()[0],
        "published_counts": [
            (r[0], r[1], r[2])
            for r in q(
                f"SELECT substr(published, 1, 7), lang, count(*) {where} AND published IS NOT NULL GROUP BY 1, 2"
            )
        ],
    }


def _storylines(store: Store, lang: str | None) -> tuple[list[Storyline], int]:
    """The largest storylines with their largest event clusters; one pass over the memberships."""
    rows = store.db.execute(
        "SELECT m.doc_id, m.event, m.storyline, m.seq, d.lang, d.published, d.title, d.source, d.url, d.path "
        "FROM story_members m JOIN documents d ON d.id = m.doc_id WHERE d.current = 1"
    ).fetchall()
    groups: dict[str, dict[str, list[Doc]]] = {}
    for r in rows:
        doc = Doc(
            r["doc_id"], r["title"], r["lang"], r["published"], r["source"], r["url"], r["path"], r["seq"]
        )
        groups.setdefault(r["storyline"], {}).setdefault(r["event"], []).append(doc)

    def size(story_id: str) -> int:
        return sum(len(docs) for docs in groups[story_id].values())

    def first(story_id: str) -> str:
        return min((d.published or "" for docs in groups[story_id].values() for d in docs), default="")

    order = sorted(groups, key=lambda s: (-size(s), first(s), s))
    storylines = []
    for story_id in order[:MAX_STORYLINES]:
        clusters = [
            Cluster(event, sorted(docs, key=lambda d: (d.published or "", d.seq)))
            for event, docs in groups[story_id].items()
        ]
        docs = sorted((d for c in clusters for d in c.docs), key=lambda d: (d.published or "", d.seq))
        dates = [d.published for d in docs if d.published]
        shown = sorted(clusters, key=lambda c: (-len(c.docs), c.first_seen or "", c.id))[:MAX_CLUSTERS]
        shown.sort(key=lambda c: (c.first_seen is None, c.first_seen or "", c.id))
        storylines.append(
            Storyline(
                id=story_id,
                title=storyline_title(store, story_id, lang=lang) or docs[0].title,
                documents=len(docs),
                languages=[lang for lang, _ in Counter(d.lang for d in docs).most_common()],
                first_seen=min(dates) if dates else None,
                last_seen=max(dates) if dates else None,
                clusters=shown,
                more_clusters=len(clusters) - len(shown),
            )
        )
    return storylines, len(groups)


def _entities(store: Store) -> tuple[list[dict[str, Any]], int]:
    rows = store.db.execute(
        "SELECT id, type, name, names, documents, mentions FROM entities "
        "ORDER BY documents DESC, mentions DESC, name LIMIT ?",
        (MAX_ENTITIES,),
    ).fetchall()
    total = store.db.execute("SELECT count(*) FROM entities").fetchone()[0]
    return [{**dict(r), "names": json.loads(r["names"])} for r in rows], total


def _events(store: Store) -> tuple[list[Event], dict[str, Any]]:
    """The first ``MAX_EVENTS`` canonical events in occurrence order, each with its first sources."""
    q = store.db.execute
    total, dated, first, last = q(
        "SELECT count(*), count(date_start), min(date_start), max(date_end) FROM events"
    ).fetchone()
    rows = q(
        "SELECT id, type, date_start, date_end, granularity, status, summary, languages, first_reported FROM events "
        "ORDER BY date_start IS NULL, date_start, coalesce(first_reported, ''), id LIMIT ?",
        (MAX_EVENTS,),
    ).fetchall()
    events = {
        r["id"]: Event(
            id=r["id"],
            type=r["type"],
            date_start=r["date_start"],
            date_end=r["date_end"],
            granularity=r["granularity"],
            status=r["status"],
            summary=r["summary"],
            languages=json.loads(r["languages"]),
            first_reported=r["first_reported"],
        )
        for r in rows
    }
    for ids in _chunks(list(events)):
        marks = ",".join("?" * len(ids))
        sources = q(
            "SELECT * FROM (SELECT e.canonical, e.doc_id, e.start, e.trigger_start, e.trigger_end, e.attributed_to, "
            "substr(d.text, e.start + 1, e.end - e.start) AS sentence, d.published, d.lang, d.title, d.source, "
            "d.url, count(*) OVER w AS n, row_number() OVER (w ORDER BY coalesce(d.published, ''), e.doc_id, "
            f"e.trigger_start) AS k FROM event_mentions e JOIN documents d ON d.id = e.doc_id "
            f"WHERE e.canonical IN ({marks}) WINDOW w AS (PARTITION BY e.canonical)) AS ranked WHERE k <= ? "
            "ORDER BY canonical, k",
            (*ids, MAX_SOURCES),
        )
        for s in sources:
            event = events[s["canonical"]]
            event.more_sources = s["n"] - MAX_SOURCES if s["n"] > MAX_SOURCES else 0
            event.sources.append(
                Source(
                    doc=s["doc_id"],
                    sentence=s["sentence"],
                    trigger=(s["trigger_start"] - s["start"], s["trigger_end"] - s["start"]),
                    attributed_to=json.loads(s["attributed_to"]),
                    published=s["published"],
                    lang=s["lang"],
                    title=s["title"],
                    outlet=s["source"],
                    url=s["url"],
                )
            )
    counts = [
        (r[0], r[1], r[2])
        for r in q(
            "SELECT substr(date_start, 1, 7), type, count(*) FROM events WHERE date_start IS NOT NULL GROUP BY 1, 2"
        )
    ]
    stats = {"total": total, "dated": dated, "first": first, "last": last, "counts": counts}
    return list(events.values()), stats


def build(store: Store, *, lang: str | None = None) -> Report:
    """Read what the report shows from ``store`` (a few aggregate queries, capped lists)."""
    with store.lock:
        corpus = _corpus(store)
        storylines, storyline_total = _storylines(store, lang)
        entities, entity_total = _entities(store)
        events, stats = _events(store)
    report = Report(
        db=store.name,
        generated=datetime.now(UTC).date().isoformat(),
        **corpus,
        storylines=storylines,
        storyline_total=storyline_total,
        entities=entities,
        entity_total=entity_total,
        events=events,
        event_total=stats["total"],
        event_dated=stats["dated"],
        event_first=stats["first"],
        event_last=stats["last"],
        event_counts=stats["counts"],
    )
    report.listed_docs = {d.id for s in storylines for c in s.clusters for d in c.docs[:MAX_CLUSTER_DOCS]}
    return report


# -- entry point ---------------------------------------------------------------------------------


def write_report(store: Store, path: Path, *, fmt: str = "html", lang: str | None = None) -> Path:
    """Write the report of ``store`` to ``path`` and return it.

    ``fmt`` is ``html`` (one self-contained file, charts inlined) or ``md`` (GitHub-flavoured
    Markdown; the charts are written beside it as ``<name>_timeline.svg``, ``<name>_entities.svg``
    and ``<name>_published.svg``). ``lang`` (``uk``, ``ru`` or ``en``) is the language of the
    report's own words and of entity names where known; by default English, canonical names.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; available: {', '.join(FORMATS)}")
    if lang is not None and lang not in LABELS:
        raise ValueError(f"unknown report language {lang!r}; available: {', '.join(LABELS)}")
    labels = LABELS[lang or "en"]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    report = build(store, lang=lang)
    charts = render_charts(report, labels, lang)
    if fmt == "html":
        path.write_text(render_html(report, labels, lang, charts), encoding="utf-8")
        return path
    images = {}
    for name, svg in charts.items():
        image = path.with_name(f"{path.stem}_{name}.svg")
        image.write_text(svg + "\n", encoding="utf-8")
        images[name] = quote(image.name)
    path.write_text(render_markdown(report, labels, lang, images), encoding="utf-8")
    return path
