"""A count's noun, in the singular for one and the plural otherwise: "1 account", "3 accounts".

Every message, view and pack words its counts here, so none says "1 accounts" or "1 day(s)". The
plural is the noun with an `s` unless it is given (`counted(2, "opportunity", "opportunities")`).
"""

from __future__ import annotations


def word(n: int, noun: str, plural: str | None = None) -> str:
    """`noun` as it goes with a count of `n`: itself for one, else its plural ("the columns a and b")."""
    return noun if n == 1 else plural or noun + "s"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and its noun: "1 day", "0 days", "12 days"."""
    return f"{n} {word(n, noun, plural)}"
