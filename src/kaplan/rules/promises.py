"""Broken promises: a date the plan itself set has passed and what it promised is unmet.

One rule per kind of promise; each asks `kaplan.promises`, as the health model and the account pack
do, so all three list the same broken promises.
"""

from __future__ import annotations

from typing import Iterator

from kaplan import promises
from kaplan.findings import Issue, Severity
from kaplan.model import Plan
from kaplan.rules import Context, rule


def _issues(kind: str, plan: Plan, ctx: Context) -> Iterator[Issue]:
    for b in promises.FINDERS[kind](plan, ctx.clock, ctx.config):
        # a section (the NPS list, or where it belongs) is pointed at by its key, a date by its value
        yield Issue(b.at, b.what, b.hint, key=b.at[-1] in ("voice_of_customer", "nps"))


@rule("plan-period-ended", Severity.WARNING)
def plan_period_ended(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """The plan period (`plan.period.end`) is over: the plan is out of date as a whole.

    Roll it forward: set the next `period`, review the objectives, measures and milestones for it.
    """
    return _issues("plan_period", plan, ctx)


@rule("next-review-passed", Severity.WARNING)
def next_review_passed(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """The date set for the next review (`plan.next_review`) has passed.

    Hold the review (or record it), then set `next_review` to the date of the one after.
    """
    return _issues("next_review", plan, ctx)


@rule("milestone-overdue", Severity.WARNING)
def milestone_overdue(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """A milestone's period (its `quarter`, e.g. 2026-Q2) has ended and it is not `done`.

    Mark it `done: true`, or agree a later quarter with the client and say why.
    """
    return _issues("milestone", plan, ctx)


@rule("measure-overdue", Severity.WARNING)
def measure_overdue(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """A measure's `due` date has passed and its `current` value has not reached its `target`.

    Reached means 100 % of the way from `baseline` (else 0) to `target`, whichever direction the
    target lies; a measure with no current value has not reached it. Record the result, or agree a
    new date.
    """
    return _issues("measure", plan, ctx)


@rule("ritual-lapsed", Severity.WARNING)
def ritual_lapsed(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """A relationship ritual with a `cadence` has not been held within it.

    today − `last_held` > the cadence's days (`cadence_days` in `kaplan.yaml`). A ritual never held
    counts from the plan's start (`plan.created`, else the period's start).
    """
    return _issues("ritual", plan, ctx)


@rule("decision-overdue", Severity.WARNING)
def decision_overdue(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """A decision in the reviews log was needed by its `due` date and is not recorded as taken.

    Record when it was taken under `decided:` (and what under `outcome:`), or set a new `due`.
    """
    return _issues("decision", plan, ctx)


@rule("nps-stale", Severity.WARNING)
def nps_stale(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """NPS was not measured within the survey window (`nps.window_months`, default 12 months).

    A plan that never measured it is flagged once it is a whole window old: once its start
    (`plan.created`, else the period's start) is on or before the same day `window_months` months ago. Survey the client's contacts at least once a window so
    the NPS shown is current.
    """
    return _issues("nps_survey", plan, ctx)


@rule("risk-high", Severity.WARNING)
def risk_high(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """An open risk is rated above `risks.max_exposure` (likelihood × impact; default 12).

    Mitigate it and record how (`mitigation`, `owner`), then set its `status` or lower its rating.
    """
    return _issues("risk", plan, ctx)
