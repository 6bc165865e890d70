"""The peer index (综合发展指数): ONE composite index of a peer group for a year, which the
comparison page, the monitoring report, the API (the verdict) and ``lantu index inputs`` show.

Its framework — indicators, pillars, directions, weights, the engine's method choices and the
alternatives of the uncertainty analysis — is data in the default
(``lantu/defaults/peer_index.yaml``), read by :func:`load_framework`. This module only turns the
database into the engine's COINr-format input (:func:`inputs`) and the engine's result into plain
data (:func:`compute`); the engine (:mod:`lantu.engine`) does the arithmetic and never sees the
database.

How a value gets into the index (all in the framework's spec, so all visible and variable):

* the data is a *panel*: every year of the group, each row with its numerator and denominator of
  that same year — a ratio (e.g. tertiary value added ÷ GDP) never mixes years;
* a unit's missing value is filled from its own series first — interpolated between its observed
  years before and after (step ``fill_interpolate``), else its latest earlier value
  (``fill_latest``), each within the window the spec states — and only then from its group
  (``fill_group``); every filled cell is listed with its method and the years used;
* rank intervals come from the uncertainty analysis, run with the framework's seed, so every view
  shows the same intervals.

Examples
--------
>>> fw = load_framework()
>>> fw.group, [i["code"] for i in fw.indicators][:3]
('central_shanxi', ['gdp', 'gdp_growth', 'gdp_pc'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from lantu.cache import ViewCache
from lantu.domain import ValidationError
from lantu.domain.observations import measured
from lantu.engine import EngineError, IndexData, Spec, build, load_coinr
from lantu.engine.uncertainty import UASpec, run_ua
from lantu.engine.uncertainty_model import CoinModel
from lantu.store import queries

__all__ = ["Framework", "PeerIndex", "load_framework", "inputs", "compute", "groups_for",
           "FILL_METHODS", "fill_words"]

FRAMEWORK_FILE = Path(__file__).resolve().parents[1] / "defaults" / "peer_index.yaml"

#: Spec step name → the method a filled cell is reported with.
FILL_METHODS = {"fill_interpolate": "interpolate", "fill_latest": "latest",
                "fill_group": "group"}

_CACHE = ViewCache(size=64)


# -- the framework ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Framework:
    """The peer index as data (see ``defaults/peer_index.yaml``)."""

    name_zh: str
    name_en: str
    group: str
    province: str
    indicators: list[dict[str, Any]]
    aggregates: list[dict[str, Any]]
    spec: dict[str, Any]
    uncertainty: dict[str, Any]
    source: str = ""

    @property
    def pillars(self) -> list[str]:
        return [a["code"] for a in self.aggregates if a.get("parent") == "Index"]

    def inputs(self) -> list[str]:
        """Catalogue indicators the index reads (numerators and denominators), in order."""
        out: list[str] = []
        for i in self.indicators:
            for c in (i["input"], i.get("denominator")):
                if c and c not in out:
                    out.append(c)
        return out

    def names(self, lang: str) -> dict[str, str]:
        key = "name_zh" if lang == "zh" else "name_en"
        return {n["code"]: n[key] for n in [*self.indicators, *self.aggregates]}

    def engine_spec(self) -> Spec:
        return Spec.from_dict(self.spec)

    def ua_spec(self) -> UASpec:
        ua = self.uncertainty
        inputs: list[dict[str, Any]] = [
            {"name": step, "target": step, "values": alts}
            for step, alts in ua.get("alternatives", {}).items()]
        if ua.get("weights"):
            inputs.append({"name": "weights", "weights": {**ua["weights"], "seed": ua["seed"]}})
        return UASpec.from_dict({"description": f"{self.name_en}: uncertainty", "inputs": inputs})

    def imeta(self) -> pd.DataFrame:
        """COINr ``iMeta`` of the framework (denominators as columns ``den_<indicator>``)."""
        rows = []
        for i in self.indicators:
            den = i.get("denominator")
            rows.append({"Level": 1, "iCode": i["code"], "iName": i["name_zh"],
                         "Direction": int(i.get("direction", 1)), "Weight": float(i.get("weight", 1)),
                         "Denominator": f"den_{den}" if den else None, "Parent": i["parent"],
                         "Type": "Indicator"})
        level = {i["code"]: 1 for i in self.indicators}
        for a in self.aggregates:  # parents come after their children in the file
            kids = [level[n["code"]] for n in [*self.indicators, *self.aggregates]
                    if n.get("parent") == a["code"] and n["code"] in level]
            level[a["code"]] = max(kids, default=0) + 1
            rows.append({"Level": level[a["code"]], "iCode": a["code"], "iName": a["name_zh"],
                         "Direction": 1, "Weight": float(a.get("weight", 1)), "Denominator": None,
                         "Parent": a.get("parent"), "Type": "Aggregate"})
        for den in self.denominators():
            rows.append({"Level": None, "iCode": f"den_{den}", "iName": den, "Direction": None,
                         "Weight": None, "Denominator": None, "Parent": None, "Type": "Denominator"})
        return pd.DataFrame(rows)

    def denominators(self) -> list[str]:
        out: list[str] = []
        for i in self.indicators:
            d = i.get("denominator")
            if d and d not in out:
                out.append(d)
        return out

    def scales(self) -> dict[str, float]:
        return {i["code"]: float(i.get("scale", 1)) for i in self.indicators if i.get("denominator")}


@lru_cache(maxsize=4)
def load_framework(path: str | Path | None = None) -> Framework:
    """Read and check the framework file (default: the embedded default's).

    Raises :class:`~lantu.domain.ValidationError` naming the file and field of a problem.
    """
    from lantu.ingest.yamlio import YamlRefused, read_yaml

    p = Path(path) if path is not None else FRAMEWORK_FILE
    try:
        doc = read_yaml(p)
    except (OSError, YamlRefused) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc).removeprefix(f"{p}: ")
        raise ValidationError(f"{p}: cannot read the peer-index framework: {reason}",
                              field="framework") from None
    if not isinstance(doc, dict):
        raise ValidationError(f"{p}: the framework must be a mapping", field="framework")
    for key in ("group", "indicators", "aggregates", "spec", "uncertainty"):
        if key not in doc:
            raise ValidationError(f"{p}: field {key!r} is missing", field=key)
    codes = set()
    for n, i in enumerate(doc["indicators"], 1):
        for key in ("code", "parent", "input", "name_zh", "name_en"):
            if not i.get(key):
                raise ValidationError(f"{p}: indicators, item {n}: field {key!r} is missing",
                                      field=key)
        if int(i.get("direction", 1)) not in (1, -1):
            raise ValidationError(f"{p}: indicators, item {n} ({i['code']}): field 'direction' "
                                  f"must be 1 or -1", field="direction")
        codes.add(i["code"])
    parents = {a["code"] for a in doc["aggregates"]}
    for i in [*doc["indicators"], *doc["aggregates"]]:
        if i.get("parent") and i["parent"] not in parents:
            raise ValidationError(f"{p}: item {i['code']}: parent {i['parent']!r} is not an "
                                  "aggregate of the framework", field="parent")
    fw = Framework(name_zh=doc.get("name_zh", ""), name_en=doc.get("name_en", ""),
                   group=str(doc["group"]), province=str(doc.get("province", "")),
                   indicators=list(doc["indicators"]), aggregates=list(doc["aggregates"]),
                   spec=dict(doc["spec"]), uncertainty=dict(doc["uncertainty"]), source=str(p))
    try:
        spec = fw.engine_spec()
        fw.ua_spec()
    except EngineError as exc:
        raise ValidationError(f"{p}: spec: {exc}", field="spec") from None
    if "denominate" in {s.step for s in spec.steps} and not fw.denominators():
        raise ValidationError(f"{p}: spec denominates but no indicator has a denominator",
                              field="spec")
    return fw


# -- data -----------------------------------------------------------------------------------------


def groups_for(session: Session, region: str | None = None) -> list[dict[str, Any]]:
    """Region groups the index can compare (three or more members; with ``region``: those it is
    a member of), the framework's default group first."""
    fw = load_framework()
    out = []
    for g in sorted(_groups(session), key=lambda g: (g["code"] != fw.group, g["code"])):
        if len(g["members"]) >= 3 and (region is None or region in g["members"]):
            out.append(g)
    return out


def _groups(session: Session) -> list[dict[str, Any]]:
    from lantu.store import repo

    return [{"code": g.code, "zh": g.name_zh, "en": g.name_en or g.name_zh,
             "members": list(g.members)} for g in repo.region_groups(session)]


def _resolve_group(session: Session, region: str | None, group: str | None) -> dict[str, Any]:
    groups = {g["code"]: g for g in _groups(session)}
    if group is None:
        candidates = groups_for(session, region)
        if not candidates:
            raise ValidationError(f"region {region} is in no region group of three or more "
                                  "members, so it has no peers to compare with", field="group")
        return candidates[0]
    if group not in groups:
        raise ValidationError(f"unknown region group {group!r}; known: {', '.join(sorted(groups))}",
                              field="group")
    g = groups[group]
    if region is not None and region not in g["members"]:
        raise ValidationError(f"region {region} is not a member of group {group}", field="group")
    if len(g["members"]) < 3:
        raise ValidationError(f"group {group} has {len(g['members'])} members; the index needs "
                              "three or more", field="group")
    return g


def _refusal(message: str, key: str, g: dict[str, Any], **values: object) -> ValidationError:
    """A refusal of a year for group ``g``: ``message`` in English with the group's code (the
    command line and the JSON API), and ``key`` with the group's names for the pages, which
    name a group by its name in their language, not by its code (``left15.*`` of the locale;
    a value given as ``{"zh": …, "en": …}`` is said in the page's language)."""
    exc = ValidationError(message, field="year")
    exc.key = key
    exc.values = {"group": {"zh": g["zh"], "en": g["en"]}, **values}
    return exc


def inputs(session: Session, group: str, year: int | None = None
           ) -> tuple[pd.DataFrame, pd.DataFrame, Spec, int, list[int]]:
    """The index's input in COINr's format, as ``lantu index inputs`` writes it.

    Returns
    -------
    (iData, iMeta, spec, year, years)
        iData is a panel: one row per member and year (``Time``) from the first year with data
        to the last, with the indicators' numerators and their denominators of the same year;
        ``year`` is the one asked (default: the year the index ranks the most members in, the
        latest on a tie); ``years`` all years it can be built for (two or more ranked).
    """
    g = _resolve_group(session, None, group)
    key = ("inputs", queries.data_version(session), g["code"])
    got = _INPUTS.get_or_build(key, lambda: _inputs(session, g))
    idata, imeta, spec, ranked = got["idata"].copy(), got["imeta"].copy(), got["spec"], \
        got["ranked"]
    years = sorted(ranked)
    if year is None:
        if not years:
            raise _refusal(f"the index of group {group} cannot be built for any year "
                           "(too little data)", "left15.index_no_year", g)
        year = max(years, key=lambda y: (ranked[y], y))
    return idata, imeta, spec, int(year), years


#: The index's inputs and the years it ranks, per state of the data and group: finding the years
#: builds the index once per year, the costliest step of a verdict; every year, view and
#: ``compute`` call of one group shares it.
_INPUTS = ViewCache(size=16)


def _inputs(session: Session, g: dict[str, Any]) -> dict[str, Any]:
    fw = load_framework()
    group = g["code"]
    units = list(g["members"])
    long = measured(queries.panel(session, fw.inputs(), units))  # a bound is filled as missing
    long = long[long["period"].astype(str).str.fullmatch(r"\d{4}")]
    if long.empty:
        raise ValidationError(f"no yearly data of group {group} for the index's indicators "
                              f"({', '.join(fw.inputs())})", field="group")
    long = long.assign(year=long["period"].astype(int))
    span = list(range(int(long["year"].min()), int(long["year"].max()) + 1))
    wide = long.pivot_table(index=["region_code", "year"], columns="indicator", values="value",
                            aggfunc="first")
    names = queries.region_names(session)
    rows = []
    for u in units:
        for y in span:
            rec = wide.loc[(u, y)] if (u, y) in wide.index else None
            row: dict[str, Any] = {"uName": names.get(u, {}).get("zh", u), "uCode": u, "Time": y}
            for den in fw.denominators():
                row[f"den_{den}"] = _get(rec, den)
            for i in fw.indicators:
                row[i["code"]] = _get(rec, i["input"])
            rows.append(row)
    idata = pd.DataFrame(rows)
    spec = fw.engine_spec().set("denominate.scale", fw.scales()) if fw.denominators() else \
        fw.engine_spec()
    imeta = fw.imeta()
    return {"idata": idata, "imeta": imeta, "spec": spec,
            "ranked": _ranked_per_year(idata, imeta, spec, span)}


def _get(rec: pd.Series | None, col: str) -> float:
    if rec is None or col not in rec.index or pd.isna(rec[col]):
        return np.nan
    return float(rec[col])


def _ranked_per_year(idata: pd.DataFrame, imeta: pd.DataFrame, spec: Spec, span: list[int]
                     ) -> dict[int, int]:
    """Year → number of units ranked, for the years the nominal index ranks two or more.

    A year is built only when two or more units have a figure within the fill window of it
    (the longest ``max_time`` of the spec's steps): a unit with none there cannot be filled from
    its own series, so such a year cannot rank two (a necessary condition, not a guess)."""
    window = max([int((st.get("params") or {}).get("max_time") or 0)
                  for st in spec.to_dict().get("steps", [])] or [0])
    codes = [str(c) for c in imeta.loc[imeta["Type"] == "Indicator", "iCode"]]
    has = idata.assign(_any=idata[codes].notna().any(axis=1))
    years_of = {u: set(g.loc[g["_any"], "Time"].astype(int)) for u, g in has.groupby("uCode")}
    out = {}
    for y in span:
        near = sum(1 for ys in years_of.values() if any(abs(t - y) <= window for t in ys))
        if near < 2:
            continue
        try:
            coin = build(load_coinr(idata, imeta, time=y), spec)
        except (EngineError, ValueError):
            continue
        n = int(pd.notna(coin.results()["Rank"]).sum())
        if n >= 2:
            out[y] = n
    return out


_FILL_WORDS = {
    "zh": {"interpolate": "按本市{a}年与{b}年数值线性插值", "latest": "取本市{a}年数值",
           "group": "本市前后年份均无可用数值，取组内均值"},
    "en": {"interpolate": "interpolated between the city's {a} and {b} values",
           "latest": "the city's {a} value", "group": "no usable own value; the group's mean"},
}

def fill_words(cell: dict[str, Any], lang: str) -> str:
    """How a filled cell was filled, in words (the page and the report say the same)."""
    used = cell.get("years_used") or []
    a = used[0] if used else ""
    b = used[-1] if used else ""
    return _FILL_WORDS["zh" if lang == "zh" else "en"][cell["method"]].format(a=a, b=b)


# -- the result -------------------------------------------------------------------------------------


@dataclass
class PeerIndex:
    """The peer index of a group for a year (plain data; see :meth:`to_json`)."""

    group: dict[str, Any]
    year: int
    region: str | None
    units: list[dict[str, Any]]
    filled: list[dict[str, Any]]
    screened: list[dict[str, Any]]
    values: list[dict[str, Any]]
    years: list[int]
    spec: dict[str, Any]
    ua: dict[str, Any]
    framework: dict[str, Any] = field(default_factory=dict)

    def unit(self, code: str | None) -> dict[str, Any] | None:
        return next((u for u in self.units if u["region"] == code), None)

    def to_json(self) -> dict[str, Any]:
        """``{"group", "year", "score", "rank", "rank_q5", "rank_q95", "units", "filled"}``:
        score, rank and interval of the region asked for (``None`` without one), every unit of
        the group, every filled cell."""
        me = self.unit(self.region) or {}
        return {"group": self.group["code"], "year": self.year,
                "score": me.get("score"), "rank": me.get("rank"),
                "rank_q5": me.get("rank_q5"), "rank_q95": me.get("rank_q95"),
                "units": [dict(u) for u in self.units],
                "filled": [dict(c) for c in self.filled]}


def compute(session: Session, *, region: str | None, year: int | None = None,
            group: str | None = None, n_ua: int | None = None) -> PeerIndex:
    """The peer index of ``group`` (default: the framework's group, else the first group of three
    or more that ``region`` belongs to) for ``year`` (default: the latest year it can be built
    for). Cached per state of the data; rank intervals are seeded, so equal on every call.

    Raises :class:`~lantu.domain.ValidationError` for an unknown group, a region outside it, or a
    year the index cannot be built for (naming the years it can).
    """
    g = _resolve_group(session, region, group)
    fw = load_framework()
    n = int(fw.uncertainty.get("n", 200)) if n_ua is None else int(n_ua)
    key = ("peer_index", queries.data_version(session), g["code"], year, n)
    res = _CACHE.get_or_build(key, lambda: _compute(session, g, year, n))
    return PeerIndex(**{**res, "region": region})


def _compute(session: Session, g: dict[str, Any], year: int | None, n: int) -> dict[str, Any]:
    fw = load_framework()
    idata, imeta, spec, year, years = inputs(session, g["code"], year)
    if year not in years:
        listed = ", ".join(map(str, years)) or "none"
        raise _refusal(f"the index of group {g['code']} cannot be built for {year}; "
                       f"years it can: {listed}", "left15.index_year", g, year=year,
                       years={"zh": "、".join(map(str, years)) or "无", "en": listed})
    data = load_coinr(idata, imeta, time=year)
    coin = build(data, spec)
    names = queries.region_names(session)
    res = coin.results(all_levels=True).set_index("uCode")
    ua = _rank_intervals(data, spec, fw, n)
    pillars = fw.pillars
    units = []
    for u in g["members"]:
        ranked = u in res.index and not pd.isna(res.loc[u, "Rank"])
        row = res.loc[u] if u in res.index else None
        st = ua["stats"].get(u, {})
        units.append({
            "region": u, "name": names.get(u, {}).get("zh", u),
            "name_en": names.get(u, {}).get("en", u),
            "score": round(float(row["Index"]), 2) if ranked else None,
            "rank": int(row["Rank"]) if ranked else None,
            "rank_q5": st.get("q5"), "rank_q95": st.get("q95"), "rank_median": st.get("median"),
            "pillars": {p: (round(float(row[p]), 2) if row is not None and not pd.isna(row[p])
                            else None) for p in pillars},
        })
    units.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["region"]))
    filled = []
    for step, method in FILL_METHODS.items():
        if step not in {s.name for s in spec.steps}:
            continue
        for c in coin.report(step).get("cells", []):
            used = [int(t) for t in c.get("Time", [])] or [year]
            filled.append({"region": str(c["uCode"]), "indicator": str(c["iCode"]),
                           "year": year, "years_used": used, "method": method,
                           "step": step, "value": round(float(c["value"]), 4)})
    screen = next((s.name for s in spec.steps if s.step == "screen"), None)
    screened = [{"region": str(d["uCode"]), "reason": str(d["Reason"])}
                for d in (coin.report(screen).get("dropped", []) if screen else [])]
    denominated = coin.dset("Denominated") if "Denominated" in coin.dset_names else coin.dset("Raw")
    den = denominated.set_index("uCode") if "uCode" in denominated.columns else denominated
    values = []
    for u in g["members"]:
        for i in fw.indicators:
            v = den.loc[u, i["code"]] if u in den.index else np.nan
            values.append({"region": u, "indicator": i["code"],
                           "value": None if pd.isna(v) else round(float(v), 4)})
    return {"group": {"code": g["code"], "name": g["zh"], "name_en": g["en"],
                      "members": list(g["members"])},
            "year": year, "units": units, "filled": filled, "screened": screened,
            "values": values, "years": years, "spec": spec.to_dict(),
            "ua": {"n": n, "seed": fw.uncertainty.get("seed"), "failed": ua["failed"],
                   "alternatives": fw.uncertainty.get("alternatives", {}),
                   "weights": fw.uncertainty.get("weights")},
            "framework": {"indicators": fw.indicators, "aggregates": fw.aggregates,
                          "pillars": pillars, "source": "lantu/defaults/peer_index.yaml"}}


def _rank_intervals(data: IndexData, spec: Spec, fw: Framework, n: int) -> dict[str, Any]:
    """5 %, 50 % and 95 % quantiles of each unit's rank over ``n`` seeded replications of the
    uncertainty analysis, and the number of replications that failed."""
    if n < 1:
        return {"stats": {}, "failed": 0}
    res = run_ua(CoinModel(data, spec), fw.ua_spec(), n, seed=int(fw.uncertainty["seed"]))
    stats = {}
    for r in res.rank_stats.itertuples(index=False):
        if pd.isna(r.Q5):
            continue
        stats[str(r.uCode)] = {"q5": round(float(r.Q5), 2), "q95": round(float(r.Q95), 2),
                               "median": round(float(r.Median), 2)}
    return {"stats": stats, "failed": int(res.n_failed)}
