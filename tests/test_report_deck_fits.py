"""Nothing a deck draws runs off its slide, and what it draws can be read.

The NPS slide drew the open detractor loops as one half-slide table that never continued: about 21
rows fit, so with 26 loops the last of them (an overdue one among them) were below the slide's edge,
and with 60 the "… and 10 more" row was. Every table's rows now fit within the slide (its top plus
the heights of its rows), each row at least as tall as a line of its text, and a table too long for
its place continues over slides as every other table does. Each test writes a plan, renders it
through `kaplan report --format pptx`, and reads the deck back with python-pptx.
"""

from __future__ import annotations

import datetime as dt

from pptx import Presentation
from pptx.util import Inches, Pt

from conftest import TODAY
from test_report_kept_rows import write  # the plan Long Co, `body` after its owner

DAY = TODAY.isoformat()  # 2026-11-24
ONE_LINE = Pt(11 * 1.2) + 2 * Inches(0.05)
"""The least height a table row of 11-point text needs: one line (1.2 × the font size) and the
cell's top and bottom margins (0.05 in each, PowerPoint's default)."""


def deck(kaplan, folder, out):
    r = kaplan("report", "longco", "-f", "pptx", "--today", DAY, "-o", out / "p.pptx", cwd=folder)
    assert r.exit_code == 0, r.stderr
    return Presentation(out / "p.pptx")


def tables(prs):
    """(slide title, table shape) for every table of the deck."""
    return [(s.shapes.title.text if s.shapes.title is not None else "", sh)
            for s in prs.slides for sh in s.shapes if sh.has_table]


def assert_every_table_fits(prs):
    for title, sh in tables(prs):
        heights = [row.height for row in sh.table.rows]
        assert all(h >= ONE_LINE for h in heights), (title, min(heights), ONE_LINE)
        assert sh.top + sum(heights) <= prs.slide_height, (title, sh.top + sum(heights), prs.slide_height)


def detractors(n: int, overdue) -> str:
    """`n` detractors, Critic i answering on 2026-06-01 + i days; those in `overdue` have no
    follow-up (so their loop is overdue), the others one due 2026-12-15, still open."""
    rows = []
    for i in range(1, n + 1):
        follow = "" if i in overdue else ", follow_up: {owner: Jo, due: 2026-12-15}"
        rows.append(f"    - {{date: {(dt.date(2026, 6, 1) + dt.timedelta(days=i)).isoformat()}, "
                    f"respondent: Critic {i}, score: 3{follow}}}\n")
    return "voice_of_customer:\n  nps:\n" + "".join(rows)


def loop_cells(prs) -> list[str]:
    return [row.cells[0].text for title, sh in tables(prs) if title.startswith(("NPS", "Too few", "Open detractor"))
            for row in list(sh.table.rows)[1:]]


def test_26_open_loops_are_all_drawn_on_the_slides(kaplan, tmp_path):
    # 26 loops (no more than the 50 a pack draws, so all of them, by date): Critic 26, the newest,
    # has no follow-up and is overdue. In one half-slide table it sat below the slide's edge.
    prs = deck(kaplan, write(tmp_path / "portfolio", detractors(26, overdue={26})), tmp_path)
    assert_every_table_fits(prs)
    assert loop_cells(prs) == [f"Critic {i}" for i in range(1, 27)]


def test_60_open_loops_show_fifty_and_the_row_that_counts_the_rest(kaplan, tmp_path):
    # 60 loops, every tenth (10, 20 … 60) overdue: 50 drawn, then "… and 10 more" (60 - 50).
    prs = deck(kaplan, write(tmp_path / "portfolio", detractors(60, overdue=set(range(10, 61, 10)))), tmp_path)
    assert_every_table_fits(prs)
    drawn = loop_cells(prs)
    assert len(drawn) == 51 and drawn[-1].startswith("… and 10 more (shown: ")
    assert {f"Critic {i}" for i in range(10, 61, 10)} <= set(drawn[:50])  # every overdue loop is among them


