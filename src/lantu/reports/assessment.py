"""The annual assessment (考核) as an Excel workbook: the ranking with every part of the score,
and the rule (formula and weights) it was computed by, read from the rule itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from lantu.supervise.score import DepartmentScore, ScoreRule
from lantu.tabular import write_rows


def assessment_xlsx(year: int, scores: Sequence[DepartmentScore], rule: ScoreRule,
                    names: Mapping[str, str], label: Callable[[str], str]) -> bytes:
    """``label(key)`` names a column (``score.<part>``, ``bl.rank``…) in the reader's language."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}"
    head = [label("bl.rank"), label("sv.department"), label("zh9.ax.code"), label("bl.tasks"),
            label("bl.finished"), label("bl.late"), label("bl.returned"),
            *(f"{label('score.' + p.key)} ×{p.weight:.2f}" for p in rule.parts),
            label("bl.score"), label("score.silent")]
    # every row through the one writer of sheets (text stays text, never a formula)
    write_rows(ws, [[f"{year} {label('ax.title')}"], head])
    ws["A1"].font = Font(bold=True, size=14)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    unranked = label("score.unranked")  # no department reported: none ranked (score.py)
    write_rows(ws, ([unranked if d.rank is None else d.rank, names.get(d.department, d.department),
                     d.department, d.tasks,
                     d.finished, d.late, d.returned, *(d.parts[p.key] for p in rule.parts),
                     d.score, "✓" if d.silent else ""] for d in scores), start_row=3)
    for row in ws.iter_rows(min_row=3, min_col=8, max_col=7 + len(rule.parts)):
        for cell in row:
            cell.number_format = "0.0%"
    ws.column_dimensions["B"].width = 28
    ws.freeze_panes = "C3"
    r = wb.create_sheet(label("ax.rule"))
    write_rows(r, [[label("score.formula") + " = " + rule.formula(lambda k: label("score." + k))],
                   [label("bl.score_rule")], [], [label("zh9.ax.part"), label("ax.weight")],
                   *([label("score." + p.key), p.weight] for p in rule.parts),
                   [label("zh9.ax.overdue_cap_days"), rule.overdue_cap_days],
                   [label("zh9.ax.reminder_cap"), rule.reminder_cap]])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
