"""probe23: a text of digits past Python's ``int()`` limit (4,300 digits) as an id.

The sweep of every route by its declared parameters (benchmarks/probe23_sweep.py) found the
API's door (``ApiRoute._let_in``, which asks the department line before the body is read)
reading a path's id with its own ``isdigit()`` and ``int()``: ``PATCH /api/v1/tasks/<10,000
digits>`` and the six ``POST …/tasks/<id>/…`` answered 500 on both databases. Its neighbour:
a review token ``r-u<5,000 digits>-…`` (``int()`` of the user number) 500. The door now asks
the one rule of a whole number in a URL (``api_schemas.row_id`` → ``whole_number``, which reads
more digits than any bound has as a number past every bound); the tokens' user number is
compared as text. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from webutil import backend_app, login

D10K = "9" * 10_000


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("p23digits"),
                     ("supervisor", "analyst"), "probe23") as (client, headers, db, _):
        yield client, headers


@pytest.mark.parametrize("method, path", [
    ("PATCH", f"/api/v1/tasks/{D10K}"),
    *[("POST", f"/api/v1/tasks/{D10K}/{s}") for s in
      ("unit-progress", "acknowledge", "reminders", "extension-requests", "closure-requests", "reopen")],
    ("POST", f"/api/v1/extension-requests/{D10K}/decision"),
])
def test_an_id_of_ten_thousand_digits_at_the_apis_door_is_refused_not_a_500(env, method, path):
    client, headers = env
    r = client.request(method, path, headers=headers["supervisor"], json={})
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:200])


def test_a_review_token_with_a_user_number_of_five_thousand_digits_is_404(env):
    client, _ = env
    login(client, "analyst")
    r = client.get(f"/review/r-u{'9' * 5000}-{'a' * 32}")
    assert r.status_code == 404, r.status_code


def test_a_limit_of_ten_thousand_digits_is_named_by_its_bound(env):
    client, headers = env
    r = client.get("/api/v1/observations", params={"limit": D10K}, headers=headers["analyst"])
    assert r.status_code == 422
    assert "limit" in r.text and "4300" not in r.text, r.text[:300]


def test_the_one_rule_of_an_id_in_a_path():
    from lantu.web.api_schemas import MAX_ID, row_id, whole_number

    assert row_id("87") == 87 and row_id(str(MAX_ID)) == MAX_ID
    for text in ("0", "087", "+87", "8_7", " 87", "87.0", str(MAX_ID + 1), D10K, "٨٧", ""):
        assert row_id(text) is None, text
    assert whole_number(D10K) > 2**63
