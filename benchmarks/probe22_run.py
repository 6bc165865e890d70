"""Run the thirteenth round's cases (benchmarks/probe22_cases.md): plan parse/load, index build,
the database URL, outputs.

probe20_run.py's harness, SQLite (a fresh initialised copy per case; scratch ``$P22_DIR``,
default /tmp/probe22). Each case's answer, written in probe22_cases.md before the first run, is
a check here. Run: ``PYTHONPATH=src python benchmarks/probe22_run.py [IDS…]``. A probe, not a
test."""

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
from pathlib import Path

ROOT = Path(os.environ.get("P22_DIR", "/tmp/probe22"))
PG_SERVER = os.environ.get("P22_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
LANTU = [sys.executable, "-c", "import sys; from lantu.cli import main; sys.argv[0]='lantu'; main()"]
CASES: dict[str, Callable[[], tuple[bool, str]]] = {}

B = ("太原市发展蓝图\n一、总体目标\n到2025年，地区生产总值达到6000亿元。\n二、重点任务\n"
     "（一）加快建设物流枢纽。由市发改委牵头，2025年底前完成。\n（二）推进科技创新。\n")
L_HEADER = "region_code,period,indicator,value,unit,flags,source_url,excerpt\n"


def case(f):
    CASES[f.__name__.upper()] = f
    return f


def run_cli(*args, db: str | None = None, timeout: int = 180, env: dict | None = None,
            cwd: Path | None = None) -> tuple[int, str, float]:
    cmd = [*LANTU, *map(str, args)]
    if db is not None:
        cmd += ["--db", db]
    e = {**os.environ, "LANTU_HOME": str(ROOT / "home"), "COLUMNS": "200", **(env or {})}
    t = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, env=e, cwd=cwd,
                           stdin=subprocess.DEVNULL)
        return p.returncode, (p.stdout + p.stderr).decode("utf-8", "replace"), time.monotonic() - t
    except subprocess.TimeoutExpired:
        return -999, "TIMEOUT", time.monotonic() - t


def fresh_db(name: str) -> str:
    tpl = ROOT / "template.db"
    if not tpl.exists():
        rc, out, _ = run_cli("init", db=f"sqlite:///{tpl}")
        assert rc == 0, out
    d = ROOT / f"{name}.db"
    for extra in ("", "-wal", "-shm", "-journal"):
        Path(f"{d}{extra}").unlink(missing_ok=True)
    shutil.copy(tpl, d)
    return f"sqlite:///{d}"


def q(url: str, sql: str) -> list[tuple]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as c:
        return c.execute(sql).fetchall()


def write(name: str, data: bytes | str) -> Path:
    p = ROOT / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


def tb(out: str) -> str | None:
    return "traceback" if "Traceback" in out else None


def refused(rc: int, out: str, *names: str, codes=(1, 2, 3)) -> tuple[bool, str]:
    if (why := tb(out)) or rc not in codes:
        return False, f"rc={rc} {why or ''} {out[-300:]}"
    missing = [n for n in names if n.lower() not in out.lower()]
    return (not missing), f"rc={rc} missing={missing} {out[-300:]}"


#: runner fix: the LibreOffice here cannot load any .xlsx (its Calc import fails on a workbook
#: of one cell), so a workbook is checked by openpyxl alone; None means "not checked"
SOFFICE_READS_XLSX = False


def soffice_csv(path: Path) -> str | None:
    if not SOFFICE_READS_XLSX and path.suffix == ".xlsx":
        return None
    outdir = ROOT / "soffice"
    outdir.mkdir(exist_ok=True)
    subprocess.run(["/usr/bin/soffice", "--headless", "--convert-to", "csv", "--outdir", str(outdir),
                    str(path)], capture_output=True, timeout=120,
                   env={**os.environ, "HOME": str(ROOT / "sohome")})
    f = outdir / (path.stem + ".csv")
    return f.read_text("utf-8", "replace") if f.exists() else ""


def soffice_pdf(path: Path) -> bool:
    outdir = ROOT / "soffice"
    outdir.mkdir(exist_ok=True)
    f = outdir / (path.stem + ".pdf")
    f.unlink(missing_ok=True)
    subprocess.run(["/usr/bin/soffice", "--headless", "--convert-to", "pdf", "--outdir", str(outdir),
                    str(path)], capture_output=True, timeout=180,
                   env={**os.environ, "HOME": str(ROOT / "sohome")})
    return f.exists() and f.stat().st_size > 500


def cells(path: Path) -> list:
    import openpyxl
    wb = openpyxl.load_workbook(path)
    return [c for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value is not None]


# -- P. plan parse ------------------------------------------------------------------------------
def parse(*args, timeout=180):
    return run_cli("plan", "parse", *args, timeout=timeout)


@case
def p1():
    b = write("p1.txt", B)
    rc, out, _ = parse(b, "-f", "yaml", "-o", b)
    ok, why = refused(rc, out, "p1.txt", "input", codes=(2,))
    return ok and b.read_text() == B, why + f" unchanged={b.read_text() == B}"


@case
def p2():
    b = write("p2.txt", B)
    rc, out, _ = parse(b, "-f", "xlsx", "-o", b)
    ok, why = refused(rc, out, "p2.txt", "input", codes=(2,))
    same = b.read_bytes() == B.encode()  # runner fix: the file may be a workbook now
    return ok and same, why + f" unchanged={same}"


@case
def p3():
    b = write("p3.txt", B)
    link = ROOT / "p3_link.json"
    link.unlink(missing_ok=True)
    link.symlink_to(b)
    rc, out, _ = parse(b, "-f", "json", "-o", link)
    ok, why = refused(rc, out, "input", codes=(2,))
    return ok and b.read_text() == B, why + f" unchanged={b.read_text() == B}"


@case
def p4():
    b = write("p4.txt", B)
    d = ROOT / "p4_dir"
    d.mkdir(exist_ok=True)
    rc, out, _ = parse(b, "-o", d)
    ok, why = refused(rc, out, "p4_dir", codes=(3,))
    return ok and d.is_dir() and not any(d.iterdir()), why


@case
def p5():
    b = write("p5.txt", B)
    rc, out, _ = parse(b, "-o", "/nonexistent/dir/x.json")
    return refused(rc, out, "/nonexistent/dir/x.json", codes=(3,))


