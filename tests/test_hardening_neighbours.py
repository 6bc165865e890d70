"""The neighbours of issue 12's cases (an attacker's second round), on SQLite and PostgreSQL:
each test failed on the code before its fix. One app per database for the module.

- hostile bytes: a lone surrogate in a JSON string or key (``"\\ud800"``), or inside the JSON a
  form carries (the outline editor's ``kept``); a row id beyond 64 bits or ``true`` in a JSON
  body; a NUL byte in the name of an uploaded file;
- writes: ``true`` and ``"1e5"`` taken for numbers; the outline editor's ``kept`` of the wrong
  shape (500s) or with a NUL (stored on SQLite, 400 on PostgreSQL);
- links: a milestone's ``javascript:`` source stored by the importer and rendered as a link;
  ``https://gov.cn@evil.example/`` and ports that are no ports;
- formula injection: full-width ``＝ ＋ － ＠`` and a leading line feed; the assessment workbook
  and ``lantu evaluate -f csv`` written around the one writer;
- caching: an answer that sets a cookie (the login's session cookie) without ``no-store``;
- credentials: the throttle counting single IPv6 addresses;
- the JSON error shape (``detail``, ``error``) of a page route's 422.
"""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select, update

from lantu import services
from lantu.store import users
from lantu.store.models import DepartmentRow, MilestoneFactRow, PlanRow
from lantu.store.models_web import EvidenceFileRow
from lantu.tabular import csv_rows, escape_text, unescape_text
from webutil import backend_app, csrf_of, login, post, task_ids


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("neighbours"),
                     ("analyst", "admin", "rep_czj"), "neighbours") as app:
        yield app


def is_api_error(r, status: int | tuple[int, ...]) -> None:
    statuses = status if isinstance(status, tuple) else (status,)
    assert r.status_code in statuses, (r.status_code, r.text[:300])
    assert set(r.json()) >= {"detail", "error"}, r.text[:300]


def post_raw(client, path: str, auth: dict, body: dict, **raw: str):
    """POST ``body`` as JSON with the fields of ``raw`` written as raw JSON text."""
    text = json.dumps({**body, **{k: f"@{k}@" for k in raw}})
    for k, v in raw.items():
        text = text.replace(f'"@{k}@"', v)
    return client.post(path, content=text.encode(),
                       headers=auth | {"content-type": "application/json"})


OBS = {"region_code": "140100", "period": "2016", "indicator": "gdp", "value": 1.0,
       "unit": "亿元", "source_url": "https://x.gov.cn/a", "excerpt": "e"}
TASK = {"plan": "taiyuan-2021-11", "kind": "task", "title": "探针任务", "lead_department": "czj"}


# -- hostile bytes ------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    json.dumps({**OBS, "indicator": "@"}).replace('"@"', '"\\ud800"'),
    json.dumps({**OBS, "excerpt": "@"}).replace('"@"', '"x\\udfff"'),
    json.dumps(OBS)[:-1] + ', "\\udc80": 1}',
])
def test_a_lone_surrogate_in_json_is_a_400_and_the_next_request_works(env, raw):
    client, auth, _, _ = env
    r = client.post("/api/v1/observations", content=raw.encode(),
                    headers=auth["analyst"] | {"content-type": "application/json"})
    is_api_error(r, 400)
    assert client.get("/api/v1/regions/140100", headers=auth["analyst"]).status_code == 200


def test_a_surrogate_pair_is_a_character(env):
    client, auth, _, _ = env
    raw = json.dumps({**OBS, "excerpt": "@"}).replace('"@"', '"\\ud83d\\ude00"')
    r = client.post("/api/v1/observations", content=raw.encode(),
                    headers=auth["analyst"] | {"content-type": "application/json"})
    assert r.status_code == 201, r.text[:300]


@pytest.mark.parametrize("parent", ["99999999999999999999999", "-9223372036854775809",
                                    "2147483648", "true"])
def test_a_row_id_out_of_range_or_a_boolean_in_json_is_422(env, parent):
    client, auth, _, _ = env
    is_api_error(post_raw(client, "/api/v1/tasks", auth["admin"], TASK, parent=parent), 422)


