"""Values derived from the store that are slow to compute (storyline titles, summaries), remembered
until the store changes.

A change is seen through SQLite's ``PRAGMA data_version`` on a connection of the cache's own that
never writes: it moves whenever any connection (the server's writer, ``litopys ingest`` beside the
server, another worker process) has committed, and then every remembered value is dropped. A value
is filed under the generation in which its computation started, so one computed while a commit
lands is never served as newer than it is.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from litopys.store import Store

V = TypeVar("V")


class Memo(Generic[V]):
    """At most ``size`` values by key, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[tuple[Hashable, ...], V] = OrderedDict()
        self._lock = threading.Lock()
        #: per store file: (the watching connection, the data_version it saw last, the generation)
        self._watch: dict[str, tuple[sqlite3.Connection, int, int]] = {}
        #: a lock per key being computed
        self._computing: dict[tuple[Hashable, ...], threading.Lock] = {}

    def generation(self, store: Store) -> int:
        """The store's generation: a number that changes after every commit to it."""
        path = str(store.path)
        with self._lock:
            if path not in self._watch:
                watcher = sqlite3.connect(path, check_same_thread=False)
                self._watch[path] = (watcher, self._version(watcher), 0)
            watcher, seen, generation = self._watch[path]
            version = self._version(watcher)
            if version != seen:
                generation += 1
                self._watch[path] = (watcher, version, generation)
                for key in [k for k in self._values if k[0] == path]:
                    del self._values[key]
            return generation

    @staticmethod
    def _version(connection: sqlite3.Connection) -> int:
        return int(connection.execute("PRAGMA data_version").fetchone()[0])

    def get(self, store: Store, key: tuple[Hashable, ...], compute: Callable[[], V]) -> V:
        """The value of ``key`` in the store's current generation, computed when missing: by one
        request at a time (others asking for the same key meanwhile wait for it, so fifty clients
        asking for one large summary compute it once), outside the lock of the other keys."""
        full = (str(store.path), self.generation(store), *key)
        with self._lock:
            if full in self._values:
                self._values.move_to_end(full)
                return self._values[full]
            computing = self._computing.setdefault(full, threading.Lock())
        try:
            with computing:
                with self._lock:
                    if full in self._values:  # computed by the request we waited for
                        self._values.move_to_end(full)
                        return self._values[full]
                value = compute()
                with self._lock:
                    self._values[full] = value
                    while len(self._values) > self.size:
                        self._values.popitem(last=False)
                return value
        finally:
            with self._lock:
                if self._computing.get(full) is computing and not computing.locked():
                    del self._computing[full]
