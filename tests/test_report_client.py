"""`kaplan report ACCOUNT --audience client`: the pack a KAM sends to the client.

The plan gets a distinctive marker in every field the client must not see (margin, cost to serve,
health, score, tier, attitudes, buying roles, internal risks, the force field, review notes, our
opportunities, internal actions and KPIs…); the pack is rendered in every format and no marker may
appear anywhere in it, while the client's own objectives, joint actions, KPIs and decisions do.
"""

from __future__ import annotations

import json
import re

import pytest

from _report_repo import ACCOUNT, copy_plain
from conftest import TODAY

from kaplan.reading.loader import load_plan

DAY = TODAY.isoformat()
FORMATS = ["html", "md", "xlsx", "pptx", "pdf"]

# Shown to the client: (where in the plan, the value)
SHOWN = ["Cut store energy cost by 20%",          # the objective's title
         "Stores on live monitoring",             # a measure
         "Plan the national roll-out with Priya Shah",  # a joint action (serves the objective)
         "Platform uptime",                       # a service KPI
         "Fund the national roll-out plan",       # an open decision
         "Tobias Brandt",                         # our account team
         "one-page progress report"]              # what was agreed with the client about the plan


@pytest.fixture
def marked(tmp_path):
    """The fixture portfolio, with markers in every internal field of the account's plan."""
    folder = copy_plain(tmp_path / "portfolio")
    path = folder / "plans" / f"{ACCOUNT}.yaml"
    doc = load_plan(path).plan.model_dump(mode="json", by_alias=True, exclude_none=True)
    for i, p in enumerate(doc["financials"]["periods"]):
        p["gross_profit"] = 171717 + i          # margin
        p["cost_to_serve"] = 23456 + i          # cost to serve
        p["discounts"] = 9191 + i
        p["target_margin_pct"] = 37.77
    doc["account"]["health"] = "red"                                   # the KAM's judgement
    doc["account"]["challenges"]["internal"] = ["MARKER-internal-challenge"]
    doc["relationships"]["contacts"][0]["attitude"] = "strong_opponent"  # attitudes and roles
    doc["relationships"]["contacts"][1]["buying_role"] = "anti_sponsor"
    for r in doc["risks"]:
        r["description"], r["mitigation"] = f"MARKER-risk-{r['id']}", f"MARKER-mitigation-{r['id']}"
    doc["force_field"]["for"][0]["force"] = "MARKER-force-for"
    doc["force_field"]["against"][0]["force"] = "MARKER-force-against"
    doc["reviews"][0]["notes"] = "MARKER-review-notes"
    doc["objectives"][0]["description"] = "MARKER-objective-description (how we see it)"
    for o in doc["opportunities"]:
        o["name"], o["client_roi"] = f"MARKER-opportunity-{o['id']}", "MARKER-roi"
    doc["actions"].append({"id": "squeeze", "action": "MARKER-internal-action", "objective": "energy",
                           "owner": "Dana Keller", "due": "2026-12-01", "internal": True})
    doc["actions"].append({"id": "lunch", "action": "MARKER-action-without-objective", "owner": "Dana Keller"})
    doc["service"]["kpis"].append({"name": "MARKER-internal-kpi", "target": 30, "actual": 12, "internal": True})
    doc["service"]["spend_assessment"] = "MARKER-spend-assessment"
    doc["investment"][0]["description"] = "MARKER-investment"
    for i, n in enumerate(doc["voice_of_customer"]["nps"]):                # who said what, and our follow-up
        n["comment"], n["respondent"] = "MARKER-nps-comment", f"MARKER-respondent-{i}"
        if "follow_up" in n:
            n["follow_up"].update(owner=f"MARKER-follow-up-owner-{i}", note=f"MARKER-follow-up-note-{i}")
    for i, c in enumerate(doc["whitespace"]):                          # where we could sell, who competes
        c["unit"], c["offering"] = f"MARKER-unit-{i}", f"MARKER-offering-{i}"
        if c["status"] == "competitor":
            c["competitor"] = f"MARKER-competitor-{i}"
    for c in doc["relationships"]["contacts"]:                         # what we know of the people
        c["initiatives"], c["targets"] = [f"MARKER-initiative-{c['id']}"], [f"MARKER-target-{c['id']}"]
        c["title"], c["our_owner"] = f"MARKER-title-{c['id']}", f"MARKER-relationship-owner-{c['id']}"
    for o in doc["opportunities"]:                                     # how they use it, in the KAM's words
        o["usage"] = f"MARKER-usage-{o['id']}"
    joint = next(a for a in doc["actions"] if a.get("objective") and not a.get("internal"))
    joint["impact"] = {"kind": "efficiency", "size": 987654, "note": "MARKER-impact-note"}  # what it is worth to us
    for r in doc["reviews"]:
        for d in r.get("decisions", []):
            d["owner"], d["outcome"] = "MARKER-decision-owner", "MARKER-decision-outcome"
        r.setdefault("decisions", []).append({"decision": "MARKER-internal-decision", "due": "2026-12-20",
                                              "internal": True})
    doc["plan"]["team"].append({"name": "MARKER-internal-team", "role": "pricing", "internal": True})
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")  # JSON is YAML
    return folder


