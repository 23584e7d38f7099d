"""Plan text reaches terminals, CI logs and programs as text that cannot act on them.

A plan under review reads `"\\e]0;pwned\\a"` as a harmless escape; what it stands for must not
retitle the reader's terminal, `[/x]` must not be read as rich markup (it used to stop `score` and
`risk` with a MarkupError), `[link=…]` must not become a clickable link, and nothing may start a
GitHub workflow command (`::error …` at the start of a line, `##[…]` anywhere in one).
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import TODAY

# What a hostile pull request can put in a plan. In YAML's double quotes these escapes are legal and
# read innocently in a diff; HOSTILE_VALUE is the Python string they stand for.
HOSTILE_YAML = ('"[/x] Acme [link=https://evil.example/x]click[/link] [bold red]loud[/] '
                '\\e]0;pwned\\a\\e[2J \\x9b31m \\u202egnp.exe ##[add-mask]Acme \\u2028::error::forged"')
HOSTILE_VALUE = ("[/x] Acme [link=https://evil.example/x]click[/link] [bold red]loud[/] "
                 "\x1b]0;pwned\x07\x1b[2J \x9b31m \u202egnp.exe ##[add-mask]Acme \u2028::error::forged")

PLAN = f"""\
kaplan: 1
account:
  id: acme
  name: {HOSTILE_YAML}
plan:
  owner: {HOSTILE_YAML}
relationships: {{strength: 3}}  # a criterion with a value: the account has a score, and its request a place
investment:
  - id: more-people
    description: {HOSTILE_YAML}
    amount: 1000
voice_of_customer:
  nps:
    - date: 2026-11-20
      respondent: {HOSTILE_YAML}
      score: 3
