"""The timeline's reduce step: event mentions merged into canonical events, with all their sources.

Event mentions (one per trigger and sentence, :mod:`litopys.stages.events`) are merged when they
tell the same happening:

* same type, and in documents of one event cluster (``stages/stories.py``: the same report, its
  copies and translations), unless both name actors and they share none;
* or same type in one document, a shared actor (or a shared place and no other actor), and no
  dates that disagree;
* or same type, a shared canonical actor, and dates that agree (equal at the coarser granularity
  of the two; a mention without a date agrees with none, so undated reports of different
  happenings stay apart).

A canonical event takes the most precise date of its mentions, the union of their actors and
targets (canonical entity ids), the commonest location and object, a status (confirmed if any
source confirms it, else the commonest), its first and latest report, its languages and a one-line
summary. The step rebuilds the table from the store each time (it reads only event mentions, a few
per document); ids are stable: ``evt-`` + the document id and trigger offset of the earliest mention.
"""

from __future__ import annotations

import json
import marshal
import sqlite3
import sys
import tempfile
from array import array
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from litopys.store import Store
from litopys.store.db import batched

#: the order in which a canonical event's status is chosen when its sources disagree
STATUS_ORDER = ("confirmed", "reported", "alleged", "planned", "feared", "denied")
#: the most mentions compared with each other in one block (the cost stays linear in the corpus)
BLOCK = 200
#: blocks of mentions being compared held in memory (mentions come in publication order, so a block
#: fills within days of its first mention; the others wait in the temporary file). On the store
#: of the 100k full-pipeline run (docs/scaling.md; 503,127 event mentions): 4,096 blocks held
#: 215,593 members, peak 136 MiB, 46.8 s; 1,024 held 68,657, peak 75 MiB, 65.5 s (with the 4 MiB
#: page cache below)
BLOCKS_KEPT = 1024
#: SQLite's page cache for the temporary file, in KiB (the OS caches the file as well)
PAGE_CACHE_KIB = 4096
#: rows per statement when the canonical events are written to the store
WRITE_CHUNK = 1000
GRANULARITY_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "": 4}


@dataclass(slots=True)
class _Mention:
    doc: str
    trigger: int
    start: int
    end: int
    type: str
    plover: str
    mode: str
    actors: list[str]
    targets: list[str]
    location: str | None
    object: str
    date_start: str | None
    date_end: str | None
    granularity: str
    date_text: str
    status: str
    attributed_to: list[str]
    published: str | None
    lang: str
    cluster: str | None

    @property
    def key(self) -> str:
        return f"{self.doc}:{self.trigger}"


class _EntityIndex:
    """Canonical entity of a role: by its mention (document, start), else by its key ("LOC:росія", a
    nationality adjective's country) in the same document, else the commonest entity of that key.

    Only the keys are held for the whole store; a document's mentions are read when its event
    mentions come (they come document by document), so memory follows the number of names, not
    the 2 million mentions of 100,000 documents."""

    def __init__(self, store: Store) -> None:
        self._store = store
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for key, entity, count in store.db.execute(
            "SELECT key, entity, count(*) FROM mentions WHERE entity IS NOT NULL GROUP BY key, entity "
            "ORDER BY key, entity"
        ):
            counts[key][entity] = count
        self.by_key = {key: found.most_common(1)[0][0] for key, found in counts.items()}
        self._doc = ""
        self._by_mention: dict[int, str] = {}
        self._by_doc_key: dict[str, str] = {}

    def _read(self, doc: str) -> None:
        self._doc, self._by_mention, self._by_doc_key = doc, {}, {}
        for start, key, entity in self._store.db.execute(
            "SELECT start, key, entity FROM mentions WHERE doc_id = ? AND entity IS NOT NULL ORDER BY start",
            (doc,),
        ):
            self._by_mention[start] = entity
            self._by_doc_key.setdefault(key, entity)

    def ids(self, doc: str, roles: Iterable[dict[str, Any]]) -> list[str]:
        if doc != self._doc:
            self._read(doc)
        found = [
            self._by_mention.get(r["start"])
            or self._by_doc_key.get(r.get("key", ""))
            or self.by_key.get(r.get("key", ""))
            for r in roles
        ]
        return list(dict.fromkeys(e for e in found if e))


