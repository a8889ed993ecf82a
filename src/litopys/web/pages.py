"""The web pages: server-rendered HTML (Jinja2, autoescaped), a little local JavaScript, no CDN.

URL scheme: ``/`` (storylines and latest events), ``/stories/{id}`` (a storyline ``st-…`` or an event
cluster ``ev-…``), ``/events/{id}``, ``/entities/{id}``, ``/documents/{id}`` (``?hl=START-END`` marks
a cited range), ``/search?q=`` (filters ``lang``, ``from``, ``to``, ``type``); and
``/stories/{id}/summary``, the summary of a story as an HTML fragment for the page's script when the page
did not wait for it (:func:`litopys.api.cache.summary_within`, the summaries the API shares). Every page
takes ``?ui=uk|en`` (:mod:`litopys.web.i18n`). Unknown ids answer 404, bad parameters 400, both as pages.
"""

from __future__ import annotations

import logging
import re
from math import ceil
from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from litopys import __version__
from litopys.api import cache
from litopys.api.params import reader
from litopys.search import search as run_search
from litopys.stages.events import ontology
from litopys.store import Store
from litopys.store.entities import cooccurring, entity_documents, get_entity, list_entities
from litopys.store.events import get_event, latest_events, list_events
from litopys.store.pages import has_story
from litopys.store.stories import duplicates_of, membership
from litopys.web import i18n, queries, views

__all__ = ["error_page", "router"]

log = logging.getLogger("litopys.serve")

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
)

#: storylines per page of the home page
STORYLINES_PER_PAGE = 20
#: latest events on the home page
LATEST_EVENTS = 12
#: events listed on a story or entity page: the dated ones in time order, then the undated ones
#: reported most; and the events drawn on its timeline
MAX_DATED = 150
MAX_UNDATED = 60
MAX_MARKS = 400
#: seconds a story page waits for its summary before it answers without it
PAGE_WAIT = 3.0
#: seconds the summary fragment waits for a summary before it answers 202
FRAGMENT_WAIT = 20.0
#: event clusters listed on a storyline page, and documents listed per cluster
MAX_CLUSTERS = 40
MAX_CLUSTER_DOCS = 8
#: documents listed per language on a story page
MAX_LANG_DOCS = 100
#: sources shown on an event page
MAX_SOURCES = 60
#: documents listed on an entity page
MAX_DOCUMENTS = 200
#: co-occurring entities on an entity page
COOCCURRING = 20
SEARCH_LIMIT = 30
MAX_SEARCH_LIMIT = 100
MAX_QUERY = 300
SEARCH_LANGS = ("uk", "ru", "en", "other")
_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
_RANGE = re.compile(r"(\d{1,9})-(\d{1,9})")


def _check_ui(request: Request) -> None:
    value = request.query_params.get("ui")
    if value is not None and value not in i18n.UI_LANGS:
        t = i18n.strings(i18n.ui_lang(request))
        raise HTTPException(
            400,
            t["bad_param"].format(name="ui", problem=t["bad_lang"].format(choices=", ".join(i18n.UI_LANGS))),
        )


router = APIRouter(include_in_schema=False, dependencies=[Depends(_check_ui)])


def _count(t: Any, key: str, n: int) -> str:
    return t[f"{key}_one"] if n == 1 else t[key].format(n=n)


def _base(request: Request, ui: str) -> dict[str, Any]:
    t = i18n.strings(ui)
    switch = []
    for lang in i18n.UI_LANGS:
        url = request.url.include_query_params(ui=lang)
        switch.append(
            {"lang": lang, "label": lang.upper(), "href": f"{url.path}?{url.query}", "active": lang == ui}
        )
    return {
        "ui": ui,
        "t": t,
        "version": __version__,
        "switch": switch,
        "search_q": "",
        "count": lambda key, n: _count(t, key, n),
        "lang_name": lambda lang: i18n.language_name(ui, lang),
        "type_label": lambda type_: i18n.event_type_label(ui, type_),
        "entity_type": lambda type_: i18n.entity_type_label(ui, type_),
    }


