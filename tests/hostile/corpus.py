"""The hostile-input corpus: the committed files listed in expected.tsv, and the generated cases.

Files too big, too slow to build or impossible to commit (a 50 MB file, 100,000 lines, alias and
merge-key bombs, 10,000-deep nesting, symbolic links, a named pipe, a file name with a line break)
are generated into a temporary portfolio at test time by the functions below.

Each case is checked as `kaplan check plans/<file>` from the root of a fresh portfolio holding only
that file and a one-line `kaplan.yaml`, and must give exit code 1, a finding of `rule` at `line`
(and `column` when given) naming that file, no traceback and no code run, within the time and
memory bounds in tests/test_hostile.py.

    python tests/hostile/corpus.py OUT    # write every case into OUT/<case>/ to look at
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
MARKER = "kaplan-was-pwned"
"""The payload files in the corpus try to create this file in the working folder."""
SECRET = "s3cr3t-api-key"
"""A value in a file outside the portfolio that symbolic links point at; it must never be shown."""

VALID = "kaplan: 1\naccount:\n  id: acme\n  name: Acme\nplan:\n  owner: Jo Owner\n"
CONFIG = "kaplan: 1\n"


@dataclass(frozen=True)
class Case:
    id: str
    file: str
    """The name under plans/ that is checked."""
    rule: str
    line: int
    column: int | None
    what: str
    make: Callable[[Path], None] | None = field(default=None, compare=False, repr=False)
    """For a generated case: writes `plans/<file>` (and anything around it) into the portfolio."""
    big: bool = False
    """Run in a child process with its peak memory measured."""
    whole: bool = False
    """Check the whole portfolio (`kaplan check`) rather than naming the file."""

    def prepare(self, portfolio: Path) -> Path:
        """Create the portfolio with this case's file in it; the path checked, relative to the portfolio."""
        (portfolio / "plans").mkdir(parents=True, exist_ok=True)
        (portfolio / "kaplan.yaml").write_text(CONFIG, encoding="utf-8")
        if self.make is not None:
            self.make(portfolio)
        else:
            shutil.copyfile(HERE / self.file, portfolio / "plans" / self.file)
        return Path("plans") / self.file


def committed() -> list[Case]:
    with open(HERE / "expected.tsv", encoding="utf-8", newline="") as fh:
        rows = [line for line in fh if not line.startswith("#")]
    cases = []
    for row in csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE):
        cases.append(Case(row["file"].removesuffix(".yaml"), row["file"], row["rule"], int(row["line"]),
                          None if row["column"] == "-" else int(row["column"]), row["what it shows"]))
    return cases


# ---------------------------------------------------------------- generators


def _writer(content: bytes, name: str = "acme.yaml") -> Callable[[Path], None]:
    def make(portfolio: Path) -> None:
        (portfolio / "plans" / name).write_bytes(content)
    return make


def _fifty_megabytes(portfolio: Path) -> None:
    with open(portfolio / "plans" / "acme.yaml", "wb") as fh:
        fh.write(VALID.encode())
        chunk = b"# " + b"x" * 1021 + b"\n"
        for _ in range(50 * 1024):
            fh.write(chunk)


