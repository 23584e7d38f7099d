"""What `kaplan check` keeps of one plan after reading it: findings and the few facts rules need later.

Reading and validating a plan is the expensive part of a check; everything portfolio-wide (tiers,
duplicate accounts, stale high-risk plans) needs only a handful of facts per plan. A `PlanSummary`
holds those facts as plain data, so plans can be read in worker processes, kept in the cache and
sent between processes cheaply, instead of shipping whole plan models around.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from kaplan import metrics as _metrics
from kaplan import rounding, rules
from kaplan.clock import ALWAYS, Clock, DatedNumber, DatedText
from kaplan.config import Config
from kaplan.findings import SEVERITY_NAME, SEVERITY_NAMED, Finding, Severity
from kaplan.health.model import SIGNAL_GROUPS, Signal, level_for
from kaplan.rules.health import WORDED_REASONS
from kaplan.model.plan import WhitespaceCell
from kaplan.model.vocab import Coverage
from kaplan.reading.ahead import Parts
from kaplan.reading.fingerprint import PLAIN_JSON
from kaplan.reading.loader import LoadedPlan, load_plan, load_positions
from kaplan.suppressions import Directive, parse as parse_suppressions


FIGURES_WRONG = frozenset({"period-overlap", "date-order"})
"""Errors that make a plan's figures wrong (revenue counted twice, a period or contract that ends
before it starts): a plan with one is left out of scores, risk and packs until it is fixed."""
_METRIC_NAMES = _metrics.ALL
_NPS = _METRIC_NAMES.index("nps")


@dataclass
class PlanSummary:
    path: str
    display: str
    findings: list[Finding] = field(default_factory=list)
    """Findings of the file and of the plan rules, located, with the config's severities."""
    account_id: str | None = None
    """None when the file is not a valid plan."""
    name: str = ""
    owner: str = ""
    metrics: dict = field(default_factory=dict)
    currency: str | None = None
    """The plan's `financials.currency`."""
    has_money: bool = False
    """Whether the plan records any money (periods, contract, opportunities, investment)."""
    review_cadence: str | None = None
    executive_sponsor: bool = False
    rituals: list[str] = field(default_factory=list)
    last_review: _dt.date | None = None
    has_last_reviewed: bool = False
    """Whether `plan.last_reviewed` holds the last review (else it is only in the reviews log)."""
    started: _dt.date | None = None
    """When the plan was started (`overdue.plan_started`)."""
    suppressions: list = field(default_factory=list)
    """The plan's `# kaplan: disable…` comments (`suppressions.Directive`), applied once the
    portfolio's findings are known too."""
    span: tuple[int, int] | None = field(default=None, repr=False)
    """The days (ordinals, first ≤ day < last) on which the findings and facts read hold as they are
    (`kaplan.clock`); None when not known (a file that was not read as a plan holds on every day)."""
    details_span: tuple[int, int] | None = field(default=None, repr=False)
    """The same for the details (the health signals)."""
    ahead: str | None = field(default=None, repr=False)
    """What changes on the days of `span` after the day the plan was read (`_ahead`), as the cache
    keeps it: JSON text, worked out again only on a day it is wanted (`advanced`); None when nothing does."""
    next_change: int | None = field(default=None, repr=False)
    """The first of those days (None: none before the end of `span`)."""
    details_ahead: list | None = field(default=None, repr=False)
    """The health signals of each of those days on which they change: [day, signals as `details_json`]."""
    places: list | None = field(default=None, repr=False)
    """(line, column) of each of `rules.PORTFOLIO_PLACES` in the file, for a valid plan with findings
    of its own (whose file is scanned for places anyway); None when not kept."""
    weighed: list | None = field(default=None, repr=False)
    """(value, weight) of each health signal with a weight: enough for the account's health and its
    level (`health.model.combine`) without reading the details. For an account whose health may fall
    to the high-risk band (`_may_be_high`), each signal that may be one of the reasons a finding
    names (`_may_lead`) also keeps its name and reason: (value, weight, name, reason)."""
    digest: str | None = field(default=None, repr=False)
    """Content hash of the bytes read (None when the file could not be read as a plan file)."""
    signature: list | None = field(default=None, repr=False)
    """The file's stat signature when it was read, if it had settled (see `_fingerprint.settled`)."""
    shared: bool = field(default=False, repr=False)
    """Whether another plan read with this one claims its account (`duplicate-account`): neither is
    counted, since nothing tells which is the account's plan (`mark_shared`)."""
    _status: tuple | None = field(default=None, repr=False, compare=False)
    _details: object = field(default=None, repr=False)
    """Signals, investment requests and whitespace cells, or a function that reads them (from the cache)
    when first needed."""

    @property
    def valid(self) -> bool:
        return self.account_id is not None

    @property
    def usable(self) -> bool:
        """Whether `score`, `risk` and the packs count this plan: it is valid, no other plan read with it
        claims its account (`shared`), and `kaplan check` finds no error in it that makes its figures
        wrong (`FIGURES_WRONG`: overlapping periods would count revenue twice), once its own
        `# kaplan: disable` comments are applied."""
        if not self.valid or self.shared:
            return False
        if not any(f.severity is Severity.ERROR and f.rule in FIGURES_WRONG for f in self.findings):
            return True
        from kaplan.suppressions import apply

        kept = apply(self.findings, self.suppressions, self.display, known=set(rules.REGISTRY),
                     unsilenceable=rules.unsilenceable(), severity=None)
        return not any(f.severity is Severity.ERROR and f.rule in FIGURES_WRONG for f in kept)

    def _detail(self) -> tuple[list[Signal], list[dict], list[WhitespaceCell]]:
        if callable(self._details):
            self._details = self._details()
        elif isinstance(self._details, list):  # as sent by a worker process: plain data pickles fast
            self._details = self.details_from_json(self._details)
        return self._details or ([], [], [])

    @property
    def signals(self) -> list[Signal]:
        """Health signals except the review one (which depends on the tier)."""
        return self._detail()[0]

    def weighed_signals(self) -> list[Signal]:
        """The health signals as far as the account's health, its level and its reasons need them
        (`weighed`: a signal kept without words is no reason): kept with the summary, so the details
        are read only when other words are wanted."""
        if self.weighed is None:
            return self.signals
        if isinstance(self.weighed, tuple):  # as the cache keeps them, worked out when first wanted
            kept, today = self.weighed
            try:
                self.weighed = [_weighed_from_json(k, today) for k in kept]
            except (ValueError, TypeError, KeyError, IndexError, ArithmeticError):
                self.weighed = None  # not what kaplan writes: the details tell
                return self.signals
        return [Signal(k[2], k[0], k[1], k[3]) if len(k) == 4 else Signal("", k[0], k[1], "") for k in self.weighed]

    def place(self, at: tuple, key: bool) -> tuple[int, int] | None:
        """(line, column) of one of `rules.PORTFOLIO_PLACES`, or None when not kept."""
        if self.places is None:
            return None
        try:
            line, column = self.places[rules.PORTFOLIO_PLACES.index((tuple(at), key))]
        except (ValueError, TypeError, IndexError):
            return None
        return (line, column) if type(line) is int and type(column) is int else None

    @property
    def investment(self) -> list[dict]:
        """The plan's investment requests, as plain data."""
        return self._detail()[1]

    @property
    def whitespace(self) -> list[WhitespaceCell]:
        """The plan's whitespace cells (the portfolio pack's cross-sell view reads them)."""
        return self._detail()[2]

    def review_status(self, tier_cadence, today: _dt.date, config: Config):
        """Whether this plan is overdue for review (`overdue.review_status`), its tier's cadence given.
        Several portfolio rules ask it of the same plan in one check: it is worked out once."""
        key = (tier_cadence, today, id(config))
        if self._status is not None and self._status[0] == key:
            return self._status[1]
        from kaplan.overdue import review_status

        status = review_status(self.last_review, self.started, self.review_cadence, tier_cadence, today, config)
        self._status = (key, status)
        return status

    def scoring_input(self):
        """What scoring needs of this plan (see `scoring.engine.ScoringInput`)."""
        from kaplan.scoring.engine import ScoringInput

        return ScoringInput(self.account_id, self.name, self.owner, self.display, self.metrics, self.currency)

    def core_json(self) -> list:
        """What portfolio-wide rules and the output need, kept in the cache's index."""
        return [self.account_id, self.name, self.owner, [self.metrics.get(k) for k in _METRIC_NAMES],
                self.currency, self.has_money,
                self.review_cadence, self.executive_sponsor, self.rituals,
                self.last_review.isoformat() if self.last_review else None, self.has_last_reviewed,
                self.started.isoformat() if self.started else None,
                [_finding_row(f) for f in self.findings],
                [d.to_json() for d in self.suppressions], self.places,
                self._weighed_json()]

    def _weighed_json(self) -> list | None:
        if self.weighed is None:
            return None
        if isinstance(self.weighed, tuple):
            return self.weighed[0]
        return _weighed_rows(self.weighed)

    def details_json(self) -> list:
        """The details as the cache keeps them: the signals, investment requests and whitespace cells,
        then the signals of each later day they change on (`details_ahead`) and the day those are known
        until (the end of `details_span`). Files of the same bytes share them, and may be known for
        fewer days (another file's rules worked out fewer days ahead): `details_from_json` tells."""
        signals, investment, cells = self._detail()
        until = self.details_span[1] if self.details_span else None
        return [_signals_json(signals), investment, [[c.unit, c.offering, c.status.value, c.competitor] for c in cells],
                self.details_ahead or [], until]

    @staticmethod
    def details_from_json(data: list, today: _dt.date | None = None) -> tuple[list[Signal], list[dict], list[WhitespaceCell]]:
        """The details `details_json` wrote, their counts of days worded for `today`, and the signals
        of `today` when they change on the days after the plan was read (`details_ahead`); KeyError
        when they are not known that far (the plan is then read again)."""
        signals, investment, cells, changes, until = data
        if today is not None:
            day = today.toordinal()
            if until is not None and day >= until:
                raise KeyError("these details are not known for that day")
            for start, later in changes:
                if start > day:
                    break
                signals = later
        return ([Signal(n, _figure(v, today), w, _text(r, today), tuple(at)) for n, v, w, r, at in signals],
                list(investment),
                [WhitespaceCell.model_construct(unit=u, offering=o, status=Coverage(st), competitor=c)
                 for u, o, st, c in cells])

    @classmethod
    def from_json(cls, path: str, display: str, core: list, details=None, today: _dt.date | None = None) -> PlanSummary:
        """The summary `core_json` wrote, its counts of days worded for `today`."""
        account_id, name, owner, values, currency, has_money, cadence, sponsor, rituals, last, has_last, started, \
            found, directives, places, weighed = core
        if len(values) != len(_METRIC_NAMES):
            raise ValueError("metrics changed")
        return cls(
            path=path, display=display,
            findings=[_finding(display, row, today) for row in found] if found else [],
            account_id=account_id, name=name, owner=owner, metrics=dict(zip(_METRIC_NAMES, values)),
            currency=currency, has_money=has_money,
            review_cadence=cadence, executive_sponsor=sponsor, rituals=list(rituals),
            last_review=_dt.date.fromisoformat(last) if last else None, has_last_reviewed=has_last,
            started=_dt.date.fromisoformat(started) if started else None,
            suppressions=[Directive.from_json(d) for d in directives] if directives else [], _details=details,
            places=places, weighed=(weighed, today) if weighed is not None else None)


