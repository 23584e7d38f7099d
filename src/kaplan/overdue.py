"""Is a plan overdue for review? One definition, used by `check`, health, `risk` and both packs.

A plan is held to the stricter (the fewer days) of two cadences: its own (`plan.review_cadence`, else
the portfolio's `default_cadence`) and the slowest its tier allows. It is overdue when

    today − last review > days of that cadence (`cadence_days`) + `review_grace_days` (default 0)

The last review is `plan.last_reviewed` or the latest date in the reviews log, whichever is later. A
plan never reviewed is "not yet reviewed" — never "reviewed today" — and its age is counted from when
it was started: `plan.created` (written by `kaplan new`), else the start of the plan period. Once
that age passes the cadence it is overdue just as a stale review is. With neither date, its age is
unknown and it is only reported as not yet reviewed.

This module decides; it does not word findings or score health (the rules and the health model do,
from the `ReviewStatus` returned here).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from kaplan.clock import days, days_ago
from kaplan.model.vocab import Cadence

DEFAULT_DAYS = 92
"""Days for a cadence missing from `cadence_days` (a quarter)."""


def last_review(plan) -> _dt.date | None:
    """The most recent review: `plan.last_reviewed` or the latest entry of the reviews log."""
    last = plan.plan.last_reviewed
    for r in plan.reviews:
        if r.date and (last is None or r.date > last):
            last = r.date
    return last


def plan_started(plan) -> _dt.date | None:
    """When the plan was started: `plan.created`, else its period's start, else unknown."""
    meta = plan.plan
    if meta.created is not None:
        return meta.created
    return meta.period.start if meta.period else None


def cadence_days(cadence: Cadence, config) -> int:
    return config.cadence_days.get(cadence, DEFAULT_DAYS)


def stricter_cadence(plan_cadence: Cadence | str | None, tier_cadence: Cadence | str | None, config) -> Cadence:
    """The cadence a plan is held to: the faster of its own (else the default) and its tier's."""
    own = Cadence(plan_cadence) if plan_cadence else config.default_cadence
    tier_cadence = Cadence(tier_cadence) if tier_cadence else None
    if tier_cadence is not None and cadence_days(tier_cadence, config) < cadence_days(own, config):
        return tier_cadence
    return own


@dataclass(frozen=True)
class ReviewStatus:
    """Where one plan stands against its review cadence on `today`."""

    last: _dt.date | None
    """The last review, None when the plan was never reviewed."""
    started: _dt.date | None
    """When the plan was started (counts as the baseline while it was never reviewed)."""
    cadence: Cadence
    """The stricter of the plan's own cadence and its tier's."""
    days: int
    """Days that cadence allows between reviews."""
    grace: int
    """`review_grace_days`."""
    today: _dt.date

    @property
    def reviewed(self) -> bool:
        return self.last is not None

    @property
    def since(self) -> _dt.date | None:
        """What the age is counted from: the last review, else the plan's start."""
        return self.last if self.last is not None else self.started

    @property
    def age(self) -> int | None:
        """Days since the last review (else since the plan started); None when neither is known."""
        return (self.today - self.since).days if self.since is not None else None

    @property
    def allowed(self) -> int:
        """Days before the plan counts as overdue: the cadence's days plus the grace."""
        return self.days + self.grace

    @property
    def overdue(self) -> bool:
        age = self.age
        return age is not None and age > self.allowed

    @property
    def due(self) -> _dt.date | None:
        """The last day the next review is on time."""
        since = self.since
        return since + _dt.timedelta(days=self.allowed) if since is not None else None

    @property
    def words(self) -> str:
        """The status in a KAM's words, e.g. "last reviewed 2026-07-01, 146 days ago (quarterly: every 92 days)",
        with the grace days when there are any ("…: every 92 days, and 2 days of grace"): the days allowed."""
        rule = f"{self.cadence.value}: every {days(self.days)}" + (f", and {days(self.grace)} of grace" if self.grace else "")
        if self.last is None:
            if self.started is None:
                return f"not yet reviewed ({rule})"
            return f"not yet reviewed; the plan started {self.started}, {days_ago(self.age)} ({rule})"
        return f"last reviewed {self.last}, {days_ago(self.age)} ({rule})"


def review_status(last: _dt.date | None, started: _dt.date | None, plan_cadence: Cadence | str | None,
                  tier_cadence: Cadence | None, today: _dt.date, config) -> ReviewStatus:
    """The review status from its facts: the one function every command asks "overdue?"."""
    cadence = stricter_cadence(plan_cadence, tier_cadence, config)
    return ReviewStatus(last, started, cadence, cadence_days(cadence, config), config.review_grace_days, today)


def status_of(plan, tier_cadence: Cadence | None, today: _dt.date, config) -> ReviewStatus:
    """`review_status` of a plan model."""
    return review_status(last_review(plan), plan_started(plan), plan.plan.review_cadence, tier_cadence, today,
                         config)
