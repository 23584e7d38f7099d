"""`kaplan import`: take financials, contacts or opportunities from a CRM export into the plans.

    from kaplan.commands.importing import import_file
    result = import_file("closed-won.csv", "financials", dry_run=True)
    print(result.diff())

The export is read (`source`), its rows read through a column profile (`profiles`, `rows`), each
row matched to the plan of its account, and the values that changed written through the round-trip
writer, all plans or none (`_batch`). A value a person edited is left alone (`ledger`, `merge`).
Any error in the file — a cell that cannot be read, an unknown account, a duplicate row — is a
finding at `export.csv:ROW:COLUMN`, and then nothing is written at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kaplan.findings import Finding
from kaplan.plural import word
from kaplan.commands.importing import ledger as _ledger
from kaplan.config.imports import BUILTIN_NAMES, KINDS, ImportProfile, candidates, find, missing, resolve, twins

__all__ = ["import_file", "ImportResult", "PlanChange", "KINDS", "BUILTIN_NAMES", "ImportProfile"]


@dataclass
class PlanChange:
    """One file the import changes (a plan, or the ledger of imported values)."""

    path: Path
    display: str
    before: str
    after: str
    values: int = 0
    created: bool = False

    def diff(self) -> str:
        import difflib

        return "".join(difflib.unified_diff(self.before.splitlines(True), self.after.splitlines(True),
                                            "/dev/null" if self.created else f"a/{self.display}",
                                            f"b/{self.display}"))


@dataclass
class ImportResult:
    source: str
    kind: str
    profile: str | None = None
    findings: list[Finding] = field(default_factory=list)
    """Errors in the export (or in a plan it would change); when there is one, nothing is written."""
    conflicts: list[Finding] = field(default_factory=list)
    """Values a person edited that differ from the CRM, located in the plans (warnings)."""
    changes: list[PlanChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    """What finishing an interrupted earlier write did (for the user to read, even with --quiet)."""
    rows: int = 0
    written: bool = False

    @property
    def plans(self) -> list[PlanChange]:
        return [c for c in self.changes if not c.display.endswith(_ledger.NAME)]

    def diff(self) -> str:
        return "".join(c.diff() for c in self.plans)

    @property
    def exit_code(self) -> int:
        """0: imported; 1: errors (nothing written) or conflicts left alone (the rest written)."""
        left = [c for c in self.conflicts if c.rule == "import-conflict"]
        return 1 if self.findings or left else 0


def import_file(source: Path | str, kind: str, *, start: Path | None = None, profile: str | None = None,
                prefer: str = "plan", dry_run: bool = False, create: bool = False,
                source_display: str | None = None, today=None) -> ImportResult:
    """Import `source` (CSV or XLSX) as `kind` into the portfolio around `start` (default: here).

    `profile` names a profile of `kaplan.yaml` or a built-in one (salesforce, hubspot, dynamics,
    kaplan); by default the first whose columns the file has. `prefer="crm"` overwrites values a
    person edited; `create` makes a plan for an account that has none (dated `today`). Raises `loader.ConfigError`
    for an invalid `kaplan.yaml` and `ValueError` for a bad `kind`, `prefer` or `profile`.
    """
    from kaplan.writing.batch import recover
    from kaplan.reading.loader import display_path, open_portfolio

    if kind not in KINDS:
        raise ValueError(f"cannot import {kind!r}; choose one of {', '.join(KINDS)}")
    if prefer not in ("plan", "crm"):
        raise ValueError(f"--prefer {prefer!r}: choose plan or crm")
    portfolio = open_portfolio(start)
    configured = portfolio.config.import_.profiles
    if profile is not None and find(profile, kind, configured) is None:
        known = sorted({*configured, *BUILTIN_NAMES})
        raise ValueError(f"no {kind} profile named {profile!r}; profiles: {', '.join(known)}")
    result = ImportResult(source_display or display_path(Path(source)), kind)
    recovered = recover(portfolio.root, portfolio.plans_dir) if not dry_run else None
    if recovered:
        result.recovered = recovered.notes(display_path)  # said even when the export has problems
    from kaplan.commands.importing.source import SourceProblem, read_table

    try:
        table = read_table(source, result.source)
    except SourceProblem as p:
        result.findings = p.findings
        return result
    result.notes.extend(table.notes)
    chosen = _choose(table, kind, profile, configured, result)
    if chosen is None:
        return result
    name, prof, found = chosen
    result.profile = name
    from kaplan.commands.importing.rows import read_records

    records, result.findings = read_records(table, prof, found)
    result.rows = len(table.rows)
    from kaplan.commands.importing._apply import apply

    apply(portfolio, kind, table, records, result, prefer=prefer, create=create, today=today)
    if result.findings or dry_run or not result.changes:
        return result
    from kaplan.writing.batch import told, write_all

    if any(c.created for c in result.changes):  # what the new plans' modeline names, as `kaplan new` writes it
        from kaplan.commands.new import write_local_schema

        schema = write_local_schema(portfolio.root)
        if schema is not None:
            result.notes.append(f"created {display_path(schema)} (the schema the new plans' editor modeline names)")
    with told(recovered, display_path):  # a refused write still says what the recovery did
        write_all({c.path: c.after for c in result.changes}, portfolio.root, create=True,
                  before={c.path: c.before for c in result.changes}, plans=portfolio.plans_dir, recovered=recovered)
    result.recovered = recovered.notes(display_path)
    result.written = True
    return result


def _choose(table, kind: str, name: str | None, configured: dict[str, ImportProfile],
            result: ImportResult) -> tuple[str, ImportProfile, dict[str, int]] | None:
    tried = [(name, find(name, kind, configured))] if name else candidates(kind, configured)
    best = None
    for label, prof in tried:
        found = resolve(prof, table.headers)
        gaps = missing(prof, found)
        if not gaps:
            return (label, prof, found) if not _twins(table, found, result) else None
        if best is None or len(found) > len(best[2]):
            best = (label, gaps, found)
    label, gaps, _ = best
    headers = ", ".join(f"`{h}`" for h in table.headers[:12] if h) or "none"
    result.findings.append(table.finding(
        table.header_row, 1, "import-columns",
        f"the export lacks the {word(len(gaps), 'column')} {' and '.join(gaps)} "
        f"(closest profile: {label}; the file's columns: {headers})",
        "name the columns in kaplan.yaml under `import: profiles:` (see the README), or pick a profile with "
        "--profile" if name is None else "check the export's headers against the profile in kaplan.yaml"))
    return None


def _twins(table, found: dict[str, int], result: ImportResult) -> bool:
    """Whether a column the profile reads shares its header with another (each such pair a finding)."""
    same = twins(table.headers, found)
    for read, columns in sorted(same.items(), key=lambda item: item[1]):
        listed = ", ".join(str(c + 1) for c in columns[:-1]) + f" and {columns[-1] + 1}"
        result.findings.append(table.finding(
            table.header_row, columns[1] + 1, "import-columns",
            f"columns {listed} are {'both' if len(columns) == 2 else 'all'} headed `{table.headers[columns[0]]}`; "
            f"which one holds the {read.replace('_', ' ')} is not guessed",
            "give each column its own header in the export (rename or remove all but one)"))
    return bool(same)
