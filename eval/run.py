"""`make eval`: quality tables per dataset, language and task.

Reads ../shared/data when present (``--shared``); always evaluates the slices that ship in
``eval/slices`` and checks them against the floors pinned in ``eval/floors.json`` (the same check
runs in the test suite, so quality cannot silently drop).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from eval.common import EvalRow

SLICES = Path(__file__).resolve().parent / "slices"
FLOORS = Path(__file__).resolve().parent / "floors.json"
#: evaluation modules, each with evaluate(shared) and evaluate_slice(slices_dir)
MODULES = (
    "eval.cleaning",
    "eval.language",
    "eval.nlp",
    "eval.entities",
    "eval.ner",
    "eval.stories",
    "eval.events",
    "eval.search",
)


def slice_rows() -> list[EvalRow]:
    rows: list[EvalRow] = []
    for name in MODULES:
        rows += importlib.import_module(name).evaluate_slice(SLICES)
    return rows


def shared_rows(shared: Path) -> list[EvalRow]:
    rows: list[EvalRow] = []
    for name in MODULES:
        started = time.perf_counter()
        found = importlib.import_module(name).evaluate(shared)
        print(f"  {name}: {len(found)} rows in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        rows += found
    return rows


def key(row: EvalRow) -> str:
    return f"{row.dataset}/{row.lang}/{row.task}"


def below_floors(rows: Iterable[EvalRow], floors: dict[str, dict[str, float]]) -> list[str]:
    """Messages for every pinned metric that a row falls below (or a pinned row that is missing)."""
    by_key = {key(r): r for r in rows}
    problems = []
    for name, metrics in floors.items():
        row = by_key.get(name)
        if row is None:
            problems.append(f"{name}: pinned in floors.json but not evaluated")
            continue
        for metric, floor in metrics.items():
            value = getattr(row, metric)
            if value + 1e-9 < floor:
                problems.append(f"{name}: {metric} {value:.4f} < floor {floor:.4f}")
    return problems


def pin(rows: list[EvalRow]) -> None:
    """Raise the floors to the current slice scores (rounded down); a floor is never lowered."""
    floors = json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.exists() else {}
    for row in rows:
        current = floors.setdefault(key(row), {})
        for metric in ("precision", "recall", "f1"):
            value = int(getattr(row, metric) * 1000) / 1000
            current[metric] = max(current.get(metric, 0.0), value)
    FLOORS.write_text(json.dumps(floors, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"pinned {len(floors)} floors in {FLOORS}")


def table(rows: list[EvalRow]) -> str:
    head = f"{'dataset':16} {'lang':6} {'task':30} {'P':>7} {'R':>7} {'F1':>7} {'n':>7}"
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r.dataset:16} {r.lang:6} {r.task:30} {r.precision:7.3f} {r.recall:7.3f} {r.f1:7.3f} {r.n:7d}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--pin", action="store_true", help="raise eval/floors.json to today's slice scores")
    args = parser.parse_args()
    rows = slice_rows()
    if args.pin:
        pin(rows)
    print("Shipped slices (eval/slices, gated by eval/floors.json):")
    print(table(rows))
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    problems = below_floors(rows, floors)
    if (args.shared / "data").is_dir():
        print(f"\nShared datasets ({args.shared / 'data'}):")
        print(table(shared_rows(args.shared)))
    else:
        print(f"\n{args.shared / 'data'} not found: shared-dataset tables skipped.")
    for problem in problems:
        print(f"BELOW FLOOR: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
