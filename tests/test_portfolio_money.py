"""Money across accounts, worked out by hand: one reporting currency, the budget (money and people),
concentration with negative values, the portfolio pack's totals and margin, and the volume criterion.

Every portfolio is written inline; every expected figure shows its arithmetic.
"""

from __future__ import annotations

import pytest

from conftest import TODAY, dedent

from kaplan import score_portfolio
from kaplan.model import Plan

DAY = "2026-11-24"


def plan_text(account: str, currency: str = "EUR", periods: str = "", extra: str = "") -> str:
    return dedent(f"""
        kaplan: 1
        account: {{id: {account}, name: {account.title()}}}
        plan: {{owner: Jo}}
        relationships: {{strength: 3}}
        financials:
          currency: {currency}
          periods: [{periods}]
    """) + dedent(extra)


def portfolio(tmp_path, config: str, **plans: str):
    (tmp_path / "plans").mkdir(exist_ok=True)
    (tmp_path / "kaplan.yaml").write_text(dedent(config))
    for account, text in plans.items():
        (tmp_path / "plans" / f"{account}.yaml").write_text(text)
    return tmp_path


RATES = """
    kaplan: 1
    currency:
      reporting: EUR
      rates:
        GBP: {rate: 1.2, as_of: 2026-09-30}
    scoring:
      criteria:
        volume: {source: revenue_ttm, weight: 1, normalise: {method: minmax}}
      matrix: {attractiveness: {volume: 1}, strength: {volume: 1}}
      budget: {available: 150000}
"""


def test_money_is_converted_before_it_is_ranked_classed_and_totalled(kaplan, tmp_path):
    # london: £100,000 × 1.2 = €120,000; paris: €110,000; rome: €30,000.
    # In pounds-as-euros london (100,000) would rank below paris (110,000); converted it ranks first.
    portfolio(tmp_path, RATES,
              london=plan_text("london", "GBP", "{period: 2026-Q3, revenue: 100000, gross_profit: 40000}"),
              paris=plan_text("paris", "EUR", "{period: 2026-Q3, revenue: 110000, gross_profit: 22000}"),
              rome=plan_text("rome", "EUR", "{period: 2026-Q3, revenue: 30000, gross_profit: 3000}"))
    doc = kaplan("score", "--format", "json", cwd=tmp_path).json()
    assert doc["currency"] == "EUR" and doc["rates"] == {"GBP": {"rate": 1.2, "as_of": "2026-09-30"}}
    rows = {a["account"]: a for a in doc["accounts"]}
    assert [a["account"] for a in doc["accounts"]] == ["london", "paris", "rome"]
    assert rows["london"]["revenue"] == pytest.approx(100_000 * 1.2)
    assert rows["london"]["account_currency"] == "GBP" and rows["london"]["currency"] == "EUR"
    # volume min-max: rome 30,000 → 0, london 120,000 → 100, paris (110−30)/(120−30) = 88.89
    assert rows["paris"]["score"] == round(80 / 90 * 100, 1)  # 88.89, shown 88.9
    # concentration on €260,000: london 46.15 % → A, paris before 46.15 % → A, rome before 88.46 % → B
    assert (rows["london"]["abc"], rows["paris"]["abc"], rows["rome"]["abc"]) == ("A", "A", "B")
    csv = kaplan("score", "--format", "csv", cwd=tmp_path).stdout.splitlines()
    assert csv[1].startswith("1,london,London,") and ",120000.0,EUR,3,GBP," in csv[1]
    table = kaplan("score", cwd=tmp_path).stdout
    assert "1 GBP = 1.2 EUR, rate of 2026-09-30" in table
    # the portfolio pack: totals in EUR; margin = (40,000×1.2 + 22,000 + 3,000) / 260,000 = 73,000/260,000
    md = kaplan("report", "--portfolio", "--format", "md", "--today", DAY, cwd=tmp_path).stdout
    assert "figures in EUR (1 GBP = 1.2 EUR, rate of 2026-09-30)" in md
    assert f"| 260,000 | 73,000 | {73_000 / 260_000 * 100:.1f}% |" in md
    assert "mixed currencies" not in md
    # the account pack: its own currency, the converted value beside it
    acc = kaplan("report", "london", "--format", "md", "--today", DAY, cwd=tmp_path).stdout
    assert "Revenue (TTM, GBP)" in acc and "| 100,000 |" in acc
    assert "revenue 120,000 EUR at 1 GBP = 1.2 EUR, rate of 2026-09-30" in acc


