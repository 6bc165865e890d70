"""What a tired analyst or a hostile user feeds the importer — cSV text: delimiters, encodings, quoting, ragged rows, control characters; values with units, scales and oddities.
Each file either imports correctly or is refused with its file, row, column and reason, and
nothing is half-written (helpers and fixtures: tests/hostile.py)."""

from __future__ import annotations

import pytest

from hostile import HEADER, LONG, refused, values, write
from lantu.ingest.tables import parse_file, parse_quantity

# -- CSV -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("delim", [";", "\t", "|"])
def test_other_delimiters(tmp_path, cat, delim):
    text = "\n".join(delim.join(r) for r in [LONG, ["140100", "2022", "gdp", "5571,17" if delim == ";"
                                                    else "5571.17", "亿元"]]) + "\n"
    p = write(tmp_path, "d.csv", text)
    if delim == ";":  # a decimal comma is not guessed at
        (problem,) = refused(p, cat)
        assert (problem.row, problem.column, problem.reason) == (2, "value", "not a number")
    else:
        assert values(parse_file(p, cat)) == {("140100", "2022", "gdp"): 5571.17}


def test_gbk_with_full_width_commas_and_odd_header(tmp_path, cat):
    text = ("地区，年份，地区生产总值（亿元） ，常住人口 ( 万人 )\n"
            "太原市，２０２２，５５７１．１７，５４３．５\n")
    parsed = parse_file(write(tmp_path, "g.csv", text, "gbk"), cat)
    assert parsed.encoding.startswith("gbk")
    assert values(parsed) == {("140100", "2022", "gdp"): 5571.17,
                              ("140100", "2022", "population"): 543.5}
    text = "地区,年份,地区生产总值（亿元）\n太原市,2022,\"5，571.17\"\n"
    assert values(parse_file(write(tmp_path, "h.csv", text, "gbk"), cat)) == {
        ("140100", "2022", "gdp"): 5571.17}


def test_quoted_newlines_mixed_line_ends_and_a_bom_in_the_middle(tmp_path, cat):
    text = (HEADER + '140100,2022,gdp,5571.17,亿元,,https://x/a,"第一行\r\n第二行"\r\n'
            "\ufeff140100,2021,gdp,5121.61,亿元,,,\r"
            "140100,2020,gdp,4153.25,亿元,,,\n"
            "140100,2019,gdp,abc,亿元,,,\n")
    problems = refused(write(tmp_path, "m.csv", text), cat)
    assert [(q.row, q.column) for q in problems] == [(5, "value")]  # records, as Excel numbers
    parsed = parse_file(write(tmp_path, "m.csv", text.replace(",abc,", ",4000,")), cat)
    assert len(parsed.observations) == 4
    assert parsed.observations[0].source.excerpt == "第一行\n第二行"
    assert parsed.observations[1].region_code == "140100"


def test_utf16_text_from_excel(tmp_path, cat):
    text = "\t".join(LONG) + "\n" + "\t".join(["140100", "2022", "gdp", "5571.17", "亿元"]) + "\n"
    p = tmp_path / "u.txt"
    p.write_bytes(text.encode("utf-16"))
    assert values(parse_file(p, cat)) == {("140100", "2022", "gdp"): 5571.17}


def test_ragged_rows(tmp_path, cat):
    text = (HEADER + "140100,2022,gdp,5571.17,亿元,,,,extra\n"
            "140100,2021,gdp\n"
            "140100,2020,gdp,4153.25\n")  # optional columns may be left off
    problems = refused(write(tmp_path, "r.csv", text), cat)
    assert [(q.row, q.reason.split(" (")[0]) for q in problems] == [
        (2, "row has 9 cells but the header has 8"), (3, "row has 3 cells but the header has 8")]
    wide = "地区,年份,地区生产总值(亿元),常住人口(万人)\n太原市,2021,5121.61\n"
    (problem,) = refused(write(tmp_path, "w.csv", wide), cat)
    assert problem.row == 2 and "3 cells" in problem.reason


