"""Graph export: who is named with whom, and who did what to whom, as GraphML or GEXF (Gephi).

Two graphs over the canonical entities: :func:`entity_graph` (undirected co-occurrence: an edge
between two entities named in the same document) and :func:`event_graph` (directed: actor →
target of the canonical events). :func:`export_graph` writes both into one file as a single
directed multigraph whose edges carry ``kind`` (``cooccurrence`` or ``event``), so a viewer can
filter one or the other. Every attribute value is a str, int or float: GraphML and GEXF hold
neither None nor lists, so a missing value is "" and a list is joined with ``"; "``.
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx

from litopys.store import Store
from litopys.store.entities import list_entities

#: the file formats :func:`export_graph` writes
GRAPH_FORMATS = ("graphml", "gexf")
#: how the items of a list are joined inside an attribute
SEPARATOR = "; "


def _nodes(store: Store) -> dict[str, dict[str, Any]]:
    """Node attributes of every canonical entity, by id."""
    return {
        e["id"]: {
            "label": e["name"],
            "name": e["name"],
            "type": e["type"],
            "name_uk": e["names"].get("uk") or "",
            "name_ru": e["names"].get("ru") or "",
            "name_en": e["names"].get("en") or "",
            "documents": int(e["documents"]),
            "mentions": int(e["mentions"]),
        }
        for e in list_entities(store)
    }


def _unknown_node(entity_id: str) -> dict[str, Any]:
    """Attributes of an entity id that an event names but the entities table lacks (a stale link)."""
    return {
        "label": entity_id,
        "name": entity_id,
        "type": "",
        "name_uk": "",
        "name_ru": "",
        "name_en": "",
        "documents": 0,
        "mentions": 0,
    }


def entity_graph(store: Store) -> nx.Graph:
    """Co-occurrence of canonical entities in the current documents.

    Nodes: every entity, with ``label`` and ``name`` (canonical name), ``type``, ``name_uk``,
    ``name_ru``, ``name_en`` ("" when unknown), ``documents`` and ``mentions`` (counts). Edges: two
    entities named in the same document, with ``weight`` (documents they share) and ``first_seen``
    / ``last_seen`` (earliest and latest publication date of those documents, "" when none is dated).
    """
    graph = nx.Graph()
    graph.add_nodes_from(_nodes(store).items())
    pairs: dict[tuple[str, str], list[Any]] = {}  # (a, b) with a < b -> [weight, first, last]
    with store.lock:
        rows = store.db.execute(
            "SELECT d.published, group_concat(DISTINCT m.entity) FROM mentions m "
            "JOIN documents d ON d.id = m.doc_id WHERE d.current = 1 AND m.entity IS NOT NULL "
            "GROUP BY m.doc_id, d.published ORDER BY m.doc_id"
        ).fetchall()
    for published, joined in rows:
        date = published or ""
        for pair in combinations(sorted(set(joined.split(","))), 2):
            edge = pairs.get(pair)
            if edge is None:
                pairs[pair] = [1, date, date]
                continue
            edge[0] += 1
            if date:
                if not edge[1] or date < edge[1]:
                    edge[1] = date
                if date > edge[2]:
                    edge[2] = date
    for a, b in pairs:
        for node in (a, b):
            if node not in graph:
                graph.add_node(node, **_unknown_node(node))
    graph.add_edges_from(
        (a, b, {"weight": weight, "first_seen": first, "last_seen": last})
        for (a, b), (weight, first, last) in pairs.items()
    )
    return graph


def event_graph(store: Store) -> nx.DiGraph:
    """Actor → target of the canonical events.

    Nodes: the entities that are an actor or a target of an event with both, with the attributes of
    :func:`entity_graph`. Edges: ``weight`` (events), ``types`` (their event types, sorted, joined
    with "; "), ``first_date`` / ``last_date`` (earliest start and latest end of the dated ones'
    occurrence, "" when none is dated) and ``first_reported`` / ``last_reported`` (earliest and
    latest publication date of their sources, "" when unknown). An event with several actors or
    targets adds an edge for each pair; an entity is never linked to itself.
    """
    nodes = _nodes(store)
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    types: dict[tuple[str, str], set[str]] = {}
    with store.lock:
        rows = store.db.execute(
            "SELECT type, actors, targets, date_start, date_end, first_reported, last_reported FROM events "
            "ORDER BY id"
        ).fetchall()
    for row in rows:
        pairs = {(a, t) for a in json.loads(row["actors"]) for t in json.loads(row["targets"]) if a != t}
        for pair in pairs:
            edge = edges.setdefault(
                pair,
                {"weight": 0, "first_date": "", "last_date": "", "first_reported": "", "last_reported": ""},
            )
            edge["weight"] += 1
            types.setdefault(pair, set()).add(row["type"])
            _widen(edge, "first_date", "last_date", row["date_start"], row["date_end"])
            _widen(edge, "first_reported", "last_reported", row["first_reported"], row["last_reported"])
    graph = nx.DiGraph()
    for a, t in edges:
        for node in (a, t):
            if node not in graph:
                graph.add_node(node, **nodes.get(node, _unknown_node(node)))
    graph.add_edges_from(
        (a, t, {**edge, "types": SEPARATOR.join(sorted(types[a, t]))}) for (a, t), edge in edges.items()
    )
    return graph


def _widen(edge: dict[str, Any], first_key: str, last_key: str, first: str | None, last: str | None) -> None:
    """Stretch the edge's ``first_key``..``last_key`` span ("" = unknown) to cover first..last."""
    if first and (not edge[first_key] or first < edge[first_key]):
        edge[first_key] = first
    if last and last > edge[last_key]:
        edge[last_key] = last


def combined_graph(store: Store) -> nx.MultiDiGraph:
    """Both graphs in one directed multigraph: every entity node, each co-occurrence edge once
    (from the smaller id to the larger) and each event edge, with ``kind`` = ``cooccurrence`` or
    ``event``. Edge keys (``c0``, ``c1``, …, ``e0``, …) are unique, so they serve as file edge ids."""
    cooccurrence = entity_graph(store)
    events = event_graph(store)
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(cooccurrence.nodes(data=True))
    graph.add_nodes_from((n, data) for n, data in events.nodes(data=True) if n not in graph)
    for i, (a, b, data) in enumerate(cooccurrence.edges(data=True)):
        source, target = sorted((a, b))
        graph.add_edge(source, target, key=f"c{i}", kind="cooccurrence", **data)
    for i, (a, t, data) in enumerate(events.edges(data=True)):
        graph.add_edge(a, t, key=f"e{i}", kind="event", **data)
    return graph


def export_graph(store: Store, path: Path, *, fmt: str) -> tuple[int, int]:
    """Write :func:`combined_graph` to ``path`` as ``graphml`` or ``gexf`` (UTF-8); returns
    ``(nodes, edges)``."""
    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"graph format must be one of {', '.join(GRAPH_FORMATS)}, not {fmt!r}")
    graph = combined_graph(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(graph, path, encoding="utf-8")
    else:
        nx.write_gexf(graph, path, encoding="utf-8")
    return graph.number_of_nodes(), graph.number_of_edges()
