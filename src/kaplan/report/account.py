"""The account pack as data: everything the quarterly review looks at for one account.

Each part is taken from where kaplan computes it — the score and rank from scoring, the health and
its reasons from the health model, the allocation from the budget rule, the trailing figures from
`metrics`, progress from `progress`, the forecast from `forecast`, the changes from `changes` —
and arranged in the order the pack is read. Templates get this object and nothing else.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from kaplan import metrics
from kaplan.changes import Standing
from kaplan.clock import days
from kaplan.commands.since_review import SinceReview, since_last_review
from kaplan.forecast import QuarterForecast, forecast_by_quarter, is_open, weighted_value
from kaplan.health.model import Health, Signal
from kaplan.config.health import SIGNALS
from kaplan.model.plan import (Action, Contact, Decision, FinancialPeriod, Kpi, Measure, Milestone, NpsResponse,
                          Objective, Opportunity, Plan, PlanMeta, Review, Risk, Ritual)
from kaplan.model.types import period_bounds
from kaplan.money import Converter
from kaplan.nps import NpsQuarter, NpsWindow, OpenLoop, by_quarter, open_loops
from kaplan.nps import window as nps_window
from kaplan.progress import ObjectiveProgress, objective_progress
from kaplan.promises import Broken, broken_promises
from kaplan.overdue import ReviewStatus
from kaplan.plural import counted
from kaplan.scoring.allocation import Allocation
from kaplan.scoring.engine import AccountScore
from kaplan.whitespace import Grid, grid
from kaplan.report import capped
from kaplan.report.snapshot import Snapshot
from kaplan.views.text import money


@dataclass
class ContactNode:
    """A contact in the org chart, with the people who report to them."""

    contact: Contact
    children: list[ContactNode] = field(default_factory=list)


@dataclass(frozen=True)
class ActionRow:
    action: Action
    objective: Objective | None
    overdue_days: int | None
    """Days past due for an open action, else None."""

    @property
    def overdue(self) -> bool:
        return self.overdue_days is not None


@dataclass(frozen=True)
class OpportunityRow:
    opportunity: Opportunity
    objective: Objective | None
    open: bool
    weighted: float


@dataclass(frozen=True)
class PeriodRow:
    period: FinancialPeriod
    gross_profit: float | None
    margin_pct: float | None
    cost_to_serve_pct: float | None
    share_of_wallet_pct: float | None = None
    """Revenue ÷ the client's category spend, else the share the period states (`metrics`)."""


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone, with the promise it broke (`kaplan.promises`) if it is overdue."""

    milestone: Milestone
    broken: Broken | None = None


@dataclass(frozen=True)
class MeasureRow:
    """A measure and its progress (`kaplan.progress`), with the promise it broke if it is overdue."""

    measure: Measure
    progress: float | None
    broken: Broken | None = None


@dataclass(frozen=True)
class RitualRow:
    """A relationship ritual, with the promise it broke (`kaplan.promises`) if it has lapsed."""

    ritual: Ritual
    broken: Broken | None = None


@dataclass(frozen=True)
class ObjectiveRow(ObjectiveProgress):
    """An objective's progress, and its measures and milestones as the packs draw them: the overdue
    ones known, so a long list keeps them (`capped.ORDERS`)."""

    measure_rows: list[MeasureRow]
    milestone_rows: list[MilestoneRow]


@dataclass(frozen=True)
class KpiRow:
    kpi: Kpi
    status: str
    """met, missed or not measured."""


@dataclass(frozen=True)
class DecisionRow:
    review: Review
    decision: Decision
    overdue_days: int | None = None
    """Days past its due date, for a decision not yet taken; else None."""

    @property
    def overdue_words(self) -> str:
        """`(overdue, 23 days)`, `(overdue, 1 day)` for a decision past its due date, else empty: the mark
        every pack shows."""
        return "" if self.overdue_days is None else f"(overdue, {days(self.overdue_days)})"


@dataclass
class AccountPack:
    kind = "account"
    today: _dt.date
    plan: Plan
    path: str
    score: AccountScore
    accounts_total: int
    health: Health
    figures: dict[str, float | None]
    """Trailing-twelve-month figures from `kaplan.metrics`, by metric name (NPS: the survey window's)."""
    nps: NpsWindow
    """The survey window behind the NPS figure: its responses, and whether they are enough."""
    org: list[ContactNode]
    """The relationship map as drawn: its first `capped.ROWS_SHOWN` people."""
    org_more: str
    """What the map says of the people it does not draw (`capped.tree`), or ""."""
    objectives: list[ObjectiveRow]
    rituals: list[RitualRow]
    opportunities: list[OpportunityRow]
    forecast: list[QuarterForecast]
    actions: list[ActionRow]
    periods: list[PeriodRow]
    nps_responses: list[NpsResponse]
    nps_quarters: list[NpsQuarter]
    open_loops: list[OpenLoop]
    kpis: list[KpiRow]
    risks: list[Risk]
    allocations: list[Allocation]
    decisions: list[DecisionRow]
    """Decisions not yet taken, overdue ones included (marked with their days late)."""
    broken: list[Broken]
    """Promises the plan made that are past their date and unmet (`kaplan.promises`)."""
    review: ReviewStatus
    """Whether the plan is overdue for review (`kaplan.overdue`)."""
    last_review: _dt.date | None
    next_review: _dt.date | None
    next_review_from_cadence: bool
    """True when the next review date is worked out from the cadence (the plan names none)."""
    since: SinceReview | None
    budget_rule: str
    """How the portfolio shares out its budget: `score` or `score_per_money`."""
    whitespace: Grid
    """The plan's buying units × our offerings (`kaplan.whitespace`); every format draws its first
    `capped.ROWS_SHOWN` units and offerings and counts the rest."""
    window: metrics.Window | None = None
    """The trailing twelve months the figures cover (None without revenue)."""
    growth: metrics.Change | None = None
    """Revenue growth like for like, or why it is not comparable."""
    converter: Converter | None = None
    """The portfolio's reporting currency and rates."""

    @property
    def reporting(self) -> str:
        """The portfolio's reporting currency (budget and portfolio totals are in it)."""
        return self.converter.reporting if self.converter else self.currency

    @property
    def converted(self) -> str:
        """The TTM revenue in the portfolio's reporting currency, with the rate used; empty when the
        account's currency is the reporting one."""
        conv = self.converter
        if conv is None or self.currency == conv.reporting:
            return ""
        if conv.rate(self.currency) is None:
            return conv.words(self.currency)
        value = self.score.revenue
        return f"{money(value)} {conv.reporting} at {conv.words(self.currency)}"

    @property
    def last_review_entry(self):
        """The entry of the reviews log held on the last review's day (`kaplan.overdue.last_review`), for
        its kind and notes; None when `plan.last_reviewed` is later than every entry (or none)."""
        held = [r for r in self.plan.reviews if r.date is not None and r.date == self.last_review]
        return held[-1] if held else None

    @property
    def relationship_words(self) -> str | None:
        """The relationship strength and where it comes from (`metrics.relationship_words`)."""
        return metrics.relationship_words(self.plan)

    @property
    def rate_words(self) -> str:
        """The rate the account's money is converted at for the portfolio's figures (the budget among
        them), or that there is none; empty when the account's currency is the reporting one."""
        conv = self.converter
        return "" if conv is None or self.currency == conv.reporting else conv.words(self.currency)

    @property
    def ttm_words(self) -> str:
        """The TTM's months and coverage: `Oct 2025–Sep 2026, over 9 of 12 months`."""
        w = self.window
        return "no revenue recorded" if w is None else f"{w.span}, {w.coverage}"

    @property
    def growth_words(self) -> str:
        """Growth with the months it compares, or why there is no number."""
        g = self.growth
        if g is None:
            return "–"
        return g.reason if g.reason else f"{g.pct_words} {g.basis}"

    @property
    def ratio_notes(self) -> list[str]:
        """Where margin or cost to serve cover fewer months than revenue (they use the periods with both)."""
        w, out = self.window, []
        if w is not None and w.margin_pct is not None and w.margin_months < w.months:
            out.append(f"margin over the {counted(w.margin_months, 'month')} with both revenue and gross profit")
        if w is not None and w.cost_to_serve_pct is not None and w.cost_months < w.months:
            out.append(f"cost to serve over the {counted(w.cost_months, 'month')} with both revenue and cost to serve")
        return out

    @property
    def name(self) -> str:
        return self.plan.account.name

    @property
    def currency(self) -> str:
        return self.plan.financials.currency

    @property
    def reasons(self) -> list[Signal]:
        return self.health.reasons

    @property
    def signals(self) -> list[Signal]:
        """Every health signal found, in the order `kaplan.yaml` lists them (a stable order to read)."""
        order = {name: i for i, name in enumerate(SIGNALS)}
        return sorted(self.health.signals, key=lambda s: (order.get(s.name, len(order)), s.name))

    @property
    def pipeline(self) -> float:
        return sum(q.pipeline for q in self.forecast)

    @property
    def weighted_forecast(self) -> float:
        return sum(q.weighted for q in self.forecast)

    @property
    def nps_scored(self) -> list[NpsQuarter]:
        """The quarters with enough responses to have an NPS: those a chart draws."""
        return [q for q in self.nps_quarters if q.enough]

    @property
    def overdue_actions(self) -> int:
        return sum(1 for a in self.actions if a.overdue)

    @property
    def working_together(self) -> list[tuple[str, str]]:
        """Our account team and what was agreed with the client about the plan (`working_together`)."""
        return working_together(self.plan.plan)

    @property
    def working_together_drawn(self) -> list[tuple[str, str]]:
        """`working_together` as the HTML pack and the deck draw it: the team's first `capped.ROWS_SHOWN`."""
        return working_together(self.plan.plan, drawn=True)

    @property
    def driving(self) -> list[Contact]:
        """Contacts with initiatives or targets of their own, in plan order."""
        return [c for c in self.plan.relationships.contacts if c.initiatives or c.targets]

    @property
    def contacts_current(self) -> int:
        return sum(1 for c in self.plan.relationships.contacts if c.left is None)


def account_pack(snap: Snapshot, account_id: str, *, history: bool = True) -> AccountPack:
    """The account pack for `account_id` on the snapshot's day (`history`: compare with the last review)."""
    lp = snap.loaded_plan(account_id)
    plan, today = lp.plan, snap.today
    score = snap.score.account(account_id)
    health = snap.health[account_id]
    objectives = {o.id: o for o in plan.objectives}
    review = snap.review_status(account_id)
    survey = nps_window(plan.voice_of_customer.nps, today, snap.portfolio.config.nps)
    figures = {name: metrics.METRICS[name](plan) for name in FIGURES if name != "nps"}
    figures["nps"] = survey.score  # the survey window's, as health uses it
    next_review, from_cadence = plan.plan.next_review, False
    if next_review is None and review.due is not None:
        next_review, from_cadence = review.due, True
    since = None
    if history:
        since = since_last_review(snap.portfolio, plan, Standing.of(score, health), cache=snap.history_cache,
                                  today=today)
    org, org_more = capped.tree(org_chart(plan.relationships.contacts))
    broken = broken_promises(plan, today, snap.portfolio.config)
    late = {b.at[:-1]: b for b in broken if b.kind in ("milestone", "measure", "ritual")}  # by where the promise is
    return AccountPack(
        today=today, plan=plan, path=lp.display, score=score, accounts_total=snap.score.ranked,
        health=health, figures=figures, nps=survey, org=org, org_more=org_more,
        objectives=[_objective(i, o, late) for i, o in enumerate(plan.objectives)],
        rituals=[RitualRow(r, late.get(("relationships", "rituals", i))) for i, r in enumerate(plan.relationships.rituals)],
        opportunities=[OpportunityRow(o, objectives.get(o.objective or ""), is_open(o), weighted_value(o))
                       for o in plan.opportunities],
        forecast=forecast_by_quarter(plan),
        actions=[ActionRow(a, objectives.get(a.objective or ""),
                           (today - a.due).days if a.status.is_open and a.due and a.due < today else None)
                 for a in plan.actions],
        periods=[_period(p) for p in sorted(plan.financials.periods, key=lambda p: period_bounds(p.period))],
        nps_responses=sorted(plan.voice_of_customer.nps, key=lambda r: r.date),
        nps_quarters=by_quarter([r for r in plan.voice_of_customer.nps if r.date <= today],
                                snap.portfolio.config.nps.min_responses),
        open_loops=sorted(open_loops(plan.voice_of_customer.nps, today), key=lambda loop: loop.response.date),
        kpis=[KpiRow(k, _kpi_status(k)) for k in plan.service.kpis],
        risks=sorted(plan.risks, key=lambda r: (r.status.value != "open", -r.likelihood * r.impact, r.id)),
        allocations=[r for r in snap.score.allocation.rows if r.account_id == account_id],
        decisions=[DecisionRow(r, d, (today - d.due).days if d.due and d.due < today else None)
                   for r in sorted(plan.reviews, key=lambda r: r.date) for d in r.decisions if d.decided is None],
        broken=broken,
        review=review, last_review=review.last, next_review=next_review, next_review_from_cadence=from_cadence,
        since=since, budget_rule=snap.score.allocation.rule, whitespace=grid(plan.whitespace, capped.ROWS_SHOWN), window=metrics.ttm(plan), growth=metrics.growth(plan),
        converter=snap.score.converter,
    )


def _objective(i: int, o: Objective, late: dict[tuple, Broken]) -> ObjectiveRow:
    """Objective `i`'s progress and rows, each measure and milestone with the promise it broke (`late`,
    by where in the plan the promise is)."""
    op = objective_progress(o)
    return ObjectiveRow(op.objective, op.measures, op.milestones_done, op.milestones,
                        [MeasureRow(m, prog, late.get(("objectives", i, "measures", j)))
                         for j, (m, prog) in enumerate(op.measures)],
                        [MilestoneRow(m, late.get(("objectives", i, "milestones", j))) for j, m in enumerate(o.milestones)])


FIGURES = ("revenue_ttm", "gross_profit_ttm", "margin_pct", "revenue_growth_pct", "cost_to_serve_pct",
           "share_of_wallet_pct", "nps", "relationship_strength")


ORG_DEPTH = 8
"""Levels of reporting lines the org chart draws; people deeper down are listed, flat, under the
person on the last level (a real account maps three or four levels)."""


def org_chart(contacts: list[Contact]) -> list[ContactNode]:
    """The reporting lines as a forest, in plan order; a loop in `reports_to` is cut where it closes.
    Built without recursion, in time linear in the contacts, however long a chain a plan writes."""
    nodes = {c.id: ContactNode(c) for c in contacts}
    reports: dict[str, list[Contact]] = {}
    for c in contacts:
        if c.reports_to is not None and c.reports_to != c.id and c.reports_to in nodes:
            reports.setdefault(c.reports_to, []).append(c)
    roots, placed = [], set()

    def grow(root: ContactNode) -> None:
        placed.add(root.contact.id)
        stack = [(root, 1, root)]  # (node, its level, the node its reports hang from)
        while stack:
            node, level, parent = stack.pop()
            hang = node if level < ORG_DEPTH else parent
            below = [c for c in reports.get(node.contact.id, ()) if c.id not in placed]
            for c in below:
                placed.add(c.id)
                hang.children.append(nodes[c.id])
            for c in reversed(below):  # depth first, in plan order
                stack.append((nodes[c.id], min(level + 1, ORG_DEPTH), hang))

    for c in contacts:
        if c.reports_to is None or c.reports_to not in nodes or c.reports_to == c.id:
            roots.append(nodes[c.id])
            grow(nodes[c.id])
    for c in contacts:  # people inside a reporting loop: start a tree at the first of them
        if c.id not in placed:
            roots.append(nodes[c.id])
            grow(nodes[c.id])
    return roots


def working_together(meta: PlanMeta, drawn: bool = False) -> list[tuple[str, str]]:
    """(label, words) for the account team and for each thing agreed with the client about the plan,
    in the words every pack shows them (the client's pack too: both are the client's to see); `drawn`:
    the team as a capped format draws it, its first `capped.ROWS_SHOWN` then how many more."""
    out = []
    if meta.team:
        team = [t.name + (f" ({t.role})" if t.role else "") for t in meta.team]
        out.append(("Account team", capped.joined(team) if drawn else "; ".join(team)))
    agreed = meta.agreed_with_client
    if agreed is not None:
        out += [(label, value) for label, value in (("Agreed format", agreed.format), ("Agreed access", agreed.access),
                                                    ("Agreed updates", agreed.update_frequency)) if value]
    return out


def _period(p: FinancialPeriod) -> PeriodRow:
    profit = p.gross_profit
    if profit is None and p.margin_pct is not None and p.revenue is not None:
        profit = p.revenue * p.margin_pct / 100
    margin = profit / p.revenue * 100 if profit is not None and p.revenue else p.margin_pct
    cts = p.cost_to_serve / p.revenue * 100 if p.cost_to_serve is not None and p.revenue else None
    return PeriodRow(p, profit, margin, cts, metrics.period_share_of_wallet_pct(p))


def _kpi_status(k: Kpi) -> str:
    if k.actual is None:
        return "not measured"
    met = k.actual >= k.target if k.higher_is_better else k.actual <= k.target
    return "met" if met else "missed"
