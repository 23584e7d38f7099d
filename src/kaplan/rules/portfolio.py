"""Rules that look beyond one plan's content: its file name and the rest of the portfolio."""

from __future__ import annotations

from typing import Iterator

from kaplan.findings import Issue, Severity
from kaplan.model import Plan
from kaplan.rules import Context, rule


@rule("filename-mismatch", Severity.ERROR)
def filename_mismatch(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """The file name does not match `account.id` (`acme-corp` lives in `acme-corp.yaml`).

    One name for one account keeps links, reports and history stable.
    """
    if ctx.path is not None and ctx.path.stem != plan.account.id:
        yield Issue(("account", "id"), f"account id `{plan.account.id}` does not match the file name "
                    f"`{ctx.path.name}`", f"rename the file to `{plan.account.id}{ctx.path.suffix}` or fix the id")


@rule("duplicate-account", Severity.ERROR, scope="portfolio")
def duplicate_account(plans, ctx: Context) -> Iterator[tuple[object, Issue]]:
    """Two plans in the portfolio have the same `account.id`; each account has exactly one plan.

    Nothing tells which of them is the account's plan, so score, risk and the packs count neither
    until one is merged into the other or given another id; each of them gets this error.
    """
    claims: dict[str, list] = {}
    for p in plans:
        if p.valid:
            claims.setdefault(p.account_id, []).append(p)
    for p in plans:
        claimed = claims.get(p.account_id, ()) if p.valid else ()
        others = [o.display for o in claimed if o is not p] if len(claimed) > 1 else ()
        if others:
            yield p, Issue(("account", "id"), f"account `{p.account_id}` also has a plan in {', '.join(others)}: "
                           "neither is counted in scores, risk or packs", "merge the plans or change one id")


@rule("currency-no-rate", Severity.ERROR, scope="portfolio")
def currency_no_rate(plans, ctx: Context) -> Iterator[tuple[object, Issue]]:
    """A plan's money is in a currency that kaplan.yaml gives no rate for.

    Portfolio figures (scores, ABC classes, concentration, the budget, the portfolio pack's totals)
    add and rank money in one reporting currency (`currency.reporting`, else the plans' most used
    currency). A plan in another currency needs its rate under `currency.rates`, with the day it was
    taken; until then its money is left out of those figures rather than added as if it were the
    reporting currency.
    """
    from kaplan.money import converter

    valid = [p for p in plans if p.valid]
    conv = converter(ctx.config.currency, [p.currency for p in valid])
    for p in valid:
        if p.has_money and conv.rate(p.currency) is None:
            yield p, Issue(("financials", "currency"),
                           f"no rate from {p.currency} to the reporting currency {conv.reporting} in kaplan.yaml: "
                           "this plan's money is left out of the portfolio's figures",
                           f"add `currency: {{reporting: {conv.reporting}, rates: {{{p.currency}: "
                           f"{{rate: …, as_of: YYYY-MM-DD}}}}}}` to kaplan.yaml")