"""

# Raw characters that act on a terminal or a log: C0 but tab and line feed, DEL, C1, bidi controls,
# line and paragraph separators.
SHOWN = ("[/x] Acme [link=https://evil.example/x]click[/link] [bold red]loud[/] \\x1b]0;pwned\\x07\\x1b[2J "
         "\\x9b31m \\u202egnp.exe #\\x23[add-mask]Acme \\u2028::error::forged")
"""HOSTILE_VALUE as every view shows it: markup as text, controls as escapes, `##[` broken."""

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")  # colour and bold, which rich itself writes on a terminal


@pytest.fixture
def hostile(tmp_path, write):
    write("kaplan.yaml", "kaplan: 1\nscoring: {budget: {available: 5000}}\n")  # a budget: the allocation shows its statuses
    write("plans/acme.yaml", PLAN)
    return tmp_path


def assert_inert_for_a_terminal(out: str) -> None:
    assert "Traceback" not in out and "MarkupError" not in out
    assert "\x1b]8;" not in out, "plan text made a terminal hyperlink"
    assert not RAW.search(SGR.sub("", out)), repr(RAW.search(SGR.sub("", out)))
    assert "##[" not in out
    assert not [line for line in out.splitlines() if line.lstrip().startswith("::")]


@pytest.mark.parametrize("args", [
    pytest.param(("score",), id="score"),
    pytest.param(("score", "--explain", "acme"), id="score-explain"),
    pytest.param(("score", "--budget"), id="score-budget"),
    pytest.param(("risk", "--today", TODAY.isoformat()), id="risk"),
    pytest.param(("check", "--today", TODAY.isoformat()), id="check"),
])
@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
def test_views_show_plan_text_as_written_and_inert(kaplan, hostile, args, terminal):
    env = {"FORCE_COLOR": "1", "NO_COLOR": None, "COLUMNS": "200"} if terminal else {}
    r = kaplan(*args, cwd=hostile, env=env)
    assert r.exit_code in (0, 1), r.stdout + r.stderr
    assert_inert_for_a_terminal(r.stdout + r.stderr)
    shown = SGR.sub("", r.stdout)
    if args[0] == "check":  # a finding's message: one line
        assert SHOWN in shown
    else:  # a table cell wraps, and may cut a long word short with an ellipsis
        assert all(part in shown for part in SHOWN.split() if len(part) < 25), shown


@pytest.mark.parametrize("args", [
    pytest.param(("score", "--format", "markdown"), id="score"),
    pytest.param(("score", "--explain", "acme", "--format", "markdown"), id="score-explain"),
    pytest.param(("score", "--budget", "--format", "markdown"), id="score-budget"),
    pytest.param(("risk", "--format", "markdown", "--today", TODAY.isoformat()), id="risk"),
])
def test_markdown_views_are_inert_in_a_terminal_and_a_job_summary(kaplan, hostile, args):
    """Markdown is read on terminals and published as CI job summaries (the Monday risk report): plan
    text shows its controls as escapes there too."""
    r = kaplan(*args, cwd=hostile)
    assert r.exit_code in (0, 1), r.stdout + r.stderr
    assert_inert_for_a_terminal(r.stdout + r.stderr)
    assert "\\\\x1b" in r.stdout  # the escape is shown, its backslash escaped for Markdown


# ---------------------------------------------------------------- machine outputs


@pytest.mark.parametrize("args", [
    pytest.param(("check", "--format", "json", "--today", TODAY.isoformat()), id="check-json"),
    pytest.param(("check", "--format", "sarif", "--today", TODAY.isoformat()), id="check-sarif"),
    pytest.param(("score", "--format", "json"), id="score-json"),
    pytest.param(("score", "--budget", "--format", "json"), id="budget-json"),
    pytest.param(("risk", "--format", "json", "--today", TODAY.isoformat()), id="risk-json"),
])
def test_json_carries_values_exactly_in_bytes_that_are_inert(kaplan, hostile, args):
    r = kaplan(*args, cwd=hostile)
    assert not RAW.search(r.stdout), repr(RAW.search(r.stdout))
    assert "##[" not in r.stdout
    strings = []

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            strings.append(value)

    walk(json.loads(r.stdout))
    assert any(HOSTILE_VALUE in s for s in strings), "a program reading the JSON gets the value as the plan has it"


def test_github_annotations_keep_plan_text_out_of_the_log(kaplan, hostile):
    r = kaplan("check", "--format", "github", "--today", TODAY.isoformat(), cwd=hostile)
    assert r.exit_code == 0  # one warning: the detractor without a follow-up
    lines = r.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith("::warning file=plans/acme.yaml,line=")
    assert not RAW.search(r.stdout) and "##[" not in r.stdout
    message = lines[0].split("::", 2)[2]
    assert message.startswith("[/x] Acme [link=https://evil.example/x]click[/link] [bold red]loud[/] "
                              "\\x1b]0;pwned\\x07\\x1b[2J \\x9b31m \\u202egnp.exe #\\x23[add-mask]Acme "
                              "\\u2028::error::forged scored 3 on 2026-11-20")


def test_a_kaplan_yaml_key_cannot_forge_workflow_commands(kaplan, write, tmp_path):
    write("plans/acme.yaml", "kaplan: 1\naccount:\n  id: acme\n  name: Acme\nplan:\n  owner: Jo\n")
    write("kaplan.yaml", '"x\\n::error file=a,line=1::forged\\n::add-mask::Acme\\r::stop-commands::t": 1\n')
    for args in (("check",), ("check", "--format", "github"), ("score",), ("risk",), ("report", "acme")):
        r = kaplan(*args, cwd=tmp_path)
        assert r.exit_code == 2, args
        lines = r.stderr.splitlines()
        assert len(lines) == 2 and lines[0].startswith("kaplan.yaml:1:1: error [unknown-key] unknown key `x\\x0a")
        assert "\\x0a::error file=a,line=1::forged\\x0a::add-mask::Acme\\x0d::stop-commands::t" in lines[0]
        assert lines[1].startswith("    hint: ")


def test_a_file_name_cannot_act_on_the_terminal_in_command_messages(kaplan, write, tmp_path):
    write("kaplan.yaml", "kaplan: 1\n")
    write("plans/acme.yaml", "kaplan: 1\naccount:\n  id: acme\n  name: Acme\nplan:\n  owner: Jo\n")
    write("plans/\x1b]0;pwned\x07.yaml", "kaplan: 1\naccount: [\n")
    r = kaplan("score", cwd=tmp_path)
    assert r.exit_code == 1  # a plan with errors is left out of the ranking
    assert "kaplan: 1 plan with errors left out of the ranking: plans/\\x1b]0;pwned\\x07.yaml;" in r.stderr
    assert not RAW.search(r.stderr)


# ---------------------------------------------------------------- review packs on standard output


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    """The report fixture portfolio with HOSTILE_VALUE in every free-text field of acme-retail's plan."""
    from _report_repo import copy_plain, poison

    folder = copy_plain(tmp_path_factory.mktemp("hostile") / "portfolio")
    assert poison(folder, HOSTILE_VALUE) > 60
    return folder


