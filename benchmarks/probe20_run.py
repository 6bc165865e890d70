"""Run the twelfth round's file and CLI cases (benchmarks/probe20_cases.md) on SQLite and PostgreSQL.

probe18_run.py's harness (its scratch directory is ``$P20_DIR``, default /tmp/probe20; its
PostgreSQL databases are named ``probe20_…``, cloned from ``probe20_tpl``). Each case's answer,
written in probe20_cases.md before the first run, is a check here; a case is right when it is
right on both databases. Run: ``PYTHONPATH=src python benchmarks/probe20_run.py [--sqlite-only]
[IDS…]``. It is a probe, not a test."""


from __future__ import annotations

import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

ROOT = Path(os.environ.get("P20_DIR", "/tmp/probe20"))
PG_SERVER = os.environ.get("P20_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
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
        for extra in ("-wal", "-shm", "-journal"):  # runner fix: a killed run's log replayed
            Path(f"{d}{extra}").unlink(missing_ok=True)
        shutil.copy(tpl, d)
        return f"sqlite:///{d}"
    with _pg_admin() as c:
        has = c.execute("select 1 from pg_database where datname = 'probe20_tpl'").fetchone()
        if not has:
            c.execute('CREATE DATABASE "probe20_tpl"')
            run_cli("init", db=_pg_url("probe20_tpl"))
        c.execute(f'DROP DATABASE IF EXISTS "probe20_{name}"')
        c.execute(f'CREATE DATABASE "probe20_{name}" TEMPLATE "probe20_tpl"')
    return _pg_url(f"probe20_{name}")


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




SHEET = "xl/worksheets/sheet1.xml"
P1 = "2023年全市地区生产总值5571.17亿元。"

def per(name, p, check):
    return csv_case(name, L + row("5571.17", period=p), check)


ROW2_PERIOD = (r"row 2", r"period")


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


def _extract_opts(*opts: str) -> Run:
    p = ROOT / "g.txt"
    p.write_text(P1)
    rc, out, secs = run_cli("extract", p, *opts)
    return Run(rc, out, [], secs)


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


def html(name: str, body: str, head: str = '<meta charset="utf-8">', raw: bytes | None = None) -> Path:
    p = ROOT / f"{name}.html"
    p.write_bytes(raw if raw is not None else
                  f"<!doctype html><html><head>{head}<title>t</title></head><body>{body}</body></html>".encode())
    return p




def noted(*words: str, values: tuple[float, ...] = ()) -> Callable[[Run], str | None]:
    """Imported (the values), and every word (a regex) in the output: the column named."""
    def check(r: Run) -> str | None:
        if bad := ok(*values)(r):
            return bad
        missing = [w for w in words if not re.search(w, r.out, re.I | re.S)]
        return f"not noted: output lacks {missing}" if missing else None
    return check


def hdr(header: str, value_row: str = "140100,2022,gdp,5571.17,亿元,,,") -> str:
    return header + "\n" + value_row + "\n"


MEANT = r"mean|meant|intended|typo|misspel|拼写|想写|是否"

# -- H: headers the import does not know ---------------------------------------------------------
csv_case("h1", hdr(L.strip() + ",备注2", "140100,2022,gdp,5571.17,亿元,,,,见年鉴"), noted(r"备注2", values=(5571.17,)))
csv_case("h2", hdr(L.strip() + ",审核人", "140100,2022,gdp,5571.17,亿元,,,,"), ok(5571.17))
csv_case("h3", hdr(L.strip().replace("indicator", "指标代码x")), refused(r"指标代码x", r"指标代码'|indicator", MEANT))
csv_case("h4", hdr(L.strip().replace("value", "vlaue")), refused(r"vlaue", r"'value'|\bvalue\b", MEANT))
csv_case("h5", hdr(L.strip().replace("excerpt", "exerpt"), "140100,2022,gdp,5571.17,亿元,,,见表1"),
         refused(r"exerpt", r"excerpt", MEANT))
csv_case("h6", hdr(L.strip().replace("unit", "untis")), refused(r"untis", r"\bunit\b", MEANT))
csv_case("h7", hdr(L.strip().replace("source_url", "source_ulr"), "140100,2022,gdp,5571.17,亿元,,https://www.stats.gov.cn/x,"),
         refused(r"source_ulr", r"source_url", MEANT))
csv_case("h8", hdr(L.strip() + ",审核人", "140100,2022,gdp,5571.17,亿元,,,,张三"),
         lambda r: gap()(r) or (None if "审核人" in r.out else "not noted: output lacks 审核人"), ".csv", "--dry-run")
csv_case("h9", "地区,年份,指标,数值,单未,来源网址\n140100,2022,gdp,5571.17,亿元,\n", refused(r"单未", r"单位", MEANT))
csv_case("h11", "region_code,indicator,target_period,target_vaule,target_kind\n140100,gdp,2025,7000,level\n",
         refused(r"target_vaule", r"target_value", MEANT))
csv_case("h12", "region_code,period,indicator,数值,数值2\n140100,2022,gdp,5571.17,5121.61\n",
         either(refused(r"数值2"), noted(r"数值2", values=(5571.17,))))
csv_case("h13", hdr("region_code,period,indicator,ｖａｌｕｅ,unit,flags,source_url,excerpt"), ok(5571.17))
csv_case("h14", "region_code,period,indicator,value（亿元）\n140100,2022,gdp,5571.17\n",
         either(ok(5571.17), refused(r"value（亿元）|value\(亿元\)")))
csv_case("h15", "region_code,period,indicator,value,notes\n140100,2022,gdp,5571.17,见年鉴\n",
         either(refused(r"notes", r"\bnote\b"), ok(5571.17)))


def _h10() -> bytes:
    wb, ws = long_wb()
    ws["D1"] = "Vaule"
    return xlsx_bytes(wb)


xcase("h10", _h10(), refused(r"Vaule", r"\bvalue\b", MEANT))


# -- I: worksheet rows and cells ----------------------------------------------------------------
def _rowr(r: str) -> bytes:
    return patch(xlsx_bytes(long_wb()[0]), SHEET, lambda s: s.replace('<row r="2"', f'<row r="{r}"'))


xcase("i1", _rowr("0"), refused(r'r="0"|row 0', r"1|corrupt|damaged|损坏", exit_in=(2,)))
xcase("i2", _rowr("-1"), refused(r'r="-1"|row -1', exit_in=(2,)))
xcase("i3", _rowr("1048577"), refused(r"1048577|1,048,577"))
xcase("i4", _rowr("abc"), refused(r"abc|row|corrupt|damaged", exit_in=(2,)))


def _duprow() -> bytes:
    wb, _ = long_wb(5121.61)
    def f(s: str) -> str:
        m = re.search(r'<row r="2".*?</row>', s)
        return s.replace(m.group(0), m.group(0) + m.group(0).replace("5121.61", "5571.17"))
    return patch(xlsx_bytes(wb), SHEET, f)


xcase("i5", _duprow(), refused(r"row 2|corrupt|twice"))
xcase("i6", patch(xlsx_bytes(long_wb()[0]), SHEET, lambda s: s.replace('<c r="E2"', '<c r="D0"', 1)),
      refused(r"D0|corrupt|damaged"))


def _sidx_past() -> bytes:
    data = xlsx_bytes(long_wb()[0])
    return patch(data, SHEET, lambda s: re.sub(r'<c r="A2"[^>]*>.*?</c>', '<c r="A2" t="s"><v>999</v></c>', s))


xcase("i7", _sidx_past(), refused(r"A2|row 2|corrupt|damaged"))


def _cell_v(v: str) -> bytes:
    wb, _ = long_wb(1234.5)
    return patch(xlsx_bytes(wb), SHEET, lambda s: s.replace("<v>1234.5</v>", f"<v>{v}</v>"))


xcase("i8", _cell_v("1e309"), refused(r"row 2|D2", r"value|D2"))


def _veryhidden() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "封面"
    ws = wb.create_sheet("数据")
    ws.append(["region_code", "period", "indicator", "value", "unit"])
    ws.append(["140100", "2022", "gdp", 5571.17, "亿元"])
    ws.sheet_state = "veryHidden"
    return xlsx_bytes(wb)


xcase("i9", _veryhidden(), refused(r"数据", r"hidden|隐藏"))


# -- J: what users bring ------------------------------------------------------------------------
csv_case("j1", (L + "太原市,2021,gdp,5121.61,亿元,,,\n").encode() + "太原市,2022,gdp,5571.17,亿元,,,\n".encode("gbk"),
         refused(r"row 3|line 3", r"encod|GBK|UTF|编码"))
num("j2", "55\ufeff71.17", either(ok(5571.17), refused(*ROW2_VALUE)))
csv_case("j3", (L + row("5121.61", period="2021") + row("5571.17")).replace("\n", "\r"), ok(5121.61, 5571.17))


@case
def j4(backend: str) -> tuple[bool, str]:
    body = L + '140100,2022,gdp,5571.17,亿元,,,"见表\n' + "".join(row(str(i), period="2021") for i in range(10000))
    r = imp(backend, "j4", body)
    return judge(r, lambda r_: f"took {r_.secs:.0f}s" if r_.secs > 30 else refused(r"row 2", r"quot|引号")(r_))


csv_case("j5", L + row("1", period="2018") + row("2", period="2019") + L + row("3", period="2020") + row("4", period="2021"),
         refused(r"row 4", r"header"))
csv_case("j6", L + row("5121.61") + row("5571.17"), refused(r"row 2", r"row 3|3"))
csv_case("j7", L + row("5571.17") + row("5571.17"), either(ok(5571.17), refused(r"row 2", r"3")))


@case
def j8(backend: str) -> tuple[bool, str]:
    a, b = ROOT / "j8a.csv", ROOT / "j8b.csv"
    a.write_text(L + row("5121.61"))
    b.write_text(GOOD)
    r = imp_path(backend, "j8", a, b)
    def check(r_: Run) -> str | None:
        if (bad := ok(5571.17)(r_)) is None:
            return None if re.search(r"j8b\.csv.*1 revised", r_.out, re.S) else "revision not reported"
        return refused(r"j8a", r"j8b")(r_) and bad
    return judge(r, check)


num("j9", '"1,234.5"', ok(1234.5))
num("j10", '"1.234,5"', refused(*ROW2_VALUE))
num("j11", "１２３４．５", ok(1234.5))
num("j12", '"１，２３４．５"', either(ok(1234.5), refused(*ROW2_VALUE)))


@case
def j13(backend: str) -> tuple[bool, str]:
    body = L + "".join(row(v, period=str(y)) for v, y in (("—", 2019), ("-", 2020), ("/", 2021), ("——", 2022)))
    r = imp(backend, "j13", body)
    return judge(r, lambda r_: gap()(r_) or (None if re.search(r"\b4 empty", r_.out) else "not 4 empty cells"))


num("j14", "N/A", either(gap(), refused(*ROW2_VALUE)))
per("j15", "44927", refused(*ROW2_PERIOD))


def _datecell(fmt: str) -> bytes:
    import datetime as dt
    wb, ws = long_wb()
    ws["B2"] = dt.datetime(2023, 1, 1)
    ws["B2"].number_format = fmt
    return xlsx_bytes(wb)


def stored_period(expected: str, inner):
    def check(r: Run) -> str | None:
        if (bad := inner(r)) is not None:
            return bad
        return None if all(x[1] == expected for x in r.rows) else f"period {r.rows[0][1]}"
    return check


xcase("j16", _datecell("yyyy-mm-dd"), either(refused(r"row 2|B2", r"period|B2"), stored_period("2023-01", ok(5571.17))))
xcase("j17", _datecell("yyyy"), either(stored_period("2023", ok(5571.17)), refused(r"row 2|B2", r"period|B2")))
xcase("j18", patch(xlsx_bytes(long_wb(1234.5)[0]), SHEET, lambda s: re.sub(
    r'<c r="D2"[^>]*><v>1234.5</v></c>', '<c r="D2"><f>SUM(5000,571.17)</f><v>5571.17</v></c>', s)), ok(5571.17))
xcase("j19", patch(xlsx_bytes(long_wb(1234.5)[0]), SHEET, lambda s: re.sub(
    r'<c r="D2"[^>]*><v>1234.5</v></c>', '<c r="D2"><f>SUM(5000,571.17)</f></c>', s)),
    refused(r"row 2|D2", r"formula|公式"))


def _merged_header() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["region_code", "period", "indicator", "数值", None])
    ws.append(["140100", "2022", "gdp", 5571.17, 5121.61])
    ws.merge_cells("D1:E1")
    return xlsx_bytes(wb)


