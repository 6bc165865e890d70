"""`lantu extract`: figures and targets from a work report or statistical bulletin."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from lantu.cli import app
from lantu.cli.common import (
    input_file,
    not_read_here,
    parse_region,
    parse_year,
    warn_notes,
    write_file,
)
from lantu.errors import UsageError

_KINDS = ("auto", "report", "bulletin")


@app.command("extract")
def extract_cmd(
    file: Annotated[Path, typer.Argument(parser=input_file, help="Report or bulletin: .md, .txt, .html, .docx or text .pdf")],
    region: Annotated[str, typer.Option("--region", parser=parse_region, help="GB/T 2260 code of the region, e.g. 140100")],
    year: Annotated[int, typer.Option("--year", parser=parse_year, help="Year of the text (a work report's year of delivery)")],
    out: Annotated[Path | None, typer.Option("--out", help="Write CSV here instead of standard output")] = None,
    review: Annotated[
        Path | None, typer.Option("--review", help="Also write the rows as an XLSX sheet for review")
    ] = None,
    kind: Annotated[str, typer.Option("--kind", help="auto, report or bulletin")] = "auto",
    milestones: Annotated[
        Path | None, typer.Option("--milestones", help="Also write the milestones the text states as CSV here")
    ] = None,
    horizon: Annotated[bool, typer.Option(
        "--horizon", help="Also read goals for a later year (到2025年, 十四五 → 2025, 今后五年 → year+4)")] = False,
) -> None:
    """Extract achieved figures (observed) and targets with their excerpts and offsets.

    Every row says machine_read true: `lantu import` keeps such a row machine-read (not a person's word); clear the cell of each row you have checked to import it as reviewed."""
    from lantu.domain.textcodec import shown_name
    from lantu.ingest.extract import TooManyFigures, extract_text, validate_year
    from lantu.ingest.extract_io import rows_to_csv, write_review_xlsx
    from lantu.ingest.textio import read_text

    if kind not in _KINDS:  # named by its option, not as "doc_type 'bogus'" (probe20)
        raise UsageError(f"--kind must be auto, report or bulletin, got {kind!r}")
    for target in (out, review, milestones):  # none replaces the text read (probe20)
        if target is not None:
            not_read_here(target)
    if len({Path(t).resolve() for t in (out, review, milestones) if t is not None}) < sum(
            t is not None for t in (out, review, milestones)):
        raise UsageError("--out, --review and --milestones name the same file: give each its own")
    code = region
    y = validate_year(year)
    doc = read_text(file)
    warn_notes(doc)
    try:
        rows = extract_text(doc.text, code, y, doc_type=kind, horizon=horizon)
    except TooManyFigures as exc:  # the file named, as every refusal of a text names it
        raise TooManyFigures(f"{shown_name(str(file))}: {exc}") from None
    text = rows_to_csv(rows)
    if out is not None:
        write_file(out, text)
    else:
        sys.stdout.write(text)
    if review is not None:
        write_review_xlsx(rows, review, source_url=doc.source_url, source_path=str(file), region_code=code, year=y)
    n_obs = sum(r.kind == "observed" for r in rows)
    typer.echo(f"{file}: {n_obs} observed, {len(rows) - n_obs} targets", err=True)
    if milestones is not None or review is not None:
        _milestones(doc, file, code, y, milestones, review)


def _milestones(doc, file: Path, code: str, year: int, out: Path | None, review: Path | None) -> None:
    """Milestones of the text: CSV to ``out``, and a sheet of the review workbook."""
    from lantu.ingest.milestone_io import add_milestone_sheet, milestones_to_csv
    from lantu.ingest.milestones import default_node_keywords, extract_milestones

    found = extract_milestones(doc.text, region_code=code, year=year, node_keywords=default_node_keywords(code))
    if out is not None:
        write_file(out, milestones_to_csv(found))
    if review is not None:
        add_milestone_sheet(review, found, source_url=doc.source_url, source_path=str(file))
    typer.echo(f"{file}: {len(found)} milestones", err=True)
