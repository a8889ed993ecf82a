"""The web pages of `litopys serve` (litopys.web) on the seeds: every page renders real content, unknown
ids answer 404, bad parameters 400, the UI speaks Ukrainian and English, no page has inline script or
style (CSP), and hostile article text is shown escaped."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from litopys.api import cache, create_app
from litopys.store import Store
from litopys.store.entities import find_entity
from litopys.store.stories import list_stories
from litopys.web import i18n
from litopys.web import pages as web_pages
from litopys.web.text import Span, highlight, runs
from litopys.web.timeline import layout, parse_day

from conftest import HOSTILE_TITLE

BELOUSOV_QUOTE = "прибув із візитом"


@pytest.fixture(scope="module")
def client(seeded_cli: tuple[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(seeded_cli[0])) as c:
        yield c


@pytest.fixture(autouse=True)
def _no_cookies(request: pytest.FixtureRequest) -> None:
    """Each test starts without the UI language cookie an earlier test's ?ui= left in the shared client."""
    if "client" in request.fixturenames:
        request.getfixturevalue("client").cookies.clear()


@pytest.fixture(scope="module")
def ids(seeded_cli: tuple[str, str]) -> dict[str, Any]:
    """Ids of the seeded store the tests look at."""
    with Store(seeded_cli[0]) as store:
        stories = list_stories(store)
        storyline = next(s for s in stories if s.level == "storyline")
        cluster = max((s for s in stories if s.level == "event"), key=lambda s: len(s.documents))
        docs = {d["path"].rsplit("/", 1)[-1][:3]: d["id"] for d in store.documents()}
        belousov = store.db.execute(
            "SELECT e.canonical FROM event_mentions e JOIN documents d ON d.id = e.doc_id "
            "WHERE e.type = 'VISIT' AND instr(substr(d.text, e.start + 1, e.end - e.start), ?) > 0",
            (BELOUSOV_QUOTE,),
        ).fetchone()[0]
        (kim,) = find_entity(store, "Kim Jong Un")
        return {
            "storyline": storyline.id,
            "cluster": cluster.id,
            "docs": docs,
            "belousov": belousov,
            "kim": kim["id"],
        }


def pages(ids: dict[str, Any]) -> list[str]:
    return [
        "/",
        f"/stories/{ids['storyline']}",
        f"/stories/{ids['cluster']}",
        f"/events/{ids['belousov']}",
        f"/entities/{ids['kim']}",
        f"/documents/{ids['docs']['000']}",
        "/search",
        "/search?q=Ким+Чен+Ын",
    ]


def text_of(html: str) -> str:
    """The visible text of a page, roughly: tags dropped, entities of the quote decoded."""
    return re.sub(r"<[^>]+>", "", html).replace("&#39;", "'").replace("&quot;", '"')


# --- the pages ---------------------------------------------------------------------------------


