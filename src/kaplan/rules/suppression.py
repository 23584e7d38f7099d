"""The rule about suppression comments themselves (applied by `kaplan.suppressions`, not run here)."""

from __future__ import annotations

import inspect

from kaplan.findings import Severity
from kaplan.suppressions import RULE_ID
from kaplan.rules import REGISTRY, Rule

REGISTRY[RULE_ID] = Rule(RULE_ID, Severity.WARNING, inspect.cleandoc("""
    A `# kaplan: disable…` comment silences nothing, or names a rule that does not exist.

    Comments silence a rule where a finding is deliberate: `# kaplan: disable-line=RULE` on a line
    (alone on a line: the next one), `# kaplan: disable=RULE` until `# kaplan: enable=RULE`, and
    `# kaplan: disable-file=RULE` for the whole plan; several rules separated by commas, none for
    every rule. Once the problem is gone, the comment would hide the next one: remove it. Rules that
    say a file cannot be read as a plan (syntax, schema…) cannot be silenced.
"""), "comment")
