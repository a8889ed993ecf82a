"""Query parameters shared by the API's routes, and their checks: every bad value is a 422 with a
message that says what is accepted (never a 500)."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import HTTPException, Query, Request

from litopys import search as search_module
from litopys.api.models import Error
from litopys.stages.events import ontology
from litopys.store import Store
from litopys.store.pages import has_story

#: entity types (`litopys entities --type`)
ENTITY_TYPES = ("PER", "LOC", "ORG", "EVT", "PRO")
#: an ISO date or its year or month prefix
ISO_PREFIX = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

Limit = Annotated[int, Query(ge=1, le=500, description="Items per page, 1-500.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]
DocLang = Annotated[
    Literal["uk", "ru", "en", "other"] | None, Query(description="Only documents in this language.")
]
DateFrom = Annotated[
    str | None,
    Query(
        alias="from",
        description="On or after this date: YYYY-MM-DD, or a month (YYYY-MM) or year (YYYY).",
        examples=["2024-11-01"],
    ),
]
DateTo = Annotated[
    str | None,
    Query(
        alias="to",
        description="On or before this date: YYYY-MM-DD, or a month (YYYY-MM) or year (YYYY).",
        examples=["2024-11-30"],
    ),
]
EntityFilter = Annotated[
    str | None,
    Query(
        max_length=300,
        description="An entity id, or a name in any language or an alias (every entity so named).",
        examples=["Кім Чен Ин"],
    ),
]
StoryFilter = Annotated[
    str | None,
    Query(max_length=100, description="An event cluster (ev-…) or storyline (st-…) id."),
]
EventType = Annotated[
    str | None,
    Query(
        max_length=60,
        description="An event type (VISIT, ARMS_TRANSFER…; see the README).",
        examples=["VISIT"],
    ),
]

#: the error answers a route documents, by status
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Error, "description": "No such item."},
    422: {"model": Error, "description": "A bad parameter: the message says which and what is accepted."},
}


def bad(message: str) -> HTTPException:
    """A 422 answer ``{"error": message}``."""
    return HTTPException(status_code=422, detail=message)


def not_found(message: str) -> HTTPException:
    return HTTPException(status_code=404, detail=message)


def reader(request: Request) -> Store:
    """The calling thread's reading store."""
    store: Store = request.app.state.stores.reader()
    return store


def iso_date(name: str, value: str | None) -> str | None:
    """``value`` if it is an ISO date or a year or month of one, else a 422."""
    if value is None:
        return None
    match = ISO_PREFIX.fullmatch(value)
    try:
        if match is None:
            raise ValueError
        year, month, day = (int(g) if g else 1 for g in match.groups())
        date(year, month, day)
    except ValueError:
        raise bad(f"{name} {value!r} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY") from None
    return value


def date_range(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    """Checked ``from`` and ``to`` (ISO prefixes); a 422 if either is not a date or from is after to."""
    iso_date("from", date_from)
    iso_date("to", date_to)
    if date_from and date_to and first_day(date_from) > last_day(date_to):
        raise bad(f"from {date_from} is after to {date_to}")
    return date_from, date_to


def first_day(value: str) -> str:
    """The first day of a date, month or year: "2024-11" → "2024-11-01"."""
    return value + "-01-01"[len(value) - 4 :] if len(value) < 10 else value


def last_day(value: str) -> str:
    """The last day of a date, month or year: "2024-02" → "2024-02-29", "2024" → "2024-12-31"."""
    if len(value) == 4:
        return value + "-12-31"
    if len(value) == 7:
        year, month = int(value[:4]), int(value[5:7])
        return f"{value}-{calendar.monthrange(year, month)[1]:02d}"
    return value


def entity_type(value: str | None) -> str | None:
    if value is None:
        return None
    if value.upper() not in ENTITY_TYPES:
        raise bad(f"unknown type {value!r}; available: {', '.join(ENTITY_TYPES)}")
    return value.upper()


def event_type(value: str | None) -> str | None:
    if value is None:
        return None
    types = ontology()
    if value.upper() not in types:
        raise bad(f"unknown event type {value!r}; available: {', '.join(sorted(types))}")
    return value.upper()


def entity_ids(store: Store, value: str | None) -> list[str] | None:
    """The entity ids an ``entity`` filter names (an id, or a name in any language or alias), or a 422."""
    if value is None:
        return None
    if not value.strip():
        raise bad("entity is empty")
    found = list(search_module.resolve_entity(store, value.strip()))
    if not found:
        raise bad(f"no entity named {value!r}; see /api/entities")
    return found


def story_id(store: Store, value: str | None) -> str | None:
    if value is None:
        return None
    if not has_story(store, value):
        raise bad(f"no event cluster or storyline {value!r}; see /api/stories")
    return value
