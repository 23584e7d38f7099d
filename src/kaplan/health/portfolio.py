"""Health of every account in a portfolio, each judged against the review cadence of its tier."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from kaplan.config import Config
from kaplan.model import Plan
from kaplan.scoring.engine import AccountScore, score_plans
from kaplan.health.model import Health, assess

if TYPE_CHECKING:
    from kaplan.reading.loader import LoadedPlan


def assess_plans(plans: list[tuple[LoadedPlan, Plan]], config: Config, today: _dt.date
                 ) -> dict[str, tuple[AccountScore, Health]]:
    """account id → (its score, its health), scoring the plans together to place each in its tier."""
    return {pid: (a, health_in_tier(a, plan, today, config)) for pid, (a, plan) in
            scored_plans(plans, config, today).items()}


def scored_plans(plans: list[tuple[LoadedPlan, Plan]], config: Config, today: _dt.date
                 ) -> dict[str, tuple[AccountScore, Plan]]:
    """account id → (its score, its plan), scoring the plans together to place each in its tier (the
    first plan of an id): `health_in_tier` then judges one account without judging them all."""
    scored = {a.account_id: a for a in score_plans(plans, config.scoring, config.currency, today=today,
                                                    nps=config.nps)}
    out: dict[str, tuple[AccountScore, Plan]] = {}
    for _, plan in plans:
        out.setdefault(plan.account.id, (scored[plan.account.id], plan))
    return out


def health_in_tier(score: AccountScore, plan: Plan, today: _dt.date, config: Config) -> Health:
    """The account's health on `today`, judged against the review cadence of the tier `score` places it in."""
    return assess(plan, today, config, score.tier.review_cadence if score.tier else None)


def assess_summaries(summaries: list, config: Config, today: _dt.date) -> list[tuple[object, AccountScore, Health]]:
    """(summary, its score, its health) for each plan summary scoring counts (`kaplan.reading.summary`,
    `scoring.engine.score_summaries`), scored together to place each in its tier; the health is `assess`'s, from the signals the summary kept."""
    from kaplan.health.model import with_review
    from kaplan.scoring.engine import score_summaries

    out = []
    for s, score in score_summaries(summaries, config):
        status = s.review_status(score.tier.review_cadence if score.tier else None, today, config)
        out.append((s, score, with_review(s.account_id, s.signals, status, config)))
    return out