def test_a_nul_in_an_upload_file_name_is_400_and_leaves_nothing(env):
    client, _, db, home = env
    login(client, "rep_czj")
    node = task_ids(db, "czj")[0]
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(EvidenceFileRow))
    files_before = sorted((home / "uploads").rglob("*")) if (home / "uploads").exists() else []
    # written by hand: httpx would send the NUL of a file name as "%00"
    fields = {"month": "2026-11", "text": "t", "percent": "1", "action": "save",
              "csrf_token": csrf_of(client, f"/supervision/tasks/{node}")}
    body = b"".join(b'--B\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                    % (k.encode(), v.encode()) for k, v in fields.items())
    body += (b'--B\r\nContent-Disposition: form-data; name="evidence"; filename="x\x00.pdf"'
             b"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--B--\r\n")
    r = client.post(f"/supervision/tasks/{node}/report", content=body,
                    headers={"content-type": "multipart/form-data; boundary=B"})
    assert r.status_code == 400, r.text[:300]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(EvidenceFileRow)) == before
    files_after = sorted((home / "uploads").rglob("*")) if (home / "uploads").exists() else []
    assert files_after == files_before


# -- writes -------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["true", '"1e5"', '" 5"', "false"])
def test_api_numbers_are_json_numbers(env, value):
    client, auth, _, _ = env
    r = post_raw(client, "/api/v1/observations", auth["analyst"], OBS, value=value)
    is_api_error(r, 422)
    assert "value" in {e["field"] for e in r.json()["errors"]}


def _save_outline(client, code: str, kept_json: str, outline: str = "- [任务] 甲 {1}"):
    return post(client, "/supervision/plans/new/save",
                {"outline": outline, "kept": kept_json, "code": code, "title": "探针",
                 "action": "save"}, csrf_page="/supervision/plans/new")


@pytest.mark.parametrize("kept", [
    {"1": {"indicators": [{"a": 1}]}},
    {"1": {"milestones": "abc"}},
    {"1": {"milestones": [{"due": "2024-01-01"}]}},
    {"1": {"supporting": "czj"}},
    {"1": {"span": "xx"}},
    {"1": {"lead": ["czj"]}},
    {"1": {"text": "a\x00b"}},
    {"1": {"text": "a\ud800b"}},
    {"1": {"milestones": [{"title": "m\x00"}]}},
])
def test_the_outline_editor_refuses_kept_nodes_of_the_wrong_shape(env, kept):
    client, _, db, _ = env
    login(client, "supervisor")
    code = f"probe-{abs(hash(json.dumps(kept))) % 10**8}"
    r = _save_outline(client, code, json.dumps(kept))  # ASCII JSON: "\ud800" as an escape
    assert r.status_code == 422, (r.status_code, r.text[:300])
    with db.session() as s:
        assert s.get(PlanRow, code) is None


def test_the_outline_editor_takes_only_what_a_node_keeps(env):
    from lantu.ingest.outline import outline_children, parse_outline

    kids = outline_children(parse_outline("- [任务] 甲 {1}"),
                            {"1": {"text": "原文", "status": "done", "source_url": "javascript:x",
                                   "children": [{"code": "9"}]}})
    assert kids == [{"text": "原文", "code": "1", "title": "甲", "kind": "task", "children": []}]


# -- links --------------------------------------------------------------------------------------

MILESTONES = ("region_code,year,kind,text,excerpt,source_url\n"
              "140100,2020,designation,入选探针名单甲,x,javascript:alert(1)\n"
              "140100,2021,designation,入选探针名单乙,x, JAVASCRIPT:alert(2)\n"
              "140100,2019,designation,入选探针名单丙,x,https://gov.cn@evil.example/\n")


def test_the_importer_refuses_a_milestone_link_that_is_not_http(env):
    client, _, db, _ = env
    login(client, "analyst")
    r = post(client, "/import", files={"file": ("m.csv", MILESTONES.encode(), "text/csv")},
             csrf_page="/import")
    assert r.status_code == 422, r.text[:300]
    assert r.text.count("source_url") >= 3
    with db.session() as s:
        assert not s.scalars(select(MilestoneFactRow.source_url).where(
            MilestoneFactRow.text.like("入选探针名单%"))).all()


def test_a_milestone_keeps_the_one_link_rule():
    from lantu.domain import MilestoneFact, ValidationError

    for url in ("javascript:alert(1)", "data:text/html,x", "java\tscript:x", "//evil.example"):
        with pytest.raises(ValidationError):
            MilestoneFact("140100", 2020, "designation", "入选", source_url=url)
    assert MilestoneFact("140100", 2020, "designation", "入选",
                         source_url="https://www.taiyuan.gov.cn/a").source_url


