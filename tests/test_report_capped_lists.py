"""Every list a plan holds is drawn at most 50 rows long in the HTML pack, the PDF and the deck.

The lists inside an objective (measures, milestones, challenges, what was tried), the financial
periods (table and charts), a competitor's strengths and weaknesses, the account team and the
whitespace grid were drawn whole: one objective of 500 measures made a deck of 39 slides and a PDF
of pages of them. Each is now cut at `kaplan.report.capped.ROWS_SHOWN` (50) with
"… and N more"; so does the Markdown pack, and the workbook keeps every row.
"""

from __future__ import annotations

import re

from openpyxl import load_workbook
from pptx import Presentation

from conftest import TODAY
from test_report_kept_rows import write  # the plan Long Co, `body` after its owner
from test_report_pdf import pages_text

DAY = TODAY.isoformat()  # 2026-11-24
N = 120  # rows of each list: 50 drawn, "… and 70 more" (120 - 50)


def made(kaplan, folder, out, *formats, audience="internal"):
    for fmt in formats:
        r = kaplan("report", "longco", "-f", fmt, "--audience", audience, "--today", DAY, "-o", out / f"p.{fmt}", cwd=folder)
        assert r.exit_code == 0, r.stderr


def pdf_text(out) -> str:
    return " ".join(pages_text((out / "p.pdf").read_bytes()))


def deck(out):
    slides = Presentation(out / "p.pptx").slides
    cells = [cell.text for s in slides for sh in s.shapes if sh.has_table for row in sh.table.rows for cell in row.cells]
    texts = [sh.text_frame.text for s in slides for sh in s.shapes if sh.has_text_frame]
    return cells, texts, len(slides)


def numbers(words: str, text: str) -> set[str]:
    """The numbers after `words` in `text` (a PDF's text wraps a long cell over lines)."""
    return set(re.findall(rf"{words} (\d+)\b", " ".join(text.split())))


FIFTY = {str(i) for i in range(1, 51)}


