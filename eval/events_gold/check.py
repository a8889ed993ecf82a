"""Check the event-mention gold set (gold.jsonl) against the raw news it points into.

The gold file holds offsets only (plus a quote of at most 60 characters); the text is read at run time
from ``../shared/data`` (see GUIDELINES.md). For every annotation this script checks that the file
exists and reads as UTF-8, that the sentence span lies in the file, that every other span (trigger,
actors, targets, location, object, date, attribution) is non-empty, has no outer whitespace and lies
inside the sentence, that type, status, language and date value are well formed, and that the quote
is found around the trigger. It prints each annotation with its span texts (unless ``--quiet``) and
the counts per language, topic, type and status; it exits with status 1 when it found a problem.

Usage (stdlib only)::

    python eval/events_gold/check.py [--gold eval/events_gold/gold.jsonl] [--data ../shared/data] [--quiet]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: /work/main/eval/events_gold -> /work/main/../shared/data
DEFAULT_DATA = HERE.parents[1].parent / "shared" / "data"

#: type -> PLOVER parent (a PLOVER type is its own parent); see GUIDELINES.md
TYPES = {
    "ARMS_TRANSFER": "AID",
    "TROOP_DEPLOYMENT": "MOBILIZE",
    "VISIT": "CONSULT",
    "SUMMIT": "CONSULT",
    "TREATY_SIGNING": "SUPPORT",
    "MISSILE_LAUNCH": "MOBILIZE",
    "STRIKE": "ASSAULT",
    "CASUALTY_REPORT": "ASSAULT",
    **{
        t: t
        for t in (
            "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "REQUEST", "ACCUSE", "REJECT", "THREATEN",
            "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "DEMAND", "DISAPPROVE", "INVESTIGATE",
            "RETREAT", "CONCEDE",
        )
    },
}  # fmt: skip
STATUSES = {"reported", "confirmed", "denied", "planned", "feared", "alleged"}
GRANULARITY = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}
KEYS = {
    "file", "lang", "sentence", "trigger", "type", "actors", "targets", "location", "object", "date",
    "status", "attribution", "quote",
}  # fmt: skip
QUOTE_MAX = 60


def topic_of(rel: str) -> str:
    """slavicner/raw/<topic>/<lang>/… or bsnlp/<topic>/raw/<lang>/…"""
    parts = rel.split("/")
    return parts[2] if parts[0] == "slavicner" else parts[1]


def lang_of(rel: str) -> str:
    parts = rel.split("/")
    return parts[3]


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def check_record(rec: dict, text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Problems of one record and the (role, span text) pairs to print."""
    problems: list[str] = []
    shown: list[tuple[str, str]] = []
    missing = KEYS - rec.keys()
    extra = rec.keys() - KEYS
    if missing:
        problems.append(f"missing keys {sorted(missing)}")
    if extra:
        problems.append(f"unknown keys {sorted(extra)}")
    if missing:
        return problems, shown
    if rec["lang"] not in ("uk", "ru") or rec["lang"] != lang_of(rec["file"]):
        problems.append(f"lang {rec['lang']!r} does not match the path")
    if rec["type"] not in TYPES:
        problems.append(f"unknown type {rec['type']!r}")
    if rec["status"] not in STATUSES:
        problems.append(f"unknown status {rec['status']!r}")

    def is_span(x: object) -> bool:
        return isinstance(x, list) and len(x) == 2 and all(isinstance(i, int) for i in x)

    sent = rec["sentence"]
    if not is_span(sent) or not 0 <= sent[0] < sent[1] <= len(text):
        problems.append(f"sentence {sent!r} is not a span inside the file ({len(text)} chars)")
        return problems, shown
    stext = text[sent[0] : sent[1]]
    if stext != stext.strip():
        problems.append("sentence span has outer whitespace")
    shown.append(("sentence", stext))

    def span(role: str, x: object) -> None:
        if not is_span(x):
            problems.append(f"{role}: {x!r} is not [start, end]")
            return
        a, b = x  # type: ignore[misc]
        if not sent[0] <= a < b <= sent[1]:
            problems.append(f"{role}: {x!r} empty or outside the sentence {sent!r}")
            return
        piece = text[a:b]
        if piece != piece.strip() or not piece.strip():
            problems.append(f"{role}: {piece!r} has outer whitespace")
        shown.append((role, piece))

    span("trigger", rec["trigger"])
    if is_span(rec["trigger"]) and re.search(r"\s", text[rec["trigger"][0] : rec["trigger"][1]]):
        problems.append("trigger is more than one word")
    for role in ("actors", "targets", "location", "object", "attribution"):
        if role in ("location", "object"):
            if rec[role] is not None:
                span(role, rec[role])
            continue
        if not isinstance(rec[role], list):
            problems.append(f"{role} is not a list")
            continue
        for x in rec[role]:
            span(role[:-1] if role != "attribution" else "source", x)
    date = rec["date"]
    if date is not None:
        if not isinstance(date, dict) or set(date) != {"span", "value", "granularity"}:
            problems.append(f"date {date!r} is not {{span, value, granularity}}")
        else:
            span("date", date["span"])
            g, value = date["granularity"], date["value"]
            if value is None or g is None:
                # an expression the text does not let us resolve: value and granularity both null
                if value is not None or g is not None:
                    problems.append("date value and granularity must be both set or both null")
            elif g not in GRANULARITY:
                problems.append(f"date granularity {g!r}")
            elif not re.fullmatch(GRANULARITY[g], str(value)):
                problems.append(f"date value {value!r} does not fit granularity {g}")
            shown.append(("date value", f"{value} ({g})"))
    quote = rec["quote"]
    if not isinstance(quote, str) or not 0 < len(quote) <= QUOTE_MAX:
        problems.append(f"quote is not a string of 1..{QUOTE_MAX} characters")
    else:
        if squash(quote) not in squash(stext):
            problems.append("quote not found in the sentence")
        if is_span(rec["trigger"]) and text[rec["trigger"][0] : rec["trigger"][1]] not in quote:
            problems.append("quote does not contain the trigger")
    return problems, shown


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=HERE / "gold.jsonl")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--quiet", action="store_true", help="print only problems and counts")
    args = ap.parse_args(argv)

    texts: dict[str, str | None] = {}
    seen: set[tuple[str, int, int]] = set()
    n_problems = 0
    counts: dict[str, Counter[str]] = {k: Counter() for k in ("lang", "topic", "type", "status", "lang/type")}
    files: set[str] = set()
    with_source = with_date = 0
    lines = args.gold.read_text(encoding="utf-8").splitlines()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            print(f"line {lineno}: not JSON ({e})")
            n_problems += 1
            continue
        rel = rec.get("file", "")
        if rel not in texts:
            path = args.data / rel
            try:
                texts[rel] = path.open(encoding="utf-8").read()
            except (OSError, UnicodeDecodeError) as e:
                texts[rel] = None
                print(f"line {lineno}: cannot read {path}: {e}")
        text = texts[rel]
        if text is None:
            n_problems += 1
            continue
        problems, shown = check_record(rec, text)
        key = (rel, *(rec.get("trigger") or [0, 0]))
        if key in seen:
            problems.append("duplicate trigger (same file and trigger span)")
        seen.add(key)
        if not args.quiet or problems:
            print(f"--- line {lineno}: {rel}  {rec.get('type')} / {rec.get('status')}")
            for role, piece in shown:
                print(f"    {role:10} {squash(piece)}")
        for p in problems:
            print(f"  PROBLEM line {lineno}: {p}")
        n_problems += len(problems)
        if not problems:
            files.add(rel)
            counts["lang"][rec["lang"]] += 1
            counts["topic"][topic_of(rel)] += 1
            counts["type"][rec["type"]] += 1
            counts["status"][rec["status"]] += 1
            counts["lang/type"][f"{rec['lang']} {rec['type']}"] += 1
            with_source += bool(rec["attribution"])
            with_date += rec["date"] is not None

    total = sum(counts["lang"].values())
    print(f"\n{total} valid annotations in {len(files)} files; {n_problems} problem(s)")
    print(f"with an attribution chain: {with_source}; with a date: {with_date}")
    for name in ("lang", "topic", "type", "status"):
        print(
            f"{name}: "
            + ", ".join(f"{k} {v}" for k, v in sorted(counts[name].items(), key=lambda kv: (-kv[1], kv[0])))
        )
    by_lang = {
        lang: ", ".join(
            f"{k.split()[1]} {v}" for k, v in sorted(counts["lang/type"].items()) if k.startswith(lang + " ")
        )
        for lang in ("uk", "ru")
    }
    for lang, row in by_lang.items():
        print(f"{lang} types: {row}")
    return 1 if n_problems else 0


if __name__ == "__main__":
    sys.exit(main())
