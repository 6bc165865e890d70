"""Run the fourteenth round's web and API cases (benchmarks/probe24_cases.md) over HTTP.

Against a served app (``LANTU_LOG_FILE=LOG lantu demo --port N``, SQLite or
``--db postgresql+psycopg://…``): ``python benchmarks/probe24_run.py URL LOG DBURL [IDS…]``.
Each case prints ``RIGHT`` or ``WRONG`` with what was answered (``N/A`` when the probe itself
failed). It is a probe, not a test: it writes to the database it is pointed at (tasks of its
own, fresh users). DBURL is read only to move one token's expiry into the past (C2). The
helpers are probe21's (each round's runner stands alone)."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import httpx

for _name in ("get", "head", "options", "request", "post"):  # httpx's default of 5 s is no probe's
    setattr(httpx, _name, partial(getattr(httpx, _name), timeout=120))

BASE = sys.argv[1].rstrip("/")
LOG = Path(sys.argv[2])
DBURL = sys.argv[3]
ONLY = {a.upper() for a in sys.argv[4:]}
CASES: dict[str, Callable[[], tuple[bool | None, str]]] = {}
RUN = uuid.uuid4().hex[:6]
HOST, PORT = urlsplit(BASE).hostname or "", urlsplit(BASE).port or 80
STRONG = "copper-meadow-signal-4410"
STRONG2 = "violet-harbour-lantern-8823"
SRC = "https://tjj.taiyuan.gov.cn/p24"
LEAD, SUPP, XDEPT = "fgw", "czj", "xfj"
TODAY = date.today()
MONTH = TODAY.strftime("%Y-%m")
#: every secret the run handles: no line of the security log may hold one (L1)
SECRETS: set[str] = {STRONG, STRONG2}


def case(fn):
    CASES[fn.__name__.upper()] = fn
    return fn


def csrf_of(text: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', text)
    return m.group(1) if m else ""


class Who:
    """A signed-in browser (cookie + the session's CSRF token) and, on demand, an API token."""

    def __init__(self, user: str, pw: str | None = None):
        self.user, self.pw = user, pw or f"{user}-demo-2026"
        SECRETS.add(self.pw)
        self.c = httpx.Client(base_url=BASE, timeout=120, follow_redirects=False)
        r = self.c.get("/login")
        a = self.c.post("/login", data={"username": user, "password": self.pw,
                                        "csrf_token": csrf_of(r.text), "next": "/"})
        assert a.status_code in (302, 303), (user, a.status_code)
        for v in self.c.cookies.values():
            SECRETS.add(v)
        self._token: str | None = None
        self._csrf: str | None = None

    def csrf(self) -> str:
        if self._csrf is None:
            self._csrf = csrf_of(self.c.get("/account").text)
            SECRETS.add(self._csrf)
        return self._csrf

    def form(self, path: str, data: dict, **kw) -> httpx.Response:
        return self.c.post(path, data={**data, "csrf_token": self.csrf()}, **kw)

    def new_token(self) -> str:
        r = self.form("/account/tokens", {"name": f"p24-{uuid.uuid4().hex[:6]}", "password": self.pw})
        tok = re.search(r"\b(lt_[A-Za-z0-9_\-]{20,})", r.text).group(1)
        SECRETS.add(tok)
        return tok

    def token(self) -> str:
        if self._token is None:
            self._token = self.new_token()
        return self._token

    def api(self, method: str, path: str, **kw) -> httpx.Response:
        h = {"Authorization": f"Bearer {self.token()}", **kw.pop("headers", {})}
        return httpx.request(method, BASE + path, headers=h, timeout=120, **kw)


_WHO: dict[str, Who] = {}


def who(user: str) -> Who:
    if user not in _WHO:
        _WHO[user] = Who(user)
    return _WHO[user]


def fresh_user(role: str, dept: str = "") -> Who:
    name = f"p24{role[:3]}{uuid.uuid4().hex[:6]}"
    r = who("admin").form("/admin/users", {"username": name, "password": STRONG, "role": role,
                                            "department": dept, "display_name": "探针"})
    assert r.status_code in (302, 303), (r.status_code, r.text[:300])
    return Who(name, STRONG)


def codes(rs) -> list[int]:
    return [r.status_code for r in rs]


SUP = lambda: who("supervisor")  # noqa: E731
RF = lambda: who(f"rep_{LEAD}")  # noqa: E731
RX = lambda: who(f"rep_{XDEPT}")  # noqa: E731
AN = lambda: who("analyst")  # noqa: E731
ADM = lambda: who("admin")  # noqa: E731


def plan_code() -> str:
    return SUP().api("GET", "/api/v1/plans").json()["data"][0]["code"]


def task_body(title: str = "探针任务", **over) -> dict:
    due = (TODAY + timedelta(days=365)).isoformat()
    return {"plan": plan_code(), "title": f"{title}{RUN}", "lead_department": LEAD,
            "supporting_departments": [SUPP], "start": (TODAY - timedelta(days=800)).isoformat(),
            "due": due, "milestones": [{"title": "里程碑", "due": due}], **over}


def new_task(title: str = "探针任务") -> int:
    r = SUP().api("POST", "/api/v1/tasks", json=task_body(title))
    assert r.status_code == 201, (r.status_code, r.text[:300])
    return r.json()["id"]


T = new_task()


def task(tid: int | None = None) -> dict:
    return SUP().api("GET", f"/api/v1/tasks/{tid or T}").json()


def history(tid: int | None = None) -> list[dict]:
    return SUP().api("GET", f"/api/v1/tasks/{tid or T}/history").json().get("events", [])


def page(u: Who, month: str = MONTH, tid: int | None = None) -> str:
    return u.c.get(f"/supervision/tasks/{tid or T}?month={month}").text


def own_version(u: Who, month: str = MONTH, tid: int | None = None) -> str:
    m = re.search(r'name="version" value="(\d+)"', page(u, month, tid))
    return m.group(1) if m else "0"


def report(u: Who, month: str = MONTH, action: str = "save", tid: int | None = None,
           files: list | None = None, **fields) -> httpx.Response:
    data = {"month": month, "text": "探针进展", "percent": "10", "action": action, **fields}
    if "version" not in data:
        data["version"] = own_version(u, month, tid)
    data["csrf_token"] = u.csrf()
    return u.c.post(f"/supervision/tasks/{tid or T}/report", data=data, files=files)


def draft_id(u: Who, month: str = MONTH, tid: int | None = None) -> int | None:
    ids = re.findall(r"/supervision/reports/(\d+)/submit", page(u, month, tid))
    return int(ids[0]) if ids else None


def review_version(rid: int, tid: int | None = None) -> str | None:
    text = SUP().c.get(f"/supervision/tasks/{tid or T}").text
    m = re.search(rf'/supervision/reports/{rid}/review".*?name="version" value="(\d+)"', text, re.S)
    return m.group(1) if m else None


def submitted_report(u: Who, month: str, tid: int | None = None) -> int:
    r = report(u, month=month, tid=tid)
    assert r.status_code == 303, (r.status_code, r.text[:200])
    rid = draft_id(u, month, tid)
    assert rid, "no draft"
    s = u.form(f"/supervision/reports/{rid}/submit", {})
    assert s.status_code == 303, (s.status_code, s.text[:200])
    return rid


def kinds(tid: int | None = None) -> list[str]:
    return [e.get("kind", "") for e in history(tid)]


def reports_text(dept: str = LEAD) -> list[str]:
    u = who(f"rep_{dept}")
    return [r.get("text", "") for r in u.api("GET", f"/api/v1/progress-reports?department={dept}").json()["data"]]


def obs(**over) -> dict:
    return {"region_code": "140100", "period": "2019", "indicator": "gdp", "value": 4000.5,
            "unit": "亿元", "source_url": SRC, "excerpt": "probe24", **over}


def raw_json(u: Who, method: str, path: str, body: str | bytes, ctype: str = "application/json") -> httpx.Response:
    return u.api(method, path, content=body.encode() if isinstance(body, str) else body,
                 headers={"Content-Type": ctype})


# -- D: names in Content-Disposition ---------------------------------------------------------
def multipart(fields: dict[str, str], disposition: bytes, data: bytes) -> tuple[bytes, str]:
    b = "p24" + uuid.uuid4().hex
    out = b""
    for k, v in fields.items():
        out += f'--{b}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
    out += (f"--{b}\r\n".encode() + b'Content-Disposition: form-data; name="evidence"; '
            + disposition + b"\r\nContent-Type: text/plain\r\n\r\n" + data + b"\r\n")
    out += f"--{b}--\r\n".encode()
    return out, f"multipart/form-data; boundary={b}"


_D_TASK: list[int] = []


def evidence_named(disposition: bytes) -> tuple[int, httpx.Response | None]:
    """Upload a text file as evidence with the raw ``disposition`` parameters; the upload's
    status and, when saved, the download's answer."""
    if not _D_TASK:
        _D_TASK.append(new_task("证据名"))
    tid, u = _D_TASK[0], RF()
    before = set(re.findall(r"/supervision/evidence/(\d+)", page(u, MONTH, tid)))
    fields = {"month": MONTH, "text": "证据", "percent": "10", "action": "save",
              "version": own_version(u, MONTH, tid), "csrf_token": u.csrf()}
    body, ctype = multipart(fields, disposition, "probe24 证据\n".encode())
    r = u.c.post(f"/supervision/tasks/{tid}/report", content=body, headers={"Content-Type": ctype})
    after = set(re.findall(r"/supervision/evidence/(\d+)", page(u, MONTH, tid)))
    new = sorted(after - before, key=int)
    if r.status_code != 303 or not new:
        return r.status_code, None
    return r.status_code, u.c.get(f"/supervision/evidence/{new[-1]}")


def cd_ok(d: httpx.Response | None, end: str = ".txt", limit: int = 1024) -> tuple[bool, str]:
    if d is None:
        return False, "not saved"
    cd = d.headers.get("content-disposition", "")
    m = re.fullmatch(r"attachment; filename=\"([\x20-\x7e]*)\"; filename\*=UTF-8''([A-Za-z0-9%._~/-]*)", cd)
    plain = len(re.findall(r"filename=", cd)) == 1 and cd.count("filename*=") == 1
    ok = bool(m) and plain and '"' not in m.group(1) and ";" not in m.group(1) \
        and unquote(m.group(2)).endswith(end) and "\r" not in unquote(m.group(2)) \
        and "\n" not in unquote(m.group(2)) and len(cd.encode()) <= limit \
        and "x-injected" not in d.headers
    return ok, f"{d.status_code} {cd[:160]!r}"


@case
def d1():
    out = []
    for disp in (b"filename*=UTF-8''a%22b%3Bfilename%3Devil.txt", b'filename="a\\"b;filename=evil.txt"'):
        st, d = evidence_named(disp)
        out.append((st, *cd_ok(d)))
    return all(o[1] for o in out), repr(out)
@case
def d2():
    st, d = evidence_named(b'filename="%0d%0aX-Injected: 1.txt"')
    ok, said = cd_ok(d)
    return ok, f"{st} {said}"
@case
def d3():
    st, d = evidence_named(b"filename*=UTF-8''%E6%8A%A5%E5%91%8A.txt")
    ok, said = cd_ok(d)
    return ok, f"{st} {said}"
@case
def d4():
    st, d = evidence_named(b"filename*=UTF-8''" + b"%C3%A9" * 250 + b".txt")
    ok, said = cd_ok(d)
    return ok, f"{st} {said}"
@case
def d5():
    r = who("viewer").c.get("/reports/monitoring?region=140100%22%0d%0aX-Injected:1")
    return 400 <= r.status_code < 500 and "x-injected" not in r.headers, f"{r.status_code} {r.headers.get('content-disposition')}"
@case
def d6():
    r = httpx.get(BASE + "/indicators/export.csv?indicator=gdp%22%3Bfilename%3Devil.exe")
    cd = r.headers.get("content-disposition", "")
    ok = (400 <= r.status_code < 500) or (r.status_code == 200 and re.fullmatch(r'attachment; filename="lantu-[a-z0-9_]+\.csv"', cd) is not None)
    return ok, f"{r.status_code} {cd!r}"


# -- R: open redirects -----------------------------------------------------------------------
def browser_resolves(loc: str) -> tuple[str, str]:
    """The scheme and host a browser goes to for a ``Location``: it drops TAB/CR/LF anywhere
    and leading blanks and controls, reads ``\\`` as ``/`` (http URLs), then resolves."""
    loc = re.sub(r"[\t\r\n]", "", loc).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    loc = loc.replace("\\", "/")
    u = urlsplit(urljoin(BASE + "/", loc))
    return u.scheme, (u.hostname or "")


_NID: list[int] = []


def where_to(target: str) -> list[str]:
    """The Location each of the three places answers for ``target``."""
    c = httpx.Client(base_url=BASE, timeout=60)
    a = c.post("/login", data={"username": "viewer", "password": "viewer-demo-2026",
                               "csrf_token": csrf_of(c.get("/login").text), "next": target})
    b = who("viewer").c.get("/login", params={"next": target})
    if not _NID:
        n = RF().api("GET", "/api/v1/notifications").json()["data"]
        _NID.append(n[0]["id"] if n else 1)
    g = RF().form(f"/notifications/{_NID[0]}/read", {"go": target})
    out = []
    for r in (a, b, g):
        if r.status_code >= 500:
            out.append(f"5xx {r.status_code}")
        else:
            out.append(r.headers.get("location", f"(no Location, {r.status_code})"))
    return out


def stays(targets: list[str]) -> tuple[bool, str]:
    bad, seen = [], []
    for t in targets:
        for loc in where_to(t):
            seen.append(loc)
            scheme, host = browser_resolves(loc)
            if loc.startswith("5xx") or host != HOST or scheme != "http":
                bad.append((t, loc))
    return not bad, f"bad {bad!r}" if bad else f"{len(seen)} Locations on this host, e.g. {seen[:3]!r}"


@case
def r1(): return stays(["/%2F%2Fevil.com"])
@case
def r2(): return stays(["/%5Cevil.com", "/%5C%5Cevil.com"])
@case
def r3(): return stays(["https:evil.com", "https:/evil.com", "http:\\\\evil.com"])
@case
def r4(): return stays(["ht\ttps://evil.com", "java\nscript:alert(1)", " //evil.com"])
@case
def r5():
    ok, said = stays(["/.//evil.com", "/..//evil.com", "/%2e%2e//evil.com"])
    r = httpx.get(BASE + "//evil.com/")
    loc = r.headers.get("location", "")
    ok2 = not loc or browser_resolves(loc)[1] == HOST
    return ok and ok2, f"{said}; GET //evil.com/ {r.status_code} {loc!r}"
@case
def r6():
    ok, said = stays(["/%0d%0aSet-Cookie:%20p24=1"])
    c = httpx.Client(base_url=BASE, timeout=60)
    a = c.post("/login", data={"username": "viewer", "password": "viewer-demo-2026",
                               "csrf_token": csrf_of(c.get("/login").text), "next": "/%0d%0aSet-Cookie:%20p24=1"})
    cookies = a.headers.get_list("set-cookie")
    return ok and not any(x.startswith("p24") for x in cookies), f"{said}; set-cookie {[x[:20] for x in cookies]}"
@case
def r7(): return stays(["\\/evil.com", "/\t/evil.com", "\u3031evil.com", "/\u3000/evil.com"])
@case
def r8(): return stays(["//evil.com@127.0.0.1", "/@evil.com", "/?next=//evil.com"])


# -- U: Unicode tricks -----------------------------------------------------------------------
@case
def u1():
    r = AN().api("POST", "/api/v1/observations", json=obs(indicator="gdp\u200b", period="2018"))
    return r.status_code == 422 and "indicator" in r.text, f"{r.status_code} {r.text[:140]!r}"
@case
def u2():
    a = AN().api("GET", "/api/v1/indicators/gdp%E2%80%8B")
    b = AN().api("GET", "/api/v1/regions/%EF%BC%91%EF%BC%94%EF%BC%90%EF%BC%91%EF%BC%90%EF%BC%90")
    ok = a.status_code == 404 and (b.status_code in (404, 422) or (b.status_code == 200 and b.json().get("code") == "140100"))
    return ok, f"{a.status_code} {b.status_code} {b.text[:80]!r}"
@case
def u3():
    r = AN().api("POST", "/api/v1/observations", json=obs(region_code="１４０１００", period="2017", value=3000.25))
    g = AN().api("GET", "/api/v1/regions/%EF%BC%91%EF%BC%94%EF%BC%90%EF%BC%91%EF%BC%90%EF%BC%90")
    stored = r.status_code == 201 and r.json()["observation"].get("region_code") == "140100"
    no_new = g.status_code != 200 or g.json().get("code") == "140100"
    return (stored or r.status_code == 422) and no_new, f"{r.status_code} {r.text[:120]!r}; region {g.status_code}"
@case
def u4():
    out = []
    for dept in ("FGW", "ｆｇｗ", "fgw\u200b", "fgw "):
        name = f"p24d{uuid.uuid4().hex[:6]}"
        r = ADM().form("/admin/users", {"username": name, "password": STRONG, "role": "reporter", "department": dept, "display_name": "部门"})
        out.append(r.status_code)
        if r.status_code in (302, 303):  # made: is it the one department fgw?
            u = Who(name, STRONG)
            dep = u.c.get("/account").text
            out.append("fgw" if ("发展和改革" in dep or "发改" in dep) else "other")
    ok = all((isinstance(x, int) and 400 <= x < 500) or x == "fgw" or x in (302, 303) for x in out) and "other" not in out
    return ok, repr(out)
@case
def u5():
    out = {}
    for n in ("admin\u3164", "admin\u115f", "ad\u034fmin", "admin\u2800", "admin\u180e", "admi\u0307n"):
        r = ADM().form("/admin/users", {"username": n, "password": STRONG, "role": "viewer", "department": "", "display_name": "x"})
        out[repr(n)] = r.status_code
    return all(400 <= v < 500 for v in out.values()), repr(out)
@case
def u6():
    out = {}
    for d in ("\u3164", "\u2800\u2800", "\u115f"):
        name = f"p24b{uuid.uuid4().hex[:6]}"
        r = ADM().form("/admin/users", {"username": name, "password": STRONG, "role": "viewer", "department": "", "display_name": d})
        out[repr(d)] = r.status_code
    return all(400 <= v < 500 for v in out.values()), repr(out)
@case
def u7():
    rlo = "进展\u202e说明"
    tid = new_task("方向")
    out = {}
    out["report"] = report(RF(), tid=tid, text=rlo).status_code
    out["extension"] = RF().api("POST", f"/api/v1/tasks/{tid}/extension-requests", json={"due": (TODAY + timedelta(days=500)).isoformat(), "reason": rlo}).status_code
    out["closure"] = RF().api("POST", f"/api/v1/tasks/{tid}/closure-requests", json={"comment": rlo}).status_code
    out["reminder"] = SUP().api("POST", f"/api/v1/tasks/{tid}/reminders", json={"message": rlo}).status_code
    rid = submitted_report(RF(), "2025-05", tid)
    out["return"] = SUP().form(f"/supervision/reports/{rid}/review", {"decision": "return", "comment": rlo, "version": review_version(rid, tid)}).status_code
    out["reopen"] = SUP().api("POST", f"/api/v1/tasks/{tid}/reopen", json={"reason": rlo}).status_code
    stored = [e for e in history(tid) if "\u202e" in json.dumps(e, ensure_ascii=False)]
    texts = [t for t in reports_text() if "\u202e" in (t or "")]
    return all(400 <= v < 500 for v in out.values()) and not stored and not texts, f"{out} stored {len(stored)} reports {len(texts)}"
@case
def u8():
    t = task()
    a = SUP().api("PATCH", f"/api/v1/tasks/{T}", json={"title": "标题\u2066x", "version": t["version"]})
    b = AN().api("POST", "/api/v1/groups", json={"code": f"p24g{RUN}", "name_zh": "组", "members": ["140100", "130100"], "note": "备注\u061cx"})
    return a.status_code == 422 and b.status_code == 422, f"{a.status_code} {b.status_code} {b.text[:100]!r}"
@case
def u9():
    u = fresh_user("viewer")
    out = []
    for e in ("a\u202e@fgw.gov.cn", "a\u200b@fgw.gov.cn", "a@fgw\u2066.gov.cn"):
        r = ADM().form(f"/admin/users/{u.user}/update", {"role": "viewer", "department": "", "email": e})
        out.append(r.status_code)
    return all(400 <= x < 500 for x in out), repr(out)


# -- N: numbers --------------------------------------------------------------------------------
_NT: list[int] = []


def n_task() -> int:
    if not _NT:
        _NT.append(new_task("数字"))
    return _NT[0]


@case
def n1():
    tid = n_task()
    out = {}
    for p in ("١٠", "१०", "1\u200b0"):
        out[repr(p)] = report(RF(), tid=tid, percent=p).status_code
    return all(v == 422 for v in out.values()), repr(out)
@case
def n2():
    tid = n_task()
    r = report(RF(), tid=tid, percent="１０")
    return r.status_code == 303, f"{r.status_code}"
@case
def n3():
    tid = n_task()
    out = {}
    for w in ("0x10", "1_0", "10e", ".", "--1"):
        out[w] = RF().form(f"/supervision/tasks/{tid}/parts", {"title": f"分项{w}", "unit": "处室", "weight": w}).status_code
    parts = task(tid).get("parts", [])
    return all(v == 422 for v in out.values()) and not parts, f"{out} parts {len(parts)}"
_PART: list[int] = []


def part_of_n() -> int:
    if not _PART:
        r = RF().api("POST", "/api/v1/tasks", json={"plan": plan_code(), "parent": n_task(), "title": "分项", "unit": "综合处", "weight": 1})
        assert r.status_code == 201, (r.status_code, r.text[:200])
        _PART.append(r.json()["id"])
    return _PART[0]


@case
def n4():
    pid = part_of_n()
    a = raw_json(RF(), "POST", f"/api/v1/tasks/{pid}/unit-progress", '{"percent": -0}')
    got = task(pid)
    b = raw_json(RF(), "POST", f"/api/v1/tasks/{pid}/unit-progress", '{"percent": 1e-400}')
    shown = json.dumps(got, ensure_ascii=False)
    return a.status_code == 200 and "-0" not in re.sub(r"\d-0", "", shown.replace('"-0', '"x')) and b.status_code == 422, f"{a.status_code} {b.status_code} progress {got.get('progress', got.get('percent'))}"
@case
def n5():
    a = raw_json(AN(), "POST", "/api/v1/observations", json.dumps(obs(period="2016")).replace("4000.5", "5e-324"))
    b = raw_json(AN(), "POST", "/api/v1/observations", json.dumps(obs(period="2016")).replace("4000.5", "1.7976931348623157e308"))
    return a.status_code == 422 and b.status_code == 422, f"{a.status_code} {b.status_code}"
@case
def n6():
    a = AN().api("GET", "/api/v1/observations", params={"year": "２０２４"})
    b = AN().api("GET", "/api/v1/observations", params={"from": "٢٠٢٠"})
    return a.status_code < 500 and b.status_code < 500, f"{a.status_code} {b.status_code} {b.text[:80]!r}"


# -- T: dates ----------------------------------------------------------------------------------
@case
def t1():
    out = {}
    for d in ("2026-02-30", "0000-01-01", "2026-2-3", "２０２６-01-01", "2026-01-01T00:00:00"):
        out[d] = SUP().api("POST", "/api/v1/tasks", json=task_body("日期", due=d, milestones=[])).status_code
    return all(v == 422 for v in out.values()), repr(out)
@case
def t2():
    out = {}
    for d in ("1948-12-31", "2101-01-01"):
        out[d] = SUP().api("POST", "/api/v1/tasks", json=task_body("里程碑日期", milestones=[{"title": "m", "due": d}])).status_code
    return all(v == 422 for v in out.values()), repr(out)
@case
def t3():
    out = {}
    for d in ("2101-01-01", "2026-02-29"):
        out[d] = SUP().api("POST", f"/api/v1/tasks/{T}/reminders", json={"message": "催办", "reply_by": d}).status_code
    return all(v == 422 for v in out.values()), repr(out)
@case
def t4():
    due = date.fromisoformat(task()["due"])
    out = {}
    for d in (due, due - timedelta(days=1)):
        out[d.isoformat()] = RF().api("POST", f"/api/v1/tasks/{T}/extension-requests", json={"due": d.isoformat(), "reason": "延期"}).status_code
    pend = [x for x in SUP().api("GET", f"/api/v1/tasks/{T}/requests").json() if x.get("status") == "pending"]
    for x in pend:  # leave T clean for the others
        SUP().api("POST", f"/api/v1/extension-requests/{x['id']}/decision", json={"grant": False, "comment": "清理"})
    return all(v == 422 for v in out.values()) and not pend, f"{out} pending {len(pend)}"
@case
def t5():
    t = task()
    due = date.fromisoformat(t["due"])
    r = SUP().api("PATCH", f"/api/v1/tasks/{T}", json={"start": (due + timedelta(days=1)).isoformat(), "version": t["version"], "reason": "改期"})
    t2 = task()
    return r.status_code == 422 and t2.get("start") == t.get("start"), f"{r.status_code} {r.text[:120]!r} start {t.get('start')}→{t2.get('start')}"
@case
def t6():
    text = SUP().c.get(f"/supervision/tasks/{T}").text
    ids = re.findall(rf"/supervision/tasks/{T}/milestones/(\d+)", text)
    if not ids:
        return None, "no milestone form on the page"
    out = {}
    for d in ("2026-02-29", "1948-12-31"):
        out[d] = SUP().form(f"/supervision/tasks/{T}/milestones/{ids[0]}", {"done_on": d}).status_code
    done = [m for m in task().get("milestones", []) if m.get("done_on")]
    return all(v == 422 for v in out.values()) and not done, f"{out} done {len(done)}"
@case
def t7():
    out = {}
    for m in ("2026-00", "1948-12", "2101-01", "2026-13"):
        out["s" + m] = SUP().c.get(f"/supervision/bulletin?month={m}").status_code
        out["r" + m] = SUP().c.get(f"/reports/bulletin?month={m}").status_code
    return all(400 <= v < 500 for v in out.values()), repr(out)
@case
def t8():
    a = RF().api("GET", "/api/v1/progress-reports?month=1948-12")
    b = RF().api("GET", "/api/v1/progress-reports?month=2026-1")
    return a.status_code == 422 and b.status_code == 422, f"{a.status_code} {b.status_code}"
@case
def t9():
    title = f"页面日期{RUN}"
    r = SUP().form("/supervision/tasks/new", {"plan": plan_code(), "title": title, "lead_department": LEAD, "due": "2026-02-30"})
    made = title in SUP().c.get("/supervision").text
    return 400 <= r.status_code < 500 and not made, f"{r.status_code} made={made}"


# -- P: pagination -----------------------------------------------------------------------------
@case
def p1():
    out = {}
    for k, v in (("limit", "-1"), ("limit", "0"), ("limit", "1001"), ("limit", "1e2"), ("limit", "+5"), ("limit", "１０"),
                 ("offset", "-1"), ("offset", "-0"), ("offset", "10000001")):
        r = AN().api("GET", "/api/v1/observations", params={k: v})
        out[f"{k}={v}"] = (r.status_code, k in r.text)
    return all(s == 422 and named for s, named in out.values()), repr(out)
@case
def p2():
    r = AN().api("GET", "/api/v1/observations?limit=1000&offset=10000000")
    j = r.json() if r.status_code == 200 else {}
    return r.status_code == 200 and j.get("data") == [] and j.get("total", 0) > 0, f"{r.status_code} total {j.get('total')} data {len(j.get('data', []) or [])}"
@case
def p3():
    out = {}
    for p in ("0", "-1", "99999"):
        out["n" + p] = RF().c.get(f"/notifications?page={p}").status_code
    out["audit0"] = ADM().c.get("/audit?page=0").status_code
    return all(v < 500 for v in out.values()), repr(out)


# -- J: JSON bodies ----------------------------------------------------------------------------
@case
def j1():
    pid = part_of_n()
    before = task(pid)
    r = raw_json(RF(), "POST", f"/api/v1/tasks/{pid}/unit-progress", '{"percent": 10, "percent": 90}')
    after = task(pid)
    return r.status_code == 422 and "percent" in r.text and before.get("progress") == after.get("progress"), f"{r.status_code} {r.text[:120]!r}"
@case
def j2():
    b = json.dumps(task_body("重复键", milestones=[]))
    due = (TODAY + timedelta(days=100)).isoformat()
    b = b[:-1] + f', "milestones": [{{"title": "a", "title": "b", "due": "{due}"}}]}}'
    b = b.replace('"milestones": [], ', "")
    r = raw_json(SUP(), "POST", "/api/v1/tasks", b)
    return r.status_code == 422, f"{r.status_code} {r.text[:120]!r}"
@case
def j3():
    b = json.dumps(obs(period="2015"))[:-1] + ', "value": 4100.5}'
    r = raw_json(AN(), "POST", "/api/v1/observations", b)
    return r.status_code == 422, f"{r.status_code} {r.text[:120]!r}"
@case
def j4():
    t0 = time.time()
    r = SUP().api("POST", "/api/v1/tasks", json=task_body("大数组", supporting_departments=["czj"] * 200_000))
    dt = time.time() - t0
    return 400 <= r.status_code < 500 and dt < 15, f"{r.status_code} {dt:.1f}s {r.text[:100]!r}"
@case
def j5():
    code = f"p24j{RUN}"
    AN().api("POST", "/api/v1/groups", json={"code": code, "name_zh": "组", "members": ["140100", "130100"]})
    t0 = time.time()
    r = AN().api("PUT", f"/api/v1/groups/{code}", json={"code": code, "name_zh": "组", "members": ["140100"] * 100_000})
    dt = time.time() - t0
    return 400 <= r.status_code < 500 and dt < 15, f"{r.status_code} {dt:.1f}s {r.text[:100]!r}"
@case
def j6():
    u = AN()
    body = json.dumps(obs(period="2014", value=3900.5))
    r = u.c.post("/api/v1/observations", content=body.encode(), headers={"Content-Type": "text/plain"})
    g = u.api("GET", "/api/v1/observations?indicator=gdp&region=140100&from=2014&to=2014").json()
    stored = [x for x in g.get("data", []) if x.get("value") == 3900.5]
    return r.status_code == 403 and not stored, f"{r.status_code} stored {len(stored)}"
@case
def j7():
    r = raw_json(AN(), "POST", "/api/v1/observations", json.dumps(obs(period="2013", value=3800.5)), "application/json; charset=latin-1")
    return r.status_code in (201, 200, 400, 415, 422), f"{r.status_code} {r.text[:100]!r}"
@case
def j8():
    t0 = time.time()
    r = raw_json(AN(), "POST", "/api/v1/observations", b" " * (6 * 1024 * 1024) + b"{}")
    return 400 <= r.status_code < 500 and time.time() - t0 < 20, f"{r.status_code} {time.time() - t0:.1f}s"


# -- C: the cycle by those it is not theirs -------------------------------------------------------
@case
def c1():
    v = who("viewer")
    rid = submitted_report(RF(), "2025-04")
    forms = {
        f"/supervision/tasks/{T}/report": {"month": MONTH, "text": "x", "percent": "1", "action": "save", "version": "0"},
        f"/supervision/reports/{rid}/submit": {},
        f"/supervision/reports/{rid}/review": {"decision": "approve", "version": "1"},
        f"/supervision/tasks/{T}/acknowledge": {},
        f"/supervision/tasks/{T}/remind": {"message": "x"},
        f"/supervision/tasks/{T}/extension": {"due": (TODAY + timedelta(days=600)).isoformat(), "reason": "x"},
        f"/supervision/tasks/{T}/closure": {"comment": "x"},
        "/supervision/extension-requests/1/decision": {"decision": "grant"},
        f"/supervision/tasks/{T}/reopen": {"reason": "x"},
        f"/supervision/tasks/{T}/parts": {"title": "x", "unit": "x"},
        f"/supervision/parts/{T}/progress": {"percent": "5"},
        f"/supervision/tasks/{T}/milestones/1": {"done_on": TODAY.isoformat()},
        f"/supervision/tasks/{T}/edit": {"title": "x", "version": "1"},
    }
    n0 = len(history())
    out = {p.replace(str(T), "T"): v.form(p, d).status_code for p, d in forms.items()}
    n1 = len(history())
    return all(x in (403, 404) for x in out.values()) and n0 == n1, f"{out} history {n0}→{n1}"
@case
def c2():
    from sqlalchemy import create_engine, text
    u = fresh_user("viewer")
    tok = u.token()
    ok0 = u.api("GET", "/api/v1/regions").status_code
    eng = create_engine(DBURL)
    with eng.begin() as cx:
        cx.execute(text("UPDATE api_token SET expires_at = :t WHERE user_id = (SELECT id FROM user_account WHERE username = :u)"),
                   {"t": (TODAY - timedelta(days=1)).isoformat() + " 00:00:00", "u": u.user})
    eng.dispose()
    time.sleep(0.2)
    r = httpx.get(BASE + "/api/v1/regions", headers={"Authorization": f"Bearer {tok}"})
    logged = any(e.get("event") == "token_refused" for e in log_lines()[-50:])
    return ok0 == 200 and r.status_code == 401 and logged, f"before {ok0} after {r.status_code} logged {logged}"


def closable() -> tuple[int, int]:
    tid = new_task("销号")
    c = RF().api("POST", f"/api/v1/tasks/{tid}/closure-requests", json={"comment": "已完成"})
    assert c.status_code == 201, (c.status_code, c.text[:200])
    return tid, c.json()["id"]


@case
def c3():
    tid, cid = closable()
    with ThreadPoolExecutor(2) as ex:
        f1 = ex.submit(SUP().api, "POST", f"/api/v1/closure-requests/{cid}/decision", json={"grant": True})
        f2 = ex.submit(ADM().api, "POST", f"/api/v1/closure-requests/{cid}/decision", json={"grant": False, "comment": "不同意"})
        cs = sorted([f1.result().status_code, f2.result().status_code])
    ks = [k for k in kinds(tid) if "clos" in k or "refus" in k or "grant" in k]
    return cs == [200, 409], f"{cs} events {ks}"
@case
def c4():
    tid, cid = closable()
    d = SUP().api("POST", f"/api/v1/closure-requests/{cid}/decision", json={"grant": True})
    with ThreadPoolExecutor(2) as ex:
        f1 = ex.submit(SUP().api, "POST", f"/api/v1/tasks/{tid}/reopen", json={"reason": "重开"})
        f2 = ex.submit(ADM().api, "POST", f"/api/v1/tasks/{tid}/reopen", json={"reason": "重开"})
        cs = sorted([f1.result().status_code, f2.result().status_code])
    n = sum(1 for k in kinds(tid) if "reopen" in k)
    return d.status_code == 200 and cs == [200, 409] and n == 1, f"close {d.status_code} reopen {cs} reopened×{n}"
@case
def c5():
    tid = new_task("签收")
    with ThreadPoolExecutor(2) as ex:
        fs = [ex.submit(RF().api, "POST", f"/api/v1/tasks/{tid}/acknowledge") for _ in range(2)]
        cs = sorted(f.result().status_code for f in fs)
    n = sum(1 for k in kinds(tid) if "ack" in k)
    return all(c in (200, 201, 204, 409) for c in cs) and n == 1, f"{cs} acknowledged×{n}"


# -- K: CSRF over every unsafe route ----------------------------------------------------------------
def unsafe_routes(api: bool) -> list[tuple[str, str]]:
    import lantu.web.routes as R
    out = []
    fill = {"node_id": str(T), "report_id": "1", "milestone_id": "1", "request_id": "1", "kind": "extension",
            "token": "r-u1-" + "0" * 32, "item_id": "1", "notification_id": "1", "token_id": "1",
            "username": "viewer", "code": f"p24k{RUN}"}
    for mod in pkgutil.iter_modules(R.__path__):
        m = importlib.import_module("lantu.web.routes." + mod.name)
        rt = getattr(m, "router", None)
        if rt is None:
            continue
        for r in rt.routes:
            path = getattr(r, "path", "")
            if "{rest" in path or path.startswith("/api/v1") != api:
                continue
            for meth in sorted(getattr(r, "methods", set()) or set()):
                if meth in ("POST", "PUT", "PATCH", "DELETE"):
                    out.append((meth, re.sub(r"\{(\w+)(:\w+)?\}", lambda x: fill.get(x.group(1), "1"), path)))
    return out


@case
def k1():
    bad = {}
    routes = unsafe_routes(False)
    for meth, path in routes:
        r = ADM().c.request(meth, path, data={"x": "1"})
        if r.status_code != 403:
            bad[path] = r.status_code
    return not bad, f"{len(routes)} routes; not 403: {bad}"
@case
def k2():
    other = Who("admin")
    tok = other.csrf()
    bad = {}
    routes = unsafe_routes(False)
    for meth, path in routes:
        r = ADM().c.request(meth, path, data={"x": "1", "csrf_token": tok})
        if r.status_code != 403:
            bad[path] = r.status_code
    return not bad, f"{len(routes)} routes; not 403: {bad}"
@case
def k3():
    bad = {}
    routes = unsafe_routes(True)
    for meth, path in routes:
        r = ADM().c.request(meth, path, content=b"{}", headers={"Content-Type": "application/json"})
        if r.status_code not in (401, 403):
            bad[f"{meth} {path}"] = r.status_code
    return not bad, f"{len(routes)} routes; not 401/403: {bad}"


# -- S: small ones -------------------------------------------------------------------------------
@case
def s1():
    a = httpx.get(BASE + "/api/v1/regions", headers={"Authorization": "Bearer lt_" + "x" * 40})
    b = AN().api("GET", "/api/v1/tasks/999999")
    u = fresh_user("viewer")
    last = None
    for _ in range(6):
        last = u.form("/account/tokens", {"name": "x", "password": "wrong-password-guess-1"})
    out = {"401": a.headers.get("cache-control"), "404": b.headers.get("cache-control"), f"{last.status_code}": last.headers.get("cache-control")}
    return all("no-store" in (v or "") for v in out.values()) and last.status_code == 429, repr(out)
@case
def s2():
    r = AN().api("POST", "/api/v1/observations", json=obs(period="2012", value=3700.5),
                 headers={"X-HTTP-Method-Override": "GET", "X-Original-URL": "/api/v1/regions", "X-Rewrite-URL": "/api/v1/regions"})
    return r.status_code in (201, 422) and '"data"' not in r.text[:20], f"{r.status_code} {r.text[:100]!r}"



# -- Z: neighbours of what fell (written after the fixes) -------------------------------------------
def lantu_cli(*args: str) -> subprocess.CompletedProcess:
    home = Path(DBURL.replace("sqlite:///", "")).parent if DBURL.startswith("sqlite") else Path(tempfile.mkdtemp())
    env = {**os.environ, "LANTU_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-c", "from lantu.cli import main; main()", *args, "--db", DBURL],
                          capture_output=True, text=True, env=env, timeout=300)


