"""Review packs escape everything a plan says, and templates cannot reach past their sandbox.

Every free-text field of a plan gets HTML, JavaScript and Jinja payloads; both packs in both formats
must show them as text. The Markdown is parsed with markdown-it-py (CommonMark with GFM tables) and
rendered with raw HTML allowed, so anything that slipped through would show up as a tag.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from _report_repo import ACCOUNT, copy_plain, poison
from conftest import TODAY

DAY = TODAY.isoformat()
PAYLOAD = "<script>alert(1)</script> \"><img src=x onerror=alert(1)> javascript:alert(1) {{ 7*7 }} {% raw %} a|b"


@pytest.fixture
def poisoned(tmp_path):
    folder = copy_plain(tmp_path / "portfolio")
    assert poison(folder, PAYLOAD) > 60  # names, titles, notes, comments, descriptions, lists of text…
    return folder


class Audit(HTMLParser):
    """Tags, attributes and text of a page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text = [], [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def assert_inert(html: str) -> None:
    page = Audit(html)
    assert not {"script", "img", "iframe", "object", "embed", "link", "a", "form", "base"} & set(page.tags)
    for name, value in page.attrs:
        assert not name.startswith("on"), (name, value)
        assert name not in ("href", "src", "action", "formaction", "xlink:href"), (name, value)
        assert "javascript:" not in (value or "").lower(), (name, value)
    text = "".join(page.text)
    assert PAYLOAD.replace(" a|b", "") in " ".join(text.split())  # shown as written
    assert not re.search(r"(?<![\d.,])49(?![\d.,%])", text), "a Jinja expression from the plan was evaluated"


@pytest.mark.parametrize("args", [(ACCOUNT,), ("--portfolio",)])
def test_html_shows_payloads_as_text(kaplan, poisoned, args):
    r = kaplan("report", *args, "--format", "html", "--today", DAY, cwd=poisoned)
    assert r.exit_code == 0, r.stderr
    assert "<script" not in r.stdout.lower() and "<img" not in r.stdout.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.stdout
    assert "{{ 7*7 }}" in r.stdout and "{% raw %}" in r.stdout
    assert_inert(r.stdout)


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


@pytest.mark.parametrize("args", [(ACCOUNT,), ("--portfolio",)])
def test_markdown_shows_payloads_as_text(kaplan, poisoned, args):
    r = kaplan("report", *args, "--format", "md", "--today", DAY, cwd=poisoned)
    assert r.exit_code == 0, r.stderr
    md = r.stdout
    assert "<script" not in md and "<img" not in md
    tokens = _markdown().parse(md)
    assert not [t for t in tokens if t.type == "html_block"]
    inline = [c for t in tokens if t.children for c in t.children]
    assert not [c for c in inline if c.type in ("html_inline", "link_open", "image")]
    assert_inert(_markdown().render(md))
    # every table row has exactly the header's cells: no `|` from plan text split a cell
    for block in re.findall(r"(?:^\|.*\|\n)+", md, re.M):
        rows = block.splitlines()
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(widths) == 1, block


def test_markdown_tables_parse_as_tables(kaplan, tmp_path):
    folder = copy_plain(tmp_path / "portfolio")
    for args, least in (((ACCOUNT,), 14), (("--portfolio",), 8)):
        md = kaplan("report", *args, "--format", "md", "--today", DAY, cwd=folder).stdout
        tokens = _markdown().parse(md)
        tables = [t for t in tokens if t.type == "table_open"]
        assert len(tables) >= least
        assert len(tables) == len(re.findall(r"^\|(?=.*-)[-:| ]+\|$", md, re.M))  # every table in the text parsed as one


def test_mermaid_labels_are_escaped(kaplan, poisoned):
    md = kaplan("report", ACCOUNT, "--format", "md", "--today", DAY, cwd=poisoned).stdout
    block = md[md.index("```mermaid"):md.index("```", md.index("```mermaid") + 3) + 3]
    labels = re.findall(r'^  c\d+\["(.*)"\]$', block, re.M)
    assert labels, block
    for label in labels:
        inner = label.replace("<br/>", "")
        assert not set(inner) & set('"<>[]{}`|\\'), label
    assert block.count("```") == 2


# ---------------------------------------------------------------- user templates


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__ }}",
    "{{ pack.plan.__class__.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{{ c }}{% endfor %}",
])
def test_a_template_cannot_leave_the_sandbox(kaplan, tmp_path, source):
    folder = copy_plain(tmp_path / "portfolio")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "account.html.j2").write_text(source)
    r = kaplan("report", ACCOUNT, "--templates", str(mine), "--today", DAY, cwd=folder)
    assert r.exit_code == 2
    assert "sandboxed" in r.stderr and "account.html.j2:1" in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_user_templates_override_single_files(kaplan, tmp_path):
    folder = copy_plain(tmp_path / "portfolio")
    mine = tmp_path / "mine"
    (mine / "partials").mkdir(parents=True)
    (mine / "partials" / "report.css").write_text("body { color: #123456; }\n")
    (mine / "portfolio.md.j2").write_text("# {{ pack.accounts|length }} accounts for <{{ pack.accounts[0].score.name }}>\n")
    html = kaplan("report", ACCOUNT, "--templates", str(mine), "--today", DAY, cwd=folder).stdout
    assert "body { color: #123456; }" in html and '<section class="page first" id="summary">' in html
    md = kaplan("report", "--portfolio", "--format", "md", "--templates", str(mine), "--today", DAY, cwd=folder)
    assert md.stdout == "# 3 accounts for <Acme Retail Group>\n"


def test_user_html_templates_autoescape(kaplan, tmp_path):
    folder = copy_plain(tmp_path / "portfolio")
    plan = folder / "plans" / f"{ACCOUNT}.yaml"
    plan.write_text(plan.read_text().replace("name: Acme Retail Group", "name: '<b>Acme</b>'"))
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "account.html.j2").write_text("<h1>{{ pack.plan.account.name }}</h1>\n")
    r = kaplan("report", ACCOUNT, "--templates", str(mine), "--today", DAY, cwd=folder)
    assert r.stdout == "<h1>&lt;b&gt;Acme&lt;/b&gt;</h1>\n"


@pytest.mark.parametrize("source, message", [
    ("{{ pack.no_such_thing }}", "no_such_thing"),
    ("{% if %}", "template syntax error"),
    ("{% include 'missing.html.j2' %}", "missing.html.j2 not found"),
    ("{{ 1 / 0 }}", "ZeroDivisionError"),
])
def test_template_mistakes_are_usage_errors(kaplan, tmp_path, source, message):
    folder = copy_plain(tmp_path / "portfolio")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "account.html.j2").write_text(source)
    r = kaplan("report", ACCOUNT, "--templates", str(mine), "--today", DAY, cwd=folder)
    assert r.exit_code == 2 and message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