@pytest.mark.parametrize("url", ["https://tjj.taiyuan.gov.cn@evil.example/a",
                                 "https://user:pw@x.gov.cn/", "http://x.gov.cn:99999/",
                                 "https://x.gov.cn:65536/a"])
def test_links_with_a_user_or_a_port_that_is_no_port_are_refused(url):
    from lantu.domain.links import url_problem, url_problems

    assert url_problem(url) is not None
    assert url_problems([url, "https://x.gov.cn/"])[0] is not None


def test_ordinary_ports_and_at_signs_after_the_host_stay_links():
    from lantu.domain.links import url_problems

    assert url_problems(["https://x.gov.cn:8443/a", "http://x.gov.cn:65535/",
                         "https://x.gov.cn/a?mail=a@b"]) == [None, None, None]


# -- formula injection --------------------------------------------------------------------------

LEADERS = ["＝HYPERLINK(\"http://evil.example\")", "＋1+1", "－1+cmd|' /C calc'!A0", "＠SUM(1)",
           "\n=1+1", "\r\n=1+1"]


def test_full_width_and_line_feed_leaders_are_escaped_and_come_back():
    text = csv_rows([["t"]] + [[p] for p in LEADERS])
    import csv

    cells = [r[0] for r in list(csv.reader(io.StringIO(text, newline="")))[1:]]
    assert all(c.startswith("'") for c in cells), cells
    assert [unescape_text(c) for c in cells] == LEADERS
    assert [escape_text(c) for c in ("GDP", "二〇二三", "'x")] == ["GDP", "二〇二三", "'x"]


def test_the_explorer_csv_escapes_full_width_leaders(env):
    client, auth, _, _ = env
    r = client.post("/api/v1/observations", headers=auth["analyst"],
                    json={**OBS, "period": "1979", "excerpt": LEADERS[0]})
    assert r.status_code == 201, r.text
    r = client.get("/indicators/export.csv", params={"indicator": "gdp", "region": "140100",
                                                     "from": "1979", "to": "1979"})
    import csv

    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    assert rows[1][rows[0].index("excerpt")] == "'" + LEADERS[0]


def test_the_assessment_workbook_writes_names_as_text(env):
    client, _, db, _ = env
    with db.session() as s:
        names = dict(s.execute(select(DepartmentRow.code, DepartmentRow.name_zh)).all())
        s.execute(update(DepartmentRow).values(name_zh='=HYPERLINK("http://evil.example","x")'))
    try:
        login(client, "admin")
        r = client.get("/supervision/assessment.xlsx")
        assert r.status_code == 200, r.text[:300]
        with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
            for name in zf.namelist():
                if name.startswith("xl/worksheets/"):
                    assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name), name
        ws = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
        assert any(c.value == '=HYPERLINK("http://evil.example","x")' for c in ws["B"])
    finally:
        with db.session() as s:
            for code, name in names.items():
                s.execute(update(DepartmentRow).where(DepartmentRow.code == code)
                          .values(name_zh=name))


def test_the_verdict_csv_escapes_text():
    from lantu.cli.evaluate import verdict_csv

    text = verdict_csv({"nodes": [{"code": "1", "status": "x", "indicators": [],
                                   "reason": '=HYPERLINK("http://evil.example")'}]})
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


# -- caching ------------------------------------------------------------------------------------

def test_an_answer_that_sets_a_cookie_is_never_cached(env):
    client, _, _, _ = env
    client.cookies.clear()
    r = client.get("/login")
    assert "set-cookie" in r.headers and r.headers["cache-control"] == "no-store"
    token = csrf_of(client, "/login")
    r = client.post("/login", data={"username": "viewer", "password": "viewer-demo-2026",
                                    "csrf_token": token, "next": "/"})
    assert r.status_code == 303 and "lantu_session" in r.headers.get("set-cookie", "")
    assert r.headers["cache-control"] == "no-store"


# -- credentials --------------------------------------------------------------------------------