def _just_over_the_limit(portfolio: Path) -> None:
    size = 5 * 1024 * 1024 + 1
    body = VALID.encode() + b"# padding\n" * ((size - len(VALID)) // 10 + 1)
    (portfolio / "plans" / "acme.yaml").write_bytes(body[:size - 1] + b"\n")


def _hundred_thousand_lines(portfolio: Path) -> None:
    """A 100,000-line plan: a 99,990-line summary written as a block, then a misspelt key on the last line."""
    head = VALID.replace("  name: Acme\n", "  name: Acme\n  summary:\n    industry: |\n")
    lines = head.count("\n")
    body = "".join(f"      line {i} of what the client does\n" for i in range(100_000 - lines - 1))
    (portfolio / "plans" / "acme.yaml").write_text(head + body + "  secter: Manufacturing\n", encoding="utf-8")


def _hundred_thousand_contacts(portfolio: Path) -> None:
    """100,000 one-line contacts: 300,000 values, over the 250,000-value limit."""
    head = VALID + "relationships:\n  contacts:\n"
    body = "".join(f"    - {{id: c{i}, name: C{i}}}\n" for i in range(100_000 - head.count("\n")))
    (portfolio / "plans" / "acme.yaml").write_text(head + body, encoding="utf-8")


def _alias_bomb(portfolio: Path) -> None:
    """Billion laughs: nine levels of nine aliases each, 9**9 values once expanded."""
    lines = ["kaplan: 1", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    (portfolio / "plans" / "acme.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _merge_bomb(portfolio: Path) -> None:
    """Billion laughs through merge keys: each level merges the previous one ten times."""
    lines = ["kaplan: 1", "m0: &m0 {x: 1}"]
    for i in range(1, 10):
        lines.append(f"m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * 10) + f"], y{i}: 1}}")
    (portfolio / "plans" / "acme.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _wide_alias(portfolio: Path) -> None:
    """One 1,000-item list used 1,000 times: a million values from a 10 KB file (quadratic, not exponential)."""
    items = ", ".join(str(i) for i in range(1000))
    text = f"kaplan: 1\nbase: &b [{items}]\nuses: [" + ", ".join(["*b"] * 1000) + "]\n"
    (portfolio / "plans" / "acme.yaml").write_text(text, encoding="utf-8")


def _merge_keys_everywhere(portfolio: Path) -> None:
    """A merge key inside a merge key inside a merge key, 100 levels deep (past the nesting limit)."""
    lines = ["kaplan: 1", "l0: &l0 {x: 1}"]
    for i in range(1, 101):
        lines.append(f"l{i}: &l{i} {{<<: *l{i - 1}, y{i}: 1}}")
    (portfolio / "plans" / "acme.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _random_bytes(portfolio: Path) -> None:
    (portfolio / "plans" / "acme.yaml").write_bytes(random.Random(7).randbytes(64 * 1024) + b"\x00")


def _long_line(portfolio: Path) -> None:
    """A 1 MB value on one line, then a misspelt key below it."""
    text = VALID.replace("  name: Acme\n", "  name: Acme\n  contact_method: " + "word " * 200_000 + "\n  secter: x\n")
    (portfolio / "plans" / "acme.yaml").write_text(text, encoding="utf-8")


def _outside(portfolio: Path) -> Path:
    outside = portfolio.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.yaml").write_text(
        VALID + f"  review_cadence: {SECRET}\n", encoding="utf-8")
    return outside


def _symlink_to_outside_file(portfolio: Path) -> None:
    os.symlink(_outside(portfolio) / "secret.yaml", portfolio / "plans" / "acme.yaml")


def _relative_symlink_up_and_out(portfolio: Path) -> None:
    _outside(portfolio)
    os.symlink(os.path.join("..", "..", "outside", "secret.yaml"), portfolio / "plans" / "acme.yaml")


def _symlink_to_dev_zero(portfolio: Path) -> None:
    os.symlink("/dev/zero", portfolio / "plans" / "acme.yaml")


def _symlinked_folder_outside(portfolio: Path) -> None:
    os.symlink(_outside(portfolio), portfolio / "plans" / "linked")


def _dangling_symlink(portfolio: Path) -> None:
    os.symlink(portfolio / "plans" / "nowhere.yaml", portfolio / "plans" / "acme.yaml")


def _symlink_loop(portfolio: Path) -> None:
    os.symlink(portfolio / "plans" / "b.yaml", portfolio / "plans" / "acme.yaml")
    os.symlink(portfolio / "plans" / "acme.yaml", portfolio / "plans" / "b.yaml")


def _named_pipe(portfolio: Path) -> None:
    os.mkfifo(portfolio / "plans" / "acme.yaml")


def _sparse_file(portfolio: Path) -> None:
    with open(portfolio / "plans" / "acme.yaml", "wb") as fh:
        fh.write(VALID.encode())
        fh.truncate(600 * 1024 * 1024)


LIMIT = 5 * 1024 * 1024
"""The size limit: the cases below fill it, to show what the worst file kaplan reads costs."""


def _filled(head: str, unit: str, tail: str = "\n") -> bytes:
    """`head`, then `unit` as many times as fits under the size limit, then `tail`."""
    room = LIMIT - len(head.encode()) - len(tail.encode())
    return (head + unit * (room // len(unit.encode())) + tail).encode()


def _indented(portfolio: Path) -> None:
    """Each line a key one space deeper than the last, as deep as 5 MiB allows (about 3,200 levels)."""
    lines, size, i = [], 0, 0
    while size + i + 3 <= LIMIT:
        lines.append(" " * i + "a:\n")
        size, i = size + i + 3, i + 1
    (portfolio / "plans" / "acme.yaml").write_text("".join(lines), encoding="utf-8")


def _indented_then_brackets(portfolio: Path) -> None:
    """40 levels of indentation (under the limit on their own), then brackets to the size limit."""
    head = "".join(" " * i + f"k{i}:\n" for i in range(40)) + " " * 40 + "x: "
    (portfolio / "plans" / "acme.yaml").write_bytes(_filled(head, "[{a: "))


def _just_under_the_value_limit(portfolio: Path) -> None:
    """49,900 one-line contacts (five values each: 249,500 with the rest of the plan), an anchor that
    keeps the file from the fast path, and a misspelt key on the last line: the most work kaplan
    does on one file before it can say what is wrong."""
    head = VALID.replace("  name: Acme\n", "  name: &name Acme\n") + "relationships:\n  contacts:\n"
    body = "".join(f"    - {{id: c{i}, name: C{i}}}\n" for i in range(49_900))
    (portfolio / "plans" / "acme.yaml").write_text(head + body + "  secter: x\n", encoding="utf-8")


def _invalid_list_items(portfolio: Path) -> None:
    """240,000 periods that are each a word, not a period: as many schema errors as a file can hold
    under the value limit. Each is located in one pass over the text, and past the first
    `validation.MAX_ERRORS` one finding says how many more there are."""
    body = "financials:\n  periods:\n" + "    - x\n" * 240_000
    (portfolio / "plans" / "acme.yaml").write_text(VALID + body, encoding="utf-8")


def _reporting_loop_of_4000(portfolio: Path) -> None:
    """4,000 contacts, each reporting to the one before, the first to the last: one loop through all."""
    n = 4_000
    body = "relationships:\n  contacts:\n" + "".join(
        f"    - {{id: c{i}, name: N{i}, reports_to: c{(i - 1) % n}}}\n" for i in range(n))
    (portfolio / "plans" / "acme.yaml").write_text(VALID + body, encoding="utf-8")


NEWLINE_NAME = "evil\n::error file=x::forged\x1b[2J.yaml"


def generated() -> list[Case]:
    deep = 10_000
    cases = [
        Case("50-megabyte-file", "acme.yaml", "too-large", 1, 1, "a 50 MB file (refused before it is read)",
             _fifty_megabytes, big=True),
        Case("just-over-5-mib", "acme.yaml", "too-large", 1, 1, "one byte over the 5 MiB limit",
             _just_over_the_limit, big=True),
        Case("100000-lines", "acme.yaml", "unknown-key", 100_000, 3,
             "a 100,000-line plan with a misspelt key on its last line", _hundred_thousand_lines, big=True),
        Case("alias-bomb", "acme.yaml", "too-large", None, None, "billion laughs: 9**9 values from 9 lines",
             _alias_bomb, big=True),
        Case("merge-key-bomb", "acme.yaml", "unknown-key", 2, 1,
             "billion laughs through `<<` merge keys: merged keys collapse, so it stays small",
             _merge_bomb, big=True),
        Case("wide-alias", "acme.yaml", "too-large", None, None, "a 1,000-item list aliased 1,000 times",
             _wide_alias, big=True),
        Case("merge-keys-100-deep", "acme.yaml", "unknown-key", 2, 1, "a chain of 100 merge keys, each merging the last",
             _merge_keys_everywhere),
        Case("10000-nested-flow-lists", "acme.yaml", "too-deep", 1, None, "`[[[…]]]` 10,000 deep",
             _writer(b"kaplan: " + b"[" * deep + b"]" * deep + b"\n"), big=True),
        Case("10000-nested-flow-mappings", "acme.yaml", "too-deep", 1, None, "`{a: {a: …}}` 10,000 deep",
             _writer(b"{a: " * deep + b"1" + b"}" * deep + b"\n"), big=True),
        Case("10000-nested-block-lists", "acme.yaml", "too-deep", 1, None, "`- - - … x` 10,000 deep on one line",
             _writer(b"- " * deep + b"x\n"), big=True),
        Case("50000-unclosed-flow-lists", "acme.yaml", "too-deep", 1, 68,
             "`x: ` and 50,000 `[` (50 KB): refused at the 65th, before a parser recurses into them",
             _writer(b"x: " + b"[" * 50_000 + b"\n"), big=True),
        Case("5-mib-of-unclosed-flow-lists", "acme.yaml", "too-deep", 1, 68, "`x: [[[[…` to the size limit",
             _writer(_filled("x: ", "[")), big=True),
        Case("5-mib-of-nested-flow-mappings", "acme.yaml", "too-deep", 1, 258, "`{a: {a: …` to the size limit",
             _writer(_filled("", "{a: ")), big=True),
        Case("5-mib-of-block-lists-on-one-line", "acme.yaml", "too-deep", 1, 131, "`- - - …` to the size limit",
             _writer(_filled("", "- ", "x\n")), big=True),
        Case("5-mib-of-indentation", "acme.yaml", "too-deep", 65, 65,
             "keys indented one space deeper on each line, 3,200 levels, to the size limit", _indented, big=True),
        Case("5-mib-indentation-then-brackets", "acme.yaml", "too-deep", 41, None,
             "40 levels of indentation, then `[{a: ` to the size limit", _indented_then_brackets, big=True),
        Case("5-mib-of-brackets-in-quotes", "acme.yaml", "schema", 6, 9,
             "a name of `[` in quotes to the size limit: text, not nesting (too long a name)",
             _writer(_filled('kaplan: 1\nplan:\n  owner: Jo Owner\naccount:\n  id: acme\n  name: "', "[", '"\n')),
             big=True),
        Case("5-mib-of-dashes", "acme.yaml", "too-large", 250_000, 2,
             "`-` lines to the size limit (2.6 million values): refused at value 250,001, before building it",
             _writer(_filled("", "-\n", "")), big=True),
        Case("5-mib-flow-list-of-ones", "acme.yaml", "too-large", 1, 499_999,
             "`x: [1,1,1,…]` to the size limit: refused at value 250,001, before building it",
             _writer(_filled("x: [", "1,", "1]\n")), big=True),
        Case("just-under-the-value-limit", "acme.yaml", "unknown-key", 49_909, 3,
             "249,500 values with an anchor, read in full by the reference reader, then a misspelt key",
             _just_under_the_value_limit, big=True),
        Case("240000-invalid-list-items", "acme.yaml", "schema", 9, 7,
             "240,000 list items that are each a schema error (the first 1,000 are shown)", _invalid_list_items,
             big=True),
        Case("reporting-loop-of-4000-contacts", "acme.yaml", "reporting-loop", 9, 38,
             "4,000 contacts in one `reports_to` loop", _reporting_loop_of_4000, big=True),
        Case("random-bytes", "acme.yaml", "encoding", None, None, "64 KB of random bytes", _random_bytes),
        Case("one-megabyte-line", "acme.yaml", "unknown-key", 6, 3, "a 1 MB value on one line, then an error",
             _long_line, big=True),
        Case("dangling-symlink", "acme.yaml", "unreadable", 1, 1,
             "a symbolic link to nothing, met while checking the portfolio", _dangling_symlink, whole=True),
        Case("symlink-loop", "acme.yaml", "unreadable", 1, 1,
             "two symbolic links pointing at each other, met while checking the portfolio", _symlink_loop,
             whole=True),
        Case("file-name-with-a-line-break", NEWLINE_NAME, "filename-mismatch", 3, 7,
             "a file name holding a line break, a forged CI annotation and a terminal escape", _writer(
                 VALID.encode(), NEWLINE_NAME)),
        Case("600-megabyte-sparse-file", "acme.yaml", "too-large", 1, 1,
             "a 600 MB file (sparse): refused by its size, never read into memory, even by the cache",
             _sparse_file, big=True),
        Case("100000-contacts", "acme.yaml", "too-large", None, None,
             "100,000 one-line contacts: 300,000 values, over the 250,000-value limit (found where it is crossed)",
             _hundred_thousand_contacts, big=True),
        Case("symlink-to-a-file-outside", "acme.yaml", "outside-portfolio", 1, 1,
             "plans/acme.yaml links to a file outside the portfolio", _symlink_to_outside_file),
        Case("relative-symlink-up-and-out", "acme.yaml", "outside-portfolio", 1, 1,
             "plans/acme.yaml -> ../../outside/secret.yaml", _relative_symlink_up_and_out),
        Case("symlink-to-dev-zero", "acme.yaml", "outside-portfolio", 1, 1,
             "plans/acme.yaml -> /dev/zero (endless bytes)", _symlink_to_dev_zero, big=True),
        Case("symlinked-folder-outside", "linked", "outside-portfolio", 1, 1,
             "plans/linked -> a folder outside the portfolio, met while checking the portfolio",
             _symlinked_folder_outside, whole=True),
        Case("named-pipe", "acme.yaml", "unreadable", 1, 1, "a named pipe (FIFO) called acme.yaml",
             _named_pipe, big=True),
    ]
    return cases


def pending() -> list[Case]:
    """Cases that wait for a change in the reader, discovery or a rule before they pass (none now).

    A case found to fail goes here, with the fix it needs, so the suite stays green while
    `python bench/reliability.py` still reports it; it moves to `generated()` once fixed.
    """
    return []


def all_cases() -> list[Case]:
    return committed() + generated()


if __name__ == "__main__":  # pragma: no cover - a tool for looking at the cases by hand
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-cases")
    for case in all_cases() + pending():
        case.prepare(out / case.id)
    print(f"wrote {len(all_cases()) + len(pending())} cases under {out}")
