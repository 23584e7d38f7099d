"""`kaplan report`: golden packs on the fixture portfolio, and the packs agree with score and risk.

The fixture (tests/fixtures/report, three accounts) is laid out as a git repository with two
commits (see _report_repo.py) so the account pack has a last review to compare with. Goldens are
compared byte for byte; `pytest --update-goldens` rewrites them from the current output.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from _report_repo import ACCOUNT, GOLDEN, copy_plain, make_repo
from conftest import EXAMPLES, TODAY

from kaplan import score_portfolio
from kaplan.rounding import rounded
from kaplan.commands.risk import risk_report

DAY = TODAY.isoformat()


@pytest.fixture
def repo(tmp_path, monkeypatch):
    return make_repo(tmp_path / "portfolio", monkeypatch)


class Tables(HTMLParser):
    """Every <table class=…> in a page as rows of cell texts, and every element id."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.ids: list[str] = []
        self._table = self._row = self._cell = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "table":
            self._table = self.tables.setdefault(attrs.get("class", ""), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


# ---------------------------------------------------------------- goldens


@pytest.mark.parametrize("args, golden", [
    ((ACCOUNT, "--format", "html"), "account.html"),
    ((ACCOUNT, "--format", "md"), "account.md"),
    (("--portfolio", "--format", "html"), "portfolio.html"),
    (("--portfolio", "--format", "md"), "portfolio.md"),
])
def test_golden(kaplan, repo, update_goldens, args, golden):
    r = kaplan("report", *args, "--today", DAY, cwd=repo)
    assert r.exit_code == 0, r.stderr
    path = GOLDEN / golden
    if update_goldens:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(r.stdout, encoding="utf-8", newline="")
        pytest.skip(f"rewrote {path.name}")
    assert path.exists(), f"no golden {path.name}; run pytest --update-goldens"
    assert r.stdout == path.read_text(encoding="utf-8"), f"{golden} differs; if intended, pytest --update-goldens"


def test_same_output_twice(kaplan, repo):
    first = kaplan("report", "--portfolio", "--today", DAY, cwd=repo).stdout
    assert kaplan("report", "--portfolio", "--today", DAY, cwd=repo).stdout == first


# ---------------------------------------------------------------- structure and numbers


ACCOUNT_SECTIONS = ["summary", "promises", "changes", "relationships", "objectives", "opportunities", "whitespace", "actions", "force-field",
                    "financials", "customer", "kpis", "risks", "investment", "decisions"]
PORTFOLIO_SECTIONS = ["summary", "ranking", "matrix", "concentration", "risk", "investment", "cross-sell", "dates"]


def test_account_pack_sections_and_numbers(kaplan, repo):
    r = kaplan("report", ACCOUNT, "--today", DAY, cwd=repo)
    page = Tables(r.stdout)
    assert page.ids == ACCOUNT_SECTIONS
    ps = score_portfolio([repo / "plans"], today=TODAY)
    a = ps.account(ACCOUNT)
    row = next(x for x in risk_report([repo / "plans"], today=TODAY).rows if x.account_id == ACCOUNT)
    assert f'<div class="v">{a.score:.1f}</div><div class="s">rank {a.rank} of 3 · key account</div>' in r.stdout
    assert f'<div class="v">{a.tier_name}</div><div class="s">{a.quadrant} · ABC {a.abc}</div>' in r.stdout
    assert f"Why the health is {row.health.score:.0f}" in r.stdout
    signals = {s[0]: s[1] for s in page.tables["signals"][1:]}
    assert signals == {s.name.replace("_", " "): f"{rounded(s.value, 0):.0f}" for s in row.health.signals}  # half away from zero
    granted = next(x for x in ps.allocation.rows if x.account_id == ACCOUNT).granted
    assert page.tables["investment"][1][3] == f"{granted:,.0f}"
    # the weighted forecast: 300,000 × 60 % in 2026-Q4, 250,000 × 40 % in 2027-Q1; the active licence is not a deal
    assert page.tables["forecast"][1:] == [["2026-Q4", "1", "300,000", "180,000"], ["2027-Q1", "1", "250,000", "100,000"],
                                           ["Total", "", "550,000", "280,000"]]
    # overdue: cfo-intro was due 2026-11-01 and is still planned
    overdue = [row[0] for row in page.tables["actions"][1:] if "OVERDUE" in row[3]]
    assert overdue == ["Introduce Sam Ortiz to the new CFO"]
    assert "OVERDUE 23 d" in page.tables["actions"][3][3]
    # an action past due is a broken promise (the product's definition), listed with the others
    promises = r.stdout[r.stdout.index('id="promises"'):r.stdout.index("</ul>", r.stdout.index('id="promises"'))]
    assert "Promises past due (1)" in promises
    assert "action `cfo-intro` was due 2026-11-01 (23 days ago) and is still planned" in promises


def test_what_changed_since_the_last_review(kaplan, repo):
    r = kaplan("report", ACCOUNT, "--format", "md", "--today", DAY, cwd=repo)
    md = r.stdout
    changes = md[md.index("### What changed"):md.index("## Relationship map")]
    assert "as committed on 2026-07-01" in changes and "last review (2026-09-30)" in changes
    assert "Contact added: Marco Reiter (Chief Financial Officer)" in changes
    assert "**Contact gone:** Georg Lang (Chief Financial Officer)" in changes
    assert "Stores on live monitoring: 120 → 310 stores (target 640)" in changes
    assert "Energy cost per m²: 58 → 55 EUR (target 48)" in changes
    assert "Milestone reached: Pilot region live" in changes
    assert "Action done: Finish the pilot region hand-over" in changes
    assert "**Action slipped 44 days:** Plan the national roll-out with Priya Shah (due 2026-11-01 → 2026-12-15)" in changes
    assert "Action added: Introduce Sam Ortiz to the new CFO" in changes
    before, now = [line for line in changes.splitlines() if line.startswith(("| At the last review", "| Now"))]
    a = score_portfolio([repo / "plans"], today=TODAY).account(ACCOUNT)
    assert now.startswith(f"| Now | {a.score:.1f} | {a.rank} | {a.tier_name} |")


def test_no_history_says_why(kaplan, tmp_path):
    folder = copy_plain(tmp_path / "plain")
    r = kaplan("report", ACCOUNT, "--format", "md", "--today", DAY, cwd=folder)
    assert r.exit_code == 0
    assert "No comparison: " in r.stdout and "not in a git repository" in r.stdout
    r = kaplan("report", "cobalt-mining", "--format", "md", "--today", DAY, cwd=folder)
    assert "No comparison: no review is recorded" in r.stdout


def test_portfolio_pack_matches_score_and_risk(kaplan, repo):
    r = kaplan("report", "--portfolio", "--today", DAY, cwd=repo)
    page = Tables(r.stdout)
    assert page.ids == PORTFOLIO_SECTIONS
    ps = score_portfolio([repo / "plans"], today=TODAY)
    ranking = page.tables["ranking"][1:]
    assert [(row[0], row[1], row[3], row[5], row[6], row[7]) for row in ranking] == [
        (str(a.rank), a.name, f"{a.score:.1f}", a.tier_name, a.quadrant, a.abc) for a in ps.accounts]
    risk = risk_report([repo / "plans"], today=TODAY)
    assert [(row[0], row[1], row[2]) for row in page.tables["risk"][1:]] == [
        (x.health.colour.upper(), f"{x.health.score:.0f}", x.name) for x in risk.rows]
    c = ps.concentration
    assert (f"The top {c.top_accounts_pct:.0f}% of accounts ({c.top_accounts} of 3) bring "
            f"{c.top_share_pct:.1f}% of revenue.") in r.stdout
    assert [row[6] for row in page.tables["allocation"][1:]] == [f"{x.granted:,.0f}" for x in ps.allocation.rows]
    assert [row[0] for row in page.tables["renewals"][1:]] == ["Borealis Logistics", "Acme Retail Group"]
    # Acme is in the strategic tier (monthly reviews): 55 days since its last review is stale
    assert [row[0] for row in page.tables["stale"][1:]] == ["Borealis Logistics", "Acme Retail Group"]
    # Cobalt Mining has never been reviewed and is not yet due: not stale, in a table of its own
    assert [row[0] for row in page.tables["unreviewed"][1:]] == ["Cobalt Mining"]
    assert r.stdout.count('<svg class="chart') == 2


# ---------------------------------------------------------------- the command


def test_out_file_folder_and_all(kaplan, repo, tmp_path):
    r = kaplan("report", ACCOUNT, "--out", str(tmp_path / "pack.html"), "--today", DAY, cwd=repo)
    assert r.exit_code == 0 and r.stdout == ""
    assert (tmp_path / "pack.html").read_text().startswith("<!doctype html>")
    r = kaplan("report", "--all", "--format", "md", "--out", str(tmp_path / "packs"), "--today", DAY, cwd=repo)
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "packs").iterdir()) == [
        "acme-retail.md", "borealis-logistics.md", "cobalt-mining.md"]
    r = kaplan("report", "--portfolio", "--out", str(tmp_path / "packs"), "--today", DAY, cwd=repo)
    assert (tmp_path / "packs" / "portfolio.html").is_file()


