"""The fourteenth files round (probe25): what fell through at the import's doors, on SQLite and
PostgreSQL —

- a file named with an escape (``\\x1b[2Jx.csv``) was refused as a row whose source file holds a
  control character; a file under a path of more than 500 characters was refused as
  "importbatch.file: at most 500" (the name is a label: escaped, kept by its end);
- the import page named a file refused as a whole (UTF-16 without a mark, damaged UTF-8, an
  encrypted or corrupt workbook, a hidden row) by the path it was staged at on the server,
  not by the upload's name; an encrypted workbook was a 500;
- the import page wrote a column's bidi override as it came (the line reordered).
"""

from __future__ import annotations

import io
import re
import struct

import openpyxl
import pytest
from sqlalchemy import select

from hostile import ref_db  # noqa: F401 - a fixture
from lantu import services
from lantu.store.models import ImportBatchRow, ObservationRow
from webutil import backend_app, csrf_of, login

GOOD = "region_code,period,indicator,value,unit\n140100,2022,gdp,5571.17,亿元\n"


def test_a_file_named_with_an_escape_is_imported_under_its_escaped_name(ref_db, tmp_path):  # noqa: F811
    p = tmp_path / "\x1b[2Jx.csv"
    p.write_text(GOOD, encoding="utf-8")
    services.import_file(ref_db, p)
    with ref_db.session() as s:
        (obs,) = s.scalars(select(ObservationRow)).all()
        batch = s.scalars(select(ImportBatchRow)).one()
    assert obs.value == 5571.17 and obs.source_file == "\\x1b[2Jx.csv"
    assert "\x1b" not in batch.file and batch.file.endswith("\\x1b[2Jx.csv")


def test_a_file_under_a_path_longer_than_a_batch_keeps_is_imported(ref_db, tmp_path):  # noqa: F811
    d = tmp_path
    for i in range(4):
        d = d / (str(i) + "d" * 180)
    d.mkdir(parents=True)
    p = d / "f.csv"
    p.write_text(GOOD, encoding="utf-8")
    assert len(str(p)) > 700
    services.import_file(ref_db, p)
    with ref_db.session() as s:
        batch = s.scalars(select(ImportBatchRow)).one()
        (obs,) = s.scalars(select(ObservationRow)).all()
    assert len(batch.file) <= 500 and batch.file.startswith("/…") and batch.file.endswith("/f.csv")
    assert obs.source_file == "f.csv"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("probe25"), (),
                     "probe25") as app:
        yield app


def _encrypted_workbook() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["region_code", "period", "indicator", "value", "unit"])
    wb.active.append(["140100", "2022", "gdp", 5571.17, "亿元"])
    buf = io.BytesIO()
    wb.save(buf)
    b = bytearray(buf.getvalue())
    for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = b.find(sig)
        while i >= 0:
            struct.pack_into("<H", b, i + at, struct.unpack_from("<H", b, i + at)[0] | 1)
            i = b.find(sig, i + 4)
    return bytes(b)


@pytest.mark.parametrize("name, data, said", [
    ("utf16.csv", GOOD.encode("utf-16-be"), "UTF-16"),
    ("damaged.csv", b"\xef\xbb\xbf" + (GOOD + "140100,2023,gdp,1,亿元,太原\n").encode("gbk"), "UTF-8"),
    ("locked.xlsx", _encrypted_workbook(), "encrypted"),
])
def test_the_import_page_names_a_refused_file_by_the_uploads_name(env, name, data, said):
    client, _, db, _ = env
    login(client, "analyst")
    before = _count(db)
    r = client.post("/import?lang=en", data={"csrf_token": csrf_of(client, "/import")},
                    files={"file": (name, data)})
    assert r.status_code == 422, r.status_code
    cells = re.findall(r'<td data-label="File">(.*?)</td>', r.text)
    assert cells and all(c == name for c in cells), cells
    assert "/imports/" not in r.text and said in r.text
    assert _count(db) == before


def _count(db) -> int:
    from sqlalchemy import func

    with db.session() as s:
        return s.scalar(select(func.count()).select_from(ObservationRow)) or 0


def test_the_import_page_writes_a_columns_bidi_override_as_its_escape(env):
    client, _, _, _ = env
    login(client, "analyst")
    data = "region_code,period,indicator,val\u202eue,unit\n140100,2022,gdp,5571.17,亿元\n".encode()
    r = client.post("/import?lang=en", data={"csrf_token": csrf_of(client, "/import")},
                    files={"file": ("bidi.csv", data)})
    assert r.status_code == 422
    assert "\u202e" not in r.text and "val\\u202eue" in r.text
