"""The entities stage: per-document mentions are found, given base forms and document keys by the
per-document stages (ner → names → linking.resolve_document); this module is its reduce step over
the store: link every mention of the current documents into canonical entities, applying the
reviewed merge/split decisions, and write the result back in one transaction.
"""

from __future__ import annotations

from litopys.stages.linking import Decision, MentionRecord, link
from litopys.store import Store
from litopys.store.entities import decisions, mention_rows, save_linking


def relink(store: Store) -> int:
    """Link all mentions in ``store`` into entities; returns the number of entities."""
    rows = list(mention_rows(store))
    records = [
        MentionRecord(
            doc_id=r["doc_id"], lang=r["lang"], type=r["type"], lemma=r["lemma"], key=r["key"], text=r["text"]
        )
        for r in rows
    ]
    reviewed = [Decision(kind=d["kind"], a=d["a"], b=d["b"]) for d in decisions(store)]
    result = link(records, decisions=reviewed)
    assignment = {
        (r["doc_id"], r["start"]): result.entity_of[r["key"]] for r in rows if r["key"] in result.entity_of
    }
    return save_linking(store, result.entities, assignment)
