"""What the last import wrote, so kaplan can tell a value a person edited from one the CRM set.

`.kaplan/imported.json` beside `kaplan.yaml` records, per account, every value an import wrote or
found already equal to the CRM (`"financials.periods[2026-Q3].revenue": 1250000`). On the next
import a value in the plan is:

- missing → the CRM's value is written;
- equal to the CRM's → nothing to do;
- equal to what the last import recorded → nobody touched it: the CRM's new value is written;
- anything else → a person edited it (or typed it before kaplan ever imported): a conflict, left
  alone and reported with both values unless `--prefer crm`.

Commit the file with the plans: it is how the next person's import knows what was edited. Losing it
is safe — every value that differs from the CRM is then reported as a conflict, none overwritten.
The file is written in the same all-or-nothing set as the plans.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

NAME = ".kaplan/imported.json"


def path(root: Path) -> Path:
    return root / NAME


def load(root: Path) -> dict[str, dict[str, Any]]:
    """account id → {value key → last imported value}; empty when there is no (readable) ledger."""
    try:
        data = json.loads(path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    accounts = data.get("accounts") if isinstance(data, dict) else None
    return {k: v for k, v in accounts.items() if isinstance(v, dict)} if isinstance(accounts, dict) else {}


def dump(ledger: dict[str, dict[str, Any]]) -> str:
    doc = {"kaplan": 1, "about": "values last written by `kaplan import`; commit this file with the plans",
           "accounts": {a: dict(sorted(v.items())) for a, v in sorted(ledger.items()) if v}}
    return json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def plain(value: Any) -> Any:
    """A value as the ledger keeps it (dates as text), for comparing."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
