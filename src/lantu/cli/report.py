"""Report commands: ``lantu report monitoring`` and ``lantu report bulletin``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from lantu.cli import app
from lantu.cli.common import (
    DbOption,
    err_console,
    friendly_errors,
    open_db,
    option_errors,
    parse_date,
    parse_month,
    parse_region,
    styled,
    write_output,
)
from lantu.errors import UsageError

report_app = typer.Typer(help="Documents in the forms offices use: 监测报告, 督办通报 (Word/PDF).",
                         no_args_is_help=True)
app.add_typer(report_app, name="report")

StandardFonts = Annotated[bool, typer.Option(
    "--standard-fonts", help="Write the faces GB/T 9704 names (方正小标宋简体, 仿宋_GB2312, 黑体, "
                             "楷体_GB2312) even if not installed here, for offices that have them.")]
Issuer = Annotated[str, typer.Option(help="发文机关署名 (issuing body) above the date.")]
When = Annotated[date | None, typer.Option("--date", parser=parse_date,
                                           help="成文日期 YYYY-MM-DD (default: today).")]


def _fonts(standard: bool):
    from lantu.reports.fonts import FontSet, find_fonts

    return FontSet.standard() if standard else find_fonts()


def say_fonts(fonts) -> None:
    """Tell which faces were used and which were substituted; warn when no CJK face exists."""
    from lantu.reports.fonts import no_cjk_message

    for note in fonts.notes:
        # the documents say it in Chinese only; the command line says it in English too
        said = f"{note} {no_cjk_message('en')}" if note == no_cjk_message() else note
        err_console.print(styled(("warning:", "bold yellow"), f" {said}"), highlight=False,
                          soft_wrap=True)
    err_console.print(f"fonts: {fonts.describe()}", highlight=False, soft_wrap=True)


@report_app.command("monitoring")
@friendly_errors
def monitoring(
    region: Annotated[str, typer.Option(parser=parse_region,
                                        help="Region code (GB/T 2260), e.g. 140100.")],
    period: Annotated[str, typer.Option(help="Period, e.g. 2023.")],
    format: Annotated[str, typer.Option("--format", "-f", help="docx | pdf | html")] = "docx",
    out: Annotated[str | None, typer.Option("--out", "-o", help="File to write (default: "
                                            "监测报告-REGION-PERIOD.FORMAT).")] = None,
    group: Annotated[str | None, typer.Option(help="Peer group code (default: the group with "
                                              "the most comparable data).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="主送机关 (default 市委、市政府).")] = None,
    map_layer: Annotated[str | None, typer.Option(
        "--map-layer", help="What colours the map of the province's cities: an indicator code, "
        "status:INDICATOR (its target's status), goal:NODE (a goal's status) or index "
        "(default).")] = None,
    issuer: Issuer = "",
    when: When = None,
    standard_fonts: StandardFonts = False,
    db: DbOption = None,
) -> None:
    """Monitoring report (监测报告): goals and tasks, indicators against targets, peers, sources."""
    from lantu.reports.service import ReportFormat, monitoring_report

    if format not in {f.value for f in ReportFormat}:
        raise UsageError(f"--format must be docx, pdf or html, got {format!r}")
    fonts = _fonts(standard_fonts)
    with option_errors(region="--region", period="--period", group="--group",
                       map_layer="--map-layer"):
        built = monitoring_report(open_db(db), region, period, fmt=format, fonts=fonts,
                                  group=group, to=to, issuer=issuer, when=when,
                                  map_layer=map_layer)
    say_fonts(fonts)
    write_output(built.content, out or built.filename)


@report_app.command("bulletin")
@friendly_errors
def bulletin(
    month: Annotated[str, typer.Option(parser=parse_month, help="Month YYYY-MM, e.g. 2023-06.")],
    format: Annotated[str, typer.Option("--format", "-f", help="docx | pdf")] = "docx",
    out: Annotated[str | None, typer.Option("--out", "-o", help="File to write (default: "
                                            "督办通报-MONTH.FORMAT).")] = None,
    issuer: Issuer = "",
    when: When = None,
    standard_fonts: StandardFonts = False,
    db: DbOption = None,
) -> None:
    """Supervision bulletin (督办通报): finished, late and returned items by department."""
    from lantu.reports.service import bulletin_report

    if format not in ("docx", "pdf"):
        raise UsageError(f"--format must be docx or pdf, got {format!r}")
    fonts = _fonts(standard_fonts)
    with option_errors(month="--month"):
        built = bulletin_report(open_db(db), month, fmt=format, fonts=fonts, issuer=issuer,
                                when=when)
    say_fonts(fonts)
    write_output(built.content, out or built.filename)
