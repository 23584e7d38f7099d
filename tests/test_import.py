"""`kaplan import`: CRM exports shaped like the real ones go into the plans, and only the values change."""

from __future__ import annotations

import datetime as dt
import difflib
import json
from pathlib import Path

import pytest

from conftest import dedent

ACME = """\
# Acme: owned by the Munich team
kaplan: 1
account:
  id: acme
  name: Acme Industrial
  crm_id: 0015g00000ACMEAA   # Salesforce account id
  sector: 'Manufacturing'

plan:
  owner: Jo Owner

financials:
  currency: EUR
  periods:
    - {period: 2026-Q1, revenue: 100000, gross_profit: 30000}
    - period: 2026-Q2
      revenue: 110000     # from the Q2 board pack

# ---- people ----
relationships:
  contacts:
    - id: ana-lima
      name: Ana Lima
      title: "CFO"
      buying_role: economic_buyer

opportunities:
  - {id: renewal, name: Renewal 2027, value: 50000, stage: proposal}
"""

BOLT = """\
kaplan: 1
account:
  id: bolt
  name: Bolt Logistics
  crm_id: 0015g00000BOLTAA
plan:
  owner: Sam Ruiz
financials:
  currency: EUR
  periods: []
"""

CONFIG = "kaplan: 1\nplans: plans\n"

SALESFORCE_FOOTER = ('\r\n"Confidential Information - Do Not Distribute"\r\n'
                     '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\r\n')


def salesforce(rows: list[list[str]]) -> str:
    """A Salesforce report exported as CSV, details only: every cell quoted, CRLF, the footer after a blank line."""
    header = ["Opportunity ID", "Account ID", "Account Name", "Opportunity Name", "Stage", "Fiscal Period",
              "Amount", "Close Date"]
    lines = [",".join(f'"{c}"' for c in r) for r in [header, *rows]]
    return "\r\n".join(lines) + "\r\n" + SALESFORCE_FOOTER


SF_ROWS = [
    ["0065g00000O1", "0015g00000ACMEAA", "Acme Industrial", "Line 4 retrofit", "Closed Won", "Q2-2026", "70000.00", "6/12/2026"],
    ["0065g00000O2", "0015g00000ACMEAA", "Acme Industrial", "Spare parts", "Closed Won", "Q2-2026", "45000.00", "5/30/2026"],
    ["0065g00000O3", "0015g00000ACMEAA", "Acme Industrial", "Service Q3", "Closed Won", "Q3-2026", "120000.00", "9/30/2026"],
    ["0065g00000O4", "0015g00000BOLTAA", "Bolt Logistics", "Pilot", "Closed Won", "Q3-2026", "8000.00", "8/1/2026"],
]


@pytest.fixture
def portfolio(tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "kaplan.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "plans" / "acme.yaml").write_text(ACME, encoding="utf-8")
    (tmp_path / "plans" / "bolt.yaml").write_text(BOLT, encoding="utf-8")
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and p.suffix != ".csv" and p.suffix != ".xlsx"}


def changed_lines(old: str, new: str) -> list[str]:
    return [line for line in difflib.ndiff(old.splitlines(True), new.splitlines(True)) if line[:1] in "+-"]


# ---------------------------------------------------------------- Salesforce financials


