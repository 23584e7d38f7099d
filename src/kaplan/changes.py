"""What changed in an account plan between two points in time, and since its last review.

`compare(before, after)` is pure: two plans in, the changes a KAM is asked about out — contacts
added or gone, measures that moved and milestones reached, actions closed, slipped (due date moved
later) or added, whitespace cells won, opened or lost — with, when given, the account's standing (score, rank, tier, health) before → after.

`health_change()` puts a health before → after into words; the risk report (`kaplan risk --since`)
uses it and `compare` too. Finding the "before" in git is `kaplan.commands.since_review`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kaplan import rounding
from kaplan.clock import days
from kaplan.model.plan import Action, Contact, Measure, Milestone, Objective, Opportunity, Plan, Risk
from kaplan.model.vocab import Attitude, Coverage
from kaplan.plural import counted
from kaplan.progress import measure_progress, moved_toward_target
from kaplan.rounding import as_recorded
from kaplan.whitespace import WORDS

if TYPE_CHECKING:
    from kaplan.health.model import Health
    from kaplan.scoring.engine import AccountScore


@dataclass(frozen=True)
class Standing:
    """Where an account stood on one day: its score, rank and tier in the portfolio, and its health."""

    score: float | None = None
    rank: int | None = None
    tier: str | None = None
    key: bool | None = None
    health: float | None = None
    level: str | None = None
    colour: str | None = None

    @classmethod
    def of(cls, score: AccountScore | None, health: Health | None) -> Standing:
        return cls(score.score if score else None, score.rank if score else None,
                   score.tier_name if score else None, score.key if score else None,
                   health.score if health else None, health.level if health else None,
                   health.colour if health else None)


@dataclass(frozen=True)
class MeasureMove:
    objective: Objective
    measure: Measure
    """The measure as it is now."""
    before: float | None
    after: float | None

    @property
    def toward_target(self) -> bool | None:
        return moved_toward_target(self.measure, self.before, self.after)

    @property
    def progress_before(self) -> float | None:
        return measure_progress(self.measure.model_copy(update={"current": self.before}))

    @property
    def progress_after(self) -> float | None:
        return measure_progress(self.measure)


@dataclass(frozen=True)
class ActionMove:
    before: Action
    after: Action

    @property
    def days_slipped(self) -> int | None:
        if self.before.due and self.after.due:
            return (self.after.due - self.before.due).days
        return None


_ATTITUDE_RANK = {a: i for i, a in enumerate(reversed(list(Attitude)))}
"""strong_opponent 0 … strong_supporter 4: higher is warmer toward us."""


@dataclass(frozen=True)
class ContactMove:
    """A contact still mapped on both sides whose strength or attitude toward us changed."""

    before: Contact
    after: Contact

    @property
    def weaker(self) -> bool:
        """Strength fell or attitude cooled (a mixed move counts as weaker: bad news is not netted away)."""
        return self._delta() < 0

    def _delta(self) -> int:
        """Sum of the signs of the strength and attitude moves: negative weaker, positive stronger."""
        moves = []
        b, a = self.before, self.after
        if b.strength is not None and a.strength is not None and a.strength != b.strength:
            moves.append(1 if a.strength > b.strength else -1)
        if b.attitude is not None and a.attitude is not None and a.attitude != b.attitude:
            moves.append(1 if _ATTITUDE_RANK[a.attitude] > _ATTITUDE_RANK[b.attitude] else -1)
        return (min(moves) if any(m < 0 for m in moves) else max(moves)) if moves else 0

    @property
    def words(self) -> str:
        """E.g. "strength 4 → 2, attitude supporter → neutral"."""
        b, a = self.before, self.after
        parts = []
        if b.strength != a.strength and b.strength is not None and a.strength is not None:
            parts.append(f"strength {b.strength} → {a.strength}")
        if b.attitude != a.attitude and b.attitude is not None and a.attitude is not None:
            parts.append(f"attitude {b.attitude.value.replace('_', ' ')} → {a.attitude.value.replace('_', ' ')}")
        return ", ".join(parts)


@dataclass(frozen=True)
class RiskMove:
    """An open risk rated higher (likelihood × impact) than before."""

    before: Risk
    after: Risk


_CELL_VALUE = {Coverage.owned: 3, Coverage.pipeline: 2, Coverage.gap: 1, Coverage.not_relevant: 1,
               Coverage.competitor: 0}
"""For a cell that changed: ours beats a deal in progress, which beats nobody's, which beats a competitor's."""


@dataclass(frozen=True)
class CellMove:
    """A whitespace cell (buying unit × offering) recorded in both plans, with another status now."""

    unit: str
    offering: str
    before: Coverage
    after: Coverage

    @property
    def worse(self) -> bool:
        return _CELL_VALUE[self.after] < _CELL_VALUE[self.before]

    @property
    def words(self) -> str:
        """`German stores × Cold Chain Insight: not offered → open`, in the grid's words."""
        return f"{self.unit} × {self.offering}: {WORDS[self.before]} → {WORDS[self.after]}"


