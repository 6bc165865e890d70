"""Run the twelfth round's web and API cases (benchmarks/probe19_cases.md) over HTTP.

Against a served app (``lantu demo --port N``, SQLite or ``--db postgresql+psycopg://…``):
``python benchmarks/probe19_run.py http://127.0.0.1:8191 [IDS…]``. Each case prints ``RIGHT`` or
``WRONG`` with what was answered (``N/A`` when the probe itself failed). It is a probe, not a
test: it writes to the database it is pointed at."""

from __future__ import annotations

import io
import re
import socket
import sys
import time
import uuid
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from urllib.parse import unquote, urlsplit

import httpx

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8191"
ONLY = {a.upper() for a in sys.argv[2:] if re.fullmatch(r"[A-Za-z]\d+", a)}
CASES: dict[str, Callable[[], tuple[bool | None, str]]] = {}
SRC = "https://tjj.taiyuan.gov.cn/p19"
RUN = uuid.uuid4().hex[:6]
HOST, PORT = urlsplit(BASE).hostname or "", urlsplit(BASE).port or 80
STRONG = "copper-meadow-signal-4410"
L = "region_code,period,indicator,value,unit,flags,source_url,excerpt"
BIG = 60 * 1024 * 1024
CR, RLO, EN = "\r", "\u202e", 'lang="en'


def case(fn):
    CASES[fn.__name__.upper()] = fn
    return fn


def password(user: str) -> str:
    return f"{user}-demo-2026"


def csrf_of(text: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', text)
    return m.group(1) if m else ""


class Who:
    """A signed-in browser (cookie + the session's CSRF token) and, on demand, an API token."""

    def __init__(self, user: str, pw: str | None = None):
        self.user, self.pw = user, pw or password(user)
        self.c = httpx.Client(base_url=BASE, timeout=180, follow_redirects=False)
        r = self.c.get("/login")
        self.login_answer = self.c.post("/login", data={"username": user, "password": self.pw,
                                                        "csrf_token": csrf_of(r.text), "next": "/"})
        assert self.login_answer.status_code in (302, 303), (user, self.login_answer.status_code)
        self._token: str | None = None
        self._csrf: str | None = None

    def csrf(self) -> str:
        if self._csrf is None:
            self._csrf = csrf_of(self.c.get("/account").text)
        return self._csrf

    def form(self, path: str, data: dict, **kw) -> httpx.Response:
        return self.c.post(path, data={**data, "csrf_token": self.csrf()}, **kw)

    def new_token(self) -> str:
        r = self.form("/account/tokens", {"name": f"p19-{uuid.uuid4().hex[:6]}", "password": self.pw})
        return re.search(r"\b(lt_[A-Za-z0-9_\-]{20,})", r.text).group(1)

    def token(self) -> str:
        if self._token is None:
            self._token = self.new_token()
        return self._token

    def api(self, method: str, path: str, **kw) -> httpx.Response:
        h = {"Authorization": f"Bearer {self.token()}", **kw.pop("headers", {})}
        return httpx.request(method, BASE + path, headers=h, timeout=180, **kw)

    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.c.cookies.items())

    def multipart(self, path: str, parts: list, *, csrf: bool = True, headers: dict | None = None,
                  boundary: str = "p19boundary", close: bool = True) -> httpx.Response:
        if csrf:
            parts = [("csrf_token", None, None, self.csrf().encode())] + list(parts)
        body = mp_body(parts, boundary, close=close)
        h = {"Content-Type": f"multipart/form-data; boundary={boundary}", **(headers or {})}
        return self.c.post(path, content=body, headers=h)


_WHO: dict[str, Who] = {}


def who(user: str) -> Who:
    if user not in _WHO:
        _WHO[user] = Who(user)
    return _WHO[user]


def mp_body(parts: list, boundary: str, close: bool = True) -> bytes:
    """A multipart body by hand: (name, filename or None, content type or None, bytes); a
    filename given as bytes goes into the header as is (CR, LF, NUL and all)."""
    out = b""
    for name, filename, ctype, data in parts:
        out += f"--{boundary}\r\n".encode()
        disp = f'Content-Disposition: form-data; name="{name}"'.encode()
        if filename is not None:
            fn = filename if isinstance(filename, bytes) else filename.encode("utf-8")
            disp += b'; filename="' + fn + b'"'
        out += disp + b"\r\n"
        if ctype:
            out += f"Content-Type: {ctype}\r\n".encode()
        out += b"\r\n" + data + b"\r\n"
    if close:
        out += f"--{boundary}--\r\n".encode()
    return out


def fresh_user(role: str, dept: str = "") -> Who:
    name = f"p19{role[:3]}{uuid.uuid4().hex[:6]}"
    r = who("admin").form("/admin/users", {"username": name, "password": STRONG, "role": role,
                                            "department": dept, "display_name": "探针"})
    assert r.status_code in (302, 303), (r.status_code, r.text[:300])
    return Who(name, STRONG)


