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
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from litopys.store import Store

#: the order in which a canonical event's status is chosen when its sources disagree
STATUS_ORDER = ("confirmed", "reported", "alleged", "planned", "feared", "denied")
#: the most mentions compared with each other in one block (the cost stays linear in the corpus)
BLOCK = 200
GRANULARITY_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "": 4}


@dataclass
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


def _load(store: Store) -> list[_Mention]:
    ids = _EntityIndex(store).ids

    rows = store.db.execute(
        "SELECT e.*, d.published, d.lang, m.event AS cluster FROM event_mentions e "
        "JOIN documents d ON d.id = e.doc_id LEFT JOIN story_members m ON m.doc_id = e.doc_id "
        "WHERE d.current = 1 ORDER BY coalesce(d.published, ''), d.ingested_at, e.doc_id, e.trigger_start"
    ).fetchall()
    out = []
    for r in rows:
        location = json.loads(r["location"]) if r["location"] else None
        out.append(
            _Mention(
                doc=r["doc_id"],
                trigger=r["trigger_start"],
                start=r["start"],
                end=r["end"],
                type=r["type"],
                plover=r["plover"],
                mode=r["mode"],
                actors=ids(r["doc_id"], json.loads(r["actors"])),
                targets=ids(r["doc_id"], json.loads(r["targets"])),
                location=next(iter(ids(r["doc_id"], [location])), None) if location else None,
                object=r["object"],
                date_start=r["date_start"],
                date_end=r["date_end"],
                granularity=r["granularity"],
                date_text=r["date_text"],
                status=r["status"],
                attributed_to=json.loads(r["attributed_to"]),
                published=r["published"],
                lang=r["lang"],
                cluster=r["cluster"],
            )
        )
    return out


def _dates_agree(a: _Mention, b: _Mention) -> bool:
    if not a.date_start or not b.date_start:
        return False
    coarse = max(GRANULARITY_RANK[a.granularity], GRANULARITY_RANK[b.granularity])
    width = {0: 10, 1: 10, 2: 7, 3: 4}.get(coarse, 0)
    return a.date_start[:width] == b.date_start[:width]


def _dates_differ(a: _Mention, b: _Mention) -> bool:
    return bool(a.date_start and b.date_start) and not _dates_agree(a, b)


def same_happening(a: _Mention, b: _Mention) -> bool:
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


def _groups(mentions: list[_Mention]) -> list[list[_Mention]]:
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # only mentions that could tell the same happening are compared: same type and event cluster,
    # same type and document, or same type, actor and month; a block holds at most BLOCK mentions
    blocks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        keys: list[tuple[str, ...]] = [("doc", m.type, m.doc)]
        if m.cluster:
            keys.append(("cluster", m.type, m.cluster))
        if m.date_start:
            keys += [("actor", m.type, actor, m.date_start[:7]) for actor in m.actors]
        for key in keys:
            if len(blocks[key]) < BLOCK:
                blocks[key].append(i)
    for members in blocks.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if find(i) != find(j) and same_happening(mentions[i], mentions[j]):
                    parent[find(j)] = find(i)
    groups: dict[int, list[_Mention]] = defaultdict(list)
    for i, m in enumerate(mentions):
        groups[find(i)].append(m)
    return list(groups.values())


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


def rebuild(store: Store) -> int:
    """Merge every event mention of the store into canonical events; returns their number."""
    mentions = _load(store)
    rows, assignment = [], []
    for group in _groups(mentions):
        group.sort(key=lambda m: (m.published or "", m.doc, m.trigger))
        first = group[0]
        event_id = f"evt-{first.doc}-{first.trigger}"
        dated = sorted((m for m in group if m.date_start), key=lambda m: GRANULARITY_RANK[m.granularity])
        date = dated[0] if dated else None
        actors = [e for e, _ in Counter(e for m in group for e in m.actors).most_common()]
        targets = [
            e for e, _ in Counter(e for m in group for e in m.targets).most_common() if e not in actors
        ]
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
        rows.append(
            (
                event_id,
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
        )
        assignment += [(event_id, m.doc, m.trigger) for m in group]
    with store.lock:
        store.db.execute("BEGIN IMMEDIATE")
        try:
            store.db.execute("DELETE FROM events")
            store.db.executemany(f"INSERT INTO events VALUES ({', '.join('?' * 17)})", rows)
            store.db.execute("UPDATE event_mentions SET canonical = NULL")
            store.db.executemany(
                "UPDATE event_mentions SET canonical = ? WHERE doc_id = ? AND trigger_start = ?", assignment
            )
            store.db.execute("COMMIT")
        except BaseException:
            store.db.execute("ROLLBACK")
            raise
    return len(rows)
