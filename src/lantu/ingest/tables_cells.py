"""A workbook cell's text as the sheet shows it: a number formatted as a percentage, a date, a
boolean, a whole float — the one reading of a cell's stored value into the text the import
checks. A stage of :mod:`lantu.ingest.tables_read` (its workbook reader); it uses
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
    return _cell_text(v)


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

