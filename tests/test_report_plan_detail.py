"""The account pack shows what the plan holds beyond the figures: the whitespace grid, what each
contact drives and is measured on, our account team, what was agreed with the client, and each
opportunity's ROI, objections and usage — in HTML and in Markdown alike.

The fixture (tests/fixtures/report/plans/acme-retail.yaml) records eight whitespace cells over three
buying units and three offerings; every count below is taken from those lines by hand.
"""

from __future__ import annotations

import re

import pytest

from _report_repo import ACCOUNT, copy_plain
from conftest import TODAY
from test_report import Tables

DAY = TODAY.isoformat()


@pytest.fixture
def folder(tmp_path):
    return copy_plain(tmp_path / "portfolio")


def report(kaplan, folder, fmt: str, account: str = ACCOUNT) -> str:
    r = kaplan("report", account, "--format", fmt, "--today", DAY, cwd=folder)
    assert r.exit_code == 0, r.stderr
    return r.stdout


def test_the_whitespace_grid_in_html(kaplan, folder):
    page = Tables(report(kaplan, folder, "html"))
    assert "whitespace" in page.ids
    # units down in the order the plan first names them, offerings across likewise; Austrian stores ×
    # Checkout Monitor is not recorded, so it stays empty rather than guessed
    assert page.tables["whitespace"] == [
        ["Buying unit", "Energy Analytics", "Cold Chain Insight", "Checkout Monitor"],
        ["German stores", "won", "open", "competitor (Kassensys)"],
        ["Austrian stores", "open", "not offered", ""],
        ["Distribution centres", "not offered", "competitor", "not relevant"],
    ]


def test_the_whitespace_counts_in_markdown(kaplan, folder):
    text = report(kaplan, folder, "md")
    assert "| German stores | won | open | competitor (Kassensys) |" in text
    # 8 cells: owned 1, pipeline 2 (German × Cold Chain, Austrian × Energy), competitor 2, gap 2, not relevant 1;
    # open white space = gap 2 + competitor 2 = 4; Checkout Monitor's best status is competitor, so no unit buys it
    assert ("Cells recorded: 8 (won 1 · open 2 · competitor 2 · not offered 2 · not relevant 1). "
            "**Open white space: 4 cells** not offered yet or held by a competitor; no unit buys Checkout Monitor.") in text


def test_what_changed_names_the_whitespace_cells_that_moved(kaplan, tmp_path, monkeypatch):
    from _report_repo import make_repo

    repo = make_repo(tmp_path / "git", monkeypatch)
    # tests/fixtures/report/before/acme-retail.yaml: Distribution centres × Cold Chain Insight was open
    # (now a competitor's), German stores × Cold Chain Insight not offered (now open), Austrian stores ×
    # Cold Chain Insight not relevant (now not offered); cells new since then are not changes
    text = report(kaplan, repo, "md")
    changed = text[text.index("### What changed"):text.index("## Relationship map")]
    assert "- **Whitespace:** Distribution centres × Cold Chain Insight: open → competitor" in changed
    assert "- Whitespace: German stores × Cold Chain Insight: not offered → open" in changed
    assert "- Whitespace: Austrian stores × Cold Chain Insight: not relevant → not offered" in changed
    assert changed.count("Whitespace") == 3


def test_a_plan_without_a_grid_says_so(kaplan, folder):
    assert "No whitespace grid is recorded" in report(kaplan, folder, "md", "cobalt-mining")
    assert "No whitespace grid is recorded" in report(kaplan, folder, "html", "cobalt-mining")


def test_contacts_initiatives_and_targets(kaplan, folder):
    html = report(kaplan, folder, "html")
    # on the person's card in the org chart; only the two contacts that record any, and Priya Shah
    # has no target of her own, so her card says only what she drives
    goals = re.findall(r'<span class="goals">(.*?)</span>', html)
    assert goals == ["drives: Spend review of every open project · measured on: Opex down 5% in 2027",
                     "drives: Store energy programme"]
    text = report(kaplan, folder, "md")
    assert "| Marco Reiter (Chief Financial Officer) | Spend review of every open project | Opex down 5% in 2027 |" in text
    assert "| Priya Shah (Head of Energy) | Store energy programme | – |" in text


def test_team_and_what_was_agreed_with_the_client(kaplan, folder):
    rows = [("Account team", "Dana Keller (key account manager); Tobias Brandt (solution architect)"),
            ("Agreed format", "one-page progress report before each quarterly review"),
            ("Agreed access", "Lena Hoff, Priya Shah and our account team"),
            ("Agreed updates", "quarterly")]
    html, md = report(kaplan, folder, "html"), report(kaplan, folder, "md")
    for label, words in rows:
        assert f"<dt>{label}</dt><dd>{words}</dd>" in html
        assert f"| {label} | {words} |" in md
    # the client's version shows them too: the team and the agreement are the client's to see
    client = kaplan("report", ACCOUNT, "--audience", "client", "--format", "md", "--today", DAY, cwd=folder).stdout
    assert "## Working together" in client
    for label, words in rows:
        assert f"| {label} | {words} |" in client