@case
def p6():
    b = write("p6.txt", B)
    rc, out, _ = parse(b, "-f", "xlsx", "-o", "/dev/full")
    ok, why = refused(rc, out, "/dev/full", codes=(3,))
    import stat
    replaced = not stat.S_ISCHR(os.stat("/dev/full").st_mode)
    if replaced:  # runner fix: the code before renamed a file over the device (as root): put it back
        os.unlink("/dev/full")
        os.mknod("/dev/full", 0o666 | stat.S_IFCHR, os.makedev(1, 7))
        os.chmod("/dev/full", 0o666)
    return ok and not replaced and not Path("/dev/full.part").exists(), why + f" device replaced={replaced}"


@case
def p7():
    b = write("p7.txt", B)
    rc, out, _ = parse(b, "-f", "xlsx")
    return refused(rc, out, "--out", codes=(2,))


@case
def p8():
    b = write("p8.txt", b"\x89PNG\r\n\x1a\n" + os.urandom(4000))
    rc, out, _ = parse(b)
    return refused(rc, out, "p8.txt", codes=(2,))


@case
def p9():
    b = write("p9.txt", B.encode("gbk"))
    rc, out, _ = parse(b)
    return rc == 0 and "加快建设物流枢纽" in out, f"rc={rc} {out[-300:]}"


def titles(out: str) -> list[str]:
    return re.findall(r'"title": "([^"]*)"', out)


@case
def p10():
    lines = B.splitlines()
    ends = ["\r", "\n", "\r\n"]
    mixed = "".join(line + ends[i % 3] for i, line in enumerate(lines))
    rc, out, _ = parse(write("p10.txt", mixed))
    rc0, out0, _ = parse(write("p10_lf.txt", B))
    return rc == 0 and titles(out)[1:] == titles(out0)[1:], f"rc={rc} {titles(out)} vs {titles(out0)}"


