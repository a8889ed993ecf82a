"""The graph export of the seeds (entity co-occurrence and actor → target of the events), in memory and
read back from GraphML and GEXF: North Korea and Russia are named together in every seed, and the CBS
report (000 uk, 003 ru) has North Korea send artillery to Russia."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from litopys.exports.graph import combined_graph, entity_graph, event_graph, export_graph
from litopys.store import Store
from litopys.store.entities import find_entity, list_entities
from litopys.store.events import list_events


@pytest.fixture(scope="module")
def store(seeded_cli: tuple[str, str]) -> Any:
    with Store(Path(seeded_cli[0])) as store:
        yield store


@pytest.fixture(scope="module")
def ids(store: Store) -> dict[str, str]:
    return {name: str(find_entity(store, name)[0]["id"]) for name in ("КНДР", "Росія", "Кім Чен Ин")}


def _plain(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _edges(graph: nx.MultiDiGraph, a: str, b: str, kind: str) -> list[dict[str, Any]]:
    return [data for _key, data in graph.get_edge_data(a, b, default={}).items() if data["kind"] == kind]


def test_exports_entity_graph_cooccurrence(store: Store, ids: dict[str, str]) -> None:
    graph = entity_graph(store)
    assert not graph.is_directed()
    assert graph.number_of_nodes() == len(list_entities(store))
    north_korea, russia, kim = ids["КНДР"], ids["Росія"], ids["Кім Чен Ин"]
    assert graph.nodes[north_korea]["label"] == "North Korea" and graph.nodes[north_korea]["type"] == "LOC"
    assert graph.nodes[north_korea]["documents"] == 5
    edge = graph.edges[north_korea, russia]
    assert edge["weight"] >= 2 and edge["weight"] <= 5
    # published dates of the seeds: 2023-09-13 … 2024-11-29 ("2023-10" when only the month is known)
    assert edge["first_seen"] == "2023-09-13" and edge["last_seen"] == "2024-11-29"
    assert graph.has_edge(kim, russia)
    # the weight is the number of documents naming both
    for a, b, weight in graph.edges(data="weight"):
        assert 1 <= weight <= min(graph.nodes[a]["documents"], graph.nodes[b]["documents"])
        assert a != b


def test_exports_event_graph_actor_to_target(store: Store, ids: dict[str, str]) -> None:
    graph = event_graph(store)
    assert graph.is_directed()
    north_korea, russia = ids["КНДР"], ids["Росія"]
    edge = graph.edges[north_korea, russia]
    assert "ARMS_TRANSFER" in edge["types"].split("; ")
    expected = sum(1 for e in list_events(store) if north_korea in e["actors"] and russia in e["targets"])
    assert edge["weight"] == expected >= 2
    assert edge["first_reported"] <= edge["last_reported"]
    assert not any(a == b for a, b in graph.edges)
    assert all(graph.nodes[n]["name"] for n in graph.nodes)


def test_exports_graph_attributes_are_plain(store: Store) -> None:
    graph = combined_graph(store)
    for _node, data in graph.nodes(data=True):
        assert all(_plain(v) for v in data.values()), data
    for _a, _b, data in graph.edges(data=True):
        assert all(_plain(v) for v in data.values()), data
        assert data["kind"] in ("cooccurrence", "event")
    kinds = {kind for _a, _b, kind in graph.edges(data="kind")}
    assert kinds == {"cooccurrence", "event"}
    assert (
        graph.number_of_edges()
        == entity_graph(store).number_of_edges() + event_graph(store).number_of_edges()
    )


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_exports_graph_file_round_trip(store: Store, ids: dict[str, str], tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "sub" / f"graph.{fmt}"
    nodes, edges = export_graph(store, path, fmt=fmt)
    graph = combined_graph(store)
    assert (nodes, edges) == (graph.number_of_nodes(), graph.number_of_edges())
    read = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert read.is_directed() and read.is_multigraph()
    assert (read.number_of_nodes(), read.number_of_edges()) == (nodes, edges)
    north_korea, russia, kim = ids["КНДР"], ids["Росія"], ids["Кім Чен Ин"]
    # labels and names: Latin and Cyrillic intact
    assert read.nodes[north_korea]["label"] == "North Korea"
    assert read.nodes[kim]["label"] == "Kim Jong Un"
    assert read.nodes[kim]["name_uk"] == graph.nodes[kim]["name_uk"] != ""
    assert any("\u0400" <= ch <= "\u04ff" for ch in read.nodes[kim]["name_uk"])
    assert int(read.nodes[north_korea]["documents"]) == 5
    # co-occurrence written once (smaller id first), the event edge in its own direction
    a, b = sorted((north_korea, russia))
    (cooccurrence,) = _edges(read, a, b, "cooccurrence")
    assert not _edges(read, b, a, "cooccurrence")
    assert cooccurrence["weight"] >= 2
    assert cooccurrence["first_seen"] == "2023-09-13"
    (event,) = _edges(read, north_korea, russia, "event")
    assert event["weight"] >= 2 and "ARMS_TRANSFER" in event["types"]


def test_exports_graph_unknown_format(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="graphml, gexf"):
        export_graph(store, tmp_path / "graph.dot", fmt="dot")
    assert not (tmp_path / "graph.dot").exists()
