"""A plan with a very long list: the packs draw its first rows and say how many more there are.

A plan of 120 actions and 120 risks (a real one could list 20,000): the HTML pack, the PDF printed
from it and the deck each draw the first 50 of each (`kaplan.report.capped.ROWS_SHOWN`), then one row
"… and 70 more" (120 - 50 = 70); every count still takes all 120 in. The Markdown pack draws the same rows.
"""

from __future__ import annotations

import io
import re

from pptx import Presentation
from pypdf import PdfReader

from conftest import TODAY

DAY = TODAY.isoformat()
N = 120


def long_plan(folder):
    plans = folder / "plans"
    plans.mkdir(parents=True)
    actions = "".join(f"  - id: a{i}\n    action: Action number {i}\n    owner: Jo Owner\n"
                      f"    due: 2027-01-15\n    status: planned\n" for i in range(1, N + 1))
    risks = "".join(f"  - id: r{i}\n    description: Risk number {i}\n    likelihood: 2\n    impact: 3\n"
                    for i in range(1, N + 1))
    (plans / "longco.yaml").write_text(
        "kaplan: 1\naccount:\n  id: longco\n  name: Long Co\nplan:\n  owner: Jo Owner\n"
        f"actions:\n{actions}risks:\n{risks}", encoding="utf-8")
    return folder


def test_the_html_pack_draws_fifty_actions_and_risks_then_says_how_many_more(kaplan, tmp_path):
    folder = long_plan(tmp_path / "portfolio")
    r = kaplan("report", "longco", "--today", DAY, "-o", tmp_path / "p.html", cwd=folder)
    assert r.exit_code == 0, r.stderr
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    # the actions in the plan's order (all open, due the same day: none matters more, `capped.ORDERS`);
    # the risks in the pack's (all have L × I = 2 × 3: by their id)
    assert re.findall(r">Action number (\d+)<", html) == [str(i) for i in range(1, 51)]
    assert len(set(re.findall(r">Risk number (\d+)<", html))) == 50
    assert html.count("… and 70 more") == 2  # the actions' table and the risks'
    assert f"of {N} actions overdue" in html  # the count still takes every action in
    md = kaplan("report", "longco", "-f", "md", "--today", DAY, cwd=folder).stdout
    assert re.findall(r"\| Action number (\d+) \|", md) == [str(i) for i in range(1, 51)]
    assert len(set(re.findall(r"\| Risk number (\d+) \|", md))) == 50
    assert md.count("| … and 70 more") == 2 and f"of {N} actions overdue" in md


def test_the_pdf_and_the_deck_draw_the_same_rows(kaplan, tmp_path):
    folder = long_plan(tmp_path / "portfolio")
    for fmt in ("pdf", "pptx"):
        r = kaplan("report", "longco", "-f", fmt, "--today", DAY, "-o", tmp_path / f"p.{fmt}", cwd=folder)
        assert r.exit_code == 0, r.stderr
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO((tmp_path / "p.pdf").read_bytes())).pages)
    assert len(set(re.findall(r"Action number (\d+)", text))) == 50
    assert len(set(re.findall(r"Risk number (\d+)", text))) == 50
    assert text.count("… and 70 more") == 2
    cells = [cell.text for s in Presentation(tmp_path / "p.pptx").slides for sh in s.shapes if sh.has_table
             for row in sh.table.rows for cell in row.cells]
    assert {c for c in cells if c.startswith("Action number")} == {f"Action number {i}" for i in range(1, 51)}
    assert len({c for c in cells if c.startswith("Risk number")}) == 50
    assert sum(c.startswith("… and 70 more") for c in cells) == 2  # the actions' row also says their order


def _render_html_and_deck(kaplan, tmp_path, account: str, name: str, sections: str) -> None:
    """Write the plan `account` with these sections into a portfolio under `tmp_path`, and render its
    pack as `p.html` and `p.pptx` there."""
    plans = tmp_path / "portfolio" / "plans"
    plans.mkdir(parents=True)
    (plans / f"{account}.yaml").write_text(f"kaplan: 1\naccount:\n  id: {account}\n  name: {name}\nplan:\n"
                                           f"  owner: Jo Owner\n{sections}", encoding="utf-8")
    for fmt in ("html", "pptx"):
        r = kaplan("report", account, "-f", fmt, "--today", DAY, "-o", tmp_path / f"p.{fmt}", cwd=tmp_path / "portfolio")
        assert r.exit_code == 0, r.stderr


