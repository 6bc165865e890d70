"""``lantu index ua``: uncertainty (and sensitivity) analysis of a composite index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lantu.cli.index import index_app


def _write_atomic(out: Path, files: dict[str, str]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    staged = []
    for name, text in files.items():
        tmp = out / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        staged.append((tmp, out / name))
    for tmp, final in staged:
        tmp.replace(final)
    return [f for _, f in staged]


@index_app.command("ua")
def ua_cmd(
    idata: Annotated[Path, typer.Option("--idata", help="COINr iData table (CSV or XLSX)")],
    imeta: Annotated[Path, typer.Option("--imeta", help="COINr iMeta table (CSV or XLSX)")],
    spec: Annotated[Path, typer.Option("--spec", help="nominal spec (YAML or JSON)")],
    uncertainty: Annotated[Path, typer.Option("--uncertainty", help="uncertainty spec (YAML)")],
    out: Annotated[Path, typer.Option("--out", help="output directory")],
    n: Annotated[int, typer.Option("-N", "--n", min=1, help="replications (SA: base sample N)")] = 1000,
    seed: Annotated[int | None, typer.Option("--seed", help="random seed")] = None,
    sa: Annotated[bool, typer.Option("--sa", help="also first-order and total sensitivity indices")] = False,
    n_boot: Annotated[int, typer.Option("--nboot", min=0, help="bootstrap resamples (SA)")] = 100,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="worker processes")] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
) -> None:
    """Monte Carlo UA of SPEC under UNCERTAINTY; write DIR/rank_stats.csv (uCode, Nominal, Mean,
    Median, Q5, Q95), DIR/score_stats.csv and, with --sa, DIR/sensitivity.csv (input, Si, STi,
    Si_q5, Si_q95, STi_q5, STi_q95). With --sa the model runs N(d + 2) times and the rank
    statistics come from its 2N independent rows."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from lantu.engine import EngineError, Spec, load_coinr
    from lantu.engine.uncertainty import UASpec, UASpecError, run_sa, run_ua
    from lantu.engine.uncertainty_model import CoinModel

    try:
        ua_spec = UASpec.from_yaml(uncertainty)
        data = load_coinr(idata, imeta)
        model = CoinModel(data, Spec.load(spec))
        try:
            ua_spec = ua_spec.bind(model)
        except UASpecError as exc:
            raise UASpecError(f"{uncertainty}: {exc}") from None
    except (EngineError, UASpecError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None

    total = n * (len(ua_spec.inputs) + 2) if sa else n
    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), disable=quiet, transient=True) as bar:
        task = bar.add_task("sensitivity" if sa else "uncertainty", total=total)

        def progress(done: int, _total: int) -> None:
            bar.update(task, completed=done)

        if sa:
            res = run_sa(model, ua_spec, n, seed=seed, n_boot=n_boot, n_jobs=jobs, progress=progress)
            ua_res, ranks = res.ua, res.rank_stats
        else:
            ua_res = run_ua(model, ua_spec, n, seed=seed, n_jobs=jobs, progress=progress)
            ranks = ua_res.rank_stats
    files = {
        "rank_stats.csv": ranks.to_csv(index=False, float_format="%.17g"),
        "score_stats.csv": ua_res.score_stats.to_csv(index=False, float_format="%.17g"),
    }
    if sa:
        files["sensitivity.csv"] = res.sensitivity.to_csv(index=False, float_format="%.17g")
    paths = _write_atomic(out, files)
    runs = len(ua_res.scores)
    typer.echo(f"{runs} runs, {ua_res.n_failed} failed; {len(paths)} files written to {out}")
    if ua_res.failures:
        first = ua_res.failures[0]
        typer.echo(f"first failure (run {first[0]}): {first[1]}", err=True)
