"""Which file a plan started by `kaplan import --create` gets: one plan per account, never a file that is there.

The rows of an account without a plan are grouped by the account as they name it (`rows.account_key`, the
key they are matched to plans by), so each account the export names starts a plan of its own. Its id (and
file name) is the export's account id as it stands; else one made from its CRM id or name (`merge.slug`),
`account-` and a hash of the name when that has no letter or digit a file name keeps (`Газпром`, `東芝`),
followed by `-2`, `-3`… when a plan, a file of the plans folder, another new plan or `kaplan.yaml` has it.
A value kaplan would not write into a plan (a control character in a name) refuses the row, with a reason.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from kaplan.places import CONFIG_NAME
from kaplan.commands.importing.merge import slug, unique
from kaplan.commands.importing.rows import Record, account_key

_WHAT = {"account": "account id", "crm_account": "CRM account id", "account_name": "account name"}


class Refused(Exception):
    """No plan can be started for this account; the message says why, the hint what to do."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


def taken(plans_dir: Path, ids) -> set[str]:
    """The ids a new plan may not have: those of the portfolio's plans, of every plan file in the plans
    folder (case aside: a file system may ignore it) and `kaplan`, whose file would be the settings'."""
    from kaplan.reading.paths import PLAN_SUFFIXES

    out = {i for i in ids if isinstance(i, str)} | {CONFIG_NAME.rsplit(".", 1)[0]}
    try:
        entries = os.listdir(plans_dir)
    except OSError:
        entries = []
    for entry in entries:
        stem, suffix = os.path.splitext(entry)
        if suffix.lower() in PLAN_SUFFIXES:
            out.add(stem.casefold())
    return out


def _file_of(plans_dir: Path, stem: str) -> Path:
    """The plan file of the plans folder whose name is `stem`, case aside (`Zeta.YML` for `zeta`), or the
    one `kaplan new` would write when none is (the id is another plan's, or the settings')."""
    from kaplan.reading.paths import PLAN_SUFFIXES

    try:
        entries = sorted(os.listdir(plans_dir))
    except OSError:
        entries = []
    for entry in entries:
        name, suffix = os.path.splitext(entry)
        if suffix.lower() in PLAN_SUFFIXES and name.casefold() == stem.casefold():
            return plans_dir / entry
    return plans_dir / f"{stem}.yaml"


def new_id(record: Record, used: set[str], plans_dir: Path) -> str:
    """The id of the plan to start for `record`'s account, not in `used` (it joins it); raises `Refused`."""
    from kaplan.commands.new import id_problem, text_problem

    how, value = record.account
    what = _WHAT[how]
    problem = text_problem(f"the {what} in row {record.row}", value)
    if problem is not None:
        raise Refused(f"{problem}; kaplan does not start a plan with it",
                      f"correct the {what} in the CRM, or start the plan with `kaplan new` and give its "
                      f"{what} there")
    if how == "account":
        problem = id_problem(value)
        if problem is not None:
            raise Refused(f"no plan has the account id `{value}`, and {problem}",
                          "check the id, or start the plan with `kaplan new` and record the CRM's id in it")
        if value in used:
            from kaplan.reading.loader import display_path

            there = _file_of(plans_dir, value)
            raise Refused(f"no plan has the account id `{value}`, but {display_path(there)} is there (the plan "
                          "of another account, or no plan)",
                          f"give that plan the id `{value}`, or rename the file, and import again")
        used.add(value)
        return value
    base = slug(value, "") or "account-" + hashlib.sha256(account_key(how, value).encode()).hexdigest()[:8]
    return unique(base, used)
