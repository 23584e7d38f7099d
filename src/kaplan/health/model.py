"""The health model: each signal scores 0-100 from the plan, with the evidence in plain words.

health = Σ(weightᵢ × signalᵢ) / Σ weightᵢ over the signals the plan has data for. Risk level from the
bands in `kaplan.yaml` (default: ≤ 50 high/red, ≤ 75 medium/amber, else low/green). The reasons are
the signals below the top of the amber band (75 by default), the one costing most points
(weight × (100 − signal)) first.

Signals (each 100 when healthy):
- relationship: relationship strength 1-5 (`metrics.relationship_strength`: the plan's rating, else the
  mean of its current contacts) → 0-100; averaged with the stage (exploratory 0 … integrated 100).
- key_players: decision maker, sponsor and champion mapped: 100 / 67 / 33 / 0 for 3 / 2 / 1 / 0.
- single_threaded: two or more strong relationships 100, one 40, none 0.
- key_contact_gone: a key contact (decision maker, economic buyer, sponsor, coach, or influence ≥ 4)
  who left within `gone_days` → 0; else one silent longer than `silent_days` → 50; else 100.
- nps: the NPS of the survey window (`kaplan.nps`: the last `nps.window_months`, at least
  `nps.min_responses` responses, else no signal), −100…+100 → 0-100; the trend against the window
  before is given in the reason.
- detractor_loops: any detractor without a follow-up, or with an overdue open one → 0 (the reason counts
  them and names the first `NAMED`, the most overdue first, as the packs list them:
  `nps.most_overdue_first`); open but on time → 60; all closed → 100.
- overdue_actions: 100 × (1 − overdue open actions ÷ open actions).
- review_overdue: the plan's review status (`kaplan.overdue`: the stricter of its own and its tier's
  cadence): 100 while not overdue, then 100 × (2 − age ÷ days allowed), 0 at twice them or more. A
  plan never reviewed counts its age from when it started.
- renewal: renewal date passed → 0; within `renewal_horizon_days` → 100 × days left ÷ horizon.
- revenue_trend: revenue growth like for like (`metrics.growth`: the same months a year apart):
  growth ≥ 0 → 100, a drop of `revenue_drop_pct` or more → 0, linear between. No signal when the
  growth is not comparable.
- margin_trend: margin like for like (`metrics.margin_trend`): no drop → 100, a drop of
  `margin_drop_points` or more → 0, linear between.
- discount_volume: revenue up while margin down (volume bought with discounts), each by at least the
  0.1 its words show (growth and drop rounded to one decimal) → 30, else 100.
- force_field: net ≤ 0 → 0; otherwise 50 + 10 × net, at most 100.
- kpis: 100 × KPIs meeting their target ÷ KPIs with an actual value.

Broken promises (`kaplan.promises`): a signal only for a kind with a promise broken (kept promises are
what a plan is for, and do not lift health):
- plan_period, next_review, nps_survey, risks: 0 (risks: any open risk rated above
  `risks.max_exposure`).
- milestones, measures, rituals, decisions: 100 × (1 − broken ÷ made), where made counts every
  milestone (done or not), the measures with a due date and a target, the rituals with a cadence,
  and every decision with a due date, taken or not (one promise made and broken: 0). The reason names
  the most overdue broken promise of its kind (`promises.most_overdue_first`, the order a pack draws).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from kaplan import metrics, promises, rounding
from kaplan.clock import Clock, DatedNumber, days_ago
from kaplan.nps import most_overdue_first, open_loops
from kaplan.nps import window as nps_window
from kaplan.config import Config
from kaplan.model import Plan
from kaplan.model.vocab import ActionStatus, BuyingRole, Cadence, RelationshipStage
from kaplan.overdue import ReviewStatus, status_of
from kaplan.plural import counted
from kaplan.config.health import HealthSettings

KEY_ROLES = {BuyingRole.economic_buyer, BuyingRole.decision_maker, BuyingRole.sponsor, BuyingRole.coach}
_STAGE_ORDER = {stage: i for i, stage in enumerate(RelationshipStage)}
"""Each stage's place, exploratory 0 … integrated 4."""
_OPEN = frozenset(s for s in ActionStatus if s.is_open)
"""`ActionStatus.is_open`, as a set to look statuses up in."""
LEVELS = ("low", "medium", "high")
COLOURS = {"low": "green", "medium": "amber", "high": "red"}