def test_every_table_of_a_long_plan_fits_its_slide(kaplan, tmp_path):
    # 70 actions with long text (each wraps over lines) and 70 risks: every page of their tables fits.
    actions = "".join(f"  - {{id: a{i}, action: {'Call the client about the renewal terms ' * 3}number {i}, "
                      f"owner: Jo, due: 2027-01-{(i % 28) + 1:02d}, status: planned}}\n" for i in range(1, 71))
    risks = "".join(f"  - {{id: r{i}, description: Risk number {i}, likelihood: 3, impact: 3, "
                    f"mitigation: {'Talk to procurement early ' * 4}}}\n" for i in range(1, 71))
    prs = deck(kaplan, write(tmp_path / "portfolio", "actions:\n" + actions + "risks:\n" + risks), tmp_path)
    assert_every_table_fits(prs)


def contacts(n: int) -> str:
    """Person 1 (the CEO) and `n - 1` people reporting to them, each with a long surname."""
    rows = ["    - {id: p1, name: Person1 Montgomery-Featherstone, title: Chief Executive Officer, "
            "buying_role: economic_buyer, attitude: supporter, strength: 4}\n"]
    rows += [f"    - {{id: p{i}, name: Person{i} Montgomery-Featherstone, title: Regional Procurement Director, "
             f"buying_role: influencer, attitude: neutral, strength: 3, reports_to: p1}}\n" for i in range(2, n + 1)]
    return "relationships:\n  contacts:\n" + "".join(rows)


INSETS = 2 * Inches(0.1)
"""A shape's text frame keeps 0.1 in clear on its left and right (PowerPoint's default)."""


def map_boxes(prs):
    """(slide, box) for every person's box on the relationship map's slides."""
    return [(s, sh) for s in prs.slides if s.shapes.title is not None and s.shapes.title.text.startswith("Relationship map")
            for sh in s.shapes if sh.shape_type == 1 and sh.has_text_frame and sh.text_frame.text]  # 1: an autoshape


def test_a_relationship_map_of_50_people_is_readable(kaplan, tmp_path):
    # 50 people, 49 of them reporting to Person1: drawn in one row, each box was 1/49 of the slide wide
    # and every surname broke mid-word. Now: every one of the 50 is drawn once; no word of a box is
    # wider than the box (its letters about 0.6 of the font size wide), none in type under 8 points;
    # every box is on its slide and no two overlap.
    prs = deck(kaplan, write(tmp_path / "portfolio", contacts(50)), tmp_path)
    boxes = map_boxes(prs)
    names = sorted(sh.text_frame.paragraphs[0].text for _, sh in boxes)
    assert names == sorted(f"Person{i} Montgomery-Featherstone" for i in range(1, 51))
    for _, sh in boxes:
        for para in sh.text_frame.paragraphs:
            for run in para.runs:
                assert run.font.size >= Pt(8), (run.text, run.font.size.pt)
                widest = max(len(word) for word in run.text.split()) if run.text.split() else 0
                assert widest * run.font.size * 0.6 <= sh.width - INSETS, (run.text, run.font.size.pt, sh.width)
    for s, sh in boxes:
        assert sh.left >= 0 and sh.top >= 0
        assert sh.left + sh.width <= prs.slide_width and sh.top + sh.height <= prs.slide_height
    for i, (s, a) in enumerate(boxes):
        for t, b in boxes[i + 1:]:
            if s is t:  # boxes on one slide do not overlap
                assert (a.left + a.width <= b.left or b.left + b.width <= a.left or
                        a.top + a.height <= b.top or b.top + b.height <= a.top), (a.text_frame.text, b.text_frame.text)


def test_a_relationship_map_of_60_people_draws_50_and_says_so(kaplan, tmp_path):
    # 60 people: the map draws the first 50 (capped as every list: Person1, then 2 … 50) and says
    # "… and 10 more" (60 - 50) under the drawing.
    prs = deck(kaplan, write(tmp_path / "portfolio", contacts(60)), tmp_path)
    names = [sh.text_frame.paragraphs[0].text for _, sh in map_boxes(prs)]
    assert sorted(names) == sorted(f"Person{i} Montgomery-Featherstone" for i in range(1, 51))
    notes = [sh.text_frame.text for s in prs.slides if s.shapes.title is not None
             and s.shapes.title.text.startswith("Relationship map") for sh in s.shapes
             if sh.has_text_frame and sh.text_frame.text.startswith("…")]
    assert notes == ["… and 10 more"]
