"""Counts of days and months read as a KAM would say them: "1 day", "today", "the last month"; and
past events recorded after today are caught wherever a plan records one."""

from __future__ import annotations

import datetime as dt

from conftest import TODAY, dedent
from kaplan import check
from kaplan.commands.risk import risk_report

HEADER = """\
kaplan: 1
account:
  id: acme
  name: Acme
plan:
  owner: Jo Owner
"""


def _signals(folder, day=TODAY) -> dict:
    (row,) = risk_report([folder / "plans"], today=day, cache=False).rows
    return {s.name: s for s in row.health.signals}


def _portfolio(tmp_path, plan: str, config: str = "kaplan: 1\n"):
    (tmp_path / "plans").mkdir()
    (tmp_path / "kaplan.yaml").write_text(config)
    (tmp_path / "plans" / "acme.yaml").write_text(HEADER + dedent(plan))
    return tmp_path


def test_a_review_today_or_yesterday_is_worded_as_one(tmp_path):
    folder = _portfolio(tmp_path, "")
    text = (folder / "plans" / "acme.yaml").read_text()
    (folder / "plans" / "acme.yaml").write_text(text.replace("plan:\n", f"plan:\n  last_reviewed: {TODAY}\n"))
    assert _signals(folder)["review_overdue"].reason == "reviewed today"
    assert _signals(folder, TODAY + dt.timedelta(days=1))["review_overdue"].reason == "reviewed 1 day ago"
    assert _signals(folder, TODAY + dt.timedelta(days=2))["review_overdue"].reason == "reviewed 2 days ago"


def test_renewal_signal_counts_one_day_and_today(tmp_path):
    folder = _portfolio(tmp_path, f"""
        financials:
          contract:
            renewal_date: {TODAY + dt.timedelta(days=1)}
    """)
    assert _signals(folder)["renewal"].reason == f"contract renews in 1 day ({TODAY + dt.timedelta(days=1)})"
    later = _signals(folder, TODAY + dt.timedelta(days=1))["renewal"]
    assert later.reason == f"contract renews today ({TODAY + dt.timedelta(days=1)})" and later.value == 0


def test_one_response_in_a_one_month_window(tmp_path):
    folder = _portfolio(tmp_path, f"""
        voice_of_customer:
          nps:
            - {{date: {TODAY}, respondent: Ann, score: 9}}
    """, "kaplan: 1\nnps:\n  window_months: 1\n  min_responses: 1\n")
    assert _signals(folder)["nps"].reason == "NPS +100 (1 response in the last month)"
    month_on = TODAY + dt.timedelta(days=40)
    (stale,) = [f for f in check([folder / "plans"], today=month_on, cache=False).findings if f.rule == "nps-stale"]
    assert stale.message == f"NPS was last measured on {TODAY}, not within the last month"
    assert stale.hint == "survey the client at least every month"


def test_a_high_risk_plan_with_no_reason_but_its_review_says_so_cleanly(tmp_path):
    """Health can be high on the review signal alone: the message has no empty list of reasons."""
    folder = _portfolio(tmp_path, "")  # no signal but the review's
    text = (folder / "plans" / "acme.yaml").read_text()
    (folder / "plans" / "acme.yaml").write_text(text.replace("plan:\n", "plan:\n  last_reviewed: 2025-01-01\n"))
    found = [f for f in check([folder / "plans"], today=TODAY, cache=False).findings if f.rule == "stale-high-risk"]
    assert [f.message.split(" whose")[0] for f in found] == ["high-risk account (health 0)"]


def test_leaving_deciding_and_closing_after_today_are_future_dates(tmp_path):
    tomorrow = TODAY + dt.timedelta(days=1)
    folder = _portfolio(tmp_path, f"""
        relationships:
          contacts:
            - {{id: ann, name: Ann, buying_role: decision_maker, left: {tomorrow}}}
        reviews:
          - date: {TODAY}
            decisions:
              - {{decision: Renew, due: {TODAY}, decided: {tomorrow}}}
        voice_of_customer:
          nps:
            - date: {TODAY}
              respondent: Bo
              score: 3
              follow_up: {{owner: Jo, due: {TODAY}, closed: {tomorrow}}}
    """)
    found = [f.message for f in check([folder / "plans"], today=TODAY, cache=False).findings if f.rule == "future-date"]
    assert found == [f"the day Ann left is {tomorrow}, which is after today ({TODAY})",  # in the file's order
                     f"the day `Renew` was decided is {tomorrow}, which is after today ({TODAY})",
                     f"the day the follow-up with Bo was closed is {tomorrow}, which is after today ({TODAY})"]
    assert [f for f in check([folder / "plans"], today=tomorrow, cache=False).findings if f.rule == "future-date"] == []


def test_naming_one_weight_or_one_cadence_keeps_the_others_defaults(tmp_path):
    """`health: {weights: {nps_survey: 0}}` switches one signal off, not every other one."""
    from kaplan.config import Config
    from kaplan.config.health import default_weights

    config = Config.model_validate({"health": {"weights": {"nps_survey": 0}}, "cadence_days": {"monthly": 30}})
    assert config.health.weights == {**default_weights(), "nps_survey": 0}
    assert config.cadence_days[config.default_cadence] == 92 and config.cadence_days["monthly"] == 30
    assert config.cadence_days["weekly"] == 7
    folder = _portfolio(tmp_path, f"""
        financials:
          contract:
            renewal_date: {TODAY + dt.timedelta(days=90)}
    """, "kaplan: 1\nhealth:\n  weights:\n    nps_survey: 0\n")
    assert _signals(folder)["renewal"].weight == 2  # its default


def test_a_score_without_nps_says_the_window_holds_too_few_responses(tmp_path):
    from kaplan import score_portfolio

    folder = _portfolio(tmp_path, f"""
        voice_of_customer:
          nps:
            - {{date: {TODAY}, respondent: Ann, score: 9}}
    """, "kaplan: 1\nscoring:\n  criteria:\n    satisfaction: {source: nps, weight: 1}\n"
       "  matrix: {attractiveness: {satisfaction: 1}, strength: {satisfaction: 1}}\n")
    (account,) = score_portfolio([folder / "plans"], today=TODAY, cache=False).accounts
    (note,) = [n for n in account.notes if "`nps`" in n.message]
    assert "too few responses for an NPS" in note.hint


def test_the_nps_trend_is_worded_from_the_numbers_shown(tmp_path):
    """−42.86 and −43.48 both show as −43: no "up from −43"."""
    now = [9] * 6 + [0] * 18 + [7] * 4          # 28 in the window: (6 − 18) / 28 = −42.86
    before = [9] * 5 + [0] * 15 + [7] * 3       # 23 in the window before: (5 − 15) / 23 = −43.48
    rows = [f"    - {{date: {TODAY - dt.timedelta(days=10 + i)}, respondent: R{i}, score: {s}}}\n"
            for i, s in enumerate(now)]
    rows += [f"    - {{date: {TODAY - dt.timedelta(days=400 + i)}, respondent: S{i}, score: {s}}}\n"
             for i, s in enumerate(before)]
    for i in range(len(rows)):  # every detractor followed up, so no other signal speaks of them
        rows[i] = rows[i].replace("}\n", f", follow_up: {{owner: Jo, due: {TODAY}, closed: {TODAY}}}}}\n")
    folder = _portfolio(tmp_path, "voice_of_customer:\n  nps:\n" + "".join(r[2:] for r in rows))
    assert _signals(folder)["nps"].reason == "NPS -43 (28 responses in the last 12 months)"
