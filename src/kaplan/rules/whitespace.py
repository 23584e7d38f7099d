"""Rules about the whitespace grid (`whitespace:`): one cell per buying unit and offering, and what a cell says."""

from __future__ import annotations

from typing import Iterator

from kaplan.findings import Issue, Severity
from kaplan.model import Plan
from kaplan.model.vocab import Coverage
from kaplan.rules import Context, rule


@rule("duplicate-whitespace-cell", Severity.WARNING)
def duplicate_whitespace_cell(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """The whitespace grid records the same buying unit and offering twice.

    A grid has one cell per unit and offering; the packs show the last entry, so the earlier one
    would be hidden.
    """
    seen: dict[tuple[str, str], int] = {}
    for i, c in enumerate(plan.whitespace):
        key = (c.unit, c.offering)
        if key in seen:
            yield Issue(("whitespace", i), f"{c.unit} × {c.offering} is already recorded at entry {seen[key] + 1}",
                        "keep one entry per buying unit and offering")
        seen[key] = i


@rule("whitespace-competitor-unused", Severity.WARNING)
def whitespace_competitor_unused(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """A whitespace cell names a competitor but its status is not `competitor`.

    The packs show the competitor's name only on a `competitor` cell, so on any other the name
    would be kept in the plan and shown nowhere.
    """
    for i, c in enumerate(plan.whitespace):
        if c.competitor and c.status is not Coverage.competitor:
            yield Issue(("whitespace", i, "competitor"),
                        f"{c.unit} × {c.offering} names competitor {c.competitor} but its status is {c.status.value}",
                        "set `status: competitor`, or remove `competitor:`")
