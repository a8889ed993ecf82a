"""The store on PostgreSQL (``--db postgresql://…``): same schema and migrations, same exports as
SQLite for the seeds, full-text search over lemmas with a tsvector, one writer at a time.

The tests that need a server read its URL from ``LITOPYS_TEST_PG`` (a role that may create
databases; each test gets a database of its own, dropped after it). ``.ci/run`` installs
PostgreSQL from Debian and starts it on loopback; elsewhere these tests skip with the reason.
"""

from __future__ import annotations

import csv
import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from litopys import search
from litopys.cli import app
from litopys.pipeline import ingest
from litopys.records import Rejected
from litopys.store import Store
from litopys.store.backend import is_url, pg_migration, redact, translate
from litopys.store.schema import MIGRATIONS, SCHEMA_VERSION

from conftest import ROOT, SEEDS, VOLATILE, exported

#: the server the tests use: a role that may CREATE DATABASE (see .ci/run)
PG_ENV = "LITOPYS_TEST_PG"
DEFAULT_PG = "postgresql://litopys:litopys@127.0.0.1:5432/postgres"
#: set by .ci/run when it started a server
REQUIRED_ENV = "LITOPYS_TEST_PG_REQUIRED"


def _server() -> str:
    return os.environ.get(PG_ENV, DEFAULT_PG)


