"""A cache of whole responses: the bytes of each GET page and API read, until the store changes.

The store is read far more often than it is written, and a page or an API answer is a function of
the store, the URL and (for a page) the UI language. So :class:`ResponseCache`, an ASGI middleware
around the whole application, keeps the answer of each GET by **key** = path + query string (+ the
UI language that ``?ui=``, the cookie or ``Accept-Language`` chooses, for the pages; the API has
none), and answers the next request for that key from memory without running the application.

* **Invalidation**: every request reads SQLite's ``PRAGMA data_version`` (microseconds) on a
  connection of the cache's own that never writes, the signal :mod:`litopys.api.cache` uses; when it
  has moved (a commit by any connection: the server's writer, ``litopys ingest`` beside the server,
  another worker process) every kept response is dropped. A response is filed under the generation
  in which the application started computing it, so one that a commit overtook is never served.
* **What is kept**: 200 answers to GET under their full key, at most :data:`MAX_ENTRY_BYTES` each,
  least recently used dropped first beyond :data:`MAX_BYTES` in all. Not kept: other methods and
  statuses (writes, 202 "summary still being made", errors, redirects), responses that set a cookie
  (``?ui=``), that say ``Cache-Control: no-store`` (a story page sent before its summary was ready),
  that have an ETag of their own (files), and ``/static`` (files, revalidated by their own ETag).
* **One computation per key**: requests for a key that is being computed wait for it instead of
  computing it again (fifty clients on a page the store's last commit invalidated cost one render).
* **Headers**: a kept response carries ``ETag`` (a hash of its bytes: the same in every worker
  process and across restarts, as long as the answer is the same) and ``Cache-Control: no-cache``
  (a browser may keep it but asks again, with ``If-None-Match``); a request whose ``If-None-Match``
  matches is answered ``304 Not Modified`` without a body.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from litopys.store.backend import Watcher

__all__ = ["MAX_BYTES", "MAX_ENTRY_BYTES", "ResponseCache", "Responses", "StoreVersion", "key"]

log = logging.getLogger("litopys.serve")

#: the bytes of all the responses kept by one server process at most (bodies and headers)
MAX_BYTES = 64 * 1024 * 1024
#: the largest response kept (a larger one is sent as it comes, not kept)
MAX_ENTRY_BYTES = 8 * 1024 * 1024
#: paths never kept: files, served with their own ETag
SKIP_PREFIXES = ("/static/",)
#: the Cache-Control directive of a response that is not to be kept
_NO_STORE = b"no-store"


class StoreVersion:
    """The generation of a store file: a number that moves after every commit to it by any
    connection (``PRAGMA data_version`` on a connection of its own that never writes)."""

    def __init__(self, path: str | Path) -> None:
        self._watcher = Watcher(path)
        self._lock = threading.Lock()
        self._seen: str | None = None
        self.generation = 0

    def current(self) -> int | None:
        """The generation now, or None when the store cannot be read (then nothing is served from
        the cache)."""
        with self._lock:
            try:
                version = self._watcher.version()
            except Exception:
                log.warning("response cache: cannot read the store's data_version", exc_info=True)
                return None
            if version != self._seen:
                if self._seen is not None:
                    self.generation += 1
                self._seen = version
            return self.generation


@dataclass
class Entry:
    generation: int
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    size: int


Key = tuple[str, bytes, str]


class Responses:
    """The responses kept for one store file (module docs), least recently used first."""

    def __init__(self, db: str | Path, *, max_bytes: int = MAX_BYTES, max_entry_bytes: int = MAX_ENTRY_BYTES):
        self.version = StoreVersion(db)
        self.max_bytes = max_bytes
        self.max_entry_bytes = min(max_entry_bytes, max_bytes)
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._bytes = 0
        self._generation = -1
        #: keys being computed: set when the computation ends
        self.running: dict[Key, asyncio.Event] = {}
        self.hits = 0
        self.misses = 0

    def current(self) -> int | None:
        """The store's generation now (every kept response dropped when it has moved); None when the
        store cannot be read."""
        generation = self.version.current()
        if generation is not None and generation != self._generation:
            self._generation = generation
            self.clear()
        return generation

    def get(self, key: Key, generation: int) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.generation != generation:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry

    def keep(self, key: Key, entry: Entry) -> None:
        if entry.generation != self._generation:  # a commit landed while it was computed
            return
        self._drop(key)
        self._entries[key] = entry
        self._bytes += entry.size
        while self._bytes > self.max_bytes and self._entries:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: Key) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= entry.size

    def clear(self) -> None:
        """Forget every kept response."""
        self._entries.clear()
        self._bytes = 0

    def stats(self) -> dict[str, int]:
        """Responses and bytes kept, hits and misses since the start."""
        return {"entries": len(self._entries), "bytes": self._bytes, "hits": self.hits, "misses": self.misses}


def key(scope: Scope) -> Key | None:
    """The cache key of a request (module docs), or None when its response is not to be kept."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return None
    path: str = scope["path"]
    if path.startswith(SKIP_PREFIXES):
        return None
    query: bytes = scope.get("query_string", b"")
    if path == "/api" or path.startswith("/api/"):
        return path, query, ""
    from litopys.web import i18n

    return path, query, i18n.ui_lang(Request(scope))


