"""``lantu index ua``: uncertainty (and sensitivity) analysis of a composite index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lantu.cli.common import input_file, load_spec, load_ua_spec
from lantu.cli.index import index_app, write_files
from lantu.errors import UsageError

IDataOpt = Annotated[Path, typer.Option("--idata", parser=input_file, help="COINr iData table (CSV or XLSX)")]
IMetaOpt = Annotated[Path, typer.Option("--imeta", parser=input_file, help="COINr iMeta table (CSV or XLSX)")]
SpecOpt = Annotated[Path, typer.Option("--spec", parser=input_file, help="nominal spec (YAML or JSON)")]
OutOpt = Annotated[Path, typer.Option("--out", help="output directory")]


@index_app.command("ua")
def ua_cmd(
    idata: IDataOpt,
    imeta: IMetaOpt,
    spec: SpecOpt,
    uncertainty: Annotated[Path, typer.Option("--uncertainty", parser=input_file, help="uncertainty spec (YAML)")],
    out: OutOpt,
    n: Annotated[int, typer.Option("-N", "--n", min=1, help="replications (SA: base sample N)")] = 1000,
    seed: Annotated[int | None, typer.Option("--seed", help="random seed")] = None,
    sa: Annotated[bool, typer.Option("--sa", help="also first-order and total sensitivity indices")] = False,
    n_boot: Annotated[int, typer.Option("--nboot", min=0, help="bootstrap resamples (SA)")] = 100,
    design: Annotated[str, typer.Option("--design", help="SA design: random or sobol (SALib)")] = "random",
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="worker processes")] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
) -> None:
    """Monte Carlo UA of SPEC under UNCERTAINTY; write DIR/rank_stats.csv (uCode, Nominal, Mean,
    Median, Q5, Q95), DIR/score_stats.csv, DIR/runs.csv (the alternative each run used, its
    error if it failed) and, with --sa, DIR/sensitivity.csv (input, Si, STi, Si_q5, Si_q95,
    STi_q5, STi_q95). With --sa the model runs N(d + 2) times and the rank statistics come from
    its 2N independent rows."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from lantu.engine import load_coinr
    from lantu.engine.uncertainty import UASpecError, run_sa, run_ua
    from lantu.engine.uncertainty_model import CoinModel

    ua_spec = load_ua_spec(uncertainty)
    data = load_coinr(idata, imeta)
    model = CoinModel(data, load_spec(spec))
    try:
        ua_spec = ua_spec.bind(model)
    except UASpecError as exc:
        raise UASpecError(f"{uncertainty}: {exc}") from None
    if sa and n < 2:
        raise UsageError("--sa needs -N >= 2 (the base sample size)")
    if design not in ("random", "sobol"):
        raise UsageError(f"--design must be 'random' or 'sobol', got {design!r}")
    total = n * (len(ua_spec.inputs) + 2) if sa else n
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), disable=quiet, transient=True) as bar:
        task = bar.add_task("sensitivity" if sa else "uncertainty", total=total)

        def progress(done: int, _total: int) -> None:
            bar.update(task, completed=done)

        if sa:
            res = run_sa(model, ua_spec, n, seed=seed, n_boot=n_boot, n_jobs=jobs, design=design,
                         progress=progress)
            ua_res, ranks = res.ua, res.rank_stats
        else:
            ua_res = run_ua(model, ua_spec, n, seed=seed, n_jobs=jobs, progress=progress)
            ranks = ua_res.rank_stats
    runs_table = ua_res.samples.copy()
    if sa:
        runs_table.insert(0, "block", ["A"] * n + ["B"] * n
                          + [f"AB_{i.name}" for i in ua_spec.inputs for _ in range(n)])
        runs_table["y"] = res.y
    runs_table.insert(0, "run", range(len(runs_table)))
    runs_table["error"] = ""
    for i, msg in ua_res.failures:
        runs_table.loc[i, "error"] = msg
    from lantu.tabular import csv_frame  # a unit's code "@SUM(1)" stays text (probe23)

    files = {
        "rank_stats.csv": csv_frame(ranks, float_format="%.17g"),
        "score_stats.csv": csv_frame(ua_res.score_stats, float_format="%.17g"),
        "runs.csv": csv_frame(runs_table, float_format="%.17g"),
    }
    if sa:
        files["sensitivity.csv"] = csv_frame(res.sensitivity, float_format="%.17g")
    paths = write_files(out, files)
    runs = len(ua_res.scores)
    typer.echo(f"{runs} runs, {ua_res.n_failed} failed; {len(paths)} files written to {out}")
    if ua_res.failures:
        first = ua_res.failures[0]
        typer.echo(f"first failure (run {first[0]}): {first[1]}", err=True)


@index_app.command("analyse")
def analyse_cmd(
    idata: IDataOpt,
    imeta: IMetaOpt,
    spec: SpecOpt,
    out: OutOpt,
    stats_of: Annotated[str, typer.Option("--stats-of", help="data set for the statistics")] = "Raw",
    corr_of: Annotated[str, typer.Option("--corr-of", help="data set for correlations and alpha")] = "Normalised",
    method: Annotated[str, typer.Option("--method", help="pearson or spearman")] = "pearson",
    loo: Annotated[bool, typer.Option("--loo/--no-loo", help="leave-one-indicator-out")] = True,
) -> None:
    """Indicator analysis of SPEC on IDATA/IMETA: DIR/indicator_stats.csv (statistics and flags of
    the --stats-of data set), DIR/correlation_flags.csv (pairs with the same parent in --corr-of),
    DIR/cronbach.csv (alpha of each parent's children) and DIR/leave_one_out.csv."""
    from lantu.engine import analyse as an
    from lantu.engine import build, load_coinr
    from lantu.engine.uncertainty_model import leave_one_out_coin

    data = load_coinr(idata, imeta)
    s = load_spec(spec)
    coin = build(data, s)
    for opt, name in (("--stats-of", stats_of), ("--corr-of", corr_of)):
        if name not in coin.dset_names:
            raise UsageError(f"{opt}: no data set {name!r}; data sets: {coin.dset_names}")
    if method not in ("pearson", "spearman"):
        raise UsageError(f"--method: must be 'pearson' or 'spearman', got {method!r}")
    parents = {c: p for c, p in zip(data.tree.codes, data.tree.parents, strict=True) if p}
    inds = list(data.tree.indicators)
    stats = an.indicator_stats(coin.dset(stats_of).set_index("uCode")[inds])
    corr_df = coin.dset(corr_of).set_index("uCode")
    cols = [c for c in corr_df.columns if c in parents]
    flags = an.correlation_flags(corr_df[cols], parents, method=method)
    alpha = an.cronbach_by_group(corr_df[cols], parents)
    from lantu.tabular import csv_frame

    files = {
        "indicator_stats.csv": csv_frame(stats, index=True, float_format="%.17g"),
        "correlation_flags.csv": csv_frame(flags, float_format="%.17g"),
        "cronbach.csv": csv_frame(alpha, index=True, float_format="%.17g"),
    }
    if loo:
        files["leave_one_out.csv"] = csv_frame(leave_one_out_coin(data, s), index=True, float_format="%.17g")
    paths = write_files(out, files)
    typer.echo(f"{len(paths)} files written to {out}")
