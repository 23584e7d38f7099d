"""The opportunity forecast: open deals' value weighted by their chance of winning, per quarter.

weighted = value × probability ÷ 100. Open means not yet won or lost and not an offering already
running (`active`). A deal with no expected close date falls in an "unscheduled" bucket, one with no
probability counts its value in the pipeline but nothing in the weighted figure. Quarters are the
calendar quarters of the expected close dates (`2027-Q1`), in date order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kaplan.model.plan import Opportunity, Plan
from kaplan.model.vocab import Stage

CLOSED = {Stage.won, Stage.lost, Stage.active}
UNSCHEDULED = "unscheduled"


@dataclass
class QuarterForecast:
    quarter: str
    """`2027-Q1`, or "unscheduled"."""
    pipeline: float = 0.0
    """Total value of the open deals expected to close in the quarter."""
    weighted: float = 0.0
    opportunities: list[Opportunity] = field(default_factory=list)


def is_open(o: Opportunity) -> bool:
    return o.stage not in CLOSED


def weighted_value(o: Opportunity) -> float:
    return (o.value or 0.0) * (o.probability or 0.0) / 100


def quarter_of(o: Opportunity) -> str:
    d = o.expected_close
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}" if d else UNSCHEDULED


def forecast_by_quarter(plan: Plan) -> list[QuarterForecast]:
    """The open opportunities grouped by the quarter they are expected to close, earliest first."""
    buckets: dict[str, QuarterForecast] = {}
    for o in plan.opportunities:
        if not is_open(o):
            continue
        q = buckets.setdefault(quarter_of(o), QuarterForecast(quarter_of(o)))
        q.pipeline += o.value or 0.0
        q.weighted += weighted_value(o)
        q.opportunities.append(o)
    return sorted(buckets.values(), key=lambda q: (q.quarter == UNSCHEDULED, q.quarter))
