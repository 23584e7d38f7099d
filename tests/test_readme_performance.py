"""The README's performance table is the recorded benchmark run, and every target it claims holds there.

`python bench/run.py` writes `bench/results.json`; the README quotes it between the `bench-table`
markers. Re-run the benchmark, then paste `python bench/run.py`'s table (or this test's expected
text) into the README.
"""

from __future__ import annotations

import json
import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from run import table, targets  # noqa: E402

RESULTS = json.loads((REPO / "bench" / "results.json").read_text(encoding="utf-8"))


def _row(plans: int, step: str) -> dict:
    (row,) = [r for r in RESULTS["rows"] if r["plans"] == plans and r["step"] == step]
    return row


def test_the_readme_table_is_the_recorded_run():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    shown = text.split("<!-- bench-table:start -->\n", 1)[1].split("\n<!-- bench-table:end -->", 1)[0]
    assert shown == table(RESULTS["rows"], RESULTS["ratios"])
    assert f"`{RESULTS['meta']['command']}`" in text.replace("pip install '.[bench]' && ", "")


def test_the_readme_says_which_targets_the_recorded_run_meets():
    """Each target is stated with what the recorded run measured and whether it is met: the README
    never claims a target the run missed."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    shown = text.split("<!-- bench-targets:start -->\n", 1)[1].split("\n<!-- bench-targets:end -->", 1)[0]
    assert shown == targets(RESULTS["rows"])
    assert all(r["exit_codes"] in ([0], [1]) for r in RESULTS["rows"])


def test_the_readme_pdf_figures_are_the_recorded_run():
    """`python bench/pdf_bench.py` writes bench/pdf-results.json; the README quotes its figures."""
    recorded = json.loads((REPO / "bench" / "pdf-results.json").read_text(encoding="utf-8"))
    text = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    section = text.split("`python bench/pdf_bench.py`", 1)[1].split(" How: ", 1)[0]
    rows = {r["step"]: r for r in recorded["rows"]}
    one = rows["one account pack as PDF (1000 plans)"]
    largest = rows["one account pack as PDF (the largest example plan, 13 plans)"]
    every = rows["every account pack as PDF (1000 plans)"]
    assert f"{one['median_s']:.1f} s ({one['cpu_s']} s of CPU), load average of {one['load_average']}" in section
    assert f"{largest['median_s']:.1f} s ({largest['cpu_s']} s of CPU)" in section
    assert f"{every['packs_written']} of the 1,000 packs in {every['median_s']:.0f} s" in section
    assert f"load average of {every['load_average']} (at most {every['load_average_max']}" in section
    assert f"{every['cpu_s']:.0f} s of CPU, {every['cpu_s'] / 1000:.2f} s a pack" in section
    # the time on two free cores: the CPU seconds shared by the two cores, in minutes
    assert f"on two free cores that is {every['cpu_s'] / 2 / 60:.1f} minutes" in section
    assert f"a peak of {every['peak_mb']} MB" in section
    assert all(r["exit_codes"] == [0] for r in recorded["rows"])
