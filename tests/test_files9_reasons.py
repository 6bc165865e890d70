"""The reasons files9 added or reworded, fed to the drift machinery of lantu.reasons (as
tests/test_reasons8_catalogue.py does for the import's): each is matched by a template of a
locale file and shown in Chinese with no English sentence left but the values read off it —
a reason reworded in the code without its template fails here."""

from __future__ import annotations

import pytest

from hostile import patch_sheet_xml, workbook, write
from lantu.domain.textcodec import Undecodable, decode_text
from lantu.ingest.tables import ImportRefused, parse_file
from lantu.ingest.yamlio import YamlRefused, read_yaml
from lantu.reasons import match, reason_text
from lantu.store.files import UploadRefused, store_upload
from test_reasons8_catalogue import CJK, ENGLISH

MONTHS = [f"2023.{m}" for m in range(1, 10)] + ["2023.1"]


def _refusals(path, cat) -> list[str]:
    try:
        parse_file(path, cat)
    except ImportRefused as exc:
        return [p.reason for p in exc.problems]
    return []


@pytest.fixture(scope="module")
def produced(cat, tmp_path_factory) -> list[str]:
    tmp = tmp_path_factory.mktemp("files9")
    said: list[str] = []
    # a January-to-October file: October's 2023.1 beside January's
    said += _refusals(write(tmp, "m.csv", "region,period,indicator,value\n" + "".join(
        f"太原市,{p},gdp,{i}\n" for i, p in enumerate(MONTHS, 1))), cat)
    # a split that kept a wide row's width
    said += _refusals(write(tmp, "w.csv", "region,indicator,unit,2021,2022\n"
                                          "太原市,gdp,亿元,5,571,\n"), cat)
    # a workbook's 1E-400
    p = workbook(tmp, "n.xlsx", {"s": [["region_code", "period", "indicator", "value"],
                                       ["140100", "2021", "gdp", 7777]]})
    patch_sheet_xml(p, lambda xml: xml.replace("<v>7777</v>", "<v>1E-400</v>"))
    said += _refusals(p, cat)
    # undecodable bytes (every wording of textcodec) and a CSV the csv module cannot read
    for data in ["地区,年份\n".encode() + b"\xff" + "太原\n".encode(),
                 "地区\n".encode() + b"\xe5\xa4," + "原市\n".encode(),
                 "地区\n太原".encode()[:-1],
                 "地区\n".encode("utf-16") + b"\x00",
                 b"\xff\xfe" + "地区".encode("utf-16-le") + b"\x00\xd8" + "区".encode("utf-16-le"),
                 "地区,年份\n".encode("utf-16-le")]:
        with pytest.raises(Undecodable) as info:
            decode_text(data)
        said.append(info.value.reason)
    for text in ['region_code,period,indicator,value\n140100,2021,gdp,"1"x\n',
                 'region_code,period,indicator,value\n140100,2021,gdp,"1\n']:
        said += _refusals(write(tmp, "q.csv", text), cat)
    # evidence the rule names
    for data in ["地区,年份\n".encode("utf-16-le"), "地区\n太原".encode()[:-1]]:
        with pytest.raises(UploadRefused) as up:
            store_upload(tmp, data, max_bytes=1 << 20, original_name="e.txt")
        said.append(up.value.reason)
    # YAML: a number too small, a syntax error (where, then why)
    for data in [b"a: 1.0e-400\n", b"a: [1,\n"]:
        with pytest.raises(YamlRefused) as yinfo:
            read_yaml(data, "f.yaml")
        said.append(str(yinfo.value).removeprefix("f.yaml: "))
    return sorted(set(said))


def test_the_inputs_give_every_new_kind_of_reason(produced):
    keys = {found[0] for r in produced if (found := match(r))}
    assert {"rsn.month_collision", "rsn.split_number", "rsn.number_too_small",
            "rsn.encoding_utf8_damaged", "rsn.encoding_utf8_broken", "rsn.encoding_utf8_cut",
            "rsn.encoding_utf16", "rsn.encoding_utf16_odd", "rsn.encoding_utf16_bom",
            "rsn.csv_quote_inside", "rsn.csv_quote_open", "rsn.yaml_at"} <= keys, keys


def test_every_reason_is_shown_in_chinese(produced):
    untranslated = [r for r in produced if match(r) is None]
    assert not untranslated, untranslated
    for r in produced:
        zh = reason_text("zh", r)
        assert CJK.search(zh), (r, zh)
        rest = zh
        for name, v in sorted(match(r)[1].items(), key=lambda nv: len(nv[1]), reverse=True):
            # a field holds a value read off, or a reason translated in its turn
            assert name in ("error", "reason") or not ENGLISH.search(v), (r, name, v)
            rest = rest.replace(v, "")
        assert not ENGLISH.search(rest), (r, zh)
        assert reason_text("en", r) == r
