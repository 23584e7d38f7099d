"""Reading one cell of an export as a number, a percentage, a date or a period — or saying why not.

A cell that could mean two things is an error, never a guess: `1,200` is 1200 to an American and
1.2 to a German, `03/04/2026` is the 3rd of April or the 4th of March. The profile can settle it
(`decimal: ","`, `date_format: "%d/%m/%Y"`); without that, only what is unambiguous is read.
Every function returns the value, or raises `CellProblem` with a message and a hint.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from kaplan import years
from kaplan.model.types import PERIOD


class CellProblem(Exception):
    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint


class Uncalculated:
    """A workbook's cell holding a formula with no value saved (a program wrote the workbook and no
    spreadsheet app ever calculated it): not empty, and no value to read."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNCALCULATED"


UNCALCULATED = Uncalculated()
UNCALCULATED_SAID = (
    "the cell holds a formula with no value saved (no spreadsheet app has calculated the workbook)",
    "open the workbook in a spreadsheet app and save it, so that each formula's value is saved, or export "
    "values instead of formulas")
"""What is wrong with such a cell, and what to do."""


def empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


# Digits are 0-9 only: `\d` would read `１２３` or `٢٠٢٦` (and Python's float() and int() do).
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_CURRENCY = re.compile(r"^\s*(?:[$€£¥₹]|[A-Z]{3}\s)|(?:[$€£¥₹]|\s[A-Z]{3})\s*$")
_GROUPED = {".": re.compile(r"-?[0-9]{1,3}(?:[, \u00a0\u202f'][0-9]{3})+(?:\.[0-9]+)?|-?[0-9]+(?:\.[0-9]+)?"),
            ",": re.compile(r"-?[0-9]{1,3}(?:[. \u00a0\u202f'][0-9]{3})+(?:,[0-9]+)?|-?[0-9]+(?:,[0-9]+)?")}


def number(cell: Any, decimal: str | None = None) -> float | int:
    """A number: plain (`1234.5`) always; with grouping (`1,234.50`, `1.234,50`, `1 234,50`) only when
    the profile names the decimal separator."""
    if isinstance(cell, bool):
        raise CellProblem(f"`{cell}` is not a number")
    if isinstance(cell, (int, float)):
        return _tidy(cell)
    text = str(cell).strip()
    if _PLAIN.fullmatch(text):  # the common case, first
        return _tidy(float(text))
    _digits(text)
    text = text.replace("\u2212", "-")
    if text.startswith("(") and text.endswith(")"):  # accountants' negative
        text = "-" + text[1:-1].strip()
    if _CURRENCY.search(text):
        raise CellProblem(f"`{text}` has a currency sign or code; kaplan reads amounts as plain numbers in the "
                          "plan's currency",
                          "export the column as a number without currency formatting")
    if decimal is None:
        if _PLAIN.fullmatch(text):
            return _tidy(float(text))
        for sep in (".", ","):
            if _GROUPED[sep].fullmatch(text):
                reading = _tidy(float(_strip(text, sep)))
                other = "," if sep == "." else "."
                alternatives = [reading]
                if _GROUPED[other].fullmatch(text):
                    alternatives.append(_tidy(float(_strip(text, other))))
                if len(set(alternatives)) > 1:
                    raise CellProblem(f"`{text}` could be {alternatives[0]:g} or {alternatives[1]:g}",
                                      "say which separator marks decimals: `decimal: \".\"` or `decimal: \",\"` "
                                      "in the import profile")
                raise CellProblem(f"`{text}` is written with {_grouping_name(text, sep)}",
                                  f"set `decimal: \"{sep}\"` in the import profile to read numbers written this way")
        raise CellProblem(f"`{text}` is not a number", "leave the cell empty when the value is unknown")
    if _GROUPED[decimal].fullmatch(text):
        return _tidy(float(_strip(text, decimal)))
    raise CellProblem(f"`{text}` is not a number written with `{decimal}` as its decimal separator",
                      "leave the cell empty when the value is unknown; check the profile's `decimal`")


def _digits(text: str) -> None:
    """Refuse text written with digits other than 0-9 (fullwidth `１２３`, Arabic-Indic `٢٠٢٦`…)."""
    if _OTHER_DIGIT.search(text):
        raise CellProblem(f"`{text}` is written with digits other than 0-9",
                          "write it with the digits 0-9 (a spreadsheet app's number format shows them)")


def _strip(text: str, decimal: str) -> str:
    other = {",": ".", ".": ","}[decimal]
    for ch in (other, " ", "\u00a0", "\u202f", "'"):
        text = text.replace(ch, "")
    return text.replace(decimal, ".")


def _grouping_name(text: str, decimal: str) -> str:
    if any(ch in text for ch in " \u00a0\u202f"):
        return "spaces between thousands"
    return "`,` between thousands" if decimal == "." else "`.` between thousands and `,` for decimals"