def new_lines(n0: int) -> list[dict]:
    return log_lines()[n0:]


@case
def z1():
    pid = part_of_n()
    r = raw_json(RF(), "POST", f"/api/v1/tasks/{pid}/unit-progress", '{"percent": 10, "perc\\u0065nt": 90}')
    return r.status_code == 422 and "percent" in r.text, f"{r.status_code} {r.text[:100]!r}"
@case
def z2():
    code = f"p24z{RUN}"
    AN().api("POST", "/api/v1/groups", json={"code": code, "name_zh": "组", "members": ["140100", "130100"]})
    r = raw_json(AN(), "PUT", f"/api/v1/groups/{code}", f'{{"code": "{code}", "name_zh": "组", "members": ["140100", "130100"], "members": ["140100"]}}')
    g = AN().api("GET", f"/api/v1/groups/{code}").json()
    return r.status_code == 422 and len(g.get("members", [])) == 2, f"{r.status_code} members {len(g.get('members', []))}"
@case
def z3():
    t = task()
    v = t["version"]
    body = f'{{"title": "改名{RUN}", "version": {v - 1}, "version": {v}, "reason": "x"}}'
    r = raw_json(SUP(), "PATCH", f"/api/v1/tasks/{T}", body)
    return r.status_code == 422 and task()["title"] == t["title"], f"{r.status_code} {r.text[:100]!r}"