@case
def p11():
    sentence = "到2025年，地区生产总值达到6000亿元，加快建设物流枢纽。"
    line = sentence * (10 * 2**20 // len(sentence.encode()))
    rc, out, secs = parse(write("p11.txt", "太原市蓝图" + line), timeout=120)
    ok = rc in (0, 2) and not tb(out) and (rc == 0 or "p11.txt" in out)
    return ok, f"rc={rc} {secs:.0f}s {out[-200:]}"


@case
def p12():
    text = B * (30 * 2**20 // len(B.encode()))
    p = write("p12.txt", text)
    cmd = ["/usr/bin/time", "-v", *LANTU, "plan", "parse", str(p), "-o", str(ROOT / "p12.json")]
    t = time.monotonic()
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=180,
                           env={**os.environ, "LANTU_HOME": str(ROOT / "home")})
    except subprocess.TimeoutExpired:
        return False, "TIMEOUT"
    err = r.stderr.decode("utf-8", "replace")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    rss = int(m.group(1)) / 2**20 if m else -1
    ok = r.returncode in (0, 2) and not tb(err) and rss < 3
    return ok, f"rc={r.returncode} {time.monotonic() - t:.0f}s rss={rss:.2f}GB {err[:300]}"


@case
def p13():
    data = B.encode().replace("蓝图".encode(), "蓝".encode() + b"\xed\xa0\x80" + "图".encode(), 1)
    rc, out, _ = parse(write("p13.txt", data))
    if rc == 2 and not tb(out) and "p13.txt" in out:
        return True, out[-300:]
    return rc == 0 and "加快建设物流枢纽" in out, f"rc={rc} {out[-300:]}"


@case
def p14():
    rc, out, _ = parse(write("p14.txt", B.encode("utf-16")))
    if rc == 2 and "p14.txt" in out and not tb(out):
        return True, out[-200:]
    return rc == 0 and "加快建设物流枢纽" in out, f"rc={rc} {out[-300:]}"


def task_text(title: str) -> str:
    return B.replace("加快建设物流枢纽", title)


@case
def p15():
    b = write("p15.txt", task_text('=HYPERLINK("http://evil.example","点")加快建设'))
    x = ROOT / "p15.xlsx"
    rc, out, _ = parse(b, "-f", "xlsx", "-o", x)
    if rc != 0:
        return False, f"rc={rc} {out[-300:]}"
    bad = [c.coordinate for c in cells(x) if "HYPERLINK" in str(c.value) and c.data_type != "s"]
    csv = soffice_csv(x)
    seen = csv is None or "HYPERLINK" in csv
    return not bad and seen, f"formula cells={bad} soffice_has_text={seen if csv is not None else 'not checked'}"


@case
def p16():
    b = write("p16.txt", task_text("加快\x0b建设\x1f物流枢纽"))
    x = ROOT / "p16.xlsx"
    rc, out, _ = parse(b, "-f", "xlsx", "-o", x)
    if rc == 2 and not tb(out) and "p16.txt" in out:
        return True, out[-200:]
    if rc != 0:
        return False, f"rc={rc} {out[-400:]}"
    try:
        cells(x)
    except Exception as exc:  # noqa: BLE001
        return False, f"openpyxl: {exc}"
    return True, "opened (openpyxl)"


def parse_then_load(name: str, text: str) -> tuple[int, str, int, str, str]:
    b = write(f"{name}.txt", text)
    y = ROOT / f"{name}.yaml"
    rc, out, _ = parse(b, "-f", "yaml", "-o", y)
    url = fresh_db(name)
    rc2, out2, _ = run_cli("plan", "load", y, db=url)
    return rc, out, rc2, out2, url


@case
def p17():
    rc, out, rc2, out2, url = parse_then_load("p17", task_text("加快\x0b建设物流枢纽"))
    if rc == 2 and not tb(out):
        return True, out[-200:]
    if tb(out) or tb(out2) or rc != 0:
        return False, f"rc={rc} rc2={rc2} {out[-200:]} {out2[-300:]}"
    if rc2 == 0:
        titles_ = [t for (t,) in q(url, "select title from plan_node")]
        return not any("\x0b" in t for t in titles_), f"loaded {titles_}"
    return ("control" in out2.lower() or "character" in out2.lower()), f"rc2={rc2} {out2[-300:]}"


@case
def p18():
    rc, out, rc2, out2, url = parse_then_load("p18", task_text("加快\u202e建设物流枢纽"))
    if tb(out) or tb(out2) or rc != 0:
        return False, f"rc={rc} rc2={rc2} {out[-200:]} {out2[-300:]}"
    if rc2 == 0:
        titles_ = [t for (t,) in q(url, "select title from plan_node")]
        return not any("\u202e" in t for t in titles_), f"loaded {titles_}"
    n = q(url, "select count(*) from plan_node")[0][0]
    return ("direction" in out2.lower() or "bidi" in out2.lower()) and n == 0, f"rc2={rc2} n={n} {out2[-300:]}"


@case
def p19():
    text = B + "（三）" + "推进" * 1500 + "。\n"
    rc, out, rc2, out2, url = parse_then_load("p19", text)
    if tb(out) or tb(out2) or rc != 0:
        return False, f"rc={rc} rc2={rc2} {out[-200:]} {out2[-300:]}"
    if rc2 == 0:
        longest = max(len(t) for (t,) in q(url, "select title from plan_node"))
        return longest <= 2000, f"loaded, longest title {longest}"
    return "2000" in out2.replace(",", "") and "title" in out2, f"rc2={rc2} {out2[-300:]}"


@case
def p20():
    rc, out, secs = parse("/dev/stdin", timeout=20)
    return refused(rc, out, "/dev/stdin", codes=(3,))


@case
def p21():
    f = ROOT / "p21.txt"
    f.unlink(missing_ok=True)
    os.mkfifo(f)
    rc, out, secs = parse(f, timeout=30)  # runner fix: 10 s was the start-up under load 15
    return refused(rc, out, "p21.txt", codes=(3,))


@case
def p22():
    body = "<br>".join(B.splitlines())
    html = (f"<html><head><style>p::after{{content:'（八）样式任务'}}</style></head><body>"
            f"<script>var s='（九）脚本任务。';</script><!-- （七）注释任务。 --><p>{body}</p></body></html>")
    rc, out, _ = parse(write("p22.html", html))
    leaked = [w for w in ("脚本任务", "样式任务", "注释任务") if w in out]
    return rc == 0 and not leaked and "加快建设物流枢纽" in out, f"rc={rc} leaked={leaked} {out[-200:]}"


@case
def p23():
    body = "".join(f"<p>{line}</p>" for line in B.splitlines())
    html = f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'
    rc, out, _ = parse(write("p23.html", html.encode("gbk")))
    if rc == 2 and "p23.html" in out and not tb(out):
        return True, out[-200:]
    return rc == 0 and "加快建设物流枢纽" in out, f"rc={rc} {out[-300:]}"


@case
def p24():
    body = "".join(f"<p>{line}</p>" for line in B.splitlines())
    html = "<html><body>" + "<div>" * 200_000 + body + "</div>" * 200_000 + "</body></html>"
    rc, out, secs = parse(write("p24.html", html), timeout=120)
    ok = rc in (0, 2) and not tb(out) and (rc == 0 or "p24.html" in out)
    return ok, f"rc={rc} {secs:.0f}s {out[-300:]}"


def docx_of(text: str) -> bytes:
    import docx
    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def rezip(data: bytes, change: Callable[[str, bytes], bytes | None], extra: dict | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = change(info.filename, src.read(info.filename))
            if body is not None:
                z.writestr(info.filename, body)
        for name, body in (extra or {}).items():
            z.writestr(name, body)
    return buf.getvalue()


@case
def p25():
    def change(name, body):
        if name == "word/document.xml":
            text = body.decode()
            text = text.replace("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>",
                                "")
            text = re.sub(r"^<\?xml[^>]*\?>", "", text)
            text = ('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [<!ENTITY x SYSTEM '
                    '"file:///etc/hostname">]>' + text.replace("推进科技创新", "推进科技创新&x;"))
            return text.encode()
        return body
    p = write("p25.docx", rezip(docx_of(B), change))
    rc, out, _ = parse(p)
    host = Path("/etc/hostname").read_text().strip()
    leaked = bool(host) and host in out
    ok = not tb(out) and not leaked and (rc == 0 or (rc == 2 and "p25.docx" in out))
    return ok, f"rc={rc} leaked={leaked} {out[-300:]}"


@case
def p26():
    def change(name, body):
        if name == "word/_rels/document.xml.rels":
            return body.replace(b"</Relationships>", (
                b'<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'relationships/image" Target="http://127.0.0.1:9/x.png" TargetMode="External"/>'
                b'<Relationship Id="rIdX2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'relationships/aFChunk" Target="http://127.0.0.1:9/chunk.html" TargetMode="External"/>'
                b"</Relationships>"))
        if name == "word/document.xml":
            return body.replace(b"<w:sectPr", b'<w:altChunk r:id="rIdX2"/><w:sectPr', 1)
        return body
    rc, out, secs = parse(write("p26.docx", rezip(docx_of(B), change)), timeout=30)
    return rc == 0 and "加快建设物流枢纽" in out and secs < 30, f"rc={rc} {secs:.0f}s {out[-300:]}"


@case
def p27():
    target = ROOT.parent / "probe22_slip.txt"
    target.unlink(missing_ok=True)
    p = write("p27.docx", rezip(docx_of(B), lambda n, b: b, {"../../probe22_slip.txt": "x"}))
    rc, out, _ = parse(p)
    made = target.exists() or Path("/probe22_slip.txt").exists()
    return rc in (0, 2) and not tb(out) and not made, f"rc={rc} made={made} {out[-200:]}"


@case
def p28():
    def change(name, body):
        if name == "word/document.xml":
            pad = "<w:p><w:r><w:t>" + "填" * 1000 + "</w:t></w:r></w:p>"
            n = 60 * 2**20 // len(pad.encode())
            return body.replace(b"<w:sectPr", (pad * n).encode() + b"<w:sectPr", 1)
        return body
    rc, out, secs = parse(write("p28.docx", rezip(docx_of(B), change)), timeout=60)
    ok, why = refused(rc, out, "p28.docx", codes=(2,))
    return ok and secs < 30, why + f" {secs:.0f}s"


def text_pdf() -> bytes:
    src = ROOT / "bsrc.txt"
    pdf = ROOT / "soffice" / "bsrc.pdf"
    if not pdf.exists():
        src.write_text(B, encoding="utf-8")
        assert soffice_pdf(src), "soffice could not make the text PDF"
    return pdf.read_bytes()


@case
def p29():
    from pypdf import PdfReader, PdfWriter
    w = PdfWriter()
    for page in PdfReader(io.BytesIO(text_pdf())).pages:
        w.add_page(page)
    w.encrypt("secret")
    buf = io.BytesIO()
    w.write(buf)
    rc, out, _ = parse(write("p29.pdf", buf.getvalue()))
    return refused(rc, out, "p29.pdf", "password", codes=(2,))


@case
def p30():
    from pypdf import PdfWriter
    buf = io.BytesIO()
    PdfWriter().write(buf)
    rc, out, _ = parse(write("p30.pdf", buf.getvalue()))
    return refused(rc, out, "p30.pdf", codes=(2,))


@case
def p31():
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buf, "PDF")
    rc, out, _ = parse(write("p31.pdf", buf.getvalue()))
    ok, why = refused(rc, out, "p31.pdf", codes=(2,))
    return ok and ("ocr" in out.lower() or "text layer" in out.lower()), why


@case
def p32():
    data = text_pdf()
    data = re.sub(rb"\d{10} 00000 n", b"0000000001 00000 n", data)
    rc, out, _ = parse(write("p32.pdf", data))
    ok = not tb(out) and (rc == 0 and "加快建设物流枢纽" in out or rc == 2 and "p32.pdf" in out)
    return ok, f"rc={rc} {out[-300:]}"


# -- L. plan load -------------------------------------------------------------------------------
def plan_yaml(tasks: list[dict] | None = None, **change) -> str:
    import yaml
    base = {"code": "T1", "title": "加快建设物流枢纽", "kind": "task", "lead": "fgw",
            "supporting": ["gxj"], "start": "2025-01-01", "due": "2025-12-31", "indicators": []}
    base.update(change)
    doc = {"code": "p22", "title": "测试规划", "region": "140100", "children": [
        {"code": "G1", "title": "总体目标", "kind": "goal", "children": []},
        *(tasks or [base, {"code": "T2", "title": "推进科技创新", "kind": "task", "lead": "kjj"}])]}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def load(name: str, text: str, url: str | None = None):
    url = url or fresh_db(name)
    p = write(f"{name}.yaml", text)
    rc, out, secs = run_cli("plan", "load", p, db=url)
    return rc, out, url


def nodes(url: str) -> int:
    return q(url, "select count(*) from plan_node")[0][0]


def load_refused(name: str, text: str, *names: str) -> tuple[bool, str]:
    rc, out, url = load(name, text)
    ok, why = refused(rc, out, *names)
    n = nodes(url)
    return ok and n == 0, why + f" nodes={n}"


@case
def l1():
    return load_refused("l1", plan_yaml(due="2025-02-30"), "due")


@case
def l2():
    rc, out, url = load("l2", plan_yaml(due="2025年底"))
    if rc == 0:
        d = q(url, "select due from plan_node where code='T1'")
        return str(d[0][0]).startswith("2025-12-31"), f"stored {d}"
    return refused(rc, out, "due")


@case
def l3():
    return load_refused("l3", plan_yaml(due=20251231), "due")


@case
def l4():
    import datetime as dt
    rc, out, url = load("l4", plan_yaml(due=dt.datetime(2025, 12, 31, 10, 0)))
    if rc == 0:
        d = q(url, "select due from plan_node where code='T1'")
        return str(d[0][0]).startswith("2025-12-31"), f"stored {d}"
    return refused(rc, out, "due")


@case
def l5():
    return load_refused("l5", plan_yaml(start="2026-01-01", due="2025-12-31"), "T1")


@case
def l6():
    t = {"code": "T1", "title": "甲", "kind": "task"}
    return load_refused("l6", plan_yaml([t, dict(t, title="乙")]), "T1")


@case
def l7():
    return load_refused("l7", plan_yaml(lead="不存在局"), "lead", "不存在局")


@case
def l8():
    rc, out, url = load("l8", plan_yaml(supporting=["fgw", "gxj", "gxj"]))
    if rc != 0:
        return refused(rc, out, "gxj")
    rc2, csv, _ = run_cli("export", "tasks", "-f", "csv", db=url)
    line = next((x for x in csv.splitlines() if "加快建设物流枢纽" in x), "")
    return line.count("工信") <= 1 and rc2 == 0, f"export line: {line}"


def export_checks(url: str, name: str, needles: list[str]) -> tuple[bool, str]:
    x, c = ROOT / f"{name}.xlsx", ROOT / f"{name}.csv"
    rc1, o1, _ = run_cli("export", "tasks", "-o", x, db=url)
    rc2, o2, _ = run_cli("export", "tasks", "-o", c, db=url)
    if rc1 or rc2:
        return False, f"export rc={rc1},{rc2} {o1[-200:]} {o2[-200:]}"
    bad = [c_.coordinate for c_ in cells(x) if c_.data_type == "f"]
    csv_text = c.read_text("utf-8")
    unescaped = [n for n in needles if re.search(r"(^|,|\")" + re.escape(n), csv_text)]
    lo = soffice_csv(x)
    evaluated = [n for n in needles if lo is not None and n.strip().lstrip("\t") not in lo]
    ok = not bad and not unescaped and not evaluated
    return ok, f"formula cells={bad} csv unescaped={unescaped} soffice lost={evaluated}"


@case
def l9():
    title = '=HYPERLINK("http://evil.example","点我")'
    rc, out, url = load("l9", plan_yaml(title=title))
    if rc != 0:
        return False, f"rc={rc} {out[-300:]}"
    return export_checks(url, "l9", ["=HYPERLINK"])


@case
def l10():
    ts = ["+1+1", "@SUM(1)", "＝1+1", "\t=1+1", "-2+3"]
    tasks = [{"code": f"T{i}", "title": t, "kind": "task"} for i, t in enumerate(ts, 1)]
    rc, out, url = load("l10", plan_yaml(tasks))
    if rc != 0:
        return False, f"rc={rc} {out[-300:]}"
    return export_checks(url, "l10", ["+1+1", "@SUM(1)", "＝1+1", "-2+3"])


@case
def l11():
    return load_refused("l11", plan_yaml(title="加快\x0b建设"), "title")


@case
def l12():
    rc, out, url = load("l12", plan_yaml(text="推" * 40_000))
    if rc != 0:
        return refused(rc, out, "text")
    x = ROOT / "l12.xlsx"
    rc2, out2, _ = run_cli("export", "tasks", "-o", x, db=url)
    longest = max(len(str(c.value)) for c in cells(x)) if rc2 == 0 else -1
    return rc2 == 0 and longest <= 32767, f"loaded; export rc={rc2} longest cell={longest} {out2[-200:]}"


@case
def l13():
    return load_refused("l13", plan_yaml(title="加快\u202e建设"), "title")


@case
def l14():
    b = write("l14.txt", B)
    x = ROOT / "l14.xlsx"
    parse(b, "-f", "xlsx", "-o", x)
    url = fresh_db("l14")
    rc, out, _ = run_cli("plan", "load", x, db=url)
    ok, why = refused(rc, out, "l14.xlsx", codes=(2,))
    return ok and ("yaml" in out.lower() or "json" in out.lower()), why


@case
def l15():
    return load_refused("l15", plan_yaml(indicators=["gdpx"]), "gdpx")


@case
def l16():
    rc, out, url = load("l16", plan_yaml(due="9999-12-31"))
    if rc != 0:
        return refused(rc, out, "due")
    r = ROOT / "l16.docx"
    rc2, out2, _ = run_cli("report", "bulletin", "--month", "2026-11", "-o", r, db=url)
    return rc2 == 0 and not tb(out2), f"loaded; bulletin rc={rc2} {out2[-300:]}"


@case
def l17():
    tasks = [{"code": f"T{i}", "title": f"任务{i}", "kind": "task", "lead": "fgw"}
             for i in range(20_000)]
    url = fresh_db("l17")
    p = write("l17.yaml", plan_yaml(tasks))
    rc, out, secs = run_cli("plan", "load", p, db=url, timeout=180)
    ok = not tb(out) and rc != -999 and (rc == 0 and nodes(url) == 20_001 or rc in (1, 2))
    return ok, f"rc={rc} {secs:.0f}s nodes={nodes(url)} {out[-200:]}"


@case
def l18():
    rc, out, url = load("l18", plan_yaml(title="<script>alert(1)</script>"))
    if rc != 0:
        return False, f"rc={rc} {out[-300:]}"
    r = ROOT / "l18.docx"
    rc2, out2, _ = run_cli("report", "monitoring", "--region", "140100", "--period", "2023",
                           "-o", r, db=url)
    if rc2 != 0:
        return False, f"report rc={rc2} {out2[-300:]}"
    import docx
    text = "\n".join(p.text for p in docx.Document(r).paragraphs)
    text += "\n".join(c.text for t in docx.Document(r).tables for row in t.rows for c in row.cells)
    return "<script>alert(1)</script>" in text, f"in docx: {'<script>' in text}"


# -- X. index build -----------------------------------------------------------------------------
IDATA = {"A": (1.0, 10.0), "B": (2.0, 30.0), "C": (4.0, 20.0)}


def index_files(name: str, *, idata: str | None = None, imeta: str | None = None,
                spec: str | None = None) -> tuple[Path, Path, Path]:
    d = ROOT / name
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir()
    idata = idata or "uName,uCode,x1,x2\n" + "".join(
        f"Unit {u},{u},{a},{b}\n" for u, (a, b) in IDATA.items())
    imeta = imeta or ("Level,iCode,iName,Direction,Weight,Parent,Type\n"
                      "1,x1,X one,1,1,Index,Indicator\n1,x2,X two,1,1,Index,Indicator\n"
                      "2,Index,The index,1,1,,Aggregate\n")
    spec = spec or ("name: s\nsteps:\n  - {name: normalise, step: normalise, method: minmax, "
                    "params: {l_u: [0, 100]}}\n  - {name: aggregate, step: aggregate, method: amean}\n")
    return write(f"{name}/iData.csv", idata), write(f"{name}/iMeta.csv", imeta), write(f"{name}/spec.yaml", spec)


def build(name: str, out: Path | None = None, cmd: str = "build", **files) -> tuple[int, str, Path]:
    i, m, s = index_files(name, **files)
    out = out or ROOT / name / "out"
    rc, o, _ = run_cli("index", cmd, "--idata", i, "--imeta", m, "--spec", s, "--out", out, timeout=120)
    return rc, o, out


def meta_with(x1_weight="1", x1_dir="1", x2_weight="1") -> str:
    return ("Level,iCode,iName,Direction,Weight,Parent,Type\n"
            f"1,x1,X one,{x1_dir},{x1_weight},Index,Indicator\n1,x2,X two,1,{x2_weight},Index,Indicator\n"
            "2,Index,The index,1,1,,Aggregate\n")


def build_refused(name: str, *names: str, **files) -> tuple[bool, str]:
    rc, o, out = build(name, **files)
    ok, why = refused(rc, o, *names, codes=(2,))
    return ok and not out.exists(), why + f" out made={out.exists()}"


def results_finite(out: Path) -> tuple[bool, str]:
    import pandas as pd
    r = pd.read_csv(out / "results.csv")
    num = r.select_dtypes("number")
    import numpy as np
    return bool(np.isfinite(num.to_numpy()).all()), r.to_string()[:300]


def finite_or_refused(name: str, idata: str) -> tuple[bool, str]:
    """exit 2 naming x1, or exit 0 with finite results (X7, X17)."""
    rc, o, out = build(name, idata=idata)
    if rc == 2 and "x1" in o and not tb(o):
        return True, o[-300:]
    if rc == 0:
        return results_finite(out)
    return False, f"rc={rc} {o[-300:]}"


@case
def x1():
    return build_refused("x1", "x1", "weight", imeta=meta_with(x1_weight="-1"))


@case
def x2():
    return build_refused("x2", "x1", "weight", imeta=meta_with(x1_weight="NaN"))


@case
def x3():
    rc, o, out = build("x3", imeta=meta_with(x1_weight="0", x2_weight="0"))
    if rc == 2 and "Index" in o and not tb(o):
        return True, o[-300:]
    if rc == 0:
        fin, txt = results_finite(out)
        return False, f"exit 0, finite={fin}: {txt}"
    return False, f"rc={rc} {o[-300:]}"


@case
def x4():
    return build_refused("x4", "x1", "weight", imeta=meta_with(x1_weight="inf"))


@case
def x5():
    imeta = meta_with() + "1,x3,X three,1,1,Index,Indicator\n"
    return build_refused("x5", "x3", imeta=imeta)


@case
def x6():
    rc, o, out = build("x6", idata="uName,uCode,x1,x2\nUnit A,A,1,10\n")
    if rc == 2 and not tb(o):
        return True, o[-300:]
    if rc == 0:
        return results_finite(out)
    return False, f"rc={rc} {o[-300:]}"


@case
def x7():
    idata = "uName,uCode,x1,x2\n" + "".join(f"Unit {u},{u},5,{b}\n" for u, (_, b) in IDATA.items())
    return finite_or_refused("x7", idata)


@case
def x8():
    imeta = ("Level,iCode,iName,Direction,Weight,Parent,Type\n1,x1,X one,1,1,G,Indicator\n"
             "1,x2,X two,1,1,G,Indicator\n2,G,Group,1,1,Index,Aggregate\n3,Index,The index,1,1,G,Aggregate\n")
    rc, o, out = build("x8", imeta=imeta)
    return refused(rc, o, codes=(2,))[0] and ("cycle" in o.lower() or "loop" in o.lower() or
                                              "index" in o.lower()), f"rc={rc} {o[-300:]}"


@case
def x9():
    idata = "uName,uCode,x1,x2\nUnit A,A,1,10\nUnit A2,A,2,30\nUnit C,C,4,20\n"
    return build_refused("x9", "A", idata=idata)


@case
def x10():
    idata = "uName,uCode,x1,x2\nUnit A,A,=1+1,10\nUnit B,B,2,30\nUnit C,C,4,20\n"
    return build_refused("x10", "x1", idata=idata)


@case
def x11():
    idata = ('uName,uCode,x1,x2\n"=HYPERLINK(""http://evil.example"",""x"")",A,1,10\n'
             "Unit B,B,2,30\nUnit C,C,4,20\n")
    rc, o, out = build("x11", idata=idata)
    if rc != 0:
        return False, f"rc={rc} {o[-300:]}"
    bad = [f.name for f in out.glob("*.csv") if re.search(r'(^|,)"?=HYPERLINK', f.read_text(), re.M)]
    return not bad, f"unescaped in {bad}"


@case
def x12():
    spec = ("name: s\nsteps:\n  - {name: normalise, step: normalise, method: minmax, params: {l_u: [0, 100]}}\n"
            "  - {name: aggregate, step: aggregate, method: amean, dset_out: ../../probe22_escape}\n")
    target = ROOT.parent / "probe22_escape.csv"
    target.unlink(missing_ok=True)
    rc, o, out = build("x12", spec=spec)
    made = target.exists() or (ROOT / "probe22_escape.csv").exists()
    ok, why = refused(rc, o, "probe22_escape", codes=(2,))
    return ok and not made, why + f" escaped file made={made}"


@case
def x13():
    spec = ("name: s\nsteps:\n  - {name: normalise, step: normalise, method: minmax, params: {l_u: [0, 100]}}\n"
            "  - {name: aggregate, step: aggregate, method: amean, dset_out: results}\n")
    rc, o, out = build("x13", spec=spec)
    if rc == 2 and "results" in o and not tb(o):
        return True, o[-200:]
    return False, f"rc={rc} files={sorted(p.name for p in out.glob('*'))} {o[-200:]}"


@case
def x14():
    d = ROOT / "x14"
    i, m, s = index_files("x14")
    raw = i.with_name("Raw.csv")
    i.rename(raw)
    before = raw.read_bytes()
    rc, o, _ = run_cli("index", "build", "--idata", raw, "--imeta", m, "--spec", s, "--out", d)
    ok, why = refused(rc, o, "Raw.csv", codes=(2,))
    return ok and raw.read_bytes() == before, why + f" unchanged={raw.read_bytes() == before}"


@case
def x15():
    f = write("x15_file", "keep")
    rc, o, _ = build("x15", out=f)
    ok, why = refused(rc, o, "x15_file", codes=(3,))
    return ok and f.read_text() == "keep", why


@case
def x16():
    i, m, s = index_files("x16")
    rc, o, _ = run_cli("index", "build", "--idata", "/dev/stdin", "--imeta", m, "--spec", s,
                       "--out", ROOT / "x16" / "out", timeout=20)
    return refused(rc, o, "/dev/stdin", codes=(3,))


@case
def x17():
    idata = "uName,uCode,x1,x2\nUnit A,A,1e308,10\nUnit B,B,-1e308,30\nUnit C,C,4,20\n"
    return finite_or_refused("x17", idata)


@case
def x18():
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + k)}: &{chr(98 + k)} [*{chr(97 + k)},*{chr(97 + k)},*{chr(97 + k)},*{chr(97 + k)},"
        f"*{chr(97 + k)},*{chr(97 + k)},*{chr(97 + k)},*{chr(97 + k)},*{chr(97 + k)}]\n" for k in range(8))
    i, m, s = index_files("x18", spec=bomb)
    rc, o, secs = run_cli("index", "build", "--idata", i, "--imeta", m, "--spec", s, "--out",
                          ROOT / "x18" / "out", timeout=30)
    ok, why = refused(rc, o, "spec.yaml", codes=(2,))
    return ok and secs < 10, why + f" {secs:.0f}s"