def test_a_currency_without_a_rate_is_a_located_error_and_never_added(kaplan, tmp_path):
    portfolio(tmp_path, "kaplan: 1\ncurrency: {reporting: EUR}\n",
              oslo=plan_text("oslo", "NOK", "{period: 2026-Q3, revenue: 1000000}"),
              paris=plan_text("paris", "EUR", "{period: 2026-Q3, revenue: 110000}"))
    r = kaplan("check", "--today", DAY, "--format", "json", cwd=tmp_path)
    assert r.exit_code == 1
    found = [f for f in r.json()["findings"] if f["rule"] == "currency-no-rate"]
    assert len(found) == 1 and found[0]["path"].endswith("oslo.yaml")
    assert (found[0]["line"], found[0]["column"]) == (6, 13)  # `  currency: NOK`
    assert "no rate from NOK to the reporting currency EUR" in found[0]["message"]
    doc = kaplan("score", "--format", "json", cwd=tmp_path).json()
    oslo = next(a for a in doc["accounts"] if a["account"] == "oslo")
    assert oslo["revenue"] is None  # not 1,000,000 "euros"
    assert any("no rate from NOK to EUR" in n["message"] for n in doc["notes"])
    md = kaplan("report", "--portfolio", "--format", "md", "--today", DAY, cwd=tmp_path).stdout
    assert "| 110,000 |" in md.split("## Executive summary")[1].split("\n")[4] and "left out of every total: Oslo" in md


def test_one_currency_needs_no_settings(kaplan, tmp_path):
    portfolio(tmp_path, "kaplan: 1\n",
              leeds=plan_text("leeds", "GBP", "{period: 2026-Q3, revenue: 100}"),
              york=plan_text("york", "GBP", "{period: 2026-Q3, revenue: 300}"))
    assert kaplan("check", "--today", DAY, cwd=tmp_path).exit_code == 0
    doc = kaplan("score", "--format", "json", cwd=tmp_path).json()
    assert doc["currency"] == "GBP" and doc["rates"] == {}
    assert {a["revenue"] for a in doc["accounts"]} == {100.0, 300.0}


def test_the_budget_compares_requests_in_the_reporting_currency(kaplan, tmp_path):
    invest = "investment:\n  - {{id: {id}, description: {id}, amount: {amount}}}\n"
    portfolio(tmp_path, RATES,
              london=plan_text("london", "GBP", "{period: 2026-Q3, revenue: 100000}",
                               invest.format(id="team", amount=100000)),
              paris=plan_text("paris", "EUR", "{period: 2026-Q3, revenue: 30000}",
                              invest.format(id="tool", amount=50000)))
    b = kaplan("score", "--budget", "--format", "json", cwd=tmp_path).json()
    # london first (higher score): £100,000 = €120,000 granted in full; paris gets the €30,000 left
    assert b["currency"] == "EUR" and b["available"] == 150_000
    assert [(r["account"], r["amount"], r["granted"], r["status"]) for r in b["requests"]] == [
        ("london", 120_000, 120_000, "funded"), ("paris", 50_000, 150_000 - 120_000, "partly funded")]
    assert b["requests"][0]["requested_amount"] == 100_000 and b["requests"][0]["requested_currency"] == "GBP"
    assert b["requested"] == 120_000 + 50_000


PEOPLE = """
    investment:
      - {id: money, description: Money, amount: 100000}
      - {id: staff, description: Two engineers, people_fte: 2}
"""


