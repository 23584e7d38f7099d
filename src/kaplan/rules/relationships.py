"""Rules about the relationship map: more than one thread, and the key players mapped."""

from __future__ import annotations

from typing import Iterator

from kaplan.findings import Issue, Severity
from kaplan.model import Plan
from kaplan.model.vocab import BuyingRole
from kaplan.rules import Context, rule


def active_contacts(plan: Plan):
    return [c for c in plan.relationships.contacts if c.left is None]


@rule("single-threaded", Severity.WARNING)
def single_threaded(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """The account rests on fewer than two strong relationships.

    A contact counts as strong when `strength` is at least `strong_relationship` in `kaplan.yaml`
    (default 4). When the one strong contact leaves, the account is at risk: build a second thread.
    Checked only once at least one contact is mapped.
    """
    contacts = active_contacts(plan)
    if not contacts:
        return
    strong = [c for c in contacts if (c.strength or 0) >= ctx.config.strong_relationship]
    if len(strong) < 2:
        who = f"only {strong[0].name}" if strong else "no one"
        yield Issue(("relationships", "contacts"), f"single-threaded: {who} has a strong relationship with us",
                    "build a second strong relationship, ideally with the decision maker", key=True)


@rule("key-player-missing", Severity.WARNING)
def key_player_missing(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """The relationship map lacks a decision maker, a sponsor or a champion (coach).

    A healthy key account has all three mapped among current contacts. Checked only once at least
    one contact is mapped.
    """
    contacts = active_contacts(plan)
    if not contacts:
        return
    roles = {c.buying_role for c in contacts}
    missing = []
    if not roles & {BuyingRole.economic_buyer, BuyingRole.decision_maker}:
        missing.append("decision maker (economic_buyer or decision_maker)")
    if BuyingRole.sponsor not in roles:
        missing.append("sponsor")
    if BuyingRole.coach not in roles:
        missing.append("champion (coach)")
    if missing:
        listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " or " + missing[-1]
        yield Issue(("relationships", "contacts"), f"no {listed} is mapped",
                    "find and add them, with `buying_role:` set", key=True)
