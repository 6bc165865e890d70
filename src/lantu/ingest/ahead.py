"""Reading ahead: while ``lantu import FILE…`` writes one table, a second process reads and
checks what comes next, so a series of tables takes about the time of its writing.

* Each next file is read there whole while the one before is written here.
* The first file, when it is a large plain table, is read in two parts: its first
  :data:`FIRST_SHARE` of rows here, the rest there; the first part is written while the rest is
  read, and both go into the database in one transaction (all or nothing, as ever). The parts
  make up the table exactly as one reading would, or the table is read again whole, here
  (:class:`WholeAgain`): a part that is refused (the refusal must list every problem of the
  file), a key found in both parts (a key given twice is judged with all its rows), a file
  that changed between the two readings.

The second process is forked on Linux when this process runs a single thread (it starts with
what this one has loaded, in a few milliseconds); elsewhere it is spawned afresh, which takes
longer than reading part of a file, so a file is not split then, and a calling script must
guard its own work with ``if __name__ == "__main__":``. A forked process only reads files and
checks them: it never touches the database connections it inherits. When it cannot run (no
memory, a broken pool), everything is read here.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np
import pandas as pd

from lantu.ingest.bulk import SUFFIXES, FrameTable
from lantu.ingest.tables import Catalogue, ImportRefused

#: a plain table of at least this many bytes is read in two parts (about 16,000 rows)
SPLIT_BYTES = 2 << 20
#: the share of a split table's rows read (and written) here first; the rest is read there
#: meanwhile. Reading a row takes about 0.6 of the time writing it does, so the rest is ready
#: about when the first part is written.
FIRST_SHARE = 0.3

#: ``read(path, catalogue, display_name, part)``: a plain table read and checked (or rows
#: ``part`` of it, a pair of shares), None for a table of another kind
Reader = Callable[[str | Path, Catalogue, str | None, tuple[float, float] | None],
                  FrameTable | None]

_KEY = ["region_code", "period", "indicator_code"]


class WholeAgain(Exception):
    """The parts of a table do not make it up as one reading would: read it whole, here."""


class Parts:
    """A plain table read in two parts (the first here, the rest in the second process),
    written part by part in one transaction: :meth:`tables` gives the parts in order, and
    :meth:`whole` the table read at once (or its refusal)."""

    def __init__(self, first: FrameTable, rest: Future[FrameTable | None],
                 whole: Callable[[], FrameTable | None]):
        self.first, self._rest, self._whole = first, rest, whole
        self._got: FrameTable | None = None
        self._mark: Callable[[FrameTable], FrameTable] = lambda table: table
        self.file, self.layout, self.encoding, self.sha256 = (
            first.file, first.layout, first.encoding, first.sha256)

    @property
    def gaps(self) -> int:
        return self.first.gaps + (self._got.gaps if self._got is not None else 0)

    def marked(self, mark: Callable[[FrameTable], FrameTable]) -> Parts:
        """The same parts, each (and the whole) given to ``mark`` as it is handed out (the
        review mark ``lantu import --reviewed`` sets on every row)."""
        self._mark = mark
        return self

    def tables(self) -> Iterator[FrameTable]:
        yield self._mark(self.first)
        yield self._mark(self.rest())

    def whole(self) -> FrameTable | None:
        table = self._whole()
        return None if table is None else self._mark(table)

    def rest(self) -> FrameTable:
        """The second part, once it is read; :class:`WholeAgain` when it does not fit."""
        if self._got is None:
            try:
                got = self._rest.result()
            except Exception as exc:  # a refusal (of some rows only), a broken pool
                raise WholeAgain(self.file) from exc
            if got is None or got.sha256 != self.sha256 or _shared_keys(self.first.frame,
                                                                        got.frame):
                raise WholeAgain(self.file)
            self._got = got
        return self._got


def _shared_keys(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether a (region, period, indicator) key is in both frames (each has a key once)."""
    if a.empty or b.empty:
        return False
    codes = [pd.factorize(np.concatenate([a[c].to_numpy(object), b[c].to_numpy(object)]))[0]
             .astype(np.int64) for c in _KEY]
    key = (codes[0] * (codes[1].max() + 1) + codes[1]) * (codes[2].max() + 1) + codes[2]
    return bool(np.isin(key[len(a):], key[:len(a)]).any())


def _pool(files: int) -> tuple[ProcessPoolExecutor | None, bool]:
    """The second process (none on one core): forked where that is safe, else spawned when
    there is a next file to read. Returns it and whether it is forked."""
    if (os.cpu_count() or 1) < 2:
        return None, False
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")), True
    if files > 1:
        return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")), False
    return None, False


class ReadAhead:
    """The tables of one series of files, read ahead in a second process; :meth:`table` gives
    file ``i`` read (a :class:`FrameTable`, a split table's :class:`Parts`, or None for a
    table of another kind, which the row reader reads here). Used as a context manager: the
    second process is stopped on leaving."""

    def __init__(self, paths: Sequence[str | Path], cat: Catalogue, read: Reader):
        self.paths, self.cat, self.read = list(paths), cat, read
        self.pool, forked = _pool(len(self.paths))
        self.ahead: dict[int, Future[FrameTable | None]] = {}
        self.rest: Future[FrameTable | None] | None = None
        # the first file's rest, then the next file: the order the second process takes them
        if forked and self.paths and _splittable(self.paths[0]):
            self.rest = self._submit(self.paths[0], (FIRST_SHARE, 1.0))
        self._ahead(1)

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *_exc) -> None:
        if self.pool is not None:  # reads not begun are cancelled, one under way may finish
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _submit(self, path: str | Path, part: tuple[float, float] | None
                ) -> Future[FrameTable | None] | None:
        if self.pool is None:
            return None
        try:
            return self.pool.submit(self.read, path, self.cat, None, part)
        except BrokenProcessPool:  # it could not run: read here from now on
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
            return None

    def _ahead(self, i: int) -> None:
        if i < len(self.paths) and i not in self.ahead:
            future = self._submit(self.paths[i], None)
            if future is not None:
                self.ahead[i] = future

    def table(self, i: int) -> FrameTable | Parts | None:
        path = self.paths[i]
        self._ahead(i + 1)
        if i in self.ahead:
            try:
                return self.ahead.pop(i).result()
            except BrokenProcessPool:
                return self.read(path, self.cat, None, None)
        rest, self.rest = (self.rest, None) if i == 0 else (None, None)
        if rest is None:
            return self.read(path, self.cat, None, None)
        try:
            first = self.read(path, self.cat, None, (0.0, FIRST_SHARE))
        except ImportRefused:  # the refusal names every problem of the file: read it whole
            return self.read(path, self.cat, None, None)
        if first is None:
            return None
        return Parts(first, rest, lambda: self.read(path, self.cat, None, None))


def _splittable(path: str | Path) -> bool:
    """A file that may be a plain table large enough to read in two parts."""
    p = Path(path)
    try:
        return p.suffix.lower() in SUFFIXES and p.is_file() and p.stat().st_size >= SPLIT_BYTES
    except OSError:
        return False
