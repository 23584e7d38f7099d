"""Money across accounts: the portfolio's reporting currency and the rates that convert into it.

A plan's money is in its own currency (`financials.currency`). Before accounts are added, ranked,
classed or allocated, their money is converted to the reporting currency at the rates in
`kaplan.yaml` (`currency:`), each rate with the day it was taken. A currency without a rate is never
added as if it were the reporting one: its figures are left out, and `kaplan check` reports the plan
(rule `currency-no-rate`), located at its currency.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Annotated, Iterable

from pydantic import Field

from kaplan.model.types import Date, Section

Code = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class Rate(Section):
    """One currency's rate into the reporting currency."""

    rate: float = Field(gt=0, le=1e9)
    """How much of the reporting currency one unit of this currency is worth (GBP 1.17 with EUR
    reporting: £1 = €1.17)."""
    as_of: Date
    """The day the rate was taken; packs show it beside converted figures."""


class CurrencySettings(Section):
    """The portfolio's reporting currency and the rates into it."""

    reporting: Code | None = None
    """ISO 4217 code portfolio figures are shown in. Unset: the plans' currency when they all use one
    (plans in several currencies need it, and a rate for each other currency)."""
    rates: dict[Code, Rate] = Field(default_factory=dict, json_schema_extra={"additionalProperties": False})
    """Rate of each other currency into the reporting one, e.g. `GBP: {rate: 1.17, as_of: 2026-09-30}`."""


@dataclass(frozen=True)
class Converter:
    """Converts one portfolio's money into its reporting currency."""

    reporting: str
    rates: dict = field(default_factory=dict)
    """currency → `Rate`."""

    def rate(self, currency: str | None) -> float | None:
        """Reporting units per unit of `currency`; 1 for the reporting currency; None without a rate."""
        if not currency or currency == self.reporting:
            return 1.0
        r = self.rates.get(currency)
        return r.rate if r is not None else None

    def convert(self, value: float | None, currency: str | None) -> float | None:
        """`value` in the reporting currency; None when it is None or `currency` has no rate."""
        rate = self.rate(currency)
        return None if value is None or rate is None else value * rate

    def as_of(self, currency: str | None) -> _dt.date | None:
        r = self.rates.get(currency) if currency and currency != self.reporting else None
        return r.as_of if r is not None else None

    def words(self, currency: str | None) -> str:
        """The rate in words: `1 GBP = 1.17 EUR, rate of 2026-09-30`, or that there is none."""
        if not currency or currency == self.reporting:
            return f"in {self.reporting}"
        r = self.rates.get(currency)
        if r is None:
            return f"no rate from {currency} to {self.reporting} in kaplan.yaml"
        return f"1 {currency} = {r.rate:g} {self.reporting}, rate of {r.as_of.isoformat()}"


def reporting_currency(settings: CurrencySettings, currencies: Iterable[str]) -> str:
    """The reporting currency: as set, else the plans' most used currency (the first by name of equals)."""
    if settings.reporting:
        return settings.reporting
    counts = Counter(c for c in currencies if c)
    if not counts:
        return "EUR"  # the plan format's default currency
    return min(counts, key=lambda c: (-counts[c], c))


def converter(settings: CurrencySettings | None, currencies: Iterable[str]) -> Converter:
    """The converter for a portfolio whose plans use `currencies`."""
    settings = settings or CurrencySettings()
    return Converter(reporting_currency(settings, list(currencies)), dict(settings.rates))
