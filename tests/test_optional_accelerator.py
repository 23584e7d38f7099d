"""yaml-rs is an accelerator: installed where it has wheels, and kaplan gives the same answers without it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib

from packaging.requirements import Requirement

from conftest import EXAMPLES, REPO, TODAY

WITHOUT = """
import sys
sys.modules["yaml_rs"] = None  # as on a platform where it could not be installed
from kaplan.cli.app import main
sys.argv = ["kaplan", *sys.argv[1:]]
main()
"""


def _check(tmp_path, *prefix: str) -> dict:
    env = {**os.environ, "KAPLAN_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, *prefix, "check", "--today", TODAY.isoformat(), "--format", "json"],
                          cwd=EXAMPLES, capture_output=True, text=True, env=env, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout)


def test_check_gives_the_same_findings_without_yaml_rs(tmp_path):
    fast = _check(tmp_path / "a", "-c", WITHOUT.replace('sys.modules["yaml_rs"] = None', "import yaml_rs"))
    plain = _check(tmp_path / "b", "-c", WITHOUT)
    assert plain == fast


def test_the_default_install_asks_for_yaml_rs_only_where_it_has_wheels():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    req = next(Requirement(d) for d in project["dependencies"] if d.startswith("yaml-rs"))
    cpython = {"platform_python_implementation": "CPython", "python_version": "3.12"}
    assert req.marker.evaluate(cpython)
    assert not req.marker.evaluate({**cpython, "platform_python_implementation": "PyPy"})
    assert not req.marker.evaluate({**cpython, "python_version": "3.15"})
    assert [Requirement(d).name for d in project["optional-dependencies"]["fast"]] == ["yaml-rs"]
