"""Known names from the curated alias table fill the recogniser's gaps, inflected forms included."""

from __future__ import annotations

import pytest

from litopys.records import Article, Mention, Paragraph
from litopys.stages.known_names import known_names, recognize_known
from litopys.stages.nlp import analyse


def article(text: str, lang: str, mentions: tuple[Mention, ...] = ()) -> Article:
    a = Article(
        id="x", path="x", fmt="txt", text=text, lang=lang, paragraphs=(Paragraph(0, len(text), lang),)
    )
    return analyse(a).evolve(mentions=mentions)


@pytest.mark.parametrize(
    ("text", "lang", "found"),
    [
        # seed 002: the recogniser misses Peskov after a colon
        (
            "Речник Кремля Дмитро С. сказав: Пєсков заявив у вівторок",
            "uk",
            [("Кремля", "ORG"), ("Пєсков", "PER")],
        ),
        # seed 000, inflected: lemmas match (північний корея)
        (
            "зв’язки між Росією та Північною Кореєю поглибляться",
            "uk",
            [("Росією", "LOC"), ("Північною Кореєю", "LOC")],
        ),
        # seed 003 (ru)
        ("Поддержка Северной Кореей Москвы, похоже, стала", "ru", [("Северной Кореей", "LOC")]),
    ],
)
def test_known_names_found_in_inflected_forms(text: str, lang: str, found: list[tuple[str, str]]) -> None:
    got = [(m.text, m.type) for m in recognize_known(article(text, lang)).mentions]
    for item in found:
        assert item in got


def test_known_names_never_override_the_recogniser() -> None:
    text = "лідер КНДР Кім Чен Ин може прагнути"
    mine = Mention(5, 9, "КНДР", "ORG")
    result = recognize_known(article(text, "uk", (mine,)))
    assert [m for m in result.mentions if m.start == 5] == [mine]


def test_known_names_need_a_capital() -> None:
    # "Штати" (the USA) is a known name only when capitalised; "штати" is a common noun
    assert known_names()[("штат",)] == "LOC"
    result = recognize_known(article("окремі штати ухвалили закон", "uk"))
    assert result.mentions == ()
