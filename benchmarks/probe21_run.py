"""Run the thirteenth round's web and API cases (benchmarks/probe21_cases.md) over HTTP.

Against a served app (``lantu demo --port N``, SQLite or ``--db postgresql+psycopg://…``):
``python benchmarks/probe21_run.py http://127.0.0.1:8721 [IDS…]``. Each case prints ``RIGHT`` or
``WRONG`` with what was answered (``N/A`` when the probe itself failed). It is a probe, not a
test: it writes to the database it is pointed at (a task of its own, fresh users)."""

from __future__ import annotations

import json
import re
import socket
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from functools import partial
from urllib.parse import urlsplit

import httpx

for _name in ("get", "head", "options", "request"):  # httpx's default of 5 s is no probe's
    setattr(httpx, _name, partial(getattr(httpx, _name), timeout=120))

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8721"
ONLY = {a.upper() for a in sys.argv[2:] if re.fullmatch(r"[A-Za-z]\d+", a)}
CASES: dict[str, Callable[[], tuple[bool | None, str]]] = {}
RUN = uuid.uuid4().hex[:6]
HOST, PORT = urlsplit(BASE).hostname or "", urlsplit(BASE).port or 80
STRONG = "copper-meadow-signal-4410"
STRONG2 = "violet-harbour-lantern-8823"
SRC = "https://tjj.taiyuan.gov.cn/p21"
LEAD, SUPP, XDEPT = "fgw", "czj", "xfj"
TODAY = date.today()
MONTH = TODAY.strftime("%Y-%m")
PREV_MONTH = (TODAY.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


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
        self.c = httpx.Client(base_url=BASE, timeout=120, follow_redirects=False)
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
        r = self.form("/account/tokens", {"name": f"p21-{uuid.uuid4().hex[:6]}", "password": self.pw})
        return re.search(r"\b(lt_[A-Za-z0-9_\-]{20,})", r.text).group(1)

    def token(self) -> str:
        if self._token is None:
            self._token = self.new_token()
        return self._token

    def api(self, method: str, path: str, **kw) -> httpx.Response:
        h = {"Authorization": f"Bearer {self.token()}", **kw.pop("headers", {})}
        return httpx.request(method, BASE + path, headers=h, timeout=120, **kw)

    def cookie_value(self) -> str:
        return self.c.cookies.get("lantu_session") or ""

    def signed_in(self) -> bool:
        return self.c.get("/account").status_code == 200


_WHO: dict[str, Who] = {}


def who(user: str) -> Who:
    if user not in _WHO:
        _WHO[user] = Who(user)
    return _WHO[user]


def fresh_user(role: str, dept: str = "") -> Who:
    name = f"p21{role[:3]}{uuid.uuid4().hex[:6]}"
    r = who("admin").form("/admin/users", {"username": name, "password": STRONG, "role": role,
                                            "department": dept, "display_name": "探针"})
    assert r.status_code in (302, 303), (r.status_code, r.text[:300])
    return Who(name, STRONG)


def status(r: httpx.Response, *ok: int) -> tuple[bool, str]:
    return r.status_code in ok, f"{r.status_code} {r.text[:140]!r}"


def raw(request: bytes, timeout: float = 30) -> bytes:
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


SUP = lambda: who("supervisor")  # noqa: E731
RF = lambda: who(f"rep_{LEAD}")  # noqa: E731
RS = lambda: who(f"rep_{SUPP}")  # noqa: E731
RX = lambda: who(f"rep_{XDEPT}")  # noqa: E731


# -- the world: a task of the probe's own ---------------------------------------------------------
def new_task(title: str = "探针任务") -> int:
    plan = SUP().api("GET", "/api/v1/plans").json()["data"][0]["code"]
    due = (TODAY + timedelta(days=365)).isoformat()
    r = SUP().api("POST", "/api/v1/tasks", json={
        "plan": plan, "title": f"{title}{RUN}", "lead_department": LEAD,
        "supporting_departments": [SUPP], "start": (TODAY - timedelta(days=800)).isoformat(),
        "due": due, "milestones": [{"title": "里程碑", "due": due}]})
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


def reports_of(dept: str, tid: int | None = None) -> list[dict]:
    """Every report of ``dept`` on the task, read by that department's reporter (drafts too)."""
    u = who(f"rep_{dept}")
    code = task(tid)["code"]
    return [r for r in u.api("GET", f"/api/v1/progress-reports?department={dept}").json()["data"]
            if r["task_code"] == code]


def report_row(rid: int) -> dict | None:
    for dept in (LEAD, SUPP):
        for r in who(f"rep_{dept}").api("GET", f"/api/v1/progress-reports?department={dept}").json()["data"]:
            if r["id"] == rid:
                return r
    return None


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


def events(kind: str, tid: int | None = None) -> int:
    return sum(1 for e in history(tid) if e.get("kind") == kind)


# -- C: the cycle --------------------------------------------------------------------------------
@case
def c1():
    r = report(RX(), version="0")
    mine = [x for x in RX().api("GET", f"/api/v1/progress-reports?department={XDEPT}").json()["data"]
            if x["task_code"] == task()["code"]]
    return r.status_code == 404 and not mine, f"{r.status_code}; X's reports on T {len(mine)}"
@case
def c2():
    r = RX().form(f"/supervision/tasks/{T}/acknowledge", {})
    return r.status_code in (403, 404) and task()["acknowledged_at"] is None, f"{r.status_code} ack={task()['acknowledged_at']}"
@case
def c3():
    r = RX().form(f"/supervision/tasks/{T}/extension", {"due": (TODAY + timedelta(days=500)).isoformat(), "reason": "x"})
    n = len(SUP().api("GET", f"/api/v1/tasks/{T}/requests").json())
    return r.status_code in (403, 404) and n == 0, f"{r.status_code} requests={n}"
@case
def c4():
    r = RX().form(f"/supervision/tasks/{T}/closure", {"comment": "x"})
    n = len(SUP().api("GET", f"/api/v1/tasks/{T}/requests").json())
    return r.status_code in (403, 404) and n == 0, f"{r.status_code} requests={n}"
@case
def c5():
    r = RS().api("POST", f"/api/v1/tasks/{T}/acknowledge")
    return r.status_code == 403 and task()["acknowledged_at"] is None, f"{r.status_code} ack={task()['acknowledged_at']}"
@case
def c6():
    r = RS().api("POST", f"/api/v1/tasks/{T}/extension-requests", json={"due": (TODAY + timedelta(days=500)).isoformat(), "reason": "x"})
    return status(r, 403)
@case
def c7(): return status(RS().api("POST", f"/api/v1/tasks/{T}/closure-requests", json={"comment": "x"}), 403)
@case
def c8():
    r = RS().form(f"/supervision/tasks/{T}/parts", {"title": "分项", "unit": "处室"})
    return r.status_code in (403, 404) and not task()["parts"], f"{r.status_code} parts={len(task()['parts'])}"
@case
def c9():
    plan = task()["plan"] if "plan" in task() else SUP().api("GET", "/api/v1/plans").json()["data"][0]["code"]
    r = RS().api("POST", "/api/v1/tasks", json={"plan": plan, "parent": T, "title": "分项", "unit": "处室", "weight": 1})
    return r.status_code in (403, 404) and not task()["parts"], f"{r.status_code} {r.text[:100]!r} parts={len(task()['parts'])}"
_S_RID: list[int] = []
@case
def c10():
    rid = submitted_report(RS(), MONTH)
    _S_RID.append(rid)
    row = report_row(rid)
    return bool(row) and row["department_code"] == SUPP and row["status"] == "submitted", f"{row and (row['department_code'], row['status'])}"
_R: list[int] = []
@case
def c11():
    rid = submitted_report(RF(), MONTH)
    _R.append(rid)
    v = review_version(rid)
    a = SUP().form(f"/supervision/reports/{rid}/review", {"decision": "approve", "version": v})
    b = SUP().form(f"/supervision/reports/{rid}/review", {"decision": "approve", "version": v})
    n = sum(1 for e in history() if e.get("kind") == "approved")
    return a.status_code == 303 and b.status_code == 409 and n == 1, f"{a.status_code} then {b.status_code}; approved events {n}"
@case
def c12():
    rid = submitted_report(RF(), PREV_MONTH)
    r = SUP().form(f"/supervision/reports/{rid}/review", {"decision": "approve"})
    row = report_row(rid)
    return r.status_code == 428 and row["status"] == "submitted", f"{r.status_code} {row['status']}"
@case
def c13():
    rid = _S_RID[0] if _S_RID else submitted_report(RS(), MONTH)
    v = review_version(rid)
    before = len(history())
    with ThreadPoolExecutor(2) as ex:
        fa = ex.submit(SUP().form, f"/supervision/reports/{rid}/review", {"decision": "approve", "version": v})
        fb = ex.submit(who("admin").form, f"/supervision/reports/{rid}/review", {"decision": "return", "comment": "退回", "version": v})
        codes = sorted([fa.result().status_code, fb.result().status_code])
    decided = [e for e in history()[:] if e.get("kind") in ("approved", "returned")]
    return codes == [303, 409] and len(history()) - before == 1, f"{codes} new events {len(history()) - before} decisions {len(decided)}"
@case
def c14():
    r0 = report(RF(), month="2026-01" if MONTH != "2026-01" else "2025-12")
    rid = draft_id(RF(), "2026-01" if MONTH != "2026-01" else "2025-12")
    r = SUP().form(f"/supervision/reports/{rid}/review", {"decision": "approve", "version": "1"})
    row = report_row(rid)
    return r.status_code == 409 and row["status"] == "draft", f"save {r0.status_code}; review {r.status_code} {row['status']}"
@case
def c15():
    rid = submitted_report(RF(), "2025-11")
    r = SUP().form(f"/supervision/reports/{rid}/review", {"decision": "return", "comment": " ", "version": review_version(rid)})
    return r.status_code == 422 and report_row(rid)["status"] == "submitted", f"{r.status_code} {report_row(rid)['status']}"
@case
def c16():
    if not _R:
        return None, "C11 did not run"
    rid = _R[0]
    before = report_row(rid)
    r = report(RF(), month=MONTH, text="改写")
    after = report_row(rid)
    return r.status_code == 409 and after["text"] == before["text"] and after["status"] == "approved", f"{r.status_code} {after['status']} {after['text']!r}"
_EXT: list[int] = []
@case
def c17():
    due0 = task()["due"]
    a = RF().api("POST", f"/api/v1/tasks/{T}/extension-requests", json={"due": (TODAY + timedelta(days=400)).isoformat(), "reason": "延期"})
    rid = a.json()["id"]
    g1 = SUP().api("POST", f"/api/v1/extension-requests/{rid}/decision", json={"grant": True})
    g2 = SUP().api("POST", f"/api/v1/extension-requests/{rid}/decision", json={"grant": True})
    n = events("extended")
    return a.status_code == 201 and g1.status_code == 200 and g2.status_code == 409 and n == 1, f"ask {a.status_code} grant {g1.status_code} replay {g2.status_code} extended×{n} due {due0}→{task()['due']}"
@case
def c18():
    a = RF().api("POST", f"/api/v1/tasks/{T}/extension-requests", json={"due": (TODAY + timedelta(days=450)).isoformat(), "reason": "再延期"})
    if a.status_code != 201:
        return None, f"ask {a.status_code} {a.text[:100]}"
    rid = a.json()["id"]
    _EXT.append(rid)
    with ThreadPoolExecutor(2) as ex:
        f1 = ex.submit(SUP().api, "POST", f"/api/v1/extension-requests/{rid}/decision", json={"grant": True})
        f2 = ex.submit(who("admin").api, "POST", f"/api/v1/extension-requests/{rid}/decision", json={"grant": False, "comment": "不同意"})
        codes = sorted([f1.result().status_code, f2.result().status_code])
    return codes == [200, 409], str(codes)
@case
def c19():
    a = RF().api("POST", f"/api/v1/tasks/{T}/extension-requests", json={"due": (TODAY + timedelta(days=480)).isoformat(), "reason": "第三次"})
    if a.status_code != 201:
        return None, f"ask {a.status_code}"
    rid = a.json()["id"]
    r = SUP().form(f"/supervision/closure-requests/{rid}/decision", {"decision": "grant"})
    st = {x["id"]: x["status"] for x in SUP().api("GET", f"/api/v1/tasks/{T}/requests").json() if x["kind"] == "extension"}
    SUP().api("POST", f"/api/v1/extension-requests/{rid}/decision", json={"grant": False, "comment": "清理"})
    return r.status_code == 404 and task()["status"] != "closed" and st.get(rid) == "pending", f"{r.status_code} task {task()['status']} request {st.get(rid)}"
@case
def c20(): return status(SUP().form("/supervision/foo-requests/1/decision", {"decision": "grant"}), 404)


# closing T: a draft first, a unit part, then the closure
_DRAFT: list[int] = []
_PART: list[int] = []
_CLOSURE: list[int] = []


def close_t() -> None:
    if _CLOSURE:
        return
    month = "2025-10"
    r = report(RF(), month=month)
    assert r.status_code == 303, (r.status_code, r.text[:200])
    _DRAFT.append(draft_id(RF(), month))
    plan = SUP().api("GET", "/api/v1/plans").json()["data"][0]["code"]
    p = RF().api("POST", "/api/v1/tasks", json={"plan": plan, "parent": T, "title": "分项", "unit": "综合处", "weight": 1})
    assert p.status_code == 201, (p.status_code, p.text[:200])
    _PART.append(p.json()["id"])
    c = RF().api("POST", f"/api/v1/tasks/{T}/closure-requests", json={"comment": "已完成"})
    assert c.status_code == 201, (c.status_code, c.text[:200])
    d = SUP().api("POST", f"/api/v1/closure-requests/{c.json()['id']}/decision", json={"grant": True})
    assert d.status_code == 200 and task()["status"] == "closed", (d.status_code, d.text[:200])
    _CLOSURE.append(c.json()["id"])


@case
def c21():
    close_t()
    r = RF().form(f"/supervision/reports/{_DRAFT[0]}/submit", {})
    return r.status_code == 409 and report_row(_DRAFT[0])["status"] == "draft", f"{r.status_code} {report_row(_DRAFT[0])['status']}"
@case
def c22():
    close_t()
    r = report(RF(), month="2025-09", version="0")
    n = [x for x in reports_of(LEAD) if x["month"] == "2025-09"]
    return r.status_code == 409 and not n, f"{r.status_code} stored {len(n)}"
@case
def c23():
    close_t()
    r = report(RF(), month="2025-10", files=[("evidence", ("e.txt", "证据".encode(), "text/plain"))])
    page_t = page(RF(), "2025-10")
    return r.status_code == 409 and "/supervision/evidence/" not in page_t, f"{r.status_code} file shown={'/supervision/evidence/' in page_t}"
@case
def c24():
    close_t()
    r = RF().api("POST", f"/api/v1/tasks/{_PART[0]}/unit-progress", json={"percent": 50})
    pr = task(_PART[0])["progress"]
    return r.status_code == 409 and pr == 0, f"{r.status_code} progress {pr}"
@case
def c25():
    close_t()
    a = RF().api("POST", f"/api/v1/tasks/{T}/extension-requests", json={"due": (TODAY + timedelta(days=700)).isoformat(), "reason": "关后延期"})
    b = RF().api("POST", f"/api/v1/tasks/{T}/closure-requests", json={"comment": "再销号"})
    return a.status_code == 409 and b.status_code == 409, f"extension {a.status_code}; closure {b.status_code}"
@case
def c26():
    close_t()
    a = RF().api("POST", f"/api/v1/tasks/{T}/acknowledge")
    b = RF().form(f"/supervision/tasks/{T}/acknowledge", {})
    ack = task()["acknowledged_at"]
    return a.status_code == 409 and b.status_code == 409 and ack is None, f"API {a.status_code}; page {b.status_code}; acknowledged_at {ack}"
@case
def c27():
    close_t()
    a = SUP().api("POST", f"/api/v1/tasks/{T}/reminders", json={"message": "催办"})
    text = SUP().c.get(f"/supervision/tasks/{T}").text
    mids = task()["milestones"]
    mid = mids[0].get("id") if mids else None
    if mid is None:
        found = re.findall(rf"/supervision/tasks/{T}/milestones/(\d+)", text)
        mid = found[0] if found else None
    b = SUP().form(f"/supervision/tasks/{T}/milestones/{mid}", {"done_on": TODAY.isoformat()}) if mid else None
    return a.status_code == 409 and (b is None or b.status_code == 409), f"reminder {a.status_code}; milestone {b.status_code if b else 'no form (closed)'}"
@case
def c28():
    close_t()
    r = SUP().api("POST", f"/api/v1/closure-requests/{_CLOSURE[0]}/decision", json={"grant": True})
    return status(r, 409)
@case
def c29():
    close_t()
    a = SUP().api("POST", f"/api/v1/tasks/{T}/reopen", json={"reason": " "})
    b = SUP().api("POST", f"/api/v1/tasks/{T}/reopen", json={"reason": "重新打开"})
    c = SUP().api("POST", f"/api/v1/tasks/{T}/reopen", json={"reason": "重新打开"})
    return (a.status_code, b.status_code, c.status_code) == (422, 200, 409), f"{a.status_code} {b.status_code} {c.status_code}"
@case
def c30():
    T2 = new_task("数字")
    codes = [report(RF(), month=MONTH, tid=T2, percent=p).status_code for p in ("1e400", "NaN", "Infinity")]
    z = report(RF(), month=MONTH, tid=T2, percent="-0")
    rows = [x for x in reports_of(LEAD, T2) if x["month"] == MONTH]
    shown = "-0%" in page(RF(), MONTH, T2)
    return codes == [422] * 3 and z.status_code == 303 and rows and rows[0]["percent"] == 0 and not shown, f"{codes}; -0 {z.status_code} stored {rows and rows[0]['percent']} '-0%' shown {shown}"
@case
def c31():
    T3 = new_task("分项")
    plan = SUP().api("GET", "/api/v1/plans").json()["data"][0]["code"]
    p = RF().api("POST", "/api/v1/tasks", json={"plan": plan, "parent": T3, "title": "分项", "unit": "综合处", "weight": 1})
    pid = p.json()["id"]
    a = RF().api("POST", f"/api/v1/tasks/{pid}/unit-progress", content=b'{"percent": 1e400}', headers={"Content-Type": "application/json"})
    b = RF().api("POST", f"/api/v1/tasks/{pid}/unit-progress", content=b'{"percent": -0.0}', headers={"Content-Type": "application/json"})
    pr = task(pid)["progress"]
    return a.status_code == 422 and b.status_code == 200 and str(pr) in ("0", "0.0"), f"1e400 {a.status_code}; -0.0 {b.status_code} progress {pr!r}"
@case
def c32():
    T4 = new_task("权重")
    codes = [RF().form(f"/supervision/tasks/{T4}/parts", {"title": "分项", "unit": "处室", "weight": w}).status_code
             for w in ("1e400", "inf", "0", "100.0001")]
    return codes == [422] * 4 and not task(T4)["parts"], f"{codes} parts {len(task(T4)['parts'])}"
@case
def c33():
    codes = [SUP().api("GET", f"/api/v1/assessment?year={y}").status_code for y in ("2024.0", "1e3", "99999999999999999999")]
    rep = RF().api("GET", "/api/v1/assessment?year=2024").status_code
    return codes == [422] * 3 and rep == 403, f"{codes} rep {rep}"
@case
def c34():
    u = fresh_user("reporter", LEAD)
    name = u.user
    m = who("admin").form(f"/admin/users/{name}/update", {"role": "reporter", "department": XDEPT})
    # T was reopened by C29; a report of next month
    r = report(u, month=PREV_MONTH, version="0")
    return r.status_code == 404, f"move {m.status_code}; report {r.status_code}"
@case
def c35():
    u = fresh_user("reporter", LEAD)
    u.csrf()
    d = who("admin").form(f"/admin/users/{u.user}/active", {"active": "false"})
    r = report(u, month="2025-08", version="0")
    stored = [x for x in reports_of(LEAD) if x["month"] == "2025-08"]
    return r.status_code in (303, 401) and (r.status_code == 401 or "/login" in r.headers.get("location", "")) and not stored, f"disable {d.status_code}; report {r.status_code} {r.headers.get('location')} stored {len(stored)}"
@case
def c36():
    u = fresh_user("reporter", LEAD)
    u.csrf()
    RF().csrf()
    month = "2025-07"
    with ThreadPoolExecutor(2) as ex:
        fs = [ex.submit(report, w, month, "save", None, None, version="0") for w in (RF(), u)]
        codes = sorted(f.result().status_code for f in fs)
    n = [x for x in reports_of(LEAD) if x["month"] == month]
    return codes == [303, 409] and len(n) == 1, f"{codes} reports {len(n)}"


# -- S: sessions --------------------------------------------------------------------------------
def login(c: httpx.Client, user: str, pw: str, next_: str = "/") -> httpx.Response:
    r = c.get("/login")
    if r.status_code == 303:  # signed in already: the login form's token is the session's
        r = c.get("/account")
    return c.post("/login", data={"username": user, "password": pw, "csrf_token": csrf_of(r.text), "next": next_})


@case
def s1():
    chosen = "A" * 43
    c = httpx.Client(base_url=BASE, timeout=60)
    c.cookies.set("lantu_session", chosen)
    r = login(c, "viewer", "viewer-demo-2026")
    new = r.cookies.get("lantu_session")
    c2 = httpx.Client(base_url=BASE, timeout=60, cookies={"lantu_session": chosen})
    out = c2.get("/account").status_code
    return r.status_code == 303 and new and new != chosen and out == 303, f"login {r.status_code} new cookie differs {new != chosen}; chosen→/account {out}"
@case
def s2():
    c = httpx.Client(base_url=BASE, timeout=60)
    login(c, "viewer", "viewer-demo-2026")
    old = c.cookies.get("lantu_session")
    login(c, "analyst", "analyst-demo-2026")
    c2 = httpx.Client(base_url=BASE, timeout=60, cookies={"lantu_session": old})
    return status(c2.get("/account"), 303)
@case
def s3():
    u = fresh_user("viewer")
    old = u.cookie_value()
    u.form("/logout", {})
    c2 = httpx.Client(base_url=BASE, timeout=60, cookies={"lantu_session": old})
    a, b = c2.get("/account"), c2.get("/api/v1/notifications")
    return a.status_code == 303 and "/login" in a.headers.get("location", "") and b.status_code == 401, f"/account {a.status_code} api {b.status_code}"
@case
def s4():
    u = fresh_user("viewer")
    r = u.form("/logout", {})
    sc = "; ".join(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith("lantu_session="))
    gone = ("max-age=0" in sc.lower() or "expires=thu, 01 jan 1970" in sc.lower() or re.search(r"expires=[^;]*19[0-9][0-9]", sc.lower()))
    return bool(gone) and "path=/" in sc.lower(), sc[:200]
@case
def s5():
    u = fresh_user("viewer")
    old_csrf = u.csrf()
    u.form("/logout", {})
    c = httpx.Client(base_url=BASE, timeout=60)
    login(c, u.user, STRONG)
    r = c.post("/account/tokens", data={"name": "t", "password": STRONG, "csrf_token": old_csrf})
    return status(r, 403)
@case
def s6():
    c = httpx.Client(base_url=BASE, timeout=60)
    r = c.get("/login")
    anon = csrf_of(r.text)
    c.post("/login", data={"username": "viewer", "password": "viewer-demo-2026", "csrf_token": anon, "next": "/"})
    r2 = c.post("/account/tokens", data={"name": "anon-csrf", "password": "viewer-demo-2026", "csrf_token": anon})
    return r2.status_code == 403 and "lt_" not in r2.text, f"{r2.status_code}"
@case
def s7():
    r = httpx.get(BASE + "/login")
    sc = [v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith("lantu_csrf=")]
    s = sc[0].lower() if sc else ""
    return "httponly" in s and "samesite=strict" in s and "path=/" in s, s[:160]
@case
def s8():
    u = fresh_user("viewer")
    tok = u.token()
    who("admin").form(f"/admin/users/{u.user}/active", {"active": "false"})
    a = httpx.get(BASE + "/api/v1/notifications", headers={"Authorization": f"Bearer {tok}"}).status_code
    out1 = not u.signed_in()
    who("admin").form(f"/admin/users/{u.user}/active", {"active": "true"})
    b = httpx.get(BASE + "/api/v1/notifications", headers={"Authorization": f"Bearer {tok}"}).status_code
    out2 = not u.signed_in()
    return (a, b) == (401, 401) and out1 and out2, f"token {a}/{b}; session out {out1}/{out2}"
@case
def s9():
    u = fresh_user("reporter", LEAD)
    tok = u.token()
    r = who("admin").form(f"/admin/users/{u.user}/password", {"password": STRONG2})
    a = httpx.get(BASE + "/api/v1/notifications", headers={"Authorization": f"Bearer {tok}"}).status_code
    return a == 401 and not u.signed_in(), f"reset {r.status_code}; token {a}; session {'out' if not u.signed_in() else 'IN'}"
@case
def s10():
    u = fresh_user("admin")
    u.csrf()
    who("admin").form(f"/admin/users/{u.user}/update", {"role": "analyst"})
    name = f"p21x{uuid.uuid4().hex[:6]}"
    r = u.form("/admin/users", {"username": name, "password": STRONG, "role": "viewer"})
    made = name in who("admin").c.get("/admin/users").text
    return r.status_code in (303, 401, 403) and not made and (r.status_code != 303 or "/login" in r.headers.get("location", "")), f"{r.status_code} {r.headers.get('location')} made={made}"
@case
def s11():
    tok = who("viewer").token()
    a = httpx.get(BASE + f"/api/v1/notifications?access_token={tok}").status_code
    b = httpx.get(BASE + f"/api/v1/notifications?token={tok}").status_code
    c = httpx.get(BASE + "/api/v1/notifications", cookies={"Authorization": f"Bearer {tok}"}).status_code
    return (a, b, c) == (401, 401, 401), f"{a} {b} {c}"
@case
def s12():
    tok = who("viewer").token()
    a = httpx.get(BASE + "/api/v1/notifications", headers={"Authorization": f"Bearer {tok}x"}).status_code
    flip = tok[:-1] + ("A" if tok[-1] != "A" else "B")
    b = httpx.get(BASE + "/api/v1/notifications", headers={"Authorization": f"Bearer {flip}"}).status_code
    return (a, b) == (401, 401), f"{a} {b}"
@case
def s13():
    codes = []
    for name in ("Viewer", "viewer ", "ｖｉｅｗｅｒ", "vіewer", "viewer\u00a0"):
        r = who("admin").form("/admin/users", {"username": name, "password": STRONG, "role": "admin"})
        codes.append(r.status_code)
    users = who("admin").c.get("/admin/users").text
    n = len(re.findall(r"/admin/users/viewer/update", users))
    return all(400 <= c < 500 for c in codes), f"{codes} viewer forms {n}"
@case
def s14():
    c = httpx.Client(base_url=BASE, timeout=60)
    r = login(c, "ＶＩＥＷＥＲ", "viewer-demo-2026")
    if r.status_code != 303:
        return r.status_code in (401, 409, 422), f"{r.status_code}"
    acct = c.get("/account").text
    return "viewer" in acct and "/admin/users" not in acct, f"303 signed in as viewer? {'viewer' in acct}"
@case
def s15():
    u = fresh_user("viewer")
    a = who("admin").form(f"/admin/users/{u.user}/rename", {"new_name": "ADMIN"})
    b = who("admin").form(f"/admin/users/{u.user}/rename", {"new_name": "admin\u200b"})
    return 400 <= a.status_code < 500 and 400 <= b.status_code < 500, f"{a.status_code} {b.status_code}"
@case
def s16():
    v = who("viewer").cookie_value()
    r = httpx.get(BASE + "/admin/users", headers={"Cookie": f"lantu_session={v}; lantu_session=garbage"})
    r2 = httpx.get(BASE + "/admin/users", headers={"Cookie": f"lantu_session=garbage; lantu_session={v}"})
    return r.status_code in (303, 403) and r2.status_code in (303, 403), f"{r.status_code} {r2.status_code}"
@case
def s17():
    r = httpx.get(BASE + "/account", headers={"Cookie": "lantu_session=" + "a" * 30000})
    return r.status_code in (303, 431), f"{r.status_code}"


# -- M: methods ---------------------------------------------------------------------------------
def page_gets() -> list[str]:
    plan = SUP().api("GET", "/api/v1/plans").json()["data"][0]["code"]
    return ["/", "/indicators", "/targets", "/comparison", "/login", "/healthz", f"/plan/{plan}",
            "/api/v1/docs", "/supervision", "/account", "/audit", "/admin/users", "/import",
            "/notifications", "/reports", "/review", "/groups", "/supervision/queue"]


def api_gets() -> list[str]:
    doc = httpx.get(BASE + "/api/v1/openapi.json").json()
    out = []
    for p, ops in doc["paths"].items():
        if "get" in ops and "{" not in p:
            q = "?year=2024" if p.endswith(("/assessment", "/index", "/evaluation")) else ""
            out.append(p + q)
    return out


@case
def m1():
    bad = []
    for p in page_gets():
        g = httpx.get(BASE + p)
        h = httpx.head(BASE + p)
        if h.status_code != g.status_code or h.content:
            bad.append(f"{p}: GET {g.status_code} HEAD {h.status_code}")
    return not bad, "; ".join(bad)[:400] or "all alike"
@case
def m2():
    tok = who("analyst").token()
    bad = []
    for p in api_gets():
        g = httpx.get(BASE + p, headers={"Authorization": f"Bearer {tok}"}, timeout=120)
        h = httpx.head(BASE + p, headers={"Authorization": f"Bearer {tok}"}, timeout=120)
        if h.status_code != g.status_code or h.content:
            bad.append(f"{p}: GET {g.status_code} HEAD {h.status_code}")
    return not bad, "; ".join(bad)[:400] or "all alike"
@case
def m3():
    r = httpx.head(BASE + "/api/v1/notifications")
    return r.status_code == 401 and not r.content, f"{r.status_code}"
@case
def m4():
    bad = []
    for p in page_gets() + api_gets() + ["/api/v1/tasks", "/logout"]:
        r = httpx.options(BASE + p, headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        if r.status_code >= 500 or "access-control-allow-origin" in r.headers or (200 <= r.status_code < 300 and r.content):
            bad.append(f"{p}: {r.status_code}")
    return not bad, "; ".join(bad)[:400] or "none"
@case
def m5():
    v = who("viewer").cookie_value()
    bad = []
    for p in page_gets() + api_gets()[:10] + ["/logout"]:
        r = httpx.request("TRACE", BASE + p, headers={"Cookie": f"lantu_session={v}"})
        if r.status_code not in (400, 405, 501) or v in r.text:
            bad.append(f"{p}: {r.status_code}")
    return not bad, "; ".join(bad)[:400] or "none"
@case
def m6():
    a = httpx.request("PROPFIND", BASE + "/").status_code
    b = httpx.request("FOO", BASE + "/api/v1/regions").status_code
    c = raw(f"get /login HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())[:12]
    cs = int(c[9:12]) if c[:5] == b"HTTP/" else 0
    ok = all(400 <= x < 500 or x == 501 for x in (a, b)) and (400 <= cs < 500 or cs == 501)
    return ok, f"PROPFIND {a}; FOO {b}; lower-case get {cs}"
@case
def m7():
    u = fresh_user("viewer")
    r = u.c.get("/logout")
    return r.status_code == 405 and u.signed_in(), f"{r.status_code} still in {u.signed_in()}"
@case
def m8():
    a = httpx.head(BASE + "/logout")
    tok = who("analyst").token()
    b = httpx.head(BASE + "/api/v1/tasks", headers={"Authorization": f"Bearer {tok}"})
    return a.status_code == 405 and b.status_code == 405 and "POST" in b.headers.get("allow", ""), f"/logout {a.status_code}; /api/v1/tasks {b.status_code} allow={b.headers.get('allow')}"


# -- R: redirects -------------------------------------------------------------------------------
def local(loc: str) -> bool:
    return loc.startswith("/") and not loc.startswith("//") and not loc.startswith("/\\")


@case
def r1():
    r = who("viewer").c.get("/login?next=/%7F/evil.com")
    return r.headers.get("location") == "/", f"{r.status_code} {r.headers.get('location')!r}"
@case
def r2():
    u = RF()
    n = u.api("GET", "/api/v1/notifications").json()["data"]
    nid = n[0]["id"] if n else 1
    locs = []
    for go in ("/\u00a0/evil.com", "/\u2028/evil.com", "/%5C%5Cevil.com"):
        r = u.form(f"/notifications/{nid}/read", {"go": go})
        locs.append(r.headers.get("location", ""))
    return all(local(x) and "evil" not in x.replace("%5C%5Cevil", "") for x in locs), repr(locs)
@case
def r3():
    c = httpx.Client(base_url=BASE, timeout=60)
    r = login(c, "viewer", "viewer-demo-2026", next_="/" + "a" * 10000)
    loc = r.headers.get("location", "")
    return r.status_code == 303 and (len(loc.encode()) <= 8192), f"{r.status_code} Location {len(loc)} bytes"
@case
def r4():
    c = httpx.Client(base_url=BASE, timeout=60, follow_redirects=True)
    r = login(c, "viewer", "viewer-demo-2026", next_="/login?next=//evil.com")
    hosts = {h.url.host for h in r.history} | {r.url.host}
    return hosts == {HOST}, f"{[str(h.url) for h in r.history]} → {r.url}"
@case
def r5():
    rid = submitted_report(RF(), "2025-06")
    r = SUP().form(f"/supervision/reports/{rid}/review", {"decision": "approve", "version": review_version(rid), "back": "//evil.com"})
    return r.status_code == 303 and local(r.headers.get("location", "")), f"{r.status_code} {r.headers.get('location')}"
@case
def r6():
    r = httpx.get(BASE + "/?lang=en", headers={"Referer": "https://evil.com/x"})
    return "evil" not in r.headers.get("location", ""), f"{r.status_code} {r.headers.get('location')}"


# -- E: validators and ranges --------------------------------------------------------------------
_EV: list[int] = []


def evidence_id() -> int:
    if not _EV:
        T5 = new_task("证据")
        r = report(RF(), month=MONTH, tid=T5, files=[("evidence", ("e.txt", ("证据" * 50).encode(), "text/plain"))])
        assert r.status_code == 303, (r.status_code, r.text[:200])
        ids = re.findall(r"/supervision/evidence/(\d+)", page(RF(), MONTH, T5))
        _EV.append(int(ids[0]))
    return _EV[0]


@case
def e1():
    a = RF().api("GET", f"/api/v1/tasks/{T}")
    b = RF().api("GET", f"/api/v1/tasks/{T}", headers={"If-None-Match": "*"})
    return "no-store" in a.headers.get("cache-control", "") and b.status_code == 200 and b.json().get("id") == T, f"{a.headers.get('cache-control')} etag={a.headers.get('etag')} INM {b.status_code}"
@case
def e2():
    r = httpx.get(BASE + f"/supervision/evidence/{evidence_id()}", headers={"If-None-Match": "*", "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    return r.status_code in (303, 401, 404), f"{r.status_code}"
@case
def e3():
    a = RF().c.get(f"/supervision/evidence/{evidence_id()}")
    et = a.headers.get("etag")
    b = RF().c.get(f"/supervision/evidence/{evidence_id()}", headers={"If-None-Match": et or "*"})
    return b.status_code in (200, 304) and "no-store" in b.headers.get("cache-control", ""), f"{a.status_code} etag={et} → {b.status_code} {b.headers.get('cache-control')}"
@case
def e4():
    size = len(RF().c.get(f"/supervision/evidence/{evidence_id()}").content)
    out = []
    for rng in ("bytes=" + ",".join(["0-0"] * 1000), "bytes=" + ",".join(["0-"] * 200)):
        t0 = time.perf_counter()
        r = RF().c.get(f"/supervision/evidence/{evidence_id()}", headers={"Range": rng})
        dt = time.perf_counter() - t0
        out.append((r.status_code, len(r.content), round(dt, 2)))
    ok = all(s < 500 and (s in (200, 416) or n <= 2 * size + 2048) and dt < 3 for s, n, dt in out)
    return ok, f"file {size} B; {out}"
@case
def e5():
    r = RX().c.get(f"/supervision/evidence/{evidence_id()}", headers={"Range": "bytes=0-3"})
    return status(r, 404)
@case
def e6():
    r = RF().c.get("/reports/tasks.xlsx", headers={"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    return r.status_code == 200 and r.content[:2] == b"PK", f"{r.status_code} {len(r.content)} B"


# -- J: JSON bodies ------------------------------------------------------------------------------
def obs_body(value: str, year: int = 1960, **extra) -> bytes:
    d = {"region_code": "140100", "period": str(year), "indicator": "gdp", "unit": "亿元",
         "source_url": SRC, "excerpt": "probe21", **extra}
    s = json.dumps(d, ensure_ascii=False)
    return (s[:-1] + f', "value": {value}}}').encode()


def post_json(u: Who, path: str, body: bytes, ctype: str = "application/json", method: str = "POST") -> httpx.Response:
    return u.api(method, path, content=body, headers={"Content-Type": ctype})


def one_shape(r: httpx.Response) -> bool:
    try:
        return "detail" in r.json()
    except ValueError:
        return False


A_ = lambda: who("analyst")  # noqa: E731


@case
def j1():
    r = post_json(A_(), "/api/v1/observations", obs_body("1e400"))
    return r.status_code == 422 and "value" in r.text, f"{r.status_code} {r.text[:160]!r}"
@case
def j2(): return status(post_json(A_(), "/api/v1/observations", obs_body("-1e400")), 422)
@case
def j3(): return status(post_json(A_(), "/api/v1/observations", obs_body("9" * 400)), 422)
@case
def j4():
    r = post_json(A_(), "/api/v1/observations", obs_body("9" * 5000))
    return r.status_code in (400, 422) and one_shape(r), f"{r.status_code} {r.text[:160]!r}"
@case
def j5():
    codes = [post_json(A_(), "/api/v1/observations", b).status_code for b in (b"null", b"[]", b'"x"', b"1", b"true")]
    return codes == [422] * 5, str(codes)
@case
def j6():
    r = post_json(A_(), "/api/v1/observations", b"\xef\xbb\xbf" + obs_body("12.5", 1961))
    return (r.status_code == 201 or r.status_code in (400, 422)) and one_shape(r) or r.status_code == 201, f"{r.status_code} {r.text[:120]!r}"
@case
def j7():
    if not _PART:
        return None, "no part (C21 did not run)"
    r = post_json(RF(), f"/api/v1/tasks/{_PART[0]}/unit-progress", b'{"percent": 50, "percent": "abc"}')
    return status(r, 422)
@case
def j8():
    r = post_json(A_(), "/api/v1/observations", obs_body("12.5", 1962), ctype="application/x-www-form-urlencoded")
    got = A_().api("GET", "/api/v1/observations?region=140100&indicator=gdp&period=1962").json().get("data", [])
    return r.status_code == 422 and not got, f"{r.status_code} stored {len(got)}"
@case
def j9():
    v = task()["version"]
    r = post_json(SUP(), f"/api/v1/tasks/{T}", json.dumps({"reason": "改", "title_en": "probe", "version": v}).encode(),
                  ctype="application/merge-patch+json", method="PATCH")
    return r.status_code in (200, 415), f"{r.status_code} {r.text[:120]!r}"
@case
def j10():
    body = obs_body("1", 1963)[:-1] + b', "flags": ' + b"[" * 100000 + b"]" * 100000 + b"}"
    t0 = time.perf_counter()
    r = post_json(A_(), "/api/v1/observations", body)
    dt = time.perf_counter() - t0
    return r.status_code in (400, 422) and dt < 5, f"{r.status_code} {dt:.2f}s {r.text[:100]!r}"


def task_body(**over) -> dict:
    plan = SUP().api("GET", "/api/v1/plans").json()["data"][0]["code"]
    return {"plan": plan, "title": f"长度{RUN}", "lead_department": LEAD,
            "due": (TODAY + timedelta(days=200)).isoformat(), **over}


@case
def j11():
    codes = [SUP().api("POST", "/api/v1/tasks", json=task_body(**{k: "长" * n})).status_code
             for k, n in (("title", 2001), ("title_en", 2001), ("text", 20001), ("reason", 2001))]
    return codes == [422] * 4, str(codes)
@case
def j12():
    title = "\U00020000" * 2000
    r = SUP().api("POST", "/api/v1/tasks", json=task_body(title=title))
    if r.status_code != 201:
        return False, f"{r.status_code} {r.text[:160]!r}"
    back = task(r.json()["id"])["title"]
    return back == title, f"201, read back {len(back)} characters"
@case
def j13():
    T6 = new_task("长文")
    a = RF().api("POST", f"/api/v1/tasks/{T6}/extension-requests", json={"due": (TODAY + timedelta(days=600)).isoformat(), "reason": "x" * 5001}).status_code
    b = RF().api("POST", f"/api/v1/tasks/{T6}/closure-requests", json={"comment": "x" * 5001}).status_code
    c = SUP().api("POST", f"/api/v1/tasks/{T6}/reminders", json={"message": "x" * 5001}).status_code
    return (a, b, c) == (422, 422, 422), f"{a} {b} {c}"
@case
def j14():
    if not _PART:
        return None, "no part"
    a = RF().api("POST", f"/api/v1/tasks/{_PART[0]}/unit-progress", json={"percent": "50"}).status_code
    b = post_json(SUP(), f"/api/v1/tasks/{T}", b'{"reason": "r", "title_en": "x", "version": 1.0}', method="PATCH").status_code
    return (a, b) == (422, 422), f"{a} {b}"
@case
def j15():
    a = SUP().api("POST", "/api/v1/tasks", json=task_body(milestones=[{"title": "m" * 2001}])).status_code
    b = SUP().api("POST", "/api/v1/tasks", json=task_body(milestones=[{"title": f"m{i}"} for i in range(101)])).status_code
    return (a, b) == (422, 422), f"{a} {b}"


# -- N: neighbours of what fell (written before they ran) -----------------------------------------
@case
def n1():
    g, h = httpx.get(BASE + "/indicators/export.csv"), httpx.head(BASE + "/indicators/export.csv")
    return h.status_code == 200 and not h.content and h.headers.get("content-disposition") == g.headers.get("content-disposition"), f"{h.status_code} {h.headers.get('content-disposition')}"
@case
def n2():
    eid = evidence_id()
    a = RF().c.head(f"/supervision/evidence/{eid}")
    b = RX().c.head(f"/supervision/evidence/{eid}")
    ok = a.status_code == 200 and not a.content and "no-store" in a.headers.get("cache-control", "") and "attachment" in a.headers.get("content-disposition", "") and b.status_code == 404
    return ok, f"rep_fgw {a.status_code} {a.headers.get('cache-control')}; rep_X {b.status_code}"
@case
def n3():
    g, h = RX().api("GET", f"/api/v1/tasks/{T}"), RX().api("HEAD", f"/api/v1/tasks/{T}")
    return h.status_code == g.status_code and not h.content, f"GET {g.status_code} HEAD {h.status_code}"
@case
def n4():
    h = httpx.head(BASE + "/?lang=en")
    return h.status_code == 200 and not h.content and "lantu_lang=en" in h.headers.get("set-cookie", ""), f"{h.status_code} {h.headers.get('set-cookie')}"
@case
def n5():
    g, h = httpx.get(BASE + "/static/css/lantu.css"), httpx.head(BASE + "/static/css/lantu.css")
    return h.status_code == 200 and not h.content and h.headers.get("content-length") == str(len(g.content)), f"{h.status_code} {h.headers.get('content-length')} / {len(g.content)}"
@case
def n6():
    h = httpx.head(BASE + "/api/v1/regions?x=%00")
    return h.status_code == 400 and not h.content, f"{h.status_code}"
@case
def n7():
    h = httpx.head(BASE + "/login/", headers={"Host": "evil.example"})
    return "evil" not in h.headers.get("location", ""), f"{h.status_code} {h.headers.get('location')}"
@case
def n8():
    r = SUP().api("OPTIONS", f"/api/v1/tasks/{T}")
    return r.status_code == 405 and r.headers.get("allow") == "GET, HEAD, PATCH", f"{r.status_code} {r.headers.get('allow')}"


_T2: list[tuple[int, int, int]] = []


def closed_t2() -> tuple[int, int, int]:
    """A fresh task with a unit part and a pending extension request, then closed."""
    if not _T2:
        t2 = new_task("关闭")
        plan = SUP().api("GET", "/api/v1/plans").json()["data"][0]["code"]
        p = RF().api("POST", "/api/v1/tasks", json={"plan": plan, "parent": t2, "title": "分项", "unit": "综合处", "weight": 1})
        assert p.status_code == 201, p.text[:200]
        e = RF().api("POST", f"/api/v1/tasks/{t2}/extension-requests", json={"due": (TODAY + timedelta(days=600)).isoformat(), "reason": "待定"})
        assert e.status_code == 201, e.text[:200]
        c = RF().api("POST", f"/api/v1/tasks/{t2}/closure-requests", json={"comment": "已完成"})
        d = SUP().api("POST", f"/api/v1/closure-requests/{c.json()['id']}/decision", json={"grant": True})
        assert d.status_code == 200 and task(t2)["status"] == "closed", d.text[:200]
        _T2.append((t2, p.json()["id"], e.json()["id"]))
    return _T2[0]


@case
def n9():
    t2, _, _ = closed_t2()
    before = task(t2)
    r = SUP().api("PATCH", f"/api/v1/tasks/{t2}", json={"reason": "改名", "title": "关后改名", "version": before["version"]})
    return r.status_code == 409 and task(t2)["title"] == before["title"], f"{r.status_code} title {task(t2)['title']!r}"
@case
def n10():
    t2, _, _ = closed_t2()
    n0 = len(task(t2)["parts"])
    plan = SUP().api("GET", "/api/v1/plans").json()["data"][0]["code"]
    r = RF().api("POST", "/api/v1/tasks", json={"plan": plan, "parent": t2, "title": "关后分项", "unit": "二处", "weight": 1})
    return r.status_code == 409 and len(task(t2)["parts"]) == n0, f"{r.status_code} parts {n0}→{len(task(t2)['parts'])}"
@case
def n11():
    t2, part, _ = closed_t2()
    r = RF().form(f"/supervision/parts/{part}/progress", {"percent": "40"})
    return r.status_code == 409 and task(part)["progress"] == 0, f"{r.status_code} progress {task(part)['progress']}"
@case
def n12():
    t2, _, _ = closed_t2()
    return status(SUP().form(f"/supervision/tasks/{t2}/remind", {"message": "关后催办"}), 409)
@case
def n13():
    t2, _, _ = closed_t2()
    a = RF().form(f"/supervision/tasks/{t2}/extension", {"due": (TODAY + timedelta(days=700)).isoformat(), "reason": "关后"})
    b = RF().form(f"/supervision/tasks/{t2}/closure", {"comment": "再销号"})
    return (a.status_code, b.status_code) == (409, 409), f"{a.status_code} {b.status_code}"
@case
def n14():
    t2, _, ext = closed_t2()
    due = task(t2)["due"]
    r = SUP().api("POST", f"/api/v1/extension-requests/{ext}/decision", json={"grant": True})
    return r.status_code == 409 and task(t2)["due"] == due, f"{r.status_code} due {due}→{task(t2)['due']}"
@case
def n15():
    t2, _, _ = closed_t2()
    o = SUP().api("POST", f"/api/v1/tasks/{t2}/reopen", json={"reason": "重开"})
    r = RF().api("POST", f"/api/v1/tasks/{t2}/acknowledge")
    return o.status_code == 200 and r.status_code == 200 and bool(task(t2)["acknowledged_at"]), f"reopen {o.status_code}; acknowledge {r.status_code}"
@case
def n16():
    u = RF()
    n = u.api("GET", "/api/v1/notifications").json()["data"]
    nid = n[0]["id"] if n else 1
    r = u.form(f"/notifications/{nid}/read", {"go": "/" + "太" * 299})
    return r.headers.get("location") == "/notifications", f"{r.status_code} Location {len(r.headers.get('location', ''))} bytes"
@case
def n17():
    r = who("viewer").c.get("/login", params={"next": "/" + "a" * 3000})
    return r.headers.get("location") == "/", f"{r.status_code} {len(r.headers.get('location', ''))}"
@case
def n18():
    r = httpx.get(BASE + "/login", params={"next": "/" + "a" * 3000})
    m = re.search(r'name="next" value="([^"]*)"', r.text)
    return bool(m) and m.group(1) == "/", f"{r.status_code} next field {len(m.group(1)) if m else None}"
@case
def n19():
    a = login(httpx.Client(base_url=BASE, timeout=60), "viewer", "viewer-demo-2026", next_="/" + "a" * 2047)
    b = login(httpx.Client(base_url=BASE, timeout=60), "viewer", "viewer-demo-2026", next_="/" + "a" * 2048)
    la, lb = a.headers.get("location", ""), b.headers.get("location", "")
    return len(la) == 2048 and lb == "/", f"{len(la)} {lb[:20]!r}"

_T3: list[int] = []


def closed_t3() -> int:
    if not _T3:
        t3 = new_task("页面关闭")
        c = RF().api("POST", f"/api/v1/tasks/{t3}/closure-requests", json={"comment": "已完成"})
        d = SUP().api("POST", f"/api/v1/closure-requests/{c.json()['id']}/decision", json={"grant": True})
        assert d.status_code == 200 and task(t3)["status"] == "closed", d.text[:200]
        _T3.append(t3)
    return _T3[0]


@case
def n20():
    t3 = closed_t3()
    before = task(t3)
    r = SUP().form(f"/supervision/tasks/{t3}/edit", {"title": "页面关后改名", "reason": "改名", "lead_department": LEAD,
                                                      "due": before["due"], "version": str(before["version"])})
    return r.status_code == 409 and task(t3)["title"] == before["title"], f"{r.status_code} title {task(t3)['title']!r}"
@case
def n21():
    plan = SUP().api("GET", "/api/v1/plans").json()["data"][0]["code"]
    g = SUP().api("POST", "/api/v1/tasks", json={"plan": plan, "kind": "goal", "title": f"目标{RUN}"})
    gid = g.json()["id"]
    r = SUP().api("PATCH", f"/api/v1/tasks/{gid}", json={"reason": "改", "title": f"目标改{RUN}", "version": task(gid)["version"]})
    return r.status_code == 200, f"create {g.status_code}; patch {r.status_code} {r.text[:100]!r}"
@case
def n22():
    t3 = closed_t3()
    o = SUP().api("POST", f"/api/v1/tasks/{t3}/reopen", json={"reason": "重开"})
    r = SUP().api("PATCH", f"/api/v1/tasks/{t3}", json={"reason": "改", "title": "重开后改名", "version": task(t3)["version"]})
    return o.status_code == 200 and r.status_code == 200 and task(t3)["title"] == "重开后改名", f"reopen {o.status_code}; patch {r.status_code}"

_T4: list[tuple[int, int, int, int]] = []


def closed_t4() -> tuple[int, int, int, int]:
    """A task with a unit part, a submitted report and a returned one, then closed."""
    if not _T4:
        t4 = new_task("部分关闭")
        plan = SUP().api("GET", "/api/v1/plans").json()["data"][0]["code"]
        p = RF().api("POST", "/api/v1/tasks", json={"plan": plan, "parent": t4, "title": "分项", "unit": "综合处", "weight": 1})
        assert p.status_code == 201, p.text[:200]
        r1 = submitted_report(RF(), "2025-05", t4)
        r2 = submitted_report(RF(), "2025-04", t4)
        ret = SUP().form(f"/supervision/reports/{r2}/review", {"decision": "return", "comment": "补充", "version": review_version(r2, t4)})
        assert ret.status_code == 303, ret.status_code
        c = RF().api("POST", f"/api/v1/tasks/{t4}/closure-requests", json={"comment": "已完成"})
        d = SUP().api("POST", f"/api/v1/closure-requests/{c.json()['id']}/decision", json={"grant": True})
        assert d.status_code == 200 and task(t4)["status"] == "closed", d.text[:200]
        _T4.append((t4, p.json()["id"], r1, r2))
    return _T4[0]


@case
def x1():
    t4, part, _, _ = closed_t4()
    before = task(part)
    r = SUP().api("PATCH", f"/api/v1/tasks/{part}", json={"reason": "改", "title": "关后改分项", "version": before["version"]})
    return r.status_code == 409 and task(part)["title"] == before["title"], f"{r.status_code} title {task(part)['title']!r}"
@case
def x2():
    t4, _, r1, _ = closed_t4()
    r = SUP().form(f"/supervision/reports/{r1}/review", {"decision": "approve", "version": review_version(r1, t4) or "2"})
    return r.status_code == 409 and report_row(r1)["status"] == "submitted", f"{r.status_code} {report_row(r1)['status']}"
@case
def x3():
    t4, _, _, r2 = closed_t4()
    r = RF().form(f"/supervision/reports/{r2}/submit", {})
    return r.status_code == 409 and report_row(r2)["status"] == "returned", f"{r.status_code} {report_row(r2)['status']}"
@case
def x4():
    t4, part, _, _ = closed_t4()
    before = task(part)
    r = SUP().form(f"/supervision/tasks/{part}/edit", {"title": "页面改分项", "reason": "改", "version": str(before["version"])})
    return r.status_code in (404, 409) and task(part)["title"] == before["title"], f"{r.status_code} title {task(part)['title']!r}"


# -- Y: a last batch ------------------------------------------------------------------------------
@case
def y1():
    a = A_().api("POST", "/api/v1/observations", json={"region_code": "140100", "period": "1964", "indicator": "gdp", "value": 1, "unit": "亿元", "source_url": SRC + "/" + "a" * (2001 - len(SRC) - 1)}).status_code
    b = A_().api("POST", "/api/v1/observations", json={"region_code": "140100", "period": "1964", "indicator": "gdp", "value": 1, "unit": "亿元", "source_url": SRC, "excerpt": "摘" * 4001}).status_code
    return (a, b) == (422, 422), f"{a} {b}"
@case
def y2():
    base = {"code": f"p21{RUN}", "name_zh": "组", "members": ["140100", "130100"]}
    codes = [A_().api("POST", "/api/v1/groups", json={**base, **over}).status_code
             for over in ({"name_zh": "组" * 201}, {"name_en": "g" * 201}, {"note": "注" * 2001})]
    return codes == [422] * 3, str(codes)
@case
def y3():
    t = new_task("JSON表单")
    u = RF()
    r = u.c.post(f"/supervision/tasks/{t}/report", json={"month": MONTH, "text": "x", "percent": 10, "action": "save", "version": 0},
                 headers={"X-CSRF-Token": u.csrf()})
    n = [x for x in reports_of(LEAD, t)]
    return r.status_code in (415, 422) and not n, f"{r.status_code} stored {len(n)}"
@case
def y4():
    v = who("viewer")
    with ThreadPoolExecutor(2) as ex:
        fh = ex.submit(v.c.head, "/reports/monitoring")
        fg = ex.submit(v.c.get, "/reports/monitoring")
        codes = sorted([fh.result().status_code, fg.result().status_code])
    return all(c in (200, 429) for c in codes), str(codes)
@case
def y5():
    n0 = len([e for e in history() if e.get("kind") == "reminder"])
    r = SUP().api("POST", f"/api/v1/tasks/{T}/reminders?_method=DELETE", json={"message": "覆盖方法"}, headers={"X-HTTP-Method-Override": "DELETE"})
    n1 = len([e for e in history() if e.get("kind") == "reminder"])
    return r.status_code == 201, f"{r.status_code} reminders {n0}→{n1}"


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
