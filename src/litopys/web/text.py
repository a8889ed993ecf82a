"""Highlighted text without markup in the data: a text and offset spans become plain segments that the
templates render, each escaped by Jinja (article text is never marked safe).

A span is a name (linked to its entity), an event trigger (linked to its event) or a search hit; the
*cited* range (a source sentence) is a layer above them: the segments are grouped in :class:`Run` s,
cited or not, so that the template wraps a cited run in one ``<mark>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

__all__ = ["Run", "Segment", "Span", "highlight", "runs"]


@dataclass(frozen=True, slots=True)
class Span:
    """A marked range of a text: ``start``/``end`` are character offsets into it."""

    start: int
    end: int
    #: "entity", "trigger" or "hit" (the template's element and CSS class)
    kind: str
    href: str | None = None
    #: a tooltip (the entity's name and type, the event's type)
    title: str = ""
    #: extra CSS classes ("ent-PER")
    cls: str = ""


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of text, marked by a span (``kind`` set) or plain (``kind`` empty)."""

    text: str
    kind: str = ""
    href: str | None = None
    title: str = ""
    cls: str = ""


@dataclass(slots=True)
class Run:
    """Consecutive segments inside (``cited``) or outside the cited range."""

    cited: bool
    segments: list[Segment] = field(default_factory=list)


def _flat(spans: Iterable[Span], start: int, end: int) -> list[Span]:
    """The spans clipped to [start, end), without overlaps: the earlier (then the longer) span wins."""
    clipped = [
        Span(max(s.start, start), min(s.end, end), s.kind, s.href, s.title, s.cls)
        for s in spans
        if s.end > start and s.start < end and s.end > s.start
    ]
    clipped.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Span] = []
    for span in clipped:
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def runs(
    text: str,
    spans: Iterable[Span] = (),
    *,
    start: int = 0,
    end: int | None = None,
    cited: tuple[int, int] | None = None,
) -> list[Run]:
    """``text[start:end]`` cut into runs of segments by ``spans`` and the ``cited`` range (module docs)."""
    end = len(text) if end is None else min(end, len(text))
    start = max(0, min(start, end))
    flat = _flat(spans, start, end)
    cuts = {start, end}
    for one in flat:
        cuts.update((one.start, one.end))
    if cited is not None:
        cuts.update(c for c in cited if start < c < end)
    points = sorted(cuts)
    out: list[Run] = []
    i = 0
    for a, b in pairwise(points):
        if a >= b:
            continue
        while i < len(flat) and flat[i].end <= a:
            i += 1
        span: Span | None = flat[i] if i < len(flat) and flat[i].start <= a and b <= flat[i].end else None
        inside = cited is not None and cited[0] <= a and b <= cited[1]
        if not out or out[-1].cited != inside:
            out.append(Run(inside))
        segments = out[-1].segments
        if span is None:
            if segments and not segments[-1].kind:
                segments[-1] = Segment(segments[-1].text + text[a:b])
            else:
                segments.append(Segment(text[a:b]))
        else:
            segments.append(Segment(text[a:b], span.kind, span.href, span.title, span.cls))
    return out


def highlight(text: str, marks: Sequence[tuple[int, int]], *, kind: str = "hit") -> list[Segment]:
    """``text`` as segments with the ``(start, end)`` ``marks`` (offsets into it) marked as ``kind``."""
    found = runs(text, [Span(a, b, kind) for a, b in marks])
    return [segment for run in found for segment in run.segments]
