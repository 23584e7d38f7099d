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
