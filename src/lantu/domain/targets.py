"""Targets a plan or a work report sets for an indicator."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lantu.domain.errors import ValidationError
from lantu.domain.observations import Source
from lantu.domain.periods import Period
from lantu.domain.regions import check_region_code

KINDS = ("level", "annual_growth", "cumulative_change", "ceiling", "floor")
QUALIFIERS = ("左右", "以上", "以内", "力争", "突破")
QUALIFIER_EN = {"左右": "about", "以上": "at least", "以内": "at most", "力争": "strive for",
                "突破": "more than"}


@dataclass(frozen=True, slots=True)
class Target:
    """A target value (or range) of an indicator for a region and a target period.

    ``kind``: ``level`` (reach a value), ``annual_growth`` (a growth rate per year, e.g. GDP +7 %),
    ``cumulative_change`` (a change from base to target period), ``ceiling`` (stay at or below,
    以内/不超过), ``floor`` (stay at or above, 以上). ``qualifier`` keeps the words of the text:
    左右 about, 以上 at least, 以内 at most, 力争 strive for (a stretch value beside the main one).
    ``machine_read``: read from a text by ``lantu extract`` and not confirmed by a person yet
    (:mod:`lantu.domain.review` says what such a target counts for).
    """

    region_code: str
    indicator_code: str
    target_period: Period
    kind: str
    value: float
    value_high: float | None = None
    qualifier: str | None = None
    binding: bool = False
    base_period: Period | None = None
    base_value: float | None = None
    unit: str = ""
    plan: str = ""
    source: Source = field(default_factory=Source)
    machine_read: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "region_code", check_region_code(self.region_code))
        if not isinstance(self.machine_read, bool):
            raise ValidationError(f"machine_read must be true or false, got {self.machine_read!r}",
                                  field="machine_read")
        object.__setattr__(self, "target_period", Period.parse(self.target_period))
        if self.base_period is not None:
            object.__setattr__(self, "base_period", Period.parse(self.base_period))
            if self.base_period >= self.target_period:
                raise ValidationError("base period must come before the target period",
                                      field="base_period")
        if self.kind not in KINDS:
            raise ValidationError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}",
                                  field="kind")
        if self.qualifier in ("", None):
            object.__setattr__(self, "qualifier", None)
        elif self.qualifier not in QUALIFIERS:
            raise ValidationError(
                f"qualifier must be one of {', '.join(QUALIFIERS)}, got {self.qualifier!r}",
                field="qualifier")
        for name in ("value", "value_high", "base_value"):
            v = getattr(self, name)
            if v is None:
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise ValidationError(f"must be a finite number, got {v!r}", field=name)
            object.__setattr__(self, name, float(v))
        if self.value_high is not None and self.value_high < self.value:
            raise ValidationError(f"range high {self.value_high} is below low {self.value}",
                                  field="value_high")

    @property
    def indicator(self) -> str:  # one name, as the analysis layer reads it
        return self.indicator_code

    def describe(self, lang: str = "zh") -> str:
        """The target as a person would write it: ``7%（力争）``, ``8–8.5%``."""
        v = f"{self.value:g}" if self.value_high is None else f"{self.value:g}–{self.value_high:g}"
        unit = self.unit or ""
        q = self.qualifier or ""
        if lang == "zh":
            return f"{v}{unit}{q}"
        return f"{QUALIFIER_EN.get(q, '')} {v}{unit}".strip()
