"""The REST API of `litopys serve` (src/litopys/api): every endpoint on the seeded store, bad
parameters, the token rules, uploads, the body limit, the security headers and the docs UI."""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from litopys.api import MAX_BODY_BYTES, SECURITY_HEADERS, create_app, routes, writes
from litopys.cli import app as cli
from litopys.store import Store

from conftest import FIXTURES

TOKEN = "s3cret-token"
STORYLINE = "st-4c543e7d13992023"
#: the paths of the OpenAPI description
PATHS = {
    "/api/health",
    "/api/stats",
    "/api/documents",
    "/api/documents/{doc_id}",
    "/api/entities",
    "/api/entities/{entity_id}",
    "/api/events",
    "/api/events/{event_id}",
    "/api/timeline",
    "/api/stories",
    "/api/stories/{story_id}",
    "/api/search",
    "/api/ingest",
    "/api/entities/merge",
    "/api/entities/split",
}


@pytest.fixture(scope="module")
def client(seeded_cli: tuple[str, str]) -> TestClient:
    """A read-only server (no token) over the seeded store."""
    return TestClient(create_app(seeded_cli[0]))


def _copy(seeded_cli: tuple[str, str], path: Path) -> Path:
    with sqlite3.connect(seeded_cli[0]) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    return path


@pytest.fixture
def writable(seeded_cli: tuple[str, str], tmp_path: Path) -> tuple[TestClient, Path]:
    """A server with a token over a copy of the seeded store: (client, db path)."""
    db = _copy(seeded_cli, tmp_path / "copy.db")
    return TestClient(create_app(db, token=TOKEN)), db


@pytest.fixture
def uploads_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder that the server's temporary upload folders are made in, for this test."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _get(client: TestClient, url: str, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _all(client: TestClient, url: str, **params: Any) -> list[Any]:
    """Every item of a paginated list, two at a time (so that pages are exercised)."""
    items: list[Any] = []
    total = None
    while True:
        page = _get(client, url, limit=2, offset=len(items), **params)
        assert page["limit"] == 2 and page["offset"] == len(items)
        total = page["total"] if total is None else total
        assert page["total"] == total
        items += page["items"]
        if not page["items"]:
            break
    assert len(items) == total
    return items


def _records(export: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r for r in export if r["kind"] == kind]


def _cli_json(db: str, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--db", db, *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# --- reads -------------------------------------------------------------------------------------------


def test_api_health(client: TestClient) -> None:
    body = _get(client, "/api/health")
    assert body["status"] == "ok" and body["schema_version"] >= 6 and body["writes"] is False


def test_api_stats(client: TestClient, export: list[dict[str, Any]]) -> None:
    body = _get(client, "/api/stats")
    assert body["documents"] == body["versions"] == 5 and body["rejected"] == 0
    assert body["by_lang"] == {"uk": 4, "ru": 1}
    assert body["entities"] == len(_records(export, "entity"))
    assert body["events"] == len(_records(export, "event"))
    assert (body["storylines"], body["event_clusters"]) == (1, 4)


def test_api_documents_list(client: TestClient, export: list[dict[str, Any]]) -> None:
    items = _all(client, "/api/documents")
    docs = {r["id"]: r for r in _records(export, "document")}
    assert sorted(d["id"] for d in items) == sorted(docs)
    dates = [d["published"] for d in items]
    assert dates == sorted(dates, reverse=True)  # the latest first (every seed is dated)
    for item in items:
        record = docs[item["id"]]
        assert "text" not in item
        for key in ("path", "title", "lang", "published", "source", "event_cluster", "storyline"):
            assert item[key] == record[key]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"lang": "ru"}, 1),
        ({"lang": "uk"}, 4),
        ({"lang": "en"}, 0),
        ({"from": "2024-11-29"}, 1),
        ({"from": "2024"}, 2),
        ({"to": "2023-10"}, 3),  # "2023-10" (month only) is within to=2023-10
        ({"from": "2023-10", "to": "2023-10-31"}, 2),
        ({"story": STORYLINE}, 5),
        ({"story": "ev-dfb15aaccd78c887"}, 2),
        ({"story": "ev-dfb15aaccd78c887", "lang": "ru"}, 1),
    ],
)
def test_api_documents_filters(client: TestClient, params: dict[str, str], expected: int) -> None:
    body = _get(client, "/api/documents", **params)
    assert body["total"] == len(body["items"]) == expected
    if "lang" in params:
        assert {d["lang"] for d in body["items"]} <= {params["lang"]}


