"""The REST API under ``/api`` (JSON; lists are paginated with ``limit`` and ``offset``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from litopys.store import Store

router = APIRouter(prefix="/api", tags=["api"])


def reader(request: Request) -> Store:
    """The calling thread's reading store."""
    store: Store = request.app.state.stores.reader()
    return store


@router.get("/stats", summary="Counts of documents, versions, rejected inputs, by language and source")
def stats(request: Request) -> dict[str, Any]:
    return reader(request).stats()
