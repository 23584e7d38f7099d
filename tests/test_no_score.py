"""An account none of whose score criteria has a value has no score (docs/definitions.md, Score):
Σ weight over the criteria with a value is 0, so Σ(weight × normalised) ÷ Σ weight is undefined. It is
shown "–", has no rank, key-account status or tier, and its requests are not allocated, in every format
of `kaplan score` and in the packs. `missing: worst` keeps scoring a missing value 0, as documented.
"""

from __future__ import annotations

import csv
import io

TODAY = "2026-11-24"

# The shipped criteria: relationship strength is `range` 1..5 (weight 2); every other criterion of
# the score is missing in these plans, and `missing: exclude` shares its weight among those present.
PLAN = """\
kaplan: 1
account: {{id: {id}, name: {name}}}
plan: {{owner: Jo}}
{more}investment:
  - {{id: ask, description: Ask of {id}, amount: 100}}
"""


def portfolio(tmp_path, config: str = "kaplan: 1\nscoring: {budget: {available: 1000}}\n"):
    (tmp_path / "kaplan.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "plans").mkdir()
    for pid, name, more in (("high", "High", "relationships: {strength: 4}\n"),
                            ("low", "Low", "relationships: {strength: 2}\n"),
                            ("bare", "Bare", "")):
        (tmp_path / "plans" / f"{pid}.yaml").write_text(PLAN.format(id=pid, name=name, more=more), encoding="utf-8")
    return tmp_path


HIGH = (4 - 1) / (5 - 1) * 100  # 75.0: relationship alone, its weight 2 ÷ 2
LOW = (2 - 1) / (5 - 1) * 100  # 25.0


def test_an_account_without_any_criterion_has_no_score_rank_or_tier(kaplan, tmp_path):
    portfolio(tmp_path)
    doc = kaplan("score", "--format", "json", "--today", TODAY, cwd=tmp_path).json()
    rows = {a["account"]: a for a in doc["accounts"]}
    assert [a["account"] for a in doc["accounts"]] == ["high", "low", "bare"]  # the unscored one after the ranking
    assert (rows["high"]["score"], rows["high"]["rank"]) == (HIGH, 1)
    assert (rows["low"]["score"], rows["low"]["rank"]) == (LOW, 2)
    bare = rows["bare"]
    assert bare["score"] is None and bare["rank"] is None and bare["tier"] is None and bare["key"] is False
    assert rows["low"]["tier"] is not None  # the shipped catch-all tier takes every account with a score

    (row,) = [r for r in csv.DictReader(io.StringIO(kaplan("score", "--format", "csv", cwd=tmp_path).stdout))
              if r["account"] == "bare"]
    assert row["score"] == "" and row["rank"] == "" and row["tier"] == ""

    md = kaplan("score", "--format", "markdown", cwd=tmp_path).stdout
    assert "| – | Bare (`bare`) | – |" in md and "| 1 | High (`high`) | 75.0 |" in md

    table = kaplan("score", cwd=tmp_path, env={"COLUMNS": "200"}).stdout
    line = next(line for line in table.splitlines() if "Bare (bare)" in line)
    assert "0.0" not in line and line.count("–") >= 3  # rank, score and tier

    explained = kaplan("score", "--explain", "bare", "--format", "markdown", cwd=tmp_path).stdout
    assert "score – (no criterion of the score has a value), no rank" in explained
    assert "rank 1 of 2" in kaplan("score", "--explain", "high", "--format", "markdown", cwd=tmp_path).stdout
    assert kaplan("score", "--explain", "bare", "--format", "json", cwd=tmp_path).json()["of"] == 2


def test_an_unscored_accounts_request_is_not_allocated(kaplan, tmp_path):
    portfolio(tmp_path)
    budget = kaplan("score", "--budget", "--format", "json", cwd=tmp_path).json()
    # 1,000 available: High's 100 then Low's 100 are funded (by score); Bare's has no place in the order
    assert [(r["account"], r["score"], r["granted"], r["status"]) for r in budget["requests"]] == [
        ("high", HIGH, 100, "funded"), ("low", LOW, 100, "funded"), ("bare", None, 0, "not allocated")]
    assert budget["granted"] == 100 + 100


def test_the_packs_show_no_score_and_no_rank(kaplan, tmp_path):
    portfolio(tmp_path)
    r = kaplan("report", "bare", "--format", "md", "--today", TODAY, "--out", tmp_path / "bare.md", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    pack = (tmp_path / "bare.md").read_text(encoding="utf-8")
    assert "| – (no criterion of the score has a value) |" in pack and "0.0 (rank" not in pack
    r = kaplan("report", "high", "--format", "md", "--today", TODAY, "--out", tmp_path / "high.md", cwd=tmp_path)
    assert "75.0 (rank 1 of 2" in (tmp_path / "high.md").read_text(encoding="utf-8")

    r = kaplan("report", "--portfolio", "--format", "md", "--today", TODAY, "--out", tmp_path / "pf.md", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    rows = [line for line in (tmp_path / "pf.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| – | Bare |")]
    assert rows and all("| 0.0 |" not in line for line in rows)


def test_missing_worst_still_scores_a_missing_value_0(kaplan, tmp_path):
    portfolio(tmp_path, "kaplan: 1\nscoring: {missing: worst}\n")
    rows = {a["account"]: a for a in kaplan("score", "--format", "json", cwd=tmp_path).json()["accounts"]}
    # every criterion counts, a missing one as 0: Σ weight = 3 + 3 + 2 + 2 + 2 + 1 = 13
    assert 2 * HIGH / 13 == 150 / 13 and rows["high"]["score"] == 11.5  # 150 ÷ 13 = 11.54 → 11.5
    assert (rows["bare"]["score"], rows["bare"]["rank"]) == (0.0, 3)