class ResponseCache:
    """The ASGI middleware (module docs): ``app.add_middleware(ResponseCache, responses=Responses(db))``."""

    def __init__(self, app: ASGIApp, *, responses: Responses) -> None:
        self.app = app
        self.responses = responses

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = key(scope)
        responses = self.responses
        generation = responses.current() if found is not None else None
        if found is None or generation is None:
            await self.app(scope, receive, send)
            return
        while True:
            entry = responses.get(found, generation)
            if entry is not None:
                responses.hits += 1
                await _send(entry, scope, send)
                return
            running = responses.running.get(found)
            if running is None:
                break
            await running.wait()  # the request computing it may keep it; else compute it here
            generation = responses.current()
            if generation is None or found in responses.running:  # not kept, and computed again already
                await self.app(scope, receive, send)
                return
        responses.misses += 1
        running = responses.running[found] = asyncio.Event()
        try:
            await self._compute(found, generation, scope, receive, send)
        finally:
            if responses.running.get(found) is running:
                del responses.running[found]
            running.set()

    async def _compute(self, found: Key, generation: int, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the application; keep its response when it may be kept, and send it."""
        limit = self.responses.max_entry_bytes
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        passing = False  # sending as it comes: not kept

        async def capture(message: Message) -> None:
            nonlocal start, size, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                if not _storable(message):
                    passing = True
                    await send(message)
                    return
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            body: bytes = message.get("body", b"")
            chunks.append(body)
            size += len(body)
            if message.get("more_body", False):
                if size > limit:  # too large to keep: send what came, then the rest as it comes
                    passing = True
                    await send(start)
                    await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": True})
                return
            passing = True
            whole = b"".join(chunks)
            if len(whole) > limit:
                await send(start)
                await send({"type": "http.response.body", "body": whole})
                return
            entry = _entry(generation, start, whole)
            self.responses.keep(found, entry)
            await _send(entry, scope, send)

        await self.app(scope, receive, capture)


async def _send(entry: Entry, scope: Scope, send: Send) -> None:
    """A kept response, or 304 when the request's If-None-Match names it."""
    if _matches(scope, entry.etag):
        headers = [(k, v) for k, v in entry.headers if k in (b"etag", b"cache-control", b"vary")]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
    await send({"type": "http.response.body", "body": entry.body})


def _storable(start: Message) -> bool:
    """Whether a response (its start message) may be kept: a 200 without a cookie, without
    ``Cache-Control: no-store`` and without an ETag of its own."""
    if start["status"] != 200:
        return False
    for name, value in start.get("headers", ()):
        name = name.lower()
        if name in (b"set-cookie", b"etag"):
            return False
        if name == b"cache-control" and _NO_STORE in value.lower():
            return False
    return True


def _entry(generation: int, start: Message, body: bytes) -> Entry:
    etag = b'"' + hashlib.blake2b(body, digest_size=16).hexdigest().encode() + b'"'
    headers = [
        (bytes(k).lower(), bytes(v))
        for k, v in start.get("headers", ())
        if bytes(k).lower() != b"cache-control"
    ]
    headers += [(b"etag", etag), (b"cache-control", b"no-cache")]
    size = len(body) + sum(len(k) + len(v) for k, v in headers) + 200  # and the entry's own objects
    return Entry(generation, int(start["status"]), headers, body, etag, size)


def _matches(scope: Scope, etag: bytes) -> bool:
    """Whether the request's If-None-Match names ``etag`` (or is ``*``)."""
    for name, value in scope.get("headers", ()):
        if name == b"if-none-match":
            tags = [t.strip().removeprefix(b"W/") for t in value.split(b",")]
            return etag in tags or b"*" in tags
    return False
