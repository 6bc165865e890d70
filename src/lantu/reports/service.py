"""Build a report from the database in one call: what the CLI and the web app both use.

Each function opens one read-only transaction, gathers plain data
(:mod:`lantu.reports.data`), builds the document and returns its bytes with a file name and
media type, plus the fonts used (so the caller can say which faces were substituted).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from lantu.reports import data as rdata
from lantu.reports.fonts import FontSet, find_fonts
from lantu.store import Database

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {"docx": DOCX, "pdf": "application/pdf", "html": "text/html; charset=utf-8",
         "xlsx": XLSX}


class ReportFormat(StrEnum):
    docx = "docx"
    pdf = "pdf"
    html = "html"


@dataclass
class Built:
    """A built document: its bytes, a suggested file name, media type and how it was made."""

    content: bytes
    filename: str
    media_type: str
    fonts: FontSet | None = None
    timings: dict[str, float] = field(default_factory=dict)


def _fonts(fonts: FontSet | None) -> FontSet:
    return fonts if fonts is not None else find_fonts()


def monitoring_report(db: Database, region: str, period: str, *,
                      fmt: ReportFormat | str = ReportFormat.docx, fonts: FontSet | None = None,
                      group: str | None = None, to: str | None = None, issuer: str = "",
                      when: date | None = None, map_layer: str | None = None) -> Built:
    """The monitoring report (监测报告) of ``region`` for ``period`` as DOCX, PDF or HTML.

    Examples
    --------
    >>> from lantu.store import Database
    >>> from lantu import services
    >>> db = Database("sqlite://"); db.migrate(); _ = services.init_default(db)
    >>> built = monitoring_report(db, "140100", "2023")
    >>> built.filename
    '监测报告-140100-2023.docx'
    """
    from lantu.reports.monitoring import build_monitoring_docx, render_monitoring_html

    fmt = ReportFormat(fmt)
    fonts = _fonts(fonts)
    t0 = time.perf_counter()
    with db.session() as s:
        d = rdata.monitoring_data(s, region, period, group=group, to=to, issuer=issuer, when=when,
                                  map_layer=map_layer)
    timings = {"data": time.perf_counter() - t0}
    name = f"监测报告-{region}-{d['period']}.{fmt.value}"
    t1 = time.perf_counter()
    if fmt is ReportFormat.html:
        content = render_monitoring_html(d, fonts).encode("utf-8")
        timings["build"] = time.perf_counter() - t1
        return Built(content, name, MEDIA["html"], fonts, timings)
    content = build_monitoring_docx(d, fonts).to_bytes()
    timings["build"] = time.perf_counter() - t1
    if fmt is ReportFormat.pdf:
        content = _pdf(content, timings)
    return Built(content, name, MEDIA[fmt.value], fonts, timings)


def _pdf(docx: bytes, timings: dict[str, float]) -> bytes:
    from lantu.reports.convert import docx_to_pdf

    t = time.perf_counter()
    pdf = docx_to_pdf(docx)
    timings["pdf"] = time.perf_counter() - t
    return pdf


def bulletin_report(db: Database, month: str, *, fmt: ReportFormat | str = ReportFormat.docx,
                    fonts: FontSet | None = None, issuer: str = "", to: str = "各有关单位",
                    when: date | None = None, warn_days: int | None = None,
                    today: date | None = None) -> Built:
    """The supervision bulletin (督办通报) of ``month`` (``YYYY-MM``) as DOCX or PDF."""
    from lantu.reports.bulletin import build_bulletin_docx

    fmt = ReportFormat(fmt)
    if fmt is ReportFormat.html:
        raise ValueError("the bulletin is made as docx or pdf")
    if warn_days is None:
        from lantu.config import get_settings

        warn_days = get_settings().warn_days
    fonts = _fonts(fonts)
    t0 = time.perf_counter()
    with db.session() as s:
        d = rdata.bulletin_data(s, month, warn_days=warn_days, to=to, issuer=issuer, when=when,
                                today=today)
    timings = {"data": time.perf_counter() - t0}
    t1 = time.perf_counter()
    content = build_bulletin_docx(d, fonts).to_bytes()
    timings["build"] = time.perf_counter() - t1
    if fmt is ReportFormat.pdf:
        content = _pdf(content, timings)
    return Built(content, f"督办通报-{month}.{fmt.value}", MEDIA[fmt.value], fonts, timings)


def task_table(db: Database, *, department: str | None = None, fonts: FontSet | None = None,
               today: date | None = None) -> Built:
    """The task breakdown table (任务分解表) as XLSX; ``department`` keeps its own tasks only."""
    from lantu.config import get_settings
    from lantu.reports.tasks import task_xlsx_bytes

    fonts = _fonts(fonts)
    with db.session() as s:
        d = rdata.task_rows(s, department=department, today=today,
                            warn_days=get_settings().warn_days)
    suffix = f"-{department}" if department else ""
    return Built(task_xlsx_bytes(d, fonts, today=today), f"任务分解表{suffix}.xlsx",
                 MEDIA["xlsx"], fonts)
