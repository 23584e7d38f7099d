"""A plan's dated outcomes worked out ahead: on which of the next days its findings, NPS and health
signals change, and to what, so that the check cache answers those days without reading it again.

Each dated part of a plan (one plan rule, the NPS, one group of health signals) tells for which days
its answer holds (`kaplan.clock`): on the day the plan is read the parts are asked one after another
on one clock, its span set back between them. The plan's answers hold until the first of the parts'
answers ends; the part whose answer ends first is worked out again on the day it ends, and so on,
`AHEAD` times: the parts are cheap once the plan is read and validated, which is what costs. So a
plan is read again only every few changes, not on each. A part that reads `today` itself holds for
that one day, and nothing after it is worked out ahead.
"""

from __future__ import annotations

import datetime as _dt
from typing import Callable

from kaplan.clock import ALWAYS, Clock

AHEAD_DAYS = 7
"""How far ahead of the day a plan is read its parts are worked out: its next week."""
AHEAD = 8
"""How many times, at most, the parts of a plan are worked out again for a later day when it is read."""
_UNKNOWN = object()


def _same(answer):
    return answer


class Parts:
    """The answers of a plan's parts from the day they were first asked on (`today`).

    A part is `answer(item, clock)`: one function serves many parts (a plan's rules, say), each
    asked of its own item. For part number i: `answers[i]`, (first day, answer) each time it changes,
    and `until[i]`, the day its last answer is known until. `since` is the first day all the first
    answers hold from; `changed` tells whether any part's answer changes on the days worked out.
    """

    __slots__ = ("answers", "until", "since", "changed", "_asks", "_keys", "_clock", "_first")

    def __init__(self, today: _dt.date):
        self.answers: list[list[tuple[int, object]]] = []
        self.until: list[int] = []
        self.since = ALWAYS[0]
        self.changed = False
        self._asks: list[tuple[Callable, object]] = []
        self._keys: list[Callable] = []
        self._clock = Clock(today, marked=True)
        self._first = today.toordinal()

    def clock(self) -> Clock:
        """The clock the next part asks on `today`, its span set back (`add` reads it)."""
        clock = self._clock
        clock.since, clock.until = ALWAYS
        return clock

    def add(self, value, answer: Callable[[object, Clock], object], item=None,
            key: Callable[[object], object] = _same) -> int:
        """Part `answer(item, clock)` as the next part, `value` its answer on `clock()` asked just
        before; `key` tells two answers apart (answers equal by it are one). Its number."""
        clock = self._clock
        self.answers.append([(self._first, value)])
        if clock.since > self.since:
            self.since = clock.since
        self.until.append(clock.until)
        self._asks.append((answer, item))
        self._keys.append(key)
        return len(self.until) - 1

    def ask(self, answer: Callable[[object, Clock], object], items, key: Callable[[object], object] = _same) -> range:
        """Parts `answer(item, clock)` for each of `items`, asked now on `today`, as `add` adds one:
        their numbers. (Asked in one loop: this runs for every rule of every plan read.)"""
        clock, first, kept, until = self._clock, self._first, self.answers, self.until
        start = len(until)
        since = self.since
        for item in items:
            clock.since, clock.until = ALWAYS
            kept.append([(first, answer(item, clock))])
            if clock.since > since:
                since = clock.since
            until.append(clock.until)
        self.since = since
        self._asks.extend([(answer, item) for item in items])
        self._keys.extend([key] * (len(until) - start))
        return range(start, len(until))

    def on(self, i: int, day: int):
        """The answer of part `i` on `day` (one of the days it is known for)."""
        answers = self.answers[i]
        found = answers[0][1]
        for start, answer in answers:
            if start > day:
                break
            found = answer
        return found

    def follow(self, days: int = AHEAD_DAYS, times: int = AHEAD) -> None:
        """Work out again the part whose answer ends first, on the day it ends, while that is within
        `days` of the first day (`times` times at most)."""
        end = self._first + days
        if self._clock.read_today or not self.until or min(self.until) >= end:
            return  # the usual case (or a part read `today`, which holds for that day only)
        today_only = [False] * len(self.until)
        last: list = [_UNKNOWN] * len(self.until)
        for _ in range(times):
            day = min(self.until)
            i = self.until.index(day)
            if today_only[i] or day >= end:
                return
            clock = Clock(_dt.date.fromordinal(day), marked=True)
            answer, item = self._asks[i]
            value = answer(item, clock)
            self.until[i], today_only[i] = clock.until, clock.read_today
            key = self._keys[i]
            if last[i] is _UNKNOWN:  # told apart only once worked out again
                last[i] = key(self.answers[i][-1][1])
            now = key(value)
            if now != last[i]:
                self.answers[i].append((day, value))
                last[i] = now
                self.changed = True

    def change_days(self, numbers, until: int) -> set[int]:
        """The days before `until` after the first on which one of the parts `numbers` changes."""
        if not self.changed:
            return set()
        return {day for i in numbers for day, _ in self.answers[i][1:] if day < until}