@dataclass(frozen=True)
class Signal:
    name: str
    value: float
    """0-100, 100 healthy."""
    weight: float
    reason: str
    """What the signal found, in words a KAM would use."""
    at: tuple = ()
    """Where in the plan the evidence is."""

    @property
    def lost(self) -> float:
        return self.weight * (100 - self.value)


@dataclass
class Health:
    account_id: str
    score: float
    level: str
    signals: list[Signal] = field(default_factory=list)

    @property
    def colour(self) -> str:
        return COLOURS[self.level]

    reason_max: float = 75
    """Signals below this value are reasons (the top of the amber band by default)."""
    exact: float | None = None
    """The weighted mean before rounding; `score` is the whole number shown, and `level` is its band."""

    @property
    def reasons(self) -> list[Signal]:
        """Signals in the amber or red band, most points lost first (ties by name)."""
        return sorted((s for s in self.signals if s.value < self.reason_max and s.weight > 0),
                      key=lambda s: (-s.lost, s.name))


def level_for(score: float, settings: HealthSettings) -> str:
    return "high" if score <= settings.red_max else "medium" if score <= settings.amber_max else "low"


def assess(plan: Plan, today: _dt.date, config: Config, tier_cadence: Cadence | None = None) -> Health:
    """The health of one account on `today`."""
    return with_review(plan.account.id, base_signals(plan, today, config),
                       status_of(plan, tier_cadence, today, config), config)


def with_review(account_id: str, signals: list[Signal], status: ReviewStatus, config: Config) -> Health:
    """Health from the base signals plus the review signal for the plan's review `status`."""
    review = review_signal(status, config)
    return combine(account_id, signals + ([review] if review else []), config)


def _adder(found: list[Signal], hs: HealthSettings):
    weights = hs.weights

    def add(name: str, value: float, reason: str, at: tuple = ()) -> None:
        if type(value) is not DatedNumber:  # one is within 0-100 and rounded, whatever its day
            value = max(0.0, min(100.0, value))  # clamped to 0-100
            if value % 1:  # round() is slow, and leaves a whole number (most values: 0 or 100) as it is
                value = round(value, 6)
        found.append(Signal(name, value, weights.get(name, 0), reason, at))

    return add


def base_signals(plan: Plan, today: _dt.date | Clock, config: Config) -> list[Signal]:
    """Every signal except the review one, which depends on the tier (known only portfolio-wide)."""
    clock = Clock.of(today)
    return [s for group in SIGNAL_GROUPS for s in group(plan, clock, config)]


def _group(fill, dated: bool = True, settings=lambda config: config):
    """One group of `SIGNAL_GROUPS`: a function of (plan, clock, config) that gives the signals `fill` adds."""
    def signals(plan: Plan, clock: Clock, config: Config) -> list[Signal]:
        found: list[Signal] = []
        add = _adder(found, config.health)
        if dated:
            fill(plan, clock, settings(config), add)
        else:
            fill(plan, add)
        return found

    signals.__name__ = fill.__name__.lstrip("_")
    return signals


def review_signal(status: ReviewStatus, config: Config) -> Signal | None:
    """The review signal: 100 while the plan is not overdue for review (`kaplan.overdue`); once it is,
    100 × (2 − age ÷ days allowed), so 0 at twice the allowed days. None when the age is unknown."""
    age = status.age
    if age is None:
        return None
    found: list[Signal] = []
    value = 100 * (2 - age / status.allowed) if status.overdue else 100
    reason = status.words if status.overdue or not status.reviewed else f"reviewed {days_ago(age)}"
    _adder(found, config.health)("review_overdue", value, reason,
                                 ("plan", "last_reviewed") if status.reviewed else ("plan",))
    return found[0]


