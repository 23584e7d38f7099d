"""The years kaplan works in: a plan's dates and periods, and the day it is asked about (`--today`).

Every day a figure is worked out from (a review due 90 days on, the end of a quarter, a window of
twelve months back, a workbook's date cell) must lie on the calendar and in what a spreadsheet can
hold: `9999-12-31` plus a cadence, or the quarter of `0001-01-01` a year back, do not exist. So a
date outside these years is refused where it is read, and no computation meets one.
"""

from __future__ import annotations

import datetime as _dt

FIRST_YEAR, LAST_YEAR = 1900, 2199


def outside(day: _dt.date) -> str | None:
    """What to say of `day` when it lies outside `FIRST_YEAR`-`LAST_YEAR`; None when it does not."""
    if FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return (f"{day.isoformat()} is not a plausible date: kaplan works with the years {FIRST_YEAR}-{LAST_YEAR}; "
            "check the year")
