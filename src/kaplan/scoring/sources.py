"""What each metric a scoring criterion can name means: its unit and definition, in one table.

`kaplan score --list-sources` shows this table; `kaplan.yaml`'s `scoring.criteria.*.source` takes
one of its names. The figures themselves are computed in `kaplan.metrics`; this module only says
what they are, so a user choosing a criterion knows what the number measures.
"""

from __future__ import annotations

from dataclasses import dataclass

from kaplan.metrics import METRICS, SOURCE_LOCATION


@dataclass(frozen=True)
class Source:
    name: str
    unit: str
    definition: str

    @property
    def where(self) -> str:
        """Where in a plan its data is written, as a dotted path."""
        return ".".join(SOURCE_LOCATION.get(self.name, ()))

    def to_dict(self) -> dict:
        return {"source": self.name, "unit": self.unit, "definition": self.definition, "plan": self.where}


_TTM = ("the trailing twelve months (the 12 calendar months ending with the latest period that has revenue; "
        "a period straddling their start counts pro rata by days)")
_RATING = "rating 1-5"

_SOURCES = {
    "revenue_ttm": ("money", f"Revenue over {_TTM}."),
    "revenue_annualised": ("money", "Trailing-twelve-month revenue scaled to a full year from the months "
                                    "it covers: revenue × 12 ÷ months with revenue."),
    "gross_profit_ttm": ("money", "Gross profit over the same twelve months."),
    "margin_pct": ("percent", "Gross profit ÷ revenue × 100, over the trailing twelve months' periods that "
                              "have both figures."),
    "revenue_growth_pct": ("percent", "Revenue growth like for like: the trailing twelve months' months with "
                                      "revenue against the same months a year earlier, (now − before) ÷ before "
                                      "× 100; missing when no month compares."),
    "cost_to_serve_pct": ("percent", "Cost to serve ÷ revenue × 100, over the trailing twelve months' periods "
                                     "that have both figures."),
    "share_of_wallet_pct": ("percent", "Our revenue ÷ the client's spend in our category × 100, over the trailing "
                                       "twelve months' periods that have both; else the latest period's stated "
                                       "share_of_wallet_pct."),
    "nps": ("score -100..+100", "Net Promoter Score: % promoters (9-10) − % detractors (0-6) of the responses "
                                "in the survey window ending today (nps.window_months, default 12); none below "
                                "nps.min_responses (default 5)."),
    "relationship_strength": (_RATING, "The plan's overall relationship strength, else the mean strength "
                                       "of current contacts."),
    "position": ("level 1-5", "Our position with the client: 1 commodity supplier … 5 contributes to "
                              "organisational issues."),
    "key_player_coverage": ("count 0-3", "How many of a decision maker (or economic buyer), a sponsor and a "
                                         "coach are among current contacts."),
    "strong_relationships": ("count", "Current contacts with a relationship strength of 4 or 5."),
    "strategic_importance": (_RATING, "The KAM's assessment of the account's strategic importance to us."),
    "fit": (_RATING, "The KAM's assessment of how well the client fits what we offer."),
    "growth_potential": (_RATING, "The KAM's assessment of the account's growth potential."),
    "client_attitude": (_RATING, "The KAM's assessment of the client's attitude toward us."),
}


def sources() -> list[Source]:
    """Every source a criterion can name, in the order of `METRICS`; one without a definition here says so."""
    return [Source(name, *_SOURCES.get(name, ("?", "(not yet described)"))) for name in METRICS]
