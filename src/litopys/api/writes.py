"""The API's writes, behind the token: ingest uploaded files, merge or split entities.

A write needs ``Authorization: Bearer <token>`` with the token of ``LITOPYS_TOKEN``: 401 without it
or with another one, 403 on a server started without a token (read-only). Writes go through the
server's one writing store, one at a time (:meth:`litopys.api.Stores.writer`).

Uploads are saved under a fresh temporary folder by their base name only: a name with a parent
folder (``../x``), a hidden name, a control character or an over-long name is refused, so no upload
can land outside that folder; the folder is deleted after the ingest.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import UploadFile

from litopys.api.models import DecisionIn, DecisionResult, Error, IngestResult
from litopys.pipeline import IngestReport, decide
from litopys.pipeline import ingest as run_ingest
from litopys.stages.ingest import METADATA_FILE
from litopys.store import entities as store_entities

#: files in one upload
MAX_FILES = 100
#: bytes of a saved file name (most file systems allow 255)
MAX_NAME_BYTES = 200
_SEPARATORS = re.compile(r"[\\/]")

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="The server's LITOPYS_TOKEN, sent as `Authorization: Bearer <token>`.",
)


def require_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    """403 on a read-only server, 401 unless the request carries the server's token."""
    token: str | None = request.app.state.token
    if token is None:
        raise HTTPException(status_code=403, detail="read-only server: set LITOPYS_TOKEN to allow writes")
    given = credentials.credentials if credentials is not None else ""
    if not secrets.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
        raise HTTPException(
            status_code=401,
            detail="missing or wrong token: send Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )


WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Error, "description": "A body that cannot be read (broken multipart)."},
    401: {"model": Error, "description": "No token, or a wrong one."},
    403: {"model": Error, "description": "Read-only server: started without LITOPYS_TOKEN."},
    413: {"model": Error, "description": "Request body over 20 MB."},
}

router = APIRouter(dependencies=[Depends(require_token)], responses=WRITE_ERRORS, tags=["writes"])


def safe_name(raw: str | None) -> tuple[str, str | None]:
    """``(name, None)``: the base name to save an upload under, or ``("", why it is refused)``.

    Folders are stripped ("a/b.txt", "C:\\\\x\\\\b.txt" → "b.txt"); a name that names a parent folder
    ("../x.txt"), starts with a dot, holds a control character or a colon, or is too long is refused.
    """
    if not raw:
        return "", "no file name"
    parts = _SEPARATORS.split(raw)
    if ".." in (p.strip() for p in parts):
        return "", f"unsafe file name {raw!r}: it names a parent folder"
    name = parts[-1].strip()
    if not name or name.startswith("."):
        return "", f"unsafe file name {raw!r}: empty or hidden"
    if any(ord(c) < 32 or c in ":\x7f" for c in name):
        return "", f"unsafe file name {raw!r}: control character or colon"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return "", f"file name too long ({len(name.encode('utf-8'))} bytes, at most {MAX_NAME_BYTES})"
    return name, None


UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["files"],
                "properties": {
                    "files": {
                        "type": "array",
                        "items": {"type": "string", "format": "binary"},
                        "description": ".txt, .html/.htm, .jsonl and .gz of these; a metadata.csv "
                        "among them gives their metadata as in a folder",
                    }
                },
            }
        }
    },
}


@router.post(
    "/ingest",
    summary="Ingest uploaded files (`litopys ingest`)",
    openapi_extra={"requestBody": UPLOAD_BODY},
)
async def ingest(request: Request) -> IngestResult:
    """Upload one or more files as `multipart/form-data` (field `files`, up to 100 files, 20 MB in
    all); they go through every stage, then entities, stories, events and search are updated, as
    `litopys ingest` does. The answer is its report; each rejected input has its reason (an error
    code of the README, or why its file name was refused)."""
    form = await request.form(max_files=MAX_FILES, max_fields=MAX_FILES)
    try:
        uploads = [value for _, value in form.multi_items() if isinstance(value, UploadFile)]
        if not uploads:
            raise HTTPException(
                status_code=422, detail="no files: send them as multipart/form-data, field 'files'"
            )
        return await run_in_threadpool(_ingest, request, uploads)
    finally:
        await form.close()


def _ingest(request: Request, uploads: list[UploadFile]) -> IngestResult:
    rejected: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="litopys-upload-") as tmp:
        root = Path(tmp).resolve()
        paths: list[str] = []
        for upload in uploads:
            name, problem = safe_name(upload.filename)
            target = root / name
            if problem is None and (target.parent != root or target.exists()):
                problem = f"file name {name!r} given twice" if target.exists() else "unsafe file name"
            if problem is not None:
                rejected.append({"path": upload.filename or "", "reason": problem})
                continue
            with open(target, "xb") as out:  # x: never through an existing file or link
                shutil.copyfileobj(upload.file, out)
            if name != METADATA_FILE:  # read by ingest for the files beside it
                paths.append(str(target))
        report = IngestReport()
        if paths:
            with request.app.state.stores.writer() as store:
                report = run_ingest(paths, store=store)
        prefix = str(root) + os.sep
        rejected += [
            {"path": r.path.replace(prefix, ""), "reason": r.reason.replace(prefix, "")}
            for r in report.rejected
        ]
    stories = report.stories
    return IngestResult.model_validate(
        {
            "ingested": report.ingested,
            "new_versions": report.new_versions,
            "unchanged": report.unchanged,
            "rejected": rejected,
            "entities": report.entities,
            "events": report.events,
            "stories": None if stories is None else asdict(stories),
        }
    )


@router.post("/entities/merge", summary="Merge two entities (`litopys merge A B`)")
def merge(request: Request, body: DecisionIn) -> DecisionResult:
    """Record a reviewed decision that A and B are one entity, then re-link the entities and rebuild
    the canonical events and the search names on them. Decisions are kept in the store and applied
    on every later linking. A and B are entity ids or names as the texts have them (a base form or
    a form seen: "Кремль", "Москві"); `applied` says whether they now name one entity (a name
    that only the entity's English or curated names hold may find the entity and still not apply)."""
    return _decide(request, "merge", body)


@router.post("/entities/split", summary="Keep two names apart (`litopys split A B`)")
def split(request: Request, body: DecisionIn) -> DecisionResult:
    """Record a reviewed decision that names A and B are different entities, then re-link as for
    merge."""
    return _decide(request, "split", body)


def _decide(request: Request, kind: str, body: DecisionIn) -> DecisionResult:
    a, b = body.a.strip(), body.b.strip()
    with request.app.state.stores.writer() as store:
        for query in (a, b):
            if not query or not store_entities.find_entity(store, query):
                raise HTTPException(status_code=404, detail=f"no entity named {query!r}; see /api/entities")
        report = decide(store, kind=kind, a=a, b=b)
    return DecisionResult.model_validate(
        {
            "decision": kind,
            "a": a,
            "b": b,
            "applied": report.applied,
            "entities": report.entities,
            "events": report.events,
        }
    )
