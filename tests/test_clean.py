"""The cleaner on the five seed pages: every article sentence kept, every piece of furniture gone
and kept aside in ``removed`` (trafilatura-style must-contain / must-not-contain snippets)."""

from __future__ import annotations

import json

import pytest

from litopys.errors import LitopysError
from litopys.records import Article
from litopys.stages.clean import clean, lead_sentence, looks_like_title, unglue

from conftest import ROOT

GOLD = json.loads((ROOT / "eval" / "slices" / "clean_seeds.json").read_text(encoding="utf-8"))["seeds"]


def cleaned(text: str, **fields: str) -> Article:
    return clean(Article(id="x", path="x.txt", fmt="txt", text=text, **fields))


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_clean_keeps_exactly_the_article_paragraphs(seeds: dict[str, str], seed: str) -> None:
    gold = next(v for k, v in GOLD.items() if k.startswith(seed))
    article = cleaned(seeds[seed])
    assert article.title == gold["title"]
    assert [line[:60] for line in article.body.split("\n")] == gold["keep"]
    assert article.source == gold["source"]


@pytest.mark.parametrize(
    ("seed", "must_contain", "must_not_contain"),
    [
        ("000", ["Чиновник попередив, що якщо двосторонні зв’язки"], ["Позаплановий російський", "Шмигаль"]),
        (
            "001",
            ["Однією з тем обговорень стало посилення безпеки."],
            ["Інші Новини", "Мадриді", "kurs.com.ua"],
        ),
        ("001", ["Співпраця між РФ та КНДР"], ["Average Rating", "Трамп"]),
        ("002", ["щоб отримати гроші."], ["кредит…", "You May Also Like", "Gene Crawford", "Хардкорний"]),
        (
            "002",
            ["Працевлаштування північнокорейських робітників заборонено"],
            ["Залишити відповідь", "e-mail"],
        ),
        ("003", ["Им Чхон Ир", "Сотрудничество РФ и КНДР - детали"], ["Видео дня", "заинтересовать", "фото"]),
        ("004", ["заплановані телефонні розмови"], ["Крим російським", "Годжес", "Келлога", "Теммі Брюс"]),
    ],
)
def test_clean_snippets(
    seeds: dict[str, str], seed: str, must_contain: list[str], must_not_contain: list[str]
) -> None:
    article = cleaned(seeds[seed])
    for snippet in must_contain:
        assert snippet in article.text
    for snippet in must_not_contain:
        assert snippet not in article.text
        assert any(snippet in r.text for r in article.removed), f"{snippet!r} removed but not kept aside"


def test_clean_loses_no_line(seeds: dict[str, str]) -> None:
    """Every non-empty line of every page ends up in the clean text or in ``removed``."""

    def norm(text: str) -> str:
        return " ".join(text.split())

    for text in seeds.values():
        article = cleaned(text)
        kept_aside = norm(" \n ".join([article.text, *(r.text for r in article.removed)]))
        for raw_line in text.split("\n"):
            line = norm(raw_line)
            for r in article.removed:  # a line split in two: title + photo credit, text + glued copy
                if r.rule in ("photo-credit", "glued-repeat") and r.text in line and r.text != line:
                    line = line.replace(r.text, " ").strip()
            assert line in kept_aside


@pytest.mark.parametrize(
    ("seed", "rule", "text"),
    [
        ("000", "attribution", "Джерело: CBS News"),
        (
            "002",
            "repeated-title",
            "Кім Чен Ин і Путін зустрілися в Росії: пряма інформація про війну в Україні",
        ),
        ("002", "photo-credit", "кредит…Sputnik, через Reuters"),
        ("003", "photo-credit", "/ фото REUTERS"),
        ("003", "widget", "Видео дня"),
        ("001", "bare-url", None),
        ("004", "repeated-block", None),
    ],
)
def test_clean_names_the_rule_of_each_removal(
    seeds: dict[str, str], seed: str, rule: str, text: str | None
) -> None:
    removed = cleaned(seeds[seed]).removed
    if text is None:
        assert any(r.rule == rule for r in removed) or any(r.rule.startswith("tail") for r in removed)
    else:
        assert any(r.rule == rule and r.text == text for r in removed)


def test_clean_unglues_a_sentence_glued_to_itself(seeds: dict[str, str]) -> None:
    line = next(line for line in seeds["003"].split("\n") if line.startswith("В Пхеньяне"))
    kept, glued = unglue(line.strip())
    assert kept.endswith("Им Чхон Ир")
    assert glued == 'В Пхеньяне считают, что США "необоснованно придираются" к дружбе России и КНДР.'
    heading = "Европейская Комиссия приняла Европейскую стратегию (C-ИТС)"  # bsnlp ec, file_250_ru
    assert unglue(f"{heading} {heading}, что является вехой.") == (f"{heading}, что является вехой.", heading)
    assert unglue("Північна Корея постачає артилерію. Це підтвердили в Сеулі.") == (
        "Північна Корея постачає артилерію. Це підтвердили в Сеулі.",
        "",
    )


def test_clean_collapses_white_space(seeds: dict[str, str]) -> None:
    assert "В прошлом месяце Ким Чен Ын" in cleaned(seeds["003"]).text


def test_clean_paragraph_spans_cover_lines(seeds: dict[str, str]) -> None:
    article = cleaned(seeds["002"])
    lines = article.text.split("\n")
    assert [article.text[p.start : p.end] for p in article.paragraphs] == lines
    assert article.text.split("\n")[0] == article.title