def combine(account_id: str, signals: list[Signal], config: Config) -> Health:
    """Health from signals: their weighted mean, its risk level and the reasons."""
    hs = config.health
    used = [s for s in signals if s.weight > 0]
    total = sum(s.weight for s in used)
    exact = sum(s.weight * s.value for s in used) / total if total else 100.0
    score = rounding.health(exact)  # the band is the one of the number shown
    return Health(account_id, score, level_for(score, hs), list(signals), hs.amber_max, exact)


def _relationship(plan: Plan, add) -> None:
    strength = metrics.relationship_strength(plan)  # the score's definition: the rating, else the contacts' mean
    stage = plan.account.relationship_stage
    parts, words = [], []
    if strength is not None:
        parts.append((strength - 1) / 4 * 100)
        words.append(metrics.relationship_words(plan))
    if stage is not None:
        parts.append(_STAGE_ORDER[stage] / 4 * 100)
        words.append(f"{stage} stage")  # a StrEnum formats as its value
    if parts:
        add("relationship", sum(parts) / len(parts), ", ".join(words), ("relationships",))


def _people(plan: Plan, clock: Clock, config: Config, add) -> None:
    contacts = plan.relationships.contacts
    if not contacts:
        return
    mapped = metrics.key_players_mapped({c.buying_role for c in contacts if c.left is None})
    missing = [label for label, ok in zip(("decision maker", "sponsor", "champion"), mapped) if not ok]
    add("key_players", sum(mapped) / 3 * 100,
        f"no {' or '.join(missing)} mapped" if missing else "decision maker, sponsor and champion mapped",
        ("relationships", "contacts"))
    strong = metrics.strong_contacts(plan, config.strong_relationship)
    add("single_threaded", 100 if strong >= 2 else 40 if strong == 1 else 0,
        ("single-threaded: " if strong < 2 else "") + counted(strong, "strong relationship"),
        ("relationships", "contacts"))
    # Among key contacts: the first who left within `gone_days`, else the one silent longest (the
    # first of equals) beyond `silent_days`.
    gone_days, silent_days = config.health.gone_days, config.health.silent_days
    any_key, gone, silent = False, None, None
    for i, c in enumerate(contacts):
        if not (c.buying_role in KEY_ROLES or (c.influence or 0) >= 4):
            continue
        any_key = True
        if c.left is not None:
            if gone is None and not clock.passed_by(c.left, gone_days):
                gone = i
        elif c.last_contact is not None and clock.passed_by(c.last_contact, silent_days):
            # silent longest: the earliest last contact (the first of equals)
            if silent is None or c.last_contact < contacts[silent].last_contact:
                silent = i
    if gone is not None:
        c = contacts[gone]
        role = c.buying_role.value.replace("_", " ") if c.buying_role else "key contact"
        add("key_contact_gone", 0, f"{c.name} ({role}) left on {c.left}",
            ("relationships", "contacts", gone, "left"))
    elif silent is not None:
        add("key_contact_gone", 50, f"no contact with {contacts[silent].name} for "
            f"{clock.days_since(contacts[silent].last_contact)}",
            ("relationships", "contacts", silent, "last_contact"))
    elif any_key:
        add("key_contact_gone", 100, "key contacts in touch")


def _customer(plan: Plan, clock: Clock, config: Config, add) -> None:
    responses = plan.voice_of_customer.nps
    if not responses:
        return
    now = nps_window(responses, clock, config.nps)
    if now.enough:  # too few responses give no score, so no signal (`nps_survey` says when it is stale)
        before = nps_window(responses, clock, config.nps, back=1)
        trend = ""
        shown = rounding.signed(before.score) if before.enough else None  # as `NpsWindow.words` words the NPS
        if shown is not None and shown != rounding.signed(now.score):  # equal as shown: no trend to speak of
            trend = f", {'down' if now.score < before.score else 'up'} from {shown}"
        add("nps", (now.score + 100) / 2, f"{now.words}{trend}", ("voice_of_customer", "nps"))
    loops = open_loops(responses, clock)
    late = sorted((loop for loop in loops if loop.overdue), key=most_overdue_first)  # as the packs list them
    if late:
        add("detractor_loops", 0, _not_followed_up([loop.response for loop in late]),
            ("voice_of_customer", "nps", late[0].index))
    elif loops:
        add("detractor_loops", 60, f"{counted(len(loops), 'detractor follow-up')} open, on time",
            ("voice_of_customer", "nps"))
    elif any(r.score <= 6 for r in responses):
        add("detractor_loops", 100, "every detractor loop closed")


