"""Rules about dates: order, the future, and what has fallen due. "Today" comes from --today."""

from __future__ import annotations

import datetime as _dt
from typing import Iterator

from kaplan import promises
from kaplan.findings import Issue, Severity
from kaplan.model import Plan
from kaplan.model.types import period_bounds
from kaplan.overdue import last_review  # noqa: F401 (its former home; kept for callers)
from kaplan.rules import Context, rule


@rule("date-order", Severity.ERROR)
def date_order(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """A period or contract ends before it starts.

    Checked: the plan period (`start` before `end`) and the contract (`start` before `renewal_date`).
    """
    p = plan.plan.period
    if p and p.end < p.start:
        yield Issue(("plan", "period", "end"), f"the plan period ends ({p.end}) before it starts ({p.start})",
                    "swap the dates or correct the end")
    c = plan.financials.contract
    if c and c.start and c.renewal_date and c.renewal_date < c.start:
        yield Issue(("financials", "contract", "renewal_date"),
                    f"the contract renews ({c.renewal_date}) before it starts ({c.start})")


@rule("future-date", Severity.ERROR)
def future_date(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """Something is recorded as having happened after today.

    Checked: `plan.last_reviewed`, `plan.created`, review dates, decisions' `decided`, NPS response
    dates and their follow-ups' `closed`, contacts' `last_contact` and `left`, rituals' `last_held` and
    `client_since`. Usually a typo in the year; a contact who is leaving has not left yet (record
    `left` on the day).
    """
    clock = ctx.clock

    def late(at: tuple, value: _dt.date, what: str) -> Issue:
        return Issue(at, f"{what} is {value}, which is after today ({clock.today_words()})",
                     "a past event cannot be in the future; check the year")

    # Nearly every date is in the past, so each is tested before its place and message are built.
    if (d := plan.plan.last_reviewed) and not clock.reached(d):
        yield late(("plan", "last_reviewed"), d, "the last review")
    if (d := plan.plan.created) and not clock.reached(d):
        yield late(("plan", "created"), d, "the plan's `created` date")
    if (d := plan.account.client_since) and not clock.reached(d):
        yield late(("account", "client_since"), d, "`client_since`")
    for i, r in enumerate(plan.reviews):
        if (d := r.date) and not clock.reached(d):
            yield late(("reviews", i, "date"), d, "this review's date")
        for j, decision in enumerate(r.decisions):
            if (d := decision.decided) and not clock.reached(d):
                yield late(("reviews", i, "decisions", j, "decided"), d, f"the day `{decision.decision}` was decided")
    for i, n in enumerate(plan.voice_of_customer.nps):
        if (d := n.date) and not clock.reached(d):
            yield late(("voice_of_customer", "nps", i, "date"), d, "this NPS response's date")
        if n.follow_up and (d := n.follow_up.closed) and not clock.reached(d):
            yield late(("voice_of_customer", "nps", i, "follow_up", "closed"), d,
                       f"the day the follow-up with {n.respondent} was closed")
    for i, c in enumerate(plan.relationships.contacts):
        if (d := c.last_contact) and not clock.reached(d):
            yield late(("relationships", "contacts", i, "last_contact"), d, f"the last contact with {c.name}")
        if (d := c.left) and not clock.reached(d):
            yield late(("relationships", "contacts", i, "left"), d, f"the day {c.name} left")
    for i, r in enumerate(plan.relationships.rituals):
        if (d := r.last_held) and not clock.reached(d):
            yield late(("relationships", "rituals", i, "last_held"), d, f"`{r.name}` last held")


@rule("action-overdue", Severity.WARNING)
def action_overdue(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """An open action (planned, in progress or blocked) is past its due date.

    Close it (`status: done` or `cancelled`) or agree a new due date with its owner.
    """
    for b in promises.actions(plan, ctx.clock, ctx.config):  # a broken promise, as the packs list it
        yield Issue(b.at, b.what, b.hint)


@rule("renewal-passed", Severity.WARNING)
def renewal_passed(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """The contract's renewal date has passed: it was renewed (update the date) or it lapsed."""
    c = plan.financials.contract
    if c and c.renewal_date and ctx.clock.passed(c.renewal_date):
        yield Issue(("financials", "contract", "renewal_date"),
                    f"the contract renewal date {c.renewal_date} has passed",
                    "record the new renewal date, or the contract's end")


@rule("renewal-near", Severity.WARNING)
def renewal_near(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """The contract renews within `renewal_warning_days` (default 90) of today, or its notice period."""
    c = plan.financials.contract
    clock = ctx.clock
    if not (c and c.renewal_date) or clock.passed(c.renewal_date):
        return
    horizon = max(ctx.config.renewal_warning_days, c.notice_days or 0)
    if clock.reached_within(c.renewal_date, horizon):
        yield Issue(("financials", "contract", "renewal_date"),
                    f"the contract renews on {c.renewal_date}, {clock.ahead(c.renewal_date)}",
                    "make sure the renewal is in the action plan with an owner")


@rule("period-overlap", Severity.ERROR)
def period_overlap(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """Two financial periods overlap (`2025` and `2025-Q3`, or the same quarter twice).

    Revenue would be counted twice in every total; keep either the year or its quarters.
    """
    periods = plan.financials.periods
    # The usual case first: in order of their start, each period ends before the next begins, so
    # none overlap (if any two did, two neighbours in this order would).
    last_end = None
    for start, end in sorted([period_bounds(p.period) for p in periods]):
        if last_end is not None and start <= last_end:
            break
        last_end = end
    else:
        return
    seen: list[tuple[_dt.date, _dt.date, str]] = []
    for i, p in enumerate(periods):
        start, end = period_bounds(p.period)
        for s, e, label in seen:  # the first earlier period it overlaps, if any
            if start <= e and s <= end:
                yield Issue(("financials", "periods", i, "period"), f"period `{p.period}` overlaps `{label}`",
                            "keep either the whole period or its parts, not both")
                break
        seen.append((start, end, p.period))
