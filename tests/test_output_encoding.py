"""A terminal or CI log whose encoding is not UTF-8 (cp1252, ascii) still shows every finding and
figure: a character it cannot encode is written as an escape, never a crash that hides the output.
Output that cannot be written at all (a full disk, a closed descriptor, a reader that stopped) is a
plain message and an exit code, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
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


def _child(args: list[str], root: Path, **popen) -> subprocess.Popen:
    from tests._proc import kaplan_command

    return subprocess.Popen(kaplan_command() + args, cwd=root, stderr=subprocess.PIPE,
                            env={**os.environ, "NO_COLOR": "1", "KAPLAN_NO_CACHE": "1"}, **popen)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("args", [["check"], ["score"], ["risk"], ["check", "--format", "json"],
                                  ["report", "acme", "-f", "md"]])
def test_output_to_a_full_disk_is_an_error_not_a_traceback(tmp_path: Path, args: list[str]) -> None:
    root = _portfolio(tmp_path)
    (root / "plans" / "acme.yaml").write_text("kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Sam}\n")
    with open("/dev/full", "w") as full:
        proc = _child([*args, "--today", "2026-03-01"], root, stdout=full)
        _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err, err
    assert proc.returncode == 2
    assert b"No space left on device" in err and b"None" not in err


def test_a_closed_standard_output_keeps_the_exit_code(tmp_path: Path) -> None:
    root = _portfolio(tmp_path)  # one error: the unknown key
    proc = _child(["check", "--today", "2026-03-01"], root, preexec_fn=lambda: os.close(1))
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err, err
    assert proc.returncode == 1


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    root = _portfolio(tmp_path)
    actions = "".join(f"  - {{id: a{n}, action: Call them about the renewal {n}, owner: Sam}}\n" for n in range(5000))
    (root / "plans" / "acme.yaml").write_text(
        "kaplan: 1\naccount: {id: acme, name: Acme}\nplan: {owner: Sam}\nactions:\n" + actions)
    proc = _child(["report", "acme", "-f", "md", "--today", "2026-03-01"], root, stdout=subprocess.PIPE)
    assert proc.stdout.read(100)  # then stop reading, as `| head` does, long before the pack's end
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert b"Traceback" not in err and b"Exception ignored" not in err, err
