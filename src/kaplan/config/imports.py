"""Import profiles: which column of an export holds which value of a plan.

A profile names, for one kind of import (`financials`, `contacts`, `opportunities`), the export's
column header for each field, and how its numbers and dates are written. A portfolio defines its
own under `import: profiles:` in `kaplan.yaml`:

    import:
      profiles:
        sap-revenue:
          kind: financials
          columns: {crm_account: Customer No., period: Month, revenue: Net Sales}
          decimal: ","
          date_format: "%d.%m.%Y"

Built in are the report exports of Salesforce (CSV "details only", with its footer), HubSpot (view
export, CSV or XLSX) and Microsoft Dynamics 365 ("Export to Excel", with its hidden `(Do Not
Modify)` columns) as they come, and `kaplan`, whose headers are the field names themselves. Without
`--profile`, the first profile whose columns the file has is used (the portfolio's own first).

The account of a row is found by `account` (the plan's `account.id`), `crm_account` (the plan's
`account.crm_id`) or, when the export has neither, `account_name` (the plan's `account.name`, exact).
"""

from __future__ import annotations

import functools
from typing import Iterator, Literal

from pydantic import Field

from kaplan.findings import Issue
from kaplan.model.types import Section
from kaplan.model.vocab import Stage

Kind = Literal["financials", "contacts", "opportunities"]
KINDS = ("financials", "contacts", "opportunities")
ACCOUNT_FIELDS = ("account", "crm_account", "account_name")
FIELDS: dict[str, tuple[str, ...]] = {
    "financials": ("period", "revenue", "gross_profit", "cost_to_serve", "discounts", "target_revenue",
                   "currency", "record_id"),
    "contacts": ("crm_id", "name", "first_name", "last_name", "title", "our_owner", "last_contact"),
    "opportunities": ("crm_id", "name", "value", "stage", "probability", "expected_close", "offering", "currency"),
}
"""The fields each kind of import can fill; `record_id` identifies a source row (to find duplicates)."""


class ImportProfile(Section):
    """How to read one CRM export."""

    kind: Kind
    """What the export holds: financials, contacts or opportunities."""
    columns: dict[str, str | list[str]]
    """kaplan field → the export's column header (or a list of headers, the first present is used)."""
    decimal: Literal[".", ","] | None = None
    """The decimal separator of numbers written with thousands separators (`1.234,56` needs `,`)."""
    date_format: str | None = None
    """The format of dates that are not YYYY-MM-DD, e.g. `%d/%m/%Y` (ambiguous dates need it)."""
    period_of_date: Literal["month", "quarter", "year"] | None = None
    """When the period column holds dates: the period a date falls in."""
    sum: bool = False
    """Add up the rows of the same account and period (an export with one row per deal)."""
    stages: dict[str, Stage] = Field(default_factory=dict)
    """The CRM's stage names → kaplan's stages, beyond the common ones kaplan knows."""

    def header(self, field: str) -> list[str]:
        value = self.columns.get(field)
        return [] if value is None else [value] if isinstance(value, str) else list(value)


class ImportSettings(Section):
    """The `import:` part of `kaplan.yaml`."""

    profiles: dict[str, ImportProfile] = Field(default_factory=dict)
    """Named column profiles for `kaplan import --profile NAME`."""


def _p(kind: str, columns: dict, **kw) -> ImportProfile:
    return ImportProfile(kind=kind, columns=columns, **kw)


BUILTIN_NAMES = ("salesforce", "hubspot", "dynamics", "kaplan")


@functools.cache
def builtin() -> dict[str, dict[str, ImportProfile]]:
    """The built-in profiles, name → kind → profile (built on first use: every command reads the config)."""
    return {
        "salesforce": {
        # A "Closed Won" opportunities report, details only: one row per deal, added up per fiscal period.
        "financials": _p("financials", {"record_id": "Opportunity ID", "crm_account": "Account ID",
                                        "account_name": "Account Name", "period": "Fiscal Period",
                                        "revenue": "Amount", "currency": ["Amount Currency", "Opportunity Currency"]},
                         sum=True),
        "opportunities": _p("opportunities", {
            "crm_id": "Opportunity ID", "crm_account": "Account ID", "account_name": "Account Name",
            "name": "Opportunity Name", "stage": "Stage", "value": "Amount", "probability": "Probability (%)",
            "expected_close": "Close Date", "offering": "Type",
            "currency": ["Amount Currency", "Opportunity Currency"]}),
        "contacts": _p("contacts", {
            "crm_id": "Contact ID", "crm_account": "Account ID", "account_name": "Account Name",
            "first_name": "First Name", "last_name": "Last Name", "title": "Title",
            "our_owner": "Contact Owner", "last_contact": "Last Activity"}),
    },
    "hubspot": {
        # closed-won deals, one row per deal, added up per quarter of the close date
        "financials": _p("financials", {
            "record_id": "Record ID", "crm_account": ["Associated Company IDs (Primary)", "Associated Company IDs"],
            "account_name": ["Associated Company (Primary)", "Associated Company"], "period": "Close Date",
            "revenue": "Amount", "currency": "Currency"}, sum=True, period_of_date="quarter"),
        "opportunities": _p("opportunities", {
            "crm_id": "Record ID", "crm_account": ["Associated Company IDs (Primary)", "Associated Company IDs"],
            "account_name": ["Associated Company (Primary)", "Associated Company"], "name": "Deal Name",
            "stage": "Deal Stage", "value": "Amount", "expected_close": "Close Date", "offering": "Deal Type",
            "currency": "Currency"}),
        "contacts": _p("contacts", {
            "crm_id": "Record ID", "crm_account": ["Associated Company IDs (Primary)", "Associated Company IDs"],
            "account_name": ["Associated Company (Primary)", "Associated Company"], "first_name": "First Name",
            "last_name": "Last Name", "title": "Job Title", "our_owner": "Contact owner",
            "last_contact": "Last Activity Date"}),
    },
    "dynamics": {
        # closed opportunities: actual revenue, added up per quarter of the actual close date
        "financials": _p("financials", {
            "record_id": "(Do Not Modify) Opportunity", "account_name": ["Potential Customer", "Account"],
            "period": "Actual Close Date", "revenue": "Actual Revenue", "currency": "Currency"},
            sum=True, period_of_date="quarter"),
        "opportunities": _p("opportunities", {
            "crm_id": "(Do Not Modify) Opportunity", "account_name": ["Potential Customer", "Account"],
            "name": "Topic", "stage": ["Pipeline Phase", "Sales Stage"], "value": "Est. Revenue",
            "probability": "Probability", "expected_close": "Est. Close Date", "currency": "Currency"}),
        "contacts": _p("contacts", {
            "crm_id": "(Do Not Modify) Contact", "account_name": ["Account Name", "Company Name"],
            "name": "Full Name", "title": "Job Title", "our_owner": "Owner"}),
    },
    "kaplan": {kind: _p(kind, {f: f for f in (*ACCOUNT_FIELDS, *FIELDS[kind])}) for kind in KINDS},
    }

