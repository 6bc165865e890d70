"""Run the eleventh round's web and API cases (benchmarks/probe17_cases.md) over HTTP.

Against a served app (``lantu demo --no-serve`` then ``lantu serve``) on SQLite or PostgreSQL:
``python benchmarks/probe17_run.py http://127.0.0.1:8171 [IDS…]``. Each case prints ``RIGHT`` or
``WRONG`` with what was answered (``N/A`` when the probe itself failed). It is a probe, not a
test: it writes to the database it is pointed at."""

from __future__ import annotations

import gzip
import json
import re
import socket
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8171"
ONLY = {a.upper() for a in sys.argv[2:] if re.fullmatch(r"[A-Za-z]\d+", a)}
CASES: dict[str, Callable[[], tuple[bool | None, str]]] = {}
SRC = "https://tjj.taiyuan.gov.cn/p17"
RUN = uuid.uuid4().hex[:6]
HOST, PORT = urlsplit(BASE).hostname or "", urlsplit(BASE).port or 80
STRONG = "copper-meadow-signal-4410"


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
        self.c = httpx.Client(base_url=BASE, timeout=120, follow_redirects=False)
        r = self.c.get("/login")
        self.login_answer = self.c.post("/login", data={"username": user, "password": self.pw,
                                                        "csrf_token": csrf_of(r.text), "next": "/"})
        assert self.login_answer.status_code in (302, 303), (user, self.login_answer.status_code)
        self._token: str | None = None

    def csrf(self) -> str:
        return csrf_of(self.c.get("/account").text)

    def form(self, path: str, data: dict, **kw) -> httpx.Response:
        return self.c.post(path, data={**data, "csrf_token": self.csrf()}, **kw)

    def new_token(self, **extra) -> str:
        r = self.form("/account/tokens", {"name": f"p17-{uuid.uuid4().hex[:6]}", "password": self.pw, **extra})
        return re.search(r"\b(lt_[A-Za-z0-9_\-]{20,})", r.text).group(1)

    def token(self) -> str:
        if self._token is None:
            self._token = self.new_token()
        return self._token

    def api(self, method: str, path: str, **kw) -> httpx.Response:
        h = {"Authorization": f"Bearer {self.token()}", **kw.pop("headers", {})}
        return httpx.request(method, BASE + path, headers=h, timeout=120, **kw)

    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.c.cookies.items())


_WHO: dict[str, Who] = {}


def who(user: str) -> Who:
    if user not in _WHO:
        _WHO[user] = Who(VIEWER, STRONG) if user == "viewer" else Who(user)
    return _WHO[user]


def find_task() -> int:
    a = who("analyst")
    for i in range(1, 200):
        r = a.api("GET", f"/api/v1/tasks/{i}")
        if r.status_code == 200:
            t = r.json()
            if t.get("lead_department") == "fgw" and t.get("kind") == "task" and t.get("due") \
                    and t.get("status") in ("not_started", "in_progress"):
                return i
    raise SystemExit("no open fgw task")


T = find_task()


def _run_viewer() -> str:
    """A viewer of this run: C7's eight sign-ins at once count as failures until they are
    checked (the throttle's rule), which locks a shared demo viewer for 15 minutes."""
    name = f"p17v{RUN}"
    a = who("admin")
    r = a.form("/admin/users", {"username": name, "password": STRONG, "role": "viewer", "display_name": "探针"})
    assert r.status_code in (302, 303), r.status_code
    return name


VIEWER = _run_viewer()


def status(r: httpx.Response, *ok: int) -> tuple[bool, str]:
    return r.status_code in ok, f"{r.status_code} {r.text[:160]!r}"


def raw(request: bytes, timeout: float = 30) -> bytes:
    """One request as bytes on its own connection (headers httpx would not send as given)."""
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    s.sendall(request)
    out = b""
    try:
        while chunk := s.recv(65536):
            out += chunk
    except TimeoutError:
        pass
    s.close()
    return out


def head_of(resp: bytes) -> str:
    return resp.split(b"\r\n\r\n", 1)[0].decode("latin-1")


