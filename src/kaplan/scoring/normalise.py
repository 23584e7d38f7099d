"""Normalising raw criterion values to 0-100 across a portfolio, by the method a criterion names."""

from __future__ import annotations

import bisect
import math

from kaplan.config.scoring import Criterion


def normalise(criterion: Criterion, values: list[float | None]) -> list[float | None]:
    """0-100 for each value (None stays None), with `direction: lower` turned around."""
    n = criterion.normalise
    present = [v for v in values if v is not None]
    if n.method == "range":
        lo, hi = n.min, n.max
        out = [None if v is None else _clamp((v - lo) / (hi - lo) * 100) for v in values]
    elif n.method == "percentile":
        ordered = sorted(present)
        out = [None if v is None else _percentile(v, ordered) for v in values]
    else:
        transform = _log if n.method == "log" else float
        if n.method == "log" and n.min is not None and n.max is not None and n.max > n.min:
            lo, hi = _log(n.min), _log(n.max)
        else:
            # On a log scale a zero (or negative) amount would anchor the bottom at log 1 = 0 and lift
            # every real account towards the top: it is left out of the bounds (and so scores 0).
            bounds = [v for v in present if v > 0] if n.method == "log" else present
            lo = min(map(transform, bounds), default=0.0)
            hi = max(map(transform, bounds), default=0.0)
        floor = n.method == "log"
        out = [None if v is None else 0.0 if floor and v <= 0 else
               (50.0 if hi == lo else _clamp((transform(v) - lo) / (hi - lo) * 100)) for v in values]
    if criterion.direction == "lower":
        out = [None if v is None else 100.0 - v for v in out]
    return out


def _log(value: float) -> float:
    return math.log10(1 + max(value, 0.0))


def _clamp(value: float) -> float:
    return min(100.0, max(0.0, value))


def _percentile(value: float, ordered: list[float]) -> float:
    """Share of the other accounts below this one; ties count half. The lowest is 0, the highest 100.

    `ordered` is every present value, sorted, so counting is two binary searches, not a pass over
    the portfolio for each account."""
    if len(ordered) < 2:
        return 50.0
    below = bisect.bisect_left(ordered, value)
    equal = bisect.bisect_right(ordered, value) - below - 1
    return (below + 0.5 * equal) / (len(ordered) - 1) * 100
