"""Comments in a plan that silence a rule where a finding is deliberate, and the check that they still do.

In the spirit of yamllint's, a comment anywhere in a plan:

    contacts:   # kaplan: disable-line=single-threaded   (this line; alone on a line: the next one)
    # kaplan: disable=overdue-action,review-stale        (from here until enabled again)
    # kaplan: enable=overdue-action                       (from here on, reported again)
    # kaplan: disable-file=single-threaded                (the whole file)

Without `=RULES` a directive covers every rule. A directive that silences nothing is itself a
finding (`unused-suppression`), so suppressions do not outlive the reason for them. The rules that
say a file cannot be read as a plan at all (syntax, schema and the like), and those that keep the
portfolio whole (`PROTECTED`: one plan per account, named after it), cannot be silenced here. Only
real YAML comments count: the same words inside a quoted or block text value are text.

`parse` reads the directives of one text; `apply` filters one file's findings through them. Both
are pure: the checker calls them once every finding of a file (its own and the portfolio's) is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kaplan.findings import Finding, Severity

RULE_ID = "unused-suppression"
PROTECTED = frozenset({"duplicate-account", "filename-mismatch"})
"""Rules a plan cannot silence about itself: a copy of another account's plan would hide itself."""
_DIRECTIVE = re.compile(
    rb"#[ \t]*kaplan:[ \t]*(disable-line|disable-file|disable|enable)\b(?:[ \t]*=[ \t]*([A-Za-z0-9_,\- \t]*))?")
_ONLY_COMMENT = re.compile(rb"^[ \t]*#")
_QUICK = re.compile(rb"#[ \t]*kaplan:")


@dataclass(frozen=True)
class Directive:
    kind: str
    """disable-line, disable, enable or disable-file."""
    rules: tuple[str, ...]
    """The rules named; empty for every rule."""
    line: int
    column: int
    target: int
    """The line a disable-line covers (its own, or the next when the comment stands alone)."""

    def covers(self, rule: str) -> bool:
        return not self.rules or rule in self.rules

    def to_json(self) -> list:
        return [self.kind, list(self.rules), self.line, self.column, self.target]

    @classmethod
    def from_json(cls, data: list) -> Directive:
        kind, rules, line, column, target = data
        return cls(kind, tuple(rules), line, column, target)


def parse(data: bytes) -> list[Directive]:
    """The directives in a plan's bytes, in order (fast: a plan without any costs one search)."""
    if _QUICK.search(data) is None:
        return []
    out = []
    comments = None
    for number, line in enumerate(data.split(b"\n"), start=1):
        if b"kaplan:" not in line:
            continue
        found = None
        for candidate in _DIRECTIVE.finditer(line):
            comments = _comments(data) if comments is None else comments
            text = line[candidate.start():].rstrip(b"\r").strip().decode("utf-8", "replace")
            if (number, text) in comments:  # else inside a quoted or block text value: text, not a comment
                found = candidate
                break
        if found is None:
            continue
        names = tuple(sorted({n.strip().decode("ascii") for n in (found.group(2) or b"").split(b",") if n.strip()}))
        alone = _ONLY_COMMENT.match(line) is not None
        target = number + 1 if alone else number
        out.append(Directive(found.group(1).decode(), names, number, found.start() + 1, target))
    return out


def _comments(data: bytes) -> set[tuple[int, str]]:
    """(line, text from `#` to the line's end) of every comment in the YAML text, as the round-trip
    parser sees them; empty when the text does not parse (then no directive applies)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedBase
    from ruamel.yaml.tokens import CommentToken

    try:
        data_tree = YAML().load(data.decode("utf-8"))
    except Exception:  # noqa: BLE001 - any text the parser refuses has no directives
        return set()
    found: set[tuple[int, str]] = set()

    def tokens(obj):
        if isinstance(obj, CommentToken):
            yield obj
        elif isinstance(obj, (list, tuple)):
            for x in obj:
                yield from tokens(x)
        elif isinstance(obj, dict):
            for x in obj.values():
                yield from tokens(x)

    stack = [data_tree]
    while stack:
        node = stack.pop()
        if not isinstance(node, CommentedBase):
            continue
        for token in tokens([node.ca.comment, node.ca.items, node.ca.end]):
            parts = token.value.split("\n")
            first = token.start_mark.line + 1
            for part in (p.strip() for p in parts):
                if part.startswith("#"):  # a token's lines may start on its own line or the next
                    found.update((line, part) for line in range(first, first + len(parts) + 1))
        stack.extend(node.values() if isinstance(node, dict) else node)
    return found


def apply(findings: list[Finding], directives: list[Directive], path: str, *, known: set[str],
          unsilenceable: set[str], severity: Severity | None = Severity.WARNING) -> list[Finding]:
    """`findings` of one file without those its directives silence, plus an `unused-suppression`
    finding for each directive that silenced nothing or names a rule that does not exist.
    `severity` None leaves those out (the rule is off)."""
    if not directives:
        return findings
    used: set[int] = set()
    kept = []
    for f in findings:
        silencer = None if f.rule in unsilenceable or f.rule == RULE_ID else _silencer(f, directives)
        if silencer is None:
            kept.append(f)
        else:
            used.add(silencer)
    if severity is None:
        return kept
    for i, d in enumerate(directives):
        unknown = [r for r in d.rules if r not in known]
        if unknown:
            kept.append(Finding(path, d.line, d.column, RULE_ID, severity,
                                f"`kaplan: {d.kind}` names no rule called {', '.join(unknown)}",
                                "`kaplan check --list-rules` lists the rule ids"))
        elif d.kind != "enable" and i not in used:
            what = ", ".join(d.rules) if d.rules else "any rule"
            kept.append(Finding(path, d.line, d.column, RULE_ID, severity,
                                f"`kaplan: {d.kind}` silences nothing: {what} finds no problem where it applies",
                                "remove the comment (the problem it was for is gone)"))
    return kept


def _silencer(f: Finding, directives: list[Directive]) -> int | None:
    """The index of the directive that silences `f`, if any (the nearest one wins)."""
    state: dict[str, int | None] = {}
    everything: int | None = None
    line_hit = file_hit = None
    for i, d in enumerate(directives):
        if not d.covers(f.rule):
            continue
        if d.kind == "disable-line":
            if d.target == f.line:
                line_hit = i
        elif d.kind == "disable-file":
            file_hit = i if file_hit is None else file_hit
        elif d.line <= f.line:  # disable / enable in force at the finding's line
            value = i if d.kind == "disable" else None
            if d.rules:
                state[f.rule] = value
            else:
                everything, state = value, {}
    ranged = state.get(f.rule, everything) if f.rule in state else everything
    for hit in (line_hit, ranged, file_hit):
        if hit is not None:
            return hit
    return None