def _mentions(store: Store) -> Iterator[_Mention]:
    """Every event mention of the current documents, in publication order, a document at a time
    (the ids first, then each document's mentions: neither engine is asked to hold a cursor open
    while the entity index reads a document's names)."""
    ids = _EntityIndex(store).ids
    docs = [
        r[0]
        for r in store.db.execute(
            "SELECT d.id FROM documents d WHERE d.current = 1 AND EXISTS "
            "(SELECT 1 FROM event_mentions e WHERE e.doc_id = d.id) "
            "ORDER BY coalesce(d.published, ''), d.ingested_at, d.id"
        )
    ]
    for doc in docs:
        rows = store.db.execute(
            "SELECT e.*, d.published, d.lang, m.event AS cluster FROM event_mentions e "
            "JOIN documents d ON d.id = e.doc_id LEFT JOIN story_members m ON m.doc_id = e.doc_id "
            "WHERE e.doc_id = ? ORDER BY e.trigger_start",
            (doc,),
        ).fetchall()
        doc = sys.intern(doc)
        for r in rows:
            location = json.loads(r["location"]) if r["location"] else None
            yield _Mention(
                doc=doc,
                trigger=r["trigger_start"],
                start=r["start"],
                end=r["end"],
                type=sys.intern(r["type"]),
                plover=sys.intern(r["plover"]),
                mode=sys.intern(r["mode"]),
                actors=ids(doc, json.loads(r["actors"])),
                targets=ids(doc, json.loads(r["targets"])),
                location=next(iter(ids(doc, [location])), None) if location else None,
                object=r["object"],
                date_start=r["date_start"],
                date_end=r["date_end"],
                granularity=r["granularity"],
                date_text=r["date_text"],
                status=r["status"],
                attributed_to=json.loads(r["attributed_to"]),
                published=r["published"],
                lang=r["lang"],
                cluster=sys.intern(r["cluster"]) if r["cluster"] else None,
            )


@dataclass(slots=True)
class _Brief:
    """What telling whether two mentions tell the same happening needs (:func:`same_happening`):
    what the blocks being compared keep of each member."""

    type: str
    doc: str
    cluster: str | None
    actors: list[str]
    location: str | None
    date_start: str | None
    granularity: str

    @classmethod
    def of(cls, m: _Mention) -> _Brief:
        return cls(m.type, m.doc, m.cluster, m.actors, m.location, m.date_start, m.granularity)


_Comparable = _Mention | _Brief


def _dates_agree(a: _Comparable, b: _Comparable) -> bool:
    if not a.date_start or not b.date_start:
        return False
    coarse = max(GRANULARITY_RANK[a.granularity], GRANULARITY_RANK[b.granularity])
    width = {0: 10, 1: 10, 2: 7, 3: 4}.get(coarse, 0)
    return a.date_start[:width] == b.date_start[:width]


def _dates_differ(a: _Comparable, b: _Comparable) -> bool:
    return bool(a.date_start and b.date_start) and not _dates_agree(a, b)


def same_happening(a: _Comparable, b: _Comparable) -> bool:
    """Whether two event mentions tell the same happening (module docs)."""
    if a.type != b.type:
        return False
    if a.cluster and a.cluster == b.cluster and a.doc != b.doc:
        return not (a.actors and b.actors and not set(a.actors) & set(b.actors))
    if a.doc == b.doc and not _dates_differ(a, b):
        # one report retelling its happening: a shared actor, or a shared place and no other actor
        if set(a.actors) & set(b.actors):
            return True
        return bool(a.location and a.location == b.location) and not (set(a.actors) ^ set(b.actors)) - {""}
    return bool(set(a.actors) & set(b.actors)) and _dates_agree(a, b)


_FIELDS = tuple(f.name for f in fields(_Mention))


def _dumps(mention: _Mention) -> bytes:
    return marshal.dumps(tuple(getattr(mention, name) for name in _FIELDS))


def _loads(data: bytes) -> _Mention:
    return _Mention(*marshal.loads(data))


class _Blocks:
    """Blocks of mentions that may tell the same happening (block key → at most :data:`BLOCK`
    members): the :data:`BLOCKS_KEPT` most recently used in memory, the others in the temporary
    file; a full block is forgotten (no mention joins it any more, so none is compared with it)."""

    def __init__(self, work: sqlite3.Connection, *, kept: int | None = None) -> None:
        self.work = work
        self.kept = BLOCKS_KEPT if kept is None else kept
        work.execute("CREATE TABLE block (key BLOB PRIMARY KEY, members BLOB NOT NULL) WITHOUT ROWID")
        self.cache: OrderedDict[tuple[str, ...], list[tuple[int, _Brief]]] = OrderedDict()
        self.full: set[tuple[str, ...]] = set()

    def members(self, key: tuple[str, ...]) -> list[tuple[int, _Brief]] | None:
        """The members of block ``key`` (a new block: none), None when it is full."""
        if key in self.full:
            return None
        found = self.cache.get(key)
        if found is None:
            row = self.work.execute(
                "SELECT members FROM block WHERE key = ?", (marshal.dumps(key),)
            ).fetchone()
            found = [(i, _Brief(*fields)) for i, fields in marshal.loads(row[0])] if row else []
            self.cache[key] = found
            while len(self.cache) > self.kept:
                old, members = self.cache.popitem(last=False)
                data = [
                    (i, (b.type, b.doc, b.cluster, b.actors, b.location, b.date_start, b.granularity))
                    for i, b in members
                ]
                self.work.execute(
                    "INSERT OR REPLACE INTO block (key, members) VALUES (?, ?)",
                    (marshal.dumps(old), marshal.dumps(data)),
                )
        self.cache.move_to_end(key)
        return found

    def add(self, key: tuple[str, ...], members: list[tuple[int, _Brief]], i: int, mention: _Brief) -> None:
        members.append((i, mention))
        if len(members) >= BLOCK:
            self.full.add(key)
            self.cache.pop(key, None)
            self.work.execute("DELETE FROM block WHERE key = ?", (marshal.dumps(key),))


