"""Reading history never runs a program a repository's settings name, nor believes a repository
someone else owns: kaplan lets git find the repository (so git's own ownership check holds), and runs
it without a file system monitor or signature checks. A commit git cannot date is said plainly."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PLAN = "kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Sam, last_reviewed: 2026-11-01}\n"
DAY = "2026-11-20"


def git(root: Path, *args: str, date: str = "2026-11-01T10:00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", *args], cwd=root,
                          check=True, capture_output=True, env=env, text=True).stdout.strip()


def tripwire(tmp_path: Path) -> tuple[Path, Path]:
    """A program that leaves a mark when run (and fails, as a signature check that finds nothing would)."""
    mark = tmp_path / "ran"
    program = tmp_path / "program"
    program.write_text(f"#!/bin/sh\necho ran >> {mark}\necho 'gpg: Good signature from \"T\"'\nexit 1\n")
    program.chmod(0o755)
    return program, mark


def portfolio(folder: Path) -> Path:
    (folder / "plans").mkdir(parents=True)
    (folder / "kaplan.yaml").write_text("plans: plans\n")
    (folder / "plans" / "acme.yaml").write_text(PLAN)
    return folder


def signed_commit(root: Path) -> str:
    """A commit carrying a (meaningless) signature, as HEAD: `git show` with signatures on runs the
    signature program on it."""
    git(root, "add", "-A")
    tree = git(root, "write-tree")
    body = (f"tree {tree}\nauthor T <t@example.invalid> 1761991200 +0000\ncommitter T <t@example.invalid> "
            "1761991200 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQ==\n -----END PGP SIGNATURE-----\n\nreviewed\n")
    commit = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=root, input=body,
                            capture_output=True, text=True, check=True).stdout.strip()
    git(root, "update-ref", "HEAD", commit)
    return commit


@pytest.fixture(autouse=True)
def no_outside_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("TZ", "UTC")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="giving a repository to another user needs root")
def test_a_repository_someone_else_owns_is_not_read(kaplan, tmp_path):
    # /shared holds someone else's repository; the portfolio is a folder inside it, not yet in git
    shared = tmp_path / "shared"
    shared.mkdir()
    root = portfolio(shared / "mine")
    program, mark = tripwire(tmp_path)
    git(shared, "init", "-q")
    signed_commit(shared)
    git(shared, "config", "gpg.program", str(program))
    git(shared, "config", "log.showSignature", "true")
    git(shared, "config", "core.fsmonitor", str(program))
    subprocess.run(["chown", "-R", "nobody", str(shared / ".git")], check=True)
    r = kaplan("report", "acme", "-f", "md", "--today", DAY, cwd=root)
    assert r.exit_code == 0, r.stderr
    assert "No comparison: the git repository at " in r.stdout and " belongs to another user" in r.stdout, r.stdout
    s = kaplan("risk", "--since", "HEAD", "--today", DAY, cwd=root)
    assert s.exit_code == 2 and "Traceback" not in s.stderr
    assert f"git config --global --add safe.directory {shared}" in s.stderr, s.stderr
    assert not mark.exists(), "a program named by someone else's repository settings was run"


def test_a_signature_program_in_the_users_settings_is_not_run_and_the_date_is_read(kaplan, tmp_path, monkeypatch):
    root = portfolio(tmp_path / "portfolio")
    program, mark = tripwire(tmp_path)
    settings = tmp_path / "gitconfig"
    settings.write_text(f"[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {program}\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(settings))
    from kaplan.reading import history

    git(root, "init", "-q")
    commit = signed_commit(root)  # committed 2025-11-01 10:00 UTC (1761991200)
    assert history.commit_day(root, commit) == dt.date(2025, 11, 1)
    r = kaplan("risk", "--since", "HEAD", "--format", "json", "--today", DAY, cwd=root)
    assert r.exit_code == 0 and "Traceback" not in r.stderr, r.stderr
    assert [a["account"] for a in r.json()["accounts"]] == ["acme"]
    pack = kaplan("report", "acme", "-f", "md", "--today", DAY, cwd=root)
    assert pack.exit_code == 0 and "Traceback" not in pack.stderr, pack.stderr
    assert not mark.exists(), "the signature program was run"


def test_a_file_system_monitor_in_the_repository_settings_is_not_run(tmp_path):
    from kaplan.reading import history

    root = portfolio(tmp_path / "portfolio")
    program, mark = tripwire(tmp_path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "plans")
    git(root, "config", "core.fsmonitor", str(program))
    assert history.tracked(root, [root / "plans" / "acme.yaml"]) == [root / "plans" / "acme.yaml"]
    assert not mark.exists(), "the file system monitor was run"


def test_a_commit_without_a_date_is_said_plainly(kaplan, tmp_path):
    root = portfolio(tmp_path / "portfolio")
    git(root, "init", "-q")
    git(root, "add", "-A")
    tree = git(root, "write-tree")
    body = f"tree {tree}\nauthor T <t@example.invalid>\ncommitter T <t@example.invalid>\n\nno date\n"
    commit = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin", "--literally"], cwd=root,
                            input=body, capture_output=True, text=True, check=True).stdout.strip()
    git(root, "update-ref", "HEAD", commit)
    r = kaplan("risk", "--since", "HEAD", "--today", DAY, cwd=root)
    assert "Traceback" not in r.stderr and "Invalid isoformat" not in r.stderr + r.stdout
    assert r.exit_code in (0, 2), (r.exit_code, r.stdout, r.stderr)
    assert "has no date git can show" in r.stdout + r.stderr, (r.stdout, r.stderr)


def hostile_clone(tmp_path: Path, mark: Path) -> Path:
    """A repository, as cloned, that commits a folder `x` which is itself a git directory (HEAD,
    config, objects, refs): a partial clone of the portfolio whose missing file contents git would
    fetch through the `uploadpack` program its settings name. The portfolio sits inside `x`."""
    source = tmp_path / "source"
    portfolio(source / "portfolio")
    git(source, "init", "-q")
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "plans", date="2026-10-01T10:00:00")
    bare = tmp_path / "bare"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    git(bare, "fetch", "-q", str(source), "HEAD:refs/heads/main")
    git(bare, "symbolic-ref", "HEAD", "refs/heads/main")
    for pack in (bare / "objects" / "pack").glob("*.pack"):  # every object loose, then the contents gone
        moved = tmp_path / pack.name
        pack.rename(moved)
        (bare / "objects" / "pack" / pack.with_suffix(".idx").name).unlink()
        subprocess.run(["git", "unpack-objects", "-q"], cwd=bare, stdin=moved.open("rb"), check=True)
    for blob in git(source, "ls-tree", "-r", "--object-only", "HEAD").split():
        (bare / "objects" / blob[:2] / blob[2:]).unlink()
    for key, value in (("extensions.partialClone", "origin"), ("core.repositoryformatversion", "1"),
                       ("core.bare", "false"), ("core.worktree", "."), ("remote.origin.promisor", "true"),
                       ("remote.origin.url", "/nonexistent/somewhere"),
                       ("remote.origin.uploadpack", f"sh -c 'echo ran >> {mark}'; false")):
        git(bare, "config", key, value)
    outer = tmp_path / "outer"
    shutil.copytree(bare, outer / "x")
    shutil.copytree(source / "portfolio", outer / "x" / "portfolio")
    plan = outer / "x" / "portfolio" / "plans" / "acme.yaml"
    plan.write_text(plan.read_text().replace("owner: Sam", "owner: Kim"))
    git(outer, "init", "-q")
    git(outer, "add", "-A")
    git(outer, "commit", "-q", "-m", "a repository inside", date="2026-11-02T10:00:00")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{outer}", str(clone))
    return clone / "x" / "portfolio"


def test_a_git_directory_committed_into_the_repository_is_never_used_nor_made_to_fetch(kaplan, tmp_path):
    mark = tmp_path / "ran"
    root = hostile_clone(tmp_path, mark)
    pack = kaplan("report", "acme", "-f", "md", "--today", DAY, cwd=root)
    assert pack.exit_code == 0 and "Traceback" not in pack.stderr, pack.stderr
    assert "No comparison:" in pack.stdout
    packs = kaplan("report", "--all", "-f", "md", "--out", str(tmp_path / "packs"), "--today", DAY, cwd=root)
    assert packs.exit_code == 0 and "Traceback" not in packs.stderr, packs.stderr
    since = kaplan("risk", "--since", "HEAD", "--today", DAY, cwd=root)
    assert since.exit_code == 2 and "Traceback" not in since.stderr, since.stderr
    assert not mark.exists(), "a program named by a repository's settings ran"


def test_a_file_named_head_or_a_folder_named_like_a_pattern_changes_nothing(kaplan, tmp_path):
    for name in ("plain", ":(top)"):
        top = tmp_path / name
        top.mkdir()
        root = portfolio(top / "p")
        git(top, "init", "-q")
        git(top, "add", "-A")
        git(top, "commit", "-q", "-m", "plans", date="2026-10-01T10:00:00")
        plan = root / "plans" / "acme.yaml"
        plan.write_text(plan.read_text().replace("owner: Sam", "owner: Kim"))
        (root / "HEAD").write_text("not a revision\n")
        r = kaplan("report", "acme", "-f", "md", "--today", DAY, cwd=root)
        assert r.exit_code == 0, r.stderr
        assert "Compared with the plan as committed on 2026-10-01" in r.stdout, (name, r.stdout)


def test_plans_in_another_repository_than_the_settings_are_said_so(kaplan, tmp_path, monkeypatch):
    settings, plans = tmp_path / "settings", tmp_path / "port"
    settings.mkdir()
    (settings / "kaplan.yaml").write_text("plans: ../port/plans\n")
    git(settings, "init", "-q")
    git(settings, "add", "-A")
    git(settings, "commit", "-q", "-m", "settings")
    portfolio(plans)
    (plans / "kaplan.yaml").unlink()
    git(plans, "init", "-q")
    git(plans, "add", "-A")
    git(plans, "commit", "-q", "-m", "plans")
    monkeypatch.setenv("KAPLAN_CONFIG", str(settings / "kaplan.yaml"))
    r = kaplan("risk", "--since", "HEAD", "--today", DAY, cwd=plans)
    assert r.exit_code == 2 and "Traceback" not in r.stderr, r.stderr
    assert "is not in the git repository of its kaplan.yaml" in " ".join(r.stderr.split()), r.stderr


def test_the_commit_compared_with_is_dated_in_the_time_zone_it_was_chosen_in(kaplan, tmp_path, monkeypatch):
    # reviewed 2026-09-30; a commit at 2026-10-01 01:00 +05:00 is 2026-09-30 20:00 UTC: on or before the
    # review in UTC, and so dated 2026-09-30 there, not 2026-10-01 as its committer's clock read
    root = portfolio(tmp_path / "p")
    plan = root / "plans" / "acme.yaml"
    plan.write_text(plan.read_text().replace("2026-11-01", "2026-09-30"))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first", date="2026-09-01T10:00:00+00:00")
    plan.write_text(plan.read_text().replace("owner: Sam", "owner: Ann"))
    git(root, "commit", "-q", "-am", "late", date="2026-10-01T01:00:00+05:00")
    plan.write_text(plan.read_text().replace("owner: Ann", "owner: Kim"))
    git(root, "commit", "-q", "-am", "later", date="2026-10-05T10:00:00+00:00")
    r = kaplan("report", "acme", "-f", "md", "--today", DAY, cwd=root)
    assert r.exit_code == 0, r.stderr
    assert ("Compared with the plan as committed on 2026-09-30, the last commit on or before the last review "
            "(2026-09-30)") in r.stdout, r.stdout
