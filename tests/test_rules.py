"""Every `kaplan check` rule: a plan that breaks it (exact rule, severity, line and column) and plans
that do not, including the boundary cases; then severities from kaplan.yaml and the CLI options.

Most fixtures are HEADER (lines 1-6, a minimal valid plan for account `acme` in `acme.yaml`) followed
by the section under test, which therefore starts on line 7. Fixtures that change the header write the
whole file out. Positions are 1-based and were counted by hand from the YAML shown.
"""

from __future__ import annotations

import pytest

from conftest import TODAY, dedent
from kaplan import Severity, check
from kaplan.rules import REGISTRY

ERROR, WARNING = Severity.ERROR, Severity.WARNING

HEADER = """\
kaplan: 1
account:
  id: acme
  name: Acme
plan:
  owner: Jo Owner
"""

PLAN_AND_PORTFOLIO_RULES = {
    "duplicate-id", "unresolved-reference", "reporting-loop", "date-order", "future-date",
    "action-overdue", "review-stale", "renewal-passed", "renewal-near", "nps-no-follow-up",
    "nps-follow-up-overdue", "force-field-negative", "objective-no-measure", "action-no-objective",
    "single-threaded", "key-player-missing", "filename-mismatch", "duplicate-account",
    "duplicate-whitespace-cell", "whitespace-competitor-unused",
}

TODAY_ARG = ("--today", TODAY.isoformat())


@pytest.fixture
def plan(write):
    """Write HEADER + `section` (dedented) to `name` and return the path."""

    def _plan(section: str = "", name: str = "acme.yaml"):
        return write(name, HEADER + dedent(section))

    return _plan


def fired(path, rule: str) -> list:
    """The findings of `rule` for the plan at `path`, checked as of TODAY."""
    return [f for f in check([path], today=TODAY).findings if f.rule == rule]


def one(path, rule: str):
    """The single finding of `rule` for the plan at `path`."""
    found = fired(path, rule)
    assert len(found) == 1, found
    return found[0]


def at(finding) -> tuple[int, int]:
    return (finding.line, finding.column)


# ---------------------------------------------------------------- baseline


def test_minimal_plan_has_no_findings(plan):
    result = check([plan()], today=TODAY)
    assert result.findings == []
    assert result.exit_code() == 0


def test_every_rule_tested_here_is_registered_as_a_plan_or_portfolio_rule():
    registered = {r.id: r.scope for r in REGISTRY.values()}
    assert {rule: registered.get(rule) for rule in PLAN_AND_PORTFOLIO_RULES} == {
        rule: "portfolio" if rule in ("duplicate-account", "review-stale") else "plan"
        for rule in PLAN_AND_PORTFOLIO_RULES}


# ---------------------------------------------------------------- duplicate-id


def test_duplicate_objective_id_is_an_error_at_the_second_id(plan):
    path = plan("""
        objectives:
          - id: grow
            title: Grow revenue
          - id: grow
            title: Grow margin
    """)
    f = one(path, "duplicate-id")
    assert f.severity is ERROR
    assert at(f) == (10, 9)
    assert "`grow`" in f.message and "first at entry 1" in f.message


def test_duplicate_contact_id_is_an_error_at_the_second_id(plan):
    path = plan("""
        relationships:
          contacts:
            - id: ann
              name: Ann Smith
            - id: ann
              name: Ann Jones
    """)
    f = one(path, "duplicate-id")
    assert f.severity is ERROR
    assert at(f) == (11, 11)


def test_same_id_in_different_lists_is_not_a_duplicate(plan):
    path = plan("""
        objectives:
          - id: grow
            title: Grow revenue
        actions:
          - id: grow
            action: Grow the account
            objective: grow
    """)
    assert fired(path, "duplicate-id") == []


def test_a_whitespace_cell_recorded_twice_is_a_warning_at_the_second(plan):
    path = plan("""
        whitespace:
          - {unit: Lyon, offering: MES, status: owned}
          - {unit: Lyon, offering: APM, status: gap}
          - {unit: Lyon, offering: MES, status: pipeline}
    """)
    f = one(path, "duplicate-whitespace-cell")
    assert f.severity is WARNING
    assert at(f) == (10, 5)  # the third entry's flow mapping
    assert "Lyon × MES" in f.message and "entry 1" in f.message


def test_the_same_offering_in_two_units_is_not_a_duplicate(plan):
    path = plan("""
        whitespace:
          - {unit: Lyon, offering: MES, status: owned}
          - {unit: Cork, offering: MES, status: competitor, competitor: Rival Systems}
    """)
    assert fired(path, "duplicate-whitespace-cell") == []


def test_a_competitor_named_on_a_cell_that_is_not_a_competitor_cell_is_a_warning(plan):
    path = plan("""
        whitespace:
          - {unit: Lyon, offering: MES, status: competitor, competitor: Rival Systems}
          - {unit: Cork, offering: MES, status: gap, competitor: Rival Systems}
    """)
    f = one(path, "whitespace-competitor-unused")
    assert f.severity is WARNING
    assert at(f) == (9, 58)  # the second cell's `competitor:` value
    assert "Cork × MES names competitor Rival Systems but its status is gap" in f.message