def test_api_document_record_is_the_export_record(client: TestClient, export: list[dict[str, Any]]) -> None:
    for record in _records(export, "document"):
        body = _get(client, f"/api/documents/{record['id']}")
        assert body["document"] == record
        assert body["versions"] == [
            {
                "id": record["id"],
                "version": 1,
                "current": True,
                "ingested_at": body["versions"][0]["ingested_at"],
            }
        ]
        for event in body["events"]:
            assert event["kind"] == "event"
            assert record["id"] in {s["document"] for s in event["sources"]}


def test_api_document_text_round_trips(client: TestClient, seeded_cli: tuple[str, str]) -> None:
    with Store(seeded_cli[0]) as store:
        stored = list(store.documents())
    for doc in stored:
        body = _get(client, f"/api/documents/{doc['id'][:6]}")  # a unique prefix
        got = body["document"]
        assert got["id"] == doc["id"] and got["text"] == doc["text"]
        assert got["removed"] == doc["removed"] and got["sentences"] == doc["sentences"]
        for mention in got["mentions"]:
            assert got["text"][mention["start"] : mention["end"]] == mention["text"]


def test_api_document_events_of_belousov_visit(client: TestClient, seed_of: dict[str, str]) -> None:
    (doc,) = [d for d, seed in seed_of.items() if seed == "001"]
    events = _get(client, f"/api/documents/{doc}")["events"]
    assert any(e["type"] == "VISIT" and e["date"]["start"] == "2024-11-29" for e in events)


def test_api_entities_list(client: TestClient, export: list[dict[str, Any]]) -> None:
    items = _all(client, "/api/entities")
    records = {r["id"]: r for r in _records(export, "entity")}
    assert [e["id"] for e in items] == [r["id"] for r in _records(export, "entity")]  # most mentioned first
    for item in items:
        assert item["documents"] == len(records[item["id"]]["documents"])
        assert item["mentions"] == records[item["id"]]["mentions"]
    people = _all(client, "/api/entities", type="per")
    assert people and {e["type"] for e in people} == {"PER"}
    assert [e["name"] for e in _get(client, "/api/entities", q="рЮТТе")["items"]] == ["Mark Rutte"]
    assert _get(client, "/api/entities", q="Kim Jong", type="LOC")["total"] == 0


def test_api_entity_detail(client: TestClient, export: list[dict[str, Any]]) -> None:
    (kim,) = [r for r in _records(export, "entity") if r["name"] == "Kim Jong Un"]
    by_id = _get(client, f"/api/entities/{kim['id']}")
    assert by_id["entity"] == kim
    assert [d["id"] for d in by_id["documents"]["items"]] == kim["documents"]
    assert by_id["documents"]["total"] == len(kim["documents"])
    assert all(d["mentions"] >= 1 for d in by_id["documents"]["items"])
    assert "Vladimir Putin" in {o["name"] for o in by_id["cooccurring"]}
    for name in ("Ким Чен Ын", "Кім Чен Ин", "Kim Jong Un"):  # a name in any language finds it
        assert _get(client, f"/api/entities/{name}")["entity"]["id"] == kim["id"]
    page = _get(client, f"/api/entities/{kim['id']}", limit=1, offset=1)["documents"]
    assert [d["id"] for d in page["items"]] == kim["documents"][1:2]


def test_api_events_list_is_the_timeline(client: TestClient, export: list[dict[str, Any]]) -> None:
    assert _all(client, "/api/events") == _records(export, "event")


def test_api_events_visit_of_belousov(client: TestClient) -> None:
    (belousov,) = _get(client, "/api/entities", q="Білоусов")["items"]
    visits = _all(client, "/api/events", type="VISIT")
    assert visits and {e["type"] for e in visits} == {"VISIT"}
    (visit,) = [e for e in visits if belousov["id"] in e["actors"]]
    assert visit["date"] == {"start": "2024-11-29", "end": "2024-11-29", "granularity": "day"}
    same = _get(client, "/api/events", type="visit", entity="Андрей Белоусов", **{"from": "2024-11"})
    assert [e["id"] for e in same["items"]] == [visit["id"]]


@pytest.mark.parametrize(
    "params",
    [
        {"entity": "Рютте"},
        {"entity": "Kim Jong Un"},
        {"story": "ev-dfb15aaccd78c887"},
        {"from": "2024-11-01", "to": "2024-11-30"},
        {},
    ],
)
def test_api_timeline_is_the_cli_timeline(
    client: TestClient, seeded_cli: tuple[str, str], params: dict[str, str]
) -> None:
    args = [x for key, value in params.items() for x in (f"--{key}", value)]
    expected = _cli_json(seeded_cli[0], "timeline", *args)
    assert _all(client, "/api/timeline", **params) == expected
    body = _get(client, "/api/timeline", **params)
    assert (body["entities"] != []) == ("entity" in params)


