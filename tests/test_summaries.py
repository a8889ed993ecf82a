"""Extractive summaries (`litopys.summaries`, `litopys summary`) on the seeds: 000 (uk) and 003 (ru) are
one CBS News report in two languages (one event cluster, 000 a shortened translation of 003); all five
seeds form one storyline."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from litopys.cli import app
from litopys.stages.dedup import encode
from litopys.store import Store
from litopys.store import stories as store_stories
from litopys.summaries import NEAR_IDENTICAL, Summary, UnknownStory, summarize

runner = CliRunner()

#: the five sentence pairs of seeds 000 (uk) and 003 (ru) that translate each other (read by hand)
TRANSLATED = (
    ("КНДР почала постачати Росії артилерію", "КНДР предоставила России артиллерию"),
    ("Представник США повідомив", "Северная Корея начала перебрасывать"),
    ("Зазначають, що наразі не відомо", "По словам инсайдера, пока неясно"),
    ("Один високопоставлений південнокорейський", "Один высокопоставленный южнокорейский"),
    ("Чиновник попередив", "Чиновник предупредил"),
)


@pytest.fixture(scope="module")
def store(seeded_cli: tuple[str, str]) -> Iterator[Store]:
    with Store(Path(seeded_cli[0])) as opened:
        yield opened


@pytest.fixture(scope="module")
def ids(store: Store, seed_of: dict[str, str]) -> dict[str, str]:
    """The storyline and the event cluster of seeds 000 + 003."""
    doc = next(d for d, seed in seed_of.items() if seed == "000")
    event, storyline = store_stories.membership(store, doc)
    assert event and storyline
    return {"event": event, "storyline": storyline}


def _check_sources(store: Store, summary: Summary) -> None:
    for s in summary.sentences:
        doc = store.get(s.document)
        assert doc is not None and doc["text"][s.start : s.end] == s.text
        assert s.published == doc["published"] and s.lang == doc["lang"]


def _max_cosine(summary: Summary) -> float:
    sentences = summary.sentences
    if len(sentences) < 2:
        return 0.0
    vectors = np.concatenate([encode([s.text], s.lang) for s in sentences])
    sims = vectors @ vectors.T
    return float(np.max(sims[~np.eye(len(sentences), dtype=bool)]))


def test_summaries_storyline_sentences_come_from_several_documents_at_their_offsets(
    store: Store, ids: dict[str, str]
) -> None:
    summary = summarize(store, ids["storyline"], sentences=4)
    assert summary.story == ids["storyline"] and summary.level == "storyline"
    assert summary.documents == 5 and summary.lang is None and not summary.lang_fallback
    assert len(summary.sentences) == 4
    assert len({s.document for s in summary.sentences}) >= 2
    _check_sources(store, summary)
    assert all(40 <= len(s.text) <= 400 for s in summary.sentences)


def test_summaries_sentences_are_in_reading_order(store: Store, ids: dict[str, str]) -> None:
    sentences = summarize(store, ids["storyline"], sentences=6).sentences
    dates = [s.published or "~" for s in sentences]
    assert dates == sorted(dates)
    for a, b in itertools.pairwise(sentences):
        if a.document == b.document:
            assert a.start < b.start


def test_summaries_diversity_spreads_over_documents(store: Store, ids: dict[str, str]) -> None:
    focused = summarize(store, ids["storyline"], diversity=0.0)
    diverse = summarize(store, ids["storyline"], diversity=0.3)
    assert len({s.document for s in diverse.sentences}) > len({s.document for s in focused.sentences})


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_summaries_event_in_one_language_only_that_language(
    store: Store, ids: dict[str, str], lang: str
) -> None:
    summary = summarize(store, ids["event"], lang=lang, sentences=4)
    assert summary.level == "event" and summary.documents == 2
    assert summary.lang == lang and not summary.lang_fallback
    assert len(summary.sentences) == 4
    assert {s.lang for s in summary.sentences} == {lang}
    _check_sources(store, summary)
    assert _max_cosine(summary) < NEAR_IDENTICAL


def test_summaries_event_in_both_languages_never_takes_a_sentence_and_its_translation(
    store: Store, ids: dict[str, str]
) -> None:
    summary = summarize(store, ids["event"], sentences=6)
    assert {s.lang for s in summary.sentences} == {"uk", "ru"}
    texts = [s.text for s in summary.sentences]
    for uk, ru in TRANSLATED:
        assert not (any(t.startswith(uk) for t in texts) and any(t.startswith(ru) for t in texts)), (uk, ru)
    assert _max_cosine(summary) < NEAR_IDENTICAL


def test_summaries_missing_language_falls_back_to_all(store: Store, ids: dict[str, str]) -> None:
    summary = summarize(store, ids["event"], lang="en")
    assert summary.lang_fallback and summary.lang is None
    assert summary.sentences and {s.lang for s in summary.sentences} <= {"uk", "ru"}


def test_summaries_unknown_id_and_bad_options_raise(store: Store, ids: dict[str, str]) -> None:
    with pytest.raises(UnknownStory, match="no event cluster or storyline 'ev-0000'"):
        summarize(store, "ev-0000")
    with pytest.raises(ValueError, match="sentences"):
        summarize(store, ids["event"], sentences=0)
    with pytest.raises(ValueError, match="diversity"):
        summarize(store, ids["event"], diversity=1.5)


def test_summaries_cli_json_and_text(seeded_cli: tuple[str, str], ids: dict[str, str]) -> None:
    db = seeded_cli[0]
    result = runner.invoke(app, ["--db", db, "summary", ids["event"], "--lang", "ru", "-n", "3", "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["story"] == ids["event"] and record["level"] == "event" and record["lang"] == "ru"
    assert record["lang_fallback"] is False and len(record["sentences"]) == 3
    assert set(record["sentences"][0]) == {
        "document",
        "start",
        "end",
        "text",
        "lang",
        "published",
        "source",
        "score",
    }
    assert {s["source"] for s in record["sentences"]} == {"CBS News"}

    text = runner.invoke(app, ["--db", db, "summary", ids["storyline"], "--sentences", "2"])
    assert text.exit_code == 0, text.output
    assert text.output.startswith(f"{ids['storyline']}  storyline, 5 documents; 2 sentences")
    assert " 1. " in text.output and " 2. " in text.output and " 3. " not in text.output

    fallback = runner.invoke(app, ["--db", db, "summary", ids["event"], "--lang", "en"])
    assert fallback.exit_code == 0 and "no sentences in en" in fallback.output


def test_summaries_cli_errors_exit_2(seeded_cli: tuple[str, str], ids: dict[str, str]) -> None:
    db = seeded_cli[0]
    unknown = runner.invoke(app, ["--db", db, "summary", "st-nope"])
    assert unknown.exit_code == 2 and "no event cluster or storyline 'st-nope'" in unknown.output
    bad_lang = runner.invoke(app, ["--db", db, "summary", ids["event"], "--lang", "de"])
    assert bad_lang.exit_code == 2 and "unknown lang 'de'" in bad_lang.output
