"""Writing tables that hold user text safely: CSV and XLSX that a spreadsheet will not run.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or TAB, CR, LF, or the full-width
``＝ ＋ － ＠``) is a formula to Excel and WPS when they open a CSV file ("CSV injection": ``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``),
and so is one where only blanks or invisible characters stand before them (a spreadsheet told
to trim blanks on import, or a user deleting them, finds the formula). Lantu
writes such text with a leading apostrophe in CSV (:func:`escape_text`) and the importer takes
it off again (:func:`unescape_text`), so an export imports back unchanged. In XLSX every text
is written as a string cell (openpyxl would otherwise store text starting with ``=`` as a
formula), and characters XML cannot hold are replaced.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd

#: what makes a cell a formula when it leads: ``= + - @``, TAB, CR and LF (OWASP; a quoted
#: cell may start with a line break), and every character that is one of ``= + - @`` once its
#: compatibility form is undone (NFKC): the full-width ``＝ ＋ － ＠`` (what a Chinese input
#: method types, and what a spreadsheet in an East Asian locale reads as the ASCII ones), the
#: small ``﹦ ﹢ ﹣ ﹫``, super- and subscript ``⁼ ⁺ ₌ ₊`` and the Hebrew alternative plus
_LEADERS = ("=+\\-@\t\r\n\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u207a\u207c"
            "\u208a\u208c\ufb29")
#: what may stand before a leader and still leave it leading: every blank (``\s``: space, NBSP,
#: the ideographic space U+3000, U+2000-U+200A, U+2028/9, U+0085, U+001C-U+001F) and the
#: characters that show nothing (zero-width space, joiners, word joiner, BOM, soft hyphen,
#: direction marks and other format characters, Hangul fillers, variation selectors)
_BLANKS = ("\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
           "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb\uffa0"
           "\U0001d173-\U0001d17a\U000e0000-\U000e0fff")
_RISKY = re.compile(f"^'*[{_BLANKS}]*[{_LEADERS}]")
_ESCAPED = re.compile(f"^'+[{_BLANKS}]*[{_LEADERS}]")
#: what ends a row of every CSV file Lantu writes (RFC 4180): Python's writer quotes a cell
#: holding a character of the row end, and a spreadsheet ends a row at a bare CR or LF, so
#: both must be in it for a line break inside a cell to stay inside its (quoted) cell
ROW_END = "\r\n"
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape_text(text: str) -> str:
    """Text made safe for a CSV cell: a leading apostrophe before ``= + - @`` TAB CR LF and
    ``＝ ＋ － ＠``, also when blanks or invisible characters stand before them (and before
    apostrophes already standing there, so the mapping can be undone exactly).

    Examples
    --------
    >>> escape_text("=1+1"), escape_text("'=1+1"), escape_text("GDP")
    ("'=1+1", "''=1+1", 'GDP')
    >>> escape_text("\\u3000 =1+1"), escape_text("\\u200b\\xa0@SUM(A1)"), escape_text(" a-b")
    ("'\\u3000 =1+1", "'\\u200b\\xa0@SUM(A1)", ' a-b')
    >>> unescape_text(escape_text("'=1+1"))
    "'=1+1"
    """
    return "'" + text if _RISKY.match(text) else text


def unescape_text(text: str) -> str:
    """Undo :func:`escape_text` (one leading apostrophe before ``= + - @``, blanks allowed)."""
    return text[1:] if _ESCAPED.match(text) else text


#: a CSV cell written as a formula of one string, ``="140100"`` (what Excel and statistics
#: systems write to keep a code's leading zeros, or a number as text): its text, a doubled
#: quote standing for one
_STRING_FORMULA = re.compile(r'="((?:[^"]|"")*)"')


#: a string literal of a spreadsheet formula (``""`` is a quote inside it)
FORMULA_STRING = re.compile(r'"(?:[^"]|"")*"')
#: a formula that calls another program or the network: a DDE reference ``app|topic!item``,
#: ``WEBSERVICE``, ``RTD``, ``CALL``, ``REGISTER``, ``EXEC`` (looked for outside string literals)
_CALLING_FORMULA = re.compile(r"\|\s*'|\|\s*\w|\b(WEBSERVICE|RTD|CALL|REGISTER(?:\.ID)?|EXEC)\s*\(",
                              re.IGNORECASE)
#: a reference to another workbook: ``[1]Sheet1!B2`` (how a file stores it), ``[a.xlsx]S!A1``
_EXTERNAL_REFERENCE = re.compile(r"\[\d+\]|\[[^\]\[]+\.xl\w*\]", re.IGNORECASE)


def formula_calls_out(formula: str) -> bool:
    """THE rule of a formula that calls another program or the network when the workbook is
    opened (evidence holding one is refused, ``lantu.store.active``; an imported figure is not
    read from one, :func:`formula_links_out`)."""
    return bool(_CALLING_FORMULA.search(FORMULA_STRING.sub('""', formula)))


def formula_links_out(formula: str) -> bool:
    """Whether a formula's result comes from outside its workbook: it calls out
    (:func:`formula_calls_out`) or refers to another workbook — its saved result is a copy
    taken when the file was last opened there, or whatever the file's author wrote."""
    return formula_calls_out(formula) or bool(
        _EXTERNAL_REFERENCE.search(FORMULA_STRING.sub('""', formula)))


