"""Evidence files are judged by their bytes, stored under random names outside the web root."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantu.domain.errors import ValidationError
from lantu.store.files import ALLOWED, UploadRefused, sniff, store_upload, stored_path


def _docx() -> bytes:
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("进展情况")
    d.save(buf)
    return buf.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active["A1"] = 1
    wb.save(buf)
    return buf.getvalue()


def _zip(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in names:
            z.writestr(n, "x")
    return buf.getvalue()


@pytest.mark.parametrize("data,expected", [
    (b"%PDF-1.7\n", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    ("全市完成投资120亿元\n".encode(), "text/plain"),
    ("全市完成投资120亿元\n".encode("gbk"), "text/plain"),
    (b"MZ\x90\x00\x03\x00\x00\x00", None),                   # Windows executable
    (b"\x7fELF\x02\x01\x01", None),                           # Linux executable
    (b"plain\x00with a NUL", None),
    (_zip(["[Content_Types].xml", "evil.exe"]), None),         # a zip that is no Office file
    (b"PK\x03\x04 truncated", None),
    (b"", None),
])
def test_sniff(data, expected):
    assert sniff(data) == expected


def test_office_files_by_content():
    assert sniff(_docx()) == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert sniff(_xlsx()) == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@given(st.binary(max_size=64))
def test_sniff_answers_only_allowed_types(data):
    assert sniff(data) in (None, *ALLOWED)


def test_store_upload_random_name_and_limits(tmp_path):
    a = store_upload(tmp_path, b"%PDF-1.4 a", max_bytes=100)
    b = store_upload(tmp_path, b"%PDF-1.4 a", max_bytes=100)
    assert a.stored_name != b.stored_name and a.sha256 == b.sha256
    path = stored_path(tmp_path, a.stored_name)
    assert path.read_bytes() == b"%PDF-1.4 a" and path.is_relative_to(tmp_path / "uploads")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(UploadRefused) as exc:
        store_upload(tmp_path, b"a" * 101, max_bytes=100)
    assert exc.value.status == 413
    with pytest.raises(UploadRefused) as exc:
        store_upload(tmp_path, b"MZ\x90\x00", max_bytes=100)
    assert exc.value.status == 415


@pytest.mark.parametrize("name", ["../etc/passwd", "a/b", "..", ".hidden", "", "a\\b"])
def test_stored_path_refuses_tricks(tmp_path, name):
    with pytest.raises(ValidationError):
        stored_path(tmp_path, name)
