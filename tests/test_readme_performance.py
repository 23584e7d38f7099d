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
from run import table  # noqa: E402

RESULTS = json.loads((REPO / "bench" / "results.json").read_text(encoding="utf-8"))


def _row(plans: int, step: str) -> dict:
    (row,) = [r for r in RESULTS["rows"] if r["plans"] == plans and r["step"] == step]
    return row


def test_the_readme_table_is_the_recorded_run():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    shown = text.split("<!-- bench-table:start -->\n", 1)[1].split("\n<!-- bench-table:end -->", 1)[0]
    assert shown == table(RESULTS["rows"], RESULTS["ratios"])
    assert f"`{RESULTS['meta']['command']}`" in text.replace("pip install '.[bench]' && ", "")


def test_the_targets_the_readme_claims_are_met_in_the_recorded_run():
    big = max(r["plans"] for r in RESULTS["rows"])
    cold = _row(big, "kaplan check (cold)")["median_s"]
    assert cold <= 0.25 * _row(big, "reference: PyYAML CSafeLoader load")["median_s"]
    assert cold < _row(big, "reference: check-jsonschema")["median_s"]
    assert _row(big, "kaplan check (warm)")["median_s"] <= 0.5
    assert _row(big, "kaplan check one-plan.yaml")["median_s"] <= 0.2
    assert _row(big, "kaplan --version")["median_s"] <= 0.2
    assert _row(big, "kaplan score")["median_s"] <= 1.2 * cold
    assert _row(big, "kaplan risk")["median_s"] <= 1.2 * cold
    assert _row(1000, "kaplan report --portfolio")["median_s"] <= 3
    assert _row(1000, "kaplan report --all (every account)")["median_s"] <= 20
    assert max(r["peak_mb"] or 0 for r in RESULTS["rows"] if r["plans"] == big) <= 600
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
