"""Small helpers shared by the dashboard views: names and units in the page's language, numbers, a view cache."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from lantu import i18n


def name(meta: dict[str, Any] | None, lang: str, fallback: str = "") -> str:
    """The name of a region, indicator or department in ``lang`` (``zh`` or ``en``)."""
    if not meta:
        return fallback
    return str(meta.get(lang) or meta.get("zh") or fallback)


def fmt_number(value: float | None, digits: int | None = None) -> str:
    """A number as the tables show it: thousands separated, no trailing zeros.

    Examples
    --------
    >>> fmt_number(5571.17)
    '5,571.17'
    >>> fmt_number(None)
    '–'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if digits is not None:
        return f"{value:,.{digits}f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text


def parse_list(values: list[str] | str | None) -> list[str]:
    """Query-string lists: ``?region=a&region=b`` or ``?region=a,b``, blanks dropped, order kept."""
    if values is None:
        return []
    items = [values] if isinstance(values, str) else list(values)
    out: list[str] = []
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


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
        self.size = size
        self.misses = 0

    def get_or_build(self, key: Hashable, fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        with self._lock:
            if key in self._d:
                self._d.move_to_end(key)
                return self._d[key]
        value = fn()
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


unit_label = i18n.unit_label  # the one rendering of units (words in locale/*/units.yaml)
