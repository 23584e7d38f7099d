"""When a list is longer than the packs draw, the rows kept are the ones that matter.

The HTML pack, the PDF printed from it and the deck draw 50 rows of a plan's list
(`kaplan.report.capped.ROWS_SHOWN`) and say how many more there are. Kept in the plan's order, the
overdue actions, the newest NPS responses and the missed KPIs could all sit behind "… and N more"
while the counts above the table were right. Each test writes a plan whose important rows come
late, renders it through `kaplan report` as HTML, PDF and a deck, and checks which 50 rows are
drawn, in which order, and what the last row says. The Markdown pack draws the same rows, in the same order.
"""

from __future__ import annotations

import datetime as dt
import re

from pptx import Presentation

from conftest import TODAY
from test_report_pdf import pages_text

DAY = TODAY.isoformat()  # 2026-11-24


def write(folder, body: str):
    plans = folder / "plans"
    plans.mkdir(parents=True)
    (plans / "longco.yaml").write_text("kaplan: 1\naccount:\n  id: longco\n  name: Long Co\nplan:\n  owner: Jo Owner\n"
                                       + body, encoding="utf-8")
    return folder


def rendered(kaplan, folder, out, *extra):
    """The pack as HTML, the PDF's text, and the deck (its table cells, its slides)."""
    for fmt in ("html", "pdf", "pptx"):
        r = kaplan("report", "longco", "-f", fmt, *extra, "--today", DAY, "-o", out / f"p.{fmt}", cwd=folder)
        assert r.exit_code == 0, r.stderr
    html = (out / "p.html").read_text(encoding="utf-8")
    pdf = " ".join(pages_text((out / "p.pdf").read_bytes()))
    deck = Presentation(out / "p.pptx")
    cells = [cell.text for s in deck.slides for sh in s.shapes if sh.has_table for row in sh.table.rows
             for cell in row.cells]
    return html, pdf, cells, len(deck.slides)


def test_overdue_actions_are_drawn_first_then_the_open_by_due_date(kaplan, tmp_path):
    # 120 actions: a1-a60 open and due in 2027, the later in the plan the sooner (a60 soonest);
    # a61-a76 open and past due (a61 on 2026-10-01, the most overdue: 54 days); a77-a120 done.
    # Drawn: the 16 overdue, most overdue first (61 … 76), then the 50 - 16 = 34 open ones due
    # soonest (60 … 27); "… and 70 more" (120 - 50).
    due = lambda i: (dt.date(2027, 1, 1) + dt.timedelta(days=60 - i)).isoformat()  # noqa: E731
    rows = [f"  - {{id: a{i}, action: Action number {i}, owner: Jo, due: {due(i)}, status: planned}}\n" for i in range(1, 61)]
    rows += [f"  - {{id: a{i}, action: Action number {i}, owner: Jo, due: 2026-10-{i - 60:02d}, status: planned}}\n"
             for i in range(61, 77)]
    rows += [f"  - {{id: a{i}, action: Action number {i}, owner: Jo, due: 2026-09-01, status: done}}\n" for i in range(77, 121)]
    folder = write(tmp_path / "portfolio", "actions:\n" + "".join(rows))
    html, pdf, cells, slides = rendered(kaplan, folder, tmp_path)
    expected = [str(i) for i in range(61, 77)] + [str(i) for i in range(60, 26, -1)]
    assert len(expected) == 50
    assert re.findall(r">Action number (\d+)<", html) == expected
    assert "16 of 120 actions overdue" in html  # the count takes every action in
    assert "… and 70 more (shown: the most overdue first, then the open by due date, then the rest)" in html
    assert set(re.findall(r"Action number (\d+)", pdf)) == set(expected) and "… and 70 more" in pdf
    drawn = [c.removeprefix("Action number ") for c in cells if c.startswith("Action number ")]
    assert drawn == expected
    assert [c for c in cells if c.startswith("… and")] == [
        "… and 70 more (shown: the most overdue first, then the open by due date, then the rest)"]
    assert slides <= 15  # title, summary, health, map, objectives, risks, decisions … and the 51 rows of actions
    md = kaplan("report", "longco", "-f", "md", "--today", DAY, cwd=folder).stdout
    assert re.findall(r"\| Action number (\d+) \|", md) == expected  # the same 50, in the same order
    assert "| … and 70 more (shown: the most overdue first, then the open by due date, then the rest) |" in md


