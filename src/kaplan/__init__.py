"""kaplan: key account planning as code.

The library is the product; the `kaplan` command is a thin layer over these functions:

    from kaplan import check, open_portfolio, load_plan, new_plan
    result = check(["plans/"], today=datetime.date(2026, 11, 24))
    for finding in result.findings: ...
"""

__version__ = "0.1.0"

from .checker import CheckResult, check  # noqa: E402
from .config import Config, Portfolio  # noqa: E402
from .findings import Finding, Issue, Severity  # noqa: E402
from .loader import ConfigError, LoadedPlan, load_plan, open_portfolio  # noqa: E402
from .model import Plan  # noqa: E402
from .scaffold import ScaffoldError, new_plan  # noqa: E402
from .scoring.portfolio import PortfolioScore, score_portfolio  # noqa: E402

__all__ = [
    "__version__", "check", "CheckResult", "Config", "Portfolio", "Finding", "Issue", "Severity",
    "ConfigError", "LoadedPlan", "load_plan", "open_portfolio", "Plan", "new_plan", "ScaffoldError",
    "score_portfolio", "PortfolioScore",
]
