"""The financial figures of one plan, each worked out by hand from its definition (docs/definitions.md).

TTM: the 12 calendar months ending on the last day of the latest period with revenue; a period inside
counts in full, one straddling the start pro rata by days. Margin and cost to serve % over the periods
that have both figures. Growth and the margin trend like for like: the same months a year apart.
"""

from __future__ import annotations

import copy

import pytest

from conftest import dedent

from kaplan import metrics
from kaplan.config import Config
from kaplan.health.model import assess
from kaplan.model import Plan

from conftest import TODAY

BASE = {"kaplan": 1, "account": {"id": "acme", "name": "Acme"}, "plan": {"owner": "Jo"}}


def plan(*periods: dict, **sections) -> Plan:
    data = copy.deepcopy(BASE)
    data["financials"] = {"periods": list(periods)}
    data.update(sections)
    return Plan.model_validate(data)


def q(label: str, revenue=None, gp=None, **more) -> dict:
    out = {"period": label, **more}
    if revenue is not None:
        out["revenue"] = revenue
    if gp is not None:
        out["gross_profit"] = gp
    return out


def signal(p: Plan, name: str):
    return next((s for s in assess(p, TODAY, Config()).signals if s.name == name), None)


# ---------------------------------------------------------------- TTM


def test_no_financials_has_no_figures():
    m = metrics.all_metrics(plan())
    for name in ("revenue_ttm", "revenue_annualised", "gross_profit_ttm", "margin_pct", "cost_to_serve_pct",
                 "revenue_growth_pct", "share_of_wallet_pct", "revenue_months"):
        assert m[name] is None, name
    assert metrics.ttm(plan()) is None and metrics.growth(plan()) is None


def test_four_quarters_count_in_full():
    p = plan(q("2026-Q1", 100, 30), q("2026-Q2", 110, 33), q("2026-Q3", 120, 36), q("2025-Q4", 90, 27))
    w = metrics.ttm(p)
    assert (w.start.isoformat(), w.end.isoformat()) == ("2025-10-01", "2026-09-30")
    assert w.revenue == 90 + 100 + 110 + 120  # = 420
    assert w.months == 12 and w.coverage == "over 12 of 12 months"
    assert w.span == "Oct 2025–Sep 2026"


def test_one_quarter_says_its_coverage_and_annualises():
    w = metrics.ttm(plan(q("2026-Q3", 120_000, 36_000)))
    assert w.revenue == 120_000
    assert w.months == 3 and w.coverage == "over 3 of 12 months"
    assert w.annualised_revenue == 120_000 * 12 / 3  # = 480,000
    assert metrics.all_metrics(plan(q("2026-Q3", 120_000)))["revenue_months"] == 3


def test_a_year_straddling_the_window_start_counts_pro_rata_by_days():
    # Latest period with revenue: 2026-Q1 → window Apr 2025 – Mar 2026.
    # 2025 (365 days) has Apr–Dec in the window: 30+31+30+31+31+30+31+30+31 = 275 days.
    p = plan(q("2025", 365_000, 36_500), q("2026-Q1", 100_000, 30_000))
    w = metrics.ttm(p)
    assert w.revenue == pytest.approx(365_000 * 275 / 365 + 100_000)  # = 375,000
    assert w.gross_profit == pytest.approx(36_500 * 275 / 365 + 30_000)  # = 57,500
    assert w.margin_pct == pytest.approx(57_500 / 375_000 * 100)  # = 15.33 %
    assert w.months == 12  # Apr–Dec from 2025, Jan–Mar from Q1


def test_a_half_year_straddling_the_start():
    # Window Oct 2025 – Sep 2026 (latest: 2026-Q3). 2025-H2 (184 days) has Oct–Dec = 92 days inside.
    p = plan(q("2025-H2", 184_000), q("2026-H1", 200_000), q("2026-Q3", 100_000))
    w = metrics.ttm(p)
    assert w.revenue == pytest.approx(184_000 * 92 / 184 + 200_000 + 100_000)  # = 392,000
    assert w.months == 12


def test_a_gap_in_the_periods_lowers_the_coverage():
    # Q4 2025 missing: 9 months of 12.
    w = metrics.ttm(plan(q("2026-Q1", 100), q("2026-Q2", 100), q("2026-Q3", 100)))
    assert (w.revenue, w.months) == (300, 9)


def test_the_window_ends_at_the_latest_period_with_revenue_not_today():
    # A target-only quarter after the last revenue does not move the window.
    p = plan(q("2026-Q2", 100), {"period": "2026-Q3", "target_revenue": 500})
    assert metrics.ttm(p).end.isoformat() == "2026-06-30"


def test_zero_revenue_is_a_figure_but_no_ratio():
    w = metrics.ttm(plan(q("2026-Q3", 0, -5_000, cost_to_serve=1_000)))
    assert w.revenue == 0 and w.gross_profit == -5_000
    assert w.margin_pct is None and w.cost_to_serve_pct is None  # nothing to divide by