def test_ipv6_guesses_are_counted_by_their_network(env):
    _, _, db, _ = env
    outcomes = [users.check_login(db, "viewer", "wrong", f"2001:db8:5:6::{i:x}")
                for i in range(1, 8)]
    assert [o.throttled for o in outcomes] == [False] * 5 + [True] * 2
    # another /64 and an IPv4 client have their own count
    assert not users.check_login(db, "viewer", "wrong", "2001:db8:5:7::1").throttled
    assert users.throttle_address("::ffff:192.0.2.1") == "192.0.2.1"


# -- the error shape ----------------------------------------------------------------------------

def test_a_page_route_answers_json_422_in_the_one_shape(env):
    client, auth, db, _ = env
    node = task_ids(db, "czj")[0]
    client.cookies.clear()
    r = client.post(f"/supervision/tasks/{node}/report", data={"text": "no month"},
                    headers=auth["rep_czj"] | {"accept": "application/json"})
    is_api_error(r, 422)


# -- files --------------------------------------------------------------------------------------

def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_a_docx_zip_bomb_is_refused_before_it_is_parsed(env):
    """40 MiB of paragraphs packed into ~100 KB: python-docx would hold ~500 MB for it."""
    from lantu.ingest.textio import MAX_DOCX_UNPACKED_BYTES

    para = "<w:p><w:r><w:t>太原市推动高质量发展</w:t></w:r></w:p>".encode()
    doc = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
           b'wordprocessingml/2006/main"><w:body>'
           + para * (MAX_DOCX_UNPACKED_BYTES // len(para) + 1000) + b"</w:body></w:document>")
    data = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": doc})
    assert len(data) < 1_000_000
    client, _, _, _ = env
    login(client, "supervisor")
    r = post(client, "/supervision/plans/new", files={"file": ("plan.docx", data)},
             csrf_page="/supervision/plans/new")
    assert r.status_code == 422 and "可能是压缩炸弹" in r.text, (r.status_code, r.text[-500:])


def test_evidence_with_a_huge_content_type_list_is_refused_unread():
    from lantu.store.files import sniff

    bomb = _zip({"[Content_Types].xml": b"<Types>" + b" " * (64 * 1024 * 1024) + b"</Types>",
                 "word/document.xml": b"<w:document/>"})
    assert len(bomb) < 1_000_000 and sniff(bomb) is None
    ok = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    assert sniff(ok) == ("application/vnd.openxmlformats-officedocument."
                         "wordprocessingml.document")


# -- logging ------------------------------------------------------------------------------------

def test_refused_writes_and_milestone_imports_are_security_events(env, tmp_path, caplog):
    import logging

    client, auth, db, _ = env
    caplog.set_level(logging.INFO, logger="lantu.security")
    bad = tmp_path / "bad.csv"
    bad.write_text("region_code,period,indicator,value,unit,source_url\n"
                   "140100,2031,gdp,-5,亿元,javascript:alert(1)\n", encoding="utf-8")
    with pytest.raises(services.ImportRefused):
        services.import_file(db, bad, actor="mallory")
    r = client.post("/api/v1/observations", headers=auth["analyst"], json={**OBS, "value": -5.0})
    assert r.status_code == 422
    good = tmp_path / "m.csv"
    good.write_text("region_code,year,kind,text,source_url\n"
                    "140100,2018,designation,入选探针日志名单,https://www.taiyuan.gov.cn/a\n",
                    encoding="utf-8")
    services.import_file(db, good, actor="alice")
    events = [(r.event, getattr(r, "f_user", None), getattr(r, "f_via", None))
              for r in caplog.records if r.name == "lantu.security"]
    assert ("import_refused", "mallory", "file") in events
    assert ("import_refused", "analyst", "api") in events
    assert ("import", "alice", None) in events


@pytest.mark.parametrize("field,value", [("due", "9999-12-31"), ("start", "0001-01-01"),
                                         ("milestones", [{"title": "m", "due": "2999-01-01"}])])
def test_a_task_date_must_fall_in_the_plan_years(env, field, value):
    client, auth, _, _ = env
    r = client.post("/api/v1/tasks", headers=auth["admin"], json={**TASK, field: value})
    is_api_error(r, 422)


def test_an_extension_and_a_kept_deadline_must_fall_in_the_plan_years(env):
    client, auth, db, _ = env
    node = task_ids(db, "czj")[0]
    r = client.post(f"/api/v1/tasks/{node}/extension-requests", headers=auth["rep_czj"],
                    json={"due": "9999-12-31", "reason": "以后再说"})
    is_api_error(r, 422)
    login(client, "supervisor")
    r = _save_outline(client, "probe-far-due", json.dumps({"1": {"due": "9999-12-31"}}))
    assert r.status_code == 422


def test_a_link_stored_before_the_rule_is_never_rendered_live(web_db, client):
    """A database from before the link rule (or the milestone hole) may hold javascript: links:
    every page renders stored links through the one rule (the ``link`` filter)."""
    from lantu.store.models import ObservationRevisionRow, ObservationRow, PlanNodeRow, TargetRow

    with web_db.session() as s:
        for row in (ObservationRevisionRow, ObservationRow, TargetRow, MilestoneFactRow):
            s.execute(update(row).values(source_url="JavaScript:alert(document.cookie)"))
        nodes = list(s.scalars(select(PlanNodeRow.code).order_by(PlanNodeRow.position)))
    pages = ["/", "/targets", "/comparison", "/indicators?indicator=gdp&region=140100",
             *(f"/plan/{c}" for c in nodes[:12])]
    seen = 0
    for path in pages:
        r = client.get(path)
        assert r.status_code == 200, path
        assert "javascript:" not in r.text.lower(), path
        seen += r.text.count('class="src"')
    assert seen  # the pages do show sources (as text), only not as live links


@pytest.mark.parametrize("year", ["9999", "1000", "2101"])
def test_a_target_outside_the_years_lantu_handles_is_refused(env, year, tmp_path):
    _, _, db, _ = env
    f = tmp_path / "t.csv"
    f.write_text("region_code,indicator,target_period,kind,value,unit,source_url,excerpt\n"
                 f"140100,gdp,{year},level,8000,亿元,https://x.gov.cn/t,e\n", encoding="utf-8")
    with pytest.raises(services.ImportRefused) as info:
        services.import_file(db, f, dry_run=True)
    assert "target_period" in str(info.value)


def test_a_cut_utf8_file_with_a_bom_or_mixed_with_gbk_names_its_line(env, tmp_path):
    _, _, db, _ = env
    text = "region,period,indicator,value,unit\n太原市,2022,常住人口,543.5,万人\n".encode()
    cases = {"bom.csv": (b"\xef\xbb\xbf" + text[:-2], "cut inside a character", 2),
             "mixed.csv": (text + "太原市,2021,常住人口,543.5,万人\n".encode("gbk"), "line 3", 3)}
    for name, (data, words, row) in cases.items():
        f = tmp_path / name
        f.write_bytes(data)
        with pytest.raises(services.ImportRefused) as info:
            services.import_file(db, f, dry_run=True)
        problem = info.value.problems[0]
        assert words in problem.reason and problem.row == row, problem


def test_a_milestone_is_not_reached_in_year_one(env):
    from lantu.store.models import MilestoneRow

    client, _, db, _ = env
    node = task_ids(db, "fgw")[1]
    with db.session() as s:
        mid = s.scalar(select(MilestoneRow.id).where(MilestoneRow.node_id == node))
    login(client, "supervisor")
    for day in ("0001-01-01", "1900-06-30"):
        r = post(client, f"/supervision/tasks/{node}/milestones/{mid}", {"done_on": day},
                 csrf_page=f"/supervision/tasks/{node}")
        assert r.status_code == 422, (day, r.status_code)
    with db.session() as s:
        assert s.get(MilestoneRow, mid).done_on is None


def test_json_nested_past_the_parser_is_a_400_in_the_one_shape(env):
    """Deeper than Python's parser goes, with a surrogate in it (the edge's own check must not
    fail on it either): 400 with the error code, and the connection still answers."""
    client, auth, _, _ = env
    for body in ("[" * 100_000 + '"\\ud800"' + "]" * 100_000, "[" * 900 + '"\\ud800"' + "]" * 900,
                 '{"a":' * 900 + '"\\ud800"' + "}" * 900):
        r = client.post("/api/v1/observations", content=body.encode(),
                        headers=auth["analyst"] | {"content-type": "application/json"})
        is_api_error(r, 400)
    client.cookies.clear()
    is_api_error(client.get("/supervision", headers={"accept": "application/json"}), 401)


def _pdf_with_content(content: bytes, pages: int = 1) -> bytes:
    """A PDF of ``pages`` pages sharing one Flate-compressed content stream."""
    import zlib

    comp = zlib.compress(content, 9)
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(comp), comp)]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources "
             b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"
             ] * pages
    out, offsets = b"%PDF-1.4\n", []
    for k, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (k, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)