def status(r: httpx.Response, *ok: int) -> tuple[bool, str]:
    return r.status_code in ok, f"{r.status_code} {r.text[:160]!r}"


def raw(request: bytes, timeout: float = 60) -> bytes:
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    s.sendall(request)
    out = b""
    try:
        while chunk := s.recv(65536):
            out += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    s.close()
    return out


# -- the world: tasks, departments ----------------------------------------------------------------
def find_world() -> tuple[int, str]:
    a = who("analyst")
    tasks = []
    for i in range(1, 260):
        r = a.api("GET", f"/api/v1/tasks/{i}")
        if r.status_code == 200:
            tasks.append(r.json())
    depts = sorted({t["lead_department"] for t in tasks if t.get("lead_department")})
    for t in tasks:
        if t.get("lead_department") == "fgw" and t.get("kind") == "task" and t.get("due") \
                and t.get("status") in ("not_started", "in_progress") and t.get("milestones"):
            involved = {t["lead_department"], *t["supporting_departments"]}
            for d in depts:
                if d not in involved:
                    try:
                        Who(f"rep_{d}")
                        return t["id"], d
                    except AssertionError:
                        continue
    raise SystemExit("no open fgw task with an uninvolved department")


T, XDEPT = find_world()
REPX = f"rep_{XDEPT}"
MONTH = date.today().strftime("%Y-%m")
PREV = (date.today().replace(day=1).toordinal() - 1)
PREV_MONTH = date.fromordinal(PREV).strftime("%Y-%m")
OLDER_MONTH = date.fromordinal(date.fromordinal(PREV).replace(day=1).toordinal() - 1).strftime("%Y-%m")
_year = iter(range(1950, 2001))  # years the gate admits (1949-2100) without data in the demo (2001-2024 hold figures of a better source)


def good_csv(year: int, value: float, excerpt: str = "probe19", region: str = "140100") -> bytes:
    return f"{L}\n{region},{year},gdp,{value},亿元,,{SRC},{excerpt}\n".encode()


def preview(u: Who, data: bytes, name: str = "t.csv", ctype: str = "text/csv",
            extra: list | None = None, **kw) -> httpx.Response:
    return u.multipart("/import", [("file", name, ctype, data), *(extra or [])], **kw)


def token_of(r: httpx.Response) -> str:
    m = re.search(r'name="token" value="([^"]+)"', r.text)
    return m.group(1) if m else ""


def confirm(u: Who, tok: str, **kw) -> httpx.Response:
    return u.form("/import/confirm", {"token": tok}, **kw)


def gdp(year: int) -> float | None:
    r = who("analyst").api("GET", f"/api/v1/observations?region=140100&indicator=gdp&period={year}")
    d = r.json().get("data", [])
    return d[0]["value"] if d else None


def refused_no_token(r: httpx.Response, *codes: int) -> tuple[bool, str]:
    tok = token_of(r)
    return r.status_code in codes and not tok, f"{r.status_code} token={bool(tok)} {r.text[-0:][:0]}"


def xlsx_bytes() -> bytes:
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", "<workbook/>")
    return b.getvalue()


def docx_bytes(macro: bool = False) -> bytes:
    b = io.BytesIO()
    main = ("application/vnd.ms-word.document.macroEnabled.main+xml" if macro else
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
    with zipfile.ZipFile(b, "w") as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>地区生产总值5571.17亿元</w:t></w:r></w:p></w:body></w:document>')
        if macro:
            z.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 500)
    return b.getvalue()


PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


# -- U: the web import upload -------------------------------------------------------------------
A = lambda: who("analyst")  # noqa: E731


@case
def u1(): return refused_no_token(preview(A(), xlsx_bytes()), 422)
@case
def u2(): return refused_no_token(preview(A(), docx_bytes(), "t.xlsx"), 422)
@case
def u3(): return refused_no_token(preview(A(), PDF, "t.xlsx"), 422)
@case
def u4():
    return refused_no_token(preview(A(), b"<html><body><table><tr><td>region_code</td></tr></table></body></html>"), 422)
@case
def u5(): return refused_no_token(preview(A(), good_csv(next(_year), 1.5, "a\x00b")), 422)
@case
def u6(): return refused_no_token(preview(A(), good_csv(next(_year), "1e309")), 422)  # type: ignore[arg-type]
@case
def u7(): return refused_no_token(preview(A(), good_csv(next(_year), 1.5, region="99999999999999999999")), 422)
@case
def u8():
    r = preview(A(), good_csv(next(_year), 1.5).decode().encode("utf-16"))
    return r.status_code in (200, 422), f"{r.status_code} token={bool(token_of(r))}"
@case
def u9(): return status(preview(A(), good_csv(next(_year), 1.5), "t.exe"), 415)
@case
def u10():
    r = preview(A(), good_csv(next(_year), 1.5), "T.CSV")
    return r.status_code == 200 and bool(token_of(r)), f"{r.status_code} token={bool(token_of(r))}"
