"""Regenerate src/lantu/defaults/data/extracted/{observations,targets}.csv from the work reports.

    .venv/bin/python scripts/extract_corpus.py [--shared ../shared]

Runs `lantu extract` over every report listed in <shared>/corpus/work-reports/index.csv and writes
the achieved figures (observations of year Y-1, flagged `preliminary`) and the targets of year Y,
each with the official URL from the report's front matter and the excerpt it was read from.
Review what changes with `git diff` before committing; fix the extractor, not the output.
"""

from __future__ import annotations

import argparse
import csv
import os
from pathlib import Path

from lantu.ingest.extract import LEX, extract_text, target_kind
from lantu.ingest.textio import read_text

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "lantu" / "defaults" / "data" / "extracted"
_CANDIDATES = [ROOT.parent / "shared", ROOT.parent.parent / "shared"]

OBS_COLUMNS = ["region_code", "period", "indicator", "value", "unit", "flags", "source_url", "excerpt"]
TARGET_COLUMNS = [
    "region_code", "indicator", "target_period", "kind", "value", "value_high", "qualifier",
    "binding", "unit", "source_url", "excerpt",
]
QUALIFIER_FLAG = {"左右": "approximate", "以上": "lower_bound", "以内": "upper_bound", "力争": "stretch"}
BINDING = LEX.binding  # indicator properties of src/lantu/ingest/lexicon/extract.yaml


def unemployment_flag(excerpt: str, nth: int) -> str:
    """surveyed or registered, from the words of the excerpt; in a list "登记…、调查…分别…" the
    n-th value of the excerpt belongs to the n-th rate named."""
    import re

    names = ["registered" if m == "登记" else "surveyed" for m in re.findall(r"登记|调查", excerpt)]
    if len(set(names)) == 1:
        return names[0]
    return names[nth] if nth < len(names) else ""


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:.6f}".rstrip("0").rstrip(".")


def main() -> None:
    ap = argparse.ArgumentParser()
    default = os.environ.get("LANTU_SHARED") or next((str(p) for p in _CANDIDATES if p.exists()), "")
    ap.add_argument("--shared", default=default)
    args = ap.parse_args()
    corpus = Path(args.shared) / "corpus"
    obs: list[dict] = []
    tgt: list[dict] = []
    with open(corpus / "work-reports" / "index.csv", encoding="utf-8", newline="") as fh:
        index = list(csv.DictReader(fh))
    for entry in index:
        doc = read_text(corpus / entry["file"])
        url = doc.source_url or entry.get("source_url") or ""
        seen_excerpts: dict[tuple[int, str], int] = {}
        for r in extract_text(doc.text, entry["region_code"], int(entry["year"]), doc_type="report"):
            nth = seen_excerpts.get((r.start, r.kind), 0)
            seen_excerpts[(r.start, r.kind)] = nth + 1 if r.indicator == "unemployment_rate" else nth
            # registered and surveyed unemployment are two indicators: one code each
            indicator = r.indicator
            if indicator == "unemployment_rate" and unemployment_flag(r.excerpt, nth):
                indicator = f"unemployment_rate_{unemployment_flag(r.excerpt, nth)}"
            if r.kind == "observed":
                flags = ["preliminary"]
                if "预计" in r.excerpt:
                    flags.append("estimated")  # "预计增长…": an estimate made before the year's data
                if r.qualifier in QUALIFIER_FLAG:
                    flags.append(QUALIFIER_FLAG[r.qualifier])
                if not url:
                    flags.append("no_official_url")
                obs.append(
                    {
                        "region_code": r.region_code, "period": r.period, "indicator": indicator,
                        "value": _fmt(r.value), "unit": r.unit, "flags": ";".join(flags),
                        "source_url": url, "excerpt": r.excerpt,
                    }
                )
            else:
                tgt.append(
                    {
                        "region_code": r.region_code, "indicator": indicator, "target_period": r.period,
                        "kind": target_kind(r.indicator, r.qualifier), "value": _fmt(r.value),
                        "value_high": _fmt(r.value_high), "qualifier": r.qualifier,
                        "binding": "true" if r.indicator in BINDING else "false", "unit": r.unit,
                        "source_url": url, "excerpt": r.excerpt,
                    }
                )
    OUT.mkdir(parents=True, exist_ok=True)
    for name, cols, rows in (("observations.csv", OBS_COLUMNS, obs), ("targets.csv", TARGET_COLUMNS, tgt)):
        tmp = OUT / (name + ".part")
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        tmp.replace(OUT / name)
    print(f"{len(index)} reports: {len(obs)} observations, {len(tgt)} targets -> {OUT}")


if __name__ == "__main__":
    main()
