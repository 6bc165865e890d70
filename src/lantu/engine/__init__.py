"""Composite-index engine: pure numpy/pandas, no database, no web.

Public API::

    from lantu.engine import load_coinr, IndexData, Spec, build

    data = load_coinr("iData.csv", "iMeta.csv")
    spec = Spec.load("examples/asem/nominal.yaml")
    coin = build(data, spec)               # every data set kept, every step logged
    coin.results()                         # uCode, Index, Rank
    coin2 = coin.regen(spec.copy().set("treat.winmax", 1))   # reuses cached steps

See ``docs/engine.md``.
"""

from lantu.engine.coin import Coin, StepCache, StepRecord, build
from lantu.engine.context import DSet
from lantu.engine.data import IndexData, Panel, Tree, load_coinr, read_table
from lantu.engine.errors import ComputationError, DataError, EngineError, SpecError
from lantu.engine.methods.weight import ahp_weights, effective_weights, pca_weights
from lantu.engine.registry import FAMILIES, REGISTRY, Param
from lantu.engine.spec import DEFAULT_OUTPUT, Spec, Step
from lantu.engine.stats import kurt2, rank_min, skew2

__all__ = [
    "Coin", "StepCache", "StepRecord", "build", "DSet",
    "IndexData", "Panel", "Tree", "load_coinr", "read_table",
    "ComputationError", "DataError", "EngineError", "SpecError",
    "ahp_weights", "effective_weights", "pca_weights",
    "FAMILIES", "REGISTRY", "Param",
    "DEFAULT_OUTPUT", "Spec", "Step",
    "kurt2", "rank_min", "skew2",
]
