"""Account health and risk: signals computed from a plan, a 0-100 health score, a risk level.

See `kaplan.health.model` for how each signal is computed.
"""
