"""DOCX → PDF with LibreOffice headless, PDF → PNG with poppler's ``pdftoppm``.

Each conversion runs LibreOffice with its own throw-away user profile, so several conversions
(tests, web requests) can run at once without fighting over one profile lock.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from lantu.errors import Unavailable

SOFFICE_NAMES = ("soffice", "libreoffice")
TIMEOUT_S = 180


class ConversionError(Unavailable):
    """A converter is missing or failed; the message says which and how to install it."""


def soffice_path() -> str | None:
    """Path of LibreOffice's ``soffice`` (or ``libreoffice``), or ``None``."""
    return next((p for p in map(shutil.which, SOFFICE_NAMES) if p), None)


def pdftoppm_path() -> str | None:
    return shutil.which("pdftoppm")


def docx_to_pdf(docx: bytes, *, timeout: float = TIMEOUT_S) -> bytes:
    """Convert a Word document to PDF with ``soffice --headless --convert-to pdf``.

    Raises
    ------
    ConversionError
        LibreOffice is not installed (Debian: ``libreoffice-writer``) or the conversion failed.
    """
    exe = soffice_path()
    if exe is None:
        raise ConversionError("PDF output needs LibreOffice: `soffice` was not found on PATH "
                              "(Debian: apt-get install libreoffice-writer)")
    with tempfile.TemporaryDirectory(prefix="lantu-pdf-") as tmp:
        work = Path(tmp)
        src = work / "report.docx"
        src.write_bytes(docx)
        profile = (work / "profile").as_uri()
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(work), str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ConversionError(f"LibreOffice did not finish the PDF within {timeout:g} s") \
                from None
        pdf = work / "report.pdf"
        if proc.returncode != 0 or not pdf.exists():
            raise ConversionError(f"LibreOffice failed to convert the document to PDF "
                                  f"(exit {proc.returncode}): {(proc.stderr or proc.stdout).strip()}")
        return pdf.read_bytes()


def pdf_to_png(pdf: bytes, *, first: int = 1, last: int | None = None, dpi: int = 100
               ) -> list[bytes]:
    """Render pages ``first``…``last`` of a PDF to PNG images with ``pdftoppm``."""
    exe = pdftoppm_path()
    if exe is None:
        raise ConversionError("PNG pages need poppler's `pdftoppm` (Debian: apt-get install "
                              "poppler-utils)")
    with tempfile.TemporaryDirectory(prefix="lantu-png-") as tmp:
        work = Path(tmp)
        (work / "in.pdf").write_bytes(pdf)
        cmd = [exe, "-png", "-r", str(dpi), "-f", str(first)]
        if last is not None:
            cmd += ["-l", str(last)]
        proc = subprocess.run([*cmd, str(work / "in.pdf"), str(work / "page")],
                              capture_output=True, text=True, timeout=TIMEOUT_S)
        if proc.returncode != 0:
            raise ConversionError(f"pdftoppm failed (exit {proc.returncode}): {proc.stderr.strip()}")
        return [p.read_bytes() for p in sorted(work.glob("page-*.png"))]
