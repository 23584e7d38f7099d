"""Investment allocation: share the available budget among the plans' requests by a stated rule.

`score`: requests of higher-scoring accounts first. `score_per_money`: the most score per unit of
money requested first (score ÷ amount). Ties go to the account id, then the order in the plan. Each
request is funded in full while money remains; the one that crosses the line is partly funded; the
rest are unfunded. Requests are never split across ranks or reordered by size.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.plan import InvestmentRequest
from .settings import Budget


@dataclass(frozen=True)
class Allocation:
    account_id: str
    request: InvestmentRequest
    score: float
    priority: float
    granted: float
    running_total: float
    status: str  # funded, partly funded, unfunded

    @property
    def amount(self) -> float:
        return self.request.amount


@dataclass(frozen=True)
class AllocationResult:
    rule: str
    available: float
    requested: float
    granted: float
    rows: list[Allocation]


def allocate(requests: list[tuple[str, float, InvestmentRequest]], budget: Budget) -> AllocationResult:
    """`requests` are (account id, account score, request) in plan order."""

    def priority(score: float, req: InvestmentRequest) -> float:
        if budget.rule == "score":
            return score
        return score / req.amount if req.amount > 0 else float("inf")

    ordered = sorted(enumerate(requests), key=lambda ir: (-priority(ir[1][1], ir[1][2]), ir[1][0], ir[0]))
    remaining, total, rows = budget.available, 0.0, []
    for _, (account, score, req) in ordered:
        granted = min(req.amount, max(remaining, 0.0))
        remaining -= granted
        total += granted
        status = "funded" if granted >= req.amount else "partly funded" if granted > 0 else "unfunded"
        rows.append(Allocation(account, req, score, priority(score, req), granted, total, status))
    requested = sum(r.amount for _, _, r in requests)
    return AllocationResult(budget.rule, budget.available, requested, total, rows)
