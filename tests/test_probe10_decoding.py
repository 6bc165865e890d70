"""The seventh round (files): the one rule of decoding the bytes of a text a user brings — a
CSV table and a text for review, a plan or ``lantu extract`` alike (UTF-16 with its mark, UTF-8
cut or damaged told as such, not read as GBK; the charset an HTML page declares where the bytes
cannot tell). Each test failed on the code before."""

from __future__ import annotations

import pytest

from lantu.ingest.tables import ImportRefused, read_raw
from lantu.ingest.textio import TextReadError, read_text

FIGURE = "太原市2022年地区生产总值5571.17亿元，增长3.9%。"


def test_a_text_in_utf16_with_its_mark_is_read(tmp_path):
    (tmp_path / "t.txt").write_bytes(("\ufeff" + FIGURE).encode("utf-16-le"))  # Notepad's "Unicode"
    assert read_text(tmp_path / "t.txt").text == FIGURE
    (tmp_path / "t.html").write_bytes(f"<html><body><p>{FIGURE}</p></body></html>"
                                      .encode("utf-16"))
    assert read_text(tmp_path / "t.html").text == FIGURE


@pytest.mark.parametrize("cut", ["end", "middle"])
def test_a_text_of_utf8_cut_or_damaged_is_an_encoding_problem(tmp_path, cut):
    data = (FIGURE * 3).encode()
    data = data[:-1] if cut == "end" else data[:40] + b"\xff" + data[40:]
    (tmp_path / "t.txt").write_bytes(data)
    with pytest.raises(TextReadError, match="UTF-8 text but (cut inside a character|damaged "
                                            "at line 1)"):
        read_text(tmp_path / "t.txt")


def test_an_html_page_in_big5_is_read_in_the_charset_it_declares(tmp_path):
    page = '<html><head><meta charset="big5"></head><body><p>地區生產總值5571.17億元</p></body></html>'
    (tmp_path / "b.html").write_bytes(page.encode("big5"))
    assert read_text(tmp_path / "b.html").text == "地區生產總值5571.17億元"
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">'
            f'</head><body><p>{FIGURE}</p></body></html>')
    (tmp_path / "g.html").write_bytes(page.encode("gbk"))
    assert read_text(tmp_path / "g.html").text == FIGURE
    # a page that declares a charset its bytes are not in is read by its bytes
    (tmp_path / "u.html").write_bytes(page.replace("gbk", "big5").encode("utf-8"))
    assert read_text(tmp_path / "u.html").text == FIGURE


def test_utf16_without_its_mark_is_named_as_such(tmp_path):
    (tmp_path / "t.csv").write_bytes("region_code,period,indicator,value\n140100,2022,gdp,1\n"
                                     .encode("utf-16-le"))
    with pytest.raises(ImportRefused, match="UTF-16 text without a byte-order mark"):
        read_raw(tmp_path / "t.csv")


def test_the_review_upload_takes_a_text_in_utf16_with_its_mark():
    from lantu.store.files import UploadRefused
    from lantu.textreview import upload_extension

    data = ("\ufeff" + FIGURE).encode("utf-16-le")  # was 415: "must be .md, .txt, …"
    assert upload_extension(data, "report.txt", max_bytes=10_000) == ".txt"
    assert upload_extension(("<html><body>" + FIGURE).encode("utf-16"), "r.html",
                            max_bytes=10_000) == ".html"
    with pytest.raises(UploadRefused):  # binary behind the mark stays refused
        upload_extension(b"\xff\xfe" + bytes(range(256)), "x.txt", max_bytes=10_000)


def test_a_text_in_utf16_is_reviewed_through_the_web(client, web_db):
    from webutil import login, post

    login(client, "analyst")
    r = post(client, "/review", {"region": "140100", "year": "2022"},
             files={"file": ("r.txt", ("\ufeff" + FIGURE).encode("utf-16-le"), "text/plain")},
             csrf_page="/review")
    assert r.status_code in (200, 303), r.text[:500]
    page = client.get(r.headers["location"]) if r.status_code == 303 else r
    assert "5571.17" in page.text
