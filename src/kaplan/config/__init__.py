"""The portfolio config, `kaplan.yaml`: where plans live and how strict the rules are.

kaplan finds it the way git finds `.git`: in the starting folder or the nearest parent. Without one,
kaplan works on the defaults below, which are also what `kaplan.yaml` falls back to key by key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from kaplan.model.types import Section
from kaplan.model.vocab import Cadence
from kaplan.config.health import HealthSettings
from kaplan.money import CurrencySettings
from kaplan.nps import NpsConfig  # noqa: F401 (its section of kaplan.yaml)
from kaplan.config.scoring import Scoring
from kaplan.config.imports import ImportSettings

from kaplan.places import CONFIG_NAME, plans_dir  # noqa: F401 (re-exported)

RuleLevel = Literal["error", "warning", "off"]


def _names_something(pattern: str) -> str:
    from pathlib import PurePath

    if not PurePath(pattern).parts:  # "", ".", "./": `PurePath.match` refuses a pattern with no part
        raise ValueError(f"the pattern {pattern!r} names no file or folder; write the end of the paths of the "
                         "plans it is for, e.g. `plans/prospects/*`")
    return pattern


PathPattern = Annotated[str, AfterValidator(_names_something)]


class RiskConfig(Section):
    max_exposure: int = Field(default=12, ge=1, le=25)
    """An open risk whose likelihood × impact (each 1-5) is above this is flagged."""


class Override(Section):
    """Rule severities for some of the plans: those whose path matches one of `files`."""

    files: list[PathPattern] = Field(min_length=1)
    """Path patterns, each matched against the end of a plan's path (`plans/prospects/*` matches
    every plan directly in `plans/prospects/`; `*` stays within one folder)."""
    rules: dict[str, RuleLevel] = {}
    """Severity per rule id for those plans, over the portfolio-wide `rules:`."""

    def applies_to(self, path: str) -> bool:
        from pathlib import PurePath

        where = PurePath(path)
        return any(where.match(pattern) for pattern in self.files)


_CADENCE_DAYS = {Cadence.weekly: 7, Cadence.biweekly: 14, Cadence.monthly: 31, Cadence.quarterly: 92,
                 Cadence.semiannual: 183, Cadence.annual: 366}


class Config(Section):
    """`kaplan.yaml`: every key is optional and falls back to the default shown."""

    kaplan: Literal[1] = 1
    """Version of the config format; always 1."""
    plans: str = "plans"
    """Folder holding the plans, relative to `kaplan.yaml`."""
    rules: dict[str, RuleLevel] = {}
    """Severity per rule id (`error`, `warning` or `off`), overriding the rule's default."""
    overrides: list[Override] = []
    """Rule severities for plans whose path matches a pattern, e.g. `[{files: [plans/prospects/*],
    rules: {single-threaded: off}}]`; a later entry wins over an earlier one."""
    default_cadence: Cadence = Cadence.quarterly
    """Review cadence assumed for a plan that does not state one."""
    cadence_days: dict[Cadence, Annotated[int, Field(ge=1, le=3650, strict=True)]] = Field(
        default_factory=lambda: dict(_CADENCE_DAYS))
    """Days between reviews each cadence allows, 1 to 3650; a cadence not named keeps its default."""

    @field_validator("cadence_days")
    @classmethod
    def _over_the_default_days(cls, given: dict[Cadence, int]) -> dict[Cadence, int]:
        return {**_CADENCE_DAYS, **given}
    review_grace_days: int = Field(default=0, ge=0, le=365)
    """Extra days allowed beyond the cadence before a review counts as overdue (default none)."""
    renewal_warning_days: int = Field(default=90, ge=0, le=3650)
    """A contract renewing within this many days is flagged."""
    nps: NpsConfig = NpsConfig()
    risks: RiskConfig = RiskConfig()
    strong_relationship: int = Field(default=4, ge=1, le=5)
    """A contact whose strength is at least this counts as a strong relationship."""
    health: HealthSettings = HealthSettings()
    """Account health signals, their weights and the risk bands."""
    scoring: Scoring = Scoring()
    """Key-account criteria, portfolio matrix, tiers, concentration and investment budget."""
    currency: CurrencySettings = CurrencySettings()
    """Money across accounts: figures are converted to the reporting currency before they are added,
    ranked, classed or allocated."""
    import_: ImportSettings = Field(default_factory=ImportSettings, alias="import")
    """Column profiles for `kaplan import` (CRM exports → plans)."""


@dataclass(frozen=True)
class Portfolio:
    """Where a portfolio is: its root folder, its config file (if any) and its config."""

    root: Path
    config: Config
    config_path: Path | None = None

    @property
    def plans_dir(self) -> Path:
        return plans_dir(self.root, self.config.plans)
