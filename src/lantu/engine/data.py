"""Input of the engine: the indicator tree and the units × indicators data.

One validation gate (:func:`_validate_tree`, :meth:`IndexData.__post_init__`) checks everything at
the boundary, before any computation: duplicate codes, unknown parents, cycles, orphans, levels,
directions, weights summing to zero within a parent, non-numeric values.

Two constructors feed it: :func:`load_coinr` (COINr's ``iData``/``iMeta`` tables, CSV or XLSX)
and :meth:`IndexData.from_frames` (plain DataFrames, as Lantu's store provides them).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lantu.engine.errors import DataError

__all__ = ["Tree", "Panel", "IndexData", "load_coinr", "read_table"]


def _is_missing(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and np.isnan(v):
        return True
    return isinstance(v, str) and v.strip() in ("", "NA")


@dataclass(frozen=True)
class Tree:
    """The indicator tree: indicators (level 1) and aggregates (levels 2, 3, ...).

    Nodes are stored in a fixed order: indicators first (in the order given), then aggregates
    level by level, alphabetically by code within a level (the column order of COINr's
    ``Aggregated`` data set).

    Attributes
    ----------
    codes : tuple of str
        Node codes.
    levels : numpy.ndarray of int
        Level of each node (1 = indicator).
    parents : tuple of (str or None)
        Parent code of each node (None for the root).
    directions : numpy.ndarray of float
        +1 or -1 for indicators (1 for aggregates).
    weights : numpy.ndarray of float
        Weight of each node relative to its siblings.
    names : tuple of str
        Display names (the code when none was given).
    denominators : dict
        Indicator code -> denominator column, for indicators that have one.
    targets : dict
        Indicator code -> target value, for indicators that have one.
    """

    codes: tuple[str, ...]
    levels: np.ndarray
    parents: tuple[str | None, ...]
    directions: np.ndarray
    weights: np.ndarray
    names: tuple[str, ...]
    denominators: dict[str, str] = field(default_factory=dict)
    targets: dict[str, float] = field(default_factory=dict)

    @cached_property
    def n_indicators(self) -> int:
        """Number of level-1 nodes."""
        return int(np.sum(self.levels == 1))

    @cached_property
    def indicators(self) -> tuple[str, ...]:
        """Indicator codes in tree order."""
        return self.codes[: self.n_indicators]

    @cached_property
    def max_level(self) -> int:
        """Highest level (the root's)."""
        return int(self.levels.max())

    @cached_property
    def root(self) -> str:
        """Code of the single top node (the index)."""
        return self.codes[-1]

    @cached_property
    def index_of(self) -> dict[str, int]:
        """Code -> position."""
        return {c: i for i, c in enumerate(self.codes)}

    def children(self, code: str) -> list[str]:
        """Children of ``code`` in tree order."""
        return [c for c, p in zip(self.codes, self.parents, strict=True) if p == code]

    def codes_at(self, level: int) -> list[str]:
        """Codes at ``level`` in tree order."""
        return [c for c, lv in zip(self.codes, self.levels, strict=True) if lv == level]

    def to_frame(self) -> pd.DataFrame:
        """The tree as a table (``iCode, Level, Parent, Direction, Weight, iName``)."""
        return pd.DataFrame(
            {
                "iCode": list(self.codes),
                "Level": self.levels.astype(int),
                "Parent": list(self.parents),
                "Direction": self.directions.astype(int),
                "Weight": self.weights,
                "iName": list(self.names),
            }
        )

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, source: str = "tree") -> Tree:
        """Build and validate a tree from a table.

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per node with column ``code`` (or ``iCode``) and ``parent`` (or
            ``Parent``); optional ``level``/``Level``, ``direction``/``Direction`` (default 1),
            ``weight``/``Weight`` (default 1), ``name``/``iName``, ``denominator``/
            ``Denominator``, ``target``/``Target``. Without levels, indicators are the nodes
            that are nobody's parent and levels are derived from the depth.
        source : str
            Name used in error messages (a file name, ``"iMeta"``...).

        Returns
        -------
        Tree

        Examples
        --------
        >>> t = Tree.from_frame(pd.DataFrame({"code": ["a", "b", "Index"],
        ...                                   "parent": ["Index", "Index", None]}))
        >>> t.codes, t.root
        (('a', 'b', 'Index'), 'Index')
        """
        cols = {c.lower(): c for c in frame.columns}

        def col(*names: str) -> str | None:
            for n in names:
                if n.lower() in cols:
                    return cols[n.lower()]
            return None

        c_code = col("code", "iCode")
        c_parent = col("parent")
        if c_code is None:
            raise DataError(f"{source}: no column 'code' (or 'iCode')")
        if c_parent is None:
            raise DataError(f"{source}: no column 'parent' (or 'Parent')")
        c_level, c_dir, c_w = col("level"), col("direction"), col("weight")
        c_name, c_den, c_targ = col("name", "iName"), col("denominator"), col("target")
        rows = []
        numbered = pd.api.types.is_integer_dtype(frame.index.dtype)
        for i, (label, r) in enumerate(frame.iterrows()):
            # row numbers of the source table (1 = first data row) when the index carries them
            rowno = int(label) + 1 if numbered else i + 1
            code = r[c_code]
            if _is_missing(code):
                raise DataError(f"{source}: row {rowno}: field '{c_code}' is empty")
            code = str(code).strip()
            parent = None if _is_missing(r[c_parent]) else str(r[c_parent]).strip()
            rows.append(
                {
                    "row": rowno,
                    "code": code,
                    "parent": parent,
                    "level": None if c_level is None or _is_missing(r[c_level]) else r[c_level],
                    "direction": 1 if c_dir is None or _is_missing(r[c_dir]) else r[c_dir],
                    "weight": 1.0 if c_w is None or _is_missing(r[c_w]) else r[c_w],
                    "name": code if c_name is None or _is_missing(r[c_name]) else str(r[c_name]),
                    "denominator": None
                    if c_den is None or _is_missing(r[c_den])
                    else str(r[c_den]).strip(),
                    "target": None if c_targ is None or _is_missing(r[c_targ]) else r[c_targ],
                }
            )
        return _validate_tree(rows, source)


