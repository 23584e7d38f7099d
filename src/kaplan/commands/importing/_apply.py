"""Matching an export's records to the portfolio's plans and computing each plan's new text."""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from pathlib import Path

from pydantic import ValidationError

from kaplan.reading import fastyaml as _fastyaml

from kaplan.writing import roundtrip as _roundtrip

from kaplan.reading import document as _yaml
from kaplan.findings import Finding, Severity
from kaplan.plural import counted
from kaplan.commands.importing import _new_plans, ledger as _ledger
from kaplan.commands.importing.merge import merge
from kaplan.commands.importing.rows import Record, account_key
from kaplan.commands.importing.source import Table

_NAMES = {"account": "account id", "crm_account": "CRM account id", "account_name": "account name"}


def apply(portfolio, kind: str, table: Table, records: list[Record], result, *, prefer: str, create: bool,
          today: _dt.date | None = None) -> None:
    """Fill `result.changes` and `result.conflicts` (or `result.findings`) for these records."""
    from kaplan.commands.importing import PlanChange
    from kaplan.reading.loader import discover

    plans = [_Plan.read(p) for p in discover(portfolio)]
    index = _index(plans)
    by_plan: dict[int, list[Record]] = defaultdict(list)
    new_accounts: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        how, value = record.account
        hits = index[how].get(account_key(how, value), [])
        if len(hits) == 1:
            by_plan[hits[0]].append(record)
        elif len(hits) > 1:
            from kaplan.reading.loader import display_path

            result.findings.append(table.finding(
                record.row, record.columns[how], "import-account",
                f"{_NAMES[how]} `{value}` matches {len(hits)} plans "
                f"({', '.join(display_path(plans[i].path) for i in hits[:3])})",
                "give each plan its own `account.crm_id`, and export the account id column"))
        elif create:
            new_accounts[account_key(how, value)].append(record)
        else:
            result.findings.append(table.finding(
                record.row, record.columns[how], "import-unknown-account",
                f"no plan for {_NAMES[how]} `{value}`",
                "record the CRM's id in the plan (`account.crm_id`), or run with --create to start a plan"
                if how != "account" else "check the id, or run with --create to start a plan"))
    try:
        ledger_text, last = _ledger.read(portfolio.root)
    except _ledger.Unreadable as e:
        from kaplan.reading.loader import display_path

        shown = display_path(_ledger.path(portfolio.root))
        result.findings.append(Finding(
            shown, e.line, e.column, e.rule, Severity.ERROR, f"the ledger of imported values cannot be read: {e}",
            e.hint or f"delete {shown} and import again: without it, every value that differs from the CRM is "
            "reported as a conflict, none overwritten"))
        result.changes = []
        return
    ledger = {k: dict(v) for k, v in last.items()}
    for i, recs in sorted(by_plan.items()):
        lp = plans[i].loaded()
        if lp.plan is None:
            errors = [f for f in lp.findings if f.severity is Severity.ERROR]
            where = errors[0] if errors else None
            result.findings.append(Finding(lp.display, where.line if where else 1, where.column if where else 1,
                                           "import-invalid-plan",
                                           f"the export has {counted(len(recs), 'row')} for this plan, which has errors",
                                           "fix the plan first (`kaplan check`), then import again"))
            continue
        _plan_change(lp.path, lp.display, plans[i].text, lp.plan.account.id, kind, recs, ledger, result, prefer, lp,
                     data=plans[i].data)
    used = _new_plans.taken(portfolio.plans_dir, index["account"])
    owner = None
    for _, recs in sorted(new_accounts.items()):
        first = recs[0]
        try:
            account_id = _new_plans.new_id(first, used, portfolio.plans_dir)
        except _new_plans.Refused as e:
            result.findings.append(table.finding(first.row, first.columns[first.account[0]], "import-account",
                                                 str(e), e.hint))
            continue
        if owner is None:
            from kaplan.commands.new import default_owner

            owner, note = default_owner()
            result.notes.extend([note] if note else [])
        text, path = _scaffold(portfolio, account_id, first, owner, today or _dt.date.today())
        from kaplan.reading.loader import display_path

        _plan_change(path, display_path(path), text, account_id, kind, recs, ledger, result, prefer, None,
                     created=True)
    if result.findings:
        result.changes = []
        return
    if {k: v for k, v in ledger.items() if v} != {k: v for k, v in last.items() if v}:
        path = _ledger.path(portfolio.root)
        result.changes.append(PlanChange(path, str(Path(_ledger.NAME)), ledger_text, _ledger.dump(ledger)))