def test_joined_files_repeat_the_header(tmp_path, cat):
    text = HEADER + "140100,2022,gdp,5571.17,亿元,,,\n" + "\ufeff" + HEADER + \
        "140100,2021,gdp,5121.61,亿元,,,\n"
    (problem,) = refused(write(tmp_path, "j.csv", text), cat)
    assert problem.row == 3 and "header is repeated" in problem.reason


def test_control_characters_are_refused(tmp_path, cat):
    (problem,) = refused(write(tmp_path, "c.csv", HEADER + "140100,2022,gdp,1,亿元,,,a\x07b\n"), cat)
    assert (problem.row, problem.column) == (2, "excerpt") and "U+0007" in problem.reason


VALUE_CASES = [
    # (indicator, value cell, unit cell) -> stored value, or the words of the refusal
    ("gdp", "5,571.17亿元", "", 5571.17),
    ("gdp", "5,571.17 亿元", "亿元", 5571.17),
    ("gdp", "55,711,700万元", "", 5571.17),
    ("gdp", "5571.17亿元", "万元", "the value says '亿元' but the unit given is '万元'"),
    ("gdp", "约5500", "亿元", "approximate value"),
    ("gdp", "5500左右", "亿元", "approximate value"),
    ("gdp", "5500多", "亿元", "approximate value"),
    ("gdp", ">5500", "亿元", "approximate value"),
    ("gdp", "5500-5600", "亿元", "a range"),
    ("safety_deaths", "5.5万", "", 55000.0),
    ("population", "539.1万", "", 539.1),
    ("population", "539.1万", "万人", "scale word '万' but the unit is already '万人'"),
    ("patents_granted", "1.2万件", "", 12000.0),
    ("gdp", "3.3%", "", "a percentage, but gdp is measured in 亿元"),
    ("gdp_growth", "3.3%", "", 3.3),
    ("gdp_growth", "3.3%", "%", 3.3),
    ("gdp_growth", "3‰", "", "unit '‰' does not match"),
    ("gdp_growth", "-0", "%", 0.0),
    ("gdp", "5.57117e3", "亿元", 5571.17),
    ("gdp", "1e308", "亿元", "must be at most"),  # beyond the admissible range (the gate)
    ("gdp", "9e6", "亿元", 9e6),
    ("gdp_per_capita", "1e308", "万元", "too large once converted"),
    ("gdp", "1e999", "亿元", "not a finite number"),
    ("gdp", "Infinity", "亿元", "not a finite number"),
    ("gdp", "-inf", "亿元", "not a finite number"),
    ("gdp", "#N/A", "亿元", "spreadsheet error #N/A"),
    ("gdp", "12a", "亿元", "the value says 'a' but the unit given is '亿元'"),
    ("gdp", "12a", "", "unit 'a' does not match"),
    ("gdp", "五千", "亿元", "not a number"),
    ("population", "5,304,061", "人", 530.4061),
]


@pytest.mark.parametrize("ind,cell,unit,expected", VALUE_CASES)
def test_values_with_units_scales_and_oddities(tmp_path, cat, ind, cell, unit, expected):
    text = f'region_code,period,indicator,value,unit\n140100,2022,{ind},"{cell}",{unit}\n'
    p = write(tmp_path, "v.csv", text)
    if isinstance(expected, float):
        (o,) = parse_file(p, cat).observations
        assert o.value == expected and str(o.value) != "-0.0"
        assert o.unit == cat.indicators[ind].unit
    else:
        (problem,) = refused(p, cat)
        assert problem.row == 2 and problem.column in ("value", "unit")
        assert expected in problem.reason, problem.reason


def test_nan_text_is_a_gap_not_a_value(tmp_path, cat):
    parsed = parse_file(write(tmp_path, "n.csv", HEADER + "140100,2022,gdp,NaN,亿元,,,\n"
                                                         "140100,2021,gdp,1,亿元,,,\n"), cat)
    assert parsed.gaps == 1 and list(values(parsed)) == [("140100", "2021", "gdp")]


def test_parse_quantity_keeps_the_unit_it_read():
    assert parse_quantity("7.5%").unit == "%"
    assert parse_quantity("１，２３４．５万元").value == 1234.5
    assert parse_quantity("１，２３４．５万元").unit == "万元"
    assert parse_quantity(-0.0).value == 0.0 and str(parse_quantity("-0.0").value) == "0.0"
