"""Base forms of names (litopys.stages.names) on forms from the seed pages (examples/seeds) and
mentions cut from SlavicNER gold into this file (topic and language named at each case)."""

from __future__ import annotations

import pickle

import pytest

from litopys.records import Article, Mention, Paragraph
from litopys.stages import names
from litopys.stages.names import name_lemma, normalize


@pytest.mark.parametrize(
    ("text", "type_", "lang", "expected"),
    [
        # the seed story (examples/seeds 000-004)
        ("Кім Чен Ина", "PER", "uk", "Кім Чен Ин"),
        ("Кім Чен Ином", "PER", "uk", "Кім Чен Ин"),
        ("Кіма", "PER", "uk", "Кім"),
        ("Північної Кореї", "LOC", "uk", "Північна Корея"),
        ("Північною Кореєю", "LOC", "uk", "Північна Корея"),
        ("Курській області", "LOC", "uk", "Курська область"),
        ("Міноборони РФ", "ORG", "uk", "Міноборони РФ"),
        ("Рустемом Умєровим", "PER", "uk", "Рустем Умєров"),
        ("Володимира Путіна", "PER", "uk", "Володимир Путін"),
        ("Марка Рютте", "PER", "uk", "Марк Рютте"),
        (
            "Корейської Народно-Демократичної Республіки",
            "LOC",
            "uk",
            "Корейська Народно-Демократична Республіка",
        ),
        ("Ради Безпеки ООН", "ORG", "uk", "Рада Безпеки ООН"),
        ("Північноатлантичну раду", "ORG", "uk", "Північноатлантична рада"),
        ("космодромі Восточний", "LOC", "uk", "космодром Восточний"),
        ("Кіта Келлога", "PER", "uk", "Кіт Келлог"),
        ("міністра оборони", "ORG", "uk", "міністр оборони"),
        ("Ким Чен Ына", "PER", "ru", "Ким Чен Ын"),
        ("Северной Кореи", "LOC", "ru", "Северная Корея"),
        ("Владимиром Путиным", "PER", "ru", "Владимир Путин"),
        ("Курской области", "LOC", "ru", "Курская область"),
        ("Южной Корее", "LOC", "ru", "Южная Корея"),
        ("Putin's", "PER", "en", "Putin"),
        ("North Korea", "LOC", "en", "North Korea"),
        # SlavicNER gold (brexit uk, covid-19 uk, ryanair uk, asia_bibi ru, brexit ru)
        ("Жан-Клодом Юнкером", "PER", "uk", "Жан-Клод Юнкер"),
        ("Ангелу Меркель", "PER", "uk", "Ангела Меркель"),
        ("Великій Британії", "LOC", "uk", "Велика Британія"),
        ("Нідерландах", "LOC", "uk", "Нідерланди"),
        ("Всесвітньою організацією охорони здоров'я", "ORG", "uk", "Всесвітня організація охорони здоров'я"),
        ("Брюссельського аеропорту", "LOC", "uk", "Брюссельський аеропорт"),
        ("КИЇВ", "LOC", "uk", "Київ"),
        ("Верховного суда", "ORG", "ru", "Верховный суд"),
        ("Терезы Мэй", "PER", "ru", "Тереза Мэй"),
        ("Лейбористской партии", "ORG", "ru", "Лейбористская партия"),
        ("Нордового потока-2", "PRO", "ru", "Нордовый поток-2"),
    ],
)
def test_names_lemma_is_agreement_aware(text: str, type_: str, lang: str, expected: str) -> None:
    assert name_lemma(text, type=type_, lang=lang) == expected


