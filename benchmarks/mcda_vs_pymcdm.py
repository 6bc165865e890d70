"""TOPSIS and entropy weights on a 100,000 × 50 matrix: Lantu against pymcdm 1.4, in one run.

Lantu runs with its validation gate on (finite check, shapes, directions, weights); pymcdm's
TOPSIS is called with ``validation=False`` (its ``MCDA_method.__call__`` flag, which skips
``validate_decision_problem``); pymcdm's ``entropy_weights`` has no validation step at all.
Each timing is the best of ``--repeat`` runs. The last column is the largest absolute difference
between the two results, so the comparison is of the same numbers.

Run: ``.venv/bin/python benchmarks/mcda_vs_pymcdm.py`` (needs ``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import platform
import time
from collections.abc import Callable

import numpy as np
from pymcdm import normalizations
from pymcdm.methods import TOPSIS
from pymcdm.weights import entropy_weights as pymcdm_entropy

from lantu.engine.mcda import entropy_weights, topsis


def best_of(fn: Callable[[], np.ndarray], repeat: int) -> tuple[float, np.ndarray]:
    best = float("inf")
    out = fn()  # warm-up, also the result compared
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--cols", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=20211126)
    args = ap.parse_args()

    rng = np.random.default_rng(args.seed)
    X = rng.uniform(1.0, 100.0, size=(args.rows, args.cols))
    w = rng.uniform(0.1, 1.0, size=args.cols)
    w /= w.sum()
    types = rng.choice([-1, 1], size=args.cols)

    topsis_vec = TOPSIS(normalizations.vector_normalization)
    topsis_mm = TOPSIS(normalizations.minmax_normalization)
    cases = [
        (
            "TOPSIS, vector normalisation",
            lambda: topsis(X, w, types),
            lambda: topsis_vec(X, w, types, validation=False),
        ),
        (
            "TOPSIS, min-max normalisation",
            lambda: topsis(X, w, types, normalisation="minmax"),
            lambda: topsis_mm(X, w, types, validation=False),
        ),
        (
            "entropy weights, raw shares",
            lambda: entropy_weights(X, standardise="none"),
            lambda: pymcdm_entropy(X),
        ),
        (
            "entropy weights, min-max (Chinese form)",
            lambda: entropy_weights(X, types),
            None,
        ),
    ]

    print(
        f"{args.rows:,} × {args.cols} matrix, best of {args.repeat}; numpy {np.__version__}, "
        f"pymcdm {importlib.metadata.version('pymcdm')}, Python {platform.python_version()}"
    )
    header = f"{'method':<42}{'lantu (s)':>11}{'pymcdm (s)':>12}{'speed-up':>10}{'max |diff|':>13}"
    print(header)
    print("-" * len(header))
    for name, ours, theirs in cases:
        t_ours, r_ours = best_of(ours, args.repeat)
        if theirs is None:
            print(f"{name:<42}{t_ours:>11.4f}{'—':>12}{'—':>10}{'—':>13}")
            continue
        t_theirs, r_theirs = best_of(theirs, args.repeat)
        diff = float(np.max(np.abs(np.asarray(r_ours) - np.asarray(r_theirs))))
        print(f"{name:<42}{t_ours:>11.4f}{t_theirs:>12.4f}{t_theirs / t_ours:>9.1f}×{diff:>13.2e}")


if __name__ == "__main__":
    main()
