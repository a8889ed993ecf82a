"""``litopys serve``: one FastAPI application over one store, the REST API under ``/api`` and the web
pages beside it (``litopys.web``).

* **Reads** need nothing; **writes** (ingest an uploaded file, merge/split entities) need the token
  of the ``LITOPYS_TOKEN`` environment variable, sent as ``Authorization: Bearer <token>``. Without
  a configured token the server is read-only.
* **Store access**: SQLite in WAL mode lets readers run beside the one writer; each server thread
  reads through a connection of its own (:func:`reader`), writes go through one store behind a lock.
* **Hostile input**: every piece of article text is escaped by the templates (Jinja2 autoescape) and
  by JSON; every response carries a Content-Security-Policy that allows no inline script and no
  other origin (:data:`SECURITY_HEADERS`); request bodies are capped (:data:`MAX_BODY_BYTES`);
  errors answer with a code and a message, never a stack trace.
* **Response cache**: the answers to GET requests are kept until the store changes
  (:mod:`litopys.api.responses`), so a page or an API read is rendered once per commit, not once per
  request.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from litopys.store import Store
from litopys.store import backend as store_backend

__all__ = ["MAX_BODY_BYTES", "MAX_CACHE_BYTES", "SECURITY_HEADERS", "app_from_env", "create_app"]

log = logging.getLogger("litopys.serve")

#: the largest request body accepted (an uploaded page or .jsonl batch); larger → 413
MAX_BODY_BYTES = 20 * 1024 * 1024
#: sent with every response: no inline script, no other origin, no framing, no MIME sniffing
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
STATIC = Path(__file__).resolve().parent.parent / "web" / "static"
#: the response cache of one server process, in bytes (:mod:`litopys.api.responses`)
MAX_CACHE_BYTES = 64 * 1024 * 1024
#: the environment of :func:`app_from_env`: the store's path, and the token of writes
DB_ENV = "LITOPYS_DB"
TOKEN_ENV = "LITOPYS_TOKEN"


class Stores:
    """The store of one server: a reading connection per thread, one writing store behind a lock."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        with Store(path):  # create and migrate once, before any reader opens the file
            pass
        self._local = threading.local()
        self.write_lock = threading.Lock()

    def reader(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.path)
            self._local.store = store
        return store

    @contextmanager
    def writer(self) -> Iterator[Store]:
        """``with stores.writer() as store:`` the writing store, one writer at a time."""
        with self.write_lock, Store(self.path) as store:
            yield store


def create_app(db: str | Path, *, token: str | None = None, cache_bytes: int = MAX_CACHE_BYTES) -> FastAPI:
    """The application for the store at ``db``; ``token`` enables writes (module docs);
    ``cache_bytes``: the size of the response cache (:mod:`litopys.api.responses`; 0: none)."""
    from litopys.api.limits import BodyLimit
    from litopys.api.responses import ResponseCache, Responses
    from litopys.api.routes import router as api_router
    from litopys.web.pages import router as pages_router

    app = FastAPI(
        title="litopys",
        summary="A sourced chronicle of uk/ru/en news: documents, entities, events, stories, search.",
        version=_version(),
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.stores = Stores(store_backend.target(db))
    app.state.token = token or None

    # bodies without a Content-Length (chunked); added first, so inside the guard below: its 413 is
    # raised where the route reads the body, and answered like any HTTP error
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
            response: Response = JSONResponse(
                {"error": "request too large", "limit_bytes": MAX_BODY_BYTES}, status_code=413
            )
        else:
            try:
                response = await call_next(request)
            except Exception:  # never a stack trace to the client; the log keeps it
                log.exception("internal error on %s %s", request.method, request.url.path)
                response = JSONResponse({"error": "internal error"}, status_code=500)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        from litopys.web.pages import error_page

        if request.url.path.startswith("/api/") or request.url.path == "/api":
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "invalid request", "problems": problems}, status_code=422)
        from litopys.web.pages import error_page

        return error_page(request, 422, "; ".join(f"{p['where']}: {p['problem']}" for p in problems))

    # added last, so outside every other middleware: a kept response is sent as it was, headers and all
    app.state.responses = None
    if cache_bytes > 0:
        app.state.responses = Responses(db, max_bytes=cache_bytes)
        app.add_middleware(ResponseCache, responses=app.state.responses)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api_router)
    app.include_router(pages_router)
    return app


def app_from_env() -> FastAPI:
    """The application that ``litopys serve`` runs, for uvicorn's ``--factory`` (each worker process
    makes its own): the store at ``$LITOPYS_DB``, writes with ``$LITOPYS_TOKEN`` when set."""
    return create_app(os.environ[DB_ENV], token=os.environ.get(TOKEN_ENV) or None)


def _version() -> str:
    from litopys import __version__

    return __version__
