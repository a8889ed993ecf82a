"""The web pages in a real browser: Playwright (Python, sync API) driving Debian's headless Chromium
against `litopys serve` (uvicorn in a thread, on a free loopback port) over a copy of the seeded store
with a hostile page ingested. Screenshots go to build/screenshots/. Skips when no Chromium is found or
Playwright cannot start it (Playwright never downloads a browser here)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from litopys.api import create_app

from conftest import HOSTILE_TITLE, ROOT

SHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip(
            "no chromium on PATH: the browser tests need a Chromium binary (Debian: apt-get install chromium)"
        )
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is not installed (pip install -e '.[test]')")
    try:
        playwright = sync_playwright().start()
    except Exception as exc:
        pytest.skip(f"playwright could not start: {exc}")
    try:
        browser = playwright.chromium.launch(executable_path=binary, args=CHROMIUM_ARGS)
    except Exception as exc:
        playwright.stop()
        pytest.skip(f"playwright could not launch {binary}: {exc}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="module")
def server(seeded_hostile: tuple[str, str]) -> Iterator[str]:
    """`litopys serve` over the hostile copy of the seeded store: its base URL."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(
        create_app(seeded_hostile[0]), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    app_server = uvicorn.Server(config)
    thread = threading.Thread(target=app_server.run, name="litopys-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not app_server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    app_server.should_exit = True
    thread.join(timeout=10)


class Watched:
    """A browser page with its console errors, CSP violations, page errors and dialogs recorded."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("dialog", self._dialog)

    def _console(self, message: Any) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(f"console {message.type}: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 5000, f"{path} is (nearly) empty"
        return path


@pytest.fixture
def watched(chromium: Any, server: str) -> Iterator[Watched]:
    context = chromium.new_context(locale="en-US", base_url=server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    watcher = Watched(page)
    yield watcher
    context.close()
    assert watcher.problems == []
    assert watcher.dialogs == []


def test_browser_click_through_story_event_document_entity(watched: Watched) -> None:
    page = watched.page
    page.goto("/")
    assert page.locator("h1").inner_text() == "Chronicle"
    watched.shot("home")

    page.locator("ol.storylines h3 a").first.click()
    page.wait_for_url(re.compile(r"/stories/st-[0-9a-f]{16}$"))
    assert page.locator("h1").inner_text() == "North Korea · Russia · Ukraine"
    assert page.locator("h2", has_text="Summary").is_visible()
    page.locator(".summary-body ul.summary li").first.wait_for(
        timeout=60_000
    )  # filled in by the script if late
    assert page.locator("svg.tl-svg .tl-mark").count() > 10
    watched.shot("story")

    page.locator("ol.events a.event-link", has_text="Visit").first.click()
    page.wait_for_url(re.compile(r"/events/evt-[0-9a-f]{16}-\d+$"))
    assert page.locator("h1").inner_text().startswith("Visit")
    assert page.locator(".source-card blockquote mark.trigger").count() >= 1
    watched.shot("event")

    page.locator(".source-card .doc-link a").first.click()
    page.wait_for_url(re.compile(r"/documents/[0-9a-f]{16}\?hl=\d+-\d+#cited$"))
    assert page.locator("mark#cited").is_visible()
    assert page.locator("details.removed").count() == 1
    assert not page.locator("details.removed ol").is_visible()  # folded away until opened
    watched.shot("document")

    entity = page.locator(".doc-text a.hl.entity").first
    name = entity.get_attribute("title") or ""
    entity.click()
    page.wait_for_url(re.compile(r"/entities/[0-9a-f]+$"))
    assert page.locator("h1").inner_text() in name  # the tooltip was "name · type"
    assert page.locator("h2", has_text="Names by language").is_visible()
    watched.shot("entity")

    page.locator("#quick-q").fill("Ким Чен Ын")
    page.locator("#quick-q").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    assert page.locator("ol.hits li.hit").count() >= 3
    assert page.locator(".snippet mark.hit").count() >= 3
    watched.shot("search")


def test_browser_timeline_filters_in_place_and_on_the_server(
    watched: Watched, chromium: Any, server: str
) -> None:
    page = watched.page
    page.goto("/stories/st-4c543e7d13992023")
    items = page.locator(".event-item")
    total = items.count()
    visits = page.locator('.event-item[data-type="VISIT"]').count()
    assert 0 < visits < total
    page.locator('.legend a[data-filter="VISIT"]').click()
    assert page.url.endswith("?type=VISIT#timeline") or "type=VISIT" in page.url
    page.locator("details.undated-events summary").click()  # open the undated ones too
    assert page.locator(".event-item:visible").count() == visits
    assert page.locator('.tl-mark.is-off[data-type="VISIT"]').count() == 0
    assert page.locator(".tl-mark.is-off").count() > 0
    page.locator('.legend a[data-filter="VISIT"]').click()  # again: every type
    assert page.locator(".event-item:visible").count() == total
    # hovering a mark highlights its event in the list
    mark = page.locator(".tl-mark").first
    event_id = mark.get_attribute("data-event")
    mark.hover()
    assert "is-hot" in (page.locator(f'.event-item[data-event="{event_id}"]').get_attribute("class") or "")
    watched.shot("story-filtered")

    # without JavaScript the chip is a link: the server filters
    context = chromium.new_context(java_script_enabled=False, base_url=server, locale="en-US")
    try:
        plain = context.new_page()
        plain.goto("/stories/st-4c543e7d13992023")
        plain.locator('.legend a[data-filter="VISIT"]').click()
        plain.wait_for_url(re.compile(r"\?type=VISIT#timeline$"))
        kept = plain.locator(".event-item:not(.is-off)")
        assert kept.count() == plain.locator('.event-item[data-type="VISIT"]').count() > 0
        shown = plain.locator(".event-item:visible")
        assert {shown.nth(i).get_attribute("data-type") for i in range(shown.count())} == {"VISIT"}
        assert plain.locator("p.filter-note").is_visible()
    finally:
        context.close()


def test_browser_hostile_page_runs_no_script(watched: Watched, seeded_hostile: tuple[str, str]) -> None:
    page = watched.page
    doc_id = seeded_hostile[1]
    for url in (f"/documents/{doc_id}", "/search?q=Північна+Корея", f"/documents/{doc_id}?ui=uk"):
        page.goto(url)
        page.wait_for_load_state("load")
        scripts = page.evaluate("() => Array.from(document.scripts, s => s.src + ' ' + s.textContent)")
        assert all("alert" not in s for s in scripts), scripts
        assert page.locator("img").count() == 0
        assert page.locator("b[onmouseover]").count() == 0
    page.goto(f"/documents/{doc_id}")
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    page.locator(".doc-text .body").hover()
    watched.shot("hostile-document")
    assert watched.dialogs == []


def test_browser_ui_language_switch(watched: Watched) -> None:
    page = watched.page
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator('.ui-switch a[hreflang="uk"]').click()
    page.wait_for_url(re.compile(r"\?ui=uk$"))
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.locator("nav.primary").inner_text().split() == ["Сюжети", "Пошук"]
    page.locator("ol.storylines h3 a").first.click()  # the cookie keeps Ukrainian
    page.wait_for_url(re.compile(r"/stories/st-"))
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.locator("h2", has_text="Хронологія").is_visible()
    watched.shot("story-uk")


def test_browser_pages_fit_a_phone(chromium: Any, server: str) -> None:
    context = chromium.new_context(base_url=server, locale="uk-UA", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        watcher = Watched(page)
        for name, url in (
            ("phone-story", "/stories/st-4c543e7d13992023"),
            ("phone-search", "/search?q=КНДР"),
        ):
            page.goto(url)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 390, f"{url} scrolls sideways ({width}px)"
            watcher.shot(name)
        assert watcher.problems == []
    finally:
        context.close()