def _tidy(value: float | int) -> float | int:
    """Whole numbers as int, so `1200.00` in a CSV is written `1200` in the plan."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def percent(cell: Any, decimal: str | None = None) -> float | int:
    """0-100, written `60`, `60%` or `60 %`."""
    text = cell.strip() if isinstance(cell, str) else cell
    if isinstance(text, str) and text.endswith("%"):
        text = text[:-1].strip()
    value = number(text, decimal)
    if not 0 <= value <= 100:
        raise CellProblem(f"`{cell}` is not a percentage between 0 and 100")
    return value


_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
                  r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?")
_SLASHED = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})(?: [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?: ?[AaPp][Mm])?)?")
_DOTTED = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")


def date(cell: Any, fmt: str | None = None, order: str | None = None) -> _dt.date:
    """`_calendar_date`, in the years a plan's dates lie in (a CRM's `12/31/9999` for "no end" is not)."""
    day = _calendar_date(cell, fmt, order)
    if (said := years.outside(day)) is not None:
        raise CellProblem(said, "leave the cell empty when there is no date")
    return day


def _calendar_date(cell: Any, fmt: str | None = None, order: str | None = None) -> _dt.date:
    """A date: ISO (`2026-12-31`, also with a time), `31.12.2026`, or `d/m/Y` / `m/d/Y` when the day
    shows which (`31/12/2026`) or `order` (`dmy`/`mdy`, from the column or the profile) says."""
    if isinstance(cell, _dt.datetime):
        return cell.date()
    if isinstance(cell, _dt.date):
        return cell
    text = str(cell).strip()
    _digits(text)  # strptime and int() read them
    try:
        if fmt:
            try:
                return _dt.datetime.strptime(text, fmt).date()
            except ValueError:
                raise CellProblem(f"`{text}` is not a date in the profile's format `{fmt}`",
                                  "check `date_format` in the import profile") from None
        if m := _ISO.fullmatch(text):
            return _dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DOTTED.fullmatch(text):
            return _dt.date(int(m[3]), int(m[2]), int(m[1]))
        if m := _SLASHED.fullmatch(text):
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            guess = slash_order(text)
            order = order or guess
            if order is None:
                raise CellProblem(f"`{text}` could be {_dt.date(year, b, a).isoformat()} or "
                                  f"{_dt.date(year, a, b).isoformat()}",
                                  "name the format in the import profile: `date_format: \"%d/%m/%Y\"` "
                                  "or `\"%m/%d/%Y\"`")
            return _dt.date(year, b, a) if order == "dmy" else _dt.date(year, a, b)
    except ValueError:
        raise CellProblem(f"`{text}` is not a real date") from None
    raise CellProblem(f"`{text}` is not a date kaplan can read",
                      "write dates as YYYY-MM-DD, or name the format in the profile (`date_format`)")


def slash_order(text: str) -> str | None:
    """`dmy` or `mdy` when a slashed date shows its order (a part above 12), else None."""
    m = _SLASHED.fullmatch(text.strip()) if isinstance(text, str) else None
    if not m:
        return None
    a, b = int(m[1]), int(m[2])
    if a > 12 >= b:
        return "dmy"
    if b > 12 >= a:
        return "mdy"
    return None


_QUARTER_FIRST = re.compile(r"(Q[1-4]|H[12])[\s/-]*(?:FY)?\s*([0-9]{4})", re.I)
_YEAR_FIRST = re.compile(r"(?:FY)?\s*([0-9]{4})[\s/-]*(Q[1-4]|H[12]|[0-9]{2})?", re.I)
_MONTH_YEAR = re.compile(r"([0-9]{1,2})/([0-9]{4})")


def period(cell: Any, of_date: str | None = None, date_format: str | None = None, order: str | None = None) -> str:
    """A kaplan period label (`2026`, `2026-Q3`, `2026-H1`, `2026-07`) from what CRMs write: `Q3-2026`
    (Salesforce's fiscal period), `Q3 2026`, `FY2026`, `2026 Q3`, `07/2026` — or from a date, when the
    profile says which period a date falls in (`of_date: month|quarter|year`)."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and float(cell).is_integer():
        cell = str(int(cell))
    if isinstance(cell, str):
        text = cell.strip()
        _digits(text)
        label = None
        if m := _QUARTER_FIRST.fullmatch(text):
            label = f"{m[2]}-{m[1].upper()}"
        elif m := _YEAR_FIRST.fullmatch(text):
            label = m[1] + (f"-{m[2].upper()}" if m[2] else "")
        elif m := _MONTH_YEAR.fullmatch(text):
            label = f"{m[2]}-{int(m[1]):02d}"
        if label is not None:
            if PERIOD.fullmatch(label):
                return label
            raise CellProblem(f"`{text}` is not a period kaplan knows",
                              "periods are years 1900-2199, quarters, halves or months, e.g. `Q3-2026`, `2026-07`")
    if of_date is None:
        raise CellProblem(f"`{cell}` is not a period such as `2026`, `Q3-2026` or `2026-07`",
                          "if the column holds dates, say which period a date falls in: "
                          "`period_of_date: quarter` (or month, year) in the import profile")
    day = date(cell, date_format, order)
    if of_date == "year":
        return f"{day.year}"
    if of_date == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"
