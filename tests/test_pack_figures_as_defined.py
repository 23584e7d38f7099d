"""Figures in the packs and the JSON, each as its definition says, on portfolios written inline with
the arithmetic beside them: the plans a card counts, the currency an amount is shown in, a chart's data
as the tables show it, the relationship strength where no overall rating is set, a total rounded once.
"""

from __future__ import annotations

import io
import zipfile

from conftest import dedent

DAY = "2026-11-24"

CONFIG = """
    kaplan: 1
    currency:
      reporting: USD
      rates:
        EUR: {rate: 1.1, as_of: 2026-09-30}
    scoring:
      criteria:
        volume: {source: revenue_ttm, weight: 1, normalise: {method: minmax}}
      matrix: {attractiveness: {volume: 1}, strength: {volume: 1}}
      budget: {available: 1000}
"""


def plan(account: str, currency: str = "USD", revenue: str = "1000", extra: str = "",
         meta: str = "owner: Jo") -> str:
    return dedent(f"""
        kaplan: 1
        account: {{id: {account}, name: {account.title()}}}
        plan: {{{meta}}}
        relationships: {{strength: 3}}
        financials:
          currency: {currency}
          periods: [{{period: 2026-Q3, revenue: {revenue}}}]
    """) + dedent(extra)


def portfolio(tmp_path, **plans: str):
    (tmp_path / "plans").mkdir(exist_ok=True)
    (tmp_path / "kaplan.yaml").write_text(dedent(CONFIG))
    for account, text in plans.items():
        (tmp_path / "plans" / f"{account}.yaml").write_text(text)
    return tmp_path


def slide_text(pptx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(pptx)) as z:
        return " ".join(z.read(n).decode() for n in z.namelist() if n.startswith("ppt/slides/slide"))


def test_the_stale_plans_card_counts_as_not_yet_reviewed_only_the_plans_not_yet_due(kaplan, tmp_path):
    # never: started 2026-01-01, never reviewed, quarterly (92 days): 327 days old, so overdue (stale)
    # fresh: started 2026-11-01, never reviewed: 23 days old, not yet due
    portfolio(tmp_path,
              never=plan("never", meta="owner: Jo, created: 2026-01-01, review_cadence: quarterly"),
              fresh=plan("fresh", meta="owner: Jo, created: 2026-11-01, review_cadence: quarterly"))
    html = kaplan("report", "--portfolio", "--today", DAY, cwd=tmp_path).stdout
    assert ('<div class="k">Stale plans</div><div class="v">1</div><div class="s">overdue for review · '
            '1 not yet reviewed (not yet due)</div>') in html
    deck = kaplan("report", "--portfolio", "--format", "pptx", "--today", DAY, "--out", "p.pptx", cwd=tmp_path)
    assert deck.exit_code == 0, deck.stderr
    assert "overdue; 1 not yet reviewed, not yet due" in slide_text((tmp_path / "p.pptx").read_bytes())


def test_the_table_of_plans_overdue_for_review_holds_as_many_as_the_stale_plans_card(kaplan, tmp_path):
    """The same portfolio: `never` is overdue (the card's 1), `fresh` not yet due. The table headed
    "Plans overdue for review" lists `never` only; `fresh` is under a heading of its own."""
    portfolio(tmp_path,
              never=plan("never", meta="owner: Jo, created: 2026-01-01, review_cadence: quarterly"),
              fresh=plan("fresh", meta="owner: Jo, created: 2026-11-01, review_cadence: quarterly"))
    html = kaplan("report", "--portfolio", "--today", DAY, cwd=tmp_path).stdout
    assert '<div class="k">Stale plans</div><div class="v">1</div>' in html
    section = html[html.index("<h3>Plans overdue for review</h3>"):html.index("<h3>Contract renewals")]
    overdue, _, unreviewed = section.partition("<h3>Plans not yet reviewed, not yet due</h3>")
    assert overdue.count("<tr><td>") == 1 and "<td>Never</td>" in overdue and "Fresh" not in overdue
    assert unreviewed.count("<tr><td>") == 1 and "<td>Fresh</td>" in unreviewed
    md = kaplan("report", "--portfolio", "--format", "md", "--today", DAY, cwd=tmp_path).stdout
    section = md[md.index("### Plans overdue for review"):md.index("### Contract renewals")]
    overdue, _, unreviewed = section.partition("### Plans not yet reviewed, not yet due")
    assert [line.split(" | ")[0] for line in overdue.splitlines() if line.startswith("| N")] == ["| Never"]
    assert "Fresh" not in overdue
    assert [line.split(" | ")[0] for line in unreviewed.splitlines() if line.startswith("| F")] == ["| Fresh"]


def test_an_investment_request_is_shown_in_the_currency_it_was_allocated_in(kaplan, tmp_path):
    # rich asks 500 EUR = 500 × 1.1 = 550 USD; the budget is 1,000 USD, so it is funded in full
    portfolio(tmp_path,
              rich=plan("rich", "EUR", extra="investment: [{id: i1, description: Pilot team, amount: 500}]\n"),
              other=plan("other", revenue="2000"))
    html = kaplan("report", "rich", "--today", DAY, cwd=tmp_path).stdout
    table = html[html.index('id="investment"'):html.index("</table>", html.index('id="investment"'))]
    assert '<th class="n">Amount (USD)</th>' in table and "Amount (EUR)" not in table
    assert '<td class="n">550 <span class="muted">(EUR 500)</span></td>' in table
    assert "Amounts in USD: 1 EUR = 1.1 USD, rate of 2026-09-30." in html
    md = kaplan("report", "rich", "--format", "md", "--today", DAY, cwd=tmp_path).stdout
    assert "| Request | Amount (USD) | People (FTE) | Granted (USD) | Status |" in md
    assert "| Pilot team | 550 (EUR 500) |" in md
    assert "Amounts in USD: 1 EUR = 1.1 USD, rate of 2026-09-30." in md


