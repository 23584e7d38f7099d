"""The mistakes people really make in plan values get a located finding whose hint fixes them
(issue 12 item 4): commas inside one-line `{…}` mappings, and numbers written the way a spreadsheet
shows them. Each case is checked through `kaplan check`, then the hint is followed and checked again."""

from __future__ import annotations

import re

import pytest

from conftest import TODAY

DAY = TODAY.isoformat()
HEAD = "kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Jo}\n"


def findings(kaplan, tmp_path, text):
    (tmp_path / "plans").mkdir(exist_ok=True)
    (tmp_path / "plans" / "acme.yaml").write_text(HEAD + text, encoding="utf-8")
    r = kaplan("check", "--today", DAY, "--format", "json", cwd=tmp_path)
    return r.exit_code, r.json()["findings"]


def follow(hint: str) -> str:
    """The YAML the hint says to write (the text between its backticks after the colon)."""
    return re.search(r": `(.*?)`", hint)[1]


NPS = "voice_of_customer:\n  nps:\n    - {date: 2026-01-20, respondent: cfo, score: 9, comment: %s}\n"


def test_a_comma_in_free_text_in_a_one_line_mapping_says_to_quote_it(kaplan, tmp_path):
    code, found = findings(kaplan, tmp_path, NPS % "Good value, invoices could be clearer")
    assert code == 1
    (f,) = found
    # line 6 (three head lines, then voice_of_customer, nps, the entry); the key starts at column 74
    line = (HEAD + NPS % "Good value, invoices could be clearer").splitlines()[5]
    assert (f["line"], f["column"]) == (6, line.index("invoices") + 1)
    assert f["rule"] == "unknown-key" and "comma ends a text" in f["message"]
    assert f["hint"] == 'put the whole text in quotes: `comment: "Good value, invoices could be clearer"`'
    fixed = NPS % "Good value, invoices could be clearer"
    fixed = fixed.replace("comment: Good value, invoices could be clearer", follow(f["hint"]))
    assert findings(kaplan, tmp_path, fixed) == (0, [])


PERIOD = "financials:\n  periods:\n    - period: \"2025\"\n      %s\n"


@pytest.mark.parametrize("written, plain", [
    ("margin_pct: 35%", "margin_pct: 35"),
    ('revenue: "1,200,000"', "revenue: 1200000"),
    ("revenue: 1,200,000", "revenue: 1200000"),
    ("revenue: 1.200.000,00", "revenue: 1200000.00"),
])
def test_a_number_written_for_people_says_to_write_the_plain_number(kaplan, tmp_path, written, plain):
    code, found = findings(kaplan, tmp_path, PERIOD % written)
    assert code == 1
    (f,) = found
    assert (f["line"], f["column"]) == (7, written.index(":") + 9)  # the value, after 6 spaces and `key: `
    assert "which YAML reads as text, not a number" in f["message"]
    assert follow(f["hint"]) == plain
    assert findings(kaplan, tmp_path, PERIOD % follow(f["hint"])) == (0, [])


def test_thousands_separators_in_a_one_line_mapping_say_the_same(kaplan, tmp_path):
    text = "financials:\n  periods:\n    - {period: \"2025\", revenue: 1,200,000}\n"
    code, found = findings(kaplan, tmp_path, text)
    assert code == 1
    (f,) = found  # one finding for the number, not one per piece of it
    assert (f["line"], f["column"]) == (6, text.splitlines()[2].index("1,200,000") + 1)
    assert "is split at its commas" in f["message"] and "is not a name" not in f["message"]
    assert follow(f["hint"]) == "revenue: 1200000"
    fixed = text.replace("revenue: 1,200,000", follow(f["hint"]))
    assert findings(kaplan, tmp_path, fixed) == (0, [])


def test_text_that_is_not_a_number_keeps_the_usual_message(kaplan, tmp_path):
    code, (f,) = findings(kaplan, tmp_path, PERIOD % "revenue: lots")
    assert code == 1 and "plain number" not in (f["hint"] or "") and "lots" in f["message"]


def test_kaplan_new_lays_no_comma_trap_in_its_examples(kaplan, tmp_path):
    """Every one-line `{…}` example in a new plan can be uncommented as it is, even with a comma added
    to its text: no free text in them is unquoted."""
    from ruamel.yaml import YAML

    assert kaplan("new", "acme", "--owner", "Smith, Jo", "--today", DAY, cwd=tmp_path).exit_code == 0
    examples = [line.split("#", 1)[1].strip() for line in (tmp_path / "plans" / "acme.yaml").read_text().splitlines()
                if re.match(r"\s*#\s*(- )?\{", line)]
    assert len(examples) >= 8
    for example in examples:
        body = example.removeprefix("- ")
        if not body.endswith("}"):
            continue  # continues on the next line
        for key, value in YAML(typ="safe").load(body).items():
            assert " " not in str(key), example
            if isinstance(value, str) and " " in value:
                assert f'"{value}"' in body, f"unquoted text {value!r} in {example}"
