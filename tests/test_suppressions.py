"""`# kaplan: disable…` comments silence a rule where a finding is deliberate, and say when they no
longer silence anything. Run through the real CLI on plans written here.

The plan below, checked as of TODAY, has five warnings: three from its tier (portfolio rules, at
lines 5, 5 and 8) and two at `contacts:` (line 9): key-player-missing and single-threaded.
"""

from __future__ import annotations

import pytest

from conftest import TODAY

PLAN = """\
kaplan: 1
account:
  id: acme
  name: Acme
plan:{plan_comment}
  owner: Jo Owner
  last_reviewed: 2026-11-01
relationships:{rel_comment}
  contacts:{contacts_comment}
    - {{id: ann, name: Ann, strength: 5}}
    - {{id: bob, name: "Bob # kaplan: disable", strength: 3}}
"""

ALL = {("tier-executive-sponsor", 5), ("tier-review-cadence", 5), ("tier-rituals", 8),
       ("key-player-missing", 9), ("single-threaded", 9)}


def run(kaplan, tmp_path, top: str = "", plan_comment: str = "", rel_comment: str = "",
        contacts_comment: str = ""):
    (tmp_path / "plans").mkdir(exist_ok=True)
    text = top + PLAN.format(plan_comment=plan_comment, rel_comment=rel_comment, contacts_comment=contacts_comment)
    (tmp_path / "plans" / "acme.yaml").write_text(text)
    r = kaplan("check", "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path)
    return r, {(f["rule"], f["line"]) for f in r.json()["findings"]}


def test_without_comments_all_five_warnings_show(kaplan, tmp_path):
    _, found = run(kaplan, tmp_path)
    assert found == ALL  # the quoted "# kaplan: disable" in Bob's name is text, not a comment


def test_disable_line_silences_one_rule_on_its_line(kaplan, tmp_path):
    _, found = run(kaplan, tmp_path, contacts_comment="   # kaplan: disable-line=single-threaded")
    assert found == ALL - {("single-threaded", 9)}


def test_disable_line_alone_on_a_line_covers_the_next_and_several_rules_at_once(kaplan, tmp_path):
    _, found = run(kaplan, tmp_path, rel_comment="\n  # kaplan: disable-line=single-threaded, key-player-missing")
    # the comment is line 9; `contacts:` moves to line 10 with both its findings, both silenced
    assert found == {("tier-executive-sponsor", 5), ("tier-review-cadence", 5), ("tier-rituals", 8)}


def test_disable_until_enable_covers_the_lines_between_portfolio_rules_included(kaplan, tmp_path):
    _, found = run(kaplan, tmp_path, top="# kaplan: disable=tier-rituals,tier-review-cadence\n",
                   rel_comment="  # kaplan: enable=tier-rituals")
    # one line added on top: plan: is line 6, relationships: line 9 (re-enabled there), contacts: line 10
    assert found == {("tier-executive-sponsor", 6), ("tier-rituals", 9), ("key-player-missing", 10),
                     ("single-threaded", 10)}


def test_disable_file_and_disable_every_rule(kaplan, tmp_path):
    _, found = run(kaplan, tmp_path, contacts_comment="  # kaplan: disable-file=tier-rituals")
    assert found == ALL - {("tier-rituals", 8)}
    r, found = run(kaplan, tmp_path, top="# kaplan: disable\n")
    assert found == set() and r.exit_code == 0


def test_a_comment_that_silences_nothing_is_a_warning_at_its_place(kaplan, tmp_path):
    r, found = run(kaplan, tmp_path, plan_comment="  # kaplan: disable-line=review-stale")
    assert found == ALL | {("unused-suppression", 5)}
    unused = [f for f in r.json()["findings"] if f["rule"] == "unused-suppression"][0]
    assert unused["column"] == len("plan:  ") + 1 and unused["severity"] == "warning"
    assert "silences nothing" in unused["message"] and "remove the comment" in unused["hint"]


def test_a_comment_naming_no_rule_is_a_warning(kaplan, tmp_path):
    r, found = run(kaplan, tmp_path, contacts_comment="  # kaplan: disable-line=single-thread")
    assert ("unused-suppression", 9) in found and ("single-threaded", 9) in found
    assert any("names no rule called single-thread" in f["message"] for f in r.json()["findings"])


def test_a_plan_that_cannot_be_read_cannot_be_silenced(kaplan, tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme.yaml").write_text(
        "# kaplan: disable-file\nkaplan: 1\naccount: {id: acme, name: Acme, colour: red}\nplan: {owner: Jo}\n")
    r = kaplan("check", "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path)
    rules = {f["rule"] for f in r.json()["findings"]}
    assert r.exit_code == 1 and rules == {"unknown-key"}  # a plan that is not read has no directives


@pytest.mark.parametrize("times", [2])
def test_the_answer_is_the_same_from_the_cache_and_the_last_check_s_record(kaplan, tmp_path, times):
    first, found = run(kaplan, tmp_path, contacts_comment="  # kaplan: disable-line=single-threaded",
                       plan_comment="  # kaplan: disable-line=review-stale")
    for _ in range(times):
        again = kaplan("check", "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path)
        assert again.json() == first.json()
    assert ("single-threaded", 9) not in found and ("unused-suppression", 5) in found


def test_the_rule_can_be_explained_and_switched_off(kaplan, tmp_path):
    r = kaplan("check", "--explain", "unused-suppression")
    assert r.exit_code == 0 and "disable-line=RULE" in r.stdout
    (tmp_path / "kaplan.yaml").write_text("kaplan: 1\nrules: {unused-suppression: off}\n")
    _, found = run(kaplan, tmp_path, plan_comment="  # kaplan: disable-line=review-stale")
    assert found == ALL


def test_text_values_that_read_like_a_directive_silence_nothing(kaplan, tmp_path):
    """Only real comments count: an escaped quote or a block text value holding the words is text."""
    for trick in ('  sector: "Health\\" # kaplan: disable-file"\n',
                  "  sector: |\n    Health # kaplan: disable-file\n"):
        (tmp_path / "plans").mkdir(exist_ok=True)
        text = PLAN.format(plan_comment="", rel_comment="", contacts_comment="").replace(
            "  name: Acme\n", "  name: Acme\n" + trick)
        (tmp_path / "plans" / "acme.yaml").write_text(text)
        r = kaplan("check", "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path)
        assert len(r.json()["findings"]) == 5, (trick, r.stdout)


def test_a_copied_plan_cannot_hide_that_it_duplicates_another(kaplan, tmp_path):
    (tmp_path / "plans").mkdir()
    original = PLAN.format(plan_comment="", rel_comment="", contacts_comment="")
    (tmp_path / "plans" / "acme.yaml").write_text(original)
    (tmp_path / "plans" / "zz-copy.yaml").write_text("# kaplan: disable-file\n" + original)
    r = kaplan("check", "--today", TODAY.isoformat(), "--format", "json", cwd=tmp_path)
    copy = {f["rule"] for f in r.json()["findings"] if f["path"] == "plans/zz-copy.yaml"}
    assert {"duplicate-account", "filename-mismatch"} <= copy and r.exit_code == 1
    assert "single-threaded" not in copy  # the rest is silenced as asked
