"""The monitoring report through LibreOffice (DOCX → PDF) and poppler (PDF → PNG): every page has
ink, page 1 looks like a 公文 (a title block in the upper part, text below). The PNG of page 1 is
kept in ``artifacts/report-page1.png``.

Skipped with a printed reason when ``soffice`` or ``pdftoppm`` is missing, except when
``LANTU_REQUIRE_BROWSER=1`` (CI), where that is a failure.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lantu.reports.convert import docx_to_pdf, pdf_to_png, pdftoppm_path, soffice_path
from lantu.reports.service import bulletin_report, monitoring_report

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

pytestmark = pytest.mark.slow


def _need_converters() -> None:
    missing = [name for name, path in (("soffice (libreoffice-writer)", soffice_path()),
                                       ("pdftoppm (poppler-utils)", pdftoppm_path())) if not path]
    if not missing:
        return
    reason = f"not installed: {', '.join(missing)}"
    if os.environ.get("LANTU_REQUIRE_BROWSER") == "1":
        pytest.fail(f"LANTU_REQUIRE_BROWSER=1 but {reason}")
    print(f"skipping: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def db(default_db_module):
    return default_db_module


def _ink(png: bytes) -> np.ndarray:
    """Per-pixel darkness 0…1 of a page image (1 = black)."""
    gray = np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)
    return 1.0 - gray / 255.0


def test_monitoring_pdf_pages_are_not_blank(db):
    _need_converters()
    built = monitoring_report(db, "140100", "2023", fmt="pdf")
    pdf = built.content
    assert pdf.startswith(b"%PDF") and built.media_type == "application/pdf"
    assert built.filename.endswith(".pdf") and built.timings["pdf"] > 0
    pages = pdf_to_png(pdf, dpi=60)
    assert len(pages) >= 4
    for i, png in enumerate(pages, start=1):
        ink = _ink(png) > 0.5
        h = ink.shape[0]
        body = ink[int(h * 30 / 297):int(h * (297 - 35) / 297)]  # the text block, no footer
        # a last page of notes may hold two lines; a page with only its number fails
        assert body.mean() > 2e-4, f"page {i} looks blank"
    page1 = pdf_to_png(pdf, first=1, last=1, dpi=100)[0]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report-page1.png").write_bytes(page1)
    ink = _ink(page1) > 0.5
    h, w = ink.shape
    assert 0.68 < w / h < 0.74  # A4 portrait
    # margins stay white: nothing in the outer 15 mm of the left and right edges
    edge = int(w * 15 / 210)
    assert ink[:, :edge].mean() < 1e-4 and ink[:, -edge:].mean() < 1e-4
    # the title sits in the top part, below the 37 mm top margin, and text fills the page below
    rows = ink.mean(axis=1)
    first_row = int(np.argmax(rows > 0))
    assert first_row / h > 30 / 297
    assert rows[int(h * 0.45):int(h * 0.85)].mean() > 0.005
    # the page number "— 1 —" in the footer area (below the text block, right side)
    footer = ink[int(h * (297 - 35) / 297):, w // 2:]
    assert footer.mean() > 1e-4


def test_bulletin_pdf_shows_the_warning_fills(db):
    _need_converters()
    pdf = docx_to_pdf(bulletin_report(db, "2023-06").content)
    pages = [np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
             for png in pdf_to_png(pdf, dpi=60)]

    def share(rgb: tuple[int, int, int]) -> float:
        hits = sum(((abs(p[..., 0] - rgb[0]) < 12) & (abs(p[..., 1] - rgb[1]) < 14)
                    & (abs(p[..., 2] - rgb[2]) < 14)).sum() for p in pages)
        return hits / sum(p[..., 0].size for p in pages)

    assert share((0xFF, 0xC7, 0xCE)) > 2e-4  # red: late tasks, long-late milestones
    assert share((0xFF, 0xEB, 0x9C)) > 2e-4  # yellow: departments with late milestones


def test_missing_converters_skip_or_fail_when_required(monkeypatch):
    import sys

    monkeypatch.setattr(sys.modules[__name__], "soffice_path", lambda: None)
    monkeypatch.delenv("LANTU_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="soffice"):
        _need_converters()
    monkeypatch.setenv("LANTU_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="LANTU_REQUIRE_BROWSER=1"):
        _need_converters()
