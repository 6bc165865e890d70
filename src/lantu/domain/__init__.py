"""Plain typed objects of Lantu and their rules (no database, no web)."""

from lantu.domain.errors import LantuError, ValidationError
from lantu.domain.frameworks import Framework, FrameworkNode
from lantu.domain.indicators import Formula, Indicator
from lantu.domain.milestones import MILESTONE_KINDS, MilestoneFact, parse_nodes
from lantu.domain.observations import (
    FLAGS,
    OFFICIAL_QUALITIES,
    SOURCE_QUALITIES,
    Observation,
    Source,
    check_quality,
    format_flags,
    infer_quality,
    is_official,
    outranks,
    parse_flags,
    quality_rank,
)
from lantu.domain.periods import Period
from lantu.domain.plans import Department, Milestone, Plan, PlanNode
from lantu.domain.regions import Region, RegionGroup, check_region_code
from lantu.domain.targets import KINDS, QUALIFIERS, Target
from lantu.domain.units import conversion_factor, normalise_unit

__all__ = [
    "FLAGS", "KINDS", "MILESTONE_KINDS", "MilestoneFact", "parse_nodes", "OFFICIAL_QUALITIES", "SOURCE_QUALITIES", "QUALIFIERS", "Department", "Formula", "Framework", "FrameworkNode",
    "Indicator", "LantuError", "Milestone", "Observation", "Period", "Plan", "PlanNode", "Region",
    "RegionGroup", "Source", "Target", "ValidationError", "check_quality", "check_region_code", "conversion_factor",
    "format_flags", "infer_quality", "is_official", "outranks", "quality_rank", "normalise_unit", "parse_flags",
]
