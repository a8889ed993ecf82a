"""CSV export: ``documents.csv``, ``entities.csv`` and ``events.csv`` for spreadsheets and pandas.

The rows are flattened JSONL export records (:func:`litopys.exports.jsonl.records`), so both exports
say the same thing: a list inside a cell is joined with ``"; "``, a missing value is an empty cell.
The column names are a contract like the JSONL field names (README, "Export format").
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from litopys.exports.jsonl import records
from litopys.store import Store

#: the columns of each file, in output order
CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents.csv": (
        "id",
        "path",
        "url",
        "title",
        "lang",
        "published",
        "source",
        "event_cluster",
        "storyline",
        "entities",
        "text",
    ),
    "entities.csv": ("id", "type", "name", "names", "aliases", "documents", "mentions"),
    "events.csv": (
        "id",
        "type",
        "plover",
        "mode",
        "date_start",
        "date_end",
        "granularity",
        "actors",
        "actor_names",
        "targets",
        "target_names",
        "location",
        "object",
        "status",
        "summary",
        "languages",
        "sources",
        "first_source_document",
        "first_published",
    ),
}
#: the export record kind each file holds
_KIND_FILE = {"document": "documents.csv", "entity": "entities.csv", "event": "events.csv"}
#: how the items of a list are joined inside a cell
SEPARATOR = "; "


def export_csv(store: Store, directory: Path, *, bom: bool = False) -> dict[str, int]:
    """Write ``documents.csv``, ``entities.csv`` and ``events.csv`` into ``directory`` (made if
    missing); returns the number of data rows per file name.

    UTF-8, a header row, RFC 4180 quoting (``\\r\\n`` line ends, cells with newlines quoted). With
    ``bom`` the files start with a byte order mark, so Excel reads them as UTF-8. Rows are written
    as the records stream out of the store: documents are never all held in memory.
    """
    directory.mkdir(parents=True, exist_ok=True)
    encoding = "utf-8-sig" if bom else "utf-8"
    counts = dict.fromkeys(CSV_COLUMNS, 0)
    names: dict[str, str] = {}  # entity id -> name, for the events' actor/target names
    with ExitStack() as stack:
        writers = {}
        for file, columns in CSV_COLUMNS.items():
            fh = stack.enter_context((directory / file).open("w", encoding=encoding, newline=""))
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            writers[file] = writer
        # the export yields every document, then every entity, then stories, then events
        for record in records(store):
            kind = record["kind"]
            if kind == "document":
                row = document_row(record)
            elif kind == "entity":
                names[record["id"]] = record["name"]
                row = entity_row(record)
            elif kind == "event":
                row = event_row(record, names)
            else:
                continue
            file = _KIND_FILE[kind]
            writers[file].writerow(row)
            counts[file] += 1
    return counts


def document_row(record: dict[str, Any]) -> dict[str, Any]:
    """A ``documents.csv`` row from a document export record; ``entities`` are the ids of the
    entities it mentions, in order of first mention."""
    row = {key: record[key] for key in CSV_COLUMNS["documents.csv"] if key != "entities"}
    row["entities"] = _join(dict.fromkeys(m["entity"] for m in record["mentions"] if m["entity"]))
    return row


def entity_row(record: dict[str, Any]) -> dict[str, Any]:
    """An ``entities.csv`` row from an entity export record: ``names`` as ``lang:name`` for the
    languages it has a name in, ``documents`` as a count."""
    return {
        "id": record["id"],
        "type": record["type"],
        "name": record["name"],
        "names": _join(f"{lang}:{name}" for lang, name in record["names"].items() if name),
        "aliases": _join(record["aliases"]),
        "documents": len(record["documents"]),
        "mentions": record["mentions"],
    }


def event_row(record: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """An ``events.csv`` row from an event export record; ``names`` maps entity ids to names.

    ``first_published`` is the earliest publication date among its sources and
    ``first_source_document`` the source published then (the first source when none is dated).
    """
    sources = record["sources"]
    dated = [s for s in sources if s["published"]]
    first = min(dated, key=lambda s: s["published"]) if dated else (sources[0] if sources else None)
    return {
        "id": record["id"],
        "type": record["type"],
        "plover": record["plover"],
        "mode": record["mode"],
        "date_start": record["date"]["start"],
        "date_end": record["date"]["end"],
        "granularity": record["date"]["granularity"],
        "actors": _join(record["actors"]),
        "actor_names": _join(names.get(e, e) for e in record["actors"]),
        "targets": _join(record["targets"]),
        "target_names": _join(names.get(e, e) for e in record["targets"]),
        "location": record["location"],
        "object": record["object"],
        "status": record["status"],
        "summary": record["summary"],
        "languages": _join(record["languages"]),
        "sources": len(sources),
        "first_source_document": first["document"] if first else None,
        "first_published": first["published"] if first else None,
    }


def _join(items: Iterable[str]) -> str:
    return SEPARATOR.join(items)