# ---------------------------------------------------------------- unresolved-reference


def test_action_naming_a_missing_objective_is_an_error_at_the_reference(plan):
    path = plan("""
        objectives:
          - id: grow
            title: Grow revenue
        actions:
          - id: call-cfo
            action: Call the CFO
            objective: shrink
    """)
    f = one(path, "unresolved-reference")
    assert f.severity is ERROR
    assert at(f) == (13, 16)
    assert "`shrink`" in f.message
    assert f.hint == "known objectives: grow"


def test_opportunity_naming_a_missing_objective_is_an_error(plan):
    path = plan("""
        opportunities:
          - id: upsell
            name: Upsell support
            objective: grow
    """)
    f = one(path, "unresolved-reference")
    assert at(f) == (10, 16)
    assert f.hint == "add the objective under `objectives:`"


def test_investment_naming_a_missing_objective_is_an_error_at_the_list_item(plan):
    path = plan("""
        objectives:
          - id: grow
            title: Grow revenue
        investment:
          - id: pilot
            description: Fund a pilot
            objectives:
              - grow
              - shrink
    """)
    f = one(path, "unresolved-reference")
    assert at(f) == (15, 9)


def test_contact_reporting_to_an_unknown_contact_is_an_error(plan):
    path = plan("""
        relationships:
          contacts:
            - id: ann
              name: Ann
              reports_to: bob
    """)
    f = one(path, "unresolved-reference")
    assert f.severity is ERROR
    assert at(f) == (11, 19)
    assert "`bob`" in f.message


def test_references_that_resolve_are_fine(plan):
    path = plan("""
        relationships:
          contacts:
            - id: ann
              name: Ann
              reports_to: bob
            - id: bob
              name: Bob
        objectives:
          - id: grow
            title: Grow revenue
        opportunities:
          - id: upsell
            name: Upsell support
            objective: grow
        actions:
          - id: call-cfo
            action: Call the CFO
            objective: grow
        investment:
          - id: pilot
            description: Fund a pilot
            objectives: [grow]
    """)
    assert fired(path, "unresolved-reference") == []


# ---------------------------------------------------------------- reporting-loop


def test_two_contacts_reporting_to_each_other_is_one_error_at_the_first(plan):
    path = plan("""
        relationships:
          contacts:
            - id: ann
              name: Ann
              reports_to: bob
            - id: bob
              name: Bob
              reports_to: ann
    """)
    f = one(path, "reporting-loop")
    assert f.severity is ERROR
    assert at(f) == (11, 19)
    assert "ann → bob → ann" in f.message


def test_contact_reporting_to_themselves_is_a_loop(plan):
    path = plan("""
        relationships:
          contacts:
            - id: ann
              name: Ann
              reports_to: ann
    """)
    f = one(path, "reporting-loop")
    assert at(f) == (11, 19)


def test_contact_reporting_into_a_loop_is_not_reported_again(plan):
    path = plan("""
        relationships:
          contacts:
            - id: cat
              name: Cat
              reports_to: ann
            - id: ann
              name: Ann
              reports_to: bob
            - id: bob
              name: Bob
              reports_to: ann
    """)
    f = one(path, "reporting-loop")
    assert at(f) == (14, 19)


def test_two_loops_are_two_errors_each_at_its_first_contact(plan):
    path = plan("""
        relationships:
          contacts:
            - {id: eve, name: Eve, reports_to: ann}
            - {id: cat, name: Cat, reports_to: dan}
            - {id: ann, name: Ann, reports_to: bob}
            - {id: bob, name: Bob, reports_to: ann}
            - {id: dan, name: Dan, reports_to: cat}
    """)
    found = fired(path, "reporting-loop")
    assert [(f.line, f.message) for f in found] == [(10, "reporting loop: cat → dan → cat"),
                                                    (11, "reporting loop: ann → bob → ann")]


def test_with_an_id_given_twice_each_contact_starts_from_its_own_manager(plan):
    """Ann is given twice: her first entry reports to Bob, who reports to Ann (a loop, at line 9); her
    last entry reports to no one. Going up from each entry's own manager, then each id's (last) one."""
    path = plan("""
        relationships:
          contacts:
            - {id: ann, name: Ann, reports_to: bob}
            - {id: bob, name: Bob, reports_to: ann}
            - {id: ann, name: Ann again}
    """)
    assert [(f.line, f.message) for f in fired(path, "reporting-loop")] == [(9, "reporting loop: ann → bob → ann")]


