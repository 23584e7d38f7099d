"""Rounding a figure for display, written once: every view shows the same digits, and the label goes
with the digits shown.

A score is shown with one decimal, a health score as a whole number. The figure is rounded here, half
away from zero on its decimal digits (75.5 → 76, 88.05 → 88.1), after a first rounding to nine places
so that float noise from a weighted sum (88.04999999999998 for 88.05) never decides a digit. The
rounded number is the one kaplan keeps and works with: ranks, key-account status, tiers and the order
of the budget allocation are decided on the score as shown, and the health band (red, amber, green) on
the health as shown, so "75" is amber whenever the amber band ends at 75. The unrounded value stays
beside it (`exact`) only to explain the sum it came from.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

_WIDE = Context(prec=340)
"""Digits enough for any float (up to 309 before the point) with its decimals: a growth of 6e32 % is
rounded, never an error."""

SCORE_PLACES = 1
"""Decimals a portfolio score is shown and compared with."""
HEALTH_PLACES = 0
"""Decimals a health score is shown and banded with."""
MONEY_PLACES = 0
"""Decimals an amount of money is shown with (whole units)."""
PCT_PLACES = 1
"""Decimals a percentage (margin, share, growth) or a 1-5 mean is shown with."""
WALLET_PLACES = 0
"""Decimals share of wallet (the account's, or a period's in the workbook) is shown with: whole percent."""
AXIS_PLACES = 1
"""Decimals a matrix axis (attractiveness, strength) is shown with, like the score."""
DETAIL_PLACES = 2
"""Decimals `score --explain` shows a criterion's normalised value and contribution with."""
PROGRESS_PLACES = 0
"""Decimals a measure's (or an objective's) progress is shown with in a pack; the workbook shows one more."""
PROBABILITY_PLACES = 0
"""Decimals an opportunity's probability is shown with: whole percent."""
NPS_PLACES = 0
"""Decimals an NPS (and a force-field net) is shown with, with its sign: a whole number."""
FTE_PLACES = 1
"""Decimals people (FTE) are shown with: in every pack, `score --budget` (its JSON and CSV too) and the
workbook's cells; `budget.people`, a setting, is shown as written."""


def rounded(value: float, places: int) -> float:
    """`value` rounded half away from zero to `places` decimals (NaN and infinities as they are)."""
    if not math.isfinite(value):
        return value
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(round(value, 9))).quantize(quantum, rounding=ROUND_HALF_UP, context=_WIDE))


def fixed(value: float, places: int = 0, grouped: bool = False) -> str:
    """`value` as shown with `places` decimals (thousands grouped with commas when `grouped`), rounded
    once as `rounded` does (0.25 shows as `0.3` and 62.5 as `63`, where Python's own format, half to
    even, says `0.2` and `62`), and never `-0`. Every figure written into words goes through here or
    `signed`, never through `:.1f` or `round()`."""
    return f"{rounded(value, places) + 0.0:{',' if grouped else ''}.{places}f}"


def mean(value: float) -> str:
    """A 1-5 mean (relationship strength) as shown, in a pack and a health reason alike: always
    `PCT_PLACES` decimals (3.25 → `3.3`, 4 → `4.0`), as `score --explain` and JSON carry it."""
    return fixed(value, PCT_PLACES)


def signed(value: float, places: int = 0) -> str:
    """`value` as shown with its sign, rounded once as `rounded` does (an NPS of −12.5 shows as `-13`,
    never `-12`), and never `-0`."""
    return f"{rounded(value, places) + 0.0:+.{places}f}"


def score(value: float) -> float:
    """A portfolio score as shown (one decimal)."""
    return rounded(value, SCORE_PLACES)


def health(value: float) -> float:
    """A health score as shown (a whole number)."""
    return rounded(value, HEALTH_PLACES)


def progress(value: float, places: int = PROGRESS_PLACES) -> float:
    """A measure's (or an objective's mean) progress in percent as shown: rounded as `rounded` does, but
    never to 100 while it is under 100 (a measure at 99.9 % has not reached its target and shows 99, or
    99.9 with one decimal), nor to 0 while it is above 0 (one that has moved off its baseline shows 1)."""
    shown = rounded(value, places)
    step = 10.0 ** -places
    if shown >= 100 and value < 100:
        return 100 - step
    if shown <= 0 and value > 0:
        return step
    return shown


def as_recorded(value: float) -> str:
    """A measure's baseline, target or current value as the plan records it: every digit written, never
    rounded (19.99 stays 19.99 beside a target of 20), with thousands separators (1,250.5)."""
    if not math.isfinite(value):
        return str(value)
    return f"{Decimal(repr(value + 0.0)).normalize():,f}"
