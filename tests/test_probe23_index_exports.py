"""probe23: the index commands' outputs are sheets too. ``lantu index build``, ``ua`` and
``analyse`` wrote their data sets with pandas' ``to_csv``: a unit's code ``@SUM(1)`` or an
indicator's code ``-2+3`` taken from the user's iData/iMeta became a live formula when the
results were opened in a spreadsheet. They now write through the one CSV writer of user text
(:func:`lantu.tabular.csv_frame`, with the index and float format these outputs need)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from lantu.cli import app as cli_app
from lantu.tabular import csv_frame, unescape_text

ROOT = Path(__file__).resolve().parents[1]
ASEM = ROOT / "examples" / "asem"
runner = CliRunner()


def _hostile(tmp: Path, icode: str | None = None) -> tuple[Path, Path]:
    lines = (ASEM / "iData.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[0], cells[1] = '"=HYPERLINK(""http://e.x"")"', "@SUM(1)"
    lines[1] = ",".join(cells)
    meta = (ASEM / "iMeta.csv").read_text(encoding="utf-8")
    if icode:
        lines[0] = lines[0].replace('"LPI"', f'"{icode}"')
        meta = meta.replace('"LPI"', f'"{icode}"').replace(",LPI,", f",{icode},")
    (tmp / "i.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp / "m.csv").write_text(meta, encoding="utf-8")
    return tmp / "i.csv", tmp / "m.csv"


def _live(out: Path) -> list[str]:
    bad = []
    for f in sorted(out.glob("*.csv")):
        for line in f.read_text(encoding="utf-8").splitlines():
            for cell in line.split(","):
                c = cell.strip('"')
                if c[:1] in ("=", "@", "+") or re.match(r"-[^\d.]", c):
                    bad.append(f"{f.name}:{c[:30]}")
    return bad


def test_index_build_writes_a_units_code_as_text(tmp_path, monkeypatch):
    monkeypatch.setenv("LANTU_HOME", str(tmp_path))
    i, m = _hostile(tmp_path)
    r = runner.invoke(cli_app, ["index", "build", "--idata", str(i), "--imeta", str(m),
                                "--spec", str(ASEM / "nominal.yaml"), "--out", str(tmp_path / "o")])
    assert r.exit_code == 0, r.output
    assert _live(tmp_path / "o") == []
    res = pd.read_csv(tmp_path / "o" / "results.csv", dtype={"uCode": str})
    assert "'@SUM(1)" in set(res["uCode"])
    assert unescape_text("'@SUM(1)") == "@SUM(1)"


def test_index_build_writes_an_indicators_code_in_the_header_as_text(tmp_path, monkeypatch):
    monkeypatch.setenv("LANTU_HOME", str(tmp_path))
    i, m = _hostile(tmp_path, icode="-2+3")
    r = runner.invoke(cli_app, ["index", "build", "--idata", str(i), "--imeta", str(m),
                                "--spec", str(ASEM / "nominal.yaml"), "--out", str(tmp_path / "o")])
    if r.exit_code == 2:  # refusing such a code is as good
        return
    assert r.exit_code == 0, r.output
    heads = [f.read_text(encoding="utf-8").splitlines()[0] for f in (tmp_path / "o").glob("*.csv")]
    assert not [h for h in heads if re.search(r"(^|,)-2\+3", h)]


def test_index_ua_writes_a_units_code_as_text(tmp_path, monkeypatch):
    monkeypatch.setenv("LANTU_HOME", str(tmp_path))
    i, m = _hostile(tmp_path)
    r = runner.invoke(cli_app, ["index", "ua", "--idata", str(i), "--imeta", str(m),
                                "--spec", str(ASEM / "nominal.yaml"), "--uncertainty", str(ASEM / "ua.yaml"),
                                "-N", "3", "--quiet", "--out", str(tmp_path / "o")])
    assert r.exit_code == 0, r.output
    assert _live(tmp_path / "o") == []


def test_the_frame_writer_escapes_an_index_and_keeps_floats_exact():
    df = pd.DataFrame({"x": [0.1 + 0.2]}, index=pd.Index(["=cmd", "ok"][:1], name="@code"))
    text = csv_frame(df, index=True, float_format="%.17g")
    assert text.splitlines() == ["'@code,x", "'=cmd,0.30000000000000004"]


@pytest.mark.parametrize("kw", [{}, {"index": False}])
def test_the_frame_writer_without_an_index_is_as_before(kw):
    df = pd.DataFrame({"uCode": ["AUT"], "Index": [1.5]})
    assert csv_frame(df, **kw) == "uCode,Index\r\nAUT,1.5\r\n"


def test_index_analyse_writes_an_indicators_code_as_text(tmp_path, monkeypatch):
    monkeypatch.setenv("LANTU_HOME", str(tmp_path))
    i, m = _hostile(tmp_path, icode="-2+3")
    r = runner.invoke(cli_app, ["index", "analyse", "--idata", str(i), "--imeta", str(m),
                                "--spec", str(ASEM / "nominal.yaml"), "--out", str(tmp_path / "o")])
    if r.exit_code == 2:
        return
    assert r.exit_code == 0, r.output
    assert len(list((tmp_path / "o").glob("*.csv"))) == 4
    for f in (tmp_path / "o").glob("*.csv"):
        assert not re.search(r"(^|[,\n])-2\+3", f.read_text(encoding="utf-8")), f.name


def test_the_frame_writer_takes_a_series_as_pandas_writes_it():
    s = pd.Series([0.5], index=pd.Index(["=a"], name="iCode"), name="alpha")
    assert csv_frame(s, index=True, float_format="%.17g").splitlines() == ["iCode,alpha", "'=a,0.5"]
