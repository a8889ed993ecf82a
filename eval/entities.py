"""Quality of name lemmas (``litopys.stages.names``) and entity linking (``litopys.stages.linking``).

* ``names:lemma`` / ``names:lemma-multi``: accuracy of :func:`name_lemma` on gold mentions (all
  mentions / mentions of two or more words), as rows with tp = correct, fn = wrong, fp = 0, per
  language. Sources: SlavicNER ``ner/<topic>/<lang>/*.tsv`` (start, end, mention, lemma, type, id:
  every mention) and BSNLP ``<topic>/annotated/<lang>/*.out`` (form, lemma, type, id: each distinct
  form of a document). Datasets ``*-held`` are the topics held out from tuning (:data:`HELD_OUT`),
  ``*-all`` every topic. Lemmas are compared with typographic variants taken as equal: apostrophes
  (’ ʼ '), ё/е, runs of spaces and quote marks around or inside the name (the gold writes
  "«Госуслуги»" → "Госуслуги" but keeps the quotes of '"Спутник V"').
* ``link:bcubed``: B-cubed precision/recall/F1 of :func:`resolve_document` + :func:`link` on the
  gold mentions with their gold lemmas and types (uk and ru documents together, lang ``uk+ru``),
  against the gold cross-lingual ids; per topic and over all topics linked at once. B-cubed values
  are averages, so the row's counts are scaled: tp = M·P·R, fp = M·(1-P)·R, fn = M·P·(1-R) with
  M = 1000 × mentions, which gives back P and R exactly (n is then not a mention count).

:func:`evaluate_slice` recomputes both on ``eval/slices/names.tsv`` and ``eval/slices/links.tsv``,
small cuts that ship with the repository (sources in their headers).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from eval.common import EvalRow, slice_lines
from litopys.records import Article, Mention, Paragraph
from litopys.stages.linking import MentionRecord, link, records, resolve_document
from litopys.stages.names import name_lemma

#: topics never looked at while tuning names.py and linking.py
HELD_OUT = ("nord_stream", "ryanair")
LANGS = ("uk", "ru")
NAMES_SLICE = "names.tsv"
LINKS_SLICE = "links.tsv"
#: B-cubed counts are in thousandths of a mention (see the module docstring)
BCUBED_SCALE = 1000
_SAME = MappingProxyType(
    str.maketrans({"’": "'", "ʼ": "'", "ё": "е", "Ё": "Е"} | dict.fromkeys('«»"„“”', ""))
)


@dataclass(frozen=True, slots=True)
class GoldMention:
    topic: str
    lang: str
    doc: str
    start: int
    end: int
    form: str
    lemma: str
    type: str
    id: str


def data_dir(shared: Path) -> Path:
    return shared / "data" if (shared / "data").is_dir() else shared


def same_lemma(predicted: str, gold: str) -> bool:
    return " ".join(predicted.translate(_SAME).split()) == " ".join(gold.translate(_SAME).split())


def slavicner(shared: Path) -> Iterator[GoldMention]:
    """Every gold mention of SlavicNER (uk, ru), with its offsets in the raw text."""
    root = data_dir(shared) / "slavicner" / "ner"
    for path in sorted(root.glob("*/*/*.tsv")):
        topic, lang = path.parts[-3], path.parts[-2]
        if lang not in LANGS:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) >= 6 and cols[0].isdigit():
                yield GoldMention(
                    topic, lang, path.stem, int(cols[0]), int(cols[1]), cols[2], cols[3], cols[4], cols[5]
                )


def bsnlp(shared: Path) -> Iterator[GoldMention]:
    """Every annotated line of BSNLP (one per distinct form of a document), without offsets."""
    root = data_dir(shared) / "bsnlp"
    for path in sorted(root.glob("*/annotated/*/*")):
        topic, lang = path.parts[-4], path.parts[-2]
        if lang not in LANGS:
            continue
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            cols = line.split("\t")
            if len(cols) >= 4 and cols[0].strip():
                yield GoldMention(
                    topic,
                    lang,
                    path.stem,
                    0,
                    0,
                    cols[0].strip(),
                    cols[1].strip(),
                    cols[2].strip(),
                    cols[3].strip(),
                )


def lemma_rows(mentions: Iterable[GoldMention], *, dataset: str) -> list[EvalRow]:
    """names:lemma and names:lemma-multi rows per language."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for m in mentions:
        ok = same_lemma(name_lemma(m.form, type=m.type, lang=m.lang), m.lemma)
        tasks = ["names:lemma"] + (["names:lemma-multi"] if len(m.form.split()) > 1 else [])
        for task in tasks:
            counts[(m.lang, task)][0 if ok else 1] += 1
    return [EvalRow(dataset, lang, task, c[0], 0, c[1]) for (lang, task), c in sorted(counts.items())]