def test_people_are_not_allocated_without_a_people_budget(kaplan, tmp_path):
    portfolio(tmp_path, "kaplan: 1\nscoring: {budget: {available: 50000}}\n",
              acme=plan_text("acme", "EUR", "{period: 2026-Q3, revenue: 100}", PEOPLE))
    b = kaplan("score", "--budget", "--format", "json", cwd=tmp_path).json()
    status = {r["request"]: r for r in b["requests"]}
    assert status["money"]["status"] == "partly funded"  # 50,000 of 100,000
    assert status["staff"]["status"] == "people not allocated"  # never "funded"
    assert status["staff"]["people_granted"] is None and b["people_available"] is None
    # one sentence, the same in the score's table and Markdown and in the portfolio pack
    words = "People: 2 FTE requested, not allocated (set scoring.budget.people in kaplan.yaml)."
    escaped = r"People: 2 FTE requested, not allocated (set scoring\.budget\.people in kaplan\.yaml)."  # Markdown
    table = kaplan("score", "--budget", cwd=tmp_path).stdout
    assert words in " ".join(table.split())
    assert escaped in kaplan("score", "--budget", "--format", "markdown", cwd=tmp_path).stdout
    for suffix, said in (("md", escaped), ("html", words)):
        out = tmp_path / f"portfolio.{suffix}"
        assert kaplan("report", "--portfolio", "--format", suffix, "--out", str(out), cwd=tmp_path).exit_code == 0
        assert said in out.read_text(encoding="utf-8")


def test_people_are_allocated_against_the_people_budget(kaplan, tmp_path):
    both = PEOPLE + "      - {id: more, description: Three more, people_fte: 3}\n"
    portfolio(tmp_path, "kaplan: 1\nscoring: {budget: {available: 100000, people: 4}}\n",
              acme=plan_text("acme", "EUR", "{period: 2026-Q3, revenue: 100}", both))
    b = kaplan("score", "--budget", "--format", "json", cwd=tmp_path).json()
    rows = {r["request"]: r for r in b["requests"]}
    # same account, plan order: staff gets 2 of 4 FTE, more gets the 4 − 2 = 2 left of its 3
    assert (rows["staff"]["people_granted"], rows["staff"]["status"]) == (2, "people funded")
    assert (rows["more"]["people_granted"], rows["more"]["status"]) == (2, "people partly funded")
    assert rows["money"]["status"] == "funded"
    assert (b["people_available"], b["people_requested"], b["people_granted"]) == (4, 2 + 3, 2 + 2)


def test_concentration_on_gross_profit_with_a_negative_account(kaplan, tmp_path):
    # gross profit: a 600, b 300, c 100, d −50. Shares of the positive total 1,000: 60 %, 30 %, 10 %.
    config = "kaplan: 1\nscoring: {concentration: {metric: gross_profit_ttm}}\n"
    portfolio(tmp_path, config,
              **{k: plan_text(k, "EUR", f"{{period: 2026-Q3, revenue: 1000, gross_profit: {gp}}}")
                 for k, gp in [("a", 600), ("b", 300), ("c", 100), ("d", -50)]})
    md = kaplan("report", "--portfolio", "--format", "md", "--today", DAY, cwd=tmp_path).stdout
    table = md[md.index("## Concentration"):md.index("## Account risk")]
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| Account")]
    assert rows == ["| A | A | 600 | 60.0% | 60.0% |",  # before it 0 % → A
                    "| B | A | 300 | 30.0% | 90.0% |",  # before it 60 % < 80 → A
                    "| C | B | 100 | 10.0% | 100.0% |",  # before it 90 % < 95 → B
                    "| D | C | -50 | – | – |"]  # negative: no share, class C, listed last
    assert "Zero or negative gross profit brings no share of the total" in table
    assert "100.3%" not in md