def test_web_home_lists_storylines_and_latest_events(client: TestClient, ids: dict[str, Any]) -> None:
    r = client.get("/", headers={"Accept-Language": "en"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert f'href="/stories/{ids["storyline"]}"' in r.text
    assert "North Korea · Russia · Ukraine" in r.text  # the storyline's title, its entities in English
    assert "Latest events" in r.text
    assert f'href="/events/{ids["belousov"]}"' in r.text  # the latest dated event
    assert "2024-11-29" in r.text


def test_web_storyline_page_has_summary_timeline_clusters_and_documents(
    client: TestClient, ids: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web_pages, "PAGE_WAIT", 300.0)  # however slow the machine, the page waits for it
    r = client.get(f"/stories/{ids['storyline']}?ui=uk")
    assert r.status_code == 200
    html = r.text
    assert "<h1>Північна Корея · Росія · Україна</h1>" in html
    # the summary: Ukrainian sentences, each linked to its document with the cited range
    summary = html.split('id="summary-h"')[1].split("</section>")[0]
    assert summary.count("<li>") >= 3
    assert re.search(r'href="/documents/[0-9a-f]{16}\?hl=\d+-\d+#cited"', summary)
    assert 'lang="uk"' in summary and 'lang="ru"' not in summary
    # the timeline: an SVG whose marks link to the events, a legend that filters by type
    assert '<svg viewBox="0 0 960' in html and 'class="tl-mark' in html
    assert f'<a href="/events/{ids["belousov"]}" class="tl-mark' in html
    assert f'href="/stories/{ids["storyline"]}?type=ARMS_TRANSFER#timeline"' in html
    # event clusters and documents grouped by language
    assert f'href="/stories/{ids["cluster"]}"' in html
    for seed in ("000", "001", "002", "003", "004"):
        assert f'href="/documents/{ids["docs"][seed]}"' in html
    assert "українська" in html and "російська" in html


def test_web_story_page_does_not_wait_for_a_slow_summary(
    client: TestClient, ids: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real = cache.summarize

    def slow(*args: Any, **kwargs: Any) -> Any:
        release.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(cache, "summarize", slow)
    monkeypatch.setattr(web_pages, "PAGE_WAIT", 0.0)
    cache.summaries.clear()
    page = client.get(f"/stories/{ids['cluster']}")
    assert page.status_code == 200
    assert f'data-summary-pending="/stories/{ids["cluster"]}/summary?ui=en"' in page.text
    assert "The summary is being prepared" in page.text
    monkeypatch.setattr(web_pages, "FRAGMENT_WAIT", 0.0)
    assert client.get(f"/stories/{ids['cluster']}/summary?ui=en").status_code == 202
    release.set()
    monkeypatch.setattr(web_pages, "FRAGMENT_WAIT", 300.0)
    fragment = client.get(f"/stories/{ids['cluster']}/summary?ui=en")
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div class="summary-body"') and "<li>" in fragment.text
    assert "<html" not in fragment.text and "data-summary-pending" not in fragment.text
    assert client.get("/stories/st-0000000000000000/summary").status_code == 404


def test_web_story_type_filter_works_without_javascript(client: TestClient, ids: dict[str, Any]) -> None:
    r = client.get(f"/stories/{ids['storyline']}?type=visit")
    assert r.status_code == 200
    visits = re.findall(r'<li class="event-item" data-type="VISIT"', r.text)
    others = re.findall(r'<li class="event-item is-off" data-type="(\w+)"', r.text)
    assert visits and others and "VISIT" not in others
    assert "Showing Visit only." in r.text


def test_web_event_cluster_page_links_its_storyline(client: TestClient, ids: dict[str, Any]) -> None:
    r = client.get(f"/stories/{ids['cluster']}")
    assert r.status_code == 200
    assert "Event cluster" in r.text
    assert f'href="/stories/{ids["storyline"]}"' in r.text
    assert (
        f'href="/documents/{ids["docs"]["000"]}"' in r.text
        and f'href="/documents/{ids["docs"]["003"]}"' in r.text
    )


def test_web_event_page_quotes_its_sources_with_the_trigger_highlighted(
    client: TestClient, ids: dict[str, Any]
) -> None:
    r = client.get(f"/events/{ids['belousov']}")
    assert r.status_code == 200
    html = r.text
    assert "<h1>" in html and "Visit" in html
    assert '<mark class="hl trigger ">прибув</mark> із візитом' in html
    assert BELOUSOV_QUOTE in text_of(html)
    # participants linked to their entity pages; the source card links its document at the sentence
    assert re.search(r'<a class="entity-ref ent-PER" href="/entities/[0-9a-f]+">Andrei Belousov</a>', html)
    assert re.search(r'<a class="entity-ref ent-LOC" href="/entities/[0-9a-f]+">North Korea</a>', html)
    assert re.search(rf'href="/documents/{ids["docs"]["001"]}\?hl=\d+-\d+#cited"', html)
    assert "2024-11-29" in html and 'class="source-card"' in html
    assert "the sentence names no source" in html  # its attribution chain is empty


def test_web_event_page_shows_attribution_chains(client: TestClient, seeded_cli: tuple[str, str]) -> None:
    with Store(seeded_cli[0]) as store:
        event_id = store.db.execute(
            "SELECT canonical FROM event_mentions WHERE attributed_to != '[]' AND canonical IS NOT NULL LIMIT 1"
        ).fetchone()[0]
    r = client.get(f"/events/{event_id}")
    assert r.status_code == 200
    assert '<span class="chain"' in r.text


def test_web_entity_page_shows_names_by_language(client: TestClient, ids: dict[str, Any]) -> None:
    r = client.get(f"/entities/{ids['kim']}")
    assert r.status_code == 200
    html = r.text
    assert "<h1>Kim Jong Un</h1>" in html
    assert '<td lang="uk">Кім Чен Ин</td>' in html
    assert '<td lang="ru">Ким Чен Ын</td>' in html
    assert "<li>Кім Чен Ином</li>" in html  # a form seen in the text
    assert "person" in html
    assert 'class="tl-mark' in html  # its timeline
    assert f'href="/documents/{ids["docs"]["002"]}"' in html
    assert re.search(r'href="/entities/[0-9a-f]+">Vladimir Putin</a>', html)  # occurs with
    uk = client.get(f"/entities/{ids['kim']}?ui=uk").text
    assert "<h1>Кім Чен Ин</h1>" in uk and "Назви за мовами" in uk


def test_web_document_page_folds_removed_furniture_and_marks_names(
    client: TestClient, ids: dict[str, Any], seeded_cli: tuple[str, str]
) -> None:
    doc_id = ids["docs"]["000"]
    r = client.get(f"/documents/{doc_id}")
    assert r.status_code == 200
    html = r.text
    with Store(seeded_cli[0]) as store:
        doc = store.get(doc_id)
    assert doc is not None and doc["removed"]
    details = html.split('<details class="removed">')[1].split("</details>")[0]
    assert "Removed page furniture (2)" in details
    for removed in doc["removed"]:
        assert f'<code class="rule">{removed["rule"]}</code>' in details
    # names link to their entity, triggers to their event; the translation is linked
    assert re.search(r'<a class="hl entity ent-LOC" href="/entities/[0-9a-f]+"[^>]*>КНДР</a>', html)
    assert re.search(r'<a class="hl trigger " href="/events/evt-[^"]+"[^>]*>', html)
    assert f'href="/documents/{ids["docs"]["003"]}"' in html and "translation" in html
    assert "examples/seeds/000_13f525626b9ed40e.txt" in html


def test_web_document_page_marks_the_cited_range(client: TestClient, ids: dict[str, Any]) -> None:
    r = client.get(f"/documents/{ids['docs']['001']}?hl=132-263")
    assert r.status_code == 200
    cited = r.text.split('<mark class="cited" id="cited">')[1].split("</mark>", 1)[0]
    assert cited.startswith("До ")


def test_web_document_prefix_redirects_to_the_full_id(client: TestClient, ids: dict[str, Any]) -> None:
    doc_id = ids["docs"]["002"]
    r = client.get(f"/documents/{doc_id[:6]}?ui=en", follow_redirects=False)
    assert r.status_code == 307
    assert r.headers["location"] == f"/documents/{doc_id}?ui=en"


def test_web_search_finds_the_uk_seeds_by_a_russian_name(client: TestClient, ids: dict[str, Any]) -> None:
    r = client.get("/search", params={"q": "Ким Чен Ын"})
    assert r.status_code == 200
    html = r.text
    for seed in ("000", "001", "002"):
        assert f'<a href="/documents/{ids["docs"][seed]}" lang="uk">' in html
    assert '<mark class="hl hit ">Кім Чен Ин</mark>' in html
    assert 'value="Ким Чен Ын"' in html  # the query stays in the form


def test_web_search_filters(client: TestClient, ids: dict[str, Any]) -> None:
    ru = client.get("/search", params={"q": "Ким Чен Ын", "lang": "ru"}).text
    assert f'href="/documents/{ids["docs"]["003"]}"' in ru
    assert f'href="/documents/{ids["docs"]["000"]}"' not in ru
    late = client.get("/search", params={"q": "Ким Чен Ын", "from": "2024"}).text
    assert f'href="/documents/{ids["docs"]["001"]}"' in late
    assert f'href="/documents/{ids["docs"]["002"]}"' not in late
    typed = client.get("/search", params={"q": "Ким Чен Ын", "type": "TREATY_SIGNING"})
    assert typed.status_code == 200 and f'href="/documents/{ids["docs"]["001"]}"' in typed.text
    assert f'href="/documents/{ids["docs"]["002"]}"' not in typed.text
    none = client.get("/search", params={"q": "жирафа"})
    assert none.status_code == 200 and "Nothing found." in none.text


def test_web_search_without_a_query_shows_the_form(client: TestClient) -> None:
    r = client.get("/search")
    assert r.status_code == 200
    assert '<form class="panel search-form"' in r.text and 'name="from"' in r.text and 'name="type"' in r.text


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/stories/st-0000000000000000",
        "/events/evt-nope",
        "/entities/0000000000000000",
        "/documents/ffffffffffffffff",
        "/documents/abc",
        "/no/such/page",
    ],
)
def test_web_unknown_ids_answer_a_404_page(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "Not found" in r.text and "Traceback" not in r.text


@pytest.mark.parametrize(
    "query",
    [
        "/search?q=x&from=yesterday",
        "/search?q=x&to=2024-13",
        "/search?q=x&lang=de",
        "/search?q=x&type=PICNIC",
        "/search?q=x&limit=0",
        "/search?q=x&limit=many",
        "/search?q=" + "x" * 301,
        "/?page=0",
        "/?page=99",
        "/?ui=fr",
        "/stories/{storyline}?type=PICNIC",
        "/documents/{doc}?hl=20-10",
        "/documents/{doc}?hl=0-99999999",
        "/documents/{doc}?hl=start",
    ],
)
def test_web_bad_parameters_answer_a_400_page(client: TestClient, ids: dict[str, Any], query: str) -> None:
    r = client.get(query.format(storyline=ids["storyline"], doc=ids["docs"]["000"]))
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/html")
    assert "Bad request" in r.text and "Bad parameter" in r.text and "Traceback" not in r.text


def test_web_error_pages_speak_the_ui_language(client: TestClient) -> None:
    r = client.get("/events/evt-nope", headers={"Accept-Language": "uk-UA,uk;q=0.9"})
    assert r.status_code == 404
    assert '<html lang="uk">' in r.text and "Не знайдено" in r.text and "Немає події evt-nope." in r.text


# --- UI languages --------------------------------------------------------------------------------


def test_web_ui_language_switch_is_remembered(seeded_cli: tuple[str, str]) -> None:
    with TestClient(create_app(seeded_cli[0])) as c:
        default = c.get("/")
        assert '<html lang="en">' in default.text and "Storylines" in default.text
        assert '<a href="/?ui=uk" hreflang="uk" lang="uk">UK</a>' in default.text
        uk = c.get("/?ui=uk")
        assert '<html lang="uk">' in uk.text
        for words in ("Сюжети", "Останні події", "Пошук", "Документи"):
            assert words in uk.text
        assert f"{i18n.COOKIE}=uk" in uk.headers["set-cookie"]
        # the cookie keeps Ukrainian on the next pages, until ?ui=en
        assert '<html lang="uk">' in c.get("/search").text
        assert '<html lang="en">' in c.get("/search?ui=en").text
        assert '<html lang="en">' in c.get("/").text


def test_web_ui_language_follows_accept_language(client: TestClient) -> None:
    r = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9,uk;q=0.8,en;q=0.5"})
    assert '<html lang="uk">' in r.text and "Хроніка" in r.text
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "ru"}).text
    assert "Accept-Language" in r.headers["vary"]