def longer(kept: list | None, details: list) -> list:
    """Of two `details_json` of the same bytes, the one known for more days."""
    return details if kept is None or (kept[4] or 0) < (details[4] or 0) else kept


def mark_shared(summaries: list[PlanSummary]) -> None:
    """Mark (`PlanSummary.shared`) the valid plans among `summaries` whose account another of them claims."""
    claims: dict[str, int] = {}
    for s in summaries:
        if s.valid:
            claims[s.account_id] = claims.get(s.account_id, 0) + 1
    for s in summaries:
        s.shared = s.valid and claims[s.account_id] > 1


def summarise(path: Path, display: str, config: Config, today: _dt.date, data: bytes | None = None) -> PlanSummary:
    """Read one plan (from `data` when its bytes are already read), run the plan rules, locate their
    findings and keep the facts for later."""
    from kaplan.overdue import last_review, plan_started

    lp = load_plan(path, display, data=data)
    summary = PlanSummary(str(path), lp.display, findings=with_severity(lp.findings, config, str(path)))
    text = data if data is not None else lp.text.encode("utf-8") if lp.text is not None else None
    if text is None and lp.document is not None:
        text = _read_bytes(path)
    # only a plan that was read can silence anything (and a hostile file is not parsed once more)
    summary.suppressions = parse_suppressions(text) if text and lp.plan is not None else []
    plan = lp.plan
    if plan is None:  # what the reader found does not depend on the day
        summary.span = summary.details_span = ALWAYS
        return summary
    parts = Parts(today)  # each rule, the NPS and each group of signals: a part of its own
    ctx = rules.Context(today=today, config=config, path=lp.path)
    where = str(path)
    kept = [(r, severity) for r in rules.plan_rules() if (severity := rules.severity_of(r.id, config, where)) is not None]

    def issues(check, clock: Clock) -> list:  # a rule's issues on a clock's day (the rules share `ctx`)
        ctx.clock = clock
        return list(check(plan, ctx))

    numbers = parts.ask(issues, [r.check for r, _ in kept], _issues_key)
    rule_parts = [(r.id, severity, n) for (r, severity), n in zip(kept, numbers)]  # (rule id, severity, part)
    summary.metrics = _metrics.all_metrics(plan, parts.clock(), config.nps)  # of these, only the NPS asks the day
    nps_part = parts.add(summary.metrics["nps"], lambda _, clock: _metrics.nps(plan, clock, config.nps))
    signal_parts = parts.ask(lambda group, clock: group(plan, clock, config), SIGNAL_GROUPS, _signals_key)
    parts.follow()
    summary.span = summary.details_span = (parts.since, min(parts.until))
    clock = Clock(today, marked=True)  # words the counts of days (the same for any day: `DatedText`)
    located = _located(lp, parts, rule_parts, clock)
    if located:  # the file is scanned for their places anyway: the portfolio rules' places cost little more
        summary.places = [list(lp.locate(at, key=key)) for at, key in rules.PORTFOLIO_PLACES]
    on = _Days(summary.findings, parts, rule_parts, located, signal_parts, clock)
    first = today.toordinal()
    summary.findings = on.findings(first)
    summary.account_id, summary.name, summary.owner = plan.account.id, plan.account.name, plan.plan.owner
    summary.currency = plan.financials.currency
    summary.has_money = has_money(plan)
    summary.review_cadence = plan.plan.review_cadence.value if plan.plan.review_cadence else None
    summary.executive_sponsor = bool(plan.plan.executive_sponsor)
    summary.rituals = sorted({r.kind.value for r in plan.relationships.rituals})
    summary.last_review = last_review(plan)
    summary.has_last_reviewed = plan.plan.last_reviewed is not None and plan.plan.last_reviewed == summary.last_review
    summary.started = plan_started(plan)
    signals = on.signals(first)
    summary.weighed = _weighed(signals, config)
    summary._details = (signals, [req.model_dump(mode="json") for req in plan.investment], list(plan.whitespace))
    until = summary.span[1]
    rule_days = parts.change_days([i for _, _, i in rule_parts], until)
    nps_days = parts.change_days([nps_part], until)
    signal_days = parts.change_days(signal_parts, until)
    if rule_days or nps_days or signal_days:
        summary.ahead, summary.details_ahead = _ahead(on, summary.findings, rule_days, nps_part, nps_days,
                                                      signal_days, config)
        summary.next_change = min(rule_days | nps_days | signal_days)
    return summary


