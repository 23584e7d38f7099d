"""Rules about alignment: every action serves an objective, every objective has a measure."""

from __future__ import annotations

from typing import Iterator

from kaplan.findings import Issue, Severity
from kaplan.model import Plan
from kaplan.rules import Context, rule


@rule("objective-no-measure", Severity.WARNING)
def objective_no_measure(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """A client objective has no measure, so nobody can tell whether it is being met.

    Add at least one entry under `measures:` with a target; a `leading` measure shows progress before
    the `lagging` revenue result arrives.
    """
    for i, o in enumerate(plan.objectives):
        if not o.measures:
            yield Issue(("objectives", i, "id"), f"objective `{o.id}` has no measure",
                        "add `measures:` with a name and a target")


@rule("action-no-objective", Severity.WARNING)
def action_no_objective(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """An action serves no client objective.

    Every action should move one of the client's objectives forward; set `objective:` to its id.
    """
    for i, a in enumerate(plan.actions):
        if not a.objective:
            yield Issue(("actions", i, "id"), f"action `{a.id}` serves no objective",
                        "set `objective:` to the id of the client objective it serves")
