"""Primacy (首位度) of a city within its province, computed once for every view (the comparison
page, the monitoring report, the verdict's P0.8): per year up to the evaluated one, by GDP and by
population, the city's share of the province and the primacy indices S2, S4 and S11 of
:mod:`lantu.analysis.primacy`.

A primacy index compares the largest cities of the WHOLE province, so it is given only for a year
in which every city of the province has a value (else ``None``, with the number of cities that
have one); the share needs only the city's and the province's own figures.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from lantu.analysis.primacy import PRIMACY_INDICES, primacy_index, primacy_share
from lantu.cache import ViewCache
from lantu.domain import ValidationError
from lantu.domain.observations import bound_of, quotient_bound
from lantu.evaluation.quality import weakest
from lantu.store import queries

INDICATORS = ("gdp", "population")


#: Every year's primacy of a region, per state of the data: each year's view is a slice of it.
_CACHE = ViewCache(size=64)


def compute(session: Session, *, region: str, year: int | None = None) -> dict[str, Any]:
    """Primacy of ``region`` in its province for every year up to ``year`` (default: all).

    Returns
    -------
    dict
        ``region``, ``name``, ``name_en``, ``province``, ``n_cities`` (cities of the province),
        ``year``, ``by`` (indicator → rows ``period, capital_value, capital_bound,
        province_value, province_bound, share, share_bound, S2, S4, S11, n_cities, complete``; a share of a
        figure given only as a bound is that bound, ``share_bound``, or None when the bounds
        leave it open; an index is None when a city's figure is only a bound), ``current`` (indicator → the row of ``year``, or of the
        latest year before it, or ``None``) and ``units`` (indicator → unit).
    """
    full = _CACHE.get_or_build(("primacy", queries.data_version(session), region),
                               lambda: _compute(session, region))
    out = {**full, "year": year, "by": {}, "current": {}}
    for ind, rows in full["by"].items():
        kept = [r for r in rows if year is None or int(r["period"]) <= year]
        out["by"][ind] = kept
        out["current"][ind] = kept[-1] if kept else None
    return out


def _compute(session: Session, region: str) -> dict[str, Any]:
    """Every year's primacy of ``region`` (what :func:`compute` slices)."""
    year = None
    regs = queries.region_names(session)
    if region not in regs:
        raise ValidationError(f"unknown region {region!r}", field="region")
    province = regs[region].get("parent")
    if not province or regs.get(province, {}).get("level") != "province":
        raise ValidationError(f"region {region} is not a city of a province", field="region")
    cities = [c for c, r in regs.items() if r.get("parent") == province and r.get("level") == "city"]
    long = queries.panel(session, list(INDICATORS), [*cities, province])
    long = long[long["period"].astype(str).str.fullmatch(r"\d{4}")]
    meta = queries.indicator_meta(session)
    out: dict[str, Any] = {"region": region, "name": regs[region]["zh"],
                           "name_en": regs[region]["en"], "province": province,
                           "province_name": regs[province]["zh"], "n_cities": len(cities),
                           "year": year, "by": {}, "current": {},
                           "units": {i: meta.get(i, {}).get("unit", "") for i in INDICATORS}}
    for ind in INDICATORS:
        sub = long[long["indicator"] == ind]
        wide = sub.pivot_table(index="period", columns="region_code", values="value",
                               aggfunc="first")
        quality = {(r.period, r.region_code): r.source_quality for r in sub.itertuples()}
        # figures the source gives only as a bound ("迈上5000亿元台阶"): never used as the value
        bound = {(r.period, r.region_code): bound_of(r.flags) for r in sub.itertuples()}
        rows = []
        for period in sorted(wide.index):
            if year is not None and int(period) > year:
                continue
            row = wide.loc[period]
            vals = row.drop(labels=[province], errors="ignore").dropna()
            if region not in vals.index:
                continue
            total = row.get(province)
            complete = len(vals) == len(cities)
            entry: dict[str, Any] = {
                "period": period, "capital_value": float(vals[region]),
                "province_value": None if total is None or pd.isna(total) else float(total),
                "share": None, "n_cities": int(len(vals)), "complete": complete,
                # the city's figure's source, and the share's: as good as its weaker figure
                "quality": quality.get((period, region)),
                "share_quality": weakest(quality.get((period, region)),
                                         quality.get((period, province)))}
            # the share of a bound is a bound, or open when the two bounds pull apart
            share_is = quotient_bound(bound.get((period, region)), bound.get((period, province)))
            entry["capital_bound"] = bound.get((period, region))
            entry["province_bound"] = bound.get((period, province))
            entry["share_bound"] = None if share_is == "exact" else share_is
            if entry["province_value"] and share_is is not None:
                entry["share"] = round(100 * primacy_share(vals.to_dict(),
                                                           entry["province_value"], unit=region), 2)
            # an index compares the cities' figures themselves: none of them may be a bound
            exact = not any(bound.get((period, c)) for c in vals.index)
            for idx, (need, _) in PRIMACY_INDICES.items():
                entry[idx] = (round(primacy_index(vals.to_dict(), idx), 3)  # type: ignore[arg-type]
                              if complete and exact and len(vals) >= need else None)
            rows.append(entry)
        out["by"][ind] = rows
        out["current"][ind] = rows[-1] if rows else None
    return out
