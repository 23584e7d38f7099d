"""`kaplan.changes`: what changed in a plan, and the health before → after in words.

Plans are written inline; `compare` is pure. `risk --since` reuses it on a temporary git repository.
"""

from __future__ import annotations

import datetime as dt

from _report_repo import git
from conftest import dedent

from kaplan.changes import Standing, compare, health_change
from kaplan.commands.since_review import since_last_review
from kaplan.config import Config, Portfolio
from kaplan.health.model import Health, Signal
from kaplan.model import Plan
from kaplan.reading import document as _yaml


BEFORE = """\
kaplan: 1
account: {id: acme, name: Acme}
plan: {owner: Jo, last_reviewed: 2026-06-30}
relationships:
  contacts:
    - {id: ann, name: Ann Lee}
    - {id: bob, name: Bob Marsh}
    - {id: cy, name: Cy Orr}
objectives:
  - id: grow
    title: Grow
    measures:
      - {name: Sites, baseline: 0, target: 10, current: 2}
      - {name: Cost, baseline: 100, target: 80, current: 90}
      - {name: Same, target: 5, current: 1}
    milestones:
      - {quarter: 2026-Q3, description: Pilot}
actions:
  - {id: a1, action: First, due: 2026-07-01, status: planned}
  - {id: a2, action: Second, due: 2026-07-01, status: in_progress}
  - {id: a3, action: Third, due: 2026-07-01, status: planned}
"""

AFTER = """\
kaplan: 1
account: {id: acme, name: Acme}
plan: {owner: Jo, last_reviewed: 2026-09-30}
relationships:
  contacts:
    - {id: ann, name: Ann Lee}
    - {id: cy, name: Cy Orr, left: 2026-08-01}
    - {id: dee, name: Dee Park}
objectives:
  - id: grow
    title: Grow
    measures:
      - {name: Sites, baseline: 0, target: 10, current: 6}
      - {name: Cost, baseline: 100, target: 80, current: 95}
      - {name: Same, target: 5, current: 1}
    milestones:
      - {quarter: 2026-Q3, description: Pilot, done: true}
  - {id: keep, title: Keep}
actions:
  - {id: a1, action: First, due: 2026-07-01, status: done}
  - {id: a2, action: Second, due: 2026-08-15, status: in_progress}
  - {id: a3, action: Third, due: 2026-06-01, status: planned}
  - {id: a4, action: Fourth}
"""


def load(text: str) -> Plan:
    from kaplan.reading.validation import validate

    doc = _yaml.parse(dedent(text))
    result, findings = validate(Plan, doc, "inline.yaml")
    assert not findings, findings
    return result


def test_compare_finds_every_kind_of_change():
    c = compare(load(BEFORE), load(AFTER))
    assert [x.name for x in c.contacts_added] == ["Dee Park"]
    assert [x.name for x in c.contacts_gone] == ["Bob Marsh", "Cy Orr"]  # removed, and marked as left
    assert [(m.measure.name, m.before, m.after, m.toward_target) for m in c.measures] == [
        ("Sites", 2, 6, True), ("Cost", 90, 95, False)]
    assert c.measures[0].progress_before == 20 and c.measures[0].progress_after == 60
    assert [(o.id, m.description) for o, m in c.milestones_reached] == [("grow", "Pilot")]
    assert [o.id for o in c.objectives_added] == ["keep"]
    assert [x.after.id for x in c.actions_closed] == ["a1"]
    assert [(x.after.id, x.days_slipped) for x in c.actions_slipped] == [("a2", 45)]  # a3 moved earlier: not slipped
    assert [x.id for x in c.actions_added] == ["a4"]
    assert c.plan_changed
    # adverse first, every one named; then the rest
    assert c.phrases() == ["Bob Marsh gone", "Cy Orr gone", "Cost further from target (90 → 95, target 80)",
                           "Second slipped 45 days", "1 milestone reached", "1 measure closer to target",
                           "1 action closed", "1 contact added", "1 objective added", "1 action added"]


def test_an_unchanged_plan_has_no_changes():
    c = compare(load(BEFORE), load(BEFORE), standing_before=Standing(score=50), standing_after=Standing(score=55))
    assert not c.plan_changed and c.phrases() == []
    assert c.before.score == 50 and c.after.score == 55


def test_health_change_in_words():
    def health(score, level, *signals):
        return Health("acme", score, level, [Signal(n, v, 1, r) for n, v, r in signals])

    before = health(80, "low", ("nps", 100, "NPS +60"))
    after = health(45, "high", ("nps", 40, "NPS -20"), ("renewal", 10, "contract renews in 20 days"))
    assert health_change(before, after) == "green → red, health 80 → 45, new: contract renews in 20 days; NPS -20"
    assert health_change(before, before) == "no change"


