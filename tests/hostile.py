"""Helpers of the hostile-input tests of the importer (``test_import_hostile_*.py``): the
catalogue and reference-database fixtures, writers of odd files (registered as a plugin in
conftest.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from lantu import defaults, services
from lantu.ingest import tables
from lantu.ingest.tables import Catalogue, ImportRefused, parse_file
from test_import import HEADER, TODAY, snapshot  # noqa: F401 - re-exported for the split files

# -- fixtures and writers -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    regions, _ = defaults.load_regions()
    return Catalogue({r.code: r for r in regions}, {i.code: i for i in defaults.load_indicators()},
                     TODAY, defaults.load_indicator_aliases())


@pytest.fixture
def ref_db(db):
    services.init_reference(db)
    return db


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def workbook(tmp_path: Path, name: str, sheets: dict[str, list[list]], *,
             hidden: tuple[str, ...] = ()) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if title in hidden:
            ws.sheet_state = "hidden"
    p = tmp_path / name
    wb.save(p)
    return p


def patch_sheet_xml(path: Path, edit) -> None:
    """Rewrite the first sheet's XML (to make what openpyxl cannot write: cached formula
    results, error cells, a lying dimension)."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            out.writestr(info.filename, data)
    path.write_bytes(buf.getvalue())


def values(parsed) -> dict[tuple[str, str, str], float]:
    return {o.key: o.value for o in parsed.observations}


def refused(path: Path, cat: Catalogue, **kw) -> list[tables.Problem]:
    with pytest.raises(ImportRefused) as info:
        parse_file(path, cat, **kw)
    assert str(path) in str(info.value)
    return info.value.problems


LONG = ["region_code", "period", "indicator", "value", "unit"]


def _rows(years, value, region="140100", ind="gdp"):
    """Rows of the import header (test_import.HEADER) for ``years``."""
    return "".join(f"{region},{y},{ind},{value},亿元,,,\n" for y in years)


def text_pdf(path: Path, *, user: str | None = None, algorithm: str = "RC4-128") -> None:
    """A one-page PDF reading "GDP 5571.17", encrypted with ``algorithm`` when ``user`` is given
    (``""``: only editing restricted, an owner password; else a user password to open it)."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, StreamObject

    w = PdfWriter()
    page = w.add_blank_page(612, 792)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): w._add_object(font)})})
    content = StreamObject()
    content.set_data(b"BT /F1 12 Tf 72 700 Td (GDP 5571.17) Tj ET")
    page[NameObject("/Contents")] = w._add_object(content)
    if user is not None:
        w.encrypt(user_password=user, owner_password="owner", algorithm=algorithm)
    w.write(path)
