"""probe23 X1–X4: every route of the map, each declared parameter set to hostile values, no 5xx.

``python benchmarks/probe23_sweep.py URL`` against ``lantu demo``. Parameters are read from
FastAPI's record of each route (``route.dependant``), so a route added later is swept too."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import sys
from urllib.parse import quote

import httpx

BASE = sys.argv[1].rstrip("/")
#: the sweeping admin: a user made for it (``lantu user add``), so the throttle's lock of a
#: hostile "password" field falls on no one else; password fields are not swept (they are
#: the throttle's, probed by C4–C7)
ADMIN = sys.argv[2] if len(sys.argv) > 2 else "admin"
ADMIN_PW = sys.argv[3] if len(sys.argv) > 3 else "admin-demo-2026"
VALUES = ["99999999999999999999", "-99999999999999999999", "1e309", "NaN", "-1", "0", "9" * 10_000, "\u202e"]
RAW = "%ff"


def _walk(dep, q: set, p: set, b: set) -> None:
    q.update(x.alias for x in dep.query_params)
    p.update(x.alias for x in dep.path_params)
    b.update(x.alias for x in dep.body_params)
    for s in dep.dependencies:
        _walk(s, q, p, b)


def routes():
    import lantu.web.routes as R
    for mod in pkgutil.iter_modules(R.__path__):
        m = importlib.import_module("lantu.web.routes." + mod.name)
        rt = getattr(m, "router", None)
        if rt is None:
            continue
        for r in rt.routes:
            if not hasattr(r, "dependant"):
                continue
            d = r.dependant
            q, p, b = set(), set(), set()

            _walk(d, q, p, b)
            path = r.path if r.path.startswith(rt.prefix) else rt.prefix + r.path
            for meth in sorted((r.methods or set()) - {"HEAD"}):
                yield meth, path, sorted(q), sorted(p), sorted(b - {"csrf_token"})


def login(user: str, pw: str | None = None) -> httpx.Client:
    c = httpx.Client(base_url=BASE, timeout=120, follow_redirects=False)
    t = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
    c.post("/login", data={"username": user, "password": pw or f"{user}-demo-2026", "csrf_token": t, "next": "/"})
    c.headers["x-p23-csrf"] = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/account").text).group(1)
    return c


def fill(path: str, over: dict[str, str]) -> str:
    def sub(m):
        name = m.group(1).split(":")[0]
        return over.get(name, "1")
    return re.sub(r"\{([^}]+)\}", sub, path)


def main() -> None:
    admin, rep = login(ADMIN, ADMIN_PW), login("rep_fgw")
    tok = None
    r = admin.post("/account/tokens", data={"name": "p23sweep", "password": ADMIN_PW,
                                            "csrf_token": admin.headers["x-p23-csrf"]})
    m = re.search(r"\b(lt_[A-Za-z0-9_\-]{20,})", r.text)
    tok = m.group(1) if m else None
    fives, sent = [], 0
    for meth, path, q, p, b in routes():
        if path in ("/logout", "/account/password", "/account/tokens") or "{rest" in path:  # a password asked: the throttle's (C4-C7)
            continue
        for c in (admin, rep) if path.startswith("/supervision") else (admin,):
            api = path.startswith("/api/v1")
            h = {"Authorization": f"Bearer {tok}"} if api and tok else {}
            tries = []
            if meth == "GET":
                for name in q:
                    for v in VALUES:
                        tries.append(("GET", fill(path, {}) + "?" + name + "=" + quote(v), None))
                    tries.append(("GET", fill(path, {}) + "?" + name + "=" + RAW, None))
            for name in p:
                for v in VALUES + ["..%2f.."]:
                    tries.append((meth, fill(path, {name: quote(v, safe="%")}), {} if meth != "GET" else None))
            if meth != "GET":
                for name in [x for x in b if x not in ("password", "current", "new", "again")] or [""]:
                    for v in VALUES:
                        tries.append((meth, fill(path, {}), {name: v} if name else {}))
            for m_, url, body in tries:
                try:
                    if m_ == "GET":
                        r = c.get(url, headers=h)
                    elif api:
                        text = "{}"
                        if body:  # a number where it parses, written as sent (1e309 too)
                            k, v = next(iter(body.items()))
                            num = re.fullmatch(r"-?[\d.e]+", v) is not None
                            text = "{" + json.dumps(k) + ":" + (v if num else json.dumps(v)) + "}"
                        r = c.request(m_, url, headers={**h, "Content-Type": "application/json"},
                                      content=text.encode())
                    else:
                        r = c.request(m_, url, data={**(body or {}), "csrf_token": c.headers["x-p23-csrf"]})
                except httpx.HTTPError as exc:
                    fives.append(f"{m_} {url[:120]} {type(exc).__name__}")
                    continue
                sent += 1
                if r.status_code >= 500:
                    fives.append(f"{m_} {url[:120]} {str(body)[:60]} -> {r.status_code}")
    print(f"sent {sent}, 5xx {len(fives)}")
    for f in fives[:60]:
        print("  ", f)


if __name__ == "__main__":
    main()
