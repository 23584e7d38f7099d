"""The hostile-input corpus (tests/hostile/), run whole through the real `kaplan check`.

Every case must give exit 1 and a finding of the expected rule at the expected line naming the
file, with no traceback and nothing in the file ever run. The bounds are deliberate and generous:
each case must finish within `SECONDS` (most take well under a second), and the big ones run in a
child process whose peak resident memory must stay under `PEAK_RSS_MB` (it is measured with
`os.wait4`; the child's address space is also capped, so a runaway read fails instead of swapping).
`python bench/reliability.py` prints the measured figures.
"""

from __future__ import annotations

import json
import re
import stat
import sys
from pathlib import Path

import pytest

from _proc import measured
from conftest import TODAY
from test_loading import deadline

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
import corpus  # noqa: E402

SECONDS = 20.0
"""Time allowed for any one case: CPU time for the big ones, which run in a child process (the slowest
measured takes about 5 s, a file of 249,500 values read in full), so that a busy machine does not
fail them; they are stopped after three times as long on the clock."""
PEAK_RSS_MB = 450
"""Peak resident memory allowed for any one big case (the largest measured is about 400 MB: 240,000
schema errors, every one of which the validator lists before the first 1,000 are shown)."""

CASES = corpus.all_cases()


def run_case(case: corpus.Case, portfolio: Path, kaplan) -> tuple[int, str, str, float, float | None]:
    """(exit code, stdout, stderr, seconds, peak RSS in MB or None) of `kaplan check` on one case;
    the seconds are CPU time for a big case, else time on the clock."""
    rel = case.prepare(portfolio)
    args = ["check", "--today", TODAY.isoformat(), "--format", "json"] + ([] if case.whole else [str(rel)])
    if case.big:
        m = measured(args, portfolio, timeout=3 * SECONDS)
        assert not m.timed_out, f"still running after {3 * SECONDS} s"
        return m.exit_code, m.stdout, m.stderr, m.cpu_seconds, m.peak_rss_mb
    import time

    started = time.monotonic()
    with deadline(SECONDS):
        r = kaplan(*args, cwd=portfolio)
    return r.exit_code, r.stdout, r.stderr, time.monotonic() - started, None


def file_lines(path: Path) -> int:
    """Lines in the file (CR, LF or CRLF), plus one for a last unterminated line; 1 for anything not a file.

    Only a regular file is opened: a case may be a named pipe or a link to /dev/zero.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return 1
        if info.st_size > 64 * 1024 * 1024:  # the 600 MB case: any line will do
            return info.st_size
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return 1
    return len(re.split("\r\n|\r|\n", text))


def test_the_readme_states_the_corpus_as_it_is():
    """The README's Reliability section names the command that measures it and the corpus's real size."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Reliability", 1)[1].split("\n## ", 1)[0]
    assert "python bench/reliability.py" in section
    assert (Path(__file__).resolve().parents[1] / "bench" / "reliability.py").is_file()
    assert f"| {len(CASES)} cases, " in section


def test_the_corpus_is_complete():
    """Every committed file has its expectation, every expectation its file, and there are at least 40."""
    on_disk = {p.name for p in corpus.HERE.iterdir() if p.suffix == ".yaml"}
    listed = {c.file for c in corpus.committed()}
    assert on_disk == listed
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_is_a_located_finding(case, tmp_path, kaplan):
    portfolio = tmp_path / "portfolio"
    code, out, err, seconds, rss = run_case(case, portfolio, kaplan)
    assert "Traceback" not in out + err
    assert seconds < SECONDS
    if rss is not None:
        assert rss < PEAK_RSS_MB, f"peak memory {rss:.0f} MB"
    assert code == 1, err
    findings = json.loads(out)["findings"]
    named = str(Path("plans") / case.file)
    mine = [f for f in findings if f["path"] == named]
    if not case.whole:
        assert mine == findings, "every finding names the file checked"
    hits = [f for f in mine if f["rule"] == case.rule]
    assert hits, f"no `{case.rule}` finding in {findings}"
    if case.line is not None:
        at = [(f["line"], f["column"]) for f in hits]
        assert any(line == case.line and case.column in (None, column) for line, column in at), at
    limit = file_lines(portfolio / "plans" / case.file)
    assert all(1 <= f["line"] <= limit and f["column"] >= 1 for f in mine)
    assert not (portfolio / corpus.MARKER).exists(), "a tag in the file ran code"
    assert corpus.SECRET not in out + err, "a file outside the portfolio was read"


# ---------------------------------------------------------------- what reaches a terminal or a CI log


def _only(case_id: str) -> corpus.Case:
    return next(c for c in CASES if c.id == case_id)


@pytest.mark.parametrize("case_id", ["escaped-terminal-codes-in-a-value", "file-name-with-a-line-break",
                                     "bidi-override-in-id"])
def test_text_output_never_passes_control_characters_to_the_terminal(case_id, tmp_path, kaplan):
    case = _only(case_id)
    rel = case.prepare(tmp_path)
    r = kaplan("check", str(rel), "--today", TODAY.isoformat(), cwd=tmp_path)
    assert r.exit_code == 1
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", r.stdout), repr(r.stdout)
    lines = r.stdout.splitlines()
    assert all(line.startswith((str(Path("plans") / "evil"), "plans/", "    hint:")) or "checked" in line
               for line in lines), lines


def test_a_file_name_cannot_forge_a_ci_annotation(tmp_path, kaplan):
    case = _only("file-name-with-a-line-break")
    rel = case.prepare(tmp_path)
    r = kaplan("check", str(rel), "--today", TODAY.isoformat(), "--format", "github", cwd=tmp_path)
    lines = r.stdout.splitlines()
    assert len(lines) == 2 and "checked" in lines[1]  # one annotation, then the summary
    # the line break and ESC are shown as escapes (as everywhere), and `::` is GitHub-escaped
    assert lines[0].startswith("::error file=plans/evil\\x0a%3A%3Aerror file=x%3A%3Aforged\\x1b[2J.yaml,line=")
