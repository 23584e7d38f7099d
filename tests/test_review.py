"""`kaplan review ACCOUNT`: a review held is recorded in the plan, and the review rules see it."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

PLAN = """\
kaplan: 1
account:
  id: acme
  name: Acme Industrial   # as on the contract

plan:
  owner: Jo Owner
  review_cadence: quarterly
  last_reviewed: 2026-05-02

# ---- reviews held ----
reviews:
  - {date: 2026-05-02, kind: quarterly_review, notes: Kick-off}

# the end
"""


@pytest.fixture
def portfolio(tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\nplans: plans\n", encoding="utf-8")
    (tmp_path / "plans" / "acme.yaml").write_text(PLAN, encoding="utf-8")
    return tmp_path


def changed(old: str, new: str) -> list[str]:
    return [line for line in difflib.ndiff(old.splitlines(True), new.splitlines(True)) if line[:1] in "+-"]


def test_a_review_is_appended_and_moves_last_reviewed_and_next_review(kaplan, portfolio):
    run = kaplan("review", "acme", "--date", "2026-11-20", "--kind", "quarterly_review",
                 "--attendee", "Jo Owner", "--attendee", "Ana Lima (CFO)",
                 "--decision", "Extend the pilot to Plant 2 | Jo Owner | 2026-12-15",
                 "--decision", "Share the Q4 roadmap", "--next-review", "2027-02-20", "--notes", "Pilot on track",
                 cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    text = (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8")
    assert changed(PLAN, text) == [
        "-   last_reviewed: 2026-05-02\n", "+   last_reviewed: 2026-11-20\n", "+   next_review: 2027-02-20\n",
        "+   - date: 2026-11-20\n", "+     kind: quarterly_review\n", "+     attendees:\n",
        "+       - Jo Owner\n", "+       - Ana Lima (CFO)\n", "+     notes: Pilot on track\n", "+     decisions:\n",
        "+       - decision: Extend the pilot to Plant 2\n", "+         owner: Jo Owner\n",
        "+         due: 2026-12-15\n", "+       - decision: Share the Q4 roadmap\n",
        "+     next_review: 2027-02-20\n",
    ]
    assert text.endswith("\n# the end\n") and "# ---- reviews held ----\nreviews:\n" in text
    from kaplan.reading.loader import load_plan

    plan = load_plan(portfolio / "plans" / "acme.yaml").plan
    assert plan.plan.last_reviewed.isoformat() == "2026-11-20"
    assert [d.owner for d in plan.reviews[-1].decisions] == ["Jo Owner", None]


def test_the_review_clears_the_overdue_finding(kaplan, portfolio):
    # 2026-11-24 - 2026-05-02 = 206 days, more than a quarterly plan's 92: the review is stale
    before = kaplan("check", "--today", "2026-11-24", cwd=portfolio)
    assert "plans/acme.yaml:9:18: warning [review-stale] last reviewed 2026-05-02, 206 days ago" in before.stdout
    assert kaplan("review", "acme", "--today", "2026-11-20", cwd=portfolio).exit_code == 0  # held "today"
    after = kaplan("check", "--today", "2026-11-24", cwd=portfolio)
    assert "review-stale" not in after.stdout and after.exit_code == 0


def test_an_earlier_review_does_not_move_last_reviewed_back(kaplan, portfolio):
    assert kaplan("review", "acme", "--date", "2026-03-01", "--kind", "monthly_call", cwd=portfolio).exit_code == 0
    text = (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8")
    assert "last_reviewed: 2026-05-02" in text and "  - {date: 2026-03-01, kind: monthly_call}\n\n# the end\n" in text


def test_dry_run_prints_the_diff_and_bad_options_are_usage_errors(kaplan, portfolio):
    run = kaplan("review", "acme", "--date", "2026-11-20", "--dry-run", cwd=portfolio)
    assert run.exit_code == 0 and "+  last_reviewed: 2026-11-20\n" in run.stdout
    assert (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8") == PLAN
    assert kaplan("review", "acme", "--kind", "lunch", "--date", "2026-11-20", cwd=portfolio).exit_code == 2
    assert kaplan("review", "acme", "--decision", "a | b | c | d", cwd=portfolio).exit_code == 2
    assert kaplan("review", "acme", "--decision", "x | y | soon", cwd=portfolio).exit_code == 2
    assert kaplan("review", "zeta", "--date", "2026-11-20", cwd=portfolio).exit_code == 2
    assert (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8") == PLAN


def editor(tmp_path: Path, body: str) -> str:
    """An $EDITOR that is a script: it replaces the prepared entry's 'kind' and adds a decision."""
    script = tmp_path / "edit.py"
    script.write_text(f"import sys, pathlib\np = pathlib.Path(sys.argv[1])\n{body}\n", encoding="utf-8")
    return f"{sys.executable} {script}"