@case
def u11():
    r = preview(A(), good_csv(next(_year), 1.5), "..\\..\\..\\evil.csv")
    shown = re.search(r'name="file" value="([^"]*)"', r.text)
    s = shown.group(1) if shown else ""
    return r.status_code == 200 and s == "evil.csv", f"{r.status_code} shown={s!r}"
@case
def u12():
    r = preview(A(), good_csv(next(_year), 1.5), b"a\r\nX-Injected: 1.csv")
    return r.status_code < 500 and "x-injected" not in r.headers and "\r" not in r.text, \
        f"{r.status_code} injected={'x-injected' in r.headers} CR={CR in r.text}"
@case
def u13():
    r = preview(A(), good_csv(next(_year), 1.5), "evil\u202evsc.csv")
    return (400 <= r.status_code < 500) or (r.status_code == 200 and "\u202e" not in r.text), \
        f"{r.status_code} U+202E in page: {RLO in r.text}"
@case
def u14():
    y = next(_year)
    r = preview(A(), good_csv(y, 1234.5), "a" * 996 + ".csv")
    if 400 <= r.status_code < 500:
        return True, f"preview {r.status_code}"
    tok = token_of(r)
    r2 = confirm(A(), tok) if tok else r
    return r.status_code == 200 and r2.status_code == 200, f"preview {r.status_code} confirm {r2.status_code} {r2.text[:100]!r}"
@case
def u15(): return status(preview(A(), good_csv(next(_year), 1.5), b"a\x00.csv"), 400)
@case
def u16():
    r = preview(A(), good_csv(next(_year), 1.5), "t.csv", "application/x-msdownload")
    return r.status_code == 200 and bool(token_of(r)), f"{r.status_code}"
@case
def u17():
    u = A()
    r = u.c.post("/import", content=mp_body([("csrf_token", None, None, u.csrf().encode()),
                                             ("file", "t.csv", "text/csv", good_csv(2001, 1))], "bb"),
                 headers={"Content-Type": "multipart/form-data"})
    return status(r, 400)
