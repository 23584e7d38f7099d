"""Generate a synthetic portfolio for benchmarks: N plans modelled on the bundled examples.

    python bench/generate.py OUT_DIR --plans 1000 [--seed 1] [--findings-pct 5]

Each plan is one of the example plans with a new id and name, its money figures scaled and its
lists trimmed or repeated, so sizes vary (~2-15 KB) around the ~7 KB of a rich plan. A share of the
plans get a realistic mistake (an unknown key, a dangling objective reference, an overdue action).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
_MONEY = re.compile(r"\b(revenue|gross_profit|cost_to_serve|discounts|client_category_spend|target_revenue"
                    r"|value|amount): (\d+)")


def _vary(text: str, rng: random.Random, account_id: str, name: str) -> str:
    text = re.sub(r"(?m)^(  id: )\S+", lambda m: m.group(1) + account_id, text, count=1)
    text = re.sub(r"(?m)^(  name: ).+", lambda m: m.group(1) + name, text, count=1)
    factor = rng.uniform(0.2, 3.0)
    return _MONEY.sub(lambda m: f"{m.group(1)}: {int(int(m.group(2)) * factor)}", text)


def _mistake(text: str, rng: random.Random) -> str:
    kind = rng.choice(["unknown-key", "reference", "overdue"])
    if kind == "unknown-key":
        return text.replace("\n  sector:", "\n  sectr:", 1) if "\n  sector:" in text else text + "extra_section: 1\n"
    if kind == "reference":
        return re.sub(r"(?m)^(    objective: )\S+", r"\1no-such-objective", text, count=1)
    return re.sub(r"(?m)^(    due: )\d{4}-\d\d-\d\d", r"\g<1>2020-01-01", text, count=1)


def generate(out: Path, plans: int, seed: int = 1, findings_pct: float = 5.0) -> list[Path]:
    rng = random.Random(seed)
    sources = sorted((EXAMPLES / "plans").glob("*.yaml"))
    texts = [p.read_text(encoding="utf-8") for p in sources]
    if out.exists():
        shutil.rmtree(out)
    (out / "plans").mkdir(parents=True)
    shutil.copy(EXAMPLES / "kaplan.yaml", out / "kaplan.yaml")
    written = []
    for i in range(plans):
        account_id = f"account-{i:05d}"
        text = _vary(texts[i % len(texts)], rng, account_id, f"Synthetic Account {i:05d}")
        if rng.random() * 100 < findings_pct:
            text = _mistake(text, rng)
        path = out / "plans" / f"{account_id}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--findings-pct", type=float, default=5.0)
    args = parser.parse_args()
    paths = generate(args.out, args.plans, args.seed, args.findings_pct)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} plans, {size / 1e6:.1f} MB, to {args.out}")


if __name__ == "__main__":
    main()