def test_web_accept_language_parsing() -> None:
    assert i18n.from_accept_language("en-US,en;q=0.9,uk;q=0.8") == "en"
    assert i18n.from_accept_language("uk;q=0.5, en;q=0.4") == "uk"
    assert i18n.from_accept_language("en;q=0, uk;q=0.1") == "uk"
    assert i18n.from_accept_language("de, fr;q=nonsense") is None
    assert i18n.from_accept_language("") is None


def test_web_every_ui_string_is_translated() -> None:
    assert set(i18n.STRINGS["uk"]) == set(i18n.STRINGS["en"])
    assert set(i18n.EVENT_TYPES["uk"]) == set(i18n.EVENT_TYPES["en"])
    from litopys.stages.events import ontology

    assert set(ontology()) <= set(i18n.EVENT_TYPES["en"])


# --- CSP and hostile text ----------------------------------------------------------------------


def test_web_pages_have_no_inline_script_or_style(client: TestClient, ids: dict[str, Any]) -> None:
    for url in [*pages(ids), "/events/evt-nope", "/search?from=x"]:
        for ui in ("en", "uk"):
            r = client.get(url, params={"ui": ui})
            html = r.text
            assert (
                "Content-Security-Policy" in r.headers
                and "script-src 'self'" in r.headers["content-security-policy"]
            )
            scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S | re.I)
            assert scripts == [(' src="/static/app.js" defer', "")], url
            assert not re.search(r"\sstyle\s*=", html, flags=re.I), url
            assert "<style" not in html.lower(), url
            assert not re.search(r"<[^>]+\son[a-z]+\s*=", html, flags=re.I), url  # no event handlers
            assert "javascript:" not in html.lower(), url