def fresh_user(role: str, dept: str = "") -> Who:
    name = f"p17{role[:3]}{uuid.uuid4().hex[:6]}"
    r = who("admin").form("/admin/users", {"username": name, "password": STRONG, "role": role,
                                            "department": dept, "display_name": "探针"})
    assert r.status_code in (302, 303), (r.status_code, r.text[:300])
    return Who(name, STRONG)


# -- H: a redirect never names a host ----------------------------------------------------------
def no_evil_location(r: httpx.Response) -> tuple[bool, str]:
    loc = r.headers.get("location", "")
    return "evil" not in loc, f"{r.status_code} Location={loc!r}"


def evil_get(path: str, extra: dict | None = None, **kw) -> httpx.Response:
    return httpx.get(BASE + path, headers={"Host": "evil.example", **(extra or {})}, **kw)


@case
def h1(): return no_evil_location(evil_get("/login/"))
@case
def h2(): return no_evil_location(evil_get("/indicators/"))
@case
def h3(): return no_evil_location(evil_get("/api/v1/tasks/", {"Authorization": f"Bearer {who('viewer').token()}"}))
@case
def h4():
    r = httpx.post(BASE + "/api/v1/groups/", json={"code": "x"},
                   headers={"Host": "evil.example", "Authorization": f"Bearer {who('analyst').token()}"})
    return no_evil_location(r)
@case
def h5(): return no_evil_location(evil_get("/supervision/", {"Cookie": who("viewer").cookie()}))
@case
def h6():
    r = httpx.get(BASE + "/login/", headers={"X-Forwarded-Host": "evil.example"})
    return no_evil_location(r)
@case
def h7():
    resp = raw(f"GET /login/ HTTP/1.1\r\nHost: {HOST}:{PORT}@evil.example\r\nConnection: close\r\n\r\n".encode())
    loc = re.search(r"(?im)^location: (.*)$", head_of(resp))
    return not (loc and "evil" in loc.group(1)), head_of(resp).splitlines()[0] + f" loc={loc.group(1) if loc else ''}"
@case
def h8():
    r = evil_get("/login?next=/x")
    return "evil.example" not in r.text, f"{r.status_code} evil in page: {'evil.example' in r.text}"


# -- V: caches, Vary, ranges ---------------------------------------------------------------------
def varies_on_cookie(r: httpx.Response) -> tuple[bool, str]:
    vary = r.headers.get("vary", "")
    cc = r.headers.get("cache-control", "")
    ok = "cookie" in vary.lower() or "no-store" in cc or "private" in cc
    return ok, f"{r.status_code} vary={vary!r} cache-control={cc!r}"
@case
def v1():
    r = httpx.get(BASE + "/", cookies={"lantu_lang": "en"})
    ok, said = varies_on_cookie(r)
    en = 'lang="en' in r.text
    return ok and en, said + f" en={en}"
@case
def v2(): return varies_on_cookie(httpx.get(BASE + "/indicators", cookies={"lantu_lang": "en"}))
@case
def v3():
    r = httpx.get(BASE + "/static/css/lantu.css")
    etag = r.headers.get("etag")
    r2 = httpx.get(BASE + "/static/css/lantu.css", headers={"If-None-Match": etag or '"x"'})
    return r2.status_code == 304 and not r2.content, f"etag={etag} -> {r2.status_code}"
@case
def v4():
    r = httpx.get(BASE + "/static/css/lantu.css", headers={"Range": "bytes=0-9"})
    return r.status_code == 206 and len(r.content) == 10, f"{r.status_code} {len(r.content)}"
@case
def v5():
    t0 = time.perf_counter()
    r = httpx.get(BASE + "/static/css/lantu.css", headers={"Range": "bytes=" + "0-0," * 2000 + "0-0"}, timeout=60)
    dt = time.perf_counter() - t0
    return r.status_code < 500 and dt < 3, f"{r.status_code} {dt:.2f}s {len(r.content)} bytes"
