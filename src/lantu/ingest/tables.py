"""Reading tables users bring (CSV in UTF-8, UTF-8 with BOM or GBK; XLSX) into observations and
targets, validating every row and reporting every problem at once.

Three layouts are recognised from the header:

* long: ``region_code, period, indicator, value[, unit, flags, source_url, excerpt]`` (the
  canonical export; ``region``/``地区``, ``year``/``年份``, ``指标``, ``数值`` are accepted too);
* wide by indicator: region and period columns, then one column per indicator (code or Chinese
  name, optionally with its unit in brackets: ``地区生产总值(亿元)``);
* wide by year: region and indicator columns, then one column per year (``2021`` or ``2021年``).

Every layout may carry ``source_quality`` (one of :data:`lantu.domain.SOURCE_QUALITIES`) and
``source_published`` columns; where a table has no quality, it is inferred from the source
(:func:`lantu.domain.infer_quality`: a government URL is official, a repost is third party, a
row without a URL has ``none``).

A file with a ``kind`` column (the review file of ``lantu extract``) carries observed figures and
targets; a file with ``target_period`` (or the raw ``target_year``) columns carries targets.

The stages live in five modules, each importing only those before it:
:mod:`lantu.ingest.tables_values` (cell values and units), :mod:`lantu.ingest.tables_headers`
(column names, the catalogue), :mod:`lantu.ingest.tables_read` (bytes to a raw table, within
the limits), :mod:`lantu.ingest.tables_months` (which ``2023.1`` may be October) and this one
(layouts into domain objects). The public names of all five are importable from here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from lantu.domain import (
    Indicator,
    Observation,
    Period,
    Source,
    Target,
    ValidationError,
    check_quality,
    conversion_factor,
    gate,
    infer_quality,
    parse_flags,
)
from lantu.domain.digits import marker_problem
from lantu.domain.links import url_problem
from lantu.domain.periods import period_words_problem

# The stages before this one; every public name of theirs is importable from here too.
from lantu.ingest.tables_headers import (  # noqa: F401  (re-exported)
    _ALIASES,
    _PERIOD_LIKE,
    _UNIT_IN_HEADER,
    _YEAR_HEADER,
    Catalogue,
    _canon,
    _header_like,
    spoken_for,
    unread,
    unread_columns,
)
from lantu.ingest.tables_months import (  # noqa: F401  (re-exported)
    _ONE_DIGIT_MONTH,
    dotted_january,
    month_collision,
    october_doubts,
    october_lost,
)
from lantu.ingest.tables_read import (  # noqa: F401  (re-exported)
    MAX_FILE_BYTES,
    MAX_MERGED_CELLS,
    MAX_ROWS,
    MAX_XLSX_UNPACKED_BYTES,
    ImportRefused,
    Problem,
    RawTable,
    _scan_sheet_xml,
    _short,
    read_raw,
)
from lantu.ingest.tables_values import (  # noqa: F401  (re-exported)
    _COMMAS,
    _DELIMITER_NAMES,
    _EXCEL_DATE,
    _EXCEL_ERRORS,
    MISSING,
    SCALE_WORDS,
    Quantity,
    _excel_serial,
    _other_delimiter,
    _signed,
    _split_reason,
    _splits,
    _unit,
    _unit_prefix,
    foreign_digit,
    parse_number,
    parse_quantity,
    scale_exactly,
    split_number,
)
from lantu.tabular import unescape_text

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
    notes: list[str] = field(default_factory=list)  # columns not read, said (probe20)

    def add(self, result: Observation | str | None, line: int) -> None:
        if result == "gap":
            self.gaps += 1
        elif isinstance(result, Observation):
            self.observations.append(result)
            self.lines.append(line)


class _Rows:
    """Collects problems while rows are turned into domain objects."""

    def __init__(self, file: str, cat: Catalogue, default_unit: str = "", *,
                 delimiter: str = ""):
        self.file, self.cat, self.default_unit = file, cat, default_unit
        #: the CSV's delimiter; a comma may have split an unquoted 5,571.17 (split_number)
        self.delimiter = delimiter
        self.problems: list[Problem] = []
        self._periods: dict[str, Period | None] = {}
        self._flags: dict[str, frozenset[str]] = {}

    def problem(self, row: int | None, column: str | None, reason: str, value: Any = None) -> None:
        if (isinstance(value, str) and value.strip().upper() in _EXCEL_ERRORS
                and "spreadsheet error" not in reason):
            # a failed formula in any column says so, not "unknown region '#N/A'" (probe14)
            reason = (f"the cell holds the spreadsheet error {value.strip().upper()} (its "
                      "formula failed), not a value; correct it in the sheet")
        self.problems.append(Problem(self.file, row, column, reason,
                                     None if value is None else _short(value)))

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
        if not text.strip():
            self.problem(row, col, "indicator is empty")
            return None
        code = self.cat.indicator(text)
        if code is None:
            self.problem(row, col, "unknown indicator (give a code or a Chinese name from the "
                                   "catalogue: lantu show indicators)", text)
            return None
        return self.cat.indicators[code]

    def period(self, row: int, col: str, text: str, *, future_ok: bool = False) -> Period | None:
        if not future_ok and text in self._periods and self._periods[text] is not None:
            return self._periods[text]
        try:
            p = _period(text)
        except ValidationError as exc:
            digit = (marker_problem(text, "period")
                     or foreign_digit(unicodedata.normalize("NFKC", text), "period"))
            self.problem(row, col, str(exc).split(": ", 1)[-1] if exc.field is None else
                         digit or period_words_problem(text)
                         or "not a period (2023, 2023Q1 or 2023-03)", text)
            return None
        if not future_ok and p.start > self.cat.today:
            self.problem(row, col, f"period {p} is in the future", text)
            return None
        if not future_ok and len(self._periods) < 100_000:
            self._periods[text] = p
        return p

    def flags(self, row: int, text: str) -> frozenset[str] | None:
        if text in self._flags:
            return self._flags[text]
        try:
            flags = parse_flags(text)
        except ValidationError as exc:
            self.problem(row, "flags", str(exc).split(": ", 1)[-1], text)
            return None
        self._flags[text] = flags
        return flags

    def quantity(self, row: int, col: str, text: Any) -> Quantity | None:
        if self.delimiter == ";" and isinstance(text, str) and (m := _COMMA_ALONE.match(text)):
            # European Excel writes semicolons and decimal commas: 5,571 there is 5.571
            self.problem(row, col, "in a semicolon-separated file (as European spreadsheets "
                                   f"write them) {m.group(1)} may be {m.group(1).replace(',', '')} "
                                   f"or {m.group(1).replace(',', '.')}: write the number "
                                   "without the comma or with a point", text)
            return None
        try:
            return parse_quantity(text)
        except ValueError as exc:
            self.problem(row, col, str(exc), text)
            return None

    def number(self, row: int, col: str, text: Any) -> tuple[bool, float | None]:
        q = self.quantity(row, col, text)
        if q is None:
            return False, None
        if q.unit and q.unit != "%":
            self.problem(row, col, "not a number (a unit belongs in the unit column)", text)
            return False, None
        return True, q.value


#: a number whose only mark is one comma before three digits (5,571): a thousands comma or a
#: decimal comma, which the file alone does not tell (1,234,567 and 5,571.17 are no decimals)
_COMMA_ALONE = re.compile(r"\s*([+-]?[0-9]{1,3},[0-9]{3})\s*(?:%|[^\x00-\x7f].*)?\Z")


def _period(text: str) -> Period:
    """A period from a cell; an Excel date cell (``2022-03-01T00:00:00``) on the first of a
    month is that month, any other date is refused (a year typed into a date-formatted cell
    shows as a day of 1905)."""
    if m := _EXCEL_DATE.match(text.strip()):
        year, month, day = (int(x) for x in m.groups()[:3])
        if day == 1 and m.group(4) == m.group(5) == m.group(6) == "00":
            return Period(year, "month", month)
        hint = ""
        serial = _excel_serial(m)
        if 1000 <= serial <= 9999 and serial.is_integer():
            hint = f"; it looks like the year {int(serial)} in a cell formatted as a date"
        raise ValidationError(f"a date ({year}-{month:02d}-{day:02d}), not a period (2023, "
                              f"2023Q1 or 2023-03){hint}; format the column as text")
    return Period.parse(text)


def _observation(rows: _Rows, line: int, value_col: str, region: str | None,
                 period: Period | None, ind: Indicator | None, raw_value: Any, unit: str,
                 flags_text: str, source: Source | None, unit_col: str
                 ) -> Observation | None | str:
    q = rows.quantity(line, value_col, raw_value)
    if q is None:
        return None
    if q.value is None:
        return "gap"
    if region is None or period is None or ind is None or source is None:
        return None
    if ind.is_derived:
        rows.problem(line, value_col, f"{ind.code} is derived ({ind.formula.expression}) and "
                                      "computed on demand; import its inputs instead")
        return None
    value = q.value
    stated = _unit(unit) or _unit(rows.default_unit)
    cell_unit = _unit(q.unit)
    if cell_unit in SCALE_WORDS:  # "5.5万": a scale word on the stated (or indicator) unit
        prefix, base = _unit_prefix(stated or _unit(ind.unit))
        if stated and prefix:
            rows.problem(line, value_col, f"the value carries the scale word {q.unit!r} but the "
                                          f"unit is already {stated!r}; write the plain number",
                         raw_value)
            return None
        if base in ("%", "‰"):
            rows.problem(line, value_col, f"a scale word {q.unit!r} on a {base} value", raw_value)
            return None
        value = scale_exactly(value, 10.0 ** SCALE_WORDS[cell_unit])
        cell_unit = base
    if cell_unit:
        if stated and cell_unit != stated and not (cell_unit == "%" and not unit):
            rows.problem(line, value_col, f"the value says {q.unit!r} but the unit given is "
                                          f"{stated!r}", raw_value)
            return None
        stated = cell_unit
    if cell_unit == "%" and _unit(ind.unit) != "%":
        rows.problem(line, value_col, f"a percentage, but {ind.code} is measured in "
                                      f"{ind.unit or 'plain numbers'}", raw_value)
        return None
    unit = stated or ind.unit
    if unit != _unit(ind.unit):
        try:
            factor = conversion_factor(unit, ind.unit)
        except ValidationError:
            col = value_col if q.unit else unit_col
            if not q.unit and rows.delimiter in _COMMAS and (
                    joined := split_number([str(raw_value), unit], 0, 1)):
                rows.problem(line, value_col, _split_reason(joined, (value_col, unit_col)),
                             joined)
                return None
            rows.problem(line, col, f"unit {unit!r} does not match {ind.code}'s unit "
                                    f"{ind.unit!r} and cannot be converted exactly",
                         q.unit and raw_value or unit)
            return None
        value = scale_exactly(value, factor)
    if not math.isfinite(value):
        rows.problem(line, value_col, f"too large once converted to {ind.unit}", raw_value)
        return None
    if reason := ind.admissible(value):  # the range is catalogue data (indicator_ranges.csv)
        rows.problem(line, value_col, reason, raw_value)
        return None
    flags = rows.flags(line, flags_text)
    if flags is None:
        return None
    return Observation(region, period, ind.code, value + 0.0, ind.unit, flags, source)


#: Columns each layout cannot do without; a row too short to reach them is broken.
_REQUIRED = {"long": ("region", "period", "indicator", "value"),
             "wide-years": ("region", "indicator"), "wide-indicators": ("region", "period"),
             "targets": ("region", "indicator", "target_period"),
             "extract-review": ("region", "indicator", "kind")}


def _check_shape(raw: RawTable, canon: list[str | None], layout: str, rows: _Rows) -> None:
    """Refuse rows with cells beyond the header, rows too short for the layout, and the
    header repeated inside the data (two files joined); such rows are dropped."""
    width = len(raw.header)
    need = max((canon.index(c) + 1 for c in _REQUIRED[layout] if c in canon), default=width)
    if layout.startswith("wide"):
        need = width  # every value column must be there
    usual = _usual_cells(raw) if raw.delimiter in _COMMAS else 0
    blank = [j for j, h in enumerate(raw.header) if not h.strip()]  # columns with no name
    kept = []
    for line, cells in raw.rows:
        if (usual and len(cells) > max(usual, width) and not any(c.strip() for c in cells[width:])
                and (splits := _splits(cells[:width + len(cells) - usual], width))):
            # the extra cells are empty: a number split by the comma pushed the row's last,
            # empty cells past the header, so every column still has a cell (5 and 571 under
            # two years) — named, never read as two figures
            for j, joined in splits:
                rows.problem(line, _name(raw.header, j), _split_reason(joined), joined)
        elif len(cells) > width and any(c.strip() for c in cells[width:]):
            splits = _splits(cells, width) if raw.delimiter in _COMMAS else []
            for j, joined in splits:
                rows.problem(line, _name(raw.header, j), f"row has {len(cells)} cells but the "
                             f"header has {width}: " + _split_reason(joined), joined)
            if not splits:
                rows.problem(line, None, f"row has {len(cells)} cells but the header has "
                                         f"{width} (a delimiter inside a value that is not "
                                         "quoted?)")
        elif len(cells) < need and (other := _other_delimiter(raw.delimiter, cells)):
            # the header split by one comma and the row by the other: named by its delimiter,
            # not only by its row (left12)
            rows.problem(line, None, f"row has {len(cells)} cells but the header has {width}: "
                                     f"the header is split by {_DELIMITER_NAMES[raw.delimiter]} "
                                     f"and this row by {_DELIMITER_NAMES[other]}; split every "
                                     "line by one of them")
        elif len(cells) < need:
            rows.problem(line, None, f"row has {len(cells)} cells but the header has {width} "
                                     "(a broken or cut-off row?)")
        elif (unicodedata.normalize("NFKC", cells[0]).strip().lower() in _ALIASES
              and _header_like(cells)):
            rows.problem(line, None, "the header is repeated here (two files joined?); delete "
                                     "this row")
        elif blank and (lost := [j for j in blank if j < len(cells) and cells[j].strip()]):
            for j in lost:  # a figure or a note under no name: read, it would be lost unsaid
                rows.problem(line, f"#{j + 1}", "the cell stands in a column with no name in the "
                             "header (it would be lost); name the column or delete the cell",
                             cells[j])
        else:
            kept.append((line, cells + [""] * (width - len(cells))))
    raw.rows = kept


#: the columns whose cells are figures, in every layout (a wide table's figures stand under
#: headers that are no column names: its indicators or years)
_VALUE_COLUMNS = (None, "value", "value_high")


def _check_merged_values(raw: RawTable, canon: list[str | None], rows: _Rows) -> None:
    """A figure merged down its column stands for the rows below it as well: 5571.17 merged
    over the rows of 2021 and 2022 was imported for both years (probe14). Refused naming the
    range; a merged key (a region over its years, a year over its indicators) stays read."""
    data = {line for line, _ in raw.rows}
    for (line, j), rng in sorted(raw.filled.items()):
        if line in data and j < len(canon) and canon[j] in _VALUE_COLUMNS:
            rows.problem(line, _name(raw.header, j), f"the cells {rng} are merged down the "
                         "column, so the figure of its first row would stand in this row too; "
                         "unmerge them (取消单元格合并) and give each row its own value")


def _usual_cells(raw: RawTable) -> int:
    """How many cells a row of the CSV holds when nothing split it: the header line's own
    (its empty cells included), or — when most rows end in more empty cells than it, as some
    writers end every row with a comma — the most common count."""
    usual = max(raw.header_cells, len(raw.header))
    longer = [len(cells) for _, cells in raw.rows if len(cells) > usual]
    if len(longer) > 1 and 2 * len(longer) > len(raw.rows):
        usual = Counter(longer).most_common(1)[0][0]
    return usual


def _name(header: list[str], j: int) -> str:
    return header[j] if j < len(header) else f"#{j + 1}"


#: a number format that shows two decimals (``0.00``, ``#,##0.00``, ``0.00_ ``): a number
#: 2023.1 there is shown — and was typed — as 2023.10, October
_TWO_DECIMALS = re.compile(r"(?:#,##)?0\.00(?:_.?|\s)*")


def month_problem(rows: _Rows, line: int, column: str, text: str, *, number: bool,
                  why: str = "") -> None:
    """The one wording of a ``2023.1`` that may be October (a workbook's number, a CSV
    column a spreadsheet wrote: :func:`october_lost`, or one the file cannot tell from
    January: :func:`october_doubts` and its ``why``)."""
    norm = unicodedata.normalize("NFKC", text).strip()
    how = ("a period written as a number: " if number else
           f"a period that may be October: {norm} is the only month the column writes, so "
           "nothing in the file tells January from October — " if why == "alone" else
           f"a period that may be October: it stands next to {norm[:4]}.9 in its series, "
           "where October would be — " if why == "september" else
           "a period that may be October: the column writes November or December with a "
           "point but no October, as a spreadsheet saving its numbers does — ")
    rows.problem(line, column, f"{how}Excel keeps {text}0 (October) as {text}, the same as "
                 "January; write the period as text (2023-01 or 2023-10)", text)


def _check_month_numbers(raw: RawTable, canon: list[str | None], rows: _Rows) -> set[int]:
    """A period written as the number 2023.1 in a workbook is refused: Excel keeps a typed
    2023.10 (October) as that number, which reads as January (2023.2 … 2023.12 are one month
    each: 2023.20 is none). In a CSV, the text 2023.1 is refused where the column shows it may
    be such a number written back (:func:`october_lost`). Returns the rows named."""
    named: set[int] = set()
    # a CSV: the 2023.1 its file cannot tell, in every period column — a target file's
    # target_period and base_period as an observation file's period (probe16: a target file's
    # lone 2025.1 was stored as January)
    for name in ("period", "target_period", "base_period") if raw.delimiter else ():
        if name not in canon:
            continue
        j = canon.index(name)
        keys = [canon.index(c) for c in ("region", "indicator", "kind") if c in canon]
        lines = [(line, cells) for line, cells in raw.rows if j < len(cells)]
        doubts = october_doubts([cells[j] for _, cells in lines],
                                [tuple(cells[i] if i < len(cells) else "" for i in keys)
                                 for _, cells in lines])
        for k, why in doubts.items():
            line, cells = lines[k]
            month_problem(rows, line, raw.header[j], cells[j], number=False, why=why)
            named.add(line)
    for name in ("period", "target_period", "base_period"):
        if name not in canon:
            continue
        j = canon.index(name)
        lost = october_lost({cells[j] for _, cells in raw.rows}) if raw.delimiter else set()
        if not raw.fractions and not lost:
            continue
        for line, cells in raw.rows:
            if (line, j) in raw.fractions and _ONE_DIGIT_MONTH.fullmatch(cells[j]):
                if _TWO_DECIMALS.fullmatch(raw.fractions[line, j].split(";")[0]):
                    cells[j] = f"{float(cells[j]):.2f}"  # shown 2023.10: read as the sheet shows
                    continue
                month_problem(rows, line, raw.header[j], cells[j], number=True)
                named.add(line)
            elif cells[j] in lost:
                month_problem(rows, line, raw.header[j], cells[j], number=False)
                named.add(line)
    return named


def parse_table(raw: RawTable, cat: Catalogue) -> ParsedTable:
    """Turn raw cells into observations and targets, or raise :class:`ImportRefused` listing
    every problem in the file."""
    canon = _canon(raw.header)
    rows = _Rows(raw.file, cat, raw.default_unit, delimiter=raw.delimiter)
    rows.problems.extend(raw.problems)
    dup = {c for c in canon if c and canon.count(c) > 1}
    if dup:
        rows.problem(raw.header_row, None, f"header has duplicate columns for {sorted(dup)}")
        raise ImportRefused(raw.file, rows.problems)
    names = set(c for c in canon if c)
    if "kind" in names and "indicator" in names:
        layout, parse = "extract-review", _parse_kinds
    elif "target_period" in names:
        layout, parse = "targets", _parse_targets
    elif {"region", "period", "indicator", "value"} <= names:
        layout, parse = "long", _parse_long
    elif "region" in names and "indicator" in names and any(
            _YEAR_HEADER.match(h.strip()) for h in raw.header):
        layout, parse = "wide-years", _parse_wide_years
    elif "region" in names and "period" in names:
        layout, parse = "wide-indicators", _parse_wide_indicators
    else:
        missing = [c for c in ("region", "period", "indicator", "value") if c not in names]
        pairs = ", ".join(f"'{u.name}' → '{u.meant}'" for u in unread_columns(raw.header, canon)
                          if u.meant)  # 时间点 → 时间 (probe20)
        rows.problem(raw.header_row, None, "header not recognised: need region_code, period, "
                     "indicator, value (long), or region + period + one column per indicator, or "
                     f"region + indicator + one column per year; missing {missing}"
                     + (f"; close to known names (a typo?): {pairs}" if pairs else ""), ",".join(raw.header))
        raise ImportRefused(raw.file, rows.problems)
    _check_shape(raw, canon, layout, rows)
    notes = _unread(raw, canon, rows, layout)
    _check_merged_values(raw, canon, rows)
    named = _check_month_numbers(raw, canon, rows)
    parsed = parse(raw, canon, rows)
    parsed.notes = notes
    _check_duplicates(parsed, rows, _dotted_januaries(raw, canon), _col(raw, canon, "period"),
                      named)
    if rows.problems:
        raise ImportRefused(raw.file, rows.problems)
    return parsed


def _unread(raw: RawTable, canon: list[str | None], rows: _Rows, layout: str) -> list[str]:
    """Refuse the header's slips of known names at once; note the other unread columns."""
    def filled(j: int) -> int:
        return sum(1 for _, cells in raw.rows if j < len(cells) and cells[j].strip())
    slips, notes = unread(raw.header, canon, filled, spoken_for(layout, rows.cat))
    for name, reason in slips:
        rows.problem(raw.header_row, name, reason)
    if slips:
        raise ImportRefused(raw.file, rows.problems)
    return [] if layout == "wide-indicators" else notes