@case
def z4():
    r = raw_json(AN(), "POST", "/api/v1/observations", '{"x": 1, "x": 2}')
    return r.status_code == 422, f"{r.status_code}"
@case
def z5():
    tid = n_task()
    u = RF()
    data = {"month": "2025-03", "text": "重复字段", "percent": ["10", "90"], "action": "save", "version": own_version(u, "2025-03", tid), "csrf_token": u.csrf()}
    r = u.c.post(f"/supervision/tasks/{tid}/report", data=data)
    got = [x for x in u.api("GET", f"/api/v1/progress-reports?department={LEAD}&month=2025-03").json()["data"] if x.get("text") == "重复字段"]
    return r.status_code == 422 and not got, f"{r.status_code} stored {[(x.get('percent')) for x in got]}"
@case
def z6():
    r = AN().api("GET", "/api/v1/observations?limit=2000&limit=5")
    return r.status_code == 422 and "limit" in r.text, f"{r.status_code} {r.text[:100]!r}"
@case
def z7():
    out = {}
    for n in ("admin\u17b4", "admin\u180b", "admin\ufe0f", "admin\U000e0100", "admin\u1160", "admin\uffa0"):
        out[ascii(n)] = ADM().form("/admin/users", {"username": n, "password": STRONG, "role": "viewer", "department": "", "display_name": "x"}).status_code
    return all(400 <= v < 500 for v in out.values()), repr(out)
