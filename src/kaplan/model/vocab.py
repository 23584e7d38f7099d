"""The fixed vocabularies of key account management, as enums the plan format accepts.

Each list is the one key-account people already use (buying roles, relationship stages, the
buy-sell hierarchy, NPS categories...), so a plan reads the way a KAM talks.
"""

from __future__ import annotations

from enum import StrEnum


class BuyingRole(StrEnum):
    """The part a contact plays in the client's buying decision."""

    economic_buyer = "economic_buyer"  # the one final approver
    decision_maker = "decision_maker"
    influencer = "influencer"
    user = "user"
    technical = "technical"  # can veto, cannot approve
    gatekeeper = "gatekeeper"
    coach = "coach"  # champion inside the client
    sponsor = "sponsor"
    anti_sponsor = "anti_sponsor"


class Attitude(StrEnum):
    """A contact's attitude toward us."""

    strong_supporter = "strong_supporter"
    supporter = "supporter"
    neutral = "neutral"
    opponent = "opponent"
    strong_opponent = "strong_opponent"


class Level(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class RelationshipStage(StrEnum):
    """Where the relationship stands, from first contact to integrated partners."""

    exploratory = "exploratory"
    basic = "basic"
    cooperative = "cooperative"
    interdependent = "interdependent"
    integrated = "integrated"


class Position(StrEnum):
    """How the client sees us on the buy-sell hierarchy (1 lowest … 5 highest)."""

    commodity_supplier = "commodity_supplier"
    good_products = "good_products"
    good_service = "good_service"
    business_issues = "business_issues"
    organisational_issues = "organisational_issues"

    @property
    def level(self) -> int:
        return list(Position).index(self) + 1


class Health(StrEnum):
    """The KAM's own traffic-light judgement of the account."""

    green = "green"
    amber = "amber"
    red = "red"


class Cadence(StrEnum):
    """How often the plan is reviewed."""

    weekly = "weekly"
    biweekly = "biweekly"
    monthly = "monthly"
    quarterly = "quarterly"
    semiannual = "semiannual"
    annual = "annual"


class RitualKind(StrEnum):
    business_review = "business_review"
    executive_meeting = "executive_meeting"
    advisory_board = "advisory_board"
    operating_meeting = "operating_meeting"
    innovation_workshop = "innovation_workshop"
    other = "other"


class MeasureKind(StrEnum):
    """Leading measures are interim, non-revenue signs of progress; lagging ones are the results."""

    leading = "leading"
    lagging = "lagging"


class Stage(StrEnum):
    """Opportunity stage; `active` is a deal already running (an existing offering in use)."""

    identified = "identified"
    qualified = "qualified"
    proposal = "proposal"
    negotiation = "negotiation"
    won = "won"
    lost = "lost"
    active = "active"


class ActionStatus(StrEnum):
    planned = "planned"
    in_progress = "in_progress"
    blocked = "blocked"
    done = "done"
    cancelled = "cancelled"

    @property
    def is_open(self) -> bool:
        return self in (ActionStatus.planned, ActionStatus.in_progress, ActionStatus.blocked)


class ImpactKind(StrEnum):
    """The kind of value an action brings the client."""

    revenue_growth = "revenue_growth"
    cost_avoidance = "cost_avoidance"
    cost_reduction = "cost_reduction"
    satisfaction = "satisfaction"
    efficiency = "efficiency"
    risk_reduction = "risk_reduction"


class ReviewKind(StrEnum):
    biweekly_update = "biweekly_update"
    monthly_call = "monthly_call"
    quarterly_review = "quarterly_review"
    annual_review = "annual_review"
    ad_hoc = "ad_hoc"


class FindingSource(StrEnum):
    interview = "interview"
    questionnaire = "questionnaire"
    workshop = "workshop"
    observation = "observation"


class Side(StrEnum):
    client = "client"
    ours = "ours"


class RiskStatus(StrEnum):
    open = "open"
    mitigated = "mitigated"
    closed = "closed"


class Coverage(StrEnum):
    """A whitespace cell: does this buying unit use this offering of ours?

    `owned`: it buys it from us (won); `pipeline`: an opportunity is open; `competitor`: a competitor
    supplies it; `gap`: nobody has offered it yet; `not_relevant`: the unit has no use for it."""

    owned = "owned"
    pipeline = "pipeline"
    competitor = "competitor"
    gap = "gap"
    not_relevant = "not_relevant"
