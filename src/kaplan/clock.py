"""Today, as the dated rules ask it: "has this date passed?", and for which days every answer holds.

A dated rule, promise, NPS window or health signal asks a `Clock` instead of comparing with a bare
date. Each answer narrows the span of days over which all the answers given so far stay the same
(`since` ≤ day < `until`). A plan whose dated findings were worked out on one day therefore has the
same findings on every day of that span, and the check cache keeps them for all of those days: a new
day re-reads only the plans whose span it leaves.

Counts of days in words ("64 days ago", "in 12 days") do not end the span: a marked clock writes them
as markers that `dated()` turns into a `DatedText`, which reads as the text for its day and keeps
its parts (`parts`) so that `render()` can word it for another day. A figure that falls day by day
(`percent_left`) is likewise a `DatedNumber`. Anything else that depends on the exact day (`today`
itself, a count used as a number) holds for that one day only.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import functools
import re
import secrets

from kaplan.plural import counted

_MIN, _MAX = _dt.date.min.toordinal(), _dt.date.max.toordinal() + 1
_MARK = f"\x1e{secrets.token_hex(8)}:"
"""Opens a count of days that a marked clock writes into a text: unguessable, so no text from a plan
can pass for one."""
_MARKED = re.compile(re.escape(_MARK) + r"(\w+):([0-9-]+)\x1f")
ALWAYS = (_MIN, _MAX)
"""The span of an answer that does not depend on the day."""


def months_before(day: _dt.date, months: int) -> _dt.date:
    """The same day `months` calendar months earlier (negative: later), clamped to the month's last day."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return _dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@functools.lru_cache(maxsize=4096)
def first_day_months_after(day: _dt.date, months: int) -> _dt.date:
    """The first day whose date `months` months earlier (`months_before`) is `day` or later.

    `months_before` never goes back as its day goes forward, so this is where "more than `months`
    months since `day`" starts to hold. Near a month's end it is not simply `day` plus the months
    (31 January plus one month is clamped to 28 February, whose month before is 28 January).
    """
    t = months_before(day, -months)
    if day.day <= 28:  # never clamped: `months_before(t, months)` is `day`, and the day before t is before it
        return t
    one = _dt.timedelta(days=1)
    while months_before(t, months) < day:
        t += one
    while months_before(t - one, months) >= day:
        t -= one
    return t


def _with_parts(cls: type, value, parts: list):
    """A `cls` (a `str` or `float` subclass) of `value` that keeps the `parts` it was worked out from."""
    made = cls.__mro__[1].__new__(cls, value)
    made.parts = parts
    return made


class DatedText(str):
    """A text with a count of days in it, worded for one day; `parts` words it for any day."""

    def __new__(cls, parts: list, today: _dt.date):
        return _with_parts(cls, render(parts, today), parts)

    def __reduce__(self):
        return _with_parts, (DatedText, str(self), self.parts)


class DatedNumber(float):
    """A figure that changes every day, worked out for one day; `parts` work it out for any."""

    def __new__(cls, parts: list, today: _dt.date):
        return _with_parts(cls, figure(parts, today), parts)

    def __reduce__(self):
        return _with_parts, (DatedNumber, float(self), self.parts)


def days(n: int) -> str:
    """A count of days in words: "1 day", "12 days"."""
    return counted(n, "day")


def days_ago(n: int) -> str:
    """"today", "1 day ago", "64 days ago"."""
    return "today" if n == 0 else f"{days(n)} ago"


def days_ahead(n: int) -> str:
    """"today", "in 1 day", "in 12 days"."""
    return "today" if n == 0 else f"in {days(n)}"


_WORDING = {
    "ago": lambda today, day: days_ago((today - day).days),
    "in": lambda today, day: days_ahead((day - today).days),
    "for": lambda today, day: days((today - day).days),
    "today": lambda today, day: today.isoformat(),
}


def _percent_left(today: _dt.date, day: _dt.date, whole: int) -> float:
    value = 100 * (day - today).days / whole
    return round(value, 6) if value % 1 else value


_FIGURES = {"percent_left": _percent_left}


def figure(parts: list, today: _dt.date) -> float:
    """A figure from its parts ([kind, ISO date, argument]) on `today`."""
    kind, day, argument = parts
    return _FIGURES[kind](today, _dt.date.fromisoformat(day), argument)


def render(parts: list, today: _dt.date) -> str:
    """A text from its parts (plain strings, and [kind, ISO date] for a count of days) on `today`."""
    return "".join(p if isinstance(p, str) else _worded(p[0], p[1], today) for p in parts)


@functools.lru_cache(maxsize=65536)
def _worded(kind: str, day: str, today: _dt.date) -> str:
    """One count of days in words (a portfolio's plans share most of their dates)."""
    return _WORDING[kind](today, _dt.date.fromisoformat(day))


def reworded(text: str, today: _dt.date) -> str:
    """`text` worded for `today`: a `DatedText` is rendered again, any other text is itself."""
    return DatedText(text.parts, today) if isinstance(text, DatedText) else text