@case
def z8():
    u = fresh_user("viewer")
    r = ADM().form(f"/admin/users/{u.user}/rename", {"new_name": "viewer\u2800"})
    return r.status_code == 422, f"{r.status_code}"
@case
def z9():
    r = lantu_cli("user", "add", "admin\u115f", "--role", "viewer", "--password", STRONG)
    return r.returncode != 0, f"exit {r.returncode} {r.stderr.strip()[-160:]!r}"
@case
def z10():
    name = f"p24n{uuid.uuid4().hex[:6]}"
    a = ADM().form("/admin/users", {"username": name, "password": STRONG, "role": "viewer", "department": "", "display_name": "探\u17b4针"}).status_code
    b = AN().api("POST", "/api/v1/groups", json={"code": f"p24y{RUN}", "name_zh": "组\u180b名", "members": ["140100", "130100"]}).status_code
    v = fresh_user("viewer")
    c = v.form("/account/tokens", {"name": "t\u2800", "password": STRONG}).status_code
    return all(400 <= x < 500 for x in (a, b, c)), f"{a} {b} {c}"
@case
def z11():
    c = httpx.Client(base_url=BASE, timeout=60)
    r = c.post("/login", data={"username": "admin\u2800", "password": "admin-demo-2026", "csrf_token": csrf_of(c.get("/login").text)})
    return r.status_code == 401 and c.get("/account").status_code != 200, f"{r.status_code}"
