"""A report people can read: the corpus, its storylines, a timeline, the top entities and the
canonical events with their quoted sources, as one self-contained HTML file or as Markdown.

Everything is read with a few aggregate queries (no per-document work), and what is listed is
capped (see the ``MAX_*`` constants; the report says when it is), so a store of 10,000 documents
is reported in seconds. Charts are hand-written SVG (:mod:`litopys.exports.charts`): inlined in the
HTML, written beside the Markdown file. Nothing is fetched: no fonts, scripts or styles from the
network, and no JavaScript.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from litopys import __version__
from litopys.exports.charts import OTHER_COLOUR, bars_svg, palette, timeline_svg
from litopys.store import Store
from litopys.store.stories import TITLE_ENTITIES

#: report formats
FORMATS = ("html", "md")
#: storylines listed (the largest)
MAX_STORYLINES = 30
#: event clusters listed per storyline (the largest, shown in publication order)
MAX_CLUSTERS = 10
#: documents listed per event cluster
MAX_CLUSTER_DOCS = 8
#: entities listed (in most documents) and drawn in the bar chart
MAX_ENTITIES = 50
MAX_ENTITY_BARS = 15
#: canonical events listed (dated first, in occurrence order)
MAX_EVENTS = 500
#: sources quoted per event
MAX_SOURCES = 6
#: outlets listed in the corpus section
MAX_OUTLETS = 15
#: event types with their own colour in the timeline chart (the rest are "other")
TIMELINE_TYPES = 9
#: SQLite host parameters per query (well under its limit)
CHUNK = 500

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "report": "Chronicle report",
        "generated": "Generated on {date} from {db} by litopys {version}",
        "contents": "Contents",
        "corpus": "Corpus",
        "storylines": "Storylines",
        "timeline": "Timeline",
        "entities": "Top entities",
        "events": "Events",
        "documents": "Documents",
        "n_documents": "{n} documents",
        "n_documents_one": "1 document",
        "languages": "Languages",
        "language": "Language",
        "outlets": "Outlets",
        "outlet": "Outlet",
        "no_outlet": "no outlet given",
        "published": "Published",
        "pub_range": "Publication dates",
        "undated": "undated",
        "first_report": "first report {date}",
        "undated_docs": "{n} without a publication date",
        "rejected": "{n} inputs rejected",
        "first_last": "first seen {first}, last seen {last}",
        "clusters": "{n} event clusters",
        "clusters_one": "1 event cluster",
        "cluster": "Event cluster",
        "more_clusters": "… and {n} smaller event clusters",
        "more_clusters_one": "… and 1 smaller event cluster",
        "more_docs": "… and {n} more documents",
        "more_docs_one": "… and 1 more document",
        "more_sources": "… and {n} more sources",
        "more_sources_one": "… and 1 more source",
        "no_storylines": "No storylines yet (the stories stage has not run).",
        "no_entities": "No entities.",
        "no_events": "No events.",
        "capped_storylines": "The {shown} largest of {total} storylines are listed.",
        "capped_entities": "The {shown} entities found in most documents are listed, of {total}.",
        "capped_events": "{shown} of {total} events are listed, dated ones first; "
        "the full list is in the JSON Lines export.",
        "events_stats": "{total} canonical events: {dated} dated ({first} – {last}), {undated} undated.",
        "events_stats_none": "{total} canonical events, none dated.",
        "name": "Name",
        "type": "Type",
        "mentions": "Mentions",
        "date": "Date",
        "status": "Status",
        "sources": "Sources",
        "attribution": "attributed to",
        "storyline": "Storyline",
        "chart_events": "Canonical events over time, by type (occurrence date)",
        "chart_published": "Documents over time, by language (publication date)",
        "chart_entities": "Entities in most documents",
        "no_dated": "no dated events",
        "no_published": "no publication dates",
        "footer": "Made offline by litopys {version}. Quotes are the source sentences as ingested; an "
        "event's date is when it happened, a source's is when it was published.",
        "thousands": ",",
    },
    "uk": {
        "report": "Хроніка: звіт",
        "generated": "Створено {date} з {db}, litopys {version}",
        "contents": "Зміст",
        "corpus": "Корпус",
        "storylines": "Сюжети",
        "timeline": "Хронологія",
        "entities": "Головні сутності",
        "events": "Події",
        "documents": "Документи",
        "n_documents": "документів: {n}",
        "languages": "Мови",
        "language": "Мова",
        "outlets": "Видання",
        "outlet": "Видання",
        "no_outlet": "видання не вказано",
        "published": "Опубліковано",
        "pub_range": "Дати публікації",
        "undated": "без дати",
        "first_report": "перше повідомлення {date}",
        "undated_docs": "без дати публікації: {n}",
        "rejected": "відхилено вхідних файлів: {n}",
        "first_last": "вперше {first}, востаннє {last}",
        "clusters": "кластерів подій: {n}",
        "cluster": "Кластер подій",
        "more_clusters": "… і ще менших кластерів подій: {n}",
        "more_docs": "… і ще документів: {n}",
        "more_sources": "… і ще джерел: {n}",
        "no_storylines": "Сюжетів ще немає (етап сюжетів не виконувався).",
        "no_entities": "Сутностей немає.",
        "no_events": "Подій немає.",
        "capped_storylines": "Показано {shown} найбільших сюжетів із {total}.",
        "capped_entities": "Показано {shown} сутностей, що трапляються в найбільшій кількості документів, із {total}.",
        "capped_events": "Показано {shown} подій із {total}, спершу датовані; повний перелік — в експорті JSON Lines.",
        "events_stats": "Канонічних подій: {total}; з датою: {dated} ({first} – {last}), без дати: {undated}.",
        "events_stats_none": "Канонічних подій: {total}, жодна не датована.",
        "name": "Назва",
        "type": "Тип",
        "mentions": "Згадки",
        "date": "Дата",
        "status": "Статус",
        "sources": "Джерела",
        "attribution": "за словами",
        "storyline": "Сюжет",
        "chart_events": "Канонічні події в часі, за типом (дата події)",
        "chart_published": "Документи в часі, за мовою (дата публікації)",
        "chart_entities": "Сутності в найбільшій кількості документів",
        "no_dated": "немає датованих подій",
        "no_published": "немає дат публікації",
        "footer": "Створено офлайн, litopys {version}. Цитати — речення джерел у тому вигляді, як їх "
        "прочитано; дата події — коли вона сталася, дата джерела — коли його опубліковано.",
        "thousands": "\u202f",
    },
    "ru": {
        "report": "Хроника: отчёт",
        "generated": "Создано {date} из {db}, litopys {version}",
        "contents": "Содержание",
        "corpus": "Корпус",
        "storylines": "Сюжеты",
        "timeline": "Хронология",
        "entities": "Главные сущности",
        "events": "События",
        "documents": "Документы",
        "n_documents": "документов: {n}",
        "languages": "Языки",
        "language": "Язык",
        "outlets": "Издания",
        "outlet": "Издание",
        "no_outlet": "издание не указано",
        "published": "Опубликовано",
        "pub_range": "Даты публикации",
        "undated": "без даты",
        "first_report": "первое сообщение {date}",
        "undated_docs": "без даты публикации: {n}",
        "rejected": "отклонено входных файлов: {n}",
        "first_last": "впервые {first}, в последний раз {last}",
        "clusters": "кластеров событий: {n}",
        "cluster": "Кластер событий",
        "more_clusters": "… и ещё меньших кластеров событий: {n}",
        "more_docs": "… и ещё документов: {n}",
        "more_sources": "… и ещё источников: {n}",
        "no_storylines": "Сюжетов пока нет (этап сюжетов не выполнялся).",
        "no_entities": "Сущностей нет.",
        "no_events": "Событий нет.",
        "capped_storylines": "Показаны {shown} крупнейших сюжетов из {total}.",
        "capped_entities": "Показаны {shown} сущностей, встречающихся в наибольшем числе документов, из {total}.",
        "capped_events": "Показаны {shown} событий из {total}, сначала датированные; полный список — в экспорте JSON Lines.",
        "events_stats": "Канонических событий: {total}; с датой: {dated} ({first} – {last}), без даты: {undated}.",
        "events_stats_none": "Канонических событий: {total}, ни одно не датировано.",
        "name": "Название",
        "type": "Тип",
        "mentions": "Упоминания",
        "date": "Дата",
        "status": "Статус",
        "sources": "Источники",
        "attribution": "по словам",
        "storyline": "Сюжет",
        "chart_events": "Канонические события во времени, по типу (дата события)",
        "chart_published": "Документы во времени, по языку (дата публикации)",
        "chart_entities": "Сущности в наибольшем числе документов",
        "no_dated": "нет датированных событий",
        "no_published": "нет дат публикации",
        "footer": "Создано офлайн, litopys {version}. Цитаты — предложения источников в том виде, как "
        "они прочитаны; дата события — когда оно произошло, дата источника — когда он опубликован.",
        "thousands": "\u202f",
    },
}
#: section ids, in order, with their label keys
SECTIONS = (
    ("corpus", "corpus"),
    ("storylines", "storylines"),
    ("timeline", "timeline"),
    ("entities", "entities"),
    ("events", "events"),
)
STATUS_COLOURS = {
    "reported": "#616e7c",
    "confirmed": "#2f7d32",
    "denied": "#c62828",
    "planned": "#1e63b5",
    "feared": "#b26a00",
    "alleged": "#8e5a00",
}
TYPE_COLOURS = {"PER": "#4e79a7", "LOC": "#59a14f", "ORG": "#f28e2b", "EVT": "#e15759", "PRO": "#b07aa1"}


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


def _storyline_title(store: Store, story_id: str, lang: str | None) -> str:
    """A storyline's main entities, as ``litopys stories`` names it (names in ``lang`` when known)."""
    rows = store.db.execute(
        "SELECT e.name, e.names, count(DISTINCT m.doc_id) AS n FROM mentions m JOIN entities e ON e.id = m.entity "
        "WHERE m.doc_id IN (SELECT s.doc_id FROM story_members s JOIN documents d ON d.id = s.doc_id "
        "WHERE s.storyline = ? AND d.current = 1) AND e.type IN ('PER', 'ORG', 'LOC', 'EVT') "
        "GROUP BY e.id ORDER BY n DESC, e.mentions DESC, e.name LIMIT ?",
        (story_id, TITLE_ENTITIES),
    ).fetchall()
    return " · ".join((json.loads(r["names"]).get(lang) if lang else None) or r["name"] for r in rows)


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
                title=_storyline_title(store, story_id, lang) or docs[0].title,
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
            f"WHERE e.canonical IN ({marks}) WINDOW w AS (PARTITION BY e.canonical)) WHERE k <= ? "
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
        db=store.path.name,
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


