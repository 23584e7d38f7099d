"""Rules that hold each plan to the service intensity of its tier (tiers are set in `kaplan.yaml`).

The tier comes from scoring the whole portfolio, so checking one file still places it among all the
portfolio's plans.
"""

from __future__ import annotations

from typing import Iterator

from kaplan.findings import Issue, Severity
from kaplan.model.vocab import Cadence
from kaplan.rules import Context, rule, tiers_in_portfolio


def _tiers(summaries, ctx: Context):
    """(plan summary, tier) for every valid plan, scored among the whole portfolio."""
    return [(s, tier) for s, tier in tiers_in_portfolio(summaries, ctx) if tier is not None]


def _order(ctx: Context, cadence) -> int:
    return ctx.config.cadence_days.get(cadence, 92)


@rule("tier-review-cadence", Severity.WARNING, scope="portfolio")
def tier_review_cadence(plans, ctx: Context) -> Iterator[tuple[object, Issue]]:
    """The plan's review cadence is slower than its tier requires.

    Tiers in `kaplan.yaml` set the slowest `review_cadence` allowed (for example monthly for strategic
    accounts). Set `plan.review_cadence` to that cadence or a faster one.
    """
    for s, tier in _tiers(plans, ctx):
        required = tier.review_cadence
        cadence = Cadence(s.review_cadence) if s.review_cadence else ctx.config.default_cadence
        if required is not None and _order(ctx, cadence) > _order(ctx, required):
            at = ("plan", "review_cadence") if s.review_cadence else ("plan",)
            yield s, Issue(at, f"tier `{tier.name}` requires a {required.value} review, but this plan is "
                            f"reviewed {cadence.value}", f"set `review_cadence: {required.value}`",
                            key=at == ("plan",))


@rule("tier-executive-sponsor", Severity.WARNING, scope="portfolio")
def tier_executive_sponsor(plans, ctx: Context) -> Iterator[tuple[object, Issue]]:
    """The plan's tier requires an executive sponsor on our side, and none is named.

    Set `plan.executive_sponsor` to the executive who sponsors the account.
    """
    for s, tier in _tiers(plans, ctx):
        if tier.executive_sponsor and not s.executive_sponsor:
            yield s, Issue(("plan",), f"tier `{tier.name}` requires an executive sponsor; none is named",
                            "add `executive_sponsor:` under `plan:`", key=True)


@rule("tier-rituals", Severity.WARNING, scope="portfolio")
def tier_rituals(plans, ctx: Context) -> Iterator[tuple[object, Issue]]:
    """The plan lacks a relationship ritual its tier requires (e.g. a business review).

    Add the ritual under `relationships.rituals` with its `kind`.
    """
    for s, tier in _tiers(plans, ctx):
        missing = [k.value for k in tier.rituals if k.value not in s.rituals]
        if missing:
            yield s, Issue(("relationships",), f"tier `{tier.name}` requires these rituals: "
                            f"{', '.join(missing)}", "add them under `relationships.rituals` with `kind:`",
                            key=True)