# ---------------------------------------------------------------- margin, cost to serve, share of wallet


def test_margin_over_the_periods_that_have_both():
    # Q3 has revenue but no gross profit: it is left out of the margin, not counted as zero.
    # periods with both: Q1 100/25, Q2 100/25, Q4 90/21.3 → (25 + 25 + 21.3) / (100 + 100 + 90)
    p = plan(q("2026-Q1", 100, 25), q("2026-Q2", 100, 25), q("2026-Q3", 110), q("2025-Q4", 90, 21.3))
    w = metrics.ttm(p)
    assert w.margin_pct == pytest.approx((25 + 25 + 21.3) / (100 + 100 + 90) * 100)  # 24.59 %, not 71.3 / 400 = 17.8 %
    assert w.gross_profit == pytest.approx(25 + 25 + 21.3)
    assert (w.months, w.margin_months) == (12, 9)


def test_margin_from_a_margin_percent_when_profit_is_not_given():
    w = metrics.ttm(plan(q("2026-Q3", 200, margin_pct=30), q("2026-Q2", 100, 20)))
    assert w.gross_profit == pytest.approx(200 * 0.30 + 20)  # = 80
    assert w.margin_pct == pytest.approx(80 / 300 * 100)


def test_cost_to_serve_over_the_periods_that_have_both():
    p = plan(q("2026-Q2", 100, cost_to_serve=10), q("2026-Q3", 300))
    w = metrics.ttm(p)
    assert w.cost_to_serve_pct == pytest.approx(10 / 100 * 100)  # Q3 has no cost: left out, not 10/400
    assert w.cost_months == 3


def test_share_of_wallet_over_the_periods_that_have_both():
    p = plan(q("2026-Q2", 100, client_category_spend=400), q("2026-Q3", 300))
    assert metrics.share_of_wallet_pct(p) == pytest.approx(100 / 400 * 100)  # = 25 %


# ---------------------------------------------------------------- growth like for like


TESSARO = [q("2025-Q1", 1_480_000, 459_000), q("2025-Q2", 1_540_000, 462_000), q("2025-Q3", 1_610_000, 451_000),
           q("2025-Q4", 1_690_000, 406_000), q("2026-Q1", 1_760_000, 370_000), q("2026-Q2", 1_820_000, 328_000),
           q("2026-Q3", 1_880_000, 282_000)]


def test_growth_compares_the_same_months_a_year_apart():
    # TTM Oct 2025 – Sep 2026; the 12 months before have only Jan–Sep 2025. Like for like: Jan–Sep.
    g = metrics.growth(plan(*TESSARO))
    now = 1_760_000 + 1_820_000 + 1_880_000  # = 5,460,000
    before = 1_480_000 + 1_540_000 + 1_610_000  # = 4,630,000
    assert (g.now, g.before) == (now, before)
    assert g.pct == pytest.approx((now - before) / before * 100)  # +17.93 %, not +54.4 %
    assert metrics.month_names(g.months) == "Jan–Sep 2026"
    assert g.basis == "like for like over 9 of 12 months, Jan–Sep 2026 against a year earlier"
    assert metrics.all_metrics(plan(*TESSARO))["revenue_growth_pct"] == pytest.approx(17.93, abs=0.01)


def test_a_flat_account_with_one_quarter_last_year_is_flat():
    # Four quarters of 100 now, one quarter of 100 a year ago: +0 %, not +300 %.
    p = plan(q("2025-Q3", 100), q("2025-Q4", 100), q("2026-Q1", 100), q("2026-Q2", 100), q("2026-Q3", 100))
    assert metrics.growth(p).pct == 0.0


def test_growth_not_comparable_without_the_year_before():
    g = metrics.growth(plan(q("2026-Q3", 100)))
    assert g.pct is None and not g.comparable
    assert g.reason == "not comparable: no revenue recorded in the 12 months before"
    assert metrics.all_metrics(plan(q("2026-Q3", 100)))["revenue_growth_pct"] is None


def test_growth_not_comparable_when_the_months_do_not_match():
    # Now: Jul–Sep 2026; a year before: only Jan–Mar 2025... the window before is Oct 2024 – Sep 2025,
    # which holds 2025-Q1 (Jan–Mar), while now holds only Q3 (Jul–Sep): no month in common.
    g = metrics.growth(plan(q("2025-Q1", 100), q("2026-Q3", 100)))
    assert g.pct is None and g.reason.startswith("not comparable: the months with revenue a year earlier")


def test_growth_with_a_gap_compares_only_matching_months():
    # Now Q1 and Q3 2026 (Q2 missing); before Q1, Q2, Q3 2025. Compared: Q1+Q3 against Q1+Q3.
    p = plan(q("2025-Q1", 100), q("2025-Q2", 500), q("2025-Q3", 100), q("2026-Q1", 110), q("2026-Q3", 130))
    g = metrics.growth(p)
    assert (g.now, g.before) == (110 + 130, 100 + 100)
    assert g.pct == pytest.approx((240 - 200) / 200 * 100)  # = +20 %
    assert metrics.month_names(g.months) == "Jan–Mar 2026, Jul–Sep 2026"