@case
def u18(): return status(preview(A(), good_csv(next(_year), 1.5), close=False), 400)
@case
def u19():
    u = A()
    body = (f"--bb\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{u.csrf()}\r\n"
            f"--bb\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.csv\"; x=\"{'x' * 100_000}\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode() + good_csv(2001, 1) + b"\r\n--bb--\r\n"
    t0 = time.perf_counter()
    r = u.c.post("/import", content=body, headers={"Content-Type": "multipart/form-data; boundary=bb"})
    dt = time.perf_counter() - t0
    return r.status_code in (400, 413, 431) and dt < 5, f"{r.status_code} {dt:.2f}s"
@case
def u20():
    extra = [(f"f{i}", None, None, b"1") for i in range(1000)]
    r = preview(A(), good_csv(next(_year), 1.5), extra=extra)
    return r.status_code in (400, 413), f"{r.status_code} {r.text[:120]!r}"
@case
def u21():
    extra = [("file", f"t{i}.csv", "text/csv", good_csv(2001, 1)) for i in range(5)]
    r = preview(A(), good_csv(next(_year), 1.5), extra=extra)
    return r.status_code in (400, 413), f"{r.status_code} {r.text[:120]!r}"
@case
def u22():
    r = preview(A(), good_csv(next(_year), 1.5), "a.csv", extra=[("file", "b.exe", "text/csv", good_csv(2001, 1))])
    names = set(re.findall(r'name="file" value="([^"]*)"', r.text))
    ok = (400 <= r.status_code < 500) or (r.status_code == 200 and len(names) == 1)
    return ok, f"{r.status_code} names={names}"
@case
def u23():
    r = A().multipart("/import", [("file", None, None, good_csv(2001, 1))])
    return status(r, 422)
@case
def u24():
    u = A()
    r = u.c.post("/import", data={"file": "t.csv", "csrf_token": u.csrf()})
    return status(r, 422)
def chunked(path: str, u: Who, field: str, name: str, extra: list) -> tuple[bool, str]:
    head = mp_body([("csrf_token", None, None, u.csrf().encode()), *extra], "cc", close=False)
    head += f'--cc\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\nContent-Type: text/plain\r\n\r\n'.encode()

    def gen():
        yield head
        block = (b"x" * 1023 + b"\n") * 1024
        for _ in range(BIG // len(block)):
            yield block
        yield b"\r\n--cc--\r\n"
    try:
        r = u.c.post(path, content=gen(), headers={"Content-Type": "multipart/form-data; boundary=cc"})
    except httpx.HTTPError as exc:
        return False, f"connection: {type(exc).__name__}"
    return r.status_code == 413, f"{r.status_code} {r.text[:100]!r}"
@case
def u25(): return chunked("/import", A(), "file", "big.csv", [])


# -- K: preview and confirm -----------------------------------------------------------------------
_B: list[Who] = []


def B() -> Who:
    if not _B:
        _B.append(fresh_user("analyst"))
    return _B[0]


def fresh_preview(u: Who | None = None, value: float = 1.5, year: int | None = None) -> tuple[str, int]:
    y = year or next(_year)
    r = preview(u or A(), good_csv(y, value))
    assert r.status_code == 200 and token_of(r), (r.status_code, r.text[:300])
    return token_of(r), y
@case
def k1():
    tok, y = fresh_preview(value=101.1)
    r1 = confirm(B(), tok)
    r2 = confirm(A(), tok)
    return r1.status_code == 404 and r2.status_code == 200 and gdp(y) == 101.1, \
        f"B {r1.status_code}, A {r2.status_code}, stored {gdp(y)}"
@case
def k2():
    tok, _ = fresh_preview(value=102.2)
    r1, r2 = confirm(A(), tok), confirm(A(), tok)
    return r1.status_code == 200 and r2.status_code == 404, f"{r1.status_code} then {r2.status_code}"
@case
def k3():
    tok, _ = fresh_preview(value=103.3)
    u = A()
    u.csrf()
    with ThreadPoolExecutor(8) as ex:
        codes = sorted(ex.map(lambda _: confirm(u, tok).status_code, range(8)))
    return codes.count(200) == 1 and codes.count(404) == 7, str(codes)
@case
def k4():
    tok, _ = fresh_preview()
    uid, hexpart = re.match(r"u(\d+)-([0-9a-f]{32})", tok).groups()
    codes = [confirm(A(), t).status_code for t in (f"r-u{uid}-{hexpart}", f"u{uid}-{hexpart}.json")]
    return codes == [404, 404], str(codes)
@case
def k5():
    tok, _ = fresh_preview()
    codes = [confirm(A(), t).status_code for t in ("../lantu.db", f"{tok}/../../lantu.db", f"c-{tok}")]
    return all(c in (404, 422) for c in codes), str(codes)
@case
def k6():
    tok, _ = fresh_preview()
    up = re.sub(r"[0-9a-f]{32}", lambda m: m.group(0).upper(), tok)
    return status(confirm(A(), up), 404)
@case
def k7():
    tok, _ = fresh_preview(value=107.7)
    r1 = A().c.post("/import/confirm", data={"token": tok})
    r2 = confirm(A(), tok)
    return r1.status_code == 403 and r2.status_code == 200, f"no csrf {r1.status_code}, then {r2.status_code}"
@case
def k8():
    tok, _ = fresh_preview()
    r = A().c.post("/import/confirm", data={"token": tok, "csrf_token": B().csrf()})
    return status(r, 403)
@case
def k9():
    y = next(_year)
    tok, _ = fresh_preview(value=1111, year=y)
    adm = who("admin")
    r = preview(adm, good_csv(y, 2222))
    ra = confirm(adm, token_of(r))
    rc = confirm(A(), tok)
    ok = rc.status_code == 409 or (rc.status_code == 200 and "2222" in rc.text)
    return ok, f"admin {ra.status_code} ({gdp(y)} after); A's confirm {rc.status_code}, names 2222: {'2222' in rc.text}; now {gdp(y)}"
@case
def k10():
    tok, y = fresh_preview(value=110.1)
    u = A()
    r = u.c.post("/import/confirm?lang=en", data={"token": tok, "csrf_token": u.csrf()})
    return r.status_code == 200 and 'lang="en' in r.text and gdp(y) == 110.1, \
        f"{r.status_code} en={EN in r.text} stored={gdp(y)}"
@case
def k11():
    tok, y = fresh_preview(value=111.1)
    v = fresh_user("viewer")
    r1 = confirm(v, tok)
    r2 = confirm(A(), tok)
    return r1.status_code == 403 and r2.status_code == 200, f"viewer {r1.status_code}, A {r2.status_code}"
@case
def k12():
    u = who("rep_fgw")
    r1 = u.c.get("/import")
    r2 = preview(u, good_csv(2001, 1))
    return r1.status_code == 403 and r2.status_code == 403, f"{r1.status_code} {r2.status_code}"
@case
def k13():
    u = fresh_user("analyst")
    tok, y = fresh_preview(u, value=113.3)
    before = gdp(y)
    who("admin").form(f"/admin/users/{u.user}/update", {"role": "viewer", "department": ""})
    r = confirm(u, tok)
    return r.status_code in (401, 403, 303) and gdp(y) == before, f"{r.status_code} stored {gdp(y)} (before {before})"
@case
def k14():
    tok, _ = fresh_preview()
    a, b = A().c.get(f"/review/{tok}"), A().form(f"/review/{tok}/import", {})
    return a.status_code == 404 and b.status_code == 404, f"{a.status_code} {b.status_code}"


# -- E: evidence ---------------------------------------------------------------------------------
R = lambda: who("rep_fgw")  # noqa: E731


def form_version(u: Who, month: str) -> str:
    page = u.c.get(f"/supervision/tasks/{T}?month={month}").text
    m = re.search(r'name="version" value="(\d+)"', page)
    return m.group(1) if m else "0"


def report(u: Who, files: list, month: str = MONTH, action: str = "save", task: int | None = None,
           **fields) -> httpx.Response:
    if "version" not in fields:  # the form's version (a save without it is answered 428)
        fields["version"] = form_version(u, month)
    parts = [("month", None, None, month.encode()), ("text", None, None, "探针进展".encode()),
             ("percent", None, None, b"10"), ("action", None, None, action.encode()),
             *[(k, None, None, str(v).encode()) for k, v in fields.items()], *files]
    return u.multipart(f"/supervision/tasks/{task or T}/report", parts)


def evidence_ids(u: Who, month: str = MONTH) -> list[int]:
    page = u.c.get(f"/supervision/tasks/{T}?month={month}").text
    return sorted({int(i) for i in re.findall(r"/supervision/evidence/(\d+)", page)})


def ev(name, ctype, data): return ("evidence", name, ctype, data)
@case
def e1(): return status(report(R(), [ev("x.svg", "image/svg+xml", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')]), 415)
@case
def e2(): return status(report(R(), [ev("x.html", "text/html", b"<html><script>alert(1)</script></html>")]), 415)
@case
def e3(): return status(report(R(), [ev("x.pdf", "application/pdf", b"<html><script>alert(1)</script></html>")]), 415)
@case
def e4(): return status(report(R(), [ev("x.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx_bytes(True))]), 415)
@case
def e5():
    before = set(evidence_ids(R()))
    r = report(R(), [ev("证" * 300 + ".txt", "text/plain", "进展说明".encode())])
    new = sorted(set(evidence_ids(R())) - before)
    if r.status_code != 303 or not new:
        return False, f"{r.status_code} new={new} {r.text[:120]!r}"
    d = R().c.get(f"/supervision/evidence/{new[-1]}")
    cd = d.headers.get("content-disposition", "")
    m = re.search(r"filename\*=UTF-8''(\S+)", cd)
    name = unquote(m.group(1)) if m else ""
    return d.status_code == 200 and len(name) <= 255 and name.endswith(".txt"), f"{r.status_code} dl {d.status_code} name len {len(name)} {name[-8:]!r}"
@case
def e6(): return status(report(R(), [ev(b"a\x00.txt", "text/plain", b"x")]), 400)
@case
def e7():
    before = set(evidence_ids(R()))
    r = report(R(), [ev("report\u202efdp.txt", "text/plain", "说明".encode())])
    new = sorted(set(evidence_ids(R())) - before)
    if not new:
        return 400 <= r.status_code < 500, f"{r.status_code} nothing saved"
    d = R().c.get(f"/supervision/evidence/{new[-1]}")
    cd = d.headers.get("content-disposition", "")
    return "%E2%80%AE" not in cd.upper(), f"{r.status_code} cd={cd[:120]!r}"
@case
def e8():
    codes = [report(R(), [ev(n, "text/plain", "说明".encode())]).status_code for n in ("..", ".")]
    return all(c < 500 for c in codes), str(codes)
@case
def e9():
    before = set(evidence_ids(R()))
    r = report(R(), [ev(f"t{i}.txt", "text/plain", b"x") for i in range(6)])
    after = set(evidence_ids(R()))
    return r.status_code in (400, 413) and after == before, f"{r.status_code} new={sorted(after - before)}"
@case
def e10():
    u = R()
    return chunked(f"/supervision/tasks/{T}/report", u, "evidence", "big.txt",
                   [("month", None, None, MONTH.encode()), ("text", None, None, b"x"),
                    ("percent", None, None, b"1"), ("action", None, None, b"save"),
                    ("version", None, None, form_version(u, MONTH).encode())])
@case
def e11():
    before = set(evidence_ids(R()))
    r = report(who(REPX), [ev("x.txt", "text/plain", b"x")])
    after = set(evidence_ids(R()))
    return r.status_code in (403, 404) and after == before, f"{r.status_code} new={sorted(after - before)}"


# -- S: the cycle across departments ------------------------------------------------------------
def report_id(u: Who, month: str) -> int | None:
    page = u.c.get(f"/supervision/tasks/{T}?month={month}").text
    ids = re.findall(r"/supervision/reports/(\d+)/submit", page)
    return int(ids[0]) if ids else None


_R: dict[str, int] = {}


def draft(month: str = MONTH) -> int:
    if month not in _R:
        r = report(R(), [], month=month)
        assert r.status_code == 303, (r.status_code, r.text[:200])
        rid = report_id(R(), month)
        assert rid, "no draft id"
        _R[month] = rid
    return _R[month]


def history_text(u: Who) -> str:
    return u.c.get(f"/supervision/tasks/{T}?month={MONTH}").text
@case
def s1():
    r = report(who(REPX), [])
    return status(r, 403, 404)
@case
def s2():
    rid = draft()
    r = who(REPX).form(f"/supervision/reports/{rid}/submit", {})
    still = report_id(R(), MONTH) == rid  # a submit link is shown only for a draft
    return r.status_code in (403, 404) and still, f"{r.status_code} still draft={still}"
@case
def s3():
    rid = draft()
    s = R().form(f"/supervision/reports/{rid}/submit", {})
    r = R().form(f"/supervision/reports/{rid}/review", {"decision": "approve"})
    q = who("supervisor").c.get("/supervision/queue").text
    return r.status_code == 403 and f"/supervision/reports/{rid}/review" in q, f"submit {s.status_code}; review {r.status_code}; still queued={f'/supervision/reports/{rid}/review' in q}"
@case
def s4():
    page = who("supervisor").c.get(f"/supervision/tasks/{T}").text
    mid = re.findall(rf"/supervision/tasks/{T}/milestones/(\d+)", page)[0]
    r = R().form(f"/supervision/tasks/{T}/milestones/{mid}", {"done_on": date.today().isoformat()})
    return status(r, 403)
@case
def s5(): return status(who(REPX).form(f"/supervision/tasks/{T}/parts", {"title": "x", "unit": "y"}), 403, 404)
@case
def s6(): return status(who(REPX).api("POST", f"/api/v1/tasks/{T}/unit-progress", json={"percent": 50}), 403, 404)
@case
def s7(): return status(who(REPX).api("POST", f"/api/v1/tasks/{T}/acknowledge"), 403, 404)
@case
def s8(): return status(who(REPX).api("POST", f"/api/v1/tasks/{T}/extension-requests", json={"due": "2030-01-01", "reason": "x"}), 403, 404)
@case
def s9(): return status(who(REPX).api("POST", f"/api/v1/tasks/{T}/closure-requests", json={"comment": "x"}), 403, 404)
@case
def s10():
    t = who("analyst").api("GET", f"/api/v1/tasks/{T}").json()
    due = date.fromisoformat(t["due"]).replace(year=date.fromisoformat(t["due"]).year + 1).isoformat()
    r = R().api("POST", f"/api/v1/tasks/{T}/extension-requests", json={"due": due, "reason": "探针"})
    if r.status_code not in (200, 201):
        return None, f"could not ask: {r.status_code} {r.text[:120]}"
    rid = r.json()["id"]
    return status(R().api("POST", f"/api/v1/extension-requests/{rid}/decision", json={"grant": True}), 403)
@case
def s11(): return status(R().api("POST", f"/api/v1/tasks/{T}/reopen", json={"reason": "x"}), 403)
@case
def s12():
    v = who("analyst").api("GET", f"/api/v1/tasks/{T}").json()["version"]
    return status(R().api("PATCH", f"/api/v1/tasks/{T}", json={"version": v, "reason": "x", "title_en": "x"}), 403)
@case
def s13(): return status(who(REPX).api("POST", f"/api/v1/tasks/{T}/reminders", json={"message": "x"}), 403, 404)
@case
def s14():
    a = who(REPX).api("GET", f"/api/v1/tasks/{T}/history")
    b = who(REPX).api("GET", f"/api/v1/tasks/{T}/requests")
    return a.status_code in (403, 404) and b.status_code in (403, 404), f"{a.status_code} {b.status_code}"
@case
def s15():
    codes = [report(R(), [], month=m).status_code for m in ("2024-13", "0000-01", "9999-12")]
    return all(c == 422 for c in codes), str(codes)
@case
def s16():
    codes = []
    for p in ("1e3", "-1", "99999999999999999999"):
        parts = [("month", None, None, PREV_MONTH.encode()), ("text", None, None, b"x"),
                 ("version", None, None, form_version(R(), PREV_MONTH).encode()),
                 ("percent", None, None, p.encode()), ("action", None, None, b"save")]
        codes.append(R().multipart(f"/supervision/tasks/{T}/report", parts).status_code)
    return all(c == 422 for c in codes), str(codes)
@case
def s17():
    codes = [report(R(), [], month=PREV_MONTH, version=v).status_code for v in ("2147483648", "-1")]
    return all(c in (409, 422) for c in codes), str(codes)
@case
def s18(): return status(report(R(), [], task=2147483648), 404, 422)
@case
def s19():
    rid = draft(PREV_MONTH)
    u = R()
    u.csrf()
    with ThreadPoolExecutor(8) as ex:
        codes = sorted(ex.map(lambda _: u.form(f"/supervision/reports/{rid}/submit", {}).status_code, range(8)))
    return codes.count(303) == 1 and all(400 <= c < 500 for c in codes if c != 303), str(codes)
@case
def s20():
    rid = _R.get(MONTH) or draft()
    sup = who("supervisor")
    page = sup.c.get(f"/supervision/tasks/{T}?month={MONTH}").text
    m = re.search(rf'/supervision/reports/{rid}/review".*?name="version" value="(\d+)"', page, re.S)
    if not m:
        return None, "no review form for R"
    sup.csrf()
    with ThreadPoolExecutor(8) as ex:
        codes = sorted(ex.map(lambda _: sup.form(f"/supervision/reports/{rid}/review",
                                                   {"decision": "approve", "version": m.group(1)}).status_code, range(8)))
    return codes.count(303) == 1 and codes.count(409) == 7, str(codes)
@case
def s21():
    a = R().c.get("/supervision/bulletin?month=9999-99")
    b = R().api("GET", "/api/v1/assessment?month=2024-13")
    return 400 <= a.status_code < 500 and 400 <= b.status_code < 500, f"{a.status_code} {b.status_code}"
@case
def s22():
    ids = evidence_ids(R())
    if not ids:
        return None, "no evidence"
    return status(who(REPX).c.get(f"/supervision/evidence/{ids[-1]}"), 404)


# -- N: neighbours of probe17 ---------------------------------------------------------------------
TEXT = "2024年太原市地区生产总值5571.17亿元，比上年增长5.2%。".encode()


def review_upload(u: Who, headers: dict | None = None) -> httpx.Response:
    return u.multipart("/review", [("file", "r.txt", "text/plain", TEXT), ("region", None, None, b"140100"),
                                   ("year", None, None, b"2024"), ("kind", None, None, b"auto")], headers=headers)
@case
def n1():
    r = review_upload(A(), {"Host": "evil.example"})
    loc = r.headers.get("location", "")
    return r.status_code == 303 and loc.startswith("/") and "evil" not in loc, f"{r.status_code} {loc!r}"
@case
def n2():
    tok, _ = fresh_preview()
    r = A().form("/import/confirm", {"token": tok}, headers={"Host": "evil.example"})
    return "evil" not in r.headers.get("location", ""), f"{r.status_code} {r.headers.get('location')!r}"
@case
def n3():
    a = A().c.get("/import")
    ids = evidence_ids(R())
    b = R().c.get(f"/supervision/evidence/{ids[-1]}") if ids else a
    return "no-store" in a.headers.get("cache-control", "") and "no-store" in b.headers.get("cache-control", ""), \
        f"{a.headers.get('cache-control')!r} {b.headers.get('cache-control')!r}"
@case
def n4():
    ids = evidence_ids(R())
    if not ids:
        return None, "no evidence"
    r = R().c.get(f"/supervision/evidence/{ids[-1]}", headers={"Range": "bytes=0-3"})
    ok = r.status_code in (200, 206) and "no-store" in r.headers.get("cache-control", "") \
        and "attachment" in r.headers.get("content-disposition", "")
    return ok, f"{r.status_code} {r.headers.get('cache-control')!r}"
@case
def n5():
    r = review_upload(A())
    tok = r.headers.get("location", "").rsplit("/", 1)[-1]
    body = "&".join(f"k{i}=1" for i in range(100_000)) + f"&action=reject&csrf_token={A().csrf()}"
    r2 = A().c.post(f"/review/{tok}/items/1", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    return r2.status_code in (400, 413) and len(r2.content) < 65536, f"{r2.status_code} {len(r2.content)} bytes"
@case
def n6():
    a = A().c.get("/review/..%2F..%2Flantu.db")
    b = A().c.get("/review/r-u1-%00")
    return 400 <= a.status_code < 500 and 400 <= b.status_code < 500, f"{a.status_code} {b.status_code}"
@case
def n7():
    u = A()
    u.csrf()
    with ThreadPoolExecutor(8) as ex:
        codes = sorted(ex.map(lambda _: preview(u, good_csv(2001, 1.5)).status_code, range(8)))
    return all(c in (200, 429) for c in codes), str(codes)
@case
def n8():
    r = preview(A(), good_csv(next(_year), 1.5), headers={"Origin": "https://evil.example"})
    return r.status_code == 200 and "access-control-allow-origin" not in r.headers, f"{r.status_code}"
@case
def n9():
    r = preview(A(), good_csv(next(_year), 1.5, excerpt="<script>alert(1)</script>"))
    return r.status_code < 500 and "<script>alert" not in r.text, f"{r.status_code} raw={'<script>alert' in r.text}"
@case
def n10():
    r = preview(A(), good_csv(next(_year), 1.5, region="<img src=x onerror=alert(1)>"))
    return r.status_code < 500 and "<img src=x" not in r.text, f"{r.status_code} raw={'<img src=x' in r.text}"


# -- M: neighbours after the fixes ----------------------------------------------------------------
def review_named(u: Who, name, close: bool = True) -> httpx.Response:
    return u.multipart("/review", [("file", name, "text/plain", TEXT), ("region", None, None, b"140100"),
                                   ("year", None, None, b"2024"), ("kind", None, None, b"auto")], close=close)
@case
def m1():
    r = review_named(A(), "C:\\fakepath\\r.txt")
    if r.status_code != 303:
        return False, f"{r.status_code} {r.text[:100]!r}"
    page = A().c.get(r.headers["location"]).text
    return "fakepath" not in page and "r.txt" in page, f"303; fakepath in page: {'fakepath' in page}"
@case
def m2():
    r = review_named(A(), "r\u202etxt.md")
    return r.status_code == 415 and "location" not in r.headers, f"{r.status_code}"
@case
def m3():
    u = who("admin")
    r = u.multipart("/blueprint/new", [("file", "规" * 996 + ".txt", "text/plain",
                                        "太原市发展规划\n一、总体要求\n（一）推动高质量发展。\n".encode())])
    return r.status_code < 500, f"{r.status_code}"
@case
def m4():
    before = set(evidence_ids(R(), OLDER_MONTH))
    r = report(R(), [ev("n" * 300 + ".txt", "text/plain", "说明".encode())], month=OLDER_MONTH)
    new = sorted(set(evidence_ids(R(), OLDER_MONTH)) - before)
    if r.status_code != 303 or not new:
        return False, f"{r.status_code} new={new} {r.text[:100]!r}"
    cd = R().c.get(f"/supervision/evidence/{new[-1]}").headers.get("content-disposition", "")
    m = re.search(r"filename\*=UTF-8''(\S+)", cd)
    name = unquote(m.group(1)) if m else ""
    return len(name) <= 204 and name.endswith(".txt"), f"{r.status_code} name len {len(name)}"
@case
def m5():
    r = preview(A(), good_csv(next(_year), 1.5), "C:\\fakepath\\t.csv")
    shown = re.search(r'name="file" value="([^"]*)"', r.text)
    return r.status_code == 200 and shown is not None and shown.group(1) == "t.csv", \
        f"{r.status_code} shown={shown.group(1) if shown else None!r}"
@case
def m6():
    before = set(evidence_ids(R()))
    files = [ev(f"t{i}.txt", "text/plain", b"x") for i in range(5)] + [("other", "o.txt", "text/plain", b"x")]
    r = report(R(), files)
    return r.status_code == 413 and set(evidence_ids(R())) == before, f"{r.status_code}"
@case
def m7():
    extra = [(f"f{i}", None, None, b"1") for i in range(150)]
    r = preview(A(), good_csv(next(_year), 1.5), extra=extra)
    return r.status_code == 200 and bool(token_of(r)), f"{r.status_code}"
@case
def m8():
    u = A()
    page_before = u.c.get("/account").text.count("/revoke")
    body = "&".join(f"k{i}=1" for i in range(300)) + f"&name=p19m8&password={u.pw}&csrf_token={u.csrf()}"
    r = u.c.post("/account/tokens", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    after = u.c.get("/account").text.count("/revoke")
    return r.status_code == 400 and after == page_before, f"{r.status_code} tokens {page_before}->{after}"
@case
def m9():
    r = review_named(A(), "r.txt", close=False)
    return r.status_code == 400 and "location" not in r.headers, f"{r.status_code}"
@case
def m10():
    u = A()
    b = mp_body([("csrf_token", None, None, u.csrf().encode()),
                 ("file", "t.csv", "text/csv", good_csv(next(_year), 1.5))], "ee") + b"junk epilogue\r\n"
    r = u.c.post("/import", content=b, headers={"Content-Type": "multipart/form-data; boundary=ee"})
    return r.status_code == 200 and bool(token_of(r)), f"{r.status_code}"
@case
def m11():
    y = next(_year)
    adm = who("admin")
    confirm(adm, token_of(preview(adm, good_csv(y, 1000))))
    tok, _ = fresh_preview(value=1500, year=y)
    confirm(adm, token_of(preview(adm, good_csv(y, 1500))))
    r = confirm(A(), tok)
    # the preview again: its revision is now no change, so there is nothing to confirm
    again = "试运行" in r.text or "Dry run" in r.text
    return r.status_code == 409 and again and gdp(y) == 1500, f"{r.status_code} preview again={again} stored {gdp(y)}"
@case
def m12():
    tok, y = fresh_preview(value=112.5)
    adm = who("admin")
    other = f"{L}\n140200,{next(_year)},gdp,7.5,亿元,,{SRC},probe19\n".encode()
    ra = confirm(adm, token_of(preview(adm, other)))
    r = confirm(A(), tok)
    return r.status_code == 200 and gdp(y) == 112.5, f"admin {ra.status_code}; A {r.status_code} stored {gdp(y)}"
@case
def m13():
    y = next(_year)
    t1, _ = fresh_preview(value=113.5, year=y)
    t2, _ = fresh_preview(value=113.5, year=y)
    r1, r2 = confirm(A(), t1), confirm(A(), t2)
    return r1.status_code == 200 and r2.status_code == 409, f"{r1.status_code} then {r2.status_code}"


def main() -> None:
    groups: dict[str, list[int]] = {}
    for cid, fn in CASES.items():
        if ONLY and cid not in ONLY:
            continue
        try:
            ok, said = fn()
        except Exception as exc:  # a probe's own failure: say so, count as not run
            ok, said = None, f"PROBE ERROR {type(exc).__name__}: {exc}"[:300]
        mark = {True: "RIGHT", False: "WRONG", None: "N/A"}[ok]
        print(f"{cid:4} {mark:5} {said}", flush=True)
        g = groups.setdefault(cid[0], [0, 0])
        if ok is not None:
            g[0] += 1
            g[1] += bool(ok)
    print("group run right")
    for g, (n, r) in sorted(groups.items()):
        print(f"{g} {n} {r}")
    print("total", sum(n for n, _ in groups.values()), sum(r for _, r in groups.values()))


if __name__ == "__main__":
    main()