@case
def x19():
    idata = "uName,uCode,x1,x2\n" + "".join(f"Unit {u},{u},5,{b}\n" for u, (_, b) in IDATA.items())
    rc, o, out = build("x19", cmd="analyse", idata=idata)
    if rc == 2 and "x1" in o and not tb(o):
        return True, o[-300:]
    return rc == 0 and not tb(o), f"rc={rc} {o[-300:]}"


@case
def x20():
    return build_refused("x20", "x1", "direction", imeta=meta_with(x1_dir="2"))


# -- K. the database URL ------------------------------------------------------------------------
GOOD_CSV = L_HEADER + "140100,2022,gdp,5571.17,亿元,,,\n"


def missing_db(name: str) -> tuple[Path, str]:
    p = ROOT / f"{name}_typo.db"
    for extra in ("", "-wal", "-shm", "-journal"):
        Path(f"{p}{extra}").unlink(missing_ok=True)
    return p, f"sqlite:///{p}"


def k_refused(name: str, *args, env=None, pass_db=True) -> tuple[bool, str]:
    p, url = missing_db(name)
    rc, o, _ = run_cli(*args, db=url if pass_db else None,
                       env={"LANTU_DATABASE_URL": url} if env else None)
    ok, why = refused(rc, o, p.name, codes=(3,))
    return ok and not p.exists(), why + f" file made={p.exists()}"