def test_portfolio_margin_is_its_own_totals(kaplan, tmp_path):
    # zero revenue with negative profit is in both totals: (300 − 40) / (1,000 + 0) = 26 %
    portfolio(tmp_path, "kaplan: 1\n",
              a=plan_text("a", "EUR", "{period: 2026-Q3, revenue: 1000, gross_profit: 300}"),
              z=plan_text("z", "EUR", "{period: 2026-Q3, revenue: 0, gross_profit: -40}"))
    md = kaplan("report", "--portfolio", "--format", "md", "--today", DAY, cwd=tmp_path).stdout
    assert f"| 1,000 | 260 | {260 / 1000 * 100:.1f}% |" in md


def test_portfolio_margin_over_the_periods_with_both_says_so(kaplan, tmp_path):
    # a: Q2 1,000/300 and Q3 1,000 without profit → revenue 2,000, gross profit 300, margin 300/1,000
    portfolio(tmp_path, "kaplan: 1\n",
              a=plan_text("a", "EUR", "{period: 2026-Q2, revenue: 1000, gross_profit: 300}, "
                                      "{period: 2026-Q3, revenue: 1000}"))
    md = kaplan("report", "--portfolio", "--format", "md", "--today", DAY, cwd=tmp_path).stdout
    assert "| 2,000 | 300 | 30.0% |" in md
    assert "margin 30.0% is gross profit 300 ÷ revenue 1,000, over the periods with both figures" in md


def test_log_volume_is_not_anchored_at_a_zero_revenue_account(tmp_path):
    config = """
        kaplan: 1
        scoring:
          criteria:
            volume: {source: revenue_ttm, weight: 1, normalise: {method: log}}
          matrix: {attractiveness: {volume: 1}, strength: {volume: 1}}
    """
    portfolio(tmp_path, config,
              big=plan_text("big", "EUR", "{period: 2026-Q3, revenue: 999999}"),
              small=plan_text("small", "EUR", "{period: 2026-Q3, revenue: 9999}"),
              mid=plan_text("mid", "EUR", "{period: 2026-Q3, revenue: 99999}"),
              none=plan_text("none", "EUR", "{period: 2026-Q3, revenue: 0}"))
    scores = {a.account_id: a.score for a in score_portfolio([tmp_path / "plans"], today=TODAY).accounts}
    # bounds log10(1 + 9,999) = 4 and log10(1 + 999,999) = 6: mid (5 − 4)/(6 − 4) = 50, not 83
    assert scores["mid"] == pytest.approx(50.0)
    assert (scores["big"], scores["small"], scores["none"]) == (100.0, 0.0, 0.0)


def test_volume_annualises_a_short_ttm_by_default(tmp_path):
    # one quarter of 100,000 against four of 100,000: annualised 400,000 each, the same volume
    portfolio(tmp_path, "kaplan: 1\n",
              new=plan_text("new", "EUR", "{period: 2026-Q3, revenue: 100000}"),
              old=plan_text("old", "EUR", "{period: 2025-Q4, revenue: 100000}, {period: 2026-Q1, revenue: 100000}, "
                                          "{period: 2026-Q2, revenue: 100000}, {period: 2026-Q3, revenue: 100000}"))
    result = score_portfolio([tmp_path / "plans"], today=TODAY)
    volume = {a.account_id: next(c for c in a.contributions if c.criterion == "volume") for a in result.accounts}
    assert volume["new"].source == "revenue_annualised"
    assert volume["new"].raw == 100_000 * 12 / 3 == volume["old"].raw
    assert volume["new"].normalised == volume["old"].normalised
    assert result.account("new").revenue == 100_000 and result.account("new").revenue_months == 3


def test_contract_value_says_whether_it_is_per_year_or_the_whole_term():
    base = {"kaplan": 1, "account": {"id": "a", "name": "A"}, "plan": {"owner": "Jo"}}
    old = Plan.model_validate({**base, "financials": {"contract": {"value": 900}}}).financials.contract
    assert (old.value_basis, old.annual_value) == ("annual", 900)  # a plan without the basis: per year
    total = Plan.model_validate({**base, "financials": {"contract": {
        "value": 3000, "value_basis": "total", "start": "2025-01-01", "renewal_date": "2028-01-01"}}}).financials.contract
    assert total.annual_value == pytest.approx(3000 / (1095 / 365.25))  # 3 years of 365 days → ≈ 1,000.7 a year


