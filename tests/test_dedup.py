"""Fingerprints and the pairwise duplicate tests, on the seeds."""

from __future__ import annotations

import pytest

from litopys.pipeline import FOUNDATION_STAGES, process
from litopys.records import Article, RawDoc
from litopys.stages.dedup import (
    BANDS,
    MAX_SENTENCES,
    NEAR_JACCARD,
    TRANSLATION_MIN,
    align,
    band_keys,
    fingerprint,
    jaccard,
    translation_score,
)


def article(text: str, name: str = "x.txt") -> Article:
    result = process(RawDoc(path=name, fmt="txt", data=text.encode("utf-8")), stages=FOUNDATION_STAGES)
    assert isinstance(result, Article)
    return fingerprint(result)


@pytest.fixture(scope="module")
def fingerprinted(seeds: dict[str, str]) -> dict[str, Article]:
    return {name: article(text, f"{name}.txt") for name, text in seeds.items()}


def test_dedup_exact_hash_ignores_furniture_spacing_and_punctuation(seeds: dict[str, str]) -> None:
    # the same article on another page: other furniture around it, other spacing and punctuation
    original = article(seeds["004"])
    lines = original.text.split("\n")
    page = "\n".join(
        ["Головна / Новини / Світ", lines[0], ""]
        + [line.replace(",", " ,").replace(" - ", " — ") for line in lines[1:]]
        + ["Поділитися:", "Facebook", "Telegram", "Коментарі"]
    )
    copy = article(page)
    assert copy.fingerprint and original.fingerprint
    assert copy.fingerprint.exact == original.fingerprint.exact


def test_dedup_exact_hash_differs_for_other_reports(fingerprinted: dict[str, Article]) -> None:
    hashes = {a.fingerprint.exact for a in fingerprinted.values() if a.fingerprint}
    assert len(hashes) == 5


def test_dedup_near_duplicate_with_other_lead_and_a_cut_paragraph(seeds: dict[str, str]) -> None:
    # a syndicated copy: another headline, one paragraph cut, an outlet's own sentence added
    lines = article(seeds["004"]).text.split("\n")
    copy = "\n".join(
        [
            "НАТО: війська КНДР уже в Курській області",
            *lines[1:-2],
            "Про це повідомляє наш кореспондент у Брюсселі.",
            *lines[-1:],
        ]
    )
    original, syndicated = article(seeds["004"]), article(copy)
    assert original.fingerprint and syndicated.fingerprint
    assert original.fingerprint.exact != syndicated.fingerprint.exact
    score = jaccard(original.fingerprint.minhash, syndicated.fingerprint.minhash)
    assert score >= NEAR_JACCARD
    # the LSH bands bring the pair together
    assert set(band_keys(original.fingerprint.minhash)) & set(band_keys(syndicated.fingerprint.minhash))


def test_dedup_other_reports_are_not_near_duplicates(fingerprinted: dict[str, Article]) -> None:
    for a, b in (("001", "004"), ("002", "004"), ("000", "001")):
        fa, fb = fingerprinted[a].fingerprint, fingerprinted[b].fingerprint
        assert fa and fb
        assert jaccard(fa.minhash, fb.minhash) < 0.1


def test_dedup_band_keys(fingerprinted: dict[str, Article]) -> None:
    fp = fingerprinted["000"].fingerprint
    assert fp
    keys = band_keys(fp.minhash)
    assert len(keys) == BANDS
    assert keys == band_keys(fp.minhash)
    assert all(0 <= k < 2**63 for k in keys)


def test_dedup_translation_pair_of_the_seeds(fingerprinted: dict[str, Article]) -> None:
    # 000 (uk) and 003 (ru) are one CBS News report; 001, 002, 004 are other reports on the same thread
    ru = fingerprinted["003"]
    assert ru.lang == "ru" and ru.fingerprint
    scores = {}
    for name in ("000", "001", "002", "004"):
        uk = fingerprinted[name]
        assert uk.fingerprint
        scores[name] = translation_score(uk.fingerprint, ru.fingerprint, uk.lang, ru.lang)
    assert scores["000"] >= TRANSLATION_MIN
    assert max(scores[n] for n in ("001", "002", "004")) < TRANSLATION_MIN
    alignment = align(fingerprinted["000"].fingerprint, ru.fingerprint, "uk", "ru")  # type: ignore[arg-type]
    assert alignment.ordered >= 0.5


def test_dedup_fingerprint_vectors_are_bounded(fingerprinted: dict[str, Article]) -> None:
    fp = fingerprinted["002"].fingerprint
    assert fp and fp.dim == 512
    rows = len(fp.vectors) // (2 * fp.dim)
    assert 1 <= rows <= MAX_SENTENCES


def test_dedup_terms_fold_uk_and_ru_spellings(fingerprinted: dict[str, Article]) -> None:
    # 000 (uk) and 003 (ru): "чиновник"/"чиновник", "Японії"/"Японии", "атомних"/"атомных" meet
    stems = {
        name: {t.rsplit(":", 1)[0] for t in a.fingerprint.terms}
        for name, a in fingerprinted.items()
        if a.fingerprint
    }
    shared = stems["000"] & stems["003"]
    assert {"chinov", "iaponi", "atomni", "kndr"} <= shared
    counts = [int(t.rsplit(":", 1)[1]) for t in fingerprinted["002"].fingerprint.terms]  # type: ignore[union-attr]
    assert counts == sorted(counts, reverse=True) and len(counts) <= 80