def _group(mentions: Iterable[_Mention], work: sqlite3.Connection) -> int:
    """Union the mentions that tell the same happening; leave in ``work`` the table ``member``
    (g, i, data): each mention ``i`` in input order, ``g`` the first mention of its group.

    Only mentions that could tell the same happening are compared: same type and event cluster,
    same type and document, or same type, actor and month; a block holds at most BLOCK mentions
    (the cost stays linear in the corpus). A mention is compared with the members a block already
    has as it joins it: the pairs, hence the groups, of comparing each full block at the end."""
    work.execute("CREATE TABLE mention (i INTEGER PRIMARY KEY, data BLOB NOT NULL)")
    parent = array("q")

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    blocks = _Blocks(work)
    doc_blocks: dict[tuple[str, ...], list[tuple[int, _Brief]]] = {}  # the current document's
    work.execute("BEGIN")
    for i, m in enumerate(mentions):
        parent.append(i)
        work.execute("INSERT INTO mention (i, data) VALUES (?, ?)", (i, _dumps(m)))
        brief = _Brief.of(m)
        if doc_blocks and next(iter(doc_blocks))[2] != m.doc:
            doc_blocks.clear()  # a document's mentions come together: its blocks are done
        keys: list[tuple[str, ...]] = []
        if m.cluster:
            keys.append(("cluster", m.type, m.cluster))
        if m.date_start:
            keys += [("actor", m.type, actor, m.date_start[:7]) for actor in m.actors]
        own = ("doc", m.type, m.doc)
        for key in (own, *keys):
            # one block at a time: fetching a block may send another one back to the file
            members = doc_blocks.setdefault(key, []) if key is own else blocks.members(key)
            if members is None or len(members) >= BLOCK:
                continue
            for j, other in members:
                if find(j) != find(i) and same_happening(other, brief):
                    parent[find(i)] = find(j)
            if key is own:
                members.append((i, brief))
            else:
                blocks.add(key, members, i, brief)
    work.execute("COMMIT")
    # each mention's group named by its first mention, in input order (the order groups are stored in)
    first = array("q", [-1]) * len(parent)
    work.execute("CREATE TABLE member (g INTEGER, i INTEGER, PRIMARY KEY (g, i)) WITHOUT ROWID")
    work.execute("BEGIN")
    for i in range(len(parent)):
        root = find(i)
        if first[root] < 0:
            first[root] = i
        work.execute("INSERT INTO member (g, i) VALUES (?, ?)", (first[root], i))
    work.execute("COMMIT")
    return len(parent)


def _groups(work: sqlite3.Connection) -> Iterator[list[_Mention]]:
    """The groups :func:`_group` left, one at a time, in the order of their first mention."""
    group: list[_Mention] = []
    current = -1
    for g, data in work.execute(
        "SELECT b.g, m.data FROM member b JOIN mention m ON m.i = b.i ORDER BY b.g, b.i"
    ):
        if g != current and group:
            yield group
            group = []
        current = g
        group.append(_loads(data))
    if group:
        yield group


def _names(store: Store, ids: Iterable[str]) -> list[str]:
    names = []
    for entity in ids:
        row = store.db.execute("SELECT name FROM entities WHERE id = ?", (entity,)).fetchone()
        names.append(row["name"] if row else entity)
    return names


def _summary(
    store: Store,
    type_: str,
    actors: list[str],
    targets: list[str],
    obj: str,
    where: str | None,
    date: str | None,
) -> str:
    who = " and ".join(_names(store, actors[:3])) or "(unknown actor)"
    line = f"{who}: {type_.lower().replace('_', ' ')}"
    if targets:
        line += " → " + ", ".join(_names(store, targets[:3]))
    if obj:
        line += f" ({obj})"
    if where:
        line += " in " + _names(store, [where])[0]
    if date:
        line += f", {date}"
    return line


