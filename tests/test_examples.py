"""The bundled example portfolio: clean at error level, a sensible ranking, at-risk accounts flagged."""

from __future__ import annotations

from conftest import EXAMPLES, TODAY

from kaplan import check, score_portfolio
from kaplan.commands.risk import risk_report

AT_RISK = {
    "kestrel-freight": "Bram Heuvel (coach) left on 2026-09-15",
    "tessaro-automotive": "follow-up overdue",
    "ostara-bank": "follow-up overdue",
    "lumenwave-telecom": "contract renews in 80 days",
    "aldergrove-health": "contract renewal date 2026-06-30 has passed",
}
THRIVING = {"halvorsen-drives", "verdant-pharma", "corvane-energy", "quillon-chemicals", "brightmoor-foods",
            "marlowe-finch", "tallis-agri"}


def test_at_least_ten_accounts_and_clean_at_error_level():
    result = check([EXAMPLES], today=TODAY)
    assert result.files >= 10
    assert result.errors == 0, [f for f in result.findings if f.severity.value == "error"]
    warned = {f.path.split("/")[-1].removesuffix(".yaml") for f in result.findings}
    assert warned.isdisjoint(THRIVING)
    rules = {f.rule for f in result.findings}
    assert {"review-stale", "single-threaded", "renewal-near", "nps-follow-up-overdue"} <= rules


def test_check_through_the_cli_exits_zero(kaplan):
    r = kaplan("check", "--today", TODAY.isoformat(), cwd=EXAMPLES)
    assert r.exit_code == 0, r.stdout
    assert "13 files checked" in r.stdout


def test_ranking_puts_profitable_strategic_accounts_first():
    ranked = score_portfolio([EXAMPLES], today=TODAY).accounts
    top3 = [a.account_id for a in ranked[:3]]
    assert top3 == ["halvorsen-drives", "verdant-pharma", "corvane-energy"]
    # the biggest account by revenue is not first: its margin is lower (profit, not just volume)
    biggest = max(ranked, key=lambda a: a.revenue or 0)
    assert biggest.account_id == "corvane-energy" and biggest.rank > 1
    assert all(a.key for a in ranked[:3]) and ranked[0].quadrant == "Strategic"


def test_at_risk_accounts_come_out_red_or_amber_with_their_reasons():
    rows = {r.account_id: r for r in risk_report([EXAMPLES], today=TODAY).rows}
    for account, reason in AT_RISK.items():
        health = rows[account].health
        assert health.colour in ("red", "amber"), (account, health.score)
        assert any(reason in s.reason for s in health.reasons), (account, [s.reason for s in health.reasons])
    for account in THRIVING:
        assert rows[account].health.colour == "green", account
    assert "single-threaded" in " ".join(s.reason for s in rows["nordhavn-region"].health.reasons)
