"""The REST API under ``/api``: reads (this module), writes behind the token (:mod:`.writes`), the
OpenAPI UI (:mod:`.docs`). JSON everywhere; lists are pages ``{"items", "total", "limit",
"offset"}`` chosen with ``limit`` (1-500, default 50) and ``offset``; the records are the export's
(README, "Export format"), made by the same builders."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request

from litopys import search as search_module
from litopys.api import cache, docs, writes
from litopys.api.cache import Memo
from litopys.api.models import (
    DocumentDetail,
    DocumentSummary,
    EntityDetail,
    EntitySummary,
    EventDetail,
    EventRecord,
    Health,
    Page,
    SearchPage,
    Stats,
    StoryDetail,
    StoryRecord,
    TimelinePage,
)
from litopys.api.params import (
    ERRORS,
    DateFrom,
    DateTo,
    DocLang,
    EntityFilter,
    EventType,
    Limit,
    Offset,
    StoryFilter,
    bad,
    date_range,
    entity_ids,
    entity_type,
    event_type,
    first_day,
    last_day,
    not_found,
    reader,
    story_id,
)
from litopys.exports.jsonl import document_record, entity_record, event_record, story_record
from litopys.store import Store, pages
from litopys.store import entities as store_entities
from litopys.store import events as store_events
from litopys.summaries import Summary, UnknownStory

router = APIRouter(prefix="/api", responses=ERRORS)

Reader = Annotated[Store, Depends(reader)]

#: per process, until the store changes (:mod:`litopys.api.cache`, which also keeps the stories,
#: counts and summaries that the pages share): the order of the stories, and the documents and
#: co-occurring entities of an entity (tens of ms for one in thousands of documents)
story_order: Memo[list[tuple[str, str]]] = Memo(4)
entity_memo: Memo[tuple[list[dict[str, Any]], list[dict[str, Any]]]] = Memo(1024)


def _page(items: list[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"items": items, "total": total, "limit": limit, "offset": offset}


# --- the server -------------------------------------------------------------------------------------


@router.get(
    "/health",
    response_model=Health,
    tags=["server"],
    summary="Liveness: the server answers and its store opens",
)
def health(request: Request, store: Reader) -> dict[str, Any]:
    """`ok`, the litopys version, the store's schema version, and whether writes are enabled."""
    from litopys import __version__

    return {
        "status": "ok",
        "version": __version__,
        "schema_version": store.schema_version,
        "writes": request.app.state.token is not None,
    }


@router.get(
    "/stats",
    response_model=Stats,
    tags=["server"],
    summary="Counts: documents, versions, rejected inputs, entities, events…",
)
def stats(store: Reader) -> dict[str, Any]:
    """What `litopys stats --json` prints (documents, versions, rejected inputs, by language, source
    and reason), plus the numbers of entities, canonical events, storylines and event clusters."""
    return cache.stats(store)


# --- documents ---------------------------------------------------------------------------------------


