"""The reasons the ninth round's fixes write (probe14) are shown in Chinese on the pages
(``lantu.reasons``, templates in ``locale/{en,zh}/probe14.yaml``): the bad inputs are fed to
the readers and every reason they give matches its template, with no English sentence left in
its Chinese. A reason reworded without its template fails here (drift)."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest

from hostile import write
from lantu.ingest.tables import ImportRefused, parse_file
from lantu.ingest.yamlio import YamlRefused, read_yaml
from lantu.reasons import match, reason_text

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"\b[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b")


def _refusals(path, cat) -> list[str]:
    with pytest.raises(ImportRefused) as info:
        parse_file(path, cat)
    return [p.reason for p in info.value.problems]


def _yaml(text: str) -> str:
    with pytest.raises(YamlRefused) as info:
        read_yaml(text.encode(), "x.yaml")
    return info.value.reason


@pytest.fixture(scope="module")
def produced(cat, tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("probe14")
    out: dict[str, str] = {}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["地区", "指标", "单位", "2022", "2023"])
    ws.append(["太原市", "gdp", "亿元", 5571.17, None])
    ws.merge_cells("D2:E2")
    wb.save(tmp / "m.xlsx")
    (out["merged"],) = _refusals(tmp / "m.xlsx", cat)
    down = openpyxl.Workbook()
    ws = down.active
    ws.append(["region_code", "period", "indicator", "value"])
    ws.append(["140100", "2021", "gdp", 5571.17])
    ws.append(["140100", "2022", "gdp", None])
    ws.merge_cells("D2:D3")
    down.save(tmp / "d.xlsx")
    (out["merged_down"],) = _refusals(tmp / "d.xlsx", cat)
    (out["error"],) = _refusals(write(tmp, "e.csv", "region_code,period,indicator,value\n"
                                                    "#N/A,2022,gdp,1\n"), cat)
    b = io.BytesIO()
    wb.save(b)
    src = zipfile.ZipFile(io.BytesIO(b.getvalue()))
    twice = io.BytesIO()
    with zipfile.ZipFile(twice, "w") as z, pytest.warns(UserWarning):
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        z.writestr("xl/worksheets/sheet1.xml", src.read("xl/worksheets/sheet1.xml"))
    (tmp / "t.xlsx").write_bytes(twice.getvalue())
    (out["twice"],) = _refusals(tmp / "t.xlsx", cat)
    out["key_twice"] = _yaml("a: 1\na: 2\n")
    out["aliases"] = _yaml("a: &a [1, *a]\n")
    out["no_day"] = _yaml("d: 2023-13-01\n")
    out["tag"] = _yaml("d: !!python/object/apply:os.system [x]\n")
    return out


def test_every_new_reason_is_shown_in_chinese(produced):
    expected = {"merged": "rsn.xlsx_merged_across", "merged_down": "rsn.xlsx_merged_down", "error": "rsn.cell_sheet_error",
                "twice": "rsn.package_part_twice", "key_twice": "rsn.yaml_key_twice",
                "aliases": "rsn.yaml_aliases", "no_day": "rsn.yaml_no_day", "tag": "rsn.yaml_tag"}
    for what, reason in produced.items():
        found = match(reason)
        assert found is not None and found[0] == expected[what], (what, reason, found)
        zh = reason_text("zh", reason)
        assert CJK.search(zh) and not ENGLISH.search(zh), (reason, zh)
        assert reason_text("en", reason) == reason