def test_the_account_pack_shows_coverage_growth_basis_and_ratio_notes(kaplan, tmp_path):
    # Q3 2025 100; Q1–Q3 2026 120 each, Q3 2026 without gross profit.
    # TTM Oct 2025 – Sep 2026 over 9 of 12 months; growth Jul–Sep only: (120 − 100) / 100 = +20 %.
    periods = ("{period: 2025-Q3, revenue: 100, gross_profit: 30}, {period: 2026-Q1, revenue: 120, gross_profit: 36}, "
               "{period: 2026-Q2, revenue: 120, gross_profit: 36}, {period: 2026-Q3, revenue: 120}")
    portfolio(tmp_path, "kaplan: 1\n", acme=plan_text("acme", "EUR", periods))
    md = kaplan("report", "acme", "--format", "md", "--today", DAY, cwd=tmp_path).stdout
    assert "TTM Oct 2025–Sep 2026, over 9 of 12 months" in md
    assert "revenue growth +20.0% like for like over 3 of 12 months, Jul–Sep 2026 against a year earlier" in md
    assert "margin over the 6 months with both revenue and gross profit" in md  # (36 + 36) / 240 = 30 %
    assert "| 360 | 30.0% |" in md
    html = kaplan("report", "acme", "--today", DAY, cwd=tmp_path).stdout
    assert "Oct 2025–Sep 2026, over 9 of 12 months · growth +20.0% like for like over 3 of 12 months" in html


def test_the_account_pack_says_why_growth_is_not_comparable(kaplan, tmp_path):
    portfolio(tmp_path, "kaplan: 1\n", acme=plan_text("acme", "EUR", "{period: 2026-Q3, revenue: 100}"))
    md = kaplan("report", "acme", "--format", "md", "--today", DAY, cwd=tmp_path).stdout
    assert "revenue growth not comparable: no revenue recorded in the 12 months before" in md
    assert "revenue trend" not in md  # no number, so no health signal either


def test_a_new_plan_is_written_in_the_reporting_currency(kaplan, tmp_path):
    portfolio(tmp_path, "kaplan: 1\ncurrency: {reporting: GBP}\n")
    assert kaplan("new", "acme", "--owner", "Jo", "--today", DAY, cwd=tmp_path).exit_code == 0
    text = (tmp_path / "plans" / "acme.yaml").read_text()
    assert "  currency: GBP\n" in text
    assert "value_basis: total" in text  # the scaffold's 3-year framework says its value is the total


def test_explain_says_when_volume_is_annualised_and_converted(kaplan, tmp_path):
    portfolio(tmp_path, "kaplan: 1\ncurrency: {reporting: EUR, rates: {GBP: {rate: 1.2, as_of: 2026-09-30}}}\n",
              leeds=plan_text("leeds", "GBP", "{period: 2026-Q3, revenue: 100000}"),
              paris=plan_text("paris", "EUR", "{period: 2026-Q3, revenue: 50000}"))
    out = kaplan("score", "--explain", "leeds", cwd=tmp_path).stdout
    # £100,000 over 3 months → × 1.2 = €120,000 → × 12 ÷ 3 = €480,000 a year
    assert "480,000 EUR" in out  # money in whole units, as every view shows it
    assert "revenue for 3 of 12 months" in out and "× 12 ÷ 3" in out
    assert "money converted from GBP: 1 GBP = 1.2 EUR, rate of 2026-09-30" in out


