"""RSS/Atom feeds (litopys.feeds, `litopys feeds ...`) against a local HTTP server serving fixture feeds."""

from __future__ import annotations

import html
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litopys.cli import app
from litopys.feeds import add_feed, list_feeds, poll
from litopys.pipeline import FOUNDATION_STAGES
from litopys.store import Store

from conftest import seed_path


def page_html(text: str) -> bytes:
    title, *body = [line for line in text.splitlines() if line.strip()]
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in body)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
        f"<body><article><h1>{html.escape(title)}</h1>\n{paragraphs}</article></body></html>"
    ).encode()


def rss(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Fixture News</title><link>{base}/</link><description>d</description>
<item><title>One</title><link>{base}/pages/000.html</link><pubDate>Fri, 29 Nov 2024 10:00:00 +0000</pubDate></item>
<item><title>Two</title><link>{base}/pages/001.html</link><pubDate>Sat, 30 Nov 2024 08:00:00 +0000</pubDate></item>
</channel></rss>""".encode()


def atom(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title><id>urn:x</id><updated>2024-12-02T00:00:00Z</updated>
<entry><title>Three</title><id>urn:3</id><link href="{base}/pages/002.html"/>
<published>2024-12-01T09:00:00+02:00</published><updated>2024-12-02T00:00:00Z</updated></entry>
</feed>""".encode()


class Server:
    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.headers: dict[str, dict[str, str]] = {}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                owner.requests[self.path] += 1
                owner.headers[self.path] = dict(self.headers)
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                kind = "text/html; charset=utf-8"
                if self.path == "/rss.xml":
                    body, kind = rss(base), "application/rss+xml"
                elif self.path == "/atom.xml":
                    body, kind = atom(base), "application/atom+xml"
                elif self.path == "/missing.xml":  # the RSS feed with its second page gone
                    body = rss(base).replace(b"/pages/001.html", b"/pages/missing.html")
                elif self.path.startswith("/pages/0"):
                    body = page_html(seed_path(self.path[7:10]).read_text(encoding="utf-8"))
                else:
                    self.send_error(500 if self.path == "/broken.xml" else 404)
                    return
                etag = f'"{self.path}-v1"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    thread = threading.Thread(target=srv.httpd.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


def quick_poll(store: Store, **kw: object) -> object:
    return poll(store, host_delay=0, stages=FOUNDATION_STAGES, link=False, stories=False, **kw)  # type: ignore[arg-type]


def test_feeds_poll_ingests_entries_with_metadata_and_honours_etag(server: Server, tmp_path: Path) -> None:
    with Store(tmp_path / "f.db") as store:
        assert add_feed(store, f"{server.base}/rss.xml")
        assert add_feed(store, f"{server.base}/atom.xml")
        assert not add_feed(store, f"{server.base}/rss.xml")  # already there
        report = quick_poll(store)
        assert [f.status for f in report.feeds] == ["ok", "ok"]  # type: ignore[attr-defined]
        assert report.ingest.ingested == 3 and not report.ingest.rejected  # type: ignore[attr-defined]
        docs = {d["url"]: d for d in store.documents()}
        one, three = docs[f"{server.base}/pages/000.html"], docs[f"{server.base}/pages/002.html"]
        assert one["published"] == "2024-11-29" and one["source"] == "Fixture News"
        assert three["published"] == "2024-12-01" and three["source"] == "Atom Wire"
        assert one["path"] == f"{server.base}/pages/000.html"
        feeds = {f["url"]: f for f in list_feeds(store)}
        assert feeds[f"{server.base}/rss.xml"]["etag"] == '"/rss.xml-v1"'
        assert feeds[f"{server.base}/rss.xml"]["title"] == "Fixture News"
        assert server.headers["/rss.xml"]["User-Agent"].startswith("litopys/")

        # not due yet: nothing is fetched
        before = sum(server.requests.values())
        assert [f.status for f in quick_poll(store).feeds] == ["not due", "not due"]  # type: ignore[attr-defined]
        assert sum(server.requests.values()) == before

        # forced: the ETag goes back, the server answers 304, nothing new
        again = quick_poll(store, force=True)
        assert [f.status for f in again.feeds] == ["not modified", "not modified"]  # type: ignore[attr-defined]
        assert server.headers["/rss.xml"]["If-None-Match"] == '"/rss.xml-v1"'
        assert again.ingest.ingested == 0  # type: ignore[attr-defined]
        assert server.requests["/pages/000.html"] == 1
        assert sum(1 for _ in store.documents()) == 3


def test_feeds_a_broken_feed_is_recorded_and_the_others_go_on(server: Server, tmp_path: Path) -> None:
    with Store(tmp_path / "f.db") as store:
        add_feed(store, f"{server.base}/broken.xml")
        add_feed(store, f"{server.base}/rss.xml")
        report = quick_poll(store)
        status = {f.url: f.status for f in report.feeds}  # type: ignore[attr-defined]
        assert status == {f"{server.base}/broken.xml": "error", f"{server.base}/rss.xml": "ok"}
        assert report.ingest.ingested == 2  # type: ignore[attr-defined]
        broken = next(f for f in list_feeds(store) if f["url"].endswith("broken.xml"))
        assert broken["errors"] == 1 and "E112" in broken["last_error"] and "500" in broken["last_error"]


def test_feeds_a_missing_page_is_rejected_and_the_rest_go_on(server: Server, tmp_path: Path) -> None:
    with Store(tmp_path / "f.db") as store:
        add_feed(store, f"{server.base}/missing.xml")
        report = quick_poll(store)
        assert report.ingest.ingested == 1  # type: ignore[attr-defined]
        (rejected,) = report.ingest.rejected  # type: ignore[attr-defined]
        assert rejected.path.endswith("/pages/missing.html") and "404" in rejected.reason


def test_feeds_an_interrupted_poll_fetches_its_pages_again(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the feed's ETag is kept only once its pages are stored: a poll stopped while storing them
    # must not leave a 304 answer for the next poll with pages lost behind it
    with Store(tmp_path / "f.db") as store:
        add_feed(store, f"{server.base}/rss.xml")
        add = store.add

        def stop(article: object) -> object:
            raise KeyboardInterrupt

        monkeypatch.setattr(store, "add", stop)
        with pytest.raises(KeyboardInterrupt):
            quick_poll(store)
        (feed,) = list_feeds(store)
        assert feed["etag"] is None and feed["last_polled"] is None and len(list(store.documents())) == 0
        monkeypatch.setattr(store, "add", add)
        report = quick_poll(store)
        assert [(f.status, f.ingested) for f in report.feeds] == [("ok", 2)]  # type: ignore[attr-defined]
        assert server.requests["/pages/000.html"] == 2 and len(list(store.documents())) == 2


def test_feeds_poll_on_a_process_pool_reports_each_feed(server: Server, tmp_path: Path) -> None:
    with Store(tmp_path / "f.db") as store:
        add_feed(store, f"{server.base}/missing.xml")
        add_feed(store, f"{server.base}/atom.xml")
        report = quick_poll(store, workers=2)
        results = {f.url.rsplit("/", 1)[1]: f for f in report.feeds}  # type: ignore[attr-defined]
        assert (results["missing.xml"].ingested, len(results["missing.xml"].rejected)) == (1, 1)
        assert (results["atom.xml"].ingested, results["atom.xml"].rejected) == (1, [])
        assert len(list(store.documents())) == 2


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/feed", "javascript:alert(1)", "/rss.xml"]
)
def test_feeds_non_http_urls_are_refused(url: str, tmp_path: Path) -> None:
    with Store(tmp_path / "f.db") as store, pytest.raises(ValueError):
        add_feed(store, url)
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "f.db"), "feeds", "add", url])
    assert result.exit_code == 2


