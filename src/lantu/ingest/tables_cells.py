"""A workbook cell's text as the sheet shows it: a number formatted as a percentage, a date, a
boolean, a whole float — the one reading of a cell's stored value into the text the import
checks; and where a sheet's XML puts its rows (:func:`row_number_problem`). A stage of :mod:`lantu.ingest.tables_read` (its workbook reader); it uses
:mod:`lantu.ingest.tables_values` only."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

from lantu.ingest.tables_values import scale_exactly


def _shown_text(cell: Any) -> str:
    """A cell as the sheet shows it, where that differs from the stored number: a number
    formatted as a percentage (stored 0.075, shown 7.5%) is ``7.5%``."""
    v = getattr(cell, "value", None)
    if v is None:
        return ""
    fmt = getattr(cell, "number_format", None) or ""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) \
            and ("%" in fmt or "‰" in fmt):
        scaled, literal = _format_marks(fmt, float(v))
        if scaled:
            return f"{scale_exactly(float(v), 100.0)!r}%"
        if literal:  # 0.0"%" shows 5.2 as 5.2%: was read as 520 %
            return _cell_text(float(v)) + literal
    if isinstance(v, (date, datetime)) and (shown := _date_shown(fmt, v)):
        return shown
    return _cell_text(v)


def _date_shown(fmt: str, v: date) -> str:
    """A date as its format shows it, where that is less than the day: ``yyyy`` shows only the
    year (2023-01-01 shown 2023 was stored as the month 2023-01, probe20), ``yyyy-mm`` or
    ``yyyy"年"m"月"`` the month; ``""`` for any other format (the date as stored). ``General``
    is no date format: its ``e`` (Excel's era year) made a date cell of no format (``t="d"``,
    an ISO 8601 cell) the year 2023 (probe25)."""
    if fmt.strip().lower() in ("", "general"):
        return ""
    codes = set(_FORMAT_QUOTED.sub("", fmt.split(";")[0]).lower()) & set("ymdhsbe")
    if codes <= {"y", "e"} and codes:
        return str(v.year)
    if codes == {"y", "m"}:
        return f"{v.year}-{v.month:02d}"
    return ""


_FORMAT_QUOTED = re.compile(r'"([^"]*)"|\\(.)|\[[^\]]*\]|[_*].')


def _format_marks(fmt: str, value: float) -> tuple[bool, str]:
    """Whether the number format section that shows ``value`` scales it by 100 (a ``%`` of
    the format itself), and the ``%`` or ``‰`` it writes after it as text (``0.0"%"``,
    ``0.0\\%``: Excel shows 5.2 as 5.2% there, unscaled; ``‰`` is always text to Excel)."""
    sections = re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', fmt)
    section = sections[1] if value < 0 and len(sections) > 1 else \
        sections[2] if value == 0 and len(sections) > 2 else sections[0]
    literal = "".join((m.group(1) or "") + (m.group(2) or "")
                      for m in _FORMAT_QUOTED.finditer(section))
    bare = _FORMAT_QUOTED.sub("", section)
    if "%" in bare:
        return True, ""
    return False, "%" if "%" in literal else "‰" if "‰" in literal + bare else ""


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


_ROW_NUMBER = re.compile(rb'<(?:[A-Za-z_][\w.-]{0,31}:)?row\b[^>]*?\br="([^"]*)"')
#: Excel's last row
XLSX_LAST_ROW = 1_048_576


def row_number_problem(xml: bytes) -> str | None:
    """What is wrong with the row numbers of a sheet's XML, or None: each ``<row r="…">`` a
    whole number from 1 to 1,048,576, rising, and no cell numbered in row 0. openpyxl reads
    ``r="0"`` or ``r="-1"`` as a row like another and the rows came out renumbered: the message
    said only "corrupt" or named no row (probe18 left it). Such a file was written by a
    program, never by Excel or WPS; the number as written is named."""
    fix = "the file was written by a program, not by Excel or WPS; open it in Excel or WPS and save it again"
    last = 0
    for m in _ROW_NUMBER.finditer(xml):
        text = m.group(1).decode("utf-8", "replace")[:20]
        if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= XLSX_LAST_ROW:
            return (f'the sheet\'s XML numbers a row r="{text}": rows are numbered 1 to '
                    f"{XLSX_LAST_ROW:,}; {fix}")
        if int(text) <= last:
            return (f'the sheet\'s XML gives row r="{text}" after row {last} (twice, or out of '
                    f"order): readers differ on which row is which; {fix}")
        last = int(text)
    if b'0"' in xml and (cell := re.search(rb'\br="([A-Z]{1,3}0+)"', xml)):
        return f'the sheet\'s XML names a cell {cell.group(1).decode()} in row 0: rows are numbered from 1; {fix}'
    return None


#: a rich-text run of a shared or inline string set in superscript, and the text it holds
_RAISED_RUN = re.compile(
    rb'(<(?:\w+:)?r>(?:(?!</(?:\w+:)?r>).)*?<(?:\w+:)?vertAlign\s+val="superscript"\s*/>'
    rb'(?:(?!</(?:\w+:)?r>).)*?<(?:\w+:)?t(?:\s[^>]*)?>)([^<]*)(</(?:\w+:)?t>)', re.S)


def raised_runs(data: bytes) -> bytes:
    """A workbook whose strings hold runs set in superscript — a footnote mark after a figure
    (``5571.17`` + superscript ``1``) — with each such run written as :func:`~lantu.ingest.
    textio.raised_text` writes it (``¹``), so that the number rule refuses the mark as it does
    in a CSV: openpyxl joins the runs, and the figure was stored as 5571.171 (probe25). The
    workbook unchanged (the same bytes) when no string part or sheet names a superscript."""
    import html
    import io
    import zipfile

    from lantu.ingest.textio import raised_text

    try:
        src = zipfile.ZipFile(io.BytesIO(data))
        parts = [i for i in src.infolist() if i.filename.startswith("xl/")
                 and i.filename.endswith(".xml") and i.file_size < 2**26]
        changed = {i.filename: body for i in parts
                   if b"superscript" in (body := src.read(i)) and _RAISED_RUN.search(body)}
    except Exception:  # noqa: BLE001 - the reader refuses a broken package in its words
        return data
    if not changed:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = changed.get(info.filename)
            if body is not None:
                body = _RAISED_RUN.sub(lambda m: m.group(1) + html.escape(raised_text(html.unescape(
                    m.group(2).decode("utf-8"))), quote=False).encode("utf-8") + m.group(3), body)
            z.writestr(info, body if body is not None else src.read(info))
    return out.getvalue()
