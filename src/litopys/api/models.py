"""The shapes of the API's answers, for the OpenAPI description and for checking them.

The records (``DocumentRecord``, ``EntityRecord``, ``StoryRecord``, ``EventRecord``) are the export's
(README, "Export format"): the same builders make both. Like the export, they may gain fields in a
later version (``extra="allow"`` keeps such fields in the answer) but never lose or rename one.
"""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class Problem(Model):
    where: str = Field(description="The parameter: `query.limit`, `body.a`…")
    problem: str


class Error(Model):
    """Every error answer: 4xx and 5xx."""

    error: str = Field(description="What went wrong, in words.")
    problems: list[Problem] | None = Field(None, description="For 422: each bad parameter.")


class Page(Model, Generic[T]):
    """A page of a list: ``items`` from ``offset`` on, at most ``limit`` of them, of ``total``."""

    items: list[T]
    total: int = Field(description="How many items pass the filters, on every page.")
    limit: int
    offset: int


# --- documents -------------------------------------------------------------------------------------


class DocumentSummary(Model):
    """A document in a list: its metadata, no text."""

    id: str = Field(description="Content hash of the input, 16 hex digits.")
    path: str
    url: str | None
    title: str
    lang: str = Field(description="uk, ru, en or other.")
    published: str | None = Field(description="YYYY-MM-DD, YYYY-MM, or null.")
    source: str | None
    version: int
    event_cluster: str | None
    storyline: str | None


class Removed(Model):
    text: str
    rule: str


class Span(Model):
    start: int
    end: int


class Paragraph(Span):
    lang: str


class Mention(Model):
    start: int
    end: int
    text: str
    lemma: str
    type: str
    entity: str | None


class DuplicateLink(Model):
    id: str
    kind: Literal["exact", "near", "translation"]
    score: float


class DocumentRecord(Model):
    """A document as the export writes it (README, "Export format")."""

    kind: Literal["document"]
    id: str
    path: str
    url: str | None
    title: str
    lang: str
    published: str | None
    source: str | None
    text: str = Field(description="The clean text: the title, then one paragraph per line.")
    removed: list[Removed]
    paragraphs: list[Paragraph]
    sentences: list[Span]
    mentions: list[Mention]
    duplicates: list[DuplicateLink]
    event_cluster: str | None
    storyline: str | None


class Version(Model):
    id: str
    version: int
    current: bool
    ingested_at: str


# --- events ----------------------------------------------------------------------------------------


class EventDate(Model):
    start: str | None
    end: str | None
    granularity: str | None


class EventSource(Model):
    document: str
    start: int
    end: int
    sentence: str
    attributed_to: list[str]
    published: str | None


class EventRecord(Model):
    """A canonical event as the export writes it."""

    kind: Literal["event"]
    id: str
    type: str
    plover: str
    mode: str
    date: EventDate
    actors: list[str] = Field(description="Entity ids.")
    targets: list[str] = Field(description="Entity ids.")
    location: str | None = Field(description="An entity id.")
    object: str
    status: str
    summary: str
    languages: list[str]
    sources: list[EventSource]


class SourceDetail(EventSource):
    """A source of an event with where its trigger is and what document it is in."""

    trigger: list[int] = Field(description="[start, end] of the trigger word in the document text.")
    status: str
    lang: str | None
    title: str | None


class EventDetail(Model):
    event: EventRecord
    first_reported: str | None
    last_reported: str | None
    sources: list[SourceDetail]


class DocumentDetail(Model):
    """One document: its export record, every stored version of its input, the events it reports."""

    document: DocumentRecord
    versions: list[Version]
    events: list[EventRecord]


# --- entities --------------------------------------------------------------------------------------


class EntitySummary(Model):
    """An entity in a list (as `litopys entities --json`): ``mentions`` and ``documents`` are counts."""

    id: str
    type: str
    name: str
    names: dict[str, str | None]
    aliases: list[str]
    mentions: int
    documents: int


