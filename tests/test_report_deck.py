"""`kaplan report … --format pptx`: the decks, opened back with python-pptx shape by shape.

Each figure on a slide is compared with the HTML pack of the same day; charts must be native chart
objects holding the plan's numbers (editable in PowerPoint), and `--template` must put the slides on
the company's own master.
"""

from __future__ import annotations

import copy
import os

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

from _report_repo import ACCOUNT, copy_plain
from conftest import EXAMPLES, TODAY
from test_report import Tables

from kaplan.reading.loader import load_plan

DAY = TODAY.isoformat()


def titles(prs) -> list[str]:
    return [s.shapes.title.text for s in prs.slides]


def slide(prs, title: str):
    return next(s for s in prs.slides if s.shapes.title.text.startswith(title))


def texts(s) -> list[str]:
    """Every text frame's text on a slide but its title (not tables, not charts)."""
    return [sh.text_frame.text for sh in s.shapes if sh.has_text_frame and sh != s.shapes.title]


def table_rows(s) -> list[list[str]]:
    t = next(sh for sh in s.shapes if sh.has_table).table
    return [[c.text for c in row.cells] for row in t.rows]


def charts(s):
    return [sh.chart for sh in s.shapes if sh.has_chart]


@pytest.fixture
def account(kaplan, tmp_path):
    folder = copy_plain(tmp_path / "portfolio")
    for fmt in ("pptx", "html"):
        r = kaplan("report", ACCOUNT, "-f", fmt, "--today", DAY, "-o", tmp_path / f"a.{fmt}", cwd=folder)
        assert r.exit_code == 0, r.stderr
    plan = load_plan(folder / "plans" / f"{ACCOUNT}.yaml").plan
    health = next(a for a in kaplan("risk", "-f", "json", "--today", DAY).json()["accounts"] if a["account"] == ACCOUNT)
    return Presentation(tmp_path / "a.pptx"), Tables((tmp_path / "a.html").read_text(encoding="utf-8")), plan, health


def test_quarterly_review_deck_slides(account):
    prs, _, plan, health = account
    assert (health["risk"], health["colour"]) == ("medium", "amber")
    assert titles(prs) == [
        "Acme Retail Group", "Summary", f"Health {health['health']:.0f} (medium risk): the reasons", "Relationship map",
        "Objectives and progress", "Action plan",
        "Whitespace: open white space 4 of 8 cells (not offered or held by a competitor)", "Force field: net +2",
        "Revenue and margin (EUR)",
        "Too few responses for an NPS (4 of 5 needed in the last 12 months) · 1 open detractor loop", "Risks",
        "Decisions needed · next review 2026-12-16", "Working together"]
    # force field: for 4 + 3, against 3 + 2 → net +2; NPS: 4 responses in the survey window, fewer than
    # the 5 an NPS needs, so no score is shown; the 6 (follow-up not closed) is the one open loop
    assert prs.slide_width == Inches(13.333) and prs.slide_height == Inches(7.5)


def test_summary_cards_show_the_pack_figures(account):
    prs, html, _, health = account
    cards = texts(slide(prs, "Summary"))
    assert len(cards) == 8
    assert cards[0].split("\n") == ["HEALTH", f"{health['health']:.0f} AMBER", "medium risk"]
    # margin over the last four quarters: (156000+158000+160000+155000) / (460000+480000+500000+450000)
    # = 629000 / 1890000 = 33.28 % → "33.3%"
    assert cards[4].split("\n")[1] == "33.3%"
    assert any(c.split("\n")[1] == "1.89M" for c in cards)  # revenue TTM 1,890,000 as the HTML card shows
    # 4 NPS responses in the survey window: fewer than the 5 an NPS needs, so no score
    assert ["NPS", "too few", "4 responses in the last 12 months · 1 open loop"] in [c.split("\n") for c in cards]


def test_relationship_map_has_a_box_per_contact(account):
    prs, _, plan, _ = account
    s = slide(prs, "Relationship map")
    boxes = [sh for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE]
    assert sorted(b.text_frame.paragraphs[0].text for b in boxes) == sorted(c.name for c in plan.relationships.contacts)
    # four report to someone mapped: one connector each
    assert sum(1 for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.LINE) == 4
    jonas = next(b for b in boxes if b.text_frame.paragraphs[0].text == "Jonas Berg")
    assert "technical · opponent" in jonas.text_frame.text
    assert str(jonas.line.color.rgb) == "C62828"  # an opponent's box is outlined red, as in the HTML


