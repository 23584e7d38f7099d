"""Portfolio scoring: criteria and settings, normalisation, the engine, concentration, allocation.

The entry point is `kaplan.commands.score.score_portfolio` (exported as `kaplan.score_portfolio`).
This file stays empty so that `kaplan.config` can import the settings without a cycle.
"""
