"""Data commands: init, import, show, export, demo."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table
from rich.tree import Tree

from lantu.cli import app
from lantu.cli.common import (
    DbOption,
    console,
    err_console,
    friendly_errors,
    input_file,
    no_database_there,
    open_db,
    parse_region,
    parse_source_url,
    styled,
    write_output,
)
from lantu.domain.textcodec import name_text, shown_name
from lantu.errors import LantuError, UsageError
from lantu.locale import plural


@app.command()
def version() -> None:
    """Print Lantu's version."""
    from lantu import __version__

    print(__version__)


@app.command()
@friendly_errors
def init(
    demo: Annotated[bool, typer.Option("--demo", help="Load the embedded Taiyuan default.")] = False,
    db: DbOption = None,
) -> None:
    """Create (or upgrade) the database; with --demo load the embedded Taiyuan default."""
    from lantu import services

    database = open_db(db, create=True)  # the command that makes databases
    if demo:
        with console.status("Loading the embedded Taiyuan default…"):
            services.init_default(database)
    else:
        services.init_reference(database)
    c = services.counts(database)
    console.print(styled("Database ready at ", (str(database.url), "bold"),
                         f": {c['regions']} regions, {c['observations']} observations, "
                         f"{c['targets']} targets, {plural(c['plans'], 'plan')}."))
    _first_admin_hint(database)


def _first_admin_hint(database) -> None:
    """Tell how to sign in when the database has no active admin yet."""
    from lantu.store import users

    with database.session() as s:
        if any(u.role == "admin" and u.active for u in users.list_users(s)):
            return
    console.print("No one can sign in yet. Create the first administrator:\n"
                  "  lantu user add NAME --role admin [--email ADDRESS]\n"
                  "then `lantu serve` and sign in at http://127.0.0.1:8000/login "
                  "(or `lantu demo` for demonstration logins of every role).", highlight=False)



