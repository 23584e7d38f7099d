"""Rules about ids and the references between parts of a plan."""

from __future__ import annotations

from operator import attrgetter
from typing import Iterator

from kaplan.findings import Issue, Severity
from kaplan.model import Plan
from kaplan.rules import Context, rule

_ID = attrgetter("id")


@rule("duplicate-id", Severity.ERROR)
def duplicate_id(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """Two entries of the same list share an id.

    Contacts, objectives, opportunities, actions, risks and investment requests are referred to by
    id, so each id must be unique within its list.
    """
    lists = ((("relationships", "contacts"), plan.relationships.contacts), (("objectives",), plan.objectives),
             (("opportunities",), plan.opportunities), (("actions",), plan.actions), (("risks",), plan.risks),
             (("investment",), plan.investment))
    for at, items in lists:
        if len(items) < 2 or len(set(map(_ID, items))) == len(items):  # the usual case: all distinct
            continue
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in seen:
                yield Issue((*at, i, "id"), f"id `{item.id}` is used twice in {at[-1]} "
                            f"(first at entry {seen[item.id] + 1})", "give each entry its own id")
            else:
                seen[item.id] = i


@rule("unresolved-reference", Severity.ERROR)
def unresolved_reference(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """A reference names an id that does not exist in the plan.

    Checked: `objective` of actions and opportunities, `objectives` of investment requests, and
    `reports_to` of contacts.
    """
    objectives = set(map(_ID, plan.objectives))
    contacts = set(map(_ID, plan.relationships.contacts))

    def hint_obj() -> str:  # built only for a plan that has a dangling reference
        if not objectives:
            return "add the objective under `objectives:`"
        return f"known objectives: {', '.join(sorted(objectives))}"

    for section in ("actions", "opportunities"):
        for i, item in enumerate(getattr(plan, section)):
            if item.objective and item.objective not in objectives:
                yield Issue((section, i, "objective"), f"objective `{item.objective}` does not exist", hint_obj())
    for i, req in enumerate(plan.investment):
        for j, ref in enumerate(req.objectives):
            if ref not in objectives:
                yield Issue(("investment", i, "objectives", j), f"objective `{ref}` does not exist", hint_obj())
    for i, c in enumerate(plan.relationships.contacts):
        if c.reports_to and c.reports_to not in contacts:
            yield Issue(("relationships", "contacts", i, "reports_to"),
                        f"`{c.name}` reports to `{c.reports_to}`, who is not in the contact list",
                        "add that contact, or correct the id")


@rule("reporting-loop", Severity.ERROR)
def reporting_loop(plan: Plan, ctx: Context) -> Iterator[Issue]:
    """The `reports_to` chain loops back on itself, so the org chart cannot be drawn."""
    contacts = plan.relationships.contacts
    boss = {c.id: c.reports_to for c in contacts}  # each id's manager (of an id given twice, its last entry's)
    chart = _Chart(boss)
    reported: set[str] = set()
    steps = 0
    for i, c in enumerate(contacts):
        if c.reports_to is None or c.id in reported:
            continue  # reports to no one (the top of a chain), or in a loop named already
        if not chart.reaches(c.reports_to, c.id):  # from its own manager on, up each one's
            continue
        chain, current = [c.id], c.reports_to
        while current != c.id:
            chain.append(current)
            current = boss[current]
            steps += 1
            if steps > _STEPS:  # only a file built to cost time gets here: name the loop, not all of it
                chain.append("…")
                break
        reported.update(chain)
        yield Issue(("relationships", "contacts", i, "reports_to"),
                    "reporting loop: " + " → ".join([*chain, c.id]),
                    "one person in the loop should report to someone outside it, or to no one")


_STEPS = 1_000_000
"""Names the loops of one plan may list in all (a loop of thousands is listed whole)."""


class _Chart:
    """Who reports, through whom, to whom (`boss`: each id's manager), so that whether one contact is
    above another is answered at once: a loop through thousands of contacts costs as many steps, not
    their square or cube. An id on a loop is above everyone whose chain reaches that loop; any other id
    is above the ids below it in the tree that hangs from a loop or from someone who reports to no one."""

    def __init__(self, boss: dict):
        self.boss = boss
        self.loop: dict = {}  # id on a loop → the loop's number
        seen: dict = {}  # id → the walk that reached it first
        for walk, start in enumerate(boss):
            path, node = [], start
            while node in boss and node not in seen:
                seen[node] = walk
                path.append(node)
                node = boss[node]
            if node in boss and seen[node] == walk:  # this walk came back to itself: the rest is a loop
                for on in path[path.index(node):]:
                    self.loop[on] = walk
        below: dict = {}
        roots = []
        for node, up in boss.items():
            if node in self.loop or up not in boss:
                roots.append(node)
            else:
                below.setdefault(up, []).append(node)
        self.first: dict = {}  # id → (its tree's root, when its subtree starts and ends in a walk of it)
        self.last: dict = {}
        clock = 0
        for root in roots:
            stack = [(root, False)]
            while stack:
                node, done = stack.pop()
                if done:
                    self.last[node] = clock
                    continue
                self.first[node] = (root, clock)
                clock += 1
                stack.append((node, True))
                stack.extend((child, False) for child in below.get(node, ()))

    def reaches(self, start, target) -> bool:
        """Whether going up from `start` (each id to its manager) comes to `target`."""
        if start not in self.boss:
            return False
        root, at = self.first[start]
        if target in self.loop:
            return root in self.loop and self.loop[root] == self.loop[target]
        target_root, target_at = self.first[target]
        return target_root == root and target_at <= at < self.last[target]