class Clock:
    """Today, and the span of days (ordinals, `since` ≤ day < `until`) every answer given holds for."""

    __slots__ = ("_day", "_ordinal", "since", "until", "marked", "read_today")

    def __init__(self, today: _dt.date, marked: bool = False):
        self._day = today
        self._ordinal = today.toordinal()
        self.since, self.until = ALWAYS
        self.marked = marked
        """Whether counts of days are written as markers (`dated`) and day-by-day figures as
        `DatedNumber`s, for the cache to work out again on another day."""
        self.read_today = False
        """Whether `today` itself was read: the answers then hold for this one day, and no other day's
        can be told from them."""

    @classmethod
    def of(cls, today: _dt.date | Clock) -> Clock:
        """`today` as a clock (a bare date makes a new one)."""
        return today if isinstance(today, Clock) else cls(today)

    @property
    def today(self) -> _dt.date:
        """The day itself: whatever is worked out from it holds for this day only."""
        self.read_today = True
        self.since, self.until = max(self.since, self._ordinal), min(self.until, self._ordinal + 1)
        return self._day

    @property
    def span(self) -> tuple[int, int]:
        return self.since, self.until

    def _from(self, o: int) -> bool:
        """Whether today is day number `o` or later (the answers below inline it: they are asked often)."""
        if o <= self._ordinal:
            if o > self.since:
                self.since = o
            return True
        if o < self.until:
            self.until = o
        return False

    def reached(self, day: _dt.date) -> bool:
        """Whether `day` is today or before it."""
        o = day.toordinal()
        if o <= self._ordinal:
            if o > self.since:
                self.since = o
            return True
        if o < self.until:
            self.until = o
        return False

    def passed(self, day: _dt.date) -> bool:
        """Whether `day` is before today."""
        o = day.toordinal() + 1
        if o <= self._ordinal:
            if o > self.since:
                self.since = o
            return True
        if o < self.until:
            self.until = o
        return False

    def passed_by(self, day: _dt.date, days: int) -> bool:
        """Whether more than `days` days have gone by since `day` (today − day > days)."""
        return self._from(day.toordinal() + days + 1)

    def reached_within(self, day: _dt.date, days: int) -> bool:
        """Whether today is at most `days` days before `day` (day − today ≤ days)."""
        return self._from(day.toordinal() - days)

    def months_passed(self, day: _dt.date, months: int) -> bool:
        """Whether `day` is on or before the same day `months` months ago (`months_before`)."""
        try:
            return self.reached(first_day_months_after(day, months))
        except (OverflowError, ValueError):  # only after the calendar ends
            return False

    def within_months(self, day: _dt.date, months: int, back: int = 0) -> bool:
        """Whether `day` is in the `months` months that end today: after the same day `months`
        months ago (`months_before`), and not after today. With `back` 1, in the `months` months
        before those (ending on that same day months ago), and so on."""
        if back == 0:  # most responses left the window long ago: no need to find the day they left
            gone = day.toordinal() + 31 * months + 4  # on or after that day (months of 31 days, and a clamp)
            if gone <= self._ordinal:
                if gone > self.since:
                    self.since = gone
                return False
        try:
            for _ in range(back):  # the window `back` windows ago takes in `day` from this day on
                day = first_day_months_after(day, months)
        except (OverflowError, ValueError):  # only after the calendar ends
            return False
        if not self.reached(day):
            return False
        try:
            leaves = first_day_months_after(day, months)
        except (OverflowError, ValueError):  # it never leaves the window
            return True
        return not self.reached(leaves)

    def percent_left(self, day: _dt.date, whole: int) -> float:
        """100 × the days from today to `day` ÷ `whole` (rounded to 6 places): a figure that falls
        every day. A marked clock gives a `DatedNumber`, which the cache works out again on another day."""
        if self.marked:
            return DatedNumber(["percent_left", day.isoformat(), whole], self._day)
        return _percent_left(self.today, day, whole)

    # words with a count of days in them, which do not end the span
    def _words(self, kind: str, day: _dt.date) -> str:
        if not self.marked:
            return _WORDING[kind](self._day, day)
        return f"{_MARK}{kind}:{day.isoformat()}\x1f"

    def ago(self, day: _dt.date) -> str:
        """E.g. "64 days ago" (`days_ago`)."""
        return self._words("ago", day)

    def ahead(self, day: _dt.date) -> str:
        """E.g. "in 12 days" (`days_ahead`)."""
        return self._words("in", day)

    def days_since(self, day: _dt.date) -> str:
        """The days from `day` to today in words, e.g. "64 days"."""
        return self._words("for", day)

    def today_words(self) -> str:
        """Today's date, e.g. "2026-12-04"."""
        return self._words("today", self._day)

    def dated(self, text: str) -> str:
        """`text` as shown today: a `DatedText` if a marked clock wrote a count of days into it."""
        if not self.marked or _MARK not in text:
            return text
        parts: list = []
        at = 0
        for m in _MARKED.finditer(text):
            if m.start() > at:
                parts.append(text[at:m.start()])
            parts.append([m.group(1), m.group(2)])
            at = m.end()
        if at < len(text):
            parts.append(text[at:])
        return DatedText(parts, self._day)
