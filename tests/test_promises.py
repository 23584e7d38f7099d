"""Broken promises: each is a `check` finding, a health signal with its evidence, and in the account pack.

The plan below broke every kind of promise kaplan knows. Before, it got "no problems" and health 97
GREEN, and its pack said "No open decisions".
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import TODAY, dedent

from kaplan import check
from kaplan.config import Config
from kaplan.health.model import assess
from kaplan.reading.loader import load_plan
from kaplan.promises import broken_promises
from kaplan.report import account_pack, snapshot
from kaplan.report.rendering import render

BROKEN = """\
kaplan: 1
account:
  id: broken
  name: Broken Promises Ltd
  relationship_stage: cooperative
plan:
  owner: Jo Owner
  period: {start: 2025-01-01, end: 2025-11-30}
  last_reviewed: 2026-11-01
  review_cadence: monthly
  next_review: 2026-11-20
relationships:
  strength: 4
  rituals:
    - {name: Quarterly business review, kind: business_review, cadence: quarterly, last_held: 2024-01-20}
objectives:
  - id: uptime
    title: Raise uptime
    measures:
      - {name: Uptime, unit: '%', baseline: 95, target: 99, current: 97, due: 2026-06-30}
    milestones:
      - {quarter: 2026-Q2, description: Pilot live}
reviews:
  - date: 2026-11-01
    decisions:
      - {decision: Fund the rollout, decision_makers: [CFO], due: 2026-09-30}
voice_of_customer:
  nps:
    - {date: 2024-05-10, respondent: cfo, score: 9}
risks:
  - {id: exit, description: Client may leave, likelihood: 5, impact: 5}
