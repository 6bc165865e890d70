"""Units and the exact power-of-ten conversions between them (万元 ↔ 亿元, 人 ↔ 万人, ...).

Only conversions that are an exact power of ten within the same base are made; anything else
(亿美元 → 亿元, % → ‰ of a different base) is refused, because it would need a rate or a
definition that the number does not carry.
"""

from __future__ import annotations

from lantu.domain.errors import ValidationError

_PREFIX = {"": 1.0, "十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6,
           "千万": 1e7, "亿": 1e8}
_ALIASES = {
    "%": "%", "％": "%", "percent": "%", "百分比": "%",
    "‰": "‰",
    "yuan": "元", "rmb": "元",
    "usd": "美元", "us$": "美元",
    "微克/立方米": "微克/立方米", "μg/m3": "微克/立方米", "μg/m³": "微克/立方米", "ug/m3": "微克/立方米",
}


#: Counting words that name the same base: people are counted in 人 or 名, units (enterprises,
#: households, market entities) in 家 or 户 — "新增市场主体5万户" is 5 万家.
_BASE_SYNONYMS = {"名": "人", "户": "家"}


def normalise_unit(unit: str | None) -> str:
    """Canonical spelling of a unit (strips spaces and brackets, maps aliases)."""
    if unit is None:
        return ""
    u = str(unit).strip().strip("()（）").replace(" ", "")
    return _ALIASES.get(u.lower(), u)


def _split(unit: str) -> tuple[float, str]:
    """Power of ten and base of a unit; prefixes stack (万亿元 = 1e4 · 1e8 元)."""
    factor = 1.0
    while True:
        for prefix in sorted(_PREFIX, key=len, reverse=True):
            if prefix and unit.startswith(prefix) and len(unit) > len(prefix):
                factor *= _PREFIX[prefix]
                unit = unit[len(prefix):]
                break
        else:
            return factor, _BASE_SYNONYMS.get(unit, unit)


def conversion_factor(from_unit: str | None, to_unit: str | None) -> float:
    """Factor f with ``value_in_to = value_in_from * f``.

    Raises
    ------
    ValidationError
        When the units differ by more than a power-of-ten prefix.

    Examples
    --------
    >>> conversion_factor("万元", "亿元")
    0.0001
    >>> conversion_factor("人", "万人")
    0.0001
    >>> conversion_factor("万户", "家"), conversion_factor("名", "万人")
    (10000.0, 0.0001)
    """
    a, b = normalise_unit(from_unit), normalise_unit(to_unit)
    if a == b:
        return 1.0
    (fa, base_a), (fb, base_b) = _split(a), _split(b)
    if base_a != base_b or base_a in ("%", "‰"):
        raise ValidationError(
            f"unit {from_unit!r} cannot be converted to {to_unit!r} (only exact power-of-ten "
            "conversions such as 万元→亿元 or 人→万人 are made)",
            field="unit",
        )
    return fa / fb


def convert(value: float, from_unit: str | None, to_unit: str | None) -> float:
    """``value`` in ``from_unit`` expressed in ``to_unit``, by an exact power of ten.

    Multiplies or divides by the integer power (so ``3.7 人 → 0.00037 万人`` is the correctly
    rounded quotient, not ``3.7 * 0.0001``).

    Examples
    --------
    >>> convert(2.5, "万亿元", "亿元")
    25000.0
    >>> convert(3.7, "人", "万人")
    0.00037
    """
    f = conversion_factor(from_unit, to_unit)
    return value * f if f >= 1 else value / (1.0 / f)
