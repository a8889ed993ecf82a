"""The report's own words (English, Ukrainian, Russian) and the formatting its HTML
(:mod:`litopys.exports.report_html`) and Markdown (:mod:`litopys.exports.report_md`) renderings
share: dates, counts, notes on capped lists and the SVG charts (:mod:`litopys.exports.charts`).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from litopys.exports.charts import bars_svg, palette, timeline_svg

if TYPE_CHECKING:
    from litopys.exports.report import Cluster, Event, Report

#: documents listed per event cluster
MAX_CLUSTER_DOCS = 8
#: entities drawn in the bar chart (of those listed)
MAX_ENTITY_BARS = 15
#: event types with their own colour in the timeline chart (the rest are "other")
TIMELINE_TYPES = 9

#: the report's own words, by language (``lang`` of :func:`~litopys.exports.report.write_report`)
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
        "attribution": "attributed to",
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
        "attribution": "за словами",
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
        "attribution": "по словам",
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
#: entity types' colours (bar chart, entity table)
TYPE_COLOURS = {"PER": "#4e79a7", "LOC": "#59a14f", "ORG": "#f28e2b", "EVT": "#e15759", "PRO": "#b07aa1"}


def event_date(event: Event, labels: dict[str, str]) -> str:
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


def event_group(event: Event, labels: dict[str, str]) -> str:
    """The heading an event is listed under: its month, its year, or "undated"."""
    if not event.date_start:
        return labels["undated"]
    return event.date_start[:4] if event.granularity == "year" else event.date_start[:7]


def counted(labels: dict[str, str], key: str, n: int) -> str:
    """``labels[key]`` for ``n`` (its ``_one`` form when there is one and ``n`` is 1)."""
    if n == 1 and f"{key}_one" in labels:
        return labels[f"{key}_one"]
    return labels[key].format(n=number(n, labels))


def number(n: int, labels: dict[str, str]) -> str:
    """``n`` with its thousands grouped as the report's language writes them."""
    return f"{n:,}".replace(",", labels["thousands"])


def cluster_head(cluster: Cluster, labels: dict[str, str]) -> str:
    dates = sorted(d.published for d in cluster.docs if d.published)
    parts = [labels["cluster"], counted(labels, "n_documents", len(cluster.docs))]
    if dates:
        parts.append(date_span(dates[0], dates[-1]))
    return " · ".join(parts)


def date_span(first: str | None, last: str | None) -> str:
    if not first:
        return "–"
    return first if first == last or not last else f"{first} – {last}"


def entity_name(entity: dict[str, Any], lang: str | None) -> tuple[str, list[str]]:
    """The name shown first (in ``lang`` when known) and the other spellings."""
    names = entity["names"]
    main = (names.get(lang) if lang else None) or entity["name"]
    others = [n for n in dict.fromkeys(names.get(k) for k in ("en", "uk", "ru")) if n and n != main]
    return main, others


def is_link(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("http://", "https://"))


def type_colours(report: Report) -> dict[str, str]:
    totals = Counter[str]()
    for _, category, n in report.event_counts:
        totals[category] += n
    ranked = [c for c, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    if len(ranked) <= TIMELINE_TYPES:
        return palette(ranked)
    return palette([*ranked[: TIMELINE_TYPES - 1], "other"])


def render_charts(report: Report, labels: dict[str, str], lang: str | None) -> dict[str, str]:
    colours = type_colours(report)
    entity_items = []
    for e in report.entities[:MAX_ENTITY_BARS]:
        entity_items.append((entity_name(e, lang)[0], e["documents"], e["type"]))
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


def capped_notes(report: Report, labels: dict[str, str]) -> dict[str, str | None]:
    """The "only the first N are listed" notes, None where nothing was left out."""
    return {
        "storylines": labels["capped_storylines"].format(
            shown=number(len(report.storylines), labels), total=number(report.storyline_total, labels)
        )
        if report.storyline_total > len(report.storylines)
        else None,
        "entities": labels["capped_entities"].format(
            shown=number(len(report.entities), labels), total=number(report.entity_total, labels)
        )
        if report.entity_total > len(report.entities)
        else None,
        "events": labels["capped_events"].format(
            shown=number(len(report.events), labels), total=number(report.event_total, labels)
        )
        if report.event_total > len(report.events)
        else None,
    }


def events_stats(report: Report, labels: dict[str, str]) -> str:
    if not report.event_dated:
        return labels["events_stats_none"].format(total=number(report.event_total, labels))
    return labels["events_stats"].format(
        total=number(report.event_total, labels),
        dated=number(report.event_dated, labels),
        first=report.event_first,
        last=report.event_last,
        undated=number(report.event_total - report.event_dated, labels),
    )
