"""The yearly figures of a derived indicator (a formula of others: 第三产业增加值占比 = va_tertiary /
gdp × 100) as the verdict reads a stored figure.

The value is the one rule of derived values (:func:`lantu.store.repo.indicator_values`: computed
where every input has a figure of the year, a bound as the formula turns it); the record is marked
``derived`` and is as good as the weakest of the figures it is computed from
(:func:`lantu.evaluation.quality.weakest`). Before verdict15 the verdict read stored figures only:
Taiyuan's 十一五 goal 第三产业增加值占地区生产总值比重达到52% was "no figure of any year" (无数据)
beside the 2008 figures of both inputs (48.1 %).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from lantu.domain import Indicator
from lantu.evaluation.quality import weakest
from lantu.store import repo
from lantu.store.models import IndicatorRow


def derived_records(session: Session, region: str, code: str) -> dict[str, dict[int, dict[str, Any]]]:
    """``{code: {year: record}}`` of ``region``'s derived figures of ``code`` (empty when the
    indicator has no formula or no year has every input)."""
    row = session.get(IndicatorRow, code)
    if row is None or not row.formula:
        return {}
    values = repo.indicator_values(session, code, regions=[region])
    values = values[values["period"].astype(str).str.fullmatch(r"\d{4}")]
    if values.empty:
        return {}
    inputs = list(Indicator(code=row.code, name_zh=row.name_zh, formula=row.formula).formula.inputs)
    parts = repo.observations_frame(session, regions=[region], indicators=inputs)
    quality: pd.Series = parts.groupby(parts["period"].astype(str))["source_quality"].agg(
        lambda qs: weakest(*qs))
    return {code: {int(r.period): {
        "value": float(r.value), "unit": row.unit or "",
        "flags": ";".join(sorted({f for f in str(r.flags or "").split(";") if f} | {"derived"})),
        "source_url": "", "excerpt": "", "source_quality": quality.get(str(r.period)),
    } for r in values.itertuples()}}
