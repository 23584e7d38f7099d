"""Findings: what `kaplan check` reports, as plain immutable data.

A finding says where (file, line, column — 1-based), which rule, how serious, what is wrong and
what to do about it. Rules produce findings; reporters print them; neither does the other's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from operator import attrgetter
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from kaplan.reading.summary import PlanSummary


class Severity(str, Enum):
    """How serious a finding is. `error` fails `kaplan check`; `warning` fails it only under --strict."""

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


SEVERITY_NAMED = {s.value: s for s in Severity}
"""Each severity by the name JSON and the cache write it under (`error`, `warning`)."""
SEVERITY_NAME = {s: s.value for s in Severity}
"""Each severity's name, for writing many findings: asking an Enum member its `.value` goes through a
descriptor, slow tens of thousands of times over."""


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


class CheckResult:
    """What a check found: `files` checked, their `findings` (sorted by file, line, column, rule)."""

    def __init__(self, files: int, findings: list[Finding], plans: list | Callable[[], list] | None = None,
                 portfolio_findings: list[Finding] | None = None):
        self.files = files
        self.findings = findings
        self.portfolio_findings = portfolio_findings or []
        """The findings of the portfolio-wide rules (also in `findings`)."""
        self._plans = plans if plans is not None else []

    @classmethod
    def of(cls, files: int, plan_findings: list[Finding], portfolio_findings: list[Finding],
           plans: list | Callable[[], list]) -> CheckResult:
        findings = plan_findings + portfolio_findings
        findings.sort(key=_ORDER)  # stable: a plan's own findings before the portfolio's at one place
        return cls(files, findings, plans, portfolio_findings)

    @property
    def plans(self) -> list[PlanSummary]:
        """What was read of each checked file (display name, account id, ...); when the answer came
        from the last check's record, they are read (from the cache) on first use."""
        if callable(self._plans):
            self._plans = self._plans()
        return self._plans

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    def exit_code(self, strict: bool = False) -> int:
        """0 when clean, 1 when there are errors (or any finding under `strict`)."""
        return 1 if self.errors or (strict and self.findings) else 0

    def __repr__(self) -> str:
        return f"CheckResult(files={self.files}, errors={self.errors}, warnings={self.warnings})"


_ORDER = attrgetter("path", "line", "column", "rule")
