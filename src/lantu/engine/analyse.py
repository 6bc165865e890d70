"""Analysis of indicator data: statistics, correlations, reliability, PCA, leave-one-out.

Pure functions on a units × indicators :class:`pandas.DataFrame` (one row per unit, one numeric
column per indicator; missing values are ``NaN``). Functions that look at the indicator tree take
``parents``, a mapping from each column to the code of its parent aggregate (COINr's iMeta
``Parent`` column).

Definitions follow ``shared/methods/composite-index-reference.md``: skewness and kurtosis are
the sample ("type 2", Excel) estimators, a column *fails* the outlier test when
``|skew| >= skew_thresh`` **and** ``kurtosis >= kurt_thresh``; ranks are 1 = highest score with
ties given the smallest rank.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [2.0, 4.0, 6.0, 9.0]})
>>> round(cronbach_alpha(df), 4)
0.8402
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lantu.engine import stats as _es
from lantu.engine.stats import rank_min

__all__ = [
    "PCAResult",
    "correlation_flags",
    "correlations",
    "cronbach_alpha",
    "cronbach_by_group",
    "indicator_stats",
    "kurtosis2",
    "leave_one_out",
    "outlier_flags",
    "pca",
    "rank_desc",
    "skew2",
]


# --------------------------------------------------------------------------- validation gate


def _check_frame(data: pd.DataFrame, caller: str, *, min_cols: int = 1) -> pd.DataFrame:
    """Return ``data`` as a float frame, or raise naming the caller and the offending column."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{caller}: expected a pandas DataFrame, got {type(data).__name__}")
    if data.shape[1] < min_cols:
        raise ValueError(f"{caller}: expected at least {min_cols} indicator column{'' if min_cols == 1 else 's'}, got {data.shape[1]}")
    bad = [c for c in data.columns if not pd.api.types.is_numeric_dtype(data[c])]
    if bad:
        raise ValueError(f"{caller}: column {bad[0]!r} is not numeric ({data[bad[0]].dtype})")
    return data.astype(float)


def _check_parents(data: pd.DataFrame, parents: Mapping[str, str], caller: str) -> dict[str, list[str]]:
    """Group the columns of ``data`` by parent; every column must have one."""
    missing = [c for c in data.columns if c not in parents]
    if missing:
        raise ValueError(f"{caller}: column {missing[0]!r} has no parent in `parents`")
    groups: dict[str, list[str]] = {}
    for col in data.columns:
        groups.setdefault(str(parents[col]), []).append(col)
    return groups


# --------------------------------------------------------------------------- moments


def skew2(x: np.ndarray | pd.Series) -> float:
    """Sample skewness, type 2 (Excel's ``SKEW``); NaN ignored; NaN if fewer than 3 values.

    The treatment step's own statistic (:func:`lantu.engine.stats.skew2`) on one column:

    ``sqrt(n) Σd³ / (Σd²)^{3/2} · sqrt(n(n−1)) / (n−2)`` with ``d = x − mean(x)``; NaN for a
    constant.

    Parameters
    ----------
    x : array-like of float

    Returns
    -------
    float

    Examples
    --------
    >>> round(skew2([1.0, 2.0, 10.0]), 6)
    1.652317
    """
    return float(_es.skew2(np.asarray(x, dtype=float).reshape(-1)))


def kurtosis2(x: np.ndarray | pd.Series) -> float:
    """Sample excess kurtosis, type 2 (Excel's ``KURT``); NaN ignored; NaN if fewer than 4 values.

    The treatment step's own statistic (:func:`lantu.engine.stats.kurt2`) on one column:

    ``((n+1)(r−3) + 6)(n−1) / ((n−2)(n−3))`` with ``r = n Σd⁴ / (Σd²)²``; NaN for a constant.

    Parameters
    ----------
    x : array-like of float

    Returns
    -------
    float

    Examples
    --------
    >>> round(kurtosis2([1.0, 2.0, 3.0, 10.0]), 4)
    3.228
    """
    return float(_es.kurt2(np.asarray(x, dtype=float).reshape(-1)))


# --------------------------------------------------------------------------- statistics


