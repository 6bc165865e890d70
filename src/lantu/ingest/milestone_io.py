"""Milestones as CSV (``lantu extract --milestones``) and as a review sheet added to the review
workbook of ``lantu extract --review``, read back after a person confirmed or corrected it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lantu.errors import UsageError
from lantu.ingest.milestones import KINDS, MilestoneCandidate

__all__ = [
    "MILESTONE_COLUMNS",
    "MILESTONE_SHEET",
    "MILESTONE_REVIEW_COLUMNS",
    "MilestoneSheetError",
    "add_milestone_sheet",
    "milestones_to_csv",
    "read_milestone_sheet",
]

#: Columns of the milestones CSV (the contract of ``lantu extract --milestones``).
MILESTONE_COLUMNS = ("region_code", "year", "kind", "text", "excerpt", "start", "end", "nodes")
#: The review sheet adds the years of a multi-year review the year stands for, and the source.
MILESTONE_REVIEW_COLUMNS = (*MILESTONE_COLUMNS, "period", "source_url")
MILESTONE_SHEET = "milestones"

_NOTE = (
    "Milestones read by `lantu extract` from {path}: completed achievements the review part states "
    "(kind designation, completion, event, first; other for one you add). Check each against the "
    "excerpt: correct text, year, kind or nodes (plan-node codes separated by ;) in place; delete a "
    "row that is a plan, a start, a ranking or praise; add one that was missed. period (e.g. "
    "2021-2025) marks a milestone a review of several years states without its year: year is then "
    "the period's end year."
)


def _record(m: MilestoneCandidate) -> dict[str, object]:
    return {"region_code": m.region_code, "year": m.year, "kind": m.kind, "text": m.text,
            "excerpt": m.excerpt, "start": m.start, "end": m.end, "nodes": ";".join(m.nodes)}


def milestones_to_csv(milestones: Sequence[MilestoneCandidate]) -> str:
    """Milestones as CSV text with the header of :data:`MILESTONE_COLUMNS`, written by the one
    CSV writer of user text (:func:`lantu.tabular.csv_rows`: a formula stays text, a line break
    stays in its cell).

    Examples
    --------
    >>> milestones_to_csv([]).strip()
    'region_code,year,kind,text,excerpt,start,end,nodes'
    """
    from lantu.tabular import csv_rows

    return csv_rows([list(MILESTONE_COLUMNS)] + [[_record(m)[c] for c in MILESTONE_COLUMNS]
                                                 for m in milestones])


def add_milestone_sheet(path: str | Path, milestones: Sequence[MilestoneCandidate], *,
                        source_url: str | None, source_path: str) -> Path:
    """Add (or replace) the sheet ``milestones`` in the review workbook at ``path``, atomically.

    The sheet has the header :data:`MILESTONE_REVIEW_COLUMNS` (bold, frozen) and one row per
    milestone; cell A1 carries the review note as a comment.
    """
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    from lantu.tabular import write_rows

    out = Path(path)
    wb = load_workbook(out)
    if MILESTONE_SHEET in wb.sheetnames:
        del wb[MILESTONE_SHEET]
    ws = wb.create_sheet(MILESTONE_SHEET, index=1)
    ws.append(list(MILESTONE_REVIEW_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws["A1"].comment = Comment(_NOTE.format(path=source_path), "lantu extract")
    rows = []
    for m in milestones:
        rec = _record(m)
        period = f"{m.period[0]}-{m.period[1]}" if m.period else ""
        rows.append([rec[c] for c in MILESTONE_COLUMNS] + [period, source_url or ""])
    write_rows(ws, rows, start_row=2)
    ws.freeze_panes = "A2"
    widths = {"text": 40, "excerpt": 60, "source_url": 40, "nodes": 16}
    for i, name in enumerate(MILESTONE_REVIEW_COLUMNS, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = widths.get(name, 11)
    tmp = out.with_name(out.name + ".part")
    wb.save(tmp)
    tmp.replace(out)
    return out


class MilestoneSheetError(UsageError):
    """A reviewed milestones sheet cannot be read back; the message names file, row, column and reason."""


def read_milestone_sheet(path: str | Path) -> list[dict]:
    """Read the reviewed ``milestones`` sheet back: one dict per non-empty row with
    ``region_code``, ``year`` (int), ``kind``, ``text``, ``excerpt``, ``start``/``end`` (int or
    None for a row a person added), ``nodes`` (list), ``period`` ((first, last) or None) and
    ``source_url``.

    Raises
    ------
    MilestoneSheetError
        No such sheet, a missing column, or a bad cell (region code, year, kind, empty text,
        period); nothing is returned half-read.
    """
    from lantu.domain import ValidationError, check_region_code
    from lantu.tabular import read_sheet

    p = Path(path)
    out: list[dict] = []
    for _title, n, cells in read_sheet(p, MILESTONE_SHEET, MILESTONE_REVIEW_COLUMNS, MilestoneSheetError):

        def bad(col: str, why: str, n: int = n) -> MilestoneSheetError:
            return MilestoneSheetError(f"{p}: sheet {MILESTONE_SHEET!r}, row {n}, column {col}: {why}")

        def text(col: str, cells: dict = cells) -> str:
            return "" if cells[col] is None else str(cells[col]).strip()

        rec: dict = {}
        try:
            rec["region_code"] = check_region_code(text("region_code"))
        except ValidationError as exc:
            raise bad("region_code", str(exc)) from exc
        try:
            rec["year"] = int(float(text("year")))
        except ValueError as exc:
            raise bad("year", f"expected a year, got {cells['year']!r}") from exc
        rec["kind"] = text("kind")
        if rec["kind"] not in KINDS:
            raise bad("kind", f"expected one of {', '.join(KINDS)}, got {cells['kind']!r}")
        rec["text"] = text("text")
        if not rec["text"]:
            raise bad("text", "empty")
        rec["excerpt"] = text("excerpt")
        for col in ("start", "end"):
            try:
                rec[col] = int(float(text(col))) if text(col) else None
            except ValueError as exc:
                raise bad(col, f"expected an offset, got {cells[col]!r}") from exc
        rec["nodes"] = [c.strip() for c in text("nodes").replace("；", ";").split(";") if c.strip()]
        period = text("period")
        if period:
            parts = period.replace("–", "-").split("-")
            if len(parts) != 2 or not all(x.strip().isdigit() for x in parts):
                raise bad("period", f"expected FIRST-LAST years, got {period!r}")
            rec["period"] = (int(parts[0]), int(parts[1]))
        else:
            rec["period"] = None
        rec["source_url"] = text("source_url")
        out.append(rec)
    return out