def test_the_deck_matrix_sizes_bubbles_by_revenue_as_the_tables_show_it(kaplan, tmp_path):
    from pptx import Presentation

    # big: 392,000.5 shows as 392,001 (half away from zero); none: no revenue, drawn at the smallest size
    portfolio(tmp_path, big=plan("big", revenue="392000.5"), none=plan("none", revenue="0"),
              mid=plan("mid", revenue="3480"))
    r = kaplan("report", "--portfolio", "--format", "pptx", "--today", DAY, "--out", "p.pptx", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    deck = Presentation(str(tmp_path / "p.pptx"))
    bubbles = [shape.chart for slide in deck.slides for shape in slide.shapes
               if shape.has_chart and shape.chart.chart_type is not None and "BUBBLE" in str(shape.chart.chart_type)]
    assert len(bubbles) == 1
    sizes = sorted(float(v.text) for v in bubbles[0]._chartSpace.xpath(".//c:bubbleSize//c:v"))
    assert sizes == [1.0, 3480.0, 392001.0]
    text = slide_text((tmp_path / "p.pptx").read_bytes())
    assert "None · " in text and "(no revenue: the smallest bubble)" in text
    assert text.count("(no revenue: the smallest bubble)") == 1



def test_the_deck_matrix_says_why_an_account_is_the_smallest_bubble(kaplan, tmp_path):
    """An account whose currency has no rate has its revenue left out (not "no revenue"); one whose
    revenue shows as 0 has none. The matrix is on relationship strength so both are drawn."""
    from pptx import Presentation

    portfolio(tmp_path, oslo=plan("oslo", currency="NOK", revenue="1000000"),
              zero=plan("zero", revenue="0.4"), mid=plan("mid", revenue="3480"))
    (tmp_path / "kaplan.yaml").write_text(dedent(CONFIG).replace(
        "volume: {source: revenue_ttm, weight: 1, normalise: {method: minmax}}",
        "relationship: {source: relationship_strength, weight: 1, normalise: {method: range, min: 1, max: 5}}"
    ).replace("{volume: 1}", "{relationship: 1}"))
    r = kaplan("report", "--portfolio", "--format", "pptx", "--today", DAY, "--out", "p.pptx", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    deck = Presentation(str(tmp_path / "p.pptx"))
    slide = next(s for s in deck.slides if s.shapes.title is not None
                 and s.shapes.title.text.startswith("Portfolio matrix"))
    key = next(sh.text_frame.text for sh in slide.shapes
               if sh.has_text_frame and sh != slide.shapes.title).splitlines()
    by_name = {line.split("  ", 1)[1].split(" · ")[0]: line for line in key}
    # NOK has no rate into USD: its 1,000,000 is left out, drawn at the smallest size for that reason
    assert by_name["Oslo"].endswith(" (revenue left out: no rate for its currency; the smallest bubble)")
    # 0.4 is shown as 0 (whole units): no revenue
    assert by_name["Zero"].endswith(" (no revenue: the smallest bubble)")
    assert "bubble" not in by_name["Mid"]


def test_the_relationship_map_states_the_strength_the_summary_shows(kaplan, tmp_path):
    # no overall rating: the mean of the current contacts, (3 + 3 + 3 + 4) / 4 = 3.25, shown 3.3
    contacts = dedent("""
        relationships:
          contacts:
            - {id: a, name: A, strength: 3}
            - {id: b, name: B, strength: 3}
            - {id: c, name: C, strength: 3}
            - {id: d, name: D, strength: 4}
    """)
    text = plan("acme").replace("relationships: {strength: 3}\n", "") + contacts
    portfolio(tmp_path, acme=text)
    html = kaplan("report", "acme", "--today", DAY, cwd=tmp_path).stdout
    assert "relationship 3.3/5" in html
    assert "Overall relationship strength 3.3/5 (mean of 4 current contacts)." in html
    assert "Overall relationship strength: –" not in html


def test_score_json_carries_the_concentration_total_as_shown(kaplan, tmp_path):
    # 873,000.25 + 380.25 = 873,380.5, shown (and carried) as 873,381
    portfolio(tmp_path, a=plan("a", revenue="873000.25"), b=plan("b", revenue="380.25"))
    doc = kaplan("score", "--format", "json", cwd=tmp_path).json()
    assert doc["concentration"]["total"] == 873381


def test_without_a_budget_a_request_for_money_is_not_allocated_never_unfunded(kaplan, tmp_path):
    portfolio(tmp_path, acme=plan("acme", extra="investment: [{id: i1, description: Pilot team, amount: 500}]\n"))
    config = tmp_path / "kaplan.yaml"
    config.write_text(config.read_text().replace("budget: {available: 1000}", "budget: {available: 0}"))
    doc = kaplan("score", "--budget", "--format", "json", cwd=tmp_path).json()
    assert doc["available"] is None and doc["granted"] == 0  # no budget, not a budget of 0
    assert [r["status"] for r in doc["requests"]] == ["not allocated"], doc
    md = kaplan("report", "--portfolio", "--format", "md", "--today", DAY, cwd=tmp_path).stdout
    assert "unfunded" not in md and "| not allocated |" in md