@case
def v6():
    r = httpx.get(BASE + "/static/css/lantu.css", headers={"Range": "bytes=99999999-"})
    return r.status_code in (416, 200), str(r.status_code)
@case
def v7():
    r = who("viewer").api("GET", "/api/v1/notifications", headers={"If-None-Match": "*"})
    return r.status_code == 200 and "no-store" in r.headers.get("cache-control", ""), \
        f"{r.status_code} cc={r.headers.get('cache-control')}"
@case
def v8():
    r = who("rep_fgw").c.get("/reports/tasks.xlsx", headers={"Range": "bytes=0-9"}, timeout=180)
    ok = r.status_code in (200, 206, 429) and "no-store" in r.headers.get("cache-control", "")
    return ok, f"{r.status_code} len={len(r.content)} cc={r.headers.get('cache-control')}"


# -- S: sessions, cookies, revocation ------------------------------------------------------------
def login_raw(user: str, pw: str, headers: dict | None = None) -> httpx.Response:
    c = httpx.Client(base_url=BASE, follow_redirects=False, timeout=60)
    tok = csrf_of(c.get("/login", headers=headers or {}).text)
    return c.post("/login", data={"username": user, "password": pw, "csrf_token": tok, "next": "/"},
                  headers=headers or {})
@case
def s1():
    r = login_raw(VIEWER, STRONG)
    sc = [v for k, v in r.headers.multi_items() if k == "set-cookie" and "lantu_session=" in v]
    c = sc[0].lower() if sc else ""
    m = re.search(r"max-age=(\d+)", c)
    ok = bool(sc) and "httponly" in c and "samesite=lax" in c and "path=/" in c and "domain" not in c \
        and m is not None and int(m.group(1)) <= 28800
    return ok, sc[0] if sc else f"no cookie {r.status_code}"
@case
def s2():
    r = login_raw(VIEWER, STRONG, {"X-Forwarded-Proto": "https"})
    sc = " ".join(v for k, v in r.headers.multi_items() if k == "set-cookie")
    return "__Host-" not in sc and "strict-transport-security" not in r.headers, f"{r.status_code} {sc[:120]}"
@case
def s3():
    r = login_raw(VIEWER, STRONG, {"Forwarded": "proto=https;host=evil.example"})
    sc = " ".join(v for k, v in r.headers.multi_items() if k == "set-cookie")
    loc = r.headers.get("location", "")
    return "__Host-" not in sc and "evil" not in loc, f"{r.status_code} loc={loc} {sc[:80]}"
@case
def s4():
    u = Who(VIEWER, STRONG)
    r = u.c.post("/logout", data={})
    still = u.c.get("/account").status_code
    return r.status_code == 403 and still == 200, f"logout {r.status_code}, /account after {still}"
@case
def s5():
    u = fresh_user("viewer")
    b = Who(u.user, STRONG)
    r = u.form("/account/password", {"current": STRONG, "new": STRONG + "-x9", "again": STRONG + "-x9"})
    r2 = httpx.get(BASE + "/api/v1/notifications", headers={"Cookie": b.cookie()})
    r3 = b.c.get("/account")
    return r2.status_code == 401 and r3.status_code in (302, 303), \
        f"change {r.status_code}; B api {r2.status_code}; B page {r3.status_code}"
@case
def s6():
    u = fresh_user("viewer")
    before = u.cookie()
    r = u.form("/account/password", {"current": STRONG, "new": STRONG + "-x9", "again": STRONG + "-x9"})
    r2 = httpx.get(BASE + "/api/v1/notifications", headers={"Cookie": before})
    return r2.status_code == 401, f"change {r.status_code}; old cookie {r2.status_code}"
@case
def s7():
    u = fresh_user("analyst")
    tok = u.new_token()
    r = who("admin").form(f"/admin/users/{u.user}/update", {"role": "viewer", "department": ""})
    r2 = httpx.get(BASE + "/api/v1/notifications", headers={"Cookie": u.cookie()})
    r3 = httpx.post(BASE + "/api/v1/observations", headers={"Authorization": f"Bearer {tok}"},
                    json={"region_code": "140100", "period": "2019", "indicator": "gdp", "value": 4100,
                          "unit": "亿元", "source_url": SRC})
    return r2.status_code == 401 and r3.status_code in (401, 403), \
        f"update {r.status_code}; old cookie {r2.status_code}; token write {r3.status_code}"
