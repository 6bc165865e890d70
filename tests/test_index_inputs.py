"""COINr-format export of index inputs, and the CLI's `lantu index inputs`: the comparison page's
index recomputed from files gives the same numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from lantu.cli import app
from lantu.engine import Spec, build, load_coinr

runner = CliRunner()


def test_to_coinr_round_trips_asem(tmp_path):
    data = load_coinr("examples/asem/iData.csv", "examples/asem/iMeta.csv")
    idata, imeta = data.to_coinr()
    idata.to_csv(tmp_path / "iData.csv", index=False, na_rep="NA")
    imeta.to_csv(tmp_path / "iMeta.csv", index=False, na_rep="NA")
    again = load_coinr(tmp_path / "iData.csv", tmp_path / "iMeta.csv")
    assert again.units == data.units and again.tree.codes == data.tree.codes
    np.testing.assert_array_equal(again.values, data.values)
    assert set(again.groups) == set(data.groups) and set(again.denominators) == set(data.denominators)
    spec = Spec.load("examples/asem/nominal.yaml")
    pd.testing.assert_frame_equal(build(again, spec).results(), build(data, spec).results())
    assert imeta["iCode"].is_unique


def test_index_inputs_rebuild_the_comparison_index(default_db, tmp_path):
    from lantu.web.dashboard.compare import build_compare

    url = default_db.url
    res = runner.invoke(app, ["index", "inputs", "--out", str(tmp_path / "in"), "--db", url])
    assert res.exit_code == 0, res.output
    with default_db.session() as s:
        page = build_compare(s, lang="en", n_ua=20)
    year = page["year"]
    idata = pd.read_csv(tmp_path / "in" / "iData.csv")
    assert year in set(idata["Time"]) and idata["Time"].nunique() > 1  # a panel: own-series fill
    res = runner.invoke(app, ["index", "build", "--idata", str(tmp_path / "in" / "iData.csv"),
                              "--imeta", str(tmp_path / "in" / "iMeta.csv"),
                              "--spec", str(tmp_path / "in" / "spec.yaml"),
                              "--time", str(year), "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    cli = pd.read_csv(tmp_path / "out" / "results.csv", dtype={"uCode": str}).set_index("uCode")
    shown = {r["code"]: r for r in page["index"]["results"] if r["rank"] is not None}
    screened = {d["code"] for d in page["index"]["dropped"]}
    assert set(cli.index) == set(shown) and not screened & set(shown)
    for code, row in cli.iterrows():
        assert round(row["Index"], 2) == shown[code]["index"]  # the page shows 2 decimals
        assert int(row["Rank"]) == shown[code]["rank"]


def test_text_columns_with_na_are_read_as_numbers_or_refused():
    from lantu.engine import DataError, IndexData

    tree = pd.DataFrame({"code": ["a", "b", "I"], "parent": ["I", "I", None]})
    values = pd.DataFrame({"a": ["1", "NA", "3"], "b": [1.0, 2.0, None]}, index=["x", "y", "z"])
    data = IndexData.from_frames(values, tree)
    np.testing.assert_array_equal(data.values[:, 0], [1.0, np.nan, 3.0])
    bad = pd.DataFrame({"a": ["1", "x"], "b": [1.0, 2.0]}, index=["p", "q"])
    try:
        IndexData.from_frames(bad, tree)
    except DataError as exc:
        assert "row 2: column 'a': not a number: 'x'" in str(exc)
    else:
        raise AssertionError("text in a value column was accepted")
