"""Live input: RSS/Atom feeds polled over HTTP (``litopys feeds add/list/poll``), and a folder
watched for new and changed files (``litopys watch DIR``, :func:`watch`).

A feed is a row of the ``feeds`` table. :func:`poll` visits every feed that is due: a conditional
GET (``If-None-Match`` / ``If-Modified-Since`` from the last answer; 304 → nothing to do), the feed
parsed with feedparser, and for each entry whose link is not in the store yet, the article page
fetched and ingested as HTML with the entry's link as its URL (and its path), the entry's date as
``published`` and the feed's title as ``source``. Documents dedupe by content hash as any input does.

Politeness: a User-Agent that names litopys, a timeout and a size cap on every request, at least
:data:`HOST_DELAY_S` between two requests to one host, and a feed is polled at most once per its
interval (default :data:`DEFAULT_INTERVAL_S`) unless forced. A failing feed or page is recorded
(the feed's ``errors``/``last_error``, a page as a rejected input) and the rest go on.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from litopys import __version__
from litopys.errors import LitopysError
from litopys.pipeline import STAGES, IngestReport, Stage, ingest, reduce, store_inputs
from litopys.records import RawDoc, Rejected
from litopys.stages.ingest import input_state, normalize_date
from litopys.store import IngestOutcome, Store

__all__ = ["FeedResult", "PollReport", "add_feed", "list_feeds", "poll", "watch"]

#: how often a feed is polled at most (seconds), unless `litopys feeds poll --force`
DEFAULT_INTERVAL_S = 15 * 60
#: the shortest interval `litopys feeds add --interval` accepts
MIN_INTERVAL_S = 60
#: the least time between two requests to one host (seconds)
HOST_DELAY_S = 1.0
#: connect/read timeout of one request (seconds)
TIMEOUT_S = 20.0
#: the most bytes read of a feed or a page; a larger answer is an error
MAX_BYTES = 5 * 1024 * 1024
USER_AGENT = f"litopys/{__version__} (news chronicle; feed reader)"
SCHEMES = ("http", "https")


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def check_url(url: str) -> str:
    """The URL, stripped, if it is an absolute http(s) URL with a host; else ValueError."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return url


def add_feed(store: Store, url: str, *, interval_s: int = DEFAULT_INTERVAL_S) -> bool:
    """Subscribe to a feed; True when it is new (an existing feed keeps its state). ValueError for a
    URL that is not http(s) or an interval under :data:`MIN_INTERVAL_S`."""
    url = check_url(url)
    if interval_s < MIN_INTERVAL_S:
        raise ValueError(f"the interval must be at least {MIN_INTERVAL_S} s")
    with store.lock:
        cursor = store.db.execute(
            "INSERT OR IGNORE INTO feeds (url, interval_s) VALUES (?, ?)", (url, interval_s)
        )
    return cursor.rowcount == 1


def list_feeds(store: Store) -> list[dict[str, Any]]:
    """Every feed with its state, by URL."""
    with store.lock:
        rows = store.db.execute("SELECT * FROM feeds ORDER BY url").fetchall()
    return [dict(row) for row in rows]


@dataclass
class FeedResult:
    """What polling one feed did: ``status`` is "ok", "not modified", "not due" or "error"."""

    url: str
    status: str
    entries: int = 0
    ingested: int = 0
    unchanged: int = 0
    skipped: int = 0  # entries whose link is already in the store (not fetched again)
    error: str | None = None
    rejected: list[Rejected] = field(default_factory=list)


@dataclass
class PollReport:
    feeds: list[FeedResult] = field(default_factory=list)
    ingest: IngestReport = field(default_factory=IngestReport)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.feeds if f.status == "error") + len(self.ingest.rejected)


class _Polite:
    """An httpx client that waits :data:`HOST_DELAY_S` between requests to one host and reads at
    most :data:`MAX_BYTES` of an answer."""

    def __init__(self, client: httpx.Client, *, host_delay: float, sleep: Callable[[float], None]) -> None:
        self.client = client
        self.host_delay = host_delay
        self.sleep = sleep
        self.last: dict[str, float] = {}

    def get(self, url: str, headers: dict[str, str] | None = None) -> tuple[httpx.Response, bytes]:
        check_url(url)
        host = (urlsplit(url).hostname or "").lower()
        wait = self.last.get(host, -1e9) + self.host_delay - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        try:
            with self.client.stream("GET", url, headers=headers or {}) as response:
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise LitopysError("E112", f"{url}: larger than {MAX_BYTES} bytes")
                    chunks.append(chunk)
                check_url(str(response.url))  # where the redirects ended
                return response, b"".join(chunks)
        finally:
            self.last[host] = time.monotonic()


