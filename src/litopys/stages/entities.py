"""The entities stage: per-document mentions are found, given base forms and document keys by the
per-document stages (ner → names → linking.resolve_document); this module is its reduce step over
the store: link every mention of the current documents into canonical entities, applying the
reviewed merge/split decisions, and write the result back in one transaction.
"""

from __future__ import annotations

from litopys.stages.linking import Decision, MentionRecord, link
from litopys.store import Store
from litopys.store.entities import decisions, mention_groups, save_linking


def relink(store: Store) -> int:
    """Link all mentions in ``store`` into entities; returns the number of entities.

    Linking needs each distinct (key, type, lemma, text, language) once with its count, not every
    mention: memory grows with the names of the corpus, not with its mentions (2.2 million at
    100,000 documents), and the result is the one the mentions one by one give."""
    records = [
        MentionRecord(doc_id="", lang=lang, type=type_, lemma=lemma, key=key, text=text, count=count)
        for (key, type_, lemma, text, lang), count in mention_groups(store)
    ]
    reviewed = [Decision(kind=d["kind"], a=d["a"], b=d["b"]) for d in decisions(store)]
    result = link(records, decisions=reviewed)
    return save_linking(store, result.entities, result.entity_of)