def _source_name(file: str) -> str:
    """How an observation names the file it came from: a relative name as given (the default's
    ``defaults/raw/…``), only the file name of an absolute path (no server paths in the data)."""
    return file if not Path(file).is_absolute() else Path(file).name


def _source(rows: _Rows, line: int, c: dict[str, str], *, url: str, file: str, excerpt: str,
            note: str = "", kind: str = "") -> Source | None:
    """The source of a row: its ``source_quality`` cell, or when the table has none (or the cell
    is empty), the quality :func:`lantu.domain.infer_quality` reads from the URL and flags.
    A link that is not http(s) is a problem of the row (``None``)."""
    if reason := url_problem(url):
        rows.problem(line, "source_url", reason, url)
        return None
    text = c.get("source_quality", "").strip()
    if text:
        try:
            quality = check_quality(text)
        except ValidationError as exc:
            rows.problem(line, "source_quality", str(exc).split(": ", 1)[-1], text)
            quality = "none"
    else:
        try:
            flags = parse_flags(c.get("flags", ""))
        except ValidationError:
            flags = frozenset()  # reported where the flags are read
        quality = infer_quality(url, file, flags=flags, note=note or c.get("note", ""), kind=kind)
    return Source(url=url, file=c.get("source_file", "") or file, excerpt=excerpt, note=note,
                  quality=quality, published=c.get("source_published", ""))


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
    file_name = _source_name(raw.file)
    # CSV export escapes text a spreadsheet would run (=, +, -, @); XLSX text cells are safe
    text = unescape_text if raw.encoding != "xlsx" else str
    for line, cells in raw.rows:
        c = _cells(canon, cells)
        region = rows.region(line, col["region"], c.get("region", ""))
        period = rows.period(line, col["period"], c.get("period", ""))
        ind = rows.indicator(line, col["indicator"], c.get("indicator", ""))
        url = text(c.get("source_url", ""))
        src = _source(rows, line, c, url=url, file="" if url else file_name,
                      excerpt=text(c.get("excerpt", "")), note=c.get("note", ""))
        res = _observation(rows, line, col["value"], region, period, ind, c.get("value", ""),
                           c.get("unit", ""), _row_flags(rows, line, c, raw, canon), src,
                           col["unit"])
        out.add(res, line)
    return out