@pytest.mark.parametrize(
    ("text", "type_", "lang"),
    [
        ("РФ", "LOC", "uk"),  # acronyms
        ("НАТО", "ORG", "uk"),
        ("ТАСС", "ORG", "ru"),  # SlavicNER covid-19 ru: the ru gold keeps capitals
        ("Belgocontrol", "ORG", "uk"),  # Latin names inside uk text (SlavicNER ryanair uk)
        ("British Airways", "ORG", "uk"),
        ("Марк Рютте", "PER", "uk"),  # already nominative
        ("Рютте", "PER", "uk"),  # indeclinable
        ("Кім", "PER", "uk"),
        ("Міністерство оборони РФ", "ORG", "uk"),
    ],
)
def test_names_lemma_keeps_what_does_not_decline(text: str, type_: str, lang: str) -> None:
    assert name_lemma(text, type=type_, lang=lang) == text


@pytest.mark.parametrize(
    ("text", "type_", "lang", "expected"),
    [
        ("«Газпрому»", "ORG", "uk", "Газпром"),  # quotes around the name go
        ('ГНЦ "Вектор"', "ORG", "ru", 'ГНЦ "Вектор"'),  # SlavicNER covid-19 ru: quotes inside stay
        ('"Техрик-э-Лабаик Пакистан', "ORG", "ru", "Техрик-э-Лабаик Пакистан"),  # an unpaired quote goes
        ("британского МИДа", "ORG", "ru", "британский МИД"),  # SlavicNER brexit ru: acronym with an ending
    ],
)
def test_names_lemma_handles_quotes_and_acronyms(text: str, type_: str, lang: str, expected: str) -> None:
    assert name_lemma(text, type=type_, lang=lang) == expected


def test_names_lemma_cache_is_bounded() -> None:
    name_lemma("Кореї", type="LOC", lang="uk")
    assert name_lemma.cache_info().maxsize == names.NAME_CACHE


def _article(text: str, langs: list[str], spans: list[tuple[str, str]]) -> Article:
    paragraphs, offset = [], 0
    for line, lang in zip(text.split("\n"), langs, strict=True):
        paragraphs.append(Paragraph(offset, offset + len(line), lang))
        offset += len(line) + 1
    mentions = []
    for span, type_ in spans:
        start = text.index(span)
        mentions.append(Mention(start, start + len(span), span, type_))
    return Article(
        id="a", path="a", fmt="txt", text=text, paragraphs=tuple(paragraphs), mentions=tuple(mentions)
    )


def test_names_normalize_uses_the_paragraph_language(seeds: dict[str, str]) -> None:
    uk = seeds["004"].splitlines()[0]  # "... розгорнуті в Курській області РФ – Рютте"
    ru = next(line for line in seeds["003"].splitlines() if "Ким Чен Ын" in line)
    article = _article(f"{uk}\n{ru}", ["uk", "ru"], [("Курській області", "LOC"), ("Северной Кореей", "LOC")])
    done = normalize(article)
    assert [m.lemma for m in done.mentions] == ["Курська область", "Северная Корея"]
    assert [(m.start, m.end, m.text) for m in done.mentions] == [
        (m.start, m.end, m.text) for m in article.mentions
    ]


def test_names_normalize_is_picklable_and_pure(seeds: dict[str, str]) -> None:
    line = seeds["001"].splitlines()[0]
    article = _article(
        line, ["uk"], [("Корейської Народно-Демократичної Республіки", "LOC"), ("Андрій Білоусов", "PER")]
    )
    done = pickle.loads(pickle.dumps(normalize))(article)
    assert article.mentions[0].lemma == ""
    assert [m.lemma for m in done.mentions] == [
        "Корейська Народно-Демократична Республіка",
        "Андрій Білоусов",
    ]


@pytest.mark.parametrize(("lang", "floor"), [("uk", 0.90), ("ru", 0.90), ("en", 1.0)])
def test_names_shipped_slice_meets_its_floor(lang: str, floor: float) -> None:
    # eval/slices/names.tsv: seed forms and SlavicNER held-out gold (sources in its header); the gold
    # has a few lemmas no lemmatiser can meet ("ВВС" → "BBC"), so the floor is the target, not 1.0
    from eval.entities import evaluate_slice
    from eval.run import SLICES

    (row,) = [r for r in evaluate_slice(SLICES) if r.task == "names:lemma" and r.lang == lang]
    assert row.recall >= floor
