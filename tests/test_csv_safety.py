"""Every CSV kaplan writes is safe to open in a spreadsheet (issue 12 item 6, issue 13 item 4).

The file is read back with the csv module, cell by cell, as a spreadsheet would import it: a cell is
either a number (kaplan's own figures, negative ones included) or text that cannot start a formula
(`=`, `+`, `-`, `@`, tab, carriage return) and holds no line break or control character.
"""

from __future__ import annotations

import csv
import io

import pytest

from conftest import TODAY

DAY = TODAY.isoformat()
HOSTILE_NAME = '=HYPERLINK("http://e.example","x")'

PLAN = """\
kaplan: 1
account: {{id: {id}, name: {name}}}
plan: {{owner: {owner}, last_reviewed: 2026-11-01}}
financials:
  periods:
    - {{period: "2025", revenue: 100000, gross_profit: {profit}}}
investment:
  - {{id: team, description: {description}, amount: 5000}}
"""


@pytest.fixture
def hostile(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "evil.yaml").write_text(PLAN.format(
        id="evil", name='"' + HOSTILE_NAME.replace('"', '\\"') + '"', owner='"@SUM(A1:A9)"', profit=-20000,
        description='"+cmd|\' /C calc\'!A0\\nsecond line\\r\\n\\u001b[2J"'), encoding="utf-8")
    (folder / "plain.yaml").write_text(PLAN.format(
        id="plain", name='"-5 Ltd"', owner="Jo", profit=30000, description='"\\tTab first"'), encoding="utf-8")
    return tmp_path


def cells(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    assert all(len(r) == len(rows[0]) for r in rows)  # no line break split a row
    return rows


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def assert_safe(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            if is_number(cell):
                continue
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
            assert not any(ord(ch) < 0x20 or 0x7f <= ord(ch) < 0xa0 for ch in cell), repr(cell)


@pytest.mark.parametrize("command", [["score"], ["score", "--budget"], ["score", "--explain", "evil"],
                                     ["score", "--list-sources"], ["risk", "--today", DAY]])
def test_every_csv_kaplan_writes_is_safe_in_a_spreadsheet(kaplan, hostile, command):
    r = kaplan(*command, "--format", "csv", cwd=hostile)
    assert r.exit_code == 0, r.stderr
    assert_safe(cells(r.stdout))


def test_text_is_kept_readable_and_numbers_stay_numbers(kaplan, hostile):
    rows = cells(kaplan("score", "--format", "csv", cwd=hostile).stdout)
    by_id = {r[1]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert by_id["evil"]["name"] == "'" + HOSTILE_NAME  # shown as the text it is, with a leading quote
    assert by_id["plain"]["name"] == "'-5 Ltd"  # text that looks like a negative number is still text
    assert by_id["evil"]["margin_pct"] == "-20.0"  # -20,000 / 100,000 × 100: a number, not a formula
    assert by_id["evil"]["revenue"] == "100000.0"
    risk = cells(kaplan("risk", "--today", DAY, "--format", "csv", cwd=hostile).stdout)
    owners = {dict(zip(risk[0], r))["account"]: dict(zip(risk[0], r))["owner"] for r in risk[1:]}
    assert owners == {"evil": "'@SUM(A1:A9)", "plain": "Jo"}
    budget = cells(kaplan("score", "--budget", "--format", "csv", cwd=hostile).stdout)
    descriptions = {dict(zip(budget[0], r))["account"]: dict(zip(budget[0], r))["description"] for r in budget[1:]}
    # a line break becomes a space; the escape character is shown, not sent
    assert descriptions["evil"] == "'+cmd|' /C calc'!A0 second line \\x1b[2J"
    assert descriptions["plain"] == "'\\x09Tab first"
