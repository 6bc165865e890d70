"""Run the fourteenth round's file cases (benchmarks/probe25_cases.md) on SQLite and PostgreSQL.

probe20_run.py's harness (scratch ``$P25_DIR``, default /tmp/probe25; PostgreSQL databases
``probe25_<case>`` cloned from ``probe25_tpl``), and the web import beside the command line:
every import case is also uploaded to ``/import`` (in-process, the demo analyst) and confirmed
when the preview offers it; rows are counted on the case's database after each door. Each
case's answer, written in probe25_cases.md before the first run, is a check here; a case is
right when it is right on both databases and both doors. Run:
``PYTHONPATH=src python benchmarks/probe25_run.py [--sqlite-only] [IDS…]``. A probe, not a test."""

from __future__ import annotations

import os

os.environ.setdefault("LANTU_PASSWORD_PROFILE", "test")  # the demo users' hashes: fast

import gzip  # noqa: E402
import html as htmllib  # noqa: E402
import io  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import sqlite3  # noqa: E402
import struct  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import zipfile  # noqa: E402
import zlib  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import openpyxl  # noqa: E402

logging.disable(logging.CRITICAL)  # the web door's security log lines are not the runner's output

ROOT = Path(os.environ.get("P25_DIR", "/tmp/probe25"))
PG_SERVER = os.environ.get("P25_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
L = "region_code,period,indicator,value,unit,flags,source_url,excerpt\n"
LANTU = [sys.executable, "-c", "import sys; from lantu.cli import main; sys.argv[0]='lantu'; main()"]
CASES: dict[str, Callable[[str], tuple[bool, str]]] = {}
DB_FREE: set[str] = set()
P1 = "2023年全市地区生产总值5571.17亿元。"
P9 = "2023年全市地区生产总值9999亿元。"
Check = Callable[["Run"], "str | None"]


@dataclass
class Run:
    rc: int
    out: str
    rows: list[tuple]
    secs: float
    raw: bytes = b""


def case(fn=None, *, db_free: bool = False):
    def deco(f):
        CASES[f.__name__.upper()] = f
        if db_free:
            DB_FREE.add(f.__name__.upper())
        return f
    return deco(fn) if fn else deco


# -- a listener that counts connections (external DTDs must not be fetched) ---------------------
class Listener:
    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.hits += 1
            c.close()


LISTEN: Listener | None = None


def listener() -> Listener:
    global LISTEN
    if LISTEN is None:
        LISTEN = Listener()
    return LISTEN


# -- databases ---------------------------------------------------------------------------------
def _pg_admin():
    import psycopg
    return psycopg.connect(PG_SERVER.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def _pg_url(name: str) -> str:
    return PG_SERVER.rsplit("/", 1)[0] + "/" + name


def _with_users(url: str) -> None:
    from lantu.cli.web import demo_logins
    from lantu.store import Database
    db = Database(url)
    demo_logins(db)
    db.dispose()


def fresh_db(backend: str, name: str) -> str:
    """A SQLAlchemy URL of an initialised database (no observations, the demo users) for one case."""
    if backend == "sqlite":
        tpl = ROOT / "template.db"
        if not tpl.exists():
            run_cli("init", db=f"sqlite:///{tpl}")
            _with_users(f"sqlite:///{tpl}")
        d = ROOT / f"{name}.db"
        for extra in ("-wal", "-shm", "-journal"):
            Path(f"{d}{extra}").unlink(missing_ok=True)
        shutil.copy(tpl, d)
        return f"sqlite:///{d}"
    with _pg_admin() as c:
        if not c.execute("select 1 from pg_database where datname = 'probe25_tpl'").fetchone():
            c.execute('CREATE DATABASE "probe25_tpl"')
            run_cli("init", db=_pg_url("probe25_tpl"))
            _with_users(_pg_url("probe25_tpl"))
            from sqlalchemy import create_engine  # the template's pool closed before it is cloned
            create_engine(_pg_url("probe25_tpl")).dispose()
        c.execute(f'DROP DATABASE IF EXISTS "probe25_{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "probe25_{name}" TEMPLATE "probe25_tpl"')
    return _pg_url(f"probe25_{name}")


def rows(url: str) -> list[tuple]:
    q = ("select region_code, period, indicator_code, value, unit, excerpt from observation "
         "order by period, value")
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as c:
            return c.execute(q).fetchall()
    import psycopg
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as c:
        return [tuple(r) for r in c.execute(q).fetchall()]


def drop_pg(url: str) -> None:
    if url.startswith("postgresql"):
        with _pg_admin() as c:
            c.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def run_cli(*args: str | Path, db: str | None = None, timeout: int = 120, env: dict | None = None,
            ) -> tuple[int, str, float]:
    rc, out, secs, _ = run_cli_raw(*args, db=db, timeout=timeout, env=env)
    return rc, out, secs


def run_cli_raw(*args: str | Path, db: str | None = None, timeout: int = 120,
                env: dict | None = None) -> tuple[int, str, float, bytes]:
    cmd = [*LANTU, *map(str, args)]
    if db is not None:
        cmd += ["--db", db]
    t = time.monotonic()
    e = {**os.environ, "LANTU_HOME": str(ROOT / "home"), "COLUMNS": "200", **(env or {})}
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, env=e)
        raw = p.stdout + p.stderr
        return p.returncode, raw.decode("utf-8", "replace"), time.monotonic() - t, raw
    except subprocess.TimeoutExpired:
        return -999, "TIMEOUT", time.monotonic() - t, b""


# -- the two doors of an import ----------------------------------------------------------------
def cli_import(backend: str, name: str, path: Path, extra: tuple = ()) -> Run:
    url = fresh_db(backend, name)
    before = rows(url)
    rc, out, secs, raw = run_cli_raw("import", path, *extra, db=url)
    r = Run(rc, out, rows(url), secs, raw)
    if before:
        r.out += f"\n[runner: {len(before)} rows before]"
    drop_pg(url)
    return r


_TOKEN = re.compile(r'name="token" value="([^"]+)"')
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def web_import(backend: str, name: str, filename: str, data: bytes) -> Run:
    """Upload to /import as the demo analyst, confirm when the preview offers it. rc: 0 when the
    confirm (or a preview with nothing to confirm) answered 200, 2 for a 4xx, 500 for a 5xx."""
    from fastapi.testclient import TestClient

    from lantu.config import Settings
    from lantu.store import Database
    from lantu.web.app import create_app

    url = fresh_db(backend, name + "_w")
    db = Database(url)
    home = ROOT / "webhome"
    t = time.monotonic()
    texts = []
    try:
        with TestClient(create_app(db, Settings(home=home)), follow_redirects=False) as c:
            tok = _CSRF.search(c.get("/login").text).group(1)
            r = c.post("/login", data={"username": "analyst", "password": "analyst-demo-2026",
                                       "csrf_token": tok, "next": "/"})
            assert r.status_code == 303, r.status_code
            tok = _CSRF.search(c.get("/import").text).group(1)
            r = c.post("/import?lang=en", data={"csrf_token": tok}, files={"file": (filename, data)})
            texts.append(r.text)
            status = r.status_code
            m = _TOKEN.search(r.text)
            if status == 200 and m:
                tok = _CSRF.search(c.get("/import").text).group(1)
                r = c.post("/import/confirm?lang=en", data={"token": m.group(1), "csrf_token": tok})
                texts.append(r.text)
                status = r.status_code
    finally:
        db.dispose()
    text = web_text("\n".join(texts))
    rc = 0 if status == 200 else 500 if status >= 500 else 2
    got = rows(url)
    drop_pg(url)
    return Run(rc, f"[web {status}] {text}", got, time.monotonic() - t)


_PROBLEM = re.compile(r"<tr><td data-label[^>]*>(.*?)</td><td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td><td[^>]*>(.*?)</td>"
                      r"<td[^>]*>(.*?)</td></tr>", re.S)


def web_text(page: str) -> str:
    """A page's alert and its problems table as the command line words them (runner fix after
    the first run: the table's cells were read as loose words, so "row 2" was never found)."""
    lines = [htmllib.unescape(re.sub(r"<[^>]+>", " ", m)).strip()
             for m in re.findall(r'<p class="alert[^"]*"[^>]*>(.*?)</p>', page, re.S)]
    for f, r, c, why, v in _PROBLEM.findall(page):
        f, r, c, why, v = (htmllib.unescape(x).strip() for x in (f, r, c, why, v))
        lines.append(f"  • {f}" + (f", row {r}" if r else "") + (f", column '{c}'" if c else "")
                     + f": {why}" + (f" (value {v!r})" if v else ""))
    m = re.search(r"<p>([^<]*)</p>\s*<p><a class=\"btn\" href=\"/import\"", page)
    if m:
        lines.append(htmllib.unescape(m.group(1)))
    return "\n".join(lines) or htmllib.unescape(re.sub(r"<[^>]+>", " ", page))[:2000]


def row(value: str, ind: str = "gdp", unit: str = "亿元", period: str = "2022", region: str = "140100",
        excerpt: str = "") -> str:
    return f"{region},{period},{ind},{value},{unit},,,{excerpt}\n"


GOOD = L + row("5571.17")


# -- the answers as checks ---------------------------------------------------------------------
def clean(r: Run) -> str | None:
    if "Traceback" in r.out:
        return "traceback"
    if r.rc == -999:
        return "timeout"
    if r.rc >= 500:
        return "5xx"
    return None


def ok(*values: float, n: int | None = None) -> Check:
    def check(r: Run) -> str | None:
        if bad := clean(r):
            return bad
        if r.rc != 0:
            return f"exit {r.rc}"
        got = sorted(float(x[3]) for x in r.rows)
        if n is not None and len(got) != n:
            return f"{len(got)} rows, not {n}"
        if values and (len(got) != len(values) or any(abs(a - b) > 1e-9 for a, b in zip(got, sorted(values)))):
            return f"stored {got}"
        return None
    return check


def refused(*words: str, exit_in: tuple[int, ...] | None = None) -> Check:
    """Exit ≠ 0, nothing stored, no traceback, and every word (a regex, any case) in the output."""
    def check(r: Run) -> str | None:
        if bad := clean(r):
            return bad
        if r.rc == 0:
            return "exit 0"
        if exit_in and r.rc not in exit_in and not r.out.startswith("[web"):
            return f"exit {r.rc}, not {exit_in}"
        if r.rows:
            return f"stored {r.rows}"
        missing = [w for w in words if not re.search(w, r.out, re.I | re.S)]
        return f"output lacks {missing}" if missing else None
    return check


def gap_or_refused(*words: str) -> Check:
    def check(r: Run) -> str | None:
        if bad := clean(r):
            return bad
        if r.rc == 0:
            return None if not r.rows else f"stored {r.rows}"
        return refused(*words)(r)
    return check


def either(*checks: Check) -> Check:
    def check(r: Run) -> str | None:
        answers = [c(r) for c in checks]
        return None if any(a is None for a in answers) else " / ".join(a or "" for a in answers)
    return check


def no_esc(inner: Check) -> Check:
    def check(r: Run) -> str | None:
        if r.out.startswith("[web"):
            return inner(r)
        if b"\x1b" in r.raw:
            return "raw ESC in the output"
        return inner(r)
    return check


def judge(r: Run, check: Check) -> tuple[bool, str]:
    why = check(r)
    first = " ⏎ ".join(r.out.strip().splitlines()[:4])[:400]
    return why is None, f"rc={r.rc} {r.secs:.1f}s rows={r.rows[:3]}{'…' if len(r.rows) > 3 else ''} | {first}" + (
        f"  ✗ {why}" if why else "")


def import_case(name: str, build: Callable[[], bytes], check: Check, suffix: str = ".csv",
                *, web: bool = True, web_check: Check | None = None, fname: str | None = None):
    """A file through `lantu import` and (``web``) the web import; right when both are."""
    def f(backend: str) -> tuple[bool, str]:
        data = build()
        p = ROOT / (fname or f"{name}{suffix}")
        p.write_bytes(data)
        good, why = judge(cli_import(backend, name, p), check)
        if not web:
            return good, why
        wr = web_import(backend, name, f"{name}{suffix}", data)
        wgood, wwhy = judge(wr, web_check or check)
        if "/imports/u" in wr.out:  # the file named by its staged path, not the upload's name
            wgood, wwhy = False, wwhy + "  ✗ the staged path shown, not the upload's name"
        return good and wgood, f"CLI: {why}\n        WEB: {wwhy}"
    f.__name__ = name
    return case(f)


def csv_case(name: str, data: bytes | str, check: Check, **kw):
    b = data if isinstance(data, bytes) else data.encode("utf-8")
    return import_case(name, lambda: b, check, **kw)


def num(name: str, value: str, check: Check, ind: str = "gdp", unit: str = "亿元"):
    return csv_case(name, L + row(value, ind, unit), check)


# -- zip helpers ---------------------------------------------------------------------------------
def patch(data: bytes, member: str, fn, extra: dict[str, bytes] | None = None, raw: bool = False) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == member:
                body = fn(body) if raw else fn(body.decode()).encode()
            z.writestr(info.filename, body)
        for k, v in (extra or {}).items():
            z.writestr(k, v)
    return out.getvalue()


def zip_headers(data: bytes, *, flag: int = 0, method: int | None = None, only: str = "") -> bytes:
    """OR ``flag`` into the general-purpose flags of every local and central header (of the
    member ``only`` when given) and set its compression method to ``method``."""
    b = bytearray(data)
    for sig, flag_at, method_at, name_len_at, name_at in ((b"PK\x03\x04", 6, 8, 26, 30),
                                                          (b"PK\x01\x02", 8, 10, 28, 46)):
        i = b.find(sig)
        while i >= 0:
            n = struct.unpack_from("<H", b, i + name_len_at)[0]
            nm = bytes(b[i + name_at:i + name_at + n]).decode("utf-8", "replace")
            if not only or nm == only:
                struct.pack_into("<H", b, i + flag_at, struct.unpack_from("<H", b, i + flag_at)[0] | flag)
                if method is not None:
                    struct.pack_into("<H", b, i + method_at, method)
            i = b.find(sig, i + 4)
    return bytes(b)


def xlsx_bytes(wb) -> bytes:
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def long_wb(value=5571.17, ind="gdp", unit="亿元"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["region_code", "period", "indicator", "value", "unit"])
    ws.append(["140100", "2022", ind, value, unit])
    return wb, ws


SHEET = "xl/worksheets/sheet1.xml"


def cell_sub(ref: str, new: str) -> Callable[[str], str]:
    return lambda s: re.sub(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', new, s, count=1)


# ================================================================================================
# A. CSV bytes, lines and headers
EX = "太原统计"
csv_case("a1", (L + row("5571.17", excerpt=EX)).encode("utf-16-be"),
         either(ok(5571.17), refused("UTF-16|encoding|编码")))
csv_case("a2", b"\xff\xfe" + (L + row("5571.17")).encode("utf-16-le")
         + "140100,2023,gdp,5999,亿元,,,".encode("utf-16-le") + b"\x00\xd8" + "x\n".encode("utf-16-le"),
         refused(r"(row|line|行) ?3|第3行", "UTF-16|surrogate|encoding|编码"))
csv_case("a3", b"\xef\xbb\xbf" + (L + row("5571.17", excerpt="太原统计公报")).encode("gbk"),
         either(refused(r"line 2|row 2|第2行", "UTF-8"),
                lambda r: ok(5571.17)(r) or (None if r.rows[0][5] == "太原统计公报" else f"excerpt {r.rows[0][5]!r}")))


def _a4() -> bytes:
    body = L + "".join(row(str(1000 + y), period=str(y), excerpt="x" * 1000) for y in range(1950, 2020))
    return (body + row("5571.17", excerpt="见𠀀表")).encode("gb18030")


import_case("a4", _a4, lambda r: ok(n=71)(r) or (
    None if any(x[5] == "见𠀀表" for x in r.rows) else "the excerpt not as written"))
csv_case("a5", L.replace("period", "per\ufeffiod") + row("5571.17"),
         either(ok(5571.17), refused("per.?iod", "mark|BOM|invisible|不可见")))
csv_case("a6", (L + row("5571.17") + row("5999", period="2023")).replace("\n", "\r\r\n"), ok(5571.17, 5999))
csv_case("a7", L.replace(",period", ',"period') + row("5571.17") + row("5999", period="2023"),
         refused(r"line 1|row 1|header|表头|第1行", "quote|引号"))
csv_case("a8", L + '140100,2022,gdp,"5571.17"x,亿元,,,\n', refused(r"row 2|第2行", "value|数值"))
csv_case("a9", L + row("5571.17") + L,
         either(refused(r"row 3|line 3|第3行", "header|表头"),
                lambda r: ok(5571.17)(r) or (None if re.search("header|表头", r.out, re.I) else "silent")))
csv_case("a10", L.replace("region_code,", "region_code\u3000,").replace("period,", "period\u00a0,") + row("5571.17"),
         ok(5571.17))
csv_case("a11", L.replace(",unit", ",ｖａｌｕｅ,unit").replace("flags,", "") + "140100,2022,gdp,5571.17,5999,亿元,,\n",
         refused("value", "twice|duplicate|重复|两次"))
csv_case("a12", L + row("5571.17", region="\x1b]0;pwned\x07\x1b[2J140100"),
         no_esc(refused(r"row 2|第2行", "region|地区", "control|控制")))
csv_case("a13", L.replace("excerpt", "excerpt\x1b[8m") + row("5571.17"),
         no_esc(either(refused("excerpt"), lambda r: ok(5571.17)(r) or (
             None if re.search("excerpt", r.out) else "not named"))))
import_case("a14", lambda: GOOD.encode(), no_esc(ok(5571.17)), web=False, fname="\x1b[2Jx.csv")

# B. Numbers
csv_case("b1", L + "140100,2022,gdp,1,234.5,亿元,,,\n", refused(r"row 2|第2行"))
num("b2", "…", gap_or_refused(r"row 2|第2行", "value|数值"))
num("b3", "...", gap_or_refused(r"row 2|第2行", "value|数值"))
num("b4", "..", gap_or_refused(r"row 2|第2行", "value|数值"))
num("b5", "2.1万亿", either(ok(21000), refused(r"row 2|第2行")))


# C. Workbooks
def _c1() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append(["本表为2022年太原市主要指标。"])
    ws.append(["数据来源：市统计局。"])
    d = wb.create_sheet("数据")
    d.append(["region_code", "period", "indicator", "value", "unit"])
    d.append(["140100", "2022", "gdp", 5571.17, "亿元"])
    return xlsx_bytes(wb)


def _c2() -> bytes:
    wb, ws = long_wb(0.052, "gdp_growth", "%")
    ws["D2"].number_format = "0.00%"
    return xlsx_bytes(wb)


def _c3() -> bytes:
    wb, _ = long_wb()
    return patch(xlsx_bytes(wb), SHEET, cell_sub("B2", '<c r="B2" t="d"><v>2023-01-01T00:00:00</v></c>'))


def _c4() -> bytes:
    wb, ws = long_wb()
    ws.append(["140100", "2023", "gdp", 5999, "亿元"])
    ws.auto_filter.ref = "A1:E3"
    ws.row_dimensions[3].hidden = True
    return xlsx_bytes(wb)


def _c5() -> bytes:
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation
    wb, ws = long_wb()
    lst = wb.create_sheet("列表")
    for code in ("gdp", "gdp_growth", "pop"):
        lst.append([code])
    lst.sheet_state = "hidden"
    dv = DataValidation(type="list", formula1="'列表'!$A$1:$A$3", allow_blank=True)
    ws.add_data_validation(dv)
    dv.add("C2:C100")
    wb.defined_names["指标列表"] = DefinedName("指标列表", attr_text="'列表'!$A$1:$A$3")
    return xlsx_bytes(wb)


def _c6() -> bytes:
    wb, _ = long_wb()
    return patch(xlsx_bytes(wb), SHEET, cell_sub(
        "D2", '<c r="D2" t="inlineStr"><is><r><t>5571.17</t></r><r><rPr><vertAlign val="superscript"/>'
              '</rPr><t>1</t></r></is></c>'))


def _c9() -> bytes:
    wb, _ = long_wb()
    port = listener().port
    return patch(xlsx_bytes(wb), SHEET, lambda s: re.sub(
        r"(<\?xml[^>]*\?>)", rf'\1<!DOCTYPE worksheet SYSTEM "http://127.0.0.1:{port}/x.dtd">', s, count=1))


def fetched_none(inner: Check) -> Check:
    def check(r: Run) -> str | None:
        return f"{listener().hits} request(s) made" if listener().hits else inner(r)
    return check


import_case("c1", _c1, either(ok(5571.17), refused("说明", "数据", "sheet|工作表")), ".xlsx")
import_case("c2", _c2, either(ok(5.2), refused("D2|row 2|第2行", "%|percent|百分")), ".xlsx")
import_case("c3", _c3, either(lambda r: ok(5571.17)(r) or (None if r.rows[0][1] == "2023-01" else f"period {r.rows[0][1]}"),
                              refused("B2|row 2|第2行", "period|年份|day|日")), ".xlsx")
import_case("c4", _c4, either(refused(r"row 3|第3行|3", "hidden|隐藏"),
                              lambda r: ok(5571.17, 5999)(r) or (None if re.search("filter|筛选", r.out, re.I) else "filter not named")),
            ".xlsx")
import_case("c5", _c5, ok(5571.17), ".xlsx")
import_case("c6", _c6, either(ok(5571.17), refused("D2|row 2|第2行")), ".xlsx")
import_case("c7", lambda: zip_headers(xlsx_bytes(long_wb()[0]), flag=1),
            refused("c7", "encrypt|password|加密|密码"), ".xlsx", web_check=refused("encrypt|password|加密|密码"))
import_case("c8", lambda: zip_headers(xlsx_bytes(long_wb()[0]), method=9, only=SHEET),
            refused("c8", "compress|corrupt|损坏|压缩|unsupported|not a readable"), ".xlsx",
            web_check=refused("compress|corrupt|损坏|压缩|unsupported|not a readable"))
import_case("c9", _c9, fetched_none(either(ok(5571.17), refused("c9|workbook|工作簿|DTD|DOCTYPE"))), ".xlsx",
            web_check=fetched_none(either(ok(5571.17), refused("workbook|工作簿|DTD|DOCTYPE"))))


# ================================================================================================
# Texts
def extract(p: Path, *opts: str, timeout: int = 120) -> Run:
    rc, out, secs, raw = run_cli_raw("extract", p, "--region", "140100", "--year", "2024", *opts,
                                     timeout=timeout)
    return Run(rc, out, [], secs, raw)


def reads(good: str = "5571.17", bad: str = "9999", within: float = 120) -> Check:
    def check(r: Run) -> str | None:
        if b := clean(r):
            return b
        if r.secs > within:
            return f"took {r.secs:.0f}s"
        if r.rc != 0:
            return f"exit {r.rc}"
        if good and good not in r.out:
            return f"{good} not read"
        if bad and bad in r.out:
            return f"{bad} read"
        return None
    return check


def exit2(*words: str, within: float = 120) -> Check:
    def check(r: Run) -> str | None:
        if b := clean(r):
            return b
        if r.secs > within:
            return f"took {r.secs:.0f}s"
        if r.rc != 2:
            return f"exit {r.rc}"
        missing = [w for w in words if not re.search(w, r.out, re.I | re.S)]
        return f"output lacks {missing}" if missing else None
    return check


def text_case(name: str, build: Callable[[], Path], check: Check):
    def f(backend: str) -> tuple[bool, str]:
        return judge(extract(build()), check)
    f.__name__ = name
    return case(f, db_free=True)


def docx_bytes(body_xml: str, extra: dict[str, bytes] | None = None, rels: str = "", ctypes: str = "") -> bytes:
    import docx as _d
    d = _d.Document()
    d.add_paragraph("PLACEHOLDER")
    b = io.BytesIO()
    d.save(b)
    data = b.getvalue()

    def body(s: str) -> str:
        i = s.index("<w:p>") if "<w:p>" in s else s.index("<w:p ")
        return s.replace(s[i:s.index("</w:p>") + 6], body_xml, 1)
    data = patch(data, "word/document.xml", body, extra=extra)
    if rels:
        data = patch(data, "word/_rels/document.xml.rels", lambda s: s.replace("</Relationships>", rels + "</Relationships>"))
    if ctypes:
        data = patch(data, "[Content_Types].xml", lambda s: s.replace("</Types>", ctypes + "</Types>"))
    return data


def write(name: str, data: bytes) -> Path:
    p = ROOT / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


def para(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def r_(t: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{t}</w:t></w:r>'


W1 = 'w:id="91" w:author="a" w:date="2024-01-01T00:00:00Z"'
W2 = 'w:id="92" w:author="b" w:date="2024-01-02T00:00:00Z"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

text_case("d1", lambda: write("d1.docx", docx_bytes(
    para(r_(P1)) + f"<w:tbl><w:tr><w:trPr><w:del {W1}/></w:trPr><w:tc><w:p>{r_(P9)}</w:p></w:tc></w:tr>"
    f"<w:tr><w:tc><w:p>{r_('其他')}</w:p></w:tc></w:tr></w:tbl>" + para(r_("完")))), reads())
text_case("d2", lambda: write("d2.docx", docx_bytes(para(
    r_("2023年全市地区生产总值"), f"<w:ins {W1}><w:del {W2}><w:r><w:delText>9999</w:delText></w:r></w:del></w:ins>",
    r_("5571.17亿元。")))), reads())


def _d3() -> Path:
    wb, _ = long_wb(9999)
    ole = ('<w:r><w:object xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
           f'{RNS}><v:shape id="_x0000_i1025" style="width:200pt;height:50pt"/>'
           '<o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" ShapeID="_x0000_i1025" DrawAspect="Content" '
           'ObjectID="_1700000000" r:id="rIdOle1"/></w:object></w:r>')
    return write("d3.docx", docx_bytes(
        para(r_(P1)) + para(ole),
        extra={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": xlsx_bytes(wb)},
        rels='<Relationship Id="rIdOle1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/package" '
             'Target="embeddings/Microsoft_Excel_Worksheet.xlsx"/>',
        ctypes='<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>'))


text_case("d3", _d3, lambda r: reads()(r) or (
    None if re.search("embed|OLE|object|嵌入|对象", r.out, re.I) else "the embedded object dropped without a word"))
text_case("d4", lambda: write("d4.docx", docx_bytes(para(
    r_("2023年全市地区生产总值"), f'<w:hyperlink w:anchor="x">{r_("5571.17")}</w:hyperlink>', r_("亿元。")))), reads())
text_case("d5", lambda: write("d5.docx", docx_bytes(para(
    r_("2023年全市地区生产总值"), f'<w:smartTag w:uri="urn:x" w:element="num">{r_("5571.17")}</w:smartTag>',
    r_("亿元。")))), reads())
text_case("d6", lambda: write("d6.docx", docx_bytes(
    "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>" + para(r_(P9)) + "</w:sdtContent></w:sdt>"
    + para(r_(P1)))), reads())


def _d7() -> Path:
    def utf16(b: bytes) -> bytes:
        s = b.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
        return s.encode("utf-16")
    return write("d7.docx", patch(docx_bytes(para(r_(P1))), "word/document.xml", utf16, raw=True))


text_case("d7", _d7, either(reads(), exit2("d7")))


def _d8() -> Path:
    port = listener().port
    return write("d8.docx", patch(docx_bytes(para(r_(P1))), "word/document.xml", lambda s: re.sub(
        r"(<\?xml[^>]*\?>)", rf'\1<!DOCTYPE w:document SYSTEM "http://127.0.0.1:{port}/x.dtd">', s, count=1)))


text_case("d8", _d8, fetched_none(either(reads(within=30), exit2("d8", within=30))))
text_case("d9", lambda: write("d9.docx", zip_headers(docx_bytes(para(r_(P1))), flag=1)),
          exit2("d9", "encrypt|password|加密|密码"))


# PDF
def pdf_bytes(pages: list[str]) -> bytes:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from matplotlib.backends.backend_pdf import PdfPages
    fonts = [f.fname for f in font_manager.fontManager.ttflist
             if "CJK" in f.name or "Noto Sans SC" in f.name or "WenQuanYi" in f.name]
    b = io.BytesIO()
    with plt.rc_context({"pdf.fonttype": 42}), PdfPages(b) as pdf_:
        for text in pages:
            fig = plt.figure(figsize=(4, 2))
            kw_ = {"fontproperties": font_manager.FontProperties(fname=fonts[0])} if fonts else {}
            fig.text(0.05, 0.5, text, **kw_)
            pdf_.savefig(fig)
            plt.close(fig)
    return b.getvalue()


def _writer_bytes(w) -> bytes:
    b = io.BytesIO()
    w.write(b)
    return b.getvalue()


def _e1() -> Path:
    from pypdf import PdfReader, PdfWriter
    w = PdfWriter()
    for pg in PdfReader(io.BytesIO(pdf_bytes([P1]))).pages:
        w.add_page(pg)
    try:
        w.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    except Exception as exc:  # noqa: BLE001
        raise SkipCase(f"cannot build AES-128: {exc}") from None
    return write("e1.pdf", _writer_bytes(w))


class SkipCase(Exception):
    pass


def _e2() -> Path:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        TextStringObject,
    )
    w = PdfWriter()
    for pg in PdfReader(io.BytesIO(pdf_bytes([P1]))).pages:
        w.add_page(pg)
    w._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): DictionaryObject({
        NameObject("/Names"): ArrayObject([TextStringObject("p25"), DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('probe25');")})])})})
    launch = DictionaryObject({NameObject("/S"): NameObject("/Launch"),
                               NameObject("/F"): TextStringObject("/usr/bin/touch"),
                               NameObject("/Unix"): DictionaryObject({
                                   NameObject("/F"): TextStringObject("/usr/bin/touch"),
                                   NameObject("/P"): TextStringObject(str(ROOT / "launched"))})})
    w._root_object[NameObject("/OpenAction")] = launch
    annot = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
                              NameObject("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(100), FloatObject(100)]),
                              NameObject("/A"): launch})
    w.pages[0][NameObject("/Annots")] = ArrayObject([w._add_object(annot)])
    return write("e2.pdf", _writer_bytes(w))


def _e3() -> Path:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject, StreamObject
    w = PdfWriter()
    for pg in PdfReader(io.BytesIO(pdf_bytes([P1]))).pages:
        w.add_page(pg)
    page = w.pages[0]
    bomb = StreamObject()
    bomb.set_data(b"")
    bomb._data = zlib.compress(b" " * 300_000_000, 9)
    bomb[NameObject("/Filter")] = NameObject("/FlateDecode")
    contents = page["/Contents"]
    page[NameObject("/Contents")] = ArrayObject([contents if not isinstance(contents, ArrayObject) else contents[0],
                                                 w._add_object(bomb)])
    return write("e3.pdf", _writer_bytes(w))


def _e4() -> Path:
    from pypdf import PdfWriter
    from pypdf.generic import NameObject
    base = write("e4base.pdf", pdf_bytes([P9, P1]))
    w = PdfWriter(base, incremental=True)
    p0, p1 = w.pages[0], w.pages[1]
    p0[NameObject("/Contents")] = p1.raw_get("/Contents")
    p0[NameObject("/Resources")] = p1.raw_get("/Resources")
    data = _writer_bytes(w)
    assert data.startswith(base.read_bytes()), "not an incremental update"
    return write("e4.pdf", data)


text_case("e1", _e1, either(reads(), exit2("e1", "encrypt|password|加密|密码")))
text_case("e2", _e2, lambda r: reads()(r) or ("the launch ran" if (ROOT / "launched").exists() else None))


def _e3_check(r: Run) -> str | None:
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if rss > 1536:
        return f"a child's peak memory {rss:.0f} MB"
    return either(reads(within=60), exit2("e3", "limit|large|大|限"))(r)


text_case("e3", _e3, _e3_check)
text_case("e4", _e4, reads())


# HTML
def page(body: str, head: str = '<meta charset="utf-8">') -> str:
    return f"<!doctype html><html><head>{head}<title>t</title></head><body>{body}</body></html>"


text_case("f1", lambda: write("f1.html", page(f"<p>{P1}</p>", '<meta charset="utf-16">').encode()), reads())
text_case("f2", lambda: write("f2.html", page(f"<p>{P1}</p>", '<meta charset="big5">').encode("gbk")),
          either(lambda r: reads()(r) or (None if "地区生产总值" in r.out else "the sentence not as written"),
                 exit2("f2", "encod|编码|big5")))
text_case("f3", lambda: write("f3.html", page(f"<p>{P1}</p><p>朱镕基题词。</p>", '<meta charset="gb2312">').encode("gbk")),
          lambda r: reads()(r) or (None if "地区生产总值" in r.out else "the sentence not as written"))


def _f4(r: Run) -> str | None:
    if b := clean(r):
        return b
    if r.rc != 0:
        return f"exit {r.rc}"
    if "5571.17" in r.out:
        return None
    vals = [ln.split(",")[4] for ln in r.out.splitlines()[1:] if ln.count(",") > 5]
    return f"read {vals}" if vals else None


text_case("f4", lambda: write("f4.html", page("<p>2023年全市地区生产总值5571<br>.17亿元。</p>").encode()), _f4)
text_case("f5", lambda: write("f5.html", page("<p>2023年全市地区生产总值<del>9999</del><ins>5571.17</ins>亿元。</p>").encode()),
          reads())
text_case("f6", lambda: write("f6.html", page("<p>2023年全市地区生产总值<s>9999</s>5571.17亿元。</p>"
                                                "<p>2023年全市地区生产总值<strike>9999</strike>5571.17亿元。</p>").encode()),
          reads())


# ================================================================================================
# G. Paths and limits
def _g1(backend: str) -> tuple[bool, str]:
    d = ROOT / "g1"
    for i in range(6):
        d = d / (f"{i}" + "d" * 199)
    d.mkdir(parents=True, exist_ok=True)
    p = d / "f.csv"
    p.write_text(GOOD)
    return judge(cli_import(backend, "g1", p), either(ok(5571.17), refused("f.csv|path|路径")))


case(_g1)
CASES["G1"] = CASES.pop("_G1")


@case
def g2(backend: str) -> tuple[bool, str]:
    p = ROOT / ("x" * 296 + ".csv")
    r = cli_import(backend, "g2", p)
    return judge(r, refused("xxxx", exit_in=(3,)))


def fifo(name: str) -> Path:
    p = ROOT / name
    p.unlink(missing_ok=True)
    os.mkfifo(p)
    return p


@case(db_free=True)
def g3(backend: str) -> tuple[bool, str]:
    rc, out, secs = run_cli("extract", fifo("g3.txt"), "--region", "140100", "--year", "2024", timeout=10)
    return judge(Run(rc, out, [], secs), refused("g3.txt", exit_in=(3,)))


@case(db_free=True)
def g4(backend: str) -> tuple[bool, str]:
    url = fresh_db("sqlite", "g4")
    rc, out, secs = run_cli("plan", "load", fifo("g4.yaml"), db=url, timeout=10)
    return judge(Run(rc, out, [], secs), refused("g4.yaml", exit_in=(3,)))


def plan_load(name: str, text: str) -> Run:
    url = fresh_db("sqlite", name)
    p = write(name, text.encode())
    rc, out, secs = run_cli("plan", "load", p, db=url, timeout=60)
    return Run(rc, out, [], secs)


@case(db_free=True)
def g5(backend: str) -> tuple[bool, str]:
    return judge(plan_load("g5.json", "[" * 100_000 + "]" * 100_000), exit2("g5.json"))


@case(db_free=True)
def g6(backend: str) -> tuple[bool, str]:
    return judge(plan_load("g6.yaml", "[" * 50_000 + "]" * 50_000), exit2("g6.yaml", within=30))


IMETA = ("Level,iCode,iName,Direction,Weight,Parent,Type\n1,x1,X one,1,1,Index,Indicator\n"
         "1,x2,X two,1,1,Index,Indicator\n2,Index,The index,1,1,,Aggregate\n")
IDATA = "uName,uCode,x1,x2\nUnit A,A,1,10\nUnit B,B,2,30\nUnit C,C,4,20\n"
SPEC = ("name: s\nsteps:\n  - {name: normalise, step: normalise, method: minmax, params: {l_u: [0, 100]}}\n"
        "  - {name: aggregate, step: aggregate, method: amean}\n")


def index_build(name: str, idata: str = IDATA, imeta: str = IMETA, spec: str = SPEC, spec_name: str = "spec.yaml",
                timeout: int = 120) -> Run:
    d = ROOT / name
    shutil.rmtree(d, ignore_errors=True)
    i, m, s = write(f"{name}/iData.csv", idata.encode()), write(f"{name}/iMeta.csv", imeta.encode()), \
        write(f"{name}/{spec_name}", spec.encode())
    rc, out, secs = run_cli("index", "build", "--idata", i, "--imeta", m, "--spec", s, "--out", d / "out",
                            timeout=timeout)
    return Run(rc, out, [], secs)


@case(db_free=True)
def g7(backend: str) -> tuple[bool, str]:
    return judge(index_build("g7", spec="[" * 100_000 + "]" * 100_000, spec_name="s.json"), exit2("s.json"))


@case(db_free=True)
def g8(backend: str) -> tuple[bool, str]:
    p = write("g8.txt", (P1 * 250_000).encode())
    return judge(extract(p, timeout=150), either(
        exit2("g8", "limit|large|long|限|长"), lambda r: clean(r) or (
            f"took {r.secs:.0f}s" if r.secs > 120 else None if r.rc == 0 else f"exit {r.rc}")))


def _g9(backend: str, name: str, data: bytes) -> tuple[bool, str]:
    p = write(name, data)
    return judge(cli_import(backend, name.replace(".", "_"), p), refused(re.escape(name), exit_in=(2,)))


@case
def g9(backend: str) -> tuple[bool, str]:
    zb = io.BytesIO()
    with zipfile.ZipFile(zb, "w") as z:
        z.writestr("x.csv", GOOD)
    a, wa = _g9(backend, "g9.zip", zb.getvalue())
    b, wb_ = _g9(backend, "g9.csv.gz", gzip.compress(GOOD.encode()))
    return a and b, f"zip: {wa}\n        gz: {wb_}"


@case(db_free=True)
def g10(backend: str) -> tuple[bool, str]:
    n = 30_000
    cols = [f"x{i}" for i in range(n)]
    idata = "uName,uCode," + ",".join(cols) + "\n" + "".join(
        f"Unit {u},{u}," + ",".join(str((i * 7 + k) % 13 + 1) for i in range(n)) + "\n" for k, u in enumerate("ABC"))
    imeta = "Level,iCode,iName,Direction,Weight,Parent,Type\n" + "".join(
        f"1,{c},{c},1,1,Index,Indicator\n" for c in cols) + "2,Index,The index,1,1,,Aggregate\n"
    r = index_build("g10", idata=idata, imeta=imeta, timeout=150)
    return judge(r, either(exit2("limit|too many|限|多"), lambda x: clean(x) or (
        f"took {x.secs:.0f}s" if x.secs > 120 else None if x.rc == 0 else f"exit {x.rc}")))


# H. Outputs
HYPER = '=HYPERLINK("http://e.x","x")' + P1


@case(db_free=True)
def h1(backend: str) -> tuple[bool, str]:
    p = write("h1.txt", HYPER.encode())
    out = ROOT / "h1.xlsx"
    out.unlink(missing_ok=True)
    r = extract(p, "--review", str(out))

    def check(x: Run) -> str | None:
        if b := clean(x):
            return b
        if x.rc != 0 or not out.exists():
            return f"exit {x.rc}"
        wb = openpyxl.load_workbook(out)
        f = [c.coordinate for ws in wb for rw in ws.iter_rows() for c in rw if c.data_type == "f"]
        return f"formula cells {f}" if f else None
    return judge(r, check)


@case(db_free=True)
def h2(backend: str) -> tuple[bool, str]:
    import csv
    p = write("h2.txt", HYPER.encode())
    out = ROOT / "h2.csv"
    out.unlink(missing_ok=True)
    r = extract(p, "--out", str(out))

    def check(x: Run) -> str | None:
        if b := clean(x):
            return b
        if x.rc != 0 or not out.exists():
            return f"exit {x.rc}"
        bad = [c for rw in csv.reader(io.StringIO(out.read_text("utf-8-sig"))) for c in rw if c[:1] and c[0] in "=+-@"]
        return f"live cells {bad}" if bad else None
    return judge(r, check)


@case(db_free=True)
def h3(backend: str) -> tuple[bool, str]:
    p = write("h3.txt", ("2023年全市地区生产总值\x1b[2J5571.17亿元。\n" + P1).encode())
    return judge(extract(p), no_esc(lambda r: clean(r) or (None if r.rc in (0, 2) else f"exit {r.rc}")))


# ================================================================================================
# N. Neighbours of the cases that failed
csv_case("n1", b"\xfe\xff" + (L + row("5571.17") + row("5999", period="2023")).encode("utf-16-be")
         + "140100,2021,gdp,5000,亿元,,,".encode("utf-16-be") + b"\xd8\x00" + "x\n".encode("utf-16-be"),
         refused(r"(row|line|行) ?4|第4行", "UTF-16|surrogate|encoding|编码"))
import_case("n2", lambda: GOOD.encode(), lambda r: ok(5571.17)(r) or (
    "raw U+202E in the output" if "\u202e" in r.out else None), web=False, fname="x\u202ecsv.csv")


@case
def n3(backend: str) -> tuple[bool, str]:
    d = ROOT / "n3"
    rel = Path(*[f"{i}" + "e" * 139 for i in range(5)]) / "f.csv"
    (d / rel).parent.mkdir(parents=True, exist_ok=True)
    (d / rel).write_text(GOOD)
    url = fresh_db(backend, "n3")
    cmd = [*LANTU, "import", str(rel), "--db", url]
    t = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, cwd=d, timeout=120,
                       env={**os.environ, "LANTU_HOME": str(ROOT / "home"), "COLUMNS": "200"})
    r = Run(p.returncode, (p.stdout + p.stderr).decode("utf-8", "replace"), rows(url), time.monotonic() - t)
    drop_pg(url)
    return judge(r, ok(5571.17))


csv_case("n4", L.replace("value", "val\u202eue") + row("5571.17"),
         lambda r: refused("val")(r) or ("raw U+202E in the output" if "\u202e" in r.out else None))
csv_case("n5", L.replace(",unit", ",unit\x07") + row("5571.17"),
         lambda r: refused("unit")(r) or ("raw BEL in the output" if "\x07" in r.out else None))
import_case("n6", lambda: patch(xlsx_bytes(long_wb()[0]), SHEET, cell_sub(
    "B2", '<c r="B2" t="d"><v>2023-12-31T00:00:00</v></c>')), refused("B2|row 2|第2行", "period|day|日|年份"), ".xlsx")
import_case("n7", lambda: patch(xlsx_bytes(long_wb()[0]), SHEET, cell_sub(
    "D2", '<c r="D2" t="d"><v>2023-12-31T00:00:00</v></c>')), refused("D2|row 2|第2行"), ".xlsx")


@case(db_free=True)
def n8(backend: str) -> tuple[bool, str]:
    p = write("n8.docx", zip_headers(docx_bytes(para(r_("（一）加快建设物流枢纽。"))), flag=1))
    rc, out, secs = run_cli("plan", "parse", p, timeout=60)
    return judge(Run(rc, out, [], secs), exit2("n8", "encrypt|password|加密|密码"))


import_case("n9", lambda: zip_headers(xlsx_bytes(long_wb()[0]), flag=1, only=SHEET),
            refused("n9", "encrypt|password|加密|密码", exit_in=(2,)), ".xlsx",
            web_check=refused("encrypt|password|加密|密码"))
text_case("n10", lambda: write("n10.docx", docx_bytes(para(
    r_("2023年全市地区生产总值"), "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>" + r_("9999")
    + "</w:sdtContent></w:sdt>", r_("亿元。")) + para(r_(P1)))), reads())


def _n11() -> Path:
    ole = ('<w:r><w:object xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
           f'{RNS}><v:shape id="_x0000_i1026" style="width:200pt;height:50pt"/>'
           '<o:OLEObject Type="Embed" ProgID="Word.Document.12" ShapeID="_x0000_i1026" DrawAspect="Content" '
           'ObjectID="_1700000001" r:id="rIdOle2"/></w:object></w:r>')
    inner = docx_bytes(para(r_(P9)))
    return write("n11.docx", docx_bytes(
        para(r_(P1)) + f"<w:tbl><w:tr><w:tc>{para(ole)}</w:tc></w:tr></w:tbl>",
        extra={"word/embeddings/Microsoft_Word_Document.docx": inner},
        rels='<Relationship Id="rIdOle2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/package" '
             'Target="embeddings/Microsoft_Word_Document.docx"/>',
        ctypes='<Default Extension="docx" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document"/>'))


text_case("n11", _n11, lambda r: reads()(r) or (
    None if re.search("embed|OLE|object|嵌入|对象", r.out, re.I) else "the embedded object dropped without a word"))
text_case("n12", lambda: write("n12.html", page(
    '<p>2023年全市地区生产总值<span style="text-decoration: line-through">9999</span>5571.17亿元。</p>').encode()), reads())
text_case("n13", lambda: write("n13.html", page(
    '<p>2023年全市地区生产总值<ins><del datetime="2024-01-01">9999</del></ins>5571.17亿元。</p>').encode()), reads())


@case(db_free=True)
def n14(backend: str) -> tuple[bool, str]:
    long = ROOT / ("y" * 296 + ".txt")
    url = fresh_db("sqlite", "n14")
    runs = {
        "extract": run_cli("extract", long, "--region", "140100", "--year", "2024"),
        "plan load": run_cli("plan", "load", long.with_suffix(".yaml"), db=url),
        "index build": run_cli("index", "build", "--idata", long.with_suffix(".csv"), "--imeta", long.with_suffix(".csv"),
                               "--spec", long.with_suffix(".yaml"), "--out", ROOT / "n14out"),
    }
    res = [(k, judge(Run(rc, out, [], secs), refused("yyyy", exit_in=(3,)))) for k, (rc, out, secs) in runs.items()]
    return all(g for _, (g, _) in res), "\n        ".join(f"{k}: {w}" for k, (_, w) in res)


@case(db_free=True)
def n15(backend: str) -> tuple[bool, str]:
    return judge(index_build("n15", spec="[" * 50_000 + "]" * 50_000, spec_name="s.yaml"),
                 exit2("s.yaml", "deep|nest|深"))


@case(db_free=True)
def n16(backend: str) -> tuple[bool, str]:
    p = write("n16.txt", (P1 * 250_000).encode())
    rc, out, secs = run_cli("plan", "parse", p, "-o", ROOT / "n16.json", timeout=150)
    return judge(Run(rc, out, [], secs), either(
        exit2("n16", "limit|large|long|more than|限|长"), lambda r: clean(r) or (
            f"took {r.secs:.0f}s" if r.secs > 120 else None if r.rc == 0 else f"exit {r.rc}")))


@case
def n17(backend: str) -> tuple[bool, str]:
    out = []
    good = True
    for nm, data in (("n17a.xlsx", GOOD.encode()), ("n17b.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000)):
        r = web_import(backend, nm.replace(".", "_"), nm, data)
        g, w = judge(r, refused(re.escape(nm)))
        if "/imports/u" in r.out:
            g, w = False, w + "  ✗ the staged path shown"
        good &= g
        out.append(w)
    return good, "\n        ".join(out)


def _rich(cell: str, base: str, mark: str):
    def build() -> bytes:
        from openpyxl.cell.rich_text import CellRichText, TextBlock
        from openpyxl.cell.text import InlineFont
        wb, ws = long_wb()
        ws[cell] = CellRichText([base, TextBlock(InlineFont(vertAlign="superscript"), mark)])
        return xlsx_bytes(wb)
    return build


import_case("n18", _rich("D2", "5571.17", "2"), either(refused("D2|row 2|第2行"), ok(5571.17)), ".xlsx")
import_case("n19", _rich("A2", "太原市", "1"), either(refused("row 2|第2行", "region|地区"), ok(5571.17)), ".xlsx")


# ================================================================================================
def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    backends = ("sqlite",) if "--sqlite-only" in sys.argv else ("sqlite", "pg")
    ROOT.mkdir(parents=True, exist_ok=True)
    (ROOT / "template.db").unlink(missing_ok=True)
    if "pg" in backends:
        with _pg_admin() as c:
            c.execute('DROP DATABASE IF EXISTS "probe25_tpl" WITH (FORCE)')
    names = [n.upper() for n in args] or list(CASES)
    right = 0
    for name in names:
        fn = CASES[name]
        results = []
        for backend in (("sqlite",) if name in DB_FREE else backends):
            try:
                results.append((backend, *fn(backend)))
            except SkipCase as exc:
                results.append((backend, False, f"SKIPPED: {exc}"))
            except Exception as exc:  # noqa: BLE001 - a runner error is reported, not fatal
                results.append((backend, False, f"RUNNER ERROR {type(exc).__name__}: {exc}"))
        good = all(g for _, g, _ in results)
        right += good
        print(f"{'✓' if good else '✗'} {name}")
        for backend, g, why in results:
            print(f"    [{backend}] {'ok ' if g else 'NOT'} {why}")
        sys.stdout.flush()
    print(f"\n{right} of {len(names)} right ({', '.join(backends)}; both doors for imports)")


if __name__ == "__main__":
    main()
