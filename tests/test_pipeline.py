"""End to end: the seeds through every stage into the store and out as JSON Lines."""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from litopys.exports import EXPORT_FIELDS, records
from litopys.pipeline import ingest, process
from litopys.records import RawDoc, Rejected
from litopys.store import Store

from conftest import ROOT, SEEDS


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "seeds.db"
    with Store(path) as store:
        report = ingest([str(SEEDS)], store=store)
    assert (report.ingested, report.rejected) == (5, [])
    return path


def exported(db: Path) -> list[dict]:
    """The document records of the export."""
    with Store(db) as store:
        return [r for r in records(store) if r["kind"] == "document"]


def test_pipeline_seeds_language_title_source(seed_db: Path) -> None:
    docs = {Path(d["path"]).name[:3]: d for d in exported(seed_db)}
    assert {k: d["lang"] for k, d in docs.items()} == {
        "000": "uk",
        "001": "uk",
        "002": "uk",
        "003": "ru",
        "004": "uk",
    }
    assert docs["000"]["source"] == "CBS News"
    assert docs["003"]["title"] == "КНДР предоставила России артиллерию для войны против Украины"
    assert docs["004"]["title"].endswith("– Рютте")


def test_pipeline_export_contract(seed_db: Path) -> None:
    for doc in exported(seed_db):
        assert list(doc) == ["kind", *EXPORT_FIELDS["document"]]
        text = doc["text"]
        assert text.split("\n")[0] == doc["title"]
        assert [text[p["start"] : p["end"]] for p in doc["paragraphs"]] == text.split("\n")
        assert all(p["lang"] in {"uk", "ru", "en", "other", ""} for p in doc["paragraphs"])
        covered = "".join(text[s["start"] : s["end"]] for s in doc["sentences"])
        assert "".join(text.split()) == "".join(covered.split())  # sentences cover the text


def test_pipeline_reingest_adds_nothing(seed_db: Path) -> None:
    with Store(seed_db) as store:
        report = ingest([str(SEEDS)], store=store)
        assert (report.ingested, report.unchanged, report.rejected) == (0, 5, [])
        assert store.stats()["versions"] == 5


def test_pipeline_changed_file_makes_a_new_version(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    text = (SEEDS / "004_1ffae8b320c8eec2.txt").read_text(encoding="utf-8")
    page.write_text(text, encoding="utf-8")
    with Store(tmp_path / "v.db") as store:
        ingest([str(page)], store=store)
        page.write_text(text.replace("600 тис.", "600 тисяч"), encoding="utf-8")
        report = ingest([str(page)], store=store)
        assert report.new_versions == 1
        docs = list(store.documents())
        assert len(docs) == 1 and "600 тисяч" in docs[0]["text"] and docs[0]["version"] == 2


def test_pipeline_bad_inputs_are_rejected_and_the_rest_ingested(tmp_path: Path) -> None:
    seed = (SEEDS / "003_75cd8c2ef379dd7c.txt").read_text(encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    good = {"title": "Кім і Путін", "text": seed.split("\n\n", 2)[1], "published": "2023-10-13", "lang": "ru"}
    (tmp_path / "feed.jsonl").write_text(
        json.dumps(good, ensure_ascii=False) + '\n{"title": "broken', encoding="utf-8"
    )
    (tmp_path / "page.txt.gz").write_bytes(gzip.compress(seed.encode("cp1251")))
    with Store(tmp_path / "b.db") as store:
        report = ingest([str(tmp_path)], store=store)
        out = list(records(store))
    assert report.ingested == 2
    reasons = {Path(r.path).name: r.reason[:4] for r in report.rejected}
    assert reasons == {"empty.txt": "E101", "image.txt": "E102", "feed.jsonl#2": "E104"}
    rejected = [r for r in out if r["kind"] == "rejected"]
    assert sorted(Path(r["path"]).name for r in rejected) == ["empty.txt", "feed.jsonl#2", "image.txt"]
    docs = {Path(d["path"]).name: d for d in out if d["kind"] == "document"}
    assert docs["feed.jsonl#1"]["published"] == "2023-10-13"
    assert docs["page.txt.gz"]["title"] == "КНДР предоставила России артиллерию для войны против Украины"


def test_pipeline_process_never_raises() -> None:
    result = process(RawDoc(path="x.jsonl#1", fmt="json", data=b'{"text": 5}'))
    assert isinstance(result, Rejected) and result.reason.startswith("E109")


def test_pipeline_workers_give_the_same_documents(tmp_path: Path, seed_db: Path) -> None:
    with Store(tmp_path / "w.db") as store:
        report = ingest([str(SEEDS)], store=store, workers=2)
    assert report.ingested == 5
    strip = lambda docs: sorted((d["id"], d["text"], d["lang"], str(d["mentions"])) for d in docs)  # noqa: E731
    assert strip(exported(tmp_path / "w.db")) == strip(exported(seed_db))


def test_pipeline_resumes_after_sigkill(tmp_path: Path) -> None:
    """Kill -9 an ingest half-way, run it again: every document is there exactly once."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    total = 1000
    for i in range(total):  # distinct documents: each seed page with a numbered closing line
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (corpus / f"{i:04d}.txt").write_text(f"{text}\nОновлено: версія {i}.\n", encoding="utf-8")
    db = tmp_path / "kill.db"
    cmd = [sys.executable, "-m", "litopys.cli", "--db", str(db), "ingest", "--quiet", str(corpus)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as probe:
                    done = probe.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if done >= 5:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < done < total, "the ingest was not interrupted half-way"
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    with Store(db) as store:
        docs = list(store.documents(all_versions=True))
    assert len(docs) == total
    assert len({d["path"] for d in docs}) == total and len({d["id"] for d in docs}) == total