def test_feeds_cli_add_list_poll(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import litopys.feeds

    monkeypatch.setattr(litopys.feeds, "HOST_DELAY_S", 0.0)
    db = str(tmp_path / "f.db")
    runner = CliRunner()
    result = runner.invoke(app, ["--db", db, "feeds", "add", f"{server.base}/atom.xml"])
    assert result.exit_code == 0 and "added" in result.output
    result = runner.invoke(app, ["--db", db, "feeds", "poll"])
    assert result.exit_code == 0, result.output
    assert "1 ingested" in result.output
    result = runner.invoke(app, ["--db", db, "feeds", "list", "--json"])
    assert result.exit_code == 0 and '"title": "Atom Wire"' in result.output
    result = runner.invoke(app, ["--db", db, "feeds", "poll", "--force"])
    assert result.exit_code == 0 and "not modified" in result.output


def test_watch_ingests_new_and_changed_files_once_they_are_stable(tmp_path: Path) -> None:
    from litopys.feeds import watch

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(seed_path("000").read_text(encoding="utf-8"), encoding="utf-8")
    batches: list[tuple[list[str], int]] = []
    steps = iter(
        [
            lambda: (folder / "b.txt").write_text(
                seed_path("001").read_text(encoding="utf-8"), encoding="utf-8"
            ),
            lambda: None,  # b.txt stayed the same for one scan: it is ingested now
            lambda: (folder / "notes.md").write_text("not an input", encoding="utf-8"),
        ]
    )
    with Store(tmp_path / "w.db") as store:
        watch(
            folder,
            store=store,
            interval=0,
            rounds=4,
            sleep=lambda _: next(steps)(),
            on_report=lambda paths, report: batches.append(([Path(p).name for p in paths], report.ingested)),
            stages=FOUNDATION_STAGES,
            link=False,
            stories=False,
        )
        assert batches == [(["a.txt"], 1), (["b.txt"], 1)]
        assert sum(1 for _ in store.documents()) == 2