class _Days:
    """A plan's findings and signals on any day its parts are known for (`reading.ahead`)."""

    def __init__(self, read: list[Finding], parts: Parts, rule_parts: list, located: dict, signal_parts: list,
                 clock: Clock):
        self._read, self.parts, self._located = read, parts, located
        self._rule_parts = [n for _, _, n in rule_parts]
        self._signal_parts, self._clock = signal_parts, clock
        self._dated: dict[int, Signal] = {}

    def findings(self, day: int) -> list[Finding]:
        """What the reader found, then each rule's findings of the day, in the rules' order."""
        return self._read + [self._located[id(i)] for i in self._of(self._rule_parts, day)]

    def signals(self, day: int) -> list[Signal]:
        """The health signals of the day, their counts of days worded (`Clock.dated`)."""
        return [self._worded(s) for s in self._of(self._signal_parts, day)]

    def _of(self, numbers, day: int) -> list:
        """The items the parts `numbers` give on `day`, one list."""
        if not self.parts.changed:  # the usual case: each part's first answer
            answers = self.parts.answers
            return [x for n in numbers for x in answers[n][0][1]]
        on = self.parts.on
        return [x for n in numbers for x in on(n, day)]

    def _worded(self, s: Signal) -> Signal:
        if id(s) not in self._dated:
            reason = self._clock.dated(s.reason)
            self._dated[id(s)] = s if reason is s.reason else Signal(s.name, s.value, s.weight, reason, s.at)
        return self._dated[id(s)]


