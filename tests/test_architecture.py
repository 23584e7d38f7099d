"""The layers ARCHITECTURE.md describes are enforced: import-linter's contracts hold, they catch an
import that breaks them, and no module sits outside them."""

from __future__ import annotations

import configparser
import os
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import kaplan

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = ROOT / ".importlinter"


def _lint(package_parent: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if package_parent is not None:
        env["PYTHONPATH"] = str(package_parent)
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         f"sys.exit(lint_imports(config_filename={str(CONTRACTS)!r}, no_cache=True, no_logo=True))"],
        capture_output=True, text=True, env=env, cwd=package_parent or ROOT, timeout=300)


def test_the_layer_contracts_hold():
    done = _lint()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 kept, 0 broken" in done.stdout


def _copy_package(tmp_path: Path) -> Path:
    source = Path(kaplan.__file__).parent
    shutil.copytree(source, tmp_path / "kaplan", ignore=shutil.ignore_patterns("__pycache__", "templates"))
    return tmp_path


def test_a_core_module_that_reads_files_breaks_the_contracts(tmp_path):
    parent = _copy_package(tmp_path)
    metrics = parent / "kaplan" / "metrics.py"
    metrics.write_text(metrics.read_text() + "\nfrom kaplan.reading.loader import load_plan  # noqa\n")
    done = _lint(parent)
    assert done.returncode == 1
    assert "kaplan.metrics is not allowed to import kaplan.reading" in done.stdout


def test_a_command_reaching_into_another_breaks_the_contracts(tmp_path):
    parent = _copy_package(tmp_path)
    risk = parent / "kaplan" / "commands" / "risk.py"
    risk.write_text(risk.read_text() + "\nfrom kaplan.commands.score import score_summaries  # noqa\n")
    done = _lint(parent)
    assert done.returncode == 1
    assert "kaplan.commands.risk is not allowed to import kaplan.commands.score" in done.stdout


def test_every_part_of_kaplan_sits_in_a_layer():
    config = configparser.ConfigParser()
    config.read(CONTRACTS)
    layered = {name.strip() for line in config["importlinter:contract:layers"]["layers"].split("\n")
               for name in line.replace("|", ":").split(":") if name.strip()}
    parts = {f"kaplan.{m.name}" for m in pkgutil.iter_modules(kaplan.__path__)}
    assert parts - layered == set(), "add the new module to a layer in .importlinter and ARCHITECTURE.md"
    assert layered - parts == set()
    architecture = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for part in parts:
        assert f"`{part.removeprefix('kaplan.')}" in architecture, f"ARCHITECTURE.md does not place {part}"
