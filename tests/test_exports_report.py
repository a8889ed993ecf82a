"""The readable report (`litopys export --format html|md`): structure, content, charts, scale and a
headless Chromium rendering, on the five seeds ingested through the CLI."""

from __future__ import annotations

import re
import shutil
import sqlite3
import struct
import subprocess
import time
import xml.etree.ElementTree as ET
import zlib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from litopys.exports import report as report_module
from litopys.exports.charts import OTHER_COLOUR, bars_svg, timeline_svg
from litopys.exports.report import write_report
from litopys.store import Store

ROOT = Path(__file__).resolve().parents[1]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SVG_NS = "{http://www.w3.org/2000/svg}"
CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class Page(HTMLParser):
    """Tags, balance errors, text, ids, links and the text of each event of a report page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: Counter[str] = Counter()
        self.attrs: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.events: list[dict[str, Any]] = []
        self._event_depth: int | None = None
        self._quote: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "article" and self._event_depth is None:
            self._event_depth = len(self.stack)
            self.events.append({"id": dict(attrs).get("id"), "text": [], "quotes": []})
        if tag == "blockquote" and self._event_depth is not None:
            self._quote = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attrs.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        if tag == "blockquote" and self._quote is not None:
            self.events[-1]["quotes"].append("".join(self._quote))
            self._quote = None
        if tag == "article" and self._event_depth == len(self.stack):
            self.events[-1]["text"] = " ".join("".join(self.events[-1]["text"]).split())
            self._event_depth = None
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._event_depth is not None:
            self.events[-1]["text"].append(data)
        if self._quote is not None:
            self._quote.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture(scope="module")
def html_report(seeded_cli: tuple[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    with Store(Path(seeded_cli[0])) as store:
        return write_report(store, tmp_path_factory.mktemp("report") / "report.html")


@pytest.fixture(scope="module")
def page(html_report: Path) -> Page:
    return parse(html_report.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def md_report(seeded_cli: tuple[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    with Store(Path(seeded_cli[0])) as store:
        return write_report(store, tmp_path_factory.mktemp("report_md") / "seeds report.md", fmt="md")


def _copy(db: str, to: Path) -> Path:
    """A consistent copy of a SQLite file (WAL included)."""
    with sqlite3.connect(db) as src, sqlite3.connect(to) as dst:
        src.backup(dst)
    return to


def test_exports_report_html_is_balanced_and_self_contained(html_report: Path, page: Page) -> None:
    html = html_report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert page.errors == [] and page.stack == []
    assert page.tags["html"] == page.tags["head"] == page.tags["body"] == page.tags["main"] == 1
    assert page.tags["section"] == 5 and page.tags["nav"] == 1 and page.tags["svg"] >= 3
    (html_attrs,) = [a for t, a in page.attrs if t == "html"]
    assert html_attrs["lang"] == "en"
    assert any(t == "meta" and (a.get("charset") or "").lower() == "utf-8" for t, a in page.attrs)
    # offline: no scripts, no external stylesheets, fonts or images
    assert page.tags["script"] == 0 and page.tags["link"] == 0 and page.tags["img"] == 0
    assert "@import" not in html and "url(" not in html
    # the table of contents and every in-page link point at an element of the page
    ids = {a["id"] for _, a in page.attrs if a.get("id")}
    anchors = [a["href"] for t, a in page.attrs if t == "a" and (a.get("href") or "").startswith("#")]
    assert {"#corpus", "#storylines", "#timeline", "#entities", "#events"} <= set(anchors)
    assert all(h[1:] in ids for h in anchors)


def test_exports_report_html_holds_storyline_entities_and_sourced_events(page: Page) -> None:
    text = " ".join("".join(page.text).split())
    assert "North Korea · Russia · Ukraine" in text  # the seeds' one storyline
    assert "5 documents" in text and "first seen 2023-09-13, last seen 2024-11-29" in text
    assert "Kim Jong Un" in text and "Кім Чен Ин" in text
    assert "КНДР предоставила России артиллерию для войны против Украины" in text  # a document title
    # Belousov's visit: dated 2024-11-29, its sentence quoted
    (visit,) = [e for e in page.events if e["text"].startswith("2024-11-29") and "Belousov" in e["text"]]
    assert "VISIT" in visit["text"]
    assert any("прибув із візитом" in q for q in visit["quotes"])
    # the CBS News report: attributed to the outlet, then to whom it cites
    cbs = [e for e in page.events if "attributed to: CBS News" in e["text"]]
    assert cbs and any("CBS News ← " in e["text"] for e in cbs)
    # occurrence order, undated last
    dates = [m.group() if (m := re.match(r"\d{4}(-\d{2}){0,2}", e["text"])) else None for e in page.events]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates[: len(dated)] == dated


def test_exports_report_charts_parse_as_svg(html_report: Path) -> None:
    html = html_report.read_text(encoding="utf-8")
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert len(svgs) == 3
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG_NS}svg" and root.get("viewBox")
        assert root.find(f"{SVG_NS}title") is not None
    timeline = ET.fromstring(svgs[1])
    bars = [r for r in timeline.iter(f"{SVG_NS}rect") if r.find(f"{SVG_NS}title") is not None]
    assert sum(int(r.findtext(f"{SVG_NS}title", "").rsplit(": ", 1)[1]) for r in bars) == 12  # dated events


def test_exports_report_timeline_chart_bins_and_folds_categories() -> None:
    counts = [(f"20{y:02d}-0{m}-15", f"T{(y + m) % 12}", 1) for y in range(10, 25) for m in range(1, 10)]
    root = ET.fromstring(timeline_svg(counts, max_categories=5))
    titles = [t.text or "" for t in root.iter(f"{SVG_NS}title")]
    assert any(t.startswith("2010 · ") for t in titles)  # 15 years: yearly bins
    assert any(" · other: " in t for t in titles)  # 12 types folded to 4 + other
    assert any(r.get("fill") == OTHER_COLOUR for r in root.iter(f"{SVG_NS}rect"))
    monthly = ET.fromstring(timeline_svg([("2024-01", "A", 2), ("2024-03-05", "B", 1)]))
    assert [t.text for t in monthly.iter(f"{SVG_NS}title")][1:] == ["2024-01 · A: 2", "2024-03 · B: 1"]
    empty = ET.fromstring(timeline_svg([], empty="nothing dated"))
    assert "nothing dated" in "".join(empty.itertext())
    bars = ET.fromstring(bars_svg([("<Kim & Co>", 4, "PER"), ("Russia", 5, "LOC")]))
    assert "<Kim & Co>" in "".join(bars.itertext())


def test_exports_report_markdown_has_sections_and_svg_files(md_report: Path) -> None:
    md = md_report.read_text(encoding="utf-8")
    for heading in ("# Chronicle report", "## Contents", "## Corpus", "## Storylines", "## Timeline"):
        assert f"\n{heading}\n" in f"\n{md}"
    assert "\n## Top entities\n" in md and "\n## Events\n" in md
    assert "[Top entities](#top-entities)" in md
    assert "### 1. North Korea · Russia · Ukraine" in md
    assert "**Kim Jong Un** (Кім Чен Ин · Ким Чен Ын)" in md
    assert "прибув** із візитом" in md and "attributed to: CBS News" in md
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", md)
    assert len(images) == 3 and "seeds%20report_timeline.svg" in images
    for image in images:
        svg = md_report.parent / image.replace("%20", " ")
        assert svg.is_file()
        assert ET.parse(svg).getroot().tag == f"{SVG_NS}svg"


def test_exports_report_in_ukrainian(seeded_cli: tuple[str, str], tmp_path: Path) -> None:
    with Store(Path(seeded_cli[0])) as store:
        path = write_report(store, tmp_path / "uk.html", lang="uk")
    page = parse(path.read_text(encoding="utf-8"))
    assert [a["lang"] for t, a in page.attrs if t == "html"] == ["uk"]
    text = "".join(page.text)
    assert "Сюжети" in text and "Хронологія" in text
    assert "Північна Корея · Росія · Україна" in text  # storyline title in Ukrainian names


def test_exports_report_rejects_unknown_format_and_language(
    seeded_cli: tuple[str, str], tmp_path: Path
) -> None:
    with Store(Path(seeded_cli[0])) as store:
        with pytest.raises(ValueError, match="format"):
            write_report(store, tmp_path / "r.pdf", fmt="pdf")
        with pytest.raises(ValueError, match="language"):
            write_report(store, tmp_path / "r.html", lang="de")


def test_exports_report_escapes_text(seeded_cli: tuple[str, str], tmp_path: Path) -> None:
    db = _copy(seeded_cli[0], tmp_path / "evil.db")
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE documents SET title = '<script>x()</script> | *A* & [B]', source = 'O\"Neil <i>'"
        )
    with Store(db) as store:
        html = write_report(store, tmp_path / "evil.html").read_text(encoding="utf-8")
        md = write_report(store, tmp_path / "evil.md", fmt="md").read_text(encoding="utf-8")
    page = parse(html)
    assert page.errors == [] and page.tags["script"] == 0
    assert all(a.get("style") for t, a in page.attrs if t == "i")  # only the colour swatches
    text = "".join(page.text)
    assert "<script>x()</script> | *A* & [B]" in text and 'O"Neil <i>' in text
    assert r"\<script\>x()\</script\> \| \*A\* & \[B\]" in md


def test_exports_report_of_an_empty_store(tmp_path: Path) -> None:
    with Store(tmp_path / "empty.db") as store:
        html = write_report(store, tmp_path / "empty.html").read_text(encoding="utf-8")
        md = write_report(store, tmp_path / "empty.md", fmt="md").read_text(encoding="utf-8")
    page = parse(html)
    assert page.errors == [] and page.stack == [] and page.events == []
    assert "No storylines yet" in "".join(page.text) and "no dated events" in html
    assert "## Events" in md and (tmp_path / "empty_timeline.svg").is_file()


def test_exports_report_says_when_lists_are_capped(
    seeded_cli: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_module, "MAX_EVENTS", 5)
    monkeypatch.setattr(report_module, "MAX_ENTITIES", 3)
    monkeypatch.setattr(report_module, "MAX_SOURCES", 1)
    with Store(Path(seeded_cli[0])) as store:
        page = parse(write_report(store, tmp_path / "capped.html").read_text(encoding="utf-8"))
    text = " ".join("".join(page.text).split())
    assert "5 of 53 events are listed" in text and len(page.events) == 5
    assert "The 3 entities found in most documents are listed, of" in text
    assert "more source" in text


def _clone(db: Path, copies: int) -> None:
    """Add ``copies`` copies of every document with its mentions, events and story membership (new
    ids, shifted dates, some outlets and URLs, 300 storylines), column by column of the schema."""
    new_doc = "printf('%04x', n.i) || substr({0}, 5)"
    shift = "CASE WHEN length({0}) = 10 THEN date({0}, '+' || (n.i % 400) || ' days') ELSE {0} END"
    overrides = {
        "documents": {
            "id": new_doc.format("id"),
            "path": "path || '#' || n.i",
            "supersedes": "NULL",
            "published": shift.format("published"),
            "source": "CASE WHEN n.i % 5 = 0 THEN 'Outlet ' || (n.i % 40) ELSE source END",
            "url": "CASE WHEN n.i % 3 = 0 THEN 'https://example.org/news/' || n.i ELSE url END",
        },
        "mentions": {"doc_id": new_doc.format("doc_id")},
        "event_mentions": {
            "doc_id": new_doc.format("doc_id"),
            "canonical": "canonical || '-' || n.i",
            "date_start": shift.format("date_start"),
            "date_end": shift.format("date_end"),
        },
        "events": {
            "id": "id || '-' || n.i",
            "date_start": shift.format("date_start"),
            "date_end": shift.format("date_end"),
        },
        "story_members": {
            "doc_id": new_doc.format("doc_id"),
            "event": "event || '-' || n.i",
            "storyline": "'st-' || (n.i % 300)",
            "seq": "seq + n.i * 10",
        },
    }
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TEMP TABLE n (i INTEGER PRIMARY KEY)")
        conn.executemany("INSERT INTO n VALUES (?)", [(i,) for i in range(1, copies + 1)])
        for table, exprs in overrides.items():
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            select = ", ".join(exprs.get(c, c) for c in columns)
            conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM {table}, n")


def test_exports_report_scales_to_10k_documents(seeded_cli: tuple[str, str], tmp_path: Path) -> None:
    db = _copy(seeded_cli[0], tmp_path / "big.db")
    _clone(db, 1999)
    with Store(db) as store:
        assert store.stats()["documents"] == 10_000
        start = time.perf_counter()
        path = write_report(store, tmp_path / "big.html")
        seconds = time.perf_counter() - start
    print(f"report of 10,000 documents in {seconds:.2f} s")
    assert seconds < 30
    page = parse(path.read_text(encoding="utf-8"))
    text = " ".join("".join(page.text).split())
    assert page.errors == []
    assert "The 30 largest of 301 storylines are listed." in text
    assert "500 of 106,000 events are listed" in text and len(page.events) == 500


# -- rendering in a headless browser ------------------------------------------------------------


def _pixels(png: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and the RGB(A) rows of an 8-bit, non-interlaced PNG (the
    stdlib only)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, [], None
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        body = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and interlace == 0 and colour in (2, 6), header
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(b"".join(idat)), width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1 : i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def test_exports_report_renders_in_headless_chromium(html_report: Path, tmp_path: Path) -> None:
    browser = next((found for name in CHROMIUMS if (found := shutil.which(name))), None)
    if browser is None:
        pytest.skip(
            f"no headless browser on PATH (looked for {', '.join(CHROMIUMS)}); .ci/run installs chromium"
        )
    shot = tmp_path / "shot.png"
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={shot}",
        "--window-size=1200,1600",
        html_report.resolve().as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert shot.is_file(), (
        f"{browser} wrote no screenshot (exit {result.returncode}): {result.stderr[-2000:]}"
    )
    kept = ROOT / "build" / "report_screenshot.png"
    kept.parent.mkdir(exist_ok=True)
    shutil.copyfile(shot, kept)
    print(f"report screenshot: {shot} (copied to {kept})")

    width, height, bpp, rows = _pixels(shot.read_bytes())
    assert (width, height) == (1200, 1600)
    sampled = [row[x : x + 3] for row in rows[::4] for x in range(0, width * bpp, 4 * bpp)]
    colours = Counter(sampled)
    white = colours[b"\xff\xff\xff"] / len(sampled)
    assert len(colours) > 50, f"only {len(colours)} colours: blank page?"
    assert white < 0.9
    # the dark title band is drawn at the top, the light page below it
    assert max(rows[20][600 * bpp : 600 * bpp + 3]) < 80
    assert min(rows[-20][20 * bpp : 20 * bpp + 3]) > 200
