"""Run the eleventh round's file and CLI cases (benchmarks/probe18_cases.md) on SQLite and PostgreSQL.

Each case builds its file(s) in a scratch directory (``$P18_DIR``, default /tmp/p18) and runs
``lantu`` in a subprocess on a fresh database: a copy of an initialised SQLite file, or a
PostgreSQL database cloned from an initialised template (``CREATE DATABASE … TEMPLATE``; the
names start ``p18_``, so other sessions' test databases are never touched). Each case's answer,
written in probe18_cases.md before the first run, is a check here; a case is right when it is
right on both databases. Run: ``PYTHONPATH=src python benchmarks/probe18_run.py [--sqlite-only]
[IDS…]``; it prints one line per case and database, and the totals. It is a probe, not a test."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

ROOT = Path(os.environ.get("P18_DIR", "/tmp/p18"))
PG_SERVER = os.environ.get("P18_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
L = "region_code,period,indicator,value,unit,flags,source_url,excerpt\n"
LANTU = [sys.executable, "-c", "import sys; from lantu.cli import main; sys.argv[0]='lantu'; main()"]
BACKENDS = ("sqlite", "pg")
CASES: dict[str, Callable[[str], tuple[bool, str]]] = {}
DB_FREE: set[str] = set()  # cases that touch no database: run once, count for both


@dataclass
class Run:
    rc: int
    out: str
    rows: list[tuple]
    secs: float


def case(fn=None, *, db_free: bool = False):
    def deco(f):
        CASES[f.__name__.upper()] = f
        if db_free:
            DB_FREE.add(f.__name__.upper())
        return f
    return deco(fn) if fn else deco


# -- databases ---------------------------------------------------------------------------------
def _pg_admin():
    import psycopg
    url = PG_SERVER.replace("postgresql+psycopg://", "postgresql://")
    return psycopg.connect(url, autocommit=True)


def _pg_url(name: str) -> str:
    return PG_SERVER.rsplit("/", 1)[0] + "/" + name


def fresh_db(backend: str, name: str) -> str:
    """A SQLAlchemy URL of an initialised, empty database for one case."""
    if backend == "sqlite":
        tpl = ROOT / "template.db"
        if not tpl.exists():
            run_cli("init", db=f"sqlite:///{tpl}")
        d = ROOT / f"{name}.db"
        shutil.copy(tpl, d)
        return f"sqlite:///{d}"
    with _pg_admin() as c:
        has = c.execute("select 1 from pg_database where datname = 'p18_tpl'").fetchone()
        if not has:
            c.execute('CREATE DATABASE "p18_tpl"')
            run_cli("init", db=_pg_url("p18_tpl"))
        c.execute(f'DROP DATABASE IF EXISTS "p18_{name}"')
        c.execute(f'CREATE DATABASE "p18_{name}" TEMPLATE "p18_tpl"')
    return _pg_url(f"p18_{name}")


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
    cmd = [*LANTU, *map(str, args)]
    if db is not None:
        cmd += ["--db", db]
    t = time.monotonic()
    e = {**os.environ, "LANTU_HOME": str(ROOT / "home"), "COLUMNS": "200", **(env or {})}
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, env=e)
        return p.returncode, (p.stdout + p.stderr).decode("utf-8", "replace"), time.monotonic() - t
    except subprocess.TimeoutExpired:
        return -999, "TIMEOUT", time.monotonic() - t


def imp_path(backend: str, name: str, *paths: str | Path, extra: tuple = (), timeout: int = 120) -> Run:
    url = fresh_db(backend, name)
    rc, out, secs = run_cli("import", *paths, *extra, db=url, timeout=timeout)
    r = Run(rc, out, rows(url), secs)
    drop_pg(url)
    return r


def imp(backend: str, name: str, data: bytes | str, suffix: str = ".csv", *extra: str) -> Run:
    p = ROOT / f"{name}{suffix}"
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return imp_path(backend, name, p, extra=extra)


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
    return None


def ok(*values: float, n: int | None = None) -> Callable[[Run], str | None]:
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


def refused(*words: str, exit_in: tuple[int, ...] | None = None) -> Callable[[Run], str | None]:
    """Exit ≠ 0, nothing stored, no traceback, and every word (a regex, any case) in the output."""
    def check(r: Run) -> str | None:
        if bad := clean(r):
            return bad
        if r.rc == 0:
            return "exit 0"
        if exit_in and r.rc not in exit_in:
            return f"exit {r.rc}, not {exit_in}"
        if r.rows:
            return f"stored {r.rows}"
        missing = [w for w in words if not re.search(w, r.out, re.I | re.S)]
        return f"output lacks {missing}" if missing else None
    return check


def gap() -> Callable[[Run], str | None]:
    def check(r: Run) -> str | None:
        if bad := clean(r):
            return bad
        return None if r.rc == 0 and not r.rows else f"exit {r.rc}, rows {r.rows}"
    return check


def either(*checks: Callable[[Run], str | None]) -> Callable[[Run], str | None]:
    def check(r: Run) -> str | None:
        answers = [c(r) for c in checks]
        return None if any(a is None for a in answers) else " / ".join(a or "" for a in answers)
    return check


ROW2_VALUE = (r"row 2", r"value")


def judge(r: Run, check: Callable[[Run], str | None]) -> tuple[bool, str]:
    why = check(r)
    first = " ⏎ ".join(r.out.strip().splitlines()[:3])[:300]
    return why is None, f"rc={r.rc} {r.secs:.1f}s rows={r.rows[:3]}{'…' if len(r.rows) > 3 else ''} | {first}" + (
        f"  ✗ {why}" if why else "")


def csv_case(name: str, data: bytes | str, check, suffix: str = ".csv", *extra: str):
    def f(backend: str) -> tuple[bool, str]:
        return judge(imp(backend, name, data, suffix, *extra), check)
    f.__name__ = name
    return case(f)


def num(name: str, value: str, check, ind: str = "gdp", unit: str = "亿元"):
    return csv_case(name, L + row(value, ind, unit), check)


# -- A: CSV bytes and structure -----------------------------------------------------------------
csv_case("a1", "sep=;\n" + GOOD.replace(",", ";"), ok(5571.17))
csv_case("a2", "sep=,\n" + GOOD, ok(5571.17))
csv_case("a3", "sep=,\n", refused())
csv_case("a4", L + '140100,2022,gdp,5571.17,亿元,,,"上\r\n下"\n', ok(5571.17))
csv_case("a5", "region_code,period,indicator,value,unit,value\n140100,2022,gdp,5571.17,亿元,1\n",
         refused(r"value", r"twice|more than once|duplicate|重复|两次"))
csv_case("a6", L.rstrip("\n") + ",\n" + row("5571.17").rstrip("\n") + ",9999\n", refused(r"row 2"))
csv_case("a7", b"\xef\xbb\xbf" + (L + row("5121.61", period="2021")).encode()
         + b"\xef\xbb\xbf" + GOOD.encode(), refused(r"row 3", r"header"))
csv_case("a8", GOOD.encode() + b"\x00" * 4096, refused(r"row 3|line 3|NUL|U\+0000|control|binary"))
csv_case("a9", L + row("5121.61", period="2021").rstrip("\n") + ",\n" + row("5571.17").rstrip("\n") + ",\n",
         ok(5121.61, 5571.17))
csv_case("a10", "Region_Code , Period,INDICATOR, Value ,unit,flags,source_url,excerpt\n" + row("5571.17"),
         ok(5571.17))
csv_case("a12", L + row("5571\u200b.17"), either(ok(5571.17), refused(*ROW2_VALUE)))
csv_case("a13", ",,,,,,,\n" * 3, refused())
csv_case("a14", L + row("1", period="2020") + row("2", period="2021").rstrip("\n") + "\r\r\n"
         + row("5571.17"), ok(1, 2, 5571.17))
csv_case("a15", L + row("5571.17", excerpt="见\t表"), ok(5571.17))
csv_case("a16", "\ufeff" + L + "\ufeff" + row("5571.17"), ok(5571.17))


@case
def a11(backend: str) -> tuple[bool, str]:
    """Refused naming row 2 and the excerpt, or stored without the override."""
    r = imp(backend, "a11", L + row("5571.17", excerpt="见\u202e表"))
    bad = any("\u202e" in (x[5] or "") for x in r.rows)
    return judge(r, lambda r_: "stored with U+202E" if bad else either(refused(r"row 2", r"excerpt"), ok(5571.17))(r_))


# -- B: numbers ----------------------------------------------------------------------------------
num("b1", "0.55万亿", ok(5500), unit="")
num("b2", "5571.17 亿元", ok(5571.17), unit="")
num("b3", "+5.2", ok(5.2), "gdp_growth", "%")
num("b4", "5.2 %", ok(5.2), "gdp_growth", "%")
num("b5", ".5", ok(0.5), "gdp_growth", "%")
num("b6", "12-", refused(*ROW2_VALUE), "gdp_growth", "%")
num("b7", "5571.17*", refused(*ROW2_VALUE))
num("b8", "5571.17¹", refused(*ROW2_VALUE))
num("b9", '"5 571,17"', refused(*ROW2_VALUE))
num("b10", "百分之五", refused(*ROW2_VALUE), "gdp_growth", "%")
num("b11", "=5571.17", either(refused(*ROW2_VALUE), ok(5571.17)))
num("b12", "－", gap())
num("b13", "空", either(gap(), refused(*ROW2_VALUE)))
num("b14", "1.2亿元", refused(r"row 2"), "population", "")
num("b15", "5571.17e", refused(*ROW2_VALUE))
num("b16", "1e-400", refused(*ROW2_VALUE, r"small"), "gdp_growth", "%")
num("b17", "0.000", ok(0), "gdp_growth", "%")
num("b18", "5٬571.17", refused(*ROW2_VALUE))


# -- C: periods ----------------------------------------------------------------------------------
def per(name, p, check):
    return csv_case(name, L + row("5571.17", period=p), check)


ROW2_PERIOD = (r"row 2", r"period")
per("c1", "2022年度", either(ok(5571.17), refused(*ROW2_PERIOD)))
per("c2", "二〇二二年", either(ok(5571.17), refused(*ROW2_PERIOD)))
per("c3", "2022.0", either(ok(5571.17), refused(*ROW2_PERIOD)))
per("c4", "2022H1", refused(*ROW2_PERIOD))
per("c5", "2022年上半年", refused(*ROW2_PERIOD))
per("c6a", "2022 Q1", either(ok(5571.17), refused(*ROW2_PERIOD)))
per("c6b", "2022-Q1", either(ok(5571.17), refused(*ROW2_PERIOD)))
per("c7", "'2022", either(ok(5571.17), refused(*ROW2_PERIOD)))
per("c8", "99999", refused(*ROW2_PERIOD))
per("c9", "2022\u200d", either(ok(5571.17), refused(*ROW2_PERIOD)))


def period_is(expected: str, inner):
    def check(r: Run) -> str | None:
        if (bad := inner(r)) is not None:
            return bad
        return None if not r.rows or all(x[1] == expected for x in r.rows) else f"period {r.rows[0][1]}"
    return check


# the stored period must be what the answer says (C1, C3, C6 never a month)
CASES["C1"] = csv_case("c1", L + row("5571.17", period="2022年度"),
                       either(period_is("2022", ok(5571.17)), refused(*ROW2_PERIOD)))
CASES["C3"] = csv_case("c3", L + row("5571.17", period="2022.0"),
                       either(period_is("2022", ok(5571.17)), refused(*ROW2_PERIOD)))
CASES["C6A"] = csv_case("c6a", L + row("5571.17", period="2022 Q1"),
                        either(period_is("2022Q1", ok(5571.17)), refused(*ROW2_PERIOD)))
CASES["C6B"] = csv_case("c6b", L + row("5571.17", period="2022-Q1"),
                        either(period_is("2022Q1", ok(5571.17)), refused(*ROW2_PERIOD)))


# -- D: regions ----------------------------------------------------------------------------------
def region_is(expected: str, inner):
    def check(r: Run) -> str | None:
        if (bad := inner(r)) is not None:
            return bad
        return None if all(x[0] == expected for x in r.rows) else f"region {r.rows[0][0]}"
    return check


def reg(name, region, check):
    return csv_case(name, L + row("5571.17", region=region), check)


ROW2_REGION = (r"row 2", r"region")
reg("d1", "140100\t", region_is("140100", ok(5571.17)))
reg("d2", "140 100", either(refused(*ROW2_REGION), region_is("140100", ok(5571.17))))
reg("d3", "太原", either(region_is("140100", ok(5571.17)), refused(*ROW2_REGION)))
reg("d4", "Taiyuan", either(region_is("140100", ok(5571.17)), refused(*ROW2_REGION)))
reg("d5", "'140100", either(region_is("140100", ok(5571.17)), refused(*ROW2_REGION)))
reg("d6", "140100\u00ad", region_is("140100", ok(5571.17)))


# -- E: workbooks --------------------------------------------------------------------------------
def xlsx_bytes(wb) -> bytes:
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def long_wb(value=5571.17):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["region_code", "period", "indicator", "value", "unit"])
    ws.append(["140100", "2022", "gdp", value, "亿元"])
    return wb, ws


def patch(data: bytes, member: str, fn, extra: dict[str, bytes] | None = None, drop: str = "") -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename == drop:
                continue
            body = src.read(info.filename)
            if info.filename == member:
                body = fn(body.decode()).encode()
            z.writestr(info.filename, body)
        for k, v in (extra or {}).items():
            z.writestr(k, v)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def xcase(name: str, data: bytes, check, *extra: str):
    return csv_case(name, data, check, ".xlsx", *extra)


def _e1() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "封面"
    ws = wb.create_sheet("数据")
    ws.append(["region_code", "period", "indicator", "value", "unit"])
    ws.append(["140100", "2022", "gdp", 5571.17, "亿元"])
    ws.sheet_state = "hidden"
    return xlsx_bytes(wb)


xcase("e1", _e1(), refused(r"数据", r"hidden|隐藏"))


def _strict() -> bytes:
    wb, _ = long_wb()
    data = xlsx_bytes(wb)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.endswith(".xml") or info.filename.endswith(".rels"):
                s = body.decode()
                s = s.replace("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                              "http://purl.oclc.org/ooxml/spreadsheetml/main")
                s = s.replace("http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
                              "http://purl.oclc.org/ooxml/officeDocument/relationships/")
                s = s.replace("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                              "http://purl.oclc.org/ooxml/officeDocument/relationships")
                if info.filename == "xl/workbook.xml":
                    s = s.replace("<workbook ", '<workbook conformance="strict" ', 1)
                body = s.encode()
            z.writestr(info.filename, body)
    return out.getvalue()


xcase("e2", _strict(), either(ok(5571.17), refused(r"strict", exit_in=(2,))))


def _cellv(v: str) -> bytes:
    wb, _ = long_wb(1234.5)
    return patch(xlsx_bytes(wb), SHEET, lambda s: s.replace("<v>1234.5</v>", f"<v>{v}</v>"))


CELL_D2 = (r"row 2", r"value|'D'|D2")
xcase("e3", _cellv("NaN"), refused(*CELL_D2))
xcase("e4", _cellv("INF"), refused(*CELL_D2))
xcase("e5", _cellv("5571.17亿"), refused(r"row 2|D2|corrupt|damaged|损坏"))


def _dupcell() -> bytes:
    wb, _ = long_wb(5121.61)
    return patch(xlsx_bytes(wb), SHEET, lambda s: re.sub(
        r'(<c r="D2"[^>]*><v>5121.61</v></c>)', r'\1<c r="D2" t="n"><v>5571.17</v></c>', s))


xcase("e6", _dupcell(), refused(r"D2|row 2|corrupt|twice|damaged"))


def _inline_explicit() -> bytes:
    wb, _ = long_wb()
    data = xlsx_bytes(wb)
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData>'
             + "".join(f'<row r="{i}">' + "".join(
                 f'<c r="{c}{i}" t="inlineStr"><is><t>{v}</t></is></c>' for c, v in zip("ABCDE", vals)) + "</row>"
                 for i, vals in ((1, ["region_code", "period", "indicator", "value", "unit"]),
                                 (2, ["140100", "2022", "gdp", "5571.17", "亿元"])))
             + "</sheetData></worksheet>")
    return patch(data, SHEET, lambda s: sheet)


xcase("e7", _inline_explicit(), ok(5571.17))


def _traversal() -> bytes:
    wb, _ = long_wb()
    return patch(xlsx_bytes(wb), "", lambda s: s, extra={"../../../tmp/p18/evil.txt": b"pwned"})


@case
def e8(backend: str) -> tuple[bool, str]:
    (ROOT / "evil.txt").unlink(missing_ok=True)
    r = imp(backend, "e8", _traversal(), ".xlsx")
    wrote = (ROOT / "evil.txt").exists() or Path("/tmp/evil.txt").exists()
    return judge(r, lambda r_: "a file written outside" if wrote else either(ok(5571.17), refused())(r_))


def _ssbomb() -> bytes:
    wb, _ = long_wb()
    data = xlsx_bytes(wb)
    n = 3_000_000
    sst = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
           f'spreadsheetml/2006/main" count="{n}" uniqueCount="{n}">' + "<si><t>x</t></si>" * n + "</sst>")
    d = patch(data, "[Content_Types].xml", lambda s: s.replace(
        "</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        if "sharedStrings" not in s else s, extra={"xl/sharedStrings.xml": sst.encode()}
        if "xl/sharedStrings.xml" not in zipfile.ZipFile(io.BytesIO(data)).namelist() else None)
    d = patch(d, "xl/_rels/workbook.xml.rels", lambda s: s if "sharedStrings" in s else s.replace(
        "</Relationships>", '<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    return d


@case
def e9(backend: str) -> tuple[bool, str]:
    r = imp(backend, "e9", _ssbomb(), ".xlsx")
    slow = r.secs > 60
    return judge(r, lambda r_: "slower than 60 s" if slow else either(ok(5571.17), refused())(r_))


def _sidx(idx: str) -> bytes:
    wb, _ = long_wb()
    data = xlsx_bytes(wb)
    return patch(data, SHEET, lambda s: re.sub(r'<c r="A2"[^>]*>.*?</c>', f'<c r="A2" t="s"><v>{idx}</v></c>', s))


xcase("e10", _sidx("-1"), refused(r"A2|row 2|corrupt|damaged"))


def _hyper() -> bytes:
    wb, _ = long_wb(1234.5)
    return patch(xlsx_bytes(wb), SHEET, lambda s: s.replace(
        '<c r="D2" t="n"><v>1234.5</v></c>',
        '<c r="D2" t="str"><f>HYPERLINK("http://127.0.0.1:9/x","5571.17")</f><v>5571.17</v></c>'))


xcase("e11", _hyper(), ok(5571.17))
xcase("e12", patch(xlsx_bytes(long_wb()[0]), SHEET, lambda s: s.replace('<row r="2"', '<row r="0"')),
      refused(r"row|corrupt|damaged"))
xcase("e13", patch(xlsx_bytes(long_wb()[0]), SHEET, lambda s: "\x01garbage\x02" * 50),
      refused(r"e13\.xlsx", exit_in=(2,)))
xcase("e14", patch(xlsx_bytes(long_wb()[0]), "", lambda s: s, drop="[Content_Types].xml"),
      refused(r"e14\.xlsx", exit_in=(2,)))


# -- F: texts ------------------------------------------------------------------------------------
def extract(p: Path, timeout: int = 120) -> Run:
    rc, out, secs = run_cli("extract", p, "--region", "140100", "--year", "2024", timeout=timeout)
    return Run(rc, out, [], secs)


def reads(good: str = "5571.17", bad: str = "9999", within: float = 120):
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


def docx(name: str, body_xml: str, extra: dict[str, bytes] | None = None, rels: str = "",
         ctypes: str = "") -> Path:
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
    p = ROOT / f"{name}.docx"
    p.write_bytes(data)
    return p


def para(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def r_(t: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{t}</w:t></w:r>'


def text_case(name: str, build: Callable[[], Path], check):
    def f(backend: str) -> tuple[bool, str]:
        return judge(extract(build()), check)
    f.__name__ = name
    return case(f, db_free=True)


W = 'w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z"'
text_case("f1", lambda: docx("f1", para(r_("2023年全市地区生产总值"), f"<w:ins {W}>" + r_("5571.17亿元。") + "</w:ins>")),
          reads())
text_case("f2", lambda: docx("f2", para(
    r_("2023年全市地区生产总值"), '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
    '<w:r><w:instrText xml:space="preserve"> = 9999 </w:instrText></w:r>',
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', r_("5571.17"),
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>', r_("亿元。"))), reads())
MC = ('xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')
text_case("f3", lambda: docx("f3", para(
    r_("说明："),
    f'<w:r><mc:AlternateContent {MC}><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
    + para(r_("2023年全市地区生产总值5571.17亿元。")) + '</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape>'
    '<v:textbox><w:txbxContent>' + para(r_("2023年全市地区生产总值9999亿元。")) + "</w:txbxContent></v:textbox></v:shape></w:pict>"
    "</mc:Fallback></mc:AlternateContent></w:r>")), reads(good=""))
text_case("f4", lambda: docx(
    "f4", para(r_("2023年全市地区生产总值5571.17亿元。")) + '<w:altChunk r:id="rIdAC" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>',
    extra={"word/chunk.html": "<html><body><p>一般公共预算收入9999亿元。</p></body></html>".encode()},
    rels='<Relationship Id="rIdAC" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="chunk.html"/>',
    ctypes='<Default Extension="html" ContentType="text/html"/>'),
    lambda r: clean(r) or (None if r.rc == 0 and "5571.17" in r.out and ("9999" in r.out or re.search("altChunk|embedded|嵌入", r.out, re.I)) else "altChunk dropped silently" if r.rc == 0 else f"exit {r.rc}"))


def pdf(name: str, pages: list[str], **kw) -> Path:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from matplotlib.backends.backend_pdf import PdfPages
    fonts = [f.fname for f in font_manager.fontManager.ttflist
             if "CJK" in f.name or "Noto Sans SC" in f.name or "WenQuanYi" in f.name]
    p = ROOT / f"{name}.pdf"
    with plt.rc_context({"pdf.fonttype": 42}), PdfPages(p) as pdf_:
        for text in pages:
            fig = plt.figure(figsize=(4, 2))
            kw_ = {"fontproperties": font_manager.FontProperties(fname=fonts[0])} if fonts else {}
            fig.text(0.05, 0.5, text, **kw_)
            pdf_.savefig(fig)
            plt.close(fig)
    return p


P1 = "2023年全市地区生产总值5571.17亿元。"


def _rotated() -> Path:
    from pypdf import PdfReader, PdfWriter
    w = PdfWriter()
    for pg in PdfReader(pdf("f5src", [P1])).pages:
        pg.rotate(90)
        w.add_page(pg)
    p = ROOT / "f5.pdf"
    with open(p, "wb") as fh:
        w.write(fh)
    return p


def _many() -> Path:
    from pypdf import PdfReader, PdfWriter
    src = PdfReader(pdf("f6src", [P1]))
    w = PdfWriter()
    for _ in range(3000):
        w.add_page(src.pages[0])
    p = ROOT / "f6.pdf"
    with open(p, "wb") as fh:
        w.write(fh)
    return p


def _encrypted(name: str, user: str, owner: str, algorithm: str) -> Path:
    from pypdf import PdfReader, PdfWriter
    w = PdfWriter()
    for pg in PdfReader(pdf(name + "src", [P1])).pages:
        w.add_page(pg)
    w.encrypt(user_password=user, owner_password=owner, algorithm=algorithm)
    p = ROOT / f"{name}.pdf"
    with open(p, "wb") as fh:
        w.write(fh)
    return p


text_case("f5", _rotated, reads())
text_case("f6", _many, lambda r: clean(r) or (f"took {r.secs:.0f}s" if r.secs > 60 else None if (
    r.rc == 0 and "5571.17" in r.out) or (r.rc == 2 and re.search("page", r.out, re.I)) else f"exit {r.rc}"))
text_case("f7", lambda: _encrypted("f7", "", "owner", "RC4-128"), lambda r: clean(r) or (
    None if (r.rc == 0 and "5571.17" in r.out) or (r.rc == 2 and re.search("encrypt|password|密码", r.out, re.I))
    else f"exit {r.rc}"))
text_case("f8", lambda: _encrypted("f8", "user", "owner", "AES-256"), lambda r: clean(r) or (
    None if r.rc == 2 and re.search("password|密码|encrypt", r.out, re.I) else f"exit {r.rc}"))


def html(name: str, body: str, head: str = '<meta charset="utf-8">', raw: bytes | None = None) -> Path:
    p = ROOT / f"{name}.html"
    p.write_bytes(raw if raw is not None else
                  f"<!doctype html><html><head>{head}<title>t</title></head><body>{body}</body></html>".encode())
    return p


text_case("f9", lambda: html("f9", '<p>2023年全市地区生产总值5571.17亿元。</p><iframe srcdoc="<p>一般公共预算收入9999亿元。</p>">'
                             '</iframe><iframe src="file:///etc/passwd"></iframe>'),
          lambda r: reads()(r) or ("/etc/passwd read" if "root:x:0" in r.out else None))
text_case("f10", lambda: html("f10", "", raw=('<!doctype html><html><head><meta charset="gbk"><title>t</title></head>'
                                              "<body><p>2023年全市地区生产总值5571.17亿元。</p></body></html>").encode()),
          lambda r: clean(r) or (None if (r.rc == 0 and "5571.17" in r.out and "地区生产总值" in r.out.replace("gdp", "地区生产总值"))
                                 or (r.rc == 2 and re.search("encod|编码|charset", r.out, re.I)) else f"exit {r.rc}: {r.out[:100]}"))
text_case("f11", lambda: html("f11", "", raw=(
    '<!DOCTYPE html [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">]><html><head><meta charset="utf-8">'
    "</head><body><p>2023年全市地区生产总值5571.17亿元。</p><p>" + "&a;" * 100_000 + "</p></body></html>").encode()),
          reads(within=30))
text_case("f12", lambda: html("f12", "<table><tr><td><table><tr><td>2023年全市地区生产总值5571.17亿元。</td></tr></table>"
                              "</td></tr></table>"), reads())
text_case("f13", lambda: html("f13", "<div>" * 100_000 + "<p>2023年全市地区生产总值5571.17亿元。</p>" + "</div>" * 100_000),
          lambda r: clean(r) or (f"took {r.secs:.0f}s" if r.secs > 30 else None if r.rc in (0, 2) else f"exit {r.rc}"))


# -- G: command line, file system, environment ---------------------------------------------------
def gcase(name: str, db_free: bool = False):
    def deco(f):
        f.__name__ = name
        return case(f, db_free=db_free)
    return deco


def good_file(name: str) -> Path:
    p = ROOT / f"{name}.csv"
    p.write_text(GOOD)
    return p


def sys_refused(*words: str, codes=(3,)):
    return refused(*words, exit_in=codes)


@gcase("g1")
def _g1(backend):
    a, b = ROOT / "g1a.csv", ROOT / "g1b.csv"
    for x in (a, b):
        x.unlink(missing_ok=True)
    a.symlink_to(b)
    b.symlink_to(a)
    return judge(imp_path(backend, "g1", a), sys_refused(r"g1a\.csv"))


@gcase("g2")
def _g2(backend):
    if os.geteuid() == 0:
        return True, "skipped: root reads a file of mode 000"
    p = good_file("g2")
    p.chmod(0)
    return judge(imp_path(backend, "g2", p), sys_refused(r"g2\.csv"))


@gcase("g3")
def _g3(backend):
    p = good_file("g3")
    (ROOT / "sub").mkdir(exist_ok=True)
    return judge(imp_path(backend, "g3", p, f"{ROOT}/./sub/../g3.csv"),
                 either(ok(5571.17), refused(r"g3\.csv")))


@gcase("g4")
def _g4(backend):
    p = good_file("g4")
    link = ROOT / "g4link.csv"
    link.unlink(missing_ok=True)
    link.symlink_to(p)
    return judge(imp_path(backend, "g4", p, link), either(ok(5571.17), refused(r"g4")))


@gcase("g5")
def _g5(backend):
    good_file("-x")
    url = fresh_db(backend, "g5")
    rc, out, secs = run_cli("import", "-x.csv", db=url)
    r = Run(rc, out, rows(url), secs)
    drop_pg(url)
    return judge(r, refused(r"-x", exit_in=(2,)))


def _extract_opts(*opts: str) -> Run:
    p = ROOT / "g.txt"
    p.write_text(P1)
    rc, out, secs = run_cli("extract", p, *opts)
    return Run(rc, out, [], secs)


@gcase("g6", db_free=True)
def _g6(backend):
    return judge(_extract_opts("--region", "140100", "--year", "99999999999999999999"), refused(r"--year", exit_in=(2,)))


@gcase("g7", db_free=True)
def _g7(backend):
    return judge(_extract_opts("--region", "140100", "--year", "-5"), refused(r"--year", exit_in=(2,)))


@gcase("g8", db_free=True)
def _g8(backend):
    r = _extract_opts("--region", "14010０", "--year", "2024")
    return judge(r, either(reads(), refused(r"--region", exit_in=(2,))))


@gcase("g9")
def _g9(backend):
    url = fresh_db(backend, "g9")
    rc, out, secs = run_cli("import", "--lang", "xx", good_file("g9"), db=url)
    r = Run(rc, out, rows(url), secs)
    drop_pg(url)
    return judge(r, refused(r"lang", exit_in=(2,)))


def _home(backend, name, home: Path, env: dict | None = None):
    rc, out, secs = run_cli("import", good_file(name), env={"LANTU_HOME": str(home), **(env or {})})
    return Run(rc, out, [], secs)


@gcase("g10", db_free=True)
def _g10(backend):
    home = ROOT / "g10home"
    home.write_text("not a directory")
    return judge(_home(backend, "g10", home), refused(r"g10home", exit_in=(2, 3)))


@gcase("g11", db_free=True)
def _g11(backend):
    f = ROOT / "g11file"
    f.write_text("x")
    return judge(_home(backend, "g11", f / "home"), refused(r"g11file", exit_in=(2, 3)))


@gcase("g12")
def _g12(backend):
    url = fresh_db(backend, "g12")
    rc, out, secs = run_cli("import", good_file("g12"), db=url, env={"LANTU_WARN_DAYS": "abc"})
    r = Run(rc, out, rows(url), secs)
    drop_pg(url)
    return judge(r, refused(r"LANTU_WARN_DAYS", exit_in=(2,)))


@gcase("g13", db_free=True)
def _g13(backend):
    target = ROOT / "g13db.csv"
    target.write_text(GOOD)
    rc, out, secs = run_cli("import", good_file("g13"), db=f"sqlite:///{target}")
    changed = target.read_text() != GOOD
    r = Run(rc, out, [], secs)
    return judge(r, lambda r_: "the CSV was changed" if changed else refused(r"g13db", exit_in=(2, 3))(r_))


@gcase("g14", db_free=True)
def _g14(backend):
    if os.geteuid() == 0:
        return True, "skipped: root writes a file of mode 444"
    url = fresh_db("sqlite", "g14")
    Path(url.removeprefix("sqlite:///")).chmod(0o444)
    rc, out, secs = run_cli("import", good_file("g14"), db=url)
    return judge(Run(rc, out, rows(url), secs), sys_refused())


@gcase("g15", db_free=True)
def _g15(backend):
    rc, out, secs = run_cli("import", good_file("g15"), db="mysql://x/y")
    return judge(Run(rc, out, [], secs), refused(r"mysql", exit_in=(2, 3)))


@gcase("g16", db_free=True)
def _g16(backend):
    rc, out, secs = run_cli("import", good_file("g16"), db="postgresql+psycopg://postgres:s3cret@127.0.0.1:1/x")
    r = Run(rc, out, [], secs)
    return judge(r, lambda r_: "password shown" if "s3cret" in r_.out else sys_refused()(r_))


@gcase("g17", db_free=True)
def _g17(backend):
    d = ROOT / "g17dir"
    d.mkdir(exist_ok=True)
    rc, out, secs = run_cli("import", good_file("g17"), db=f"sqlite:///{d}")
    return judge(Run(rc, out, [], secs), refused(r"g17dir", exit_in=(2, 3)))


def big(name: str, n: int) -> Path:
    """A valid table of n rows (import_speed's generator: catalogue regions, indicators, years)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from import_speed import make_csv
    folder = ROOT / f"{name}_big"
    folder.mkdir(exist_ok=True)
    return make_csv(folder, n)[0]


def halves(name: str, n: int) -> tuple[Path, Path]:
    """Two files of n rows each with no key in common."""
    lines = big(name, 2 * n).read_text().splitlines(keepends=True)
    a, b = ROOT / f"{name}a.csv", ROOT / f"{name}b.csv"
    a.write_text(lines[0] + "".join(lines[1:n + 1]))
    b.write_text(lines[0] + "".join(lines[n + 1:]))
    return a, b


@gcase("g18")
def _g18(backend):
    a, b = halves("g18", 20000)
    url = fresh_db(backend, "g18")
    e = {**os.environ, "LANTU_HOME": str(ROOT / "home")}
    t = time.monotonic()
    ps = [subprocess.Popen([*LANTU, "import", str(x), "--db", url], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, env=e) for x in (a, b)]
    outs = [p.communicate(timeout=300)[0].decode() for p in ps]
    n = len(rows(url))
    drop_pg(url)
    rcs = [p.returncode for p in ps]
    out = " || ".join(o.strip()[:200] for o in outs)
    r = Run(max(rcs), out, [], time.monotonic() - t)
    if "Traceback" in out:
        return False, f"rc={rcs} rows={n} | {out}  ✗ traceback"
    right = (rcs == [0, 0] and n == 40000) or (sorted(rcs) == [0, 3] and n == 20000 and "busy" in out.lower())
    return right, f"rc={rcs} rows={n} {r.secs:.1f}s | {out}" + ("" if right else "  ✗")


@gcase("g19")
def _g19(backend):
    p = big("g19", 200000)
    url = fresh_db(backend, "g19")
    e = {**os.environ, "LANTU_HOME": str(ROOT / "home")}
    proc = subprocess.Popen([*LANTU, "import", str(p), "--db", url], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=e)
    time.sleep(float(os.environ.get("P18_HUP_AFTER", "6")))
    proc.send_signal(signal.SIGHUP)
    out = proc.communicate(timeout=120)[0].decode()
    n = len(rows(url))
    drop_pg(url)
    right = n == 0 and "Traceback" not in out
    return right, f"rc={proc.returncode} rows={n} | {out.strip()[:200]}" + ("" if right else "  ✗")


@gcase("g20")
def _g20(backend):
    p = good_file("g20")
    return judge(imp_path(backend, "g20", str(p) + "/"), sys_refused(r"g20"))


@gcase("g21")
def _g21(backend):
    (ROOT / "g21x").write_text("x")
    url = fresh_db(backend, "g21")
    rc, out, secs = run_cli("export", "observations", "--out", ROOT / "g21x" / "y.csv", db=url)
    drop_pg(url)
    return judge(Run(rc, out, [], secs), sys_refused(r"g21x"))


@gcase("g22")
def _g22(backend):
    p = ROOT / "g22.xlsx"
    p.write_bytes(xlsx_bytes(long_wb()[0]))
    return judge(imp_path(backend, "g22", p, extra=("--sheet", "")), refused(r"数据", exit_in=(2,)))


@gcase("g23", db_free=True)
def _g23(backend):
    mnt = ROOT / "tiny"
    mnt.mkdir(exist_ok=True)
    subprocess.run(["umount", str(mnt)], capture_output=True)
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", str(mnt)], capture_output=True)
    if m.returncode:
        return True, "skipped: cannot mount a tmpfs: " + m.stderr.decode()[:100]
    try:
        db = mnt / "x.db"
        shutil.copy(ROOT / "template.db", db)
        rc, out, secs = run_cli("import", big("g23", 20000), db=f"sqlite:///{db}")
        try:
            n = len(rows(f"sqlite:///{db}"))
            opens = "ok"
        except sqlite3.Error as e:
            n, opens = -1, f"database does not open: {e}"
        r = Run(rc, out, [] if n == 0 else [("?",)] * max(n, 1), secs)
        return judge(r, lambda r_: opens if opens != "ok" else sys_refused(r"space|full|空间")(r_))
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


# -- run -------------------------------------------------------------------------------------------
def main(argv: list[str]) -> None:
    ROOT.mkdir(parents=True, exist_ok=True)
    backends = ("sqlite",) if "--sqlite-only" in argv else BACKENDS
    wanted = [a.upper() for a in argv if not a.startswith("--")] or list(CASES)
    right = 0
    for cid in wanted:
        results = []
        for be in (backends[:1] if cid in DB_FREE else backends):
            try:
                good, line = CASES[cid](be)
            except Exception as e:  # noqa: BLE001 - a probe reports and goes on
                good, line = False, f"HARNESS ERROR {type(e).__name__}: {e}"
            results.append(good)
            print(f"{'✓' if good else '✗'} {cid:5} {be:6} {line}", flush=True)
        right += all(results)
    print(f"\nright on {'both' if len(backends) == 2 else 'SQLite'}: {right} / {len(wanted)}")


if __name__ == "__main__":
    main(sys.argv[1:])
