"""What changed in an account plan between two points in time, and since its last review.

`compare(before, after)` is pure: two plans in, the changes a KAM is asked about out — contacts
added or gone, measures that moved and milestones reached, actions closed, slipped (due date moved
later) or added — with, when given, the account's standing (score, rank, tier, health) before → after.

`since_last_review()` finds the "before" through git: the portfolio as it was at the last commit on or
before the plan's last review date, scored and assessed as of that day with today's rules, so the
comparison differs only in what the plans said. `health_change()` puts a health before → after into
words; the risk report (`kaplan risk --since`) uses it and `compare` too.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import history
from .model.plan import Action, Contact, Measure, Milestone, Objective, Plan
from .progress import measure_progress, moved_toward_target
from .overdue import last_review

if TYPE_CHECKING:
    from .config import Portfolio
    from .health.model import Health
    from .scoring.engine import AccountScore


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


@dataclass
class PlanChanges:
    contacts_added: list[Contact] = field(default_factory=list)
    contacts_gone: list[Contact] = field(default_factory=list)
    """Removed from the map, or marked as having left since."""
    measures: list[MeasureMove] = field(default_factory=list)
    milestones_reached: list[tuple[Objective, Milestone]] = field(default_factory=list)
    objectives_added: list[Objective] = field(default_factory=list)
    actions_closed: list[ActionMove] = field(default_factory=list)
    actions_slipped: list[ActionMove] = field(default_factory=list)
    actions_added: list[Action] = field(default_factory=list)
    before: Standing | None = None
    after: Standing | None = None

    @property
    def plan_changed(self) -> bool:
        return any((self.contacts_added, self.contacts_gone, self.measures, self.milestones_reached,
                    self.objectives_added, self.actions_closed, self.actions_slipped, self.actions_added))

    def phrases(self) -> list[str]:
        """The plan changes as short phrases, most telling first (for one-line summaries)."""
        out = [f"{c.name} gone" for c in self.contacts_gone]
        out += [f"{len(self.actions_slipped)} action{'s' if len(self.actions_slipped) != 1 else ''} slipped"] \
            if self.actions_slipped else []
        out += [f"{len(self.actions_closed)} action{'s' if len(self.actions_closed) != 1 else ''} closed"] \
            if self.actions_closed else []
        toward = sum(1 for m in self.measures if m.toward_target)
        away = sum(1 for m in self.measures if m.toward_target is False)
        out += [f"{toward} measure{'s' if toward != 1 else ''} closer to target"] if toward else []
        out += [f"{away} measure{'s' if away != 1 else ''} further from target"] if away else []
        out += [f"{len(self.contacts_added)} contact{'s' if len(self.contacts_added) != 1 else ''} added"] \
            if self.contacts_added else []
        return out


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
    return out


def health_change(before: Health, after: Health) -> str:
    """A health before → after in words: level, score and the reasons that are new."""
    parts = []
    if before.level != after.level:
        parts.append(f"{before.colour} → {after.colour}")
    if abs(after.score - before.score) >= 0.05:
        parts.append(f"health {before.score:.0f} → {after.score:.0f}")
    was = {s.name for s in before.reasons}
    new = [s.reason for s in after.reasons if s.name not in was]
    if new:
        parts.append("new: " + "; ".join(new[:3]))
    return ", ".join(parts) if parts else "no change"


@dataclass
class SinceReview:
    """The changes since an account's last review, or why they could not be worked out."""

    review_date: _dt.date | None
    commit_date: _dt.date | None = None
    changes: PlanChanges | None = None
    note: str | None = None
    """Why there is no comparison (no review recorded, no git history, the plan is newer)."""


def since_last_review(portfolio: Portfolio, plan: Plan, now: Standing | None = None, *,
                      cache: dict | None = None) -> SinceReview:
    """Compare `plan` with itself as committed on or before its last review date.

    `cache` (any dict, reused across calls) keeps the portfolio read at each commit, so rendering
    every account's pack reads each revision once.
    """
    from .health.portfolio import assess_plans
    from .loader import LoadedPlan

    review = last_review(plan)
    if review is None:
        return SinceReview(None, note="no review is recorded, so there is nothing to compare with")
    folder = portfolio.plans_dir
    cache = {} if cache is None else cache
    try:
        history.repo_root(folder)
        commit = history.commit_on_or_before(folder, review)
        if commit is None:
            return SinceReview(review, note=f"nothing was committed on or before the last review ({review})")
        if ("plans", commit) not in cache:
            day = _dt.date.fromisoformat(history._git(folder, "show", "-s", "--format=%cs", commit).decode().strip())
            cache["plans", commit] = (day, history.plans_at(folder, commit))
    except history.HistoryUnavailable as exc:
        return SinceReview(review, note=str(exc))
    day, old = cache["plans", commit]
    if ("assessed", commit, review) not in cache:  # health as of the review day, tiers as placed then
        pairs = [(LoadedPlan(Path(f"{pid}.yaml"), f"{pid}.yaml", p), p) for pid, p in old.items()]
        cache["assessed", commit, review] = assess_plans(pairs, portfolio.config, review) if pairs else {}
    assessed = cache["assessed", commit, review]
    then = old.get(plan.account.id)
    if then is None:
        return SinceReview(review, day, note=f"the plan was not in git on {day}, the last commit on or before "
                                             f"the last review ({review})")
    standing = Standing.of(*assessed[plan.account.id]) if plan.account.id in assessed else None
    return SinceReview(review, day, compare(then, plan, standing_before=standing, standing_after=now))