def test_since_last_review_reads_the_plan_at_the_review(tmp_path, monkeypatch):
    from _report_repo import GIT_ENV

    for k, v in GIT_ENV.items():
        monkeypatch.setenv(k, v)
    root = tmp_path / "p"
    (root / "plans").mkdir(parents=True)
    path = root / "plans" / "acme.yaml"
    git(root, "init", "-q")
    path.write_text(dedent(BEFORE))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "one", date="2026-06-30")
    path.write_text(dedent(BEFORE).replace("current: 2}", "current: 4}"))
    git(root, "commit", "-q", "-am", "two", date="2026-10-01")  # after the review: not the baseline
    path.write_text(dedent(AFTER))
    portfolio = Portfolio(root=root, config=Config())
    result = since_last_review(portfolio, load(AFTER))
    assert result.review_date == dt.date(2026, 9, 30) and result.commit_date == dt.date(2026, 6, 30)
    assert result.changes.measures[0].before == 2
    assert result.changes.before is not None and result.changes.before.health is not None
    none = since_last_review(Portfolio(root=tmp_path / "nowhere", config=Config()), load(AFTER))
    assert none.changes is None and "not in a git repository" in none.note


def test_risk_since_names_what_changed_in_the_plan(kaplan, tmp_path, monkeypatch):
    from _report_repo import GIT_ENV

    for k, v in GIT_ENV.items():
        monkeypatch.setenv(k, v)
    root = tmp_path / "p"
    (root / "plans").mkdir(parents=True)
    (root / "kaplan.yaml").write_text("kaplan: 1\n")
    path = root / "plans" / "acme.yaml"
    git(root, "init", "-q")
    path.write_text(dedent(BEFORE))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "one", date="2026-06-30")
    path.write_text(dedent(AFTER))
    git(root, "commit", "-q", "-am", "two", date="2026-10-01")
    r = kaplan("risk", "--since", "HEAD~1", "--format", "json", "--today", "2026-11-24", cwd=root)
    assert r.exit_code == 0, r.stderr
    change = r.json()["accounts"][0]["change"]
    assert ("plan: Bob Marsh gone, Cy Orr gone, Cost further from target (90 → 95, target 80), Second slipped 45 "
            "days, 1 milestone reached, 1 measure closer to target, 1 action closed") in change


def test_compare_names_weaker_contacts_new_risks_and_opportunities_adverse_first():
    before = load("""
        kaplan: 1
        account: {id: acme, name: Acme}
        plan: {owner: Jo}
        relationships:
          contacts:
            - {id: ann, name: Ann Lee, strength: 4, attitude: supporter}
            - {id: bob, name: Bob Marsh, strength: 2, attitude: neutral}
            - {id: cy, name: Cy Orr, strength: 3, attitude: supporter}
        risks:
          - {id: churn, description: Churn, likelihood: 2, impact: 3}
          - {id: old, description: Old, likelihood: 4, impact: 4, status: closed}
    """)
    after = load("""
        kaplan: 1
        account: {id: acme, name: Acme}
        plan: {owner: Jo}
        relationships:
          contacts:
            - {id: ann, name: Ann Lee, strength: 2, attitude: neutral}
            - {id: bob, name: Bob Marsh, strength: 4, attitude: neutral}
            - {id: cy, name: Cy Orr, strength: 4, attitude: opponent}
        risks:
          - {id: churn, description: Churn, likelihood: 4, impact: 3}
          - {id: old, description: Old, likelihood: 4, impact: 4, status: closed}
          - {id: budget, description: Budget cut, likelihood: 3, impact: 5}
        opportunities:
          - {id: apm, name: APM upsell, value: 50000}
    """)
    c = compare(before, after)
    assert [(m.after.name, m.words) for m in c.contacts_weaker] == [
        ("Ann Lee", "strength 4 → 2, attitude supporter → neutral"),
        ("Cy Orr", "strength 3 → 4, attitude supporter → opponent")]  # warmer in one way, colder in another
    assert [(m.after.name, m.words) for m in c.contacts_stronger] == [("Bob Marsh", "strength 2 → 4")]
    assert [r.id for r in c.risks_added] == ["budget"]
    assert [(m.before.likelihood * m.before.impact, m.after.likelihood * m.after.impact) for m in c.risks_raised] \
        == [(6, 12)]  # 2 × 3 → 4 × 3
    assert [o.id for o in c.opportunities_added] == ["apm"]
    assert c.phrases() == [
        "Ann Lee weaker (strength 4 → 2, attitude supporter → neutral)",
        "Cy Orr weaker (strength 3 → 4, attitude supporter → opponent)",
        "new risk budget (3 × 5)", "risk churn raised (2 × 3 → 4 × 3)",
        "Bob Marsh stronger (strength 2 → 4)", "1 opportunity added"]


