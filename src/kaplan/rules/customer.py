"""Rules about the client's voice and the plan's chances: NPS closed loops and the force field."""

from __future__ import annotations

from typing import Iterator

from kaplan.findings import Issue, Severity
from kaplan.clock import days as day_count
from kaplan.model import Plan
from kaplan.rules import Context, rule


@rule("nps-no-follow-up", Severity.WARNING)
def nps_no_follow_up(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """A detractor (NPS score 0-6) has no follow-up.

    Closing the loop with every detractor is what makes NPS worth collecting: add a `follow_up`
    with an owner and a due date, by default within 2 days of the response (`nps.follow_up_days`).
    """
    days = ctx.config.nps.follow_up_days
    for i, r in enumerate(plan.voice_of_customer.nps):
        if r.follow_up is None and r.category == "detractor":  # the cheap test first
            yield Issue(("voice_of_customer", "nps", i, "score"),
                        f"{r.respondent} scored {r.score} on {r.date} and nobody is following up",
                        f"add `follow_up:` with `owner:` and `due:` (within {day_count(days)} of the response)")


@rule("nps-follow-up-overdue", Severity.WARNING)
def nps_follow_up_overdue(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """A detractor's follow-up is still open after its due date."""
    for i, r in enumerate(plan.voice_of_customer.nps):
        f = r.follow_up
        if f and f.closed is None and ctx.clock.passed(f.due):
            yield Issue(("voice_of_customer", "nps", i, "follow_up", "due"),
                        f"the follow-up with {r.respondent} (owner {f.owner}) was due {f.due} and is still open",
                        "close the loop and record the date under `closed:`")


@rule("force-field-negative", Severity.WARNING)
def force_field_negative(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """The forces against the plan are at least as strong as the forces for it.

    net = sum of the `for` strengths − sum of the `against` strengths. A net of zero or less means
    the plan will likely fail unless forces against are weakened or new forces for are found.
    """
    ff = plan.force_field
    if ff is None or not (ff.for_ or ff.against):
        return
    net = ff.net  # a property summing both lists: read once
    if net <= 0:
        total_for = sum(f.strength for f in ff.for_)
        total_against = sum(f.strength for f in ff.against)
        yield Issue(("force_field",), f"force-field net is {net} ({total_for} for − {total_against} against): "
                    "the plan will likely fail as it stands", "add actions that weaken the strongest force against",
                    key=True)
