"""`kaplan review`: record a review held — one entry appended to `reviews:`, `last_reviewed` moved.

    from kaplan.commands.review import ReviewEntry, record_review
    entry = ReviewEntry(date=dt.date(2026, 11, 24), kind="quarterly_review", attendees=["Jo Owner"],
                        decisions=[Decision("Extend the pilot", owner="Jo Owner", due=dt.date(2026, 12, 15))],
                        next_review=dt.date(2027, 2, 24))
    record_review("acme", entry)

The plan is changed through the round-trip writer (comments and layout stay), as one atomic write,
so the overdue-review rules and the "since the last review" comparisons see the review at once:
`plan.last_reviewed` becomes the review's date (unless a later one is already there) and
`plan.next_review` the next review agreed, when one is given.
"""

from __future__ import annotations

import datetime as _dt
import os
import shlex
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kaplan import years
from kaplan.findings import Finding, Severity


class ReviewProblem(Exception):
    """The review cannot be recorded; carries findings (or just a message) and nothing is written."""

    def __init__(self, message: str, findings: list[Finding] | None = None, usage: bool = False):
        super().__init__(message)
        self.findings, self.usage = findings or [], usage


@dataclass(frozen=True)
class Decision:
    decision: str
    owner: str | None = None
    due: _dt.date | None = None


@dataclass
class ReviewEntry:
    date: _dt.date
    kind: str = "quarterly_review"
    attendees: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    next_review: _dt.date | None = None
    notes: str | None = None

    def __post_init__(self) -> None:
        """A text longer than a plan may hold is refused before anything is done, not written into a
        plan that `check` then fails."""
        from kaplan.model.types import TEXT_MAX

        given = [("--notes", self.notes), *(("--attendee", a) for a in self.attendees),
                 *(("--decision", d.decision) for d in self.decisions),
                 *(("--decision (its owner)", d.owner) for d in self.decisions)]
        for option, text in given:
            if text is not None and len(text) > TEXT_MAX:
                raise ReviewProblem(f"{option}: {len(text):,} characters, more than the {TEXT_MAX:,} a text in a "
                                    "plan may hold; shorten it (nothing was recorded)", usage=True)

    def as_yaml_data(self) -> dict[str, Any]:
        """The entry as it is written into the plan, keys in the plan format's order."""
        out: dict[str, Any] = {"date": self.date, "kind": self.kind}
        if self.attendees:
            out["attendees"] = list(self.attendees)
        if self.notes:
            out["notes"] = self.notes
        if self.decisions:
            out["decisions"] = [{k: v for k, v in (("decision", d.decision), ("owner", d.owner), ("due", d.due))
                                 if v is not None} for d in self.decisions]
        if self.next_review is not None:
            out["next_review"] = self.next_review
        return out


