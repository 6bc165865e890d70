"""The reference pipeline (COINr's example coin on ASEM) and its variants: documented facts and
independent recomputation with plain pandas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lantu.engine import Spec, build, load_coinr

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples" / "asem"


@pytest.fixture(scope="module")
def data():
    return load_coinr(EX / "iData.csv", EX / "iMeta.csv")


@pytest.fixture(scope="module")
def raw_frames():
    idata = pd.read_csv(EX / "iData.csv")
    imeta = pd.read_csv(EX / "iMeta.csv")
    return idata.sort_values("uCode").reset_index(drop=True), imeta


@pytest.fixture(scope="module")
def nominal(data):
    return build(data, Spec.load(EX / "nominal.yaml"))


def test_example_files_are_the_shared_ones(shared_dir):
    for f in ("iData.csv", "iMeta.csv"):
        assert (EX / f).read_bytes() == (shared_dir / "data" / "asem" / f).read_bytes()


def test_data_sets_in_order(nominal):
    assert nominal.dset_names == [
        "Raw", "Denominated", "Imputed", "Screened", "Treated", "Normalised", "Aggregated"
    ]


def test_raw_is_idata_sorted_by_ucode(nominal, raw_frames):
    idata, imeta = raw_frames
    inds = imeta.loc[imeta.Type == "Indicator", "iCode"].tolist()
    raw = nominal.dset("Raw")
    assert raw["uCode"].tolist() == sorted(idata["uCode"])
    assert list(raw.columns) == ["uCode"] + inds
    pd.testing.assert_frame_equal(raw[inds], idata[inds].astype(float))
    assert int(raw[inds].isna().sum().sum()) == 63
    assert int((raw[inds].isna().sum() > 0).sum()) == 16
    assert int(raw[inds].isna().any(axis=1).sum()) == 20


def test_denominated_by_hand(nominal, raw_frames):
    idata, imeta = raw_frames
    den = nominal.dset("Denominated")
    assert int(den.iloc[:, 1:].isna().sum().sum()) == 65
    rows = imeta[(imeta.Type == "Indicator") & imeta.Denominator.notna()]
    assert len(rows) == 17
    for code, d in zip(rows.iCode, rows.Denominator, strict=True):
        np.testing.assert_allclose(den[code], idata[code] / idata[d], rtol=1e-15)
    lao = den.loc[den.uCode == "LAO"]
    assert lao[["Elec", "Gas"]].isna().all(axis=None)
    np.testing.assert_array_equal(den["LPI"], idata["LPI"])


def test_imputed_group_means_by_hand(nominal, raw_frames):
    idata, _ = raw_frames
    den = nominal.dset("Denominated").set_index("uCode")
    imp = nominal.dset("Imputed").set_index("uCode")
    assert int(imp.isna().sum().sum()) == 0
    grp = idata.set_index("uCode")["EurAsia_group"]
    assert grp.value_counts().to_dict() == {"Europe": 30, "Asia": 21}
    expected = den.groupby(grp).transform("mean")
    filled = den.fillna(expected)
    pd.testing.assert_frame_equal(imp, filled, rtol=1e-13, atol=0)
    # observed values unchanged
    obs = den.notna()
    assert (imp[obs] == den[obs]).sum().sum() == obs.sum().sum()


def test_screen_keeps_everyone(nominal):
    rep = nominal.report("screen")
    assert rep["dropped"] == []
    assert (rep["table"]["Dat_Avail"] == 1.0).all()
    pd.testing.assert_frame_equal(nominal.dset("Screened"), nominal.dset("Imputed"))


def test_screen_before_imputation_drops_units(data):
    spec = Spec.load(EX / "nominal.yaml")
    s = Spec([spec.step("screen").to_dict() | {"dset_in": "Raw"}])
    coin = build(data, s)
    table = coin.report("screen")["table"]
    assert table["Dat_Avail"].min() == pytest.approx(1 - 10 / 49)
    assert round(table["Dat_Avail"].min(), 3) == 0.796
    dropped = {r["uCode"] for r in coin.report("screen")["dropped"]}
    assert dropped == set(table.loc[table.Dat_Avail < 0.9, "uCode"])
    assert len(coin.dset("Screened")) == 51 - len(dropped)


TREATED = {
    "Flights", "Bord", "Gas", "Services", "FDI", "ForPort", "CostImpEx", "Tariff", "StMob",
    "CultServ", "Forest", "Poverty", "NGOs", "FemLab", "PubDebt",
}


def test_treatment_nominal(nominal):
    t = nominal.report("treat")["table"].set_index("iCode")
    changed = t[t.status != "passed"]
    assert set(changed.index) == TREATED
    assert (changed.status == "winsorised").all()
    assert nominal.report("treat")["logged"] == []
    assert (changed.passes_after).all()
    n = changed.n_high + changed.n_low
    assert n.between(1, 4).all()
    assert (changed.loc["FemLab", "n_low"] > 0) and changed.loc["FemLab", "n_high"] == 0
    assert (changed.drop("FemLab").n_low == 0).all()
    # untreated columns are identical
    tr, sc = nominal.dset("Treated"), nominal.dset("Screened")
    same = [c for c in sc.columns[1:] if c not in TREATED]
    pd.testing.assert_frame_equal(tr[same], sc[same])


def test_winsorised_points_take_the_next_value(nominal):
    sc = nominal.dset("Screened").set_index("uCode")
    tr = nominal.dset("Treated").set_index("uCode")
    t = nominal.report("treat")["table"].set_index("iCode")
    for code in TREATED:
        pts = t.loc[code, "points"]
        rest = sc[code].drop(pts)
        if code == "FemLab":
            assert (tr.loc[pts, code] == rest.min()).all()
        else:
            assert (tr.loc[pts, code] == rest.max()).all()
        assert (tr[code].drop(pts) == rest).all()


def test_winmax_log_fallback_counts(data):
    base = Spec.load(EX / "nominal.yaml")
    coin = build(data, base)
    logged = {wm: coin.regen(base.copy().set("treat.winmax", wm)).report("treat")["logged"]
              for wm in (1, 2, 3, 4, 5)}
    assert len(logged[1]) == 11 and len(logged[2]) == 8 and logged[3] == ["Services"]
    assert logged[4] == [] and logged[5] == []
    assert set(logged[1]) == {"Bord", "Gas", "Services", "FDI", "ForPort", "Tariff", "StMob",
                              "CultServ", "Forest", "Poverty", "NGOs"}
    w1 = build(data, Spec.load(EX / "winmax1.yaml"))
    t = w1.report("treat")["table"].set_index("iCode")
    assert set(t.index[~t.passes_after]) == {"ForPort", "CultServ"}
    # logged columns are log_CT of the original (Screened) column
    sc = w1.dset("Screened")
    tr = w1.dset("Treated")
    for c in logged[1]:
        x = sc[c]
        np.testing.assert_allclose(tr[c], np.log(x - x.min() + 0.01 * (x.max() - x.min())), rtol=1e-14)


def test_normalised_minmax_by_hand(nominal, raw_frames):
    _, imeta = raw_frames
    tr = nominal.dset("Treated").set_index("uCode")
    nm = nominal.dset("Normalised").set_index("uCode")
    d = imeta.set_index("iCode").loc[tr.columns, "Direction"]
    assert int((d == -1).sum()) == 14
    x = tr * d
    expected = (x - x.min()) / (x.max() - x.min()) * 100
    pd.testing.assert_frame_equal(nm, expected, rtol=1e-12, atol=1e-12)
    assert (nm.min() == 0).all() and (nm.max() == 100).all()


def test_aggregated_by_hand(nominal, raw_frames):
    _, imeta = raw_frames
    nm = nominal.dset("Normalised").set_index("uCode")
    ag = nominal.dset("Aggregated").set_index("uCode")
    pillars = sorted(imeta.loc[imeta.Level == 2, "iCode"])
    assert list(ag.columns) == list(nm.columns) + pillars + ["Conn", "Sust", "Index"]
    parent = imeta.set_index("iCode")["Parent"]
    for p in pillars:
        kids = [c for c in nm.columns if parent[c] == p]
        np.testing.assert_allclose(ag[p], nm[kids].mean(axis=1), rtol=1e-12)
    for s in ("Conn", "Sust"):
        kids = [c for c in pillars if parent[c] == s]
        np.testing.assert_allclose(ag[s], ag[kids].mean(axis=1), rtol=1e-12)
    np.testing.assert_allclose(ag["Index"], (ag["Conn"] + ag["Sust"]) / 2, rtol=1e-12)


def test_nominal_top_five(nominal):
    r = nominal.results()
    assert list(r.columns) == ["uCode", "Index", "Rank"]
    top = r.head(5)
    assert top.uCode.tolist() == ["CHE", "NLD", "DNK", "NOR", "BEL"]
    np.testing.assert_allclose(top.Index, [68.384, 64.820, 64.804, 64.468, 63.539], atol=1e-3)
    assert r.Rank.tolist() == list(range(1, 52))
    assert r.Index.is_monotonic_decreasing


def test_variant_zscore(data, nominal):
    z = build(data, Spec.load(EX / "zscore.yaml"))
    tr = nominal.dset("Treated").set_index("uCode")
    d = np.array([data.tree.directions[data.tree.index_of[c]] for c in tr.columns])
    x = tr * d
    expected = (x - x.mean()) / x.std(ddof=1) * 2 + 10
    pd.testing.assert_frame_equal(z.dset("Normalised").set_index("uCode"), expected, rtol=1e-12)
    ag = z.dset("Aggregated").set_index("uCode")
    assert ag["Index"].min() > 0
    pd.testing.assert_frame_equal(z.dset("Treated"), nominal.dset("Treated"))


def test_variant_gmean(data):
    g = build(data, Spec.load(EX / "gmean.yaml"))
    nm = g.dset("Normalised").set_index("uCode")
    assert nm.min().min() == 1 and nm.max().max() == 100
    ag = g.dset("Aggregated").set_index("uCode")
    kids = [c for c in nm.columns if data.tree.parents[data.tree.index_of[c]] == "Physical"]
    np.testing.assert_allclose(ag["Physical"], np.exp(np.log(nm[kids]).mean(axis=1)), rtol=1e-12)
    np.testing.assert_allclose(ag["Index"], np.sqrt(ag["Conn"] * ag["Sust"]), rtol=1e-12)


def test_gmean_on_nominal_minmax_is_a_clear_error(data):
    s = Spec.load(EX / "nominal.yaml").set("aggregate.method", "gmean")
    with pytest.raises(ValueError, match=r"geometric mean needs positive values at level 2: unit '\w+', indicator '\w+' is 0"):
        build(data, s)


def test_variant_rank(data, nominal):
    r = build(data, Spec.load(EX / "rank.yaml"))
    nm = r.dset("Normalised").set_index("uCode")
    tr = nominal.dset("Treated").set_index("uCode")
    d = np.array([data.tree.directions[data.tree.index_of[c]] for c in tr.columns])
    pd.testing.assert_frame_equal(nm, (tr * d).rank(method="min"), check_dtype=False)
    assert nm.max().max() == 51 and nm.min().min() == 1
    # CSV ties on TolMin (see the reference): BGR, CZE and GRC share a rank
    assert nm.loc["BGR", "TolMin"] == nm.loc["CZE", "TolMin"] == nm.loc["GRC", "TolMin"]


def test_variant_pca_level2_weights(data):
    c = build(data, Spec.load(EX / "pca2.yaml"))
    rep = c.report("pca")
    w = {**rep["Conn"]["weights"], **rep["Sust"]["weights"]}
    expected = {"Physical": 0.5118, "ConEcFin": 0.3050, "Political": 0.3548, "Instit": 0.5082,
                "P2P": 0.5108, "Environ": 0.6513, "Social": -0.7444, "SusEcFin": 0.1473}
    for k, v in expected.items():
        assert w[k] == pytest.approx(v, abs=5e-5), k
    ag = c.dset("Aggregated").set_index("uCode")
    assert ag["Index"].max() == pytest.approx(457, abs=1)
    nominal = build(data, Spec.load(EX / "nominal.yaml"))
    rho = pd.Series(c.ranks()).corr(pd.Series(nominal.ranks()), method="spearman")
    assert rho == pytest.approx(-0.63, abs=0.01)
    # recompute Sust by hand from the pillar scores and the weights
    sust = sum(w[k] * ag[k] for k in ("Environ", "Social", "SusEcFin")) / sum(
        w[k] for k in ("Environ", "Social", "SusEcFin"))
    np.testing.assert_allclose(ag["Sust"], sust, rtol=1e-10)


def test_variant_pca_level1_signs(data):
    c = build(data, Spec.load(EX / "pca1.yaml"))
    rep = c.report("pca")
    assert all(v < 0 for v in rep["Political"]["weights"].values())
    assert all(v < 0 for v in rep["Social"]["weights"].values())


def _reference_treat(x: pd.Series, winmax: int) -> pd.Series:
    """The reference's treatment rule, written independently with pandas' type-2 skew/kurt."""

    def fails(v: pd.Series) -> bool:
        return abs(v.skew()) >= 2 and v.kurt() >= 3.5

    if not fails(x):
        return x
    y = x.copy()
    n_hi = n_lo = 0
    while n_hi + n_lo < winmax and fails(y):
        if y.skew() >= 0:
            top = y == y.max()
            y[top] = y[~top].max()
            n_hi = int(top.sum())
        else:
            bot = y == y.min()
            y[bot] = y[~bot].min()
            n_lo = int(bot.sum())
    if fails(y):
        return np.log(x - x.min() + 0.01 * (x.max() - x.min()))
    return y


@pytest.mark.parametrize("winmax", [1, 2, 3, 4, 5])
def test_treated_equals_an_independent_implementation(data, winmax):
    coin = build(data, Spec.load(EX / "nominal.yaml").set("treat.winmax", winmax))
    sc = coin.dset("Screened").set_index("uCode")
    expected = sc.apply(lambda col: _reference_treat(col, winmax))
    pd.testing.assert_frame_equal(coin.dset("Treated").set_index("uCode"), expected, rtol=1e-13, atol=0)


@pytest.mark.parametrize("spec_file", sorted(p.name for p in EX.glob("*.yaml") if p.name != "ua.yaml"))
def test_every_example_spec_builds(data, spec_file):
    coin = build(data, Spec.load(EX / spec_file))
    r = coin.results()
    assert len(r) == 51 and r["Index"].notna().all() and r["Rank"].min() == 1
    assert coin.spec.meta["name"] == spec_file.removesuffix(".yaml")
