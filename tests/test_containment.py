"""Symbolic links and the portfolio boundary: which paths kaplan may read and write (`_containment`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kaplan.reading.containment import RULE_ID, escapes, linked_folders_outside, refusal


@pytest.fixture
def layout(tmp_path):
    """portfolio/{kaplan.yaml, plans/real.yaml} and outside/secret.yaml beside the portfolio."""
    root = tmp_path / "portfolio"
    (root / "plans").mkdir(parents=True)
    (root / "kaplan.yaml").write_text("kaplan: 1\n")
    (root / "plans" / "real.yaml").write_text("kaplan: 1\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("token: s3cr3t\n")
    return root, outside


def test_a_link_to_a_file_outside_escapes(layout):
    root, outside = layout
    link = root / "plans" / "acme.yaml"
    link.symlink_to(outside / "secret.yaml")
    assert escapes(link, root) == (outside / "secret.yaml").resolve()


def test_a_relative_link_up_and_out_escapes(layout):
    root, outside = layout
    link = root / "plans" / "acme.yaml"
    link.symlink_to(Path("..") / ".." / "outside" / "secret.yaml")
    assert escapes(link, root) == (outside / "secret.yaml").resolve()


def test_a_path_through_a_linked_folder_escapes(layout):
    root, outside = layout
    (root / "plans" / "linked").symlink_to(outside)
    assert escapes(root / "plans" / "linked" / "secret.yaml", root) == (outside / "secret.yaml").resolve()
    assert linked_folders_outside(root / "plans", root) == [root / "plans" / "linked"]


def test_a_link_to_a_device_escapes(layout):
    root, _ = layout
    link = root / "plans" / "zero.yaml"
    link.symlink_to("/dev/zero")
    assert escapes(link, root) == Path("/dev/zero")


def test_links_that_stay_inside_are_fine(layout):
    root, _ = layout
    (root / "plans" / "alias.yaml").symlink_to("real.yaml")
    (root / "plans" / "team").mkdir()
    (root / "plans" / "team" / "up.yaml").symlink_to(Path("..") / "real.yaml")
    (root / "plans" / "same").symlink_to(root / "plans")
    assert escapes(root / "plans" / "alias.yaml", root) is None
    assert escapes(root / "plans" / "team" / "up.yaml", root) is None
    assert linked_folders_outside(root / "plans", root) == []


def test_ordinary_files_missing_files_and_link_loops_are_left_to_the_reader(layout):
    root, _ = layout
    (root / "plans" / "a.yaml").symlink_to("b.yaml")
    (root / "plans" / "b.yaml").symlink_to("a.yaml")
    assert escapes(root / "plans" / "real.yaml", root) is None
    assert escapes(root / "plans" / "not-yet.yaml", root) is None
    assert escapes(root / "plans" / "a.yaml", root) is None  # reading it fails: `unreadable`


def test_a_file_named_outside_the_portfolio_is_the_users_choice(layout, monkeypatch):
    root, outside = layout
    assert escapes(outside / "secret.yaml", root) is None
    monkeypatch.chdir(root)
    assert escapes(Path("..") / "outside" / "secret.yaml", root) is None


def test_relative_paths_are_judged_from_the_working_folder(layout, monkeypatch):
    root, outside = layout
    (root / "plans" / "acme.yaml").symlink_to(outside / "secret.yaml")
    monkeypatch.chdir(root)
    assert escapes(Path("plans") / "acme.yaml", root) == (outside / "secret.yaml").resolve()


def test_the_refusal_is_a_located_finding_that_names_the_target(layout):
    root, outside = layout
    link = root / "plans" / "acme.yaml"
    link.symlink_to(outside / "secret.yaml")
    f = refusal(link, root, "plans/acme.yaml")
    assert (f.path, f.line, f.column, f.rule, f.severity.value) == ("plans/acme.yaml", 1, 1, RULE_ID, "error")
    assert "symbolic link" in f.message and str((outside / "secret.yaml").resolve()) in f.message
    assert refusal(root / "plans" / "real.yaml", root, "plans/real.yaml") is None


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_portfolio_reached_through_a_link_is_still_inside(tmp_path, layout):
    root, _ = layout
    alias = tmp_path / "alias-of-portfolio"
    alias.symlink_to(root)
    assert escapes(alias / "plans" / "real.yaml", root) is None


@pytest.mark.parametrize("command", [["score", "--format", "json"], ["risk", "--format", "json"],
                                     ["report", "--portfolio", "--format", "md"]])
def test_score_risk_and_report_do_not_read_a_plan_linked_from_outside(kaplan, tmp_path, command):
    """Like `kaplan check`, the commands that show plan values never follow a link out of the
    portfolio: the linked plan is left out as a plan with errors, and none of its values appear."""
    from conftest import EXAMPLES, TODAY

    root = tmp_path / "portfolio"
    (root / "plans").mkdir(parents=True)
    (root / "kaplan.yaml").write_text((EXAMPLES / "kaplan.yaml").read_text())
    (root / "plans" / "ostara-bank.yaml").write_text((EXAMPLES / "plans" / "ostara-bank.yaml").read_text())
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "tallis-agri.yaml").write_text((EXAMPLES / "plans" / "tallis-agri.yaml").read_text())
    (root / "plans" / "tallis-agri.yaml").symlink_to(outside / "tallis-agri.yaml")
    args = [*command, "--today", TODAY.isoformat()] if command[0] != "score" else command
    r = kaplan(*args, cwd=root)
    assert "Tallis" not in r.stdout, "a value of the plan outside the portfolio was shown"
    assert "Ostara" in r.stdout
    assert "1 plan with errors left out" in r.stderr and "plans/tallis-agri.yaml" in r.stderr
    assert r.exit_code == 1  # the answer is missing an account
