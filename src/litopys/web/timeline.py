"""The geometry of the timeline of a story or an entity: its canonical events as marks on a time axis.

Dated events sit in the upper lane at the date they happened (a bar for a month or a range, a dot for
a day); undated ones in the lower lane, hollow, at their first report. Marks that would overlap are
stacked. The template draws the SVG (escaped by Jinja) from these numbers; each mark links to its
event, so the chart works without JavaScript.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = ["Mark", "Timeline", "layout", "parse_day"]

WIDTH = 960
#: side margins of the plot, in viewBox units
MARGIN = 28
RADIUS = 6
#: vertical distance between stacked marks
PITCH = 15
#: stacked rows per lane at most (beyond, marks overlap)
MAX_ROWS = 12
#: height of a lane's caption above its marks
CAPTION = 20
AXIS = 30


@dataclass(frozen=True, slots=True)
class Mark:
    id: str
    type: str
    #: CSS colour class of the type ("c0" … "c8", "cx")
    colour: str
    x: float
    y: float
    #: bar width (0 for a dot)
    width: float
    hollow: bool
    label: str
    off: bool = False


@dataclass(slots=True)
class Timeline:
    width: int = WIDTH
    height: int = 0
    marks: list[Mark] = field(default_factory=list)
    #: (y of the caption baseline, caption key: "occurred" or "reported")
    lanes: list[tuple[float, str]] = field(default_factory=list)
    #: (x, label) of the axis ticks
    ticks: list[tuple[float, str]] = field(default_factory=list)
    axis_y: float = 0.0


def parse_day(value: str | None, *, end: bool = False) -> int | None:
    """An ISO date, month or year as a day number (its first day, or its last with ``end``)."""
    if not value:
        return None
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else (12 if end else 1)
        day = int(parts[2][:2]) if len(parts) > 2 else (calendar.monthrange(year, month)[1] if end else 1)
        return date(year, month, day).toordinal()
    except (ValueError, IndexError):
        return None


def _ticks(first: int, last: int, x_of: Any) -> list[tuple[float, str]]:
    """Calendar-aligned ticks (days, months or years) between two day numbers, about ten at most."""
    start, end = date.fromordinal(first), date.fromordinal(last)
    span = last - first
    ticks: list[tuple[float, str]] = []
    if span <= 70:
        step = next(s for s in (1, 2, 7, 14) if span / s <= 10)
        for d in range(first, last + 1):
            if (d - first) % step == 0:
                ticks.append((x_of(d), date.fromordinal(d).isoformat()))
        return ticks
    months = (end.year - start.year) * 12 + end.month - start.month
    if months <= 48:
        step = next(s for s in (1, 2, 3, 6, 12) if months / s <= 10)
        index = start.year * 12 + start.month  # the first whole month after the start
        while index <= end.year * 12 + end.month - 1:
            year, month = divmod(index, 12)
            if month % step == 0:
                day = date(year, month + 1, 1).toordinal()
                if first <= day <= last:
                    ticks.append((x_of(day), f"{year:04d}-{month + 1:02d}" if step < 12 else f"{year:04d}"))
            index += 1
        return ticks
    years = end.year - start.year
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if years / s <= 10)
    for year in range(start.year + 1, end.year + 1):
        if year % step == 0:
            ticks.append((x_of(date(year, 1, 1).toordinal()), f"{year:04d}"))
    return ticks


def layout(
    events: Sequence[Mapping[str, Any]],
    *,
    colours: Mapping[str, str],
    labels: Mapping[str, str],
    off: frozenset[str] = frozenset(),
) -> Timeline | None:
    """The timeline of ``events`` (``list_events``-like dicts), or None when none has a date at all.

    ``colours`` maps an event type to its colour class; ``labels`` an event id to its tooltip; events
    whose type is in ``off`` are drawn dimmed.
    """
    placed: list[tuple[int, int, int, Mapping[str, Any]]] = []  # (lane, first day, last day, event)
    for ev in events:
        start = parse_day(ev["date"]["start"])
        if start is not None:
            stop = parse_day(ev["date"]["end"], end=True) or start
            placed.append((0, start, max(start, stop), ev))
            continue
        reported = parse_day(ev.get("first_reported"))
        if reported is not None:
            placed.append((1, reported, reported, ev))
    if not placed:
        return None
    first = min(p[1] for p in placed)
    last = max(p[2] for p in placed)
    pad = max(int((last - first) * 0.03), 10)
    first, last = first - pad, last + pad
    plot = WIDTH - 2 * MARGIN

    def x_of(day: float) -> float:
        return MARGIN + plot * (day - first) / (last - first)

    timeline = Timeline()
    y = 8.0
    for lane, caption in ((0, "occurred"), (1, "reported")):
        marks = sorted((p for p in placed if p[0] == lane), key=lambda p: (p[1], p[2], p[3]["id"]))
        if not marks:
            continue
        timeline.lanes.append((y + 12, caption))
        rows: list[float] = []  # the right edge of the last mark of each stacked row
        row_of: list[tuple[int, float, float, Mapping[str, Any]]] = []
        for _, a, b, ev in marks:
            x0, x1 = x_of(a), x_of(b + 1 if b > a else b)
            width = x1 - x0 if x1 - x0 > 2 * RADIUS else 0.0
            left, right = (x0, x1) if width else (x0 - RADIUS, x0 + RADIUS)
            row = next((i for i, edge in enumerate(rows) if edge + 2 <= left), None)
            if row is None:
                if len(rows) < MAX_ROWS:
                    row = len(rows)
                    rows.append(right)
                else:
                    row = min(range(len(rows)), key=lambda i: rows[i])
            rows[row] = max(rows[row], right)
            row_of.append((row, x0, width, ev))
        base = y + CAPTION + RADIUS + (len(rows) - 1) * PITCH
        for row, x0, width, ev in row_of:
            timeline.marks.append(
                Mark(
                    id=ev["id"],
                    type=ev["type"],
                    colour=colours.get(ev["type"], "cx"),
                    x=round(x0, 1),
                    y=round(base - row * PITCH, 1),
                    width=round(width, 1),
                    hollow=lane == 1,
                    label=labels.get(ev["id"], ev["id"]),
                    off=ev["type"] in off,
                )
            )
        y = base + RADIUS + 10
    timeline.axis_y = y + 4
    timeline.ticks = _ticks(first, last, x_of)
    timeline.height = round(timeline.axis_y + AXIS)
    return timeline