def revoked_token() -> str:
    u = who("rep_fgw")
    tok = u.new_token()
    page = u.c.get("/account").text
    ids = re.findall(r'/account/tokens/(\d+)/revoke', page)
    for i in ids:  # the newest is revoked: try each until the token stops working
        u.form(f"/account/tokens/{i}/revoke", {})
        if httpx.get(BASE + "/api/v1/notifications", headers={"Authorization": f"Bearer {tok}"}).status_code == 401:
            break
    u._token = None
    return tok
@case
def s8():
    tok = revoked_token()
    h = {"Authorization": f"Bearer {tok}"}
    a = httpx.get(BASE + "/reports/tasks.xlsx", headers=h, timeout=120)
    b = httpx.get(BASE + "/supervision", headers=h)
    ok = all(r.status_code in (401, 302, 303) for r in (a, b))
    return ok, f"xlsx {a.status_code}, supervision {b.status_code}"
@case
def s9():
    tok = revoked_token()
    h = {"Authorization": f"Bearer {tok}"}
    a = httpx.get(BASE + "/api/v1/notifications", headers=h)
    b = httpx.post(BASE + "/api/v1/tasks", headers=h, json={"title": "x"})
    return a.status_code == 401 and b.status_code == 401, f"{a.status_code} {b.status_code}"
@case
def s10():
    tok = revoked_token()
    r = httpx.get(BASE + "/review/evidence/1", headers={"Authorization": f"Bearer {tok}"})
    return r.status_code in (401, 302, 303, 404), str(r.status_code)
@case
def s11():
    r = login_raw("REP_FGW", password("rep_fgw"))
    if r.status_code in (302, 303):
        c = httpx.Client(base_url=BASE, cookies=r.cookies)
        me = c.get("/account").text
        return "rep_fgw" in me, f"signed in; page names rep_fgw: {'rep_fgw' in me}"
    return r.status_code < 500, str(r.status_code)
@case
def s12():
    tok = who("viewer").new_token(username="admin", role="admin")
    r = httpx.post(BASE + "/api/v1/observations", headers={"Authorization": f"Bearer {tok}"},
                   json={"region_code": "140100", "period": "2019", "indicator": "gdp", "value": 4100,
                         "unit": "亿元", "source_url": SRC})
    return r.status_code == 403, str(r.status_code)


# -- C: concurrency ------------------------------------------------------------------------------
def at_once(fns: list[Callable[[], httpx.Response]]) -> list[int]:
    with ThreadPoolExecutor(len(fns)) as ex:
        futs = [ex.submit(f) for f in fns]
        out = []
        for f in futs:
            try:
                out.append(f.result().status_code)
            except Exception as e:
                out.append(type(e).__name__)
    return out


def no5xx(codes: list) -> bool:
    return all(isinstance(c, int) and c < 500 for c in codes)
@case
def c1():
    code = f"p17r{RUN}"
    a = who("admin")
    a.token()
    codes = at_once([lambda: a.api("PUT", f"/api/v1/groups/{code}", json={
        "code": code, "name_zh": "探针组", "members": ["140100", "140200"]})] * 8)
    g = a.api("GET", f"/api/v1/groups/{code}").status_code
    return no5xx(codes) and g == 200, f"{codes} then GET {g}"
@case
def c2():
    a = who("admin")
    name = f"p17race{RUN}"
    tok = a.csrf()
    codes = at_once([lambda: a.c.post("/admin/users", data={"username": name, "password": STRONG, "role": "viewer",
                                                              "csrf_token": tok})] * 8)
    n = a.c.get("/admin/users").text.count(f">{name}<")
    return no5xx(codes), f"{codes} rows shown {n}"
