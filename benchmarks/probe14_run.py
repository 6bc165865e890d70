"""Run the ninth round's file cases (benchmarks/probe14_cases.md) through the command line.

Each case builds its file(s) in a scratch directory, runs ``lantu`` on a fresh copy of an
initialised SQLite database and prints the exit code, the first lines of the output and what
the observation table holds afterwards. Run: ``python benchmarks/probe14_run.py [IDS…]``
(with ``PYTHONPATH=src``); it is a probe, not a test."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl

ROOT = Path(os.environ.get("P14_DIR", "/tmp/p14"))
L = "region_code,period,indicator,value,unit,flags,source_url,excerpt\n"
LANTU = [sys.executable, "-c", "import sys; from lantu.cli import main; sys.argv[0]='lantu'; main()"]
TEMPLATE = ROOT / "template.db"
CASES: dict[str, object] = {}


def case(fn):
    CASES[fn.__name__.upper()] = fn
    return fn


def run(*args: str | Path, db: Path | None = None, timeout: int = 120) -> tuple[int, str, float]:
    cmd = [*LANTU, *map(str, args)]
    if db is not None:
        cmd += ["--db", f"sqlite:///{db}"]
    t = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout,
                           env={**os.environ, "LANTU_HOME": str(ROOT / "home"), "COLUMNS": "200"})
        out = (p.stdout + p.stderr).decode("utf-8", "replace")
        return p.returncode, out, time.monotonic() - t
    except subprocess.TimeoutExpired:
        return -999, "TIMEOUT", time.monotonic() - t


def fresh_db(name: str) -> Path:
    if not TEMPLATE.exists():
        TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
        run("init", db=TEMPLATE)
    d = ROOT / f"{name}.db"
    shutil.copy(TEMPLATE, d)
    return d


def rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as c:
        return c.execute("select region_code, period, indicator_code, value, unit, excerpt "
                         "from observation order by period").fetchall()


def imp(name: str, data: bytes | str, suffix: str = ".csv", *extra: str, enc: str = "utf-8"):
    p = ROOT / f"{name}{suffix}"
    p.write_bytes(data if isinstance(data, bytes) else data.encode(enc))
    db = fresh_db(name)
    rc, out, secs = run("import", p, *extra, db=db)
    return rc, out, rows(db), secs


def row(value: str, ind: str = "gdp", unit: str = "亿元", period: str = "2022", region: str = "140100",
        excerpt: str = "") -> str:
    return f"{region},{period},{ind},{value},{unit},,,{excerpt}\n"


# -- A: CSV bytes ---------------------------------------------------------------------------
@case
def a1(): return imp("a1", L + row("55\x0071.17"))
@case
def a2(): return imp("a2", L + row("5571\ufeff.17"))
@case
def a3(): return imp("a3", "\ufeff".encode() + (L + row("5571.17")).encode() + row("5121.61", period="2021").encode("gbk"))
@case
def a4(): return imp("a4", L + "太原市,2022,gdp,5571.17,億元,,,\n", enc="big5")
@case
def a5(): return imp("a5", L + row("5571.17", excerpt="见𠀀表"), enc="gb18030")
@case
def a6(): return imp("a6", L + '140100,2022,gdp,"5571\n.17",亿元,,,\n')
@case
def a7(): return imp("a7", L + row("5571.17") + "地区,年份,指标,数值,单位,备注,来源,摘录\n" + row("5121.61", period="2021"))
@case
def a8(): return imp("a8", L.rstrip("\n") + ",,,\n" + row("5571.17").rstrip("\n") + ",,,\n")
@case
def a9(): return imp("a9", L + row("5121.61", period="2021") + row("5571.17").rstrip("\n"))
@case
def a10(): return imp("a10", "地区,年份," + ",".join(f"c{i}" for i in range(10000)) + "\n太原市,2022," + ",".join("1" for _ in range(10000)) + "\n")
@case
def a11(): return imp("a11", (L + row("5121.61", period="2021") + row("5571.17")).replace("\n", "\r"))
@case
def a12(): return imp("a12", L + row("5571.17", excerpt="上\u2028下"))
@case
def a13(): return imp("a13", L + row("5571.17") + "\x1a")
@case
def a14():
    # one row a year with a long letter-only note: 70 KB of ASCII before the GBK row
    body = "".join(row(str(1 + y % 7), ind="gdp", unit="", period=str(y), excerpt="x" * 900) for y in range(1950, 2021))
    return imp("a14", (L + body + row("5571.17", unit="亿元", period="2022")).encode("gbk"))
@case
def a15(): return imp("a15", L + row("5571.17", excerpt="上\u0085下"))


# -- B: numbers -----------------------------------------------------------------------------
def num(name, value, ind="gdp", unit="亿元", **kw): return imp(name, L + row(value, ind, unit, **kw))
@case
def b1(): return num("b1", "一千二百", "population", "万人")
@case
def b2(): return num("b2", "两万", "population", "")
@case
def b3(): return imp("b3", L + row("539.1万", "population", "", period="2021") + row("0.05亿", "population", "", period="2022"))
@case
def b4(): return num("b4", "约5571")
@case
def b5(): return num("b5", "5571左右")
@case
def b6(): return num("b6", "≥5", "gdp_growth", "%")
@case
def b7(): return num("b7", "5571.17†")
@case
def b8(): return num("b8", "(5.2)", "gdp_growth", "%")
@case
def b9(): return num("b9", "－3.2", "gdp_growth", "%")
@case
def b10(): return num("b10", "–3.2", "gdp_growth", "%")
@case
def b11(): return num("b11", "‐3.2", "gdp_growth", "%")
@case
def b12(): return num("b12", "5.571e3")
@case
def b13(): return num("b13", "5571%")
@case
def b14(): return num("b14", "55711700")
@case
def b15(): return num("b15", "5304061", "population", "万人")
@case
def b16(): return imp("b16", (L + row("5,571")).replace(",", "\t").replace("5\t571", "5,571"))
@case
def b17(): return num("b17", "5571.17.")
@case
def b18(): return num("b18", "5\u2009571.17")
@case
def b19(): return num("b19", "'5571.17")
@case
def b20(): return num("b20", "+-5", "gdp_growth", "%")
@case
def b21(): return num("b21", "5571.17亿元", unit="万元")
@case
def b22(): return num("b22", "1.2e+3万", "population", "")


# -- C: periods -----------------------------------------------------------------------------
def per(name, p): return imp(name, L + row("5571.17", period=p))
@case
def c1(): return per("c1", "2023年全年")
@case
def c2(): return per("c2", "2023Q1")
@case
def c3(): return per("c3", "2023-2024")
@case
def c4(): return per("c4", "23年")
@case
def c5(): return [per("c5a", "FY2023"), per("c5b", "2023财年")]
@case
def c6(): return per("c6", "2023-1")
@case
def c7(): return per("c7", "202313")
@case
def c8(): return per("c8", "2023年12月31日")
@case
def c9(): return per("c9", "１９４８")
@case
def c10(): return per("c10", "2023\u00a0")


# -- D: regions -----------------------------------------------------------------------------
def reg(name, r): return imp(name, L + row("5571.17", region=r))
@case
def d1(): return reg("d1", "南郊区")
@case
def d2(): return imp("d2", L + '"140100 ",2022,gdp,5571.17,亿元,,,\n')
@case
def d3(): return reg("d3", "140100000000")
@case
def d4(): return reg("d4", "1401")
@case
def d5(): return reg("d5", "山西省太原市")
@case
def d6(): return reg("d6", "\u3000140100")


# -- E: workbooks ---------------------------------------------------------------------------
def xlsx_bytes(wb) -> bytes:
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def long_wb(values=(("140100", "2021", "gdp", 5121.61, "亿元"), ("140100", "2022", "gdp", 5571.17, "亿元"))):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(L.strip().split(",")[:5])
    for v in values:
        ws.append(list(v))
    return wb, ws


def patch(data: bytes, member: str, fn) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == member:
                body = fn(body.decode()).encode()
            z.writestr(info.filename, body)
    return out.getvalue()


def ximp(name, data, *extra): return imp(name, data, ".xlsx", *extra)


@case
def e1():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["地区", "指标", "单位", "2022", "2023"])
    ws.append(["太原市", "gdp", "亿元", 5571.17, None])
    ws.merge_cells("D2:E2")
    return ximp("e1", xlsx_bytes(wb))
@case
def e2():
    wb, ws = long_wb()
    data = xlsx_bytes(wb)
    return ximp("e2", patch(data, "xl/worksheets/sheet1.xml", lambda s: s.replace('<row r="3"', '<row r="3" ht="0" customHeight="1"')))
@case
def e3():
    wb, ws = long_wb()
    ws.cell(1, 6, "备注")
    ws.cell(2, 6, "旧口径9999")
    data = xlsx_bytes(wb)  # openpyxl leaves a width of 0 out: write it into the XML
    return ximp("e3", patch(data, "xl/worksheets/sheet1.xml", lambda s: s.replace(
        "<sheetData>", '<cols><col min="6" max="6" width="0" customWidth="1"/></cols><sheetData>')))
@case
def e4():
    wb, ws = long_wb()
    h = wb.create_sheet("隐藏")
    h.append(L.strip().split(",")[:5])
    h.append(["140100", "2020", "gdp", 9999, "亿元"])
    h.sheet_state = "veryHidden"
    return ximp("e4", xlsx_bytes(wb))
@case
def e5():
    wb, ws = long_wb()
    ws["D3"] = "RICHPLACEHOLDER"
    data = xlsx_bytes(wb)
    def rich(s):
        return s.replace("<is><t>RICHPLACEHOLDER</t></is>",
                         '<is><r><rPr><b/></rPr><t>55</t></r><r><t>71.17</t></r></is>')
    return ximp("e5", patch(data, "xl/worksheets/sheet1.xml", rich))
@case
def e6():
    wb, ws = long_wb()
    data = xlsx_bytes(wb)
    def shared(s):
        s = s.replace('<c r="D2" t="n"><v>5121.61</v></c>', '<c r="D2"><f t="shared" ref="D2:D3" si="0">5121.61+0</f><v>5121.61</v></c>')
        return s.replace('<c r="D3" t="n"><v>5571.17</v></c>', '<c r="D3"><f t="shared" si="0"/><v>5571.17</v></c>')
    return ximp("e6", patch(data, "xl/worksheets/sheet1.xml", shared))
@case
def e7():
    wb, ws = long_wb()
    data = xlsx_bytes(wb)
    return ximp("e7", patch(data, "xl/worksheets/sheet1.xml", lambda s: s.replace(
        '<c r="D3" t="n"><v>5571.17</v></c>', '<c r="D3"><f t="array" ref="D3">SUM(5571.17)</f><v>5571.17</v></c>')))
@case
def e8():
    wb, ws = long_wb()
    data = xlsx_bytes(wb)
    def errs(s):
        import re
        for col, e in zip("ABCD", ["#N/A", "#DIV/0!", "#REF!", "#VALUE!"]):
            s = re.sub(f'<c r="{col}3"[^>]*>.*?</c>', f'<c r="{col}3" t="e"><v>{e}</v></c>', s)
        return s
    return ximp("e8", patch(data, "xl/worksheets/sheet1.xml", errs))
@case
def e9():
    wb, ws = long_wb()
    ws["XFD1"] = "x"
    return ximp("e9", xlsx_bytes(wb))
@case
def e10():
    wb, ws = long_wb(values=(("140100", "2022", "gdp", 5571.17, "亿元"),))
    ws["F1"] = "excerpt"
    ws["F2"] = "ENTPLACE"
    data = xlsx_bytes(wb)
    def xxe(s):
        s = s.split("?>", 1)[1] if s.startswith("<?xml") else s
        return ('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                + s.replace("<t>ENTPLACE</t>", "<t>&xxe;</t>"))
    return ximp("e10", patch(data, "xl/worksheets/sheet1.xml", xxe))
@case
def e11():
    wb, ws = long_wb()
    ws["F1"] = "excerpt"
    ws["F2"] = "BOMBPLACE"
    data = xlsx_bytes(wb)
    ents = '<!ENTITY l0 "ha">' + "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    def bomb(s):
        s = s.split("?>", 1)[1] if s.startswith("<?xml") else s
        return f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [{ents}]>' + s.replace("<t>BOMBPLACE</t>", "<t>&l9;</t>")
    return ximp("e11", patch(data, "xl/worksheets/sheet1.xml", bomb))
@case
def e12():
    wb, ws = long_wb()
    s2 = wb.create_sheet("SHEET2")
    s2.append(L.strip().split(",")[:5])
    s2.append(["140100", "2020", "gdp", 9999, "亿元"])
    ws.title = "Data"
    data = xlsx_bytes(wb)
    return ximp("e12", patch(data, "xl/workbook.xml", lambda s: s.replace('name="SHEET2"', 'name="data"')))
@case
def e13():
    wb, ws = long_wb()
    ws["D3"].number_format = "0"
    return ximp("e13", xlsx_bytes(wb))
@case
def e14():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["地区", "年份", "地区生产总值(亿元)", None])
    ws.append(["太原市", "2022", 5571.17, 9999])
    ws.merge_cells("C1:D1")
    return ximp("e14", xlsx_bytes(wb))
@case
def e15():
    wb, ws = long_wb()
    ws.row_dimensions[5].hidden = True
    ws.row_dimensions[6].hidden = True
    return ximp("e15", xlsx_bytes(wb))
@case
def e16():
    wb, ws = long_wb()
    ws["D3"] = "5571.17"
    ws["D3"].quotePrefix = True
    return ximp("e16", xlsx_bytes(wb))
@case
def e17():
    wb, ws = long_wb(values=(("140100", 2023, "gdp", 5571.17, "亿元"),))
    ws["B2"].number_format = '0"年"'
    return ximp("e17", xlsx_bytes(wb))
@case
def e18():
    wb, ws = long_wb()
    data = xlsx_bytes(wb)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    import warnings
    warnings.simplefilter("ignore")
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        body = src.read("xl/worksheets/sheet1.xml").decode().replace("5571.17", "9999")
        z.writestr("xl/worksheets/sheet1.xml", body)
    return ximp("e18", out.getvalue())


# -- F: texts ---------------------------------------------------------------------------------
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(name: str, body_xml: str, extra: dict[str, str] | None = None) -> Path:
    import docx as _d
    d = _d.Document()
    d.add_paragraph("PLACEHOLDER")
    b = io.BytesIO()
    d.save(b)
    data = b.getvalue()
    data = patch(data, "word/document.xml", lambda s: s.replace(
        s[s.index("<w:p>") if "<w:p>" in s else s.index("<w:p "):s.index("</w:p>") + 6], body_xml, 1))
    if extra:
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for info in src.infolist():
                z.writestr(info.filename, src.read(info.filename))
            for k, v in extra.items():
                z.writestr(k, v)
        data = out.getvalue()
    p = ROOT / f"{name}.docx"
    p.write_bytes(data)
    return p


def extract(p: Path):
    rc, out, secs = run("extract", p, "--region", "140100", "--year", "2024")
    return rc, out, secs


def para(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def r(t: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{t}</w:t></w:r>'


@case
def f1():
    body = para(r("2023年全市地区生产总值"),
                '<w:moveFrom w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z">' + r("5121.61") + "</w:moveFrom>",
                '<w:moveTo w:id="2" w:author="a" w:date="2024-01-01T00:00:00Z">' + r("5571.17") + "</w:moveTo>",
                r("亿元，增长5.0%。"))
    return extract(docx("f1", body))
@case
def f2():
    body = para('<w:commentRangeStart w:id="0"/>', r("2023年全市地区生产总值5571.17亿元。"),
                '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>')
    comments = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments {W}>'
                '<w:comment w:id="0" w:author="a"><w:p><w:r><w:t>地区生产总值9999亿元</w:t></w:r></w:p></w:comment></w:comments>')
    return extract(docx("f2", body, {"word/comments.xml": comments}))
@case
def f3():
    body = para(r("2023年全市地区生产总值5571.17亿元"), '<w:r><w:footnoteReference w:id="2"/></w:r>', r("，增长5.0%。"))
    notes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W}>'
             '<w:footnote w:id="2"><w:p><w:r><w:t>地区生产总值9999亿元为初步核算数。</w:t></w:r></w:p></w:footnote></w:footnotes>')
    return extract(docx("f3", body, {"word/footnotes.xml": notes}))
@case
def f4():
    body = para(r("2023年全市地区生产总值"), '<w:fldSimple w:instr=" =9999 ">' + r("5571.17") + "</w:fldSimple>", r("亿元，增长5.0%。"))
    return extract(docx("f4", body))
@case
def f5():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib import font_manager
    from matplotlib.backends.backend_pdf import PdfPages
    fonts = [f.fname for f in font_manager.fontManager.ttflist if "CJK" in f.name or "Noto Sans SC" in f.name or "WenQuanYi" in f.name]
    p = ROOT / "f5.pdf"
    with plt.rc_context({"pdf.fonttype": 42}), PdfPages(p) as pdf:
        fig = plt.figure(figsize=(4, 2))
        kw = {"fontproperties": font_manager.FontProperties(fname=fonts[0])} if fonts else {}
        fig.text(0.05, 0.5, "2023年全市地区生产总值5571.17亿元。", **kw)
        pdf.savefig(fig)
        plt.close(fig)
        fig = plt.figure(figsize=(2, 2))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.imshow(np.arange(100).reshape(10, 10))
        ax.axis("off")
        pdf.savefig(fig)
        plt.close(fig)
    return extract(p)


def html(name: str, body: str) -> Path:
    p = ROOT / f"{name}.html"
    p.write_text(f'<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body>{body}</body></html>', encoding="utf-8")
    return p


@case
def f6(): return extract(html("f6", "<p>2023年全市地区生产总值5571.17亿元。</p><script>var s='地区生产总值9999亿元';</script>"))
@case
def f7(): return extract(html("f7", "<style>p::after{content:'地区生产总值9999亿元'}</style><p>2023年全市地区生产总值5571.17亿元。</p><noscript><p>一般公共预算收入1234亿元。</p></noscript>"))
@case
def f8(): return extract(html("f8", "<p>2023年全市&#x5730;&#x533A;生产总值&#53;&#53;&#55;&#49;.17亿元。</p>"))
@case
def f9(): return extract(html("f9", '<p>2023年全市地区生产总值<span style="DISPLAY: NONE">9999</span>5571.17亿元。</p>'))
@case
def f10(): return extract(html("f10", "<p>2023年全市地区生产总值5571.17亿元。<!-- 地区生产总值9999亿元 --></p>"))
@case
def f11(): return extract(html("f11", "<p>2023年全市地区生产总值5571<wbr>.17亿元。</p>"))
@case
def f12(): return extract(html("f12", "<p>2023年全市地区生产总值55&shy;71.17亿元。</p>"))
@case
def f13(): return extract(html("f13", '<p>2023年全市地区生产总值<span style="display:none !important">9999</span>5571.17亿元。</p>'))
@case
def f14(): return extract(html("f14", '<p>2023年全市地区生产总值5571.17亿元。<input type="hidden" value="一般公共预算收入9999亿元"></p>'))


# -- G: YAML plans ----------------------------------------------------------------------------
PLAN = """code: p14
title: 测试规划
region: "140100"
children:
  - code: T1
    kind: task
    title: {title}
    lead: fgw
    due: {due}