def forbidden(kaplan, folder) -> list[str]:
    """Every value the client must not see, the computed ones taken from `kaplan score` itself."""
    scored = next(a for a in kaplan("score", "-f", "json", cwd=folder).json()["accounts"] if a["account"] == ACCOUNT)
    health = next(r for r in kaplan("risk", "-f", "json", "--today", DAY).json()["accounts"]
                  if r["account"] == ACCOUNT)
    return ["MARKER", "171717", "171,717", "23456", "23,456", "9191", "9,191", "37.77",
            f"{scored['score']:.1f}", f"{scored['margin_pct']:.1f}", scored["tier"], scored["quadrant"],
            "opponent", "anti sponsor", "anti-sponsor", "economic buyer", "supporter", "health", "Health",
            f"score {health['health']:.0f}", "tier", "Tier", "margin", "Margin", "cost to serve", "Cost to serve",
            "force field", "Force field", "force-field", "risk", "Risk",
            # the account workbook's contacts and NPS sheets: none of their columns or values
            "Buying role", "buying role", "Attitude", "attitude", "Decision authority", "Influence", "Reports to",
            "NPS", "promoter", "detractor", "Follow-up", "survey window"]


def text_of(path, fmt: str) -> str:
    """Everything a reader of the file could find in it: for a workbook, every sheet's name and every
    cell's value and note (the XML around them names page margins, not plan data). The
    HTML's stylesheet is left out: it is the same for every pack and names style classes such as
    `.att-opponent`, not anything a plan says."""
    if fmt == "html":
        return re.sub(r"<style>.*?</style>", "", path.read_text(encoding="utf-8"), flags=re.S)
    if fmt == "md":
        return path.read_text(encoding="utf-8")
    if fmt == "pptx":
        return "\n".join(deck_texts(path))
    if fmt == "pdf":
        from pypdf import PdfReader

        return "\n".join(p.extract_text() for p in PdfReader(path).pages)
    from openpyxl import load_workbook

    parts = []
    for ws in load_workbook(path).worksheets:
        parts.append(ws.title)
        parts += [f"{c.value}\n{c.comment.text if c.comment else ''}" for row in ws.iter_rows() for c in row]
    return "\n".join(parts)


def deck_texts(path) -> list[str]:
    """Every text of a deck: titles, text frames, table cells, notes, chart titles, categories and series."""
    from pptx import Presentation

    out = []
    for s in Presentation(path).slides:
        for sh in s.shapes:
            if sh.has_text_frame:
                out.append(sh.text_frame.text)
            if sh.has_table:
                out += [c.text for row in sh.table.rows for c in row.cells]
            if sh.has_chart:
                plot = sh.chart.plots[0]
                out += [str(c) for c in plot.categories] + [f"{x.name} {list(x.values)}" for x in plot.series]
        if s.has_notes_slide:
            out.append(s.notes_slide.notes_text_frame.text)
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_client_pack_holds_nothing_internal(kaplan, marked, tmp_path, fmt):
    bad = forbidden(kaplan, marked)
    out = tmp_path / f"client.{fmt}"
    r = kaplan("report", ACCOUNT, "--audience", "client", "-f", fmt, "--today", DAY, "-o", out, cwd=marked)
    assert r.exit_code == 0, r.stderr
    text = text_of(out, fmt)
    found = [b for b in bad if b in text]
    assert not found, found
    for shown in SHOWN:
        assert shown in text.replace("\\", ""), shown  # md escapes some characters


def test_the_client_workbook_has_no_contacts_or_nps_sheet(kaplan, marked, tmp_path):
    """The account workbook's Contacts, NPS and NPS by quarter sheets are not in the client's."""
    from openpyxl import load_workbook

    out = tmp_path / "client.xlsx"
    assert kaplan("report", ACCOUNT, "--audience", "client", "-f", "xlsx", "--today", DAY, "-o", out,
                  cwd=marked).exit_code == 0
    assert load_workbook(out).sheetnames == ["Objectives", "Actions", "Service KPIs", "Decisions", "Working together"]