@case
def c3():
    a = who("analyst")
    a.token()
    body = {"region_code": "140100", "period": "2018", "indicator": "gdp", "value": 3900 + hash(RUN) % 90,
            "unit": "亿元", "source_url": SRC}
    codes = at_once([lambda: a.api("POST", "/api/v1/observations", json=body)] * 8)
    return no5xx(codes), str(codes)
@case
def c4():
    u = who("viewer")
    tok = u.csrf()
    codes = at_once([lambda: u.c.post("/account/tokens", data={"name": "p17same", "password": STRONG,
                                                                "csrf_token": tok})] * 8)
    return no5xx(codes), str(codes)
@case
def c5():
    u = who("rep_fgw")
    tok = u.csrf()
    codes = at_once([lambda: u.c.post("/notifications/read-all", data={"csrf_token": tok})] * 8)
    return no5xx(codes), str(codes)
@case
def c6():
    s = who("supervisor")
    s.token()
    v = s.api("GET", f"/api/v1/tasks/{T}").json()["version"]
    codes = at_once([lambda i=i: s.api("PATCH", f"/api/v1/tasks/{T}", json={"version": v, "reason": "p17",
                                                                   "title_en": f"p17 {RUN} {i}"})
                     for i in range(8)])
    return no5xx(codes) and codes.count(200) == 1 and codes.count(409) == 7, str(codes)
@case
def c7():
    u = fresh_user("viewer")  # its own user: the eight count as failures until checked
    codes = at_once([lambda: login_raw(u.user, STRONG)] * 8)
    return all(c in (302, 303) for c in codes), str(codes)
@case
def c8():
    s = who("supervisor")
    s.token()
    codes = at_once([lambda: s.api("POST", f"/api/v1/tasks/{T}/reminders", json={"message": "p17 催办"})] * 8)
    return no5xx(codes), str(codes)


# -- W: wide, encoded, amplified bodies -----------------------------------------------------------
def bounded(r: httpx.Response, dt: float, limit: float = 5) -> tuple[bool, str]:
    ok = 400 <= r.status_code < 500 and len(r.content) < 65536 and dt < limit
    return ok, f"{r.status_code} {len(r.content)} bytes {dt:.2f}s"
def timed(fn: Callable[[], httpx.Response]) -> tuple[httpx.Response, float]:
    t0 = time.perf_counter()
    r = fn()
    return r, time.perf_counter() - t0
@case
def w1():
    body = {"region_code": "140100", "period": "2019", "indicator": "gdp", "value": 1, "unit": "亿元",
            "source_url": SRC, **{f"k{i}": 1 for i in range(100_000)}}
    return bounded(*timed(lambda: who("analyst").api("POST", "/api/v1/observations", json=body)))
@case
def w2():
    body = {"code": f"p17w{RUN}", "name_zh": "组", "members": [f"x{i}" for i in range(100_000)]}
    return bounded(*timed(lambda: who("analyst").api("PUT", f"/api/v1/groups/p17w{RUN}", json=body)))
@case
def w3():
    body = [{"title": i} for i in range(100_000)]
    return bounded(*timed(lambda: who("supervisor").api("POST", "/api/v1/tasks", json=body)))
@case
def w4():
    body = {"region_code": "140100", "period": "2017", "indicator": "gdp", "value": 3100, "unit": "亿元",
            "source_url": SRC, "excerpt": "utf16"}
    r = who("analyst").api("POST", "/api/v1/observations", content=json.dumps(body).encode("utf-16"),
                           headers={"Content-Type": "application/json; charset=utf-16"})
    return 400 <= r.status_code < 500, f"{r.status_code} {r.text[:120]!r}"