xcase("j20", _merged_header(), refused(r"\bE\b|E1|#5|column 5|merged|合并"))


def _two_down() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    h = ["region_code", "period", "indicator", "value", "unit"]
    ws.append(h)
    ws.append(["140100", "2022", "gdp", 5571.17, "亿元"])
    ws.append([])
    ws.append(h)
    ws.append(["140100", "2021", "gdp", 5121.61, "亿元"])
    return xlsx_bytes(wb)


xcase("j21", _two_down(), either(ok(5121.61, 5571.17), refused(r"row 4", r"header")))


def _two_side() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    h = ["region_code", "period", "indicator", "value", "unit"]
    ws.append(h + [None] + h)
    ws.append(["140100", "2022", "gdp", 5571.17, "亿元", None, "140100", "2021", "gdp", 5121.61, "亿元"])
    return xlsx_bytes(wb)


xcase("j22", _two_side(), refused(r"duplicate|twice|重复"))
csv_case("j23", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, refused(r"j23\.xls", r"xls|Excel 97|old|format|格式", exit_in=(2,)), ".xls")
csv_case("j24", xlsx_bytes(long_wb()[0]), either(ok(5571.17), refused(r"j24\.csv", r"workbook|xlsx|zip", exit_in=(2,))))
csv_case("j25", GOOD, either(ok(5571.17), refused(r"j25\.xlsx", exit_in=(2,))), ".xlsx")


