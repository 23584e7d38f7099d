"""The pack's charts as inline SVG, written by hand.

Why not a plotting library: the charts are five simple shapes (bars, lines, points, bubbles), and
hand-written SVG gives what the packs need and libraries make hard — byte-for-byte identical output
for the same data (golden-file tests, clean diffs), no fonts, scripts or links to fetch (one
self-contained file that works offline and prints), text that stays text (escaped, searchable,
readable by a screen reader through `<title>`), a colour palette that matches the pack, and no
dependency to install or import (rendering a pack takes milliseconds). Every coordinate is rounded
to one decimal so output does not depend on the platform's float printing.

The SVG is inline in the HTML (no `xmlns` needed there). Each function takes plain values and returns one `<svg>` element as a string, or "" when there is
nothing to draw. All text in a chart passes through `_t()` (XML escaping).
"""

from __future__ import annotations

import math
import unicodedata
from html import escape
from typing import Sequence

from kaplan.report import capped
from kaplan.rounding import AXIS_PLACES, rounded
from kaplan.views.text import compact, fixed, money as whole_money, pct, signed

RISK_FILL = {"green": "#2e7d32", "amber": "#e69500", "red": "#c62828", None: "#8a8a8a"}
INK, GRID, MUTED = "#1b1f24", "#d9dde3", "#5f6b7a"
SERIES = ("#1f4e79", "#2e7d32", "#c62828", "#6a1b9a", "#e69500")
ABC_FILL = {"A": "#1f4e79", "B": "#5b8db8", "C": "#b5cde3"}
FONT = "font-family=\"Helvetica, Arial, sans-serif\""


def _t(text) -> str:
    return escape(str(text), quote=True)


def _n(x: float) -> str:
    return f"{x:.1f}"


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


_NARROW, _WIDE = set("fijlrtI!|.,:;'`()[] "), set("mwMWOQGCDHNU@%&")


def _em(c: str) -> float:
    if c in _NARROW:
        return 0.34
    if c in _WIDE or unicodedata.east_asian_width(c) in ("W", "F"):
        return 1.0
    return 0.74 if c.isupper() or not c.isascii() else 0.6


def text_width(text: str, size: float) -> float:
    """How wide `text` is at font size `size`, at most: Helvetica's widths rounded up by class of
    letter, and a tenth more for the sans-serif a system puts in Helvetica's place (DejaVu Sans is
    wider). Labels are wrapped and charts sized by it, so that no label runs past a chart's edge."""
    return sum(_em(c) for c in text) * size * 1.1


