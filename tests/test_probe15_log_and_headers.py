"""probe15 (the tenth attacker round): the security log stays one JSON line a record, and a
request's headers have a size.

* The log's lines are written with ``ensure_ascii=False`` (Chinese stays readable), so a field
  logged as sent — a request's path, an upload's file name — carried U+2028, U+2029, U+0085 or
  another C1 control raw: one record became two lines for ``splitlines`` (Python, and the
  readers built on it), and U+009B began a terminal escape sequence. A lone surrogate made the
  UTF-8 file handler fail and drop the record. ``JsonFormatter`` writes each of them (and the
  bidi controls) as JSON's ``\\uXXXX``, which reads back as the same text.
* 100 KB of headers reached the app (h11 reads up to ~1 MB before it refuses); the edge now
  refuses more than 32 KiB with 431 before any cookie or header is parsed.

Each test failed on the code before.
"""

from __future__ import annotations

import json
import logging

import pytest

from lantu.security_log import JsonFormatter

MAX_HEADER_BYTES = 32 * 1024  # lantu.web.edge.MAX_HEADER_BYTES (tested below to be the limit)

HOSTILE = "/a\u2028{\"event\":\"login_ok\"}\u2029\x85\x9b31m\ud800\u202e\u061c"


def record(**fields) -> logging.LogRecord:
    return logging.makeLogRecord({"msg": "refused", "levelname": "WARNING", "name": "lantu.web",
                                  "event": "refused", **{f"f_{k}": v for k, v in fields.items()}})


def test_a_field_holding_line_ends_stays_one_line_and_reads_back():
    line = JsonFormatter().format(record(path=HOSTILE, file="x\u2028.csv"))
    assert len(line.splitlines()) == 1, line
    assert not any(c in line for c in "\u2028\u2029\x85\x9b\u202e\u061c"), line
    out = json.loads(line)
    assert out["path"] == HOSTILE and out["file"] == "x\u2028.csv"


def test_a_lone_surrogate_does_not_drop_the_record(tmp_path):
    path = tmp_path / "security.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("lantu.probe15test")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("refused", extra={"event": "refused", "f_path": "/x\ud800y"})
    finally:
        handler.close()
        log.removeHandler(handler)
    lines = path.read_text("utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["path"] == "/x\ud800y"


def test_the_log_of_a_served_request_holds_the_path_escaped(client, caplog):
    caplog.set_level(logging.WARNING, logger="lantu")
    r = client.get("/api/v1/regions/%E2%80%A8x", headers={"Authorization": "Bearer " + "x" * 30})
    assert r.status_code == 401
    lines = [JsonFormatter().format(rec) for rec in caplog.records
             if getattr(rec, "event", "") == "token_refused"]
    assert lines and all(len(x.splitlines()) == 1 for x in lines), lines
    assert json.loads(lines[-1])["path"] == "/api/v1/regions/\u2028x"


@pytest.mark.parametrize("header", ["x-big", "cookie"])
def test_headers_over_the_limit_are_431(client, header):
    r = client.get("/healthz", headers={header: "a" * (MAX_HEADER_BYTES + 1)})
    assert r.status_code == 431, r.status_code
    assert r.json()["error"] == "headers_too_large"
    assert r.headers["cache-control"] == "no-store"


def test_the_limit_is_the_edges():
    from lantu.web.edge import MAX_HEADER_BYTES as limit

    assert limit == MAX_HEADER_BYTES


def test_headers_under_the_limit_pass(client):
    assert client.get("/healthz", headers={"x-big": "a" * 16000}).status_code == 200
