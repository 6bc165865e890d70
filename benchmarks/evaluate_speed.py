"""How long the verdict takes on the embedded default.

Prints one table, each row beside its peer in the same run:

- ``lantu evaluate --region 140100 --year 2023 -f json`` from a fresh process (imports, database,
  the verdict with its peer index and primacy, JSON written), beside ``lantu --help`` from a fresh
  process (the cost of starting Python and importing the command line, which every command pays);
- every region × year of the default in one process (each city with figures, every year from
  2019 to 2025): first builds (cold: nothing cached) and the same again (from the state-version
  cache the pages use), beside reading the whole observation table once (the database work any
  evaluation must at least do).

Usage::

    .venv/bin/python benchmarks/evaluate_speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from _common import default_database, timed

from lantu.store import queries, repo

YEARS = range(2019, 2026)


def fresh(cmd: list[str], env: dict[str, str], repeat: int) -> tuple[float, float]:
    """Best and median wall time of running ``cmd`` in a fresh process."""
    best, med, _cpu, _ = timed(lambda: subprocess.run(cmd, env=env, check=True,
                                                      stdout=subprocess.DEVNULL), repeat)
    return best, med


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with default_database() as (db, url, tmp):
        env = {**os.environ, "LANTU_DATABASE_URL": url, "LANTU_HOME": str(tmp)}
        lantu = [sys.executable, "-c", "from lantu.cli import main; main()"]
        rows = []
        best, med = fresh([*lantu, "evaluate", "--region", "140100", "--year", "2023",
                           "-f", "json", "-o", str(tmp / "v.json")], env, args.repeat)
        rows.append(("lantu evaluate, one region-year, fresh process", best, med, ""))
        best, med = fresh([*lantu, "--help"], env, args.repeat)
        rows.append(("peer: lantu --help, fresh process", best, med, ""))

        from lantu.evaluation import evaluate
        from lantu.evaluation import verdict as vmod

        with db.session() as s:
            names = queries.region_names(s)
            with_data = set(repo.observations_frame(s)["region_code"])
            cities = [c for c, r in names.items() if r["level"] == "city" and c in with_data]
            pairs = [(c, y) for c in cities for y in YEARS]
            cold = []
            for _ in range(args.repeat):
                vmod._CACHE.clear()
                t = time.perf_counter()
                for c, y in pairs:
                    evaluate(s, region=c, year=y)
                cold.append(time.perf_counter() - t)
            t = time.perf_counter()
            for c, y in pairs:
                evaluate(s, region=c, year=y)
            warm = time.perf_counter() - t
            read = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                repo.observations_frame(s)
                read.append(time.perf_counter() - t)
        n = len(pairs)
        rows.append((f"all {len(cities)} cities × {len(YEARS)} years ({n} verdicts), one "
                     "process, cold", min(cold), statistics.median(cold),
                     f"{1000 * statistics.median(cold) / n:.0f} ms each"))
        rows.append((f"the same {n}, from the cache", warm, warm,
                     f"{1e6 * warm / n:.0f} µs each"))
        rows.append(("peer: read the whole observation table once", min(read),
                     statistics.median(read), ""))
    print(f"{'what':<66} {'best s':>8} {'median s':>9}  note")
    for what, b, m, note in rows:
        print(f"{what:<66} {b:>8.3f} {m:>9.3f}  {note}")


if __name__ == "__main__":
    main()