@pytest.fixture(scope="module")
def hostile_packs(hostile_report):
    """Both packs in both formats, from `hostile_report`."""
    import os

    from typer.testing import CliRunner

    from _report_repo import ACCOUNT
    from kaplan.cli.app import app

    folder = hostile_report
    out, cwd = {}, os.getcwd()
    try:
        os.chdir(folder)
        for fmt in ("md", "html"):
            for which in (ACCOUNT, "--portfolio"):
                r = CliRunner().invoke(app, ["report", which, "--format", fmt, "--today", TODAY.isoformat()],
                                       catch_exceptions=False)
                assert r.exit_code == 0, r.output
                out[fmt, which] = r.stdout
    finally:
        os.chdir(cwd)
    return out


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("which", ["acme-retail", "--portfolio"])
def test_packs_written_to_standard_output_are_inert(hostile_packs, fmt, which):
    text = hostile_packs[fmt, which]
    assert not RAW.search(text), repr(text[max(0, RAW.search(text).start() - 40):RAW.search(text).end() + 40])
    assert "##[" not in text
    assert not [line for line in text.splitlines() if line.lstrip().startswith("::")]
    # shown as escapes, as in the terminal (Markdown doubles the backslash, which renders as one)
    assert ("\\x1b]0;pwned" if fmt == "html" else "\\\\x1b\\]0;pwned") in text


def test_shell_completion_offers_no_name_the_terminal_would_act_on(tmp_path, write, monkeypatch):
    from kaplan.cli import completion as _completion

    write("kaplan.yaml", "kaplan: 1\n")
    write("plans/acme.yaml", "kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Jo}\n")
    write("plans/\x1b]0;pwned\x07.yaml", "kaplan: 1\n")
    write("plans/beta.yaml", "kaplan: 1\naccount: {id: beta, name: B}\nplan: {owner: Max\x1b[2J Kay}\n")
    monkeypatch.chdir(tmp_path)
    assert _completion.account_ids("") == ["acme", "beta"]
    assert _completion.owners("") == ["Jo"]


def test_a_file_name_cannot_forge_or_act_in_github_annotations(kaplan, write, tmp_path):
    write("kaplan.yaml", "kaplan: 1\n")
    write("plans/z\x1b]0;T\x07##[error]x\u202e.yaml", "kaplan: 1\naccount: {id: q}\n")
    r = kaplan("check", "--format", "github", cwd=tmp_path)
    assert r.exit_code == 1
    annotation = r.stdout.splitlines()[0]
    assert annotation.startswith("::error file=plans/z\\x1b]0;T\\x07#\\x23[error]x\\u202e.yaml,line=")
    assert not RAW.search(r.stdout) and "##[" not in r.stdout


def test_invisible_marks_are_shown_not_passed_through(kaplan, write, tmp_path):
    """Zero-width and direction marks and tag characters hide or reorder what a line says."""
    write("plans/acme.yaml", "kaplan: 1\naccount: {id: acme, name: Acme, "
                             "\"c\u200bo\u200fl\u061co\u2060u\ufeffr\U000e0041\": red}\nplan: {owner: Jo}\n")
    r = kaplan("check", "--format", "github", cwd=tmp_path)
    r2 = kaplan("check", cwd=tmp_path)
    for out in (r.stdout, r2.stdout):
        assert "c\\u200bo\\u200fl\\u061co\\u2060u\\ufeffr\\U000e0041" in out, out  # the unknown key, shown
        assert not re.search("[\u200b\u200e\u200f\u061c\u2060\ufeff\U000e0041]", out), out


def _office_text(kind: str, data: bytes) -> str:
    """Every text a workbook's cells or a deck's shapes and tables hold."""
    import io

    if kind == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data))
        return "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
                         if isinstance(c.value, str))
    from pptx import Presentation

    out = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if shape.has_table:
                out += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(out)


@pytest.mark.parametrize("fmt, audience", [("xlsx", "internal"), ("xlsx", "client"), ("pptx", "internal"),
                                           ("pptx", "client")])
def test_workbooks_and_decks_show_control_characters_as_escapes(kaplan, hostile_report, tmp_path, fmt, audience):
    pytest.importorskip("openpyxl" if fmt == "xlsx" else "pptx")
    out = tmp_path / f"acme.{fmt}"
    r = kaplan("report", "acme-retail", "--format", fmt, "--audience", audience, "--out", out,
               "--today", TODAY.isoformat(), cwd=hostile_report)
    assert r.exit_code == 0, r.stderr
    text = _office_text(fmt, out.read_bytes())
    assert not RAW.search(text), repr(RAW.search(text))
    assert "\\x1b]0;pwned\\x07\\x1b[2J \\x9b31m \\u202egnp.exe" in text