def _article(doc: str, lang: str, mentions: list[GoldMention], text: str) -> Article:
    if not text:  # no raw text: one line per mention
        text = "\n".join(m.form for m in mentions)
        offsets, at = [], 0
        for m in mentions:
            offsets.append((at, at + len(m.form)))
            at += len(m.form) + 1
    else:
        offsets = [(m.start, m.end) for m in mentions]
    spans = (
        Mention(s, e, m.form, m.type, lemma=m.lemma) for (s, e), m in zip(offsets, mentions, strict=True)
    )
    return Article(
        id=doc,
        path=doc,
        fmt="txt",
        text=text,
        lang=lang,
        paragraphs=(Paragraph(0, len(text), lang),),
        mentions=tuple(spans),
    )


def linked(mentions: list[GoldMention], raw: Path | None = None) -> list[tuple[str, str]]:
    """(gold id, predicted entity id) per gold mention, documents resolved then linked together."""
    by_doc: dict[tuple[str, str, str], list[GoldMention]] = defaultdict(list)
    for m in mentions:
        by_doc[(m.topic, m.lang, m.doc)].append(m)
    recs: list[MentionRecord] = []
    gold: list[str] = []
    for (topic, lang, doc), ms in sorted(by_doc.items()):
        path = raw / topic / lang / f"{doc}.txt" if raw else None
        text = path.read_text(encoding="utf-8") if path and path.is_file() else ""
        if text and any(m.end > len(text) for m in ms):
            text = ""
        article = resolve_document(_article(f"{topic}/{lang}/{doc}", lang, ms, text))
        recs += records(article)
        gold += [m.id for m in ms]
    result = link(recs)
    return [(g, result.entity_of[r.key]) for g, r in zip(gold, recs, strict=True)]


def bcubed(pairs: list[tuple[str, str]], keep: Iterable[str] | None = None) -> tuple[float, float]:
    """B-cubed (precision, recall) of predicted clusters against gold clusters, item by item.

    With ``keep``, only the items whose gold cluster is in it are averaged, each still against the
    predicted cluster it has among all items (so a merge with an item outside ``keep`` counts).
    """
    by_gold: dict[str, int] = defaultdict(int)
    by_pred: dict[str, int] = defaultdict(int)
    both: dict[tuple[str, str], int] = defaultdict(int)
    for g, p in pairs:
        by_gold[g] += 1
        by_pred[p] += 1
        both[(g, p)] += 1
    wanted = set(keep) if keep is not None else set(by_gold)
    items = [(g, p) for g, p in pairs if g in wanted]
    if not items:
        return 0.0, 0.0
    precision = sum(both[(g, p)] / by_pred[p] for g, p in items) / len(items)
    recall = sum(both[(g, p)] / by_gold[g] for g, p in items) / len(items)
    return precision, recall


def bcubed_row(pairs: list[tuple[str, str]], *, dataset: str, lang: str = "uk+ru") -> EvalRow:
    p, r = bcubed(pairs) if pairs else (0.0, 0.0)
    m = BCUBED_SCALE * len(pairs)
    return EvalRow(
        dataset, lang, "link:bcubed", round(m * p * r), round(m * (1 - p) * r), round(m * p * (1 - r))
    )


def link_rows(mentions: list[GoldMention], *, dataset: str, raw: Path | None = None) -> list[EvalRow]:
    """A link:bcubed row per topic, and one over the topics whose ids are global, linked together.

    The BSNLP 2017 topics (ec, trump) number their entities per topic ("1", "30030"): they count in
    their own rows only.
    """
    by_topic: dict[str, list[GoldMention]] = defaultdict(list)
    for m in mentions:
        by_topic[m.topic].append(m)
    rows = [
        bcubed_row(linked(ms, raw), dataset=f"{dataset}-{topic}") for topic, ms in sorted(by_topic.items())
    ]
    local = {topic for topic, ms in by_topic.items() if sum(m.id.isdigit() for m in ms) * 2 > len(ms)}
    common = [m for m in mentions if m.topic not in local]
    return [*rows, bcubed_row(linked(common, raw), dataset=f"{dataset}-all")]


def evaluate(shared: Path) -> list[EvalRow]:
    """Lemma and linking rows on SlavicNER and BSNLP in ``shared``; [] when they are absent."""
    rows: list[EvalRow] = []
    raw = data_dir(shared) / "slavicner" / "raw"
    for dataset, gold in (("slavicner", list(slavicner(shared))), ("bsnlp", list(bsnlp(shared)))):
        if not gold:
            continue
        rows += lemma_rows((m for m in gold if m.topic in HELD_OUT), dataset=f"{dataset}-held")
        rows += lemma_rows(gold, dataset=f"{dataset}-all")
        rows += link_rows(gold, dataset=dataset, raw=raw if dataset == "slavicner" else None)
    return rows