def test_api_event_detail(client: TestClient, export: list[dict[str, Any]]) -> None:
    texts = {r["id"]: r["text"] for r in _records(export, "document")}
    for record in _records(export, "event"):
        body = _get(client, f"/api/events/{record['id']}")
        assert body["event"] == record
        assert len(body["sources"]) == len(record["sources"])
        for source in body["sources"]:
            text = texts[source["document"]]
            assert text[source["start"] : source["end"]] == source["sentence"]
            assert source["start"] <= source["trigger"][0] < source["trigger"][1] <= source["end"]


def test_api_stories_list_is_the_export(client: TestClient, export: list[dict[str, Any]]) -> None:
    stories = _records(export, "story")
    assert _all(client, "/api/stories") == stories
    assert _all(client, "/api/stories", level="storyline") == [
        s for s in stories if s["level"] == "storyline"
    ]
    assert _all(client, "/api/stories", level="event") == [s for s in stories if s["level"] == "event"]


def test_api_storyline_detail(client: TestClient, export: list[dict[str, Any]]) -> None:
    body = _get(client, f"/api/stories/{STORYLINE}")
    assert body["story"]["level"] == "storyline" and len(body["story"]["documents"]) == 5
    assert body["documents"]["total"] == 5
    assert [d["id"] for d in body["documents"]["items"]] == body["story"]["documents"]
    clusters = [s for s in _records(export, "story") if s["level"] == "event"]
    assert body["members"] == clusters and len(clusters) == 4
    assert body["summary"] is None  # only on request: seconds on a large storyline


def test_api_event_cluster_detail(client: TestClient) -> None:
    body = _get(client, "/api/stories/ev-dfb15aaccd78c887", limit=1)
    assert body["story"]["storyline"] == STORYLINE and body["members"] == []
    assert body["documents"]["total"] == 2 and len(body["documents"]["items"]) == 1


def test_api_story_summary(client: TestClient, export: list[dict[str, Any]]) -> None:
    texts = {r["id"]: r["text"] for r in _records(export, "document")}
    body = _get(client, f"/api/stories/{STORYLINE}", summary="true", lang="uk", sentences=3)
    summary = body["summary"]
    assert summary["story"] == STORYLINE and summary["lang"] == "uk" and not summary["lang_fallback"]
    assert 1 <= len(summary["sentences"]) <= 3
    for sentence in summary["sentences"]:
        assert sentence["lang"] == "uk"
        assert texts[sentence["document"]][sentence["start"] : sentence["end"]] == sentence["text"]
    again = _get(client, f"/api/stories/{STORYLINE}", summary="true", lang="uk", sentences=3)
    assert again["summary"] == summary  # remembered


def test_api_search_finds_kim_across_languages(client: TestClient, export: list[dict[str, Any]]) -> None:
    (kim,) = [r for r in _records(export, "entity") if r["name"] == "Kim Jong Un"]
    langs = {r["id"]: r["lang"] for r in _records(export, "document")}
    body = _get(client, "/api/search", q="Ким Чен Ын", lang="uk")  # the Russian name, Ukrainian documents
    ids = {h["id"] for h in body["items"]}
    assert ids == {d for d in kim["documents"] if langs[d] == "uk"} and ids
    assert all(h["lang"] == "uk" and kim["id"] in h["entities"] for h in body["items"])
    assert body["more"] is False and body["query"] == "Ким Чен Ын"
    for hit in body["items"]:
        for start, end in hit["highlights"]:
            assert 0 <= start < end <= len(hit["snippet"])


def test_api_search_is_the_cli_search(client: TestClient, seeded_cli: tuple[str, str]) -> None:
    expected = _cli_json(seeded_cli[0], "search", "Північна Корея", "--limit", "50")
    assert _get(client, "/api/search", q="Північна Корея", limit=50)["items"] == expected
    first = _get(client, "/api/search", q="Північна Корея", limit=2)
    second = _get(client, "/api/search", q="Північна Корея", limit=2, offset=2)
    assert first["more"] is True
    assert [h["id"] for h in first["items"] + second["items"]] == [h["id"] for h in expected[:4]]


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"from": "2024-01-01"}, 2),
        ({"to": "2023-10"}, 3),
        ({"outlet": "CBS"}, 2),
        ({"entity": "Рютте"}, 1),
        ({"type": "ARMS_TRANSFER"}, None),
    ],
)
def test_api_search_filters(client: TestClient, params: dict[str, str], count: int | None) -> None:
    body = _get(client, "/api/search", q="КНДР", limit=50, **params)
    if count is not None:
        assert len(body["items"]) == count
    assert body["items"]


