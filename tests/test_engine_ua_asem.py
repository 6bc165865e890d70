"""UA/SA of the engine's pipeline on COINr's ASEM example (small N), and ``lantu index ua``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from lantu.cli import app
from lantu.engine import Spec, build, load_coinr
from lantu.engine.analyse import rank_desc
from lantu.engine.uncertainty import UASpec, UASpecError, run_sa, run_ua
from lantu.engine.uncertainty_model import CoinModel, leave_one_out_coin

EX = Path(__file__).resolve().parents[1] / "examples" / "asem"


@pytest.fixture(scope="module")
def data():
    return load_coinr(EX / "iData.csv", EX / "iMeta.csv")


@pytest.fixture(scope="module")
def nominal():
    return Spec.load(EX / "nominal.yaml")


@pytest.fixture(scope="module")
def model(data, nominal):
    return CoinModel(data, nominal)


@pytest.fixture(scope="module")
def ua_spec(model):
    return UASpec.from_yaml(EX / "ua.yaml").bind(model)


def test_ua_yaml_is_the_reference_set_up(ua_spec):
    assert ua_spec.names == ("Winmax", "Normalisation", "Weights", "Aggregation")
    w = ua_spec.inputs[2]
    assert len(w.sets) == 100 and set(w.sets[0]) == {
        "Physical", "ConEcFin", "Political", "Instit", "P2P", "Environ", "Social", "SusEcFin",
        "Conn", "Sust"}
    vals = np.array([list(s.values()) for s in w.sets])
    assert vals.min() >= 0.75 and vals.max() <= 1.25


def test_replication_equals_a_fresh_build(data, nominal, model, ua_spec):
    r = run_ua(model, ua_spec, 12, seed=3)
    k = 7
    row = r.samples.iloc[k]
    s = nominal.copy()
    s.set("treat.winmax", [1, 2, 3, 4, 5][row["Winmax"]])
    s.set("normalise", ua_spec.inputs[1].values[row["Normalisation"]])
    s.set("weights", ua_spec.inputs[2].sets[row["Weights"]])
    s.set("aggregate.method", ["amean", "gmean"][row["Aggregation"]])
    np.testing.assert_array_equal(r.scores[k], build(data, s).index_scores())
    np.testing.assert_array_equal(r.nominal_scores, build(data, nominal).index_scores())


def test_asem_ua_reproducible_parallel_and_intervals_contain_nominal(model, ua_spec):
    r1 = run_ua(model, ua_spec, 100, seed=42)
    r2 = run_ua(model, ua_spec, 100, seed=42, n_jobs=2)
    np.testing.assert_array_equal(r1.scores, r2.scores)
    assert r1.n_failed == 0
    st = r1.rank_stats
    inside = (st.Q5 <= st.Nominal) & (st.Nominal <= st.Q95)
    assert inside.mean() >= 0.8
    assert (st.Q95 - st.Q5).max() > 3          # the choices do move ranks
    top = st.sort_values("Nominal").iloc[0]
    assert top.uCode == "CHE" and top.Median <= 2


def test_asem_sa_aggregation_has_the_largest_total_effect(model, ua_spec):
    res = run_sa(model, ua_spec, 64, seed=43, n_boot=50)
    sens = res.sensitivity.set_index("input")
    assert sens["STi"].idxmax() == "Aggregation"
    assert sens.loc["Aggregation", "STi"] > 2 * sens.loc["Winmax", "STi"]
    assert (sens["STi_q5"] <= sens["STi_q95"]).all()
    assert len(res.y) == 64 * 6 and res.ua.n_failed == 0


def test_imputation_input_runs_when_activated(model):
    spec = UASpec.from_dict({"inputs": [
        {"name": "Imputation", "target": "impute.method", "values": ["mean_grp", "median_grp"]}]})
    r = run_ua(model, spec.bind(model), 8, seed=1)
    med = r.samples["Imputation"] == 1
    assert med.any() and (~med).any()
    assert not np.array_equal(r.scores[med.to_numpy()][0], r.scores[~med.to_numpy()][0])


def test_bind_names_input_and_field_for_engine_rejections(model):
    bad = UASpec.from_dict({"inputs": [
        {"name": "Normalisation", "target": "normalise",
         "values": [{"method": "minmax", "params": {"l_u": [100, 1]}}]}]})
    with pytest.raises(UASpecError, match=r"input 'Normalisation': field 'values\[0\]'.*l_u"):
        bad.bind(model)
    bad = UASpec.from_dict({"inputs": [{"name": "W", "target": "treat.winmx", "values": [1]}]})
    with pytest.raises(UASpecError, match="input 'W': field 'target': unknown spec path 'treat.winmx'"):
        bad.bind(model)


def test_leave_one_out_matches_a_manual_rebuild(data, nominal):
    loo = leave_one_out_coin(data, nominal, ["LPI", "CO2"])
    base = rank_desc(build(data, nominal).index_scores())
    s = nominal.copy().set("weights", {"LPI": 0.0})
    alt = rank_desc(build(data, s).index_scores())
    assert loo.loc["LPI", "mean_abs_rank_change"] == pytest.approx(np.mean(np.abs(alt - base)))
    assert loo.loc["CO2", "mean_abs_rank_change"] > 0 and (loo["error"] == "").all()


# --------------------------------------------------------------------------- CLI


def _cli(tmp_path, *extra, ua=EX / "ua.yaml"):
    args = ["index", "ua", "--idata", str(EX / "iData.csv"), "--imeta", str(EX / "iMeta.csv"),
            "--spec", str(EX / "nominal.yaml"), "--uncertainty", str(ua), "--out",
            str(tmp_path / "out"), "-q", *extra]
    return CliRunner().invoke(app, args)


def test_cli_ua_and_sa_write_the_contract_files(tmp_path):
    res = _cli(tmp_path, "-N", "16", "--seed", "5", "--sa", "--nboot", "10")
    assert res.exit_code == 0, res.output
    rs = pd.read_csv(tmp_path / "out" / "rank_stats.csv")
    assert list(rs.columns) == ["uCode", "Nominal", "Mean", "Median", "Q5", "Q95"] and len(rs) == 51
    sens = pd.read_csv(tmp_path / "out" / "sensitivity.csv")
    assert list(sens.columns) == ["input", "Si", "STi", "Si_q5", "Si_q95", "STi_q5", "STi_q95"]
    assert sens["input"].tolist() == ["Winmax", "Normalisation", "Weights", "Aggregation"]
    assert "96 runs, 0 failed" in res.output
    runs = pd.read_csv(tmp_path / "out" / "runs.csv", keep_default_na=False)
    assert len(runs) == 96 and runs["block"].iloc[[0, 16, 32, 95]].tolist() == [
        "A", "B", "AB_Winmax", "AB_Aggregation"]
    assert list(runs.columns) == ["run", "block", "Winmax", "Normalisation", "Weights",
                                  "Aggregation", "y", "error"]
    # an AB_Winmax row takes Winmax from B and the rest from A
    ab = runs.iloc[32]
    assert ab["Winmax"] == runs.iloc[16]["Winmax"] and ab["Weights"] == runs.iloc[0]["Weights"]


def test_cli_same_seed_same_files(tmp_path):
    a = _cli(tmp_path / "a", "-N", "20", "--seed", "9")
    b = _cli(tmp_path / "b", "-N", "20", "--seed", "9", "--jobs", "2")
    assert a.exit_code == b.exit_code == 0
    for f in ("rank_stats.csv", "score_stats.csv"):
        assert (tmp_path / "a/out" / f).read_text() == (tmp_path / "b/out" / f).read_text()
    assert not (tmp_path / "a/out/sensitivity.csv").exists()


@pytest.mark.parametrize("body, message", [
    ("inputs:\n  - {name: W, target: treat.nope, values: [1]}\n",
     "input 'W': field 'target': unknown spec path 'treat.nope'"),
    ("inputs:\n  - {name: N, target: normalise, values: []}\n", "input 'N': field 'values'"),
    ("inputs:\n  - {name: S, target: treat.skew_thresh, uniform: {low: 3, high: 1}}\n",
     r"input 'S': field 'uniform': low \(3\) > high \(1\)"),
])
def test_cli_bad_ua_spec_fails_before_computing(tmp_path, body, message):
    p = tmp_path / "bad.yaml"
    p.write_text(body)
    res = _cli(tmp_path, "-N", "5", ua=p)
    assert res.exit_code == 2
    assert "bad.yaml" in res.output and message.replace("\\", "") in res.output.replace("\\", "")
    assert not (tmp_path / "out").exists()


def test_fast_weight_path_is_exact_and_still_checks_weights(data, nominal, ua_spec):
    fast = run_ua(CoinModel(data, nominal), ua_spec, 60, seed=8)
    slow = run_ua(CoinModel(data, nominal, fast_weights=False), ua_spec, 60, seed=8)
    np.testing.assert_array_equal(fast.scores, slow.scores)
    m = CoinModel(data, nominal)
    m.run({"treat.winmax": 2, "weights": {"Conn": 1.0}})          # remembers the prefix
    with pytest.raises(ValueError, match="weights.Nope"):
        m.run({"treat.winmax": 2, "weights": {"Nope": 1.0}})
    with pytest.raises(ValueError, match="weights"):
        m.run({"treat.winmax": 2, "weights": {"Conn": 0.0, "Sust": 0.0}})


def test_cli_sa_needs_two_base_samples(tmp_path):
    res = _cli(tmp_path, "-N", "1", "--sa")
    assert res.exit_code == 2 and "--sa needs -N >= 2" in res.output
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_analyse_on_asem_pca_matches_the_reference_weights(data, nominal):
    from lantu.engine import analyse as an

    coin = build(data, nominal)
    agg = coin.dset("Aggregated").set_index("uCode")
    conn = an.pca(agg[["Physical", "ConEcFin", "Political", "Instit", "P2P"]]).loadings["PC1"]
    sust = an.pca(agg[["Environ", "Social", "SusEcFin"]]).loadings["PC1"]
    # reference section 8(d): PC1 loadings of the pillars (sign as the SVD gives; compare |.|)
    assert np.abs(conn).round(4).tolist() == [0.5118, 0.3050, 0.3548, 0.5082, 0.5108]
    assert np.abs(sust).round(4).tolist() == [0.6513, 0.7444, 0.1473]
    parents = dict(zip(data.tree.codes, data.tree.parents, strict=True))
    norm = coin.dset("Normalised").set_index("uCode")
    flags = an.correlation_flags(norm, parents)
    assert len(flags) == sum(k * (k - 1) // 2 for k in (8, 5, 3, 6, 8, 5, 9, 5))
    stats = an.indicator_stats(coin.dset("Screened").set_index("uCode"))
    # reference section 5: exactly these 15 indicators fail the treatment test on Screened
    assert set(stats.index[stats.flag_skew_kurt]) == {
        "Flights", "Bord", "Gas", "Services", "FDI", "ForPort", "CostImpEx", "Tariff", "StMob",
        "CultServ", "Forest", "Poverty", "NGOs", "FemLab", "PubDebt"}


def test_a_single_weight_can_be_a_continuous_input(data, nominal, model):
    spec = UASpec.from_dict({"inputs": [
        {"name": "wConn", "target": "weights.Conn", "uniform": {"low": 0.5, "high": 2.0}}]})
    r = run_ua(model, spec.bind(model), 6, seed=2)
    k = 3
    w = float(r.samples.loc[k, "wConn"])
    assert 0.5 <= w <= 2.0
    expected = build(data, nominal.copy().set("weights.Conn", w)).index_scores()
    np.testing.assert_array_equal(r.scores[k], expected)


def test_leave_one_out_hand_example_and_only_child():
    from lantu.engine import IndexData

    units = ["u1", "u2", "u3", "u4"]
    x = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [4.0, 1, 2, 3], "c": [2.0, 3, 1, 5]}, index=units)
    tree = pd.DataFrame([
        {"code": "a", "parent": "P", "level": 1}, {"code": "b", "parent": "P", "level": 1},
        {"code": "c", "parent": "Q", "level": 1}, {"code": "P", "parent": "Index", "level": 2},
        {"code": "Q", "parent": "Index", "level": 2}, {"code": "Index", "parent": None, "level": 3}])
    spec = Spec([{"step": "normalise", "method": "minmax", "params": {"l_u": [0, 100]}},
                 {"step": "aggregate", "method": "amean"}])
    loo = leave_one_out_coin(IndexData.from_frames(x, tree), spec)
    # min-max: a = 0, 33.3, 66.7, 100; b = 100, 0, 33.3, 66.7; c = 25, 50, 0, 100
    # nominal Index 37.5, 33.3, 25, 91.7 -> ranks 2, 3, 4, 1
    # without a: 62.5, 25, 16.7, 83.3 -> 2, 3, 4, 1 (no change)
    # without b: 12.5, 41.7, 33.3, 100 -> 4, 2, 3, 1 (changes 2, 1, 1, 0)
    assert loo.loc["a", "mean_abs_rank_change"] == 0
    assert (loo.loc["b", "mean_abs_rank_change"], loo.loc["b", "max_abs_rank_change"]) == (1, 2)
    # c is the only child of Q: cannot be removed
    assert np.isnan(loo.loc["c", "mean_abs_rank_change"]) and "'Q' sum to zero" in loo.loc["c", "error"]


def test_cli_analyse_writes_its_tables_and_names_bad_options(tmp_path):
    base = ["index", "analyse", "--idata", str(EX / "iData.csv"), "--imeta", str(EX / "iMeta.csv"),
            "--spec", str(EX / "nominal.yaml"), "--out", str(tmp_path / "an")]
    res = CliRunner().invoke(app, [*base, "--corr-of", "Aggregated", "--no-loo"])
    assert res.exit_code == 0, res.output
    stats = pd.read_csv(tmp_path / "an" / "indicator_stats.csv", index_col=0)
    assert len(stats) == 49 and stats.loc["LPI", "availability"] == 1
    alpha = pd.read_csv(tmp_path / "an" / "cronbach.csv", index_col=0)["alpha"]
    assert {"Physical", "Conn", "Index"} <= set(alpha.index)      # every level's parents
    assert not (tmp_path / "an" / "leave_one_out.csv").exists()
    bad = CliRunner().invoke(app, [*base[:-1], str(tmp_path / "bad"), "--stats-of", "Nope"])
    assert bad.exit_code == 2 and "--stats-of: no data set 'Nope'" in bad.output
    assert not (tmp_path / "bad").exists()


def test_explicit_weight_sets_as_discrete_alternatives(data, nominal, model):
    sets = [{"Conn": 1.0, "Sust": 3.0}, {"Conn": 3.0, "Sust": 1.0}]
    spec = UASpec.from_dict({"inputs": [{"name": "W", "target": "weights", "values": sets}]})
    r = run_ua(model, spec.bind(model), 10, seed=4)
    for k in range(10):
        w = sets[r.samples.loc[k, "W"]]
        np.testing.assert_array_equal(r.scores[k], build(data, nominal.copy().set("weights", w)).index_scores())
    bad = UASpec.from_dict({"inputs": [{"name": "W", "target": "weights", "values": [{"Conn": 0, "Sust": 0}]}]})
    with pytest.raises(UASpecError, match=r"input 'W': field 'values\[0\]'.*sum to zero"):
        bad.bind(model)