def formula_text(cell: str) -> str:
    """The text a CSV cell ``="…"`` shows in a spreadsheet (``="140100"`` → ``140100``), the
    cell itself otherwise: the one way Lantu reads such a cell, asked for every cell of a CSV
    table. Only a single string literal is read; any other formula (``=1+1``,
    ``="a"&"b"``, ``=HYPERLINK(…)``) stays the text it is and is never evaluated. Text that
    :func:`unescape_text` would change keeps a leading apostrophe, so a column that is
    unescaped afterwards (links, excerpts) gets the text the formula shows and no less.

    Examples
    --------
    >>> formula_text('="140100"'), formula_text('=" 2023-03 "'), formula_text('="a""b"')
    ('140100', '2023-03', 'a"b')
    >>> formula_text("=1+1"), formula_text('="a"&"b"')
    ('=1+1', '="a"&"b"')
    >>> cell = '="' + "'=1" + '"'  # ="'=1": the spreadsheet shows '=1
    >>> formula_text(cell), unescape_text(formula_text(cell))
    ("''=1", "'=1")
    """
    if not cell.startswith('="') or not (m := _STRING_FORMULA.fullmatch(cell)):
        return cell
    text = m.group(1).replace('""', '"').strip()
    return "'" + text if _ESCAPED.match(text) else text


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def csv_frame(df: pd.DataFrame | pd.Series, text_columns: Iterable[str] | None = None, *,
              na_rep: str = "", index: bool = False, float_format: str | None = None) -> str:
    """A DataFrame as CSV, with text cells escaped (:func:`escape_text`).

    Parameters
    ----------
    df : DataFrame
        The table to write.
    text_columns : iterable of str, optional
        Columns holding free text; default: every column that is not numeric or boolean.
    na_rep : str, default ""
        What a missing cell is written as (COINr's inputs: ``NA``).
    index : bool, default False
        Write the index as the first column (its labels and name escaped as any text cell).
    float_format : str, optional
        How floats are written (the index commands: ``%.17g``, exact).

    Returns
    -------
    str
        The CSV text (header first, no index).

    Examples
    --------
    >>> csv_frame(pd.DataFrame({"excerpt": ["=2+3"], "value": [-1.5]}))
    "excerpt,value\\r\\n'=2+3,-1.5\\r\\n"
    >>> csv_frame(pd.DataFrame({"title": ["x\\r=1+1"]})).splitlines()[1]  # one cell, quoted
    '"x'
    """
    # a Series is written as its one column (the index commands' statistics: probe23)
    out = df.to_frame() if isinstance(df, pd.Series) else df.copy()
    cols = list(text_columns) if text_columns is not None else [
        c for c in out.columns if not pd.api.types.is_numeric_dtype(out[c])
        and not pd.api.types.is_bool_dtype(out[c])]
    for c in cols:
        out[c] = out[c].map(lambda v: escape_text(v) if _is_text(v) else v)
    # the header row too: a column named by data (an indicator's code in COINr's iData)
    out.columns = [escape_text(c) if _is_text(c) else c for c in out.columns]
    if index and not isinstance(out.index, pd.MultiIndex):  # a unit's or an indicator's code as the index (the index commands, probe23)
        out.index = out.index.map(lambda v: escape_text(v) if _is_text(v) else v)
        out.index.name = escape_text(out.index.name) if _is_text(out.index.name) else out.index.name
    # rows end in "\r\n" (as in :func:`csv_rows`): the writer quotes a cell holding either
    # character, so a line break inside a cell never starts a row of its own ("x\r=cmd|…"
    # written bare would be a row starting with a formula)
    return out.to_csv(index=index, na_rep=na_rep, lineterminator=ROW_END, float_format=float_format)


def csv_rows(rows: Iterable[Sequence[Any]]) -> str:
    """Rows (header first) as CSV text, every text cell escaped (:func:`escape_text`): the one
    way Lantu writes a list of rows as CSV.

    Examples
    --------
    >>> csv_rows([["excerpt", "n"], ["=SUM(A1)", 2]]).splitlines()
    ['excerpt,n', "'=SUM(A1),2"]
    """
    import csv

    buf = io.StringIO()
    csv.writer(buf, lineterminator=ROW_END).writerows(
        [escape_text(v) if _is_text(v) else v for v in row] for row in rows)
    return buf.getvalue()


