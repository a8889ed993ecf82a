"""Values derived from the store that are slow to compute (stories, counts, summaries), remembered
until the store changes: one cache per kind for the API and the web pages alike.

A change is seen through SQLite's ``PRAGMA data_version`` on a connection of the cache's own that
never writes: it moves whenever any connection (the server's writer, ``litopys ingest`` beside the
server, another worker process) has committed, and then every remembered value is dropped. A value
is filed under the generation in which its computation started, so one computed while a commit
lands is never served as newer than it is.

Summaries (:func:`summary`, :func:`summary_within`) take about a second for a few documents, up to
half a minute for a storyline of thousands. The API computes one on request and waits for it; a page
waits a few seconds at most (:func:`summary_within`: the computation goes on in the background, at
most :data:`SUMMARY_WORKERS` at a time) and its script fetches the rest later. However many requests
ask for the same summary, it is computed once; a failed one is remembered too (as its exception).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from litopys.records import Story
from litopys.store import Store, pages, stories
from litopys.store.backend import Watcher
from litopys.summaries import SENTENCES, Summary, UnknownStory, summarize

__all__ = [
    "SUMMARY_WORKERS",
    "Memo",
    "stats",
    "story",
    "storyline_name",
    "storylines",
    "summary",
    "summary_within",
]

log = logging.getLogger("litopys.serve")

V = TypeVar("V")


class Memo(Generic[V]):
    """At most ``size`` values by key, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[tuple[Hashable, ...], V] = OrderedDict()
        self._lock = threading.Lock()
        #: per store file: (the watching connection, the data_version it saw last, the generation)
        self._watch: dict[str, tuple[Watcher, str, int]] = {}
        #: the keys being computed: set when the computation ends
        self._running: dict[tuple[Hashable, ...], threading.Event] = {}

    def generation(self, store: Store) -> int:
        """The store's generation: a number that changes after every commit to it."""
        path = str(store.target)
        with self._lock:
            if path not in self._watch:
                watcher = Watcher(store.target)
                self._watch[path] = (watcher, watcher.version(), 0)
            watcher, seen, generation = self._watch[path]
            version = watcher.version()
            if version != seen:
                generation += 1
                self._watch[path] = (watcher, version, generation)
                for key in [k for k in self._values if k[0] == path]:
                    del self._values[key]
            return generation

    def clear(self) -> None:
        """Forget every value (not the computations under way)."""
        with self._lock:
            self._values.clear()

    def _cached(self, full: tuple[Hashable, ...]) -> tuple[bool, V | None]:
        """``(True, value)`` of ``full`` if remembered, else ``(False, None)``; under ``self._lock``."""
        if full in self._values:
            self._values.move_to_end(full)
            return True, self._values[full]
        return False, None

    def _keep(self, full: tuple[Hashable, ...], value: V) -> None:
        with self._lock:
            self._values[full] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def _done(self, full: tuple[Hashable, ...], running: threading.Event) -> None:
        with self._lock:
            if self._running.get(full) is running:
                del self._running[full]
        running.set()

    def get(self, store: Store, key: tuple[Hashable, ...], compute: Callable[[], V]) -> V:
        """The value of ``key`` in the store's current generation, computed when missing in the
        calling thread: by one request at a time (others asking for the same key meanwhile wait for
        it, so fifty clients asking for one large summary compute it once), outside the lock of the
        other keys. When the computation raises, the error goes to its caller; a waiting request
        then computes the value itself."""
        full = (str(store.target), self.generation(store), *key)
        while True:
            with self._lock:
                if full in self._values:
                    self._values.move_to_end(full)
                    return self._values[full]
                running = self._running.get(full)
                mine = running is None
                if running is None:
                    running = self._running[full] = threading.Event()
            if not mine:
                running.wait()
                continue  # computed by the request we waited for (or failed there: compute it here)
            try:
                value = compute()
                self._keep(full, value)
                return value
            finally:
                self._done(full, running)

    def get_within(
        self, store: Store, key: tuple[Hashable, ...], compute: Callable[[], V], *, wait: float, name: str
    ) -> tuple[bool, V | None]:
        """``(ready, value)`` of ``key`` in the store's current generation, waiting at most ``wait``
        seconds for it: when missing, ``compute`` runs in a thread of its own (named ``name``), which
        goes on after the wait; ``value`` is None when not ready. A computation that raises is logged
        and leaves no value (the next request starts another)."""
        full = (str(store.target), self.generation(store), *key)
        with self._lock:
            found, value = self._cached(full)
            if found:
                return True, value
            running = self._running.get(full)
            if running is None:
                running = self._running[full] = threading.Event()
                threading.Thread(
                    target=self._background, args=(full, compute, running), name=name, daemon=True
                ).start()
        running.wait(wait)
        with self._lock:
            return self._cached(full)

    def _background(
        self, full: tuple[Hashable, ...], compute: Callable[[], V], running: threading.Event
    ) -> None:
        try:
            self._keep(full, compute())
        except Exception:
            log.exception("computing %s failed", full[2:])
        finally:
            self._done(full, running)


