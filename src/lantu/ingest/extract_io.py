"""Write extracted rows as CSV or as an XLSX review sheet that a person corrects and
``lantu import`` reads back (same column names plus ``source_url``).

Both carry ``machine_read`` true on every row (:mod:`lantu.domain.review`): what the extractor
read counts as no person's word until someone checks it. Imported as written, the rows stay
machine-read; a person who checked a row clears that cell (or writes false) and imports it as
reviewed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lantu.domain.review import MACHINE_READ
from lantu.domain.targets import QUALIFIERS as DOMAIN_QUALIFIERS
from lantu.errors import UsageError
from lantu.ingest.extract import COLUMNS, ExtractedRow, rows_to_records
from lantu.tabular import csv_rows, write_rows

__all__ = ["CSV_COLUMNS", "REVIEW_COLUMNS", "REVIEW_SHEET", "ReviewSheetError", "read_review_xlsx", "rows_to_csv",
           "write_review_xlsx"]

#: The columns ``lantu extract`` writes: the row's (:data:`lantu.ingest.extract.COLUMNS`) and
#: ``machine_read``, true on every row until a person clears it.
CSV_COLUMNS = (*COLUMNS, MACHINE_READ)
REVIEW_COLUMNS = (*CSV_COLUMNS, "source_url")
REVIEW_SHEET = "extracted"

_NOTE = (
    "Rows read by `lantu extract` from {path} (region {region}, year {year}). Check every row against "
    "the excerpt and the source: correct value, value_high, qualifier, indicator, period or flags in place; "
    "delete a row that is wrong; add a row that was missed (excerpt and source_url kept). Do not "
    "rename the columns: `lantu import` reads this sheet back. kind is observed (achieved figure of "
    "the period) or target; qualifier is empty, 左右, 以上, 以内, 力争 or 突破; flags is empty or "
    "preliminary (预计/初步). machine_read is true on every row: clear it (or write false) on each "
    "row you have checked, which is then imported as reviewed by you; a row left true is imported "
    "as machine-read."
)

#: what the ``machine_read`` cell of every written row says
_WRITTEN = "true"


def rows_to_csv(rows: Sequence[ExtractedRow]) -> str:
    """Rows as CSV text with the header :data:`CSV_COLUMNS` (``machine_read`` true on each row).

    Examples
    --------
    >>> rows_to_csv([]).strip()
    'region_code,period,indicator,kind,value,value_high,qualifier,unit,excerpt,start,end,flags,machine_read'
    """
    return csv_rows([list(CSV_COLUMNS)] + [["" if rec[k] is None else rec[k] for k in COLUMNS] + [_WRITTEN]
                                           for rec in rows_to_records(rows)])


def write_review_xlsx(
    rows: Sequence[ExtractedRow],
    path: str | Path,
    *,
    source_url: str | None,
    source_path: str,
    region_code: str,
    year: int,
) -> Path:
    """Write rows to an XLSX workbook for review.

    The first sheet (``extracted``) has one header row with :data:`REVIEW_COLUMNS` and one row
    per extracted item; the header cell A1 carries the review note as a comment, and a second
    sheet ``说明`` (notes) repeats it with the source.

    Returns
    -------
    Path
        The file written.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    out = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = REVIEW_SHEET
    ws.append(list(REVIEW_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    note = _NOTE.format(path=source_path, region=region_code, year=year)
    ws["A1"].comment = Comment(note, "lantu extract")
    write_rows(ws, ([rec[c] for c in COLUMNS] + [_WRITTEN, source_url or ""]  # text never a formula
                    for rec in rows_to_records(rows)), start_row=2)
    ws.freeze_panes = "A2"
    widths = {"excerpt": 60, "source_url": 40, "indicator": 24, MACHINE_READ: 13}
    for i, name in enumerate(REVIEW_COLUMNS, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = widths.get(name, 11)
    info = wb.create_sheet("说明")
    write_rows(info, [["note", note], ["source_file", source_path],
                      ["source_url", source_url or ""], ["region_code", region_code],
                      ["year", year]])
    info.column_dimensions["B"].width = 100
    tmp = out.with_name(out.name + ".part")
    wb.save(tmp)
    tmp.replace(out)
    return out


QUALIFIERS = ("", *DOMAIN_QUALIFIERS)
KINDS = ("observed", "target")


class ReviewSheetError(UsageError):
    """A reviewed sheet cannot be read back; the message names file, row, column and reason."""


def read_review_xlsx(path: str | Path) -> list[dict]:
    """Read a reviewed sheet written by :func:`write_review_xlsx` (after a person corrected it).

    Parameters
    ----------
    path : str or Path
        The XLSX file; its first sheet must have the header row of :data:`REVIEW_COLUMNS`.

    Returns
    -------
    list of dict
        One dictionary per non-empty row with ``region_code`` (str), ``period`` (int),
        ``indicator``, ``kind``, ``value`` (float), ``value_high`` (float or None), ``qualifier``,
        ``unit``, ``excerpt``, ``start``/``end`` (int or None: a row a person added may have no
        offsets), ``flags``, ``machine_read`` (bool: the cell if it says, else the flag
        ``machine_read`` in ``flags``, as ``lantu import`` reads it) and ``source_url``.

    Raises
    ------
    ReviewSheetError
        Missing or renamed columns, or a cell that is not valid (bad region code, period, kind,
        number or qualifier); nothing is returned half-read.
    """
    from lantu.domain import ValidationError, check_region_code
    from lantu.domain.observations import format_flags, parse_flags
    from lantu.domain.review import is_machine_read, parse_machine_read
    from lantu.tabular import read_sheet

    p = Path(path)
    out: list[dict] = []
    # older sheets lack flags and machine_read
    for title, n, cells in read_sheet(p, REVIEW_SHEET, REVIEW_COLUMNS, ReviewSheetError, first_if_missing=True,
                                      optional=("flags", MACHINE_READ)):

        def bad(col: str, why: str, n: int = n, title: str = title) -> ReviewSheetError:
            return ReviewSheetError(f"{p}: sheet {title!r}, row {n}, column {col}: {why}")

        rec: dict = {}
        try:
            rec["region_code"] = check_region_code(cells["region_code"] or "")
        except ValidationError as exc:
            raise bad("region_code", str(exc)) from exc
        for col in ("period",):
            try:
                rec[col] = int(float(str(cells[col])))
            except (TypeError, ValueError) as exc:
                raise bad(col, f"expected a year, got {cells[col]!r}") from exc
        rec["indicator"] = str(cells["indicator"] or "").strip()
        if not rec["indicator"]:
            raise bad("indicator", "empty")
        rec["kind"] = str(cells["kind"] or "").strip()
        if rec["kind"] not in KINDS:
            raise bad("kind", f"expected one of {', '.join(KINDS)}, got {cells['kind']!r}")
        for col, required in (("value", True), ("value_high", False)):
            v = cells[col]
            if v is None or str(v).strip() == "":
                if required:
                    raise bad(col, "empty")
                rec[col] = None
                continue
            try:
                rec[col] = float(v)
            except (TypeError, ValueError) as exc:
                raise bad(col, f"expected a number, got {v!r}") from exc
        rec["qualifier"] = str(cells["qualifier"] or "").strip()
        if rec["qualifier"] not in QUALIFIERS:
            raise bad("qualifier", f"expected empty or one of {', '.join(QUALIFIERS[1:])}, got {cells['qualifier']!r}")
        for col in ("start", "end"):
            v = cells[col]
            rec[col] = None if v is None or str(v).strip() == "" else int(float(v))
        for col in ("unit", "excerpt", "source_url"):
            rec[col] = "" if cells[col] is None else str(cells[col])
        try:
            rec["flags"] = format_flags(parse_flags(cells.get("flags") or ""))
        except ValidationError as exc:
            raise bad("flags", str(exc)) from exc
        try:
            said = parse_machine_read(cells.get(MACHINE_READ))
        except ValueError as exc:
            raise bad(MACHINE_READ, str(exc)) from exc
        rec[MACHINE_READ] = is_machine_read({MACHINE_READ: said, "flags": rec["flags"]})
        out.append(rec)
    return out