def _shown_date(start: str, granularity: str) -> str:
    """A date as precise as it is known: 2024-11-29, 2024-06, 2024."""
    return start if granularity == "day" else start[:7] if granularity in ("month", "week") else start[:4]


def _event_row(store: Store, group: list[_Mention]) -> tuple[Any, ...]:
    """The canonical event of a group of mentions (module docs), as a row of ``events``."""
    group.sort(key=lambda m: (m.published or "", m.doc, m.trigger))
    first = group[0]
    dated = sorted((m for m in group if m.date_start), key=lambda m: GRANULARITY_RANK[m.granularity])
    date = dated[0] if dated else None
    actors = [e for e, _ in Counter(e for m in group for e in m.actors).most_common()]
    targets = [e for e, _ in Counter(e for m in group for e in m.targets).most_common() if e not in actors]
    locations = Counter(m.location for m in group if m.location)
    objects = Counter(m.object for m in group if m.object)
    statuses = Counter(m.status for m in group)
    status = (
        "confirmed"
        if "confirmed" in statuses
        else min(statuses, key=lambda s: (-statuses[s], STATUS_ORDER.index(s)))
    )
    where = locations.most_common(1)[0][0] if locations else None
    obj = objects.most_common(1)[0][0] if objects else ""
    published = sorted(m.published for m in group if m.published)
    date_text = _shown_date(date.date_start, date.granularity) if date and date.date_start else None
    if date_text is None:
        # a day or month without a year in a report without a date: said as written ("29 листопада")
        partial = next((m.date_text for m in group if m.date_text), "")
        date_text = f"{partial} (year unknown)" if partial else None
    return (
        f"evt-{first.doc}-{first.trigger}",
        first.type,
        first.plover,
        first.mode,
        date.date_start if date else None,
        date.date_end if date else None,
        date.granularity if date else "",
        json.dumps(actors),
        json.dumps(targets),
        where,
        obj,
        status,
        _summary(store, first.type, actors, targets, obj, where, date_text),
        published[0] if published else None,
        published[-1] if published else None,
        json.dumps(sorted({m.lang for m in group})),
        len(group),
    )


def rebuild(store: Store) -> int:
    """Merge every event mention of the store into canonical events; returns their number.

    Memory stays bounded whatever the size of the store: the mentions stream in a document at a
    time, the blocks being compared and the groups wait in a temporary SQLite file (``TMPDIR``
    chooses where), the canonical events are computed a group at a time into that file, and then
    replace the store's in one transaction."""
    with tempfile.TemporaryDirectory(prefix="litopys-timeline-") as folder:
        work = sqlite3.connect(Path(folder) / "timeline.db", isolation_level=None)
        try:
            for pragma in ("journal_mode = OFF", "synchronous = OFF", f"cache_size = -{PAGE_CACHE_KIB}"):
                work.execute(f"PRAGMA {pragma}")
            _group(_mentions(store), work)
            work.execute("CREATE TABLE event (n INTEGER PRIMARY KEY, data BLOB NOT NULL)")
            work.execute("CREATE TABLE assigned (event TEXT, doc TEXT, trigger INTEGER)")
            work.execute("BEGIN")
            events = 0
            for group in _groups(work):
                row = _event_row(store, group)
                work.execute("INSERT INTO event (data) VALUES (?)", (marshal.dumps(row),))
                work.executemany(
                    "INSERT INTO assigned VALUES (?, ?, ?)", [(row[0], m.doc, m.trigger) for m in group]
                )
                events += 1
            work.execute("COMMIT")
            with store.lock:
                store.db.execute("BEGIN IMMEDIATE")
                try:
                    store.db.execute("DELETE FROM events")
                    rows = (marshal.loads(r[0]) for r in work.execute("SELECT data FROM event ORDER BY n"))
                    for chunk in batched(rows, WRITE_CHUNK):
                        store.db.executemany(f"INSERT INTO events VALUES ({', '.join('?' * 17)})", chunk)
                    store.db.execute("UPDATE event_mentions SET canonical = NULL")
                    assigned = work.execute("SELECT event, doc, trigger FROM assigned ORDER BY rowid")
                    for chunk in batched(assigned, WRITE_CHUNK):
                        store.db.executemany(
                            "UPDATE event_mentions SET canonical = ? WHERE doc_id = ? AND trigger_start = ?",
                            chunk,
                        )
                    store.db.execute("COMMIT")
                except BaseException:
                    store.db.execute("ROLLBACK")
                    raise
        finally:
            work.close()
    return events
