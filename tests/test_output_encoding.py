"""A terminal or CI log whose encoding is not UTF-8 (cp1252, ascii) still shows every finding and
figure: a character it cannot encode is written as an escape, never a crash that hides the output.
JSON and SARIF are ASCII with JSON's own escapes, valid on any stream; a CSV the stream cannot carry
exactly is refused (exit 2), never written with Python's escapes as data.
Output that cannot be written at all (a full disk, a closed descriptor, a reader that stopped) is a
plain message and an exit code, never a traceback."""

from __future__ import annotations

import json
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


NAME = "Rén ☃ 😀"  # é is in cp1252, not in ascii; ☃ in neither; 😀 past the Basic Multilingual Plane


def _named(tmp_path: Path, finding: bool = False) -> Path:
    """A portfolio of one plan named `NAME`; with `finding`, a second plan whose unknown key `nämé` is an error."""
    root = tmp_path / "named"
    (root / "plans").mkdir(parents=True)
    (root / "kaplan.yaml").write_text("plans: plans\n", encoding="utf-8")
    (root / "plans" / "ren.yaml").write_text(
        f'kaplan: 1\naccount: {{id: ren, name: "{NAME}"}}\nplan: {{owner: Sam}}\nfinancials:\n  currency: EUR\n'
        '  periods:\n    - {period: "2026-Q3", revenue: 1000}\n', encoding="utf-8")
    if finding:
        (root / "plans" / "bad.yaml").write_text("kaplan: 1\naccount: {id: bad, name: Bad}\nplan: {owner: Sam}\nnämé: x\n",
                                                 encoding="utf-8")
    return root


def _bytes_of(args: list[str], root: Path, encoding: str) -> subprocess.CompletedProcess:
    from tests._proc import kaplan_command

    return subprocess.run(kaplan_command() + args, cwd=root, capture_output=True, timeout=60,
                          env={**os.environ, "NO_COLOR": "1", "KAPLAN_NO_CACHE": "1", "PYTHONIOENCODING": encoding})


JSON_OUTPUTS = [  # (arguments, exit code: 1 where the unknown key is a finding, the name where the output holds it)
    (["score", "--format", "json"], 0, lambda d: d["accounts"][0]["name"]),
    (["score", "--explain", "ren", "--format", "json"], 0, lambda d: d["name"]),
    (["score", "--list-sources", "--format", "json"], 0, None),
    (["risk", "--format", "json"], 0, lambda d: d["accounts"][0]["name"]),
    (["check", "--format", "json"], 1, None),
    (["check", "--format", "sarif"], 1, None),
    (["check", "--list-rules", "--format", "json"], 0, None),
    (["schema", "plan"], 0, None),
    (["schema", "config"], 0, None),
]


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_json_and_sarif_are_valid_json_whatever_stdout_s_encoding(tmp_path: Path, encoding: str) -> None:
    root = _named(tmp_path, finding=True)
    for args, code, name in JSON_OUTPUTS:
        more = ["--today", "2026-11-24", "--skip-invalid"] if args[0] in ("score", "risk") else []
        r = _bytes_of([*args, *more], root, encoding)
        assert r.returncode == code, (args, r.stderr)
        # ASCII with JSON's own escapes (\u00e9, never Python's \xe9), so the same bytes on any stream,
        # and UTF-8 JSON as RFC 8259 asks (a cp1252 stream wrote é as the byte 0xe9)
        assert r.stdout.isascii(), (args, r.stdout[:200])
        doc = json.loads(r.stdout)
        if name is not None:
            assert name(doc) == NAME, args
    finding = json.loads(_bytes_of(["check", "--format", "json"], root, encoding).stdout)["findings"][0]
    assert "nämé" in finding["message"]


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
@pytest.mark.parametrize("args", [["score"], ["risk"], ["score", "--explain", "ren"], ["score", "--list-sources"]])
def test_a_csv_the_output_cannot_carry_is_refused_not_escaped(tmp_path: Path, encoding: str, args: list[str]) -> None:
    root = _named(tmp_path)
    if args == ["score", "--explain", "ren"]:  # its cells are kaplan's own words: give a criterion a name
        (root / "kaplan.yaml").write_text(
            "plans: plans\nscoring:\n  criteria:\n    volumen☃: {source: revenue_ttm, weight: 1, normalise: {method: minmax}}\n"
            "  matrix: {attractiveness: {volumen☃: 1}, strength: {volumen☃: 1}}\n", encoding="utf-8")
    r = _bytes_of([*args, "--format", "csv", "--today", "2026-11-24"], root, encoding)
    assert r.returncode == 2, r.stderr
    assert r.stdout == b""  # not one line of it, rather than `R\xe9n` as a name
    assert r.stderr.count(b"\n") == 1 and b"Traceback" not in r.stderr
    assert b"cannot write" in r.stderr and b"PYTHONIOENCODING=utf-8" in r.stderr


def test_a_csv_is_written_in_the_encoding_asked_for(tmp_path: Path) -> None:
    root = _named(tmp_path)
    plan = root / "plans" / "ren.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(NAME, "Rén"), encoding="utf-8")
    cp1252 = _bytes_of(["score", "--format", "csv", "--today", "2026-11-24"], root, "cp1252")
    assert cp1252.returncode == 0, cp1252.stderr
    assert b",R\xe9n," in cp1252.stdout  # é as cp1252 writes it: the name exactly, in the stream's encoding
    utf8 = _bytes_of(["score", "--format", "csv", "--today", "2026-11-24"], root, "utf-8")
    assert utf8.returncode == 0 and ",Rén,".encode() in utf8.stdout


def _two_plans(tmp_path: Path) -> Path:
    """acme has an error (the unknown key `ownΩr`); beta is valid."""
    root = _portfolio(tmp_path)
    (root / "plans" / "beta.yaml").write_text("kaplan: 1\naccount: {id: beta, name: Beta}\nplan: {owner: Sam}\n")
    return root


@pytest.mark.parametrize("args, code", [
    (["check"], 1),  # acme's error
    (["check", "--format", "json"], 1),
    (["check", "plans/beta.yaml"], 0),
    (["score"], 1),  # acme left out of the ranking
    (["score", "--skip-invalid", "--format", "csv"], 0),
    (["risk"], 1),
    (["report", "beta", "-f", "md"], 0),  # beta's own pack is whole
    (["report", "--portfolio", "-f", "md"], 1),
])
def test_a_reader_gone_before_the_output_keeps_the_command_s_exit_code(tmp_path: Path, args, code) -> None:
    # `kaplan check | true`: click exited 1 on the broken pipe whatever was found, `report` 2
    root = _two_plans(tmp_path)
    with open(os.devnull, "w") as devnull:  # the output written where nobody reads it: the code to keep
        written = _child([*args, "--today", "2026-03-01"], root, stdout=devnull)
        written.communicate(timeout=60)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before kaplan writes a byte: every write is EPIPE
    try:
        proc = _child([*args, "--today", "2026-03-01"], root, stdout=write_end)
    finally:
        os.close(write_end)
    _, err = proc.communicate(timeout=60)
    assert written.returncode == code
    assert proc.returncode == code, err
    assert b"Traceback" not in err and b"Exception ignored" not in err and b"Broken pipe" not in err, err
