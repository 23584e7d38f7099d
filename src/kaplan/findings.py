"""Findings: what `kaplan check` reports, as plain immutable data.

A finding says where (file, line, column — 1-based), which rule, how serious, what is wrong and
what to do about it. Rules produce findings; reporters print them; neither does the other's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    """How serious a finding is. `error` fails `kaplan check`; `warning` fails it only under --strict."""

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One problem found in one file, at one place."""

    path: str
    line: int
    column: int
    rule: str
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    hint: str | None = field(default=None, compare=False)

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True, slots=True)
class Issue:
    """What a rule yields: a problem at a place in the plan's data, before it is given a file position.

    `at` is the path of keys and list indexes to the offending value, e.g. ("actions", 2, "due").
    The engine turns it into a line and column with the document's locator.
    """

    at: tuple[str | int, ...]
    message: str
    hint: str | None = None
    key: bool = False  # point at the key itself rather than its value


class FindingsError(Exception):
    """An error that is a list of findings (an unreadable config, an unreadable export); the message joins them."""

    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f"{f.location()}: {f.message}" for f in findings))
        self.findings = findings
