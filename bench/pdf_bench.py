"""Benchmark the review packs as PDF: one account's, and every account's of a 1,000-plan portfolio.

    nice python bench/pdf_bench.py [--plans 1000] [--repeat 3] [--one-only] [--json bench/pdf-results.json]

Generates the portfolio (bench/generate.py, every plan valid), warms kaplan's cache with a check as a
user's earlier commands would, then times `kaplan report ACCOUNT --format pdf` (the account pack of
one plan of the 1,000, and of the largest example plan in the 13-plan example portfolio) and
`kaplan report --all --format pdf` (every account's pack), each with its peak memory across the
process tree (as bench/run.py measures it: the printing workers included), the CPU seconds it used
and the machine's load average while it ran: on a shared machine the wall time also counts the time
spent waiting for a core. Targets: one pack within 2 s; all 1,000 within 15 minutes; peak memory
under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import EXAMPLES, generate  # noqa: E402
from run import TODAY, timed  # noqa: E402


def measured(label: str, cmd: list[str], folder: Path, env: dict, repeat: int) -> dict:
    """bench/run.py's timed row, with the CPU seconds used (all runs, per run) and the load average
    sampled while the command ran (mean and highest of the one-minute figure)."""
    loads, done = [os.getloadavg()[0]], threading.Event()

    def sample() -> None:
        while not done.wait(5):
            loads.append(os.getloadavg()[0])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    row = timed(label, cmd, folder, env, repeat)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    done.set()
    sampler.join()
    row["cpu_s"] = round((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / repeat, 2)
    row["load_average"] = round(sum(loads) / len(loads), 1)
    row["load_average_max"] = round(max(loads), 1)
    print(f"    cpu {row['cpu_s']} s per run, load average {row['load_average']} "
          f"(at most {row['load_average_max']}) on {os.cpu_count()} cores", flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the one-pack steps (the median is kept)")
    parser.add_argument("--one-only", action="store_true", help="time one pack only, not every account's")
    parser.add_argument("--json", type=Path, default=Path(__file__).resolve().parent / "pdf-results.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kaplan-bench-pdf-"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update({"KAPLAN_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"})
    kaplan = shutil.which("kaplan", path=str(Path(sys.executable).parent)) or "kaplan"
    report = [kaplan, "report", "--today", TODAY, "--format", "pdf"]
    rows = []
    try:
        folder = work / "portfolio"
        files = generate(folder, args.plans, findings_pct=0)
        examples = work / "examples"
        shutil.copytree(EXAMPLES, examples)
        largest = max(examples.joinpath("plans").glob("*.yaml"), key=lambda p: p.stat().st_size).stem
        for where in (folder, examples):
            timed("kaplan check (warms the cache)", [kaplan, "check", "--today", TODAY, "--quiet"], where, env, 1)
        one = files[0].stem
        rows.append(measured(f"one account pack as PDF ({args.plans} plans)",
                             [*report, one, "--out", str(work / "one.pdf")], folder, env, args.repeat))
        rows.append(measured(f"one account pack as PDF (the largest example plan, 13 plans)",
                             [*report, largest, "--out", str(work / "largest.pdf")], examples, env, args.repeat))
        if not args.one_only:
            out = work / "packs"
            row = measured(f"every account pack as PDF ({args.plans} plans)",
                           [*report, "--all", "--out", str(out)], folder, env, 1)
            row["packs_written"] = len(list(out.glob("*.pdf")))
            print(f"    {row['packs_written']} PDFs written", flush=True)
            rows.append(row)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    meta = {"cores": os.cpu_count(), "command": "python bench/pdf_bench.py " + " ".join(sys.argv[1:])}
    args.json.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
