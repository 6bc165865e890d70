"""The extractor's data (stage 1 of :mod:`lantu.ingest.extract`): the names of the catalogue's
indicators in texts (``lexicon/extract.yaml``), indicator properties, units and the catalogue's
range table, and the fast index of where a name can start."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lantu.domain.errors import ValidationError
from lantu.domain.observations import qualifier_flag
from lantu.domain.units import convert

# ---------------------------------------------------------------------------------------------
# Lexicon
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorName:
    """How an indicator family is named and which codes its values can map to (one entry of
    ``lexicon/extract.yaml``, which documents the fields).

    ``level``/``growth``/``rate`` hold one code per subject the name covers (two for 城乡 pairs);
    ``other_level`` codes are tried when a figure's unit does not fit ``level``; ``special`` is the
    entry's ``reader`` (energy, cpi, pm25, growth_word, none) or empty.
    """

    pattern: str
    level: tuple[str, ...] = ()
    growth: tuple[str, ...] = ()
    rate: tuple[str, ...] = ()
    other_level: tuple[str, ...] = ()
    special: str = ""
    any_prefix: bool = False
    needs: str = ""  # a word the clause must contain ("改造" for renovated communities)
    counts: tuple[tuple[str, str], ...] = ()  # unit words that count another unit (就业岗位: 个 → 人)
    fallback: bool = False  # a wider measure: kept where the text gives none of the indicator itself
    heading: str = ""  # words the item before the clause must hold ("老旧小区改造" for "…等96个小区")
    since: int = 0  # the first report year the name stands for the indicator (工业总产值: 2013)


@dataclass(frozen=True)
class Lexicon:
    """The extractor's data: names (:class:`IndicatorName`), indicator properties, units, and
    the catalogue unit of every code."""

    names: tuple[IndicatorName, ...]
    flow: frozenset[str]  # a five-year look-back gives their sum over the years
    several: frozenset[str]  # several headline figures a period (registered and surveyed rate)
    city_proper: frozenset[str]  # measured in the city proper: 市城区/城区 names the city's figure
    units: frozenset[str]  # the unit words the reader recognises (conversion: lantu.domain.units)
    catalogue_units: dict[str, str]
    ranges: dict[str, tuple[float, float]]  # admissible values in the catalogue unit
    target_side: dict[str, str]  # code -> "ceiling" | "floor" (CPI is a ceiling)
    binding: frozenset[str]  # binding (约束性) indicators


def load_lexicon() -> Lexicon:
    """Read ``lexicon/extract.yaml`` and the catalogue's units (``lantu.defaults``).

    Raises
    ------
    ValueError
        An entry names a code that is not in the catalogue, or a field that does not exist.
    """
    import yaml

    from lantu.defaults import load_indicators, load_reading_ranges
    from lantu.ingest.lexicon import _read

    doc = yaml.safe_load(_read("extract.yaml"))
    catalogue = {i.code: i.unit for i in load_indicators()}
    names = []
    for n, e in enumerate(doc["names"], start=1):
        unknown = set(e) - {"pattern", "level", "growth", "rate", "other_level", "reader", "any_prefix", "needs", "counts", "fallback", "heading", "since"}
        codes = [c for k in ("level", "growth", "rate", "other_level") for c in e.get(k) or ()]
        bad = [c for c in codes if c not in catalogue]
        if e.get("reader") in ("energy", "cpi", "structure", "all_good") and not e.get("rate") \
                or e.get("reader") == "pm25" and not e.get("level"):
            bad.append(f"reader {e['reader']} without the code it yields")
        if unknown or bad:
            raise ValueError(f"lexicon/extract.yaml: names entry {n}: unknown field(s) {sorted(unknown)} "
                             f"or indicator code(s) not in the catalogue {bad}")
        names.append(IndicatorName(
            e["pattern"], tuple(e.get("level") or ()), tuple(e.get("growth") or ()),
            tuple(e.get("rate") or ()), tuple(e.get("other_level") or ()), e.get("reader") or "",
            bool(e.get("any_prefix")), str(e.get("needs") or ""),
            tuple((str(a), str(b)) for a, b in (e.get("counts") or {}).items()), bool(e.get("fallback")),
            str(e.get("heading") or ""), int(e.get("since") or 0)))
    props = doc.get("properties") or {}
    for code in props:
        if code not in catalogue:
            raise ValueError(f"lexicon/extract.yaml: properties: {code!r} is not in the catalogue")
    if isinstance(doc.get("units"), dict):
        raise ValueError("lexicon/extract.yaml: units is a list of the unit words read; how they "
                         "convert is lantu.domain.units (one rule for tables and texts)")
    units = frozenset(str(u) for u in doc.get("units") or ())
    if stray := sorted(c for c, p in props.items() if "range" in p):
        raise ValueError(f"lexicon/extract.yaml: properties of {stray}: a range belongs in "
                         "defaults/data/indicator_ranges.csv (one table for the gate and the extractor)")
    ranges = load_reading_ranges()
    return Lexicon(tuple(names), frozenset(c for c, p in props.items() if p.get("flow")),
                   frozenset(c for c, p in props.items() if p.get("several")),
                   frozenset(c for c, p in props.items() if p.get("city_proper")), units, catalogue, ranges,
                   {c: str(p["target"]) for c, p in props.items() if p.get("target")},
                   frozenset(c for c, p in props.items() if p.get("binding")))


LEX = load_lexicon()
LEXICON: tuple[IndicatorName, ...] = LEX.names

_MENTION_RE = re.compile("|".join(f"(?P<m{i}>{n.pattern})" for i, n in enumerate(LEXICON)))


def _first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with (None: any, e.g. a leading ``.``).

    Lets :func:`_mentions` try the long alternation of names only where a name can start, which
    is several times faster than scanning every position (``re`` does not do this for a group of
    alternatives with optional prefixes).

    Examples
    --------
    >>> sorted(_first_chars("(?:全社会)?货运量|GDP"))
    ['G', '全', '货']
    """
    from re import _constants as C  # noqa: N812 - the stdlib's own parser
    from re import _parser as P

    def first(items: list, start: int = 0) -> tuple[set[str] | None, bool]:
        """(first characters, whether the sequence from ``start`` can match empty)."""
        out: set[str] = set()
        for op, av in items[start:]:
            if op is C.LITERAL:
                return out | {chr(av)}, False
            if op is C.IN:
                chars = set()
                for iop, iav in av:
                    if iop is C.LITERAL:
                        chars.add(chr(iav))
                    elif iop is C.RANGE and iav[1] - iav[0] < 512:
                        chars.update(chr(c) for c in range(iav[0], iav[1] + 1))
                    else:
                        return None, False
                return out | chars, False
            if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
                continue  # zero width: the next item starts the match
            if op is C.SUBPATTERN:
                sub, empty = first(list(av[-1]))
            elif op is C.BRANCH:
                sub, empty = set(), False
                for alt in av[1]:
                    f, e = first(list(alt))
                    if f is None:
                        return None, False
                    sub |= f
                    empty = empty or e
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
                sub, empty = first(list(av[2]))
                empty = empty or av[0] == 0
            else:
                return None, False
            if sub is None:
                return None, False
            out |= sub
            if not empty:
                return out, False
        return out, True

    chars, empty = first(list(P.parse(pattern)))
    return None if chars is None or empty else frozenset(chars)