def parse_decision(text: str) -> Decision:
    """`TEXT`, `TEXT | OWNER` or `TEXT | OWNER | YYYY-MM-DD` (the way `--decision` is written)."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) > 3 or not parts[0]:
        raise ReviewProblem(f"--decision {text!r}: write it as \"WHAT | OWNER | YYYY-MM-DD\" (owner and due optional)",
                            usage=True)
    due = None
    if len(parts) == 3 and parts[2]:
        try:
            due = _dt.date.fromisoformat(parts[2])
        except ValueError:
            raise ReviewProblem(f"--decision {text!r}: `{parts[2]}` is not a date; write it as YYYY-MM-DD",
                                usage=True) from None
        if (said := years.outside(due)) is not None:
            raise ReviewProblem(f"--decision {text!r}: {said}", usage=True)
    owner = parts[1] if len(parts) > 1 and parts[1] else None
    return Decision(parts[0], owner, due)


@dataclass
class ReviewResult:
    path: Path
    display: str
    before: str
    after: str
    recorded: Any = None
    """The review as written into the plan (a `model.plan.Review`): what was saved, after any `--edit`."""
    recovered: list[str] = field(default_factory=list)
    """What finishing an interrupted earlier write did (for the user to read), if there was one."""

    def diff(self) -> str:
        import difflib

        return "".join(difflib.unified_diff(self.before.splitlines(True), self.after.splitlines(True),
                                            f"a/{self.display}", f"b/{self.display}"))


def record_review(account: str, entry: ReviewEntry | dict, *, start: Path | None = None,
                  dry_run: bool = False, today: _dt.date | None = None) -> ReviewResult:
    """Append `entry` to the plan of `account` and move its review dates; returns the change.

    `entry` is a `ReviewEntry` or the mapping one would be written as (what `--edit` reads back).
    Raises `ReviewProblem` (nothing written) for an unknown account, a plan with errors, an entry
    that is not a valid review or one held after `today` (default: the machine's date);
    `loader.ConfigError` for an invalid `kaplan.yaml`.
    """
    from kaplan.writing import roundtrip as _roundtrip
    from kaplan.writing.batch import Recovery, recover, told, write_all
    from kaplan.reading.loader import display_path, open_portfolio

    data = entry.as_yaml_data() if isinstance(entry, ReviewEntry) else dict(entry)
    recorded = _validate(data)
    portfolio = open_portfolio(start)
    recovered = recover(portfolio.root, portfolio.plans_dir) if not dry_run else Recovery()
    with told(recovered, display_path):
        lp = _find(portfolio, account)
        text = lp.text if lp.text is not None else _roundtrip._yaml.decode(lp.path.read_bytes())
        plan = lp.plan
        if (late := _after_today(plan, recorded, today or _dt.date.today(), portfolio.config)) is not None:
            raise ReviewProblem(f"{late}: a review is recorded once it has been held; check the date "
                                "(nothing was recorded)", usage=True)
        listed = _has(text, "reviews")
        edits: list[tuple[tuple, Any]] = [(("reviews", len(plan.reviews)) if listed else ("reviews",),
                                           data if listed else [data])]
        day = data["date"]
        if plan.plan.last_reviewed is None or plan.plan.last_reviewed < day:
            edits.append((("plan", "last_reviewed"), day))
        if data.get("next_review") is not None:
            edits.append((("plan", "next_review"), data["next_review"]))
        try:
            new = _roundtrip.edit_text_many(text, edits)
        except _roundtrip.EditRefused as e:
            raise ReviewProblem(e.located(lp.display)) from None
        result = ReviewResult(lp.path, display_path(lp.path), text, new, recorded)
        if not dry_run:
            write_all({lp.path: new}, portfolio.root, before={lp.path: text}, plans=portfolio.plans_dir,
                      recovered=recovered)
    result.recovered = recovered.notes(display_path)
    return result


def _has(text: str, key: str) -> bool:
    from kaplan.commands.importing._apply import _data

    return isinstance(_data(text).get(key), list)


def _validate(data: dict):
    """The entry as the plan will hold it (a `Review`), or `ReviewProblem`."""
    from kaplan.model.plan import Review

    try:
        return Review.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "the entry"
        raise ReviewProblem(f"the review entry is not valid: {where}: {err['msg']}") from None


def _after_today(plan, review, today: _dt.date, config) -> str | None:
    """What of `review` the `future-date` rule would find after `today` once it is in `plan`; None if nothing."""
    from kaplan.rules import Context
    from kaplan.rules.dates import future_date

    at = len(plan.reviews)
    held = plan.model_copy(update={"reviews": [*plan.reviews, review]})
    return next((i.message for i in future_date(held, Context(today, config)) if i.at[:2] == ("reviews", at)), None)


def _find(portfolio, account: str):
    from kaplan.reading.loader import discover, load_plan

    candidates = [p for p in discover(portfolio) if p.stem == account]
    others = [p for p in discover(portfolio) if p.stem != account] if not candidates else []
    for path in [*candidates, *others]:
        lp = load_plan(path)
        if lp.plan is not None and lp.plan.account.id == account:
            return lp
        if lp.plan is None and path.stem == account:
            first = next((f for f in lp.findings if f.severity is Severity.ERROR), None)
            where = f" ({first.location()}: {first.message})" if first else ""
            raise ReviewProblem(f"{lp.display} has errors{where}; fix them first (`kaplan check`)")
    raise ReviewProblem(f"no plan for account `{account}`; `kaplan new {account}` starts one", usage=True)


# ---------------------------------------------------------------- --edit


def entry_text(entry: ReviewEntry) -> str:
    """The prepared entry as YAML for the editor, with a short guide in comments."""
    data = entry.as_yaml_data()
    lines = ["# The review to record. Save and close to write it into the plan; empty the file to cancel.",
             "# kind: biweekly_update, monthly_call, quarterly_review, annual_review or ad_hoc",
             f"date: {data['date'].isoformat()}", f"kind: {data['kind']}", "attendees:"]
    lines += [f"  - {_q(a)}" for a in data.get("attendees", [])] or ["  - "]
    lines.append(f"notes: {_q(data['notes'])}" if data.get("notes") else "notes:")
    lines.append("decisions:")
    for d in data.get("decisions", []) or [{"decision": ""}]:
        lines.append(f"  - decision: {_q(d.get('decision', ''))}")
        lines.append(f"    owner: {_q(d['owner'])}" if d.get("owner") else "    owner:")
        lines.append(f"    due: {d['due'].isoformat()}" if d.get("due") else "    due:")
    lines.append(f"next_review: {data['next_review'].isoformat()}" if data.get("next_review") else "next_review:")
    return "\n".join(lines) + "\n"


def _q(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def edit_entry(entry: ReviewEntry, editor: str | None = None) -> dict | None:
    """Open `$VISUAL`/`$EDITOR` on the prepared entry; the entry read back (None when emptied).

    Raises `ReviewProblem` with located findings when what was saved is not a valid review.
    """
    from kaplan.reading import document as _yaml

    editor = editor or os.environ.get("VISUAL") or os.environ.get("EDITOR")
    try:
        command = shlex.split(editor or "")
    except ValueError as exc:  # an unbalanced quote
        raise ReviewProblem(f"--edit: the editor {editor!r} is not a command kaplan can run ({exc}); set VISUAL or "
                            "EDITOR to one (e.g. EDITOR=nano); nothing was recorded", usage=True) from None
    if not command:
        raise ReviewProblem("--edit needs an editor: set EDITOR (e.g. EDITOR=nano)", usage=True)
    fd, name = tempfile.mkstemp(prefix="kaplan-review-", suffix=".yaml")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(entry_text(entry))
    try:
        try:
            done = subprocess.run([*command, name])
        except OSError as exc:  # not there, or not a program: the editor named, not a write that failed
            raise ReviewProblem(f"--edit: the editor {command[0]} could not be run ({exc.strerror or exc}); set "
                                "VISUAL or EDITOR to an editor that exists (e.g. EDITOR=nano); nothing was recorded",
                                usage=True) from None
        if done.returncode != 0:
            raise ReviewProblem(f"the editor exited with {done.returncode}; nothing was recorded")
        raw = Path(name).read_bytes()
    finally:
        os.unlink(name)
    try:
        text = _yaml.decode(raw)
    except _yaml.YamlProblem as p:  # an editor set to save in Latin-1 (`caf\xe9`), or binary
        raise ReviewProblem("the review entry the editor saved is not UTF-8 text; nothing was recorded: set the "
                            "editor to save UTF-8 and run the command again", [Finding(
                                "review entry", p.line, p.column, p.rule, Severity.ERROR, p.message, p.hint)],
                            usage=True) from None
    if not "".join(line for line in text.splitlines() if not line.lstrip().startswith("#")).strip():
        return None
    try:
        doc = _yaml.parse(text)
    except _yaml.YamlProblem as p:
        raise ReviewProblem("the review entry is not valid YAML", [Finding(
            "review entry", p.line, p.column, p.rule, Severity.ERROR, p.message, p.hint)]) from None
    data = _tidy(doc.data)
    if not isinstance(data, dict):
        raise ReviewProblem("the review entry must be a mapping (date:, kind:, …)")
    from kaplan.reading.validation import validate
    from kaplan.model.plan import Review

    _, findings = validate(Review, type(doc)(data, doc.root, doc.memo, doc.text), "review entry")
    if findings:
        raise ReviewProblem("the review entry is not valid", findings)
    return data


def _tidy(data: Any) -> Any:
    """Drop the prepared entry's empty placeholders (`owner:`, `- ` with nothing after)."""
    if isinstance(data, dict):
        out = {k: _tidy(v) for k, v in data.items() if v is not None}
        return {k: v for k, v in out.items() if v != [] and v != {}}
    if isinstance(data, list):
        items = [_tidy(v) for v in data if v is not None]
        return [v for v in items if v not in ({}, "", {"decision": ""})]
    return data
