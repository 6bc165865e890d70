"""Spec format, validation at the boundary (tree, data, spec), caching, and the CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from lantu.cli import app
from lantu.engine import DataError, IndexData, Spec, SpecError, Tree, build, load_coinr

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples" / "asem"


@pytest.fixture(scope="module")
def asem():
    return load_coinr(EX / "iData.csv", EX / "iMeta.csv")


def tree(rows):
    return Tree.from_frame(pd.DataFrame(rows, columns=["code", "parent", "level", "weight"]))


# ------------------------------------------------------------------ tree


def test_tree_derives_levels_and_orders_nodes():
    t = Tree.from_frame(pd.DataFrame({"code": ["x", "b", "a", "Q", "P", "I"],
                                      "parent": ["Q", "P", "P", "I", "I", None]}))
    assert t.codes == ("x", "b", "a", "P", "Q", "I")
    assert t.levels.tolist() == [1, 1, 1, 2, 2, 3]


@pytest.mark.parametrize(
    "rows, message",
    [
        ([("a", "P", 1, 1), ("a", "P", 1, 1), ("P", None, 2, 1)], r"row 2: duplicate code 'a' \(first at row 1\)"),
        ([("a", "Z", 1, 1), ("P", None, 2, 1)], r"row 1: field 'parent': unknown parent 'Z' of 'a'"),
        ([("a", "P", 1, 1), ("P", "Q", 2, 1), ("Q", "P", 3, 1)], r"field 'parent': cycle"),
        ([("a", "P", 1, 1), ("b", None, 1, 1), ("P", None, 2, 1)], r"row 2: field 'parent': orphan 'b'"),
        ([("a", "P", 1, 1), ("Q", "I", 2, 1), ("P", "I", 2, 1), ("I", None, 3, 1)], r"orphan aggregate 'Q'"),
        ([("a", "P", 1, 1), ("b", "P", 1, -1), ("P", None, 2, 1)], r"weights of the children of 'P' sum to zero"),
        ([("a", "I", 1, 1), ("P", "I", 2, 1), ("b", "P", 1, 1), ("I", None, 3, 1)], r"'a' is level 1 but its parent 'I' is level 3"),
        ([("a", "P", 1, "x"), ("P", None, 2, 1)], r"row 1: field 'weight' of 'a' is not a number"),
        ([("a", "P", 1, 1), ("P", None, 2, 1), ("Q", None, 2, 1), ("b", "Q", 1, 1)], r"one root at level 2, found 2"),
    ],
)
def test_tree_errors_name_row_and_field(rows, message):
    with pytest.raises(DataError, match=message):
        tree(rows)


def test_tree_direction_must_be_plus_minus_one():
    with pytest.raises(DataError, match=r"row 1: field 'direction' of 'a' must be 1 or -1"):
        Tree.from_frame(pd.DataFrame({"code": ["a", "P"], "parent": ["P", None], "direction": [2, 1]}))


# ------------------------------------------------------------------ data


def test_from_frames_sorts_units_and_validates():
    t = pd.DataFrame({"code": ["a", "I"], "parent": ["I", None]})
    d = IndexData.from_frames(pd.DataFrame({"a": [1, 2]}, index=["Z", "A"]), t)
    assert d.units == ("A", "Z") and d.values[:, 0].tolist() == [2.0, 1.0]
    with pytest.raises(DataError, match=r"duplicate unit code 'A'"):
        IndexData.from_frames(pd.DataFrame({"a": [1, 2]}, index=["A", "A"]), t)
    with pytest.raises(DataError, match=r"row 2: column 'a': not a number: 'x'"):
        IndexData.from_frames(pd.DataFrame({"a": [1, "x"]}, index=["A", "B"]), t)
    with pytest.raises(DataError, match=r"no column for indicator\(s\) a"):
        IndexData.from_frames(pd.DataFrame({"b": [1, 2]}, index=["A", "B"]), t)
    with pytest.raises(ValueError):
        d.values[0, 0] = 5.0  # read-only


def test_load_coinr_errors_name_the_file(tmp_path):
    meta = pd.read_csv(EX / "iMeta.csv")
    bad = meta.copy()
    bad.loc[3, "Parent"] = "Nowhere"
    p = tmp_path / "iMeta.csv"
    bad.to_csv(p, index=False)
    with pytest.raises(DataError, match=r"iMeta.csv: row 4: field 'parent': unknown parent 'Nowhere' of 'Bord'"):
        load_coinr(EX / "iData.csv", p)
    idata = pd.read_csv(EX / "iData.csv").drop(columns=["LPI"])
    q = tmp_path / "iData.csv"
    idata.to_csv(q, index=False)
    with pytest.raises(DataError, match=r"iData.csv: no column for indicator 'LPI'"):
        load_coinr(q, EX / "iMeta.csv")
    with pytest.raises(DataError, match=r"file not found"):
        load_coinr(tmp_path / "nope.csv", EX / "iMeta.csv")


def test_load_coinr_xlsx_equals_csv(tmp_path, asem):
    pd.read_csv(EX / "iData.csv").to_excel(tmp_path / "iData.xlsx", index=False)
    pd.read_csv(EX / "iMeta.csv").to_excel(tmp_path / "iMeta.xlsx", index=False)
    d = load_coinr(tmp_path / "iData.xlsx", tmp_path / "iMeta.xlsx")
    assert d.units == asem.units
    np.testing.assert_array_equal(d.values, asem.values)
    assert d.tree.codes == asem.tree.codes


# ------------------------------------------------------------------ spec


def nominal() -> Spec:
    return Spec.load(EX / "nominal.yaml")


@pytest.mark.parametrize(
    "path, value, message",
    [
        ("normalise.method", "nope", r"step 'normalise', field 'method': unknown normalise method 'nope'"),
        ("normalise.l_u", [100, 0], r"step 'normalise', field 'params.l_u': lower bound must be below upper bound"),
        ("treat.winmax", -1, r"step 'treat', field 'params.winmax': must be >= 0"),
        ("treat.winmax", 1.5, r"step 'treat', field 'params.winmax': must be an integer"),
        ("treat.f2", "boxcox", r"field 'params.f2': must be one of \['log_CT', 'none'\]"),
        ("screen.dat_thresh", 1.5, r"step 'screen', field 'params.dat_thresh': must be <= 1.0"),
        ("normalise.bogus", 1, r"step 'normalise', field 'params.bogus': unknown parameter"),
        ("aggregate.p", 0, r"field 'params.p': unknown parameter of aggregate method 'amean'"),
        ("nostep.x", 1, r"step 'nostep': no such step"),
        ("weights.LPI", "heavy", r"field 'weights.LPI': must be a number"),
    ],
)
def test_set_rejects_bad_values_and_keeps_the_old(path, value, message):
    s = nominal()
    before = s.to_dict()
    with pytest.raises(SpecError, match=message):
        s.set(path, value)
    assert s.to_dict() == before


def test_missing_required_parameter():
    with pytest.raises(SpecError, match=r"step 'impute', field 'params.group': missing"):
        Spec([{"step": "impute", "method": "mean_grp"}])


def test_zscore_sd_and_pmean_p_rules():
    s = nominal()
    with pytest.raises(SpecError, match=r"field 'params.m_sd': target sd must be > 0"):
        s.set("normalise", {"method": "zscore", "params": {"m_sd": [0, 0]}}).check()
    s = nominal()
    s.set("aggregate.method", "pmean")
    with pytest.raises(SpecError, match=r"p = 0 is the geometric mean"):
        s.set("aggregate.p", 0).check(load_coinr(EX / "iData.csv", EX / "iMeta.csv"))


def test_structure_errors():
    with pytest.raises(SpecError, match=r"step 'normalise', field 'dset_in': no data set 'Treated' before this step"):
        Spec([{"step": "normalise", "method": "minmax", "dset_in": "Treated"}])
    with pytest.raises(SpecError, match=r"step 'treat', field 'name': duplicate step name"):
        Spec([{"step": "treat", "method": "winsorise"}, {"step": "treat", "method": "winsorise"}])
    with pytest.raises(SpecError, match=r"field 'step': must be one of"):
        Spec([{"step": "cook", "method": "x"}])
    with pytest.raises(SpecError, match=r"step 'n', field 'colour': unknown field"):
        Spec([{"name": "n", "step": "normalise", "method": "minmax", "colour": "red"}])
    with pytest.raises(SpecError, match=r"'Raw' is the input"):
        Spec([{"step": "normalise", "method": "minmax", "dset_out": "Raw"}])
    with pytest.raises(SpecError, match=r"step 'weight', field 'dset_in': level-2 weights need a data set with aggregate"):
        Spec([{"step": "normalise", "method": "minmax"}, {"step": "weight", "method": "pca", "params": {"level": 2}}])
    with pytest.raises(SpecError, match=r"not valid YAML"):
        Spec.loads("steps: [")


def test_spec_errors_against_data(asem):
    s = nominal().set("impute.group", "Continent")
    with pytest.raises(SpecError, match=r"step 'impute', field 'params.group': no group column 'Continent'"):
        build(asem, s)
    with pytest.raises(SpecError, match=r"field 'weights.Nope': unknown indicator/aggregate code"):
        build(asem, nominal().set("weights", {"Nope": 2}))
    with pytest.raises(SpecError, match=r"the weights of the children of 'Index' sum to zero"):
        build(asem, nominal().set("weights", {"Conn": 1, "Sust": -1}))


def test_set_variations_of_the_brief():
    s = nominal()
    s.set("treat.winmax", 1)
    assert s.get("treat.winmax") == 1
    s.set("normalise", {"method": "zscore", "params": {"m_sd": [10, 2]}})
    assert s.step("normalise").method == "zscore" and s.get("normalise.params") == {"m_sd": [10, 2]}
    s.set("aggregate.method", "gmean")
    s.set("weights", {"Physical": 0.8, "Conn": 1.2})
    s.set("weights.Sust", 0.9)
    assert s.weights == {"Physical": 0.8, "Conn": 1.2, "Sust": 0.9}
    back = Spec.loads(s.dumps())
    assert back == s
    assert Spec.loads(s.dumps("json")) == s


def test_resolved_spec_round_trips_and_reproduces(asem, tmp_path):
    coin = build(asem, nominal())
    res = coin.resolved_spec()
    assert res["steps"][3]["params"] == {"winmax": 5, "skew_thresh": 2.0, "kurt_thresh": 3.5,
                                         "force_win": False, "f2": "log_CT"}
    assert [s["dset_out"] for s in res["steps"]] == ["Denominated", "Imputed", "Screened", "Treated",
                                                     "Normalised", "Aggregated"]
    again = build(asem, Spec.from_dict(res))
    np.testing.assert_array_equal(again.index_scores(), coin.index_scores())


# ------------------------------------------------------------------ caching


def test_regen_recomputes_only_changed_suffix(asem):
    spec = nominal()
    coin = build(asem, spec)
    assert coin._cache.misses == 6
    coin.regen(spec.copy().set("aggregate.method", "gmean").set("normalise.l_u", [1, 100]))
    assert coin._cache.misses == 8  # normalise and aggregate only
    coin.regen(spec.copy().set("weights", {"Conn": 2.0}))
    assert coin._cache.misses == 9  # aggregate only
    c3 = coin.regen(spec.copy().set("treat.winmax", 2))
    assert coin._cache.misses == 12
    assert c3.report("treat")["logged"]  # really re-ran treat


def test_cached_results_equal_cold_builds(asem):
    spec = nominal()
    coin = build(asem, spec)
    for change in [("treat.winmax", 1), ("aggregate.method", "hmean")]:
        s = spec.copy().set(*change)
        if change[1] == "hmean":
            s.set("normalise.l_u", [1, 100])
        warm = coin.regen(s)
        cold = build(asem, s)
        for name in cold.dset_names:
            np.testing.assert_array_equal(warm.dsets_[name].values, cold.dsets_[name].values)


def test_steps_in_any_order(asem):
    s = Spec([
        {"step": "screen", "method": "byNA", "params": {"dat_thresh": 0.9}},
        {"step": "denominate", "method": "divide"},
        {"step": "normalise", "method": "minmax"},
        {"step": "impute", "method": "mean_grp", "params": {"group": "EurAsia_group"}},
        {"step": "aggregate", "method": "amean"},
    ])
    coin = build(asem, s)
    assert coin.dset_names == ["Raw", "Screened", "Denominated", "Normalised", "Imputed", "Aggregated"]
    dropped = {r["uCode"] for r in coin.report("screen")["dropped"]}
    assert dropped and not set(coin.index_units()) & dropped
    assert coin.results()["Rank"].min() == 1


# ------------------------------------------------------------------ CLI


def test_cli_build_writes_every_data_set(tmp_path, asem):
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["index", "build", "--idata", str(EX / "iData.csv"), "--imeta",
                                 str(EX / "iMeta.csv"), "--spec", str(EX / "nominal.yaml"), "--out", str(out)])
    assert r.exit_code == 0, r.output
    names = {p.name for p in out.iterdir()}
    assert names == {"Raw.csv", "Denominated.csv", "Imputed.csv", "Screened.csv", "Treated.csv",
                     "Normalised.csv", "Aggregated.csv", "results.csv", "spec.yaml"}
    res = pd.read_csv(out / "results.csv")
    assert list(res.columns) == ["uCode", "Index", "Rank"]
    coin = build(asem, nominal())
    np.testing.assert_array_equal(res["Index"], coin.results()["Index"])  # full precision
    ag = pd.read_csv(out / "Aggregated.csv")
    assert list(ag.columns[:2]) == ["uCode", "LPI"] and ag.columns[-1] == "Index"
    assert Spec.load(out / "spec.yaml").get("treat.winmax") == 5


def test_cli_bad_spec_exits_nonzero_with_message(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("steps:\n  - {step: treat, method: winsorise, params: {winmax: -3}}\n")
    r = CliRunner().invoke(app, ["index", "build", "--idata", str(EX / "iData.csv"), "--imeta",
                                 str(EX / "iMeta.csv"), "--spec", str(bad), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
    assert "step 'treat', field 'params.winmax': must be >= 0" in r.output
    assert not (tmp_path / "o").exists()


# ------------------------------------------------------------------ panels and missing results


def test_asem_panel_loads_latest_period_and_imputes_from_history(shared_dir, tmp_path):
    raw = pd.read_csv(shared_dir / "data" / "asem" / "iData_panel.csv")
    # the artificial panel misses the same cells every year: blank a few observed 2022 cells
    last = raw["Time"].max()
    holes = [("AUT", "LPI"), ("BEL", "Flights"), ("CHN", "Goods"), ("JPN", "TolMin")]
    for u, i in holes:
        raw.loc[(raw.uCode == u) & (raw.Time == last), i] = np.nan
    panel_file = tmp_path / "panel.csv"
    raw.to_csv(panel_file, index=False)
    d = load_coinr(panel_file, EX / "iMeta.csv")
    assert d.time == last and d.panel is not None
    assert d.panel.values.shape == (raw["Time"].nunique(), 51, 49)
    cur = raw[raw.Time == d.time].set_index("uCode").loc[list(d.units), list(d.indicators)]
    np.testing.assert_array_equal(d.values, cur.to_numpy(dtype=float))
    coin = build(d, Spec([{"step": "denominate", "method": "divide"},
                          {"step": "impute", "method": "latest"}]))
    imp = coin.dset("Imputed").set_index("uCode")
    filled = {(c["uCode"], c["iCode"]) for c in coin.report("impute")["cells"]}
    assert filled == set(holes)  # the always-missing cells stay missing
    prev = raw[raw.Time == last - 1].set_index("uCode")
    for u, i in holes:
        value = prev.loc[u, i]
        denom = d.tree.denominators.get(i)
        if denom is not None:
            value = value / prev.loc[u, denom]  # denominated with the same period's denominator
        assert imp.loc[u, i] == pytest.approx(value, rel=1e-14)


def test_missing_index_has_missing_rank_and_sorts_last():
    t = pd.DataFrame({"code": ["a", "b", "I"], "parent": ["I", "I", None]})
    d = IndexData.from_frames(pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [2.0, np.nan, 3.0]},
                                           index=["X", "Y", "Z"]), t)
    r = build(d, Spec([{"step": "aggregate", "method": "amean"}])).results()
    assert r["uCode"].tolist() == ["Z", "X", "Y"]
    assert r["Rank"].iloc[:2].tolist() == [1, 2] and pd.isna(r["Rank"].iloc[2])


def test_cli_build_takes_a_period_of_a_panel(shared_dir, tmp_path):
    panel = shared_dir / "data" / "asem" / "iData_panel.csv"
    args = ["index", "build", "--idata", str(panel), "--imeta", str(EX / "iMeta.csv"),
            "--spec", str(EX / "nominal.yaml")]
    r = CliRunner().invoke(app, args + ["--out", str(tmp_path / "a"), "--time", "2019"])
    assert r.exit_code == 0, r.output
    raw = pd.read_csv(tmp_path / "a" / "Raw.csv").set_index("uCode")
    src = pd.read_csv(panel)
    src = src[src.Time == 2019].set_index("uCode").sort_index()
    np.testing.assert_array_equal(raw["LPI"], src["LPI"])
    r = CliRunner().invoke(app, args + ["--out", str(tmp_path / "b"), "--time", "1990"])
    assert r.exit_code == 2 and "field 'Time': no rows for period 1990" in r.output


def test_load_coinr_reads_gbk_csv(tmp_path, asem):
    idata = pd.read_csv(EX / "iData.csv")
    idata.loc[0, "uName"] = "澳大利亚"
    p = tmp_path / "iData_gbk.csv"
    idata.to_csv(p, index=False, encoding="gbk")
    d = load_coinr(p, EX / "iMeta.csv")
    assert "澳大利亚" in d.unit_names
    np.testing.assert_array_equal(d.values, asem.values)


def test_by_level_errors_name_the_field(asem):
    with pytest.raises(SpecError, match=r"step 'aggregate', field 'params.by_level.x': keys must be levels"):
        nominal().set("aggregate.by_level", {"x": "gmean"})
    with pytest.raises(SpecError, match=r"field 'params.by_level.3.params.p': unknown parameter"):
        nominal().set("aggregate.by_level", {3: {"method": "amean", "params": {"p": 2}}})
    with pytest.raises(SpecError, match=r"field 'params.by_level.9': level must be between 2 and 4"):
        build(asem, nominal().set("aggregate.by_level", {9: "gmean"}))


def test_imeta_errors_give_the_row_of_imeta(tmp_path):
    meta = pd.read_csv(EX / "iMeta.csv")
    groups = meta[meta.Type != "Indicator"]
    reordered = pd.concat([groups, meta[meta.Type == "Indicator"]], ignore_index=True)
    row = int(reordered.index[reordered.iCode == "Conn"][0])
    reordered.loc[row, "Parent"] = "Nope"
    p = tmp_path / "iMeta.csv"
    reordered.to_csv(p, index=False)
    with pytest.raises(DataError, match=rf"iMeta.csv: row {row + 1}: field 'parent': unknown parent 'Nope' of 'Conn'"):
        load_coinr(EX / "iData.csv", p)


def test_cli_spec_without_aggregation_is_refused(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text("steps:\n  - {step: normalise, method: minmax}\n")
    r = CliRunner().invoke(app, ["index", "build", "--idata", str(EX / "iData.csv"), "--imeta",
                                 str(EX / "iMeta.csv"), "--spec", str(spec), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "field 'steps': the spec has no aggregate step" in r.output


def test_data_set_names_cannot_escape_the_output_directory():
    with pytest.raises(SpecError, match=r"step 'normalise', field 'dset_out': a data set name is letters"):
        Spec([{"step": "normalise", "method": "minmax", "dset_out": "../../etc/x"}])
    s = nominal()
    with pytest.raises(SpecError, match=r"field 'dset_out'"):
        s.set("normalise.dset_out", "a/b")
    assert s.step("normalise").dset_out is None


def test_step_cache_is_bounded_by_memory(asem):
    from lantu.engine import StepCache

    cache = StepCache(maxsize=1000, max_bytes=3 * 51 * 60 * 8)
    spec = nominal()
    build(asem, spec, cache=cache)
    assert cache.nbytes <= cache.max_bytes and len(cache) < 6
    coin = build(asem, spec.copy().set("treat.winmax", 2), cache=cache)
    assert cache.nbytes <= cache.max_bytes
    cold = build(asem, spec.copy().set("treat.winmax", 2))
    np.testing.assert_array_equal(coin.index_scores(), cold.index_scores())


def test_every_declared_parameter_kind_has_its_checker():
    from lantu.engine.registry import _CHECKERS, REGISTRY, Param

    kinds = {p.kind for fam in REGISTRY.values() for m in fam.values() for p in m.params}
    assert kinds and kinds <= set(_CHECKERS)
    lm = Param("w", "level_mapping", low=0)
    assert lm.check({"2": 1, 3: 0.5}, "s") == {2: 1.0, 3: 0.5} and lm.check(2, "s") == 2.0
    with pytest.raises(SpecError, match=r"field 'params.w.x': keys must be levels"):
        lm.check({"x": 1}, "s")
    with pytest.raises(SpecError, match=r"field 'params.w.2': must be >= 0"):
        lm.check({2: -1}, "s")
