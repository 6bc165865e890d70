"""A .docx run raised by ``w:position`` (points above the line) rather than by
``w:vertAlign`` superscript, set smaller than its text — how WPS and hand-formatted documents
set a footnote marker — is a marker, as a superscript is (left10files, issue #12's "noticed
and left alone"): read as plain text it ran into the figure, ``5571.17`` + raised ``1`` was the
figure 5571.171. Decided by the run's own properties and its neighbours' size
(``textio._docx_run_shown``); a raised run of the text's own size and a lowered one stay plain.

Expected answers were written by hand first (/work/notes/left10files-expect.md); each test
failed on main unless its name ends in ``_held``."""

from __future__ import annotations

import pytest

from lantu.ingest.textio import read_text
from test_probe12_texts import SUP, _docx, _figures, _run

BIG = '<w:rPr><w:sz w:val="24"/></w:rPr>'


def _raised(position: int, size: int | None) -> str:
    sz = "" if size is None else f'<w:sz w:val="{size}"/>'
    return f'<w:rPr><w:position w:val="{position}"/>{sz}</w:rPr>'


def _para(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


@pytest.mark.parametrize("marker", ["1", "2", "注1"])
def test_a_small_run_raised_by_position_after_a_figure_is_a_marker(tmp_path, marker):
    path = _docx(tmp_path, _para(_run("2023年全市地区生产总值5571.17", BIG),
                                 _run(marker, _raised(6, 14)), _run("亿元，比上年增长5.2%。", BIG)))
    text = read_text(path).text
    assert "5571.17" + marker not in text
    assert _figures(path)["gdp"] == 5571.17


def test_a_small_raised_run_before_a_figure_is_a_marker_too(tmp_path):
    path = _docx(tmp_path, _para(_run("2023年全市地区生产总值", BIG), _run("1", _raised(6, 14)),
                                 _run("5571.17亿元，比上年增长5.2%。", BIG)))
    assert "¹" in read_text(path).text and _figures(path)["gdp"] == 5571.17


def test_a_small_raised_run_against_the_documents_default_size(tmp_path):
    # the text has no size of its own (the document's default, 10 or 10.5 pt): a 7 pt raised run
    path = _docx(tmp_path, _para(_run("2023年全市地区生产总值5571.17"), _run("1", _raised(5, 14)),
                                 _run("亿元，比上年增长5.2%。")))
    assert _figures(path)["gdp"] == 5571.17


@pytest.mark.parametrize("props", [_raised(6, 24), _raised(6, None), _raised(-6, 14),
                                   _raised(0, 14)], ids=["same-size", "no-size", "lowered", "zero"])
def test_a_raised_run_of_the_texts_size_or_a_lowered_one_stays_plain_held(tmp_path, props):
    path = _docx(tmp_path, _para(_run("全市共有", BIG), _run("12", props), _run("个开发区。", BIG)))
    assert "全市共有12个开发区。" in read_text(path).text


def test_a_superscript_circled_number_stays_a_mark_the_figure_is_read(tmp_path):
    # raised_text bracketed it, "5571.17[①]亿元", and the figure was not found at all (raised
    # by position, the same since it reads as a superscript does)
    path = _docx(tmp_path, _para(_run("2023年全市地区生产总值5571.17", BIG), _run("①", SUP),
                                 _run("亿元，比上年增长5.2%。", BIG)))
    assert "5571.17①亿元" in read_text(path).text and _figures(path)["gdp"] == 5571.17
