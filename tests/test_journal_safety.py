"""A journal that kaplan did not leave (committed, unpacked, planted) cannot move or delete a file.

An interrupted set of writes leaves `.kaplan/journal.json` (or `journal.pending.json`), which the next
command that writes plans finishes. Such a file arriving through a pull request must not make
`kaplan review` or `kaplan import` replace `kaplan.yaml`, a workflow or CODEOWNERS, nor delete a file
anywhere on the machine: it is refused with a message saying so, and nothing is touched.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

PLAN = "kaplan: 1\naccount:\n  id: a\n  name: Acme\nplan:\n  owner: Jo Owner\n"
CONFIG = "kaplan: 1\nplans: plans\n"
OFF = 'kaplan: 1\nplans: plans\nrules: {schema: "off", syntax: "off"}\n'


@pytest.fixture
def portfolio(tmp_path):
    root = tmp_path / "repo"
    (root / "plans").mkdir(parents=True)
    (root / "kaplan.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "plans" / "a.yaml").write_text(PLAN, encoding="utf-8")
    return root


def journal(root: Path, doc: dict, name: str = "journal.json") -> Path:
    (root / ".kaplan").mkdir(exist_ok=True)
    path = root / ".kaplan" / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def review(kaplan, root: Path):
    return kaplan("review", "a", "--date", "2026-11-20", cwd=root)


@pytest.mark.parametrize("tmp,target", [
    (".kaplan.yaml.x.tmp", "kaplan.yaml"),
    (".github/workflows/.ci.yml.x.tmp", ".github/workflows/ci.yml"),
    (".github/.CODEOWNERS.x.tmp", ".github/CODEOWNERS"),
    ("plans/.a.yaml.x.tmp", "plans/a.yaml"),  # a plan, but not a temporary name the writer makes
    ("plans/.a.yaml.0123456789abcdef.tmp", "plans/../kaplan.yaml"),  # out of the plans folder
])
def test_a_planted_journal_replaces_nothing_and_is_reported(kaplan, portfolio, tmp, target):
    real_target = portfolio / target
    real_target.parent.mkdir(parents=True, exist_ok=True)
    if not real_target.exists():
        real_target.write_text("on: push\n", encoding="utf-8")
    before = real_target.read_text(encoding="utf-8")
    (portfolio / tmp).parent.mkdir(parents=True, exist_ok=True)
    (portfolio / tmp).write_text(OFF, encoding="utf-8")
    planted = journal(portfolio, {"moves": [[tmp, target]]})
    run = review(kaplan, portfolio)
    assert run.exit_code == 1, run.stderr
    assert real_target.read_text(encoding="utf-8") == before
    assert (portfolio / tmp).read_text(encoding="utf-8") == OFF and planted.exists()
    assert "was not left by an interrupted kaplan write" in run.stderr and "journal.json" in run.stderr
    assert "moved and deleted nothing" in run.stderr
    assert "Jo Owner" in (portfolio / "plans" / "a.yaml").read_text() and "reviews" not in \
        (portfolio / "plans" / "a.yaml").read_text()  # the review itself was not recorded either


def test_a_planted_journal_stops_an_import_too(kaplan, portfolio):
    (portfolio / ".kaplan.yaml.x.tmp").write_text(OFF, encoding="utf-8")
    journal(portfolio, {"moves": [[".kaplan.yaml.x.tmp", "kaplan.yaml"]]})
    (portfolio / "export.csv").write_text("account,period,revenue\na,2026-Q2,100\n", encoding="utf-8")
    run = kaplan("import", "export.csv", "--as", "financials", cwd=portfolio)
    assert run.exit_code == 1
    assert (portfolio / "kaplan.yaml").read_text() == CONFIG
    assert "was not left by an interrupted kaplan write" in run.stderr


@pytest.mark.parametrize("where", ["absolute", "dotdot"])
def test_a_planted_pending_journal_deletes_nothing_outside(kaplan, portfolio, tmp_path, where):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    victim = outside / ".notes.txt.autosave.tmp"
    victim.write_text("my work\n", encoding="utf-8")
    kept = outside / ".notes.txt.0123456789abcdef.tmp"  # even a name of the writer's own form
    kept.write_text("mine too\n", encoding="utf-8")
    target = str(outside / "notes.txt") if where == "absolute" else "../elsewhere/notes.txt"
    journal(portfolio, {"targets": [target]}, "journal.pending.json")
    run = review(kaplan, portfolio)
    assert run.exit_code == 1
    assert victim.read_text() == "my work\n" and kept.read_text() == "mine too\n"
    assert "journal.pending.json was not left by an interrupted kaplan write" in run.stderr


def test_a_journal_git_tracks_is_refused_even_when_it_names_a_plan(kaplan, portfolio):
    """A hidden temporary file committed beside a plan, with a committed journal, would replace the plan
    unreviewed: git tracking the journal is enough to refuse it."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    tmp = "plans/.a.yaml.0123456789abcdef.tmp"
    (portfolio / tmp).write_text(PLAN.replace("Acme", "Evil"), encoding="utf-8")
    journal(portfolio, {"moves": [[tmp, "plans/a.yaml"]]})
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=portfolio, check=True)
    subprocess.run([*git, "add", "-A"], cwd=portfolio, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=portfolio, check=True)
    run = review(kaplan, portfolio)
    assert run.exit_code == 1
    assert "Acme" in (portfolio / "plans" / "a.yaml").read_text()
    assert "git tracks .kaplan/journal.json" in run.stderr


