"""Comparison and index (比较与指数): a composite index of the central Shanxi cities built with
:mod:`lantu.engine` from the store's data, its rank intervals from the uncertainty analysis,
the coupling coordination of each city's pillars (:mod:`lantu.analysis.coupling`) and the
primacy of Taiyuan (:mod:`lantu.analysis.primacy`).

The framework is small on purpose: only indicators that the default data has for most of the
peer group. A city-year without a value takes the city's latest earlier value (at most
:data:`MAX_LAG` years back, flagged with its year); what is still missing is imputed by the
engine (flagged ``imputed``); a city with too little data is screened out (and listed).

Results are cached per data version (:func:`lantu.store.queries.data_version`), so the page is
computed once per change of the data, not per request.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from lantu.analysis.coupling import coupling_coordination
from lantu.analysis.primacy import primacy_index, primacy_share
from lantu.defaults.peer_index import (  # the framework is part of the embedded default
    FRAMEWORK,
    N_UA,
    PEER_GROUP,
    PILLARS,
    PROVINCE,
    UA_ALTERNATIVES,
    UA_SEED,
    cross_section,
    pick_year,
)
from lantu.defaults.peer_index import index_data as _index_data
from lantu.defaults.peer_index import inputs as _inputs
from lantu.defaults.peer_index import nominal_spec as _spec
from lantu.domain import ValidationError
from lantu.engine import EngineError, IndexData, Spec, build
from lantu.engine.uncertainty import UASpec, run_ua
from lantu.engine.uncertainty_model import CoinModel
from lantu.store import queries
from lantu.web.dashboard.common import ViewCache, fmt_number, name, unit_label

CHART_LABELS = {
    "zh": {"nominal": "名义排名", "interval": "排名区间（5%–95%）", "median": "中位排名",
           "rank": "排名", "score": "得分（0–100）", "share_gdp": "地区生产总值占全省比重", "share_population": "常住人口占全省比重"},
    "en": {"nominal": "nominal rank", "interval": "rank interval (5–95 %)", "median": "median rank",
           "rank": "rank", "score": "score (0–100)", "share_gdp": "share of the province's GRP",
           "share_population": "share of the province's population"},
}

# -- the page -----------------------------------------------------------------------------------


CACHE = ViewCache()


def build_compare(session: Session, *, lang: str = "zh", year: int | None = None,
                  n_ua: int = N_UA) -> dict[str, Any]:
    """The comparison page as one dictionary (cached per data version, language and year).

    Returns
    -------
    dict with ``index`` (framework, spec, results with rank intervals, screened units, imputed
    cells, chart), ``coupling`` (C, T, D and grade per city) and ``primacy`` (shares and indices
    of Taiyuan by GDP and population per year).
    """
    version = queries.data_version(session)
    key = (version, lang, year, n_ua)
    return CACHE.get_or_build(key, lambda: _compute(session, lang, year, n_ua, version))


def _compute(session: Session, lang: str, year: int | None, n_ua: int, version: str) -> dict[str, Any]:
    regs = queries.region_names(session)
    units = queries.group_members(session, PEER_GROUP) or []
    long = queries.panel(session, _inputs(), units)
    years = sorted({int(p) for p in long["period"] if str(p).isdigit()})
    if year is None:
        year = pick_year(long, units)
    elif year not in years:
        raise ValidationError(f"no data of the peer group for {year}; years with data: "
                              f"{', '.join(map(str, years)) or 'none'}", field="year")
    names = {u: name(regs.get(u), lang, u) for u in units}
    try:
        index = _index_section(long, units, names, year, lang, n_ua)
    except (EngineError, ValueError) as exc:
        # ValueError: the engine's normalisation on a data set every unit was screened out of
        raise ValidationError(f"the index cannot be built for {year} (too little data of the "
                              f"peer group): {exc}", field="year") from exc
    coupling = _coupling_section(index)
    primacy = _primacy_section(session, units, names, lang)
    buildable = [y for y in years if y == year or _buildable(long, units, y)]
    return {"data_version": version, "year": year, "group": PEER_GROUP, "index": index,
            "coupling": coupling, "primacy": primacy,
            "years": buildable}


def _buildable(long: pd.DataFrame, units: list[str], year: int) -> bool:
    """Whether the nominal index can be built for ``year`` (offered in the year picker)."""
    vals, _, _ = cross_section(long, units, year)
    try:
        coin = build(_index_data(vals, dict(zip(units, units)), "en"), _spec())
    except (EngineError, ValueError):
        return False
    return int(pd.notna(coin.results()["Rank"]).sum()) >= 2


def _index_section(long: pd.DataFrame, units: list[str], names: dict[str, str], year: int,
                   lang: str, n_ua: int) -> dict[str, Any]:
    vals, yrs, flg = cross_section(long, units, year)
    data = _index_data(vals, names, lang)
    spec = _spec()
    coin = build(data, spec)
    res = coin.results(all_levels=True)
    screened = coin.report("screen")
    imputed = coin.report("impute")
    dropped = [str(d["uCode"]) for d in screened.get("dropped", [])]
    reasons = {str(d["uCode"]): str(d["Reason"]) for d in screened.get("dropped", [])}
    raw_inputs = []
    for u in units:
        cells = []
        for c in _inputs():
            v = vals.loc[u, c]
            y = yrs.loc[u, c]
            cells.append({"indicator": c, "value": None if pd.isna(v) else float(v),
                          "text": fmt_number(None if pd.isna(v) else float(v)),
                          "year": None if pd.isna(y) else int(y),
                          "lagged": (not pd.isna(y)) and int(y) != year,
                          "flags": [f for f in str(flg.loc[u, c]).split(";") if f]})
        raw_inputs.append({"code": u, "name": names[u], "dropped": u in dropped, "cells": cells})
    imputed_cells = _imputed_cells(imputed, names)
    ua, n_failed = _rank_intervals(data, spec, n_ua)
    results = []
    for r in res.itertuples(index=False):
        u = str(r.uCode)
        row = {"code": u, "name": names.get(u, u),
               "index": None if pd.isna(r.Index) else round(float(r.Index), 2),
               "rank": None if pd.isna(r.Rank) else int(r.Rank),
               "pillars": {p: (None if pd.isna(getattr(r, p)) else round(float(getattr(r, p)), 2))
                           for p in PILLARS},
               "imputed": [c["indicator"] for c in imputed_cells if c["unit"] == u]}
        row.update(ua.get(u, {}))
        results.append(row)
    framework = [{"code": code, "parent": parent, "input": src, "denominator": den, "scale": sc,
                  "name": zh if lang == "zh" else en}
                 for code, parent, src, den, sc, zh, en in FRAMEWORK]
    ranked = [r for r in results if r["rank"] is not None]
    chart = {"kind": "rank_interval", "categories": [r["name"] for r in ranked],
             "nominal": [r["rank"] for r in ranked],
             "q5": [r.get("q5") for r in ranked], "q95": [r.get("q95") for r in ranked],
             "median": [r.get("median") for r in ranked], "n_units": len(ranked),
             "labels": CHART_LABELS[lang]}
    pillar_names = {code: (zh if lang == "zh" else en)
                    for code, _, _, _, _, zh, en in FRAMEWORK if code in PILLARS}
    bars = {"kind": "bar", "unit": CHART_LABELS[lang]["score"],
            "categories": [r["name"] for r in ranked],
            "series": [{"name": pillar_names[p], "data": [r["pillars"][p] for r in ranked]}
                       for p in PILLARS]}
    return {"year": year, "framework": framework, "spec": spec.to_dict(),
            "inputs": _inputs(), "raw": raw_inputs, "results": results,
            "dropped": [{"code": u, "name": names.get(u, u), "reason": reasons[u]}
                        for u in dropped],
            "imputed": imputed_cells, "ua": {"n": n_ua, "seed": UA_SEED, "failed": n_failed,
                                             "alternatives": UA_ALTERNATIVES},
            "chart": chart, "pillar_chart": bars,
            "pillar_names": pillar_names,
            "names": {code: (zh if lang == "zh" else en) for code, _, _, _, _, zh, en in FRAMEWORK}}


def _imputed_cells(report: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    return [{"unit": str(c["uCode"]), "name": names.get(str(c["uCode"]), str(c["uCode"])),
             "indicator": str(c["iCode"]), "value": float(c["value"]),
             "text": fmt_number(round(float(c["value"]), 2))}
            for c in report.get("cells", [])]


def ua_spec() -> UASpec:
    """The uncertainty set-up: every alternative of :data:`UA_ALTERNATIVES` and the pillar
    weights perturbed by ±25 %."""
    inputs: list[dict[str, Any]] = [
        {"name": step.capitalize(), "target": step, "values": alts}
        for step, alts in UA_ALTERNATIVES.items()]
    inputs.append({"name": "Weights", "weights": {"n": 50, "noise": 0.25, "levels": [2],
                                                  "seed": UA_SEED}})
    return UASpec.from_dict({"description": "central Shanxi index", "inputs": inputs})


def _rank_intervals(data: IndexData, spec: Spec, n: int) -> tuple[dict[str, dict[str, Any]], int]:
    """Rank statistics of the uncertainty analysis (:func:`lantu.engine.uncertainty.run_ua`
    on :class:`~lantu.engine.uncertainty_model.CoinModel`): per unit the 5 %, 50 % and 95 %
    quantiles and the mean of the rank over ``n`` replications; and the number of
    replications that failed (e.g. a geometric mean of negative z-scores)."""
    if n < 1:
        return {}, 0
    res = run_ua(CoinModel(data, spec), ua_spec(), n, seed=UA_SEED)
    out: dict[str, dict[str, Any]] = {}
    for r in res.rank_stats.itertuples(index=False):
        if pd.isna(r.Q5):
            continue
        out[str(r.uCode)] = {"q5": round(float(r.Q5), 2), "q95": round(float(r.Q95), 2),
                             "median": round(float(r.Median), 2), "mean": round(float(r.Mean), 2)}
    return out, res.n_failed


# -- coupling and primacy -----------------------------------------------------------------------


def _coupling_section(index: dict[str, Any]) -> dict[str, Any]:
    rows = [r for r in index["results"] if all(r["pillars"][p] is not None for p in PILLARS)]
    if not rows:
        return {"rows": [], "pillars": list(PILLARS)}
    U = pd.DataFrame([[r["pillars"][p] / 100.0 for p in PILLARS] for r in rows],
                     index=[r["code"] for r in rows], columns=list(PILLARS))
    res = coupling_coordination(U)
    out = []
    for r in rows:
        c = res.loc[r["code"]]
        out.append({"code": r["code"], "name": r["name"],
                    "U": {p: round(float(U.loc[r["code"], p]), 4) for p in PILLARS},
                    "C": round(float(c["C"]), 4), "T": round(float(c["T"]), 4),
                    "D": round(float(c["D"]), 4), "grade": int(c["grade"]),
                    "grade_zh": str(c["grade_zh"]), "grade_en": str(c["grade_en"])})
    out.sort(key=lambda r: -r["D"])
    return {"rows": out, "pillars": list(PILLARS), "method": "corrected"}


def _primacy_section(session: Session, units: list[str], names: dict[str, str],
                     lang: str) -> dict[str, Any]:
    long = queries.panel(session, ["gdp", "population"], [*units, PROVINCE])
    long = long[long["period"].str.fullmatch(r"\d{4}")]
    capital = units[0] if units else None
    meta = queries.indicator_meta(session)
    out: dict[str, Any] = {"capital": capital, "capital_name": names.get(capital, capital),
                           "by": {}, "units": {ind: unit_label(meta.get(ind, {}).get("unit"), lang)
                                               for ind in ("gdp", "population")}}
    for ind in ("gdp", "population"):
        sub = long[long["indicator"] == ind]
        wide = sub.pivot_table(index="period", columns="region_code", values="value",
                               aggfunc="first")
        rows = []
        for period in sorted(wide.index):
            row = wide.loc[period]
            cities = row.drop(labels=[PROVINCE], errors="ignore").dropna()
            entry: dict[str, Any] = {"period": period, "n_cities": int(len(cities)),
                                     "capital_value": None, "share": None, "S2": None, "S4": None}
            if capital in cities.index:
                entry["capital_value"] = float(cities[capital])
                if PROVINCE in row.index and not pd.isna(row[PROVINCE]):
                    entry["province_value"] = float(row[PROVINCE])
                    entry["share"] = round(100 * primacy_share(cities.to_dict(), float(row[PROVINCE]),
                                                               unit=capital), 2)
                for idx, need in (("S2", 2), ("S4", 4)):
                    if len(cities) >= need:
                        try:
                            entry[idx] = round(primacy_index(cities.to_dict(), idx), 3)
                        except ValueError:
                            entry[idx] = None
            if entry["capital_value"] is not None:
                rows.append(entry)
        out["by"][ind] = rows
    out["chart"] = {"kind": "line", "unit": "%", "categories": sorted({r["period"] for v in out["by"].values() for r in v}),
                    "series": []}
    for ind in ("gdp", "population"):
        by_p = {r["period"]: r["share"] for r in out["by"][ind]}
        out["chart"]["series"].append({"name": CHART_LABELS[lang][f"share_{ind}"], "data": [by_p.get(p) for p in out["chart"]["categories"]]})
    return out