# --- bad parameters and unknown ids ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/api/documents?limit=0", 422, "limit"),
        ("/api/documents?limit=501", 422, "limit"),
        ("/api/documents?limit=ten", 422, "limit"),
        ("/api/documents?offset=-1", 422, "offset"),
        ("/api/documents?lang=de", 422, "lang"),
        ("/api/documents?from=2024-13-01", 422, "not a date"),
        ("/api/documents?from=yesterday", 422, "not a date"),
        ("/api/documents?to=2024-02-30", 422, "not a date"),
        ("/api/documents?from=2024-12&to=2024-11", 422, "after"),
        ("/api/documents?story=st-nope", 422, "storyline"),
        ("/api/entities?type=PERSON", 422, "PER, LOC"),
        ("/api/entities?q=%20", 422, "empty"),
        ("/api/events?type=PICNIC", 422, "VISIT"),
        ("/api/events?entity=Nobody%20Atall", 422, "no entity"),
        ("/api/events?from=2024-1-1", 422, "not a date"),
        ("/api/timeline?entity=%20", 422, "empty"),
        ("/api/timeline?story=ev-nope", 422, "storyline"),
        ("/api/stories?level=chapter", 422, "level"),
        ("/api/stories?limit=100000", 422, "limit"),
        (f"/api/stories/{STORYLINE}?lang=de", 422, "lang"),
        (f"/api/stories/{STORYLINE}?sentences=0", 422, "sentences"),
        (f"/api/stories/{STORYLINE}?summary=perhaps", 422, "summary"),
        ("/api/search", 422, "q"),
        ("/api/search?q=", 422, "q"),
        ("/api/search?q=%20%20", 422, "empty"),
        ("/api/search?q=КНДР&limit=101", 422, "limit"),
        ("/api/search?q=КНДР&offset=5000", 422, "offset"),
        ("/api/search?q=КНДР&lang=pl", 422, "lang"),
        ("/api/search?q=КНДР&from=2024-99", 422, "not a date"),
        ("/api/search?q=КНДР&type=nope", 422, "event type"),
        ("/api/search?q=КНДР&entity=Nobody%20Atall", 422, "no entity"),
        ("/api/search?q=" + "слово%20" * 200, 422, "q"),
        ('/api/search?q="', 200, ""),  # FTS syntax is quoted, never passed through
        ("/api/search?q=AND%20OR%20NOT%20*", 200, ""),
        ("/api/documents/abc", 404, "4 or more"),
        ("/api/documents/ffffffffffffffff", 404, "no single document"),
        ("/api/documents/%25%25%25%25", 404, "no single document"),
        ("/api/entities/nobody-at-all", 404, "no entity"),
        ("/api/events/evt-nope", 404, "no event"),
        ("/api/stories/st-nope", 404, "storyline"),
        ("/api/nothing-here", 404, "Not Found"),
        ("/api/docs/static/index.html", 404, "no file"),
        ("/api/docs/static/..%2F..%2F__init__.py", 404, ""),
        ("/api/docs/static/%2e%2e%2fswagger-initializer.js", 404, ""),
    ],
)
def test_api_bad_parameters_answer_4xx_with_a_message(
    client: TestClient, url: str, status: int, words: str
) -> None:
    response = client.get(url)
    assert response.status_code == status, response.text
    if status != 200:
        body = response.json()
        assert body["error"]
        assert words.lower() in json.dumps(body, ensure_ascii=False).lower()
        assert "Traceback" not in response.text


def test_api_internal_error_has_no_stack_trace(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from litopys.store import events

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret detail /home/user/db")

    monkeypatch.setattr(events, "get_event", broken)
    response = TestClient(client.app, raise_server_exceptions=False).get("/api/events/evt-x")
    assert response.status_code == 500
    assert response.json() == {"error": "internal error"}
    assert "secret" not in response.text and "Traceback" not in response.text
    assert response.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]


# --- writes: the token -------------------------------------------------------------------------------

WRITES = [
    ("/api/ingest", {"files": [("files", ("a.txt", b"text", "text/plain"))]}),
    ("/api/entities/merge", {"json": {"a": "Кремль", "b": "Москва"}}),
    ("/api/entities/split", {"json": {"a": "Кремль", "b": "Москва"}}),
]