def test_roi_objections_and_usage_in_markdown_as_in_html(kaplan, folder):
    text = report(kaplan, folder, "md")
    assert ("- **Refrigeration analytics add-on** · ROI: Saves 4% of refrigeration energy · "
            "objections: Budget freeze until Q1") in text
    assert "- **Current licence** · usage: 310 stores live" in text
    html = report(kaplan, folder, "html")
    for shown in ["ROI: Saves 4% of refrigeration energy", "Objections: Budget freeze until Q1", "Usage: 310 stores live"]:
        assert shown in html


# ---------------------------------------------------------------- the portfolio's cross-sell view


def test_the_portfolio_cross_sell_view(kaplan, folder):
    r = kaplan("report", "--portfolio", "--format", "html", "--today", DAY, cwd=folder)
    assert r.exit_code == 0, r.stderr
    page = Tables(r.stdout)
    assert "cross-sell" in page.ids
    # Acme: open white space = 2 not offered + 2 competitor = 4 of its 8 cells; Borealis: Warehouses ×
    # Energy Analytics and × Cold Chain Insight not offered, Fleet × Cold Chain Insight held by NordTrack
    # = 3 of 5. Most open white space first. An account's offering takes its best unit's status, so Acme
    # has Energy Analytics (won in German stores) and Cold Chain Insight open (no unit won); it lacks only
    # Checkout Monitor (competitor in German stores, not relevant elsewhere).
    assert page.tables["cross-sell"] == [
        ["Account", "Open white space", "Won", "Open, not won yet", "Lacks (competitor or not offered)"],
        ["Acme Retail Group", "4 of 8 cells", "Energy Analytics", "Cold Chain Insight", "Checkout Monitor"],
        ["Borealis Logistics", "3 of 5 cells", "Energy Analytics", "Route Planner", "Cold Chain Insight"],
    ]
    # by offering, counting accounts: Energy Analytics won in both; Cold Chain Insight open at Acme and
    # white space at Borealis (competitor beats not offered, so Borealis counts once)
    assert page.tables["offerings"][1:] == [
        ["Checkout Monitor", "0", "0", "1"],
        ["Cold Chain Insight", "0", "1", "1"],
        ["Energy Analytics", "2", "0", "0"],
        ["Route Planner", "0", "1", "0"],
    ]
    assert "No whitespace grid in 1 plan: Cobalt Mining." in r.stdout
    # the second run reads the plans' summaries, whitespace cells included, from the cache: same view
    again = kaplan("report", "--portfolio", "--format", "html", "--today", DAY, cwd=folder)
    assert again.stdout == r.stdout
    md = kaplan("report", "--portfolio", "--format", "md", "--today", DAY, cwd=folder).stdout
    assert "| Acme Retail Group | 4 of 8 cells | Energy Analytics | Cold Chain Insight | Checkout Monitor |" in md
    assert "| Cold Chain Insight | 0 | 1 | 1 |" in md


def test_a_portfolio_without_grids_says_so(kaplan, tmp_path):
    folder = tmp_path / "p"
    (folder / "plans").mkdir(parents=True)
    (folder / "kaplan.yaml").write_text("kaplan: 1\nplans: plans\n", encoding="utf-8")
    (folder / "plans" / "solo.yaml").write_text(
        "kaplan: 1\naccount: {id: solo, name: Solo}\nplan: {owner: Jo Owner}\n", encoding="utf-8")
    for fmt in ("html", "md"):
        r = kaplan("report", "--portfolio", "--format", fmt, "--today", DAY, cwd=folder)
        assert r.exit_code == 0, r.stderr
        assert "No plan records a whitespace grid." in r.stdout


def test_a_pair_recorded_twice_shows_its_last_entry_and_check_says_so(kaplan, tmp_path):
    folder = tmp_path / "p"
    (folder / "plans").mkdir(parents=True)
    (folder / "kaplan.yaml").write_text("kaplan: 1\nplans: plans\n", encoding="utf-8")
    (folder / "plans" / "solo.yaml").write_text(
        "kaplan: 1\naccount: {id: solo, name: Solo}\nplan: {owner: Jo Owner}\n"
        "whitespace:\n"
        "  - {unit: Lyon, offering: MES, status: gap}\n"
        "  - {unit: Lyon, offering: MES, status: owned}\n", encoding="utf-8")
    md = kaplan("report", "solo", "--format", "md", "--today", DAY, cwd=folder).stdout
    assert "| Lyon | won |" in md
    assert "Cells recorded: 1 (won 1 · open 0 · competitor 0 · not offered 0 · not relevant 0)" in md
    r = kaplan("check", "--today", DAY, cwd=folder)
    assert "plans/solo.yaml:6:5: warning [duplicate-whitespace-cell] Lyon × MES is already recorded at entry 1" in r.stdout