def outlier_flags(data: pd.DataFrame, *, factor: float = 1.5) -> pd.DataFrame:
    """Flag each value outside ``[Q1 − factor·IQR, Q3 + factor·IQR]`` of its column.

    Quartiles are R's type-7 (numpy ``linear``) over the non-missing values. Missing values are
    never flagged.

    Parameters
    ----------
    data : DataFrame
        Units × indicators.
    factor : float, default 1.5
        Tukey's fence multiplier; must be positive.

    Returns
    -------
    DataFrame of bool, same shape as ``data``.

    Examples
    --------
    >>> import pandas as pd
    >>> outlier_flags(pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 100.0]}))["a"].tolist()
    [False, False, False, False, True]
    """
    df = _check_frame(data, "outlier_flags")
    if not factor > 0:
        raise ValueError(f"outlier_flags: factor must be > 0, got {factor}")
    q1 = df.quantile(0.25)
    q3 = df.quantile(0.75)
    iqr = q3 - q1
    lo, hi = q1 - factor * iqr, q3 + factor * iqr
    return (df.lt(lo, axis=1) | df.gt(hi, axis=1)) & df.notna()


def indicator_stats(
    data: pd.DataFrame,
    *,
    skew_thresh: float = 2.0,
    kurt_thresh: float = 3.5,
    outlier_factor: float = 1.5,
    availability_thresh: float = 0.66,
) -> pd.DataFrame:
    """Per-indicator statistics and flags (COINr's ``get_stats``, with the reference's test).

    Parameters
    ----------
    data : DataFrame
        Units × indicators, numeric.
    skew_thresh, kurt_thresh : float
        A column is flagged ``flag_skew_kurt`` when ``|skew| >= skew_thresh`` and
        ``kurtosis >= kurt_thresh`` (the failing side of the treatment test).
    outlier_factor : float
        IQR fence multiplier for ``n_outliers`` (see :func:`outlier_flags`).
    availability_thresh : float
        ``flag_availability`` is set when the share of non-missing values is below it.

    Returns
    -------
    DataFrame indexed by indicator with columns ``n, availability, mean, sd, min, q25, median,
    q75, max, skew, kurtosis, frac_zero, frac_negative, frac_unique, n_outliers,
    flag_skew_kurt, flag_availability``. ``sd`` has the ``n − 1`` denominator.

    Examples
    --------
    >>> import pandas as pd
    >>> s = indicator_stats(pd.DataFrame({"a": [1.0, 2.0, None, 5.0]}))
    >>> float(s.loc["a", "availability"]), float(s.loc["a", "mean"])
    (0.75, 2.6666666666666665)
    """
    df = _check_frame(data, "indicator_stats")
    n_rows = len(df)
    rows = {}
    for col in df.columns:
        v = df[col].to_numpy()
        v = v[~np.isnan(v)]
        n = v.size
        q = np.quantile(v, [0.25, 0.5, 0.75]) if n else np.full(3, np.nan)
        sk, ku = skew2(v), kurtosis2(v)
        rows[col] = {
            "n": n,
            "availability": n / n_rows if n_rows else float("nan"),
            "mean": v.mean() if n else np.nan,
            "sd": v.std(ddof=1) if n > 1 else np.nan,
            "min": v.min() if n else np.nan,
            "q25": q[0],
            "median": q[1],
            "q75": q[2],
            "max": v.max() if n else np.nan,
            "skew": sk,
            "kurtosis": ku,
            "frac_zero": float(np.mean(v == 0)) if n else np.nan,
            "frac_negative": float(np.mean(v < 0)) if n else np.nan,
            "frac_unique": np.unique(v).size / n if n else np.nan,
            "flag_skew_kurt": bool(abs(sk) >= skew_thresh and ku >= kurt_thresh),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["n_outliers"] = outlier_flags(df, factor=outlier_factor).sum().astype(int)
    out["flag_availability"] = out["availability"] < availability_thresh
    cols = ["n", "availability", "mean", "sd", "min", "q25", "median", "q75", "max", "skew",
            "kurtosis", "frac_zero", "frac_negative", "frac_unique", "n_outliers",
            "flag_skew_kurt", "flag_availability"]
    out.index.name = "iCode"
    return out[cols]


# --------------------------------------------------------------------------- correlations

_CORR_METHODS = ("pearson", "spearman")


def correlations(data: pd.DataFrame, *, method: str = "pearson") -> pd.DataFrame:
    """Correlation matrix of the indicator columns over pairwise-complete units.

    Parameters
    ----------
    data : DataFrame
        Units × indicators.
    method : {"pearson", "spearman"}

    Returns
    -------
    DataFrame, indicators × indicators.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 4.0, 9.0]})
    >>> float(correlations(df, method="spearman").loc["a", "b"])
    1.0
    """
    if method not in _CORR_METHODS:
        raise ValueError(f"correlations: method must be one of {_CORR_METHODS}, got {method!r}")
    return _check_frame(data, "correlations").corr(method=method)


def _pair_test(x: np.ndarray, y: np.ndarray, method: str) -> tuple[float, float, int]:
    ok = ~(np.isnan(x) | np.isnan(y))
    n = int(ok.sum())
    if n < 3 or np.ptp(x[ok]) == 0 or np.ptp(y[ok]) == 0:
        return float("nan"), float("nan"), n
    from scipy import stats as _st  # imported here: scipy.stats costs ~1 s at start-up

    res = (_st.pearsonr if method == "pearson" else _st.spearmanr)(x[ok], y[ok])
    return float(res.statistic), float(res.pvalue), n


def correlation_flags(
    data: pd.DataFrame,
    parents: Mapping[str, str],
    *,
    method: str = "pearson",
    collinear: float = 0.9,
    negative: float = 0.0,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Correlations of every pair of indicators that share a parent, with flags.

    Parameters
    ----------
    data : DataFrame
        Units × indicators (normally the normalised data set, so that directions are applied).
    parents : mapping
        Column code → parent aggregate code.
    method : {"pearson", "spearman"}
    collinear : float, default 0.9
        ``flag_collinear`` when ``r > collinear``.
    negative : float, default 0.0
        ``flag_negative`` when ``r < negative``.
    alpha : float, default 0.05
        ``flag_insignificant`` when the two-sided p-value of the correlation test is ``>= alpha``.

    Returns
    -------
    DataFrame with one row per pair: ``parent, ind1, ind2, n, r, p, flag_collinear,
    flag_negative, flag_insignificant``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [1.0, 2, 3, 5], "c": [4.0, 3, 2, 1]})
    >>> t = correlation_flags(df, {"a": "P", "b": "P", "c": "P"})
    >>> t[["ind1", "ind2", "flag_collinear", "flag_negative"]].values.tolist()[:2]
    [['a', 'b', True, False], ['a', 'c', False, True]]
    """
    if method not in _CORR_METHODS:
        raise ValueError(f"correlation_flags: method must be one of {_CORR_METHODS}, got {method!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"correlation_flags: alpha must be in (0, 1), got {alpha}")
    df = _check_frame(data, "correlation_flags")
    groups = _check_parents(df, parents, "correlation_flags")
    rows = []
    for parent, cols in groups.items():
        for i, a in enumerate(cols):
            for b in cols[i + 1:]:
                r, p, n = _pair_test(df[a].to_numpy(), df[b].to_numpy(), method)
                rows.append((parent, a, b, n, r, p, bool(r > collinear), bool(r < negative),
                             bool(not p < alpha)))
    return pd.DataFrame(rows, columns=["parent", "ind1", "ind2", "n", "r", "p", "flag_collinear",
                                       "flag_negative", "flag_insignificant"])


# --------------------------------------------------------------------------- reliability


def cronbach_alpha(data: pd.DataFrame) -> float:
    """Cronbach's alpha of the columns: ``k/(k−1) · (1 − Σ var_i / Σ cov)``.

    Covariances are pairwise-complete with the ``n − 1`` denominator (COINr's ``get_cronbach``).

    Parameters
    ----------
    data : DataFrame
        Units × items, at least two columns.

    Returns
    -------
    float (NaN if the total variance is zero).

    Examples
    --------
    >>> import pandas as pd
    >>> float(cronbach_alpha(pd.DataFrame({"a": [1.0, 2, 3], "b": [1.0, 2, 3]})))
    1.0
    """
    df = _check_frame(data, "cronbach_alpha", min_cols=2)
    cov = df.cov().to_numpy()
    k = cov.shape[0]
    total = np.nansum(cov)
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1.0 - np.nansum(np.diag(cov)) / total))


def cronbach_by_group(data: pd.DataFrame, parents: Mapping[str, str]) -> pd.Series:
    """Cronbach's alpha of the children of each parent (NaN for a parent with one child).

    Parameters
    ----------
    data : DataFrame
        Units × indicators (or aggregates of one level).
    parents : mapping
        Column code → parent code.

    Returns
    -------
    Series indexed by parent code.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [1.0, 2, 3], "b": [1.0, 2, 3], "c": [3.0, 1, 2]})
    >>> cronbach_by_group(df, {"a": "P", "b": "P", "c": "Q"}).to_dict()
    {'P': 1.0, 'Q': nan}
    """
    df = _check_frame(data, "cronbach_by_group")
    groups = _check_parents(df, parents, "cronbach_by_group")
    out = {p: cronbach_alpha(df[cols]) if len(cols) > 1 else float("nan")
           for p, cols in groups.items()}
    return pd.Series(out, name="alpha", dtype=float).rename_axis("parent")


# --------------------------------------------------------------------------- PCA


@dataclass(frozen=True)
class PCAResult:
    """Principal components of a data set (as R's ``prcomp``).

    Attributes
    ----------
    sdev : ndarray
        Standard deviation of each component (singular value / sqrt(n − 1)).
    explained_variance : ndarray
        ``sdev ** 2``.
    explained_variance_ratio : ndarray
        Share of the total variance.
    loadings : DataFrame
        Indicators × components (``PC1``, ...): the right singular vectors (sign as the SVD gives).
    scores : DataFrame
        Units × components, the projected (centred, optionally scaled) complete rows.
    """

    sdev: np.ndarray
    explained_variance: np.ndarray
    explained_variance_ratio: np.ndarray
    loadings: pd.DataFrame
    scores: pd.DataFrame


def pca(data: pd.DataFrame, *, scale: bool = True) -> PCAResult:
    """PCA by SVD of the centred (and, by default, unit-variance) complete rows.

    Parameters
    ----------
    data : DataFrame
        Units × indicators; rows with any missing value are dropped.
    scale : bool, default True
        Divide each column by its sample sd (correlation PCA).

    Returns
    -------
    PCAResult

    Examples
    --------
    >>> import pandas as pd
    >>> r = pca(pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 4, 6, 8]}))
    >>> [round(float(v), 6) for v in r.explained_variance_ratio]
    [1.0, 0.0]
    """
    df = _check_frame(data, "pca").dropna()
    if len(df) < 2:
        raise ValueError("pca: fewer than 2 complete rows")
    x = df.to_numpy() - df.to_numpy().mean(axis=0)
    if scale:
        sd = x.std(axis=0, ddof=1)
        if np.any(sd == 0):
            const = df.columns[np.flatnonzero(sd == 0)[0]]
            raise ValueError(f"pca: column {const!r} is constant, cannot scale to unit variance")
        x = x / sd
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    names = [f"PC{i + 1}" for i in range(len(s))]
    sdev = s / np.sqrt(len(df) - 1)
    var = sdev**2
    return PCAResult(
        sdev=sdev,
        explained_variance=var,
        explained_variance_ratio=var / var.sum(),
        loadings=pd.DataFrame(vt.T, index=df.columns, columns=names),
        scores=pd.DataFrame(u * s, index=df.index, columns=names),
    )


# --------------------------------------------------------------------------- ranks and LOO


def rank_desc(scores: np.ndarray) -> np.ndarray:
    """Ranks along the last axis: 1 = highest, ties the smallest rank, NaN stays NaN
    (:func:`lantu.engine.stats.rank_min`, descending).

    Parameters
    ----------
    scores : ndarray, 1-D (units) or 2-D (replications × units)

    Returns
    -------
    ndarray of float, same shape.

    Examples
    --------
    >>> rank_desc(np.array([3.0, 5.0, 3.0, np.nan])).tolist()
    [2.0, 1.0, 2.0, nan]
    """
    return rank_min(scores, descending=True)


def leave_one_out(
    index_without: Callable[[str], pd.Series],
    nominal: pd.Series,
    indicators: list[str],
) -> pd.DataFrame:
    """Mean absolute rank change of the Index when each indicator is removed in turn.

    Parameters
    ----------
    index_without : callable
        ``index_without(code)`` returns the Index scores (Series indexed by unit) of the whole
        pipeline rebuilt without indicator ``code`` (see ``lantu.engine`` for the builder).
    nominal : Series
        Nominal Index scores, indexed by unit.
    indicators : list of str
        Indicator codes to remove one at a time.

    Returns
    -------
    DataFrame indexed by indicator with ``mean_abs_rank_change`` and ``max_abs_rank_change``
    (units missing in either run are ignored).

    Examples
    --------
    >>> import pandas as pd
    >>> nom = pd.Series([3.0, 2.0, 1.0], index=list("xyz"))
    >>> alt = {"a": pd.Series([1.0, 2.0, 3.0], index=list("xyz"))}
    >>> leave_one_out(alt.__getitem__, nom, ["a"])["mean_abs_rank_change"].tolist()
    [1.3333333333333333]
    """
    nom_rank = pd.Series(rank_desc(nominal.to_numpy()), index=nominal.index)
    rows = {}
    for code in indicators:
        alt = index_without(code).reindex(nominal.index)
        diff = np.abs(rank_desc(alt.to_numpy()) - nom_rank.to_numpy())
        rows[code] = {
            "mean_abs_rank_change": float(np.nanmean(diff)) if np.any(~np.isnan(diff)) else np.nan,
            "max_abs_rank_change": float(np.nanmax(diff)) if np.any(~np.isnan(diff)) else np.nan,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "iCode"
    return out