def test_reporting_loops_are_found_as_by_walking_every_chain():
    """Against the plainest reading of the rule (walk up from each contact's own manager until it comes
    back to the contact, or to someone walked already, or leaves the list), on 3,000 small contact lists
    with ids given twice, unknown managers and self-loops."""
    import random
    from types import SimpleNamespace as NS

    from kaplan.rules.references import reporting_loop

    def walked(contacts) -> list:
        boss = {c.id: c.reports_to for c in contacts}
        reported, out = set(), []
        for i, c in enumerate(contacts):
            chain, current = [c.id], c.reports_to
            if current is None:
                continue
            while current in boss and current not in chain:
                chain.append(current)
                current = boss[current]
            if current == c.id and c.id not in reported:
                reported.update(chain)
                out.append((i, "reporting loop: " + " → ".join([*chain, c.id])))
        return out

    rng = random.Random(15)
    for _ in range(3000):
        n = rng.randint(1, 9)
        ids = [f"c{rng.randint(0, n)}" for _ in range(n)]
        contacts = [NS(id=ids[k], name=ids[k], reports_to=rng.choice([None, f"c{rng.randint(0, n + 1)}", *ids]))
                    for k in range(n)]
        found = [(issue.at[2], issue.message) for issue in reporting_loop(NS(relationships=NS(contacts=contacts)), None)]
        assert found == walked(contacts), [(c.id, c.reports_to) for c in contacts]


def test_reporting_chain_without_a_loop_is_fine(plan):
    path = plan("""
        relationships:
          contacts:
            - id: ann
              name: Ann
              reports_to: bob
            - id: bob
              name: Bob
              reports_to: cat
            - id: cat
              name: Cat
    """)
    assert fired(path, "reporting-loop") == []


# ---------------------------------------------------------------- date-order


def test_plan_period_ending_before_it_starts_is_an_error_at_the_end(write):
    path = write("acme.yaml", """
        kaplan: 1
        account:
          id: acme
          name: Acme
        plan:
          owner: Jo Owner
          period:
            start: 2026-01-01
            end: 2025-12-31
    """)
    f = one(path, "date-order")
    assert f.severity is ERROR
    assert at(f) == (9, 10)


def test_plan_period_of_a_single_day_is_fine(write):
    path = write("acme.yaml", """
        kaplan: 1
        account:
          id: acme
          name: Acme
        plan:
          owner: Jo Owner
          period:
            start: 2026-01-01
            end: 2026-01-01
    """)
    assert fired(path, "date-order") == []


def test_plan_period_ending_the_day_after_it_starts_is_fine(write):
    path = write("acme.yaml", """
        kaplan: 1
        account:
          id: acme
          name: Acme
        plan:
          owner: Jo Owner
          period:
            start: 2026-01-01
            end: 2026-01-02
    """)
    assert fired(path, "date-order") == []


def test_contract_renewing_before_it_starts_is_an_error_at_the_renewal_date(plan):
    path = plan("""
        financials:
          contract:
            start: 2027-06-01
            renewal_date: 2027-05-31
    """)
    f = one(path, "date-order")
    assert f.severity is ERROR
    assert at(f) == (10, 19)


def test_contract_renewing_after_it_starts_is_fine(plan):
    path = plan("""
        financials:
          contract:
            start: 2027-06-01
            renewal_date: 2028-06-01
    """)
    assert fired(path, "date-order") == []


# ---------------------------------------------------------------- future-date


def test_every_checked_past_date_after_today_is_an_error_at_its_value(write):
    path = write("acme.yaml", """
        kaplan: 1
        account:
          id: acme
          name: Acme
          client_since: 2026-11-25
        plan:
          owner: Jo Owner
          last_reviewed: 2026-11-25
        reviews:
          - date: 2026-11-25
        voice_of_customer:
          nps:
            - date: 2026-11-25
              respondent: ann
              score: 9
        relationships:
          contacts:
            - id: ann
              name: Ann
              last_contact: 2026-11-25
          rituals:
            - name: QBR
              last_held: 2026-11-25
    """)
    found = fired(path, "future-date")
    assert [at(f) for f in found] == [(5, 17), (8, 18), (10, 11), (13, 13), (20, 21), (23, 18)]
    assert {f.severity for f in found} == {ERROR}


def test_past_dates_on_today_are_not_in_the_future(write):
    path = write("acme.yaml", """
        kaplan: 1
        account:
          id: acme
          name: Acme
          client_since: 2026-11-24
        plan:
          owner: Jo Owner
          last_reviewed: 2026-11-24
        reviews:
          - date: 2026-11-24
        voice_of_customer:
          nps:
            - date: 2026-11-24
              respondent: ann
              score: 9
        relationships:
          contacts:
            - id: ann
              name: Ann
              last_contact: 2026-11-24
          rituals:
            - name: QBR
              last_held: 2026-11-24
    """)
    assert fired(path, "future-date") == []


def test_dates_that_belong_in_the_future_are_not_checked(write):
    path = write("acme.yaml", """
        kaplan: 1
        account:
          id: acme
          name: Acme
        plan:
          owner: Jo Owner
          next_review: 2027-02-01
        actions:
          - id: call-cfo
            action: Call the CFO
            due: 2027-01-15
    """)
    assert fired(path, "future-date") == []


# ---------------------------------------------------------------- action-overdue


def test_open_action_due_yesterday_is_overdue_warning_at_due(plan):
    path = plan("""
        actions:
          - id: call-cfo
            action: Call the CFO
            due: 2026-11-23
    """)
    f = one(path, "action-overdue")
    assert f.severity is WARNING
    assert at(f) == (10, 10)
    assert "`call-cfo`" in f.message and "was due 2026-11-23" in f.message and "still planned" in f.message