_COMMON_STAGES = {
    Stage.identified: ("prospecting", "appointment scheduled", "identified", "lead", "new"),
    Stage.qualified: ("qualification", "qualified", "qualified to buy", "needs analysis", "value proposition",
                      "id. decision makers", "perception analysis", "presentation scheduled",
                      "decision maker bought-in", "1-qualify", "qualify", "2-develop", "develop"),
    Stage.proposal: ("proposal/price quote", "proposal", "3-propose", "propose"),
    Stage.negotiation: ("negotiation/review", "negotiation", "contract sent", "4-close", "close"),
    Stage.won: ("closed won", "won"),
    Stage.lost: ("closed lost", "lost"),
    Stage.active: ("active",),
}
COMMON_STAGES = {name: stage for stage, names in _COMMON_STAGES.items() for name in names}


def normal(header: str) -> str:
    return " ".join(str(header).split()).casefold()


def resolve(profile: ImportProfile, headers: list[str]) -> dict[str, int]:
    """field → 0-based column index, for the profile's fields the headers have."""
    where = {}
    for i, h in enumerate(headers):
        where.setdefault(normal(h), i)
    out = {}
    for field in profile.columns:
        for header in profile.header(field):
            if normal(header) in where:
                out[field] = where[normal(header)]
                break
    return out


def twins(headers: list[str], found: dict[str, int]) -> dict[str, list[int]]:
    """field → every 0-based column headed as the one `found` reads it from, for the fields whose
    header more than one column has: which of them the field is in is not guessed."""
    out = {}
    for field, i in found.items():
        same = [j for j, h in enumerate(headers) if normal(h) == normal(headers[i])]
        if len(same) > 1:
            out[field] = same
    return out


def missing(profile: ImportProfile, found: dict[str, int]) -> list[str]:
    """What a file lacks for this profile: an account column and the kind's essential fields."""
    gaps = []
    if not any(f in found for f in ACCOUNT_FIELDS):
        gaps.append(_names(profile, [f for f in ACCOUNT_FIELDS if f in profile.columns] or ["account"]))
    if profile.kind == "financials":
        if "period" not in found:
            gaps.append(_names(profile, ["period"]))
        figures = [f for f in FIELDS["financials"] if f not in ("period", "currency", "record_id")]
        if not any(f in found for f in figures):
            gaps.append(_names(profile, [f for f in figures if f in profile.columns] or ["revenue"]))
    else:
        has_name = "name" in found or ("first_name" in found and "last_name" in found) or "last_name" in found
        if not has_name and "crm_id" not in found:
            gaps.append(_names(profile, [f for f in ("crm_id", "name", "last_name") if f in profile.columns]
                               or ["name"]))
    return gaps


def _names(profile: ImportProfile, fields: list[str]) -> str:
    return " or ".join(f"`{(profile.header(f) or [f])[0]}`" for f in fields)


def candidates(kind: str, configured: dict[str, ImportProfile]) -> list[tuple[str, ImportProfile]]:
    """The profiles tried for a kind, in order: the portfolio's own, then the built-in ones."""
    own = [(name, p) for name, p in configured.items() if p.kind == kind]
    return own + [(name, kinds[kind]) for name, kinds in builtin().items()]


def find(name: str, kind: str, configured: dict[str, ImportProfile]) -> ImportProfile | None:
    if name in configured:
        return configured[name]
    return builtin().get(name, {}).get(kind)


def problems(settings: ImportSettings) -> Iterator[Issue]:
    """Mistakes in `import:` that its schema cannot see: a column for a field the kind does not have."""
    for name, profile in settings.profiles.items():
        known = (*ACCOUNT_FIELDS, *FIELDS[profile.kind])
        for field in profile.columns:
            if field not in known:
                yield Issue(("import", "profiles", name, "columns", field),
                            f"a {profile.kind} import has no field `{field}`",
                            f"fields: {', '.join(known)}", key=True)