def _issue_key(issue) -> tuple:
    return (issue.at, issue.message, issue.hint, issue.key)


def _signals_key(signals: list[Signal]) -> list:
    """What tells one day's signals of a group from another's."""
    return [(s.name, s.value.parts if type(s.value) is DatedNumber else s.value, s.weight, s.reason, s.at)
            for s in signals]


def _issues_key(issues: list) -> list:
    """What tells one day's issues of a rule from another's (counts of days written as markers are alike)."""
    return [_issue_key(i) for i in issues]


def _located(lp: LoadedPlan, parts: Parts, rule_parts: list, clock: Clock) -> dict[int, Finding]:
    """The finding of every issue the rules raise on any day of their parts, by the issue's `id` (the
    parts keep every issue): each issue located once, however many days raise it, in one pass over
    the file, its count of days worded by `clock`."""
    wanted: dict[tuple, tuple] = {}
    same: dict[int, tuple] = {}
    for rule_id, severity, n in rule_parts:
        for _, issues in parts.answers[n]:
            for issue in issues:
                key = same[id(issue)] = (rule_id, *_issue_key(issue))
                wanted.setdefault(key, (rule_id, severity, issue))
    if not wanted:
        return {}
    found = {key: dated(f, clock) for key, f in zip(wanted, locate_issues(lp, list(wanted.values()),
                                                                             rules.PORTFOLIO_PLACES))}
    return {i: found[key] for i, key in same.items()}


