"""Quality of event extraction (``litopys.stages.events``).

* ``plover-gsr`` (en): the PLOVER gold standard records (``../shared/data/plover/gold_standard_records``,
  322 English sentences coded with CAMEO → PLOVER, CC BY-SA 4.0). ``events:type``: the PLOVER type of
  the first event found in the sentence against the record's event; tp = right, fp = wrong, fn =
  records without the right type (so P is typing precision, R the share of records typed right).
  The records use the 2016 type names; DEMAND, DISAPPROVE, INVESTIGATE and FIGHT are read as the
  2021 types REQUEST, ACCUSE, ACCUSE and ASSAULT (the CAMEO2PLOVER-2021 table).
* ``events-dev`` (uk, ru): the gold set in ``eval/events_gold`` (guidelines there), event mentions
  in slavicner/bsnlp raw news referenced by file and offsets. Each file is run through the pipeline;
  a gold sentence is found in the clean text by its words. ``events:trigger`` scores event mentions
  (a predicted event matches a gold one when its trigger overlaps the gold trigger), ``events:type``
  the type of matched mentions (tp right, fp wrong; the gold's DEMAND, DISAPPROVE and INVESTIGATE
  are read as REQUEST, ACCUSE and ACCUSE, as for the PLOVER records), ``events:actor``/``events:target``/
  ``events:location`` the role spans of matched mentions (overlap), ``events:date`` the resolved
  date value, ``events:status`` the status, ``events:attribution`` the sources of the chain (overlap).
* ``events-seeds`` (shipped slice ``eval/slices/events_seeds.tsv``): the seed happenings the stage
  must find (type and trigger), with their status and a source of the chain.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from eval.common import EvalRow, slice_lines
from litopys.pipeline import process
from litopys.records import Article, Event, RawDoc

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
GOLD = Path(__file__).resolve().parent / "events_gold" / "gold.jsonl"
#: 2016 gold-record types and their CAMEO2PLOVER-2021 names
GSR_TYPES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}


def _article(
    path: str, data: bytes, *, lang: str | None = None, published: str | None = None
) -> Article | None:
    if lang:
        record: dict[str, Any] = {"text": data.decode("utf-8"), "title": "", "lang": lang}
        raw = RawDoc(path=path + ".jsonl", fmt="json", data=json.dumps(record).encode("utf-8"))
    else:
        raw = RawDoc(path=path, fmt="txt", data=data)
    result = process(raw)
    if not isinstance(result, Article):
        return None
    if published and not result.published:
        from litopys.stages.events import extract

        result = extract(result.evolve(published=published))
    return result


def evaluate_plover(shared: Path) -> list[EvalRow]:
    path = shared / "data" / "plover" / "gold_standard_records" / "PLOVER_GSR_CAMEO.txt"
    if not path.is_file():
        return []
    records = [
        r for r in json.loads(path.read_text(encoding="utf-8")) if r.get("text") and r["event"] != "DOCUMENT"
    ]
    right = wrong = 0
    for record in records:
        article = _article(record["id"], record["text"].encode("utf-8"), lang="en")
        if article is None or not article.events:
            continue
        if article.events[0].plover == GSR_TYPES.get(record["event"], record["event"]):
            right += 1
        else:
            wrong += 1
    return [EvalRow("plover-gsr", "en", "events:type", right, wrong, len(records) - right)]


# --- the dev gold set ------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _locate(clean: str, raw_sentence: str) -> int | None:
    """Offset in the clean text where the raw sentence starts (by exact text, then by its first words)."""
    found = clean.find(raw_sentence.strip())
    if found >= 0:
        return found
    words = _words(raw_sentence)[:6]
    if not words:
        return None
    pattern = r"\W+".join(re.escape(w) for w in words)
    match = re.search(pattern, clean, re.IGNORECASE)
    return match.start() if match else None


def _shifted(shift: int, values: list[list[int]]) -> list[tuple[int, int]]:
    return [(a + shift, b + shift) for a, b in values]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _role_counts(gold: list[tuple[int, int]], found: list[tuple[int, int]], counts: list[int]) -> None:
    matched = sum(any(_overlap(g, f) for f in found) for g in gold)
    counts[0] += matched
    counts[1] += sum(not any(_overlap(f, g) for g in gold) for f in found)
    counts[2] += len(gold) - matched


def evaluate_gold(shared: Path, gold_path: Path = GOLD) -> list[EvalRow]:
    if not gold_path.is_file() or not (shared / "data").is_dir():
        return []
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in gold:
        by_file[item["file"]].append(item)
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for file, items in sorted(by_file.items()):
        path = shared / "data" / file
        raw_text = path.read_text(encoding="utf-8")
        article = _article(file, raw_text.encode("utf-8"))
        if article is None:
            continue
        lang = items[0]["lang"]
        used: set[int] = set()
        gold_sentences = set()
        for item in items:
            s0, s1 = item["sentence"]
            offset = _locate(article.text, raw_text[s0:s1])
            if offset is None:
                counts[(lang, "events:trigger")][2] += 1
                continue
            shift = offset - s0
            gold_sentences.add((offset, offset + s1 - s0))
            trigger = (item["trigger"][0] + shift, item["trigger"][1] + shift)
            match = next(
                (
                    i
                    for i, e in enumerate(article.events)
                    if i not in used and _overlap(trigger, (e.trigger_start, e.trigger_end))
                ),
                None,
            )
            if match is None:
                counts[(lang, "events:trigger")][2] += 1
                continue
            used.add(match)
            event: Event = article.events[match]
            counts[(lang, "events:trigger")][0] += 1
            type_row = counts[(lang, "events:type")]
            gold_type = GSR_TYPES.get(item["type"], item["type"])
            right = gold_type in (event.type, event.plover)
            type_row[0 if right else 1] += 1
            type_row[2] += 0 if right else 1

            _role_counts(
                _shifted(shift, item["actors"]),
                [(r.start, r.end) for r in event.actors],
                counts[(lang, "events:actor")],
            )
            _role_counts(
                _shifted(shift, item["targets"]),
                [(r.start, r.end) for r in event.targets],
                counts[(lang, "events:target")],
            )
            _role_counts(
                _shifted(shift, [item["location"]] if item["location"] else []),
                [(event.location.start, event.location.end)] if event.location else [],
                counts[(lang, "events:location")],
            )
            date_row = counts[(lang, "events:date")]
            gold_date = (item.get("date") or {}).get("value")
            found_date = event.date_start
            if gold_date and found_date:
                date_row[0 if found_date.startswith(gold_date) else 1] += 1
                date_row[2] += 0 if found_date.startswith(gold_date) else 1
            elif gold_date:
                date_row[2] += 1
            elif found_date:
                date_row[1] += 1
            status_row = counts[(lang, "events:status")]
            status_row[0 if event.status == item["status"] else 1] += 1
            status_row[2] += 0 if event.status == item["status"] else 1
            sources = [raw_text[a:b] for a, b in item["attribution"]]
            found_sources = list(event.attributed_to)
            attribution = counts[(lang, "events:attribution")]
            hit = sum(
                any(s.lower() in f.lower() or f.lower() in s.lower() for f in found_sources) for s in sources
            )
            attribution[0] += hit
            attribution[2] += len(sources) - hit
            attribution[1] += sum(
                not any(s.lower() in f.lower() or f.lower() in s.lower() for s in sources)
                for f in found_sources
            )
        # events the stage found in annotated sentences that match no gold mention
        for i, e in enumerate(article.events):
            if i not in used and any(a <= e.trigger_start < b for a, b in gold_sentences):
                counts[(lang, "events:trigger")][1] += 1
    return [EvalRow("events-dev", lang, task, *c) for (lang, task), c in sorted(counts.items())]


def evaluate(shared: Path) -> list[EvalRow]:
    return evaluate_plover(shared) + evaluate_gold(shared)


def evaluate_slice(slices_dir: Path) -> list[EvalRow]:
    path = slices_dir / "events_seeds.tsv"
    if not path.is_file() or not SEEDS.is_dir():
        return []
    articles = {}
    for seed in sorted(SEEDS.glob("*.txt")):
        article = _article(seed.name, seed.read_bytes())
        if article is not None:
            articles[seed.name[:3]] = article
    found = status = attribution = 0
    total = with_source = 0
    for prefix, type_, trigger, expected_status, source in slice_lines(path):
        total += 1
        article = articles[prefix]
        events = [
            e
            for e in article.events
            if e.type == type_ and article.text[e.trigger_start : e.trigger_end] == trigger
        ]
        if not events:
            continue
        found += 1
        status += events[0].status == expected_status
        if source != "-":
            with_source += 1
            attribution += any(source in link for link in events[0].attributed_to)
    with_source = with_source or 1
    return [
        EvalRow("events-seeds", "uk+ru", "events:found", found, 0, total - found),
        EvalRow("events-seeds", "uk+ru", "events:status", status, found - status, total - status),
        EvalRow(
            "events-seeds",
            "uk+ru",
            "events:attribution",
            attribution,
            0,
            sum(1 for r in slice_lines(path) if r[4] != "-") - attribution,
        ),
    ]


if __name__ == "__main__":
    import sys

    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared")
    for row in evaluate(shared) + evaluate_slice(ROOT / "eval" / "slices"):
        print(
            f"{row.dataset:14} {row.lang:6} {row.task:20} P {row.precision:.3f} R {row.recall:.3f} F1 {row.f1:.3f}  n={row.n}"
        )
