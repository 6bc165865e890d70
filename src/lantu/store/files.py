"""Evidence files: checked by their content (magic bytes), stored outside the web root under
``LANTU_HOME/uploads`` with random names, never executed.

Allowed: PDF, PNG, JPEG, DOCX and XLSX (zip packages with the matching main part) and plain text
(UTF-8 or GB18030 without control bytes). The client's file name and content type are not
trusted: the type is what the bytes say, and the stored name is random.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lantu.domain.errors import ValidationError

ALLOWED = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "text/plain": ".txt",
}


class UploadRefused(ValidationError):
    """An upload that is too large or of a type that is not allowed; ``status`` 413 or 415."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message, field="file")
        self.status = self.http_status = status


def sniff(data: bytes) -> str | None:
    """The content type the bytes show, or None if not an allowed type.

    Examples
    --------
    >>> sniff(b"%PDF-1.7 ...")
    'application/pdf'
    >>> sniff(b"MZ\\x90\\x00") is None
    True
    """
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return None
    if _is_text(data):
        return "text/plain"
    return None


def _is_text(data: bytes) -> bool:
    if not data or b"\x00" in data:
        return False
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return all(ch in "\t\n\r\f" or ord(ch) >= 32 for ch in text if ord(ch) < 127)
    return False


@dataclass(frozen=True, slots=True)
class StoredFile:
    stored_name: str
    content_type: str
    size: int
    sha256: str


def upload_dir(home: Path) -> Path:
    return Path(home) / "uploads"


def store_upload(home: Path, data: bytes, *, max_bytes: int) -> StoredFile:
    """Check an upload and write it under ``home/uploads/<aa>/<random><ext>``."""
    if len(data) > max_bytes:
        raise UploadRefused(f"the file has {len(data)} bytes; the limit is {max_bytes}", 413)
    if not data:
        raise UploadRefused("the file is empty", 415)
    ctype = sniff(data)
    if ctype is None:
        raise UploadRefused("only PDF, PNG, JPEG, DOCX, XLSX and plain text files are accepted "
                            "(checked by content)", 415)
    name = secrets.token_hex(16) + ALLOWED[ctype]
    path = upload_dir(home) / name[:2] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as fh:
        fh.write(data)
    path.chmod(0o600)
    return StoredFile(name, ctype, len(data), hashlib.sha256(data).hexdigest())


def stored_path(home: Path, stored_name: str) -> Path:
    """Path of a stored file; refuses names that are not ours (no path tricks)."""
    if not stored_name or "/" in stored_name or "\\" in stored_name or stored_name.startswith("."):
        raise ValidationError(f"bad stored file name {stored_name!r}", field="file")
    return upload_dir(home) / stored_name[:2] / stored_name