def _num(v: object, what: str, source: str, rowno: int, code: str = "") -> float:
    of = f" of '{code}'" if code else ""  # the row's code too: "row 1" alone was read as the header
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DataError(f"{source}: row {rowno}: field '{what}'{of} is not a number: {v!r}") from None
    if not np.isfinite(x):
        raise DataError(f"{source}: row {rowno}: field '{what}'{of} is not finite: {v!r}")
    return x


def _validate_tree(rows: list[dict], source: str) -> Tree:
    """The one validation gate of an indicator tree (see :meth:`Tree.from_frame`)."""
    if not rows:
        raise DataError(f"{source}: the tree has no nodes")
    seen: dict[str, int] = {}
    for r in rows:
        if r["code"] in seen:
            raise DataError(
                f"{source}: row {r['row']}: duplicate code '{r['code']}' (first at row {seen[r['code']]})"
            )
        seen[r["code"]] = r["row"]
    by_code = {r["code"]: r for r in rows}
    for r in rows:
        if r["parent"] is not None and r["parent"] not in by_code:
            raise DataError(
                f"{source}: row {r['row']}: field 'parent': unknown parent '{r['parent']}' of '{r['code']}'"
            )
        if r["parent"] == r["code"]:
            raise DataError(f"{source}: row {r['row']}: field 'parent': '{r['code']}' is its own parent (cycle)")
    # cycles
    for r in rows:
        path = [r["code"]]
        p = r["parent"]
        while p is not None:
            if p in path:
                cyc = " -> ".join(path[path.index(p) :] + [p])
                raise DataError(f"{source}: row {r['row']}: field 'parent': cycle {cyc}")
            path.append(p)
            p = by_code[p]["parent"]
    has_child = {r["parent"] for r in rows if r["parent"] is not None}
    # levels: given or derived (indicators = leaves at level 1, parent = child + 1)
    for r in rows:
        if r["level"] is not None:
            lv = _num(r["level"], "level", source, r["row"])
            if lv != int(lv) or lv < 1:
                raise DataError(f"{source}: row {r['row']}: field 'level' must be an integer >= 1, got {r['level']!r}")
            r["level"] = int(lv)
    if all(r["level"] is None for r in rows):
        def depth_below(code: str) -> int:
            kids = [c for c in by_code if by_code[c]["parent"] == code]
            return 1 if not kids else 1 + max(depth_below(k) for k in kids)

        for r in rows:
            r["level"] = depth_below(r["code"])
    for r in rows:
        if r["level"] is None:
            raise DataError(f"{source}: row {r['row']}: field 'level' is empty for '{r['code']}'")
    top = max(r["level"] for r in rows)
    roots = [r for r in rows if r["parent"] is None]
    for r in rows:
        if r["level"] == 1 and r["code"] in has_child:
            raise DataError(f"{source}: row {r['row']}: field 'level': '{r['code']}' is level 1 but has children")
        if r["level"] > 1 and r["code"] not in has_child:
            raise DataError(
                f"{source}: row {r['row']}: orphan aggregate '{r['code']}' (level {r['level']}) has no children"
            )
        if r["parent"] is None and r["level"] != top:
            raise DataError(
                f"{source}: row {r['row']}: field 'parent': orphan '{r['code']}' (level {r['level']}) has no parent"
            )
        if r["parent"] is not None:
            pl = by_code[r["parent"]]["level"]
            if pl != r["level"] + 1:
                raise DataError(
                    f"{source}: row {r['row']}: field 'level': '{r['code']}' is level {r['level']} "
                    f"but its parent '{r['parent']}' is level {pl} (must be {r['level'] + 1})"
                )
    if top > 1 and len(roots) != 1:
        raise DataError(
            f"{source}: the tree must have one root at level {top}, found {len(roots)}: "
            + ", ".join(r["code"] for r in roots)
        )
    for r in rows:
        d = _num(r["direction"], "direction", source, r["row"], r["code"])
        if d not in (1.0, -1.0):
            raise DataError(f"{source}: row {r['row']}: field 'direction' of '{r['code']}' must be "
                            f"1 or -1, got {r['direction']!r}")
        r["direction"] = d
        r["weight"] = _num(r["weight"], "weight", source, r["row"], r["code"])
        if r["target"] is not None:
            r["target"] = _num(r["target"], "target", source, r["row"], r["code"])
    # weights summing to zero within a parent
    sums: dict[str, float] = {}
    for r in rows:
        if r["parent"] is not None:
            sums[r["parent"]] = sums.get(r["parent"], 0.0) + r["weight"]
    for p, s in sums.items():
        if s == 0:
            raise DataError(
                f"{source}: row {by_code[p]['row']}: field 'weight': the weights of the children of '{p}' sum to zero"
            )
    if top == 1 and len(rows) > 0:
        pass  # indicators only: no aggregation possible, still a valid tree for data sets
    inds = [r for r in rows if r["level"] == 1]
    aggs = sorted((r for r in rows if r["level"] > 1), key=lambda r: (r["level"], r["code"]))
    ordered = inds + aggs
    return Tree(
        codes=tuple(r["code"] for r in ordered),
        levels=np.array([r["level"] for r in ordered], dtype=np.int64),
        parents=tuple(r["parent"] for r in ordered),
        directions=np.array([r["direction"] if r["level"] == 1 else 1.0 for r in ordered]),
        weights=np.array([r["weight"] for r in ordered], dtype=np.float64),
        names=tuple(r["name"] for r in ordered),
        denominators={r["code"]: r["denominator"] for r in inds if r["denominator"]},
        targets={r["code"]: r["target"] for r in inds if r["target"] is not None},
    )


