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
    scored = {a.account_id: a for a in score_plans(plans, config.scoring, config.currency, today=today,
                                                    nps=config.nps)}
    out = {}
    for _, plan in plans:
        a = scored[plan.account.id]
        cadence = a.tier.review_cadence if a.tier else None
        out.setdefault(plan.account.id, (a, assess(plan, today, config, cadence)))
    return out


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