def evaluate_slice(slices_dir: Path) -> list[EvalRow]:
    """The same rows on the shipped slices in ``slices_dir``; [] for a slice that is absent."""
    rows: list[EvalRow] = []
    names_path = slices_dir / NAMES_SLICE
    if names_path.is_file():
        gold = [
            GoldMention("slice", lang, "", 0, 0, form, lemma, type_, "")
            for form, lang, type_, lemma in slice_lines(names_path)
        ]
        rows += lemma_rows(gold, dataset="slice-names")
    links_path = slices_dir / LINKS_SLICE
    if links_path.is_file():
        gold = [
            GoldMention("slice", lang, f"doc{k}", 0, 0, lemma, lemma, type_, cluster)
            for k, (lemma, lang, type_, cluster) in enumerate(slice_lines(links_path))
        ]
        rows.append(bcubed_row(linked(gold), dataset="slice-links", lang="uk+ru+en"))
    return rows


#: seed forms for names.tsv: (mention, lang, type, lemma), from examples/seeds (the lemmas are ours)
SEED_NAMES = (
    ("Кім Чен Ина", "uk", "PER", "Кім Чен Ин"),
    ("Кім Чен Ином", "uk", "PER", "Кім Чен Ин"),
    ("Кіма", "uk", "PER", "Кім"),
    ("Північної Кореї", "uk", "LOC", "Північна Корея"),
    ("Північною Кореєю", "uk", "LOC", "Північна Корея"),
    ("Курській області", "uk", "LOC", "Курська область"),
    ("Амурській області", "uk", "LOC", "Амурська область"),
    ("Міноборони РФ", "uk", "ORG", "Міноборони РФ"),
    ("Рустемом Умєровим", "uk", "PER", "Рустем Умєров"),
    ("Володимира Путіна", "uk", "PER", "Володимир Путін"),
    ("Володимиру Путіну", "uk", "PER", "Володимир Путін"),
    ("Білоусова", "uk", "PER", "Білоусов"),
    ("Корейської Народно-Демократичної Республіки", "uk", "LOC", "Корейська Народно-Демократична Республіка"),
    ("Ради Безпеки ООН", "uk", "ORG", "Рада Безпеки ООН"),
    ("Республіки Корея", "uk", "LOC", "Республіка Корея"),
    ("Північноатлантичну раду", "uk", "ORG", "Північноатлантична рада"),
    ("Пхеньяні", "uk", "LOC", "Пхеньян"),
    ("космодромі Восточний", "uk", "LOC", "космодром Восточний"),
    ("Дональда Трампа", "uk", "PER", "Дональд Трамп"),
    ("Кіта Келлога", "uk", "PER", "Кіт Келлог"),
    ("Марк Рютте", "uk", "PER", "Марк Рютте"),
    ("Ким Чен Ына", "ru", "PER", "Ким Чен Ын"),
    ("Кима", "ru", "PER", "Ким"),
    ("Северной Кореи", "ru", "LOC", "Северная Корея"),
    ("Владимиром Путиным", "ru", "PER", "Владимир Путин"),
    ("Курской области", "ru", "LOC", "Курская область"),
    ("Южной Корее", "ru", "LOC", "Южная Корея"),
    ("Putin's", "en", "PER", "Putin"),
    ("North Korea", "en", "LOC", "North Korea"),
)
#: seed names for links.tsv: (lemma, lang, type, cluster), the story's entities in uk, ru and en
SEED_LINKS = (
    ("Кім Чен Ин", "uk", "PER", "kim"), ("Ким Чен Ын", "ru", "PER", "kim"), ("Kim Jong Un", "en", "PER", "kim"),
    ("Кім", "uk", "PER", "kim"),
    ("КНДР", "uk", "LOC", "kp"), ("Північна Корея", "uk", "LOC", "kp"), ("Северная Корея", "ru", "LOC", "kp"),
    ("North Korea", "en", "LOC", "kp"), ("КНДР", "ru", "LOC", "kp"),
    ("Корейська Народно-Демократична Республіка", "uk", "LOC", "kp"),
    ("Південна Корея", "uk", "LOC", "kr"), ("Республіка Корея", "uk", "LOC", "kr"), ("Южная Корея", "ru", "LOC", "kr"),
    ("Росія", "uk", "LOC", "ru"), ("Россия", "ru", "LOC", "ru"), ("РФ", "uk", "LOC", "ru"), ("Russia", "en", "LOC", "ru"),
    ("США", "uk", "LOC", "us"), ("Сполучені Штати", "uk", "LOC", "us"), ("США", "ru", "LOC", "us"),
    ("Володимир Путін", "uk", "PER", "putin"), ("Путін", "uk", "PER", "putin"), ("Путин", "ru", "PER", "putin"),
    ("Владимир Путин", "ru", "PER", "putin"), ("Putin", "en", "PER", "putin"),
    ("Андрій Білоусов", "uk", "PER", "belousov"), ("Білоусов", "uk", "PER", "belousov"),
    ("Андрей Белоусов", "ru", "PER", "belousov"), ("Белоусов", "ru", "PER", "belousov"),
    ("Марк Рютте", "uk", "PER", "rutte"), ("Рютте", "uk", "PER", "rutte"), ("Mark Rutte", "en", "PER", "rutte"),
    ("Дональд Трамп", "uk", "PER", "trump"), ("Трамп", "ru", "PER", "trump"), ("Donald Trump", "en", "PER", "trump"),
    ("Володимир Зеленський", "uk", "PER", "zelensky"), ("Владимир Зеленский", "ru", "PER", "zelensky"),
    ("Дмитро Пєсков", "uk", "PER", "peskov"), ("Дмитрий Песков", "ru", "PER", "peskov"),
    ("НАТО", "uk", "ORG", "nato"), ("НАТО", "ru", "ORG", "nato"), ("NATO", "en", "ORG", "nato"),
    ("Рада Безпеки ООН", "uk", "ORG", "unsc"), ("Совбез ООН", "ru", "ORG", "unsc"),
    ("Міноборони РФ", "uk", "ORG", "ru-mod"), ("Минобороны РФ", "ru", "ORG", "ru-mod"),
    ("Міністерство оборони Росії", "uk", "ORG", "ru-mod"), ("Кремль", "uk", "ORG", "kremlin"),
    ("Пхеньян", "uk", "LOC", "pyongyang"), ("Пхеньян", "ru", "LOC", "pyongyang"), ("Pyongyang", "en", "LOC", "pyongyang"),
    ("Сеул", "uk", "LOC", "seoul"), ("Seoul", "en", "LOC", "seoul"),
    ("Курська область", "uk", "LOC", "kursk"), ("Курская область", "ru", "LOC", "kursk"),
)  # fmt: skip


