"""Reading ahead: while ``lantu import FILE…`` writes one table, a second process reads and
checks the next, so a series of tables takes about the time of its writing.

The second process is spawned afresh (a calling script must guard its own work with
``if __name__ == "__main__":``); when it cannot run (no memory, a broken pool), everything is
read here. Measured and not taken (``benchmarks/import_speed.py``, SQLite, 2026-12-05): a
forked process (it starts in milliseconds, but the writer then pays a copy of every page it
touches that the two still share: 0.92–0.95 of the peer at a million rows where spawned gave
0.99–1.05), and a large single table read in two parts, the first here and written while the
rest was read there (0.76–0.81 of the peer at 100,000 rows where one reading gave 0.84–0.88:
the writer still split the whole file, and wrote two parts into indexes built twice).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from lantu.ingest.bulk import FrameTable
from lantu.ingest.tables import Catalogue

#: ``read(path, catalogue)``: a plain table read and checked, None for a table of another kind
Reader = Callable[[str | Path, Catalogue], FrameTable | None]


def _pool(files: int) -> ProcessPoolExecutor | None:
    """The second process: none for one file or on one core."""
    if files < 2 or (os.cpu_count() or 1) < 2:
        return None
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))


class ReadAhead:
    """The tables of one series of files, read ahead in a second process: :meth:`table` gives
    file ``i`` read (a :class:`FrameTable`, or None for a table of another kind, which the row
    reader reads here). Used as a context manager: the second process is stopped on leaving."""

    def __init__(self, paths: Sequence[str | Path], cat: Catalogue, read: Reader):
        self.paths, self.cat, self.read = list(paths), cat, read
        self.pool = _pool(len(self.paths))
        self.ahead: dict[int, Future[FrameTable | None]] = {}
        self._ahead(1)  # while the first is read here

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *_exc) -> None:
        if self.pool is not None:  # reads not begun are cancelled, one under way may finish
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _ahead(self, i: int) -> None:
        if self.pool is None or i >= len(self.paths) or i in self.ahead:
            return
        try:
            self.ahead[i] = self.pool.submit(self.read, self.paths[i], self.cat)
        except BrokenProcessPool:  # it could not run: read here from now on
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    def table(self, i: int) -> FrameTable | None:
        self._ahead(i + 1)
        if i in self.ahead:
            try:
                return self.ahead.pop(i).result()
            except BrokenProcessPool:
                pass
            finally:
                if not self.ahead and i + 1 >= len(self.paths) and self.pool is not None:
                    # nothing left to read there: the process ends while the last is written
                    self.pool.shutdown(wait=False)
        return self.read(self.paths[i], self.cat)
