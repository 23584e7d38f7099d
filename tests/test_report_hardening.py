"""Review packs against the payloads test_report_safety.py does not carry: Markdown's own syntax.

test_report_safety.py puts HTML, `javascript:` and Jinja payloads into every free-text field. Here
the payload is Markdown itself — links and autolinks to `javascript:`, an image that would call out
to a server when the pack is opened (a tracking pixel), a forged heading and table row after a line
break, a code fence that would swallow the rest of the pack — plus ways out of the template sandbox
through `str.format`, Jinja's globals, `include` paths outside the template folders, and huge ranges.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from _report_repo import ACCOUNT, copy_plain, poison as _poison
from conftest import TODAY

DAY = TODAY.isoformat()
MARKDOWN = ("[click](javascript:alert(1)) <javascript:alert(2)> ![px](https://tracker.example/p.png) "
            "[ref]: https://tracker.example <https://tracker.example/x> <svg onload=alert(3)> "
            "</style><style>*{display:none}</style> <!-- hidden --> &lt;b&gt; ```\n# Forged heading\n| x | y |")


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    """The four packs (account/portfolio × md/html) of the fixture portfolio poisoned with MARKDOWN."""
    from typer.testing import CliRunner

    from kaplan.cli.app import app

    folder = copy_plain(tmp_path_factory.mktemp("poisoned") / "portfolio")
    assert _poison(folder, MARKDOWN) > 60
    out = {}
    runner = CliRunner()
    cwd = __import__("os").getcwd()
    try:
        __import__("os").chdir(folder)
        for fmt in ("md", "html"):
            for which in (ACCOUNT, "--portfolio"):
                r = runner.invoke(app, ["report", which, "--format", fmt, "--today", DAY], catch_exceptions=False)
                assert r.exit_code == 0, r.output
                out[fmt, which] = r.stdout
    finally:
        __import__("os").chdir(cwd)
    return out


@pytest.mark.parametrize("which", [ACCOUNT, "--portfolio"])
def test_markdown_syntax_in_plan_text_stays_text(packs, which):
    md = packs["md", which]
    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    tokens = parser.parse(md)
    inline = [c for t in tokens for c in (t.children or [])]
    assert not [c for c in inline if c.type in ("link_open", "image", "html_inline")]
    assert not [t for t in tokens if t.type == "html_block"]
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert not [h for h in headings if h.startswith("Forged")], headings  # the line break did not start one
    assert md.count("```") % 2 == 0  # no fence opened by plan text
    html = parser.render(md)
    assert "javascript:" not in re.sub(r"&[a-z]+;|[^<]*", "", html)  # only in text, never in a tag
    assert "tracker.example" not in " ".join(re.findall(r"<[^>]+>", html))


@pytest.mark.parametrize("which", [ACCOUNT, "--portfolio"])
def test_html_never_refers_to_anything_outside_the_file(packs, which):
    html = packs["html", which]
    tags = re.findall(r"<[a-zA-Z][^>]*>", html)
    assert not [t for t in tags if re.search(r"\s(src|href|action|srcset|poster|data)\s*=", t, re.I)
                and not re.search(r"""=\s*["']?(#|data:image/svg\+xml)""", t)], "a reference to another resource"
    assert "<svg onload" not in html and "</style><style>" not in html
    assert "tracker.example" in html  # the text itself is still shown


@pytest.mark.parametrize("source", [
    "{{ '{0.__class__.__mro__}'.format(pack) }}",
    "{{ '%s'|format(pack.__class__.__mro__) }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ pack.plan.__dict__ }}",
    "{{ pack.plan.__pydantic_validator__ }}",
])
def test_more_ways_out_of_the_sandbox_are_closed(kaplan, tmp_path, source):
    folder = copy_plain(tmp_path / "portfolio")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "account.html.j2").write_text(source)
    r = kaplan("report", ACCOUNT, "--templates", str(mine), "--today", DAY, cwd=folder)
    assert (r.exit_code, r.stdout) == (2, "")
    assert "may not do" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("include", ["../secret.txt", "{secret}", "/etc/passwd"])
def test_a_template_cannot_include_files_outside_the_template_folders(kaplan, tmp_path, include):
    folder = copy_plain(tmp_path / "portfolio")
    (tmp_path / "secret.txt").write_text("TOP-SECRET")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "account.html.j2").write_text("{% include '" + include.format(secret=tmp_path / "secret.txt") + "' %}")
    r = kaplan("report", ACCOUNT, "--templates", str(mine), "--today", DAY, cwd=folder)
    assert r.exit_code == 2 and "not found" in r.stderr
    assert "TOP-SECRET" not in r.stdout + r.stderr and "root:" not in r.stdout


def test_a_template_cannot_loop_forever_over_a_huge_range(kaplan, tmp_path):
    folder = copy_plain(tmp_path / "portfolio")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "account.html.j2").write_text("{% for i in range(10**12) %}{% endfor %}")
    r = kaplan("report", ACCOUNT, "--templates", str(mine), "--today", DAY, cwd=folder)
    assert r.exit_code == 2 and "Range too big" in r.stderr


def _grid_plan(folder, n: int) -> None:
    """A portfolio in `folder` whose plan `big` has `n` whitespace cells, each a unit and an offering of its own."""
    cells = "".join(f"  - {{unit: u{i}, offering: o{i}, status: gap}}\n" for i in range(n))
    (folder / "kaplan.yaml").write_text("kaplan: 1\n")
    (folder / "plans").mkdir()
    (folder / "plans" / "big.yaml").write_text(
        "kaplan: 1\naccount: {id: big, name: Big}\nplan: {owner: Jo}\nwhitespace:\n" + cells)


