"""A small cache of computed views, keyed by a version of the data (used by the evaluation and
the web pages alike, so it lives below both)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class ViewCache:
    """Views computed once per state of the data: a small LRU keyed by (version, language,
    parameters…), guarded by a lock. A key must contain a version string from
    :func:`lantu.store.queries.data_version` or :func:`~lantu.store.queries.state_version`,
    so a change of the data makes a new entry (the old one ages out).

    Examples
    --------
    >>> c = ViewCache(size=2)
    >>> c.get_or_build(("v1", "zh"), lambda: {"n": 1})
    {'n': 1}
    >>> c.get_or_build(("v1", "zh"), lambda: {"n": 2}), c.misses
    ({'n': 1}, 1)
    """

    def __init__(self, size: int = 32) -> None:
        self._d: OrderedDict[Hashable, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}
        self.size = size
        self.misses = 0

    def _hit(self, key: Hashable) -> dict[str, Any] | None:
        with self._lock:
            if key in self._d:
                self._d.move_to_end(key)
                return self._d[key]
            return None

    def get_or_build(self, key: Hashable, fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The value of ``key``, built by ``fn`` on a miss. Concurrent misses of one key wait for
        a single build (a change of the data does not make every waiting request rebuild)."""
        if (hit := self._hit(key)) is not None:
            return hit
        with self._lock:
            gate = self._building.setdefault(key, threading.Lock())
        with gate:
            if (hit := self._hit(key)) is not None:
                return hit
            try:
                value = fn()
            finally:
                with self._lock:
                    self._building.pop(key, None)
            with self._lock:
                self.misses += 1
                self._d[key] = value
                while len(self._d) > self.size:
                    self._d.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._d.clear()
            self.misses = 0
