"""The quality gate: the evaluation slices that ship in eval/slices must stay at or above the
floors pinned in eval/floors.json (raise a floor when quality improves; never lower one silently)."""

from __future__ import annotations

import json

from eval.run import FLOORS, below_floors, key, slice_rows


def test_quality_gate_slices_meet_floors() -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    rows = slice_rows()
    assert floors, "eval/floors.json pins nothing"
    assert set(floors) <= {key(r) for r in rows}
    assert below_floors(rows, floors) == []


def test_quality_gate_detects_a_drop() -> None:
    rows = slice_rows()
    raised = {key(r): {"f1": r.f1 + 0.01} for r in rows if r.f1 < 1.0}
    raised |= {key(r): {"recall": 1.01} for r in rows if r.f1 >= 1.0}
    assert len(below_floors(rows, raised)) == len(rows)
