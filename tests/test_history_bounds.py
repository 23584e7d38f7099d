"""Plans read from git history are bounded like plans on disk: a blob over the 5 MiB a plan may be is
never read (its size is known from git's listing first), one revision may hold at most
`MAX_PLANS_AT` plan files, and its plans are read through one `git cat-file --batch`, not one git
process per file."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests._proc import measured

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MiB = 1024 * 1024
PLAN = "kaplan: 1\naccount: {{id: {id}, name: {name}}}\nplan: {{owner: Sam, last_reviewed: {reviewed}}}\n"


def git(cwd: Path, *args: str, date: str = "2026-11-17T10:00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", *args], cwd=cwd,
                   check=True, capture_output=True, env=env)


def portfolio(root: Path, *ids: str) -> Path:
    (root / "plans").mkdir(parents=True, exist_ok=True)
    (root / "kaplan.yaml").write_text("plans: plans\n")
    for account in ids:
        (root / "plans" / f"{account}.yaml").write_text(PLAN.format(id=account, name=account.title(),
                                                                      reviewed="2026-11-01"))
    git(root, "init", "-q")
    return root


def big_plan(path: Path, size: int) -> None:
    """A valid plan padded with a comment to `size` bytes: over the bound, it would parse. Written a
    MiB at a time, so the test process does not grow (a child it starts counts its size as its own)."""
    head = PLAN.format(id=path.stem, name=path.stem.title(), reviewed="2026-10-01").encode()
    with path.open("wb") as out:
        out.write(head + b"# ")
        left = size - len(head) - 3
        while left > 0:
            out.write(b"x" * min(left, MiB))
            left -= MiB
        out.write(b"\n")


def test_a_blob_over_the_size_bound_is_named_and_never_read(tmp_path: Path) -> None:
    root = portfolio(tmp_path, "acme")
    big_plan(root / "plans" / "big.yaml", 128 * MiB)  # git stores it compressed, in about 0.2 MiB
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "a huge plan")
    git(root, "rm", "-q", "plans/big.yaml")
    git(root, "commit", "-q", "-m", "gone again")
    r = measured(["risk", "--since", "HEAD~1", "--today", "2026-11-20"], root, env={"KAPLAN_NO_CACHE": "1"})
    assert not r.timed_out and "Traceback" not in r.stderr, r.stderr
    assert r.exit_code == 1, r.stderr  # a plan left out of the answer, as for plans on disk
    assert "plans/big.yaml at " in r.stderr and "128.0 MiB, over the 5 MiB a plan may be" in r.stderr
    assert "Acme" in r.stdout  # the comparison is still made for the others
    # never read: reading it whole took two copies, 2 x 128 MiB, besides the ~50 MB of a run
    assert r.peak_rss_mb < 128, r.peak_rss_mb
    ok = measured(["risk", "--since", "HEAD~1", "--today", "2026-11-20", "--skip-invalid"], root,
                  env={"KAPLAN_NO_CACHE": "1"})
    assert ok.exit_code == 0 and "plans/big.yaml" in ok.stderr, ok.stderr


def test_a_plan_too_large_at_its_last_review_is_said_in_the_pack(tmp_path: Path) -> None:
    root = portfolio(tmp_path)
    big_plan(root / "plans" / "acme.yaml", 6 * MiB)  # just over the bound
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "padded", date="2026-10-01T10:00:00")
    (root / "plans" / "acme.yaml").write_text(PLAN.format(id="acme", name="Acme", reviewed="2026-11-01"))
    git(root, "commit", "-q", "-am", "reviewed", date="2026-11-02T10:00:00")
    r = measured(["report", "acme", "-f", "md", "--today", "2026-11-20"], root, env={"KAPLAN_NO_CACHE": "1"})
    assert r.exit_code == 0 and "Traceback" not in r.stderr, r.stderr
    # the last review (2026-11-01) is compared with the commit of 2026-10-01, whose file was not read
    assert "the plan as committed on 2026-10-01 was not read: plans/acme\\.yaml at " in r.stdout
    assert "6.0 MiB, over the 5 MiB a plan may be" in r.stdout


def test_one_revision_holds_at_most_the_bounded_number_of_plans(tmp_path: Path, kaplan, monkeypatch) -> None:
    from kaplan.reading import history

    root = portfolio(tmp_path, "a1", "a2", "a3", "a4")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "four plans")
    monkeypatch.setattr(history, "MAX_PLANS_AT", 3)
    r = kaplan("risk", "--since", "HEAD", cwd=root)
    assert r.exit_code == 2
    assert "holds more than 3 plan files at " in r.stderr and "Traceback" not in r.stderr
    monkeypatch.setattr(history, "MAX_PLANS_AT", 4)
    assert kaplan("risk", "--since", "HEAD", cwd=root).exit_code == 0


def test_plans_of_a_revision_are_read_by_one_git_process(tmp_path: Path, kaplan, monkeypatch) -> None:
    ids = [f"a{n:03d}" for n in range(60)]
    root = portfolio(tmp_path, *ids)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "sixty plans")
    started: list[list[str]] = []
    run, popen = subprocess.run, subprocess.Popen

    class Counted(popen):
        def __init__(self, args, *a, **k):
            if args and args[0] == "git":
                started.append(list(args))
            super().__init__(args, *a, **k)

    monkeypatch.setattr(subprocess, "Popen", Counted)
    monkeypatch.setattr(subprocess, "run", lambda args, *a, **k: (started.append(list(args)), run(args, *a, **k))[1])
    r = kaplan("risk", "--since", "HEAD", "--format", "json", cwd=root)
    assert r.exit_code == 0, r.stderr
    assert {a["account"]: a["change"] for a in r.json()["accounts"]} == {i: "no change" for i in ids}
    # a handful of questions (the top, the commit, its date, the listing, the blobs), not 60 + those
    assert len(started) < 15, [a[-3:] for a in started]


def test_one_plan_at_a_commit_is_read_within_the_bound(tmp_path: Path) -> None:
    from kaplan.reading import history

    root = portfolio(tmp_path, "acme")
    big_plan(root / "plans" / "big.yaml", 6 * MiB)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "two plans")
    commit = history.resolve(root, "HEAD")
    assert history.plan_at(root, commit, "plans/acme.yaml").account.id == "acme"
    assert history.plan_at(root, commit, "plans/big.yaml") is None  # 6 MiB: over the bound, not read
    assert history.plan_at(root, commit, "plans/none.yaml") is None
    assert history.plan_at(root, commit, "plans/acme.yaml\nHEAD:plans/acme.yaml") is None  # one name a line


def test_an_account_whose_old_plan_was_too_large_is_not_called_new(tmp_path: Path, kaplan) -> None:
    root = portfolio(tmp_path, "beta")
    big_plan(root / "plans" / "acme.yaml", 6 * MiB)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "acme padded")
    (root / "plans" / "acme.yaml").write_text(PLAN.format(id="acme", name="Acme", reviewed="2026-11-01"))
    r = kaplan("risk", "--since", "HEAD", "--format", "json", "--today", "2026-11-20", cwd=root)
    assert r.exit_code == 1, r.stderr
    doc = r.json()
    assert doc["new_accounts"] == []  # acme was there, unread; beta was read
    assert len(doc["history_left_out"]) == 1 and doc["history_left_out"][0].startswith("plans/acme.yaml at ")
    assert "6.0 MiB, over the 5 MiB a plan may be" in r.stderr


def test_the_size_of_a_plan_left_out_is_rounded_as_every_figure_is(tmp_path: Path, kaplan) -> None:
    root = portfolio(tmp_path)
    big_plan(root / "plans" / "acme.yaml", 5_505_024)  # 5,505,024 / 1,048,576 = 5.25 MiB, over the 5 MiB
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "acme padded")
    (root / "plans" / "acme.yaml").write_text(PLAN.format(id="acme", name="Acme", reviewed="2026-11-01"))
    r = kaplan("risk", "--since", "HEAD", "--today", "2026-11-20", cwd=root)
    assert "Traceback" not in r.stderr, r.stderr
    # 5.25 to one decimal, half away from zero (kaplan.rounding) is 5.3; Python's `:.1f` said 5.2
    assert "is 5.3 MiB, over the 5 MiB a plan may be" in r.stderr


def test_packs_of_accounts_reviewed_on_many_days_read_each_plan_once_and_keep_few_revisions(
        tmp_path: Path, kaplan, monkeypatch) -> None:
    """`report --all` over accounts each reviewed on its own day: one revision a day, each changing
    one plan. Each file content is parsed once whatever the revisions it is in (12 plans, 12
    revisions: 12 + 12 contents, not 12 × 12), and the revisions kept at once stay bounded."""
    from kaplan.commands import since_review
    from kaplan.reading import history

    root = tmp_path / "p"
    (root / "plans").mkdir(parents=True)
    (root / "kaplan.yaml").write_text("plans: plans\n")
    git(root, "init", "-q")
    ids = [f"a{i:02}" for i in range(1, 13)]
    for i, account in enumerate(ids, start=1):  # a01 reviewed and committed on 2026-10-01, a02 the next day…
        day = f"2026-10-{i:02}"
        (root / "plans" / f"{account}.yaml").write_text(PLAN.format(id=account, name=account.title(), reviewed=day))
        git(root, "add", "-A", date=f"{day}T10:00:00")
        git(root, "commit", "-q", "-m", account, date=f"{day}T10:00:00")
    for account in ids:  # then every plan changed: each pack compares with its review's revision
        path = root / "plans" / f"{account}.yaml"
        path.write_text(path.read_text().replace("owner: Sam", "owner: Kim"))
    git(root, "commit", "-q", "-am", "owners", date="2026-11-01T10:00:00")
    parsed, kept = [], []
    real_plan, real_at = history._plan, since_review._at
    monkeypatch.setattr(history, "_plan", lambda name, raw: parsed.append(name) or real_plan(name, raw))

    def at(portfolio, day, cache):
        found = real_at(portfolio, day, cache)
        kept.append(sum(1 for k in cache if isinstance(k, tuple) and k[0] == "plans"))
        return found

    monkeypatch.setattr(since_review, "_at", at)
    monkeypatch.setattr(since_review, "KEPT_COMMITS", 3)
    r = kaplan("report", "--all", "-f", "md", "--today", "2026-11-20", "--out", str(tmp_path / "packs"), cwd=root)
    assert r.exit_code == 0, r.stderr
    for i, account in enumerate(ids, start=1):
        pack = (tmp_path / "packs" / f"{account}.md").read_text()
        assert f"Compared with the plan as committed on 2026-10-{i:02}, the last commit on or before" in pack, pack
    # the revision of day i holds i plans, i − 1 of them as the revision before held them
    assert len(parsed) == len(ids), sorted(parsed)
    assert max(kept) <= 3
