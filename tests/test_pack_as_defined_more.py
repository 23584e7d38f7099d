"""More figures in the packs and `kaplan score` as docs/definitions.md states them, each on a plan
written inline with the expected words worked out beside it."""

from __future__ import annotations

import re

from conftest import dedent


def one_plan(tmp_path, body: str, account: str = "lr"):
    (tmp_path / "plans").mkdir(exist_ok=True)
    (tmp_path / "plans" / f"{account}.yaml").write_text(
        dedent(f"""
            kaplan: 1
            account: {{id: {account}, name: {account.upper()}}}
        """) + dedent(body), encoding="utf-8")
    return tmp_path


def test_the_last_review_footer_is_the_later_of_last_reviewed_and_the_reviews_log(kaplan, tmp_path):
    # Last review = the later of plan.last_reviewed (2027-11-29) and the latest reviews[].date (2027-06-01):
    # 2027-11-29, which no entry of the log was held on, so the footer names no kind.
    one_plan(tmp_path, """
        plan: {owner: O, created: 2026-01-01, last_reviewed: 2027-11-29}
        reviews: [{date: 2027-06-01, notes: June notes}]
    """)
    md = kaplan("report", "lr", "--format", "md", "--today", "2028-02-29", cwd=tmp_path).stdout
    assert "last review 2027-11-29" in md
    assert "**Last review:** 2027-11-29" in md and "2027-06-01" not in md and "June notes" not in md
    html = kaplan("report", "lr", "--format", "html", "--today", "2028-02-29", cwd=tmp_path).stdout
    assert "<h3>Last review: 2027-11-29</h3>" in html and "June notes" not in html


def test_the_last_review_footer_names_the_log_entry_when_it_is_the_last_review(kaplan, tmp_path):
    # reviews[].date 2027-12-10 is later than plan.last_reviewed 2027-11-29: the footer names that entry.
    one_plan(tmp_path, """
        plan: {owner: O, created: 2026-01-01, last_reviewed: 2027-11-29}
        reviews: [{date: 2027-12-10, kind: quarterly_review, notes: December notes}, {date: 2027-06-01}]
    """)
    md = kaplan("report", "lr", "--format", "md", "--today", "2028-02-29", cwd=tmp_path).stdout
    assert "**Last review:** quarterly review, 2027-12-10: December notes" in md


def test_a_whole_number_relationship_strength_is_shown_with_one_decimal_everywhere(kaplan, tmp_path):
    # relationships.strength 2 → 2.0 (one decimal) in the pack's summary, the map, the health reason
    # and score --explain alike. Its signal, (2 - 1) / 4 × 100 = 25, is under amber: a reason.
    one_plan(tmp_path, """
        plan: {owner: O, created: 2026-01-01}
        relationships: {strength: 2}
    """)
    md = kaplan("report", "lr", "--format", "md", "--today", "2026-11-24", cwd=tmp_path).stdout
    html = kaplan("report", "lr", "--format", "html", "--today", "2026-11-24", cwd=tmp_path).stdout
    for pack in (md, html):
        assert "relationship 2.0/5" in pack
        assert "relationship strength 2/5" not in pack and "relationship 2/5" not in pack
    reasons = md.split("**Why the health is", 1)[1].split("**Overdue", 1)[0]
    assert "relationship strength 2.0/5" in reasons
    explained = kaplan("score", "--explain", "lr", "--today", "2026-11-24", cwd=tmp_path).stdout
    assert re.search(r"relationship_strength │ +2\.0 │", explained)
    risk = kaplan("risk", "--format", "json", "--today", "2026-11-24", cwd=tmp_path).stdout
    assert "relationship strength 2.0/5" in risk and "relationship strength 2/5" not in risk


def test_score_shows_an_undefined_top_share_as_a_dash(kaplan, tmp_path):
    # One account, revenue 0: it has a value (top ceil(20% × 1) = 1 account) but no positive one, so
    # the top share is undefined: "–" in the table and Markdown, null in JSON.
    one_plan(tmp_path, """
        plan: {owner: O}
        financials:
          currency: EUR
          periods: [{period: 2026-Q3, revenue: 0}]
    """)
    table = kaplan("score", "--today", "2026-11-24", cwd=tmp_path).stdout
    assert "Top 20% of accounts (1) bring – of revenue." in table
    markdown = kaplan("score", "-f", "markdown", "--today", "2026-11-24", cwd=tmp_path).stdout
    assert "Top 20% of accounts (1) bring – of revenue." in markdown
    assert kaplan("score", "-f", "json", "--today", "2026-11-24", cwd=tmp_path).json()["concentration"]["top_share_pct"] is None


