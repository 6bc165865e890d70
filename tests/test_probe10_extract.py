"""The seventh round (files): a figure in a text for review or ``lantu extract`` is written with
the digits 0-9 (full-width ones read as such) — the one rule of numbers in running text,
:mod:`lantu.ingest.numerals`. It failed on the code before: Bengali ৪৪৪৪ (4444, looking like
8888) was extracted as GDP 4444."""

from __future__ import annotations

import pytest

from lantu.ingest.extract import extract_text
from lantu.ingest.numerals import join_groups


def _gdp(text: str) -> list[float]:
    return [r.value for r in extract_text(text, "140100", 2022) if r.indicator == "gdp"]


@pytest.mark.parametrize("figure", ["৪৪৪৪", "5৪3", "٥٥٧١", "५५७१.१७", "5571.1৪"])
def test_a_figure_in_digits_of_another_script_is_not_extracted(figure):
    assert _gdp(f"全年地区生产总值{figure}亿元，增长5%。") == []


@pytest.mark.parametrize("figure, value", [("5571.17", 5571.17), ("５５７１．１７", 5571.17),
                                           ("5,571.17", 5571.17), ("5 571.17", 5571.17)])
def test_figures_in_ascii_or_full_width_digits_are_extracted(figure, value):
    assert _gdp(f"全年地区生产总值{figure}亿元，增长5%。") == [value]


def test_groups_of_digits_of_another_script_are_not_joined():
    assert join_groups("1 ২৩৪") == "1 ২৩৪"
    assert join_groups("1 234") == "1234"
