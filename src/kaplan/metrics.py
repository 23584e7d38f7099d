"""Metrics kaplan derives from one plan: trailing revenue, margin, growth, share of wallet, NPS…

These are the raw values that scoring, health and reports all use, computed in one place so every
view of an account shows the same numbers. A metric that cannot be computed is None, never zero.

"Trailing 12 months" (TTM) means the financial periods that end within the 12 months up to the end
of the latest period with revenue recorded — so a plan whose figures are a quarter behind is still
measured on a full year, and the result does not depend on the day the command runs.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from .model import Plan
from .model.types import period_bounds
from .model.vocab import BuyingRole


def _year_before(day: _dt.date) -> _dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Window:
    """Sums over the financial periods inside one 12-month window."""

    revenue: float | None
    gross_profit: float | None
    cost_to_serve: float | None
    category_spend: float | None
    discounts: float | None
    periods: int


def _bounded(plan: Plan) -> list:
    return [(*period_bounds(p.period), p) for p in plan.financials.periods]


def _window(plan: Plan, start: _dt.date, end: _dt.date, bounded: list | None = None) -> Window:
    rows = [p for first, last, p in (bounded if bounded is not None else _bounded(plan))
            if start < last <= end and first >= start]

    def total(values):
        values = [v for v in values if v is not None]
        return float(sum(values)) if values else None

    profit = []
    for p in rows:
        if p.gross_profit is not None:
            profit.append(p.gross_profit)
        elif p.margin_pct is not None and p.revenue is not None:
            profit.append(p.revenue * p.margin_pct / 100)
    return Window(
        revenue=total(p.revenue for p in rows),
        gross_profit=total(profit),
        cost_to_serve=total(p.cost_to_serve for p in rows),
        category_spend=total(p.client_category_spend for p in rows),
        discounts=total(p.discounts for p in rows),
        periods=len(rows),
    )


def latest_period_end(plan: Plan, bounded: list | None = None) -> _dt.date | None:
    ends = [last for _, last, p in (bounded if bounded is not None else _bounded(plan)) if p.revenue is not None]
    return max(ends) if ends else None


def ttm(plan: Plan, bounded: list | None = None) -> Window | None:
    """The trailing-12-month window, or None when no revenue is recorded."""
    bounded = bounded if bounded is not None else _bounded(plan)
    end = latest_period_end(plan, bounded)
    return _window(plan, _year_before(end), end, bounded) if end else None


def previous_ttm(plan: Plan, bounded: list | None = None) -> Window | None:
    """The 12 months before the trailing 12 months (for growth)."""
    bounded = bounded if bounded is not None else _bounded(plan)
    end = latest_period_end(plan, bounded)
    if end is None:
        return None
    start = _year_before(end)
    window = _window(plan, _year_before(start), start, bounded)
    return window if window.revenue is not None else None


def all_metrics(plan: Plan) -> dict[str, float | None]:
    """Every metric of `METRICS` for one plan, computing the financial windows once."""
    bounded = _bounded(plan)
    now, before = ttm(plan, bounded), previous_ttm(plan, bounded)
    out = {name: fn(plan) for name, fn in METRICS.items() if name not in _FINANCIAL}
    out["revenue_ttm"] = now.revenue if now else None
    out["gross_profit_ttm"] = now.gross_profit if now and now.revenue is not None else None
    out["margin_pct"] = _ratio(now.gross_profit, now.revenue) if now else None
    out["cost_to_serve_pct"] = _ratio(now.cost_to_serve, now.revenue) if now else None
    out["revenue_growth_pct"] = ((now.revenue - before.revenue) / before.revenue * 100
                                 if now and before and now.revenue is not None and before.revenue else None)
    out["share_of_wallet_pct"] = _share_of_wallet(plan, now, bounded)
    return out


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator * 100


def nps(plan: Plan) -> float | None:
    """Net Promoter Score over all responses: % promoters − % detractors (−100…+100)."""
    scores = [r.score for r in plan.voice_of_customer.nps]
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return (promoters - detractors) / len(scores) * 100


def strong_contacts(plan: Plan, threshold: int = 4) -> int:
    return sum(1 for c in plan.relationships.contacts if c.left is None and (c.strength or 0) >= threshold)


def key_player_coverage(plan: Plan) -> int:
    """How many of the three key players are mapped among current contacts: decision maker, sponsor, coach."""
    roles = {c.buying_role for c in plan.relationships.contacts if c.left is None}
    return (bool(roles & {BuyingRole.economic_buyer, BuyingRole.decision_maker})
            + (BuyingRole.sponsor in roles) + (BuyingRole.coach in roles))


def relationship_strength(plan: Plan) -> float | None:
    """The plan's overall rating, or else the mean strength of current contacts (1-5)."""
    if plan.relationships.strength is not None:
        return float(plan.relationships.strength)
    values = [c.strength for c in plan.relationships.contacts if c.left is None and c.strength]
    return sum(values) / len(values) if values else None