@case
def k1():
    return k_refused("k1", "import", write("k1.csv", GOOD_CSV))


@case
def k2():
    return k_refused("k2", "plan", "load", write("k2.yaml", plan_yaml()))


@case
def k3():
    return k_refused("k3", "export", "observations")


@case
def k4():
    return k_refused("k4", "report", "monitoring", "--region", "140100", "--period", "2023",
                     "-o", ROOT / "k4.docx")


@case
def k5():
    d = ROOT / "k5_out"
    shutil.rmtree(d, ignore_errors=True)
    ok, why = k_refused("k5", "index", "inputs", "--out", d)
    return ok and not d.exists(), why + f" dir made={d.exists()}"


@case
def k6():
    return k_refused("k6", "evaluate", "--region", "140100", "--year", "2023")


@case
def k7():
    return k_refused("k7", "import", write("k7.csv", GOOD_CSV), env=True, pass_db=False)


@case
def k8():
    p, url = missing_db("k8")
    rc, o, _ = run_cli("init", db=url)
    return rc == 0 and p.exists(), f"rc={rc} made={p.exists()} {o[-200:]}"


@case
def k9():
    home = ROOT / "k9_home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    rc, o, _ = run_cli("import", write("k9.csv", GOOD_CSV), env={"LANTU_HOME": str(home)})
    made = any(home.rglob("*.db"))
    return not tb(o) and made, f"rc={rc} made={made} {o[-200:]}"


