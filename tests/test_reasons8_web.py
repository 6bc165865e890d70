"""The reasons of a refused import on the real pages: Chinese on the Chinese /import page (the
reason column and a whole-file refusal), as written on the English one; the text review's
import refusal and the error page go through the same filter."""

from __future__ import annotations

import re

from webutil import login, post

BAD = ("region_code,period,indicator,value,unit,flags,source_url,excerpt\n"
       "999999,2021,gdp,1,亿元,,,\n"
       "140100,20x1,gdp,1,亿元,,,\n"
       "140100,2021,gdp,৪,亿元,,,\n"
       "140100,2021,gdp,1,亿元,,javascript:alert(1),\n"
       "140100,2021,gdp,5,万人,,,\n")

ZH = ["无法识别的地区（请填写 GB/T 2260 行政区划代码或系统中已有的地区中文名称）",
      "不是有效的时期（应为 2023、2023Q1 或 2023-03）",
      "含其他文字的数字（&#39;৪&#39; 为孟加拉数字 4），请使用 0–9 书写",
      "仅接受 http(s) 链接，不接受 &#39;javascript:&#39;",
      "单位 &#39;万人&#39; 与 gdp 的单位 &#39;亿元&#39; 不符，且无法精确换算"]
EN = ["unknown region (give a GB/T 2260 code or a Chinese name Lantu knows)",
      "not a period (2023, 2023Q1 or 2023-03)",
      "a digit of another script (&#39;৪&#39; is 4, BENGALI DIGIT FOUR); write the number "
      "with the digits 0-9",
      "only http(s) links are kept, not &#39;javascript:&#39;",
      "unit &#39;万人&#39; does not match gdp&#39;s unit &#39;亿元&#39; and cannot be converted "
      "exactly"]


def _upload(client, content: bytes, name: str, lang: str):
    client.cookies.set("lantu_lang", lang)
    return post(client, "/import", files={"file": (name, content, "text/csv")},
                csrf_page="/import")


def _reasons(html: str) -> list[str]:
    return re.findall(r'<td data-label="[^"]*">([^<]*)</td><td data-label="[^"]*">[^<]*</td></tr>',
                      html)


def test_the_chinese_import_page_gives_each_reason_in_chinese(client):
    login(client, "analyst")
    r = _upload(client, BAD.encode(), "坏文件.csv", "zh")
    assert r.status_code == 422
    shown = _reasons(r.text)
    assert len(shown) == 5
    for text in ZH:
        assert text in shown, (text, shown)
    for text in EN:
        assert text not in r.text


def test_the_english_import_page_gives_each_reason_as_written(client):
    login(client, "analyst")
    r = _upload(client, BAD.encode(), "bad.csv", "en")
    assert r.status_code == 422
    shown = _reasons(r.text)
    for text in EN:
        assert text in shown, (text, shown)
    assert not any(re.search(r"[\u4e00-\u9fff]{2}", s.replace("亿元", "").replace("万人", ""))
                   for s in shown), shown


def test_a_file_that_cannot_be_read_is_refused_in_the_pages_language(client):
    login(client, "analyst")
    binary = b"\x00\x01\x02\x03" * 50
    r = _upload(client, binary, "x.csv", "zh")
    assert r.status_code == 422 and "文件为二进制文件，不是 CSV 文本表格" in r.text
    assert "the file is binary" not in r.text
    r = _upload(client, binary, "x.csv", "en")
    assert r.status_code == 422 and "the file is binary, not a CSV text table" in r.text


def test_the_plan_upload_refusal_is_shown_in_the_pages_language(client):
    """A domain ValidationError without a locale key (the error page): a blueprint with no
    Chinese text."""
    login(client, "supervisor")
    for lang, said in (("zh", "blueprint.txt：未找到中文文字"),
                       ("en", "blueprint.txt: no Chinese text found")):
        client.cookies.set("lantu_lang", lang)
        r = post(client, "/supervision/plans/new",
                 files={"file": ("blueprint.txt", b"only english words here", "text/plain")},
                 csrf_page="/supervision/plans/new")
        assert r.status_code == 422 and said in r.text, (lang, r.text[-800:])
