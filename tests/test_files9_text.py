"""What the seventh round left alone on the file side, closed (files9): the bytes of a text.

- Evidence in UTF-16 with its mark (Excel's "Unicode text", Notepad's "Unicode": a CSV or a
  note saved so) was refused as no allowed type while the text review accepts the same bytes:
  evidence asks the one decoding rule now (``domain.textcodec.decode_text``, which moved below
  the store so both can ask it), keeps the bytes as uploaded and hands a text back naming the
  charset it is in (GBK and UTF-16 were served as ``charset=utf-8``); UTF-16 that lost its mark
  and UTF-8 cut or damaged are refused with the rule's own reason, as the text review does.
- Python's codec messages (``invalid start byte``, ``unexpected end of data``) and the csv
  module's stood in English inside the Chinese pages: the reasons name line, byte and its value
  in Lantu's words, each with a Chinese template.

Hand answers first; each test failed on the code before unless its name ends in ``_held``.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from lantu.reasons import match, reason_text
from lantu.store.files import UploadRefused, sniff, store_upload
from webutil import login, post, report_version, task_ids

MONTH = date.today().strftime("%Y-%m")
CSV = "地区,年份,地区生产总值\n太原市,2023,5571.17\n"
CODEC_WORDS = re.compile(r"invalid start byte|invalid continuation byte|unexpected end of data|"
                         r"codec|expected after|field limit|truncated data|illegal")
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"\b[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b")


# -- evidence --------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_evidence_in_utf16_with_its_mark_is_text(tmp_path, encoding):
    data = CSV.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert sniff(data) == "text/plain"
    st = store_upload(tmp_path, data, max_bytes=1 << 20, original_name="表.csv")
    assert st.content_type == "text/plain" and st.size == len(data)  # kept as uploaded


@pytest.mark.parametrize("data,words", [
    (CSV.encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
    (CSV.encode() + "太原".encode()[:-1], "cut inside a character at its end"),
    (CSV.encode()[:7] + b"\xff" + CSV.encode()[7:], "damaged at line 1 (byte 8)"),
])
def test_text_evidence_the_rule_cannot_read_is_named_as_such(tmp_path, data, words):
    # was: "only PDF, PNG, JPEG, DOCX, XLSX and plain text files are accepted" (or, for a cut
    # or damaged UTF-8 file, stored as GB18030 mojibake)
    with pytest.raises(UploadRefused) as info:
        store_upload(tmp_path, data, max_bytes=1 << 20, original_name="n.txt")
    assert info.value.status == 415 and words in str(info.value)


def test_binary_and_control_bytes_are_still_no_text_held():
    assert sniff(b"MZ\x90\x00\x03\x00") is None and sniff(b"a\x1bb") is None
    assert sniff(b"\xff\xfe" + "a\x1bb".encode("utf-16-le")) is None  # the control rule too


def test_utf16_and_gbk_evidence_is_served_in_its_charset(client, web_db):
    node = task_ids(web_db, "fgw")[0]
    login(client, "rep_fgw")
    sent = {"u16.csv": CSV.encode("utf-16"), "gbk.txt": CSV.encode("gbk"),
            "u8.txt": CSV.encode()}
    r = post(client, f"/supervision/tasks/{node}/report",
             {"month": MONTH, "text": "进展", "percent": "10", "action": "save",
              "version": report_version(web_db, node, "fgw", MONTH)},
             files=[("evidence", (name, data, "text/csv")) for name, data in sent.items()])
    assert r.status_code == 303, r.text[:400]
    page = client.get(f"/supervision/tasks/{node}?month={MONTH}").text
    got = {}
    for eid in re.findall(r"/supervision/evidence/(\d+)", page):
        d = client.get(f"/supervision/evidence/{eid}")
        got[d.content] = d.headers["content-type"]
    assert got == {sent["u16.csv"]: "text/plain; charset=utf-16",
                   sent["gbk.txt"]: "text/plain; charset=gbk",
                   sent["u8.txt"]: "text/plain; charset=utf-8"}


def test_markless_utf16_evidence_is_refused_in_chinese_on_the_page(client, web_db):
    node = task_ids(web_db, "fgw")[0]
    login(client, "rep_fgw")
    r = post(client, f"/supervision/tasks/{node}/report",
             {"month": MONTH, "text": "进展", "percent": "10", "action": "save",
              "version": report_version(web_db, node, "fgw", MONTH)},
             files=[("evidence", ("n.csv", CSV.encode("utf-16-le"), "text/csv"))])
    assert r.status_code == 415  # was: "只接受 PDF、PNG、JPEG、DOCX、XLSX 和纯文本文件" — it is text
    assert "无法读取该文本文件：文件似为不带字节顺序标记（BOM）的 UTF-16 文本" in r.text


# -- the codec's words ----------------------------------------------------------------------


def _reason(data: bytes) -> str:
    from lantu.ingest.textio import Undecodable, decode_text

    with pytest.raises(Undecodable) as info:
        decode_text(data)
    return info.value.reason


@pytest.mark.parametrize("data,said", [
    # a byte that cannot begin a character, on line 2
    ("地区,年份\n".encode() + b"\xff" + "太原市,2023\n".encode(),
     "damaged at line 2 (byte 15): the byte 0xFF cannot begin a character"),
    # a character begun (太 = E5 A4 AA) and broken by an ASCII byte
    ("地区\n".encode() + b"\xe5\xa4," + "原市\n".encode(),
     "damaged at line 2 (byte 8): the character begun by 0xE5 is broken by 0x2C"),
    # cut at the end
    ("地区\n太原".encode()[:-1], "cut inside a character at its end (byte 11 of 12)"),
    # UTF-16 with its mark, an odd byte at the end
    ("地区\n".encode("utf-16") + b"\x00", "holds an odd number of bytes (9)"),
    # UTF-16 with its mark, a lone surrogate
    (b"\xff\xfe" + "地区".encode("utf-16-le") + b"\x00\xd8" + "区".encode("utf-16-le"),
     "cannot be decoded as UTF-16 at line 1 (byte 7)"),
])
def test_undecodable_bytes_are_named_in_lantus_words(data, said):
    reason = _reason(data)
    assert said in reason and not CODEC_WORDS.search(reason), reason
    zh = reason_text("zh", reason)
    assert match(reason) is not None and CJK.search(zh) and not ENGLISH.search(zh), zh


def test_a_csv_the_csv_module_cannot_read_names_the_line_in_chinese(tmp_path, cat):
    from hostile import refused, write

    (p,) = refused(write(tmp_path, "q.csv", 'region_code,period,indicator,value\n'
                                             '140100,2021,gdp,"1"x\n'), cat)
    assert p.reason.startswith("not a readable CSV (text line 2)")
    assert not CODEC_WORDS.search(p.reason)
    zh = reason_text("zh", p.reason)
    assert CJK.search(zh) and not ENGLISH.search(zh), zh


def test_the_import_page_names_a_damaged_byte_in_chinese(client, web_db):
    login(client, "analyst")
    data = "地区,时期,指标,数值\n太原市,2021,gdp,1\n".encode() + b"\xff" + "太原市,2022,gdp,2\n".encode()
    r = post(client, "/import", {}, files={"file": ("d.csv", data, "text/csv")},
             csrf_page="/import")
    assert r.status_code == 422
    assert "处损坏：字节 0xFF 不能作为字符的开头" in r.text and "invalid" not in r.text
