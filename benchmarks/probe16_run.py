"""Run the tenth round's file cases (benchmarks/probe16_cases.md) through the command line.

Reuses probe14's builders (scratch directory, fresh SQLite copy, ``lantu`` in a subprocess).
Run: ``PYTHONPATH=src python benchmarks/probe16_run.py [IDS…]``; it is a probe, not a test.
The scratch directory is ``$P16_DIR`` (default /tmp/p16)."""

from __future__ import annotations

import io
import os
import re
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

os.environ.setdefault("P14_DIR", os.environ.get("P16_DIR", "/tmp/p16"))
sys.path.insert(0, str(Path(__file__).parent))
import openpyxl  # noqa: E402
import probe14_run as p14  # noqa: E402
from probe14_run import L, imp, patch, row, run, xlsx_bytes  # noqa: E402

ROOT = p14.ROOT
CASES: dict[str, object] = {}
T = "region_code,indicator,target_period,kind,value,unit,base_period\n"


def case(fn):
    CASES[fn.__name__.upper()] = fn
    return fn


def targets(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as c:
        return c.execute("select region_code, indicator_code, target_period, base_period, value, "
                         "value_high from target where import_batch_id is not null").fetchall()


def timp(name: str, text: str):
    p = ROOT / f"{name}.csv"
    p.write_text(text, encoding="utf-8")
    db = p14.fresh_db(name)
    rc, out, secs = run("import", p, db=db)
    return rc, out, targets(db), secs


def ximp(name, data, *extra): return imp(name, data, ".xlsx", *extra)


# -- A: CSV bytes and encodings --------------------------------------------------------------
GOOD = L + row("5571.17")
@case
def a1(): return imp("a1", "\ufeff".encode("utf-16-le")[:0] + GOOD.encode("utf-16"))  # python's utf-16: LE + BOM
@case
def a2(): return imp("a2", b"\xfe\xff" + GOOD.encode("utf-16-be"))
@case
def a3(): return imp("a3", b"\xff\xfe\x00\x00" + GOOD.encode("utf-32-le"))
@case
def a4(): return imp("a4", b"\xef\xbb\xbf\xef\xbb\xbf" + GOOD.encode())
@case
def a5(): return imp("a5", (L + row("5571.17", excerpt="见㐀表𠀀")).encode("gb18030"))
@case
def a6(): return imp("a6", (L + row("5121.61", period="2021", excerpt="太原统计公报")).encode("gbk")
                      + row("5571.17", excerpt="太原统计公报").encode("utf-8"))
@case
def a7(): return imp("a7", (L.rstrip("\n") + "\r\n" + row("1", period="2020").rstrip("\n") + "\r"
                            + row("2", period="2021").rstrip("\n") + "\n" + row("5571.17")).encode())
@case
def a8(): return imp("a8", L + '140100,2022,gdp,5571.17,亿元,,,"他说""增长""5%"\n')
@case
def a9(): return imp("a9", L + '140100,2022,gdp,"5571.17,亿元,,,\n' + row("5121.61", period="2021"))
@case
def a10(): return imp("a10", L + row('55"71.17'))
@case
def a11(): return imp("a11", L + row("5571.17", excerpt="长" * 2_000_000))
@case
def a12(): return imp("a12", L + "140100,2022,gdp,5571.17,亿元,,," + ",".join("1" for _ in range(20000)) + "\n")
@case
def a13(): return imp("a13", "地区\t年份\t指标\t数值\t单位\n太原市\t2022\t地区生产总值\t5571.17\t亿元\n".encode("utf-16"))
@case
def a14(): return imp("a14", (L + row("5571,17")).replace(",", ";").replace("5571;17", "5571,17"))
@case
def a15(): return imp("a15", "\ufeff" + L)
@case
def a16(): return imp("a16", (L + row("5571.17", excerpt="XX")).encode().replace(b"XX", b"\xc0\xaf"))
@case
def a17(): return imp("a17", L.replace(",", "，") + row("5571.17"))


# -- B: numbers ------------------------------------------------------------------------------
def num(name, value, ind="gdp", unit="亿元", **kw): return imp(name, L + row(value, ind, unit, **kw))
@case
def b1(): return num("b1", "５５７１．１７")
@case
def b2(): return num("b2", "5571.17亿", unit="")
@case
def b3(): return num("b3", "557117万", unit="")
@case
def b4(): return num("b4", '"5,571.17"')
@case
def b5(): return num("b5", '"5.571,17"')
@case
def b6(): return num("b6", "1.234.567", "population", "万人")
@case
def b7(): return num("b7", '"5,57,117"')
@case
def b8(): return num("b8", "12.5%", "gdp_growth", "%")
@case
def b9(): return num("b9", "12.5％", "gdp_growth", "%")
@case
def b10(): return num("b10", "5‰", "gdp_growth", "%")
@case
def b11(): return num("b11", "5.571E+03")
@case
def b12(): return num("b12", "NaN")
@case
def b13(): return imp("b13", L + row("inf", "gdp_growth", "%", period="2021") + row("-Infinity", "gdp_growth", "%"))
@case
def b14(): return num("b14", "—")
@case
def b15(): return num("b15", "−0", "gdp_growth", "%")
@case
def b16(): return num("b16", "-0.0", "gdp_growth", "%")
@case
def b17(): return num("b17", "（3.2）", "gdp_growth", "%")
@case
def b18(): return num("b18", "5-6", "gdp_growth", "%")
@case
def b19(): return num("b19", "5~6", "gdp_growth", "%")
@case
def b20(): return timp("b20", T + "140100,gdp_growth,2025,annual_growth,6.5-7,%,\n")
@case
def b21(): return num("b21", "1e309")
@case
def b22(): return num("b22", "0x1F")
@case
def b23(): return num("b23", "1_000")
@case
def b24(): return num("b24", "5571.17\u00a0")
@case
def b25(): return num("b25", "5571.17亿元")
@case
def b26(): return num("b26", "3.2个百分点", "gdp_growth", "%")


# -- C: periods ------------------------------------------------------------------------------
def per(name, p, ind="gdp", value="5571.17", unit="亿元"): return imp(name, L + row(value, ind, unit, period=p))
@case
def c1(): return per("c1", "2023年末", "population", "539.1", "万人")
@case
def c2(): return per("c2", "2023年末")
@case
def c3(): return per("c3", "2023年底", "population", "539.1", "万人")
@case
def c4(): return per("c4", "２０２３年末", "population", "539.1", "万人")
@case
def c5(): return per("c5", "上年")
@case
def c6(): return per("c6", "本年")
@case
def c7(): return per("c7", "2023年1-12月")
@case
def c8(): return per("c8", "2023/24")
@case
def c9(): return per("c9", "FY23")
@case
def c10(): return per("c10", "2023年第五季度")
@case
def c11(): return per("c11", "2023M03")
@case
def c12(): return timp("c12", T + "140100,gdp,2025.1,level,6000,亿元,\n")
@case
def c13(): return timp("c13", T + "140100,gdp,2025.9,level,6000,亿元,\n140100,gdp,2025.1,level,6100,亿元,\n")
@case
def c14(): return timp("c14", T + "140100,gdp,2025,level,6000,亿元,2020.1\n")
@case
def c15(): return imp("c15", "region,indicator,unit,2022,2023年末\n太原市,常住人口,万人,543.5,545.6\n")
@case
def c16(): return per("c16", "2023年\u3000")
@case
def c17(): return per("c17", "2023A")
@case
def c18(): return timp("c18", T + "140100,gdp,2025.1,level,6000,亿元,\n140100,gdp,2025.2,level,6100,亿元,\n")


# -- D: regions ------------------------------------------------------------------------------
def reg(name, r): return imp(name, L + row("5571.17", region=r))
@case
def d1(): return reg("d1", "小店区")
@case
def d2(): return reg("d2", "小店")
@case
def d3(): return reg("d3", "太原市小店区")
@case
def d4(): return reg("d4", "太忻一体化经济区")
@case
def d5(): return reg("d5", "阳泉市城区")
@case
def d6(): return reg("d6", "并州")
@case
def d7(): return reg("d7", "１４０１００")
@case
def d8(): return reg("d8", "140100.0")
@case
def d9(): return reg("d9", "1.401E+05")
@case
def d10(): return imp("d10", "region_code,地区,period,indicator,value,unit\n140100,大同市,2022,gdp,5571.17,亿元\n")
@case
def d11(): return reg("d11", "山西")


# -- E: workbooks ----------------------------------------------------------------------------
def long_wb(values=None):
    return p14.long_wb() if values is None else p14.long_wb(values)


def sheet(fn):
    wb, ws = long_wb()
    return patch(xlsx_bytes(wb), "xl/worksheets/sheet1.xml", fn)


def add_parts(data: bytes, parts: dict[str, bytes | str], edit: dict[str, object] | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if edit and info.filename in edit:
                body = edit[info.filename](body.decode()).encode()  # type: ignore[operator]
            z.writestr(info.filename, body)
        for k, v in parts.items():
            z.writestr(k, v)
    return out.getvalue()


@case
def e1():
    wb, ws = long_wb()
    data = add_parts(xlsx_bytes(wb), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 500},
                     {"[Content_Types].xml": lambda s: s.replace(
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                         "application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
                         "</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')})
    return imp("e1", data, ".xlsm")
@case
def e2(): return imp("e2", b"PK\x03\x04" + b"\0" * 200, ".xlsb")
@case
def e3(): return ximp("e3", sheet(lambda s: s.replace('<c r="D3" t="n"><v>5571.17</v></c>', '<c r="D3"><f>5571.17+0</f></c>')))
@case
def e4(): return ximp("e4", sheet(lambda s: s.replace('<c r="D3" t="n"><v>5571.17</v></c>', '<c r="D3" t="str"><f>TEXT(5571.17,"0.00")</f><v>5571.17</v></c>')))
@case
def e5():
    import datetime as dt
    wb, ws = long_wb()
    ws["B3"] = dt.datetime(2023, 12, 31)
    return ximp("e5", xlsx_bytes(wb))
@case
def e6():
    wb, ws = long_wb()
    ws["B3"] = 44927
    return ximp("e6", xlsx_bytes(wb))
@case
def e7():
    wb, ws = long_wb()
    ws.protection.sheet = True
    ws.protection.password = "x"
    return ximp("e7", xlsx_bytes(wb))
@case
def e8(): return ximp("e8", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
@case
def e9():
    wb, ws = long_wb()
    data = sheet(lambda s: s.replace('<c r="D3" t="n"><v>5571.17</v></c>', '<c r="D3"><f>[1]Sheet1!A1</f><v>5571.17</v></c>'))
    link = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames></externalBook></externalLink>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" Target="file:///etc/passwd" TargetMode="External"/></Relationships>')
    return ximp("e9", add_parts(data, {"xl/externalLinks/externalLink1.xml": link,
                                       "xl/externalLinks/_rels/externalLink1.xml.rels": rels}))
def shared_strings(data: bytes, edit=None) -> bytes:
    """openpyxl writes inline strings: move them into xl/sharedStrings.xml (as Excel writes),
    then let ``edit`` change the strings part's XML."""
    src = zipfile.ZipFile(io.BytesIO(data))
    sheet_xml = src.read("xl/worksheets/sheet1.xml").decode()
    items: list[str] = []

    def to_shared(m):
        items.append(m.group(2))
        return f'<c r="{m.group(1)}" t="s"><v>{len(items) - 1}</v></c>'
    sheet_xml = re.sub(r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is>(.*?)</is></c>', to_shared, sheet_xml)
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           f'count="{len(items)}" uniqueCount="{len(items)}">' + "".join(f"<si>{x}</si>" for x in items) + "</sst>")
    if edit:
        sst = edit(sst)
    return add_parts(data, {"xl/sharedStrings.xml": sst}, {
        "xl/worksheets/sheet1.xml": lambda _s: sheet_xml,
        "[Content_Types].xml": lambda s: s.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "xl/_rels/workbook.xml.rels": lambda s: s.replace("</Relationships>", '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')})
@case
def e10():
    wb, ws = long_wb()
    data = shared_strings(xlsx_bytes(wb))
    return ximp("e10", patch(data, "xl/worksheets/sheet1.xml", lambda s: re.sub(r'<c r="A3" t="s"><v>\d+</v></c>', '<c r="A3" t="s"><v>999</v></c>', s)))
@case
def e11():
    wb, ws = long_wb()
    ws["D3"] = "SPACED"
    return ximp("e11", shared_strings(xlsx_bytes(wb), lambda s: s.replace("<t>SPACED</t>", '<t xml:space="preserve"> 5571.17 </t>')))
@case
def e12():
    wb, ws = long_wb(values=(("太原市", "2022", "gdp", 5571.17, "亿元"),))
    return ximp("e12", shared_strings(xlsx_bytes(wb), lambda s: s.replace(
        "<t>太原市</t>", '<r><t>太原市</t></r><rPh sb="0" eb="3"><t>タイゲン</t></rPh>')))
@case
def e13():
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append(L.strip().split(",")[:5])
    regions = ["140100", "140105", "140106", "140107", "140108", "140109", "140110", "140121", "140122", "140123", "140181"]
    inds = [("gdp", "亿元"), ("va_primary", "亿元"), ("va_secondary", "亿元"), ("va_tertiary", "亿元"), ("gdp_per_capita", "元"), ("industry_growth", "%")]
    rows_ = [(r_, f"{y}-{m:02d}", i, u) for r_ in regions for i, u in inds for y in range(1950, 2024) for m in range(1, 13)]
    for n, (r_, p_, i, u) in enumerate(rows_[:50_000]):
        ws.append([r_, p_, i, 1.0 + n % 97, u])
    b = io.BytesIO()
    wb.save(b)
    rc, out, rws, secs = ximp("e13", b.getvalue())
    return rc, out, f"{len(rws)} rows", secs
@case
def e14(): return ximp("e14", sheet(lambda s: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', s)))
@case
def e15():
    wb, ws = long_wb()
    ws["D3"] = True
    return ximp("e15", xlsx_bytes(wb))
@case
def e16():
    import datetime as dt
    wb, ws = long_wb()
    ws["D3"] = dt.datetime(2022, 5, 1)
    return ximp("e16", xlsx_bytes(wb))
@case
def e17():
    wb = openpyxl.Workbook()
    cs = wb.create_chartsheet("图")
    from openpyxl.chart import BarChart
    cs.add_chart(BarChart())
    wb.remove(wb.active if wb.active is not cs else wb.worksheets[0])
    return ximp("e17", xlsx_bytes(wb))


# -- F: texts --------------------------------------------------------------------------------
def pdf(name: str, pages: list[str | None], **kw) -> Path:
    """A PDF whose pages hold the texts given (None: a page of image only)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib import font_manager
    from matplotlib.backends.backend_pdf import PdfPages
    fonts = [f.fname for f in font_manager.fontManager.ttflist if "CJK" in f.name or "Noto Sans SC" in f.name or "WenQuanYi" in f.name]
    p = ROOT / f"{name}.pdf"
    with plt.rc_context({"pdf.fonttype": 42}), PdfPages(p) as pdf_:
        for text in pages:
            fig = plt.figure(figsize=(4, 2))
            if text is None:
                ax = fig.add_axes((0, 0, 1, 1))
                ax.imshow(np.arange(100).reshape(10, 10))
                ax.axis("off")
            else:
                kw_ = {"fontproperties": font_manager.FontProperties(fname=fonts[0])} if fonts else {}
                fig.text(0.05, 0.5, text, **kw_)
            pdf_.savefig(fig)
            plt.close(fig)
    return p


P1 = "2023年全市地区生产总值5571.17亿元。"
P2 = "2023年全市常住人口545.6万人。"


@case
def f1(): return p14.extract(pdf("f1", [P1, None, P2]))
@case
def f2(): return p14.extract(pdf("f2", [P1, P2]))
@case
def f3():
    from pypdf import PdfReader, PdfWriter
    src = pdf("f3src", [P1])
    w = PdfWriter()
    for pg in PdfReader(src).pages:
        w.add_page(pg)
    w.encrypt(user_password="u", owner_password="o", algorithm="RC4-128")
    p = ROOT / "f3.pdf"
    with open(p, "wb") as fh:
        w.write(fh)
    return p14.extract(p)
@case
def f4():
    p = pdf("f4", [P1])
    data = p.read_bytes()
    data = re.sub(rb"(\n)(\d{10}) (\d{5}) n", lambda m: m.group(1) + b"0000000001 " + m.group(3) + b" n", data)
    p.write_bytes(data)
    return p14.extract(p)
@case
def f5():
    p = pdf("f5", [P1, P2])
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    return p14.extract(p)
H = p14.html
@case
def f6(): return p14.extract(H("f6", "<p>2023年全市地区生产总值5571.17亿元。</p><template><p>一般公共预算收入9999亿元。</p></template>"))
@case
def f7(): return p14.extract(H("f7", "<p>2023年全市地区生产总值5571.17亿元。</p><p hidden>一般公共预算收入9999亿元。</p>"))
@case
def f8(): return p14.extract(H("f8", '<style>.x{display:none}</style><p>2023年全市地区生产总值<span class="x">9999</span>5571.17亿元。</p>'))
@case
def f9(): return p14.extract(H("f9", '<p>2023年全市地区生产总值<span style="visibility:hidden">9999</span>5571.17亿元。</p>'))
@case
def f10(): return p14.extract(H("f10", '<p>2023年全市地区生产总值<span style="display:\n none">9999</span>5571.17亿元。</p>'))
@case
def f11(): return p14.extract(H("f11", "<p>2023年全市地区生产总值5571&#46;17亿元。</p>"))
@case
def f12():
    p = ROOT / "f12.html"
    p.write_bytes('<!doctype html><html><head><meta charset="gbk"><title>t</title></head><body><p>2023年全市地区生产总值5571.17亿元。</p></body></html>'.encode("gbk"))
    return p14.extract(p)
@case
def f13(): return p14.extract(p14.docx("f13", p14.para(p14.r("2023年全市地区生产总值"), '<w:r><w:rPr><w:vanish/></w:rPr><w:t>9999</w:t></w:r>', p14.r("5571.17亿元。"))))
@case
def f14(): return p14.extract(p14.docx("f14", p14.para(p14.r("2023年全市地区生产总值"), '<w:del w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>9999</w:delText></w:r></w:del>', p14.r("5571.17亿元。"))))
@case
def f15(): return p14.extract(H("f15", '<style>#h{display:none}</style><p>2023年全市地区生产总值5571.17亿元。</p><div id="h">一般公共预算收入9999亿元。</div>'))


# -- G: YAML plans ---------------------------------------------------------------------------
PLAN = p14.PLAN


def plan_bytes(name: str, data: bytes):
    p = ROOT / f"{name}.yaml"
    p.write_bytes(data)
    db = p14.fresh_db(name)
    rc, out, secs = run("plan", "load", p, db=db)
    with sqlite3.connect(db) as c:
        titles = c.execute("select code, substr(title, 1, 40) from plan_node").fetchall()
    return rc, out, titles, secs


def good(**kw) -> str:
    return PLAN.format(**{"title": "一", "due": "2026-12-31", **kw})


@case
def g1(): return plan_bytes("g1", b"\xef\xbb\xbf" + good().encode())
@case
def g2(): return plan_bytes("g2", good(title="推进太原市城市更新").encode("gbk"))
@case
def g3(): return plan_bytes("g3", good().replace("code: T1", "code: 0x1F").encode())
@case
def g4(): return plan_bytes("g4", good().replace("code: T1", "code: 1e3").encode())
@case
def g5(): return plan_bytes("g5", good(title="长" * 1_000_000).encode())
@case
def g6(): return plan_bytes("g6", (good() + "---\n" + good()).encode())
@case
def g7(): return plan_bytes("g7", good(title="!!binary aGk=").encode())
@case
def g8(): return plan_bytes("g8", good(title='"a\\0b"').encode())
@case
def g9(): return plan_bytes("g9", b'code: p16\ntitle: x\nregion: "140100"\nchildren:\n  T1: {kind: task, title: a}\n')
@case
def g10(): return plan_bytes("g10", b"")


# -- H: command line -------------------------------------------------------------------------
def named(raw_name: bytes, content: bytes | None, *args: str, directory: bool = False):
    p = Path(os.fsdecode(os.fsencode(str(ROOT)) + b"/" + raw_name))
    if directory:
        p.mkdir(exist_ok=True)
    elif content is not None:
        p.write_bytes(content)
    else:
        p.unlink(missing_ok=True)
    db = p14.fresh_db("h")
    rc, out, secs = run("import", p, *args, db=db)
    return rc, out, p14.rows(db), secs


@case
def h1(): return named("my data 数据.csv".encode(), GOOD.encode())
@case
def h2(): return named(b"h2\xb5\xd8.csv", b"")
@case
def h3(): return named(b"h3\xb5\xd8.csv", None)
@case
def h4(): return named(b"h4\xb5\xd8.csv", None, directory=True)
@case
def h5():
    db = p14.fresh_db("h5")
    t = time.monotonic()
    p = subprocess.run([*p14.LANTU, "import", "-", "--db", f"sqlite:///{db}"], input=GOOD.encode(),
                       capture_output=True, timeout=60, env={**os.environ, "LANTU_HOME": str(ROOT / "home")})
    return p.returncode, (p.stdout + p.stderr).decode(), p14.rows(db), time.monotonic() - t
@case
def h6():
    db = p14.fresh_db("h6")
    run("import", ROOT / "h6in.csv" if (ROOT / "h6in.csv").write_text(GOOD) else "", db=db)
    out = ROOT / "h6.csv"
    out.write_text("OLD CONTENT " * 1000)
    rc, text, secs = run("export", "observations", "--out", out, db=db)
    return rc, text + "\n--file: " + out.read_text()[:200], secs
@case
def h7():
    p = ROOT / "h7.csv"
    p.unlink(missing_ok=True)
    os.mkfifo(p)
    db = p14.fresh_db("h7")
    rc, out, secs = run("import", p, db=db, timeout=20)
    return rc, out, p14.rows(db), secs
@case
def h8():
    db = p14.fresh_db("h8")
    rc, out, secs = run("import", "/dev/zero", db=db, timeout=30)
    return rc, out, secs
@case
def h9():
    p = ROOT / "h9.csv"
    p.write_text(GOOD)
    db = p14.fresh_db("h9")
    rc, out, secs = run("import", p, p, db=db)
    return rc, out, p14.rows(db), secs
@case
def h10():
    p = ROOT / "h10.csv"
    p.write_text(GOOD)
    return run("import", p, "--db", "sqlite:////nonexistent/dir/x.db")
@case
def h11():
    d = ROOT / "h11dir"
    d.mkdir(exist_ok=True)
    return run("export", "observations", "--out", d, db=p14.fresh_db("h11"))
@case
def h12(): return run("nosuchcommand")
@case
def h13():
    db = p14.fresh_db("h13")
    (ROOT / "h13in.csv").write_text(L + "".join(row(str(y), period=str(y)) for y in range(1950, 2023)))
    run("import", ROOT / "h13in.csv", db=db)
    t = time.monotonic()
    import shlex
    cmd = shlex.join([*p14.LANTU, "export", "observations", "--db", f"sqlite:///{db}"])
    p = subprocess.run(f"{cmd} | head -1", shell=True, capture_output=True, timeout=60,
                       env={**os.environ, "LANTU_HOME": str(ROOT / "home"), "PYTHONPATH": os.environ.get("PYTHONPATH", "")})
    return p.returncode, "stdout: " + p.stdout.decode()[:100] + "\nstderr: " + p.stderr.decode(), time.monotonic() - t
@case
def h14(): return imp("h14", GOOD, ".csv", "--dry-run")
@case
def h15():
    p = ROOT / "-x.csv"
    p.write_text(GOOD)
    db = p14.fresh_db("h15")
    rc, out, secs = run("import", "--db", f"sqlite:///{db}", "--", str(p))
    return rc, out, p14.rows(db), secs
@case
def h16(): return named(b"h16\nx.csv", b"")


if __name__ == "__main__":
    ROOT.mkdir(parents=True, exist_ok=True)
    wanted = [a.upper() for a in sys.argv[1:]] or list(CASES)
    for cid in wanted:
        try:
            p14.show(cid, CASES[cid]())
        except Exception as e:  # noqa: BLE001 - a probe reports and goes on
            print(f"=== {cid}\n  HARNESS ERROR {type(e).__name__}: {e}")
