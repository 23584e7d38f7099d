"""What an import changes in one plan: the edits to make, the conflicts to leave alone.

Works on the plan's plain data (as read) and the records the export has for its account; returns
paths and values for the round-trip writer, never text. Which value wins is decided by the ledger
(see `ledger.py`): a value the last import wrote may be updated; one a person changed is a conflict.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from kaplan.model.types import period_bounds
from kaplan.commands.importing import ledger as _ledger
from kaplan.commands.importing.rows import Record

_FIN = ("revenue", "gross_profit", "cost_to_serve", "discounts", "target_revenue")
_CONTACT = ("name", "title", "our_owner", "last_contact")
_OPPORTUNITY = ("name", "offering", "value", "stage", "probability", "expected_close")


@dataclass
class Conflict:
    at: tuple
    what: str
    plan_value: Any
    crm_value: Any
    row: int
    column: int
    overwritten: bool = False


@dataclass
class Problem:
    row: int
    column: int
    message: str
    hint: str | None = None


@dataclass
class PlanChanges:
    edits: list[tuple[tuple, Any]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ledger: dict[str, Any] = field(default_factory=dict)
    values: int = 0
    """How many values the edits set."""


class _Merge:
    def __init__(self, data: dict, last: dict[str, Any], prefer: str):
        self.data, self.last, self.prefer = data, last, prefer
        self.out = PlanChanges(ledger=dict(last))

    def field(self, at: tuple, key: str, current: Any, new: Any, record: Record, name: str, what: str) -> None:
        """Decide one value: write it, note it is already so, or report a conflict."""
        column = record.columns.get(name, 1)
        if _equal(current, new):
            self.out.ledger[key] = _ledger.plain(new)
            return
        if current is not None and not (key in self.last and _equal(current, self.last[key])):
            conflict = Conflict(at, what, current, new, record.row, column, overwritten=self.prefer == "crm")
            self.out.conflicts.append(conflict)
            if self.prefer != "crm":
                return
        self.out.edits.append((at, _yaml_value(new)))
        self.out.values += 1
        self.out.ledger[key] = _ledger.plain(new)

    def currency(self, record: Record, plan_currency: str) -> bool:
        code = record.values.get("currency")
        if code is not None and code != plan_currency:
            self.out.problems.append(Problem(record.row, record.columns.get("currency", 1),
                                             f"the amount is in {code}; this plan keeps its money in {plan_currency}",
                                             "export the report in the plan's currency (kaplan does not convert "
                                             "single amounts), or change `financials.currency` first"))
            return False
        return True


def merge(kind: str, data: dict, records: list[Record], last: dict[str, Any], prefer: str = "plan") -> PlanChanges:
    """The changes `records` make to the plan `data`; `last` is its ledger, `prefer` "plan" or "crm"."""
    m = _Merge(data, last, prefer)
    {"financials": _financials, "contacts": _contacts, "opportunities": _opportunities}[kind](m, records)
    return m.out


def _financials(m: _Merge, records: list[Record]) -> None:
    fin = m.data.get("financials")
    fin = fin if isinstance(fin, dict) else None
    periods = fin.get("periods") if fin else None
    periods = periods if isinstance(periods, list) else None
    currency = (fin or {}).get("currency") or "EUR"
    index = {str(p.get("period")): i for i, p in enumerate(periods or []) if isinstance(p, dict)}
    new = []
    for record in sorted(records, key=lambda r: period_bounds(r.key)):
        if not m.currency(record, currency):
            continue
        i = index.get(record.key)
        if i is None:
            entry = {"period": int(record.key) if record.key.isdigit() else record.key}
            entry.update({f: record.values[f] for f in _FIN if f in record.values})
            if len(entry) > 1:
                new.append(entry)
                for f in _FIN:
                    if f in record.values:
                        m.out.ledger[f"financials.periods[{record.key}].{f}"] = _ledger.plain(record.values[f])
            continue
        for f in _FIN:
            if f in record.values:
                m.field(("financials", "periods", i, f), f"financials.periods[{record.key}].{f}",
                        periods[i].get(f), record.values[f], record, f, f"{f.replace('_', ' ')} of {record.key}")
    _append(m, ("financials", "periods"), new, parent_missing=fin is None, list_missing=periods is None)


def _contacts(m: _Merge, records: list[Record]) -> None:
    rel = m.data.get("relationships")
    rel = rel if isinstance(rel, dict) else None
    contacts = rel.get("contacts") if rel else None
    contacts = contacts if isinstance(contacts, list) else None
    _people(m, records, contacts or [], ("relationships", "contacts"), "contacts", _CONTACT,
            parent_missing=rel is None, list_missing=contacts is None)


def _opportunities(m: _Merge, records: list[Record]) -> None:
    opps = m.data.get("opportunities")
    opps = opps if isinstance(opps, list) else None
    currency = (m.data.get("financials") or {}).get("currency") or "EUR"
    records = [r for r in records if m.currency(r, currency)]
    _people(m, records, opps or [], ("opportunities",), "opportunities", _OPPORTUNITY,
            parent_missing=False, list_missing=opps is None)


def _people(m: _Merge, records: list[Record], items: list, at: tuple, label: str, fields: tuple,
            parent_missing: bool, list_missing: bool) -> None:
    """Contacts and opportunities: matched by `crm_id`, else by name (then the CRM id is recorded)."""
    by_crm = {str(x["crm_id"]): i for i, x in enumerate(items) if isinstance(x, dict) and x.get("crm_id") is not None}
    by_name: dict[str, int] = {}
    for i, x in enumerate(items):
        if isinstance(x, dict) and isinstance(x.get("name"), str):
            by_name.setdefault(_fold(x["name"]), i)
    ids = {str(x.get("id")) for x in items if isinstance(x, dict)}
    new = []
    for record in records:
        crm_id = record.values.get("crm_id")
        i = by_crm.get(crm_id) if crm_id else None
        if i is None and record.values.get("name"):
            j = by_name.get(_fold(record.values["name"]))
            if j is not None and (items[j].get("crm_id") is None or crm_id is None):
                i = j
        ident = crm_id or record.values.get("name")
        if i is None:
            entry = {"id": unique(slug(record.values.get("name") or str(crm_id)), ids),
                     "name": record.values.get("name") or str(crm_id)}
            if crm_id:
                entry["crm_id"] = crm_id
            entry.update({f: _yaml_value(record.values[f]) for f in fields if f != "name" and f in record.values})
            new.append(entry)
            for f in fields:
                if f in record.values:
                    m.out.ledger[f"{label}[{ident}].{f}"] = _ledger.plain(record.values[f])
            continue
        item = items[i]
        if crm_id and item.get("crm_id") is None:
            m.out.edits.append(((*at, i, "crm_id"), crm_id))
            m.out.values += 1
        name = item.get("name") or item.get("id")
        for f in fields:
            if f in record.values:
                m.field((*at, i, f), f"{label}[{ident}].{f}", item.get(f), record.values[f], record, f,
                        f"{f.replace('_', ' ')} of {name}")
    _append(m, at, new, parent_missing, list_missing)


def _append(m: _Merge, at: tuple, entries: list[dict], parent_missing: bool, list_missing: bool) -> None:
    if not entries:
        return
    m.out.values += sum(1 for e in entries for k in e if k not in ("period", "id"))
    if parent_missing and len(at) > 1:
        m.out.edits.append((at[:-1], {at[-1]: entries}))
    elif list_missing:
        m.out.edits.append((at, entries))
    else:
        node = m.data
        for part in at:
            node = node[part]
        for k, entry in enumerate(entries):
            m.out.edits.append(((*at, len(node) + k), entry))


def _yaml_value(value: Any) -> Any:
    return value


def _equal(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    if isinstance(a, _dt.date) or isinstance(b, _dt.date):
        return str(a) == str(b)
    return a == b


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def slug(name: str, fallback: str = "item") -> str:
    """`name` as an id: its ASCII letters and digits, lowercase, joined by single hyphens, at most 60
    characters (so two names may give one slug); `fallback` when nothing is left (`Газпром`)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-") or fallback


def unique(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`… the first not in `taken`; it is added to `taken`."""
    out, n = slug, 2
    while out in taken:
        out, n = f"{slug}-{n}", n + 1
    taken.add(out)
    return out