@router.get(
    "/documents",
    response_model=Page[DocumentSummary],
    tags=["documents"],
    summary="Documents, the latest published first",
)
def documents(
    store: Reader,
    lang: DocLang = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    story: StoryFilter = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Current documents (the latest version of each input), their metadata without the text;
    undated ones last. `from`/`to` compare with the publication date (a document dated only by its
    month, `2024-11`, is within `to=2024-11`); `story` keeps an event cluster's or storyline's."""
    date_range(date_from, date_to)
    items, total = pages.document_page(
        store,
        lang=lang,
        date_from=date_from,
        date_to=date_to,
        story=story_id(store, story),
        limit=limit,
        offset=offset,
    )
    return _page(items, total, limit, offset)


@router.get(
    "/documents/{doc_id}",
    response_model=DocumentDetail,
    tags=["documents"],
    summary="One document: its record, versions and events",
)
def document(store: Reader, doc_id: str) -> dict[str, Any]:
    """The export record of a document (clean text, removed segments, paragraphs, sentences,
    mentions, duplicates, event cluster, storyline), every stored version of its input, and the
    canonical events it reports. `doc_id` is an id or a unique prefix of 4 or more characters."""
    doc = store.get(doc_id)
    if doc is None:
        raise not_found(
            f"no single document with id {doc_id!r}"
            + ("; give 4 or more characters of it" if len(doc_id) < 4 else "")
        )
    return {
        "document": document_record(store, doc),
        "versions": pages.versions(store, doc["path"]),
        "events": [event_record(e) for e in store_events.document_events(store, doc["id"])],
    }


# --- entities ----------------------------------------------------------------------------------------


@router.get(
    "/entities",
    response_model=Page[EntitySummary],
    tags=["entities"],
    summary="Canonical entities, the most mentioned first",
)
def entities(
    store: Reader,
    type: Annotated[str | None, Query(description="PER, LOC, ORG, EVT or PRO.", examples=["PER"])] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=300, description="Only entities with a name or alias that contains this (any case)."
        ),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Entities as `litopys entities --json` lists them: `mentions` and `documents` are counts
    (`GET /api/entities/{id}` has the documents)."""
    kind = entity_type(type)
    if q is None:
        items = store_entities.list_entities(store, type=kind, limit=limit, offset=offset)
        total = store_entities.count_entities(store, type=kind)
    else:
        needle = q.strip().casefold()
        if not needle:
            raise bad("q is empty")
        found = [
            e
            for e in store_entities.list_entities(store, type=kind)
            if any(needle in n.casefold() for n in (e["name"], *e["names"].values(), *e["aliases"]) if n)
        ]
        items, total = found[offset : offset + limit], len(found)
    return _page(items, total, limit, offset)


@router.get(
    "/entities/{entity_id}",
    response_model=EntityDetail,
    tags=["entities"],
    summary="One entity: its record, documents, co-occurring",
)
def entity(store: Reader, entity_id: str, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """The export record of an entity (names per language, aliases, ids of all the documents that
    mention it), a page of those documents with their number of mentions (`limit`, `offset`), and
    the entities it occurs with. `entity_id` is an id, or a name or alias of one entity only."""
    found = store_entities.get_entity(store, entity_id)
    if found is None:
        ids = search_module.resolve_entity(store, entity_id) if entity_id.strip() else ()
        if len(ids) > 1:
            raise not_found(f"{entity_id!r} names {len(ids)} entities: {', '.join(ids)}; give an id")
        found = store_entities.get_entity(store, ids[0]) if ids else None
    if found is None:
        raise not_found(f"no entity {entity_id!r}; see /api/entities")
    key = found["id"]
    mentioning, others = entity_memo.get(
        store,
        (key,),
        lambda: (store_entities.entity_documents(store, key), store_entities.cooccurring(store, key)),
    )
    return {
        "entity": entity_record(store, found, mentioning),
        "documents": _page(mentioning[offset : offset + limit], len(mentioning), limit, offset),
        "cooccurring": others,
    }


# --- events ------------------------------------------------------------------------------------------


def _events(
    store: Store,
    *,
    entity: str | None,
    story: str | None,
    date_from: str | None,
    date_to: str | None,
    type: str | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int, list[str]]:
    """A page of canonical events (export records), their total, and the entity ids filtered on."""
    date_range(date_from, date_to)
    ids = entity_ids(store, entity)
    filters: dict[str, Any] = {
        "entity": ids,
        "story": story_id(store, story),
        "date_from": first_day(date_from) if date_from else None,
        "date_to": last_day(date_to) if date_to else None,
        "type": event_type(type),
    }
    found = store_events.list_events(store, **filters, limit=limit, offset=offset)
    return [event_record(e) for e in found], store_events.count_events(store, **filters), ids or []


@router.get(
    "/events",
    response_model=Page[EventRecord],
    tags=["events"],
    summary="Canonical events in the order they happened",
)
def events(
    store: Reader,
    type: EventType = None,
    entity: EntityFilter = None,
    story: StoryFilter = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Canonical events (one happening, however many reports) in occurrence order, undated ones last
    by first report. `entity` keeps the events with that entity as actor, target or location;
    `story` the events told in an event cluster's or storyline's documents; `from`/`to` the events
    whose occurrence date overlaps the range (a month or year stands for all its days)."""
    items, total, _ = _events(
        store,
        entity=entity,
        story=story,
        date_from=date_from,
        date_to=date_to,
        type=type,
        limit=limit,
        offset=offset,
    )
    return _page(items, total, limit, offset)


@router.get(
    "/events/{event_id}",
    response_model=EventDetail,
    tags=["events"],
    summary="One canonical event with its sources",
)
def event(store: Reader, event_id: str) -> dict[str, Any]:
    """The export record of a canonical event, and each source in full: the document, the sentence
    (offsets into the document text), the trigger, the attribution chain (outer first), status,
    publication date, language and title."""
    found = store_events.get_event(store, event_id)
    if found is None:
        raise not_found(f"no event {event_id!r}; see /api/events")
    return {
        "event": event_record(found),
        "first_reported": found["first_reported"],
        "last_reported": found["last_reported"],
        "sources": found["sources"],
    }


@router.get(
    "/timeline",
    response_model=TimelinePage,
    tags=["events"],
    summary="The chronicle: `litopys timeline --json`",
)
def timeline(
    store: Reader,
    entity: EntityFilter = None,
    story: StoryFilter = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The events of `litopys timeline`, with its filters: the same as `/api/events` without `type`,
    and with the entity ids that `entity` named (a name may name several entities: any of them)."""
    items, total, ids = _events(
        store,
        entity=entity,
        story=story,
        date_from=date_from,
        date_to=date_to,
        type=None,
        limit=limit,
        offset=offset,
    )
    return {**_page(items, total, limit, offset), "entities": ids}


# --- stories -----------------------------------------------------------------------------------------


@router.get(
    "/stories",
    response_model=Page[StoryRecord],
    tags=["stories"],
    summary="Storylines and event clusters, the largest first",
)
def stories(
    store: Reader,
    level: Annotated[
        Literal["storyline", "event"] | None, Query(description="Only storylines, or only event clusters.")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Story records as `litopys stories --json` lists them: the storylines first, then the event
    clusters, each level the largest first; a record's documents in publication order."""
    order = story_order.get(store, (level,), lambda: pages.story_index(store, level=level))
    found = [cache.story(store, story_id) for _, story_id in order[offset : offset + limit]]
    return _page([story_record(s[0]) for s in found if s is not None], len(order), limit, offset)


@router.get(
    "/stories/{story_id}",
    response_model=StoryDetail,
    tags=["stories"],
    summary="One storyline or event cluster: members, documents, and a summary on request",
)
def story(
    store: Reader,
    story_id: str,
    summary: Annotated[
        bool,
        Query(description="Add an extractive summary (seconds on a large storyline; then cached)."),
    ] = False,
    lang: Annotated[
        Literal["uk", "ru", "en"] | None,
        Query(description="Summary sentences in this language where the sources have some."),
    ] = None,
    sentences: Annotated[int, Query(ge=1, le=20, description="Sentences in the summary.")] = 5,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The story record (with the ids of all its documents), a storyline's event clusters
    (`members`), a page of its documents' metadata in publication order (`limit`, `offset`), and with
    `summary=true` the summary of `litopys summary --json`: a few of its sentences, each with its
    document and offsets."""
    found = cache.story(store, story_id)
    if found is None:
        raise not_found(f"no event cluster or storyline {story_id!r}; see /api/stories")
    record, members = found
    result: Summary | None = None
    if summary:
        try:
            result = cache.summary(store, story_id, lang=lang, sentences=sentences)
        except UnknownStory as error:  # the story went away between the two reads
            raise not_found(str(error)) from None
    return {
        "story": story_record(record),
        "members": [story_record(m) for m in members],
        "documents": _page(
            pages.document_summaries(store, list(record.documents[offset : offset + limit])),
            len(record.documents),
            limit,
            offset,
        ),
        "summary": result.record() if result is not None else None,
    }


# --- search ------------------------------------------------------------------------------------------


@router.get(
    "/search",
    response_model=SearchPage,
    tags=["search"],
    summary="Full-text and cross-lingual search, best first",
)
def search(
    store: Reader,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=500,
            description="Words or names in uk, ru or en; every one must match (any inflection; a "
            "name also finds its entity in every language).",
            examples=["Ким Чен Ын"],
        ),
    ],
    lang: DocLang = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    outlet: Annotated[
        str | None,
        Query(max_length=200, description="Only documents whose source line or URL contains this."),
    ] = None,
    entity: EntityFilter = None,
    type: EventType = None,
    limit: Annotated[int, Query(ge=1, le=100, description="Hits per page, 1-100.")] = 10,
    offset: Annotated[int, Query(ge=0, le=1000, description="Hits to skip, 0-1000.")] = 0,
) -> dict[str, Any]:
    """`litopys search --json`: current documents that match every word (by lemma) or name (by
    entity, across languages), best first, each with a snippet and the hits' offsets in it. The
    page says whether more documents match (`more`), not how many."""
    if not q.strip():
        raise bad("q is empty: give words or names to search for")
    date_range(date_from, date_to)
    if entity is not None:
        entity_ids(store, entity)
    hits = search_module.search(
        store,
        q,
        lang=lang,
        date_from=date_from,
        date_to=date_to,
        outlet=outlet,
        entity=entity.strip() if entity else None,
        event_type=event_type(type),
        limit=offset + limit + 1,
    )
    return {
        "query": q,
        "items": [h.to_dict() for h in hits[offset : offset + limit]],
        "limit": limit,
        "offset": offset,
        "more": len(hits) > offset + limit,
    }


# after the reads, so that the OpenAPI lists them first
router.include_router(writes.router)
router.include_router(docs.router)
