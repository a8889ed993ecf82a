"""JSON Lines export: one object per line with a ``kind``. The field names are a contract
(README, "Export format"); later versions add fields but never rename or drop these."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from litopys.store import Store

#: the fields of each kind of record, in output order
EXPORT_FIELDS: dict[str, tuple[str, ...]] = {
    "document": (
        "id",
        "path",
        "url",
        "title",
        "lang",
        "published",
        "source",
        "text",
        "removed",
        "paragraphs",
        "sentences",
    ),
    "rejected": ("path", "reason"),
}


def records(store: Store) -> Iterator[dict[str, Any]]:
    """Every current document, then every rejected input, as export records."""
    for doc in store.documents():
        yield {"kind": "document", **{key: doc[key] for key in EXPORT_FIELDS["document"]}}
    for rejected in store.rejected():
        yield {"kind": "rejected", **{key: rejected[key] for key in EXPORT_FIELDS["rejected"]}}


def export_jsonl(store: Store, out: TextIO) -> int:
    """Write the export to ``out``; returns the number of lines written."""
    count = 0
    for record in records(store):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
