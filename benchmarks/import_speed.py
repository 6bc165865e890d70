"""Import of a 100,000-row long CSV: Lantu against pandas ``read_csv`` + ``DataFrame.to_sql``,
on SQLite and PostgreSQL, in one run.

The file is generated: real region and indicator codes of the embedded default, distinct
(region, year, indicator) keys over the years 1900–2025, values in each indicator's unit (shares
within 0–100), a source URL and an excerpt on every row. Lantu's import validates every cell
(region, indicator, period, number, unit, share bounds, duplicates, future periods), compares
with what is stored, writes the batch and keeps revisions; it runs twice — the first import
inserts everything, the second finds everything unchanged and writes nothing. The peer reads
the same file with pandas and appends it to a table with ``to_sql`` (no validation, no
comparison, no history). Each figure is one run on a fresh database.

Run: ``.venv/bin/python benchmarks/import_speed.py [--rows 100000] [--pg URL]``; PostgreSQL is
measured when ``--pg`` or ``LANTU_TEST_POSTGRES_URL`` gives a server URL (a scratch database is
created and dropped).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import sqlalchemy
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from lantu import defaults, services
from lantu.store import open_database


def make_csv(path: Path, rows: int, seed: int = 2021) -> None:
    rng = random.Random(seed)
    regions = [r.code for r in defaults.load_regions()[0]]
    indicators = [i for i in defaults.load_indicators() if not i.is_derived]
    years = range(1900, 2026)
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
    pd.DataFrame(out, columns=["region_code", "period", "indicator", "value", "unit", "flags",
                               "source_url", "excerpt"]).to_csv(path, index=False)


def timed(fn: Callable[[], object]) -> float:
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


def measure(url: str, csv_path: Path, rows: int) -> list[tuple[str, float]]:
    db = open_database(url)
    services.init_reference(db)  # regions and indicators: set-up, not timed
    first = timed(lambda: services.import_file(db, csv_path, today=None))
    again = timed(lambda: services.import_file(db, csv_path, today=None))
    with db.session() as s:
        stored = s.scalar(text("SELECT count(*) FROM observation"))
    assert stored == rows, (stored, rows)

    def peer() -> None:
        df = pd.read_csv(csv_path, dtype={"region_code": str, "period": str})
        df.to_sql("peer_observation", db.engine, if_exists="append", index=False)

    peer_s = timed(peer)
    db.dispose()
    return [("lantu import, first time", first), ("lantu import, again (no change)", again),
            ("pandas read_csv + to_sql", peer_s)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--pg", default=os.environ.get("LANTU_TEST_POSTGRES_URL"),
                    help="PostgreSQL server URL (a scratch database is created)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "observations.csv"
        make_csv(csv_path, args.rows)
        print(f"{args.rows:,} rows, {csv_path.stat().st_size / 2**20:.1f} MiB CSV; Python "
              f"{platform.python_version()}, pandas {pd.__version__}, SQLAlchemy "
              f"{sqlalchemy.__version__}")
        results = [("SQLite", *r) for r in measure(f"sqlite:///{Path(tmp) / 'bench.db'}",
                                                   csv_path, args.rows)]
        if args.pg:
            with scratch_postgres(args.pg) as url:
                results += [("PostgreSQL", *r) for r in measure(url, csv_path, args.rows)]
    print(f"{'backend':<11} {'step':<33} {'seconds':>8} {'rows/s':>10}")
    for backend, step, secs in results:
        print(f"{backend:<11} {step:<33} {secs:>8.2f} {args.rows / secs:>10,.0f}")


if __name__ == "__main__":
    main()