@dataclass(frozen=True)
class Panel:
    """Several periods of the same units and indicators (for panel imputation).

    Attributes
    ----------
    times : numpy.ndarray
        Sorted periods.
    values : numpy.ndarray
        periods × units × indicators, NaN = missing (units and indicators in the order of the
        owning :class:`IndexData`).
    denominators : dict
        Denominator column -> periods × units array.
    """

    times: np.ndarray
    values: np.ndarray
    denominators: dict[str, np.ndarray]


def _as_float_frame(frame: pd.DataFrame, source: str) -> np.ndarray:
    out = np.empty(frame.shape, dtype=np.float64)
    for j, c in enumerate(frame.columns):
        s = frame[c]
        if not pd.api.types.is_numeric_dtype(s):  # object, or pandas 3's str dtype
            s = s.astype(object).replace({"NA": np.nan, "": np.nan})
        try:
            out[:, j] = pd.to_numeric(s, errors="raise").to_numpy(dtype=np.float64)
        except (TypeError, ValueError):
            bad = pd.to_numeric(s, errors="coerce").isna() & s.notna()
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(
                f"{source}: row {i + 1}: column '{c}': not a number: {s.iloc[i]!r}"
            ) from None
    if np.isinf(out).any():
        i, j = np.argwhere(np.isinf(out))[0]
        raise DataError(f"{source}: row {i + 1}: column '{frame.columns[j]}': infinite value")
    return out


