"""Indicator explorer (指标): one indicator, some regions (or a region group), a range of years.

:func:`build_explorer` returns the page's one dictionary; the HTML page, its JSON rendering and
the CSV/XLSX exports are all made from it. Each region carries the status of the indicator's target
in force in the year shown (its verdict, :func:`lantu.evaluation.evaluate`: the same word as every
page); the status filter keeps the regions with that status; the values are grouped by region and
paged as the targets page pages its rows (:data:`lantu.web.dashboard.targets.PAGE_SIZE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from lantu.domain import ValidationError
from lantu.domain.observations import bound_of, bound_sign
from lantu.domain.periods import read_year
from lantu.store import queries, repo
from lantu.tabular import csv_rows, save_exact, write_rows
from lantu.web.dashboard.common import ViewCache, fmt_number, name, unit_label
from lantu.web.dashboard.status import STATUS_ORDER, status_badge
from lantu.web.dashboard.targets import PAGE_SIZE

#: The statuses the filter offers: those of a target, and "no target in force".
FILTER_STATUSES = (*STATUS_ORDER, "no_target")

DEFAULT_INDICATOR = "gdp"
DEFAULT_GROUP = "central_shanxi"
EXPORT_COLUMNS = ["region_code", "region", "indicator", "indicator_name", "period", "value", "unit",
                  "flags", "source_url", "excerpt", "source_quality", "version"]


@dataclass(frozen=True, slots=True)
class ExplorerQuery:
    """What the user picked. Empty fields mean the defaults."""

    indicator: str = ""
    regions: tuple[str, ...] = ()
    group: str = ""
    period_from: str = ""
    period_to: str = ""
    status: str = ""  # one of FILTER_STATUSES: the regions whose target has that status
    page: int = 1


def _resolve(session: Session, q: ExplorerQuery, inds: dict, regs: dict) -> tuple[str, list[str], str]:
    indicator = q.indicator or DEFAULT_INDICATOR
    if indicator not in inds:
        raise ValidationError(f"unknown indicator {indicator!r}", field="indicator")
    for code in q.regions:
        if code not in regs:
            raise ValidationError(f"unknown region {code!r}", field="region")
    group = q.group
    if q.regions:
        return indicator, list(q.regions), ""
    group = group or DEFAULT_GROUP
    members = queries.group_members(session, group)
    if members is None:
        raise ValidationError(f"unknown region group {group!r}", field="group")
    return indicator, members, group


CACHE = ViewCache(size=128)


def build_explorer(session: Session, q: ExplorerQuery, lang: str = "zh") -> dict[str, Any]:
    """The explorer page as one dictionary, computed once per state of the data, selection and
    language (:func:`lantu.store.queries.state_version`; treat it as read-only).

    Parameters
    ----------
    session : an open database session.
    q : the selection; an unknown indicator, region or group raises
        :class:`~lantu.domain.ValidationError` naming the field.
    lang : ``zh`` or ``en`` for the names.

    Returns
    -------
    dict with ``indicator``, ``selection``, ``options`` (indicators, regions, groups, years),
    ``rows`` (one per observation, with source, flags and revision history), ``table`` (regions ×
    years, each cell pointing at its row) and ``chart`` (series for ECharts).
    """
    key = ("explorer", queries.state_version(session), q, lang)
    return CACHE.get_or_build(key, lambda: _build(session, q, lang))


def _year_of(value: str, field_name: str) -> int:
    """A year of the explorer's range: the one year rule (:func:`read_year`)."""
    try:
        return read_year(value)
    except ValueError as exc:
        raise ValidationError(str(exc), field=field_name) from None


