"""Comparison and index (比较与指数): the peer index of :mod:`lantu.evaluation.peer_index` (the
same one the monitoring report and the API show) for the group and year the user picks, with its
rank intervals and every filled cell, a map of the province's cities
(:mod:`lantu.evaluation.shanxi_map`), the coupling coordination of each city's pillars
(:mod:`lantu.analysis.coupling`) and the primacy of the capital (:mod:`lantu.evaluation.primacy`).

This module only lays the evaluation's numbers out for the page; it computes none of its own.
Results are cached per data version, so the page is computed once per change of the data.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from lantu.analysis.coupling import coupling_coordination
from lantu.domain import ValidationError
from lantu.domain.observations import bound_sign
from lantu.evaluation import maps, peer_index, primacy
from lantu.store import queries
from lantu.web.dashboard.common import ViewCache, fmt_number, unit_label

CHART_LABELS = {
    "zh": {"nominal": "名义排名", "interval": "排名区间（5%–95%）", "median": "中位排名",
           "rank": "排名", "score": "得分（0–100）", "share_gdp": "地区生产总值占全省比重",
           "share_population": "常住人口占全省比重"},
    "en": {"nominal": "nominal rank", "interval": "rank interval (5–95 %)", "median": "median rank",
           "rank": "rank", "score": "score (0–100)", "share_gdp": "share of the province's GRP",
           "share_population": "share of the province's population"},
}

# -- the page -----------------------------------------------------------------------------------


CACHE = ViewCache()


def build_compare(session: Session, *, lang: str = "zh", year: int | None = None,
                  group: str | None = None, n_ua: int | None = None,
                  layer: str | None = None) -> dict[str, Any]:
    """The comparison page as one dictionary (cached per data version, language, group, year).

    Returns
    -------
    dict with ``index`` (the peer index laid out: framework, spec, results with rank intervals,
    screened units, filled cells, charts), ``coupling`` (C, T, D and grade per city),
    ``primacy`` and ``groups``/``years`` for the pickers.
    """
    key = (queries.state_version(session), lang, year, group, n_ua, layer)
    return CACHE.get_or_build(key, lambda: _compute(session, lang, year, group, n_ua, layer,
                                                    queries.data_version(session)))


def _compute(session: Session, lang: str, year: int | None, group: str | None, n_ua: int | None,
             layer: str | None, version: str) -> dict[str, Any]:
    fw = peer_index.load_framework()
    groups = peer_index.groups_for(session)
    res = peer_index.compute(session, region=None, year=year,
                             group=group or fw.group, n_ua=n_ua)
    index = index_view(res, lang)
    coupling = _coupling_section(index)
    prim = primacy.compute(session, region=res.group["members"][0], year=res.year)
    layer_list = maps.layers(session, fw.inputs(), lang)
    layer_list[0]["name"] = fw.name_zh if lang == "zh" else fw.name_en
    layer = layer or maps.INDEX_LAYER
    if layer not in {x["code"] for x in layer_list}:
        raise ValidationError(f"unknown map layer {layer!r}; known: "
                              f"{', '.join(x['code'] for x in layer_list)}", field="layer")
    the_map = maps.map_data(session, province=fw.province, year=res.year, layer=layer,
                            group=res.group["code"], lang=lang)
    the_map["unit"] = unit_label(the_map["unit"], lang)
    _map_texts(the_map)
    outline = next((g for g in groups if g["code"] == the_map["outline_group"]), None)
    outline_name = (outline["zh"] if lang == "zh" else outline["en"]) if outline else ""
    return {"data_version": version, "year": res.year, "group": res.group["code"],
            "group_name": res.group["name"] if lang == "zh" else res.group["name_en"],
            "groups": [{"code": g["code"], "name": g["zh"] if lang == "zh" else g["en"]}
                       for g in groups],
            "index": index, "coupling": coupling, "primacy": primacy_view(prim, lang),
            "years": res.years, "map": the_map, "layers": layer_list, "layer": layer,
            "outline_name": outline_name or the_map["outline_group"],
            "layer_groups": [{"group": g, "items": [x for x in layer_list if x["group"] == g]}
                             for g in dict.fromkeys(x["group"] for x in layer_list)],
            "map_table": sorted(the_map["cities"], key=lambda c: (
                c["value"] is None, c.get("bound") is None,
                -(c["value"] if c["value"] is not None else c.get("bound_value") or 0)))}


def _map_texts(the_map: dict[str, Any]) -> None:
    """Each city's figure as the page writes it (``text``: the one formatter, ``≥``/``≤``
    before a figure known only as a bound, as the tables write it), the scale's ends too, and
    ``bounds``: whether any city is known only as a bound (the legend then says how it is
    shown)."""
    for c in the_map["cities"]:
        if c["value"] is not None:
            c["text"] = fmt_number(c["value"])
        elif c.get("bound") is not None:
            c["text"] = bound_sign(c["bound"]) + fmt_number(c["bound_value"])
        else:
            c["text"] = None
    the_map["min_text"] = None if the_map["min"] is None else fmt_number(the_map["min"])
    the_map["max_text"] = None if the_map["max"] is None else fmt_number(the_map["max"])
    the_map["bounds"] = any(c.get("bound") for c in the_map["cities"])


def index_view(res: peer_index.PeerIndex, lang: str) -> dict[str, Any]:
    """The peer index as the page (and the ``/api/v1/index`` JSON) lays it out."""
    fw = res.framework
    names = {n["code"]: n["name_zh" if lang == "zh" else "name_en"]
             for n in [*fw["indicators"], *fw["aggregates"]]}
    unit_name = {u["region"]: (u["name"] if lang == "zh" else u["name_en"]) for u in res.units}
    pillars = fw["pillars"]
    filled = [{**c, "name": unit_name.get(c["region"], c["region"]),
               "indicator_name": names.get(c["indicator"], c["indicator"]),
               "text": fmt_number(round(c["value"], 2)),
               "how": peer_index.fill_words(c, lang)} for c in res.filled]
    by_cell = {(c["region"], c["indicator"]): c for c in filled}
    screened = {s["region"]: s["reason"] for s in res.screened}
    results = []
    for u in res.units:
        results.append({"code": u["region"], "name": unit_name[u["region"]],
                        "index": u["score"], "rank": u["rank"], "q5": u["rank_q5"],
                        "q95": u["rank_q95"], "median": u["rank_median"],
                        "pillars": u["pillars"],
                        "imputed": [c["indicator"] for c in filled if c["region"] == u["region"]]})
    values: dict[str, dict[str, Any]] = {}
    for v in res.values:
        values.setdefault(v["region"], {})[v["indicator"]] = v["value"]
    raw = []
    for u in res.group["members"]:
        cells = []
        for i in fw["indicators"]:
            c = by_cell.get((u, i["code"]))
            v = values.get(u, {}).get(i["code"])
            cells.append({"indicator": i["code"], "value": v,
                          "text": fmt_number(None if v is None else round(v, 2)),
                          "filled": c})
        raw.append({"code": u, "name": unit_name.get(u, u), "dropped": u in screened,
                    "cells": cells})
    ranked = [r for r in results if r["rank"] is not None]
    labels = CHART_LABELS[lang]
    chart = {"kind": "rank_interval", "categories": [r["name"] for r in ranked],
             "nominal": [r["rank"] for r in ranked], "q5": [r["q5"] for r in ranked],
             "q95": [r["q95"] for r in ranked], "median": [r["median"] for r in ranked],
             "n_units": len(ranked), "labels": labels}
    pillar_names = {p: names[p] for p in pillars}
    bars = {"kind": "bar", "unit": labels["score"], "categories": [r["name"] for r in ranked],
            "series": [{"name": pillar_names[p], "data": [r["pillars"][p] for r in ranked]}
                       for p in pillars]}
    framework = [{"code": n["code"], "parent": n.get("parent"), "input": n.get("input"),
                  "denominator": n.get("denominator"), "scale": n.get("scale", 1),
                  "direction": n.get("direction", 1), "weight": n.get("weight", 1),
                  "name": names[n["code"]]} for n in [*fw["indicators"], *fw["aggregates"]]]
    windows = {st["name"]: (st.get("params") or {}).get("max_time")
               for st in res.spec.get("steps", [])}
    return {"year": res.year, "group": res.group["code"], "framework": framework,
            "windows": {"interp": windows.get("fill_interpolate"),
                        "latest": windows.get("fill_latest")},
            "spec": res.spec, "inputs": [i["code"] for i in fw["indicators"]], "raw": raw,
            "results": results,
            "dropped": [{"code": u, "name": unit_name.get(u, u), "reason": r}
                        for u, r in screened.items()],
            "imputed": filled, "filled": filled, "ua": res.ua, "chart": chart,
            "pillar_chart": bars, "pillar_names": pillar_names, "names": names}


# -- coupling and primacy -----------------------------------------------------------------------


def _coupling_section(index: dict[str, Any]) -> dict[str, Any]:
    pillars = list(index["pillar_names"])
    rows = [r for r in index["results"] if all(r["pillars"][p] is not None for p in pillars)]
    if not rows:
        return {"rows": [], "pillars": pillars}
    U = pd.DataFrame([[r["pillars"][p] / 100.0 for p in pillars] for r in rows],
                     index=[r["code"] for r in rows], columns=pillars)
    res = coupling_coordination(U)
    out = []
    for r in rows:
        c = res.loc[r["code"]]
        out.append({"code": r["code"], "name": r["name"],
                    "U": {p: round(float(U.loc[r["code"], p]), 4) for p in pillars},
                    "C": round(float(c["C"]), 4), "T": round(float(c["T"]), 4),
                    "D": round(float(c["D"]), 4), "grade": int(c["grade"]),
                    "grade_zh": str(c["grade_zh"]), "grade_en": str(c["grade_en"])})
    out.sort(key=lambda r: -r["D"])
    return {"rows": out, "pillars": pillars, "method": "corrected"}


def primacy_view(prim: dict[str, Any], lang: str) -> dict[str, Any]:
    """The primacy of :func:`lantu.evaluation.primacy.compute` with a chart of the shares."""
    out = dict(prim)
    out["capital_name"] = prim["name"] if lang == "zh" else prim["name_en"]
    out["units"] = {k: unit_label(v, lang) for k, v in prim["units"].items()}
    cats = sorted({r["period"] for v in prim["by"].values() for r in v})
    out["chart"] = {"kind": "line", "unit": "%", "categories": cats, "series": []}
    for ind in ("gdp", "population"):
        # a line through the figures themselves: a share known only as a bound is left out
        by_p = {r["period"]: r["share"] for r in prim["by"].get(ind, [])
                if not r.get("share_bound")}
        out["chart"]["series"].append({"name": CHART_LABELS[lang][f"share_{ind}"],
                                       "data": [by_p.get(p) for p in cats]})
    return out
