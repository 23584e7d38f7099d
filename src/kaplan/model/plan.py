"""The plan format: one key account plan, as pydantic models.

Only `kaplan`, `account.id`, `account.name` and `plan.owner` are required; every other section is
optional so a new plan starts sparse and grows. Every section forbids unknown keys, so a typo is
reported instead of silently ignored. Field docstrings are the documentation the JSON Schema and the
editor show.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kaplan.model.types import CrmId, Date, Figure, FreeText, Money, Percent, PeriodLabel, Rating, Section, Slug, Text
from kaplan.model.vocab import (
    ActionStatus, Attitude, BuyingRole, Cadence, Coverage, FindingSource, Health, ImpactKind, Level,
    MeasureKind, Position, RelationshipStage, ReviewKind, RiskStatus, RitualKind, Side, Stage,
)

# ---------------------------------------------------------------- account overview


class Summary(Section):
    industry: FreeText | None = None
    """The client's industry and market, in a sentence or two."""
    news: FreeText | None = None
    """Recent news about the client that matters to the plan."""
    buying_process: FreeText | None = None
    """How the client buys: who is involved, which steps, procurement rules."""
    primary_objective: FreeText | None = None
    """The client's single most important objective right now."""


class Challenges(Section):
    internal: list[Text] = Field(default_factory=list)
    """Challenges inside the client's organisation."""
    external: list[Text] = Field(default_factory=list)
    """Challenges from the client's market, competitors or regulation."""


class Credential(Section):
    initiative: Text
    """The client initiative this credential speaks to."""
    evidence: Text
    """What we have done elsewhere that proves we can help."""


class Assessment(Section):
    """The KAM's 1-5 ratings, used by the portfolio's key-account criteria."""

    strategic_importance: Rating | None = None
    """How important the account is to our strategy (1 low … 5 high)."""
    fit: Rating | None = None
    """How well the client fits what we do best."""
    growth_potential: Rating | None = None
    """How much more the client could buy from us."""
    client_attitude: Rating | None = None
    """How open the client is to a close partnership with us."""


class Account(Section):
    id: Slug
    """Short lowercase id (a slug such as `acme-corp`); must match the file name."""
    name: Text
    """The client's name as people say it."""
    crm_id: CrmId | None = None
    """The account's id in the CRM (Salesforce, HubSpot, Dynamics…): how `kaplan import` finds this plan."""
    sector: FreeText | None = None
    regions: list[Text] = Field(default_factory=list)
    """Regions or countries served; a global account lists several."""
    client_since: Date | None = None
    contact_method: FreeText | None = None
    """Main way we stay in touch (on-site team, monthly call, portal…)."""
    summary: Summary | None = None
    competitors: list[Text] = Field(default_factory=list)
    """The client's own competitors."""
    challenges: Challenges | None = None
    health: Health | None = None
    """The KAM's overall judgement: green, amber or red."""
    strategic_initiatives: list[Text] = Field(default_factory=list)
    """What the client is investing in."""
    credentials: list[Credential] = Field(default_factory=list)
    """Our credentials against the client's initiatives."""
    relationship_stage: RelationshipStage | None = None
    position: Position | None = None
    """How the client sees us, from commodity supplier to contributor to organisational issues."""
    assessment: Assessment | None = None


# ---------------------------------------------------------------- plan metadata


class Period(Section):
    start: Date
    end: Date


class TeamMember(Section):
    name: Text
    role: FreeText | None = None
    internal: bool = False
    """Not named in the client's pack (`--audience client`): a specialist the client does not deal with."""


class ClientAgreement(Section):
    """What was agreed with the client about the plan itself."""

    format: FreeText | None = None
    access: FreeText | None = None
    update_frequency: FreeText | None = None


class PlanMeta(Section):
    owner: Text
    """The key account manager who owns this plan."""
    executive_sponsor: FreeText | None = None
    """Our executive who sponsors the account."""
    team: list[TeamMember] = Field(default_factory=list)
    period: Period | None = None
    """The period the plan covers (need not be a calendar year)."""
    created: Date | None = None
    """When the plan was started (`kaplan new` writes it); until its first review, its age counts from here."""
    last_reviewed: Date | None = None
    """The date of the last review; leave it out until the plan has been reviewed."""
    review_cadence: Cadence | None = None
    """How often the plan is reviewed: weekly, biweekly, monthly, quarterly, semiannual, annual."""
    next_review: Date | None = None
    agreed_with_client: ClientAgreement | None = None


# ---------------------------------------------------------------- relationships


