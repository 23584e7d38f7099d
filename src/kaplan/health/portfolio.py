"""Health of every account in a portfolio, each judged against the review cadence of its tier."""

from __future__ import annotations

import datetime as _dt

from kaplan.config import Config
from kaplan.reading.loader import LoadedPlan
from kaplan.model import Plan
from kaplan.scoring.engine import AccountScore, score_plans
from kaplan.health.model import Health, assess


def assess_plans(plans: list[tuple[LoadedPlan, Plan]], config: Config, today: _dt.date
                 ) -> dict[str, tuple[AccountScore, Health]]:
    """account id → (its score, its health), scoring the plans together to place each in its tier."""
    scored = {a.account_id: a for a in score_plans(plans, config.scoring, config.currency)}
    out = {}
    for _, plan in plans:
        a = scored[plan.account.id]
        cadence = a.tier.review_cadence if a.tier else None
        out.setdefault(plan.account.id, (a, assess(plan, today, config, cadence)))
    return out
