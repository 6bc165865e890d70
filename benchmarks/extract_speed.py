"""Speed of `lantu extract` on a 50 KB work report, with reading and a plain regex scan as peers.

    .venv/bin/python benchmarks/extract_speed.py

Prints a table: median seconds over repeated runs for (a) reading the file, (b) a single regex
pass that only finds "number%" tokens (the floor any extractor pays), (c) the full extraction.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

from _common import SHARED

from lantu.ingest.extract import extract_text
from lantu.ingest.textio import read_text


def _pick_report(target_bytes: int = 50_000) -> Path:
    files = sorted((SHARED / "corpus" / "work-reports").glob("*/*.md"))
    return min(files, key=lambda p: abs(p.stat().st_size - target_bytes))


def _time(fn, repeat: int = 15) -> float:
    fn()  # warm-up (regex compilation, imports)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    path = _pick_report()
    code = path.parent.name.split("-")[0]
    year = int(path.stem)
    doc = read_text(path)
    size_kb = path.stat().st_size / 1000
    pct = re.compile(r"\d+(?:\.\d+)?%")
    t_read = _time(lambda: read_text(path))
    t_scan = _time(lambda: pct.findall(doc.text))
    t_extract = _time(lambda: extract_text(doc.text, code, year))
    n = len(extract_text(doc.text, code, year))
    print(f"file: {path} ({size_kb:.1f} KB, {len(doc.text)} characters, {n} rows)")
    print(f"{'step':<34}{'median s':>10}")
    print(f"{'read_text':<34}{t_read:>10.4f}")
    print(f"{'peer: one regex pass for N%':<34}{t_scan:>10.4f}")
    print(f"{'extract_text (lantu extract)':<34}{t_extract:>10.4f}")
    ok = t_read + t_extract < 1.0
    print(f"required: read + extract of a 50 KB report under 1 s -> {'OK' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
