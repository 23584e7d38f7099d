"""The rows of an export, read through a profile into records: typed values, located, duplicates found.

A record is what one row (or, for a profile that sums, several rows of the same account and
period) says about one thing in one plan: a financial period, a contact or an opportunity. Every
cell that cannot be read is a finding at its row and column; nothing is guessed.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from kaplan.findings import Finding
from kaplan.commands.importing import cells
from kaplan.config.imports import ACCOUNT_FIELDS, COMMON_STAGES, ImportProfile, normal
from kaplan.commands.importing.source import Table

_NUMBERS = {"revenue", "gross_profit", "cost_to_serve", "discounts", "target_revenue", "value"}
_DATES = {"last_contact", "expected_close"}
_TEXT = {"crm_id", "name", "first_name", "last_name", "title", "our_owner", "offering", "record_id",
         *ACCOUNT_FIELDS}


@dataclass
class Record:
    """What the export says about one thing of one account."""

    row: int
    account: tuple[str, str]
    """How the account is named: ("account" | "crm_account" | "account_name", value)."""
    key: str
    """The thing: a period label, or a contact's or opportunity's CRM id (else its name)."""
    values: dict[str, Any]
    columns: dict[str, int] = field(default_factory=dict)
    """field → 1-based column, to point at a cell."""
    rows: list[int] = field(default_factory=list)


def read_records(table: Table, profile: ImportProfile, found: dict[str, int]) -> tuple[list[Record], list[Finding]]:
    """Every row as a record (summed per account and period when the profile says so), and the findings."""
    findings: list[Finding] = []
    records: dict[tuple, Record] = {}
    seen_ids: dict[str, int] = {}
    order = _date_orders(table, profile, found)
    account_field = next(f for f in ACCOUNT_FIELDS if f in found)
    for number, row in table.rows:
        values, problems = _row_values(table, profile, found, number, row, order)
        findings.extend(problems)
        if problems:
            continue
        columns = {f: i + 1 for f, i in found.items()}
        account = values.pop(account_field, None)
        for other in ACCOUNT_FIELDS:
            values.pop(other, None)
        if account is None:
            findings.append(table.finding(number, columns[account_field], "import-account",
                                          f"no account in column `{table.headers[found[account_field]]}`",
                                          "every row needs the account it belongs to"))
            continue
        record_id = values.pop("record_id", None)
        if record_id is not None:
            if record_id in seen_ids:
                findings.append(table.finding(number, columns["record_id"], "import-duplicate",
                                              f"row {number} repeats row {seen_ids[record_id]} (`{record_id}`)",
                                              "remove the duplicate row from the export"))
                continue
            seen_ids[record_id] = number
        key = _key(profile, values)
        if key is None:
            if profile.kind == "financials":
                findings.append(table.finding(number, columns["period"], "import-row",
                                              f"no period in column `{table.headers[found['period']]}`",
                                              "every row needs the period its figures are for"))
            else:
                findings.append(table.finding(number, 1, "import-row", "the row has neither a CRM id nor a name",
                                              "a contact or opportunity row needs one of them"))
            continue
        ident = (account_field, account_key(account_field, account), key)
        if ident in records:
            first = records[ident]
            if profile.sum and profile.kind == "financials":
                _add(first, values, number)
                continue
            what = f"period {key}" if profile.kind == "financials" else f"`{key}`"
            findings.append(table.finding(number, columns.get("period", columns[account_field]), "import-duplicate",
                                          f"row {number} repeats {what} of `{account}` from row {first.row}",
                                          "keep one row per account and " +
                                          ("period" if profile.kind == "financials" else "record")))
            continue
        records[ident] = Record(number, (account_field, account), key, values, columns, [number])
    return list(records.values()), findings


def account_key(how: str, value: str) -> str:
    """What a row's account is matched by (`how` is one of `ACCOUNT_FIELDS`): an id as it stands, a name
    with its spaces and case aside (`ACME  corp` is `Acme Corp`)."""
    return normal(value) if how == "account_name" else value


def _key(profile: ImportProfile, values: dict[str, Any]) -> str | None:
    if profile.kind == "financials":
        return values.get("period")
    if values.get("crm_id"):
        return values["crm_id"]
    return values.get("name")


def _add(record: Record, values: dict[str, Any], number: int) -> None:
    record.rows.append(number)
    for name, value in values.items():
        if name in _NUMBERS and value is not None:
            old = record.values.get(name)
            record.values[name] = cells._tidy(round((old or 0) + value, 6))
        elif name not in record.values or record.values[name] is None:
            record.values[name] = value


def _row_values(table: Table, profile: ImportProfile, found: dict[str, int], number: int, row: list[Any],
                order: dict[str, str | None]) -> tuple[dict[str, Any], list[Finding]]:
    values: dict[str, Any] = {}
    problems: list[Finding] = []
    for name, index in found.items():
        cell = row[index] if index < len(row) else None
        if cells.empty(cell):
            continue
        try:
            values[name] = _value(profile, name, cell, order.get(name))
        except cells.CellProblem as p:
            header = table.headers[index]
            problems.append(table.finding(number, index + 1, "import-value", f"column `{header}`: {p.message}", p.hint))
    if profile.kind == "contacts" and "name" not in values:
        parts = [values.get("first_name"), values.get("last_name")]
        if any(parts):
            values["name"] = " ".join(p for p in parts if p)
    values.pop("first_name", None)
    values.pop("last_name", None)
    return values, problems


def _value(profile: ImportProfile, name: str, cell: Any, order: str | None) -> Any:
    if cell is cells.UNCALCULATED:
        raise cells.CellProblem(*cells.UNCALCULATED_SAID)
    if name in _NUMBERS:
        value = cells.number(cell, profile.decimal)
        if value < 0 and name != "gross_profit":
            raise cells.CellProblem(f"`{cell}` is negative; kaplan keeps {name.replace('_', ' ')} as an amount of "
                                    "zero or more", "correct the value in the CRM or leave the cell empty")
        return value
    if name == "probability":
        return cells.percent(cell, profile.decimal)
    if name in _DATES:
        return cells.date(cell, profile.date_format, order)
    if name == "period":
        return cells.period(cell, profile.period_of_date, profile.date_format, order)
    if name == "stage":
        text = " ".join(str(cell).split())
        stage = {normal(k): v for k, v in profile.stages.items()}.get(normal(text)) or COMMON_STAGES.get(normal(text))
        if stage is None:
            raise cells.CellProblem(f"`{text}` is not a stage kaplan knows",
                                    f"map it in the import profile: `stages: {{\"{text}\": proposal}}` "
                                    "(identified, qualified, proposal, negotiation, won, lost, active)")
        return stage.value
    if name == "currency":
        text = str(cell).strip().upper()
        if len(text) != 3 or not text.isalpha():
            raise cells.CellProblem(f"`{cell}` is not a currency code such as EUR or USD")
        return text
    if isinstance(cell, float) and cell.is_integer():  # an id a spreadsheet stored as a number
        cell = int(cell)
    if isinstance(cell, (_dt.date, _dt.datetime)):
        cell = cell.isoformat()
    return " ".join(str(cell).split())


def _date_orders(table: Table, profile: ImportProfile, found: dict[str, int]) -> dict[str, str | None]:
    """Per date column, the day/month order its unambiguous values show (`31/12/2026` → day first).

    A column showing both orders gets none, so its ambiguous values are errors, each located.
    """
    out: dict[str, str | None] = {}
    if profile.date_format:
        return out
    for name in (*_DATES, "period"):
        if name not in found:
            continue
        seen = set()
        for _, row in table.rows:
            index = found[name]
            cell = row[index] if index < len(row) else None
            if isinstance(cell, str) and (o := cells.slash_order(cell)):
                seen.add(o)
        out[name] = seen.pop() if len(seen) == 1 else None
    return out
