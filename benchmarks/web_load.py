"""Load benchmark of the web app: concurrent clients (20 by default) on every public page
(overview, a goal and a task page, targets, indicator explorer, comparison), on an observations
API query and on ``/healthz`` (the framework's floor), side by side in one run, on SQLite and
(when a server URL is given) PostgreSQL.

Loopback only and bounded: the app runs under uvicorn on a free 127.0.0.1 port in a child
process this script starts and stops; each scenario sends a fixed number of requests and stops
early at a time cap. Each backend gets a fresh database with the embedded default.

    python benchmarks/web_load.py                        # SQLite only
    python benchmarks/web_load.py --pg postgresql+psycopg://user@127.0.0.1:5432/postgres
    LANTU_TEST_POSTGRES_URL=... python benchmarks/web_load.py

``--pg`` is an admin URL: a fresh database ``lantu_bench_<random>`` is created on that server
and dropped at the end. Goal (issues 5 and 9): every page's p95 within 3x the floor's p95.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


@dataclass
class Result:
    backend: str
    name: str
    n: int
    errors: int
    seconds: float
    p50: float
    p95: float

    @property
    def rps(self) -> float:
        return self.n / self.seconds if self.seconds else 0.0


#: The public pages (what an anonymous visitor opens), each a scenario.
PAGES = (("overview /", "/"), ("goal /plan/P0", "/plan/P0"), ("task /plan/T1", "/plan/T1"),
         ("targets", "/targets"), ("explorer", "/indicators"), ("comparison", "/comparison"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str, home: Path) -> str:
    """Load the default into a fresh database and return an API token of an analyst."""
    os.environ.setdefault("LANTU_PASSWORD_PROFILE", "test")
    from lantu import services
    from lantu.store import Database, users

    db = Database(url)
    db.migrate()
    services.init_default(db, actor="bench")
    with db.session() as s:
        users.add_user(s, "bench", "load-test-passphrase-2026", "analyst", actor="bench")
        token = users.create_api_token(s, "bench", "load benchmark")
    db.dispose()
    return token


def start_server(url: str, home: Path, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "LANTU_DATABASE_URL": url, "LANTU_HOME": str(home),
           "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "lantu.web.app:app_from_env",
           "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
           "--workers", str(workers), "--timeout-keep-alive", "60"]
    log = open(home / "server.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    proc.log_path = home / "server.log"
    deadline = time.monotonic() + 180  # a loaded machine starts the app slowly
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.log_path.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not answer /healthz within 180 s")


async def run(base: str, path: str, headers: dict[str, str], n: int, clients: int,
              cap: float) -> tuple[list[float], int, float]:
    """``n`` GET requests by ``clients`` concurrent clients (stops at ``cap`` seconds)."""
    lat: list[float] = []
    errors = 0
    kinds: Counter[str] = Counter()
    sent = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits,
                                 timeout=60) as client:
        for _ in range(min(n, 2 * clients)):  # warm-up: caches, connections
            await client.get(path)
        start = time.perf_counter()

        async def worker() -> None:
            nonlocal sent, errors
            while sent < n and time.perf_counter() - start < cap:
                sent += 1
                t0 = time.perf_counter()
                try:
                    r = await client.get(path)
                    ok = r.status_code == 200
                    if not ok:
                        kinds[f"HTTP {r.status_code}: {r.text[:120]}"] += 1
                except httpx.HTTPError as exc:
                    ok = False
                    kinds[type(exc).__name__] += 1
                lat.append(time.perf_counter() - t0)
                errors += not ok

        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - start
    for kind, count in kinds.most_common(3):
        print(f"  {path}: {count} x {kind}", file=sys.stderr)
    return lat, errors, elapsed


def quantile(xs: list[float], q: float) -> float:
    return statistics.quantiles(xs, n=100, method="inclusive")[int(q * 100) - 1] if len(xs) > 1 \
        else (xs[0] if xs else float("nan"))


def bench_backend(label: str, url: str, args) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="lantu-bench-") as tmp:
        home = Path(tmp)
        token = prepare(url, home)
        port = free_port()
        proc = start_server(url, home, port, args.workers)
        try:
            base = f"http://127.0.0.1:{port}"
            scenarios = [
                ("floor /healthz", "/healthz", {}),
                *[(name, path, {}) for name, path in PAGES],
                ("API observations", "/api/v1/observations?group=central_shanxi&indicator=gdp"
                                     "&limit=50", {"Authorization": f"Bearer {token}"}),
            ]
            out = []
            for name, path, headers in scenarios:
                lat, errors, secs = asyncio.run(run(base, path, headers, args.requests,
                                                    args.clients, args.time_cap))
                out.append(Result(label, name, len(lat), errors, secs,
                                  1000 * quantile(lat, 0.50), 1000 * quantile(lat, 0.95)))
            log = proc.log_path.read_text(errors="replace").strip()
            if log:
                print(f"  server log ({label}), last lines:\n" + "\n".join(
                    "    " + ln for ln in log.splitlines()[-8:]), file=sys.stderr)
            return out
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def fresh_pg(admin_url: str) -> tuple[str, callable]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"lantu_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=2000, help="requests per scenario")
    p.add_argument("--clients", type=int, default=20, help="concurrent clients")
    p.add_argument("--time-cap", type=float, default=60.0, help="seconds per scenario at most")
    p.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    p.add_argument("--pg", default=os.environ.get("LANTU_TEST_POSTGRES_URL"),
                   help="PostgreSQL admin URL (a fresh database is created and dropped)")
    args = p.parse_args(argv)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="lantu-bench-db-") as tmp:
        results += bench_backend("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", args)
    if args.pg:
        url, drop = fresh_pg(args.pg)
        try:
            results += bench_backend("PostgreSQL", url, args)
        finally:
            drop()
    print(f"\n{args.clients} concurrent clients, {args.requests} requests per scenario "
          f"(cap {args.time_cap:g} s), uvicorn workers: {args.workers}\n")
    head = f"| {'backend':<10} | {'scenario':<18} | {'requests':>8} | {'errors':>6} | " \
           f"{'req/s':>8} | {'p50 ms':>8} | {'p95 ms':>8} | {'p95 / floor':>11} |"
    print(head)
    print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    ok = True
    for backend in dict.fromkeys(r.backend for r in results):
        rows = [r for r in results if r.backend == backend]
        floor = rows[0].p95
        for r in rows:
            ratio = r.p95 / floor if floor else float("nan")
            print(f"| {r.backend:<10} | {r.name:<18} | {r.n:>8} | {r.errors:>6} | {r.rps:>8.0f} | "
                  f"{r.p50:>8.1f} | {r.p95:>8.1f} | {ratio:>10.2f}x |")
            if r.name in {n for n, _ in PAGES}:
                ok &= ratio <= 3.0
    print(f"\nGoal (every page's p95 <= 3x floor p95): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
