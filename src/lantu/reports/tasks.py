"""The task breakdown table (任务分解表) as an Excel workbook ready to print.

A title row, a header row frozen and repeated on every printed page, column widths and wrapped
text, thin borders, A4 landscape fitted to the page width. :func:`build_task_workbook` takes the
dictionary of :func:`lantu.reports.data.task_rows`.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from lantu.evaluation.demo import DEMO_LINE_ZH, DEMO_WORD_ZH
from lantu.reports.colours import FILLS
from lantu.reports.fonts import FontSet
from lantu.tabular import csv_frame, set_text_cell

#: (header, width in characters, key in a row of ``task_rows``)
COLUMNS = (("序号", 7, "no"), ("任务", 24, "title"), ("具体内容", 58, "text"),
           ("牵头单位", 16, "lead"), ("配合单位", 26, "supporting"), ("完成时限", 13, "due"),
           ("进展", 18, "progress"), ("状态", 9, "status"), ("预警", 24, "warning_text"))
STATUS_FILL = {"已完成": FILLS["green"], "推进中": FILLS["in_progress"], "暂停": FILLS["suspended"]}
LATE_FILL = FILLS["red"]
STATUS_COL = 1 + [key for _, _, key in COLUMNS].index("status")


def build_task_workbook(data: dict[str, Any], fonts: FontSet | None = None, *,
                        today: date | None = None) -> Workbook:
    """The workbook: one sheet 任务分解表.

    Parameters
    ----------
    data
        From :func:`lantu.reports.data.task_rows`.
    fonts
        Faces for the title (黑体) and cells (仿宋); default: the GB/T 9704 names.
    today
        Deadlines before this date on tasks not done are shaded red (default: no shading).
    """
    fonts = fonts or FontSet.standard()
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    ncol = len(COLUMNS)
    last = get_column_letter(ncol)
    title = f"{data['plan']['title']}任务分解表"
    if data.get("department_name"):
        title += f"（{data['department_name']}）"
    if data.get("demo"):
        title += "\n" + DEMO_LINE_ZH.replace("本文", "本表")
        ws.oddHeader.center.text = DEMO_WORD_ZH
    set_text_cell(ws["A1"], title)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(name=fonts.heading1.name, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 72 if data.get("demo") else 42
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    for j, (head, width, _) in enumerate(COLUMNS, start=1):
        c = ws.cell(row=2, column=j, value=head)
        c.font = Font(name=fonts.heading1.name, size=11, bold=True)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = border
        c.fill = head_fill
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.row_dimensions[2].height = 24
    body = Font(name=fonts.body.name, size=10.5)
    for i, row in enumerate(data["rows"], start=3):
        for j, (_, _, key) in enumerate(COLUMNS, start=1):
            v = row[key]
            if key == "due":
                v = v.isoformat() if v else "—"
            if key == "title" and row.get("depth"):
                v = "　" * int(row["depth"]) + v
            c = ws.cell(row=i, column=j)
            set_text_cell(c, v if v not in (None, "") else "—")  # "=…" stays text
            c.font = Font(name=fonts.body.name, size=10.5, bold=row.get("depth") == 0) \
                if key in ("no", "title") else body
            c.border = border
            horizontal = "center" if key in ("no", "due", "status") else "left"
            c.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        status = row["status"]
        if status in STATUS_FILL:
            ws.cell(row=i, column=STATUS_COL).fill = PatternFill("solid",
                                                                 fgColor=STATUS_FILL[status])
        if row.get("warning") in FILLS:
            ws.cell(row=i, column=ncol).fill = PatternFill("solid", fgColor=FILLS[row["warning"]])
        if today and row["due"] and row["due"] < today and status != "已完成":
            ws.cell(row=i, column=6).fill = PatternFill("solid", fgColor=LATE_FILL)
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.auto_filter.ref = f"A2:{last}{max(2, len(data['rows']) + 2)}"
    return wb


def task_xlsx_bytes(data: dict[str, Any], fonts: FontSet | None = None, *,
                    today: date | None = None) -> bytes:
    """:func:`build_task_workbook` saved to bytes."""
    buf = io.BytesIO()
    build_task_workbook(data, fonts, today=today).save(buf)
    return buf.getvalue()


def export_tasks(session, fmt: str = "xlsx", *, department: str | None = None) -> bytes | str:
    """The task table from an open session: ``xlsx`` laid out for printing, or ``csv``/``json``
    with the same columns (Chinese headers) for further processing."""
    import json

    import pandas as pd

    from lantu.reports.data import task_rows

    data = task_rows(session, department=department)
    if fmt == "xlsx":
        from lantu.reports.fonts import find_fonts

        return task_xlsx_bytes(data, find_fonts())
    frame = pd.DataFrame([{head: (r[key].isoformat() if key == "due" and r[key] else r[key])
                           for head, _, key in COLUMNS} for r in data["rows"]],
                         columns=[h for h, _, _ in COLUMNS])
    if fmt == "csv":
        return csv_frame(frame)
    if fmt == "json":
        return json.dumps(frame.to_dict("records"), ensure_ascii=False, indent=1) + "\n"
    raise ValueError(f"export_tasks: format must be xlsx, csv or json, got {fmt!r}")