def test_a_salesforce_export_updates_only_the_changed_values_and_a_second_run_changes_nothing(kaplan, portfolio):
    (portfolio / "closed-won.csv").write_text(salesforce(SF_ROWS), encoding="utf-8", newline="")
    run = kaplan("import", "closed-won.csv", "--as", "financials", cwd=portfolio)
    assert run.exit_code == 1, run.stderr  # the conflict below
    acme = (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8")
    # Q2 = 70,000 + 45,000 = 115,000 differs from the 110,000 a person typed (no import ever wrote it): a
    # conflict, left alone; Q3 = 120,000 is a new period, in the style of the entry before it, above the
    # blank line and the banner of the next section.
    assert changed_lines(ACME, acme) == ["+     - period: 2026-Q3\n", "+       revenue: 120000\n"]
    assert "      revenue: 110000     # from the Q2 board pack\n    - period: 2026-Q3\n      revenue: 120000\n\n" \
           "# ---- people ----\n" in acme
    assert "revenue of 2026-Q2: 110000 in the plan, 115000 in closed-won.csv row 2" in run.stderr
    assert "plans/acme.yaml:17:16: warning [import-conflict]" in run.stderr
    bolt = (portfolio / "plans" / "bolt.yaml").read_text(encoding="utf-8")
    assert changed_lines(BOLT, bolt) == ["-   periods: []\n", "+   periods:\n", "+     - period: 2026-Q3\n",
                                         "+       revenue: 8000\n"]
    before = snapshot(portfolio)
    again = kaplan("import", "closed-won.csv", "--as", "financials", cwd=portfolio)
    assert snapshot(portfolio) == before  # the second run is a no-op, the ledger included
    assert "no plan changed" in again.stderr


def test_conflicts_exit_1_and_prefer_crm_takes_the_crm_value(kaplan, portfolio):
    (portfolio / "closed-won.csv").write_text(salesforce(SF_ROWS), encoding="utf-8", newline="")
    assert kaplan("import", "closed-won.csv", "--as", "financials", cwd=portfolio).exit_code == 1
    run = kaplan("import", "closed-won.csv", "--as", "financials", "--prefer", "crm", cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    acme = (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8")
    assert "      revenue: 115000     # from the Q2 board pack\n" in acme  # the comment stays with its value
    # now the ledger knows 115,000 came from the CRM: a new CRM figure replaces it without a conflict
    rows = [r[:] for r in SF_ROWS]
    rows[1][6] = "55000.00"  # Q2 = 70,000 + 55,000 = 125,000
    (portfolio / "closed-won.csv").write_text(salesforce(rows), encoding="utf-8", newline="")
    run = kaplan("import", "closed-won.csv", "--as", "financials", cwd=portfolio)
    assert run.exit_code == 0 and "conflict" not in run.stderr
    assert "      revenue: 125000     # from the Q2 board pack\n" in (portfolio / "plans" / "acme.yaml").read_text()
    # a person edits the imported value: the next different CRM value is a conflict again, left alone
    path = portfolio / "plans" / "acme.yaml"
    path.write_text(path.read_text().replace("revenue: 125000", "revenue: 126000"))
    rows[1][6] = "57000.00"  # Q2 = 70,000 + 57,000 = 127,000
    (portfolio / "closed-won.csv").write_text(salesforce(rows), encoding="utf-8", newline="")
    run = kaplan("import", "closed-won.csv", "--as", "financials", cwd=portfolio)
    assert run.exit_code == 1
    assert "revenue of 2026-Q2: 126000 in the plan, 127000 in closed-won.csv row 2" in run.stderr
    assert "revenue: 126000" in path.read_text()


def test_dry_run_prints_a_unified_diff_and_writes_nothing(kaplan, portfolio):
    (portfolio / "closed-won.csv").write_text(salesforce(SF_ROWS), encoding="utf-8", newline="")
    before = snapshot(portfolio)
    run = kaplan("import", "closed-won.csv", "--as", "financials", "--dry-run", cwd=portfolio)
    assert snapshot(portfolio) == before
    assert run.stdout.startswith("--- a/plans/acme.yaml\n+++ b/plans/acme.yaml\n@@ ")
    assert "+    - period: 2026-Q3\n+      revenue: 120000\n" in run.stdout
    assert "--- a/plans/bolt.yaml\n+++ b/plans/bolt.yaml\n" in run.stdout
    assert "would change 2 plans; nothing written" in run.stderr


# ---------------------------------------------------------------- HubSpot contacts, Dynamics opportunities


def test_a_hubspot_contacts_export_with_a_byte_order_mark_updates_and_adds_contacts(kaplan, portfolio):
    # HubSpot's view export: UTF-8 with a BOM when opened for Excel, association columns by company record id
    (portfolio / "plans" / "acme.yaml").write_text(ACME.replace("0015g00000ACMEAA", "9001"), encoding="utf-8")
    export = ("\ufeffRecord ID,First Name,Last Name,Email,Job Title,Contact owner,Associated Company IDs,"
              "Associated Company,Last Activity Date\r\n"
              "501,Ana,Lima,ana@acme.example,Chief Financial Officer,Jo Owner,9001,Acme Industrial,2026-11-02 14:05\r\n"
              "502,Björn,Åkesson,bjorn@acme.example,Head of Procurement,Jo Owner,9001,Acme Industrial,\r\n")
    (portfolio / "contacts.csv").write_text(export, encoding="utf-8", newline="")
    run = kaplan("import", "contacts.csv", "--as", "contacts", "--prefer", "crm", cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    assert "(hubspot profile)" in run.stderr
    acme = (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8")
    old = ACME.replace("0015g00000ACMEAA", "9001")
    # Ana is matched by name and gets the CRM's id; the hand-typed "CFO" was never imported, so it is a
    # conflict that --prefer crm resolves; Björn is new, with an id made from his name.
    assert changed_lines(old, acme) == [
        "-       title: \"CFO\"\n", "+       title: \"Chief Financial Officer\"\n",
        "+       crm_id: '501'\n", "+       our_owner: Jo Owner\n", "+       last_contact: 2026-11-02\n",
        "+     - id: bjorn-akesson\n", "+       name: Björn Åkesson\n", "+       crm_id: '502'\n",
        "+       title: Head of Procurement\n", "+       our_owner: Jo Owner\n",
    ]
    assert kaplan("check", "--today", "2026-11-24", cwd=portfolio).exit_code in (0, 1)
    from kaplan.reading.loader import load_plan

    plan = load_plan(portfolio / "plans" / "acme.yaml").plan
    assert [(c.id, c.crm_id, c.title) for c in plan.relationships.contacts] == [
        ("ana-lima", "501", "Chief Financial Officer"), ("bjorn-akesson", "502", "Head of Procurement")]


def test_a_dynamics_excel_export_updates_opportunities(kaplan, portfolio):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "My Open Opportunities"
    sheet.append(["(Do Not Modify) Opportunity", "(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On",
                  "Topic", "Potential Customer", "Est. Close Date", "Est. Revenue", "Probability", "Pipeline Phase"])
    sheet.append(["3f1c7a2e-0000-4000-8000-000000000001", "a1b2c3==", dt.datetime(2026, 11, 20, 9, 30),
                  "Renewal 2027", "Acme Industrial", dt.datetime(2027, 1, 31), 64000.0, 70, "3-Propose"])
    sheet.append(["3f1c7a2e-0000-4000-8000-000000000002", "d4e5f6==", dt.datetime(2026, 11, 21, 10, 0),
                  "Predictive maintenance", "Acme Industrial", dt.datetime(2027, 3, 31), 120000.0, 20, "1-Qualify"])
    for col in "ABC":
        sheet.column_dimensions[col].hidden = True
    hidden = book.create_sheet("hiddenDataSheet")
    hidden.sheet_state = "hidden"
    book.save(portfolio / "opportunities.xlsx")
    (portfolio / "plans" / "acme.yaml").write_text(
        ACME.replace("{id: renewal, name: Renewal 2027, value: 50000, stage: proposal}",
                     "{id: renewal, name: Renewal 2027, value: 50000, stage: proposal, probability: 60}"),
        encoding="utf-8")
    before = (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8")
    run = kaplan("import", "opportunities.xlsx", "--as", "opportunities", "--prefer", "crm", cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    assert "(dynamics profile)" in run.stderr
    acme = (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8")
    assert changed_lines(before, acme) == [
        "-   - {id: renewal, name: Renewal 2027, value: 50000, stage: proposal, probability: 60}\n",
        "+   - {id: renewal, name: Renewal 2027, value: 64000, stage: proposal, probability: 70, "
        "crm_id: 3f1c7a2e-0000-4000-8000-000000000001, expected_close: 2027-01-31}\n",
        "+   - {id: predictive-maintenance, name: Predictive maintenance, crm_id: 3f1c7a2e-0000-4000-8000-000000000002, "
        "value: 120000, stage: qualified, probability: 20, expected_close: 2027-03-31}\n",
    ]


# ---------------------------------------------------------------- bad files: located, and nothing written

HEAD = "account,period,revenue\n"


@pytest.mark.parametrize("name,content,where,message", [
    ("empty.csv", "", "empty.csv:1:1: error [empty-file]", "the file is empty"),
    ("blank.csv", "\n\n  \n", "blank.csv:1:1: error [empty-file]", "the file is empty"),
    ("report.csv", "%PDF-1.7\n%\xe2\xe3\n", "report.csv:1:1: error [not-a-table]", "looks like a PDF"),
    ("cols.csv", "Customer,When,Sales\nacme,2026-Q3,1\n", "cols.csv:1:1: error [import-columns]", "lacks the column"),
    ("de.csv", HEAD + "acme,2026-Q3,\"1.234,56\"\n", "de.csv:2:3: error [import-value]",
     "`1.234,56` is written with `.` between thousands and `,` for decimals"),
    ("fr.csv", HEAD + "acme,2026-Q3,\"1 234,56\"\n", "fr.csv:2:3: error [import-value]", "spaces between thousands"),
    ("euro.csv", HEAD + "acme,2026-Q3,\"€1,200\"\n", "euro.csv:2:3: error [import-value]", "currency sign"),
    ("us.csv", HEAD + "acme,2026-Q3,\"1,200\"\n", "us.csv:2:3: error [import-value]", "could be 1200 or 1.2"),
    ("tbd.csv", HEAD + "acme,2026-Q3,tbd\n", "tbd.csv:2:3: error [import-value]", "`tbd` is not a number"),
    ("who.csv", HEAD + "acme,2026-Q3,1\nzeta,2026-Q3,2\n", "who.csv:3:1: error [import-unknown-account]",
     "no plan for account id `zeta`"),
    ("dup.csv", HEAD + "acme,2026-Q3,1\nbolt,2026-Q3,2\nacme,2026-Q3,1\n", "dup.csv:4:2: error [import-duplicate]",
     "row 4 repeats period 2026-Q3 of `acme` from row 2"),
    ("quote.csv", HEAD + "acme,2026-Q3,1\n\"bolt,2026-Q3,2\n", "quote.csv:3:1: error [not-csv]", "not well-formed"),
    ("short.csv", HEAD + "acme,2026-Q3,1\nbolt\n", "short.csv:3:2: error [import-row]", "no period"),
    ("period.csv", HEAD + "acme,Sept,1\n", "period.csv:2:2: error [import-value]", "`Sept` is not a period"),
    ("fake.xlsx", "account,period\n", "fake.xlsx:1:1: error [not-a-table]", "not an Excel workbook"),
    ("wide.csv", HEAD + "acme,2026-Q3,\uff11\uff12\uff13\n", "wide.csv:2:3: error [import-value]",
     "`\uff11\uff12\uff13` is written with digits other than 0-9"),
    ("indic.csv", HEAD + "acme,20\u0662\u0666-Q3,1\n", "indic.csv:2:2: error [import-value]",
     "`20\u0662\u0666-Q3` is written with digits other than 0-9"),
    ("twins.csv", "account,period,revenue,Revenue\nacme,2026-Q3,5,7\n", "twins.csv:1:4: error [import-columns]",
     "columns 3 and 4 are both headed `revenue`; which one holds the revenue is not guessed"),
    ("three.csv", "account,account,period,revenue,account\nacme,bolt,2026-Q3,5,acme\n",
     "three.csv:1:2: error [import-columns]",
     "columns 1, 2 and 5 are all headed `account`; which one holds the account is not guessed"),
])
def test_every_bad_file_is_a_located_error_and_nothing_is_written(kaplan, portfolio, name, content, where, message):
    (portfolio / name).write_text(content, encoding="utf-8", newline="")
    before = snapshot(portfolio)
    run = kaplan("import", name, "--as", "financials", cwd=portfolio)
    assert run.exit_code == 1, run.stderr
    assert where in run.stderr and message in run.stderr, run.stderr
    assert "hint:" in run.stderr
    assert "no plan was changed" in run.stderr
    assert snapshot(portfolio) == before


@pytest.mark.parametrize("cell,date_format", [("2026-0\u0663-01", None), ("1\u0662/03/2026", "%d/%m/%Y"),
                                              ("\u0661\u0662.03.2026", None)])
def test_a_date_with_digits_other_than_0_to_9_is_refused(kaplan, portfolio, cell, date_format):
    """Python's strptime reads `1٢/03/2026` as the 12th: a date is written with the digits 0-9 only."""
    profile = {"kind": "contacts", "columns": {"account": "account", "name": "name", "last_contact": "last_contact"}}
    if date_format:
        profile["date_format"] = date_format
    (portfolio / "kaplan.yaml").write_text(CONFIG + "import:\n  profiles:\n    crm: " + json.dumps(profile) + "\n",
                                           encoding="utf-8")
    (portfolio / "people.csv").write_text(f"account,name,last_contact\nacme,Ana Lima,{cell}\n", encoding="utf-8")
    run = kaplan("import", "people.csv", "--as", "contacts", "--dry-run", cwd=portfolio)
    assert run.exit_code == 1, run.stderr
    assert f"people.csv:2:3: error [import-value] column `last_contact`: `{cell}` is written with digits other " \
           "than 0-9" in run.stderr, run.stderr


def test_a_plan_s_byte_order_mark_and_crlf_line_ends_are_kept(kaplan, portfolio):
    """A plan saved by a Windows editor as "UTF-8 with BOM" lost its first three bytes to an import."""
    plan = ("kaplan: 1\naccount:\n  id: acme\n  name: Acme\nplan:\n  owner: Jo Owner\nfinancials:\n  periods:\n"
            "    - period: 2026-Q2\n      revenue: 50\n")
    (portfolio / "plans" / "acme.yaml").write_bytes(b"\xef\xbb\xbf" + plan.replace("\n", "\r\n").encode("utf-8"))
    (portfolio / "gp.csv").write_text("account,period,revenue,gross_profit\nacme,2026-Q2,50,20\n", encoding="utf-8")
    run = kaplan("import", "gp.csv", "--as", "financials", cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    expected = plan + "      gross_profit: 20\n"
    assert (portfolio / "plans" / "acme.yaml").read_bytes() == \
        b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode("utf-8")


def test_a_header_twice_in_a_column_the_profile_does_not_read_is_no_problem(kaplan, portfolio):
    (portfolio / "notes.csv").write_text("account,period,revenue,note,note\nacme,2026-Q3,5,a,b\n", encoding="utf-8")
    run = kaplan("import", "notes.csv", "--as", "financials", "--dry-run", cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    assert "+    - period: 2026-Q3\n+      revenue: 5\n" in run.stdout, run.stdout


def test_ambiguous_dates_are_errors_unless_the_column_or_the_profile_settles_them(kaplan, portfolio):
    head = "account,period,revenue\n"
    (portfolio / "a.csv").write_text(head + "acme,03/04/2026,1\n", encoding="utf-8")
    (portfolio / "kaplan.yaml").write_text(CONFIG + dedent("""
        import:
          profiles:
            monthly:
              kind: financials
              columns: {account: account, period: period, revenue: revenue}
              period_of_date: month
        """), encoding="utf-8")
    run = kaplan("import", "a.csv", "--as", "financials", "--dry-run", cwd=portfolio)
    assert "a.csv:2:2: error [import-value] column `period`: `03/04/2026` could be 2026-04-03 or 2026-03-04" in run.stderr
    # 31/12/2026 in the same column shows the day comes first: 03/04/2026 is then the 3rd of April
    (portfolio / "a.csv").write_text(head + "acme,03/04/2026,1\nacme,31/12/2026,2\n", encoding="utf-8")
    run = kaplan("import", "a.csv", "--as", "financials", "--dry-run", cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    assert "+    - {period: 2026-04, revenue: 1}\n" not in run.stdout  # Q1/Q2 entries are block style here
    assert "period: 2026-04" in run.stdout and "period: 2026-12" in run.stdout


def test_a_windows_1252_export_with_semicolons_and_a_profile_for_its_numbers(kaplan, portfolio):
    (portfolio / "kaplan.yaml").write_text(CONFIG + dedent("""
        import:
          profiles:
            erp:
              kind: financials
              columns: {account_name: Kunde, period: Monat, revenue: Umsatz, gross_profit: Rohertrag}
              decimal: ","
              date_format: "%d.%m.%Y"
              period_of_date: quarter
        """), encoding="utf-8")
    (portfolio / "plans" / "acme.yaml").write_text(ACME.replace("Acme Industrial", "Acmé Industrial"), encoding="utf-8")
    export = "Kunde;Monat;Umsatz;Rohertrag\r\nAcmé Industrial;15.07.2026;1.234.567,50;-2.000,00\r\n"
    (portfolio / "erp.csv").write_bytes(export.encode("cp1252"))
    run = kaplan("import", "erp.csv", "--as", "financials", cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    assert "read as Windows-1252" in run.stderr and "(erp profile)" in run.stderr
    text = (portfolio / "plans" / "acme.yaml").read_text(encoding="utf-8")
    assert "    - period: 2026-Q3\n      revenue: 1234567.5\n      gross_profit: -2000\n" in text


def test_an_error_for_one_plan_leaves_every_plan_unchanged(kaplan, portfolio):
    rows = [r[:] for r in SF_ROWS]
    rows[3][6] = "8.000,00"  # Bolt's row is unreadable; Acme's rows are fine
    (portfolio / "closed-won.csv").write_text(salesforce(rows), encoding="utf-8", newline="")
    before = snapshot(portfolio)
    run = kaplan("import", "closed-won.csv", "--as", "financials", cwd=portfolio)
    assert run.exit_code == 1
    assert "closed-won.csv:5:7: error [import-value] column `Amount`" in run.stderr
    assert snapshot(portfolio) == before


def test_a_row_for_an_account_without_a_plan_starts_one_only_with_create(kaplan, portfolio):
    (portfolio / "new.csv").write_text("account,period,revenue\nzeta-labs,2026-Q3,5000\n", encoding="utf-8")
    assert kaplan("import", "new.csv", "--as", "financials", cwd=portfolio).exit_code == 1
    assert not (portfolio / "plans" / "zeta-labs.yaml").exists()
    run = kaplan("import", "new.csv", "--as", "financials", "--create", "--today", "2026-11-24", cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    from kaplan.reading.loader import load_plan

    plan = load_plan(portfolio / "plans" / "zeta-labs.yaml").plan
    assert [(p.period, p.revenue) for p in plan.financials.periods] == [("2026-Q3", 5000)]


def test_the_readme_import_and_its_diff_are_real(kaplan):
    from conftest import EXAMPLES, REPO

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Data in: `kaplan import` and `kaplan review`", 1)[1]
    command = section.split("```console\n$ cd examples && ", 1)[1].split("\n", 1)[0]
    shown = section.split("```diff\n", 1)[1].split("```", 1)[0]
    run = kaplan(*command.split()[1:], cwd=EXAMPLES)
    assert run.exit_code == 0, run.stderr
    assert run.stdout == shown


def test_the_readme_import_benchmark_is_the_recorded_run():
    from conftest import REPO

    rows = json.loads((REPO / "bench" / "import-results.json").read_text(encoding="utf-8"))["rows"]
    text = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    first = rows[0]
    assert first["step"] == "kaplan import (50000 rows, 1000 plans)" and first["exit_codes"] == [0]
    assert f"Recorded: {first['cpu_s']} s of CPU and a peak of {first['peak_mb']} MB" in text
    assert first["peak_mb"] < 500 and first["cpu_s"] < 30


def test_a_plan_started_by_import_names_the_same_local_schema_as_kaplan_new(kaplan, portfolio):
    # a portfolio without its own copy of the schema: `import --create` writes it, as `kaplan new`
    # does, and the new plan's modeline names it by the path from plans/ (../.kaplan/plan.schema.json),
    # never the schema's URL
    import shutil

    shutil.rmtree(portfolio / ".kaplan", ignore_errors=True)
    (portfolio / "new.csv").write_text("account,period,revenue\nzeta-labs,2026-Q3,5000\n", encoding="utf-8")
    run = kaplan("import", "new.csv", "--as", "financials", "--create", "--today", "2026-11-24", cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    imported = (portfolio / "plans" / "zeta-labs.yaml").read_text(encoding="utf-8")
    assert imported.splitlines()[0] == "# yaml-language-server: $schema=../.kaplan/plan.schema.json"
    assert (portfolio / ".kaplan" / "plan.schema.json").is_file()
    assert kaplan("new", "omega-works", cwd=portfolio).exit_code == 0
    made = (portfolio / "plans" / "omega-works.yaml").read_text(encoding="utf-8")
    assert made.splitlines()[0] == imported.splitlines()[0]
    assert "https://" not in imported.splitlines()[0]


def test_a_dry_run_import_writes_no_schema_but_shows_the_modeline_it_would(kaplan, portfolio):
    import shutil

    shutil.rmtree(portfolio / ".kaplan", ignore_errors=True)
    (portfolio / "new.csv").write_text("account,period,revenue\nzeta-labs,2026-Q3,5000\n", encoding="utf-8")
    run = kaplan("import", "new.csv", "--as", "financials", "--create", "--dry-run", "--today", "2026-11-24",
                 cwd=portfolio)
    assert run.exit_code == 0, run.stderr
    assert "+# yaml-language-server: $schema=../.kaplan/plan.schema.json" in run.stdout
    assert not (portfolio / ".kaplan").exists() and not (portfolio / "plans" / "zeta-labs.yaml").exists()