def wrap(text: str, room: float, size: float) -> list[str]:
    """`text` in lines no wider than `room` at `size` (`text_width`), broken between words; a word wider
    than the room on its own is broken inside. Nothing is left out."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while text_width(word, size) > room:  # a word that cannot fit: as much of it as fits, then the rest
            cut = max(1, max(k for k in range(1, len(word) + 1) if text_width(word[:k], size) <= room or k == 1))
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size) > room:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line or not lines:
        lines.append(line)
    return lines


def _svg(width: int, height: int, title: str, body: list[str], css_class: str) -> str:
    return (f'<svg class="chart {css_class}" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" {FONT} font-size="12" fill="{INK}">'
            f"<title>{_t(title)}</title>" + "".join(body) + "</svg>")


def _step(span: float) -> float:
    """A round step (1, 2 or 5 × 10ⁿ) that cuts `span` into at most five parts."""
    if span <= 0:
        return 1.0
    raw = span / 5
    power = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 5, 10):
        if step * power >= raw:
            return step * power
    return 10 * power  # pragma: no cover


def _axis(values: Sequence[float]) -> tuple[float, float, float]:
    """(bottom, top, step) of an axis that starts at zero or below and ends on a round number."""
    lo, hi = min(0.0, min(values)), max(0.0, max(values))
    step = _step(hi - lo or 1.0)
    return math.floor(lo / step) * step, (math.ceil(hi / step) * step) or step, step


# ---------------------------------------------------------------- force field


def force_field(forces_for: Sequence[tuple[str, int]], against: Sequence[tuple[str, int]],
                totals: tuple[int, int] | None = None) -> str:
    """Diverging bars: forces for the plan grow right (green), forces against grow left (red); 1-5 each.
    `totals` (for, against) are the sums of every force when only some are drawn.

    Each label sits on the other side of the middle from its bar, wrapped to the half it has: a
    long force takes more lines (and its row more height), never a cut."""
    if not forces_for and not against:
        return ""
    width, top, unit, size, leading, bar = 640, 34, 54, 12, 15, 18
    mid = width / 2
    room = mid - 8 - 4  # from the middle's gap to the chart's edge, less a margin
    rows = [(f, s, True) for f, s in forces_for] + [(f, s, False) for f, s in against]
    wrapped = [wrap(force, room, size) for force, _, _ in rows]
    heights = [max(bar + 8, len(lines) * leading + 8) for lines in wrapped]
    height = top + sum(heights) + 40
    body = [f'<text x="{_n(mid - 8)}" y="20" text-anchor="end" font-weight="bold" fill="#2e7d32">For →</text>',
            f'<text x="{_n(mid + 8)}" y="20" font-weight="bold" fill="#c62828">← Against</text>']
    y = top
    for (force, strength, helps), lines, row in zip(rows, wrapped, heights):
        centre = y + (row - 8) / 2
        length = unit * strength
        x = mid if helps else mid - length
        body.append(f'<rect x="{_n(x)}" y="{_n(centre - bar / 2)}" width="{_n(length)}" height="{bar}" '
                    f'fill="{"#2e7d32" if helps else "#c62828"}" opacity="0.85"><title>{_t(force)}: {strength}</title></rect>')
        inside = x + length - 6 if helps else x + 6
        body.append(f'<text x="{_n(inside)}" y="{_n(centre + 4)}" text-anchor="{"end" if helps else "start"}" '
                    f'fill="#fff" font-weight="bold">{strength}</text>')
        label_x, anchor = (mid - 8, "end") if helps else (mid + 8, "start")
        first = centre + 4 - (len(lines) - 1) * leading / 2
        spans = "".join(f'<tspan x="{_n(label_x)}" y="{_n(first + k * leading)}">{_t(line)}</tspan>'
                        for k, line in enumerate(lines))
        body.append(f'<text text-anchor="{anchor}">{spans}</text>')
        y += row
    body.append(f'<line x1="{_n(mid)}" y1="{top - 4}" x2="{_n(mid)}" y2="{y - 4}" '
                f'stroke="{INK}" stroke-width="1.5"/>')
    total_for, total_against = totals or (sum(s for _, s in forces_for), sum(s for _, s in against))
    net = total_for - total_against
    verdict = "the plan has a good chance" if net > 0 else "the plan will likely fail as it stands"
    body.append(f'<text x="{_n(mid)}" y="{height - 12}" text-anchor="middle" font-weight="bold">'
                f'Net {net:+d} (for {total_for} − against {total_against}): '
                f'{_t(verdict)}</text>')
    return _svg(width, height, f"Force-field analysis, net {net:+d}", body, "force-field")


# ---------------------------------------------------------------- line charts


def lines(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], title: str,
          unit: str = "", percent: bool = False, dashed: Sequence[str] = (), colours: Sequence[str] = SERIES) -> str:
    """One line per series over the period labels; gaps where a value is missing."""
    values = [v for _, vs in series for v in vs if v is not None]
    if not labels or not values:
        return ""
    width, height, left, right, top, bottom = 640, 250, 64, 16, 34, 40
    lo, hi, step = _axis(values)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / len(labels))

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    fmt = (lambda v: f"{v:g}%") if percent else compact
    body = []
    for k in range(round((hi - lo) / step) + 1):
        v = lo + step * k
        body.append(f'<line x1="{left}" y1="{_n(y(v))}" x2="{width - right}" y2="{_n(y(v))}" stroke="{GRID}"/>')
        body.append(f'<text x="{left - 6}" y="{_n(y(v) + 4)}" text-anchor="end" fill="{MUTED}" font-size="11">'
                    f'{_t(fmt(v))}</text>')
    every = max(1, math.ceil(len(labels) / 12))
    for i, lab in enumerate(labels):
        if i % every == 0:
            body.append(f'<text x="{_n(x(i))}" y="{height - bottom + 16}" text-anchor="middle" fill="{MUTED}" '
                        f'font-size="11">{_t(lab)}</text>')
    legend_x = left
    for k, (name, vs) in enumerate(series):
        colour = colours[k % len(colours)]
        dash = ' stroke-dasharray="6 4"' if name in dashed else ""
        segment: list[str] = []
        segments = [segment]
        for i, v in enumerate(vs):
            if v is None:
                segment = []
                segments.append(segment)
            else:
                segment.append(f"{_n(x(i))},{_n(y(v))}")
        for seg in segments:
            if len(seg) > 1:
                body.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
        for i, v in enumerate(vs):
            if v is not None:
                body.append(f'<circle cx="{_n(x(i))}" cy="{_n(y(v))}" r="3.5" fill="{colour}">'
                            f'<title>{_t(name)} {_t(labels[i])}: {_t(pct(v) if percent else whole_money(v))}</title></circle>')
        body.append(f'<rect x="{legend_x}" y="10" width="14" height="4" fill="{colour}"/>'
                    f'<text x="{legend_x + 18}" y="16" font-size="11">{_t(name)}</text>')
        legend_x += 26 + 7 * len(name)
    if unit:
        body.append(f'<text x="{width - right}" y="16" text-anchor="end" fill="{MUTED}" font-size="11">{_t(unit)}</text>')
    return _svg(width, height, title, body, "trend")


def nps(quarters: Sequence[tuple[str, float, int]]) -> str:
    """NPS per quarter (−100…+100) with the number of responses under each point."""
    if not quarters:
        return ""
    width, height, left, right, top, bottom = 640, 220, 48, 16, 20, 44
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + plot_w * (i + 0.5) / len(quarters)

    def y(v: float) -> float:
        return top + plot_h * (100 - v) / 200

    body = []
    for v in (-100, -50, 0, 50, 100):
        body.append(f'<line x1="{left}" y1="{_n(y(v))}" x2="{width - right}" y2="{_n(y(v))}" '
                    f'stroke="{INK if v == 0 else GRID}"/>')
        body.append(f'<text x="{left - 6}" y="{_n(y(v) + 4)}" text-anchor="end" fill="{MUTED}" font-size="11">{v:+d}</text>')
    points = " ".join(f"{_n(x(i))},{_n(y(v))}" for i, (_, v, _) in enumerate(quarters))
    if len(quarters) > 1:
        body.append(f'<polyline points="{points}" fill="none" stroke="{SERIES[0]}" stroke-width="2.5"/>')
    for i, (quarter, value, count) in enumerate(quarters):
        shown = rounded(value, 0)  # the band goes with the number written beside the point
        colour = RISK_FILL["green" if shown > 30 else "amber" if shown >= 0 else "red"]
        body.append(f'<circle cx="{_n(x(i))}" cy="{_n(y(value))}" r="5" fill="{colour}"/>')
        body.append(f'<text x="{_n(x(i))}" y="{_n(y(value) - 9)}" text-anchor="middle" font-weight="bold">{signed(value)}</text>')
        body.append(f'<text x="{_n(x(i))}" y="{height - bottom + 16}" text-anchor="middle" fill="{MUTED}" font-size="11">'
                    f'{_t(quarter)}</text>')
        body.append(f'<text x="{_n(x(i))}" y="{height - bottom + 30}" text-anchor="middle" fill="{MUTED}" font-size="10">'
                    f'n={count}</text>')
    return _svg(width, height, "NPS by quarter", body, "nps")


# ---------------------------------------------------------------- portfolio


def pareto(rows: Sequence[tuple[str, float, float, str]], a_pct: float, b_pct: float, metric: str) -> str:
    """Bars: each account's share of the metric (largest first, coloured by ABC class); line: the cumulative share."""
    if not rows:
        return ""
    width, left, right, top, plot_h = 640, 48, 16, 30, 174
    named = len(rows) <= 40  # past 40 bars a name under each cannot be read; each bar's tooltip names it
    # Names run down and to the left from under their bar (at 40°), whole: the chart grows below to
    # hold the longest, and its left margin grows when the first names would run past the edge.
    turn = math.radians(40)
    long = [text_width(r[0], 10) for r in rows] if named else []
    bottom = 40 + (max(long) * math.sin(turn) if long else 0)
    for _ in range(3):  # the margin narrows the slots, which moves the names: settle it
        slot = (width - left - right) / len(rows)
        left = max([48.0] + [w * math.cos(turn) + 8 - slot * (i + 0.5) for i, w in enumerate(long)])
    left = math.ceil(left)
    slot = (width - left - right) / len(rows)
    height = math.ceil(top + plot_h + bottom)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / 100)

    body = []
    for v in (0, 25, 50, 75, 100):
        body.append(f'<line x1="{left}" y1="{_n(y(v))}" x2="{width - right}" y2="{_n(y(v))}" stroke="{GRID}"/>')
        body.append(f'<text x="{left - 6}" y="{_n(y(v) + 4)}" text-anchor="end" fill="{MUTED}" font-size="11">{v}%</text>')
    for cut, name in ((a_pct, "A"), (b_pct, "B")):
        body.append(f'<line x1="{left}" y1="{_n(y(cut))}" x2="{width - right}" y2="{_n(y(cut))}" stroke="{MUTED}" '
                    f'stroke-dasharray="4 3"/><text x="{width - right - 2}" y="{_n(y(cut) + 11)}" text-anchor="end" '
                    f'fill="{MUTED}" font-size="10">{name} up to {cut:g}%</text>')
    points = []
    for i, (name, share, cumulative, abc) in enumerate(rows):
        cx = left + slot * (i + 0.5)
        bar = max(slot * 0.7, 1.0)
        body.append(f'<rect x="{_n(cx - bar / 2)}" y="{_n(y(share))}" width="{_n(bar)}" height="{_n(y(0) - y(share))}" '
                    f'fill="{ABC_FILL.get(abc, GRID)}"><title>{_t(name)} ({abc}): {pct(share)}, cumulative '
                    f'{pct(cumulative)}</title></rect>')
        points.append(f"{_n(cx)},{_n(y(cumulative))}")
        if named:
            body.append(f'<text x="{_n(cx)}" y="{top + plot_h + 12}" text-anchor="end" font-size="10" '
                        f'transform="rotate(-40 {_n(cx)} {top + plot_h + 12})">{_t(name)}</text>')
    body.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{RISK_FILL["red"]}" stroke-width="2"/>')
    for p in points:
        cx, cy = p.split(",")
        body.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{RISK_FILL["red"]}"/>')
    legend = [("A", ABC_FILL["A"]), ("B", ABC_FILL["B"]), ("C", ABC_FILL["C"])]
    lx = left
    for name, colour in legend:
        body.append(f'<rect x="{lx}" y="8" width="12" height="12" fill="{colour}"/>'
                    f'<text x="{lx + 16}" y="18" font-size="11">{name}</text>')
        lx += 40
    body.append(f'<rect x="{lx}" y="12" width="14" height="3" fill="{RISK_FILL["red"]}"/>'
                f'<text x="{lx + 18}" y="18" font-size="11">cumulative share of {_t(metric)}</text>')
    return _svg(width, height, f"Concentration: share of {metric} by account, and cumulative share", body, "pareto")


