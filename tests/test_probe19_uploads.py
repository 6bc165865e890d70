"""The twelfth attacker round (probe19, ``benchmarks/probe19_cases.md``) sent the web's uploads
from outside. What fell through, each held here on SQLite and PostgreSQL:

- an upload's name was kept as the client wrote it on the import page: a Windows path
  (``..\\..\\evil.csv``) shown and stored whole, a bidi control (``evil\\u202evsc.csv``) shown,
  and a 1,000-character name previewed that its confirm then refused (the batch's column holds
  500). Now every file name of every form is a label (the label rule refuses a bidi control,
  415) and is kept as its last path part, bounded (``deps._form_limits``, ``files.upload_name``);
- the limits of a form (5 files, 200 fields) were given to ``request.form`` after FastAPI had
  read the form with Starlette's defaults (1,000 of each): six files reached the import page,
  the last one read silently. They are counted where the form is read now;
- a multipart body cut before its closing boundary was read as the parts that arrived (the
  import answered "no file", 422): now 400 (``edge.MultipartText.unfinished``);
- a preview confirmed after another import changed the same figures overwrote what the analyst
  never saw. Now the confirm writes what the preview showed or nothing: 409 with the preview
  again, made from the data as it is (``services.outcome_digest``, ``PreviewOutdated``);
- a file whose rows are all kept as revisions only (a better source is stored) was previewed as
  "nothing to import", while ``lantu import`` stores them: the preview now counts them and lets
  them be confirmed.

Every test here failed on the code before (the service test with a TypeError: no ``expect``).
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from sqlalchemy import select

from lantu import services
from lantu.store.models import ImportBatchRow
from lantu.store.models_web import EvidenceFileRow
from webutil import backend_app, csrf_of, form_version, login, task_ids

BOUNDARY = "probe19-b0undary"
SRC = "https://tjj.taiyuan.gov.cn/p19"
L = "region_code,period,indicator,value,unit,flags,source_url,excerpt"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, web_template_db, tmp_path_factory):
    with backend_app(request, web_template_db, tmp_path_factory.mktemp("probe19u"), (),
                     "probe19u") as app:
        yield app


def csv(year: int, value: float) -> bytes:
    return f"{L}\n140100,{year},gdp,{value},亿元,,{SRC},probe19\n".encode()


def xlsx(year: int, value: float) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(L.split(","))
    ws.append(["140100", str(year), "gdp", value, "亿元", "", SRC, "probe19"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def body(fields: dict[str, str], files: list[tuple[str, bytes, bytes]], *,
         close: bool = True) -> bytes:
    """A multipart body by hand: ``files`` are (field, raw filename bytes, content)."""
    out = b"".join(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                   .encode() for k, v in fields.items())
    for field, name, data in files:
        out += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="'
                .encode() + name + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
                + data + b"\r\n")
    return out + (f"--{BOUNDARY}--\r\n".encode() if close else b"")


def send(client, path: str, content: bytes):
    return client.post(path, content=content,
                       headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"})


def preview(client, data: bytes, name: str = "t.csv", **fields):
    token = csrf_of(client, "/import")
    return send(client, "/import", body({"csrf_token": token, **fields},
                                        [("file", name.encode(), data)]))


def token_of(r) -> str:
    m = re.search(r'name="token" value="([^"]+)"', r.text)
    return m.group(1) if m else ""


def confirm(client, token: str):
    return client.post("/import/confirm", data={"token": token,
                                                "csrf_token": csrf_of(client, "/import")})


def gdp(db, year: int) -> float | None:
    from lantu.store.models import ObservationRow

    with db.session() as s:
        return s.scalar(select(ObservationRow.value).where(
            ObservationRow.region_code == "140100", ObservationRow.period == str(year),
            ObservationRow.indicator_code == "gdp"))


def last_batch_file(db) -> str:
    with db.session() as s:
        return s.scalar(select(ImportBatchRow.file).order_by(ImportBatchRow.id.desc()).limit(1))


def test_the_path_of_an_import_upload_name_is_dropped(env):
    client, _, db, _ = env
    login(client, "analyst")
    r = preview(client, csv(1961, 61.5), "..\\..\\..\\evil.csv")
    assert r.status_code == 200, r.text[-500:]
    assert 'name="file" value="evil.csv"' in r.text and "..\\" not in r.text
    assert confirm(client, token_of(r)).status_code == 200
    assert last_batch_file(db) == "evil.csv" and gdp(db, 1961) == 61.5


def test_a_long_upload_name_previewed_is_confirmed_under_a_bounded_name(env):
    client, _, db, _ = env
    login(client, "analyst")
    r = preview(client, csv(1962, 62.5), "a" * 996 + ".csv")
    assert r.status_code == 200 and token_of(r)
    done = confirm(client, token_of(r))
    assert done.status_code == 200, done.text[-500:]
    name = last_batch_file(db)
    assert len(name) == 200 and name.endswith(".csv") and gdp(db, 1962) == 62.5


@pytest.mark.parametrize("name", ["evil\u202evsc.csv", "a\tb.csv", "x\u200b.csv"])
def test_a_bidi_or_invisible_mark_in_an_upload_name_is_refused(env, name):
    client, _, _, _ = env
    login(client, "analyst")
    r = preview(client, csv(1963, 63.5), name)
    assert r.status_code == 415, r.text[-500:]
    assert not token_of(r) and "\u202e" not in r.text


def test_a_multipart_body_cut_before_its_closing_boundary_is_refused(env):
    client, _, db, _ = env
    login(client, "analyst")
    cut = body({"csrf_token": csrf_of(client, "/import")}, [("file", b"t.csv", csv(1964, 1))],
               close=False)
    r = send(client, "/import", cut)
    assert r.status_code == 400 and not token_of(r), r.text[-400:]
    # the evidence of a report: nothing attached, no report saved with a part of it
    node = task_ids(db, "fgw")[0]
    login(client, "rep_fgw")
    page = f"/supervision/tasks/{node}?month=2026-10"
    fields = {"csrf_token": csrf_of(client, page), "month": "2026-10", "text": "进展",
              "percent": "10", "action": "save", **form_version(client, page)}
    with db.session() as s:
        before = s.scalar(select(EvidenceFileRow.id).order_by(EvidenceFileRow.id.desc()).limit(1))
    r = send(client, f"/supervision/tasks/{node}/report",
             body(fields, [("evidence", b"a.txt", "说明".encode())], close=False))
    assert r.status_code == 400, r.text[-400:]
    with db.session() as s:
        assert s.scalar(select(EvidenceFileRow.id).order_by(EvidenceFileRow.id.desc())
                        .limit(1)) == before


@pytest.mark.parametrize("path", ["/import", "/review"])
def test_more_files_than_the_limit_are_refused_on_every_upload_route(env, path):
    client, _, _, _ = env
    login(client, "analyst")
    files = [("file", f"t{i}.csv".encode(), csv(1965, 1)) for i in range(6)]
    r = send(client, path, body({"csrf_token": csrf_of(client, "/import"), "region": "140100",
                                 "year": "2024"}, files))
    assert r.status_code == 413, r.text[-400:]
    assert not token_of(r)


def test_more_fields_than_the_limit_are_refused(env):
    client, _, _, _ = env
    login(client, "analyst")
    fields = {"csrf_token": csrf_of(client, "/import"), **{f"f{i}": "1" for i in range(201)}}
    r = send(client, "/import", body(fields, [("file", b"t.csv", csv(1966, 1))]))
    assert r.status_code == 400 and not token_of(r), r.text[-400:]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_confirm_after_another_import_of_the_same_figures_writes_nothing(env, kind):
    client, _, db, _ = env
    year = {"csv": 1967, "xlsx": 1968}[kind]
    make, name = (csv, "t.csv") if kind == "csv" else (xlsx, "t.xlsx")
    login(client, "admin")
    first = preview(client, make(year, 1000))
    assert confirm(client, token_of(first)).status_code == 200  # a preview as it was: written
    assert gdp(db, year) == 1000
    login(client, "analyst")
    mine = token_of(preview(client, make(year, 1111), name))
    login(client, "admin")
    assert confirm(client, token_of(preview(client, make(year, 2222), name))).status_code == 200
    login(client, "analyst")
    r = confirm(client, mine)
    assert r.status_code == 409, r.text[-500:]
    assert gdp(db, year) == 2222  # nothing written
    assert "2222" in r.text and token_of(r) and token_of(r) != mine  # previewed again
    assert confirm(client, mine).status_code == 404  # the old preview is gone
    assert confirm(client, token_of(r)).status_code == 200
    assert gdp(db, year) == 1111


def test_the_service_refuses_an_import_that_is_not_its_preview(env, tmp_path):
    _, _, db, _ = env
    path = tmp_path / "t.csv"
    path.write_bytes(csv(1969, 69.5))
    dry = services.import_file(db, path, actor="analyst", dry_run=True)
    with pytest.raises(services.PreviewOutdated):
        services.import_file(db, path, actor="analyst", expect="0" * 64)
    assert gdp(db, 1969) is None
    done = services.import_file(db, path, actor="analyst", expect=dry.digest)
    assert done.digest == dry.digest and gdp(db, 1969) == 69.5


def test_values_kept_only_as_revisions_are_shown_and_can_be_confirmed(env):
    client, _, db, _ = env
    login(client, "analyst")
    stored = gdp(db, 2010)
    assert stored is not None  # the demo's figure, from a better source than this file
    r = preview(client, csv(2010, 1.5))
    assert r.status_code == 200 and token_of(r), r.text[-600:]
    assert "仅作为修订记录保存" in r.text
    assert confirm(client, token_of(r)).status_code == 200
    assert gdp(db, 2010) == stored  # kept as a revision, the better source's value stands


def test_a_preview_with_nothing_to_confirm_is_not_kept_staged(env):
    client, _, _, home = env
    login(client, "analyst")
    r = preview(client, csv(1970, 70.5))
    assert confirm(client, token_of(r)).status_code == 200
    before = sorted(p.name for p in (home / "imports").iterdir())
    again = preview(client, csv(1970, 70.5))  # the same figure: nothing to import
    assert again.status_code == 200 and not token_of(again)
    assert sorted(p.name for p in (home / "imports").iterdir()) == before
