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
The file is written in the same all-or-nothing set as the plans. A ledger that is there but not one
this version wrote (a git merge conflict, text that is not JSON, a key twice, a newer format, keys
it does not know) is a finding and is never rewritten: rewriting it would drop what it holds.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from pathlib import Path
from typing import Any

from kaplan.reading.containment import RULE_ID as OUTSIDE, escapes
from kaplan.reading.given import NotAFile, TooLarge, read_file

NAME = ".kaplan/imported.json"
MAX_BYTES = 32 * 1024 * 1024
"""Largest ledger read (2,000 accounts of 100 imported values each is about 10 MB)."""
FORMAT = 1
"""The ledger format this version reads and writes (its `"kaplan"` key)."""
KEYS = ("kaplan", "about", "accounts")
_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7})(?:[ \t]|$)", re.M)


class Unreadable(Exception):
    """The ledger is there but is not one kaplan reads: a link out of the portfolio, a named pipe, a
    device, a folder, larger than `MAX_BYTES`, or text that is not a ledger of this version. Carries
    what is wrong, the rule it breaks, where (line and column in the ledger) and, when it is not to
    delete the ledger, what to do."""

    def __init__(self, message: str, rule: str = "unreadable", line: int = 1, column: int = 1,
                 hint: str | None = None):
        super().__init__(message)
        self.rule, self.line, self.column, self.hint = rule, line, column, hint


def path(root: Path) -> Path:
    return root / NAME


def read(root: Path) -> tuple[str, dict[str, dict[str, Any]]]:
    """The ledger's text ("" when there is none) and account id → {value key → last imported value}.

    One that is not a regular file of the portfolio is never opened or read (a link committed as
    `.kaplan/imported.json -> /dev/zero` or to another file, a named pipe): `Unreadable`. So is one
    whose text is not a ledger of this version (see `entries`): rewriting it would lose its entries.
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
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        before = data[: e.start].decode("utf-8")
        raise Unreadable(f"byte 0x{data[e.start]:02x} is not UTF-8 text", "encoding",
                         *_line_column(before, len(before))) from None
    return text, entries(text)


def entries(text: str) -> dict[str, dict[str, Any]]:
    """Account id → {value key → last imported value} of a ledger's text; `Unreadable`, located, when the
    text is not a ledger this version wrote (only blank text is an empty one)."""
    if not text.strip():
        return {}
    if conflict := _CONFLICT.search(text):
        raise Unreadable(f"it holds a git merge conflict (`{conflict[0].strip()}`)", "syntax",
                         *_line_column(text, conflict.start()),
                         "resolve the conflict: keep the values of both sides, each account once, and remove "
                         "the `<<<<<<<`, `=======` and `>>>>>>>` lines; then import again")
    try:
        doc = json.loads(text, object_pairs_hook=_pairs)
    except _Twice:
        path, first, second = _twice(text)
        where = f" in `{'.'.join(path[:-1])}`" if len(path) > 1 else ""
        places = f"line {first[0]}, columns {first[1]} and {second[1]}" if first[0] == second[0] else \
            f"lines {first[0]} and {second[0]}"
        raise Unreadable(f"`{path[-1]}` is written twice{where} ({places}): one of them would be lost", "syntax",
                         *second,
                         "merge the two into one (as after a merge conflict), then import again") from None
    except json.JSONDecodeError as e:
        raise Unreadable(f"it is not JSON: {e.msg}", "syntax", e.lineno, e.colno) from None
    except RecursionError:
        raise Unreadable("it nests deeper than a JSON reader follows; it is not a ledger kaplan wrote",
                         "syntax") from None
    if not isinstance(doc, dict):
        raise Unreadable(f"it holds a JSON {_kind(doc)}, not the ledger kaplan writes (an object of "
                         f"{', '.join(f'`{k}`' for k in KEYS)})", "schema", *_line_column(text, len(text) - len(
                             text.lstrip())))
    version = doc.get("kaplan")
    if type(version) is not int or version != FORMAT:
        newer = type(version) is int and version > FORMAT
        said = f"it has no `\"kaplan\": {FORMAT}`, so it is not a ledger kaplan wrote" if "kaplan" not in doc else \
            f"`\"kaplan\": {json.dumps(version)}` is {'a newer ledger format than' if newer else 'not a format'} " \
            f"this version of kaplan reads (it reads {FORMAT})"
        raise Unreadable(said, "format-version", *_key_at(text, ("kaplan",)),
                         "import with the newer kaplan that wrote it (upgrade kaplan)" if newer else None)
    unknown = [k for k in doc if k not in KEYS]
    if unknown:
        raise Unreadable(f"`{unknown[0]}` is not a key of the ledger this version writes "
                         f"({', '.join(f'`{k}`' for k in KEYS)}); rewriting it would drop it", "unknown-key",
                         *_key_at(text, (unknown[0],)),
                         "import with the newer kaplan that wrote it (upgrade kaplan), or remove the key")
    accounts = doc.get("accounts", {})
    if not isinstance(accounts, dict):
        raise Unreadable(f"`accounts` holds a JSON {_kind(accounts)}, not an object of accounts", "schema",
                         *_key_at(text, ("accounts",)))
    for account, values in accounts.items():
        if not isinstance(values, dict):
            raise Unreadable(f"account `{account}` holds a JSON {_kind(values)}, not an object of imported values",
                             "schema", *_key_at(text, ("accounts", account)))
    return accounts


class _Twice(ValueError):
    """An object of the ledger names one key twice (JSON keeps the last; the first would be lost)."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) < len(pairs):
        raise _Twice()
    return out


