"""Investment allocation: share the available budget among the plans' requests by a stated rule.

`score`: requests of higher-scoring accounts first. `score_per_money`: the most score per unit of
money requested first (score ÷ amount in the reporting currency); a request for people only asks no
money and comes first; one whose money has no converted amount (no rate) has no ratio and comes after
every request that has one. Ties go to the account id, then the
order in the plan. Each request is funded in full while money remains; the one that crosses the line
is partly funded; the rest are unfunded. Requests are never split across ranks or reordered by size.

Money is compared in the reporting currency (`kaplan.money`): a request in a currency without a rate
is "not allocated", never funded as if its amount were in the reporting currency; so is a request of an
account with no score (no criterion of the score has a value), which has no place in the order, and
every request for money while no budget is set (`budget_set`). People (FTE) are
shared out the same way, in the same order, against `budget.people`; without it they are "not
allocated". A request for people only never reads "funded" on the strength of the money.
"""

from __future__ import annotations

from dataclasses import dataclass

from kaplan.model.plan import InvestmentRequest
from kaplan.money import Converter
from kaplan.config.scoring import Budget

FUNDED, PARTLY, UNFUNDED, NOT_ALLOCATED = "funded", "partly funded", "unfunded", "not allocated"


@dataclass(frozen=True)
class Allocation:
    account_id: str
    request: InvestmentRequest
    score: float | None
    """The account's score; None when it has none (the request is then not allocated)."""
    priority: float | None
    granted: float
    """Money granted, in the reporting currency."""
    running_total: float
    status: str
    """The request as a whole: the money's status, the people's, or both (`funded; people not allocated`)."""
    money_status: str | None = None
    """funded, partly funded, unfunded, or not allocated (no rate); None when no money is asked."""
    converted: float | None = None
    """The amount asked in the reporting currency (None without a rate)."""
    currency: str | None = None
    """The currency the request is written in (its plan's)."""
    people_granted: float | None = None
    """FTE granted; None when none are asked or `budget.people` is not set."""
    people_status: str | None = None
    """funded, partly funded, unfunded, or not allocated (no `budget.people`); None when none are asked."""

    @property
    def amount(self) -> float:
        """The amount asked, in the request's own currency."""
        return self.request.amount

    @property
    def people(self) -> float | None:
        return self.request.people_fte or None


@dataclass(frozen=True)
class AllocationResult:
    rule: str
    available: float
    requested: float
    """Money asked, in the reporting currency (requests without a rate left out)."""
    granted: float
    rows: list[Allocation]
    currency: str = "EUR"
    """The reporting currency of `available`, `requested` and `granted`."""
    people_available: float | None = None
    people_requested: float = 0.0
    people_granted: float = 0.0

    @property
    def budget_set(self) -> bool:
        """Whether kaplan.yaml sets money to allocate (`budget_set`)."""
        return budget_set(self.available)


def budget_set(available: float) -> bool:
    """Whether kaplan.yaml sets money to allocate: `scoring.budget.available` above 0 (0 is its default,
    written so by `kaplan init`). Without one, a request for money is "not allocated", never
    "unfunded", and no view shows a budget of 0."""
    return available > 0


def _status(granted: float, asked: float) -> str:
    return FUNDED if granted >= asked else PARTLY if granted > 0 else UNFUNDED


def allocate(requests: list[tuple], budget: Budget, conv: Converter | None = None) -> AllocationResult:
    """`requests` are (account id, account score, request[, currency[, rank]]) in plan order. Requests
    of equal priority go in the ranking's order (its `rank`: score, then revenue, then account id),
    then in plan order."""
    conv = conv or Converter("EUR")
    ranks = [r[4] if len(r) > 4 and r[4] is not None else float("inf") for r in requests]
    rows_in = [(r[0], r[1], r[2], r[3] if len(r) > 3 else None) for r in requests]
    amounts = [conv.convert(req.amount, cur) if req.amount > 0 else 0.0 for _, _, req, cur in rows_in]

    def priority(score: float | None, amount: float | None) -> float | None:
        """None for no place in the order: no score, or (`score_per_money`) money with no converted
        amount, which has no ratio; a request asking no money (people only) comes first."""
        if score is None:
            return None
        if budget.rule == "score":
            return score
        if amount is None:
            return None
        return score / amount if amount else float("inf")

    def place(i: int) -> tuple:
        score, value = rows_in[i][1], priority(rows_in[i][1], amounts[i])
        return (score is None, value is None, -(value or 0.0), ranks[i], rows_in[i][0], i)

    ordered = sorted(range(len(rows_in)), key=place)
    money_left, total, rows = budget.available, 0.0, []
    people_left, people_total = budget.people, 0.0
    for i in ordered:
        account, score, req, cur = rows_in[i]
        amount = amounts[i]
        money_status = None
        granted = 0.0
        if req.amount > 0:
            if amount is None or score is None or not budget_set(budget.available):
                money_status = NOT_ALLOCATED
            else:
                granted = min(amount, max(money_left, 0.0))
                money_left -= granted
                total += granted
                money_status = _status(granted, amount)
        people_granted = people_status = None
        if req.people_fte:
            if people_left is None or score is None:
                people_status = NOT_ALLOCATED
            else:
                people_granted = min(req.people_fte, max(people_left, 0.0))
                people_left -= people_granted
                people_total += people_granted
                people_status = _status(people_granted, req.people_fte)
        parts = [money_status] if money_status else []
        if people_status:
            parts.append(f"people {people_status}")
        status = "; ".join(parts) or "nothing asked"
        rows.append(Allocation(account, req, score, priority(score, amount), granted, total, status,
                               money_status, amount, cur, people_granted, people_status))
    requested = sum(a for a in amounts if a is not None)
    people_requested = sum(req.people_fte or 0.0 for _, _, req, _ in rows_in)
    return AllocationResult(budget.rule, budget.available, requested, total, rows, conv.reporting,
                            budget.people, people_requested, people_total)
