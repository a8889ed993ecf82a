"""Typed events, roles, dates, status and attribution on real sentences (sources named per case)."""

from __future__ import annotations

import pytest

from litopys.pipeline import process
from litopys.records import Article, Event, RawDoc
from litopys.stages.events import extract, ontology, triggers


def events_of(text: str, *, published: str | None = None, name: str = "x.txt") -> tuple[Article, list[Event]]:
    data = text.encode("utf-8")
    raw = RawDoc(path=name, fmt="txt", data=data)
    article = process(raw)
    assert isinstance(article, Article)
    if published:
        article = extract(article.evolve(published=published))
    return article, list(article.events)


def one(article: Article, events: list[Event], type_: str) -> Event:
    found = [e for e in events if e.type == type_]
    assert found, f"no {type_} in {[(e.type, article.text[e.trigger_start : e.trigger_end]) for e in events]}"
    return found[0]


def texts(article: Article, roles: tuple) -> list[str]:  # type: ignore[type-arg]
    return [article.text[r.start : r.end] for r in roles]


@pytest.mark.parametrize(
    ("text", "type_", "trigger", "actors", "targets"),
    [
        # seed 000 (uk): arms transfer, dative recipient
        (
            "Новини\nКНДР почала постачати Росії артилерію для війни проти України, – CBS News.",
            "ARMS_TRANSFER",
            "постачати",
            ["КНДР"],
            ["Росії"],
        ),
        # seed 003 (ru): the same report in Russian, accusative direction "в Россию"
        (
            "Новости\nСеверная Корея начала перебрасывать артиллерию в Россию, сообщает CBS News.",
            "ARMS_TRANSFER",
            "перебрасывать",
            ["Северная Корея"],
            [],
        ),
        # seed 004 (uk): troops deployed, the place in the locative
        (
            "Новини\nСьогодні я можу підтвердити, що північнокорейські військові підрозділи були розгорнуті в Курській області, - сказав Рютте.",
            "TROOP_DEPLOYMENT",
            "розгорнуті",
            [],
            [],
        ),
        # seed 002 (uk): two leaders meet
        (
            "Новини\nЛідери Північної Кореї та Росії Кім Чен Ин і Володимир Путін зустрілися в середу протягом двох годин.",
            "SUMMIT",
            "зустрілися",
            ["Кім Чен Ин", "Володимир Путін"],
            [],
        ),
        # seed 002 (uk): a missile launch
        (
            "Новини\nРаніше в середу Південна Корея повідомила, що Північна Корея випустила дві балістичні ракети малої дальності.",
            "MISSILE_LAUNCH",
            "випустила",
            ["Північна Корея"],
            [],
        ),
        # seed 001 (uk): a treaty signed
        (
            "Новини\nУ червні Володимир Путін відвідав Пхеньян, де підписав із північнокорейським лідером Кім Чен Ином договір про стратегічне партнерство.",
            "TREATY_SIGNING",
            "підписав",
            [],
            [],
        ),
        # seed 001 (uk): a visit
        (
            "Новини\nДо КНДР сьогодні, 29 листопада, прибув із візитом міністр оборони РФ Андрій Білоусов.",
            "VISIT",
            "прибув",
            [],
            [],
        ),
        # seed 004 (uk): casualties
        (
            "Новини\nГенсек уточнив, що у війні Путіна вже були вбиті або поранені понад 600 тис. російських солдатів.",
            "CASUALTY_REPORT",
            "вбиті",
            [],
            [],
        ),
        # slavicner asia_bibi (ru): troops sent to cities
        (
            "Новости\nВласти Пакистана направили войска в Исламабад и Лахор",
            "TROOP_DEPLOYMENT",
            "направили",
            [],
            [],
        ),
        # slavicner brexit (ru): a visit and a meeting
        (
            "Новости\nНа посту министра иностранных дел Джонсон в декабре прошлого года впервые за несколько лет посетил с визитом Москву.",
            "VISIT",
            "посетил",
            ["Джонсон"],
            [],
        ),
        (
            "Новости\nПрезидент США Дональд Трамп проведет встречу с премьер-министром Англии Терезой Мэй 13 июля.",
            "SUMMIT",
            "встречу",
            [],
            [],
        ),
        # slavicner nord_stream (ru): an agreement signed
        (
            'Новости\nРанее, в 2015 году "Газпром" и группа европейских компаний подписали соглашение о реализации проекта.',
            "TREATY_SIGNING",
            "подписали",
            [],
            [],
        ),
        # bsnlp trump (ru): strikes, and a diplomat killed
        (
            "Новости\nЯ очень рад, что Россия наносит удары по Исламскому государству.",
            "STRIKE",
            "удары",
            [],
            [],
        ),
        (
            "Новости\nРоссийский посол в Турции Андрей Карлов был убит вечером в понедельник в Галерее современного искусства.",
            "CASUALTY_REPORT",
            "убит",
            [],
            [],
        ),
        # NTREX (en, CC BY-SA 4.0): a summit
        (
            "News\nHe called on the United States to follow through on promises made during a summit in Singapore.",
            "SUMMIT",
            "summit",
            [],
            [],
        ),
        # PLOVER gold standard records DISAPPROVE-0014 (en): casualties
        (
            "News\nLebanon complained to the United Nations on Tuesday over two Israeli air raids in which 20 people were killed or wounded.",
            "CASUALTY_REPORT",
            "killed",
            [],
            [],
        ),
        # PLOVER gold standard records AID-0003 and SUPPORT-0011 (en, CC BY-SA 4.0)
        (
            "Новини\nThe United States continued to send arms to Pakistan last year, a State Department Spokesman said Wednesday.",
            "ARMS_TRANSFER",
            "send",
            [],
            [],
        ),
        (
            "Новини\nLibyan leader Muammar Gaddafi and Bulgarian President Todor Zhivkov today signed a treaty of friendship and cooperation, the BTA reported.",
            "TREATY_SIGNING",
            "signed",
            [],
            [],
        ),
        # PLOVER gold standard records AGREE-0035 and REJECT-0010 (en): a visit, a deployment
        (
            "News\nGerman Foreign Minister Oskar Fischer will visit Albania in June, the Albanian embassy said.",
            "VISIT",
            "visit",
            [],
            [],
        ),
        (
            "News\nThe United Nations on Tuesday rejected a call for its peacekeeping forces to be deployed in East Timor.",
            "TROOP_DEPLOYMENT",
            "deployed",
            [],
            [],
        ),
        # PLOVER gold standard records FIGHT-0005 (en): shelling
        (
            "Новини\nSudanese rebels shelled the southern regional capital Juba for the first time in a year on Sunday and Monday.",
            "STRIKE",
            "shelled",
            [],
            [],
        ),
    ],
)
def test_events_extension_types(
    text: str, type_: str, trigger: str, actors: list[str], targets: list[str]
) -> None:
    article, events = events_of(text)
    event = one(article, events, type_)
    assert article.text[event.trigger_start : event.trigger_end] == trigger
    assert event.plover == ontology()[type_].plover
    assert event.start <= event.trigger_start < event.end
    if actors:
        assert texts(article, event.actors) == actors
    for target in targets:
        assert target in texts(article, event.targets)


