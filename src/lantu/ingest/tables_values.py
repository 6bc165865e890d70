"""The values of a table's cells: numbers with their unit or scale word written after them
(``5,571.17亿元``, ``5.5万``, ``约7%``), explicit gaps (``—``), and exact power-of-ten scaling.
The bottom stage of :mod:`lantu.ingest.tables` (it imports none of the others)."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from lantu.domain import normalise_unit
from lantu.domain.digits import marker_problem
from lantu.domain.indicators import number_problem
from lantu.ingest.numerals import join_groups

# Characters no one sees, stripped from cells, headers and names by every stage.
#: marks that are invisible in a cell and removed from it
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u00ad"
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
MISSING = {"", "—", "——", "-", "--", "…", "……", "...", "na", "n/a", "nan", "null", "none",
           "无", "暂无", "空", "/", "x", "×"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_PLAIN = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,15})?\Z")
_NUMBER_THEN_UNIT = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?)"
                               r"\s*([^\d\s.,+-][^\d]*)$")
_EXCEL_ERRORS = {"#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
                 "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#UNKNOWN!"}
_APPROX_HEAD = re.compile(r"^(约|大约|大概|近|将近|接近|超过|超|逾|不足|不到|不少于|小于|大于|低于|高于|"
                          r"≈|~|～|<|>|≤|≥|<=|>=)")
_APPROX_TAIL = re.compile(r"(左右|以上|以下|以内|之上|上下|多|余|许|强|弱)$")
_RANGE_VALUE = re.compile(r"^[+-]?[\d.,]+\s*[-~～至到—–]\s*[+-]?[\d.,]+\S*$")
#: a decimal digit of another script than 0-9 (after NFKC, which makes full-width digits ASCII)
_FOREIGN_DIGIT = re.compile(r"(?![0-9])\d")
_EXCEL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?$")
#: Chinese scale words a number may carry without a unit ("5.5万" = 55,000 of the unit).
SCALE_WORDS = {"万亿": 12, "亿": 8, "千万": 7, "百万": 6, "十万": 5, "万": 4, "千": 3, "百": 2}


def foreign_digit(text: str, what: str = "number") -> str | None:
    """Why ``text`` (NFKC already) may not be read as a ``what`` ("number", "period"): a
    decimal digit of another script than 0-9 stands in it (Bengali ৪ is 4 and looks like 8),
    named with its value; None when there is none. The one wording of values and periods."""
    if text.isascii() or not (d := _FOREIGN_DIGIT.search(text)):
        return None
    return (f"a digit of another script ({d.group()!r} is {unicodedata.digit(d.group())}, "
            f"{unicodedata.name(d.group(), '?')}); write the {what} with the digits 0-9")


@dataclass(frozen=True)
class Quantity:
    """A number read from a cell, with the unit or scale word written after it, if any."""

    value: float | None  # None: an explicit gap
    unit: str = ""  # "亿元" in "5,571.17亿元", "%" in "7.5%", "万" in "5.5万"
    text: str = ""  # the number as written, without separators (for exact scaling)


def _excel_serial(m: re.Match) -> float:
    d = datetime(*map(int, m.groups()[:6]))
    return (d - datetime(1899, 12, 30)).total_seconds() / 86400


def parse_quantity(text: object) -> Quantity:
    """Read a cell as a number, keeping a unit written after it (``5,571.17亿元``, ``7.5%``,
    ``5.5万``); whether that unit fits is decided by the caller.

    Raises
    ------
    ValueError
        With a short reason: not a number, an approximate value (``约5500``, ``5500左右``), a
        range, a spreadsheet error (``#DIV/0!``), a date, a number that is not finite, or one
        too small to store exactly (``1e-400``, ``5e-324``: :func:`number_problem`).

    Examples
    --------
    >>> parse_quantity("5,571.17亿元")
    Quantity(value=5571.17, unit='亿元', text='5571.17')
    >>> parse_quantity("—").value is None
    True
    """
    if text is None:
        return Quantity(None)
    if isinstance(text, str) and _PLAIN.match(text):  # the common case, fast
        return Quantity(float(text) + 0.0, "", text)
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if isinstance(text, float) and math.isnan(text):
            return Quantity(None)
        if not math.isfinite(text):
            raise ValueError("not a finite number")
        if why := number_problem(repr(float(text)), float(text)):
            raise ValueError(why)
        return Quantity(float(text) + 0.0, "", repr(float(text)))
    if why := marker_problem(str(text)):  # 5571.17¹ is no 5571.171, ⑤ no 5
        raise ValueError(why)
    s = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", str(text))).strip()
    if s.lower() in MISSING:
        return Quantity(None)
    if why := foreign_digit(s):
        raise ValueError(why)
    if s.upper() in _EXCEL_ERRORS:
        raise ValueError(f"the cell holds the spreadsheet error {s.upper()}, not a number")
    if m := _EXCEL_DATE.match(s):
        raise ValueError(f"the cell is a date in the workbook (serial {_excel_serial(m):g}); "
                         "format the column as numbers")
    # groups of three only ("2 311.43"); "3 5 7" is not one number
    # (in a cell, after NFKC, a full-width comma is a thousands comma: a cell has no clauses)
    s = join_groups(re.sub(r"^([+-])\s+", r"\1", s.replace("−", "-").replace("–", "-")))
    if _APPROX_HEAD.match(s) or (_APPROX_TAIL.search(s) and re.search(r"\d", s)):
        raise ValueError("an approximate value; give the number as published and flag it "
                         "'estimated' if it is an estimate")
    if _RANGE_VALUE.match(s) and not _NUMBER.match(s.replace(",", "")):
        raise ValueError("a range, not a single value")
    if s.lower().lstrip("+-") in ("inf", "infinity", "nan"):
        raise ValueError("not a finite number")
    unit = ""
    if not _NUMBER.match(s) and not re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", s):
        m = _NUMBER_THEN_UNIT.match(s)
        if not m or not re.search(r"\d", m.group(1)):
            raise ValueError("not a number")
        s, unit = m.group(1), m.group(2).strip()
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?([eE][+-]?\d+)?", s):
        s = s.replace(",", "")
    if not _NUMBER.match(s):
        raise ValueError("not a number")
    value = float(s)
    if not math.isfinite(value):
        raise ValueError("not a finite number (too large)")
    if why := number_problem(s, value):  # 1e-400 read as 0, 5e-324 as a subnormal
        raise ValueError(why)
    return Quantity(value + 0.0, unit, s)  # + 0.0 turns -0.0 into 0.0


def parse_number(text: object) -> float | None:
    """A number as people write it in tables, or None for an explicit gap.

    Accepts thousands separators (``1,234.5``), full-width digits (``１２３．４``), a trailing
    ``%``, a Unicode minus; ``—``, ``…``, ``NA`` and empty cells are gaps (None). A number
    followed by any other unit or word is refused here (the table reader handles units).

    Raises
    ------
    ValueError
        With a short reason when the text is not a number.

    Examples
    --------
    >>> parse_number("1,234.5")
    1234.5
    >>> parse_number("—") is None
    True
    """
    q = parse_quantity(text)
    if q.unit and q.unit != "%":
        raise ValueError("not a number")
    return q.value


def scale_exactly(value: float, factor: float) -> float:
    """``value * factor`` for a power-of-ten factor, rounded once (decimal arithmetic), so
    ``5304061 人`` becomes exactly ``530.4061 万人``."""
    if factor == 1.0:
        return value
    k = round(math.log10(factor))
    if not math.isclose(10.0 ** k, factor, rel_tol=1e-12):
        return value * factor
    try:
        return float(Decimal(repr(value)).scaleb(k))
    except (InvalidOperation, OverflowError):
        return math.inf


@lru_cache(maxsize=4096)
def _unit(unit: str | None) -> str:
    return normalise_unit(unit)


def _unit_prefix(unit: str) -> tuple[str, str]:
    for word in sorted(SCALE_WORDS, key=len, reverse=True):
        if unit.startswith(word) and len(unit) > len(word):
            return word, unit[len(word):]
    return "", unit



#: the head of a number a comma delimiter split at its thousands separator (``5`` of
#: ``5,571.17``) and each group after it (``571``, the last may keep its decimals: ``571.17``)
_SPLIT_HEAD = re.compile(r"[+-]?[0-9]{1,3}")
_SPLIT_GROUP = re.compile(r"[0-9]{3}")
_SPLIT_LAST = re.compile(r"[0-9]{3}(?:\.[0-9]+)?")


def split_number(cells: list[str], j: int, most: int) -> str | None:
    """The number ``cells[j]`` and up to ``most`` cells after it spell when joined by commas,
    when ``cells[j]`` is 1-3 digits and each cell after it a group of three (the last may have
    decimals): ``["5", "571.17"]`` → ``"5,571.17"`` — what an unquoted ``5,571.17`` becomes in
    a comma-separated file. The one rule of such a split, asked by the ragged-row check and by
    a unit cell that is a number; it names the cells, it never reads the value. None: no
    split at ``j``.

    Examples
    --------
    >>> split_number(["gdp", "5", "571.17", "亿元"], 1, 2), split_number(["5", "57"], 0, 1)
    ('5,571.17', None)
    >>> split_number(["12", "345", "678.5"], 0, 2), split_number(["12", "345", "678"], 0, 1)
    ('12,345,678.5', '12,345')
    """
    if not _SPLIT_HEAD.fullmatch(cells[j].strip()):
        return None
    parts = [cells[j].strip()]
    for cell in cells[j + 1:j + 1 + most]:
        cell = cell.strip()
        if _SPLIT_GROUP.fullmatch(cell):
            parts.append(cell)
        elif _SPLIT_LAST.fullmatch(cell):
            parts.append(cell)
            break
        else:
            break
    return ",".join(parts) if len(parts) > 1 else None


def _splits(cells: list[str], width: int) -> list[tuple[int, str]]:
    """Where a row of more cells than the header holds numbers split at their thousands
    separator by the comma (:func:`split_number`), when joining them gives the header's
    width exactly (or leaves only empty cells beyond it): ``(the column the number stands
    in once joined, the number as written)``; none when the split does not account for the
    extra cells."""
    extra, found, j, shift = len(cells) - width, [], 0, 0
    while j < len(cells) and extra > 0:
        joined = split_number(cells, j, extra)
        if joined is None:
            j += 1
            continue
        parts = joined.count(",")
        found.append((j - shift, joined))
        extra -= parts
        shift += parts
        j += parts + 1
    rest = len(cells) - sum(p.count(",") for _, p in found)
    fits = rest <= width or not any(c.strip() for c in cells[width + len(cells) - rest:])
    return found if found and fits else []


def _signed(text: str) -> float | None:
    """The sign that matters to a qualifier (:func:`~lantu.domain.observations.qualifier_flag`):
    -1.0 for a cell written as a negative number, else None (the cell's own check names any
    problem with it)."""
    t = unicodedata.normalize("NFKC", text or "").strip()
    return -1.0 if t.startswith(("-", "\u2212")) else None


#: delimiters that may split an unquoted number at its thousands separator
_COMMAS = (",", "，")


#: how a message names the two commas a table may be split by
_DELIMITER_NAMES = {",": "commas (,)", "，": "full-width commas (U+FF0C)"}


def _other_delimiter(delimiter: str, cells: list[str]) -> str | None:
    """The other comma, when the table is split by one and this row's text by the other."""
    if delimiter not in _COMMAS:
        return None
    other = "，" if delimiter == "," else ","
    return other if any(other in c for c in cells) else None


def _split_reason(joined: str, fell: tuple[str, str] | None = None) -> str:
    """What to say of cells that look like one number split at its thousands separator by a
    comma delimiter (:func:`lantu.ingest.tables_values.split_number`): never its value.
    ``fell``: the columns the two parts were read into, when the row kept its width."""
    head, _, tail = joined.partition(",")
    where = f" (it was read into columns {fell[0]!r} and {fell[1]!r})" if fell else ""
    return (f"{head!r} and {tail!r} look like one number, {joined}, split by the comma at its "
            f"thousands separator{where}; quote the cell (\"{joined}\") or write the number "
            f"without the thousands separator ({joined.replace(',', '')})")