def test_the_budget_table_shows_the_people_granted(kaplan, tmp_path):
    both = PEOPLE + "      - {id: more, description: Three more, people_fte: 3}\n"
    portfolio(tmp_path, "kaplan: 1\nscoring: {budget: {available: 100000, people: 4}}\n",
              acme=plan_text("acme", "EUR", "{period: 2026-Q3, revenue: 100}", both))
    md = kaplan("score", "--budget", "--format", "markdown", cwd=tmp_path).stdout
    rows = {line.split(" | ")[2]: line.split(" | ") for line in md.splitlines() if line.startswith("| ") and "`acme`" in line}
    header = next(line for line in md.splitlines() if line.startswith("| #")).split(" | ")
    granted = header.index("Granted")
    # 4 FTE available: "Two engineers" gets its 2, "Three more" the 4 − 2 = 2 left of its 3; the
    # money request, 100,000 of the 100,000 available, asks for no people
    assert rows["Two engineers"][granted] == "0 + 2 FTE" and rows["Three more"][granted] == "0 + 2 FTE"
    assert rows["Money"][granted] == "100,000"
    table = kaplan("score", "--budget", cwd=tmp_path, env={"COLUMNS": "200"}).stdout
    assert "0 + 2 FTE" in table


def test_equal_scores_are_funded_in_the_ranking_s_order(kaplan, tmp_path):
    """Alpha and beta score the same (relationship strength 3 each, the only criterion); the ranking
    puts beta first on its higher revenue (200 > 100), so the budget funds beta's 80,000 in full and
    alpha gets the 100,000 − 80,000 = 20,000 left, not the other way round by account id."""
    config = dedent("""
        kaplan: 1
        scoring:
          criteria: {relationship: {source: relationship_strength, weight: 1, normalise: {method: range, min: 1, max: 5}}}
          matrix: {attractiveness: {relationship: 1}, strength: {relationship: 1}}
          budget: {available: 100000}
    """)
    invest = "investment:\n  - {{id: ask, description: Ask, amount: {amount}}}\n"
    portfolio(tmp_path, config,
              alpha=plan_text("alpha", "EUR", "{period: 2026-Q3, revenue: 100}", invest.format(amount=50000)),
              beta=plan_text("beta", "EUR", "{period: 2026-Q3, revenue: 200}", invest.format(amount=80000)))
    ranked = kaplan("score", "--format", "json", "--today", DAY, cwd=tmp_path).json()["accounts"]
    assert [(a["account"], a["score"]) for a in ranked] == [("beta", 50.0), ("alpha", 50.0)]
    b = kaplan("score", "--budget", "--format", "json", "--today", DAY, cwd=tmp_path).json()
    assert [(r["account"], r["granted"], r["status"]) for r in b["requests"]] == [
        ("beta", 80_000, "funded"), ("alpha", 100_000 - 80_000, "partly funded")]
    assert b["requests"][1]["running_total"] == 100_000 and b["granted"] == 100_000


def test_a_plan_with_an_error_is_left_out_of_the_figures(kaplan, tmp_path):
    """Overlapping periods (`2025` and its `2025-Q4`) would count October-December twice: `check`
    calls it an error, and score, risk and the packs leave the plan out (exit 1) instead of ranking it."""
    portfolio(tmp_path, "kaplan: 1\n",
              good=plan_text("good", "EUR", "{period: 2026-Q3, revenue: 300}"),
              twice=plan_text("twice", "EUR", "{period: 2025, revenue: 1000000}, {period: 2025-Q4, revenue: 300000}"))
    assert "period-overlap" in kaplan("check", "--today", DAY, cwd=tmp_path).stdout
    scored = kaplan("score", "--format", "json", "--today", DAY, cwd=tmp_path)
    assert scored.exit_code == 1 and "twice" in scored.stderr
    assert [a["account"] for a in scored.json()["accounts"]] == ["good"]
    risk = kaplan("risk", "--format", "json", "--today", DAY, cwd=tmp_path)
    assert risk.exit_code == 1 and [r["account"] for r in risk.json()["accounts"]] == ["good"]
    pack = kaplan("report", "twice", "--format", "md", "--today", DAY, cwd=tmp_path)
    assert pack.exit_code == 1 and "has errors" in pack.stderr