def test_revenue_chart_is_native_and_holds_the_periods(account):
    prs, html, plan, _ = account
    revenue, ratios = charts(slide(prs, "Revenue and margin"))
    periods = sorted(plan.financials.periods, key=lambda p: p.period)
    assert list(revenue.plots[0].categories) == [p.period for p in periods]
    names = [s.name for s in revenue.plots[0].series]
    assert names == ["Revenue", "Target revenue", "Gross profit"]
    assert list(revenue.plots[0].series[0].values) == [p.revenue for p in periods]
    # margin % per period, rounded as the HTML table prints it (2026-Q3: 160000 / 500000 = 32.0 %)
    shown = [row[4] for row in html.tables["periods"][1:]]
    assert [f"{v:.1f}%" for v in ratios.plots[0].series[0].values] == shown
    assert ratios.plots[0].series[0].values[-1] == 32.0


def test_force_field_chart(account):
    prs, _, plan, _ = account
    (chart,) = charts(slide(prs, "Force field"))
    ff = plan.force_field
    assert list(chart.plots[0].categories) == [f.force for f in ff.for_] + [f.force for f in ff.against]
    assert list(chart.plots[0].series[0].values) == [4, 3, -3, -2]


def test_whitespace_and_working_together_slides(account):
    prs, page, _, _ = account
    # the grid cell by cell as the HTML pack shows it (an unrecorded pair stays empty)
    assert table_rows(slide(prs, "Whitespace")) == page.tables["whitespace"]
    assert table_rows(slide(prs, "Working together"))[1:] == [
        ["Account team", "Dana Keller (key account manager); Tobias Brandt (solution architect)"],
        ["Agreed format", "one-page progress report before each quarterly review"],
        ["Agreed access", "Lena Hoff, Priya Shah and our account team"],
        ["Agreed updates", "quarterly"]]


def test_tables_match_the_html(account):
    prs, html, _, _ = account
    rows = table_rows(slide(prs, "Risks"))
    assert rows[0] == ["Risk", "L×I", "Mitigation", "Owner", "Status"]
    assert rows[1][:2] == ["The new CFO freezes the roll-out budget", "12"]  # likelihood 3 × impact 4
    decisions = table_rows(slide(prs, "Decisions"))
    assert decisions[1] == html.tables["decisions"][1]


@pytest.fixture(scope="module")
def examples_deck(tmp_path_factory):
    from typer.testing import CliRunner

    from kaplan.cli.app import app

    out = tmp_path_factory.mktemp("deck")
    cwd = os.getcwd()
    os.chdir(EXAMPLES)
    try:
        for fmt in ("pptx", "html"):
            r = CliRunner().invoke(app, ["report", "--portfolio", "-f", fmt, "--today", DAY, "-o", str(out / f"p.{fmt}")],
                                   catch_exceptions=False)
            assert r.exit_code == 0, r.output
    finally:
        os.chdir(cwd)
    return Presentation(out / "p.pptx"), Tables((out / "p.html").read_text(encoding="utf-8")).tables


def test_portfolio_deck(examples_deck):
    prs, html = examples_deck
    assert [t.split(" (")[0].split(":")[0] for t in titles(prs)] == [
        "Key account portfolio review", "Summary", "Ranking", "Portfolio matrix", "Concentration",
        "Account risk", "Account risk", "Investment allocation", "Cross-sell"]
    # the ranking's 13 one-line rows fit one slide, in the HTML's order and with its figures
    ranking = table_rows(slide(prs, "Ranking"))[1:]
    assert len(ranking) == 13
    # the risk table's reasons wrap: it goes over two slides, its rows shared evenly (7 + 6, no orphan)
    assert [len(table_rows(slide(prs, f"Account risk ({i}/2)"))) - 1 for i in (1, 2)] == [7, 6]
    for mine, theirs in zip(ranking, html["ranking"][1:], strict=True):
        # #, Account, Score | Revenue, Margin
        assert (mine[0], mine[1].rstrip(" ★"), mine[2]) == (theirs[0], theirs[1], theirs[3])
        assert (mine[6], mine[7]) == (theirs[8], theirs[9])
    (matrix,) = charts(slide(prs, "Portfolio matrix"))
    points = sum(len(s.values) for s in matrix.plots[0].series)
    assert points == 13
    assert matrix.category_axis.axis_title.text_frame.text == "our relative strength"
    # the cross-sell slide is the HTML's cross-sell table, row for row
    assert table_rows(slide(prs, "Cross-sell")) == html["cross-sell"]


