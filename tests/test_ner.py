"""Mention recognition (litopys.stages.ner) with the shipped model: seeds, short news sentences,
offsets, document-level consistency, languages and the loader's errors. Speed is benchmarked
elsewhere (bench), not here."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest

from litopys.errors import LitopysError
from litopys.records import ENTITY_TYPES, Article, Paragraph
from litopys.stages import ner
from litopys.stages.ner import harmonise, load_backend, recognize

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"


def make_article(text: str, langs: str | list[str]) -> Article:
    """An article with one paragraph per line, each in ``langs`` (one language for all, or a list)."""
    lines = text.split("\n")
    per_line = [langs] * len(lines) if isinstance(langs, str) else langs
    paragraphs, start = [], 0
    for line, lang in zip(lines, per_line, strict=True):
        paragraphs.append(Paragraph(start, start + len(line), lang))
        start += len(line) + 1
    return Article(id="t", path="t", fmt="txt", text=text, paragraphs=tuple(paragraphs))


def found(article: Article) -> set[tuple[str, str]]:
    return {(m.text, m.type) for m in recognize(article).mentions}


def seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "lang", "form", "label"),
    [
        ("000", "uk", "Кім Чен Ин", "PER"),
        ("000", "uk", "CBS News", "ORG"),
        ("000", "uk", "Північна Корея", "LOC"),
        ("001", "uk", "Пхеньян", "LOC"),
        ("001", "uk", "Андрій Білоусов", "PER"),
        ("004", "uk", "НАТО", "ORG"),
        ("004", "uk", "Марк Рютте", "PER"),
        ("004", "uk", "Курській області", "LOC"),
        ("003", "ru", "Ким Чен Ын", "PER"),
        ("003", "ru", "CBS News", "ORG"),
        ("003", "ru", "Владимира Путина", "PER"),
    ],
)
def test_ner_finds_names_in_seeds(name: str, lang: str, form: str, label: str) -> None:
    assert (form, label) in found(make_article(seed(name), lang))


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # slavicner raw/ryanair/uk/ryan-ua_file_103.txt (title and first sentence)
        (
            "Через збій в системі авіаційних даних Бельгія закрила повітряний простір\n"
            "У четвер польоти над Бельгією були закриті через проблему з системою обробки польотної "
            "інформації, передає УНН з посиланням на Reuters.",
            "uk",
            {("Бельгія", "LOC"), ("Бельгією", "LOC"), ("Reuters", "ORG")},
        ),
        # slavicner raw/nord_stream/ru/Nord_Stream_2_extra.xml_file_102.txt (first sentences)
        (
            "Хайко Мас отверг критику США в адрес проекта газопровода. Мас выступил на мероприятии "
            "Восточного комитета немецкой экономики в Берлине в четверг, 10 января.",
            "ru",
            {("Хайко Мас", "PER"), ("США", "LOC"), ("Берлине", "LOC")},
        ),
    ],
)
def test_ner_finds_names_in_news_sentences(text: str, lang: str, expected: set[tuple[str, str]]) -> None:
    assert expected <= found(make_article(text, lang))


@pytest.mark.parametrize(
    ("name", "lang"), [("000", "uk"), ("001", "uk"), ("002", "uk"), ("003", "ru"), ("004", "uk")]
)
def test_ner_offsets_round_trip_sorted_and_disjoint(name: str, lang: str) -> None:
    article = recognize(make_article(seed(name), lang))
    mentions = article.mentions
    assert mentions
    for mention in mentions:
        assert article.text[mention.start : mention.end] == mention.text
        assert mention.text == mention.text.strip()
        assert mention.type in ENTITY_TYPES
        assert 0 < mention.score <= 1
    assert [(m.start, m.end) for m in mentions] == sorted((m.start, m.end) for m in mentions)
    assert all(a.end <= b.start for a, b in pairwise(mentions))


def test_ner_keeps_other_fields() -> None:
    article = make_article(seed("000"), "uk").evolve(title="t", source="s")
    assert recognize(article).evolve(mentions=()) == article


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        # a name found once is found everywhere, with the same type
        ("Марк Рютте сказав. Потім Рютте додав.", [(0, 10, "PER", 1.0)], (25, 30, "PER")),
        # the surname of a person, inflected, alone
        ("Володимир Путін приїхав. Путіна зустріли.", [(0, 15, "PER", 1.0)], (25, 31, "PER")),
    ],
)
def test_ner_document_consistency_propagates(text: str, spans: list, expected: tuple[int, int, str]) -> None:
    result = harmonise(text, spans)
    assert expected in {(s, e, t) for s, e, t, _ in result}
    assert all(text[s:e].strip() == text[s:e] for s, e, _, _ in result)


def test_ner_document_consistency_one_type_per_name() -> None:
    text = "Газпром заявив. Газпром відповів. Газпром мовчить."
    spans = [(0, 7, "ORG", 1.0), (16, 23, "ORG", 1.0), (34, 41, "LOC", 1.0)]
    assert {t for _, _, t, _ in harmonise(text, spans)} == {"ORG"}


def test_ner_document_consistency_on_the_model() -> None:
    text = "Прем'єр Нідерландів Марк Рютте прибув до Києва.\nРютте заявив, що Рютте підтримує Україну."
    mentions = recognize(make_article(text, "uk")).mentions
    assert sum(1 for m in mentions if m.text == "Рютте" and m.type == "PER") == 2


def test_ner_skips_english_paragraphs() -> None:
    text = "Марк Рютте прибув до Києва.\nNATO chief Mark Rutte arrived in Kyiv."
    mentions = recognize(make_article(text, ["uk", "en"])).mentions
    assert mentions
    assert all(m.end <= text.index("\n") for m in mentions)


def test_ner_without_paragraphs_guesses_the_language() -> None:
    article = Article(id="t", path="t", fmt="txt", text="Ким Чен Ын прибыл в Москву.")
    assert ("Москву", "LOC") in found(article)


@pytest.mark.parametrize("text", ["", "\n\n", "12 345"])
def test_ner_empty_or_nameless_text(text: str) -> None:
    assert recognize(make_article(text, "uk")).mentions == ()


@pytest.mark.parametrize(
    ("word", "lang", "tag_part"),
    [("Рютте", "uk", "Surn"), ("Марк", "uk", "Name"), ("Москвы", "ru", "Geox"), ("CBS", "ru", "LATN")],
)
def test_ner_word_features(word: str, lang: str, tag_part: str) -> None:
    lemma, tag = ner.word_features(word, lang)
    assert lemma
    assert tag_part in tag


def test_ner_missing_model_says_how_to_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(ner, "MODEL_DIR", tmp_path / "ner")
    with pytest.raises(LitopysError, match="train-ner"):
        load_backend("litopys")


def test_ner_unknown_backend_path(tmp_path: Path) -> None:
    with pytest.raises(LitopysError, match="neither a spaCy pipeline"):
        load_backend(tmp_path)


def test_ner_spacy_backend_by_path() -> None:
    backend = load_backend(ner.MODEL_DIR)
    spans = backend("Марк Рютте прибув до Києва.", "uk")
    assert (0, 10, "PER") in spans


def test_ner_huggingface_backend_on_a_tiny_model(tmp_path: Path) -> None:
    """The optional ``hf`` back end loads a token-classification directory (built here, untrained)."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "Марк", "Рютте", "прибув", "."]
    (tmp_path / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(tmp_path / "vocab.txt"), do_lower_case=False)
    labels = ["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC"]
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=32,
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    model = transformers.BertForTokenClassification(config)
    with torch.no_grad():  # every word a B-PERS, whatever the input: a predictable output
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor([0.0, 5.0, 4.0, 0.0, 0.0]))
    model.save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    backend = load_backend(tmp_path)
    assert backend("Марк Рютте прибув", "uk") == [(0, 4, "PER"), (5, 10, "PER"), (11, 17, "PER")]