def _row_flags(rows: _Rows, line: int, c: dict[str, str], raw: RawTable, canon) -> str:
    """The flags of an observed row of a long or wide table (in a wide one they apply to every
    value of the row): its ``flags`` cell, with the flag ``machine_read`` set or cleared where
    its ``machine_read`` column says (the column decides over the flag: :func:`_machine_read`)."""
    flags = c.get("flags", "")
    if "machine_read" not in c:
        return flags
    machine_read = _machine_read(rows, line, c, lambda name: _col(raw, canon, name))
    return flags if machine_read is None else _with_machine_read(flags, machine_read)


def _with_machine_read(flags: str, machine_read: bool) -> str:
    """A ``flags`` cell with the flag ``machine_read`` set or cleared."""
    from lantu.domain.review import MACHINE_READ

    kept = [f for f in _split_flags(flags) if f != MACHINE_READ]
    return ";".join([*kept, MACHINE_READ] if machine_read else kept)


def _parse_wide_indicators(raw: RawTable, canon, rows: _Rows) -> ParsedTable:
    out = ParsedTable(raw.file, "wide-indicators", raw.encoding, raw.sha256)
    value_cols: list[tuple[int, str, Indicator | None, str]] = []
    for i, h in enumerate(raw.header):
        if canon[i]:
            continue
        if not h.strip():
            if any(cells[i].strip() for _, cells in raw.rows):
                rows.problem(raw.header_row, f"#{i + 1}", "a column with values has no header")
            continue
        name, unit = h, ""
        if rows.cat.indicator(h) is None and (
                m := _UNIT_IN_HEADER.match(unicodedata.normalize("NFKC", h).strip())):
            name, unit = m.group(1), m.group(2)
        ind = rows.indicator(raw.header_row, h, name)
        value_cols.append((i, h, ind, unit))
    rcol, pcol = _col(raw, canon, "region"), _col(raw, canon, "period")
    for line, cells in raw.rows:
        c = _cells(canon, cells)
        region = rows.region(line, rcol, c.get("region", ""))
        period = rows.period(line, pcol, c.get("period", ""))
        src = _source(rows, line, c, url=c.get("source_url", ""), file=_source_name(raw.file),
                      excerpt=c.get("excerpt", ""), note=c.get("note", ""))
        flags = _row_flags(rows, line, c, raw, canon)
        for i, h, ind, unit in value_cols:
            res = _observation(rows, line, h, region, period, ind, cells[i], unit, flags, src, h)
            out.add(res, line)
    return out