def test_edit_opens_the_editor_on_a_prepared_entry(kaplan, portfolio, tmp_path):
    seen = tmp_path / "seen.yaml"
    body = (f"text = p.read_text()\npathlib.Path({str(seen)!r}).write_text(text)\n"
            "text = text.replace('kind: quarterly_review', 'kind: monthly_call')\n"
            "text = text.replace('  - decision: \"\"', '  - decision: Send the proposal')\n"
            "text = text.replace('    owner:\\n', '    owner: Ana Lima\\n', 1)\n"
            "p.write_text(text)")
    run = kaplan("review", "acme", "--date", "2026-11-20", "--attendee", "Jo Owner", "--edit",
                 cwd=portfolio, env={"EDITOR": editor(tmp_path, body), "VISUAL": ""})
    assert run.exit_code == 0, run.stderr
    prepared = seen.read_text(encoding="utf-8")
    assert "date: 2026-11-20\nkind: quarterly_review\nattendees:\n  - \"Jo Owner\"\n" in prepared
    text = (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8")
    assert ("  - date: 2026-11-20\n    kind: monthly_call\n    attendees:\n      - Jo Owner\n    decisions:\n"
            "      - decision: Send the proposal\n        owner: Ana Lima\n") in text


def test_the_confirmation_names_the_entry_the_editor_saved(kaplan, portfolio, tmp_path):
    # the options said a biweekly update on 2026-11-20; the editor saved a monthly call on 2026-09-05
    body = ("p.write_text(p.read_text().replace('date: 2026-11-20', 'date: 2026-09-05')"
            ".replace('kind: biweekly_update', 'kind: monthly_call'))")
    run = kaplan("review", "acme", "--edit", "--date", "2026-11-20", "--kind", "biweekly_update",
                 "--today", "2026-11-24", cwd=portfolio, env={"EDITOR": editor(tmp_path, body), "VISUAL": ""})
    assert run.exit_code == 0, run.stderr
    assert "  - {date: 2026-09-05, kind: monthly_call}\n" in (portfolio / "plans" / "acme.yaml").read_text()
    assert run.stderr == "recorded the monthly call of 2026-09-05 in plans/acme.yaml\n", run.stderr


@pytest.mark.parametrize("named, why", [
    ("missing", "(No such file or directory)"),  # no such editor
    ("not-a-program", "(Permission denied)"),  # a file that cannot be run
    ("'unbalanced", "is not a command kaplan can run (No closing quotation)"),
])
def test_an_editor_that_cannot_be_run_is_named_not_called_a_write_error(kaplan, portfolio, tmp_path, named, why):
    (tmp_path / "not-a-program").write_text("not a program\n")
    (tmp_path / "not-a-program").chmod(0o644)
    command = named if named.startswith("'") else str(tmp_path / named)
    run = kaplan("review", "acme", "--date", "2026-11-20", "--edit", cwd=portfolio,
                 env={"EDITOR": command, "VISUAL": ""})
    assert run.exit_code == 2, run.stderr  # was 1, as `nothing was written: [Errno 13] Permission denied: …`
    said = " ".join(run.stderr.split())
    assert said.startswith("kaplan: --edit: the editor ") and why in said, said
    assert "set VISUAL or EDITOR" in said and "nothing was written" not in said, said
    assert (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8") == PLAN


def test_an_invalid_edited_entry_is_located_and_nothing_is_written(kaplan, portfolio, tmp_path):
    body = "p.write_text(p.read_text().replace('date: 2026-11-20', 'date: 2026-13-40'))"
    run = kaplan("review", "acme", "--date", "2026-11-20", "--edit", cwd=portfolio,
                 env={"EDITOR": editor(tmp_path, body), "VISUAL": ""})
    assert run.exit_code == 1
    assert "review entry:3:7: error" in run.stderr
    assert (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8") == PLAN


def test_an_edited_entry_that_is_not_utf8_is_located_and_nothing_is_written(kaplan, portfolio, tmp_path):
    # an editor saving in Latin-1: `é` is the one byte 0xe9; it gave a UnicodeDecodeError traceback
    body = "p.write_bytes(p.read_bytes().replace(b'date: 2026-11-20\\n', b'date: 2026-11-20\\nnotes: caf\\xe9\\n'))"
    run = kaplan("review", "acme", "--date", "2026-11-20", "--edit", cwd=portfolio,
                 env={"EDITOR": editor(tmp_path, body), "VISUAL": ""})
    assert run.exit_code == 2, run.stderr
    # the prepared entry: two comment lines, `date:` on line 3, so the added `notes:` is line 4;
    # `notes: caf` is 10 characters, so the byte is at column 11
    assert run.stderr.startswith("review entry:4:11: error [encoding] byte 0xe9 is not valid UTF-8\n"), run.stderr
    assert "is not UTF-8 text; nothing was recorded" in run.stderr and "Traceback" not in run.stderr
    assert (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8") == PLAN


def test_a_review_after_today_is_a_usage_error_and_nothing_is_written(kaplan, portfolio, tmp_path):
    # it was recorded (exit 0), and the next `check` found a future-date error at it
    run = kaplan("review", "acme", "--date", "2030-01-01", "--today", "2026-11-24", cwd=portfolio)
    assert run.exit_code == 2, run.stderr
    assert run.stderr.startswith("kaplan: this review's date is 2030-01-01, which is after today (2026-11-24): "
                                 "a review is recorded once it has been held"), run.stderr
    assert (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8") == PLAN
    # the day after today is the first refused, as the future-date rule has it; today itself is recorded
    assert kaplan("review", "acme", "--date", "2026-11-25", "--today", "2026-11-24", cwd=portfolio).exit_code == 2
    # an editor that saves a decision taken tomorrow: the entry as saved is what is judged
    body = ("p.write_text(p.read_text().replace('  - decision: \"\"', '  - decision: Go\\n    decided: 2026-11-25'))")
    run = kaplan("review", "acme", "--date", "2026-11-24", "--today", "2026-11-24", "--edit", cwd=portfolio,
                 env={"EDITOR": editor(tmp_path, body), "VISUAL": ""})
    assert run.exit_code == 2 and "the day `Go` was decided is 2026-11-25, which is after today" in run.stderr
    assert (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8") == PLAN
    assert kaplan("review", "acme", "--date", "2026-11-24", "--today", "2026-11-24", cwd=portfolio).exit_code == 0
    assert kaplan("check", "--today", "2026-11-24", cwd=portfolio).exit_code == 0


@pytest.mark.parametrize("option, value, said", [
    ("--notes", "n" * 20_001, "--notes: 20,001 characters"),
    ("--attendee", "a" * 20_001, "--attendee: 20,001 characters"),
    ("--decision", "Go | " + "o" * 20_001, "--decision (its owner): 20,001 characters"),
])
def test_a_text_longer_than_a_plan_may_hold_is_a_usage_error(kaplan, portfolio, option, value, said):
    # --notes of 25,000 characters was written into the plan (and passed `check`)
    run = kaplan("review", "acme", "--date", "2026-11-20", option, value, "--today", "2026-11-24", cwd=portfolio)
    assert run.exit_code == 2, run.stderr
    assert run.stderr == f"kaplan: {said}, more than the 20,000 a text in a plan may hold; shorten it (nothing " \
                         "was recorded)\n"
    assert (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8") == PLAN
    ok = kaplan("review", "acme", "--date", "2026-11-20", option, value[:-1], "--today", "2026-11-24", cwd=portfolio)
    assert ok.exit_code == 0, ok.stderr


def test_a_free_text_field_is_bounded_as_a_name_is(kaplan, portfolio):
    # `notes` (like `terms`, `news`, `description`) was plain text without bound: 25,000 characters passed
    plans = portfolio / "plans" / "acme.yaml"
    plans.write_text(PLAN.replace("notes: Kick-off", "notes: " + "k" * 20_001), encoding="utf-8")
    run = kaplan("check", "--today", "2026-11-24", cwd=portfolio)
    assert run.exit_code == 1
    # `  - {date: 2026-05-02, kind: quarterly_review, notes: ` is 5 + 18 + 24 + 7 = 54 characters: line 13, column 55
    assert "plans/acme.yaml:13:55: error [schema]" in run.stdout, run.stdout
    plans.write_text(PLAN.replace("notes: Kick-off", "notes: " + "k" * 20_000), encoding="utf-8")
    assert "[schema]" not in kaplan("check", "--today", "2026-11-24", cwd=portfolio).stdout


BARE = PLAN.split("# ---- reviews held")[0] + "# the end\n"
"""The plan with no `reviews:` yet: recording one adds the section, which only ruamel.yaml can write."""


@pytest.mark.parametrize("plan", [PLAN, BARE], ids=["reviews-listed", "no-reviews-yet"])
def test_a_plan_between_document_markers_is_recorded_and_keeps_them(kaplan, portfolio, plan):
    # `--- # comment`, a comment above `---` and `...` are not written back as they were by ruamel.yaml:
    # the review was refused (exit 1) with a message that named no place in the file
    head, tail = "# Acme's plan\n--- # the one document\n", "... # end of the plan\n# kept after it\n"
    path = portfolio / "plans" / "acme.yaml"
    path.write_text(head + plan + tail, encoding="utf-8")
    run = kaplan("review", "acme", "--date", "2026-11-20", "--today", "2026-11-24", cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    text = path.read_text(encoding="utf-8")
    assert text.startswith(head) and text.endswith(tail)
    added = (["+   - {date: 2026-11-20, kind: quarterly_review}\n"] if plan is PLAN
             else ["+ reviews:\n", "+   - date: 2026-11-20\n", "+     kind: quarterly_review\n"])
    assert changed(plan, text[len(head):-len(tail)]) == [
        "-   last_reviewed: 2026-05-02\n", "+   last_reviewed: 2026-11-20\n", *added]
    assert "[schema]" not in kaplan("check", "--today", "2026-11-24", cwd=portfolio).stdout


def test_a_layout_the_writer_cannot_keep_is_named_at_its_place(kaplan, portfolio):
    # an anchor nothing refers to, which ruamel.yaml drops: exit 1 with `plans/acme.yaml: kaplan cannot
    # add a section …` and no line or column to look at
    path = portfolio / "plans" / "acme.yaml"
    path.write_text(BARE.replace("account:\n", "account: &acct\n"), encoding="utf-8")
    run = kaplan("review", "acme", "--date", "2026-11-20", "--today", "2026-11-24", cwd=portfolio)
    assert run.exit_code == 1
    # `account: ` is 9 characters: the anchor is at line 2, column 10
    assert run.stderr == ("kaplan: plans/acme.yaml:2:10: kaplan cannot add a section to this file without reformatting "
                          "it: ruamel.yaml would drop the anchor `&acct`; delete it if nothing refers to it (`*acct`), "
                          "or edit it by hand\n"), run.stderr
    assert path.read_text(encoding="utf-8") == BARE.replace("account:\n", "account: &acct\n")


def test_a_plan_s_byte_order_mark_and_crlf_line_ends_are_kept(kaplan, portfolio):
    """A plan saved by a Windows editor as "UTF-8 with BOM" lost its first three bytes to a review."""
    plan = portfolio / "plans" / "acme.yaml"
    plan.write_bytes(b"\xef\xbb\xbf" + PLAN.replace("\n", "\r\n").encode("utf-8"))
    run = kaplan("review", "acme", "--date", "2026-11-20", "--kind", "quarterly_review", "--today", "2026-11-24",
                 cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    expected = PLAN.replace("  last_reviewed: 2026-05-02\n", "  last_reviewed: 2026-11-20\n").replace(
        "notes: Kick-off}\n", "notes: Kick-off}\n  - {date: 2026-11-20, kind: quarterly_review}\n")
    assert plan.read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode("utf-8")
