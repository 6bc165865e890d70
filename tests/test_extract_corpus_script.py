"""``scripts/extract_corpus.py`` finds the shared folder by the one rule of the tests and the
benchmarks (:func:`lantu.ingest.goldeval.shared_folder`), ``--shared`` overriding it.

The script is copied into a checkout laid out in a temporary folder, so it reads a small corpus
and writes into that checkout (never into this one's ``src/lantu/defaults/data``)."""

from __future__ import annotations

import csv
import runpy
import shutil
from pathlib import Path

import pytest

from lantu.ingest.goldeval import shared_folder

ROOT = Path(__file__).resolve().parents[1]
REPORT = ("---\nsource: {url}\ntitle: 政府工作报告\n---\n"
          "一、2022年工作回顾\n全年地区生产总值实现5571.17亿元、增长3.3%。\n"
          "二、2023年工作安排\n今年主要预期目标是：地区生产总值增长6.5%左右。\n")


def _corpus(shared: Path, url: str) -> None:
    reports = shared / "corpus" / "work-reports"
    (reports / "140100-taiyuan").mkdir(parents=True)
    (shared / "corpus" / "national-bulletins").mkdir()
    (reports / "140100-taiyuan" / "2023.md").write_text(REPORT.format(url=url), encoding="utf-8")
    (reports / "index.csv").write_text(
        "region_code,region,year,file,source_url,archive\n"
        "140100,太原市,2023,work-reports/140100-taiyuan/2023.md,,\n", encoding="utf-8")


def _run(script: Path, monkeypatch, *args: str) -> list[dict]:
    monkeypatch.setattr("sys.argv", [str(script), "--no-progress", *args])
    runpy.run_path(str(script), run_name="__main__")
    out = script.parents[1] / "src" / "lantu" / "defaults" / "data" / "extracted" / "targets.csv"
    with open(out, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """``tmp/a/b/wt`` holding the script; ``tmp/a/b/shared`` has no corpus (not the one),
    ``tmp/a/shared`` has one (a worktree one level deeper than the clone)."""
    wt = tmp_path / "a" / "b" / "wt"
    (wt / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "extract_corpus.py", wt / "scripts")
    (tmp_path / "a" / "b" / "shared").mkdir()
    _corpus(tmp_path / "a" / "shared", "https://www.taiyuan.gov.cn/found.html")
    return wt


def test_the_script_finds_the_shared_folder_as_the_tests_do(checkout, monkeypatch) -> None:
    monkeypatch.delenv("LANTU_SHARED", raising=False)
    assert shared_folder(checkout) == checkout.parents[1] / "shared"
    rows = _run(checkout / "scripts" / "extract_corpus.py", monkeypatch)
    assert [(r["indicator"], r["value"], r["source_url"]) for r in rows] == [
        ("gdp_growth", "6.5", "https://www.taiyuan.gov.cn/found.html")]


def test_lantu_shared_then_the_option_override_the_search(checkout, tmp_path, monkeypatch) -> None:
    _corpus(tmp_path / "env", "https://www.taiyuan.gov.cn/env.html")
    _corpus(tmp_path / "option", "https://www.taiyuan.gov.cn/option.html")
    script = checkout / "scripts" / "extract_corpus.py"
    monkeypatch.setenv("LANTU_SHARED", str(tmp_path / "env"))
    assert {r["source_url"] for r in _run(script, monkeypatch)} == {
        "https://www.taiyuan.gov.cn/env.html"}
    rows = _run(script, monkeypatch, "--shared", str(tmp_path / "option"))
    assert {r["source_url"] for r in rows} == {"https://www.taiyuan.gov.cn/option.html"}


def test_a_folder_without_a_corpus_is_a_clear_error(checkout, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("LANTU_SHARED", raising=False)
    with pytest.raises(SystemExit, match=r"no corpus/work-reports/index.csv under .*nothing"):
        _run(checkout / "scripts" / "extract_corpus.py", monkeypatch,
             "--shared", str(tmp_path / "nothing"))
