"""Reading tables users bring (CSV in UTF-8, UTF-8 with BOM or GBK; XLSX) into observations and
targets, validating every row and reporting every problem at once.

Three layouts are recognised from the header:

* long: ``region_code, period, indicator, value[, unit, flags, source_url, excerpt]`` (the
  canonical export; ``region``/``地区``, ``year``/``年份``, ``指标``, ``数值`` are accepted too);
* wide by indicator: region and period columns, then one column per indicator (code or Chinese
  name, optionally with its unit in brackets: ``地区生产总值(亿元)``);
* wide by year: region and indicator columns, then one column per year (``2021`` or ``2021年``).

A file with a ``kind`` column (the review file of ``lantu extract``) carries observed figures and
targets; a file with ``target_period`` (or the raw ``target_year``) columns carries targets.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from lantu.domain import (
    Indicator,
    Observation,
    Period,
    Region,
    Source,
    Target,
    ValidationError,
    conversion_factor,
    normalise_unit,
    parse_flags,
)

# -- problems ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    file: str
    row: int | None  # 1-based line (CSV) or row (XLSX) number, header = 1
    column: str | None
    reason: str
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        val = f" (value {self.value!r})" if self.value not in (None, "") else ""
        return f"{where}: {self.reason}{val}"


class ImportRefused(ValidationError):
    """The file was refused; ``problems`` lists everything that is wrong with it."""

    def __init__(self, file: str, problems: Sequence[Problem]):
        self.file = file
        self.problems = list(problems)
        head = f"{file}: refused, {len(self.problems)} problem(s); nothing was imported"
        super().__init__(head + "\n" + "\n".join(f"  - {p}" for p in self.problems[:200])
                         + ("\n  …" if len(self.problems) > 200 else ""))


# -- reading raw cells ---------------------------------------------------------------------------


@dataclass
class RawTable:
    file: str
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number, cells)
    encoding: str = "utf-8"
    sha256: str = ""


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if not data.strip():
        raise ImportRefused(name, [Problem(name, None, None, "the file is empty")])
    if b"\x00" in data[:4096]:
        raise ImportRefused(name, [Problem(name, None, None,
                                           "the file is binary, not a CSV text table")])
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc), ("utf-8" if enc == "utf-8-sig" else "gbk")
        except UnicodeDecodeError:
            continue
    raise ImportRefused(name, [Problem(name, None, None,
                                       "cannot decode the text as UTF-8 or GBK")])


def read_raw(path: str | Path, *, sheet: str | None = None) -> RawTable:
    """Read the cells of a CSV or XLSX file as strings (no interpretation yet)."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise ImportRefused(name, [Problem(name, None, None, "no such file")])
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(data, name, sheet)
    elif suffix in (".csv", ".txt", ".tsv"):
        text, enc = _decode(data, name)
        dialect_delim = "\t" if suffix == ".tsv" or ("\t" in text.split("\n", 1)[0] and
                                                    "," not in text.split("\n", 1)[0]) else ","
        reader = csv.reader(io.StringIO(text), delimiter=dialect_delim)
        try:
            lines = list(reader)
        except csv.Error as exc:
            raise ImportRefused(name, [Problem(name, reader.line_num, None,
                                               f"not a readable CSV: {exc}")]) from None
        lines_n = [(i + 1, row) for i, row in enumerate(lines) if any(c.strip() for c in row)]
        if not lines_n:
            raise ImportRefused(name, [Problem(name, None, None, "the file has no rows")])
        (_, header), rest = lines_n[0], lines_n[1:]
        table = RawTable(name, [h.strip() for h in header], rest, enc)
    elif suffix == ".xls":
        raise ImportRefused(name, [Problem(name, None, None,
                                           "old .xls workbooks are not read; save it as .xlsx")])
    else:
        raise ImportRefused(name, [Problem(name, None, None,
                                           f"unsupported file type {suffix or '(none)'}; "
                                           "give a .csv or .xlsx table")])
    table.sha256 = digest
    return table


