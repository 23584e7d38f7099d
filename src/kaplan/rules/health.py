"""Rules fed by the health model: a high-risk account may be a fact of life, a stale plan for one is not."""

from __future__ import annotations

from typing import Iterator

from ..findings import Issue, Severity
from . import Context, rule, scored_in_portfolio


@rule("stale-high-risk", Severity.ERROR, scope="portfolio")
def stale_high_risk(plans, ctx: Context) -> Iterator[tuple[object, Issue]]:
    """The account is at high risk and its plan has not been reviewed within its tier's cadence.

    A high-risk account is not an error in itself: it is what `kaplan risk` is for. But a plan for
    such an account that nobody has reviewed on schedule means nobody is acting on the risk. Hold the
    review, update the plan and record `last_reviewed`.
    """
    from ..health.model import review_cadence, with_review

    for s, score in scored_in_portfolio(plans, ctx):
        cadence = review_cadence(score.tier.review_cadence if score.tier else None, s.review_cadence, ctx.config)
        last = s.last_review
        allowed = ctx.config.cadence_days.get(cadence, 92) + ctx.config.review_grace_days
        if last is None or (ctx.today - last).days <= allowed:
            continue  # only stale plans need their health (and so their cached details)
        health = with_review(s.account_id, s.signals, last, cadence, ctx.today, ctx.config)
        if health.level == "high":
            top = "; ".join(sig.reason for sig in health.reasons[:2])
            yield s, Issue(("plan", "last_reviewed") if s.has_last_reviewed else ("plan",),
                           f"high-risk account (health {health.score:.0f}: {top}) whose plan was last reviewed "
                           f"{last}, beyond its {cadence.value} cadence", "review the plan with the account team now",
                           key=not s.has_last_reviewed)
