"""The one way kaplan writes CSV: cells a spreadsheet shows as text, never runs as a formula.

Plan text reaches CSV cells (account names, owners, reasons). A spreadsheet that opens the file
treats a cell starting with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(...)` becomes a live
link, `=cmd|...` worse), and a leading tab or carriage return can hide such a start. So, as OWASP
recommends, a text cell starting with any of `= + - @ TAB CR` gets a single quote in front, which
spreadsheets show as text.

Numbers stay numbers: a value kaplan computed as a number (a score, an amount, a negative
growth such as -12.5) is written as a number and never quoted, so columns still sum and sort; only
text is neutralised, even text that looks like a number. Line breaks in text become a space (one
row stays one line for the tools that read CSV line by line), and other control characters and
bidirectional overrides are shown as escapes (`\\x1b`), the same way `kaplan check` shows them.

A CSV is data: a character the output's encoding cannot write (an `é` on a standard output in ascii)
is refused (`Unwritable`) before a line is written, never written as an escape (`R\\xe9n`) that a
spreadsheet would take for the name.
"""

from __future__ import annotations

import codecs
import csv
import re
from typing import IO, Iterable, Mapping

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")


def cell(value) -> str | int | float:
    """One CSV cell: None as empty, numbers as they are, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    from kaplan.views.safe_text import visible

    text = _LINE_BREAK.sub(" ", str(value))
    if text.startswith(_FORMULA_START) or text.lstrip(" ").startswith(_FORMULA_START):
        text = "'" + text
    return visible(text)


class Unwritable(ValueError):
    """The CSV holds a character the output's encoding cannot write; nothing was written."""


def write(out: IO[str], fields: list[str], rows: Iterable[Mapping]) -> None:
    """A header of `fields`, then one line per row (keys not in `fields` are left out); `Unwritable`,
    and nothing written, when `out`'s encoding cannot write every cell."""
    lines = [[cell(f) for f in fields]] + [[cell(row.get(f)) for f in fields] for row in rows]
    encoding = getattr(out, "encoding", None) or "utf-8"
    if not codecs.lookup(encoding).name.startswith("utf"):  # UTF-8 (or -16, -32) writes every character
        _writable(lines, encoding)
    csv.writer(out, lineterminator="\n").writerows(lines)


def _writable(lines: list[list], encoding: str) -> None:
    for n, line in enumerate(lines, start=1):
        for value in line:
            if isinstance(value, str) and not value.isascii():
                try:
                    value.encode(encoding)
                except UnicodeEncodeError as e:
                    raise Unwritable(
                        f"the CSV holds U+{ord(e.object[e.start]):04X} (line {n}), which standard output's "
                        f"encoding ({encoding}) cannot write; run with PYTHONIOENCODING=utf-8 to write the CSV "
                        "in UTF-8") from None
