"""UTF-16 that lost its byte-order mark and is mostly Chinese: it was called binary (a zero
byte only where ASCII stands) or read as GBK gibberish (no zero byte at all). Now the one
decoding rule (:func:`lantu.ingest.textio.decode_text`) names it, for a table (``lantu import``,
the web import page) and a text for review alike, and says what to do; text in UTF-8 or GBK is
never taken for it. The tests failed on the code before."""

from __future__ import annotations

import random

import pytest
from typer.testing import CliRunner

from hostile import snapshot
from lantu.cli import app
from lantu.ingest.tables import ImportRefused, read_raw
from lantu.ingest.textio import TextReadError, Undecodable, decode_text, read_text

MARKLESS = "UTF-16 text without a byte-order mark; save it again as UTF-8"
EXCERPT = "全市地区生产总值完成5571.17亿元，按不变价格计算，比上年增长6.4%，其中第三产业增加值增长较快"
TABLE = ("地区,年份,指标,数值,单位,摘录\n"
         + "".join(f"太原市,{y},地区生产总值,5571.17,亿元,{EXCERPT}\n" for y in range(2015, 2023)))
REPORT = "二〇二三年太原市人民政府工作报告。去年全市经济运行稳中有进，地区生产总值增长百分之五。" * 40


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_table_in_utf16_without_its_mark_is_named_not_binary(tmp_path, codec):
    p = tmp_path / "t.csv"
    p.write_bytes(TABLE.encode(codec))
    with pytest.raises(ImportRefused, match=MARKLESS) as info:
        read_raw(p)
    assert str(p) in str(info.value) and "binary" not in str(info.value)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_chinese_text_in_utf16_without_its_mark_is_named_for_review(tmp_path, codec):
    # no zero byte at all: it was decoded as GBK into gibberish (or refused as undecodable)
    data = REPORT.encode(codec)
    assert b"\x00" not in data
    (tmp_path / "r.txt").write_bytes(data)
    with pytest.raises(TextReadError, match=MARKLESS):
        read_text(tmp_path / "r.txt")


def test_the_command_refuses_it_and_writes_nothing(ref_db, tmp_path):
    p = tmp_path / "导出.csv"
    p.write_bytes(TABLE.encode("utf-16-le"))
    before = snapshot(ref_db)
    res = CliRunner().invoke(app, ["import", str(p), "--db",
                                   ref_db.engine.url.render_as_string(hide_password=False)])
    assert res.exit_code != 0 and "导出.csv" in res.output and MARKLESS in res.output
    assert snapshot(ref_db) == before


def test_the_web_import_page_names_it(client, web_db):
    from webutil import login, post

    login(client, "analyst")
    r = post(client, "/import", {}, files={"file": ("u.csv", TABLE.encode("utf-16-le"),
                                                    "text/csv")}, csrf_page="/import")
    assert r.status_code == 422 and "不带字节顺序标记（BOM）的 UTF-16" in r.text  # the page speaks Chinese


def test_chinese_in_utf8_gbk_and_marked_utf16_is_still_read(shared_dir):
    texts = sorted((shared_dir / "corpus").rglob("*.md"))
    assert len(texts) > 100
    for path in texts:
        text = path.read_text(encoding="utf-8")
        assert decode_text(text.encode("utf-8"))[1] == "utf-8", path
        assert decode_text(text.encode("gb18030"))[1] == "gbk", path
        assert decode_text(text.encode("utf-16"))[1] == "utf-16", path
    for text in (TABLE, REPORT):
        assert decode_text(text.encode("gbk")) == (text, "gbk")


def test_binary_stays_binary():
    rng = random.Random(8)
    for _ in range(50):
        data = bytes(rng.randrange(256) for _ in range(4096))
        with pytest.raises(Undecodable) as info:
            decode_text(b"\x89PNG\r\n\x1a\n\x00\x00" + data)
        assert "binary" in info.value.reason


def test_the_review_upload_names_it_too(client, web_db):
    from lantu.store.files import UploadRefused
    from lantu.textreview import upload_extension
    from webutil import login, post

    data = ("太原市" + "2022年全市地区生产总值完成5571.17亿元，增长4.5%。" * 20).encode("utf-16-le")
    with pytest.raises(UploadRefused, match=MARKLESS):  # was: "must be .md, .txt, …" (415)
        upload_extension(data, "report.txt", max_bytes=100_000)
    login(client, "analyst")
    r = post(client, "/review", {"region": "140100", "year": "2022"},
             files={"file": ("r.txt", data, "text/plain")}, csrf_page="/review")
    assert r.status_code == 415 and "不带字节顺序标记（BOM）的 UTF-16" in r.text  # the page speaks Chinese
    # without a zero byte (no ASCII at all) the type check lets it through as text, and the
    # reader names it
    pure = REPORT.encode("utf-16-be")
    r = post(client, "/review", {"region": "140100", "year": "2022"},
             files={"file": ("p.txt", pure, "text/plain")}, csrf_page="/review")
    assert r.status_code in (415, 422) and "不带字节顺序标记（BOM）的 UTF-16" in r.text  # the page speaks Chinese