def test_events_place_in_the_locative() -> None:
    article, events = events_of(
        "Новини\nГенеральний секретар НАТО Марк Рютте підтвердив розгортання військових підрозділів КНДР у Курській області."
    )
    event = one(article, events, "TROOP_DEPLOYMENT")
    assert (
        event.location is not None
        and article.text[event.location.start : event.location.end] == "Курській області"
    )


@pytest.mark.parametrize(
    ("text", "published", "date_start", "granularity"),
    [
        # seed 001: "сьогодні, 29 листопада" against the report date
        (
            "Новини\nДо КНДР сьогодні, 29 листопада, прибув із візитом міністр оборони РФ Андрій Білоусов.",
            "2024-11-29",
            "2024-11-29",
            "day",
        ),
        # seed 002: "в середу" is the Wednesday before the report
        (
            "Новини\nКім Чен Ин і Володимир Путін зустрілися в середу протягом двох годин.",
            "2023-09-14",
            "2023-09-13",
            "day",
        ),
        # seed 001: a month
        (
            "Новини\nУ червні Володимир Путін підписав із Кім Чен Ином договір про партнерство.",
            "2024-11-29",
            "2024-06-01",
            "month",
        ),
    ],
)
def test_events_relative_dates(text: str, published: str, date_start: str, granularity: str) -> None:
    _, events = events_of(text, published=published)
    assert events and events[0].date_start == date_start and events[0].granularity == granularity


def test_events_without_a_year_stay_undated() -> None:
    _, events = events_of(
        "Новини\nДо КНДР сьогодні, 29 листопада, прибув із візитом міністр оборони РФ Андрій Білоусов."
    )
    visit = next(e for e in events if e.type == "VISIT")
    assert visit.date_start is None and visit.date_text == "29 листопада"


