"""What a step method sees: the current data set and where its rows and columns come from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from lantu.engine.data import IndexData

__all__ = ["DSet", "Ctx"]


@dataclass(frozen=True)
class DSet:
    """A named data set: rows are units (indices into ``IndexData.units``), columns are codes.

    ``values`` is units × columns float64 with NaN = missing; never modified in place.
    """

    units: np.ndarray
    cols: tuple[str, ...]
    values: np.ndarray


@dataclass
class Ctx:
    """Context passed to a method: the input data, the step's name, rows, columns, weights."""

    data: IndexData
    step: str
    units: np.ndarray
    cols: tuple[str, ...]
    weights: np.ndarray
    dsets: Mapping[str, DSet] = field(default_factory=dict)
    panel: np.ndarray | None = None

    @property
    def unit_codes(self) -> list[str]:
        """Codes of the rows."""
        return [self.data.units[i] for i in self.units]

    @property
    def directions(self) -> np.ndarray:
        """Direction (+1/-1) of each column (1 for non-indicators)."""
        pos = self.data.tree.index_of
        return np.array([self.data.tree.directions[pos[c]] if c in pos else 1.0 for c in self.cols])