def test_a_pdf_whose_pages_hold_too_much_content_is_refused_before_its_text_is_read(tmp_path):
    """A 30 KB PDF unpacking to ~9 MB of text operators took half a minute (and one stream
    shared by a thousand pages, hours): refused before any text is read."""
    import time

    from lantu.ingest.textio import MAX_PDF_CONTENT_BYTES, TextReadError, read_text

    op = b"BT /F1 12 Tf 72 712 Td (abcd) Tj ET\n"
    for data in (_pdf_with_content(op * (MAX_PDF_CONTENT_BYTES // len(op) + 1000)),
                 _pdf_with_content(op * 100_000, pages=1000)):
        assert len(data) < 300_000
        path = tmp_path / "bomb.pdf"
        path.write_bytes(data)
        start = time.process_time()  # CPU of this process: the same on a busy machine
        with pytest.raises(TextReadError, match="MiB of content"):
            read_text(path)
        assert time.process_time() - start < 10
    path.write_bytes(_pdf_with_content(op * 200, pages=2))  # an ordinary PDF is read
    assert read_text(path).text.count("abcd") == 400


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/other.xml"])
def test_an_xlsx_whose_shared_strings_are_a_bomb_is_refused_unread(tmp_path, part):
    """openpyxl reads every shared string before the first row: 88 MB of them took 420 MB and
    18 s in a 250 KB upload, even under another part name (found by its content type)."""
    from lantu.ingest.tables_read import MAX_XLSX_SHARED_STRINGS_BYTES, ImportRefused, read_raw

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    si = b"<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>"
    n = MAX_XLSX_SHARED_STRINGS_BYTES // len(si) + 10_000
    data = _zip({
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ctype}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ctype}.worksheet+xml"/>'
            f'<Override PartName="/{part}" ContentType="{ctype}.sharedStrings+xml"/></Types>'
        ).encode(),
        "_rels/.rels": (f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/'
                        'officeDocument" Target="xl/workbook.xml"/></Relationships>').encode(),
        "xl/workbook.xml": (f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="d" '
                            'sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/worksheet" '
            f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings"'
            f' Target="{part.removeprefix("xl/")}"/></Relationships>').encode(),
        "xl/worksheets/sheet1.xml": (f'<worksheet xmlns="{main}"><sheetData><row r="1"><c r="A1"'
                                     ' t="s"><v>0</v></c></row></sheetData></worksheet>').encode(),
        part: b'<sst xmlns="%s">' % main.encode() + si * n + b"</sst>",
    })
    assert len(data) < 1_000_000
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    with pytest.raises(ImportRefused, match="shared strings"):
        read_raw(path)


