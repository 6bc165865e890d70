"""Precision and recall of `lantu extract --horizon` on the five-year goals of the gold files.

    .venv/bin/python benchmarks/horizon_prf.py [--verbose]

Gold: tests/gold/horizon/<code>-<year>.csv (README there); texts: ../shared/corpus/work-reports.
Only the extractor's goals are scored: target rows of a year after the report's (the year's own
targets are scored by extract_prf.py). A row counts when (period, indicator, kind, value,
qualifier) match; the kind of goal (level, annual_avg_growth, sum; a gold ``stock`` is a level of
the stock indicator) is scored on the matched rows.
"""

from __future__ import annotations

import csv
import sys

from _common import CORPUS, ROOT

from lantu.ingest.extract import extract_text
from lantu.ingest.goldeval import find_report, gold_files, gold_key
from lantu.ingest.textio import read_text

GOLD = ROOT / "tests" / "gold" / "horizon"


def goal_kind(row) -> str:
    """The kind of goal of an extracted row: its own ``goal`` when the extractor says one."""
    g = getattr(row, "goal", "")
    if g:
        return g
    return "annual_avg_growth" if row.indicator.endswith("_growth") else "level"


def main() -> int:
    verbose = "--verbose" in sys.argv
    tp = fp = fn = kind_ok = 0
    print(f"{'file':<14} {'TP':>3} {'FP':>3} {'FN':>3}  kind-ok")
    for gpath, code, year in gold_files(GOLD):
        with open(gpath, encoding="utf-8", newline="") as fh:
            gold = {gold_key(r["period"], r["indicator"], r["kind"], r["value"], r["qualifier"]):
                    ("level" if r["goal_kind"] == "stock" else r["goal_kind"]) for r in csv.DictReader(fh)}
        rows = extract_text(read_text(find_report(CORPUS, code, year)).text, code, year, doc_type="report",
                            horizon=True)
        got = {gold_key(r.period, r.indicator, r.kind, r.value, r.qualifier): (goal_kind(r), r.excerpt)
               for r in rows if r.kind == "target" and r.period > year}
        hit = set(got) & set(gold)
        k = sum(got[h][0] == gold[h] for h in hit)
        tp, fp, fn, kind_ok = tp + len(hit), fp + len(set(got) - hit), fn + len(set(gold) - hit), kind_ok + k
        print(f"{gpath.stem:<14} {len(hit):>3} {len(set(got) - hit):>3} {len(set(gold) - hit):>3}  {k}/{len(hit)}")
        if verbose:
            for key in sorted(set(gold) - hit, key=str):
                print("   missed  ", key, gold[key])
            for key in sorted(set(got) - hit, key=str):
                print("   spurious", key, got[key][0], got[key][1][:70])
            for key in sorted(hit, key=str):
                if got[key][0] != gold[key]:
                    print("   kind    ", key, "read", got[key][0], "gold", gold[key])
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    print(f"total: TP {tp} FP {fp} FN {fn}  P {p:.3f} R {r:.3f}  kind right {kind_ok}/{tp}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
