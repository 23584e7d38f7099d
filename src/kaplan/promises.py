"""Broken promises: dates the plan itself set that have passed unmet.

Each kind is one function of (plan, today, config) returning a `Broken` per promise broken, so the
`check` rule, the health signal and the account pack all list the same ones:

- plan_period: `plan.period.end` < today (the plan ran out and was not rolled forward).
- next_review: `plan.next_review` < today.
- milestone: a milestone not `done` whose period (`quarter`, e.g. 2026-Q2) ended before today.
- measure: a measure with a `target` whose `due` < today and whose `current` has not reached the
  target (from its baseline, as `progress` measures it: progress < 100 %, or no current value).
- action: an open action (planned, in progress or blocked) whose `due` < today.
- ritual: a ritual with a `cadence` not held within it: today − `last_held` > the cadence's days
  (`cadence_days`); never held counts from the plan's start, as an unreviewed plan does.
- decision: a decision in the reviews log with `due` < today and no `decided` date.
- nps_survey: no NPS response in the survey window (the last `nps.window_months`, default 12); a
  plan that never measured it is flagged once it started (see `overdue.plan_started`) before the window.
- risk: an open risk with likelihood × impact above `risks.max_exposure` (default 12, so 15 and up).

This module finds them; it does not word findings for `check` or score health (the rules and the
health model do). Actions past due weigh on health through their own signal, `overdue_actions`
(the share of open actions overdue), not one per kind here.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from kaplan.clock import Clock, days, first_day_months_after
from kaplan.model.types import period_bounds
from kaplan.overdue import cadence_days, plan_started
from kaplan.progress import measure_progress
from kaplan.rounding import as_recorded


@dataclass(frozen=True)
class Broken:
    """One promise past its date and unmet."""

    kind: str
    """One of `KINDS`."""
    at: tuple
    """Where in the plan the promise is."""
    due: _dt.date | None
    """The date the plan set (None for an NPS never surveyed or a risk, which have none)."""
    what: str
    """What was promised and is unmet, in a KAM's words."""
    hint: str

    def days_late(self, today: _dt.date) -> int | None:
        return (today - self.due).days if self.due is not None else None


def most_overdue_first(b: Broken) -> tuple:
    """The order promises past due are named and drawn in, wherever only some are (the health reason
    names the first; a pack drawing 50 of a longer list draws these first): the most overdue first
    (the earliest date due), then those with no date. A sort key; sorted stably, ties keep the
    plan's order."""
    return (0, b.due.toordinal()) if b.due is not None else (1,)


def plan_period(plan, today: _dt.date | Clock, config) -> list[Broken]:
    clock = Clock.of(today)
    p = plan.plan.period
    if p is None or not clock.passed(p.end):
        return []
    return [Broken("plan_period", ("plan", "period", "end"), p.end,
                   f"the plan period ended on {p.end} ({clock.ago(p.end)})",
                   "roll the plan forward: set a new `period` and review its objectives")]


def next_review(plan, today: _dt.date | Clock, config) -> list[Broken]:
    from kaplan.overdue import last_review

    clock = Clock.of(today)
    due = plan.plan.next_review
    if due is None or not clock.passed(due):
        return []
    last = last_review(plan)
    held = f"; a review was held on {last}, and no next one is set" if last is not None and last >= due else ""
    return [Broken("next_review", ("plan", "next_review"), due,
                   f"the next review was set for {due} ({clock.ago(due)}){held}",
                   "hold the review, then set `next_review` to the next date")]


def milestones(plan, today: _dt.date | Clock, config) -> list[Broken]:
    clock = Clock.of(today)
    out = []
    for i, o in enumerate(plan.objectives):
        for j, m in enumerate(o.milestones):
            if m.done:
                continue
            end = period_bounds(m.quarter)[1]
            if clock.passed(end):
                out.append(Broken("milestone", ("objectives", i, "milestones", j, "quarter"), end,
                                  f"milestone `{m.description}` of `{o.id}` was due in {m.quarter} (by {end}) and "
                                  "is not done", "mark it `done: true`, or agree a new quarter with the client"))
    return out


def measure_met(m) -> bool:
    """Whether a measure's current value has reached its target (progress 100 %)."""
    progress = measure_progress(m)
    return progress is not None and progress >= 100


def measures(plan, today: _dt.date | Clock, config) -> list[Broken]:
    clock = Clock.of(today)
    out = []
    for i, o in enumerate(plan.objectives):
        for j, m in enumerate(o.measures):
            if m.due is None or m.target is None or measure_met(m) or not clock.passed(m.due):
                continue
            unit = f" {m.unit}" if m.unit else ""
            now = f"is {as_recorded(m.current)}{unit}" if m.current is not None else "has no current value"
            out.append(Broken("measure", ("objectives", i, "measures", j, "due"), m.due,
                              f"measure `{m.name}` of `{o.id}` was due to reach {as_recorded(m.target)}{unit} by {m.due} and "
                              f"{now}", "record the result, or agree a new target date"))
    return out