@case
def z12():
    u = fresh_user("viewer")
    out = [ADM().form(f"/admin/users/{u.user}/update", {"role": "viewer", "department": "", "email": e}).status_code
           for e in ("a\u00ad@fgw.gov.cn", "a\u2800@fgw.gov.cn", "a\u3164@fgw.gov.cn")]
    return all(400 <= x < 500 for x in out), repr(out)
@case
def z13():
    u = fresh_user("viewer")
    r = ADM().form(f"/admin/users/{u.user}/update", {"role": "viewer", "department": "", "email": "王@例子.中国"})
    return r.status_code == 303, f"{r.status_code}"
@case
def z14():
    r = lantu_cli("user", "add", f"p24m{RUN}", "--role", "viewer", "--password", STRONG, "--email", "a\u200b@x.cn")
    return r.returncode != 0, f"exit {r.returncode} {r.stderr.strip()[-160:]!r}"
@case
def z15():
    n0 = len(log_lines())
    r = AN().form("/import", {}, files={"file": ("t.exe", b"region_code,period\n", "text/csv")})
    new = [e for e in new_lines(n0) if e.get("event") == "refused" and e.get("path") == "/import"]
    return r.status_code == 415 and any(e.get("user") == "analyst" for e in new), f"{r.status_code} {[(e.get('reason'), e.get('user')) for e in new]}"