@case
def k10():
    rc, o, _ = run_cli("import", write("k10.csv", GOOD_CSV), db="notaurl", cwd=ROOT)
    ok, why = refused(rc, o, "notaurl", codes=(2, 3))
    return ok and not (ROOT / "notaurl").exists(), why


@case
def k11():
    rc, o, _ = run_cli("import", write("k11.csv", GOOD_CSV), db="sqlite:///")
    return refused(rc, o, "--db", codes=(1, 2, 3))


@case
def k12():
    d = ROOT / "k12_dir"
    d.mkdir(exist_ok=True)
    rc, o, _ = run_cli("import", write("k12.csv", GOOD_CSV), db=f"sqlite:///{d}")
    return refused(rc, o, "k12_dir", codes=(3,))


@case
def k13():
    rc, o, _ = run_cli("import", write("k13.csv", GOOD_CSV), db="mysql://u@localhost/x")
    return refused(rc, o, "mysql", codes=(2, 3))


@case
def k14():
    url = PG_SERVER.rsplit("/", 1)[0] + "/probe22_nosuch"
    rc, o, _ = run_cli("import", write("k14.csv", GOOD_CSV), db=url)
    ok, why = refused(rc, o, "probe22_nosuch", codes=(3,))
    try:
        import psycopg
        with psycopg.connect(PG_SERVER.replace("postgresql+psycopg://", "postgresql://")) as c:
            made = c.execute("select 1 from pg_database where datname='probe22_nosuch'").fetchone()
    except Exception:  # noqa: BLE001
        made = None
    return ok and not made, why + f" made={bool(made)}"


