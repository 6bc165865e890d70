"""Rebuilding the embedded default: reading the whole official corpus (117 work reports, 7
national bulletins) with ``scripts/extract_corpus.py``, and loading the default into a fresh
SQLite database with ``lantu init --demo`` (``services.init_default``), in one run beside peers.

* extraction — Lantu's build (read, extract figures/targets/milestones, write the three CSVs)
  beside the peer "read every text only" (``lantu.ingest.textio.read_text`` over the same files:
  the floor any extractor pays);
* loading — ``services.init_default`` (plan, reference data, every file validated, overrides,
  the precedence rule, revisions, milestones, series breaks) beside the peer pandas
  ``read_csv`` + ``DataFrame.to_sql`` of the same observation and target files (no validation,
  no precedence, no history).

Run: ``.venv/bin/python benchmarks/default_build.py [--shared ../shared] [--repeat 3]``; prints
the median and the spread of each figure.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
from _common import SHARED
from sqlalchemy import create_engine

from lantu import defaults, services
from lantu.ingest.textio import read_text
from lantu.store import open_database

ROOT = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("extract_corpus", ROOT / "scripts" /
                                                  "extract_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def read_only(shared: Path) -> None:
    corpus = shared / "corpus"
    with open(corpus / "work-reports" / "index.csv", encoding="utf-8") as fh:
        for e in csv.DictReader(fh):
            read_text(corpus / e["file"])
    for p in (corpus / "national-bulletins").glob("*.md"):
        read_text(p)


def load_lantu(tmp: Path) -> None:
    path = tmp / f"lantu-{time.monotonic_ns()}.db"
    db = open_database(f"sqlite:///{path}")
    services.init_default(db)
    db.dispose()


def load_pandas(tmp: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp / f'pandas-{time.monotonic_ns()}.db'}")
    for name in ("extracted/observations.csv", "extracted/targets.csv",
                 *(f"raw/{f}" for f in defaults.RAW_OBSERVATION_FILES), "raw/targets.csv"):
        pd.read_csv(defaults.DATA / name).to_sql(name.replace("/", "_")[:-4], engine,
                                                 if_exists="append", index=False)
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(SHARED),
                    help="the shared folder (default: $LANTU_SHARED, else found beside the checkout)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    shared = Path(args.shared)
    build = _script().build
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        runs = {
            "extract: Lantu build (117 reports + 7 bulletins)":
                lambda: build(shared, progress=False, out=tmp / "out"),
            "extract: peer, read the texts only": lambda: read_only(shared),
            "load: Lantu init_default (SQLite)": lambda: load_lantu(tmp),
            "load: peer, pandas read_csv + to_sql": lambda: load_pandas(tmp),
        }
        for label, fn in runs.items():
            times = [_timed(fn) for _ in range(args.repeat)]
            print(f"{label:52s} median {statistics.median(times):6.2f} s "
                  f"(min {min(times):.2f}, max {max(times):.2f}, n={len(times)})")


if __name__ == "__main__":
    main()