NAMED = 3
"""Things a reason names (detractors, KPIs) before it says how many more there are."""


def _and_more(items: list, word, sep: str = ", ") -> str:
    """The first `NAMED` of `items` in words (`word(item)`), then how many more ("a, b, c and 4 more")."""
    more = f" and {len(items) - NAMED} more" if len(items) > NAMED else ""
    return sep.join(word(item) for item in items[:NAMED]) + more


def _not_followed_up(late) -> str:
    """"2 detractors not followed up: cfo (score 4, no follow-up); Ann (score 6, follow-up overdue
    since 2026-11-12)", the first `NAMED` of them named and the rest counted ("… and 4 more")."""
    named = _and_more(late, lambda r: f"{r.respondent} (score {r.score}, " + (
        "no follow-up)" if r.follow_up is None else f"follow-up overdue since {r.follow_up.due})"), sep="; ")
    return f"{counted(len(late), 'detractor')} not followed up: {named}"


def _delivery(plan: Plan, clock: Clock, config: Config, add) -> None:
    open_actions, overdue, first_overdue = 0, 0, None
    for i, a in enumerate(plan.actions):
        if a.status in _OPEN:
            open_actions += 1
            if a.due and clock.passed(a.due):
                overdue += 1
                if first_overdue is None:
                    first_overdue = i
    if open_actions:
        add("overdue_actions", 100 * (1 - overdue / open_actions),
            f"{overdue} of {counted(open_actions, 'open action')} overdue" if overdue else "no overdue actions",
            ("actions", first_overdue, "due") if overdue else ("actions",))
    ff = plan.force_field
    if ff is not None and (ff.for_ or ff.against):
        net = ff.net  # a property summing both lists: read once
        add("force_field", 0 if net <= 0 else 50 + 10 * net,
            f"force-field net {net:+d}" if net else "force-field net 0", ("force_field",))
    with_actual = [k for k in plan.service.kpis if k.actual is not None]
    if with_actual:
        below = [k for k in with_actual if (k.actual < k.target if k.higher_is_better else k.actual > k.target)]
        add("kpis", 100 * (1 - len(below) / len(with_actual)),
            f"{len(below)} of {counted(len(with_actual), 'KPI')} below target ({_and_more(below, lambda k: k.name)})"
            if below else "all KPIs on target", ("service", "kpis"))


RENEWAL_DATE = ("financials", "contract", "renewal_date")


def renewal_due(renewal_date: _dt.date, clock: Clock, horizon_days: int) -> bool:
    """Whether a contract's renewal needs attention: its date has passed, or is at most `horizon_days`
    away (renewal − today ≤ horizon: a renewal exactly at the horizon is within it)."""
    return clock.reached_within(renewal_date, horizon_days)


def due_renewal(signal: Signal) -> bool:
    """Whether `signal` is the renewal signal of a contract `renewal_due` holds for: only those point at
    the renewal date (a renewal beyond the horizon is healthy and points nowhere). The portfolio's
    renewals are these, so they are the ones health counts, whatever the signal's value (100 at the
    horizon itself)."""
    return signal.name == "renewal" and signal.at == RENEWAL_DATE