def _ods() -> bytes:
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return b.getvalue()


csv_case("j26", _ods(), refused(r"j26\.ods", exit_in=(2,)), ".ods")


# -- T: texts -----------------------------------------------------------------------------------
def once(good: str = "5571.17"):
    def check(r: Run) -> str | None:
        if bad := reads(good)(r):
            return bad
        n = sum(1 for line in r.out.splitlines() if good in line and "," in line)
        return None if n == 1 else f"{n} rows of {good}"
    return check


def _docx_table(name: str, nested: bool) -> Path:
    import docx as _d
    d = _d.Document()
    d.add_paragraph("说明")
    t = d.add_table(rows=2, cols=2)
    if nested:
        inner = t.cell(0, 0).add_table(rows=1, cols=1)
        inner.cell(0, 0).text = P1
    else:
        m = t.cell(0, 0).merge(t.cell(1, 0))
        m.text = P1
    p = ROOT / f"{name}.docx"
    d.save(p)
    return p


text_case("t1", lambda: _docx_table("t1", True), once())
text_case("t2", lambda: _docx_table("t2", False), once())


def _notext() -> Path:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages
    p = ROOT / "t3.pdf"
    with PdfPages(p) as pdf_:
        fig = plt.figure(figsize=(4, 2))
        fig.add_artist(plt.Line2D([0.1, 0.9], [0.5, 0.5]))
        pdf_.savefig(fig)
        plt.close(fig)
    return p


