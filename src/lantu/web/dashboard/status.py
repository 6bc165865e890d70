"""Target status of an indicator for the dashboard, from :mod:`lantu.analysis.targets`.

The analysis evaluates one target against one series; this module picks, for an indicator of a
region with several targets, the one to show on a card (see :func:`evaluate_indicator`) and
turns results into badges (colour, arrow, label) in the page's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from lantu.analysis.targets import (
    ARROWS,
    COLOURS,
    STATUS_EN,
    STATUS_ZH,
    TargetSpec,
    evaluate_target,
    goal_colour,
)
from lantu.web.dashboard.common import unit_label

#: Statuses from worst to best; ``insufficient_data`` last (it says nothing about progress).
STATUS_ORDER = ("deteriorating", "stagnating", "moderately_improving", "on_track", "achieved",
                "insufficient_data")
#: Colour names of the analysis → hex for the charts.
HEX = {"green": "#2e7d32", "yellow": "#e0a800", "orange": "#ef6c00", "red": "#c62828",
       "grey": "#9aa5b1"}
COLOUR_LABEL = {
    "zh": {"green": "良好", "yellow": "有挑战", "orange": "较大挑战", "red": "严重挑战",
           "grey": "无法评估"},
    "en": {"green": "on track", "yellow": "challenges remain", "orange": "significant challenges",
           "red": "major challenges", "grey": "not assessable"},
}
#: Indicators whose yearly figures are flows: a cumulative target sums them (e.g. new jobs).
FLOW_INDICATORS = frozenset({"new_urban_jobs", "new_high_tech_enterprises", "new_parking_spaces",
                             "old_communities_renovated", "new_rd_institutions"})


def _year(p: Any) -> int | None:
    text = str(p or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


def target_spec(row: dict[str, Any]) -> TargetSpec:
    """A target row of :func:`lantu.store.queries.target_rows` as the analysis reads it."""
    return TargetSpec(
        region_code=row["region_code"], indicator_code=row["indicator"],
        base_period=_year(row.get("base_period")), base_value=row.get("base_value"),
        target_period=_year(row["target_period"]), kind=row["kind"], value=row["value"],
        value_high=row.get("value_high"), qualifier=row.get("qualifier") or None,
        binding=bool(row.get("binding")), unit=row.get("unit") or None,
        plan=row.get("plan") or None)


def yearly(series: Sequence[tuple[str, float]]) -> dict[int, float]:
    """``{year: value}`` of the yearly periods of a series."""
    return {y: v for p, v in series if (y := _year(p)) is not None}


def describe_target(row: dict[str, Any], lang: str) -> str:
    """The target as a person writes it: ``7%（力争）``, ``about 7%``, ``≤ 40``."""
    v = f"{row['value']:g}"
    if row.get("value_high") is not None:
        v += f"–{row['value_high']:g}"
    unit = unit_label(row.get("unit") or "", lang)
    q = row.get("qualifier") or ""
    kind = row["kind"]
    if lang == "zh":
        prefix = {"cumulative_change": "累计", "ceiling": "≤", "floor": "≥"}.get(kind, "")
        growth = "增长" if kind == "annual_growth" else ""
        return f"{row['target_period']}年{growth}{prefix}{v}{unit}{q}"
    q_en = {"左右": "about ", "以上": "at least ", "以内": "at most ", "力争": "strive for "}.get(q, "")
    prefix = {"cumulative_change": "cumulative ", "ceiling": "≤ ", "floor": "≥ ",
              "annual_growth": "growth "}.get(kind, "")
    sep = "" if unit in ("", "%") else " "
    return f"{row['target_period']}: {prefix}{q_en}{v}{sep}{unit}".strip()


def evaluate_row(row: dict[str, Any], series: Sequence[tuple[str, float]], direction: int,
                 lang: str) -> dict[str, Any]:
    """Evaluate one target row against a series; a target the analysis refuses becomes
    ``insufficient_data`` with the reason as explanation (never a crash of the page)."""
    try:
        res = evaluate_target(target_spec(row), yearly(series), direction if direction in (-1, 0, 1) else 1,
                              accumulate=(row["kind"] == "cumulative_change"
                                          and row["indicator"] in FLOW_INDICATORS))
    except ValueError as exc:
        return {"status": "insufficient_data", "colour": "grey", "arrow": ARROWS["insufficient_data"],
                "met": None, "year": None, "current": None, "gap": None,
                "explanation": str(exc), "target_text": describe_target(row, lang),
                "target_period": row["target_period"], "target_id": row.get("id"),
                "label": status_label("insufficient_data", lang)}
    return {"status": res.status, "colour": res.colour, "arrow": res.arrow, "met": res.met,
            "year": res.year, "current": res.current, "gap": res.gap,
            "ratio": res.ratio, "tolerance": res.tolerance,
            "explanation": res.explanation_zh if lang == "zh" else res.explanation_en,
            "target_text": describe_target(row, lang), "target_period": row["target_period"],
            "target_id": row.get("id"), "label": status_label(res.status, lang)}


def status_label(status: str, lang: str) -> str:
    return (STATUS_ZH if lang == "zh" else STATUS_EN).get(status, status)


def evaluate_indicator(series: Sequence[tuple[str, float]], targets: Sequence[dict[str, Any]], *,
                       direction: int = 1, today: date | None = None,
                       lang: str = "zh") -> dict[str, Any]:
    """The status to show for one indicator of a region with zero or more targets.

    Every target is evaluated; the one shown is, among those that could be assessed, the one
    whose target year is closest to the latest figure (a later one on a tie) — this year's
    yearly target, or the plan target the city is heading for. Without an assessable target the
    status is ``insufficient_data`` (grey). ``evaluations`` keeps all of them.
    """
    if not targets:
        return {"status": "insufficient_data", "colour": "grey", "arrow": "·",
                "label": status_label("insufficient_data", lang), "target_text": "",
                "explanation": "", "evaluations": [], "has_target": False}
    evs = [evaluate_row(t, series, direction, lang) for t in targets]
    latest = max(yearly(series), default=(today or date.today()).year)
    rated = [e for e in evs if e["status"] != "insufficient_data"]
    pool = rated or evs
    best = min(pool, key=lambda e: (abs(int(e["target_period"][:4]) - latest),
                                    -int(e["target_period"][:4])))
    return {**best, "evaluations": evs, "has_target": True}


def node_colour(statuses: Sequence[str]) -> str:
    """Colour of a goal or task from its indicators' statuses (SDG dashboards: the two worst,
    see :func:`lantu.analysis.targets.goal_colour`)."""
    return goal_colour([COLOURS.get(s, "grey") for s in statuses])


def status_badge(key: str, lang: str) -> dict[str, str]:
    """A badge for a status (``on_track`` …) or a colour (``green`` …)."""
    if key in COLOURS:
        colour = COLOURS[key]
        return {"key": key, "colour": colour, "hex": HEX[colour], "arrow": ARROWS[key],
                "label": status_label(key, lang)}
    return {"key": key, "colour": key, "hex": HEX.get(key, HEX["grey"]), "arrow": "",
            "label": COLOUR_LABEL[lang].get(key, key)}
