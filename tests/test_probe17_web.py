"""probe17 (the eleventh attacker round, web and API): a redirect never names a host, an
anonymous page says it depends on the cookie, and an error answer is bounded.

* Starlette's trailing-slash redirect (``GET /login/`` → ``/login``) built an absolute URL from
  the request's ``Host`` header: ``Host: evil.example`` got ``Location:
  http://evil.example/login`` (a cache in front keeps it for everyone; a ``POST`` answered 307
  re-sends its body there). ``app.local_location``, applied by ``SecurityHeaders`` to every
  answer, makes every ``Location`` a path on this site.
* An anonymous page is written in the language of the ``lantu_lang`` cookie but said neither
  ``Vary: Cookie`` nor ``no-store``: a shared cache handed one visitor's language to the next.
* A JSON body with 100,000 wrong fields was answered with all 100,000 errors, twice (in
  ``detail`` and in ``errors``): 10 MB and seconds of a worker, the size the attacker chose.
  ``errors.error_response`` (the one JSON error shape) lists the first 50 and says how many
  more there were.

The database plays no part in these (the answers are built before or after it); SQLite. Each
test failed on the code before.
"""

from __future__ import annotations

import json

import pytest

from lantu.web.app import local_location
from lantu.web.errors import MAX_ERRORS
from webutil import backend_app, login

EVIL = {"host": "evil.example"}


@pytest.mark.parametrize("path", ["/login/", "/indicators/", "/targets/", "/indicators/export.csv/"])
def test_a_trailing_slash_redirect_names_no_host(client, path):
    r = client.get(path, headers=EVIL)
    assert r.status_code in (307, 308), r.status_code
    assert r.headers["location"] == path.rstrip("/"), r.headers["location"]


def test_a_signed_in_redirect_and_a_307_of_a_post_name_no_host(client):
    login(client, "viewer")
    r = client.get("/supervision/", headers=EVIL)
    assert r.status_code == 307 and r.headers["location"] == "/supervision"
    r = client.post("/notifications/read-all/", headers=EVIL)
    assert "evil" not in r.headers.get("location", ""), r.headers.get("location")


@pytest.mark.parametrize(("sent", "kept"), [
    (b"http://evil.example/login?next=%2Fx#f", b"/login?next=%2Fx#f"),
    (b"https://evil.example", b"/"),
    (b"HTTP://evil.example/a", b"/a"),
    (b"//evil.example/a", b"/"),
    (b"/\\evil.example/a", b"/"),
    (b"http://evil.example//evil2.example/a", b"/"),
    (b"javascript:alert(1)", b"/"),
    (b"data:text/html,x", b"/"),
    (b"evil.example", b"/"),
    (b"/tasks/3?x=1", b"/tasks/3?x=1"),
    (b"/login?next=//x", b"/login?next=//x"),
])
def test_the_one_rule_of_a_redirects_target(sent, kept):
    assert local_location(sent) == kept


def test_an_anonymous_page_varies_on_the_cookie_and_a_file_does_not(client):
    client.cookies.set("lantu_lang", "en")
    r = client.get("/")
    assert r.status_code == 200 and 'lang="en' in r.text
    assert "cookie" in r.headers.get("vary", "").lower(), dict(r.headers)
    r = client.get("/indicators")
    assert "cookie" in r.headers.get("vary", "").lower()
    r = client.get("/static/css/lantu.css")
    assert "cookie" not in r.headers.get("vary", "").lower()


@pytest.fixture(scope="module", params=["sqlite"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("p17web"),
                     ("analyst",), "probe17") as (client, headers, _db, _):
        yield client, headers


def test_an_error_answer_lists_a_bounded_number_of_errors(env):
    client, headers = env
    body = {"region_code": "140100", "period": "2019", "indicator": "gdp", "value": 1,
            "unit": "亿元", "source_url": "https://tjj.taiyuan.gov.cn/x",
            **{f"k{i}": 1 for i in range(100_000)}}
    r = client.post("/api/v1/observations", content=json.dumps(body),
                    headers={**headers["analyst"], "content-type": "application/json"})
    assert r.status_code == 422
    assert len(r.content) < 64 * 1024, len(r.content)
    out = r.json()
    assert len(out["errors"]) == MAX_ERRORS
    assert out["errors_omitted"] == 100_000 - MAX_ERRORS
    assert out["errors"][0]["field"] == "k0"


def test_a_few_errors_are_all_listed(env):
    client, headers = env
    r = client.post("/api/v1/observations", json={"region_code": "140100", "x": 1, "y": 2},
                    headers=headers["analyst"])
    assert r.status_code == 422
    out = r.json()
    assert "errors_omitted" not in out and {"x", "y"} <= {e["field"] for e in out["errors"]}