text_case("t3", _notext, lambda r: clean(r) or (None if r.rc == 2 and re.search(r"t3\.pdf", r.out)
                                                and re.search(r"text|OCR|scan|文字", r.out, re.I) else f"exit {r.rc}"))
text_case("t4", lambda: html("t4", f"<p>{P1}</p><template><table><tr><td>一般公共预算收入9999亿元。</td></tr></table></template>"), reads())
text_case("t5", lambda: html("t5", f"<p>{P1}</p><noscript><p>{P1}</p></noscript>"), once())


def _empty(name: str, data: bytes = b"") -> Path:
    p = ROOT / name
    p.write_bytes(data)
    return p


text_case("t6", lambda: _empty("t6.docx"), lambda r: clean(r) or (None if r.rc == 2 and "t6.docx" in r.out else f"exit {r.rc}"))
text_case("t7", lambda: _empty("t7.pdf", f"<html><body><p>{P1}</p></body></html>".encode()),
          lambda r: clean(r) or (None if (r.rc == 0 and "5571.17" in r.out) or (r.rc == 2 and "t7.pdf" in r.out) else f"exit {r.rc}"))


@gcase("t8", db_free=True)
def _t8(backend):
    p = ROOT / "t8.txt"
    p.write_text(P1)
    rc, out, secs = run_cli("extract", p, "--region", "140100", "--year", "2024", "--out", p)
    changed = p.read_text() != P1
    return judge(Run(rc, out, [], secs), lambda r_: "the input was overwritten" if changed else refused(r"t8\.txt")(r_))


