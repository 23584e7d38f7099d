"""Concentration: ABC classes on a metric and the "top 20 % of accounts bring X %" figure.

Accounts are sorted by the metric, highest first (ties by account id). Shares are of the total of
the accounts with a positive value: an account with zero or negative revenue or gross profit brings
no share of it, so it is class C, has no cumulative share and is listed last (`non_positive`); the
cumulative share therefore rises to exactly 100 % and never beyond. An account's class is set by the
cumulative share of the accounts *before* it: below `a_pct` → A, below `b_pct` → B, else C. So the
biggest account is always A, and A holds the accounts that together make up the first `a_pct` %.
The top share counts the top ceil(`top_share_pct` % × number of accounts) accounts, of all accounts
with a value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from kaplan.config.scoring import Concentration


@dataclass(frozen=True)
class ConcentrationResult:
    metric: str
    total: float
    """Σ of the positive values (what shares are shares of)."""
    classes: dict[str, str]
    """account id → A, B or C (accounts without the metric are left out), highest value first."""
    cumulative_pct: dict[str, float]
    """account id → cumulative share including the account, in percent (accounts with a positive value)."""
    top_accounts: int
    top_share_pct: float | None
    """Share of the total brought by the top accounts; None when no account has a positive value (a share
    of nothing is undefined, never 0 %)."""
    top_accounts_pct: float
    order: list[str] = field(default_factory=list)
    """Account ids by value, highest first (ties by id): the order of the concentration table."""
    values: dict[str, float] = field(default_factory=dict)
    non_positive: list[str] = field(default_factory=list)
    """Accounts whose value is zero or negative: class C, outside the shares."""


def concentration(values: dict[str, float | None], settings: Concentration) -> ConcentrationResult:
    present = sorted(((k, v) for k, v in values.items() if v is not None), key=lambda kv: (-kv[1], kv[0]))
    positive = [(k, v) for k, v in present if v > 0]
    total = sum(v for _, v in positive)
    classes, cumulative = {}, {}
    running = 0.0
    for account, value in positive:
        before = running / total * 100
        classes[account] = "A" if before < settings.a_pct else "B" if before < settings.b_pct else "C"
        running += value
        cumulative[account] = min(running / total * 100, 100.0)
    rest = [k for k, v in present if v <= 0]
    for account in rest:
        classes[account] = "C"
    top = max(1, math.ceil(settings.top_share_pct / 100 * len(present))) if present else 0
    share = sum(max(v, 0.0) for _, v in present[:top]) / total * 100 if total > 0 else None
    return ConcentrationResult(settings.metric, total, classes, cumulative, top, share, settings.top_share_pct,
                               [k for k, _ in present], dict(present), rest)
