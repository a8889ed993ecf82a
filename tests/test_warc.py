"""WARC files (.warc, .warc.gz) as an input format: each HTML response record is a document."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from litopys.pipeline import FOUNDATION_STAGES, ingest
from litopys.records import RawDoc, Rejected
from litopys.stages.ingest import input_size, iter_inputs, iter_inputs_with_bytes
from litopys.store import Store

from conftest import seed_path

URLS = ("https://news.example/a/000", "https://news.example/b/001")


def page(prefix: str) -> bytes:
    title, *body = [
        line for line in seed_path(prefix).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in body)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
        f"<body><article><h1>{html.escape(title)}</h1>\n{paragraphs}</article></body></html>"
    ).encode()


def write_warc(path: Path, *, gzip: bool) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "litopys tests"}))
        for url, prefix in zip(URLS, ("000", "001"), strict=True):
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(page(prefix)), http_headers=headers
                )
            )
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/logo.png",
                "response",
                payload=io.BytesIO(b"\x89PNG..."),
                http_headers=image,
            )
        )


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses_become_documents_with_their_urls(tmp_path: Path, name: str) -> None:
    warc = tmp_path / name
    write_warc(warc, gzip=name.endswith(".gz"))
    items = list(iter_inputs([warc]))
    assert all(isinstance(i, RawDoc) and i.fmt == "html" for i in items)
    assert [dict(i.meta)["url"] for i in items if isinstance(i, RawDoc)] == list(URLS)
    assert sum(n for _, n in iter_inputs_with_bytes([warc])) == input_size([warc])
    with Store(tmp_path / "w.db") as store:
        report = ingest([warc], store=store, stages=FOUNDATION_STAGES, link=False, stories=False)
        assert report.ingested == 2 and not report.rejected
        assert sorted(d["url"] for d in store.documents()) == list(URLS)
        again = ingest([tmp_path], store=store, stages=FOUNDATION_STAGES, link=False, stories=False)
        assert again.unchanged == 2 and again.ingested == 0


def test_warc_broken_or_empty_archive_is_rejected(tmp_path: Path) -> None:
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00not really gzip")
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    items = list(iter_inputs([broken, empty]))
    assert [type(i) for i in items] == [Rejected, Rejected]
    assert items[0].reason.startswith("E108") and items[1].reason.startswith("E101")  # type: ignore[union-attr]
