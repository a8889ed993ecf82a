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


def test_known_names_keep_the_recognisers_span_and_give_places_their_type() -> None:
    # seed 004: the recogniser's span stays; a known country it typed ORG becomes LOC
    text = "лідер КНДР Кім Чен Ин може прагнути"
    mine = Mention(6, 10, "КНДР", "ORG")
    result = recognize_known(article(text, "uk", (mine,)))
    assert [m for m in result.mentions if m.start == 6] == [Mention(6, 10, "КНДР", "LOC")]


@pytest.mark.parametrize(
    ("text", "lang", "mention", "expected"),
    [
        # slavicner brexit (dev topic) uk: the model typed the city PER (pymorphy3 reads "Лондон" as a surname)
        ("Лондон платити внески у бюджет Євросоюзу", "uk", Mention(0, 6, "Лондон", "PER"), "LOC"),
        # a CLDR city in an inflected form
        ("переговори між Лондоном і Брюсселем", "uk", Mention(15, 23, "Лондоном", "PER"), "LOC"),
        # only places are retyped: the type of an organisation-like name follows the recogniser
        ("Генеральний секретар НАТО заявив", "uk", Mention(21, 25, "НАТО", "LOC"), "LOC"),
        ("Генеральний секретар НАТО заявив", "uk", Mention(21, 25, "НАТО", "PER"), "PER"),
        # an unknown name keeps its type
        ("Пілоти Ryanair почали страйк", "uk", Mention(7, 14, "Ryanair", "ORG"), "ORG"),
    ],
)
def test_known_names_retype_known_places(text: str, lang: str, mention: Mention, expected: str) -> None:
    result = recognize_known(article(text, lang, (mention,)))
    assert [m.type for m in result.mentions if m.start == mention.start] == [expected]


def test_known_names_need_a_capital() -> None:
    # "Штати" (the USA) is a known name only when capitalised; "штати" is a common noun
    assert known_names()[("штат",)] == "LOC"
    result = recognize_known(article("окремі штати ухвалили закон", "uk"))
    assert result.mentions == ()
