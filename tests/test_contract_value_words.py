"""A contract's value says what it covers in the account pack: per year, or over the whole term."""

from __future__ import annotations

import pytest

from conftest import TODAY

PLAN = """\
kaplan: 1
account: {{id: acme, name: Acme}}
plan: {{owner: Jo Owner, last_reviewed: 2026-11-01}}
financials:
  currency: EUR
  contract: {{value: 300000, {basis}start: 2024-02-01, renewal_date: 2027-02-01}}
"""


@pytest.mark.parametrize("basis, words, wrong", [
    ("", "per year", "over the whole term"),
    ("value_basis: total, ", "over the whole term", "per year"),
])
def test_the_pack_says_what_the_contract_value_covers(kaplan, tmp_path, basis, words, wrong):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.yaml").write_text(PLAN.format(basis=basis))
    md = kaplan("report", "acme", "--format", "md", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert md.exit_code == 0, md.stderr
    line = next(line for line in md.stdout.splitlines() if line.startswith("**Contract:**"))
    assert f"300,000 EUR {words}" in line and wrong not in line
    html = kaplan("report", "acme", "--format", "html", "--today", TODAY.isoformat(), cwd=tmp_path).stdout
    assert f"Value {words}" in html and f"Value {wrong}" not in html


def test_a_quarter_of_too_few_responses_shows_no_nps_score(kaplan, tmp_path):
    """min_responses is 5 by default: 2025-Q2's two responses are too few; 2026-Q4's five make +40
    (promoters 10, 10, 9 = 3 of 5 = 60 %; detractors 2 = 1 of 5 = 20 %; 60 − 20 = +40)."""
    (tmp_path / "plans").mkdir()
    scores = [("2025-06-04", 0), ("2025-06-05", 0), ("2026-10-01", 2), ("2026-10-02", 10), ("2026-10-03", 10),
              ("2026-10-04", 9), ("2026-10-05", 8)]
    rows = "".join(f"    - {{date: {d}, respondent: r{i}, score: {s}"
                   + (", follow_up: {owner: Jo, due: 2026-10-02, closed: 2026-10-02}" if s <= 6 else "") + "}\n"
                   for i, (d, s) in enumerate(scores))
    (tmp_path / "plans" / "acme.yaml").write_text(
        "kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Jo Owner, last_reviewed: 2026-11-01}\n"
        "voice_of_customer:\n  nps:\n" + rows)
    md = kaplan("report", "acme", "--format", "md", "--today", TODAY.isoformat(), cwd=tmp_path).stdout
    trend = {line.split("|")[1].strip(): line.split("|")[-2].strip() for line in md.splitlines()
             if line.startswith("| 2025-Q2") or line.startswith("| 2026-Q4")}
    assert trend == {"2025-Q2": "too few", "2026-Q4": "+40"}