def _plural(n: int, noun: str, verb: str, plural: str | None = None) -> str:
    return f"{counted(n, noun, plural)} {verb}"


@dataclass
class PlanChanges:
    contacts_added: list[Contact] = field(default_factory=list)
    contacts_gone: list[Contact] = field(default_factory=list)
    """Removed from the map, or marked as having left since."""
    contacts_weaker: list[ContactMove] = field(default_factory=list)
    """Still mapped, with a lower strength or a cooler attitude toward us."""
    contacts_stronger: list[ContactMove] = field(default_factory=list)
    measures: list[MeasureMove] = field(default_factory=list)
    milestones_reached: list[tuple[Objective, Milestone]] = field(default_factory=list)
    objectives_added: list[Objective] = field(default_factory=list)
    actions_closed: list[ActionMove] = field(default_factory=list)
    actions_slipped: list[ActionMove] = field(default_factory=list)
    actions_added: list[Action] = field(default_factory=list)
    risks_added: list[Risk] = field(default_factory=list)
    """Open risks that were not in the register."""
    risks_raised: list[RiskMove] = field(default_factory=list)
    opportunities_added: list[Opportunity] = field(default_factory=list)
    whitespace: list[CellMove] = field(default_factory=list)
    """Cells in both plans whose status changed (a grid started or extended is not a change of one)."""
    before: Standing | None = None
    after: Standing | None = None

    @property
    def measures_away(self) -> list[MeasureMove]:
        return [m for m in self.measures if m.toward_target is False]

    @property
    def measures_toward(self) -> list[MeasureMove]:
        return [m for m in self.measures if m.toward_target]

    @property
    def whitespace_worse(self) -> list[CellMove]:
        return [m for m in self.whitespace if m.worse]

    @property
    def whitespace_other(self) -> list[CellMove]:
        """Cells won, opened, or moved between not offered and not relevant."""
        return [m for m in self.whitespace if not m.worse]

    @property
    def plan_changed(self) -> bool:
        return any((self.contacts_added, self.contacts_gone, self.contacts_weaker, self.contacts_stronger,
                    self.measures, self.milestones_reached, self.objectives_added, self.actions_closed,
                    self.actions_slipped, self.actions_added, self.risks_added, self.risks_raised,
                    self.opportunities_added, self.whitespace))

    def adverse(self) -> list[str]:
        """The changes for the worse, as short phrases, worst first: none is ever left out."""
        out = [f"{c.name} gone" for c in self.contacts_gone]
        out += [f"{m.after.name} weaker ({m.words})" for m in self.contacts_weaker]
        out += [f"{m.measure.name} further from target ({_num(m.before)} → {_num(m.after)}, target "
                f"{_num(m.measure.target)})" for m in self.measures_away]
        out += [f"{m.after.action} slipped {days(m.days_slipped)}" for m in self.actions_slipped]
        out += [f"new risk {r.id} ({r.likelihood} × {r.impact})" for r in self.risks_added]
        out += [f"risk {m.after.id} raised ({m.before.likelihood} × {m.before.impact} → "
                f"{m.after.likelihood} × {m.after.impact})" for m in self.risks_raised]
        out += [m.words for m in self.whitespace_worse]
        return out

    def favourable(self) -> list[str]:
        """The other changes, as short phrases (counts where there may be many)."""
        out = [_plural(len(self.milestones_reached), "milestone", "reached")] if self.milestones_reached else []
        toward = self.measures_toward
        out += [_plural(len(toward), "measure", "closer to target")] if toward else []
        out += [_plural(len(self.actions_closed), "action", "closed")] if self.actions_closed else []
        out += [f"{m.after.name} stronger ({m.words})" for m in self.contacts_stronger]
        out += [_plural(len(self.contacts_added), "contact", "added")] if self.contacts_added else []
        out += [_plural(len(self.opportunities_added), "opportunity", "added", "opportunities")] \
            if self.opportunities_added else []
        out += [_plural(len(self.objectives_added), "objective", "added")] if self.objectives_added else []
        out += [_plural(len(self.actions_added), "action", "added")] if self.actions_added else []
        out += [m.words for m in self.whitespace_other]
        return out

    def phrases(self) -> list[str]:
        """Every plan change as a short phrase, the adverse ones first (for one-line summaries)."""
        return self.adverse() + self.favourable()


