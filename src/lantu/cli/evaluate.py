"""``lantu evaluate``: the verdict of a region, year and plan (:mod:`lantu.evaluation`)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from lantu.cli import app
from lantu.cli.common import (
    DbOption,
    err_console,
    friendly_errors,
    open_db,
    option_errors,
    parse_region,
    parse_year,
    write_output,
)

FORMATS = ("json", "csv", "table")
CSV_COLUMNS = ("node", "node_status", "indicator", "value", "period", "unit", "target_value",
               "target_value_high", "target_qualifier", "target_year", "target_kind", "status",
               "reason", "source_url")


def verdict_csv(data: dict) -> str:
    """One row per node × indicator (a node without indicators: one row with its status),
    written by the one CSV writer of user text (:func:`lantu.tabular.csv_rows`)."""
    from lantu.tabular import csv_rows

    rows: list[list] = [list(CSV_COLUMNS)]
    for n in data["nodes"]:
        if not n["indicators"]:
            rows.append([n["code"], n["status"], "", "", "", "", "", "", "", "", "", "",
                         n["reason"], ""])
        for i in n["indicators"]:
            t = i["target"] or {}
            rows.append([n["code"], n["status"], i["indicator"], i["value"], i["period"],
                         i["unit"], t.get("value"), t.get("value_high"), t.get("qualifier"),
                         t.get("year"), t.get("kind"), i["status"], i["reason"],
                         i["source_url"]])
    return csv_rows(rows)


def verdict_table(data: dict) -> str:
    """Plain text: one line per node, its indicators in force indented below it."""
    lines = [f"{data['region_name']} {data['year']} · {data['plan']}"
             + ("  [演示 demonstration]" if data["demo"] else "")]
    for n in data["nodes"]:
        pad = "  " * n["depth"]
        lines.append(f"{pad}{n['code']:<8} {n['status']:<24} {n['title']}")
        for i in n["indicators"]:
            if i["status"] is None:
                continue
            lines.append(f"{pad}    {i['indicator']:<28} {i['status']:<22} {i['reason']}")
    idx = data["index"]
    lines.append("index: " + (f"{idx['group']} {idx['year']} score {idx['score']} rank "
                              f"{idx['rank']} [{idx['rank_q5']}–{idx['rank_q95']}]"
                              if idx else f"— ({data.get('index_note') or 'none'})"))
    return "\n".join(lines) + "\n"


@app.command("evaluate")
@friendly_errors
def evaluate_cmd(
    region: Annotated[str, typer.Option(parser=parse_region,
                                        help="Region code (GB/T 2260), e.g. 140100.")],
    year: Annotated[int, typer.Option(parser=parse_year, help="Evaluated year, e.g. 2023.")],
    plan: Annotated[str | None, typer.Option(help="Plan code (default: the first stored).")] = None,
    group: Annotated[str | None, typer.Option(help="Peer group of the index.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json | csv | table")] = "json",
    out: Annotated[str | None, typer.Option("--out", "-o", help="File to write "
                                            "(default: standard output).")] = None,
    db: DbOption = None,
) -> None:
    """The verdict: every goal and task of the plan, its indicators against the targets in
    force in YEAR, status and reason; the peer index; primacy (the same as the web and API)."""
    from lantu.evaluation import evaluate

    if format not in FORMATS:
        err_console.print(f"error: --format must be json, csv or table, got {format!r}")
        raise typer.Exit(2)
    database = open_db(db)
    with database.session() as session, option_errors(region="--region", year="--year",
                                                       plan="--plan", group="--group"):
        data = evaluate(session, region=region, year=year, plan=plan, group=group).to_json()
    if format == "json":
        text = json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n"
    elif format == "csv":
        text = verdict_csv(data)
    else:
        text = verdict_table(data)
    write_output(text, out)