def test_template_supplies_the_master(kaplan, tmp_path):
    """A company deck: 4:3, a logo text on its master and one slide of its own (which is dropped)."""
    company = Presentation()
    old = company.slides.add_slide(company.slide_layouts[5])
    old.shapes.title.text = "Old slide"
    mark = old.shapes.add_textbox(Inches(0.2), Inches(7), Inches(3), Inches(0.4))
    mark.text_frame.text = "ACME CONFIDENTIAL"
    company.slide_master.shapes._spTree.append(copy.deepcopy(mark._element))  # the API adds no shape to a master
    company.save(tmp_path / "company.pptx")
    folder = copy_plain(tmp_path / "portfolio")
    r = kaplan("report", ACCOUNT, "-f", "pptx", "--template", tmp_path / "company.pptx", "--today", DAY,
               "-o", tmp_path / "a.pptx", cwd=folder)
    assert r.exit_code == 0, r.stderr
    prs = Presentation(tmp_path / "a.pptx")
    assert prs.slide_width == Inches(10)  # the template's own size
    assert "Old slide" not in titles(prs) and titles(prs)[0] == "Acme Retail Group"
    assert any(sh.has_text_frame and sh.text_frame.text == "ACME CONFIDENTIAL"
               for sh in prs.slides[1].slide_layout.slide_master.shapes)


def test_template_that_is_not_a_deck_is_a_usage_error(kaplan, tmp_path):
    folder = copy_plain(tmp_path / "portfolio")
    (tmp_path / "not.pptx").write_text("hello", encoding="utf-8")
    for template in (tmp_path / "not.pptx", tmp_path / "missing.pptx"):
        r = kaplan("report", ACCOUNT, "-f", "pptx", "--template", template, "-o", tmp_path / "a.pptx", cwd=folder)
        assert r.exit_code == 2 and "--template" in r.stderr and "Traceback" not in r.stderr


def _documented_template(path) -> None:
    """A company deck whose document properties say things of its own: author, title, company…"""
    import datetime as dt

    company = Presentation()
    props = company.core_properties
    props.author, props.title, props.subject = "Template Author", "Secret template title", "Project Tiger"
    props.keywords, props.comments, props.category = "tiger, acquisition", "internal only", "M&A"
    props.last_modified_by, props.revision = "Template Editor", 42
    props.last_printed = dt.datetime(2020, 5, 6, 7, 8, 9)
    for part in company.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = part.blob.replace(b"<Company></Company>", b"<Company>Tiger Holdings</Company>")
    company.save(path)


@pytest.mark.parametrize("audience, author", [("internal", "Dana Keller"), ("client", "")])
def test_a_deck_carries_the_pack_s_properties_and_none_of_the_template_s(kaplan, tmp_path, audience, author):
    """The deck's title is the pack's; its author the plan's owner in an internal deck (Dana Keller in
    the fixture plan) and nobody in the client's; its dates the report's day; nothing of python-pptx's
    ("Steve Canny") or of the template's (author, title, subject, keywords, company, thumbnail)."""
    import zipfile

    _documented_template(tmp_path / "company.pptx")
    folder = copy_plain(tmp_path / "portfolio")
    for template in ([], ["--template", tmp_path / "company.pptx"]):
        out = tmp_path / f"{audience}{len(template)}.pptx"
        r = kaplan("report", ACCOUNT, "-f", "pptx", "--audience", audience, *template, "--today", DAY,
                   "-o", out, cwd=folder)
        assert r.exit_code == 0, r.stderr
        props = Presentation(out).core_properties
        pack = "account review pack" if audience == "internal" else "progress report"
        assert props.title == f"Acme Retail Group · {pack} · {DAY}"
        assert (props.author, props.last_modified_by) == (author, author)
        assert props.created.date() == props.modified.date() == TODAY
        assert (props.subject, props.keywords, props.comments, props.category) == ("", "", "", "")
        assert props.revision == 1 and props.last_printed is None
        with zipfile.ZipFile(out) as deck:
            meta = b" ".join(deck.read(n) for n in deck.namelist() if n.startswith("docProps/"))
            assert not any(n.startswith("docProps/thumbnail") for n in deck.namelist())
        for leaked in (b"Steve Canny", b"python-pptx", b"Template", b"Tiger", b"Secret", b"internal only"):
            assert leaked not in meta, leaked
