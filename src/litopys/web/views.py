"""Plain values for the templates: events with their participants named in the UI language, type
colours, date labels, timelines and the highlighted text of documents, sources and snippets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from litopys.search import Hit
from litopys.store import Store
from litopys.store.entities import document_mentions
from litopys.web import i18n, queries
from litopys.web.text import Run, Segment, Span, highlight, runs
from litopys.web.timeline import Timeline, layout

#: event types with a colour of their own on a page (the rest share grey: CSS class "cx")
COLOURS = 9


def type_colours(types: Iterable[str]) -> dict[str, str]:
    """A CSS colour class per event type, the most frequent first ("c0" … "c8", then "cx")."""
    ranked = Counter(types).most_common()
    return {
        t: (f"c{i}" if i < COLOURS else "cx")
        for i, (t, _) in enumerate(sorted(ranked, key=lambda kv: (-kv[1], kv[0])))
    }


def date_label(ev: Mapping[str, Any]) -> str | None:
    """An event's occurrence date as the text gives it: a day, a month, a year or a range; None: undated."""
    start, end, granularity = ev["date"]["start"], ev["date"]["end"], ev["date"]["granularity"]
    if not start:
        return None
    if granularity == "month":
        return str(start)[:7] if not end or str(end)[:7] == str(start)[:7] else f"{start[:7]} – {end[:7]}"
    if granularity == "year":
        return str(start)[:4] if not end or str(end)[:4] == str(start)[:4] else f"{start[:4]} – {end[:4]}"
    return str(start) if not end or end == start else f"{start} – {end}"


def _entity_ref(names: Mapping[str, Mapping[str, str]], entity_id: str | None) -> dict[str, str] | None:
    if not entity_id:
        return None
    found = names.get(entity_id)
    return {
        "id": entity_id,
        "name": found["name"] if found else entity_id,
        "type": found["type"] if found else "",
    }


def event_views(
    store: Store, events: Sequence[Mapping[str, Any]], *, ui: str, colours: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Events for the templates: participants named in the UI language, labels, colour class."""
    ids = [i for ev in events for i in (*ev["actors"], *ev["targets"], ev["location"]) if i]
    names = queries.entity_names(store, ids, ui=ui)
    colours = colours if colours is not None else type_colours(ev["type"] for ev in events)
    t = i18n.strings(ui)
    views = []
    for ev in events:
        actors = [r for r in (_entity_ref(names, i) for i in ev["actors"]) if r]
        targets = [r for r in (_entity_ref(names, i) for i in ev["targets"]) if r]
        location = _entity_ref(names, ev["location"])
        type_label = i18n.event_type_label(ui, ev["type"])
        when = date_label(ev)
        who = ", ".join(a["name"] for a in actors) or t["unknown_actor"]
        whom = f" → {', '.join(a['name'] for a in targets)}" if targets else ""
        views.append(
            {
                **ev,
                "type_label": type_label,
                "status_label": i18n.status_label(ui, ev["status"]),
                "colour": colours.get(ev["type"], "cx"),
                "when": when,
                "actors_ref": actors,
                "targets_ref": targets,
                "location_ref": location,
                "label": f"{when or t['undated']} · {type_label}: {who}{whom}",
                "n_sources": len(ev["sources"]) if isinstance(ev["sources"], list) else ev["sources"],
            }
        )
    return views


def legend(views: Sequence[Mapping[str, Any]], ui: str) -> list[dict[str, Any]]:
    """The event types of some events, the most frequent first: type, label, colour class, count."""
    counts = Counter(v["type"] for v in views)
    colour = {v["type"]: v["colour"] for v in views}
    return [
        {"type": t, "label": i18n.event_type_label(ui, t), "colour": colour[t], "count": n}
        for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def timeline(views: Sequence[Mapping[str, Any]], *, only: str | None) -> Timeline | None:
    types = {v["type"] for v in views}
    return layout(
        views,
        colours={v["type"]: v["colour"] for v in views},
        labels={v["id"]: v["label"] for v in views},
        off=frozenset(t for t in types if only and t != only),
    )


def source_views(store: Store, ev: Mapping[str, Any], *, ui: str) -> list[dict[str, Any]]:
    """An event's sources, each with its document's metadata and the sentence as segments, the
    trigger marked (its offsets are into the document text; the sentence starts at ``start``)."""
    docs = queries.documents(store, (s["document"] for s in ev["sources"]))
    out = []
    for src in ev["sources"]:
        sentence: str = src["sentence"] or ""
        a, b = src["trigger"][0] - src["start"], src["trigger"][1] - src["start"]
        marks = [(a, b)] if 0 <= a < b <= len(sentence) else []
        doc = docs.get(src["document"], {})
        out.append(
            {
                **src,
                "segments": highlight(sentence, marks, kind="trigger"),
                "trigger_text": sentence[a:b] if marks else "",
                "status_label": i18n.status_label(ui, src["status"]),
                "outlet": doc.get("outlet"),
                "url": doc.get("url") if queries.is_web_link(doc.get("url")) else None,
                "href": f"/documents/{src['document']}?hl={src['start']}-{src['end']}#cited",
            }
        )
    return out


def snippet(hit: Hit) -> list[Segment]:
    return highlight(hit.snippet, hit.highlights)


def document_text(
    store: Store, doc: Mapping[str, Any], *, ui: str, cited: tuple[int, int] | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """A document's paragraphs as runs of segments (names and triggers marked, the cited range apart),
    its names (entity, count) and its event mentions, for the document page."""
    text: str = doc["text"]
    mentions = document_mentions(store, doc["id"])
    names = queries.entity_names(store, (m["entity"] for m in mentions if m["entity"]), ui=ui)
    triggers = queries.event_mentions(store, doc["id"])
    spans = [
        Span(
            m["start"],
            m["end"],
            "entity",
            href=f"/entities/{m['entity']}" if m["entity"] else None,
            title=" · ".join(
                x
                for x in (names.get(m["entity"] or "", {}).get("name"), i18n.entity_type_label(ui, m["type"]))
                if x
            ),
            cls=f"ent-{m['type']}",
        )
        for m in mentions
    ]
    spans += [
        Span(
            e["trigger_start"],
            e["trigger_end"],
            "trigger",
            href=f"/events/{e['canonical']}" if e["canonical"] else None,
            title=i18n.event_type_label(ui, e["type"]),
        )
        for e in triggers
    ]
    paragraphs = doc["paragraphs"] or [{"start": 0, "end": len(text), "lang": doc["lang"]}]
    out: list[dict[str, Any]] = []
    for i, p in enumerate(paragraphs):
        found: list[Run] = runs(text, spans, start=p["start"], end=p["end"], cited=cited)
        out.append(
            {"title": i == 0 and len(paragraphs) > 1, "lang": p.get("lang") or doc["lang"], "runs": found}
        )
    counts = Counter(m["entity"] for m in mentions if m["entity"])
    entities = [
        {"id": e, "name": names[e]["name"], "type": names[e]["type"], "count": n}
        for e, n in sorted(counts.items(), key=lambda kv: (-kv[1], names.get(kv[0], {}).get("name", "")))
        if e in names
    ]
    events = [
        {
            **e,
            "type_label": i18n.event_type_label(ui, e["type"]),
            "status_label": i18n.status_label(ui, e["status"]),
            "trigger": text[e["trigger_start"] : e["trigger_end"]],
        }
        for e in triggers
    ]
    return out, entities, events
