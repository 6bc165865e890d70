"""A file named only by RFC 5987's ``filename*=UTF-8''%E5%A4%AA…`` (what some HTTP libraries and
gateways write for a name beyond ASCII; RFC 7578 asks senders not to, but they do) was not a
file at all: python-multipart, and so Starlette, ignore ``filename*``, the part was read as a
text field and the route answered 422 "Expected UploadFile" (the evidence of a report, the web
import, the text review). Now one reader of a part's name (``edge.part_options``, installed
into Starlette's parser and asked by the edge's UTF-8 check) reads ``filename*`` — UTF-8 or
ISO-8859-1, percent-decoded, preferred to a plain ``filename`` beside it (RFC 6266 §4.3) — and
the name it gives meets every rule a name meets: refused types and marks (``run.bat``, a bidi
control), bytes that are no UTF-8, and the safe name evidence is handed back under. SQLite and
PostgreSQL; the tests of ``filename*`` failed on the code before.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from sqlalchemy import select

from lantu.store.models_web import EvidenceFileRow
from webutil import backend_app, csrf_of, form_version, login, task_ids

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BOUNDARY = "seams9-b0undary"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("seams9f"), (),
                     "seams9f") as app:
        yield app


def _body(fields: dict[str, str], field: str, disposition: str, data: bytes,
          ctype: str = "application/pdf") -> bytes:
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; '
                 .encode() + disposition.encode("latin-1") +
                 f"\r\nContent-Type: {ctype}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


def _post(client, path: str, body: bytes):
    return client.post(path, content=body,
                       headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"})


def _report(env, disposition: str, data: bytes = PDF):
    client, _, db, _ = env
    node = task_ids(db, "fgw")[0]
    login(client, "rep_fgw")
    page = f"/supervision/tasks/{node}?month=2026-10"
    fields = {"csrf_token": csrf_of(client, page), "month": "2026-10", "text": "进展",
              "percent": "10", "action": "save", **form_version(client, page)}
    return node, _post(client, f"/supervision/tasks/{node}/report",
                       _body(fields, "evidence", disposition, data))


def _names(db) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(EvidenceFileRow.original_name).order_by(EvidenceFileRow.id)))


@pytest.mark.parametrize("disposition, name", [
    ("filename*=UTF-8''%E5%A4%AA%E5%8E%9F%E5%B8%82%E6%8A%A5%E5%91%8A.pdf", "太原市报告.pdf"),
    ("filename*=utf-8'zh-CN'%E5%A4%AA%E5%8E%9F.pdf", "太原.pdf"),
    ("filename*=\"UTF-8''%E6%8A%A5%E5%91%8A%EF%BC%88%E7%BB%88%E7%A8%BF%EF%BC%89.pdf\"",
     "报告（终稿）.pdf"),
    ("filename=\"____.pdf\"; filename*=UTF-8''%E5%A4%AA%E5%8E%9F.pdf", "太原.pdf"),  # RFC 6266
    ("filename*=UTF-8''%E5%A4%AA%E5%8E%9F.pdf; filename=\"____.pdf\"", "太原.pdf"),
    ("filename*=ISO-8859-1'fr'%E9t%E9.pdf", "été.pdf"),
])
def test_a_file_named_only_by_filename_star_is_kept_under_its_decoded_name(env, disposition, name):
    client, _, db, _ = env
    before = _names(db)
    node, r = _report(env, disposition)
    assert r.status_code == 303, r.text[-600:]
    assert _names(db)[len(before):] == [name]
    page = client.get(f"/supervision/tasks/{node}?month=2026-10").text
    assert name in page
    eid = re.findall(r"/supervision/evidence/(\d+)", page)[-1]
    got = client.get(f"/supervision/evidence/{eid}")
    assert got.status_code == 200
    # handed back under the safe name the download rule makes of it, and the stand-in
    assert f"filename*=UTF-8''{quote(name)}" in got.headers["content-disposition"]
    assert f'filename="evidence-{eid}.pdf"' in got.headers["content-disposition"]


@pytest.mark.parametrize("disposition, status, why", [
    ("filename*=UTF-8''run.bat", 415, ".bat"),
    ("filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf.hta", 415, ".hta"),
    ("filename=\"ok.pdf\"; filename*=UTF-8''x.docm", 415, ".docm"),  # the name read is checked
    ("filename*=UTF-8''%E2%80%AEgpj.pdf", 415, "file name"),  # a bidi control
    ("filename*=UTF-8''%FF%FE.pdf", 400, "UTF-8"),
])
def test_the_name_filename_star_gives_meets_the_name_rules(env, disposition, status, why):
    _, _, db, _ = env
    before = _names(db)
    _, r = _report(env, disposition)
    assert r.status_code == status, (r.status_code, r.text[-500:])
    if status == 400:
        assert why in r.text, r.text[-800:]
    assert _names(db) == before  # nothing attached (the page says the type is not accepted)


def test_a_path_in_filename_star_is_not_kept(env):
    client, _, db, _ = env
    node, r = _report(env, "filename*=UTF-8''..%2F..%2Fetc%2F%E6%8A%A5%E5%91%8A.pdf")
    assert r.status_code == 303, r.text[-400:]
    page = client.get(f"/supervision/tasks/{node}?month=2026-10").text
    eid = re.findall(r"/supervision/evidence/(\d+)", page)[-1]
    got = client.get(f"/supervision/evidence/{eid}")
    assert f"filename*=UTF-8''{quote('报告.pdf')}" in got.headers["content-disposition"]


def test_the_import_page_reads_a_table_named_by_filename_star(env):
    client, _, _, _ = env
    login(client, "analyst")
    token = csrf_of(client, "/import")
    csv = "region_code,period,indicator,value,unit\n140100,2022,gdp,5571.17,亿元\n".encode()
    r = _post(client, "/import", _body({"csrf_token": token}, "file",
                                       "filename*=UTF-8''%E5%A4%AA%E5%8E%9F%E6%95%B0%E6%8D%AE.csv",
                                       csv, "text/csv"))
    assert r.status_code == 200, r.text[-500:]
    assert "太原数据.csv" in r.text


def test_the_one_reader_of_filename_star():
    from lantu.web.edge import extended_filename

    assert extended_filename("form-data; name=\"f\"; filename=\"a.pdf\"") is None
    assert extended_filename("form-data; filename*=UTF-8''a%20b.pdf") == b"a b.pdf"
    assert extended_filename("form-data; filename*=GBK''%CC%AB.pdf") is None  # not RFC 8187's
    assert extended_filename("form-data; filename*=%E5%A4%AA.pdf") is None  # no charset
    # a quoted plain name that holds the text of a filename* is no filename*
    assert extended_filename('form-data; filename="x; filename*=UTF-8\'\'run.bat"') is None
