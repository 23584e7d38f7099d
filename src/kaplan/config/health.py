"""The `health:` part of `kaplan.yaml`: signal weights, thresholds and the risk bands."""

from __future__ import annotations

from pydantic import Field, field_validator

from kaplan.model.types import Section

SIGNALS = (
    "relationship", "key_players", "single_threaded", "key_contact_gone", "nps", "detractor_loops",
    "overdue_actions", "review_overdue", "renewal", "revenue_trend", "margin_trend", "discount_volume",
    "force_field", "kpis", "plan_period", "next_review", "milestones", "measures", "rituals", "decisions",
    "nps_survey", "risks",
)


def default_weights() -> dict[str, float]:
    return {
        "relationship": 2, "key_players": 2, "single_threaded": 2, "key_contact_gone": 3, "nps": 2,
        "detractor_loops": 2, "overdue_actions": 1, "review_overdue": 1, "renewal": 2, "revenue_trend": 2,
        "margin_trend": 2, "discount_volume": 1, "force_field": 1, "kpis": 1, "plan_period": 2, "next_review": 1,
        "milestones": 2, "measures": 2, "rituals": 1, "decisions": 1, "nps_survey": 1, "risks": 2,
    }


class HealthSettings(Section):
    """How account health is computed. Each signal gives 0-100 (100 healthy); health is their weighted mean."""

    weights: dict[str, float] = Field(default_factory=default_weights)
    """Weight of each signal; a signal not named keeps its default weight, and 0 switches one off."""

    @field_validator("weights")
    @classmethod
    def _over_the_defaults(cls, given: dict[str, float]) -> dict[str, float]:
        return {name: float(weight) for name, weight in {**default_weights(), **given}.items()}
    silent_days: int = Field(default=90, ge=1, le=3650)
    """A key contact not contacted for longer than this is silent."""
    gone_days: int = Field(default=365, ge=1, le=3650)
    """A key contact who left within this many days still counts as a recent loss."""
    renewal_horizon_days: int = Field(default=180, ge=1, le=3650)
    """A contract renewing within this many days lowers health, more as it gets closer."""
    revenue_drop_pct: float = Field(default=20, gt=0, le=100)
    """Year-on-year revenue drop (TTM) that scores 0."""
    margin_drop_points: float = Field(default=10, gt=0, le=100)
    """Year-on-year margin drop, in percentage points, that scores 0."""
    red_max: float = Field(default=50, ge=0, le=100)
    """Health at or below this is red (high risk)."""
    amber_max: float = Field(default=75, ge=0, le=100)
    """Health at or below this (and above red) is amber (medium risk); above it green (low risk)."""