@gcase("t9", db_free=True)
def _t9(backend):
    return judge(_extract_opts("--region", "140100", "--year", "2024", "--kind", "bogus"), refused(r"--kind", exit_in=(2,)))


# -- K: export, reports, options ----------------------------------------------------------------
def _with_data(backend: str, name: str) -> str:
    url = fresh_db(backend, name)
    rc, out, _ = run_cli("import", good_file(name + "src"), db=url)
    assert rc == 0, out
    return url


def _export(backend: str, name: str, *opts: str | Path) -> tuple[Run, str]:
    url = _with_data(backend, name)
    rc, out, secs = run_cli("export", "observations", *opts, db=url)
    r = Run(rc, out, rows(url), secs)
    drop_pg(url)
    return r, url


@gcase("k1")
def _k1(backend):
    p = ROOT / "k1.csv"
    p.write_text("old content\n")
    r, _ = _export(backend, "k1", "--out", p)
    whole = "5571.17" in p.read_text() and "old content" not in p.read_text()
    return judge(r, lambda r_: clean(r_) or (None if r_.rc == 0 and whole else "not whole" if r_.rc == 0
                                             else refused(r"k1\.csv")(Run(r_.rc, r_.out, [], r_.secs))))


@gcase("k2")
def _k2(backend):
    d = ROOT / "k2dir"
    d.mkdir(exist_ok=True)
    before = sorted(x.name for x in d.iterdir())
    r, _ = _export(backend, "k2", "--out", d)
    after = sorted(x.name for x in d.iterdir())
    return judge(Run(r.rc, r.out, [], r.secs), lambda r_: "directory changed" if before != after
                 else sys_refused(r"k2dir")(r_))


@gcase("k3")
def _k3(backend):
    target, link = ROOT / "k3target.csv", ROOT / "k3link.csv"
    target.write_text("x\n")
    link.unlink(missing_ok=True)
    link.symlink_to(target)
    r, _ = _export(backend, "k3", "--out", link)
    good = "5571.17" in link.read_text() or "5571.17" in target.read_text()
    return judge(r, lambda r_: clean(r_) or (None if r_.rc == 0 and good else f"exit {r_.rc} / written {good}"))


@gcase("k4")
def _k4(backend):
    p = ROOT / "k4.xlsx"
    p.unlink(missing_ok=True)
    r, _ = _export(backend, "k4", "--out", p)
    is_zip = p.exists() and zipfile.is_zipfile(p)
    csv_in_xlsx = p.exists() and not is_zip
    return judge(r, lambda r_: clean(r_) or ("CSV text in a .xlsx" if csv_in_xlsx else None if (r_.rc == 0 and is_zip)
                                             or (r_.rc != 0 and re.search(r"xlsx|format", r_.out, re.I)) else f"exit {r_.rc}"))


@gcase("k5", db_free=True)
def _k5(backend):
    url = _with_data("sqlite", "k5")
    dbfile = url.removeprefix("sqlite:///")
    rc, out, secs = run_cli("export", "observations", "--out", dbfile, db=url)
    try:
        n = len(rows(url))
    except sqlite3.Error as e:
        n = f"database broken: {e}"
    return judge(Run(rc, out, [], secs), lambda r_: f"database after: {n}" if n != 1 else refused(r"k5\.db")(r_))