def test_an_objective_draws_fifty_measures_milestones_and_challenges(kaplan, tmp_path):
    listed = lambda word: "".join(f"      - {word} number {i}\n" for i in range(1, N + 1))  # noqa: E731
    measures = "".join(f"      - {{name: Measure number {i}, kind: leading, target: 10, current: 5}}\n" for i in range(1, N + 1))
    milestones = "".join(f"      - {{quarter: 2026-Q4, description: Milestone number {i}}}\n" for i in range(1, N + 1))
    folder = write(tmp_path / "portfolio", "objectives:\n  - id: grow\n    title: Grow the estate\n"
                   f"    challenges:\n{listed('Challenge')}    tried:\n{listed('Tried')}"
                   f"    measures:\n{measures}    milestones:\n{milestones}")
    made(kaplan, folder, tmp_path, "html", "pdf", "pptx")
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    part = html.split('id="objectives"', 1)[1].split("</section>", 1)[0]
    table = part.split('<table class="measures">', 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<td>Measure number (\d+)</td>", table) == [str(i) for i in range(1, 51)]
    assert '<td colspan="8" class="muted">… and 70 more (shown: the overdue first, the most overdue first, then the rest)</td>' in table  # none is overdue
    drawn = part.split("<strong>Milestones</strong>", 1)[1].split("</ul>", 1)[0]
    assert "(0 of 120 done)" in drawn  # the count takes every milestone in
    assert re.findall(r"Milestone number (\d+)</li>", drawn) == [str(i) for i in range(1, 51)]
    assert '<li class="muted">… and 70 more (shown: the overdue first, the most overdue first, then the rest)</li>' in drawn
    challenges = part.split("<strong>In the way:</strong>", 1)[1].split("</p>", 1)[0]
    assert numbers("Challenge number", challenges) == FIFTY and challenges.endswith("; … and 70 more")
    tried = part.split("<strong>Already tried:</strong>", 1)[1].split("</p>", 1)[0]
    assert numbers("Tried number", tried) == FIFTY and tried.endswith("; … and 70 more")
    pdf = pdf_text(tmp_path)
    for word in ("Measure", "Milestone", "Challenge", "Tried"):
        assert numbers(f"{word} number", pdf) == FIFTY, word
    assert pdf.count("… and 70 more") == 4
    cells, _, slides = deck(tmp_path)
    assert [c.removeprefix("Measure number ") for c in cells if c.startswith("Measure number")] == \
        [str(i) for i in range(1, 51)]
    assert "… and 70 more (shown: the overdue first, the most overdue first, then the rest)" in cells
    assert slides <= 12  # 500 measures drawn whole made 39 slides; 50 rows take four
    md = kaplan("report", "longco", "-f", "md", "--today", DAY, cwd=folder).stdout
    for word in ("Measure", "Milestone", "Challenge", "Tried"):
        assert numbers(f"{word} number", md) == FIFTY, word  # the Markdown pack draws the same rows
    assert md.count("… and 70 more (shown: the overdue first, the most overdue first, then the rest)") == 2
    assert md.count("; … and 70 more") == 2  # challenges and what was tried


def test_the_financial_tables_and_charts_draw_the_fifty_most_recent_periods(kaplan, tmp_path):
    # 80 months, 2020-01 to 2026-08: drawn, the 50 most recent (2022-07 to 2026-08); 30 earlier left out
    months = [f"{2020 + m // 12}-{m % 12 + 1:02d}" for m in range(80)]
    assert months[30] == "2022-07" and months[-1] == "2026-08"
    periods = "".join(f"    - {{period: '{p}', revenue: {1000 + i}, gross_profit: 100}}\n" for i, p in enumerate(months))
    folder = write(tmp_path / "portfolio", f"financials:\n  currency: EUR\n  periods:\n{periods}")
    made(kaplan, folder, tmp_path, "html", "pdf", "pptx", "xlsx")
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    table = html.split('<table class="periods">', 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<tr><td>(\d{4}-\d\d)</td>", table) == months[30:]
    assert "… and 30 more (earlier periods)" in table
    caption = "The 50 most recent periods are drawn; 30 earlier ones are left out."
    assert html.count(caption) == 2  # under the money chart and under the ratios chart
    charts = html.split('id="financials"', 1)[1].split('<table class="periods">', 1)[0]
    assert "2020-01" not in charts and "2022-06" not in charts and "2026-08" in charts
    pdf = pdf_text(tmp_path)
    assert "2022-07" in pdf and "2022-06" not in pdf and "… and 30 more" in pdf
    slides = Presentation(tmp_path / "p.pptx").slides
    charted = [list(sh.chart.plots[0].categories) for s in slides for sh in s.shapes if sh.has_chart
               and "Revenue" in [p.name for p in sh.chart.plots[0].series]]
    assert charted == [months[30:]]
    _, texts, _ = deck(tmp_path)
    assert caption in texts
    sheet = load_workbook(tmp_path / "p.xlsx")["Financials"]
    assert len([r for r in sheet.iter_rows(values_only=True) if r[0] in months]) == 80  # the workbook keeps every period


def test_a_competitor_s_strengths_and_weaknesses_are_cut_at_fifty(kaplan, tmp_path):
    listed = lambda word: ", ".join(f"{word} number {i}" for i in range(1, N + 1))  # noqa: E731
    folder = write(tmp_path / "portfolio", "service:\n  competitive_assessment:\n    - competitor: Rival\n"
                   f"      strengths: [{listed('Strength')}]\n      weaknesses: [{listed('Weakness')}]\n")
    made(kaplan, folder, tmp_path, "html", "pdf")
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    row = html.split('<table class="competitors">', 1)[1].split("</table>", 1)[0]
    strengths, weaknesses = re.findall(r"<td>([^<]*Strength[^<]*)</td><td>([^<]*Weakness[^<]*)</td>", row)[0]
    assert numbers("Strength number", strengths) == FIFTY and strengths.endswith("Strength number 50; … and 70 more")
    assert numbers("Weakness number", weaknesses) == FIFTY and weaknesses.endswith("Weakness number 50; … and 70 more")
    pdf = pdf_text(tmp_path)
    assert numbers("Strength number", pdf) == FIFTY and numbers("Weakness number", pdf) == FIFTY
    assert pdf.count("… and 70 more") == 2


def test_the_account_team_names_fifty_then_how_many_more(kaplan, tmp_path):
    team = "".join(f"    - {{name: Member number {i}, role: engineer}}\n" for i in range(1, N + 1))
    folder = write(tmp_path / "portfolio", f"  team:\n{team}")  # under `plan:`, after its owner
    made(kaplan, folder, tmp_path, "html", "pdf", "pptx")
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    cell = html.split("<dt>Account team</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert numbers("Member number", cell) == FIFTY and cell.endswith("Member number 50 (engineer); … and 70 more")
    pdf = pdf_text(tmp_path)
    assert numbers("Member number", pdf) == FIFTY and "… and 70 more" in pdf
    cells, _, _ = deck(tmp_path)
    together = [c for c in cells if c.startswith("Member number 1 ")]
    assert len(together) == 1 and numbers("Member number", together[0]) == FIFTY
    assert together[0].endswith("; … and 70 more")
    made(kaplan, folder, tmp_path, "html", "pptx", audience="client")
    client = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert numbers("Member number", client.split("<dt>Account team</dt>", 1)[1].split("</dd>", 1)[0]) == FIFTY
    cells, _, _ = deck(tmp_path)
    assert [c for c in cells if c.startswith("Member number 1 ")][0].endswith("; … and 70 more")
    md = kaplan("report", "longco", "-f", "md", "--today", DAY, cwd=folder).stdout
    assert numbers("Member number", md) == FIFTY and "; … and 70 more" in md  # as the HTML pack names them


def test_the_whitespace_grid_draws_fifty_units_and_offerings(kaplan, tmp_path):
    # 60 units × 60 offerings (u_i buys o_i, a gap): drawn 50 × 50, 10 more of each counted
    cells = "".join(f"  - {{unit: Unit {i}, offering: Offer {i}, status: gap}}\n" for i in range(1, 61))
    folder = write(tmp_path / "portfolio", "whitespace:\n" + cells)
    made(kaplan, folder, tmp_path, "html", "pdf", "pptx")
    words = ("Drawn: the first 50 buying units and 50 offerings; 10 more units and 10 more offerings are "
             "counted but not drawn.")
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    grid = html.split('<table class="whitespace">', 1)[1].split("</table>", 1)[0]
    assert numbers("Unit", grid) == FIFTY and numbers("Offer", grid) == FIFTY
    assert words in html
    lacking = html.split("no unit buys ", 1)[1].split("</p>", 1)[0]
    assert numbers("Offer", lacking) == FIFTY and lacking.endswith("Offer 50, … and 10 more.")
    pdf = pdf_text(tmp_path)
    assert "Unit 50" in pdf and "Unit 51" not in pdf
    cells, _, slides = deck(tmp_path)
    assert numbers("Unit", " ".join(c for c in cells if c.startswith("Unit "))) == FIFTY and words in cells
    md = kaplan("report", "longco", "-f", "md", "--today", DAY, cwd=folder).stdout
    assert words in md  # the grid is drawn the same in the Markdown pack: units × offerings must stay bounded


def test_the_nps_chart_draws_the_fifty_most_recent_quarters(kaplan, tmp_path):
    # one promoter a quarter for 60 quarters, 2012-Q1 to 2026-Q4 (the last one on 2026-10-15), with a
    # minimum of one response a quarter: 60 quarters have an NPS; the chart draws the 50 most recent
    # (2014-Q3 to 2026-Q4) and says 10 earlier ones are left out
    quarters = [(2012 + q // 4, q % 4 + 1) for q in range(60)]
    assert quarters[10] == (2014, 3) and quarters[-1] == (2026, 4)
    rows = "".join(f"    - {{date: {y}-{3 * q - 2:02d}-15, respondent: Fan {y} {q}, score: 10}}\n" for y, q in quarters)
    folder = write(tmp_path / "portfolio", "voice_of_customer:\n  nps:\n" + rows)
    (folder / "kaplan.yaml").write_text("kaplan: 1\nnps:\n  min_responses: 1\n", encoding="utf-8")
    made(kaplan, folder, tmp_path, "html", "pptx")
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    words = "The 50 most recent quarters are drawn; 10 earlier ones are left out."
    chart = html.split('<section class="page" id="customer">', 1)[1].split("</figure>", 1)[0]
    assert "2014-Q3" in chart and "2026-Q4" in chart and "2014-Q2" not in chart and words in chart
    slides = Presentation(tmp_path / "p.pptx").slides
    charted = [list(sh.chart.plots[0].categories) for s in slides for sh in s.shapes if sh.has_chart
               and [p.name for p in sh.chart.plots[0].series] == ["NPS"]]
    assert charted == [[f"{y}-Q{q}" for y, q in quarters[10:]]]
    _, texts, _ = deck(tmp_path)
    assert words in texts


def test_measures_moved_without_a_target_since_the_last_review_are_listed_fifty(kaplan, tmp_path, monkeypatch):
    # 60 measures without a target, each moved from 1 to 2 after the last review (2026-09-30): what
    # changed lists the first 50 and says "… and 10 more" (60 - 50)
    from _report_repo import GIT_ENV, git

    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    measures = lambda now: "".join(f"      - {{name: Measure number {i}, current: {now}}}\n" for i in range(1, 61))  # noqa: E731
    plan = lambda now: ("  last_reviewed: 2026-09-30\nobjectives:\n  - id: grow\n    title: Grow\n"  # noqa: E731
                        f"    measures:\n{measures(now)}")
    folder = write(tmp_path / "portfolio", plan(1))
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "before the review", date="2026-09-01")
    (folder / "plans" / "longco.yaml").write_text(
        (folder / "plans" / "longco.yaml").read_text(encoding="utf-8").replace("current: 1}", "current: 2}"), encoding="utf-8")
    git(folder, "commit", "-q", "-am", "after the review", date="2026-10-21")
    made(kaplan, folder, tmp_path, "html")
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    changes = html.split('<ul class="tight changes">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"<li>Grow · Measure number (\d+): 1 → 2</li>", changes) == [str(i) for i in range(1, 51)]
    assert '<li class="muted">… and 10 more</li>' in changes


def test_the_forecast_draws_its_first_fifty_quarters_and_totals_every_one(kaplan, tmp_path):
    # 60 open deals, one closing in each quarter from 2027-Q1 to 2041-Q4, each 1,000 at 50 %: the
    # forecast table draws 2027-Q1 to 2039-Q2 (50 quarters), "… and 10 more", and its totals take all
    # 60 in: pipeline 60 × 1,000 = 60,000, weighted 60 × 500 = 30,000
    quarters = [(2027 + q // 4, q % 4 + 1) for q in range(60)]
    rows = "".join(f"  - {{id: d{i}, name: Deal {i}, value: 1000, probability: 50, stage: proposal, "
                   f"expected_close: {y}-{3 * q:02d}-15}}\n" for i, (y, q) in enumerate(quarters))
    folder = write(tmp_path / "portfolio", "opportunities:\n" + rows)
    made(kaplan, folder, tmp_path, "html", "pdf")
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    table = html.split('<table class="forecast">', 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<tr><td>(\d{4}-Q\d)</td>", table) == [f"{y}-Q{q}" for y, q in quarters[:50]]
    assert "… and 10 more" in table
    assert '<td class="n">60,000</td><td class="n">30,000</td></tr></tfoot>' in table
    pdf = pdf_text(tmp_path)
    assert "2039-Q2" in pdf and "2039-Q3" not in pdf and "… and 10 more" in pdf
