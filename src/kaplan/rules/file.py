"""Problems found while reading a file, before any plan rule can run. Always errors."""

from kaplan.findings import Severity
from kaplan.rules import document

E = Severity.ERROR

document("syntax", E, """The file is not valid YAML.

The position points at where the YAML parser gave up; the mistake is often just before it: a
missing space after `key:`, a tab used for indentation, or a line indented one space off.""")
document("duplicate-key", E, """The same key appears twice in one section.

YAML would silently keep only one of the two values, so kaplan refuses the file. Merge them.""")
document("encoding", E, """The file is not UTF-8 text (binary data, UTF-16, or invalid bytes).

Save it as UTF-8; a leading UTF-8 byte-order mark is accepted.""")
document("too-large", E, """The file is larger than 5 MiB or expands to more than 250,000 values.

These limits stop runaway files and alias bombs; a real plan is a few tens of kilobytes.""")
document("too-deep", E, """The file nests deeper than 64 levels (a plan needs about six).""")
document("unsafe-tag", E, """The file uses a YAML tag such as `!!python/object` or `!custom`.

Plans hold only text, numbers, dates, true/false, lists and mappings; kaplan never constructs
objects from tags, so such a file is refused rather than read.""")
document("invalid-date", E, """A value looks like a date but does not exist (for example `2026-02-30`).""")
document("empty-file", E, """The file is empty or holds only comments. Start a plan with `kaplan new ACCOUNT`.""")
document("unreadable", E, """The file cannot be opened (missing, a folder, or no permission).""")
document("unknown-key", E, """A key the plan format does not know; usually a typo.

The finding suggests the closest known key. Unknown keys are errors so that a misspelt field is
never silently ignored.""")
document("missing-field", E, """A required field is missing.

Only a small core is required: `kaplan`, `account.id`, `account.name` and `plan.owner`, plus the
key fields of any list entry you add (an action's `id` and `action`, a contact's `id` and `name`…).""")
document("format-version", E, """`kaplan:` at the top of the file is missing or not `1`.""")
document("schema", E, """A value has the wrong type or is out of range (a rating above 5, a probability
above 100, text where a number belongs, a value outside a fixed list).""")
document("outside-portfolio", E, """A plan path is a symbolic link (or passes through one) that leads outside the portfolio.

kaplan does not read or write through it: a link committed into a shared plan repository must not
make `kaplan check` read, or a writing command overwrite, a file elsewhere on the machine. Copy the
plan into the portfolio instead, or point the link at a file inside it.""")