def _fail(url: str, err: Exception) -> str:
    if isinstance(err, LitopysError):
        return err.reason
    if isinstance(err, httpx.HTTPError | ValueError):
        return LitopysError("E112", f"{url}: {type(err).__name__}: {err}").reason
    return LitopysError("E112", f"{url}: {err}").reason


def _entry_date(entry: Any) -> str | None:
    for key in ("published", "updated", "created"):
        if value := normalize_date(str(entry.get(key) or "")):
            return value
    for key in ("published_parsed", "updated_parsed"):
        if parsed := entry.get(key):
            return time.strftime("%Y-%m-%d", parsed)
    return None


def poll(
    store: Store,
    *,
    force: bool = False,
    client: httpx.Client | None = None,
    host_delay: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    stages: Sequence[Stage] = STAGES,
    link: bool = True,
    stories: bool = True,
    workers: int = 1,
    dask: bool = False,
    scheduler: str | None = None,
) -> PollReport:
    """Poll every due feed (every feed with ``force``) and ingest the new entries' pages.

    The pages go through :func:`litopys.pipeline.store_inputs` as files do (``workers``, ``dask``
    and ``scheduler`` as for :func:`litopys.pipeline.ingest`), fetched as the pipeline asks for
    them; a feed's answer (its validators, the next poll) is recorded once its pages are stored,
    so an interrupted poll fetches them again next time instead of losing them behind a 304."""
    import feedparser  # lazily: only feed commands need it

    report = PollReport()
    now = _now()
    own = client is None
    http = client or httpx.Client(
        timeout=TIMEOUT_S, follow_redirects=True, headers={"User-Agent": USER_AGENT}
    )
    fetch = _Polite(http, host_delay=HOST_DELAY_S if host_delay is None else host_delay, sleep=sleep)
    feed_of_page: dict[str, FeedResult] = {}  # the feed whose entry an input in flight came from
    polled: list[Callable[[], None]] = []  # each answered feed's bookkeeping, once its pages are stored

    def pages() -> Iterator[tuple[RawDoc | Rejected, int]]:
        for feed in list_feeds(store):
            if not force and feed["next_poll"] and feed["next_poll"] > _iso(now):
                report.feeds.append(FeedResult(feed["url"], "not due"))
                continue
            answer = _fetch_feed(store, feed, fetch, feedparser.parse)
            report.feeds.append(answer.result)
            if answer.entries is None:
                continue
            for entry in answer.entries:
                page = _entry_page(store, entry, answer.title, fetch, answer.result)
                if page is not None:
                    feed_of_page[page.path] = answer.result
                    yield page, 0
            polled.append(answer.record)

    def on_result(path: str, outcome: IngestOutcome | Rejected) -> None:
        result = feed_of_page.pop(path, None)
        if result is None:
            return
        if isinstance(outcome, Rejected):
            result.rejected.append(outcome)
        elif outcome is IngestOutcome.UNCHANGED:
            result.unchanged += 1
        else:
            result.ingested += 1

    try:
        store_inputs(
            pages(),
            store=store,
            report=report.ingest,
            on_result=on_result,
            stages=stages,
            workers=workers,
            dask=dask,
            scheduler=scheduler,
        )
        for record in polled:
            record()
    finally:
        if own:
            http.close()
    reduce(store, report.ingest, link=link, stories=stories)
    return report


@dataclass
class _FeedAnswer:
    """A polled feed: what to report, its entries if it answered with some, and how to record the poll."""

    result: FeedResult
    record: Callable[[], None]
    entries: list[Any] | None = None
    title: str | None = None


