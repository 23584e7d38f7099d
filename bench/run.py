"""Benchmark kaplan at portfolio scale, beside what a user would otherwise run, in one go.

    python bench/run.py [--plans 10000] [--report-plans 1000] [--repeat 3] [--json bench/results.json]

Generates synthetic portfolios (bench/generate.py), then times, on the same files and in the same
run: cold `kaplan check` (no cache), warm `kaplan check` (second run), `kaplan check` of one file
(unchanged, and just edited), the first check of a new day, `kaplan --version`, `kaplan score`, `kaplan risk`,
`kaplan report --portfolio` and all account packs;
and the reference points: reading the bytes, PyYAML's C loader (load only) and check-jsonschema with
kaplan's exported plan schema. Prints medians, ratios to the references and peak memory (the whole
process tree, sampled), and writes the same as JSON. The commands run with Python's default of
keeping compiled modules (PYTHONDONTWRITEBYTECODE is removed from their environment), as they do
after a normal install.

Needs the `bench` extra: pip install '.[bench]'.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-11-24"


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def run(cmd: list[str], cwd: Path, env: dict) -> tuple[float, int, int]:
    """(seconds, peak tree RSS in MiB, exit code) of one command."""
    peak = [0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    return elapsed, peak[0] // 1024, code


def timed(label: str, cmd: list[str], cwd: Path, env: dict, repeat: int, before=None) -> dict:
    times, peaks, codes = [], [], set()
    for _ in range(repeat):
        if before:
            before()
        seconds, peak, code = run(cmd, cwd, env)
        times.append(seconds)
        peaks.append(peak)
        codes.add(code)
    row = {"step": label, "median_s": statistics.median(times), "min_s": min(times),
           "peak_mb": max(peaks), "exit_codes": sorted(codes), "runs": repeat}
    print(f"  {label:<34} {row['median_s']:8.3f} s   peak {row['peak_mb']:5d} MB", flush=True)
    return row


def in_process(label: str, fn, repeat: int) -> dict:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    row = {"step": label, "median_s": statistics.median(times), "min_s": min(times), "peak_mb": None,
           "exit_codes": [0], "runs": repeat}
    print(f"  {label:<34} {row['median_s']:8.3f} s", flush=True)
    return row


def bench_portfolio(folder: Path, n: int, repeat: int, reports: bool, env: dict) -> list[dict]:
    kaplan = shutil.which("kaplan", path=str(Path(sys.executable).parent)) or "kaplan"
    files = sorted((folder / "plans").glob("*.yaml"))
    cache = Path(env["KAPLAN_CACHE_DIR"])
    clear = lambda: shutil.rmtree(cache, ignore_errors=True)  # noqa: E731
    rows = []
    print(f"{n} plans, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB", flush=True)

    def read_bytes():
        for p in files:
            p.read_bytes()

    def pyyaml_load():
        import yaml

        for p in files:
            yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)

    rows.append(in_process("reference: read the bytes", read_bytes, repeat))
    rows.append(in_process("reference: PyYAML CSafeLoader load", pyyaml_load, 1 if n > 2000 else repeat))
    jsonschema = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if jsonschema:
        rows.append(timed("reference: check-jsonschema", [jsonschema, "--schemafile",
                          str(REPO / "schema" / "plan.schema.json"), *map(str, files)], folder, env, 1))
    check = [kaplan, "check", "--today", TODAY, "--quiet"]
    rows.append(timed("kaplan check (cold)", check, folder, env, repeat, before=clear))
    rows.append(timed("kaplan check (warm)", check, folder, env, repeat))
    rows.append(timed("kaplan check one-plan.yaml", [*check, str(files[0].relative_to(folder))], folder, env, repeat))
    edited = files[len(files) // 2]
    original = edited.read_bytes()
    edits = iter(range(1_000_000))

    def edit():  # what a pre-commit hook sees: the plan just changed, the rest as the last check left it
        edited.write_bytes(original + f"# edit {next(edits)}\n".encode())

    rows.append(timed("kaplan check one-plan.yaml after editing it", [*check, str(edited.relative_to(folder))],
                      folder, env, repeat, before=edit))
    edited.write_bytes(original)
    rows.append(timed("kaplan --version", [kaplan, "--version"], folder, env, repeat))
    # on the day the check was run, as check and risk are: a score depends on the day (NPS window)
    rows.append(timed("kaplan score", [kaplan, "score", "--today", TODAY, "--format", "json"], folder, env, repeat))
    rows.append(timed("kaplan risk", [kaplan, "risk", "--today", TODAY, "--format", "json"], folder, env, repeat))
    # the first check of each new day after the last one (the cache is the previous day's): the days
    # after TODAY in turn, so each run is a first run of its day
    days = iter(range(1, 1000))
    rows.append(timed("kaplan check (first of a new day)", check, folder, env, repeat,
                      before=lambda: check.__setitem__(3, str(_day_after(TODAY, next(days))))))
    # those first days are the densest: the plans are copies of a few examples, whose dates cluster
    # around the day they were written for, so each falls due in hundreds of plans at once. The
    # month of days after them, each a first check of its day, shows a more usual day.
    rows.append(timed(MONTH_OF_DAYS, check, folder, env, 30,
                      before=lambda: check.__setitem__(3, str(_day_after(TODAY, next(days))))))
    check[3] = TODAY
    if reports:
        out = Path(tempfile.mkdtemp(prefix="kaplan-bench-out-"))
        rows.append(timed("kaplan report --portfolio", [kaplan, "report", "--portfolio", "--today", TODAY,
                                                        "--out", str(out / "portfolio.html")], folder, env, repeat))
        rows.append(timed("kaplan report --all (every account)", [kaplan, "report", "--all", "--today", TODAY,
                                                                  "--out", str(out / "packs")], folder, env, repeat))
        shutil.rmtree(out, ignore_errors=True)
    for row in rows:
        row["plans"] = n
    return rows


MONTH_OF_DAYS = "kaplan check (first of a new day, the next 30 days)"


def _day_after(day: str, days: int):
    import datetime as dt

    return dt.date.fromisoformat(day) + dt.timedelta(days=days)


def ratios(rows: list[dict]) -> dict:
    by = {(r["plans"], r["step"]): r["median_s"] for r in rows}
    out = {}
    for (n, step), seconds in by.items():
        pyyaml = by.get((n, "reference: PyYAML CSafeLoader load"))
        cjs = by.get((n, "reference: check-jsonschema"))
        cold = by.get((n, "kaplan check (cold)"))
        out[f"{n}:{step}"] = {
            "vs_pyyaml_load": seconds / pyyaml if pyyaml else None,
            "vs_check_jsonschema": seconds / cjs if cjs else None,
            "vs_cold_check": seconds / cold if cold else None,
        }
    return out


def table(rows: list[dict], rel: dict) -> str:
    lines = ["| plans | step | median | × PyYAML load | × check-jsonschema | × cold check | peak memory |",
             "|--:|---|--:|--:|--:|--:|--:|"]
    for r in rows:
        q = rel[f"{r['plans']}:{r['step']}"]
        fmt = lambda v: "–" if v is None else f"{v:.2f}"  # noqa: E731
        peak = "–" if r["peak_mb"] is None else f"{r['peak_mb']} MB"
        lines.append(f"| {r['plans']:,} | {r['step']} | {r['median_s']:.3f} s | {fmt(q['vs_pyyaml_load'])} | "
                     f"{fmt(q['vs_check_jsonschema'])} | {fmt(q['vs_cold_check'])} | {peak} |")
    return "\n".join(lines)


def targets(rows: list[dict]) -> str:
    """The targets kaplan holds itself to, each with what this run measured and whether it is met."""
    by = {(r["plans"], r["step"]): r for r in rows}
    big = max(r["plans"] for r in rows)
    small = min(r["plans"] for r in rows)

    def s(step: str, n: int = big) -> float:
        return by[n, step]["median_s"]

    cold, pyyaml, cjs = s("kaplan check (cold)"), s("reference: PyYAML CSafeLoader load"), s("reference: check-jsonschema")
    peak = max(r["peak_mb"] or 0 for r in rows if r["plans"] == big)
    score, risk = s("kaplan score"), s("kaplan risk")
    new_day = by[big, "kaplan check (first of a new day)"]["median_s"] if (big, "kaplan check (first of a new day)") in by \
        else None
    found = [
        (f"cold check of {big:,} ≤ 0.25 × PyYAML load, and faster than check-jsonschema",
         cold <= 0.25 * pyyaml and cold < cjs,
         f"{cold / pyyaml:.2f} × PyYAML load ({cold:.1f} s), {cjs / cold:.0f} × faster than check-jsonschema"),
        (f"warm check of {big:,} ≤ 0.5 s", s("kaplan check (warm)") <= 0.5, f"{s('kaplan check (warm)'):.2f} s"),
        ("`--version` ≤ 0.2 s; one-plan check ≤ 0.2 s",
         s("kaplan --version") <= 0.2 and s("kaplan check one-plan.yaml") <= 0.2,
         f"{s('kaplan --version'):.2f} s; {s('kaplan check one-plan.yaml'):.2f} s in the {big:,}-plan portfolio"),
        ("score and risk ≤ 1.2 × cold check", score <= 1.2 * cold and risk <= 1.2 * cold,
         f"{score / cold:.2f} × and {risk / cold:.2f} ×"),
        (f"report --portfolio of {small:,} ≤ 3 s; all {small:,} packs ≤ 20 s",
         s("kaplan report --portfolio", small) <= 3 and s("kaplan report --all (every account)", small) <= 20,
         f"{s('kaplan report --portfolio', small):.1f} s, {s('kaplan report --all (every account)', small):.1f} s"),
        (f"first check of a new day on {big:,} unchanged plans ≤ 0.15 × cold check",
         new_day is not None and new_day <= 0.15 * cold,
         (f"{new_day / cold:.2f} × ({new_day:.2f} s) on the three days after the plans' own day"
          + (f"; median of the 30 days after those: {s(MONTH_OF_DAYS) / cold:.2f} × ({s(MONTH_OF_DAYS):.2f} s)"
             if (big, MONTH_OF_DAYS) in by else "")) if new_day is not None else "not measured in this run"),
        (f"peak memory for {big:,} ≤ 600 MB", peak <= 600, f"{peak} MB (all processes)"),
    ]
    lines = ["| target | result |", "|---|---|"]
    lines += [f"| {target} | {'met' if met else 'missed'}: {words} |" for target, met, words in found]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=10000, help="size of the large portfolio")
    parser.add_argument("--report-plans", type=int, default=1000, help="size of the portfolio for reports")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kaplan-bench-"))
    # Python keeps compiled modules unless told not to; time kaplan as it runs after a normal install
    # (pip compiles on install), not as in an environment that forbids writing bytecode.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update({"KAPLAN_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1"})
    rows = []
    try:
        sizes = sorted({args.report_plans, args.plans})
        for n in sizes:
            folder = work / f"p{n}"
            generate(folder, n)
            rows += bench_portfolio(folder, n, args.repeat, reports=(n == args.report_plans), env=env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rel = ratios(rows)
    print()
    print(table(rows, rel))
    print()
    print(targets(rows))
    meta = {"python": platform.python_version(), "machine": platform.machine(), "cores": os.cpu_count(),
            "command": "python bench/run.py " + " ".join(sys.argv[1:])}
    args.json.write_text(json.dumps({"meta": meta, "rows": rows, "ratios": rel}, indent=2) + "\n")
    print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