def _parse_wide_years(raw: RawTable, canon, rows: _Rows) -> ParsedTable:
    out = ParsedTable(raw.file, "wide-years", raw.encoding, raw.sha256)
    year_cols = [(i, h, rows.period(raw.header_row, h, _YEAR_HEADER.match(h.strip()).group(1)))
                 for i, h in enumerate(raw.header)
                 if _YEAR_HEADER.match(h.strip()) and not canon[i]]
    for i, h in enumerate(raw.header):  # a period's column that is no year's is not skipped
        marker = None if canon[i] else marker_problem(h, "year")  # 2022¹ (a footnote)
        if (not canon[i] and not _YEAR_HEADER.match(h.strip())
                and (marker or _PERIOD_LIKE.match(unicodedata.normalize("NFKC", h)))
                and any(cells[i].strip() for _, cells in raw.rows)):
            rows.problem(raw.header_row, h, marker or "a column of values under a header that is "
                         "not a year: a table by year reads columns of years (2023 or 2023年); "
                         "give quarters or months in the long layout (region, period, "
                         "indicator, value)", h)
    rcol, icol = _col(raw, canon, "region"), _col(raw, canon, "indicator")
    for line, cells in raw.rows:
        c = _cells(canon, cells)
        region = rows.region(line, rcol, c.get("region", ""))
        ind = rows.indicator(line, icol, c.get("indicator", ""))
        src = _source(rows, line, c, url=c.get("source_url", ""), file=_source_name(raw.file),
                      excerpt=c.get("excerpt", ""), note=c.get("note", ""))
        flags = _row_flags(rows, line, c, raw, canon)
        for i, h, period in year_cols:
            res = _observation(rows, line, h, region, period, ind, cells[i], c.get("unit", ""),
                               flags, src, _col(raw, canon, "unit"))
            out.add(res, line)
    return out



