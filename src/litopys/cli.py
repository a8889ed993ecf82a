"""The command line: a thin layer over the library (``litopys --help``).

Exit status: 0 when every input was handled, 1 when some inputs were rejected (the rest were
ingested), 2 for a usage error.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from litopys import search as search_module
from litopys.dask_runner import DaskUnavailable
from litopys.errors import LitopysError
from litopys.exports import export_jsonl
from litopys.exports.graph import GRAPH_FORMATS, export_graph
from litopys.exports.jsonl import event_record, story_record
from litopys.exports.tables import export_csv
from litopys.pipeline import FOUNDATION_STAGES, STAGES, decide
from litopys.pipeline import ingest as run_ingest
from litopys.records import Story
from litopys.stages.events import ontology as event_ontology
from litopys.stages.ingest import input_size
from litopys.store import Store
from litopys.store import backend as store_backend
from litopys.store import entities as store_entities
from litopys.store import events as store_events
from litopys.store import stories as store_stories
from litopys.summaries import LANGS as SUMMARY_LANGS
from litopys.summaries import UnknownStory, summarize

app = typer.Typer(
    help="litopys: turn noisy uk/ru/en news into a sourced chronicle.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)
out = Console()

DEFAULT_DB = "litopys.db"
#: `litopys stories --level`
STORY_LEVELS = ("storyline", "event")
#: `litopys duplicates --kind`
DUPLICATE_KINDS = ("exact", "near", "translation")
#: characters of a title shown in the `stories` and `duplicates` listings
TITLE_WIDTH = 60
#: `litopys timeline --from/--to`
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class State:
    db: str | Path = Path(DEFAULT_DB)


@app.callback()
def main_options(
    db: Annotated[
        str,
        typer.Option(
            "--db",
            help="SQLite file to use (created if missing), or a PostgreSQL database: postgresql://USER@HOST/DB.",
            envvar="LITOPYS_DB",
        ),
    ] = DEFAULT_DB,
) -> None:
    State.db = store_backend.target(db)


def _shown_db() -> str:
    """The store as messages name it: the file, or the URL without its password."""
    return store_backend.redact(State.db) if isinstance(State.db, str) else str(State.db)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders: .txt, .html, .jsonl, .gz of these.")],
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Processes to use.")] = 1,
    dask: Annotated[
        bool,
        typer.Option("--dask", help="Run the --workers processes on a Dask LocalCluster (litopys[dask])."),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Run on the existing Dask cluster at ADDRESS (tcp://HOST:8786)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    no_entities: Annotated[
        bool,
        typer.Option(
            "--no-entities", help="Skip names, entities and stories (faster; foundation stages only)."
        ),
    ] = False,
    no_stories: Annotated[
        bool, typer.Option("--no-stories", help="Skip duplicates, event clusters and storylines.")
    ] = False,
) -> None:
    """Read, clean, language-tag and store documents; print what was ingested and rejected."""
    names = [str(p) for p in paths]
    with Store(State.db) as store:
        total = input_size(names)
        progress = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            DownloadColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err,
            disable=quiet or not err.is_terminal,
        )
        with progress:
            task = progress.add_task("ingest", total=max(total, 1))
            try:
                report = run_ingest(
                    names,
                    store=store,
                    workers=workers,
                    on_item=lambda n: progress.advance(task, n),
                    stages=FOUNDATION_STAGES if no_entities else STAGES,
                    link=not no_entities,
                    stories=not (no_entities or no_stories),  # storylines are built from the entities
                    dask=dask,
                    scheduler=scheduler,
                )
            except DaskUnavailable as error:
                progress.stop()
                err.print("[red]error[/red]", Text(str(error)), highlight=False)
                raise typer.Exit(2) from None
            progress.update(task, completed=max(total, 1))

    table = Table(title=f"ingest into {_shown_db()}", show_header=False)
    table.add_row("ingested", str(report.ingested))
    table.add_row("new versions", str(report.new_versions))
    table.add_row("unchanged", str(report.unchanged))
    table.add_row("rejected", str(len(report.rejected)))
    if report.entities is not None:
        table.add_row("entities (after linking)", str(report.entities))
    out.print(table)
    if report.stories is not None:
        st = report.stories
        out.print(
            f"stories: {st.placed} placed, {st.events} event clusters, {st.storylines} storylines, "
            f"{st.duplicates} duplicate links",
            highlight=False,
        )
    if report.events is not None:
        out.print(f"events: {report.events} canonical events", highlight=False)
    for rejected in report.rejected:
        out.print(f"[red]rejected[/red] {rejected.path}: {rejected.reason}", highlight=False)
    if report.rejected:
        raise typer.Exit(1)


#: export formats: (kind of output, what it is)
EXPORT_FORMATS = {
    "jsonl": "every record, one JSON object per line (file or stdout)",
    "csv": "documents.csv, entities.csv and events.csv in the folder -o names",
    "graphml": "entity co-occurrence and actor→target event graph (Gephi, networkx)",
    "gexf": "the same graph as GEXF",
    "html": "a readable report: storylines, timeline chart, top entities, events with sources",
    "md": "the same report as Markdown, its charts as SVG files beside it",
}


@app.command()
def export(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Output format: jsonl, csv, graphml, gexf, html or md.")
    ] = "jsonl",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (a folder for csv; default: stdout for jsonl)."),
    ] = None,
    bom: Annotated[
        bool, typer.Option("--bom", help="csv: start each file with a UTF-8 byte order mark (Excel).")
    ] = False,
) -> None:
    """Export the store: JSON Lines, CSV tables, a graph for Gephi, or an HTML/Markdown report."""
    _check_choice("--format", fmt, tuple(EXPORT_FORMATS))
    if output is None and fmt != "jsonl":
        err.print(f"[red]error:[/red] --format {fmt} needs --output (-o)")
        raise typer.Exit(2)
    _require_db()
    with Store(State.db) as store:
        if fmt == "jsonl":
            if output is None:
                export_jsonl(store, sys.stdout)
            else:
                with output.open("w", encoding="utf-8") as fh:
                    count = export_jsonl(store, fh)
                err.print(f"wrote {count} records to {output}")
            return
        assert output is not None
        if fmt == "csv":
            counts = export_csv(store, output, bom=bom)
            written = ", ".join(f"{name} ({rows} rows)" for name, rows in counts.items())
            err.print(f"wrote {written} to {output}")
        elif fmt in GRAPH_FORMATS:
            nodes, edges = export_graph(store, output, fmt=fmt)
            err.print(f"wrote a graph of {nodes} nodes and {edges} edges to {output}")
        else:
            from litopys.exports.report import write_report

            path = write_report(store, output, fmt=fmt)
            err.print(f"wrote the report to {path}")


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(help="Document id or a unique prefix of it (4+ chars).")],
) -> None:
    """Show one document: metadata, clean text and what was removed."""
    _require_db()
    with Store(State.db) as store:
        doc = store.get(doc_id)
    if doc is None:
        err.print(f"[red]error:[/red] no single document with id {doc_id!r} in {_shown_db()}")
        raise typer.Exit(2)
    for key in ("id", "path", "url", "title", "lang", "published", "source", "version"):
        out.print(f"[bold]{key}:[/bold] {doc[key]}", highlight=False)
    out.rule("text")
    out.print(doc["text"], highlight=False, markup=False)
    if doc["removed"]:
        out.rule(f"removed ({len(doc['removed'])})")
        for item in doc["removed"]:
            out.print(f"[dim]{item['rule']}:[/dim] {item['text']}", highlight=False)


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Counts: documents, versions, languages, sources, rejected inputs by reason."""
    _require_db()
    with Store(State.db) as store:
        numbers = store.stats()
    if as_json:
        out.print_json(json.dumps(numbers, ensure_ascii=False))
        return
    table = Table(title=f"{_shown_db()}", show_header=False)
    for key in ("documents", "versions", "rejected"):
        table.add_row(key, str(numbers[key]))
    for key in ("by_lang", "by_source", "rejected_by_reason"):
        for name, count in numbers[key].items():
            table.add_row(f"{key.replace('_', ' ')}: {name}", str(count))
    out.print(table)