def test_json_gives_back_every_character_it_escapes(kaplan, write, tmp_path):
    """Tag characters lie past U+FFFF: JSON escapes them as a surrogate pair, or a program gets garbage."""
    write("plans/acme.yaml", "kaplan: 1\naccount: {id: acme, name: Acme, "
                             "\"c\u200bo\u202el\U000e0041\U000e007fo\x85r\": red}\nplan: {owner: Jo}\n")
    r = kaplan("check", "--format", "json", cwd=tmp_path)
    assert not re.search("[\x7f-\x9f\u200b\u202e\U000e0000-\U000e007f]", r.stdout)
    messages = [f["message"] for f in json.loads(r.stdout)["findings"]]
    assert any("c\u200bo\u202el\U000e0041\U000e007fo\x85r" in m for m in messages), messages


def test_every_character_that_shows_nothing_is_shown_as_an_escape(kaplan, write, tmp_path):
    """The soft hyphen, fillers, deprecated format controls and variation selectors show nothing and
    can carry hidden data; an emoji keeps the selector for its colour form (U+FE0F)."""
    hidden = "\u00ad\u034f\u115f\u3164\uffa0\u180e\u206a\ufff9\ufe00\U000e0100"
    write("plans/acme.yaml", "kaplan: 1\naccount: {id: acme, name: Acme, \"k" + hidden + "\": red}\nplan: {owner: Jo}\n")
    for args in (("check", "--format", "github"), ("check",), ("check", "--format", "json")):
        out = kaplan(*args, cwd=tmp_path).stdout
        assert not re.search(f"[{hidden}]", out), (args, out)
    shown = kaplan("check", cwd=tmp_path).stdout
    assert "k\\xad\\u034f\\u115f\\u3164\\uffa0\\u180e\\u206a\\ufff9\\ufe00\\U000e0100" in shown
    from kaplan.views.safe_text import visible

    assert visible("love \u2764\ufe0f") == "love \u2764\ufe0f"


def _strings(doc):
    if isinstance(doc, str):
        yield doc
    elif isinstance(doc, dict):
        for k, v in doc.items():
            yield k
            yield from _strings(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from _strings(v)


@pytest.mark.skipif(__import__("sys").platform in ("darwin", "win32"),
                    reason="macOS and Windows refuse file names that are not UTF-8")
@pytest.mark.parametrize("command", [("check",), ("score",), ("risk",)])
def test_json_carries_a_file_name_that_is_not_utf8_as_valid_utf8(kaplan, write, tmp_path, command):
    """`plans/\\xffacme.yaml` reached JSON as `"plans/\\udcffacme.yaml"`: a lone surrogate, which a strict
    parser (and any UTF-8 decoder) refuses. It is written as the text `\\xff`, as the text output shows it."""
    import os

    write("kaplan.yaml", "kaplan: 1\n")
    name = os.fsdecode(b"\xffacme.yaml")  # the byte 0xff, as Python holds it: '\udcff'
    write(f"plans/{name}", "kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Jo}\n")
    r = kaplan(*command, "--format", "json", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert "Traceback" not in r.stderr
    assert "\\udc" not in r.stdout
    doc = json.loads(r.stdout)
    for text in _strings(doc):
        text.encode("utf-8")  # strict: a lone surrogate raises here
    if command != ("risk",):  # risk names no path of a plan it could read
        assert "plans/\\xffacme.yaml" in set(_strings(doc)), r.stdout[:2000]
    text = kaplan(*command, "--today", TODAY.isoformat(), cwd=tmp_path)
    if command == ("check",):  # the text output names the file the same way
        assert "plans/\\xffacme.yaml:" in text.stdout, text.stdout


def test_plain_ascii_text_is_shown_as_it_is_and_every_ascii_way_to_act_is_escaped():
    """Most plan text is printable ASCII and is passed through untouched; a control character, a
    `##[` or a `::` that starts the line (after blanks) is what still makes ASCII text act."""
    from kaplan.views.safe_text import visible

    for code in range(128):
        text = f"Acme {chr(code)} plan"
        acts = code < 0x20 or code == 0x7f
        assert (visible(text) != text) is acts, (code, visible(text))
        assert visible(text) == (f"Acme \\x{code:02x} plan" if acts else text)
    for text, shown in [("::error::forged", "\\x3a:error::forged"), ("   ::warning x", "   \\x3a:warning x"),
                        ("Acme ##[add-mask]x", "Acme #\\x23[add-mask]x"), ("a::b ## [c", "a::b ## [c"),
                        (": :x", ": :x"), ("", "")]:
        assert visible(text) == shown, text
    assert visible("::x", starts_line=False) == "::x"
