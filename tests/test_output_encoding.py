"""A terminal or CI log whose encoding is not UTF-8 (cp1252, ascii) still shows every finding and
figure: a character it cannot encode is written as an escape, never a crash that hides the output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests._proc import measured

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _portfolio(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    (root / "plans").mkdir(parents=True)
    (root / "kaplan.yaml").write_text("plans: plans\n", encoding="utf-8")
    (root / "plans" / "acme.yaml").write_text(
        "kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Sam}\nownΩr: x\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_check_shows_a_finding_it_cannot_encode(tmp_path: Path, encoding: str) -> None:
    root = _portfolio(tmp_path)
    r = measured(["check", "--today", "2026-03-01"], root, env={"PYTHONIOENCODING": encoding, "KAPLAN_NO_CACHE": "1"})
    assert r.exit_code == 1, r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    # the unknown key on line 4, column 1, with its Ω (U+03A9) written as an escape
    assert "plans/acme.yaml:4:1:" in r.stdout
    assert "own\\u03a9r" in r.stdout


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
@pytest.mark.parametrize("args", [["score"], ["risk"], ["report", "kestrel-freight", "-f", "md"]])
def test_figures_print_to_a_narrow_terminal(tmp_path: Path, encoding: str, args: list[str]) -> None:
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    r = measured([*args, "--today", "2026-03-01"], root, env={"PYTHONIOENCODING": encoding, "KAPLAN_NO_CACHE": "1"})
    assert "Traceback" not in r.stderr and "UnicodeEncodeError" not in r.stderr, r.stderr
    assert r.exit_code == 0, r.stderr
    assert "Kestrel" in r.stdout  # the figures are all there, not cut off at the first symbol
    if encoding == "ascii":  # kaplan's own symbols (≥ U+2265, − U+2212, – U+2013, emoji) are escapes
        assert r.stdout.isascii() and "\\u" in r.stdout
