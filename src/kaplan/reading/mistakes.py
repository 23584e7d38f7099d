"""The YAML mistakes people really make in plan values, recognised so a finding says what to write.

YAML reads a one-line `{…}` mapping by its commas: `{comment: Good value, invoices could be
clearer}` becomes the comment "Good value" and a key "invoices could be clearer", and
`{revenue: 1,200,000}` becomes revenue 1 and the keys 200 and 000. A number written the way a
spreadsheet shows it (`35%`, `1,200,000`, `1.200.000,00`, `€ 90 000`) is text to YAML. pydantic
then reports an unknown key, a key that is not a name, or text where a number belongs, which is true
but leads nowhere; each function here recognises one of these and returns the message and the hint
that fix it, or None when the error is something else. `_validation` asks them first.
"""

from __future__ import annotations

import functools
import re

_SPACES = re.compile(r"[\s\u00a0\u202f']")
_CURRENCY = "€$£¥"
_GROUPED = {",": re.compile(r"\d{1,3}(?:,\d{3})+"), ".": re.compile(r"\d{1,3}(?:\.\d{3})+")}


def plain_number(text: str) -> str | None:
    """The plain YAML number that `text` was meant to be (`35%` → `35`, `1,200,000` → `1200000`,
    `1.200.000,00` → `1200000.00`), or None when it is not a number written with a percent sign,
    thousands separators, a decimal comma or a currency sign."""
    s = text.strip()
    percent = s.endswith("%")
    s = _SPACES.sub("", s.rstrip("%").strip(_CURRENCY + " ").strip())
    s = s.strip(_CURRENCY)
    sign = "-" if s.startswith("-") else ""
    s = s.lstrip("+-")
    if not re.fullmatch(r"\d[\d.,]*", s):
        return None
    if "," in s and "." in s:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        whole, _, fraction = s.rpartition(decimal)
        if not fraction.isdigit() or not _GROUPED["." if decimal == "," else ","].fullmatch(whole):
            return None
        s = whole.replace("." if decimal == "," else ",", "") + "." + fraction
    elif "," in s:
        if _GROUPED[","].fullmatch(s):
            s = s.replace(",", "")
        elif re.fullmatch(r"\d+,\d+", s):
            s = s.replace(",", ".")
        else:
            return None
    elif s.count(".") > 1:
        if not _GROUPED["."].fullmatch(s):
            return None
        s = s.replace(".", "")
    elif not percent and s == text.strip():
        return None  # already plain: the error is something else
    return sign + s


def number_as_text(name: object, value: object) -> tuple[str, str] | None:
    """(message tail, hint) for text where a number belongs that is a number written for people."""
    if not isinstance(value, str) or not isinstance(name, str):
        return None
    plain = plain_number(value)
    if plain is None:
        return None
    what = "a percent sign" if value.strip().endswith("%") else "separators or a currency sign"
    return (f"is `{value}`, which YAML reads as text, not a number ({what})",
            f"write the plain number: `{name}: {plain}` (digits, `.` for decimals)")


def _line(doc, line: int) -> str:
    lines = _lines(getattr(doc, "text", None) or "")
    return lines[line - 1] if 0 < line <= len(lines) else ""


@functools.lru_cache(maxsize=2)
def _lines(text: str) -> list[str]:
    """The lines of a plan's text, split once for all of its findings (a file with thousands of them
    would otherwise be split once for each)."""
    return text.split("\n")


def comma_in_text(doc, name: object, value: object, line: int) -> tuple[str, str] | None:
    """(message, hint) when an unknown key is the rest of a text cut at a comma in a `{…}` mapping."""
    if value is not None or not isinstance(name, str) or " " not in name.strip():
        return None
    text = _line(doc, line)
    message = (f"`{name}` reads as a key: inside a one-line `{{…}}` mapping a comma ends a text, "
               "and what follows it is taken as a new key")
    found = re.search(r"([A-Za-z_][\w-]*):\s*([^,{}\[\]]*?),\s*" + re.escape(name.strip()), text)
    if found:
        return message, f'put the whole text in quotes: `{found[1]}: "{found[2]}, {name.strip()}"`'
    return message, 'put the whole text in quotes: `key: "text, with its comma"`'


_SPLIT_NUMBER = re.compile(r"([A-Za-z_][\w-]*):\s*([-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?)(?=\s*[,}])")


def comma_in_number(doc, value: object, line: int, column: int) -> tuple[int, str, str] | None:
    """(column of the number, message, hint) when a key that is a number (at `column`) comes from
    `1,200,000` in a `{…}` mapping. Every piece of one number gives the same finding."""
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    for found in _SPLIT_NUMBER.finditer(_line(doc, line)):
        if found.start(2) < column <= found.end(2):
            return (found.start(2) + 1,
                    f"the number `{found[2]}` is split at its commas: inside a one-line `{{…}}` mapping a "
                    "comma separates entries, so its digits after a comma became keys",
                    f"write the plain number: `{found[1]}: {found[2].replace(',', '')}` (no thousands separators)")
    return None