def test_overdue_decisions_then_the_newest_raised_are_drawn(kaplan, tmp_path):
    # 60 reviews, review i held on 2026-01-01 + i days, each raising "Decision number i", none taken;
    # decisions 1-5 were due 2026-06-01 … 06-05 (overdue: 176 … 172 days), the rest have no due date.
    # Drawn: the 5 overdue, most overdue first, then the newest raised: 60 down to 16 (45 more).
    reviews = "".join(
        f"  - date: {(dt.date(2026, 1, 1) + dt.timedelta(days=i)).isoformat()}\n    kind: monthly_call\n"
        f"    decisions:\n      - {{decision: Decision number {i}, decision_makers: [Ann]"
        + (f", due: 2026-06-{i:02d}" if i <= 5 else "") + "}\n" for i in range(1, 61))
    folder = write(tmp_path / "portfolio", "reviews:\n" + reviews)
    html, pdf, cells, _ = rendered(kaplan, folder, tmp_path)
    expected = [str(i) for i in range(1, 6)] + [str(i) for i in range(60, 15, -1)]
    assert len(expected) == 50
    table = html.split('<table class="decisions">', 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<td>Decision number (\d+)</td>", table) == expected
    assert "(overdue, 176 days)" in table  # 2026-06-01 to 2026-11-24
    assert "… and 10 more (shown: the most overdue first, then the newest raised)" in table
    assert set(re.findall(r"Decision number (\d+)", pdf)) == set(expected) and "… and 10 more" in pdf
    assert [c.removeprefix("Decision number ") for c in cells if c.startswith("Decision number ")] == expected
    assert "… and 10 more (shown: the most overdue first, then the newest raised)" in cells


def test_the_newest_nps_responses_and_the_overdue_loops_are_drawn_first(kaplan, tmp_path):
    # 80 detractors, Critic i answering on 2026-06-01 + i days; every fourth (4, 8 … 80) has no
    # follow-up, so its loop is overdue; the others have one due 2026-12-15, still open.
    # Responses drawn: the newest first, 80 down to 31. Loops drawn: the 20 overdue, the most overdue
    # (waiting since the day they answered) first (4, 8 … 80), then the 30 newest of the rest (79, 78,
    # 77, 75 … down to 41).
    def response(i):
        follow = "" if i % 4 == 0 else ", follow_up: {owner: Jo, due: 2026-12-15}"
        return (f"    - {{date: {(dt.date(2026, 6, 1) + dt.timedelta(days=i)).isoformat()}, respondent: Critic {i}, "
                f"score: 3{follow}}}\n")
    folder = write(tmp_path / "portfolio", "voice_of_customer:\n  nps:\n" + "".join(response(i) for i in range(1, 81)))
    html, pdf, cells, _ = rendered(kaplan, folder, tmp_path)
    table = html.split('<table class="nps">', 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<td>Critic (\d+)</td>", table) == [str(i) for i in range(80, 30, -1)]
    assert "… and 30 more (shown: the newest first)" in table
    overdue = list(range(4, 81, 4))
    rest = [i for i in range(80, 0, -1) if i % 4][:30]
    assert rest[-1] == 41 and len(overdue) == 20
    loops = html.split("<h3>Open detractor loops</h3>", 1)[1].split("</ul>", 1)[0]
    assert re.findall(r">Critic (\d+) \(score 3", loops) == [str(i) for i in overdue + rest]
    assert "… and 30 more (shown: the most overdue first, then the newest)" in loops
    assert "80 open loops" in html  # the count takes every loop in
    assert {str(i) for i in overdue} <= set(re.findall(r"Critic (\d+)", pdf)) and "… and 30 more" in pdf
    drawn = [c.removeprefix("Critic ") for c in cells if c.startswith("Critic ")]
    assert drawn == [str(i) for i in overdue + rest]
    assert "… and 30 more (shown: the most overdue first, then the newest)" in cells


def test_missed_kpis_are_drawn_first(kaplan, tmp_path):
    # 60 KPIs with target 90: KPI 1-55 met (actual 95), KPI 56-60 missed (actual 80). Drawn: the 5
    # missed, then 45 met in the plan's order (1 … 45); "… and 10 more". The client's deck shows them.
    kpis = "".join(f"    - {{name: KPI number {i}, target: 90, actual: {95 if i <= 55 else 80}}}\n" for i in range(1, 61))
    folder = write(tmp_path / "portfolio", "service:\n  kpis:\n" + kpis)
    html, pdf, _, _ = rendered(kaplan, folder, tmp_path)
    expected = [str(i) for i in range(56, 61)] + [str(i) for i in range(1, 46)]
    assert re.findall(r"<td>KPI number (\d+)</td>", html) == expected
    assert "… and 10 more (shown: the missed first, then the not measured, then the met)" in html
    assert set(re.findall(r"KPI number (\d+)", pdf)) == set(expected) and "… and 10 more" in pdf
    _, _, cells, _ = rendered(kaplan, folder, tmp_path, "--audience", "client")
    assert [c.removeprefix("KPI number ") for c in cells if c.startswith("KPI number ")] == expected


def test_open_opportunities_are_drawn_first_the_highest_weighted_first(kaplan, tmp_path):
    # 60 opportunities: 1-55 won, 56-60 open (value 1,000 × i at 50 %: 60 weighs most). Drawn: the 5
    # open, 60 down to 56, then 45 won in the plan's order (1 … 45); "… and 10 more" (60 - 50).
    # The deck has no opportunities slide.
    rows = "".join(f"  - {{id: o{i}, name: Deal number {i}, value: {1000 * i}, probability: 50, "
                   f"stage: {'won' if i <= 55 else 'proposal'}, expected_close: 2027-03-31}}\n" for i in range(1, 61))
    folder = write(tmp_path / "portfolio", "opportunities:\n" + rows)
    html, pdf, _, _ = rendered(kaplan, folder, tmp_path)
    expected = [str(i) for i in range(60, 55, -1)] + [str(i) for i in range(1, 46)]
    table = html.split('<table class="opportunities">', 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<tr><td>Deal number (\d+)", table) == expected
    assert "… and 10 more (shown: the open first, the highest weighted value first, then the rest)" in table
    assert set(re.findall(r"Deal number (\d+)", pdf)) == set(expected) and "… and 10 more" in pdf


def test_what_was_learned_from_the_client_is_drawn_newest_first(kaplan, tmp_path):
    # 60 findings, finding i dated 2026-01-01 + i days, then 5 undated ones (61-65). Drawn: the
    # newest first, 60 down to 11; "… and 15 more" (65 - 50). The deck has no findings slide.
    rows = "".join(f"    - {{source: interview, finding: Finding number {i}"
                   + (f", date: {(dt.date(2026, 1, 1) + dt.timedelta(days=i)).isoformat()}" if i <= 60 else "") + "}\n"
                   for i in range(1, 66))
    folder = write(tmp_path / "portfolio", "voice_of_customer:\n  findings:\n" + rows)
    html, pdf, _, _ = rendered(kaplan, folder, tmp_path)
    table = html.split('<table class="findings">', 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<td>Finding number (\d+)</td>", table) == [str(i) for i in range(60, 10, -1)]
    assert "… and 15 more (shown: the newest first, then the undated)" in table
    assert set(re.findall(r"Finding number (\d+)", pdf)) == {str(i) for i in range(11, 61)} and "… and 15 more" in pdf


def test_the_health_reason_names_the_loops_the_pack_lists_first(kaplan, tmp_path):
    # 60 detractors written newest first, Critic i answering on 2026-06-01 + i days (so Critic 60 is
    # the first in the plan). Critics 7, 30, 45 and 52 have no follow-up (overdue, waiting since the
    # day they answered: 06-08, 07-01, 07-16, 07-23); Critic 20 (answered 06-21) has one due 06-25,
    # still open (overdue since 06-25); the other 55 have one due 2026-12-15 (open, on time).
    # The most overdue first: 7 (06-08), 20 (06-25), 30 (07-01), 45 (07-16), 52 (07-23). The health
    # reason names the first three of them and counts the other 2 (in plan order it named 52, 45, 30);
    # the pack's list of 60 loops starts with the same five, then the newest on time: 60, 59, 58 …
    def response(i):
        follow = {7: "", 30: "", 45: "", 52: "", 20: ", follow_up: {owner: Jo, due: 2026-06-25}"}.get(
            i, ", follow_up: {owner: Jo, due: 2026-12-15}")
        return (f"    - {{date: {(dt.date(2026, 6, 1) + dt.timedelta(days=i)).isoformat()}, respondent: Critic {i}, "
                f"score: 3{follow}}}\n")
    folder = write(tmp_path / "portfolio", "voice_of_customer:\n  nps:\n" + "".join(response(i) for i in range(60, 0, -1)))
    html, _, cells, _ = rendered(kaplan, folder, tmp_path)
    assert ("5 detractors not followed up: Critic 7 (score 3, no follow-up); Critic 20 (score 3, follow-up overdue "
            "since 2026-06-25); Critic 30 (score 3, no follow-up) and 2 more") in html
    loops = html.split("<h3>Open detractor loops</h3>", 1)[1].split("</ul>", 1)[0]
    assert re.findall(r">Critic (\d+) \(score 3", loops)[:8] == ["7", "20", "30", "45", "52", "60", "59", "58"]
    drawn = [c.removeprefix("Critic ") for c in cells if c.startswith("Critic ")]
    assert drawn[:8] == ["7", "20", "30", "45", "52", "60", "59", "58"]


def test_overdue_milestones_and_measures_are_drawn_first(kaplan, tmp_path):
    # One objective, 70 milestones: 1-50 due 2027-Q2 (not yet), 51-60 due 2026-Q1 (ended 2026-03-31),
    # 61-70 due 2025-Q4 (ended 2025-12-31, the most overdue). Drawn: 61 … 70, 51 … 60, then 1 … 30;
    # "… and 20 more" (70 - 50). 60 measures (target 10, current 5): 1-55 due 2027-06-30, 56-60 due
    # 2026-10-01, 09-01, 08-01, 07-01, 06-01 (60 the most overdue). Drawn: 60, 59, 58, 57, 56, then
    # 1 … 45; "… and 10 more".
    milestones = "".join(f"      - {{quarter: {'2027-Q2' if i <= 50 else '2026-Q1' if i <= 60 else '2025-Q4'}, "
                         f"description: Milestone number {i}}}\n" for i in range(1, 71))
    measures = "".join(f"      - {{name: Measure number {i}, kind: leading, target: 10, current: 5, "
                       f"due: {'2027-06-30' if i <= 55 else f'2026-{66 - i:02d}-01'}}}\n" for i in range(1, 61))
    folder = write(tmp_path / "portfolio", "objectives:\n  - id: grow\n    title: Grow the estate\n"
                   f"    measures:\n{measures}    milestones:\n{milestones}")
    html, pdf, cells, _ = rendered(kaplan, folder, tmp_path)
    part = html.split('id="objectives"', 1)[1].split("</section>", 1)[0]
    expected = [str(i) for i in [*range(61, 71), *range(51, 61), *range(1, 31)]]
    assert re.findall(r"Milestone number (\d+)</li>", part) == expected
    assert "… and 20 more (shown: the overdue first, the most overdue first, then the rest)" in part
    assert "Milestone number 70" in pdf  # the most overdue, printed
    measured = [str(i) for i in [60, 59, 58, 57, 56, *range(1, 46)]]
    assert re.findall(r"<td>Measure number (\d+)</td>", part) == measured
    assert "… and 10 more (shown: the overdue first, the most overdue first, then the rest)" in part
    assert [c.removeprefix("Measure number ") for c in cells if c.startswith("Measure number ")] == measured
    assert "… and 10 more (shown: the overdue first, the most overdue first, then the rest)" in cells
    _, _, cells, _ = rendered(kaplan, folder, tmp_path, "--audience", "client")  # the client's pack and deck too
    assert [c.removeprefix("Measure number ") for c in cells if c.startswith("Measure number ")] == measured


def test_lapsed_rituals_and_the_most_overdue_promises_are_drawn_first(kaplan, tmp_path):
    # 60 monthly rituals (every 30 days): 1-50 last held 2026-11-01 (due again 12-01, on time);
    # 51-60 last held 2026-08-(61 - i): 60 on 08-01 (due 08-31, the longest lapsed) … 51 on 08-10.
    # Drawn: 60, 59 … 51, then 1 … 40; "… and 10 more".
    # The promises past due: the 10 rituals (due 08-31 … 09-09) and 45 milestones due 2026-Q3 (by
    # 2026-09-30), 55 in all. Listed kind by kind, the milestones came first and 5 rituals were cut.
    # The most overdue first: the 10 rituals (60 … 51), then 40 milestones (1 … 40); "… and 5 more".
    rituals = "".join(f"    - {{name: Ritual number {i}, cadence: monthly, last_held: "
                      f"{'2026-11-01' if i <= 50 else f'2026-08-{61 - i:02d}'}}}\n" for i in range(1, 61))
    milestones = "".join(f"      - {{quarter: 2026-Q3, description: Milestone number {i}}}\n" for i in range(1, 46))
    folder = write(tmp_path / "portfolio", f"relationships:\n  rituals:\n{rituals}"
                   "objectives:\n  - id: grow\n    title: Grow the estate\n" f"    milestones:\n{milestones}")
    html, pdf, _, _ = rendered(kaplan, folder, tmp_path)
    table = html.split('<table class="rituals">', 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<td>Ritual number (\d+)</td>", table) == [str(i) for i in [*range(60, 50, -1), *range(1, 41)]]
    assert "… and 10 more (shown: the lapsed first, the longest lapsed first, then the rest)" in table
    promises = html.split('<ul class="tight promises">', 1)[1].split("</ul>", 1)[0]
    said = re.findall(r"(Ritual|Milestone) number (\d+)", promises)
    assert said == [("Ritual", str(i)) for i in range(60, 50, -1)] + [("Milestone", str(i)) for i in range(1, 41)]
    assert "Promises past due (55)" in html  # the count takes every one in
    assert "… and 5 more (shown: the most overdue first, then those with no date)" in promises
    assert "Ritual number 60" in pdf
