"""Numbers grouped by threes ("2 311.43", "22 587", "1,234.5") are read whole, by the one rule of
:mod:`lantu.ingest.numerals`, wherever figures are read from text; lists, years and clause commas
stay apart. Cases from Taiyuan's 2013 work report, which the extractor once read as 311.43 亿元."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lantu.ingest.extract import extract_text
from lantu.ingest.extract_layout import _normalise
from lantu.ingest.numerals import NUMBER, SIGNED_NUMBER, read_number
from lantu.ingest.policy_annotate import find_targets
from lantu.ingest.tables_values import parse_quantity

TARGET = "今年经济社会发展主要预期目标是："


def numbers(text: str) -> list[float]:
    """Every number the rule reads in *text*, after the extractor's own normalisation."""
    norm = _normalise(text)
    return [read_number(m.group()) for m in re.finditer(SIGNED_NUMBER, norm)
            if not (m.start() and (norm[m.start() - 1].isdigit() or norm[m.start() - 1] == "."))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2 311.43", [2311.43]),
        ("22 587", [22587.0]),
        ("22\u2009587", [22587.0]),  # thin space
        ("22\u00a0587", [22587.0]),  # no-break space
        ("22\u202f587", [22587.0]),  # narrow no-break space
        ("22\u3000587", [22587.0]),  # ideographic (full-width) space
        ("1,234.5", [1234.5]),
        ("10 000 000", [10000000.0]),
        ("1,234,567.8", [1234567.8]),
        ("１２３", [123.0]),  # full-width digits
        ("２\u3000３１１．４３", [2311.43]),
        ("-1 234", [-1234.0]),
        # stay apart
        ("1，234", [1.0, 234.0]),  # the Chinese clause comma, never a thousands separator
        ("占全省2/3，700家", [2.0, 3.0, 700.0]),
        ("3 5 7", [3.0, 5.0, 7.0]),
        ("12 34", [12.0, 34.0]),
        ("22 5871", [22.0, 5871.0]),  # a last group of four digits is not a group
        ("2 3114.5", [2.0, 3114.5]),
        ("1234 567", [1234.0, 567.0]),  # a first group of four digits is not a group
        ("2013 123", [2013.0, 123.0]),
        ("2013年 12 个", [2013.0, 12.0]),
        ("0.5 123", [0.5, 123.0]),  # a decimal part ends the number
        ("10%一1 5%", [10.0, 1.0, 5.0]),  # an OCR slip in Shanxi 2006: not joined, not guessed
        ("1 \n234", [1.0, 234.0]),  # a line break separates
        ("1  234", [1.0, 234.0]),  # one separator between groups, not two
    ],
)
def test_the_one_rule(text: str, expected: list[float]) -> None:
    assert numbers(text) == expected


def test_read_number_drops_only_separators() -> None:
    assert read_number("2 311.43") == 2311.43
    assert read_number("１２３") == 123.0
    assert re.fullmatch(NUMBER, "1,234") and re.fullmatch(NUMBER, "1\u2009234")
    assert not re.fullmatch(NUMBER, "1，234") and not re.fullmatch(NUMBER, "1,23")


def keys(text: str, year: int = 2013) -> list[tuple]:
    return [(r.period, r.indicator, r.kind, r.value) for r in extract_text(text, "140100", year)]


@pytest.mark.parametrize(
    "sentence, indicator, value",
    [
        ("全年完成地区生产总值2 311.43亿元，增长10.5%。", "gdp", 2311.43),
        ("社会消费品零售总额1 129.51亿元，增长16.1%。", "retail_sales", 1129.51),
        ("城镇居民人均可支配收入22 587元，增长12.1%。", "income_urban", 22587.0),
        ("城镇居民人均可支配收入22\u2009587元，增长12.1%。", "income_urban", 22587.0),
        ("城镇居民人均可支配收入22\u3000587元，增长12.1%。", "income_urban", 22587.0),
        ("城镇居民人均可支配收入22,587元，增长12.1%。", "income_urban", 22587.0),
        ("城镇居民人均可支配收入２２５８７元，增长12.1%。", "income_urban", 22587.0),
    ],
)
def test_extractor_reads_grouped_figures_whole(sentence: str, indicator: str, value: float) -> None:
    got = {(i, v) for _, i, kind, v in keys(sentence) if kind == "observed"}
    assert (indicator, value) in got
    assert all(v >= 1000 for i, v in got if i == indicator)


def test_growth_after_a_grouped_figure_is_its_own_number() -> None:
    got = keys("全年完成地区生产总值2 311.43亿元，增长 8.2%；城镇登记失业率3.38%。")
    assert (2012, "gdp", "observed", 2311.43) in got
    assert (2012, "gdp_growth", "observed", 8.2) in got
    assert (2012, "unemployment_rate_registered", "observed", 3.38) in got


def test_a_target_range_of_grouped_figures() -> None:
    (r,) = extract_text(TARGET + "城镇居民人均可支配收入达到25 000—26 000元。", "140100", 2013)
    assert (r.indicator, r.kind, r.value, r.value_high) == ("income_urban", "target", 25000.0, 26000.0)


@pytest.mark.parametrize("number", ["6 000", "6,000", "6\u2009000"])
def test_plan_targets_read_grouped_figures(number: str) -> None:
    text = f"到2025年，全市地区生产总值力争突破{number}亿元。"
    (t,) = [t for t in find_targets(text) if t.unit == "亿元"]
    assert (t.value, t.text, t.deadline) == (6000.0, f"全市地区生产总值力争突破{number}亿元", "2025")


def test_taiyuan_2013_report_figures(shared_dir: Path) -> None:
    path = shared_dir / "corpus" / "work-reports" / "140100-taiyuan" / "2013.md"
    text = path.read_text(encoding="utf-8")
    got = {(r.period, r.indicator): r.value for r in extract_text(text, "140100", 2013) if r.kind == "observed"}
    assert got[(2012, "gdp")] == 2311.43
    assert got[(2012, "retail_sales")] == 1129.51
    assert got[(2012, "income_urban")] == 22587.0


@pytest.mark.parametrize(
    "cell, value, unit",
    [("2 311.43", 2311.43, ""), ("22\u2009587", 22587.0, ""), ("2 311.43亿元", 2311.43, "亿元"),
     ("1 234 567", 1234567.0, ""), ("- 5", -5.0, ""), ("5571.17 亿元", 5571.17, "亿元")],
)
def test_table_cells_follow_the_same_groups(cell: str, value: float, unit: str) -> None:
    q = parse_quantity(cell)
    assert (q.value, q.unit) == (value, unit)


@pytest.mark.parametrize("cell", ["3 5 7", "12 34", "22 5871"])
def test_a_cell_of_several_numbers_is_refused_not_joined(cell: str) -> None:
    with pytest.raises(ValueError, match="not a number"):
        parse_quantity(cell)