def test_compare_names_whitespace_cells_won_opened_and_lost():
    before = load("""
        kaplan: 1
        account: {id: acme, name: Acme}
        plan: {owner: Jo}
        whitespace:
          - {unit: Lyon, offering: MES, status: pipeline}
          - {unit: Lyon, offering: QMS, status: pipeline}
          - {unit: Cork, offering: MES, status: gap}
          - {unit: Cork, offering: QMS, status: gap}
          - {unit: Cork, offering: APM, status: owned}
    """)
    after = load("""
        kaplan: 1
        account: {id: acme, name: Acme}
        plan: {owner: Jo}
        whitespace:
          - {unit: Lyon, offering: MES, status: owned}
          - {unit: Lyon, offering: QMS, status: competitor, competitor: Rival}
          - {unit: Cork, offering: MES, status: not_relevant}
          - {unit: Cork, offering: QMS, status: gap}
          - {unit: Cork, offering: APM, status: owned}
          - {unit: Porto, offering: MES, status: gap}
    """)
    c = compare(before, after)
    # Lyon × QMS went to a competitor: adverse, first; Lyon × MES won and Cork × MES ruled out follow.
    # Unchanged cells and Porto (not in the grid before) are no change.
    assert c.plan_changed
    assert c.phrases() == ["Lyon × QMS: open → competitor", "Lyon × MES: open → won",
                           "Cork × MES: not offered → not relevant"]


def _repo(tmp_path, monkeypatch):
    from _report_repo import GIT_ENV

    for k, v in GIT_ENV.items():
        monkeypatch.setenv(k, v)
    root = tmp_path / "p"
    (root / "plans").mkdir(parents=True)
    git(root, "init", "-q")
    return root, root / "plans" / "acme.yaml"


REVIEWED = BEFORE.replace("last_reviewed: 2026-06-30", "last_reviewed: 2026-09-30").replace("current: 2}", "current: 6}")


def test_when_the_last_review_is_today_the_baseline_is_the_previous_review(tmp_path, monkeypatch):
    root, path = _repo(tmp_path, monkeypatch)
    path.write_text(dedent(BEFORE))  # reviewed 2026-06-30, Sites at 2
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "review of June", date="2026-06-30")
    path.write_text(dedent(REVIEWED))  # the review of 2026-09-30 is recorded: Sites at 6
    git(root, "commit", "-q", "-am", "review of September", date="2026-09-30")
    portfolio = Portfolio(root=root, config=Config())
    plan = load(REVIEWED)
    # looked at on the review day: compared with the plan at the previous review, not with itself
    on_the_day = since_last_review(portfolio, plan, today=dt.date(2026, 9, 30))
    assert (on_the_day.latest_review, on_the_day.review_date, on_the_day.commit_date) == (
        dt.date(2026, 9, 30), dt.date(2026, 6, 30), dt.date(2026, 6, 30))
    assert [(m.measure.name, m.before, m.after) for m in on_the_day.changes.measures] == [("Sites", 2, 6)]
    # later, with nothing changed since the review's commit, the review commit is what is looked at
    later = since_last_review(portfolio, plan, today=dt.date(2026, 11, 24))
    assert later.latest_review == dt.date(2026, 9, 30) and later.changes.measures[0].before == 2
    # once the plan moves on after the review, the review itself is the baseline again
    moved = load(REVIEWED.replace("current: 6}", "current: 7}"))
    after = since_last_review(portfolio, moved, today=dt.date(2026, 11, 24))
    assert after.latest_review is None and after.review_date == dt.date(2026, 9, 30)
    assert [(m.before, m.after) for m in after.changes.measures] == [(6, 7)]


def test_a_first_review_being_looked_at_says_there_is_none_before(tmp_path, monkeypatch):
    root, path = _repo(tmp_path, monkeypatch)
    path.write_text(dedent(BEFORE))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first review", date="2026-06-30")
    result = since_last_review(Portfolio(root=root, config=Config()), load(BEFORE), today=dt.date(2026, 6, 30))
    assert result.changes is None
    assert result.note == "the last review (2026-06-30) is the one being looked at, and no review was recorded before it"