@pytest.mark.parametrize(("url", "body"), WRITES)
def test_api_writes_on_a_read_only_server_answer_403(
    client: TestClient, url: str, body: dict[str, Any]
) -> None:
    for headers in ({}, AUTH):
        response = client.post(url, headers=headers, **body)
        assert response.status_code == 403
        assert "read-only server: set LITOPYS_TOKEN" in response.json()["error"]


@pytest.mark.parametrize(("url", "body"), WRITES)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer ключ".encode()},  # not ASCII: compared as bytes, no 500
    ],
)
def test_api_writes_without_the_right_token_answer_401(
    writable: tuple[TestClient, Path], url: str, body: dict[str, Any], headers: dict[str, Any]
) -> None:
    client, db = writable
    response = client.post(url, headers=headers, **body)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "token" in response.json()["error"]
    with Store(db) as store:
        assert store.stats()["documents"] == 5
        assert store.db.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0


def test_api_reads_need_no_token(writable: tuple[TestClient, Path]) -> None:
    client, _ = writable
    assert _get(client, "/api/health")["writes"] is True
    assert client.get("/api/stats", headers={"Authorization": "Bearer wrong"}).status_code == 200


# --- writes: ingest ----------------------------------------------------------------------------------


def test_api_ingest_with_the_token_makes_the_upload_searchable(
    writable: tuple[TestClient, Path], uploads_root: Path
) -> None:
    client, _ = writable
    assert _get(client, "/api/stats")["documents"] == 5
    page = (FIXTURES / "ingest" / "article.html").read_bytes()
    response = client.post(
        "/api/ingest", headers=AUTH, files=[("files", ("rutte-kndr-kursk.html", page, "text/html"))]
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["ingested"], report["new_versions"], report["unchanged"], report["rejected"]) == (
        1,
        0,
        0,
        [],
    )
    assert report["entities"] > 0 and report["events"] > 0 and report["stories"]["placed"] == 1
    assert _get(client, "/api/stats")["documents"] == 6  # the remembered counts follow the store
    hits = _get(client, "/api/search", q="Рютте", outlet="pryklad")["items"]
    assert [h["url"] for h in hits] == ["https://pryklad.example.ua/world/2024/10/28/rutte-kndr-kursk.html"]
    doc = _get(client, f"/api/documents/{hits[0]['id']}")["document"]
    assert doc["title"].startswith("Я можу підтвердити")
    assert list(uploads_root.iterdir()) == []  # the temporary folder is gone
    again = client.post(
        "/api/ingest", headers=AUTH, files=[("files", ("rutte-kndr-kursk.html", page, "text/html"))]
    ).json()
    assert (again["ingested"], again["unchanged"]) == (0, 1)


def test_api_ingest_applies_an_uploaded_metadata_csv(
    writable: tuple[TestClient, Path], uploads_root: Path
) -> None:
    client, _ = writable
    text = (
        "Сеул заявив про нові пуски ракет КНДР\n"
        + "Південна Корея повідомила про запуск ракети з території КНДР у бік Японського моря.\n" * 2
    )
    meta = "file_name,published,source\nseoul.txt,2024-12-02,Приклад.ua\n"
    files = [
        ("files", ("seoul.txt", text.encode("utf-8"), "text/plain")),
        ("files", ("metadata.csv", meta.encode("utf-8"), "text/csv")),
    ]
    report = client.post("/api/ingest", headers=AUTH, files=files).json()
    assert (report["ingested"], report["rejected"]) == (1, [])
    (doc,) = _get(client, "/api/documents", **{"from": "2024-12"})["items"]
    assert (doc["published"], doc["source"]) == ("2024-12-02", "Приклад.ua")


def test_api_ingest_reports_rejected_files(writable: tuple[TestClient, Path], uploads_root: Path) -> None:
    client, _ = writable
    files = [
        ("files", ("notes.pdf", b"%PDF-1.4 binary", "application/pdf")),
        ("files", ("empty.txt", b"   \n", "text/plain")),
    ]
    report = client.post("/api/ingest", headers=AUTH, files=files).json()
    assert report["ingested"] == 0
    reasons = {r["path"]: r["reason"] for r in report["rejected"]}
    assert reasons["notes.pdf"].startswith("E105") and reasons["empty.txt"].startswith("E101")
    assert all(str(uploads_root) not in r["reason"] for r in report["rejected"])  # no server paths


def test_api_ingest_with_no_file_answers_422(writable: tuple[TestClient, Path]) -> None:
    client, _ = writable
    for kwargs in ({"data": {"note": "x"}}, {"json": {"files": []}}, {}):
        response = client.post("/api/ingest", headers=AUTH, **kwargs)
        assert response.status_code == 422 and "no files" in response.json()["error"]


