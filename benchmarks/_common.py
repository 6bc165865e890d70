"""What the benchmark scripts share (not a benchmark itself: ``run_all.py`` skips ``_*.py``).

- :data:`SHARED` / :data:`CORPUS`: the shared material (``$LANTU_SHARED``, else a ``shared``
  folder beside the checkout or above it);
- :func:`prf_table`: the precision/recall table of a gold evaluation (``extract_prf``,
  ``milestones_prf``);
- :func:`timed`: best and median wall time and median CPU time of repeated calls
  (``report_speed``, ``evaluate_speed``);
- :func:`default_database`: a fresh SQLite database holding the embedded default.

Scripts run as ``python benchmarks/<name>.py``, so this folder is on ``sys.path`` and they import
``from _common import …``.
"""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any, TypeVar

from lantu.ingest.goldeval import shared_folder

ROOT = Path(__file__).resolve().parents[1]
SHARED = shared_folder(ROOT, os.environ.get("LANTU_SHARED"))
CORPUS = SHARED / "corpus"

#: The blind rounds of session 4 as both gold benchmarks title them (``--by-round``); each
#: benchmark gives its own files for them.
ROUND_TITLES = ("round S4 (annotated blind, session 4)", "round S4B (annotated blind, session 4)",
                "round S4C (blind, tuned on since extract6)", "round S4D (blind, held out)",
                "round 3 of session 10 (annotated before the run, tuned on since extract10)",
                "round 4 of session 11 (annotated before the run, tuned on since extract11)",
                "round 5 of session 12 (annotated before the run, tuned on since extract12)",
                "round 6 of session 13 (annotated before the run, tuned on since extract13)",
                "round 7 of session 14 (annotated before the run, tuned on since extract14)",
                "round 8 of session 15 (annotated before the run, extract15)")

T = TypeVar("T")


def prf_table(title: str, scores: Sequence[Any], verbose: bool,
              extra: tuple[str, Callable[[Any], str]] | None = None) -> tuple[float, float]:
    """Print one row per score (the last is the total) and return the total's precision and
    recall; ``extra`` adds a column (its heading and how a score shows in it); ``verbose`` lists
    what each file missed and found in excess."""
    head, cell = extra or ("", lambda s: "")
    print(f"\n{title}")
    print(f"{'file':<14}{'gold':>6}{'found':>7}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}"
          f"{'recall':>8}{head:>7}".rstrip())
    for s in scores:
        print(f"{s.name:<14}{s.true_pos + s.false_neg:>6}{s.true_pos + s.false_pos:>7}"
              f"{s.true_pos:>5}{s.false_pos:>5}{s.false_neg:>5}{s.precision:>11.3f}"
              f"{s.recall:>8.3f}{cell(s):>7}".rstrip())
        if verbose:
            for k in s.missed:
                print("    missed  ", k)
            for k in s.spurious:
                print("    spurious", k)
    return scores[-1].precision, scores[-1].recall


def _cpu() -> float:
    """CPU seconds of this process and its finished children (user + system)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn: Callable[[], T], repeat: int) -> tuple[float, float, float, T]:
    """Best and median wall time, the median CPU time (less sensitive to a busy machine) and the
    last result of ``repeat`` calls of ``fn``."""
    times, cpus = [], []
    out: T
    for _ in range(repeat):
        c, t = _cpu(), time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
        cpus.append(_cpu() - c)
    return min(times), statistics.median(times), statistics.median(cpus), out


@contextmanager
def default_database() -> Iterator[tuple[Any, str, Path]]:
    """A fresh SQLite database with the embedded default loaded: ``(database, url, folder)``;
    the folder (and the database) are removed on exit."""
    from lantu import services
    from lantu.store import Database

    with TemporaryDirectory(prefix="lantu-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'lantu.db'}"
        db = Database(url)
        db.migrate()
        services.init_default(db)
        try:
            yield db, url, Path(tmp)
        finally:
            db.dispose()
