"""Time milestone extraction over the whole corpus of work reports (one process).

    .venv/bin/python benchmarks/milestones_speed.py

Prints the number of reports and milestones, the seconds taken and the milestones by kind.
"""

from __future__ import annotations

import time
from collections import Counter

from _common import SHARED

from lantu.ingest.milestones import extract_milestones


def main() -> None:
    files = sorted((SHARED / "corpus" / "work-reports").glob("*/*.md"))
    texts = [(f.parent.name.split("-")[0], int(f.stem), f.read_text(encoding="utf-8")) for f in files]
    t0 = time.perf_counter()
    found = [m for code, year, text in texts for m in extract_milestones(text, region_code=code, year=year)]
    seconds = time.perf_counter() - t0
    kinds = Counter(m.kind for m in found)
    undated = sum(m.period is not None for m in found)
    print(f"{len(files)} reports, {len(found)} milestones ({undated} dated by a period's end) in {seconds:.1f} s")
    print("by kind:", ", ".join(f"{k} {n}" for k, n in kinds.most_common()))


if __name__ == "__main__":
    main()