@pytest.mark.parametrize(
    ("name", "saved"),
    [
        ("../../evil.txt", None),
        ("..\\..\\evil.txt", None),
        ("a/../../evil.txt", None),
        (".evil.txt", None),
        ("C:evil.txt", None),
        ("x" * 300 + ".txt", None),
        ("/etc/evil.txt", "evil.txt"),
        ("sub/dir/evil.txt", "evil.txt"),
        ("C:\\Users\\me\\evil.txt", "evil.txt"),
    ],
)
def test_api_upload_names_stay_inside_the_temporary_folder(
    writable: tuple[TestClient, Path], uploads_root: Path, tmp_path: Path, name: str, saved: str | None
) -> None:
    client, db = writable
    text = "Північна Корея передала Росії нові ракети, повідомили в Сеулі у вівторок вранці.\n" * 3
    body = "Заголовок новини про КНДР\n" + text
    response = client.post(
        "/api/ingest", headers=AUTH, files=[("files", (name, body.encode("utf-8"), "text/plain"))]
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert not (tmp_path.parent / "evil.txt").exists() and not (tmp_path / "evil.txt").exists()
    assert not Path("/etc/evil.txt").exists()
    assert list(uploads_root.iterdir()) == []
    with Store(db) as store:
        paths = [d["path"] for d in store.documents()]
    if saved is None:
        assert report["ingested"] == 0 and len(report["rejected"]) == 1
        assert report["rejected"][0]["path"] == name
        assert len(paths) == 5
    else:
        assert report["ingested"] == 1, report
        (new,) = [p for p in paths if p.endswith(saved)]
        folder = Path(new).parent
        assert folder.parent == uploads_root.resolve() and folder.name.startswith("litopys-upload-")


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("a.txt", "a.txt"),
        ("dir/sub/a.html", "a.html"),
        ("C:\\x\\a.jsonl.gz", "a.jsonl.gz"),
        ("новина 1.txt", "новина 1.txt"),
        ("../a.txt", ""),
        ("dir/ .. /a.txt", ""),
        ("..", ""),
        ("dir/", ""),
        ("", ""),
        (None, ""),
        (".htaccess", ""),
        ("a\x00.txt", ""),
        ("a\n.txt", ""),
        ("a:b.txt", ""),
        ("я" * 101 + ".txt", ""),
    ],
)
def test_api_upload_safe_name(raw: str | None, name: str) -> None:
    saved, problem = writes.safe_name(raw)
    assert saved == name and (problem is None) == bool(name)


def test_api_upload_of_the_same_name_twice_is_refused(
    writable: tuple[TestClient, Path], uploads_root: Path
) -> None:
    client, _ = writable
    files = [("files", ("a.txt", b"one", "text/plain")), ("files", ("sub/a.txt", b"two", "text/plain"))]
    report = client.post("/api/ingest", headers=AUTH, files=files).json()
    assert {"path": "sub/a.txt", "reason": "file name 'a.txt' given twice"} in report["rejected"]


