"""A plan read on an earlier day, brought to today without reading its file again.

What a plan says does not change overnight; what follows from it on a given day does: the dated
rules' findings (an action now overdue), the NPS of the survey window ending today, and the dated
health signals. The cache keeps, with each plan, its day-independent findings and the facts those
dated parts are worked out from (`kaplan.reading.dated`). `redate()` works them out for a new day
with the same rule and signal functions a full read runs, and places each finding where the plan's
file has it (from the places kept, or by reading the file's lines for a place not seen before).
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from kaplan import metrics, rules
from kaplan.config import Config
from kaplan.findings import Finding
from kaplan.health.model import dated_signals
from kaplan.reading.dated import view


def redate(summary, today: _dt.date, config: Config) -> bool | None:
    """Bring a valid plan's summary (read on another day) to `today`, in place. None when its kept
    facts cannot answer (then the file is read afresh); else whether a finding had to be placed by
    reading the file's lines (then the places are worth keeping)."""
    signals, investment, cells, day_free, facts, places, _ = summary._detail()
    if facts is None:
        return None
    try:
        plan = view(facts)
        path = summary.path
        ctx = rules.Context(today=today, config=config, path=Path(path))
        issues = []
        for r in _dated_rules():
            severity = rules.severity_of(r.id, config, path)
            if severity is not None:
                issues.extend((r.id, severity, issue) for issue in r.check(plan, ctx))
        nps = metrics.nps(plan, today, config.nps)
    except (AttributeError, KeyError, TypeError, ValueError):  # a part the facts do not hold
        return None
    known = {(tuple(at), key): (line, column) for at, key, line, column in places}
    unplaced = [issue for _, _, issue in issues if (tuple(issue.at), issue.key) not in known]
    if unplaced:
        from kaplan.reading.loader import load_positions

        lp = load_positions(Path(path), summary.display)
        lp.locate_all(issue.at for issue in unplaced)
        for issue in unplaced:
            known[tuple(issue.at), issue.key] = lp.locate(issue.at, key=issue.key)
    dated = [Finding(summary.display, *known[tuple(issue.at), issue.key], rule_id, severity, issue.message,
                     issue.hint) for rule_id, severity, issue in issues]
    order = _rule_order()
    kept = [f for f in summary.findings if f.rule not in order]  # the file's own (none for a valid plan)
    plan_rules = [f for f in summary.findings if f.rule in order and not rules.REGISTRY[f.rule].dated]
    summary.findings = kept + sorted(plan_rules + dated, key=lambda f: order[f.rule])
    summary.metrics = {**summary.metrics, "nps": nps}
    summary.day = today
    new_places = [[list(issue.at), issue.key, f.line, f.column] for (_, _, issue), f in zip(issues, dated)]

    def details() -> tuple:
        return (dated_signals(plan, today, config, day_free), investment, cells, day_free, facts, new_places,
                today.isoformat())

    summary._details = details
    return bool(unplaced)


def _dated_rules() -> list:
    return [r for r in rules.plan_rules() if r.dated]


def _rule_order() -> dict[str, int]:
    """Each plan rule's place in the order `summary.summarise` runs them, which its findings keep."""
    return {r.id: i for i, r in enumerate(rules.plan_rules())}
