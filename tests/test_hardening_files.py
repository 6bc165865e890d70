"""Files handed back (issue 12, class 5) and the small ones (class 7): evidence is refused when its
name is of an executable, script or macro-enabled type, or it holds macros; it is served under a
safe name with the extension of its checked type; at most a few files per request; staged
import previews are swept; database, uploads and staging are readable by their owner only;
answers to a signed-in user are not cached; a UTF-8 file cut inside a character is an encoding
problem."""

from __future__ import annotations

import io
import os
import re
import stat
import time
import zipfile
from datetime import date
from urllib.parse import unquote

import pytest

from lantu import services
from lantu.ingest.tables import ImportRefused
from lantu.store import Database
from lantu.store.files import UploadRefused, download_name, name_problem, sniff, store_upload
from webutil import login, post, report_version, task_ids

MONTH = date.today().strftime("%Y-%m")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _docx(macro: bool) -> bytes:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    if not macro:
        return buf.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    return out.getvalue()


@pytest.mark.parametrize("name", ["run.bat", "x.hta", "x.docm", "x.XLSM", "报告.pdf.exe",
                                  "a.js", "b.vbs", "c.ps1", "d.html", "e.svg", "f.lnk",
                                  "g.cmd.", "dir/h.scr", "i.pdf.hta ", "j.tar.jar"])
def test_names_of_executable_and_macro_types_are_refused(name, tmp_path):
    assert name_problem(name)
    with pytest.raises(UploadRefused) as info:
        store_upload(tmp_path, b"echo hello\r\n", max_bytes=1000, original_name=name)
    assert info.value.status == 415


def test_macros_inside_an_office_file_are_refused():
    assert sniff(_docx(macro=False)) is not None
    assert sniff(_docx(macro=True)) is None


@pytest.mark.parametrize("original, ctype, expected", [
    ("run.bat", "text/plain", "run_bat.txt"),
    ("../../etc/x.pdf", "application/pdf", "x.pdf"),
    ("进展.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "进展.docx"),
    ("notes.pdf", "text/plain", "notes_pdf.txt"),
    ('a"; filename=evil.exe', "text/plain", "a_ filename_evil_exe.txt"),
    ("...", "image/png", "evidence.png"),
])
def test_download_name(original, ctype, expected):
    assert download_name(original, ctype) == expected


def test_uploads_are_private_and_served_under_a_safe_name(client, web_db, tmp_path):
    node = task_ids(web_db, "fgw")[0]
    login(client, "rep_fgw")

    def send(files):
        return post(client, f"/supervision/tasks/{node}/report",
                    {"month": MONTH, "text": "进展", "percent": "10", "action": "save",
                     "version": report_version(web_db, node, "fgw", MONTH)}, files=files)

    assert send([("evidence", ("run.bat", b"calc.exe\r\n", "text/plain"))]).status_code == 415
    assert send([("evidence", ("m.docx", _docx(True), "application/msword"))]).status_code == 415
    six = [("evidence", (f"n{i}.txt", b"ok", "text/plain")) for i in range(6)]
    assert send(six).status_code in (400, 413)
    assert send([("evidence", ("清单.pdf", "签约清单\n".encode(), "text/plain"))]).status_code == 303
    page = client.get(f"/supervision/tasks/{node}?month={MONTH}").text
    eid = re.findall(r"/supervision/evidence/(\d+)", page)[-1]
    r = client.get(f"/supervision/evidence/{eid}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("UTF-8''")[1]) == "清单_pdf.txt"
    home = client.app.state.settings.home
    uploads = [p for p in (home / "uploads").rglob("*") if p.is_file()]
    assert uploads and all(mode(p) == 0o600 for p in uploads)
    assert mode(home / "uploads") == 0o700


def test_staged_previews_are_swept_and_private(client, web_db):
    login(client, "analyst")
    home = client.app.state.settings.home
    (home / "imports").mkdir(parents=True, exist_ok=True)
    old = home / "imports" / f"u1-{'0' * 32}.csv"
    old.write_text("x")
    past = time.time() - 2 * 3600
    os.utime(old, (past, past))
    r = post(client, "/import", {}, files={"file": (
        "t.csv", "region_code,period,indicator,value,unit\n140100,2022,gdp,1,亿元\n".encode(),
        "text/csv")}, csrf_page="/import")
    assert r.status_code == 200
    assert not old.exists()
    staged = sorted((home / "imports").iterdir())  # the table and what it was previewed as
    assert [p.suffix for p in staged] == [".csv", ".json"]
    assert all(mode(p) == 0o600 for p in staged) and mode(home / "imports") == 0o700


def test_a_new_sqlite_database_is_private(tmp_path):
    old = os.umask(0o022)
    try:
        db = Database(f"sqlite:///{tmp_path / 'n.db'}")
        db.migrate()
        db.dispose()
    finally:
        os.umask(old)
    assert mode(tmp_path / "n.db") == 0o600
    (tmp_path / "o.db").touch(mode=0o644)
    Database(f"sqlite:///{tmp_path / 'o.db'}").dispose()
    assert mode(tmp_path / "o.db") == 0o600


def test_signed_in_answers_are_not_cached(client, web_db):
    from lantu.store import users

    client.get("/login")  # sets the visitor's CSRF cookie: that answer is no-store too
    # a public page setting no cookie and holding no form may be cached (the login page holds
    # the visitor's CSRF token: never cached, tests/test_probe9_web.py)
    anonymous = client.get("/targets")
    assert "set-cookie" not in anonymous.headers
    assert "no-store" not in anonymous.headers.get("cache-control", "")
    login(client, "analyst")
    for path in ("/account", "/supervision", "/indicators", "/"):
        r = client.get(path)
        assert r.headers.get("cache-control") == "no-store", (path, r.headers.get("cache-control"))
    with web_db.session() as s:
        token = users.create_api_token(s, "analyst", "c")
    client.cookies.clear()
    r = client.get("/api/v1/regions", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"


def test_utf8_cut_inside_a_character_is_an_encoding_problem(tmp_path):
    from lantu.store import open_database

    db = open_database(f"sqlite:///{tmp_path / 'u.db'}")
    services.init_reference(db)
    text = "region,period,indicator,value,unit\n太原市,2022,常住人口,543.5,万人\n".encode()
    for cut in (text[:-2], text[:-3] + b"\n"[:0]):  # the last character cut in two places
        path = tmp_path / "cut.csv"
        path.write_bytes(cut)
        with pytest.raises(ImportRefused) as info:
            services.import_file(db, path)
        msg = str(info.value)
        assert "UTF-8" in msg and "unit" not in msg, msg
    gbk = tmp_path / "gbk.csv"  # a GBK file is still read as GBK
    gbk.write_bytes(text.decode().encode("gbk"))
    assert services.import_file(db, gbk, dry_run=True).encoding == "gbk"
    db.dispose()