def matrix(points: Sequence[tuple[str, float, float, float | None, str | None]], split: float) -> str:
    """Portfolio matrix: x = our relative strength, y = client attractiveness (0-100, split at `split`);
    bubble area ∝ revenue, colour = risk. `points` are (label, strength, attractiveness, revenue, colour);
    an account with no figure on an axis is not drawn (the pack lists it as unplaced)."""
    points = [p for p in points if p[1] is not None and p[2] is not None]
    if not points:
        return ""
    width, height, left, right, top, bottom = 640, 500, 56, 24, 24, 64
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(v: float) -> float:
        return left + plot_w * v / 100

    def y(v: float) -> float:
        return top + plot_h * (1 - v / 100)

    body = [f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fafbfc" stroke="{GRID}"/>']
    quadrants = (("Star", "attractive, weaker position: invest", x(split / 2), top + 18),
                 ("Strategic", "attractive, strong: invest, keep profitable", x((100 + split) / 2), top + 18),
                 ("Streamline", "less attractive, weaker: serve efficiently", x(split / 2), height - bottom - 22),
                 ("Status", "less attractive, strong: maintain", x((100 + split) / 2), height - bottom - 22))
    for name, hint, qx, qy in quadrants:
        body.append(f'<text x="{_n(qx)}" y="{_n(qy)}" text-anchor="middle" font-size="15" font-weight="bold" '
                    f'fill="{MUTED}" opacity="0.8">{name}</text>'
                    f'<text x="{_n(qx)}" y="{_n(qy + 14)}" text-anchor="middle" font-size="10" fill="{MUTED}">{hint}</text>')
    body.append(f'<line x1="{_n(x(split))}" y1="{top}" x2="{_n(x(split))}" y2="{height - bottom}" stroke="{MUTED}" '
                f'stroke-dasharray="5 4"/><line x1="{left}" y1="{_n(y(split))}" x2="{width - right}" '
                f'y2="{_n(y(split))}" stroke="{MUTED}" stroke-dasharray="5 4"/>')
    for v in (0, 25, 50, 75, 100):
        body.append(f'<text x="{_n(x(v))}" y="{height - bottom + 16}" text-anchor="middle" fill="{MUTED}" '
                    f'font-size="11">{v}</text><text x="{left - 6}" y="{_n(y(v) + 4)}" text-anchor="end" '
                    f'fill="{MUTED}" font-size="11">{v}</text>')
    body.append(f'<text x="{_n(left + plot_w / 2)}" y="{height - bottom + 34}" text-anchor="middle" '
                f'font-weight="bold">Our relative strength →</text>')
    body.append(f'<text x="16" y="{_n(top + plot_h / 2)}" text-anchor="middle" font-weight="bold" '
                f'transform="rotate(-90 16 {_n(top + plot_h / 2)})">Client attractiveness →</text>')
    biggest = max((p[3] or 0.0) for p in points) or 1.0
    ordered = sorted(points, key=lambda p: (-(p[3] or 0.0), p[0]))  # big bubbles first, small ones on top
    for name, strength, attract, revenue, colour in ordered:
        r = 5 + 23 * math.sqrt((revenue or 0.0) / biggest)
        cx, cy = x(strength), y(attract)
        fill = RISK_FILL.get(colour, RISK_FILL[None])
        body.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" fill="{fill}" fill-opacity="0.55" '
                    f'stroke="{fill}" stroke-width="1.5"><title>{_t(name)}: strength {fixed(strength, AXIS_PLACES)}, '
                    f'attractiveness {fixed(attract, AXIS_PLACES)}, revenue {_t(compact(revenue))}, risk {_t(colour or "unknown")}'
                    f'</title></circle>')
    taken = [(qx - 2.8 * len(hint), qy - 14, qx + 2.8 * len(hint), qy + 17) for _, hint, qx, qy in quadrants]
    # Names go on the biggest accounts only: past a few dozen labels cannot be read (each bubble still
    # names its account in its tooltip), and placing them costs time in the square of their number.
    named = {id(p) for p in sorted(ordered, key=lambda p: (-(p[3] or 0.0), p[0]))[:MATRIX_LABELS]}
    for point in sorted(ordered, key=lambda p: (-p[2], p[1], p[0])):
        name, strength, attract, revenue, colour = point
        if id(point) not in named:
            continue
        r = 5 + 23 * math.sqrt((revenue or 0.0) / biggest)
        cx, cy = x(strength), y(attract)
        label = _cut(name, 22)
        w = 6.2 * len(label)
        spots = [("start", cx + r + 3, cy + 4), ("end", cx - r - 3, cy + 4), ("middle", cx, cy - r - 4),
                 ("middle", cx, cy + r + 12), ("start", cx + r + 3, cy - 9), ("start", cx + r + 3, cy + 17),
                 ("end", cx - r - 3, cy - 9), ("end", cx - r - 3, cy + 17)]

        def box(spot):
            anchor, tx, ty = spot
            x0 = tx if anchor == "start" else tx - w if anchor == "end" else tx - w / 2
            return (x0, ty - 10, x0 + w, ty + 2)

        def fits(b):
            inside = b[0] >= left and b[2] <= width - right and b[1] >= top and b[3] <= height - bottom
            return inside and not any(b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3] for o in taken)

        spot = next((sp for sp in spots if fits(box(sp))), spots[0] if cx < width - right - 120 else spots[1])
        taken.append(box(spot))
        body.append(f'<text x="{_n(spot[1])}" y="{_n(spot[2])}" text-anchor="{spot[0]}" font-size="11">{_t(label)}</text>')
    lx = left
    for label, colour in (("low risk", "green"), ("medium risk", "amber"), ("high risk", "red")):
        body.append(f'<circle cx="{lx + 6}" cy="{height - 14}" r="6" fill="{RISK_FILL[colour]}" fill-opacity="0.55" '
                    f'stroke="{RISK_FILL[colour]}"/><text x="{lx + 16}" y="{height - 10}" font-size="11">{label}</text>')
        lx += 100
    body.append(f'<text x="{width - right}" y="{height - 10}" text-anchor="end" font-size="11" fill="{MUTED}">'
                f'bubble area = revenue (TTM)</text>')
    return _svg(width, height, "Portfolio matrix: client attractiveness against our relative strength", body, "matrix")


