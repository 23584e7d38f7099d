"""NPS per survey window: the one NPS every view shows, with its count of responses and quarterly trend.

NPS = % promoters (9-10) − % detractors (0-6) (`nps_of`, the only formula) over the responses
of one survey window: those dated after the same day `nps.window_months` (default 12) months before
today, up to today. Fewer than `nps.min_responses` (default 5) responses in the window are "too few":
no score is shown or used, only the count. Beside it, the NPS of each calendar quarter with a
response (the trend), each with its own count.

The open detractor loops (`open_loops`) are read in one order wherever they are named or listed
first (`most_overdue_first`): the health reason names the first of them, and a pack that draws only
some of them keeps those.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import Field

from kaplan.clock import Clock, months_before
from kaplan.plural import counted
from kaplan.rounding import signed
from kaplan.model.types import Section


class NpsConfig(Section):
    follow_up_days: int = Field(default=2, ge=0, le=365)
    """A detractor's follow-up should be due within this many days of the response."""
    window_months: int = Field(default=12, ge=1, le=120)
    """NPS is computed over the responses of the last this many months; none in them means NPS is stale."""
    min_responses: int = Field(default=5, ge=1, le=1000)
    """Fewer responses than this in the window are shown as too few, not as a score."""


def nps_of(responses) -> float | None:
    """Net Promoter Score of these responses (promoters 9-10, detractors 0-6), None without any."""
    if not responses:
        return None
    promoters = detractors = 0
    for r in responses:
        if r.score >= 9:
            promoters += 1
        elif r.score <= 6:
            detractors += 1
    return (promoters - detractors) / len(responses) * 100


def _earlier(day: _dt.date, months: int) -> _dt.date:
    """`months_before`, or the calendar's first day when that is before it."""
    try:
        return months_before(day, months)
    except ValueError:
        return _dt.date.min


def last_months(n: int) -> str:
    """"the last month", "the last 12 months"."""
    return "the last month" if n == 1 else f"the last {n} months"


def every_months(n: int) -> str:
    """"every month", "every 12 months"."""
    return "every month" if n == 1 else f"every {n} months"


def quarter_of(day: _dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class NpsQuarter:
    """The responses of one calendar quarter."""

    quarter: str
    responses: int
    promoters: int
    passives: int
    detractors: int
    nps: float
    enough: bool = True
    """Whether the quarter has `nps.min_responses` responses: if not, its NPS is shown as too few."""


@dataclass(frozen=True)
class NpsWindow:
    """The responses of one survey window and their NPS."""

    _clock: Clock = field(repr=False, compare=False)
    back: int
    """0 for the window ending today, 1 for the one before it, and so on."""
    months: int
    min_responses: int
    responses: int
    promoters: int
    passives: int
    detractors: int
    value: float | None
    """NPS of the window's responses, whatever their number (None without any); see `score`."""

    @property
    def until(self) -> _dt.date:
        """The window holds responses up to and including this day…"""
        day = self._clock.today
        for _ in range(self.back):
            day = _earlier(day, self.months)
        return day

    @property
    def after(self) -> _dt.date:
        """…and dated after this one (the calendar's first day at the earliest)."""
        return _earlier(self.until, self.months)

    @property
    def first(self) -> _dt.date:
        """The first day of the window."""
        return self.after + _dt.timedelta(days=1)

    @property
    def enough(self) -> bool:
        return self.responses >= self.min_responses

    def holds(self, day: _dt.date) -> bool:
        """Whether a response dated `day` is one of this window's (as `window` counts them)."""
        return self._clock.within_months(day, self.months, self.back)

    @property
    def score(self) -> float | None:
        """The NPS shown and used: None when the window holds too few responses."""
        return self.value if self.enough else None

    @property
    def counted(self) -> str:
        """The responses and the window in words: "1 response in the last month", "8 responses in the
        last 12 months" (the packs' NPS card)."""
        return f"{counted(self.responses, 'response')} in {last_months(self.months)}"

    @property
    def words(self) -> str:
        """E.g. "NPS +25 (8 responses in the last 12 months)" or "too few responses for an NPS (3 of 5 …)"."""
        span = f"in {last_months(self.months)}"
        if not self.responses:
            return f"no NPS responses {span}"
        if not self.enough:
            return f"too few responses for an NPS ({self.responses} of {self.min_responses} needed {span})"
        return f"NPS {signed(self.value)} ({self.counted})"


def by_quarter(responses, min_responses: int = 1) -> list[NpsQuarter]:
    """NPS per calendar quarter of the responses, oldest first; a quarter with fewer than
    `min_responses` is marked (`enough` false) and its NPS is not to be shown as a score."""
    quarters: dict[str, list] = {}
    for r in responses:
        quarters.setdefault(quarter_of(r.date), []).append(r)
    return [NpsQuarter(q, len(rs), sum(1 for r in rs if r.score >= 9), sum(1 for r in rs if 7 <= r.score <= 8),
                       sum(1 for r in rs if r.score <= 6), nps_of(rs), len(rs) >= min_responses)
            for q, rs in sorted(quarters.items())]


def window(responses, today: _dt.date | Clock, settings, back: int = 0) -> NpsWindow:
    """The survey window ending `today` (`settings`: the `nps:` part of `kaplan.yaml`); with `back`
    1, the window before it (ending where this one starts), and so on."""
    clock = Clock.of(today)
    months = settings.window_months
    inside = [r for r in responses if clock.within_months(r.date, months, back)]  # `NpsWindow.holds`
    return NpsWindow(clock, back, months, settings.min_responses, len(inside),
                     sum(1 for r in inside if r.score >= 9), sum(1 for r in inside if 7 <= r.score <= 8),
                     sum(1 for r in inside if r.score <= 6), nps_of(inside))


def of_plan(plan, today: _dt.date | Clock, settings) -> NpsWindow:
    return window(plan.voice_of_customer.nps, today, settings)


@dataclass(frozen=True)
class OpenLoop:
    """A detractor (0-6) whose follow-up is not closed: it has none, or an open one."""

    response: Any
    """The `NpsResponse`."""
    index: int
    """Its place in the plan's `voice_of_customer.nps`."""
    overdue: bool
    """No follow-up at all, or its due date has passed."""

    @property
    def waiting_since(self) -> _dt.date:
        """Since when an overdue loop waits: its follow-up's due date, or, with no follow-up, the day
        the detractor answered."""
        f = self.response.follow_up
        return f.due if f is not None else self.response.date


def open_loops(responses, today: _dt.date | Clock) -> list[OpenLoop]:
    """The open detractor loops of these responses, in their order."""
    clock = Clock.of(today)
    out = []
    for i, r in enumerate(responses):
        f = r.follow_up
        if r.score <= 6 and (f is None or f.closed is None):
            out.append(OpenLoop(r, i, f is None or clock.passed(f.due)))
    return out


def most_overdue_first(loop: OpenLoop) -> tuple:
    """The order open loops are read in: the overdue first, the longest waiting first (the earliest
    `waiting_since`; ties in their own order when sorted stably); then the others, the newest first."""
    if loop.overdue:
        return 0, loop.waiting_since.toordinal()
    return 1, -loop.response.date.toordinal()