def test_a_figure_is_shown_rounded_half_away_from_zero_everywhere(kaplan, tmp_path):
    """Gross profit 8,805 on revenue 10,000 is a margin of exactly 88.05 %: shown 88.1 %, as a score
    of 88.05 is shown 88.1 (`kaplan.rounding`), in the ranking and in the pack alike."""
    portfolio(tmp_path, "kaplan: 1\n", z=plan_text("z", "EUR", "{period: 2026-Q3, revenue: 10000, gross_profit: 8805}"))
    assert "88.1%" in kaplan("score", "--format", "markdown", "--today", DAY, cwd=tmp_path).stdout
    assert "88.1%" in kaplan("report", "z", "--format", "md", "--today", DAY, cwd=tmp_path).stdout


def test_an_account_with_no_figure_on_an_axis_is_unplaced_not_put_at_zero(kaplan, tmp_path):
    """With the default matrix, attractiveness reads volume, growth potential, strategic importance
    and profitability: a plan with none of them has no attractiveness, so no quadrant (and no tier
    that asks for one), rather than the bottom of the matrix."""
    portfolio(tmp_path, "kaplan: 1\n", bare=plan_text("bare"),
              known=plan_text("known", "EUR", "{period: 2026-Q3, revenue: 1000, gross_profit: 300}"))
    accounts = {a["account"]: a for a in kaplan("score", "--format", "json", "--today", DAY, cwd=tmp_path).json()["accounts"]}
    assert accounts["bare"]["attractiveness"] is None and accounts["bare"]["quadrant"] == "Unplaced"
    assert accounts["known"]["attractiveness"] is not None and accounts["known"]["quadrant"] != "Unplaced"
    explain = kaplan("score", "--explain", "bare", "--today", DAY, cwd=tmp_path, env={"COLUMNS": "200"}).stdout
    assert "quadrant: Unplaced (attractiveness –" in explain


def test_money_without_a_rate_has_no_ratio_and_comes_after_every_request_with_one(kaplan, tmp_path):
    """`score_per_money` orders by score ÷ converted amount. Oslo's NOK has no rate: its money has no
    converted amount, so no ratio; it is not a request asking no money (which would come first), and
    goes after every request with a ratio, its people shared out in that place."""
    config = """
        kaplan: 1
        currency: {reporting: EUR}
        scoring:
          criteria: {relationship: {source: relationship_strength, weight: 1, normalise: {method: range, min: 1, max: 5}}}
          matrix: {attractiveness: {relationship: 1}, strength: {relationship: 1}}
          budget: {available: 100000, people: 3, rule: score_per_money}
    """
    def account(name: str, currency: str, strength: int, ask: str) -> str:
        return plan_text(name, currency, "{period: 2026-Q3, revenue: 1000}",
                         f"relationships: {{strength: {strength}}}\ninvestment:\n  - {{id: ask, description: {name}, {ask}}}\n"
                         ).replace("relationships: {strength: 3}\n", "", 1)
    portfolio(tmp_path, config,
              oslo=account("oslo", "NOK", 2, "amount: 50000, people_fte: 2"),
              paris=account("paris", "EUR", 5, "amount: 50000, people_fte: 2"),
              lyon=account("lyon", "EUR", 3, "people_fte: 1"))
    b = kaplan("score", "--budget", "--format", "json", "--today", DAY, cwd=tmp_path).json()
    # scores on strength 1–5: oslo (2−1)/4 = 25, paris (5−1)/4 = 100, lyon (3−1)/4 = 50.
    # lyon asks no money: first. paris 100 ÷ 50,000 = 0.002 per euro. oslo: no ratio, last.
    # People, 3 FTE: lyon 1, paris 2 (3 − 1 = 2 left, all it asks), oslo 3 − 1 − 2 = 0 of its 2.
    assert [(r["account"], r["people_granted"], r["status"]) for r in b["requests"]] == [
        ("lyon", 1, "people funded"),
        ("paris", 2, "funded; people funded"),
        ("oslo", 0, "not allocated; people unfunded")]
    assert b["requests"][1]["granted"] == 50_000 and b["requests"][2]["granted"] == 0
