"""Rules fed by the health model: a high-risk account may be a fact of life, a stale plan for one is not."""

from __future__ import annotations

from typing import Iterator

from kaplan import rounding
from kaplan.findings import Issue, Severity
from kaplan.rules import Context, rule, tiers_in_portfolio

WORDED_REASONS = 2
"""How many of the account's health reasons a finding names."""


@rule("stale-high-risk", Severity.ERROR, scope="portfolio")
def stale_high_risk(plans, ctx: Context) -> Iterator[tuple[object, Issue]]:
    """The account is at high risk and its plan is overdue for review (as `review-stale` decides).

    A high-risk account is not an error in itself: it is what `kaplan risk` is for. But a plan for
    such an account that nobody has reviewed on schedule means nobody is acting on the risk. Hold the
    review, update the plan and record `last_reviewed`.
    """
    from kaplan.health.model import with_review

    for s, tier in tiers_in_portfolio(plans, ctx):
        status = s.review_status(tier.review_cadence if tier else None, ctx.today, ctx.config)
        if not status.overdue:
            continue  # only plans overdue for review need their health
        health = with_review(s.account_id, s.weighed_signals(), status, ctx.config)
        if health.level != "high":
            continue
        if not all(sig.name for sig in _named(health)):  # their words were not kept with the summary
            health = with_review(s.account_id, s.signals, status, ctx.config)
        if health.level == "high":
            top = "; ".join(sig.reason for sig in _named(health))
            yield s, Issue(("plan", "last_reviewed") if s.has_last_reviewed else ("plan",),
                           f"high-risk account (health {rounding.fixed(health.score)}{': ' + top if top else ''}) whose plan "
                           "is overdue for review "
                           f"({status.words})", "review the plan with the account team now",
                           key=not s.has_last_reviewed)


def _named(health) -> list:
    """The reasons a finding names: the first `WORDED_REASONS`, the review's own aside."""
    return [sig for sig in health.reasons if sig.name != "review_overdue"][:WORDED_REASONS]