@pytest.mark.parametrize("status", ["in_progress", "blocked"])
def test_in_progress_and_blocked_actions_can_be_overdue(plan, status):
    path = plan(f"""
        actions:
          - id: call-cfo
            action: Call the CFO
            status: {status}
            due: 2026-11-01
    """)
    assert at(one(path, "action-overdue")) == (11, 10)


def test_action_due_today_is_not_overdue(plan):
    path = plan("""
        actions:
          - id: call-cfo
            action: Call the CFO
            due: 2026-11-24
    """)
    assert fired(path, "action-overdue") == []


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_closed_action_past_due_is_not_overdue(plan, status):
    path = plan(f"""
        actions:
          - id: call-cfo
            action: Call the CFO
            status: {status}
            due: 2026-01-01
    """)
    assert fired(path, "action-overdue") == []


def test_action_without_due_date_is_not_overdue(plan):
    path = plan("""
        actions:
          - id: call-cfo
            action: Call the CFO
    """)
    assert fired(path, "action-overdue") == []


def test_cli_json_reports_overdue_action_with_position(kaplan, plan, tmp_path):
    plan("""
        actions:
          - id: call-cfo
            action: Call the CFO
            due: 2026-11-23
    """)
    r = kaplan("check", "acme.yaml", *TODAY_ARG, "--format", "json", cwd=tmp_path)
    assert r.exit_code == 0, r.stdout + r.stderr
    overdue = [f for f in r.json()["findings"] if f["rule"] == "action-overdue"]
    assert len(overdue) == 1
    assert overdue[0]["path"] == "acme.yaml"
    assert (overdue[0]["line"], overdue[0]["column"], overdue[0]["severity"]) == (10, 10, "warning")


# ---------------------------------------------------------------- review-stale


def reviewed(write, last_reviewed: str, cadence: str | None = None):
    cadence_line = f"\n  review_cadence: {cadence}" if cadence else ""
    return write("acme.yaml", HEADER + f"  last_reviewed: {last_reviewed}{cadence_line}\n")


def test_quarterly_plan_reviewed_93_days_ago_is_stale_warning_at_last_reviewed(write):
    path = reviewed(write, "2026-08-23")  # 2026-11-24 − 2026-08-23 = 8 + 30 + 31 + 24 = 93 days > 92
    f = one(path, "review-stale")
    assert f.severity is WARNING
    assert at(f) == (7, 18)
    assert "93 days ago" in f.message and "every 92 days" in f.message
    assert "due by 2026-11-23" in f.message  # 2026-08-23 + 92 days


def test_quarterly_plan_reviewed_exactly_92_days_ago_is_not_stale(write):
    assert fired(reviewed(write, "2026-08-24"), "review-stale") == []


def test_monthly_plan_reviewed_32_days_ago_is_stale(write):
    path = reviewed(write, "2026-10-23", "monthly")  # 8 + 24 = 32 days > 31
    assert at(one(path, "review-stale")) == (7, 18)


def test_monthly_plan_reviewed_exactly_31_days_ago_is_not_stale(write):
    assert fired(reviewed(write, "2026-10-24", "monthly"), "review-stale") == []


def test_grace_days_come_from_kaplan_yaml(write):
    write("kaplan.yaml", """
        kaplan: 1
        review_grace_days: 7
    """)
    assert fired(reviewed(write, "2026-08-17"), "review-stale") == []  # 99 days = 92 + 7
    assert len(fired(reviewed(write, "2026-08-16"), "review-stale")) == 1  # 100 days


def test_recent_entry_in_reviews_log_counts_as_the_last_review(plan, write):
    path = write("acme.yaml", """
        kaplan: 1
        account:
          id: acme
          name: Acme
        plan:
          owner: Jo Owner
          last_reviewed: 2025-01-01
        reviews:
          - date: 2026-11-01
    """)
    assert fired(path, "review-stale") == []


def test_stale_review_from_the_log_only_points_at_the_plan_section(plan):
    path = plan("""
        reviews:
          - date: 2026-01-01
    """)
    f = one(path, "review-stale")
    assert at(f) == (6, 3)  # the plan section, where `last_reviewed:` belongs
    assert "last reviewed 2026-01-01" in f.message


def test_plan_with_no_review_recorded_is_not_checked(plan):
    assert fired(plan(), "review-stale") == []


# ---------------------------------------------------------------- renewal-passed / renewal-near


def renewing(plan, renewal_date: str, notice_days: int | None = None):
    notice = f"\n    notice_days: {notice_days}" if notice_days is not None else ""
    return plan(f"financials:\n  contract:\n    renewal_date: {renewal_date}{notice}\n")


def test_renewal_date_yesterday_has_passed_warning_at_renewal_date(plan):
    path = renewing(plan, "2026-11-23")
    f = one(path, "renewal-passed")
    assert f.severity is WARNING
    assert at(f) == (9, 19)
    assert fired(path, "renewal-near") == []


def test_renewal_today_has_not_passed_but_is_near(plan):
    path = renewing(plan, "2026-11-24")
    assert fired(path, "renewal-passed") == []
    assert one(path, "renewal-near").message == "the contract renews on 2026-11-24, today"


