"""Metrics kaplan derives from one plan: trailing revenue, margin, growth, share of wallet, NPS…

These are the raw values that scoring, health and reports all use, computed in one place so every
view of an account shows the same numbers. A metric that cannot be computed is None, never zero.
Money is in the plan's own currency here; converting it for the portfolio is `kaplan.money`'s job.

Trailing twelve months (TTM): the 12 calendar months ending on the last day of the latest period
with revenue recorded, so a plan whose figures are a quarter behind is still measured on a year and
the result does not depend on the day the command runs. A period inside the window counts in full; a
period that straddles the window's start (a year `2025` before quarters of 2026) counts pro rata by
its days inside the window. Coverage — how many of the 12 months have revenue recorded — is part of
the figure ("TTM over 9 of 12 months").

Ratios are taken over the periods that have both figures: margin = gross profit ÷ revenue, cost to
serve % = cost to serve ÷ revenue, share of wallet = revenue ÷ the client's category spend. A missing
value is missing, never zero.

Growth and the margin trend are like for like: the months of the window that have the figures,
against the same months one year earlier where those have them too. Without any such month the
change is "not comparable", with the reason, and no number.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import math
import functools
from dataclasses import dataclass

from kaplan import rounding
from kaplan.clock import Clock
from kaplan.model import Plan
from kaplan.model.plan import FinancialPeriod
from kaplan.model.types import period_bounds
from kaplan.model.vocab import BuyingRole, Position
from kaplan.plural import counted

_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _index(day: _dt.date) -> int:
    """A month as one number (year × 12 + month − 1), so months a year apart differ by 12."""
    return day.year * 12 + day.month - 1


@functools.lru_cache(maxsize=4096)
def _month_days(label: str) -> tuple[int, tuple[int, ...], int]:
    """(first month index, days of each month, total days) of a period label."""
    first, last = period_bounds(label)
    a, b = _index(first), _index(last)
    days = tuple(calendar.monthrange(m // 12, m % 12 + 1)[1] for m in range(a, b + 1))
    return a, days, sum(days)


def month_names(months) -> str:
    """Month indices in words: `Jan–Sep 2026`, or a list of ranges when there are gaps."""
    ordered = sorted(months)
    runs, start = [], None
    for i, m in enumerate(ordered):
        if start is None:
            start = m
        if i + 1 == len(ordered) or ordered[i + 1] != m + 1:
            runs.append((start, m))
            start = None

    def word(m: int, year: bool = True) -> str:
        return f"{_MONTH_NAMES[m % 12]} {m // 12}" if year else _MONTH_NAMES[m % 12]

    return ", ".join(word(a) if a == b else f"{word(a, a // 12 != b // 12)}–{word(b)}" for a, b in runs)


# ---------------------------------------------------------------- a plan's periods as months


def _profit(p) -> float | None:
    """A period's gross profit: as recorded, else revenue × its margin %."""
    if p.gross_profit is not None:
        return p.gross_profit
    if p.revenue is not None and p.margin_pct is not None:
        return p.revenue * p.margin_pct / 100
    return None


