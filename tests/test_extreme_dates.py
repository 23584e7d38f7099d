"""Dates at the calendar's ends: a plan's dates, `--today` and the dates a command is given must lie in
the years kaplan works in (`kaplan.years`, 1900-2199), so that no figure is ever worked out from a day
that does not exist. Outside them, `check` names the date at file:line:column and every other command
leaves the plan out and says so; on their first and last days, every command and pack format works."""

from __future__ import annotations

import os
import shutil
import subprocess
import traceback
from pathlib import Path

import pytest

GOOD = "kaplan: 1\naccount: {id: good, name: Good}\nplan: {owner: Sam}\n"

# 9999-12-31 + the quarterly cadence's 92 days is no date: every pack used to stop there
FAR_PERIOD = "kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Sam, period: {start: 9999-12-31, end: 9999-12-31}}\n"

# a quarter before 1900 has no label (`1899-Q4`): the workbook used to stop on the NPS trend
OLD_NPS = """\
kaplan: 1
account: {id: beta, name: Beta}
plan: {owner: Sam}
voice_of_customer:
  nps:
    - {date: 2026-10-01, respondent: a, score: 9}
    - {date: 1899-12-31, respondent: b, score: 5}
    - date: 0001-01-01
      respondent: c
      score: 7
"""


def portfolio(root: Path, **plans: str) -> Path:
    (root / "plans").mkdir(parents=True, exist_ok=True)
    (root / "kaplan.yaml").write_text("plans: plans\n")
    for name, text in plans.items():
        (root / "plans" / f"{name}.yaml").write_text(text)
    return root


def no_traceback(r) -> None:
    assert "Traceback" not in r.stdout + r.stderr and "Error:" not in r.stderr, r.stderr


def test_check_names_each_date_outside_the_years_at_its_place(kaplan, tmp_path):
    root = portfolio(tmp_path, acme=FAR_PERIOD, beta=OLD_NPS, good=GOOD)
    r = kaplan("check", "--today", "2026-11-24", cwd=root)
    assert r.exit_code == 1
    no_traceback(r)
    said = "is not a plausible date: kaplan works with the years 1900-2199; check the year"
    # line 3: `plan: {owner: Sam, period: {start: 9999-12-31, end: 9999-12-31}}`, columns counted from 1
    line = FAR_PERIOD.splitlines()[2]
    assert f"plans/acme.yaml:3:{line.index('9999') + 1}: error [schema] `plan.period.start`: 9999-12-31 {said}" in r.stdout
    assert f"plans/acme.yaml:3:{line.rindex('9999') + 1}: error [schema] `plan.period.end`: 9999-12-31 {said}" in r.stdout
    # the NPS responses' own `date` keys: line 7 column 14, line 8 column 13
    assert f"plans/beta.yaml:7:14: error [schema] `voice_of_customer.nps[2].date`: 1899-12-31 {said}" in r.stdout
    assert f"plans/beta.yaml:8:13: error [schema] `voice_of_customer.nps[3].date`: 0001-01-01 {said}" in r.stdout
    assert "plans/good.yaml" not in r.stdout


@pytest.mark.parametrize("args", [
    ["score"], ["risk"], ["report", "--all", "-f", "html"], ["report", "--all", "-f", "md"],
    ["report", "--all", "-f", "pptx"], ["report", "--all", "-f", "xlsx"],
    ["report", "--all", "-f", "md", "--audience", "client"], ["report", "--portfolio", "-f", "xlsx"],
    ["report", "--portfolio", "-f", "pptx"]])
def test_a_plan_with_such_a_date_is_left_out_and_named(kaplan, tmp_path, args):
    root = portfolio(tmp_path, acme=FAR_PERIOD, beta=OLD_NPS, good=GOOD)
    out = ["-o", str(tmp_path / "out")] if "--all" in args else \
        ["-o", str(tmp_path / f"p.{args[-1]}")] if "--portfolio" in args else []
    r = kaplan(*args, *out, "--today", "2026-11-24", cwd=root)
    no_traceback(r)
    assert r.exit_code == 1, r.stderr
    assert "2 plans with errors left out" in r.stderr and "plans/acme.yaml, plans/beta.yaml" in r.stderr
    if "--all" in args:  # the other account's pack is made
        assert [p.stem for p in (tmp_path / "out").iterdir()] == ["good"]
    ok = kaplan(*args, *out, "--today", "2026-11-24", "--skip-invalid", cwd=root)
    assert ok.exit_code == 0, ok.stderr