def _ahead(on: _Days, first: list[Finding], rule_days: set[int], nps_part: int, nps_days: set[int],
           signal_days: set[int], config: Config) -> tuple[str, list]:
    """`PlanSummary.ahead` (as JSON text) and `details_ahead` for the days the rules' findings
    (`rule_days`), the NPS or the signals change on, after the first day (whose findings are `first`).

    The text holds for each of those days (`c`): the day, the places of that day's findings, `[NPS]`
    and the weighed signals (`PlanSummary.weighed`), each None when it is the day before's. A place
    is -1, -2, … for the first, second, … finding of the first day (the core's, which most later
    days keep), else the place in `f` of a finding no earlier day has (as `core_json` keeps findings)."""
    rows: list[list] = []
    at: dict[str, int] = {}  # a finding as kept: its place
    for k, f in enumerate(first):
        at.setdefault(PLAIN_JSON.encode(_finding_row(f)), -1 - k)
    changes = []
    details = []
    for day in sorted(rule_days | nps_days | signal_days):
        change = [day, None, None, None]
        if day in rule_days:
            places = change[1] = []
            for f in on.findings(day):
                row = _finding_row(f)
                place = at.setdefault(PLAIN_JSON.encode(row), len(rows))
                if place == len(rows):
                    rows.append(row)
                places.append(place)
        if day in nps_days:
            change[2] = [on.parts.on(nps_part, day)]
        if day in signal_days:
            signals = on.signals(day)
            change[3] = _weighed_rows(_weighed(signals, config))
            details.append([day, _signals_json(signals)])
        changes.append(change)
    return PLAIN_JSON.encode({"f": rows, "c": changes}), details


