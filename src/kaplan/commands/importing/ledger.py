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

from kaplan.reading.containment import RULE_ID as OUTSIDE, escapes
from kaplan.reading.given import NotAFile, TooLarge, read_file

NAME = ".kaplan/imported.json"
MAX_BYTES = 32 * 1024 * 1024
"""Largest ledger read (2,000 accounts of 100 imported values each is about 10 MB)."""


class Unreadable(Exception):
    """The ledger is there but is not a file kaplan reads: a link out of the portfolio, a named pipe,
    a device, a folder, or larger than `MAX_BYTES`. Carries what is wrong and the rule it breaks."""

    def __init__(self, message: str, rule: str = "unreadable"):
        super().__init__(message)
        self.rule = rule


def path(root: Path) -> Path:
    return root / NAME


def read(root: Path) -> tuple[str, dict[str, dict[str, Any]]]:
    """The ledger's text ("" when there is none) and account id → {value key → last imported value}.

    A ledger that is not JSON is empty (losing it is safe, see above). One that is not a regular
    file of the portfolio is never opened or read (a link committed as `.kaplan/imported.json ->
    /dev/zero` or to another file, a named pipe): `Unreadable`.
    """
    file = path(root)
    outside = escapes(file, root)
    if outside is not None:
        raise Unreadable(f"it is a symbolic link to {outside}, outside the portfolio; kaplan does not follow it",
                         OUTSIDE)
    try:
        data = read_file(file, MAX_BYTES)
    except FileNotFoundError:
        return "", {}
    except NotAFile:
        raise Unreadable("it is not a regular file (a folder, a named pipe or a device)") from None
    except TooLarge:
        raise Unreadable(f"it is larger than {MAX_BYTES // 1048576} MiB", "too-large") from None
    except OSError as e:
        raise Unreadable(f"it cannot be read: {e.strerror or e}") from None
    text = data.decode("utf-8", "replace")
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to read: empty
        return text, {}
    accounts = doc.get("accounts") if isinstance(doc, dict) else None
    return text, ({k: v for k, v in accounts.items() if isinstance(v, dict)} if isinstance(accounts, dict) else {})


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
