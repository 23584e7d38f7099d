"""The whitespace grid: which of our offerings each of the client's buying units buys, and where the room is.

A plan records cells (`whitespace:` — buying unit, offering, status); this module lays them out as
a grid (units down, offerings across, both in the order the plan first names them) and counts them.
It is the one definition of the words a cell shows and of "open white space", used by every pack.

- `owned` shows as **won**: the unit buys the offering from us.
- `pipeline` shows as **open**: an opportunity is being worked.
- `competitor` shows as **competitor**: a competitor supplies it (named when the plan says who).
- `gap` shows as **not offered**: the unit could use it and nobody has offered it yet.
- `not_relevant`: the unit has no use for it.
- A pair the plan does not record is left empty, never guessed.
- Only the first units and offerings the plan names are laid out (as many as the caller draws: the
  packs' `capped.ROWS_SHOWN` of each); the rest are counted (`more_units`, `more_offerings`) and
  every count and status still takes them in.

Open white space is the cells where the unit could buy and nothing is being sold yet: `gap` and
`competitor`. For one account, an offering's status is the best any of its units reaches (won,
then open, competitor, not offered, not relevant): the portfolio's cross-sell view reads that.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterable

from kaplan.model.plan import WhitespaceCell
from kaplan.model.vocab import Coverage
from kaplan.plural import counted

WORDS = {Coverage.owned: "won", Coverage.pipeline: "open", Coverage.competitor: "competitor",
         Coverage.gap: "not offered", Coverage.not_relevant: "not relevant"}
"""What a cell shows, by the status the plan records."""

ORDER = (Coverage.owned, Coverage.pipeline, Coverage.competitor, Coverage.gap, Coverage.not_relevant)
"""Best first: an account's status for an offering is the first of these any of its units has."""

WHITE_SPACE = frozenset({Coverage.gap, Coverage.competitor})
"""Open white space: the unit could buy, and no deal of ours is open or won there."""

@dataclass(frozen=True)
class Cell:
    """One buying unit × one offering; `status` None when the plan does not record the pair."""

    status: Coverage | None = None
    competitor: str | None = None
    """Who supplies it, for a `competitor` cell whose plan names them."""

    @property
    def words(self) -> str:
        """`won`, `open`, `competitor (Name)`, `not offered`, `not relevant`, or empty when not recorded."""
        if self.status is None:
            return ""
        if self.status is Coverage.competitor and self.competitor:
            return f"competitor ({self.competitor})"
        return WORDS[self.status]


@dataclass(frozen=True)
class Row:
    unit: str
    cells: tuple[Cell, ...]
    """One per offering, in the grid's order."""


@dataclass(frozen=True)
class Grid:
    offerings: tuple[str, ...]
    rows: tuple[Row, ...]
    counts: dict[str, int]
    """Recorded cells by the words of their status (`won`, `open`, …), every status present, zeros included."""
    by_offering: dict[str, Coverage]
    """Each offering's best status over the units (see the module docstring)."""
    more_units: int = 0
    """Units the plan names beyond those laid out, counted but not drawn."""
    more_offerings: int = 0
    """Offerings the plan names beyond those laid out, counted but not drawn."""

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(r.unit for r in self.rows)

    @property
    def cells(self) -> int:
        """Cells the plan records."""
        return sum(self.counts.values())

    @property
    def white_space(self) -> int:
        """Open white space: cells not offered yet or held by a competitor."""
        return sum(self.counts[WORDS[s]] for s in WHITE_SPACE)

    @property
    def drawn_words(self) -> str:
        """What a drawing of the grid leaves out, in words ("" when it draws every unit and offering)."""
        if not (self.more_units or self.more_offerings):
            return ""
        return (f"Drawn: the first {counted(len(self.rows), 'buying unit')} and {counted(len(self.offerings), 'offering')}; "
                f"{counted(self.more_units, 'more unit')} and {counted(self.more_offerings, 'more offering')} "
                "are counted but not drawn.")

    @property
    def white_space_words(self) -> str:
        """`4 of 8 cells`: the open white space out of the cells recorded."""
        return f"{self.white_space} of {counted(self.cells, 'cell')}"

    @property
    def won(self) -> tuple[str, ...]:
        """Offerings at least one unit buys from us."""
        return self._offerings(Coverage.owned)

    @property
    def open(self) -> tuple[str, ...]:
        """Offerings with an open deal and no unit won yet."""
        return self._offerings(Coverage.pipeline)

    @property
    def lacking(self) -> tuple[str, ...]:
        """Offerings no unit buys or is being sold, where some unit could buy (competitor or not offered)."""
        return tuple(o for o, s in self.by_offering.items() if s in WHITE_SPACE)

    def _offerings(self, status: Coverage) -> tuple[str, ...]:
        return tuple(o for o, s in self.by_offering.items() if s is status)


