"""Observations: one value of one indicator for one region and period, with its source."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from lantu.domain.errors import ValidationError
from lantu.domain.links import check_url
from lantu.domain.periods import Period
from lantu.domain.regions import check_region_code

FLAGS = (
    "preliminary",  # a first figure (work report, early release), may be revised
    "revised",  # the value replaced an earlier one (see the revision history)
    "estimated",  # the source calls it an estimate (预计)
    "imputed",  # filled in by Lantu's imputation, not observed
    "weak_source",  # not the statistical bulletin itself: a repost, news report, ranking table
    "approximate",  # the source says 约/近/左右
    "lower_bound",  # the source says 超过/以上: the true value is at least this
    "upper_bound",  # the source says 不到/以内: the true value is at most this
    "registered",  # unemployment: registered rate (城镇登记失业率)
    "surveyed",  # unemployment: surveyed rate (城镇调查失业率)
    "no_official_url",  # the source text is known but not its official address
)


def parse_flags(value: object) -> frozenset[str]:
    """Flags from ``"preliminary;weak_source"`` (``;``, ``,`` or ``|`` separated) or a sequence."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return frozenset()
    items = value if isinstance(value, (list, tuple, set, frozenset)) else \
        str(value).replace(",", ";").replace("|", ";").split(";")
    flags = frozenset(str(f).strip() for f in items if str(f).strip())
    unknown = flags - set(FLAGS)
    if unknown:
        raise ValidationError(f"unknown flag(s) {sorted(unknown)}; known: {', '.join(FLAGS)}",
                              field="flags")
    return flags


def format_flags(flags: frozenset[str] | set[str]) -> str:
    return ";".join(f for f in FLAGS if f in flags)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a number comes from: a URL or a file, and the words around it."""

    url: str = ""
    file: str = ""
    excerpt: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        check_url(self.url)

    @property
    def is_empty(self) -> bool:
        return not (self.url or self.file)


@dataclass(frozen=True, slots=True)
class Observation:
    region_code: str
    period: Period
    indicator_code: str
    value: float
    unit: str = ""
    flags: frozenset[str] = field(default_factory=frozenset)
    source: Source = field(default_factory=Source)
    created_by: str = ""
    created_at: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "region_code", check_region_code(self.region_code))
        object.__setattr__(self, "period", Period.parse(self.period))
        object.__setattr__(self, "flags", parse_flags(self.flags))
        if not isinstance(self.value, (int, float)) or isinstance(self.value, bool) or \
                not math.isfinite(self.value):
            raise ValidationError(f"value must be a finite number, got {self.value!r}", field="value")
        object.__setattr__(self, "value", float(self.value))

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.region_code, str(self.period), self.indicator_code)
