"""The data model: frozen, picklable records that every stage takes and returns.

Offsets, not copies: paragraphs, sentences and tokens point into ``Article.text`` by character
offsets (``text[start:end]``). Ids are content hashes, so the same input always gets the same id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields, replace
from typing import Any

#: input formats a RawDoc can carry
FORMATS = ("txt", "html", "json")


def content_id(data: bytes) -> str:
    """A stable 16-hex-digit id for a piece of content (SHA-256 prefix)."""
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class RawDoc:
    """One input document as read from disk, before any decoding.

    ``path`` is the input path as given, plus ``#N`` for the N-th line of a .jsonl file.
    ``data`` is the document's bytes (one line for .jsonl, decompressed for .gz).
    ``meta`` holds what the folder's ``metadata.csv`` says of the file (see ``stages.ingest``).
    """

    path: str
    fmt: str
    data: bytes
    id: str = ""
    #: fields a folder's metadata.csv gives for this file (("published", "2024-11-29"), ...);
    #: they are not part of the content, so they do not change the id
    meta: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.fmt not in FORMATS:
            raise ValueError(f"RawDoc.fmt must be one of {FORMATS}, not {self.fmt!r}")
        if not self.id:
            object.__setattr__(self, "id", content_id(self.data))


@dataclass(frozen=True, slots=True)
class Removed:
    """A segment the cleaner took out of the page, kept with the rule that removed it."""

    text: str
    rule: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A line of ``Article.text`` (the first one is the title) and its language."""

    start: int
    end: int
    lang: str = ""


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Token:
    """A word, number or punctuation mark, with its lemma (lower-cased base form)."""

    start: int
    end: int
    lemma: str
    pos: str = ""


#: entity types: BSNLP's five (person, location, organisation, event, product)
ENTITY_TYPES = ("PER", "LOC", "ORG", "EVT", "PRO")


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in ``Article.text[start:end]``: its type, its base form and (once linked) its entity.

    ``lemma`` is the base form of the whole name, agreement-aware ("Курській області" → "Курська
    область"); ``key`` is the document-level identity the entities stage gives it ("Кіма" and
    "Кім Чен Ин" in one document share a key); ``entity`` is the canonical entity id after linking.
    """

    start: int
    end: int
    text: str
    type: str
    lemma: str = ""
    key: str = ""
    entity: str = ""
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class Name:
    """A name of an entity in one language ("uk", "ru", "en")."""

    lang: str
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity: one person, place or organisation across documents and languages."""

    id: str
    type: str
    name: str
    names: tuple[Name, ...] = ()
    aliases: tuple[str, ...] = ()

    def name_in(self, lang: str) -> str | None:
        return next((n.text for n in self.names if n.lang == lang), None)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What duplicate detection and story clustering compare (``litopys.stages.dedup``).

    ``vectors`` holds float16 sentence embeddings (rows of ``dim`` values) of the title and the
    first sentences; ``anchors`` are language-independent keys (numbers, Latin keys of names).
    """

    exact: str
    minhash: tuple[int, ...]
    vectors: bytes
    dim: int
    anchors: tuple[str, ...] = ()
    #: the body's most frequent word stems, Latin-folded so that uk and ru spellings meet, as "stem:count"
    terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Duplicate:
    """Another document that repeats this one: ``kind`` exact, near or translation."""

    id: str
    kind: str
    score: float


@dataclass(frozen=True, slots=True)
class Story:
    """An event cluster (reports of one happening) or a storyline (event clusters in one thread)."""

    id: str
    level: str
    title: str
    documents: tuple[str, ...]
    languages: tuple[str, ...]
    first_seen: str | None
    last_seen: str | None
    storyline: str | None = None


@dataclass(frozen=True, slots=True)
class Role:
    """A participant of an event: a mention (by offsets) and its document-level key."""

    start: int
    end: int
    text: str
    key: str


@dataclass(frozen=True, slots=True)
class Event:
    """An event mention: the sentence (``start``..``end``) and trigger that state it, typed, with roles.

    ``date_*`` is when it happened as the text says (not the report date); ``attributed_to`` the chain
    of sources, outer first ("CBS News", "a US official").
    """

    start: int
    end: int
    trigger_start: int
    trigger_end: int
    type: str
    plover: str
    mode: str = ""
    actors: tuple[Role, ...] = ()
    targets: tuple[Role, ...] = ()
    location: Role | None = None
    object: str = ""
    date_start: str | None = None
    date_end: str | None = None
    granularity: str = ""
    date_text: str = ""
    status: str = "reported"
    attributed_to: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """A document on its way through the pipeline.

    After ``parse`` ``text`` holds the decoded body (for plain text: the whole page); after
    ``clean`` it is the clean text: the title as its first line, then one body paragraph per line.
    """

    id: str
    path: str
    fmt: str
    text: str
    title: str = ""
    url: str | None = None
    published: str | None = None
    source: str | None = None
    lang: str = ""
    encoding: str = ""
    removed: tuple[Removed, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    tokens: tuple[Token, ...] = ()
    mentions: tuple[Mention, ...] = ()
    fingerprint: Fingerprint | None = None
    events: tuple[Event, ...] = ()
    #: per-input hints given with the document (a .jsonl record's "lang", say)
    hints: tuple[tuple[str, str], ...] = field(default=())

    def evolve(self, **changes: Any) -> Article:
        """A copy with some fields changed (records are frozen)."""
        return replace(self, **changes)

    def span(self, start: int, end: int) -> str:
        return self.text[start:end]

    @property
    def body(self) -> str:
        """The clean text without its title line."""
        _, _, rest = self.text.partition("\n")
        return rest

    def hint(self, key: str) -> str | None:
        for k, v in self.hints:
            if k == key:
                return v
        return None


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that could not be used, with the reason (an error code and detail)."""

    path: str
    reason: str
    id: str = ""


def _pickled_by_fields(cls: type) -> None:
    """Pickle instances of ``cls`` as (class, field values). The ``__getstate__``/``__setstate__``
    that dataclasses give slotted classes call ``fields()`` on every object: an Article holds ~350
    small records (tokens mostly), and unpickling one cost the Dask driver ~30% more this way."""
    names = tuple(f.name for f in fields(cls))

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, tuple([getattr(self, name) for name in names])

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]


for _record in (
    RawDoc,
    Removed,
    Paragraph,
    Sentence,
    Token,
    Mention,
    Name,
    Entity,
    Fingerprint,
    Duplicate,
    Story,
    Role,
    Event,
    Article,
    Rejected,
):
    _pickled_by_fields(_record)