@case
def k15():
    p, url = missing_db("k15")
    rc, o, _ = run_cli("import", write("k15.csv", GOOD_CSV), db=url + "?mode=ro")
    ok, why = refused(rc, o, p.name, codes=(3,))
    return ok and not p.exists(), why + f" made={p.exists()}"


# -- O. outputs ---------------------------------------------------------------------------------
@case
def o1():
    url = fresh_db("o1")
    csv = L_HEADER + '140100,2022,gdp,5571.17,亿元,,,"=HYPERLINK(""http://evil.example"",""x"")"\n'
    rc, o, _ = run_cli("import", write("o1.csv", csv), db=url)
    if rc:
        return False, f"import rc={rc} {o[-300:]}"
    x = ROOT / "o1.xlsx"
    rc, o, _ = run_cli("export", "observations", "-o", x, db=url)
    bad = [c.coordinate for c in cells(x) if c.data_type == "f"] if rc == 0 else ["no file"]
    lo = soffice_csv(x)
    seen = lo is None or "HYPERLINK" in lo
    return not bad and seen, f"formula cells={bad} soffice text={seen}"


@case
def o2():
    url = fresh_db("o2")
    csv = L_HEADER + '140100,2022,gdp,5571.17,亿元,,,"=HYPERLINK(""http://evil.example"",""x"")"\n'
    run_cli("import", write("o2.csv", csv), db=url)
    run_cli("plan", "load", write("o2.yaml", plan_yaml(indicators=["gdp"])), db=url)
    r = ROOT / "o2.docx"
    rc, o, _ = run_cli("report", "monitoring", "--region", "140100", "--period", "2022", "-o", r,
                       db=url)
    if rc:
        return False, f"rc={rc} {o[-300:]}"
    import docx
    docx.Document(r)
    return soffice_pdf(r), "opened, converted"


@case
def o3():
    rc, o, url = load("o3", plan_yaml(title="=1+1"))
    if rc:
        return False, f"rc={rc} {o[-300:]}"
    x, c = ROOT / "o3.xlsx", ROOT / "o3.csv"
    r1, o1_, _ = run_cli("export", "plan", "-o", x, db=url)
    r2, o2_, _ = run_cli("export", "plan", "-o", c, db=url)
    if r1 or r2:
        return False, f"rc={r1},{r2} {o1_[-200:]} {o2_[-200:]}"
    bad = [c_.coordinate for c_ in cells(x) if c_.data_type == "f"]
    esc = "'=1+1" in c.read_text("utf-8")
    return not bad and esc, f"formula cells={bad} csv escaped={esc}"


