"""Small hand-written SVG charts for the report (no plotting library, nothing fetched).

Each function returns one standalone SVG document as a string: it parses as XML, can be inlined in
HTML as it is, or written to a ``.svg`` file beside a Markdown report. Sizes are in ``viewBox``
units, so the charts scale with the page.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from html import escape

#: colour-blind-friendly categorical palette (Tableau 10), in order of use
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
)
#: the colour of everything past the palette ("other")
OTHER_COLOUR = "#bab0ac"
FONT = "Segoe UI, Noto Sans, DejaVu Sans, Liberation Sans, Arial, sans-serif"
INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#e4e7eb"
#: monthly bins up to this many months between the first and last date, yearly bins beyond
MAX_MONTH_BINS = 120
#: width of a character as a share of the font size (rough, for layout only)
CHAR_WIDTH = 0.6


def palette(categories: Iterable[str], *, other: str = "other") -> dict[str, str]:
    """A colour per category, in the order given; past the palette, and ``other``, share grey."""
    colours: dict[str, str] = {}
    for category in categories:
        if category in colours:
            continue
        if category == other or len(colours) >= len(PALETTE):
            colours[category] = OTHER_COLOUR
        else:
            colours[category] = PALETTE[len(colours)]
    return colours


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _clip(text: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis to fit about ``width`` units at font ``size``."""
    limit = max(1, int(width / (size * CHAR_WIDTH)))
    return text if len(text) <= limit else text[: max(1, limit - 1)].rstrip() + "…"


def _nice_step(top: float, ticks: int = 5) -> int:
    """A round step (1, 2, 5 × 10ⁿ) giving about ``ticks`` intervals up to ``top``."""
    if top <= ticks:
        return 1
    raw = top / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * magnitude >= raw:
            return int(m * magnitude)
    return int(10 * magnitude)  # pragma: no cover - the loop always returns


def _open(width: float, height: float, label: str) -> list[str]:
    w, h = round(width), round(height)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        f'role="img" aria-label="{escape(label)}" font-family="{FONT}" font-size="12" fill="{INK}">',
        f"<title>{escape(label)}</title>",
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>',
    ]


def _legend(
    parts: list[str], entries: Sequence[tuple[str, str]], *, x: float, y: float, width: float
) -> float:
    """Draw ``(label, colour)`` swatches in rows from (x, y); returns the y below the legend."""
    cx, row = x, 0
    for label, colour in entries:
        w = 14 + _text_width(label, 12) + 18
        if cx + w > x + width and cx > x:
            cx, row = x, row + 1
        cy = y + row * 20
        parts.append(f'<rect x="{cx:.1f}" y="{cy:.1f}" width="10" height="10" rx="2" fill="{colour}"/>')
        parts.append(f'<text x="{cx + 14:.1f}" y="{cy + 9.5:.1f}" fill="{MUTED}">{escape(label)}</text>')
        cx += w
    return y + (row + 1) * 20 if entries else y


