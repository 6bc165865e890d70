"""The reason a target's status gives, in words, zh and en side by side: how its figures are
written (:class:`_Units`) and the clauses of the target, its base, its figure and its pace
(moved out of :mod:`lantu.analysis.target_status`, which asks them)."""

from __future__ import annotations

from dataclasses import dataclass

from lantu.analysis.target_spec import (
    _PERCENT_UNITS,
    STATUS_EN,
    STATUS_ZH,
    TargetSpec,
    _fmt,
    unit_en,
)


def _is_percent(spec: TargetSpec) -> bool:
    return spec.kind == "annual_growth" or (spec.unit or "").strip() in _PERCENT_UNITS



# -- the reason in words ----------------------------------------------------------------------

_QUALIFIER_EN = {"左右": "about", "以上": "at least", "以内": "at most", "力争": "stretch",
                 "突破": "more than"}


@dataclass(frozen=True)
class _Units:
    """How the figures of a target are written: after a value (``6.5%``, ``120亿元``), after a
    gap (``个百分点`` for percentages) and after a yearly change; zh and en each."""

    percent: bool
    value_zh: str
    value_en: str
    gap_zh: str
    gap_en: str
    per_year_zh: str
    per_year_en: str

    @classmethod
    def of(cls, spec: TargetSpec) -> _Units:
        pct = _is_percent(spec)
        unit = "" if pct else (spec.unit or "")
        u_en = f" {unit_en(unit)}" if unit else ""
        if pct:
            return cls(True, "%", "%", "个百分点", " points", "", "")
        return cls(False, unit, u_en, unit, u_en, unit, u_en)


class _Reason:
    """The clauses of an explanation, zh and en side by side."""

    def __init__(self) -> None:
        self.zh: list[str] = []
        self.en: list[str] = []

    def add(self, zh: str, en: str) -> None:
        self.zh.append(zh)
        self.en.append(en)

    def close(self, status: str) -> tuple[str, str]:
        """The clauses joined and the status word closing them: ``(zh, en)``."""
        return ("，".join(self.zh) + f"：{STATUS_ZH[status]}。",
                "; ".join(self.en) + f": {STATUS_EN[status]}.")


def _say_target(reason: _Reason, spec: TargetSpec, u: _Units) -> None:
    """``2025年目标8–8.5%左右`` / ``target 8–8.5% (about) for 2025``."""
    span = f"{_fmt(spec.value)}" + (
        f"–{_fmt(spec.value_high)}" if spec.value_high is not None else ""
    )
    q_en = f" ({_QUALIFIER_EN[spec.qualifier]})" if spec.qualifier else ""
    reason.add(f"{spec.target_period}年目标{span}{u.value_zh}{spec.qualifier or ''}",
               f"target {span}{u.value_en}{q_en} for {spec.target_period}")


def _say_base(
    reason: _Reason, spec: TargetSpec, u: _Units, *, base_year: int,
    points: tuple[tuple[int, float], ...],
) -> None:
    """The base year's figure, when it is among the points used (not for growth rates)."""
    x_b = dict(points).get(base_year)
    if x_b is not None and spec.kind != "annual_growth":
        reason.add(f"基期{base_year}年{_fmt(x_b)}{u.value_zh}",
                   f"base {base_year}: {_fmt(x_b)}{u.value_en}")


def _say_current(
    reason: _Reason, spec: TargetSpec, u: _Units, *, year: int, current: float, gap: float,
    met: bool | None, since: int | None = None,
) -> None:
    """The figure judged and how far it is from the goal (short of it, above or below it); a
    growth averaged over a plan's years (``since``–``year``) says so, not "``year``'s actual"."""
    cur_zh, cur_en = f"{_fmt(current)}{u.value_zh}", f"{_fmt(current)}{u.value_en}"
    if spec.kind == "cumulative_change":
        reason.add(f"截至{year}年累计{cur_zh}", f"change by {year} {cur_en}")
    elif spec.kind == "annual_growth" and since is not None:
        span = f"{since}–{year}" if since < year else str(year)
        reason.add(f"{span}年年均{cur_zh}", f"{span} average {cur_en}")
    else:
        reason.add(f"{year}年实际{cur_zh}", f"{year} actual {cur_en}")
    if not met:
        reason.add(f"差{_fmt(abs(gap))}{u.gap_zh}", f"short by {_fmt(abs(gap))}{u.gap_en}")
    elif gap != 0:
        word_zh, word_en = ("超出", "above") if gap > 0 else ("低于", "below")
        reason.add(f"{word_zh}{_fmt(abs(gap))}{u.gap_zh}", f"{_fmt(abs(gap))}{u.gap_en} {word_en}")


def _say_pace(reason: _Reason, u: _Units, *, required: float, observed: float | None,
              ratio: float) -> None:
    per_zh, per_en = u.per_year_zh, u.per_year_en
    reason.add(
        f"需年均推进{_fmt(required)}{per_zh}，实际年均{_fmt(observed)}{per_zh}（{ratio:.0%}）",
        f"required {_fmt(required)}{per_en} a year, observed {_fmt(observed)}{per_en}"
        f" ({ratio:.0%})",
    )
