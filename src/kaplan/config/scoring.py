"""The `scoring:` part of `kaplan.yaml`: criteria, matrix, tiers, concentration and budget.

Every default here is what a new portfolio gets without writing anything; `kaplan.yaml` overrides
any part. Semantic mistakes that a schema cannot see (an axis naming an unknown criterion) are
reported by `problems()` as issues located in `kaplan.yaml`.
"""

from __future__ import annotations

from typing import Annotated, Iterator, Literal

from pydantic import Field

from kaplan.findings import Issue
from kaplan.metrics import METRICS
from kaplan.model.types import Section
from kaplan.model.vocab import Cadence, RitualKind

Source = Literal[tuple(METRICS)]  # type: ignore[valid-type]
QUADRANTS = ("Strategic", "Star", "Status", "Streamline")
WEIGHT_MAX = 1000
"""The largest weight a criterion may have, in `kaplan.yaml` and in `kaplan score --weight` alike."""


class Normalisation(Section):
    """How a raw value becomes 0-100.

    `minmax`: the portfolio's lowest value is 0, its highest 100. `range`: a fixed `min`..`max`,
    clamped. `percentile`: the share of accounts below it. `log`: min-max on log10(1 + value), for
    money, so one giant account does not flatten everyone else; an amount of zero or less scores 0
    and is left out of the bounds, so it does not lift everyone else.
    """

    method: Literal["minmax", "range", "percentile", "log"] = "minmax"
    min: float | None = None
    max: float | None = None


class Criterion(Section):
    source: Source
    """The metric the raw value comes from (see `kaplan score --list-sources`)."""
    weight: float = Field(gt=0, le=WEIGHT_MAX)
    """Relative weight in the score: above zero and at most 1000."""
    direction: Literal["higher", "lower"] = "higher"
    """`lower` when less is better, e.g. cost to serve."""
    normalise: Normalisation = Normalisation()
    in_score: bool = True
    """False for a criterion used only by the portfolio matrix."""


def _c(source: str, weight: float, method: str = "minmax", lo: float | None = None, hi: float | None = None,
       direction: str = "higher", in_score: bool = True) -> Criterion:
    return Criterion(source=source, weight=weight, direction=direction, in_score=in_score,
                     normalise=Normalisation(method=method, min=lo, max=hi))


def default_criteria() -> dict[str, Criterion]:
    return {
        "profitability": _c("margin_pct", 3, "range", 0, 50),
        "volume": _c("revenue_annualised", 3, "log"),
        "relationship": _c("relationship_strength", 2, "range", 1, 5),
        "strategic_importance": _c("strategic_importance", 2, "range", 1, 5),
        "growth_potential": _c("growth_potential", 2, "range", 1, 5),
        "cost_to_serve": _c("cost_to_serve_pct", 1, "range", 0, 20, direction="lower"),
        "position": _c("position", 1, "range", 1, 5, in_score=False),
        "share_of_wallet": _c("share_of_wallet_pct", 1, "range", 0, 100, in_score=False),
    }


AxisWeight = Annotated[float, Field(le=WEIGHT_MAX)]
"""A criterion's weight on a matrix axis: at most `WEIGHT_MAX`, as a score's (above zero: `problems`)."""


class Matrix(Section):
    """The portfolio matrix: attractiveness (y) against our relative strength (x), both 0-100."""

    attractiveness: dict[str, AxisWeight] = Field(default_factory=lambda: {
        "volume": 1, "growth_potential": 1, "strategic_importance": 1, "profitability": 1})
    """Criteria (by name) and their weights that make up client attractiveness."""
    strength: dict[str, AxisWeight] = Field(default_factory=lambda: {
        "relationship": 1, "position": 1, "share_of_wallet": 1})
    """Criteria (by name) and their weights that make up our relative strength."""
    split: float = Field(default=50, ge=0, le=100)
    """Where both axes are split into low and high."""


class TierWhen(Section):
    """When an account falls into a tier; every condition given must hold."""

    min_score: float | None = Field(default=None, ge=0, le=100)
    max_score: float | None = Field(default=None, ge=0, le=100)
    quadrant: list[Literal[QUADRANTS]] = []  # type: ignore[valid-type]
    key: bool | None = None
    """True: only key accounts; false: only accounts below the key-account threshold."""


