"""A bulletin of a month not yet ended says its scores are provisional (session 15).

Session 14 made the bulletin default to the last month ended; a month under way can still be
chosen, and its scores count a report owed for every open task, submitted or not yet due, so on
6 December every department without a December report read as "未报送" with no word of why.
The one rule is :func:`lantu.supervise.bulletin.under_way_on`; the store's bulletin carries it,
the page and the Word bulletin say it. Each test below fails on the code before (no such rule).
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from lantu.reports.fonts import FontSet
from lantu.supervise.bulletin import under_way_on
from webutil import login


@pytest.mark.parametrize("month, today, expected", [
    ("2026-12", date(2026, 12, 6), date(2026, 12, 6)),
    ("2026-12", date(2026, 12, 1), date(2026, 12, 1)),    # the first day
    ("2026-12", date(2026, 12, 31), date(2026, 12, 31)),  # the last day: not yet ended
    ("2026-11", date(2026, 12, 1), None),                 # ended yesterday
    ("2024-02", date(2024, 2, 29), date(2024, 2, 29)),    # a leap February's last day
    ("2024-02", date(2024, 3, 1), None),
])
def test_under_way_on(month, today, expected):
    assert under_way_on(month, today) == expected


def _docx_text(default_db, month: str, today: date) -> str:
    from lantu.reports.bulletin import build_bulletin_docx
    from lantu.reports.data import bulletin_data

    with default_db.session() as s:
        data = bulletin_data(s, month, today=today)
    doc = Document(io.BytesIO(build_bulletin_docx(data, FontSet.standard()).to_bytes()))
    return "\n".join(p.text for p in doc.paragraphs)


def test_word_bulletin_of_a_month_under_way_says_provisional(default_db):
    text = _docx_text(default_db, "2023-06", date(2023, 6, 12))
    assert "2023年6月 尚未结束" in text and "2023年6月12日" in text and "临时结果" in text
    ended = _docx_text(default_db, "2023-06", date(2023, 7, 5))
    assert "尚未结束" not in ended and "临时结果" not in ended


@pytest.mark.parametrize("lang, words", [("zh", "尚未结束"), ("en", "has not ended")])
def test_web_bulletin_of_the_month_under_way_says_provisional(client, lang, words):
    from lantu.web.routes import supervision

    login(client, "supervisor")
    this_month = supervision.today().strftime("%Y-%m")
    html = client.get(f"/supervision/bulletin?month={this_month}&lang={lang}").text
    assert 'data-test="bl-provisional"' in html and words in html
    html = client.get(f"/supervision/bulletin?lang={lang}").text  # the default: last month ended
    assert 'data-test="bl-provisional"' not in html
