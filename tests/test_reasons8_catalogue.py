"""The reasons of a refused import in the reader's language (lantu.reasons): every reason the
readers and the gate actually write for a broad set of bad inputs — one bad cell per rule, and
files that cannot be read at all — is matched by a template of ``locale/en/reasons8.yaml`` and
shown in Chinese (CJK, no English sentence left but the values read off it), unchanged in
English. A reason reworded in the code without its template fails here (drift)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pandas as pd
import pytest

from hostile import HEADER, TODAY, workbook, write
from lantu import defaults
from lantu.domain import gate
from lantu.domain.observations import FRAME_COLUMNS
from lantu.ingest.tables import ImportRefused, parse_file
from lantu.locale import catalogue
from lantu.reasons import PREFIX, WORD, match, reason_text, templates

CJK = re.compile(r"[\u4e00-\u9fff]")
#: three English words in a row: a sentence left untranslated
ENGLISH = re.compile(r"\b[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b")

# one bad cell (or row) per rule of a long table
BAD_ROWS = [
    "999999,2021,gdp,1,亿元,,,",                      # unknown region
    ",2021,gdp,1,亿元,,,",                            # region is empty
    "140100,2021,no_such_indicator,1,,,,",            # unknown indicator
    "140100,2021,,1,,,,",                             # indicator is empty
    "140100,20x1,gdp,1,亿元,,,",                       # not a period
    "140100,2031,gdp,1,亿元,,,",                       # in the future
    "140100,1900,gdp,1,亿元,,,",                       # year outside 1949–2100
    "140100,2021,gdp,abc,亿元,,,",                     # not a number
    "140100,2021,gdp,5万元,亿元,,,",                   # the value says a unit
    "140100,2021,gdp,৪,亿元,,,",                       # a digit of another script
    "140100,২০২১,gdp,1,亿元,,,",                       # a period in another script's digits
    "140100,2021,gdp,#REF!,亿元,,,",                   # a spreadsheet error
    "140100,2021,gdp,约5000,亿元,,,",                  # approximate
    "140100,2021,gdp,5000-6000,亿元,,,",               # a range
    "140100,2021,gdp,1e400,亿元,,,",                   # too large
    "140100,2021,gdp,-5,亿元,,,",                      # below the range
    "140100,2021,urbanization_rate,128,%,,,",         # above the range
    "140100,2021,gdp,5,%,,,",                         # a percentage of an amount
    "140100,2021,gdp,5,美元,,,",                       # a unit that cannot be converted
    "140100,2021,population,5万,万人,,,",              # a scale word twice
    "140100,2021,tertiary_share,50,%,,,",             # derived
    "140100,2021,gdp,1,亿元,bogus_flag,,",             # unknown flag
    "140100,2021,gdp,1,亿元,,javascript:alert(1),",   # a link that is no http(s) one
    "140100,2021,gdp,1,亿元,,https://a b.cn/x,",       # a blank in a link
    "140100,2021,gdp,1,亿元,,https://user@x.cn/,",     # a user before the host
    "140100,2021,gdp,1,亿元,,https://x.cn:99999/,",    # a port
    "140100,2021,gdp,1,亿元,,https://0x7f.1/,",        # a numeric host
    "140100,2021,gdp,1,亿元,,https://ехample.com/,",  # a look-alike host (Cyrillic)
    "140100,2021,gdp,1,亿元,,,a\x1bb",                 # a control character
    "140100,2022,gdp,5571.17,亿元,,,",
    "140100,2022,gdp,5600,亿元,,,",                    # conflicting duplicate
    "140100,2021,gdp,1,亿元,,,,extra,cells",           # too many cells
    "140100,2021",                                    # too few cells
    HEADER.strip(),                                   # the header repeated
]

# whole files that cannot be read, by name and bytes
BAD_FILES = [
    ("empty.csv", b""),
    ("binary.csv", b"\x00\x01\x02\x03" * 50),
    ("utf16.csv", "地区,时期\n".encode("utf-16-le")),
    ("damaged.csv", HEADER.encode() + "140100,2021,gdp,1,亿元,,,太原\n".encode()[:-4] + b"\xff\n"),
    ("cut.csv", HEADER.encode() + "140100,2021,gdp,1,亿元,,,太".encode()[:-1]),
    ("mixed.csv", HEADER.encode() + "140100,2021,gdp,1,亿元,,,太原\n".encode("gbk") + b"\x80\x80"),
    ("quote.csv", (HEADER + '140100,2021,gdp,1,亿元,,,"open\n').encode()),
    ("header.csv", b"a,b,c\n1,2,3\n"),
    ("html.xlsx", b"<html><body><table><tr><td>1</td></tr></table></body></html>"),
    ("text.xlsx", b"region_code,period\n"),
    ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 60),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
    ("notes.md", b"# notes\n"),
    # files8: a header alone, a number split at its thousands separator (a row too long, and
    # a row that kept its width), a 2023.1 that may be October
    ("header_only.csv", b"region,period,indicator,value\n"),
    ("split.csv", "region,period,indicator,value\n太原市,2023,gdp,5,571.17\n".encode()),
    ("split_unit.csv", "region,period,indicator,value,unit\n太原市,2023,gdp,5,571.17\n".encode()),
    ("october.csv", "region,period,indicator,value\n太原市,2023.1,gdp,1\n太原市,2023.11,gdp,2\n"
     .encode()),
]


def _zip_not_xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    return buf.getvalue()


def _refusals(path, cat, **kw) -> list[str]:
    try:
        parse_file(path, cat, **kw)
    except ImportRefused as exc:
        return [p.reason for p in exc.problems]
    return []


@pytest.fixture(scope="module")
def produced(cat, tmp_path_factory) -> list[str]:
    """Every distinct reason the readers and the gate write for the bad inputs above."""
    tmp = tmp_path_factory.mktemp("reasons8")
    reasons: list[str] = []
    reasons += _refusals(write(tmp, "rows.csv", HEADER + "\n".join(BAD_ROWS) + "\n"), cat)
    for name, data in [*BAD_FILES, ("archive.xlsx", _zip_not_xlsx())]:
        p = tmp / name
        p.write_bytes(data)
        reasons += _refusals(p, cat)
    # a workbook: two sheets to choose from, a sheet that is not there, a date as a period
    two = workbook(tmp, "two.xlsx", {"a": [["region_code", "period", "indicator", "value"],
                                           ["140100", "2021", "gdp", 1]],
                                     "b": [["region_code", "period", "indicator", "value"],
                                           ["140100", "2021", "gdp", 2]]})
    reasons += _refusals(two, cat)
    reasons += _refusals(two, cat, sheet="c")
    dated = workbook(tmp, "dated.xlsx", {"s": [["region_code", "period", "indicator", "value"],
                                              ["140100", date(2022, 3, 15), "gdp", 1]]})
    reasons += _refusals(dated, cat)
    # a table by year with a quarter's column
    reasons += _refusals(write(tmp, "years.csv", "region,indicator,2021,2022Q1\n"
                                                 "140100,gdp,1,2\n"), cat)
    # targets: an unknown kind, an empty value
    reasons += _refusals(write(tmp, "targets.csv",
                               "region,indicator,target_period,kind,value\n"
                               "140100,gdp,2025,bogus,1\n140100,gdp,2025,level,\n"), cat)
    # the gate itself (the API's and the store's rules): a frame with one bad row per rule
    indicators = {i.code: i for i in defaults.load_indicators()}
    rows = [dict(region_code="140100", period="2021", indicator_code="gdp", value=1.0,
                 unit="亿元", flags="", source_url="", source_file="", excerpt="",
                 source_note="", source_published="", source_quality="none")
            for _ in range(8)]
    rows[0]["indicator_code"] = "no_such"
    rows[1]["unit"] = "万人"
    rows[2]["period"] = "2031"
    rows[3]["period"] = "1900"
    rows[4]["excerpt"] = "x" * (gate.MAX_TEXT + 1)
    rows[5]["source_published"] = "2024-13"
    rows[6]["excerpt"] = "a\u202eb"
    rows[7]["indicator_code"] = "tertiary_share"
    frame = pd.DataFrame(rows)
    frame = frame[[c for c in FRAME_COLUMNS if c in frame]]
    reasons += [r for _, _, r in gate.observation_frame_problems(frame, indicators, TODAY,
                                                                 regions={"140100"})]
    reasons += [r for _, r in gate.region_problems("999999", {"140100"})]
    return sorted(set(reasons))


def test_the_bad_inputs_give_many_kinds_of_reasons(produced):
    kinds = {found[0] for r in produced if (found := match(r))}
    assert len(produced) >= 50 and len(kinds) >= 50, (len(produced), len(kinds))


def test_every_reason_produced_is_shown_in_chinese(produced):
    untranslated = [r for r in produced if match(r) is None]
    assert not untranslated, "reasons without a template in locale/en/reasons8.yaml:\n" + \
        "\n".join(untranslated)
    for r in produced:
        zh = reason_text("zh", r)
        assert CJK.search(zh), (r, zh)
        key, values = match(r)
        rest = zh
        for name, v in sorted(values.items(), key=lambda nv: len(nv[1]), reverse=True):
            # a field holds a value read off the reason, not a sentence of it (a codec's or
            # the csv module's own message excepted: Python writes it)
            assert name == "error" or not ENGLISH.search(v), (r, key, name, v)
            rest = rest.replace(v, "")
        assert not ENGLISH.search(rest), (r, zh)


def test_english_pages_show_the_reason_as_written(produced):
    assert all(reason_text("en", r) == r for r in produced)


def test_the_usual_reasons_read_as_a_statistics_bureau_writes(produced):
    zh = {reason_text("zh", r) for r in produced}
    assert "不是有效的时期（应为 2023、2023Q1 或 2023-03）" in zh
    assert "含其他文字的数字（'৪' 为孟加拉数字 4），请使用 0–9 书写" in zh
    assert "仅接受 http(s) 链接，不接受 'javascript:'" in zh
    assert "gdp 的计量单位为 亿元，不是 '万人'" in zh
    assert "时期 2031 尚未开始" in zh
    assert "时期 1900：年份 1900 不在 1949–2100 年之间" in zh
    assert any(z.startswith("重复数据数值不一致：140100 2022 gdp 在第") for z in zh)


def test_every_template_is_found_by_its_own_reason():
    """No template hides another: each, its fields filled, is matched by itself (the most
    specific first), and its Chinese has the same fields."""
    en, zh = catalogue("en"), catalogue("zh")
    keys = [t.key for t in templates()]
    assert len(keys) >= 100
    for key in keys:
        filled = re.sub(r"\{(\w+|\*)\}", lambda m: f"V{m.group(1)}", en[key])
        found = match(filled)
        assert found is not None and found[0] == key, (key, found)
        assert CJK.search(zh[key]), key
    assert all(k in zh for k in en if k.startswith(WORD))


def test_a_reason_no_template_knows_is_kept_and_a_place_before_one_is_kept_too():
    assert reason_text("zh", "a reason written tomorrow") == "a reason written tomorrow"
    assert reason_text("zh", "data.csv: region is empty") == "data.csv：未填写地区"
    assert reason_text("zh", "title: something new") == "title: something new"
    assert reason_text("zh", "") == "" and PREFIX == "rsn."
    # the reason names its field already: the field is not said twice (left10web)
    assert reason_text("zh", "year: the year 1900 is outside 1949–2100") == \
        "年份 1900 不在 1949–2100 年之间"


def test_the_forms_reasons_are_shown_in_chinese():
    """What the text review's edits, the plan upload and a task's form refuse (a domain
    ValidationError shown on the page)."""
    from lantu.domain.errors import ValidationError
    from lantu.domain.plans import PlanNode
    from lantu.textreview import decide

    said = []
    for form in ({"indicator": "", "value": "1"}, {"indicator": "gdp", "value": "abc"},
                 {"indicator": "gdp", "value": "1", "period": "2021", "qualifier": "bogus"}):
        item = {"type": "figure", "kind": "observed", "status": "pending"}
        with pytest.raises(ValidationError) as info:
            decide(item, "edit", {"kind": "observed", **form})
        said.append(str(info.value))
    with pytest.raises(ValidationError) as info:
        PlanNode(code="t1", title="任务", kind="task", start="2025-03-01", due="2025-01-01")
    said.append(str(info.value))
    for text in said:
        zh = reason_text("zh", text)
        assert zh != text and CJK.search(zh) and not ENGLISH.search(zh), (text, zh)