class _Book:
    """One plan's financial periods read once as months, for every figure taken from them.

    Months are bits of an int (bit i = month `base + i`), so "the months a period with revenue
    covers", "the same months a year earlier" and "the months both have" are a few bit operations.
    """

    __slots__ = ("rows", "end", "base", "window", "revenue_mask", "margin_mask", "cost_mask", "spend_mask")

    def __init__(self, plan: Plan):
        rows, end, first = [], None, None
        for p in plan.financials.periods:
            a, days, total = _month_days(p.period)
            last = a + len(days) - 1
            gp = _profit(p)
            rows.append((a, last, days, total, p.revenue, gp, p.cost_to_serve, p.client_category_spend,
                         p.discounts))
            if p.revenue is not None and (end is None or last > end):
                end = last
            first = a if first is None or a < first else first
        self.rows, self.end = rows, end
        if end is None:
            return
        base = min(first, end - 23)  # the window and the 12 months before it both have bits ≥ 0
        self.base = base
        self.window = ((1 << 12) - 1) << (end - 11 - base)
        revenue = margin = cost = spend = 0
        for a, last, _, _, r, gp, cts, cs, _ in rows:
            if r is None:
                continue
            bits = ((1 << (last - a + 1)) - 1) << (a - base)
            revenue |= bits
            if gp is not None:
                margin |= bits
            if cts is not None:
                cost |= bits
            if cs is not None:
                spend |= bits
        self.revenue_mask, self.margin_mask, self.cost_mask, self.spend_mask = revenue, margin, cost, spend

    def share(self, row: tuple, mask: int) -> float:
        """The part of a period (by days) inside the months of `mask`."""
        a, last, days, total = row[:4]
        n = last - a + 1
        bits = ((1 << n) - 1) << (a - self.base)
        inside = bits & mask
        if inside == bits:
            return 1.0
        if not inside:
            return 0.0
        inside >>= a - self.base  # a period straddling the window's start: pro rata by its days inside
        return sum(d for i, d in enumerate(days) if inside >> i & 1) / total

    def months(self, mask: int) -> tuple[int, ...]:
        """The month indices of `mask`."""
        out, i = [], 0
        while mask:
            if mask & 1:
                out.append(self.base + i)
            mask >>= 1
            i += 1
        return tuple(out)

    def sums(self, mask: int, *pairs: tuple[int, int]) -> list[float | None]:
        """For each (field, given) pair of column numbers (4 revenue, 5 gross profit, 6 cost to serve,
        7 category spend, 8 discounts; given 0 for none), Σ field × part in `mask` over the periods
        that have the field (and the given one); None when none does."""
        out: list[float | None] = [None] * len(pairs)
        for row in self.rows:
            share = None
            for k, (col, given) in enumerate(pairs):
                v = row[col]
                if v is None or (given and row[given] is None):
                    continue
                if share is None:
                    share = self.share(row, mask)
                if share:
                    out[k] = (out[k] or 0.0) + v * share
        return out


_REVENUE, _PROFIT, _COST, _SPEND, _DISCOUNTS = 4, 5, 6, 7, 8

_last: list = [None]  # (plan, its book): the figures of one plan are asked for together


def _book(plan: Plan) -> _Book:
    entry = _last[0]  # one read and one write of a whole pair, so threads never mix two plans
    if entry is None or entry[0] is not plan:
        entry = (plan, _Book(plan))
        _last[0] = entry
    return entry[1]


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator * 100


@dataclass(frozen=True)
class Window:
    """One plan's trailing twelve months: the sums and ratios over the periods inside them."""

    start: _dt.date
    end: _dt.date
    revenue: float | None
    gross_profit: float | None
    """Σ gross profit of the periods that record it (or a margin %)."""
    cost_to_serve: float | None
    category_spend: float | None
    discounts: float | None
    margin_pct: float | None
    """Gross profit ÷ revenue over the periods that have both."""
    margin_profit: float | None
    """Σ gross profit of the periods that have both (the margin's numerator)."""
    margin_revenue: float | None
    """Σ revenue of the periods that have both (the margin's denominator)."""
    cost_to_serve_pct: float | None
    """Cost to serve ÷ revenue over the periods that have both."""
    months: int
    """Months of the 12 with revenue recorded (the TTM's coverage)."""
    margin_months: int
    """Months of the 12 with both revenue and gross profit (the margin's coverage)."""
    cost_months: int
    """Months of the 12 with both revenue and cost to serve (cost to serve %'s coverage)."""
    share_of_wallet_pct: float | None = None
    """Revenue ÷ the client's category spend over the periods that have both."""

    @property
    def full(self) -> bool:
        return self.months == 12

    @property
    def coverage(self) -> str:
        """`over 9 of 12 months`, the words every TTM figure is shown with."""
        return f"over {self.months} of 12 months"

    @property
    def span(self) -> str:
        """The window's months in words: `Oct 2025–Sep 2026`."""
        return month_names(range(_index(self.start), _index(self.end) + 1))

    @property
    def annualised_revenue(self) -> float | None:
        """Revenue scaled to a year from the months covered (revenue × 12 ÷ months)."""
        if self.revenue is None or not self.months:
            return None
        return self.revenue * 12 / self.months


