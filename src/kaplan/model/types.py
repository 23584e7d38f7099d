"""Small value types shared by the plan and config models: dates, ratings, slugs, periods."""

from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import Annotated, Any

from kaplan import years
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, WithJsonSchema

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
"""For pydantic, whose regex engine reads `$` as the end of the text. Python's `$` also matches before
a final line break, so Python code tests with `SLUG.fullmatch`, never `match`."""
SLUG = re.compile(SLUG_PATTERN)
# Years 1900-2199 (`years.FIRST_YEAR`-`LAST_YEAR`): a business plan's periods lie there, and every such
# period has real first and last days (year 0 or the end of year 9999 do not exist on the calendar).
PERIOD = re.compile(r"^((?:19|20|21)[0-9]{2})(?:-(Q[1-4]|H[12]|0[1-9]|1[0-2]))?$")
"""Digits 0-9 only (`\\d` would take `20٢٦-Q3` for 2026-Q3)."""


def _date(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        raise ValueError("expected a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, str):
        try:
            value = _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"`{value}` is not a date; write it as YYYY-MM-DD") from None
    if not isinstance(value, _dt.date):
        raise ValueError("expected a date written as YYYY-MM-DD")
    if (said := years.outside(value)) is not None:
        raise ValueError(said)
    return value


Date = Annotated[_dt.date, BeforeValidator(_date), Strict()]
Rating = Annotated[int, Field(ge=1, le=5, strict=True)]
"""1 (weak, low) … 5 (strong, high)."""
Percent = Annotated[float, Field(ge=0, le=100)]
FIGURE_MAX = 1e15
"""The largest amount or figure a plan may hold (a thousand trillion): any real one is far smaller, and
the sums of a whole portfolio of them stay finite (a figure beyond it once summed to infinity, shown
as "inf" and "nan%", and broke the workbook and the deck)."""
FIGURE_MIN = 1e-6
"""The smallest amount or figure other than 0 a plan may hold: a ratio over one smaller (a margin over
a revenue of 1e-300) is no finite number."""


def _not_all_but_zero(value: float) -> float:
    if value and abs(value) < FIGURE_MIN:
        raise ValueError(f"{value:g} is all but zero; write 0, or a figure of at least {FIGURE_MIN:g}")
    return value


Money = Annotated[float, Field(ge=0, le=FIGURE_MAX), AfterValidator(_not_all_but_zero)]
Figure = Annotated[float, Field(ge=-FIGURE_MAX, le=FIGURE_MAX), AfterValidator(_not_all_but_zero)]
"""A number that may be negative (a gross profit, a measure's value), within `FIGURE_MAX` either way."""
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
TEXT_MAX = 20_000
"""The most characters any text in a plan may hold, a name or a free note alike (SECURITY.md's limits):
far more than anyone writes there, and a bound on every message, pack and table that quotes it."""
Text = Annotated[str, Field(min_length=1, max_length=TEXT_MAX)]
"""Text a plan needs to say something: never empty."""
FreeText = Annotated[str, Field(max_length=TEXT_MAX)]
"""Text that may be empty (`notes:`, a contract's `terms:`), bounded as `Text` is."""


def _period_label(value: Any) -> Any:
    # YAML reads an unquoted `period: 2025` as a number; a whole year is what it means.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


PeriodLabel = Annotated[str, Field(pattern=PERIOD.pattern), BeforeValidator(_period_label),
                        WithJsonSchema({"anyOf": [{"type": "string", "pattern": PERIOD.pattern},
                                                  {"type": "integer", "minimum": 1900, "maximum": 2199}]})]
"""A period: `2026` (year), `2026-Q3` (quarter), `2026-H1` (half) or `2026-07` (month), in 1900-2199."""


CrmId = Annotated[str, Field(min_length=1, max_length=200), BeforeValidator(_period_label),
                  WithJsonSchema({"anyOf": [{"type": "string", "minLength": 1, "maxLength": 200},
                                            {"type": "integer", "minimum": 0}]})]
"""A record's id in a CRM: text, or a number such as HubSpot's `9001` (read as its digits)."""


class Section(BaseModel):
    """Base of every part of a plan: unknown keys are errors, numbers are finite."""

    # defer_build: a model's validator is built on first use, so a command that never validates a
    # plan (a warm `kaplan check`, `kaplan --version`) does not pay for building all of them. The
    # fields' docstrings are read only where they are shown (`commands.field_docs`).
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False,
                              frozen=True, populate_by_name=True, defer_build=True)


def period_bounds(label: str) -> tuple[_dt.date, _dt.date]:
    """First and last day of a period label such as `2026`, `2026-Q3`, `2026-H1`, `2026-07`."""
    # Rules, metrics and health each need the bounds of every period of every plan, and a portfolio
    # uses the same few labels throughout, so parsed labels are remembered (the dates are immutable).
    # Only text is looked up: anything else goes straight to the parser, which rejects it as before.
    if type(label) is str:
        return _cached_bounds(label)
    return _bounds(label)


def _bounds(label: str) -> tuple[_dt.date, _dt.date]:
    m = PERIOD.fullmatch(label)
    if not m:
        raise ValueError(label)
    year, part = int(m[1]), m[2]
    if part is None:
        start_month, months = 1, 12
    elif part.startswith("Q"):
        start_month, months = (int(part[1]) - 1) * 3 + 1, 3
    elif part.startswith("H"):
        start_month, months = (int(part[1]) - 1) * 6 + 1, 6
    else:
        start_month, months = int(part), 1
    start = _dt.date(year, start_month, 1)
    end_month = start_month + months
    end = _dt.date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1) - _dt.timedelta(days=1)
    return start, end


# A label that fails to parse raises and is not remembered; the bound keeps a long-running process
# (the language server) from collecting labels without end.
_cached_bounds = functools.lru_cache(maxsize=4096)(_bounds)
