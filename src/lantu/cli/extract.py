"""`lantu extract`: figures and targets from a work report or statistical bulletin."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from lantu.cli import app


@app.command("extract")
def extract_cmd(
    file: Annotated[Path, typer.Argument(help="Report or bulletin: .md, .txt, .html, .docx or text .pdf")],
    region: Annotated[str, typer.Option("--region", help="GB/T 2260 code of the region, e.g. 140100")],
    year: Annotated[int, typer.Option("--year", help="Year of the text (a work report's year of delivery)")],
    out: Annotated[Path | None, typer.Option("--out", help="Write CSV here instead of standard output")] = None,
    review: Annotated[
        Path | None, typer.Option("--review", help="Also write the rows as an XLSX sheet for review")
    ] = None,
    kind: Annotated[str, typer.Option("--kind", help="auto, report or bulletin")] = "auto",
) -> None:
    """Extract achieved figures (observed) and targets with their excerpts and offsets."""
    from lantu.domain import check_region_code
    from lantu.ingest.extract import extract_text, validate_year
    from lantu.ingest.extract_io import rows_to_csv, write_review_xlsx
    from lantu.ingest.textio import read_text

    code = check_region_code(region, field_name="--region")
    y = validate_year(year)
    doc = read_text(file)
    rows = extract_text(doc.text, code, y, doc_type=kind)
    text = rows_to_csv(rows)
    if out is not None:
        tmp = out.with_name(out.name + ".part")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    else:
        sys.stdout.write(text)
    if review is not None:
        write_review_xlsx(rows, review, source_url=doc.source_url, source_path=str(file), region_code=code, year=y)
    n_obs = sum(r.kind == "observed" for r in rows)
    typer.echo(f"{file}: {n_obs} observed, {len(rows) - n_obs} targets", err=True)