class Tier(Section):
    """A service tier: who falls into it, and how intensely they are served."""

    name: str = Field(min_length=1, max_length=40)
    when: TierWhen | None = None
    """Conditions; a tier with none takes every account not placed by an earlier tier."""
    review_cadence: Cadence | None = None
    """The slowest review cadence allowed for plans in this tier."""
    executive_sponsor: bool = False
    """Whether plans in this tier must name an executive sponsor."""
    rituals: list[RitualKind] = []
    """Relationship rituals every plan in this tier must hold."""


def default_tiers() -> list[Tier]:
    return [
        Tier(name="strategic", when=TierWhen(min_score=75), review_cadence=Cadence.monthly,
             executive_sponsor=True, rituals=[RitualKind.business_review, RitualKind.executive_meeting]),
        Tier(name="key", when=TierWhen(min_score=60), review_cadence=Cadence.quarterly,
             executive_sponsor=True, rituals=[RitualKind.business_review]),
        Tier(name="development", when=TierWhen(quadrant=["Star"]), review_cadence=Cadence.quarterly),
        Tier(name="core", review_cadence=Cadence.semiannual),
    ]


class Concentration(Section):
    """ABC classes on a metric: A up to `a_pct` of the cumulative total, B up to `b_pct`, C the rest."""

    metric: Literal["revenue_ttm", "gross_profit_ttm"] = "revenue_ttm"
    a_pct: float = Field(default=80, gt=0, lt=100)
    b_pct: float = Field(default=95, gt=0, le=100)
    top_share_pct: float = Field(default=20, gt=0, le=100)
    """The "top N % of accounts bring X % of revenue" figure uses this N."""


class Budget(Section):
    """Investment allocation: the money available and the rule that shares it out."""

    available: float = Field(default=0, ge=0)
    """Money available, in the reporting currency (`currency.reporting`)."""
    people: float | None = Field(default=None, ge=0, le=100_000)
    """People (FTE) available to share out; unset, requests for people are "not allocated"."""
    rule: Literal["score", "score_per_money"] = "score"
    """`score`: highest-scoring accounts first; `score_per_money`: most score per unit requested first."""


class Scoring(Section):
    criteria: dict[str, Criterion] = Field(default_factory=default_criteria)
    missing: Literal["worst", "exclude"] = "exclude"
    """A missing raw value: `worst` scores it 0; `exclude` drops that criterion for the account and
    shares its weight among the others. Either way it is reported."""
    key_account_threshold: float = Field(default=60, ge=0, le=100)
    """Accounts scoring at least this are key accounts."""
    matrix: Matrix = Matrix()
    tiers: list[Tier] = Field(default_factory=default_tiers)
    concentration: Concentration = Concentration()
    budget: Budget = Budget()


def problems(scoring: Scoring, at: tuple = ("scoring",)) -> Iterator[Issue]:
    """Mistakes in the scoring config that its schema cannot catch."""
    names = set(scoring.criteria)
    if not any(c.in_score for c in scoring.criteria.values()):
        yield Issue((*at, "criteria"), "no criterion counts toward the score (all have `in_score: false`)",
                    "set `in_score: true` on at least one criterion", key=True)
    for axis in ("attractiveness", "strength"):
        parts = getattr(scoring.matrix, axis)
        if not parts:
            yield Issue((*at, "matrix", axis), f"the matrix axis `{axis}` names no criteria", key=True)
        for name, weight in parts.items():
            if name not in names:
                yield Issue((*at, "matrix", axis, name), f"unknown criterion `{name}` in matrix {axis}",
                            f"defined criteria: {', '.join(sorted(names))}", key=True)
            elif weight <= 0:
                yield Issue((*at, "matrix", axis, name), f"weight {weight} for `{name}` must be above zero")
    for i, c in enumerate(scoring.criteria.values()):
        n = c.normalise
        if n.method == "range" and (n.min is None or n.max is None or n.max <= n.min):
            name = list(scoring.criteria)[i]
            yield Issue((*at, "criteria", name, "normalise"), f"criterion `{name}` uses `range` but needs "
                        "`min` below `max`", "add `min:` and `max:`")
    if scoring.concentration.b_pct <= scoring.concentration.a_pct:
        yield Issue((*at, "concentration", "b_pct"), "`b_pct` must be above `a_pct`")
    for i, tier in enumerate(scoring.tiers):
        if tier.when is None and i != len(scoring.tiers) - 1:
            yield Issue((*at, "tiers", i), f"tier `{tier.name}` has no `when:` and so takes every account; "
                        "tiers after it can never apply", "give it conditions, or move it last")
    if len({t.name for t in scoring.tiers}) != len(scoring.tiers):
        yield Issue((*at, "tiers"), "two tiers have the same name", key=True)