_STARTS = [_first_chars(n.pattern) for n in LEXICON]
_START_RE = None if any(c is None for c in _STARTS) else re.compile(
    "[" + "".join(sorted(re.escape(c) for cs in _STARTS for c in cs)) + "]")
# for each first character, the alternation of only the names that can start with it (in order)
_BY_FIRST: dict[str, re.Pattern[str]] = {} if _START_RE is None else {
    ch: re.compile("|".join(f"(?P<m{i}>{n.pattern})" for i, n in enumerate(LEXICON) if ch in _STARTS[i]))
    for ch in {c for cs in _STARTS if cs for c in cs}
}


def target_kind(code: str, qualifier: str | None, value: float | None = None) -> str:
    """How a target read from a text is judged: ``annual_growth`` for a growth rate, ``ceiling``
    or ``floor`` from the side the qualifier bounds or, failing that, the indicator's property
    in ``lexicon/extract.yaml`` (CPI is a ceiling), else ``level``. The one rule for the review
    file of ``lantu import`` and the default's build.

    Which side the qualifier bounds is :func:`lantu.domain.observations.qualifier_flag`'s rule,
    the one the status asks (``analysis.target_status._sense``): the words bound the number as
    the text writes it, so on a negative ``value`` 以上/突破 bound it from above (a ceiling:
    "下降3%以上" stored as −3 is −3 or less) and 以内 from below. A kind said here decides over
    the qualifier when the status is judged, so it must say the same; without ``value`` the
    words are read as on a positive number.

    Examples
    --------
    >>> target_kind("gdp_growth", "左右"), target_kind("cpi", "左右"), target_kind("gdp", "突破")
    ('annual_growth', 'ceiling', 'floor')
    >>> target_kind("gdp", "以上", -3.0), target_kind("gdp", "以内", -3.0), target_kind("gdp", "以上", 3)
    ('ceiling', 'floor', 'floor')
    """
    if code.endswith("_growth"):
        return "annual_growth"
    side = LEX.target_side.get(code)
    if side:
        return side
    bound = qualifier_flag(qualifier, value)
    if bound == "upper_bound":
        return "ceiling"
    if bound == "lower_bound":
        return "floor"
    return "level"


def _convert(value: float, unit: str, code: str) -> float | None:
    """``value`` written in ``unit`` expressed in the catalogue unit of ``code`` (None when the
    units do not convert: a figure in 万吨 is not an amount of money).

    Examples
    --------
    >>> _convert(14.7, "万元", "gdp_per_capita"), _convert(1.2, "万亿元", "gdp"), _convert(2, "万吨", "gdp")
    (147000.0, 12000.0, None)
    """
    target = LEX.catalogue_units.get(code, "")
    if unit == target:
        return value
    if unit not in LEX.units or not target:
        return None
    try:
        return convert(value, unit, target)
    except ValidationError:
        return None
