"""What the seventh round left alone on the file side, closed (files9): YAML files a user
brings — a plan (``lantu plan load``), the peer-index framework, a composite-index or
uncertainty spec — are read by one reader, ``lantu.ingest.yamlio.read_yaml``: decoded by the
one rule of every text (``textio.decode_text``: a plan saved as GBK or UTF-16 is read, damaged
UTF-8 named by line and byte, never a Python codec message or a traceback), and a float judged
on its written text by the one number rule (``indicators.number_problem``): ``1.0e-400`` was
read as 0 and ``4.0e-320`` as a subnormal by the parser before Lantu saw them.

The answers were written by hand first; each test failed on the code before unless its name
ends in ``_held``. SQLite and PostgreSQL where a database is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from hostile import snapshot
from lantu.cli import app

runner = CliRunner()
EX = Path(__file__).resolve().parents[1] / "examples" / "asem"
PLAN = "code: p9\ntitle: 计划\nchildren:\n  - code: T1\n    title: {title}\n"


@pytest.mark.parametrize("text", ["1.0e-400", "-1.0E-400", "4.0e-320", "0.1e-308"])
def test_a_yaml_number_too_small_is_refused_naming_line_and_column(text):
    from lantu.ingest.yamlio import YamlRefused, read_yaml

    with pytest.raises(YamlRefused) as info:
        read_yaml(f"name: x\nweights:\n  a: {text}\n".encode(), "w.yaml")
    assert str(info.value).startswith("w.yaml: line 3, column 6: too small to store exactly")


@pytest.mark.parametrize("text,value", [("0.0e-400", 0.0), ("2.5e-300", 2.5e-300), ("0.5", 0.5),
                                        ("1_000.5", 1000.5)])
def test_yaml_zero_and_small_normal_numbers_are_read_held(text, value):
    from lantu.ingest.yamlio import read_yaml

    assert read_yaml(f"a: {text}".encode()) == {"a": value}


def test_a_plan_with_a_number_too_small_is_refused_and_nothing_loaded(db, tmp_path):
    # hand answer: refused naming line 5; was loaded with the title "0.0"
    url = db.engine.url.render_as_string(hide_password=False)
    runner.invoke(app, ["init", "--db", url])
    before = snapshot(db)
    p = tmp_path / "plan.yaml"
    p.write_text(PLAN.format(title="1.0e-400"), encoding="utf-8")
    res = runner.invoke(app, ["plan", "load", str(p), "--db", url])
    assert res.exit_code == 1, res.output  # the command's code for a plan it cannot load
    assert "line 5, column 12: too small to store exactly" in " ".join(res.output.split())
    assert snapshot(db) == before


@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_a_plan_saved_in_gbk_or_utf16_is_read(db, tmp_path, encoding):
    # was: "not a readable YAML/JSON plan: 'utf-8' codec can't decode byte 0xbc in position 15:
    # invalid start byte" (Python's words, in English on every page)
    url = db.engine.url.render_as_string(hide_password=False)
    p = tmp_path / "plan.yaml"
    p.write_bytes(PLAN.format(title="推动产业转型").encode(encoding))
    res = runner.invoke(app, ["plan", "load", str(p), "--db", url])
    assert res.exit_code == 0, res.output
    from lantu.store import repo

    with db.session() as s:
        plan = repo.load_plan(s, "p9")
    assert [n.title for _, n in plan.walk()] == ["推动产业转型"]


def test_a_damaged_utf8_plan_names_line_and_byte_not_the_codec(tmp_path):
    p = tmp_path / "plan.yaml"
    p.write_bytes(PLAN.format(title="推动产业转型").encode() + "  - code: T2\n    title: 转型\n"
                  .encode()[:-4] + b"\xff\n")
    res = runner.invoke(app, ["plan", "load", str(p), "--db", f"sqlite:///{tmp_path}/x.db"])
    said = " ".join(res.output.split())
    assert res.exit_code == 1 and "damaged at line 7" in said and "codec" not in said


def _spec(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / "spec.yaml"
    p.write_bytes((EX / "nominal.yaml").read_text(encoding="utf-8")
                  .replace("dat_thresh: 0.9", f"dat_thresh: {text}").encode(encoding))
    return p


def _build(tmp_path, spec):
    return runner.invoke(app, ["index", "build", "--idata", str(EX / "iData.csv"), "--imeta",
                               str(EX / "iMeta.csv"), "--spec", str(spec), "--out",
                               str(tmp_path / "out")])


def test_a_spec_with_a_number_too_small_is_refused(tmp_path):
    # was: built, the screen's threshold read as 0
    res = _build(tmp_path, _spec(tmp_path, "1.0e-400"))
    said = " ".join(res.output.split())
    assert res.exit_code == 2 and "line 8, column" in said
    assert "too small to store exactly" in said and not (tmp_path / "out").exists()


def test_a_spec_saved_in_gbk_is_read(tmp_path):
    # was: a traceback (UnicodeDecodeError, not one of Lantu's errors)
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(("# 中文说明：参考流程\n" + (EX / "nominal.yaml").read_text(encoding="utf-8"))
                     .encode("gbk"))
    res = _build(tmp_path, spec)
    assert res.exit_code == 0, res.output


def test_an_uncertainty_spec_with_a_number_too_small_is_refused(tmp_path):
    ua = tmp_path / "ua.yaml"
    ua.write_text((EX / "ua.yaml").read_text(encoding="utf-8").replace("noise: 0.25",
                                                                      "noise: 1.0e-400"),
                  encoding="utf-8")
    res = runner.invoke(app, ["index", "ua", "--idata", str(EX / "iData.csv"), "--imeta",
                              str(EX / "iMeta.csv"), "--spec", str(EX / "nominal.yaml"),
                              "--uncertainty", str(ua), "--out", str(tmp_path / "out"),
                              "--n", "4"])
    assert res.exit_code != 0 and "too small to store exactly" in " ".join(res.output.split())


def test_a_peer_index_framework_with_a_weight_too_small_is_refused(tmp_path):
    from lantu.defaults import HERE
    from lantu.domain import ValidationError
    from lantu.evaluation import peer_index

    text = (HERE / "peer_index.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "fw.yaml"
    bad.write_text(text.replace("weight: 1,", "weight: 1.0e-400,", 1), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        peer_index.load_framework(bad)
    assert "cannot read the peer-index framework: line" in str(info.value)
    assert "too small to store exactly" in str(info.value)


def test_a_plans_codes_and_titles_are_read_as_written(db, tmp_path):
    # the class of 2023.10 → 2023.1 in a YAML file: task 1.10 was read as 1.1 and the plan
    # refused ("node code 1.1 appears twice"); a title 2023.10 became 2023.1, 010 became 8
    url = db.engine.url.render_as_string(hide_password=False)
    p = tmp_path / "plan.yaml"
    p.write_text("code: p9\ntitle: 计划\nchildren:\n  - code: 1.1\n    title: 任务一\n"
                 "  - code: 1.10\n    title: 2023.10\n  - code: 010\n    title: 任务八\n",
                 encoding="utf-8")
    res = runner.invoke(app, ["plan", "load", str(p), "--db", url])
    assert res.exit_code == 0, res.output
    from lantu.store import repo

    with db.session() as s:
        plan = repo.load_plan(s, "p9")
    assert [(n.code, n.title) for _, n in plan.walk()] == [
        ("1.1", "任务一"), ("1.10", "2023.10"), ("010", "任务八")]
