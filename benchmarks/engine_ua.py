"""Speed of the uncertainty analysis (``lantu.engine.uncertainty``), printed as a table.

Run: ``.venv/bin/python benchmarks/engine_ua.py [--n 1000] [--syn-n 1000]``

1. ASEM (51 × 49), ``examples/asem/ua.yaml`` (winmax 1-5, min-max [1,100] / z-score (10,2),
   100 noisy weight sets, arithmetic / geometric mean): Monte Carlo UA of N replications, cold
   (a fresh model and cache each time), serial and with 2 worker processes; regenerations per
   second = N / wall time. Peers: COINr's figure as quoted in issue 3 (about 5 per second on
   these machines, not measured here: R is not installed), and, measured in the same run, a
   naive pandas re-implementation (``_naive_asem.py``) that recomputes every step for each
   replication, run on the first replications of the same sample.
2. Synthetic 3,000 units × 100 indicators, 3 aggregation levels (the engine's
   ``benchmarks/engine_pipeline.synthetic``): one cold build, and a UA of N = 1,000 with the same
   four kinds of inputs (z-score (100, 10) so the geometric mean stays defined) on 2 processes.

Two columns: wall-clock, and per CPU-second (CPU time of this process and its worker processes),
which stays meaningful when the machine is shared with other jobs (the load average is printed).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _naive_asem import NaiveASEM  # noqa: E402
from engine_pipeline import synthetic  # noqa: E402

from lantu.engine import Spec, build, load_coinr  # noqa: E402
from lantu.engine.uncertainty import UASpec, _uniform_codes, run_ua  # noqa: E402
from lantu.engine.uncertainty_model import CoinModel  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples" / "asem"
SYN_UA = {"inputs": [
    {"name": "Winmax", "target": "treat.winmax", "values": [1, 2, 3, 4, 5]},
    {"name": "Normalisation", "target": "normalise", "values": [
        {"method": "minmax", "params": {"l_u": [1, 100]}},
        {"method": "zscore", "params": {"m_sd": [100, 10]}}]},
    {"name": "Weights", "weights": {"n": 100, "noise": 0.25, "levels": [2, 3], "seed": 1}},
    {"name": "Aggregation", "target": "aggregate.method", "values": ["amean", "gmean"]},
]}


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (worker processes)."""
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + ch.ru_utime + ch.ru_stime


def timed(fn):
    """(result, wall seconds, CPU seconds)."""
    t, c = time.perf_counter(), _cpu()
    out = fn()
    return out, time.perf_counter() - t, _cpu() - c


def naive_settings(spec: UASpec, row: np.ndarray) -> dict:
    """The naive baseline's arguments for one row of alternative codes of ua.yaml."""
    wm, nm, w, ag = (int(v) for v in row)
    norm = spec.inputs[1].values[nm]
    kind = norm["method"]
    a, b = norm["params"]["l_u" if kind == "minmax" else "m_sd"]
    return {"winmax": spec.inputs[0].values[wm], "normalise": (kind, a, b),
            "weights": spec.inputs[2].sets[w], "aggregate": spec.inputs[3].values[ag]}


def asem(n: int, n_naive: int, seed: int = 42) -> list[tuple[str, str, str, str]]:
    data = load_coinr(EX / "iData.csv", EX / "iMeta.csv")
    nominal = Spec.load(EX / "nominal.yaml")
    spec = UASpec.from_yaml(EX / "ua.yaml").bind(CoinModel(data, nominal))
    rows = []
    results = {}
    for jobs in (1, 2):
        best = (np.inf, np.inf)
        for _ in range(3):
            model = CoinModel(data, nominal)                    # cold: empty step cache
            res, dt, cpu = timed(lambda m=model, j=jobs: run_ua(m, spec, n, seed=seed, n_jobs=j))
            best = min(best, (dt, cpu))
        results[jobs] = res
        distinct = len(np.unique(res.samples.to_numpy(), axis=0))
        rows.append((f"ASEM UA of ua.yaml, N = {n}, {jobs} process{'es' if jobs > 1 else ''}",
                     f"{n / best[0]:,.0f} /s", f"{n / best[1]:,.0f} /s",
                     f"{best[0]:.2f} s wall; {distinct} distinct runs, {res.n_failed} failed"))
    assert np.array_equal(results[1].scores, results[2].scores, equal_nan=True)

    # naive pandas baseline on the first replications of the same sample
    naive = NaiveASEM(pd.read_csv(EX / "iData.csv"), pd.read_csv(EX / "iMeta.csv"))
    u = np.random.default_rng(seed).random((n, len(spec.inputs)))
    codes = _uniform_codes(spec, u)[:n_naive]
    out, dt, cpu = timed(lambda: [naive.regen(**naive_settings(spec, r)).to_numpy() for r in codes])
    diff = np.max(np.abs(np.array(out) / results[1].scores[:n_naive] - 1))
    nom = naive.regen().to_numpy()
    ndiff = np.max(np.abs(nom / build(data, nominal).index_scores() - 1))
    rows.append((f"naive pandas re-implementation, {n_naive} of the same runs",
                 f"{n_naive / dt:,.1f} /s", f"{n_naive / cpu:,.1f} /s",
                 f"measured; agrees with the engine to {max(diff, ndiff):.1e} (relative)"))
    rows.append(("COINr 1.1.14 (R), from issue 3", "~5 /s", "", "QUOTED, not measured (no R here)"))
    return rows


def synthetic_rows(n: int) -> list[tuple[str, str, str, str]]:
    data, spec = synthetic()
    t_build = min(timed(lambda: build(data, spec))[1:] for _ in range(3))
    ua = UASpec.from_dict(SYN_UA)
    model = CoinModel(data, spec, cache_size=64)
    res, dt, cpu = timed(lambda: run_ua(model, ua, n, seed=1, n_jobs=2))
    return [
        ("synthetic 3,000 × 100 × 3 levels: one build (cold)", f"{t_build[0] * 1000:,.0f} ms",
         f"{t_build[1] * 1000:,.0f} ms", "target < 1,000 ms"),
        (f"synthetic: UA N = {n}, 2 processes", f"{dt:,.1f} s", f"{cpu:,.1f} s",
         f"target < 60 s; {n / dt:,.0f} /s, {res.n_failed} failed"),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="ASEM UA replications")
    ap.add_argument("--naive", type=int, default=50, help="replications for the naive baseline")
    ap.add_argument("--syn-n", type=int, default=1000, help="synthetic UA replications")
    args = ap.parse_args()
    load = os.getloadavg()
    with threadpool_limits(limits=1, user_api="blas"):   # same for every contender (see docs)
        rows = asem(args.n, args.naive) + synthetic_rows(args.syn_n)
    w = max(len(r[0]) for r in rows)
    print(f"{'case':<{w}}  {'wall':>10}  {'per CPU-s':>10}  note")
    for r in rows:
        print(f"{r[0]:<{w}}  {r[1]:>10}  {r[2]:>10}  {r[3]}")
    print(f"(python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
          f"load average at start {load[0]:.1f})")


if __name__ == "__main__":
    main()
