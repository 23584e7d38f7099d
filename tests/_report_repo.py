"""The report fixture portfolio as a git repository with a known history, for review-pack tests.

tests/fixtures/report/before/ is committed first (on 2026-07-01), today's plans second (on
2026-10-20), with fixed names, dates and time zone, so "what changed since the last review" reads
the same history on every machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from kaplan.reading.loader import load_plan
from kaplan.model import Plan

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "report"
GOLDEN = FIXTURE / "golden"
ACCOUNT = "acme-retail"

GIT_ENV = {"TZ": "UTC", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid"}


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, **GIT_ENV}
    if date:
        env.update(GIT_AUTHOR_DATE=f"{date}T12:00:00+00:00", GIT_COMMITTER_DATE=f"{date}T12:00:00+00:00")
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def make_repo(root: Path, monkeypatch=None) -> Path:
    """Lay the fixture portfolio out in `root` as a git repository with two commits; returns `root`."""
    if monkeypatch is not None:  # kaplan runs git itself: same zone and no user config
        for key, value in GIT_ENV.items():
            monkeypatch.setenv(key, value)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE / "kaplan.yaml", root / "kaplan.yaml")
    shutil.copytree(FIXTURE / "before", root / "plans")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "plans as at the summer reviews", date="2026-07-01")
    shutil.rmtree(root / "plans")
    shutil.copytree(FIXTURE / "plans", root / "plans")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "plans after the autumn reviews", date="2026-10-20")
    return root


def copy_plain(root: Path) -> Path:
    """The fixture portfolio in `root` without git history."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURE / "kaplan.yaml", root / "kaplan.yaml")
    shutil.copytree(FIXTURE / "plans", root / "plans")
    return root


def poison(portfolio: Path, payload: str) -> int:
    """Put `payload` into every free-text field of the fixture plan; how many fields took it."""
    path = portfolio / "plans" / f"{ACCOUNT}.yaml"
    doc = load_plan(path).plan.model_dump(mode="json", by_alias=True, exclude_none=True)
    count = 0

    def walk(value, where):
        nonlocal count
        if isinstance(value, dict):
            for key in list(value):
                walk(value[key], (*where, key))
        elif isinstance(value, list):
            for i in range(len(value)):
                walk(value[i], (*where, i))
        elif isinstance(value, str):
            parent = doc
            for step in where[:-1]:
                parent = parent[step]
            parent[where[-1]] = payload
            try:
                Plan.model_validate(doc)
                count += 1
            except Exception:  # an id, an enum, a date: not free text
                parent[where[-1]] = value

    walk(json.loads(json.dumps(doc)), ())
    path.write_text(json.dumps(doc), encoding="utf-8")  # JSON is YAML; \u escapes keep control characters legal
    return count
