"""A new day is not a cold start: the first check of a day works out what the day changes from what
the cache kept, reads no plan again, and finds exactly what a check without a cache finds."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES
from kaplan import check, rules, score_portfolio
from kaplan.commands.risk import risk_report
from kaplan.reading import parallel as _reading
from kaplan.reading.loader import load_plan

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import generate  # noqa: E402

# Days in order, some a day apart and some years, across a leap day, and one going back in time.
DAYS = [dt.date(2024, 1, 15), dt.date(2024, 1, 16), dt.date(2024, 2, 29), dt.date(2024, 3, 1),
        dt.date(2024, 7, 1), dt.date(2025, 1, 1), dt.date(2025, 6, 30), dt.date(2025, 10, 14),
        dt.date(2025, 10, 15), dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2026, 6, 30),
        dt.date(2026, 7, 1), dt.date(2026, 11, 24), dt.date(2026, 11, 25), dt.date(2025, 3, 3),
        dt.date(2027, 2, 1), dt.date(2028, 2, 29), dt.date(2030, 1, 1)]


@pytest.fixture
def reads(monkeypatch):
    seen: list[str] = []
    real = _reading.summarise

    def counting(path, display, config, today, **kw):
        seen.append(path.name)
        return real(path, display, config, today, **kw)

    monkeypatch.setattr(_reading, "summarise", counting)
    return seen


def _findings(result) -> list:
    return [f.to_dict() for f in result.findings]


def _standing(folder: Path, day: dt.date, cache: bool) -> tuple:
    """What score and risk say on `day`: ranks, scores, NPS, health, levels and reasons."""
    scored = score_portfolio([folder / "plans"], today=day, cache=cache)
    risk = risk_report([folder / "plans"], today=day, cache=cache)
    return ([(a.account_id, a.rank, a.score, a.tier_name, [(c.criterion, c.raw) for c in a.contributions])
             for a in scored.accounts],
            [(r.account_id, r.health.score, r.health.level, [(s.name, s.value, s.reason, s.at) for s in r.health.signals])
             for r in risk.rows])


@pytest.fixture(params=["examples", "generated"])
def portfolio(request, tmp_path) -> Path:
    folder = tmp_path / "portfolio"
    if request.param == "examples":
        shutil.copytree(EXAMPLES, folder)
    else:  # sixty plans modelled on the examples, a quarter of them with a mistake
        generate(folder, 60, seed=7, findings_pct=25)
    return folder


def test_each_new_day_finds_what_a_cold_check_finds_without_reading_a_plan(portfolio, reads):
    check([portfolio / "plans"], today=DAYS[0], jobs=1)
    for day in DAYS[1:]:
        reads.clear()
        brought = check([portfolio / "plans"], today=day, jobs=1)
        assert reads == [], day
        assert _findings(brought) == _findings(check([portfolio / "plans"], today=day, cache=False)), day


def test_score_and_risk_on_a_new_day_agree_with_a_cold_read(portfolio, reads):
    check([portfolio / "plans"], today=DAYS[0], jobs=1)
    for day in DAYS[1::4]:
        reads.clear()
        assert _standing(portfolio, day, cache=True) == _standing(portfolio, day, cache=False), day


def test_kept_facts_that_cannot_answer_mean_the_plan_is_read_again(portfolio, reads, monkeypatch):
    from kaplan.reading import newday

    check([portfolio / "plans"], today=DAYS[0], jobs=1)
    monkeypatch.setattr(newday, "view", lambda facts: object())  # holds nothing a rule reads
    reads.clear()
    day = DAYS[5]
    brought = check([portfolio / "plans"], today=day, jobs=1)
    assert sorted(reads) == sorted(p.name for p in (portfolio / "plans").glob("*.yaml")
                                   if load_plan(p).plan is not None)
    assert _findings(brought) == _findings(check([portfolio / "plans"], today=day, cache=False))


class _Unseen:
    """A day no rule may look at: any use of it fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"a day-independent rule read today ({name})")

    def __eq__(self, other):
        raise AssertionError("a day-independent rule compared today")

    __lt__ = __le__ = __gt__ = __ge__ = __ne__ = __eq__
    __hash__ = None

    def __sub__(self, other):
        raise AssertionError("a day-independent rule counted days from today")

    __rsub__ = __sub__


def test_only_the_rules_marked_dated_read_the_day():
    """The cache keeps the findings of every other plan rule across days: they must not depend on it."""
    from kaplan.config import Config

    plans = [load_plan(p).plan for p in sorted((EXAMPLES / "plans").glob("*.yaml"))]
    ctx = rules.Context(today=_Unseen(), config=Config())  # type: ignore[arg-type]
    for r in rules.plan_rules():
        if not r.dated:
            for plan in plans:
                list(r.check(plan, ctx))
