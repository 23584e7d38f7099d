"""The Monday Morning Report: the scheduled workflow `kaplan init` writes, and the Markdown it publishes.

The workflow is checked as GitHub and yamllint read it, and its own shell step is run, as the
runner would run it, on the example portfolio kept in a git repository: the job summary it writes
must give the counts, what changed in the last week and the accounts worst first.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import EXAMPLES, MINIMAL

from kaplan import DISTRIBUTION, __version__

WORKFLOW = Path(".github") / "workflows" / "kaplan-risk.yml"


@pytest.fixture
def workflow(kaplan, tmp_path) -> dict:
    r = kaplan("init", "-q", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    return YAML(typ="safe").load((tmp_path / WORKFLOW).read_text(encoding="utf-8"))


def test_init_writes_a_workflow_that_runs_every_monday_and_by_hand(workflow):
    # cron fields: minute hour day-of-month month day-of-week; day-of-week 1 is Monday
    assert workflow["on"]["schedule"] == [{"cron": "0 6 * * 1"}]
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    steps = workflow["jobs"]["risk"]["steps"]
    assert steps[0] == {"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}}  # the history, for --since
    # the distribution is kaplan-plans: `pip install kaplan` is another project
    assert {"run": f'python -m pip install "{DISTRIBUTION}=={__version__}"'} in steps
    assert DISTRIBUTION == "kaplan-plans"
    script = steps[-1]["run"]
    assert "kaplan risk --format markdown" in script and '>> "$GITHUB_STEP_SUMMARY"' in script


def test_the_workflow_passes_yamllint_strict_under_the_yamllint_file_init_writes(kaplan, tmp_path):
    assert kaplan("init", "-q", cwd=tmp_path).exit_code == 0
    r = subprocess.run([sys.executable, "-m", "yamllint", "--strict", "-c", ".yamllint", "-f", "parsable", str(WORKFLOW)],
                       cwd=tmp_path, capture_output=True, text=True)
    assert (r.returncode, r.stdout) == (0, "")


def git(cwd: Path, *args: str, when: dt.datetime | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.strftime("%Y-%m-%dT%H:%M:%S+0000")
    r = subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", *args], cwd=cwd,
                       check=True, capture_output=True, text=True, env=env)
    return r.stdout.strip()


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash")
def test_the_workflow_step_publishes_the_risk_report_of_the_examples(kaplan, tmp_path):
    assert kaplan("init", "-q", cwd=tmp_path).exit_code == 0
    script = YAML(typ="safe").load((tmp_path / WORKFLOW).read_text(encoding="utf-8"))["jobs"]["risk"]["steps"][-1]["run"]
    repo = tmp_path / "portfolio"
    shutil.copytree(EXAMPLES, repo)
    # The commits are dated against the clock the step's `git rev-list --before="7 days ago"` reads
    # (whatever that clock says): the examples ten days ago, this week's edits yesterday.
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "the portfolio", when=now - dt.timedelta(days=10))
    week_ago = git(repo, "rev-parse", "--short=7", "HEAD")
    tallis = repo / "plans" / "tallis-agri.yaml"
    text = tallis.read_text(encoding="utf-8")
    assert "\nrelationships:\n  strength: 3\n" in text
    tallis.write_text(text.replace("\nrelationships:\n  strength: 3\n", "\nrelationships:\n  strength: 1\n"), encoding="utf-8")
    (repo / "plans" / "wren-labs.yaml").write_text(MINIMAL.format(id="wren-labs", name="Wren Labs"), encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "this week", when=now - dt.timedelta(days=1))

    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")  # the step appends, as GitHub's summary file wants
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "NO_COLOR": "1",
           "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
    r = subprocess.run(["bash", "-e", "-c", script], cwd=repo, capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    md = summary.read_text(encoding="utf-8")
    assert md.startswith("earlier step\n## Account risk on ")

    # 13 examples and the new plan; the headline counts are the rows of each colour
    headline = re.search(r"\*\*14 accounts: 🔴 (\d+) red \(high risk\) · 🟠 (\d+) amber \(medium\) · 🟢 (\d+) green "
                         r"\(low\)\*\*", md)
    assert headline, md[:400]
    changes = md.split("### What changed since ", 1)[1].split("\n### ", 1)[0]
    assert changes.startswith(f"{(now - dt.timedelta(days=10)).date()} (`{week_ago}`)\n")
    # the new plan is new; Tallis, whose relationship fell from 3 to 1, is worse; nothing else moved
    assert re.search(r"^\*\*1 worse\*\*, 0 better, 1 new, 12 unchanged\.$", changes, flags=re.M)
    listed = re.findall(r"\(`([a-z-]+)`\) \| (.*) \|$", changes, flags=re.M)
    assert [a for a, _ in listed] == ["tallis-agri", "wren-labs"]
    before, after = map(int, re.match(r"health (\d+) → (\d+)", listed[0][1]).groups())
    assert before > after and listed[1][1] == "new account"
    # every account in one of the tables, worst first within each
    tables = md.split("### Needs attention, worst first\n", 1)[1]
    rows = re.findall(r"^\| (🔴 RED|🟠 AMBER|🟢 GREEN) \| (\d+) \| .*?\(`([a-z-]+)`\)", tables, flags=re.M)
    assert len(rows) == 14 and len({a for _, _, a in rows}) == 14
    counts = [sum(1 for c, _, _ in rows if c.endswith(colour)) for colour in ("RED", "AMBER", "GREEN")]
    assert counts == [int(n) for n in headline.groups()]
    attention = [int(h) for c, h, _ in rows if not c.endswith("GREEN")]
    assert attention == sorted(attention)
    assert f"<details><summary>{counts[2]} green account" in md
