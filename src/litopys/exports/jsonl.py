"""JSON Lines export: one object per line with a ``kind``. The field names are a contract
(README, "Export format"); later versions add fields but never rename or drop these."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from litopys.records import Story
from litopys.store import Store
from litopys.store.entities import document_mentions, entity_documents, list_entities
from litopys.store.events import list_events
from litopys.store.stories import duplicates_of, list_stories, membership

#: the fields of each kind of record, in output order
EXPORT_FIELDS: dict[str, tuple[str, ...]] = {
    "document": (
        "id",
        "path",
        "url",
        "title",
        "lang",
        "published",
        "source",
        "text",
        "removed",
        "paragraphs",
        "sentences",
        "mentions",
        "duplicates",
        "event_cluster",
        "storyline",
    ),
    "entity": ("id", "type", "name", "names", "aliases", "documents", "mentions"),
    "story": ("id", "level", "title", "documents", "languages", "first_seen", "last_seen", "storyline"),
    "event": (
        "id",
        "type",
        "plover",
        "mode",
        "date",
        "actors",
        "targets",
        "location",
        "object",
        "status",
        "summary",
        "languages",
        "sources",
    ),
    "rejected": ("path", "reason"),
}
#: the fields of each mention inside a document record
MENTION_FIELDS = ("start", "end", "text", "lemma", "type", "entity")
#: the fields of each duplicate link inside a document record
DUPLICATE_FIELDS = ("id", "kind", "score")
#: the fields of an event record's date
EVENT_DATE_FIELDS = ("start", "end", "granularity")
#: the fields of each source inside an event record
EVENT_SOURCE_FIELDS = ("document", "start", "end", "sentence", "attributed_to", "published")


def records(store: Store) -> Iterator[dict[str, Any]]:
    """Every current document, entity, story and canonical event, then every rejected input, as
    export records."""
    for doc in store.documents():
        yield document_record(store, doc)
    for entity in list_entities(store):
        yield entity_record(store, entity)
    for story in list_stories(store):
        yield story_record(story)
    for event in list_events(store):
        yield event_record(event)
    for rejected in store.rejected():
        yield {"kind": "rejected", **{key: rejected[key] for key in EXPORT_FIELDS["rejected"]}}


def document_record(store: Store, doc: dict[str, Any]) -> dict[str, Any]:
    """The export record of a document, from a ``Store.get``/``Store.documents`` dict (also
    ``GET /api/documents/{id}``)."""
    doc = dict(doc)
    doc["mentions"] = [{k: m[k] for k in MENTION_FIELDS} for m in document_mentions(store, doc["id"])]
    doc["duplicates"] = [
        {k: getattr(d, k) for k in DUPLICATE_FIELDS} for d in duplicates_of(store, doc["id"])
    ]
    doc["event_cluster"], doc["storyline"] = membership(store, doc["id"])
    return {"kind": "document", **{key: doc[key] for key in EXPORT_FIELDS["document"]}}


def entity_record(
    store: Store, entity: dict[str, Any], documents: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The export record of an entity, from a ``list_entities`` dict (also ``GET /api/entities/{id}``);
    ``documents`` is its ``entity_documents`` when the caller has read them already."""
    entity = dict(entity)
    entity["names"] = {lang: entity["names"].get(lang) for lang in ("uk", "ru", "en")}
    if documents is None:
        documents = entity_documents(store, entity["id"])
    entity["documents"] = [d["id"] for d in documents]
    return {"kind": "entity", **{key: entity[key] for key in EXPORT_FIELDS["entity"]}}


def story_record(story: Story) -> dict[str, Any]:
    """The export record of a storyline or an event cluster (also `litopys stories --json`)."""
    return {"kind": "story", **{key: _plain(getattr(story, key)) for key in EXPORT_FIELDS["story"]}}


def event_record(event: dict[str, Any]) -> dict[str, Any]:
    """The export record of a canonical event, from a ``list_events`` dict (also `litopys timeline
    --json`)."""
    record: dict[str, Any] = {"kind": "event", **{key: event[key] for key in EXPORT_FIELDS["event"]}}
    record["date"] = {key: event["date"][key] for key in EVENT_DATE_FIELDS}
    record["sources"] = [{key: src[key] for key in EVENT_SOURCE_FIELDS} for src in event["sources"]]
    return record


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def export_jsonl(store: Store, out: TextIO) -> int:
    """Write the export to ``out``; returns the number of lines written."""
    count = 0
    for record in records(store):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