def xml_safe(text: str) -> str:
    """``text`` with what XML cannot carry (C0 control characters other than TAB, LF, CR) shown
    as U+FFFD: the one guard of every Office document Lantu writes (XLSX cells, Word
    paragraphs), for text stored before the gate refused such characters."""
    return _ILLEGAL_XML.sub("\ufffd", text) if _ILLEGAL_XML.search(text) else text


def set_text_cell(cell, value: Any) -> None:
    """Put a value into an openpyxl cell; text always stays text, never a formula."""
    if _is_text(value):
        cell.value = xml_safe(value)
        cell.data_type = "s"
    else:
        cell.value = value


def xlsx_frame(df: pd.DataFrame, sheet: str, *, widths: bool = True) -> bytes:
    """A DataFrame as an XLSX workbook of one sheet, every text written as a string cell.

    Parameters
    ----------
    df : DataFrame
        The table to write (index dropped).
    sheet : str
        Name of the sheet.
    widths : bool
        Size the columns to their content (up to 60 characters).

    Returns
    -------
    bytes
        The workbook.

    Examples
    --------
    >>> import openpyxl
    >>> data = xlsx_frame(pd.DataFrame({"excerpt": ["=1+1"]}), "s")
    >>> openpyxl.load_workbook(io.BytesIO(data))["s"]["A2"].value
    '=1+1'
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    write_rows(ws, [list(map(str, df.columns))] + df.astype(object).where(df.notna(), None)
               .values.tolist())
    ws.freeze_panes = "A2"
    if widths:
        for col in ws.iter_cols(max_row=min(ws.max_row, 200)):
            width = max(len(str(c.value or "")) for c in col)
            ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width + 2))
    return save_exact(wb)


@contextmanager
def _exact_floats() -> Iterator[None]:
    """openpyxl writes numbers with ``%.16g``, which changes some floats in their 17th digit
    (an exported value would then come back as a revision); write them with ``repr`` instead,
    the shortest text that reads back as the same float."""
    from openpyxl.cell import _writer

    original = _writer.safe_string

    def exact(value: Any) -> str:
        if isinstance(value, float) and math.isfinite(value):
            return repr(value)
        return original(value)

    _writer.safe_string = exact
    try:
        yield
    finally:
        _writer.safe_string = original


def save_exact(wb) -> bytes:
    """Save an openpyxl workbook to bytes with every float written exactly."""
    buf = io.BytesIO()
    with _exact_floats():
        wb.save(buf)
    return buf.getvalue()


def write_rows(ws, rows: Iterable[Sequence[Any]], start_row: int = 1) -> None:
    """Write rows into an openpyxl worksheet from ``start_row``, text as text."""
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row, start=1):
            set_text_cell(ws.cell(row=r, column=c), value)


def read_sheet(path, sheet: str, columns: Sequence[str], error: type[Exception], *,
               first_if_missing: bool = False,
               optional: Sequence[str] = ()) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """Yield ``(sheet title, row number, {column: value})`` for each non-empty row of an XLSX
    sheet whose header row holds ``columns`` (in any order, others ignored).

    ``error`` is raised, naming the file (and sheet), when the file is not a readable workbook
    or fails the importer's guard against zip bombs
    (:func:`lantu.ingest.tables_read.xlsx_package_problem`),
    the sheet is missing (unless ``first_if_missing``: then the first sheet is read) or a column
    not in ``optional`` is missing (an optional column that is absent is left out of the dict).
    """
    from pathlib import Path

    from openpyxl import load_workbook

    from lantu.ingest.tables_read import WideSheet, sheet_rows, xlsx_package_problem

    p = Path(path)
    try:  # the importer's guard, before anything is unpacked (zip bombs)
        with zipfile.ZipFile(p) as zf:
            reason = xlsx_package_problem(zf)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise error(f"{p}: not a readable .xlsx ({type(exc).__name__}: {exc})") from exc
    if reason:
        raise error(f"{p}: {reason}")
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types on a file that is not XLSX
        raise error(f"{p}: not a readable .xlsx ({type(exc).__name__}: {exc})") from exc
    try:
        if sheet in wb.sheetnames:
            ws = wb[sheet]
        elif first_if_missing:
            ws = wb.worksheets[0]
        else:
            raise error(f"{p}: no sheet {sheet!r}")
        it = sheet_rows(ws, values_only=True)  # the importer's walk: no padding to a lie
        try:
            header = [str(c).strip() if c is not None else "" for c in next(it, ())]
            missing = [c for c in columns if c not in header and c not in optional]
            if missing:
                raise error(f"{p}: sheet {ws.title!r}: missing column(s) {', '.join(missing)}")
            idx = {c: header.index(c) for c in columns if c in header}
            for n, row in enumerate(it, start=2):
                cells = {c: (row[i] if i < len(row) else None) for c, i in idx.items()}
                if not all(v is None or str(v).strip() == "" for v in cells.values()):
                    yield ws.title, n, cells
        except WideSheet as exc:
            raise error(f"{p}: sheet {ws.title!r}: {exc}") from None
    finally:
        wb.close()