def grid(recorded: list[WhitespaceCell], drawn: int) -> Grid:
    """The grid of the plan's `whitespace` cells, its first `drawn` units and `drawn` offerings laid
    out: a real grid is a few dozen of each, and a drawing grows with units × offerings, so a plan of
    thousands of each must not make a pack huge. A pair recorded twice shows its last entry
    (`kaplan check` reports the repeat as `duplicate-whitespace-cell`)."""
    units: dict[str, None] = {}
    offerings: dict[str, None] = {}
    at: dict[tuple[str, str], WhitespaceCell] = {}
    for c in recorded:
        units.setdefault(c.unit)
        offerings.setdefault(c.offering)
        at[c.unit, c.offering] = c
    rank = {s: i for i, s in enumerate(ORDER)}
    counts = {WORDS[s]: 0 for s in ORDER}
    best: dict[str, Coverage] = {}
    for (_, offering), c in at.items():
        counts[WORDS[c.status]] += 1
        if offering not in best or rank[c.status] < rank[best[offering]]:
            best[offering] = c.status
    drawn_units, drawn_offerings = list(units)[:drawn], list(offerings)[:drawn]
    rows = tuple(Row(u, tuple(_cell(at.get((u, o))) for o in drawn_offerings)) for u in drawn_units)
    return Grid(tuple(drawn_offerings), rows, counts, {o: best[o] for o in offerings},
                len(units) - len(drawn_units), len(offerings) - len(drawn_offerings))


@dataclass(frozen=True)
class Reach:
    """One offering across the portfolio: in how many accounts it is won, open, or open white space."""

    offering: str
    won: int
    open: int
    white_space: int
    """Accounts where no unit buys it or is being sold it, and some unit could (competitor or not offered)."""


def same_offering(name: str) -> str:
    """The key two spellings of one offering share: case, width forms and spacing ignored
    ("Field Service", "field  service" and "Field\u00a0Service" are one offering)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def reach(grids: Iterable[Grid]) -> list[Reach]:
    """Every offering named in any of `grids` (its spellings taken as one, see `same_offering`; shown
    as first written), counted by each account's best status for it."""
    names: dict[str, str] = {}
    counts: dict[str, dict[Coverage, Coverage]] = {}
    for g in grids:
        best: dict[str, Coverage] = {}  # one status per account and offering, whatever its spellings
        rank = {s: i for i, s in enumerate(ORDER)}
        for offering, status in g.by_offering.items():
            key = same_offering(offering)
            names.setdefault(key, offering)
            if key not in best or rank[status] < rank[best[key]]:
                best[key] = status
        for key, status in best.items():
            by = counts.setdefault(key, {})
            by[status] = by.get(status, 0) + 1
    return [Reach(names[k], c.get(Coverage.owned, 0), c.get(Coverage.pipeline, 0), sum(c.get(s, 0) for s in WHITE_SPACE))
            for k, c in sorted(counts.items(), key=lambda kv: (kv[0], names[kv[0]]))]


def _cell(c: WhitespaceCell | None) -> Cell:
    return Cell() if c is None else Cell(c.status, c.competitor)
