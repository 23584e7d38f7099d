"""Time shell completion requests (what <Tab> costs) on a generated portfolio.

    python bench/completion.py [--plans 1000] [--repeat 5]

Each request runs the installed `kaplan` as the shell's completion script does; the figure is the
median wall time of the whole process. Target: under 0.2 s for account ids at 1,000 plans.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402

REQUESTS = {
    "account ids (kaplan report <Tab>)": "kaplan report acc",
    "owners (kaplan risk --owner <Tab>)": "kaplan risk --owner ",
    "tiers (kaplan risk --tier <Tab>)": "kaplan risk --tier ",
    "formats (kaplan score --format <Tab>)": "kaplan score --format ",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    kaplan = shutil.which("kaplan", path=str(Path(sys.executable).parent)) or "kaplan"
    folder = Path(tempfile.mkdtemp(prefix="kaplan-bench-completion-"))
    try:
        generate(folder, args.plans)
        print(f"{args.plans} plans; median of {args.repeat} requests each")
        for label, words in REQUESTS.items():
            env = {**os.environ, "_KAPLAN_COMPLETE": "complete_bash", "COMP_WORDS": words,
                   "COMP_CWORD": str(len(words.split(" ")) - 1)}
            times, answers = [], 0
            for _ in range(args.repeat):
                start = time.perf_counter()
                done = subprocess.run([kaplan], cwd=folder, env=env, capture_output=True, text=True)
                times.append(time.perf_counter() - start)
                answers = len(done.stdout.splitlines())
            print(f"  {label:<40} {statistics.median(times):6.3f} s  ({answers} values)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