@pytest.mark.parametrize("html", [
    b"<html><body>" + "<p>太原市地区生产总值5000亿元</p>".encode() * 20_000 + b"</body></html>",
    b"<html><body>" + b"<div>" * 20_000 + "太原市地区生产总值".encode() + b"</div>" * 20_000
    + b"</body></html>"])
def test_a_long_or_deep_html_page_is_read_in_linear_time(tmp_path, html):
    """20,000 paragraphs (700 KB) took a minute and 20,000 nested divs (220 KB) half a minute
    (breaks were inserted into the tree one by one): now a second or so."""
    import time

    from lantu.ingest.textio import read_text

    path = tmp_path / "page.html"
    path.write_bytes(html)
    start = time.process_time()  # CPU of this process: the same on a busy machine
    text = read_text(path).text
    assert time.process_time() - start < 8
    assert "太原市地区生产总值" in text
    assert len(text.split("\n\n")) == max(1, html.count(b"<p>"))  # a paragraph a block


def test_a_text_of_one_endless_sentence_is_extracted_in_linear_time():
    """2,000 figures in one "sentence" (80 KB, no 。) took 38 s: every figure walked the whole
    sentence again. Now the sentence is found by binary search and reaches back at most
    MAX_CONTEXT characters."""
    import time

    from lantu.ingest.extract import extract_text

    text = "太原市地区生产总值5000亿元，" * 2000
    start = time.process_time()  # CPU of this process: the same on a busy machine
    extract_text(text, region_code="140100", year=2023)
    assert time.process_time() - start < 15