@case
def z16():
    n0 = len(log_lines())
    r = AN().form("/review", {"region": "140100", "year": "2024"}, files={"file": ("p24-secret-name.bat", "各位代表：2023年全市地区生产总值5571.17亿元。".encode(), "text/plain")})
    new = [e for e in new_lines(n0) if e.get("event") == "refused" and e.get("path") == "/review"]
    return r.status_code == 415 and bool(new), f"{r.status_code} {[(e.get('reason'), e.get('user')) for e in new]}"
@case
def z17():
    n0 = len(log_lines())
    u = RF()
    tid = n_task()
    b = "p24" + uuid.uuid4().hex
    head = b""
    for k, v in {"month": MONTH, "text": "大", "percent": "10", "action": "save", "version": own_version(u, MONTH, tid), "csrf_token": u.csrf()}.items():
        head += f'--{b}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
    head += f'--{b}\r\nContent-Disposition: form-data; name="evidence"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n'.encode()

    def gen():
        yield head
        for _ in range(60):
            yield b"a" * (1024 * 1024)
        yield f"\r\n--{b}--\r\n".encode()
    try:
        r = u.c.post(f"/supervision/tasks/{tid}/report", content=gen(), headers={"Content-Type": f"multipart/form-data; boundary={b}"})
        st = r.status_code
    except httpx.HTTPError as exc:
        st = type(exc).__name__
    time.sleep(0.3)
    new = [e for e in new_lines(n0) if e.get("event") == "refused" and e.get("reason") == "too_large"]
    return st == 413 and bool(new), f"{st} {[(e.get('path'), e.get('user')) for e in new]}"
