"""Target status of an indicator for the dashboard, from :mod:`lantu.analysis.targets`.

The analysis evaluates one target against one series; this module picks, for an indicator of a
region with several targets, the one to show on a card (see :func:`evaluate_indicator`) and
turns results into badges (colour, arrow, label) in the page's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lantu.analysis.targets import ARROWS, COLOURS, NODE_COLOURS
from lantu.evaluation import status_label
from lantu.evaluation.maps import HEX  # colour names of the analysis → the fills views paint
from lantu.evaluation.verdict import TargetInForce
from lantu.web.dashboard.common import unit_label

__all__ = ["STATUS_ORDER", "evaluate_row", "status_badge", "status_label"]

#: Statuses from worst to best; those that say nothing about progress last.
STATUS_ORDER = ("missed", "deteriorating", "stagnating", "moderately_improving", "on_track",
                "achieved", "pending", "no_data")


def _year(p: Any) -> int | None:
    text = str(p or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


def yearly(series: Sequence[tuple[str, float]]) -> dict[int, float]:
    """``{year: value}`` of the yearly periods of a series."""
    return {y: v for p, v in series if (y := _year(p)) is not None}


def describe_target(row: dict[str, Any], lang: str, *, over_years: bool = False) -> str:
    """The target as a person writes it: ``7%（力争）``, ``about 7%``, ``≤ 40``; a growth held over
    a plan's years (``over_years``: a multi-year ``annual_growth``, "年均增长8%") as an average,
    not one year's growth."""
    v = f"{row['value']:g}"
    if row.get("value_high") is not None:
        v += f"–{row['value_high']:g}"
    unit = unit_label(row.get("unit") or "", lang)
    q = row.get("qualifier") or ""
    kind = row["kind"]
    if lang == "zh":
        prefix = {"cumulative_change": "累计", "ceiling": "≤", "floor": "≥"}.get(kind, "")
        growth = ("年均增长" if over_years else "增长") if kind == "annual_growth" else ""
        return f"{row['target_period']}年{growth}{prefix}{v}{unit}{q}"
    q_en = {"左右": "about ", "以上": "at least ", "以内": "at most ", "力争": "strive for "}.get(q, "")
    prefix = {"cumulative_change": "cumulative ", "ceiling": "≤ ", "floor": "≥ ",
              "annual_growth": "average growth " if over_years else "growth "}.get(kind, "")
    sep = "" if unit in ("", "%") else " "
    return f"{row['target_period']}: {prefix}{q_en}{v}{sep}{unit}".strip()


def evaluate_row(row: dict[str, Any], t: TargetInForce, lang: str) -> dict[str, Any]:
    """One target row with its judgement (:func:`lantu.evaluation.verdict.region_targets`: the
    verdict's own rule, as of the evaluated year) as a view shows it — so the targets page, the
    API and the verdict never judge a target two ways."""
    colour = COLOURS[t.status]
    return {"status": t.status, "colour": colour, "arrow": ARROWS[t.status],
            "met": None if t.status in ("pending", "no_data") else t.status in (
                "achieved", "on_track"),
            # the figure judged and its years, as the verdict read it: one year's figure, or an
            # average growth / a change over a plan's years (``since``–``year``)
            "year": t.current_year, "since": t.since, "measured": t.measured(lang),
            "current": t.current, "gap": t.gap,
            "explanation": t.reason_zh if lang == "zh" else t.reason_en,
            "target_text": describe_target(row, lang, over_years=t.horizon != "yearly"),
            "target_period": row["target_period"],
            "target_id": row.get("id"), "label": status_label(t.status, lang)}


def status_badge(key: str, lang: str) -> dict[str, str]:
    """A badge for a target status (``missed`` …) or a node status (``major_challenges`` …)."""
    if key in COLOURS:
        colour = COLOURS[key]
        return {"key": key, "colour": colour, "hex": HEX[colour], "arrow": ARROWS[key],
                "label": status_label(key, lang)}
    colour = NODE_COLOURS.get(key, "grey")
    return {"key": key, "colour": colour, "hex": HEX[colour], "arrow": "",
            "label": status_label(key, lang)}