def test_never_writes_over_a_plan(kaplan, repo):
    plan = repo / "plans" / f"{ACCOUNT}.yaml"
    before = plan.read_bytes()
    for target in (plan, repo / "kaplan.yaml", repo / "other.yml"):
        r = kaplan("report", ACCOUNT, "--out", str(target), "--today", DAY, cwd=repo)
        assert r.exit_code == 2 and "never written over" in r.stderr  # a usage refusal
    assert plan.read_bytes() == before


@pytest.mark.parametrize("args, message", [
    ((), "name one ACCOUNT"),
    ((ACCOUNT, "--portfolio"), "name one ACCOUNT"),
    (("--all",), "--out FOLDER"),
    ((ACCOUNT, "--format", "docx"), "unknown format 'docx'; choose html, md"),
    (("nobody",), "no plan for account 'nobody'"),
    ((ACCOUNT, "--today", "someday"), "not a date"),
    ((ACCOUNT, "--templates", "/no/such/folder"), "no such folder"),
])
def test_usage_errors_exit_2(kaplan, repo, args, message):
    r = kaplan("report", *args, cwd=repo)
    assert r.exit_code == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_a_plan_with_errors_is_refused(kaplan, repo):
    (repo / "plans" / "cobalt-mining.yaml").write_text("kaplan: 1\naccount: {id: cobalt-mining}\n")
    r = kaplan("report", "cobalt-mining", "--today", DAY, cwd=repo)
    assert r.exit_code == 1 and "has errors" in r.stderr
    # the portfolio pack is made without it, names it, and says so by its exit code (1)...
    r = kaplan("report", "--portfolio", "--format", "md", "--today", DAY, cwd=repo)
    assert r.exit_code == 1 and "Left out because their plans have errors" in r.stdout
    assert "plans/cobalt-mining.yaml" in r.stderr and "--skip-invalid" in r.stderr
    # ...unless leaving it out is what the user asked for
    r = kaplan("report", "--portfolio", "--format", "md", "--today", DAY, "--skip-invalid", cwd=repo)
    assert r.exit_code == 0 and "Left out because their plans have errors" in r.stdout


def test_report_render_stays_the_function_after_it_is_used():
    """`kaplan.report.render` is the library's function, before and after a first render (a module of
    the same name used to take its place once imported)."""
    from kaplan import report

    snap = report.snapshot([EXAMPLES / "plans"], today=TODAY)
    first = report.render(report.portfolio_pack(snap), "md")
    assert callable(report.render) and report.render(report.portfolio_pack(snap), "md") == first


def test_out_dash_is_standard_output(kaplan, repo):
    """`-o -` means standard output, as for most tools: the pack is printed, no file named `-` appears."""
    to_stdout = kaplan("report", ACCOUNT, "-f", "md", "--today", TODAY, cwd=repo)
    dashed = kaplan("report", ACCOUNT, "-f", "md", "--today", TODAY, "-o", "-", cwd=repo)
    assert dashed.exit_code == 0
    assert dashed.stdout == to_stdout.stdout and dashed.stdout.startswith("#")
    assert not (repo / "-").exists()
    many = kaplan("report", "--all", "--today", TODAY, "-o", "-", cwd=repo)
    assert many.exit_code == 2 and "--out FOLDER" in many.stderr