@gcase("k6")
def _k6(backend):
    r, _ = _export(backend, "k6", "--out", "")
    return judge(r, lambda r_: clean(r_) or ("a file named ''" if Path("").resolve().joinpath("").is_file() else None if (
        r_.rc == 0 and "5571.17" in r_.out) or (r_.rc == 2 and "--out" in r_.out) else f"exit {r_.rc}"))


@gcase("k7")
def _k7(backend):
    url = fresh_db(backend, "k7")
    rc, out, secs = run_cli("check-stored", "--limit", "0", db=url)
    drop_pg(url)
    return judge(Run(rc, out, [], secs), refused(r"--limit", exit_in=(2,)))


@gcase("k8", db_free=True)
def _k8(backend):
    p = ROOT / "k8missing.db"
    p.unlink(missing_ok=True)
    rc, out, secs = run_cli("check-stored", db=f"sqlite:///{p}")
    return judge(Run(rc, out, [], secs), lambda r_: "a database file was created" if p.exists() else refused(r"k8missing")(r_))


@gcase("k9", db_free=True)
def _k9(backend):
    p = ROOT / "k9missing.db"
    p.unlink(missing_ok=True)
    rc, out, secs = run_cli("import", good_file("k9"), db=f"sqlite:///{p}")
    return judge(Run(rc, out, [], secs), lambda r_: "a database file was created" if p.exists() else refused(r"k9missing")(r_))


@gcase("k10", db_free=True)
def _k10(backend):
    url = fresh_db("sqlite", "k10")
    rc, out, secs = run_cli("report", "monitoring", "--region", "140100", "--period", "abc", "--out", ROOT / "k10.docx", db=url)
    return judge(Run(rc, out, [], secs), refused(r"--period", exit_in=(2,)))


@gcase("k11", db_free=True)
def _k11(backend):
    d = ROOT / "k11dir"
    d.mkdir(exist_ok=True)
    url = _with_data("sqlite", "k11")
    run_cli("init", "--demo", db=url, timeout=600)  # runner fix after the first run: a plan to report on
    rc, out, secs = run_cli("report", "monitoring", "--region", "140100", "--period", "2022", "--out", d,
                            "--standard-fonts", db=url, timeout=300)
    return judge(Run(rc, out, [], secs), sys_refused(r"k11dir"))


@gcase("k12")
def _k12(backend):
    d = ROOT / "k12dir.csv"
    d.mkdir(exist_ok=True)
    return judge(imp_path(backend, "k12", d), sys_refused(r"k12dir"))


@gcase("k13")
def _k13(backend):
    return judge(imp_path(backend, "k13", good_file("k13"), extra=("--source-url", "javascript:alert(1)")),
                 refused(r"--source-url", exit_in=(2,)))


@gcase("k14")
def _k14(backend):
    p = good_file("k14")
    return judge(imp_path(backend, "k14", str(p) + "/."), sys_refused(r"k14"))


# -- N: neighbours of probe18 -------------------------------------------------------------------
csv_case("n1", "sep=\t\n" + GOOD.replace(",", "\t"), ok(5571.17))
csv_case("n2", "sep=|\n" + GOOD.replace(",", "|"), either(ok(5571.17), refused(r"\|")))
csv_case("n3", "region_code,period,indicator,value,数值\n140100,2022,gdp,5571.17,5121.61\n",
         refused(r"value", r"数值|duplicate|重复"))


@case
def n4(backend: str) -> tuple[bool, str]:
    r = imp(backend, "n4", L + row("5571.17", excerpt="见\u2066表"))
    bad = any("\u2066" in (x[5] or "") for x in r.rows)
    return judge(r, lambda r_: "stored with U+2066" if bad else either(refused(r"row 2", r"excerpt"), ok(5571.17))(r_))