@app.command()
def entities(
    type_: Annotated[
        str | None, typer.Option("--type", "-t", help="Only this type: PER, LOC, ORG, EVT, PRO.")
    ] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many to list.")] = 30,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List canonical entities, most mentioned first."""
    _require_db()
    with Store(State.db) as store:
        found = store_entities.list_entities(store, type=type_, limit=top)
    if as_json:
        out.print_json(json.dumps(found, ensure_ascii=False))
        return
    table = Table(title=f"entities in {_shown_db()}")
    for column in ("id", "type", "name", "uk", "ru", "mentions", "documents"):
        table.add_column(column, justify="right" if column in ("mentions", "documents") else "left")
    for e in found:
        names = e["names"]
        table.add_row(
            e["id"],
            e["type"],
            e["name"],
            names.get("uk") or "",
            names.get("ru") or "",
            str(e["mentions"]),
            str(e["documents"]),
        )
    out.print(table)


@app.command()
def entity(name: Annotated[str, typer.Argument(help="An entity id, name (any language) or alias.")]) -> None:
    """One entity: names, aliases, the documents that mention it and the entities it occurs with."""
    _require_db()
    with Store(State.db) as store:
        found = store_entities.find_entity(store, name)
        if not found:
            err.print(f"[red]error:[/red] no entity named {name!r}; see `litopys entities`")
            raise typer.Exit(2)
        for e in found:
            out.rule(f"{e['name']} ({e['type']}, {e['id']})")
            out.print(f"[bold]names:[/bold] {e['names']}", highlight=False)
            out.print(f"[bold]aliases:[/bold] {', '.join(e['aliases'])}", highlight=False)
            out.print(f"[bold]mentions:[/bold] {e['mentions']} in {e['documents']} documents")
            for doc in store_entities.entity_documents(store, e["id"]):
                out.print(
                    f"  {doc['id']}  {doc['published'] or '----------'}  {doc['lang']}  {doc['title']}",
                    highlight=False,
                )
            others = store_entities.cooccurring(store, e["id"])
            if others:
                out.print(
                    "[bold]occurs with:[/bold] "
                    + ", ".join(f"{o['name']} ({o['documents']})" for o in others)
                )


@app.command()
def merge(
    a: Annotated[str, typer.Argument(help="Entity id or name.")],
    b: Annotated[str, typer.Argument(help="Entity id or name to merge into the first.")],
) -> None:
    """Record a reviewed decision that A and B are one entity, and re-link."""
    _decide("merge", a, b)


@app.command()
def split(
    a: Annotated[str, typer.Argument(help="A name (or alias) that must stay apart from B.")],
    b: Annotated[str, typer.Argument(help="The other name.")],
) -> None:
    """Record a reviewed decision that names A and B are different entities, and re-link."""
    _decide("split", a, b)


def _decide(kind: str, a: str, b: str) -> None:
    _require_db()
    with Store(State.db) as store:
        for query in (a, b):
            if not store_entities.find_entity(store, query):
                err.print(f"[red]error:[/red] no entity named {query!r}; see `litopys entities`")
                raise typer.Exit(2)
        report = decide(store, kind=kind, a=a, b=b)
    out.print(
        f"{kind} recorded: {a!r} / {b!r}; {report.entities} entities after re-linking, "
        f"{report.events} canonical events"
        + (
            ""
            if report.applied
            else f"; note: the names do not yet {'name one' if kind == 'merge' else 'stay apart'}"
        ),
        highlight=False,
    )


def _check_choice(name: str, value: str | None, allowed: Sequence[str]) -> None:
    """Exit 2 with the allowed values when an option's value is not one of them."""
    if value is not None and value not in allowed:
        err.print(f"[red]error:[/red] unknown {name} {value!r}; available: {', '.join(allowed)}")
        raise typer.Exit(2)


@app.command()
def stories(
    level: Annotated[
        str | None, typer.Option("--level", "-l", help="Only this level: storyline or event.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Storylines, their event clusters and their documents, the largest first."""
    _check_choice("level", level, STORY_LEVELS)
    _require_db()
    with Store(State.db) as store:
        found = store_stories.list_stories(store, level=level)
        if as_json:
            out.print_json(json.dumps([story_record(s) for s in found], ensure_ascii=False))
            return
        if not found:
            out.print(f"no stories in {_shown_db()}; they are built at the end of `litopys ingest`")
            return
        docs = {d: store.get(d) for s in found if level != "storyline" for d in s.documents}
    events = [s for s in found if s.level == "event"]
    if level == "event":
        for event in events:
            out.print(_event_tree(event, docs))
        return
    for storyline in (s for s in found if s.level == "storyline"):
        tree = Tree(_story_label(storyline))
        for event in events:
            if event.storyline == storyline.id:
                tree.add(_event_tree(event, docs))
        out.print(tree)


def _story_label(story: Story) -> Text:
    """``id  N documents (languages)[, dates]: title``, cut at the console's width."""
    n = len(story.documents)
    about = f"{n} document{'s' if n != 1 else ''} ({', '.join(story.languages)})"
    if story.level == "storyline":
        first, last = story.first_seen, story.last_seen
        if first and last:
            about += f", {first}" if first == last else f", {first}..{last}"
        else:
            about += ", undated"
    label = Text(f"{story.id}  {about}: ", style="dim", no_wrap=True, overflow="ellipsis")
    return label.append(_cut(story.title), style="bold" if story.level == "storyline" else "")


def _event_tree(event: Story, docs: dict[str, dict[str, Any] | None]) -> Tree:
    tree = Tree(_story_label(event))
    for doc_id in event.documents:
        doc = docs.get(doc_id) or {}
        line = f"{doc_id[:8]}  {doc.get('lang') or '-'}  {doc.get('published') or '-':<10}  "
        tree.add(Text(line + _cut(str(doc.get("title") or "")), no_wrap=True, overflow="ellipsis"))
    return tree


@app.command()
def duplicates(
    kind: Annotated[
        str | None, typer.Option("--kind", "-k", help="Only this kind: exact, near or translation.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Duplicate links: exact and near copies in one language, translations across languages."""
    _check_choice("kind", kind, DUPLICATE_KINDS)
    _require_db()
    with Store(State.db) as store:
        pairs = store_stories.duplicate_pairs(store, kind=kind)
    if as_json:
        out.print_json(json.dumps(pairs, ensure_ascii=False))
        return
    if not pairs:
        out.print(f"no duplicate links in {_shown_db()}" + (f" of kind {kind}" if kind else ""))
        return
    for p in pairs:
        out.print(
            f"{p['kind']:<11} {p['score']:.3f}  {p['a'][:8]} {p['a_lang']} {_cut(p['a_title'], 40)}"
            f"  ⇄  {p['b'][:8]} {p['b_lang']} {_cut(p['b_title'], 40)}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


@app.command()
def timeline(
    entity: Annotated[
        str | None, typer.Option("--entity", "-e", help="Only events with this entity (id, name or alias).")
    ] = None,
    story: Annotated[
        str | None, typer.Option("--story", "-s", help="Only events of this event cluster or storyline id.")
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Only events that occur on or after this date (YYYY-MM-DD).")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Only events that occur on or before this date (YYYY-MM-DD).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Canonical events in the order they happened, each with its sources and their sentences."""
    for name, value in (("--from", date_from), ("--to", date_to)):
        _check_date(name, value)
    if date_from and date_to and date_from > date_to:
        err.print(f"[red]error:[/red] --from {date_from} is after --to {date_to}", highlight=False)
        raise typer.Exit(2)
    _require_db()
    with Store(State.db) as store:
        ids: list[str] = []
        if entity is not None:
            ids = [e["id"] for e in store_entities.find_entity(store, entity)]
            if not ids:
                err.print(f"[red]error:[/red] no entity named {entity!r}; see `litopys entities`")
                raise typer.Exit(2)
        if story is not None and story not in {s.id for s in store_stories.list_stories(store)}:
            err.print(f"[red]error:[/red] no event cluster or storyline {story!r}; see `litopys stories`")
            raise typer.Exit(2)
        found = store_events.list_events(
            store,
            entity=ids[0] if len(ids) == 1 else None,
            story=story,
            date_from=date_from,
            date_to=date_to,
        )
    if len(ids) > 1:  # a name shared by several entities: the events of any of them
        found = [e for e in found if set(ids) & {*e["actors"], *e["targets"], e["location"]}]
    if as_json:
        out.print_json(json.dumps([event_record(e) for e in found], ensure_ascii=False))
        return
    if not found:
        filtered = any(v is not None for v in (entity, story, date_from, date_to))
        out.print(
            f"no events match in {_shown_db()}"
            if filtered
            else f"no events in {_shown_db()}; they are built at the end of `litopys ingest`",
            highlight=False,
        )
        return
    for event in found:
        out.print(_timeline_tree(event))


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words or names, in any of uk, ru, en; every one must match.")],
    lang: Annotated[str | None, typer.Option("--lang", "-l", help="Only documents in this language.")] = None,
    date_from: Annotated[
        str | None,
        typer.Option("--from", help="Only documents published on or after this date (YYYY-MM-DD)."),
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Only documents published on or before this date (YYYY-MM-DD).")
    ] = None,
    outlet: Annotated[
        str | None, typer.Option("--outlet", help="Only documents whose source line or URL contains this.")
    ] = None,
    entity: Annotated[
        str | None,
        typer.Option("--entity", "-e", help="Only documents that mention this entity (id or name)."),
    ] = None,
    event_type: Annotated[
        str | None,
        typer.Option("--type", "-t", help="Only documents with an event of this type (ARMS_TRANSFER…)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many documents to show.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Find documents by lemmas (any inflection) and by entities across languages, best first."""
    for name, value in (("--from", date_from), ("--to", date_to)):
        _check_date(name, value)
    _check_choice("--lang", lang, ("uk", "ru", "en"))
    if event_type is not None:
        _check_choice("--type", event_type.upper(), tuple(event_ontology()))
    _require_db()
    with Store(State.db) as store:
        if entity is not None and not search_module.resolve_entity(store, entity):
            err.print(f"[red]error:[/red] no entity named {entity!r}; see `litopys entities`")
            raise typer.Exit(2)
        hits = search_module.search(
            store,
            query,
            lang=lang,
            date_from=date_from,
            date_to=date_to,
            outlet=outlet,
            entity=entity,
            event_type=event_type,
            limit=limit,
        )
    if as_json:
        out.print_json(json.dumps([h.to_dict() for h in hits], ensure_ascii=False))
        return
    if not hits:
        out.print(f"no documents match {query!r} in {_shown_db()}", highlight=False)
        return
    for number, hit in enumerate(hits, start=1):
        where = " · ".join(x for x in (hit.lang, hit.published or "undated", hit.source or "", hit.id) if x)
        out.print(Text.assemble((f"{number}. ", "bold"), (hit.title, "bold"), (f"  {where}", "dim")))
        snippet = Text(hit.snippet)
        for start, end in hit.highlights:
            snippet.stylize("bold yellow", start, end)
        out.print(Text("   ").append(snippet))


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; 127.0.0.1 keeps it to this machine.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, help="Server processes (each with its own caches); 2 on a 2-core machine."
        ),
    ] = 1,
) -> None:
    """Serve the web pages and the REST API (/api, OpenAPI at /api/openapi.json) over the store."""
    import os

    import uvicorn

    from litopys.api import DB_ENV, TOKEN_ENV, create_app

    token = os.environ.get(TOKEN_ENV) or None
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]note:[/yellow] listening on {host}: other machines can read this store")
    err.print(
        f"litopys on http://{host}:{port}/ over {_shown_db()}"
        + (f", {workers} processes " if workers > 1 else " ")
        + (
            "(writes allowed with LITOPYS_TOKEN)"
            if token
            else "(read-only: set LITOPYS_TOKEN to allow writes)"
        )
    )
    if workers == 1:
        uvicorn.run(create_app(State.db, token=token), host=host, port=port, log_level="warning")
        return
    # several processes: uvicorn imports the application in each from a factory, which reads the
    # store's path (and the token) from the environment; the store is created and migrated here,
    # once, before the workers open it
    with Store(State.db):
        pass
    os.environ[DB_ENV] = State.db if isinstance(State.db, str) else str(State.db.resolve())
    uvicorn.run(
        "litopys.api:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


def _check_date(name: str, value: str | None) -> None:
    """Exit 2 unless ``value`` is None or an ISO date (YYYY-MM-DD)."""
    if value is None:
        return
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        err.print(f"[red]error:[/red] {name} {value!r} is not a date; use YYYY-MM-DD", highlight=False)
        raise typer.Exit(2) from None


def _timeline_tree(event: dict[str, Any]) -> Tree:
    """``date  TYPE  status  summary``, under it one line per source: language, publication date,
    short document id, attribution chain (outer first) and the cited sentence."""
    start, end = event["date"]["start"], event["date"]["end"]
    when = "undated" if not start else start if not end or end == start else f"{start}..{end}"
    label = Text(f"{when}  ", style="bold", no_wrap=True, overflow="ellipsis")
    label.append(f"{event['type']}  {event['status']}  ", style="bold")
    label.append(" ".join(str(event["summary"]).split()))
    tree = Tree(label)
    for src in event["sources"]:
        chain = " ← ".join(src["attributed_to"]) or "-"
        line = Text(
            f"{src['lang'] or '-'}  {src['published'] or '-':<10}  {src['document'][:8]}  {chain}: ",
            style="dim",
            no_wrap=True,
            overflow="ellipsis",
        )
        tree.add(line.append(" ".join(str(src["sentence"]).split()), style=""))
    return tree


@app.command()
def summary(
    story_id: Annotated[str, typer.Argument(help="Event cluster (ev-…) or storyline (st-…) id.")],
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Sentences in this language where the sources have some: uk, ru or en."),
    ] = None,
    sentences: Annotated[int, typer.Option("--sentences", "-n", min=1, help="How many sentences.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """An extractive summary of an event cluster or storyline, each sentence with its source."""
    _check_choice("lang", lang, SUMMARY_LANGS)
    _require_db()
    with Store(State.db) as store:
        try:
            found = summarize(store, story_id, lang=lang, sentences=sentences)
        except UnknownStory as error:
            err.print(Text("error: ", style="red").append(str(error), style=""), highlight=False)
            raise typer.Exit(2) from None
    if as_json:
        out.print_json(json.dumps(found.record(), ensure_ascii=False))
        return
    n = len({s.document for s in found.sentences})
    about = f"{found.story}  {found.level}, {found.documents} document{'s' if found.documents != 1 else ''}"
    about += f"; {len(found.sentences)} sentences from {n} document{'s' if n != 1 else ''}"
    out.print(Text(about, style="bold"))
    if found.lang_fallback:
        out.print(f"no sentences in {lang}; summarised in every language", style="dim", highlight=False)
    for number, s in enumerate(found.sentences, 1):
        out.print(Text(f"{number:>2}. ").append(" ".join(s.text.split())))
        source = f"{s.source or '-'} · {s.lang} · {s.published or 'undated'} · {s.document[:8]}"
        out.print(Text(f"    {source}", style="dim"))


feeds_app = typer.Typer(help="RSS/Atom feeds: subscribe, list, poll.", no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="The feed's http(s) URL.")],
    interval: Annotated[
        int, typer.Option("--interval", min=60, help="Poll at most once per this many seconds.")
    ] = 900,
) -> None:
    """Subscribe to an RSS or Atom feed (polled by `litopys feeds poll`)."""
    from litopys import feeds as feeds_module

    with Store(State.db) as store:
        try:
            new = feeds_module.add_feed(store, url, interval_s=interval)
        except ValueError as error:
            err.print(f"[red]error:[/red] {error}", highlight=False)
            raise typer.Exit(2) from None
    out.print(f"{'added' if new else 'already subscribed'}: {url.strip()}", highlight=False)


@feeds_app.command("list")
def feeds_list(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The subscribed feeds with their state: last and next poll, errors."""
    from litopys import feeds as feeds_module

    _require_db()
    with Store(State.db) as store:
        rows = feeds_module.list_feeds(store)
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("url", "title", "last polled", "next poll", "errors")
    for row in rows:
        problem = f"{row['errors']}: {row['last_error']}" if row["errors"] else "0"
        table.add_row(
            row["url"], row["title"] or "", row["last_polled"] or "-", row["next_poll"] or "-", problem
        )
    out.print(table)


@feeds_app.command("poll")
def feeds_poll(
    force: Annotated[bool, typer.Option("--force", help="Poll every feed, due or not.")] = False,
) -> None:
    """Fetch the due feeds and ingest their new entries' pages; exit 1 if a feed or page failed."""
    from litopys import feeds as feeds_module

    _require_db()
    with Store(State.db) as store:
        report = feeds_module.poll(store, force=force)
    for feed in report.feeds:
        line = f"{feed.url}: {feed.status}"
        if feed.status == "ok":
            line += (
                f", {feed.entries} entries, {feed.ingested} ingested, {feed.unchanged + feed.skipped} known"
            )
        elif feed.error:
            line += f": {feed.error}"
        out.print(line, highlight=False)
        for rejected in feed.rejected:
            out.print(f"  [red]rejected[/red] {rejected.path}: {rejected.reason}", highlight=False)
    if report.errors:
        raise typer.Exit(1)


@app.command()
def watch(
    folder: Annotated[Path, typer.Argument(help="The folder to watch (read recursively, as `ingest` does).")],
    interval: Annotated[
        float, typer.Option("--interval", min=0.5, help="Seconds between two scans of the folder.")
    ] = 5.0,
) -> None:
    """Ingest a folder's files, then new and changed ones as they appear, until interrupted (Ctrl-C)."""
    from litopys import feeds as feeds_module
    from litopys.pipeline import IngestReport

    if not folder.is_dir():
        err.print(f"[red]error:[/red] not a folder: {folder}", highlight=False)
        raise typer.Exit(2)

    def show(paths: list[str], report: IngestReport) -> None:
        out.print(
            f"{len(paths)} changed: {report.ingested} ingested, {report.new_versions} new versions, "
            f"{report.unchanged} unchanged, {len(report.rejected)} rejected",
            highlight=False,
        )
        for rejected in report.rejected:
            out.print(f"[red]rejected[/red] {rejected.path}: {rejected.reason}", highlight=False)

    err.print(f"watching {folder} every {interval:g} s (Ctrl-C to stop)", highlight=False)
    with Store(State.db) as store:
        try:
            feeds_module.watch(folder, store=store, interval=interval, on_report=show)
        except KeyboardInterrupt:
            err.print("stopped", highlight=False)


def _cut(text: str, width: int = TITLE_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _require_db() -> None:
    if isinstance(State.db, Path) and not State.db.exists():
        err.print(
            f"[red]error:[/red] no database at {_shown_db()}; run `litopys --db {_shown_db()} ingest PATH` first"
        )
        raise typer.Exit(2)


def main() -> None:
    try:
        app()
    except LitopysError as error:  # the store cannot be opened (E113): one line, not a traceback
        err.print(Text("error: ", style="red").append(str(error), style=""), highlight=False)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
