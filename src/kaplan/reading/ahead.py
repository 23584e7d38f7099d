"""A plan's dated outcomes worked out ahead: on which of the next days its findings, NPS and health
signals change, and to what, so that the check cache answers those days without reading it again.

Each dated part of a plan (one plan rule, the NPS, one group of health signals) asks a clock of its
own (`kaplan.clock`), which tells for which days its answer holds. The plan's answers hold until the
first of those days ends; the part whose answer ends first is worked out again on the day it ends,
and so on, `AHEAD` times: the parts are cheap once the plan is read and validated, which is what
costs. So a plan is read again only every few changes, not on each. A part that reads `today` itself
holds for that one day, and nothing after it is worked out ahead.
"""

from __future__ import annotations

import datetime as _dt
from typing import Callable

from kaplan.clock import Clock

AHEAD_DAYS = 7
"""How far ahead of the day a plan is read its parts are worked out: its next week."""
AHEAD = 8
"""How many times, at most, the parts of a plan are worked out again for a later day when it is read."""
_UNKNOWN = object()


class Part:
    """A part's answers from the day it was first asked on: (first day, answer) each time it changes,
    and the days the first answer holds from (`since`) and the last until (`until`)."""

    __slots__ = ("since", "until", "answers", "_answer", "_key", "_last", "_today_only")

    def __init__(self, since: int, until: int, answers: list[tuple[int, object]], answer: Callable,
                 key: Callable, today_only: bool):
        self.since, self.until, self.answers = since, until, answers
        self._answer, self._key, self._last, self._today_only = answer, key, _UNKNOWN, today_only

    def on(self, day: int):
        """The answer on `day` (one of the days it is known for)."""
        found = self.answers[0][1]
        for start, answer in self.answers:
            if start > day:
                break
            found = answer
        return found


def part(answer: Callable[[Clock], object], today: _dt.date, first: tuple[object, Clock] | None = None,
         key: Callable[[object], object] = lambda a: a) -> Part:
    """A part that `answer(clock)` gives, asked on `today`. `first` is its answer on `today` with the
    clock it asked, when worked out already; `key` tells two answers apart (answers equal by it are one)."""
    if first is None:
        clock = Clock(today, marked=True)
        first = (answer(clock), clock)
    value, clock = first
    return Part(clock.since, clock.until, [(today.toordinal(), value)], answer, key, clock.read_today)


def follow(parts: list[Part], today: _dt.date, days: int = AHEAD_DAYS, times: int = AHEAD) -> None:
    """Work out again the part whose answer ends first, on the day it ends, while that is within `days`
    of `today` (`times` times at most)."""
    end = today.toordinal() + days
    for _ in range(times):
        first = min(parts, key=lambda p: p.until)
        day = first.until
        if first._today_only or day >= end:
            return
        clock = Clock(_dt.date.fromordinal(day), marked=True)
        value = first._answer(clock)
        first.until, first._today_only = clock.until, clock.read_today
        key = first._key(value)
        if first._last is _UNKNOWN:  # told apart only once worked out again
            first._last = first._key(first.answers[-1][1])
        if key != first._last:
            first.answers.append((day, value))
            first._last = key


def change_days(parts: list[Part], until: int) -> set[int]:
    """The days before `until` after the first on which one of `parts` changes."""
    return {day for p in parts for day, _ in p.answers[1:] if day < until}
