"""`kaplan new` as a library call: write a fresh plan from the template, ready to pass `check`."""

from __future__ import annotations

import datetime as _dt
import getpass
import subprocess
from dataclasses import dataclass
from pathlib import Path

from kaplan import years
from kaplan.places import CONFIG_NAME, builtin_dir
from kaplan.writing.files import WriteRefused, write_new
from kaplan.config import Portfolio
from kaplan.model.types import SLUG, TEXT_MAX

PLAN_TEMPLATE = "plan.yaml.j2"


class ScaffoldError(Exception):
    """The plan cannot be created (bad id, or the file exists); the message says why."""

    def __init__(self, message: str, usage: bool = False):
        super().__init__(message)
        self.usage = usage


@dataclass(frozen=True)
class NewPlan:
    path: Path
    account_id: str
    filled: bool = False
    """True when the file existed, empty, and the plan was written into it."""
    schema: Path | None = None
    """The portfolio's copy of the plan schema, when it was written for this plan (there was none)."""
    notes: tuple[str, ...] = ()
    """What the user should know, such as a default owner passed over."""


def title_from_slug(slug: str) -> str:
    return " ".join(part.capitalize() for part in slug.split("-"))


def default_owner() -> tuple[str, str | None]:
    """The owner of a plan nobody named one for: git's `user.name`, else the login name, else "unassigned";
    and a note when a name was passed over. A name goes through the checks `--owner` does (`text_problem`):
    it is written into the plan's YAML and its comments, so a line break or control character in it is
    dropped with the note, never written."""
    try:
        name = subprocess.run(["git", "config", "user.name"], capture_output=True, encoding="utf-8",
                              errors="surrogateescape", timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    note = None
    if name:
        problem = text_problem("git's user.name", name)
        if problem is None:
            return name, None
        note = f"{problem}, so it is not the plan's owner"
    try:
        login = getpass.getuser().strip()
    except Exception:  # no login name in some containers
        login = ""
    if login and text_problem("the login name", login) is None:
        owner = login
    else:
        owner = "unassigned"
    if note is not None:
        note += f" (`{owner}` is): set `plan.owner`, give --owner, or fix it with `git config --global user.name`"
    return owner, note


def _yaml_str(value: str, plain: bool = False) -> str:
    """`value` as a YAML scalar that reads back as that text: double-quoted, or with `plain` as written
    when YAML reads it so (an id such as `123`, `true`, `null` or `2026-01-01` would be read as a number,
    a boolean, nothing or a date, and is quoted)."""
    from kaplan.writing.scalars import scalar_text

    return scalar_text(str(value), None if plain else '"')


def text_problem(label: str, text: str) -> str | None:
    """What is wrong with `text` as a name kaplan writes into YAML and comments (a line break, a control
    character, invalid Unicode, nothing at all, more than a plan's text may hold), worded with its
    `label`; None when nothing is."""
    import unicodedata

    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return f"{label} is not valid text (it holds bytes that are not UTF-8)"
    if not text.strip():
        return f"{label} is empty"
    if len(text) > TEXT_MAX:
        return f"{label} is longer than the {TEXT_MAX:,} characters a plan's text may hold"
    bad = next((ch for ch in text if ch != "\t" and unicodedata.category(ch) in ("Cc", "Zl", "Zp")), None)
    if bad is not None:
        return f"{label} holds a line break or control character ({bad!r})"
    return None


def id_problem(account_id: str) -> str | None:
    """What is wrong with `account_id` as the id (and file name) of a new plan; None when nothing is."""
    if not SLUG.fullmatch(account_id) or len(account_id) > 80:
        return (f"`{account_id}` is not a valid account id: use lowercase letters, digits and single hyphens, "
                "e.g. `acme-corp`")
    if f"{account_id}.yaml" == CONFIG_NAME:
        return (f"`{account_id}` cannot be an account id: its file, {CONFIG_NAME}, would be taken for the "
                "portfolio's settings by every command run in the plans folder; choose another, e.g. "
                f"`{account_id}-corp`")
    return None


def _check_text(label: str, text: str) -> None:
    problem = text_problem(label, text)
    if problem is not None:
        raise ScaffoldError(problem + ("; give it on one line" if "line break" in problem else ""), usage=True)


def render_plan(account_id: str, *, name: str, owner: str, today: _dt.date, template_dir: Path | None = None,
                schema: str | None = None, currency: str = "EUR") -> str:
    """The plan text; `schema` is what its editor modeline points at (default: the schema's URL);
    `currency` is the plan's (the portfolio's reporting currency, so a new plan needs no rate)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from kaplan.commands.schema import SCHEMAS

    env = Environment(loader=FileSystemLoader(str(template_dir or builtin_dir())), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)
    env.filters["yaml"] = _yaml_str
    try:
        period_end = today.replace(year=today.year + 1) - _dt.timedelta(days=1)
    except ValueError:  # 29 February
        period_end = today.replace(year=today.year + 1, day=28)
    period_end = min(period_end, _dt.date(years.LAST_YEAR, 12, 31))  # a plan begun in 2199 ends with it
    return env.get_template(PLAN_TEMPLATE).render(
        id=account_id, name=name, owner=owner, today=today.isoformat(), schema=schema or SCHEMAS["plan"].id,
        period_start=today.isoformat(), period_end=period_end.isoformat(), currency=currency)


def new_plan(portfolio: Portfolio, account_id: str, *, name: str | None = None, owner: str | None = None,
             today: _dt.date | None = None, folder: Path | None = None) -> NewPlan:
    """Create `<plans>/<account_id>.yaml` from the template. Never overwrites an existing file."""
    problem = id_problem(account_id)
    if problem is not None:
        raise ScaffoldError(problem, usage=True)
    for label, text in (("--name", name), ("--owner", owner)):
        if text is not None:
            _check_text(label, text)
    folder = folder or portfolio.plans_dir
    path = folder / f"{account_id}.yaml"
    from kaplan.reading.containment import escapes

    if escapes(path, portfolio.root) is not None:
        raise ScaffoldError(f"{_shown(path)} would be written through a symbolic link out of the portfolio; "
                            "kaplan does not follow it")
    held = _plan_of(portfolio, account_id, path, today or _dt.date.today())
    if held is not None:
        raise ScaffoldError(f"account `{account_id}` already has a plan in {held}; kaplan new never starts a "
                            "second plan for an account")
    schema = write_local_schema(portfolio.root)
    note = None
    if owner is None:
        owner, note = default_owner()
    text = render_plan(account_id, name=name or title_from_slug(account_id), owner=owner,
                       today=today or _dt.date.today(), schema=new_plan_schema(path, portfolio.root),
                       currency=portfolio.config.currency.reporting or "EUR")
    notes = (note,) if note else ()
    kept = _empty_plan_file(path)
    if kept is not None:  # the file exists but holds no plan: fill it, keeping what comments it has
        from kaplan.writing.files import write_replace

        write_replace(path, kept + text)
        return NewPlan(path=path, account_id=account_id, filled=True, schema=schema, notes=notes)
    try:
        write_new(path, text)
    except WriteRefused:
        raise ScaffoldError(f"{_shown(path)} already exists and holds a plan; kaplan new never overwrites "
                            "a plan") from None
    return NewPlan(path=path, account_id=account_id, schema=schema, notes=notes)


def _plan_of(portfolio: Portfolio, account_id: str, path: Path, today: _dt.date) -> str | None:
    """The file (as shown) of a plan of the portfolio other than `path` whose account is `account_id`: a
    second plan of one account would fail `check` (`duplicate-account`) whatever its file is named."""
    import os

    from kaplan.reading.portfolio import read

    if not portfolio.plans_dir.is_dir():
        return None
    for summary in read(portfolio, today=today, whole_portfolio=True).everyone:
        if summary.account_id == account_id and not (path.exists() and os.path.samefile(summary.path, path)):
            return summary.display
    return None


def new_plan_schema(path: Path, root: Path) -> str:
    """What the editor modeline of a new plan at `path` points at (`kaplan new`, `kaplan import --create`):
    the portfolio's own copy of the plan schema (`.kaplan/plan.schema.json`), which `write_local_schema`
    writes when the portfolio has none, so the modeline resolves offline and matches this kaplan; the
    schema's URL only when that copy cannot be there (it would be written through a link out of the
    portfolio, or the folder refused it)."""
    from kaplan.commands.schema import SCHEMAS, local_target, portfolio_schema

    if portfolio_schema(root) is not None or _schema_place(root) is not None:
        return local_target(path, root)
    return SCHEMAS["plan"].id


def _schema_place(root: Path) -> Path | None:
    """Where `write_local_schema` writes the plan schema, or None when it may not (a link out of the
    portfolio) or cannot (a file or folder in the way that is not writable)."""
    import os

    from kaplan.reading.containment import escapes
    from kaplan.commands.schema import PORTFOLIO_SCHEMA_DIR, SCHEMAS

    target = root / PORTFOLIO_SCHEMA_DIR / SCHEMAS["plan"].filename
    if escapes(target, root) is not None:
        return None
    folder = next((f for f in (target.parent, root) if f.exists()), None)
    return target if folder is not None and folder.is_dir() and os.access(folder, os.W_OK) else None


def write_local_schema(root: Path) -> Path | None:
    """Write the plan schema into the portfolio (`.kaplan/plan.schema.json`) when it has none, so a
    new plan's editor modeline (`new_plan_schema`) resolves offline; the path written, or None when one
    was there (or the folder cannot take it, and the modeline falls back to the schema's URL)."""
    from kaplan.commands.schema import SCHEMAS, portfolio_schema, schema_texts

    if portfolio_schema(root) is not None:
        return None
    target = _schema_place(root)
    if target is None:
        return None
    try:
        write_new(target, schema_texts()[SCHEMAS["plan"].filename])
    except (WriteRefused, OSError):
        return None
    return target


def _empty_plan_file(path: Path) -> str | None:
    """For an existing regular file with no YAML content (blank, or only comments), the comment lines to
    keep at the top of the plan written into it ("" if none); None for anything else."""
    from kaplan.reading import document as _yaml
    from kaplan.reading.loader import read_text

    if path.is_symlink() or not path.is_file():
        return None
    text, problem = read_text(path, path.name)
    if problem is not None or text is None:
        return None
    try:
        _yaml.parse(text)
    except _yaml.YamlProblem as p:
        if p.rule != "empty-file":
            return None
        lines = [line.rstrip() for line in text.splitlines() if line.strip()]
        return "".join(line + "\n" for line in lines) + ("\n" if lines else "")
    return None


def _shown(path: Path) -> str:
    from kaplan.reading.loader import display_path

    return display_path(path)
