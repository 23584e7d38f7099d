"""Overdue for review: one definition (`kaplan.overdue`), the same answer from every command.

today − last review > days of the stricter of the plan's own cadence and its tier's slowest allowed
cadence (+ `review_grace_days`, default 0). A plan never reviewed is "not yet reviewed" and counts
its age from `plan.created`, else its period's start.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from conftest import EXAMPLES, dedent

from kaplan import check
from kaplan.config import Config
from kaplan.overdue import review_status
from kaplan.report import account_pack, portfolio_pack, snapshot
from kaplan.commands.risk import risk_report

D = dt.date
CONFIG = Config()  # quarterly 92, monthly 31, semiannual 183 days; no grace


# ---------------------------------------------------------------- the definition, by hand


def test_the_stricter_of_plan_and_tier_cadence_wins():
    # plan quarterly (92 days), tier monthly (31): monthly wins. 2026-10-20 → 2026-11-24 = 11 + 24 = 35 > 31
    s = review_status(D(2026, 10, 20), None, "quarterly", "monthly", D(2026, 11, 24), CONFIG)
    assert (s.cadence.value, s.days, s.age, s.overdue) == ("monthly", 31, 35, True)
    # plan quarterly (92), tier semiannual (183): the plan's own quarterly wins; 35 ≤ 92
    s = review_status(D(2026, 10, 20), None, "quarterly", "semiannual", D(2026, 11, 24), CONFIG)
    assert (s.cadence.value, s.days, s.overdue) == ("quarterly", 92, False)


def test_no_plan_cadence_means_the_portfolio_default():
    s = review_status(D(2026, 8, 24), None, None, None, D(2026, 11, 24), CONFIG)
    # default quarterly (92 days): 2026-08-24 → 2026-11-24 is 7 + 30 + 31 + 24 = 92 days, not more
    assert (s.cadence.value, s.age, s.overdue) == ("quarterly", 92, False)
    assert review_status(D(2026, 8, 23), None, None, None, D(2026, 11, 24), CONFIG).overdue  # 93 > 92


def test_grace_days_widen_the_allowance():
    config = Config(review_grace_days=7)
    s = review_status(D(2026, 8, 17), None, "quarterly", None, D(2026, 11, 24), config)  # 99 days
    assert (s.age, s.allowed, s.overdue) == (99, 99, False)
    assert review_status(D(2026, 8, 16), None, "quarterly", None, D(2026, 11, 24), config).overdue  # 100 > 99
    # the words say the days allowed: the health signal, 100 × (2 − age ÷ allowed), counts the grace too
    assert s.words == "last reviewed 2026-08-17, 99 days ago (quarterly: every 92 days, and 7 days of grace)"


def test_never_reviewed_counts_from_the_start_and_is_not_reviewed_today():
    s = review_status(None, D(2026, 9, 1), "monthly", None, D(2026, 11, 24), CONFIG)
    # 2026-09-01 → 2026-11-24: 29 + 31 + 24 = 84 days > 31
    assert (s.reviewed, s.age, s.overdue) == (False, 84, True)
    assert s.words == "not yet reviewed; the plan started 2026-09-01, 84 days ago (monthly: every 31 days)"
    young = review_status(None, D(2026, 11, 1), "monthly", None, D(2026, 11, 24), CONFIG)  # 23 days
    assert (young.reviewed, young.overdue) == (False, False)
    unknown = review_status(None, None, "monthly", None, D(2026, 11, 24), CONFIG)
    assert (unknown.age, unknown.overdue, unknown.words) == (None, False, "not yet reviewed (monthly: every 31 days)")


# ---------------------------------------------------------------- every command agrees


def _answers(folder, today):
    """account id → overdue? as `check`, health (through `risk`), the account pack and the portfolio pack say."""
    found = check([folder / "plans"], today=today, cache=False)
    by_check = {f.path.rsplit("/", 1)[-1].removesuffix(".yaml") for f in found.findings if f.rule == "review-stale"}
    rows = risk_report([folder / "plans"], today=today, cache=False).rows
    by_risk = {r.account_id for r in rows for s in r.health.signals if s.name == "review_overdue" and s.value < 100}
    snap = snapshot([folder / "plans"], today=today)
    by_health = {pid for pid, h in snap.health.items() for s in h.signals if s.name == "review_overdue" and s.value < 100}
    by_account_pack = {pid for pid in snap.account_ids if account_pack(snap, pid, history=False).review.overdue}
    pack = portfolio_pack(snap)
    by_portfolio_pack = {r.placed.account_id for r in pack.stale}
    every = set(snap.account_ids)
    return every, {"check": by_check, "risk": by_risk, "health": by_health, "account pack": by_account_pack,
                   "portfolio pack": by_portfolio_pack}, pack


def _agree(folder, today):
    every, answers, pack = _answers(folder, today)
    first = answers["check"]
    for name, answer in answers.items():
        assert answer == first, (today, name, sorted(answer ^ first))
    # the portfolio pack's "not yet reviewed" list holds only plans that are not overdue
    assert not {p.account_id for p in pack.unreviewed} & first
    return every, first


@pytest.mark.parametrize("today", [D(2026, 11, 24), D(2026, 12, 31), D(2027, 3, 1), D(2027, 11, 24)])
def test_every_command_agrees_on_the_examples(today, tmp_path):
    every, overdue = _agree(EXAMPLES, today)
    assert len(every) == 13
    if today == D(2026, 11, 24):
        # Aldergrove: quarterly plan (92 days) in the core tier (semiannual, 183): 92 wins, and its last
        # review 2025-07-14 is 498 days before 2026-11-24, so it is overdue by every command.
        assert "aldergrove-health" in overdue


CADENCES = [None, "weekly", "biweekly", "monthly", "quarterly", "semiannual", "annual"]


def _generated_plan(rng: random.Random, i: int) -> str:
    lines = ["kaplan: 1", "account:", f"  id: gen-{i}", f"  name: Generated {i}",
             "  assessment:", f"    strategic_importance: {rng.randint(1, 5)}", f"    fit: {rng.randint(1, 5)}",
             f"    growth_potential: {rng.randint(1, 5)}", f"    client_attitude: {rng.randint(1, 5)}",
             f"  relationship_stage: {rng.choice(['exploratory', 'basic', 'cooperative', 'integrated'])}",
             "plan:", "  owner: Jo"]
    day = lambda: (D(2025, 6, 1) + dt.timedelta(days=rng.randint(0, 540))).isoformat()  # noqa: E731
    if rng.random() < 0.5:
        lines.append(f"  created: {day()}")
    if rng.random() < 0.6:
        start = day()
        lines += ["  period:", f"    start: {start}", f"    end: {D.fromisoformat(start) + dt.timedelta(days=364)}"]
    if rng.random() < 0.6:
        lines.append(f"  last_reviewed: {day()}")
    if (c := rng.choice(CADENCES)) is not None:
        lines.append(f"  review_cadence: {c}")
    lines += ["relationships:", f"  strength: {rng.randint(1, 5)}"]
    if rng.random() < 0.5:
        lines += ["reviews:"] + [f"  - date: {day()}" for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.7:
        revenue = rng.randint(1, 50) * 100_000
        lines += ["financials:", "  periods:", f"    - {{period: 2026-Q1, revenue: {revenue}, gross_profit: {revenue // 3}}}"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_command_agrees_on_generated_plans(seed, tmp_path):
    rng = random.Random(seed)
    (tmp_path / "plans").mkdir()
    (tmp_path / "kaplan.yaml").write_text(dedent("""
        kaplan: 1
        review_grace_days: 3
    """))
    for i in range(30):
        (tmp_path / "plans" / f"gen-{i}.yaml").write_text(_generated_plan(rng, i))
    found = check([tmp_path / "plans"], today=D(2026, 12, 1), cache=False).findings
    # valid plans; the only errors are high-risk accounts overdue for review, which must be overdue
    assert {f.rule for f in found if f.severity.value == "error"} <= {"stale-high-risk"}
    stale = {f.path for f in found if f.rule == "review-stale"}
    assert {f.path for f in found if f.rule == "stale-high-risk"} <= stale
    seen_overdue = seen_fresh = 0
    for today in (D(2026, 12, 1), D(2027, 1, 15)):
        every, overdue = _agree(tmp_path, today)
        assert len(every) == 30
        seen_overdue += len(overdue)
        seen_fresh += len(every - overdue)
    assert seen_overdue and seen_fresh  # the generated plans exercise both answers


def test_a_never_reviewed_plan_in_the_portfolio_pack_is_not_yet_reviewed(tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "young.yaml").write_text(dedent("""
        kaplan: 1
        account: {id: young, name: Young}
        plan: {owner: Jo, created: 2026-11-01, review_cadence: quarterly}
    """))
    (tmp_path / "plans" / "old.yaml").write_text(dedent("""
        kaplan: 1
        account: {id: old, name: Old}
        plan: {owner: Jo, created: 2026-01-01, review_cadence: quarterly}
    """))
    pack = portfolio_pack(snapshot([tmp_path / "plans"], today=D(2026, 11, 24)))
    assert [p.account_id for p in pack.unreviewed] == ["young"]  # 23 days old: not yet due
    [row] = pack.stale  # 2026-01-01 → 2026-11-24 is 327 days > 92
    assert (row.placed.account_id, row.date, row.days) == ("old", None, 327)
    assert row.signal.reason.startswith("not yet reviewed; the plan started 2026-01-01, 327 days ago")