def latest_period_end(plan: Plan) -> _dt.date | None:
    """The last day of the latest period with revenue recorded (where the TTM ends)."""
    end = _book(plan).end
    if end is None:
        return None
    return _dt.date(end // 12, end % 12 + 1, calendar.monthrange(end // 12, end % 12 + 1)[1])


def ttm(plan: Plan) -> Window | None:
    """The trailing twelve months, or None when no period records revenue."""
    book = _book(plan)
    if book.end is None:
        return None
    w = book.window
    # One pass: each period's part in the window, then every sum (a pair only where both are given).
    revenue = profit = cost = spend = discounts = m_profit = m_revenue = c_cost = c_revenue = None
    s_revenue = s_spend = None
    for row in book.rows:
        share = book.share(row, w)
        if not share:
            continue
        r, gp, cts, cs, dc = row[4:9]
        if r is not None:
            r *= share
            revenue = (revenue or 0.0) + r
        if gp is not None:
            gp *= share
            profit = (profit or 0.0) + gp
            if r is not None:
                m_profit, m_revenue = (m_profit or 0.0) + gp, (m_revenue or 0.0) + r
        if cts is not None:
            cts *= share
            cost = (cost or 0.0) + cts
            if r is not None:
                c_cost, c_revenue = (c_cost or 0.0) + cts, (c_revenue or 0.0) + r
        if cs is not None:
            cs *= share
            spend = (spend or 0.0) + cs
            if r is not None:
                s_spend, s_revenue = (s_spend or 0.0) + cs, (s_revenue or 0.0) + r
        if dc is not None:
            discounts = (discounts or 0.0) + dc * share
    first = book.end - 11
    return Window(
        start=_dt.date(first // 12, first % 12 + 1, 1), end=latest_period_end(plan), revenue=revenue,
        gross_profit=profit, cost_to_serve=cost, category_spend=spend, discounts=discounts,
        margin_pct=_ratio(m_profit, m_revenue), margin_profit=m_profit, margin_revenue=m_revenue,
        cost_to_serve_pct=_ratio(c_cost, c_revenue),
        months=(book.revenue_mask & w).bit_count(), margin_months=(book.margin_mask & w).bit_count(),
        cost_months=(book.cost_mask & w).bit_count(), share_of_wallet_pct=wallet_share(s_revenue, s_spend))


# ---------------------------------------------------------------- like for like


@dataclass(frozen=True)
class Change:
    """A figure over the same months a year apart (like for like), or why it cannot be compared."""

    now: float | None
    """The figure over the matched months of the trailing twelve."""
    before: float | None
    """The figure over the same months one year earlier."""
    months: tuple[int, ...] = ()
    """The matched months of the trailing twelve (month indices; see `month_names`)."""
    reason: str | None = None
    """Why there is no comparison ("not comparable: …"), None when there is one."""

    @property
    def comparable(self) -> bool:
        return self.reason is None

    @property
    def pct(self) -> float | None:
        """now against before, in percent (growth)."""
        return None if self.reason else (self.now - self.before) / self.before * 100

    @property
    def pct_words(self) -> str:
        """The growth as every view shows it: signed, one decimal, rounded half away from zero
        (`kaplan.rounding`: 0.25 → `+0.3%`); why there is none when it cannot be compared."""
        return self.reason if self.reason else rounding.signed(self.pct, 1) + "%"

    @property
    def points(self) -> float | None:
        """now − before (a change of a percentage in points)."""
        return None if self.reason else self.now - self.before

    @property
    def basis(self) -> str:
        """Which months were compared: `like for like over 9 of 12 months, Jan–Sep 2026 against a year earlier`."""
        if self.reason:
            return self.reason
        n = len(self.months)
        span = month_names(self.months)
        return (f"like for like over {n} of 12 months, {span} against a year earlier" if n < 12
                else "like for like over all 12 months")


def growth(plan: Plan) -> Change | None:
    """Revenue growth like for like; None when no revenue is recorded at all."""
    book = _book(plan)
    if book.end is None:
        return None
    w, have = book.window, book.revenue_mask
    if not have & (w >> 12):
        return Change(None, None, (), "not comparable: no revenue recorded in the 12 months before")
    matched = have & w & (have << 12)
    if not matched:
        return Change(None, None, (), "not comparable: the months with revenue a year earlier are not "
                      "the months with revenue now")
    (now,) = book.sums(matched, (_REVENUE, 0))
    (before,) = book.sums(matched >> 12, (_REVENUE, 0))
    months = book.months(matched)
    if not before:
        return Change(now, before, months, "not comparable: revenue was zero in the same months a year earlier")
    if not math.isfinite((now - before) / before):  # a year earlier all but zero: no growth is a number
        return Change(now, before, months, "not comparable: revenue was all but zero in the same months a year earlier")
    return Change(now, before, months)


def margin_trend(plan: Plan) -> Change | None:
    """Margin like for like: over the months with revenue and gross profit in both years, in percent;
    None when no month of the trailing twelve records both."""
    book = _book(plan)
    if book.end is None or not book.margin_mask & book.window:
        return None
    have = book.margin_mask
    matched = have & book.window & (have << 12)
    if not matched:
        return Change(None, None, (), "not comparable: no margin recorded for the same months a year earlier")
    profit, revenue = book.sums(matched, (_PROFIT, _REVENUE), (_REVENUE, _PROFIT))
    profit_before, revenue_before = book.sums(matched >> 12, (_PROFIT, _REVENUE), (_REVENUE, _PROFIT))
    now, before = _ratio(profit, revenue), _ratio(profit_before, revenue_before)
    if now is None or before is None:
        return Change(now, before, book.months(matched), "not comparable: revenue was zero in one of the years")
    return Change(now, before, book.months(matched))


def growth_pct(plan: Plan) -> float | None:
    """Revenue growth like for like in percent; None when it cannot be compared."""
    g = growth(plan)
    return g.pct if g else None


# ---------------------------------------------------------------- one plan's metrics


def all_metrics(plan: Plan, today: _dt.date | Clock | None = None, nps_settings=None) -> dict[str, float | None]:
    """Every metric of `METRICS` for one plan, plus the facts in `EXTRA`, the window computed once
    (NPS over the survey window ending `today`)."""
    w = ttm(plan)
    out = {name: fn(plan) for name, fn in METRICS.items() if name not in _FINANCIAL and name != "nps"}
    out["nps"] = nps(plan, today, nps_settings)
    out.update(_financial(plan, w))
    return out


def _financial(plan: Plan, w: Window | None) -> dict[str, float | None]:
    return {
        "revenue_ttm": w.revenue if w else None,
        "revenue_annualised": w.annualised_revenue if w else None,
        "gross_profit_ttm": w.gross_profit if w else None,
        "margin_pct": w.margin_pct if w else None,
        "cost_to_serve_pct": w.cost_to_serve_pct if w else None,
        "revenue_growth_pct": growth_pct(plan) if w else None,
        "share_of_wallet_pct": _share_of_wallet(plan, w),
        "revenue_months": float(w.months) if w else None,
        "margin_profit": w.margin_profit if w else None,
        "margin_revenue": w.margin_revenue if w else None,
    }


def nps(plan: Plan, today: _dt.date | Clock | None = None, settings=None) -> float | None:
    """The NPS of the survey window ending `today` (default: the real date), None when it holds too
    few responses; the window and its settings are `kaplan.nps`'s."""
    from kaplan import nps as _nps
    from kaplan.nps import NpsConfig

    return _nps.of_plan(plan, today or _dt.date.today(), settings or NpsConfig()).score


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


def relationship_words(plan: Plan) -> str | None:
    """Where `relationship_strength` comes from, in words (`relationship strength 4.0/5`, or the mean),
    the value shown as `rounding.mean` shows it."""
    value = relationship_strength(plan)
    if value is None:
        return None
    if plan.relationships.strength is not None:
        return f"relationship strength {rounding.mean(value)}/5"
    n = sum(1 for c in plan.relationships.contacts if c.left is None and c.strength)
    return f"relationship strength {rounding.mean(value)}/5 (mean of {counted(n, 'current contact')})"


def revenue_ttm(plan: Plan) -> float | None:
    w = ttm(plan)
    return w.revenue if w else None


def revenue_annualised(plan: Plan) -> float | None:
    """TTM revenue scaled to a full year from the months it covers (× 12 ÷ months)."""
    w = ttm(plan)
    return w.annualised_revenue if w else None


def gross_profit_ttm(plan: Plan) -> float | None:
    w = ttm(plan)
    return w.gross_profit if w else None


def margin_pct(plan: Plan) -> float | None:
    w = ttm(plan)
    return w.margin_pct if w else None


def cost_to_serve_pct(plan: Plan) -> float | None:
    w = ttm(plan)
    return w.cost_to_serve_pct if w else None


def revenue_growth_pct(plan: Plan) -> float | None:
    return growth_pct(plan)


def share_of_wallet_pct(plan: Plan) -> float | None:
    """Our TTM revenue ÷ the client's TTM spend in our category (over the periods with both), else
    the latest stated share."""
    return _share_of_wallet(plan, ttm(plan))


def wallet_share(revenue: float | None, category_spend: float | None) -> float | None:
    """Share of wallet in percent: our revenue ÷ the client's spend in our category, both over the
    same periods (the trailing twelve months' sums, or one period's own figures)."""
    return _ratio(revenue, category_spend)


def period_share_of_wallet_pct(period: FinancialPeriod) -> float | None:
    """One period's share of wallet: its revenue ÷ its category spend, else the share it states."""
    share = wallet_share(period.revenue, period.client_category_spend)
    return period.share_of_wallet_pct if share is None else share


def _share_of_wallet(plan: Plan, w: Window | None) -> float | None:
    if w is not None and w.share_of_wallet_pct is not None:
        return w.share_of_wallet_pct
    stated = [(period_bounds(p.period)[1], p) for p in plan.financials.periods if p.share_of_wallet_pct is not None]
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
    "revenue_annualised": revenue_annualised,
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

EXTRA = ("revenue_months", "margin_profit", "margin_revenue")
"""Facts `all_metrics` gives beside the sources: the months of the 12 with revenue (TTM coverage) and
the two sums the margin is taken from (so a portfolio's margin is its accounts' totals' ratio)."""
ALL = (*METRICS, *EXTRA)
"""Every figure `all_metrics` gives, in one fixed order."""

MONEY = frozenset({"revenue_ttm", "revenue_annualised", "gross_profit_ttm", "margin_profit", "margin_revenue"})
"""Sources in the plan's currency: converted to the reporting currency before accounts are compared."""

_FINANCIAL = {"revenue_ttm", "revenue_annualised", "gross_profit_ttm", "margin_pct", "revenue_growth_pct",
              "cost_to_serve_pct", "share_of_wallet_pct"}

SOURCE_LOCATION = {
    **{name: ("financials", "periods") for name in _FINANCIAL},
    "nps": ("voice_of_customer",), "relationship_strength": ("relationships",),
    "position": ("account",), "key_player_coverage": ("relationships",),
    "strong_relationships": ("relationships",), "strategic_importance": ("account", "assessment"),
    "fit": ("account", "assessment"), "growth_potential": ("account", "assessment"),
    "client_attitude": ("account", "assessment"),
}
"""Where in a plan a user adds the data behind each source (to point a missing-value note at)."""
