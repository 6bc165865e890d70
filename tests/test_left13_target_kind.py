"""left13: ``target_kind`` (the kind a target read from a text gets) reads the qualifier by the
one rule of which side it bounds, ``domain.observations.qualifier_flag`` — the rule the status
asks (``analysis.target_status._sense``). An explicit kind decides over the qualifier when the
status is judged, so a level target "以上" on a negative value (a fall by its size: −3 or
less) that ``target_kind`` called ``floor`` was judged the other way round from the words.

Failed on main: the negative rows of the grid, the agreement with the status, and the review
file's −3 以上 (imported as a floor). The positive rows, the growth rows and 不低于/不超过
(read as 以上/以内 by the extractor) pin the neighbours that must not move."""

from __future__ import annotations

import pytest

from hostile import cat, write  # noqa: F401 - the catalogue fixture
from lantu.analysis.targets import TargetSpec, evaluate_target
from lantu.domain.observations import QUALIFIER_FLAGS, qualifier_flag
from lantu.ingest.extract import extract_text, target_kind
from lantu.ingest.tables import parse_file

SIDE = {"upper_bound": "ceiling", "lower_bound": "floor", "approximate": "level", None: "level"}


@pytest.mark.parametrize("qualifier, value, kind", [
    ("以上", 3.0, "floor"), ("以上", -3.0, "ceiling"),
    ("突破", 180.0, "floor"), ("突破", -30.0, "ceiling"),
    ("以内", 5.0, "ceiling"), ("以内", -5.0, "floor"),
    ("以上", 0.0, "floor"), ("以内", 0.0, "ceiling"),  # no fall: as written
    ("以上", None, "floor"), ("以内", None, "ceiling"),  # no value: as written
    ("左右", -2.0, "level"), ("力争", -2.0, "level"), ("", -2.0, "level"), (None, 4.0, "level"),
])
def test_a_level_target_takes_the_side_its_words_bound(qualifier, value, kind):
    assert target_kind("forest_coverage", qualifier, value) == kind


@pytest.mark.parametrize("qualifier", ["以上", "以内", "突破", "左右", "力争", ""])
@pytest.mark.parametrize("value", [8.0, -8.0])
def test_a_growth_target_stays_a_growth_target(qualifier, value):
    # its side is read by the status from the qualifier and the sign (no kind to decide over)
    assert target_kind("gdp_growth", qualifier, value) == "annual_growth"


@pytest.mark.parametrize("value", [7.0, -7.0, 0.0])
def test_the_kind_and_the_flag_are_one_rule(value):
    for qualifier in [*QUALIFIER_FLAGS, "力争", ""]:
        assert target_kind("forest_coverage", qualifier, value) == \
            SIDE[qualifier_flag(qualifier, value)], (qualifier, value)


def test_an_indicators_own_side_is_kept():
    # CPI is a ceiling whatever the words (lexicon/extract.yaml)
    assert target_kind("cpi", "左右", 3.0) == "ceiling" == target_kind("cpi", "以上", -1.0)


@pytest.mark.parametrize("qualifier", ["以上", "突破", "以内"])
@pytest.mark.parametrize("actual", [-6.0, -3.0, -2.0, 0.0, 1.0])
def test_the_kind_judges_as_the_words_do(qualifier, actual):
    """The kind target_kind gives is judged as a level target with the same words is."""
    def status(kind):
        spec = TargetSpec("140100", "forest_coverage", None, None, 2025, kind, -3.0, None,
                          qualifier, unit="%")
        return evaluate_target(spec, {2025: actual}, direction=0).status

    assert status(target_kind("forest_coverage", qualifier, -3.0)) == status("level")


@pytest.mark.parametrize("text, indicator, kind", [
    ("研发经费投入强度不低于2.5%", "rd_intensity", "floor"),
    ("城镇登记失业率不超过4.5%", "unemployment_rate_registered", "ceiling"),
    ("规模以上工业增加值增长不低于8%", "industry_growth", "annual_growth"),
    ("空气质量优良天数比例突破80%", "good_air_days_ratio", "floor"),
    ("城镇登记失业率控制在4.5%以内", "unemployment_rate_registered", "ceiling"),
])
def test_words_before_the_number_give_the_same_kinds(text, indicator, kind):
    rows = extract_text(f"今年主要预期目标是：{text}。", region_code="140100", year=2022)
    row = next(r for r in rows if r.indicator == indicator)
    assert row.qualifier in ("以上", "以内", "突破")  # 不低于 → 以上, 不超过 → 以内
    assert target_kind(row.indicator, row.qualifier, row.value) == kind


def test_the_review_file_reads_the_kind_with_the_values_sign(tmp_path, cat):  # noqa: F811
    head = "region_code,period,indicator,kind,value,value_high,qualifier,unit,excerpt,start,end,flags,machine_read,source_url\n"
    body = "".join(f"140100,{y},cod_reduction,target,{v},,{q},万吨,x,0,1,,true,https://example.org/a\n"
                   for y, v, q in [(2025, "-3", "以上"), (2026, "3", "以上"), (2027, "−5", "以内"),
                                   (2028, "2", "")])
    parsed = parse_file(write(tmp_path, "review.csv", head + body), cat)
    kinds = {str(t.target_period): t.kind for t in parsed.targets}
    assert kinds == {"2025": "ceiling", "2026": "floor", "2027": "floor", "2028": "level"}
