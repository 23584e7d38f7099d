"""The plan format as pydantic models (`Plan` and its sections) and its vocabularies."""

from kaplan.model import vocab
from kaplan.model.plan import *  # noqa: F401,F403
from kaplan.model.plan import Plan
from kaplan.model.types import period_bounds

__all__ = ["Plan", "vocab", "period_bounds"]