def test_a_kaplan_folder_that_is_a_link_is_refused(kaplan, portfolio, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (portfolio / ".kaplan").symlink_to(outside)
    run = review(kaplan, portfolio)
    assert run.exit_code == 1 and "not a folder" in run.stderr
    assert list(outside.iterdir()) == []


def test_a_real_interrupted_set_is_finished_and_said_so(kaplan, portfolio):
    """What an interrupted write really leaves is still finished, and the command says it did that."""
    from kaplan.writing.files import _temp_beside

    new = PLAN.replace("Acme", "Acme Group")
    tmp = _temp_beside(portfolio / "plans" / "a.yaml", new.encode(), 0o644)
    journal(portfolio, {"moves": [[os.path.relpath(tmp, portfolio), "plans/a.yaml"]]})
    run = review(kaplan, portfolio)
    assert run.exit_code == 0, run.stderr
    assert "kaplan finished it: plans/a.yaml" in run.stderr and "interrupted" in run.stderr
    text = (portfolio / "plans" / "a.yaml").read_text()
    assert "Acme Group" in text and "2026-11-20" in text
    assert not (portfolio / ".kaplan" / "journal.json").exists()


def test_a_real_pending_journal_removes_only_the_writers_temporary_files(kaplan, portfolio):
    plans = portfolio / "plans"
    left = plans / ".a.yaml.0123456789abcdef.tmp"
    left.write_text("half", encoding="utf-8")
    other = plans / ".a.yaml.swp.tmp"  # not a name the writer makes: someone else's
    other.write_text("keep", encoding="utf-8")
    journal(portfolio, {"targets": ["plans/a.yaml"]}, "journal.pending.json")
    run = review(kaplan, portfolio)
    assert run.exit_code == 0, run.stderr
    assert not left.exists() and other.read_text() == "keep"
    assert "removed its temporary file: plans/.a.yaml.0123456789abcdef.tmp" in run.stderr


def test_a_set_may_write_only_plans_and_the_import_ledger(portfolio):
    from kaplan.writing.batch import write_all
    from kaplan.writing.files import WriteRefused

    with pytest.raises(WriteRefused, match="not in the plans folder"):
        write_all({portfolio / "kaplan.yaml": OFF}, portfolio)
    assert (portfolio / "kaplan.yaml").read_text() == CONFIG
    written = write_all({portfolio / ".kaplan" / "imported.json": "{}\n"}, portfolio, create=True)
    assert [p.name for p in written] == ["imported.json"]


def test_a_recovery_is_said_even_when_the_command_then_fails(kaplan, portfolio):
    from kaplan.writing.files import _temp_beside

    new = PLAN.replace("Acme", "Acme Group")
    tmp = _temp_beside(portfolio / "plans" / "a.yaml", new.encode(), 0o644)
    journal(portfolio, {"moves": [[os.path.relpath(tmp, portfolio), "plans/a.yaml"]]})
    run = kaplan("review", "nobody", "--date", "2026-11-20", cwd=portfolio)
    assert run.exit_code == 2 and "no plan for account `nobody`" in run.stderr
    assert "kaplan finished it: plans/a.yaml" in run.stderr
    assert "Acme Group" in (portfolio / "plans" / "a.yaml").read_text()


def test_a_journal_larger_than_any_kaplan_writes_is_refused_unread(kaplan, portfolio, monkeypatch):
    """A journal names each file of one set (a few MB for 10,000 plans); one of more than the bound —
    here a valid journal that names nothing, padded past it — is refused rather than read into memory."""
    from kaplan.writing import batch

    monkeypatch.setattr(batch, "MAX_JOURNAL", 1000)  # the real bound is 32 MiB; the check is the same
    planted = journal(portfolio, {"moves": [], "padding": "x" * 1000})
    run = review(kaplan, portfolio)
    assert run.exit_code == 1, run.stderr
    assert "was not left by an interrupted kaplan write: it is not a regular file of at most" in run.stderr
    assert planted.exists()


def test_a_journal_nested_too_deep_to_read_is_refused_not_a_traceback(kaplan, portfolio):
    (portfolio / ".kaplan").mkdir(exist_ok=True)
    (portfolio / ".kaplan" / "journal.json").write_text("[" * 200_000, encoding="utf-8")
    (portfolio / "export.csv").write_text("account,period,revenue\na,2026-Q2,100\n", encoding="utf-8")
    run = kaplan("import", "export.csv", "--as", "financials", cwd=portfolio)
    assert run.exit_code == 1 and "Traceback" not in run.stderr, run.stderr
    assert "nested too deeply to be a journal" in run.stderr
    assert (portfolio / "kaplan.yaml").read_text() == CONFIG
