"""The pack a KAM can send to the client (`kaplan report ACCOUNT --audience client`).

It is a quarterly report written for the client: their objectives and how far each has come, the
actions we take together toward them, the service KPIs against their targets, the decisions that
are needed, and the next review.

What kaplan thinks of the account stays out, and not by leaving it off a template: the `ClientPack`
never holds it. There is no plan object, no score, rank, tier, health or signal, no money (revenue,
margin, cost to serve, share of wallet, pipeline), no contact (so no buying role, attitude or
strength), no NPS response (who said what, and how we follow it up), no risk register, no force field, no review notes, and no objective's description
(where a KAM writes how we see it); an objective keeps its title, success criterion, challenges,
what was tried, measures and milestones. A template — the built-in one or
a user's — can only show what is here; so can the workbook, the deck and the PDF made from it.

Actions are the joint ones: those that serve one of the client's objectives and are not marked
`internal: true`. An action without an objective is ours alone (preparing a pitch, reaching a new
contact) and is not shown. A KPI, a decision or an account team member marked `internal: true` is
not shown either. An action keeps what it is, its owner, due date, status and expected result, and its
objective's title (never that objective's description, nor the value we put on its impact); a decision keeps what is to be decided, by whom on the
client's side and by when (never our owner of it or a recorded outcome).

Also for the client: our account team (names and roles, but those marked internal) and what was
agreed with the client about the plan (its format, who has access, how often it is updated). Not for the client, and so not
here: the whitespace grid (where we could sell more and which competitor holds what), how the
client uses what it buys as the KAM wrote it (`usage`), and each contact's own initiatives and
targets (what we know of the people).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, replace

from kaplan.model.plan import Period
from kaplan.model.vocab import ReviewKind
from kaplan.report.account import ActionRow, DecisionRow, KpiRow, ObjectiveRow, account_pack, working_together
from kaplan.report.snapshot import Snapshot

AUDIENCES = ("internal", "client")


@dataclass(frozen=True)
class Raised:
    """Where a decision was raised: the review's kind and date (never its notes, which are internal)."""

    date: _dt.date
    kind: ReviewKind


@dataclass
class ClientPack:
    kind = "client"
    today: _dt.date
    name: str
    """The client's name."""
    owner: str
    """The KAM who sends the report."""
    period: Period | None
    objectives: list[ObjectiveRow]
    actions: list[ActionRow]
    kpis: list[KpiRow]
    decisions: list[DecisionRow]
    """Open decisions; each row's `review` is a `Raised` (kind and date only)."""
    last_review: _dt.date | None
    next_review: _dt.date | None
    working_together: list[tuple[str, str]]
    """Our account team and what was agreed with the client about the plan (`account.working_together`)."""
    working_together_drawn: list[tuple[str, str]]
    """The same as the HTML pack and the deck draw it (the team's first `capped.ROWS_SHOWN`)."""

    @property
    def overdue_actions(self) -> int:
        return sum(1 for a in self.actions if a.overdue)

    @property
    def kpis_met(self) -> int:
        return sum(1 for k in self.kpis if k.status == "met")

    @property
    def milestones(self) -> tuple[int, int]:
        """(done, all) over every objective."""
        return sum(o.milestones_done for o in self.objectives), sum(o.milestones for o in self.objectives)


def client_pack(snap: Snapshot, account_id: str) -> ClientPack:
    """The client's version of `account_id`'s pack on the snapshot's day."""
    full = account_pack(snap, account_id, history=False)
    meta = full.plan.plan
    ours = meta.model_copy(update={"team": [t for t in meta.team if not t.internal]})
    shown = {o.objective.id: o.objective.model_copy(update={"description": None}) for o in full.objectives}
    return ClientPack(
        today=full.today, name=full.name, owner=meta.owner, period=meta.period,
        objectives=[replace(o, objective=shown[o.objective.id]) for o in full.objectives],
        actions=[replace(r, action=r.action.model_copy(update={"impact": None}),
                         objective=shown.get(r.objective.id, r.objective.model_copy(update={"description": None})))
                 for r in full.actions if r.objective is not None and not r.action.internal],
        kpis=[k for k in full.kpis if not k.kpi.internal],
        decisions=[replace(d, review=Raised(d.review.date, d.review.kind),
                           decision=d.decision.model_copy(update={"owner": None, "outcome": None}))
                   for d in full.decisions if not d.decision.internal],
        last_review=full.last_review, next_review=full.next_review,
        working_together=working_together(ours), working_together_drawn=working_together(ours, drawn=True),
    )
