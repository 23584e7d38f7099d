"""What changed in an account's plan since its last review, with the "before" found through git.

The "before" is the portfolio as it was at the last commit on or before the plan's last review date,
scored and assessed as of that day with today's rules, so the comparison (`kaplan.changes.compare`)
differs only in what the plans said. The account pack shows it.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kaplan.changes import PlanChanges, Standing, compare
from kaplan.model.plan import Plan
from kaplan.overdue import last_review
from kaplan.reading import history

if TYPE_CHECKING:
    from kaplan.config import Portfolio


@dataclass
class SinceReview:
    """The changes since an account's last review, or why they could not be worked out."""

    review_date: _dt.date | None
    """The review compared with: the last one, or the one before when the last is being looked at."""
    commit_date: _dt.date | None = None
    changes: PlanChanges | None = None
    note: str | None = None
    """Why there is no comparison (no review recorded, no git history, the plan is newer)."""
    latest_review: _dt.date | None = None
    """Set when the last review is the day or commit being looked at: its date (then `review_date` is
    the review before it)."""


def _review_dates(plan: Plan) -> set[_dt.date]:
    dates = {r.date for r in plan.reviews if r.date}
    if plan.plan.last_reviewed:
        dates.add(plan.plan.last_reviewed)
    return dates


def since_last_review(portfolio: Portfolio, plan: Plan, now: Standing | None = None, *,
                      cache: dict | None = None, today: _dt.date | None = None) -> SinceReview:
    """Compare `plan` with itself as committed on or before its last review date.

    When that review is the one being looked at — held on `today` (or later), or recorded in the very
    commit whose plan this is (nothing changed since) — the baseline is the plan as it stood at the
    review before it: the latest earlier date in the reviews log, or the last review the plan recorded
    the day before. `cache` (any dict, reused across calls) keeps the portfolio read at each commit,
    so rendering every account's pack reads each revision once.
    """
    review = last_review(plan)
    if review is None:
        return SinceReview(None, note="no review is recorded, so there is nothing to compare with")
    folder = portfolio.plans_dir
    cache = {} if cache is None else cache
    try:
        history.repo_root(folder)
        found = _at(portfolio, review, cache)
        if found is None:
            return SinceReview(review, note=f"nothing was committed on or before the last review ({review})")
        day, old, standing_then, refused = found
        then = old.get(plan.account.id)
        if (today is not None and review >= today) or then == plan:
            earlier = {d for d in _review_dates(plan) if d < review}
            before = _at(portfolio, review - _dt.timedelta(days=1), cache)
            if before is not None and (was := before[1].get(plan.account.id)) is not None:
                earlier |= {d for d in _review_dates(was) if d < review}
            if not earlier:
                return SinceReview(review, note=f"the last review ({review}) is the one being looked at, and no "
                                                "review was recorded before it")
            previous = max(earlier)
            found = _at(portfolio, previous, cache)
            if found is None:
                return SinceReview(previous, note=f"nothing was committed on or before the previous review "
                                                  f"({previous})", latest_review=review)
            day, old, standing_then, refused = found
            then = old.get(plan.account.id)
            if then is None:
                return SinceReview(previous, day, note=_unread(refused, plan, day) or
                                   f"the plan was not in git on {day}, the last commit on or before the previous "
                                   f"review ({previous})", latest_review=review)
            standing = standing_then(plan.account.id)
            return SinceReview(previous, day, compare(then, plan, standing_before=standing, standing_after=now),
                               latest_review=review)
    except history.HistoryUnavailable as exc:
        return SinceReview(review, note=str(exc))
    if then is None:
        return SinceReview(review, day, note=_unread(refused, plan, day) or
                           f"the plan was not in git on {day}, the last commit on or before the last review ({review})")
    standing = standing_then(plan.account.id)
    return SinceReview(review, day, compare(then, plan, standing_before=standing, standing_after=now))


def _unread(refused: dict[str, str], plan: Plan, day: _dt.date) -> str | None:
    """Why the plan was not read at the commit of `day`, when its file there was too large to read."""
    for name, said in refused.items():
        if name.rsplit("/", 1)[-1].rsplit(".", 1)[0] == plan.account.id:
            return f"the plan as committed on {day} was not read: {said}"
    return None


KEPT_COMMITS = 8
"""Revisions whose portfolio `cache` keeps at once: packs of accounts reviewed on many days (`report
--all`) read one revision each, and keeping every one of them grew without bound."""


def _at(portfolio: Portfolio, day: _dt.date, cache: dict):
    """(commit day, plans by id, the standing of an account as of `day`, plan files too large to read)
    at the last commit on or before `day`, or None when there is none. Through `cache`, each revision is
    read once while kept (the last `KEPT_COMMITS`), each plan file's content (a blob) is parsed once
    whatever the revisions it is in, and the portfolio is scored once for a revision and a day: an
    account's health is judged when its pack asks for it (the standing: its (score, health), its tier
    as placed then, or None when the account was not scored then)."""
    from kaplan.health.portfolio import health_in_tier, scored_plans
    from kaplan.reading.loader import LoadedPlan

    folder = portfolio.plans_dir
    commit = history.commit_on_or_before(folder, day)
    if commit is None:
        return None
    if ("plans", commit) not in cache:
        when = history.commit_day(folder, commit)
        refused: dict[str, str] = {}
        cache["plans", commit] = (when, history.plans_at(folder, commit, refused=refused,
                                                         parsed=cache.setdefault("blobs", {})), refused)
        kept = cache.setdefault("commits", [])
        kept.append(commit)
        for gone in kept[:-KEPT_COMMITS]:
            for key in [k for k in cache if isinstance(k, tuple) and len(k) > 1 and k[1] == gone]:
                del cache[key]
        del kept[:-KEPT_COMMITS]
    when, old, refused = cache["plans", commit]
    if ("scored", commit, day) not in cache:  # scores as of the review day, tiers as placed then
        pairs = [(LoadedPlan(Path(f"{pid}.yaml"), f"{pid}.yaml", p), p) for pid, p in old.items()]
        cache["scored", commit, day] = scored_plans(pairs, portfolio.config, day) if pairs else {}
    scored = cache["scored", commit, day]

    def standing(account_id: str) -> Standing | None:
        if account_id not in scored:
            return None
        score, plan = scored[account_id]
        return Standing.of(score, health_in_tier(score, plan, day, portfolio.config))

    return when, old, standing, refused