@app.command("import")
@friendly_errors
def import_(
    files: Annotated[list[Path], typer.Argument(parser=input_file, help="CSV (UTF-8 or GBK) or XLSX tables, imported in order, each all or nothing.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    sheet: Annotated[str | None, typer.Option(help="Sheet of an XLSX workbook (default: the only sheet with data; one file only).")] = None,
    source_url: Annotated[str, typer.Option("--source-url", parser=parse_source_url, help="Milestone tables: the official URL of the report rows without a source were read from.")] = "",
    archive: Annotated[str, typer.Option("--archive", help="Milestone tables: the archived copy's path, where no official URL survives.")] = "",
    reviewed: Annotated[bool | None, typer.Option("--reviewed/--machine-read", show_default=False, help="Figures, targets and milestones alike: --reviewed, a person has checked every row (none is machine-read); --machine-read, none has been checked yet. Without either, each row's machine_read column (or the older reviewed column of milestone tables) or flags decide.")] = None,
    db: DbOption = None,
) -> None:
    """Import observations, targets or milestones from tables: each file all or nothing, every
    problem reported. Several files are imported in order (the next one is read while the one
    before is written); the first refused file stops the command, the files before it stay
    imported."""
    from lantu import services

    if sheet is not None and len(files) > 1:
        raise UsageError("--sheet names a sheet of one workbook: give one file")
    database = open_db(db)
    if sheet is not None:
        results = iter([services.import_file(
            database, files[0], dry_run=dry_run, sheet=sheet, source_url=source_url,
            archive=archive, reviewed=reviewed)])
    else:
        results = services.import_files(database, files, dry_run=dry_run,
                                        source_url=source_url, archive=archive,
                                        reviewed=reviewed,
                                        read_ahead=True)
    done = 0
    try:
        for file, res in zip(files, results):
            _say_imported(file, res, dry_run)
            done += 1
    except LantuError:
        if len(files) > done + 1:
            err_console.print("Not imported (the import stopped at the refused file): "
                              + ", ".join(name_text(str(f)) for f in files[done + 1:]), highlight=False,
                              soft_wrap=True)
        raise


def _say_imported(file: Path | str, res, dry_run: bool) -> None:
    file = shown_name(str(file))  # one line, its bytes read as stored (probe14, left12)
    o, t = res.observations, res.targets
    head = "Dry run — nothing written. Would apply" if dry_run else "Imported"
    if res.layout == "milestones":
        m = res.milestones
        console.print(f"{head} {file} (milestones, {res.encoding}): {len(m.inserted)} new, "
                      f"{len(m.revised)} updated, {m.unchanged} unchanged.")
        return
    console.print(f"{head} {file} ({res.layout}, {res.encoding}): observations "
                  f"{len(o.inserted)} new, {len(o.revised)} revised, {o.unchanged} unchanged, "
                  f"{len(o.outranked)} kept as revisions (a better source is stored); "
                  f"targets {len(t.inserted)} new, {len(t.revised)} marked reviewed, "
                  f"{t.unchanged} unchanged; {res.gaps} empty cells.")
    for note in res.notes:  # a column not read is said, never lost without a word (probe20)
        err_console.print(styled(("note:", "bold yellow"), f" {file}: {note}"),
                          highlight=False, soft_wrap=True)
    if dry_run and res.changes:
        table = Table("action", "region", "period", "indicator", "old", "new")
        for ch in res.changes[:200]:
            k = ch["key"]
            old, new = ch.get("old"), ch.get("new")
            table.add_row(ch["action"], k[0], k[1], k[2], "" if old is None else str(old),
                          "" if new is None else str(new))
        console.print(table)


class What(StrEnum):
    regions = "regions"
    indicators = "indicators"
    plan = "plan"
    coverage = "coverage"


@app.command()
@friendly_errors
def show(what: Annotated[What, typer.Argument(help="regions | indicators | plan | coverage")],
         region: Annotated[list[str] | None, typer.Option("--region", parser=parse_region, help="coverage: only this region (code; repeat for more).")] = None,
         by_quality: Annotated[bool, typer.Option("--by-quality", help="coverage: cells of the catalogue's indicators × years with a value, by source quality.")] = False,
         years: Annotated[str, typer.Option("--years", help="coverage --by-quality: the years, e.g. 2019-2024.")] = "2019-2024",
         db: DbOption = None) -> None:
    """Show reference data, the plan tree or data coverage (with --by-quality: by source
    quality of the current values)."""
    from lantu.store import repo

    database = open_db(db)
    with database.session() as s:
        if what is What.regions:
            t = Table("code", "名称", "name", "level", "parent", title="Regions 地区")
            for r in repo.regions(s):
                t.add_row(r.code, r.name_zh, r.name_en, r.level, r.parent or "")
            console.print(t)
            groups = repo.region_groups(s)
            if groups:
                g = Table("group", "名称", "members", title="Region groups 地区组")
                for gr in groups:
                    g.add_row(gr.code, gr.name_zh, " ".join(gr.members))
                console.print(g)
        elif what is What.indicators:
            t = Table("code", "名称", "unit", "dir", "pillar", "formula", title="Indicators 指标")
            for i in repo.indicators(s):
                t.add_row(i.code, i.name_zh, i.unit, f"{i.direction:+d}" if i.direction else "0",
                          i.pillar or "", i.formula.expression if i.formula else "")
            console.print(t)
        elif what is What.plan:
            print_plan(repo.load_plan(s))
        elif by_quality:
            print_quality_coverage(s, region, years)
        else:
            cov = repo.coverage(s)
            if region:
                cov = cov[cov["region_code"].isin(region)]
            print_coverage(cov, {r.code: r.name_zh for r in repo.regions(s)})


def print_quality_coverage(session, regions: list[str] | None, years: str) -> None:
    """The coverage matrix by source quality (docs/data.md shows it before and after)."""
    from lantu.domain import SOURCE_QUALITIES
    from lantu.domain.periods import read_year
    from lantu.store import evidence, repo

    lo, _, hi = years.partition("-")
    try:  # each end a year of the one rule (read_year), the first not after the last
        first, last = read_year(lo), read_year(hi or lo)
    except ValueError as exc:
        raise UsageError(f"--years {years!r}: give YYYY or YYYY-YYYY ({exc})") from None
    if first > last:
        raise UsageError(f"--years {years!r}: the first year is after the last")
    periods = [str(y) for y in range(first, last + 1)]
    n_ind = sum(1 for i in repo.indicators(session) if not i.is_derived)
    cov = evidence.coverage_by_quality(session, regions=regions, periods=periods)
    matrix = evidence.coverage_matrix(cov, n_indicators=n_ind, periods=periods)
    names = {r.code: r.name_zh for r in repo.regions(session)}
    t = Table("region", *SOURCE_QUALITIES, "total", "cells", "%",
              title=f"Coverage by source quality 按来源质量的覆盖情况: {n_ind} indicators × "
                    f"{periods[0]}–{periods[-1]}")
    for code, row in matrix.iterrows():
        t.add_row(f"{code} {names.get(code, '')}", *[str(int(row[q])) for q in SOURCE_QUALITIES],
                  str(int(row["total"])), str(int(row["cells"])), f"{int(row['share'])}")
    console.print(t)


def print_plan(plan) -> None:
    if plan is None:
        raise LantuError("no plan in the database: run `lantu init --demo` or load one")
    tree = Tree(styled((plan.title, "bold")))
    stack = {-1: tree}
    for depth, node in plan.walk():
        lead = f" ({node.lead}{', due ' + str(node.due) if node.due else ''})" if node.lead else ""
        stack[depth] = stack[depth - 1].add(styled((node.code, "cyan"), f" {node.title}",
                                                   (lead, "dim")))
    console.print(tree)


#: Years the plain coverage table shows (the latest ones); --by-quality takes --years.
MAX_COVERAGE_YEARS = 8


def print_coverage(cov: pd.DataFrame, names: dict[str, str]) -> None:
    if cov.empty:
        console.print("No observations yet.")
        return
    pivot = cov.pivot_table(index="region_code", columns="period", values="n", aggfunc="sum",
                            fill_value=0)
    pivot = pivot[list(pivot.columns)[-MAX_COVERAGE_YEARS:]]  # the corpus reaches back to 1999
    t = Table(title="Coverage: indicators with data per region and year 覆盖情况 "
                    f"(latest {MAX_COVERAGE_YEARS} years)")
    t.add_column("region", no_wrap=True)
    for c in pivot.columns:
        t.add_column(str(c))
    for code, row in pivot.iterrows():
        t.add_row(f"{code} {names.get(code, '')}", *[str(int(v)) if v else "·" for v in row])
    console.print(t)


class ExportWhat(StrEnum):
    observations = "observations"
    targets = "targets"
    milestones = "milestones"
    plan = "plan"
    tasks = "tasks"


class Fmt(StrEnum):
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


def frame_bytes(df: pd.DataFrame, fmt: Fmt, sheet: str) -> bytes | str:
    """A table as CSV, JSON or XLSX; text that a spreadsheet would run as a formula is written
    safely (see :mod:`lantu.tabular`)."""
    from lantu.tabular import csv_frame, xlsx_frame

    if fmt is Fmt.csv:
        return csv_frame(df)
    if fmt is Fmt.json:
        return df.to_json(orient="records", force_ascii=False, indent=1) + "\n"
    return xlsx_frame(df, sheet)


def export_format(given: Fmt | None, out: str | None) -> Fmt:
    """The format of an export: as given, else as the ``--out`` file's name ends, else CSV. A
    name ending in another format's extension than the one given is refused: ``--out x.xlsx``
    wrote CSV text into a file Excel cannot open (probe20)."""
    suffix = Path(out).suffix.lower().lstrip(".") if out else ""
    named = next((f for f in Fmt if f.value == suffix), None)
    if given is None:
        return named or Fmt.csv
    if named is not None and named is not given:
        raise UsageError(f"--format {given.value} but --out {name_text(out or '')} ends in "
                         f".{named.value}: give one of them so that they agree")
    return given


@app.command()
@friendly_errors
def export(
    what: Annotated[ExportWhat, typer.Argument(help="observations | targets | milestones | plan | tasks")],
    format: Annotated[Fmt | None, typer.Option("--format", "-f", help="csv, json or xlsx (default: as the --out file's name ends, else csv).")] = None,
    out: Annotated[str | None, typer.Option("--out", "-o", help="File to write (default: stdout).")] = None,
    db: DbOption = None,
) -> None:
    """Export observations (canonical columns with source quality, re-importable), targets,
    milestones, the plan, or the task table (任务分解表; as xlsx laid out for printing)."""
    from lantu.defaults import plan_to_dict
    from lantu.store import repo

    format = export_format(format, out)
    if format is Fmt.xlsx and not out:
        raise UsageError("--format xlsx needs --out FILE")
    database = open_db(db)
    with database.session() as s:
        if what is ExportWhat.observations:
            data = frame_bytes(repo.observations_frame(s), format, "observations")
        elif what is ExportWhat.targets:
            data = frame_bytes(repo.targets_frame(s), format, "targets")
        elif what is ExportWhat.milestones:
            from lantu.store.evidence import milestones_frame

            data = frame_bytes(milestones_frame(s), format, "milestones")
        elif what is ExportWhat.tasks:
            from lantu.reports.tasks import export_tasks

            data = export_tasks(s, format.value)
        else:
            plan = repo.load_plan(s)
            if plan is None:
                raise LantuError("no plan in the database")
            tree = plan_to_dict(plan)
            if format is Fmt.json:
                data = json.dumps(tree, ensure_ascii=False, indent=1) + "\n"
            else:
                rows = [{"code": n.code, "depth": d, "kind": n.kind, "title": n.title,
                         "text": n.text, "lead": n.lead or "", "supporting": ";".join(n.supporting),
                         "start": n.start, "due": n.due, "indicators": ";".join(n.indicators)}
                        for d, n in plan.walk()]
                data = frame_bytes(pd.DataFrame(rows), format, "plan")
    write_output(data, out)


@app.command()
@friendly_errors
def demo(db: DbOption = None,
         host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
         port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
         serve: Annotated[bool, typer.Option("--serve/--no-serve",
                                             help="Serve the web app after loading.")] = True) -> None:
    """Load the embedded Taiyuan default if absent, show it, and serve the web app."""
    from lantu import services
    from lantu.store import repo

    database = open_db(db, create=True)
    if not services.has_default(database):
        with console.status("Loading the embedded Taiyuan default…"):
            services.init_default(database)
    with database.session() as s:
        print_plan(repo.load_plan(s))
        print_coverage(repo.coverage(s), {r.code: r.name_zh for r in repo.regions(s)})
    c = services.counts(database)
    console.print(f"{c['observations']} observations, {c['targets']} targets in {database.url}")
    from lantu.cli.web import print_demo_logins, serve_app

    if serve:
        serve_app(database, host=host, port=port)
    else:
        print_demo_logins(database)


@app.command("check-stored")
@friendly_errors
def check_stored(db: DbOption = None,
                 count: Annotated[bool, typer.Option(
                     "--count", help="Print only how many stored texts break the rules.")] = False,
                 limit: Annotated[int, typer.Option(
                     min=1, help="List at most this many (the count is of all).")] = 1000,
                 ) -> None:
    """List the stored texts the current text rules refuse (written before a newer rule):
    table, row, column and reason; changes nothing. Exit 1 when there is any."""
    from lantu.store import open_database
    from lantu.store.sweep import stored_problems

    if db:
        no_database_there(db)  # a typo in --db made an empty file there (probe20)
    database = open_database(db, migrate=False)  # reads only: no upgrade either
    database.check_schema()  # an older schema is named, not half-read
    table = Table("table", "row", "column", "reason")
    n = 0
    with database.session() as s:
        for p in stored_problems(s):
            n += 1
            if not count and n <= limit:
                table.add_row(p.table, name_text(p.row), p.column, p.reason)
    if not count and n:
        console.print(table)
    if count:
        console.print(str(n), highlight=False)
    else:
        more = f" (the first {limit} listed)" if n > limit else ""
        console.print(f"{plural(n, 'stored text')} the current rules refuse{more}; "
                      "nothing was changed.", highlight=False)
    if n:
        raise typer.Exit(1)
