"""Plain typed objects of Lantu and their rules (no database, no web)."""

from lantu.domain.errors import LantuError, ValidationError
from lantu.domain.frameworks import Framework, FrameworkNode
from lantu.domain.indicators import Formula, Indicator
from lantu.domain.observations import FLAGS, Observation, Source, format_flags, parse_flags
from lantu.domain.periods import Period
from lantu.domain.plans import Department, Milestone, Plan, PlanNode
from lantu.domain.regions import Region, RegionGroup, check_region_code
from lantu.domain.targets import KINDS, QUALIFIERS, Target
from lantu.domain.units import conversion_factor, normalise_unit

__all__ = [
    "FLAGS", "KINDS", "QUALIFIERS", "Department", "Formula", "Framework", "FrameworkNode",
    "Indicator", "LantuError", "Milestone", "Observation", "Period", "Plan", "PlanNode", "Region",
    "RegionGroup", "Source", "Target", "ValidationError", "check_region_code", "conversion_factor",
    "format_flags", "normalise_unit", "parse_flags",
]
