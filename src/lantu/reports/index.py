"""A small composite index over a peer group, with rank intervals, for the monitoring report.

Built with the engine (:mod:`lantu.engine`): indicators min–max normalised to 1–100 by their
direction, equal weights, arithmetic mean. The rank interval is the 5 %–95 % range of the rank
over an uncertainty analysis (:func:`lantu.engine.uncertainty.run_ua`) in which the aggregation
(arithmetic or geometric mean) and the weights (each ±25 %, 50 sets) vary. Plain data in, plain
data out: the report decides which indicators and year to use (see
:func:`lantu.reports.data.index_inputs`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

SPEC = {"steps": [
    {"name": "normalise", "step": "normalise", "method": "minmax", "params": {"l_u": [1, 100]}},
    {"name": "aggregate", "step": "aggregate", "method": "amean"},
]}
UA = {"inputs": [
    {"name": "Aggregation", "target": "aggregate.method", "values": ["amean", "gmean"]},
    {"name": "Weights", "weights": {"n": 50, "noise": 0.25, "levels": [1], "seed": 1}},
]}
MIN_UNITS, MIN_INDICATORS = 3, 3


def peer_index(values: pd.DataFrame, directions: Mapping[str, int], *, n: int = 200,
               seed: int = 1) -> dict[str, Any]:
    """Index scores, ranks and rank intervals of the units (rows) of ``values``.

    Parameters
    ----------
    values
        Units × indicators, complete (no missing value), at least 3 × 3.
    directions
        Indicator → 1 or -1.
    n, seed
        Replications and seed of the uncertainty analysis.

    Returns
    -------
    dict
        ``rows``: one per unit, best first: ``code``, ``score``, ``rank``, ``rank_low``,
        ``rank_high`` (the 5 % and 95 % quantiles of the simulated rank, rounded).

    Examples
    --------
    >>> v = pd.DataFrame({"a": [1.0, 2, 3], "b": [2.0, 3, 4], "c": [0.5, 0.7, 0.9]},
    ...                  index=["x", "y", "z"])
    >>> [(r["code"], r["rank"], r["rank_low"], r["rank_high"])
    ...  for r in peer_index(v, {"a": 1, "b": 1, "c": 1}, n=20)["rows"]]
    [('z', 1, 1, 1), ('y', 2, 2, 2), ('x', 3, 3, 3)]
    """
    from lantu.engine import IndexData, Spec, build
    from lantu.engine.uncertainty import UASpec, run_ua
    from lantu.engine.uncertainty_model import CoinModel

    if values.shape[0] < MIN_UNITS or values.shape[1] < MIN_INDICATORS:
        raise ValueError(f"peer_index: need at least {MIN_UNITS} units × {MIN_INDICATORS} "
                         f"indicators, got {values.shape[0]} × {values.shape[1]}")
    if values.isna().any().any():
        col = values.columns[values.isna().any()][0]
        raise ValueError(f"peer_index: indicator {col!r} has a missing value")
    codes = list(values.columns)
    tree = pd.DataFrame({"code": [*codes, "Index"], "parent": [*["Index"] * len(codes), None],
                         "direction": [int(directions[c]) for c in codes] + [1],
                         "weight": [1.0] * (len(codes) + 1)})
    data = IndexData.from_frames(values.astype(float), tree, source="peer index")
    spec = Spec.from_dict(SPEC)
    coin = build(data, spec)
    res = coin.results()
    ua = run_ua(CoinModel(data, spec), UASpec.from_dict(UA), n, seed=seed)
    stats = ua.rank_stats.set_index("uCode")
    rows = [{"code": u, "score": float(s), "rank": int(r),
             "rank_low": int(round(stats.loc[u, "Q5"])), "rank_high": int(round(stats.loc[u, "Q95"]))}
            for u, s, r in zip(res["uCode"], res["Index"], res["Rank"])]
    return {"rows": rows, "n": n, "failed": ua.n_failed}
