"""Story summaries for the pages: computed once per story, language and state of the store, in the
background, and kept in memory.

:func:`litopys.summaries.summarize` reads a story's sentences and encodes them: about a second for a
few documents, half a minute for a storyline of thousands. A page waits for it a few seconds
(:data:`PAGE_WAIT`); past that it shows the rest at once and a note, and its script fetches
``/stories/{id}/summary`` (which waits longer) to fill the summary in. However many requests ask for
the same summary, it is computed once.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from litopys.store import Store
from litopys.summaries import Summary, summarize

__all__ = ["PAGE_WAIT", "story_summary"]

log = logging.getLogger("litopys.serve")

#: seconds a story page waits for its summary before it answers without it
PAGE_WAIT = 3.0
#: summaries computed at the same time at most (each takes a core while it encodes)
WORKERS = 2
#: summaries kept in memory
CACHE = 256

_Key = tuple[str, str, str, tuple[Any, ...]]
_done: OrderedDict[_Key, Summary | None] = OrderedDict()  # None: the summary failed
_running: dict[_Key, threading.Event] = {}
_lock = threading.Lock()
_slots = threading.BoundedSemaphore(WORKERS)


def _stamp(store: Store) -> tuple[Any, ...]:
    """What changes when documents or stories do (a new ingest), so that a stale summary is not shown."""
    return tuple(
        store.db.execute(
            "SELECT (SELECT max(rowid) FROM documents), (SELECT count(*) FROM documents WHERE current = 1), "
            "(SELECT count(*) FROM story_members)"
        ).fetchone()
    )


def _compute(path: Path, story_id: str, lang: str, key: _Key, finished: threading.Event) -> None:
    result: Summary | None = None
    try:
        with _slots, Store(path) as store:
            result = summarize(store, story_id, lang=lang)
    except Exception:
        log.exception("summary of %s failed", story_id)
    with _lock:
        _done[key] = result
        while len(_done) > CACHE:
            _done.popitem(last=False)
        _running.pop(key, None)
    finished.set()


def story_summary(store: Store, story_id: str, *, lang: str, wait: float) -> tuple[bool, Summary | None]:
    """``(ready, summary)`` of a story in ``lang``, waiting at most ``wait`` seconds for it; ``summary``
    is None when not ready yet, or when it failed (``ready`` true)."""
    key: _Key = (str(store.path), story_id, lang, _stamp(store))
    with _lock:
        if key in _done:
            _done.move_to_end(key)
            return True, _done[key]
        finished = _running.get(key)
        if finished is None:
            finished = threading.Event()
            _running[key] = finished
            threading.Thread(
                target=_compute,
                args=(store.path, story_id, lang, key, finished),
                name=f"summary-{story_id}",
                daemon=True,
            ).start()
    finished.wait(wait)
    with _lock:
        if key in _done:
            return True, _done[key]
    return False, None