_TARGET_KINDS = {"level", "annual_growth", "cumulative_change", "ceiling", "floor"}
_RANGE = re.compile(r"^\s*([+-]?[0-9.]+)\s*[-–—~～至到]\s*([+-]?[0-9.]+)\s*$")


def _target_from(rows: _Rows, line: int, c: dict[str, str], col, *, value_key: str,
                 kind_key: str, period_key: str, file: str, source_kind: str = "",
                 kind_of: partial[str] | None = None) -> Target | None:
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
    if why := marker_problem(c.get(value_key, "")):  # 8-8.5¹ is no range 8–8.51
        rows.problem(line, col(value_key), why, c.get(value_key, ""))
        return None
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
    if kind_of is not None:  # a kind not given: read from the value (extract's review file)
        kind = kind_of(value)
    base_period = None
    if c.get("base_period"):
        base_period = rows.period(line, col("base_period"), c["base_period"], future_ok=True)
    base_value = None
    if c.get("base_value"):
        ok, base_value = rows.number(line, col("base_value"), c["base_value"])
    if region is None or ind is None or period is None:
        return None
    unit = _unit(c.get("unit", "")) or ind.unit
    if unit != _unit(ind.unit) and kind in ("level", "ceiling", "floor"):
        try:
            f = conversion_factor(unit, ind.unit)
            value = scale_exactly(value, f)
            high = scale_exactly(high, f) if high is not None else None
        except ValidationError:
            rows.problem(line, col("unit"), f"unit {unit!r} does not match {ind.code}'s unit "
                                            f"{ind.unit!r} and cannot be converted exactly", unit)
            return None
    binding_text = c.get("binding", "").strip().lower()
    binding = binding_text in ("约束性", "binding", "true", "1", "yes", "是")
    machine_read = _machine_read(rows, line, c, col)
    if machine_read is None:
        return None
    source = _source(rows, line, c, url=c.get("source_url", ""), file=_source_name(file),
                     excerpt=c.get("excerpt", ""), note=c.get("note", ""), kind=source_kind)
    if source is None:
        return None
    try:
        target = Target(region_code=region, indicator_code=ind.code, target_period=period, kind=kind,
                      value=value, value_high=high, qualifier=c.get("qualifier") or None,
                      binding=binding, base_period=base_period, base_value=base_value,
                      unit=ind.unit if kind in ("level", "ceiling", "floor") else unit,
                      plan=c.get("plan", ""), source=source, machine_read=machine_read)
    except ValidationError as exc:
        rows.problem(line, exc.field, str(exc).split(": ", 1)[-1])
        return None
    problems = gate.target_problems(target, ind)
    for name, reason in problems:
        rows.problem(line, col(name) if name in c else name, reason)
    return None if problems else target