# -- shared formatting ---------------------------------------------------------------------------


def _date(event: Event, labels: dict[str, str]) -> str:
    start, end, granularity = event.date_start, event.date_end, event.granularity
    if not start:
        return labels["undated"]
    if granularity == "year":
        return start[:4]
    if granularity == "month":
        return start[:7]
    if end and end != start:
        return f"{start} – {end[8:] if end[:7] == start[:7] else end}"
    return start


def _event_group(event: Event, labels: dict[str, str]) -> str:
    """The heading an event is listed under: its month, its year, or "undated"."""
    if not event.date_start:
        return labels["undated"]
    return event.date_start[:4] if event.granularity == "year" else event.date_start[:7]


def _n(labels: dict[str, str], key: str, n: int) -> str:
    """``labels[key]`` for ``n`` (its ``_one`` form when there is one and ``n`` is 1)."""
    if n == 1 and f"{key}_one" in labels:
        return labels[f"{key}_one"]
    return labels[key].format(n=_num(n, labels))


def _num(n: int, labels: dict[str, str]) -> str:
    """``n`` with its thousands grouped as the report's language writes them."""
    return f"{n:,}".replace(",", labels["thousands"])


def _cluster_head(cluster: Cluster, labels: dict[str, str]) -> str:
    dates = sorted(d.published for d in cluster.docs if d.published)
    parts = [labels["cluster"], _n(labels, "n_documents", len(cluster.docs))]
    if dates:
        parts.append(_span(dates[0], dates[-1]))
    return " · ".join(parts)