def _kind(value: Any) -> str:
    return {list: "list", str: "text", bool: "true or false", type(None): "null"}.get(type(value), "number")


_SIGNIFICANT = re.compile(r'["{}\[\]]')
_COLON = re.compile(r"[ \t\r\n]*:")


def _keys(text: str):
    """(object number, path, offset) of every key of a JSON text that parses, in order; a list on the
    path is `[]` in it."""
    stack: list[list] = []  # [object number or None for a list, its current key]
    objects = 0
    at = _SIGNIFICANT.search(text)
    while at:
        i, ch = at.start(), at[0]
        if ch == '"':
            key, end = json.decoder.scanstring(text, i + 1)
            if stack and stack[-1][0] is not None and _COLON.match(text, end):
                stack[-1][1] = key
                yield stack[-1][0], tuple(s[1] for s in stack), i
            at = _SIGNIFICANT.search(text, end)
            continue
        if ch == "{":
            objects += 1
            stack.append([objects, None])
        elif ch == "[":
            stack.append([None, "[]"])
        elif stack:
            stack.pop()
        at = _SIGNIFICANT.search(text, i + 1)


def _key_at(text: str, path: tuple[str, ...]) -> tuple[int, int]:
    """Line and column of the key at `path` (line 1, column 1 when it is not there)."""
    return next((_line_column(text, i) for _, p, i in _keys(text) if p == path), (1, 1))


def _twice(text: str) -> tuple[tuple[str, ...], tuple[int, int], tuple[int, int]]:
    """The first key written twice in one object: its path, and where it is first and again."""
    seen: dict[tuple, int] = {}
    for number, path, i in _keys(text):
        first = seen.setdefault((number, path), i)
        if first != i:
            return path, _line_column(text, first), _line_column(text, i)
    return ("?",), (1, 1), (1, 1)  # pragma: no cover - json found one


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def dump(ledger: dict[str, dict[str, Any]]) -> str:
    doc = {"kaplan": FORMAT, "about": "values last written by `kaplan import`; commit this file with the plans",
           "accounts": {a: dict(sorted(v.items())) for a, v in sorted(ledger.items()) if v}}
    return json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def plain(value: Any) -> Any:
    """A value as the ledger keeps it (dates as text), for comparing."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
