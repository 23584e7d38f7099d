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
from .model.vocab import BuyingRole, Position


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


def _sums(rows: list) -> Window:
    """The window of `rows`: each field gathered in one pass, then totalled by `sum` in the rows' order
    (None when no row has it)."""
    revenue, profit, cost, spend, discounts = [], [], [], [], []
    for p in rows:
        r, gp = p.revenue, p.gross_profit
        if r is not None:
            revenue.append(r)
        if gp is not None:
            profit.append(gp)
        elif r is not None and p.margin_pct is not None:
            profit.append(r * p.margin_pct / 100)
        if (v := p.cost_to_serve) is not None:
            cost.append(v)
        if (v := p.client_category_spend) is not None:
            spend.append(v)
        if (v := p.discounts) is not None:
            discounts.append(v)
    return Window(float(sum(revenue)) if revenue else None, float(sum(profit)) if profit else None,
                  float(sum(cost)) if cost else None, float(sum(spend)) if spend else None,
                  float(sum(discounts)) if discounts else None, len(rows))


def latest_period_end(plan: Plan, bounded: list | None = None) -> _dt.date | None:
    latest = None
    for _, last, p in (bounded if bounded is not None else _bounded(plan)):
        if p.revenue is not None and (latest is None or last > latest):
            latest = last
    return latest


@dataclass(frozen=True)
class Trailing:
    """A plan's two 12-month windows, worked out together (growth and the health trends need both)."""

    now: Window | None
    """The trailing 12 months (`ttm`), None when no revenue is recorded."""
    before: Window | None
    """The 12 months before (`previous_ttm`), None when they hold no revenue."""
    bounded: list
    """(first day, last day, period) of every financial period, in the plan's order."""


def trailing(plan: Plan, bounded: list | None = None) -> Trailing:
    """Both windows of `plan`, its periods parsed and its latest period found once for the two."""
    bounded = bounded if bounded is not None else _bounded(plan)
    end = latest_period_end(plan, bounded)
    if end is None:
        return Trailing(None, None, bounded)
    start = _year_before(end)
    earliest = _year_before(start)
    now, before = [], []
    for first, last, p in bounded:  # the windows are disjoint: a period ends in one or the other
        if start < last <= end and first >= start:
            now.append(p)
        elif earliest < last <= start and first >= earliest:
            before.append(p)
    previous = _sums(before)
    return Trailing(_sums(now), previous if previous.revenue is not None else None, bounded)


def ttm(plan: Plan, bounded: list | None = None) -> Window | None:
    """The trailing-12-month window, or None when no revenue is recorded."""
    return trailing(plan, bounded).now


def previous_ttm(plan: Plan, bounded: list | None = None) -> Window | None:
    """The 12 months before the trailing 12 months (for growth)."""
    return trailing(plan, bounded).before


def all_metrics(plan: Plan) -> dict[str, float | None]:
    """Every metric of `METRICS` for one plan, computing the financial windows once."""
    t = trailing(plan)
    now = t.now
    out = {name: fn(plan) for name, fn in METRICS.items() if name not in _FINANCIAL}
    out["revenue_ttm"] = now.revenue if now else None
    out["gross_profit_ttm"] = now.gross_profit if now and now.revenue is not None else None
    out["margin_pct"] = _ratio(now.gross_profit, now.revenue) if now else None
    out["cost_to_serve_pct"] = _ratio(now.cost_to_serve, now.revenue) if now else None
    out["revenue_growth_pct"] = growth_pct(t)
    out["share_of_wallet_pct"] = _share_of_wallet(plan, now, t.bounded)
    return out


def growth_pct(t: Trailing) -> float | None:
    """TTM revenue against the 12 months before, in percent; None without both."""
    now, before = t.now, t.before
    if not now or not before or now.revenue is None or not before.revenue:
        return None
    return (now.revenue - before.revenue) / before.revenue * 100


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator * 100


def nps(plan: Plan) -> float | None:
    """Net Promoter Score over all responses: % promoters − % detractors (−100…+100)."""
    return nps_of(plan.voice_of_customer.nps)


def nps_of(responses) -> float | None:
    """Net Promoter Score of these responses (promoters 9-10, detractors 0-6), None without any."""
    if not responses:
        return None
    promoters = detractors = 0
    for r in responses:
        if r.score >= 9:
            promoters += 1
        elif r.score <= 6:
            detractors += 1
    return (promoters - detractors) / len(responses) * 100


def strong_contacts(plan: Plan, threshold: int = 4) -> int:
    count = 0
    for c in plan.relationships.contacts:
        if c.left is None and (c.strength or 0) >= threshold:
            count += 1
    return count


def key_player_coverage(plan: Plan) -> int:
    """How many of the three key players are mapped among current contacts: decision maker, sponsor, coach."""
    return sum(key_players_mapped({c.buying_role for c in plan.relationships.contacts if c.left is None}))


_DECIDERS = {BuyingRole.economic_buyer, BuyingRole.decision_maker}


def key_players_mapped(roles: set) -> tuple[bool, bool, bool]:
    """Whether buying `roles` include a decision maker (or economic buyer), a sponsor and a coach."""
    return (bool(roles & _DECIDERS), BuyingRole.sponsor in roles, BuyingRole.coach in roles)


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
    return growth_pct(trailing(plan))


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


_POSITION_LEVEL = {p: float(p.level) for p in Position}  # `Position.level` lists the enum on every call


def position_level(plan: Plan) -> float | None:
    position = plan.account.position
    return _POSITION_LEVEL[position] if position else None


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