"""


def plan(name: str, text: str):
    p = ROOT / f"{name}.yaml"
    p.write_text(text, encoding="utf-8")
    db = fresh_db(name)
    rc, out, secs = run("plan", "load", p, db=db)
    with sqlite3.connect(db) as c:
        try:
            titles = c.execute("select code, title from plan_node").fetchall()
        except sqlite3.Error as e:
            titles = str(e)
    return rc, out, titles, secs


@case
def g1():
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ",".join(f"*a{i-1}" for _ in range(9)) + "]")
    return plan("g1", "\n".join(lines) + "\n" + PLAN.format(title="*a8", due="2026-12-31"))
@case
def g2(): return plan("g2", PLAN.format(title='!!python/object/apply:os.system ["touch /tmp/p14/pwned"]', due="2026-12-31"))
@case
def g3(): return plan("g3", PLAN.format(title="一\n    title: 二", due="2026-12-31"))
@case
def g4(): return plan("g4", PLAN.format(title="一", due="2023-13-01"))
@case
def g5(): return plan("g5", PLAN.format(title="on", due="2026-12-31"))
@case
def g6(): return plan("g6", PLAN.format(title="一", due="2026-12-31").replace("code: T1", "code: 1:30"))
@case
def g7(): return plan("g7", PLAN.format(title="一", due="2026-12-31").replace("    lead: fgw", "\t  lead: fgw"))


# -- H: command line --------------------------------------------------------------------------
@case
def h1():
    p = ROOT / "h1\nname.csv"
    p.write_text(L + row("5571.17"), encoding="utf-8")
    db = fresh_db("h1")
    rc, out, secs = run("import", p, db=db)
    return rc, out, rows(db), secs
@case
def h2():
    p = ROOT / "h2.csv"
    p.unlink(missing_ok=True)
    p.symlink_to("/etc/passwd")
    db = fresh_db("h2")
    rc, out, secs = run("import", p, db=db)
    return rc, out, rows(db), secs
@case
def h3():
    p = Path(os.fsdecode(os.fsencode(str(ROOT)) + b"/h3\xb5\xd8.csv"))
    p.write_text(L + row("5571.17"), encoding="utf-8")
    db = fresh_db("h3")
    rc, out, secs = run("import", p, db=db)
    return rc, out, rows(db), secs
@case
def h7(): return run("export", "observations", "--out", "/dev/full", db=fresh_db("h7"))
@case
def h8(): return run("export", "observations", "--out", "/nonexistent/x.csv", db=fresh_db("h8"))
@case
def h9(): return imp("h9", L + row("5571.17"), ".CSV")
@case
def h10(): return imp("h10", L + row("5571.17"), ".txt")
@case
def h11():
    d = ROOT / "h11dir.yaml"
    d.mkdir(exist_ok=True)
    return run("plan", "load", d, db=fresh_db("h11"))
@case
def h12():
    p = ROOT / "h12.pdf"
    p.write_bytes(b"")
    return extract(p)
@case
def h13():
    wb, ws = long_wb()
    ws.title = "Data"
    wb.create_sheet("说明").append(["说明"])
    return imp("h13", xlsx_bytes(wb), ".xlsx", "--sheet", "data")


def show(cid: str, result) -> None:
    print(f"=== {cid}")
    if isinstance(result, list):
        for r_ in result:
            show(cid + "+", r_)
        return
    if isinstance(result, str):
        print(result)
        return
    rc, out, *rest = result
    print(f"rc={rc}  secs={rest[-1]:.1f}")
    lines = [ln for ln in out.splitlines() if ln.strip()]
    for ln in lines[:14]:
        print("  | " + ln[:300])
    if len(lines) > 14:
        print(f"  | … {len(lines) - 14} more lines")
    if len(rest) == 2:
        print(f"  db: {str(rest[0])[:600]}")


if __name__ == "__main__":
    ROOT.mkdir(parents=True, exist_ok=True)
    wanted = [a.upper() for a in sys.argv[1:]] or list(CASES)
    for cid in wanted:
        try:
            show(cid, CASES[cid]())
        except Exception as e:  # noqa: BLE001 - a probe reports and goes on
            print(f"=== {cid}\n  HARNESS ERROR {type(e).__name__}: {e}")
