"""Benchmark `kaplan import`: a financials export of R rows into a portfolio of N plans.

    python bench/import_bench.py [--plans 1000] [--rows 50000] [--json bench/import-results.json]

Generates the portfolio (bench/generate.py) and an export in kaplan's own columns (account, period,
revenue, gross profit) with R / N monthly periods per account, then times the import (and the second
run, which must change nothing) with peak memory of the process, as bench/run.py does, and the CPU
seconds it used (the wall time on a shared machine includes waiting for a core).
Target: under 30 s and 500 MB for 1,000 plans and 50,000 rows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402
from run import timed  # noqa: E402


def export(folder: Path, plans: int, rows: int) -> Path:
    per = max(1, rows // plans)
    lines = ["account,period,revenue,gross_profit"]
    for i in range(plans):
        for m in range(per):
            year, month = 2019 + m // 12, m % 12 + 1
            lines.append(f"account-{i:05d},{year}-{month:02d},{10000 + 37 * i + m},{3000 + m}")
    path = folder / "export.csv"
    path.write_text("\n".join(lines[: rows + 1]) + "\n", encoding="utf-8")
    return path


def _with_cpu(timed, label, cmd, folder, env) -> dict:
    """The timed row, with the CPU seconds the command used: on a shared machine the wall time also
    counts the time it waited for a core (the load average is recorded beside it)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    row = timed(label, cmd, folder, env, 1)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    row["cpu_s"] = round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2)
    row["load_average"] = round(os.getloadavg()[0], 1)
    print(f"    cpu {row['cpu_s']} s, load average {row['load_average']}", flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--json", type=Path, default=Path(__file__).resolve().parent / "import-results.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kaplan-bench-import-"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update({"KAPLAN_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"})
    kaplan = shutil.which("kaplan", path=str(Path(sys.executable).parent)) or "kaplan"
    try:
        folder = work / "portfolio"
        generate(folder, args.plans, findings_pct=0)
        export(folder, args.plans, args.rows)
        cmd = [kaplan, "import", "export.csv", "--as", "financials", "--quiet"]
        rows = [_with_cpu(timed, f"kaplan import ({args.rows} rows, {args.plans} plans)", cmd, folder, env),
                _with_cpu(timed, "kaplan import again (no change)", cmd, folder, env)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.json.write_text(json.dumps({"command": "python bench/import_bench.py " + " ".join(sys.argv[1:]),
                                     "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