def test_api_oversized_body_answers_413(writable: tuple[TestClient, Path]) -> None:
    client, db = writable
    big = b"x" * (MAX_BODY_BYTES + 1)
    declared = client.post("/api/ingest", headers=AUTH, files=[("files", ("big.txt", big, "text/plain"))])
    assert declared.status_code == 413 and "too large" in declared.json()["error"]
    assert declared.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it is read
        boundary = b"--b\r\n"
        yield boundary + b'Content-Disposition: form-data; name="files"; filename="big.txt"\r\n\r\n'
        for _ in range(MAX_BODY_BYTES // (1 << 20) + 2):
            yield b"y" * (1 << 20)
        yield b"\r\n--b--\r\n"

    headers = {**AUTH, "Content-Type": "multipart/form-data; boundary=b"}
    chunked = client.post("/api/ingest", headers=headers, content=chunks())
    assert chunked.status_code == 413 and "too large" in chunked.json()["error"]
    merge = client.post("/api/entities/merge", headers=AUTH, content=chunks())
    assert merge.status_code == 413
    with Store(db) as store:
        assert store.stats()["documents"] == 5


# --- writes: merge and split -------------------------------------------------------------------------


def test_api_merge_and_split(writable: tuple[TestClient, Path]) -> None:
    client, db = writable
    kremlin = _get(client, "/api/entities/Кремль")["entity"]["id"]
    moscow = _get(client, "/api/entities/Москва")["entity"]["id"]
    assert kremlin != moscow
    response = client.post("/api/entities/merge", headers=AUTH, json={"a": "Кремль", "b": "Москві"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["decision"] == "merge" and body["applied"] is True
    assert body["entities"] == _get(client, "/api/stats")["entities"]
    merged = _get(client, "/api/entities/Кремль")["entity"]
    assert merged == _get(client, "/api/entities/Москва")["entity"]  # one entity now
    # search and events follow the new ids
    assert merged["id"] in _get(client, "/api/search", q="Москва")["items"][0]["entities"]
    response = client.post("/api/entities/split", headers=AUTH, json={"a": "Кремль", "b": "Москва"})
    assert response.status_code == 200 and response.json()["decision"] == "split"
    assert response.json()["applied"] is True
    assert _get(client, "/api/entities/Кремль")["entity"]["id"] == kremlin  # apart again
    # a name that finds the entity but that the linking does not know is recorded, and not applied
    response = client.post("/api/entities/merge", headers=AUTH, json={"a": "Kremlin", "b": "Moscow"})
    assert response.status_code == 200 and response.json()["applied"] is False
    with Store(db) as store:
        decided = store.db.execute("SELECT kind, a, b FROM decisions ORDER BY id").fetchall()
    assert [tuple(d) for d in decided] == [
        ("merge", "Кремль", "Москві"),
        ("split", "Кремль", "Москва"),
        ("merge", "Kremlin", "Moscow"),
    ]


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"a": "Кремль", "b": "Nobody Atall"}, 404, "no entity named"),
        ({"a": "Кремль"}, 422, "body.b"),
        ({"a": "", "b": "Москва"}, 422, "body.a"),
        ({"a": "Кремль", "b": "Москва", "c": 1}, 422, "body.c"),
        ({"a": 1, "b": "Москва"}, 422, "body.a"),
        ("not json", 422, "invalid"),
    ],
)
def test_api_merge_with_a_bad_body(
    writable: tuple[TestClient, Path], body: Any, status: int, words: str
) -> None:
    client, _ = writable
    if isinstance(body, str):
        response = client.post(
            "/api/entities/merge", headers={**AUTH, "Content-Type": "application/json"}, content=body
        )
    else:
        response = client.post("/api/entities/merge", headers=AUTH, json=body)
    assert response.status_code == status, response.text
    assert words in json.dumps(response.json(), ensure_ascii=False)


def test_api_cache_computes_once_and_forgets_on_commit(seeded_cli: tuple[str, str], tmp_path: Path) -> None:
    import threading
    import time

    from litopys.api.cache import Memo

    db = _copy(seeded_cli, tmp_path / "memo.db")
    memo: Memo[int] = Memo(8)
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        time.sleep(0.2)
        return len(calls)

    def ask() -> None:
        with Store(db) as store:
            assert memo.get(store, ("key",), compute) == 1

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1  # the others waited for the first
    with Store(db) as reader, Store(db) as writer:
        assert memo.get(reader, ("key",), compute) == 1
        writer.db.execute("INSERT INTO decisions (kind, a, b, made_at) VALUES ('merge', 'x', 'y', 'now')")
        assert memo.get(reader, ("key",), compute) == 2  # another connection committed