def _span(first: str | None, last: str | None) -> str:
    if not first:
        return "–"
    return first if first == last or not last else f"{first} – {last}"


def _entity_name(entity: dict[str, Any], lang: str | None) -> tuple[str, list[str]]:
    """The name shown first (in ``lang`` when known) and the other spellings."""
    names = entity["names"]
    main = (names.get(lang) if lang else None) or entity["name"]
    others = [n for n in dict.fromkeys(names.get(k) for k in ("en", "uk", "ru")) if n and n != main]
    return main, others


def _is_link(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("http://", "https://"))


def _type_colours(report: Report) -> dict[str, str]:
    totals = Counter[str]()
    for _, category, n in report.event_counts:
        totals[category] += n
    ranked = [c for c, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    if len(ranked) <= TIMELINE_TYPES:
        return palette(ranked)
    return palette([*ranked[: TIMELINE_TYPES - 1], "other"])


def _charts(report: Report, labels: dict[str, str], lang: str | None) -> dict[str, str]:
    colours = _type_colours(report)
    entity_items = []
    for e in report.entities[:MAX_ENTITY_BARS]:
        entity_items.append((_entity_name(e, lang)[0], e["documents"], e["type"]))
    return {
        "timeline": timeline_svg(
            report.event_counts,
            title=labels["chart_events"],
            max_categories=TIMELINE_TYPES,
            colours=colours,
            empty=labels["no_dated"],
        ),
        "published": timeline_svg(
            report.published_counts, title=labels["chart_published"], height=240, empty=labels["no_published"]
        ),
        "entities": bars_svg(
            entity_items,
            title=labels["chart_entities"],
            colours={k: v for k, v in TYPE_COLOURS.items() if any(t == k for _, _, t in entity_items)},
        ),
    }


def _notes(report: Report, labels: dict[str, str]) -> dict[str, str | None]:
    """The "only the first N are listed" notes, None where nothing was left out."""
    return {
        "storylines": labels["capped_storylines"].format(
            shown=_num(len(report.storylines), labels), total=_num(report.storyline_total, labels)
        )
        if report.storyline_total > len(report.storylines)
        else None,
        "entities": labels["capped_entities"].format(
            shown=_num(len(report.entities), labels), total=_num(report.entity_total, labels)
        )
        if report.entity_total > len(report.entities)
        else None,
        "events": labels["capped_events"].format(
            shown=_num(len(report.events), labels), total=_num(report.event_total, labels)
        )
        if report.event_total > len(report.events)
        else None,
    }


def _events_stats(report: Report, labels: dict[str, str]) -> str:
    if not report.event_dated:
        return labels["events_stats_none"].format(total=_num(report.event_total, labels))
    return labels["events_stats"].format(
        total=_num(report.event_total, labels),
        dated=_num(report.event_dated, labels),
        first=report.event_first,
        last=report.event_last,
        undated=_num(report.event_total - report.event_dated, labels),
    )


# -- HTML ----------------------------------------------------------------------------------------

CSS = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#e4e7eb; --soft:#f5f7fa; --accent:#4e79a7; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--soft); color: var(--ink);
  font: 15px/1.55 "Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
a { color: #1e63b5; text-decoration: none; } a:hover { text-decoration: underline; }
.wrap { max-width: 1080px; margin: 0 auto; padding: 0 28px; }
header.top { background: #1f2933; color: #fff; padding: 30px 0 26px; }
header.top h1 { margin: 0; font-size: 30px; font-weight: 650; letter-spacing: -0.01em; }
header.top .sub { color: #cbd2d9; font-size: 14px; margin-top: 4px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-top: 22px; }
.card { background: rgba(255,255,255,0.07); border: 1px solid rgba(255,255,255,0.12); border-radius: 8px;
  padding: 10px 14px; }
.card b { display: block; font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card span { color: #cbd2d9; font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; }
nav.toc { background: #fff; border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
nav.toc ol { list-style: none; margin: 0 auto; padding: 0 28px; max-width: 1080px; display: flex; flex-wrap: wrap; gap: 4px 22px; }
nav.toc li { padding: 10px 0; font-size: 14px; font-weight: 600; }
nav.toc .n { color: var(--muted); font-weight: 400; margin-right: 4px; }
main { padding: 8px 0 24px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 22px 26px; margin: 20px 0; }
h2 { font-size: 21px; margin: 0 0 14px; padding-bottom: 8px; border-bottom: 2px solid var(--line); font-weight: 650; }
h3 { font-size: 17px; margin: 0 0 2px; font-weight: 650; }
h4 { font-size: 13px; margin: 18px 0 6px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.06em; }
p.note { color: var(--muted); font-size: 13px; margin: 6px 0 12px; }
p.meta, .meta { color: var(--muted); font-size: 13px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.05em; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) td { background: #fafbfc; }
figure { margin: 16px 0 4px; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid var(--line); border-radius: 8px; }
.lang { display: inline-block; font: 600 11px/1.6 "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #e4e7eb;
  color: #323f4b; padding: 0 6px; border-radius: 4px; text-transform: uppercase; }
.pill { display: inline-block; font-size: 12px; font-weight: 600; padding: 0 8px; border-radius: 10px;
  border: 1px solid currentColor; line-height: 1.6; }
.type { display: inline-flex; align-items: center; gap: 6px; font: 600 12px/1.6 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.type i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; }
.alt { color: var(--muted); font-size: 13px; }
code, .path { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; color: var(--muted); }
.story { border-top: 1px solid var(--line); padding: 18px 0 6px; }
.story:first-of-type { border-top: 0; padding-top: 4px; }
.story h3 .rank { color: var(--muted); font-weight: 400; margin-right: 6px; }
.cluster { border-left: 3px solid var(--accent); margin: 12px 0 0 2px; padding: 2px 0 2px 14px; }
.cluster .head { font-size: 11px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: 0.06em; }
.cluster ul { list-style: none; margin: 4px 0 0; padding: 0; }
.cluster li { padding: 3px 0; font-size: 14px; }
.cluster li .when { color: var(--muted); font-variant-numeric: tabular-nums; margin: 0 6px; }
.month { margin: 22px 0 4px; font-size: 15px; color: var(--accent); font-weight: 700; }
.event { display: grid; grid-template-columns: 140px 1fr; gap: 16px; padding: 12px 0; border-top: 1px solid var(--line); }
.event .date { font-weight: 650; font-variant-numeric: tabular-nums; }
.event .date.undated { font-weight: 600; color: var(--muted); }
.event .date .meta { font-weight: 400; font-size: 12px; }
.event .summary { font-size: 15px; margin: 4px 0 6px; }
.src { margin: 8px 0 0; }
blockquote { margin: 0; padding: 6px 12px; border-left: 3px solid #cbd2d9; background: var(--soft); color: #323f4b;
  border-radius: 0 6px 6px 0; font-size: 14px; }
mark { background: #ffe8a3; color: inherit; padding: 0 2px; border-radius: 2px; }
.src .meta { margin-top: 3px; }
.chain { color: #323f4b; }
footer { color: var(--muted); font-size: 12px; padding: 4px 0 36px; }
@media (max-width: 760px) { .grid2 { grid-template-columns: 1fr; } .event { grid-template-columns: 1fr; gap: 2px; } }
@media print {
  body { background: #fff; } nav.toc { position: static; }
  header.top { background: #fff; color: #000; } header.top .sub, .card span { color: #444; }
  section { border: 0; padding: 0; } .event, .story { break-inside: avoid; }
}
"""


def _h(text: Any) -> str:
    return escape(str(text), quote=True)


def _a(text: str, url: str | None) -> str:
    return f'<a href="{_h(url)}">{_h(text)}</a>' if url and _is_link(url) else _h(text)


def _quote_html(source: Source) -> str:
    s, (a, b) = source.sentence, source.trigger
    if 0 <= a < b <= len(s):
        return f"{_h(s[:a])}<mark>{_h(s[a:b])}</mark>{_h(s[b:])}"
    return _h(s)


def _doc_ref_html(report: Report, doc: str, title: str, url: str | None) -> str:
    if doc in report.listed_docs:
        return f'<a href="#doc-{_h(doc)}">{_h(title)}</a>'
    return _a(title, url)


def _html(report: Report, labels: dict[str, str], lang: str | None, charts: dict[str, str]) -> str:
    L = labels
    notes = _notes(report, labels)
    colours = _type_colours(report)
    out: list[str] = []
    w = out.append
    w("<!DOCTYPE html>")
    w(f'<html lang="{_h(lang or "en")}">')
    w('<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">')
    w(f'<meta name="generator" content="litopys {_h(__version__)}">')
    w(f"<title>{_h(L['report'])} — {_h(report.db)}</title>\n<style>{CSS}</style>\n</head>\n<body>")

    # header with summary cards
    w('<header class="top"><div class="wrap">')
    w(f"<h1>{_h(L['report'])}</h1>")
    sub = L["generated"].format(date=report.generated, db=report.db, version=__version__)
    w(f'<div class="sub">{_h(sub)}</div>')
    w('<div class="cards">')
    langs = " · ".join(lg for lg, _ in report.by_lang) or "–"
    cards = [
        (_num(report.documents, L), L["documents"]),
        (langs, L["languages"]),
        (_num(report.outlet_total, L), L["outlets"]),
        (_span(report.first_published, report.last_published), L["published"]),
        (_num(report.storyline_total, L), L["storylines"]),
        (_num(report.event_total, L), L["events"]),
    ]
    for value, label in cards:
        size = ' style="font-size:17px"' if len(str(value)) > 12 else ""
        w(f'<div class="card"><b{size}>{_h(value)}</b><span>{_h(label)}</span></div>')
    w("</div></div></header>")

    # table of contents
    w(f'<nav class="toc" aria-label="{_h(L["contents"])}"><ol>')
    for i, (anchor, key) in enumerate(SECTIONS, 1):
        w(f'<li><span class="n">{i}.</span><a href="#{anchor}">{_h(L[key])}</a></li>')
    w("</ol></nav>")
    w('<main class="wrap">')

    # corpus
    w(f'<section id="corpus"><h2>{_h(L["corpus"])}</h2>')
    facts = [_n(L, "n_documents", report.documents)]
    if report.undated_docs:
        facts.append(L["undated_docs"].format(n=_num(report.undated_docs, L)))
    if report.rejected:
        facts.append(L["rejected"].format(n=_num(report.rejected, L)))
    w(f'<p class="meta">{_h(" · ".join(facts))}</p>')
    w('<div class="grid2"><div>')
    w(
        f'<table><thead><tr><th>{_h(L["language"])}</th><th class="num">{_h(L["documents"])}</th></tr></thead><tbody>'
    )
    for lg, n in report.by_lang:
        w(f'<tr><td><span class="lang">{_h(lg)}</span></td><td class="num">{_num(n, L)}</td></tr>')
    w("</tbody></table></div><div>")
    w(
        f'<table><thead><tr><th>{_h(L["outlet"])}</th><th class="num">{_h(L["documents"])}</th></tr></thead><tbody>'
    )
    for outlet, n in report.outlets:
        w(f'<tr><td>{_h(outlet)}</td><td class="num">{_num(n, L)}</td></tr>')
    if report.outlet_total > len(report.outlets):
        rest = report.documents - report.no_outlet - sum(n for _, n in report.outlets)
        w(
            f'<tr><td class="alt">+{report.outlet_total - len(report.outlets)}</td><td class="num">{_num(rest, L)}</td></tr>'
        )
    if report.no_outlet:
        w(
            f'<tr><td class="alt">{_h(L["no_outlet"])}</td><td class="num">{_num(report.no_outlet, L)}</td></tr>'
        )
    w("</tbody></table></div></div>")
    w(f"<figure>{charts['published']}</figure>")
    w("</section>")

    # storylines
    w(f'<section id="storylines"><h2>{_h(L["storylines"])}</h2>')
    if notes["storylines"]:
        w(f'<p class="note">{_h(notes["storylines"])}</p>')
    if not report.storylines:
        w(f'<p class="note">{_h(L["no_storylines"])}</p>')
    for rank, story in enumerate(report.storylines, 1):
        w(f'<div class="story" id="{_h(story.id)}">')
        w(f'<h3><span class="rank">{rank}.</span>{_h(story.title)}</h3>')
        langs = " ".join(f'<span class="lang">{_h(lg)}</span>' for lg in story.languages)
        n_clusters = len(story.clusters) + story.more_clusters
        meta = [
            _h(_n(L, "n_documents", story.documents)),
            langs,
            _h(L["first_last"].format(first=story.first_seen or "–", last=story.last_seen or "–")),
            _h(_n(L, "clusters", n_clusters)),
            f"<code>{_h(story.id)}</code>",
        ]
        w(f'<p class="meta">{" · ".join(meta)}</p>')
        for cluster in story.clusters:
            w('<div class="cluster">')
            w(f'<div class="head">{_h(_cluster_head(cluster, L))}</div><ul>')
            for doc in cluster.docs[:MAX_CLUSTER_DOCS]:
                outlet = f" · {_h(doc.source)}" if doc.source else ""
                where = _a(doc.url or "", doc.url) if doc.url else f'<span class="path">{_h(doc.path)}</span>'

                w(
                    f'<li id="doc-{_h(doc.id)}"><span class="lang">{_h(doc.lang)}</span>'
                    f'<span class="when">{_h(doc.published or L["undated"])}</span>'
                    f"{_a(doc.title, doc.url)}"
                    f'<div class="meta">{where}{outlet}</div></li>'
                )
            if len(cluster.docs) > MAX_CLUSTER_DOCS:
                w(f'<li class="alt">{_h(_n(L, "more_docs", len(cluster.docs) - MAX_CLUSTER_DOCS))}</li>')
            w("</ul></div>")
        if story.more_clusters:
            w(f'<p class="note">{_h(_n(L, "more_clusters", story.more_clusters))}</p>')
        w("</div>")
    w("</section>")

    # timeline
    w(f'<section id="timeline"><h2>{_h(L["timeline"])}</h2>')
    w(f'<p class="meta">{_h(_events_stats(report, labels))}</p>')
    w(f"<figure>{charts['timeline']}</figure>")
    w("</section>")

    # entities
    w(f'<section id="entities"><h2>{_h(L["entities"])}</h2>')
    if notes["entities"]:
        w(f'<p class="note">{_h(notes["entities"])}</p>')
    if not report.entities:
        w(f'<p class="note">{_h(L["no_entities"])}</p>')
    else:
        w(f"<figure>{charts['entities']}</figure>")
        w(
            f'<table><thead><tr><th class="num">#</th><th>{_h(L["name"])}</th><th>{_h(L["type"])}</th>'
            f'<th class="num">{_h(L["documents"])}</th><th class="num">{_h(L["mentions"])}</th></tr></thead><tbody>'
        )
        for i, entity in enumerate(report.entities, 1):
            main, others = _entity_name(entity, lang)
            alt = f' <span class="alt">{_h(" · ".join(others))}</span>' if others else ""
            colour = TYPE_COLOURS.get(entity["type"], OTHER_COLOUR)
            w(
                f'<tr><td class="num">{i}</td><td><b>{_h(main)}</b>{alt}</td>'
                f'<td><span class="type"><i style="background:{colour}"></i>{_h(entity["type"])}</span></td>'
                f'<td class="num">{_num(entity["documents"], L)}</td><td class="num">{_num(entity["mentions"], L)}</td></tr>'
            )
        w("</tbody></table>")
    w("</section>")

    # events
    w(f'<section id="events"><h2>{_h(L["events"])}</h2>')
    if notes["events"]:
        w(f'<p class="note">{_h(notes["events"])}</p>')
    if not report.events:
        w(f'<p class="note">{_h(L["no_events"])}</p>')
    group = None
    for event in report.events:
        heading = _event_group(event, labels)
        if heading != group:
            group = heading
            w(f'<h3 class="month">{_h(heading)}</h3>')
        colour = colours.get(event.type, OTHER_COLOUR)
        status = STATUS_COLOURS.get(event.status, "#616e7c")
        w(f'<article class="event" id="{_h(event.id)}">')
        if event.date_start or not event.first_reported:
            w(f'<div class="date">{_h(_date(event, labels))}</div><div>')
        else:
            first = L["first_report"].format(date=event.first_reported)
            w(f'<div class="date undated">{_h(L["undated"])}<div class="meta">{_h(first)}</div></div><div>')
        w(
            f'<span class="type"><i style="background:{colour}"></i>{_h(event.type)}</span> '
            f'<span class="pill" style="color:{status}">{_h(event.status)}</span> '
            + " ".join(f'<span class="lang">{_h(lg)}</span>' for lg in event.languages)
        )
        w(f'<div class="summary">{_h(event.summary)}</div>')
        for src in event.sources:
            meta = [
                _h(src.outlet) if src.outlet else "",
                f'<span class="lang">{_h(src.lang)}</span>',
                _h(src.published or L["undated"]),
                _doc_ref_html(report, src.doc, src.title, src.url),
            ]
            if src.attributed_to:
                chain = " ← ".join(_h(a) for a in src.attributed_to)
                meta.append(f'{_h(L["attribution"])}: <span class="chain">{chain}</span>')
            w(
                f'<div class="src"><blockquote>{_quote_html(src)}</blockquote>'
                f'<div class="meta">{" · ".join(m for m in meta if m)}</div></div>'
            )
        if event.more_sources:
            w(f'<p class="note">{_h(_n(L, "more_sources", event.more_sources))}</p>')
        w("</div></article>")
    w("</section>")
    w("</main>")
    w(f'<footer class="wrap">{_h(L["footer"].format(version=__version__))}</footer>')
    w("</body>\n</html>\n")
    return "\n".join(out)


# -- Markdown ------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _m(text: Any) -> str:
    """``text`` with Markdown's special characters escaped, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _md_link(text: str, url: str | None) -> str:
    return f"[{_m(text)}](<{url}>)" if url and _is_link(url) else _m(text)


def _quote_md(source: Source) -> str:
    s, (a, b) = source.sentence, source.trigger
    if 0 <= a < b <= len(s):
        return f"{_m(s[:a])} **{_m(s[a:b])}** {_m(s[b:])}".replace("  ", " ").strip()
    return _m(s)


def _first_report_md(event: Event, labels: dict[str, str]) -> str:
    if event.date_start or not event.first_reported:
        return ""
    return f" ({_m(labels['first_report'].format(date=event.first_reported))})"


def _markdown(report: Report, labels: dict[str, str], lang: str | None, images: dict[str, str]) -> str:
    L = labels
    notes = _notes(report, labels)
    out: list[str] = []
    w = out.append
    w(f"# {_m(L['report'])}\n")
    w(_m(L["generated"].format(date=report.generated, db=report.db, version=__version__)) + "\n")
    langs = ", ".join(lg for lg, _ in report.by_lang) or "–"
    w(
        f"| {_m(L['documents'])} | {_m(L['languages'])} | {_m(L['outlets'])} | {_m(L['pub_range'])} | "
        f"{_m(L['storylines'])} | {_m(L['events'])} |"
    )
    w("|---:|---|---:|---|---:|---:|")
    w(
        f"| {_num(report.documents, L)} | {_m(langs)} | {_num(report.outlet_total, L)} | "
        f"{_m(_span(report.first_published, report.last_published))} | {_num(report.storyline_total, L)} | "
        f"{_num(report.event_total, L)} |\n"
    )
    w(f"## {_m(L['contents'])}\n")
    for i, (_, key) in enumerate(SECTIONS, 1):
        w(f"{i}. [{_m(L[key])}](#{_slug(L[key])})")
    w("")

    # corpus
    w(f"## {_m(L['corpus'])}\n")
    facts = [_n(L, "n_documents", report.documents)]
    if report.undated_docs:
        facts.append(L["undated_docs"].format(n=_num(report.undated_docs, L)))
    if report.rejected:
        facts.append(L["rejected"].format(n=_num(report.rejected, L)))
    w(_m(" · ".join(facts)) + "\n")
    w(f"| {_m(L['language'])} | {_m(L['documents'])} |\n|---|---:|")
    for lg, n in report.by_lang:
        w(f"| `{lg}` | {_num(n, L)} |")
    w("")
    w(f"| {_m(L['outlet'])} | {_m(L['documents'])} |\n|---|---:|")
    for outlet, n in report.outlets:
        w(f"| {_m(outlet)} | {_num(n, L)} |")
    if report.outlet_total > len(report.outlets):
        rest = report.documents - report.no_outlet - sum(n for _, n in report.outlets)
        w(f"| +{report.outlet_total - len(report.outlets)} | {_num(rest, L)} |")
    if report.no_outlet:
        w(f"| *{_m(L['no_outlet'])}* | {_num(report.no_outlet, L)} |")
    w("")
    w(f"![{_m(L['chart_published'])}]({images['published']})\n")

    # storylines
    w(f"## {_m(L['storylines'])}\n")
    if notes["storylines"]:
        w(f"*{_m(notes['storylines'])}*\n")
    if not report.storylines:
        w(f"*{_m(L['no_storylines'])}*\n")
    for rank, story in enumerate(report.storylines, 1):
        w(f"### {rank}. {_m(story.title)}\n")
        meta = [
            _m(_n(L, "n_documents", story.documents)),
            ", ".join(f"`{lg}`" for lg in story.languages),
            _m(L["first_last"].format(first=story.first_seen or "–", last=story.last_seen or "–")),
            _m(_n(L, "clusters", len(story.clusters) + story.more_clusters)),
            f"`{story.id}`",
        ]
        w(" · ".join(meta) + "\n")
        for cluster in story.clusters:
            w(f"- *{_m(_cluster_head(cluster, L))}*")
            for doc in cluster.docs[:MAX_CLUSTER_DOCS]:
                where = f"<{doc.url}>" if _is_link(doc.url) else f"`{doc.path}`"
                outlet = f" · {_m(doc.source)}" if doc.source else ""
                w(
                    f"  - `{doc.lang}` {_m(doc.published or L['undated'])} · {_md_link(doc.title, doc.url)}{outlet} · {where}"
                )
            if len(cluster.docs) > MAX_CLUSTER_DOCS:
                w(f"  - *{_m(_n(L, 'more_docs', len(cluster.docs) - MAX_CLUSTER_DOCS))}*")
        if story.more_clusters:
            w(f"- *{_m(_n(L, 'more_clusters', story.more_clusters))}*")
        w("")

    # timeline
    w(f"## {_m(L['timeline'])}\n")
    w(_m(_events_stats(report, labels)) + "\n")
    w(f"![{_m(L['chart_events'])}]({images['timeline']})\n")

    # entities
    w(f"## {_m(L['entities'])}\n")
    if notes["entities"]:
        w(f"*{_m(notes['entities'])}*\n")
    if not report.entities:
        w(f"*{_m(L['no_entities'])}*\n")
    else:
        w(f"![{_m(L['chart_entities'])}]({images['entities']})\n")
        w(f"| # | {_m(L['name'])} | {_m(L['type'])} | {_m(L['documents'])} | {_m(L['mentions'])} |")
        w("|---:|---|---|---:|---:|")
        for i, entity in enumerate(report.entities, 1):
            main, others = _entity_name(entity, lang)
            alt = f" ({_m(' · '.join(others))})" if others else ""
            w(
                f"| {i} | **{_m(main)}**{alt} | `{entity['type']}` | {_num(entity['documents'], L)} | {_num(entity['mentions'], L)} |"
            )
        w("")

    # events
    w(f"## {_m(L['events'])}\n")
    if notes["events"]:
        w(f"*{_m(notes['events'])}*\n")
    if not report.events:
        w(f"*{_m(L['no_events'])}*\n")
    group = None
    for event in report.events:
        heading = _event_group(event, labels)
        if heading != group:
            group = heading
            w(f"### {_m(heading)}\n")
        langs = " ".join(f"`{lg}`" for lg in event.languages)
        w(
            f"- **{_m(_date(event, labels))}**{_first_report_md(event, L)} · `{event.type}` · *{_m(event.status)}* · {langs} — {_m(event.summary)}"
        )
        for src in event.sources:
            meta = [
                _m(src.outlet) if src.outlet else "",
                f"`{src.lang}`",
                _m(src.published or L["undated"]),
                _md_link(src.title, src.url),
            ]
            if src.attributed_to:
                meta.append(f"{_m(L['attribution'])}: " + " ← ".join(_m(a) for a in src.attributed_to))
            w(f"  > {_quote_md(src)}")
            w("  >")
            w(f"  > — {' · '.join(m for m in meta if m)}\n")
        if event.more_sources:
            w(f"  *{_m(_n(L, 'more_sources', event.more_sources))}*\n")
    w("---\n")
    w(f"*{_m(L['footer'].format(version=__version__))}*")
    return "\n".join(out) + "\n"


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
    charts = _charts(report, labels, lang)
    if fmt == "html":
        path.write_text(_html(report, labels, lang, charts), encoding="utf-8")
        return path
    images = {}
    for name, svg in charts.items():
        image = path.with_name(f"{path.stem}_{name}.svg")
        image.write_text(svg + "\n", encoding="utf-8")
        images[name] = quote(image.name)
    path.write_text(_markdown(report, labels, lang, images), encoding="utf-8")
    return path
