"""The first stage of reading a table a user brings: the file's bytes into a :class:`RawTable`
(CSV in UTF-8, UTF-8 with BOM or GBK; XLSX), within the limits that keep a hostile file from
exhausting the server (the limits are read from this module at each call, so a test may lower
them here), and the :class:`Problem` / :class:`ImportRefused` every stage reports with. Cell
values are read by :mod:`lantu.ingest.tables_values`, header rows found with
:mod:`lantu.ingest.tables_headers`; the layouts are :mod:`lantu.ingest.tables`."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lantu.domain import ValidationError
from lantu.domain.gate import CONTROL_CHARACTERS
from lantu.domain.indicators import SMALLEST, number_problem
from lantu.domain.packages import duplicate_part_problem, unreadable_part_problem
from lantu.domain.textcodec import shown_name
from lantu.errors import EXIT_REFUSED, EXIT_USAGE
from lantu.ingest.tables_cells import _cell_text, _shown_text, raised_runs, row_number_problem
from lantu.ingest.tables_headers import _YEAR_HEADER, _canon
from lantu.ingest.tables_values import _INVISIBLE_RE
from lantu.ingest.textio import Undecodable, decode_text
from lantu.locale import plural
from lantu.tabular import formula_links_out, formula_text

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
        where = shown_name(self.file)
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
        # a file that cannot be used as a whole — empty, of a type not read, undecodable,
        # a corrupt workbook: no row nor column is named — is a usage error (exit 2) as
        # docs/cli.md says and as `lantu extract` and `lantu plan parse` answer it; it exited 1
        # (probe16).
        # A rule that refused rows read exits 1.
        self.exit_code = (EXIT_USAGE if self.problems and all(
            p.row is None and p.column is None for p in self.problems) else EXIT_REFUSED)
        head = f"{shown_name(file)}: refused, {plural(len(self.problems), 'problem')}; nothing was imported"
        super().__init__(head + "\n" + "\n".join(f"  - {p}" for p in self.problems[:200])
                         + ("\n  …" if len(self.problems) > 200 else ""))

    def __reduce__(self):  # made again from its file and problems (a process hands it back)
        return (type(self), (self.file, self.problems))


# -- limits --------------------------------------------------------------------------------------

#: Largest file read at all (bytes on disk). Bigger tables: split them, or raise this limit.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Largest total size an XLSX workbook may unpack to (guards against zip bombs).
MAX_XLSX_UNPACKED_BYTES = 512 * 1024 * 1024
#: Largest shared-strings part (``xl/sharedStrings.xml``) a workbook may unpack to. openpyxl
#: holds every shared string in memory before the first row is read (88 MB of them: 420 MB and
#: 18 s, even when no cell uses them); this bounds that cost by what the largest accepted table
#: (:data:`MAX_ROWS` rows of ordinary text) needs. Bigger tables: CSV.
MAX_XLSX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
#: Most non-empty rows one table may have (bounds memory and time).
MAX_ROWS = 500_000
#: Most cells merged ranges of one sheet may fill.
MAX_MERGED_CELLS = 2_000_000
#: Most cells the rows of one sheet may span, counting the empty cells before each row's last
#: (a row holding one cell at column XFD is 16,384 cells wide once read): a 20 KB sheet of
#: 2,000 such rows took 24 s and 300 MB to read. The largest accepted table in the long format
#: (:data:`MAX_ROWS` rows of a dozen columns) spans 6 million.
MAX_XLSX_CELLS = 10_000_000
#: Most rows one sheet may hold, empty ones included: Excel's and WPS's own last row. Each row
#: costs its parse (13 µs) whether it holds a cell or not, and rows without a number
#: (``<row/>``) or numbered past the last are not bounded by anything else.
MAX_XLSX_ROWS = 1_048_576

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTROL = re.compile(f"[\x00{CONTROL_CHARACTERS}]")  # the gate's (lantu.domain.gate)
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
    #: (row, column index) of the workbook cells holding a number with a fraction (a CSV has
    #: none) → the cell's number format: ``2023.1`` there may be what Excel kept of a typed
    #: 2023.10, unless the format shows it as ``2023.10`` (``0.00``)
    fractions: dict[tuple[int, int], str] = field(default_factory=dict)
    #: what splits a CSV's cells ("" in a workbook): a comma can split an unquoted 5,571.17
    delimiter: str = ""
    #: how many cells the header's own line holds, empty ones after it included (a row with
    #: more, the extra ones empty, may be a number split by the comma that kept its width)
    header_cells: int = 0
    #: (row, column index) of the workbook cells a merged range down one column filled with
    #: its first cell's value → the range ("D2:D3"): a key may be merged down its rows (a region
    #: over its years), a figure may not (``tables._check_merged_values``)
    filled: dict[tuple[int, int], str] = field(default_factory=dict)


_ODD = re.compile("[\ufeff\u200b\u200c\u200d\u2060\u00ad\r]")


def _clean(text: str) -> str:
    """A cell as text: invisible marks (BOM, zero-width) removed, line ends made ``\\n``,
    surrounding blanks stripped."""
    if _ODD.search(text):
        text = _INVISIBLE_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """The text of a CSV table by the one rule of every text a user brings
    (:func:`lantu.ingest.textio.decode_text`), refused naming the file."""
    try:
        return decode_text(data)
    except Undecodable as exc:
        _refuse(name, exc.reason, row=exc.line)
        raise AssertionError from None  # unreachable


def read_raw(path: str | Path, *, sheet: str | None = None, name: str | None = None) -> RawTable:
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
    name = name or str(path)  # an upload's name, not where it was staged (probe25)
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
    record = ended = 0  # the records read, the text line the last one ended on
    formulas = '="' in text  # ="140100": a cell as the spreadsheet shows it (formula_text)
    try:
        for record, row in enumerate(reader, start=1):
            ended = reader.line_num
            if "".join(row).strip():
                if formulas:
                    row = [formula_text(c.strip()) if '="' in c else c for c in row]
                rows.append((record, row))
                if len(rows) > MAX_ROWS + 1:
                    _refuse(name, f"the table has more than {MAX_ROWS:,} rows; split it")
    except csv.Error as exc:
        msg = str(exc)
        hint = ("a quoted cell is never closed (a stray '\"'?)" if "end of data" in msg else
                _too_long(text, ended) if "field limit" in msg else
                "a quote in the middle of a cell, or text after a closing quote")
        # the csv module's own words (``',' expected after '"'``) are said by the hint
        _refuse(name, f"not a readable CSV (text line {reader.line_num}): {hint}", row=record + 1)
    if not rows:
        _refuse(name, "the file holds no rows of data: every line is empty")
    enc_label = enc if delim == "," else f"{enc}, {'tab' if delim == chr(9) else repr(delim)}"
    table = _table_from_rows(name, rows, enc_label, cleaned=True)
    table.delimiter = delim
    return table


def _too_long(text: str, ended: int) -> str:
    """Why a cell outgrew the limit: most often a quote opened and never closed, which took the
    rows after it into one cell — then named with the line it opened on (probe20: "a cell is
    too long" at line 4,898 of a file whose stray quote stood on line 2)."""
    start = 0
    for _ in range(ended):
        start = text.find("\n", start) + 1
    line = text[start:text.find("\n", start)]
    if '"' in line:
        return (f"a quoted cell opened on text line {ended + 1} is never closed: the lines after "
                "it ran into one cell, too long to be a value or an excerpt (a stray '\"'?)")
    return "a cell is too long to be a value or an excerpt"


def _header_score(cells: Sequence[str]) -> int:
    canon = _canon(cells)
    return sum(1 for c in canon if c) + sum(1 for h in cells if _YEAR_HEADER.match(h.strip()))


def _table_from_rows(name: str, rows: list[tuple[int, list[str]]], encoding: str, *,
                     cleaned: bool = False, sheet: str | None = None) -> RawTable:
    """Find the header (title lines and notes may stand above it), clean the cells, drop
    footnote lines below the data. ``cleaned``: invisible marks and ``\\r`` are gone already
    (a CSV text is cleaned as a whole). A recognised header with no row of data below it
    (blank lines and footnotes are none) is refused: the one place every table — CSV, a
    workbook's sheet, the fast lane's file (which leaves it to this reader) — says so."""
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
    if not body and sum(1 for c in _canon(header_cells) if c) >= 2:  # a header, not a guess
        where = "the file" if sheet is None else f"the sheet {sheet!r}"
        _refuse(name, f"{where} holds no rows of data below its header",
                row=header_line)
    return RawTable(name, header, body, encoding, default_unit=default_unit, problems=problems,
                    header_row=header_line, header_cells=len(header_cells))


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
    #: the sheet's rows are hidden unless given a height (``sheetFormatPr zeroHeight``):
    #: then only these rows are seen
    shown_rows: set[int] | None = None
    uncached: list[tuple[int, int, str]] = field(default_factory=list)  # row, col, formula
    #: formulas whose saved result comes from outside the file: another workbook
    #: (``[1]Sheet1!B2``) or another program (DDE, ``cmd|' /C calc'!A0``)
    linked: list[tuple[int, int, str]] = field(default_factory=list)  # row, col, formula
    #: cells written twice (``<c r="D2">`` two times: openpyxl keeps the last, Excel repairs the
    #: file; which one is the figure?)
    twice: list[tuple[int, int]] = field(default_factory=list)  # row, col


_DEFINED_NAME = re.compile(rb'<(?:\w+:)?definedName\b[^>]*\bname="([^"]+)"[^>]*>([^<]*)<')


def _linked_names(zf: zipfile.ZipFile) -> list[str]:
    """The workbook's defined names whose formula links out (``GDPX`` = ``[1]Sheet1!$B$2``):
    a cell ``=GDPX`` takes its value from there."""
    try:
        xml = zf.read("xl/workbook.xml")
    except KeyError:
        return []
    return [html.unescape(name.decode("utf-8", "replace"))
            for name, body in _DEFINED_NAME.findall(xml)
            if formula_links_out(html.unescape(body.decode("utf-8", "replace")))]


def _links_out(formula: str, names: list[str]) -> bool:
    """Whether a cell's formula links out itself or through a defined name that does."""
    return formula_links_out(formula) or any(
        re.search(rf"(?<![\w.]){re.escape(n)}(?![\w(])", formula) for n in names)


_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_SHUT_ROW = re.compile(rb'\bht="0*(?:\.0*)?"')  # ht="0", "0.0": a row no one sees
_SHUT_COL = re.compile(rb'\bwidth="0*(?:\.0*)?"')


def _scan_sheet_xml(xml: bytes, linked_names: list[str] | None = None) -> _SheetScan:
    scan = _SheetScan()
    names = linked_names or []
    refs = _CELL_REF_ATTR.findall(xml)
    if len(set(refs)) != len(refs):  # one pass of C; a cell given twice only then looked for
        seen: set[tuple[bytes, bytes]] = set()
        for ref in refs:
            if ref in seen:
                scan.twice.append((int(ref[1]), _col_index(ref[0].decode())))
            seen.add(ref)
    shared_linked: dict[bytes, str] = {}  # a shared formula's index: its linked master's text
    for a, b in re.findall(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+\d+):([A-Z]+\d+)"', xml):
        (c1, r1), (c2, r2) = (_CELL_REF.fullmatch(x.decode()).groups() for x in (a, b))
        scan.merged.append((int(r1), _col_index(c1), int(r2), _col_index(c2)))
    # hidden by the flag, or by a size no one sees: a row 0 points high, a column 0 characters
    # wide (what dragging a border shut writes; probe14: such a row and column were imported)
    if fmt := re.search(rb'<(?:\w+:)?sheetFormatPr\b[^>]*>', xml[:65536]):
        if re.search(rb'\bzeroHeight="(?:1|true)"', fmt.group()):  # every row shut by default
            scan.shown_rows = set()
            for tag in re.findall(rb'<(?:\w+:)?row\b[^>]*>', xml):
                if (re.search(rb'\bht="', tag) and not _SHUT_ROW.search(tag)
                        and not _HIDDEN.search(tag) and (m := re.search(rb'\br="(\d+)"', tag))):
                    scan.shown_rows.add(int(m.group(1)))
    if b'hidden="1"' in xml or b'hidden="true"' in xml or b'ht="0' in xml or b'width="0' in xml:
        for tag in re.findall(rb'<(?:\w+:)?row\b[^>]*>', xml):
            if _HIDDEN.search(tag) or _SHUT_ROW.search(tag):
                if m := re.search(rb'\br="(\d+)"', tag):
                    scan.hidden_rows.add(int(m.group(1)))
        for tag in re.findall(rb'<(?:\w+:)?col\b[^>]*>', xml):
            if not (_HIDDEN.search(tag) or _SHUT_COL.search(tag)):
                continue
            lo, hi = re.search(rb'\bmin="(\d+)"', tag), re.search(rb'\bmax="(\d+)"', tag)
            if lo and hi:
                scan.hidden_cols.update(range(int(lo.group(1)), min(int(hi.group(1)), 16384) + 1))
    if b"<f" in xml or b":f>" in xml:
        for attrs, body in re.findall(rb"<(?:\w+:)?c\b([^>/]*)>(.*?)</(?:\w+:)?c>", xml, re.S):
            if b"<f" not in body and b":f" not in body:
                continue
            cached = re.search(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>", body)
            is_str = re.search(rb'\bt="str"', attrs)
            ref = re.search(rb'\br="([A-Z]+)(\d+)"', attrs)
            found = re.search(rb"<(?:\w+:)?f\b[^>]*>([^<]*)<", body)
            formula = html.unescape((found.group(1) if found else b"").decode("utf-8", "replace"))
            shared = re.search(rb'<(?:\w+:)?f\b[^>]*\bt="shared"[^>]*\bsi="(\d+)"', body) or \
                re.search(rb'<(?:\w+:)?f\b[^>]*\bsi="(\d+)"[^>]*\bt="shared"', body)
            linked = _links_out(formula, names)
            if shared is not None:  # the cells of a shared formula hold only its index
                if linked:
                    shared_linked[shared.group(1)] = formula
                elif not formula and shared.group(1) in shared_linked:
                    formula, linked = shared_linked[shared.group(1)], True
            if ref is None:
                continue
            where = (int(ref.group(2)), _col_index(ref.group(1).decode()), formula)
            if cached is None or (not cached.group(1) and not is_str):
                scan.uncached.append(where)
            elif linked:
                scan.linked.append(where)
    return scan


def _maybe_misread(v: Any) -> bool:
    """A number cell whose value may not be what it stores: a float 0 (written ``1E-400``,
    which the parser reads as 0, or ``0.0``) or a subnormal."""
    return type(v) is float and (v == 0 or abs(v) < SMALLEST)


_CELL_XML = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b([^>]*?)(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?c>)",
                       re.S)
_CELL_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v>([^<]*)</")
_CELL_REF_ATTR = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')


def stored_numbers(xml: bytes, cells: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The text a sheet's XML stores for the number cells ``cells`` (row, 1-based column)
    whose value the parser misread — a number nearer 0 than the smallest normal double, which
    openpyxl (``float``) reads as 0 (``1E-400``) or as a subnormal — as written, so the one
    number rule (:func:`lantu.domain.indicators.number_problem`) sees the text, as it does in a
    CSV: ``{(row, column): text}`` of those that break it. THE reader of a stored number's
    text, asked by the import (:func:`_read_xlsx`) and by the review sheets of the command
    line (:func:`lantu.tabular.read_sheet`); nothing is read unless such a cell was met."""
    if not cells or not xml:
        return {}
    out: dict[tuple[int, int], str] = {}
    for m in _CELL_XML.finditer(xml):
        ref = _CELL_REF_ATTR.search(m.group(1))
        if ref is None or (key := (int(ref.group(2)), _col_index(ref.group(1).decode()))) \
                not in cells:
            continue
        value = _CELL_VALUE.search(m.group(2) or b"")
        text = value.group(1).decode("ascii", "replace").strip() if value else ""
        try:
            number = float(text)
        except ValueError:
            continue
        if number_problem(text, number):
            out[key] = text
        if len(out) == len(cells):
            break
    return out


_NUMBER_TEXT = re.compile(rb"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*")
_CELL_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')


def not_numbers(xml: bytes, name: str) -> list[Problem]:
    """The number cells of a sheet's XML whose stored text is no number (``NaN``, ``INF``,
    ``5571.17亿``: what a program, never Excel, writes; openpyxl stops at the first with a bare
    ``ValueError``), one problem each naming the cell. Asked only when the sheet could not be
    read, so a good workbook costs nothing."""
    out: list[Problem] = []
    for m in _CELL_XML.finditer(xml or b""):
        kind = _CELL_TYPE.search(m.group(1))
        if kind is not None and kind.group(1) != b"n":
            continue
        value = _CELL_VALUE.search(m.group(2) or b"")
        ref = _CELL_REF_ATTR.search(m.group(1))
        if value is None or ref is None or _NUMBER_TEXT.fullmatch(value.group(1)):
            continue
        text = value.group(1).decode("utf-8", "replace")
        out.append(Problem(name, int(ref.group(2)), ref.group(1).decode(), "a number cell "
                           "that stores no number (written by a program, not by Excel or WPS); "
                           "type the figure again and save the file", _short(text)))
    return out


def _shared_strings_parts(zf: zipfile.ZipFile, infos) -> set[str]:
    """The parts holding shared strings, found as openpyxl finds them: by their content type
    in ``[Content_Types].xml`` (any name will do), plus the usual ``xl/sharedStrings.xml``."""
    parts = {"xl/sharedStrings.xml"}
    types = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
    if types is not None and types.file_size <= 1024 * 1024:
        text = zf.read(types).decode("utf-8", "replace")
        for m in re.finditer(r"<Override\b[^>]*>", text):
            tag = m.group(0)
            part = re.search(r'PartName="/?([^"]+)"', tag)
            if part and "sharedStrings" in tag:
                parts.add(part.group(1))
    return parts


#: the namespace of Strict Open XML (ISO/IEC 29500 strict): openpyxl finds no sheet in it
_STRICT = b"http://purl.oclc.org/ooxml/spreadsheetml/main"


def xlsx_package_problem(zf: zipfile.ZipFile) -> str | None:
    """Why the zip archive ``zf`` may not be opened as a workbook, or None: THE guard of every
    workbook Lantu reads (an imported table, a review sheet on the command line:
    :func:`lantu.tabular.read_sheet`), asked of the archive's directory before anything is
    unpacked — not an XLSX package, unpacking to more than :data:`MAX_XLSX_UNPACKED_BYTES`, or
    shared strings over :data:`MAX_XLSX_SHARED_STRINGS_BYTES` (zip bombs), or a part given twice
    (:func:`lantu.domain.packages.duplicate_part_problem`)."""
    infos = zf.infolist()
    names = {i.filename for i in infos}
    if why := duplicate_part_problem(infos) or unreadable_part_problem(infos):  # twice: which?
        return why
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        return ("a zip archive, but not an XLSX workbook (unzip it, or save the table from "
                "Excel or WPS as .xlsx)")
    if "xl/workbook.bin" in names and "xl/workbook.xml" not in names:
        return ("an .xlsb workbook (Excel's binary format), not XLSX; open it in Excel or WPS "
                "and save it as .xlsx (Excel 工作簿)")
    if "xl/workbook.xml" in names and _STRICT in zf.open("xl/workbook.xml").read(4096):
        return ("a Strict Open XML workbook (Excel's \"Strict Open XML Spreadsheet\"), which is "
                "not read; open it in Excel or WPS and save it as an ordinary .xlsx (Excel 工作簿)")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        return (f"the workbook unpacks to {unpacked / 2**20:.0f} MiB, over the limit of "
                f"{MAX_XLSX_UNPACKED_BYTES / 2**20:.0f} MiB (refused: it could be a zip bomb); "
                "split it into smaller files")
    sst = [i for i in infos if i.filename in _shared_strings_parts(zf, infos)]
    shared = sum(i.file_size for i in sst)
    if shared > MAX_XLSX_SHARED_STRINGS_BYTES:
        return (f"the workbook's shared strings unpack to {shared / 2**20:.0f} MiB, over the "
                f"limit of {MAX_XLSX_SHARED_STRINGS_BYTES / 2**20:.0f} MiB (refused: it could "
                "be a zip bomb); save the table as CSV")
    if shared > _SST_COUNTED_FROM:  # more entries than the sheets could use: each costs openpyxl
        # about 12 µs before the first row (probe18: 3,000,000 of them, a 60 KB file, 38–76 s)
        # a cell takes 20 bytes of a sheet's XML at least (``<c r="A1" t="s"><v>0</v></c>``: 27)
        cells = sum(i.file_size for i in infos if i.filename.startswith("xl/worksheets/")) // 20
        entries = _count_in_part(zf, sst, b"<si")
        if entries > max(cells, MAX_ROWS):
            return (f"the workbook's shared strings hold {entries:,} entries, more than its "
                    f"sheets can use (at most {cells:,} cells); refused: reading them would take "
                    "minutes (it could be a bomb); save the table again in Excel or WPS, or as CSV")
    return None


#: shared strings past this size are counted before openpyxl reads them (a few ms a MiB)
_SST_COUNTED_FROM = 4 * 1024 * 1024
def shared_index_cells(xml: bytes, entries: int, name: str) -> list[Problem]:
    """The text cells (``t="s"``) of a sheet whose index is past the ``entries`` shared strings
    the workbook holds, or negative: openpyxl stops at the first with "IndexError" (probe20)."""
    out = []
    for ref, index in re.findall(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3}[0-9]+)"[^>]*?\bt="s"[^>]*>'
                                 rb'\s*<(?:\w+:)?v>\s*(-?[0-9]+)\s*<', xml):
        if not 0 <= int(index) < entries and (m := _CELL_REF.fullmatch(ref.decode())):
            col, row = m.groups()
            out.append(Problem(name, int(row), col, f"a text cell points at shared string {int(index)}, "
                               f"but the workbook holds {entries:,}; the file was written by a "
                               "program, not by Excel or WPS: open it in Excel or WPS and save it again"))
    return out


def _count_in_part(zf: zipfile.ZipFile, parts: list, needle: bytes) -> int:
    """How often ``needle`` occurs in the unpacked ``parts``, read 1 MiB at a time."""
    total = 0
    for info in parts:
        tail = b""
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 20):
                block = tail + chunk
                total += block.count(needle)
                tail = block[-(len(needle) - 1):]  # too short to hold one: never counted twice
    return total


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
    if reason := xlsx_package_problem(zf):
        _refuse(name, reason)
    try:
        wb = load_workbook(io.BytesIO(raised_runs(data)), read_only=True, data_only=True)  # 5571.17¹
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on bad packages
        _refuse(name, corrupt.format(exc.__class__.__name__))
        raise AssertionError from None  # unreachable
    try:
        ws = _choose_sheet(wb, zf, name, sheet)
        path = getattr(ws, "_worksheet_path", None)
        xml = zf.read(path) if path in names else b""
        if reason := row_number_problem(xml):
            _refuse(name, f"sheet {ws.title!r}: {reason}")
        scan = _scan_sheet_xml(xml, _linked_names(zf)) if xml else _SheetScan()
        grid: dict[int, list[str]] = {}
        fractions: dict[tuple[int, int], str] = {}
        tiny: set[tuple[int, int]] = set()  # numbers read as 0 or a subnormal: what is written?
        for i, row in enumerate(sheet_rows(ws), start=1):
            cells = [_shown_text(c) for c in row]
            if any(c.strip() for c in cells):
                grid[i] = cells
                tiny.update((i, j) for j, c in enumerate(row) if _maybe_misread(c.value))
                fractions.update(((i, j), getattr(c, "number_format", None) or "")
                                 for j, c in enumerate(row)
                                 if type(c.value) is float and not c.value.is_integer())
                if len(grid) > MAX_ROWS + 1:
                    _refuse(name, f"the sheet has more than {MAX_ROWS:,} rows; split it")
    except ImportRefused:
        raise
    except WideSheet as exc:
        _refuse(name, str(exc), row=exc.row)
    except Exception as exc:  # noqa: BLE001 - a damaged part can break openpyxl in many ways
        sheets = [n for n in sorted(names) if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        if bad := [p for n in sheets for p in not_numbers(zf.read(n), name)]:
            raise ImportRefused(name, bad) from None  # <v>NaN</v>: the cell named (probe18)
        for n in sheets:  # r="abc": the row named as written (probe20)
            if reason := row_number_problem(zf.read(n)):
                _refuse(name, f"{n.rsplit('/', 1)[-1]}: {reason}")
        sst = [i for i in infos if i.filename in _shared_strings_parts(zf, infos)]
        entries = _count_in_part(zf, sst, b"<si")
        if bad := [p for n in sheets for p in shared_index_cells(zf.read(n), entries, name)]:
            raise ImportRefused(name, bad) from None  # t="s" <v>999</v>: the cell named
        _refuse(name, corrupt.format(exc.__class__.__name__))
        raise AssertionError from None  # unreachable
    finally:
        wb.close()
    for (i, j), text in stored_numbers(xml, {(i, j + 1) for i, j in tiny}).items():
        grid[i][j - 1] = text  # 1E-400 as written: the number rule refuses it as in a CSV
    if not grid:
        _refuse(name, f"the sheet {ws.title!r} holds no rows of data: it is empty")
    filled: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    if not _fill_merged(grid, scan.merged, filled):
        _refuse(name, f"the sheet merges more than {MAX_MERGED_CELLS:,} cells; unmerge them "
                      "(Excel: 合并后居中 → 取消单元格合并) and fill the values in")
    problems = []
    for r, c, formula in scan.uncached:
        problems.append(Problem(name, r, _letters(c), "a formula with no saved result (the "
                                "program that wrote the file did not calculate it); open the file "
                                "in Excel or WPS and save it again", f"={formula}"))
    for r, c, formula in scan.linked:
        problems.append(Problem(name, r, _letters(c), "the value comes from a link to another "
                                "workbook or program (its saved copy is not this file's figure); "
                                "paste it as a value (选择性粘贴 → 数值) and save the file again",
                                f"={formula}"))
    for r, c in scan.twice:
        problems.append(Problem(name, r, _letters(c), "the sheet's XML gives this cell twice (the "
                                "file was written by a program, and readers differ on which copy "
                                "counts); open the file in Excel or WPS and save it again"))
    shut = set(grid) - scan.shown_rows if scan.shown_rows is not None else set()
    for r in sorted((scan.hidden_rows | shut) & set(grid)):
        problems.append(Problem(name, r, None, "the row is hidden in the sheet; unhide it or "
                                "delete it (Lantu does not guess whether hidden rows are data)"))
    for c in sorted(scan.hidden_cols):
        if any(len(cells) >= c and cells[c - 1].strip() for cells in grid.values()):
            problems.append(Problem(name, None, _letters(c), "the column is hidden in the sheet; "
                                    "unhide it or delete it"))
    table = _table_from_rows(name, sorted(grid.items()), "xlsx", sheet=ws.title)
    problems += _merged_across(name, filled, grid, table)
    table.problems[:0] = problems
    table.fractions = fractions
    table.filled = {(r, c - 1): f"{_letters(c1)}{r1}:{_letters(c2)}{r2}"
                    for (r, c), (r1, c1, r2, c2) in filled.items() if c1 == c2}
    return table


class WideSheet(ValidationError):
    """A sheet whose rows span more than :data:`MAX_XLSX_CELLS` cells, or that holds more rows
    than :data:`MAX_XLSX_ROWS` (:func:`sheet_rows`); each reader turns it into its own refusal,
    naming the file."""

    def __init__(self, row: int | None, width: int) -> None:
        if width < 0:  # too many rows
            super().__init__(f"the sheet holds more than {MAX_XLSX_ROWS:,} rows, the most a "
                             "sheet can have (rows without a number, or numbered past the "
                             "last); save the table again from Excel or WPS, or as CSV")
        else:
            super().__init__(f"the sheet's rows span more than {MAX_XLSX_CELLS:,} cells (row "
                             f"{row} reaches column {_letters(width)}); delete the columns "
                             "right of the table, or save it as CSV")
        self.row = row


def sheet_rows(ws, *, values_only: bool = False) -> Iterator[tuple]:
    """The rows of a read-only openpyxl sheet, the one way Lantu walks a sheet (an imported
    table, a review sheet on the command line): its declared size is not trusted (a
    ``<dimension ref="A1:XFD1048576"/>`` would pad every row to 16,384 cells), and
    :class:`WideSheet` is raised once the rows span more than :data:`MAX_XLSX_CELLS` cells —
    counted before a row's cells are looked at (openpyxl pads a row up to its last cell) — or
    when the sheet holds more than :data:`MAX_XLSX_ROWS` rows, empty ones included, counted in
    its XML before the walk and as the walk goes (a 31 KB workbook of 3 million ``<row/>``
    elements without numbers took 24 s; the 512 MiB a workbook may unpack to hold 90 million of
    them)."""
    ws.reset_dimensions()
    if _row_elements(ws) > MAX_XLSX_ROWS:  # rows parsed, yielded or not
        raise WideSheet(None, -1)
    spanned = 0
    for i, row in enumerate(ws.iter_rows(values_only=values_only), start=1):
        spanned += len(row)
        if spanned > MAX_XLSX_CELLS:
            raise WideSheet(i, len(row))
        if i > MAX_XLSX_ROWS:  # empty rows cost no cell but each its parse
            raise WideSheet(i, -1)
        yield row


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?row[\s/>]")


def _row_elements(ws) -> int:
    """How many row elements the sheet's XML holds (or some more than :data:`MAX_XLSX_ROWS`),
    counted in the unpacked stream a megabyte at a time (0 when the sheet is not read from a
    package): openpyxl parses every one, but yields
    one row for a run of repeated or falling numbers (``<row r="3"/>`` two million times: 14 s,
    two rows)."""
    archive, part = getattr(ws.parent, "_archive", None), getattr(ws, "_worksheet_path", None)
    if archive is None or part is None:
        return 0
    count, tail = 0, b""
    with archive.open(part) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            cut = max(len(data) - 64, 0)  # a tag across the cut is counted where it starts
            count += sum(1 for m in _ROW_TAG.finditer(data) if m.start() < cut)
            tail = data[cut:]
            if count > MAX_XLSX_ROWS:
                return count  # enough to refuse: the rest is not read
    return count + len(_ROW_TAG.findall(tail))


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _fill_merged(grid: dict[int, list[str]], merged: list[tuple[int, int, int, int]],
                 filled: dict[tuple[int, int], tuple[int, int, int, int]] | None = None) -> bool:
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
                    if filled is not None:  # which cell a range gave its value to (1-based)
                        filled[(r, c)] = (r1, c1, r2, c2)
    for r in [r for r, cells in grid.items() if not any(c.strip() for c in cells)]:
        del grid[r]
    return True


def _merged_across(name: str, filled: dict[tuple[int, int], tuple[int, int, int, int]],
                   grid: dict[int, list[str]], table: RawTable) -> list[Problem]:
    """A range merged across columns that gave its value to another column's cell of the header
    or the data: each column of a table has its own meaning, so the one value would stand in
    each of them — a figure merged over the cells of 2022 and 2023 was imported for both
    years, a header merged over two columns made the second the first's duplicate (probe14).
    A merge down one column (a region over its years), a title above the header and a range
    whose other cells hold values of their own (a program's, not Excel's, which empties them)
    stay read."""
    rows = {table.header_row} | {line for line, _ in table.rows}
    ranges = sorted({rng for (r, c), rng in filled.items() if rng[1] != rng[3] and r in rows})
    out = []
    for r1, c1, r2, c2 in ranges:
        out.append(Problem(name, r1, _letters(c1), f"the cells {_letters(c1)}{r1}:"
                           f"{_letters(c2)}{r2} are merged across columns, so one value would "
                           "stand in each column; unmerge them (取消单元格合并) and give each cell "
                           "its own value", grid.get(r1, [""] * c1)[c1 - 1]))
    return out


def _choose_sheet(wb, zf: zipfile.ZipFile, name: str, sheet: str | None):
    """The sheet asked for; else the only visible sheet with data; else the only one whose
    header is recognised; else refuse, listing the sheets."""
    if sheet is not None:
        if sheet not in wb.sheetnames:
            _refuse(name, f"no sheet {sheet!r}; the sheets are {wb.sheetnames}")
        if sheet not in [ws.title for ws in wb.worksheets]:  # a chart sheet holds no cells
            _refuse(name, f"the sheet {sheet!r} is a chart, not a table; the tables are "
                          f"{[ws.title for ws in wb.worksheets]}")
        return wb[sheet]
    states = _sheet_states(zf)
    candidates = []
    for ws in wb.worksheets:
        if states.get(ws.title, "visible") != "visible":
            continue
        ws.reset_dimensions()  # a declared A1:XFD1048576 would pad every row
        if _row_elements(ws) > MAX_XLSX_ROWS:  # its first rows could be parsed from all of them
            raise WideSheet(None, -1)
        head = []
        for row in ws.iter_rows(max_row=40, values_only=True):
            cells = ["" if v is None else _cell_text(v) for v in row]
            if any(c.strip() for c in cells):
                head.append(cells)
        if head:
            candidates.append((ws, any(_header_score(c) >= 2 for c in head)))
    if not candidates:
        hidden = [t for t in wb.sheetnames if states.get(t, "visible") != "visible"]
        _refuse(name, f"the workbook has no visible sheet with data (sheets: {wb.sheetnames})"
                + (f"; hidden: {hidden} — unhide the sheet that holds the table, or name it "
                   "with --sheet" if hidden else ""))
    if len(candidates) == 1:
        return candidates[0][0]
    recognised = [ws for ws, ok in candidates if ok]
    if len(recognised) == 1:
        return recognised[0]
    _refuse(name, f"the workbook has {len(candidates)} sheets with data "
                  f"{[ws.title for ws, _ in candidates]}; choose one with --sheet NAME")
    raise AssertionError  # unreachable