# --- the caches of the server ---------------------------------------------------------------------

#: summaries computed in the background at the same time at most (each takes a core while it encodes)
SUMMARY_WORKERS = 2

#: each story, by id and title language (a storyline's title reads the main entities of all its
#: documents: tens of ms for a large one)
_stories: Memo[tuple[Story, list[Story]] | None] = Memo(4096)
#: the counts of /api/stats and the home page (scans of the documents)
_numbers: Memo[dict[str, Any]] = Memo(4)
#: every storyline's counts, languages and largest event clusters (the home page's list)
_storylines: Memo[list[dict[str, Any]]] = Memo(4)
#: what storylines' titles are made of, by id: their main entities (names in every language; the
#: entities of all their documents: tens of ms for a large one, on every page that names a
#: storyline), and their first document's title for those that have none
_titles: Memo[list[tuple[str, dict[str, str]]]] = Memo(4096)
_first_titles: Memo[str | None] = Memo(4096)
#: summaries by story, language and length; a failed one as its exception
summaries: Memo[Summary | Exception] = Memo(256)
_summary_slots = threading.BoundedSemaphore(SUMMARY_WORKERS)


def story(store: Store, story_id: str, *, lang: str | None = None) -> tuple[Story, list[Story]] | None:
    """:func:`litopys.store.pages.get_story`, remembered."""
    return _stories.get(
        store,
        (story_id, lang),
        lambda: pages.get_story(
            store,
            story_id,
            lang=lang,
            title_of=lambda line, lang: stories.join_title(_entities(store, line), lang),
        ),
    )


def storylines(store: Store, *, top_clusters: int) -> list[dict[str, Any]]:
    """:func:`litopys.store.pages.storyline_index`, remembered (shared: not to be changed)."""
    return _storylines.get(
        store, (top_clusters,), lambda: pages.storyline_index(store, top_clusters=top_clusters)
    )


def storyline_name(store: Store, storyline: str, *, lang: str | None = None) -> str:
    """:func:`litopys.store.stories.storyline_name`, remembered (in every language at once)."""
    entities = _entities(store, storyline)
    if entities:
        return stories.join_title(entities, lang)
    return _first_titles.get(store, (storyline,), lambda: stories.first_title(store, storyline)) or storyline


def _entities(store: Store, storyline: str) -> list[tuple[str, dict[str, str]]]:
    """:func:`litopys.store.stories.title_entities`, remembered (shared: not to be changed)."""
    return _titles.get(store, (storyline,), lambda: stories.title_entities(store, storyline))


def stats(store: Store) -> dict[str, Any]:
    """:meth:`Store.stats` and :func:`litopys.store.pages.counts` in one dict, remembered."""
    return _numbers.get(store, ("stats",), lambda: {**store.stats(), **pages.counts(store)})


def _summarize(store: Store, story_id: str, lang: str | None, sentences: int) -> Summary | Exception:
    """The summary, or the exception it raised (logged; kept without its traceback, whose frames
    would hold the computation's arrays)."""
    try:
        return summarize(store, story_id, lang=lang, sentences=sentences)
    except UnknownStory as error:
        return error.with_traceback(None)
    except Exception as error:
        log.exception("summary of %s failed", story_id)
        return error.with_traceback(None)


def summary(store: Store, story_id: str, *, lang: str | None, sentences: int = SENTENCES) -> Summary:
    """The summary of a story (:func:`litopys.summaries.summarize`), computed in the calling thread
    when no request has it yet; raises :class:`UnknownStory`, or RuntimeError when it failed."""
    found = summaries.get(
        store, (story_id, lang, sentences), lambda: _summarize(store, story_id, lang, sentences)
    )
    if isinstance(found, UnknownStory):
        raise UnknownStory(story_id)
    if isinstance(found, Exception):
        raise RuntimeError(f"the summary of {story_id} failed") from found
    return found


def summary_within(store: Store, story_id: str, *, lang: str, wait: float) -> tuple[bool, Summary | None]:
    """``(ready, summary)`` of a story in ``lang`` (:data:`litopys.summaries.SENTENCES` sentences),
    waiting at most ``wait`` seconds for it; ``summary`` is None when not ready yet, or when it
    failed (``ready`` true)."""
    path = store.target

    def compute() -> Summary | Exception:
        with _summary_slots, Store(path) as own:  # the calling thread's store stays with it
            return _summarize(own, story_id, lang, SENTENCES)

    ready, found = summaries.get_within(
        store, (story_id, lang, SENTENCES), compute, wait=wait, name=f"summary-{story_id}"
    )
    return ready, found if isinstance(found, Summary) else None