def test_renewal_tomorrow_is_in_one_day(plan):
    assert one(renewing(plan, "2026-11-25"), "renewal-near").message == "the contract renews on 2026-11-25, in 1 day"


def test_renewal_exactly_90_days_away_is_near_warning_at_renewal_date(plan):
    path = renewing(plan, "2027-02-22")
    f = one(path, "renewal-near")
    assert f.severity is WARNING
    assert at(f) == (9, 19)
    assert "in 90 days" in f.message


def test_renewal_91_days_away_is_not_near(plan):
    assert fired(renewing(plan, "2027-02-23"), "renewal-near") == []


def test_longer_notice_period_widens_the_renewal_horizon(plan, tmp_path):
    assert at(one(renewing(plan, "2027-03-24", notice_days=120), "renewal-near")) == (9, 19)
    assert fired(renewing(plan, "2027-03-25", notice_days=120), "renewal-near") == []


def test_shorter_notice_period_does_not_narrow_the_renewal_horizon(plan):
    assert len(fired(renewing(plan, "2027-02-22", notice_days=30), "renewal-near")) == 1


def test_renewal_horizon_comes_from_kaplan_yaml(plan, write):
    write("kaplan.yaml", "kaplan: 1\nrenewal_warning_days: 30\n")
    assert len(fired(renewing(plan, "2026-12-24"), "renewal-near")) == 1  # 30 days
    assert fired(renewing(plan, "2026-12-25"), "renewal-near") == []  # 31 days


def test_contract_without_renewal_date_is_not_checked(plan):
    path = plan("""
        financials:
          contract:
            value: 100000
    """)
    assert fired(path, "renewal-near") == [] and fired(path, "renewal-passed") == []


# ---------------------------------------------------------------- nps-no-follow-up / nps-follow-up-overdue


def test_detractor_scoring_6_without_follow_up_is_a_warning_at_the_score(plan):
    path = plan("""
        voice_of_customer:
          nps:
            - date: 2026-11-20
              respondent: ann
              score: 6
    """)
    f = one(path, "nps-no-follow-up")
    assert f.severity is WARNING
    assert at(f) == (11, 14)
    assert "within 2 days" in f.hint


def test_detractor_scoring_0_without_follow_up_is_flagged(plan):
    path = plan("""
        voice_of_customer:
          nps:
            - date: 2026-11-20
              respondent: ann
              score: 0
    """)
    assert at(one(path, "nps-no-follow-up")) == (11, 14)


def test_passive_scoring_7_needs_no_follow_up(plan):
    path = plan("""
        voice_of_customer:
          nps:
            - date: 2026-11-20
              respondent: ann
              score: 7
    """)
    assert fired(path, "nps-no-follow-up") == []


def test_detractor_with_follow_up_is_fine(plan):
    path = plan("""
        voice_of_customer:
          nps:
            - date: 2026-11-20
              respondent: ann
              score: 3
              follow_up:
                owner: Jo Owner
                due: 2026-11-24
    """)
    assert fired(path, "nps-no-follow-up") == []
    assert fired(path, "nps-follow-up-overdue") == []  # due today is not overdue


def test_open_follow_up_due_yesterday_is_overdue_warning_at_due(plan):
    path = plan("""
        voice_of_customer:
          nps:
            - date: 2026-11-20
              respondent: ann
              score: 3
              follow_up:
                owner: Jo Owner
                due: 2026-11-23
    """)
    f = one(path, "nps-follow-up-overdue")
    assert f.severity is WARNING
    assert at(f) == (14, 14)
    assert "Jo Owner" in f.message and "2026-11-23" in f.message


def test_closed_follow_up_past_due_is_not_overdue(plan):
    path = plan("""
        voice_of_customer:
          nps:
            - date: 2026-11-01
              respondent: ann
              score: 3
              follow_up:
                owner: Jo Owner
                due: 2026-11-03
                closed: 2026-11-10
    """)
    assert fired(path, "nps-follow-up-overdue") == []


# ---------------------------------------------------------------- force-field-negative


def test_force_field_net_zero_is_a_warning_at_the_force_field_key(plan):
    path = plan("""
        force_field:
          for:
            - force: The CFO backs us
              strength: 4
          against:
            - force: The incumbent is cheaper
              strength: 3
            - force: A budget freeze
              strength: 1
    """)
    f = one(path, "force-field-negative")
    assert f.severity is WARNING
    assert at(f) == (7, 1)
    assert "net is 0 (4 for − 4 against)" in f.message


def test_force_field_net_plus_one_is_fine(plan):
    path = plan("""
        force_field:
          for:
            - force: The CFO backs us
              strength: 4
          against:
            - force: The incumbent is cheaper
              strength: 3
    """)
    assert fired(path, "force-field-negative") == []


def test_force_field_with_only_forces_against_fires(plan):
    path = plan("""
        force_field:
          against:
            - force: The incumbent is cheaper
              strength: 2
    """)
    assert "net is -2" in one(path, "force-field-negative").message


def test_empty_force_field_is_not_checked(plan):
    assert fired(plan("force_field: {}\n"), "force-field-negative") == []


