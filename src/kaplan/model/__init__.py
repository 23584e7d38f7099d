"""The plan format as pydantic models (`Plan` and its sections) and its vocabularies."""

from . import vocab
from .plan import *  # noqa: F401,F403
from .plan import Plan
from .types import period_bounds

__all__ = ["Plan", "vocab", "period_bounds"]
