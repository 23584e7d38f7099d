"""kaplan: key account planning as code.

The library is the product; the `kaplan` command is a thin layer over these functions:

    from kaplan import check, open_portfolio, load_plan, new_plan, score_portfolio, risk_report
    result = check(["plans/"], today=datetime.date(2026, 11, 24))
    for finding in result.findings: ...

Names are imported on first use, so `import kaplan` (and `kaplan --version`) stays instant.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"
DISTRIBUTION = "kaplan-plans"
"""The name kaplan is installed by (`pip install kaplan-plans`); `kaplan` on the package index is another project."""

_EXPORTS = {
    "check": "checker", "CheckResult": "checker",
    "Config": "config", "Portfolio": "config",
    "Finding": "findings", "Issue": "findings", "Severity": "findings",
    "ConfigError": "loader", "LoadedPlan": "loader", "load_plan": "loader", "open_portfolio": "loader",
    "Plan": "model",
    "ScaffoldError": "scaffold", "new_plan": "scaffold",
    "PortfolioScore": "scoring.portfolio", "score_portfolio": "scoring.portfolio",
    "RiskReport": "risk", "risk_report": "risk",
    "InitRefused": "initialise", "InitResult": "initialise", "init_portfolio": "initialise",
    "plan_schema": "schema", "config_schema": "schema", "write_schemas": "schema",
}

__all__ = ["__version__", "DISTRIBUTION", *_EXPORTS]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kaplan' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