def _fetch_feed(
    store: Store, feed: dict[str, Any], fetch: _Polite, parse_feed: Callable[[bytes], Any]
) -> _FeedAnswer:
    url = feed["url"]
    started = _now()
    headers: dict[str, str] = {
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"
    }
    if feed["etag"]:
        headers["If-None-Match"] = feed["etag"]
    if feed["last_modified"]:
        headers["If-Modified-Since"] = feed["last_modified"]
    try:
        response, data = fetch.get(url, headers)
        if response.status_code == 304:
            _record(store, url, started, feed["interval_s"])
            return _FeedAnswer(FeedResult(url, "not modified"), record=lambda: None)
        if response.status_code != 200:
            raise LitopysError("E112", f"{url}: HTTP {response.status_code}")
        parsed = parse_feed(data)
        if not parsed.entries and not parsed.feed.get("title"):
            raise LitopysError(
                "E112", f"{url}: not an RSS/Atom feed ({parsed.get('bozo_exception', 'empty')})"
            )
    except Exception as err:  # one broken feed must never stop the others
        reason = _fail(url, err)
        backoff = feed["interval_s"] * 2 ** min(feed["errors"] + 1, 4)
        with store.lock:
            store.db.execute(
                "UPDATE feeds SET last_polled = ?, next_poll = ?, errors = errors + 1, last_error = ? WHERE url = ?",
                (_iso(started), _iso(started + timedelta(seconds=backoff)), reason, url),
            )
        return _FeedAnswer(FeedResult(url, "error", error=reason), record=lambda: None)
    title = " ".join(str(parsed.feed.get("title") or "").split()) or None
    record = functools.partial(
        _record,
        store,
        url,
        started,
        feed["interval_s"],
        title=title or feed["title"],
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
    )
    result = FeedResult(url, "ok", entries=len(parsed.entries))
    return _FeedAnswer(result, record, entries=list(parsed.entries), title=title)


def _entry_page(
    store: Store, entry: Any, title: str | None, fetch: _Polite, result: FeedResult
) -> RawDoc | Rejected | None:
    """The page an entry links to, fetched (a failed fetch: rejected); None when the store has it."""
    page = str(entry.get("link") or "").strip()
    if not page:
        return None
    with store.lock:
        known = store.db.execute("SELECT 1 FROM documents WHERE path = ? LIMIT 1", (page,)).fetchone()
    if known is not None:
        result.skipped += 1
        return None
    try:
        response, data = fetch.get(page)
        if response.status_code != 200:
            raise LitopysError("E112", f"{page}: HTTP {response.status_code}")
    except Exception as err:  # a broken page must never stop the feed
        return Rejected(page, _fail(page, err))
    meta = [("url", page)]
    if published := _entry_date(entry):
        meta.append(("published", published))
    if title:
        meta.append(("source", title))
    return RawDoc(page, "html", data, meta=tuple(meta))


def _record(
    store: Store,
    url: str,
    started: datetime,
    interval_s: int,
    *,
    title: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> None:
    """A successful poll: the time, the next one, the validators of the answer (a 304 keeps the old)."""
    with store.lock:
        store.db.execute(
            "UPDATE feeds SET last_polled = ?, next_poll = ?, errors = 0, last_error = NULL, "
            "title = COALESCE(?, title), etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified) "
            "WHERE url = ?",
            (_iso(started), _iso(started + timedelta(seconds=interval_s)), title, etag, last_modified, url),
        )


# --- watching a folder --------------------------------------------------------------------------


def watch(
    folder: str | os.PathLike[str],
    *,
    store: Store,
    interval: float = 5.0,
    rounds: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    on_report: Callable[[list[str], IngestReport], None] | None = None,
    **options: Any,
) -> None:
    """Poll ``folder`` every ``interval`` seconds and ingest its new and changed files (``options``
    go to :func:`litopys.pipeline.ingest`); ``rounds`` scans at most (None: until interrupted).

    What is there at the start is ingested at once (known content is skipped by its hash); a file
    that appears or changes later is ingested once it has stayed the same for one interval, so that
    a file still being written is not read half-way. ``on_report(paths, report)`` after each ingest.
    """
    done: dict[str, tuple[int, int]] = {}
    pending: dict[str, tuple[int, int]] = {}
    scan = 0
    while rounds is None or scan < rounds:
        current = input_state(folder)
        changed = {path: sig for path, sig in current.items() if done.get(path) != sig}
        ready = [path for path, sig in changed.items() if scan == 0 or pending.get(path) == sig]
        pending = changed
        if ready:
            report = ingest(ready, store=store, **options)
            for path in ready:
                done[path] = current[path]
            if on_report is not None:
                on_report(ready, report)
        scan += 1
        if rounds is None or scan < rounds:
            sleep(interval)