@pytest.mark.parametrize("args", [["report", "acme", "-f", "xlsx"], ["report", "beta", "-f", "xlsx"],
                                  ["report", "acme", "--audience", "client"]])
def test_a_pack_of_such_a_plan_is_refused_with_what_to_do(kaplan, tmp_path, args):
    root = portfolio(tmp_path, acme=FAR_PERIOD, beta=OLD_NPS)
    r = kaplan(*args, "-o", str(tmp_path / "pack"), "--today", "2026-11-24", cwd=root)
    no_traceback(r)
    assert r.exit_code in (1, 2) and "has errors; run `kaplan check` and fix them first" in r.stderr


EDGE = """\
kaplan: 1
account: {{id: edge, name: Edge, client_since: 1900-01-01}}
plan: {{owner: Sam, period: {{start: {day}, end: {day}}}, last_reviewed: {day}, next_review: {day}}}
relationships:
  contacts:
    - {{id: cfo, name: Ana, buying_role: economic_buyer, strength: 4, last_contact: {day}}}
  rituals:
    - {{name: steering, cadence: quarterly, last_held: {day}}}
financials:
  periods:
    - {{period: "1900-Q1", revenue: 100, client_category_spend: 400}}
    - {{period: "2199-Q4", revenue: 200, client_category_spend: 400}}
  contract: {{start: 1900-01-01, renewal_date: 2199-12-31, value: 1000}}
voice_of_customer:
  nps:
    - {{date: 1900-01-01, respondent: cfo, score: 9, follow_up: {{owner: Sam, due: {day}}}}}
    - {{date: {day}, respondent: cfo, score: 3}}
reviews:
  - {{date: {day}, kind: quarterly_review, decisions: [{{decision: go, due: {day}}}]}}
objectives:
  - id: grow
    title: Grow
    measures: [{{name: revenue, target: 10, current: 1, due: {day}}}]
    milestones: [{{quarter: "1900-Q1", description: start}}, {{quarter: "2199-Q4", description: end}}]
"""


@pytest.mark.parametrize("day, today", [("1900-01-01", "1900-01-01"), ("1900-01-01", "2199-12-31"),
                                        ("2199-12-31", "2199-12-31")])
def test_every_command_works_on_the_first_and_last_days_of_the_years(kaplan, tmp_path, day, today):
    root = portfolio(tmp_path, edge=EDGE.format(day=day), good=GOOD)
    checked = kaplan("check", "--today", today, cwd=root)
    no_traceback(checked)
    assert "[schema]" not in checked.stdout, checked.stdout
    for args in (["score"], ["risk"], ["report", "edge", "-f", "md"], ["report", "edge", "-f", "html"],
                 ["report", "edge", "-f", "xlsx", "-o", "e.xlsx"], ["report", "edge", "-f", "pptx", "-o", "e.pptx"],
                 ["report", "edge", "--audience", "client", "-f", "xlsx", "-o", "c.xlsx"],
                 ["report", "edge", "--audience", "client", "-f", "pptx", "-o", "c.pptx"],
                 ["report", "--portfolio", "-f", "xlsx", "-o", "p.xlsx"],
                 ["report", "--portfolio", "-f", "pptx", "-o", "p.pptx"],
                 ["report", "--portfolio", "-f", "md"]):
        r = kaplan(*args, "--today", today, cwd=root)
        no_traceback(r)
        assert r.exit_code == 0, (args, r.stderr)


@pytest.mark.parametrize("command", [["check"], ["score"], ["risk"], ["report", "good", "-f", "md"]])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"])
def test_today_outside_the_years_is_a_usage_error(kaplan, tmp_path, command, day):
    root = portfolio(tmp_path, good=GOOD)
    r = kaplan(*command, "--today", day, cwd=root)
    no_traceback(r)
    assert r.exit_code == 2
    assert f"--today {day} is not a plausible date: kaplan works with the years 1900-2199" in r.stderr