def _machine_read(rows: _Rows, line: int, c: dict[str, str], col) -> bool | None:
    """Whether a row of figures or targets is machine-read, by the rule every importer asks
    (:func:`lantu.domain.review.row_machine_read`): its ``machine_read`` column (true/false,
    是/否; ``lantu extract`` writes true on every row), else the flag ``machine_read`` in its
    ``flags``; neither: a person's row. ``None`` after a problem was noted."""
    from lantu.domain.review import ReviewCellError, row_machine_read

    try:
        return bool(row_machine_read(c, flags=c.get("flags", "")))
    except ReviewCellError as exc:
        rows.problem(line, col(exc.column), str(exc), exc.value)
        return None


def _split_flags(text: str) -> list[str]:
    """The names in a ``flags`` cell (``;``, ``,`` or ``|`` between them), as written."""
    return [f.strip() for f in text.replace(",", ";").replace("|", ";").split(";") if f.strip()]


def _parse_targets(raw: RawTable, canon, rows: _Rows) -> ParsedTable:
    out = ParsedTable(raw.file, "targets", raw.encoding, raw.sha256)
    value_key = "target_value" if "target_value" in canon else "value"
    kind_key = "target_kind" if "target_kind" in canon else "kind"

    def col(n: str) -> str:
        return _col(raw, canon, n)

    for line, cells in raw.rows:
        c = _cells(canon, cells + [""] * (len(raw.header) - len(cells)))
        t = _target_from(rows, line, c, col, value_key=value_key, kind_key=kind_key,
                         period_key="target_period", file=raw.file,
                         source_kind="report" if "工作报告" in c.get("plan", "") else "")
        if t is not None:
            out.targets.append(t)
    return out


