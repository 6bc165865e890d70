"""Small helpers shared by the dashboard views: names and units in the page's language, numbers, a view cache."""

from __future__ import annotations

import math
from typing import Any

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


_UNIT_PREFIX_EN = (("亿", "100 mn"), ("万", "10k"), ("千", "k"))
_UNIT_BASE_EN = {"元": "yuan", "人": "persons", "张": "beds", "吨": "t", "件": "items",
                 "户": "households", "千瓦": "kW", "家": "firms", "个": "", "天": "days",
                 "美元": "USD", "微克/立方米": "µg/m³", "%": "%", "‰": "‰", "百分点": "points"}


def unit_label(unit: str | None, lang: str) -> str:
    """A unit as the page shows it: as stored in Chinese, spelt out in English.

    Examples
    --------
    >>> unit_label("亿元", "en"), unit_label("万人", "en"), unit_label("亿元", "zh")
    ('100 mn yuan', '10k persons', '亿元')
    >>> unit_label("微克/立方米", "en")
    'µg/m³'
    """
    u = unit or ""
    if lang == "zh" or not u:
        return u
    if u in _UNIT_BASE_EN:
        return _UNIT_BASE_EN[u]
    for prefix, word in _UNIT_PREFIX_EN:
        base = u[len(prefix):]
        if u.startswith(prefix) and base in _UNIT_BASE_EN:
            return f"{word} {_UNIT_BASE_EN[base]}".strip()
    return u