def test_clean_title_from_first_sentence_when_page_has_no_headline(seeds: dict[str, str]) -> None:
    first_line = seeds["001"].split("\n")[0]
    assert not looks_like_title(first_line)
    article = cleaned(seeds["001"])
    assert article.title == lead_sentence(first_line)
    assert article.body.startswith(first_line)  # the sentence stays in the body too


def test_clean_keeps_a_given_title() -> None:
    article = cleaned("Перший абзац статті.\nДругий абзац.", title="Заголовок  статті")
    assert article.title == "Заголовок статті"
    assert article.body == "Перший абзац статті.\nДругий абзац."


def test_clean_keeps_dialogue_and_lists_of_the_article() -> None:
    # slavicner covid-19 ru style: a list introduced by a colon and dialogue lines stay
    text = (
        "Кому нельзя прививаться\n"
        "Основными противопоказаниями к вакцинации являются:\n"
        "- Гиперчувствительность к какому-либо компоненту вакцины.\n"
        "- Тяжелые аллергические реакции в анамнезе у пациента.\n"
        "- Беременность и период грудного вскармливания у женщин.\n"
        "Об этом рассказали в министерстве здравоохранения региона.\n"
        "Врачи рекомендуют сделать прививку до начала сезона гриппа.\n"
    )
    article = cleaned(text)
    assert article.removed == ()
    assert article.body.count("\n") == 5


def test_clean_rejects_a_page_with_nothing_left() -> None:
    with pytest.raises(LitopysError) as error:
        cleaned("\n  \nВидео дня\n")
    assert error.value.code == "E106"


def test_clean_repeats_in_mid_page_do_not_start_a_tail() -> None:
    # cut from slavicner covid-19 ru_46 (mos.ru page whose tabs repeat a list in mid-page)
    items = [
        "информационные технологии, телекоммуникации и связь;",
        "частные и некоммерческие организации по социальному обслуживанию населения;",
        "управление недвижимым имуществом, операции с недвижимостью;",
    ]
    text = "\n".join(
        [
            "Массовая бесплатная вакцинация от COVID-19 идет в Москве",
            "Москва постоянно расширяет список категорий людей, которые могут записаться на прививку.",
            "Также сделать прививку могут люди, которые работают в этих сферах и организациях:",
            *items,
            "Если вы прикреплены к московской поликлинике",
            *items,
            "Запишитесь на прививку онлайн или по телефону.",
            "Прививка от COVID-19 делается дважды. Записаться нужно только на первую вакцинацию.",
            "На вакцинацию потребуется не менее часа свободного времени.",
        ]
    )
    article = cleaned(text)
    assert [r.rule for r in article.removed] == ["repeated-block"] * 3
    assert article.body.endswith("На вакцинацию потребуется не менее часа свободного времени.")


def test_clean_removes_a_cookie_notice() -> None:
    # slavicner covid-19 ru_31 (Deutsche Welle page)
    article = cleaned(
        "Вакцина от коронавируса: в Германии готовятся к первым испытаниям\n"
        "Наш сайт использует файлы Cookie, чтобы предоставлять вам персонализированную информацию.\n"
        "Разработкой вакцины от коронавируса заняты ученые по всему миру."
    )
    assert [r.rule for r in article.removed] == ["cookie-notice"]


def test_clean_see_also_gallery_is_a_tail() -> None:
    # cut from slavicner covid-19 ru_49 (Deutsche Welle: a teaser gallery after "Смотрите также:")
    caption = "Юмор сражается с коронавирусом"
    text = "\n".join(
        [
            "Вакцинация от ковида: почему не все европейцы хотят делать прививку",
            "С декабря в Европе проводится массовая вакцинация населения от коронавируса.",
            "Для граждан, отказавшихся делать прививку от коронавируса, власти Испании хотят создать реестр.",
            "Смотрите также:",
            caption,
            "Будет ли коронавирус побежден уже в 2021 году?",
            caption,
            "Рождество во время пандемии: карантин, маски и другие особенности",
            caption,
            "Третья волна на подходе, или Куда спешит коронавирус",
        ]
    )
    article = cleaned(text)
    assert article.body.endswith("власти Испании хотят создать реестр.")
    assert [r.rule for r in article.removed] == ["tail:related-news"]
    # a bare "see also" with one headline after it, then the article goes on
    article = cleaned("\n".join([*text.split("\n")[:5], "Об этом сообщили в министерстве здравоохранения."]))
    assert article.body.endswith("Об этом сообщили в министерстве здравоохранения.")
    assert [r.rule for r in article.removed] == ["read-also", "read-also"]


def test_clean_reads_a_dump_header_above_the_headline() -> None:
    # the first lines of a bsnlp raw file (bsnlp/ec/raw/uk, uacrisis.org): id, language, date, URL
    page = (
        "389\nua\n2015-12-19T15:14:44+00:00\nhttp://uacrisis.org/ua/38746-liberalizatsiyi-vizovogo-rezhimu\n"
        "Європейська Комісія ухвалила звіт про виконання Україною плану по лібералізації візового режиму\n"
        "Наступний етап – розгляд питання Радою ЄС та його обговорення представниками держав-членів Євросоюзу."
    )
    article = clean(Article(id="x", path="x.txt", fmt="txt", text=page))
    assert article.published == "2015-12-19"
    assert article.url == "http://uacrisis.org/ua/38746-liberalizatsiyi-vizovogo-rezhimu"
    assert article.title.startswith("Європейська Комісія ухвалила звіт")
    assert [r.rule for r in article.removed] == ["meta:id", "meta:lang", "meta:date", "meta:url"]
