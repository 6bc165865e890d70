"""Thematic maps of a province's cities: the boundaries (vendored offline in
``lantu/defaults/maps/``, see its README) and, for a chosen year, each city's value of an
indicator or of the peer index — the one map data set the comparison page (ECharts) and the
monitoring report's picture (matplotlib) both draw.

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
from lantu.store import queries

MAPS = Path(__file__).resolve().parents[1] / "defaults" / "maps"

#: Layers besides the indicators of the catalogue.
INDEX_LAYER = "index"


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
             group: str | None = None, lang: str = "zh") -> dict[str, Any]:
    """Per city of the map its value of ``layer`` in ``year``.

    Parameters
    ----------
    layer
        An indicator code (the city's observed value of that year; no filling) or ``"index"``
        (the peer index score of ``group``'s members, :mod:`lantu.evaluation.peer_index`).
    group
        The peer group outlined on the map (default: the peer index's group).

    Returns
    -------
    dict
        ``kind`` ``"map"``, ``map`` (the province code, the file served at ``/maps/<code>.json``),
        ``year``, ``layer``, ``label``, ``unit``, ``outlined`` (member codes), ``cities`` (one
        per feature: ``region``, ``feature`` (the name in the file), ``name``, ``value``),
        ``min``, ``max``.
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
    values: dict[str, float | None] = dict.fromkeys(codes)
    if layer == INDEX_LAYER:
        res = peer_index.compute(session, region=None, year=year, group=group)
        for u in res.units:
            if u["region"] in values:
                values[u["region"]] = u["score"]
        label = fw.name_zh if lang == "zh" else fw.name_en
        unit = "0–100"
    else:
        meta = queries.indicator_meta(session)
        if layer not in meta:
            raise ValidationError(f"unknown indicator {layer!r} for the map", field="layer")
        long = queries.panel(session, [layer], codes, [str(year)])
        for r in long.itertuples(index=False):
            values[str(r.region_code)] = float(r.value)
        label = meta[layer]["zh" if lang == "zh" else "en"]
        unit = meta[layer].get("unit") or ""
    cities = []
    for f, code in zip(geo["features"], codes, strict=True):
        nm = regs.get(code, {})
        cities.append({"region": code, "feature": f["properties"]["name"],
                       "name": nm.get("zh" if lang == "zh" else "en") or f["properties"]["name"],
                       "value": values.get(code), "outlined": code in members})
    known = [c["value"] for c in cities if c["value"] is not None]
    return {"kind": "map", "map": province, "year": year, "layer": layer, "label": label,
            "unit": unit, "group": group, "outlined": [m for m in members if m in values],
            "cities": cities, "min": min(known) if known else None,
            "max": max(known) if known else None}


def layers(session: Session, fw_inputs: list[str], lang: str = "zh") -> list[dict[str, str]]:
    """The layers offered on the page: the index, then the indicators the index reads and every
    other indicator with data, by name."""
    meta = queries.indicator_meta(session)
    with_data = set(queries.indicators_with_data(session))
    key = "zh" if lang == "zh" else "en"
    out = [{"code": INDEX_LAYER, "name": ""}]
    seen = {INDEX_LAYER}
    for code in [*fw_inputs, *sorted(with_data)]:
        if code in meta and code in with_data and code not in seen:
            seen.add(code)
            out.append({"code": code, "name": meta[code][key]})
    return out