def _empty(width: float, height: float, label: str, message: str) -> str:
    parts = _open(width, height, label)
    parts.append(
        f'<text x="{width / 2:.0f}" y="{height / 2:.0f}" text-anchor="middle" fill="{MUTED}">'
        f"{escape(message)}</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts)


def _month_index(date: str) -> int | None:
    """``YYYY-MM[-DD]`` or ``YYYY`` as a count of months since year 0, or None."""
    try:
        year = int(date[:4])
        month = int(date[5:7]) if len(date) >= 7 else 1
    except ValueError:
        return None
    return year * 12 + month - 1 if 1 <= month <= 12 else None


def timeline_svg(
    counts: Iterable[tuple[str, str, int]],
    *,
    title: str = "Events per month",
    width: int = 960,
    height: int = 300,
    max_categories: int = 8,
    other: str = "other",
    colours: Mapping[str, str] | None = None,
    empty: str = "no dated items",
) -> str:
    """Stacked bars of counts over time: ``counts`` are ``(ISO date or month, category, n)``.

    Bars are months (years when the dates span more than ``MAX_MONTH_BINS`` months), each stacked by
    category; the ``max_categories - 1`` largest categories keep their colour and the rest are
    ``other``. ``colours`` maps categories to colours (default: :func:`palette` by size).
    """
    rows = [(m, c, n) for d, c, n in counts if n > 0 and (m := _month_index(d)) is not None]
    if not rows:
        return _empty(width, 120, title, empty)
    totals = Counter[str]()
    for _, category, n in rows:
        totals[category] += n
    ranked = [c for c, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    kept = set(ranked[: max_categories - 1]) if len(ranked) > max_categories else set(ranked)
    order = [c for c in ranked if c in kept] + ([other] if len(kept) < len(ranked) else [])
    colour = dict(colours or palette(order, other=other))
    for c in order:
        colour.setdefault(c, OTHER_COLOUR)

    first, last = min(m for m, _, _ in rows), max(m for m, _, _ in rows)
    yearly = last - first + 1 > MAX_MONTH_BINS
    if yearly:
        first, last = first // 12, last // 12
    n_bins = last - first + 1
    bins: list[Counter[str]] = [Counter() for _ in range(n_bins)]
    for m, category, n in rows:
        bins[(m // 12 if yearly else m) - first][category if category in kept else other] += n

    def bin_label(i: int) -> str:
        k = first + i
        return f"{k:04d}" if yearly else f"{k // 12:04d}-{k % 12 + 1:02d}"

    parts: list[str] = []  # the <svg> opening goes first once the height is known
    parts.append(f'<text x="16" y="24" font-size="15" font-weight="600">{escape(title)}</text>')
    legend = [(f"{c} ({sum(b[c] for b in bins)})", colour[c]) for c in order]
    top = _legend(parts, legend, x=16, y=38, width=width - 32) + 10
    left, right, bottom = 48.0, 16.0, 34.0
    plot_w, plot_h = width - left - right, height - top - bottom
    if plot_h < 120:  # a tall legend: grow the chart rather than squash the bars
        height = round(top + 120 + bottom)
        plot_h = 120
    peak = max(sum(b.values()) for b in bins)
    step = _nice_step(peak)
    y_max = step * math.ceil(peak / step)
    base = top + plot_h

    for tick in range(0, y_max + 1, step):
        y = base - plot_h * tick / y_max
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}" '
            f'stroke-width="{1.5 if tick == 0 else 1}"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}" font-size="11">{tick}</text>'
        )

    slot = plot_w / n_bins
    bar = min(max(slot * 0.78, 1.0), 56.0)
    for i, b in enumerate(bins):
        x = left + slot * i + (slot - bar) / 2
        y = base
        for c in order:
            n = b.get(c, 0)
            if not n:
                continue
            h = plot_h * n / y_max
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour[c]}">'
                f"<title>{escape(bin_label(i))} · {escape(c)}: {n}</title></rect>"
            )

    # x labels: every k-th bin, aligned to the calendar (quarters, years, decades)
    room = max(1, int(plot_w // 62))
    steps = (1, 2, 5, 10, 20, 50, 100) if yearly else (1, 2, 3, 6, 12, 24, 60, 120)
    k = next((s for s in steps if n_bins / s <= room), steps[-1])
    for i in range(n_bins):
        if (first + i) % k:
            continue
        label = bin_label(i)[:4] if (not yearly and k >= 12) else bin_label(i)
        x = left + slot * (i + 0.5)
        parts.append(
            f'<line x1="{x:.1f}" y1="{base:.1f}" x2="{x:.1f}" y2="{base + 4:.1f}" stroke="{MUTED}"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{base + 18:.1f}" text-anchor="middle" fill="{MUTED}" font-size="11">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "\n".join(_open(width, height, title) + parts)


def bars_svg(
    items: Sequence[tuple[str, int, str]],
    *,
    title: str = "Top entities",
    width: int = 960,
    colours: Mapping[str, str] | None = None,
    empty: str = "nothing to show",
) -> str:
    """Horizontal bars, one per ``(label, value, category)``, in the order given; colour by category."""
    if not items:
        return _empty(width, 120, title, empty)
    categories = list(dict.fromkeys(c for _, _, c in items))
    colour = dict(colours or palette(categories))
    for c in categories:
        colour.setdefault(c, OTHER_COLOUR)
    row_h, label_w = 24.0, min(260.0, max(_text_width(label, 12) for label, _, _ in items) + 12)
    parts: list[str] = []  # the <svg> opening goes first once the height is known
    parts.append(f'<text x="16" y="24" font-size="15" font-weight="600">{escape(title)}</text>')
    top = _legend(parts, [(c, colour[c]) for c in categories], x=16, y=38, width=width - 32) + 8
    left = 16 + label_w
    value_w = _text_width(str(max(v for _, v, _ in items)), 11) + 12
    plot_w = width - left - 16 - value_w
    peak = max(max(v for _, v, _ in items), 1)
    for i, (label, value, category) in enumerate(items):
        y = top + i * row_h
        w = max(plot_w * value / peak, 1.0)
        parts.append(
            f'<text x="{left - 8:.1f}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(_clip(label, 12, label_w - 12))}</text>"
        )
        parts.append(
            f'<rect x="{left:.1f}" y="{y + 4:.1f}" width="{w:.1f}" height="{row_h - 8:.1f}" rx="2" '
            f'fill="{colour[category]}"><title>{escape(label)} ({escape(category)}): {value}</title></rect>'
        )
        parts.append(
            f'<text x="{left + w + 6:.1f}" y="{y + row_h / 2 + 4:.1f}" fill="{MUTED}" font-size="11">'
            f"{value}</text>"
        )
    height = round(top + len(items) * row_h + 12)
    parts.append("</svg>")
    return "\n".join(_open(width, height, title) + parts)