def test_api_response_cache_keeps_answers_until_a_commit(writable: tuple[TestClient, Path]) -> None:
    client, db = writable
    responses = client.app.state.responses  # type: ignore[attr-defined]
    first = client.get("/api/stats")
    etag = first.headers["etag"]
    assert first.status_code == 200 and first.headers["cache-control"] == "no-cache"
    hits = responses.stats()["hits"]
    again = client.get("/api/stats")
    assert again.content == first.content and again.headers["etag"] == etag
    assert responses.stats()["hits"] == hits + 1  # answered from the cache
    for name, value in SECURITY_HEADERS.items():  # headers and all
        assert again.headers[name] == value
    # a browser revalidates: 304 without a body while the answer is the same
    same = client.get("/api/stats", headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == etag
    # another connection commits: the kept answers are dropped
    with sqlite3.connect(db) as other:
        other.execute("INSERT INTO rejected (path, reason, rejected_at) VALUES ('x.txt', 'empty', 'now')")
    changed = client.get("/api/stats", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json()["rejected"] == first.json()["rejected"] + 1
    assert changed.headers["etag"] != etag
    # pages are kept per UI language; ?ui= sets a cookie: not kept
    uk = client.get("/", headers={"Accept-Language": "uk"})
    en = client.get("/", headers={"Accept-Language": "en"})
    assert uk.headers["etag"] != en.headers["etag"] and 'lang="uk"' in uk.text
    assert client.get("/", headers={"Accept-Language": "uk"}).content == uk.content
    chosen = client.get("/?ui=en")
    assert "set-cookie" in chosen.headers and "etag" not in chosen.headers
    client.cookies.clear()
    # errors and writes are not kept
    assert "etag" not in client.get("/api/events/evt-x").headers
    assert client.post("/api/entities/merge", json={}, headers=AUTH).status_code == 422


def test_api_response_cache_skips_a_story_page_without_its_summary(
    writable: tuple[TestClient, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from litopys.api import cache

    client, _ = writable
    monkeypatch.setattr(cache, "summary_within", lambda *args, **kwargs: (False, None))
    page = client.get(f"/stories/{STORYLINE}")
    assert page.status_code == 200 and "data-summary-pending" in page.text
    assert page.headers["cache-control"] == "no-store" and "etag" not in page.headers
    assert client.app.state.responses.stats()["entries"] == 0  # type: ignore[attr-defined]


# --- headers, docs, OpenAPI --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/stats",
        "/api/documents?limit=0",
        "/api/stories/st-nope",
        "/api/docs",
        "/api/docs/init.js",
        "/api/docs/static/swagger-ui.css",
        "/api/openapi.json",
    ],
)
def test_api_security_headers_on_every_answer(client: TestClient, url: str) -> None:
    response = client.get(url)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_api_docs_page_is_local_and_has_no_inline_script(client: TestClient) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, flags=re.S | re.I)
    assert len(scripts) == 2
    for attributes, code in scripts:
        assert code.strip() == "" and 'src="/' in attributes
    assert not re.search(r"\son\w+\s*=", page, flags=re.I)  # no inline event handlers
    urls = re.findall(r'(?:src|href|data-openapi-url)="([^"]*)"', page)
    assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls)
    for url in urls:
        fetched = client.get(url)
        assert fetched.status_code == 200, url
        if url.endswith(".js") or url.endswith(".css"):
            assert not re.search(r"https?://(?!localhost)[^\s\"']*\.(?:js|css)\b", fetched.text[:5000]), url
    init = client.get("/api/docs/init.js").text
    assert "SwaggerUIBundle" in init and "validatorUrl: null" in init  # no call to the public validator
    assert not re.search(r"https?://", init)


def test_api_openapi_lists_every_path(client: TestClient) -> None:
    spec = _get(client, "/api/openapi.json")
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == PATHS
    defined = {r.path for r in routes.router.routes if isinstance(r, APIRoute)}
    defined |= {"/api" + r.path for r in writes.router.routes if isinstance(r, APIRoute)}
    assert defined == PATHS  # every route of the API modules is described
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary") and operation.get("description"), (method, path)
            ok = operation["responses"].get("200", {})
            assert ok.get("content", {}).get("application/json", {}).get("schema"), (method, path)
    assert "token" in spec["components"]["securitySchemes"]
    for path in ("/api/ingest", "/api/entities/merge", "/api/entities/split"):
        assert spec["paths"][path]["post"]["security"] == [{"token": []}]
        assert {"401", "403", "413"} <= set(spec["paths"][path]["post"]["responses"])
    upload = spec["paths"]["/api/ingest"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert upload["schema"]["properties"]["files"]["items"]["format"] == "binary"


def test_api_docs_ui_renders_in_chromium(seeded_cli: tuple[str, str]) -> None:
    """Swagger UI must read the OpenAPI version FastAPI writes (3.1: Swagger UI 5) under the CSP."""
    import os
    import shutil
    import socket
    import threading
    import time

    import uvicorn

    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    sync_api = pytest.importorskip("playwright.sync_api")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    config = uvicorn.Config(
        create_app(seeded_cli[0]), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    problems: list[str] = []
    requested: list[str] = []
    try:
        with sync_api.sync_playwright() as playwright:
            try:
                browser = playwright.chromium.launch(
                    executable_path=binary, args=["--headless", "--no-sandbox", "--disable-gpu"]
                )
            except Exception as exc:
                pytest.skip(f"playwright could not launch {binary}: {exc}")
            page = browser.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: requested.append(r.url))
            page.goto(f"http://127.0.0.1:{port}/api/docs")
            page.wait_for_selector(".opblock", timeout=20_000)
            assert page.locator(".opblock").count() == len(PATHS)
            body = page.inner_text("body")
            assert "Unable to render" not in body and "/api/search" in body
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert problems == []  # a CSP violation is a console error
    assert requested and all(u.startswith(f"http://127.0.0.1:{port}/") for u in requested)
