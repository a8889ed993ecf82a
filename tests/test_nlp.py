"""Sentences, tokens and lemmas on real text: the seed pages (examples/seeds) and sentences cut
from UD dev treebanks and NTREX news into this file (sources named at each case)."""

from __future__ import annotations

import pickle

import pytest

from litopys.records import Article, Paragraph
from litopys.stages import nlp
from litopys.stages.language import identify
from litopys.stages.nlp import analyse, lemmatize, pos_tag, split_sentences, tokenize


def article_from(text: str) -> Article:
    """An article as the clean stage leaves it: one Paragraph per non-empty, stripped line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    paragraphs, offset = [], 0
    for line in lines:
        paragraphs.append(Paragraph(offset, offset + len(line)))
        offset += len(line) + 1
    return Article(id="t", path="t.txt", fmt="txt", text="\n".join(lines), paragraphs=tuple(paragraphs))


def sentences_of(text: str, lang: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text, lang=lang)]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        # the brief's example: an initial, then a colon, is no sentence end
        ("uk", ["Дмитро С. сказав: Пєсков заявив у вівторок."]),
        # seed 004: "тис." before a lower-case word; quotes opening the next sentence
        (
            "uk",
            [
                "Генсек уточнив, що у війні Путіна вже були вбиті або поранені "
                "понад 600 тис. російських солдатів.",
                '"Він не в змозі продовжувати свій наступ на Україну без іноземної підтримки.',
                "Це тому, що українці б'ються з мужністю, стійкістю і винахідливістю.",
            ],
        ),
        # seed 004: a quoted sentence, closed by the quote and the speaker
        (
            "uk",
            [
                "До складу делегації увійшли високопоставлені представники "
                "Національної розвідувальної служби та Міністерства національної оборони Республіки Корея.",
                '"Союзники також поділилися своїми оцінками розвідки.',
                "Сьогодні я можу підтвердити, що північнокорейські війська були відправлені до Росії, і що "
                'північнокорейські військові підрозділи були розгорнуті в Курській області", - сказав Рютте.',
            ],
        ),
        # UD Ukrainian-IU dev: "тис." before a lower-case word; dialogue dash after "?"
        (
            "uk",
            [
                "Ви казали про 1,2 тис. проданих електричних авто.",
                "На мою думку, абсолютно непоганий показник.",
            ],
        ),
        ("uk", ["— Ви перед цим сиділи в тюрмі?", "— Було трохи…"]),
        # UD Russian-GSD dev: "ум.", "ок.", "род.", "г." inside brackets, a number after the period
        (
            "ru",
            [
                "После смерти младшего сына Олибы II, Акфреда II (ум. ок. 934), графства "
                "унаследовала его дочь Арсинда, вышедшая замуж за графа Комменжа и Кузерана Арно I, "
                "потомки которого и унаследовали все владения.",
                "Барри Гордон (Barry Gordon) (род. 21 декабря 1948 г.) -- "
                "американский актёр кино и телевидения.",
            ],
        ),
        # NTREX-128 (cnn.304404 and reuters.218861): "U.S." before a name and before a new sentence
        ("en", ["Both Kim and U.S. President Donald Trump want a second summit."]),
        (
            "en",
            [
                "Meanwhile, a trough is beginning to take shape over the Pacific Ocean "
                "and move east toward the West Coast of the U.S.",
                "As Rosa approaches the Baja California peninsula on Monday as a tropical storm "
                "it will begin to push deep tropical moisture northward into the southwest U.S.",
            ],
        ),
        # numbers and ellipses: "1.5" and "..." before a lower-case word do not end a sentence
        ("en", ["Prices rose 1.5 percent... and then fell.", "That was it!"]),
    ],
)
def test_nlp_split_sentences_boundaries(lang: str, expected: list[str]) -> None:
    assert sentences_of(" ".join(expected), lang) == expected


def test_nlp_split_sentences_abbreviations_before_capitals() -> None:
    # "ім." and "вул." never end a sentence; "р." before a capital does (sentences in the style of
    # brown-uk-press; each abbreviation is in nlp's tables)
    text = "Музей ім. Т. Шевченка на вул. Хрещатик відкрили у 2016 р. Вхід вільний."
    assert sentences_of(text, "uk") == [
        "Музей ім. Т. Шевченка на вул. Хрещатик відкрили у 2016 р.",
        "Вхід вільний.",
    ]


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_nlp_sentences_cover_every_character_once(seeds: dict[str, str], seed: str) -> None:
    text = seeds[seed]
    sentences = split_sentences(text, lang="uk")
    covered = [False] * len(text)
    for s in sentences:
        assert "\n" not in text[s.start : s.end]  # never across a line
        assert text[s.start : s.end] == text[s.start : s.end].strip()
        for k in range(s.start, s.end):
            assert not covered[k]
            covered[k] = True
    assert all(covered[k] or text[k].isspace() for k in range(len(text)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("зв’язки між Росією", ["зв’язки", "між", "Росією"]),  # seed 000, U+2019
        ("Кремль активно посилює зв'язки", ["Кремль", "активно", "посилює", "зв'язки"]),  # seed 001
        ("українці б'ються з мужністю", ["українці", "б'ються", "з", "мужністю"]),  # seed 004
        ("Ньюзʼявся", ["Ньюзʼявся"]),  # U+02BC modifier apostrophe stays inside the word
        (
            "з військово-політичним керівництвом",  # seed 001
            ["з", "військово-політичним", "керівництвом"],
        ),
        ("20-месячном вторжении", ["20-месячном", "вторжении"]),  # seed 003
        ("He paid $1.5 million...", ["He", "paid", "$", "1.5", "million", "..."]),
        ('«священной борьбе» России."', ["«", "священной", "борьбе", "»", "России", ".", '"']),  # seed 003
    ],
)
def test_nlp_tokenize_words_numbers_punctuation(text: str, expected: list[str]) -> None:
    words = tokenize(text)
    assert [w.text for w in words] == expected
    assert all(text[w.start : w.end] == w.text for w in words)


def test_nlp_tokenize_kinds() -> None:
    kinds = {w.text: w.kind for w in tokenize("понад 600 тис. солдатів, 1,2 млн")}  # seed 004 / UD uk
    assert kinds == {"понад": "word", "600": "number", "тис": "word", ".": "punct", "солдатів": "word",
                     ",": "punct", "1,2": "number", "млн": "word"}  # fmt: skip


@pytest.mark.parametrize(
    ("word", "lang", "lemma"),
    [
        ("Кіма", "uk", "кім"),  # seed 000: the name Кім, not a common noun
        ("Пхеньяну", "uk", "пхеньян"),  # seed 001
        ("Кима", "ru", "ким"),  # seed 003
        ("Путина", "ru", "путин"),  # seed 003: not "путина" (a fishing season)
        ("зв’язки", "uk", "зв'язка"),  # seed 000, U+2019 apostrophe
        ("зв'язки", "uk", "зв'язка"),  # seed 001
        ("б'ються", "uk", "битися"),  # seed 004
        ("року", "uk", "рік"),  # seed 001: not рок
        ("Білоусова", "uk", "білоусов"),  # seed 001
        ("вона", "uk", "вона"),  # UD uk_iu dev: the pronoun, not the surname Вон
        ("три", "uk", "три"),  # UD uk_iu dev: the numeral, not the verb терти
        ("виробів", "uk", "виріб"),  # UD uk_iu dev
        ("мостів", "uk", "міст"),  # UD uk_iu dev: not the plural-only мости
        ("предоставила", "ru", "предоставить"),  # seed 003
        ("артиллерию", "ru", "артиллерия"),  # seed 003
        ("News", "uk", "news"),  # seed 000: ASCII words in uk text go to the English lemmatiser
        ("changing", "en", "change"),  # NTREX bbc.381647
        ("КНДР", "uk", "кндр"),  # seed 000
        ("600", "uk", "600"),
        ("«", "ru", "«"),
    ],
)
def test_nlp_lemmatize(word: str, lang: str, lemma: str) -> None:
    assert lemmatize(word, lang=lang) == lemma


def test_nlp_pos_is_pymorphys_tag() -> None:
    assert pos_tag("Кіма", lang="uk") == "NOUN"  # seed 000
    assert pos_tag("предоставила", lang="ru") == "VERB"  # seed 003
    assert pos_tag("News", lang="uk") == ""  # not analysed by pymorphy
    assert pos_tag(",", lang="uk") == ""


@pytest.mark.parametrize(
    "word",
    # seed 003 words; the fast dictionary path must agree with pymorphy3's own first parse
    [
        "Северная",
        "Корея",
        "начала",
        "артиллерию",
        "Россию",
        "Путина",
        "Кима",
        "поставках",
        "её",
        "связи",
        "мире",
    ],
)
def test_nlp_fast_dictionary_path_matches_pymorphy(word: str) -> None:
    morph = nlp.morph("ru")
    parses = morph.parse(word)
    expected = parses[0]
    if word[0].isupper():
        expected = next((p for p in parses if nlp.NAME_GRAMMEMES & p.tag.grammemes), expected)
    fast = nlp._dictionary_reading(morph, word.lower(), name=word[0].isupper())
    assert fast == (expected.normal_form, expected.tag.POS or "")


@pytest.mark.parametrize("word", ["людина", "його", "техніки", "чорної", "пружні", "Львові", "різного"])
def test_nlp_uk_reading_is_one_of_pymorphys(word: str) -> None:
    # words from UD Ukrainian-IU dev: the ranked choice is always a reading pymorphy3 offers
    morph = nlp.morph("uk")
    readings = {(p.normal_form, p.tag.POS or "") for p in morph.parse(word)}
    assert nlp._dictionary_reading(morph, word.lower(), name=word[0].isupper()) in readings


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_nlp_analyse_offsets_round_trip(seeds: dict[str, str], seed: str) -> None:
    article = analyse(identify(article_from(seeds[seed])))
    text = article.text
    title = article.paragraphs[0]
    assert article.sentences[0].start == 0 and article.sentences[0].end <= title.end  # title: own sentence
    spans = [(p.start, p.end) for p in article.paragraphs]
    for s in article.sentences:
        assert any(a <= s.start < s.end <= b for a, b in spans)
    assert [(t.start, t.end) for t in article.tokens] == sorted((t.start, t.end) for t in article.tokens)
    non_space = sum(not ch.isspace() for ch in text)
    assert sum(t.end - t.start for t in article.tokens) == non_space  # tokens cover the text exactly
    for t in article.tokens:
        assert text[t.start : t.end].strip() == text[t.start : t.end]
        assert t.lemma == t.lemma.lower()


def test_nlp_analyse_lemmas_follow_paragraph_language(seeds: dict[str, str]) -> None:
    article = analyse(identify(article_from(seeds["003"])))
    lemmas = {article.span(t.start, t.end): (t.lemma, t.pos) for t in article.tokens}
    assert lemmas["Кима"] == ("ким", "NOUN")
    assert lemmas["артиллерию"] == ("артиллерия", "NOUN")
    uk = analyse(identify(article_from(seeds["000"])))
    assert {uk.span(t.start, t.end): t.lemma for t in uk.tokens}["Кіма"] == "кім"


def test_nlp_analyse_is_picklable_and_pure(seeds: dict[str, str]) -> None:
    article = identify(article_from(seeds["001"]))
    first, second = analyse(article), analyse(article)
    assert first == second
    assert pickle.loads(pickle.dumps(first)) == first
    assert first.evolve(sentences=(), tokens=()) == article


def test_nlp_lemma_caches_are_bounded() -> None:
    for cached in (nlp._lemma_uk, nlp._lemma_ru, nlp._lemma_en, nlp._lemma_other):
        assert cached.cache_info().maxsize == nlp.LEMMA_CACHE
    assert nlp.morph.cache_info().maxsize is not None
