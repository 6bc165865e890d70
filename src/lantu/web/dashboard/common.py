"""Small helpers shared by the dashboard views: names and units in the page's language, numbers, a view cache."""

from __future__ import annotations

import math
from typing import Any

from lantu import i18n
from lantu.cache import ViewCache  # noqa: F401  (the dashboard views import it from here)


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


unit_label = i18n.unit_label  # the one rendering of units (words in locale/*/units.yaml)