def advanced(core: list, ahead: str, day: int) -> tuple[list, int, str | None, int | None]:
    """The summary `core_json` kept, as it stands on `day` after the changes `ahead` holds up to it (a
    day of its span): that core, the first day it holds from, the changes still ahead (None: none) and
    the first day of those. ValueError (or another error of a wrong shape) when `ahead` is not what
    `_ahead` writes."""
    kept = json.loads(ahead)
    rows, changes = kept["f"], kept["c"]
    first = core[12]  # the findings of the day the text was written for (places -1, -2, …)
    core = list(core)
    since = None
    left = 0
    for left, (start, found, nps, weighed) in enumerate(changes):
        if start > day:
            break
        since = start
        if found is not None:
            core[12] = [_kept_row(rows, first, i) for i in found]
        if nps is not None:
            values = list(core[3])
            values[_NPS] = nps[0]
            core[3] = values
        if weighed is not None:
            core[15] = weighed
    else:
        left = len(changes)
    if since is None:
        raise ValueError("no change by that day")
    rest = changes[left:]
    moved: dict[int, int] = {}  # the findings of that first day still named ahead: into `f`
    for change in rest:
        if change[1] is not None:
            for i in change[1]:
                _kept_row(rows, first, i)  # a place it names is one
            change[1] = [i if i >= 0 else moved.setdefault(i, len(rows) + len(moved)) for i in change[1]]
    rows = rows + [first[-1 - i] for i in moved]
    return core, since, PLAIN_JSON.encode({"f": rows, "c": rest}) if rest else None, rest[0][0] if rest else None


def _kept_row(rows: list, first: list, place) -> list:
    """The finding at `place` in the text of the days ahead (`_ahead`): in `rows`, or (-1, -2, …) in `first`.
    ValueError for anything but a whole number (JSON's `true` would pass for 1)."""
    if type(place) is not int:
        raise ValueError("not a place")
    return rows[place] if place >= 0 else first[-1 - place]


def _weighed(signals: list[Signal], config: Config) -> list[tuple]:
    """`PlanSummary.weighed` of these signals: for an account whose health may be high, with the
    words of the reasons a high-risk finding names (`WORDED_REASONS`) on any day they hold for."""
    used = [s for s in signals if s.weight > 0]
    if not _may_be_high(used, config):
        return [(s.value, s.weight) for s in used]
    worded = {id(s) for s in _may_lead(used, config)}
    return [(s.value, s.weight, s.name, s.reason) if id(s) in worded else (s.value, s.weight) for s in used]


def _may_lead(signals: list[Signal], config: Config) -> list[Signal]:
    """The signals that may be among an account's first `WORDED_REASONS` reasons (`Health.reasons`) on
    a day these signals hold for: those first among the reasons whose value is fixed (and any that
    lose as many points as the last of them), and every one that falls day by day."""
    amber = config.health.amber_max
    fixed = sorted((s for s in signals if type(s.value) is not DatedNumber and s.value < amber),
                   key=lambda s: (-s.lost, s.name))
    last = fixed[WORDED_REASONS - 1].lost if len(fixed) >= WORDED_REASONS else None
    return fixed[:WORDED_REASONS] + [s for s in fixed[WORDED_REASONS:] if s.lost == last] + \
        [s for s in signals if type(s.value) is DatedNumber]


def _weighed_from_json(kept: list, today: _dt.date | None) -> tuple:
    """One entry of `PlanSummary.weighed` as `_weighed_json` wrote it, worked out for `today`."""
    if len(kept) not in (2, 4):
        raise ValueError("not a signal")
    value = _figure(kept[0], today)
    value = value if type(value) is DatedNumber else float(value)
    return (value, float(kept[1])) if len(kept) == 2 else (value, float(kept[1]), str(kept[2]), _text(kept[3], today))