def revenue_ttm(plan: Plan) -> float | None:
    w = ttm(plan)
    return w.revenue if w else None


def gross_profit_ttm(plan: Plan) -> float | None:
    w = ttm(plan)
    return w.gross_profit if w and w.revenue is not None else None


def margin_pct(plan: Plan) -> float | None:
    w = ttm(plan)
    return _ratio(w.gross_profit, w.revenue) if w else None


def cost_to_serve_pct(plan: Plan) -> float | None:
    w = ttm(plan)
    return _ratio(w.cost_to_serve, w.revenue) if w else None


def revenue_growth_pct(plan: Plan) -> float | None:
    now, before = ttm(plan), previous_ttm(plan)
    if not now or not before or now.revenue is None or not before.revenue:
        return None
    return (now.revenue - before.revenue) / before.revenue * 100


def share_of_wallet_pct(plan: Plan) -> float | None:
    """Our TTM revenue ÷ the client's TTM spend in our category, else the latest stated share."""
    bounded = _bounded(plan)
    return _share_of_wallet(plan, ttm(plan, bounded), bounded)


def _share_of_wallet(plan: Plan, w: Window | None, bounded: list) -> float | None:
    if w and w.category_spend:
        return _ratio(w.revenue, w.category_spend)
    stated = [(last, p) for _, last, p in bounded if p.share_of_wallet_pct is not None]
    if stated:
        return max(stated, key=lambda lp: lp[0])[1].share_of_wallet_pct
    return None


def position_level(plan: Plan) -> float | None:
    return float(plan.account.position.level) if plan.account.position else None


def _assessment(name: str):
    def value(plan: Plan) -> float | None:
        a = plan.account.assessment
        v = getattr(a, name) if a else None
        return float(v) if v is not None else None

    value.__doc__ = f"The KAM's 1-5 assessment of {name.replace('_', ' ')}."
    return value


METRICS = {
    "revenue_ttm": revenue_ttm,
    "gross_profit_ttm": gross_profit_ttm,
    "margin_pct": margin_pct,
    "revenue_growth_pct": revenue_growth_pct,
    "cost_to_serve_pct": cost_to_serve_pct,
    "share_of_wallet_pct": share_of_wallet_pct,
    "nps": nps,
    "relationship_strength": relationship_strength,
    "position": position_level,
    "key_player_coverage": lambda plan: float(key_player_coverage(plan)) if plan.relationships.contacts else None,
    "strong_relationships": lambda plan: float(strong_contacts(plan)) if plan.relationships.contacts else None,
    "strategic_importance": _assessment("strategic_importance"),
    "fit": _assessment("fit"),
    "growth_potential": _assessment("growth_potential"),
    "client_attitude": _assessment("client_attitude"),
}
"""Every source a scoring criterion can name, by name."""

_FINANCIAL = {"revenue_ttm", "gross_profit_ttm", "margin_pct", "revenue_growth_pct", "cost_to_serve_pct",
              "share_of_wallet_pct"}

SOURCE_LOCATION = {
    "revenue_ttm": ("financials", "periods"), "gross_profit_ttm": ("financials", "periods"),
    "margin_pct": ("financials", "periods"), "revenue_growth_pct": ("financials", "periods"),
    "cost_to_serve_pct": ("financials", "periods"), "share_of_wallet_pct": ("financials", "periods"),
    "nps": ("voice_of_customer",), "relationship_strength": ("relationships",),
    "position": ("account",), "key_player_coverage": ("relationships",),
    "strong_relationships": ("relationships",), "strategic_importance": ("account", "assessment"),
    "fit": ("account", "assessment"), "growth_potential": ("account", "assessment"),
    "client_attitude": ("account", "assessment"),
}
"""Where in a plan a user adds the data behind each source (to point a missing-value note at)."""
