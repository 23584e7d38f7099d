"""The health model: every signal fires when it should and not otherwise; two scores worked by hand."""

from __future__ import annotations

import copy

import pytest

from conftest import TODAY

from kaplan.config import Config
from kaplan.health.model import assess
from kaplan.model import Plan

BASE = {"kaplan": 1, "account": {"id": "acme", "name": "Acme"}, "plan": {"owner": "Jo"}}


def plan(**sections) -> Plan:
    data = copy.deepcopy(BASE)
    for key, value in sections.items():
        if key in data and isinstance(value, dict):
            data[key].update(value)
        else:
            data[key] = value
    return Plan.model_validate(data)


def signal(p: Plan, name: str):
    return next((s for s in assess(p, TODAY, Config()).signals if s.name == name), None)


def contact(cid, role=None, strength=None, **extra):
    return {"id": cid, "name": cid.title(), "buying_role": role, "strength": strength, **extra}


def years(rev_before, gp_before, rev_now, gp_now):
    return {"periods": [{"period": "2024", "revenue": rev_before, "gross_profit": gp_before},
                        {"period": "2025", "revenue": rev_now, "gross_profit": gp_now}]}


# (signal, sections where it fires, words in the reason, value, sections where it stays at 100)
CASES = [
    ("relationship", {"relationships": {"strength": 2}, "account": {"relationship_stage": "basic"}},
     "relationship strength 2.0/5, basic stage", (25 + 25) / 2,
     {"relationships": {"strength": 5}, "account": {"relationship_stage": "integrated"}}),
    ("key_players", {"relationships": {"contacts": [contact("a", "user")]}}, "no decision maker or sponsor or champion",
     0, {"relationships": {"contacts": [contact("a", "economic_buyer"), contact("b", "sponsor"),
                                        contact("c", "coach")]}}),
    ("single_threaded", {"relationships": {"contacts": [contact("a", strength=5), contact("b", strength=3)]}},
     "single-threaded: 1 strong relationship", 40,
     {"relationships": {"contacts": [contact("a", strength=5), contact("b", strength=4)]}}),
    ("key_contact_gone", {"relationships": {"contacts": [contact("a", "coach", left="2026-10-01")]}},
     "A (coach) left on 2026-10-01", 0,
     {"relationships": {"contacts": [contact("a", "coach", last_contact="2026-11-01")]}}),
    ("key_contact_gone", {"relationships": {"contacts": [contact("a", "sponsor", last_contact="2026-08-01")]}},
     "no contact with A for 115 days", 50,
     {"relationships": {"contacts": [contact("a", "sponsor", last_contact="2026-08-27")]}}),  # 89 days
    # NPS of the survey window (2025-11-25 … 2026-11-24): five 3s = −100; the window before: five 10s = +100
    ("nps", {"voice_of_customer": {"nps": [
        *({"date": f"2026-06-0{d}", "respondent": "a", "score": 3,
           "follow_up": {"owner": "Jo", "due": f"2026-06-0{d + 2}", "closed": f"2026-06-0{d + 1}"}} for d in range(1, 6)),
        *({"date": f"2025-06-0{d}", "respondent": "a", "score": 10} for d in range(1, 6))]}},
     "NPS -100 (5 responses in the last 12 months), down from +100", 0,
     {"voice_of_customer": {"nps": [{"date": f"2026-06-0{d}", "respondent": "a", "score": 10} for d in range(1, 6)]}}),
    ("detractor_loops", {"voice_of_customer": {"nps": [{"date": "2026-11-01", "respondent": "cfo", "score": 4}]}},
     "1 detractor not followed up: cfo (score 4, no follow-up)", 0,
     {"voice_of_customer": {"nps": [{"date": "2026-11-01", "respondent": "cfo", "score": 4,
                                     "follow_up": {"owner": "Jo", "due": "2026-11-03", "closed": "2026-11-02"}}]}}),
    ("detractor_loops", {"voice_of_customer": {"nps": [{"date": "2026-11-01", "respondent": "cfo", "score": 4,
                                                         "follow_up": {"owner": "Jo", "due": "2026-11-20"}}]}},
     "follow-up overdue since 2026-11-20", 0,
     {"voice_of_customer": {"nps": [{"date": "2026-11-23", "respondent": "cfo", "score": 4,
                                     "follow_up": {"owner": "Jo", "due": "2026-11-25", "closed": "2026-11-24"}}]}}),
    ("overdue_actions", {"actions": [{"id": "a", "action": "x", "due": "2026-11-23"},
                                     {"id": "b", "action": "y", "due": "2026-12-01"}]},
     "1 of 2 open actions overdue", 50,
     {"actions": [{"id": "a", "action": "x", "due": "2026-11-24"}, {"id": "b", "action": "y", "due": "2026-01-01",
                                                                    "status": "done"}]}),
    ("review_overdue", {"plan": {"last_reviewed": "2026-07-01", "review_cadence": "quarterly"}},
     "last reviewed 2026-07-01, 146 days ago (quarterly: every 92 days)", 100 * (2 - 146 / 92),
     {"plan": {"last_reviewed": "2026-08-24", "review_cadence": "quarterly"}}),  # 92 days
    ("renewal", {"financials": {"contract": {"renewal_date": "2027-01-23"}}}, "contract renews in 60 days",
     100 * 60 / 180, {"financials": {"contract": {"renewal_date": "2027-05-24"}}}),  # 181 days
    ("renewal", {"financials": {"contract": {"renewal_date": "2026-11-01"}}}, "has passed", 0,
     {"financials": {"contract": {"renewal_date": "2027-12-31"}}}),
    ("revenue_trend", {"financials": years(1_000_000, 300_000, 900_000, 270_000)}, "revenue -10.0% year on year",
     50, {"financials": years(1_000_000, 300_000, 1_000_000, 300_000)}),
    ("margin_trend", {"financials": years(1_000_000, 300_000, 1_000_000, 250_000)},
     "margin 25.0%, down 5.0 points year on year", 50, {"financials": years(1_000_000, 300_000, 1_000_000, 310_000)}),
    ("discount_volume", {"financials": years(1_000_000, 300_000, 1_200_000, 300_000)},
     "revenue up 20.0% while margin fell 5.0 points", 30, {"financials": years(1_000_000, 300_000, 1_200_000, 360_000)}),
    ("force_field", {"force_field": {"for": [{"force": "a", "strength": 3}], "against": [{"force": "b", "strength": 3}]}},
     "force-field net 0", 0, {"force_field": {"for": [{"force": "a", "strength": 5}, {"force": "c", "strength": 5}],
                                             "against": [{"force": "b", "strength": 3}]}}),  # net 7 → capped 100
    ("kpis", {"service": {"kpis": [{"name": "OTD", "target": 98, "actual": 97},
                                   {"name": "Tickets", "target": 10, "actual": 12, "higher_is_better": False}]}},
     "2 of 2 KPIs below target (OTD, Tickets)", 0,
     {"service": {"kpis": [{"name": "OTD", "target": 98, "actual": 98},
                           {"name": "Tickets", "target": 10, "actual": 9, "higher_is_better": False}]}}),
    # five below target of six: the first three named, then how many more; 100 × (1 − 5/6)
    ("kpis", {"service": {"kpis": [{"name": n, "target": 98, "actual": 90 if n != "F" else 99} for n in "ABCDEF"]}},
     "5 of 6 KPIs below target (A, B, C and 2 more)", 100 * (1 - 5 / 6),
     {"service": {"kpis": [{"name": n, "target": 98, "actual": 99} for n in "ABCDEF"]}}),
]