def test_web_static_assets_are_served(client: TestClient) -> None:
    css = client.get("/static/style.css")
    js = client.get("/static/app.js")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert client.get("/static/favicon.svg").status_code == 200


def test_web_hostile_title_is_escaped_everywhere(seeded_hostile: tuple[str, str]) -> None:
    db, doc_id = seeded_hostile
    with Store(db) as store:
        stored = store.get(doc_id)
        cluster, storyline = store.db.execute(
            "SELECT event, storyline FROM story_members WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        events = [
            r[0]
            for r in store.db.execute(
                "SELECT DISTINCT canonical FROM event_mentions WHERE doc_id = ? AND canonical IS NOT NULL",
                (doc_id,),
            )
        ]
    assert stored is not None and stored["title"] == HOSTILE_TITLE  # stored as written, escaped on output
    urls = [
        "/",
        f"/documents/{doc_id}",
        f"/stories/{cluster}",
        f"/stories/{storyline}",
        "/search?q=Північна+Корея",
        "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/entities/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        *(f"/events/{e}" for e in events),
    ]
    shown = 0
    with TestClient(create_app(db)) as c:
        for url in urls:
            html = c.get(url).text
            assert "<script>alert" not in html, url
            assert "<img src=x" not in html.lower(), url
            assert not re.search(r"<b\s+onmouseover", html, flags=re.I), url
            shown += "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;" in html
    assert shown >= 4  # the document, its cluster, the search page of the query, the 404 of the id


