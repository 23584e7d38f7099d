"""The review rhythm: a plan not reviewed within the stricter of its own and its tier's cadence.

The tier comes from scoring the whole portfolio, so this is a portfolio-wide rule; whether a plan is
overdue is decided by `kaplan.overdue`, the same answer health, `risk` and the packs give.
"""

from __future__ import annotations

from typing import Iterator

from kaplan.findings import Issue, Severity
from kaplan.rules import Context, rule, tiers_in_portfolio


@rule("review-stale", Severity.WARNING, scope="portfolio")
def review_stale(plans, ctx: Context) -> Iterator[tuple[object, Issue]]:
    """The plan is overdue for review, or was never reviewed and is older than its cadence.

    Overdue means: today − last review > the days of the stricter of the plan's own cadence
    (`plan.review_cadence`, else `default_cadence`) and its tier's slowest allowed cadence, plus
    `review_grace_days` (default 0). The last review is `plan.last_reviewed` or the latest entry of
    `reviews:`. A plan never reviewed counts its age from `plan.created` (else the start of its
    period); one with neither date is not checked.
    """
    for s, tier in tiers_in_portfolio(plans, ctx):
        status = s.review_status(tier.review_cadence if tier else None, ctx.today, ctx.config)
        if not status.overdue:
            continue
        if status.reviewed:
            at = ("plan", "last_reviewed") if s.has_last_reviewed else ("plan",)
            hint = "hold the review and update `last_reviewed`"
        else:
            at, hint = ("plan",), "hold the first review and record its date under `last_reviewed`"
        own = s.review_cadence or ctx.config.default_cadence.value
        by_tier = f", as tier `{tier.name}` requires" if tier and status.cadence.value != own else ""
        yield s, Issue(at, f"{status.words}{by_tier}; the review was due by {status.due}", hint)
