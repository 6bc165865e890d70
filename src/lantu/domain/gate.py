"""The validation gate: the one place that decides whether a figure or a target may be written.

Every write passes here — ``lantu import`` and the web import (row by row, so problems name
their row and column), ``POST /api/v1/observations``, the reviewed text sheet, plan loads — and
the store asks again just before it writes (:func:`lantu.store.repo.apply_observations`), so
no route can skip it. The rules are data where they can be: an indicator's admissible range is
in the catalogue (``defaults/data/indicator_ranges.csv``, stored with the indicator).

A rule answers with ``(field, reason)`` pairs; an empty list means the object may be written.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date

from lantu.domain.errors import ValidationError
from lantu.domain.indicators import Indicator
from lantu.domain.links import url_problem
from lantu.domain.observations import Observation
from lantu.domain.plans import Plan
from lantu.domain.targets import Target

#: target kinds whose values are levels of the indicator itself (the range applies)
LEVEL_KINDS = ("level", "ceiling", "floor")

Problems = list[tuple[str, str]]


def observation_problems(obs: Observation, ind: Indicator | None, today: date) -> Problems:
    """What is wrong with writing ``obs`` (``ind`` is its catalogue entry, None if unknown)."""
    if ind is None:
        return [("indicator", f"unknown indicator {obs.indicator_code!r}")]
    out: Problems = []
    if ind.is_derived:
        out.append(("indicator", f"{ind.code} is derived ({ind.formula.expression if ind.formula else ''}) and "
                                 "computed on demand; write its inputs instead"))
    if obs.unit and obs.unit != ind.unit:
        out.append(("unit", f"{ind.code} is measured in {ind.unit or 'plain numbers'!s}, "
                            f"not {obs.unit!r}"))
    if reason := ind.admissible(obs.value):
        out.append(("value", reason))
    if obs.period.start > today:
        out.append(("period", f"period {obs.period} is in the future"))
    if reason := url_problem(obs.source.url):
        out.append(("source_url", reason))
    return out


def target_problems(t: Target, ind: Indicator | None) -> Problems:
    """What is wrong with writing target ``t``: its values must be admissible figures of the
    indicator when they are levels (``level``, ``ceiling``, ``floor``)."""
    if ind is None:
        return [("indicator", f"unknown indicator {t.indicator_code!r}")]
    out: Problems = []
    if t.kind in LEVEL_KINDS:
        for name in ("value", "value_high"):
            v = getattr(t, name)
            if v is not None and (reason := ind.admissible(v)):
                out.append((name, reason))
    if t.base_value is not None and (reason := ind.admissible(t.base_value)):
        out.append(("base_value", reason))
    if reason := url_problem(t.source.url):
        out.append(("source_url", reason))
    return out


def plan_problems(plan: Plan, *, departments: set[str] | None = None,
                  indicators: set[str] | None = None) -> list[tuple[str, str, str]]:
    """What is wrong with writing ``plan``: ``(plan, field, reason)`` for its link, its
    departments and indicators (a node's own rules, such as dates in order, hold when it is
    built: :class:`~lantu.domain.plans.PlanNode`)."""
    out: list[tuple[str, str, str]] = []
    if reason := url_problem(plan.source_url):
        out.append((plan.code, "source_url", reason))
    try:
        plan.validate(departments=departments, indicators=indicators)
    except ValidationError as exc:
        out.append((plan.code, exc.field or "", str(exc).split(": ", 1)[-1]))
    return out


class GateRefused(ValidationError):
    """Objects the gate refused: ``problems`` holds ``(key, field, reason)`` for each."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first[0]}: {first[2]}{more}", field=first[1])


def check_plan(plan: Plan, *, departments: set[str] | None = None,
               indicators: set[str] | None = None) -> None:
    """Raise :class:`GateRefused` when ``plan`` may not be written (:func:`plan_problems`)."""
    if bad := plan_problems(plan, departments=departments, indicators=indicators):
        raise GateRefused(bad)


def region_problems(code: str, regions: Collection[str] | None) -> Problems:
    """A region must be one the store holds or can take in: a division of the embedded
    GB/T 2260 list or a user-defined region (``regions``: those codes; None: not checked)."""
    if regions is None or code in regions:
        return []
    return [("region_code", f"unknown region {code!r}: not a GB/T 2260 division "
                            "(defaults/data/gbt2260.csv) nor a region of the database")]


def check(observations: Iterable[Observation] = (), targets: Iterable[Target] = (), *,
          indicators: Mapping[str, Indicator], today: date | None = None,
          regions: Collection[str] | None = None) -> None:
    """Raise :class:`GateRefused` naming every object that may not be written (``regions``:
    the admissible region codes, see :func:`region_problems`)."""
    today = today or date.today()
    bad: list[tuple[str, str, str]] = []
    for o in observations:
        bad += [("/".join(o.key), f, r)
                for f, r in region_problems(o.region_code, regions)
                + observation_problems(o, indicators.get(o.indicator_code), today)]
    for t in targets:
        key = f"{t.region_code}/{t.target_period}/{t.indicator_code}"
        bad += [(key, f, r) for f, r in region_problems(t.region_code, regions)
                + target_problems(t, indicators.get(t.indicator_code))]
    if bad:
        raise GateRefused(bad)