def _parse_kinds(raw: RawTable, canon, rows: _Rows) -> ParsedTable:
    """The review file of ``lantu extract``: rows of kind ``observed`` or ``target``."""
    from lantu.ingest.extract import target_kind  # the lexicon is read only for such files
    out = ParsedTable(raw.file, "extract-review", raw.encoding, raw.sha256)

    def col(n: str) -> str:
        return _col(raw, canon, n)

    text = unescape_text if raw.encoding != "xlsx" else str  # CSV escapes "=…" (tabular)
    for line, cells in raw.rows:
        c = _cells(canon, cells + [""] * (len(raw.header) - len(cells)))
        kind = c.get("kind", "").strip()
        if kind == "observed":
            machine_read = _machine_read(rows, line, c, col)
            region = rows.region(line, col("region"), c.get("region", ""))
            period = rows.period(line, col("period"), c.get("period", ""))
            ind = rows.indicator(line, col("indicator"), c.get("indicator", ""))
            src = _source(rows, line, c, url=text(c.get("source_url", "")),
                          file=_source_name(raw.file), excerpt=text(c.get("excerpt", "")),
                          kind="report")
            if machine_read is None:
                continue
            res = _observation(rows, line, col("value"), region, period, ind, c.get("value", ""),
                               c.get("unit", ""), _extract_flags(c, machine_read), src, col("unit"))
            out.add(res, line)
        elif kind == "target" or kind in _TARGET_KINDS:
            ind = rows.cat.indicator(c.get("indicator", ""))
            said = kind if kind in _TARGET_KINDS else None  # else read with the value's sign
            c2 = dict(c, kind=said or "level", target_period=c.get("target_period") or c.get("period", ""))
            t = _target_from(rows, line, c2, col, value_key="value", kind_key="kind", period_key="target_period",
                             file=raw.file, source_kind="report", kind_of=None if said else
                             partial(target_kind, ind or "", c.get("qualifier") or ""))
            if t is not None:
                out.targets.append(t)
        else:
            rows.problem(line, col("kind"), "kind must be observed or target", kind)
    return out


def _extract_flags(c: dict[str, str], machine_read: bool) -> str:
    """Flags of an observed row of the review file: its own (``preliminary`` by default: a work
    report's figure), the one its qualifier means (以内 → upper_bound …) and ``machine_read``
    where :func:`_machine_read` says so (the column decides over the flag)."""
    from lantu.domain.observations import qualifier_flag
    from lantu.domain.review import MACHINE_READ

    flags = [f for f in _split_flags(c.get("flags", "")) if f != MACHINE_READ] or ["preliminary"]
    if q := qualifier_flag(c.get("qualifier", ""), _signed(c.get("value", ""))):
        flags.append(q)
    if machine_read:
        flags.append(MACHINE_READ)
    return ";".join(flags)


def _dotted_januaries(raw: RawTable, canon: list[str | None]) -> dict[int, str]:
    """The rows whose period is written ``2023.1`` (:func:`dotted_january`): row → text."""
    if "period" not in canon:
        return {}
    j = canon.index("period")
    return {line: cells[j] for line, cells in raw.rows if j < len(cells)
            and dotted_january(cells[j])}


def _check_duplicates(parsed: ParsedTable, rows: _Rows,
                      dotted: dict[int, str] | None = None, period_col: str = "period",
                      named: set[int] | frozenset[int] = frozenset()) -> None:
    """A key given twice: the same value once, a different value a problem naming both rows;
    where either row writes its period ``2023.1`` (``dotted``: row → text), the pair is named
    as a month that may be October (:func:`month_collision`) whatever the values — unless
    the month rule named either row already (``named``: a workbook's number, a column a
    spreadsheet wrote), which says the same."""
    seen: dict[tuple[str, str, str], tuple[Observation, int]] = {}
    unique: list[Observation] = []
    lines: list[int] = []
    dotted = dotted or {}
    for o, line in zip(parsed.observations, parsed.lines):
        prev = seen.get(o.key)
        if prev is None:
            seen[o.key] = (o, line)
            unique.append(o)
            lines.append(line)
        elif line in named or prev[1] in named:
            continue  # refused as a month that may be October: nothing more to say
        elif (text := dotted.get(line) or dotted.get(prev[1])) and line != prev[1]:
            rows.problem(line, period_col, month_collision(
                f"{o.region_code} {o.indicator_code}", text, prev[1]), text)
        elif prev[0].value != o.value:
            rows.problem(line, None,
                         f"conflicting duplicate: {o.region_code} {o.period} {o.indicator_code} is "
                         f"{prev[0].value:g} on row {prev[1]} and {o.value:g} here", o.value)
    parsed.observations, parsed.lines = unique, lines


def parse_file(path: str | Path, cat: Catalogue, *, sheet: str | None = None) -> ParsedTable:
    """Read and validate a table file; raise :class:`ImportRefused` with every problem."""
    return parse_table(read_raw(path, sheet=sheet), cat)