def test_a_huge_whitespace_grid_is_drawn_bounded_and_counted_whole(kaplan, tmp_path):
    """3,000 cells, each a unit and an offering of its own, would be a 3,000 × 3,000 drawing: the pack
    draws the first 50 of each (`capped.ROWS_SHOWN`), counts all 3,000 cells, and the cross-sell view takes every offering
    once, however it is spelt."""
    from kaplan.report.capped import ROWS_SHOWN as DRAWN

    n = 3000
    _grid_plan(tmp_path, n)
    (tmp_path / "plans" / "small.yaml").write_text(
        "kaplan: 1\naccount: {id: small, name: Small}\nplan: {owner: Jo}\nwhitespace:\n"
        "  - {unit: HQ, offering: Field Service, status: owned}\n"
        "  - {unit: Plant, offering: field  service, status: gap}\n")
    md = kaplan("report", "big", "--format", "md", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert md.exit_code == 0
    assert len(md.stdout) < 200_000
    assert f"{n - DRAWN} more units and {n - DRAWN} more offerings are counted but not drawn" in md.stdout
    assert f"Cells recorded: {n} (" in md.stdout and f"Open white space: {n} cells**" in md.stdout
    portfolio = kaplan("report", "--portfolio", "--format", "md", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert portfolio.exit_code == 0
    reach = [line for line in portfolio.stdout.splitlines() if line.lower().startswith("| field")]
    assert len(reach) == 1, reach  # "Field Service" and "field  service": one offering, won in Small


def test_a_reporting_chain_of_any_length_renders_in_every_format(kaplan, tmp_path):
    """People each reporting to the one before (400 broke the HTML pack, 1,500 every format): the org
    chart draws ORG_DEPTH levels and lists everyone deeper under the last of them."""
    from kaplan.report.account import ORG_DEPTH, org_chart
    from kaplan.model.plan import Contact

    n = 400
    people = "".join(f"    - {{id: p{i}, name: P{i}" + (f", reports_to: p{i - 1}" if i else "") + "}\n"
                     for i in range(n))
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\n")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "chain.yaml").write_text(
        "kaplan: 1\naccount: {id: chain, name: Chain}\nplan: {owner: Jo}\nrelationships:\n  contacts:\n" + people)
    for args in (("-f", "md"), ("-f", "html"), ("-f", "md", "--audience", "client")):
        r = kaplan("report", "chain", *args, "--today", TODAY.isoformat(), cwd=tmp_path)
        assert r.exit_code == 0 and "Traceback" not in r.stdout + r.stderr, args
        if args == ("-f", "md"):
            # the first 50 contacts, as the HTML table draws them, then how many more: 400 - 50 = 350
            assert "| P49 |" in r.stdout and "P50" not in r.stdout and "| … and 350 more |" in r.stdout
        elif args == ("-f", "html"):  # the first 50 people drawn, then how many more: 400 - 50 = 350
            assert "P49<" in r.stdout and "P50<" not in r.stdout and "… and 350 more" in r.stdout
    n = 1500
    forest = org_chart([Contact(id=f"p{i}", name=f"P{i}", reports_to=f"p{i - 1}" if i else None) for i in range(n)])
    depth, node = 1, forest[0]
    while node.children:
        depth, node = depth + 1, node.children[0]
    assert depth == ORG_DEPTH and len(node.children) == 0
    last_level = forest[0]
    for _ in range(ORG_DEPTH - 2):
        last_level = last_level.children[0]
    assert len(last_level.children) == n - (ORG_DEPTH - 1)  # everyone below the drawn levels, flat


@pytest.mark.parametrize("day", ["0001-01-15", "0001-12-31", "9999-12-31"])
def test_a_pack_on_the_calendar_s_first_or_last_days_is_refused_plainly(kaplan, tmp_path, day):
    """No figure can be worked out there (a cadence after 9999-12-31, a quarter before year 1): the day
    is refused as a usage error; tests/test_extreme_dates.py makes every pack on 1900's and 2199's ends."""
    copy_plain(tmp_path)
    run = kaplan("report", ACCOUNT, "--today", day, "--format", "md", "--out", str(tmp_path / "pack.md"), cwd=tmp_path)
    assert run.exit_code == 2, run.stdout
    assert f"--today {day} is not a plausible date: kaplan works with the years 1900-2199" in run.stderr
    assert not (tmp_path / "pack.md").exists()


def test_the_deck_s_whitespace_grid_says_what_it_leaves_out(kaplan, tmp_path):
    from pptx import Presentation

    from kaplan.report.capped import ROWS_SHOWN as DRAWN

    n = 60
    _grid_plan(tmp_path, n)
    run = kaplan("report", "big", "-f", "pptx", "--today", TODAY.isoformat(), "-o", tmp_path / "d.pptx", cwd=tmp_path)
    assert run.exit_code == 0, run.stdout
    cells_text = [c.text for s in Presentation(tmp_path / "d.pptx").slides for sh in s.shapes if sh.has_table
                  for row in sh.table.rows for c in row.cells]
    assert f"Drawn: the first {DRAWN} buying units and {DRAWN} offerings; {n - DRAWN} more units and " \
           f"{n - DRAWN} more offerings are counted but not drawn." in cells_text