@dataclass(frozen=True)
class IndexData:
    """Validated input of a composite index: units × indicators, tree, groups, denominators.

    Use :func:`load_coinr` or :meth:`from_frames` rather than the constructor.

    Attributes
    ----------
    units : tuple of str
        Unit codes, sorted (the row order of every data set).
    values : numpy.ndarray
        units × indicators (tree order), float64, NaN = missing; read-only.
    tree : Tree
    groups : dict
        Group column -> object array of labels per unit (None = missing).
    denominators : dict
        Denominator column -> float array per unit (NaN = missing).
    unit_names : tuple of str
    time : object or None
        The period of ``values`` when the input was a panel.
    panel : Panel or None
    """

    units: tuple[str, ...]
    values: np.ndarray
    tree: Tree
    groups: dict[str, np.ndarray] = field(default_factory=dict)
    denominators: dict[str, np.ndarray] = field(default_factory=dict)
    unit_names: tuple[str, ...] = ()
    time: object = None
    panel: Panel | None = None
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        n, p = self.values.shape
        if len(self.units) != n:
            raise DataError(f"data: {len(self.units)} unit codes for {n} rows")
        if p != self.tree.n_indicators:
            raise DataError(f"data: {p} value columns for {self.tree.n_indicators} indicators")
        if len(set(self.units)) != n:
            dup = pd.Series(self.units)[pd.Series(self.units).duplicated()].iloc[0]
            raise DataError(f"data: duplicate unit code '{dup}'")
        if list(self.units) != sorted(self.units):
            raise DataError("data: units must be sorted by code (use from_frames)")
        for name, d in self.denominators.items():
            if d.shape != (n,):
                raise DataError(f"data: denominator '{name}' has {d.shape[0]} values for {n} units")
        for name, g in self.groups.items():
            if g.shape != (n,):
                raise DataError(f"data: group '{name}' has {g.shape[0]} values for {n} units")
        for ind, den in self.tree.denominators.items():
            if den not in self.denominators:
                raise DataError(
                    f"data: indicator '{ind}': field 'denominator': no denominator column '{den}'"
                )
        self.values.setflags(write=False)

    @cached_property
    def indicators(self) -> tuple[str, ...]:
        """Indicator codes (column order)."""
        return self.tree.indicators

    @cached_property
    def unit_array(self) -> np.ndarray:
        """Unit codes as a numpy object array (for fast selection by row indices)."""
        return np.array(self.units, dtype=object)

    def frame(self) -> pd.DataFrame:
        """The values as a DataFrame (``uCode`` then one column per indicator)."""
        df = pd.DataFrame(self.values, columns=list(self.indicators))
        df.insert(0, "uCode", list(self.units))
        return df

    def to_coinr(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The data in COINr's input format: ``(iData, iMeta)`` DataFrames, which
        :func:`load_coinr` reads back to the same data (write them with ``na_rep="NA"``).

        Returns
        -------
        (pandas.DataFrame, pandas.DataFrame)
            iData: ``uName, uCode``, groups, ``Time`` (when known), denominators, indicators;
            iMeta: ``Level, iCode, iName, Direction, Weight, Unit, Target, Denominator, Parent,
            Type`` with the tree's nodes, then the groups and denominators.
        """
        idata = pd.DataFrame({"uName": list(self.unit_names or self.units), "uCode": list(self.units)})
        for name, g in self.groups.items():
            idata[name] = g
        if self.time is not None:
            idata["Time"] = self.time
        # iCode must be unique in iMeta: a denominator named like an indicator gets a suffix
        den_col = {name: (f"{name}_den" if name in self.indicators else name)
                   for name in self.denominators}
        for name, d in self.denominators.items():
            idata[den_col[name]] = d
        for j, code in enumerate(self.indicators):
            idata[code] = self.values[:, j]
        t = self.tree
        rows = [{"Level": int(t.levels[i]), "iCode": code, "iName": t.names[i],
                 "Direction": int(t.directions[i]), "Weight": float(t.weights[i]), "Unit": None,
                 "Target": t.targets.get(code),
                 "Denominator": den_col.get(den, den) if (den := t.denominators.get(code)) else den,
                 "Parent": t.parents[i], "Type": "Indicator" if t.levels[i] == 1 else "Aggregate"}
                for i, code in enumerate(t.codes)]
        rows += [{"Level": None, "iCode": name, "iName": name, "Direction": None, "Weight": None,
                  "Unit": None, "Target": None, "Denominator": None, "Parent": None, "Type": kind}
                 for kind, names in (("Group", list(self.groups)),
                                     ("Denominator", [den_col[n] for n in self.denominators]))
                 for name in names]
        return idata, pd.DataFrame(rows).astype({"Level": "Int64", "Direction": "Int64"})

    @classmethod
    def from_frames(
        cls,
        values: pd.DataFrame,
        tree: pd.DataFrame | Tree,
        *,
        groups: pd.DataFrame | None = None,
        denominators: pd.DataFrame | None = None,
        unit_names: Mapping[str, str] | None = None,
        source: str = "data",
    ) -> IndexData:
        """Build from plain DataFrames (units as the index, codes as the columns).

        Parameters
        ----------
        values : pandas.DataFrame
            Index: unit codes; columns: at least every indicator of the tree (extra columns
            are ignored). Missing values as NaN.
        tree : pandas.DataFrame or Tree
            See :meth:`Tree.from_frame`.
        groups, denominators : pandas.DataFrame, optional
            Index: unit codes (same set as ``values``); one column per group / denominator.
        unit_names : mapping, optional
            Unit code -> display name.
        source : str
            Name used in error messages.

        Returns
        -------
        IndexData

        Examples
        --------
        >>> v = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, None]}, index=["Y", "X"])
        >>> t = pd.DataFrame({"code": ["a", "b", "I"], "parent": ["I", "I", None]})
        >>> d = IndexData.from_frames(v, t)
        >>> d.units
        ('X', 'Y')
        """
        t = tree if isinstance(tree, Tree) else Tree.from_frame(tree, source=f"{source} tree")
        units = [str(u) for u in values.index]
        if any(_is_missing(u) for u in values.index):
            raise DataError(f"{source}: a unit code is empty")
        if len(set(units)) != len(units):
            dup = pd.Series(units)[pd.Series(units).duplicated()].iloc[0]
            raise DataError(f"{source}: duplicate unit code '{dup}'")
        missing = [c for c in t.indicators if c not in values.columns]
        if missing:
            raise DataError(f"{source}: no column for indicator(s) {', '.join(missing)}")
        order = np.argsort(np.array(units, dtype=object), kind="stable")
        sorted_units = tuple(units[i] for i in order)
        v = values.loc[:, list(t.indicators)]
        x = _as_float_frame(v, source)[order]

        def align(df: pd.DataFrame | None, what: str) -> pd.DataFrame | None:
            if df is None:
                return None
            df = df.copy()
            df.index = [str(u) for u in df.index]
            extra = set(df.index) - set(units)
            lacking = set(units) - set(df.index)
            if extra or lacking:
                bad = sorted(extra or lacking)[0]
                raise DataError(f"{source}: {what}: unit '{bad}' is not in both tables")
            return df.loc[list(sorted_units)]

        g = align(groups, "groups")
        dn = align(denominators, "denominators")
        gd = {}
        if g is not None:
            for c in g.columns:
                gd[str(c)] = np.array(
                    [None if _is_missing(v) else str(v) for v in g[c]], dtype=object
                )
        dd = {}
        if dn is not None:
            arr = _as_float_frame(dn, f"{source} denominators")
            for j, c in enumerate(dn.columns):
                dd[str(c)] = arr[:, j]
        names = tuple((unit_names or {}).get(u, u) for u in sorted_units)
        return cls(units=sorted_units, values=x, tree=t, groups=gd, denominators=dd, unit_names=names)


def read_table(path: str | Path, *, text: bool = False) -> pd.DataFrame:
    """Read a CSV (UTF-8, or GB18030/GBK as written by Chinese Excel; ``NA`` = missing) or XLSX table.

    Parameters
    ----------
    path : str or Path
    text : bool
        Every cell as the text it holds, nothing read as missing: an empty cell is ``""`` and
        ``NaN`` is the text ``"NaN"`` (what tells a cell left empty from one typed ``NaN``,
        both of which the default reading makes missing).

    Returns
    -------
    pandas.DataFrame
    """
    p = Path(path)
    if not p.exists():
        raise DataError(f"{p}: file not found")
    how: dict[str, Any] = ({"dtype": str, "keep_default_na": False, "na_values": []} if text
                           else {"na_values": ["NA", ""], "keep_default_na": True})
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        df = pd.read_excel(p, **how)
        if text:
            df = df.fillna("")
    else:
        for enc in ("utf-8-sig", "gb18030"):
            try:
                df = pd.read_csv(p, encoding=enc, **how)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes any byte sequence
            raise DataError(f"{p}: not UTF-8 or GB18030 text")
    df.columns = [str(c).strip() for c in df.columns]
    return df


def _check_weights(raw: pd.DataFrame, rows: pd.Index, source: str) -> None:
    """A file's iMeta with a ``Weight`` column gives every indicator and aggregate a number
    there: a cell left empty or holding ``NaN`` (both read as missing, and a missing weight is
    1 in a tree built by Lantu itself, :meth:`Tree.from_frame`) is refused, naming the file,
    the row, the column and the code. Without the column the weights are equal, as in COINr.
    ``raw``: the file read as text (:func:`read_table` ``text=True``)."""
    cols = {str(c).strip().lower(): c for c in raw.columns}
    if "weight" not in cols or "icode" not in cols:
        return
    weights, codes = raw[cols["weight"]], raw[cols["icode"]]
    for i in rows:
        cell = str(weights.iloc[int(i)]).strip()
        code = str(codes.iloc[int(i)]).strip()
        if not cell:
            raise DataError(f"{source}: row {int(i) + 1}: field 'Weight' of '{code}' is empty: "
                            "give every indicator and aggregate a weight, or leave the column "
                            "out for equal weights")
        try:
            number = float(cell)
        except ValueError:
            number = float("nan")  # "NA", "N/A", "—": no number (NA is read as missing)
        if np.isnan(number):  # ±inf: the tree's own check says "not finite"
            raise DataError(f"{source}: row {int(i) + 1}: field 'Weight' of '{code}' is not a "
                            f"number: {cell!r}")


def load_coinr(
    idata: str | Path | pd.DataFrame,
    imeta: str | Path | pd.DataFrame,
    *,
    time: object | None = None,
) -> IndexData:
    """Load COINr's input format (``iData`` and ``iMeta``, CSV or XLSX; ``NA`` = missing).

    ``iMeta`` rows of ``Type`` Indicator and Aggregate form the tree; rows of Type Group and
    Denominator name columns of ``iData`` that are groups and denominators. ``iData`` must have
    ``uCode``; ``uName`` and ``Time`` are optional. With several ``Time`` values (a panel), the
    period ``time`` (default: the latest) becomes the values and all periods are kept as
    :attr:`IndexData.panel` for panel imputation.

    Parameters
    ----------
    idata, imeta : path or DataFrame
    time : optional
        Period to take from a panel.

    Returns
    -------
    IndexData

    Examples
    --------
    >>> d = load_coinr("examples/asem/iData.csv", "examples/asem/iMeta.csv")  # doctest: +SKIP
    >>> d.values.shape  # doctest: +SKIP
    (51, 49)
    """
    src_d = str(idata) if not isinstance(idata, pd.DataFrame) else "iData"
    src_m = str(imeta) if not isinstance(imeta, pd.DataFrame) else "iMeta"
    dfd = read_table(idata) if not isinstance(idata, pd.DataFrame) else idata
    dfm = read_table(imeta) if not isinstance(imeta, pd.DataFrame) else imeta
    for c in ("iCode", "Type", "Parent"):
        if c not in dfm.columns:
            raise DataError(f"{src_m}: no column '{c}'")
    if "uCode" not in dfd.columns:
        raise DataError(f"{src_d}: no column 'uCode'")
    types = dfm["Type"].astype(str).str.strip()
    allowed = {"Indicator", "Aggregate", "Group", "Denominator", "Other"}
    bad = ~types.isin(allowed)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"{src_m}: row {i + 1}: field 'Type' must be one of {sorted(allowed)}, got {dfm['Type'].iloc[i]!r}"
        )
    tree_rows = dfm[types.isin(["Indicator", "Aggregate"])]
    if not isinstance(imeta, pd.DataFrame):
        _check_weights(read_table(imeta, text=True), tree_rows.index, src_m)
    ind_rows = dfm[types == "Indicator"]
    if "Level" in dfm.columns:
        lv = pd.to_numeric(ind_rows["Level"], errors="coerce")
        if (lv != 1).any():
            i = int(ind_rows.index[np.flatnonzero((lv != 1).to_numpy())[0]])
            raise DataError(f"{src_m}: row {i + 1}: field 'Level': an Indicator must be level 1")
    tree = Tree.from_frame(tree_rows, source=src_m)  # keeps iMeta's row numbers
    # keep the row numbers of iMeta in error messages for columns
    for c in list(tree.indicators):
        if c not in dfd.columns:
            raise DataError(f"{src_d}: no column for indicator '{c}' (listed in {src_m})")
    group_cols = [str(c) for c in dfm.loc[types == "Group", "iCode"]]
    den_cols = [str(c) for c in dfm.loc[types == "Denominator", "iCode"]]
    for c in group_cols + den_cols:
        if c not in dfd.columns:
            raise DataError(f"{src_d}: no column '{c}' (listed in {src_m} as Group/Denominator)")
    ucode = dfd["uCode"]
    for i, u in enumerate(ucode):
        if _is_missing(u):
            raise DataError(f"{src_d}: row {i + 1}: field 'uCode' is empty")
    if ucode.nunique() < 2:  # min-max of one unit is 0/0: every score NaN, exit 0 (probe22)
        raise DataError(f"{src_d}: {ucode.nunique()} unit ({', '.join(map(str, ucode.unique()))}): "
                        "an index compares units; give at least two")
    panel = None
    period = None
    if "Time" in dfd.columns and dfd["Time"].nunique(dropna=True) > 1:
        times = np.array(sorted(dfd["Time"].dropna().unique()))
        period = times.tolist()[-1] if time is None else time
        if period not in set(times.tolist()):
            raise DataError(f"{src_d}: field 'Time': no rows for period {time!r}")
        dup = dfd.duplicated(["uCode", "Time"])
        if dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            raise DataError(f"{src_d}: row {i + 1}: duplicate (uCode, Time) = ({dfd['uCode'].iloc[i]}, {dfd['Time'].iloc[i]})")
        units_all = sorted({str(u) for u in ucode})
        cur = dfd[dfd["Time"] == period]
        if len(cur) != len(units_all):
            lacking = sorted(set(units_all) - {str(u) for u in cur["uCode"]})
            raise DataError(f"{src_d}: unit '{lacking[0]}' has no row for period {period!r}")
        vals = np.full((len(times), len(units_all), len(tree.indicators)), np.nan)
        dens = {c: np.full((len(times), len(units_all)), np.nan) for c in den_cols}
        pos = {u: i for i, u in enumerate(units_all)}
        arr = _as_float_frame(dfd[list(tree.indicators)], src_d)
        darr = _as_float_frame(dfd[den_cols], src_d) if den_cols else None
        tpos = {t: i for i, t in enumerate(times.tolist())}
        for r in range(len(dfd)):
            t = dfd["Time"].iloc[r]
            if _is_missing(t):
                raise DataError(f"{src_d}: row {r + 1}: field 'Time' is empty")
            ti, ui = tpos[t], pos[str(ucode.iloc[r])]
            vals[ti, ui] = arr[r]
            for j, c in enumerate(den_cols):
                dens[c][ti, ui] = darr[r, j]  # type: ignore[index]
        panel = Panel(times=times, values=vals, denominators=dens)
        dfd = cur
    elif "Time" in dfd.columns and dfd["Time"].notna().any():
        period = dfd["Time"].dropna().tolist()[0]
    frame = dfd.set_index(dfd["uCode"].astype(str))
    names = None
    if "uName" in dfd.columns:
        names = {str(u): str(n) for u, n in zip(dfd["uCode"], dfd["uName"], strict=True)}
    data = IndexData.from_frames(
        frame,
        tree,
        groups=frame[group_cols] if group_cols else None,
        denominators=frame[den_cols] if den_cols else None,
        unit_names=names,
        source=src_d,
    )
    if panel is not None or period is not None:
        object.__setattr__(data, "time", period)
        object.__setattr__(data, "panel", panel)
    return data

