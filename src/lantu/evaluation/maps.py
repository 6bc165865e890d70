"""Thematic maps of a province's cities: the boundaries (vendored offline in
``lantu/defaults/maps/``, see its README) and, for a chosen year, each city's value of an
indicator or of the peer index, or its status (of an indicator's target in force, or of a plan
goal) as the verdict (:func:`lantu.evaluation.evaluate`) gives it — the one map data set the
comparison page (ECharts) and the monitoring report's picture (matplotlib) both draw.

Layers: ``"index"``; an indicator code (its value); ``"status:<indicator>"`` (the status of the
indicator's target in force); ``"goal:<node code>"`` (the status of a goal of the plan).

Examples
--------
>>> geo = boundaries("140000")
>>> len(geo["features"]), geo["features"][0]["properties"]["name"]
(11, '太原市')
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from lantu.domain import ValidationError
from lantu.domain.observations import bound_of, measured
from lantu.locale import translate
from lantu.store import queries, repo

MAPS = Path(__file__).resolve().parents[1] / "defaults" / "maps"

#: Layers besides the indicators of the catalogue.
INDEX_LAYER = "index"
#: Prefixes of the status layers: an indicator's target in force, a goal of the plan.
STATUS_PREFIX = "status:"
GOAL_PREFIX = "goal:"
#: Colour name of a status (the analysis's rule) → the colour the page and the picture paint.
HEX = {"green": "#2e7d32", "yellow": "#e0a800", "orange": "#ef6c00", "red": "#c62828",
       "grey": "#9aa5b1"}
NO_DATA_HEX = "#e8e8e8"
#: The greys apart on a map: no figure at all, nothing measurable (judged in words), pending.
_GREYS = {"no_data": NO_DATA_HEX, "qualitative": "#cfd6de"}


def layer_kind(layer: str) -> str:
    """``"index"``, ``"status"`` (an indicator's target), ``"goal"`` or ``"value"``."""
    if layer == INDEX_LAYER:
        return "index"
    if layer.startswith(STATUS_PREFIX):
        return "status"
    if layer.startswith(GOAL_PREFIX):
        return "goal"
    return "value"


def status_hex(status: str | None) -> str:
    """The fill of a target or node status (grey for pending and no data)."""
    from lantu.analysis.targets import COLOURS, NODE_COLOURS

    if not status:
        return NO_DATA_HEX
    if status in _GREYS:
        return _GREYS[status]
    return HEX[COLOURS.get(status) or NODE_COLOURS.get(status, "grey")]


def map_file(province: str) -> Path:
    p = MAPS / f"{province}.json"
    if not p.is_file():
        raise ValidationError(f"no map of region {province} in {MAPS}", field="province")
    return p


def _decode_ring(text: str, offset: list[int], scale: float) -> list[list[float]]:
    """ECharts' compressed ring: pairs of characters, zigzag- and delta-encoded, over ``scale``."""
    out = []
    px, py = offset
    for i in range(0, len(text), 2):
        x, y = ord(text[i]) - 64, ord(text[i + 1]) - 64
        x = (x >> 1) ^ (-(x & 1))
        y = (y >> 1) ^ (-(y & 1))
        px, py = px + x, py + y
        out.append([px / scale, py / scale])
    return out


@lru_cache(maxsize=8)
def _boundaries(province: str) -> str:
    doc = json.loads(map_file(province).read_text(encoding="utf-8"))
    if doc.get("UTF8Encoding"):
        scale = float(doc.get("UTF8Scale") or 1024)
        for f in doc["features"]:
            g = f["geometry"]
            offs = g.pop("encodeOffsets")
            if g["type"] == "Polygon":
                g["coordinates"] = [_decode_ring(r, o, scale) for r, o in zip(g["coordinates"], offs,
                                                                                strict=True)]
            elif g["type"] == "MultiPolygon":
                g["coordinates"] = [[_decode_ring(r, o, scale) for r, o in zip(poly, po, strict=True)]
                                    for poly, po in zip(g["coordinates"], offs, strict=True)]
        doc["UTF8Encoding"] = False
    return json.dumps(doc)


def boundaries(province: str) -> dict[str, Any]:
    """The province's city boundaries as plain GeoJSON (longitude, latitude), decoded."""
    return json.loads(_boundaries(province))


def map_data(session: Session, *, province: str, year: int, layer: str,
             group: str | None = None, lang: str = "zh", plan: str | None = None
             ) -> dict[str, Any]:
    """Per city of the map its value of ``layer`` in ``year``.

    Parameters
    ----------
    layer
        An indicator code (the city's observed value of that year; no filling), ``"index"``
        (the peer index score of ``group``'s members, :mod:`lantu.evaluation.peer_index`),
        ``"status:<indicator>"`` or ``"goal:<node>"`` (each city's verdict of ``year`` on
        ``plan``: the status of the indicator's target in force, or of the goal).
    group
        The peer group outlined on the map (default: the peer index's group; a group with fewer
        than two cities on the map leaves the outline to the index's own group, central Shanxi).
    plan
        The plan of the status layers (default: the first plan stored).

    Returns
    -------
    dict
        ``kind`` ``"map"``, ``map`` (the province code, the file served at ``/maps/<code>.json``),
        ``year``, ``layer``, ``scale`` (``"value"`` or ``"status"``), ``label``, ``unit``,
        ``outlined`` (member codes), ``cities`` (one per feature: ``region``, ``feature`` (the
        name in the file), ``name``, ``value`` (a measurement; None for a city known only as a
        bound, whose ``bound`` (``lower_bound``/``upper_bound``) and ``bound_value`` say it, and
        which colours no part of the scale); on a status layer also ``status``,
        ``status_label`` and ``hex``), ``min``, ``max``, ``legend`` (status layers: one entry
        per status shown, ``status``, ``label``, ``hex``).
    """
    from lantu.evaluation import peer_index

    geo = boundaries(province)
    regs = queries.region_names(session)
    fw = peer_index.load_framework()
    group = group or fw.group
    members = queries.group_members(session, group)
    if members is None:
        raise ValidationError(f"unknown region group {group!r}", field="group")
    codes = [str(f.get("id") or "") for f in geo["features"]]
    outline = group
    if len(set(members) & set(codes)) < 2 and group != fw.group:
        outline, members = fw.group, queries.group_members(session, fw.group) or members
    values: dict[str, float | None] = dict.fromkeys(codes)
    statuses: dict[str, str | None] = {}
    qualities: dict[str, str] = {}
    bounds: dict[str, tuple[str, float]] = {}
    kind = layer_kind(layer)
    if kind in ("status", "goal"):
        statuses, label = _statuses(session, codes, year, layer, plan, lang)
        unit = ""
    elif layer == INDEX_LAYER:
        res = peer_index.compute(session, region=None, year=year, group=group)
        for u in res.units:
            if u["region"] in values:
                values[u["region"]] = u["score"]
        label = f"{fw.name_zh}（0–100）" if lang == "zh" else f"{fw.name_en} (0–100)"
        unit = ""
    else:
        meta = queries.indicator_meta(session)
        if layer not in meta:
            raise ValidationError(f"unknown indicator {layer!r} for the map", field="layer")
        panel = queries.panel(session, [layer], codes, [str(year)])
        long = measured(panel)  # a bound is no figure to colour by (nor to set the scale)
        for r in long.itertuples(index=False):
            values[str(r.region_code)] = float(r.value)
            qualities[str(r.region_code)] = r.source_quality
        # a city known only as a bound ("突破2300亿元") is shown as one: ≥ / ≤ its figure,
        # set apart from both a measured value and no figure at all
        for r in panel.itertuples(index=False):
            side = bound_of(getattr(r, "flags", "") or "")
            code = str(r.region_code)
            if side is not None and values.get(code) is None:
                bounds[code] = (side, float(r.value))
                qualities[code] = r.source_quality
        label = meta[layer]["zh" if lang == "zh" else "en"]
        unit = meta[layer].get("unit") or ""
    from lantu.evaluation.verdict import status_label

    cities = []
    for f, code in zip(geo["features"], codes, strict=True):
        nm = regs.get(code, {})
        x, y = label_point(f)
        city = {"region": code, "feature": f["properties"]["name"],
                "name": nm.get("zh" if lang == "zh" else "en") or f["properties"]["name"],
                "value": values.get(code), "quality": qualities.get(code),
                "bound": bounds[code][0] if code in bounds else None,
                "bound_value": bounds[code][1] if code in bounds else None,
                "outlined": code in members, "label_point": [round(x, 4), round(y, 4)]}
        if kind in ("status", "goal"):
            st = statuses.get(code)
            city.update(status=st, status_label=status_label(st or "no_data", lang),
                        hex=status_hex(st))
        cities.append(city)
    known = [c["value"] for c in cities if c["value"] is not None]
    legend = []
    if kind in ("status", "goal"):
        from lantu.analysis.targets import NODE_STATUSES, STATUSES

        order = [*STATUSES, *NODE_STATUSES]
        shown = {c["status"] or "no_data" for c in cities}
        legend = [{"status": s, "label": status_label(s, lang), "hex": status_hex(s)}
                  for s in dict.fromkeys(order) if s in shown]
    group_names = {g.code: (g.name_zh if lang == "zh" else g.name_en or g.name_zh)
                   for g in repo.region_groups(session)}
    outlined_words = translate(lang, "map.legend_outlined", group=group_names.get(outline, outline))
    return {"kind": "map", "map": province, "year": year, "layer": layer,
            "scale": "status" if kind in ("status", "goal") else "value", "label": label,
            "unit": unit, "group": group, "outline_group": outline,
            "outlined": [m for m in members if m in values],
            "cities": cities, "min": min(known) if known else None,
            "max": max(known) if known else None, "legend": legend,
            "legend_labels": {"outlined": outlined_words,
                              **({"bound": translate(lang, "left15.map_legend_bound")}
                                 if bounds else {})}}


def _statuses(session: Session, codes: list[str], year: int, layer: str, plan: str | None,
              lang: str) -> tuple[dict[str, str | None], str]:
    """Each city's status on a status layer, read from its verdict (one rule: the verdict's),
    and the layer's label. A city the verdict cannot judge (not stored) has none."""
    from lantu.evaluation.verdict import evaluate, target_statuses

    kind = layer_kind(layer)
    code = layer.split(":", 1)[1]
    header = queries.plan_header(session, plan)
    if header is None:
        raise ValidationError("no plan is stored for a status map", field="plan")
    nodes = {n.code: n for n in queries.plan_nodes(session, header["code"])}
    meta = queries.indicator_meta(session)
    if kind == "goal" and code not in nodes:
        raise ValidationError(f"no goal {code!r} in plan {header['code']}", field="layer")
    if kind == "status" and code not in meta:
        raise ValidationError(f"unknown indicator {code!r} for the map", field="layer")
    known = set(queries.region_names(session))
    out: dict[str, str | None] = {}
    for region in codes:
        if region not in known:
            out[region] = None
        elif kind == "goal":  # a plan's goal is judged only for the plan's own region (plan_for)
            out[region] = evaluate(session, region=region, year=year, plan=header["code"]) \
                .node(code).status if region == header["region_code"] else None
        else:  # the city's own target in force, as every view judges it
            found = target_statuses(session, region, year, [code])[code]
            out[region] = found.status
    key = "zh" if lang == "zh" else "en"
    if kind == "goal":
        n = nodes[code]
        name = n.title if lang == "zh" else n.title_en
        label = translate(lang, "map.layer.goal_label", code=code, name=name)
    else:
        label = translate(lang, "map.layer.status_label", name=meta[code][key])
    return out, label


def layers(session: Session, fw_inputs: list[str], lang: str = "zh",
           plan: str | None = None) -> list[dict[str, str]]:
    """The layers offered on the page, each with its ``group`` (``index``, ``value``, ``goal``,
    ``status``): the index; the indicators the index reads and every other indicator with data,
    by name; the status of each goal of the plan (its top goals and their goals); the status of
    the target in force of each indicator the plan links."""
    meta = queries.indicator_meta(session)
    with_data = set(queries.indicators_with_data(session))
    key = "zh" if lang == "zh" else "en"
    out = [{"code": INDEX_LAYER, "name": "", "group": "index"}]
    seen = {INDEX_LAYER}
    for code in [*fw_inputs, *sorted(with_data)]:
        if code in meta and code in with_data and code not in seen:
            seen.add(code)
            out.append({"code": code, "name": meta[code][key], "group": "value"})
    header = queries.plan_header(session, plan)
    if header is None:
        return out
    nodes = queries.plan_nodes(session, header["code"])
    for n in nodes:
        if n.depth <= 1:
            title = n.title if lang == "zh" else n.title_en
            out.append({"code": GOAL_PREFIX + n.code, "name": f"{n.code} {title}",
                        "group": "goal"})
    linked = dict.fromkeys(i for n in nodes for i in n.indicators if i in meta)
    for code in sorted(linked, key=lambda c: meta[c][key]):
        out.append({"code": STATUS_PREFIX + code, "name": meta[code][key], "group": "status"})
    return out


def label_point(feature: dict[str, Any]) -> tuple[float, float]:
    """Where a region's name goes: the area centroid of its largest ring when that lies inside
    the ring (a city's seat, ``cp``, can sit at the edge, next to a neighbour's), else ``cp``.
    The page (ECharts) and the report's picture (matplotlib) both place names here."""
    g = feature["geometry"]
    polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
    cp = feature["properties"].get("cp")

    def area_centroid(ring):
        a = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]]):
            k = x0 * y1 - x1 * y0
            a += k
            cx += (x0 + x1) * k
            cy += (y0 + y1) * k
        return (abs(a) / 2, (cx / (3 * a), cy / (3 * a))) if a else (0.0, tuple(ring[0]))

    area, c = max((area_centroid(p[0]) for p in polys), key=lambda t: t[0])
    ring = max((p[0] for p in polys), key=lambda r: area_centroid(r)[0])
    if area and _inside(ring, c):
        return float(c[0]), float(c[1])
    return (float(cp[0]), float(cp[1])) if cp else (float(ring[0][0]), float(ring[0][1]))


def _inside(ring: list, pt: tuple[float, float]) -> bool:
    """Point in polygon (even-odd rule)."""
    x, y = pt
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside
