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
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import math
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
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
    check_quality,
    conversion_factor,
    gate,
    infer_quality,
    normalise_unit,
    parse_flags,
)
from lantu.domain.links import url_problem
from lantu.tabular import unescape_text

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


# -- limits --------------------------------------------------------------------------------------

#: Largest file read at all (bytes on disk). Bigger tables: split them, or raise this limit.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Largest total size an XLSX workbook may unpack to (guards against zip bombs).
MAX_XLSX_UNPACKED_BYTES = 512 * 1024 * 1024
#: Most non-empty rows one table may have (bounds memory and time).
MAX_ROWS = 500_000
#: Most cells merged ranges of one sheet may fill.
MAX_MERGED_CELLS = 2_000_000

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_INVISIBLE_RE = re.compile("[\ufeff\u200b\u200c\u200d\u2060\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNIT_NOTE = re.compile(r"^\s*(?:计量)?单位\s*[:：]\s*([^\s,，、;；]+)\s*$")
_FOOTNOTE = re.compile(r"^\s*(注|附注|资料来源|数据来源|来源[:：]|说明[:：]|备注[:：]|note|source)",
                       re.IGNORECASE)


def _refuse(name: str, reason: str, row: int | None = None, value: str | None = None):
    raise ImportRefused(name, [Problem(name, row, None, reason, value)])


# -- reading raw cells ---------------------------------------------------------------------------


@dataclass
class RawTable:
    file: str
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number, cells)
    encoding: str = "utf-8"
    sha256: str = ""
    default_unit: str = ""  # from a "单位：亿元" line above the header
    problems: list[Problem] = field(default_factory=list)  # found while reading the cells
    header_row: int = 1


_ODD = re.compile("[\ufeff\u200b\u200c\u200d\u2060\u00ad\r]")


def _clean(text: str) -> str:
    """A cell as text: invisible marks (BOM, zero-width) removed, line ends made ``\\n``,
    surrounding blanks stripped."""
    if _ODD.search(text):
        text = _INVISIBLE_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if not data.strip():
        _refuse(name, "the file is empty")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text" is UTF-16
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            _refuse(name, "the file starts like UTF-16 text but cannot be decoded as UTF-16")
    if b"\x00" in data[:4096]:
        _refuse(name, "the file is binary, not a CSV text table")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        if _looks_utf8(data, exc):
            line = data.count(b"\n", 0, exc.start) + 1
            where = ("cut inside a character at its end" if exc.end >= len(data)
                     else f"damaged at line {line} (byte {exc.start + 1})")
            _refuse(name, f"the file is UTF-8 text but {where}: {exc.reason}; save it again as "
                          "UTF-8 (or as GBK)", row=line)
    for enc in ("gb18030",):
        try:
            return data.decode(enc), "gbk"
        except UnicodeDecodeError:
            continue
    _refuse(name, "cannot decode the text as UTF-8 or GBK")
    raise AssertionError  # unreachable


def _looks_utf8(data: bytes, exc: UnicodeDecodeError) -> bool:
    """Valid UTF-8 up to the error, with Chinese characters before it (and nothing else outside
    ASCII): UTF-8 that was cut or damaged, not GBK. (GBK Chinese may pass as a few two-byte
    UTF-8 characters — Cyrillic, Armenian — but hardly as three-byte Chinese ones.)"""
    before = data[:exc.start].decode("utf-8", "replace")
    wide = [c for c in before if ord(c) > 127]
    cjk = sum(1 for c in wide if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
    return bool(wide) and cjk >= 0.9 * len(wide)


def read_raw(path: str | Path, *, sheet: str | None = None) -> RawTable:
    """Read the cells of a CSV or XLSX file as strings (no interpretation yet).

    The content decides how a file is read, not only its name: a workbook renamed ``.csv`` is
    read as a workbook; an old ``.xls``, an encrypted workbook, or a text or HTML file renamed
    ``.xlsx`` is refused with a reason. Files over :data:`MAX_FILE_BYTES`, workbooks unpacking
    to more than :data:`MAX_XLSX_UNPACKED_BYTES` and tables over :data:`MAX_ROWS` rows are
    refused before they use much memory.

    Raises
    ------
    ImportRefused
        When the file cannot be read as a table.
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        _refuse(name, "no such file")
    if path.is_dir():
        _refuse(name, "is a directory, not a table file")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls"):
        _refuse(name, f"unsupported file type {suffix or '(none)'}; give a .csv or .xlsx table")
    if not path.is_file():
        _refuse(name, "not a regular file (a device or a pipe?)")
    size = path.stat().st_size
    data = b""
    if size <= MAX_FILE_BYTES:
        with path.open("rb") as fh:  # never more than the limit, whatever stat said
            data = fh.read(MAX_FILE_BYTES + 1)
    if size > MAX_FILE_BYTES or len(data) > MAX_FILE_BYTES:
        _refuse(name, f"the file is {max(size, len(data)) / 2**20:.1f} MiB, over the limit of "
                      f"{MAX_FILE_BYTES / 2**20:.0f} MiB; split it into smaller files")
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(_ZIP_MAGIC):
        table = _read_xlsx(data, name, sheet)
    elif data.startswith(_OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            _refuse(name, "the workbook is password-protected (encrypted); remove the password "
                          "in Excel or WPS (文件 → 信息 → 保护工作簿) and save it again")
        _refuse(name, "an old .xls workbook (or another OLE2 file) is not read; open it in Excel "
                      "or WPS and save it as .xlsx")
        raise AssertionError  # unreachable
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        head = data[:2048].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in head:
            _refuse(name, f"an HTML page saved with the name {suffix}, not a workbook; open it "
                          "in Excel or WPS and save it as .xlsx")
        if suffix == ".xls":
            _refuse(name, "not an .xls workbook; save the table as .xlsx or .csv")
        _refuse(name, f"not an XLSX workbook (a {suffix} file must be a zip package); if it is "
                      "a CSV text table, rename it to .csv")
        raise AssertionError  # unreachable
    else:
        table = _read_csv(data, name, suffix)
    table.sha256 = digest
    return table


def _sniff_delimiter(text: str, suffix: str) -> str:
    """The delimiter that splits the first lines most consistently into more than one cell."""
    if suffix == ".tsv":
        return "\t"
    sample = "\n".join(text[:65536].split("\n")[:50])
    best, best_score = ",", (0.0, 0)
    for delim in (",", "\t", ";", "|", "，"):
        if delim == "，" and best_score[1] > 1:
            break  # the full-width comma only when no ASCII delimiter works
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delim)
                      if any(c.strip() for c in r)]
        except csv.Error:
            continue
        if not counts:
            continue
        modal, freq = Counter(counts).most_common(1)[0]
        score = (freq / len(counts), modal) if modal > 1 else (0.0, 1)
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_csv(data: bytes, name: str, suffix: str) -> RawTable:
    text, enc = _decode(data, name)
    text = _INVISIBLE_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    delim = _sniff_delimiter(text, suffix)
    # strict: a quote that is never closed must not swallow the rest of the file into one cell
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    rows: list[tuple[int, list[str]]] = []
    record = 0
    try:
        for record, row in enumerate(reader, start=1):
            if "".join(row).strip():
                rows.append((record, row))
                if len(rows) > MAX_ROWS + 1:
                    _refuse(name, f"the table has more than {MAX_ROWS:,} rows; split it")
    except csv.Error as exc:
        msg = str(exc)
        hint = ("a quoted cell is never closed (a stray '\"'?)" if "end of data" in msg else
                "a cell is too long to be a value or an excerpt" if "field limit" in msg else
                "a quote in the middle of a cell, or text after a closing quote")
        _refuse(name, f"not a readable CSV ({exc}; text line {reader.line_num}): {hint}",
                row=record + 1)
    if not rows:
        _refuse(name, "the file has no rows")
    enc_label = enc if delim == "," else f"{enc}, {'tab' if delim == chr(9) else repr(delim)}"
    return _table_from_rows(name, rows, enc_label, cleaned=True)


def _header_score(cells: Sequence[str]) -> int:
    canon = _canon(cells)
    return sum(1 for c in canon if c) + sum(1 for h in cells if _YEAR_HEADER.match(h.strip()))


def _table_from_rows(name: str, rows: list[tuple[int, list[str]]], encoding: str, *,
                     cleaned: bool = False) -> RawTable:
    """Find the header (title lines and notes may stand above it), clean the cells, drop
    footnote lines below the data. ``cleaned``: invisible marks and ``\\r`` are gone already
    (a CSV text is cleaned as a whole)."""
    clean = str.strip if cleaned else _clean
    problems: list[Problem] = []
    header_at = next((i for i, (_, cells) in enumerate(rows[:20]) if _header_score(cells) >= 2), 0)
    default_unit = ""
    for _, cells in rows[:header_at]:  # title lines: a "单位：亿元" note sets the unit
        for c in cells:
            if m := _UNIT_NOTE.match(unicodedata.normalize("NFKC", c)):
                default_unit = m.group(1)
    header_line, header_cells = rows[header_at]
    header = [re.sub(r"\s+", " ", _clean(h).replace("\n", "")) for h in header_cells]
    while header and not header[-1] and all(len(c) < len(header) or not c[len(header) - 1].strip()
                                            for _, c in rows[header_at + 1:]):
        header.pop()  # trailing empty header cells of an over-wide sheet
    body: list[tuple[int, list[str]]] = []
    for line, cells in rows[header_at + 1:]:
        filled = [c for c in cells if c.strip()]
        if len(filled) == 1 and _FOOTNOTE.match(filled[0]):
            continue  # 注：… / 资料来源：… below the table
        if not _CONTROL.search("".join(cells)):
            body.append((line, [clean(c) for c in cells]))
            continue
        out = []
        for j, c in enumerate(cells):
            if _CONTROL.search(c):
                col = header[j] if j < len(header) else f"#{j + 1}"
                problems.append(Problem(name, line, col, "the cell contains a control character "
                                        f"(U+{ord(_CONTROL.search(c).group()):04X})", _short(c)))
                c = _CONTROL.sub("", c)
            out.append(_clean(c))
        body.append((line, out))
    return RawTable(name, header, body, encoding, default_unit=default_unit, problems=problems,
                    header_row=header_line)


def _short(text: object, limit: int = 80) -> str:
    s = str(text)
    return s if len(s) <= limit else s[:limit] + "…"


_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _sheet_states(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → state (visible, hidden, veryHidden) from the workbook part."""
    try:
        xml = zf.read("xl/workbook.xml").decode("utf-8", "replace")
    except KeyError:
        return {}
    out = {}
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", xml):
        m = re.search(r'\bname="([^"]*)"', tag)
        if m:
            st = re.search(r'\bstate="([^"]*)"', tag)
            out[html.unescape(m.group(1))] = st.group(1) if st else "visible"
    return out


@dataclass
class _SheetScan:
    """What openpyxl's read-only mode does not tell: merged ranges, hidden rows and columns,
    formulas with no saved result."""

    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    uncached: list[tuple[int, int, str]] = field(default_factory=list)  # row, col, formula


def _scan_sheet_xml(xml: bytes) -> _SheetScan:
    scan = _SheetScan()
    for a, b in re.findall(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+\d+):([A-Z]+\d+)"', xml):
        (c1, r1), (c2, r2) = (_CELL_REF.fullmatch(x.decode()).groups() for x in (a, b))
        scan.merged.append((int(r1), _col_index(c1), int(r2), _col_index(c2)))
    if b'hidden="1"' in xml or b'hidden="true"' in xml:
        for tag in re.findall(rb'<(?:\w+:)?row\b[^>]*\bhidden="(?:1|true)"[^>]*>', xml):
            if m := re.search(rb'\br="(\d+)"', tag):
                scan.hidden_rows.add(int(m.group(1)))
        for tag in re.findall(rb'<(?:\w+:)?col\b[^>]*\bhidden="(?:1|true)"[^>]*>', xml):
            lo, hi = re.search(rb'\bmin="(\d+)"', tag), re.search(rb'\bmax="(\d+)"', tag)
            if lo and hi:
                scan.hidden_cols.update(range(int(lo.group(1)), min(int(hi.group(1)), 16384) + 1))
    if b"<f" in xml or b":f>" in xml:
        for attrs, body in re.findall(rb"<(?:\w+:)?c\b([^>/]*)>(.*?)</(?:\w+:)?c>", xml, re.S):
            if b"<f" not in body and b":f" not in body:
                continue
            cached = re.search(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>", body)
            is_str = re.search(rb'\bt="str"', attrs)
            if cached is None or (not cached.group(1) and not is_str):
                ref = re.search(rb'\br="([A-Z]+)(\d+)"', attrs)
                formula = re.search(rb"<(?:\w+:)?f\b[^>]*>([^<]*)<", body)
                if ref:
                    scan.uncached.append((int(ref.group(2)), _col_index(ref.group(1).decode()),
                                          html.unescape((formula.group(1) if formula else b"")
                                                        .decode("utf-8", "replace"))))
    return scan


def _read_xlsx(data: bytes, name: str, sheet: str | None) -> RawTable:
    from openpyxl import load_workbook

    corrupt = "not a readable XLSX workbook (truncated or corrupt: {})"
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        _refuse(name, corrupt.format(exc.__class__.__name__))
        raise AssertionError from None  # unreachable
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        _refuse(name, "a zip archive, but not an XLSX workbook (unzip it, or save the table "
                      "from Excel or WPS as .xlsx)")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        _refuse(name, f"the workbook unpacks to {unpacked / 2**20:.0f} MiB, over the limit of "
                      f"{MAX_XLSX_UNPACKED_BYTES / 2**20:.0f} MiB (refused: it could be a zip "
                      "bomb); split it into smaller files")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on bad packages
        _refuse(name, corrupt.format(exc.__class__.__name__))
        raise AssertionError from None  # unreachable
    try:
        ws = _choose_sheet(wb, zf, name, sheet)
        path = getattr(ws, "_worksheet_path", None)
        scan = _scan_sheet_xml(zf.read(path)) if path in names else _SheetScan()
        ws.reset_dimensions()  # do not trust a declared A1:XFD1048576 size
        grid: dict[int, list[str]] = {}
        for i, row in enumerate(ws.iter_rows(), start=1):
            cells = [_shown_text(c) for c in row]
            if any(c.strip() for c in cells):
                grid[i] = cells
                if len(grid) > MAX_ROWS + 1:
                    _refuse(name, f"the sheet has more than {MAX_ROWS:,} rows; split it")
    except ImportRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged part can break openpyxl in many ways
        _refuse(name, corrupt.format(exc.__class__.__name__))
        raise AssertionError from None  # unreachable
    finally:
        wb.close()
    if not grid:
        _refuse(name, f"the sheet {ws.title!r} has no rows")
    if not _fill_merged(grid, scan.merged):
        _refuse(name, f"the sheet merges more than {MAX_MERGED_CELLS:,} cells; unmerge them "
                      "(Excel: 合并后居中 → 取消单元格合并) and fill the values in")
    problems = []
    for r, c, formula in scan.uncached:
        problems.append(Problem(name, r, _letters(c), "a formula with no saved result (the "
                                "program that wrote the file did not calculate it); open the file "
                                "in Excel or WPS and save it again", f"={formula}"))
    for r in sorted(scan.hidden_rows & set(grid)):
        problems.append(Problem(name, r, None, "the row is hidden in the sheet; unhide it or "
                                "delete it (Lantu does not guess whether hidden rows are data)"))
    for c in sorted(scan.hidden_cols):
        if any(len(cells) >= c and cells[c - 1].strip() for cells in grid.values()):
            problems.append(Problem(name, None, _letters(c), "the column is hidden in the sheet; "
                                    "unhide it or delete it"))
    table = _table_from_rows(name, sorted(grid.items()), "xlsx")
    table.problems[:0] = problems
    return table


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _fill_merged(grid: dict[int, list[str]], merged: list[tuple[int, int, int, int]]) -> bool:
    """Give every cell of a merged range the value of its top-left cell (a region name merged
    over several year rows belongs to each of them). Ranges are clipped to the cells in use;
    returns False (and fills nothing more) once more than :data:`MAX_MERGED_CELLS` cells would
    be filled."""
    if not grid or not merged:
        return True
    last_row = max(grid)
    width = max(len(cells) for cells in grid.values())
    budget = MAX_MERGED_CELLS
    for ra, ca, rb, cb in merged:
        r1, r2, c1, c2 = min(ra, rb), min(max(ra, rb), last_row), min(ca, cb), min(max(ca, cb), width)
        top = grid.get(r1, [])
        value = top[c1 - 1] if len(top) >= c1 else ""
        if not value or r2 < r1 or c2 < c1:
            continue
        budget -= (r2 - r1 + 1) * (c2 - c1 + 1)
        if budget < 0:
            return False
        for r in range(r1, r2 + 1):
            cells = grid.setdefault(r, [])
            if len(cells) < c2:
                cells.extend([""] * (c2 - len(cells)))
            for c in range(c1, c2 + 1):
                if not cells[c - 1].strip():
                    cells[c - 1] = value
    for r in [r for r, cells in grid.items() if not any(c.strip() for c in cells)]:
        del grid[r]
    return True


def _choose_sheet(wb, zf: zipfile.ZipFile, name: str, sheet: str | None):
    """The sheet asked for; else the only visible sheet with data; else the only one whose
    header is recognised; else refuse, listing the sheets."""
    if sheet is not None:
        if sheet not in wb.sheetnames:
            _refuse(name, f"no sheet {sheet!r}; the sheets are {wb.sheetnames}")
        return wb[sheet]
    states = _sheet_states(zf)
    candidates = []
    for ws in wb.worksheets:
        if states.get(ws.title, "visible") != "visible":
            continue
        ws.reset_dimensions()  # a declared A1:XFD1048576 would pad every row
        head = []
        for row in ws.iter_rows(max_row=40, values_only=True):
            cells = ["" if v is None else _cell_text(v) for v in row]
            if any(c.strip() for c in cells):
                head.append(cells)
        if head:
            candidates.append((ws, any(_header_score(c) >= 2 for c in head)))
    if not candidates:
        _refuse(name, f"the workbook has no visible sheet with data (sheets: {wb.sheetnames})")
    if len(candidates) == 1:
        return candidates[0][0]
    recognised = [ws for ws, ok in candidates if ok]
    if len(recognised) == 1:
        return recognised[0]
    _refuse(name, f"the workbook has {len(candidates)} sheets with data "
                  f"{[ws.title for ws, _ in candidates]}; choose one with --sheet NAME")
    raise AssertionError  # unreachable


def _shown_text(cell: Any) -> str:
    """A cell as the sheet shows it, where that differs from the stored number: a number
    formatted as a percentage (stored 0.075, shown 7.5%) is ``7.5%``."""
    v = getattr(cell, "value", None)
    if v is None:
        return ""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) \
            and "%" in (getattr(cell, "number_format", None) or ""):
        return f"{scale_exactly(float(v), 100.0)!r}%"
    return _cell_text(v)


def _cell_text(v: Any) -> str:
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day).isoformat()
    return str(v)


# -- values --------------------------------------------------------------------------------------

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
_EXCEL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?$")
#: Chinese scale words a number may carry without a unit ("5.5万" = 55,000 of the unit).
SCALE_WORDS = {"万亿": 12, "亿": 8, "千万": 7, "百万": 6, "十万": 5, "万": 4, "千": 3, "百": 2}


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
        range, a spreadsheet error (``#DIV/0!``), a date, or a number that is not finite.

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
        return Quantity(float(text) + 0.0, "", repr(float(text)))
    s = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", str(text))).strip()
    if s.lower() in MISSING:
        return Quantity(None)
    if s.upper() in _EXCEL_ERRORS:
        raise ValueError(f"the cell holds the spreadsheet error {s.upper()}, not a number")
    if m := _EXCEL_DATE.match(s):
        raise ValueError(f"the cell is a date in the workbook (serial {_excel_serial(m):g}); "
                         "format the column as numbers")
    s = s.replace("−", "-").replace("–", "-").replace(" ", "").replace("\u2009", "")
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
    "source_quality": "source_quality", "来源质量": "source_quality", "来源类别": "source_quality",
    "source_published": "source_published", "published": "source_published",
    "source_file": "source_file", "来源文件": "source_file",
    "发布日期": "source_published",
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
    # every GB/T 2260 division (lantu.defaults.load_divisions): a code or an unambiguous name
    # of one is accepted even when the database does not hold the region yet
    divisions: dict[str, Region] = field(default_factory=dict)

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
        # names as they arrive after NFKC (full-width brackets) and without any blanks
        self._ind_loose = {_loose(name): c for name, c in self._ind_by_name.items()}
        self._region_loose = {_loose(name): c for name, c in self._region_by_name.items()}
        self._division_by_name = _unique_names(r for r in self.divisions.values()
                                               if r.code not in self.regions)
        self._seen_regions: dict[str, str | None] = {}
        self._seen_indicators: dict[str, str | None] = {}

    def region(self, text: str) -> str | None:
        """The region code a cell names (code, Chinese or English name), or None."""
        return _remembered(self._seen_regions, text, self._region)

    def indicator(self, text: str) -> str | None:
        """The indicator code a cell names (code, name or alias), or None."""
        return _remembered(self._seen_indicators, text, self._indicator)

    def _region(self, text: str) -> str | None:
        t = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text)).strip()
        if t.endswith(".0"):
            t = t[:-2]
        if t in self.regions or t in self.divisions:
            return t
        return (self._region_by_name.get(t) or self._region_by_name.get(t.lower())
                or self._region_loose.get(_loose(t)) or self._division_by_name.get(t))

    def _indicator(self, text: str) -> str | None:
        t = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text)).strip()
        if t in self.indicators:
            return t
        return (self._ind_by_name.get(t) or self._ind_by_name.get(t.lower())
                or self._ind_loose.get(_loose(t)))


def _unique_names(regions) -> dict[str, str]:
    """Chinese names (with and without 市/省/区/县) that name exactly one region."""
    seen: dict[str, set[str]] = {}
    for r in regions:
        names = {r.name_zh} | {r.name_zh[:-1] for sfx in "市省区县" if r.name_zh.endswith(sfx)
                               and len(r.name_zh) > 2}
        for n in names:
            seen.setdefault(n, set()).add(r.code)
    return {n: next(iter(c)) for n, c in seen.items() if len(c) == 1}


def _remembered(cache: dict[str, str | None], text: str, look_up) -> str | None:
    """Look a name up once per distinct text (a 100,000-row table names few regions)."""
    if text in cache:
        return cache[text]
    code = look_up(text)
    if len(cache) < 100_000:
        cache[text] = code
    return code


def _loose(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).lower()


def _canon(header: Sequence[str]) -> list[str | None]:
    return [_ALIASES.get(re.sub(r"\s+", " ", _INVISIBLE_RE.sub("", unicodedata.normalize(
        "NFKC", h))).strip().lower()) for h in header]


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

    def __init__(self, file: str, cat: Catalogue, default_unit: str = ""):
        self.file, self.cat, self.default_unit = file, cat, default_unit
        self.problems: list[Problem] = []
        self._periods: dict[str, Period | None] = {}
        self._flags: dict[str, frozenset[str]] = {}

    def problem(self, row: int | None, column: str | None, reason: str, value: Any = None) -> None:
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
            self.problem(row, col, str(exc).split(": ", 1)[-1] if exc.field is None else
                         "not a period (2023, 2023Q1 or 2023-03)", text)
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
    kept = []
    for line, cells in raw.rows:
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            rows.problem(line, None, f"row has {len(cells)} cells but the header has {width} "
                                     "(a delimiter inside a value that is not quoted?)")
        elif len(cells) < need:
            rows.problem(line, None, f"row has {len(cells)} cells but the header has {width} "
                                     "(a broken or cut-off row?)")
        elif (unicodedata.normalize("NFKC", cells[0]).strip().lower() in _ALIASES
              and _canon(cells) == canon):
            rows.problem(line, None, "the header is repeated here (two files joined?); delete "
                                     "this row")
        else:
            kept.append((line, cells + [""] * (width - len(cells))))
    raw.rows = kept


def parse_table(raw: RawTable, cat: Catalogue) -> ParsedTable:
    """Turn raw cells into observations and targets, or raise :class:`ImportRefused` listing
    every problem in the file."""
    canon = _canon(raw.header)
    rows = _Rows(raw.file, cat, raw.default_unit)
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
        rows.problem(raw.header_row, None, "header not recognised: need region_code, period, "
                     "indicator, value (long), or region + period + one column per indicator, or "
                     f"region + indicator + one column per year; missing {missing}",
                     ",".join(raw.header))
        raise ImportRefused(raw.file, rows.problems)
    _check_shape(raw, canon, layout, rows)
    parsed = parse(raw, canon, rows)
    _check_duplicates(parsed, rows)
    if rows.problems:
        raise ImportRefused(raw.file, rows.problems)
    return parsed


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
                           c.get("unit", ""), c.get("flags", ""), src, col["unit"])
        out.add(res, line)
    return out


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
        for i, h, ind, unit in value_cols:
            res = _observation(rows, line, h, region, period, ind, cells[i], unit,
                               c.get("flags", ""), src, h)
            out.add(res, line)
    return out


def _parse_wide_years(raw: RawTable, canon, rows: _Rows) -> ParsedTable:
    out = ParsedTable(raw.file, "wide-years", raw.encoding, raw.sha256)
    year_cols = [(i, h, rows.period(raw.header_row, h, _YEAR_HEADER.match(h.strip()).group(1)))
                 for i, h in enumerate(raw.header)
                 if _YEAR_HEADER.match(h.strip()) and not canon[i]]
    rcol, icol = _col(raw, canon, "region"), _col(raw, canon, "indicator")
    for line, cells in raw.rows:
        c = _cells(canon, cells)
        region = rows.region(line, rcol, c.get("region", ""))
        ind = rows.indicator(line, icol, c.get("indicator", ""))
        src = _source(rows, line, c, url=c.get("source_url", ""), file=_source_name(raw.file),
                      excerpt=c.get("excerpt", ""), note=c.get("note", ""))
        for i, h, period in year_cols:
            res = _observation(rows, line, h, region, period, ind, cells[i], c.get("unit", ""),
                               c.get("flags", ""), src, _col(raw, canon, "unit"))
            out.add(res, line)
    return out


_TARGET_KINDS = {"level", "annual_growth", "cumulative_change", "ceiling", "floor"}
_RANGE = re.compile(r"^\s*([+-]?[\d.]+)\s*[-–—~～至到]\s*([+-]?[\d.]+)\s*$")


def _target_from(rows: _Rows, line: int, c: dict[str, str], col, *, value_key: str,
                 kind_key: str, period_key: str, file: str, source_kind: str = "") -> Target | None:
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
    source = _source(rows, line, c, url=c.get("source_url", ""), file=_source_name(file),
                     excerpt=c.get("excerpt", ""), note=c.get("note", ""), kind=source_kind)
    if source is None:
        return None
    try:
        target = Target(region_code=region, indicator_code=ind.code, target_period=period, kind=kind,
                      value=value, value_high=high, qualifier=c.get("qualifier") or None,
                      binding=binding, base_period=base_period, base_value=base_value,
                      unit=ind.unit if kind in ("level", "ceiling", "floor") else unit,
                      plan=c.get("plan", ""), source=source)
    except ValidationError as exc:
        rows.problem(line, exc.field, str(exc).split(": ", 1)[-1])
        return None
    problems = gate.target_problems(target, ind)
    for name, reason in problems:
        rows.problem(line, col(name) if name in c else name, reason)
    return None if problems else target


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


_EXTRACT_TARGET_KIND = {"左右": "annual_growth", "以上": "floor", "以内": "ceiling"}


def _parse_kinds(raw: RawTable, canon, rows: _Rows) -> ParsedTable:
    """The review file of ``lantu extract``: rows of kind ``observed`` or ``target``."""
    out = ParsedTable(raw.file, "extract-review", raw.encoding, raw.sha256)

    def col(n: str) -> str:
        return _col(raw, canon, n)

    text = unescape_text if raw.encoding != "xlsx" else str  # CSV escapes "=…" (tabular)
    for line, cells in raw.rows:
        c = _cells(canon, cells + [""] * (len(raw.header) - len(cells)))
        kind = c.get("kind", "").strip()
        if kind == "observed":
            region = rows.region(line, col("region"), c.get("region", ""))
            period = rows.period(line, col("period"), c.get("period", ""))
            ind = rows.indicator(line, col("indicator"), c.get("indicator", ""))
            src = _source(rows, line, c, url=text(c.get("source_url", "")),
                          file=_source_name(raw.file), excerpt=text(c.get("excerpt", "")),
                          kind="report")
            res = _observation(rows, line, col("value"), region, period, ind, c.get("value", ""),
                               c.get("unit", ""), _extract_flags(c), src, col("unit"))
            out.add(res, line)
        elif kind == "target" or kind in _TARGET_KINDS:
            ind = rows.cat.indicator(c.get("indicator", ""))
            tkind = kind if kind in _TARGET_KINDS else _guess_target_kind(
                rows.cat.indicators.get(ind) if ind else None, c.get("qualifier"))
            c2 = dict(c, kind=tkind, target_period=c.get("target_period") or c.get("period", ""))
            t = _target_from(rows, line, c2, col, value_key="value", kind_key="kind",
                             period_key="target_period", file=raw.file, source_kind="report")
            if t is not None:
                out.targets.append(t)
        else:
            rows.problem(line, col("kind"), "kind must be observed or target", kind)
    return out


def _extract_flags(c: dict[str, str]) -> str:
    """Flags of an observed row of the review file: its own (``preliminary`` by default: a work
    report's figure) and the one its qualifier means (以内 → upper_bound …)."""
    from lantu.domain.observations import QUALIFIER_FLAGS

    flags = c.get("flags", "") or "preliminary"
    q = QUALIFIER_FLAGS.get(c.get("qualifier", "").strip())
    return f"{flags};{q}" if q else flags


def _guess_target_kind(ind: Indicator | None, qualifier: str | None) -> str:
    if ind is not None and ("growth" in ind.code or ind.code == "cpi"):
        return "annual_growth"
    if qualifier == "以内":
        return "ceiling"
    if qualifier in ("以上", "突破"):
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