def test_growth_against_a_straddling_year_is_pro_rata():
    # Now: 2026-Q1..Q3 plus 2025-Q4 → window Oct 2025 – Sep 2026. Before: the year 2024 and 2025-Q1..Q3.
    # Oct–Dec 2024 is 92 of 2024's 366 days: 366,000 × 92/366 = 92,000.
    p = plan(q("2024", 366_000), q("2025-Q1", 100_000), q("2025-Q2", 100_000), q("2025-Q3", 100_000),
             q("2025-Q4", 110_000), q("2026-Q1", 110_000), q("2026-Q2", 110_000), q("2026-Q3", 110_000))
    g = metrics.growth(p)
    assert g.before == pytest.approx(92_000 + 300_000)
    assert g.now == 440_000
    assert g.pct == pytest.approx((440_000 - 392_000) / 392_000 * 100)


def test_growth_not_comparable_against_zero_revenue():
    g = metrics.growth(plan(q("2025-Q3", 0), q("2026-Q3", 100)))
    assert g.pct is None and g.reason == "not comparable: revenue was zero in the same months a year earlier"


def test_margin_trend_like_for_like():
    # Margin in Jan–Sep 2026 (1,760+1,820+1,880 k revenue, 370+328+282 k profit) against Jan–Sep 2025.
    m = metrics.margin_trend(plan(*TESSARO))
    now = (370_000 + 328_000 + 282_000) / 5_460_000 * 100  # = 17.95 %
    before = (459_000 + 462_000 + 451_000) / 4_630_000 * 100  # = 29.63 %
    assert m.now == pytest.approx(now) and m.before == pytest.approx(before)
    assert m.points == pytest.approx(now - before)


def test_health_trends_use_like_for_like_figures():
    s = signal(plan(*TESSARO), "revenue_trend")
    assert s.value == 100 and "revenue +17.9% year on year (like for like over 9 of 12 months" in s.reason
    m = signal(plan(*TESSARO), "margin_trend")
    drop = (459 + 462 + 451) / 4630 * 100 - (370 + 328 + 282) / 5460 * 100  # 11.68 points ≥ 10 → 0
    assert m.value == 0 and f"down {drop:.1f} points" in m.reason
    d = signal(plan(*TESSARO), "discount_volume")
    assert d.value == 30 and "revenue up 17.9% while margin fell 11.7 points" in d.reason


def test_no_trend_signal_when_growth_is_not_comparable():
    p = plan(q("2026-Q3", 100, 30))
    assert signal(p, "revenue_trend") is None and signal(p, "margin_trend") is None
    assert signal(p, "discount_volume") is None


def test_a_quarter_without_profit_does_not_drive_a_margin_trend():
    # Q3 2026 has no gross profit: the margin trend compares Q1+Q2 2026 against Q1+Q2 2025 only.
    p = plan(q("2025-Q1", 100, 30), q("2025-Q2", 100, 30), q("2025-Q3", 100, 30),
             q("2026-Q1", 100, 30), q("2026-Q2", 100, 30), q("2026-Q3", 100))
    m = metrics.margin_trend(p)
    assert (m.now, m.before) == (30.0, 30.0) and metrics.month_names(m.months) == "Jan–Jun 2026"
    assert signal(p, "margin_trend").value == 100
    assert signal(p, "discount_volume").value == 100


# ---------------------------------------------------------------- relationship strength, one definition


def test_relationship_strength_falls_back_to_the_contacts_mean_in_score_and_health():
    contacts = [{"id": "a", "name": "A", "strength": 5}, {"id": "b", "name": "B", "strength": 4}]
    p = plan(relationships={"contacts": contacts})
    assert metrics.relationship_strength(p) == 4.5
    s = signal(p, "relationship")
    assert s.value == (4.5 - 1) / 4 * 100  # = 87.5, as the score's range 1-5 normalises it
    assert "relationship strength 4.5/5 (mean of 2 current contacts)" in s.reason


# ---------------------------------------------------------------- the format


def test_an_unquoted_year_is_a_period(kaplan, tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.yaml").write_text(dedent("""
        kaplan: 1
        account: {id: acme, name: Acme}
        plan: {owner: Jo}
        financials:
          periods:
            - period: 2025
              revenue: 365000
            - {period: 2026-Q1, revenue: 100000}
    """))
    r = kaplan("check", "--today", "2026-05-01", cwd=tmp_path)
    assert r.exit_code == 0, r.stdout
    r = kaplan("score", "--format", "json", cwd=tmp_path)
    assert r.json()["accounts"][0]["revenue"] == pytest.approx(365_000 * 275 / 365 + 100_000)
