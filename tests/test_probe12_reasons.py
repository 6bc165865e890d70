"""The reasons the eighth round's fixes write (probe12) are shown in Chinese on the pages
(``lantu.reasons``, templates in ``locale/{en,zh}/probe12.yaml``): the bad inputs are fed to
the readers and every reason they give matches a template, with no English sentence left in
its Chinese. A reason reworded without its template fails here (drift)."""

from __future__ import annotations

import re

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from hostile import patch_sheet_xml, workbook, write
from lantu.domain.indicators import read_typed_number
from lantu.domain.periods import read_year
from lantu.ingest.tables import ImportRefused, parse_file
from lantu.ingest.textio import TextReadError, read_text
from lantu.reasons import match, reason_text
from test_probe12_texts import _pdf

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"\b[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b")
HEAD = ["region_code", "period", "indicator", "value"]


def _refusals(path, cat, **kw) -> list[str]:
    with pytest.raises(ImportRefused) as info:
        parse_file(path, cat, **kw)
    return [p.reason for p in info.value.problems]


@pytest.fixture(scope="module")
def produced(cat, tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("probe12")
    out: dict[str, str] = {}
    (out["number_marker"],) = _refusals(write(tmp, "n.csv", "region_code,period,indicator,value\n"
                                                            "140100,2022,gdp,5571.17①\n"), cat)
    (out["period_marker"],) = _refusals(write(tmp, "p.csv", "region_code,period,indicator,value\n"
                                                            "140100,2022¹,gdp,1\n"), cat)
    (out["decimal_comma"],) = _refusals(write(tmp, "eu.csv", "region_code;period;indicator;value\n"
                                                             "140100;2022;gdp;5,571\n"), cat)
    for key, call in [("year_marker", lambda: read_year("202³")),
                      ("typed_marker", lambda: read_typed_number("5¹"))]:
        with pytest.raises(ValueError) as info:
            call()
        out[key] = str(info.value)
    linked = workbook(tmp, "l.xlsx", {"s": [HEAD, ["140100", "2022", "gdp", 1.0]]})
    patch_sheet_xml(linked, lambda s: re.sub(r'(<c r="D2"[^>]*)>(<v>)', r"\1><f>[1]S!A1</f>\2", s))
    (out["xlsx_linked"],) = _refusals(linked, cat)
    charted = workbook(tmp, "c.xlsx", {"数据": [HEAD, ["140100", "2022", "gdp", 1.0]]})
    wb = openpyxl.load_workbook(charted)
    chart = BarChart()
    chart.add_data(Reference(wb["数据"], min_col=4, min_row=1, max_row=2))
    wb.create_chartsheet("图表").add_chart(chart)
    wb.save(charted)
    (out["xlsx_chart_sheet"],) = _refusals(charted, cat, sheet="图表")
    locked = tmp / "locked.pdf"
    _pdf(locked, user="secret")
    with pytest.raises(TextReadError) as info:
        read_text(locked)
    out["text_pdf_encrypted"] = info.value.reason
    return out


def test_every_new_reason_is_shown_in_chinese(produced):
    expected = {"number_marker": "rsn.number_marker", "typed_marker": "rsn.number_marker",
                "period_marker": "rsn.period_marker", "year_marker": "rsn.year_marker",
                "xlsx_linked": "rsn.xlsx_linked", "xlsx_chart_sheet": "rsn.xlsx_chart_sheet",
                "text_pdf_encrypted": "rsn.text_pdf_encrypted",
                "decimal_comma": "rsn.number_decimal_comma"}
    for what, reason in produced.items():
        found = match(reason)
        assert found is not None and found[0] == expected[what], (what, reason, found)
        zh = reason_text("zh", reason)
        assert CJK.search(zh) and not ENGLISH.search(zh), (reason, zh)
        assert reason_text("en", reason) == reason


def test_the_marker_reason_reads_as_a_statistics_bureau_writes(produced):
    assert reason_text("zh", produced["number_marker"]) == (
        "'①' 不是数字的一部分，而是标记（脚注或序号，会被读作 1）；请用 0–9 书写数值，注释另列")