def test_the_internal_pack_does_show_what_the_client_pack_leaves_out(kaplan, marked, tmp_path):
    """The markers are real: the same plan's internal pack shows them (so the test above can fail)."""
    out = tmp_path / "internal.html"
    assert kaplan("report", ACCOUNT, "-f", "html", "--today", DAY, "-o", out, cwd=marked).exit_code == 0
    text = out.read_text(encoding="utf-8")
    book = tmp_path / "internal.xlsx"  # the account workbook's contacts and NPS sheets show them too
    assert kaplan("report", ACCOUNT, "-f", "xlsx", "--today", DAY, "-o", book, cwd=marked).exit_code == 0
    cells = text_of(book, "xlsx")
    for marker in ["strong opponent", "anti sponsor", "economic buyer", "MARKER-title-ceo",
                   "MARKER-relationship-owner-ceo", "MARKER-initiative-ceo", "MARKER-target-new-cfo",
                   "MARKER-respondent-0", "MARKER-nps-comment", "MARKER-follow-up-owner-3", "MARKER-follow-up-note-2",
                   "detractor", "promoter", "NPS"]:
        assert marker in cells, marker
    for marker in ["MARKER-risk-cfo-freeze", "MARKER-force-for", "MARKER-internal-action", "MARKER-internal-kpi",
                   "MARKER-objective-description", "MARKER-opportunity-refrigeration", "171,717", "opponent",
                   "anti sponsor", "MARKER-unit-0", "MARKER-offering-0", "MARKER-competitor-2", "MARKER-initiative-ceo",
                   "MARKER-target-ceo", "MARKER-usage-licence"]:
        assert marker in text, marker


def test_a_user_template_cannot_reach_internal_data(kaplan, marked, tmp_path):
    """The client pack does not hold the plan, so a template asking for it fails instead of leaking."""
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "client.html.j2").write_text("{{ pack.plan.risks }}", encoding="utf-8")
    r = kaplan("report", ACCOUNT, "--audience", "client", "--templates", folder, "--today", DAY, cwd=marked)
    assert r.exit_code == 2 and "plan" in r.stderr and "MARKER" not in r.stdout + r.stderr


def test_nothing_internal_is_reachable_from_the_client_pack_s_data(marked, monkeypatch):
    """Whatever a template asks for, it can only reach what the client pack holds: walk all of it."""
    from kaplan.report import snapshot
    from kaplan.report.client import client_pack
    from kaplan.report.inert import inert

    monkeypatch.chdir(marked)
    import datetime as dt

    pack = inert(client_pack(snapshot(today=dt.date.fromisoformat(DAY)), ACCOUNT))
    seen, stack, reached = set(), [pack], []
    while stack:
        value = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, str):
            reached.append(value)
        elif hasattr(value, "_values"):
            stack.extend(value._values.values())
        elif isinstance(value, (tuple, list)):
            stack.extend(value)
        elif hasattr(value, "items"):
            stack.extend(k for k in value)
            stack.extend(value.values())
    assert reached and not [s for s in reached if "MARKER" in s or "987654" in s]


def test_client_audience_usage(kaplan, marked):
    r = kaplan("report", "--portfolio", "--audience", "client", "--today", DAY, cwd=marked)
    assert r.exit_code == 2 and "name the ACCOUNT" in r.stderr
    r = kaplan("report", ACCOUNT, "--audience", "board", "--today", DAY)
    assert r.exit_code == 2 and "unknown audience 'board'" in r.stderr


def test_summary_counts(kaplan, marked, tmp_path):
    """Joint actions: the three that serve the objective (not the internal one, not the one without an
    objective); KPIs met: uptime 99.7 ≥ 99.5 met, response 5.5 h ≤ 4 h missed → 1 of 2."""
    out = tmp_path / "c.md"
    assert kaplan("report", ACCOUNT, "--audience", "client", "-f", "md", "--today", DAY, "-o", out,
                  cwd=marked).exit_code == 0
    row = re.search(r"^\| 1 \| (.*) \|$", out.read_text(encoding="utf-8"), re.M).group(1).split(" | ")
    # objectives | milestones done | joint actions | past due | KPIs met | next review
    assert row == ["1 of 2", "3", "1", "1 of 2", "2026-12-16"]
