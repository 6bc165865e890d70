"""Import of 100,000 and 1,000,000 observation rows: Lantu against pandas ``read_csv`` +
``DataFrame.to_sql``, on SQLite and PostgreSQL, in one run.

The rows are generated: real region and indicator codes of the embedded default, distinct
(region, year, indicator) keys over the years 1949–2025 (the years Lantu handles), values
within each indicator's admissible range, a source URL and an excerpt on every row; long CSV files of at most 250,000
rows each (a table may have 500,000 rows and 64 MiB: bigger data comes as several files).
Lantu's import checks every cell with every rule of the gate (region, indicator, period and its
range, number, unit and its scaling, admissible range, link, flags, source quality, duplicates)
and compares with what is stored (the precedence of sources), writes the batch and keeps
revisions, all or nothing per file, as ``lantu import FILE…`` does (the next file read while the
one before is written); it runs twice — the first import inserts everything, the second finds
everything unchanged and writes nothing. The peer reads the same files with pandas and appends
them to a table with ``to_sql`` (no validation, no comparison, no history, no index), in the
same database right after. Each timed step starts after a full pass of the cycle collector
(without it a pass owed by one step fell into the next: up to 0.09 s moved between the import
and the peer at 100,000 rows, whichever ran second paying it). Each measurement runs ``--repeat`` times (3), each on a fresh
database; the median is shown with the range, and the first import's ratio to the peer of the
same run.

Run: ``.venv/bin/python benchmarks/import_speed.py [--rows 100000 1000000] [--pg URL] [--repeat 3]``;
PostgreSQL is measured when ``--pg`` or ``LANTU_TEST_POSTGRES_URL`` gives a server URL (a
scratch database is created and dropped).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import sqlalchemy
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from lantu import defaults, services
from lantu.domain import periods
from lantu.store import open_database
from lantu.store.models import ObservationRow

#: rows per generated file (the import's limits: 500,000 rows and 64 MiB a table)
ROWS_PER_FILE = 250_000


def make_csv(folder: Path, rows: int, seed: int = 2021) -> list[Path]:
    rng = random.Random(seed)
    regions = [r.code for r in defaults.load_regions()[0]]
    indicators = [i for i in defaults.load_indicators() if not i.is_derived]
    # years 1949–2025 (the one year rule: lantu.domain.periods.year_problem), then their months
    # once the years run out (a million keys need them: 34 regions × 85 indicators × 1,001
    # periods hold 2.9 million)
    first = periods.FIRST_YEAR
    years = [str(y) for y in range(first, 2026)]
    if rows > len(regions) * len(indicators) * len(years):
        years += [f"{y}-{m:02d}" for y in range(first, 2026) for m in range(1, 13)]
    universe = len(regions) * len(indicators) * len(years)
    if rows > universe:
        raise SystemExit(f"at most {universe:,} distinct keys")
    picks = rng.sample(range(universe), rows)
    out = []
    for k in picks:
        r, rest = divmod(k, len(indicators) * len(years))
        i, y = divmod(rest, len(years))
        ind = indicators[i]
        low, high = ind.bounds  # within the catalogue's admissible range
        low = -50.0 if low is None else low
        value = round(rng.uniform(low, min(1e5, high) if high is not None else 1e5), 2)
        out.append((regions[r], years[y], ind.code, value, ind.unit, "",
                    f"https://tjj.example.gov.cn/{regions[r]}/{years[y]}.html",
                    f"{ind.name_zh}{value}{ind.unit}"))
    frame = pd.DataFrame(out, columns=["region_code", "period", "indicator", "value", "unit",
                                       "flags", "source_url", "excerpt"])
    paths = []
    for n, start in enumerate(range(0, rows, ROWS_PER_FILE)):
        path = folder / f"observations_{rows}_{n + 1}.csv"
        frame.iloc[start:start + ROWS_PER_FILE].to_csv(path, index=False)
        paths.append(path)
    return paths


def timed(fn: Callable[[], object]) -> float:
    """Seconds ``fn`` takes, from a clean start: the cycle collector's debt of the step before
    (objects it made and left for a later pass) is paid before, not in the next step's time,
    whichever of the two comes first."""
    gc.collect()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


@contextmanager
def scratch_postgres(server_url: str) -> Iterator[str]:
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"lantu_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def measure(url: str, files: list[Path], rows: int) -> list[tuple[str, float]]:
    db = open_database(url)
    services.init_reference(db)  # regions and indicators: set-up, not timed

    def lantu() -> None:  # what `lantu import FILE…` does
        for _ in services.import_files(db, files, read_ahead=True):
            pass

    first = timed(lantu)
    again = timed(lantu)
    with db.session() as s:
        stored = s.scalar(select(func.count()).select_from(ObservationRow))
    assert stored == rows, (stored, rows)

    def peer() -> None:
        for f in files:
            df = pd.read_csv(f, dtype={"region_code": str, "period": str})
            df.to_sql("peer_observation", db.engine, if_exists="append", index=False)

    peer_s = timed(peer)
    db.dispose()
    return [("pandas read_csv + to_sql", peer_s), ("lantu import, first time", first),
            ("lantu import, again (no change)", again)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--pg", default=os.environ.get("LANTU_TEST_POSTGRES_URL"),
                    help="PostgreSQL server URL (a scratch database is created)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each measurement (fresh database each); the median is shown "
                         "with the range, and the first import's ratio to the peer in each run")
    args = ap.parse_args()
    print(f"Python {platform.python_version()}, pandas {pd.__version__}, SQLAlchemy "
          f"{sqlalchemy.__version__}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}, {args.repeat} run(s) each")
    print(f"{'rows':>9} {'backend':<11} {'step':<33} {'seconds':>8} {'rows/s':>10}  range rows/s")
    for rows in args.rows:
        with tempfile.TemporaryDirectory() as tmp:
            files = make_csv(Path(tmp), rows)
            size = sum(f.stat().st_size for f in files) / 2**20
            print(f"{'':>9} {rows:,} rows: {len(files)} CSV file(s), {size:.0f} MiB", flush=True)
            runs = []
            for k in range(args.repeat):
                runs.append(measure(f"sqlite:///{Path(tmp) / f'bench{k}.db'}", files, rows))
                (Path(tmp) / f"bench{k}.db").unlink()
            show(rows, "SQLite", runs)
            if args.pg:
                runs = []
                for _ in range(args.repeat):
                    with scratch_postgres(args.pg) as url:
                        runs.append(measure(url, files, rows))
                show(rows, "PostgreSQL", runs)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


def show(rows: int, backend: str, runs: list[list[tuple[str, float]]]) -> None:
    for i, (step, _) in enumerate(runs[0]):
        secs = sorted(run[i][1] for run in runs)
        mid = statistics.median(secs)
        print(f"{rows:>9,} {backend:<11} {step:<33} {mid:>8.2f} {rows / mid:>10,.0f}  "
              f"{rows / secs[-1]:,.0f}–{rows / secs[0]:,.0f}", flush=True)
    ratios = [run[0][1] / run[1][1] for run in runs]  # peer seconds ÷ first import's
    print(f"{rows:>9,} {backend:<11} first import ÷ peer, each run: "
          + ", ".join(f"{r:.2f}×" for r in ratios), flush=True)


if __name__ == "__main__":
    main()
