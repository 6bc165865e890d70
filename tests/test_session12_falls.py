"""A qualifier bounds the number as the text wrote it, and a text writes a fall by its size:
"下降30%以上" is a change of −30 or less, "降幅控制在5%以内" one of −5 or more. One rule
(:func:`lantu.domain.observations.qualifier_flag`), asked by the figure's flag (the review file
of ``lantu import``, the default's build) and by the target's status."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lantu.analysis.targets import TargetSpec, evaluate_target
from lantu.domain.observations import QUALIFIER_FLAGS, qualifier_flag
from lantu.ingest.tables import _extract_flags

EXTRACTED = Path(__file__).parents[1] / "src/lantu/defaults/data/extracted"


@pytest.mark.parametrize("qualifier, value, flag", [
    ("以上", 180.0, "lower_bound"), ("突破", 1100.0, "lower_bound"), ("以内", 3.0, "upper_bound"),
    ("以上", -30.0, "upper_bound"), ("突破", -30.0, "upper_bound"), ("以内", -5.0, "lower_bound"),
    ("以上", 0.0, "lower_bound"), ("以内", -0.0, "upper_bound"),  # no fall: as written
    ("左右", -2.5, "approximate"), ("左右", 6.0, "approximate"),
    ("", -3.0, None), ("力争", -3.0, None), (None, 5.0, None), (" 以上 ", -1.0, "upper_bound"),
])
def test_the_bound_turns_on_a_fall(qualifier, value, flag):
    assert qualifier_flag(qualifier, value) == flag


def test_every_qualifier_of_the_table_is_asked():
    for q, flag in QUALIFIER_FLAGS.items():
        assert qualifier_flag(q, 1.0) == flag


@pytest.mark.parametrize("value, qualifier, flag", [
    ("-30", "以上", "upper_bound"), ("−30", "突破", "upper_bound"), ("30", "以上", "lower_bound"),
    ("-5", "以内", "lower_bound"), ("5", "以内", "upper_bound"), ("－30", "以上", "upper_bound"),
])
def test_a_reviewed_figure_of_a_fall_gets_the_turned_flag(value, qualifier, flag):
    flags = _extract_flags({"value": value, "qualifier": qualifier}, machine_read=False).split(";")
    assert flag in flags and len({"lower_bound", "upper_bound"} & set(flags)) == 1


def _yearly(value, qualifier):
    return TargetSpec("360100", "safety_accidents_growth", None, None, 2022, "annual_growth",
                      value, None, qualifier, unit="%")


@pytest.mark.parametrize("actual, status", [
    (-35.0, "achieved"), (-30.0, "achieved"), (-29.9, "missed"), (-10.0, "missed"),
    (5.0, "missed")])
def test_a_target_to_fall_by_at_least_30_percent(actual, status):
    """下降30%以上: met by a fall of 30 % or more, missed by a smaller one (it was judged met by
    any change of −30 or more: a fall of 10 % passed)."""
    assert evaluate_target(_yearly(-30.0, "以上"), {2022: actual}, direction=-1).status == status


@pytest.mark.parametrize("actual, status", [
    (-3.0, "achieved"), (-5.0, "achieved"), (-5.1, "missed"), (2.0, "achieved")])
def test_a_target_to_fall_by_at_most_5_percent(actual, status):
    """降幅控制在5%以内: any change of −5 or more."""
    assert evaluate_target(_yearly(-5.0, "以内"), {2022: actual}, direction=1).status == status


@pytest.mark.parametrize("actual, status", [(9.0, "achieved"), (8.0, "achieved"),
                                            (7.9, "missed")])
def test_a_rise_keeps_its_side(actual, status):
    assert evaluate_target(_yearly(8.0, "以上"), {2022: actual}, direction=1).status == status


def test_the_explicit_kind_of_a_target_decides_over_its_qualifier():
    spec = TargetSpec("140100", "forest", 2020, 20.0, 2025, "floor", -3.0, None, "以上", unit="%")
    assert evaluate_target(spec, {2025: -2.0}, direction=0).status == "achieved"


def test_no_default_figure_of_a_fall_carries_a_lower_bound():
    """The default's machine-read falls stated with 超过/以上 (南昌 2022: 安全生产事故起数和死亡人数
    下降幅度均超过30%) are at most their value."""
    with open(EXTRACTED / "observations.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    falls = [r for r in rows if float(r["value"]) < 0]
    assert falls
    for r in falls:
        flags = r["flags"].split(";")
        if any(w in r["excerpt"] for w in ("超过", "以上", "突破")) and "下降" in r["excerpt"]:
            assert "lower_bound" not in flags, r