# ---------------------------------------------------------------- objective-no-measure / action-no-objective


def test_objective_without_measure_is_a_warning_at_its_id(plan):
    path = plan("""
        objectives:
          - id: grow
            title: Grow revenue
    """)
    f = one(path, "objective-no-measure")
    assert f.severity is WARNING
    assert at(f) == (8, 9)
    assert "`grow`" in f.message


def test_objective_with_a_measure_is_fine(plan):
    path = plan("""
        objectives:
          - id: grow
            title: Grow revenue
            measures:
              - name: Revenue
                target: 1000000
    """)
    assert fired(path, "objective-no-measure") == []


def test_action_without_objective_is_a_warning_at_its_id(plan):
    path = plan("""
        actions:
          - id: call-cfo
            action: Call the CFO
    """)
    f = one(path, "action-no-objective")
    assert f.severity is WARNING
    assert at(f) == (8, 9)
    assert "`call-cfo`" in f.message


def test_action_with_objective_is_fine(plan):
    path = plan("""
        objectives:
          - id: grow
            title: Grow revenue
            measures:
              - name: Revenue
        actions:
          - id: call-cfo
            action: Call the CFO
            objective: grow
    """)
    result = check([path], today=TODAY)
    assert result.findings == []


# ---------------------------------------------------------------- single-threaded


def test_one_strong_contact_is_single_threaded_warning_at_contacts_key(plan):
    path = plan("""
        relationships:
          contacts:
            - id: ann
              name: Ann
              strength: 5
            - id: bob
              name: Bob
              strength: 3
    """)
    f = one(path, "single-threaded")
    assert f.severity is WARNING
    assert at(f) == (8, 3)
    assert "only Ann" in f.message


def test_two_contacts_of_strength_exactly_4_are_not_single_threaded(plan):
    path = plan("""
        relationships:
          contacts:
            - id: ann
              name: Ann
              strength: 4
            - id: bob
              name: Bob
              strength: 4
    """)
    assert fired(path, "single-threaded") == []


def test_contact_who_left_is_not_a_thread(plan):
    path = plan("""
        relationships:
          contacts:
            - id: ann
              name: Ann
              strength: 5
            - id: bob
              name: Bob
              strength: 5
              left: 2026-10-01
    """)
    assert "only Ann" in one(path, "single-threaded").message


def test_contacts_without_strength_are_not_strong(plan):
    path = plan("""
        relationships:
          contacts:
            - id: ann
              name: Ann
    """)
    assert "no one" in one(path, "single-threaded").message


def test_strong_relationship_threshold_comes_from_kaplan_yaml(plan, write):
    write("kaplan.yaml", "kaplan: 1\nstrong_relationship: 5\n")
    path = plan("""
        relationships:
          contacts:
            - id: ann
              name: Ann
              strength: 4
            - id: bob
              name: Bob
              strength: 5
    """)
    assert "only Bob" in one(path, "single-threaded").message


def test_plan_without_contacts_is_not_checked_for_threads_or_key_players(plan):
    path = plan()
    assert fired(path, "single-threaded") == []
    assert fired(path, "key-player-missing") == []


# ---------------------------------------------------------------- key-player-missing


def test_missing_sponsor_is_a_warning_at_contacts_key(plan):
    path = plan("""
        relationships:
          contacts:
            - id: ann
              name: Ann
              buying_role: economic_buyer
            - id: bob
              name: Bob
              buying_role: coach
    """)
    f = one(path, "key-player-missing")
    assert f.severity is WARNING
    assert at(f) == (8, 3)
    assert "sponsor" in f.message
    assert "decision maker" not in f.message and "champion" not in f.message


def test_all_three_missing_are_listed(plan):
    path = plan("""
        relationships:
          contacts:
            - id: ann
              name: Ann
              buying_role: user
    """)
    message = one(path, "key-player-missing").message
    assert "decision maker" in message and "sponsor" in message and "champion (coach)" in message


def test_decision_maker_sponsor_and_coach_are_enough(plan):
    path = plan("""
        relationships:
          contacts:
            - id: ann
              name: Ann
              buying_role: decision_maker
            - id: bob
              name: Bob
              buying_role: sponsor
            - id: cat
              name: Cat
              buying_role: coach
    """)
    assert fired(path, "key-player-missing") == []


def test_key_player_who_left_does_not_count(plan):
    path = plan("""
        relationships:
          contacts:
            - id: ann
              name: Ann
              buying_role: economic_buyer
            - id: bob
              name: Bob
              buying_role: sponsor
              left: 2026-09-30
            - id: cat
              name: Cat
              buying_role: coach
    """)
    assert "sponsor" in one(path, "key-player-missing").message


# ---------------------------------------------------------------- filename-mismatch


def test_account_id_not_matching_file_name_is_an_error_at_the_id(write):
    path = write("acme.yaml", """
        kaplan: 1
        account:
          id: acme-corp
          name: Acme
        plan:
          owner: Jo Owner
    """)
    f = one(path, "filename-mismatch")
    assert f.severity is ERROR
    assert at(f) == (3, 7)
    assert f.hint == "rename the file to `acme-corp.yaml` or fix the id"