def _plan_change(path, display, text, account_id, kind, recs, ledger, result, prefer, lp, created=False, data=None):
    from kaplan.commands.importing import PlanChange

    data = data if data is not None else _data(text)
    out = merge(kind, data, recs, ledger.get(account_id, {}), prefer)
    for p in out.problems:
        result.findings.append(Finding(result.source, p.row, p.column, "import-value", Severity.ERROR, p.message, p.hint))
    if out.problems:
        return
    for c in out.conflicts:
        line, column = lp.locate(c.at) if lp is not None else (1, 1)
        verb = "replaced by the CRM's (--prefer crm)" if c.overwritten else "left alone"
        result.conflicts.append(Finding(
            display, line, column, "import-overwrite" if c.overwritten else "import-conflict", Severity.WARNING,
            f"{c.what}: {_show(c.plan_value)} in the plan, {_show(c.crm_value)} in {result.source} row {c.row}; "
            f"the plan's value was edited by hand, {verb}",
            None if c.overwritten else "keep it, or run the import again with --prefer crm to take the CRM's"))
    ledger[account_id] = out.ledger
    if not out.edits:
        return
    try:
        new, new_data = _roundtrip.edit_with_data(text, out.edits, data)
    except _roundtrip.EditRefused as e:
        result.findings.append(Finding(display, e.line or 1, e.column or 1, "import-refused", Severity.ERROR, str(e),
                                       "make the change by hand, or rewrite the plan in plain block style"))
        return
    problem = _invalid(new_data)
    if problem:
        result.findings.append(Finding(display, 1, 1, "import-invalid", Severity.ERROR,
                                       f"the imported values would make the plan invalid: {problem}",
                                       "check the export's values for this account"))
        return
    result.changes.append(PlanChange(path, display, "" if created else text, new, out.values, created))


class _Plan:
    """A plan file read for matching: its text and data now, validated (`loaded`) only if the export names it."""

    def __init__(self, path: Path, text: str | None, data):
        self.path, self.text, self.data = path, text, data
        self._loaded = None

    @classmethod
    def read(cls, path: Path) -> "_Plan":
        from kaplan.reading.loader import read_text

        text, problem = read_text(path, str(path))
        data = None
        if problem is None:
            try:
                data = _data(text)
            except _yaml.YamlProblem:
                data = None
        return cls(path, text, data if isinstance(data, dict) else None)

    def account(self) -> dict:
        account = self.data.get("account") if self.data else None
        return account if isinstance(account, dict) else {}

    def loaded(self):
        """The plan validated, with located findings when it is not valid."""
        if self._loaded is None:
            from kaplan.reading.loader import LoadedPlan, display_path, load_plan
            from kaplan.model import Plan

            try:
                plan = Plan.model_validate(self.data) if self.data is not None else None
            except ValidationError:
                plan = None
            if plan is not None:
                self._loaded = LoadedPlan(self.path, display_path(self.path), plan=plan, text=self.text)
            else:
                self._loaded = load_plan(self.path)
        return self._loaded


def _index(plans: list[_Plan]) -> dict[str, dict[str, list[int]]]:
    """How rows find their plan: by account id, CRM id and name. A plan that cannot be read is found by
    its file name, so a row for it says the plan must be fixed first."""
    index: dict[str, dict[str, list[int]]] = {"account": {}, "crm_account": {}, "account_name": {}}
    for i, p in enumerate(plans):
        account = p.account()
        ident = account.get("id")
        index["account"].setdefault(ident if isinstance(ident, str) else p.path.stem, []).append(i)
        crm = account.get("crm_id")
        if isinstance(crm, (str, int)) and not isinstance(crm, bool):
            index["crm_account"].setdefault(str(crm), []).append(i)
        name = account.get("name")
        if isinstance(name, str):
            index["account_name"].setdefault(account_key("account_name", name), []).append(i)
    return index


def _data(text: str) -> dict:
    data = _fastyaml.load(text)
    return data if data is not None else _yaml.parse(text).data


def _invalid(data: dict) -> str | None:
    from kaplan.model import Plan

    try:
        Plan.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        return f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
    return None


def _show(value) -> str:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def _scaffold(portfolio, account_id: str, record: Record, owner: str, today: _dt.date) -> tuple[str, Path]:
    from kaplan.commands.new import new_plan_schema, render_plan, title_from_slug

    how, value = record.account
    name = value if how == "account_name" else title_from_slug(account_id)
    path = portfolio.plans_dir / f"{account_id}.yaml"
    text = render_plan(account_id, name=name, owner=owner, today=today,
                       schema=new_plan_schema(path, portfolio.root))
    if how == "crm_account":
        text = _roundtrip.edit_text(text, ("account", "crm_id"), value)
    return text, path