@pytest.mark.parametrize(
    ("text", "type_", "status"),
    [
        # seed 004: confirmed by the speaker
        (
            "Новини\nМарк Рютте підтвердив розгортання військових підрозділів КНДР у Курській області.",
            "TROOP_DEPLOYMENT",
            "confirmed",
        ),
        # negation right before the trigger
        ("Новини\nПхеньян не постачав Росії зброю, заявили в МЗС КНДР.", "ARMS_TRANSFER", "denied"),
        # seed 000: feared ("стурбований", "може прагнути")
        (
            "Новини\nЧиновник сказав, що Сеул стурбований тим, що Кім може прагнути поглибити співпраці з Росією.",
            "COOPERATE",
            "feared",
        ),
        # planned
        ("Новини\nУ Білоусова заплановано візит до Пхеньяна.", "VISIT", "planned"),
        # plain report
        ("Новини\nПівнічна Корея випустила дві балістичні ракети.", "MISSILE_LAUNCH", "reported"),
    ],
)
def test_events_status(text: str, type_: str, status: str) -> None:
    article, events = events_of(text)
    assert one(article, events, type_).status == status


def test_events_attribution_chain_ru() -> None:
    # seed 003: the outlet, then whom it cites
    article, events = events_of(
        "Новини\nСеверная Корея начала перебрасывать артиллерию в Россию, сообщает CBS News со ссылкой на неназванного американского чиновника."
    )
    event = one(article, events, "ARMS_TRANSFER")
    assert event.attributed_to[0] == "CBS News"
    assert event.attributed_to[-1].startswith("неназванного американского")


def test_events_attribution_from_the_source_line() -> None:
    # seed 000: "Джерело: CBS News" becomes the article's source, the outer link of every event
    article, events = events_of(
        "Новини\nДжерело: CBS News\nПредставник США повідомив, що Північна Корея почала перекидати артилерію до Росії."
    )
    assert article.source == "CBS News"
    assert all(e.attributed_to[:1] == ("CBS News",) for e in events)


def test_events_trigger_table_is_consistent() -> None:
    types = ontology()
    assert {t.type for t in triggers()} <= set(types)
    assert {t.lang for t in triggers()} == {"uk", "ru", "en"}
    for type_ in (
        "ARMS_TRANSFER",
        "TROOP_DEPLOYMENT",
        "VISIT",
        "SUMMIT",
        "TREATY_SIGNING",
        "MISSILE_LAUNCH",
        "STRIKE",
        "CASUALTY_REPORT",
    ):
        assert types[type_].plover in types and types[types[type_].plover].plover == types[type_].plover
        assert {t.lang for t in triggers() if t.type == type_} == {"uk", "ru", "en"}


def test_events_common_noun_subject_is_the_actor() -> None:
    # slavicner ryanair (uk): no name is the subject, the nominative noun before the trigger is
    article, events = events_of("Новини\nПілоти Ryanair почали найбільший в історії авіакомпанії страйк.")
    event = one(article, events, "PROTEST")
    assert texts(article, event.actors) == ["Пілоти"]


@pytest.mark.parametrize(
    ("text", "type_", "source"),
    [
        # slavicner asia_bibi (uk): the speaker after the verb, at the end of the sentence
        ("Новини\nПід час протестів було арештовано 150 людей, передає агенція AP.", "COERCE", "агенція AP"),
        # slavicner asia_bibi (ru): "как сообщает X, …"
        (
            "Новости\nКак сообщает Пакистанская служба Радио Свобода, в городах Равалпинди, Лахор и Пешавар сторонники "
            'ультрарелигиозной организации "Техрик-э-Лабаик Пакистан" блокировали дороги и требовали исполнения приговора.',
            "REQUEST",
            "Пакистанская служба Радио Свобода",
        ),
        # seed 004 (uk): a headline's source after the closing dash
        (
            "Я можу підтвердити, що війська КНДР розгорнуті в Курській області РФ – Рютте\nТекст.",
            "TROOP_DEPLOYMENT",
            "Рютте",
        ),
    ],
)
def test_events_speaker_forms(text: str, type_: str, source: str) -> None:
    article, events = events_of(text)
    assert source in one(article, events, type_).attributed_to


@pytest.mark.parametrize(
    ("text", "type_", "actor", "target"),
    [
        # slavicner asia_bibi (uk): the subject of a passive is the patient
        (
            "Новини\n51-річна католичка Азія Бібі, мати п'ятьох дітей, була засуджена до смертної кари в 2010 році.",
            "COERCE",
            None,
            "Азія Бібі",
        ),
        # slavicner brexit (ru): the accusative object after the verb
        (
            "Новости\nПеред отставкой Борис Джонсон уже не стеснялся и открыто критиковал Терезу Мэй, сообщают британские СМИ.",
            "ACCUSE",
            "Борис Джонсон",
            "Терезу",
        ),
    ],
)
def test_events_targets(text: str, type_: str, actor: str | None, target: str) -> None:
    article, events = events_of(text)
    event = one(article, events, type_)
    assert any(target in t for t in texts(article, event.targets))
    if actor is None:
        assert not event.actors
    else:
        assert actor in texts(article, event.actors)


