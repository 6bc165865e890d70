"""The extracted default data: columns as agreed, codes from the catalogue, every row traceable."""

from __future__ import annotations

import csv
from pathlib import Path

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
    assert cols == ["region_code", "period", "indicator", "value", "unit", "flags", "source_url",
                    "source_file", "excerpt", "source_quality", "source_published", "note"]
    cols, tgt = _read(TGT)
    assert cols == [
        "region_code", "indicator", "target_period", "kind", "value", "value_high", "qualifier",
        "binding", "unit", "source_url", "source_file", "excerpt", "source_quality",
        "source_published", "machine_read", "note", "plan",
    ]
    assert len(obs) > 300 and len(tgt) > 300
    for n, r in enumerate(obs, start=2):
        assert r["indicator"] in codes, (OBS.name, n, r["indicator"])
        assert r["unit"] == codes[r["indicator"]], (OBS.name, n, r["unit"])
        # a work report's figure is preliminary; a bulletin's is the statistics
        assert ("preliminary" in r["flags"].split(";")) == (r["source_quality"] == "official_report")
        float(r["value"])
    for n, r in enumerate(tgt, start=2):
        assert r["indicator"] in codes, (TGT.name, n, r["indicator"])
        assert r["kind"] in ("annual_growth", "level", "ceiling", "floor", "cumulative_change"), (n, r["kind"])
        assert r["binding"] in ("true", "false")
        assert r["machine_read"] == "true"  # the build's record: no person reviewed it
        assert r["qualifier"] in ("", "左右", "以上", "以内", "力争", "突破")
        assert r["kind"] == "annual_growth" or not r["indicator"].endswith("_growth")
        if r["value_high"]:
            assert float(r["value_high"]) >= float(r["value"])


def test_every_row_is_in_its_report_with_its_official_url(shared_dir: Path) -> None:
    """The source of every row is the text it was read from: its official URL, else the path of
    the archived copy of the report — never the extraction CSV; the excerpt is in that text."""
    corpus = shared_dir / "corpus"
    texts: dict[str, tuple[str, str, str]] = {}  # url or archive -> text, quality, published
    with open(corpus / "work-reports" / "index.csv", encoding="utf-8") as fh:
        for e in csv.DictReader(fh):
            doc = read_text(corpus / e["file"])
            url = doc.source_url or e["source_url"]
            texts[url or e["archive"] or f"corpus/{e['file']}"] = (doc.text, "official_report",
                                                                  e["year"])
    for path in (corpus / "national-bulletins").glob("*.md"):
        doc = read_text(path)
        texts[doc.source_url] = (doc.text, "official_statistics", str(int(path.stem) + 1))
    for r in _read(OBS)[1] + _read(TGT)[1]:
        assert bool(r["source_url"]) != bool(r["source_file"]), r
        assert "extracted" not in r["source_file"] and r["source_file"] != "defaults"
        text, quality, published = texts[r["source_url"] or r["source_file"]]
        assert r["excerpt"] in text, r
        assert (r["source_quality"], r["source_published"]) == (quality, published)
        if r["source_file"]:
            assert "archived copy of the official report" in r["note"] or \
                "copy of the official report in the project corpus" in r["note"]
            assert "no_official_url" in r.get("flags", "no_official_url")
