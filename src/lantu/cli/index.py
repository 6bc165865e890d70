"""``lantu index``: build a composite index from COINr-format input and a spec."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lantu.cli import app
from lantu.cli.common import input_file, load_spec, not_read_here, open_db, parse_year

index_app = typer.Typer(help="Composite indices: build (and analyse) an index from a spec.",
                        no_args_is_help=True)
app.add_typer(index_app, name="index")


def write_files(out: Path, files: dict[str, str]) -> list[Path]:
    """Write ``files`` (name → text) into ``out``: all to temporary names first, then renamed, so
    a failure leaves no half-written set of results. No file replaces one the command reads
    (:func:`~lantu.cli.common.not_read_here`: ``--out`` the folder of an input named
    ``Raw.csv`` replaced it, probe22), asked for all before the folder is made."""
    for name in files:
        not_read_here(out / name)
    out.mkdir(parents=True, exist_ok=True)
    staged = []
    for name, text in files.items():
        tmp = out / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        staged.append((tmp, out / name))
    for tmp, final in staged:
        tmp.replace(final)
    return [f for _, f in staged]


def write_outputs(coin, out: Path) -> list[Path]:
    """Write every data set, ``results.csv`` and the resolved spec into ``out``; return the paths."""
    import yaml

    from lantu.engine import SpecError
    from lantu.tabular import csv_frame  # a unit's code "@SUM(1)" stays text (probe23)

    files: dict[str, str] = {}
    for name in coin.dset_names:
        if name == "results":  # its file would be lost under results.csv (probe22)
            raise SpecError(None, "dset_out", "a data set may not be named 'results': its file "
                                              "would be replaced by results.csv")
        files[f"{name}.csv"] = csv_frame(coin.dset(name), float_format="%.17g")
    files["results.csv"] = csv_frame(coin.results(), float_format="%.17g")
    files["spec.yaml"] = yaml.safe_dump(coin.resolved_spec(), sort_keys=False, allow_unicode=True)
    return write_files(out, files)


@index_app.command("build")
def build_cmd(
    idata: Annotated[Path, typer.Option("--idata", parser=input_file, help="COINr iData table (CSV or XLSX)")],
    imeta: Annotated[Path, typer.Option("--imeta", parser=input_file, help="COINr iMeta table (CSV or XLSX)")],
    spec: Annotated[Path, typer.Option("--spec", parser=input_file, help="spec (YAML or JSON)")],
    out: Annotated[Path, typer.Option("--out", help="output directory")],
    time: Annotated[
        int | None, typer.Option("--time", help="period to use from a panel iData (default: latest)")
    ] = None,
) -> None:
    """Run SPEC on IDATA/IMETA; write DIR/<DataSet>.csv, DIR/results.csv and DIR/spec.yaml."""
    from lantu.engine import SpecError, build, load_coinr

    s = load_spec(spec)
    if not any(st.step == "aggregate" for st in s.steps):
        raise SpecError(None, "steps", "the spec has no aggregate step, so no index to write to results.csv")
    data = load_coinr(idata, imeta, time=time)
    coin = build(data, s)
    paths = write_outputs(coin, out)
    typer.echo(f"{len(paths)} files written to {out}")


@index_app.command("inputs")
def inputs_cmd(
    out: Annotated[Path, typer.Option("--out", help="output directory")],
    year: Annotated[int | None, typer.Option("--year", parser=parse_year, help="year of the index (default: the "
                                             "year it ranks the most members in)")] = None,
    group: Annotated[str | None, typer.Option("--group", help="peer group (default: the "
                                              "framework's)")] = None,
    db: Annotated[str | None, typer.Option("--db", envvar="LANTU_DATABASE_URL",
                                           help="SQLAlchemy URL of the database")] = None,
) -> None:
    """Write the peer index (the comparison page's, the report's and the API's) as COINr inputs
    from the database: ``iData.csv`` (a panel: every member and year, numerators with their
    same-year denominators), ``iMeta.csv`` and ``spec.yaml``, so that ``lantu index build --time
    YEAR`` (or COINr) recomputes the same index from the same numbers."""
    import yaml

    from lantu.domain import ValidationError
    from lantu.evaluation import peer_index
    from lantu.tabular import csv_frame

    database = open_db(db)
    try:
        with database.session() as s:
            group = group or peer_index.load_framework().group
            idata, imeta, spec, year, years = peer_index.inputs(s, group, year)
    except ValidationError as exc:
        raise ValidationError(f"{exc} (run `lantu init --demo` for the default's data)") from None
    if year not in years:
        raise ValidationError(f"the index of {group} cannot be built for {year}; years it can: "
                              f"{', '.join(map(str, years)) or 'none'}", field="--year")
    # through the one CSV writer: text escaped (a region's name may be anyone's), numbers as
    # numbers, so COINr and ``lantu index build`` read the same panel
    files = {"iData.csv": csv_frame(idata, na_rep="NA"),
             "iMeta.csv": csv_frame(imeta, na_rep="NA"),
             "spec.yaml": yaml.safe_dump(spec.to_dict(), sort_keys=False, allow_unicode=True)}
    paths = write_files(out, files)
    typer.echo(f"{len(paths)} files written to {out} ({group}, {year}); "
               f"build with: lantu index build --idata {out / 'iData.csv'} "
               f"--imeta {out / 'iMeta.csv'} --spec {out / 'spec.yaml'} --time {year} --out DIR")