def test_yml_extension_matching_the_id_is_fine(write):
    path = write("acme.yml", HEADER)
    assert check([path], today=TODAY).findings == []


def test_cli_exits_1_on_filename_mismatch(kaplan, write, tmp_path):
    write("other.yaml", HEADER)
    r = kaplan("check", "other.yaml", *TODAY_ARG, "--format", "json", cwd=tmp_path)
    assert r.exit_code == 1
    [f] = r.json()["findings"]
    assert (f["rule"], f["severity"], f["line"], f["column"]) == ("filename-mismatch", "error", 3, 7)


# ---------------------------------------------------------------- duplicate-account


def test_two_plans_for_one_account_is_an_error_on_each(kaplan, write, tmp_path):
    write("plans/a/acme.yaml", HEADER)
    write("plans/b/acme.yaml", HEADER)
    r = kaplan("check", "plans", *TODAY_ARG, "--format", "json", cwd=tmp_path)
    assert r.exit_code == 1
    doc = r.json()
    assert doc["files"] == 2
    first, second = doc["findings"]
    for f, other in ((first, "plans/b/acme.yaml"), (second, "plans/a/acme.yaml")):
        assert (f["rule"], f["severity"], f["line"], f["column"]) == ("duplicate-account", "error", 3, 7)
        assert f["message"] == f"account `acme` also has a plan in {other}: neither is counted in scores, risk or packs"
    assert (first["path"], second["path"]) == ("plans/a/acme.yaml", "plans/b/acme.yaml")
    # in a portfolio (its kaplan.yaml), checking one of them alone says so too
    write("kaplan.yaml", "kaplan: 1\n")
    assert kaplan("check", "plans/a/acme.yaml", *TODAY_ARG, cwd=tmp_path).exit_code == 1


def test_plans_for_different_accounts_are_fine(kaplan, write, tmp_path):
    write("plans/acme.yaml", HEADER)
    write("plans/globex.yaml", HEADER.replace("acme", "globex"))
    r = kaplan("check", "plans", *TODAY_ARG, "--format", "json", cwd=tmp_path)
    assert r.exit_code == 0, r.stdout
    assert r.json() == {"files": 2, "errors": 0, "warnings": 0, "findings": []}


# ---------------------------------------------------------------- severities from kaplan.yaml


OVERDUE = """
    actions:
      - id: call-cfo
        action: Call the CFO
        objective: grow
        due: 2026-11-01
    objectives:
      - id: grow
        title: Grow revenue
        measures:
          - name: Revenue
"""


def test_warning_alone_exits_0(kaplan, plan, tmp_path):
    plan(OVERDUE)
    r = kaplan("check", "acme.yaml", *TODAY_ARG, cwd=tmp_path)
    assert r.exit_code == 0
    assert "acme.yaml:11:10: warning [action-overdue]" in r.stdout
    assert "1 file checked: 1 warning" in r.stdout


def test_strict_makes_a_warning_exit_1(kaplan, plan, tmp_path):
    plan(OVERDUE)
    r = kaplan("check", "acme.yaml", *TODAY_ARG, "--strict", cwd=tmp_path)
    assert r.exit_code == 1


def test_strict_on_a_clean_plan_exits_0(kaplan, plan, tmp_path):
    plan()
    assert kaplan("check", "acme.yaml", *TODAY_ARG, "--strict", cwd=tmp_path).exit_code == 0


def test_rule_set_to_off_in_kaplan_yaml_is_silenced(kaplan, plan, write, tmp_path):
    write("kaplan.yaml", """
        kaplan: 1
        rules:
          action-overdue: off
    """)
    plan(OVERDUE)
    r = kaplan("check", "acme.yaml", *TODAY_ARG, "--strict", "--format", "json", cwd=tmp_path)
    assert r.exit_code == 0
    assert r.json()["findings"] == []


def test_warning_raised_to_error_in_kaplan_yaml_exits_1(kaplan, plan, write, tmp_path):
    write("kaplan.yaml", """
        kaplan: 1
        rules:
          action-overdue: error
    """)
    plan(OVERDUE)
    r = kaplan("check", "acme.yaml", *TODAY_ARG, "--format", "json", cwd=tmp_path)
    assert r.exit_code == 1
    [f] = r.json()["findings"]
    assert (f["rule"], f["severity"], f["line"], f["column"]) == ("action-overdue", "error", 11, 10)


def test_error_lowered_to_warning_in_kaplan_yaml_exits_0(kaplan, write, tmp_path):
    write("kaplan.yaml", """
        kaplan: 1
        rules:
          filename-mismatch: warning
    """)
    write("other.yaml", HEADER)
    r = kaplan("check", "other.yaml", *TODAY_ARG, "--format", "json", cwd=tmp_path)
    assert r.exit_code == 0
    [f] = r.json()["findings"]
    assert (f["rule"], f["severity"]) == ("filename-mismatch", "warning")


def test_severity_override_applies_through_the_library_too(plan, write):
    write("kaplan.yaml", "kaplan: 1\nrules:\n  objective-no-measure: error\n")
    path = plan("""
        objectives:
          - id: grow
            title: Grow revenue
    """)
    assert one(path, "objective-no-measure").severity is ERROR