@pytest.mark.parametrize(
    ("prepare", "ends"),
    [
        (lambda text: text, r"\n"),  # a page's own lines
        (lambda text: " ".join(text.split()), r"[.!?…][»\"”’)\]]*\s"),  # one long paragraph: sentences
        (lambda text: re.sub(r"[.!?…]", "", " ".join(text.split())), r"\s"),  # no sentence ends: words
    ],
    ids=["lines", "sentences", "words"],
)
def test_ner_pieces_end_at_lines_then_sentences_then_words(
    seeds: dict[str, str], prepare: Callable[[str], str], ends: str
) -> None:
    text = prepare(seeds["001"])
    pieces = list(ner._pieces(text, 400))
    assert len(pieces) > 5
    assert "".join(piece for _, piece in pieces) == text
    assert all(text[offset:].startswith(piece) and len(piece) <= 400 for offset, piece in pieces)
    assert all(re.search(f"(?:{ends})$", piece) for _, piece in pieces[:-1]), [p[-30:] for _, p in pieces]


def test_ner_long_text_is_read_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "\n".join(["Марк Рютте прибув до Києва."] * 6)
    monkeypatch.setattr(ner, "MAX_PIECE", 60)
    spans = load_backend(ner.MODEL_DIR)(text, "uk")
    assert [text[s:e] for s, e, t in spans if t == "PER"] == ["Марк Рютте"] * 6
    assert [text[s:e] for s, e, t in spans if t == "LOC"] == ["Києва"] * 6