class Contact(Section):
    id: Slug
    """Short id used by `reports_to`, NPS respondents and decisions."""
    name: Text
    crm_id: CrmId | None = None
    """The contact's id in the CRM; `kaplan import --as contacts` records it."""
    title: FreeText | None = None
    """Job title."""
    buying_role: BuyingRole | None = None
    decision_authority: Level | None = None
    influence: Rating | None = None
    """Influence on the decision, 1 (little) … 5 (decisive)."""
    attitude: Attitude | None = None
    strength: Rating | None = None
    """Strength of our relationship with this person, 1 (weak) … 5 (strong)."""
    reports_to: Slug | None = None
    """The id of the contact this person reports to."""
    our_owner: FreeText | None = None
    """Who on our side owns this relationship."""
    last_contact: Date | None = None
    left: Date | None = None
    """The date this person left the client (keep them in the map for history)."""
    initiatives: list[Text] = Field(default_factory=list)
    """What this person is driving."""
    targets: list[Text] = Field(default_factory=list)
    """The financial or business targets this person is measured on."""


class Ritual(Section):
    name: Text
    kind: RitualKind = RitualKind.other
    cadence: Cadence | None = None
    last_held: Date | None = None


class Relationships(Section):
    strength: Rating | None = None
    """Overall relationship strength, 1 (weak) … 5 (strong)."""
    contacts: list[Contact] = Field(default_factory=list)
    rituals: list[Ritual] = Field(default_factory=list)


# ---------------------------------------------------------------- financials


class FinancialPeriod(Section):
    period: PeriodLabel
    """`2026`, `2026-Q3`, `2026-H1` or `2026-07`."""
    revenue: Money | None = None
    gross_profit: Figure | None = None
    """Revenue minus cost of goods; may be negative."""
    margin_pct: float | None = Field(default=None, ge=-100, le=100)
    """Gross margin in percent, when profit is not given."""
    cost_to_serve: Money | None = None
    """What serving the account cost us (team, travel, support)."""
    discounts: Money | None = None
    client_category_spend: Money | None = None
    """The client's total spend in our category (for share of wallet)."""
    share_of_wallet_pct: Percent | None = None
    """Our share of the client's category spend, when the spend itself is not known."""
    target_revenue: Money | None = None
    target_margin_pct: float | None = Field(default=None, ge=-100, le=100)


class Contract(Section):
    value: Money | None = None
    """Contract value in the plan's currency: per year, unless `value_basis: total` says it is the
    value over the whole term."""
    value_basis: Literal["annual", "total"] = "annual"
    """`annual` (the default, and what a plan without it means): `value` is per year. `total`: `value`
    is for the whole contract, from `start` to `renewal_date`."""
    terms: FreeText | None = None
    start: Date | None = None
    renewal_date: Date | None = None
    notice_days: int | None = Field(default=None, ge=0, le=3650)
    auto_renew: bool | None = None

    @property
    def annual_value(self) -> float | None:
        """The value per year: `value` itself, or a total spread over the term's years (start to renewal)."""
        if self.value is None or self.value_basis == "annual":
            return self.value
        if self.start and self.renewal_date and self.renewal_date > self.start:
            return self.value / ((self.renewal_date - self.start).days / 365.25)
        return None

    @property
    def value_words(self) -> str:
        """`a year` or `over the whole term`: what `value` covers."""
        return "a year" if self.value_basis == "annual" else "over the whole term"


class Financials(Section):
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    """ISO 4217 code, e.g. EUR, USD, GBP."""
    periods: list[FinancialPeriod] = Field(default_factory=list)
    contract: Contract | None = None


# ---------------------------------------------------------------- objectives, opportunities, actions


class Measure(Section):
    name: Text
    kind: MeasureKind = MeasureKind.lagging
    """`leading` (interim, non-revenue) or `lagging` (the result itself)."""
    unit: FreeText | None = None
    baseline: Figure | None = None
    target: Figure | None = None
    current: Figure | None = None
    due: Date | None = None


class Milestone(Section):
    quarter: PeriodLabel
    """The quarter it is due, e.g. `2026-Q2`."""
    description: Text
    done: bool = False


class Objective(Section):
    """An objective of the client's (not ours): what they want to achieve."""

    id: Slug
    title: Text
    description: FreeText | None = None
    challenges: list[Text] = Field(default_factory=list)
    """What stands in the client's way."""
    tried: list[Text] = Field(default_factory=list)
    """What the client has already tried."""
    success: FreeText | None = None
    """How the client will measure success, in their words."""
    measures: list[Measure] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)


class Opportunity(Section):
    id: Slug
    name: Text
    crm_id: CrmId | None = None
    """The opportunity's (deal's) id in the CRM; `kaplan import --as opportunities` records it."""
    offering: FreeText | None = None
    objective: Slug | None = None
    """The id of the client objective this serves."""
    value: Money | None = None
    stage: Stage = Stage.identified
    probability: Percent | None = None
    """Chance of winning, 0-100."""
    expected_close: Date | None = None
    client_roi: FreeText | None = None
    """The return the client gets, in their terms."""
    objections: list[Text] = Field(default_factory=list)
    usage: FreeText | None = None
    """For an active offering: how the client uses it today."""


class Impact(Section):
    kind: ImpactKind
    size: Figure | None = None
    """Expected size in the plan's currency (or the measure's unit)."""
    note: FreeText | None = None