def test_unknown_key_in_kaplan_yaml_exits_2_with_its_position(kaplan, plan, write, tmp_path):
    write("kaplan.yaml", """
        kaplan: 1
        plan_dir: plans
    """)
    plan()
    r = kaplan("check", "acme.yaml", *TODAY_ARG, cwd=tmp_path)
    assert r.exit_code == 2
    assert "kaplan.yaml:2:1: error [unknown-key]" in r.stderr
    assert "plan_dir" in r.stderr


def test_bad_severity_in_kaplan_yaml_exits_2_with_its_position(kaplan, plan, write, tmp_path):
    write("kaplan.yaml", """
        kaplan: 1
        rules:
          action-overdue: fatal
    """)
    plan()
    r = kaplan("check", "acme.yaml", *TODAY_ARG, cwd=tmp_path)
    assert r.exit_code == 2
    assert "kaplan.yaml:3:19: error" in r.stderr
    assert r.stdout == ""


# ---------------------------------------------------------------- CLI options


@pytest.mark.parametrize("bad", ["2026-13-01", "24/11/2026", "tomorrow"])
def test_bad_today_exits_2(kaplan, plan, tmp_path, bad):
    plan()
    r = kaplan("check", "acme.yaml", "--today", bad, cwd=tmp_path)
    assert r.exit_code == 2
    assert "--today" in r.stderr and "YYYY-MM-DD" in r.stderr


def test_today_option_decides_what_is_overdue(kaplan, plan, tmp_path):
    plan(OVERDUE)  # due 2026-11-01
    r = kaplan("check", "acme.yaml", "--today", "2026-11-01", "--strict", cwd=tmp_path)
    assert r.exit_code == 0, r.stdout
    r = kaplan("check", "acme.yaml", "--today", "2026-11-02", "--strict", cwd=tmp_path)
    assert r.exit_code == 1


def test_explain_prints_the_rules_docstring(kaplan, tmp_path):
    r = kaplan("check", "--explain", "action-overdue", cwd=tmp_path)
    assert r.exit_code == 0
    assert r.stdout.startswith("action-overdue (default severity: warning)\n")
    assert "An open action (planned, in progress or blocked) is past its due date." in r.stdout
    assert "Close it (`status: done` or `cancelled`) or agree a new due date with its owner." in r.stdout


def test_explain_a_portfolio_rule(kaplan, tmp_path):
    r = kaplan("check", "--explain", "duplicate-account", cwd=tmp_path)
    assert r.exit_code == 0
    assert "(default severity: error)" in r.stdout
    assert "Two plans in the portfolio have the same `account.id`" in r.stdout


def test_explain_unknown_rule_exits_2(kaplan, tmp_path):
    r = kaplan("check", "--explain", "nope", cwd=tmp_path)
    assert r.exit_code == 2
    assert "nope" in r.stderr and "--list-rules" in r.stderr


def test_list_rules_lists_every_registered_rule(kaplan, tmp_path):
    r = kaplan("check", "--list-rules", cwd=tmp_path)
    assert r.exit_code == 0
    listed = {line.split()[0] for line in r.stdout.splitlines() if line.strip()}
    assert PLAN_AND_PORTFOLIO_RULES <= listed
    assert listed == set(REGISTRY)
    assert any(line.split()[:2] == ["review-stale", "warning"] for line in r.stdout.splitlines())
    assert any(line.split()[:2] == ["duplicate-id", "error"] for line in r.stdout.splitlines())


def test_key_player_message_reads_as_english(plan):
    path = plan("""
        relationships:
          contacts:
            - id: ann
              name: Ann
              buying_role: economic_buyer
            - id: bob
              name: Bob
              buying_role: coach
    """)
    message = one(path, "key-player-missing").message
    assert not message.startswith("no a "), message  # today: "no a sponsor is mapped"


# ---------------------------------------------------------------- period-overlap


def test_a_year_and_one_of_its_quarters_overlap(plan):
    path = plan("""
        financials:
          periods:
            - {period: "2025", revenue: 100}
            - {period: 2025-Q3, revenue: 30}
    """)
    f = one(path, "period-overlap")
    assert f.severity is ERROR
    assert at(f) == (10, 16)  # the second period's label
    assert "`2025-Q3` overlaps `2025`" in f.message


def test_the_same_quarter_twice_overlaps(plan):
    path = plan("""
        financials:
          periods:
            - {period: 2025-Q3, revenue: 30}
            - {period: 2025-Q4, revenue: 30}
            - {period: 2025-Q3, revenue: 31}
    """)
    assert at(one(path, "period-overlap")) == (11, 16)


def test_consecutive_periods_of_mixed_length_do_not_overlap(plan):
    path = plan("""
        financials:
          periods:
            - {period: "2024", revenue: 100}
            - {period: 2025-H1, revenue: 50}
            - {period: 2025-Q3, revenue: 30}
            - {period: 2025-10, revenue: 10}
            - {period: 2025-11, revenue: 10}
    """)
    assert fired(path, "period-overlap") == []