class EntityRecord(Model):
    """An entity as the export writes it: ``documents`` are ids, ``mentions`` a count."""

    kind: Literal["entity"]
    id: str
    type: str
    name: str
    names: dict[str, str | None]
    aliases: list[str]
    documents: list[str]
    mentions: int


class EntityDocument(Model):
    id: str
    title: str
    lang: str
    published: str | None
    source: str | None
    mentions: int


class Cooccurring(Model):
    id: str
    name: str
    type: str
    documents: int = Field(description="Documents that mention both.")


class EntityDetail(Model):
    entity: EntityRecord
    documents: Page[EntityDocument] = Field(
        description="A page of the documents that mention it (`limit`, `offset`), in publication order."
    )
    cooccurring: list[Cooccurring] = Field(description="The 10 entities it shares the most documents with.")


# --- stories ---------------------------------------------------------------------------------------


class StoryRecord(Model):
    """A storyline or event cluster as the export writes it."""

    kind: Literal["story"]
    id: str
    level: Literal["storyline", "event"]
    title: str
    documents: list[str]
    languages: list[str]
    first_seen: str | None
    last_seen: str | None
    storyline: str | None


class SummarySentence(Model):
    document: str
    start: int
    end: int
    text: str
    lang: str
    published: str | None
    source: str | None
    score: float


class Summary(Model):
    """An extractive summary (`litopys summary --json`)."""

    story: str
    level: str
    lang: str | None
    lang_fallback: bool
    documents: int
    sentences: list[SummarySentence]


class StoryDetail(Model):
    story: StoryRecord
    members: list[StoryRecord] = Field(description="A storyline's event clusters; [] for an event cluster.")
    documents: Page[DocumentSummary] = Field(
        description="A page of its documents (`limit`, `offset`), in publication order."
    )
    summary: Summary | None = Field(description="With `summary=true`, else null.")


# --- search, timeline, stats -----------------------------------------------------------------------


class Hit(Model):
    id: str
    title: str
    lang: str
    published: str | None
    source: str | None
    url: str | None
    score: float
    snippet: str
    snippet_start: int = Field(description="Offset of the snippet in the document text.")
    highlights: list[list[int]] = Field(description="[start, end] of each hit in the snippet.")
    entities: list[str] = Field(description="Entities of the query that the document mentions.")


class SearchPage(Model):
    query: str
    items: list[Hit]
    limit: int
    offset: int
    more: bool = Field(description="Whether more documents match after this page.")


class TimelinePage(Page[EventRecord]):
    entities: list[str] = Field(description="The entity ids the `entity` filter names ([] without it).")


class Stats(Model):
    documents: int
    versions: int
    rejected: int
    by_lang: dict[str, int]
    by_source: dict[str, int]
    rejected_by_reason: dict[str, int]
    entities: int
    events: int
    storylines: int
    event_clusters: int


class Health(Model):
    status: Literal["ok"]
    version: str
    schema_version: int
    writes: bool = Field(description="Whether a token is configured (LITOPYS_TOKEN).")


# --- writes ----------------------------------------------------------------------------------------


class RejectedInput(Model):
    path: str
    reason: str


class IngestResult(Model):
    """What an upload did (`litopys ingest`'s report)."""

    ingested: int
    new_versions: int
    unchanged: int
    rejected: list[RejectedInput]
    entities: int | None = Field(description="Entities after linking; null when nothing new was stored.")
    events: int | None = Field(description="Canonical events after the timeline step; null likewise.")
    stories: dict[str, int] | None = Field(description="What the stories step did; null likewise.")


class DecisionIn(BaseModel):
    """Two entities, each by id, name in any language or alias."""

    model_config = ConfigDict(extra="forbid")

    a: str = Field(min_length=1, max_length=300, examples=["Кім Чен Ин"])
    b: str = Field(min_length=1, max_length=300, examples=["Kim Jong Un"])


class DecisionResult(Model):
    decision: Literal["merge", "split"]
    a: str
    b: str
    applied: bool = Field(
        description="Whether A and B now name one entity (merge) or different entities (split)."
    )
    entities: int = Field(description="Entities after re-linking.")
    events: int = Field(description="Canonical events after rebuilding them on the new entities.")
