"""`kaplan score` on a portfolio whose every number was worked out by hand.

The portfolio is tests/fixtures/scored (four accounts, one year of figures each):

    account  revenue    gross profit  margin  cost to serve  cts %  relationship
    alpha    1,000,000  400,000       40 %    50,000         5 %    5
    bravo      500,000  150,000       30 %    50,000         10 %   3
    charlie    250,000  125,000       50 %    50,000         20 %   2
    delta      250,000  100,000       40 %    (none)         –      4

Criteria (kaplan.yaml): profitability w2 range 0-50; volume w1 min-max; relationship w1 range 1-5;
cost w1 range 0-20, lower is better. Missing values are excluded and the weights renormalised.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import REPO, TODAY

from kaplan import score_portfolio

FIXTURE = REPO / "tests" / "fixtures" / "scored"

# normalised values
#   profitability: alpha 40/50=80, bravo 30/50=60, charlie 50/50=100, delta 40/50=80
#   volume: min 250k, max 1M, span 750k → alpha 100, bravo 250/750=33.333, charlie 0, delta 0
#   relationship: (s-1)/4 → alpha 100, bravo 50, charlie 25, delta 75
#   cost: 100 - cts%/20*100 → alpha 75, bravo 50, charlie 0, delta missing
EXPECTED_SCORE = {
    "alpha": (2 * 80 + 100 + 100 + 75) / 5,  # = 87.0
    "bravo": (2 * 60 + 100 / 3 + 50 + 50) / 5,  # = 50.667
    "charlie": (2 * 100 + 0 + 25 + 0) / 5,  # = 45.0
    "delta": (2 * 80 + 0 + 75) / 4,  # cost excluded → weights 2+1+1 = 58.75
}
# matrix: attractiveness = mean(volume, profitability); strength = relationship; split 50 (≥ is high)
#   alpha   (100+80)/2 = 90,     strength 100 → Strategic
#   bravo   (33.3+60)/2 = 46.67, strength 50  → Status
#   charlie (0+100)/2 = 50,      strength 25  → Star
#   delta   (0+80)/2 = 40,       strength 75  → Status
EXPECTED_MATRIX = {"alpha": (90.0, 100.0, "Strategic"), "bravo": ((100 / 3 + 60) / 2, 50.0, "Status"),
                   "charlie": (50.0, 25.0, "Star"), "delta": (40.0, 75.0, "Status")}
# tiers: gold ≥ 70 → alpha; silver = Star quadrant → charlie; bronze the rest
EXPECTED_TIER = {"alpha": "gold", "bravo": "bronze", "charlie": "silver", "delta": "bronze"}
# ABC on revenue, total 2,000,000, sorted alpha, bravo, charlie, delta (charlie/delta tie → by id)
#   share before: alpha 0 % → A; bravo 50 % → A; charlie 75 % → A; delta 87.5 % → B (< 95)
EXPECTED_ABC = {"alpha": "A", "bravo": "A", "charlie": "A", "delta": "B"}


@pytest.fixture
def scored():
    return score_portfolio([FIXTURE], today=TODAY)


def test_scores_match_hand_computation(scored):
    for a in scored.accounts:
        assert a.exact == pytest.approx(EXPECTED_SCORE[a.account_id], abs=0.01)
        assert a.score == round(EXPECTED_SCORE[a.account_id], 1)  # shown and used: 87.0, 50.7, 45.0, 58.8


def test_ranks_key_flags_tiers_quadrants_abc(scored):
    assert [a.account_id for a in scored.accounts] == ["alpha", "delta", "bravo", "charlie"]
    assert [a.rank for a in scored.accounts] == [1, 2, 3, 4]
    assert {a.account_id for a in scored.accounts if a.key} == {"alpha"}  # threshold 60
    for a in scored.accounts:
        attractiveness, strength, quadrant = EXPECTED_MATRIX[a.account_id]
        assert a.attractiveness == pytest.approx(attractiveness, abs=0.01)
        assert a.strength == pytest.approx(strength, abs=0.01)
        assert a.quadrant == quadrant
        assert a.tier_name == EXPECTED_TIER[a.account_id]
        assert a.abc == EXPECTED_ABC[a.account_id]


def test_concentration_top_fifth(scored):
    # ceil(20 % × 4) = 1 account: alpha's 1,000,000 of 2,000,000
    assert scored.concentration.top_accounts == 1
    assert scored.concentration.top_share_pct == pytest.approx(50.0, abs=0.01)


def test_missing_value_is_reported_not_zero(scored):
    delta = scored.account("delta")
    cost = next(c for c in delta.contributions if c.criterion == "cost")
    assert cost.missing and cost.contribution == 0
    notes = [n for n in scored.notes if n.path.endswith("delta.yaml")]
    assert len(notes) == 1 and "cost" in notes[0].message
    assert notes[0].line == 8  # the `financials:` key's line


def test_explain_contributions_sum_to_score(scored):
    for a in scored.accounts:
        assert sum(c.contribution for c in a.contributions) == pytest.approx(a.exact, abs=1e-9)
    alpha = scored.account("alpha")
    assert {c.criterion: round(c.contribution, 2) for c in alpha.contributions} == {
        "profitability": 32.0,  # 2/5 × 80
        "volume": 20.0,  # 1/5 × 100
        "relationship": 20.0,  # 1/5 × 100
        "cost": 15.0,  # 1/5 × 75
    }


def test_allocation_by_score(scored):
    # budget 150,000: alpha r1 100k funded (100k), delta r2 80k → 50k partly (150k), bravo r3 unfunded
    rows = [(r.account_id, r.request.id, r.granted, r.running_total, r.status) for r in scored.allocation.rows]
    assert rows == [("alpha", "r1", 100000, 100000, "funded"),
                    ("delta", "r2", 50000, 150000, "partly funded"),
                    ("bravo", "r3", 0, 150000, "unfunded")]


def test_allocation_by_score_per_money(tmp_path):
    folder = tmp_path / "p"
    shutil.copytree(FIXTURE, folder)
    cfg = folder / "kaplan.yaml"
    cfg.write_text(cfg.read_text().replace("rule: score}", "rule: score_per_money}"))
    result = score_portfolio([folder], today=TODAY)
    # score per unit: bravo 50.667/30k = 1.69e-3, alpha 87/100k = 8.7e-4, delta 58.75/80k = 7.3e-4
    rows = [(r.account_id, r.granted, r.running_total, r.status) for r in result.allocation.rows]
    assert rows == [("bravo", 30000, 30000, "funded"), ("alpha", 100000, 130000, "funded"),
                    ("delta", 20000, 150000, "partly funded")]


def test_weight_override_on_the_command_line(kaplan):
    # profitability weight 4: alpha = (4×80 + 100 + 100 + 75) / 7 = 595/7 = 85.0
    r = kaplan("score", FIXTURE, "--format", "json", "--weight", "profitability=4")
    assert r.exit_code == 0, r.stderr
    alpha = next(a for a in r.json()["accounts"] if a["account"] == "alpha")
    assert alpha["score"] == pytest.approx(85.0, abs=0.01)


@pytest.mark.parametrize("arg", ["nope=2", "volume=0", "volume", "volume=x"])
def test_bad_weight_override_is_a_usage_error(kaplan, arg):
    r = kaplan("score", FIXTURE, "--weight", arg)
    assert r.exit_code == 2
    assert "Traceback" not in r.stderr


def test_cli_formats(kaplan):
    r = kaplan("score", FIXTURE, "--format", "csv")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == ("rank,account,name,score,key,tier,quadrant,revenue,currency,revenue_months,account_currency,"
                        "margin_pct,abc")
    assert lines[1] == "1,alpha,Alpha,87.0,yes,gold,Strategic,1000000.0,EUR,12,EUR,40.0,A"
    md = kaplan("score", FIXTURE, "--format", "markdown").stdout
    assert "| 1 | Alpha (`alpha`) | 87.0 | yes | gold | Strategic | 1,000,000 | 40.0% | A |" in md
    table = kaplan("score", FIXTURE).stdout
    assert "Top 20% of accounts (1) bring 50.0% of revenue." in table
    top = kaplan("score", FIXTURE, "--format", "json", "--top", "2").json()
    assert [a["account"] for a in top["accounts"]] == ["alpha", "delta"]
    bronze = kaplan("score", FIXTURE, "--format", "json", "--tier", "bronze").json()
    assert [a["account"] for a in bronze["accounts"]] == ["delta", "bravo"]
    assert kaplan("score", FIXTURE, "--tier", "platinum").exit_code == 2


def test_cli_explain_and_budget(kaplan):
    r = kaplan("score", FIXTURE, "--explain", "alpha")
    assert r.exit_code == 0
    assert "score 87.0, rank 1 of 4" in r.stdout  # (2 × 80 + 100 + 100 + 75) / 5, exactly 87
    assert "32.00" in r.stdout and "15.00" in r.stdout
    assert kaplan("score", FIXTURE, "--explain", "zulu").exit_code == 2
    b = kaplan("score", FIXTURE, "--budget", "--format", "json").json()
    assert b["available"] == 150000 and b["granted"] == 150000 and b["requested"] == 210000
    assert [r["status"] for r in b["requests"]] == ["funded", "partly funded", "unfunded"]


def test_ties_rank_by_revenue_then_id(write):
    same = "relationships: {{strength: 3}}\nfinancials: {{periods: [{{period: '2025', revenue: {rev}}}]}}\n"
    for name, rev in [("b-one", 100), ("a-two", 100), ("c-three", 200)]:
        write(f"t/plans/{name}.yaml", f"kaplan: 1\naccount: {{id: {name}, name: {name}}}\n"
              f"plan: {{owner: Jo}}\n" + same.format(rev=rev))
    write("t/kaplan.yaml", """\
        kaplan: 1
        scoring:
          criteria:
            relationship: {source: relationship_strength, weight: 1, normalise: {method: range, min: 1, max: 5}}
          matrix: {attractiveness: {relationship: 1}, strength: {relationship: 1}}
        """)
    result = score_portfolio([write("t/plans/.keep", "").parent.parent], today=TODAY)
    assert [a.account_id for a in result.accounts] == ["c-three", "a-two", "b-one"]
    assert len({a.score for a in result.accounts}) == 1


@pytest.mark.parametrize("config, line, column, words", [
    ("scoring:\n  criteria:\n    volume: {source: revenue_ttm, weight: 0}\n", 3, 43, "weight"),
    ("scoring:\n  criteria:\n    volume: {source: revenues, weight: 1}\n", 3, 22, "revenues"),
    ("scoring:\n  matrix:\n    strength: {relationshp: 1}\n", 3, 16, "unknown criterion `relationshp`"),
    ("scoring:\n  criterias: {}\n", 2, 3, "criterias"),
    # two matrix weights of 1e308 overflowed their sum: every account's attractiveness was 0
    ("scoring:\n  matrix:\n    attractiveness: {volume: 1e308, profitability: 1e308}\n", 3, 30,
     "less than or equal to 1000"),
    ("scoring:\n  criteria:\n    volume: {source: revenue_ttm, weight: 1001}\n", 3, 43, "less than or equal to 1000"),
])
def test_config_mistakes_are_located_in_kaplan_yaml(kaplan, tmp_path, config, line, column, words):
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\n" + config)
    (tmp_path / "plans").mkdir()
    r = kaplan("score", cwd=tmp_path)
    assert r.exit_code == 2
    assert f"kaplan.yaml:{line + 1}:{column}:" in r.stderr
    assert words in r.stderr
    assert kaplan("check", cwd=tmp_path).exit_code == 2


def test_tier_rules_enforced_by_check(kaplan, tmp_path):
    folder = tmp_path / "p"
    shutil.copytree(FIXTURE, folder)
    alpha = folder / "plans" / "alpha.yaml"
    text = alpha.read_text()
    text = text.replace("review_cadence: monthly, executive_sponsor: Sam Exec", "review_cadence: quarterly")
    text = text.replace("  rituals: [{name: QBR, kind: business_review}]\n", "")
    alpha.write_text(text)
    r = kaplan("check", "--format", "json", "--today", "2026-11-24", cwd=folder)
    found = {(f["rule"], f["line"]) for f in r.json()["findings"] if f["path"].endswith("alpha.yaml")}
    # alpha is still gold (its score does not depend on cadence, sponsor or rituals)
    assert ("tier-review-cadence", 3) in found
    assert ("tier-executive-sponsor", 3) in found
    assert ("tier-rituals", 4) in found
    # checking the one file alone places it among the whole portfolio: same findings
    single = kaplan("check", "plans/alpha.yaml", "--format", "json", "--today", "2026-11-24", cwd=folder)
    assert {(f["rule"], f["line"]) for f in single.json()["findings"]} == found


def test_ranking_title_counts_one_account_in_the_singular(kaplan, write):
    write("one/plans/solo.yaml", "kaplan: 1\naccount: {id: solo, name: Solo}\nplan: {owner: Sam}\n")
    one = kaplan("score", write("one/kaplan.yaml", "plans: plans\n").parent)
    assert one.exit_code == 0, one.stderr
    assert "Portfolio ranking (1 account, money in" in one.stdout
    four = kaplan("score", FIXTURE).stdout  # alpha, bravo, charlie, delta
    assert "Portfolio ranking (4 accounts, money in" in four


@pytest.mark.parametrize("arg", ["volume=inf", "volume=nan", "volume=-inf", "volume=1e308", "volume=1000.5"])
def test_weight_override_outside_the_config_bounds_is_a_usage_error(kaplan, arg):
    # kaplan.yaml allows a weight above 0 and at most 1000; `inf` made every score NaN (invalid JSON)
    # and 1e308 twice overflowed the sum of weights, making every score 0.0
    r = kaplan("score", FIXTURE, "--format", "json", "--weight", arg, "--weight", "profitability=1e308"
               if arg == "volume=1e308" else "profitability=2")
    assert r.exit_code == 2, r.stdout
    assert r.stdout == ""
    assert f"--weight '{arg}'" in r.stderr and "at most 1000" in r.stderr


def test_weight_override_at_the_config_bound_is_accepted(kaplan):
    # profitability 1000: alpha = (1000×80 + 100 + 100 + 75) / 1003 = 80275/1003 = 80.03, shown 80.0
    r = kaplan("score", FIXTURE, "--format", "json", "--weight", "profitability=1000")
    assert r.exit_code == 0, r.stderr
    alpha = next(a for a in r.json()["accounts"] if a["account"] == "alpha")
    assert alpha["score"] == 80.0
