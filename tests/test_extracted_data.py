"""The extracted default data: columns as agreed, codes from the catalogue, every row traceable."""

from __future__ import annotations

import csv
from pathlib import Path

from lantu.ingest.goldeval import find_report
from lantu.ingest.textio import read_text

DATA = Path(__file__).resolve().parents[1] / "src" / "lantu" / "defaults" / "data"
OBS = DATA / "extracted" / "observations.csv"
TGT = DATA / "extracted" / "targets.csv"


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as fh:
        r = csv.DictReader(fh)
        return list(r.fieldnames or []), list(r)


def test_columns_and_codes() -> None:
    codes = {r["code"]: r["unit"] for r in _read(DATA / "indicators.csv")[1]}
    cols, obs = _read(OBS)
    assert cols == ["region_code", "period", "indicator", "value", "unit", "flags", "source_url", "excerpt"]
    cols, tgt = _read(TGT)
    assert cols == [
        "region_code", "indicator", "target_period", "kind", "value", "value_high", "qualifier",
        "binding", "unit", "source_url", "excerpt",
    ]
    assert len(obs) > 300 and len(tgt) > 300
    for n, r in enumerate(obs, start=2):
        assert r["indicator"] in codes, (OBS.name, n, r["indicator"])
        assert r["unit"] == codes[r["indicator"]], (OBS.name, n, r["unit"])
        assert "preliminary" in r["flags"].split(";")
        float(r["value"])
    for n, r in enumerate(tgt, start=2):
        assert r["indicator"] in codes, (TGT.name, n, r["indicator"])
        assert r["kind"] in ("annual_growth", "level", "ceiling", "floor", "cumulative_change"), (n, r["kind"])
        assert r["binding"] in ("true", "false")
        assert r["qualifier"] in ("", "左右", "以上", "以内", "力争")
        assert r["kind"] == "annual_growth" or not r["indicator"].endswith("_growth")
        if r["value_high"]:
            assert float(r["value_high"]) >= float(r["value"])


def test_every_row_is_in_its_report_with_its_official_url(shared_dir: Path) -> None:
    corpus = shared_dir / "corpus"
    cache: dict[tuple[str, int], tuple[str, str]] = {}

    def report(code: str, year: int) -> tuple[str, str]:
        if (code, year) not in cache:
            doc = read_text(find_report(corpus, code, year))
            cache[(code, year)] = (doc.text, doc.source_url or "")
        return cache[(code, year)]

    for r in _read(OBS)[1]:
        text, url = report(r["region_code"], int(r["period"]) + 1)
        assert r["excerpt"] in text, r
        assert r["source_url"] == url
        assert ("no_official_url" in r["flags"]) == (url == "")
    for r in _read(TGT)[1]:
        text, url = report(r["region_code"], int(r["target_period"]))
        assert r["excerpt"] in text, r
        assert r["source_url"] == url
