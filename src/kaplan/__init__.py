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
    "check": "commands.check", "CheckResult": "commands.check",
    "Config": "config", "Portfolio": "config",
    "Finding": "findings", "Issue": "findings", "Severity": "findings",
    "ConfigError": "reading.loader", "LoadedPlan": "reading.loader", "load_plan": "reading.loader", "open_portfolio": "reading.loader",
    "Plan": "model",
    "ScaffoldError": "commands.new", "new_plan": "commands.new",
    "PortfolioScore": "commands.score", "score_portfolio": "commands.score",
    "RiskReport": "commands.risk", "risk_report": "commands.risk",
    "InitRefused": "commands.init", "InitResult": "commands.init", "init_portfolio": "commands.init",
    "plan_schema": "commands.schema", "config_schema": "commands.schema", "write_schemas": "commands.schema",
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