num("n5", "(12)", refused(*ROW2_VALUE), "gdp_growth", "%")
num("n6", "5'571.17", refused(*ROW2_VALUE))
num("n7", "--", gap())
CASES["N8"] = csv_case("n8", L + row("5571.17", period="2022.00"),
                       either(stored_period("2022", ok(5571.17)), refused(*ROW2_PERIOD)))
csv_case("n9", GOOD.encode() + b"\x1a" * 4096, either(ok(5571.17), refused(r"row 3|line 3|U\+001A|control")))


@gcase("n10")
def _n10(backend):
    link = ROOT / "n10link"
    link.unlink(missing_ok=True)
    link.symlink_to(ROOT / "n10-nowhere")
    r, _ = _export(backend, "n10", "--out", link / "y.csv")
    return judge(Run(r.rc, r.out, [], r.secs), sys_refused(r"n10link"))


# -- P: neighbours of the fixes (after the fixes; answers committed first) -------------------------
csv_case("p1", hdr(L.strip().replace("indicator", "Indicater")), refused(r"Indicater", r"\bindicator\b", MEANT))


def _p2() -> bytes:
    wb, ws = long_wb()
    ws["F1"], ws["F2"] = "审核人", "张三"
    return xlsx_bytes(wb)


xcase("p2", _p2(), noted(r"审核人", values=(5571.17,)))


@case
def p3(backend: str) -> tuple[bool, str]:
    r = imp(backend, "p3", "region_code,indicator,target_period,target_value,target_kind,负责人\n"
            "140100,gdp,2025,7000,level,李四\n")
    return judge(r, lambda r_: clean(r_) or (None if r_.rc == 0 and "负责人" in r_.out else f"exit {r_.rc} / not noted"))


csv_case("p4", "地区,年分,指标,数值\n140100,2022,gdp,5571.17\n", refused(r"年分", r"年份", MEANT))


@gcase("p5", db_free=True)
def _p5(backend):
    url = _with_data("sqlite", "p5")
    link = ROOT / "p5link.db"
    link.unlink(missing_ok=True)
    link.symlink_to(url.removeprefix("sqlite:///"))
    rc, out, secs = run_cli("export", "observations", "--out", link, db=url)
    try:
        n = len(rows(url))
    except sqlite3.Error as e:
        n = f"database broken: {e}"
    return judge(Run(rc, out, [], secs), lambda r_: f"database after: {n}" if n != 1 else refused(r"p5")(r_))


@gcase("p6", db_free=True)
def _p6(backend):
    p = ROOT / "p6.txt"
    p.write_text(P1)
    rc, out, secs = run_cli("extract", p, "--region", "140100", "--year", "2024", "--review", p)
    changed = p.read_text() != P1
    return judge(Run(rc, out, [], secs), lambda r_: "the input was overwritten" if changed else refused(r"p6\.txt")(r_))


@gcase("p7")
def _p7(backend):
    import json
    out = ROOT / "p7.json"
    out.unlink(missing_ok=True)
    r, _ = _export(backend, "p7", "--out", out)
    try:
        data = json.loads(out.read_text())
        good = any(abs(float(x.get("value", 0)) - 5571.17) < 1e-9 for x in data)
    except (OSError, ValueError, AttributeError, TypeError):
        good = False
    return judge(r, lambda r_: clean(r_) or (None if r_.rc == 0 and good else f"exit {r_.rc} / json {good}"))


xcase("p8", _rowr("2.5"), refused(r'r="2\.5"', exit_in=(2,)))
xcase("p9", _datecell('yyyy"年"m"月"'), stored_period("2023-01", ok(5571.17)))
xcase("p10", _datecell('yyyy"年"'), stored_period("2023", ok(5571.17)))


@gcase("p11")
def _p11(backend):
    return judge(imp_path(backend, "p11", good_file("p11"), extra=("--source-url", "file:///etc/passwd")),
                 refused(r"--source-url", exit_in=(2,)))


@gcase("p12")
def _p12(backend):
    p = good_file("p12")
    return judge(imp_path(backend, "p12", str(p) + "/.."), sys_refused(r"p12"))


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