@case
def o4():
    rc, o, url = load("o4", plan_yaml(note="\u200f=1+1"))
    if rc:
        return refused(rc, o, "note")
    c = ROOT / "o4.csv"
    run_cli("export", "plan", "-o", c, db=url)
    notes = q(url, "select note from plan_node where code='T1'")
    return True, f"loaded; note stored {notes!r} (the plan export has no note column)"


@case
def o5():
    rc, o, url = load("o5", plan_yaml())
    x = ROOT / "o5.xlsx"
    rc2, o2_, _ = run_cli("export", "tasks", "-o", x, db=url)
    if rc or rc2:
        return False, f"rc={rc},{rc2}"
    cells(x)
    return SOFFICE_READS_XLSX is False or soffice_pdf(x), "opened (openpyxl)"


@case
def o6():
    rc, o, url = load("o6", plan_yaml(title='=HYPERLINK("http://evil.example","点我")'))
    r = ROOT / "o6.docx"
    rc2, o2_, _ = run_cli("report", "bulletin", "--month", "2026-11", "-o", r, db=url)
    if rc or rc2:
        return False, f"rc={rc},{rc2} {o[-200:]} {o2_[-300:]}"
    import docx
    docx.Document(r)
    return soffice_pdf(r), "opened"


# -- N. neighbours of the fixes (written before they ran) -----------------------------------------
@case
def n1():
    b = write("n1.md", B)
    link = ROOT / "n1_hard.json"
    link.unlink(missing_ok=True)
    os.link(b, link)
    rc, out, _ = parse(b, "-o", link)
    ok, why = refused(rc, out, "input", codes=(2,))
    return ok and b.read_text() == B, why


@case
def n2():
    rc, out, _ = parse(write("n2.txt", B), "-o", "/dev/stdout")
    return rc == 0 and "加快建设物流枢纽" in out and Path("/dev/stdout").exists(), f"rc={rc} {out[-200:]}"


@case
def n3():
    import stat
    rc, out, _ = parse(write("n3.txt", B), "-f", "xlsx", "-o", "/dev/null")
    return rc == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode), f"rc={rc} {out[-200:]}"


@case
def n4():
    html = "<html><body><p>一、总体目标</p><p>" + "推进" * 600_000 + "</p></body></html>"
    rc, out, secs = parse(write("n4.html", html), timeout=60)
    ok, why = refused(rc, out, "n4.html", "1,000,000", codes=(2,))
    return ok, why + f" {secs:.0f}s"


@case
def n5():
    d = ROOT / "n5"
    i, m, s = index_files("n5")
    raw = i.with_name("Raw.csv")
    i.rename(raw)
    before = raw.read_bytes()
    rc, o, _ = run_cli("index", "analyse", "--idata", raw, "--imeta", m, "--spec", s, "--out", d)
    ok, why = refused(rc, o, "Raw.csv", codes=(2,))
    return ok and raw.read_bytes() == before, why


@case
def n6():
    d = ROOT / "n6"
    i, m, s = index_files("n6")
    before = s.read_bytes()
    rc, o, _ = run_cli("index", "build", "--idata", i, "--imeta", m, "--spec", s, "--out", d)
    ok, why = refused(rc, o, "spec.yaml", codes=(2,))
    return ok and s.read_bytes() == before, why


@case
def n7():
    return k_refused("n7", "group", "list")


@case
def n8():
    return k_refused("n8", "user", "add", "x", "--role", "admin")


@case
def n9():
    rc, o, _ = run_cli("check-stored", db="sqlite://")
    return refused(rc, o, "in-memory", codes=(2,))


@case
def n10():
    work = ROOT / "n10"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    rc, o, _ = run_cli("import", write("n10.csv", GOOD_CSV), db="sqlite:///typo.db", cwd=work)
    ok, why = refused(rc, o, "typo.db", codes=(3,))
    return ok and not (work / "typo.db").exists(), why


@case
def n11():
    url = fresh_db("n11")
    rc, o, _ = run_cli("plan", "load", write("n11.docx", docx_of(B)), db=url)
    ok, why = refused(rc, o, "n11.docx", "Office", "YAML", codes=(2,))
    return ok, why


@case
def n12():
    import openpyxl
    i, m, s = index_files("n12")
    wb = openpyxl.Workbook()
    x = ROOT / "n12" / "spec.xlsx"
    wb.save(x)
    rc, o, _ = run_cli("index", "build", "--idata", i, "--imeta", m, "--spec", x, "--out",
                       ROOT / "n12" / "out")
    return refused(rc, o, "spec.xlsx", "Office", codes=(2,))


@case
def n13():
    imeta = meta_with(x1_weight="")
    return build_refused("n13", "'x1'", "weight", imeta=imeta)


@case
def n14():
    imeta = ("Level,iCode,iName,Direction,Parent,Type\n1,x1,X one,1,Index,Indicator\n"
             "1,x2,X two,1,Index,Indicator\n2,Index,The index,1,,Aggregate\n")
    rc, o, out = build("n14", imeta=imeta)
    if rc:
        return False, f"rc={rc} {o[-300:]}"
    return results_finite(out)


@case
def n15():
    rc, o, out = build("n15", idata="uName,uCode,x1,x2\nUnit A,A,1,10\nUnit B,B,2,30\n")
    if rc:
        return False, f"rc={rc} {o[-300:]}"
    return results_finite(out)


@case
def n16():
    return build_refused("n16", "'x1'", "direction", imeta=meta_with(x1_dir="2"))


@case
def n17():
    p = write("n17.txt", docx_of(B))
    rc, o, _ = run_cli("extract", p, "--region", "140100", "--year", "2024")
    return refused(rc, o, "n17.txt", codes=(2,))


def main(argv: list[str]) -> int:
    ROOT.mkdir(parents=True, exist_ok=True)
    (ROOT / "home").mkdir(exist_ok=True)
    ids = [a.upper() for a in argv] or list(CASES)
    right = 0
    for cid in ids:
        t = time.monotonic()
        try:
            ok, why = CASES[cid]()
        except Exception as exc:  # noqa: BLE001 - a runner error is a miss, reported
            ok, why = False, f"RUNNER ERROR {type(exc).__name__}: {exc}"
        right += ok
        why = " ".join(why.split())[:400]
        print(f"{cid:5} {'right' if ok else 'MISS '} {time.monotonic() - t:5.1f}s  {why}", flush=True)
    print(f"{right} of {len(ids)} right")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