@pytest.fixture(scope="session")
def pg_server() -> str:
    psycopg = pytest.importorskip(
        "psycopg", reason="PostgreSQL tests need psycopg: pip install 'litopys[postgres]'"
    )
    url = _server()
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError as error:
        reason = (
            f"no PostgreSQL server at {redact(url)} ({str(error).strip().splitlines()[0]}); "
            f"set {PG_ENV}=postgresql://USER:PASSWORD@HOST/DB of a role that may create databases "
            "(.ci/run starts one)"
        )
        if os.environ.get(REQUIRED_ENV):  # CI started a server: not reaching it is a failure
            pytest.fail(reason)
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    return url


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A new, empty database on the test server, dropped after the test."""
    import psycopg

    name = f"litopys_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = pg_server.rpartition("/")
    yield f"{base}/{name}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def sqlite_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("sqlite") / "seeds.db"
    result = CliRunner().invoke(app, ["--db", str(db), "ingest", "--quiet", str(SEEDS)])
    assert result.exit_code == 0, result.output
    return db


# -- without a server ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sqlite", "postgres"),
    [
        ("SELECT id FROM documents WHERE path = ?", "SELECT id FROM documents WHERE path = %s"),
        (
            "SELECT start, end FROM mentions WHERE doc_id = ?",
            'SELECT start, "end" FROM mentions WHERE doc_id = %s',
        ),
        (
            "SELECT substr(d.text, e.start + 1, e.end - e.start) FROM event_mentions e",
            'SELECT substr(d.text, e.start + 1, e."end" - e.start) FROM event_mentions e',
        ),
        ("SELECT 1 WHERE x LIKE ? AND y = 'a?%'", "SELECT 1 WHERE x ILIKE %s AND y = 'a?%%'"),
        (
            "SELECT id FROM documents WHERE id IN (SELECT value FROM json_each(?))",
            "SELECT id FROM documents WHERE id IN (SELECT value FROM json_array_elements_text(%s::json))",
        ),
        ("SELECT group_concat(DISTINCT m.entity) FROM m", "SELECT string_agg(DISTINCT m.entity, ',') FROM m"),
        ("SELECT 1 FROM mentions WHERE +entity IN (?)", "SELECT 1 FROM mentions WHERE entity IN (%s)"),
        (
            "FROM story_members m CROSS JOIN documents d ON d.id = m.doc_id",
            "FROM story_members m JOIN documents d ON d.id = m.doc_id",
        ),
        (
            "INSERT OR IGNORE INTO feeds (url, interval_s) VALUES (?, ?)",
            "INSERT INTO feeds (url, interval_s) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        ),
        (
            "INSERT OR REPLACE INTO duplicates (a, b, kind, score) VALUES (?, ?, ?, ?)",
            'INSERT INTO duplicates (a, b, kind, score) VALUES (%s, %s, %s, %s) ON CONFLICT ("a", "b") '
            'DO UPDATE SET "kind" = EXCLUDED."kind", "score" = EXCLUDED."score"',
        ),
    ],
)
def test_postgres_translate_rewrites_sqlite_dialect(sqlite: str, postgres: str) -> None:
    assert translate(sqlite) == postgres


def test_postgres_migrations_keep_types_and_the_end_column() -> None:
    ddl = "\n".join(pg_migration(i, m) for i, m in enumerate(MIGRATIONS))
    assert "AUTOINCREMENT" not in ddl and "BLOB" not in ddl and "fts5" not in ddl
    assert '"end"' in ddl and "tsvector" in ddl and "USING gin" in ddl
    assert 'TEXT COLLATE "C"' in ddl  # code-point order, as SQLite's BINARY
    assert "rowid BIGINT GENERATED BY DEFAULT AS IDENTITY" in ddl


def test_postgres_url_is_told_from_a_file() -> None:
    assert is_url("postgresql://u@h/db") and is_url("postgres://h/db")
    assert not is_url("litopys.db") and not is_url(Path("postgresql:/x"))
    assert redact("postgresql://user:secret@host:5432/db") == "postgresql://user:***@host:5432/db"


def test_postgres_unreachable_server_is_one_line_error_without_password() -> None:
    pytest.importorskip("psycopg")
    result = CliRunner().invoke(app, ["--db", "postgresql://u:hunter2@127.0.0.1:1/none", "stats"])
    assert result.exit_code != 0
    error = result.exception
    assert error is not None and "E113" in str(error) and "hunter2" not in str(error)
    assert "127.0.0.1" in str(error)


# -- against a server -------------------------------------------------------------------------
def test_postgres_migrates_a_new_database_once(pg_url: str) -> None:
    with Store(pg_url) as store:
        assert store.dialect == "postgresql" and store.schema_version == SCHEMA_VERSION
        tables = {
            r[0] for r in store.db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
    assert {"documents", "mentions", "entities", "events", "search", "search_names", "feeds"} <= tables
    with Store(pg_url) as again:  # opening again changes nothing
        assert again.schema_version == SCHEMA_VERSION
        assert again.db.execute("SELECT count(*) FROM litopys_schema").fetchone()[0] == 1


def test_postgres_refuses_a_newer_schema(pg_url: str) -> None:
    with Store(pg_url) as store:
        store.db.execute("UPDATE litopys_schema SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(RuntimeError, match="newer than this litopys"):
        Store(pg_url)


def test_postgres_seeds_export_equals_sqlite(pg_url: str, sqlite_seeds: Path) -> None:
    result = CliRunner().invoke(app, ["--db", pg_url, "ingest", "--quiet", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert "5" in result.output and "password" not in result.output
    on_pg, on_sqlite = exported(pg_url), exported(sqlite_seeds)
    kinds = {r["kind"] for r in on_sqlite}
    assert {"document", "entity", "event", "story"} <= kinds and len(on_sqlite) > 50
    assert on_pg == on_sqlite


def test_postgres_csv_export_equals_sqlite(pg_url: str, sqlite_seeds: Path, tmp_path: Path) -> None:
    assert CliRunner().invoke(app, ["--db", pg_url, "ingest", "--quiet", str(SEEDS)]).exit_code == 0
    tables = {}
    for name, db in (("pg", pg_url), ("sqlite", str(sqlite_seeds))):
        out = tmp_path / name
        result = CliRunner().invoke(app, ["--db", db, "export", "--format", "csv", "-o", str(out)])
        assert result.exit_code == 0, result.output
        tables[name] = {
            p.name: [{k: v for k, v in row.items() if k not in VOLATILE} for row in csv.DictReader(p.open())]
            for p in sorted(out.glob("*.csv"))
        }
    assert (
        set(tables["pg"])
        == {"documents.csv", "entities.csv", "events.csv"}
        <= set(tables["sqlite"]) | {"documents.csv"}
    )
    assert tables["pg"] == tables["sqlite"]


def _slice() -> list[tuple[str, str | None, set[str]]]:
    """The shipped search slice (eval/slices/search_seeds.tsv): query, --lang, expected seed prefixes."""
    rows = []
    for line in (ROOT / "eval" / "slices" / "search_seeds.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, lang, expected = line.split("\t")
        rows.append((query, None if lang == "-" else lang, set(expected.split(","))))
    return rows


def _found(store: Store, query: str, lang: str | None) -> set[str]:
    hits = search.search(store, query, lang=lang, limit=20)
    return {Path(store.get(h.id)["path"]).name[:3] for h in hits}  # type: ignore[index]


def test_postgres_search_finds_what_sqlite_finds(pg_url: str, sqlite_seeds: Path) -> None:
    with Store(pg_url) as store:
        ingest([str(SEEDS)], store=store)
    cases = _slice()
    assert len(cases) >= 10
    with Store(pg_url) as pg, Store(sqlite_seeds) as lite:
        for query, lang, expected in cases:
            assert _found(pg, query, lang) == expected == _found(lite, query, lang), query
        # cross-lingual, by inflected form: "Північна Корея" finds "Північної Кореї"
        hits = search.search(pg, "Північна Корея", limit=20)
        assert hits and any(h.highlights for h in hits)


def test_postgres_one_writer_at_a_time_readers_go_on(pg_url: str) -> None:
    with Store(pg_url) as store:
        ingest([str(SEEDS / next(p.name for p in sorted(SEEDS.glob("000_*.txt"))))], store=store)
    first, second, reader = Store(pg_url), Store(pg_url), Store(pg_url)
    try:
        first.db.execute("BEGIN IMMEDIATE")
        first.reject(Rejected(path="held.txt", id="", reason="E101 test"))
        waited: list[float] = []

        def write() -> None:
            started = time.perf_counter()
            second.db.execute("BEGIN IMMEDIATE")  # waits for `first` to commit
            waited.append(time.perf_counter() - started)
            second.reject(Rejected(path="later.txt", id="", reason="E101 test"))
            second.db.execute("COMMIT")

        thread = threading.Thread(target=write)
        thread.start()
        time.sleep(0.5)
        assert thread.is_alive()  # the second writer is queued
        assert reader.stats()["documents"] == 1  # readers are not blocked
        assert [r["path"] for r in reader.rejected()] == []  # and see only committed rows
        first.db.execute("COMMIT")
        thread.join(timeout=10)
        assert waited and waited[0] >= 0.4
        assert [r["path"] for r in reader.rejected()] == ["held.txt", "later.txt"]
    finally:
        for store in (first, second, reader):
            store.close()


def test_postgres_bad_file_is_rejected_and_the_batch_goes_on(pg_url: str, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    seed = next(iter(sorted(SEEDS.glob("001_*.txt"))))
    (tmp_path / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    with Store(pg_url) as store:
        report = ingest([str(tmp_path)], store=store)
        assert report.ingested == 1 and len(report.rejected) == 2
        reasons = {Path(r["path"]).name: r["reason"][:4] for r in store.rejected()}
    assert reasons == {"empty.txt": "E101", "binary.txt": "E102"}


def test_postgres_api_serves_the_store(pg_url: str) -> None:
    from fastapi.testclient import TestClient

    from litopys.api import create_app

    with Store(pg_url) as store:
        ingest([str(SEEDS)], store=store)
    with TestClient(create_app(pg_url)) as client:
        stats = client.get("/api/stats").json()
        assert stats["documents"] == 5
        found = client.get("/api/search", params={"q": "Білоусов"}).json()
        assert found["items"] and found["items"][0]["title"]
        events = client.get("/api/events", params={"limit": 5}).json()
        assert events["total"] > 5 and len(events["items"]) == 5
        page = client.get("/")
        assert page.status_code == 200 and "<html" in page.text
        # a write through the same server moves the cache on (the WAL position watches PostgreSQL)
        before = client.get("/api/stats").json()["rejected"]
        with Store(pg_url) as writer:
            writer.reject(Rejected(path="late.txt", id="", reason="E101 test"))
        assert client.get("/api/stats").json()["rejected"] == before + 1


def _without(value: Any, drop: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: _without(v, drop) for k, v in value.items() if k not in drop}
    if isinstance(value, list):
        return [_without(v, drop) for v in value]
    return value


@pytest.fixture
def both_stores(pg_url: str, sqlite_seeds: Path) -> tuple[str, str]:
    with Store(pg_url) as store:
        ingest([str(SEEDS)], store=store)
    return pg_url, str(sqlite_seeds)


def test_postgres_api_answers_equal_sqlite(both_stores: tuple[str, str]) -> None:
    from fastapi.testclient import TestClient

    from litopys.api import create_app

    pg_url, sqlite_db = both_stores
    with TestClient(create_app(pg_url)) as pg, TestClient(create_app(sqlite_db)) as lite:
        listing = lite.get("/api/events", params={"limit": 200}).json()["items"]
        story = lite.get("/api/stories").json()["items"][0]["id"]
        entity = lite.get("/api/entities", params={"limit": 1}).json()["items"][0]["id"]
        document = lite.get("/api/documents", params={"limit": 1}).json()["items"][0]["id"]
        urls = [
            "/api/stats",
            "/api/documents?limit=50",
            "/api/documents?lang=ru",
            f"/api/documents/{document}",
            "/api/entities?limit=100",
            "/api/entities?type=PER",
            f"/api/entities/{entity}",
            "/api/events?limit=200",
            "/api/events?type=VISIT",
            f"/api/events/{listing[0]['id']}",
            "/api/timeline?entity=Кім Чен Ин",
            "/api/timeline?from=2024-01-01&to=2024-12-31",
            "/api/stories",
            f"/api/stories/{story}",
            "/api/search?q=Північна Корея&limit=5",
            "/api/search?q=боєприпаси&lang=uk",
        ]
        compared = 0
        for url in urls:
            a, b = pg.get(url), lite.get(url)
            assert a.status_code == b.status_code == 200, (url, a.text[:300])
            mine, theirs = _without(a.json(), VOLATILE), _without(b.json(), VOLATILE)
            if url.startswith("/api/search"):  # the same documents; BM25 on SQLite, ts_rank on PostgreSQL
                for page in (mine, theirs):
                    page["items"] = sorted(_without(page["items"], {"score"}), key=lambda h: h["id"])
            assert mine == theirs, url
            compared += 1
        for url in (
            "/",
            f"/stories/{story}",
            f"/events/{listing[0]['id']}",
            f"/entities/{entity}",
            f"/documents/{document}",
        ):
            a, b = pg.get(url), lite.get(url)
            assert a.status_code == b.status_code == 200, url
            compared += 1
    assert compared == len(urls) + 5


@pytest.mark.parametrize(
    "command",
    [
        ["stats", "--json"],
        ["entities", "--top", "15"],
        ["entity", "Білоусов"],
        ["stories"],
        ["duplicates"],
        ["timeline", "--entity", "Кім Чен Ин"],
        ["search", "Північна Корея", "--json"],
    ],
)
def test_postgres_cli_commands_answer_as_on_sqlite(both_stores: tuple[str, str], command: list[str]) -> None:
    pg_url, sqlite_db = both_stores
    runner = CliRunner()
    outputs = []
    for db in (pg_url, sqlite_db):
        result = runner.invoke(app, ["--db", db, *command], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        shown = result.output.replace(redact(pg_url), "DB").replace(sqlite_db, "DB")
        outputs.append(" ".join(w for w in shown.split() if w != "DB"))  # a title is centred on its name
    if command[0] == "search":  # the same documents; the rank is BM25 on SQLite, ts_rank on PostgreSQL
        outputs = [
            json.dumps(sorted(_without(json.loads(o), {"score"}), key=lambda h: h["id"])) for o in outputs
        ]
    assert outputs[0] == outputs[1]


def test_postgres_merge_and_split_decisions(both_stores: tuple[str, str]) -> None:
    pg_url, _ = both_stores
    runner = CliRunner()
    merged = runner.invoke(app, ["--db", pg_url, "merge", "Білоусов", "Путін"])
    assert merged.exit_code == 0, merged.output
    with Store(pg_url) as store:
        kinds = [r["kind"] for r in store.db.execute("SELECT kind FROM decisions ORDER BY id")]
    assert kinds == ["merge"]
    split = runner.invoke(app, ["--db", pg_url, "split", "Білоусов", "Путін"])
    assert split.exit_code == 0, split.output
    with Store(pg_url) as store:
        assert [r["kind"] for r in store.db.execute("SELECT kind FROM decisions ORDER BY id")] == [
            "merge",
            "split",
        ]


def test_postgres_mixed_corpus_export_equals_sqlite(pg_url: str, tmp_path: Path) -> None:
    """Beyond the seeds: undated documents (NULLs sort first on both), a near duplicate, an HTML
    page, .jsonl records, a new version of a file and rejected inputs."""
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus / "seeds")
    undated = corpus / "undated"
    undated.mkdir()
    text = (SEEDS / next(p.name for p in sorted(SEEDS.glob("002_*.txt")))).read_text(encoding="utf-8")
    paragraphs = text.split("\n")
    (undated / "002_copy.txt").write_text(
        "\n".join(p for i, p in enumerate(paragraphs) if i != 3), encoding="utf-8"
    )
    (undated / "page.html").write_bytes(
        (ROOT / "tests" / "fixtures" / "ingest" / "article.html").read_bytes()
    )
    seed4 = next(iter(sorted(SEEDS.glob("004_*.txt")))).read_text(encoding="utf-8").split("\n")
    records = [
        {
            "title": seed4[0],
            "text": "\n".join(seed4[1:6]),
            "published": "2024-10-29",
            "source": "example.org",
        },
        {"title": seed4[0] + " (short)", "text": "\n".join(seed4[1:3])},
    ]
    (undated / "items.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8"
    )
    (undated / "empty.txt").write_text("", encoding="utf-8")
    results = {}
    for name, db in (("pg", pg_url), ("sqlite", str(tmp_path / "mixed.db"))):
        first_version = "\n".join(p for i, p in enumerate(paragraphs) if i != 5)
        (undated / "002_copy.txt").write_text(first_version, encoding="utf-8")
        with Store(db) as store:
            first = ingest([str(corpus)], store=store)
        (undated / "002_copy.txt").write_text(
            "\n".join(p for i, p in enumerate(paragraphs) if i != 3), encoding="utf-8"
        )
        with Store(db) as store:
            second = ingest([str(corpus)], store=store)
        results[name] = (first.ingested, len(first.rejected), second.new_versions, exported(db))
    pg, lite = results["pg"], results["sqlite"]
    assert lite[:3] == pg[:3]
    assert lite[0] >= 9 and lite[1] == 1 and lite[2] == 1, lite[:3]
    documents = [r for r in lite[3] if r["kind"] == "document"]
    assert any(r["published"] is None for r in documents)
    assert pg[3] == lite[3]


def test_postgres_with_dask_workers_equals_local_sqlite(pg_url: str, sqlite_seeds: Path) -> None:
    """The scale-out configuration: the per-document stages on a 2-worker Dask LocalCluster, the
    driver writing to PostgreSQL."""
    pytest.importorskip("distributed")
    with Store(pg_url) as store:
        report = ingest([str(SEEDS)], store=store, workers=2, dask=True)
    assert report.ingested == 5 and not report.rejected
    assert exported(pg_url) == exported(sqlite_seeds)