def test_the_portfolio_pack_says_once_under_concentration_that_zero_revenue_brings_no_share(kaplan, tmp_path):
    one_plan(tmp_path, """
        plan: {owner: O}
        financials:
          currency: EUR
          periods: [{period: 2026-Q3, revenue: 0}]
    """, account="zero")
    one_plan(tmp_path, """
        plan: {owner: O}
        financials:
          currency: EUR
          periods: [{period: 2026-Q3, revenue: 1000}]
    """, account="some")
    note = "Zero or negative revenue brings no share of the total"
    for fmt in ("html", "md"):
        pack = kaplan("report", "--portfolio", "--format", fmt, "--today", "2026-11-24", cwd=tmp_path).stdout
        assert pack.count(note) == 1, fmt
        concentration = pack.split("Concentration</h2>" if fmt == "html" else "## Concentration", 1)[1]
        assert note in concentration.split("</section>" if fmt == "html" else "\n## ", 1)[0], fmt


def _quarter(k: int) -> str:
    return f"{2012 + k // 4}-Q{k % 4 + 1}"


def test_the_markdown_pack_draws_fifty_of_a_long_list_the_most_overdue_first_as_html_does(kaplan, tmp_path):
    # 55 milestones, none done, M1 due the latest (2025-Q4) and M55 the earliest (2012-Q2); 55 detractors
    # with no follow-up, R1 answered the latest (2026-09-30) and R55 the earliest (2026-08-07).
    # Drawn in both formats: M55 … M6 (the most overdue first), then "… and 5 more"; the loops R55 … R6.
    # The health reason names the most overdue milestone, M55, the first the pack draws.
    milestones = "".join(f"      - {{quarter: {_quarter(56 - i)}, description: M{i}}}\n" for i in range(1, 56))
    nps = "".join(f"    - {{date: 2026-{'09' if i <= 30 else '08'}-{(31 - i if i <= 30 else 61 - i):02d}, "
                  f"respondent: R{i}, score: 3}}\n" for i in range(1, 56))
    one_plan(tmp_path, "plan: {owner: O, created: 2012-01-01}\nobjectives:\n  - id: o\n    title: Obj\n"
             "    milestones:\n" + milestones + "voice_of_customer:\n  nps:\n" + nps)
    assert _quarter(55) == "2025-Q4" and _quarter(1) == "2012-Q2"
    md = kaplan("report", "lr", "--format", "md", "--today", "2026-11-24", cwd=tmp_path).stdout
    html = kaplan("report", "lr", "--format", "html", "--today", "2026-11-24", cwd=tmp_path).stdout
    most_overdue = [str(i) for i in range(55, 5, -1)]  # 55 … 6
    promises = md.split("**Promises past due (55):**", 1)[1].split("**", 1)[0]
    assert re.findall(r"milestone \\`M(\d+)\\`", promises) == most_overdue
    assert "- … and 5 more (shown: the most overdue first, then those with no date)" in promises
    drawn = md.split("Milestones (0 of 55 done):", 1)[1].split("\n\n", 2)[1]
    assert re.findall(r"\[ \] \d{4}-Q\d: M(\d+)", drawn) == most_overdue
    assert drawn.endswith("- … and 5 more (shown: the overdue first, the most overdue first, then the rest)")
    assert re.findall(r"☐ \d{4}-Q\d: M(\d+)</li>", html) == most_overdue
    loops = md.split("**Open detractor loops:** 55", 1)[1].split("\n\n", 2)[1]
    assert re.findall(r"- R(\d+) \(score 3", loops) == most_overdue
    assert loops.endswith("- … and 5 more (shown: the most overdue first, then the newest)")
    reason = "55 of 55 milestones overdue: milestone \\`M55\\` of \\`o\\` was due in 2012-Q2 (by 2012-06-30)"
    assert reason in md.split("**Why the health is", 1)[1].split("**Promises", 1)[0]


def test_a_short_list_of_milestones_keeps_the_plan_s_order_in_every_format(kaplan, tmp_path):
    # 3 milestones (fewer than 50): drawn whole in the plan's order, though only the last (2025-Q1) is overdue.
    one_plan(tmp_path, """
        plan: {owner: O, created: 2025-01-01}
        objectives:
          - id: o
            title: Obj
            milestones:
              - {quarter: 2027-Q1, description: First}
              - {quarter: 2027-Q2, description: Second}
              - {quarter: 2025-Q1, description: Third}
    """)
    md = kaplan("report", "lr", "--format", "md", "--today", "2026-11-24", cwd=tmp_path).stdout
    html = kaplan("report", "lr", "--format", "html", "--today", "2026-11-24", cwd=tmp_path).stdout
    assert re.findall(r"\[ \] \d{4}-Q\d: (\w+)", md) == ["First", "Second", "Third"]
    assert re.findall(r"☐ \d{4}-Q\d: (\w+)</li>", html) == ["First", "Second", "Third"]
    assert "more" not in md.split("Milestones (0 of 3 done):", 1)[1].split("##", 1)[0]