def _build(session: Session, q: ExplorerQuery, lang: str) -> dict[str, Any]:
    inds = queries.indicator_meta(session)
    regs = queries.region_names(session)
    indicator, region_codes, group = _resolve(session, q, inds, regs)
    for field_name, value in (("from", q.period_from), ("to", q.period_to)):
        if value and str(_year_of(value, field_name)) != value:
            raise ValidationError(f"{value!r} is not a year (YYYY)", field=field_name)
    if q.status and q.status not in FILTER_STATUSES:
        raise ValidationError(f"unknown status {q.status!r}; one of {', '.join(FILTER_STATUSES)}",
                              field="status")
    if q.page < 1:
        raise ValidationError(f"page must be 1 or more; got {q.page}", field="page")
    total, obs = queries.observations_page(session, regions=region_codes, indicators=[indicator],
                                           period_from=q.period_from or None,
                                           period_to=(q.period_to + "\uffff") if q.period_to else None)
    history = queries.revisions_of(session, [o["id"] for o in obs])
    meta = inds[indicator]
    rows = []
    for o in obs:
        rows.append({
            "id": o["id"], "region_code": o["region_code"],
            "region": name(regs.get(o["region_code"]), lang, o["region_code"]),
            "period": o["period"], "value": o["value"],
            # a figure known only as a bound is written ≥/≤ as every table writes it
            "bound": bound_of(o["flags"] or ""),
            "value_text": bound_sign(bound_of(o["flags"] or "")) + fmt_number(o["value"]),
            "unit": o["unit"], "flags": o["flags"], "source_url": o["source_url"],
            "source_file": o["source_file"], "excerpt": o["excerpt"],
            "source_note": o["source_note"], "version": o["version"],
            "source_quality": o["source_quality"],
            "history": history.get(o["id"], []),
        })
    years = sorted({r["period"] for r in rows})
    yearly = [int(y) for y in years if y.isdigit() and len(y) == 4]
    status_year = int(q.period_to) if q.period_to else (max(yearly) if yearly else None)
    statuses = {c: _status(session, c, indicator, status_year) for c in region_codes}
    if q.status:  # the filter: only the regions whose target has that status
        region_codes = [c for c in region_codes if statuses[c] == q.status]
        rows = [r for r in rows if r["region_code"] in set(region_codes)]
        years = sorted({r["period"] for r in rows})
    order = {code: i for i, code in enumerate(region_codes)}
    rows.sort(key=lambda r: (order.get(r["region_code"], 99), r["period"]))
    by_cell = {(r["region_code"], r["period"]): r for r in rows}
    table = []
    for code in region_codes:
        cells = [by_cell.get((code, y)) for y in years]
        table.append({"region_code": code, "region": name(regs.get(code), lang, code),
                      "status": status_badge(statuses[code], lang),
                      "cells": [None if c is None else
                                {"id": c["id"], "value_text": c["value_text"], "flags": c["flags"],
                                 "source_quality": c["source_quality"]}
                                for c in cells]})
    chart = {
        "kind": "line", "title": name(meta, lang, indicator), "unit": unit_label(meta["unit"], lang),
        "categories": years,
        "series": [{"name": row["region"],
                    # a line through measurements: a bound is no point on it (as the share chart)
                    "data": [None if c is None or by_cell[(row["region_code"], y)]["bound"]
                             else by_cell[(row["region_code"], y)]["value"]
                             for y, c in zip(years, row["cells"])]}
                   for row in table],
    }
    # the periods the chosen indicator has (its index answers; every period of every indicator
    # was a scan of the whole table on each view)
    all_years = queries.periods_with_data(session, [indicator])
    with_data = set(queries.indicators_with_data(session))
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    if q.page > pages:
        raise ValidationError(f"page {q.page} is past the last page {pages}", field="page")
    shown = rows[(q.page - 1) * PAGE_SIZE: q.page * PAGE_SIZE]
    groups: list[dict[str, Any]] = []  # the page's rows grouped by region, with its status
    for r in shown:
        if not groups or groups[-1]["region_code"] != r["region_code"]:
            groups.append({"region_code": r["region_code"], "region": r["region"],
                           "status": status_badge(statuses[r["region_code"]], lang),
                           "rows": []})
        groups[-1]["rows"].append(r)
    return {
        "indicator": {"code": indicator, "name": name(meta, lang, indicator), "unit": meta["unit"],
                      "direction": meta["direction"], "note": meta["note"]},
        "selection": {"indicator": indicator, "regions": region_codes, "group": group,
                      "from": q.period_from, "to": q.period_to, "status": q.status},
        "status_year": status_year, "page": q.page, "pages": pages, "groups": groups,
        "options": {
            "indicators": [{"code": c, "name": name(m, lang, c), "has_data": c in with_data}
                           for c, m in sorted(inds.items(), key=lambda kv: (kv[0] not in with_data,
                                                                             kv[1]["pillar"] or "",
                                                                             kv[0]))],
            "regions": [{"code": c, "name": name(m, lang, c), "level": m["level"]}
                        for c, m in regs.items() if m["level"] in ("province", "city", "zone")],
            "groups": _groups(session, lang),
            "years": all_years,
            "statuses": [status_badge(s, lang) for s in FILTER_STATUSES],
        },
        "total": total,
        "rows": rows,
        "years": years,
        "table": table,
        "chart": chart,
    }


def _status(session: Session, region: str, indicator: str, year: int | None) -> str:
    """The status of ``region``'s own target of ``indicator`` in force in ``year``, by the
    verdict's rule (:func:`lantu.evaluation.verdict.target_statuses`: any region, with or without
    a plan of its own); ``no_target`` when it has none."""
    from lantu.evaluation.verdict import target_statuses

    if year is None:
        return "no_target"
    try:
        found = target_statuses(session, region, year, [indicator])[indicator].status
    except ValidationError:  # a region the store does not know
        return "no_target"
    return found or "no_target"


def _groups(session: Session, lang: str) -> list[dict[str, str]]:
    return [{"code": g.code, "name": g.name_zh if lang == "zh" else (g.name_en or g.name_zh)}
            for g in repo.region_groups(session)]


def export_rows(view: dict[str, Any]) -> list[list[Any]]:
    """The rows of the CSV/XLSX export of an explorer view (header first)."""
    ind = view["indicator"]
    out: list[list[Any]] = [list(EXPORT_COLUMNS)]
    for r in view["rows"]:
        out.append([r["region_code"], r["region"], ind["code"], ind["name"], r["period"],
                    r["value"], r["unit"], ";".join(r["flags"]), r["source_url"], r["excerpt"],
                    r["source_quality"], r["version"]])
    return out


def to_csv(view: dict[str, Any]) -> bytes:
    """UTF-8 CSV with a byte-order mark, so that Excel opens the Chinese names right."""
    return ("\ufeff" + csv_rows(export_rows(view))).encode("utf-8")


def to_xlsx(view: dict[str, Any]) -> bytes:
    """An XLSX workbook: sheet ``data`` (the rows) and ``sources`` (indicator and selection)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    write_rows(ws, export_rows(view))  # text stays text: an excerpt "=…" is no formula
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHIJK", (10, 14, 14, 24, 8, 12, 8, 20, 50, 60, 8)):
        ws.column_dimensions[col].width = width
    meta = wb.create_sheet("selection")
    ind = view["indicator"]
    sel = view["selection"]
    write_rows(meta, [[k, v] for k, v in (
        ("indicator", ind["code"]), ("name", ind["name"]), ("unit", ind["unit"]),
        ("regions", ",".join(sel["regions"])), ("group", sel["group"]),
        ("from", sel["from"]), ("to", sel["to"]), ("rows", len(view["rows"])))])
    return save_exact(wb)