# ---------------------------------------------------------------- per pack


MATRIX_LABELS = 40
"""Most bubbles the portfolio matrix names."""


def account_charts(pack) -> dict[str, str]:
    """The account pack's charts by name (empty string where the plan has no data for one)."""
    ff = pack.plan.force_field
    periods = capped.shown(pack.periods, "periods")  # the most recent, as the table beside them
    labels = [row.period.period for row in periods]
    return {
        # the forces the tables beside it draw (`capped`): each side's first ROWS_SHOWN
        "force_field": force_field([(f.force, f.strength) for f in capped.shown(ff.for_)],
                                   [(f.force, f.strength) for f in capped.shown(ff.against)],
                                   (sum(f.strength for f in ff.for_), sum(f.strength for f in ff.against)))
        if ff else "",
        "money": money(periods, pack.currency),
        "ratios": lines(labels, [("margin %", [r.margin_pct for r in periods]),
                                 ("cost to serve %", [r.cost_to_serve_pct for r in periods])],
                        "Margin and cost to serve as a share of revenue", percent=True, dashed=("cost to serve %",),
                        colours=(SERIES[3], SERIES[2])),
        "nps": nps([(q.quarter, q.nps, q.responses) for q in capped.shown(pack.nps_scored, "periods")]),
    }