def test_revenue_and_margin_moves_too_small_to_show_are_no_discounting():
    """Revenue up 1 on 1,000,000 (+0.0001 %) while the margin falls 0.00003 points: both show as 0.0,
    so the words cannot say "up 0.0% while margin fell 0.0 points"; up 0.1 % while down 0.1 points can."""
    tiny = signal(plan(financials=years(1_000_000, 300_000, 1_000_001, 300_000)), "discount_volume")
    assert (tiny.value, tiny.reason) == (100, "revenue and margin move together")
    # revenue +0.1 % (1,001,000); margin 30 % → 29.9 % (299,299 of 1,001,000 = 29.9000999 %)
    shown = signal(plan(financials=years(1_000_000, 300_000, 1_001_000, 299_299)), "discount_volume")
    assert (shown.value, shown.reason) == (30, "revenue up 0.1% while margin fell 0.1 points: volume bought with discounts")


@pytest.mark.parametrize("name, firing, words, value, healthy", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_signal_fires_with_its_reason(name, firing, words, value, healthy):
    s = signal(plan(**firing), name)
    assert s is not None
    assert words in s.reason
    assert s.value == pytest.approx(value, abs=0.01)
    assert s in assess(plan(**firing), TODAY, Config()).reasons


@pytest.mark.parametrize("name, firing, words, value, healthy", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_signal_stays_quiet_when_healthy(name, firing, words, value, healthy):
    s = signal(plan(**healthy), name)
    assert s is not None and s.value == 100
    assert s not in assess(plan(**healthy), TODAY, Config()).reasons


def test_signals_without_data_are_left_out():
    h = assess(plan(), TODAY, Config())
    assert h.signals == [] and h.score == 100 and h.level == "low"


def test_health_of_a_relationship_heavy_account_by_hand():
    p = plan(
        plan={"last_reviewed": "2026-11-01", "review_cadence": "quarterly"},
        relationships={"strength": 3, "contacts": [
            contact("dm", "decision_maker", 4, influence=5, last_contact="2026-11-01"),
            contact("champ", "coach", 2, last_contact="2026-11-01")]},
        voice_of_customer={"nps": [
            {"date": "2026-10-01", "respondent": "dm", "score": 9},
            {"date": "2026-10-02", "respondent": "champ", "score": 5,
             "follow_up": {"owner": "Jo", "due": "2026-10-04", "closed": "2026-10-03"}}]},
        actions=[{"id": "a1", "action": "x", "due": "2026-11-01"}, {"id": "a2", "action": "y", "due": "2026-12-31"}],
    )
    h = assess(p, TODAY, Config.model_validate({"nps": {"min_responses": 2}}))  # two responses make an NPS here
    # relationship 50 ×2, key_players 66.67 ×2 (no sponsor), single_threaded 40 ×2, key_contact_gone 100 ×3,
    # nps (1 promoter − 1 detractor)/2 = 0 → 50 ×2, detractor_loops 100 ×2, overdue_actions 50 ×1,
    # review_overdue 100 ×1 (promises kept add no signal).  Σw = 15;  Σw·v = 100 + 133.33 + 80 + 300 + 100 + 200 + 50 + 100 = 1063.33
    assert h.exact == pytest.approx(1063.333 / 15, abs=0.01)  # 70.89
    assert h.score == 71  # as shown, and banded
    assert h.level == "medium" and h.colour == "amber"
    # most points lost first: single_threaded 120, nps 100, relationship 100 (tie → by name), key_players 66.7,
    # overdue_actions 50
    assert [s.name for s in h.reasons] == ["single_threaded", "nps", "relationship", "key_players", "overdue_actions"]
    # with the default of 5 responses, two are too few: no NPS signal
    # Σw = 13;  Σw·v = 1063.33 − 100 = 963.33 → 74.10
    h = assess(p, TODAY, Config())
    assert "nps" not in {s.name for s in h.signals}
    assert h.exact == pytest.approx(963.333 / 13, abs=0.01) and h.score == 74 and h.colour == "amber"


def test_health_of_a_money_heavy_account_by_hand():
    p = plan(
        financials={**years(1_000_000, 300_000, 1_100_000, 264_000), "contract": {"renewal_date": "2027-02-22"}},
        force_field={"for": [{"force": "a", "strength": 4}, {"force": "b", "strength": 3}],
                     "against": [{"force": "c", "strength": 5}]},
        service={"kpis": [{"name": "OTD", "target": 98, "actual": 96},
                          {"name": "Escalations", "target": 5, "actual": 4, "higher_is_better": False}]},
    )
    h = assess(p, TODAY, Config())
    # revenue +10 % → 100 ×2; margin 30 % → 24 %: drop 6 of 10 points → 40 ×2; discount volume 30 ×1;
    # renewal in 90 days of 180 → 50 ×2; force field net 2 → 70 ×1; KPIs 1 of 2 below → 50 ×1.
    # Σw = 9;  Σw·v = 200 + 80 + 30 + 100 + 70 + 50 = 530
    assert h.exact == pytest.approx(530 / 9, abs=0.01)  # 58.89
    assert h.score == 59  # as shown, and banded
    assert h.level == "medium"
    assert h.reasons[0].name == "margin_trend"  # 2 × 60 = 120 points lost


def test_bands_and_weights_come_from_kaplan_yaml():
    p = plan(relationships={"strength": 3})  # the only signal: 50
    assert assess(p, TODAY, Config()).level == "high"  # 50 is within the default red band (≤ 50)
    assert assess(p, TODAY, Config.model_validate({"health": {"red_max": 40}})).level == "medium"
    assert assess(p, TODAY, Config.model_validate({"health": {"red_max": 40, "amber_max": 45}})).level == "low"
    off = Config.model_validate({"health": {"weights": {"relationship": 0}}})
    assert assess(p, TODAY, off).score == 100


def _loops_portfolio(tmp_path, responses: list[str]):
    """A one-plan portfolio whose only signals are about NPS follow-ups (`kaplan risk` reads it)."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.yaml").write_text(
        "kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Jo}\nvoice_of_customer:\n  nps:\n"
        + "".join(f"    - {r}\n" for r in responses))
    return tmp_path


def _loops_reason(kaplan, folder) -> tuple[str, int]:
    r = kaplan("risk", "--today", TODAY.isoformat(), "--format", "json", cwd=folder)
    assert r.exit_code == 0, r.stderr
    (account,) = r.json()["accounts"]
    (reason,) = [x for x in account["reasons"] if "detractor" in x]
    return reason, account["health"]


# Followed up (closed, or open and not yet due on 2026-11-24): never named, never counted.
CLOSED = "{date: 2026-10-01, respondent: done, score: 3, follow_up: {owner: Jo, due: 2026-10-03, closed: 2026-10-02}}"
ON_TIME = "{date: 2026-11-23, respondent: soon, score: 5, follow_up: {owner: Jo, due: 2026-11-25}}"
PROMOTER = "{date: 2026-11-01, respondent: fan, score: 10}"


def test_the_detractor_loop_reason_names_the_one_detractor_not_followed_up(kaplan, tmp_path):
    folder = _loops_portfolio(tmp_path, [CLOSED, ON_TIME, PROMOTER,
                                         "{date: 2026-11-01, respondent: cfo, score: 4}"])
    reason, health = _loops_reason(kaplan, folder)
    assert reason == "1 detractor not followed up: cfo (score 4, no follow-up)"
    # the signal itself is unchanged: 0, the only weighted signal besides the NPS survey promise
    assert health == 0


def test_the_detractor_loop_reason_counts_and_names_two(kaplan, tmp_path):
    folder = _loops_portfolio(tmp_path, [
        "{date: 2026-11-01, respondent: cfo, score: 4}", CLOSED, ON_TIME,
        "{date: 2026-11-10, respondent: Ann Lee, score: 6, follow_up: {owner: Jo, due: 2026-11-12}}"])
    reason, _ = _loops_reason(kaplan, folder)
    assert reason == ("2 detractors not followed up: cfo (score 4, no follow-up); "
                      "Ann Lee (score 6, follow-up overdue since 2026-11-12)")


def test_the_detractor_loop_reason_names_three_then_says_how_many_more(kaplan, tmp_path):
    late = [f"{{date: 2026-11-0{d}, respondent: r{d}, score: {d - 1}}}" for d in range(1, 8)]  # r1 … r7, 0 … 6
    folder = _loops_portfolio(tmp_path, [ON_TIME, *late, CLOSED])
    reason, _ = _loops_reason(kaplan, folder)
    # seven not followed up: the first three in the plan's order named, 7 − 3 = 4 more
    assert reason == ("7 detractors not followed up: r1 (score 0, no follow-up); r2 (score 1, no follow-up); "
                      "r3 (score 2, no follow-up) and 4 more")