def _may_be_high(signals: list[Signal], config: Config) -> bool:
    """Whether the account's health (`health.model.combine`: the weighted mean, rounded, in its band)
    can fall to the high-risk band on some day these signals hold for: with each signal that falls
    day by day (a `DatedNumber`, within 0-100 while it holds) at 0, and the review signal (which
    depends on the tier and the day) at its worst, 0, which lowers the mean most."""
    hs = config.health
    total = sum(s.weight for s in signals) + max(hs.weights.get("review_overdue", 0), 0)
    lowest = sum(s.weight * s.value for s in signals if type(s.value) is not DatedNumber)
    return bool(total) and level_for(rounding.health(lowest / total), hs) == "high"


def _finding_row(f: Finding) -> list:
    """A finding as the cache keeps it (its path aside)."""
    return [f.line, f.column, f.rule, SEVERITY_NAME[f.severity], _text_json(f.message), f.hint]


def _finding(display: str, row: list, today: _dt.date | None) -> Finding:
    """A finding `_finding_row` kept, of the file shown as `display`, worded for `today`."""
    line, col, rule, sev, msg, hint = row
    return Finding(display, line, col, rule, SEVERITY_NAMED[sev], _text(msg, today), hint)


def _signals_json(signals: list[Signal]) -> list:
    """Health signals as the cache keeps them."""
    return [[s.name, _figure_json(s.value), s.weight, _text_json(s.reason), list(s.at)] for s in signals]


def _weighed_rows(weighed: list[tuple]) -> list:
    """`PlanSummary.weighed` as the cache keeps it."""
    return [[_figure_json(k[0]), k[1]] if len(k) == 2 else [_figure_json(k[0]), k[1], k[2], _text_json(k[3])]
            for k in weighed]


def dated(f: Finding, clock: Clock) -> Finding:
    """`f` with its message worded as the day's (`Clock.dated`), if the clock wrote a count of days in it."""
    message = clock.dated(f.message)
    return f if message is f.message else Finding(f.path, f.line, f.column, f.rule, f.severity, message, f.hint)


def _text_json(text: str):
    """A text as the cache keeps it: its parts when it holds a count of days (`DatedText`)."""
    return text.parts if isinstance(text, DatedText) else text


def _text(data, today: _dt.date | None) -> str:
    """A text the cache kept, worded for `today`."""
    return data if isinstance(data, str) else DatedText(data, today)


def _figure_json(value: float):
    """A figure as the cache keeps it: its parts when it changes day by day (`DatedNumber`)."""
    return value.parts if isinstance(value, DatedNumber) else value


def _figure(data, today: _dt.date | None) -> float:
    """A figure the cache kept, worked out for `today`."""
    return DatedNumber(data, today) if isinstance(data, list) else data


def _read_bytes(path: Path) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def has_money(plan) -> bool:
    """Whether a plan records any amount of money (which then needs a rate into the reporting currency)."""
    f = plan.financials
    return bool(f.periods or (f.contract and f.contract.value is not None)
                or any(o.value is not None for o in plan.opportunities) or any(r.amount for r in plan.investment))


def locate_issues(lp: LoadedPlan, issues: list, places: tuple = ()) -> list[Finding]:
    """Findings for (rule id, severity, issue) triples of one plan, its positions (and those of
    `places`, (path, key) pairs, for later) read in one pass."""
    if not issues and not places:
        return []
    lp.locate_all([*(issue.at for _, _, issue in issues), *(at for at, _ in places)])
    out = []
    for rule_id, severity, issue in issues:
        line, column = lp.locate(issue.at, key=issue.key)
        out.append(Finding(lp.display, line, column, rule_id, severity, issue.message, issue.hint))
    return out


def locate_in_file(path: Path, display: str, issues: list) -> list[Finding]:
    """Findings for issues that portfolio-wide rules raised on a plan, located by reading its file
    again for positions only (no validation: the plan was valid when it was summarised)."""
    return locate_issues(load_positions(path, display), issues)


def with_severity(found: list[Finding], config: Config, path: str | None = None) -> list[Finding]:
    """The findings (of the file at `path`) with the severities `kaplan.yaml` sets; those of rules
    switched off are dropped."""
    out = []
    for f in found:
        severity = rules.severity_of(f.rule, config, path)
        if severity is not None:
            out.append(f if severity is f.severity else Finding(
                f.path, f.line, f.column, f.rule, severity, f.message, f.hint))
    return out