def money(periods, currency: str) -> str:
    """Revenue, gross profit and cost to serve by period (`account.PeriodRow`s); the plan's target
    revenue, where it sets one, as a dashed line in the revenue's colour, so a period under its
    target shows as a gap."""
    series = [("revenue", [r.period.revenue for r in periods])]
    colours = [SERIES[0]]
    targets = [r.period.target_revenue for r in periods]
    if any(t is not None for t in targets):
        series.append(("target revenue", targets))
        colours.append(SERIES[0])
    series += [("gross profit", [r.gross_profit for r in periods]), ("cost to serve", [r.period.cost_to_serve for r in periods])]
    colours += [SERIES[1], SERIES[2]]
    title = "Revenue" + (" against its target" if len(colours) == 4 else "") + ", gross profit and cost to serve by period"
    return lines([r.period.period for r in periods], series, title, unit=currency,
                 dashed=("target revenue", "cost to serve"), colours=colours)


def portfolio_charts(pack) -> dict[str, str]:
    """The portfolio pack's charts by name."""
    metric = "revenue" if pack.concentration.metric == "revenue_ttm" else "gross profit"
    settings = pack.scoring.concentration
    return {
        "matrix": matrix([(p.score.name, p.score.strength, p.score.attractiveness, p.score.revenue, p.health.colour)
                          for p in pack.accounts], pack.scoring.matrix.split),
        "pareto": pareto([(r.score.name, r.share_pct, r.cumulative_pct, r.abc) for r in pack.pareto
                          if r.cumulative_pct is not None],
                         settings.a_pct, settings.b_pct, metric),
    }
