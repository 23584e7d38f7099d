"""The `sarif` reporter: findings as a SARIF 2.1.0 log, for code-scanning dashboards.

Every rule in the registry is listed under `tool.driver.rules` (its id, summary, documentation and
default level), so a dashboard can explain a finding without kaplan. Each result carries a
`partialFingerprints` entry computed from the rule id, the file and the message — not the line,
and not the numbers in the message (day counts, dates) — so a finding keeps its identity when lines
are added above it or a day passes, and the dashboard does not close and reopen it on every edit.
Findings that look alike in one file are told apart by their order.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO
from urllib.parse import quote

from kaplan.views.safe_text import json_text
from kaplan.findings import CheckResult
from kaplan.findings import Finding, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT = "kaplanFinding/v1"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def _uri(path: str) -> tuple[str, bool]:
    """A file path as a SARIF URI: relative paths stay relative (forward slashes, percent-encoded)."""
    if PureWindowsPath(path).is_absolute() and not PurePosixPath(path).is_absolute():
        return "file:///" + _quoted(PureWindowsPath(path).as_posix()), False
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return "file://" + _quoted(posix), False
    return _quoted(posix), True


def _quoted(path: str) -> str:
    """Percent-encoded as the file system's bytes: a name that is not UTF-8 (held by Python as
    surrogate escapes) gets its own bytes encoded."""
    return quote(path, errors="surrogateescape")


def fingerprint(rule: str, path: str, message: str, occurrence: int = 0) -> str:
    """A stable identity for a finding: the same rule, file and message give the same value.

    Numbers in the message are left out: "last reviewed 498 days ago" today and "499 days ago"
    tomorrow is the same finding. Findings that then look alike are told apart by `occurrence`.
    """
    text = "\0".join((rule, path.replace("\\", "/"), _NUMBER.sub("#", message), str(occurrence)))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _rules() -> list[dict]:
    from kaplan import rules

    out = []
    for r in sorted(rules.REGISTRY.values(), key=lambda r: r.id):
        out.append({
            "id": r.id,
            "name": "".join(part.capitalize() for part in r.id.split("-")),
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.doc or r.summary},
            "help": {"text": r.doc or r.summary},
            "defaultConfiguration": {"level": _level(r.severity)},
            "properties": {"scope": r.scope},
        })
    return out


def _result(f: Finding, index: dict[str, int], occurrence: int) -> dict:
    uri, relative = _uri(f.path)
    location = {"artifactLocation": {"uri": uri, **({"uriBaseId": "%SRCROOT%"} if relative else {})},
                "region": {"startLine": max(1, f.line), "startColumn": max(1, f.column)}}
    text = f.message + (f"\nhint: {f.hint}" if f.hint else "")
    result = {
        "ruleId": f.rule,
        "level": _level(f.severity),
        "message": {"text": text},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {FINGERPRINT: fingerprint(f.rule, f.path, f.message, occurrence)},
    }
    if f.rule in index:
        result["ruleIndex"] = index[f.rule]
    return result


def sarif_log(result: CheckResult) -> dict:
    """The SARIF 2.1.0 log of a check result, as a JSON-ready dict."""
    from kaplan import __version__

    rules = _rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    seen: dict[tuple[str, str, str], int] = {}
    results = []
    for f in result.findings:
        key = (f.rule, f.path, _NUMBER.sub("#", f.message))
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        results.append(_result(f, index, occurrence))
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "kaplan", "version": __version__, "semanticVersion": __version__,
                                "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def sarif(result: CheckResult, out: IO[str], **_) -> None:
    """A SARIF 2.1.0 log (one JSON document) for code-scanning tools."""
    out.write(json_text(sarif_log(result)) + "\n")