def test_a_review_s_dates_outside_the_years_are_refused(kaplan, tmp_path):
    root = portfolio(tmp_path, good=GOOD)
    before = (root / "plans" / "good.yaml").read_text()
    for args in (["--date", "0001-01-01"], ["--next-review", "9999-12-31"], ["--decision", "go | Sam | 2200-01-01"]):
        r = kaplan("review", "good", *args, "--today", "2026-11-24", cwd=root)
        no_traceback(r)
        assert r.exit_code == 2 and "is not a plausible date" in r.stderr, r.stderr
    assert (root / "plans" / "good.yaml").read_text() == before


@pytest.mark.parametrize("days, said", [("0", "is 0, it should be greater than or equal to 1"),
                                        ("99999999", "is 99999999, it should be less than or equal to 3650")])
def test_a_review_cadence_of_no_days_or_of_ages_is_refused(kaplan, tmp_path, days, said):
    """0 days divided by zero, and 99,999,999 days after a review is no date: both used to stop packs."""
    root = portfolio(tmp_path, good=GOOD)
    (root / "kaplan.yaml").write_text(f"plans: plans\ncadence_days:\n  quarterly: {days}\n")
    for args in (["score"], ["risk"], ["report", "good", "-f", "md"], ["report", "--portfolio", "-f", "xlsx", "-o", "p.xlsx"]):
        r = kaplan(*args, cwd=root)
        no_traceback(r)
        assert r.exit_code == 2, (args, r.stderr)
        assert f"kaplan.yaml:3:14" in r.stderr and f"`cadence_days.quarterly` {said}" in r.stderr
    c = kaplan("check", "--today", "2026-11-24", cwd=root)
    assert c.exit_code == 2 and f"kaplan.yaml:3:14: error [schema] `cadence_days.quarterly` {said}" in c.stderr


def test_a_crm_date_outside_the_years_is_a_finding_at_its_cell(kaplan, tmp_path):
    root = portfolio(tmp_path, good=GOOD)
    (root / "opps.csv").write_text("Account Name,Opportunity Name,Stage,Amount,Close Date,Type\n"
                                   "Good,Huge,Prospecting,1000,12/31/9999,New\n")
    before = (root / "plans" / "good.yaml").read_text()
    r = kaplan("import", "opps.csv", "--as", "opportunities", cwd=root)
    no_traceback(r)
    assert r.exit_code == 1
    # row 2, the fifth column
    assert "opps.csv:2:5: error [import-value] column `Close Date`: 9999-12-31 is not a plausible date" in r.stdout + r.stderr
    assert (root / "plans" / "good.yaml").read_text() == before


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_judging_a_commit_dated_in_year_9999_as_of_its_day_is_refused(kaplan, tmp_path):
    root = portfolio(tmp_path, good=GOOD)
    far = "@253402300799 +0000"  # 9999-12-31T23:59:59: git takes it
    env = {**os.environ, "GIT_AUTHOR_DATE": far, "GIT_COMMITTER_DATE": far, "GIT_CONFIG_GLOBAL": os.devnull}
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=T", "-c", "user.email=t@x.invalid", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)
    r = kaplan("risk", "--since", "HEAD", "--judge-then", cwd=root)
    no_traceback(r)
    assert r.exit_code == 2
    assert "is dated 9999-12-31, outside the years 1900-2199 kaplan works with; compare without --judge-then" in r.stderr
    assert kaplan("risk", "--since", "HEAD", cwd=root).exit_code == 0


@pytest.mark.parametrize("today, end", [("2199-06-01", "2199-12-31"), ("2198-06-01", "2199-05-31")])
def test_a_plan_begun_in_the_last_year_ends_with_it(kaplan, tmp_path, today, end):
    """`new` plans a year from today (2198-06-01 to 2199-05-31); from 2199 on, a year on is 2200: the
    plan would fail `check` the moment it was made."""
    root = portfolio(tmp_path)
    assert kaplan("new", "acme", "--today", today, cwd=root).exit_code == 0
    text = (root / "plans" / "acme.yaml").read_text()
    assert f"start: {today}" in text and f"end: {end}" in text
    r = kaplan("check", "--today", today, cwd=root)
    assert "[schema]" not in r.stdout, r.stdout