def _read_xlsx(data: bytes, name: str, sheet: str | None) -> RawTable:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportRefused(name, [Problem(name, None, None,
                                           f"not a readable XLSX workbook (truncated or corrupt: "
                                           f"{exc.__class__.__name__})")]) from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise ImportRefused(name, [Problem(name, None, None,
                                               f"no sheet {sheet!r}; sheets: {wb.sheetnames}")])
        ws = wb[sheet] if sheet else wb.worksheets[0]
        rows: list[tuple[int, list[str]]] = []
        for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else _cell_text(v) for v in row]
            if any(c.strip() for c in cells):
                rows.append((i, cells))
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        raise ImportRefused(name, [Problem(name, None, None,
                                           f"not a readable XLSX workbook (truncated or corrupt: "
                                           f"{exc.__class__.__name__})")]) from None
    finally:
        wb.close()
    # a review sheet may start with a note line above the header: find the header row
    for idx, (_, cells) in enumerate(rows[:10]):
        lowered = {c.strip().lower() for c in cells}
        if lowered & set(_ALIASES):
            header_at = idx
            break
    else:
        header_at = 0
    if not rows:
        raise ImportRefused(name, [Problem(name, None, None, "the sheet has no rows")])
    header = [h.strip() for h in rows[header_at][1]]
    return RawTable(name, header, rows[header_at + 1:], "xlsx")


def _cell_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v)) if not math.isnan(v) else ""
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


# -- values --------------------------------------------------------------------------------------