def _money(plan: Plan, clock: Clock, hs: HealthSettings, add) -> None:
    c = plan.financials.contract
    if c and c.renewal_date:
        if clock.passed(c.renewal_date):
            add("renewal", 0, f"contract renewal date {c.renewal_date} has passed", RENEWAL_DATE)
        elif renewal_due(c.renewal_date, clock, hs.renewal_horizon_days):
            add("renewal", clock.percent_left(c.renewal_date, hs.renewal_horizon_days),  # falls day by day
                f"contract renews {clock.ahead(c.renewal_date)} ({c.renewal_date})", RENEWAL_DATE)
        else:
            add("renewal", 100, f"contract renews {c.renewal_date}")
    g = metrics.growth(plan)
    if g is None or not g.comparable:
        return  # no revenue, or nothing like for like to compare: no trend to judge (the pack says why)
    growth = g.pct
    add("revenue_trend", 100 if growth >= 0 else 100 * (1 + growth / hs.revenue_drop_pct),
        f"revenue {g.pct_words} year on year ({g.basis})", ("financials", "periods"))
    m = metrics.margin_trend(plan)
    if m is None or not m.comparable:
        return
    drop = -m.points
    add("margin_trend", 100 if drop <= 0 else 100 * (1 - drop / hs.margin_drop_points),
        f"margin {rounding.fixed(m.now, 1)}%, {'down' if drop > 0 else 'up'} {rounding.fixed(abs(drop), 1)} points "
        f"year on year (from {rounding.fixed(m.before, 1)}%, {m.basis})", ("financials", "periods"))
    up, fell = rounding.rounded(growth, 1), rounding.rounded(drop, 1)  # as the words show them
    discount = up > 0 and fell > 0
    add("discount_volume", 30 if discount else 100,
        f"revenue up {rounding.fixed(up, 1)}% while margin fell {rounding.fixed(fell, 1)} points: volume bought "
        "with discounts"
        if discount else "revenue and margin move together", ("financials", "periods"))


def _promises(plan: Plan, clock: Clock, config: Config, add) -> None:
    """One signal per kind of promise broken (`kaplan.promises`). A kept promise is what a plan is for,
    not a strength: a kind with none broken adds no signal, so it neither lifts nor dilutes health."""
    def signal(name: str, broken: list, made: int, noun: str) -> None:
        if not broken:
            return
        first = min(broken, key=promises.most_overdue_first)  # the most overdue, as the pack draws them
        if len(broken) == 1 and made <= 1:
            add(name, 0, first.what, first.at)
        else:
            add(name, 100 * (1 - len(broken) / max(made, len(broken))),
                f"{len(broken)} of {max(made, len(broken))} {noun}: {first.what}", first.at)

    signal("plan_period", promises.plan_period(plan, clock, config), 1, "")
    signal("next_review", promises.next_review(plan, clock, config), 1, "")
    signal("milestones", promises.milestones(plan, clock, config),
           sum(len(o.milestones) for o in plan.objectives), "milestones overdue")
    signal("measures", promises.measures(plan, clock, config),
           sum(1 for o in plan.objectives for m in o.measures if m.due is not None and m.target is not None),
           "measures with a due date overdue and off target")
    signal("rituals", promises.rituals(plan, clock, config),
           sum(1 for r in plan.relationships.rituals if r.cadence is not None), "rituals not held within their cadence")
    signal("decisions", promises.decisions(plan, clock, config),
           sum(1 for r in plan.reviews for d in r.decisions if d.due is not None), "decisions overdue")
    signal("nps_survey", promises.nps_survey(plan, clock, config), 1, "")
    high = promises.risks(plan, clock, config)
    if high:  # one risk this grave is enough, however many milder ones the register holds
        limit = config.risks.max_exposure
        add("risks", 0, high[0].what if len(high) == 1 else f"{len(high)} open risks above {limit}: {high[0].what}",
            high[0].at)


SIGNAL_GROUPS = (_group(_relationship, dated=False), _group(_people), _group(_customer), _group(_delivery),
                 _group(_money, settings=lambda config: config.health), _group(_promises))
"""The signals of `base_signals`, in their order, in groups that ask the clock apart: the check cache
works out ahead of time on which days each group's signals change (`reading.summary`)."""
