"""Rebuild the embedded default's extracted data from the whole official corpus.

    .venv/bin/python scripts/extract_corpus.py [--shared ../shared] [--no-progress]

The shared folder is ``--shared``, else ``$LANTU_SHARED``, else a ``shared`` folder holding
``corpus`` beside the checkout or above it: :func:`lantu.ingest.goldeval.shared_folder`, the one
rule the tests and the benchmarks follow too.

Reads every government work report listed in ``<shared>/corpus/work-reports/index.csv`` (117
reports: Taiyuan 2000–2026, Shanxi 2003–2026, the eleven Shanxi cities, the central capitals) and
China's national statistical bulletins (``corpus/national-bulletins/``), and writes to
``src/lantu/defaults/data/extracted/``:

* ``observations.csv`` — the figures each text states: a work report of year Y gives Y−1
  (``preliminary``, quality ``official_report``, published Y); a bulletin of year Y gives Y
  (``official_statistics``, published Y+1);
* ``targets.csv`` — the targets of the reports (``official_report``), ``machine_read`` true until
  a person confirms them in ``reviewed/targets.csv``;
* ``milestones.csv`` — dated achievements (when ``lantu.ingest.milestones`` is installed),
  ``machine_read`` true until a person confirms them in ``reviewed/milestones.csv``.

The source of every row is the text it was read from: the official URL of its front matter (or
of ``index.csv``), else the file's path in the public archive github.com/lawtext/gov
(``source_file``, note "archived copy of the official report") — never this script's output.
The plan outlines of the corpus (14th, 15th Five-Year Plans) are national and set no city figures;
they are not read here. Review what changes with ``git diff``; fix the extractor, or write an
override with its reason (``overrides.csv``), never the numbers of the output.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
from pathlib import Path

from rich.progress import Progress

from lantu.defaults import load_indicators
from lantu.domain.observations import qualifier_flag
from lantu.ingest.extract import LEX, extract_text, target_kind
from lantu.ingest.goldeval import shared_folder
from lantu.ingest.textio import read_text

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "lantu" / "defaults" / "data" / "extracted"
ARCHIVE_NOTE = "archived copy of the official report (github.com/lawtext/gov)"
CORPUS_NOTE = "copy of the official report in the project corpus (no official URL or archive known)"
MACHINE_READ = "machine-read by lantu extract, not reviewed by a person"
COUNTRY = "000000"

OBS_COLUMNS = ["region_code", "period", "indicator", "value", "unit", "flags", "source_url",
               "source_file", "excerpt", "source_quality", "source_published", "note"]
TARGET_COLUMNS = [
    "region_code", "indicator", "target_period", "kind", "value", "value_high", "qualifier",
    "binding", "unit", "source_url", "source_file", "excerpt", "source_quality",
    "source_published", "machine_read", "note", "plan",
]
#: how a five-year goal is judged (lantu.ingest.extract_goals): 年均增长 as a yearly growth held over the
#: span, a flow's (or a rate's) total as a cumulative change; a level by target_kind
GOAL_KINDS = {"annual_avg_growth": "annual_growth", "sum": "cumulative_change"}
MILESTONE_COLUMNS = ["region_code", "year", "kind", "text", "excerpt", "start", "end", "nodes",
                     "source_url", "archive", "source_quality", "machine_read"]

BINDING = LEX.binding  # indicator properties of src/lantu/ingest/lexicon/extract.yaml


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:.6f}".rstrip("0").rstrip(".")


def _rows(text: str, region: str, year: int, doc_type: str, src: dict) -> tuple[list, list]:
    """Observations and targets of one text, as rows of the output files."""
    obs: list[dict] = []
    tgt: list[dict] = []
    # a work report's goals for a later year too (horizon: 十四五末, 今后五年, 到2025年), each with its span
    for r in extract_text(text, region, year, doc_type=doc_type, horizon=doc_type == "report"):
        indicator = r.indicator  # registered and surveyed unemployment: one code each (the extractor's)
        if r.kind == "observed":
            flags = ["preliminary"] if doc_type == "report" else []
            if re.search("预计|预估", r.excerpt):
                flags.append("estimated")  # "预计增长…", "预估达到": an estimate made before the year's data
            if q := qualifier_flag(r.qualifier, r.value):  # "市场主体超过180万户": at least 180
                flags.append(q)
            if not src["source_url"]:
                flags.append("no_official_url")
            flags.append("machine_read")  # the build's record: no person reviewed it (reviewed/ rows do not say it)
            obs.append({"region_code": r.region_code, "period": r.period, "indicator": indicator,
                        "value": _fmt(r.value), "unit": r.unit, "flags": ";".join(flags),
                        "excerpt": r.excerpt, **src})
        else:
            tgt.append({"region_code": r.region_code, "indicator": indicator,
                        "target_period": r.period,
                        "kind": GOAL_KINDS.get(r.goal) or target_kind(r.indicator, r.qualifier, r.value),
                        "value": _fmt(r.value),
                        # a goal's span: in force and paced from the report's year (target_horizon)
                        "plan": f"{year}年政府工作报告·发展目标（{year}—{r.period}年）" if r.goal else "",
                        "value_high": _fmt(r.value_high), "qualifier": r.qualifier,
                        "binding": "true" if r.indicator in BINDING else "false",
                        # the build's record: no person reviewed it (reviewed/targets.csv would)
                        "machine_read": "true",
                        "unit": r.unit, "excerpt": r.excerpt, **src})
    return obs, tgt


def _milestones(text: str, region: str, year: int, src: dict) -> list[dict]:
    """Milestones of one report, machine-read (none when the extractor is not installed)."""
    try:
        from lantu.ingest.milestones import extract_milestones
    except ImportError:
        return []
    from lantu.defaults import node_keywords

    out = []
    for m in extract_milestones(text, region_code=region, year=year,
                                node_keywords=node_keywords()):
        out.append({"region_code": m.region_code, "year": m.year, "kind": m.kind,
                    "text": m.text, "excerpt": m.excerpt, "start": m.start, "end": m.end,
                    "nodes": ";".join(m.nodes), "source_url": src["source_url"],
                    "archive": src["archive"] or src["source_file"],
                    "source_quality": "official_report",
                    # the build's record: no person reviewed it (reviewed/milestones.csv would)
                    "machine_read": "true"})
    return out


def _first_per_key(rows: list[dict]) -> list[dict]:
    """One figure per region, period, indicator and text: a bulletin gives the yearly average
    of the surveyed unemployment rate first and the year-end rate after; the first stated is
    the yearly figure."""
    seen: set[tuple] = set()
    out = []
    for r in rows:
        key = (r["region_code"], r["period"], r["indicator"], r["source_url"], r["source_file"])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _write(out: Path, name: str, cols: list[str], rows: list[dict]) -> None:
    tmp = out / (name + ".part")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    tmp.replace(out / name)


def build(shared: Path, *, progress: bool = True, out: Path = OUT) -> dict[str, int]:
    """Read the corpus under ``shared`` and write the three files to ``out``; return the
    counts."""
    corpus = shared / "corpus"
    with open(corpus / "work-reports" / "index.csv", encoding="utf-8", newline="") as fh:
        index = list(csv.DictReader(fh))
    bulletins = sorted((corpus / "national-bulletins").glob("*.md"))
    obs: list[dict] = []
    tgt: list[dict] = []
    mil: list[dict] = []
    with Progress(disable=not progress, transient=True) as bar:
        task = bar.add_task("reading the corpus", total=len(index) + len(bulletins))
        for entry in index:
            doc = read_text(corpus / entry["file"])
            url = doc.source_url or entry.get("source_url") or ""
            archive = entry.get("archive") or ""
            # the citation: the official URL, else the archived copy, else (neither known) the
            # copy in the project corpus
            cite = archive or f"corpus/{entry['file']}"
            note = ARCHIVE_NOTE if archive else CORPUS_NOTE
            src = {"source_url": url, "source_file": "" if url else cite,
                   "note": MACHINE_READ + ("" if url else f"; {note}"),
                   "source_quality": "official_report",
                   "source_published": entry["year"], "archive": archive}
            o, t = _rows(doc.text, entry["region_code"], int(entry["year"]), "report", src)
            obs += o
            tgt += t
            mil += _milestones(doc.text, entry["region_code"], int(entry["year"]), src)
            bar.advance(task)
        for path in bulletins:
            doc = read_text(path)
            year = int(path.stem)
            src = {"source_url": doc.source_url, "source_file": "" if doc.source_url else
                   f"national-bulletins/{path.name}", "note": MACHINE_READ,
                   "source_quality": "official_statistics", "source_published": str(year + 1),
                   "archive": ""}
            o, _ = _rows(doc.text, COUNTRY, year, "bulletin", src)
            obs += o
            bar.advance(task)
    # a derived indicator (a share of GDP…) is computed from its inputs, never stored
    derived = {i.code for i in load_indicators() if i.is_derived}
    obs = _first_per_key([r for r in obs if r["indicator"] not in derived])
    out.mkdir(parents=True, exist_ok=True)
    _write(out, "observations.csv", OBS_COLUMNS, obs)
    _write(out, "targets.csv", TARGET_COLUMNS, tgt)
    # one row per milestone: a report may state the same achievement twice (review and outlook)
    mil = list({(m["region_code"], m["year"], m["kind"], m["text"]): m for m in reversed(mil)}
               .values())[::-1]
    _write(out, "milestones.csv", MILESTONE_COLUMNS, mil)
    return {"reports": len(index), "bulletins": len(bulletins), "observations": len(obs),
            "targets": len(tgt), "milestones": len(mil)}


def main() -> None:
    ap = argparse.ArgumentParser(description="Rebuild src/lantu/defaults/data/extracted/ from the "
                                             "corpus of the shared folder.")
    ap.add_argument("--shared", help="the shared folder (default: $LANTU_SHARED, else a 'shared' "
                                     "folder holding corpus/ beside the checkout or above it)")
    ap.add_argument("--no-progress", action="store_true")
    args = ap.parse_args()
    shared = shared_folder(ROOT, args.shared or os.environ.get("LANTU_SHARED"))
    if not (shared / "corpus" / "work-reports" / "index.csv").is_file():
        raise SystemExit(f"no corpus/work-reports/index.csv under {shared} (give --shared or set "
                         "LANTU_SHARED)")
    n = build(shared, progress=not args.no_progress)
    print(f"{n['reports']} reports, {n['bulletins']} bulletins: {n['observations']} observations, "
          f"{n['targets']} targets, {n['milestones']} milestones -> {OUT}")


if __name__ == "__main__":
    main()