def _num(value: float | None) -> str:
    """A measure's value as the plan records it (`kaplan.rounding.as_recorded`)."""
    return "–" if value is None else as_recorded(value)


def compare(before: Plan, after: Plan, *, standing_before: Standing | None = None,
            standing_after: Standing | None = None) -> PlanChanges:
    """What changed from `before` to `after` (two versions of one account's plan)."""
    out = PlanChanges(before=standing_before, after=standing_after)
    old_contacts = {c.id: c for c in before.relationships.contacts}
    new_contacts = {c.id: c for c in after.relationships.contacts}
    for cid, c in new_contacts.items():
        if cid not in old_contacts and c.left is None:
            out.contacts_added.append(c)
    for cid, c in old_contacts.items():
        now = new_contacts.get(cid)
        if c.left is None and (now is None or now.left is not None):
            out.contacts_gone.append(now or c)
        elif c.left is None and now is not None:
            move = ContactMove(c, now)
            delta = move._delta()
            if delta < 0:
                out.contacts_weaker.append(move)
            elif delta > 0:
                out.contacts_stronger.append(move)

    old_objectives = {o.id: o for o in before.objectives}
    for o in after.objectives:
        was = old_objectives.get(o.id)
        if was is None:
            out.objectives_added.append(o)
            continue
        old_measures = {m.name: m for m in was.measures}
        for m in o.measures:
            prev = old_measures.get(m.name)
            if prev is not None and prev.current != m.current:
                out.measures.append(MeasureMove(o, m, prev.current, m.current))
        done_before = {(m.quarter, m.description) for m in was.milestones if m.done}
        out.milestones_reached += [(o, m) for m in o.milestones
                                   if m.done and (m.quarter, m.description) not in done_before]

    old_actions = {a.id: a for a in before.actions}
    for a in after.actions:
        was = old_actions.get(a.id)
        if was is None:
            out.actions_added.append(a)
        elif was.status.is_open and not a.status.is_open:
            out.actions_closed.append(ActionMove(was, a))
        elif a.status.is_open and was.due and a.due and a.due > was.due:
            out.actions_slipped.append(ActionMove(was, a))

    old_risks = {r.id: r for r in before.risks}
    for r in after.risks:
        was = old_risks.get(r.id)
        if r.status.value != "open":
            continue
        if was is None:
            out.risks_added.append(r)
        elif r.likelihood * r.impact > was.likelihood * was.impact:
            out.risks_raised.append(RiskMove(was, r))
    old_opportunities = {o.id for o in before.opportunities}
    out.opportunities_added = [o for o in after.opportunities if o.id not in old_opportunities]
    old_cells = {(c.unit, c.offering): c.status for c in before.whitespace}  # a pair twice: its last entry
    new_cells = {(c.unit, c.offering): c.status for c in after.whitespace}
    out.whitespace = [CellMove(unit, offering, old_cells[unit, offering], status)
                      for (unit, offering), status in new_cells.items()
                      if (unit, offering) in old_cells and old_cells[unit, offering] is not status]
    return out


def health_change(before: Health, after: Health) -> str:
    """A health before → after in words: level, score and the reasons that are new."""
    parts = []
    if before.level != after.level:
        parts.append(f"{before.colour} → {after.colour}")
    if abs(after.score - before.score) >= 0.05:
        parts.append(f"health {rounding.fixed(before.score)} → {rounding.fixed(after.score)}")
    was = {s.name for s in before.reasons}
    new = [s.reason for s in after.reasons if s.name not in was]
    if new:
        parts.append("new: " + "; ".join(new[:3]))
    return ", ".join(parts) if parts else "no change"