"""

RULES = {  # rule → (line, column) of the promise in BROKEN
    "plan-period-ended": (8, 36), "next-review-passed": (11, 16), "ritual-lapsed": (15, 95),
    "measure-overdue": (20, 79), "milestone-overdue": (22, 19), "decision-overdue": (26, 67),
    "nps-stale": (28, 3), "risk-high": (31, 5),
}


@pytest.fixture
def portfolio(tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "broken.yaml").write_text(BROKEN)
    return tmp_path


def test_every_broken_promise_is_a_located_check_warning(portfolio, kaplan):
    r = kaplan("check", "--today", TODAY.isoformat(), "--format", "json", cwd=portfolio)
    found = {f["rule"]: f for f in r.json()["findings"] if f["rule"] in RULES}
    assert {rule: (f["line"], f["column"]) for rule, f in found.items()} == RULES
    assert {f["severity"] for f in found.values()} == {"warning"}
    # 2025-11-30 → 2026-11-24: 359 days
    assert found["plan-period-ended"]["message"] == "the plan period ended on 2025-11-30 (359 days ago)"
    assert found["next-review-passed"]["message"] == "the next review was set for 2026-11-20 (4 days ago)"
    assert "was due to reach 99 % by 2026-06-30 and is 97 %" in found["measure-overdue"]["message"]
    assert "due in 2026-Q2 (by 2026-06-30) and is not done" in found["milestone-overdue"]["message"]
    # 2024-01-20 → 2025-01-20: 366 days (2024 is a leap year); → 2026-01-20: 365; → 2026-11-20: 304; +4 = 1039
    assert "was last held 2024-01-20 (1039 days ago)" in found["ritual-lapsed"]["message"]
    assert "was due 2026-09-30 (55 days ago) and is not recorded as taken" in found["decision-overdue"]["message"]
    assert found["nps-stale"]["message"] == "NPS was last measured on 2024-05-10, not within the last 12 months"
    assert found["risk-high"]["message"] == "open risk `exit` is rated 5 × 5 = 25 (above 12)"
    for rule in RULES:
        explained = kaplan("check", "--explain", rule)
        assert explained.exit_code == 0 and "default severity: warning" in explained.stdout


def test_health_has_a_signal_with_evidence_for_each_and_is_red(portfolio):
    plan = load_plan(portfolio / "plans" / "broken.yaml").plan
    h = assess(plan, TODAY, Config(), None)
    by_name = {s.name: s for s in h.signals}
    for name in ("plan_period", "next_review", "milestones", "measures", "rituals", "decisions", "nps_survey", "risks"):
        assert by_name[name].value == 0, name
    assert by_name["plan_period"].reason == "the plan period ended on 2025-11-30 (359 days ago)"
    assert by_name["risks"].at == ("risks", 0)
    # relationship: strength 4 → 75, cooperative → 50: 62.5 ×2; review 23 days into a monthly cadence: 100 ×1;
    # the NPS window holds no response, so no NPS signal. Broken: plan_period 0 ×2, next_review 0 ×1,
    # milestones 0 ×2, measures 0 ×2, rituals 0 ×1, decisions 0 ×1, nps_survey 0 ×1, risks 0 ×2.
    # Σw = 2 + 1 + 12 = 15;  Σw·v = 125 + 100 = 225 → 15
    assert h.score == pytest.approx(225 / 15)
    assert h.colour == "red"


def test_the_account_pack_shows_every_broken_promise_and_the_overdue_decision(portfolio):
    snap = snapshot([portfolio / "plans"], today=TODAY)
    pack = account_pack(snap, "broken", history=False)
    assert [b.kind for b in pack.broken] == ["plan_period", "next_review", "milestone", "measure", "ritual",
                                             "decision", "nps_survey", "risk"]
    [row] = pack.decisions
    assert (row.decision.decision, row.overdue_days) == ("Fund the rollout", 55)
    for fmt in ("md", "html"):
        text = render(pack, fmt)
        assert "No open decisions" not in text
        assert "Promises past due (8)" in text
        assert "overdue, 55 days" in text
        assert "the plan period ended on 2025-11-30 (359 days ago)" in text


def kept(**changes) -> str:
    text = BROKEN
    for old, new in changes.values():
        assert old in text, old
        text = text.replace(old, new)
    return text


KEPT = kept(
    period=("end: 2025-11-30", "end: 2026-12-31"),
    next_review=("next_review: 2026-11-20", "next_review: 2026-11-24"),  # today: not yet passed
    ritual=("last_held: 2024-01-20", "last_held: 2026-08-24"),  # 92 days: within a quarterly cadence
    measure=("current: 97, due", "current: 99, due"),  # target reached
    milestone=("description: Pilot live}", "description: Pilot live, done: true}"),
    decision=("due: 2026-09-30}", "due: 2026-09-30, decided: 2026-09-28, outcome: funded}"),
    nps=("date: 2024-05-10", "date: 2025-11-25"),  # the window's first day (2025-11-24 is 12 months back)
    risk=("likelihood: 5, impact: 5", "likelihood: 4, impact: 3"),  # 12 is not above 12
)


def test_promises_kept_to_the_day_are_not_broken(tmp_path):
    path = tmp_path / "plans" / "broken.yaml"
    path.parent.mkdir()
    path.write_text(KEPT)
    plan = load_plan(path).plan
    assert broken_promises(plan, TODAY, Config()) == []
    assert not {f.rule for f in check([path], today=TODAY).findings} & set(RULES)
    h = assess(plan, TODAY, Config(), None)
    # kept promises add no signal: only the relationship (62.5) and the review (100) are left
    assert {s.name: s.value for s in h.signals} == {"relationship": 62.5, "review_overdue": 100}


def test_a_day_later_the_boundaries_break():
    plan = load_plan_text(KEPT)
    tomorrow = TODAY + dt.timedelta(days=1)
    kinds = {b.kind for b in broken_promises(plan, tomorrow, Config())}
    # next review 2026-11-24 has passed; the ritual is at 93 days > 92; the window now holds responses
    # after 2025-11-25, so the response of 2025-11-25 has left it.
    assert kinds == {"next_review", "ritual", "nps_survey"}


def load_plan_text(text: str):
    from kaplan.model import Plan
    from kaplan.reading import document as _yaml

    return Plan.model_validate(_yaml.parse(text).data)


@pytest.mark.parametrize("measure, broken", [
    ({"baseline": 10, "target": 2, "current": 2}, False),  # lower is better, reached
    ({"baseline": 10, "target": 2, "current": 3}, True),  # lower is better, not reached
    ({"target": 50, "current": 60}, False),  # no baseline: 0 → 50, beyond the target
    ({"target": 50}, True),  # nothing recorded by the due date
    ({"current": 5}, False),  # no target: nothing was promised
])
def test_a_measure_is_broken_when_its_due_date_passed_short_of_its_target(measure, broken):
    plan = load_plan_text(dedent(f"""
        kaplan: 1
        account: {{id: a, name: A}}
        plan: {{owner: Jo}}
        objectives:
          - id: o
            title: O
            measures:
              - {{name: M, due: 2026-11-23, {", ".join(f"{k}: {v}" for k, v in measure.items())}}}
    """))
    assert bool(broken_promises(plan, TODAY, Config())) is broken


def test_a_ritual_never_held_counts_from_the_plan_start_and_nps_never_measured_from_a_year_on():
    text = dedent("""
        kaplan: 1
        account: {id: a, name: A}
        plan: {owner: Jo, created: 2025-11-01}
        relationships:
          rituals:
            - {name: Steering, cadence: quarterly}
    """)
    plan = load_plan_text(text)
    # ritual: 2025-11-01 + 92 days = 2026-02-01 is its last day on time
    assert [b.kind for b in broken_promises(plan, dt.date(2026, 2, 1), Config())] == []
    assert [b.kind for b in broken_promises(plan, dt.date(2026, 2, 2), Config())] == ["ritual"]
    # NPS never measured: broken once the plan started on or before the window's start (12 months back)
    assert [b.kind for b in broken_promises(plan, dt.date(2026, 11, 1), Config())] == ["ritual", "nps_survey"]
    assert [b.kind for b in broken_promises(plan, dt.date(2026, 10, 31), Config())] == ["ritual"]
    young = load_plan_text(text.replace("created: 2025-11-01", "created: 2026-11-01"))
    assert broken_promises(young, TODAY, Config()) == []


def test_the_risk_threshold_comes_from_kaplan_yaml():
    plan = load_plan_text(dedent("""
        kaplan: 1
        account: {id: a, name: A}
        plan: {owner: Jo}
        risks:
          - {id: r, description: R, likelihood: 3, impact: 4}
    """))
    assert broken_promises(plan, TODAY, Config()) == []  # 12 is not above the default 12
    [b] = broken_promises(plan, TODAY, Config.model_validate({"risks": {"max_exposure": 11}}))
    assert b.what == "open risk `r` is rated 3 × 4 = 12 (above 11)"


def test_kept_promises_count_among_those_made():
    """Three milestones (one done, one overdue, one not yet due) and three decisions (one taken, one
    overdue, one not yet due): one of three broken each, so each signal is 100 × (1 − 1/3) = 66.67."""
    from kaplan.model import Plan

    plan = Plan.model_validate({
        "kaplan": 1, "account": {"id": "acme", "name": "Acme"}, "plan": {"owner": "Jo"},
        "objectives": [{"id": "grow", "title": "Grow", "milestones": [
            {"description": "done", "quarter": "2026-Q1", "done": True},
            {"description": "late", "quarter": "2026-Q2"},
            {"description": "later", "quarter": "2027-Q1"}]}],
        "reviews": [{"date": "2026-06-01", "kind": "quarterly_review", "decisions": [
            {"decision": "taken", "due": "2026-07-01", "decided": "2026-06-20"},
            {"decision": "late", "due": "2026-08-01"},
            {"decision": "later", "due": "2027-01-01"}]}],
    })
    signals = {s.name: s for s in assess(plan, dt.date(2026, 11, 24), Config()).signals}
    assert round(signals["milestones"].value, 2) == round(100 * (1 - 1 / 3), 2)
    assert signals["milestones"].reason.startswith("1 of 3 milestones overdue")
    assert round(signals["decisions"].value, 2) == round(100 * (1 - 1 / 3), 2)
    assert signals["decisions"].reason.startswith("1 of 3 decisions overdue")