def render(request: Request, name: str, context: dict[str, Any], *, status: int = 200) -> Response:
    """A page in the request's UI language; ``?ui=`` is remembered in a cookie."""
    ui = i18n.ui_lang(request)
    response = templates.TemplateResponse(
        request, name, {**_base(request, ui), **context}, status_code=status
    )
    if i18n.requested_ui(request):
        response.set_cookie(i18n.COOKIE, ui, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


def error_page(request: Request, status: int, message: str) -> Response:
    """An HTML error page: the status and a message, no stack trace."""
    try:
        ui = i18n.requested_ui(request) or i18n.ui_lang(request)
        t = i18n.strings(ui)
        heading = t.get(f"error_{status}", t["error"])
        generic = message.casefold() in {"not found", "method not allowed", "bad request"}
        context = {
            **_base(request, ui),
            "status": status,
            "heading": heading,
            "message": "" if generic else message,
        }
        return templates.TemplateResponse(request, "error.html", context, status_code=status)
    except Exception:  # the error page must not fail in turn
        log.exception("error page failed")
        return PlainTextResponse(f"{status} {message}", status_code=status)


def _bad(request: Request, name: str, problem_key: str, **values: Any) -> HTTPException:
    t = i18n.strings(i18n.ui_lang(request))
    return HTTPException(400, t["bad_param"].format(name=name, problem=t[problem_key].format(**values)))


def _not_found(request: Request, key: str, value: str) -> HTTPException:
    return HTTPException(404, i18n.strings(i18n.ui_lang(request))[key].format(id=value))


def _type_param(request: Request) -> str | None:
    value = request.query_params.get("type") or None
    if value is None:
        return None
    if value.upper() not in ontology():
        raise _bad(request, "type", "bad_type")
    return value.upper()


# --- pages -------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    raw_page = request.query_params.get("page", "1")
    if not raw_page.isdigit() or int(raw_page) < 1:
        raise _bad(request, "page", "bad_page")
    page = int(raw_page)
    ui = i18n.ui_lang(request)
    store = reader(request)
    storylines, total = queries.storyline_page(
        store, ui=ui, limit=STORYLINES_PER_PAGE, offset=(page - 1) * STORYLINES_PER_PAGE
    )
    pages = max(1, ceil(total / STORYLINES_PER_PAGE))
    if page > pages:
        raise _bad(request, "page", "bad_page")
    stats = cache.stats(store)
    latest = views.event_views(store, latest_events(store, limit=LATEST_EVENTS, sources=False), ui=ui)
    counts = {"events": stats["events"], "entities": stats["entities"]}
    return render(
        request,
        "home.html",
        {
            "stats": stats,
            "counts": counts,
            "storylines": storylines,
            "total": total,
            "page": page,
            "pages": pages,
            "offset": (page - 1) * STORYLINES_PER_PAGE,
            "latest": latest,
        },
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> Response:
    ui = i18n.ui_lang(request)
    only = _type_param(request)
    store = reader(request)
    found = queries.story(
        store,
        story_id,
        ui=ui,
        max_clusters=MAX_CLUSTERS,
        max_cluster_docs=MAX_CLUSTER_DOCS,
        max_lang_docs=MAX_LANG_DOCS,
    )
    if found is None:
        raise _not_found(request, "not_found_story", story_id)
    events = views.event_views(store, list_events(store, story=story_id, sources=False), ui=ui)
    summary = _summary_context(store, story_id, ui, PAGE_WAIT)
    response = render(
        request,
        "story.html",
        {
            "story": found,
            **summary,
            **_timeline_context(events, only, ui),
            "max_clusters": MAX_CLUSTERS,
            "max_cluster_docs": MAX_CLUSTER_DOCS,
            "max_lang_docs": MAX_LANG_DOCS,
        },
    )
    if not summary["summary_ready"]:  # the same page will have its summary soon: keep it nowhere
        response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/stories/{story_id}/summary", response_class=HTMLResponse)
def story_summary_fragment(request: Request, story_id: str) -> Response:
    """The summary of a story as an HTML fragment, once ready (200; 202 while it is being made):
    what a story page's script fills in when the page did not wait for it."""
    ui = i18n.ui_lang(request)
    store = reader(request)
    if not has_story(store, story_id):
        raise _not_found(request, "not_found_story", story_id)
    context = _summary_context(store, story_id, ui, FRAGMENT_WAIT)
    response = render(request, "summary.html", context, status=200 if context["summary_ready"] else 202)
    if not context["summary_ready"]:
        response.headers["Cache-Control"] = "no-store"
    return response


def _summary_context(store: Store, story_id: str, ui: str, wait: float) -> dict[str, Any]:
    ready, found = cache.summary_within(store, story_id, lang=ui, wait=wait)
    docs = queries.documents(store, (s.document for s in found.sentences)) if found else {}
    return {
        "story_id": story_id,
        "summary_ready": ready,
        "summary": found,
        "summary_titles": {
            d: doc["title"] if len(doc["title"]) <= 60 else doc["title"][:58].rstrip() + "…"
            for d, doc in docs.items()
        },
    }


def _timeline_context(events: list[dict[str, Any]], only: str | None, ui: str) -> dict[str, Any]:
    """The events of a page, capped for the list and the timeline (the dated first)."""
    dated = [e for e in events if e["when"]]
    undated = sorted((e for e in events if not e["when"]), key=lambda e: -e["n_sources"])
    listed = dated[:MAX_DATED] + undated[:MAX_UNDATED]
    drawn = dated[:MAX_MARKS] + undated[: max(0, MAX_MARKS - len(dated))]
    return {
        "events": listed,
        "more_events": len(events) - len(listed),
        "timeline": views.timeline(drawn, only=only),
        "legend": views.legend(events, ui),
        "only": only,
    }


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> Response:
    ui = i18n.ui_lang(request)
    store = reader(request)
    found = get_event(store, event_id)
    if found is None:
        raise _not_found(request, "not_found_event", event_id)
    (view,) = views.event_views(store, [found], ui=ui)
    sources = views.source_views(store, found, ui=ui)
    stories = queries.stories_of(store, (s["document"] for s in found["sources"]))
    titles = {s["storyline"]: cache.storyline_name(store, s["storyline"], lang=ui) for s in stories}
    return render(
        request,
        "event.html",
        {
            "event": view,
            "sources": sources[:MAX_SOURCES],
            "more_sources": max(0, len(sources) - MAX_SOURCES),
            "stories": stories,
            "story_titles": titles,
        },
    )


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str) -> Response:
    ui = i18n.ui_lang(request)
    only = _type_param(request)
    store = reader(request)
    found = get_entity(store, entity_id)
    if found is None:
        raise _not_found(request, "not_found_entity", entity_id)
    events = views.event_views(store, list_events(store, entity=entity_id, sources=False), ui=ui)
    docs = entity_documents(store, entity_id)
    others = cooccurring(store, entity_id, limit=COOCCURRING)
    names = queries.entity_names(store, (o["id"] for o in others), ui=ui)
    for other in others:
        other["name"] = names.get(other["id"], {}).get("name", other["name"])
    return render(
        request,
        "entity.html",
        {
            "entity": found,
            "name": found["names"].get(ui) or found["name"],
            "documents": docs[:MAX_DOCUMENTS],
            "more_documents": max(0, len(docs) - MAX_DOCUMENTS),
            "cooccurring": others,
            **_timeline_context(events, only, ui),
        },
    )


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str) -> Response:
    ui = i18n.ui_lang(request)
    store = reader(request)
    doc = store.get(doc_id)
    if doc is None:
        raise _not_found(request, "not_found_document", doc_id)
    if doc["id"] != doc_id:  # a unique prefix: the page lives at the full id
        url = request.url.replace(path=f"/documents/{doc['id']}")
        return RedirectResponse(f"{url.path}?{url.query}" if url.query else url.path, status_code=307)
    cited = None
    raw = request.query_params.get("hl")
    if raw:
        match = _RANGE.fullmatch(raw)
        if not match or not int(match[1]) < int(match[2]) <= len(doc["text"]):
            raise _bad(request, "hl", "bad_range")
        cited = (int(match[1]), int(match[2]))
    paragraphs, entities, events = views.document_text(store, doc, ui=ui, cited=cited)
    links = duplicates_of(store, doc["id"])
    linked = queries.documents(store, [d.id for d in links])
    related = [{"id": d.id, "kind": d.kind, "score": d.score, **linked.get(d.id, {})} for d in links]
    cluster, storyline = membership(store, doc["id"])
    return render(
        request,
        "document.html",
        {
            "doc": doc,
            "outlet": queries.outlet(doc),
            "url": doc["url"] if queries.is_web_link(doc["url"]) else None,
            "paragraphs": paragraphs,
            "entities": entities,
            "doc_events": events,
            "related": related,
            "cluster": cluster,
            "storyline": storyline,
            "storyline_title": cache.storyline_name(store, storyline, lang=ui) if storyline else None,
            "newer": queries.newer_version(store, doc["id"]) if not doc["current"] else None,
            "cited": cited,
        },
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request) -> Response:
    params = request.query_params
    q = (params.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        raise _bad(request, "q", "too_long", n=MAX_QUERY)
    lang = params.get("lang") or None
    if lang is not None and lang not in SEARCH_LANGS:
        raise _bad(request, "lang", "bad_lang", choices=", ".join(SEARCH_LANGS))
    dates = {}
    for name in ("from", "to"):
        value = (params.get(name) or "").strip() or None
        if value is not None and not _DATE.fullmatch(value):
            raise _bad(request, name, "bad_date")
        dates[name] = value
    only = _type_param(request)
    raw_limit = params.get("limit", str(SEARCH_LIMIT))
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_SEARCH_LIMIT:
        raise _bad(request, "limit", "bad_limit", max=MAX_SEARCH_LIMIT)
    limit = int(raw_limit)
    ui = i18n.ui_lang(request)
    store = reader(request)
    hits = []
    if q:
        found = run_search(
            store,
            q,
            lang=lang,
            date_from=dates["from"],
            date_to=dates["to"],
            event_type=only,
            limit=limit,
        )
        hits = [
            {
                "hit": h,
                "segments": views.snippet(h),
                "outlet": queries.outlet({"source": h.source, "url": h.url}),
                "href": f"/documents/{h.id}?hl={h.snippet_start}-{h.snippet_start + len(h.snippet)}#cited",
            }
            for h in found
        ]
    return render(
        request,
        "search.html",
        {
            "q": q,
            "search_q": q,
            "lang": lang,
            "date_from": dates["from"] or "",
            "date_to": dates["to"] or "",
            "only": only,
            "limit": limit,
            "langs": SEARCH_LANGS,
            "types": sorted(set(queries.event_types(store)) | ({only} if only else set())),
            "hits": hits,
            "searched": bool(q),
            "examples": [] if q else [e["names"].get(ui) or e["name"] for e in list_entities(store, limit=6)],
        },
    )
