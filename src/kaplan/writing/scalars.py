"""One value written as YAML text: how an edit puts a scalar into a plan a person wrote."""

from __future__ import annotations

import datetime as _dt
import json
import math
from typing import Any

from kaplan.reading import document as _yaml


class EditRefused(Exception):
    """The edit cannot be made without changing more of the file than asked; nothing was written.

    `line` and `column` (from 1) say where in the file the cause is, when it is at one place.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line, self.column = line, column

    def located(self, display: str) -> str:
        """The refusal as `file:line:column: why`, or `file: why` when it is at no one place."""
        return f"{display}:{self.line}:{self.column}: {self}" if self.line else f"{display}: {self}"


def scalar_text(value: Any, style: str | None) -> str:
    """`value` written as a YAML scalar, in the old value's quoting style when it can be."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if not isinstance(value, str):
        raise EditRefused(f"kaplan cannot write a {type(value).__name__} into a plan")
    if style == "'" and "'" not in value and value.isprintable():
        return f"'{value}'"
    if style is None and plain_ok(value):
        return value
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("\x85", "\\N").replace("\u2028", "\\L").replace("\u2029", "\\P")


def plain_ok(value: str) -> bool:
    if not value or not value.isprintable() or value != value.strip() or " #" in value:
        return False
    try:
        return _yaml.parse(f"k: {value}\n").data == {"k": value}
    except _yaml.YamlProblem:
        return False
