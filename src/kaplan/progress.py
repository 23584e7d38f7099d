"""How far the client's objectives have come: each measure from its baseline toward its target.

A measure's progress is (current − baseline) ÷ (target − baseline), in percent and clamped to 0-100,
so it reads the same whether the target is above the baseline (more is better) or below it (less
is better). Without a baseline, 0 is taken as the start. A measure without a target or a current
value has no progress (None), never zero: "not measured" is not "no progress".
"""

from __future__ import annotations

from dataclasses import dataclass

from kaplan.model.plan import Measure, Objective


def measure_progress(m: Measure) -> float | None:
    """Percent of the way from baseline to target (0-100), or None when it cannot be said."""
    if m.target is None or m.current is None:
        return None
    start = m.baseline if m.baseline is not None else 0.0
    span = m.target - start
    if span == 0:
        return 100.0 if m.current == m.target else 0.0
    return max(0.0, min(100.0, (m.current - start) / span * 100))


def moved_toward_target(m: Measure, before: float | None, after: float | None) -> bool | None:
    """Whether a change of the measure's current value from `before` to `after` went toward its target."""
    if before is None or after is None or m.target is None or before == after:
        return None
    return abs(m.target - after) < abs(m.target - before)


@dataclass(frozen=True)
class ObjectiveProgress:
    objective: Objective
    measures: list[tuple[Measure, float | None]]
    """Each measure with its progress in percent (None when not measurable)."""
    milestones_done: int
    milestones: int

    @property
    def progress(self) -> float | None:
        """The mean progress of the measures that have one."""
        values = [p for _, p in self.measures if p is not None]
        return sum(values) / len(values) if values else None


def objective_progress(o: Objective) -> ObjectiveProgress:
    return ObjectiveProgress(o, [(m, measure_progress(m)) for m in o.measures],
                             sum(1 for m in o.milestones if m.done), len(o.milestones))
