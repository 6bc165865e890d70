"""probe22's X2, left by session 14: an iMeta weight typed ``NaN`` or left empty was read as 1
(the reader makes both missing, and a missing weight is 1 in the engine's own trees). A file's
iMeta with a Weight column now gives every indicator and aggregate a number there; the file,
row, column and code are named. Without the column the weights stay equal, and the engine's
own trees (Tree.from_frame, the peer index) keep "missing means 1"."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from lantu.cli import app
from lantu.engine.data import DataError, Tree, load_coinr, read_table

runner = CliRunner()
IDATA = "uCode,uName,x1,x2\nA,A,1,4\nB,B,2,3\nC,C,3,1\n"
SPEC = ("name: s\nsteps:\n  - {name: normalise, step: normalise, method: minmax, params: {l_u: [0, 100]}}\n"
        "  - {name: aggregate, step: aggregate, method: amean}\n")


def _meta(weight: str) -> str:
    return ("Level,iCode,iName,Direction,Weight,Parent,Type\n"
            f"1,x1,X one,1,{weight},Index,Indicator\n1,x2,X two,1,1,Index,Indicator\n"
            "2,Index,The index,1,1,,Aggregate\n")


def _said(res) -> str:
    return " ".join(res.output.replace("│", " ").split())


@pytest.mark.parametrize(("weight", "words"), [
    ("NaN", "row 1: field 'Weight' of 'x1' is not a number: 'NaN'"),
    ("nan", "row 1: field 'Weight' of 'x1' is not a number: 'nan'"),
    ("", "row 1: field 'Weight' of 'x1' is empty"),
    ("NA", "row 1: field 'Weight' of 'x1' is not a number: 'NA'"),
])
def test_a_missing_weight_in_a_file_is_refused(tmp_path, weight, words):
    (tmp_path / "iData.csv").write_text(IDATA, encoding="utf-8")
    (tmp_path / "iMeta.csv").write_text(_meta(weight), encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    res = runner.invoke(app, ["index", "build", "--idata", str(tmp_path / "iData.csv"),
                              "--imeta", str(tmp_path / "iMeta.csv"), "--spec",
                              str(tmp_path / "spec.yaml"), "--out", str(tmp_path / "out")])
    assert res.exit_code == 2, _said(res)
    assert "iMeta.csv" in _said(res) and words in _said(res), _said(res)
    assert not (tmp_path / "out").exists()


def test_a_missing_weight_in_a_workbook_is_refused(tmp_path):
    meta = pd.read_csv(__import__("io").StringIO(_meta("1")))
    meta["Weight"] = meta["Weight"].astype(object)
    meta.loc[0, "Weight"] = None  # an empty cell
    meta.to_excel(tmp_path / "iMeta.xlsx", index=False)
    (tmp_path / "iData.csv").write_text(IDATA, encoding="utf-8")
    with pytest.raises(DataError, match=r"iMeta.xlsx: row 1: field 'Weight' of 'x1' is empty"):
        load_coinr(tmp_path / "iData.csv", tmp_path / "iMeta.xlsx")


def test_a_numeric_weight_and_no_weight_column_still_build(tmp_path):
    (tmp_path / "iData.csv").write_text(IDATA, encoding="utf-8")
    (tmp_path / "iMeta.csv").write_text(_meta("2"), encoding="utf-8")
    d = load_coinr(tmp_path / "iData.csv", tmp_path / "iMeta.csv")
    assert list(d.tree.weights[:2]) == [2.0, 1.0]
    (tmp_path / "iMeta.csv").write_text(
        "Level,iCode,iName,Direction,Parent,Type\n1,x1,X one,1,Index,Indicator\n"
        "1,x2,X two,1,Index,Indicator\n2,Index,The index,1,,Aggregate\n", encoding="utf-8")
    assert list(load_coinr(tmp_path / "iData.csv", tmp_path / "iMeta.csv").tree.weights) == [1.0] * 3


def test_the_engines_own_trees_keep_missing_means_one():
    t = Tree.from_frame(pd.DataFrame({"code": ["a", "b", "Index"], "parent": ["Index", "Index", None],
                                      "weight": [None, 2.0, None]}))
    assert list(t.weights) == [1.0, 2.0, 1.0]


def test_the_reader_tells_an_empty_cell_from_nan_text(tmp_path):
    (tmp_path / "t.csv").write_text("a,b\n,NaN\n", encoding="utf-8")
    raw = read_table(tmp_path / "t.csv", text=True)
    assert raw.loc[0, "a"] == "" and raw.loc[0, "b"] == "NaN"
    parsed = read_table(tmp_path / "t.csv")
    assert parsed.isna().all().all()