def actions(plan, today: _dt.date | Clock, config) -> list[Broken]:
    clock = Clock.of(today)
    return [Broken("action", ("actions", i, "due"), a.due,
                   f"action `{a.id}` was due {a.due} ({clock.ago(a.due)}) and is still {a.status.value.replace('_', ' ')}",
                   "mark it done, or agree a new due date")
            for i, a in enumerate(plan.actions) if a.due and a.status.is_open and clock.passed(a.due)]


def rituals(plan, today: _dt.date | Clock, config) -> list[Broken]:
    clock = Clock.of(today)
    out = []
    started = plan_started(plan)
    for i, r in enumerate(plan.relationships.rituals):
        if r.cadence is None:
            continue
        since = r.last_held if r.last_held is not None else started
        allowed = cadence_days(r.cadence, config)
        if since is None or not clock.passed_by(since, allowed):
            continue
        due = since + _dt.timedelta(days=allowed)
        held = f"last held {r.last_held} ({clock.ago(r.last_held)})" if r.last_held is not None \
            else f"not held since the plan started on {started}"
        out.append(Broken("ritual", ("relationships", "rituals", i, "last_held" if r.last_held else "cadence"), due,
                          f"`{r.name}` ({r.cadence.value}: every {days(allowed)}) was {held}",
                          "hold it and record `last_held`, or change its cadence"))
    return out


def decisions(plan, today: _dt.date | Clock, config) -> list[Broken]:
    clock = Clock.of(today)
    out = []
    for i, r in enumerate(plan.reviews):
        for j, d in enumerate(r.decisions):
            if d.due is not None and d.decided is None and clock.passed(d.due):
                who = f" ({', '.join(d.decision_makers)})" if d.decision_makers else ""
                out.append(Broken("decision", ("reviews", i, "decisions", j, "due"), d.due,
                                  f"decision `{d.decision}`{who} was due {d.due} ({clock.ago(d.due)}) and is not "
                                  "recorded as taken", "record the date it was taken under `decided:`, or a new `due`"))
    return out


def nps_survey(plan, today: _dt.date | Clock, config) -> list[Broken]:
    from kaplan.nps import every_months, last_months, window

    clock = Clock.of(today)
    months = config.nps.window_months
    if window(plan.voice_of_customer.nps, clock, config.nps).responses:
        return []
    latest = max((r.date for r in plan.voice_of_customer.nps if clock.reached(r.date)), default=None)
    if latest is None:  # never measured: broken once the plan is older than a window, as reviews are
        started = plan_started(plan)
        if started is None or not clock.months_passed(started, months):
            return []
        return [Broken("nps_survey", ("voice_of_customer",), _last_day_on_time(started, months),
                       f"NPS has never been measured since the plan started on {started}",
                       f"survey the client at least {every_months(months)}")]
    return [Broken("nps_survey", ("voice_of_customer", "nps"), _last_day_on_time(latest, months),
                   f"NPS was last measured on {latest}, not within {last_months(months)}",
                   f"survey the client at least {every_months(months)}")]


def _last_day_on_time(day: _dt.date, months: int) -> _dt.date | None:
    """The last day a survey is on time after `day`: the day before the window no longer reaches it."""
    try:
        return first_day_months_after(day, months) - _dt.timedelta(days=1)
    except (OverflowError, ValueError):
        return None


def risks(plan, today: _dt.date | Clock, config) -> list[Broken]:
    limit = config.risks.max_exposure
    out = []
    for i, r in enumerate(plan.risks):
        if r.status.value == "open" and r.likelihood * r.impact > limit:
            out.append(Broken("risk", ("risks", i), None,
                              f"open risk `{r.id}` is rated {r.likelihood} × {r.impact} = {r.likelihood * r.impact} "
                              f"(above {limit})", "mitigate it and record how, or lower its rating with reasons"))
    return out


FINDERS = {
    "plan_period": plan_period, "next_review": next_review, "milestone": milestones, "measure": measures,
    "action": actions, "ritual": rituals, "decision": decisions, "nps_survey": nps_survey, "risk": risks,
}
KINDS = tuple(FINDERS)


def broken_promises(plan, today: _dt.date | Clock, config) -> list[Broken]:
    """Every promise of the plan past its date and unmet, kind by kind in the order of `KINDS`."""
    clock = Clock.of(today)
    return [b for find in FINDERS.values() for b in find(plan, clock, config)]