# --- building blocks ---------------------------------------------------------------------------


def test_web_text_runs_split_names_triggers_and_the_cited_range() -> None:
    text = "Кім зустрів Путіна у Росії."
    spans = [
        Span(0, 3, "entity", "/entities/a"),
        Span(4, 11, "trigger", "/events/e"),
        Span(5, 9, "entity"),  # overlaps the trigger: dropped
        Span(12, 18, "entity", "/entities/b"),
    ]
    found = runs(text, spans, cited=(4, 18))
    assert [r.cited for r in found] == [False, True, False]
    assert [s.text for s in found[0].segments] == ["Кім", " "]
    assert [(s.text, s.kind) for s in found[1].segments] == [
        ("зустрів", "trigger"),
        (" ", ""),
        ("Путіна", "entity"),
    ]
    assert "".join(s.text for r in found for s in r.segments) == text
    assert [s.text for s in highlight("abc def", [(4, 7)])] == ["abc ", "def"]
    assert runs("", []) == []


def test_web_timeline_places_dated_and_undated_events() -> None:
    assert parse_day("2024-06") == parse_day("2024-06-01")
    assert parse_day("2024-06", end=True) == parse_day("2024-06-30")
    assert parse_day("someday") is None and parse_day(None) is None
    events = [
        {"id": "a", "type": "VISIT", "date": {"start": "2024-01-05", "end": "2024-01-05"}},
        {"id": "b", "type": "VISIT", "date": {"start": "2024-01-05", "end": "2024-01-05"}},
        {"id": "c", "type": "AID", "date": {"start": "2024-03-01", "end": "2024-03-31"}},
        {"id": "d", "type": "AID", "date": {"start": None, "end": None}, "first_reported": "2024-02"},
        {"id": "e", "type": "AID", "date": {"start": None, "end": None}, "first_reported": None},
    ]
    tl = layout(events, colours={"VISIT": "c0", "AID": "c1"}, labels={}, off=frozenset({"AID"}))
    assert tl is not None
    marks = {m.id: m for m in tl.marks}
    assert set(marks) == {"a", "b", "c", "d"}  # e has no date at all
    assert marks["a"].x == marks["b"].x and marks["a"].y != marks["b"].y  # stacked
    assert marks["c"].width > 0 and marks["a"].width == 0  # a month is a bar
    assert marks["d"].hollow and not marks["a"].hollow
    assert marks["c"].off and not marks["a"].off
    assert [key for _, key in tl.lanes] == ["occurred", "reported"]
    assert [label for _, label in tl.ticks] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert layout([events[-1]], colours={}, labels={}) is None