class Action(Section):
    id: Slug
    action: Text
    objective: Slug | None = None
    """The id of the client objective this action serves."""
    owner: FreeText | None = None
    due: Date | None = None
    status: ActionStatus = ActionStatus.planned
    expected_result: FreeText | None = None
    impact: Impact | None = None
    internal: bool = False
    """Ours alone (a tactic, not a joint step): left out of the client's pack (`--audience client`)."""


# ---------------------------------------------------------------- change, reviews, voice of the customer


class Force(Section):
    force: Text
    strength: Rating
    """1 (weak) … 5 (strong)."""


class ForceField(Section):
    """Forces that help the plan succeed (`for`) and forces that work against it."""

    for_: list[Force] = Field(default_factory=list, alias="for")
    against: list[Force] = Field(default_factory=list)

    @property
    def net(self) -> int:
        return sum(f.strength for f in self.for_) - sum(f.strength for f in self.against)


class Decision(Section):
    decision: Text
    decision_makers: list[Text] = Field(default_factory=list)
    owner: FreeText | None = None
    """Who on our side carries the decision out."""
    due: Date | None = None
    """When the decision is needed by."""
    decided: Date | None = None
    """When the decision was taken; empty while it is open."""
    outcome: FreeText | None = None
    """What was decided."""
    internal: bool = False
    """Ours alone (an escalation inside our company, say): left out of the client's pack."""


class Review(Section):
    date: Date
    kind: ReviewKind = ReviewKind.ad_hoc
    attendees: list[Text] = Field(default_factory=list)
    """Who took part, on both sides."""
    notes: FreeText | None = None
    decisions: list[Decision] = Field(default_factory=list)
    next_review: Date | None = None
    """The next review agreed at this one (`kaplan review` also sets `plan.next_review`)."""


class FollowUp(Section):
    owner: Text
    due: Date
    closed: Date | None = None
    """When the loop was closed with the respondent; empty while open."""
    note: FreeText | None = None


class NpsResponse(Section):
    date: Date
    respondent: Text
    """A contact id or a name."""
    score: int = Field(ge=0, le=10, strict=True)
    comment: FreeText | None = None
    follow_up: FollowUp | None = None

    @property
    def category(self) -> str:
        return "promoter" if self.score >= 9 else "passive" if self.score >= 7 else "detractor"


class VocFinding(Section):
    source: FindingSource
    side: Side = Side.client
    date: Date | None = None
    finding: Text


class VoiceOfCustomer(Section):
    nps: list[NpsResponse] = Field(default_factory=list)
    findings: list[VocFinding] = Field(default_factory=list)


class Kpi(Section):
    name: Text
    unit: FreeText | None = None
    target: Figure
    actual: Figure | None = None
    higher_is_better: bool = True
    internal: bool = False
    """Measured for us, not agreed with the client (a margin, a cost): left out of the client's pack."""


class CompetitorAssessment(Section):
    competitor: Text
    share_pct: Percent | None = None
    strengths: list[Text] = Field(default_factory=list)
    weaknesses: list[Text] = Field(default_factory=list)


class ServiceDelivery(Section):
    kpis: list[Kpi] = Field(default_factory=list)
    spend_assessment: FreeText | None = None
    competitive_assessment: list[CompetitorAssessment] = Field(default_factory=list)


class Risk(Section):
    id: Slug
    description: Text
    likelihood: Rating
    impact: Rating
    mitigation: FreeText | None = None
    owner: FreeText | None = None
    status: RiskStatus = RiskStatus.open


class InvestmentRequest(Section):
    id: Slug
    description: Text
    """What the money or people are for."""
    amount: Money = 0
    people_fte: float | None = Field(default=None, ge=0, le=1000)
    objectives: list[Slug] = Field(default_factory=list)
    """Ids of the client objectives the investment serves."""


class WhitespaceCell(Section):
    unit: Text
    """A buying unit of the client (division, site, country)."""
    offering: Text
    """One of our offerings, named the same way in every plan (the portfolio's cross-sell view matches by name)."""
    status: Coverage
    """`owned` (won), `pipeline` (open), `competitor`, `gap` (not offered yet) or `not_relevant`."""
    competitor: FreeText | None = None
    """Who supplies it today, for a `competitor` cell."""


# ---------------------------------------------------------------- the plan


class Plan(Section):
    """One key account plan."""

    kaplan: Literal[1]
    """Version of the plan format; always 1."""
    account: Account
    plan: PlanMeta
    relationships: Relationships = Field(default_factory=Relationships)
    financials: Financials = Field(default_factory=Financials)
    objectives: list[Objective] = Field(default_factory=list)
    opportunities: list[Opportunity] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    force_field: ForceField | None = None
    reviews: list[Review] = Field(default_factory=list)
    voice_of_customer: VoiceOfCustomer = Field(default_factory=VoiceOfCustomer)
    service: ServiceDelivery = Field(default_factory=ServiceDelivery)
    risks: list[Risk] = Field(default_factory=list)
    investment: list[InvestmentRequest] = Field(default_factory=list)
    whitespace: list[WhitespaceCell] = Field(default_factory=list)