def test_the_relationship_map_draws_fifty_people_then_says_how_many_more(kaplan, tmp_path):
    # 120 contacts, each reporting to the first: the map (HTML, PDF, deck) draws the first 50 people
    # in its order (the head, then 49 of the people under them) and says "… and 70 more" (120 - 50)
    contacts = "".join(f"    - {{id: c{i}, name: Person {i}, buying_role: user, attitude: neutral, strength: 3"
                       f"{', reports_to: c1' if i > 1 else ''}}}\n" for i in range(1, N + 1))
    _render_html_and_deck(kaplan, tmp_path, "orgco", "Org Co", f"relationships:\n  contacts:\n{contacts}")
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    chart = html.split('<ul class="org">', 1)[1].split("</ul></div>", 1)[0]
    assert re.findall(r'<span class="who">Person (\d+)</span>', chart) == [str(i) for i in range(1, 51)]
    assert '<p class="note">… and 70 more</p>' in html
    boxes = [sh.text_frame.text.split("\n", 1)[0] for s in Presentation(tmp_path / "p.pptx").slides
             if s.shapes.title.text.startswith("Relationship map") for sh in s.shapes if sh.has_text_frame]  # (1/3) …
    assert {b for b in boxes if b.startswith("Person ")} == {f"Person {i}" for i in range(1, 51)}
    assert "… and 70 more" in boxes


def test_what_changed_since_the_last_review_lists_fifty_of_a_kind_then_how_many_more(kaplan, tmp_path, monkeypatch):
    # the fixture's history, then 120 actions added after the last review (2026-09-30), before the one
    # the fixture adds (cfo-intro): the HTML pack's "since the last review" lists the first 50 "Action
    # added" and says "… and 71 more" (120 + 1 - 50)
    from _report_repo import ACCOUNT, git, make_repo

    root = make_repo(tmp_path / "repo", monkeypatch)
    plan = root / "plans" / f"{ACCOUNT}.yaml"
    added = "".join(f"  - {{id: new{i}, action: Added action {i}, owner: Dana Keller, due: 2027-01-15, status: planned}}\n"
                    for i in range(1, N + 1))
    plan.write_text(plan.read_text(encoding="utf-8").replace("actions:\n", "actions:\n" + added, 1), encoding="utf-8")
    git(root, "commit", "-q", "-am", "many actions", date="2026-10-21")
    r = kaplan("report", ACCOUNT, "--today", DAY, "-o", tmp_path / "p.html", cwd=root)
    assert r.exit_code == 0, r.stderr
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    changes = html.split('<ul class="tight changes">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"<li>Action added: Added action (\d+) ", changes) == [str(i) for i in range(1, 51)]
    assert '<li class="muted">… and 71 more</li>' in changes


def test_open_detractor_loops_are_drawn_fifty_then_how_many_more(kaplan, tmp_path):
    responses = "".join(f"    - {{date: 2026-{1 + i % 10:02d}-15, respondent: Critic {i}, score: 2}}\n" for i in range(1, 81))
    _render_html_and_deck(kaplan, tmp_path, "longco", "Long Co", f"voice_of_customer:\n  nps:\n{responses}")
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert len(re.findall(r"<li[^>]*>Critic \d+ \(score 2", html)) == 50 and "… and 30 more" in html
    assert "80 open loops" in html  # the count takes every loop in
    cells = [cell.text for s in Presentation(tmp_path / "p.pptx").slides for sh in s.shapes if sh.has_table
             for row in sh.table.rows for cell in row.cells]
    assert len({c for c in cells if c.startswith("Critic ")}) == 50 and any(c.startswith("… and 30 more") for c in cells)


def test_the_force_field_draws_fifty_forces_a_side_and_its_net_counts_every_force(kaplan, tmp_path):
    plans = tmp_path / "portfolio" / "plans"
    plans.mkdir(parents=True)
    side = lambda word, n: "".join(f"    - {{force: {word} force {i}, strength: 2}}\n" for i in range(1, n + 1))  # noqa: E731
    (plans / "longco.yaml").write_text("kaplan: 1\naccount:\n  id: longco\n  name: Long Co\nplan:\n  owner: Jo Owner\n"
                                       f"force_field:\n  for:\n{side('Pushing', 90)}  against:\n{side('Holding', 60)}",
                                       encoding="utf-8")
    for fmt in ("html", "pptx"):
        r = kaplan("report", "longco", "-f", fmt, "--today", DAY, "-o", tmp_path / f"p.{fmt}", cwd=tmp_path / "portfolio")
        assert r.exit_code == 0, r.stderr
    html = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert len(set(re.findall(r"<td>Pushing force (\d+)</td>", html))) == 50 and "… and 40 more" in html
    assert len(set(re.findall(r"<td>Holding force (\d+)</td>", html))) == 50 and "… and 10 more" in html
    assert "Net +60" in html  # 90 × 2 − 60 × 2: every force counted
    chart = html.split('class="chart force', 1)[1].split("</svg>", 1)[0]
    assert len(set(re.findall(r"Pushing force (\d+)", chart))) == 50
    assert len(set(re.findall(r"Holding force (\d+)", chart))) == 50
    assert "Net +60 (for 180 − against 120)" in chart
    categories = [c for s in Presentation(tmp_path / "p.pptx").slides for sh in s.shapes if sh.has_chart
                  for c in sh.chart.plots[0].categories if "force" in str(c)]
    assert len(categories) == 100