# NTREX (CC BY-SA 4.0): the same sentences in en, ru and uk (cnbc.com.6769 line 4, nytimes.184837 line 16)
NTREX_PARALLEL = {
    "SUMMIT": {
        "en": "He called on the United States to follow through on promises made during a summit in Singapore between the rivals' leaders.",
        "ru": "Он призвал Соединенные Штаты выполнять обещания, данные на саммите в Сингапуре между лидерами своих стран.",
        "uk": "Він закликав Сполучені Штати виконати обіцянки, висловлені під час саміту в Сінгапурі лідерами країн-суперників.",
    },
    "CASUALTY_REPORT": {
        "en": "More than 1,000 people were killed and tens of thousands dislocated from their homes as Christian and Muslim gangs battled on the streets.",
        "ru": "Было убито свыше тысячи людей, и еще десятки тысяч лишились крова в результате стычек между христианами и мусульманами.",
        "uk": "Більше 1000 людей загинули, десятки тисяч виселені з їхніх домівок у результаті протистояння християнських та мусульманських банд на вулицях.",
    },
}


@pytest.mark.parametrize(
    ("type_", "lang"), [(t, lang) for t in NTREX_PARALLEL for lang in ("en", "ru", "uk")]
)
def test_events_parallel_sentences_in_three_languages(type_: str, lang: str) -> None:
    title = {"en": "News", "ru": "Новости", "uk": "Новини"}[lang]
    article, events = events_of(f"{title}\n{NTREX_PARALLEL[type_][lang]}")
    assert article.lang == lang
    one(article, events, type_)


def test_events_strike_uk_with_an_absolute_date() -> None:
    # NTREX abcnews.306758 line 4 (uk, CC BY-SA 4.0)
    article, events = events_of(
        "Новини\n2 жовтня 1968 року військові обстріляли мирну демонстрацію на площі, вбивши близько 300 людей."
    )
    strike = one(article, events, "STRIKE")
    assert article.text[strike.trigger_start : strike.trigger_end] == "обстріляли"
    assert (strike.date_start, strike.granularity) == ("1968-10-02", "day")


def test_events_place_after_a_place_noun() -> None:
    # slavicner asia_bibi (ru): "в городах Равалпинди…": the preposition stands before the place noun
    article, events = events_of(
        "Новости\nКак сообщает Пакистанская служба Радио Свобода, в городах Равалпинди, Лахор и Пешавар сторонники "
        'ультрарелигиозной организации "Техрик-э-Лабаик Пакистан" блокировали дороги и требовали исполнения приговора.'
    )
    event = one(article, events, "REQUEST")
    assert (
        event.location is not None and article.text[event.location.start : event.location.end] == "Равалпинди"
    )


@pytest.mark.parametrize(
    ("text", "type_", "actors", "targets", "location"),
    [
        # seed 001: a relative "який" makes the name before it the actor (Pyongyang supplies, not the Kremlin)
        (
            "Новини\nНагадаємо, на тлі широкомасштабної військової агресії Росії проти України Кремль активно "
            "посилює зв'язки з Пхеньяном, який постачає країні-агресорці боєприпаси, ракети, віднедавна ще й "
            "надіслав військових.",
            "ARMS_TRANSFER",
            ["Пхеньяном"],
            [],
            None,
        ),
        # seed 001: "де" makes the name before it the place; the main clause's subject signs; "із" +
        # instrumental across the agreeing words "північнокорейським лідером" is the other party
        (
            "Новини\nТакож повідомлялося, що у червні російській диктатор Володимир Путін відвідав з офіційним "
            "візитом Пхеньян, де підписав із північнокорейським лідером Кім Чен Ином договір про стратегічне "
            "партнерство.",
            "TREATY_SIGNING",
            ["Володимир Путін"],
            ["Кім Чен Ином"],
            "Пхеньян",
        ),
        # seed 003 (ru): "где" clause; the place name after "на российском космодроме" is the place
        (
            "Новости\nВ прошлом месяце Ким Чен Ын провел около недели в России, где провел встречу на высшем "
            'уровне с Владимиром Путиным на российском космодроме "Восточный".',
            "SUMMIT",
            ["Ким Чен Ын"],
            ["Владимиром Путиным"],
            "Восточный",
        ),
        # seed 002: a later clause (", за якою …, що Кім погодився постачати …") is not the summit's
        (
            "Новини\nЛідери Північної Кореї та Росії Кім Чен Ин і Володимир Путін зустрілися в середу протягом "
            "двох годин на зустрічі на вищому рівні, за якою уважно стежили за ознаками того, що Кім погодився "
            "постачати боєприпаси, необхідні Кремлю для війни в Північній Кореї.",
            "SUMMIT",
            ["Кім Чен Ин", "Володимир Путін"],
            [],
            None,
        ),
    ],
)
def test_events_roles_stay_in_their_clause(
    text: str, type_: str, actors: list[str], targets: list[str], location: str | None
) -> None:
    article, events = events_of(text)
    event = one(article, events, type_)
    assert texts(article, event.actors) == actors
    assert texts(article, event.targets) == targets
    assert (article.text[event.location.start : event.location.end] if event.location else None) == location


