"""An error from the system while a command reads or runs what it needs is said as what it is: the file
(or program) that could not be used, why, and what to do; exit 2, never a traceback. Only a failure to
write the output is called one. Here `git`, which the pack runs to compare the plan with its last
review (and `kaplan risk --since` to read an earlier revision), is a file that cannot be run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests._proc import measured

PLAN = "kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Sam, last_reviewed: 2026-11-01}\n"


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    """A plan with a last review (so its pack asks git for its history), and a PATH whose only `git`
    cannot be run (not executable, as after a broken install)."""
    root = tmp_path / "portfolio"
    (root / "plans").mkdir(parents=True)
    (root / "kaplan.yaml").write_text("plans: plans\n")
    (root / "plans" / "acme.yaml").write_text(PLAN)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "git").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "git").chmod(0o644)
    return root


def _said(stderr: str) -> str:
    return " ".join(stderr.split())


@pytest.mark.parametrize("out", [None, "packs/acme.md"])
def test_a_program_the_pack_cannot_run_is_not_called_a_write_error(kaplan, portfolio: Path, out) -> None:
    bin_dir = portfolio.parent / "bin"
    args = ["report", "acme", "-f", "md", "--today", "2026-11-20"] + (["--out", out] if out else [])
    r = kaplan(*args, cwd=portfolio, env={"PATH": str(bin_dir)})
    assert r.exit_code == 2, (r.stdout, r.stderr)
    said = _said(r.stderr)
    assert "cannot write" not in said, said  # was: `kaplan: cannot write git: Permission denied`
    assert ("kaplan: no pack was written: git could not be used (Permission denied); check that it exists "
            "and that you may read it (or run it), then run kaplan again") in said, said
    assert r.stdout == "" and not (portfolio / "packs").exists()


def test_a_pack_that_cannot_be_written_is_still_a_write_error(kaplan, portfolio: Path) -> None:
    (portfolio / "packs").write_text("a file, where the pack's folder would go\n")
    r = kaplan("report", "acme", "-f", "md", "--today", "2026-11-20", "--out", "packs/acme.md", cwd=portfolio)
    assert r.exit_code == 2, (r.stdout, r.stderr)
    assert "kaplan: cannot write packs" in _said(r.stderr), r.stderr
    assert (portfolio / "packs").read_text() == "a file, where the pack's folder would go\n"


def test_any_command_says_what_it_could_not_use_without_a_traceback(portfolio: Path) -> None:
    bin_dir = portfolio.parent / "bin"
    r = measured(["risk", "--since", "HEAD", "--today", "2026-11-20"], portfolio,
                 env={"PATH": str(bin_dir), "KAPLAN_NO_CACHE": "1"})
    assert r.exit_code == 2, r.stderr
    assert "Traceback" not in r.stderr, r.stderr
    assert ("kaplan: git could not be used (Permission denied); check that it exists and that you may read it "
            "(or run it), then run kaplan again") in _said(r.stderr), r.stderr
