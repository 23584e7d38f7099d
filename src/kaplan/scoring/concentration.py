"""Concentration: ABC classes on a metric and the "top 20 % of accounts bring X %" figure.

Accounts are sorted by the metric, highest first (ties by account id). An account's class is set by
the cumulative share of the accounts *before* it: below `a_pct` → A, below `b_pct` → B, else C. So the
biggest account is always A, and A holds the accounts that together make up the first `a_pct` %.
The top share counts the top ceil(`top_share_pct` % × number of accounts) accounts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .settings import Concentration


@dataclass(frozen=True)
class ConcentrationResult:
    metric: str
    total: float
    classes: dict[str, str]
    """account id → A, B or C (accounts without the metric are left out)."""
    cumulative_pct: dict[str, float]
    """account id → cumulative share including the account, in percent."""
    top_accounts: int
    top_share_pct: float
    """Share of the total brought by the top accounts."""
    top_accounts_pct: float


def concentration(values: dict[str, float | None], settings: Concentration) -> ConcentrationResult:
    present = sorted(((k, v) for k, v in values.items() if v is not None), key=lambda kv: (-kv[1], kv[0]))
    total = sum(v for _, v in present)
    classes, cumulative = {}, {}
    running = 0.0
    for account, value in present:
        before = running / total * 100 if total > 0 else 100.0
        classes[account] = "A" if before < settings.a_pct else "B" if before < settings.b_pct else "C"
        running += value
        cumulative[account] = running / total * 100 if total > 0 else 0.0
    top = max(1, math.ceil(settings.top_share_pct / 100 * len(present))) if present else 0
    share = sum(v for _, v in present[:top]) / total * 100 if total > 0 else 0.0
    return ConcentrationResult(settings.metric, total, classes, cumulative, top, share, settings.top_share_pct)
