"""The composite index of the peer group shown on the comparison page and in the monitoring
report: its framework (indicators, pillars, denominators), nominal spec and the alternatives of
its uncertainty analysis — part of the embedded default, so that the CLI
(``lantu index inputs``), the web app and a notebook build the same index from the same data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lantu.domain import ValidationError
from lantu.engine import IndexData, Spec

PEER_GROUP = "central_shanxi"
PROVINCE = "140000"
MAX_LAG = 2
N_UA = 200
UA_SEED = 20211101

#: The framework: (code, parent, input indicator, denominator indicator, scale, names zh/en).
FRAMEWORK: tuple[tuple[str, str | None, str | None, str | None, float, str, str], ...] = (
    ("gdp", "ECO", "gdp", None, 1.0, "地区生产总值", "GRP"),
    ("gdp_growth", "ECO", "gdp_growth", None, 1.0, "地区生产总值增速", "Real GRP growth"),
    ("gdp_pc", "PRO", "gdp", "population", 10000.0, "人均地区生产总值（元，按常住人口）",
     "GRP per resident (yuan)"),
    ("tertiary_share", "PRO", "va_tertiary", "gdp", 100.0, "第三产业增加值占比",
     "Tertiary share of GRP"),
    ("rd_intensity", "INN", "rd_intensity", None, 1.0, "R&D经费投入强度", "R&D intensity"),
    ("urbanization_rate", "INN", "urbanization_rate", None, 1.0, "常住人口城镇化率",
     "Urbanisation rate"),
    ("ECO", "Index", None, None, 1.0, "规模与增长", "Size and growth"),
    ("PRO", "Index", None, None, 1.0, "富裕与结构", "Prosperity and structure"),
    ("INN", "Index", None, None, 1.0, "创新与城镇化", "Innovation and urbanisation"),
    ("Index", None, None, None, 1.0, "综合指数", "Composite index"),
)
PILLARS = ("ECO", "PRO", "INN")

#: The nominal spec (steps named so that the uncertainty analysis can vary them).
NOMINAL_SPEC: dict[str, Any] = {
    "name": "central-shanxi-nominal",
    "description": "denominate, screen (availability >= 0.5), mean imputation, min-max 0-100, "
                   "arithmetic mean at each level",
    "steps": [
        {"name": "denominate", "step": "denominate", "method": "divide"},
        {"name": "screen", "step": "screen", "method": "byNA", "params": {"dat_thresh": 0.5}},
        {"name": "impute", "step": "impute", "method": "mean"},
        {"name": "normalise", "step": "normalise", "method": "minmax", "params": {"l_u": [0, 100]}},
        {"name": "aggregate", "step": "aggregate", "method": "amean"},
    ],
}

#: Alternatives of the uncertainty analysis: normalisation, aggregation, imputation and weights.
UA_ALTERNATIVES: dict[str, list[Any]] = {
    "normalise": [{"method": "minmax", "params": {"l_u": [0, 100]}},
                  {"method": "zscore", "params": {"m_sd": [10, 2]}},
                  {"method": "rank"}],
    "aggregate": [{"method": "amean"}, {"method": "gmean"}],
    "impute": [{"method": "mean"}, {"method": "median"}],
}


# -- data ---------------------------------------------------------------------------------------


def inputs() -> list[str]:
    out: list[str] = []
    for _, _, src, den, *_ in FRAMEWORK:
        for c in (src, den):
            if c and c not in out:
                out.append(c)
    return out


def cross_section(long: pd.DataFrame, units: list[str], year: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Values of the framework's inputs per unit for ``year``: the year's value or the latest
    earlier one within :data:`MAX_LAG` years.

    Returns ``(values, years, flags)``, each units × input indicators (years NaN where missing).
    """
    cols = inputs()
    vals = pd.DataFrame(np.nan, index=units, columns=cols)
    yrs = pd.DataFrame(np.nan, index=units, columns=cols)
    flg = pd.DataFrame("", index=units, columns=cols)
    if long.empty:
        return vals, yrs, flg
    df = long.copy()
    df = df[df["period"].str.fullmatch(r"\d{4}")]
    df["year"] = df["period"].astype(int)
    df = df[(df["year"] <= year) & (df["year"] >= year - MAX_LAG)]
    df = df.sort_values("year").groupby(["region_code", "indicator"]).tail(1)
    for r in df.itertuples():
        if r.region_code in vals.index and r.indicator in vals.columns:
            vals.loc[r.region_code, r.indicator] = r.value
            yrs.loc[r.region_code, r.indicator] = r.year
            flg.loc[r.region_code, r.indicator] = r.flags
    return vals, yrs, flg


def index_data(vals: pd.DataFrame, names: dict[str, str], lang: str) -> IndexData:
    values = pd.DataFrame(index=vals.index)
    dens: dict[str, pd.Series] = {}
    rows = []
    for code, parent, src, den, _scale, zh, en in FRAMEWORK:
        if src is not None:
            values[code] = vals[src]
        if den is not None:
            dens[den] = vals[den]
        rows.append({"code": code, "parent": parent, "name": zh if lang == "zh" else en,
                     "denominator": den, "direction": 1})
    tree = pd.DataFrame(rows)
    return IndexData.from_frames(values, tree, denominators=pd.DataFrame(dens, index=vals.index),
                                 unit_names=names, source="central Shanxi index")


def nominal_spec() -> Spec:
    spec = Spec.from_dict(NOMINAL_SPEC)
    scale = {code: sc for code, _, src, den, sc, *_ in FRAMEWORK if den is not None}
    return spec.set("denominate.scale", scale)


def pick_year(long: pd.DataFrame, units: list[str]) -> int:
    """The latest year whose cross-section has the most values (ties: the latest)."""
    years = sorted({int(p) for p in long["period"] if str(p).isdigit()})
    if not years:
        raise ValidationError("no yearly observations for the peer group", field="year")
    best = max(years, key=lambda y: (int(cross_section(long, units, y)[0].notna().sum().sum()), y))
    return best