def write_slices(shared: Path, slices_dir: Path, *, per_language: int = 25, linked_ids: int = 12) -> None:
    """(Re)build names.tsv and links.tsv: the seed forms above plus deterministic cuts of SlavicNER.

    names.tsv: ``per_language`` inflected mentions per language (form ≠ lemma, distinct) of the
    held-out topics, picked by content hash; links.tsv: the most frequent uk and ru lemma of the ``linked_ids`` non-place
    entities named most often in both languages (SlavicNER brexit and covid-19).
    """
    from litopys.records import content_id

    gold = list(slavicner(shared))
    picked: list[tuple[str, str, str, str]] = []
    for lang in LANGS:
        forms = sorted(
            {
                (m.form, m.lang, m.type, m.lemma)
                for m in gold
                if m.lang == lang and m.form != m.lemma and m.topic in HELD_OUT
            }
        )
        forms.sort(key=lambda f: content_id("\t".join(f).encode()))
        picked += forms[:per_language]
    by_id: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    types: dict[str, str] = {}
    for m in gold:
        if m.topic in ("brexit", "covid-19") and not m.id.startswith("GPE"):
            by_id[m.id][m.lang][m.lemma] += 1
            types[m.id] = m.type
    both = [i for i, langs in by_id.items() if len(langs) == 2]
    both.sort(key=lambda i: (-min(sum(v.values()) for v in by_id[i].values()), i))
    links = [
        (max(by_id[i][lang], key=lambda x: (by_id[i][lang][x], x)), lang, types[i], i)
        for i in both[:linked_ids]
        for lang in LANGS
    ]
    source = "SlavicNER (github SlavicNLP/SlavicNER, BSNLP 2017-2023 consolidated; research data, cite LREC-COLING 2024)"
    (slices_dir / NAMES_SLICE).write_text(
        "# Name lemmas for eval.entities.evaluate_slice: mention<TAB>lang<TAB>type<TAB>gold lemma.\n"
        "# The first rows: forms from examples/seeds (lemmas ours); the rest: held-out topics (nord_stream,\n"
        "# ryanair) of " + source + ".\n"
        "# Rebuild with eval.entities.write_slices.\n"
        + "".join("\t".join(row) + "\n" for row in (*SEED_NAMES, *picked)),
        encoding="utf-8",
    )
    (slices_dir / LINKS_SLICE).write_text(
        "# Cross-lingual links for eval.entities.evaluate_slice: lemma<TAB>lang<TAB>type<TAB>gold cluster (one\n"
        "# document per line). The first rows: the seed story's entities in uk/ru/en (clusters ours); the rest\n"
        "# the uk and ru lemmas of entities cut from " + source + ".\n"
        "# Rebuild with eval.entities.write_slices.\n"
        + "".join("\t".join(row) + "\n" for row in (*SEED_LINKS, *links)),
        encoding="utf-8",
    )