@case
def w5():
    body = {"region_code": "140100", "period": "2017", "indicator": "gdp", "value": 3101, "unit": "亿元",
            "source_url": SRC, "excerpt": "gzip"}
    r = who("analyst").api("POST", "/api/v1/observations", content=gzip.compress(json.dumps(body).encode()),
                           headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    return 400 <= r.status_code < 500, f"{r.status_code} {r.text[:120]!r}"
@case
def w6():
    text = "\\u4e00" * 1_000_000
    body = ('{"region_code": "140100", "period": "2019", "indicator": "gdp", "value": 1, "unit": "亿元", '
            f'"source_url": "{SRC}", "excerpt": "{text}"}}').encode()
    r, dt = timed(lambda: who("analyst").api("POST", "/api/v1/observations", content=body,
                                              headers={"Content-Type": "application/json"}))
    return 400 <= r.status_code < 500 and dt < 5, f"{r.status_code} {dt:.2f}s {r.text[:100]!r}"
@case
def w7():
    r, dt = timed(lambda: who("viewer").api("GET", "/api/v1/observations", params={"indicator": "g" * 10_000}))
    ok = (400 <= r.status_code < 500 or (r.status_code == 200 and r.json() in ([], {"items": []}))) \
        and dt < 3 and len(r.content) < 65536
    return ok, f"{r.status_code} {len(r.content)} bytes {dt:.2f}s"


# -- P: paths, ids, static -----------------------------------------------------------------------
def raw_get(path: str, extra: str = "") -> str:
    return head_of(raw(f"GET {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\n{extra}Connection: close\r\n\r\n".encode()))
def code_of(head: str) -> int:
    return int(head.split(" ", 2)[1]) if head.startswith("HTTP/") else 0
def paths_give(paths: list[str], ok: tuple[int, ...], extra: str = "") -> tuple[bool, str]:
    codes = [code_of(raw_get(p, extra)) for p in paths]
    return all(c in ok for c in codes), str(codes)
def bearer(user: str) -> str:
    return f"Authorization: Bearer {who(user).token()}\r\n"
@case
def p1(): return paths_give(["/static/..%2f..%2fapp.py", "/static/..%2F..%2Fapp.py"], (404,))
@case
def p2(): return paths_give(["/static/%2e%2e/templates/base.html", "/static/%2e%2e%2ftemplates%2fbase.html"], (404,))
@case
def p3(): return paths_give(["/maps/..%2f..%2f__init__.py"], (404,))
@case
def p4(): return paths_give(["/api/v1/docs/assets/..%2f..%2fapp.py"], (404,))
@case
def p5(): return paths_give(["/api/v1/groups/a%2Fb"], (404, 422), f"Authorization: Bearer {who('viewer').token()}\r\n")
@case
def p6(): return paths_give(["/indicators/export.CSV", "/indicators/export.json", "/indicators/export.csv%2f"], (404, 422))
@case
def p7(): return paths_give(["/api/v1/observations/+1"], (404, 422), bearer("viewer"))
@case
def p8(): return paths_give(["/api/v1/observations/%201", "/api/v1/observations/1%20"], (404, 422),
                            bearer("viewer"))
@case
def p9(): return paths_give(["/plan/..%2F..%2Fetc%2Fpasswd"], (404,))


# -- X: cross-origin and header trust ------------------------------------------------------------
@case
def x1():
    r = who("viewer").api("GET", "/api/v1/notifications", headers={"Origin": "https://evil.example"})
    return "access-control-allow-origin" not in r.headers, f"{r.status_code} acao={r.headers.get('access-control-allow-origin')}"
@case
def x2():
    r = httpx.options(BASE + "/api/v1/observations", headers={"Origin": "https://evil.example",
                                                             "Access-Control-Request-Method": "POST"})
    return not (200 <= r.status_code < 300) and "access-control-allow-origin" not in r.headers, str(r.status_code)
@case
def x3():
    r = who("viewer").c.get("/", headers={"X-Original-URL": "/admin/users", "X-Rewrite-URL": "/admin/users"})
    return r.status_code == 200 and "/admin/users/" not in r.text, str(r.status_code)
@case
def x4():
    heads = [raw_get("/api/v1/regions?q=a%00b"), raw_get("/static/nothing.css"),
             head_of(raw(f"DELETE /api/v1/regions HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nConnection: close\r\n\r\n".encode()))]
    ok = all("content-security-policy" in h.lower() and "nosniff" in h.lower() for h in heads)
    return ok, str([h.splitlines()[0] for h in heads])
@case
def x5():
    r = httpx.get(BASE + "/api/v1/docs")
    csp = r.headers.get("content-security-policy", "")
    return r.status_code == 200 and "frame-ancestors 'none'" in csp, f"{r.status_code} {csp[:80]}"


# -- L: the language parameter -------------------------------------------------------------------
@case
def l1():
    head = raw_get("/?lang=en%0d%0aSet-Cookie:%20x=1")
    return code_of(head) == 200 and not re.search(r"(?im)^set-cookie: x=", head), head.splitlines()[0]
@case
def l2():
    r = httpx.get(BASE + "/", params={"lang": "../../etc/passwd"})
    return r.status_code == 200 and 'lang="zh' in r.text and "../../etc/passwd" not in r.text, str(r.status_code)
@case
def l3():
    r = httpx.get(BASE + "/", cookies={"lantu_lang": "<script>alert(1)</script>"})
    return r.status_code == 200 and "<script>alert" not in r.text and 'lang="zh' in r.text, str(r.status_code)
@case
def l4():
    r = httpx.get(BASE + "/", params={"lang": "en"})
    sc = r.headers.get("set-cookie", "").lower()
    return "lantu_lang=en" in sc and "samesite" in sc and "path=/" in sc and \
        "no-store" in r.headers.get("cache-control", ""), f"{sc} cc={r.headers.get('cache-control')}"


# -- N: the addendum (neighbours of what the first run found) ------------------------------------
@case
def n1():
    r = httpx.head(BASE + "/login/", headers={"Host": "evil.example"})
    loc = r.headers.get("location", "")
    return loc.startswith("/") and "evil" not in loc, f"{r.status_code} {loc!r}"
@case
def n2():
    locs = [evil_get(p).headers.get("location", "") for p in ("/static", "/maps")]
    return not any("evil" in x for x in locs), str(locs)
@case
def n3():
    head = head_of(raw(b"GET /indicators/ HTTP/1.0\r\n\r\n"))
    loc = re.search(r"(?im)^location: (.*)$", head)
    return bool(loc) and loc.group(1).strip().startswith("/"), head.splitlines()[0] + f" {loc.group(1) if loc else ''}"
@case
def n4():
    r = evil_get("/api/v1/openapi.json")
    return r.status_code == 200 and "evil.example" not in r.text, str(r.status_code)
@case
def n5():
    r = evil_get("/api/v1/docs")
    return r.status_code == 200 and "evil.example" not in r.text, str(r.status_code)
@case
def n6():
    q = "&".join(["level=bad"] * 3000)
    r = who("viewer").api("GET", "/api/v1/regions?" + q)
    return r.status_code == 422 and len(r.content) < 65536, f"{r.status_code} {len(r.content)} bytes"
def wide(method: str, path: str, user: str, base: dict) -> tuple[bool, str]:
    body = {**base, **{f"k{i}": 1 for i in range(100_000)}}
    r = who(user).api(method, path, json=body)
    return 400 <= r.status_code < 500 and len(r.content) < 65536, f"{r.status_code} {len(r.content)} bytes"
@case
def n7(): return wide("PUT", f"/api/v1/groups/p17n{RUN}", "analyst", {"code": f"p17n{RUN}", "name_zh": "组", "members": ["140100"]})
@case
def n8():
    v = who("supervisor").api("GET", f"/api/v1/tasks/{T}").json()["version"]
    return wide("PATCH", f"/api/v1/tasks/{T}", "supervisor", {"version": v, "reason": "p17"})
@case
def n9(): return wide("POST", f"/api/v1/tasks/{T}/reminders", "supervisor", {"message": "p17"})
@case
def n10(): return varies_on_cookie(httpx.get(BASE + "/comparison", cookies={"lantu_lang": "en"}))
@case
def n11():
    r = httpx.get(BASE + "/static/css/lantu.css")
    return "cookie" not in r.headers.get("vary", "").lower(), f"vary={r.headers.get('vary')!r}"
@case
def n12(): return varies_on_cookie(httpx.get(BASE + "/nothing-here", cookies={"lantu_lang": "en"}))


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