@pytest.mark.parametrize(
    ("text", "type_", "actor", "key"),
    [
        # seed 004: the troops' nationality is the actor when no name is
        (
            "Новини\nСьогодні я можу підтвердити, що північнокорейські війська були відправлені до Росії, - "
            "сказав Рютте.",
            "TROOP_DEPLOYMENT",
            "північнокорейські",
            "LOC:північна корея",
        ),
        # seed 004: the genitive after a noun trigger
        (
            "Новини\nАле відправлення північнокорейських військ до Курська також є ознакою зростаючого відчаю.",
            "TROOP_DEPLOYMENT",
            "північнокорейських",
            "LOC:північна корея",
        ),
    ],
)
def test_events_nationality_adjective_stands_for_its_country(
    text: str, type_: str, actor: str, key: str
) -> None:
    article, events = events_of(text)
    (role,) = one(article, events, type_).actors
    assert (article.text[role.start : role.end], role.key) == (actor, key)


def test_events_dash_gloss_is_not_a_source_and_a_pronoun_is_the_last_speaker() -> None:
    # seed 003 (ru): "– явная ссылка на нападение на Украину" explains, it does not cite
    article, events = events_of(
        'Новости\nВо время этой встречи Ким сказал Путину, что он может рассчитывать на "полную и '
        'безоговорочную поддержку" Северной Кореи в "священной борьбе" России за защиту интересов своей '
        "безопасности – явная ссылка на нападение на Украину."
    )
    assert all("ссылка" not in " ".join(e.attributed_to) for e in events)
    # seed 004: "…", - переконаний він: Rutte, named beside "нагадав", not Putin, named in the quote
    article, events = events_of(
        'Новини\nРютте нагадав, що Пхеньян уже поставив Росії мільйони одиниць боєприпасів. "Натомість Путін '
        "надає Північній Кореї військові технології. Але відправлення північнокорейських військ до Курська "
        'також є ознакою зростаючого відчаю Путіна", - переконаний він.'
    )
    assert one(article, events, "TROOP_DEPLOYMENT").attributed_to == ("Рютте",)


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        # NEREL 1.1 train 27496_text.txt (ru news): rockets fired by aircraft
        (
            "Новости\nВ понедельник сирийские боевые самолеты выпустили ракеты по северным районам Ливана.",
            "выпустили",
        ),
        # NEREL 1.1 train (ru news): a failed missile test
        (
            "Новости\nНапомним, что Северокорейский лидер Ким Чен Ын в последние недели не появляется на публике, "
            "что породило множество слухов о причинах его исчезновения: в числе версий называются различные "
            "проблемы со здоровьем, самоизоляция из-за коронавируса, ранение в ходе неудачного ракетного "
            "испытания и даже смерть.",
            "ракетного",
        ),
    ],
)
def test_events_missile_launch_ru(text: str, trigger: str) -> None:
    article, events = events_of(text)
    event = one(article, events, "MISSILE_LAUNCH")
    assert article.text[event.trigger_start : event.trigger_end] == trigger


def test_events_treaty_signing_ru() -> None:
    # slavicner ryanair ru/ryan-ru_file_153.txt: the airports sign (contracts) with Ryanair
    article, events = events_of(
        "Новости\nДо этого, весной 2018 г аэропорты Борисполь и Львов подписали договоры с Ryanair о начале "
        "полетов в Украинское государство."
    )
    event = one(article, events, "TREATY_SIGNING")
    assert article.text[event.trigger_start : event.trigger_end] == "подписали"
    assert texts(article, event.actors)[:1] == ["Борисполь"]
