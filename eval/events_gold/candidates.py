"""List candidate event sentences in the raw news with their offsets (a helper for extending gold.jsonl).

Prints to standard output only: the raw text must never be written into the repository (dataset
licences, see GUIDELINES.md). The sentence splitter here is the one the gold sentence spans were
taken from (a span was corrected by hand where the scraped text glues two sentences together).

Usage (stdlib only)::

    python eval/events_gold/candidates.py 'slavicner/raw/brexit/uk/*.txt' [--min-hits 1] [--data ../shared/data]

Each listed sentence shows ``[start,end]`` (Python str offsets into the file read with
``open(path, encoding="utf-8").read()``), ``+S`` when it has a source cue, the matched trigger words,
and the sentence. For bsnlp files the four header lines (id, language, date, URL) are skipped; the
publication date of a slavicner file is the DATE line of the same-named bsnlp file.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parents[1].parent / "shared" / "data"

#: a full stop after these is not a sentence end (initials, uk/ru abbreviations)
ABBR = re.compile(
    r"(?:\b[А-ЯІЇЄҐЁA-Z]|\bр|\bрр|\bг|\bгг|\bт|\bст|\bим|\bтис|\bтыс|\bмлн|\bмлрд|\bін|\bпр|\bвул|\bул|\bд|\bн|\bо"
    r"|\bт\.е|\bт\.ч|\bт\.д|\bс|\bп)\.$"
)
END = re.compile(r'[.!?…]+["»”)]*(?=\s+["«„“(]?[A-ZА-ЯІЇЄҐЁ0-9–—-])')

#: stems of words that often express a happening of one of the event types (uk and ru)
STEMS = (
    "візит|відвіда|прибу|визит|посети|посещ|прибыл|зустр|саміт|перегов|встреч|саммит|переговор|підпис|подпис|"
    "удар|обстріл|атак|бомб|вибух|взрыв|обстрел|напад|загин|помер|вбит|поранен|погиб|умер|ранен|убит|жертв|"
    "ракет|військ|войск|розміст|размест|переброс|санкц|висил|высыл|заморож|зброї|зброю|оруж|поставк|постач|"
    "допомог|помощ|передал|передав|виділ|выдел|гуманітар|гуманитар|протест|страйк|забастов|мітинг|митинг|"
    "демонстра|затрима|заарешт|арешт|задерж|арест|заборон|запрет|конфіск|вирок|приговор|засуд|осуд|закли|"
    "призв|попрос|просит|вимаг|требова|звернул|обрати|звинува|обвин|погроз|пригроз|угрож|відмов|отказ|"
    "відхил|отклон|заблок|телефон|розмов|разговор|консульт|обговор|обсуд|підтрим|поддерж|схвал|одобр|привіт|"
    "поздрав|співпрац|сотруднич|погодил|погодж|соглас|домовил|договорил|розслід|расслед|слідств|следств|"
    "критик|вывод|вивед|поступ|уступ|заперечу|заперечи|спросту|опроверг|отрица|евакуа|эвакуа|скасу|отмен|"
    "депорт|вислал|выслал|штраф|оштраф|відставк|отставк"
)
TRIGGER = re.compile(r"\b\w*(?:" + STEMS + r")\w*", re.IGNORECASE)
SOURCE = re.compile(
    r"повідом|за словами|заяви|заявл|посилан|ссылк|по словам|по данным|за даними|передає|сообщ|пише|пишет|"
    r"информир|інформу|підтверди|подтверди|зазначи|отметил",
    re.IGNORECASE,
)


def sentences(text: str, skip_header: bool = False) -> list[tuple[int, int]]:
    """Sentence spans: every line is split at sentence-final punctuation before a capital or digit."""
    spans = []
    offset = 0
    for i, line in enumerate(text.split("\n")):
        line_start = offset
        offset += len(line) + 1
        if skip_header and i < 4:
            continue
        start = 0
        for m in END.finditer(line):
            if m.group() == "." and ABBR.search(line[: m.end()]):
                continue
            piece = line[start : m.end()]
            if piece.strip():
                spans.append((line_start + start + len(piece) - len(piece.lstrip()), line_start + m.end()))
            start = m.end()
        piece = line[start:]
        if piece.strip():
            a = start + len(piece) - len(piece.lstrip())
            spans.append((line_start + a, line_start + start + len(piece.rstrip())))
    return spans


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="List candidate event sentences with offsets (stdout only).")
    ap.add_argument("pattern", help="glob relative to the data folder, e.g. 'bsnlp/ec/raw/uk/*.txt'")
    ap.add_argument("--min-hits", type=int, default=1)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    for path in sorted(args.data.glob(args.pattern)):
        rel = path.relative_to(args.data).as_posix()
        text = path.open(encoding="utf-8").read()
        rows = []
        for a, b in sentences(text, skip_header=rel.startswith("bsnlp/")):
            sent = text[a:b]
            hits = [m.group() for m in TRIGGER.finditer(sent)]
            if len(hits) >= args.min_hits and len(sent) < 500:
                cue = "+S" if SOURCE.search(sent) else ""
                rows.append(f"  [{a},{b}]{cue} {{{','.join(hits)}}} {sent}")
        if rows:
            print(f"## {rel} ({len(text)} chars)")
            print("\n".join(rows))


if __name__ == "__main__":
    main()
