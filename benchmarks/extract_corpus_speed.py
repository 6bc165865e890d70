"""Speed of `lantu extract` over the whole corpus (every work report, national bulletin and plan
outline of shared/corpus) on two worker processes, with one regex pass for "N%" as the peer.

    .venv/bin/python benchmarks/extract_corpus_speed.py [--workers 2]

Prints the number of files, characters and rows, and the wall-clock seconds of (a) reading every
file, (b) the peer scan, (c) reading and extracting every file with a pool of N processes (the
whole run, start-up of the pool included). The aim (issue 10) is under 30 s on 2 cores.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from _common import CORPUS


def _jobs() -> list[tuple[str, str, int]]:
    """(path, region code, year) of every text: reports by folder, bulletins of the country."""
    out = []
    for path in sorted((CORPUS / "work-reports").glob("*/*.md")):
        out.append((str(path), path.parent.name.split("-")[0], int(path.stem)))
    for path in sorted((CORPUS / "national-bulletins").glob("*.md")):
        out.append((str(path), "000000", int(path.stem)))
    for path in sorted((CORPUS / "plans").glob("*.md")):
        out.append((str(path), "000000", int(path.name[:4])))
    return out


def _one(job: tuple[str, str, int]) -> tuple[int, int]:
    from lantu.ingest.extract import extract_text
    from lantu.ingest.textio import read_text

    path, code, year = job
    text = read_text(path).text
    return len(text), len(extract_text(text, code, year))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    jobs = _jobs()
    from lantu.ingest.textio import read_text

    t0 = time.perf_counter()
    texts = [read_text(p).text for p, _, _ in jobs]
    t_read = time.perf_counter() - t0
    pct = re.compile(r"\d+(?:\.\d+)?%")
    t0 = time.perf_counter()
    hits = sum(len(pct.findall(t)) for t in texts)
    t_scan = time.perf_counter() - t0
    t0 = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(_one, jobs, chunksize=4))
    t_all = time.perf_counter() - t0
    chars = sum(n for n, _ in results)
    rows = sum(r for _, r in results)
    print(f"corpus: {len(jobs)} files, {chars:,} characters; {rows} rows extracted; {hits} 'N%' tokens")
    print(f"{'step':<46}{'seconds':>9}")
    print(f"{'read every file (1 process)':<46}{t_read:>9.2f}")
    print(f"{'peer: one regex pass for N% (1 process)':<46}{t_scan:>9.2f}")
    print(f"{f'read + extract every file ({args.workers} processes)':<46}{t_all:>9.2f}")
    ok = t_all < 30
    print(f"aim: whole corpus under 30 s -> {'OK' if ok else 'OVER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
