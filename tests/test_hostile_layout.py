"""A repository laid out to break kaplan (folders nested past what a recursion or a path may hold, a
working folder deleted under it) gets findings or a usage error, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import MINIMAL, TODAY


def _nest(folder, name: str, levels: int):
    """`folder/name/name/…` `levels` deep, made one level at a time (paths past PATH_MAX included)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        with os.fdopen(os.open("plan.yaml", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as fh:
            fh.write("kaplan: 1\n")
    finally:
        try:
            os.close(fd)
        except OSError:
            pass


def _unnest(folder, name: str) -> None:
    """Remove `folder/name/name/…` one level at a time (a recursive removal, as pytest's own clean-up
    of its temporary folders is, runs out of stack on it)."""
    top, inner, spare = os.path.join(folder, name), os.path.join(folder, name, name), os.path.join(folder, "_spare")
    while os.path.isdir(inner):
        os.rename(inner, spare)  # the chain one level shorter
        for entry in os.listdir(top):
            os.unlink(os.path.join(top, entry))
        os.rmdir(top)
        os.rename(spare, top)
    for entry in os.listdir(top):
        os.unlink(os.path.join(top, entry))
    os.rmdir(top)


def test_folders_nested_deeper_than_python_recurses_are_walked(kaplan, tmp_path, monkeypatch):
    """1,100 folders deep (about 2,200 characters of path, which git accepts): the plan at the bottom
    is found and checked; 2,200 deep (past the system's path limit): the folder that cannot be listed
    is named as unreadable."""
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "acme.yaml").write_text(MINIMAL.format(id="acme", name="Acme"))
    try:
        _nest(plans, "a", 1100)
        _nest(plans, "b", 2200)
        monkeypatch.chdir(tmp_path)
        r = kaplan("--no-cache", "check", "--today", TODAY.isoformat(), "--format", "json")
    finally:
        _unnest(plans, "a")
        _unnest(plans, "b")
    assert r.exit_code == 1, r.output
    found = {(f["path"].replace("a/" * 1100, "A/").split("/b/")[0], f["rule"]) for f in r.json()["findings"]}
    assert ("plans/A/plan.yaml", "missing-field") in found
    assert ("plans", "unreadable") in found  # the `b` folder too long a path to list


def test_a_deleted_working_folder_is_a_usage_error(tmp_path):
    plans = tmp_path / "portfolio" / "plans"
    plans.mkdir(parents=True)
    (plans / "acme.yaml").write_text(MINIMAL.format(id="acme", name="Acme"))
    gone = tmp_path / "gone"
    gone.mkdir()
    run = subprocess.run(["sh", "-c", f'cd "{gone}" && rmdir "{gone}" && exec "$0" -m kaplan.cli.app check "{plans}"',
                          sys.executable], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert "the working folder no longer exists" in run.stderr
