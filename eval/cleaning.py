"""Cleaning quality.

- seeds (ships with the repo, the CI gate): line-level precision/recall/F1 of furniture removal
  against the hand-checked gold in ``eval/slices/clean_seeds.json`` (positive = a furniture line).
- brown-uk-press (../shared): clean press texts with no furniture; the "keep" row is the share of
  their lines the cleaner keeps (every removal there is a false positive).
- slavicner (../shared): scraped pages with gold entity mentions; the "mentions kept" row is the
  share of annotated mentions found in the raw page that survive cleaning (a proxy for "every
  article sentence kept" on data the rules were not written from).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from eval.common import EvalRow
from litopys.errors import LitopysError
from litopys.records import Article
from litopys.stages.clean import clean, line_key, normalize_line

ROOT = Path(__file__).resolve().parents[1]


def _clean_text(text: str, path: str = "x.txt") -> Article | None:
    try:
        return clean(Article(id="x", path=path, fmt="txt", text=text))
    except LitopysError:
        return None


def evaluate_slice(slices_dir: Path) -> list[EvalRow]:
    gold = json.loads((slices_dir / "clean_seeds.json").read_text(encoding="utf-8"))["seeds"]
    tp = fp = fn = 0
    titles = 0
    for name, expected in gold.items():
        text = (ROOT / "examples" / "seeds" / name).read_text(encoding="utf-8")
        article = _clean_text(text)
        kept = article.body.split("\n") if article else []
        kept_keys = {line_key(line) for line in kept}
        titles += article is not None and article.title == expected["title"]
        lines = [normalize_line(line) for line in text.split("\n") if line.strip()]
        for line in lines[1:]:
            furniture = not any(line.startswith(prefix) for prefix in expected["keep"])
            removed = line_key(line) not in kept_keys and not any(
                k.startswith(line_key(line)[:40]) for k in kept_keys
            )
            tp += furniture and removed
            fp += removed and not furniture
            fn += furniture and not removed
    return [
        EvalRow("seeds", "uk+ru", "clean:furniture-lines", tp, fp, fn),
        EvalRow("seeds", "uk+ru", "clean:title", titles, len(gold) - titles, len(gold) - titles),
    ]


def evaluate(shared: Path) -> list[EvalRow]:
    rows: list[EvalRow] = []
    brown = shared / "data" / "brown-uk-press"
    if brown.is_dir():
        kept = lost = 0
        for path in sorted(brown.glob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            lines = [normalize_line(line) for line in text.split("\n") if line.strip()]
            article = _clean_text(text)
            clean_text = article.text if article else ""
            for line in lines:
                if line in clean_text:
                    kept += 1
                else:
                    lost += 1
        rows.append(EvalRow("brown-uk-press", "uk", "clean:keep-article-lines", kept, 0, lost))
    slavic = shared / "data" / "slavicner"
    for lang in ("uk", "ru"):
        kept = lost = 0
        for raw in sorted((slavic / "raw").glob(f"*/{lang}/*.txt")):
            ann = slavic / "ner" / raw.parent.parent.name / lang / (raw.stem + ".tsv")
            if not ann.exists():
                continue
            text = raw.read_text(encoding="utf-8", errors="replace")
            article = _clean_text(text)
            clean_text = article.text if article else ""
            text = " ".join(text.split())  # mentions are compared with white space collapsed
            with ann.open(encoding="utf-8") as fh:
                for row in csv.reader(fh, delimiter="\t"):
                    if len(row) < 3 or not row[0].isdigit():
                        continue
                    mention = " ".join(row[2].split())
                    if mention in text:
                        kept += mention in clean_text
                        lost += mention not in clean_text
        if kept + lost:
            rows.append(EvalRow("slavicner", lang, "clean:mentions-kept", kept, 0, lost))
    rows += _boilerplate_rows(slavic / "raw")
    return rows


def _boilerplate_rows(raw_dir: Path) -> list[EvalRow]:
    """Recall of cross-page boilerplate: a line found in 3+ pages of one topic and language is
    taken as template furniture (related-content carousels, consent banners); the row is the share
    of its occurrences the per-page cleaner removes. A known weakness of per-page rules."""
    rows = []
    for lang in ("uk", "ru"):
        pages = sorted(raw_dir.glob(f"*/{lang}/*.txt"))
        texts = [p.read_text(encoding="utf-8", errors="replace") for p in pages]
        seen: dict[str, int] = {}
        for text in texts:
            for line in {normalize_line(line) for line in text.split("\n")}:
                if len(line) >= 20:
                    seen[line] = seen.get(line, 0) + 1
        boiler = {line for line, count in seen.items() if count >= 3}
        removed = kept = 0
        for text in texts:
            article = _clean_text(text)
            body = set(article.body.split("\n")) if article else set()
            for line in {normalize_line(line) for line in text.split("\n")} & boiler:
                kept += line in body
                removed += line not in body
        if boiler:
            rows.append(EvalRow("slavicner", lang, "clean:boilerplate-removed", removed, 0, kept))
    return rows