@case
def z18():
    n0 = len(log_lines())
    try:
        r = AN().api("POST", "/api/v1/observations", content=b"{" + b" " * (60 * 1024 * 1024) + b"}", headers={"Content-Type": "application/json"})
        st = r.status_code
    except httpx.HTTPError as exc:
        st = type(exc).__name__
    time.sleep(0.3)
    new = [e for e in new_lines(n0) if e.get("event") == "refused" and e.get("reason") == "too_large"]
    return st == 413 and bool(new), f"{st} {[(e.get('path'), e.get('user')) for e in new]}"
@case
def z19():
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>')
        z.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 512)
    n0 = len(log_lines())
    r = report(RF(), tid=n_task(), files=[("evidence", ("x.docx", buf.getvalue(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))])
    new = [e for e in new_lines(n0) if e.get("event") == "refused" and "report" in str(e.get("path"))]
    return r.status_code == 415 and bool(new), f"{r.status_code} {[(e.get('reason'), e.get('user')) for e in new]}"
@case
def z20():
    text = LOG.read_text(encoding="utf-8", errors="replace")
    return "p24-secret-name" not in text, f"name in the log: {'p24-secret-name' in text}"
@case
def z21():
    name = f"p24r{uuid.uuid4().hex[:6]}"
    r = ADM().form("/admin/users", {"username": name, "password": STRONG, "role": ["viewer", "admin"], "department": "", "display_name": "探针"})
    made = name in ADM().c.get("/admin/users").text
    return r.status_code == 422 and not made, f"{r.status_code} made={made}"
@case
def z22():
    r = AN().api("GET", "/api/v1/observations?offset=0&offset=5")
    return r.status_code == 422 and "offset" in r.text, f"{r.status_code} {r.text[:100]!r}"
@case
def z23():
    tid = n_task()
    u = RF()
    data = {"month": "2025-02", "text": "重复多部分", "percent": ["10", "90"], "action": "save", "version": own_version(u, "2025-02", tid), "csrf_token": u.csrf()}
    r = u.c.post(f"/supervision/tasks/{tid}/report", data=data, files=[("evidence", ("e.txt", "证据".encode(), "text/plain"))])
    got = [x for x in u.api("GET", f"/api/v1/progress-reports?department={LEAD}&month=2025-02").json()["data"] if x.get("text") == "重复多部分"]
    return r.status_code == 422 and not got, f"{r.status_code} stored {len(got)}"
@case
def z24():
    c = httpx.Client(base_url=BASE, timeout=60)
    r = c.post("/login", data={"username": ["viewer", "admin"], "password": "viewer-demo-2026", "csrf_token": csrf_of(c.get("/login").text)})
    return r.status_code in (401, 422) and c.get("/account").status_code != 200, f"{r.status_code}"
@case
def z25():
    h = [("Authorization", f"Bearer {who('viewer').token()}"), ("Authorization", f"Bearer {AN().token()}"), ("Content-Type", "application/json")]
    r = httpx.post(BASE + "/api/v1/observations", headers=h, content=json.dumps(obs(period="2011", value=3600.5)).encode())
    return r.status_code in (400, 401), f"{r.status_code} {r.text[:100]!r}"
@case
def z26():
    r = httpx.get(BASE + "/indicators?indicator=gdp&region=140100&region=140200")
    return r.status_code == 200, f"{r.status_code}"


# -- Y: a last batch on new ground -------------------------------------------------------------------
def no_code_with_a_break() -> bool:
    return not any("\n" in g["code"] for g in AN().api("GET", "/api/v1/groups").json().get("data", []))


@case
def y1():
    r = AN().api("POST", "/api/v1/groups", json={"code": "p24nl\n", "name_zh": "换行", "members": ["140100", "130100"]})
    return r.status_code == 422 and no_code_with_a_break(), f"{r.status_code} {r.text[:100]!r}"
@case
def y2():
    r = AN().api("PUT", "/api/v1/groups/p24nl2", json={"code": "p24nl2\n", "name_zh": "换行", "members": ["140100", "130100"]})
    ok = r.status_code == 422 or (r.status_code in (200, 201) and r.json().get("code") == "p24nl2")
    return ok and no_code_with_a_break(), f"{r.status_code} {r.text[:100]!r}"
@case
def y3():
    r = lantu_cli("group", "add", "p24nl3\n", "140100", "130100", "--name", "换行")
    return r.returncode != 0 and no_code_with_a_break(), f"exit {r.returncode} {r.stderr.strip()[-160:]!r}"
@case
def y4():
    import html
    text = "探针规划\n一、总体目标\n到2025年，地区生产总值达到6000亿元。\n二、重点任务\n（一）加快建设物流枢纽。由市发改委牵头，2025年底前完成。\n"
    up = SUP().form("/supervision/plans/new", {"code": "", "region": "140100"}, files={"file": ("b.txt", text.encode(), "text/plain")})
    m1 = re.search(r'<textarea name="outline"[^>]*>(.*?)</textarea>', up.text, re.S)
    m2 = re.search(r'name="kept" value="([^"]*)"', up.text)
    if up.status_code != 200 or not m1 or not m2:
        return None, f"upload {up.status_code} {up.text[:100]!r}"
    r = SUP().form("/supervision/plans/new/save", {"outline": html.unescape(m1.group(1)), "kept": html.unescape(m2.group(1)),
                                                   "code": "p24plan\n", "title": "探针规划", "region": "140100", "action": "save"})
    plans = [p["code"] for p in SUP().api("GET", "/api/v1/plans").json()["data"]]
    return 400 <= r.status_code < 500 and not any("\n" in p for p in plans), f"{r.status_code} plans {[p for p in plans if 'p24' in p]!r}"
@case
def y5():
    r = AN().c.get("/review/r-u1-" + "0" * 32 + "%0A")
    return r.status_code == 404, f"{r.status_code}"
@case
def y6():
    r = AN().form("/import/confirm", {"token": "u1-" + "0" * 32 + ".csv\n"})
    return 400 <= r.status_code < 500, f"{r.status_code}"
@case
def y7():
    t = task()
    r = SUP().api("PATCH", f"/api/v1/tasks/{T}", json={"title": None, "version": t["version"], "reason": "空"})
    t2 = task()
    return (r.status_code == 422 or r.status_code == 200) and bool(t2["title"]) and t2["title"] == t["title"], f"{r.status_code} {r.text[:100]!r}"
@case
def y8():
    a = AN().api("POST", "/api/v1/observations", json=obs(period="2010", value=3500.5, excerpt=None))
    b = AN().api("POST", "/api/v1/observations", json=obs(period="2010", value=3500.5, flags=None))
    return a.status_code < 500 and b.status_code < 500, f"{a.status_code} {b.status_code}"
@case
def y9():
    r = RF().api("POST", f"/api/v1/tasks/{part_of_n()}/unit-progress", json={"percent": 20, "note": None})
    return r.status_code < 500, f"{r.status_code} {r.text[:80]!r}"
@case
def y10():
    r = AN().api("POST", "/api/v1/groups", json={"code": f"p24x{RUN}", "name_zh": "空", "members": [None]})
    return r.status_code == 422, f"{r.status_code}"
@case
def y11():
    r = SUP().api("POST", "/api/v1/tasks", json=task_body("空日期", milestones=[{"title": "m", "due": None}]))
    return r.status_code in (201, 422), f"{r.status_code} {r.text[:80]!r}"
@case
def y12():
    st, d = evidence_named(b"filename=\"r.txt\"; filename*=UTF-8''r.bat")
    cd = d.headers.get("content-disposition", "") if d is not None else ""
    return st == 415 or (d is not None and unquote(cd.split("filename*=UTF-8''")[-1]).endswith(".txt") and ".bat\"" not in cd), f"{st} {cd!r}"
@case
def y13():
    st, d = evidence_named(b"filename=\"r.bat\"; filename*=UTF-8''r.txt")
    cd = d.headers.get("content-disposition", "") if d is not None else ""
    return st == 415 or (d is not None and unquote(cd.split("filename*=UTF-8''")[-1]).endswith(".txt") and ".bat\"" not in cd), f"{st} {cd!r}"

# -- L: the security log (last: it reads what the run wrote) -------------------------------------------
def log_lines() -> list[dict]:
    out = []
    for line in LOG.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            out.append({"_unparsed": line})
    return out


@case
def l3():
    c = httpx.Client(base_url=BASE, timeout=60)
    name = 'evil\r\n{"event":"login_ok","user":"admin"}'
    n0 = len(log_lines())
    r = c.post("/login", data={"username": name, "password": "x-wrong-password-1", "csrf_token": csrf_of(c.get("/login").text)})
    new = log_lines()[n0:]
    bad = [e for e in new if "_unparsed" in e or (e.get("event") == "login_ok" and e.get("user") == "admin")]
    return r.status_code in (401, 422, 400) and not bad, f"{r.status_code} new lines {len(new)} bad {bad[:2]}"
@case
def l4():
    # the events of this run so far, plus a few made here
    u = fresh_user("viewer")
    c = httpx.Client(base_url=BASE, timeout=60)
    c.post("/login", data={"username": u.user, "password": "wrong-guess-here-7", "csrf_token": csrf_of(c.get("/login").text)})
    t = fresh_user("viewer")
    for _ in range(6):
        c.post("/login", data={"username": t.user, "password": "wrong-guess-here-7", "csrf_token": csrf_of(c.get("/login").text)})
    tok = u.token()
    tid = re.findall(r"/account/tokens/(\d+)/revoke", u.c.get("/account").text)
    if tid:
        u.form(f"/account/tokens/{tid[-1]}/revoke", {})
    RX().api("GET", f"/api/v1/tasks/{T}")
    w = fresh_user("viewer")
    w.form("/account/password", {"current": STRONG, "new": STRONG2, "again": STRONG2})
    del tok
    ev = log_lines()
    want = {
        "login_failed": any(e.get("event") == "login_failed" for e in ev),
        "login_throttled": any(e.get("event") == "login_throttled" for e in ev),
        "csrf": any(e.get("event") == "permission_refused" and e.get("reason") == "csrf" for e in ev),
        "role": any(e.get("event") == "permission_refused" and e.get("needs") for e in ev),
        "token_refused": any(e.get("event") == "token_refused" for e in ev),
        "department": any(e.get("event") == "permission_refused" and e.get("user") == f"rep_{XDEPT}" and e.get("task") for e in ev),
        "token_revoked": any(e.get("event") == "token_revoked" for e in ev),
        "password_changed": any(e.get("event") == "password_changed" and e.get("user") == w.user for e in ev),
    }
    return all(want.values()), repr(want)
@case
def l5():
    n0 = len(log_lines())
    st = []
    for name, data in (("run.bat", b"@echo off\r\n"), ("x.docm", b"plain text\n")):
        tid = n_task()
        r = report(RF(), tid=tid, files=[("evidence", (name, data, "text/plain"))])
        st.append(r.status_code)
    new = log_lines()[n0:]
    refused = [e for e in new if e.get("event") in ("refused", "upload_refused") and "report" in str(e.get("path", ""))]
    return all(s == 415 for s in st) and len(refused) >= 2, f"{st} logged {[(e.get('event'), e.get('reason')) for e in refused]}"
@case
def l6():
    u = fresh_user("viewer")
    n0 = len(log_lines())
    cs = []
    for _ in range(6):
        cs.append(u.form("/account/tokens", {"name": "x", "password": "not-my-password-42"}).status_code)
    new = log_lines()[n0:]
    logged = [e for e in new if e.get("event") in ("login_failed", "password_refused", "login_throttled") and e.get("user") == u.user]
    return cs[-1] == 429 and len(logged) >= 5, f"{cs} logged {len(logged)}"
@case
def l7():
    u = fresh_user("viewer")
    n0 = len(log_lines())
    cs = []
    for _ in range(3):
        cs.append(u.form("/account/tokens", {"name": "x", "password": "not-my-password-42"}).status_code)
    for _ in range(3):
        cs.append(u.form("/account/password", {"current": "not-my-password-42", "new": STRONG2, "again": STRONG2}).status_code)
    new = log_lines()[n0:]
    logged = [e for e in new if e.get("event") in ("login_failed", "password_refused", "login_throttled") and e.get("user") == u.user]
    return cs[-1] == 429 and len(logged) >= 5, f"{cs} logged {len(logged)}"
@case
def l1():
    text = LOG.read_text(encoding="utf-8", errors="replace")
    for w in _WHO.values():
        for v in w.c.cookies.values():
            SECRETS.add(v)
    found = sorted({s[:8] + "…" for s in SECRETS if len(s) >= 8 and s in text})
    return not found, f"{len(SECRETS)} secrets, {len(text.splitlines())} lines; found {found}"
@case
def l2():
    bad = [e["_unparsed"][:80] for e in log_lines() if "_unparsed" in e]
    return not bad, f"{len(bad)} lines not JSON {bad[:3]}"


def main() -> None:
    groups: dict[str, list[int]] = {}
    for cid, fn in CASES.items():
        if ONLY and cid not in ONLY and cid[0] not in ONLY:
            continue
        t0 = time.time()
        try:
            ok, said = fn()
        except Exception as exc:  # a probe's own failure: say so, count as not run
            ok, said = None, f"PROBE ERROR {type(exc).__name__}: {exc}"[:300]
        mark = {True: "RIGHT", False: "WRONG", None: "N/A"}[ok]
        print(f"{cid:4} {mark:5} {time.time() - t0:5.1f}s {said}"[:1500], flush=True)
        g = groups.setdefault(cid[0], [0, 0])
        if ok is not None:
            g[0] += 1
            g[1] += bool(ok)
    print("group run right")
    for g, (n, r) in sorted(groups.items()):
        print(f"{g} {n} {r}")
    print("total", len([c for c in CASES if not ONLY or c in ONLY or c[0] in ONLY]),
          "run", sum(n for n, _ in groups.values()), "right", sum(r for _, r in groups.values()))


if __name__ == "__main__":
    main()