MISSING = {"", "—", "——", "-", "--", "…", "……", "...", "na", "n/a", "nan", "null", "none",
           "无", "暂无", "空", "/", "x", "×"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(text: object) -> float | None:
    """A number as people write it in tables, or None for an explicit gap.

    Accepts thousands separators (``1,234.5``), full-width digits (``１２３．４``), a trailing
    ``%``, a Unicode minus; ``—``, ``…``, ``NA`` and empty cells are gaps (None).

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
    if text is None:
        return None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if isinstance(text, float) and math.isnan(text):
            return None
        if isinstance(text, float) and math.isinf(text):
            raise ValueError("not a finite number")
        return float(text)
    s = unicodedata.normalize("NFKC", str(text)).strip()
    if s.lower() in MISSING:
        return None
    s = s.replace("−", "-").replace("–", "-").replace(" ", "")
    if s.endswith("%"):
        s = s[:-1]
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")
    if not _NUMBER.match(s):
        raise ValueError("not a number")
    value = float(s)
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


# -- header recognition --------------------------------------------------------------------------

_ALIASES = {
    "region_code": "region", "region": "region", "地区": "region", "地区代码": "region",
    "区划代码": "region", "行政区划代码": "region", "城市": "region", "地市": "region",
    "period": "period", "year": "period", "年份": "period", "年度": "period", "时期": "period",
    "时间": "period", "统计时间": "period",
    "indicator": "indicator", "indicator_code": "indicator", "指标": "indicator",
    "指标代码": "indicator", "指标名称": "indicator",
    "value": "value", "数值": "value", "值": "value", "数据": "value",
    "unit": "unit", "单位": "unit", "计量单位": "unit",
    "flags": "flags", "标记": "flags",
    "source_url": "source_url", "source": "source_url", "来源": "source_url", "来源网址": "source_url",
    "excerpt": "excerpt", "摘录": "excerpt", "原文": "excerpt",
    "note": "note", "备注": "note", "说明": "note",
    "kind": "kind", "value_high": "value_high", "qualifier": "qualifier",
    "target_period": "target_period", "target_year": "target_period", "目标年份": "target_period",
    "target_value": "target_value", "target_kind": "target_kind", "binding": "binding",
    "base_year": "base_period", "base_period": "base_period", "base_value": "base_value",
    "plan": "plan", "indicator_zh": "indicator", "start": "start", "end": "end",
}
_UNIT_IN_HEADER = re.compile(r"^(.*?)[（(]([^()（）]+)[)）]$")
_YEAR_HEADER = re.compile(r"^(\d{4})(年)?$")


@dataclass
class Catalogue:
    """What a table may refer to: regions and indicators, by code or Chinese name."""

    regions: dict[str, Region]
    indicators: dict[str, Indicator]
    today: date = field(default_factory=date.today)
    aliases: dict[str, str] = field(default_factory=dict)  # other names people use → code

    def __post_init__(self) -> None:
        self._region_by_name: dict[str, str] = {}
        for r in self.regions.values():
            self._region_by_name[r.name_zh] = r.code
            if r.name_en:
                self._region_by_name[r.name_en.lower()] = r.code
            for suffix in ("市", "省", "区", "县"):
                if r.name_zh.endswith(suffix) and len(r.name_zh) > 2:
                    self._region_by_name.setdefault(r.name_zh[: -len(suffix)], r.code)
        self._ind_by_name = {i.name_zh: i.code for i in self.indicators.values()}
        self._ind_by_name.update({i.name_en.lower(): i.code for i in self.indicators.values()
                                  if i.name_en})
        for alias, code in self.aliases.items():
            if code in self.indicators:
                self._ind_by_name.setdefault(alias, code)
                self._ind_by_name.setdefault(alias.lower(), code)

    def region(self, text: str) -> str | None:
        t = unicodedata.normalize("NFKC", text).strip()
        if t.endswith(".0"):
            t = t[:-2]
        if t in self.regions:
            return t
        return self._region_by_name.get(t) or self._region_by_name.get(t.lower())

    def indicator(self, text: str) -> str | None:
        t = unicodedata.normalize("NFKC", text).strip()
        if t in self.indicators:
            return t
        code = self._ind_by_name.get(t) or self._ind_by_name.get(t.lower())
        if code:
            return code
        # also match against NFKC-normalised catalogue names (full-width brackets)
        for name, c in self._ind_by_name.items():
            if unicodedata.normalize("NFKC", name) == t:
                return c
        return None


def _canon(header: Sequence[str]) -> list[str | None]:
    return [_ALIASES.get(unicodedata.normalize("NFKC", h).strip().lower()) for h in header]


# -- parsing a table into domain objects ---------------------------------------------------------


@dataclass
class ParsedTable:
    file: str
    layout: str
    encoding: str
    sha256: str
    observations: list[Observation] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    gaps: int = 0  # explicit empty / "—" cells skipped
    lines: list[int] = field(default_factory=list)  # source row of each observation

    def add(self, result: Observation | str | None, line: int) -> None:
        if result == "gap":
            self.gaps += 1
        elif isinstance(result, Observation):
            self.observations.append(result)
            self.lines.append(line)


class _Rows:
    """Collects problems while rows are turned into domain objects."""

    def __init__(self, file: str, cat: Catalogue):
        self.file, self.cat = file, cat
        self.problems: list[Problem] = []

    def problem(self, row: int | None, column: str | None, reason: str, value: Any = None) -> None:
        self.problems.append(Problem(self.file, row, column, reason,
                                     None if value is None else str(value)))

    def region(self, row: int, col: str, text: str) -> str | None:
        if not text.strip():
            self.problem(row, col, "region is empty")
            return None
        code = self.cat.region(text)
        if code is None:
            self.problem(row, col, "unknown region (give a GB/T 2260 code or a Chinese name "
                                   "Lantu knows)", text)
        return code

    def indicator(self, row: int, col: str, text: str) -> Indicator | None:
        code = self.cat.indicator(text)
        if code is None:
            self.problem(row, col, "unknown indicator (give a code or a Chinese name from the "
                                   "catalogue: lantu show indicators)", text)
            return None
        return self.cat.indicators[code]

    def period(self, row: int, col: str, text: str, *, future_ok: bool = False) -> Period | None:
        try:
            p = Period.parse(text)
        except ValidationError:
            self.problem(row, col, "not a period (2023, 2023Q1 or 2023-03)", text)
            return None
        if not future_ok and p.start > self.cat.today:
            self.problem(row, col, f"period {p} is in the future", text)
            return None
        return p

    def number(self, row: int, col: str, text: Any) -> tuple[bool, float | None]:
        try:
            return True, parse_number(text)
        except ValueError as exc:
            self.problem(row, col, str(exc), text)
            return False, None


def _observation(rows: _Rows, line: int, value_col: str, region: str | None,
                 period: Period | None, ind: Indicator | None, raw_value: Any, unit: str,
                 flags_text: str, source: Source, unit_col: str) -> Observation | None | str:
    ok, value = rows.number(line, value_col, raw_value)
    if not ok:
        return None
    if value is None:
        return "gap"
    if region is None or period is None or ind is None:
        return None
    if ind.is_derived:
        rows.problem(line, value_col, f"{ind.code} is derived ({ind.formula.expression}) and "
                                      "computed on demand; import its inputs instead")
        return None
    unit = normalise_unit(unit) or ind.unit
    if unit != normalise_unit(ind.unit):
        try:
            value = value * conversion_factor(unit, ind.unit)
        except ValidationError:
            rows.problem(line, unit_col, f"unit {unit!r} does not match {ind.code}'s unit "
                                         f"{ind.unit!r} and cannot be converted exactly", unit)
            return None
        value = float(f"{value:.12g}")
    if ind.is_share and not 0 <= value <= 100:
        rows.problem(line, value_col, f"{ind.code} is a share in %, must be within 0–100",
                     raw_value)
        return None
    try:
        flags = parse_flags(flags_text)
    except ValidationError as exc:
        rows.problem(line, "flags", str(exc).split(": ", 1)[-1], flags_text)
        return None
    return Observation(region, period, ind.code, value, ind.unit, flags, source)


def parse_table(raw: RawTable, cat: Catalogue) -> ParsedTable:
    """Turn raw cells into observations and targets, or raise :class:`ImportRefused` listing
    every problem in the file."""
    canon = _canon(raw.header)
    rows = _Rows(raw.file, cat)
    dup = {c for c in canon if c and canon.count(c) > 1}
    if dup:
        rows.problem(1, None, f"header has duplicate columns for {sorted(dup)}")
        raise ImportRefused(raw.file, rows.problems)
    names = set(c for c in canon if c)
    if "kind" in names and "indicator" in names:
        parsed = _parse_kinds(raw, canon, rows)
    elif "target_period" in names:
        parsed = _parse_targets(raw, canon, rows)
    elif {"region", "period", "indicator", "value"} <= names:
        parsed = _parse_long(raw, canon, rows)
    elif "region" in names and "indicator" in names and any(
            _YEAR_HEADER.match(h.strip()) for h in raw.header):
        parsed = _parse_wide_years(raw, canon, rows)
    elif "region" in names and "period" in names:
        parsed = _parse_wide_indicators(raw, canon, rows)
    else:
        missing = [c for c in ("region", "period", "indicator", "value") if c not in names]
        rows.problem(1, None, "header not recognised: need region_code, period, indicator, value "
                              "(long), or region + period + one column per indicator, or region + "
                              f"indicator + one column per year; missing {missing}",
                     ",".join(raw.header))
        raise ImportRefused(raw.file, rows.problems)
    _check_duplicates(parsed, rows)
    if rows.problems:
        raise ImportRefused(raw.file, rows.problems)
    return parsed


def _source_name(file: str) -> str:
    """How an observation names the file it came from: a relative name as given (the default's
    ``defaults/raw/…``), only the file name of an absolute path (no server paths in the data)."""
    return file if not Path(file).is_absolute() else Path(file).name


def _cells(header: list[str | None], cells: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, cell in zip(header, cells):
        if name:
            out[name] = cell.strip()
    return out


def _col(raw: RawTable, canon: list[str | None], name: str) -> str:
    return raw.header[canon.index(name)] if name in canon else name


def _parse_long(raw: RawTable, canon, rows: _Rows) -> ParsedTable:
    out = ParsedTable(raw.file, "long", raw.encoding, raw.sha256)
    col = {n: _col(raw, canon, n) for n in ("region", "period", "indicator", "value", "unit")}
    width = len(raw.header)
    for line, cells in raw.rows:
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            rows.problem(line, None, f"row has {len(cells)} cells but the header has {width}")
            continue
        c = _cells(canon, cells + [""] * (width - len(cells)))
        region = rows.region(line, col["region"], c.get("region", ""))
        period = rows.period(line, col["period"], c.get("period", ""))
        ind = rows.indicator(line, col["indicator"], c.get("indicator", ""))
        note = c.get("note", "")
        flags = c.get("flags", "")
        src = Source(url=c.get("source_url", ""), file="" if c.get("source_url") else
                     _source_name(raw.file), excerpt=c.get("excerpt", ""), note=note)
        res = _observation(rows, line, col["value"], region, period, ind, c.get("value", ""),
                           c.get("unit", ""), flags, src, col["unit"])
        out.add(res, line)
    return out


def _parse_wide_indicators(raw: RawTable, canon, rows: _Rows) -> ParsedTable:
    out = ParsedTable(raw.file, "wide-indicators", raw.encoding, raw.sha256)
    value_cols: list[tuple[int, str, Indicator | None, str]] = []
    for i, h in enumerate(raw.header):
        if canon[i]:
            continue
        name, unit = h, ""
        if m := _UNIT_IN_HEADER.match(unicodedata.normalize("NFKC", h).strip()):
            name, unit = m.group(1), m.group(2)
        ind = rows.indicator(1, h, name) if rows.cat.indicator(h) is None else \
            rows.cat.indicators[rows.cat.indicator(h)]
        if rows.cat.indicator(h) is not None:
            unit = ""
        value_cols.append((i, h, ind, unit))
    rcol, pcol = _col(raw, canon, "region"), _col(raw, canon, "period")
    for line, cells in raw.rows:
        cells = cells + [""] * (len(raw.header) - len(cells))
        c = _cells(canon, cells)
        region = rows.region(line, rcol, c.get("region", ""))
        period = rows.period(line, pcol, c.get("period", ""))
        src = Source(url=c.get("source_url", ""), file=_source_name(raw.file),
                     excerpt=c.get("excerpt", ""), note=c.get("note", ""))
        for i, h, ind, unit in value_cols:
            res = _observation(rows, line, h, region, period, ind, cells[i], unit,
                               c.get("flags", ""), src, h)
            out.add(res, line)
    return out


def _parse_wide_years(raw: RawTable, canon, rows: _Rows) -> ParsedTable:
    out = ParsedTable(raw.file, "wide-years", raw.encoding, raw.sha256)
    year_cols = [(i, h) for i, h in enumerate(raw.header)
                 if _YEAR_HEADER.match(h.strip()) and not canon[i]]
    rcol, icol = _col(raw, canon, "region"), _col(raw, canon, "indicator")
    for line, cells in raw.rows:
        cells = cells + [""] * (len(raw.header) - len(cells))
        c = _cells(canon, cells)
        region = rows.region(line, rcol, c.get("region", ""))
        ind = rows.indicator(line, icol, c.get("indicator", ""))
        src = Source(url=c.get("source_url", ""), file=_source_name(raw.file),
                     excerpt=c.get("excerpt", ""), note=c.get("note", ""))
        for i, h in year_cols:
            period = rows.period(line, h, _YEAR_HEADER.match(h.strip()).group(1))
            res = _observation(rows, line, h, region, period, ind, cells[i], c.get("unit", ""),
                               c.get("flags", ""), src, _col(raw, canon, "unit"))
            out.add(res, line)
    return out


_TARGET_KINDS = {"level", "annual_growth", "cumulative_change", "ceiling", "floor"}
_RANGE = re.compile(r"^\s*([+-]?[\d.]+)\s*[-–—~～至到]\s*([+-]?[\d.]+)\s*$")


def _target_from(rows: _Rows, line: int, c: dict[str, str], col, *, value_key: str,
                 kind_key: str, period_key: str, file: str) -> Target | None:
    region = rows.region(line, col("region"), c.get("region", ""))
    ind = rows.indicator(line, col("indicator"), c.get("indicator", ""))
    period = rows.period(line, col(period_key), c.get(period_key, ""), future_ok=True)
    kind = c.get(kind_key, "").strip() or "level"
    if kind not in _TARGET_KINDS:
        rows.problem(line, col(kind_key), f"target kind must be one of {sorted(_TARGET_KINDS)}",
                     kind)
        return None
    text = unicodedata.normalize("NFKC", c.get(value_key, ""))
    high: float | None = None
    if m := _RANGE.match(text):
        value, high = float(m.group(1)), float(m.group(2))
    else:
        ok, value = rows.number(line, col(value_key), text)
        if ok and value is None:
            rows.problem(line, col(value_key), "target value is empty")
            return None
        if not ok:
            return None
        if c.get("value_high"):
            ok, high = rows.number(line, col("value_high"), c["value_high"])
            if not ok:
                return None
    base_period = None
    if c.get("base_period"):
        base_period = rows.period(line, col("base_period"), c["base_period"], future_ok=True)
    base_value = None
    if c.get("base_value"):
        ok, base_value = rows.number(line, col("base_value"), c["base_value"])
    if region is None or ind is None or period is None:
        return None
    unit = normalise_unit(c.get("unit", "")) or ind.unit
    if unit != normalise_unit(ind.unit) and kind in ("level", "ceiling", "floor"):
        try:
            f = conversion_factor(unit, ind.unit)
            value, high = value * f, (high * f if high is not None else None)
        except ValidationError:
            rows.problem(line, col("unit"), f"unit {unit!r} does not match {ind.code}'s unit "
                                            f"{ind.unit!r} and cannot be converted exactly", unit)
            return None
    binding_text = c.get("binding", "").strip().lower()
    binding = binding_text in ("约束性", "binding", "true", "1", "yes", "是")
    try:
        return Target(region_code=region, indicator_code=ind.code, target_period=period, kind=kind,
                      value=value, value_high=high, qualifier=c.get("qualifier") or None,
                      binding=binding, base_period=base_period, base_value=base_value,
                      unit=ind.unit if kind in ("level", "ceiling", "floor") else unit,
                      plan=c.get("plan", ""),
                      source=Source(url=c.get("source_url", ""), file=_source_name(file),
                                    excerpt=c.get("excerpt", ""), note=c.get("note", "")))
    except ValidationError as exc:
        rows.problem(line, exc.field, str(exc).split(": ", 1)[-1])
        return None


def _parse_targets(raw: RawTable, canon, rows: _Rows) -> ParsedTable:
    out = ParsedTable(raw.file, "targets", raw.encoding, raw.sha256)
    value_key = "target_value" if "target_value" in canon else "value"
    kind_key = "target_kind" if "target_kind" in canon else "kind"

    def col(n: str) -> str:
        return _col(raw, canon, n)

    for line, cells in raw.rows:
        c = _cells(canon, cells + [""] * (len(raw.header) - len(cells)))
        t = _target_from(rows, line, c, col, value_key=value_key, kind_key=kind_key,
                         period_key="target_period", file=raw.file)
        if t is not None:
            out.targets.append(t)
    return out


_EXTRACT_TARGET_KIND = {"左右": "annual_growth", "以上": "floor", "以内": "ceiling"}


def _parse_kinds(raw: RawTable, canon, rows: _Rows) -> ParsedTable:
    """The review file of ``lantu extract``: rows of kind ``observed`` or ``target``."""
    out = ParsedTable(raw.file, "extract-review", raw.encoding, raw.sha256)

    def col(n: str) -> str:
        return _col(raw, canon, n)

    for line, cells in raw.rows:
        c = _cells(canon, cells + [""] * (len(raw.header) - len(cells)))
        kind = c.get("kind", "").strip()
        if kind == "observed":
            region = rows.region(line, col("region"), c.get("region", ""))
            period = rows.period(line, col("period"), c.get("period", ""))
            ind = rows.indicator(line, col("indicator"), c.get("indicator", ""))
            src = Source(url=c.get("source_url", ""), file=_source_name(raw.file),
                         excerpt=c.get("excerpt", ""))
            res = _observation(rows, line, col("value"), region, period, ind, c.get("value", ""),
                               c.get("unit", ""), c.get("flags", "") or "preliminary", src,
                               col("unit"))
            out.add(res, line)
        elif kind == "target" or kind in _TARGET_KINDS:
            ind = rows.cat.indicator(c.get("indicator", ""))
            tkind = kind if kind in _TARGET_KINDS else _guess_target_kind(
                rows.cat.indicators.get(ind) if ind else None, c.get("qualifier"))
            c2 = dict(c, kind=tkind, target_period=c.get("target_period") or c.get("period", ""))
            t = _target_from(rows, line, c2, col, value_key="value", kind_key="kind",
                             period_key="target_period", file=raw.file)
            if t is not None:
                out.targets.append(t)
        else:
            rows.problem(line, col("kind"), "kind must be observed or target", kind)
    return out


def _guess_target_kind(ind: Indicator | None, qualifier: str | None) -> str:
    if ind is not None and ("growth" in ind.code or ind.code == "cpi"):
        return "annual_growth"
    if qualifier == "以内":
        return "ceiling"
    if qualifier == "以上":
        return "floor"
    return "level"


def _check_duplicates(parsed: ParsedTable, rows: _Rows) -> None:
    seen: dict[tuple[str, str, str], tuple[Observation, int]] = {}
    unique: list[Observation] = []
    lines: list[int] = []
    for o, line in zip(parsed.observations, parsed.lines):
        prev = seen.get(o.key)
        if prev is None:
            seen[o.key] = (o, line)
            unique.append(o)
            lines.append(line)
        elif prev[0].value != o.value:
            rows.problem(line, None,
                         f"conflicting duplicate: {o.region_code} {o.period} {o.indicator_code} is "
                         f"{prev[0].value:g} on row {prev[1]} and {o.value:g} here", o.value)
    parsed.observations, parsed.lines = unique, lines


def parse_file(path: str | Path, cat: Catalogue, *, sheet: str | None = None) -> ParsedTable:
    """Read and validate a table file; raise :class:`ImportRefused` with every problem."""
    return parse_table(read_raw(path, sheet=sheet), cat)


def iter_problems(exc: ImportRefused) -> Iterable[Problem]:
    return iter(exc.problems)
